/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_keymap: keys.conf parsing and key names.  Any input must either
 * parse or fail with a "name:line:" message; lookups after a parse must
 * stay in range.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "tui/tui.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keymap *km = keymap_new();
	struct err e;
	char *s = xstrndup((const char *)data, size);
	char buf[64];

	if (keymap_parse(km, (const char *)data, size, "fuzz", &e) < 0 &&
	    strncmp(e.msg, "fuzz:", 5))
		abort();
	for (int k = 0; k < 400; k += 7) {
		enum act a = keymap_lookup(km, k, SCOPE_TABLE);

		if (a != ACT_NONE && (a < 0 || a >= ACT__COUNT))
			abort();
		if (a != ACT_NONE)
			keymap_keys(km, a, buf, sizeof(buf));
	}
	int key = key_from_name(s);
	if (key >= 0)
		key_to_name(key, buf, sizeof(buf));
	free(s);
	keymap_free(km);
	return 0;
}
