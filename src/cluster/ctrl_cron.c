/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_cron: the CronJob controller (kube-controller-manager's v2 logic).
 *
 * For each CronJob: its Jobs (controller reference) are reconciled with
 * status.active (finished ones leave it: SawCompletedJob, and a Complete
 * one sets lastSuccessfulTime; vanished ones: MissingJob); the most recent
 * schedule time in (lastScheduleTime or creation, now] is computed in
 * spec.timeZone (UTC without), limited by startingDeadlineSeconds; more
 * than 100 missed times gives TooManyMissedTimes, a time older than the
 * deadline MissSchedule; then, unless suspended or already started,
 * concurrencyPolicy decides (Forbid: JobAlreadyActive, Replace: delete
 * the active Jobs) and Job <cronjob>-<unix minutes> is created from the
 * jobTemplate (SuccessfulCreate).  Finished Jobs beyond
 * successfulJobsHistoryLimit / failedJobsHistoryLimit are deleted, oldest
 * first (SuccessfulDelete).
 *
 * Jobs the controller did not start but that name the CronJob as their
 * controller (`kubectl create job --from=cronjob/x`, annotated
 * cronjob.kubernetes.io/instantiate: manual) are treated as the real
 * controller treats them: after a fresh read of the CronJob confirms it
 * does not list them, a Warning UnexpectedJob "Saw a job that the
 * controller did not create or forgot: <job>" (once, while the Job is
 * new); they are not added to status.active, so concurrencyPolicy does
 * not see them; when they complete they do set lastSuccessfulTime, and
 * they count against the history limits like scheduled ones.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/cron.h"
#include "cluster/ctrl_int.h"
#include "common/json.h"
#include "common/mem.h"

#define CJ_COMPONENT "cronjob-controller"
#define CJ_MAX_JOBS 1024

static bool job_finished(const cJSON *job, bool *ok)
{
	*ok = ctrl_condition_true(job, "Complete");
	return *ok || ctrl_condition_true(job, "Failed");
}

static void event(struct ctrl *c, const cJSON *cj, const char *type,
		  const char *reason, const char *fmt, const char *arg)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, arg);
	ctrl_event(c, CJ_COMPONENT, CTRL_USER_CM, cj, type, reason, "", msg);
}

static const cJSON *active_ref(const cJSON *cj, const char *uid)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, json_get(cj, "status.active"))
		if (!strcmp(json_get_str(r, "uid") ?: "", uid ?: ""))
			return r;
	return NULL;
}

static bool in_active(const cJSON *cj, const char *uid)
{
	return active_ref(cj, uid) != NULL;
}

static cJSON *job_ref(const cJSON *job)
{
	cJSON *r = cJSON_CreateObject();

	json_set_str(r, "apiVersion", "batch/v1");
	json_set_str(r, "kind", "Job");
	json_set_str(r, "name", json_get_str(job, "metadata.name"));
	json_set_str(r, "namespace", json_get_str(job, "metadata.namespace"));
	json_set_str(r, "uid", json_get_str(job, "metadata.uid"));
	json_set_str(r, "resourceVersion", json_get_str(job, "metadata.resourceVersion"));
	return r;
}

/*
 * A running child Job missing from status.active: unless a fresh read of
 * the CronJob lists it (the pass's snapshot may predate our own status
 * write), warn while the Job is new (its first seconds; the recorder
 * folds the repeats of those seconds into one Event).
 */
static void unexpected(struct ctrl *c, const cJSON *cj, const cJSON *job)
{
	int64_t born = ctrl_time(job, "metadata.creationTimestamp");
	cJSON *fresh = NULL;
	char path[512];
	bool listed = false;

	if ((int64_t)time(NULL) - born > 3)
		return;
	ctrl_obj_path(cj, "cronjobs", NULL, path, sizeof(path));
	if (ctrl_call(c, CTRL_USER_CM, "GET", path, NULL, &fresh) == 200 && fresh)
		listed = in_active(fresh, json_get_str(job, "metadata.uid"));
	cJSON_Delete(fresh);
	if (!listed)
		event(c, cj, "Warning", "UnexpectedJob",
		      "Saw a job that the controller did not create or forgot: %s",
		      json_get_str(job, "metadata.name"));
}

