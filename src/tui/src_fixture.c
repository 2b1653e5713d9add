/* SPDX-License-Identifier: Apache-2.0 */
/*
 * src_fixture: a data source read from a JSON file, for tmux tests,
 * benchmarks and demos.  It behaves like the client layer as the UI sees
 * it: results come back asynchronously through an fd and src_drain, the
 * file is watched (a poller thread checks its mtime every 100 ms) and a
 * change re-lists every open watch, and mutations are written back to the
 * file and logged, one line each, to PATH.log so tests can assert on them.
 *
 * File shape (every key optional):
 *   { "context": "c", "cluster": "c", "user": "u", "version": "v1.31.0",
 *     "namespace": "default", "reachable": true, "why": "...",
 *     "contexts": ["c", "other"], "conflict_once": false,
 *     "kinds": [ { "plural": "pods", "singular": "pod", "kind": "Pod",
 *                  "group": "", "short": "po", "namespaced": true,
 *                  "scalable": false, "forbidden": false,
 *                  "columns": ["NAME", ...], "wide": ["IP", ...] } ],
 *     "objects": [ { "resource": "pods", "namespace": "default",
 *                    "name": "web-1", "labels": { "app": "web" },
 *                    "cells": [...], "wide": [...], "yaml": "...",
 *                    "object": { full object for describe } } ],
 *     "events": [ Event objects ], "logs": { "ns/name": ["line", ...] } }
 *
 * Threads: the poller thread only stats the file and writes to the pipe;
 * everything else runs on the UI thread inside drain.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/mem.h"
#include "tui/tui.h"

struct src_watch {
	struct src_watch *next;
	char *plural, *ns;
	int wide;
	src_watch_cb cb;
	void *arg;
};

struct src_objs {
	struct src_objs *next;
	char *plural, *ns;
	void (*changed)(void *arg);
	void *arg;
};

struct pending {
	src_done_cb cb;
	void *arg;
	struct err e;
	char *text;
};

struct fixture {
	struct src super;
	char *path;
	cJSON *doc;
	struct vec kinds;		/* kind_info * */
	struct src_watch *watches;
	struct src_objs *objs;		/* full-object watches */
	struct vec pending;		/* struct pending * */
	int pipe[2];
	pthread_t poller;
	atomic_int stop;
	atomic_int changed;
	struct timespec mtime;
	char context[128];		/* after :ctx (the file is re-read) */
};

static void wake(struct fixture *f)
{
	char c = 1;

	if (write(f->pipe[1], &c, 1) < 0) {
		/* pipe full: a wake-up is already pending */
	}
}

static void *poll_thread(void *arg)
{
	struct fixture *f = arg;
	struct timespec last = f->mtime, nap = { 0, 100 * 1000 * 1000 };
	struct stat st;

	while (!atomic_load(&f->stop)) {
		nanosleep(&nap, NULL);
		if (stat(f->path, &st) < 0)
			continue;
		if (st.st_mtim.tv_sec != last.tv_sec ||
		    st.st_mtim.tv_nsec != last.tv_nsec) {
			last = st.st_mtim;
			atomic_store(&f->changed, 1);
			wake(f);
		}
	}
	return NULL;
}

static const char *jstr(const cJSON *o, const char *key, const char *def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : def;
}

static int jbool(const cJSON *o, const char *key, int def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

static const cJSON *kind_json(struct fixture *f, const char *plural)
{
	const cJSON *k;

	cJSON_ArrayForEach(k, cJSON_GetObjectItem(f->doc, "kinds"))
		if (!strcmp(jstr(k, "plural", ""), plural))
			return k;
	return NULL;
}

/* (Re)read the file; on a parse error keep the previous document. */
static int load(struct fixture *f, struct err *e)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	cJSON *doc, *k;
	FILE *fp = fopen(f->path, "re");

	if (!fp)
		return err_set(e, ERR_IO, "%s: %s", f->path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	doc = cJSON_ParseWithLength(buf_cstr(&b), b.len);
	buf_free(&b);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return err_set(e, ERR_PARSE, "%s: not a JSON object", f->path);
	}
	cJSON_Delete(f->doc);
	f->doc = doc;
	vec_free(&f->kinds, kind_info_free);
	cJSON_ArrayForEach(k, cJSON_GetObjectItem(doc, "kinds"))
		vec_push(&f->kinds, kind_info_new(jstr(k, "plural", "?"),
			jstr(k, "singular", ""), jstr(k, "kind", ""),
			jstr(k, "group", ""), jstr(k, "short", ""),
			jbool(k, "namespaced", 1), jbool(k, "scalable", 0)));
	return 0;
}

