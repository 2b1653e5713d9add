/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sched_podrules: PodTopologySpread and InterPodAffinity.
 *
 * Both ask "how many pods matching (namespaces, label selector) run in
 * the topology domain of this node".  A full scan per node and pod would
 * be quadratic, so a pass keeps indexes instead:
 *  - sched_count: per distinct (namespaces, selector), the number of
 *    matching pods on each node, built on first use and updated on every
 *    assume/forget;
 *  - sched_topo: per topology key, each node's domain id;
 *  - sched_anti: the pod (anti-)affinity terms of bound pods, grouped
 *    by (weight, namespaces, selector, key), with per-node counts.
 * A pod's evaluation (sched_podctx) sums these per domain once (O(nodes)
 * per rule), after which each node is an O(1) check.
 *
 * Modelled: maxSkew, topologyKey, whenUnsatisfiable, labelSelector,
 * matchLabelKeys, minDomains, nodeAffinityPolicy (Honor) and
 * nodeTaintsPolicy (Ignore) with their defaults; required and preferred
 * pod (anti-)affinity with namespaces and namespaceSelector; existing
 * pods' terms toward the incoming pod (required anti-affinity filters;
 * preferred terms and required affinity, at hardPodAffinityWeight 1,
 * score); the first pod of a self-affine group; the system default
 * spread constraints of a pod without any (sched_spread.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "cluster/sched_int.h"
#include "cluster/sched_podrules.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/selector.h"

#define NO_LABEL "node(s) didn't match pod topology spread constraints (missing required label)"
#define SPREAD   "node(s) didn't match pod topology spread constraints"
#define AFF      "node(s) didn't match pod affinity rules"
#define ANTI     "node(s) didn't match pod anti-affinity rules"
#define EXISTING "node(s) didn't satisfy existing pods anti-affinity rules"

/* A set of namespaces: all, or a sorted list. */
struct nsf {
	bool all;
	char **names;
	size_t n;
};

struct sched_count {
	char *key;
	struct label_selector *sel;	/* NULL matches nothing */
	struct nsf ns;
	bool live_only;			/* skip terminating pods */
	int *per_node;
	UT_hash_handle hh;
};

struct sched_topo {
	char *key;
	int *dom;			/* per node, -1 without the label */
	int ndom;
	UT_hash_handle hh;
};

/* Terms of bound pods toward others: weight 0 = required anti-affinity. */
struct sched_anti {
	char *key;
	struct label_selector *sel;
	struct nsf ns;
	struct sched_topo *topo;
	int64_t weight;
	int *per_node;
	int total;
	UT_hash_handle hh;
};

/* --- namespaces and matching --- */

static bool nsf_has(const struct nsf *f, const char *ns)
{
	if (f->all)
		return true;
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->names[i], ns))
			return true;
	return false;
}

static void nsf_add(struct nsf *f, const char *ns)
{
	if (nsf_has(f, ns))
		return;
	f->names = xrealloc(f->names, (f->n + 1) * sizeof(*f->names));
	f->names[f->n++] = xstrdup(ns);
}

static void nsf_clear(struct nsf *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->names[i]);
	free(f->names);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The namespaces of an affinity term of a pod in namespace own. */
static void term_namespaces(const struct sched_state *s, const cJSON *term,
			    const char *own, struct nsf *f)
{
	const cJSON *nsl = json_get(term, "namespaces"), *v, *ns;
	const cJSON *nss = json_get(term, "namespaceSelector");
	struct label_selector *sel = NULL;
	struct err e;

	memset(f, 0, sizeof(*f));
	cJSON_ArrayForEach(v, nsl)
		if (cJSON_IsString(v))
			nsf_add(f, v->valuestring);
	if (cJSON_IsObject(nss) && selector_from_json(nss, &sel, &e) == 0) {
		if (selector_is_everything(sel))
			f->all = true;
		cJSON_ArrayForEach(ns, s->namespaces)
			if (!f->all && selector_matches(sel, json_get(ns, "metadata.labels")))
				nsf_add(f, json_get_str(ns, "metadata.name") ?: "");
		selector_free(sel);
	} else if (!f->n) {
		nsf_add(f, own);
	}
	if (f->n > 1)
		qsort(f->names, f->n, sizeof(*f->names), cmp_str);
}

static void nsf_key(const struct nsf *f, struct buf *b)
{
	if (f->all)
		buf_adds(b, "*");
	for (size_t i = 0; i < f->n; i++)
		buf_printf(b, "%s,", f->names[i]);
	buf_adds(b, "|");
}

