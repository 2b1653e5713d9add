/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit_pod_sched: the scheduling rules of pkg/apis/core/validation -
 * validateAffinity (node selector terms, requirement operators and value
 * counts, field selector keys, preferred weights 1-100, pod (anti-)
 * affinity topologyKey), ValidateTolerations (key, operator/value,
 * effect, tolerationSeconds only with NoExecute) and
 * validateTopologySpreadConstraints (maxSkew, topologyKey,
 * whenUnsatisfiable, duplicates, minDomains, node inclusion policies).
 *
 * The label selectors of pod affinity terms (labelSelector and
 * namespaceSelector) and of spread constraints go through
 * ValidateLabelSelector; matchLabelKeys/mismatchLabelKeys follow
 * validateMatchLabelKeysAndMismatchLabelKeys (affinity, after a new pod's
 * keys were merged into its selector: admit_pod_match_keys) and
 * validateMatchLabelKeysInTopologySpread.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cluster/admit_int.h"
#include "common/json.h"

#define FLD 320

static int count(const cJSON *a)
{
	return cJSON_IsArray(a) ? cJSON_GetArraySize(a) : 0;
}

/*
 * ValidateNodeSelectorRequirement (node: Gt and Lt allowed) and
 * ValidateLabelSelectorRequirement (!node), which word the rest alike.
 */
static void sel_req(const cJSON *rq, const char *rp, bool label_values,
		    bool node, struct err *e)
{
	const char *op = json_get_str(rq, "operator") ?: "";
	const cJSON *vals = json_get(rq, "values"), *v;
	int n = count(vals), i = 0;
	char f[FLD];

	admit_field(f, sizeof(f), "%s.values", rp);
	if (!strcmp(op, "In") || !strcmp(op, "NotIn")) {
		if (!n)
			admit_required(e, f, "must be specified when `operator` is 'In' or 'NotIn'");
	} else if (!strcmp(op, "Exists") || !strcmp(op, "DoesNotExist")) {
		if (n)
			admit_forbidden(e, f, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
	} else if (node && (!strcmp(op, "Gt") || !strcmp(op, "Lt"))) {
		if (n != 1)
			admit_required(e, f, "must be specified single value when `operator` is 'Lt' or 'Gt'");
	} else {
		admit_field(f, sizeof(f), "%s.operator", rp);
		admit_invalid(e, f, op, "not a valid selector operator");
	}
	admit_field(f, sizeof(f), "%s.key", rp);
	admit_label_name(e, f, json_get_str(rq, "key") ?: "");
	if (!label_values)
		return;
	cJSON_ArrayForEach(v, vals) {
		admit_field(f, sizeof(f), "%s.values[%d]", rp, i++);
		admit_label_value(e, f, cJSON_IsString(v) ? v->valuestring : "");
	}
}

/* ValidateNodeFieldSelectorRequirement. */
static void field_req(const cJSON *rq, const char *rp, struct err *e)
{
	const char *op = json_get_str(rq, "operator") ?: "";
	const char *key = json_get_str(rq, "key") ?: "";
	const cJSON *vals = json_get(rq, "values"), *v;
	char f[FLD];
	int i = 0;

	if (!strcmp(op, "In") || !strcmp(op, "NotIn")) {
		admit_field(f, sizeof(f), "%s.values", rp);
		if (count(vals) != 1)
			admit_required(e, f, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
	} else {
		admit_field(f, sizeof(f), "%s.operator", rp);
		admit_invalid(e, f, op, "not a valid selector operator");
	}
	if (strcmp(key, "metadata.name")) {
		admit_field(f, sizeof(f), "%s.key", rp);
		admit_invalid(e, f, key, "not a valid field selector key");
		return;
	}
	cJSON_ArrayForEach(v, vals) {
		const char *s = cJSON_IsString(v) ? v->valuestring : "";

		admit_field(f, sizeof(f), "%s.values[%d]", rp, i++);
		if (!admit_is_subdomain(s))
			admit_host(e, f, s);
	}
}

static void node_term(const cJSON *term, const char *tp, bool label_values,
		      struct err *e)
{
	const cJSON *rq;
	char f[FLD];
	int j = 0;

	cJSON_ArrayForEach(rq, json_get(term, "matchExpressions")) {
		admit_field(f, sizeof(f), "%s.matchExpressions[%d]", tp, j++);
		sel_req(rq, f, label_values, true, e);
	}
	j = 0;
	cJSON_ArrayForEach(rq, json_get(term, "matchFields")) {
		admit_field(f, sizeof(f), "%s.matchFields[%d]", tp, j++);
		field_req(rq, f, e);
	}
}

static void weight(const cJSON *t, const char *tp, struct err *e)
{
	int64_t w = 0;
	char f[FLD];

	json_get_int(t, "weight", &w);
	if (w <= 0 || w > 100) {
		admit_field(f, sizeof(f), "%s.weight", tp);
		admit_invalid_int(e, f, (long long)w, "must be in the range 1-100");
	}
}

static void node_affinity(const cJSON *na, const char *np, struct err *e)
{
	const cJSON *req = json_get(na, "requiredDuringSchedulingIgnoredDuringExecution"), *t;
	char f[FLD], tp[FLD];
	int i = 0;

	if (cJSON_IsObject(req)) {
		admit_field(f, sizeof(f), "%s.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms", np);
		if (!count(json_get(req, "nodeSelectorTerms")))
			admit_required(e, f, "must have at least one node selector term");
		cJSON_ArrayForEach(t, json_get(req, "nodeSelectorTerms")) {
			admit_field(tp, sizeof(tp), "%s[%d]", f, i++);
			node_term(t, tp, true, e);
		}
	}
	i = 0;
	cJSON_ArrayForEach(t, json_get(na, "preferredDuringSchedulingIgnoredDuringExecution")) {
		admit_field(tp, sizeof(tp), "%s.preferredDuringSchedulingIgnoredDuringExecution[%d]", np, i++);
		weight(t, tp, e);
		admit_field(f, sizeof(f), "%s.preference", tp);
		node_term(json_get(t, "preference"), f, false, e);
	}
}

/* ValidateLabelSelector (values must be valid label values). */
static void label_selector(const cJSON *sel, const char *sp, struct err *e)
{
	const cJSON *it;
	char f[FLD];
	int i = 0;

	if (!cJSON_IsObject(sel))
		return;
	admit_field(f, sizeof(f), "%s.matchLabels", sp);
	cJSON_ArrayForEach(it, json_get(sel, "matchLabels")) {
		admit_label_name(e, f, it->string);
		admit_label_value(e, f, cJSON_IsString(it) ? it->valuestring : "");
	}
	cJSON_ArrayForEach(it, json_get(sel, "matchExpressions")) {
		admit_field(f, sizeof(f), "%s.matchExpressions[%d]", sp, i++);
		sel_req(it, f, true, false, e);
	}
}

static bool has_str(const cJSON *arr, const char *s)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it) && !strcmp(it->valuestring, s))
			return true;
	return false;
}

