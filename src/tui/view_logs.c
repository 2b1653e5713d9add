/* SPDX-License-Identifier: Apache-2.0 */
/*
 * view_logs: the log of one pod's container.
 *
 * Lines live in a ring of app->log_cap entries (config `log_lines`), so a
 * chatty container costs bounded memory: the oldest lines fall off.  With
 * a source that can stream (the client: `pods/log?follow=true`) the view
 * opens one stream with the last LOG_TAIL lines and appends what arrives;
 * when the stream ends (the container stopped or restarted, the
 * connection dropped) it reconnects every LOG_RETRY_MS with sinceTime
 * set to when it ended, so nothing is shown twice.  Other sources are
 * asked for the tail when opened and, while following, every second.
 * Keys: f follow (auto-scroll), p pause (the screen stops moving; lines
 * keep arriving), w wrap, t timestamps, c container, ctrl-s save to
 * ./kdeck-<pod>-<container>.log, / search with n/N.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/ktime.h"
#include "common/mem.h"
#include "tui/tui.h"

#define LOG_TAIL 500
#define LOG_RETRY_MS 3000

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
	void *stream;			/* the source's follow handle, or NULL */
	struct buf partial;		/* streamed text after the last newline */
	char since[KTIME_STR_MAX];	/* reconnect from here ("" = tail) */
	long retry_at;			/* ms clock; 0 = not waiting */
	int stream_err;			/* last end was an error (flashed once) */
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

/* Streamed text: complete lines go to the ring, the rest waits. */
static void on_stream_data(void *arg, const char *text, size_t n)
{
	struct view_logs *l = arg;
	const char *nl;

	while (n && (nl = memchr(text, '\n', n))) {
		size_t k = (size_t)(nl - text);

		if (l->partial.len) {
			buf_add(&l->partial, text, k);
			ring_push(l, l->partial.data, l->partial.len);
			buf_reset(&l->partial);
		} else {
			ring_push(l, text, k);
		}
		n -= k + 1;
		text = nl + 1;
	}
	if (n)
		buf_add(&l->partial, text, n);
}

static void on_stream_end(void *arg, const struct err *e, const char *text)
{
	struct view_logs *l = arg;
	struct ktime now = ktime_now();

	(void)text;
	l->stream = NULL;
	if (l->partial.len) {
		ring_push(l, l->partial.data, l->partial.len);
		buf_reset(&l->partial);
	}
	ktime_format(&now, l->since);
	l->retry_at = app_now_ms() + LOG_RETRY_MS;
	if (e->code != ERR_OK && !l->stream_err)
		app_flash_err(l->super.app, e);
	l->stream_err = e->code != ERR_OK;
}

/* (Re)open the stream: from since when set, else the last LOG_TAIL lines. */
static void stream_open(struct view_logs *l)
{
	struct app *a = l->super.app;

	l->retry_at = 0;
	l->stream = a->src->ops->logs_follow(a->src, l->k, l->ns, l->name,
					     l->container, l->stamps,
					     l->since[0] ? -1 : LOG_TAIL,
					     l->since[0] ? l->since : NULL,
					     on_stream_data, on_stream_end, l);
}

/* Start over: new container or timestamps setting. */
static void restart(struct view_logs *l)
{
	struct app *a = l->super.app;

	if (!a->src->ops->logs_follow) {
		fetch(l);
		return;
	}
	if (l->stream)
		a->src->ops->logs_stop(a->src, l->stream);
	l->stream = NULL;
	ring_clear(l);
	buf_reset(&l->partial);
	l->since[0] = '\0';
	l->stream_err = 0;
	stream_open(l);
}

struct view *view_logs_new(struct app *a, const struct kind_info *k,
			   const char *ns, const char *name)
{
	return view_logs_open(a, k, ns, name, NULL);
}

