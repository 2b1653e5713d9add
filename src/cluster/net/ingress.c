/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ingress: Ingress v1 routing.  Every path of every served Ingress is one
 * route; a request takes the best matching route: the most specific host
 * (exact, then a "*.suffix" wildcard matching one label, then a rule
 * without host), then the longest path, Exact before Prefix at equal
 * length (ImplementationSpecific is treated as Prefix).  Prefix matching
 * goes by whole path elements: /foo matches /foo, /foo/ and /foo/bar,
 * never /foobar.  Without a match the first served Ingress (by namespace
 * and name) with a defaultBackend takes the request.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/net/ingress.h"
#include "common/json.h"
#include "common/mem.h"

enum { PT_PREFIX, PT_EXACT };

struct route {
	char *host;		/* "", "a.b" or "*.b" */
	char *path;		/* "/" for a defaultBackend */
	int type;
	char *ns, *svc, *port_name;
	int port;
};

struct ingress_routes {
	struct route *v;
	size_t n;
	struct route *def;	/* the default backend, or NULL */
	struct svc_model *m;
	int refs;
};

static bool class_exists(const cJSON *classes, const char *name)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, classes) {
		const char *n = json_get_str(c, "metadata.name");

		if (n && !strcmp(n, name))
			return true;
	}
	return false;
}

bool ingress_served(const cJSON *ing, const cJSON *classes)
{
	const char *cls = json_get_str(ing, "spec.ingressClassName");

	if (!cls)
		cls = json_get_str(ing, "metadata.annotations.kubernetes\\.io/"
					"ingress\\.class");
	return !cls || !strcmp(cls, INGRESS_CLASS) ||
	       !class_exists(classes, cls);
}

static void route_set_backend(struct route *r, const char *ns,
			      const cJSON *backend)
{
	int64_t port = 0;

	r->ns = xstrdup(ns);
	r->svc = xstrdup(json_get_str(backend, "service.name")
			     ? json_get_str(backend, "service.name") : "");
	if (json_get_str(backend, "service.port.name"))
		r->port_name = xstrdup(json_get_str(backend,
						    "service.port.name"));
	json_get_int(backend, "service.port.number", &port);
	r->port = (int)port;
}

