/* SPDX-License-Identifier: Apache-2.0 */
/*
 * src_client: the dashboard's data source over the client layer
 * (src/client/client.h), i.e. a real cluster or the embedded one.
 *
 * Every table view is an informer in Table form (the server's columns,
 * priority > 0 columns shown only in wide mode; labels from the row's
 * PartialObjectMetadata).  Informers come from a pool (infpool.c): the
 * overview and the owner tree watch full objects (objs_watch), and a
 * table view of the same kind and namespace shares their informer.  One-shot reads and writes are client requests
 * whose callbacks run in client_drain on the UI thread.  Reachability is
 * what the last request or informer said; while unreachable, GET /version
 * is re-tried every 3 s so the banner goes away by itself.
 *
 * A client is per context, so switching contexts makes a new source and
 * the app rebuilds its views on it.  Making one never waits for the
 * server: discovery is asynchronous (a fresh disk cache answers at once),
 * the built-in kinds serve meanwhile, and every resource lookup is a
 * cached one (an unknown kind is tried as v1 and the server says).  The
 * kind table a view may still point at is retired, not freed, when
 * discovery replaces it (old_kinds, freed with the source).
 */
#include "config.h"

#include <curses.h>

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/client.h"
#include "client/kubeconfig.h"
#include "client/stream.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/yaml.h"
#include "tui/infpool.h"
#include "tui/shell.h"
#include "tui/tui.h"

struct src_watch {
	struct src_watch *next;
	struct src_client *s;
	struct inf_sub *sub;
	struct informer *inf;	/* the sub's (set by the first event) */
	int wide;
	src_watch_cb cb;
	void *arg;
};

struct src_client {
	struct src super;
	struct client *c;
	struct inf_pool *pool;
	struct vec kinds;		/* kind_info * */
	struct vec old_kinds;		/* replaced kind tables, kept for views */
	uint64_t disc;			/* discovery run in flight, 0: none */
	int discovering;
	struct src_watch *watches;
	struct src_objs *objs;
	char version[64];
	int reachable;
	char why[256];
	long next_probe;
	uint64_t probe;
	char *kubeconfig;		/* as given (NULL: the default) */
	char *ssh;			/* --ssh user@host[:port], or NULL */
};

/* Over HTTP/1.1 (the embedded cluster) every watch holds a connection:
 * the overview's ten kinds, tables, the tree and one-shot requests. */
#define SRC_CLIENT_CONNECTIONS 48

static const char *const scalable_kinds[] = { "deployments", "replicasets",
	"statefulsets", "replicationcontrollers", NULL };

static long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void set_reach(struct src_client *s, const struct err *e)
{
	s->reachable = !e || (e->code != ERR_UNAVAILABLE && e->code != ERR_TIMEOUT);
	if (!s->reachable)
		snprintf(s->why, sizeof(s->why), "%s", e->msg);
}

static void version_done(struct client_resp *r, void *arg)
{
	struct src_client *s = arg;
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(r->json, "gitVersion"));

	s->probe = 0;
	set_reach(s, r->err.code == ERR_OK ? NULL : &r->err);
	if (v)
		snprintf(s->version, sizeof(s->version), "%s", v);
	s->next_probe = ms_now() + 3000;
}

static void probe(struct src_client *s)
{
	struct client_req req = { .path = "/version", .prio = CLIENT_PRIO_INTERACTIVE };

	if (!s->probe)
		s->probe = client_request(s->c, &req, version_done, s);
}

static int cl_fd(struct src *src) { return client_fd(((struct src_client *)src)->c); }

static void cl_drain(struct src *src)
{
	client_drain(((struct src_client *)src)->c);
}

static void cl_info(struct src *src, struct src_info *out)
{
	struct src_client *s = (struct src_client *)src;

	memset(out, 0, sizeof(*out));
	snprintf(out->context, sizeof(out->context), "%s", client_context(s->c));
	snprintf(out->cluster, sizeof(out->cluster), "%s", client_server(s->c));
	snprintf(out->user, sizeof(out->user), "%s", client_user(s->c));
	snprintf(out->version, sizeof(out->version), "%s", s->version[0] ? s->version : "n/a");
	snprintf(out->ns, sizeof(out->ns), "%s", client_namespace(s->c));
	out->reachable = s->reachable;
	out->discovering = s->discovering;
	snprintf(out->why, sizeof(out->why), "%s", s->why);
	if (!s->reachable && ms_now() >= s->next_probe)
		probe(s);
}

