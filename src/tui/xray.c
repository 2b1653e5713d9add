/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xray: the owner tree of one object, as lines of text (issue #8).
 *
 * Pure: the caller hands in the root object and, per resource plural, a
 * cJSON array of full objects of the root's namespace; out come the tree
 * lines with glyphs (├─ └─ │).  Workloads own their children through
 * ownerReferences with controller=true (matched by uid, else kind+name):
 * Deployment -> ReplicaSets -> Pods, CronJob -> Jobs -> Pods, and
 * StatefulSet, DaemonSet, ReplicaSet, Job -> Pods.  A Service shows its
 * EndpointSlices (label kubernetes.io/service-name) and, under each, the
 * endpoints' target pods with ready / not ready.  Pods end in their
 * containers with state and restart count.  Objects nobody owns are not
 * shown.  Children are sorted by name so the tree is stable.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/mem.h"
#include "tui/tui.h"

struct xray_kind {
	const char *plural, *kind;
	const char *children[2];	/* owned plurals (NULL-terminated) */
};

static const struct xray_kind xray_kinds_tab[] = {
	{ "deployments", "Deployment", { "replicasets", NULL } },
	{ "replicasets", "ReplicaSet", { "pods", NULL } },
	{ "statefulsets", "StatefulSet", { "pods", NULL } },
	{ "daemonsets", "DaemonSet", { "pods", NULL } },
	{ "cronjobs", "CronJob", { "jobs", NULL } },
	{ "jobs", "Job", { "pods", NULL } },
	{ "services", "Service", { "endpointslices", NULL } },
	{ "endpointslices", "EndpointSlice", { NULL } },
	{ "pods", "Pod", { NULL } },
};

#define NKINDS (sizeof(xray_kinds_tab) / sizeof(xray_kinds_tab[0]))

static const struct xray_kind *kind_of(const char *plural)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (!strcmp(xray_kinds_tab[i].plural, plural))
			return &xray_kinds_tab[i];
	return NULL;
}

int xray_supported(const char *plural)
{
	const struct xray_kind *k = kind_of(plural);

	return k && strcmp(plural, "pods") && strcmp(plural, "endpointslices");
}

size_t xray_needed(const char *plural, const char **out, size_t max)
{
	size_t n = 0;

	for (const struct xray_kind *k = kind_of(plural); k && n < max;) {
		if (!k->children[0])
			break;
		out[n++] = k->children[0];
		k = kind_of(k->children[0]);
	}
	if (n && !strcmp(out[n - 1], "endpointslices") && n < max)
		out[n++] = "pods";
	return n;
}

void xray_line_free(void *p)
{
	struct xray_line *l = p;

	if (!l)
		return;
	free(l->text);
	free(l->plural);
	free(l->ns);
	free(l->name);
	free(l);
}

static const char *name_of(const cJSON *o)
{
	const char *s = json_get_str(o, "metadata.name");

	return s ? s : "";
}

static long long num(const cJSON *o, const char *path)
{
	int64_t v = 0;

	return json_get_int(o, path, &v) < 0 ? 0 : (long long)v;
}

