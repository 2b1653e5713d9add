/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_compact: drop superseded revisions so the log stays small.
 *
 * Compaction to revision T (= current - compact_keep) first records T in
 * the meta table (so a watch replaying from the log reads, in the same
 * transaction as the rows, whether its range is still complete), then
 * removes rows at or below T that a later row at or below T supersedes,
 * and tombstones, 500 rows per short write transaction: the writer waits
 * at most one small batch for the SQLite write lock.  A passive WAL
 * checkpoint follows.
 *
 * The same background thread, on its own connection, runs a passive WAL
 * checkpoint every second and compaction every compact_interval_s
 * seconds (store_compact also compacts on demand).  The writer's
 * connection has automatic checkpoints off, so the writer never pays for
 * copying the WAL into the database and its fsync: that is what keeps the
 * write latency's tail short.  A passive checkpoint takes no lock that the
 * writer needs.
 */
#include "config.h"

#include <errno.h>
#include <time.h>

#include "cluster/store_int.h"

int64_t store_compact(struct store *st, struct err *e)
{
	int64_t target, cursor = 0, removed = 0;
	int rc = 0;

	pthread_mutex_lock(&st->cp_mu);
	target = atomic_load(&st->rev) - st->compact_keep;
	if (target <= atomic_load(&st->compacted))
		goto out;
	if (store_log_set_compacted(st->cdb, target, e)) {
		rc = -1;
		goto out;
	}
	atomic_store(&st->compacted, target);
	while (cursor < target) {
		if (store_log_compact_batch(st->cdb, target, &cursor, &removed,
					    e)) {
			rc = -1;
			break;
		}
	}
	store_log_checkpoint(st->cdb);
out:
	pthread_mutex_unlock(&st->cp_mu);
	return rc ? -1 : removed;
}

void *store_compact_main(void *arg)
{
	struct store *st = arg;
	struct timespec ts;
	int since = 0;

	pthread_mutex_lock(&st->ct_mu);
	while (!st->ct_stop) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		while (!st->ct_stop &&
		       pthread_cond_timedwait(&st->ct_cv, &st->ct_mu, &ts) !=
			   ETIMEDOUT)
			;
		if (st->ct_stop)
			break;
		pthread_mutex_unlock(&st->ct_mu);
		pthread_mutex_lock(&st->cp_mu);
		store_log_checkpoint(st->cdb);
		pthread_mutex_unlock(&st->cp_mu);
		if (st->compact_interval_s > 0 &&
		    ++since >= st->compact_interval_s) {
			since = 0;
			store_compact(st, NULL); /* retried next time */
		}
		pthread_mutex_lock(&st->ct_mu);
	}
	pthread_mutex_unlock(&st->ct_mu);
	return NULL;
}

void store_compact_stop(struct store *st)
{
	if (!st->ct_running)
		return;
	pthread_mutex_lock(&st->ct_mu);
	st->ct_stop = true;
	pthread_cond_signal(&st->ct_cv);
	pthread_mutex_unlock(&st->ct_mu);
	pthread_join(st->compactor, NULL);
	st->ct_running = false;
}