/* validateLabelKeys: valid names, and only beside a labelSelector. */
static void label_keys(const cJSON *keys, const cJSON *sel, const char *kp,
		       struct err *e)
{
	const cJSON *k;
	char f[FLD];
	int i = 0;

	if (!count(keys))
		return;
	if (!cJSON_IsObject(sel)) {
		admit_forbidden(e, kp, "must not be specified when labelSelector is not set");
		return;
	}
	cJSON_ArrayForEach(k, keys) {
		admit_field(f, sizeof(f), "%s[%d]", kp, i++);
		admit_label_name(e, f, cJSON_IsString(k) ? k->valuestring : "");
	}
}

/* Index of s in the string array arr (the last one, as a Go map keeps), or -1. */
static int last_index(const cJSON *arr, const char *s)
{
	const cJSON *it;
	int i = 0, at = -1;

	cJSON_ArrayForEach(it, arr) {
		if (cJSON_IsString(it) && !strcmp(it->valuestring, s))
			at = i;
		i++;
	}
	return at;
}

/*
 * validateMatchLabelKeysAndMismatchLabelKeys.  The selector already holds
 * the merged "key In (value)" requirements, so a matchLabelKeys key the
 * user also selected on shows up twice; the API server words that cause
 * with the term's path and the key's index ("...[0][1]").
 */
