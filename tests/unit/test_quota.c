/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_quota: resource-list arithmetic, object usage, scopes, and the
 * LimitRanger / ResourceQuota admission messages over a scratch store.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tap.h"
#include "cluster/quota.h"
#include "cluster/registry.h"
#include "common/json.h"

static cJSON *parse(const char *s)
{
	cJSON *o = cJSON_Parse(s);

	if (!o)
		fprintf(stderr, "bad fixture: %s\n", s);
	return o;
}

/* The first container of pod. */
static const cJSON *c0(const cJSON *pod)
{
	return cJSON_GetArrayItem(json_get(pod, "spec.containers"), 0);
}

static const char pod_ab[] =
	"{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":{"
	"\"containers\":[{\"name\":\"a\",\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"},"
	"\"limits\":{\"cpu\":\"500m\",\"memory\":\"128Mi\"}}},"
	"{\"name\":\"b\",\"resources\":{\"requests\":{\"cpu\":\"250m\"}}}],"
	"\"initContainers\":[{\"name\":\"i\",\"resources\":{\"requests\":{\"cpu\":\"1\"}}}]}}";

static const struct {
	const char *group, *plural, *obj, *want;
} usage_cases[] = {
	{ "", "pods", pod_ab,
	  "count/pods=1,cpu=1,limits.cpu=500m,limits.memory=128Mi,memory=64Mi,pods=1,requests.cpu=1,requests.memory=64Mi" },
	{ "", "pods", "{\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Succeeded\"}}", "" },
	{ "", "pods", "{\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Running\"}}", "count/pods=1,pods=1" },
	{ "", "services", "{\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":1},{\"port\":2}]}}",
	  "count/services=1,services=1,services.nodeports=2" },
	{ "", "services", "{\"spec\":{\"type\":\"LoadBalancer\",\"ports\":[{\"port\":1}]}}",
	  "count/services=1,services=1,services.loadbalancers=1,services.nodeports=1" },
	{ "", "persistentvolumeclaims", "{\"spec\":{\"storageClassName\":\"gold\",\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}}}",
	  "count/persistentvolumeclaims=1,gold.storageclass.storage.k8s.io/persistentvolumeclaims=1,gold.storageclass.storage.k8s.io/requests.storage=1Gi,persistentvolumeclaims=1,requests.storage=1Gi" },
	{ "", "configmaps", "{}", "configmaps=1,count/configmaps=1" },
	{ "apps", "deployments", "{}", "count/deployments.apps=1" },
};

static void test_usage(void)
{
	for (size_t i = 0; i < sizeof(usage_cases) / sizeof(usage_cases[0]); i++) {
		cJSON *o = parse(usage_cases[i].obj);
		struct qlist l = QLIST_INIT;
		char *s;

		quota_usage(usage_cases[i].group, usage_cases[i].plural, o, &l);
		s = qlist_pretty(&l, NULL);
		is_str(s, usage_cases[i].want, "usage of %s #%zu", usage_cases[i].plural, i);
		free(s);
		qlist_free(&l);
		cJSON_Delete(o);
	}
}

static void test_arith(void)
{
	struct qlist a = QLIST_INIT, mask = QLIST_INIT;
	cJSON *j = parse("{\"memory\":\"512Mi\",\"cpu\":\"250m\",\"bad\":\"x1\"}"), *out;
	struct quantity q;
	struct err e;
	char *s;

	qlist_from_json(&a, j);
	qlist_from_json(&a, j);
	s = qlist_pretty(&a, NULL);
	is_str(s, "cpu=500m,memory=1Gi", "sums keep the format, sorted, bad entries skipped");
	free(s);
	quantity_parse("2", &q, &e);
	qlist_max(&a, "cpu", &q);
	qlist_max(&a, "memory", &q);
	qlist_set(&mask, "cpu", &q);
	s = qlist_pretty(&a, &mask);
	is_str(s, "cpu=2", "max raises, mask filters");
	free(s);
	out = qlist_to_json(&a);
	is_str(json_get_str(out, "memory"), "1Gi", "to_json canonical");
	ok(qlist_find(&a, "nope") == NULL, "find missing");
	cJSON_Delete(out);
	cJSON_Delete(j);
	qlist_free(&a);
	qlist_free(&mask);
	qlist_free(NULL);
}

