/* SPDX-License-Identifier: Apache-2.0 */
/*
 * discovery: what resources the server has, and resolving user input to
 * one of them.
 *
 * One run asks /api and /apis in parallel with the aggregated (v2)
 * Accept.  If both answers are APIGroupDiscoveryList the run is done; a
 * legacy answer (APIVersions / APIGroupList) makes it fetch /api/v1 and
 * every /apis/G/V listed, preferred versions first.  The flattened result
 * (a JSON array of resources) is cached on disk under
 * $XDG_CACHE_HOME/kdeck/discovery/<host_port>/resources.json for 6 hours,
 * like kubectl's cache; resolving a name that is not in the cache
 * refreshes it once.  Runs are asynchronous state machines on the owner
 * thread; the sync form waits for one.  The client keeps its runs in
 * c->disc_runs so one can be cancelled (client_cancel with the run's id:
 * its requests are cancelled, its callback never runs) and client_free
 * drops them all without waiting for a slow or silent server.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "client/transport.h"
#include "common/mem.h"

#define DISC_TTL_S (6 * 3600)
#define DISC_ACCEPT                                                          \
	"application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList," \
	"application/json;g=apidiscovery.k8s.io;v=v2beta1;"                  \
	"as=APIGroupDiscoveryList,application/json"

struct disc_run {
	struct client *c;
	uint64_t id;
	struct vec reqs;		/* uint64_t request ids as pointers */
	int outstanding;
	struct vec core, groups;	/* struct client_gvr *, in order */
	struct vec legacy_paths;	/* char *: group versions to fetch */
	struct err err;
	client_cb cb;
	void *arg;
};

static void disc_words(char *dst, size_t n, const cJSON *arr)
{
	const cJSON *it;
	size_t used = 0;

	dst[0] = '\0';
	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it) && used + strlen(it->valuestring) + 2 < n)
			used += (size_t)snprintf(dst + used, n - used, "%s%s",
						 used ? " " : "",
						 it->valuestring);
}

static void disc_copy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

/* Aggregated: one group item with its versions (preferred first). */
static void disc_agg_group(const cJSON *g, struct vec *out)
{
	const char *group = client_jstr(g, "metadata", "name");
	const cJSON *v, *r;

	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(g, "versions"))
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(v, "resources")) {
		struct client_gvr *x = xcalloc(1, sizeof(*x));
		const char *scope = client_jstr(r, "scope", NULL);
		disc_copy(x->group, sizeof(x->group), group);
		disc_copy(x->version, sizeof(x->version),
			  client_jstr(v, "version", NULL));
		disc_copy(x->resource, sizeof(x->resource),
			  client_jstr(r, "resource", NULL));
		disc_copy(x->kind, sizeof(x->kind),
			  client_jstr(r, "responseKind", "kind"));
		disc_copy(x->singular, sizeof(x->singular),
			  client_jstr(r, "singularResource", NULL));
		x->namespaced = scope && !strcmp(scope, "Namespaced");
		disc_words(x->verbs, sizeof(x->verbs), client_jget(r, "verbs", NULL));
		disc_words(x->short_names, sizeof(x->short_names),
			   client_jget(r, "shortNames", NULL));
		disc_words(x->categories, sizeof(x->categories),
			   client_jget(r, "categories", NULL));
		vec_push(out, x);
	}
}

/* Legacy: an APIResourceList for one group version. */
static void disc_legacy_list(const cJSON *l, struct vec *out)
{
	const char *gv = client_jstr(l, "groupVersion", NULL);
	const char *slash = gv ? strchr(gv, '/') : NULL;
	const cJSON *r;

	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(l, "resources")) {
		const char *name = client_jstr(r, "name", NULL);
		if (!name || strchr(name, '/') || !gv)
			continue;
		struct client_gvr *x = xcalloc(1, sizeof(*x));
		if (slash) {
			snprintf(x->group, sizeof(x->group), "%.*s",
				 (int)(slash - gv), gv);
			disc_copy(x->version, sizeof(x->version), slash + 1);
		} else {
			disc_copy(x->version, sizeof(x->version), gv);
		}
		disc_copy(x->resource, sizeof(x->resource), name);
		disc_copy(x->kind, sizeof(x->kind), client_jstr(r, "kind", NULL));
		disc_copy(x->singular, sizeof(x->singular),
			  client_jstr(r, "singularName", NULL));
		x->namespaced = cJSON_IsTrue(client_jget(r, "namespaced", NULL));
		disc_words(x->verbs, sizeof(x->verbs), client_jget(r, "verbs", NULL));
		disc_words(x->short_names, sizeof(x->short_names),
			   client_jget(r, "shortNames", NULL));
		disc_words(x->categories, sizeof(x->categories),
			   client_jget(r, "categories", NULL));
		vec_push(out, x);
	}
}

