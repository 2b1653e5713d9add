/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_hpa: the HorizontalPodAutoscaler arithmetic (hpa.h): pod grouping,
 * replicas from utilization and from average values with the 0.1
 * tolerance, missing and unready pods, the calculator's errors, and the
 * normalization with and without spec.behavior (stabilization windows,
 * scale-up limits, policies, selectPolicy, min/max conditions).
 */
#include "config.h"

#include <string.h>

#include "cluster/hpa.h"
#include "../tap.h"

#define R HPA_POD_READY
#define U HPA_POD_UNREADY
#define M HPA_POD_MISSING
#define I HPA_POD_IGNORED

struct calc_case {
	const char *name;
	bool util;
	int64_t target;
	int current;
	struct hpa_pod pods[6];
	size_t n;
	int want;		/* replicas, or -1 for an error */
	int64_t want_util;
	const char *want_err;
};

static const struct calc_case calc_cases[] = {
	{ "on target", true, 50, 3, { { R, 500, 1000 }, { R, 500, 1000 }, { R, 500, 1000 } }, 3, 3, 50, NULL },
	{ "above target", true, 50, 3, { { R, 900, 1000 }, { R, 900, 1000 }, { R, 900, 1000 } }, 3, 6, 90, NULL },
	{ "within tolerance above", true, 50, 3, { { R, 540, 1000 }, { R, 540, 1000 }, { R, 540, 1000 } }, 3, 3, 54, NULL },
	{ "just past tolerance", true, 50, 3, { { R, 560, 1000 }, { R, 560, 1000 }, { R, 560, 1000 } }, 3, 4, 56, NULL },
	{ "within tolerance below", true, 50, 3, { { R, 460, 1000 }, { R, 460, 1000 }, { R, 460, 1000 } }, 3, 3, 46, NULL },
	{ "below target", true, 50, 3, { { R, 200, 1000 }, { R, 200, 1000 }, { R, 200, 1000 } }, 3, 2, 20, NULL },
	{ "missing pod on scale-up counts 0", true, 50, 3, { { R, 1000, 1000 }, { R, 1000, 1000 }, { M, 0, 1000 } }, 3, 4, 100, NULL },
	{ "missing pod on scale-down counts 100%", true, 50, 3, { { R, 100, 1000 }, { R, 100, 1000 }, { M, 0, 1000 } }, 3, 3, 10, NULL },
	{ "unready pod on scale-up counts 0", true, 100, 2, { { R, 2000, 1000 }, { U, 0, 1000 } }, 2, 2, 200, NULL },
	{ "unready pod ignored on scale-down", true, 100, 2, { { R, 200, 1000 }, { U, 0, 1000 } }, 2, 1, 20, NULL },
	{ "ignored pods do not count", true, 50, 2, { { R, 1000, 1000 }, { I, 5000, 1000 } }, 2, 2, 100, NULL },
	{ "no pods", true, 50, 1, { { R, 0, 0 } }, 0, -1, 0, "no pods returned by selector while calculating replica count" },
	{ "no ready pods", true, 50, 2, { { U, 0, 100 }, { I, 0, 100 } }, 2, -1, 0, "did not receive metrics for targeted pods (pods might be unready)" },
	{ "zero requests", true, 50, 1, { { R, 10, 0 } }, 1, -1, 0, "no metrics returned matched known pods" },
	{ "average value above", false, 200, 2, { { R, 300, 0 }, { R, 500, 0 } }, 2, 4, 0, NULL },
	{ "average value in tolerance", false, 400, 2, { { R, 420, 0 }, { R, 420, 0 } }, 2, 2, 0, NULL },
	{ "average value below", false, 1000, 4, { { R, 100, 0 }, { R, 100, 0 }, { R, 100, 0 }, { R, 100, 0 } }, 4, 1, 0, NULL },
	{ "average value, missing on scale-down", false, 1000, 2, { { R, 100, 0 }, { M, 0, 0 } }, 2, 2, 0, NULL },
};

