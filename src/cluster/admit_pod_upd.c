/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit_pod_upd: ValidatePodUpdate of pkg/apis/core/validation - what a
 * Pod update may change: container and init container images, a lower
 * activeDeadlineSeconds, tolerations (additions, and tolerationSeconds of
 * existing ones), schedulingGates (removals), terminationGracePeriodSeconds
 * from negative to 1.  Anything else is the API server's
 * `spec: Forbidden: pod updates may not change fields other than ...`
 * followed by a diff of the spec.
 *
 * The diff hint is kdeck's: one -/+ line pair per changed spec field
 * with the JSON values, where the API server prints go-cmp's diff of its
 * internal Go structs.  ephemeralContainers are left to their own
 * subresource and not compared.  A gated pod (schedulingGates in the old
 * spec) may also gain nodeSelector entries and required node affinity
 * requirements (additions only: validateNodeSelectorMutation and
 * validateNodeAffinityMutation), and change its preferred node affinity.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/admit_int.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

#define FLD 320

static const char updatable[] =
	"pod updates may not change fields other than `spec.containers[*].image`,"
	"`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
	"`spec.tolerations` (only additions to existing tolerations),"
	"`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/* ValidateContainerUpdates: false (stop) when the count changed. */
static bool containers(const cJSON *old, const cJSON *nw, const char *key,
		       struct err *e)
{
	const cJSON *oc = json_get(old, key), *nc = json_get(nw, key), *c;
	char f[FLD];
	int i = 0;

	if (cJSON_GetArraySize(oc) != cJSON_GetArraySize(nc)) {
		admit_field(f, sizeof(f), "spec.%s", key);
		admit_forbidden(e, f, "pod updates may not add or remove containers");
		return false;
	}
	cJSON_ArrayForEach(c, nc) {
		const char *img = json_get_str(c, "image") ?: "";
		size_t n = strlen(img);

		admit_field(f, sizeof(f), "spec.%s[%d].image", key, i++);
		if (!n)
			admit_required(e, f, NULL);
		else if (img[0] == ' ' || img[0] == '\t' || img[n - 1] == ' ' || img[n - 1] == '\t')
			admit_invalid(e, f, img, "must not have leading or trailing whitespace");
	}
	return true;
}

/* false when the deadline rules stop the update checks. */
static bool deadline(const cJSON *old, const cJSON *nw, struct err *e)
{
	int64_t o, n;
	bool has_o = json_get_int(old, "activeDeadlineSeconds", &o) == 0;
	bool has_n = json_get_int(nw, "activeDeadlineSeconds", &n) == 0;
	const char *f = "spec.activeDeadlineSeconds";

	if (has_n) {
		if (n < 0 || n > 2147483647) {
			admit_invalid_int(e, f, (long long)n, "must be between 0 and 2147483647, inclusive");
			return false;
		}
		if (has_o && o < n) {
			admit_invalid_int(e, f, (long long)n, "must be less than or equal to previous value");
			return false;
		}
	} else if (has_o) {
		err_cause(e, "FieldValueInvalid", f,
			  "Invalid value: \"null\": must not update from a positive integer to nil value");
	}
	return true;
}

/* A toleration equal to t apart from tolerationSeconds. */
static bool toleration_kept(const cJSON *t, const cJSON *list)
{
	cJSON *a = cJSON_Duplicate(t, true);
	const cJSON *c;
	bool found = false;

	cJSON_DeleteItemFromObjectCaseSensitive(a, "tolerationSeconds");
	cJSON_ArrayForEach(c, list) {
		cJSON *b = cJSON_Duplicate(c, true);

		cJSON_DeleteItemFromObjectCaseSensitive(b, "tolerationSeconds");
		found = json_equal(a, b);
		cJSON_Delete(b);
		if (found)
			break;
	}
	cJSON_Delete(a);
	return found;
}

static void tolerations(const cJSON *old, const cJSON *nw, struct err *e)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, json_get(old, "tolerations"))
		if (!toleration_kept(t, json_get(nw, "tolerations"))) {
			admit_forbidden(e, "spec.tolerations",
					"existing toleration can not be modified except its tolerationSeconds");
			return;
		}
}

static bool has_gate(const cJSON *gates, const char *name)
{
	const cJSON *g;

	cJSON_ArrayForEach(g, gates)
		if (!strcmp(json_get_str(g, "name") ?: "", name))
			return true;
	return false;
}

static void gates(const cJSON *old, const cJSON *nw, struct err *e)
{
	const cJSON *g;
	char f[FLD], msg[300];
	int i = 0;

	cJSON_ArrayForEach(g, json_get(nw, "schedulingGates")) {
		const char *name = json_get_str(g, "name") ?: "";

		if (!has_gate(json_get(old, "schedulingGates"), name)) {
			admit_field(f, sizeof(f), "spec.schedulingGates[%d].name", i);
			snprintf(msg, sizeof(msg), "only deletion is allowed, but found new scheduling gate '%s'", name);
			admit_forbidden(e, f, msg);
		}
		i++;
	}
}

