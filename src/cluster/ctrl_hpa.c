/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_hpa: the HorizontalPodAutoscaler controller (autoscaling/v2, and
 * v1 objects through their targetCPUUtilizationPercentage), every sync
 * period (c->hpa_period_s: 15 s, KDECK_HPA_SYNC_PERIOD).
 *
 * For each HPA: read the target's scale subresource (AbleToScale /
 * FailedGetScale), take the replica count to the [min, max] range or else
 * compute it from each Resource metric (CPU or memory utilization of the
 * requests, or AverageValue) with the pods' samples from the
 * metrics.k8s.io API (metrics-server's view: api_top.c), the largest
 * proposal winning; then stabilize and rate-limit it (hpa_calc.c),
 * update the scale subresource (SuccessfulRescale "New size: N; reason:
 * ...") and write status: currentReplicas, desiredReplicas,
 * currentMetrics, lastScaleTime, conditions AbleToScale, ScalingActive
 * and ScalingLimited.  No samples (simulated nodes have none) gives
 * ScalingActive=False FailedGetResourceMetric plus the warnings
 * FailedGetResourceMetric and FailedComputeMetricsReplicas, as the real
 * controller says it.  Pods, Object and External metrics need a custom
 * metrics API that kdeck does not serve: they count as invalid.
 * autoscaling/v1 objects get currentCPUUtilizationPercentage and keep the
 * v2 status fields too (no version conversion in the store).
 * Recommendation and scale-event history lives in c->hpa (by HPA uid).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "cluster/ctrl_int.h"
#include "cluster/hpa.h"
#include "cluster/registry.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"
#include "common/quantity.h"
#include "common/selector.h"

#define COMPONENT "horizontal-pod-autoscaler"

struct hpa_entry {
	char uid[64];
	struct hpa_history h;
	UT_hash_handle hh;
};

struct hpa_state {
	int64_t last;		/* unix seconds of the last sync */
	struct hpa_entry *by_uid;
};

void hpa_state_free(struct hpa_state *s)
{
	struct hpa_entry *e, *tmp;

	if (!s)
		return;
	HASH_ITER(hh, s->by_uid, e, tmp) {
		HASH_DEL(s->by_uid, e);
		free(e);
	}
	free(s);
}

static struct hpa_history *history(struct ctrl *c, const char *uid)
{
	struct hpa_entry *e;

	HASH_FIND_STR(c->hpa->by_uid, uid, e);
	if (!e) {
		e = xcalloc(1, sizeof(*e));
		snprintf(e->uid, sizeof(e->uid), "%s", uid);
		HASH_ADD_STR(c->hpa->by_uid, uid, e);
	}
	return &e->h;
}

/* One HPA being reconciled. */
struct hpa_run {
	struct ctrl *c;
	const cJSON *hpa;	/* as listed */
	cJSON *st;		/* the new object (status edited) */
	bool v1;
	const char *ns;
	const char *sel;	/* the scale's status.selector (borrowed) */
	cJSON *pods;		/* the target's pods (selector) */
	cJSON *samples;		/* PodMetrics items of ns, or NULL */
	char samples_err[256];
	int64_t now;
};

static void warn(struct hpa_run *r, const char *reason, const char *msg)
{
	ctrl_event(r->c, COMPONENT, CTRL_USER_CM, r->hpa, "Warning", reason,
		   NULL, msg);
}

static void cond(struct hpa_run *r, const char *type, const char *status,
		 const char *reason, const char *msg)
{
	ctrl_set_condition(r->st, type, status, reason, msg, false);
}

/* Sum of a resource over a list of {resources...} or usage maps, milli. */
static int64_t milli_of(const cJSON *map, const char *res, bool *found)
{
	const cJSON *v = json_obj(map, res);
	struct quantity q;
	struct err e;

	if (!cJSON_IsString(v) || quantity_parse(v->valuestring, &q, &e) < 0)
		return 0;
	*found = true;
	return quantity_milli_value(&q);
}

/* The PodMetrics item of pod name, or NULL. */
static const cJSON *sample_of(const struct hpa_run *r, const char *name)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, json_get(r->samples, "items"))
		if (!strcmp(json_get_str(it, "metadata.name") ?: "", name))
			return it;
	return NULL;
}