static int fx_fd(struct src *s)
{
	return ((struct fixture *)s)->pipe[0];
}

static void fx_info(struct src *s, struct src_info *out)
{
	struct fixture *f = (struct fixture *)s;

	memset(out, 0, sizeof(*out));
	snprintf(out->context, sizeof(out->context), "%s",
		 f->context[0] ? f->context : jstr(f->doc, "context", "fixture"));
	snprintf(out->cluster, sizeof(out->cluster), "%s", jstr(f->doc, "cluster", "fixture"));
	snprintf(out->user, sizeof(out->user), "%s", jstr(f->doc, "user", "admin"));
	snprintf(out->version, sizeof(out->version), "%s", jstr(f->doc, "version", "n/a"));
	snprintf(out->ns, sizeof(out->ns), "%s", jstr(f->doc, "namespace", "default"));
	out->reachable = jbool(f->doc, "reachable", 1);
	snprintf(out->why, sizeof(out->why), "%s",
		 jstr(f->doc, "why", "connection refused"));
}

static const struct vec *fx_kinds(struct src *s)
{
	return &((struct fixture *)s)->kinds;
}

static void fx_contexts(struct src *s, struct vec *out)
{
	struct fixture *f = (struct fixture *)s;
	const cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItem(f->doc, "contexts"))
		if (cJSON_IsString(c))
			vec_push(out, xstrdup(c->valuestring));
	if (!out->len)
		vec_push(out, xstrdup(jstr(f->doc, "context", "fixture")));
}

static struct src *fx_switch_context(struct src *s, const char *ctx, struct err *e)
{
	struct fixture *f = (struct fixture *)s;
	struct vec v = VEC_INIT;
	int found = 0;

	fx_contexts(s, &v);
	for (size_t i = 0; i < v.len; i++)
		found |= !strcmp(v.items[i], ctx);
	vec_free(&v, free);
	if (!found) {
		err_set(e, ERR_NOT_FOUND, "no context \"%s\"", ctx);
		return NULL;
	}
	snprintf(f->context, sizeof(f->context), "%s", ctx);
	return s;
}

/* Join an array of strings (or a labels object as k=v) into cells. */
static size_t strings_of(const cJSON *a, const char **out, size_t max)
{
	const cJSON *c;
	size_t n = 0;

	cJSON_ArrayForEach(c, a)
		if (n < max)
			out[n++] = cJSON_IsString(c) ? c->valuestring : "";
	return n;
}

static char *labels_of(const cJSON *o)
{
	struct buf b = BUF_INIT;
	const cJSON *l;

	cJSON_ArrayForEach(l, cJSON_GetObjectItem(o, "labels"))
		if (cJSON_IsString(l))
			buf_printf(&b, "%s%s=%s", b.len ? "," : "", l->string,
				   l->valuestring);
	return b.len ? buf_take(&b) : NULL;
}

