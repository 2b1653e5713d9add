/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_deploy: the Deployment controller, one level-triggered pass.
 *
 * Each Deployment owns one ReplicaSet per pod template, named
 * <deploy>-<pod-template-hash> (FNV-32a of the canonical template, safe-
 * encoded as Kubernetes does) and labelled/selected with the hash.  The
 * ReplicaSet of the current template is "new" (created on demand with the
 * next deployment.kubernetes.io/revision; a rollback bumps an old one's
 * revision), the others are "old".  Recreate scales old to zero first;
 * RollingUpdate scales new up within replicas+maxSurge and old down while
 * replicas-maxUnavailable stay available.  Status (replicas, updated,
 * ready, available, conditions Available/Progressing) is what
 * `kubectl rollout status` reads; old ReplicaSets beyond
 * revisionHistoryLimit are deleted.
 *
 * Progressing follows kube-controller-manager's syncRolloutStatus:
 * NewReplicaSetCreated ("Created new replica set ...") in the pass that
 * made it; FoundNewReplicaSet when the Deployment had no Progressing
 * condition but its new ReplicaSet exists;
 * NewReplicaSetAvailable once complete; ReplicaSetUpdated (lastUpdateTime
 * now) whenever the rollout moved (more updated, ready or available
 * replicas, fewer old ones, another new ReplicaSet); False
 * ProgressDeadlineExceeded when it did not move for
 * progressDeadlineSeconds since that lastUpdateTime (kubectl rollout
 * status then fails); Unknown DeploymentPaused while paused and
 * DeploymentResumed when resumed.  minReadySeconds is copied to the
 * ReplicaSets, whose availableReplicas it governs (ctrl_rs.c).
 *
 * Scaling events (an active ReplicaSet's desired-replicas annotation is
 * not spec.replicas), paused or not, are handled first and alone, as the
 * real controller's sync(): the only active (or newest) ReplicaSet takes
 * the new size; several active ones under RollingUpdate share the change
 * in proportion to their size (from the max-replicas annotation, leftover
 * to the largest; GetProportion); a saturated new one scales the old ones
 * to zero.  A paused Deployment gets only that (and history cleanup).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/ctrl_int.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

#define D_COMPONENT "deployment-controller"
#define ANN_REV "deployment.kubernetes.io/revision"
#define ANN_REV_PATH "metadata.annotations.deployment\\.kubernetes\\.io/revision"
#define HASH_LABEL "pod-template-hash"
#define ANN_DESIRED "deployment.kubernetes.io/desired-replicas"
#define ANN_DESIRED_PATH "metadata.annotations.deployment\\.kubernetes\\.io/desired-replicas"
#define ANN_MAX "deployment.kubernetes.io/max-replicas"
#define ANN_MAX_PATH "metadata.annotations.deployment\\.kubernetes\\.io/max-replicas"

struct dstate {
	const cJSON *d;
	cJSON *rs[256];		/* the deployment's ReplicaSets (borrowed) */
	size_t nrs;
	cJSON *cur;		/* the new ReplicaSet, or NULL */
	int64_t replicas, surge, unavail;
	char hash[16];
	char created[300];	/* the new ReplicaSet made this pass, or "" */
};

/*
 * Drop null members (metadata.creationTimestamp: null, as kubectl sends
 * it): Go's structs make no difference between null and absent, and
 * `kubectl rollout undo` copies a template that has none.
 */
static void drop_nulls(cJSON *o)
{
	cJSON *it = o ? o->child : NULL;

	while (it) {
		cJSON *next = it->next;

		if (cJSON_IsNull(it) && cJSON_IsObject(o))
			cJSON_Delete(cJSON_DetachItemViaPointer(o, it));
		else
			drop_nulls(it);
		it = next;
	}
}

