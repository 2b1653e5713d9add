/* SPDX-License-Identifier: Apache-2.0 */
/*
 * informer: a list+watch cache of one resource in one namespace (or all),
 * living on the owner thread.
 *
 * State machine:  LIST --ok--> WATCH(rv) --closed--> WATCH(last rv)
 *                   |            |--410 / ERROR 410--> LIST
 *                   |            '--error--> backoff --> WATCH(last rv)
 *                   '--error--> backoff --> LIST      (403: FORBIDDEN, stop)
 * Backoff is 1 s doubling to 30 s, reset by any successful list or event;
 * it is a delayed request on the I/O thread, so no timer is needed here.
 *
 * The cache is a uthash keyed "namespace/name" holding the owned object
 * (object form) or the owned Table row (Table forms; watch events then
 * arrive as one-row Tables).  Memory is what is kept plus the key; the
 * Table forms keep only the row (cells and PartialObjectMetadata), and
 * metadata.managedFields (often half of a small object's metadata) is
 * dropped unless asked for, as client-go's informers commonly do.
 * Callbacks may free the informer: depth counts nested dispatch and the
 * free is deferred to the outermost return.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "client/transport.h"
#include "common/mem.h"

#define INF_BACKOFF_MIN_MS 1000
#define INF_BACKOFF_MAX_MS 30000

struct inf_entry {
	char *key;		/* "ns/name" */
	cJSON *keep;		/* object or Table row (owned) */
	struct informer_item item;
	UT_hash_handle hh;
};

struct informer {
	struct client *c;
	struct informer_opts o;
	char *ns, *label, *field;
	informer_cb cb;
	void *arg;
	enum informer_state state;
	char error[512];
	cJSON *columns;
	struct inf_entry *items;
	char *rv;
	uint64_t req;
	bool need_relist;
	int backoff_ms;
	int depth;
	bool dead;
};

static void inf_list(struct informer *inf, int delay_ms);
static void inf_watch(struct informer *inf, int delay_ms);

static void inf_emit(struct informer *inf, enum informer_event ev,
		     const struct informer_item *it)
{
	if (inf->cb && !inf->dead)
		inf->cb(inf, ev, it, inf->arg);
}

static void inf_set_state(struct informer *inf, enum informer_state st,
			  const char *msg)
{
	if (inf->state == st && !strcmp(inf->error, msg ? msg : ""))
		return;
	inf->state = st;
	snprintf(inf->error, sizeof(inf->error), "%s", msg ? msg : "");
	inf_emit(inf, INFORMER_STATE, NULL);
}

static int inf_next_backoff(struct informer *inf)
{
	int d = inf->backoff_ms ? inf->backoff_ms : INF_BACKOFF_MIN_MS;

	inf->backoff_ms = d * 2 > INF_BACKOFF_MAX_MS ? INF_BACKOFF_MAX_MS
						     : d * 2;
	return d;
}

static void inf_set_rv(struct informer *inf, const char *rv)
{
	if (!rv || !*rv)
		return;
	free(inf->rv);
	inf->rv = xstrdup(rv);
}

/* Wrap an object or Table row into a new (unlinked) entry. */
static struct inf_entry *inf_entry_new(const struct informer *inf, cJSON *keep)
{
	bool table = inf->o.form != CLIENT_FORM_OBJECT;
	const cJSON *obj = table ? client_jget(keep, "object", NULL) : keep;
	const char *ns = client_jstr(obj, "metadata", "namespace");
	const char *name = client_jstr(obj, "metadata", "name");
	struct inf_entry *en;

	if (!name) {
		cJSON_Delete(keep);
		return NULL;
	}
	if (!inf->o.keep_managed_fields)
		cJSON_DeleteItemFromObjectCaseSensitive(
			client_jget(obj, "metadata", NULL), "managedFields");
	en = xcalloc(1, sizeof(*en));
	en->key = xasprintf("%s/%s", ns ? ns : "", name);
	en->keep = keep;
	en->item.ns = ns ? ns : "";
	en->item.name = name;
	en->item.resource_version = client_jstr(obj, "metadata",
						"resourceVersion");
	en->item.obj = obj;
	en->item.cells = table ? client_jget(keep, "cells", NULL) : NULL;
	return en;
}