/* Columns, then every row of w's kind and namespace, then SYNCED. */
static void relist(struct fixture *f, struct src_watch *w)
{
	const cJSON *k = kind_json(f, w->plural), *o;
	const char *cols[64];
	struct src_row row = { NULL, NULL, cols, 0, NULL };
	struct err e;

	w->cb(w->arg, SRC_RELIST, NULL, NULL);
	if (!jbool(f->doc, "reachable", 1) || !k || jbool(k, "forbidden", 0)) {
		if (!jbool(f->doc, "reachable", 1))
			err_set(&e, ERR_UNAVAILABLE, "%s", jstr(f->doc, "why", "unreachable"));
		else if (!k)
			err_set(&e, ERR_NOT_FOUND, "the server doesn't have a resource type \"%s\"", w->plural);
		else
			err_set(&e, ERR_FORBIDDEN, "%s is forbidden: User \"%s\" cannot list resource \"%s\"",
				w->plural, jstr(f->doc, "user", "admin"), w->plural);
		w->cb(w->arg, SRC_FAILED, NULL, &e);
		return;
	}
	row.ncells = strings_of(cJSON_GetObjectItem(k, "columns"), cols, 32);
	if (w->wide)
		row.ncells += strings_of(cJSON_GetObjectItem(k, "wide"), cols + row.ncells, 32);
	w->cb(w->arg, SRC_COLUMNS, &row, NULL);
	cJSON_ArrayForEach(o, cJSON_GetObjectItem(f->doc, "objects")) {
		char *labels;

		if (strcmp(jstr(o, "resource", ""), w->plural) ||
		    (*w->ns && strcmp(jstr(o, "namespace", ""), w->ns)))
			continue;
		row.ns = jstr(o, "namespace", "");
		row.name = jstr(o, "name", "?");
		row.ncells = strings_of(cJSON_GetObjectItem(o, "cells"), cols, 32);
		if (w->wide)
			row.ncells += strings_of(cJSON_GetObjectItem(o, "wide"), cols + row.ncells, 32);
		row.labels = labels = labels_of(o);
		w->cb(w->arg, SRC_ROW_SET, &row, NULL);
		free(labels);
	}
	w->cb(w->arg, SRC_SYNCED, NULL, NULL);
}

static void fx_drain(struct src *s)
{
	struct fixture *f = (struct fixture *)s;
	char junk[256];
	struct vec todo;

	while (read(f->pipe[0], junk, sizeof(junk)) > 0)
		;
	if (atomic_exchange(&f->changed, 0)) {
		struct err e;

		if (load(f, &e) == 0) {
			for (struct src_watch *w = f->watches; w; w = w->next)
				relist(f, w);
			for (struct src_objs *o = f->objs; o; o = o->next)
				o->changed(o->arg);
		}
	}
	todo = f->pending;
	memset(&f->pending, 0, sizeof(f->pending));
	for (size_t i = 0; i < todo.len; i++) {
		struct pending *p = todo.items[i];

		p->cb(p->arg, &p->e, p->text);
		free(p->text);
		free(p);
	}
	vec_free(&todo, NULL);
}

static struct src_watch *fx_watch(struct src *s, const struct kind_info *k,
				  const char *ns, int wide, src_watch_cb cb,
				  void *arg)
{
	struct fixture *f = (struct fixture *)s;
	struct src_watch *w = xcalloc(1, sizeof(*w));

	w->plural = xstrdup(k->plural);
	w->ns = xstrdup(k->namespaced && ns ? ns : "");
	w->wide = wide;
	w->cb = cb;
	w->arg = arg;
	w->next = f->watches;
	f->watches = w;
	atomic_store(&f->changed, 1);	/* first list on the next drain */
	wake(f);
	return w;
}

static void fx_unwatch(struct src *s, struct src_watch *w)
{
	struct fixture *f = (struct fixture *)s;

	for (struct src_watch **p = &f->watches; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			break;
		}
	if (w) {
		free(w->plural);
		free(w->ns);
		free(w);
	}
}

static void later(struct fixture *f, src_done_cb cb, void *arg,
		  const struct err *e, char *text)
{
	struct pending *p = xcalloc(1, sizeof(*p));

	p->cb = cb;
	p->arg = arg;
	err_copy(&p->e, e);
	p->text = text;
	vec_push(&f->pending, p);
	wake(f);
}

static cJSON *find_obj(struct fixture *f, const struct kind_info *k,
		       const char *ns, const char *name)
{
	cJSON *o;

	cJSON_ArrayForEach(o, cJSON_GetObjectItem(f->doc, "objects"))
		if (!strcmp(jstr(o, "resource", ""), k->plural) &&
		    !strcmp(jstr(o, "name", ""), name) &&
		    (!k->namespaced || !strcmp(jstr(o, "namespace", ""), ns)))
			return o;
	return NULL;
}

