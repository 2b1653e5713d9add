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
 * unit tests; evrec_emit() wraps it with a mutex and the API calls.
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
/* Remember ev (taken) as what is stored for d's entry (after a write). */
void evrec_cache_stored(struct evrec_cache *c, struct evrec_decision *d,
			cJSON *ev);
void evrec_decision_done(struct evrec_decision *d);

/* A recorder writing through api (borrowed; must outlive it). */
struct evrec *evrec_new(struct api *api);
void evrec_free(struct evrec *r);

/*
 * Record an Event about obj (a listed object: apiVersion, kind, metadata)
 * as component on host (may be NULL), calling the API as user.  Thread
 * safe.  Failures are dropped (events are best effort, as in client-go).
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
