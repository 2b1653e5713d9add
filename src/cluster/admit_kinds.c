/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit_kinds: per-kind defaulting and validation (the rule table).
 *
 * Covered here: Pod (spec defaults kubectl users see, container defaults,
 * imagePullPolicy by tag, default tolerations, containers/name/image
 * required, duplicate container names), pod templates of Deployment,
 * ReplicaSet, StatefulSet, DaemonSet, Job, CronJob (template defaults,
 * selector required and matching the template labels, selector
 * immutable for the apps/v1 kinds), Deployment/StatefulSet/DaemonSet/Job
 * spec defaults, Service (type, sessionAffinity, ipFamilies, protocol,
 * targetPort, ports required, clusterIP immutable), ConfigMap and Secret
 * (key format, 1 MiB total, Secret base64 and stringData, immutable:
 * true), name rules of Namespace, Service and RBAC kinds.  The pod spec
 * rules are admit_pod.c's; RBAC, PriorityClass and Ingress content have
 * their own admit_*.c files, all listed in rules[] below.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "cluster/admit_int.h"
#include "cluster/cron.h"
#include "cluster/ctrl.h"
#include "cluster/quota.h"
#include "cluster/sched.h"
#include "common/json.h"
#include "common/buf.h"
#include "common/mem.h"

#define SIZE_LIMIT (1024 * 1024)

static void set_default_str(cJSON *o, const char *path, const char *v)
{
	if (!json_get(o, path))
		json_set_str(o, path, v);
}

/* Is the string at path equal to v?  (false when absent or not a string) */
static bool str_is(const cJSON *o, const char *path, const char *v)
{
	const char *s = json_get_str(o, path);

	return s && !strcmp(s, v);
}

static void set_default_int(cJSON *o, const char *path, int64_t v)
{
	if (!json_get(o, path))
		json_set_int(o, path, v);
}

/* --- pods and templates --- */

static const char *pull_policy(const char *image)
{
	const char *slash = image ? strrchr(image, '/') : NULL;
	const char *last = slash ? slash + 1 : image;
	const char *colon;

	if (!image || strchr(image, '@'))
		return "IfNotPresent";
	colon = strchr(last, ':');
	if (!colon || !strcmp(colon + 1, "latest"))
		return "Always";
	return "IfNotPresent";
}

static void container_defaults(cJSON *c)
{
	cJSON *p;

	set_default_str(c, "terminationMessagePath", "/dev/termination-log");
	set_default_str(c, "terminationMessagePolicy", "File");
	set_default_str(c, "imagePullPolicy", pull_policy(json_get_str(c, "image")));
	if (!json_get(c, "resources"))
		json_set(c, "resources", cJSON_CreateObject());
	cJSON_ArrayForEach(p, json_get(c, "ports"))
		set_default_str(p, "protocol", "TCP");
	admit_probe_defaults(c);
}

/* SetDefaults_*VolumeSource: defaultMode 0644 of the projecting sources. */
static void volume_defaults(cJSON *spec)
{
	static const char *const srcs[] = { "configMap", "secret", "downwardAPI",
					    "projected", NULL };
	cJSON *v;

	cJSON_ArrayForEach(v, json_get(spec, "volumes"))
		for (size_t i = 0; srcs[i]; i++) {
			cJSON *s = json_get(v, srcs[i]);

			if (cJSON_IsObject(s) && !json_get(s, "defaultMode"))
				json_set_int(s, "defaultMode", 0644);
		}
}

static void podspec_defaults(cJSON *spec)
{
	cJSON *c;

	if (!spec)
		return;
	set_default_str(spec, "restartPolicy", "Always");
	set_default_str(spec, "dnsPolicy", "ClusterFirst");
	set_default_int(spec, "terminationGracePeriodSeconds", 30);
	set_default_str(spec, "schedulerName", "default-scheduler");
	if (!json_get(spec, "securityContext"))
		json_set(spec, "securityContext", cJSON_CreateObject());
	cJSON_ArrayForEach(c, json_get(spec, "containers"))
		container_defaults(c);
	cJSON_ArrayForEach(c, json_get(spec, "initContainers"))
		container_defaults(c);
	volume_defaults(spec);
}

