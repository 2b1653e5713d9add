/* SPDX-License-Identifier: Apache-2.0 */
/*
 * quota_res: resource lists and what objects consume, following
 * pkg/quota/v1/evaluator/core (pods.go, services.go,
 * persistent_volume_claims.go) and the generic object-count evaluator.
 * Pure functions over cJSON objects; no store.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/quota.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

void qlist_free(struct qlist *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

struct qent *qlist_find(const struct qlist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	return NULL;
}

/* The entry of name, inserted (zero) in sorted position when missing. */
static struct qent *slot(struct qlist *l, const char *name)
{
	struct qent *x = qlist_find(l, name);
	size_t at = 0;

	if (x)
		return x;
	while (at < l->n && strcmp(l->v[at].name, name) < 0)
		at++;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	memmove(&l->v[at + 1], &l->v[at], (l->n - at) * sizeof(*l->v));
	l->n++;
	l->v[at].name = xstrdup(name);
	l->v[at].q = quantity_from_int64(0, QUANTITY_DECIMAL_SI);
	return &l->v[at];
}

void qlist_add(struct qlist *l, const char *name, const struct quantity *q)
{
	struct qent *x = slot(l, name);
	struct err e;

	if (quantity_add(&x->q, q, &e) < 0)
		err_clear(&e);	/* out of range: keep the old sum */
}

void qlist_set(struct qlist *l, const char *name, const struct quantity *q)
{
	slot(l, name)->q = *q;
}

void qlist_max(struct qlist *l, const char *name, const struct quantity *q)
{
	struct qent *x = qlist_find(l, name);

	if (!x || quantity_cmp(q, &x->q) > 0)
		qlist_set(l, name, q);
}

void qlist_from_json(struct qlist *l, const cJSON *obj)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, obj) {
		struct quantity q;
		struct err e;

		if (cJSON_IsString(it) && quantity_parse(it->valuestring, &q, &e) == 0)
			qlist_add(l, it->string, &q);
		else if (cJSON_IsNumber(it)) {
			q = quantity_from_int64((int64_t)it->valuedouble, QUANTITY_DECIMAL_SI);
			qlist_add(l, it->string, &q);
		}
	}
}

cJSON *qlist_to_json(const struct qlist *l)
{
	cJSON *o = cJSON_CreateObject();
	char s[QUANTITY_STR_MAX];

	for (size_t i = 0; i < l->n; i++)
		cJSON_AddStringToObject(o, l->v[i].name, quantity_format(&l->v[i].q, s));
	return o;
}

char *qlist_pretty(const struct qlist *l, const struct qlist *mask)
{
	struct buf b = BUF_INIT;
	char s[QUANTITY_STR_MAX];
	bool first = true;

	for (size_t i = 0; i < l->n; i++) {
		if (mask && !qlist_find(mask, l->v[i].name))
			continue;
		buf_printf(&b, "%s%s=%s", first ? "" : ",", l->v[i].name,
			   quantity_format(&l->v[i].q, s));
		first = false;
	}
	return buf_take(&b);
}

static void add_int(struct qlist *l, const char *name, int64_t n)
{
	struct quantity q = quantity_from_int64(n, QUANTITY_DECIMAL_SI);

	qlist_add(l, name, &q);
}

static bool is_standard(const char *r)
{
	return !strcmp(r, "cpu") || !strcmp(r, "memory") ||
	       !strcmp(r, "ephemeral-storage");
}

void quota_pod_sum(const cJSON *pod, const char *field,
			  struct qlist *out)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, json_get(pod, "spec.containers"))
		qlist_from_json(out, json_get(json_get(c, "resources"), field));
	cJSON_ArrayForEach(c, json_get(pod, "spec.initContainers")) {
		struct qlist one = QLIST_INIT;

		qlist_from_json(&one, json_get(json_get(c, "resources"), field));
		for (size_t i = 0; i < one.n; i++)
			qlist_max(out, one.v[i].name, &one.v[i].q);
		qlist_free(&one);
	}
}

/* podComputeUsageHelper over the pod's effective requests and limits. */
static void pod_compute(const cJSON *pod, struct qlist *out)
{
	struct qlist req = QLIST_INIT, lim = QLIST_INIT;
	char name[160];

	quota_pod_sum(pod, "requests", &req);
	quota_pod_sum(pod, "limits", &lim);
	for (size_t i = 0; i < req.n; i++) {
		if (is_standard(req.v[i].name))
			qlist_add(out, req.v[i].name, &req.v[i].q);
		snprintf(name, sizeof(name), "requests.%s", req.v[i].name);
		qlist_add(out, name, &req.v[i].q);
	}
	for (size_t i = 0; i < lim.n; i++) {
		if (!is_standard(lim.v[i].name))
			continue;
		snprintf(name, sizeof(name), "limits.%s", lim.v[i].name);
		qlist_add(out, name, &lim.v[i].q);
	}
	qlist_free(&req);
	qlist_free(&lim);
}