/* The short status after kind/name. */
static char *status_of(const char *plural, const cJSON *o)
{
	if (!strcmp(plural, "pods")) {
		const cJSON *cs;
		long long ready = 0, total = 0;

		cJSON_ArrayForEach(cs, json_get(o, "status.containerStatuses")) {
			total++;
			ready += json_get_bool(cs, "ready", false);
		}
		if (!total)
			total = cJSON_GetArraySize(json_get(o, "spec.containers"));
		return xasprintf("%s %lld/%lld", json_get_str(o, "status.phase") ?
				 json_get_str(o, "status.phase") : "Pending",
				 ready, total);
	}
	if (!strcmp(plural, "daemonsets"))
		return xasprintf("ready %lld/%lld", num(o, "status.numberReady"),
				 num(o, "status.desiredNumberScheduled"));
	if (!strcmp(plural, "jobs"))
		return xasprintf("succeeded %lld/%lld, active %lld",
				 num(o, "status.succeeded"),
				 json_get(o, "spec.completions") ?
				 num(o, "spec.completions") : 1,
				 num(o, "status.active"));
	if (!strcmp(plural, "cronjobs"))
		return xasprintf("schedule %s", json_get_str(o, "spec.schedule") ?
				 json_get_str(o, "spec.schedule") : "?");
	if (!strcmp(plural, "services"))
		return xasprintf("%s %s", json_get_str(o, "spec.type") ?
				 json_get_str(o, "spec.type") : "ClusterIP",
				 json_get_str(o, "spec.clusterIP") ?
				 json_get_str(o, "spec.clusterIP") : "");
	if (!strcmp(plural, "endpointslices"))
		return xasprintf("%d endpoints",
				 cJSON_GetArraySize(json_get(o, "endpoints")));
	return xasprintf("ready %lld/%lld", num(o, "status.readyReplicas"),
			 num(o, "spec.replicas"));
}

static void add_line(struct vec *out, const char *prefix, const char *glyph,
		     const char *plural, const char *ns, const char *name,
		     const char *body)
{
	struct xray_line *l = xcalloc(1, sizeof(*l));

	l->text = xasprintf("%s%s%s", prefix, glyph, body);
	l->plural = plural ? xstrdup(plural) : NULL;
	l->ns = xstrdup(ns ? ns : "");
	l->name = xstrdup(name ? name : "");
	vec_push(out, l);
}

/* Is o controlled by owner (kind)? uid first, else kind and name. */
static int owned_by(const cJSON *o, const cJSON *owner, const char *kind)
{
	const char *uid = json_get_str(owner, "metadata.uid");
	const cJSON *ref;

	cJSON_ArrayForEach(ref, json_get(o, "metadata.ownerReferences")) {
		const char *ruid = json_get_str(ref, "uid");

		if (!json_get_bool(ref, "controller", false))
			continue;
		if (uid && ruid ? !strcmp(uid, ruid) :
		    (json_get_str(ref, "kind") && !strcmp(json_get_str(ref, "kind"), kind) &&
		     json_get_str(ref, "name") && !strcmp(json_get_str(ref, "name"), name_of(owner))))
			return 1;
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return tm_natural_cmp(name_of(*(const cJSON *const *)a),
			      name_of(*(const cJSON *const *)b));
}

static const cJSON *find_named(const cJSON *arr, const char *name)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, arr)
		if (!strcmp(name_of(o), name))
			return o;
	return NULL;
}

/* The container status named name (statuses are not objects). */
static const cJSON *find_named_c(const cJSON *arr, const char *name)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, arr)
		if (json_get_str(o, "name") && !strcmp(json_get_str(o, "name"), name))
			return o;
	return NULL;
}

/* One container line body: "container web  Running, restarts 0". */
static char *container_body(const cJSON *cs, const char *cname)
{
	const cJSON *st = json_get(cs, "state");
	const char *reason;
	char state[200];

	if (json_get(st, "running"))
		snprintf(state, sizeof(state), "Running");
	else if (json_get(st, "waiting"))
		snprintf(state, sizeof(state), "Waiting: %s",
			 (reason = json_get_str(st, "waiting.reason")) ? reason : "-");
	else if (json_get(st, "terminated"))
		snprintf(state, sizeof(state), "Terminated: %s (exit %lld)",
			 (reason = json_get_str(st, "terminated.reason")) ? reason : "-",
			 num(st, "terminated.exitCode"));
	else
		snprintf(state, sizeof(state), "Waiting: no status yet");
	return xasprintf("container %s  %s, restarts %lld", cname, state,
			 num(cs, "restartCount"));
}

