/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_watch: WATCH as a chunked stream of newline-delimited events
 * {"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{...}}.
 *
 * The store calls on_event from its writer thread; it only refs the
 * objects into this watch's bounded queue and signals.  The server's
 * connection thread calls watch_read, which encodes queued events
 * (selector filtering with the apiserver's transitions: an object that
 * stops matching is sent as DELETED, one that starts matching as ADDED;
 * one-row Tables for the Table Accept) and blocks at most a second so the
 * server can notice shutdown.  A watcher more than WATCH_QUEUE_MAX
 * events behind is ended; the client relists, as with a real apiserver.
 *
 * Initial state: resourceVersion unset or "0" sends ADDED for every
 * existing object first; sendInitialEvents=true does the same and ends
 * the initial burst with a BOOKMARK annotated k8s.io/initial-events-end.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/api_int.h"
#include "cluster/crd.h"
#include "common/env.h"
#include "common/json.h"
#include "common/mem.h"

#define WATCH_QUEUE_MAX 10000
#define WATCH_QUEUE_MIN 16

struct wev {
	enum store_ev_type type;
	const struct store_obj *obj, *prev;
};

struct watch {
	struct api *api;
	const struct reg_kind *k;
	struct api_filter *f;
	bool table, bookmarks;
	bool raw;			/* events are the stored text verbatim */
	const char *include;		/* static string or NULL */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct wev *q;			/* ring of qcap, grown on demand */
	size_t qhead, qlen, qcap;
	bool overflow;
	struct buf out;			/* encoded, not yet read */
	size_t off;
	time_t deadline, next_bookmark;
	int64_t last_rev;
	struct store_watch *sw;
};

/* Double the ring (keeping the order, head back at 0).  Under w->mu. */
/* Seconds between two bookmarks of a watch that asked for them: about a
 * minute, as kube-apiserver sends them; KDECK_WATCH_BOOKMARK_INTERVAL
 * shortens it (tests, clients that want frequent resume points). */
static time_t bookmark_interval(void)
{
	return env_long("KDECK_WATCH_BOOKMARK_INTERVAL", 60, 1, 3600);
}

static void queue_grow(struct watch *w)
{
	size_t cap = w->qcap ? w->qcap * 2 : WATCH_QUEUE_MIN;
	struct wev *q;

	if (cap > WATCH_QUEUE_MAX)
		cap = WATCH_QUEUE_MAX;
	q = xcalloc(cap, sizeof(*q));
	for (size_t i = 0; i < w->qlen; i++)
		q[i] = w->q[(w->qhead + i) % w->qcap];
	free(w->q);
	w->q = q;
	w->qcap = cap;
	w->qhead = 0;
}

static void on_event(void *arg, const struct store_event *ev)
{
	struct watch *w = arg;

	pthread_mutex_lock(&w->mu);
	if (w->qlen == w->qcap && w->qcap < WATCH_QUEUE_MAX)
		queue_grow(w);
	if (w->qlen >= w->qcap) {
		w->overflow = true;
	} else {
		struct wev *slot = &w->q[(w->qhead + w->qlen++) % w->qcap];

		slot->type = ev->type;
		slot->obj = ev->obj;
		slot->prev = ev->prev;
		store_obj_ref(ev->obj);
		if (ev->prev)
			store_obj_ref(ev->prev);
	}
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void emit(struct watch *w, const char *type, const cJSON *obj)
{
	struct buf *b = &w->out;

	buf_printf(b, "{\"type\":\"%s\",\"object\":", type);
	if (w->table && strcmp(type, "BOOKMARK") && strcmp(type, "ERROR")) {
		api_table_begin(b, w->k, json_get_str(obj, "metadata.resourceVersion"), NULL);
		api_table_row(b, w->k, obj, w->include, true);
		api_table_end(b);
	} else {
		char *s = cJSON_PrintUnformatted(obj);

		buf_adds(b, s);
		free(s);
	}
	buf_adds(b, "}\n");
}

/* The stored text as the event's object (w->raw: nothing to change). */
static void emit_raw(struct watch *w, const char *type,
		     const struct store_obj *o)
{
	buf_printf(&w->out, "{\"type\":\"%s\",\"object\":", type);
	buf_add(&w->out, o->json, o->len);
	buf_adds(&w->out, "}\n");
}

static void emit_bookmark(struct watch *w, bool initial_end)
{
	cJSON *o = cJSON_CreateObject();
	char rv[32];

	api_set_type(o, w->k);
	snprintf(rv, sizeof(rv), "%lld", (long long)w->last_rev);
	json_set_str(o, "metadata.resourceVersion", rv);
	if (initial_end)
		json_set_str(o, "metadata.annotations.k8s\\.io/initial-events-end", "true");
	emit(w, "BOOKMARK", o);
	cJSON_Delete(o);
}

static bool matches(struct watch *w, const cJSON *obj)
{
	return obj && api_filter_match(w->f, w->k, obj);
}

static const char *const raw_type[] = {
    [STORE_ADDED] = "ADDED",
    [STORE_MODIFIED] = "MODIFIED",
    [STORE_DELETED] = "DELETED",
};

/* Encode one store event, applying the selector transitions. */
static void encode(struct watch *w, const struct wev *ev)
{
	cJSON *obj, *prev;
	bool now, before;
	const char *type = NULL;

	if (w->raw) {	/* no selector: the event type is the store's */
		emit_raw(w, raw_type[ev->type], ev->obj);
		w->last_rev = ev->obj->rev;
		return;
	}
	obj = store_obj_parse(ev->obj);
	prev = ev->prev ? store_obj_parse(ev->prev) : NULL;

	if (w->k->flags & REG_CUSTOM)
		crd_default(w->k, obj);	/* defaults apply on read too */
	now = matches(w, obj);
	before = prev && matches(w, prev);
	api_set_type(obj, w->k);
	if (ev->type == STORE_ADDED)
		type = now ? "ADDED" : NULL;
	else if (ev->type == STORE_DELETED)
		type = now ? "DELETED" : NULL;
	else if (now)
		type = before || api_filter_empty(w->f) ? "MODIFIED" : "ADDED";
	else if (before)
		type = "DELETED";
	if (type)
		emit(w, type, obj);
	w->last_rev = ev->obj->rev;
	cJSON_Delete(obj);
	cJSON_Delete(prev);
}

/* Move queued events into w->out.  Called with w->mu held. */
static void drain(struct watch *w)
{
	while (w->qlen) {
		struct wev ev = w->q[w->qhead];

		w->qhead = (w->qhead + 1) % w->qcap;
		w->qlen--;
		pthread_mutex_unlock(&w->mu);
		encode(w, &ev);
		store_obj_unref(ev.obj);
		store_obj_unref(ev.prev);
		pthread_mutex_lock(&w->mu);
	}
}

static ssize_t copy_out(struct watch *w, char *buf, size_t max)
{
	size_t n = w->out.len - w->off;

	if (n > max)
		n = max;
	memcpy(buf, w->out.data + w->off, n);
	w->off += n;
	if (w->off == w->out.len) {
		buf_reset(&w->out);
		w->off = 0;
	}
	return (ssize_t)n;
}

static ssize_t watch_read(void *ctx, char *buf, size_t max)
{
	struct watch *w = ctx;
	struct timespec ts;
	time_t now = time(NULL);
	ssize_t rc = -2;

	if (w->out.len > w->off)
		return copy_out(w, buf, max);
	if (w->deadline && now >= w->deadline)
		return 0;
	pthread_mutex_lock(&w->mu);
	if (!w->qlen && !w->overflow) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&w->cv, &w->mu, &ts);
	}
	drain(w);
	if (w->overflow && w->out.len == 0)
		rc = 0;
	pthread_mutex_unlock(&w->mu);
	if (w->bookmarks && time(NULL) >= w->next_bookmark) {
		emit_bookmark(w, false);
		w->next_bookmark = time(NULL) + bookmark_interval();
	}
	if (w->out.len > w->off)
		return copy_out(w, buf, max);
	return rc;
}