static cJSON *toleration(const char *key)
{
	cJSON *t = cJSON_CreateObject();

	cJSON_AddStringToObject(t, "key", key);
	cJSON_AddStringToObject(t, "operator", "Exists");
	cJSON_AddStringToObject(t, "effect", "NoExecute");
	cJSON_AddNumberToObject(t, "tolerationSeconds", 300);
	return t;
}

/* DefaultTolerationSeconds: a toleration of key's NoExecute taint exists
 * (an empty key or effect tolerates any). */
static bool has_toleration(const cJSON *spec, const char *key)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, json_get(spec, "tolerations")) {
		const char *k = json_get_str(t, "key") ?: "";
		const char *e = json_get_str(t, "effect") ?: "";

		if ((!*k || !strcmp(k, key)) && (!*e || !strcmp(e, "NoExecute")))
			return true;
	}
	return false;
}

static void pod_defaults(cJSON *obj, bool create)
{
	cJSON *spec = json_get(obj, "spec");
	static const char *const tol[] = { "node.kubernetes.io/not-ready",
					   "node.kubernetes.io/unreachable", NULL };

	if (!cJSON_IsObject(spec))
		return;
	podspec_defaults(spec);
	if (!create)
		return;
	set_default_str(spec, "serviceAccountName", "default");
	set_default_str(spec, "serviceAccount", json_get_str(spec, "serviceAccountName"));
	if (!json_get(spec, "enableServiceLinks"))
		json_set(spec, "enableServiceLinks", cJSON_CreateTrue());
	set_default_int(spec, "priority", 0);
	set_default_str(spec, "preemptionPolicy", "PreemptLowerPriority");
	sched_gates_on_create(obj);
	admit_pod_match_keys(obj);
	for (size_t i = 0; tol[i]; i++)
		if (!has_toleration(spec, tol[i])) {
			if (!cJSON_IsArray(json_get(spec, "tolerations")))
				json_set(spec, "tolerations", cJSON_CreateArray());
			cJSON_AddItemToArray(json_get(spec, "tolerations"), toleration(tol[i]));
		}
}

static void validate_containers(const cJSON *spec, const char *base,
				struct err *e)
{
	const cJSON *cs = json_get(spec, "containers"), *c;
	char field[160];
	int i = 0;

	if (!cs || cJSON_GetArraySize(cs) == 0) {
		snprintf(field, sizeof(field), "%s.containers", base);
		err_cause(e, "FieldValueRequired", field, "Required value");
		return;
	}
	cJSON_ArrayForEach(c, cs) {
		const char *name = json_get_str(c, "name");

		if (!name || !*name) {
			snprintf(field, sizeof(field), "%s.containers[%d].name", base, i);
			err_cause(e, "FieldValueRequired", field, "Required value");
		} else if (!admit_is_label(name)) {
			snprintf(field, sizeof(field), "%s.containers[%d].name", base, i);
			admit_invalid(e, field, name, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
		} else {
			for (const cJSON *d = cs->child; d != c; d = d->next) {
				const char *dn = json_get_str(d, "name");

				if (dn && !strcmp(dn, name)) {
					snprintf(field, sizeof(field), "%s.containers[%d].name", base, i);
					err_cause(e, "FieldValueDuplicate", field, "Duplicate value: \"%s\"", name);
				}
			}
		}
		if (!json_get_str(c, "image") || !*json_get_str(c, "image")) {
			snprintf(field, sizeof(field), "%s.containers[%d].image", base, i);
			err_cause(e, "FieldValueRequired", field, "Required value");
		}
		i++;
	}
}

/* Everything validatePodSpec checks that kdeck knows (admit_pod.c). */
static void podspec_validate(const cJSON *spec, const char *base,
			     struct err *e)
{
	admit_pod_volumes(spec, base, e);
	validate_containers(spec, base, e);
	admit_podspec(spec, base, e);
}

static void pod_validate(const cJSON *obj, struct err *e)
{
	podspec_validate(json_get(obj, "spec"), "spec", e);
}

/* --- workloads --- */

/* Go's %#v of a map[string]string, keys sorted. */
static void go_map(const cJSON *m, struct buf *b)
{
	char *keys[64];
	size_t n = 0;
	const cJSON *it;

	cJSON_ArrayForEach(it, m)
		if (n < 64)
			keys[n++] = it->string;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
			char *t = keys[j];

			keys[j] = keys[j - 1];
			keys[j - 1] = t;
		}
	buf_adds(b, n ? "map[string]string{" : "map[string]string(nil)");
	for (size_t i = 0; i < n; i++) {
		const char *v = cJSON_GetObjectItemCaseSensitive(m, keys[i])->valuestring;

		buf_printf(b, "%s\"%s\":\"%s\"", i ? ", " : "", keys[i], v ? v : "");
	}
	if (n)
		buf_addc(b, '}');
}