/* Fill one hpa_pod; -1 with the calculator's message on a missing request. */
static int pod_sample(const struct hpa_run *r, const cJSON *pod,
		      const char *res, struct hpa_pod *out, struct err *e)
{
	const cJSON *m = sample_of(r, json_get_str(pod, "metadata.name") ?: "");
	const cJSON *ct, *rd = ctrl_condition(pod, "Ready");
	const char *phase = json_get_str(pod, "status.phase") ?: "";
	struct hpa_pod_facts f = { 0 };
	int64_t win = 0;
	bool found;

	out->request = out->usage = 0;
	cJSON_ArrayForEach(ct, json_get(pod, "spec.containers")) {
		found = false;
		out->request += milli_of(json_get(ct, "resources.requests"), res, &found);
		if (!found)
			return err_set(e, ERR_INVALID, "missing request for %s in container %s of Pod %s",
				       res, json_get_str(ct, "name") ?: "",
				       json_get_str(pod, "metadata.name") ?: "");
	}
	cJSON_ArrayForEach(ct, json_get(m, "containers"))
		out->usage += milli_of(json_get(ct, "usage"), res, &found);
	f.deleting = json_get(pod, "metadata.deletionTimestamp");
	f.failed = !strcmp(phase, "Failed");
	f.pending = !strcmp(phase, "Pending") || !*phase;
	f.has_metric = m != NULL;
	f.cpu = !strcmp(res, "cpu");
	f.ready = !rd ? -1 : !strcmp(json_get_str(rd, "status") ?: "", "True");
	f.start = ctrl_time(pod, "status.startTime");
	f.ready_change = rd ? ctrl_time(rd, "lastTransitionTime") : 0;
	f.metric_ts = m ? ctrl_time(m, "timestamp") : 0;
	if (m && json_get_str(m, "window") &&
	    ktime_parse_duration(json_get_str(m, "window"), &win, e) < 0)
		win = 0;
	f.metric_window = win / KTIME_NS_PER_SEC;
	out->state = hpa_classify(&f, r->now);
	return 0;
}

/* The metric's proposal; status entry into *ms.  -1: invalid (err set). */
static int resource_metric(struct hpa_run *r, const cJSON *spec, int current,
			   int *proposal, cJSON *ms, char *name, size_t nn,
			   struct err *e)
{
	const char *res = json_get_str(spec, "resource.name") ?: "";
	const cJSON *tgt = json_get(spec, "resource.target");
	size_t n = (size_t)cJSON_GetArraySize(r->pods), i = 0;
	struct hpa_pod *p = xcalloc(n ? n : 1, sizeof(*p));
	struct hpa_result res_out;
	struct quantity q;
	int64_t util = -1, val = 0;
	char qs[QUANTITY_STR_MAX], *why = NULL;
	const cJSON *pod;
	int rc = -1;

	json_get_int(tgt, "averageUtilization", &util);
	if (util < 0 && (!json_get_str(tgt, "averageValue") ||
			 quantity_parse(json_get_str(tgt, "averageValue"), &q, e) < 0)) {
		err_set(e, ERR_INVALID, "invalid resource metric source: neither a utilization target nor a value target was set");
		goto out;
	}
	if (util < 0)
		val = quantity_milli_value(&q);
	if (!r->samples || !cJSON_GetArraySize(json_get(r->samples, "items"))) {
		err_set(e, ERR_INVALID, "unable to get metrics for resource %s: %s", res,
			r->samples_err[0] ? r->samples_err : "no metrics returned from resource metrics API");
		goto fail;
	}
	cJSON_ArrayForEach(pod, r->pods)
		if (pod_sample(r, pod, res, &p[i++], e) < 0)
			goto fail;
	if ((util >= 0 ? hpa_replicas_utilization(p, n, current, util, &res_out, e)
		       : hpa_replicas_value(p, n, current, val, &res_out, e)) < 0)
		goto fail;
	*proposal = res_out.replicas;
	json_set_str(ms, "type", "Resource");
	json_set_str(ms, "resource.name", res);
	q = quantity_from_milli(res_out.raw, QUANTITY_DECIMAL_SI);
	json_set_str(ms, "resource.current.averageValue", quantity_format(&q, qs));
	if (util >= 0)
		json_set_int(ms, "resource.current.averageUtilization", res_out.utilization);
	snprintf(name, nn, util >= 0 ? "%s resource utilization (percentage of request)"
				     : "%s resource", res);
	rc = 0;
	goto out;
fail:
	why = xstrdup(e->msg);
	err_set(e, ERR_INVALID, "failed to get %s %s: %s", res,
		util >= 0 ? "utilization" : "usage", why);
out:
	free(why);
	free(p);
	return rc;
}