static void disc_legacy_index(struct disc_run *d, const cJSON *body,
			      bool core)
{
	const cJSON *it, *v;

	if (core) {
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(
					       body, "versions"))
			if (cJSON_IsString(it))
				vec_push(&d->legacy_paths, xasprintf(
					"/api/%s", it->valuestring));
		return;
	}
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(body, "groups")) {
		const char *pref = client_jstr(it, "preferredVersion",
					       "groupVersion");
		if (pref)
			vec_push(&d->legacy_paths, xasprintf("/apis/%s", pref));
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(
					      it, "versions")) {
			const char *gv = client_jstr(v, "groupVersion", NULL);
			if (gv && (!pref || strcmp(gv, pref)))
				vec_push(&d->legacy_paths,
					 xasprintf("/apis/%s", gv));
		}
	}
}

static char *disc_cache_path(const struct client *c)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	const char *s = strstr(c->server, "://");
	char *hp = xstrdup(s ? s + 3 : c->server), *dir, *path;

	for (char *p = hp; *p; p++)
		if (*p == ':' || *p == '/')
			*p = '_';
	dir = xdg && *xdg ? xasprintf("%s/kdeck/discovery/%s", xdg, hp)
			  : xasprintf("%s/.cache/kdeck/discovery/%s",
				      home ? home : "/tmp", hp);
	path = xasprintf("%s/resources.json", dir);
	free(dir);
	free(hp);
	return path;
}

static void disc_mkdirs(const char *path)
{
	char *p = xstrdup(path);

	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0750) < 0 && errno != EEXIST)
				break;
			*s = '/';
		}
	free(p);
}

static void disc_save(const struct client *c)
{
	cJSON *arr = cJSON_CreateArray();
	char *path = disc_cache_path(c), *text;

	for (size_t i = 0; i < c->resources.len; i++) {
		const struct client_gvr *x = c->resources.items[i];
		cJSON *o = cJSON_CreateObject();
		const char *kv[][2] = { { "g", x->group }, { "v", x->version },
			{ "r", x->resource }, { "k", x->kind },
			{ "s", x->singular }, { "verbs", x->verbs },
			{ "short", x->short_names }, { "cat", x->categories } };
		for (size_t k = 0; k < sizeof(kv) / sizeof(kv[0]); k++)
			cJSON_AddStringToObject(o, kv[k][0], kv[k][1]);
		cJSON_AddBoolToObject(o, "ns", x->namespaced);
		cJSON_AddItemToArray(arr, o);
	}
	text = cJSON_PrintUnformatted(arr);
	disc_mkdirs(path);
	kc_write_file_atomic(path, text, strlen(text), 0640, NULL);
	cJSON_free(text);
	cJSON_Delete(arr);
	free(path);
}

/* Load a fresh cache into c->resources; -1 when absent or stale. */
static int disc_load(struct client *c)
{
	char *path = disc_cache_path(c);
	struct buf text = BUF_INIT;
	struct stat st;
	cJSON *arr = NULL, *o;
	int rc = -1;

	if (stat(path, &st) < 0 || time(NULL) - st.st_mtime > DISC_TTL_S ||
	    kc_read_file(path, &text, NULL) < 0)
		goto out;
	arr = cJSON_ParseWithLength(text.data, text.len);
	if (!cJSON_IsArray(arr) || !cJSON_GetArraySize(arr))
		goto out;
	vec_free(&c->resources, free);
	cJSON_ArrayForEach(o, arr) {
		struct client_gvr *x = xcalloc(1, sizeof(*x));
		struct { char *dst; size_t n; const char *k; } f[] = {
			{ x->group, sizeof(x->group), "g" },
			{ x->version, sizeof(x->version), "v" },
			{ x->resource, sizeof(x->resource), "r" },
			{ x->kind, sizeof(x->kind), "k" },
			{ x->singular, sizeof(x->singular), "s" },
			{ x->verbs, sizeof(x->verbs), "verbs" },
			{ x->short_names, sizeof(x->short_names), "short" },
			{ x->categories, sizeof(x->categories), "cat" } };
		for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++)
			disc_copy(f[k].dst, f[k].n, client_jstr(o, f[k].k, NULL));
		x->namespaced = cJSON_IsTrue(client_jget(o, "ns", NULL));
		vec_push(&c->resources, x);
	}
	c->discovered = true;
	rc = 0;
