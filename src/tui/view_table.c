/* SPDX-License-Identifier: Apache-2.0 */
/*
 * view_table: the resource table of any kind.
 *
 * The columns are whatever the source says (the server's Table columns
 * for the client; the fixture's list), so a plain kind needs no code: the
 * view is a watch feeding a table model, plus the actions table in
 * keymap.c.  All-namespaces listings of namespaced kinds get a NAMESPACE
 * column in front, as kubectl prints them.  The selection follows the
 * selected object (by namespace/name) across updates, sorts and filters.
 * Row colours come from the STATUS column (a word table below).
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/mem.h"
#include "tui/tui.h"

struct view_table {
	struct view super;
	struct kind_info *k;		/* own copy: sources may reload kinds */
	struct tm *m;
	struct src_watch *w;
	size_t sel, top;
	int col;			/* cursor column (sort by column) */
	int wide, loading, failed, all_ns, resel;
	struct err err;
	struct filter *f;
	char ftext[256];
	char sel_ns[128], sel_name[256];
};

static const struct { const char *word; enum theme_slot slot; } status_words[] = {
	{ "Running", TS_STATUS_OK }, { "Completed", TS_STATUS_OK },
	{ "Active", TS_STATUS_OK }, { "Bound", TS_STATUS_OK },
	{ "Ready", TS_STATUS_OK }, { "Succeeded", TS_STATUS_OK },
	{ "Pending", TS_STATUS_WARN }, { "ContainerCreating", TS_STATUS_WARN },
	{ "Terminating", TS_STATUS_WARN }, { "NotReady", TS_STATUS_BAD },
	{ "Error", TS_STATUS_BAD }, { "CrashLoopBackOff", TS_STATUS_BAD },
	{ "Failed", TS_STATUS_BAD }, { "ImagePullBackOff", TS_STATUS_BAD },
	{ "ErrImagePull", TS_STATUS_BAD }, { "OOMKilled", TS_STATUS_BAD },
	{ "Evicted", TS_STATUS_BAD }, { "Warning", TS_STATUS_WARN },
};

static const struct view_class table_class;

static struct view_table *vt_of(struct view *v)
{
	return (struct view_table *)v;
}

const struct kind_info *view_table_kind(const struct view *v)
{
	return v->cls == &table_class ? ((const struct view_table *)v)->k : NULL;
}

const struct tm_row *view_table_selected(struct view *v)
{
	struct view_table *t;

	if (v->cls != &table_class)
		return NULL;
	t = vt_of(v);
	return tm_visible(t->m, t->sel);
}

int view_table_ready(struct view *v, size_t *rows)
{
	struct view_table *t;

	if (!v || v->cls != &table_class)
		return 0;
	t = vt_of(v);
	if (t->loading || t->failed)
		return 0;
	*rows = tm_nvisible(t->m);
	return 1;
}

void view_table_marked(struct view *v, struct vec *out)
{
	if (v->cls == &table_class)
		tm_marked(vt_of(v)->m, out);
}

int view_table_col(struct view *v, const char *name)
{
	return v->cls == &table_class ? tm_col_find(vt_of(v)->m, name) : -1;
}

static void remember_sel(struct view_table *t)
{
	const struct tm_row *r = tm_visible(t->m, t->sel);

	if (r) {
		snprintf(t->sel_ns, sizeof(t->sel_ns), "%s", r->ns);
		snprintf(t->sel_name, sizeof(t->sel_name), "%s", r->name);
	}
}

static void restore_sel(struct view_table *t)
{
	long i = tm_find_visible(t->m, t->sel_ns, t->sel_name);
	size_t n = tm_nvisible(t->m);

	if (i >= 0)
		t->sel = (size_t)i;
	else if (t->sel >= n)
		t->sel = n ? n - 1 : 0;
}

static void on_columns(struct view_table *t, const struct src_row *row)
{
	const char *cols[72];
	size_t n = 0;
	int sort = tm_sort_col(t->m), desc = tm_sort_desc(t->m);
	char sortname[64] = "";

	if (sort >= 0)
		snprintf(sortname, sizeof(sortname), "%s", tm_col(t->m, (size_t)sort)->name);
	if (t->all_ns)
		cols[n++] = "NAMESPACE";
	for (size_t i = 0; i < row->ncells && n < 72; i++)
		cols[n++] = row->cells[i];
	tm_free(t->m);
	t->m = tm_new(cols, n);
	tm_set_filter(t->m, t->f);
	if (sortname[0])
		tm_set_sort(t->m, tm_col_find(t->m, sortname), desc);
	if ((size_t)t->col >= n)
		t->col = 0;
}

