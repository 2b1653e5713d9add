/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table-driven tests of fieldValidation's unknown-field detection
 * (openapi_unknown_fields) and server-side apply field ownership
 * (api_ssa_apply / api_ssa_update): conflicts, force, shared ownership,
 * Update entries taking fields over.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/api_int.h"
#include "cluster/openapi.h"
#include "cluster/patch.h"
#include "common/json.h"
#include "tests/tap.h"

/* Does the compact JSON of o contain needle? */
static bool has(const cJSON *o, const char *needle)
{
	char *s = cJSON_PrintUnformatted(o);
	bool r = s && strstr(s, needle);

	free(s);
	return r;
}

static const struct {
	const char *group, *kind, *obj;
	const char *want;	/* NULL: no unknown field */
} fields[] = {
	{ "apps", "Deployment", "{\"spec\":{\"replicas\":1}}", NULL },
	{ "apps", "Deployment", "{\"spec\":{\"replica\":1}}", "unknown field \"spec.replica\"" },
	{ "apps", "Deployment", "{\"spec\":{\"replica\":null}}", NULL },
	{ "apps", "Deployment", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\",\"imag\":\"x\"}]}}}}",
	  "unknown field \"spec.template.spec.containers[0].imag\"" },
	{ "apps", "Deployment", "{\"spec\":{\"$setElementOrder/x\":[],\"template\":{\"spec\":{\"affinity\":{\"anything\":1}}}}}", NULL },
	{ "", "ConfigMap", "{\"data\":{},\"dta\":{},\"x\":1}", "unknown field \"dta\", unknown field \"x\"" },
	{ "", "Namespace", "{\"whatever\":1}", "unknown field \"whatever\"" },
	/* duplicates first, as the apiserver's strict decoder reports them */
	{ "", "ConfigMap", "{\"data\":{\"a\":\"1\",\"a\":\"2\"},\"dta\":1}",
	  "duplicate field \"data.a\", unknown field \"dta\"" },
	{ "apps", "Deployment", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\",\"name\":\"b\"}]}}}}",
	  "duplicate field \"spec.template.spec.containers[0].name\"" },
	/* kinds checked through the protobuf tables (pb_schema_*.c) */
	{ "autoscaling", "HorizontalPodAutoscaler", "{\"spec\":{\"maxReplicas\":3,\"scaleTargetRef\":"
	  "{\"kind\":\"Deployment\",\"name\":\"d\"},\"targetCPUUtilizationPercentage\":50,\"x\":1}}",
	  "unknown field \"spec.x\"" },
	{ "batch", "Job", "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"status\":{\"x\":1},"
	  "\"spec\":{\"backoffLimit\":1,\"template\":{\"spec\":{\"restartPolicy\":\"Never\","
	  "\"containers\":[{\"name\":\"a\",\"image\":\"x\",\"livenessProbe\":{\"exec\":"
	  "{\"command\":[\"true\"]}},\"envFrom\":[{\"configMapRef\":{\"name\":\"c\"}}]}],"
	  "\"volumes\":[{\"name\":\"v\",\"configMap\":{\"name\":\"c\"}}]}}}}", NULL },
	{ "batch", "Job", "{\"spec\":{\"backofLimit\":1}}", "unknown field \"spec.backofLimit\"" },
	{ "batch", "Job", "{\"metadata\":{\"name\":\"j\",\"managedFields\":[{}],\"labls\":{}}}",
	  "unknown field \"metadata.labls\"" },
	{ "batch", "CronJob", "{\"spec\":{\"schedule\":\"@hourly\",\"jobTemplate\":{\"spec\":"
	  "{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\",\"imag\":\"x\"}]}}}}}}",
	  "unknown field \"spec.jobTemplate.spec.template.spec.containers[0].imag\"" },
	{ "networking.k8s.io", "Ingress", "{\"spec\":{\"rules\":[{\"host\":\"a\",\"http\":{\"paths\":"
	  "[{\"path\":\"/\",\"pathType\":\"Prefix\",\"backend\":{\"service\":{\"name\":\"s\","
	  "\"port\":{\"number\":80}}}}]}}]}}", NULL },
	{ "networking.k8s.io", "Ingress", "{\"spec\":{\"rules\":[{\"hots\":\"a\"}]}}",
	  "unknown field \"spec.rules[0].hots\"" },
	{ "rbac.authorization.k8s.io", "Role", "{\"rules\":[{\"verbs\":[\"get\"],\"resource\":[\"pods\"]}]}",
	  "unknown field \"rules[0].resource\"" },
	{ "apps", "StatefulSet", "{\"spec\":{\"replica\":1}}", "unknown field \"spec.replica\"" },
	{ "apps", "StatefulSet", "{\"spec\":{\"replicas\":1,\"serviceName\":\"s\",\"volumeClaimTemplates\":"
	  "[{\"metadata\":{\"name\":\"d\"},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],\"resources\":"
	  "{\"requests\":{\"storage\":\"1Gi\"}}},\"status\":{}}],\"persistentVolumeClaimRetentionPolicy\":"
	  "{\"whenDeleted\":\"Delete\"},\"updateStrategy\":{\"rollingUpdate\":{\"partition\":1}}}}", NULL },
	{ "apps", "StatefulSet", "{\"spec\":{\"volumeClaimTemplates\":[{\"spec\":{\"acessModes\":[]}}]}}",
	  "unknown field \"spec.volumeClaimTemplates[0].spec.acessModes\"" },
	{ "apps", "DaemonSet", "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"maxSurge\":1}},\"templat\":{}}}",
	  "unknown field \"spec.templat\"" },
	{ "", "LimitRange", "{\"spec\":{\"limits\":[{\"type\":\"Container\",\"default\":{\"cpu\":\"1\"},\"defaultRequst\":{}}]}}",
	  "unknown field \"spec.limits[0].defaultRequst\"" },
	/* kinds added to the generated tables (storage, networking, discovery, ...) */
	{ "storage.k8s.io", "StorageClass", "{\"provisioner\":\"p\",\"parameters\":{\"a\":\"b\"},"
	  "\"reclaimPolicy\":\"Delete\",\"volumeBindingMode\":\"WaitForFirstConsumer\","
	  "\"allowedTopologies\":[{\"matchLabelExpressions\":[{\"key\":\"k\",\"values\":[\"v\"]}]}]}", NULL },
	{ "storage.k8s.io", "StorageClass", "{\"provisioner\":\"p\",\"reclaimPolicyy\":\"Delete\"}",
	  "unknown field \"reclaimPolicyy\"" },
	{ "storage.k8s.io", "CSIDriver", "{\"spec\":{\"attachRequired\":true,\"podInfoOnMount\":true,\"x\":1}}",
	  "unknown field \"spec.x\"" },
	{ "", "PersistentVolume", "{\"spec\":{\"capacity\":{\"storage\":\"1Gi\"},\"accessModes\":[\"ReadWriteOnce\"],"
	  "\"hostPath\":{\"path\":\"/x\",\"typ\":\"\"}}}", "unknown field \"spec.hostPath.typ\"" },
	{ "", "PersistentVolume", "{\"spec\":{\"capacity\":{\"storage\":\"1Gi\"},\"csi\":{\"driver\":\"d\","
	  "\"volumeHandle\":\"h\"},\"claimRef\":{\"name\":\"c\"},\"nodeAffinity\":{\"required\":"
	  "{\"nodeSelectorTerms\":[]}}}}", NULL },
	{ "networking.k8s.io", "NetworkPolicy", "{\"spec\":{\"podSelector\":{},\"policyTypes\":[\"Ingress\"],"
	  "\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":\"10.0.0.0/8\"}}],\"ports\":[{\"port\":80}]}]}}", NULL },
	{ "networking.k8s.io", "NetworkPolicy", "{\"spec\":{\"podSelector\":{},\"ingress\":[{\"form\":[]}]}}",
	  "unknown field \"spec.ingress[0].form\"" },
	{ "networking.k8s.io", "IngressClass", "{\"spec\":{\"controller\":\"c\",\"paramters\":{}}}",
	  "unknown field \"spec.paramters\"" },
	{ "discovery.k8s.io", "EndpointSlice", "{\"addressType\":\"IPv4\",\"endpoints\":[{\"addresses\":"
	  "[\"10.0.0.1\"],\"conditions\":{\"ready\":true},\"nodeName\":\"n\"}],\"ports\":[{\"port\":80}]}", NULL },
	{ "discovery.k8s.io", "EndpointSlice", "{\"endpoints\":[{\"address\":[]}]}",
	  "unknown field \"endpoints[0].address\"" },
	{ "coordination.k8s.io", "Lease", "{\"spec\":{\"holderIdentity\":\"a\",\"leaseDurationSeconds\":15,"
	  "\"renewTime\":\"2024-01-01T00:00:00.000000Z\",\"holder\":1}}", "unknown field \"spec.holder\"" },
	{ "admissionregistration.k8s.io", "ValidatingWebhookConfiguration", "{\"webhooks\":[{\"name\":\"a.b.c\","
	  "\"clientConfig\":{\"service\":{\"name\":\"s\",\"namespace\":\"n\"}},\"rules\":[{\"operations\":"
	  "[\"CREATE\"],\"apiGroups\":[\"\"],\"apiVersions\":[\"v1\"],\"resources\":[\"pods\"]}],"
	  "\"sideEffects\":\"None\",\"admissionReviewVersions\":[\"v1\"],\"timeout\":5}]}",
	  "unknown field \"webhooks[0].timeout\"" },
	{ "scheduling.k8s.io", "PriorityClass", "{\"value\":10,\"globalDefault\":false,\"descripton\":\"\"}",
	  "unknown field \"descripton\"" },
	{ "node.k8s.io", "RuntimeClass", "{\"handler\":\"runc\",\"overhead\":{\"podFixed\":{\"cpu\":\"1\"}},\"x\":1}",
	  "unknown field \"x\"" },
};