/* JSON of a Go []string (nil: null). */
static void go_strs(const cJSON *arr, struct buf *b)
{
	char *s = cJSON_GetArraySize(arr) ? cJSON_PrintUnformatted(arr) : xstrdup("null");

	buf_adds(b, s);
	free(s);
}

/* Go's JSON of the internal NodeSelectorRequirement list (nil: null). */
static void go_reqs(const cJSON *reqs, struct buf *b)
{
	const cJSON *r;

	if (!cJSON_GetArraySize(reqs)) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '[');
	cJSON_ArrayForEach(r, reqs) {
		buf_adds(b, r == reqs->child ? "{\"Key\":" : ",{\"Key\":");
		buf_add_json_str(b, json_get_str(r, "key") ?: "");
		buf_adds(b, ",\"Operator\":");
		buf_add_json_str(b, json_get_str(r, "operator") ?: "");
		buf_adds(b, ",\"Values\":");
		go_strs(json_get(r, "values"), b);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

static void go_term(const cJSON *t, struct buf *b)
{
	buf_adds(b, "{\"MatchExpressions\":");
	go_reqs(json_get(t, "matchExpressions"), b);
	buf_adds(b, ",\"MatchFields\":");
	go_reqs(json_get(t, "matchFields"), b);
	buf_addc(b, '}');
}

#define NA_TERMS "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"

/* validateNodeSelectorTermHasOnlyAdditions, one list of a term. */
static bool only_added(const cJSON *o, const cJSON *n, const char *key)
{
	const cJSON *ol = json_get(o, key), *nl = json_get(n, key);
	int i = 0;
	const cJSON *r;

	if (cJSON_GetArraySize(ol) > cJSON_GetArraySize(nl))
		return false;
	cJSON_ArrayForEach(r, ol)
		if (!json_equal(r, cJSON_GetArrayItem(nl, i++)))
			return false;
	return true;
}

/* validateNodeAffinityMutation. */
static void affinity_added(const cJSON *old, const cJSON *nw, struct err *e)
{
	const cJSON *ot = json_get(old, NA_TERMS), *nt = json_get(nw, NA_TERMS), *t;
	struct buf b = BUF_INIT;
	char f[FLD];
	int i = 0;

	if (!cJSON_GetArraySize(ot))
		return;
	if (cJSON_GetArraySize(ot) != cJSON_GetArraySize(nt)) {
		buf_addc(&b, cJSON_GetArraySize(nt) ? '[' : 'n');
		cJSON_ArrayForEach(t, nt) {
			if (t != nt->child)
				buf_addc(&b, ',');
			go_term(t, &b);
		}
		buf_adds(&b, cJSON_GetArraySize(nt) ? "]" : "ull");
		err_cause(e, "FieldValueInvalid", "spec." NA_TERMS, "Invalid value: %s: %s",
			  buf_cstr(&b), "no additions/deletions to non-empty NodeSelectorTerms list are allowed");
		buf_free(&b);
		return;
	}
	cJSON_ArrayForEach(t, ot) {
		const cJSON *n = cJSON_GetArrayItem(nt, i);

		if (!only_added(t, n, "matchExpressions") || !only_added(t, n, "matchFields")) {
			buf_reset(&b);
			go_term(n, &b);
			admit_field(f, sizeof(f), "spec." NA_TERMS "[%d]", i);
			err_cause(e, "FieldValueInvalid", f, "Invalid value: %s: %s", buf_cstr(&b),
				  "only additions are allowed (no mutations or deletions)");
		}
		i++;
	}
	buf_free(&b);
}

/* validateNodeSelectorMutation: every old entry kept as it was. */
static void selector_added(const cJSON *old, const cJSON *nw, struct err *e)
{
	const cJSON *os = json_get(old, "nodeSelector"), *ns = json_get(nw, "nodeSelector"), *it;

	cJSON_ArrayForEach(it, os) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(ns, it->string);

		if (!v || !json_equal(v, it)) {
			char *s = cJSON_IsObject(ns) && cJSON_GetArraySize(ns) ? cJSON_PrintUnformatted(ns) : xstrdup("null");

			err_cause(e, "FieldValueInvalid", "spec.nodeSelector", "Invalid value: %s: %s", s,
				  "only additions to spec.nodeSelector are allowed (no mutations or deletions)");
			free(s);
			return;
		}
	}
}

/* Put old's value of key into spec (or remove it when old has none). */
static void take_old(cJSON *spec, const cJSON *old, const char *key)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(old, key);

	if (!o)
		cJSON_DeleteItemFromObjectCaseSensitive(spec, key);
	else if (cJSON_GetObjectItemCaseSensitive(spec, key))
		cJSON_ReplaceItemInObjectCaseSensitive(spec, key, cJSON_Duplicate(o, true));
	else
		cJSON_AddItemToObject(spec, key, cJSON_Duplicate(o, true));
}

