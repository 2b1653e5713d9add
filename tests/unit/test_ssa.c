/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table-driven tests of fieldValidation's unknown-field detection
 * (openapi_unknown_fields) and server-side apply field ownership
 * (api_ssa_apply / api_ssa_update): conflicts, force, shared ownership,
 * Update entries taking fields over.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/api_int.h"
#include "cluster/openapi.h"
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
};

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

int main(void)
{
	test_fields();
	test_ssa();
	return tap_done();
}