/* Kinds served at another version than v1. */
static const struct {
	const char *group, *version, *kind, *obj;
	const char *want;
} fields_ver[] = {
	{ "autoscaling", "v2", "HorizontalPodAutoscaler", "{\"spec\":{\"maxReplicas\":3,\"scaleTargetRef\":"
	  "{\"kind\":\"Deployment\",\"name\":\"d\"},\"metrics\":[{\"type\":\"Resource\",\"resource\":"
	  "{\"name\":\"cpu\",\"target\":{\"type\":\"Utilization\",\"averageUtilization\":50}}}],"
	  "\"behavior\":{\"scaleDown\":{\"stabilizationWindowSeconds\":60}}}}", NULL },
	{ "autoscaling", "v2", "HorizontalPodAutoscaler", "{\"spec\":{\"maxReplicas\":3,"
	  "\"targetCPUUtilizationPercentage\":50}}", "unknown field \"spec.targetCPUUtilizationPercentage\"" },
	{ "autoscaling", "v2", "HorizontalPodAutoscaler", "{\"spec\":{\"metrics\":[{\"resource\":"
	  "{\"name\":\"cpu\",\"target\":{\"averageUtilisation\":50}}}]}}",
	  "unknown field \"spec.metrics[0].resource.target.averageUtilisation\"" },
};