static const struct {
	const char *name;
	bool group_ok;
	const char *group, *plural;
} res_cases[] = {
	{ "requests.cpu", true, "", "pods" },
	{ "limits.memory", true, "", "pods" },
	{ "cpu", true, "", "pods" },
	{ "requests.storage", true, "", "persistentvolumeclaims" },
	{ "services.nodeports", true, "", "services" },
	{ "count/deployments.apps", true, "apps", "deployments" },
	{ "count/widgets.example.com", true, "example.com", "widgets" },
	{ "secrets", true, "", "secrets" },
	{ "bogus", false, NULL, NULL },
	{ "count/", false, NULL, NULL },
};

static void test_resource_of(void)
{
	for (size_t i = 0; i < sizeof(res_cases) / sizeof(res_cases[0]); i++) {
		char g[64], p[64];
		bool got = quota_resource_of(res_cases[i].name, g, sizeof(g), p, sizeof(p));

		is_int(got, res_cases[i].group_ok, "resource of %s", res_cases[i].name);
		if (got && res_cases[i].group_ok) {
			is_str(g, res_cases[i].group, "group of %s", res_cases[i].name);
			is_str(p, res_cases[i].plural, "plural of %s", res_cases[i].name);
		}
	}
}

static void test_scopes_qos(void)
{
	cJSON *q = parse("{\"spec\":{\"scopes\":[\"BestEffort\",\"NotTerminating\"]}}");
	cJSON *be = parse("{\"spec\":{\"containers\":[{\"name\":\"a\"}]}}");
	cJSON *term = parse("{\"spec\":{\"activeDeadlineSeconds\":5,\"containers\":[{\"name\":\"a\"}]}}");
	cJSON *g = parse("{\"spec\":{\"containers\":[{\"name\":\"a\",\"resources\":{\"limits\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}}}]}}");
	cJSON *p = parse(pod_ab);

	ok(quota_scopes_match(q, "pods", be), "BestEffort+NotTerminating matches");
	ok(!quota_scopes_match(q, "pods", term), "Terminating pod does not match");
	ok(!quota_scopes_match(q, "services", be), "scoped quota skips other kinds");
	quota_pod_defaults(g);
	is_str(json_get_str(c0(g), "resources.requests.cpu"), "1", "request defaults to limit");
	quota_pod_qos(g);
	is_str(json_get_str(g, "status.qosClass"), "Guaranteed", "qos Guaranteed");
	quota_pod_qos(be);
	is_str(json_get_str(be, "status.qosClass"), "BestEffort", "qos BestEffort");
	quota_pod_qos(p);
	is_str(json_get_str(p, "status.qosClass"), "Burstable", "qos Burstable");
	ok(!quota_scopes_match(q, "pods", g), "NotBestEffort pod does not match");
	cJSON_Delete(q);
	cJSON_Delete(be);
	cJSON_Delete(term);
	cJSON_Delete(g);
	cJSON_Delete(p);
}

static void put(struct store *st, const char *res, const char *name,
		const char *json)
{
	char *k = store_key(NULL, res, "ns", name);
	cJSON *o = parse(json);
	struct err e;

	ok(store_create(st, k, o, NULL, &e) == 0, "store %s/%s", res, name);
	cJSON_Delete(o);
	free(k);
}

static int admit_pod(struct store *st, const char *json, cJSON **out,
		     struct err *e)
{
	const struct reg_kind *k = reg_find("", "v1", "pods");
	cJSON *o = parse(json);
	bool locked = false;
	int rc = limitrange_admit(st, k, "x", o, e);

	if (rc == 0)
		rc = quota_admit(st, k, "x", NULL, o, &locked, e);
	quota_admit_done(locked);
	if (out)
		*out = o;
	else
		cJSON_Delete(o);
	return rc;
}

#define POD(res) "{\"metadata\":{\"name\":\"x\",\"namespace\":\"ns\"},\"spec\":{\"containers\":[{\"name\":\"app\"" res "}]}}"