static bool expr_matches(const cJSON *ex, const cJSON *labels)
{
	const char *key = json_get_str(ex, "key"), *op = json_get_str(ex, "operator");
	const cJSON *v = key ? cJSON_GetObjectItemCaseSensitive(labels, key) : NULL, *it;
	bool in = false;

	cJSON_ArrayForEach(it, json_get(ex, "values"))
		if (cJSON_IsString(v) && cJSON_IsString(it) && !strcmp(it->valuestring, v->valuestring))
			in = true;
	if (!op)
		return false;
	if (!strcmp(op, "In"))
		return in;
	if (!strcmp(op, "NotIn"))
		return !in;
	if (!strcmp(op, "Exists"))
		return v != NULL;
	if (!strcmp(op, "DoesNotExist"))
		return v == NULL;
	return false;
}

static bool selector_matches(const cJSON *sel, const cJSON *labels)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, json_obj(sel, "matchLabels")) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(labels, it->string);

		if (!cJSON_IsString(v) || !cJSON_IsString(it) ||
		    strcmp(v->valuestring, it->valuestring))
			return false;
	}
	cJSON_ArrayForEach(it, json_obj(sel, "matchExpressions"))
		if (!expr_matches(it, labels))
			return false;
	return true;
}

static void validate_selector(const cJSON *obj, struct err *e)
{
	const cJSON *sel = json_get(obj, "spec.selector");
	const cJSON *labels = json_get(obj, "spec.template.metadata.labels");
	struct buf b = BUF_INIT;

	if (!sel) {
		err_cause(e, "FieldValueRequired", "spec.selector", "Required value");
		return;
	}
	if (!cJSON_GetArraySize(json_obj(sel, "matchLabels")) &&
	    !cJSON_GetArraySize(json_obj(sel, "matchExpressions"))) {
		err_cause(e, "FieldValueInvalid", "spec.selector",
			  "Invalid value: \"null\": empty selector is invalid for deployment");
		return;
	}
	if (selector_matches(sel, labels))
		return;
	go_map(labels, &b);
	err_cause(e, "FieldValueInvalid", "spec.template.metadata.labels",
		  "Invalid value: %s: `selector` does not match template `labels`", buf_cstr(&b));
	buf_free(&b);
}

/*
 * Deployment, ReplicaSet, DaemonSet; a StatefulSet's template is not run
 * through the pod spec rules (its mounts name volumeClaimTemplates, so
 * the API server leaves that to the pods), only names, images and the
 * restart policy.
 */
