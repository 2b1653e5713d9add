/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit_pod_ctr: the per-container rules of pkg/apis/core/validation
 * (validateContainers / validateInitContainers): ports, env names,
 * volumeMounts, resources and probes, with the API server's field paths
 * and texts, lifecycle hooks, the init-container rules (restartPolicy
 * Always or no hooks and probes) and the container securityContext
 * (admit_pod_sec.c).  admit_pod.c walks the spec and calls
 * admit_containers.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/admit_int.h"
#include "common/json.h"
#include "common/quantity.h"

#define FLD 320


static void ports(const cJSON *c, const char *cp, struct err *e)
{
	static const char *const protos[] = { "SCTP", "TCP", "UDP", NULL };
	const cJSON *ps = json_get(c, "ports"), *p;
	char pp[FLD], f[FLD];
	int i = 0;

	cJSON_ArrayForEach(p, ps) {
		const char *name = json_get_str(p, "name"), *proto = json_get_str(p, "protocol");
		const char *msgs[5];
		int64_t n = 0;

		admit_field(pp, sizeof(pp), "%s.ports[%d]", cp, i++);
		admit_field(f, sizeof(f), "%s.name", pp);
		if (name && *name && admit_port_name_msgs(name, msgs))
			admit_port_name(e, f, name);
		else if (name && *name)
			for (const cJSON *d = ps->child; d != p; d = d->next)
				if (json_get_str(d, "name") && !strcmp(json_get_str(d, "name"), name)) {
					admit_duplicate(e, f, name);
					break;
				}
		admit_field(f, sizeof(f), "%s.containerPort", pp);
		if (json_get_int(p, "containerPort", &n) < 0 || n == 0)
			admit_required(e, f, NULL);
		else
			admit_port_num(e, f, (long long)n);
		admit_field(f, sizeof(f), "%s.hostPort", pp);
		if (json_get_int(p, "hostPort", &n) == 0 && n != 0)
			admit_port_num(e, f, (long long)n);
		admit_field(f, sizeof(f), "%s.protocol", pp);
		if (!proto || !*proto)
			admit_required(e, f, NULL);
		else if (!admit_one_of(proto, protos))
			admit_not_supported(e, f, proto, protos);
	}
}

static void env(const cJSON *c, const char *cp, struct err *e)
{
	const cJSON *v;
	char f[FLD];
	int i = 0;

	cJSON_ArrayForEach(v, json_get(c, "env")) {
		const char *name = json_get_str(v, "name");
		bool ok = true;

		admit_field(f, sizeof(f), "%s.env[%d].name", cp, i++);
		if (!name || !*name) {
			admit_required(e, f, NULL);
			admit_invalid(e, f, "", "environment variable name must be non-empty");
			continue;
		}
		for (const unsigned char *s = (const unsigned char *)name; *s && ok; s++)
			ok = *s >= 0x20 && *s < 0x7f && *s != '=';
		if (!ok)
			admit_invalid(e, f, name, "a valid environment variable name must consist only of printable ASCII characters other than '='");
	}
}

static bool has_volume(const cJSON *spec, const char *name)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, json_get(spec, "volumes"))
		if (json_get_str(v, "name") && !strcmp(json_get_str(v, "name"), name))
			return true;
	return false;
}

static void mounts(const cJSON *spec, const cJSON *c, const char *cp,
		   struct err *e)
{
	const cJSON *ms = json_get(c, "volumeMounts"), *m;
	char mp[FLD], f[FLD];
	int i = 0;

	cJSON_ArrayForEach(m, ms) {
		const char *name = json_get_str(m, "name") ?: "";
		const char *path = json_get_str(m, "mountPath") ?: "";
		const char *sub = json_get_str(m, "subPath");

		admit_field(mp, sizeof(mp), "%s.volumeMounts[%d]", cp, i++);
		admit_field(f, sizeof(f), "%s.name", mp);
		if (!*name)
			admit_required(e, f, NULL);
		if (!has_volume(spec, name))
			admit_not_found(e, f, name);
		admit_field(f, sizeof(f), "%s.mountPath", mp);
		if (!*path)
			admit_required(e, f, NULL);
		for (const cJSON *d = ms->child; d != m; d = d->next)
			if (!strcmp(json_get_str(d, "mountPath") ?: "", path)) {
				admit_invalid(e, f, path, "must be unique");
				break;
			}
		admit_field(f, sizeof(f), "%s.volumeMounts.subPath", cp);
		if (sub && *sub)
			admit_local_path(e, f, sub, false);
	}
}

/* --- resources --- */

