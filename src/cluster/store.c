/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store: opening, recovery, the read side and figures.
 *
 * store_open opens three SQLite connections on the file (the writer's, one
 * for watch replays, one for compaction), rebuilds the current state from
 * the log, then starts the writer and compactor threads.  Reads (get, list,
 * count) take the state lock for reading only: the writer holds it for
 * writing just while it applies an already committed batch, so a reader
 * never waits for an fsync.  The lock is reader-preferring (glibc's
 * default), which lets a list callback call store_get safely.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cluster/store_int.h"
#include "common/mem.h"

#define DEFAULT_KEEP	 100000
#define DEFAULT_INTERVAL 300
#define DEFAULT_HISTORY	 10000

static void store_init_locks(struct store *st)
{
	pthread_condattr_t ca;

	pthread_mutex_init(&st->rd_mu, NULL);
	pthread_mutex_init(&st->cp_mu, NULL);
	pthread_rwlock_init(&st->state_rw, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&st->q_mu, NULL);
	pthread_cond_init(&st->q_cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&st->fan_mu, NULL);
	pthread_mutex_init(&st->ct_mu, NULL);
	pthread_cond_init(&st->ct_cv, NULL);
}

/* Free everything but the threads (stopped by the caller). */
static void store_destroy(struct store *st)
{
	store_watchers_free(st);
	store_ring_done(&st->ring);
	store_state_done(&st->state);
	store_log_close(st->wdb);
	store_log_close(st->rdb);
	store_log_close(st->cdb);
	pthread_mutex_destroy(&st->rd_mu);
	pthread_mutex_destroy(&st->cp_mu);
	pthread_rwlock_destroy(&st->state_rw);
	pthread_mutex_destroy(&st->q_mu);
	pthread_cond_destroy(&st->q_cv);
	pthread_mutex_destroy(&st->fan_mu);
	pthread_mutex_destroy(&st->ct_mu);
	pthread_cond_destroy(&st->ct_cv);
	free(st->path);
	free(st);
}

static struct store *store_alloc(const struct store_options *opt)
{
	struct store *st = xcalloc(1, sizeof(*st));

	st->path = xstrdup(opt->path);
	st->compact_keep =
	    opt->compact_keep > 0 ? opt->compact_keep : DEFAULT_KEEP;
	st->compact_interval_s = opt->compact_interval_s
				     ? opt->compact_interval_s
				     : DEFAULT_INTERVAL;
	store_ring_init(&st->ring, opt->history_events ? opt->history_events
						       : DEFAULT_HISTORY);
	store_init_locks(st);
	return st;
}

static int store_start(struct store *st, struct err *e)
{
	if (pthread_create(&st->writer, NULL, store_writer_main, st))
		return err_set(e, ERR_INTERNAL, "store: cannot start writer");
	if (pthread_create(&st->compactor, NULL, store_compact_main, st)) {
		store_writer_stop(st);
		return err_set(e, ERR_INTERNAL,
			       "store: cannot start compactor");
	}
	st->ct_running = true;
	return 0;
}

int store_open(const struct store_options *opt, struct store **out,
	       struct err *e)
{
	struct store *st;
	int64_t rev = 0, compacted = 0;

	if (!opt || !opt->path || !opt->path[0])
		return err_set(e, ERR_BAD_REQUEST, "store: no file name");
	st = store_alloc(opt);
	if (store_log_open(st->path, opt->relaxed_sync, &st->wdb, e) ||
	    store_log_recover(st->wdb, &st->state, &rev, &compacted, e) ||
	    store_log_open(st->path, opt->relaxed_sync, &st->rdb, e) ||
	    store_log_open(st->path, opt->relaxed_sync, &st->cdb, e))
		goto fail;
	/* Checkpoints are the background thread's job (store_compact.c). */
	sqlite3_wal_autocheckpoint(st->wdb, 0);
	atomic_store(&st->rev, rev);
	atomic_store(&st->compacted, compacted);
	st->fanned_rev = rev;
	if (store_start(st, e))
		goto fail;
	*out = st;
	return 0;
fail:
	store_destroy(st);
	return -1;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	store_writer_stop(st);
	store_compact_stop(st);
	store_destroy(st);
}

