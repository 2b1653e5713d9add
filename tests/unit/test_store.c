/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_store: the versioned store end to end on a temporary file: writes
 * and their errors, resourceVersion in the stored text, list order and
 * paging, prefixes, watch (new, from history, from the log, gone after
 * compaction), reopen, concurrent writers, racing watch registration and
 * an injected commit failure.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/store_int.h"
#include "common/mem.h"
#include "tests/tap.h"

static char tmpdir[256];

static char *db_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static struct store *open_store(const char *name, int64_t keep, size_t hist)
{
	char *path = db_path(name);
	struct store_options opt = {.path = path,
				    .compact_keep = keep,
				    .compact_interval_s = -1,
				    .history_events = hist};
	struct store *st = NULL;
	struct err e;

	if (store_open(&opt, &st, &e))
		printf("# store_open: %s\n", e.msg);
	free(path);
	return st;
}

static cJSON *mkobj(const char *name, int v)
{
	cJSON *o = cJSON_CreateObject(),
	      *md = cJSON_AddObjectToObject(o, "metadata");

	cJSON_AddStringToObject(md, "name", name);
	cJSON_AddNumberToObject(o, "v", v);
	return o;
}

/* Create key when missing, else update it unconditionally. */
static int put(struct store *st, const char *key, int v, int64_t *rev)
{
	const struct store_obj *cur = NULL;
	cJSON *o = mkobj(key, v);
	struct err e;
	int rc;

	if (store_get(st, key, &cur, &e) == 0) {
		store_obj_unref(cur);
		rc = store_update(st, key, 0, o, rev, &e);
	} else {
		rc = store_create(st, key, o, rev, &e);
	}
	if (rc)
		printf("# put %s: %s\n", key, e.msg);
	cJSON_Delete(o);
	return rc;
}

/* ---- event collection ---- */

struct rec {
	pthread_mutex_t mu;
	int n, cap;
	struct {
		int type;
		int64_t rev, prev_rev;
		char key[64];
	} * ev;
	int bad_rv; /* events whose JSON does not carry their revision */
};

static void rec_fn(void *arg, const struct store_event *ev)
{
	struct rec *r = arg;

	pthread_mutex_lock(&r->mu);
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->ev = xrealloc(r->ev, r->cap * sizeof(*r->ev));
	}
	{
		char want[48];

		snprintf(want, sizeof(want), "\"resourceVersion\":\"%lld\"",
			 (long long)ev->obj->rev);
		r->bad_rv += strstr(ev->obj->json, want) == NULL;
	}
	r->ev[r->n].type = ev->type;
	r->ev[r->n].rev = ev->obj->rev;
	r->ev[r->n].prev_rev = ev->prev ? ev->prev->rev : 0;
	snprintf(r->ev[r->n].key, sizeof(r->ev[0].key), "%s", ev->obj->key);
	r->n++;
	pthread_mutex_unlock(&r->mu);
}

static void rec_init(struct rec *r)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->mu, NULL);
}

static void rec_done(struct rec *r)
{
	free(r->ev);
	pthread_mutex_destroy(&r->mu);
}

/* Events are exactly revisions from+1 .. to, in order. */
static bool rec_consecutive(struct rec *r, int64_t from, int64_t to)
{
	if (r->n != to - from || r->bad_rv)
		return false;
	for (int i = 0; i < r->n; i++)
		if (r->ev[i].rev != from + 1 + i)
			return false;
	return true;
}

/* ---- tests ---- */

