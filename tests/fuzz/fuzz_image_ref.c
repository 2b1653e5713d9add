/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_image_ref: image_normalize on arbitrary strings.  A reference that
 * normalizes must normalize to itself again (idempotence), and its parts
 * must be present; a refused one must say why.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/image/image_priv.h"
#include "common/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = xstrndup((const char *)data, size), *out = NULL, *again = NULL;
	struct err e = {0};
	struct img_ref r;

	if (image_normalize(in, &out, &e) < 0) {
		if (e.code != ERR_INVALID || !e.msg[0])
			abort();
		goto out;
	}
	if (image_normalize(out, &again, &e) < 0 || strcmp(out, again)) {
		fprintf(stderr, "not idempotent: \"%s\" -> \"%s\" -> \"%s\"\n",
			in, out, again ? again : e.msg);
		abort();
	}
	if (img_ref_parse(out, &r, &e) < 0 || !r.domain || !r.path ||
	    (!r.tag && !r.digest))
		abort();
	img_ref_done(&r);
out:
	free(again);
	free(out);
	free(in);
	return 0;
}
