/* SPDX-License-Identifier: Apache-2.0 */
/*
 * view_logs: the log of one pod's container.
 *
 * Lines live in a ring of app->log_cap entries (config `log_lines`), so a
 * chatty container costs bounded memory: the oldest lines fall off.  The
 * view asks the source for the log tail when opened and, while following
 * and not paused, again every second (the source answers asynchronously;
 * a streaming source can deliver the same text).  Keys: f follow
 * (auto-scroll), p pause, w wrap, t timestamps, c container, ctrl-s save
 * to ./kdeck-<pod>-<container>.log, / search with n/N.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "tui/tui.h"

struct view_logs {
	struct view super;
	struct kind_info *k;
	char ns[128], name[256], container[128];
	char **ring;
	size_t cap, start, len;
	size_t top;			/* first shown line (ring index order) */
	int follow, paused, wrap, stamps, inflight;
	long next_fetch;		/* ms clock */
	struct filter *search;
	char stext[256];
	int *alive;			/* cleared on free; shared with requests */
};

static const struct view_class logs_class;

static struct view_logs *vl_of(struct view *v)
{
	return (struct view_logs *)v;
}

static const char *line_at(const struct view_logs *l, size_t i)
{
	return l->ring[(l->start + i) % l->cap];
}

static void ring_clear(struct view_logs *l)
{
	for (size_t i = 0; i < l->len; i++)
		free(l->ring[(l->start + i) % l->cap]);
	l->start = l->len = 0;
}

/* Append one line; past the cap the oldest line is dropped. */
static void ring_push(struct view_logs *l, const char *s, size_t n)
{
	if (l->len == l->cap) {
		free(l->ring[l->start]);
		l->start = (l->start + 1) % l->cap;
		l->len--;
		if (l->top)
			l->top--;
	}
	l->ring[(l->start + l->len++) % l->cap] = xstrndup(s, n);
}

struct logs_req {
	struct view_logs *l;
	int *alive;
};

static void got_logs(void *arg, const struct err *e, const char *text)
{
	struct logs_req *r = arg;
	struct view_logs *l = r->l;

	if (!*r->alive) {		/* the view was closed meanwhile */
		if (--r->alive[1] == 0)
			free(r->alive);
		free(r);
		return;
	}
	r->alive[1]--;
	free(r);
	l->inflight = 0;
	if (e->code != ERR_OK) {
		app_flash_err(l->super.app, e);
		return;
	}
	if (l->paused)
		return;
	ring_clear(l);
	while (text && *text) {
		size_t n = strcspn(text, "\n");

		ring_push(l, text, n);
		text += n + (text[n] == '\n');
	}
}

static void fetch(struct view_logs *l)
{
	struct app *a = l->super.app;
	struct logs_req *r = xcalloc(1, sizeof(*r));
	char arg[160];

	r->l = l;
	r->alive = l->alive;
	l->alive[1]++;
	l->inflight = 1;
	l->next_fetch = app_now_ms() + 1000;
	snprintf(arg, sizeof(arg), "%s%s", l->container, l->stamps ? "@timestamps" : "");
	a->src->ops->get(a->src, SRC_GET_LOGS, l->k, l->ns, l->name, arg, got_logs, r);
}

struct view *view_logs_new(struct app *a, const struct kind_info *k,
			   const char *ns, const char *name)
{
	struct view_logs *l = xcalloc(1, sizeof(*l));

	l->super.cls = &logs_class;
	l->super.app = a;
	l->k = kind_info_new(k->plural, k->singular, k->kind, k->group,
			     k->shorts, k->namespaced, k->scalable);
	snprintf(l->ns, sizeof(l->ns), "%s", ns);
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->super.title, sizeof(l->super.title), "logs %s", name);
	l->cap = a->log_cap ? a->log_cap : 5000;
	l->ring = xcalloc(l->cap, sizeof(char *));
	l->follow = 1;
	l->alive = xcalloc(2, sizeof(int));	/* [0] alive, [1] requests */
	l->alive[0] = 1;
	fetch(l);
	return &l->super;
}

static void vl_free(struct view *v)
{
	struct view_logs *l = vl_of(v);

	ring_clear(l);
	free(l->ring);
	l->alive[0] = 0;
	if (!l->alive[1])
		free(l->alive);
	filter_free(l->search);
	kind_info_free(l->k);
	free(l);
}

static int matches(const struct view_logs *l, size_t i)
{
	const char *s = line_at(l, i);

	return l->search && filter_match(l->search, &s, 1, NULL, NULL, NULL);
}

