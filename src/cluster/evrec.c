/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evrec: Event aggregation as client-go's recorder does it (see evrec.h).
 *
 * Two LRU caches, as in the EventCorrelator:
 *  - the aggregator, keyed by source + involved object + type + reason,
 *    remembers the distinct messages seen within the window; from the
 *    EVREC_MAX_SIMILAR-th one on, the occurrence is recorded as one
 *    combined Event keyed by the aggregate key;
 *  - the logger, keyed by the whole identity (message included), holds the
 *    last stored Event and its count; a repeat within the window rewrites
 *    that Event (count + 1, lastTimestamp, message) instead of creating one.
 * uthash keeps insertion order, so "move to the tail on use" and "evict the
 * head" make an LRU.  Unlike client-go, the logger forgets an entry older
 * than the window too (a repeat after it starts a new Event), and there is
 * no spam filter (token bucket).  Repeats are written as client-go does:
 * a strategic merge PATCH of count, lastTimestamp and message only, so a
 * concurrent writer of the Event (labels, another field) loses nothing
 * and no resourceVersion conflict can fail the update.
 *
 * Callers: ctrl_event() (ctrl.c) and agent_event() (node/agent.c), each
 * holding its own recorder like a real component.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "cluster/api.h"
#include "cluster/evrec.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

struct evrec_agg {
	char *key;
	char *msgs[EVREC_MAX_SIMILAR];
	size_t n;
	int64_t last;
	UT_hash_handle hh;
};

struct evrec_log {
	char *key;
	int count;
	int64_t first, last;
	cJSON *stored;		/* the Event as last written, or NULL */
	UT_hash_handle hh;
};

struct evrec_cache {
	struct evrec_agg *agg;
	struct evrec_log *log;
	size_t max;
};

struct evrec {
	struct api *api;
	pthread_mutex_t mu;
	struct evrec_cache *cache;
};

struct evrec_cache *evrec_cache_new(size_t max)
{
	struct evrec_cache *c = xcalloc(1, sizeof(*c));

	c->max = max ? max : EVREC_LRU_SIZE;
	return c;
}

static void agg_free(struct evrec_agg *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->msgs[i]);
	free(a->key);
	free(a);
}

static void log_free(struct evrec_log *l)
{
	cJSON_Delete(l->stored);
	free(l->key);
	free(l);
}

void evrec_cache_free(struct evrec_cache *c)
{
	struct evrec_agg *a, *at;
	struct evrec_log *l, *lt;

	if (!c)
		return;
	HASH_ITER(hh, c->agg, a, at) {
		HASH_DEL(c->agg, a);
		agg_free(a);
	}
	HASH_ITER(hh, c->log, l, lt) {
		HASH_DEL(c->log, l);
		log_free(l);
	}
	free(c);
}

/* The fields joined by a unit separator (caller frees). */
static char *join_key(const char *const *parts, size_t n)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addc(&b, '\x1f');
		buf_adds(&b, parts[i] ? parts[i] : "");
	}
	return buf_take(&b);
}

static char *agg_key(const struct evrec_fields *f)
{
	const char *p[] = { f->component, f->host, f->kind, f->ns, f->name,
			    f->uid, f->api_version, f->type, f->reason };

	return join_key(p, sizeof(p) / sizeof(p[0]));
}

static char *event_key(const struct evrec_fields *f)
{
	const char *p[] = { f->component, f->host, f->kind, f->ns, f->name,
			    f->field_path, f->uid, f->api_version, f->type,
			    f->reason, f->message };

	return join_key(p, sizeof(p) / sizeof(p[0]));
}

/*
 * Find key (taken) in the LRU head (moving the entry to the tail) into
 * out, or add a zeroed entry for it, evicting the head (the least recently
 * used) when over max.  A macro so that it serves both entry types.
 */
#define LRU_TOUCH(head, key, out, max, freefn)                          \
	do {                                                            \
		HASH_FIND_STR(head, key, out);                          \
		if (out) {                                              \
			HASH_DEL(head, out);                            \
			free(key);                                      \
		} else {                                                \
			out = xcalloc(1, sizeof(*out));                 \
			out->key = key;                                 \
		}                                                       \
		HASH_ADD_KEYPTR(hh, head, out->key, strlen(out->key), out); \
		if (HASH_COUNT(head) > (max)) {                         \
			__typeof__(out) old_ = head;                    \
			HASH_DEL(head, old_);                           \
			freefn(old_);                                   \
		}                                                       \
	} while (0)