static bool pod_counts(const cJSON *pod)
{
	const char *ph = json_get_str(pod, "status.phase");

	return !ph || (strcmp(ph, "Succeeded") && strcmp(ph, "Failed"));
}

static void service_usage(const cJSON *svc, struct qlist *out)
{
	const char *type = json_get_str(svc, "spec.type");
	int ports = cJSON_GetArraySize(json_get(svc, "spec.ports"));

	add_int(out, "services", 1);
	if (type && !strcmp(type, "LoadBalancer")) {
		add_int(out, "services.loadbalancers", 1);
		add_int(out, "services.nodeports", ports);
	} else if (type && !strcmp(type, "NodePort")) {
		add_int(out, "services.nodeports", ports);
	}
}

static void pvc_usage(const cJSON *pvc, struct qlist *out)
{
	const char *sc = json_get_str(pvc, "spec.storageClassName");
	const char *st = json_get_str(pvc, "spec.resources.requests.storage");
	struct quantity q;
	struct err e;
	char name[320];

	add_int(out, "persistentvolumeclaims", 1);
	if (sc && *sc) {
		snprintf(name, sizeof(name), "%s.storageclass.storage.k8s.io/persistentvolumeclaims", sc);
		add_int(out, name, 1);
	}
	if (!st || quantity_parse(st, &q, &e) < 0)
		return;
	qlist_add(out, "requests.storage", &q);
	if (sc && *sc) {
		snprintf(name, sizeof(name), "%s.storageclass.storage.k8s.io/requests.storage", sc);
		qlist_add(out, name, &q);
	}
}

/* Legacy object-count names of core resources. */
static const char *const legacy[] = {
	"configmaps", "secrets", "resourcequotas", "replicationcontrollers",
	NULL
};

void quota_usage(const char *group, const char *plural, const cJSON *obj,
		 struct qlist *out)
{
	bool core = !group || !*group;
	char name[320];

	if (core && !strcmp(plural, "pods") && !pod_counts(obj))
		return;
	snprintf(name, sizeof(name), "count/%s%s%s", plural, core ? "" : ".",
		 core ? "" : group);
	add_int(out, name, 1);
	if (!core)
		return;
	if (!strcmp(plural, "pods")) {
		add_int(out, "pods", 1);
		pod_compute(obj, out);
	} else if (!strcmp(plural, "services")) {
		service_usage(obj, out);
	} else if (!strcmp(plural, "persistentvolumeclaims")) {
		pvc_usage(obj, out);
	}
	for (size_t i = 0; legacy[i]; i++)
		if (!strcmp(plural, legacy[i]))
			add_int(out, plural, 1);
}

/* Quota names counted on pods, services and PVCs. */
static const char *owner_of(const char *n)
{
	static const char *const pvc_names[] = {
		"persistentvolumeclaims", "requests.storage", NULL
	};

	for (size_t i = 0; pvc_names[i]; i++)
		if (!strcmp(n, pvc_names[i]))
			return "persistentvolumeclaims";
	if (strstr(n, ".storageclass.storage.k8s.io/"))
		return "persistentvolumeclaims";
	if (!strncmp(n, "services", 8))
		return "services";
	if (!strcmp(n, "pods") || is_standard(n) || !strncmp(n, "requests.", 9) ||
	    !strncmp(n, "limits.", 7) || !strncmp(n, "hugepages-", 10))
		return "pods";
	for (size_t i = 0; legacy[i]; i++)
		if (!strcmp(n, legacy[i]))
			return legacy[i];
	return NULL;
}

bool quota_resource_of(const char *name, char *group, size_t gn,
		       char *plural, size_t pn)
{
	const char *o, *dot;

	if (!strncmp(name, "count/", 6)) {
		name += 6;
		dot = strchr(name, '.');
		snprintf(plural, pn, "%.*s", dot ? (int)(dot - name) : (int)strlen(name), name);
		snprintf(group, gn, "%s", dot ? dot + 1 : "");
		return *plural != '\0';
	}
	if (!(o = owner_of(name)))
		return false;
	snprintf(group, gn, "%s", "");
	snprintf(plural, pn, "%s", o);
	return true;
}

/* Whether pod is BestEffort (no request or limit anywhere). */
static bool best_effort(const cJSON *pod)
{
	static const char *const lists[] = { "spec.containers", "spec.initContainers" };
	const cJSON *c;

	for (size_t i = 0; i < 2; i++)
		cJSON_ArrayForEach(c, json_get(pod, lists[i]))
			if (cJSON_GetArraySize(json_get(c, "resources.requests")) ||
			    cJSON_GetArraySize(json_get(c, "resources.limits")))
				return false;
	return true;
}

/*
 * A PriorityClass scope requirement: Exists is "has a class"; In/NotIn
 * match the class name against values as a label selector on the key
 * PriorityClass, which every pod has (so DoesNotExist never matches).
 */