static void load_kinds(struct src_client *s)
{
	const struct vec *res = client_resources(s->c);

	/* views and commands may still hold pointers into the old table */
	for (size_t i = 0; i < s->kinds.len; i++)
		vec_push(&s->old_kinds, s->kinds.items[i]);
	vec_free(&s->kinds, NULL);
	for (size_t i = 0; res && i < res->len; i++) {
		const struct client_gvr *g = res->items[i];
		int scalable = 0;

		if (!strstr(g->verbs, "list") || src_kind(&s->super, g->resource))
			continue;
		for (size_t k = 0; scalable_kinds[k]; k++)
			scalable |= !strcmp(scalable_kinds[k], g->resource);
		vec_push(&s->kinds, kind_info_new(g->resource, g->singular, g->kind,
			 g->group, g->short_names, g->namespaced, scalable));
	}
	if (!s->kinds.len)
		src_builtin_kinds(&s->kinds);
}

/* Discovery answered (inside client_drain, or at once from the cache). */
static void disc_done(struct client_resp *r, void *arg)
{
	struct src_client *s = arg;

	s->disc = 0;
	s->discovering = 0;
	if (r->err.code != ERR_OK) {
		set_reach(s, &r->err);
		return;
	}
	load_kinds(s);
}

static const struct vec *cl_kinds(struct src *src)
{
	return &((struct src_client *)src)->kinds;
}

/* The contexts of the kubeconfig this source was made from. */
static void cl_contexts(struct src *src, struct vec *out)
{
	struct src_client *s = (struct src_client *)src;
	struct kc *kc = NULL;
	struct err e;

	if (kc_load(s->kubeconfig, &kc, &e) < 0) {
		vec_push(out, xstrdup(client_context(s->c)));
		return;
	}
	for (size_t i = 0; i < kc_context_count(kc); i++)
		vec_push(out, xstrdup(kc_context_name(kc, i)));
	kc_free(kc);
}

/* A client is per context: another context is a new source. */
static struct src *cl_switch_context(struct src *src, const char *ctx, struct err *e)
{
	struct src_client *s = (struct src_client *)src;
	struct src *out = NULL;

	if (src_client_new(s->kubeconfig, ctx, NULL, s->ssh, &out, e) < 0)
		return NULL;
	return out;
}

/* ------------------------------------------------------------- watches */

/* Column i is shown unless it has priority > 0 and wide is off. */
static int col_shown(const struct src_watch *w, int i)
{
	const cJSON *col = cJSON_GetArrayItem(informer_columns(w->inf), i);
	const cJSON *p = cJSON_GetObjectItem(col, "priority");

	return w->wide || !cJSON_IsNumber(p) || p->valueint == 0;
}

static void emit_columns(struct src_watch *w)
{
	const char *names[64];
	struct src_row row = { NULL, NULL, names, 0, NULL };
	const cJSON *col;
	int i = 0;

	cJSON_ArrayForEach(col, informer_columns(w->inf)) {
		if (col_shown(w, i++) && row.ncells < 64)
			names[row.ncells++] = cJSON_GetStringValue(cJSON_GetObjectItem(col, "name"));
	}
	for (size_t k = 0; k < row.ncells; k++)
		if (!names[k])
			names[k] = "";
	w->cb(w->arg, SRC_COLUMNS, &row, NULL);
}

/* A cell's text: strings borrowed, numbers into num, anything else
 * printed into *owned (freed by the caller). */
static const char *cell_text(const cJSON *c, char *num, size_t nsz, char **owned)
{
	if (cJSON_IsString(c))
		return c->valuestring;
	if (cJSON_IsNumber(c)) {
		snprintf(num, nsz, "%g", c->valuedouble);
		return num;
	}
	if (cJSON_IsNull(c))
		return "<none>";
	return *owned = cJSON_PrintUnformatted(c);
}

/* One row to the view: cells borrowed from the informer's row (no copy
 * per cell: a list of 50,000 pods is half a million cells). */