/* Failure reasons of the metric types (getUnableComputeReplicaCountCondition). */
static const struct { const char *type, *reason, *what; } kinds[] = {
	{ "Resource", "FailedGetResourceMetric", "resource" },
	{ "ContainerResource", "FailedGetContainerResourceMetric", "container resource" },
	{ "Pods", "FailedGetPodsMetric", "pods" },
	{ "Object", "FailedGetObjectMetric", "object" },
	{ "External", "FailedGetExternalMetric", "external" },
};

/*
 * computeReplicasForMetrics: the largest proposal over the metrics.
 * Returns -1 when the metrics are invalid (events, condition set).
 */
static int metrics_replicas(struct hpa_run *r, const cJSON *specs,
			    int current, int spec_replicas, char *metric, size_t nm)
{
	int n = cJSON_GetArraySize(specs), bad = 0, best = -1, i = 0;
	cJSON *statuses = cJSON_CreateArray();
	(void)i;
	char first[ERR_MSG_MAX + 128] = "", name[128], msg[ERR_MSG_MAX + 256];
	const char *bad_reason = NULL;
	const cJSON *m;
	struct err e;

	cJSON_ArrayForEach(m, specs) {
		const char *type = json_get_str(m, "type") ?: "";
		size_t k = 0;
		cJSON *ms = cJSON_CreateObject();
		int prop = 0;

		while (k < sizeof(kinds) / sizeof(kinds[0]) - 1 && strcmp(kinds[k].type, type))
			k++;
		err_clear(&e);
		if (!strcmp(type, "Resource") &&
		    resource_metric(r, m, current, &prop, ms, name, sizeof(name), &e) == 0) {
			if (prop > best) {
				best = prop;
				snprintf(metric, nm, "%s", name);
			}
		} else {
			if (strcmp(type, "Resource"))
				err_set(&e, ERR_INVALID, "unable to get %s metric: the custom metrics API is not served",
					kinds[k].what);
			json_set_str(ms, "type", "");
			warn(r, kinds[k].reason, e.msg);
			snprintf(msg, sizeof(msg), "the HPA was unable to compute the replica count: %s", e.msg);
			if (!bad_reason) {
				bad_reason = kinds[k].reason;
				cond(r, "ScalingActive", "False", bad_reason, msg);
				snprintf(first, sizeof(first), "failed to get %s%s metric value: %s",
					 strcmp(type, "Resource") ? kinds[k].what
					 : json_get_str(m, "resource.name") ?: "",
					 strcmp(type, "Resource") ? "" : " resource", e.msg);
			}
			bad++;
		}
		cJSON_AddItemToArray(statuses, ms);
		i++;
	}
	json_set(r->st, "status.currentMetrics", statuses);
	if (bad >= n || (bad > 0 && best < spec_replicas)) {
		snprintf(msg, sizeof(msg), "invalid metrics (%d invalid out of %d), first error is: %s",
			 bad, n, first);
		warn(r, "FailedComputeMetricsReplicas", msg);
		return -1;
	}
	snprintf(msg, sizeof(msg), "the HPA was able to successfully calculate a replica count from %s",
		 metric);
	cond(r, "ScalingActive", "True", "ValidMetricFound", msg);
	return best;
}

/*
 * The target's pods: those of ns matching the scale's status.selector,
 * copied from the informer cache.
 */