struct view *view_logs_open(struct app *a, const struct kind_info *k,
			    const char *ns, const char *name, const char *container)
{
	struct view_logs *l = xcalloc(1, sizeof(*l));

	l->super.cls = &logs_class;
	l->super.app = a;
	l->k = kind_info_new(k->plural, k->singular, k->kind, k->group,
			     k->shorts, k->namespaced, k->scalable);
	snprintf(l->ns, sizeof(l->ns), "%s", ns);
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->container, sizeof(l->container), "%s", container ? container : "");
	snprintf(l->super.title, sizeof(l->super.title), "logs %s", name);
	l->cap = a->log_cap ? a->log_cap : 5000;
	l->ring = xcalloc(l->cap, sizeof(char *));
	l->follow = 1;
	l->alive = xcalloc(2, sizeof(int));	/* [0] alive, [1] requests */
	l->alive[0] = 1;
	buf_init(&l->partial);
	restart(l);
	return &l->super;
}

static void vl_free(struct view *v)
{
	struct view_logs *l = vl_of(v);
	struct app *a = l->super.app;

	if (l->stream)
		a->src->ops->logs_stop(a->src, l->stream);
	buf_free(&l->partial);
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

	snprintf(st, sizeof(st), " %s/%s%s%s  [%zu/%zu lines]  follow:%s pause:%s wrap:%s timestamps:%s%s",
		 l->ns, l->name, l->container[0] ? " -c " : "", l->container, l->len,
		 l->cap, l->follow ? "on" : "off", l->paused ? "on" : "off",
		 l->wrap ? "on" : "off", l->stamps ? "on" : "off",
		 a->src->ops->logs_follow ?
			 (l->stream ? "  streaming" : "  stream ended, reconnecting") : "");
	draw_text(y, 0, st, w, a->attrs[TS_HEADER_VALUE], 1);
}

static void vl_draw(struct view *v, struct app *a, int y0, int h, int w)
{
	struct view_logs *l = vl_of(v);
	int y = y0 + 1;

	if (!a->src->ops->logs_follow && !l->paused && l->follow &&
	    !l->inflight && app_now_ms() >= l->next_fetch)
		fetch(l);
	if (a->src->ops->logs_follow && !l->stream && l->retry_at &&
	    app_now_ms() >= l->retry_at)
		stream_open(l);
	status_line(l, a, y0, w);
	if (l->follow && !l->paused)
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

struct logs_pick {
	struct view_logs *l;
	int *alive;
};

/* The picker's answer; the view may have closed while the pod was read. */
static void picked(struct app *a, void *arg, const char *container)
{
	struct logs_pick *p = arg;

	(void)a;
	if (!p->alive[0]) {
		if (--p->alive[1] == 0)
			free(p->alive);
		free(p);
		return;
	}
	p->alive[1]--;
	if (container && strcmp(container, p->l->container)) {
		snprintf(p->l->container, sizeof(p->l->container), "%s", container);
		restart(p->l);
	}
	free(p);
}

/* `c`: the container picker over the pod as it is now. */
static void pick_container(struct view_logs *l, struct app *a)
{
	struct logs_pick *p = xcalloc(1, sizeof(*p));

	p->l = l;
	p->alive = l->alive;
	l->alive[1]++;
	picker_open_pod(a, l->ns, l->name, picked, p);
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
	case ACT_TIMESTAMPS: l->stamps = !l->stamps; restart(l); break;
	case ACT_SAVE: save(l, a); break;
	case ACT_CONTAINER: pick_container(l, a); break;
	case ACT_FILTER: app_modal(a, MODAL_SEARCH, v, l->stext); break;
	case ACT_NEXT_MATCH: jump(l, a, 1); break;
	case ACT_PREV_MATCH: jump(l, a, -1); break;
	case ACT_BACK: return VIEW_CLOSE;
	default: return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

/* The `/` prompt searches. */
static void vl_filter(struct view *v, struct app *a, const char *text)
{
	struct view_logs *l = vl_of(v);
	struct filter *f = NULL;
	struct err e;

	if (!text)
		return;
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
