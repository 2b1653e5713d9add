/* SPDX-License-Identifier: Apache-2.0 */
/*
 * view_text: scrollable text (describe, YAML, logs, contexts, help).
 *
 * The text is split into lines once.  YAML gets syntax colours (keys,
 * values, comments, list dashes); `/` searches (regex, case-insensitive,
 * like the table filter), n/N jump between matching lines and matches are
 * highlighted.  Logs keep at most app->log_cap lines (oldest dropped), so
 * memory stays bounded however long a log is.
 */
#include "config.h"

#include <curses.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "tui/tui.h"

struct view_text {
	struct view super;
	enum text_kind kind;
	struct vec lines;	/* char * */
	size_t top;
	struct filter *search;
	char stext[256];
	long cur_match;
};

static const struct view_class text_class, help_class;

static struct view_text *vx_of(struct view *v)
{
	return (struct view_text *)v;
}

void view_text_set(struct view *v, const char *text)
{
	struct view_text *x = vx_of(v);
	unsigned cap = v->app && v->app->log_cap ? v->app->log_cap : 5000;

	vec_free(&x->lines, free);
	while (text && *text) {
		size_t n = strcspn(text, "\n");

		vec_push(&x->lines, xstrndup(text, n));
		text += n + (text[n] == '\n');
		if (x->kind == TEXT_LOGS && x->lines.len > cap) {
			free(x->lines.items[0]);
			vec_remove(&x->lines, 0);
		}
	}
	if (x->top >= x->lines.len)
		x->top = 0;
}

static struct view_text *text_alloc(struct app *a, const char *title,
				    enum text_kind kind)
{
	struct view_text *x = xcalloc(1, sizeof(*x));

	x->super.cls = &text_class;
	x->super.app = a;
	x->kind = kind;
	x->cur_match = -1;
	snprintf(x->super.title, sizeof(x->super.title), "%s", title);
	return x;
}

struct view *view_text_new(struct app *a, const char *title, const char *text,
			   enum text_kind kind)
{
	struct view_text *x = text_alloc(a, title, kind);

	view_text_set(&x->super, text);
	return &x->super;
}

static void vx_free(struct view *v)
{
	struct view_text *x = vx_of(v);

	vec_free(&x->lines, free);
	filter_free(x->search);
	free(x);
}

/* YAML: "key:" in key colour, the rest in value colour, # comments. */
static void draw_yaml(struct app *a, int y, int w, const char *l)
{
	const char *p = l + strspn(l, " "), *colon;
	int x = 0;

	if (*p == '#') {
		draw_text(y, 0, l, w, a->attrs[TS_YAML_COMMENT], 0);
		return;
	}
	if (p[0] == '-' && (p[1] == ' ' || !p[1]))
		p += 2 - !p[1];
	colon = strstr(p, ": ");
	if (!colon && p[0] && p[strlen(p) - 1] == ':')
		colon = p + strlen(p) - 1;
	if (colon && !memchr(p, '"', (size_t)(colon - p))) {
		char head[1024];

		snprintf(head, sizeof(head), "%.*s", (int)(colon - l + 1), l);
		x = draw_text(y, 0, head, w, a->attrs[TS_YAML_KEY], 0);
		draw_text(y, x, colon + 1, w - x, a->attrs[TS_YAML_VALUE], 0);
		return;
	}
	draw_text(y, 0, l, w, a->attrs[TS_YAML_VALUE], 0);
}

static int line_matches(struct view_text *x, size_t i)
{
	const char *l = x->lines.items[i];

	return x->search && filter_match(x->search, &l, 1, NULL, NULL, NULL);
}

static void vx_draw(struct view *v, struct app *a, int y0, int h, int w)
{
	struct view_text *x = vx_of(v);

	if (x->lines.len && x->top >= x->lines.len)
		x->top = x->lines.len - 1;
	for (int i = 0; i < h; i++) {
		size_t li = x->top + (size_t)i;
		const char *l = li < x->lines.len ? x->lines.items[li] : "";

		draw_fill(y0 + i, 0, w, a->attrs[TS_DEFAULT]);
		if (li < x->lines.len && line_matches(x, li))
			draw_text(y0 + i, 0, l, w, a->attrs[TS_MATCH], 0);
		else if (x->kind == TEXT_YAML)
			draw_yaml(a, y0 + i, w, l);
		else
			draw_text(y0 + i, 0, l, w, a->attrs[TS_ROW], 0);
	}
}

/* Next (dir 1) or previous (-1) matching line from the current one. */
static void jump(struct view_text *x, struct app *a, int dir)
{
	size_t n = x->lines.len;

	if (!x->search || !n)
		return;
	for (size_t k = 1; k <= n; k++) {
		size_t i = (x->top + n + (size_t)dir * k) % n;

		if (line_matches(x, i)) {
			x->top = i;
			x->cur_match = (long)i;
			return;
		}
	}
	app_flash(a, 1, "pattern not found: %s", x->stext);
}