/* Events whose involvedObject is ns/name, as a new array. */
static cJSON *events_for(struct fixture *f, const char *ns, const char *name)
{
	cJSON *out = cJSON_CreateArray(), *ev;

	cJSON_ArrayForEach(ev, cJSON_GetObjectItem(f->doc, "events")) {
		const cJSON *io = cJSON_GetObjectItem(ev, "involvedObject");

		if (!strcmp(jstr(io, "name", ""), name) &&
		    !strcmp(jstr(io, "namespace", ""), ns ? ns : ""))
			cJSON_AddItemToArray(out, cJSON_Duplicate(ev, 1));
	}
	return out;
}

/* arg: "container[@timestamps]"; logs under "ns/name/container" or
 * "ns/name".  Timestamps are made up from the line number. */
static char *logs_text(struct fixture *f, const char *ns, const char *name,
		       const char *arg)
{
	struct buf b = BUF_INIT;
	char key[512], ctr[128];
	const cJSON *logs = cJSON_GetObjectItem(f->doc, "logs"), *l, *lines;
	int stamps = arg && strstr(arg, "@timestamps") != NULL, i = 0;

	snprintf(ctr, sizeof(ctr), "%.*s", arg ? (int)strcspn(arg, "@") : 0, arg ? arg : "");
	snprintf(key, sizeof(key), "%s/%s/%s", ns, name, ctr);
	lines = cJSON_GetObjectItem(logs, key);
	if (!lines) {
		snprintf(key, sizeof(key), "%s/%s", ns, name);
		lines = cJSON_GetObjectItem(logs, key);
	}
	cJSON_ArrayForEach(l, lines)
		if (cJSON_IsString(l) && stamps)
			buf_printf(&b, "2026-11-29T00:00:%02dZ %s\n", i++ % 60, l->valuestring);
		else if (cJSON_IsString(l))
			buf_printf(&b, "%s\n", l->valuestring);
	return buf_take(&b);
}

/* SRC_GET_LIST: {"items": [the "object" of each kind-k object in ns]}. */
static char *list_text(struct fixture *f, const struct kind_info *k,
		       const char *ns)
{
	cJSON *list = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(list, "items"), *o;
	char *text;

	cJSON_ArrayForEach(o, cJSON_GetObjectItem(f->doc, "objects"))
		if (!strcmp(jstr(o, "resource", ""), k->plural) &&
		    (!ns || !ns[0] || !strcmp(jstr(o, "namespace", ""), ns)) &&
		    cJSON_IsObject(cJSON_GetObjectItem(o, "object")))
			cJSON_AddItemToArray(items, cJSON_Duplicate(cJSON_GetObjectItem(o, "object"), 1));
	text = cJSON_PrintUnformatted(list);
	cJSON_Delete(list);
	return text;
}

static void fx_get(struct src *s, enum src_get what,
		   const struct kind_info *k, const char *ns, const char *name,
		   const char *arg, src_done_cb cb, void *cbarg)
{
	struct fixture *f = (struct fixture *)s;
	cJSON *o = what == SRC_GET_LIST ? NULL : find_obj(f, k, ns, name), *evs;
	struct err e;
	char *text = NULL;

	err_clear(&e);
	if (what == SRC_GET_LIST) {
		text = list_text(f, k, ns);
	} else if (!o) {
		err_set(&e, ERR_NOT_FOUND, "%s \"%s\" not found", k->plural, name);
	} else if (what == SRC_GET_YAML) {
		text = xstrdup(jstr(o, "yaml", "# no YAML in the fixture\n"));
	} else if (what == SRC_GET_LOGS) {
		text = logs_text(f, ns, name, arg);
	} else {
		evs = events_for(f, ns, name);
		text = describe_object(cJSON_GetObjectItem(o, "object"), evs);
		cJSON_Delete(evs);
	}
	later(f, cb, cbarg, &e, text);
}

/* ------------------------------------------------- full-object watches */