static void status_line(struct view_logs *l, struct app *a, int y, int w)
{
	char st[512];

	snprintf(st, sizeof(st), " %s/%s%s%s  [%zu/%zu lines]  follow:%s pause:%s wrap:%s timestamps:%s",
		 l->ns, l->name, l->container[0] ? " -c " : "", l->container, l->len,
		 l->cap, l->follow ? "on" : "off", l->paused ? "on" : "off",
		 l->wrap ? "on" : "off", l->stamps ? "on" : "off");
	draw_text(y, 0, st, w, a->attrs[TS_HEADER_VALUE], 1);
}

static void vl_draw(struct view *v, struct app *a, int y0, int h, int w)
{
	struct view_logs *l = vl_of(v);
	int y = y0 + 1;

	if (!l->paused && l->follow && !l->inflight && app_now_ms() >= l->next_fetch)
		fetch(l);
	status_line(l, a, y0, w);
	if (l->follow)
		l->top = l->len > (size_t)(h - 1) ? l->len - (size_t)(h - 1) : 0;
	for (size_t i = l->top; i < l->len && y < y0 + h; i++) {
		const char *s = line_at(l, i);
		int attr = a->attrs[matches(l, i) ? TS_MATCH : TS_ROW];

		do {
			size_t n;

			draw_text_ex(y++, 0, s, w, attr, 1, &n);
			s += n ? n : strlen(s);
		} while (l->wrap && *s && y < y0 + h);
	}
	for (; y < y0 + h; y++)
		draw_fill(y, 0, w, a->attrs[TS_DEFAULT]);
}

static void save(struct view_logs *l, struct app *a)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "kdeck-%s-%s.log", l->name,
		 l->container[0] ? l->container : "default");
	fp = fopen(path, "we");
	if (!fp) {
		app_flash(a, 1, "save: cannot write %s", path);
		return;
	}
	for (size_t i = 0; i < l->len; i++)
		fprintf(fp, "%s\n", line_at(l, i));
	fclose(fp);
	app_flash(a, 0, "saved %zu lines to %s", l->len, path);
}

static void jump(struct view_logs *l, struct app *a, int dir)
{
	for (size_t k = 1; l->search && k <= l->len; k++) {
		size_t i = (l->top + l->len + (size_t)dir * k) % l->len;

		if (matches(l, i)) {
			l->top = i;
			l->follow = 0;
			return;
		}
	}
	app_flash(a, 1, "pattern not found: %s", l->stext);
}

static enum view_rc vl_key(struct view *v, struct app *a, enum act act, int key)
{
	struct view_logs *l = vl_of(v);

	switch (act) {
	case ACT_UP: l->follow = 0; if (l->top) l->top--; break;
	case ACT_DOWN: if (l->top + 1 < l->len) l->top++; break;
	case ACT_TOP: l->follow = 0; l->top = 0; break;
	case ACT_BOTTOM: case ACT_FOLLOW: l->follow = !l->follow || act == ACT_BOTTOM; break;
	case ACT_PAUSE: l->paused = !l->paused; break;
	case ACT_WRAP: l->wrap = !l->wrap; break;
	case ACT_TIMESTAMPS: l->stamps = !l->stamps; fetch(l); break;
	case ACT_SAVE: save(l, a); break;
	case ACT_CONTAINER: app_modal(a, MODAL_CONTAINER, v, l->container); break;
	case ACT_FILTER: app_modal(a, MODAL_SEARCH, v, l->stext); break;
	case ACT_NEXT_MATCH: jump(l, a, 1); break;
	case ACT_PREV_MATCH: jump(l, a, -1); break;
	case ACT_BACK: return VIEW_CLOSE;
	default: return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

/* The `/` prompt searches; the container prompt (same hook) re-fetches. */
static void vl_filter(struct view *v, struct app *a, const char *text)
{
	struct view_logs *l = vl_of(v);
	struct filter *f = NULL;
	struct err e;

	if (!text)
		return;
	if (a->last_modal == MODAL_CONTAINER) {
		snprintf(l->container, sizeof(l->container), "%s", text);
		fetch(l);
		return;
	}
	if (filter_parse(text, &f, &e) < 0) {
		app_flash_err(a, &e);
		return;
	}
	filter_free(l->search);
	l->search = text[0] ? f : NULL;
	if (!text[0])
		filter_free(f);
	snprintf(l->stext, sizeof(l->stext), "%s", text);
	if (l->search)
		jump(l, a, 1);
}

static void vl_click(struct view *v, struct app *a, int row, int wheel)
{
	vl_key(v, a, wheel < 0 ? ACT_UP : wheel > 0 ? ACT_DOWN : ACT_NONE, 0);
}

static const struct view_class logs_class = {
	.name = "logs", .scope = SCOPE_LOGS, .draw = vl_draw, .key = vl_key,
	.click = vl_click, .filter = vl_filter, .free = vl_free,
};