static void emit_row(struct src_watch *w, enum src_event ev,
		     const struct informer_item *it)
{
	const char *cells[64];
	char nums[64][32], *owned[64] = { NULL }, *labels = NULL;
	struct src_row row = { it->ns, it->name, cells, 0, NULL };
	struct buf b = BUF_INIT;
	const cJSON *c, *l;
	int i = 0;

	cJSON_ArrayForEach(c, it->cells) {
		if (!col_shown(w, i++) || row.ncells >= 64)
			continue;
		cells[row.ncells] = cell_text(c, nums[row.ncells], sizeof(nums[0]),
					      &owned[row.ncells]);
		row.ncells++;
	}
	cJSON_ArrayForEach(l, cJSON_GetObjectItem(cJSON_GetObjectItem(it->obj, "metadata"), "labels"))
		if (cJSON_IsString(l))
			buf_printf(&b, "%s%s=%s", b.len ? "," : "", l->string, l->valuestring);
	row.labels = labels = b.len ? buf_take(&b) : NULL;
	buf_free(&b);
	w->cb(w->arg, ev, &row, NULL);
	for (size_t k = 0; k < row.ncells; k++)
		free(owned[k]);
	free(labels);
}

static void relisted(struct src_watch *w)
{
	struct vec items = VEC_INIT;

	w->cb(w->arg, SRC_RELIST, NULL, NULL);
	emit_columns(w);
	informer_list(w->inf, &items);
	for (size_t i = 0; i < items.len; i++)
		emit_row(w, SRC_ROW_SET, items.items[i]);
	vec_free(&items, NULL);
	w->cb(w->arg, SRC_SYNCED, NULL, NULL);
	w->s->reachable = 1;
}

static void on_informer(struct informer *inf, enum informer_event ev,
			const struct informer_item *it, void *arg)
{
	struct src_watch *w = arg;
	struct err e;

	w->inf = inf;
	switch (ev) {
	case INFORMER_ADDED: case INFORMER_MODIFIED: emit_row(w, SRC_ROW_SET, it); break;
	case INFORMER_DELETED: emit_row(w, SRC_ROW_DEL, it); break;
	case INFORMER_RELISTED: relisted(w); break;
	case INFORMER_STATE:
		if (informer_state(inf) == INFORMER_FORBIDDEN) {
			err_set(&e, ERR_FORBIDDEN, "%s", informer_error(inf));
			w->cb(w->arg, SRC_FAILED, NULL, &e);
		} else if (informer_state(inf) == INFORMER_ERROR) {
			/* The informer retries by itself; whether the cluster
			 * is gone (the banner) is what GET /version says. */
			err_set(&e, ERR_UNAVAILABLE, "%s", informer_error(inf));
			probe(w->s);
			w->cb(w->arg, SRC_FAILED, NULL, &e);
		}
		break;
	}
}

/* The resource of kind k; a kind discovery does not know still gets
 * v1 (its informer then fails with the server's answer). */
static void gvr_of(struct src_client *s, const struct kind_info *k, struct client_gvr *gvr)
{
	char input[256];
	struct err e;

	snprintf(input, sizeof(input), "%s%s%s", k->plural, k->group[0] ? "." : "", k->group);
	if (client_resolve_cached(s->c, input, gvr, &e) == 0)
		return;
	memset(gvr, 0, sizeof(*gvr));
	snprintf(gvr->resource, sizeof(gvr->resource), "%s", k->plural);
	snprintf(gvr->group, sizeof(gvr->group), "%s", k->group);
	snprintf(gvr->version, sizeof(gvr->version), "v1");
	gvr->namespaced = k->namespaced;
}

static struct src_watch *cl_watch(struct src *src, const struct kind_info *k,
				  const char *ns, int wide, src_watch_cb cb, void *arg)
{
	struct src_client *s = (struct src_client *)src;
	struct src_watch *w = xcalloc(1, sizeof(*w));
	struct client_gvr gvr;

	w->s = s;
	w->wide = wide;
	w->cb = cb;
	w->arg = arg;
	w->next = s->watches;
	s->watches = w;
	gvr_of(s, k, &gvr);
	w->sub = inf_pool_sub(s->pool, &gvr, k->namespaced ? ns : NULL, 0, on_informer, w);
	return w;
}

static void cl_unwatch(struct src *src, struct src_watch *w)
{
	struct src_client *s = (struct src_client *)src;

	for (struct src_watch **p = &s->watches; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			break;
		}
	inf_pool_unsub(s->pool, w->sub);
	free(w);
}

/* ------------------------------------------------- full-object watches */

struct src_objs {
	struct src_objs *next;
	struct inf_sub *sub;
	void (*changed)(void *arg);
	void *arg;
};

