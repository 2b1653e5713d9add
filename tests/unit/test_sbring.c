/* SPDX-License-Identifier: Apache-2.0 */
/* The shell's scrollback ring: order, bound, wrap-around, empty; styled
 * lines (runs merged, trailing blanks cut, styles kept across wrap). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tests/tap.h"
#include "tui/tui.h"

/* One cell of a line to build: text, style, blank. */
struct cell { const char *t; uint32_t style; int blank; };

static const struct {
	const char *name;
	struct cell cells[8];
	const char *text;
	size_t nruns;
	struct sb_run runs[4];
} styled[] = {
	{ "plain", { { "a", 0, 0 }, { "b", 0, 0 } }, "ab", 1, { { 0, 2, 0 } } },
	{ "two colours", { { "r", 7, 0 }, { "e", 7, 0 }, { "d", 9, 0 }, { "!", 9, 0 } },
	  "red!", 2, { { 0, 2, 7 }, { 2, 2, 9 } } },
	{ "trailing blanks cut", { { "x", 3, 0 }, { " ", 0, 1 }, { " ", 0, 1 } },
	  "x", 1, { { 0, 1, 3 } } },
	{ "inner blank kept", { { "a", 1, 0 }, { " ", 0, 1 }, { "b", 1, 0 } },
	  "a b", 3, { { 0, 1, 1 }, { 1, 1, 0 }, { 2, 1, 1 } } },
	{ "blank run cut inside", { { "a", 5, 0 }, { " ", 5, 1 }, { " ", 5, 1 } },
	  "a", 1, { { 0, 1, 5 } } },
	{ "utf-8 bytes", { { "\xc3\xa9", 2, 0 }, { "\xe2\x86\x91", 2, 0 }, { "z", 4, 0 } },
	  "\xc3\xa9\xe2\x86\x91z", 2, { { 0, 5, 2 }, { 5, 1, 4 } } },
	{ "all blank", { { " ", 0, 1 }, { " ", 0, 1 } }, "", 0, { { 0, 0, 0 } } },
	{ "reverse blank kept", { { " ", 0x1000000, 0 }, { " ", 0, 1 } },
	  " ", 1, { { 0, 1, 0x1000000 } } },
};

static void test_styled(void)
{
	struct sb_ring r;

	sb_ring_init(&r, 3);
	for (size_t c = 0; c < sizeof(styled) / sizeof(styled[0]); c++) {
		const struct sb_line *l;

		for (size_t i = 0; i < 8 && styled[c].cells[i].t; i++)
			sb_line_builder_add(&r.build, styled[c].cells[i].t,
					    strlen(styled[c].cells[i].t),
					    styled[c].cells[i].style, styled[c].cells[i].blank);
		sb_ring_push_built(&r, &r.build);
		l = sb_ring_line(&r, r.len - 1);
		is_str(l->text, styled[c].text, "%s: text", styled[c].name);
		is_int(l->nruns, styled[c].nruns, "%s: runs", styled[c].name);
		for (size_t i = 0; i < l->nruns && i < styled[c].nruns; i++) {
			is_int(l->runs[i].off, styled[c].runs[i].off, "%s: run %zu offset", styled[c].name, i);
			is_int(l->runs[i].len, styled[c].runs[i].len, "%s: run %zu length", styled[c].name, i);
			is_int(l->runs[i].style, styled[c].runs[i].style, "%s: run %zu style", styled[c].name, i);
		}
	}
	/* After wrapping (cap 3), the newest three lines keep their styles. */
	is_int(r.len, 3, "styled: bounded");
	is_int(sb_ring_line(&r, 0)->runs[0].style, 2, "styled: oldest kept line's style");
	ok(sb_ring_line(&r, 3) == NULL, "styled: past the end");
	/* An explicit push of runs is copied. */
	{
		struct sb_run runs[2] = { { 0, 1, 11 }, { 1, 2, 12 } };

		sb_ring_push_runs(&r, "abc", runs, 2);
		runs[0].style = 99;
		is_int(sb_ring_line(&r, 2)->runs[0].style, 11, "runs are copied");
		is_str(sb_ring_get(&r, 2), "abc", "text of a pushed styled line");
	}
	sb_ring_push(&r, "plain");
	is_int(sb_ring_line(&r, 2)->nruns, 1, "a plain push is one run");
	is_int(sb_ring_line(&r, 2)->runs[0].style, 0, "in style 0");
	sb_ring_push(&r, "");
	is_int(sb_ring_line(&r, 2)->nruns, 0, "an empty line has no runs");
	sb_ring_done(&r);
}

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
	test_styled();
	return tap_done();
}