static void workload_check(const cJSON *obj, bool podspec, struct err *e)
{
	const char *rp = json_get_str(obj, "spec.template.spec.restartPolicy");
	const cJSON *spec = json_get(obj, "spec.template.spec");
	int64_t r = 0;

	validate_selector(obj, e);
	if (json_get_int(obj, "spec.replicas", &r) == 0 && r < 0)
		err_cause(e, "FieldValueInvalid", "spec.replicas",
			  "Invalid value: %lld: must be greater than or equal to 0", (long long)r);
	if (podspec)
		podspec_validate(spec, "spec.template.spec", e);
	else
		validate_containers(spec, "spec.template.spec", e);
	if (rp && strcmp(rp, "Always"))
		admit_not_supported(e, "spec.template.spec.restartPolicy", rp,
				    (const char *const[]){ "Always", NULL });
}

static void workload_validate(const cJSON *obj, struct err *e)
{
	workload_check(obj, true, e);
}

static void sts_validate(const cJSON *obj, struct err *e)
{
	workload_check(obj, false, e);
}

static void selector_immutable(const cJSON *old, const cJSON *nw, struct err *e)
{
	admit_immutable(old, nw, "spec.selector", e);
}

static void deploy_defaults(cJSON *obj, bool create)
{
	(void)create;
	set_default_int(obj, "spec.replicas", 1);
	if (!json_get(obj, "spec.strategy.type"))
		json_set_str(obj, "spec.strategy.type", "RollingUpdate");
	if (str_is(obj, "spec.strategy.type", "RollingUpdate")) {
		set_default_str(obj, "spec.strategy.rollingUpdate.maxUnavailable", "25%");
		set_default_str(obj, "spec.strategy.rollingUpdate.maxSurge", "25%");
	}
	set_default_int(obj, "spec.revisionHistoryLimit", 10);
	set_default_int(obj, "spec.progressDeadlineSeconds", 600);
	podspec_defaults(json_get(obj, "spec.template.spec"));
}

static void rs_defaults(cJSON *obj, bool create)
{
	(void)create;
	set_default_int(obj, "spec.replicas", 1);
	podspec_defaults(json_get(obj, "spec.template.spec"));
}

