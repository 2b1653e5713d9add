/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ctrl_cache: the controllers' informer cache.  Fake event sequences
 * (ADDED, MODIFIED, DELETED, repeats of one key in a batch) applied to a
 * store-less cache; key order and index lookups; the change hook; the
 * barrier against a fake clock (caught up, timing out); and a real store
 * feeding the cache through its watch (initial list, then writes).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/ctrl_cache.h"
#include "cluster/store_int.h"
#include "common/json.h"
#include "common/mem.h"
#include "tests/tap.h"

static int64_t revision = 1;

/* A fake event of key with the object text {"metadata":{"name":name,...}}. */
static void push(struct ctrl_cache *cc, int kind, enum store_ev_type t,
		 const char *key, const char *name, const char *val)
{
	char json[512];
	const struct store_obj *o;
	struct store_event ev = { t, NULL, NULL };

	snprintf(json, sizeof(json),
		 "{\"metadata\":{\"name\":\"%s\",\"resourceVersion\":\"%lld\"},"
		 "\"v\":\"%s\"}", name, (long long)revision, val);
	o = store_obj_new(key, json, strlen(json), revision++, 1);
	ev.obj = o;
	ctrl_cache_push(cc, kind, &ev);
	store_obj_unref(o);
}

/* Names of the kind's list, comma separated, into out. */
static const char *names(struct ctrl_cache *cc, int kind, char *out, size_t n)
{
	const cJSON *it;
	size_t len = 0;

	out[0] = '\0';
	cJSON_ArrayForEach(it, ctrl_cache_list(cc, kind))
		len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "," : "",
					json_get_str(it, "metadata.name"));
	return out;
}

struct hook_log {
	int adds, mods, dels;
};

static void hook(void *arg, int kind, const cJSON *old, const cJSON *cur)
{
	struct hook_log *h = arg;

	(void)kind;
	if (!old)
		h->adds++;
	else if (!cur)
		h->dels++;
	else
		h->mods++;
}

static void test_events(void)
{
	struct ctrl_cache *cc = ctrl_cache_new(NULL);
	struct hook_log h = { 0 };
	struct err e;
	char buf[256];
	int pods, nodes;

	ctrl_cache_set_hook(cc, hook, &h);
	pods = ctrl_cache_add_kind(cc, NULL, "pods", &e);
	nodes = ctrl_cache_add_kind(cc, NULL, "nodes", &e);
	is_int(pods, 0, "first kind is 0");
	is_int(nodes, 1, "second kind is 1");
	is_int(ctrl_cache_kind(cc, NULL, "nodes"), 1, "kind lookup");
	is_int(ctrl_cache_kind(cc, "apps", "pods"), -1, "kind lookup by group");
	is_int(cJSON_GetArraySize(ctrl_cache_list(cc, pods)), 0, "starts empty");

	push(cc, pods, STORE_ADDED, "/registry/pods/ns/c", "c", "1");
	push(cc, pods, STORE_ADDED, "/registry/pods/ns/a", "a", "1");
	push(cc, pods, STORE_ADDED, "/registry/pods/ns/b", "b", "1");
	push(cc, nodes, STORE_ADDED, "/registry/nodes/n1", "n1", "1");
	is_int((int)ctrl_cache_pending(cc), 4, "four events queued");
	is_int(cJSON_GetArraySize(ctrl_cache_list(cc, pods)), 0,
	       "nothing visible before apply");
	is_int((int)ctrl_cache_apply(cc), 4, "four keys changed");
	is_int((int)ctrl_cache_pending(cc), 0, "queue drained");
	is_str(names(cc, pods, buf, sizeof(buf)), "a,b,c", "list in key order");
	is_str(names(cc, nodes, buf, sizeof(buf)), "n1", "kinds apart");
	is_int(h.adds, 4, "hook saw four adds");

	push(cc, pods, STORE_MODIFIED, "/registry/pods/ns/b", "b", "2");
	push(cc, pods, STORE_MODIFIED, "/registry/pods/ns/b", "b", "3");
	push(cc, pods, STORE_DELETED, "/registry/pods/ns/a", "a", "1");
	push(cc, pods, STORE_ADDED, "/registry/pods/ns/x", "x", "1");
	push(cc, pods, STORE_DELETED, "/registry/pods/ns/x", "x", "1");
	is_int((int)ctrl_cache_apply(cc), 2,
	       "b modified twice and a deleted: two changes (x came and went)");
	is_str(names(cc, pods, buf, sizeof(buf)), "b,c", "a and x gone");
	is_str(json_get_str(ctrl_cache_get(cc, "/registry/pods/ns/b"), "v"), "3",
	       "the last state of b");
	is_int(h.mods, 1, "one modification reported (coalesced)");
	is_int(h.dels, 1, "one deletion reported");
	ok(ctrl_cache_get(cc, "/registry/pods/ns/a") == NULL, "a not indexed");
	ok(ctrl_cache_get(cc, "/registry/pods/ns/zz") == NULL, "unknown key");
	ok(ctrl_cache_get(cc, "/registry/secrets/ns/b") == NULL, "unknown kind");
	ok(ctrl_cache_rev(cc, "/registry/pods/ns/b") > 0, "revision of b kept");

	push(cc, pods, STORE_DELETED, "/registry/pods/ns/nothere", "nothere", "1");
	is_int((int)ctrl_cache_apply(cc), 0, "deleting an unknown key changes nothing");
	push(cc, pods, STORE_ADDED, "/registry/pods/ns/a", "a", "9");
	push(cc, pods, STORE_ADDED, "/registry/pods/aa/z", "z", "9");
	ctrl_cache_apply(cc);
	is_str(names(cc, pods, buf, sizeof(buf)), "z,a,b,c",
	       "re-added keys sorted (namespace aa first)");
	is_int(ctrl_cache_audit(cc, pods, buf, sizeof(buf)), 0,
	       "audit: nothing modified");
	json_set_str((cJSON *)ctrl_cache_get(cc, "/registry/pods/ns/c"), "v", "evil");
	is_int(ctrl_cache_audit(cc, pods, buf, sizeof(buf)), 1,
	       "audit: one object modified in place");
	is_str(buf, "/registry/pods/ns/c", "audit names it");
	ctrl_cache_free(cc);
	ctrl_cache_free(NULL);
	ok(1, "free(NULL) is a no-op");
}

