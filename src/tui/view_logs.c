/* SPDX-License-Identifier: Apache-2.0 */
/*
 * view_logs: the log of one pod's container.
 *
 * Lines live in a ring of app->log_cap entries (config `log_lines`), so a
 * chatty container costs bounded memory: the oldest lines fall off.  With
 * a source that can stream (the client: `pods/log?follow=true`) the view
 * opens one stream with the last N lines (app->log_tail, config
 * `log_tail`, default 100 as k9s; T asks) and appends what arrives;
 * when the stream ends (the container stopped or restarted, the
 * connection dropped) it reconnects every LOG_RETRY_MS with sinceTime
 * set to when it ended, so nothing is shown twice.  Other sources are
 * asked for the tail when opened and, while following, every second.
 * Keys: f follow (auto-scroll), P pause (the screen stops moving; lines
 * keep arriving), w wrap, t timestamps, c container, p the previous
 * instance's log (previous=true; one read, no reconnect), T tail N,
 * 0 all lines, 1..5 only the last 1m/5m/15m/30m/1h (sinceTime), ctrl-s
 * save to ./kdeck-<pod>-<container>.log, / search with n/N.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/ktime.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/yaml.h"
#include "tui/tui.h"

#define LOGS_MAX_STREAMS 32	/* containers followed at once at most */

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
	struct log_set *set;		/* the streams (sources that stream) */
	struct log_opts o;		/* tail, since, previous, timestamps */
	int all;			/* every container of the pod */
	struct kind_info *wk;		/* a workload's pods (NULL: one pod) */
	unsigned gen;			/* bumped by restart: stale answers drop */
	int resolving;			/* containers / pods being read */
	char scratch[4096];		/* prefix + line */
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

/* A line of one of the streams, with its prefix ("" for one stream). */
static void on_line(void *arg, const char *prefix, const char *text, size_t n)
{
	struct view_logs *l = arg;
	size_t pn = strlen(prefix);

	if (!pn) {
		ring_push(l, text, n);
		return;
	}
	if (pn + n >= sizeof(l->scratch))
		n = sizeof(l->scratch) - pn - 1;
	memcpy(l->scratch, prefix, pn);
	memcpy(l->scratch + pn, text, n);
	ring_push(l, l->scratch, pn + n);
}

static void on_end(void *arg, const struct err *e)
{
	struct view_logs *l = arg;

	if (e)
		app_flash_err(l->super.app, e);
}

/* An answer for view l of generation gen: the view, or NULL when it was
 * closed or restarted meanwhile (the reference is released either way). */
struct logs_ref {
	struct view_logs *l;
	int *alive;
	unsigned gen;
};

static struct logs_ref *ref_new(struct view_logs *l)
{
	struct logs_ref *r = xcalloc(1, sizeof(*r));

	r->l = l;
	r->alive = l->alive;
	r->gen = l->gen;
	l->alive[1]++;
	return r;
}

static struct view_logs *ref_take(struct logs_ref *r)
{
	struct view_logs *l = r->alive[0] && r->l->gen == r->gen ? r->l : NULL;

	if (--r->alive[1] == 0 && !r->alive[0])
		free(r->alive);
	free(r);
	return l;
}

static void start_targets(struct view_logs *l, const struct log_target *t, size_t n)
{
	l->resolving = 0;
	if (!n) {
		app_flash(l->super.app, 1, "logs: no containers to follow");
		return;
	}
	log_set_start(l->set, t, n, &l->o);
}

/* All containers: the pod as it is now names them. */
static void got_pod(struct app *a, void *arg, const cJSON *pod)
{
	struct view_logs *l = ref_take(arg);
	struct log_target t[LOGS_MAX_STREAMS];

	(void)a;
	if (l && pod)
		start_targets(l, t, log_targets_pod(pod, t, LOGS_MAX_STREAMS));
}

/* A workload: its selector picks the pods of the namespace. */
struct wl_req {
	struct logs_ref *ref;
	cJSON *wl;
};