static void on_row(struct view_table *t, const struct src_row *row)
{
	const char *cells[72] = { NULL };
	size_t n = 0;

	if (t->all_ns)
		cells[n++] = row->ns;
	for (size_t i = 0; i < row->ncells && n < 72; i++)
		cells[n++] = row->cells[i];
	tm_upsert(t->m, row->ns, row->name, cells, row->labels);
}

/* Watch callback: runs in src drain on the UI thread. */
static void on_event(void *arg, enum src_event ev, const struct src_row *row,
		     const struct err *e)
{
	struct view_table *t = arg;

	/* The selection is restored by name at the next draw: doing it here
	 * would re-sort the model once per row of a list. */
	t->resel = 1;
	switch (ev) {
	case SRC_COLUMNS: on_columns(t, row); break;
	case SRC_ROW_SET: on_row(t, row); break;
	case SRC_ROW_DEL: tm_remove(t->m, row->ns, row->name); break;
	case SRC_RELIST: tm_clear(t->m); t->loading = 1; break;
	case SRC_SYNCED: t->loading = 0; t->failed = 0; break;
	case SRC_FAILED:
		t->loading = 0;
		t->failed = 1;
		err_copy(&t->err, e);
		break;
	}
}

static void rewatch(struct view_table *t, struct app *a)
{
	if (t->w)
		a->src->ops->unwatch(a->src, t->w);
	t->all_ns = t->k->namespaced && !a->ns[0];
	t->loading = 1;
	t->failed = 0;
	t->w = a->src->ops->watch(a->src, t->k, a->ns, t->wide, on_event, t);
	snprintf(t->super.title, sizeof(t->super.title), "%s", t->k->plural);
}

struct view *view_table_new(struct app *a, const struct kind_info *k)
{
	struct view_table *t = xcalloc(1, sizeof(*t));

	t->super.cls = &table_class;
	t->k = kind_info_new(k->plural, k->singular, k->kind, k->group,
			     k->shorts, k->namespaced, k->scalable);
	t->m = tm_new(NULL, 0);
	rewatch(t, a);
	return &t->super;
}

static void vt_free(struct view *v)
{
	struct view_table *t = vt_of(v);

	if (t->w)
		v->app->src->ops->unwatch(v->app->src, t->w);
	tm_free(t->m);
	filter_free(t->f);
	kind_info_free(t->k);
	free(t);
}

static void vt_ns_changed(struct view *v, struct app *a)
{
	rewatch(vt_of(v), a);
}

/* ---------------------------------------------------------------- draw */

static int row_slot(const struct view_table *t, const struct tm_row *r)
{
	int c = tm_col_find(t->m, "STATUS");

	if (c < 0)
		c = tm_col_find(t->m, "TYPE");	/* events: Normal/Warning */
	if (c >= 0)
		for (size_t i = 0; i < sizeof(status_words) / sizeof(status_words[0]); i++)
			if (!strcmp(r->cells[c], status_words[i].word))
				return status_words[i].slot;
	return TS_ROW;
}

static void draw_title(struct view_table *t, struct app *a, int y, int w)
{
	static const char spin[] = "|/-\\";
	char title[512];
	int tw;

	snprintf(title, sizeof(title), " %s(%s)[%zu] %s%s%s%s", t->k->plural,
		 t->k->namespaced ? (a->ns[0] ? a->ns : "all") : "-",
		 tm_nvisible(t->m), t->ftext[0] ? "</" : "", t->ftext,
		 t->ftext[0] ? "> " : "", tm_nmarked(t->m) ? "(marked) " : "");
	if (t->loading)
		snprintf(title + strlen(title), sizeof(title) - strlen(title),
			 "%c loading ", spin[a->tick % 4]);
	tw = draw_width(title);
	draw_fill(y, 0, w, a->attrs[TS_DEFAULT]);
	draw_text(y, tw < w ? (w - tw) / 2 : 0, title, w,
		  a->attrs[t->loading ? TS_SPINNER : TS_HEADER_VALUE], 0);
}

/* Column widths from the header and the rows on screen. */
static void widths(struct view_table *t, size_t first, size_t n, int *wd)
{
	size_t nc = tm_ncols(t->m);

	for (size_t c = 0; c < nc; c++)
		wd[c] = draw_width(tm_col(t->m, c)->name) + 2;
	for (size_t i = first; i < first + n; i++) {
		const struct tm_row *r = tm_visible(t->m, i);

		for (size_t c = 0; r && c < nc; c++) {
			int cw = draw_width(r->cells[c]);

			if (cw > 60)
				cw = 60;
			if (cw + 2 > wd[c])
				wd[c] = cw + 2;
		}
	}
}

