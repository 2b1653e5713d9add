/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit_ingress: Ingress and IngressClass rules of
 * pkg/apis/networking/validation: rules or defaultBackend required, rule
 * hosts (DNS names, wildcards as '*.' prefix only, no IP addresses), HTTP
 * paths (pathType required and one of Exact/ImplementationSpecific/Prefix,
 * absolute paths without '//', '/./', '/../', '%2f' for Exact and
 * Prefix), backends (exactly one of service or resource; a service name
 * and one of port name or number), TLS hosts and secret names, the
 * class name; IngressClass spec.controller (a domain-prefixed path,
 * immutable).
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "cluster/admit_int.h"
#include "common/buf.h"
#include "common/json.h"

#define FLD 200

static const char dns1035_msg[] =
	"a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
static const char subdomain_msg[] =
	"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

static bool is_ip(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static void service_backend(const cJSON *svc, const char *bp, struct err *e)
{
	const char *name = json_get_str(svc, "name") ?: "";
	const char *pname = json_get_str(svc, "port.name") ?: "";
	int64_t pnum = 0;
	char f[FLD];

	admit_field(f, sizeof(f), "%s.service.name", bp);
	if (!*name)
		admit_required(e, f, NULL);
	else if (strlen(name) > 63)
		admit_invalid(e, f, name, "must be no more than 63 characters");
	else if (!admit_is_label(name) || !(name[0] >= 'a' && name[0] <= 'z'))
		admit_invalid(e, f, name, dns1035_msg);
	json_get_int(svc, "port.number", &pnum);
	if (*pname && pnum) {
		admit_invalid(e, bp, "", "cannot set both port name & port number");
	} else if (*pname) {
		admit_field(f, sizeof(f), "%s.service.port.name", bp);
		admit_port_name(e, f, pname);
	} else if (pnum) {
		admit_field(f, sizeof(f), "%s.service.port.number", bp);
		admit_port_num(e, f, (long long)pnum);
	} else {
		admit_required(e, bp, "port name or number is required");
	}
}

static void backend(const cJSON *b, const char *bp, struct err *e)
{
	const cJSON *svc = json_get(b, "service"), *res = json_get(b, "resource");
	char f[FLD];

	if (cJSON_IsObject(svc) && cJSON_IsObject(res)) {
		admit_invalid(e, bp, "", "cannot set both resource and service backends");
	} else if (cJSON_IsObject(res)) {
		admit_field(f, sizeof(f), "%s.resource.kind", bp);
		if (!*(json_get_str(res, "kind") ?: ""))
			admit_required(e, f, NULL);
		admit_field(f, sizeof(f), "%s.resource.name", bp);
		if (!*(json_get_str(res, "name") ?: ""))
			admit_required(e, f, NULL);
	} else if (cJSON_IsObject(svc)) {
		service_backend(svc, bp, e);
	} else {
		admit_invalid(e, bp, "", "resource or service backend is required");
	}
}

static void http_path(const cJSON *p, const char *pp, struct err *e)
{
	static const char *const types[] = { "Exact", "ImplementationSpecific", "Prefix", NULL };
	static const char *const seqs[] = { "//", "/./", "/../", "%2f", "%2F", NULL };
	static const char *const suffixes[] = { "/..", "/.", NULL };
	const char *type = json_get_str(p, "pathType"), *path = json_get_str(p, "path") ?: "";
	char f[FLD], f2[FLD], msg[64];
	size_t n = strlen(path);

	admit_field(f, sizeof(f), "%s.pathType", pp);
	if (!type) {
		admit_required(e, f, "pathType must be specified");
		return;
	}
	admit_field(f2, sizeof(f2), "%s.path", pp);
	if (!strcmp(type, "Exact") || !strcmp(type, "Prefix")) {
		if (path[0] != '/')
			admit_invalid(e, f2, path, "must be an absolute path");
		for (size_t i = 0; n && seqs[i]; i++)
			if (strstr(path, seqs[i])) {
				snprintf(msg, sizeof(msg), "must not contain '%s'", seqs[i]);
				admit_invalid(e, f2, path, msg);
			}
		for (size_t i = 0; n && suffixes[i]; i++) {
			size_t sl = strlen(suffixes[i]);

			if (n >= sl && !strcmp(path + n - sl, suffixes[i])) {
				snprintf(msg, sizeof(msg), "cannot end with '%s'", suffixes[i]);
				admit_invalid(e, f2, path, msg);
			}
		}
	} else if (!strcmp(type, "ImplementationSpecific")) {
		if (n && path[0] != '/')
			admit_invalid(e, f2, path, "must be an absolute path");
	} else {
		admit_not_supported(e, f, type, types);
	}
	admit_field(f, sizeof(f), "%s.backend", pp);
	backend(json_get(p, "backend"), f, e);
}

static void rule(const cJSON *r, int i, struct err *e)
{
	const char *host = json_get_str(r, "host") ?: "";
	const cJSON *paths = json_get(r, "http.paths"), *p;
	char f[FLD], pp[FLD];
	int j = 0;

	admit_field(f, sizeof(f), "spec.rules[%d].host", i);
	if (*host && is_ip(host))
		admit_invalid(e, f, host, "must be a DNS name, not an IP address");
	if (*host)
		admit_host(e, f, host);
	if (!cJSON_IsObject(json_get(r, "http")))
		return;
	admit_field(f, sizeof(f), "spec.rules[%d].http.paths", i);
	if (!cJSON_GetArraySize(paths))
		admit_required(e, f, NULL);
	cJSON_ArrayForEach(p, paths) {
		admit_field(pp, sizeof(pp), "spec.rules[%d].http.paths[%d]", i, j++);
		http_path(p, pp, e);
	}
}

static void tls(const cJSON *obj, struct err *e)
{
	const cJSON *t, *h;
	char f[FLD];
	int i = 0;

	cJSON_ArrayForEach(t, json_get(obj, "spec.tls")) {
		const char *secret = json_get_str(t, "secretName");
		int j = 0;

		cJSON_ArrayForEach(h, json_get(t, "hosts")) {
			admit_field(f, sizeof(f), "spec.tls[%d].hosts[%d]", i, j++);
			if (cJSON_IsString(h))
				admit_host(e, f, h->valuestring);
		}
		admit_field(f, sizeof(f), "spec.tls[%d].secretName", i);
		if (secret && *secret && !admit_is_subdomain(secret))
			admit_invalid(e, f, secret, subdomain_msg);
		i++;
	}
}

void admit_ingress_validate(const cJSON *obj, struct err *e)
{
	const cJSON *rules = json_get(obj, "spec.rules"), *r;
	const cJSON *def = json_get(obj, "spec.defaultBackend");
	const char *cls = json_get_str(obj, "spec.ingressClassName");
	int i = 0;

	if (!cJSON_GetArraySize(rules) && !cJSON_IsObject(def))
		err_cause(e, "FieldValueInvalid", "spec",
			  "Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified");
	if (cJSON_IsObject(def))
		backend(def, "spec.defaultBackend", e);
	cJSON_ArrayForEach(r, rules)
		rule(r, i++, e);
	tls(obj, e);
	if (cls && !admit_is_subdomain(cls))
		admit_invalid(e, "spec.ingressClassName", cls, subdomain_msg);
}

/* validation.IsDomainPrefixedPath of spec.controller. */
void admit_ingclass_validate(const cJSON *obj, struct err *e)
{
	const char *c = json_get_str(obj, "spec.controller") ?: "";
	const char *slash = strchr(c, '/');
	char host[256];

	if (strlen(c) > 250)
		err_cause(e, "FieldValueTooLong", "spec.controller",
			  "Too long: may not be more than 250 bytes");
	if (!*c) {
		admit_required(e, "spec.controller", NULL);
		return;
	}
	if (!slash) {
		admit_invalid(e, "spec.controller", c,
			      "must be a domain-prefixed path (such as \"acme.io/foo\")");
		return;
	}
	snprintf(host, sizeof(host), "%.*s", (int)(slash - c), c);
	if (!admit_is_subdomain(host))
		admit_invalid(e, "spec.controller", host, subdomain_msg);
	for (const char *p = slash + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("/-._~%!$&'()*+,;=:", *p))) {
			admit_invalid(e, "spec.controller", slash + 1, "Invalid path");
			break;
		}
}

void admit_ingclass_immutable(const cJSON *old, const cJSON *nw, struct err *e)
{
	admit_immutable(old, nw, "spec.controller", e);
}
