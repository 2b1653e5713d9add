/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_cache: the informer cache of the controller manager (see
 * ctrl_cache.h for the contract).
 *
 * Layout.  Each kind owns a hash of entries (store key -> the store
 * object it was parsed from, kept referenced, and the parsed cJSON) and a
 * cJSON array whose children are exactly the entries' items, linked in
 * key order.  The array is a view: apply changes the hash, frees removed
 * items and, when anything changed, sorts the hash and relinks the
 * children (O(n) pointers, no copying), so loops keep iterating a plain
 * cJSON array.
 *
 * The event queue is a vector of (kind, type, object ref) appended by the
 * store's writer thread under qmu.  apply swaps it out under the lock,
 * keeps only the last event of each key (a burst of status updates of one
 * pod costs one parse) and applies those in order.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uthash.h>

#include "cluster/ctrl_cache.h"
#include "cluster/store.h"
#include "common/json.h"
#include "common/mem.h"

struct cache_ent {
	const char *key;		/* o->key */
	const struct store_obj *o;	/* referenced */
	cJSON *item;			/* a child of the kind's array */
	UT_hash_handle hh;
};

struct cache_ev {
	int kind;
	enum store_ev_type type;
	const struct store_obj *o;	/* referenced */
};

struct watch_arg {
	struct ctrl_cache *cc;
	int kind;
};

struct cache_kind {
	char *group, *res, *prefix;
	cJSON *arr;
	struct cache_ent *idx;
	struct store_watch *w;
	struct watch_arg warg;
	bool relink;
};

struct ctrl_cache {
	struct store *st;
	struct ctrl_cache_clock clock;
	ctrl_cache_hook hook;
	void *hook_arg;
	ctrl_cache_notify notify;
	void *notify_arg;
	struct cache_kind kinds[CTRL_CACHE_MAX_KINDS];
	int nkinds;
	pthread_mutex_t qmu;
	struct cache_ev *q;
	size_t qn, qcap;
};

static int64_t store_target(void *arg)
{
	return store_rev(arg);
}

static int64_t store_delivered(void *arg)
{
	return store_fanned_rev(arg);
}

struct ctrl_cache *ctrl_cache_new(struct store *st)
{
	struct ctrl_cache *cc = xcalloc(1, sizeof(*cc));

	cc->st = st;
	if (st)
		cc->clock = (struct ctrl_cache_clock){ store_target,
						       store_delivered, st };
	pthread_mutex_init(&cc->qmu, NULL);
	return cc;
}

void ctrl_cache_set_clock(struct ctrl_cache *cc,
			  const struct ctrl_cache_clock *ck)
{
	cc->clock = *ck;
}

void ctrl_cache_set_hook(struct ctrl_cache *cc, ctrl_cache_hook fn, void *arg)
{
	cc->hook = fn;
	cc->hook_arg = arg;
}

void ctrl_cache_set_notify(struct ctrl_cache *cc, ctrl_cache_notify fn,
			   void *arg)
{
	cc->notify = fn;
	cc->notify_arg = arg;
}

/* Free one entry and its item (already out of the hash). */
static void ent_free(struct cache_ent *en)
{
	en->item->next = en->item->prev = NULL;
	cJSON_Delete(en->item);
	store_obj_unref(en->o);
	free(en);
}

static void kind_done(struct cache_kind *k)
{
	struct cache_ent *en, *tmp;

	store_unwatch(k->w);
	HASH_ITER(hh, k->idx, en, tmp) {
		HASH_DEL(k->idx, en);
		ent_free(en);
	}
	if (k->arr)
		k->arr->child = NULL;
	cJSON_Delete(k->arr);
	free(k->group);
	free(k->res);
	free(k->prefix);
}

void ctrl_cache_free(struct ctrl_cache *cc)
{
	if (!cc)
		return;
	for (int i = 0; i < cc->nkinds; i++)
		store_unwatch(cc->kinds[i].w);
	for (int i = 0; i < cc->nkinds; i++) {
		cc->kinds[i].w = NULL;
		kind_done(&cc->kinds[i]);
	}
	for (size_t i = 0; i < cc->qn; i++)
		store_obj_unref(cc->q[i].o);
	free(cc->q);
	pthread_mutex_destroy(&cc->qmu);
	free(cc);
}

static int cmp_ent(const struct cache_ent *a, const struct cache_ent *b)
{
	return strcmp(a->key, b->key);
}

/* Sort the hash by key and relink the array's children in that order. */
static void kind_relink(struct cache_kind *k)
{
	struct cache_ent *en, *tmp;
	cJSON *prev = NULL;

	HASH_SRT(hh, k->idx, cmp_ent);
	k->arr->child = NULL;
	HASH_ITER(hh, k->idx, en, tmp) {
		en->item->prev = prev;
		en->item->next = NULL;
		if (prev)
			prev->next = en->item;
		else
			k->arr->child = en->item;
		prev = en->item;
	}
	if (k->arr->child)
		k->arr->child->prev = prev;	/* cJSON: head->prev is the tail */
	k->relink = false;
}