static void inf_entry_free(struct inf_entry *en)
{
	if (!en)
		return;
	free(en->key);
	cJSON_Delete(en->keep);
	free(en);
}

static void inf_clear(struct informer *inf)
{
	struct inf_entry *en, *tmp;

	HASH_ITER(hh, inf->items, en, tmp) {
		HASH_DEL(inf->items, en);
		inf_entry_free(en);
	}
}

static void inf_take_columns(struct informer *inf, cJSON *table)
{
	cJSON *cols = cJSON_DetachItemFromObjectCaseSensitive(
		table, "columnDefinitions");

	if (cJSON_IsArray(cols) && cJSON_GetArraySize(cols)) {
		cJSON_Delete(inf->columns);
		inf->columns = cols;
	} else {
		cJSON_Delete(cols);
	}
}

static void inf_list_done(struct client_resp *r, void *arg)
{
	struct informer *inf = arg;
	cJSON *arr, *it;

	inf->req = 0;
	if (r->err.code != ERR_OK || !r->json) {
		if (r->err.code == ERR_FORBIDDEN) {
			inf_set_state(inf, INFORMER_FORBIDDEN, r->err.msg);
			return;
		}
		inf_set_state(inf, INFORMER_ERROR, r->err.code ? r->err.msg :
			      "list: answer is not JSON");
		inf_list(inf, inf_next_backoff(inf));
		return;
	}
	inf->backoff_ms = 0;
	inf_clear(inf);
	if (inf->o.form != CLIENT_FORM_OBJECT)
		inf_take_columns(inf, r->json);
	arr = cJSON_DetachItemFromObjectCaseSensitive(
		r->json, inf->o.form != CLIENT_FORM_OBJECT ? "rows" : "items");
	while (cJSON_IsArray(arr) && (it = cJSON_DetachItemFromArray(arr, 0))) {
		struct inf_entry *en = inf_entry_new(inf, it), *old = NULL;
		if (!en)
			continue;
		HASH_FIND_STR(inf->items, en->key, old);
		if (old) {
			HASH_DEL(inf->items, old);
			inf_entry_free(old);
		}
		HASH_ADD_KEYPTR(hh, inf->items, en->key, strlen(en->key), en);
	}
	cJSON_Delete(arr);
	free(inf->rv);
	inf->rv = NULL;
	inf_set_rv(inf, client_jstr(r->json, "metadata", "resourceVersion"));
	inf->need_relist = false;
	inf_emit(inf, INFORMER_RELISTED, NULL);
	inf_set_state(inf, INFORMER_SYNCED, NULL);
	inf_watch(inf, 0);
}

static void inf_apply(struct informer *inf, enum watch_type t, cJSON *keep)
{
	struct inf_entry *en = inf_entry_new(inf, keep), *old = NULL;

	if (!en)
		return;
	inf_set_rv(inf, en->item.resource_version);
	HASH_FIND_STR(inf->items, en->key, old);
	if (t == WATCH_DELETED) {
		if (old)
			HASH_DEL(inf->items, old);
		inf_emit(inf, INFORMER_DELETED, &en->item);
		inf_entry_free(old);
		inf_entry_free(en);
		return;
	}
	if (old) {
		HASH_DEL(inf->items, old);
		inf_entry_free(old);
	}
	HASH_ADD_KEYPTR(hh, inf->items, en->key, strlen(en->key), en);
	inf_emit(inf, old ? INFORMER_MODIFIED : INFORMER_ADDED, &en->item);
}