static void test_open_errors(void)
{
	struct store_options opt = {0};
	struct store *st = NULL;
	struct err e;
	char *bad;
	FILE *fp;

	is_int(store_open(&opt, &st, &e), -1, "open without a path fails");
	opt.path = "/nonexistent-dir/x/store.db";
	is_int(store_open(&opt, &st, &e), -1, "open in a missing dir fails");
	is_int(e.code, ERR_IO, "missing dir is ERR_IO");
	ok(strstr(e.msg, "/nonexistent-dir/x/store.db") != NULL,
	   "message names the file: %s", e.msg);
	bad = db_path("corrupt.db");
	fp = fopen(bad, "w");
	for (int i = 0; i < 512; i++)
		fputs("garbage!", fp);
	fclose(fp);
	opt.path = bad;
	is_int(store_open(&opt, &st, &e), -1, "corrupt file fails");
	is_int(e.code, ERR_IO, "corrupt file is ERR_IO");
	ok(strstr(e.msg, "not a database") != NULL, "clear message: %s", e.msg);
	ok(st == NULL, "out untouched on failure");
	free(bad);
	store_close(NULL);
	store_obj_unref(NULL);
	store_unwatch(NULL);
}

static const struct {
	const char *group, *res, *ns, *name, *want;
} key_cases[] = {
    {"", "pods", "default", "web", "/registry/pods/default/web"},
    {NULL, "nodes", NULL, "n1", "/registry/nodes/n1"},
    {"apps", "deployments", "ns", "d", "/registry/deployments.apps/ns/d"},
    {"apps", "deployments", "ns", NULL, "/registry/deployments.apps/ns/"},
    {NULL, "pods", NULL, NULL, "/registry/pods/"},
};

static void test_keys(void)
{
	for (size_t i = 0; i < sizeof(key_cases) / sizeof(key_cases[0]); i++) {
		char *k = store_key(key_cases[i].group, key_cases[i].res,
				    key_cases[i].ns, key_cases[i].name);

		is_str(k, key_cases[i].want, "store_key %zu", i);
		free(k);
	}
}

static const char *rv_of(const struct store_obj *o, char *buf, size_t n)
{
	cJSON *j = store_obj_parse(o);
	const cJSON *rv = cJSON_GetObjectItem(
	    cJSON_GetObjectItem(j, "metadata"), "resourceVersion");

	snprintf(buf, n, "%s", cJSON_IsString(rv) ? rv->valuestring : "?");
	cJSON_Delete(j);
	return buf;
}

static void test_crud(struct store *st)
{
	const char *k = "/registry/pods/default/a";
	const struct store_obj *o = NULL;
	cJSON *obj = mkobj("a", 1);
	int64_t rev = 0, rev2 = 0;
	struct err e;
	char rv[32];

	is_int(store_create(st, k, obj, &rev, &e), 0, "create");
	is_int(rev, 1, "first revision is 1");
	is_str(cJSON_GetObjectItem(cJSON_GetObjectItem(obj, "metadata"),
				   "resourceVersion")
		   ->valuestring,
	       "1", "caller's object gets resourceVersion");
	is_int(store_create(st, k, obj, NULL, &e), -1, "create twice");
	is_int(e.code, ERR_ALREADY_EXISTS, "AlreadyExists");
	is_int(store_get(st, k, &o, &e), 0, "get");
	is_str(rv_of(o, rv, sizeof(rv)), "1",
	       "stored JSON has resourceVersion");
	is_int(o->create_rev, 1, "create_rev");
	store_obj_unref(o);
	cJSON_GetObjectItem(obj, "v")->valuedouble = 2;
	is_int(store_update(st, k, 7, obj, NULL, &e), -1, "stale update");
	is_int(e.code, ERR_CONFLICT, "Conflict");
	is_int(store_update(st, k, 1, obj, &rev2, &e), 0, "conditional update");
	is_int(rev2, 2, "update revision");
	is_int(store_get(st, k, &o, &e), 0, "get after update");
	is_int(o->rev, 2, "mod revision");
	is_int(o->create_rev, 1, "create_rev kept");
	store_obj_unref(o);
	is_int(store_update(st, "/registry/pods/default/zz", 0, obj, NULL, &e),
	       -1, "update missing");
	is_int(e.code, ERR_NOT_FOUND, "NotFound on update");
	is_int(store_delete(st, "/registry/pods/default/zz", 0, NULL, &e), -1,
	       "delete missing");
	is_int(e.code, ERR_NOT_FOUND, "NotFound on delete");
	is_int(store_delete(st, k, 1, NULL, &e), -1, "stale delete");
	is_int(e.code, ERR_CONFLICT, "Conflict on delete");
	is_int(store_create(st, "pods/x", obj, NULL, &e), -1, "bad key");
	is_int(e.code, ERR_BAD_REQUEST, "bad key is BadRequest");
	{
		cJSON *arr = cJSON_CreateArray();

		is_int(store_create(st, "/registry/x", arr, NULL, &e), -1,
		       "non-object refused");
		cJSON_Delete(arr);
	}
	is_int(store_delete(st, k, 2, &rev, &e), 0, "delete");
	is_int(rev, 3, "delete revision");
	is_int(store_get(st, k, &o, &e), -1, "get after delete");
	is_int(e.code, ERR_NOT_FOUND, "gone after delete");
	is_int(store_create(st, k, obj, &rev, &e), 0, "re-create");
	is_int(rev, 4, "re-create revision");
	is_int(store_rev(st), 4, "store_rev");
	cJSON_Delete(obj);
}

