/* SPDX-License-Identifier: Apache-2.0 */
/* admit: defaulting, validation messages, immutable fields per kind. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "cluster/admit.h"
#include "common/json.h"

static const struct reg_kind *kind(const char *g, const char *plural)
{
	return reg_find(g, "v1", plural);
}

/* Create obj (JSON text) as kind; returns rc and leaves e/out. */
static int create(const char *g, const char *plural, const char *text,
		  cJSON **out, struct err *e)
{
	cJSON *o = cJSON_Parse(text);
	int rc = admit_create(kind(g, plural), o, e);

	if (out)
		*out = o;
	else
		cJSON_Delete(o);
	return rc;
}

static const struct {
	const char *g, *plural, *obj, *msg;
} invalid[] = {
	{ "", "pods", "{\"metadata\":{\"name\":\"p\"},\"spec\":{}}",
	  "Pod \"p\" is invalid: spec.containers: Required value" },
	{ "", "pods", "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\"}]}}",
	  "Pod \"p\" is invalid: spec.containers[0].image: Required value" },
	{ "", "pods", "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\"},{\"name\":\"c\",\"image\":\"y\"}]}}",
	  "Pod \"p\" is invalid: spec.containers[1].name: Duplicate value: \"c\"" },
	{ "", "configmaps", "{\"metadata\":{\"name\":\"Bad\"}}",
	  "ConfigMap \"Bad\" is invalid: metadata.name: Invalid value: \"Bad\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')" },
	{ "", "namespaces", "{\"metadata\":{\"name\":\"a.b\"}}",
	  "Namespace \"a.b\" is invalid: metadata.name: Invalid value: \"a.b\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
	{ "", "services", "{\"metadata\":{\"name\":\"1svc\"},\"spec\":{\"ports\":[{\"port\":80}]}}",
	  "Service \"1svc\" is invalid: metadata.name: Invalid value: \"1svc\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')" },
	{ "", "services", "{\"metadata\":{\"name\":\"s\"},\"spec\":{}}",
	  "Service \"s\" is invalid: spec.ports: Required value" },
	{ "", "configmaps", "{\"metadata\":{\"name\":\"c\",\"labels\":{\"a b\":\"x\"}}}",
	  "ConfigMap \"c\" is invalid: metadata.labels: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')" },
	{ "", "configmaps", "{\"metadata\":{\"name\":\"c\"},\"data\":{\"a b\":\"x\"}}",
	  "ConfigMap \"c\" is invalid: data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')" },
	{ "", "secrets", "{\"metadata\":{\"name\":\"s\"},\"data\":{\"k\":\"not base64!\"}}",
	  "Secret \"s\" is invalid: data[k]: Invalid value: \"<secret contents redacted>\": illegal base64 data" },
	{ "apps", "deployments", "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"a\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"b\",\"x\":\"y\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}",
	  "Deployment.apps \"d\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"b\", \"x\":\"y\"}: `selector` does not match template `labels`" },
	{ "apps", "deployments", "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}",
	  "Deployment.apps \"d\" is invalid: spec.selector: Required value" },
	{ "", "pods", "{\"metadata\":{\"name\":\"P\"},\"spec\":{}}",
	  "Pod \"P\" is invalid: [metadata.name: Invalid value: \"P\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), spec.containers: Required value]" },
};

static void test_invalid(void)
{
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		struct err e;

		is_int(create(invalid[i].g, invalid[i].plural, invalid[i].obj, NULL, &e), -1,
		       "invalid %zu rejected", i);
		is_int(e.code, ERR_INVALID, "invalid %zu is 422", i);
		is_str(e.msg, invalid[i].msg, "invalid %zu message", i);
	}
}

static void test_pod_defaults(void)
{
	struct err e;
	cJSON *p = NULL;

	is_int(create("", "pods", "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"nginx\"},{\"name\":\"b\",\"image\":\"reg:5000/x:1.2\",\"ports\":[{\"containerPort\":80}]}]}}",
			  &p, &e), 0, "pod admitted");
	is_str(json_get_str(p, "spec.restartPolicy"), "Always", "restartPolicy");
	is_str(json_get_str(p, "spec.dnsPolicy"), "ClusterFirst", "dnsPolicy");
	is_str(json_get_str(p, "spec.schedulerName"), "default-scheduler", "schedulerName");
	is_str(json_get_str(p, "spec.serviceAccountName"), "default", "serviceAccountName");
	is_str(json_get_str(p, "spec.containers[0].imagePullPolicy"), "Always", "no tag: Always");
	is_str(json_get_str(p, "spec.containers[1].imagePullPolicy"), "IfNotPresent", "tag: IfNotPresent");
	is_str(json_get_str(p, "spec.containers[1].ports[0].protocol"), "TCP", "port protocol");
	is_str(json_get_str(p, "spec.containers[0].terminationMessagePath"), "/dev/termination-log", "terminationMessagePath");
	is_int(cJSON_GetArraySize(json_get(p, "spec.tolerations")), 2, "two default tolerations");
	ok(json_get_bool(p, "spec.enableServiceLinks", false), "enableServiceLinks");
	cJSON_Delete(p);
}

