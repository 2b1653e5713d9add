/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hpa_calc: the HorizontalPodAutoscaler's replica arithmetic (hpa.h),
 * following pkg/controller/podautoscaler (replica_calculator.go and the
 * normalization in horizontal.go).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cluster/hpa.h"

enum hpa_pod_state hpa_classify(const struct hpa_pod_facts *f, int64_t now)
{
	if (f->deleting || f->failed)
		return HPA_POD_IGNORED;
	if (f->pending)
		return HPA_POD_UNREADY;
	if (!f->has_metric)
		return HPA_POD_MISSING;
	if (!f->cpu)
		return HPA_POD_READY;
	if (f->ready < 0 || !f->start)
		return HPA_POD_UNREADY;
	if (f->start + HPA_CPU_INIT_PERIOD_S > now)
		return f->ready == 0 || f->metric_ts < f->ready_change + f->metric_window
		       ? HPA_POD_UNREADY : HPA_POD_READY;
	return f->ready == 0 && f->start + HPA_READINESS_DELAY_S > f->ready_change
	       ? HPA_POD_UNREADY : HPA_POD_READY;
}

/* The pods whose samples count; usage/request as the calculator sees them. */
struct sample {
	int64_t usage, request;
};

static int utilization_ratio(const struct sample *s, size_t n, int64_t target,
			     double *ratio, int64_t *util, int64_t *raw,
			     struct err *e)
{
	int64_t use = 0, req = 0;

	for (size_t i = 0; i < n; i++) {
		use += s[i].usage;
		req += s[i].request;
	}
	if (req == 0)
		return err_set(e, ERR_INVALID, "no metrics returned matched known pods");
	*util = (int64_t)(int32_t)(use * 100 / req);
	*ratio = (double)*util / (double)target;
	*raw = use / (int64_t)n;
	return 0;
}

static void usage_ratio(const struct sample *s, size_t n, int64_t target,
			double *ratio, int64_t *avg)
{
	int64_t use = 0;

	for (size_t i = 0; i < n; i++)
		use += s[i].usage;
	*avg = use / (int64_t)n;
	*ratio = (double)*avg / (double)target;
}

/*
 * The shared body of both calculators: util true for utilization.
 * Samples hold the ready pods first, then the filled-in ones.
 */
static int replicas(const struct hpa_pod *p, size_t n, int current,
		    int64_t target, bool util, struct hpa_result *r,
		    struct err *e)
{
	struct sample s[n ? n : 1];
	size_t ns = 0, ready = 0, unready = 0, missing = 0;
	double ratio, nratio;
	int64_t u = 0, raw = 0, x, y;
	int nr;

	if (n == 0)
		return err_set(e, ERR_INVALID, "no pods returned by selector while calculating replica count");
	for (size_t i = 0; i < n; i++) {
		unready += p[i].state == HPA_POD_UNREADY;
		missing += p[i].state == HPA_POD_MISSING;
		if (p[i].state == HPA_POD_READY)
			s[ns++] = (struct sample){ p[i].usage, p[i].request };
	}
	ready = ns;
	if (ns == 0)
		return err_set(e, ERR_INVALID, "did not receive metrics for targeted pods (pods might be unready)");
	if (util) {
		if (utilization_ratio(s, ns, target, &ratio, &u, &raw, e) < 0)
			return -1;
	} else
		usage_ratio(s, ns, target, &ratio, &raw);
	r->utilization = u;
	r->raw = raw;
	r->replicas = current;
	if (!(unready && ratio > 1.0) && !missing) {
		if (fabs(1.0 - ratio) > HPA_TOLERANCE)
			r->replicas = (int)ceil(ratio * (double)ready);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (p[i].state == HPA_POD_MISSING && ratio < 1.0)
			s[ns++] = (struct sample){ util ? p[i].request * (target > 100 ? target : 100) / 100
						   : target, p[i].request };
		else if (p[i].state == HPA_POD_MISSING && ratio > 1.0)
			s[ns++] = (struct sample){ 0, p[i].request };
		else if (p[i].state == HPA_POD_UNREADY && ratio > 1.0)
			s[ns++] = (struct sample){ 0, p[i].request };
	}
	if (util) {
		if (utilization_ratio(s, ns, target, &nratio, &x, &y, e) < 0)
			return -1;
	} else
		usage_ratio(s, ns, target, &nratio, &x);
	if (fabs(1.0 - nratio) <= HPA_TOLERANCE || (ratio < 1.0 && nratio > 1.0) ||
	    (ratio > 1.0 && nratio < 1.0))
		return 0;
	nr = (int)ceil(nratio * (double)ns);
	if ((nratio < 1.0 && nr > current) || (nratio > 1.0 && nr < current))
		return 0;
	r->replicas = nr;
	return 0;
}

