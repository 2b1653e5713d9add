/* SPDX-License-Identifier: Apache-2.0 */
/*
 * overview: counts and health per kind (`:overview`, `:ov`).
 *
 * Pure builder: from plural -> arrays of full objects (one round of
 * SRC_GET_LIST, see view_lines.c) come one summary line per kind and,
 * indented under it, the objects that need attention: pods that failed,
 * are pending or not ready; workloads with fewer ready than desired;
 * failed jobs; services whose selector matches no endpoint; pending
 * PVCs; nodes NotReady or cordoned.  Then the last OVERVIEW_EVENTS
 * Warning events, newest first.  Each line carries the kind to open on
 * Enter and a table filter (the object's name, or a status word).  The
 * view watches full objects (objset: the source's informers in Table
 * form with the objects, shared with table views of the same kind and
 * namespace) and rebuilds, coalesced, when they change.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/mem.h"
#include "tui/tui.h"

#define OVERVIEW_EVENTS 10
#define OVERVIEW_PROBLEMS 8	/* problem objects listed per kind */

const char *const overview_plurals[] = {
	"nodes", "pods", "deployments", "statefulsets", "daemonsets", "jobs",
	"services", "endpointslices", "persistentvolumeclaims", "events", NULL,
};

static long long num(const cJSON *o, const char *path)
{
	int64_t v = 0;

	return json_get_int(o, path, &v) < 0 ? 0 : (long long)v;
}

static const char *str(const cJSON *o, const char *path)
{
	const char *s = json_get_str(o, path);

	return s ? s : "";
}

/* "ns/name" when listing all namespaces, else "name". */
static void ident(const cJSON *o, const char *ns, char *buf, size_t n)
{
	if (ns[0] || !str(o, "metadata.namespace")[0])
		snprintf(buf, n, "%s", str(o, "metadata.name"));
	else
		snprintf(buf, n, "%s/%s", str(o, "metadata.namespace"),
			 str(o, "metadata.name"));
}

/* A problem line under a summary: Enter filters plural by the name. */
static void problem(struct vec *out, int *shown, const char *plural,
		    const cJSON *o, const char *ns, const char *why)
{
	char id[400];

	if ((*shown)++ == OVERVIEW_PROBLEMS) {
		vec_push(out, ui_line_new(TS_HINT, NULL, NULL, NULL, NULL, "    ..."));
		return;
	}
	if (*shown > OVERVIEW_PROBLEMS)
		return;
	ident(o, ns, id, sizeof(id));
	vec_push(out, ui_line_new(TS_STATUS_WARN, plural, str(o, "metadata.namespace"),
				  str(o, "metadata.name"), str(o, "metadata.name"),
				  "    ! %-40s %s", id, why));
}

/* Why a pod needs attention ("" when it does not). */
static void pod_trouble(const cJSON *p, char *why, size_t n, long long *restarts,
			int *notready)
{
	const char *phase = str(p, "status.phase");
	const cJSON *cs;
	const char *reason = "";

	*notready = 0;
	cJSON_ArrayForEach(cs, json_get(p, "status.containerStatuses")) {
		*restarts += num(cs, "restartCount");
		if (!json_get_bool(cs, "ready", false))
			*notready = 1;
		if (!reason[0] && json_get_str(cs, "state.waiting.reason"))
			reason = json_get_str(cs, "state.waiting.reason");
		if (!reason[0] && json_get_str(cs, "state.terminated.reason"))
			reason = json_get_str(cs, "state.terminated.reason");
	}
	why[0] = '\0';
	if (!strcmp(phase, "Succeeded"))
		return;
	if (!strcmp(phase, "Failed") || !strcmp(phase, "Pending") || *notready || reason[0])
		snprintf(why, n, "%s%s%s%s", phase[0] ? phase : "Unknown",
			 reason[0] ? " (" : "", reason, reason[0] ? ")" : "");
	if (why[0] && !strcmp(phase, "Running") && !reason[0])
		snprintf(why, n, "Running, not ready");
}

