/* SPDX-License-Identifier: Apache-2.0 */
/*
 * view_lines: a list of lines rebuilt from watched objects.
 *
 * The overview, helm releases, who-can and the container picker are all
 * "watch some kinds, build lines, act on the selected line".  A struct
 * lines_spec says which kinds (full objects, through an objset: the
 * source's watch caches, shared with table views of the same kind), the
 * pure builder and a key handler.  A change is a rebuild at the next
 * draw, coalesced (objset_due); nothing is re-listed on a timer.  The
 * current objects are handed to the key handler (helm decodes the
 * selected release from them).  Lines without a plural and arg are
 * headings: the cursor skips them.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <curses.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/mem.h"
#include "tui/tui.h"

struct view_lines {
	struct view super;
	struct lines_spec spec;
	struct vec lines;	/* struct ui_line * */
	size_t sel, top;
	struct objset set;
	int loaded;
};

static const struct view_class lines_class;

struct ui_line *ui_line_new(int style, const char *plural, const char *ns,
			    const char *name, const char *arg,
			    const char *fmt, ...)
{
	struct ui_line *l = xcalloc(1, sizeof(*l));
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	l->text = buf_take(&b);
	l->style = style;
	l->plural = plural ? xstrdup(plural) : NULL;
	l->ns = ns ? xstrdup(ns) : NULL;
	l->name = name ? xstrdup(name) : NULL;
	l->arg = arg ? xstrdup(arg) : NULL;
	return l;
}

void ui_line_free(void *p)
{
	struct ui_line *l = p;

	if (!l)
		return;
	free(l->text);
	free(l->plural);
	free(l->ns);
	free(l->name);
	free(l->arg);
	free(l);
}

static int selectable(const struct ui_line *l)
{
	return l->plural || l->arg || l->name;
}

/* Move the cursor by dir to the next selectable line (stays if none). */
static void step(struct view_lines *l, int dir)
{
	size_t i = l->sel;

	while (dir < 0 ? i > 0 : i + 1 < l->lines.len) {
		i = dir < 0 ? i - 1 : i + 1;
		if (selectable(l->lines.items[i])) {
			l->sel = i;
			return;
		}
	}
}

/* Rebuild from the current objects; the cursor stays on the same text. */
static void rebuild(struct view_lines *l)
{
	const struct ui_line *old = l->sel < l->lines.len ? l->lines.items[l->sel] : NULL;
	char *keep = old ? xstrdup(old->text) : NULL;

	vec_free(&l->lines, ui_line_free);
	l->spec.build(l->spec.ctx, l->set.objs, l->set.errs, &l->lines);
	l->sel = 0;
	for (size_t i = 0; keep && i < l->lines.len; i++)
		if (!strcmp(((struct ui_line *)l->lines.items[i])->text, keep))
			l->sel = i;
	for (size_t i = 0; !l->loaded && l->spec.select[0] && i < l->lines.len; i++) {
		const struct ui_line *ln = l->lines.items[i];

		if (ln->arg && !strcmp(ln->arg, l->spec.select))
			l->sel = i;
	}
	if (l->lines.len && !selectable(l->lines.items[l->sel]))
		step(l, 1);
	free(keep);
	l->loaded = 1;
}

/* Rebuild when the objects changed and every kind has listed. */
static void maybe_rebuild(struct view_lines *l)
{
	if (objset_due(&l->set, app_now_ms()) && objset_ensure(&l->set))
		rebuild(l);
}

struct view *view_lines_new(struct app *a, const struct lines_spec *spec)
{
	struct view_lines *l = xcalloc(1, sizeof(*l));

	l->super.cls = &lines_class;
	l->super.app = a;
	l->spec = *spec;
	snprintf(l->super.title, sizeof(l->super.title), "%s", spec->title);
	objset_init(&l->set, a->src);
	objset_watch(&l->set, l->spec.plurals, l->spec.ns);
	l->set.built_ms = app_now_ms() - OBJSET_COALESCE_MS;
	maybe_rebuild(l);
	return &l->super;
}

void view_lines_refresh(struct view *v)
{
	struct view_lines *l = (struct view_lines *)v;

	l->set.dirty = 1;
	l->set.built_ms = 0;
}