static void sts_defaults(cJSON *obj, bool create)
{
	(void)create;
	set_default_int(obj, "spec.replicas", 1);
	set_default_str(obj, "spec.podManagementPolicy", "OrderedReady");
	set_default_str(obj, "spec.updateStrategy.type", "RollingUpdate");
	if (str_is(obj, "spec.updateStrategy.type", "RollingUpdate"))
		set_default_int(obj, "spec.updateStrategy.rollingUpdate.partition", 0);
	set_default_int(obj, "spec.revisionHistoryLimit", 10);
	set_default_str(obj, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", "Retain");
	set_default_str(obj, "spec.persistentVolumeClaimRetentionPolicy.whenScaled", "Retain");
	podspec_defaults(json_get(obj, "spec.template.spec"));
}

static void ds_defaults(cJSON *obj, bool create)
{
	(void)create;
	set_default_str(obj, "spec.updateStrategy.type", "RollingUpdate");
	if (str_is(obj, "spec.updateStrategy.type", "RollingUpdate")) {
		set_default_int(obj, "spec.updateStrategy.rollingUpdate.maxUnavailable", 1);
		set_default_int(obj, "spec.updateStrategy.rollingUpdate.maxSurge", 0);
	}
	set_default_int(obj, "spec.revisionHistoryLimit", 10);
	podspec_defaults(json_get(obj, "spec.template.spec"));
}

/* An int-or-string as Go's %#v prints it in field.Invalid messages. */
static void intstr_go(const cJSON *v, char *out, size_t n)
{
	if (cJSON_IsString(v))
		snprintf(out, n, "intstr.IntOrString{Type:1, IntVal:0, StrVal:\"%s\"}",
			 v->valuestring);
	else
		snprintf(out, n, "intstr.IntOrString{Type:0, IntVal:%lld, StrVal:\"\"}",
			 cJSON_IsNumber(v) ? (long long)v->valuedouble : 0LL);
}

static bool intstr_zero(const cJSON *v)
{
	if (cJSON_IsString(v))
		return strtoll(v->valuestring, NULL, 10) == 0;
	return !cJSON_IsNumber(v) || v->valuedouble == 0;
}

/* RollingUpdate: exactly one of maxSurge and maxUnavailable is non-zero. */
static void ds_validate(const cJSON *obj, struct err *e)
{
	const cJSON *ru = json_get(obj, "spec.updateStrategy.rollingUpdate");
	const cJSON *surge = json_obj(ru, "maxSurge"), *mu = json_obj(ru, "maxUnavailable");
	char val[160];

	workload_validate(obj, e);
	if (!ru || !str_is(obj, "spec.updateStrategy.type", "RollingUpdate"))
		return;
	if (!intstr_zero(surge) && !intstr_zero(mu)) {
		intstr_go(surge, val, sizeof(val));
		err_cause(e, "FieldValueInvalid", "spec.updateStrategy.rollingUpdate.maxSurge",
			  "Invalid value: %s: may not be set when maxUnavailable is non-zero", val);
	} else if (intstr_zero(surge) && intstr_zero(mu)) {
		err_cause(e, "FieldValueRequired", "spec.updateStrategy.rollingUpdate.maxUnavailable",
			  "Required value: cannot be 0 when maxSurge is 0");
	}
}

static void job_defaults(cJSON *obj, bool create)
{
	const char *uid = json_get_str(obj, "metadata.uid");
	const char *name = json_get_str(obj, "metadata.name");

	set_default_int(obj, "spec.parallelism", 1);
	if (!json_get(obj, "spec.completions") && !json_get(obj, "spec.parallelism"))
		set_default_int(obj, "spec.completions", 1);
	set_default_int(obj, "spec.completions", 1);
	/* backoffLimitPerIndex leaves the global limit out of the way */
	set_default_int(obj, "spec.backoffLimit",
			json_get(obj, "spec.backoffLimitPerIndex") ? 2147483647 : 6);
	set_default_str(obj, "spec.completionMode", "NonIndexed");
	if (!json_get(obj, "spec.suspend"))
		json_set(obj, "spec.suspend", cJSON_CreateFalse());
	set_default_str(obj, "spec.podReplacementPolicy", "TerminatingOrFailed");
	podspec_defaults(json_get(obj, "spec.template.spec"));
	if (create && uid && name && !json_get_bool(obj, "spec.manualSelector", false) &&
	    !json_get(obj, "spec.selector")) {
		static const char *const keys[] = { "batch\\.kubernetes\\.io/controller-uid",
						    "controller-uid", NULL };

		json_set_str(obj, "spec.selector.matchLabels.batch\\.kubernetes\\.io/controller-uid", uid);
		for (size_t i = 0; keys[i]; i++) {
			char *p = xasprintf("spec.template.metadata.labels.%s", keys[i]);

			json_set_str(obj, p, uid);
			free(p);
		}
		json_set_str(obj, "spec.template.metadata.labels.batch\\.kubernetes\\.io/job-name", name);
		json_set_str(obj, "spec.template.metadata.labels.job-name", name);
	}
}

static void job_validate(const cJSON *obj, struct err *e)
{
	const char *rp = json_get_str(obj, "spec.template.spec.restartPolicy");

	validate_selector(obj, e);
	podspec_validate(json_get(obj, "spec.template.spec"), "spec.template.spec", e);
	if (rp && strcmp(rp, "OnFailure") && strcmp(rp, "Never"))
		err_cause(e, "FieldValueNotSupported", "spec.template.spec.restartPolicy",
			  "Unsupported value: \"%s\": supported values: \"OnFailure\", \"Never\"", rp);
}

static void cronjob_defaults(cJSON *obj, bool create)
{
	(void)create;
	set_default_str(obj, "spec.concurrencyPolicy", "Allow");
	if (!json_get(obj, "spec.suspend"))
		json_set(obj, "spec.suspend", cJSON_CreateFalse());
	set_default_int(obj, "spec.successfulJobsHistoryLimit", 3);
	set_default_int(obj, "spec.failedJobsHistoryLimit", 1);
	podspec_defaults(json_get(obj, "spec.jobTemplate.spec.template.spec"));
}

static void cronjob_validate(const cJSON *obj, struct err *e)
{
	const char *s = json_get_str(obj, "spec.schedule");

	const cJSON *tz = json_get(obj, "spec.timeZone");
	struct cron c;
	struct err ce;

	if (!s || !*s)
		err_cause(e, "FieldValueRequired", "spec.schedule", "Required value");
	else if (cron_parse(s, &c, &ce) < 0)
		err_cause(e, "FieldValueInvalid", "spec.schedule",
			  "Invalid value: \"%s\": %s", s, ce.msg);
	if (s && strstr(s, "TZ"))
		err_cause(e, "FieldValueInvalid", "spec.schedule",
			  "Invalid value: \"%s\": cannot use TZ or CRON_TZ in schedule, "
			  "use timeZone field instead", s);
	if (cJSON_IsString(tz) && !*tz->valuestring)
		err_cause(e, "FieldValueInvalid", "spec.timeZone",
			  "Invalid value: \"\": timeZone must be nil or non-empty string");
	else if (cJSON_IsString(tz) && !cron_zone_valid(tz->valuestring))
		err_cause(e, "FieldValueInvalid", "spec.timeZone",
			  "Invalid value: \"%s\": unknown time zone %s",
			  tz->valuestring, tz->valuestring);
	podspec_validate(json_get(obj, "spec.jobTemplate.spec.template.spec"),
			 "spec.jobTemplate.spec.template.spec", e);
}

/* --- services --- */

static void service_defaults(cJSON *obj, bool create)
{
	const char *type;
	cJSON *p;

	set_default_str(obj, "spec.type", "ClusterIP");
	type = json_get_str(obj, "spec.type");
	if (!type || !strcmp(type, "ExternalName"))
		return;
	set_default_str(obj, "spec.sessionAffinity", "None");
	set_default_str(obj, "spec.internalTrafficPolicy", "Cluster");
	if (create && !json_get(obj, "spec.ipFamilies"))
		json_set(obj, "spec.ipFamilies", cJSON_CreateStringArray((const char *[]){ "IPv4" }, 1));
	set_default_str(obj, "spec.ipFamilyPolicy", "SingleStack");
	if (!strcmp(type, "NodePort") || !strcmp(type, "LoadBalancer"))
		set_default_str(obj, "spec.externalTrafficPolicy", "Cluster");
	cJSON_ArrayForEach(p, json_get(obj, "spec.ports")) {
		int64_t port = 0;

		set_default_str(p, "protocol", "TCP");
		if (!json_get(p, "targetPort") && json_get_int(p, "port", &port) == 0)
			json_set_int(p, "targetPort", port);
	}
	if (!json_get(obj, "status.loadBalancer"))
		json_set(obj, "status.loadBalancer", cJSON_CreateObject());
}

static void service_validate(const cJSON *obj, struct err *e)
{
	const char *type = json_get_str(obj, "spec.type");
	const char *ip = json_get_str(obj, "spec.clusterIP");
	const cJSON *p;
	int i = 0;
	static const char *const types[] = { "ClusterIP", "NodePort",
					     "LoadBalancer", "ExternalName", NULL };
	bool known = false;

	for (size_t t = 0; type && types[t]; t++)
		known |= !strcmp(types[t], type);
	if (!known)
		err_cause(e, "FieldValueNotSupported", "spec.type",
			  "Unsupported value: \"%s\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
			  type ? type : "");
	if (type && !strcmp(type, "ExternalName"))
		return;
	if (!cJSON_GetArraySize(json_get(obj, "spec.ports")) && !(ip && !strcmp(ip, "None")))
		err_cause(e, "FieldValueRequired", "spec.ports", "Required value");
	cJSON_ArrayForEach(p, json_get(obj, "spec.ports")) {
		int64_t port = 0;
		char field[64];

		snprintf(field, sizeof(field), "spec.ports[%d].port", i++);
		if (json_get_int(p, "port", &port) < 0 || port < 1 || port > 65535)
			err_cause(e, "FieldValueInvalid", field,
				  "Invalid value: %lld: must be between 1 and 65535, inclusive", (long long)port);
	}
}

static void service_immutable(const cJSON *old, const cJSON *nw, struct err *e)
{
	const char *a = json_get_str(old, "spec.clusterIP");
	const char *b = json_get_str(nw, "spec.clusterIP");

	if (a && *a && b && *b && strcmp(a, b))
		admit_invalid(e, "spec.clusterIPs[0]", b, "may not change once set");
}

/* --- config maps and secrets --- */

static const char key_msg[] =
	"a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

static void check_keys(const cJSON *m, const char *path, struct err *e)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, m) {
		bool ok = it->string[0] != 0 && strcmp(it->string, ".") && strcmp(it->string, "..");
		char field[300];

		for (const char *c = it->string; *c && ok; c++)
			ok = isalnum((unsigned char)*c) || strchr("-._", *c);
		if (!ok) {
			snprintf(field, sizeof(field), "%s[%s]", path, it->string);
			admit_invalid(e, field, it->string, key_msg);
		}
	}
}