static void on_objs(struct informer *inf, enum informer_event ev,
		    const struct informer_item *it, void *arg)
{
	struct src_objs *o = arg;

	(void)inf;
	(void)ev;
	(void)it;
	o->changed(o->arg);
}

static struct src_objs *cl_objs_watch(struct src *src, const struct kind_info *k,
				      const char *ns, void (*changed)(void *arg), void *arg)
{
	struct src_client *s = (struct src_client *)src;
	struct src_objs *o = xcalloc(1, sizeof(*o));
	struct client_gvr gvr;

	o->changed = changed;
	o->arg = arg;
	o->next = s->objs;
	s->objs = o;
	gvr_of(s, k, &gvr);
	o->sub = inf_pool_sub(s->pool, &gvr, k->namespaced ? ns : NULL, 1, on_objs, o);
	return o;
}

static void cl_objs_unwatch(struct src *src, struct src_objs *o)
{
	struct src_client *s = (struct src_client *)src;

	if (!o)
		return;
	for (struct src_objs **p = &s->objs; *p; p = &(*p)->next)
		if (*p == o) {
			*p = o->next;
			break;
		}
	inf_pool_unsub(s->pool, o->sub);
	free(o);
}

static int cl_objs_list(struct src *src, struct src_objs *o, struct vec *out,
			struct err *e)
{
	struct informer *inf = inf_sub_informer(o->sub);
	struct vec items = VEC_INIT;

	(void)src;
	informer_list(inf, &items);
	for (size_t i = 0; i < items.len; i++)
		vec_push(out, (void *)((const struct informer_item *)items.items[i])->obj);
	vec_free(&items, NULL);
	switch (informer_state(inf)) {
	case INFORMER_SYNCED: return 1;
	case INFORMER_SYNCING: return 0;
	case INFORMER_FORBIDDEN:
		return err_set(e, ERR_FORBIDDEN, "%s", informer_error(inf));
	default:
		return err_set(e, ERR_UNAVAILABLE, "%s", informer_error(inf));
	}
}

/* ------------------------------------------------------- reads, writes */

struct creq {
	struct src_client *s;
	enum src_get what;
	struct client_gvr gvr;
	char ns[128], name[256];
	src_done_cb cb;
	void *arg;
	cJSON *obj;			/* describe: the object, events next */
};

static int resolve(struct src_client *s, const struct kind_info *k,
		   struct client_gvr *g, struct err *e)
{
	char input[256];

	snprintf(input, sizeof(input), "%s%s%s", k->plural, k->group[0] ? "." : "", k->group);
	if (client_resolve_cached(s->c, input, g, e) == 0)
		return 0;
	if (!s->discovering)
		return -1;
	gvr_of(s, k, g);	/* discovery still out: the built-in guess */
	return 0;
}

static struct creq *creq_new(struct src_client *s, const struct kind_info *k,
			     const char *ns, const char *name, src_done_cb cb,
			     void *arg, struct err *e)
{
	struct creq *r = xcalloc(1, sizeof(*r));

	r->s = s;
	r->cb = cb;
	r->arg = arg;
	snprintf(r->ns, sizeof(r->ns), "%s", ns ? ns : "");
	snprintf(r->name, sizeof(r->name), "%s", name);
	if (resolve(s, k, &r->gvr, e) < 0) {
		free(r);
		return NULL;
	}
	return r;
}

/* Finish a request: callback with the error or the text, then free. */
static void creq_done(struct creq *r, const struct err *e, const char *text)
{
	struct err ok;

	err_clear(&ok);
	set_reach(r->s, e && e->code ? e : NULL);
	r->cb(r->arg, e ? e : &ok, text);
	cJSON_Delete(r->obj);
	free(r);
}

static void events_done(struct client_resp *resp, void *arg)
{
	struct creq *r = arg;
	char *text = describe_object(r->obj, cJSON_GetObjectItem(resp->json, "items"));

	creq_done(r, NULL, text);	/* events are optional: errors ignored */
	free(text);
}