static int collect_keys(void *arg, const struct store_obj *o)
{
	struct rec *r = arg;

	if (r->n >= r->cap)
		return 1;
	snprintf(r->ev[r->n].key, sizeof(r->ev[0].key), "%s", o->key);
	r->n++;
	return 0;
}

static void test_list(struct store *st)
{
	static const char *keys[] = {
	    "/registry/pods/ab/x", "/registry/pods/a/c", "/registry/pods/a/a",
	    "/registry/pods/a/b",  "/registry/pods/b/a", "/registry/pods/a0/q",
	};
	struct rec r;
	int64_t rev = 0;
	struct err e;

	for (size_t i = 0; i < 6; i++)
		put(st, keys[i], (int)i, NULL);
	rec_init(&r);
	r.cap = 100;
	r.ev = xcalloc(100, sizeof(*r.ev));
	is_int(store_list(st, "/registry/pods/a/", NULL, collect_keys, &r, &rev,
			  &e),
	       0, "list");
	is_int(r.n, 3, "prefix a/ does not include ab/ or a0/");
	is_str(r.ev[0].key, "/registry/pods/a/a", "sorted 0");
	is_str(r.ev[1].key, "/registry/pods/a/b", "sorted 1");
	is_str(r.ev[2].key, "/registry/pods/a/c", "sorted 2");
	is_int(rev, store_rev(st), "list revision");
	r.n = 0;
	store_list(st, "/registry/pods/a/", "/registry/pods/a/a", collect_keys,
		   &r, NULL, &e);
	is_int(r.n, 2, "start_after skips the first");
	is_str(r.ev[0].key, "/registry/pods/a/b", "page starts after");
	r.n = 0;
	r.cap = 2;
	store_list(st, "/registry/pods/", NULL, collect_keys, &r, NULL, &e);
	is_int(r.n, 2, "fn stops the list");
	r.cap = 100;
	r.n = 0;
	store_list(st, "/registry/pods/", "/registry/pods/a0/q", collect_keys,
		   &r, NULL, &e);
	is_int(r.n, 3, "page after a0/q: ab/x b/a default/a");
	is_str(r.ev[0].key, "/registry/pods/ab/x", "order a0 < ab");
	is_int((long long)store_count(st, "/registry/pods/a/"), 3, "count a/");
	is_int((long long)store_count(st, "/registry/pods/ab/"), 1,
	       "count ab/");
	is_int((long long)store_count(st, "/registry/pods/zz/"), 0,
	       "count none");
	is_int((long long)store_count(st, ""), 7, "count all");
	rec_done(&r);
}