static bool matches(const struct label_selector *sel, const struct nsf *f,
		    const struct sched_pod *p)
{
	return sel && nsf_has(f, p->ns) && selector_matches(sel, p->labels);
}

static struct label_selector *parse_sel(const cJSON *ls)
{
	struct label_selector *sel = NULL;
	struct err e;

	if (!ls || selector_from_json(ls, &sel, &e) < 0)
		return NULL;
	return sel;
}

/* --- the indexes --- */

static struct sched_count *count_get(struct sched_state *s, const cJSON *ls,
				     struct nsf *f, bool live_only)
{
	struct sched_count *c;
	struct buf b;
	char *canon = ls ? json_canonical(ls) : xstrdup("null");

	buf_init(&b);
	buf_adds(&b, live_only ? "L|" : "A|");
	nsf_key(f, &b);
	buf_adds(&b, canon);
	free(canon);
	HASH_FIND_STR(s->counts, buf_cstr(&b), c);
	if (c) {
		buf_free(&b);
		nsf_clear(f);
		return c;
	}
	c = xcalloc(1, sizeof(*c));
	c->key = buf_take(&b);
	c->sel = parse_sel(ls);
	c->ns = *f;
	c->live_only = live_only;
	c->per_node = xcalloc(s->nnodes + 1, sizeof(int));
	for (size_t n = 0; n < s->nnodes; n++)
		for (size_t i = 0; i < s->nodes[n].npods_on; i++) {
			const struct sched_pod *p = s->nodes[n].pods_on[i];

			if ((!live_only || !p->terminating) && matches(c->sel, &c->ns, p))
				c->per_node[n]++;
		}
	HASH_ADD_KEYPTR(hh, s->counts, c->key, strlen(c->key), c);
	return c;
}

struct dom_name {
	const char *v;
	int id;
	UT_hash_handle hh;
};

static struct sched_topo *topo_get(struct sched_state *s, const char *key)
{
	struct sched_topo *t;
	struct dom_name *names = NULL, *d, *tmp;

	HASH_FIND_STR(s->topos, key, t);
	if (t)
		return t;
	t = xcalloc(1, sizeof(*t));
	t->key = xstrdup(key);
	t->dom = xcalloc(s->nnodes + 1, sizeof(int));
	for (size_t n = 0; n < s->nnodes; n++) {
		const cJSON *l = json_obj(s->nodes[n].labels, key);

		t->dom[n] = -1;
		if (!cJSON_IsString(l))
			continue;
		HASH_FIND_STR(names, l->valuestring, d);
		if (!d) {
			d = xcalloc(1, sizeof(*d));
			d->v = l->valuestring;
			d->id = t->ndom++;
			HASH_ADD_KEYPTR(hh, names, d->v, strlen(d->v), d);
		}
		t->dom[n] = d->id;
	}
	HASH_ITER(hh, names, d, tmp) {
		HASH_DEL(names, d);
		free(d);
	}
	HASH_ADD_KEYPTR(hh, s->topos, t->key, strlen(t->key), t);
	return t;
}

static struct sched_anti *anti_get(struct sched_state *s, const cJSON *term,
				   const char *own, int64_t weight)
{
	struct sched_anti *a;
	struct nsf f;
	struct buf b;
	const cJSON *ls = json_get(term, "labelSelector");
	char *canon = ls ? json_canonical(ls) : xstrdup("null");

	term_namespaces(s, term, own, &f);
	buf_init(&b);
	buf_printf(&b, "%lld|", (long long)weight);
	nsf_key(&f, &b);
	buf_printf(&b, "%s|%s", json_get_str(term, "topologyKey") ?: "", canon);
	free(canon);
	HASH_FIND_STR(s->antis, buf_cstr(&b), a);
	if (a) {
		buf_free(&b);
		nsf_clear(&f);
		return a;
	}
	a = xcalloc(1, sizeof(*a));
	a->key = buf_take(&b);
	a->sel = parse_sel(ls);
	a->ns = f;
	a->topo = topo_get(s, json_get_str(term, "topologyKey") ?: "");
	a->weight = weight;
	a->per_node = xcalloc(s->nnodes + 1, sizeof(int));
	HASH_ADD_KEYPTR(hh, s->antis, a->key, strlen(a->key), a);
	return a;
}

#define REQ "requiredDuringSchedulingIgnoredDuringExecution"
#define PREF "preferredDuringSchedulingIgnoredDuringExecution"

