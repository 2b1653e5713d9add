/* SPDX-License-Identifier: Apache-2.0 */
/*
 * view_tree: the owner tree (`x` on a workload or service row).
 *
 * The tree itself comes from xray.c; this view watches what it needs and
 * draws it: the root's kind and the kinds under it (xray_needed) in the
 * root's namespace, as full objects through an objset (the source's
 * watch caches, shared with table views of the same kind).  After a
 * change the lines are rebuilt at the next draw, coalesced (the
 * selection stays on the same object when it is still there).  Kinds the
 * source does not know are skipped.  Enter or d on a line describes that
 * object; esc goes back.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/mem.h"
#include "tui/tui.h"

#define TREE_MAX_KINDS 4

struct view_tree {
	struct view super;
	struct kind_info *k;	/* the root's kind (owned copy) */
	char ns[128], name[256];
	struct vec lines;	/* struct xray_line * */
	size_t sel, top;
	struct objset set;
	int loaded;
	char err[256];
};

static const struct view_class tree_class;

/* What identifies a line across rebuilds: the object, or for a container
 * line its glyphs and name (the state after them changes). */
static void line_key(const struct xray_line *l, char *buf, size_t n)
{
	const char *c = strstr(l->text, "container "), *end = c ? strstr(c, "  ") : NULL;

	if (l->plural)
		snprintf(buf, n, "%s/%s/%s", l->plural, l->ns, l->name);
	else
		snprintf(buf, n, "-/%.*s", end ? (int)(end - l->text) : (int)strlen(l->text),
			 l->text);
}

/* Rebuild the lines from the current objects; keep the selected object. */
static void rebuild(struct view_tree *t)
{
	const cJSON *root = NULL, *o;
	struct xray_line *old = t->sel < t->lines.len ? t->lines.items[t->sel] : NULL;
	char keep[512] = "";

	if (old)
		line_key(old, keep, sizeof(keep));
	cJSON_ArrayForEach(o, cJSON_GetObjectItem(t->set.objs, t->k->plural))
		if (json_get_str(o, "metadata.name") &&
		    !strcmp(json_get_str(o, "metadata.name"), t->name))
			root = o;
	vec_free(&t->lines, xray_line_free);
	if (!root)
		snprintf(t->err, sizeof(t->err), "%s %s not found", t->k->singular, t->name);
	else
		xray_build(t->k->plural, root, t->set.objs, &t->lines);
	for (size_t i = 0; keep[0] && i < t->lines.len; i++) {
		struct xray_line *l = t->lines.items[i];
		char key[512];

		line_key(l, key, sizeof(key));
		if (!strcmp(key, keep))
			t->sel = i;
	}
	if (t->sel >= t->lines.len)
		t->sel = t->lines.len ? t->lines.len - 1 : 0;
	t->loaded = 1;
}

/* After changes (coalesced) and once every kind has listed: rebuild,
 * with the first failed list as the error line. */
static void tree_refresh(struct view_tree *t)
{
	const cJSON *err;

	if (!objset_due(&t->set, app_now_ms()) || !objset_ensure(&t->set))
		return;
	t->err[0] = '\0';
	cJSON_ArrayForEach(err, t->set.errs)
		if (!t->err[0])
			snprintf(t->err, sizeof(t->err), "%s: %s", err->string,
				 cJSON_GetStringValue(err));
	if (cJSON_GetObjectItem(t->set.objs, t->k->plural))
		rebuild(t);
}

