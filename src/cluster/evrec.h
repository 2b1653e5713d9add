/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evrec: an in-process Event recorder that aggregates like client-go's
 * EventRecorder/EventCorrelator.  A repeat of an Event (same source,
 * involved object, type, reason and message) within EVREC_WINDOW_S
 * updates the stored Event's count and lastTimestamp instead of creating
 * another; once EVREC_MAX_SIMILAR distinct messages were seen for the same
 * object+reason within the window, further ones are combined into one
 * Event "(combined from similar events): <msg>".  Both caches are LRUs of
 * EVREC_LRU_SIZE entries.
 *
 * The cache (evrec_cache_*) is pure logic with an injected clock for the
 * unit tests.  The recorder (evrec_new/evrec_emit, evrec_rec.c) is
 * asynchronous like client-go's broadcaster: evrec_emit() copies the
 * occurrence into a bounded queue and returns at once (never blocking on
 * the API); one writer thread drains the queue in batches, runs the
 * aggregation in emission order, folds the occurrences of one Event in a
 * batch into one write (a POST with the final count, or one PATCH of
 * count, lastTimestamp and message) and makes the batch's writes in
 * parallel.  When EVREC_QUEUE_MAX occurrences are queued, further ones
 * are dropped and counted (evrec_dropped, kdeck_events_dropped_total).
 */
#ifndef KDECK_CLUSTER_EVREC_H
#define KDECK_CLUSTER_EVREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define EVREC_WINDOW_S    600
#define EVREC_LRU_SIZE    4096
#define EVREC_MAX_SIMILAR 10
#define EVREC_COMBINED    "(combined from similar events): "
#define EVREC_QUEUE_MAX   4096	/* occurrences queued before dropping */
#define EVREC_BATCH       512	/* occurrences one writer round takes */
#define EVREC_WRITERS     32	/* parallel writes of one round */

struct api;
struct evrec;
struct evrec_cache;
struct evrec_log;

/* What identifies one occurrence (all borrowed; NULL reads as ""). */
struct evrec_fields {
	const char *component, *host;
	const char *kind, *ns, *name, *uid, *api_version, *field_path;
	const char *type, *reason, *message;
};

/* The verdict for one occurrence. */
struct evrec_decision {
	struct evrec_log *entry;	/* the logger entry (cache-owned) */
	char *message;			/* message to record; owned here */
	int count;			/* the Event's count after this one */
	bool combined;			/* message is the combined form */
	int64_t first;			/* firstTimestamp (unix seconds) */
	const cJSON *stored;		/* last stored Event, NULL -> create */
};

/* A cache of at most max entries per LRU (0 = EVREC_LRU_SIZE). */
struct evrec_cache *evrec_cache_new(size_t max);
void evrec_cache_free(struct evrec_cache *c);

/*
 * Observe one occurrence at now (unix seconds): fills *d.  d->stored is
 * the Event to update (count d->count), or NULL when a new Event must be
 * created.  Free d with evrec_decision_done().
 */
void evrec_cache_observe(struct evrec_cache *c, const struct evrec_fields *f,
			 int64_t now, struct evrec_decision *d);
/*
 * Hold entry (on) while a write of it is planned: a repeat observed
 * meanwhile counts on instead of starting over; release it (off) once
 * the write is done or failed.
 */
void evrec_cache_hold(struct evrec_log *entry, bool on);
/* Start entry's Event over: count and firstTimestamp (its PATCH 404ed). */
void evrec_cache_restart(struct evrec_log *entry, int count, int64_t first);
/* Remember ev (taken) as what is stored for d's entry (after a write). */
void evrec_cache_stored(struct evrec_cache *c, struct evrec_decision *d,
			cJSON *ev);
void evrec_decision_done(struct evrec_decision *d);

struct buf;

/*
 * Where a recorder writes: one API call (method on path as user, body
 * with Content-Type ctype or JSON when NULL); returns the HTTP status and
 * the parsed response in *out (caller frees).  Called from several
 * threads at once.  evrec_new uses api_call_ct; the unit test fakes it.
 */
struct evrec_sink {
	int (*call)(void *arg, const char *user, const char *method,
		    const char *path, const char *ctype, const cJSON *body,
		    cJSON **out);
	void *arg;
};

/* A recorder writing through api (borrowed; must outlive it). */
struct evrec *evrec_new(struct api *api);
/* A recorder writing through sink (copied; its arg must outlive it). */
struct evrec *evrec_new_sink(const struct evrec_sink *sink);
/* Write what is queued, stop the writer, free.  NULL is fine. */
void evrec_free(struct evrec *r);
/* Wait until everything queued so far is written (tests, shutdown). */
void evrec_flush(struct evrec *r);
/* Occurrences r dropped because its queue was full. */
unsigned long long evrec_dropped(struct evrec *r);
/* kdeck_events_dropped_total (all recorders of the process) for /metrics. */
void evrec_metrics(struct buf *out);

/*
 * Record an Event about obj (a listed object: apiVersion, kind, metadata)
 * as component on host (may be NULL), calling the API as user.  Thread
 * safe; copies what it needs and returns without waiting for the write.
 * Failures are dropped (events are best effort, as in client-go).
 */
void evrec_emit(struct evrec *r, const char *component, const char *host,
		const char *user, const cJSON *obj, const char *type,
		const char *reason, const char *action, const char *msg);
/* Same, with involvedObject.fieldPath (may be NULL). */
void evrec_emit_field(struct evrec *r, const char *component,
		      const char *host, const char *user, const cJSON *obj,
		      const char *field_path, const char *type,
		      const char *reason, const char *action, const char *msg);

#endif