/* Native (no '/' or a kubernetes.io domain) and not hugepages-*. */
static bool overcommit_ok(const char *name)
{
	const char *slash = strchr(name, '/');

	if (!strncmp(name, "hugepages-", 10))
		return false;
	return !slash || strstr(name, "kubernetes.io/") != NULL;
}

static void resource_name(struct err *e, const char *f, const char *name)
{
	static const char *const std[] = { "cpu", "memory", "ephemeral-storage", NULL };

	if (strchr(name, '/') || !strncmp(name, "hugepages-", 10))
		return;
	if (!admit_one_of(name, std))
		admit_invalid(e, f, name, "must be a standard resource for containers");
}

/* Parse and check one quantity; false when unusable. */
static bool resource_value(struct err *e, const char *f, const cJSON *v,
			   struct quantity *q)
{
	struct err qe;
	char s[QUANTITY_STR_MAX];

	if (cJSON_IsNumber(v))
		snprintf(s, sizeof(s), "%.15g", v->valuedouble);
	else
		snprintf(s, sizeof(s), "%s", cJSON_IsString(v) ? v->valuestring : "");
	if (quantity_parse(s, q, &qe) < 0) {
		admit_invalid(e, f, s, qe.msg);
		return false;
	}
	if (q->nano < 0) {
		admit_invalid(e, f, quantity_format(q, s), "must be greater than or equal to 0");
		return false;
	}
	return true;
}

static void request_vs_limit(struct err *e, const char *rp, const char *lp,
			     const char *name, const struct quantity *rq,
			     const cJSON *lim)
{
	struct quantity lq;
	struct err qe;
	char rs[QUANTITY_STR_MAX], ls[QUANTITY_STR_MAX], msg[200];
	char ltxt[QUANTITY_STR_MAX];

	if (!lim) {
		if (!overcommit_ok(name))
			admit_required(e, lp, "Limit must be set for non overcommitable resources");
		return;
	}
	if (cJSON_IsNumber(lim))
		snprintf(ltxt, sizeof(ltxt), "%.15g", lim->valuedouble);
	else
		snprintf(ltxt, sizeof(ltxt), "%s", cJSON_IsString(lim) ? lim->valuestring : "");
	if (quantity_parse(ltxt, &lq, &qe) < 0)
		return;
	quantity_format(rq, rs);
	quantity_format(&lq, ls);
	if (quantity_cmp(rq, &lq) != 0 && !overcommit_ok(name)) {
		snprintf(msg, sizeof(msg), "must be equal to %s limit of %s", name, ls);
		admit_invalid(e, rp, rs, msg);
	} else if (quantity_cmp(rq, &lq) > 0) {
		snprintf(msg, sizeof(msg), "must be less than or equal to %s limit of %s", name, ls);
		admit_invalid(e, rp, rs, msg);
	}
}

static void resources(const cJSON *c, const char *cp, struct err *e)
{
	const cJSON *lims = json_get(c, "resources.limits");
	const cJSON *it;
	bool cpumem = false, huge = false;
	char lp[FLD], rp[FLD], f[FLD + 64];
	struct quantity q;

	admit_field(lp, sizeof(lp), "%s.resources.limits", cp);
	admit_field(rp, sizeof(rp), "%s.resources.requests", cp);
	cJSON_ArrayForEach(it, lims) {
		admit_field(f, sizeof(f), "%s[%s]", lp, it->string);
		resource_name(e, f, it->string);
		resource_value(e, f, it, &q);
		cpumem |= !strcmp(it->string, "cpu") || !strcmp(it->string, "memory");
		huge |= !strncmp(it->string, "hugepages-", 10);
	}
	cJSON_ArrayForEach(it, json_get(c, "resources.requests")) {
		admit_field(f, sizeof(f), "%s[%s]", rp, it->string);
		resource_name(e, f, it->string);
		if (resource_value(e, f, it, &q))
			request_vs_limit(e, rp, lp, it->string, &q,
					 cJSON_GetObjectItemCaseSensitive(lims, it->string));
		cpumem |= !strcmp(it->string, "cpu") || !strcmp(it->string, "memory");
		huge |= !strncmp(it->string, "hugepages-", 10);
	}
	if (huge && !cpumem) {
		admit_field(f, sizeof(f), "%s.resources", cp);
		admit_forbidden(e, f, "HugePages require cpu or memory");
	}
}

/* --- probes --- */

static void handler_fields(const cJSON *p, const char *kind, const char *hp,
			   struct err *e)
{
	static const char *const schemes[] = { "HTTP", "HTTPS", NULL };
	const cJSON *h = json_get(p, kind);
	char f[FLD];