/* Every reload of the file is a change of every cache. */
static struct src_objs *fx_objs_watch(struct src *s, const struct kind_info *k,
				      const char *ns, void (*changed)(void *arg), void *arg)
{
	struct fixture *f = (struct fixture *)s;
	struct src_objs *o = xcalloc(1, sizeof(*o));

	o->plural = xstrdup(k->plural);
	o->ns = xstrdup(k->namespaced && ns ? ns : "");
	o->changed = changed;
	o->arg = arg;
	o->next = f->objs;
	f->objs = o;
	return o;
}

static void fx_objs_unwatch(struct src *s, struct src_objs *o)
{
	struct fixture *f = (struct fixture *)s;

	if (!o)
		return;
	for (struct src_objs **p = &f->objs; *p; p = &(*p)->next)
		if (*p == o) {
			*p = o->next;
			break;
		}
	free(o->plural);
	free(o->ns);
	free(o);
}

/* The "object" of each object of the kind in the namespace. */
static int fx_objs_list(struct src *s, struct src_objs *w, struct vec *out,
			struct err *e)
{
	struct fixture *f = (struct fixture *)s;
	const cJSON *o;

	(void)e;
	cJSON_ArrayForEach(o, cJSON_GetObjectItem(f->doc, "objects"))
		if (!strcmp(jstr(o, "resource", ""), w->plural) &&
		    (!w->ns[0] || !strcmp(jstr(o, "namespace", ""), w->ns)) &&
		    cJSON_IsObject(cJSON_GetObjectItem(o, "object")))
			vec_push(out, cJSON_GetObjectItem(o, "object"));
	return 1;
}

/* Write the document back (atomically) and log the operation. */
static void save(struct fixture *f, const char *logline)
{
	char *tmp = xasprintf("%s.tmp", f->path), *log = xasprintf("%s.log", f->path);
	char *text = cJSON_Print(f->doc);
	FILE *fp = fopen(tmp, "we");

	if (fp) {
		fputs(text, fp);
		if (fclose(fp) == 0)
			rename(tmp, f->path);
	}
	fp = fopen(log, "ae");
	if (fp) {
		fprintf(fp, "%s\n", logline);
		fclose(fp);
	}
	cJSON_free(text);
	free(tmp);
	free(log);
	/* The objects the full-object watchers borrow may be gone now. */
	for (struct src_objs *o = f->objs; o; o = o->next)
		o->changed(o->arg);
	atomic_store(&f->changed, 1);
	wake(f);
}

/* Replace "a/b" in the READY cell by "a/n" after a scale. */
static void set_ready_total(struct fixture *f, cJSON *o, const char *plural, int n)
{
	const cJSON *k = kind_json(f, plural), *c;
	cJSON *cells = cJSON_GetObjectItem(o, "cells");
	int i = 0;

	cJSON_ArrayForEach(c, cJSON_GetObjectItem(k, "columns")) {
		cJSON *cell = cJSON_GetArrayItem(cells, i++);

		if (cJSON_IsString(c) && !strcmp(c->valuestring, "READY") &&
		    cJSON_IsString(cell)) {
			char v[64];

			snprintf(v, sizeof(v), "%d/%d", atoi(cell->valuestring), n);
			cJSON_SetValuestring(cell, v);
		}
	}
}

static int do_apply(struct fixture *f, enum src_op op, const struct kind_info *k,
		    cJSON *o, const char *arg, char *line, size_t n, struct err *e)
{
	static const char *const verbs[] = { "delete", "scale", "restart", "put" };
	const char *ns = jstr(o, "namespace", ""), *name = jstr(o, "name", "");

	snprintf(line, n, "%s %s %s/%s %s", verbs[op], k->plural, ns, name,
		 op == SRC_OP_PUT ? "" : arg ? arg : "");
	if (op == SRC_OP_DELETE) {
		cJSON_Delete(cJSON_DetachItemViaPointer(cJSON_GetObjectItem(f->doc, "objects"), o));
	} else if (op == SRC_OP_SCALE) {
		char *end;
		long r = strtol(arg ? arg : "", &end, 10);

		if (!k->scalable)
			return err_set(e, ERR_METHOD, "%s cannot be scaled", k->plural);
		if (end == arg || *end || r < 0 || r > 100000)
			return err_set(e, ERR_INVALID, "replicas must be a number >= 0");
		set_ready_total(f, o, k->plural, (int)r);
	} else if (op == SRC_OP_PUT) {
		if (jbool(f->doc, "conflict_once", 0)) {
			cJSON_ReplaceItemInObject(f->doc, "conflict_once", cJSON_CreateFalse());
			save(f, "conflict");
			return err_set(e, ERR_CONFLICT, "Operation cannot be fulfilled on %s \"%s\": "
				       "the object has been modified; please apply your changes "
				       "to the latest version and try again", k->plural, name);
		}
		cJSON_DeleteItemFromObject(o, "yaml");
		cJSON_AddStringToObject(o, "yaml", arg ? arg : "");
	}
	return 0;
}