static void test_service_and_secret(void)
{
	struct err e;
	cJSON *s = NULL;

	is_int(create("", "services", "{\"metadata\":{\"name\":\"s\"},\"spec\":{\"ports\":[{\"port\":80}]}}", &s, &e), 0, "service admitted");
	is_str(json_get_str(s, "spec.type"), "ClusterIP", "type");
	is_str(json_get_str(s, "spec.sessionAffinity"), "None", "sessionAffinity");
	is_str(json_get_str(s, "spec.ipFamilies[0]"), "IPv4", "ipFamilies");
	ok(json_get(s, "spec.ports[0].targetPort") && json_get(s, "spec.ports[0].targetPort")->valuedouble == 80, "targetPort = port");
	cJSON_Delete(s);
	is_int(create("", "secrets", "{\"metadata\":{\"name\":\"s\"},\"stringData\":{\"a.b\":\"hello\"}}", &s, &e), 0, "secret admitted");
	is_str(json_get_str(s, "type"), "Opaque", "secret type");
	is_str(cJSON_GetObjectItem(json_get(s, "data"), "a.b")->valuestring, "aGVsbG8=", "stringData encoded into data");
	ok(json_get(s, "stringData") == NULL, "stringData removed");
	cJSON_Delete(s);
}

static void test_deploy_defaults(void)
{
	struct err e;
	cJSON *d = NULL;
	int64_t n = 0;

	is_int(create("apps", "deployments", "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"a\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"a\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i:1\"}]}}}}",
			  &d, &e), 0, "deployment admitted");
	json_get_int(d, "spec.replicas", &n);
	is_int(n, 1, "replicas 1");
	is_str(json_get_str(d, "spec.strategy.rollingUpdate.maxUnavailable"), "25%", "maxUnavailable");
	json_get_int(d, "spec.progressDeadlineSeconds", &n);
	is_int(n, 600, "progressDeadlineSeconds");
	cJSON_Delete(d);
}

static void test_immutable(void)
{
	static const struct { const char *g, *plural, *old, *nw, *msg; } c[] = {
		{ "", "configmaps", "{\"metadata\":{\"name\":\"c\"},\"immutable\":true,\"data\":{\"a\":\"1\"}}",
		  "{\"metadata\":{\"name\":\"c\"},\"immutable\":true,\"data\":{\"a\":\"2\"}}",
		  "ConfigMap \"c\" is invalid: data: Forbidden: field is immutable when `immutable` is set" },
		{ "", "services", "{\"metadata\":{\"name\":\"s\"},\"spec\":{\"clusterIP\":\"10.96.0.5\",\"ports\":[{\"port\":1}]}}",
		  "{\"metadata\":{\"name\":\"s\"},\"spec\":{\"clusterIP\":\"10.96.0.6\",\"ports\":[{\"port\":1}]}}",
		  "Service \"s\" is invalid: spec.clusterIPs[0]: Invalid value: \"10.96.0.6\": may not change once set" },
		{ "", "configmaps", "{\"metadata\":{\"name\":\"c\",\"namespace\":\"a\"}}",
		  "{\"metadata\":{\"name\":\"c\",\"namespace\":\"b\"}}",
		  "ConfigMap \"c\" is invalid: metadata.namespace: Invalid value: \"b\": field is immutable" },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		cJSON *o = cJSON_Parse(c[i].old), *n = cJSON_Parse(c[i].nw);
		struct err e;

		is_int(admit_update(kind(c[i].g, c[i].plural), o, n, &e), -1, "immutable %zu rejected", i);
		is_str(e.msg, c[i].msg, "immutable %zu message", i);
		cJSON_Delete(o);
		cJSON_Delete(n);
	}
}

int main(void)
{
	test_invalid();
	test_pod_defaults();
	test_service_and_secret();
	test_deploy_defaults();
	test_immutable();
	return tap_done();
}