static void add_rule(struct ingress_routes *rs, const char *ns,
		     const cJSON *rule)
{
	const char *host = json_get_str(rule, "host");
	const cJSON *p;

	cJSON_ArrayForEach(p, json_get(rule, "http.paths")) {
		const char *path = json_get_str(p, "path");
		const char *type = json_get_str(p, "pathType");
		struct route *r;

		rs->v = xrealloc(rs->v, (rs->n + 1) * sizeof(*rs->v));
		r = &rs->v[rs->n++];
		memset(r, 0, sizeof(*r));
		r->host = xstrdup(host ? host : "");
		for (char *c = r->host; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		r->path = xstrdup(path && *path ? path : "/");
		r->type = type && !strcmp(type, "Exact") ? PT_EXACT : PT_PREFIX;
		route_set_backend(r, ns, json_get(p, "backend"));
	}
}

static int by_ns_name(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	int c = strcmp(json_get_str(x, "metadata.namespace"),
		       json_get_str(y, "metadata.namespace"));

	return c ? c : strcmp(json_get_str(x, "metadata.name"),
			      json_get_str(y, "metadata.name"));
}

struct ingress_routes *ingress_routes_build(const cJSON *ingresses,
					    const cJSON *classes,
					    struct svc_model *m)
{
	struct ingress_routes *rs = xcalloc(1, sizeof(*rs));
	size_t n = 0, cap = (size_t)cJSON_GetArraySize(ingresses);
	const cJSON **sorted = xcalloc(cap ? cap : 1, sizeof(*sorted)), *i;

	rs->refs = 1;
	rs->m = svc_model_ref(m);
	cJSON_ArrayForEach(i, ingresses)
		if (json_get_str(i, "metadata.namespace") &&
		    json_get_str(i, "metadata.name") && ingress_served(i, classes))
			sorted[n++] = i;
	qsort(sorted, n, sizeof(*sorted), by_ns_name);
	for (size_t k = 0; k < n; k++) {
		const char *ns = json_get_str(sorted[k], "metadata.namespace");
		const cJSON *rule, *def = json_get(sorted[k], "spec.defaultBackend");

		cJSON_ArrayForEach(rule, json_get(sorted[k], "spec.rules"))
			add_rule(rs, ns, rule);
		if (def && !rs->def) {
			rs->def = xcalloc(1, sizeof(*rs->def));
			rs->def->host = xstrdup("");
			rs->def->path = xstrdup("/");
			route_set_backend(rs->def, ns, def);
		}
	}
	free(sorted);
	return rs;
}

struct ingress_routes *ingress_routes_ref(struct ingress_routes *r)
{
	if (r)
		__atomic_add_fetch(&r->refs, 1, __ATOMIC_RELAXED);
	return r;
}

static void route_free(struct route *r)
{
	free(r->host);
	free(r->path);
	free(r->ns);
	free(r->svc);
	free(r->port_name);
}

void ingress_routes_unref(struct ingress_routes *r)
{
	if (!r || __atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	for (size_t i = 0; i < r->n; i++)
		route_free(&r->v[i]);
	if (r->def) {
		route_free(r->def);
		free(r->def);
	}
	free(r->v);
	svc_model_unref(r->m);
	free(r);
}

/* ---- matching ---- */

/* 2 exact, 1 wildcard, 0 any host; -1 no match. */
static int host_rank(const char *rule, const char *host)
{
	const char *dot;

	if (!*rule)
		return 0;
	if (!strcmp(rule, host))
		return 2;
	if (rule[0] == '*' && rule[1] == '.' && (dot = strchr(host, '.')) &&
	    dot != host && !strcmp(dot, rule + 1))
		return 1;
	return -1;
}

static bool path_match(const struct route *r, const char *path)
{
	size_t n = strlen(r->path);

	if (r->type == PT_EXACT)
		return !strcmp(r->path, path);
	while (n > 1 && r->path[n - 1] == '/')	/* "/foo/" is "/foo" */
		n--;
	if (n == 1 && r->path[0] == '/')
		return true;
	return !strncmp(r->path, path, n) && (path[n] == '\0' || path[n] == '/');
}

static const struct route *best(const struct ingress_routes *rs,
				const char *host, const char *path)
{
	const struct route *b = NULL;
	int brank = -1;
	size_t blen = 0;

	for (size_t i = 0; i < rs->n; i++) {
		const struct route *r = &rs->v[i];
		int rank = host_rank(r->host, host);
		size_t len = strlen(r->path);

		if (rank < 0 || !path_match(r, path))
			continue;
		if (rank > brank || (rank == brank && len > blen) ||
		    (rank == brank && len == blen && r->type == PT_EXACT &&
		     b->type != PT_EXACT)) {
			b = r;
			brank = rank;
			blen = len;
		}
	}
	return b ? b : rs->def;
}

static int pick(const struct ingress_routes *rs, const struct route *r,
		char ip[16], int *port, char *msg, size_t msglen)
{
	const struct svc_entry *s = svc_model_find(rs->m, r->ns, r->svc);
	size_t ready = 0, k;
	int p = -1;

	if (!s) {
		snprintf(msg, msglen, "service %s/%s not found", r->ns, r->svc);
		return -1;
	}
	for (size_t i = 0; i < s->nports && p < 0; i++)
		if (r->port_name ? !strcmp(s->ports[i].name, r->port_name)
				 : s->ports[i].port == r->port)
			p = (int)i;
	if (p < 0) {
		snprintf(msg, msglen, "service %s/%s has no port %s", r->ns,
			 r->svc, r->port_name ? r->port_name : "given");
		return -1;
	}
	for (size_t i = 0; i < s->neps; i++)
		ready += s->eps[i].ready && s->eps[i].target[p] > 0;
	if (!ready) {
		snprintf(msg, msglen, "service %s/%s has no ready endpoints",
			 r->ns, r->svc);
		return -1;
	}
	k = (size_t)rand() % ready;
	for (size_t i = 0; i < s->neps; i++) {
		if (!s->eps[i].ready || s->eps[i].target[p] <= 0 || k--)
			continue;
		snprintf(ip, 16, "%s", s->eps[i].ip);
		*port = s->eps[i].target[p];
		return 0;
	}
	return -1;
}

int ingress_route(const struct ingress_routes *rs, const char *host,
		  const char *path, char ip[16], int *port, int *status,
		  char *msg, size_t msglen)
{
	char h[256];
	const struct route *r;
	size_t i;

	for (i = 0; host && host[i] && host[i] != ':' && i < sizeof(h) - 1;
	     i++)
		h[i] = (char)tolower((unsigned char)host[i]);
	h[i] = '\0';
	if (!rs || !(r = best(rs, h, path && *path ? path : "/"))) {
		*status = 404;
		snprintf(msg, msglen, "no Ingress rule matches host \"%s\" "
				      "path \"%s\"", h, path ? path : "/");
		return -1;
	}
	*status = 503;
	return pick(rs, r, ip, port, msg, msglen);
}
