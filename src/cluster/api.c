/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api: entry point of the REST API.  Parses the URL into a route
 * (Kubernetes' RequestInfo rules: /api/v1, /apis/G/V, optional
 * namespaces/NS, resource, name, subresource), authorizes it through
 * authz, dispatches to the handler and records metrics.  Also owns the
 * Status error body every handler answers with.
 *
 * Threads: api_handle runs on the server's connection threads, many at
 * once; struct api is shared and only its metrics and allocators are
 * mutable (under api->lock).
 */
#include "config.h"

#include <stdio.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cluster/api_int.h"
#include "cluster/metrics.h"
#include "cluster/openapi.h"
#include "common/mem.h"

static int parse_cidr(struct api *api, const char *cidr, struct err *e)
{
	char ip[64];
	const char *slash = strchr(cidr, '/');
	struct in_addr a;
	int bits;

	if (!slash || (size_t)(slash - cidr) >= sizeof(ip))
		return err_set(e, ERR_BAD_REQUEST, "invalid service CIDR %s", cidr);
	memcpy(ip, cidr, (size_t)(slash - cidr));
	ip[slash - cidr] = 0;
	bits = atoi(slash + 1);
	if (inet_pton(AF_INET, ip, &a) != 1 || bits < 8 || bits > 30)
		return err_set(e, ERR_BAD_REQUEST, "invalid service CIDR %s", cidr);
	api->cidr_mask = bits == 32 ? 0xffffffffu : ~((1u << (32 - bits)) - 1);
	api->cidr_base = ntohl(a.s_addr) & api->cidr_mask;
	return 0;
}

int api_new(const struct api_config *cfg, struct store *st,
	    struct authz *az, struct api **out, struct err *e)
{
	struct api *api = xcalloc(1, sizeof(*api));

	api->st = st;
	api->az = az;
	api->sa = cfg->sa;
	api->ca_pem = xstrdup(cfg->ca_pem);
	api->git_version = xstrdup(cfg->git_version ? cfg->git_version
					: "v1.33.0+kdeck");
	api->service_cidr = xstrdup(cfg->service_cidr ? cfg->service_cidr
					 : "10.96.0.0/12");
	api->cluster_ip_first = xstrdup(cfg->cluster_ip_first
					    ? cfg->cluster_ip_first : "10.96.0.1");
	api->advertise_host = xstrdup(cfg->advertise_host
					  ? cfg->advertise_host : "127.0.0.1");
	api->advertise_port = cfg->advertise_port ? cfg->advertise_port : 6443;
	api->node_port_min = cfg->node_port_min ? cfg->node_port_min : 30000;
	api->node_port_max = cfg->node_port_max ? cfg->node_port_max : 32767;
	api->data_dir = xstrdup(cfg->data_dir);
	api->node_name = xstrdup(cfg->node_name);
	api->top = metrics_new(&(struct metrics_config){
		.node_name = cfg->node_name});
	pthread_mutex_init(&api->lock, NULL);
	pthread_mutex_init(&api->alloc_lock, NULL);
	if (parse_cidr(api, api->service_cidr, e) < 0) {
		api_free(api);
		return -1;
	}
	*out = api;
	return 0;
}

void api_free(struct api *api)
{
	if (!api)
		return;
	pthread_mutex_destroy(&api->lock);
	pthread_mutex_destroy(&api->alloc_lock);
	free(api->git_version);
	free(api->ca_pem);
	free(api->service_cidr);
	free(api->cluster_ip_first);
	free(api->advertise_host);
	metrics_free(api->top);
	free(api->data_dir);
	free(api->node_name);
	free(api);
}

void api_metric_add(struct api *api, const char *verb, const char *resource,
		    double seconds)
{
	struct api_metric *m = NULL;

	pthread_mutex_lock(&api->lock);
	for (size_t i = 0; i < api->nmetrics && !m; i++)
		if (!strcmp(api->metrics[i].verb, verb) &&
		    !strcmp(api->metrics[i].resource, resource))
			m = &api->metrics[i];
	if (!m && api->nmetrics < API_METRIC_SLOTS) {
		m = &api->metrics[api->nmetrics++];
		snprintf(m->verb, sizeof(m->verb), "%s", verb);
		snprintf(m->resource, sizeof(m->resource), "%s", resource);
	}
	if (m) {
		m->count++;
		m->seconds += seconds;
	}
	pthread_mutex_unlock(&api->lock);
}