static void watch_free(struct watch *w)
{
	if (!w)
		return;
	store_unwatch(w->sw);
	while (w->qlen) {
		struct wev *ev = &w->q[w->qhead];

		store_obj_unref(ev->obj);
		store_obj_unref(ev->prev);
		w->qhead = (w->qhead + 1) % w->qcap;
		w->qlen--;
	}
	api_filter_free(w->f);
	buf_free(&w->out);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w->q);
	free(w);
}

static void watch_close(void *ctx)
{
	struct watch *w = ctx;
	struct api *api = w->api;

	watch_free(w);
	pthread_mutex_lock(&api->lock);
	api->watches_open--;
	pthread_mutex_unlock(&api->lock);
}

static int initial_fn(void *arg, const struct store_obj *o)
{
	struct watch *w = arg;
	cJSON *obj;

	if (w->raw) {
		emit_raw(w, "ADDED", o);
		return 0;
	}
	obj = store_obj_parse(o);
	api_set_type(obj, w->k);
	if (w->k->flags & REG_CUSTOM)
		crd_default(w->k, obj);
	if (matches(w, obj))
		emit(w, "ADDED", obj);
	cJSON_Delete(obj);
	return 0;
}

static const char *include_of(const struct api_req *req)
{
	const char *s = api_query(req, "includeObject");

	if (!s)
		return NULL;
	return !strcmp(s, "Object") ? "Object" : !strcmp(s, "None") ? "None" : NULL;
}