static void test_fields_ver(void)
{
	for (size_t i = 0; i < sizeof(fields_ver) / sizeof(fields_ver[0]); i++) {
		cJSON *o = cJSON_Parse(fields_ver[i].obj);
		char *got = openapi_unknown_fields(fields_ver[i].group, fields_ver[i].version,
						   fields_ver[i].kind, o, false);

		if (fields_ver[i].want)
			is_str(got, fields_ver[i].want, "unknown fields of %s", fields_ver[i].obj);
		else
			ok(!got, "no unknown field in %s", fields_ver[i].obj);
		free(got);
		cJSON_Delete(o);
	}
}

static void test_fields(void)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		cJSON *o = cJSON_Parse(fields[i].obj);
		char *got = openapi_unknown_fields(fields[i].group, "v1", fields[i].kind, o, true);

		if (fields[i].want)
			is_str(got, fields[i].want, "unknown fields of %s", fields[i].obj);
		else
			ok(!got, "no unknown field in %s", fields[i].obj);
		ok(!fields[i].want || !has(o, "dta"),
		   "dropped with drop=true (%zu)", i);
		free(got);
		cJSON_Delete(o);
	}
}

#define DEP(r, img) "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"w\"}," \
	"\"spec\":{\"replicas\":" #r ",\"template\":{\"spec\":{\"containers\":[{\"name\":\"m\",\"image\":\"" img "\"}]}}}}"

/* Apply body by manager onto live (both JSON); live becomes the result. */
static int apply(cJSON **live, const char *body, const char *manager,
		 bool force, struct err *e)
{
	cJSON *b = cJSON_Parse(body), *nw = cJSON_Duplicate(*live, true);
	int rc = api_ssa_apply(nw, *live, b, manager, force, e);

	if (rc == 0) {
		cJSON_Delete(*live);
		*live = nw;
		cJSON_ReplaceItemInObject(*live, "spec", cJSON_Duplicate(cJSON_GetObjectItem(b, "spec"), true));
	} else {
		cJSON_Delete(nw);
	}
	cJSON_Delete(b);
	return rc;
}

static int managers(const cJSON *o)
{
	return cJSON_GetArraySize(json_get(o, "metadata.managedFields"));
}

