/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_theme: theme file parsing.  Any input parses or fails with a
 * "name:line:" message; every resolved colour stays inside the palette.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int palettes[] = { 8, 16, 256 };
	struct theme t;
	struct err e;

	theme_default(&t);
	if (theme_parse(&t, (const char *)data, size, "fuzz", &e) < 0 &&
	    strncmp(e.msg, "fuzz:", 5))
		abort();
	for (int s = 0; s < TS__COUNT; s++)
		for (size_t p = 0; p < 3; p++) {
			int fg = theme_resolve(t.slot[s].fg, palettes[p]);
			int bg = theme_resolve(t.slot[s].bg, palettes[p]);

			if (fg < -1 || fg >= palettes[p] || bg < -1 ||
			    bg >= palettes[p])
				abort();
		}
	return 0;
}