/* The template hash: FNV-32a of the canonical JSON, digits safe-encoded. */
static void template_hash(const cJSON *tmpl, char out[16])
{
	static const char alpha[] = "bcdfghjklmnpqrstvwxz2456789";
	cJSON *copy = json_dup(tmpl);
	char *text, num[16];
	uint32_t h = 2166136261u;

	drop_nulls(copy);
	text = json_canonical(copy);
	cJSON_Delete(copy);

	for (const char *p = text; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	free(text);
	snprintf(num, sizeof(num), "%u", h);
	for (size_t i = 0; num[i]; i++)
		out[i] = alpha[(unsigned char)num[i] % (sizeof(alpha) - 1)];
	out[strlen(num)] = '\0';
}

static int64_t rs_int(const cJSON *rs, const char *path)
{
	int64_t v = 0;

	json_get_int(rs, path, &v);
	return v;
}

static int64_t revision(const cJSON *rs)
{
	const char *r = json_get_str(rs, ANN_REV_PATH);

	return r ? strtoll(r, NULL, 10) : 0;
}

/* intOrString against total: percent rounds up (surge) or down. */
static int64_t int_or_pct(const cJSON *v, int64_t total, int64_t def_pct,
			  bool up)
{
	int64_t pct = def_pct;

	if (cJSON_IsNumber(v))
		return (int64_t)v->valuedouble;
	if (cJSON_IsString(v))
		pct = strtoll(v->valuestring, NULL, 10);
	return up ? (pct * total + 99) / 100 : pct * total / 100;
}

static void put_rs(struct ctrl *c, cJSON *rs)
{
	char path[320];

	snprintf(path, sizeof(path),
		 "/apis/apps/v1/namespaces/%s/replicasets/%s",
		 json_get_str(rs, "metadata.namespace"),
		 json_get_str(rs, "metadata.name"));
	ctrl_call(c, CTRL_USER_CM, "PUT", path, rs, NULL);
}

/* Annotation key of rs as a number, -1 when absent. */
static int64_t ann_num(const cJSON *rs, const char *key)
{
	const cJSON *a = json_obj(json_get(rs, "metadata.annotations"), key);

	return cJSON_IsString(a) ? strtoll(a->valuestring, NULL, 10) : -1;
}

/*
 * Set rs's spec.replicas to n and its desired/max-replicas annotations to
 * the Deployment's (SetReplicasAnnotations), if anything differs; an
 * event "Scaled <op> ..." when the size changed (op NULL: up or down).
 */
static void scale_rs_op(struct ctrl *c, struct dstate *s, const cJSON *rs,
			int64_t n, const char *op)
{
	int64_t was = rs_int(rs, "spec.replicas");
	char msg[400];
	cJSON *r;

	if (was == n && ann_num(rs, ANN_DESIRED) == s->replicas &&
	    ann_num(rs, ANN_MAX) == s->replicas + s->surge)
		return;
	r = json_dup(rs);
	json_set_int(r, "spec.replicas", n);
	snprintf(msg, sizeof(msg), "%lld", (long long)s->replicas);
	json_set_str(r, ANN_DESIRED_PATH, msg);
	snprintf(msg, sizeof(msg), "%lld", (long long)(s->replicas + s->surge));
	json_set_str(r, ANN_MAX_PATH, msg);
	put_rs(c, r);
	cJSON_Delete(r);
	if (was == n)
		return;
	snprintf(msg, sizeof(msg), "Scaled %s replica set %s from %lld to %lld",
		 op ? op : n > was ? "up" : "down", json_get_str(rs, "metadata.name"),
		 (long long)was, (long long)n);
	ctrl_event(c, D_COMPONENT, CTRL_USER_CM, s->d, "Normal",
		   "ScalingReplicaSet", "Scale", msg);
}

static void scale_rs(struct ctrl *c, struct dstate *s, const cJSON *rs,
		     int64_t n)
{
	scale_rs_op(c, s, rs, n, NULL);
}

static int64_t max_revision(const struct dstate *s)
{
	int64_t m = 0;

	for (size_t i = 0; i < s->nrs; i++)
		if (revision(s->rs[i]) > m)
			m = revision(s->rs[i]);
	return m;
}

static void collect(struct dstate *s, const cJSON *rss)
{
	const char *uid = json_get_str(s->d, "metadata.uid");
	cJSON *rs;

	cJSON_ArrayForEach(rs, rss) {
		const cJSON *ref = ctrl_controller_ref(rs);
		const char *u = ref ? json_get_str(ref, "uid") : NULL;

		if (!u || strcmp(u, uid) || s->nrs == 256 ||
		    json_get(rs, "metadata.deletionTimestamp"))
			continue;
		s->rs[s->nrs++] = rs;
		if (!strcmp(json_get_str(rs, "metadata.labels.pod-template-hash") ?: "",
			    s->hash))
			s->cur = rs;
	}
}

/* Deployment annotations never copied to its ReplicaSets (as the real
 * controller's annotationsToSkip). */
static const char *const skip_annotations[] = {
	"kubectl.kubernetes.io/last-applied-configuration",
	"deployment.kubernetes.io/revision",
	"deployment.kubernetes.io/revision-history",
	"deployment.kubernetes.io/desired-replicas",
	"deployment.kubernetes.io/max-replicas",
	"deprecated.deployment.rollback.to",
};

static bool skipped_annotation(const char *key)
{
	for (size_t i = 0; i < sizeof(skip_annotations) / sizeof(skip_annotations[0]); i++)
		if (!strcmp(key, skip_annotations[i]))
			return true;
	return false;
}

/*
 * Copy the Deployment's annotations (a change-cause, say) onto rs, adding
 * or overwriting but never removing, as the deployment controller does;
 * true when rs changed.
 */
static bool copy_annotations(const cJSON *d, cJSON *rs)
{
	const cJSON *from = json_get(d, "metadata.annotations"), *it;
	cJSON *to = json_get(rs, "metadata.annotations");
	bool changed = false;

	cJSON_ArrayForEach(it, from) {
		const cJSON *have;

		if (!cJSON_IsString(it) || skipped_annotation(it->string))
			continue;
		if (!to) {
			json_set(rs, "metadata.annotations", cJSON_CreateObject());
			to = json_get(rs, "metadata.annotations");
		}
		have = cJSON_GetObjectItemCaseSensitive(to, it->string);
		if (cJSON_IsString(have) && !strcmp(have->valuestring, it->valuestring))
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(to, it->string);
		cJSON_AddStringToObject(to, it->string, it->valuestring);
		changed = true;
	}
	return changed;
}

static void create_new_rs(struct ctrl *c, struct dstate *s, int64_t n)
{
	const char *ns = json_get_str(s->d, "metadata.namespace");
	cJSON *rs = cJSON_CreateObject(), *refs = cJSON_CreateArray();
	char name[300], path[320], num[32], msg[400];

	snprintf(name, sizeof(name), "%s-%s",
		 json_get_str(s->d, "metadata.name"), s->hash);
	json_set_str(rs, "apiVersion", "apps/v1");
	json_set_str(rs, "kind", "ReplicaSet");
	json_set_str(rs, "metadata.name", name);
	json_set_str(rs, "metadata.namespace", ns);
	json_set(rs, "metadata.labels",
		 json_dup(json_get(s->d, "spec.template.metadata.labels")));
	json_set_str(rs, "metadata.labels.pod-template-hash", s->hash);
	copy_annotations(s->d, rs);
	snprintf(num, sizeof(num), "%lld", (long long)max_revision(s) + 1);
	json_set_str(rs, ANN_REV_PATH, num);
	snprintf(num, sizeof(num), "%lld", (long long)s->replicas);
	json_set_str(rs, "metadata.annotations.deployment\\.kubernetes\\.io/desired-replicas", num);
	snprintf(num, sizeof(num), "%lld", (long long)(s->replicas + s->surge));
	json_set_str(rs, "metadata.annotations.deployment\\.kubernetes\\.io/max-replicas", num);
	cJSON_AddItemToArray(refs, ctrl_owner_ref(s->d));
	json_set(rs, "metadata.ownerReferences", refs);
	json_set_int(rs, "spec.replicas", n);
	json_set(rs, "spec.selector", json_dup(json_get(s->d, "spec.selector")));
	json_set_str(rs, "spec.selector.matchLabels.pod-template-hash", s->hash);
	json_set(rs, "spec.template", json_dup(json_get(s->d, "spec.template")));
	json_set_str(rs, "spec.template.metadata.labels.pod-template-hash", s->hash);
	if (json_get(s->d, "spec.minReadySeconds"))
		json_set(rs, "spec.minReadySeconds",
			 json_dup(json_get(s->d, "spec.minReadySeconds")));
	snprintf(path, sizeof(path), "/apis/apps/v1/namespaces/%s/replicasets", ns);
	if (ctrl_call(c, CTRL_USER_CM, "POST", path, rs, NULL) == 201) {
		snprintf(s->created, sizeof(s->created), "%s", name);
		snprintf(msg, sizeof(msg), "Scaled up replica set %s from 0 to %lld",
			 name, (long long)n);
		ctrl_event(c, D_COMPONENT, CTRL_USER_CM, s->d, "Normal",
			   "ScalingReplicaSet", "Scale", msg);
	}
	cJSON_Delete(rs);
}

/*
 * The current ReplicaSet follows the Deployment's annotations and, after
 * a rollback to its template, takes the next revision: one PUT for both.
 */
static void update_current(struct ctrl *c, struct dstate *s)
{
	int64_t m = max_revision(s);
	cJSON *r = json_dup(s->cur);
	bool changed = copy_annotations(s->d, r);
	char num[32];

	if (revision(s->cur) != m) {
		snprintf(num, sizeof(num), "%lld", (long long)m + 1);
		json_set_str(r, ANN_REV_PATH, num);
		changed = true;
	}
	if (changed)
		put_rs(c, r);
	cJSON_Delete(r);
}

static int64_t sum(const struct dstate *s, const char *path, bool old_only)
{
	int64_t t = 0;

	for (size_t i = 0; i < s->nrs; i++)
		if (!old_only || s->rs[i] != s->cur)
			t += rs_int(s->rs[i], path);
	return t;
}

static void rolling(struct ctrl *c, struct dstate *s)
{
	int64_t total = sum(s, "spec.replicas", false);
	int64_t cur = rs_int(s->cur, "spec.replicas");
	int64_t allowed = s->replicas + s->surge;
	int64_t avail = sum(s, "status.availableReplicas", false);
	int64_t drop = avail - (s->replicas - s->unavail);

	if (cur > s->replicas)
		scale_rs(c, s, s->cur, s->replicas);
	else if (cur < s->replicas && total < allowed)
		scale_rs(c, s, s->cur,
			 cur + allowed - total < s->replicas ? cur + allowed - total
							      : s->replicas);
	for (size_t i = 0; i < s->nrs; i++) {
		const cJSON *rs = s->rs[i];
		int64_t spec = rs_int(rs, "spec.replicas");
		int64_t unhealthy = spec - rs_int(rs, "status.availableReplicas");
		int64_t take;

		if (rs == s->cur || spec == 0)
			continue;
		if (unhealthy < 0)
			unhealthy = 0;
		take = unhealthy + (drop > 0 ? drop : 0);
		if (take > spec)
			take = spec;
		if (take > unhealthy)
			drop -= take - unhealthy;
		if (take > 0)
			scale_rs(c, s, rs, spec - take);
	}
}

/* An active ReplicaSet's desired-replicas is not spec.replicas. */
static bool scaling_event(const struct dstate *s)
{
	for (size_t i = 0; i < s->nrs; i++) {
		int64_t want = ann_num(s->rs[i], ANN_DESIRED);

		if (rs_int(s->rs[i], "spec.replicas") > 0 && want >= 0 &&
		    want != s->replicas)
			return true;
	}
	return false;
}

/* Bigger first; equal sizes: newer first (up) or older first (down). */
static bool scale_before(const cJSON *a, const cJSON *b, bool up)
{
	int64_t x = rs_int(a, "spec.replicas"), y = rs_int(b, "spec.replicas");
	int c;

	if (x != y)
		return x > y;
	c = strcmp(json_get_str(a, "metadata.creationTimestamp") ?: "",
		   json_get_str(b, "metadata.creationTimestamp") ?: "");
	if (!c)
		c = strcmp(json_get_str(a, "metadata.name") ?: "",
			   json_get_str(b, "metadata.name") ?: "");
	return up ? c > 0 : c < 0;
}

/* The size change of rs's share (getReplicaSetFraction). */
static int64_t fraction(const struct dstate *s, const cJSON *rs)
{
	int64_t spec = rs_int(rs, "spec.replicas");
	int64_t before = ann_num(rs, ANN_MAX);
	double size;

	if (s->replicas == 0)
		return -spec;
	if (before <= 0)
		before = rs_int(s->d, "status.replicas");
	if (before <= 0)
		return 0;
	size = (double)spec * (double)(s->replicas + s->surge) / (double)before;
	return (int64_t)(size + 0.5) - spec;
}

/* Share add (> 0 or < 0) among the active ReplicaSets v[0..n) (scale()). */
static void share(struct ctrl *c, struct dstate *s, cJSON **v, size_t n,
		  int64_t add)
{
	int64_t added = 0, size[256];
	bool up = add > 0;

	for (size_t i = 1; i < n; i++)	/* insertion sort, n is small */
		for (size_t j = i; j > 0 && scale_before(v[j], v[j - 1], up); j--) {
			cJSON *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		int64_t p = 0, allowed = add - added;

		if (add && added != add && rs_int(v[i], "spec.replicas")) {
			p = fraction(s, v[i]);
			p = up ? (p < allowed ? p : allowed) : (p > allowed ? p : allowed);
		}
		size[i] = rs_int(v[i], "spec.replicas") + p;
		added += p;
	}
	if (n && add) {
		size[0] += add - added;
		if (size[0] < 0)
			size[0] = 0;
	}
	for (size_t i = 0; i < n; i++)
		scale_rs_op(c, s, v[i], size[i], up ? "up" : "down");
}

/* A scaling event: the real controller's scale(). */
static void proportional(struct ctrl *c, struct dstate *s)
{
	cJSON *active[256];
	size_t n = 0;
	int64_t total = 0;

	for (size_t i = 0; i < s->nrs; i++)
		if (rs_int(s->rs[i], "spec.replicas") > 0) {
			active[n++] = s->rs[i];
			total += rs_int(s->rs[i], "spec.replicas");
		}
	if (n == 0 && s->nrs) {	/* none active: the newest takes it */
		active[n++] = s->cur;
		for (size_t i = 0; !s->cur && i < s->nrs; i++)
			if (!active[0] || revision(s->rs[i]) > revision(active[0]))
				active[0] = s->rs[i];
	}
	if (n <= 1) {
		if (n)
			scale_rs(c, s, active[0], s->replicas);
		return;
	}
	if (s->cur && ann_num(s->cur, ANN_DESIRED) == s->replicas &&
	    rs_int(s->cur, "spec.replicas") == s->replicas &&
	    rs_int(s->cur, "status.availableReplicas") == s->replicas) {
		for (size_t i = 0; i < n; i++)
			if (active[i] != s->cur)
				scale_rs(c, s, active[i], 0);
		return;
	}
	if (strcmp(json_get_str(s->d, "spec.strategy.type") ?: "", "Recreate"))
		share(c, s, active, n,
		      (s->replicas > 0 ? s->replicas + s->surge : 0) - total);
}

static void recreate(struct ctrl *c, struct dstate *s)
{
	bool old_gone = true;

	for (size_t i = 0; i < s->nrs; i++) {
		if (s->rs[i] == s->cur)
			continue;
		scale_rs(c, s, s->rs[i], 0);
		if (rs_int(s->rs[i], "status.replicas") > 0 ||
		    rs_int(s->rs[i], "spec.replicas") > 0)
			old_gone = false;
	}
	if (old_gone)
		scale_rs(c, s, s->cur, s->replicas);
}

static cJSON *cond_st(const cJSON *old, const char *type, const char *status,
		      const char *reason, const char *msg, const char *now)
{
	cJSON *c = cJSON_CreateObject();
	const cJSON *o;
	const char *since = now;

	cJSON_ArrayForEach(o, json_get(old, "status.conditions"))
		if (!strcmp(json_get_str(o, "type") ?: "", type) &&
		    !strcmp(json_get_str(o, "status") ?: "", status) &&
		    json_get_str(o, "lastTransitionTime"))
			since = json_get_str(o, "lastTransitionTime");
	cJSON_AddStringToObject(c, "type", type);
	cJSON_AddStringToObject(c, "status", status);
	cJSON_AddStringToObject(c, "lastUpdateTime", now);
	cJSON_AddStringToObject(c, "lastTransitionTime", since);
	cJSON_AddStringToObject(c, "reason", reason);
	cJSON_AddStringToObject(c, "message", msg);
	return c;
}

static cJSON *cond(const cJSON *old, const char *type, bool ok,
		   const char *reason, const char *msg, const char *now)
{
	return cond_st(old, type, ok ? "True" : "False", reason, msg, now);
}

static int64_t st_int(const cJSON *st, const char *key)
{
	int64_t v = 0;

	json_get_int(st, key, &v);
	return v;
}

/* The rollout moved since the status last written (DeploymentProgressing). */
static bool moved(const struct dstate *s, const cJSON *st, const cJSON *old_cond)
{
	const cJSON *old = json_get(s->d, "status");
	static const char *const up[] = { "updatedReplicas", "readyReplicas",
					  "availableReplicas" };
	const char *name = s->cur ? json_get_str(s->cur, "metadata.name") : NULL;
	char quoted[300];

	for (size_t i = 0; i < sizeof(up) / sizeof(up[0]); i++)
		if (st_int(st, up[i]) > st_int(old, up[i]))
			return true;
	if (st_int(st, "replicas") - st_int(st, "updatedReplicas") <
	    st_int(old, "replicas") - st_int(old, "updatedReplicas"))
		return true;
	snprintf(quoted, sizeof(quoted), "\"%s\"", name ?: "");
	return name && !strstr(json_get_str(old_cond, "message") ?: "", quoted);
}

/* The Progressing condition of this pass (see the note at the top). */
static cJSON *progressing(const struct dstate *s, const cJSON *st, bool done,
			  const char *now)
{
	const cJSON *old = ctrl_condition(s->d, "Progressing");
	const char *was = json_get_str(old, "reason") ?: "";
	const char *name = s->cur ? json_get_str(s->cur, "metadata.name") : "";
	int64_t deadline = -1;
	char msg[400];

	if (json_get_bool(s->d, "spec.paused", false))
		return strcmp(was, "DeploymentPaused")
			? cond_st(s->d, "Progressing", "Unknown", "DeploymentPaused",
				  "Deployment is paused", now)
			: json_dup(old);
	if (!strcmp(was, "DeploymentPaused"))
		return cond_st(s->d, "Progressing", "Unknown", "DeploymentResumed",
			       "Deployment is resumed", now);
	if (s->created[0]) {
		snprintf(msg, sizeof(msg), "Created new replica set \"%s\"", s->created);
		return cond(s->d, "Progressing", true, "NewReplicaSetCreated", msg, now);
	}
	if (done) {
		snprintf(msg, sizeof(msg), "ReplicaSet \"%s\" has successfully progressed.", name);
		return cond(s->d, "Progressing", true, "NewReplicaSetAvailable", msg, now);
	}
	if (!old && s->cur) {
		snprintf(msg, sizeof(msg), "Found new replica set \"%s\"", name);
		return cond(s->d, "Progressing", true, "FoundNewReplicaSet", msg, now);
	}
	snprintf(msg, sizeof(msg), "ReplicaSet \"%s\" is progressing.", name);
	if (!old || moved(s, st, old))
		return cond(s->d, "Progressing", true, "ReplicaSetUpdated", msg, now);
	json_get_int(s->d, "spec.progressDeadlineSeconds", &deadline);
	if (!strcmp(was, "ProgressDeadlineExceeded") ||
	    (deadline >= 0 && strcmp(was, "NewReplicaSetAvailable") &&
	     ctrl_time(old, "lastUpdateTime") + deadline < (int64_t)time(NULL))) {
		snprintf(msg, sizeof(msg), "ReplicaSet \"%s\" has timed out progressing.", name);
		return cond(s->d, "Progressing", false, "ProgressDeadlineExceeded", msg, now);
	}
	return json_dup(old);
}

/* Keep lastUpdateTime of a condition whose reason/message did not change. */
static void keep_times(cJSON *st, const cJSON *old)
{
	cJSON *c;
	const cJSON *o;

	cJSON_ArrayForEach(c, json_get(st, "conditions"))
		cJSON_ArrayForEach(o, json_get(old, "status.conditions"))
			if (!strcmp(json_get_str(o, "type") ?: "", json_get_str(c, "type")) &&
			    !strcmp(json_get_str(o, "reason") ?: "", json_get_str(c, "reason")) &&
			    !strcmp(json_get_str(o, "message") ?: "", json_get_str(c, "message")) &&
			    json_get(o, "lastUpdateTime"))
				json_set(c, "lastUpdateTime",
					 json_dup(json_get(o, "lastUpdateTime")));
}

static void write_status(struct ctrl *c, struct dstate *s)
{
	struct ktime t = ktime_now();
	char now[KTIME_STR_MAX], path[320];
	int64_t repl = sum(s, "status.replicas", false);
	int64_t upd = s->cur ? rs_int(s->cur, "status.replicas") : 0;
	int64_t ready = sum(s, "status.readyReplicas", false);
	int64_t avail = sum(s, "status.availableReplicas", false);
	bool done = s->cur && upd == s->replicas && avail == s->replicas &&
		    repl == s->replicas;
	cJSON *st = cJSON_CreateObject(), *conds = cJSON_CreateArray(), *d;

	ktime_format(&t, now);
	json_set_int(st, "observedGeneration", rs_int(s->d, "metadata.generation"));
	json_set_int(st, "replicas", repl);
	json_set_int(st, "updatedReplicas", upd);
	if (ready)
		json_set_int(st, "readyReplicas", ready);
	if (avail)
		json_set_int(st, "availableReplicas", avail);
	if (s->replicas - avail > 0)
		json_set_int(st, "unavailableReplicas", s->replicas - avail);
	cJSON_AddItemToArray(conds, avail >= s->replicas - s->unavail
		? cond(s->d, "Available", true, "MinimumReplicasAvailable",
		       "Deployment has minimum availability.", now)
		: cond(s->d, "Available", false, "MinimumReplicasUnavailable",
		       "Deployment does not have minimum availability.", now));
	json_set(st, "conditions", conds);
	keep_times(st, s->d);
	cJSON_AddItemToArray(conds, progressing(s, st, done, now));
	if (json_equal(st, json_get(s->d, "status"))) {
		cJSON_Delete(st);
		return;
	}
	d = json_dup(s->d);
	json_set(d, "status", st);
	snprintf(path, sizeof(path),
		 "/apis/apps/v1/namespaces/%s/deployments/%s/status",
		 json_get_str(d, "metadata.namespace"),
		 json_get_str(d, "metadata.name"));
	ctrl_call(c, CTRL_USER_CM, "PUT", path, d, NULL);
	cJSON_Delete(d);
}

static int cmp_rev(const void *a, const void *b)
{
	int64_t x = revision(*(cJSON *const *)a), y = revision(*(cJSON *const *)b);

	return x < y ? -1 : x > y;
}

/* Delete the oldest idle old ReplicaSets beyond revisionHistoryLimit. */
static void cleanup(struct ctrl *c, struct dstate *s)
{
	int64_t limit = 10, idle = 0;
	cJSON *v[256];
	char path[320];

	json_get_int(s->d, "spec.revisionHistoryLimit", &limit);
	for (size_t i = 0; i < s->nrs; i++)
		if (s->rs[i] != s->cur && rs_int(s->rs[i], "spec.replicas") == 0 &&
		    rs_int(s->rs[i], "status.replicas") == 0)
			v[idle++] = s->rs[i];
	qsort(v, (size_t)idle, sizeof(v[0]), cmp_rev);
	for (int64_t i = 0; i < idle - limit; i++) {
		snprintf(path, sizeof(path),
			 "/apis/apps/v1/namespaces/%s/replicasets/%s",
			 json_get_str(v[i], "metadata.namespace"),
			 json_get_str(v[i], "metadata.name"));
		ctrl_call(c, CTRL_USER_CM, "DELETE", path, NULL, NULL);
	}
}

/* Mirror the new ReplicaSet's revision on the Deployment. */
static void sync_revision(struct ctrl *c, struct dstate *s)
{
	const char *want = json_get_str(s->cur, ANN_REV_PATH);
	const char *have = json_get_str(s->d, ANN_REV_PATH);
	char path[320];
	cJSON *d;

	if (!want || (have && !strcmp(have, want)))
		return;
	d = json_dup(s->d);
	json_set_str(d, ANN_REV_PATH, want);
	snprintf(path, sizeof(path),
		 "/apis/apps/v1/namespaces/%s/deployments/%s",
		 json_get_str(d, "metadata.namespace"),
		 json_get_str(d, "metadata.name"));
	ctrl_call(c, CTRL_USER_CM, "PUT", path, d, NULL);
	cJSON_Delete(d);
}

static void deploy_one(struct ctrl *c, const cJSON *d, const cJSON *rss)
{
	struct dstate *s = xcalloc(1, sizeof(*s));
	const cJSON *ru = json_get(d, "spec.strategy.rollingUpdate");
	bool recreate_strategy =
	    !strcmp(json_get_str(d, "spec.strategy.type") ?: "", "Recreate");
	bool paused = json_get_bool(d, "spec.paused", false);

	s->d = d;
	s->replicas = 1;
	json_get_int(d, "spec.replicas", &s->replicas);
	s->surge = int_or_pct(json_obj(ru, "maxSurge"), s->replicas, 25, true);
	s->unavail = int_or_pct(json_obj(ru, "maxUnavailable"), s->replicas, 25, false);
	if (s->surge == 0 && s->unavail == 0)
		s->unavail = 1;
	if (recreate_strategy)
		s->surge = 0, s->unavail = s->replicas;
	template_hash(json_get(d, "spec.template"), s->hash);
	collect(s, rss);
	/* paused: no new ReplicaSet and no rollout; scaling and status */
	if (paused || scaling_event(s)) {
		proportional(c, s);
		if (paused)
			cleanup(c, s);
	} else if (!s->cur) {
		bool first = s->nrs == 0;

		create_new_rs(c, s, recreate_strategy && !first ? 0
			      : first ? s->replicas
			      : (s->surge < s->replicas ? s->surge : s->replicas));
	} else {
		update_current(c, s);
		sync_revision(c, s);
		if (recreate_strategy)
			recreate(c, s);
		else
			rolling(c, s);
		cleanup(c, s);
	}
	write_status(c, s);
	free(s);
}

void deploy_sync(struct ctrl *c, const cJSON *deps, const cJSON *rss)
{
	const cJSON *d;

	cJSON_ArrayForEach(d, deps)
		if (!json_get(d, "metadata.deletionTimestamp"))
			deploy_one(c, d, rss);
}