	if (!strcmp(kind, "exec")) {
		admit_field(f, sizeof(f), "%s.command", hp);
		if (!cJSON_GetArraySize(json_get(h, "command")))
			admit_required(e, f, NULL);
	} else if (!strcmp(kind, "httpGet")) {
		const char *path = json_get_str(h, "path"), *sch = json_get_str(h, "scheme");

		admit_field(f, sizeof(f), "%s.path", hp);
		if (!path || !*path)
			admit_required(e, f, NULL);
		admit_field(f, sizeof(f), "%s.port", hp);
		admit_port_num_or_name(e, f, json_get(h, "port"));
		admit_field(f, sizeof(f), "%s.scheme", hp);
		if (!admit_one_of(sch, schemes))
			admit_not_supported(e, f, sch ? sch : "", schemes);
	} else if (!strcmp(kind, "tcpSocket")) {
		admit_field(f, sizeof(f), "%s.port", hp);
		admit_port_num_or_name(e, f, json_get(h, "port"));
	} else {
		int64_t port = 0;

		admit_field(f, sizeof(f), "%s.port", hp);
		json_get_int(h, "port", &port);
		admit_port_num(e, f, (long long)port);
	}
}

static void probe(const cJSON *c, const char *key, const char *cp,
		  struct err *e)
{
	static const char *const handlers[] = { "exec", "httpGet", "tcpSocket", "grpc", NULL };
	static const char *const nums[] = { "initialDelaySeconds", "timeoutSeconds",
					    "periodSeconds", "successThreshold",
					    "failureThreshold", NULL };
	const cJSON *p = json_get(c, key);
	char pp[FLD], f[FLD];
	int found = 0;
	int64_t v;

	if (!cJSON_IsObject(p))
		return;
	admit_field(pp, sizeof(pp), "%s.%s", cp, key);
	for (size_t i = 0; handlers[i]; i++) {
		if (!cJSON_IsObject(json_get(p, handlers[i])))
			continue;
		admit_field(f, sizeof(f), "%s.%s", pp, handlers[i]);
		if (found++)
			admit_forbidden(e, f, "may not specify more than 1 handler type");
		else
			handler_fields(p, handlers[i], f, e);
	}
	if (!found)
		admit_required(e, pp, "must specify a handler type");
	for (size_t i = 0; nums[i]; i++) {
		admit_field(f, sizeof(f), "%s.%s", pp, nums[i]);
		if (json_get_int(p, nums[i], &v) == 0 && v < 0)
			admit_invalid_int(e, f, (long long)v, "must be greater than or equal to 0");
	}
	admit_field(f, sizeof(f), "%s.terminationGracePeriodSeconds", pp);
	if (json_get_int(p, "terminationGracePeriodSeconds", &v) == 0 && v <= 0)
		admit_invalid_int(e, f, (long long)v, "must be greater than 0");
}

/* Liveness and startup probes must succeed once: successThreshold 1. */
static void success_one(const cJSON *c, const char *key, const char *cp,
			struct err *e)
{
	int64_t v;
	char f[FLD];

	if (json_get_int(c, key, &v) == 0 && v != 1) {
		admit_field(f, sizeof(f), "%s.%s", cp, key);
		admit_invalid_int(e, f, (long long)v, "must be 1");
	}
}

/* validateLifecycle: postStart and preStop, exactly one handler each. */
static void lifecycle(const cJSON *c, const cJSON *spec, const char *cp,
		      struct err *e)
{
	static const char *const hooks[] = { "postStart", "preStop", NULL };
	static const char *const handlers[] = { "exec", "httpGet", "tcpSocket", "sleep", NULL };
	char hp[FLD], f[FLD], msg[160];

	for (size_t k = 0; hooks[k]; k++) {
		const cJSON *h = json_get(c, "lifecycle") ? json_get(json_get(c, "lifecycle"), hooks[k]) : NULL;
		int found = 0;

		if (!cJSON_IsObject(h))
			continue;
		admit_field(hp, sizeof(hp), "%s.lifecycle.%s", cp, hooks[k]);
		for (size_t i = 0; handlers[i]; i++) {
			const cJSON *a = json_get(h, handlers[i]);
			int64_t secs = 0, grace = 30;

			if (!cJSON_IsObject(a))
				continue;
			admit_field(f, sizeof(f), "%s.%s", hp, handlers[i]);
			if (found++) {
				admit_forbidden(e, f, "may not specify more than 1 handler type");
				continue;
			}
			if (strcmp(handlers[i], "sleep")) {
				handler_fields(h, handlers[i], f, e);
				continue;
			}
			json_get_int(a, "seconds", &secs);
			if (json_get_int(spec, "terminationGracePeriodSeconds", &grace) < 0)
				grace = 30;
			if (secs < 0 || secs > grace) {
				snprintf(msg, sizeof(msg), "must be non-negative and less than terminationGracePeriodSeconds (%lld)",
					 (long long)grace);
				admit_invalid_int(e, f, (long long)secs, msg);
			}
		}
		if (!found)
			admit_required(e, hp, "must specify a handler type");
	}
}