/* Parse watch parameters; *from = revision to watch after, *initial. */
static int watch_params(struct api *api, const struct api_req *req,
			struct watch *w, int64_t *from, bool *initial,
			bool *initial_end, struct err *e)
{
	const char *rv = api_query(req, "resourceVersion");
	const char *sie = api_query(req, "sendInitialEvents");
	const char *match = api_query(req, "resourceVersionMatch");
	const char *to = api_query(req, "timeoutSeconds");
	const char *bm = api_query(req, "allowWatchBookmarks");

	*initial_end = sie && !strcmp(sie, "true");
	if (*initial_end && (!match || strcmp(match, "NotOlderThan")))
		return err_set(e, ERR_INVALID, "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan");
	*initial = *initial_end || !rv || !rv[0] || !strcmp(rv, "0");
	*from = rv ? strtoll(rv, NULL, 10) : 0;
	if (*initial)
		*from = 0;
	w->bookmarks = bm && !strcmp(bm, "true");
	w->next_bookmark = time(NULL) + bookmark_interval();
	if (to && atoll(to) > 0)
		w->deadline = time(NULL) + (time_t)atoll(to);
	(void)api;
	return 0;
}

static void reply_gone(struct api_resp *resp, const struct err *e)
{
	cJSON *st = cJSON_CreateObject();
	char *s;

	cJSON_AddStringToObject(st, "kind", "Status");
	cJSON_AddStringToObject(st, "apiVersion", "v1");
	cJSON_AddObjectToObject(st, "metadata");
	cJSON_AddStringToObject(st, "status", "Failure");
	cJSON_AddStringToObject(st, "message", e->msg);
	cJSON_AddStringToObject(st, "reason", "Expired");
	cJSON_AddNumberToObject(st, "code", 410);
	s = cJSON_PrintUnformatted(st);
	buf_reset(&resp->body);
	buf_printf(&resp->body, "{\"type\":\"ERROR\",\"object\":%s}\n", s);
	resp->status = 200;
	resp->content_type = "application/json";
	free(s);
	cJSON_Delete(st);
}

/*
 * Can events go out as the stored text?  Not with a selector (the
 * transitions), a Table, a custom resource (defaults on read) or a group
 * served in several versions (the apiVersion may need fixing): the same
 * cases in which a LIST parses its items (api_list.c); nor a kind stored
 * in another version or group (api_conv.c: HPAs, Events).
 */
static bool raw_ok(const struct watch *w)
{
	const char *vers[4];

	return api_filter_empty(w->f) && !w->table &&
	       !(w->k->flags & REG_CUSTOM) && !api_conv_applies(w->k) &&
	       reg_group_versions(w->k->group, vers, 4) <= 1;
}

static int watch_start(struct api *api, const struct api_req *req,
		       struct api_route *rt, struct watch *w, struct err *e)
{
	char *prefix = api_prefix(rt->k, rt->ns);
	int64_t from = 0, rev = 0;
	bool initial = false, initial_end = false;
	int rc = -1;

	if (watch_params(api, req, w, &from, &initial, &initial_end, e) < 0 ||
	    api_filter_new(req, rt->k, &w->f, e) < 0)
		goto out;
	w->raw = raw_ok(w);
	if (initial) {
		if (store_list(api->st, prefix, NULL, initial_fn, w, &rev, e) < 0)
			goto out;
		from = rev;
		w->last_rev = rev;
		if (initial_end)
			emit_bookmark(w, true);
	}
	w->last_rev = from ? from : store_rev(api->st);
	rc = store_watch(api->st, prefix, from ? from : w->last_rev, on_event, w, &w->sw, e);
out:
	free(prefix);
	return rc;
}

/*
 * GET .../pods/x?watch=true watches one object: the same as a collection
 * watch with fieldSelector=metadata.name=x (a caller's own fieldSelector,
 * listed first, wins as api_query returns the first value).
 */
static int named_watch_start(struct api *api, const struct api_req *req,
			     struct api_route *rt, struct watch *w, struct err *e)
{
	struct api_req r2 = *req;
	struct api_query_param *qp;
	int rc;

	if (!rt->name[0])
		return watch_start(api, req, rt, w, e);
	qp = xcalloc(req->nquery + 1, sizeof(*qp));
	memcpy(qp, req->query, req->nquery * sizeof(*qp));
	qp[req->nquery].key = (char *)"fieldSelector";
	qp[req->nquery].value = xasprintf("metadata.name=%s", rt->name);
	r2.query = qp;
	r2.nquery = req->nquery + 1;
	rt->name[0] = 0;
	rc = watch_start(api, &r2, rt, w, e);
	free(qp[req->nquery].value);
	free(qp);
	return rc;
}

void api_watch(struct api *api, const struct api_req *req,
	       struct api_route *rt, struct api_resp *resp)
{
	struct watch *w = xcalloc(1, sizeof(*w));
	struct err e;

	w->api = api;
	w->k = rt->k;
	w->table = rt->table;
	w->include = include_of(req);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (named_watch_start(api, req, rt, w, &e) < 0)
		goto fail;
	resp->status = 200;
	resp->content_type = "application/json";
	resp->stream = xcalloc(1, sizeof(*resp->stream));
	resp->stream->ctx = w;
	resp->stream->read = watch_read;
	resp->stream->close = watch_close;
	pthread_mutex_lock(&api->lock);
	api->watches_open++;
	api->watches_total++;
	pthread_mutex_unlock(&api->lock);
	return;
fail:
	watch_free(w);
	if (e.code == ERR_GONE)
		reply_gone(resp, &e);
	else
		api_reply_err(resp, &e, rt);
}