/* Rebuild status.active of w from the child Jobs; record completions. */
static void reconcile_active(struct ctrl *c, cJSON *w, const cJSON *cj,
			     const cJSON **kids, size_t n)
{
	cJSON *act = cJSON_CreateArray(), *r;
	char ts[40];

	for (size_t i = 0; i < n; i++) {
		bool ok, fin = job_finished(kids[i], &ok);
		const char *uid = json_get_str(kids[i], "metadata.uid");

		if (!fin && in_active(cj, uid))
			cJSON_AddItemToArray(act, json_dup(active_ref(cj, uid)));
		if (fin && in_active(cj, uid))
			event(c, cj, "Normal", "SawCompletedJob",
			      ok ? "Saw completed job: %s, condition: Complete"
				 : "Saw completed job: %s, condition: Failed",
			      json_get_str(kids[i], "metadata.name"));
		if (!fin && !in_active(cj, uid))
			unexpected(c, cj, kids[i]);
		if (ok && ctrl_time(kids[i], "status.completionTime") >
			  ctrl_time(w, "status.lastSuccessfulTime"))
			json_set_str(w, "status.lastSuccessfulTime",
				     ctrl_time_str(ctrl_time(kids[i], "status.completionTime"), ts));
	}
	cJSON_ArrayForEach(r, json_get(cj, "status.active")) {
		bool found = false;

		for (size_t i = 0; i < n && !found; i++)
			found = !strcmp(json_get_str(kids[i], "metadata.uid") ?: "",
					json_get_str(r, "uid") ?: "");
		if (!found)
			event(c, cj, "Warning", "MissingJob", "Active job went missing: %s",
			      json_get_str(r, "name"));
	}
	if (cJSON_GetArraySize(act))
		json_set(w, "status.active", act);
	else {
		json_del(w, "status.active");
		cJSON_Delete(act);
	}
}

/*
 * The schedule time to act on now, or 0.  *many is set when more than
 * 100 were missed.
 */
static int64_t scheduled_time(const cJSON *cj, const struct cron *cr,
			      int64_t now, bool *many)
{
	const char *tz = json_get_str(cj, "spec.timeZone");
	int64_t earliest = ctrl_time(cj, "status.lastScheduleTime"), sds;
	int64_t t1, t2, gap, missed, recent = 0;

	if (!earliest)
		earliest = ctrl_time(cj, "metadata.creationTimestamp");
	if (json_get_int(cj, "spec.startingDeadlineSeconds", &sds) == 0 &&
	    now - sds > earliest)
		earliest = now - sds;
	*many = false;
	t1 = cron_next(cr, tz, earliest);
	if (!t1 || now < t1)
		return 0;
	t2 = cron_next(cr, tz, t1);
	if (!t2 || now < t2)
		return t1;
	gap = t2 - t1;
	if (gap < 1)
		return 0;
	missed = (now - t1) / gap + 1;
	for (int64_t t = cron_next(cr, tz, t1 + (missed - 2) * gap); t && t <= now;
	     t = cron_next(cr, tz, t))
		recent = t;
	*many = missed > 100;
	return recent;
}