int hpa_replicas_utilization(const struct hpa_pod *p, size_t n, int current,
			     int64_t target, struct hpa_result *r,
			     struct err *e)
{
	if (target <= 0)
		return err_set(e, ERR_INVALID, "invalid target utilization %lld", (long long)target);
	return replicas(p, n, current, target, true, r, e);
}

int hpa_replicas_value(const struct hpa_pod *p, size_t n, int current,
		       int64_t target, struct hpa_result *r, struct err *e)
{
	if (target <= 0)
		return err_set(e, ERR_INVALID, "invalid target value %lld", (long long)target);
	return replicas(p, n, current, target, false, r, e);
}

void hpa_default_rules(struct hpa_rules *up, struct hpa_rules *down)
{
	memset(up, 0, sizeof(*up));
	memset(down, 0, sizeof(*down));
	up->window_s = 0;
	up->select = HPA_SELECT_MAX;
	up->npol = 2;
	up->pol[0].type = HPA_POLICY_PODS;
	up->pol[0].value = 4;
	up->pol[0].period_s = 15;
	up->pol[1].type = HPA_POLICY_PERCENT;
	up->pol[1].value = 100;
	up->pol[1].period_s = 15;
	down->window_s = HPA_DOWNSCALE_WINDOW_S;
	down->select = HPA_SELECT_MAX;
	down->npol = 1;
	down->pol[0].type = HPA_POLICY_PERCENT;
	down->pol[0].value = 100;
	down->pol[0].period_s = 15;
}

/* Append (t, n) to a bounded list, dropping entries older than keep_s. */
static void stamp_add(struct hpa_stamp *v, size_t *len, int64_t t, int n,
		      int64_t keep_s)
{
	size_t j = 0;

	for (size_t i = 0; i < *len; i++)
		if (v[i].t > t - keep_s)
			v[j++] = v[i];
	*len = j;
	if (*len == HPA_HISTORY_MAX) {
		memmove(v, v + 1, (*len - 1) * sizeof(*v));
		(*len)--;
	}
	v[(*len)++] = (struct hpa_stamp){ t, n };
}

void hpa_record_initial(struct hpa_history *h, int current, int64_t now)
{
	if (h->nrecs == 0)
		h->recs[h->nrecs++] = (struct hpa_stamp){ now, current };
}

void hpa_record_scale(struct hpa_history *h, int from, int to, int64_t now)
{
	if (to > from)
		stamp_add(h->ups, &h->nups, now, to - from, 1800);
	else if (to < from)
		stamp_add(h->downs, &h->ndowns, now, from - to, 1800);
}

static int change_in(const struct hpa_stamp *v, size_t n, int period_s,
		     int64_t now)
{
	int sum = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i].t > now - period_s)
			sum += v[i].n;
	return sum;
}

/* calculateScaleUpLimitWithScalingRules / ...ScaleDownLimitWithBehaviors. */
static int rate_limit(const struct hpa_history *h, const struct hpa_rules *r,
		      int current, bool up, int64_t now)
{
	bool pick_max = (r->select == HPA_SELECT_MAX) == up;
	int result = pick_max ? INT32_MIN : INT32_MAX;

	if (r->select == HPA_SELECT_DISABLED)
		return current;
	for (size_t i = 0; i < r->npol; i++) {
		int start = current - change_in(h->ups, h->nups, r->pol[i].period_s, now) +
			    change_in(h->downs, h->ndowns, r->pol[i].period_s, now);
		double v = r->pol[i].value;
		int prop;

		if (r->pol[i].type == HPA_POLICY_PODS)
			prop = up ? start + (int)v : start - (int)v;
		else if (up)
			prop = (int)ceil((double)start * (1 + v / 100));
		else
			prop = (int)((double)start * (1 - v / 100));
		result = pick_max ? (prop > result ? prop : result)
				  : (prop < result ? prop : result);
	}
	return result;
}

static void set_limit(struct hpa_norm *n, int stabilized, int replicas,
		      const char *reason, const char *msg)
{
	n->replicas = replicas;
	n->limited = replicas != stabilized;
	n->limit_reason = reason;
	n->limit_msg = msg;
}

