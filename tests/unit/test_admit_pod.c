/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit_pod: the pod spec rules (admit_pod.c, admit_pod_ctr.c) - one
 * table row per rule: a Pod whose container or spec carries one bad
 * field, and the single cause the API server gives (field, reason,
 * message).  Objects are written with ' for " to keep the table legible.
 */
#include "config.h"

#include <stdio.h>
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

/* A pod with ctr's extra fields in its container and spec's in its spec. */
static cJSON *pod(const char *spec, const char *ctr)
{
	char *t = xasprintf("{'metadata':{'name':'p'},'spec':{%s%s'containers':[{'name':'c','image':'i'%s%s}]}}",
			    spec, *spec ? "," : "", *ctr ? "," : "", ctr);
	cJSON *o = parse_q(t);

	free(t);
	return o;
}

static const struct {
	const char *spec, *ctr, *field, *reason, *message;
} rows[] = {
	/* probes */
	{ "", "'livenessProbe':{}", "spec.containers[0].livenessProbe", "FieldValueRequired",
	  "Required value: must specify a handler type" },
	{ "", "'livenessProbe':{'exec':{'command':['true']},'tcpSocket':{'port':80}}",
	  "spec.containers[0].livenessProbe.tcpSocket", "FieldValueForbidden",
	  "Forbidden: may not specify more than 1 handler type" },
	{ "", "'readinessProbe':{'exec':{'command':['x']},'periodSeconds':-1}",
	  "spec.containers[0].readinessProbe.periodSeconds", "FieldValueInvalid",
	  "Invalid value: -1: must be greater than or equal to 0" },
	{ "", "'readinessProbe':{'exec':{'command':['x']},'timeoutSeconds':-5}",
	  "spec.containers[0].readinessProbe.timeoutSeconds", "FieldValueInvalid",
	  "Invalid value: -5: must be greater than or equal to 0" },
	{ "", "'readinessProbe':{'exec':{'command':['x']},'failureThreshold':-2}",
	  "spec.containers[0].readinessProbe.failureThreshold", "FieldValueInvalid",
	  "Invalid value: -2: must be greater than or equal to 0" },
	{ "", "'livenessProbe':{'exec':{'command':['x']},'successThreshold':2}",
	  "spec.containers[0].livenessProbe.successThreshold", "FieldValueInvalid",
	  "Invalid value: 2: must be 1" },
	{ "", "'startupProbe':{'exec':{'command':['x']},'successThreshold':3}",
	  "spec.containers[0].startupProbe.successThreshold", "FieldValueInvalid",
	  "Invalid value: 3: must be 1" },
	{ "", "'livenessProbe':{'httpGet':{'port':70000}}",
	  "spec.containers[0].livenessProbe.httpGet.port", "FieldValueInvalid",
	  "Invalid value: 70000: must be between 1 and 65535, inclusive" },
	{ "", "'livenessProbe':{'tcpSocket':{'port':'Http'}}",
	  "spec.containers[0].livenessProbe.tcpSocket.port", "FieldValueInvalid",
	  "Invalid value: \"Http\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)" },
	{ "", "'livenessProbe':{'httpGet':{'port':80,'scheme':'FTP'}}",
	  "spec.containers[0].livenessProbe.httpGet.scheme", "FieldValueNotSupported",
	  "Unsupported value: \"FTP\": supported values: \"HTTP\", \"HTTPS\"" },
	{ "", "'livenessProbe':{'exec':{}}",
	  "spec.containers[0].livenessProbe.exec.command", "FieldValueRequired", "Required value" },
	{ "", "'livenessProbe':{'grpc':{'port':0}}",
	  "spec.containers[0].livenessProbe.grpc.port", "FieldValueInvalid",
	  "Invalid value: 0: must be between 1 and 65535, inclusive" },
	/* ports */
	{ "", "'ports':[{'containerPort':0}]", "spec.containers[0].ports[0].containerPort",
	  "FieldValueRequired", "Required value" },
	{ "", "'ports':[{'containerPort':65536}]", "spec.containers[0].ports[0].containerPort",
	  "FieldValueInvalid", "Invalid value: 65536: must be between 1 and 65535, inclusive" },
	{ "", "'ports':[{'containerPort':80,'name':'a-very-long-port-name'}]",
	  "spec.containers[0].ports[0].name", "FieldValueInvalid",
	  "Invalid value: \"a-very-long-port-name\": must be no more than 15 characters" },
	{ "", "'ports':[{'containerPort':80,'name':'8080'}]",
	  "spec.containers[0].ports[0].name", "FieldValueInvalid",
	  "Invalid value: \"8080\": must contain at least one letter (a-z)" },
	{ "", "'ports':[{'containerPort':80,'name':'a--b'}]",
	  "spec.containers[0].ports[0].name", "FieldValueInvalid",
	  "Invalid value: \"a--b\": must not contain consecutive hyphens" },
	{ "", "'ports':[{'containerPort':80,'name':'web'},{'containerPort':81,'name':'web'}]",
	  "spec.containers[0].ports[1].name", "FieldValueDuplicate", "Duplicate value: \"web\"" },
	{ "", "'ports':[{'containerPort':80,'protocol':'ICMP'}]",
	  "spec.containers[0].ports[0].protocol", "FieldValueNotSupported",
	  "Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"" },
	{ "", "'ports':[{'containerPort':80,'hostPort':-1}]",
	  "spec.containers[0].ports[0].hostPort", "FieldValueInvalid",
	  "Invalid value: -1: must be between 1 and 65535, inclusive" },
	/* env */
	{ "", "'env':[{'name':'A=B','value':'x'}]", "spec.containers[0].env[0].name",
	  "FieldValueInvalid",
	  "Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='" },
	/* volumes and mounts */
	{ "'volumes':[{'name':'v'}]", "", "spec.volumes[0]", "FieldValueRequired",
	  "Required value: must specify a volume type" },
	{ "'volumes':[{'name':'v','emptyDir':{},'hostPath':{'path':'/x'}}]", "",
	  "spec.volumes[0].hostPath", "FieldValueForbidden",
	  "Forbidden: may not specify more than 1 volume type" },
	{ "'volumes':[{'name':'v','emptyDir':{}},{'name':'v','emptyDir':{}}]", "",
	  "spec.volumes[1].name", "FieldValueDuplicate", "Duplicate value: \"v\"" },
	{ "'volumes':[{'name':'V_1','emptyDir':{}}]", "", "spec.volumes[0].name", "FieldValueInvalid",
	  "Invalid value: \"V_1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
	{ "'volumes':[{'name':'v','hostPath':{'path':'/x','type':'Dir'}}]", "",
	  "spec.volumes[0].hostPath.type", "FieldValueNotSupported",
	  "Unsupported value: \"Dir\": supported values: \"\", \"BlockDevice\", \"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\"" },
	{ "'volumes':[{'name':'v','hostPath':{'path':'/a/../b'}}]", "",
	  "spec.volumes[0].hostPath.path", "FieldValueInvalid",
	  "Invalid value: \"/a/../b\": must not contain '..'" },
	{ "'volumes':[{'name':'v','emptyDir':{'sizeLimit':'-1Gi'}}]", "",
	  "spec.volumes[0].emptyDir.sizeLimit", "FieldValueForbidden",
	  "Forbidden: SizeLimit field must be a valid resource quantity" },
	{ "'volumes':[{'name':'v','configMap':{}}]", "",
	  "spec.volumes[0].configMap.name", "FieldValueRequired", "Required value" },
	{ "'volumes':[{'name':'v','secret':{'secretName':'s','items':[{'key':'k','path':'/abs'}]}}]", "",
	  "spec.volumes[0].secret.items[0].path", "FieldValueInvalid",
	  "Invalid value: \"/abs\": must be a relative path" },
	{ "'volumes':[{'name':'v','configMap':{'name':'c','items':[{'key':'k','path':'..x'}]}}]", "",
	  "spec.volumes[0].configMap.items[0].path", "FieldValueInvalid",
	  "Invalid value: \"..x\": must not start with '..'" },
	{ "'volumes':[{'name':'v','configMap':{'name':'c','defaultMode':512}}]", "",
	  "spec.volumes[0].configMap.defaultMode", "FieldValueInvalid",
	  "Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive" },
	{ "'volumes':[{'name':'v','persistentVolumeClaim':{}}]", "",
	  "spec.volumes[0].persistentVolumeClaim.claimName", "FieldValueRequired", "Required value" },
	{ "", "'volumeMounts':[{'name':'nope','mountPath':'/x'}]",
	  "spec.containers[0].volumeMounts[0].name", "FieldValueNotFound", "Not found: \"nope\"" },
	{ "'volumes':[{'name':'v','emptyDir':{}}]", "'volumeMounts':[{'name':'v'}]",
	  "spec.containers[0].volumeMounts[0].mountPath", "FieldValueRequired", "Required value" },
	{ "'volumes':[{'name':'v','emptyDir':{}}]",
	  "'volumeMounts':[{'name':'v','mountPath':'/x'},{'name':'v','mountPath':'/x'}]",
	  "spec.containers[0].volumeMounts[1].mountPath", "FieldValueInvalid",
	  "Invalid value: \"/x\": must be unique" },
	{ "'volumes':[{'name':'v','emptyDir':{}}]",
	  "'volumeMounts':[{'name':'v','mountPath':'/x','subPath':'a/../../b'}]",
	  "spec.containers[0].volumeMounts.subPath", "FieldValueInvalid",
	  "Invalid value: \"a/../../b\": must not contain '..'" },
	/* resources */
	{ "", "'resources':{'requests':{'cpu':'2'},'limits':{'cpu':'1'}}",
	  "spec.containers[0].resources.requests", "FieldValueInvalid",
	  "Invalid value: \"2\": must be less than or equal to cpu limit of 1" },
	{ "", "'resources':{'requests':{'memory':'2Gi'},'limits':{'memory':'1Gi'}}",
	  "spec.containers[0].resources.requests", "FieldValueInvalid",
	  "Invalid value: \"2Gi\": must be less than or equal to memory limit of 1Gi" },
	{ "", "'resources':{'limits':{'gpu':'1'}}",
	  "spec.containers[0].resources.limits[gpu]", "FieldValueInvalid",
	  "Invalid value: \"gpu\": must be a standard resource for containers" },
	{ "", "'resources':{'requests':{'cpu':'-1'}}",
	  "spec.containers[0].resources.requests[cpu]", "FieldValueInvalid",
	  "Invalid value: \"-1\": must be greater than or equal to 0" },
	{ "", "'resources':{'requests':{'example.com/dev':'1'}}",
	  "spec.containers[0].resources.limits", "FieldValueRequired",
	  "Required value: Limit must be set for non overcommitable resources" },
	{ "", "'resources':{'requests':{'example.com/dev':'1'},'limits':{'example.com/dev':'2'}}",
	  "spec.containers[0].resources.requests", "FieldValueInvalid",
	  "Invalid value: \"1\": must be equal to example.com/dev limit of 2" },
	{ "", "'resources':{'limits':{'hugepages-2Mi':'2Mi'}}",
	  "spec.containers[0].resources", "FieldValueForbidden",
	  "Forbidden: HugePages require cpu or memory" },
	/* pod-level enums */
	{ "'restartPolicy':'Sometimes'", "", "spec.restartPolicy", "FieldValueNotSupported",
	  "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"" },
	{ "'dnsPolicy':'Google'", "", "spec.dnsPolicy", "FieldValueNotSupported",
	  "Unsupported value: \"Google\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"" },
};

static void test_rows(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cJSON *o = pod(rows[i].spec, rows[i].ctr);
		struct err e;
		int rc;

		if (!ok(o != NULL, "row %zu parses", i))
			continue;
		rc = admit_create(reg_find("", "v1", "pods"), o, &e);
		is_int(rc, -1, "row %zu rejected", i);
		is_int(e.code, ERR_INVALID, "row %zu is 422", i);
		if (!is_int((long long)e.ncauses, 1, "row %zu has one cause (%s)", i, e.msg))
			goto next;
		is_str(e.causes[0].field, rows[i].field, "row %zu field", i);
		is_str(e.causes[0].reason, rows[i].reason, "row %zu reason", i);
		is_str(e.causes[0].message, rows[i].message, "row %zu message", i);
next:
		cJSON_Delete(o);
	}
}

/* Valid pods pass, and the probe/volume defaults are filled. */
static void test_valid(void)
{
	static const char *const specs[][2] = {
		{ "'volumes':[{'name':'cfg','configMap':{'name':'c','items':[{'key':'k','path':'a/b'}]}},{'name':'d','emptyDir':{'sizeLimit':'1Gi'}},{'name':'h','hostPath':{'path':'/var','type':'Directory'}}]",
		  "'volumeMounts':[{'name':'cfg','mountPath':'/etc/c'},{'name':'d','mountPath':'data','subPath':'x/y'}],'ports':[{'containerPort':8080,'name':'http'},{'containerPort':53,'protocol':'UDP'}],'env':[{'name':'1-weird.name'}],'resources':{'requests':{'cpu':'100m','memory':'64Mi'},'limits':{'cpu':'1','memory':'64Mi','hugepages-2Mi':'2Mi'}},'livenessProbe':{'httpGet':{'port':'http'}},'readinessProbe':{'grpc':{'port':9000}},'startupProbe':{'tcpSocket':{'port':8080},'successThreshold':1}" },
		{ "'restartPolicy':'Never','dnsPolicy':'None'", "'livenessProbe':{'exec':{'command':['x']},'periodSeconds':0}" },
	};
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		cJSON *o = pod(specs[i][0], specs[i][1]);
		struct err e;
		int64_t v = 0;

		is_int(admit_create(reg_find("", "v1", "pods"), o, &e), 0, "valid %zu: %s", i, e.msg);
		json_get_int(cJSON_GetArrayItem(json_get(o, "spec.containers"), 0),
			     "livenessProbe.periodSeconds", &v);
		is_int(v, 10, "valid %zu: periodSeconds defaulted", i);
		cJSON_Delete(o);
	}
}

/* Templates of every workload kind get the same rules, with their path. */
static void test_templates(void)
{
	static const struct {
		const char *g, *plural, *text, *field;
	} t[] = {
		{ "apps", "deployments", "{'metadata':{'name':'d'},'spec':{'selector':{'matchLabels':{'a':'b'}},'template':{'metadata':{'labels':{'a':'b'}},'spec':{'containers':[{'name':'c','image':'i','ports':[{'containerPort':0}]}]}}}}",
		  "spec.template.spec.containers[0].ports[0].containerPort" },
		{ "apps", "statefulsets", "{'metadata':{'name':'d'},'spec':{'selector':{'matchLabels':{'a':'b'}},'template':{'metadata':{'labels':{'a':'b'}},'spec':{'restartPolicy':'Never','containers':[{'name':'c','image':'i'}]}}}}",
		  "spec.template.spec.restartPolicy" },
		{ "apps", "daemonsets", "{'metadata':{'name':'d'},'spec':{'selector':{'matchLabels':{'a':'b'}},'template':{'metadata':{'labels':{'a':'b'}},'spec':{'containers':[{'name':'c','image':'i','livenessProbe':{}}]}}}}",
		  "spec.template.spec.containers[0].livenessProbe" },
		{ "apps", "replicasets", "{'metadata':{'name':'d'},'spec':{'selector':{'matchLabels':{'a':'b'}},'template':{'metadata':{'labels':{'a':'b'}},'spec':{'restartPolicy':'Never','containers':[{'name':'c','image':'i'}]}}}}",
		  "spec.template.spec.restartPolicy" },
		{ "batch", "jobs", "{'metadata':{'name':'j'},'spec':{'template':{'spec':{'restartPolicy':'Never','dnsPolicy':'X','containers':[{'name':'c','image':'i'}]}}}}",
		  "spec.template.spec.dnsPolicy" },
		{ "batch", "cronjobs", "{'metadata':{'name':'j'},'spec':{'schedule':'* * * * *','jobTemplate':{'spec':{'template':{'spec':{'restartPolicy':'Never','containers':[{'name':'c','image':'i','env':[{'name':''}]}]}}}}}}",
		  "spec.jobTemplate.spec.template.spec.containers[0].env[0].name" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cJSON *o = parse_q(t[i].text);
		struct err e;

		bool found = false;

		is_int(admit_create(reg_find(t[i].g, "v1", t[i].plural), o, &e), -1,
		       "template %zu rejected", i);
		for (size_t c = 0; c < e.ncauses; c++)
			found |= !strcmp(e.causes[c].field, t[i].field);
		ok(found, "template %zu field %s (%s)", i, t[i].field, e.msg);
		cJSON_Delete(o);
	}
}

/* A StatefulSet's mounts may name its volumeClaimTemplates. */
static void test_sts_claims(void)
{
	cJSON *o = parse_q("{'metadata':{'name':'s'},'spec':{'selector':{'matchLabels':{'a':'b'}},'volumeClaimTemplates':[{'metadata':{'name':'data'}}],'template':{'metadata':{'labels':{'a':'b'}},'spec':{'containers':[{'name':'c','image':'i','volumeMounts':[{'name':'data','mountPath':'/d'}]}]}}}}");
	struct err e;

	is_int(admit_create(reg_find("apps", "v1", "statefulsets"), o, &e), 0,
	       "statefulset mounting a claim template: %s", e.msg);
	cJSON_Delete(o);
}

int main(void)
{
	test_rows();
	test_valid();
	test_templates();
	test_sts_claims();
	return tap_done();
}