void api_metrics(struct api *api, struct buf *out)
{
	pthread_mutex_lock(&api->lock);
	buf_adds(out, "# HELP apiserver_request_total Requests by verb and resource.\n"
		 "# TYPE apiserver_request_total counter\n");
	for (size_t i = 0; i < api->nmetrics; i++)
		buf_printf(out, "apiserver_request_total{verb=\"%s\",resource=\"%s\"} %llu\n",
			   api->metrics[i].verb, api->metrics[i].resource,
			   (unsigned long long)api->metrics[i].count);
	buf_adds(out, "# HELP apiserver_request_duration_seconds_sum Total latency.\n"
		 "# TYPE apiserver_request_duration_seconds_sum counter\n");
	for (size_t i = 0; i < api->nmetrics; i++)
		buf_printf(out, "apiserver_request_duration_seconds_sum{verb=\"%s\",resource=\"%s\"} %.6f\n",
			   api->metrics[i].verb, api->metrics[i].resource,
			   api->metrics[i].seconds);
	buf_printf(out, "# TYPE apiserver_longrunning_requests gauge\n"
		   "apiserver_longrunning_requests{verb=\"WATCH\"} %llu\n"
		   "# TYPE apiserver_watch_total counter\napiserver_watch_total %llu\n"
		   "# TYPE apiserver_list_items_total counter\napiserver_list_items_total %llu\n",
		   (unsigned long long)api->watches_open,
		   (unsigned long long)api->watches_total,
		   (unsigned long long)api->list_items);
	pthread_mutex_unlock(&api->lock);
}

/* --- Status bodies --- */

static void status_details(cJSON *st, const struct err *e,
			   const struct api_route *rt)
{
	cJSON *d;

	if (!rt || !rt->k || (!rt->name[0] && e->code != ERR_INVALID))
		return;
	d = cJSON_AddObjectToObject(st, "details");
	if (rt->name[0])
		cJSON_AddStringToObject(d, "name", rt->name);
	if (rt->k->group[0])
		cJSON_AddStringToObject(d, "group", rt->k->group);
	cJSON_AddStringToObject(d, "kind", e->code == ERR_INVALID
				? rt->k->kind : rt->k->plural);
	if (e->ncauses) {
		cJSON *c = cJSON_AddArrayToObject(d, "causes");

		for (size_t i = 0; i < e->ncauses; i++) {
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "reason", e->causes[i].reason);
			cJSON_AddStringToObject(o, "message", e->causes[i].message);
			cJSON_AddStringToObject(o, "field", e->causes[i].field);
			cJSON_AddItemToArray(c, o);
		}
	}
}

void api_reply_err(struct api_resp *resp, const struct err *e,
		   const struct api_route *rt)
{
	cJSON *st = cJSON_CreateObject();
	enum err_code code = e->code == ERR_OK ? ERR_INTERNAL : e->code;
	int http = err_http_status(code);

	cJSON_AddStringToObject(st, "kind", "Status");
	cJSON_AddStringToObject(st, "apiVersion", "v1");
	cJSON_AddObjectToObject(st, "metadata");
	cJSON_AddStringToObject(st, "status", "Failure");
	cJSON_AddStringToObject(st, "message", e->msg);
	cJSON_AddStringToObject(st, "reason", err_reason(code));
	status_details(st, e, rt);
	cJSON_AddNumberToObject(st, "code", http);
	api_reply_json(resp, http, st);
	cJSON_Delete(st);
}

void api_reply_raw(struct api_resp *resp, int status, const char *json,
		   size_t len)
{
	resp->status = status;
	resp->content_type = "application/json";
	buf_reset(&resp->body);
	buf_add(&resp->body, json, len);
}

void api_reply_json(struct api_resp *resp, int status, const cJSON *obj)
{
	char *s = cJSON_PrintUnformatted(obj);

	if (!s)
		mem_oom();
	api_reply_raw(resp, status, s, strlen(s));
	free(s);
}

/* --- routing --- */

struct method_verb {
	const char *method;
	const char *named;	/* verb with a name in the URL */
	const char *collection;	/* verb on the collection */
};

static const struct method_verb method_verbs[] = {
	{ "GET", "get", "list" },
	{ "HEAD", "get", "list" },
	{ "POST", "create", "create" },
	{ "PUT", "update", "update" },
	{ "PATCH", "patch", "patch" },
	{ "DELETE", "delete", "deletecollection" },
};

static int copy_seg(char *dst, size_t n, const char *s, size_t len)
{
	if (len == 0 || len >= n)
		return -1;
	memcpy(dst, s, len);
	dst[len] = 0;
	return 0;
}