static cJSON *target_pods(struct ctrl *c, const char *ns, const char *sel)
{
	cJSON *out = cJSON_CreateArray();
	struct label_selector *ls = NULL;
	const cJSON *p;
	struct err e;

	if (sel && selector_parse(sel, &ls, &e) == 0)
		cJSON_ArrayForEach(p, ctrl_cached(c, CTRL_K_PODS))
			if (!strcmp(json_get_str(p, "metadata.namespace") ?: "", ns) &&
			    selector_matches(ls, json_get(p, "metadata.labels")))
				cJSON_AddItemToArray(out, json_dup(p));
	selector_free(ls);
	return out;
}

/* The PodMetrics of ns from the metrics.k8s.io API (r->samples). */
static void fetch_samples(struct hpa_run *r)
{
	char path[320];
	cJSON *out = NULL;
	int st;

	snprintf(path, sizeof(path), "/apis/metrics.k8s.io/v1beta1/namespaces/%s/pods", r->ns);
	st = ctrl_call(r->c, CTRL_USER_CM, "GET", path, NULL, &out);
	if (st == 200) {
		r->samples = out;
		return;
	}
	snprintf(r->samples_err, sizeof(r->samples_err),
		 "unable to fetch metrics from resource metrics API: %s",
		 json_get_str(out, "message") ?: "the server could not find the requested resource (get pods.metrics.k8s.io)");
	cJSON_Delete(out);
}

/* spec.scaleTargetRef's scale subresource path. */
static bool scale_path(const cJSON *hpa, char *out, size_t n)
{
	const char *av = json_get_str(hpa, "spec.scaleTargetRef.apiVersion") ?: "";
	const char *slash = strchr(av, '/');
	char group[128];
	const struct reg_kind *k;

	snprintf(group, sizeof(group), "%.*s", slash ? (int)(slash - av) : 0, av);
	k = reg_find_kind(group, json_get_str(hpa, "spec.scaleTargetRef.kind") ?: "");
	if (!k || !json_get_str(hpa, "spec.scaleTargetRef.name"))
		return false;
	snprintf(out, n, "/%s/%s/namespaces/%s/%s/%s/scale", slash ? "apis" : "api",
		 av, json_get_str(hpa, "metadata.namespace"), k->plural,
		 json_get_str(hpa, "spec.scaleTargetRef.name"));
	return true;
}

/* spec.metrics, or the v1 target / the default (CPU at 80 %) as v2 metrics. */
static cJSON *metric_specs(const cJSON *hpa, bool v1)
{
	cJSON *l, *m;
	int64_t pct = 80;

	if (!v1 && cJSON_GetArraySize(json_get(hpa, "spec.metrics")) > 0)
		return json_dup(json_get(hpa, "spec.metrics"));
	json_get_int(hpa, "spec.targetCPUUtilizationPercentage", &pct);
	l = cJSON_CreateArray();
	m = cJSON_CreateObject();
	json_set_str(m, "type", "Resource");
	json_set_str(m, "resource.name", "cpu");
	json_set_str(m, "resource.target.type", "Utilization");
	json_set_int(m, "resource.target.averageUtilization", pct);
	cJSON_AddItemToArray(l, m);
	return l;
}

/* One side of spec.behavior into rules (defaults for what is missing). */
static void rules_of(const cJSON *b, struct hpa_rules *r)
{
	static const char *const sel[] = { "Max", "Min", "Disabled" };
	const char *s = json_get_str(b, "selectPolicy");
	const cJSON *p;
	int64_t v;

	if (json_get_int(b, "stabilizationWindowSeconds", &v) == 0)
		r->window_s = (int)v;
	for (int i = 0; s && i < 3; i++)
		if (!strcmp(s, sel[i]))
			r->select = (enum hpa_select)i;
	if (!cJSON_GetArraySize(json_get(b, "policies")))
		return;
	r->npol = 0;
	cJSON_ArrayForEach(p, json_get(b, "policies")) {
		int64_t val = 0, per = 15;

		if (r->npol == sizeof(r->pol) / sizeof(r->pol[0]))
			break;
		json_get_int(p, "value", &val);
		json_get_int(p, "periodSeconds", &per);
		r->pol[r->npol].type = !strcmp(json_get_str(p, "type") ?: "", "Pods")
				       ? HPA_POLICY_PODS : HPA_POLICY_PERCENT;
		r->pol[r->npol].value = (int)val;
		r->pol[r->npol++].period_s = (int)per;
	}
}

