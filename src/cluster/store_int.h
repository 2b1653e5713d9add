/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_int: the store's private header, shared by its files only.
 *
 *   store.c          open/close, recovery, stats, keys
 *   store_obj.c      refcounted snapshots and the sorted current state
 *   store_log.c      the SQLite revision log (schema, insert, replay, recovery)
 *   store_writer.c   the writer thread: queue, checks, group commit, apply
 *   store_watch.c    watchers, the event history ring, resume
 *   store_compact.c  compaction thread
 *
 * Locks, always taken in this order and never across an fsync by readers:
 *   q_mu      the write queue (callers -> writer; the writer answers
 *             each caller on the caller's own semaphore, without it)
 *   fan_mu    watchers + history ring + fanned_rev (writer fans out under it)
 *   state_rw  the current state (writer takes it for writing only to apply
 *             a committed batch; readers take it for reading)
 *   rd_mu     the replay connection
 * The writer thread is the only mutator of the state, so it reads the state
 * without the lock.
 */
#ifndef KDECK_CLUSTER_STORE_INT_H
#define KDECK_CLUSTER_STORE_INT_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>

#include "cluster/store.h"

/* ---- objects (store_obj.c) ---- */

/* A fresh snapshot with one reference; key and json are copied. */
const struct store_obj *store_obj_new(const char *key, const char *json,
				      size_t len, int64_t rev,
				      int64_t create_rev);

/* The current state: live objects sorted by key (strcmp order). */
struct store_state {
	const struct store_obj **v;
	size_t n, cap;
};

/* First index whose key is >= key (n when none). */
size_t store_state_lower(const struct store_state *s, const char *key);
/* First index whose key is > key. */
size_t store_state_upper(const struct store_state *s, const char *key);
/* Borrowed object at key or NULL. */
const struct store_obj *store_state_get(const struct store_state *s,
					const char *key);
/* Insert or replace; takes o's reference, drops the replaced one. */
void store_state_put(struct store_state *s, const struct store_obj *o);
/* Append in key order (recovery); takes the reference. */
void store_state_append(struct store_state *s, const struct store_obj *o);
/* Remove key and drop its reference; no-op when absent. */
void store_state_del(struct store_state *s, const char *key);
/* Index range [*lo, *hi) of keys starting with prefix. */
void store_state_prefix(const struct store_state *s, const char *prefix,
			size_t *lo, size_t *hi);
void store_state_done(struct store_state *s);

/* ---- the revision log (store_log.c) ---- */

struct store_row {
	int64_t id, create_rev, prev_rev;
	const char *key;
	const char *value;
	size_t len;
	bool created, deleted;
};

/* Open path with the store's pragmas and schema.  *out owned by caller. */
int store_log_open(const char *path, bool relaxed_sync, sqlite3 **out,
		   struct err *e);
void store_log_close(sqlite3 *db);
/* Rebuild the current state; *rev = newest revision, *compacted too. */
int store_log_recover(sqlite3 *db, struct store_state *s, int64_t *rev,
		      int64_t *compacted, struct err *e);
/* Insert rows in one transaction; all or nothing.  fail: test hook. */
int store_log_write(sqlite3 *db, const struct store_row *rows, size_t n,
		    bool fail, struct err *e);
/*
 * Replay events with from < rev <= to under prefix, in order, in one read
 * transaction (so compaction cannot cut the range).  ERR_GONE when from is
 * below the compacted revision.
 */
int store_log_replay(sqlite3 *db, int64_t from, int64_t to, const char *prefix,
		     void (*fn)(void *arg, const struct store_event *ev),
		     void *arg, struct err *e);
/*
 * Call fn for the live objects under prefix (after start_after) as they
 * were at revision rev, in key order, from the log.  ERR_GONE below the
 * compacted revision.
 */
int store_log_list_at(sqlite3 *db, int64_t rev, const char *prefix,
		      const char *start_after,
		      int (*fn)(void *arg, const struct store_obj *o),
		      void *arg, struct err *e);
/* Persist the compacted revision (before any row below it goes). */
int store_log_set_compacted(sqlite3 *db, int64_t rev, struct err *e);
/* Delete one batch of rows superseded at target above *cursor. */
int store_log_compact_batch(sqlite3 *db, int64_t target, int64_t *cursor,
			    int64_t *removed, struct err *e);
void store_log_checkpoint(sqlite3 *db);

/* ---- watchers and history (store_watch.c) ---- */

struct store_ring {
	struct store_event *ev;
	size_t cap, head, n; /* head = oldest */
};

void store_ring_init(struct store_ring *r, size_t cap);
void store_ring_done(struct store_ring *r);
/* Append the committed events and deliver them to the watchers. */
void store_fanout(struct store *st, const struct store_event *ev, size_t n);
void store_watchers_free(struct store *st);

/* ---- writer (store_writer.c) ---- */

struct store_req;
void *store_writer_main(void *arg);
/* Ask the writer to finish the queue and exit; joins it. */
void store_writer_stop(struct store *st);

/* ---- compaction (store_compact.c) ---- */

void *store_compact_main(void *arg);
void store_compact_stop(struct store *st);

/* ---- the store ---- */

struct store {
	char *path;
	int64_t compact_keep;
	int compact_interval_s;

	sqlite3 *wdb; /* writer thread only */
	sqlite3 *rdb; /* replays, under rd_mu */
	pthread_mutex_t rd_mu;
	sqlite3 *cdb; /* compaction, under cp_mu */
	pthread_mutex_t cp_mu;

	pthread_rwlock_t state_rw;
	struct store_state state;
	_Atomic int64_t rev; /* newest applied revision */
	_Atomic int64_t compacted;

	pthread_mutex_t q_mu;
	pthread_cond_t q_cv; /* CLOCK_MONOTONIC: the writer's timed gather */
	struct store_req *q_head, *q_tail;
	size_t q_len;  /* requests queued */
	size_t q_want; /* the writer gathers a batch of this many (0: not) */
	bool stopping;
	pthread_t writer;
	atomic_int fail_commits; /* test hook: fail the next N commits */

	pthread_mutex_t fan_mu;
	struct store_watch *watchers;
	struct store_ring ring;
	int64_t fanned_rev;

	pthread_mutex_t ct_mu;
	pthread_cond_t ct_cv;
	bool ct_stop, ct_running;
	pthread_t compactor;

	_Atomic uint64_t writes, commits, nwatchers;
};

/*
 * Test hook: make the next n group commits fail as if SQLite had failed
 * after inserting the rows (the transaction is rolled back).
 */
void store_test_fail_commits(struct store *st, int n);

#endif
