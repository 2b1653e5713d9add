/* SPDX-License-Identifier: Apache-2.0 */
/*
 * authz_int: the authorizer's state, shared by authz.c (lifecycle, index
 * upkeep, decisions) and authz_review.c (messages, rules reviews,
 * escalation checks).
 */
#ifndef KDECK_CLUSTER_AUTHZ_INT_H
#define KDECK_CLUSTER_AUTHZ_INT_H

#include <pthread.h>
#include <stdint.h>

#include "cluster/authz.h"
#include "cluster/rbac.h"

struct authz {
	struct store *st;		/* NULL: in-memory (tests) */
	bool batching;			/* in memory: defer aggregation */
	pthread_rwlock_t lock;		/* guards ix */
	struct rbac_index *ix;
	struct store_watch *watch;

	pthread_mutex_t mu;		/* guards the fields below */
	pthread_cond_t cond;
	int64_t applied_rev;		/* last store revision seen by the watch */
	bool agg_dirty, stopping, worker_started;
	pthread_t worker;
};

/* Errors met while visiting rules, formatted like Go's utilerrors.Aggregate. */
struct authz_errs {
	struct vec msgs;	/* distinct messages, owned */
};

void authz_errs_add(struct authz_errs *x, const char *msg);
/* "" / "msg" / "[a, b]" into b. */
void authz_errs_format(const struct authz_errs *x, struct buf *b);
void authz_errs_done(struct authz_errs *x);

bool authz_is_master(const struct user_info *user);

/*
 * Every rule user holds in ns as a new array of references into the
 * index (valid while the caller holds az->lock for reading).
 */
cJSON *authz_rules_for_locked(struct authz *az, const struct user_info *user,
			      const char *ns, struct authz_errs *errs);

#endif