/* A watch event; in Table forms obj is a Table of (usually) one row. */
static void inf_event(enum watch_type t, cJSON *obj, void *arg)
{
	struct informer *inf = arg;
	const char *kind = client_jstr(obj, "kind", NULL);
	cJSON *rows, *row;

	inf->backoff_ms = 0;
	if (t != WATCH_ERROR && inf->state == INFORMER_ERROR)
		inf_set_state(inf, INFORMER_SYNCED, NULL);	/* recovered */
	if (t == WATCH_ERROR) {
		int64_t code = (int64_t)cJSON_GetNumberValue(
			client_jget(obj, "code", NULL));
		if (code == 410)
			inf->need_relist = true;
		else
			inf_set_state(inf, INFORMER_ERROR,
				      client_jstr(obj, "message", NULL));
	} else if (t == WATCH_BOOKMARK) {
		inf_set_rv(inf, client_jstr(obj, "metadata", "resourceVersion"));
	} else if (kind && !strcmp(kind, "Table")) {
		inf_take_columns(inf, obj);
		rows = cJSON_DetachItemFromObjectCaseSensitive(obj, "rows");
		while (cJSON_IsArray(rows) &&
		       (row = cJSON_DetachItemFromArray(rows, 0)))
			inf_apply(inf, t, row);
		cJSON_Delete(rows);
	} else if (inf->o.form == CLIENT_FORM_OBJECT) {
		inf_apply(inf, t, obj);
		return;
	} else {	/* plain object where a row was expected */
		cJSON *wrap = cJSON_CreateObject();
		cJSON_AddItemToObject(wrap, "object", obj);
		cJSON_AddItemToObject(wrap, "cells", cJSON_CreateArray());
		inf_apply(inf, t, wrap);
		return;
	}
	cJSON_Delete(obj);
}

static void inf_watch_done(struct client_resp *r, void *arg)
{
	struct informer *inf = arg;

	inf->req = 0;
	if (r->err.code == ERR_GONE || inf->need_relist) {
		inf_set_state(inf, INFORMER_SYNCING, NULL);
		inf_list(inf, 0);
	} else if (r->err.code == ERR_FORBIDDEN) {
		inf_set_state(inf, INFORMER_FORBIDDEN, r->err.msg);
	} else if (r->err.code != ERR_OK) {
		inf_set_state(inf, INFORMER_ERROR, r->err.msg);
		inf_watch(inf, inf_next_backoff(inf));
	} else {
		if (inf->state == INFORMER_ERROR)
			inf_set_state(inf, INFORMER_SYNCED, NULL);
		inf_watch(inf, 0);	/* closed normally: resume */
	}
}

/* Each callback runs inside depth accounting so a free is deferred. */
static void inf_guard_list(struct client_resp *r, void *arg)
{
	struct informer *inf = arg;

	inf->depth++;
	inf_list_done(r, inf);
	if (--inf->depth == 0 && inf->dead)
		informer_free(inf);
}

static void inf_guard_event(enum watch_type t, cJSON *obj, void *arg)
{
	struct informer *inf = arg;

	inf->depth++;
	inf_event(t, obj, inf);
	if (--inf->depth == 0 && inf->dead)
		informer_free(inf);
}

static void inf_guard_watch(struct client_resp *r, void *arg)
{
	struct informer *inf = arg;

	inf->depth++;
	inf_watch_done(r, inf);
	if (--inf->depth == 0 && inf->dead)
		informer_free(inf);
}

static void inf_list(struct informer *inf, int delay_ms)
{
	struct buf path = BUF_INIT;
	char *p = client_path(&inf->o.gvr, inf->ns, NULL, NULL);

	buf_adds(&path, p);
	free(p);
	if (inf->label)
		client_url_param(&path, "labelSelector", inf->label);
	if (inf->field)
		client_url_param(&path, "fieldSelector", inf->field);
	if (inf->o.form == CLIENT_FORM_TABLE_OBJECT)
		client_url_param(&path, "includeObject", "Object");
	inf->req = client_request(inf->c, &(struct client_req){
		.path = buf_cstr(&path),
		.accept = inf->o.form == CLIENT_FORM_OBJECT ?
			  CLIENT_ACCEPT_JSON : CLIENT_ACCEPT_TABLE,
		.prio = CLIENT_PRIO_BACKGROUND, .delay_ms = delay_ms,
		.timeout_ms = 120000,
		.drop_managed_fields = !inf->o.keep_managed_fields },
		inf_guard_list, inf);
	buf_free(&path);
}