static bool agg_has(const struct evrec_agg *a, const char *msg)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->msgs[i], msg))
			return true;
	return false;
}

/*
 * The aggregator step: returns true when this occurrence must be combined;
 * *logkey gets the logger key to use (caller frees).
 */
static bool aggregate(struct evrec_cache *c, const struct evrec_fields *f,
		      int64_t now, char **logkey)
{
	char *key = agg_key(f);
	const char *msg = f->message ? f->message : "";
	struct evrec_agg *a;

	LRU_TOUCH(c->agg, key, a, c->max, agg_free);
	if (now - a->last > EVREC_WINDOW_S) {
		for (size_t i = 0; i < a->n; i++)
			free(a->msgs[i]);
		a->n = 0;
	}
	a->last = now;
	if (!agg_has(a, msg))
		a->msgs[a->n++] = xstrdup(msg);
	if (a->n < EVREC_MAX_SIMILAR) {
		*logkey = event_key(f);
		return false;
	}
	/* keep the set one below the limit: every later one combines too */
	free(a->msgs[0]);
	memmove(a->msgs, a->msgs + 1, (a->n - 1) * sizeof(a->msgs[0]));
	a->n--;
	*logkey = xasprintf("%s\x1f(combined)", a->key);
	return true;
}

void evrec_cache_observe(struct evrec_cache *c, const struct evrec_fields *f,
			 int64_t now, struct evrec_decision *d)
{
	char *key = NULL;
	struct evrec_log *l;

	memset(d, 0, sizeof(*d));
	d->combined = aggregate(c, f, now, &key);
	d->message = d->combined
		? xasprintf(EVREC_COMBINED "%s", f->message ? f->message : "")
		: xstrdup(f->message ? f->message : "");
	LRU_TOUCH(c->log, key, l, c->max, log_free);
	if (!l->stored || now - l->last > EVREC_WINDOW_S) {
		cJSON_Delete(l->stored);
		l->stored = NULL;
		l->count = 1;
		l->first = now;
	} else {
		l->count++;
	}
	l->last = now;
	d->entry = l;
	d->count = l->count;
	d->first = l->first;
	d->stored = l->stored;
}

void evrec_cache_stored(struct evrec_cache *c, struct evrec_decision *d,
			cJSON *ev)
{
	(void)c;
	if (d->entry->stored != ev)
		cJSON_Delete(d->entry->stored);
	d->entry->stored = ev;
	d->stored = ev;
}

void evrec_decision_done(struct evrec_decision *d)
{
	free(d->message);
	d->message = NULL;
}

/* ---- the recorder: the cache behind a mutex, writing through the API ---- */

struct evrec *evrec_new(struct api *api)
{
	struct evrec *r = xcalloc(1, sizeof(*r));

	r->api = api;
	pthread_mutex_init(&r->mu, NULL);
	r->cache = evrec_cache_new(0);
	return r;
}

