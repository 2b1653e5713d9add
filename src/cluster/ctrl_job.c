/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_job: the Job controller, one level-triggered pass.
 *
 * Pods of a Job carry the finalizer batch.kubernetes.io/job-tracking.  A
 * pod that finished (or is being deleted before it succeeded, which
 * counts as failed) is first recorded by uid in
 * status.uncountedTerminatedPods, then its finalizer is removed, then it
 * moves into status.succeeded/failed (and completedIndexes for Indexed
 * Jobs): the three steps of the real controller, so a pod is counted
 * exactly once even when it disappears.  Then, as kube-controller-manager
 * 1.33 does: suspend/resume (Suspended condition), failure by
 * backoffLimit or activeDeadlineSeconds (FailureTarget, active pods
 * deleted, then Failed), success by completions (SuccessCriteriaMet, then
 * Complete with completionTime), otherwise pods are created up to
 * parallelism, delayed by the pod failure back-off (10 s doubling per
 * failure, at most 6 min).  Indexed Jobs get one pod per pending index
 * (<job>-<index>-<random>, hostname <job>-<index>, the completion index
 * annotation/label and JOB_COMPLETION_INDEX).
 *
 * Failure policies (rules in ctrl_job_policy.c): spec.podFailurePolicy
 * decides per failed pod (FailJob: FailureTarget then Failed, reason
 * PodFailurePolicy; Ignore: the pod's finalizer goes but it is not
 * counted; FailIndex; Count); spec.backoffLimitPerIndex fails an index
 * after that many retries (annotation job-index-failure-count on its
 * pods, status.failedIndexes, reasons FailedIndexes and
 * MaxFailedIndexesExceeded); spec.successPolicy ends an Indexed Job early
 * (SuccessCriteriaMet then Complete, reason SuccessPolicy).  With
 * podReplacementPolicy Failed (or any podFailurePolicy) a deleted pod is
 * not replaced until it is Failed (status.terminating counts it).
 * restartPolicy OnFailure: the restarts of running pods count against
 * backoffLimit as kube-controller-manager does (simulated nodes restart
 * them in place on a non-zero exit, simnode_pod.c).  With
 * backoffLimitPerIndex the failure back-off is per index
 * (getRemainingTimePerIndex): an index waits 10 s doubling per failure of
 * its own (failure-count plus ignored-failure-count annotations) from its
 * last failed pod's end; other indexes go on.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/ctrl_int.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

#define J_COMPONENT "job-controller"
#define J_FINALIZER "batch.kubernetes.io/job-tracking"
#define J_INDEX "batch.kubernetes.io/job-completion-index"
#define J_INDEX_PATH "metadata.annotations.batch\\.kubernetes\\.io/job-completion-index"
#define J_MAX_INDEX 100000
#define J_FAILCOUNT_PATH "metadata.annotations.batch\\.kubernetes\\.io/job-index-failure-count"
#define J_IGNCOUNT_PATH "metadata.annotations.batch\\.kubernetes\\.io/job-index-ignored-failure-count"

/* What a pod is to its Job in this pass. */
enum pclass {
	P_ACTIVE,	/* running, or deleted and awaited (replace only Failed) */
	P_SUCCEEDED,
	P_FAILED,	/* Failed, or deleted before it succeeded */
	P_RELEASE,	/* deleted after the success criteria were met */
};

struct jstate {
	cJSON *j;		/* working copy of the Job (status edited) */
	const cJSON *pods[4096];	/* owned pods (borrowed) */
	size_t n;
	int64_t active, ready, terminating, parallelism, completions;
	int64_t succeeded, failed;	/* counted + uncounted */
	bool indexed;
	unsigned char *done;	/* Indexed: [completions] succeeded index */
	cJSON *base;		/* the status last read or written */
	const cJSON *pfp;	/* spec.podFailurePolicy (borrowed) or NULL */
	bool only_failed;	/* replace a pod only once it is Failed */
	bool met, finishing;	/* SuccessCriteriaMet / FailureTarget known */
	int64_t per_index;	/* spec.backoffLimitPerIndex, -1 if unset */
	unsigned char *failed_idx;	/* [completions] failed index */
	char *why_msg;		/* condition message owned by the pass */
	char why_reason[64];	/* condition reason copied from the Job */
};