static void test_watch_new(struct store *st)
{
	const char *k = "/registry/cm/ns/w";
	struct store_watch *w = NULL, *other = NULL;
	struct rec r, ro;
	int64_t base = store_rev(st), rev;
	struct err e;
	cJSON *obj = mkobj("w", 1);

	rec_init(&r);
	rec_init(&ro);
	is_int(store_watch(st, "/registry/cm/", 0, rec_fn, &r, &w, &e), 0,
	       "watch from 0");
	store_watch(st, "/registry/other/", 0, rec_fn, &ro, &other, &e);
	put(st, "/registry/pods/zz/q", 1, NULL);
	store_create(st, k, obj, NULL, &e);
	store_update(st, k, 0, obj, NULL, &e);
	store_delete(st, k, 0, &rev, &e);
	is_int(r.n, 3, "three events under the prefix");
	if (r.n == 3) {
		is_int(r.ev[0].type, STORE_ADDED, "ADDED");
		is_int(r.ev[0].rev, base + 2, "ADDED revision");
		is_int(r.ev[1].type, STORE_MODIFIED, "MODIFIED");
		is_int(r.ev[1].prev_rev, base + 2, "MODIFIED prev");
		is_int(r.ev[2].type, STORE_DELETED, "DELETED");
		is_int(r.ev[2].rev, rev, "DELETED has the deletion revision");
		is_int(r.ev[2].prev_rev, base + 3, "DELETED prev");
	}
	is_int(ro.n, 0, "other prefix sees nothing");
	store_unwatch(w);
	store_unwatch(other);
	put(st, k, 5, NULL);
	is_int(r.n, 3, "no event after unwatch");
	/* The tombstone replayed from the log has the deletion RV too. */
	{
		struct rec h;
		struct store_watch *hw;

		rec_init(&h);
		store_watch(st, k, base, rec_fn, &h, &hw, &e);
		is_int(h.n, 4, "history replays 4 events");
		store_unwatch(hw);
		rec_done(&h);
	}
	rec_done(&r);
	rec_done(&ro);
	cJSON_Delete(obj);
}

static void test_resume(void)
{
	struct store *st = open_store("resume.db", 1000, 4);
	struct store_watch *w;
	struct rec r;
	struct err e;

	for (int i = 0; i < 20; i++)
		put(st, i % 2 ? "/registry/a/x" : "/registry/a/y", i, NULL);
	rec_init(&r);
	is_int(store_watch(st, "/registry/a/", 17, rec_fn, &r, &w, &e), 0,
	       "resume from history");
	ok(rec_consecutive(&r, 17, 20), "history replay 18..20 (%d)", r.n);
	store_unwatch(w);
	rec_done(&r);
	rec_init(&r);
	is_int(store_watch(st, "/registry/a/", 2, rec_fn, &r, &w, &e), 0,
	       "resume from the log past the ring");
	put(st, "/registry/a/x", 99, NULL);
	ok(rec_consecutive(&r, 2, 21), "log + ring + live: 3..21 (%d)", r.n);
	if (r.n > 2)
		is_int(r.ev[0].type, STORE_MODIFIED, "rev 3 is MODIFIED");
	store_unwatch(w);
	rec_done(&r);
	rec_init(&r);
	is_int(store_watch(st, "/registry/a/", 1, rec_fn, &r, &w, &e), 0,
	       "resume from 1");
	if (r.n > 0)
		is_int(r.ev[0].type, STORE_ADDED,
		       "rev 2 is ADDED from the log");
	store_unwatch(w);
	rec_done(&r);
	/* A tombstone replayed from the log: DELETED at the deletion RV. */
	store_delete(st, "/registry/a/y", 0, NULL, &e);
	for (int i = 0; i < 6; i++)
		put(st, "/registry/b/z", i, NULL);
	rec_init(&r);
	store_watch(st, "/registry/a/", 21, rec_fn, &r, &w, &e);
	is_int(r.n, 1, "one event under a/ after 21");
	if (r.n == 1) {
		is_int(r.ev[0].type, STORE_DELETED, "DELETED from the log");
		is_int(r.ev[0].rev, 22, "at the deletion revision");
		is_int(r.bad_rv, 0, "tombstone JSON has the deletion RV");
		is_int(r.ev[0].prev_rev, 19,
		       "prev from the log (y last written at 19)");
	}
	store_unwatch(w);
	rec_done(&r);
	store_close(st);
}