static void containers(struct vec *out, const char *prefix, const cJSON *pod)
{
	const cJSON *c, *all = json_get(pod, "spec.containers");
	int n = cJSON_GetArraySize(all), i = 0;

	cJSON_ArrayForEach(c, all) {
		const char *cname = json_get_str(c, "name") ? json_get_str(c, "name") : "?";
		const cJSON *cs = find_named_c(json_get(pod, "status.containerStatuses"), cname);
		char *body = container_body(cs, cname);

		add_line(out, prefix, ++i == n ? "└─ " : "├─ ", NULL, NULL, NULL, body);
		free(body);
	}
}

static void node(struct vec *out, const char *prefix, const char *glyph,
		 const char *cont, const char *plural, const cJSON *o,
		 const cJSON *objs);

/* The endpoints of a slice: target pods (with containers when known). */
static void slice_children(struct vec *out, const char *prefix, const cJSON *sl,
			   const cJSON *objs)
{
	const cJSON *ep, *eps = json_get(sl, "endpoints");
	int n = cJSON_GetArraySize(eps), i = 0;

	cJSON_ArrayForEach(ep, eps) {
		const char *pod = json_get_str(ep, "targetRef.name");
		const char *addr = cJSON_GetStringValue(cJSON_GetArrayItem(json_get(ep, "addresses"), 0));
		int last = ++i == n;
		const cJSON *po = pod ? find_named(cJSON_GetObjectItem(objs, "pods"), pod) : NULL;
		char *body = xasprintf("Pod/%s  %s %s", pod ? pod : "(no target)",
				       addr ? addr : "-",
				       json_get_bool(ep, "conditions.ready", true) ?
				       "ready" : "not ready");
		char *sub = xasprintf("%s%s", prefix, last ? "   " : "│  ");

		add_line(out, prefix, last ? "└─ " : "├─ ", pod ? "pods" : NULL,
			 json_get_str(sl, "metadata.namespace"), pod, body);
		if (po)
			containers(out, sub, po);
		free(sub);
		free(body);
	}
}

/* The children of o: owned objects, slice endpoints or containers. */
static void children(struct vec *out, const char *prefix, const char *plural,
		     const cJSON *o, const cJSON *objs)
{
	const struct xray_kind *k = kind_of(plural);
	const char *cp = k ? k->children[0] : NULL;
	const cJSON *c;
	struct vec kids = VEC_INIT;

	if (!strcmp(plural, "pods"))
		return containers(out, prefix, o);
	if (!strcmp(plural, "endpointslices"))
		return slice_children(out, prefix, o, objs);
	if (!cp)
		return;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(objs, cp)) {
		const char *svc = json_get_str(c, "metadata.labels.kubernetes\\.io/service-name");

		if (!strcmp(plural, "services") ? svc && !strcmp(svc, name_of(o))
		    : owned_by(c, o, k->kind))
			vec_push(&kids, (void *)c);
	}
	if (kids.len)
		qsort(kids.items, kids.len, sizeof(void *), by_name);
	for (size_t i = 0; i < kids.len; i++) {
		int last = i + 1 == kids.len;

		node(out, prefix, last ? "└─ " : "├─ ", last ? "   " : "│  ", cp,
		     kids.items[i], objs);
	}
	vec_free(&kids, NULL);
}

static void node(struct vec *out, const char *prefix, const char *glyph,
		 const char *cont, const char *plural, const cJSON *o,
		 const cJSON *objs)
{
	const struct xray_kind *k = kind_of(plural);
	char *st = status_of(plural, o);
	char *body = xasprintf("%s/%s  %s", k ? k->kind : plural, name_of(o), st);
	char *sub = xasprintf("%s%s", prefix, cont);

	add_line(out, prefix, glyph, plural, json_get_str(o, "metadata.namespace"),
		 name_of(o), body);
	children(out, sub, plural, o, objs);
	free(sub);
	free(body);
	free(st);
}

void xray_build(const char *plural, const cJSON *root, const cJSON *objs,
		struct vec *out)
{
	if (root)
		node(out, "", "", "", plural, root, objs);
}