static void test_ssa(void)
{
	cJSON *live = cJSON_Parse(DEP(1, "a")), *nw;
	struct err e;
	const cJSON *mf;

	ok(api_ssa_apply(live, NULL, live, "kubectl", false, &e) == 0, "create records an Apply");
	mf = cJSON_GetArrayItem(json_get(live, "metadata.managedFields"), 0);
	is_str(json_get_str(mf, "operation"), "Apply", "operation Apply");
	ok(has(mf, "\"f:replicas\":{}") && has(mf, "\"k:{\\\"name\\\":\\\"m\\\"}\""),
	   "FieldsV1 has f:replicas and the keyed container");
	ok(apply(&live, DEP(2, "a"), "kubectl", false, &e) == 0, "same manager changes its field");
	ok(apply(&live, DEP(5, "a"), "other", false, &e) < 0, "another manager conflicts");
	is_int(e.code, ERR_CONFLICT, "409 Conflict");
	is_str(e.msg, "Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas", "conflict message");
	ok(apply(&live, DEP(5, "b"), "other", false, &e) < 0, "two conflicts");
	ok(strstr(e.msg, "Apply failed with 2 conflicts: conflicts with \"kubectl\":\n- .spec.replicas\n- .spec.template.spec.containers[name=\"m\"].image") != NULL,
	   "multi-field message lists paths");
	ok(apply(&live, DEP(2, "a"), "third", false, &e) == 0, "same values: shared, no conflict");
	is_int(managers(live), 2, "two Apply entries");
	ok(apply(&live, DEP(7, "a"), "other", true, &e) == 0, "force takes the field");
	ok(apply(&live, DEP(8, "a"), "other", false, &e) == 0, "new owner changes it freely");
	ok(apply(&live, DEP(9, "a"), "kubectl", false, &e) < 0, "old owner now conflicts");
	nw = cJSON_Duplicate(live, true);
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(nw, "spec"), "replicas", cJSON_CreateNumber(3));
	api_ssa_update(nw, live, "kubectl-edit");
	ok(has(nw, "\"manager\":\"kubectl-edit\",\"operation\":\"Update\""),
	   "an update records an Update entry");
	cJSON_Delete(live);
	live = nw;
	ok(apply(&live, DEP(4, "a"), "other", false, &e) < 0 && strstr(e.msg, "kubectl-edit"),
	   "the updater owns the field now");
	cJSON_Delete(live);
}

/* Names (or values) of the list at path of o, joined by ",". */
static void names(const cJSON *o, const char *path, char *out, size_t n)
{
	const cJSON *el;
	size_t len = 0;

	out[0] = 0;
	cJSON_ArrayForEach(el, json_get(o, path)) {
		const char *v = cJSON_IsString(el) ? el->valuestring : json_get_str(el, "name");

		len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "," : "", v ? v : "?");
		if (len >= n)
			break;
	}
}

#define CT(n) "{\"name\":\"" n "\",\"image\":\"i\"}"
#define PODS(fin, cs) "{\"metadata\":{\"name\":\"d\",\"finalizers\":[" fin "]},\"spec\":{\"template\":{\"spec\":{\"containers\":[" cs "]}}}}"

/* structured-merge-diff's list order after an apply (api_ssa_shape). */
static void test_order(void)
{
	static const struct {
		const char *live, *merged, *applied, *want_c, *want_f;
	} cs[] = {
		/* another manager's x stays before b; the applied order wins */
		{ PODS("", CT("a") "," CT("x") "," CT("b")),
		  PODS("", CT("a") "," CT("x") "," CT("b") "," CT("c")),
		  PODS("", CT("b") "," CT("a") "," CT("c")), "x,b,a,c", "" },
		{ PODS("\"f1\",\"f2\"", CT("a")), PODS("\"f1\",\"f2\",\"f3\"", CT("a")),
		  PODS("\"f3\",\"f1\"", CT("a")), "a", "f3,f1,f2" },
		{ PODS("", CT("a") "," CT("b")), PODS("", CT("a") "," CT("b") "," CT("c")),
		  PODS("", CT("a") "," CT("c") "," CT("b")), "a,c,b", "" },
		{ PODS("", CT("p") "," CT("a") "," CT("q")),
		  PODS("", CT("p") "," CT("a") "," CT("q") "," CT("n")),
		  PODS("", CT("n") "," CT("a")), "p,n,a,q", "" },
	};
	char got[128];

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		cJSON *live = cJSON_Parse(cs[i].live), *nw = cJSON_Parse(cs[i].merged);
		cJSON *ap = cJSON_Parse(cs[i].applied);

		api_ssa_shape(nw, live, ap, NULL);
		names(nw, "spec.template.spec.containers", got, sizeof(got));
		is_str(got, cs[i].want_c, "order %zu: containers", i);
		names(nw, "metadata.finalizers", got, sizeof(got));
		is_str(got, cs[i].want_f, "order %zu: finalizers", i);
		cJSON_Delete(live);
		cJSON_Delete(nw);
		cJSON_Delete(ap);
	}
}