static size_t map_bytes(const cJSON *m, bool b64)
{
	const cJSON *it;
	size_t n = 0;

	cJSON_ArrayForEach(it, m)
		if (cJSON_IsString(it))
			n += b64 ? strlen(it->valuestring) / 4 * 3 : strlen(it->valuestring);
	return n;
}

static void configmap_validate(const cJSON *obj, struct err *e)
{
	check_keys(json_get(obj, "data"), "data", e);
	check_keys(json_get(obj, "binaryData"), "binaryData", e);
	if (map_bytes(json_get(obj, "data"), false) +
	    map_bytes(json_get(obj, "binaryData"), true) > SIZE_LIMIT)
		err_cause(e, "FieldValueTooLong", "",
			  "Too long: must have at most %d bytes", SIZE_LIMIT);
}

static void data_immutable(const cJSON *old, const cJSON *nw, struct err *e)
{
	if (!json_get_bool(old, "immutable", false))
		return;
	if (!json_equal(json_get(old, "data"), json_get(nw, "data")))
		err_cause(e, "FieldValueForbidden", "data",
			  "Forbidden: field is immutable when `immutable` is set");
	if (!json_get_bool(nw, "immutable", false))
		err_cause(e, "FieldValueForbidden", "immutable",
			  "Forbidden: field is immutable when `immutable` is set");
}