/* Update the scale; events and AbleToScale.  True when it worked. */
static bool rescale(struct hpa_run *r, const char *path, cJSON *scale,
		    int desired, const char *reason)
{
	char msg[1400];
	cJSON *out = NULL;
	int st;

	json_set_int(scale, "spec.replicas", desired);
	st = ctrl_call(r->c, CTRL_USER_CM, "PUT", path, scale, &out);
	if (st != 200) {
		snprintf(msg, sizeof(msg), "New size: %d; reason: %s; error: %s", desired,
			 reason, json_get_str(out, "message") ?: "update failed");
		warn(r, "FailedRescale", msg);
		snprintf(msg, sizeof(msg), "the HPA controller was unable to update the target scale: %s",
			 json_get_str(out, "message") ?: "update failed");
		cond(r, "AbleToScale", "False", "FailedUpdateScale", msg);
		cJSON_Delete(out);
		return false;
	}
	cJSON_Delete(out);
	snprintf(msg, sizeof(msg), "the HPA controller was able to update the target scale to %d", desired);
	cond(r, "AbleToScale", "True", "SucceededRescale", msg);
	snprintf(msg, sizeof(msg), "New size: %d; reason: %s", desired, reason);
	ctrl_event(r->c, COMPONENT, CTRL_USER_CM, r->hpa, "Normal",
		   "SuccessfulRescale", NULL, msg);
	return true;
}

/* The metric-driven branch: desired replicas (normalized) and the reason. */
static int from_metrics(struct hpa_run *r, struct hpa_history *h, int current,
			int min, int max, char *reason, size_t nr)
{
	cJSON *specs = metric_specs(r->hpa, r->v1);
	const cJSON *b = json_get(r->hpa, "spec.behavior");
	struct hpa_rules up, down;
	struct hpa_norm n = { 0 };
	char metric[128] = "";
	int want;

	r->pods = target_pods(r->c, r->ns, r->sel);
	fetch_samples(r);
	want = metrics_replicas(r, specs, current, current, metric, sizeof(metric));
	cJSON_Delete(specs);
	if (want < 0)
		return -1;
	want = want > 0 ? want : 0;
	if (want > current)
		snprintf(reason, nr, "%s above target", metric);
	else if (want < current)
		snprintf(reason, nr, "All metrics below target");
	hpa_default_rules(&up, &down);
	if (b) {
		rules_of(json_get(b, "scaleUp"), &up);
		rules_of(json_get(b, "scaleDown"), &down);
	}
	n.current = current;
	n.desired = want;
	n.min = min;
	n.max = max;
	n.now = r->now;
	n.up = b ? &up : NULL;
	n.down = b ? &down : NULL;
	hpa_normalize(h, &n);
	cond(r, "AbleToScale", "True", n.able_reason, n.able_msg);
	cond(r, "ScalingLimited", n.limited ? "True" : "False", n.limit_reason, n.limit_msg);
	return n.replicas;
}

/*
 * status for an autoscaling/v1 object: its CPU figure besides the v2
 * fields (objects are stored as written, without version conversion, so
 * the v2 reads kubectl makes find their conditions and metrics).
 */
static void v1_status(cJSON *st)
{
	const cJSON *m0 = cJSON_GetArrayItem(json_get(st, "status.currentMetrics"), 0);
	int64_t u;

	if (json_get_int(m0, "resource.current.averageUtilization", &u) == 0)
		json_set_int(st, "status.currentCPUUtilizationPercentage", u);
	else
		json_del(st, "status.currentCPUUtilizationPercentage");
}

static void put_status(struct hpa_run *r)
{
	if (r->v1)
		v1_status(r->st);
	if (!json_equal(json_get(r->st, "status"), json_get(r->hpa, "status")))
		ctrl_put(r->c, r->st, "horizontalpodautoscalers", "status");
}