/* Terms a bound pod holds toward others: path, weight (0: required anti). */
static const struct {
	const char *path;
	int sign;		/* preferred: weight * sign; else the weight */
	int64_t weight;
} outward[] = {
	{ "spec.affinity.podAntiAffinity." REQ, 0, 0 },
	{ "spec.affinity.podAffinity." REQ, 0, 1 },	/* hardPodAffinityWeight */
	{ "spec.affinity.podAffinity." PREF, 1, 0 },
	{ "spec.affinity.podAntiAffinity." PREF, -1, 0 },
};

static void outward_add(struct sched_state *s, const struct sched_pod *p,
			size_t node, int delta)
{
	const cJSON *t;

	for (size_t i = 0; i < sizeof(outward) / sizeof(outward[0]); i++)
		cJSON_ArrayForEach(t, json_get(p->pod, outward[i].path)) {
			const cJSON *term = outward[i].sign ? json_get(t, "podAffinityTerm") : t;
			int64_t w = outward[i].weight;
			struct sched_anti *a;

			if (outward[i].sign && json_get_int(t, "weight", &w) == 0)
				w *= outward[i].sign;
			if (!w && outward[i].sign)
				continue;
			a = anti_get(s, term, p->ns, w);
			a->per_node[node] += delta;
			a->total += delta;
		}
}

void sched_index_add(struct sched_state *s, const struct sched_pod *p,
		     size_t node, int delta)
{
	struct sched_count *c, *tmp;

	HASH_ITER(hh, s->counts, c, tmp)
		if ((!c->live_only || !p->terminating) && matches(c->sel, &c->ns, p))
			c->per_node[node] += delta;
	if (p->anti)
		outward_add(s, p, node, delta);
}

void sched_index_free(struct sched_state *s)
{
	struct sched_count *c, *ct;
	struct sched_topo *t, *tt;
	struct sched_anti *a, *at;

	HASH_ITER(hh, s->counts, c, ct) {
		HASH_DEL(s->counts, c);
		selector_free(c->sel);
		nsf_clear(&c->ns);
		free(c->per_node);
		free(c->key);
		free(c);
	}
	HASH_ITER(hh, s->antis, a, at) {
		HASH_DEL(s->antis, a);
		selector_free(a->sel);
		nsf_clear(&a->ns);
		free(a->per_node);
		free(a->key);
		free(a);
	}
	HASH_ITER(hh, s->topos, t, tt) {
		HASH_DEL(s->topos, t);
		free(t->dom);
		free(t->key);
		free(t);
	}
}

/* --- per-pod evaluation --- */

enum rule_kind { R_SPREAD, R_SOFT, R_AFF, R_ANTI, R_EXISTING, R_PREF };

struct rule {
	enum rule_kind kind;
	struct sched_topo *topo;
	int *dom_cnt;			/* [topo->ndom] */
	int min, max_skew, self;
	int64_t weight;
};

struct sched_podctx {
	struct rule *r;
	size_t n;
	bool aff_any;		/* some pod matches a required affinity term */
	bool aff_self;		/* the pod matches all its own terms */
	bool *selected;		/* [nnodes] node affinity/selector admits */
};

static struct rule *rule_add(struct sched_podctx *c, enum rule_kind k,
			     struct sched_topo *t)
{
	struct rule *r;

	c->r = xrealloc(c->r, (c->n + 1) * sizeof(*c->r));
	r = &c->r[c->n++];
	memset(r, 0, sizeof(*r));
	r->kind = k;
	r->topo = t;
	r->dom_cnt = xcalloc((size_t)t->ndom + 1, sizeof(int));
	return r;
}

/* Sum per-node counts into r's domains (nodes where ok[] holds). */
static void sum_domains(const struct sched_state *s, struct rule *r,
			const int *per_node, const bool *ok)
{
	for (size_t n = 0; n < s->nnodes; n++)
		if (r->topo->dom[n] >= 0 && (!ok || ok[n]))
			r->dom_cnt[r->topo->dom[n]] += per_node[n];
}

/* The constraint's selector plus matchLabelKeys (key In [pod's value]). */
static cJSON *spread_selector(const struct sched_pod *p, const cJSON *con)
{
	const cJSON *ls = json_get(con, "labelSelector"), *k;
	cJSON *out;

	if (!cJSON_IsObject(ls))
		return NULL;
	out = json_dup(ls);
	cJSON_ArrayForEach(k, json_get(con, "matchLabelKeys")) {
		const cJSON *v = cJSON_IsString(k) ? json_obj(p->labels, k->valuestring) : NULL;
		cJSON *req, *exprs;
		const char *vals[1];

		if (!cJSON_IsString(v))
			continue;
		vals[0] = v->valuestring;
		exprs = json_obj_ensure(out, "matchExpressions");
		if (!cJSON_IsArray(exprs)) {
			json_del(out, "matchExpressions");
			exprs = cJSON_AddArrayToObject(out, "matchExpressions");
		}
		req = cJSON_CreateObject();
		json_set_str(req, "key", k->valuestring);
		json_set_str(req, "operator", "In");
		cJSON_AddItemToObject(req, "values",
				      cJSON_CreateStringArray(vals, 1));
		cJSON_AddItemToArray(exprs, req);
	}
	return out;
}