static bool valid_b64(const char *s)
{
	size_t n = strlen(s);
	gnutls_datum_t in = { (unsigned char *)s, (unsigned)n }, out = { NULL, 0 };
	int rc;

	if (n == 0)
		return true;
	if (n % 4)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("+/=", s[i]))
			return false;
	rc = gnutls_base64_decode2(&in, &out);
	gnutls_free(out.data);
	return rc == 0;
}

/* Move stringData into data (base64), as the apiserver does. */
static void secret_defaults(cJSON *obj, bool create)
{
	cJSON *sd = json_get(obj, "stringData"), *it;

	(void)create;
	set_default_str(obj, "type", "Opaque");
	cJSON_ArrayForEach(it, sd) {
		gnutls_datum_t in, out = { NULL, 0 };
		char *v;

		if (!cJSON_IsString(it))
			continue;
		in.data = (unsigned char *)it->valuestring;
		in.size = (unsigned)strlen(it->valuestring);
		if (in.size == 0) {
			out.data = gnutls_malloc(1);
			out.size = 0;
		} else if (gnutls_base64_encode2(&in, &out) < 0) {
			continue;
		}
		v = xstrndup((char *)out.data, out.size);
		cJSON_DeleteItemFromObjectCaseSensitive(json_obj_ensure(obj, "data"), it->string);
		cJSON_AddStringToObject(json_obj(obj, "data"), it->string, v);
		free(v);
		gnutls_free(out.data);
	}
	json_del(obj, "stringData");
}