static void fx_apply(struct src *s, enum src_op op, const struct kind_info *k,
		     const char *ns, const char *name, const char *arg,
		     src_done_cb cb, void *cbarg)
{
	struct fixture *f = (struct fixture *)s;
	cJSON *o = find_obj(f, k, ns, name);
	char line[1024];
	struct err e;

	err_clear(&e);
	if (!o)
		err_set(&e, ERR_NOT_FOUND, "%s \"%s\" not found", k->plural, name);
	else if (!jbool(f->doc, "reachable", 1))
		err_set(&e, ERR_UNAVAILABLE, "%s", jstr(f->doc, "why", "unreachable"));
	else if (do_apply(f, op, k, o, arg, line, sizeof(line), &e) == 0)
		save(f, line);
	later(f, cb, cbarg, &e, NULL);
}

static void fx_free(struct src *s)
{
	struct fixture *f = (struct fixture *)s;

	if (!f)
		return;
	atomic_store(&f->stop, 1);
	pthread_join(f->poller, NULL);
	while (f->watches)
		fx_unwatch(s, f->watches);
	while (f->objs)
		fx_objs_unwatch(s, f->objs);
	for (size_t i = 0; i < f->pending.len; i++) {
		struct pending *p = f->pending.items[i];

		free(p->text);
		free(p);
	}
	vec_free(&f->pending, NULL);
	vec_free(&f->kinds, kind_info_free);
	cJSON_Delete(f->doc);
	close(f->pipe[0]);
	close(f->pipe[1]);
	free(f->path);
	free(f);
}

static const struct src_ops fixture_ops = {
	.name = "fixture",
	.fd = fx_fd,
	.drain = fx_drain,
	.info = fx_info,
	.kinds = fx_kinds,
	.contexts = fx_contexts,
	.switch_context = fx_switch_context,
	.watch = fx_watch,
	.unwatch = fx_unwatch,
	.get = fx_get,
	.apply = fx_apply,
	.objs_watch = fx_objs_watch,
	.objs_unwatch = fx_objs_unwatch,
	.objs_list = fx_objs_list,
	.free = fx_free,
};

int src_fixture_new(const char *path, struct src **out, struct err *e)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct stat st;

	f->super.ops = &fixture_ops;
	f->path = xstrdup(path);
	if (load(f, e) < 0 || stat(path, &st) < 0) {
		cJSON_Delete(f->doc);
		vec_free(&f->kinds, kind_info_free);
		free(f->path);
		free(f);
		return -1;
	}
	f->mtime = st.st_mtim;
	if (pipe2(f->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		err_set(e, ERR_IO, "pipe: %s", strerror(errno));
		cJSON_Delete(f->doc);
		vec_free(&f->kinds, kind_info_free);
		free(f->path);
		free(f);
		return -1;
	}
	pthread_create(&f->poller, NULL, poll_thread, f);
	*out = &f->super;
	return 0;
}

const struct kind_info *src_kind(struct src *s, const char *plural)
{
	const struct vec *v = s->ops->kinds(s);

	for (size_t i = 0; i < v->len; i++) {
		const struct kind_info *k = v->items[i];

		if (!strcmp(k->plural, plural))
			return k;
	}
	return NULL;
}
