/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_registries: registries.yaml parsing on arbitrary bytes, then the
 * lookups pulls make on whatever parsed.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/image/image_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const hosts[] = { "docker.io", "*", "127.0.0.1:5000",
					     "", "a" };
	struct img_registries *r = NULL;
	struct err e = {0};

	if (img_registries_parse((const char *)data, size, &r, &e) < 0) {
		if (!e.msg[0])
			abort();
		return 0;
	}
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		const char *const *m = img_registries_mirrors(r, hosts[i]);
		const struct img_reg_config *c =
			img_registries_config(r, hosts[i]);

		for (size_t j = 0; m[j]; j++)
			if (strncmp(m[j], "http", 4))
				abort();
		if (c && c->username && !*c->username && c->password)
			(void)strlen(c->password);
	}
	img_registries_free(r);
	return 0;
}