/* Split path into at most max segments (pointers/lengths into path). */
static size_t split_path(const char *path, const char **seg, size_t *len,
			 size_t max)
{
	size_t n = 0;

	while (*path && n < max) {
		const char *end;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		end = strchr(path, '/');
		if (!end)
			end = path + strlen(path);
		seg[n] = path;
		len[n++] = (size_t)(end - path);
		path = end;
	}
	return n;
}

static bool seg_is(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && !memcmp(s, lit, len);
}

/*
 * Fill rt from a resource path.  Returns 0, or -1 when the path is not a
 * resource path (discovery or unknown: caller decides).
 */
static int route_parse(const char *path, struct api_route *rt,
		       const char **res_out, size_t *res_len)
{
	const char *seg[10];
	size_t len[10], n, i;
	char group[128] = "", version[32] = "", res[96];

	n = split_path(path, seg, len, 10);
	if (n >= 3 && seg_is(seg[0], len[0], "api")) {
		if (copy_seg(version, sizeof(version), seg[1], len[1]) < 0)
			return -1;
		i = 2;
	} else if (n >= 4 && seg_is(seg[0], len[0], "apis")) {
		if (copy_seg(group, sizeof(group), seg[1], len[1]) < 0 ||
		    copy_seg(version, sizeof(version), seg[2], len[2]) < 0)
			return -1;
		i = 3;
	} else {
		return -1;
	}
	if (seg_is(seg[i], len[i], "namespaces") && n - i >= 2) {
		if (copy_seg(rt->ns, sizeof(rt->ns), seg[i + 1], len[i + 1]) < 0)
			return -1;
		if (n - i >= 3 && !seg_is(seg[i + 2], len[i + 2], "status") &&
		    !seg_is(seg[i + 2], len[i + 2], "finalize"))
			i += 2;
	}
	if (n - i > 3 || copy_seg(res, sizeof(res), seg[i], len[i]) < 0)
		return -1;
	*res_out = seg[i];
	*res_len = len[i];
	if (n - i >= 2 && copy_seg(rt->name, sizeof(rt->name), seg[i + 1],
				   len[i + 1]) < 0)
		return -1;
	if (n - i == 3 && copy_seg(rt->sub, sizeof(rt->sub), seg[i + 2],
				   len[i + 2]) < 0)
		return -1;
	if (!strcmp(res, "namespaces") && !rt->name[0] && rt->ns[0])
		snprintf(rt->name, sizeof(rt->name), "%s", rt->ns);
	rt->k = reg_find(group, version, res);
	if (rt->k && !reg_namespaced(rt->k) && strcmp(res, "namespaces"))
		if (rt->ns[0])
			rt->k = NULL;
	if (rt->k && !strcmp(res, "namespaces"))
		rt->ns[0] = 0;
	return 0;
}

static bool want_table(const char *accept)
{
	return accept && strstr(accept, "as=Table") != NULL;
}

static bool acceptable(const char *accept)
{
	static const char *const ok[] = {
		"application/json", "*/*", "application/*", "application/yaml",
		"application/vnd.kubernetes.protobuf", NULL
	};

	if (!accept || !*accept)
		return true;
	for (size_t i = 0; ok[i]; i++)
		if (strstr(accept, ok[i]))
			return true;
	return false;
}

static const char *route_verb(const struct api_req *req,
			      const struct api_route *rt)
{
	static const char *const connect_subs[] = { "exec", "attach",
						    "portforward" };
	const char *w = api_query(req, "watch");

	/*
	 * The streaming subresources need create, also for kubectl's
	 * websocket GET (kube-apiserver 1.35, AuthorizePodWebsocketUpgrade-
	 * CreatePermission, on by default).
	 */
	for (size_t i = 0; i < 3; i++)
		if (!strcmp(rt->sub, connect_subs[i]) && !strcmp(rt->k->kind, "Pod") &&
		    (!strcasecmp(req->method, "GET") || !strcasecmp(req->method, "POST")))
			return "create";
	for (size_t i = 0; i < sizeof(method_verbs) / sizeof(method_verbs[0]); i++) {
		if (strcasecmp(req->method, method_verbs[i].method))
			continue;
		if (i <= 1 && w && (!strcasecmp(w, "true") || !strcmp(w, "1")))
			return "watch";
		return rt->name[0] ? method_verbs[i].named
				   : method_verbs[i].collection;
	}
	return NULL;
}

