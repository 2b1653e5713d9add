/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_cache: the controller manager's shared informer cache.
 *
 * Per registered kind (a store key prefix such as "/registry/pods/") it
 * holds the live objects parsed once: a cJSON array in key order (what
 * the control loops iterate, as ctrl_list gave them) and a hash index by
 * store key.  One list fills a kind; a store watch from that list's
 * revision keeps it current.
 *
 * Threads.  The watch callback (ctrl_cache_push) runs on the store's
 * writer thread: it only refs the event's object and appends it to a
 * queue under a mutex, never parses.  Everything else belongs to one
 * thread, the controller worker: ctrl_cache_apply() drains the queue and
 * parses only the last state of each changed key; the arrays and objects
 * it returns are borrowed and stay valid until the next apply (or sync)
 * on that thread, so loops must not keep them across one and must not
 * modify them (json_dup first).
 *
 * Read-your-writes: ctrl_cache_sync() waits (bounded) until the store has
 * delivered every revision up to its current one to the watchers, then
 * applies.  A write acknowledged to the worker (api_call returned) is
 * therefore visible to the next loop.
 */
#ifndef KDECK_CLUSTER_CTRL_CACHE_H
#define KDECK_CLUSTER_CTRL_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "common/err.h"

struct store;
struct store_event;
struct ctrl_cache;

/* Kinds a cache can hold at most. */
#define CTRL_CACHE_MAX_KINDS 32

/*
 * Where the barrier reads revisions: target() is the revision writes are
 * acknowledged up to (store_rev), delivered() the one the watch
 * callbacks have seen up to (store_fanned_rev).  The unit tests fake it.
 */
struct ctrl_cache_clock {
	int64_t (*target)(void *arg);
	int64_t (*delivered)(void *arg);
	void *arg;
};

/*
 * Called by apply for each key whose object changed: old is the object
 * before (NULL when it was added), cur the one now (NULL when deleted).
 * Both borrowed for the call; old is freed right after.  Runs on the
 * applying thread; must not call back into the cache.
 */
typedef void (*ctrl_cache_hook)(void *arg, int kind, const cJSON *old,
				const cJSON *cur);

/*
 * Called on the pushing thread (the store's writer) after each queued
 * event, to wake the consumer; must not block on it or call the cache.
 */
typedef void (*ctrl_cache_notify)(void *arg);

/* An empty cache reading revisions from st (NULL: set a clock). */
struct ctrl_cache *ctrl_cache_new(struct store *st);
/* Unwatch and free everything.  NULL is fine. */
void ctrl_cache_free(struct ctrl_cache *cc);
void ctrl_cache_set_clock(struct ctrl_cache *cc,
			  const struct ctrl_cache_clock *ck);
void ctrl_cache_set_hook(struct ctrl_cache *cc, ctrl_cache_hook fn,
			 void *arg);
void ctrl_cache_set_notify(struct ctrl_cache *cc, ctrl_cache_notify fn,
			   void *arg);

/*
 * Register kind (group NULL for core) and return its index (>= 0).
 * With a store, list it and watch it from the list's revision; without
 * one the kind starts empty and is fed by ctrl_cache_push.  Errors: the
 * store's, or ERR_INTERNAL past CTRL_CACHE_MAX_KINDS.  Worker thread,
 * before any apply.
 */
int ctrl_cache_add_kind(struct ctrl_cache *cc, const char *group,
			const char *res, struct err *e);
/* Index of a registered kind, -1 if not one. */
int ctrl_cache_kind(const struct ctrl_cache *cc, const char *group,
		    const char *res);

/*
 * Queue one store event of kind (the watch callback; any thread, never
 * blocks on the worker).  ev's objects are referenced, not copied.
 */
void ctrl_cache_push(struct ctrl_cache *cc, int kind,
		     const struct store_event *ev);
/* Events queued and not applied yet (any thread). */
size_t ctrl_cache_pending(struct ctrl_cache *cc);

/*
 * Apply the queued events: parse the last state of each changed key,
 * drop deleted ones, call the hook.  Returns the number of keys changed.
 * Invalidates what list/get returned before.  Worker thread.
 */
size_t ctrl_cache_apply(struct ctrl_cache *cc);

/*
 * The barrier: wait at most timeout_ms until the clock's delivered
 * revision reaches its target as read on entry, then apply.  Returns 0,
 * or -1 (ERR_TIMEOUT in e) when it timed out; what was queued is applied
 * either way.  Worker thread.
 */
int ctrl_cache_sync(struct ctrl_cache *cc, int timeout_ms, struct err *e);

/* The kind's objects in key order (borrowed until the next apply). */
const cJSON *ctrl_cache_list(const struct ctrl_cache *cc, int kind);
/* The object at store key, or NULL (borrowed until the next apply). */
const cJSON *ctrl_cache_get(const struct ctrl_cache *cc, const char *key);
/* Revision of the object at key as applied, 0 if absent. */
int64_t ctrl_cache_rev(const struct ctrl_cache *cc, const char *key);

/*
 * Debug check: how many cached objects of kind differ from the stored
 * text they were parsed from (someone modified a borrowed object); the
 * first one's key goes to key[n].  Parses every object: tests only.
 */
size_t ctrl_cache_audit(const struct ctrl_cache *cc, int kind, char *key,
			size_t n);

#endif