static void got_pods(void *arg, const struct err *e, const char *text)
{
	struct wl_req *w = arg;
	struct view_logs *l = ref_take(w->ref);
	struct log_target *t = xcalloc(LOGS_MAX_STREAMS, sizeof(*t));
	cJSON *list = NULL;
	struct err pe;
	size_t n;
	int more;

	if (!l)
		goto out;
	if (e->code != ERR_OK || !(list = json_parse(text, strlen(text), &pe))) {
		app_flash_err(l->super.app, e->code != ERR_OK ? e : &pe);
		goto out;
	}
	n = log_targets_workload(w->wl, cJSON_GetObjectItem(list, "items"), t,
				 LOGS_MAX_STREAMS, &more);
	if (more)
		app_flash(l->super.app, 1, "logs: following the first %zu containers only", n);
	start_targets(l, t, n);
out:
	cJSON_Delete(list);
	cJSON_Delete(w->wl);
	free(t);
	free(w);
}

static void got_workload(void *arg, const struct err *e, const char *text)
{
	struct wl_req *w = arg;
	struct view_logs *l;
	struct app *a;
	struct err pe;

	if (!w->ref->alive[0] || w->ref->l->gen != w->ref->gen) {
		ref_take(w->ref);
		free(w);
		return;
	}
	l = w->ref->l;
	a = l->super.app;
	if (e->code != ERR_OK || !(w->wl = kyaml_parse(text, strlen(text), &pe))) {
		app_flash_err(a, e->code != ERR_OK ? e : &pe);
		ref_take(w->ref);
		free(w);
		return;
	}
	a->src->ops->get(a->src, SRC_GET_LIST, l->k, l->ns, NULL, NULL, got_pods, w);
}

/* Start over (new container, options or mode): the streams of what the
 * view shows, after reading the pod or the workload when needed. */
static void restart(struct view_logs *l)
{
	struct app *a = l->super.app;
	struct log_target t;

	l->gen++;
	l->o.stamps = l->stamps;
	if (!a->src->ops->logs_follow) {
		fetch(l);
		return;
	}
	log_set_stop(l->set);
	ring_clear(l);
	l->resolving = 1;
	if (l->wk) {
		struct wl_req *w = xcalloc(1, sizeof(*w));

		w->ref = ref_new(l);
		a->src->ops->get(a->src, SRC_GET_YAML, l->wk, l->ns, l->name, NULL,
				 got_workload, w);
	} else if (l->all) {
		pod_fetch(a, l->ns, l->name, got_pod, ref_new(l));
	} else {
		snprintf(t.pod, sizeof(t.pod), "%s", l->name);
		snprintf(t.container, sizeof(t.container), "%s", l->container);
		start_targets(l, &t, 1);
	}
}

static struct view_logs *logs_alloc(struct app *a, const struct kind_info *k,
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
	l->o.tail = a->log_tail;
	l->alive = xcalloc(2, sizeof(int));	/* [0] alive, [1] requests */
	l->alive[0] = 1;
	if (a->src->ops->logs_follow)
		l->set = log_set_new(a->src, k, ns, on_line, on_end, l);
	return l;
}

struct view *view_logs_new(struct app *a, const struct kind_info *k,
			   const char *ns, const char *name)
{
	return view_logs_open(a, k, ns, name, NULL);
}

struct view *view_logs_open(struct app *a, const struct kind_info *k,
			    const char *ns, const char *name, const char *container)
{
	struct view_logs *l = logs_alloc(a, k, ns, name);

	snprintf(l->container, sizeof(l->container), "%s", container ? container : "");
	restart(l);
	return &l->super;
}

int view_logs_workload_ok(const char *plural)
{
	static const char *const kinds[] = { "deployments", "replicasets", "statefulsets",
					     "daemonsets", "jobs", NULL };

	for (size_t i = 0; kinds[i]; i++)
		if (!strcmp(kinds[i], plural))
			return 1;
	return 0;
}

struct view *view_logs_workload(struct app *a, const struct kind_info *wk,
				const char *ns, const char *name)
{
	const struct kind_info *pods = src_kind(a->src, "pods");
	struct view_logs *l;

	if (!pods || !a->src->ops->logs_follow) {
		app_flash(a, 1, "logs of %s: needs a cluster connection", wk->plural);
		return NULL;
	}
	l = logs_alloc(a, pods, ns, name);
	l->wk = kind_info_new(wk->plural, wk->singular, wk->kind, wk->group,
			      wk->shorts, wk->namespaced, wk->scalable);
	snprintf(l->super.title, sizeof(l->super.title), "logs %s/%s", wk->singular, name);
	restart(l);
	return &l->super;
}

static void vl_free(struct view *v)
{
	struct view_logs *l = vl_of(v);

	log_set_free(l->set);
	ring_clear(l);
	free(l->ring);
	l->alive[0] = 0;
	if (!l->alive[1])
		free(l->alive);
	filter_free(l->search);
	kind_info_free(l->k);
	kind_info_free(l->wk);
	free(l);
}