static void pods(const cJSON *objs, const char *ns, struct vec *out)
{
	static const char *const phases[] = { "Running", "Pending", "Failed", "Succeeded" };
	long long count[4] = { 0 }, restarts = 0, notready = 0;
	const cJSON *p;
	struct vec probs = VEC_INIT;
	int shown = 0, total = 0;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(objs, "pods")) {
		char why[200];
		int nr;

		total++;
		for (int i = 0; i < 4; i++)
			count[i] += !strcmp(str(p, "status.phase"), phases[i]);
		pod_trouble(p, why, sizeof(why), &restarts, &nr);
		notready += nr && strcmp(str(p, "status.phase"), "Succeeded");
		if (why[0])
			problem(&probs, &shown, "pods", p, ns, why);
	}
	vec_push(out, ui_line_new(count[2] || notready ? TS_STATUS_WARN : TS_STATUS_OK,
				  "pods", NULL, NULL, NULL,
				  "Pods            %d: %lld Running, %lld Pending, %lld Failed, "
				  "%lld Succeeded; %lld restarts, %lld not ready", total,
				  count[0], count[1], count[2], count[3], restarts, notready));
	for (size_t i = 0; i < probs.len; i++)
		vec_push(out, probs.items[i]);
	vec_free(&probs, NULL);
}

/* Workloads: ready vs desired at paths of the kind. */
static const struct {
	const char *plural, *label, *ready, *desired;
} workloads[] = {
	{ "deployments", "Deployments", "status.readyReplicas", "spec.replicas" },
	{ "statefulsets", "StatefulSets", "status.readyReplicas", "spec.replicas" },
	{ "daemonsets", "DaemonSets", "status.numberReady", "status.desiredNumberScheduled" },
};

static void workload(const cJSON *objs, const char *ns, size_t w, struct vec *out)
{
	const cJSON *o, *all = cJSON_GetObjectItem(objs, workloads[w].plural);
	struct vec probs = VEC_INIT;
	int shown = 0, total = 0, bad = 0;

	if (!all)
		return;
	cJSON_ArrayForEach(o, all) {
		long long ready = num(o, workloads[w].ready);
		long long want = json_get(o, workloads[w].desired) ?
			num(o, workloads[w].desired) : 1;
		char why[64];

		total++;
		if (ready >= want)
			continue;
		bad++;
		snprintf(why, sizeof(why), "ready %lld/%lld", ready, want);
		problem(&probs, &shown, workloads[w].plural, o, ns, why);
	}
	vec_push(out, ui_line_new(bad ? TS_STATUS_WARN : TS_STATUS_OK, workloads[w].plural,
				  NULL, NULL, NULL, "%-15s %d: %d ready, %d unavailable",
				  workloads[w].label, total, total - bad, bad));
	for (size_t i = 0; i < probs.len; i++)
		vec_push(out, probs.items[i]);
	vec_free(&probs, NULL);
}

static void jobs(const cJSON *objs, const char *ns, struct vec *out)
{
	const cJSON *j, *all = cJSON_GetObjectItem(objs, "jobs");
	struct vec probs = VEC_INIT;
	int shown = 0, total = 0, active = 0, failed = 0, done = 0;

	if (!all)
		return;
	cJSON_ArrayForEach(j, all) {
		const cJSON *c;
		int f = 0;

		total++;
		active += num(j, "status.active") > 0;
		cJSON_ArrayForEach(c, json_get(j, "status.conditions"))
			if (!strcmp(str(c, "type"), "Failed") && !strcmp(str(c, "status"), "True"))
				f = 1;
		done += !f && num(j, "status.succeeded") > 0 && !num(j, "status.active");
		if (f) {
			failed++;
			problem(&probs, &shown, "jobs", j, ns, "Failed");
		}
	}
	vec_push(out, ui_line_new(failed ? TS_STATUS_WARN : TS_STATUS_OK, "jobs", NULL,
				  NULL, NULL, "Jobs            %d: %d active, %d failed, %d complete",
				  total, active, failed, done));
	for (size_t i = 0; i < probs.len; i++)
		vec_push(out, probs.items[i]);
	vec_free(&probs, NULL);
}