out:
	cJSON_Delete(arr);
	buf_free(&text);
	free(path);
	return rc;
}

/* Issue one request of run d (remembered for cancelling). */
static void disc_request(struct disc_run *d, const char *path,
			 const char *accept, client_cb cb)
{
	uint64_t id = client_request(d->c, &(struct client_req){
		.path = path, .accept = accept,
		.prio = CLIENT_PRIO_INTERACTIVE }, cb, d);

	vec_push(&d->reqs, (void *)(uintptr_t)id);
}

static void disc_run_unlink(struct disc_run *d)
{
	struct vec *runs = &d->c->disc_runs;

	for (size_t i = 0; i < runs->len; i++)
		if (runs->items[i] == d) {
			runs->items[i] = runs->items[--runs->len];
			break;
		}
}

static void disc_run_free(struct disc_run *d)
{
	vec_free(&d->core, free);
	vec_free(&d->groups, free);
	vec_free(&d->legacy_paths, free);
	vec_free(&d->reqs, NULL);
	free(d);
}

bool client_discover_cancel(struct client *c, uint64_t id)
{
	for (size_t i = 0; i < c->disc_runs.len; i++) {
		struct disc_run *d = c->disc_runs.items[i];
		if (d->id != id && id != 0)
			continue;
		for (size_t k = 0; k < d->reqs.len; k++)
			client_cancel(c, (uint64_t)(uintptr_t)d->reqs.items[k]);
		disc_run_unlink(d);
		disc_run_free(d);
		if (id != 0)
			return true;
		i--;
	}
	return false;
}

static void disc_finish(struct disc_run *d)
{
	struct client *c = d->c;
	struct client_resp r = { 0 };

	if (d->err.code == ERR_OK) {
		vec_free(&c->resources, free);
		for (size_t i = 0; i < d->core.len; i++)
			vec_push(&c->resources, d->core.items[i]);
		for (size_t i = 0; i < d->groups.len; i++)
			vec_push(&c->resources, d->groups.items[i]);
		vec_free(&d->core, NULL);
		vec_free(&d->groups, NULL);
		c->discovered = true;
		disc_save(c);
	}
	err_copy(&r.err, &d->err);
	r.status = d->err.code == ERR_OK ? 200 : err_http_status(d->err.code);
	/* unlinked first: the callback may cancel or start runs */
	disc_run_unlink(d);
	if (d->cb)
		d->cb(&r, d->arg);
	disc_run_free(d);
}

static void disc_gv_done(struct client_resp *r, void *arg)
{
	struct disc_run *d = arg;
	const char *gv = client_jstr(r->json, "groupVersion", NULL);
	bool core = gv && !strchr(gv, '/');

	if (r->err.code == ERR_OK)
		disc_legacy_list(r->json, core ? &d->core : &d->groups);
	/* A broken aggregated API group must not hide the others. */
	if (--d->outstanding == 0)
		disc_finish(d);
}

static void disc_root_done(struct client_resp *r, void *arg)
{
	struct disc_run *d = arg;
	const char *kind = client_jstr(r->json, "kind", NULL);
	bool core = kind && !strcmp(kind, "APIVersions");
	const cJSON *it;

	if (r->err.code != ERR_OK && d->err.code == ERR_OK)
		err_copy(&d->err, &r->err);
	else if (kind && !strcmp(kind, "APIGroupDiscoveryList") &&
		 strstr(r->content_type, "as=APIGroupDiscoveryList"))
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(
					       r->json, "items"))
			disc_agg_group(it, client_jstr(it, "metadata", "name") &&
					   *client_jstr(it, "metadata", "name") ?
					   &d->groups : &d->core);
	else if (kind)
		disc_legacy_index(d, r->json, core);
	if (--d->outstanding > 0)
		return;
	if (d->err.code != ERR_OK || !d->legacy_paths.len) {
		disc_finish(d);
		return;
	}
	d->outstanding = (int)d->legacy_paths.len;
	for (size_t i = 0; i < d->legacy_paths.len; i++)
		disc_request(d, d->legacy_paths.items[i], NULL, disc_gv_done);
}

