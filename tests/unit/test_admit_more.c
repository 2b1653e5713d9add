/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit_more: content rules of RBAC (admit_rbac.c), PriorityClass
 * (admit_prio.c) and Ingress / IngressClass (admit_ingress.c) - one row
 * per rule with the cause the API server gives, valid objects passing,
 * and the immutable fields on update.  ' stands for " in the objects.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "cluster/admit.h"
#include "common/json.h"
#include "common/mem.h"

static cJSON *parse_q(const char *text)
{
	char *s = xstrdup(text);
	cJSON *o;

	for (char *c = s; *c; c++)
		if (*c == '\'')
			*c = '"';
	o = cJSON_Parse(s);
	free(s);
	return o;
}

#define RB "'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'Role','name':'r'}"
#define CRB "'roleRef':{'kind':'ClusterRole','name':'r'}"
#define NET "networking.k8s.io"
#define BE "'backend':{'service':{'name':'s','port':{'number':80}}}"

static const struct {
	const char *g, *plural, *text, *field, *reason, *message;
} rows[] = {
	{ "rbac.authorization.k8s.io", "roles", "{'metadata':{'name':'r'},'rules':[{'apiGroups':[''],'resources':['pods']}]}",
	  "rules[0].verbs", "FieldValueRequired", "Required value: verbs must contain at least one value" },
	{ "rbac.authorization.k8s.io", "roles", "{'metadata':{'name':'r'},'rules':[{'verbs':['get'],'resources':['pods']}]}",
	  "rules[0].apiGroups", "FieldValueRequired", "Required value: resource rules must supply at least one api group" },
	{ "rbac.authorization.k8s.io", "clusterroles", "{'metadata':{'name':'r'},'rules':[{'verbs':['get'],'apiGroups':['']}]}",
	  "rules[0].resources", "FieldValueRequired", "Required value: resource rules must supply at least one resource" },
	{ "rbac.authorization.k8s.io", "roles", "{'metadata':{'name':'r'},'rules':[{'verbs':['get'],'nonResourceURLs':['/healthz']}]}",
	  "rules[0].nonResourceURLs", "FieldValueInvalid",
	  "Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs" },
	{ "rbac.authorization.k8s.io", "clusterroles", "{'metadata':{'name':'r'},'rules':[{'verbs':['get'],'nonResourceURLs':['/a','/b'],'resources':['pods']}]}",
	  "rules[0].nonResourceURLs", "FieldValueInvalid",
	  "Invalid value: []string{\"/a\", \"/b\"}: rules cannot apply to both regular resources and non-resource URLs" },
	{ "rbac.authorization.k8s.io", "rolebindings", "{'metadata':{'name':'b'},'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'Secret','name':'r'}}",
	  "roleRef.kind", "FieldValueNotSupported", "Unsupported value: \"Secret\": supported values: \"Role\", \"ClusterRole\"" },
	{ "rbac.authorization.k8s.io", "clusterrolebindings", "{'metadata':{'name':'b'},'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'Role','name':'r'}}",
	  "roleRef.kind", "FieldValueNotSupported", "Unsupported value: \"Role\": supported values: \"ClusterRole\"" },
	{ "rbac.authorization.k8s.io", "rolebindings", "{'metadata':{'name':'b'},'roleRef':{'apiGroup':'apps','kind':'Role','name':'r'}}",
	  "roleRef.apiGroup", "FieldValueNotSupported", "Unsupported value: \"apps\": supported values: \"rbac.authorization.k8s.io\"" },
	{ "rbac.authorization.k8s.io", "rolebindings", "{'metadata':{'name':'b'},'roleRef':{'kind':'Role'}}",
	  "roleRef.name", "FieldValueRequired", "Required value" },
	{ "rbac.authorization.k8s.io", "clusterrolebindings", "{'metadata':{'name':'b'}," CRB ",'subjects':[{'kind':'ServiceAccount','name':'sa'}]}",
	  "subjects[0].namespace", "FieldValueRequired", "Required value" },
	{ "rbac.authorization.k8s.io", "rolebindings", "{'metadata':{'name':'b'}," RB ",'subjects':[{'kind':'Robot','name':'x'}]}",
	  "subjects[0].kind", "FieldValueNotSupported", "Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"" },
	{ "rbac.authorization.k8s.io", "rolebindings", "{'metadata':{'name':'b'}," RB ",'subjects':[{'kind':'User','name':'u','apiGroup':'x'}]}",
	  "subjects[0].apiGroup", "FieldValueNotSupported", "Unsupported value: \"x\": supported values: \"rbac.authorization.k8s.io\"" },
	{ "rbac.authorization.k8s.io", "rolebindings", "{'metadata':{'name':'b'}," RB ",'subjects':[{'kind':'ServiceAccount','name':'sa','apiGroup':'rbac.authorization.k8s.io'}]}",
	  "subjects[0].apiGroup", "FieldValueNotSupported", "Unsupported value: \"rbac.authorization.k8s.io\": supported values: \"\"" },
	{ "rbac.authorization.k8s.io", "rolebindings", "{'metadata':{'name':'b'}," RB ",'subjects':[{'kind':'Group'}]}",
	  "subjects[0].name", "FieldValueRequired", "Required value" },
	/* PriorityClass */
	{ "scheduling.k8s.io", "priorityclasses", "{'metadata':{'name':'high'},'value':1000000001}",
	  "value", "FieldValueForbidden", "Forbidden: maximum allowed value of a user defined priority is 1000000000" },
	{ "scheduling.k8s.io", "priorityclasses", "{'metadata':{'name':'system-mine'},'value':5}",
	  "metadata.name", "FieldValueForbidden",
	  "Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class" },
	{ "scheduling.k8s.io", "priorityclasses", "{'metadata':{'name':'system-node-critical'},'value':5}",
	  "metadata.name", "FieldValueForbidden",
	  "Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000" },
	{ "scheduling.k8s.io", "priorityclasses", "{'metadata':{'name':'p'},'value':5,'preemptionPolicy':'Always'}",
	  "preemptionPolicy", "FieldValueNotSupported", "Unsupported value: \"Always\": supported values: \"PreemptLowerPriority\", \"Never\"" },
	/* Ingress */
	{ NET, "ingresses", "{'metadata':{'name':'i'},'spec':{}}",
	  "spec", "FieldValueInvalid", "Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified" },
	{ NET, "ingresses", "{'metadata':{'name':'i'},'spec':{'rules':[{'host':'10.0.0.1','http':{'paths':[{'path':'/','pathType':'Prefix'," BE "}]}}]}}",
	  "spec.rules[0].host", "FieldValueInvalid", "Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address" },
	{ NET, "ingresses", "{'metadata':{'name':'i'},'spec':{'rules':[{'host':'a.*.com','http':{'paths':[{'path':'/','pathType':'Prefix'," BE "}]}}]}}",
	  "spec.rules[0].host", "FieldValueInvalid",
	  "Invalid value: \"a.*.com\": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')" },
	{ NET, "ingresses", "{'metadata':{'name':'i'},'spec':{'rules':[{'http':{'paths':[{'path':'/'," BE "}]}}]}}",
	  "spec.rules[0].http.paths[0].pathType", "FieldValueRequired", "Required value: pathType must be specified" },
	{ NET, "ingresses", "{'metadata':{'name':'i'},'spec':{'rules':[{'http':{'paths':[{'path':'/','pathType':'Regex'," BE "}]}}]}}",
	  "spec.rules[0].http.paths[0].pathType", "FieldValueNotSupported",
	  "Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"" },
	{ NET, "ingresses", "{'metadata':{'name':'i'},'spec':{'rules':[{'http':{'paths':[{'path':'api','pathType':'Exact'," BE "}]}}]}}",
	  "spec.rules[0].http.paths[0].path", "FieldValueInvalid", "Invalid value: \"api\": must be an absolute path" },
	{ NET, "ingresses", "{'metadata':{'name':'i'},'spec':{'rules':[{'http':{'paths':[{'path':'/a//b','pathType':'Prefix'," BE "}]}}]}}",
	  "spec.rules[0].http.paths[0].path", "FieldValueInvalid", "Invalid value: \"/a//b\": must not contain '//'" },
	{ NET, "ingresses", "{'metadata':{'name':'i'},'spec':{'rules':[{'http':{'paths':[{'path':'x','pathType':'ImplementationSpecific'," BE "}]}}]}}",
	  "spec.rules[0].http.paths[0].path", "FieldValueInvalid", "Invalid value: \"x\": must be an absolute path" },
	{ NET, "ingresses", "{'metadata':{'name':'i'},'spec':{'rules':[{'http':{'paths':[{'path':'/','pathType':'Prefix','backend':{}}]}}]}}",
	  "spec.rules[0].http.paths[0].backend", "FieldValueInvalid", "Invalid value: \"\": resource or service backend is required" },
	{ NET, "ingresses", "{'metadata':{'name':'i'},'spec':{'defaultBackend':{'service':{'name':'s','port':{'name':'http','number':80}}}}}",
	  "spec.defaultBackend", "FieldValueInvalid", "Invalid value: \"\": cannot set both port name & port number" },
	{ NET, "ingresses", "{'metadata':{'name':'i'},'spec':{'defaultBackend':{'service':{'name':'s'}}}}",
	  "spec.defaultBackend", "FieldValueRequired", "Required value: port name or number is required" },
	{ NET, "ingresses", "{'metadata':{'name':'i'},'spec':{'defaultBackend':{'service':{'name':'s','port':{'number':70000}}}}}",
	  "spec.defaultBackend.service.port.number", "FieldValueInvalid", "Invalid value: 70000: must be between 1 and 65535, inclusive" },
	{ NET, "ingresses", "{'metadata':{'name':'i'},'spec':{'defaultBackend':{'service':{'name':'s','port':{'number':80}},'resource':{'kind':'K','name':'n'}}}}",
	  "spec.defaultBackend", "FieldValueInvalid", "Invalid value: \"\": cannot set both resource and service backends" },
	{ NET, "ingresses", "{'metadata':{'name':'i'},'spec':{'defaultBackend':{'service':{'name':'s','port':{'number':80}}},'tls':[{'hosts':['Bad_Host']}]}}",
	  "spec.tls[0].hosts[0]", "FieldValueInvalid",
	  "Invalid value: \"Bad_Host\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')" },
	{ NET, "ingressclasses", "{'metadata':{'name':'c'},'spec':{'controller':'nginx'}}",
	  "spec.controller", "FieldValueInvalid", "Invalid value: \"nginx\": must be a domain-prefixed path (such as \"acme.io/foo\")" },
	{ NET, "ingressclasses", "{'metadata':{'name':'c'},'spec':{}}",
	  "spec.controller", "FieldValueRequired", "Required value" },
};

static void test_rows(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cJSON *o = parse_q(rows[i].text);
		struct err e;

		if (!ok(o != NULL, "row %zu parses", i))
			continue;
		is_int(admit_create(reg_find(rows[i].g, "v1", rows[i].plural), o, &e), -1,
		       "row %zu rejected", i);
		is_int(e.code, ERR_INVALID, "row %zu is 422", i);
		if (is_int((long long)e.ncauses, 1, "row %zu has one cause (%s)", i, e.msg)) {
			is_str(e.causes[0].field, rows[i].field, "row %zu field", i);
			is_str(e.causes[0].reason, rows[i].reason, "row %zu reason", i);
			is_str(e.causes[0].message, rows[i].message, "row %zu message", i);
		}
		cJSON_Delete(o);
	}
}

static const struct {
	const char *g, *plural, *text;
} valid[] = {
	{ "rbac.authorization.k8s.io", "roles", "{'metadata':{'name':'r'},'rules':[{'apiGroups':[''],'resources':['pods'],'verbs':['get']}]}" },
	{ "rbac.authorization.k8s.io", "clusterroles", "{'metadata':{'name':'system:r'},'rules':[{'nonResourceURLs':['/healthz'],'verbs':['get']}]}" },
	{ "rbac.authorization.k8s.io", "clusterroles", "{'metadata':{'name':'agg'},'aggregationRule':{'clusterRoleSelectors':[{'matchLabels':{'a':'b'}}]}}" },
	{ "rbac.authorization.k8s.io", "rolebindings", "{'metadata':{'name':'b'},'roleRef':{'kind':'ClusterRole','name':'view'},'subjects':[{'kind':'User','name':'jane'},{'kind':'ServiceAccount','name':'default'}]}" },
	{ "rbac.authorization.k8s.io", "clusterrolebindings", "{'metadata':{'name':'b'}," CRB ",'subjects':[{'kind':'ServiceAccount','name':'sa','namespace':'ns'},{'kind':'Group','name':'g','apiGroup':'rbac.authorization.k8s.io'}]}" },
	{ "scheduling.k8s.io", "priorityclasses", "{'metadata':{'name':'high'},'value':1000000000,'globalDefault':true}" },
	{ "scheduling.k8s.io", "priorityclasses", "{'metadata':{'name':'system-cluster-critical'},'value':2000000000}" },
	{ NET, "ingresses", "{'metadata':{'name':'i'},'spec':{'ingressClassName':'nginx','rules':[{'host':'*.example.com','http':{'paths':[{'path':'/','pathType':'Prefix'," BE "},{'pathType':'ImplementationSpecific','backend':{'service':{'name':'s','port':{'name':'http'}}}},{'path':'/x','pathType':'Exact','backend':{'resource':{'apiGroup':'k8s.example.com','kind':'StorageBucket','name':'b'}}}]}}],'tls':[{'hosts':['*.example.com','a.example.com'],'secretName':'tls'}]}}" },
	{ NET, "ingressclasses", "{'metadata':{'name':'nginx'},'spec':{'controller':'k8s.io/ingress-nginx'}}" },
};

static void test_valid(void)
{
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		cJSON *o = parse_q(valid[i].text);
		struct err e;

		is_int(admit_create(reg_find(valid[i].g, "v1", valid[i].plural), o, &e), 0,
		       "valid %zu: %s", i, e.msg);
		cJSON_Delete(o);
	}
}

