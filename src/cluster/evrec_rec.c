/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evrec_rec: the asynchronous Event recorder (see evrec.h).
 *
 * Emitters (any thread) copy the occurrence - its fields, the involved
 * object's resourceVersion and the time - into one allocation and append
 * it to a bounded FIFO under a mutex; a full queue drops it and counts.
 * One writer thread takes up to EVREC_BATCH occurrences at a time and,
 * alone owning the aggregation cache:
 *   1. observes them in emission order (evrec.c decides count, message,
 *      combining); the occurrences of one logger entry share a slot, the
 *      entry held so that a repeat counts on while its write is pending;
 *   2. writes each slot once, the slots in parallel (EVREC_WRITERS
 *      threads): a slot whose entry had no stored Event is POSTed with
 *      the final count, firstTimestamp of its first occurrence and
 *      lastTimestamp/message of its last; otherwise it is one strategic
 *      merge PATCH of count, lastTimestamp and message (a 404 creates it
 *      again, counting the batch's occurrences), as client-go writes.
 * So the stored Events end as the one-at-a-time recorder left them, with
 * fewer writes; slots never share an entry, so the parallel writes touch
 * disjoint cache entries.  A batch is smaller than the cache, so no entry
 * it holds is evicted before its write.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
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

/* One queued occurrence; the strings live in data[]. */
struct evrec_item {
	struct evrec_fields f;
	const char *user, *action, *obj_rv;
	bool obj_ns;		/* the involved object is namespaced */
	struct ktime now;
	struct evrec_item *next;
	char data[];
};

struct evrec {
	struct evrec_sink sink;
	struct evrec_cache *cache;	/* writer thread only */
	pthread_mutex_t mu;
	pthread_cond_t wake, idle;
	struct evrec_item *head, *tail;
	size_t queued;
	bool busy, stopping, started;
	pthread_t thread;
	_Atomic unsigned long long dropped;
};

static _Atomic unsigned long long dropped_all;

/* One Event's write in a round: the occurrences of one logger entry. */
struct slot {
	struct evrec_log *entry;
	const struct evrec_item *first, *last;
	char *message;		/* the last occurrence's (owned) */
	const cJSON *stored;	/* the entry's stored Event when not create */
	int count, n;		/* Event count after it; occurrences */
	bool create;
	const void *key;	/* entry, for the slot index */
	UT_hash_handle hh;
};

struct round {
	struct evrec *r;
	struct slot *slots;
	size_t n;
	_Atomic size_t next;
};

/* --- emitting --- */

static const char *put(char **p, const char *s)
{
	char *d = *p;
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	memcpy(d, s, n);
	*p += n;
	return d;
}

/* A self-contained copy of one occurrence (caller frees). */
static struct evrec_item *item_new(const struct evrec_fields *f,
				   const char *user, const char *action,
				   const char *rv, bool obj_ns)
{
	const char *s[] = { f->component, f->host, f->kind, f->ns, f->name,
			    f->uid, f->api_version, f->field_path, f->type,
			    f->reason, f->message, user, action, rv };
	size_t len = 0;
	struct evrec_item *it;
	char *p;

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		len += s[i] ? strlen(s[i]) + 1 : 0;
	it = xcalloc(1, sizeof(*it) + len);
	p = it->data;
	it->f = (struct evrec_fields){
		put(&p, f->component), put(&p, f->host), put(&p, f->kind),
		put(&p, f->ns), put(&p, f->name), put(&p, f->uid),
		put(&p, f->api_version), put(&p, f->field_path),
		put(&p, f->type), put(&p, f->reason), put(&p, f->message),
	};
	it->user = put(&p, user);
	it->action = put(&p, action);
	it->obj_rv = put(&p, rv);
	it->obj_ns = obj_ns;
	it->now = ktime_now();
	return it;
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
	struct evrec_item *it;

	pthread_mutex_lock(&r->mu);
	if (r->queued >= EVREC_QUEUE_MAX) {
		pthread_mutex_unlock(&r->mu);
		if (atomic_fetch_add(&r->dropped, 1) == 0)
			fprintf(stderr, "kdeck: events: queue full (%d), "
				"dropping events\n", EVREC_QUEUE_MAX);
		atomic_fetch_add(&dropped_all, 1);
		return;
	}
	pthread_mutex_unlock(&r->mu);
	it = item_new(&f, user, action,
		      json_get_str(obj, "metadata.resourceVersion"), ns != NULL);
	pthread_mutex_lock(&r->mu);
	if (r->tail)
		r->tail->next = it;
	else
		r->head = it;
	r->tail = it;
	r->queued++;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->mu);
}