static int matches(const struct view_logs *l, size_t i)
{
	const char *s = line_at(l, i);

	return l->search && filter_match(l->search, &s, 1, NULL, NULL, NULL);
}

static void status_line(struct view_logs *l, struct app *a, int y, int w)
{
	char st[640], tail[32] = "all", since[32] = "all", streams[64] = "";
	size_t live, n = log_set_count(l->set, &live);

	if (l->resolving)
		snprintf(streams, sizeof(streams), "  %c reading %s", "|/-\\"[a->tick % 4],
			 l->wk ? "the pods" : "the containers");
	else if (n > 1)
		snprintf(streams, sizeof(streams), "  %zu/%zu streams", live, n);
	else if (n == 1)
		snprintf(streams, sizeof(streams), "  %s", live ? "streaming" :
			 l->o.previous ? "ended" : "stream ended, reconnecting");

	if (l->o.tail >= 0)
		snprintf(tail, sizeof(tail), "%ld", l->o.tail);
	if (l->o.since_s > 0)
		snprintf(since, sizeof(since), "%ld%s", l->o.since_s % 3600 ? l->o.since_s / 60 :
			 l->o.since_s / 3600, l->o.since_s % 3600 ? "m" : "h");
	snprintf(st, sizeof(st), " %s/%s%s%s%s%s%s  [%zu/%zu lines]  tail:%s since:%s follow:%s pause:%s wrap:%s timestamps:%s%s",
		 l->ns, l->wk ? l->wk->singular : "", l->wk ? "/" : "", l->name,
		 l->all ? " --all-containers" : l->container[0] ? " -c " : "",
		 l->all ? "" : l->container,
		 l->o.previous ? " --previous" : "", l->len,
		 l->cap, tail, since, l->follow ? "on" : "off", l->paused ? "on" : "off",
		 l->wrap ? "on" : "off", l->stamps ? "on" : "off",
		 streams);
	draw_text(y, 0, st, w, a->attrs[TS_HEADER_VALUE], 1);
}

static void vl_draw(struct view *v, struct app *a, int y0, int h, int w)
{
	struct view_logs *l = vl_of(v);
	int y = y0 + 1;

	if (!a->src->ops->logs_follow && !l->paused && l->follow &&
	    !l->inflight && app_now_ms() >= l->next_fetch)
		fetch(l);
	log_set_tick(l->set, app_now_ms());
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
	if (container && (p->l->all || strcmp(container, p->l->container))) {
		p->l->all = 0;
		snprintf(p->l->container, sizeof(p->l->container), "%s", container);
		restart(p->l);
	}
	free(p);
}

/* `c`: the container picker over the pod as it is now. */
static void pick_container(struct view_logs *l, struct app *a)
{
	struct logs_pick *p;

	if (l->wk) {
		app_flash(a, 1, "logs: a workload's view follows every container");
		return;
	}
	p = xcalloc(1, sizeof(*p));

	p->l = l;
	p->alive = l->alive;
	l->alive[1]++;
	picker_open_pod(a, l->ns, l->name, picked, p);
}

static const long since_secs[] = { 0, 60, 300, 900, 1800, 3600 };

/* The `T` prompt: a number of lines, or "all"/-1. */
void view_logs_tail(struct view *v, struct app *a, const char *text)
{
	struct view_logs *l = vl_of(v);
	char *end;
	long n;

	if (!text || v->cls != &logs_class)
		return;
	n = strtol(text, &end, 10);
	if (!strcasecmp(text, "all"))
		n = -1;
	else if (end == text || *end || n < -1) {
		app_flash(a, 1, "tail: a number of lines, or all");
		return;
	}
	l->o.tail = n;
	restart(l);
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
	case ACT_ALL_CONTAINERS:
		if (l->wk)
			break;
		l->all = !l->all;
		restart(l);
		break;
	case ACT_PREVIOUS: l->o.previous = !l->o.previous; restart(l); break;
	case ACT_TAIL: app_modal(a, MODAL_TAIL, v, NULL); break;
	case ACT_SINCE_ALL: case ACT_SINCE_1M: case ACT_SINCE_5M:
	case ACT_SINCE_15M: case ACT_SINCE_30M: case ACT_SINCE_1H:
		l->o.since_s = since_secs[act - ACT_SINCE_ALL];
		restart(l);
		break;
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