static void test_calc(void)
{
	for (size_t i = 0; i < sizeof(calc_cases) / sizeof(calc_cases[0]); i++) {
		const struct calc_case *c = &calc_cases[i];
		struct hpa_result r = { 0 };
		struct err e;
		int rc;

		err_clear(&e);
		rc = c->util ? hpa_replicas_utilization(c->pods, c->n, c->current, c->target, &r, &e)
			     : hpa_replicas_value(c->pods, c->n, c->current, c->target, &r, &e);
		if (c->want < 0) {
			is_int(rc, -1, "%s: fails", c->name);
			is_str(e.msg, c->want_err, "%s: message", c->name);
			continue;
		}
		is_int(rc, 0, "%s: computes", c->name);
		is_int(r.replicas, c->want, "%s: replicas", c->name);
		if (c->util)
			is_int(r.utilization, c->want_util, "%s: utilization", c->name);
	}
	{
		struct hpa_result r;
		struct err e;

		is_int(hpa_replicas_utilization(calc_cases[0].pods, 1, 1, 0, &r, &e), -1,
		       "a zero utilization target is refused");
		is_int(hpa_replicas_value(calc_cases[0].pods, 1, 1, -5, &r, &e), -1,
		       "a negative value target is refused");
	}
}

struct classify_case {
	const char *name;
	struct hpa_pod_facts f;
	enum hpa_pod_state want;
};

#define NOW 100000

static const struct classify_case classify_cases[] = {
	{ "deleting", { .deleting = true, .has_metric = true, .cpu = true, .ready = 1, .start = 1 }, I },
	{ "failed", { .failed = true, .has_metric = true, .ready = 1, .start = 1 }, I },
	{ "pending", { .pending = true, .has_metric = true, .cpu = true, .ready = 1, .start = 1 }, U },
	{ "no metric", { .has_metric = false, .cpu = true, .ready = 1, .start = 1 }, M },
	{ "memory needs no readiness", { .has_metric = true, .cpu = false, .ready = -1 }, R },
	{ "cpu without Ready condition", { .has_metric = true, .cpu = true, .ready = -1, .start = 1 }, U },
	{ "cpu without start time", { .has_metric = true, .cpu = true, .ready = 1 }, U },
	{ "young, sample older than readiness", { .has_metric = true, .cpu = true, .ready = 1, .start = NOW - 20,
		.ready_change = NOW - 5, .metric_ts = NOW, .metric_window = 10 }, U },
	{ "young, sample after readiness", { .has_metric = true, .cpu = true, .ready = 1, .start = NOW - 60,
		.ready_change = NOW - 50, .metric_ts = NOW, .metric_window = 10 }, R },
	{ "young and unready", { .has_metric = true, .cpu = true, .ready = 0, .start = NOW - 60,
		.ready_change = NOW - 50, .metric_ts = NOW, .metric_window = 10 }, U },
	{ "old, never ready", { .has_metric = true, .cpu = true, .ready = 0, .start = NOW - 1000,
		.ready_change = NOW - 990, .metric_ts = NOW, .metric_window = 10 }, U },
	{ "old, was ready once", { .has_metric = true, .cpu = true, .ready = 0, .start = NOW - 1000,
		.ready_change = NOW - 100, .metric_ts = NOW, .metric_window = 10 }, R },
	{ "old and ready", { .has_metric = true, .cpu = true, .ready = 1, .start = NOW - 1000,
		.ready_change = NOW - 999, .metric_ts = NOW, .metric_window = 10 }, R },
};

static void test_classify(void)
{
	for (size_t i = 0; i < sizeof(classify_cases) / sizeof(classify_cases[0]); i++)
		is_int(hpa_classify(&classify_cases[i].f, NOW), classify_cases[i].want,
		       "classify: %s", classify_cases[i].name);
}

static void norm(struct hpa_history *h, struct hpa_norm *n, int cur, int want,
		 int min, int max, int64_t now)
{
	n->current = cur;
	n->desired = want;
	n->min = min;
	n->max = max;
	n->now = now;
	hpa_normalize(h, n);
}