static void object_done(struct client_resp *resp, void *arg)
{
	struct creq *r = arg;
	struct client_list_opts lo = { 0 };
	struct client_gvr ev = { .version = "v1", .resource = "events", .kind = "Event",
				 .namespaced = true };
	char sel[512], *yaml;

	if (resp->err.code != ERR_OK) {
		creq_done(r, &resp->err, NULL);
		return;
	}
	if (r->what == SRC_GET_YAML) {
		cJSON_DeleteItemFromObject(cJSON_GetObjectItem(resp->json, "metadata"), "managedFields");
		yaml = kyaml_emit(resp->json);
		creq_done(r, NULL, yaml);
		free(yaml);
		return;
	}
	r->obj = resp->json;
	resp->json = NULL;
	snprintf(sel, sizeof(sel), "involvedObject.name=%s%s%s", r->name,
		 r->ns[0] ? ",involvedObject.namespace=" : "", r->ns);
	lo.field_selector = sel;
	client_list(r->s->c, &ev, r->ns[0] ? r->ns : NULL, &lo, CLIENT_PRIO_INTERACTIVE,
		    events_done, r);
}

/* SRC_GET_LIST: the list as JSON text. */
static void list_done(struct client_resp *resp, void *arg)
{
	struct creq *r = arg;
	char *text;

	if (resp->err.code != ERR_OK) {
		creq_done(r, &resp->err, NULL);
		return;
	}
	text = cJSON_PrintUnformatted(resp->json);
	creq_done(r, NULL, text ? text : "{}");
	cJSON_free(text);
}

static void logs_done(struct client_resp *resp, void *arg)
{
	struct creq *r = arg;

	if (resp->err.code != ERR_OK)
		creq_done(r, &resp->err, NULL);
	else
		creq_done(r, NULL, buf_cstr(&resp->body));
}

static void get_logs(struct src_client *s, struct creq *r, const char *arg)
{
	char ctr[128], *path = client_path(&r->gvr, r->ns, r->name, "log"), *full;
	struct client_req req = { .accept = "text/plain", .prio = CLIENT_PRIO_INTERACTIVE };
	int stamps = arg && strstr(arg, "@timestamps");

	snprintf(ctr, sizeof(ctr), "%.*s", arg ? (int)strcspn(arg, "@") : 0, arg ? arg : "");
	full = xasprintf("%s?tailLines=5000%s%s%s", path, ctr[0] ? "&container=" : "", ctr,
			 stamps ? "&timestamps=true" : "");
	req.path = full;
	client_request(s->c, &req, logs_done, r);
	free(path);
	free(full);
}

/* A followed log: the client stream and the view's callbacks. */
struct cl_follow {
	struct src_client *s;
	uint64_t id;
	void (*on_data)(void *arg, const char *text, size_t n);
	src_done_cb on_end;
	void *arg;
};

static void follow_data(const char *data, size_t len, void *arg)
{
	struct cl_follow *f = arg;

	f->on_data(f->arg, data, len);
}

static void follow_done(struct client_resp *resp, void *arg)
{
	struct cl_follow *f = arg;
	struct err ok;

	err_clear(&ok);
	set_reach(f->s, resp->err.code && !resp->status ? &resp->err : NULL);
	f->on_end(f->arg, resp->err.code ? &resp->err : &ok, NULL);
	free(f);
}

static void *cl_logs_follow(struct src *src, const struct kind_info *k,
			    const char *ns, const char *name,
			    const char *container, int timestamps, int previous, long tail,
			    const char *since,
			    void (*on_data)(void *arg, const char *text, size_t n),
			    src_done_cb on_end, void *arg)
{
	struct src_client *s = (struct src_client *)src;
	struct client_req req = { .accept = "text/plain",
				  .prio = CLIENT_PRIO_INTERACTIVE };
	struct cl_follow *f;
	struct client_gvr gvr;
	struct buf q = BUF_INIT;
	struct err e;
	char *path;

	if (resolve(s, k, &gvr, &e) < 0) {
		on_end(arg, &e, NULL);
		return NULL;
	}
	path = client_path(&gvr, ns, name, "log");
	buf_printf(&q, "%s?%s", path, previous ? "previous=true" : "follow=true");
	if (container && container[0])
		buf_printf(&q, "&container=%s", container);
	if (timestamps)
		buf_adds(&q, "&timestamps=true");
	if (tail >= 0)
		buf_printf(&q, "&tailLines=%ld", tail);
	if (since && since[0])
		buf_printf(&q, "&sinceTime=%s", since);
	f = xcalloc(1, sizeof(*f));
	f->s = s;
	f->on_data = on_data;
	f->on_end = on_end;
	f->arg = arg;
	req.path = buf_cstr(&q);
	f->id = client_stream_raw(s->c, &req, follow_data, follow_done, f);
	buf_free(&q);
	free(path);
	return f;
}

