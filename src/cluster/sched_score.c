/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sched_score: one scheduling attempt.  Every node goes through the
 * filters (sched_filter.c, then the pod-to-pod rules); the feasible ones
 * are scored with the default profile's plugins and weights
 * (NodeResourcesFit least-allocated 1, NodeResourcesBalancedAllocation 1,
 * NodeAffinity 2, TaintToleration 3, PodTopologySpread 2,
 * InterPodAffinity 2; each normalized to 0..100 as the plugins do) and
 * the best wins, ties broken at random by reservoir sampling as
 * kube-scheduler's selectHost does (a seeded generator: reproducible).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/ctrl_int.h"
#include "cluster/sched_int.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

#define MAX_SCORE 100

enum { S_FIT, S_BALANCED, S_NODEAFF, S_TAINT, S_SPREAD, S_PODAFF, S_N };

static const int weight[S_N] = { 1, 1, 2, 3, 2, 2 };

_Static_assert(S_N <= 8, "sched_state.scores holds 8 scores per node");

static uint64_t next_rand(struct sched_state *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

static double frac(int64_t used, int64_t cap)
{
	if (cap <= 0)
		return 1.0;
	return used >= cap ? 1.0 : (double)used / (double)cap;
}

/* Least-allocated and balanced-allocation scores of p on n. */
static void resource_scores(const struct sched_pod *p,
			    const struct sched_node *n, int64_t *sc)
{
	double fc = frac(n->cpu_nz + p->cpu_nz, n->cpu_cap);
	double fm = frac(n->mem_nz + p->mem_nz, n->mem_cap);
	double diff = fc > fm ? fc - fm : fm - fc;

	sc[S_FIT] = (int64_t)(((1.0 - fc) + (1.0 - fm)) * MAX_SCORE / 2);
	sc[S_BALANCED] = (int64_t)((1.0 - diff / 2) * MAX_SCORE);
}

static int64_t prefer_no_schedule(const struct sched_pod *p,
				  const struct sched_node *n)
{
	const cJSON *t;
	int64_t k = 0;

	cJSON_ArrayForEach(t, n->taints) {
		const char *eff = json_get_str(t, "effect");

		if (eff && !strcmp(eff, "PreferNoSchedule") && !sched_tolerates(p->pod, t))
			k++;
	}
	return k;
}

/* Normalize column k of raw[nf][S_N] in place (reverse: lower is better). */
static void normalize(int64_t (*raw)[S_N], size_t nf, int k, bool reverse)
{
	int64_t mx = 0, mn = 0;

	for (size_t i = 0; i < nf; i++) {
		if (!i || raw[i][k] > mx)
			mx = raw[i][k];
		if (!i || raw[i][k] < mn)
			mn = raw[i][k];
	}
	for (size_t i = 0; i < nf; i++) {
		if (reverse)
			raw[i][k] = mx <= 0 ? MAX_SCORE :
				MAX_SCORE * (mx + mn - raw[i][k]) / mx;
		else if (k == S_PODAFF)
			raw[i][k] = mx > mn ? MAX_SCORE * (raw[i][k] - mn) / (mx - mn) : 0;
		else
			raw[i][k] = mx > 0 ? MAX_SCORE * raw[i][k] / mx : 0;
	}
}

/* Score the nf feasible nodes idx[] and pick one. */
static int select_host(struct sched_state *s, const struct sched_pod *p,
		       const struct sched_podctx *c, const size_t *idx, size_t nf)
{
	int64_t (*raw)[S_N] = (int64_t (*)[S_N])s->scores, best = 0;
	int pick = -1, ties = 0;

	for (size_t i = 0; i < nf; i++) {
		const struct sched_node *n = &s->nodes[idx[i]];

		resource_scores(p, n, raw[i]);
		raw[i][S_NODEAFF] = sched_node_preference(p, n);
		raw[i][S_TAINT] = prefer_no_schedule(p, n);
		raw[i][S_SPREAD] = sched_score_spread(c, idx[i]);
		raw[i][S_PODAFF] = sched_score_affinity(c, idx[i]);
	}
	normalize(raw, nf, S_NODEAFF, false);
	normalize(raw, nf, S_TAINT, true);
	normalize(raw, nf, S_SPREAD, true);
	normalize(raw, nf, S_PODAFF, false);
	for (size_t i = 0; i < nf; i++) {
		int64_t total = 0;

		for (int k = 0; k < S_N; k++)
			total += weight[k] * raw[i][k];
		if (pick < 0 || total > best) {
			best = total;
			pick = (int)idx[i];
			ties = 1;
		} else if (total == best && next_rand(s) % (uint64_t)++ties == 0) {
			pick = (int)idx[i];
		}
	}
	return pick;
}

void sched_find(struct sched_state *s, const struct sched_pod *p,
		struct sched_result *r)
{
	struct sched_podctx *c = sched_podctx_new(s, p);
	size_t *idx = s->feasible, nf = 0;

	r->node = -1;
	r->status = s->status;
	for (size_t i = 0; i < s->nnodes; i++) {
		struct sched_status *st = &r->status[i];

		st->code = SCHED_OK;
		st->nr = 0;
		sched_filter_node(s, p, &s->nodes[i], st);
		if (st->code == SCHED_OK)
			sched_filter_fit(s, p, &s->nodes[i], st);
		sched_filter_pods(s, c, i, st);
		if (st->code == SCHED_OK)
			idx[nf++] = i;
	}
	if (nf == 1)
		r->node = (int)idx[0];
	else if (nf > 1)
		r->node = select_host(s, p, c, idx, nf);
	sched_podctx_free(c);
}

void sched_result_clear(struct sched_result *r)
{
	r->status = NULL;
}

struct hist {
	const char *why;
	int n;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *sched_fit_message(const struct sched_state *s,
			const struct sched_status *st)
{
	struct hist *h = xcalloc(s->nnodes * SCHED_MAX_REASONS + 1, sizeof(*h));
	size_t nh = 0, j;
	char **parts;
	struct buf b;

	for (size_t i = 0; i < s->nnodes; i++)
		for (int k = 0; k < st[i].nr; k++) {
			for (j = 0; j < nh && strcmp(h[j].why, st[i].reasons[k]); j++)
				;
			if (j == nh)
				h[nh++].why = st[i].reasons[k];
			h[j].n++;
		}
	parts = xcalloc(nh + 1, sizeof(*parts));
	for (j = 0; j < nh; j++)
		parts[j] = xasprintf("%d %s", h[j].n, h[j].why);
	qsort(parts, nh, sizeof(*parts), cmp_str);
	buf_init(&b);
	buf_printf(&b, "0/%zu nodes are available", s->nnodes);
	for (j = 0; j < nh; j++) {
		buf_printf(&b, "%s%s", j ? ", " : ": ", parts[j]);
		free(parts[j]);
	}
	buf_adds(&b, ".");
	free(parts);
	free(h);
	return buf_take(&b);
}