static bool str_is(const cJSON *o, const char *path, const char *def,
		   const char *want)
{
	return !strcmp(json_get_str(o, path) ?: def, want);
}

/* Minimum over the eligible domains (0 below minDomains). */
static void spread_min(struct rule *r, const bool *present, int64_t min_domains)
{
	int ndoms = 0;

	r->min = 0;
	for (int d = 0; d < r->topo->ndom; d++) {
		if (!present[d])
			continue;
		if (!ndoms++ || r->dom_cnt[d] < r->min)
			r->min = r->dom_cnt[d];
	}
	if (ndoms < min_domains)
		r->min = 0;
}

static void add_spread(struct sched_state *s, struct sched_podctx *c,
		       const struct sched_pod *p, const cJSON *con)
{
	bool soft = str_is(con, "whenUnsatisfiable", "DoNotSchedule", "ScheduleAnyway");
	bool honor_aff = str_is(con, "nodeAffinityPolicy", "Honor", "Honor");
	bool honor_taints = str_is(con, "nodeTaintsPolicy", "Ignore", "Honor");
	cJSON *ls = spread_selector(p, con);
	struct nsf f = { 0 };
	struct sched_count *cnt;
	struct rule *r;
	bool *present;
	int64_t v = 1, min_domains = 1;

	nsf_add(&f, p->ns);
	cnt = count_get(s, ls, &f, true);
	cJSON_Delete(ls);
	r = rule_add(c, soft ? R_SOFT : R_SPREAD,
		     topo_get(s, json_get_str(con, "topologyKey") ?: ""));
	json_get_int(con, "maxSkew", &v);
	json_get_int(con, "minDomains", &min_domains);
	r->max_skew = (int)v;
	r->self = matches(cnt->sel, &cnt->ns, p);
	present = xcalloc((size_t)r->topo->ndom + 1, sizeof(bool));
	for (size_t n = 0; n < s->nnodes; n++) {
		int d = r->topo->dom[n];

		if (d < 0 || (honor_aff && !c->selected[n]) ||
		    (honor_taints && !sched_taints_ok(p, &s->nodes[n])))
			continue;
		present[d] = true;
		r->dom_cnt[d] += cnt->per_node[n];
	}
	spread_min(r, present, min_domains);
	free(present);
}

/* Required or preferred pod (anti-)affinity terms at path. */
static void add_terms(struct sched_state *s, struct sched_podctx *c,
		      const struct sched_pod *p, const char *path,
		      enum rule_kind kind, int sign)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, json_get(p->pod, path)) {
		const cJSON *term = kind == R_PREF ? json_get(t, "podAffinityTerm") : t;
		struct sched_count *cnt;
		struct rule *r;
		struct nsf f;
		int64_t w = 0;

		term_namespaces(s, term, p->ns, &f);
		cnt = count_get(s, json_get(term, "labelSelector"), &f, false);
		r = rule_add(c, kind, topo_get(s, json_get_str(term, "topologyKey") ?: ""));
		sum_domains(s, r, cnt->per_node, NULL);
		json_get_int(t, "weight", &w);
		r->weight = sign * w;
		if (kind != R_AFF)
			continue;
		for (size_t n = 0; n < s->nnodes && !c->aff_any; n++)
			c->aff_any = cnt->per_node[n] > 0;
		if (!matches(cnt->sel, &cnt->ns, p))
			c->aff_self = false;
	}
}

/* Bound pods' terms that select p: required anti-affinity, scores. */
static void add_existing(struct sched_state *s, struct sched_podctx *c,
			 const struct sched_pod *p)
{
	struct sched_anti *a, *tmp;

	HASH_ITER(hh, s->antis, a, tmp) {
		struct rule *r;

		if (a->total <= 0 || !matches(a->sel, &a->ns, p))
			continue;
		r = rule_add(c, a->weight ? R_PREF : R_EXISTING, a->topo);
		r->weight = a->weight;
		sum_domains(s, r, a->per_node, NULL);
	}
}