static void vx_filter(struct view *v, struct app *a, const char *text)
{
	struct view_text *x = vx_of(v);
	struct filter *f = NULL;
	struct err e;

	if (!text)
		return;
	if (filter_parse(text, &f, &e) < 0) {
		app_flash_err(a, &e);
		return;
	}
	filter_free(x->search);
	x->search = text[0] ? f : NULL;
	if (!text[0])
		filter_free(f);
	snprintf(x->stext, sizeof(x->stext), "%s", text);
	if (x->search && !line_matches(x, x->top))
		jump(x, a, 1);
}

static enum view_rc vx_key(struct view *v, struct app *a, enum act act, int key)
{
	struct view_text *x = vx_of(v);
	size_t n = x->lines.len, page = (size_t)(LINES > 8 ? LINES - 6 : 1);

	switch (act) {
	case ACT_UP: if (x->top) x->top--; break;
	case ACT_DOWN: if (x->top + 1 < n) x->top++; break;
	case ACT_PGUP: x->top = x->top > page ? x->top - page : 0; break;
	case ACT_PGDN: x->top = x->top + page < n ? x->top + page : (n ? n - 1 : 0); break;
	case ACT_TOP: x->top = 0; break;
	case ACT_BOTTOM: x->top = n > page ? n - page : 0; break;
	case ACT_FILTER: app_modal(a, MODAL_SEARCH, v, x->stext); break;
	case ACT_NEXT_MATCH: jump(x, a, 1); break;
	case ACT_PREV_MATCH: jump(x, a, -1); break;
	case ACT_BACK: return VIEW_CLOSE;
	default: return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

static void vx_click(struct view *v, struct app *a, int row, int wheel)
{
	struct view_text *x = vx_of(v);

	if (wheel < 0)
		x->top = x->top > 3 ? x->top - 3 : 0;
	else if (wheel > 0 && x->top + 3 < x->lines.len)
		x->top += 3;
}

static const struct view_class text_class = {
	.name = "text", .scope = SCOPE_TEXT, .draw = vx_draw, .key = vx_key,
	.click = vx_click, .filter = vx_filter, .free = vx_free,
};

/* Help: same drawing, but remembers the scope it describes. */
static const struct view_class help_class = {
	.name = "help", .scope = SCOPE_TEXT, .draw = vx_draw, .key = vx_key,
	.click = vx_click, .filter = vx_filter, .free = vx_free,
};

static void help_line(struct app *a, struct buf *b, enum act act)
{
	const struct act_info *ai = &act_table[act];
	char keys[64];

	keymap_keys(a->km, act, keys, sizeof(keys));
	buf_printf(b, "  %-20s %-18s %-8s %s%s\n", keys[0] ? keys : "(unbound)",
		   ai->name, act_scope_names[ai->scope], ai->help,
		   ai->mutating && a->readonly ? " [disabled: read-only]" : "");
}

/* Global actions a view answers: filter only where it filters. */
static int global_for(const struct view *of, int act)
{
	return act_table[act].scope == SCOPE_GLOBAL &&
	       (act != ACT_FILTER || !of || of->cls->filter);
}

struct view *view_help_new(struct app *a, const struct view *of)
{
	struct view_text *x = text_alloc(a, "help", TEXT_PLAIN);
	enum act_scope sc = of ? of->cls->scope : SCOPE_GLOBAL;
	const enum act *own = of && of->cls->acts ? of->cls->acts((struct view *)of) : NULL;
	struct buf b = BUF_INIT;

	x->super.cls = &help_class;
	buf_printf(&b, "Keys of the %s view (remap in $XDG_CONFIG_HOME/kdeck/keys.conf)\n\n",
		   of ? of->title : "current");
	buf_printf(&b, "  %-20s %-18s %-8s %s\n", "KEY", "ACTION", "SCOPE", "WHAT");
	for (size_t i = 0; own && own[i] != ACT_NONE; i++)
		help_line(a, &b, own[i]);
	for (int act = 0; !own && act < ACT__COUNT; act++)
		if (act_table[act].scope == sc && sc != SCOPE_GLOBAL)
			help_line(a, &b, (enum act)act);
	for (int act = 0; act < ACT__COUNT && sc != SCOPE_SHELL; act++)
		if (global_for(of, act))
			help_line(a, &b, (enum act)act);
	if (sc == SCOPE_SHELL) {
		buf_adds(&b, "\nEvery other key goes to the process in the container.\n");
		view_text_set(&x->super, buf_cstr(&b));
		buf_free(&b);
		return &x->super;
	}
	buf_adds(&b, "\nCommands: :<kind> [ns]  :ns [name|all]  :ctx [name]  :events  :theme NAME  :help  :q\n"
		     "          :overview (:ov)  :helm (:releases; enter/h history, v values, m manifest, n notes)\n"
		     "          :who VERB RESOURCE [NS]  :can [u:USER|g:GROUP|s:NS/SA]\n"
		     "Filters:  /text (regex)  /!text (inverse)  /-l app=web (labels)  /-f metadata.name=x\n");
	view_text_set(&x->super, buf_cstr(&b));
	buf_free(&b);
	return &x->super;
}
