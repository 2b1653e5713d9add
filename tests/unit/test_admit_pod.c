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
	/* securityContext */
	{ "'securityContext':{'runAsUser':-1}", "", "spec.securityContext.runAsUser", "FieldValueInvalid",
	  "Invalid value: -1: must be between 0 and 2147483647, inclusive" },
	{ "", "'securityContext':{'runAsGroup':2147483648}", "spec.containers[0].securityContext.runAsGroup",
	  "FieldValueInvalid", "Invalid value: 2147483648: must be between 0 and 2147483647, inclusive" },
	{ "'securityContext':{'seccompProfile':{'type':'Foo'}}", "", "spec.securityContext.seccompProfile.type",
	  "FieldValueNotSupported", "Unsupported value: \"Foo\": supported values: \"Localhost\", \"RuntimeDefault\", \"Unconfined\"" },
	{ "", "'securityContext':{'seccompProfile':{'type':'Localhost'}}",
	  "spec.containers[0].securityContext.seccompProfile.localhostProfile", "FieldValueRequired",
	  "Required value: must be set when seccomp type is Localhost" },
	{ "", "'securityContext':{'procMount':'Masked'}", "spec.containers[0].securityContext.procMount",
	  "FieldValueNotSupported", "Unsupported value: \"Masked\": supported values: \"Default\", \"Unmasked\"" },
	{ "", "'securityContext':{'procMount':'Unmasked'}", "spec.containers[0].securityContext.procMount",
	  "FieldValueInvalid", "Invalid value: \"Unmasked\": `hostUsers` must be false to use `Unmasked`" },
	{ "'securityContext':{'sysctls':[{'name':'Net.X','value':'1'}]}", "", "spec.securityContext.sysctls[0].name",
	  "FieldValueInvalid", "Invalid value: \"Net.X\": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$" },
	{ "'hostNetwork':true,'securityContext':{'sysctls':[{'name':'net.core.somaxconn','value':'1'}]}", "",
	  "spec.securityContext.sysctls[0].name", "FieldValueInvalid",
	  "Invalid value: \"net.core.somaxconn\": may not be specified when 'hostNetwork' is true" },
	{ "'securityContext':{'sysctls':[{'name':'kernel.shm_rmid_forced','value':'1'},{'name':'kernel.shm_rmid_forced','value':'0'}]}", "",
	  "spec.securityContext.sysctls[1].name", "FieldValueDuplicate", "Duplicate value: \"kernel.shm_rmid_forced\"" },
	/* affinity */
	{ "'affinity':{'nodeAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':[{'matchExpressions':[{'key':'zone','operator':'In'}]}]}}}", "",
	  "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values",
	  "FieldValueRequired", "Required value: must be specified when `operator` is 'In' or 'NotIn'" },
	{ "'affinity':{'nodeAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':[{'matchExpressions':[{'key':'zone','operator':'Exists','values':['a']}]}]}}}", "",
	  "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values",
	  "FieldValueForbidden", "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'" },
	{ "'affinity':{'nodeAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':[{'matchExpressions':[{'key':'zone','operator':'Gt','values':['1','2']}]}]}}}", "",
	  "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values",
	  "FieldValueRequired", "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'" },
	{ "'affinity':{'nodeAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':[{'matchExpressions':[{'key':'zone','operator':'Near','values':['a']}]}]}}}", "",
	  "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator",
	  "FieldValueInvalid", "Invalid value: \"Near\": not a valid selector operator" },
	{ "'affinity':{'nodeAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':[]}}}", "",
	  "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms",
	  "FieldValueRequired", "Required value: must have at least one node selector term" },
	{ "'affinity':{'nodeAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':[{'matchFields':[{'key':'metadata.uid','operator':'In','values':['x']}]}]}}}", "",
	  "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key",
	  "FieldValueInvalid", "Invalid value: \"metadata.uid\": not a valid field selector key" },
	{ "'affinity':{'nodeAffinity':{'preferredDuringSchedulingIgnoredDuringExecution':[{'weight':0,'preference':{'matchExpressions':[{'key':'a','operator':'Exists'}]}}]}}", "",
	  "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
	  "FieldValueInvalid", "Invalid value: 0: must be in the range 1-100" },
	{ "'affinity':{'podAntiAffinity':{'preferredDuringSchedulingIgnoredDuringExecution':[{'weight':101,'podAffinityTerm':{'topologyKey':'zone'}}]}}", "",
	  "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
	  "FieldValueInvalid", "Invalid value: 101: must be in the range 1-100" },
	{ "'tolerations':[{'key':'k','operator':'Exists','value':'v'}]", "", "spec.tolerations[0].operator",
	  "FieldValueInvalid", "Invalid value: \"v\": value must be empty when `operator` is 'Exists'" },
	{ "'tolerations':[{'key':'k','operator':'Exists','effect':'NoSchedule','tolerationSeconds':5}]", "",
	  "spec.tolerations[0].effect", "FieldValueInvalid",
	  "Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set" },
	{ "'tolerations':[{'key':'k','operator':'Exists','effect':'Never'}]", "", "spec.tolerations[0].effect",
	  "FieldValueNotSupported", "Unsupported value: \"Never\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"" },
	{ "'tolerations':[{'operator':'Equal','value':'x'}]", "", "spec.tolerations[0].operator", "FieldValueInvalid",
	  "Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"" },
	{ "'tolerations':[{'key':'k','operator':'Like'}]", "", "spec.tolerations[0].operator",
	  "FieldValueNotSupported", "Unsupported value: \"Like\": supported values: \"Equal\", \"Exists\"" },
	/* topologySpreadConstraints */
	{ "'topologySpreadConstraints':[{'maxSkew':0,'topologyKey':'zone','whenUnsatisfiable':'DoNotSchedule'}]", "",
	  "spec.topologySpreadConstraints[0].maxSkew", "FieldValueInvalid", "Invalid value: 0: must be greater than zero" },
	{ "'topologySpreadConstraints':[{'maxSkew':1,'topologyKey':'zone','whenUnsatisfiable':'Maybe'}]", "",
	  "spec.topologySpreadConstraints[0].whenUnsatisfiable", "FieldValueNotSupported",
	  "Unsupported value: \"Maybe\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"" },
	{ "'topologySpreadConstraints':[{'maxSkew':1,'topologyKey':'zone','whenUnsatisfiable':'ScheduleAnyway','minDomains':2}]", "",
	  "spec.topologySpreadConstraints[0].minDomains", "FieldValueInvalid",
	  "Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway" },
	{ "'topologySpreadConstraints':[{'maxSkew':1,'whenUnsatisfiable':'DoNotSchedule'}]", "",
	  "spec.topologySpreadConstraints[0].topologyKey", "FieldValueRequired", "Required value: can not be empty" },
	/* lifecycle hooks, init containers */
	{ "", "'lifecycle':{'preStop':{'exec':{'command':['x']},'sleep':{'seconds':1}}}",
	  "spec.containers[0].lifecycle.preStop.sleep", "FieldValueForbidden",
	  "Forbidden: may not specify more than 1 handler type" },
	{ "", "'lifecycle':{'postStart':{}}", "spec.containers[0].lifecycle.postStart", "FieldValueRequired",
	  "Required value: must specify a handler type" },
	{ "", "'lifecycle':{'preStop':{'sleep':{'seconds':40}}}", "spec.containers[0].lifecycle.preStop.sleep",
	  "FieldValueInvalid", "Invalid value: 40: must be non-negative and less than terminationGracePeriodSeconds (30)" },
	{ "'initContainers':[{'name':'i','image':'i','readinessProbe':{'exec':{'command':['x']}}}]", "",
	  "spec.initContainers[0].readinessProbe", "FieldValueForbidden",
	  "Forbidden: may not be set for init containers without restartPolicy=Always" },
	{ "'initContainers':[{'name':'i','image':'i','restartPolicy':'OnFailure'}]", "",
	  "spec.initContainers[0].restartPolicy", "FieldValueNotSupported",
	  "Unsupported value: \"OnFailure\": supported values: \"Always\"" },
	{ "", "'restartPolicy':'Always'", "spec.containers[0].restartPolicy", "FieldValueForbidden",
	  "Forbidden: may not be set for non-init containers" },
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


/* Rules that must not fire on valid pods. */
static void test_valid_more(void)
{
	static const char *const specs[][2] = {
		{ "'initContainers':[{'name':'side','image':'i','restartPolicy':'Always','readinessProbe':{'exec':{'command':['x']}},'lifecycle':{'preStop':{'sleep':{'seconds':5}}}}],'securityContext':{'runAsUser':1000,'sysctls':[{'name':'net.ipv4.ip_local_port_range','value':'1 2'}],'seccompProfile':{'type':'RuntimeDefault'}}",
		  "'securityContext':{'capabilities':{'add':['NET_ADMIN']},'procMount':'Default','seccompProfile':{'type':'Localhost','localhostProfile':'prof.json'}}" },
		{ "'affinity':{'nodeAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':[{'matchExpressions':[{'key':'zone','operator':'In','values':['a']}],'matchFields':[{'key':'metadata.name','operator':'In','values':['n1']}]}]}},'podAntiAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[{'topologyKey':'kubernetes.io/hostname','labelSelector':{'matchLabels':{'a':'b'}}}]}},'tolerations':[{'operator':'Exists'},{'key':'k','operator':'Exists','effect':'NoExecute','tolerationSeconds':10}],'topologySpreadConstraints':[{'maxSkew':1,'topologyKey':'zone','whenUnsatisfiable':'DoNotSchedule','minDomains':2}]",
		  "'lifecycle':{'postStart':{'httpGet':{'port':80}}}" },
	};

	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		cJSON *o = pod(specs[i][0], specs[i][1]);
		struct err e;

		is_int(admit_create(reg_find("", "v1", "pods"), o, &e), 0, "valid more %zu: %s", i, e.msg);
		cJSON_Delete(o);
	}
}

#define GATED "'schedulingGates':[{'name':'g1'}]"
#define TERM_A "'affinity':{'nodeAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':[{'matchExpressions':[{'key':'a','operator':'In','values':['x']}]}]}}}"

/* ValidatePodUpdate: what an update may change. */
static void test_pod_update(void)
{
	static const struct {
		const char *spec, *set_path, *set_json, *field, *prefix;
	} u[] = {
		{ "", "spec.containers[0].image", "\"nginx:2\"", NULL, NULL },
		{ "", "metadata.labels", "{\"a\":\"b\"}", NULL, NULL },
		{ "'activeDeadlineSeconds':30", "spec.activeDeadlineSeconds", "10", NULL, NULL },
		{ "", "spec.tolerations[2]", "{\"key\":\"x\",\"operator\":\"Exists\"}", NULL, NULL },
		{ "'schedulingGates':[{'name':'g1'}]", "spec.schedulingGates", "[]", NULL, NULL },
		{ "", "spec.containers[0].ports", "[{\"containerPort\":80}]", "spec",
		  "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  core.PodSpec{\n+ \tcontainers[0].ports: [{\"containerPort\":80,\"protocol\":\"TCP\"}],\n  }\n" },
		{ "'activeDeadlineSeconds':10", "spec.activeDeadlineSeconds", "20", "spec.activeDeadlineSeconds",
		  "Invalid value: 20: must be less than or equal to previous value" },
		{ "", "spec.containers[1]", "{\"name\":\"d\",\"image\":\"i\"}", "spec.containers",
		  "Forbidden: pod updates may not add or remove containers" },
		{ "", "spec.tolerations", "[]", "spec.tolerations",
		  "Forbidden: existing toleration can not be modified except its tolerationSeconds" },
		{ "'schedulingGates':[{'name':'g1'}]", "spec.schedulingGates[1]", "{\"name\":\"g2\"}", "spec.schedulingGates[1].name",
		  "Forbidden: only deletion is allowed, but found new scheduling gate 'g2'" },
		/* gated pods: nodeSelector and required node affinity additions */
		{ GATED ",'nodeSelector':{'a':'b'}", "spec.nodeSelector.c", "\"d\"", NULL, NULL },
		{ GATED ",'nodeSelector':{'a':'b'}", "spec.nodeSelector.a", "\"z\"", "spec.nodeSelector",
		  "Invalid value: {\"a\":\"z\"}: only additions to spec.nodeSelector are allowed (no mutations or deletions)" },
		{ GATED, "spec.affinity", "{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\"}]}]}}}", NULL, NULL },
		{ GATED "," TERM_A, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1]",
		  "{\"key\":\"b\",\"operator\":\"Exists\"}", NULL, NULL },
		{ GATED "," TERM_A, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]",
		  "{\"key\":\"b\",\"operator\":\"Exists\"}", "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]",
		  "Invalid value: {\"MatchExpressions\":[{\"Key\":\"b\",\"Operator\":\"Exists\",\"Values\":null}],\"MatchFields\":null}: only additions are allowed (no mutations or deletions)" },
		{ GATED "," TERM_A, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1]",
		  "{\"matchExpressions\":[{\"key\":\"b\",\"operator\":\"Exists\"}]}", "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms",
		  "Invalid value: [{\"MatchExpressions\":[{\"Key\":\"a\",\"Operator\":\"In\",\"Values\":[\"x\"]}],\"MatchFields\":null},{\"MatchExpressions\":[{\"Key\":\"b\",\"Operator\":\"Exists\",\"Values\":null}],\"MatchFields\":null}]: no additions/deletions to non-empty NodeSelectorTerms list are allowed" },
		{ "'nodeSelector':{'a':'b'}", "spec.nodeSelector.c", "\"d\"", "spec", "Forbidden: pod updates may not change fields other than" },
	};
	const struct reg_kind *k = reg_find("", "v1", "pods");

	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		cJSON *old = pod(u[i].spec, ""), *nw;
		struct err e;
		int rc;

		is_int(admit_create(k, old, &e), 0, "update %zu: old valid (%s)", i, e.msg);
		nw = cJSON_Duplicate(old, true);
		json_set(nw, u[i].set_path, cJSON_Parse(u[i].set_json));
		rc = admit_update(k, old, nw, &e);
		if (!u[i].field) {
			is_int(rc, 0, "update %zu allowed (%s)", i, e.msg);
		} else if (is_int(rc, -1, "update %zu rejected", i) && e.ncauses) {
			is_str(e.causes[0].field, u[i].field, "update %zu field", i);
			ok(!strncmp(e.causes[0].message, u[i].prefix, strlen(u[i].prefix)),
			   "update %zu message (%s)", i, e.causes[0].message);
		}
		cJSON_Delete(old);
		cJSON_Delete(nw);
	}
}