static void test_legacy(void)
{
	struct hpa_history h;
	struct hpa_norm n = { 0 };

	memset(&h, 0, sizeof(h));
	hpa_record_initial(&h, 3, NOW);
	norm(&h, &n, 3, 10, 1, 10, NOW);
	is_int(n.replicas, 6, "legacy: scale-up limit is max(2x, 4)");
	is_str(n.limit_reason, "ScaleUpLimit", "legacy: ScaleUpLimit");
	ok(n.limited, "legacy: ScalingLimited True");
	norm(&h, &n, 3, 10, 1, 5, NOW + 1);
	is_int(n.replicas, 5, "legacy: maxReplicas");
	is_str(n.limit_reason, "TooManyReplicas", "legacy: TooManyReplicas");
	norm(&h, &n, 5, 2, 1, 5, NOW + 20);
	is_int(n.replicas, 5, "legacy: the highest recent recommendation, capped at maxReplicas");
	is_str(n.able_reason, "ScaleDownStabilized", "legacy: ScaleDownStabilized");
	memset(&h, 0, sizeof(h));
	norm(&h, &n, 5, 2, 1, 5, NOW);
	norm(&h, &n, 5, 2, 1, 5, NOW + HPA_DOWNSCALE_WINDOW_S + 1);
	is_int(n.replicas, 2, "legacy: after the window the lower count wins");
	is_str(n.able_reason, "ReadyForNewScale", "legacy: ReadyForNewScale");
	is_str(n.limit_reason, "DesiredWithinRange", "legacy: DesiredWithinRange");
	ok(!n.limited, "legacy: ScalingLimited False");
	norm(&h, &n, 2, 0, 2, 5, NOW + 2 * HPA_DOWNSCALE_WINDOW_S + 5);
	is_int(n.replicas, 2, "legacy: minReplicas");
	is_str(n.limit_reason, "TooFewReplicas", "legacy: TooFewReplicas");
}

static void test_behavior(void)
{
	struct hpa_history h;
	struct hpa_rules up, down;
	struct hpa_norm n = { 0 };

	memset(&h, 0, sizeof(h));
	hpa_default_rules(&up, &down);
	n.up = &up;
	n.down = &down;
	norm(&h, &n, 2, 20, 1, 50, NOW);
	is_int(n.replicas, 6, "behavior: default scale-up is max(+4 pods, +100%%)");
	is_str(n.limit_reason, "ScaleUpLimit", "behavior: ScaleUpLimit");
	hpa_record_scale(&h, 2, 6, NOW);
	norm(&h, &n, 6, 20, 1, 50, NOW + 5);
	is_int(n.replicas, 6, "behavior: the period's scale-ups count against the limit");
	norm(&h, &n, 6, 20, 1, 50, NOW + 16);
	is_int(n.replicas, 12, "behavior: a new period allows more");
	norm(&h, &n, 12, 3, 1, 50, NOW + 20);
	is_int(n.replicas, 12, "behavior: scale-down stabilization keeps the current size");
	is_str(n.able_reason, "ScaleDownStabilized", "behavior: ScaleDownStabilized");

	memset(&h, 0, sizeof(h));
	down.window_s = 0;
	norm(&h, &n, 10, 3, 1, 50, NOW);
	is_int(n.replicas, 3, "behavior: no window, 100%% scale-down allowed");
	down.npol = 1;
	down.pol[0].type = HPA_POLICY_PODS;
	down.pol[0].value = 2;
	down.pol[0].period_s = 60;
	norm(&h, &n, 10, 3, 1, 50, NOW + 1);
	is_int(n.replicas, 8, "behavior: a Pods policy of 2 per minute");
	is_str(n.limit_reason, "ScaleDownLimit", "behavior: ScaleDownLimit");
	hpa_record_scale(&h, 10, 8, NOW + 1);
	norm(&h, &n, 8, 3, 1, 50, NOW + 30);
	is_int(n.replicas, 8, "behavior: no more within the period");
	down.select = HPA_SELECT_DISABLED;
	norm(&h, &n, 8, 3, 1, 50, NOW + 200);
	is_int(n.replicas, 8, "behavior: selectPolicy Disabled");
	down.select = HPA_SELECT_MIN;
	down.npol = 2;
	down.pol[1].type = HPA_POLICY_PERCENT;
	down.pol[1].value = 50;
	down.pol[1].period_s = 60;
	norm(&h, &n, 8, 1, 1, 50, NOW + 300);
	is_int(n.replicas, 6, "behavior: selectPolicy Min picks the smaller change");
	up.window_s = 60;
	memset(&h, 0, sizeof(h));
	norm(&h, &n, 4, 4, 1, 50, NOW);
	norm(&h, &n, 4, 8, 1, 50, NOW + 10);
	is_int(n.replicas, 4, "behavior: scale-up stabilization keeps the lowest recommendation");
	is_str(n.able_reason, "ScaleUpStabilized", "behavior: ScaleUpStabilized");
	norm(&h, &n, 4, 5, 4, 4, NOW + 100);
	is_int(n.replicas, 4, "behavior: maxReplicas");
	is_str(n.limit_reason, "TooManyReplicas", "behavior: TooManyReplicas");
}

int main(void)
{
	test_calc();
	test_classify();
	test_legacy();
	test_behavior();
	return tap_done();
}