static void cl_logs_stop(struct src *src, void *handle)
{
	struct cl_follow *f = handle;

	(void)src;
	if (!f)
		return;
	client_cancel(f->s->c, f->id);
	free(f);
}

/* `:can`: one SelfSubjectRulesReview, impersonating the subject; when it
 * says incomplete, a SelfSubjectAccessReview per cell it leaves open. */
struct cl_can {
	struct src_client *s;
	char ns[256], who[320];
	struct can_subject subj;
	src_done_cb cb;
	void *arg;
	cJSON *status, *precise;	/* the rules review; cell -> allowed */
	int pending;
};

struct cl_can_cell {
	struct cl_can *q;
	char key[256];
};

static void can_finish(struct cl_can *q)
{
	struct err ok;
	char *text;

	err_clear(&ok);
	text = can_matrix_precise(&q->s->kinds, q->status, q->precise, q->who, q->ns);
	q->cb(q->arg, &ok, text);
	free(text);
	cJSON_Delete(q->status);
	cJSON_Delete(q->precise);
	free(q);
}

/* The request for the subject: impersonation headers when not "me". */
static void can_req(struct cl_can *q, struct client_req *req, const char **groups)
{
	for (int i = 0, n = 0; i < 2; i++)
		if (q->subj.groups[i][0])
			groups[n++] = q->subj.groups[i];
	if (q->subj.user[0]) {
		req->as = q->subj.user;
		req->as_groups = groups;
	}
}

static void cell_done(struct client_resp *resp, void *arg)
{
	struct cl_can_cell *c = arg;
	struct cl_can *q = c->q;

	if (resp->err.code == ERR_OK)
		cJSON_AddBoolToObject(q->precise, c->key,
				      json_get_bool(resp->json, "status.allowed", false));
	free(c);
	if (--q->pending == 0)
		can_finish(q);
}

/* One SelfSubjectAccessReview for "group|resource[/sub]|verb". */
static void ask_cell(struct cl_can *q, const char *key)
{
	struct client_req req = { .method = "POST",
		.path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
		.prio = CLIENT_PRIO_INTERACTIVE };
	const char *groups[3] = { NULL, NULL, NULL };
	struct cl_can_cell *c = xcalloc(1, sizeof(*c));
	char group[128], res[128], sub[64] = "", verb[32];
	cJSON *body = cJSON_CreateObject(), *ra;
	char *text;

	snprintf(c->key, sizeof(c->key), "%s", key);
	c->q = q;
	if (sscanf(key, "%127[^|]|%127[^|]|%31s", group, res, verb) != 3) {
		group[0] = '\0';
		sscanf(key, "|%127[^|]|%31s", res, verb);
	}
	if (strchr(res, '/')) {
		snprintf(sub, sizeof(sub), "%s", strchr(res, '/') + 1);
		*strchr(res, '/') = '\0';
	}
	cJSON_AddStringToObject(body, "apiVersion", "authorization.k8s.io/v1");
	cJSON_AddStringToObject(body, "kind", "SelfSubjectAccessReview");
	ra = cJSON_AddObjectToObject(cJSON_AddObjectToObject(body, "spec"), "resourceAttributes");
	cJSON_AddStringToObject(ra, "namespace", q->ns);
	cJSON_AddStringToObject(ra, "verb", verb);
	cJSON_AddStringToObject(ra, "group", group);
	cJSON_AddStringToObject(ra, "resource", res);
	if (sub[0])
		cJSON_AddStringToObject(ra, "subresource", sub);
	text = cJSON_PrintUnformatted(body);
	req.body = text;
	req.body_len = strlen(text);
	can_req(q, &req, groups);
	q->pending++;
	client_request(q->s->c, &req, cell_done, c);
	cJSON_free(text);
	cJSON_Delete(body);
}

static void can_done(struct client_resp *resp, void *arg)
{
	struct cl_can *q = arg;
	struct vec cells = VEC_INIT;

	if (resp->err.code != ERR_OK) {
		q->cb(q->arg, &resp->err, NULL);
		free(q);
		return;
	}
	q->status = cJSON_DetachItemFromObject(resp->json, "status");
	q->precise = cJSON_CreateObject();
	can_uncertain(&q->s->kinds, q->status, &cells);
	q->pending = 1;		/* held while the reviews go out */
	for (size_t i = 0; i < cells.len && i < CAN_MAX_REVIEWS; i++)
		ask_cell(q, cells.items[i]);
	vec_free(&cells, free);
	if (--q->pending == 0)
		can_finish(q);
}