static void create_job(struct ctrl *c, cJSON *w, const cJSON *cj, int64_t at)
{
	char name[320], path[320], ts[40];
	cJSON *j = cJSON_CreateObject(), *out = NULL, *refs = cJSON_CreateArray();

	snprintf(name, sizeof(name), "%s-%lld", json_get_str(cj, "metadata.name"),
		 (long long)(at / 60));
	json_set_str(j, "apiVersion", "batch/v1");
	json_set_str(j, "kind", "Job");
	json_set(j, "metadata", json_dup(json_get(cj, "spec.jobTemplate.metadata")));
	if (!cJSON_IsObject(json_get(j, "metadata")))
		json_set(j, "metadata", cJSON_CreateObject());
	json_set_str(j, "metadata.name", name);
	json_set_str(j, "metadata.namespace", json_get_str(cj, "metadata.namespace"));
	json_set_str(j, "metadata.annotations.batch\\.kubernetes\\.io/cronjob-scheduled-timestamp",
		     ctrl_time_str(at, ts));
	cJSON_AddItemToArray(refs, ctrl_owner_ref(cj));
	json_set(j, "metadata.ownerReferences", refs);
	json_set(j, "spec", json_dup(json_get(cj, "spec.jobTemplate.spec")));
	snprintf(path, sizeof(path), "/apis/batch/v1/namespaces/%s/jobs",
		 json_get_str(cj, "metadata.namespace"));
	if (ctrl_call(c, CTRL_USER_CM, "POST", path, j, &out) == 201 && out) {
		event(c, cj, "Normal", "SuccessfulCreate", "Created job %s", name);
		if (!cJSON_IsArray(json_get(w, "status.active")))
			json_set(w, "status.active", cJSON_CreateArray());
		cJSON_AddItemToArray(json_get(w, "status.active"), job_ref(out));
		json_set_str(w, "status.lastScheduleTime", ctrl_time_str(at, ts));
	} else if (!json_get(w, "status.lastScheduleTime") ||
		   ctrl_time(w, "status.lastScheduleTime") < at) {
		/* AlreadyExists: it was made before; do not retry this time */
		json_set_str(w, "status.lastScheduleTime", ctrl_time_str(at, ts));
	}
	cJSON_Delete(out);
	cJSON_Delete(j);
}

static void delete_job(struct ctrl *c, const cJSON *cj, const cJSON *job)
{
	char path[512];
	cJSON *opt = cJSON_CreateObject();

	json_set_str(opt, "propagationPolicy", "Background");
	ctrl_obj_path(job, "jobs", NULL, path, sizeof(path));
	if (ctrl_call(c, CTRL_USER_CM, "DELETE", path, opt, NULL) == 200)
		event(c, cj, "Normal", "SuccessfulDelete", "Deleted job %s",
		      json_get_str(job, "metadata.name"));
	cJSON_Delete(opt);
}

static int cmp_start(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	int64_t tx = ctrl_time(x, "status.startTime") ?: ctrl_time(x, "metadata.creationTimestamp");
	int64_t ty = ctrl_time(y, "status.startTime") ?: ctrl_time(y, "metadata.creationTimestamp");

	return tx < ty ? -1 : tx > ty;
}

/* Delete the oldest finished Jobs beyond the history limits. */
static void cleanup(struct ctrl *c, const cJSON *cj, const cJSON **kids,
		    size_t n)
{
	int64_t lim[2] = { 3, 1 };
	size_t cnt[2] = { 0, 0 };
	const cJSON **v = xmalloc((n + 1) * sizeof(*v));

	json_get_int(cj, "spec.successfulJobsHistoryLimit", &lim[0]);
	json_get_int(cj, "spec.failedJobsHistoryLimit", &lim[1]);
	memcpy(v, kids, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_start);
	for (int w = 0; w < 2; w++) {
		bool ok;

		for (size_t i = 0; i < n; i++)
			if (job_finished(v[i], &ok) && ok == !w)
				cnt[w]++;
		for (size_t i = 0; i < n && (int64_t)cnt[w] > lim[w]; i++)
			if (job_finished(v[i], &ok) && ok == !w &&
			    !json_get(v[i], "metadata.deletionTimestamp")) {
				delete_job(c, cj, v[i]);
				cnt[w]--;
			}
	}
	free(v);
}

