/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store: the embedded cluster's durable, versioned object store.
 *
 * One SQLite file in WAL mode holds a revision log: every write is a row
 * and the row's id is the global revision, which is the resourceVersion
 * Kubernetes clients see.  An in-memory copy of the current state (the
 * watch cache) serves get, list and watch without touching SQLite; the log
 * is read only at start-up and to resume watches older than the in-memory
 * event history.  Writes are queued to one writer thread that commits them
 * in batches (group commit) and only then acknowledges them and fans the
 * events out to watchers, so an acknowledged write is durable and watchers
 * never see a write that could still be lost.
 *
 * Keys are "/registry/<resource>[.<group>]/<namespace>/<name>" for
 * namespaced objects and "/registry/<resource>[.<group>]/<name>" for
 * cluster-scoped ones (see store_key).  Values are Kubernetes objects as
 * JSON; the store sets metadata.resourceVersion to the write's revision in
 * the stored text, so reads need no rewriting.
 *
 * Threads: every function may be called from any thread.
 */
#ifndef KDECK_CLUSTER_STORE_H
#define KDECK_CLUSTER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "common/err.h"

struct store;

struct store_options {
	const char *path;		/* SQLite file; created if missing */
	int64_t compact_keep;		/* revisions kept by compaction (default 100000) */
	int compact_interval_s;		/* 0 = default 300 s; <0 = never
					   (store_compact still works) */
	size_t history_events;		/* in-memory event history (default 10000) */
	/*
	 * Durability of acknowledged writes.  false (default): SQLite
	 * synchronous=FULL, every group commit fsyncs the WAL, so they survive
	 * power loss.  true: synchronous=NORMAL, no fsync per commit (about
	 * 20x the write rate on slow disks); they survive any crash of the
	 * process (kill -9) but the last commits may be lost on power loss.
	 */
	bool relaxed_sync;
};

/* Open (and recover) the store; starts the writer and compactor threads. */
int store_open(const struct store_options *opt, struct store **out,
	       struct err *e);
/* Finish queued writes, stop threads, close the file.  NULL is fine. */
void store_close(struct store *st);

/* Current (latest committed) revision. */
int64_t store_rev(struct store *st);
/*
 * Newest revision already delivered to the watchers: every watch callback
 * for a revision <= this has returned.  It trails store_rev() only while
 * the writer is between applying a batch and fanning it out (a write is
 * acknowledged after its fan-out), so a reader that waits until it
 * reaches store_rev() has seen, through its watches, every write
 * acknowledged so far.  Takes the fan-out lock: waits for a fan-out in
 * progress.
 */
int64_t store_fanned_rev(struct store *st);
/* Oldest revision a watch may still resume from (compacted below). */
int64_t store_compacted_rev(struct store *st);

/*
 * Build a key into a fresh string (caller frees); group and ns may be
 * NULL/"".  name NULL gives the list prefix, ending in '/'.
 */
char *store_key(const char *group, const char *resource, const char *ns,
		const char *name);

/*
 * A read-only snapshot of one object.  Refcounted: objects returned by
 * get/list/watch stay valid until released, whatever writes follow.
 */
struct store_obj {
	const char *key;
	const char *json;	/* the object, with metadata.resourceVersion */
	size_t len;
	int64_t rev;		/* revision of the last write (mod revision) */
	int64_t create_rev;
};
void store_obj_ref(const struct store_obj *o);
void store_obj_unref(const struct store_obj *o);	/* NULL is fine */
/* Parse o->json; caller frees with cJSON_Delete.  Never NULL. */
cJSON *store_obj_parse(const struct store_obj *o);

/*
 * A reader's memo on a snapshot: what a reader derived from the JSON text
 * (Table cells, labels) kept with this revision of the object, so the
 * next LIST does not parse it again.  The memo starts with this header;
 * the store calls free_fn when the snapshot's last reference goes.
 */
struct store_memo {
	void (*free_fn)(struct store_memo *m);
};
/* The snapshot's memo or NULL.  Any thread. */
struct store_memo *store_obj_memo(const struct store_obj *o);
/*
 * Attach m unless another thread attached one first: returns the memo
 * that stays (m, or the earlier one, in which case m is freed).  Takes m.
 */