struct view *view_tree_new(struct app *a, const struct kind_info *k,
			   const char *ns, const char *name)
{
	const char *plurals[TREE_MAX_KINDS + 2];
	struct view_tree *t;
	size_t n;

	if (!xray_supported(k->plural)) {
		app_flash(a, 1, "xray: %s have no owner tree (workloads and services do)",
			  k->plural);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->super.cls = &tree_class;
	t->super.app = a;
	t->k = kind_info_new(k->plural, k->singular, k->kind, k->group, k->shorts,
			     k->namespaced, k->scalable);
	snprintf(t->ns, sizeof(t->ns), "%s", ns ? ns : "");
	snprintf(t->name, sizeof(t->name), "%s", name);
	snprintf(t->super.title, sizeof(t->super.title), "xray %s/%s",
		 k->singular, name);
	plurals[0] = t->k->plural;
	n = xray_needed(t->k->plural, plurals + 1, TREE_MAX_KINDS);
	plurals[n + 1] = NULL;
	objset_init(&t->set, a->src);
	objset_watch(&t->set, plurals, t->ns);
	tree_refresh(t);
	return &t->super;
}

static void tree_free(struct view *v)
{
	struct view_tree *t = (struct view_tree *)v;

	objset_done(&t->set);
	vec_free(&t->lines, xray_line_free);
	kind_info_free(t->k);
	free(t);
}

static void tree_draw(struct view *v, struct app *a, int y0, int h, int w)
{
	struct view_tree *t = (struct view_tree *)v;
	char title[400];

	tree_refresh(t);
	for (int i = 0; i < h; i++)
		draw_fill(y0 + i, 0, w, a->attrs[TS_DEFAULT]);
	snprintf(title, sizeof(title), " xray %s/%s (%s) %s", t->k->singular, t->name,
		 t->ns[0] ? t->ns : "-", t->loaded ? "" : "loading ");
	draw_text(y0, 1, title, w - 1, a->attrs[TS_HEADER_VALUE], 0);
	if (t->err[0])
		draw_text(y0 + 1, 1, t->err, w - 1, a->attrs[TS_ERROR], 0);
	if (h < 3)
		return;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + (size_t)(h - 2))
		t->top = t->sel - (size_t)(h - 3);
	for (int i = 0; i < h - 2; i++) {
		size_t li = t->top + (size_t)i;
		const struct xray_line *l;

		if (li >= t->lines.len)
			break;
		l = t->lines.items[li];
		draw_text(y0 + 2 + i, 1, l->text, w - 1,
			  a->attrs[li == t->sel ? TS_ROW_SELECTED : TS_ROW], li == t->sel);
	}
}

struct tree_desc {
	struct app *a;
	char title[300];
};

static void tree_describe(void *arg, const struct err *e, const char *text)
{
	struct tree_desc *d = arg;

	if (e->code != ERR_OK)
		app_flash_err(d->a, e);
	else
		app_push(d->a, view_text_new(d->a, d->title, text, TEXT_PLAIN));
	free(d);
}

/* Describe the object on the selected line (containers: their pod's). */
static void open_line(struct view_tree *t, struct app *a)
{
	const struct xray_line *l = NULL;
	const struct kind_info *k;
	struct tree_desc *d;

	for (size_t i = t->sel + 1; i-- > 0 && i < t->lines.len;) {
		l = t->lines.items[i];
		if (l->plural)
			break;
	}
	if (!l || !l->plural) {
		app_flash(a, 1, "nothing to describe");
		return;
	}
	k = src_kind(a->src, l->plural);
	if (!k) {
		app_flash(a, 1, "describe: %s unknown to this cluster", l->plural);
		return;
	}
	d = xcalloc(1, sizeof(*d));
	d->a = a;
	snprintf(d->title, sizeof(d->title), "describe %s", l->name);
	a->src->ops->get(a->src, SRC_GET_DESCRIBE, k, l->ns, l->name, NULL,
			 tree_describe, d);
}

static enum view_rc tree_key(struct view *v, struct app *a, enum act act, int key)
{
	struct view_tree *t = (struct view_tree *)v;
	size_t n = t->lines.len, page = (size_t)(LINES > 10 ? LINES - 8 : 1);

	(void)key;
	switch (act) {
	case ACT_UP: if (t->sel) t->sel--; break;
	case ACT_DOWN: if (t->sel + 1 < n) t->sel++; break;
	case ACT_PGUP: t->sel = t->sel > page ? t->sel - page : 0; break;
	case ACT_PGDN: t->sel = t->sel + page < n ? t->sel + page : (n ? n - 1 : 0); break;
	case ACT_TOP: t->sel = 0; break;
	case ACT_BOTTOM: t->sel = n ? n - 1 : 0; break;
	case ACT_ENTER: case ACT_DESCRIBE: open_line(t, a); break;
	case ACT_BACK: return VIEW_CLOSE;
	default: return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

static void tree_click(struct view *v, struct app *a, int row, int wheel)
{
	struct view_tree *t = (struct view_tree *)v;

	(void)a;
	if (wheel)
		tree_key(v, a, wheel > 0 ? ACT_DOWN : ACT_UP, 0);
	else if (row >= 2 && t->top + (size_t)(row - 2) < t->lines.len)
		t->sel = t->top + (size_t)(row - 2);
}

static const enum act tree_acts[] = { ACT_ENTER, ACT_DESCRIBE, ACT_NONE };

static const enum act *tree_acts_of(struct view *v)
{
	(void)v;
	return tree_acts;
}

static const struct view_class tree_class = {
	.name = "xray", .scope = SCOPE_LIST, .draw = tree_draw, .key = tree_key,
	.click = tree_click, .free = tree_free, .acts = tree_acts_of,
};