/* Keep a copy of a condition's reason and message (the Job's own change). */
static const char *keep_condition(struct jstate *s, const cJSON *cond,
				  const char **msg)
{
	free(s->why_msg);
	s->why_msg = xstrdup(json_get_str(cond, "message") ?: "");
	snprintf(s->why_reason, sizeof(s->why_reason), "%s",
		 json_get_str(cond, "reason") ?: "");
	*msg = s->why_msg;
	return s->why_reason;
}

static bool has_finalizer(const cJSON *obj)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, json_get(obj, "metadata.finalizers"))
		if (cJSON_IsString(f) && !strcmp(f->valuestring, J_FINALIZER))
			return true;
	return false;
}

/* PUT the pod without our finalizer.  True when it is gone from it. */
static bool drop_finalizer(struct ctrl *c, const cJSON *pod)
{
	cJSON *p = json_dup(pod), *fs = json_get(p, "metadata.finalizers");
	int i = 0, st;
	cJSON *f;

	cJSON_ArrayForEach(f, fs) {
		if (cJSON_IsString(f) && !strcmp(f->valuestring, J_FINALIZER))
			break;
		i++;
	}
	cJSON_DeleteItemFromArray(fs, i);
	if (!cJSON_GetArraySize(fs))
		json_del(p, "metadata.finalizers");
	st = ctrl_put(c, p, "pods", NULL);
	cJSON_Delete(p);
	return st == 200 || st == 404;
}

static enum pclass pod_class(const struct jstate *s, const cJSON *pod)
{
	const char *ph = json_get_str(pod, "status.phase") ?: "";

	if (!strcmp(ph, "Succeeded"))
		return P_SUCCEEDED;
	if (!strcmp(ph, "Failed"))
		return P_FAILED;
	if (!json_get(pod, "metadata.deletionTimestamp"))
		return P_ACTIVE;
	if (s->met)
		return P_RELEASE;
	return s->only_failed && !s->finishing ? P_ACTIVE : P_FAILED;
}

static bool pod_failed(const struct jstate *s, const cJSON *pod)
{
	return pod_class(s, pod) == P_FAILED;
}

static bool pod_done(const struct jstate *s, const cJSON *pod)
{
	return pod_class(s, pod) != P_ACTIVE;
}

static int64_t pod_index(const cJSON *pod)
{
	const char *s = json_get_str(pod, J_INDEX_PATH);
	char *end;
	long long v;

	if (!s || !*s)
		return -1;
	v = strtoll(s, &end, 10);
	return *end || v < 0 || v >= J_MAX_INDEX ? -1 : v;
}

static bool uid_listed(const cJSON *arr, const char *uid)
{
	const cJSON *u;

	cJSON_ArrayForEach(u, arr)
		if (cJSON_IsString(u) && uid && !strcmp(u->valuestring, uid))
			return true;
	return false;
}

static const cJSON *pod_by_uid(const struct jstate *s, const char *uid)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(json_get_str(s->pods[i], "metadata.uid") ?: "", uid))
			return s->pods[i];
	return NULL;
}

/* Write the status of s->j if it differs from the last one known. */
static void flush_status(struct ctrl *c, struct jstate *s)
{
	char path[512];
	cJSON *out = NULL;

	if (json_equal(json_get(s->j, "status"), s->base))
		return;
	ctrl_obj_path(s->j, "jobs", "status", path, sizeof(path));
	if (ctrl_call(c, CTRL_USER_CM, "PUT", path, s->j, &out) == 200 && out) {
		json_set_str(s->j, "metadata.resourceVersion",
			     json_get_str(out, "metadata.resourceVersion"));
		cJSON_Delete(s->base);
		s->base = json_dup(json_get(s->j, "status"));
	}
	cJSON_Delete(out);
}

