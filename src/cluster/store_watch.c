/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_watch: watchers, the in-memory event history and resuming.
 *
 * The writer delivers every committed batch under fan_mu: it appends the
 * events to the history ring and calls each watcher whose prefix matches.
 * fanned_rev is the newest revision delivered so far; every revision up to
 * it is either in the ring (the ring holds consecutive revisions, one event
 * per revision) or in the SQLite log.
 *
 * Registration without gaps or duplicates: under fan_mu nothing is being
 * delivered, so a watcher that replays (from_rev, fanned_rev] from the ring
 * and is linked before fan_mu is released sees every later event exactly
 * once.  When the ring no longer reaches back to from_rev the older part is
 * replayed from the log first, without fan_mu (the writer keeps going), up
 * to the fanned_rev seen at that moment; then the loop takes fan_mu again
 * and finishes from the ring.  Each watcher also remembers the revision it
 * has seen up to (min_rev) and the fan-out skips anything at or below it,
 * so a from_rev ahead of fanned_rev (a list that raced the fan-out) is not
 * delivered twice.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/store_int.h"
#include "common/mem.h"

struct store_watch {
	struct store *st;
	char *prefix;
	size_t plen;
	int64_t min_rev; /* deliver only revisions above this */
	void (*fn)(void *arg, const struct store_event *ev);
	void *arg;
	struct store_watch *prev, *next;
};

void store_ring_init(struct store_ring *r, size_t cap)
{
	r->ev = xcalloc(cap, sizeof(*r->ev));
	r->cap = cap;
	r->head = r->n = 0;
}

static void ring_push(struct store_ring *r, const struct store_event *ev)
{
	struct store_event *slot;

	if (r->n == r->cap) {
		slot = &r->ev[r->head];
		store_obj_unref(slot->obj);
		store_obj_unref(slot->prev);
		r->head = (r->head + 1) % r->cap;
		r->n--;
	}
	slot = &r->ev[(r->head + r->n) % r->cap];
	*slot = *ev;
	store_obj_ref(slot->obj);
	if (slot->prev)
		store_obj_ref(slot->prev);
	r->n++;
}

void store_ring_done(struct store_ring *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct store_event *ev = &r->ev[(r->head + i) % r->cap];

		store_obj_unref(ev->obj);
		store_obj_unref(ev->prev);
	}
	free(r->ev);
	r->ev = NULL;
	r->n = r->cap = 0;
}

static bool matches(const struct store_watch *w, const struct store_event *ev)
{
	return ev->obj->rev > w->min_rev &&
	       !strncmp(ev->obj->key, w->prefix, w->plen);
}

void store_fanout(struct store *st, const struct store_event *ev, size_t n)
{
	pthread_mutex_lock(&st->fan_mu);
	for (size_t i = 0; i < n; i++) {
		ring_push(&st->ring, &ev[i]);
		for (struct store_watch *w = st->watchers; w; w = w->next)
			if (matches(w, &ev[i]))
				w->fn(w->arg, &ev[i]);
		st->fanned_rev = ev[i].obj->rev;
	}
	pthread_mutex_unlock(&st->fan_mu);
}

int64_t store_fanned_rev(struct store *st)
{
	int64_t r;

	pthread_mutex_lock(&st->fan_mu);
	r = st->fanned_rev;
	pthread_mutex_unlock(&st->fan_mu);
	return r;
}

/* Can the ring replay everything above rev?  Called under fan_mu. */
static bool ring_covers(const struct store *st, int64_t rev)
{
	const struct store_ring *r = &st->ring;

	if (rev >= st->fanned_rev)
		return true;
	return r->n && r->ev[r->head].obj->rev <= rev + 1;
}

/* Deliver ring events above w->min_rev to w.  Called under fan_mu. */
static void ring_replay(struct store *st, struct store_watch *w)
{
	const struct store_ring *r = &st->ring;

	for (size_t i = 0; i < r->n; i++) {
		const struct store_event *ev = &r->ev[(r->head + i) % r->cap];

		if (matches(w, ev))
			w->fn(w->arg, ev);
	}
}

static void link_watch(struct store *st, struct store_watch *w)
{
	w->next = st->watchers;
	if (st->watchers)
		st->watchers->prev = w;
	st->watchers = w;
	atomic_fetch_add(&st->nwatchers, 1);
}

/* Replay (from, to] from the log through the replay connection. */
static int log_replay(struct store *st, struct store_watch *w, int64_t from,
		      int64_t to, struct err *e)
{
	int rc;

	pthread_mutex_lock(&st->rd_mu);
	rc = store_log_replay(st->rdb, from, to, w->prefix, w->fn, w->arg, e);
	pthread_mutex_unlock(&st->rd_mu);
	return rc;
}

static int gone(struct store *st, int64_t from, struct err *e)
{
	return err_set(e, ERR_GONE, "too old resource version: %lld (%lld)",
		       (long long)from, (long long)atomic_load(&st->compacted));
}

int store_watch(struct store *st, const char *prefix, int64_t from_rev,
		void (*fn)(void *arg, const struct store_event *ev), void *arg,
		struct store_watch **out, struct err *e)
{
	struct store_watch *w;
	int64_t cur = from_rev, target;

	if (from_rev < 0)
		return err_set(e, ERR_BAD_REQUEST, "bad resource version %lld",
			       (long long)from_rev);
	if (from_rev > 0 && from_rev < atomic_load(&st->compacted))
		return gone(st, from_rev, e);
	w = xcalloc(1, sizeof(*w));
	w->st = st;
	w->prefix = xstrdup(prefix ? prefix : "");
	w->plen = strlen(w->prefix);
	w->fn = fn;
	w->arg = arg;
	for (;;) {
		pthread_mutex_lock(&st->fan_mu);
		if (from_rev == 0 || ring_covers(st, cur))
			break;
		target = st->fanned_rev;
		pthread_mutex_unlock(&st->fan_mu);
		if (log_replay(st, w, cur, target, e)) {
			free(w->prefix);
			free(w);
			return -1;
		}
		cur = target;
	}
	w->min_rev = from_rev == 0 ? st->fanned_rev : cur;
	if (w->min_rev < st->fanned_rev)
		ring_replay(st, w);
	if (w->min_rev < st->fanned_rev)
		w->min_rev = st->fanned_rev;
	link_watch(st, w);
	pthread_mutex_unlock(&st->fan_mu);
	*out = w;
	return 0;
}

void store_unwatch(struct store_watch *w)
{
	struct store *st;

	if (!w)
		return;
	st = w->st;
	pthread_mutex_lock(&st->fan_mu);
	if (w->prev)
		w->prev->next = w->next;
	else
		st->watchers = w->next;
	if (w->next)
		w->next->prev = w->prev;
	atomic_fetch_sub(&st->nwatchers, 1);
	pthread_mutex_unlock(&st->fan_mu);
	free(w->prefix);
	free(w);
}

void store_watchers_free(struct store *st)
{
	while (st->watchers) {
		struct store_watch *w = st->watchers;

		st->watchers = w->next;
		free(w->prefix);
		free(w);
	}
}