static void affinity_keys(const cJSON *t, const char *tp, struct err *e)
{
	const cJSON *mk = json_get(t, "matchLabelKeys"), *xk = json_get(t, "mismatchLabelKeys");
	const cJSON *sel = json_get(t, "labelSelector"), *rq, *k;
	char f[FLD];
	int i = 0;

	admit_field(f, sizeof(f), "%s.matchLabelKeys", tp);
	label_keys(mk, sel, f, e);
	admit_field(f, sizeof(f), "%s.mismatchLabelKeys", tp);
	label_keys(xk, sel, f, e);
	cJSON_ArrayForEach(rq, json_get(sel, "matchExpressions")) {
		const char *key = json_get_str(rq, "key") ?: "";
		int at = last_index(mk, key);
		bool seen = cJSON_GetObjectItemCaseSensitive(json_get(sel, "matchLabels"), key) != NULL;

		for (const cJSON *p = json_get(sel, "matchExpressions")->child; p != rq && !seen; p = p->next)
			seen = !strcmp(json_get_str(p, "key") ?: "", key);
		if (at >= 0 && seen) {
			admit_field(f, sizeof(f), "%s[%d]", tp, at);
			admit_invalid(e, f, key, "exists in both matchLabelKeys and labelSelector");
		}
	}
	cJSON_ArrayForEach(k, mk) {
		if (cJSON_IsString(k) && has_str(xk, k->valuestring)) {
			admit_field(f, sizeof(f), "%s.matchLabelKeys[%d]", tp, i);
			admit_invalid(e, f, k->valuestring, "exists in both matchLabelKeys and mismatchLabelKeys");
		}
		i++;
	}
}