static cJSON *uncounted(struct jstate *s, const char *which)
{
	char path[96];
	cJSON *a;

	snprintf(path, sizeof(path), "status.uncountedTerminatedPods.%s", which);
	a = json_get(s->j, path);
	if (!cJSON_IsArray(a)) {
		a = cJSON_CreateArray();
		json_set(s->j, path, a);
	}
	return a;
}

static void count_one(struct jstate *s, const char *which, const cJSON *pod)
{
	char path[64];
	int64_t v = 0;

	snprintf(path, sizeof(path), "status.%s", which);
	json_get_int(s->j, path, &v);
	json_set_int(s->j, path, v + 1);
	if (s->indexed && pod && !strcmp(which, "succeeded") &&
	    pod_index(pod) >= 0 && pod_index(pod) < s->completions)
		s->done[pod_index(pod)] = 1;
}

/*
 * The three tracking steps: record finished pods as uncounted (status
 * write), drop their finalizers, move them into the counters.
 */
static void track(struct ctrl *c, struct jstate *s)
{
	static const char *const which[] = { "succeeded", "failed" };
	cJSON *un[2] = { uncounted(s, "succeeded"), uncounted(s, "failed") };

	for (size_t i = 0; i < s->n; i++) {
		const cJSON *pod = s->pods[i];
		const char *uid = json_get_str(pod, "metadata.uid");
		enum pclass k = pod_class(s, pod);

		if (!has_finalizer(pod) || k == P_ACTIVE ||
		    uid_listed(un[0], uid) || uid_listed(un[1], uid))
			continue;
		if (k == P_RELEASE || (k == P_FAILED && s->pfp &&
				       jobpol_match(s->pfp, pod, NULL) == JOBPOL_IGNORE))
			drop_finalizer(c, pod);	/* not counted */
		else
			cJSON_AddItemToArray(un[k == P_FAILED], cJSON_CreateString(uid));
	}
	flush_status(c, s);
	for (int w = 0; w < 2; w++) {
		cJSON *keep = cJSON_CreateArray(), *u;

		cJSON_ArrayForEach(u, un[w]) {
			const cJSON *pod = pod_by_uid(s, u->valuestring);

			if (!pod || !has_finalizer(pod) || drop_finalizer(c, pod))
				count_one(s, which[w], pod);
			else
				cJSON_AddItemToArray(keep, cJSON_CreateString(u->valuestring));
		}
		json_set(s->j, w ? "status.uncountedTerminatedPods.failed"
				 : "status.uncountedTerminatedPods.succeeded", keep);
		if (!cJSON_GetArraySize(keep))
			json_del(s->j, w ? "status.uncountedTerminatedPods.failed"
					 : "status.uncountedTerminatedPods.succeeded");
	}
}

static int64_t st_int(const cJSON *obj, const char *path)
{
	int64_t v = 0;

	json_get_int(obj, path, &v);
	return v;
}

/* Index of the lowest pending index at or after from, or -1. */
static int64_t next_index(const struct jstate *s, int64_t from)
{
	for (int64_t i = from; i < s->completions; i++) {
		bool busy = s->done[i] || s->failed_idx[i];

		for (size_t k = 0; k < s->n && !busy; k++)
			busy = !pod_done(s, s->pods[k]) && pod_index(s->pods[k]) == i;
		if (!busy)
			return i;
	}
	return -1;
}

static void add_index_env(cJSON *containers)
{
	cJSON *ct;

	cJSON_ArrayForEach(ct, containers) {
		cJSON *env = json_get(ct, "env"), *v = cJSON_CreateObject();

		if (!cJSON_IsArray(env)) {
			env = cJSON_CreateArray();
			json_set(ct, "env", env);
		}
		json_set_str(v, "name", "JOB_COMPLETION_INDEX");
		json_set_str(v, "valueFrom.fieldRef.apiVersion", "v1");
		json_set_str(v, "valueFrom.fieldRef.fieldPath",
			     "metadata.annotations['" J_INDEX "']");
		cJSON_AddItemToArray(env, v);
	}
}