/*
 * A new pod's matchLabelKeys/mismatchLabelKeys become requirements of its
 * affinity term's selector; a key also selected on by the user is the
 * API server's cause at the term's path and the key's index.
 */
static void test_match_keys(void)
{
	const struct reg_kind *k = reg_find("", "v1", "pods");
	cJSON *o = parse_q("{'metadata':{'name':'p','labels':{'app':'web','tier':'fe'}},'spec':{'containers':[{'name':'c','image':'i'}],"
			   "'affinity':{'podAntiAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[{'topologyKey':'zone',"
			   "'labelSelector':{'matchLabels':{'x':'y'}},'matchLabelKeys':['app','gone'],'mismatchLabelKeys':['tier']}]}}}}");
	char *s;
	struct err e;

	is_int(admit_create(k, o, &e), 0, "merged keys valid (%s)", e.msg);
	s = cJSON_PrintUnformatted(json_get(o, "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector"));
	is_str(s, "{\"matchLabels\":{\"x\":\"y\"},\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\",\"values\":[\"web\"]},"
	       "{\"key\":\"tier\",\"operator\":\"NotIn\",\"values\":[\"fe\"]}]}", "keys merged into the selector");
	free(s);
	cJSON_Delete(o);
	o = parse_q("{'metadata':{'name':'p','labels':{'app':'web'}},'spec':{'containers':[{'name':'c','image':'i'}],"
		    "'affinity':{'podAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[{'topologyKey':'zone',"
		    "'labelSelector':{'matchLabels':{'app':'web'}},'matchLabelKeys':['app']}]}}}}");
	is_int(admit_create(k, o, &e), -1, "key in both rejected");
	if (is_int((long long)e.ncauses, 1, "one cause (%s)", e.msg)) {
		is_str(e.causes[0].field, "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0][0]", "cause field");
		is_str(e.causes[0].message, "Invalid value: \"app\": exists in both matchLabelKeys and labelSelector", "cause message");
	}
	cJSON_Delete(o);
}