/* collect_keys plus the object's revision in ev[].rev. */
static int collect_revs(void *arg, const struct store_obj *o)
{
	struct rec *r = arg;

	if (r->n < r->cap)
		r->ev[r->n].rev = o->rev;
	return collect_keys(arg, o);
}

/* store_list_at: the objects of an older revision, from the log. */
static void test_list_at(void)
{
	struct store *st = open_store("listat.db", 4, 2);
	int64_t r1 = 0, rev = 0;
	struct rec r;
	struct err e;

	put(st, "/registry/s/a", 1, NULL);
	put(st, "/registry/s/b", 1, NULL);
	put(st, "/registry/s/c", 1, &r1);
	put(st, "/registry/s/b", 2, NULL);		/* changed after r1 */
	store_delete(st, "/registry/s/a", 0, NULL, &e);	/* deleted after r1 */
	put(st, "/registry/s/d", 1, NULL);		/* created after r1 */
	put(st, "/registry/sx/a", 1, NULL);		/* outside the prefix */
	rec_init(&r);
	r.cap = 10;
	r.ev = xcalloc(10, sizeof(*r.ev));
	is_int(store_list_at(st, r1, "/registry/s/", NULL, collect_revs, &r,
			     &rev, &e), 0, "list at r1");
	is_int(rev, r1, "reports r1");
	is_int(r.n, 3, "a b c as they were");
	is_str(r.ev[0].key, "/registry/s/a", "deleted later: still there");
	is_int(r.ev[1].rev, r1 - 1, "b at its old revision");
	is_str(r.ev[2].key, "/registry/s/c", "d not yet created");
	r.n = 0;
	store_list_at(st, r1, "/registry/s/", "/registry/s/a", collect_revs, &r,
		      NULL, &e);
	is_int(r.n, 2, "page after a");
	is_str(r.ev[0].key, "/registry/s/b", "page starts at b");
	r.n = 0;
	store_list_at(st, store_rev(st), "/registry/s/", NULL, collect_revs, &r,
		      &rev, &e);
	is_int(r.n, 3, "current: b c d");
	is_str(r.ev[2].key, "/registry/s/d", "current has d");
	for (int i = 0; i < 8; i++)
		put(st, "/registry/s/b", 10 + i, NULL);
	store_compact(st, &e);
	r.n = 0;
	is_int(store_list_at(st, r1, "/registry/s/", NULL, collect_revs, &r,
			     NULL, &e), -1, "below compaction");
	is_int(e.code, ERR_GONE, "ERR_GONE below compaction");
	rec_done(&r);
	store_close(st);
}