/* Has service svc at least one endpoint address in a slice? */
static int has_endpoints(const cJSON *slices, const cJSON *svc)
{
	const cJSON *sl;

	cJSON_ArrayForEach(sl, slices) {
		const cJSON *ep;

		if (strcmp(str(sl, "metadata.namespace"), str(svc, "metadata.namespace")) ||
		    strcmp(str(sl, "metadata.labels.kubernetes\\.io/service-name"),
			   str(svc, "metadata.name")))
			continue;
		cJSON_ArrayForEach(ep, cJSON_GetObjectItem(sl, "endpoints"))
			if (cJSON_GetArraySize(cJSON_GetObjectItem(ep, "addresses")))
				return 1;
	}
	return 0;
}

static void services(const cJSON *objs, const char *ns, struct vec *out)
{
	const cJSON *s, *all = cJSON_GetObjectItem(objs, "services");
	const cJSON *slices = cJSON_GetObjectItem(objs, "endpointslices");
	struct vec probs = VEC_INIT;
	int shown = 0, total = 0, bad = 0;

	if (!all)
		return;
	cJSON_ArrayForEach(s, all) {
		total++;
		/* No selector (or ExternalName): endpoints are someone else's. */
		if (!cJSON_GetArraySize(json_get(s, "spec.selector")) ||
		    !strcmp(str(s, "spec.type"), "ExternalName") || has_endpoints(slices, s))
			continue;
		bad++;
		problem(&probs, &shown, "services", s, ns, "no endpoints");
	}
	vec_push(out, ui_line_new(bad ? TS_STATUS_WARN : TS_STATUS_OK, "services", NULL,
				  NULL, NULL, "Services        %d: %d without endpoints",
				  total, bad));
	for (size_t i = 0; i < probs.len; i++)
		vec_push(out, probs.items[i]);
	vec_free(&probs, NULL);
}

static void pvcs(const cJSON *objs, const char *ns, struct vec *out)
{
	const cJSON *p, *all = cJSON_GetObjectItem(objs, "persistentvolumeclaims");
	struct vec probs = VEC_INIT;
	int shown = 0, total = 0, bad = 0;

	if (!all)
		return;
	cJSON_ArrayForEach(p, all) {
		total++;
		if (strcmp(str(p, "status.phase"), "Pending"))
			continue;
		bad++;
		problem(&probs, &shown, "persistentvolumeclaims", p, ns, "Pending");
	}
	vec_push(out, ui_line_new(bad ? TS_STATUS_WARN : TS_STATUS_OK,
				  "persistentvolumeclaims", NULL, NULL, NULL,
				  "PVCs            %d: %d Pending", total, bad));
	for (size_t i = 0; i < probs.len; i++)
		vec_push(out, probs.items[i]);
	vec_free(&probs, NULL);
}

static void nodes(const cJSON *objs, struct vec *out)
{
	const cJSON *n, *all = cJSON_GetObjectItem(objs, "nodes");
	struct vec probs = VEC_INIT;
	int shown = 0, ready = 0, notready = 0, cordoned = 0;

	if (!all)
		return;
	cJSON_ArrayForEach(n, all) {
		const cJSON *c;
		int r = 0, cord = json_get_bool(n, "spec.unschedulable", false);

		cJSON_ArrayForEach(c, json_get(n, "status.conditions"))
			if (!strcmp(str(c, "type"), "Ready"))
				r = !strcmp(str(c, "status"), "True");
		ready += r;
		notready += !r;
		cordoned += cord;
		if (!r || cord)
			problem(&probs, &shown, "nodes", n, "", !r && cord ?
				"NotReady, cordoned" : !r ? "NotReady" : "cordoned");
	}
	vec_push(out, ui_line_new(notready ? TS_STATUS_BAD : cordoned ? TS_STATUS_WARN :
				  TS_STATUS_OK, "nodes", NULL, NULL, NULL,
				  "Nodes           %d: %d Ready, %d NotReady, %d cordoned",
				  ready + notready, ready, notready, cordoned));
	for (size_t i = 0; i < probs.len; i++)
		vec_push(out, probs.items[i]);
	vec_free(&probs, NULL);
}

/* The time an event last happened (RFC 3339 strings sort as text). */
static const char *event_time(const cJSON *ev)
{
	const char *t = json_get_str(ev, "lastTimestamp");

	if (!t || !t[0])
		t = json_get_str(ev, "eventTime");
	if (!t || !t[0])
		t = json_get_str(ev, "metadata.creationTimestamp");
	return t ? t : "";
}