static void test_limitrange(struct store *st)
{
	struct err e;
	cJSON *p = NULL;

	put(st, "limitranges", "lr", "{\"metadata\":{\"name\":\"lr\",\"namespace\":\"ns\"},\"spec\":{\"limits\":[{\"type\":\"Container\","
	    "\"default\":{\"cpu\":\"500m\"},\"defaultRequest\":{\"cpu\":\"200m\",\"memory\":\"64Mi\"},\"max\":{\"cpu\":\"1\"},\"min\":{\"memory\":\"32Mi\"}}]}}");
	ok(admit_pod(st, POD(""), &p, &e) == 0, "defaults fit");
	is_str(json_get_str(c0(p), "resources.limits.cpu"), "500m", "default limit");
	is_str(json_get_str(c0(p), "resources.requests.memory"), "64Mi", "default request");
	is_str(json_get_str(p, "metadata.annotations.kubernetes\\.io/limit-ranger"),
	       "LimitRanger plugin set: cpu, memory request for container app; cpu limit for container app",
	       "annotation");
	cJSON_Delete(p);
	ok(admit_pod(st, POD(",\"resources\":{\"limits\":{\"cpu\":\"2\"},\"requests\":{\"memory\":\"16Mi\"}}"), NULL, &e) < 0,
	   "max and min refused");
	is_str(e.msg, "pods \"x\" is forbidden: [minimum memory usage per Container is 32Mi, but request is 16Mi, maximum cpu usage per Container is 1, but limit is 2]",
	       "min/max message");
	is_int(e.code, ERR_FORBIDDEN, "403");
}

static void test_quota(struct store *st)
{
	char *k = store_key(NULL, "limitranges", "ns", "lr");
	struct err e;

	ok(store_delete(st, k, 0, NULL, &e) == 0, "LimitRange removed");
	free(k);
	put(st, "resourcequotas", "compute", "{\"metadata\":{\"name\":\"compute\",\"namespace\":\"ns\"},\"spec\":{\"hard\":{\"limits.cpu\":\"2\",\"requests.memory\":\"1Gi\",\"pods\":\"3\"}}}");
	ok(admit_pod(st, POD(""), NULL, &e) < 0, "pod without limits refused");
	is_str(e.msg, "pods \"x\" is forbidden: failed quota: compute: must specify limits.cpu for: app; requests.memory for: app",
	       "must specify message");
	put(st, "pods", "a", POD(",\"resources\":{\"limits\":{\"cpu\":\"1\"},\"requests\":{\"memory\":\"1Mi\"}}"));
	ok(admit_pod(st, POD(",\"resources\":{\"limits\":{\"cpu\":\"2\"},\"requests\":{\"memory\":\"64Mi\"}}"), NULL, &e) < 0,
	   "over quota refused");
	is_str(e.msg, "pods \"x\" is forbidden: exceeded quota: compute, requested: limits.cpu=2, used: limits.cpu=1, limited: limits.cpu=2",
	       "exceeded message");
	ok(admit_pod(st, POD(",\"resources\":{\"limits\":{\"cpu\":\"500m\"},\"requests\":{\"memory\":\"64Mi\"}}"), NULL, &e) == 0,
	   "within quota admitted");
	put(st, "pods", "done", "{\"spec\":{\"containers\":[{\"name\":\"app\",\"resources\":{\"limits\":{\"cpu\":\"1\"},\"requests\":{\"memory\":\"1Mi\"}}}]},\"status\":{\"phase\":\"Failed\"}}");
	ok(admit_pod(st, POD(",\"resources\":{\"limits\":{\"cpu\":\"1\"},\"requests\":{\"memory\":\"64Mi\"}}"), NULL, &e) == 0,
	   "terminal pods do not count");
}

static void test_store(void)
{
	char path[] = "/tmp/test_quota.XXXXXX";
	int fd = mkstemp(path);
	struct store_options opt = { 0 };
	struct store *st = NULL;
	struct err e;

	if (fd < 0) {
		ok(0, "mkstemp");
		return;
	}
	close(fd);
	unlink(path);
	opt.path = path;
	if (store_open(&opt, &st, &e) < 0) {
		diag("store not available: skipping the store-backed tests");
		return;
	}
	test_limitrange(st);
	test_quota(st);
	store_close(st);
	unlink(path);
}

int main(void)
{
	test_usage();
	test_arith();
	test_resource_of();
	test_scopes_qos();
	test_store();
	return tap_done();
}