static void draw_row(struct view_table *t, struct app *a, int y, int w,
		     const struct tm_row *r, const int *wd, int selected)
{
	int slot = selected ? TS_ROW_SELECTED : r->marked ? TS_ROW_MARKED : row_slot(t, r);
	int attr = a->attrs[slot], x = 1;

	draw_fill(y, 0, w, attr);
	for (size_t c = 0; c < tm_ncols(t->m) && x < w; c++) {
		draw_text(y, x, r->cells[c], wd[c] - 2 < w - x ? wd[c] - 2 : w - x, attr, 0);
		x += wd[c];
	}
}

static void draw_failure(struct view_table *t, struct app *a, int y, int w)
{
	char msg[1200];
	const char *what = t->err.code == ERR_FORBIDDEN ? "You may not list"
			 : t->err.code == ERR_UNAVAILABLE ? "Cannot reach the cluster to list"
			 : "Cannot list";

	snprintf(msg, sizeof(msg), "%s %s: %s", what, t->k->plural, t->err.msg);
	draw_text(y, 1, msg, w - 2, a->attrs[TS_ERROR], 0);
}

static void vt_draw(struct view *v, struct app *a, int y0, int h, int w)
{
	struct view_table *t = vt_of(v);
	size_t n = tm_nvisible(t->m), rows = h > 2 ? (size_t)h - 2 : 0;
	int wd[72], x = 1;

	for (int i = 0; i < h; i++)
		draw_fill(y0 + i, 0, w, a->attrs[TS_DEFAULT]);
	draw_title(t, a, y0, w);
	if (t->resel) {
		restore_sel(t);
		if (!t->sel_name[0])
			remember_sel(t);
		t->resel = 0;
	}
	if (t->sel >= n)
		t->sel = n ? n - 1 : 0;
	if (t->sel < t->top)
		t->top = t->sel;
	if (rows && t->sel >= t->top + rows)
		t->top = t->sel - rows + 1;
	widths(t, t->top, rows < n - t->top ? rows : n - t->top, wd);
	for (size_t c = 0; c < tm_ncols(t->m) && x < w; c++) {
		char head[96];
		int sorted = tm_sort_col(t->m) == (int)c;

		snprintf(head, sizeof(head), "%s%s", tm_col(t->m, c)->name,
			 sorted ? (tm_sort_desc(t->m) ? "↓" : "↑") : "");
		draw_text(y0 + 1, x, head, w - x, a->attrs[TS_TABLE_HEADER] |
			  ((int)c == t->col ? (int)A_UNDERLINE : 0), 0);
		x += wd[c];
	}
	if (t->failed && (!n || t->err.code != ERR_UNAVAILABLE)) {
		draw_failure(t, a, y0 + 2, w);
		return;
	}
	if (!n && !t->loading)
		draw_text(y0 + 2, 1, t->ftext[0] ? "no rows match the filter" : "no resources",
			  w - 2, a->attrs[TS_HINT], 0);
	for (size_t i = 0; i < rows && t->top + i < n; i++)
		draw_row(t, a, y0 + 2 + (int)i, w, tm_visible(t->m, t->top + i),
			 wd, t->top + i == t->sel);
}

/* ---------------------------------------------------------------- keys */

static void sort_by(struct view_table *t, int col)
{
	if (col < 0)
		return;
	if (tm_sort_col(t->m) == col)
		tm_set_sort(t->m, col, !tm_sort_desc(t->m));
	else
		tm_set_sort(t->m, col, 0);
}

static void vt_filter(struct view *v, struct app *a, const char *text)
{
	struct view_table *t = vt_of(v);
	struct filter *f = NULL;
	struct err e;

	if (!text)
		return;
	if (filter_parse(text, &f, &e) < 0) {
		app_flash_err(a, &e);
		return;
	}
	remember_sel(t);
	tm_set_filter(t->m, f);
	filter_free(t->f);
	t->f = f;
	snprintf(t->ftext, sizeof(t->ftext), "%s", text);
	restore_sel(t);
}

/* Enter on a namespace opens the kind below with that namespace. */
static enum view_rc enter(struct view_table *t, struct app *a)
{
	const struct tm_row *r = tm_visible(t->m, t->sel);

