/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_evrec: the aggregation logic of the Event recorder as pure
 * functions with an injected clock: repeats count up, a different message
 * is a new Event, the window expires, the LRU evicts, and the tenth
 * similar message is combined.  Then the asynchronous recorder against a
 * fake API (a table of Events): repeats folded into exact counts, the
 * combined Event, a PATCH of a vanished Event recreating it, and a full
 * queue dropping (and counting) instead of blocking the emitter.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/evrec.h"
#include "common/json.h"
#include "tests/tap.h"

static struct evrec_fields fields(const char *name, const char *reason,
				  const char *msg)
{
	struct evrec_fields f = {
		.component = "kubelet", .host = "n1", .kind = "Pod",
		.ns = "default", .name = name, .uid = "u1",
		.api_version = "v1", .type = "Warning", .reason = reason,
		.message = msg,
	};

	return f;
}

/* Observe one occurrence and "store" it (as a successful write would). */
static int observe(struct evrec_cache *c, const struct evrec_fields *f,
		   int64_t now, char **msg)
{
	struct evrec_decision d;
	int count;

	evrec_cache_observe(c, f, now, &d);
	count = d.count;
	if (msg)
		*msg = strdup(d.message);
	evrec_cache_stored(c, &d, cJSON_CreateObject());
	evrec_decision_done(&d);
	return count;
}

static void test_repeats(void)
{
	struct evrec_cache *c = evrec_cache_new(0);
	struct evrec_fields a = fields("p", "BackOff", "back-off"),
			    b = fields("p", "BackOff", "other"),
			    h = fields("p", "BackOff", "back-off");
	struct evrec_decision d;

	h.host = "n2";
	is_int(observe(c, &a, 100, NULL), 1, "first occurrence: count 1");
	is_int(observe(c, &a, 110, NULL), 2, "same key: count 2");
	is_int(observe(c, &b, 120, NULL), 1, "different message: new event");
	is_int(observe(c, &h, 120, NULL), 1, "different host: new event");
	is_int(observe(c, &a, 130, NULL), 3, "back to the first: count 3");
	evrec_cache_observe(c, &a, 140, &d);
	is_int(d.first, 100, "firstTimestamp kept");
	ok(d.stored != NULL, "a repeat updates the stored event");
	ok(!d.combined, "not combined");
	evrec_decision_done(&d);
	evrec_cache_free(c);
}

static void test_window(void)
{
	struct evrec_cache *c = evrec_cache_new(0);
	struct evrec_fields a = fields("p", "BackOff", "m");
	struct evrec_decision d;

	is_int(observe(c, &a, 0, NULL), 1, "window: first");
	is_int(observe(c, &a, EVREC_WINDOW_S, NULL), 2, "at the window edge");
	is_int(observe(c, &a, 2 * EVREC_WINDOW_S + 1, NULL), 1,
	       "after the window: a new event");
	/* a failed write leaves nothing stored: the next one creates */
	evrec_cache_observe(c, &a, 2 * EVREC_WINDOW_S + 2, &d);
	ok(d.stored != NULL, "stored before");
	evrec_decision_done(&d);
	evrec_cache_free(c);
}

static void test_unstored(void)
{
	struct evrec_cache *c = evrec_cache_new(0);
	struct evrec_fields a = fields("p", "BackOff", "m");
	struct evrec_decision d;

	evrec_cache_observe(c, &a, 1, &d);
	evrec_decision_done(&d);	/* the POST failed */
	evrec_cache_observe(c, &a, 2, &d);
	ok(d.stored == NULL, "nothing stored: create again");
	is_int(d.count, 1, "and count 1");
	evrec_decision_done(&d);
	evrec_cache_free(c);
}

static void test_lru(void)
{
	struct evrec_cache *c = evrec_cache_new(3);
	struct evrec_fields f[4] = {
		fields("a", "R", "m"), fields("b", "R", "m"),
		fields("c", "R", "m"), fields("d", "R", "m"),
	};

	for (int i = 0; i < 3; i++)
		observe(c, &f[i], 10, NULL);
	is_int(observe(c, &f[0], 11, NULL), 2, "a touched: count 2");
	is_int(observe(c, &f[3], 12, NULL), 1, "d added, evicts b");
	is_int(observe(c, &f[0], 13, NULL), 3, "a still cached");
	is_int(observe(c, &f[1], 14, NULL), 1, "b was evicted: new");
	evrec_cache_free(c);
}

static void test_combine(void)
{
	struct evrec_cache *c = evrec_cache_new(0);
	char m[32], *msg = NULL;
	int count = 0;

	for (int i = 1; i <= EVREC_MAX_SIMILAR - 1; i++) {
		struct evrec_fields f;

		snprintf(m, sizeof(m), "msg %d", i);
		f = fields("p", "FailedMount", m);
		count += observe(c, &f, i, NULL);
	}
	is_int(count, EVREC_MAX_SIMILAR - 1, "nine distinct: nine events");
	for (int i = 0; i < 3; i++) {
		struct evrec_fields f;

		snprintf(m, sizeof(m), "later %d", i);
		f = fields("p", "FailedMount", m);
		free(msg);
		msg = NULL;
		is_int(observe(c, &f, 20 + i, &msg), i + 1,
		       "similar #%d: combined event count", 10 + i);
	}
	is_str(msg, EVREC_COMBINED "later 2", "combined message");
	free(msg);
	{
		struct evrec_fields o = fields("p", "Other", "msg 1");

		is_int(observe(c, &o, 30, &msg), 1, "other reason: own event");
		is_str(msg, "msg 1", "not combined");
		free(msg);
	}
	evrec_cache_free(c);
	c = evrec_cache_new(0);
	for (int i = 0; i < 20; i++) {
		struct evrec_fields f = fields("q", "R", "same");

		count = observe(c, &f, i, NULL);
	}
	is_int(count, 20, "one message repeated never combines");
	evrec_cache_free(c);
}