static void secret_validate(const cJSON *obj, struct err *e)
{
	const cJSON *it;

	check_keys(json_get(obj, "data"), "data", e);
	cJSON_ArrayForEach(it, json_get(obj, "data"))
		if (!cJSON_IsString(it) || !valid_b64(it->valuestring)) {
			char field[300];

			snprintf(field, sizeof(field), "data[%s]", it->string);
			err_cause(e, "FieldValueInvalid", field,
				  "Invalid value: \"<secret contents redacted>\": illegal base64 data");
		}
	if (map_bytes(json_get(obj, "data"), true) > SIZE_LIMIT)
		err_cause(e, "FieldValueTooLong", "data",
			  "Too long: must have at most %d bytes", SIZE_LIMIT);
}

static void secret_immutable(const cJSON *old, const cJSON *nw, struct err *e)
{
	admit_immutable(old, nw, "type", e);
	data_immutable(old, nw, e);
}

static const struct admit_rule rules[] = {
	{ "Pod", ADMIT_NAME_SUBDOMAIN, pod_defaults, pod_validate, admit_pod_update },
	{ "Deployment", ADMIT_NAME_SUBDOMAIN, deploy_defaults, workload_validate, selector_immutable },
	{ "ReplicaSet", ADMIT_NAME_SUBDOMAIN, rs_defaults, workload_validate, selector_immutable },
	{ "StatefulSet", ADMIT_NAME_SUBDOMAIN, sts_defaults, sts_validate, selector_immutable },
	{ "DaemonSet", ADMIT_NAME_SUBDOMAIN, ds_defaults, ds_validate, selector_immutable },
	{ "Job", ADMIT_NAME_SUBDOMAIN, job_defaults, job_validate, selector_immutable },
	{ "CronJob", ADMIT_NAME_SUBDOMAIN, cronjob_defaults, cronjob_validate, NULL },
	{ "Service", ADMIT_NAME_DNS1035, service_defaults, service_validate, service_immutable },
	{ "ConfigMap", ADMIT_NAME_SUBDOMAIN, NULL, configmap_validate, data_immutable },
	{ "Secret", ADMIT_NAME_SUBDOMAIN, secret_defaults, secret_validate, secret_immutable },
	{ "Namespace", ADMIT_NAME_LABEL, NULL, NULL, NULL },
	{ "Role", ADMIT_NAME_PATH, NULL, admit_role_validate, NULL },
	{ "ClusterRole", ADMIT_NAME_PATH, NULL, admit_clusterrole_validate, NULL },
	{ "RoleBinding", ADMIT_NAME_PATH, admit_binding_defaults, admit_rolebinding_validate,
	  admit_binding_immutable },
	{ "ClusterRoleBinding", ADMIT_NAME_PATH, admit_binding_defaults, admit_crb_validate,
	  admit_binding_immutable },
	{ "PriorityClass", ADMIT_NAME_SUBDOMAIN, admit_prio_defaults, admit_prio_validate,
	  admit_prio_immutable },
	{ "Ingress", ADMIT_NAME_SUBDOMAIN, NULL, admit_ingress_validate, NULL },
	{ "IngressClass", ADMIT_NAME_SUBDOMAIN, NULL, admit_ingclass_validate,
	  admit_ingclass_immutable },
	{ "LimitRange", ADMIT_NAME_SUBDOMAIN, NULL, limitrange_validate, NULL },
	{ "PersistentVolumeClaim", ADMIT_NAME_SUBDOMAIN, pvcprot_defaults, NULL, NULL },
};

const struct admit_rule *admit_rule_for(const char *kind)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].kind, kind))
			return &rules[i];
	return NULL;
}