static void lines_free(struct view *v)
{
	struct view_lines *l = (struct view_lines *)v;

	objset_done(&l->set);
	vec_free(&l->lines, ui_line_free);
	if (l->spec.free)
		l->spec.free(l->spec.ctx);
	free(l);
}

static void lines_draw(struct view *v, struct app *a, int y0, int h, int w)
{
	struct view_lines *l = (struct view_lines *)v;
	int y = y0, body;

	maybe_rebuild(l);
	for (int i = 0; i < h; i++)
		draw_fill(y0 + i, 0, w, a->attrs[TS_DEFAULT]);
	if (!l->loaded)
		draw_text(y++, 1, "loading...", w - 1, a->attrs[TS_SPINNER], 0);
	if (l->spec.header[0])
		draw_text(y++, 1, l->spec.header, w - 1, a->attrs[TS_TABLE_HEADER], 1);
	body = h - (y - y0);
	if (body < 1)
		return;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + (size_t)body)
		l->top = l->sel - (size_t)body + 1;
	for (int i = 0; i < body && l->top + (size_t)i < l->lines.len; i++) {
		size_t li = l->top + (size_t)i;
		const struct ui_line *ln = l->lines.items[li];
		int slot = li == l->sel && selectable(ln) ? TS_ROW_SELECTED : ln->style;

		draw_text(y + i, 1, ln->text, w - 1, a->attrs[slot], li == l->sel);
	}
}

static enum view_rc lines_key(struct view *v, struct app *a, enum act act, int key)
{
	struct view_lines *l = (struct view_lines *)v;
	const struct ui_line *sel = l->sel < l->lines.len ? l->lines.items[l->sel] : NULL;
	enum view_rc rc;

	switch (act) {
	case ACT_UP: step(l, -1); return VIEW_HANDLED;
	case ACT_DOWN: step(l, 1); return VIEW_HANDLED;
	case ACT_PGUP: for (int i = 0; i < 10; i++) step(l, -1); return VIEW_HANDLED;
	case ACT_PGDN: for (int i = 0; i < 10; i++) step(l, 1); return VIEW_HANDLED;
	case ACT_TOP: l->sel = 0; step(l, 1); step(l, -1); return VIEW_HANDLED;
	case ACT_BOTTOM: l->sel = l->lines.len ? l->lines.len - 1 : 0; step(l, -1); step(l, 1);
		return VIEW_HANDLED;
	case ACT_BACK: return VIEW_CLOSE;
	default: break;
	}
	if (sel && !selectable(sel))
		sel = NULL;
	objset_ensure(&l->set);
	rc = l->spec.key ? l->spec.key(l->spec.ctx, a, v, sel, l->set.objs, act, key)
		: VIEW_IGNORED;
	return rc;
}

static void lines_click(struct view *v, struct app *a, int row, int wheel)
{
	struct view_lines *l = (struct view_lines *)v;
	size_t first = (size_t)(!l->loaded) + (size_t)(l->spec.header[0] != '\0');

	if (wheel)
		step(l, wheel);
	else if (row >= (int)first && l->top + (size_t)row - first < l->lines.len &&
		 selectable(l->lines.items[l->top + (size_t)row - first]))
		l->sel = l->top + (size_t)row - first;
}

static void lines_ns_changed(struct view *v, struct app *a)
{
	struct view_lines *l = (struct view_lines *)v;

	if (!l->spec.follow_ns)
		return;
	snprintf(l->spec.ns, sizeof(l->spec.ns), "%s", a->ns);
	objset_watch(&l->set, l->spec.plurals, l->spec.ns);
}

static const enum act lines_none[] = { ACT_NONE };

static const enum act *lines_acts(struct view *v)
{
	struct view_lines *l = (struct view_lines *)v;

	return l->spec.acts ? l->spec.acts : lines_none;
}

static const struct view_class lines_class = {
	.name = "list", .scope = SCOPE_LIST, .draw = lines_draw, .key = lines_key,
	.click = lines_click, .ns_changed = lines_ns_changed, .free = lines_free,
	.acts = lines_acts,
};