static void inf_watch(struct informer *inf, int delay_ms)
{
	struct buf path = BUF_INIT;
	char *p = client_path(&inf->o.gvr, inf->ns, NULL, NULL), num[16];

	buf_adds(&path, p);
	free(p);
	client_url_param(&path, "watch", "true");
	client_url_param(&path, "allowWatchBookmarks", "true");
	if (inf->rv)
		client_url_param(&path, "resourceVersion", inf->rv);
	snprintf(num, sizeof(num), "%d", 300 + rand() % 300);
	client_url_param(&path, "timeoutSeconds", num);
	if (inf->label)
		client_url_param(&path, "labelSelector", inf->label);
	if (inf->field)
		client_url_param(&path, "fieldSelector", inf->field);
	if (inf->o.form == CLIENT_FORM_TABLE_OBJECT)
		client_url_param(&path, "includeObject", "Object");
	inf->req = client_stream(inf->c, &(struct client_req){
		.path = buf_cstr(&path),
		.accept = inf->o.form == CLIENT_FORM_OBJECT ?
			  CLIENT_ACCEPT_JSON : CLIENT_ACCEPT_TABLE,
		.delay_ms = delay_ms }, inf_guard_event, inf_guard_watch, inf);
	buf_free(&path);
}

struct informer *client_informer_new(struct client *c,
				     const struct informer_opts *o,
				     informer_cb cb, void *arg)
{
	struct informer *inf = xcalloc(1, sizeof(*inf));

	inf->c = c;
	inf->o = *o;
	inf->ns = o->ns && *o->ns ? xstrdup(o->ns) : NULL;
	inf->label = o->label_selector && *o->label_selector ?
		     xstrdup(o->label_selector) : NULL;
	inf->field = o->field_selector && *o->field_selector ?
		     xstrdup(o->field_selector) : NULL;
	inf->o.ns = inf->ns;
	inf->o.label_selector = inf->label;
	inf->o.field_selector = inf->field;
	inf->cb = cb;
	inf->arg = arg;
	inf->state = INFORMER_SYNCING;
	vec_push(&c->informers, inf);
	inf_list(inf, 0);
	return inf;
}

void informer_free(struct informer *inf)
{
	struct vec *v;

	if (!inf)
		return;
	if (inf->req) {
		client_cancel(inf->c, inf->req);
		inf->req = 0;
	}
	v = &inf->c->informers;
	for (size_t i = 0; i < v->len; i++)
		if (v->items[i] == inf) {
			vec_remove(v, i);
			break;
		}
	if (inf->depth > 0) {
		inf->dead = true;
		return;
	}
	inf_clear(inf);
	cJSON_Delete(inf->columns);
	free(inf->ns);
	free(inf->label);
	free(inf->field);
	free(inf->rv);
	free(inf);
}

enum informer_state informer_state(const struct informer *inf)
{
	return inf->state;
}

const char *informer_error(const struct informer *inf)
{
	return inf->error;
}

const cJSON *informer_columns(const struct informer *inf)
{
	return inf->columns;
}

size_t informer_count(const struct informer *inf)
{
	return HASH_COUNT(inf->items);
}

const struct informer_item *informer_get(const struct informer *inf,
					 const char *ns, const char *name)
{
	char *key = xasprintf("%s/%s", ns ? ns : "", name);
	struct inf_entry *en = NULL;

	HASH_FIND_STR(inf->items, key, en);
	free(key);
	return en ? &en->item : NULL;
}

static int inf_cmp(const void *a, const void *b)
{
	const struct informer_item *x = *(const struct informer_item *const *)a;
	const struct informer_item *y = *(const struct informer_item *const *)b;
	int d = strcmp(x->ns, y->ns);

	return d ? d : strcmp(x->name, y->name);
}

void informer_list(const struct informer *inf, struct vec *out)
{
	struct inf_entry *en, *tmp;
	size_t start = out->len;

	HASH_ITER(hh, inf->items, en, tmp)
		vec_push(out, &en->item);
	if (out->len > start)
		qsort(out->items + start, out->len - start, sizeof(void *),
		      inf_cmp);
}
