/* SPDX-License-Identifier: Apache-2.0 */
/* test_theme: theme parsing, errors with file:line, colour mapping, files. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"
#include "tui/tui.h"

static void test_parse(void)
{
	static const char text[] =
		"# comment\n"
		"header = red default bold underline\n"
		"row_selected = #ff0000 17   # trailing\n"
		"error = bright-white 255 reverse\n";
	struct theme t;
	struct err e;

	theme_default(&t);
	is_int(theme_parse(&t, text, strlen(text), "t", &e), 0, "parse");
	is_int(t.slot[TS_HEADER].fg, 1, "named colour");
	is_int(t.slot[TS_HEADER].bg, -1, "default colour");
	is_int((long long)t.slot[TS_HEADER].attrs, TA_BOLD | TA_UNDERLINE, "attrs");
	is_int(t.slot[TS_ROW_SELECTED].fg, THEME_RGB_FLAG | 0xff0000, "rgb");
	is_int(t.slot[TS_ROW_SELECTED].bg, 17, "palette index");
	is_int(t.slot[TS_ERROR].fg, 15, "bright colour");
	is_int(t.slot[TS_ROW].fg, 14, "unlisted slots keep defaults");

	static const struct { const char *text, *msg; } bad[] = {
		{ "header red default\n", "x.theme:1: expected \"slot = fg bg [attrs]\"" },
		{ "\nnosuch = red red\n", "x.theme:2: unknown slot \"nosuch\"" },
		{ "row = red\n", "x.theme:1: \"row\" needs a foreground and a background" },
		{ "row = 256 red\n", "x.theme:1: bad colour \"256\"" },
		{ "row = #12345 red\n", "x.theme:1: bad colour \"#12345\"" },
		{ "row = red red sparkly\n", "x.theme:1: bad attribute \"sparkly\"" },
		{ " = red red\n", "x.theme:1: missing slot name" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct theme before = t;

		is_int(theme_parse(&t, bad[i].text, strlen(bad[i].text), "x.theme", &e),
		       -1, "reject %zu", i);
		is_str(e.msg, bad[i].msg, "message %zu", i);
		ok(!memcmp(&before, &t, sizeof(t)), "theme unchanged %zu", i);
	}
}

static void test_colors(void)
{
	static const struct { unsigned rgb; int n, want; } cases[] = {
		{ 0xff0000, 256, 9 }, { 0x000000, 256, 0 }, { 0xffffff, 8, 7 },
		{ 0x005f87, 256, 24 }, { 0x808080, 256, 244 }, { 0xdc322f, 8, 1 },
		{ 0x0000e0, 16, 4 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(theme_nearest(cases[i].rgb, cases[i].n), cases[i].want,
		       "nearest #%06x of %d", cases[i].rgb, cases[i].n);
	is_int(theme_resolve(-1, 8), -1, "default stays");
	is_int(theme_resolve(200, 256), 200, "index kept");
	ok(theme_resolve(200, 8) < 8, "index mapped down");
	is_int(theme_resolve(12, 8), 4, "bright blue on 8 colours is blue");
}

static void test_files(void)
{
	static const char *const names[] = { "default", "light", "solarized",
					     "high-contrast", "monochrome" };
	char path[1024];
	struct theme t;
	struct err e;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/themes/%s.theme", KDECK_SRCDIR, names[i]);
		is_int(theme_load(&t, path, &e), 0, "load %s", names[i]);
		is_str(t.name, names[i], "name %s", names[i]);
	}
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	is_int(theme_find("light", path, sizeof(path), &e), 0, "find light");
	ok(strstr(path, "light.theme") != NULL, "found %s", path);
	is_int(theme_find("nosuch", path, sizeof(path), &e), -1, "missing theme");
	is_int(e.code, ERR_NOT_FOUND, "missing theme is NOT_FOUND");
	is_int(theme_load(&t, "/nonexistent.theme", &e), -1, "missing file");
}

/* Direct colour: when to use it and what a colour value becomes. */
static void test_direct(void)
{
	static const struct {
		const char *colorterm;
		int rgb_flag, ncolors, want;
	} modes[] = {
		{ "truecolor", 1, 256, 1 }, { "24bit", 0, 0x1000000, 1 },
		{ "truecolor", 0, 256, 0 }, { "truecolor", -1, 256, 0 },
		{ NULL, 1, 0x1000000, 0 }, { "yes", 1, 0x1000000, 0 },
		{ "", 1, 256, 0 },
	};
	static const struct { int in, want; } vals[] = {
		{ -1, -1 }, { 1, 1 }, { 7, 7 }, { 9, 0xff0000 }, { 196, 0xff0000 },
		{ 16, 8 }, { THEME_RGB_FLAG | 0x123456, 0x123456 },
		{ THEME_RGB_FLAG | 0x000003, 8 }, { THEME_RGB_FLAG | 0xffffff, 0xffffff },
	};

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		is_int(theme_direct_ok(modes[i].colorterm, modes[i].rgb_flag, modes[i].ncolors),
		       modes[i].want, "direct colour for COLORTERM=%s RGB=%d colors=%d",
		       modes[i].colorterm ? modes[i].colorterm : "(unset)",
		       modes[i].rgb_flag, modes[i].ncolors);
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		is_int(theme_resolve_direct(vals[i].in), vals[i].want, "direct value of %#x",
		       (unsigned)vals[i].in);
}

int main(void)
{
	test_direct();
	test_parse();
	test_colors();
	test_files();
	return tap_done();
}
