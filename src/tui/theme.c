/* SPDX-License-Identifier: Apache-2.0 */
/*
 * theme: colour schemes as data files (themes/NAME.theme).
 *
 * Format, one style per line, `#` starts a comment:
 *
 *     slot = FG BG [ATTR ...]
 *
 * slot is one of theme_slot_names[] (header, row_selected, error, ...).
 * FG and BG are `default`, a colour name (black red green yellow blue
 * magenta cyan white, bright-NAME, grey), a palette index 0-255, or
 * #rrggbb.  ATTR is bold, underline, reverse, dim, italic or blink.  A
 * theme file starts from the built-in dark theme, so it only needs the
 * slots it changes.  True colours are mapped to the nearest entry of the
 * palette the terminal has (256, 16 or 8 colours) when the theme is
 * applied; parsing never needs a terminal.  Errors read "file:line: msg".
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/mem.h"
#include "tui/tui.h"

const char *const theme_slot_names[TS__COUNT] = {
	[TS_DEFAULT] = "default", [TS_HEADER] = "header",
	[TS_HEADER_VALUE] = "header_value", [TS_CRUMB] = "crumb",
	[TS_CRUMB_ACTIVE] = "crumb_active", [TS_HINT] = "hint",
	[TS_HINT_KEY] = "hint_key", [TS_FLASH] = "flash",
	[TS_ERROR] = "error", [TS_TABLE_HEADER] = "table_header",
	[TS_ROW] = "row", [TS_ROW_SELECTED] = "row_selected",
	[TS_ROW_MARKED] = "row_marked", [TS_STATUS_OK] = "status_ok",
	[TS_STATUS_WARN] = "status_warn", [TS_STATUS_BAD] = "status_bad",
	[TS_BANNER] = "banner", [TS_DIALOG] = "dialog",
	[TS_PROMPT] = "prompt", [TS_YAML_KEY] = "yaml_key",
	[TS_YAML_VALUE] = "yaml_value", [TS_YAML_COMMENT] = "yaml_comment",
	[TS_MATCH] = "match", [TS_SPINNER] = "spinner",
};

static const struct { const char *name; int idx; } color_names[] = {
	{ "default", -1 }, { "black", 0 }, { "red", 1 }, { "green", 2 },
	{ "yellow", 3 }, { "blue", 4 }, { "magenta", 5 }, { "cyan", 6 },
	{ "white", 7 }, { "grey", 8 }, { "gray", 8 },
	{ "bright-black", 8 }, { "bright-red", 9 }, { "bright-green", 10 },
	{ "bright-yellow", 11 }, { "bright-blue", 12 },
	{ "bright-magenta", 13 }, { "bright-cyan", 14 },
	{ "bright-white", 15 },
};

static const struct { const char *name; unsigned bit; } attr_names[] = {
	{ "bold", TA_BOLD }, { "underline", TA_UNDERLINE },
	{ "reverse", TA_REVERSE }, { "dim", TA_DIM }, { "italic", TA_ITALIC },
	{ "blink", TA_BLINK }, { "none", 0 },
};

/* The built-in dark theme: {fg, bg, attrs} per slot. */
static const struct theme_style dark[TS__COUNT] = {
	[TS_DEFAULT] = { -1, -1, 0 },
	[TS_HEADER] = { 6, -1, 0 },
	[TS_HEADER_VALUE] = { 11, -1, TA_BOLD },
	[TS_CRUMB] = { 0, 6, 0 },
	[TS_CRUMB_ACTIVE] = { 0, 11, TA_BOLD },
	[TS_HINT] = { 7, -1, 0 },
	[TS_HINT_KEY] = { 13, -1, TA_BOLD },
	[TS_FLASH] = { 10, -1, 0 },
	[TS_ERROR] = { 9, -1, TA_BOLD },
	[TS_TABLE_HEADER] = { 15, -1, TA_BOLD },
	[TS_ROW] = { 14, -1, 0 },
	[TS_ROW_SELECTED] = { 0, 14, 0 },
	[TS_ROW_MARKED] = { 11, -1, TA_BOLD },
	[TS_STATUS_OK] = { 14, -1, 0 },
	[TS_STATUS_WARN] = { 3, -1, 0 },
	[TS_STATUS_BAD] = { 9, -1, 0 },
	[TS_BANNER] = { 15, 1, TA_BOLD },
	[TS_DIALOG] = { 15, 4, 0 },
	[TS_PROMPT] = { 15, -1, TA_BOLD },
	[TS_YAML_KEY] = { 12, -1, 0 },
	[TS_YAML_VALUE] = { 15, -1, 0 },
	[TS_YAML_COMMENT] = { 8, -1, 0 },
	[TS_MATCH] = { 0, 11, 0 },
	[TS_SPINNER] = { 11, -1, 0 },
};

