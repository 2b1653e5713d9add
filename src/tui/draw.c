/* SPDX-License-Identifier: Apache-2.0 */
/*
 * draw: text output for the dashboard, by display width rather than
 * bytes, so names with wide or combining characters keep the columns
 * aligned.  Invalid UTF-8 bytes are drawn as '?' (one column).  Also
 * turns a theme into curses attributes for the terminal at hand:
 * NO_COLOR, 8/16/256 colours, true colours mapped to the nearest.
 * UI thread only.
 */
#include "config.h"

#include <curses.h>
#include <term.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/tui.h"

/* Next character of s: its width in *w, bytes consumed returned. */
static size_t next_char(const char *s, wchar_t *wc, int *w)
{
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof(st));
	n = mbrtowc(wc, s, MB_CUR_MAX, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*wc = L'?';
		*w = 1;
		return 1;
	}
	*w = wcwidth(*wc);
	if (*w < 0) {
		*wc = L'?';
		*w = 1;
	}
	return n;
}

int draw_width(const char *s)
{
	int total = 0, w;
	wchar_t wc;

	while (*s) {
		s += next_char(s, &wc, &w);
		total += w;
	}
	return total;
}

int draw_text(int y, int x, const char *s, int w, int attr, int pad)
{
	return draw_text_ex(y, x, s, w, attr, pad, NULL);
}

int draw_text_ex(int y, int x, const char *s, int w, int attr, int pad,
		 size_t *consumed)
{
	const char *s0 = s;
	int used = 0, cw;
	wchar_t wc;

	if (consumed)
		*consumed = 0;
	if (w <= 0)
		return 0;
	attrset((attr_t)attr);
	move(y, x);
	while (s && *s) {
		size_t n = next_char(s, &wc, &cw);

		if (used + cw > w)
			break;
		if (wc == L'\t' || wc < 0x20)
			wc = L' ', cw = 1;
		addnwstr(&wc, 1);
		used += cw;
		s += n;
	}
	if (consumed)
		*consumed = (size_t)(s - s0);
	if (pad)
		for (int i = used; i < w; i++)
			addch(' ');
	attrset(A_NORMAL);
	return used;
}

void draw_fill(int y, int x, int w, int attr)
{
	draw_text(y, x, "", w, attr, 1);
}

static attr_t to_attr(unsigned bits)
{
	static const struct { unsigned bit; attr_t a; } map[] = {
		{ TA_BOLD, A_BOLD }, { TA_UNDERLINE, A_UNDERLINE },
		{ TA_REVERSE, A_REVERSE }, { TA_DIM, A_DIM },
		{ TA_ITALIC, A_ITALIC }, { TA_BLINK, A_BLINK },
	};
	attr_t a = A_NORMAL;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (bits & map[i].bit)
			a |= map[i].a;
	return a;
}

/*
 * With colours: one pair per slot; #rrggbb stays 24-bit on terminals
 * with direct colour (theme_direct_ok), else maps to the palette.  Without (NO_COLOR, monochrome
 * terminals): attributes only, and slots that rely on a background
 * colour to stand out (selection, banner, dialogs) get reverse video.
 */
void app_apply_theme(struct app *a)
{
	int ncolors = 0, direct = 0;

	if (has_colors() && !a->no_color) {
		start_color();	/* sets COLORS */
		use_default_colors();
		ncolors = COLORS;
		direct = theme_direct_ok(getenv("COLORTERM"), tigetflag("RGB"), ncolors);
	}
	for (int i = 0; i < TS__COUNT; i++) {
		const struct theme_style *st = &a->theme.slot[i];
		attr_t at = to_attr(st->attrs);

		if (direct && i + 1 < COLOR_PAIRS) {
			init_extended_pair(i + 1, theme_resolve_direct(st->fg),
					   theme_resolve_direct(st->bg));
			at |= COLOR_PAIR(i + 1);
		} else if (ncolors && i + 1 < COLOR_PAIRS) {
			init_pair((short)(i + 1),
				  (short)theme_resolve(st->fg, ncolors),
				  (short)theme_resolve(st->bg, ncolors));
			at |= COLOR_PAIR(i + 1);
		} else if (st->bg >= 0 && st->bg != a->theme.slot[TS_DEFAULT].bg &&
			   !(st->attrs & TA_REVERSE)) {
			at |= A_REVERSE;
		}
		a->attrs[i] = (int)at;
	}
	bkgdset(' ' | (chtype)a->attrs[TS_DEFAULT]);
}
