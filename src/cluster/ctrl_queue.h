/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_queue: a controller work queue with per-key rate-limited retries,
 * after client-go's workqueue.RateLimitingInterface.
 *
 * A key ("namespace/name") is queued at most once: adding a queued key
 * again only moves its due time earlier.  A key is due at once (add) or
 * after a delay (add_after); add_rate_limited delays it by the key's
 * exponential back-off - base 5 ms doubling per consecutive failure up to
 * 1000 s, as client-go's DefaultControllerRateLimiter's per-item part -
 * and forget resets the failure count (call it after a successful sync).
 * Times are milliseconds of a monotonic clock passed by the caller, so
 * the unit tests drive it without sleeping.
 *
 * Not thread safe: one owner thread (the controller worker).
 */
#ifndef KDECK_CLUSTER_CTRL_QUEUE_H
#define KDECK_CLUSTER_CTRL_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#define CTRL_QUEUE_BASE_MS 5
#define CTRL_QUEUE_MAX_MS  (1000 * 1000)

struct ctrl_queue;

struct ctrl_queue *ctrl_queue_new(void);
/* NULL is fine. */
void ctrl_queue_free(struct ctrl_queue *q);

/* Milliseconds of CLOCK_MONOTONIC (the clock the worker passes). */
int64_t ctrl_queue_now_ms(void);

/* Queue key, due now. */
void ctrl_queue_add(struct ctrl_queue *q, const char *key);
/* Queue key due at now + delay_ms (earlier due time of a queued key wins). */
void ctrl_queue_add_after(struct ctrl_queue *q, const char *key,
			  int64_t delay_ms, int64_t now);
/*
 * Queue key after its back-off and count one more failure; returns the
 * delay used (5, 10, 20, ... ms, at most CTRL_QUEUE_MAX_MS).
 */
int64_t ctrl_queue_add_rate_limited(struct ctrl_queue *q, const char *key,
				    int64_t now);
/* Reset key's failures (a queued key stays queued). */
void ctrl_queue_forget(struct ctrl_queue *q, const char *key);
/* Consecutive failures of key (client-go's NumRequeues). */
int ctrl_queue_requeues(const struct ctrl_queue *q, const char *key);
/* The back-off after failures consecutive failures (pure). */
int64_t ctrl_queue_backoff_ms(int failures);

/*
 * Take one key due at now (the earliest due first); caller frees.  NULL
 * when none is due.
 */
char *ctrl_queue_pop(struct ctrl_queue *q, int64_t now);
/* Earliest due time of a queued key, -1 when the queue is empty. */
int64_t ctrl_queue_next_due(const struct ctrl_queue *q);
/* Queued keys (due or not). */
size_t ctrl_queue_len(const struct ctrl_queue *q);

#endif