/*
 * Make o (parsed here) the state of its key in k.  Returns the new entry,
 * or NULL when o's revision is the one already held.  A replaced entry is
 * taken out of the hash and handed back in *old_ent (caller ent_frees).
 */
static struct cache_ent *kind_put(struct cache_kind *k,
				  const struct store_obj *o,
				  struct cache_ent **old_ent)
{
	struct cache_ent *en = NULL, *nw;

	*old_ent = NULL;
	HASH_FIND_STR(k->idx, o->key, en);
	if (en && en->o->rev == o->rev)
		return NULL;	/* already applied (list raced the watch) */
	nw = xcalloc(1, sizeof(*nw));
	store_obj_ref(o);
	nw->o = o;
	nw->key = o->key;
	nw->item = store_obj_parse(o);
	if (en) {
		HASH_DEL(k->idx, en);
		*old_ent = en;
	}
	HASH_ADD_KEYPTR(hh, k->idx, nw->key, strlen(nw->key), nw);
	k->relink = true;
	return nw;
}

/* Remove key from k; returns the removed entry (caller frees) or NULL. */
static struct cache_ent *kind_del(struct cache_kind *k, const char *key)
{
	struct cache_ent *en = NULL;

	HASH_FIND_STR(k->idx, key, en);
	if (en) {
		HASH_DEL(k->idx, en);
		k->relink = true;
	}
	return en;
}

static int list_cb(void *arg, const struct store_obj *o)
{
	struct cache_ent *old;

	kind_put(arg, o, &old);
	if (old)
		ent_free(old);
	return 0;
}

static void watch_cb(void *arg, const struct store_event *ev)
{
	struct watch_arg *wa = arg;

	ctrl_cache_push(wa->cc, wa->kind, ev);
}

int ctrl_cache_add_kind(struct ctrl_cache *cc, const char *group,
			const char *res, struct err *e)
{
	struct cache_kind *k;
	int64_t rev = 0;

	if (cc->nkinds >= CTRL_CACHE_MAX_KINDS)
		return err_set(e, ERR_INTERNAL, "controller cache: too many kinds");
	k = &cc->kinds[cc->nkinds];
	memset(k, 0, sizeof(*k));
	k->group = group ? xstrdup(group) : NULL;
	k->res = xstrdup(res);
	k->prefix = store_key(group, res, NULL, NULL);
	k->arr = cJSON_CreateArray();
	k->warg = (struct watch_arg){ cc, cc->nkinds };
	if (cc->st &&
	    (store_list(cc->st, k->prefix, NULL, list_cb, k, &rev, e) < 0 ||
	     store_watch(cc->st, k->prefix, rev, watch_cb, &k->warg, &k->w, e) < 0)) {
		kind_done(k);
		return -1;
	}
	kind_relink(k);
	return cc->nkinds++;
}

int ctrl_cache_kind(const struct ctrl_cache *cc, const char *group,
		    const char *res)
{
	for (int i = 0; i < cc->nkinds; i++) {
		const struct cache_kind *k = &cc->kinds[i];

		if (!strcmp(k->res, res) &&
		    !strcmp(k->group ? k->group : "", group ? group : ""))
			return i;
	}
	return -1;
}

void ctrl_cache_push(struct ctrl_cache *cc, int kind,
		     const struct store_event *ev)
{
	store_obj_ref(ev->obj);
	pthread_mutex_lock(&cc->qmu);
	if (cc->qn == cc->qcap) {
		cc->qcap = cc->qcap ? cc->qcap * 2 : 64;
		cc->q = xrealloc(cc->q, cc->qcap * sizeof(*cc->q));
	}
	cc->q[cc->qn++] = (struct cache_ev){ kind, ev->type, ev->obj };
	pthread_mutex_unlock(&cc->qmu);
	if (cc->notify)
		cc->notify(cc->notify_arg);
}

size_t ctrl_cache_pending(struct ctrl_cache *cc)
{
	size_t n;

	pthread_mutex_lock(&cc->qmu);
	n = cc->qn;
	pthread_mutex_unlock(&cc->qmu);
	return n;
}

/* Marks of the events that are the last one of their key in a batch. */
struct last_mark {
	const char *key;
	size_t at;
	UT_hash_handle hh;
};