#define MSG_IN_RANGE "the desired count is within the acceptable range"
#define MSG_UP_FAST "the desired replica count is increasing faster than the maximum scale rate"
#define MSG_DOWN_FAST "the desired replica count is decreasing faster than the maximum scale rate"
#define MSG_TOO_MANY "the desired replica count is more than the maximum replica count"
#define MSG_TOO_FEW "the desired replica count is less than the minimum replica count"

/* normalizeDesiredReplicas: no spec.behavior. */
static void normalize_legacy(struct hpa_history *h, struct hpa_norm *n)
{
	int rec = n->desired, lim, lo;
	const char *cond, *msg;

	for (size_t i = 0; i < h->nrecs; i++)
		if (h->recs[i].t >= n->now - HPA_DOWNSCALE_WINDOW_S && h->recs[i].n > rec)
			rec = h->recs[i].n;
	stamp_add(h->recs, &h->nrecs, n->now, n->desired, HPA_DOWNSCALE_WINDOW_S);
	n->able_reason = rec != n->desired ? "ScaleDownStabilized" : "ReadyForNewScale";
	n->able_msg = rec != n->desired
		      ? "recent recommendations were higher than current one, applying the highest recent recommendation"
		      : "recommended size matches current size";
	lim = 2 * n->current > 4 ? 2 * n->current : 4;
	cond = n->max > lim ? "ScaleUpLimit" : "TooManyReplicas";
	msg = n->max > lim ? MSG_UP_FAST : MSG_TOO_MANY;
	lim = n->max > lim ? lim : n->max;
	lo = n->min == 0 ? 1 : n->min;
	if (rec < lo)
		set_limit(n, rec, lo, "TooFewReplicas",
			  n->min == 0 ? "the desired replica count is zero" : MSG_TOO_FEW);
	else if (rec > lim)
		set_limit(n, rec, lim, cond, msg);
	else
		set_limit(n, rec, rec, "DesiredWithinRange", MSG_IN_RANGE);
}

/* stabilizeRecommendationWithBehaviors + convertDesiredReplicasWithBehaviorRate. */
static void normalize_behavior(struct hpa_history *h, struct hpa_norm *n)
{
	int upr = n->desired, downr = n->desired, rec = n->current, lim;
	int64_t keep = n->up->window_s > n->down->window_s ? n->up->window_s : n->down->window_s;

	for (size_t i = 0; i < h->nrecs; i++) {
		if (h->recs[i].t > n->now - n->up->window_s && h->recs[i].n < upr)
			upr = h->recs[i].n;
		if (h->recs[i].t > n->now - n->down->window_s && h->recs[i].n > downr)
			downr = h->recs[i].n;
	}
	stamp_add(h->recs, &h->nrecs, n->now, n->desired, keep + 1);
	rec = rec < upr ? upr : rec;
	rec = rec > downr ? downr : rec;
	n->able_reason = "ReadyForNewScale";
	n->able_msg = "recommended size matches current size";
	if (rec != n->desired && n->desired >= n->current) {
		n->able_reason = "ScaleUpStabilized";
		n->able_msg = "recent recommendations were lower than current one, applying the lowest recent recommendation";
	} else if (rec != n->desired) {
		n->able_reason = "ScaleDownStabilized";
		n->able_msg = "recent recommendations were higher than current one, applying the highest recent recommendation";
	}
	set_limit(n, rec, rec, "DesiredWithinRange", MSG_IN_RANGE);
	if (rec > n->current) {
		lim = rate_limit(h, n->up, n->current, true, n->now);
		lim = lim < n->current ? n->current : lim;
		if (n->max > lim && rec > lim)
			set_limit(n, rec, lim, "ScaleUpLimit", MSG_UP_FAST);
		else if (rec > n->max)
			set_limit(n, rec, n->max, "TooManyReplicas", MSG_TOO_MANY);
	} else if (rec < n->current) {
		lim = rate_limit(h, n->down, n->current, false, n->now);
		lim = lim > n->current ? n->current : lim;
		if (n->min < lim && rec < lim)
			set_limit(n, rec, lim, "ScaleDownLimit", MSG_DOWN_FAST);
		else if (rec < n->min)
			set_limit(n, rec, n->min, "TooFewReplicas", MSG_TOO_FEW);
	}
}

void hpa_normalize(struct hpa_history *h, struct hpa_norm *n)
{
	if (n->up && n->down)
		normalize_behavior(h, n);
	else
		normalize_legacy(h, n);
}
