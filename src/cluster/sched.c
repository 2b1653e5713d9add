/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sched: the default scheduler's pass, run by the controller worker.
 *
 * Every pass (on any pod or node change, and at least once a second, so
 * unschedulable pods are retried when the cluster changes) takes the
 * pending pods (no spec.nodeName, schedulerName default-scheduler or
 * none, not being deleted, no scheduling gates) in the queue's order -
 * higher spec.priority first, then older - and runs one attempt each
 * against a snapshot (sched_state.c) that follows the pass's own
 * bindings; pods without spread constraints get the system default ones
 * (sched_spread.c) from the cached Services, ReplicaSets and
 * StatefulSets and the ReplicationControllers listed on demand.  A feasible node is assumed in the snapshot and bound through
 * pods/binding in the background (sched_bind.c: parallel workers, event
 * Scheduled through the asynchronous recorder; the pod stays assumed
 * across passes until the cache shows it bound, and is forgotten if the
 * binding fails).  Otherwise
 * DefaultPreemption runs (sched_preempt.c): the victims get the
 * DisruptionTarget condition, are deleted gracefully and get a Preempted
 * event, pending pods of lower priority nominated to that node lose
 * their nomination, and the pod gets status.nominatedNodeName (it is
 * bound in a later pass once the victims are gone); the pod gets
 * PodScheduled=False/Unschedulable with kube-scheduler's message and a
 * FailedScheduling event (once per distinct message).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/ctrl_cache.h"
#include "cluster/ctrl_int.h"
#include "cluster/sched.h"
#include "cluster/sched_int.h"
#include "cluster/store.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

static bool pod_pending(const cJSON *pod)
{
	const char *sn = json_get_str(pod, "spec.schedulerName");
	const char *nn = json_get_str(pod, "spec.nodeName");

	return (!nn || !*nn) && (!sn || !strcmp(sn, SCHED_NAME)) &&
	       !json_get(pod, "metadata.deletionTimestamp") && !sched_gated(pod);
}

static void pod_path(const cJSON *pod, const char *sub, char *out, size_t n)
{
	snprintf(out, n, "/api/v1/namespaces/%s/pods/%s%s%s",
		 json_get_str(pod, "metadata.namespace"),
		 json_get_str(pod, "metadata.name"), sub ? "/" : "",
		 sub ? sub : "");
}

static void sched_event(struct ctrl *c, const cJSON *pod, const char *type,
			const char *reason, const char *action, const char *msg)
{
	ctrl_event(c, SCHED_NAME, CTRL_USER_SCHED, pod, type, reason, action, msg);
}

/*
 * Record PodScheduled=False/Unschedulable with msg and, when nominated is
 * not NULL, status.nominatedNodeName ("" clears it); nothing when both
 * are already so.
 */
static void mark_unschedulable(struct ctrl *c, const cJSON *pod,
			       const char *msg, const char *nominated)
{
	const cJSON *cd = ctrl_condition(pod, "PodScheduled");
	const char *old_msg = cd ? json_get_str(cd, "message") : NULL;
	const char *old_nom = json_get_str(pod, "status.nominatedNodeName") ?: "";
	char path[320];
	cJSON *p;

	if (old_msg && !strcmp(old_msg, msg) &&
	    (!nominated || !strcmp(nominated, old_nom)))
		return;
	p = json_dup(pod);
	ctrl_set_condition(p, "PodScheduled", "False", "Unschedulable", msg, false);
	cd = ctrl_condition(p, "PodScheduled");
	if (!json_get(cd, "lastProbeTime"))
		cJSON_AddNullToObject((cJSON *)cd, "lastProbeTime");
	if (nominated && *nominated)
		json_set_str(p, "status.nominatedNodeName", nominated);
	else if (nominated)
		json_del(p, "status.nominatedNodeName");
	pod_path(pod, "status", path, sizeof(path));
	if (ctrl_call(c, CTRL_USER_SCHED, "PUT", path, p, NULL) == 200 &&
	    (!old_msg || strcmp(old_msg, msg)))
		sched_event(c, pod, "Warning", "FailedScheduling", "Scheduling", msg);
	cJSON_Delete(p);
}

/* PrepareCandidate: DisruptionTarget, graceful delete, Preempted event. */
static void evict(struct ctrl *c, const struct sched_pod *p,
		  const struct sched_pod *v, const char *node)
{
	char path[320], msg[400];
	cJSON *x = json_dup(v->pod);

	if (ctrl_set_condition(x, "DisruptionTarget", "True", "PreemptionByScheduler",
			       SCHED_NAME ": preempting to accommodate a higher priority pod",
			       false)) {
		pod_path(v->pod, "status", path, sizeof(path));
		ctrl_call(c, CTRL_USER_SCHED, "PUT", path, x, NULL);
	}
	cJSON_Delete(x);
	pod_path(v->pod, NULL, path, sizeof(path));
	if (ctrl_call(c, CTRL_USER_SCHED, "DELETE", path, NULL, NULL) != 200)
		return;
	snprintf(msg, sizeof(msg), "Preempted by pod %s on node %s", p->uid, node);
	sched_event(c, v->pod, "Normal", "Preempted", "Preempting", msg);
}

struct pass {
	struct ctrl *c;
	struct sched_state *s;
	cJSON *pdbs;		/* listed on the first preemption */
	cJSON *rcs;		/* listed on the first RC-owned pod */
};