struct store_memo *store_obj_memo_set(const struct store_obj *o,
				      struct store_memo *m);

/*
 * Writes.  obj is the full object; the store writes its own copy with
 * metadata.resourceVersion set (the caller's cJSON is updated to match,
 * so callers can return it).  expect_rev > 0 makes the write conditional
 * on the key's current revision (optimistic concurrency).  *rev_out (may
 * be NULL) gets the new revision.  Errors: ERR_ALREADY_EXISTS (create of a
 * live key), ERR_NOT_FOUND (update/delete of a missing key), ERR_CONFLICT
 * (expect_rev mismatch), ERR_IO (SQLite failure: nothing was written).
 * They return only after the write is durable.
 */
int store_create(struct store *st, const char *key, cJSON *obj,
		 int64_t *rev_out, struct err *e);
int store_update(struct store *st, const char *key, int64_t expect_rev,
		 cJSON *obj, int64_t *rev_out, struct err *e);
/* The DELETED event carries the last state with the deletion revision. */
int store_delete(struct store *st, const char *key, int64_t expect_rev,
		 int64_t *rev_out, struct err *e);

/* Current object at key (ref'd, caller unrefs) or ERR_NOT_FOUND. */
int store_get(struct store *st, const char *key,
	      const struct store_obj **out, struct err *e);

/*
 * Call fn for every live object whose key starts with prefix, in key
 * order, starting after start_after (NULL = from the first), stopping
 * early when fn returns non-zero.  The objects are borrowed for the
 * duration of the call (ref them to keep them).  *rev_out = the revision
 * the list reflects, set before the first call of fn (fn may read it).
 * Consistent: no write is half seen.  fn runs under
 * the state's read lock: it may call store_get/list/count but must not
 * write (the write would wait for the writer, which waits for the lock).
 */
int store_list(struct store *st, const char *prefix, const char *start_after,
	       int (*fn)(void *arg, const struct store_obj *o), void *arg,
	       int64_t *rev_out, struct err *e);
/*
 * store_list as of revision rev (a consistent snapshot for the pages of
 * one list, and Exact lists of older revisions): rev <= 0 or at/above the
 * current revision lists the current state; older ones are read from the
 * revision log (ERR_GONE below the compacted revision).  *rev_out is set
 * before the first call of fn.  fn must not call the store.
 */
int store_list_at(struct store *st, int64_t rev, const char *prefix,
		  const char *start_after,
		  int (*fn)(void *arg, const struct store_obj *o), void *arg,
		  int64_t *rev_out, struct err *e);
/* Number of live objects under prefix. */
size_t store_count(struct store *st, const char *prefix);

enum store_ev_type { STORE_ADDED, STORE_MODIFIED, STORE_DELETED };

struct store_event {
	enum store_ev_type type;
	const struct store_obj *obj;	/* new state; last state for DELETED */
	const struct store_obj *prev;	/* previous state, NULL for ADDED */
};

/*
 * Watch keys under prefix for events with revision > from_rev
 * (from_rev 0 = only new events).  Events older than the in-memory
 * history are replayed from the log; from_rev below the compacted
 * revision fails with ERR_GONE ("too old resource version: X (Y)").
 * fn is called from the writer thread, in revision order, after the
 * write is durable; it must not block (copy what you need into your own
 * queue) and must not call store writes, store_watch or store_unwatch.
 * The event's objects are borrowed for the call.  Replayed history is
 * delivered from store_watch itself before it returns.  A DELETED event's
 * obj carries the deletion revision (rev and resourceVersion).  Remove
 * every watch before store_close (close frees the ones left over).
 */
struct store_watch;
int store_watch(struct store *st, const char *prefix, int64_t from_rev,
		void (*fn)(void *arg, const struct store_event *ev), void *arg,
		struct store_watch **out, struct err *e);
/* After this returns fn is never called again.  NULL is fine. */
void store_unwatch(struct store_watch *w);

/* Figures for /metrics and benchmarks. */
struct store_stats {
	int64_t rev, compacted_rev;
	uint64_t objects, writes, commits, watchers;
	uint64_t db_bytes;
};
void store_get_stats(struct store *st, struct store_stats *out);

/* Compact now (normally done on a schedule); returns rows removed. */
int64_t store_compact(struct store *st, struct err *e);

#endif