struct sched_podctx *sched_podctx_new(struct sched_state *s,
				      const struct sched_pod *p)
{
	struct sched_podctx *c = xcalloc(1, sizeof(*c));
	const cJSON *cons = json_get(p->pod, "spec.topologySpreadConstraints"), *con;
	cJSON *defs = NULL;

	c->aff_self = true;
	if (cJSON_GetArraySize(cons) == 0 && (defs = sched_default_spread(s, p)))
		cons = defs;
	if (cJSON_GetArraySize(cons) > 0) {
		c->selected = xcalloc(s->nnodes + 1, sizeof(bool));
		for (size_t n = 0; n < s->nnodes; n++)
			c->selected[n] = sched_node_selected(p, &s->nodes[n]);
		cJSON_ArrayForEach(con, cons)
			add_spread(s, c, p, con);
	}
	add_terms(s, c, p, "spec.affinity.podAffinity." REQ, R_AFF, 1);
	add_terms(s, c, p, "spec.affinity.podAntiAffinity." REQ, R_ANTI, 1);
	add_terms(s, c, p, "spec.affinity.podAffinity." PREF, R_PREF, 1);
	add_terms(s, c, p, "spec.affinity.podAntiAffinity." PREF, R_PREF, -1);
	if (s->antis)
		add_existing(s, c, p);
	cJSON_Delete(defs);
	return c;
}

void sched_podctx_free(struct sched_podctx *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->r[i].dom_cnt);
	free(c->r);
	free(c->selected);
	free(c);
}

static void fail(struct sched_status *st, enum sched_code code, const char *why)
{
	st->code = code;
	st->reasons[0] = why;
	st->nr = 1;
}

/* PodTopologySpread's filter; false when it rejected the node. */
static bool spread_ok(const struct sched_podctx *c, size_t node,
		      struct sched_status *st)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct rule *r = &c->r[i];
		int d = r->topo->dom[node];

		if (r->kind != R_SPREAD)
			continue;
		if (d < 0) {
			fail(st, SCHED_UNRESOLVABLE, NO_LABEL);
			return false;
		}
		if (r->dom_cnt[d] + r->self - r->min > r->max_skew) {
			fail(st, SCHED_UNSCHED, SPREAD);
			return false;
		}
	}
	return true;
}

/* Any rule of kind has matching pods in node's domain. */
static bool occupied(const struct sched_podctx *c, size_t node,
		     enum rule_kind kind)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct rule *r = &c->r[i];
		int d = r->topo->dom[node];

		if (r->kind == kind && d >= 0 && r->dom_cnt[d] > 0)
			return true;
	}
	return false;
}

/* InterPodAffinity's required affinity: every term's domain has a pod. */
static bool affinity_ok(const struct sched_podctx *c, size_t node)
{
	bool have = false, exist = true;

	for (size_t i = 0; i < c->n; i++) {
		const struct rule *r = &c->r[i];
		int d = r->topo->dom[node];

		if (r->kind != R_AFF)
			continue;
		have = true;
		if (d < 0)
			return false;
		if (r->dom_cnt[d] <= 0)
			exist = false;
	}
	return !have || exist || (!c->aff_any && c->aff_self);
}

void sched_filter_pods(struct sched_state *s, const struct sched_podctx *c,
		       size_t node, struct sched_status *st)
{
	(void)s;
	if (st->code != SCHED_OK || !c->n || !spread_ok(c, node, st))
		return;
	if (!affinity_ok(c, node))
		fail(st, SCHED_UNRESOLVABLE, AFF);
	else if (occupied(c, node, R_ANTI))
		fail(st, SCHED_UNSCHED, ANTI);
	else if (occupied(c, node, R_EXISTING))
		fail(st, SCHED_UNSCHED, EXISTING);
}

int64_t sched_score_spread(const struct sched_podctx *c, size_t node)
{
	int64_t sum = 0;

	for (size_t i = 0; i < c->n; i++) {
		const struct rule *r = &c->r[i];
		int d = r->topo->dom[node];

		if (r->kind == R_SOFT && d >= 0)
			sum += r->dom_cnt[d] + r->max_skew - 1;
	}
	return sum;
}

int64_t sched_score_affinity(const struct sched_podctx *c, size_t node)
{
	int64_t sum = 0;

	for (size_t i = 0; i < c->n; i++) {
		const struct rule *r = &c->r[i];
		int d = r->topo->dom[node];

		if (r->kind == R_PREF && d >= 0)
			sum += r->weight * r->dom_cnt[d];
	}
	return sum;
}