static void cl_can_i(struct src *src, const char *ns, const char *subject,
		     src_done_cb cb, void *cbarg)
{
	struct src_client *s = (struct src_client *)src;
	struct client_req req = { .method = "POST",
		.path = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
		.prio = CLIENT_PRIO_INTERACTIVE };
	const char *groups[3] = { NULL, NULL, NULL };
	struct can_subject subj;
	struct cl_can *q;
	struct err e;
	char *body;

	if (can_subject(subject, &subj) < 0) {
		err_set(&e, ERR_BAD_REQUEST, "can: want nothing (you), u:USER, g:GROUP or s:NAMESPACE/SERVICEACCOUNT, not \"%s\"", subject);
		cb(cbarg, &e, NULL);
		return;
	}
	q = xcalloc(1, sizeof(*q));
	q->s = s;
	q->cb = cb;
	q->arg = cbarg;
	q->subj = subj;
	snprintf(q->ns, sizeof(q->ns), "%s", ns && ns[0] ? ns : "default");
	snprintf(q->who, sizeof(q->who), "%s", subj.user[0] ? subject : client_user(s->c));
	can_req(q, &req, groups);
	body = xasprintf("{\"apiVersion\":\"authorization.k8s.io/v1\","
			 "\"kind\":\"SelfSubjectRulesReview\","
			 "\"spec\":{\"namespace\":\"%s\"}}", q->ns);
	req.body = body;
	req.body_len = strlen(body);
	client_request(s->c, &req, can_done, q);
	free(body);
}

static void cl_get(struct src *src, enum src_get what, const struct kind_info *k,
		   const char *ns, const char *name, const char *arg,
		   src_done_cb cb, void *cbarg)
{
	struct src_client *s = (struct src_client *)src;
	struct err e;
	struct creq *r = creq_new(s, k, ns, name ? name : "", cb, cbarg, &e);
	struct client_list_opts lo = { .form = CLIENT_FORM_OBJECT };

	if (!r) {
		cb(cbarg, &e, NULL);
		return;
	}
	r->what = what;
	if (what == SRC_GET_LIST)
		client_list(s->c, &r->gvr, r->ns[0] ? r->ns : NULL, &lo,
			    CLIENT_PRIO_INTERACTIVE, list_done, r);
	else if (what == SRC_GET_LOGS)
		get_logs(s, r, arg);
	else
		client_get(s->c, &r->gvr, r->ns, r->name, CLIENT_FORM_OBJECT,
			   CLIENT_PRIO_INTERACTIVE, object_done, r);
}

static void write_done(struct client_resp *resp, void *arg)
{
	struct creq *r = arg;

	creq_done(r, resp->err.code != ERR_OK ? &resp->err : NULL, NULL);
}

/* RFC 3339 now, for the restartedAt annotation kubectl sets. */
static void now_rfc3339(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tmv;

	gmtime_r(&t, &tmv);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tmv);
}

static int do_write(struct src_client *s, struct creq *r, enum src_op op,
		    const char *arg, struct err *e)
{
	char patch[256], when[64];
	cJSON *obj;

	switch (op) {
	case SRC_OP_DELETE:
		client_delete(s->c, &r->gvr, r->ns, r->name, arg, write_done, r);
		return 0;
	case SRC_OP_SCALE:
		if (!arg || !*arg || strspn(arg, "0123456789") != strlen(arg))
			return err_set(e, ERR_INVALID, "replicas must be a number >= 0");
		snprintf(patch, sizeof(patch), "{\"spec\":{\"replicas\":%s}}", arg);
		client_patch(s->c, &r->gvr, r->ns, r->name, "application/merge-patch+json",
			     patch, "scale", write_done, r);
		return 0;
	case SRC_OP_RESTART:
		now_rfc3339(when, sizeof(when));
		snprintf(patch, sizeof(patch), "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
			 "{\"kubectl.kubernetes.io/restartedAt\":\"%s\"}}}}}", when);
		client_patch(s->c, &r->gvr, r->ns, r->name,
			     "application/strategic-merge-patch+json", patch, NULL, write_done, r);
		return 0;
	case SRC_OP_PUT:
		obj = kyaml_parse(arg ? arg : "", arg ? strlen(arg) : 0, e);
		if (!obj)
			return -1;
		client_update(s->c, &r->gvr, r->ns, obj, write_done, r);
		cJSON_Delete(obj);
		return 0;
	}
	return err_set(e, ERR_INTERNAL, "unknown operation");
}