static void probes(const cJSON *c, const cJSON *spec, const char *cp,
		   struct err *e)
{
	if (json_get(c, "lifecycle"))
		lifecycle(c, spec, cp, e);
	probe(c, "livenessProbe", cp, e);
	success_one(c, "livenessProbe.successThreshold", cp, e);
	probe(c, "readinessProbe", cp, e);
	probe(c, "startupProbe", cp, e);
	success_one(c, "startupProbe.successThreshold", cp, e);
}

/* Init containers: restartPolicy Always (sidecar) or no hooks/probes. */
static void init_rules(const cJSON *c, const cJSON *spec, const char *cp,
		       struct err *e)
{
	static const char *const always[] = { "Always", NULL };
	static const char *const banned[] = { "lifecycle", "livenessProbe",
					      "readinessProbe", "startupProbe", NULL };
	const char *rp = json_get_str(c, "restartPolicy");
	char f[FLD];

	admit_field(f, sizeof(f), "%s.restartPolicy", cp);
	if (rp && strcmp(rp, "Always"))
		admit_not_supported(e, f, rp, always);
	if (rp && !strcmp(rp, "Always")) {
		probes(c, spec, cp, e);
		return;
	}
	for (size_t i = 0; banned[i]; i++) {
		if (!json_get(c, banned[i]) || cJSON_IsNull(json_get(c, banned[i])))
			continue;
		admit_field(f, sizeof(f), "%s.%s", cp, banned[i]);
		admit_forbidden(e, f, "may not be set for init containers without restartPolicy=Always");
	}
}

void admit_containers(const cJSON *spec, const char *key, const char *base,
		      struct err *e)
{
	bool init = !strcmp(key, "initContainers");
	bool host_users = json_get_bool(spec, "hostUsers", true);
	const cJSON *c;
	char cp[FLD], f[FLD];
	int i = 0;

	cJSON_ArrayForEach(c, json_get(spec, key)) {
		admit_field(cp, sizeof(cp), "%s.%s[%d]", base, key, i++);
		ports(c, cp, e);
		env(c, cp, e);
		mounts(spec, c, cp, e);
		resources(c, cp, e);
		admit_ctr_security(c, cp, host_users, e);
		if (init) {
			init_rules(c, spec, cp, e);
			continue;
		}
		probes(c, spec, cp, e);
		admit_field(f, sizeof(f), "%s.restartPolicy", cp);
		if (json_get(c, "restartPolicy") && !cJSON_IsNull(json_get(c, "restartPolicy")))
			admit_forbidden(e, f, "may not be set for non-init containers");
	}
}

/* Go's defaulting: an absent or zero field gets v. */
static void zero_default(cJSON *o, const char *key, int64_t v)
{
	int64_t have = 0;

	if (!json_get(o, key) || (json_get_int(o, key, &have) == 0 && have == 0))
		json_set_int(o, key, v);
}

void admit_probe_defaults(cJSON *c)
{
	static const char *const keys[] = { "livenessProbe", "readinessProbe",
					    "startupProbe", NULL };
	static const char *const hooks[] = { "postStart", "preStop", NULL };

	for (size_t i = 0; keys[i]; i++) {
		cJSON *p = json_get(c, keys[i]);
		cJSON *h = p ? json_get(p, "httpGet") : NULL;

		if (!cJSON_IsObject(p))
			continue;
		zero_default(p, "timeoutSeconds", 1);
		zero_default(p, "periodSeconds", 10);
		zero_default(p, "successThreshold", 1);
		zero_default(p, "failureThreshold", 3);
		if (cJSON_IsObject(h) && !json_get(h, "path"))
			json_set_str(h, "path", "/");
		if (cJSON_IsObject(h) && !json_get(h, "scheme"))
			json_set_str(h, "scheme", "HTTP");
	}
	for (size_t i = 0; hooks[i]; i++) {
		cJSON *lc = json_get(c, "lifecycle");
		cJSON *h = lc ? json_get(lc, hooks[i]) : NULL;

		h = h ? json_get(h, "httpGet") : NULL;
		if (cJSON_IsObject(h) && !json_get(h, "path"))
			json_set_str(h, "path", "/");
		if (cJSON_IsObject(h) && !json_get(h, "scheme"))
			json_set_str(h, "scheme", "HTTP");
	}
}