static void test_limits(void)
{
	struct ctrl_cache *cc = ctrl_cache_new(NULL);
	struct err e;
	char res[32];
	int rc = 0;

	err_clear(&e);
	for (int i = 0; i <= CTRL_CACHE_MAX_KINDS && rc >= 0; i++) {
		snprintf(res, sizeof(res), "kind%d", i);
		rc = ctrl_cache_add_kind(cc, NULL, res, &e);
	}
	is_int(rc, -1, "past the maximum of kinds fails");
	is_int(e.code, ERR_INTERNAL, "as an internal error");
	ok(ctrl_cache_list(cc, -1) == NULL, "no list for a bad kind");
	ok(ctrl_cache_list(cc, CTRL_CACHE_MAX_KINDS) == NULL, "nor past the end");
	ctrl_cache_free(cc);
}

struct fake_clock {
	int64_t target, delivered;
};

static int64_t fake_target(void *arg)
{
	return ((struct fake_clock *)arg)->target;
}

static int64_t fake_delivered(void *arg)
{
	return ((struct fake_clock *)arg)->delivered;
}

static void test_barrier(void)
{
	struct ctrl_cache *cc = ctrl_cache_new(NULL);
	struct fake_clock fc = { 10, 10 };
	struct ctrl_cache_clock ck = { fake_target, fake_delivered, &fc };
	struct err e;
	int pods;

	err_clear(&e);
	ctrl_cache_set_clock(cc, &ck);
	pods = ctrl_cache_add_kind(cc, NULL, "pods", &e);
	push(cc, pods, STORE_ADDED, "/registry/pods/ns/a", "a", "1");
	is_int(ctrl_cache_sync(cc, 100, &e), 0, "caught up: no wait");
	is_int(cJSON_GetArraySize(ctrl_cache_list(cc, pods)), 1,
	       "the barrier applied the queue");
	fc.target = 12;
	push(cc, pods, STORE_ADDED, "/registry/pods/ns/b", "b", "1");
	is_int(ctrl_cache_sync(cc, 20, &e), -1, "behind: times out");
	is_int(e.code, ERR_TIMEOUT, "with ERR_TIMEOUT");
	is_int(cJSON_GetArraySize(ctrl_cache_list(cc, pods)), 2,
	       "what was queued is applied anyway");
	fc.delivered = 13;
	is_int(ctrl_cache_sync(cc, 20, &e), 0, "ahead of the target: fine");
	ctrl_cache_free(cc);
}

static struct store *open_store(const char *dir)
{
	struct store_options opt = { 0 };
	struct store *st = NULL;
	char path[512];
	struct err e;

	snprintf(path, sizeof(path), "%s/db", dir);
	opt.path = path;
	opt.relaxed_sync = true;
	if (store_open(&opt, &st, &e))
		printf("# store_open: %s\n", e.msg);
	return st;
}

static void put(struct store *st, const char *ns, const char *name, bool create)
{
	char *k = store_key(NULL, "pods", ns, name);
	cJSON *o = cJSON_CreateObject();
	struct err e;

	json_set_str(o, "metadata.name", name);
	json_set_str(o, "metadata.namespace", ns);
	json_set_str(o, "spec.nodeName", create ? "" : "n1");
	if (create)
		store_create(st, k, o, NULL, &e);
	else
		store_update(st, k, 0, o, NULL, &e);
	cJSON_Delete(o);
	free(k);
}

static void test_store(const char *dir)
{
	struct store *st = open_store(dir);
	struct ctrl_cache *cc;
	struct err e;
	char buf[256], *k;
	int pods;

	ok(st != NULL, "store opened");
	if (!st)
		return;
	put(st, "ns", "before", true);
	cc = ctrl_cache_new(st);
	pods = ctrl_cache_add_kind(cc, NULL, "pods", &e);
	is_str(names(cc, pods, buf, sizeof(buf)), "before", "initial list");
	put(st, "ns", "after", true);
	put(st, "ns", "before", false);
	k = store_key(NULL, "pods", "ns", "after");
	store_delete(st, k, 0, NULL, &e);
	free(k);
	put(st, "kube", "third", true);
	is_int(ctrl_cache_sync(cc, 2000, &e), 0, "barrier over a real store");
	is_str(names(cc, pods, buf, sizeof(buf)), "third,before",
	       "writes seen through the watch");
	is_str(json_get_str(ctrl_cache_get(cc, "/registry/pods/ns/before"),
			    "spec.nodeName"), "n1", "the update applied");
	ok(store_fanned_rev(st) == store_rev(st), "fan-out caught up");
	ctrl_cache_free(cc);
	store_close(st);
}

int main(void)
{
	char dir[] = "/tmp/kdeck-test-ctrl-cache.XXXXXX";

	test_events();
	test_limits();
	test_barrier();
	if (mkdtemp(dir)) {
		static const char *const files[] = { "db", "db-wal", "db-shm" };
		char path[600];

		test_store(dir);
		for (size_t i = 0; i < 3; i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
			unlink(path);
		}
		rmdir(dir);
	}
	return tap_done();
}