/* A gated pod's node selector and node affinity are checked apart. */
static void gated_munge(cJSON *m, const cJSON *old)
{
	const cJSON *oa = json_get(old, "affinity");
	cJSON *ma;

	take_old(m, old, "nodeSelector");
	ma = json_get(m, "affinity");
	if (!cJSON_IsObject(ma)) {
		if (!cJSON_IsObject(json_get(oa, "nodeAffinity")))
			return;
		ma = cJSON_CreateObject();
		json_set(m, "affinity", ma);
	}
	take_old(ma, oa, "nodeAffinity");
	if (!cJSON_GetArraySize(ma) && !oa)
		cJSON_DeleteItemFromObjectCaseSensitive(m, "affinity");
}

/* The new spec with the updatable fields reset to old's. */
static cJSON *munge(const cJSON *old, const cJSON *nw)
{
	static const char *const keys[] = { "activeDeadlineSeconds", "schedulingGates",
					    "tolerations", "ephemeralContainers", NULL };
	static const char *const lists[] = { "containers", "initContainers", NULL };
	cJSON *m = cJSON_Duplicate(nw, true);
	int64_t og, ng;

	for (size_t k = 0; lists[k]; k++) {
		cJSON *c;
		int i = 0;

		cJSON_ArrayForEach(c, json_get(m, lists[k])) {
			const cJSON *oc = cJSON_GetArrayItem(json_get(old, lists[k]), i++);

			if (oc)
				take_old(c, oc, "image");
		}
	}
	for (size_t k = 0; keys[k]; k++)
		take_old(m, old, keys[k]);
	if (cJSON_GetArraySize(json_get(old, "schedulingGates")))
		gated_munge(m, old);
	if (json_get_int(old, "terminationGracePeriodSeconds", &og) == 0 && og < 0 &&
	    json_get_int(m, "terminationGracePeriodSeconds", &ng) == 0 && ng == 1)
		take_old(m, old, "terminationGracePeriodSeconds");
	return m;
}

static void diff_line(struct buf *b, char sign, const char *key, const cJSON *v)
{
	char *s = v ? cJSON_PrintUnformatted(v) : xstrdup("null");

	/* Status causes are short (512 bytes): long values are cut. */
	if (strlen(s) > 48)
		memcpy(s + 45, "...", 4);
	buf_printf(b, "%c \t%s: %s,\n", sign, key, s);
	free(s);
}

/*
 * The changed fields under path, old then new: objects and arrays of
 * equal length are descended into so the lines name the changed leaf
 * (`containers[0].ports`).
 */
static void diff_at(const cJSON *o, const cJSON *n, const char *path,
		    struct buf *b)
{
	const cJSON *it;
	char sub[256];
	int i = 0;

	if (json_equal(o, n))
		return;
	if (cJSON_IsObject(o) && cJSON_IsObject(n)) {
		cJSON_ArrayForEach(it, o) {
			snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", it->string);
			diff_at(it, cJSON_GetObjectItemCaseSensitive(n, it->string), sub, b);
		}
		cJSON_ArrayForEach(it, n)
			if (!cJSON_GetObjectItemCaseSensitive(o, it->string)) {
				snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", it->string);
				diff_line(b, '+', sub, it);
			}
		return;
	}
	if (cJSON_IsArray(o) && cJSON_IsArray(n) &&
	    cJSON_GetArraySize(o) == cJSON_GetArraySize(n)) {
		cJSON_ArrayForEach(it, o) {
			snprintf(sub, sizeof(sub), "%s[%d]", path, i);
			diff_at(it, cJSON_GetArrayItem(n, i++), sub, b);
		}
		return;
	}
	if (o)
		diff_line(b, '-', path, o);
	if (n)
		diff_line(b, '+', path, n);
}

static void diff(const cJSON *old, const cJSON *m, struct buf *b)
{
	buf_adds(b, "  core.PodSpec{\n");
	diff_at(old, m, "", b);
	buf_adds(b, "  }\n");
}

void admit_pod_update(const cJSON *old_pod, const cJSON *new_pod,
		      struct err *e)
{
	const cJSON *old = json_get(old_pod, "spec"), *nw = json_get(new_pod, "spec");
	struct buf b = BUF_INIT;
	cJSON *m;

	if (!cJSON_IsObject(old) || !cJSON_IsObject(nw))
		return;
	if (!containers(old, nw, "containers", e) ||
	    !containers(old, nw, "initContainers", e) || !deadline(old, nw, e))
		return;
	tolerations(old, nw, e);
	if (cJSON_GetArraySize(json_get(old, "schedulingGates"))) {
		if (!json_equal(json_get(old, "nodeSelector"), json_get(nw, "nodeSelector")))
			selector_added(old, nw, e);
		if (!json_equal(json_get(old, "affinity.nodeAffinity"), json_get(nw, "affinity.nodeAffinity")))
			affinity_added(old, nw, e);
	}
	gates(old, nw, e);
	if (json_equal(old, nw))
		return;
	m = munge(old, nw);
	if (!json_equal(m, old)) {
		diff(old, m, &b);
		err_cause(e, "FieldValueForbidden", "spec", "Forbidden: %s\n%s",
			  updatable, buf_cstr(&b));
	}
	cJSON_Delete(m);
	buf_free(&b);
}