/* Malformed quantities are the decoder's 400, before validation. */
static void test_quantity_decode(void)
{
	static const struct { const char *g, *plural, *text, *msg; } q[] = {
		{ "", "pods", "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'i','resources':{'limits':{'cpu':'lots'}}}]}}",
		  "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" },
		{ "apps", "deployments", "{'metadata':{'name':'d'},'spec':{'selector':{'matchLabels':{'a':'b'}},'template':{'metadata':{'labels':{'a':'b'}},'spec':{'containers':[{'name':'c','image':'i','resources':{'requests':{'memory':'1mm'}}}]}}}}",
		  "Deployment in version \"v1\" cannot be handled as a Deployment: unable to parse quantity's suffix" },
		{ "", "resourcequotas", "{'metadata':{'name':'q'},'spec':{'hard':{'pods':'ten'}}}",
		  "ResourceQuota in version \"v1\" cannot be handled as a ResourceQuota: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" },
	};

	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		cJSON *o = parse_q(q[i].text);
		struct err e;

		is_int(admit_create(reg_find(q[i].g, "v1", q[i].plural), o, &e), -1, "quantity %zu rejected", i);
		is_int(e.code, ERR_BAD_REQUEST, "quantity %zu is 400", i);
		is_str(e.msg, q[i].msg, "quantity %zu message", i);
		cJSON_Delete(o);
	}
}

int main(void)
{
	test_rows();
	test_valid();
	test_templates();
	test_sts_claims();
	test_valid_more();
	test_pod_update();
	test_match_keys();
	test_quantity_decode();
	return tap_done();
}