/*
 * The failures (counted and ignored) index idx had so far: one more than
 * the largest count annotated on a finished pod of idx, as the real
 * controller carries them from pod to pod.
 */
static void index_failures(const struct jstate *s, int64_t idx, int64_t *fails,
			   int64_t *ignored)
{
	*fails = *ignored = 0;
	for (size_t i = 0; i < s->n; i++) {
		const cJSON *pod = s->pods[i];
		int64_t f = 0, g = 0;
		const char *t;

		if (pod_index(pod) != idx || !pod_failed(s, pod))
			continue;
		if ((t = json_get_str(pod, J_FAILCOUNT_PATH)))
			f = strtoll(t, NULL, 10);
		if ((t = json_get_str(pod, J_IGNCOUNT_PATH)))
			g = strtoll(t, NULL, 10);
		if (s->pfp && jobpol_match(s->pfp, pod, NULL) == JOBPOL_IGNORE)
			g++;
		else
			f++;
		*fails = f > *fails ? f : *fails;
		*ignored = g > *ignored ? g : *ignored;
	}
}

/* Per-index annotations of a new pod of idx (backoffLimitPerIndex). */
static void annotate_failures(const struct jstate *s, cJSON *p, int64_t idx)
{
	int64_t f, g;
	char num[24];

	index_failures(s, idx, &f, &g);
	snprintf(num, sizeof(num), "%lld", (long long)f);
	json_set_str(p, J_FAILCOUNT_PATH, num);
	if (g) {
		snprintf(num, sizeof(num), "%lld", (long long)g);
		json_set_str(p, J_IGNCOUNT_PATH, num);
	}
}

/*
 * The failed indexes into s->failed_idx: those of status.failedIndexes,
 * then each index whose failed pod matched FailIndex or used up
 * backoffLimitPerIndex.  Published at once, before any finalizer goes.
 */
static void mark_failed_indexes(struct jstate *s)
{
	char *text;

	jobidx_parse(json_get_str(s->j, "status.failedIndexes"), s->failed_idx,
		     s->completions);
	for (size_t i = 0; i < s->n; i++) {
		const cJSON *pod = s->pods[i];
		int64_t idx = pod_index(pod), f, g;
		enum jobpol_action a;

		if (idx < 0 || idx >= s->completions || s->done[idx] ||
		    !has_finalizer(pod) || !pod_failed(s, pod))
			continue;
		a = s->pfp ? jobpol_match(s->pfp, pod, NULL) : JOBPOL_NONE;
		index_failures(s, idx, &f, &g);
		if (a == JOBPOL_FAIL_INDEX || (a != JOBPOL_IGNORE && f > s->per_index))
			s->failed_idx[idx] = 1;
	}
	text = jobidx_format(s->failed_idx, s->completions);
	json_set_str(s->j, "status.failedIndexes", text);
	free(text);
}

static void create_one(struct ctrl *c, const struct jstate *s,
		       const cJSON *job, int64_t idx)
{
	const char *name = json_get_str(job, "metadata.name");
	char sfx[6], pname[320], num[24];
	cJSON *p;

	ctrl_random_suffix(sfx);
	if (idx >= 0)
		snprintf(pname, sizeof(pname), "%s-%lld-%s", name, (long long)idx, sfx);
	else
		snprintf(pname, sizeof(pname), "%s-%s", name, sfx);
	p = ctrl_pod_from_template(job, "spec.template", pname);
	json_set(p, "metadata.finalizers",
		 cJSON_CreateStringArray((const char *[]){ J_FINALIZER }, 1));
	if (idx >= 0) {
		snprintf(num, sizeof(num), "%lld", (long long)idx);
		json_set_str(p, J_INDEX_PATH, num);
		json_set_str(p, "metadata.labels.batch\\.kubernetes\\.io/job-completion-index", num);
		if (!json_get_str(p, "spec.hostname")) {
			snprintf(pname, sizeof(pname), "%s-%lld", name, (long long)idx);
			json_set_str(p, "spec.hostname", pname);
		}
		add_index_env(json_get(p, "spec.containers"));
		add_index_env(json_get(p, "spec.initContainers"));
		if (s->per_index >= 0)
			annotate_failures(s, p, idx);
	}
	ctrl_create_pod(c, J_COMPONENT, job, p);
	cJSON_Delete(p);
}