/* Read the target's scale into *scale; conditions and events on failure. */
static int get_scale(struct hpa_run *r, char *path, size_t n, cJSON **scale)
{
	char msg[1200];
	cJSON *out = NULL;
	const char *why = "no scale subresource for the target's kind";

	if (scale_path(r->hpa, path, n) &&
	    ctrl_call(r->c, CTRL_USER_CM, "GET", path, NULL, &out) == 200) {
		*scale = out;
		cond(r, "AbleToScale", "True", "SucceededGetScale",
		     "the HPA controller was able to get the target's current scale");
		return 0;
	}
	if (json_get_str(out, "message"))
		why = json_get_str(out, "message");
	snprintf(msg, sizeof(msg), "%s", why);
	warn(r, "FailedGetScale", msg);
	snprintf(msg, sizeof(msg), "the HPA controller was unable to get the target's current scale: %s", why);
	cond(r, "AbleToScale", "False", "FailedGetScale", msg);
	cJSON_Delete(out);
	return -1;
}

/* reconcileAutoscaler for one HPA. */
static void hpa_one(struct ctrl *c, const cJSON *hpa, int64_t now)
{
	struct hpa_run r = { c, hpa, json_dup(hpa), false, NULL, NULL, NULL, NULL, "", now };
	struct hpa_history *h = history(c, json_get_str(hpa, "metadata.uid") ?: "");
	int64_t min = 1, max = 1, cur = 0, g = 0;
	char path[512], reason[256] = "", ts[KTIME_STR_MAX];
	cJSON *scale = NULL;
	int desired = -1;

	r.v1 = !strcmp(json_get_str(hpa, "apiVersion") ?: "", "autoscaling/v1");
	r.ns = json_get_str(hpa, "metadata.namespace");
	json_get_int(hpa, "spec.minReplicas", &min);
	json_get_int(hpa, "spec.maxReplicas", &max);
	if (get_scale(&r, path, sizeof(path), &scale) < 0)
		goto out;
	json_get_int(scale, "spec.replicas", &cur);
	r.sel = json_get_str(scale, "status.selector");
	json_set_int(r.st, "status.currentReplicas", cur);
	if (json_get_int(hpa, "metadata.generation", &g) == 0)
		json_set_int(r.st, "status.observedGeneration", g);
	if (h->nrecs == 0)
		hpa_record_initial(h, (int)cur, now);
	if (cur == 0 && min != 0) {
		desired = 0;
		cond(&r, "ScalingActive", "False", "ScalingDisabled",
		     "scaling is disabled since the replica count of the target is zero");
	} else if (cur > max) {
		desired = (int)max;
		snprintf(reason, sizeof(reason), "Current number of replicas above Spec.MaxReplicas");
	} else if (cur < min) {
		desired = (int)min;
		snprintf(reason, sizeof(reason), "Current number of replicas below Spec.MinReplicas");
	} else
		desired = from_metrics(&r, h, (int)cur, (int)min, (int)max, reason, sizeof(reason));
	if (desired < 0)
		goto out;
	json_set_int(r.st, "status.desiredReplicas", desired);
	if (desired != cur && rescale(&r, path, scale, desired, reason)) {
		json_set_str(r.st, "status.lastScaleTime", ctrl_time_str(now, ts));
		if (json_get(hpa, "spec.behavior"))
			hpa_record_scale(h, (int)cur, desired, now);
	}
out:
	put_status(&r);
	cJSON_Delete(scale);
	cJSON_Delete(r.pods);
	cJSON_Delete(r.samples);
	cJSON_Delete(r.st);
}

void hpa_sync(struct ctrl *c)
{
	int64_t now = ktime_now().sec;
	char *k;
	cJSON *hpas;
	const cJSON *h;

	if (!c->hpa)
		c->hpa = xcalloc(1, sizeof(*c->hpa));
	if (now - c->hpa->last < c->hpa_period_s)
		return;
	c->hpa->last = now;
	k = store_key("autoscaling", "horizontalpodautoscalers", NULL, NULL);
	hpas = ctrl_list(c, k);
	free(k);
	cJSON_ArrayForEach(h, hpas)
		if (!json_get(h, "metadata.deletionTimestamp"))
			hpa_one(c, h, now);
	cJSON_Delete(hpas);
}