/* Start the Job of the current schedule time, if it is due. */
static void start(struct ctrl *c, cJSON *w, const cJSON *cj, int64_t now)
{
	const char *pol = json_get_str(cj, "spec.concurrencyPolicy") ?: "Allow";
	struct cron cr;
	struct err e;
	bool many, fresh;
	int64_t at, sds;
	char ts[64];
	const cJSON *r;

	if (json_get_bool(cj, "spec.suspend", false) ||
	    cron_parse(json_get_str(cj, "spec.schedule"), &cr, &e) < 0)
		return;
	at = scheduled_time(cj, &cr, now, &many);
	/* a schedule time stays current until acted on: warn in its first
	 * two seconds only, not on every pass */
	fresh = at && now - at < 2;
	if (many && fresh)
		ctrl_event(c, CJ_COMPONENT, CTRL_USER_CM, cj, "Warning", "TooManyMissedTimes", "",
			   "too many missed start times. Set or decrease "
			   ".spec.startingDeadlineSeconds or check clock skew");
	if (!at || ctrl_time(cj, "status.lastScheduleTime") >= at)
		return;
	if (json_get_int(cj, "spec.startingDeadlineSeconds", &sds) == 0 &&
	    at + sds < now) {
		struct tm tm;
		time_t tt = (time_t)at;

		if (!fresh)
			return;
		gmtime_r(&tt, &tm);
		strftime(ts, sizeof(ts), "%a, %d %b %Y %H:%M:%S +0000", &tm);
		event(c, cj, "Warning", "MissSchedule",
		      "Missed scheduled time to start a job: %s", ts);
		return;
	}
	if (!strcmp(pol, "Forbid") && json_get(w, "status.active")) {
		if (fresh)
			event(c, cj, "Normal", "JobAlreadyActive", "%s",
			      "Not starting job because prior execution is running "
			      "and concurrency policy is Forbid");
		return;
	}
	if (!strcmp(pol, "Replace"))
		cJSON_ArrayForEach(r, json_get(w, "status.active")) {
			cJSON *job = cJSON_CreateObject();

			json_set_str(job, "apiVersion", "batch/v1");
			json_set_str(job, "metadata.name", json_get_str(r, "name"));
			json_set_str(job, "metadata.namespace", json_get_str(r, "namespace"));
			delete_job(c, cj, job);
			cJSON_Delete(job);
		}
	if (!strcmp(pol, "Replace"))
		json_del(w, "status.active");
	create_job(c, w, cj, at);
}

/*
 * Write w's status; on a conflict (a spec or status change since the
 * list) again onto the fresh object, a few times: a created Job's
 * lastScheduleTime must not be lost, or the next pass would see its
 * schedule time still due and the Job merely "already active".
 */
static void put_status(struct ctrl *c, const cJSON *w)
{
	char path[512];

	if (ctrl_put(c, w, "cronjobs", "status") != 409)
		return;
	ctrl_obj_path(w, "cronjobs", NULL, path, sizeof(path));
	for (int i = 0; i < 5; i++) {
		cJSON *fresh = NULL;
		int st = 0;

		if (ctrl_call(c, CTRL_USER_CM, "GET", path, NULL, &fresh) == 200 && fresh) {
			json_set(fresh, "status", json_dup(json_get(w, "status")));
			st = ctrl_put(c, fresh, "cronjobs", "status");
		}
		cJSON_Delete(fresh);
		if (st != 409)
			return;
	}
}

static void cron_sync_one(struct ctrl *c, const cJSON *cj, const cJSON *jobs)
{
	const cJSON *kids[CJ_MAX_JOBS], *job;
	const char *uid = json_get_str(cj, "metadata.uid");
	int64_t now = (int64_t)time(NULL);
	size_t n = 0;
	cJSON *w = json_dup(cj);

	cJSON_ArrayForEach(job, jobs)
		if (n < CJ_MAX_JOBS && ctrl_owned_by(job, uid))
			kids[n++] = job;
	reconcile_active(c, w, cj, kids, n);
	start(c, w, cj, now);
	if (!json_equal(json_get(w, "status"), json_get(cj, "status")))
		put_status(c, w);
	cleanup(c, cj, kids, n);
	cJSON_Delete(w);
}

void cron_sync(struct ctrl *c, const cJSON *cjs, const cJSON *jobs)
{
	const cJSON *cj;

	cJSON_ArrayForEach(cj, cjs)
		if (!json_get(cj, "metadata.deletionTimestamp"))
			cron_sync_one(c, cj, jobs);
}