void evrec_free(struct evrec *r)
{
	if (!r)
		return;
	evrec_cache_free(r->cache);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

/* One occurrence as the recorder sees it. */
struct occ {
	const struct evrec_fields *f;
	const char *user, *action;
	const cJSON *obj;
	struct ktime now;
};

/* A new Event for o (count 1, or d's count), as client-go names it. */
static cJSON *new_event(const struct occ *o, const struct evrec_decision *d)
{
	const struct evrec_fields *f = o->f;
	char now[KTIME_STR_MAX], micro[KTIME_STR_MAX], *name;
	cJSON *ev = cJSON_CreateObject();

	ktime_format(&o->now, now);
	ktime_format_micro(&o->now, micro);
	name = xasprintf("%s.%llx", f->name ? f->name : "",
			 (unsigned long long)o->now.sec * 1000000000ULL +
				 (unsigned long long)o->now.nsec);
	json_set_str(ev, "apiVersion", "v1");
	json_set_str(ev, "kind", "Event");
	json_set_str(ev, "metadata.name", name);
	json_set_str(ev, "metadata.namespace", f->ns);
	json_set_str(ev, "involvedObject.apiVersion", f->api_version);
	json_set_str(ev, "involvedObject.kind", f->kind);
	if (json_get_str(o->obj, "metadata.namespace"))
		json_set_str(ev, "involvedObject.namespace", f->ns);
	json_set_str(ev, "involvedObject.name", f->name);
	json_set_str(ev, "involvedObject.uid", f->uid);
	json_set_str(ev, "involvedObject.resourceVersion",
		     json_get_str(o->obj, "metadata.resourceVersion"));
	if (f->field_path)
		json_set_str(ev, "involvedObject.fieldPath", f->field_path);
	json_set_str(ev, "reason", f->reason);
	json_set_str(ev, "message", d->message);
	json_set_str(ev, "type", f->type);
	json_set_str(ev, "source.component", f->component);
	if (f->host)
		json_set_str(ev, "source.host", f->host);
	json_set_str(ev, "reportingComponent", f->component);
	json_set_str(ev, "reportingInstance", f->host ? f->host : f->component);
	if (o->action && *o->action)
		json_set_str(ev, "action", o->action);
	json_set_str(ev, "firstTimestamp", now);
	json_set_str(ev, "lastTimestamp", now);
	json_set_str(ev, "eventTime", micro);
	json_set_int(ev, "count", 1);
	free(name);
	return ev;
}

/* POST a new Event; remember it on success.  Caller holds r->mu. */
static void create(struct evrec *r, const struct occ *o,
		   struct evrec_decision *d)
{
	char path[320];
	cJSON *ev = new_event(o, d), *out = NULL;

	d->entry->count = d->count = 1;
	d->entry->first = d->first = o->now.sec;
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/events", o->f->ns);
	if (api_call(r->api, o->user, NULL, "POST", path, ev, &out) == 201 &&
	    out) {
		evrec_cache_stored(r->cache, d, out);
		out = NULL;
	}
	cJSON_Delete(out);
	cJSON_Delete(ev);
}

/*
 * PATCH the stored Event with the new count, lastTimestamp and message
 * (strategic merge).  Returns the HTTP status.  Caller holds r->mu.
 */
static int update(struct evrec *r, const struct occ *o,
		  struct evrec_decision *d)
{
	char now[KTIME_STR_MAX], path[512];
	cJSON *patch = cJSON_CreateObject(), *out = NULL;
	int st;

	ktime_format(&o->now, now);
	json_set_int(patch, "count", d->count);
	json_set_str(patch, "lastTimestamp", now);
	if (strcmp(json_get_str(d->stored, "message") ?: "", d->message))
		json_set_str(patch, "message", d->message);
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/events/%s",
		 json_get_str(d->stored, "metadata.namespace"),
		 json_get_str(d->stored, "metadata.name"));
	st = api_call_ct(r->api, o->user, NULL, "PATCH", path,
			 "application/strategic-merge-patch+json", patch, &out);
	if (st == 200 && out) {
		evrec_cache_stored(r->cache, d, out);
		out = NULL;
	}
	cJSON_Delete(out);
	cJSON_Delete(patch);
	return st;
}

void evrec_emit_field(struct evrec *r, const char *component,
		      const char *host, const char *user, const cJSON *obj,
		      const char *field_path, const char *type,
		      const char *reason, const char *action, const char *msg)
{
	const char *ns = json_get_str(obj, "metadata.namespace");
	struct evrec_fields f = {
		.component = component, .host = host,
		.kind = json_get_str(obj, "kind"), .ns = ns ? ns : "default",
		.name = json_get_str(obj, "metadata.name"),
		.uid = json_get_str(obj, "metadata.uid"),
		.api_version = json_get_str(obj, "apiVersion"),
		.field_path = field_path, .type = type, .reason = reason,
		.message = msg,
	};
	struct occ o = { .f = &f, .user = user, .action = action, .obj = obj,
			 .now = ktime_now() };
	struct evrec_decision d;

	pthread_mutex_lock(&r->mu);
	evrec_cache_observe(r->cache, &f, o.now.sec, &d);
	if (!d.stored || update(r, &o, &d) == 404)
		create(r, &o, &d);
	evrec_decision_done(&d);
	pthread_mutex_unlock(&r->mu);
}

void evrec_emit(struct evrec *r, const char *component, const char *host,
		const char *user, const cJSON *obj, const char *type,
		const char *reason, const char *action, const char *msg)
{
	evrec_emit_field(r, component, host, user, obj, NULL, type, reason,
			 action, msg);
}
