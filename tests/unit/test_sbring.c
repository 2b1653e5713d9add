/* SPDX-License-Identifier: Apache-2.0 */
/* The shell's scrollback ring: order, bound, wrap-around, empty. */
#include "config.h"

#include <stdio.h>

#include "tests/tap.h"
#include "tui/tui.h"

int main(void)
{
	static const struct { size_t cap, pushes; const char *first, *last; } cases[] = {
		{ 5, 0, NULL, NULL },
		{ 5, 3, "line 0", "line 2" },
		{ 5, 5, "line 0", "line 4" },
		{ 5, 6, "line 1", "line 5" },
		{ 5, 23, "line 18", "line 22" },
		{ 1, 4, "line 3", "line 3" },
		{ 0, 2, "line 1", "line 1" },	/* cap 0 means 1 */
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct sb_ring r;
		char buf[32];
		size_t want;

		sb_ring_init(&r, cases[c].cap);
		for (size_t i = 0; i < cases[c].pushes; i++) {
			snprintf(buf, sizeof(buf), "line %zu", i);
			sb_ring_push(&r, buf);
		}
		want = cases[c].pushes < r.cap ? cases[c].pushes : r.cap;
		is_int(r.len, want, "case %zu: length", c);
		if (cases[c].first) {
			is_str(sb_ring_get(&r, 0), cases[c].first, "case %zu: oldest", c);
			is_str(sb_ring_get(&r, r.len - 1), cases[c].last, "case %zu: newest", c);
		}
		ok(sb_ring_get(&r, r.len) == NULL, "case %zu: past the end", c);
		sb_ring_done(&r);
		sb_ring_done(&r);	/* twice is fine */
	}
	return tap_done();
}