static bool authorized(struct api *api, const struct api_req *req,
		       const struct api_route *rt, struct api_resp *resp)
{
	struct authz_attrs a = {
		.verb = rt->verb, .resource_request = true,
		.group = rt->k->group, .version = rt->k->version,
		.resource = rt->k->plural, .subresource = rt->sub,
		.namespace = rt->ns, .name = rt->name, .path = req->path,
	};
	char reason[256] = "";
	struct err e;
	char *msg;

	if (!api->az || authz_allowed(api->az, req->user, &a, reason,
				      sizeof(reason)))
		return true;
	msg = authz_forbidden_message(req->user, &a);
	err_set(&e, ERR_FORBIDDEN, "%s%s%s", msg, reason[0] ? ": " : "",
		reason);
	free(msg);
	api_reply_err(resp, &e, rt);
	return false;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Subresources this server implements for the route's kind. */
static bool subresource_ok(const struct api_route *rt)
{
	unsigned f = rt->k->flags;

	return !rt->sub[0] ||
	       (!strcmp(rt->sub, "status") && (f & REG_SUB_STATUS)) ||
	       (!strcmp(rt->sub, "scale") && (f & REG_SUB_SCALE)) ||
	       (!strcmp(rt->sub, "finalize") && !strcmp(rt->k->kind, "Namespace")) ||
	       api_sub_known(rt);
}

static void resource_request(struct api *api, const struct api_req *req,
			     struct api_route *rt, struct api_resp *resp,
			     const char *res, size_t res_len)
{
	struct err e;

	err_clear(&e);
	if (!rt->k || !subresource_ok(rt)) {
		err_set(&e, ERR_NOT_FOUND, "the server could not find the requested resource");
		(void)res; (void)res_len;
		api_reply_err(resp, &e, NULL);
		return;
	}
	rt->verb = route_verb(req, rt);
	rt->table = want_table(req->accept);
	if (!rt->verb) {
		err_set(&e, ERR_METHOD, "the server does not allow this method on the requested resource");
		api_reply_err(resp, &e, NULL);
		return;
	}
	if (strcmp(rt->sub, "log") && !acceptable(req->accept)) {	/* logs: text/plain */
		err_set(&e, ERR_NOT_ACCEPTABLE, "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf");
		api_reply_err(resp, &e, NULL);
		return;
	}
	if (!authorized(api, req, rt, resp))
		return;
	if (rt->sub[0] && api_sub_handle(api, req, rt, resp))
		return;
	if (!strcmp(rt->k->group, "metrics.k8s.io"))
		api_top(api, req, rt, resp);
	else if (rt->k->flags & REG_VIRTUAL)
		api_review(api, req, rt, resp);
	else
		api_rest_handle(api, req, rt, resp);
}

static bool is_discovery(const char *path)
{
	static const char *const exact[] = { "/version", "/version/", "/api",
					     "/api/", "/apis", "/apis/", NULL };
	const char *seg[4];
	size_t len[4], n;

	for (size_t i = 0; exact[i]; i++)
		if (!strcmp(path, exact[i]))
			return true;
	n = split_path(path, seg, len, 4);
	return (n == 2 && seg_is(seg[0], len[0], "api")) ||
	       ((n == 2 || n == 3) && seg_is(seg[0], len[0], "apis"));
}

void api_handle(struct api *api, const struct api_req *req,
		struct api_resp *resp)
{
	struct api_route rt;
	const char *res = NULL;
	size_t res_len = 0;
	double t0 = now_s();

	memset(&rt, 0, sizeof(rt));
	if (openapi_path(req->path)) {
		openapi_handle(req, resp);
		api_metric_add(api, "GET", "openapi", now_s() - t0);
		return;
	}
	if (is_discovery(req->path)) {
		api_disc_handle(api, req, resp);
		api_metric_add(api, "GET", "discovery", now_s() - t0);
		return;
	}
	if (route_parse(req->path, &rt, &res, &res_len) < 0) {
		struct err e;

		err_set(&e, ERR_NOT_FOUND, "the server could not find the requested resource");
		api_reply_err(resp, &e, NULL);
		api_metric_add(api, req->method, "unknown", now_s() - t0);
		return;
	}
	resource_request(api, req, &rt, resp, res, res_len);
	if (rt.verb && strcmp(rt.verb, "watch"))
		api_metric_add(api, rt.verb, rt.k ? rt.k->plural : "unknown",
			       now_s() - t0);
}