static void test_compact_reopen(void)
{
	struct store *st = open_store("compact.db", 5, 2);
	struct store_watch *w;
	struct rec r;
	struct err e;
	int64_t removed;
	const struct store_obj *o;

	for (int i = 0; i < 20; i++)
		put(st, "/registry/c/k", i, NULL);
	put(st, "/registry/c/gone", 1, NULL);
	store_delete(st, "/registry/c/gone", 0, NULL, &e);
	put(st, "/registry/c/live", 1, NULL);
	removed = store_compact(st, &e);
	ok(removed >= 15, "compaction removed rows (%lld)", (long long)removed);
	is_int(store_compacted_rev(st), 18, "compacted revision");
	rec_init(&r);
	is_int(store_watch(st, "/registry/c/", 3, rec_fn, &r, &w, &e), -1,
	       "watch below compaction");
	is_int(e.code, ERR_GONE, "ERR_GONE");
	is_str(e.msg, "too old resource version: 3 (18)", "Kubernetes wording");
	is_int(store_watch(st, "/registry/c/", 18, rec_fn, &r, &w, &e), 0,
	       "watch at the compacted revision");
	ok(rec_consecutive(&r, 18, 23), "replays 19..23 (%d)", r.n);
	store_unwatch(w);
	rec_done(&r);
	store_close(st);

	st = open_store("compact.db", 5, 2);
	ok(st != NULL, "reopen");
	if (!st)
		return;
	is_int(store_rev(st), 23, "revision survives reopen");
	is_int(store_compacted_rev(st), 18, "compacted revision survives");
	is_int((long long)store_count(st, "/registry/c/"), 2, "live objects");
	is_int(store_get(st, "/registry/c/k", &o, &e), 0, "get after reopen");
	is_int(o->rev, 20, "revision of k");
	is_int(o->create_rev, 1, "create revision of k");
	ok(strstr(o->json, "\"resourceVersion\":\"20\"") != NULL, "stored RV");
	store_obj_unref(o);
	is_int(store_get(st, "/registry/c/gone", &o, &e), -1, "deleted stays");
	is_int(put(st, "/registry/c/new", 1, NULL), 0, "write after reopen");
	is_int(store_rev(st), 24, "revisions continue");
	store_close(st);
}

static void test_schedule(void)
{
	char *path = db_path("sched.db");
	struct store_options opt = {
	    .path = path, .compact_keep = 2, .compact_interval_s = 1};
	struct store *st = NULL;
	struct store_stats s;
	struct err e;

	is_int(store_open(&opt, &st, &e), 0, "open with a 1 s schedule");
	for (int i = 0; i < 10; i++)
		put(st, "/registry/s/k", i, NULL);
	for (int i = 0; i < 40 && store_compacted_rev(st) == 0; i++)
		usleep(100000);
	is_int(store_compacted_rev(st), 8, "compacted on schedule");
	store_get_stats(st, &s);
	is_int(s.rev, 10, "stats rev");
	is_int(s.compacted_rev, 8, "stats compacted");
	is_int((long long)s.objects, 1, "stats objects");
	is_int((long long)s.writes, 10, "stats writes");
	ok(s.commits >= 1 && s.commits <= 10, "stats commits");
	ok(s.db_bytes > 0, "stats bytes");
	store_close(st);
	free(path);
}

static void test_fail_commit(struct store *st)
{
	const char *k = "/registry/f/x";
	const struct store_obj *o;
	cJSON *obj = mkobj("x", 1);
	int64_t rev, before;
	struct err e;
	char want[32];

	store_create(st, k, obj, &rev, &e);
	before = store_rev(st);
	store_test_fail_commits(st, 1);
	cJSON_GetObjectItem(obj, "v")->valuedouble = 42;
	is_int(store_update(st, k, 0, obj, NULL, &e), -1, "failed commit");
	is_int(e.code, ERR_IO, "ERR_IO");
	is_int(store_rev(st), before, "revision not consumed");
	store_get(st, k, &o, &e);
	ok(strstr(o->json, "\"v\":1") != NULL, "memory untouched");
	store_obj_unref(o);
	snprintf(want, sizeof(want), "%lld", (long long)before);
	is_str(cJSON_GetObjectItem(cJSON_GetObjectItem(obj, "metadata"),
				   "resourceVersion")
		   ->valuestring,
	       want, "caller's resourceVersion restored");
	is_int(store_update(st, k, 0, obj, &rev, &e), 0, "next write works");
	is_int(rev, before + 1, "next revision");
	cJSON_Delete(obj);
}

/* ---- concurrency ---- */

#define NTHREADS   12
#define PER_THREAD 150

struct wargs {
	struct store *st;
	int id;
	int64_t revs[PER_THREAD];
	int fails;
};