void evrec_emit(struct evrec *r, const char *component, const char *host,
		const char *user, const cJSON *obj, const char *type,
		const char *reason, const char *action, const char *msg)
{
	evrec_emit_field(r, component, host, user, obj, NULL, type, reason,
			 action, msg);
}

/* --- writing --- */

/* A new Event for slot s, as client-go names it. */
static cJSON *new_event(const struct slot *s, int count)
{
	const struct evrec_item *o = s->first;
	const struct evrec_fields *f = &o->f;
	char first[KTIME_STR_MAX], last[KTIME_STR_MAX], micro[KTIME_STR_MAX];
	char *name;
	cJSON *ev = cJSON_CreateObject();

	ktime_format(&o->now, first);
	ktime_format(&s->last->now, last);
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
	if (o->obj_ns)
		json_set_str(ev, "involvedObject.namespace", f->ns);
	json_set_str(ev, "involvedObject.name", f->name);
	json_set_str(ev, "involvedObject.uid", f->uid);
	json_set_str(ev, "involvedObject.resourceVersion", o->obj_rv);
	if (f->field_path)
		json_set_str(ev, "involvedObject.fieldPath", f->field_path);
	json_set_str(ev, "reason", f->reason);
	json_set_str(ev, "message", s->message);
	json_set_str(ev, "type", f->type);
	json_set_str(ev, "source.component", f->component);
	if (f->host)
		json_set_str(ev, "source.host", f->host);
	json_set_str(ev, "reportingComponent", f->component);
	json_set_str(ev, "reportingInstance", f->host ? f->host : f->component);
	if (o->action && *o->action)
		json_set_str(ev, "action", o->action);
	json_set_str(ev, "firstTimestamp", first);
	json_set_str(ev, "lastTimestamp", last);
	json_set_str(ev, "eventTime", micro);
	json_set_int(ev, "count", count);
	free(name);
	return ev;
}

/* Remember out (taken) as s's stored Event. */
static void remember(struct slot *s, cJSON *out)
{
	struct evrec_decision d = { .entry = s->entry };

	evrec_cache_stored(NULL, &d, out);
}

/* POST the slot's Event with count; remember it on success. */
static void create(struct evrec *r, struct slot *s, int count)
{
	char path[320];
	cJSON *ev = new_event(s, count), *out = NULL;

	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/events",
		 s->first->f.ns);
	if (r->sink.call(r->sink.arg, s->first->user, "POST", path, NULL, ev,
			 &out) == 201 && out) {
		remember(s, out);
		out = NULL;
	}
	cJSON_Delete(out);
	cJSON_Delete(ev);
}

/* PATCH the stored Event: count, lastTimestamp, message.  HTTP status. */
static int update(struct evrec *r, struct slot *s)
{
	const cJSON *stored = s->stored;
	char now[KTIME_STR_MAX], path[512];
	cJSON *patch = cJSON_CreateObject(), *out = NULL;
	int st;

	ktime_format(&s->last->now, now);
	json_set_int(patch, "count", s->count);
	json_set_str(patch, "lastTimestamp", now);
	if (strcmp(json_get_str(stored, "message") ?: "", s->message))
		json_set_str(patch, "message", s->message);
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/events/%s",
		 json_get_str(stored, "metadata.namespace"),
		 json_get_str(stored, "metadata.name"));
	st = r->sink.call(r->sink.arg, s->last->user, "PATCH", path,
			  "application/strategic-merge-patch+json", patch, &out);
	if (st == 200 && out) {
		remember(s, out);
		out = NULL;
	}
	cJSON_Delete(out);
	cJSON_Delete(patch);
	return st;
}

static void write_slot(struct evrec *r, struct slot *s)
{
	if (s->create) {
		create(r, s, s->count);
	} else if (update(r, s) == 404) {
		/* gone meanwhile: start over with this batch's occurrences */
		evrec_cache_restart(s->entry, s->n, s->first->now.sec);
		create(r, s, s->n);
	}
}

static void *round_main(void *arg)
{
	struct round *rd = arg;
	size_t i;

	while ((i = atomic_fetch_add(&rd->next, 1)) < rd->n)
		write_slot(rd->r, &rd->slots[i]);
	return NULL;
}

/* Step 1: fold one occurrence into the round's slots. */
static void fold(struct evrec *r, struct round *rd, struct slot **idx,
		 const struct evrec_item *it)
{
	struct evrec_decision d;
	struct slot *s;

	evrec_cache_observe(r->cache, &it->f, it->now.sec, &d);
	HASH_FIND_PTR(*idx, &d.entry, s);
	if (!s) {
		s = &rd->slots[rd->n++];
		s->entry = d.entry;
		s->key = d.entry;
		s->create = d.stored == NULL;
		s->first = it;
		HASH_ADD_PTR(*idx, key, s);
	} else if (d.count == 1) {
		s->create = true;	/* the window ran out meanwhile */
		s->first = it;
		s->n = 0;
	}
	evrec_cache_hold(d.entry, true);
	s->stored = d.stored;
	s->last = it;
	s->n++;
	s->count = d.count;
	free(s->message);
	s->message = d.message;
	d.message = NULL;
	evrec_decision_done(&d);
}