static const struct {
	const char *g, *plural, *old, *nw, *msg;
} updates[] = {
	{ "rbac.authorization.k8s.io", "rolebindings", "{'metadata':{'name':'b'}," RB "}",
	  "{'metadata':{'name':'b'},'roleRef':{'kind':'ClusterRole','name':'view'}}",
	  "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"view\"}: cannot change roleRef" },
	{ "scheduling.k8s.io", "priorityclasses", "{'metadata':{'name':'p'},'value':5}",
	  "{'metadata':{'name':'p'},'value':6}",
	  "PriorityClass.scheduling.k8s.io \"p\" is invalid: value: Forbidden: may not be changed in an update." },
	{ NET, "ingressclasses", "{'metadata':{'name':'c'},'spec':{'controller':'a.io/x'}}",
	  "{'metadata':{'name':'c'},'spec':{'controller':'b.io/x'}}",
	  "IngressClass.networking.k8s.io \"c\" is invalid: spec.controller: Invalid value: \"b.io/x\": field is immutable" },
};

static void test_updates(void)
{
	for (size_t i = 0; i < sizeof(updates) / sizeof(updates[0]); i++) {
		const struct reg_kind *k = reg_find(updates[i].g, "v1", updates[i].plural);
		cJSON *o = parse_q(updates[i].old), *n = parse_q(updates[i].nw);
		struct err e;

		is_int(admit_create(k, o, &e), 0, "update %zu: old valid (%s)", i, e.msg);
		is_int(admit_update(k, o, n, &e), -1, "update %zu rejected", i);
		is_str(e.msg, updates[i].msg, "update %zu message", i);
		cJSON_Delete(o);
		cJSON_Delete(n);
	}
}

int main(void)
{
	test_rows();
	test_valid();
	test_updates();
	return tap_done();
}