static void cl_apply(struct src *src, enum src_op op, const struct kind_info *k,
		     const char *ns, const char *name, const char *arg,
		     src_done_cb cb, void *cbarg)
{
	struct src_client *s = (struct src_client *)src;
	struct err e;
	struct creq *r = creq_new(s, k, ns, name, cb, cbarg, &e);

	if (!r) {
		cb(cbarg, &e, NULL);
		return;
	}
	if (do_write(s, r, op, arg, &e) < 0) {
		free(r);
		cb(cbarg, &e, NULL);
	}
}

static void cl_free(struct src *src)
{
	struct src_client *s = (struct src_client *)src;

	if (!s)
		return;
	while (s->watches)
		cl_unwatch(src, s->watches);
	while (s->objs)
		cl_objs_unwatch(src, s->objs);
	inf_pool_free(s->pool);
	if (s->disc)
		client_cancel(s->c, s->disc);
	client_free(s->c);	/* drops pending callbacks (and their creqs) */
	vec_free(&s->kinds, kind_info_free);
	vec_free(&s->old_kinds, kind_info_free);
	free(s->kubeconfig);
	free(s->ssh);
	free(s);
}

static const struct src_ops client_ops = {
	.name = "client", .fd = cl_fd, .drain = cl_drain, .info = cl_info,
	.kinds = cl_kinds, .contexts = cl_contexts, .switch_context = cl_switch_context,
	.watch = cl_watch, .unwatch = cl_unwatch, .get = cl_get, .apply = cl_apply,
	.logs_follow = cl_logs_follow, .logs_stop = cl_logs_stop,
	.can_i = cl_can_i, .objs_watch = cl_objs_watch,
	.objs_unwatch = cl_objs_unwatch, .objs_list = cl_objs_list, .free = cl_free,
};

struct client *src_client_handle(struct src *src)
{
	return src && src->ops == &client_ops ?
	       ((struct src_client *)src)->c : NULL;
}

void src_client_abandon_streams(struct src *src)
{
	struct client *c = src_client_handle(src);

	if (c)
		client_ws_abandon(c);
}

/* The terminal is not in curses mode: SSH prompts may use it (before the
 * dashboard starts); inside it an unknown host is refused, not asked. */
static bool tty_free(void)
{
	return stdscr == NULL || isendwin();
}

/*
 * client_tty_cb for the dashboard: an interactive exec credential plugin
 * (interactiveMode IfAvailable or Always) gets the terminal the way
 * $EDITOR does - curses steps aside while it runs, the screen is redrawn
 * after.  Called on the UI thread (inside client_drain).  Before curses
 * starts the terminal is lent as it is.
 */
static int tui_tty_lend(bool required, void (*run)(void *run_arg),
			void *run_arg, void *arg)
{
	if (tty_free())
		return client_tty_lend(required, run, run_arg, arg);
	def_prog_mode();
	endwin();
	run(run_arg);
	reset_prog_mode();
	clear();
	refresh();
	return 0;
}

int src_client_new(const char *kubeconfig, const char *context, const char *ns,
		   const char *ssh, struct src **out, struct err *e)
{
	struct client_options o = { .kubeconfig = kubeconfig, .context = context,
				    .namespace = ns, .ssh = ssh,
				    .max_connections = SRC_CLIENT_CONNECTIONS,
				    .hostkey_cb = tty_free() ? client_tty_hostkey : NULL,
				    .passphrase_cb = tty_free() ? client_tty_passphrase : NULL,
				    .exec_tty_cb = tui_tty_lend };
	struct src_client *s = xcalloc(1, sizeof(*s));

	s->super.ops = &client_ops;
	if (client_new(&o, &s->c, e) < 0) {
		free(s);
		return -1;
	}
	s->reachable = 1;
	s->pool = inf_pool_new(s->c);
	s->kubeconfig = xstrdup(kubeconfig);
	s->ssh = xstrdup(ssh);
	/* Kinds from a fresh disk cache at once (disc_done runs before
	 * client_discover returns), else the built-in ones until it answers. */
	s->discovering = 1;
	s->disc = client_discover(s->c, false, disc_done, s);
	if (s->discovering)
		src_builtin_kinds(&s->kinds);
	probe(s);
	*out = &s->super;
	return 0;
}