/* Observe, fold and write the occurrences of list (at most EVREC_BATCH). */
static void write_batch(struct evrec *r, const struct evrec_item *list,
			size_t n)
{
	struct round rd = { .r = r, .slots = xcalloc(n, sizeof(struct slot)) };
	pthread_t th[EVREC_WRITERS];
	struct slot *idx = NULL;
	size_t nth = 0;

	for (const struct evrec_item *it = list; it; it = it->next)
		fold(r, &rd, &idx, it);
	HASH_CLEAR(hh, idx);
	while (nth + 1 < rd.n && nth + 1 < EVREC_WRITERS &&
	       pthread_create(&th[nth], NULL, round_main, &rd) == 0)
		nth++;
	round_main(&rd);
	for (size_t i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	for (size_t i = 0; i < rd.n; i++) {
		evrec_cache_hold(rd.slots[i].entry, false);
		free(rd.slots[i].message);
	}
	free(rd.slots);
}

/* Take up to EVREC_BATCH queued occurrences.  Caller holds r->mu. */
static struct evrec_item *take(struct evrec *r, size_t *n)
{
	struct evrec_item *list = r->head, *last = r->head;

	*n = 1;
	while (*n < EVREC_BATCH && last->next) {
		last = last->next;
		(*n)++;
	}
	r->head = last->next;
	if (!r->head)
		r->tail = NULL;
	last->next = NULL;
	r->queued -= *n;
	return list;
}

static void *writer(void *arg)
{
	struct evrec *r = arg;
	struct evrec_item *list, *next;
	size_t n;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (!r->head && !r->stopping)
			pthread_cond_wait(&r->wake, &r->mu);
		if (!r->head)
			break;
		list = take(r, &n);
		r->busy = true;
		pthread_mutex_unlock(&r->mu);
		write_batch(r, list, n);
		for (; list; list = next) {
			next = list->next;
			free(list);
		}
		pthread_mutex_lock(&r->mu);
		r->busy = false;
		if (!r->head)
			pthread_cond_broadcast(&r->idle);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* --- life cycle --- */

static int api_sink(void *arg, const char *user, const char *method,
		    const char *path, const char *ctype, const cJSON *body,
		    cJSON **out)
{
	return ctype ? api_call_ct(arg, user, NULL, method, path, ctype, body, out)
		     : api_call(arg, user, NULL, method, path, body, out);
}

struct evrec *evrec_new_sink(const struct evrec_sink *sink)
{
	struct evrec *r = xcalloc(1, sizeof(*r));

	r->sink = *sink;
	r->cache = evrec_cache_new(0);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->wake, NULL);
	pthread_cond_init(&r->idle, NULL);
	r->started = pthread_create(&r->thread, NULL, writer, r) == 0;
	if (!r->started)
		fprintf(stderr, "kdeck: events: cannot start the writer; "
			"events are dropped\n");
	return r;
}

struct evrec *evrec_new(struct api *api)
{
	return evrec_new_sink(&(struct evrec_sink){ api_sink, api });
}

void evrec_flush(struct evrec *r)
{
	pthread_mutex_lock(&r->mu);
	while (r->started && (r->head || r->busy))
		pthread_cond_wait(&r->idle, &r->mu);
	pthread_mutex_unlock(&r->mu);
}

unsigned long long evrec_dropped(struct evrec *r)
{
	return atomic_load(&r->dropped);
}

void evrec_metrics(struct buf *out)
{
	buf_printf(out, "# HELP kdeck_events_dropped_total Events not recorded "
		   "because a recorder's queue was full.\n"
		   "# TYPE kdeck_events_dropped_total counter\n"
		   "kdeck_events_dropped_total %llu\n",
		   (unsigned long long)atomic_load(&dropped_all));
}

void evrec_free(struct evrec *r)
{
	struct evrec_item *it, *next;

	if (!r)
		return;
	pthread_mutex_lock(&r->mu);
	r->stopping = true;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->mu);
	if (r->started)
		pthread_join(r->thread, NULL);
	for (it = r->head; it; it = next) {
		next = it->next;
		free(it);
	}
	evrec_cache_free(r->cache);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->wake);
	pthread_cond_destroy(&r->idle);
	free(r);
}