static int newest_first(const void *a, const void *b)
{
	return strcmp(event_time(*(const cJSON *const *)b),
		      event_time(*(const cJSON *const *)a));
}

static void warnings(const cJSON *objs, struct vec *out)
{
	const cJSON *ev;
	struct vec w = VEC_INIT;

	cJSON_ArrayForEach(ev, cJSON_GetObjectItem(objs, "events"))
		if (!strcmp(str(ev, "type"), "Warning"))
			vec_push(&w, (void *)ev);
	if (w.len)
		qsort(w.items, w.len, sizeof(void *), newest_first);
	vec_push(out, ui_line_new(w.len ? TS_STATUS_WARN : TS_STATUS_OK, "events", NULL,
				  NULL, "Warning", "Warning events  %zu%s", w.len,
				  w.len > OVERVIEW_EVENTS ? " (the last 10)" : ""));
	for (size_t i = 0; i < w.len && i < OVERVIEW_EVENTS; i++) {
		const cJSON *e = w.items[i];

		vec_push(out, ui_line_new(TS_STATUS_WARN, "events", str(e, "metadata.namespace"),
					  str(e, "metadata.name"), str(e, "involvedObject.name"),
					  "    %-20.20s %s/%s: %s", str(e, "reason"),
					  str(e, "involvedObject.kind"),
					  str(e, "involvedObject.name"), str(e, "message")));
	}
	vec_free(&w, NULL);
}

void overview_build(const cJSON *objs, const cJSON *errs, const char *ns,
		    struct vec *out)
{
	const cJSON *err;

	vec_push(out, ui_line_new(TS_HEADER_VALUE, NULL, NULL, NULL, NULL,
				  "Overview of %s%s", ns[0] ? "namespace " : "all namespaces",
				  ns));
	cJSON_ArrayForEach(err, errs)
		vec_push(out, ui_line_new(TS_ERROR, NULL, NULL, NULL, NULL, "%s: %s",
					  err->string, cJSON_GetStringValue(err)));
	nodes(objs, out);
	if (cJSON_GetObjectItem(objs, "pods"))
		pods(objs, ns, out);
	for (size_t w = 0; w < sizeof(workloads) / sizeof(workloads[0]); w++)
		workload(objs, ns, w, out);
	jobs(objs, ns, out);
	services(objs, ns, out);
	pvcs(objs, ns, out);
	if (cJSON_GetObjectItem(objs, "events"))
		warnings(objs, out);
}

/* ---------------------------------------------------------------- view */

struct ov_ctx {
	struct app *a;
};

static void ov_build(void *ctx, const cJSON *objs, const cJSON *errs, struct vec *out)
{
	struct ov_ctx *c = ctx;

	overview_build(objs, errs, c->a->ns, out);
}

/* Enter: that kind's table, filtered by the line's object or status. */
static enum view_rc ov_key(void *ctx, struct app *a, struct view *v,
			   const struct ui_line *sel, const cJSON *objs,
			   enum act act, int key)
{
	struct view *t;

	(void)ctx;
	(void)v;
	(void)objs;
	(void)key;
	if (act != ACT_ENTER)
		return VIEW_IGNORED;
	if (!sel || !sel->plural)
		return VIEW_HANDLED;
	if (app_open_kind(a, sel->plural) < 0)
		return VIEW_HANDLED;
	t = app_top(a);
	if (sel->arg && t->cls->filter)
		t->cls->filter(t, a, sel->arg);
	return VIEW_HANDLED;
}

static const enum act ov_acts[] = { ACT_ENTER, ACT_NONE };

struct view *view_overview_new(struct app *a)
{
	struct lines_spec sp = { .follow_ns = 1, .acts = ov_acts,
				 .build = ov_build, .key = ov_key, .free = free };
	struct ov_ctx *c = xcalloc(1, sizeof(*c));
	size_t i;

	c->a = a;
	sp.ctx = c;
	snprintf(sp.title, sizeof(sp.title), "overview");
	snprintf(sp.ns, sizeof(sp.ns), "%s", a->ns);
	for (i = 0; overview_plurals[i] && i < LINES_MAX_KINDS; i++)
		sp.plurals[i] = overview_plurals[i];
	sp.plurals[i] = NULL;
	return view_lines_new(a, &sp);
}