int64_t store_rev(struct store *st)
{
	return atomic_load(&st->rev);
}

int64_t store_compacted_rev(struct store *st)
{
	return atomic_load(&st->compacted);
}

char *store_key(const char *group, const char *resource, const char *ns,
		const char *name)
{
	bool has_group = group && group[0], has_ns = ns && ns[0];

	return xasprintf("/registry/%s%s%s/%s%s%s", resource,
			 has_group ? "." : "", has_group ? group : "",
			 has_ns ? ns : "", has_ns ? "/" : "", name ? name : "");
}

int store_get(struct store *st, const char *key, const struct store_obj **out,
	      struct err *e)
{
	const struct store_obj *o;

	pthread_rwlock_rdlock(&st->state_rw);
	o = store_state_get(&st->state, key);
	if (o)
		store_obj_ref(o);
	pthread_rwlock_unlock(&st->state_rw);
	if (!o)
		return err_set(e, ERR_NOT_FOUND, "%s not found", key);
	*out = o;
	return 0;
}

int store_list(struct store *st, const char *prefix, const char *start_after,
	       int (*fn)(void *arg, const struct store_obj *o), void *arg,
	       int64_t *rev_out, struct err *e)
{
	size_t lo, hi;
	int64_t rev;

	pthread_rwlock_rdlock(&st->state_rw);
	store_state_prefix(&st->state, prefix ? prefix : "", &lo, &hi);
	if (start_after) {
		size_t s = store_state_upper(&st->state, start_after);

		if (s > lo)
			lo = s;
	}
	/* The writer stores rev under the write lock: this is the list's. */
	rev = atomic_load(&st->rev);
	if (rev_out)
		*rev_out = rev;
	for (size_t i = lo; i < hi; i++)
		if (fn(arg, st->state.v[i]))
			break;
	pthread_rwlock_unlock(&st->state_rw);
	return 0;
}

int store_list_at(struct store *st, int64_t rev, const char *prefix,
		  const char *start_after,
		  int (*fn)(void *arg, const struct store_obj *o), void *arg,
		  int64_t *rev_out, struct err *e)
{
	int rc;

	if (rev <= 0 || rev >= store_rev(st))
		return store_list(st, prefix, start_after, fn, arg, rev_out, e);
	if (rev_out)
		*rev_out = rev;
	pthread_mutex_lock(&st->rd_mu);
	rc = store_log_list_at(st->rdb, rev, prefix ? prefix : "", start_after,
			       fn, arg, e);
	pthread_mutex_unlock(&st->rd_mu);
	return rc;
}

size_t store_count(struct store *st, const char *prefix)
{
	size_t lo, hi;

	pthread_rwlock_rdlock(&st->state_rw);
	store_state_prefix(&st->state, prefix ? prefix : "", &lo, &hi);
	pthread_rwlock_unlock(&st->state_rw);
	return hi - lo;
}

static uint64_t file_size(const char *path, const char *suffix)
{
	char *p = xasprintf("%s%s", path, suffix);
	struct stat sb;
	uint64_t n = stat(p, &sb) == 0 ? (uint64_t)sb.st_size : 0;

	free(p);
	return n;
}

void store_get_stats(struct store *st, struct store_stats *out)
{
	memset(out, 0, sizeof(*out));
	pthread_rwlock_rdlock(&st->state_rw);
	out->objects = st->state.n;
	out->rev = atomic_load(&st->rev);
	pthread_rwlock_unlock(&st->state_rw);
	out->compacted_rev = atomic_load(&st->compacted);
	out->writes = atomic_load(&st->writes);
	out->commits = atomic_load(&st->commits);
	out->watchers = atomic_load(&st->nwatchers);
	out->db_bytes = file_size(st->path, "") + file_size(st->path, "-wal");
}

void store_test_fail_commits(struct store *st, int n)
{
	atomic_store(&st->fail_commits, n);
}
