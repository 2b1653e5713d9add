/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sched_preempt: the DefaultPreemption plugin.  A pod that fits nowhere
 * may evict lower-priority pods: on every node where the filters failed
 * for a reason removing pods can fix, all lower-priority pods are taken
 * off (in the snapshot), the pod must then fit, and the victims are
 * reprieved one by one, most important first (PDB-violating ones before
 * the others), keeping those the pod still fits beside.  Among the
 * candidate nodes the one with the fewest PDB violations, then the
 * lowest highest victim priority, the lowest priority sum and the fewest
 * victims wins (pickOneNodeForPreemption's first criteria).  Messages
 * are DefaultPreemption's ("preemption: 0/3 nodes are available: ...").
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/sched_int.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/selector.h"

#define NOT_HELPFUL "Preemption is not helpful for scheduling"
#define NO_VICTIMS "No preemption victims found for incoming pod"

struct cand {
	int node;
	struct sched_pod **victims;
	size_t n;
	int64_t violations, top, sum;
};

/* p passes the pod-dependent filters on node in the current snapshot. */
static bool fits(struct sched_state *s, const struct sched_pod *p,
		 size_t node, struct sched_status *st)
{
	struct sched_podctx *c;

	memset(st, 0, sizeof(*st));
	sched_filter_fit(s, p, &s->nodes[node], st);
	if (st->code != SCHED_OK)
		return false;
	c = sched_podctx_new(s, p);
	sched_filter_pods(s, c, node, st);
	sched_podctx_free(c);
	return st->code == SCHED_OK;
}

/* More important first: higher priority, then the older pod. */
static int cmp_importance(const void *a, const void *b)
{
	const struct sched_pod *x = *(struct sched_pod *const *)a;
	const struct sched_pod *y = *(struct sched_pod *const *)b;

	if (x->prio != y->prio)
		return x->prio > y->prio ? -1 : 1;
	return x->created < y->created ? -1 : x->created > y->created;
}

/* Whether evicting v violates a PDB (allowed[] counts down). */
static bool violates(const cJSON *pdbs, int64_t *allowed,
		     const struct sched_pod *v)
{
	const cJSON *pdb;
	bool viol = false;
	size_t i = 0;

	cJSON_ArrayForEach(pdb, pdbs) {
		struct label_selector *sel = NULL;
		struct err e;

		if (!strcmp(json_get_str(pdb, "metadata.namespace") ?: "", v->ns) &&
		    selector_from_json(json_get(pdb, "spec.selector"), &sel, &e) == 0 &&
		    !selector_is_everything(sel) && selector_matches(sel, v->labels) &&
		    --allowed[i] < 0)
			viol = true;
		selector_free(sel);
		i++;
	}
	return viol;
}

/* Reprieve pods of list (in order); the rest become c's victims. */
static void reprieve(struct sched_state *s, const struct sched_pod *p,
		     size_t node, struct sched_pod **list, size_t n,
		     bool violating, struct cand *c)
{
	struct sched_status st;

	for (size_t i = 0; i < n; i++) {
		sched_assume(s, list[i], (int)node);
		if (fits(s, p, node, &st))
			continue;
		sched_forget(s, list[i]);
		c->victims[c->n++] = list[i];
		c->violations += violating;
	}
}

/*
 * Split pot[n] (sorted, most important first) into PDB-violating and
 * other pods, then reprieve each group in turn; c gets the victims.
 */
static void choose_victims(struct sched_state *s, const struct sched_pod *p,
			   size_t node, struct sched_pod **pot, size_t n,
			   const cJSON *pdbs, struct cand *c)
{
	size_t np = (size_t)cJSON_GetArraySize(pdbs), nv = 0, nok = 0, i = 0;
	struct sched_pod **viol = xcalloc(n + 1, sizeof(*viol));
	struct sched_pod **ok = xcalloc(n + 1, sizeof(*ok));
	int64_t *allowed = xcalloc(np + 1, sizeof(*allowed));
	const cJSON *pdb;

	cJSON_ArrayForEach(pdb, pdbs)
		json_get_int(pdb, "status.disruptionsAllowed", &allowed[i++]);
	for (i = 0; i < n; i++) {
		if (violates(pdbs, allowed, pot[i]))
			viol[nv++] = pot[i];
		else
			ok[nok++] = pot[i];
	}
	c->victims = xcalloc(n + 1, sizeof(*c->victims));
	reprieve(s, p, node, viol, nv, true, c);
	reprieve(s, p, node, ok, nok, false, c);
	free(viol);
	free(ok);
	free(allowed);
}

/* Victims on node; false with st set when preemption cannot help there. */
static bool select_victims(struct sched_state *s, const struct sched_pod *p,
			   size_t node, const cJSON *pdbs, struct cand *c,
			   struct sched_status *st)
{
	struct sched_node *nd = &s->nodes[node];
	struct sched_pod **pot = xcalloc(nd->npods_on + 1, sizeof(*pot));
	size_t n = 0;
	bool found = false;

	for (size_t i = 0; i < nd->npods_on; i++)
		if (nd->pods_on[i]->prio < p->prio && !nd->pods_on[i]->terminating)
			pot[n++] = nd->pods_on[i];
	memset(st, 0, sizeof(*st));
	if (!n) {
		st->code = SCHED_UNRESOLVABLE;
		st->reasons[st->nr++] = NO_VICTIMS;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		sched_forget(s, pot[i]);
	if (!fits(s, p, node, st)) {
		for (size_t i = 0; i < n; i++)
			sched_assume(s, pot[i], (int)node);
		goto out;
	}
	qsort(pot, n, sizeof(*pot), cmp_importance);
	choose_victims(s, p, node, pot, n, pdbs, c);
	for (size_t i = 0; i < c->n; i++) {
		sched_assume(s, c->victims[i], (int)node);
		c->sum += c->victims[i]->prio + INT32_MAX + 1LL;
		if (!i || c->victims[i]->prio > c->top)
			c->top = c->victims[i]->prio;
	}
	c->node = (int)node;
	found = true;
out:
	free(pot);
	return found;
}

/* a is a better candidate than b (pickOneNodeForPreemption). */
static bool better(const struct cand *a, const struct cand *b)
{
	if (a->violations != b->violations)
		return a->violations < b->violations;
	if (a->top != b->top)
		return a->top < b->top;
	if (a->sum != b->sum)
		return a->sum < b->sum;
	return a->n < b->n;
}

/* PodEligibleToPreemptOthers: NULL when eligible, else the message. */
static const char *ineligible(struct sched_state *s, const struct sched_pod *p,
			      const struct sched_result *r)
{
	const char *nom = json_get_str(p->pod, "status.nominatedNodeName");

	if (p->never)
		return "not eligible due to preemptionPolicy=Never.";
	if (!nom || !*nom)
		return NULL;
	for (size_t i = 0; i < s->nnodes; i++) {
		const struct sched_node *n = &s->nodes[i];

		if (strcmp(n->name, nom) || r->status[i].code == SCHED_UNRESOLVABLE)
			continue;
		for (size_t k = 0; k < n->npods_on; k++)
			if (n->pods_on[k]->terminating && n->pods_on[k]->prio < p->prio)
				return "not eligible due to a terminating pod on the nominated node.";
	}
	return NULL;
}

void sched_preempt(struct sched_state *s, const struct sched_pod *p,
		   const struct sched_result *r, const cJSON *pdbs,
		   struct sched_preemption *out)
{
	struct sched_status *st;
	struct cand best = { .node = -1 };
	const char *why = ineligible(s, p, r);
	char *fit;

	memset(out, 0, sizeof(*out));
	out->node = -1;
	if (why) {
		out->msg = xasprintf("preemption: %s", why);
		return;
	}
	st = xcalloc(s->nnodes + 1, sizeof(*st));
	for (size_t i = 0; i < s->nnodes; i++) {
		struct cand c = { .node = -1 };

		if (r->status[i].code == SCHED_UNRESOLVABLE) {
			st[i].code = SCHED_UNRESOLVABLE;
			st[i].reasons[st[i].nr++] = NOT_HELPFUL;
		} else if (select_victims(s, p, i, pdbs, &c, &st[i]) &&
			   (best.node < 0 || better(&c, &best))) {
			free(best.victims);
			best = c;
		} else {
			free(c.victims);
		}
	}
	if (best.node >= 0) {
		out->node = best.node;
		out->victims = best.victims;
		out->nvictims = best.n;
	} else {
		fit = sched_fit_message(s, st);
		out->msg = xasprintf("preemption: %s", fit);
		free(fit);
	}
	free(st);
}

void sched_preemption_clear(struct sched_preemption *pr)
{
	free(pr->victims);
	free(pr->msg);
	memset(pr, 0, sizeof(*pr));
	pr->node = -1;
}