	if (!r)
		return VIEW_HANDLED;
	if (!strcmp(t->k->plural, "namespaces")) {
		char ns[256];

		snprintf(ns, sizeof(ns), "%s", r->name);
		if (a->views.len == 1)
			app_open_kind(a, "pods");
		else
			app_pop(a);
		app_set_ns(a, ns);
		return VIEW_HANDLED;
	}
	action_run(a, &t->super, ACT_DESCRIBE);
	return VIEW_HANDLED;
}

static enum view_rc move_sel(struct view_table *t, enum act act)
{
	size_t n = tm_nvisible(t->m), page = (size_t)(LINES > 10 ? LINES - 8 : 1);

	switch (act) {
	case ACT_UP: if (t->sel) t->sel--; break;
	case ACT_DOWN: if (t->sel + 1 < n) t->sel++; break;
	case ACT_PGUP: t->sel = t->sel > page ? t->sel - page : 0; break;
	case ACT_PGDN: t->sel = t->sel + page < n ? t->sel + page : (n ? n - 1 : 0); break;
	case ACT_TOP: t->sel = 0; break;
	case ACT_BOTTOM: t->sel = n ? n - 1 : 0; break;
	default: return VIEW_IGNORED;
	}
	remember_sel(t);
	return VIEW_HANDLED;
}

static enum view_rc vt_key(struct view *v, struct app *a, enum act act, int key)
{
	struct view_table *t = vt_of(v);
	const struct tm_row *r = tm_visible(t->m, t->sel);

	if (move_sel(t, act) == VIEW_HANDLED)
		return VIEW_HANDLED;
	remember_sel(t);
	switch (act) {
	case ACT_LEFT: if (t->col) t->col--; break;
	case ACT_RIGHT: if ((size_t)t->col + 1 < tm_ncols(t->m)) t->col++; break;
	case ACT_SORT_NAME: sort_by(t, tm_col_find(t->m, "NAME")); break;
	case ACT_SORT_AGE: sort_by(t, tm_col_find(t->m, "AGE")); break;
	case ACT_SORT_NS: sort_by(t, tm_col_find(t->m, "NAMESPACE")); break;
	case ACT_SORT_COLUMN: sort_by(t, t->col); break;
	case ACT_REVERSE: tm_set_sort(t->m, tm_sort_col(t->m), !tm_sort_desc(t->m)); break;
	case ACT_WIDE: t->wide = !t->wide; rewatch(t, a); break;
	case ACT_FILTER: app_modal(a, MODAL_FILTER, v, t->ftext); break;
	case ACT_MARK:
		if (r)
			tm_toggle_mark(t->m, r->ns, r->name);
		move_sel(t, ACT_DOWN);
		break;
	case ACT_CLEAR_MARKS: tm_clear_marks(t->m); break;
	case ACT_ENTER: return enter(t, a);
	case ACT_BACK:
		if (!t->ftext[0])
			return VIEW_IGNORED;
		vt_filter(v, a, "");	/* esc clears the filter first */
		break;
	case ACT_DESCRIBE: case ACT_YAML: case ACT_EDIT: case ACT_DELETE:
	case ACT_SCALE: case ACT_RESTART: case ACT_LOGS: case ACT_SHELL:
	case ACT_ATTACH: case ACT_PORT_FORWARD: case ACT_UNDO: case ACT_HISTORY:
	case ACT_XRAY:
		action_run(a, v, act);
		break;
	default:
		if (act >= ACT_NS_0 && act <= ACT_NS_9) {
			int i = act - ACT_NS_0;

			if (i == 0 || a->favs[i][0])
				app_set_ns(a, i ? a->favs[i] : "");
			break;
		}
		return VIEW_IGNORED;
	}
	restore_sel(t);
	return VIEW_HANDLED;
}

static void vt_click(struct view *v, struct app *a, int row, int wheel)
{
	struct view_table *t = vt_of(v);

	if (wheel) {
		for (int i = 0; i < 3; i++)
			move_sel(t, wheel > 0 ? ACT_DOWN : ACT_UP);
		return;
	}
	if (row >= 2 && t->top + (size_t)(row - 2) < tm_nvisible(t->m)) {
		t->sel = t->top + (size_t)(row - 2);
		remember_sel(t);
	}
}

static const struct view_class table_class = {
	.name = "table",
	.scope = SCOPE_TABLE,
	.draw = vt_draw,
	.key = vt_key,
	.ns_changed = vt_ns_changed,
	.click = vt_click,
	.filter = vt_filter,
	.free = vt_free,
};