/* The pod failure back-off after failures: 10 s doubling, at most 6 min. */
static int64_t backoff_delay(int64_t failures)
{
	int64_t delay = 10;

	for (int64_t i = 1; i < failures && delay < 360; i++)
		delay *= 2;
	return delay > 360 ? 360 : delay;
}

/* When pod ended: its deletion, or its last container's finish if failed. */
static int64_t finish_time(const struct jstate *s, const cJSON *pod)
{
	int64_t t = ctrl_time(pod, "metadata.deletionTimestamp");
	const cJSON *cs;

	cJSON_ArrayForEach(cs, json_get(pod, "status.containerStatuses")) {
		int64_t f = ctrl_time(cs, "state.terminated.finishedAt");

		if (f > t && pod_failed(s, pod))
			t = f;
	}
	return t;
}

/* Seconds of pod failure back-off still to wait (0 = go). */
static int64_t backoff_left(const struct jstate *s, int64_t now)
{
	int64_t delay, last = 0;

	if (s->failed <= 0)
		return 0;
	delay = backoff_delay(s->failed);
	for (size_t i = 0; i < s->n; i++)
		if (finish_time(s, s->pods[i]) > last)
			last = finish_time(s, s->pods[i]);
	return last + delay > now ? last + delay - now : 0;
}

/*
 * backoffLimitPerIndex: seconds index idx still waits after its last
 * failed pod (getRemainingTimePerIndex): the back-off of its absolute
 * failure count (failures and ignored failures), from that pod's end.
 */
static int64_t index_backoff_left(const struct jstate *s, int64_t idx,
				  int64_t now)
{
	int64_t f, g, last = 0, delay;

	index_failures(s, idx, &f, &g);
	if (f + g <= 0)
		return 0;
	delay = backoff_delay(f + g);
	for (size_t i = 0; i < s->n; i++)
		if (pod_index(s->pods[i]) == idx && pod_failed(s, s->pods[i]) &&
		    finish_time(s, s->pods[i]) > last)
			last = finish_time(s, s->pods[i]);
	return last + delay > now ? last + delay - now : 0;
}

static bool per_index(const struct jstate *s)
{
	return s->indexed && s->per_index >= 0;
}

/*
 * backoffLimitPerIndex: of the first n pending indexes, create the pods
 * of those out of their own back-off (no Job-wide back-off applies).
 */
static void create_per_index(struct ctrl *c, struct jstate *s,
			     const cJSON *job, int64_t n, int64_t now)
{
	int64_t idx = 0;

	for (int64_t k = 0; k < n; k++, idx++) {
		if ((idx = next_index(s, idx)) < 0)
			return;
		if (index_backoff_left(s, idx, now) > 0)
			continue;
		create_one(c, s, job, idx);
		s->active++;
	}
}

/* Scale the active pods towards what the Job wants now. */
static void manage(struct ctrl *c, struct jstate *s, const cJSON *job,
		   int64_t now)
{
	int64_t want = s->parallelism, left, idx = 0;

	if (s->completions >= 0) {
		left = s->completions - s->succeeded;
		if (s->indexed)
			for (left = 0, idx = 0; idx < s->completions; idx++)
				left += !s->done[idx] && !s->failed_idx[idx];
		want = want < left ? want : left;
	}
	if (s->only_failed && !s->indexed)
		want -= s->terminating;	/* wait until they are Failed */
	if (want < 0)
		want = 0;
	for (size_t i = s->n; i-- > 0 && s->active > want;)
		if (!pod_done(s, s->pods[i]) && !json_get(s->pods[i], "metadata.deletionTimestamp") &&
		    ctrl_delete_pod(c, J_COMPONENT, job, s->pods[i]))
			s->active--;
	if (s->active >= want)
		return;
	if (per_index(s)) {
		create_per_index(c, s, job, want - s->active, now);
		return;
	}
	if (backoff_left(s, now) > 0)
		return;
	for (idx = 0; s->active < want; s->active++) {
		if (s->indexed && (idx = next_index(s, idx)) < 0)
			break;
		create_one(c, s, job, s->indexed ? idx++ : -1);
	}
}

