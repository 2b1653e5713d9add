/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_queue: work queue with per-key exponential back-off (contract in
 * ctrl_queue.h).
 *
 * One hash of entries holds both the queue (queued, due) and the
 * rate limiter's memory (failures); an entry that is neither queued nor
 * failing is dropped.  Queues hold a handful of keys per controller (one
 * per ReplicaSet), so pop scans the hash for the earliest due key rather
 * than keeping a heap.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uthash.h>

#include "cluster/ctrl_queue.h"
#include "common/mem.h"

struct q_ent {
	char *key;
	bool queued;
	int64_t due;	/* when queued */
	uint64_t seq;	/* FIFO among equal due times */
	int failures;
	UT_hash_handle hh;
};

struct ctrl_queue {
	struct q_ent *ents;
	size_t queued;
	uint64_t seq;
};

struct ctrl_queue *ctrl_queue_new(void)
{
	return xcalloc(1, sizeof(struct ctrl_queue));
}

static void ent_drop(struct ctrl_queue *q, struct q_ent *en)
{
	HASH_DEL(q->ents, en);
	free(en->key);
	free(en);
}

void ctrl_queue_free(struct ctrl_queue *q)
{
	struct q_ent *en, *tmp;

	if (!q)
		return;
	HASH_ITER(hh, q->ents, en, tmp)
		ent_drop(q, en);
	free(q);
}

int64_t ctrl_queue_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct q_ent *ent_get(struct ctrl_queue *q, const char *key)
{
	struct q_ent *en = NULL;

	HASH_FIND_STR(q->ents, key, en);
	if (!en) {
		en = xcalloc(1, sizeof(*en));
		en->key = xstrdup(key);
		HASH_ADD_KEYPTR(hh, q->ents, en->key, strlen(en->key), en);
	}
	return en;
}

/* Queue en at due unless it is already queued for earlier. */
static void enqueue(struct ctrl_queue *q, struct q_ent *en, int64_t due)
{
	if (en->queued && en->due <= due)
		return;
	if (!en->queued)
		q->queued++;
	en->queued = true;
	en->due = due;
	en->seq = q->seq++;
}

void ctrl_queue_add(struct ctrl_queue *q, const char *key)
{
	enqueue(q, ent_get(q, key), 0);
}

void ctrl_queue_add_after(struct ctrl_queue *q, const char *key,
			  int64_t delay_ms, int64_t now)
{
	enqueue(q, ent_get(q, key), now + (delay_ms > 0 ? delay_ms : 0));
}

int64_t ctrl_queue_backoff_ms(int failures)
{
	int64_t d = CTRL_QUEUE_BASE_MS;

	for (int i = 0; i < failures && d < CTRL_QUEUE_MAX_MS; i++)
		d *= 2;
	return d < CTRL_QUEUE_MAX_MS ? d : CTRL_QUEUE_MAX_MS;
}

int64_t ctrl_queue_add_rate_limited(struct ctrl_queue *q, const char *key,
				    int64_t now)
{
	struct q_ent *en = ent_get(q, key);
	int64_t d = ctrl_queue_backoff_ms(en->failures);

	if (en->failures < 1000)
		en->failures++;
	enqueue(q, en, now + d);
	return d;
}

void ctrl_queue_forget(struct ctrl_queue *q, const char *key)
{
	struct q_ent *en = NULL;

	HASH_FIND_STR(q->ents, key, en);
	if (!en)
		return;
	en->failures = 0;
	if (!en->queued)
		ent_drop(q, en);
}

int ctrl_queue_requeues(const struct ctrl_queue *q, const char *key)
{
	struct q_ent *en = NULL;

	HASH_FIND_STR(q->ents, key, en);
	return en ? en->failures : 0;
}

static bool earlier(const struct q_ent *a, const struct q_ent *b)
{
	return !b || a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

char *ctrl_queue_pop(struct ctrl_queue *q, int64_t now)
{
	struct q_ent *en, *tmp, *best = NULL;
	char *key;

	HASH_ITER(hh, q->ents, en, tmp)
		if (en->queued && en->due <= now && earlier(en, best))
			best = en;
	if (!best)
		return NULL;
	key = xstrdup(best->key);
	best->queued = false;
	q->queued--;
	if (!best->failures)
		ent_drop(q, best);
	return key;
}

int64_t ctrl_queue_next_due(const struct ctrl_queue *q)
{
	const struct q_ent *en, *tmp, *best = NULL;

	HASH_ITER(hh, q->ents, en, tmp)
		if (en->queued && earlier(en, best))
			best = en;
	return best ? best->due : -1;
}

size_t ctrl_queue_len(const struct ctrl_queue *q)
{
	return q->queued;
}