static void *writer(void *arg)
{
	struct wargs *a = arg;

	for (int i = 0; i < PER_THREAD; i++) {
		char key[64];

		snprintf(key, sizeof(key), "/registry/conc/t%d-%d", a->id,
			 i % 10);
		if (put(a->st, key, i, &a->revs[i]))
			a->fails++;
	}
	return NULL;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

struct racer {
	struct store *st;
	atomic_bool stop;
};

static void *race_writer(void *arg)
{
	struct racer *r = arg;

	for (int i = 0; !r->stop; i++) {
		char key[64];

		snprintf(key, sizeof(key), "/registry/race/k%d", i % 50);
		put(r->st, key, i, NULL);
	}
	return NULL;
}

/* Watches registered while writes race: no gap, no duplicate. */
static void test_race(struct store *st, int64_t base)
{
	struct err e;
	struct racer rc = {.st = st};
	pthread_t rt;
	struct rec rs[8];
	struct store_watch *ws[8];
	int64_t from[8], end;
	int good = 0;

	pthread_create(&rt, NULL, race_writer, &rc);
	for (int i = 0; i < 8; i++) {
		usleep(20000);
		rec_init(&rs[i]);
		from[i] = store_rev(st) - (i % 2 ? 100 : 0);
		store_watch(st, "/registry/race/", from[i], rec_fn, &rs[i],
			    &ws[i], &e);
	}
	usleep(20000);
	rc.stop = true;
	pthread_join(rt, NULL);
	end = store_rev(st);
	for (int i = 0; i < 8; i++) {
		/* before the race started, revisions are /conc/ */
		int64_t f = from[i] < base ? base : from[i];

		good += rec_consecutive(&rs[i], f, end);
		store_unwatch(ws[i]);
		rec_done(&rs[i]);
	}
	is_int(good, 8, "8 racing watch registrations exact");
}

static void test_concurrent(void)
{
	struct store *st = open_store("conc.db", 100000, 64);
	struct wargs *a = xcalloc(NTHREADS, sizeof(*a));
	pthread_t th[NTHREADS];
	int64_t *all = xcalloc(NTHREADS * PER_THREAD, sizeof(int64_t));
	struct store_watch *w;
	struct rec r;
	struct err e;
	int fails = 0, bad = 0;

	rec_init(&r);
	store_watch(st, "/registry/conc/", 0, rec_fn, &r, &w, &e);
	for (int i = 0; i < NTHREADS; i++) {
		a[i].st = st;
		a[i].id = i;
		pthread_create(&th[i], NULL, writer, &a[i]);
	}
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(th[i], NULL);
		fails += a[i].fails;
		memcpy(all + i * PER_THREAD, a[i].revs, sizeof(a[i].revs));
	}
	is_int(fails, 0, "no failed concurrent write");
	qsort(all, NTHREADS * PER_THREAD, sizeof(int64_t), cmp64);
	for (int i = 0; i < NTHREADS * PER_THREAD; i++)
		bad += all[i] != i + 1;
	is_int(bad, 0, "revisions 1..N, none lost or duplicated");
	is_int(store_rev(st), NTHREADS * PER_THREAD, "final revision");
	ok(rec_consecutive(&r, 0, NTHREADS * PER_THREAD),
	   "watch saw every revision once, in order (%d)", r.n);
	store_unwatch(w);
	rec_done(&r);

	test_race(st, NTHREADS * PER_THREAD);
	free(all);
	free(a);
	store_close(st);
}

int main(void)
{
	struct store *st;

	snprintf(tmpdir, sizeof(tmpdir), "%s/kdeck-store-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir))
		return 1;
	test_open_errors();
	test_keys();
	st = open_store("main.db", 0, 0);
	ok(st != NULL, "open");
	if (st) {
		test_crud(st);
		test_list(st);
		test_watch_new(st);
		test_fail_commit(st);
		store_close(st);
	}
	test_resume();
	test_list_at();
	test_compact_reopen();
	test_schedule();
	test_concurrent();
	{
		char *cmd = xasprintf("rm -rf '%s'", tmpdir);

		if (system(cmd))
			diag("cleanup failed");
		free(cmd);
	}
	return tap_done();
}