static void delete_active(struct ctrl *c, struct jstate *s, const cJSON *job)
{
	for (size_t i = 0; i < s->n; i++)
		if (!pod_done(s, s->pods[i]) && !json_get(s->pods[i], "metadata.deletionTimestamp") &&
		    ctrl_delete_pod(c, J_COMPONENT, job, s->pods[i]))
			s->active--, s->terminating++;
}

static void counts(struct jstate *s)
{
	s->active = s->ready = s->terminating = 0;
	for (size_t i = 0; i < s->n; i++) {
		const cJSON *p = s->pods[i];

		if (json_get(p, "metadata.deletionTimestamp") && !ctrl_pod_terminal(p))
			s->terminating++;
		else if (!ctrl_pod_terminal(p)) {
			s->active++;
			s->ready += ctrl_pod_ready(p);
		}
	}
	s->succeeded = st_int(s->j, "status.succeeded") +
		       cJSON_GetArraySize(json_get(s->j, "status.uncountedTerminatedPods.succeeded"));
	s->failed = st_int(s->j, "status.failed") +
		    cJSON_GetArraySize(json_get(s->j, "status.uncountedTerminatedPods.failed"));
}

/* restartPolicy OnFailure: container restarts of running pods reach the limit. */
static bool past_restarts(const struct jstate *s)
{
	int64_t sum = 0, limit = st_int(s->j, "spec.backoffLimit");
	const char *rp = json_get_str(s->j, "spec.template.spec.restartPolicy");

	if (!rp || strcmp(rp, "OnFailure"))
		return false;
	for (size_t i = 0; i < s->n; i++)
		if (!ctrl_pod_terminal(s->pods[i]))
			sum += jobpol_restarts(s->pods[i]);
	return limit ? sum >= limit : sum > 0;
}

/* A failed pod matching a FailJob rule: the message (kept in s), or NULL. */
static const char *fail_job_message(struct jstate *s)
{
	for (size_t i = 0; s->pfp && i < s->n; i++) {
		char *msg = NULL;

		if (pod_failed(s, s->pods[i]) &&
		    jobpol_match(s->pfp, s->pods[i], &msg) == JOBPOL_FAIL_JOB) {
			free(s->why_msg);
			return s->why_msg = msg;
		}
		free(msg);
	}
	return NULL;
}

/* Why the Job fails now (reason, message), or NULL; in kcm's order. */
static const char *failure(struct jstate *s, int64_t now, const char **msg)
{
	int64_t ads = 0, start = ctrl_time(s->j, "status.startTime");
	const cJSON *ft = ctrl_condition(s->j, "FailureTarget");
	int64_t nfailed = jobidx_count(s->failed_idx, s->completions), max = -1;

	if (ft && ctrl_condition_true(s->j, "FailureTarget"))
		return keep_condition(s, ft, msg);
	if ((*msg = fail_job_message(s)))
		return "PodFailurePolicy";
	if (s->failed > st_int(s->j, "spec.backoffLimit") || past_restarts(s)) {
		*msg = "Job has reached the specified backoff limit";
		return "BackoffLimitExceeded";
	}
	if (json_get_int(s->j, "spec.activeDeadlineSeconds", &ads) == 0 &&
	    start && now - start >= ads) {
		*msg = "Job was active longer than specified deadline";
		return "DeadlineExceeded";
	}
	if (s->per_index < 0 || !s->indexed)
		return NULL;
	if (json_get_int(s->j, "spec.maxFailedIndexes", &max) == 0 && nfailed > max) {
		*msg = "Job has exceeded the specified maximal number of failed indexes";
		return "MaxFailedIndexesExceeded";
	}
	if (nfailed && nfailed + jobidx_count(s->done, s->completions) >= s->completions) {
		*msg = "Job has failed indexes";
		return "FailedIndexes";
	}
	return NULL;
}