void theme_default(struct theme *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "default");
	memcpy(t->slot, dark, sizeof(dark));
}

static int parse_color(const char *s, int *out)
{
	char *end;
	long v;

	for (size_t i = 0; i < sizeof(color_names) / sizeof(color_names[0]); i++)
		if (!strcasecmp(s, color_names[i].name)) {
			*out = color_names[i].idx;
			return 0;
		}
	if (s[0] == '#') {
		if (strlen(s) != 7 || strspn(s + 1, "0123456789abcdefABCDEF") != 6)
			return -1;
		*out = THEME_RGB_FLAG | (int)strtol(s + 1, NULL, 16);
		return 0;
	}
	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || errno || v < 0 || v > 255)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_attr(const char *s, unsigned *bits)
{
	for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
		if (!strcasecmp(s, attr_names[i].name)) {
			*bits |= attr_names[i].bit;
			return 0;
		}
	return -1;
}

static int slot_by_name(const char *s)
{
	for (int i = 0; i < TS__COUNT; i++)
		if (!strcmp(theme_slot_names[i], s))
			return i;
	return -1;
}

/* `slot = fg bg attrs` into t; -1 with a message in bad. */
static int parse_line(struct theme *t, char *line, char *bad, size_t nbad)
{
	char *eq = strchr(line, '='), *save = NULL, *tok;
	struct theme_style st = { -1, -1, 0 };
	char name[64];
	int slot, n = 0;

	if (!eq)
		return snprintf(bad, nbad, "expected \"slot = fg bg [attrs]\""), -1;
	*eq = '\0';
	if (sscanf(line, " %63s", name) != 1)
		return snprintf(bad, nbad, "missing slot name"), -1;
	slot = slot_by_name(name);
	if (slot < 0)
		return snprintf(bad, nbad, "unknown slot \"%s\"", name), -1;
	for (tok = strtok_r(eq + 1, " \t\r", &save); tok;
	     tok = strtok_r(NULL, " \t\r", &save), n++) {
		int rc = n == 0 ? parse_color(tok, &st.fg)
			: n == 1 ? parse_color(tok, &st.bg)
			: parse_attr(tok, &st.attrs);

		if (rc < 0)
			return snprintf(bad, nbad, "bad %s \"%s\"",
					n < 2 ? "colour" : "attribute", tok), -1;
	}
	if (n < 2)
		return snprintf(bad, nbad, "\"%s\" needs a foreground and a "
				"background", name), -1;
	t->slot[slot] = st;
	return 0;
}

int theme_parse(struct theme *t, const char *text, size_t len,
		const char *name, struct err *e)
{
	struct theme tmp = *t;
	size_t lineno = 0, pos = 0;
	char line[512], bad[256];

	while (pos < len) {
		size_t n = 0;
		char *hash;

		lineno++;
		while (pos < len && text[pos] != '\n') {
			if (n + 1 < sizeof(line))
				line[n++] = text[pos] ? text[pos] : ' ';
			pos++;
		}
		pos++;
		line[n] = '\0';
		/* '#' starts a comment unless it begins a #rrggbb colour. */
		if (line[strspn(line, " \t")] == '#')
			continue;
		for (hash = line; (hash = strchr(hash, '#')); hash++)
			if (hash == line || isspace((unsigned char)hash[-1]))
				if (!isxdigit((unsigned char)hash[1])) {
					*hash = '\0';
					break;
				}
		if (strspn(line, " \t\r") == strlen(line))
			continue;
		if (parse_line(&tmp, line, bad, sizeof(bad)) < 0)
			return err_set(e, ERR_PARSE, "%s:%zu: %s", name, lineno,
				       bad);
	}
	*t = tmp;
	return 0;
}