static bool class_match(const char *op, const cJSON *values, const cJSON *pod)
{
	const char *pc = json_get_str(pod, "spec.priorityClassName") ?: "";
	const cJSON *v;
	bool in = false;

	cJSON_ArrayForEach(v, values)
		in |= cJSON_IsString(v) && !strcmp(v->valuestring, pc);
	if (!strcmp(op, "Exists"))
		return *pc != '\0';
	if (!strcmp(op, "In"))
		return in;
	return !strcmp(op, "NotIn") && !in;
}

/* Some pod (anti-)affinity term names namespaces or a namespaceSelector. */
static bool cross_ns_affinity(const cJSON *pod)
{
	static const char *const paths[] = {
		"spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution",
		"spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution",
		"spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution",
		"spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution",
	};
	const cJSON *t;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		cJSON_ArrayForEach(t, json_get(pod, paths[i])) {
			const cJSON *term = json_get(t, "podAffinityTerm") ?: t;

			if (cJSON_GetArraySize(json_get(term, "namespaces")) ||
			    cJSON_IsObject(json_get(term, "namespaceSelector")))
				return true;
		}
	return false;
}

/* One scope requirement (podMatchesScopeFunc). */
static bool scope_match(const char *scope, const char *op, const cJSON *values,
			const cJSON *pod)
{
	int64_t ads = -1;
	bool term = json_get_int(pod, "spec.activeDeadlineSeconds", &ads) == 0 &&
		    ads >= 0;

	if (!strcmp(scope, "Terminating"))
		return term;
	if (!strcmp(scope, "NotTerminating"))
		return !term;
	if (!strcmp(scope, "BestEffort"))
		return best_effort(pod);
	if (!strcmp(scope, "NotBestEffort"))
		return !best_effort(pod);
	if (!strcmp(scope, "PriorityClass"))
		return class_match(op, values, pod);
	if (!strcmp(scope, "CrossNamespacePodAffinity"))
		return cross_ns_affinity(pod);
	return false;
}

bool quota_scopes_match(const cJSON *quota, const char *plural,
			const cJSON *obj)
{
	const cJSON *s, *scopes = json_get(quota, "spec.scopes");
	const cJSON *exprs = json_get(quota, "spec.scopeSelector.matchExpressions");

	if (!cJSON_GetArraySize(scopes) && !cJSON_GetArraySize(exprs))
		return true;
	if (strcmp(plural, "pods"))
		return false;
	cJSON_ArrayForEach(s, scopes)
		if (!cJSON_IsString(s) ||
		    !scope_match(s->valuestring, "Exists", NULL, obj))
			return false;
	cJSON_ArrayForEach(s, exprs)
		if (!scope_match(json_get_str(s, "scopeName") ?: "",
				 json_get_str(s, "operator") ?: "",
				 json_get(s, "values"), obj))
			return false;
	return true;
}

static void container_defaults(cJSON *c)
{
	const cJSON *lim = json_get(c, "resources.limits"), *it;
	cJSON *req;

	if (!cJSON_GetArraySize(lim))
		return;
	req = json_obj_ensure(json_obj_ensure(c, "resources"), "requests");
	cJSON_ArrayForEach(it, lim)
		if (!cJSON_GetObjectItemCaseSensitive(req, it->string))
			cJSON_AddItemToObject(req, it->string, cJSON_Duplicate(it, true));
}

void quota_pod_defaults(cJSON *pod)
{
	cJSON *c;

	cJSON_ArrayForEach(c, json_get(pod, "spec.containers"))
		container_defaults(c);
	cJSON_ArrayForEach(c, json_get(pod, "spec.initContainers"))
		container_defaults(c);
}

/* Container has equal cpu and memory requests and limits. */
static bool guaranteed(const cJSON *c)
{
	static const char *const rs[] = { "cpu", "memory" };

	for (size_t i = 0; i < 2; i++) {
		const cJSON *l = cJSON_GetObjectItemCaseSensitive(json_get(c, "resources.limits"), rs[i]);
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(json_get(c, "resources.requests"), rs[i]);
		struct quantity a, b;
		struct err e;

		if (!cJSON_IsString(l) || !cJSON_IsString(r) ||
		    quantity_parse(l->valuestring, &a, &e) < 0 ||
		    quantity_parse(r->valuestring, &b, &e) < 0 ||
		    quantity_cmp(&a, &b))
			return false;
	}
	return true;
}

void quota_pod_qos(cJSON *pod)
{
	static const char *const lists[] = { "spec.containers", "spec.initContainers" };
	const char *qos = "Guaranteed";
	const cJSON *c;

	if (best_effort(pod)) {
		qos = "BestEffort";
	} else {
		for (size_t i = 0; i < 2; i++)
			cJSON_ArrayForEach(c, json_get(pod, lists[i]))
				if (!guaranteed(c))
					qos = "Burstable";
	}
	json_set_str(pod, "status.qosClass", qos);
}