static bool succeeded(const struct jstate *s)
{
	if (s->indexed) {
		for (int64_t i = 0; i < s->completions; i++)
			if (!s->done[i])
				return false;
		return true;
	}
	if (s->completions >= 0)
		return s->succeeded >= s->completions;
	return s->succeeded > 0 && s->active == 0;
}

/*
 * The success criteria: an earlier SuccessCriteriaMet, the successPolicy
 * of an Indexed Job, or the completions.  Sets *reason and *msg (the
 * message kept in s when made here).
 */
static bool success(struct jstate *s, const char **reason, const char **msg)
{
	const cJSON *met = ctrl_condition(s->j, "SuccessCriteriaMet");
	char *m = NULL;

	if (met && ctrl_condition_true(s->j, "SuccessCriteriaMet")) {
		*reason = keep_condition(s, met, msg);
		return true;
	}
	if (s->indexed && jobpol_success(json_get(s->j, "spec.successPolicy"), s->done,
					 s->completions, &m)) {
		free(s->why_msg);
		*msg = s->why_msg = m;
		*reason = "SuccessPolicy";
		return true;
	}
	*reason = "CompletionsReached";
	*msg = "Reached expected number of succeeded pods";
	return succeeded(s);
}

/* Terminal conditions; true when the Job is (being) finished. */
static bool finish(struct ctrl *c, struct jstate *s, const cJSON *job,
		   int64_t now)
{
	const char *msg = NULL, *why = failure(s, now, &msg), *reason = NULL;
	char ts[40];

	if (!why && !success(s, &reason, &msg))
		return false;
	if (why)
		ctrl_set_condition(s->j, "FailureTarget", "True", why, msg, true);
	else
		ctrl_set_condition(s->j, "SuccessCriteriaMet", "True", reason, msg, true);
	s->met = !why;
	delete_active(c, s, job);
	if (s->active > 0 || s->terminating > 0 ||
	    json_get(s->j, "status.uncountedTerminatedPods.succeeded") ||
	    json_get(s->j, "status.uncountedTerminatedPods.failed"))
		return true;
	if (why) {
		ctrl_set_condition(s->j, "Failed", "True", why, msg, true);
		ctrl_event(c, J_COMPONENT, CTRL_USER_CM, job, "Warning", why, "", msg);
	} else {
		ctrl_set_condition(s->j, "Complete", "True", reason, msg, true);
		json_set_str(s->j, "status.completionTime", ctrl_time_str(now, ts));
		ctrl_event(c, J_COMPONENT, CTRL_USER_CM, job, "Normal", "Completed", "",
			   "Job completed");
	}
	return true;
}

/* Suspend or resume; true while suspended. */
static bool suspend(struct ctrl *c, struct jstate *s, const cJSON *job,
		    int64_t now)
{
	bool want = json_get_bool(job, "spec.suspend", false);
	bool is = ctrl_condition_true(job, "Suspended");
	char ts[40];

	if (want) {
		if (!is) {
			ctrl_set_condition(s->j, "Suspended", "True", "JobSuspended",
					   "Job suspended", true);
			ctrl_event(c, J_COMPONENT, CTRL_USER_CM, job, "Normal",
				   "Suspended", "", "Job suspended");
		}
		delete_active(c, s, job);
		return true;
	}
	if (is) {
		ctrl_set_condition(s->j, "Suspended", "False", "JobResumed",
				   "Job resumed", true);
		ctrl_event(c, J_COMPONENT, CTRL_USER_CM, job, "Normal", "Resumed", "",
			   "Job resumed");
		json_set_str(s->j, "status.startTime", ctrl_time_str(now, ts));
	}
	if (!json_get(s->j, "status.startTime"))
		json_set_str(s->j, "status.startTime", ctrl_time_str(now, ts));
	return false;
}