static bool *last_of_key(const struct cache_ev *q, size_t n)
{
	struct last_mark *marks = NULL, *m, *tmp;
	struct last_mark *pool = xcalloc(n ? n : 1, sizeof(*pool));
	bool *last = xcalloc(n ? n : 1, sizeof(*last));
	size_t used = 0;

	for (size_t i = 0; i < n; i++) {
		HASH_FIND_STR(marks, q[i].o->key, m);
		if (!m) {
			m = &pool[used++];
			m->key = q[i].o->key;
			HASH_ADD_KEYPTR(hh, marks, m->key, strlen(m->key), m);
		}
		m->at = i;
	}
	HASH_ITER(hh, marks, m, tmp) {
		last[m->at] = true;
		HASH_DEL(marks, m);
	}
	free(pool);
	return last;
}

/* Apply one (last-of-key) event; returns 1 if the key changed. */
static size_t apply_one(struct ctrl_cache *cc, const struct cache_ev *ev)
{
	struct cache_kind *k = &cc->kinds[ev->kind];
	struct cache_ent *old = NULL, *nw = NULL;

	if (ev->type == STORE_DELETED)
		old = kind_del(k, ev->o->key);
	else if (!(nw = kind_put(k, ev->o, &old)))
		return 0;
	if (!old && !nw)
		return 0;
	if (cc->hook)
		cc->hook(cc->hook_arg, ev->kind, old ? old->item : NULL,
			 nw ? nw->item : NULL);
	if (old)
		ent_free(old);
	return 1;
}

size_t ctrl_cache_apply(struct ctrl_cache *cc)
{
	struct cache_ev *q;
	size_t n, changed = 0;
	bool *last;

	pthread_mutex_lock(&cc->qmu);
	q = cc->q;
	n = cc->qn;
	cc->q = NULL;
	cc->qn = cc->qcap = 0;
	pthread_mutex_unlock(&cc->qmu);
	if (!n)
		return 0;
	last = last_of_key(q, n);
	for (size_t i = 0; i < n; i++) {
		if (last[i])
			changed += apply_one(cc, &q[i]);
		store_obj_unref(q[i].o);
	}
	for (int i = 0; i < cc->nkinds; i++)
		if (cc->kinds[i].relink)
			kind_relink(&cc->kinds[i]);
	free(last);
	free(q);
	return changed;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ctrl_cache_sync(struct ctrl_cache *cc, int timeout_ms, struct err *e)
{
	int64_t target, deadline = now_ms() + timeout_ms;
	struct timespec nap = { 0, 50000 };	/* 50 us, doubling to 2 ms */
	int rc = 0;

	if (cc->clock.target) {
		target = cc->clock.target(cc->clock.arg);
		while (cc->clock.delivered(cc->clock.arg) < target) {
			if (now_ms() >= deadline) {
				rc = err_set(e, ERR_TIMEOUT,
					     "controller cache: revision %lld not delivered in %d ms",
					     (long long)target, timeout_ms);
				break;
			}
			nanosleep(&nap, NULL);
			if (nap.tv_nsec < 2000000)
				nap.tv_nsec *= 2;
		}
	}
	ctrl_cache_apply(cc);
	return rc;
}

const cJSON *ctrl_cache_list(const struct ctrl_cache *cc, int kind)
{
	if (kind < 0 || kind >= cc->nkinds)
		return NULL;
	return cc->kinds[kind].arr;
}

/* The entry at key in whichever kind's prefix it falls under. */
static const struct cache_ent *find_ent(const struct ctrl_cache *cc,
					const char *key)
{
	for (int i = 0; i < cc->nkinds; i++) {
		const struct cache_kind *k = &cc->kinds[i];
		struct cache_ent *en = NULL;

		if (strncmp(key, k->prefix, strlen(k->prefix)))
			continue;
		HASH_FIND_STR(k->idx, key, en);
		return en;
	}
	return NULL;
}

const cJSON *ctrl_cache_get(const struct ctrl_cache *cc, const char *key)
{
	const struct cache_ent *en = find_ent(cc, key);

	return en ? en->item : NULL;
}

int64_t ctrl_cache_rev(const struct ctrl_cache *cc, const char *key)
{
	const struct cache_ent *en = find_ent(cc, key);

	return en ? en->o->rev : 0;
}

size_t ctrl_cache_audit(const struct ctrl_cache *cc, int kind, char *key,
			size_t n)
{
	const struct cache_kind *k;
	struct cache_ent *en, *tmp;
	size_t bad = 0;

	if (kind < 0 || kind >= cc->nkinds)
		return 0;
	k = &cc->kinds[kind];
	HASH_ITER(hh, k->idx, en, tmp) {
		cJSON *fresh = store_obj_parse(en->o);

		if (!json_equal(fresh, en->item) && !bad++ && n)
			snprintf(key, n, "%s", en->key);
		cJSON_Delete(fresh);
	}
	return bad;
}