/* --- the recorder against a fake API --- */

struct fake {
	pthread_mutex_t mu;
	pthread_cond_t cond;
	cJSON *events;		/* object: name -> Event */
	int posts, patches;
	bool blocked;		/* calls wait until cleared */
};

static int fake_call(void *arg, const char *user, const char *method,
		     const char *path, const char *ctype, const cJSON *body,
		     cJSON **out)
{
	struct fake *f = arg;
	const char *name = strrchr(path, '/') + 1;
	cJSON *ev;
	int st = 201;

	(void)user;
	(void)ctype;
	pthread_mutex_lock(&f->mu);
	while (f->blocked)
		pthread_cond_wait(&f->cond, &f->mu);
	if (!strcmp(method, "POST")) {
		f->posts++;
		name = json_get_str(body, "metadata.name");
		cJSON_DeleteItemFromObjectCaseSensitive(f->events, name);
		cJSON_AddItemToObject(f->events, name, ev = json_dup(body));
	} else {
		f->patches++;
		ev = cJSON_GetObjectItemCaseSensitive(f->events, name);
		st = ev ? 200 : 404;
		for (const cJSON *x = body ? body->child : NULL; ev && x; x = x->next)
			json_set(ev, x->string, json_dup(x));
	}
	*out = st == 404 ? NULL : json_dup(ev);
	pthread_mutex_unlock(&f->mu);
	return st;
}

static cJSON *obj_named(const char *name)
{
	cJSON *o = cJSON_CreateObject();

	json_set_str(o, "apiVersion", "apps/v1");
	json_set_str(o, "kind", "ReplicaSet");
	json_set_str(o, "metadata.name", name);
	json_set_str(o, "metadata.namespace", "default");
	json_set_str(o, "metadata.uid", name);
	return o;
}

/* The Event whose message starts with prefix: its count, -1 if none. */
static int count_of(struct fake *f, const char *prefix, int *nevents)
{
	const cJSON *ev;
	int64_t count = -1;

	*nevents = cJSON_GetArraySize(f->events);
	cJSON_ArrayForEach(ev, f->events)
		if (!strncmp(json_get_str(ev, "message") ?: "", prefix,
			     strlen(prefix)))
			json_get_int(ev, "count", &count);
	return (int)count;
}

static void test_recorder(void)
{
	struct fake f = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
			  cJSON_CreateObject(), 0, 0, false };
	struct evrec *r = evrec_new_sink(&(struct evrec_sink){ fake_call, &f });
	cJSON *rs = obj_named("web"), *ev;
	char m[64];
	int n;

	for (int i = 0; i < 5; i++)
		evrec_emit(r, "c", NULL, "u", rs, "Normal", "Scaled", "Scale",
			   "Scaled up");
	for (int i = 0; i < 25; i++) {
		snprintf(m, sizeof(m), "Created pod: web-%d", i);
		evrec_emit(r, "c", NULL, "u", rs, "Normal", "SuccessfulCreate",
			   "Create", m);
	}
	evrec_flush(r);
	is_int(count_of(&f, "Scaled up", &n), 5, "five repeats: one Event, count 5");
	is_int(n, 1 + 9 + 1, "nine distinct creates, one combined, one scale");
	is_int(count_of(&f, EVREC_COMBINED, &n), 16,
	       "the combined Event counts the 16 later ones");
	ok(f.posts + f.patches <= 5 + 25, "no more writes than occurrences");
	/* the Event vanished: the next repeat's PATCH 404s and recreates it */
	cJSON_ArrayForEach(ev, f.events)
		if (!strcmp(json_get_str(ev, "message"), "Scaled up"))
			break;
	cJSON_DeleteItemFromObjectCaseSensitive(f.events, ev->string);
	evrec_emit(r, "c", NULL, "u", rs, "Normal", "Scaled", "Scale", "Scaled up");
	evrec_flush(r);
	is_int(count_of(&f, "Scaled up", &n), 1, "recreated with count 1");
	is_int((int)evrec_dropped(r), 0, "nothing dropped");
	evrec_free(r);
	cJSON_Delete(rs);
	cJSON_Delete(f.events);
}

static void test_drop(void)
{
	struct fake f = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
			  cJSON_CreateObject(), 0, 0, true };
	struct evrec *r = evrec_new_sink(&(struct evrec_sink){ fake_call, &f });
	int total = EVREC_QUEUE_MAX + EVREC_BATCH + 100;
	char name[32];

	for (int i = 0; i < total; i++) {
		cJSON *o;

		snprintf(name, sizeof(name), "p-%d", i);
		o = obj_named(name);
		evrec_emit(r, "c", NULL, "u", o, "Normal", "R", "A", "m");
		cJSON_Delete(o);
	}
	ok(evrec_dropped(r) >= 100, "a full queue drops (%llu dropped)",
	   evrec_dropped(r));
	pthread_mutex_lock(&f.mu);
	f.blocked = false;
	pthread_cond_broadcast(&f.cond);
	pthread_mutex_unlock(&f.mu);
	evrec_flush(r);
	is_int(cJSON_GetArraySize(f.events) + (int)evrec_dropped(r), total,
	       "every occurrence written or counted as dropped");
	evrec_free(r);
	cJSON_Delete(f.events);
}

int main(void)
{
	evrec_cache_free(NULL);
	test_repeats();
	test_window();
	test_unstored();
	test_lru();
	test_combine();
	test_recorder();
	test_drop();
	evrec_free(NULL);
	return tap_done();
}