static void publish(struct jstate *s)
{
	char *ci;

	if (s->active)
		json_set_int(s->j, "status.active", s->active);
	else
		json_del(s->j, "status.active");
	json_set_int(s->j, "status.ready", s->ready);
	json_set_int(s->j, "status.terminating", s->terminating);
	if (!json_get(s->j, "status.uncountedTerminatedPods"))
		json_set(s->j, "status.uncountedTerminatedPods", cJSON_CreateObject());
	if (!s->indexed)
		return;
	ci = jobidx_format(s->done, s->completions);
	if (*ci)
		json_set_str(s->j, "status.completedIndexes", ci);
	free(ci);
}

static void job_sync_one(struct ctrl *c, const cJSON *job, const cJSON *pods)
{
	const char *uid = json_get_str(job, "metadata.uid");
	struct jstate *s = xcalloc(1, sizeof(*s));
	int64_t now = (int64_t)time(NULL);
	const cJSON *pod;

	s->j = json_dup(job);
	s->base = json_dup(json_get(job, "status"));
	s->parallelism = st_int(job, "spec.parallelism");
	s->completions = json_get(job, "spec.completions") ? st_int(job, "spec.completions") : -1;
	s->indexed = !strcmp(json_get_str(job, "spec.completionMode") ?: "", "Indexed") &&
		     s->completions >= 0 && s->completions <= J_MAX_INDEX;
	s->done = xcalloc((size_t)(s->completions > 0 ? s->completions : 1), 1);
	s->failed_idx = xcalloc((size_t)(s->completions > 0 ? s->completions : 1), 1);
	if (s->indexed)
		jobidx_parse(json_get_str(job, "status.completedIndexes"), s->done,
			     s->completions);
	s->pfp = json_get(job, "spec.podFailurePolicy");
	s->only_failed = s->pfp || !strcmp(json_get_str(job, "spec.podReplacementPolicy") ?: "",
					   "Failed");
	s->met = ctrl_condition_true(job, "SuccessCriteriaMet");
	s->finishing = ctrl_condition_true(job, "FailureTarget");
	s->per_index = -1;
	json_get_int(job, "spec.backoffLimitPerIndex", &s->per_index);
	cJSON_ArrayForEach(pod, pods)
		if (s->n < sizeof(s->pods) / sizeof(s->pods[0]) && ctrl_owned_by(pod, uid))
			s->pods[s->n++] = pod;
	if (s->indexed && s->per_index >= 0)
		mark_failed_indexes(s);
	track(c, s);
	counts(s);
	if (ctrl_condition_true(job, "Complete") || ctrl_condition_true(job, "Failed"))
		;
	else if (!suspend(c, s, job, now) && !finish(c, s, job, now))
		manage(c, s, job, now);
	publish(s);
	flush_status(c, s);
	cJSON_Delete(s->j);
	cJSON_Delete(s->base);
	free(s->done);
	free(s->failed_idx);
	free(s->why_msg);
	free(s);
}

/* Pods of Jobs that are gone or going keep no tracking finalizer. */
static void release_orphans(struct ctrl *c, const cJSON *jobs, const cJSON *pods)
{
	const cJSON *pod, *job;

	cJSON_ArrayForEach(pod, pods) {
		const cJSON *ref = ctrl_controller_ref(pod);
		bool live = false;

		if (!has_finalizer(pod))
			continue;
		cJSON_ArrayForEach(job, jobs)
			if (ref && !strcmp(json_get_str(ref, "uid") ?: "",
					   json_get_str(job, "metadata.uid") ?: ""))
				live = !json_get(job, "metadata.deletionTimestamp");
		if (!live)
			drop_finalizer(c, pod);
	}
}

void job_sync(struct ctrl *c, const cJSON *jobs, const cJSON *pods)
{
	const cJSON *job;

	cJSON_ArrayForEach(job, jobs)
		if (!json_get(job, "metadata.deletionTimestamp"))
			job_sync_one(c, job, pods);
	release_orphans(c, jobs, pods);
}