uint64_t client_discover(struct client *c, bool refresh, client_cb cb,
			 void *arg)
{
	struct disc_run *d;

	if (!refresh && disc_load(c) == 0) {
		struct client_resp r = { .status = 200 };
		if (cb)
			cb(&r, arg);
		return 0;
	}
	d = xcalloc(1, sizeof(*d));
	d->c = c;
	d->id = c->next_id++;
	d->cb = cb;
	d->arg = arg;
	d->outstanding = 2;
	vec_push(&c->disc_runs, d);
	disc_request(d, "/api", DISC_ACCEPT, disc_root_done);
	disc_request(d, "/apis", DISC_ACCEPT, disc_root_done);
	return d->id;
}

struct disc_sync {
	bool done;
	struct err err;
};

static void disc_sync_cb(struct client_resp *r, void *arg)
{
	struct disc_sync *s = arg;

	err_copy(&s->err, &r->err);
	s->done = true;
}

int client_discover_sync(struct client *c, bool refresh, struct err *e)
{
	struct disc_sync s = { 0 };

	client_discover(c, refresh, disc_sync_cb, &s);
	while (!s.done)
		client_wait(c, 1000);
	if (s.err.code != ERR_OK) {
		err_copy(e, &s.err);
		return -1;
	}
	return 0;
}

const struct vec *client_resources(const struct client *c)
{
	return &c->resources;
}

static bool disc_has_word(const char *words, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = words; (p = strstr(p, w)); p += n)
		if ((p == words || p[-1] == ' ') && (!p[n] || p[n] == ' '))
			return true;
	return false;
}

/* pass 0: resource/singular/kind; pass 1: short names. */
static const struct client_gvr *disc_match(const struct client *c,
					   const char *name, const char *ver,
					   const char *group, int pass)
{
	for (size_t i = 0; i < c->resources.len; i++) {
		const struct client_gvr *x = c->resources.items[i];
		if (group && strcasecmp(group, x->group))
			continue;
		if (ver && strcmp(ver, x->version))
			continue;
		if (pass == 0 && (!strcasecmp(name, x->resource) ||
				  !strcasecmp(name, x->singular) ||
				  !strcasecmp(name, x->kind)))
			return x;
		if (pass == 1 && disc_has_word(x->short_names, name))
			return x;
	}
	return NULL;
}

static const struct client_gvr *disc_lookup(const struct client *c,
					    const char *input)
{
	char *s = xstrdup(input), *dot = strchr(s, '.'), *ver = NULL;
	char *group = NULL;
	const struct client_gvr *x = NULL;

	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (dot) {
		*dot = '\0';
		group = dot + 1;
		char *d2 = strchr(group, '.');
		/* "deployments.v1.apps": a version then the group */
		if (d2 && group[0] == 'v' && isdigit((unsigned char)group[1])) {
			*d2 = '\0';
			ver = group;
			group = d2 + 1;
		}
	}
	for (int pass = 0; pass < 2 && !x; pass++)
		x = disc_match(c, s, ver, group, pass);
	if (!x && group && !ver)	/* "core" group spelled out: "pods." */
		x = disc_match(c, input, NULL, NULL, 0);
	free(s);
	return x;
}

int client_resolve_cached(const struct client *c, const char *input,
			  struct client_gvr *out, struct err *e)
{
	const struct client_gvr *x = disc_lookup(c, input);

	if (!x)
		return err_set(e, ERR_NOT_FOUND, c->discovered ?
			       "the server doesn't have a resource type \"%s\"" :
			       "resource type \"%s\": discovery has not answered yet",
			       input);
	*out = *x;
	return 0;
}

int client_resolve(struct client *c, const char *input,
		   struct client_gvr *out, struct err *e)
{
	const struct client_gvr *x;

	if (!c->discovered && client_discover_sync(c, false, e) < 0)
		return -1;
	x = disc_lookup(c, input);
	if (!x) {
		if (client_discover_sync(c, true, e) < 0)
			return -1;
		x = disc_lookup(c, input);
	}
	if (!x)
		return err_set(e, ERR_NOT_FOUND,
			       "the server doesn't have a resource type \"%s\"",
			       input);
	*out = *x;
	return 0;
}