/* A custom resource: list-map order by its keys, an atomic map replaced whole. */
static void test_cr_shape(void)
{
	cJSON *sch = cJSON_Parse("{\"type\":\"object\",\"properties\":{\"spec\":{\"type\":\"object\",\"properties\":{"
				 "\"sel\":{\"type\":\"object\",\"x-kubernetes-map-type\":\"atomic\",\"additionalProperties\":{\"type\":\"string\"}},"
				 "\"gran\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}},"
				 "\"ports\":{\"type\":\"array\",\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"name\"],"
				 "\"items\":{\"type\":\"object\"}}}}}}");
	cJSON *live = cJSON_Parse("{\"spec\":{\"sel\":{\"a\":\"1\",\"b\":\"2\"},\"gran\":{\"a\":\"1\"},"
				  "\"ports\":[{\"name\":\"x\"},{\"name\":\"y\"}]}}");
	cJSON *nw = cJSON_Parse("{\"spec\":{\"sel\":{\"a\":\"1\",\"b\":\"3\"},\"gran\":{\"a\":\"1\",\"b\":\"3\"},"
				"\"ports\":[{\"name\":\"x\"},{\"name\":\"y\"},{\"name\":\"z\"}]}}");
	cJSON *ap = cJSON_Parse("{\"spec\":{\"sel\":{\"b\":\"3\"},\"gran\":{\"b\":\"3\"},"
				"\"ports\":[{\"name\":\"z\"},{\"name\":\"y\"}]}}");
	char got[128];

	api_ssa_shape(nw, live, ap, sch);
	ok(has(json_get(nw, "spec.sel"), "{\"b\":\"3\"}") && !json_get(nw, "spec.sel.a"),
	   "atomic map replaced as a whole");
	ok(json_get(nw, "spec.gran.a") && json_get(nw, "spec.gran.b"), "granular map merged");
	names(nw, "spec.ports", got, sizeof(got));
	is_str(got, "x,z,y", "list-map in SMD order");
	cJSON_Delete(sch);
	cJSON_Delete(live);
	cJSON_Delete(nw);
	cJSON_Delete(ap);
}

/* Built-in kinds: a pod template's nodeSelector and a selector are atomic
 * (patch_atomic), labels are granular; table over (parent, field). */
static void test_builtin_atomic(void)
{
	static const struct {
		const char *parent, *field;
		bool atomic;
	} cs[] = {
		{ "spec", "nodeSelector", true }, { "spec", "selector", true },
		{ "valueFrom", "configMapKeyRef", true }, { "service", "port", true },
		{ "metadata", "ownerReferences", true }, { "metadata", "labels", false },
		{ "properties", "selector", false }, { "envFrom", "secretRef", false },
		{ "cephfs", "secretRef", true }, { "spec", "template", false },
	};
#define TPL(l, n) "{\"spec\":{\"template\":{\"metadata\":{\"labels\":{" l "}}," \
			"\"spec\":{\"nodeSelector\":{" n "}}}}}"
	cJSON *live = cJSON_Parse(TPL("\"a\":\"1\"", "\"a\":\"1\""));
	cJSON *nw = cJSON_Parse(TPL("\"a\":\"1\",\"b\":\"2\"", "\"a\":\"1\",\"b\":\"2\""));
	cJSON *ap = cJSON_Parse(TPL("\"b\":\"2\"", "\"b\":\"2\""));
#undef TPL

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++)
		ok(patch_atomic(cs[i].parent, cs[i].field) == cs[i].atomic,
		   "%s.%s atomic: %d", cs[i].parent, cs[i].field, cs[i].atomic);
	api_ssa_shape(nw, live, ap, NULL);
	ok(has(json_get(nw, "spec.template.spec.nodeSelector"), "{\"b\":\"2\"}") &&
	   !json_get(nw, "spec.template.spec.nodeSelector.a"), "built-in atomic map replaced whole");
	ok(json_get(nw, "spec.template.metadata.labels.a") != NULL, "granular labels merged");
	cJSON_Delete(live);
	cJSON_Delete(nw);
	cJSON_Delete(ap);
}

int main(void)
{
	test_order();
	test_cr_shape();
	test_builtin_atomic();
	test_fields();
	test_fields_ver();
	test_ssa();
	return tap_done();
}
