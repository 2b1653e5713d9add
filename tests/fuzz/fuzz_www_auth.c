/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_www_auth: the WWW-Authenticate parser and the .dockerconfigjson
 * credential lookup on arbitrary bytes (first byte picks).  A Bearer
 * challenge that parses must have a realm; found credentials are strings.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/image/image_priv.h"
#include "common/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct img_challenge c = {0};
	struct err e = {0};
	char *s, *user = NULL, *pass = NULL;

	if (size < 1)
		return 0;
	s = xstrndup((const char *)data + 1, size - 1);
	if (data[0] & 1) {
		if (img_dockercfg_lookup(s, "docker.io", &user, &pass) == 0 &&
		    (!user || !pass))
			abort();
		free(user);
		free(pass);
	} else if (img_www_auth_parse(s, &c, &e) == 0) {
		if (!c.scheme || (!strcmp(c.scheme, "bearer") && !c.realm))
			abort();
		img_challenge_done(&c);
	} else if (!e.msg[0]) {
		abort();
	}
	free(s);
	return 0;
}
