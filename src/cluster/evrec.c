/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evrec: Event aggregation as client-go's recorder does it (see evrec.h).
 *
 * Two LRU caches, as in the EventCorrelator:
 *  - the aggregator, keyed by source + involved object + type + reason,
 *    remembers the distinct messages seen within the window; from the
 *    EVREC_MAX_SIMILAR-th one on, the occurrence is recorded as one
 *    combined Event keyed by the aggregate key;
 *  - the logger, keyed by the whole identity (message included), holds the
 *    last stored Event and its count; a repeat within the window rewrites
 *    that Event (count + 1, lastTimestamp, message) instead of creating one.
 * uthash keeps insertion order, so "move to the tail on use" and "evict the
 * head" make an LRU.  Unlike client-go, the logger forgets an entry older
 * than the window too (a repeat after it starts a new Event), and there is
 * no spam filter (token bucket).  Repeats are written as client-go does:
 * a strategic merge PATCH of count, lastTimestamp and message only, so a
 * concurrent writer of the Event (labels, another field) loses nothing
 * and no resourceVersion conflict can fail the update.
 *
 * A logger entry can be held (evrec_cache_hold) while the recorder has a
 * write of it planned but not done: a repeat observed meanwhile continues
 * its count instead of starting a new Event, so one batch can fold
 * several occurrences into one write.  The recorder that writes through
 * the API is evrec_rec.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "cluster/evrec.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

struct evrec_agg {
	char *key;
	char *msgs[EVREC_MAX_SIMILAR];
	size_t n;
	int64_t last;
	UT_hash_handle hh;
};

struct evrec_log {
	char *key;
	int count;
	int64_t first, last;
	cJSON *stored;		/* the Event as last written, or NULL */
	bool pending;		/* a write of it is planned (evrec_cache_hold) */
	int slot;		/* the recorder's batch slot while pending */
	UT_hash_handle hh;
};

struct evrec_cache {
	struct evrec_agg *agg;
	struct evrec_log *log;
	size_t max;
};

struct evrec_cache *evrec_cache_new(size_t max)
{
	struct evrec_cache *c = xcalloc(1, sizeof(*c));

	c->max = max ? max : EVREC_LRU_SIZE;
	return c;
}

static void agg_free(struct evrec_agg *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->msgs[i]);
	free(a->key);
	free(a);
}

static void log_free(struct evrec_log *l)
{
	cJSON_Delete(l->stored);
	free(l->key);
	free(l);
}

void evrec_cache_free(struct evrec_cache *c)
{
	struct evrec_agg *a, *at;
	struct evrec_log *l, *lt;

	if (!c)
		return;
	HASH_ITER(hh, c->agg, a, at) {
		HASH_DEL(c->agg, a);
		agg_free(a);
	}
	HASH_ITER(hh, c->log, l, lt) {
		HASH_DEL(c->log, l);
		log_free(l);
	}
	free(c);
}

/* The fields joined by a unit separator (caller frees). */
static char *join_key(const char *const *parts, size_t n)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addc(&b, '\x1f');
		buf_adds(&b, parts[i] ? parts[i] : "");
	}
	return buf_take(&b);
}

static char *agg_key(const struct evrec_fields *f)
{
	const char *p[] = { f->component, f->host, f->kind, f->ns, f->name,
			    f->uid, f->api_version, f->type, f->reason };

	return join_key(p, sizeof(p) / sizeof(p[0]));
}

static char *event_key(const struct evrec_fields *f)
{
	const char *p[] = { f->component, f->host, f->kind, f->ns, f->name,
			    f->field_path, f->uid, f->api_version, f->type,
			    f->reason, f->message };

	return join_key(p, sizeof(p) / sizeof(p[0]));
}

/*
 * Find key (taken) in the LRU head (moving the entry to the tail) into
 * out, or add a zeroed entry for it, evicting the head (the least recently
 * used) when over max.  A macro so that it serves both entry types.
 */
#define LRU_TOUCH(head, key, out, max, freefn)                          \
	do {                                                            \
		HASH_FIND_STR(head, key, out);                          \
		if (out) {                                              \
			HASH_DEL(head, out);                            \
			free(key);                                      \
		} else {                                                \
			out = xcalloc(1, sizeof(*out));                 \
			out->key = key;                                 \
		}                                                       \
		HASH_ADD_KEYPTR(hh, head, out->key, strlen(out->key), out); \
		if (HASH_COUNT(head) > (max)) {                         \
			__typeof__(out) old_ = head;                    \
			HASH_DEL(head, old_);                           \
			freefn(old_);                                   \
		}                                                       \
	} while (0)

static bool agg_has(const struct evrec_agg *a, const char *msg)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->msgs[i], msg))
			return true;
	return false;
}

/*
 * The aggregator step: returns true when this occurrence must be combined;
 * *logkey gets the logger key to use (caller frees).
 */
static bool aggregate(struct evrec_cache *c, const struct evrec_fields *f,
		      int64_t now, char **logkey)
{
	char *key = agg_key(f);
	const char *msg = f->message ? f->message : "";
	struct evrec_agg *a;

	LRU_TOUCH(c->agg, key, a, c->max, agg_free);
	if (now - a->last > EVREC_WINDOW_S) {
		for (size_t i = 0; i < a->n; i++)
			free(a->msgs[i]);
		a->n = 0;
	}
	a->last = now;
	if (!agg_has(a, msg))
		a->msgs[a->n++] = xstrdup(msg);
	if (a->n < EVREC_MAX_SIMILAR) {
		*logkey = event_key(f);
		return false;
	}
	/* keep the set one below the limit: every later one combines too */
	free(a->msgs[0]);
	memmove(a->msgs, a->msgs + 1, (a->n - 1) * sizeof(a->msgs[0]));
	a->n--;
	*logkey = xasprintf("%s\x1f(combined)", a->key);
	return true;
}

void evrec_cache_observe(struct evrec_cache *c, const struct evrec_fields *f,
			 int64_t now, struct evrec_decision *d)
{
	char *key = NULL;
	struct evrec_log *l;

	memset(d, 0, sizeof(*d));
	d->combined = aggregate(c, f, now, &key);
	d->message = d->combined
		? xasprintf(EVREC_COMBINED "%s", f->message ? f->message : "")
		: xstrdup(f->message ? f->message : "");
	LRU_TOUCH(c->log, key, l, c->max, log_free);
	if ((!l->stored && !l->pending) || now - l->last > EVREC_WINDOW_S) {
		cJSON_Delete(l->stored);
		l->stored = NULL;
		l->count = 1;
		l->first = now;
	} else {
		l->count++;
	}
	l->last = now;
	d->entry = l;
	d->count = l->count;
	d->first = l->first;
	d->stored = l->stored;
}

void evrec_cache_stored(struct evrec_cache *c, struct evrec_decision *d,
			cJSON *ev)
{
	(void)c;
	if (d->entry->stored != ev)
		cJSON_Delete(d->entry->stored);
	d->entry->stored = ev;
	d->stored = ev;
}

void evrec_cache_hold(struct evrec_log *entry, bool on)
{
	entry->pending = on;
}

void evrec_cache_restart(struct evrec_log *entry, int count, int64_t first)
{
	entry->count = count;
	entry->first = first;
}

void evrec_decision_done(struct evrec_decision *d)
{
	free(d->message);
	d->message = NULL;
}