/* The default spread constraints' owner lookup (s->owner_get). */
static const cJSON *owner_get(void *arg, const char *kind, const char *ns,
			      const char *name)
{
	struct pass *ps = arg;
	const cJSON *o;
	char *k;

	if (!strcmp(kind, "ReplicationController")) {
		if (!ps->rcs) {
			k = store_key(NULL, "replicationcontrollers", NULL, NULL);
			ps->rcs = ctrl_list(ps->c, k);
			free(k);
		}
		cJSON_ArrayForEach(o, ps->rcs)
			if (!strcmp(json_get_str(o, "metadata.namespace") ?: "", ns) &&
			    !strcmp(json_get_str(o, "metadata.name") ?: "", name))
				return o;
		return NULL;
	}
	k = store_key("apps", !strcmp(kind, "ReplicaSet") ? "replicasets" : "statefulsets",
		      ns, name);
	o = ctrl_cache_get(ps->c->cache, k);
	free(k);
	return o;
}

/*
 * PrepareCandidate's ClearNominatedNodeName: pending pods of lower
 * priority than p nominated to node lose their nomination (the room they
 * waited for goes to p).
 */
static void clear_lower_nominations(struct pass *ps, const struct sched_pod *p,
				    const char *node)
{
	char path[320];

	for (size_t i = 0; i < ps->s->npods; i++) {
		const struct sched_pod *o = &ps->s->pods[i];
		const char *nom = json_get_str(o->pod, "status.nominatedNodeName");
		cJSON *x;

		if (o == p || o->node >= 0 || o->prio >= p->prio || !nom ||
		    strcmp(nom, node))
			continue;
		x = json_dup(o->pod);
		json_del(x, "status.nominatedNodeName");
		pod_path(o->pod, "status", path, sizeof(path));
		ctrl_call(ps->c, CTRL_USER_SCHED, "PUT", path, x, NULL);
		cJSON_Delete(x);
	}
}

/* DefaultPreemption for p; returns the message suffix (caller frees). */
static char *preempt(struct pass *ps, struct sched_pod *p,
		     const struct sched_result *r, const char **nominated)
{
	struct sched_preemption pr;
	char *suffix = NULL;

	if (!ps->pdbs) {
		char *k = store_key("policy", "poddisruptionbudgets", NULL, NULL);

		ps->pdbs = ctrl_list(ps->c, k);
		free(k);
	}
	sched_preempt(ps->s, p, r, ps->pdbs, &pr);
	if (pr.node >= 0) {
		*nominated = ps->s->nodes[pr.node].name;
		clear_lower_nominations(ps, p, *nominated);
		for (size_t i = 0; i < pr.nvictims; i++) {
			evict(ps->c, p, pr.victims[i], *nominated);
			sched_forget(ps->s, pr.victims[i]);
		}
		sched_assume(ps->s, p, pr.node);	/* hold the room */
	} else {
		suffix = pr.msg;
		pr.msg = NULL;
		if (!strncmp(suffix, "preemption: 0/", 14))
			*nominated = "";
	}
	sched_preemption_clear(&pr);
	return suffix;
}

static void schedule_one(struct pass *ps, struct sched_pod *p)
{
	struct sched_result r;
	const char *nominated = NULL;
	char *fit, *suffix, *msg;

	sched_find(ps->s, p, &r);
	if (r.node >= 0) {
		sched_assume(ps->s, p, r.node);
		sched_binder_bind(ps->c->binder, p->pod, ps->s->nodes[r.node].name);
		sched_result_clear(&r);
		return;
	}
	fit = sched_fit_message(ps->s, r.status);
	suffix = preempt(ps, p, &r, &nominated);
	msg = suffix ? xasprintf("%s %s", fit, suffix) : xstrdup(fit);
	mark_unschedulable(ps->c, p->pod, msg, nominated);
	free(msg);
	free(suffix);
	free(fit);
	sched_result_clear(&r);
}

/* The scheduling queue's order: priority, then age, then name. */
static int cmp_queue(const void *a, const void *b)
{
	const struct sched_pod *x = *(struct sched_pod *const *)a;
	const struct sched_pod *y = *(struct sched_pod *const *)b;

	if (x->prio != y->prio)
		return x->prio > y->prio ? -1 : 1;
	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return strcmp(x->name, y->name);
}

void sched_sync(struct ctrl *c, const cJSON *pods, const cJSON *nodes)
{
	struct pass ps = { .c = c };
	struct sched_pod **queue;
	const cJSON *pod;
	cJSON *nss;
	size_t n = 0;
	char *k;

	cJSON_ArrayForEach(pod, pods)
		n += pod_pending(pod);
	if (!n) {
		struct sched_state none = { 0 };

		sched_binder_settle(c->binder, &none);	/* all settled */
		return;
	}
	k = store_key(NULL, "namespaces", NULL, NULL);
	nss = ctrl_list(c, k);
	free(k);
	ps.s = sched_state_new(pods, nodes, nss, (uint64_t)time(NULL) * 2654435761u + 1);
	ps.s->services = ctrl_cached(c, CTRL_K_SVC);
	ps.s->owner_get = owner_get;
	ps.s->owner_arg = &ps;
	sched_binder_settle(c->binder, ps.s);
	queue = xcalloc(n + 1, sizeof(*queue));
	n = 0;
	for (size_t i = 0; i < ps.s->npods; i++)
		if (!ps.s->pods[i].held && pod_pending(ps.s->pods[i].pod))
			queue[n++] = &ps.s->pods[i];
	qsort(queue, n, sizeof(*queue), cmp_queue);
	for (size_t i = 0; i < n; i++)
		schedule_one(&ps, queue[i]);
	free(queue);
	sched_state_free(ps.s);
	cJSON_Delete(ps.pdbs);
	cJSON_Delete(ps.rcs);
	cJSON_Delete(nss);
}