/* validatePodAffinityTerm. */
static void pod_term(const cJSON *t, const char *tp, struct err *e)
{
	const char *key = json_get_str(t, "topologyKey") ?: "";
	const cJSON *ns;
	char f[FLD];

	admit_field(f, sizeof(f), "%s.labelSelector", tp);
	label_selector(json_get(t, "labelSelector"), f, e);
	admit_field(f, sizeof(f), "%s.namespaceSelector", tp);
	label_selector(json_get(t, "namespaceSelector"), f, e);
	admit_field(f, sizeof(f), "%s.namespace", tp);
	cJSON_ArrayForEach(ns, json_get(t, "namespaces"))
		if (cJSON_IsString(ns) && !admit_is_label(ns->valuestring))
			admit_invalid(e, f, ns->valuestring,
				      strlen(ns->valuestring) > 63 ? "must be no more than 63 characters" :
				      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
	affinity_keys(t, tp, e);
	admit_field(f, sizeof(f), "%s.topologyKey", tp);
	if (!*key)
		admit_required(e, f, "can not be empty");
	admit_label_name(e, f, key);
}

static void pod_affinity(const cJSON *pa, const char *pp, struct err *e)
{
	const cJSON *t;
	char tp[FLD], f[FLD];
	int i = 0;

	cJSON_ArrayForEach(t, json_get(pa, "requiredDuringSchedulingIgnoredDuringExecution")) {
		admit_field(tp, sizeof(tp), "%s.requiredDuringSchedulingIgnoredDuringExecution[%d]", pp, i++);
		pod_term(t, tp, e);
	}
	i = 0;
	cJSON_ArrayForEach(t, json_get(pa, "preferredDuringSchedulingIgnoredDuringExecution")) {
		admit_field(tp, sizeof(tp), "%s.preferredDuringSchedulingIgnoredDuringExecution[%d]", pp, i++);
		weight(t, tp, e);
		admit_field(f, sizeof(f), "%s.podAffinityTerm", tp);
		pod_term(json_get(t, "podAffinityTerm"), f, e);
	}
}

void admit_pod_affinity(const cJSON *spec, const char *base, struct err *e)
{
	const cJSON *a = json_get(spec, "affinity");
	char f[FLD];

	if (!cJSON_IsObject(a))
		return;
	admit_field(f, sizeof(f), "%s.affinity.nodeAffinity", base);
	if (cJSON_IsObject(json_get(a, "nodeAffinity")))
		node_affinity(json_get(a, "nodeAffinity"), f, e);
	admit_field(f, sizeof(f), "%s.affinity.podAffinity", base);
	if (cJSON_IsObject(json_get(a, "podAffinity")))
		pod_affinity(json_get(a, "podAffinity"), f, e);
	admit_field(f, sizeof(f), "%s.affinity.podAntiAffinity", base);
	if (cJSON_IsObject(json_get(a, "podAntiAffinity")))
		pod_affinity(json_get(a, "podAntiAffinity"), f, e);
}

/* One term: "key In/NotIn (the pod's value)" per key the pod has. */
static void merge_keys(cJSON *t, const cJSON *labels)
{
	static const char *const lists[2] = { "matchLabelKeys", "mismatchLabelKeys" };
	static const char *const ops[2] = { "In", "NotIn" };
	cJSON *sel = json_get(t, "labelSelector"), *exprs;
	const cJSON *k;

	if (!cJSON_IsObject(sel) || (!count(json_get(t, lists[0])) && !count(json_get(t, lists[1]))))
		return;
	for (int l = 0; l < 2; l++)
		cJSON_ArrayForEach(k, json_get(t, lists[l])) {
			const cJSON *v = cJSON_IsString(k) ? cJSON_GetObjectItemCaseSensitive(labels, k->valuestring) : NULL;
			cJSON *rq;

			if (!cJSON_IsString(v))
				continue;
			exprs = json_get(sel, "matchExpressions");
			if (!cJSON_IsArray(exprs)) {
				exprs = cJSON_CreateArray();
				json_set(sel, "matchExpressions", exprs);
			}
			rq = cJSON_CreateObject();
			json_set_str(rq, "key", k->valuestring);
			json_set_str(rq, "operator", ops[l]);
			cJSON_AddItemToObject(rq, "values", cJSON_CreateArray());
			cJSON_AddItemToArray(json_get(rq, "values"), cJSON_CreateString(v->valuestring));
			cJSON_AddItemToArray(exprs, rq);
		}
}

void admit_pod_match_keys(cJSON *pod)
{
	static const char *const kinds[] = { "podAffinity", "podAntiAffinity" };
	const cJSON *labels = json_get(pod, "metadata.labels");
	cJSON *a = json_get(pod, "spec.affinity"), *t;

	for (size_t i = 0; cJSON_IsObject(a) && i < 2; i++) {
		cJSON *pa = json_get(a, kinds[i]);

		cJSON_ArrayForEach(t, json_get(pa, "requiredDuringSchedulingIgnoredDuringExecution"))
			merge_keys(t, labels);
		cJSON_ArrayForEach(t, json_get(pa, "preferredDuringSchedulingIgnoredDuringExecution"))
			merge_keys(json_get(t, "podAffinityTerm"), labels);
	}
}

/* ValidateTolerations. */
void admit_tolerations(const cJSON *tols, const char *field, struct err *e)
{
	static const char *const ops[] = { "Equal", "Exists", NULL };
	static const char *const effects[] = { "NoSchedule", "PreferNoSchedule", "NoExecute", NULL };
	const cJSON *t;
	char tp[FLD], f[FLD];
	int i = 0;

	cJSON_ArrayForEach(t, tols) {
		const char *key = json_get_str(t, "key") ?: "";
		const char *op = json_get_str(t, "operator") ?: "";
		const char *val = json_get_str(t, "value") ?: "";
		const char *eff = json_get_str(t, "effect") ?: "";

		admit_field(tp, sizeof(tp), "%s[%d]", field, i++);
		admit_field(f, sizeof(f), "%s.key", tp);
		if (*key)
			admit_label_name(e, f, key);
		admit_field(f, sizeof(f), "%s.operator", tp);
		if (!*key && strcmp(op, "Exists"))
			admit_invalid(e, f, op, "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
		if (json_get(t, "tolerationSeconds") && !cJSON_IsNull(json_get(t, "tolerationSeconds")) &&
		    strcmp(eff, "NoExecute")) {
			admit_field(f, sizeof(f), "%s.effect", tp);
			admit_invalid(e, f, eff, "effect must be 'NoExecute' when `tolerationSeconds` is set");
			admit_field(f, sizeof(f), "%s.operator", tp);
		}
		if (!*op || !strcmp(op, "Equal"))
			admit_label_value(e, f, val);
		else if (!strcmp(op, "Exists")) {
			if (*val)
				admit_invalid(e, f, val, "value must be empty when `operator` is 'Exists'");
		} else
			admit_not_supported(e, f, op, ops);
		admit_field(f, sizeof(f), "%s.effect", tp);
		if (*eff && !admit_one_of(eff, effects))
			admit_not_supported(e, f, eff, effects);
	}
}

static void min_domains(const cJSON *c, const char *cp, const char *when,
			struct err *e)
{
	const cJSON *md = json_get(c, "minDomains");
	long long v;
	char f[FLD], msg[160];

	if (!cJSON_IsNumber(md))
		return;
	v = (long long)md->valuedouble;
	admit_field(f, sizeof(f), "%s.minDomains", cp);
	if (v <= 0)
		admit_invalid_int(e, f, v, "must be greater than zero");
	if (strcmp(when, "DoNotSchedule")) {
		snprintf(msg, sizeof(msg), "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not %s", when);
		admit_invalid_int(e, f, v, msg);
	}
}

static void inclusion(const cJSON *c, const char *key, const char *cp,
		      struct err *e)
{
	static const char *const pols[] = { "Honor", "Ignore", NULL };
	const char *p = json_get_str(c, key);
	char f[FLD];

	admit_field(f, sizeof(f), "%s.%s", cp, key);
	if (p && !admit_one_of(p, pols))
		admit_not_supported(e, f, p, pols);
}

/* validateMatchLabelKeysInTopologySpread. */
static void spread_keys(const cJSON *c, const char *cp, struct err *e)
{
	const cJSON *keys = json_get(c, "matchLabelKeys"), *sel = json_get(c, "labelSelector"), *k;
	char kp[FLD], f[FLD];
	int i = 0;

	if (!count(keys))
		return;
	admit_field(kp, sizeof(kp), "%s.matchLabelKeys", cp);
	if (!cJSON_IsObject(sel))
		admit_forbidden(e, kp, "must not be specified when labelSelector is not set");
	cJSON_ArrayForEach(k, keys) {
		const char *key = cJSON_IsString(k) ? k->valuestring : "";
		bool in_sel = cJSON_GetObjectItemCaseSensitive(json_get(sel, "matchLabels"), key) != NULL;
		const cJSON *rq;

		cJSON_ArrayForEach(rq, json_get(sel, "matchExpressions"))
			in_sel = in_sel || !strcmp(json_get_str(rq, "key") ?: "", key);
		admit_field(f, sizeof(f), "%s[%d]", kp, i++);
		admit_label_name(e, f, key);
		if (in_sel)
			admit_invalid(e, f, key, "exists in both matchLabelKeys and labelSelector");
	}
}

/* validateTopologySpreadConstraints. */
void admit_pod_spread(const cJSON *spec, const char *base, struct err *e)
{
	static const char *const whens[] = { "DoNotSchedule", "ScheduleAnyway", NULL };
	const cJSON *list = json_get(spec, "topologySpreadConstraints"), *c;
	char cp[FLD], f[FLD], dup[FLD];
	int i = 0;

	cJSON_ArrayForEach(c, list) {
		const char *key = json_get_str(c, "topologyKey") ?: "";
		const char *when = json_get_str(c, "whenUnsatisfiable") ?: "";
		int64_t skew = 0;

		admit_field(cp, sizeof(cp), "%s.topologySpreadConstraints[%d]", base, i++);
		json_get_int(c, "maxSkew", &skew);
		admit_field(f, sizeof(f), "%s.maxSkew", cp);
		if (skew <= 0)
			admit_invalid_int(e, f, (long long)skew, "must be greater than zero");
		admit_field(f, sizeof(f), "%s.topologyKey", cp);
		if (!*key)
			admit_required(e, f, "can not be empty");
		admit_field(f, sizeof(f), "%s.whenUnsatisfiable", cp);
		if (!admit_one_of(when, whens))
			admit_not_supported(e, f, when, whens);
		for (const cJSON *d = c->next; d; d = d->next)
			if (!strcmp(json_get_str(d, "topologyKey") ?: "", key) &&
			    !strcmp(json_get_str(d, "whenUnsatisfiable") ?: "", when)) {
				admit_field(f, sizeof(f), "%s.{topologyKey, whenUnsatisfiable}", cp);
				snprintf(dup, sizeof(dup), "{%s, %s}", key, when);
				admit_duplicate(e, f, dup);
				break;
			}
		min_domains(c, cp, when, e);
		inclusion(c, "nodeAffinityPolicy", cp, e);
		inclusion(c, "nodeTaintsPolicy", cp, e);
		spread_keys(c, cp, e);
		admit_field(f, sizeof(f), "%s.labelSelector", cp);
		label_selector(json_get(c, "labelSelector"), f, e);
	}
}
