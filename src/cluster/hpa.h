/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hpa: the arithmetic of the HorizontalPodAutoscaler controller, apart
 * from any I/O so that it can be tested alone (ctrl_hpa.c drives it).
 *
 * hpa_classify is groupPods, hpa_replicas_utilization and
 * hpa_replicas_value are the replica calculator's GetResourceReplicas and
 * calcPlainMetricReplicas (tolerance, missing and unready pods as the real
 * one treats them), hpa_normalize is normalizeDesiredReplicas (no
 * behavior: 5 min scale-down stabilization, scale-up limit max(2x, 4)) and
 * normalizeDesiredReplicasWithBehaviors (stabilization windows, policies,
 * selectPolicy) with the recommendation and scale-event history kept in
 * struct hpa_history.  Usages and requests are milli-units.  Not thread
 * safe per history; pure otherwise.
 */
#ifndef KDECK_CLUSTER_HPA_H
#define KDECK_CLUSTER_HPA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define HPA_TOLERANCE 0.1
#define HPA_CPU_INIT_PERIOD_S 300	/* --horizontal-pod-autoscaler-cpu-initialization-period */
#define HPA_READINESS_DELAY_S 30	/* --horizontal-pod-autoscaler-initial-readiness-delay */
#define HPA_DOWNSCALE_WINDOW_S 300	/* --horizontal-pod-autoscaler-downscale-stabilization */
#define HPA_HISTORY_MAX 64

enum hpa_pod_state { HPA_POD_READY, HPA_POD_UNREADY, HPA_POD_MISSING, HPA_POD_IGNORED };

struct hpa_pod {
	enum hpa_pod_state state;
	int64_t usage;		/* milli; meaningful unless MISSING */
	int64_t request;	/* milli, the pod's containers summed */
};

/* What groupPods needs to know of one pod (times in unix seconds). */
struct hpa_pod_facts {
	bool deleting, failed, pending, has_metric, cpu;
	int ready;		/* Ready condition: -1 none, 0 False, 1 True */
	int64_t start;		/* status.startTime; 0 = none */
	int64_t ready_change;	/* Ready's lastTransitionTime */
	int64_t metric_ts, metric_window;	/* sample time and window */
};
enum hpa_pod_state hpa_classify(const struct hpa_pod_facts *f, int64_t now);

struct hpa_result {
	int replicas;
	int64_t utilization;	/* percent of request (utilization only) */
	int64_t raw;		/* average usage per pod, milli */
};

/*
 * Replicas for target utilization (percent) or target average value
 * (milli).  Returns 0, or -1 with the real calculator's message.
 */
int hpa_replicas_utilization(const struct hpa_pod *p, size_t n, int current,
			     int64_t target, struct hpa_result *r,
			     struct err *e);
int hpa_replicas_value(const struct hpa_pod *p, size_t n, int current,
		       int64_t target, struct hpa_result *r, struct err *e);

enum hpa_select { HPA_SELECT_MAX, HPA_SELECT_MIN, HPA_SELECT_DISABLED };
enum hpa_policy_type { HPA_POLICY_PODS, HPA_POLICY_PERCENT };

struct hpa_rules {
	int window_s;
	enum hpa_select select;
	size_t npol;
	struct { enum hpa_policy_type type; int value, period_s; } pol[8];
};

/* Scale-up and scale-down rules with the API's defaults. */
void hpa_default_rules(struct hpa_rules *up, struct hpa_rules *down);

struct hpa_stamp { int64_t t; int n; };

struct hpa_history {
	struct hpa_stamp recs[HPA_HISTORY_MAX];	/* recommendations */
	size_t nrecs;
	struct hpa_stamp ups[HPA_HISTORY_MAX], downs[HPA_HISTORY_MAX];
	size_t nups, ndowns;
};

struct hpa_norm {
	int current, desired, min, max;
	int64_t now;
	const struct hpa_rules *up, *down;	/* NULL: no spec.behavior */
	/* out */
	int replicas;
	const char *able_reason, *able_msg;	/* AbleToScale (True) */
	bool limited;				/* ScalingLimited */
	const char *limit_reason, *limit_msg;
};

/* Stabilize and rate-limit n->desired into n->replicas; records in h. */
void hpa_normalize(struct hpa_history *h, struct hpa_norm *n);
/* recordInitialRecommendation: the current size as the first sample. */
void hpa_record_initial(struct hpa_history *h, int current, int64_t now);
/* Remember a rescale from -> to at now (only with behavior rules). */
void hpa_record_scale(struct hpa_history *h, int from, int to, int64_t now);

#endif