int theme_load(struct theme *t, const char *path, struct err *e)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	const char *base, *dot;
	size_t n;
	int rc;
	FILE *fp = fopen(path, "re");

	if (!fp)
		return err_set(e, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO,
			       "%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	theme_default(t);
	rc = theme_parse(t, buf_cstr(&b), b.len, path, e);
	buf_free(&b);
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	dot = strrchr(base, '.');
	snprintf(t->name, sizeof(t->name), "%.*s",
		 (int)(dot ? (size_t)(dot - base) : strlen(base)), base);
	return rc;
}

int theme_find(const char *name, char *buf, size_t n, struct err *e)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char dirs[3][512];

	if (strchr(name, '/')) {
		snprintf(buf, n, "%s", name);
		return 0;
	}
	if (xdg && *xdg)
		snprintf(dirs[0], sizeof(dirs[0]), "%s/kdeck/themes", xdg);
	else
		snprintf(dirs[0], sizeof(dirs[0]), "%s/.config/kdeck/themes",
			 home ? home : "");
	snprintf(dirs[1], sizeof(dirs[1]), "%s/themes", KDECK_PKGDATADIR);
	snprintf(dirs[2], sizeof(dirs[2]), "%s/themes", KDECK_SRCDIR);
	for (int i = 0; i < 3; i++) {
		snprintf(buf, n, "%s/%s.theme", dirs[i], name);
		if (access(buf, R_OK) == 0)
			return 0;
	}
	return err_set(e, ERR_NOT_FOUND, "no theme \"%s\" (looked in %s, %s)",
		       name, dirs[0], dirs[1]);
}

/* RGB of palette entry i in the xterm 256-colour palette. */
static unsigned palette_rgb(int i)
{
	static const unsigned base16[16] = {
		0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd,
		0x00cdcd, 0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00,
		0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
	};
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };

	if (i < 16)
		return base16[i];
	if (i < 232) {
		i -= 16;
		return (unsigned)(level[i / 36] << 16 | level[i / 6 % 6] << 8 |
				  level[i % 6]);
	}
	unsigned g = (unsigned)(8 + (i - 232) * 10);
	return g << 16 | g << 8 | g;
}

int theme_nearest(unsigned rgb, int ncolors)
{
	int best = 0;
	long bestd = -1;

	if (ncolors > 256)
		ncolors = 256;
	for (int i = 0; i < ncolors; i++) {
		unsigned p = palette_rgb(i);
		long dr = (long)(rgb >> 16 & 0xff) - (long)(p >> 16 & 0xff);
		long dg = (long)(rgb >> 8 & 0xff) - (long)(p >> 8 & 0xff);
		long db = (long)(rgb & 0xff) - (long)(p & 0xff);
		long d = 2 * dr * dr + 4 * dg * dg + 3 * db * db;

		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

int theme_resolve(int color, int ncolors)
{
	if (color < 0)
		return -1;
	if (color & THEME_RGB_FLAG)
		return theme_nearest((unsigned)color & 0xffffff, ncolors);
	if (color >= ncolors)
		return theme_nearest(palette_rgb(color), ncolors);
	return color;
}

int theme_direct_ok(const char *colorterm, int rgb_flag, int ncolors)
{
	if (!colorterm || (strcmp(colorterm, "truecolor") && strcmp(colorterm, "24bit")))
		return 0;
	return rgb_flag > 0 || ncolors >= 0x1000000;
}

int theme_resolve_direct(int color)
{
	unsigned rgb;

	if (color < 0)
		return -1;
	if (!(color & THEME_RGB_FLAG) && color < 8)
		return color;	/* the terminal's own ANSI colours */
	rgb = color & THEME_RGB_FLAG ? (unsigned)color & 0xffffff : palette_rgb(color & 0xff);
	/* direct-colour terminfo reads 0..7 as ANSI colours: near black */
	return rgb < 8 ? 8 : (int)rgb;
}
