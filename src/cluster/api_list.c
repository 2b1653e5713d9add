/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_list: LIST with label/field selectors, limit/continue paging,
 * resourceVersion semantics, and Table output (for lists, single objects
 * and watch events).
 *
 * Lists are served from the store's in-memory state (the latest revision)
 * unless they must show an older one: the pages after the first read the
 * revision of the first page from the store's revision log (a consistent
 * snapshot, as etcd gives kube-apiserver), and so does resourceVersion=N
 * with resourceVersionMatch=Exact or with a limit; below the compacted
 * revision that is 410.  A revision ahead of the store is 504 like the
 * apiserver's "Too large resource version".  Items are spliced into the
 * body as the stored JSON text when no filtering or Table is needed, which
 * keeps a 10,000-pod LIST cheap: without a limit (no continue token to
 * compute after the last item) they go straight into the response body,
 * sized beforehand, behind a head written as soon as the store has told
 * the revision - one copy of each object and no reallocation.
 *
 * Continue tokens are opaque: "<rev>/<hex of the last key>".  A token
 * older than the compacted revision is 410 Expired, a malformed one 400.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "cluster/api_int.h"
#include "cluster/crd.h"
#include "cluster/table.h"
#include "common/json.h"
#include "common/mem.h"

struct list_ctx {
	const struct api_route *rt;
	struct api_filter *f;
	const char *include;
	struct buf *b;
	int64_t limit;
	size_t n;
	char *last_key;
	bool more;
	bool multi_version;	/* stored apiVersion may differ from the URL's */
	bool direct;		/* b is the response body: head, items, tail */
	bool head_done;
	bool memo;		/* labels and Table rows from list memos */
	time_t now;		/* the Table's ages are at this time */
	int64_t rev;		/* set by store_list before the first item */
	char av[160];
};

static void list_head(struct buf *b, const struct reg_kind *k);

/* Direct mode: the list's head up to the items' '[' (once). */
static void direct_head(struct list_ctx *c)
{
	if (!c->direct || c->head_done)
		return;
	list_head(c->b, c->rt->k);
	buf_printf(c->b, "\"resourceVersion\":\"%lld\"},\"items\":[",
		   (long long)c->rev);
	c->head_done = true;
}

static void add_item(struct list_ctx *c, const struct store_obj *o,
		     cJSON *obj)
{
	direct_head(c);
	if (c->rt->table) {
		api_table_row(c->b, c->rt->k, obj, c->include, c->n == 0);
	} else if (obj) {
		char *s = cJSON_PrintUnformatted(obj);

		if (c->n)
			buf_addc(c->b, ',');
		buf_adds(c->b, s);
		free(s);
	} else {
		if (c->n)
			buf_addc(c->b, ',');
		buf_add(c->b, o->json, o->len);
	}
	c->n++;
}

/* The stored text already names the URL's apiVersion. */
static bool av_matches(const struct list_ctx *c, const struct store_obj *o)
{
	size_t n = strlen(c->av);
	const char *at = memmem(o->json, o->len, c->av, n);

	return at && (size_t)(at - o->json) + n < o->len && at[n] == '"';
}

/*
 * From the memo: 1 = item added, 0 = filtered out, -1 = the memo cannot
 * serve this object (parse it).
 */
static int list_memo_item(struct list_ctx *c, const struct store_obj *o)
{
	const struct list_memo *m = api_list_memo(o, c->rt->k);

	if (!m)
		return -1;
	if (!api_filter_labels_match(c->f, api_list_memo_labels(m)))
		return 0;
	if (c->rt->table) {
		direct_head(c);
		if (!api_list_memo_row(c->b, m, c->include, c->n == 0, c->now))
			return -1;
	} else {
		if (!av_matches(c, o))
			return -1;
		add_item(c, o, NULL);
		return 1;
	}
	c->n++;
	return 1;
}

static void list_keep_last(struct list_ctx *c, const struct store_obj *o)
{
	free(c->last_key);
	c->last_key = xstrdup(o->key);
}

static int list_fn(void *arg, const struct store_obj *o)
{
	struct list_ctx *c = arg;
	cJSON *obj = NULL;
	const char *av;
	int r;

	if (c->limit > 0 && (int64_t)c->n >= c->limit) {
		c->more = true;
		return 1;
	}
	if (c->memo && (r = list_memo_item(c, o)) >= 0) {
		if (r)
			list_keep_last(c, o);
		return 0;
	}
	/* Parse only when filtering, printing, fixing the apiVersion or
	 * defaulting a custom resource. */
	if (!api_filter_empty(c->f) || c->rt->table || c->multi_version ||
	    (c->rt->k->flags & REG_CUSTOM)) {
		obj = store_obj_parse(o);
		if (c->rt->k->flags & REG_CUSTOM)
			crd_default(c->rt->k, obj);
		av = json_get_str(obj, "apiVersion");
		if (!av || strcmp(av, c->av + 14))
			api_set_type(obj, c->rt->k);
		if (!api_filter_match(c->f, c->rt->k, obj)) {
			cJSON_Delete(obj);
			return 0;
		}
	}
	add_item(c, o, obj);
	cJSON_Delete(obj);
	list_keep_last(c, o);
	return 0;
}

/*
 * Memos serve built-in kinds without field selectors: Table rows, and the
 * label match of a JSON list (whose items are the stored text).
 */
static bool use_memo(const struct list_ctx *c)
{
	if ((c->rt->k->flags & REG_CUSTOM) || api_filter_has_fields(c->f))
		return false;
	if (c->rt->table)
		return !c->include || strcmp(c->include, "Object");
	return !api_filter_empty(c->f) && !c->multi_version;
}

#define CONTINUE_TOO_OLD "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."

static char *continue_token(int64_t rev, const char *key)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%lld/", (long long)rev);
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		buf_printf(&b, "%02x", *p);
	return buf_take(&b);
}

/* Decode a continue token into the key to start after and its revision. */
static int parse_continue(struct api *api, const char *tok, char **key,
			  int64_t *rev_out, struct err *e)
{
	char *end;
	long long rev = strtoll(tok, &end, 10);
	size_t n;
	char *k;

	if (end == tok || *end != '/' || (strlen(end + 1) % 2))
		return err_set(e, ERR_BAD_REQUEST, "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
	if (rev < store_compacted_rev(api->st))
		return err_set(e, ERR_GONE, "%s", CONTINUE_TOO_OLD);
	n = strlen(end + 1) / 2;
	k = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		if (sscanf(end + 1 + 2 * i, "%2x", &v) != 1) {
			free(k);
			return err_set(e, ERR_BAD_REQUEST, "continue key is not valid: invalid key");
		}
		k[i] = (char)v;
	}
	k[n] = 0;
	*key = k;
	*rev_out = rev;
	return 0;
}

#define LISTOPT_INVALID "ListOptions.meta.k8s.io \"\" is invalid: "

/*
 * The revision a list reads (*snap; 0 = the current state), from
 * resourceVersion, resourceVersionMatch, limit and the continue token's
 * revision (cont_rev, 0 without one), by the apiserver's table:
 *   rv unset: most recent, or the token's revision when continuing;
 *   rv "0": any (the current state);
 *   rv N: Exact when resourceVersionMatch=Exact or with a limit (and no
 *         continue), else not older than N (the current state).
 * Errors as ValidateListOptions and the storage layer word them.
 */
static int check_rv(struct api *api, const struct api_req *req,
		    int64_t cont_rev, bool limited, int64_t *snap,
		    struct err *e)
{
	const char *rv = api_query(req, "resourceVersion");
	const char *match = api_query(req, "resourceVersionMatch");
	int64_t cur = store_rev(api->st), want;
	bool exact = match && !strcmp(match, "Exact");
	char *end;

	*snap = cont_rev;
	if (match && match[0]) {
		if (!rv || !rv[0])
			return err_set(e, ERR_INVALID, LISTOPT_INVALID "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided");
		if (cont_rev)
			return err_set(e, ERR_INVALID, LISTOPT_INVALID "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided");
		if (!exact && strcmp(match, "NotOlderThan"))
			return err_set(e, ERR_INVALID, LISTOPT_INVALID "resourceVersionMatch: Unsupported value: \"%s\": supported values: \"Exact\", \"NotOlderThan\", \"\"", match);
		if (exact && !strcmp(rv, "0"))
			return err_set(e, ERR_INVALID, LISTOPT_INVALID "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
	}
	if (!rv || !rv[0] || !strcmp(rv, "0"))
		return 0;
	want = strtoll(rv, &end, 10);
	if (*end || want < 0)
		return err_set(e, ERR_BAD_REQUEST, "resourceVersion: Invalid value: \"%s\": must be a valid resource version", rv);
	if (cont_rev)
		return err_set(e, ERR_BAD_REQUEST, "specifying resource version is not allowed when using continue");
	if (want > cur)
		return err_set(e, ERR_TIMEOUT, "Timeout: Too large resource version: %lld, current: %lld",
			       (long long)want, (long long)cur);
	if (exact || (limited && !match)) {
		if (want < store_compacted_rev(api->st))
			return err_set(e, ERR_GONE, "The resourceVersion for the provided list is too old.");
		*snap = want;
	}
	return 0;
}

static void list_head(struct buf *b, const struct reg_kind *k)
{
	char av[160];

	reg_api_version(k, av, sizeof(av));
	buf_printf(b, "{\"kind\":\"%sList\",\"apiVersion\":\"%s\",\"metadata\":{",
		   k->kind, av);
}

static void list_body(struct list_ctx *c, int64_t rev, struct buf *out)
{
	char *tok = c->more ? continue_token(rev, c->last_key) : NULL;

	if (c->rt->table) {
		api_table_begin(out, c->rt->k, NULL, tok);
		buf_add(out, buf_cstr(c->b), c->b->len);
		api_table_end(out);
		/* the resourceVersion goes in the metadata opened above */
	} else {
		list_head(out, c->rt->k);
		buf_printf(out, "\"resourceVersion\":\"%lld\"", (long long)rev);
		if (tok)
			buf_printf(out, ",\"continue\":\"%s\"", tok);
		buf_adds(out, "},\"items\":[");
		buf_add(out, c->b->data ? c->b->data : "", c->b->len);
		buf_adds(out, "]}");
	}
	free(tok);
}

static int size_fn(void *arg, const struct store_obj *o)
{
	*(size_t *)arg += o->len + 1;
	return 0;
}

/*
 * Ask for huge pages under a large body: a 10,000-pod list is ~17 MB, and
 * faulting that in 4 KiB pages (on every LIST: the body is freed once
 * sent) costs more than copying the items.  Advice only; ignored when
 * transparent huge pages are off.
 */
static void advise_huge(struct buf *b)
{
	const uintptr_t huge = 2u << 20;
	uintptr_t lo = ((uintptr_t)b->data + huge - 1) & ~(huge - 1);
	uintptr_t hi = ((uintptr_t)b->data + b->cap) & ~(huge - 1);

	if (b->cap >= 4 * huge && hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}

/*
 * Direct mode (no limit, no Table): reserve the body for every stored
 * item (an upper bound when a selector filters), then let list_fn write
 * into it.  The sizing pass and the list are separate reads; a write in
 * between only makes the reservation a little off.
 */
static void direct_begin(struct api *api, struct list_ctx *c,
			 const char *prefix, const char *start,
			 struct api_resp *resp)
{
	size_t need = 256;
	struct err e;

	c->direct = true;
	c->b = &resp->body;
	buf_reset(c->b);
	if (store_list(api->st, prefix, start, size_fn, &need, NULL, &e) == 0) {
		buf_reserve(c->b, need);
		advise_huge(c->b);
	}
}

void api_list(struct api *api, const struct api_req *req,
	      struct api_route *rt, struct api_resp *resp)
{
	struct buf items = BUF_INIT;
	struct list_ctx c = { .rt = rt, .b = &items };
	const char *lim = api_query(req, "limit"), *cont = api_query(req, "continue");
	char *prefix = api_prefix(rt->k, rt->ns), *start = NULL;
	int64_t rev = 0, cont_rev = 0, snap = 0;
	struct err e;
	const char *vers[4];
	int rc = -1;

	c.multi_version = reg_group_versions(rt->k->group, vers, 4) > 1 ||
			  api_conv_applies(rt->k);
	c.include = api_query(req, "includeObject");
	c.limit = lim ? strtoll(lim, NULL, 10) : 0;
	snprintf(c.av, sizeof(c.av), "\"apiVersion\":\"");
	reg_api_version(rt->k, c.av + 14, sizeof(c.av) - 14);
	if ((cont && cont[0] && parse_continue(api, cont, &start, &cont_rev, &e) < 0) ||
	    check_rv(api, req, cont_rev, c.limit > 0, &snap, &e) < 0 ||
	    api_filter_new(req, rt->k, &c.f, &e) < 0)
		goto out;
	/* an older revision comes from the log: objects built for this
	 * list only, whose memo would be thrown away */
	c.memo = use_memo(&c) && (snap <= 0 || snap >= store_rev(api->st));
	c.now = time(NULL);
	if (c.limit <= 0 && !rt->table)
		direct_begin(api, &c, prefix, start, resp);
	if (store_list_at(api->st, snap, prefix, start, list_fn, &c, &c.rev, &e) < 0) {
		if (e.code == ERR_GONE && cont_rev)
			err_set(&e, ERR_GONE, "%s", CONTINUE_TOO_OLD);
		goto out;
	}
	rev = c.rev;
	if (c.direct) {
		direct_head(&c);
		buf_adds(&resp->body, "]}");
	} else {
		buf_reset(&resp->body);
		list_body(&c, rev, &resp->body);
	}
	if (rt->table)
		api_table_set_rv(&resp->body, rev);
	resp->status = 200;
	resp->content_type = "application/json";
	pthread_mutex_lock(&api->lock);
	api->list_items += c.n;
	pthread_mutex_unlock(&api->lock);
	rc = 0;
out:
	if (rc < 0) {
		buf_reset(&resp->body);
		api_reply_err(resp, &e, NULL);
	}
	api_filter_free(c.f);
	buf_free(&items);
	free(c.last_key);
	free(prefix);
	free(start);
}

/* --- Table bodies --- */

void api_table_begin(struct buf *b, const struct reg_kind *k,
		     const char *rv, const char *cont)
{
	buf_adds(b, "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{");
	if (rv) {
		buf_adds(b, "\"resourceVersion\":");
		buf_add_json_str(b, rv);
	} else {
		buf_adds(b, "\"resourceVersion\":\"@RV@\"");
	}
	if (cont) {
		buf_adds(b, ",\"continue\":");
		buf_add_json_str(b, cont);
	}
	buf_adds(b, "},\"columnDefinitions\":");
	if (k->flags & REG_CUSTOM)
		crd_table_defs(k, b);
	else
		table_column_defs(k->kind, b);
	buf_adds(b, ",\"rows\":[");
}

void api_table_set_rv(struct buf *b, int64_t rev)
{
	char *at = strstr(b->data, "\"@RV@\"");
	char num[32];
	int n;

	if (!at)
		return;
	n = snprintf(num, sizeof(num), "\"%lld\"", (long long)rev);
	memmove(at + n, at + 6, strlen(at + 6) + 1);
	memcpy(at, num, (size_t)n);
	b->len = strlen(b->data);
}

static void partial_metadata(struct buf *b, const cJSON *obj)
{
	const cJSON *md = json_obj(obj, "metadata");
	char *s = md ? cJSON_PrintUnformatted(md) : xstrdup("{}");

	buf_adds(b, "{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":");
	buf_adds(b, s);
	buf_addc(b, '}');
	free(s);
}

void api_table_row(struct buf *b, const struct reg_kind *k,
		   const cJSON *obj, const char *include, bool first)
{
	if (!first)
		buf_addc(b, ',');
	buf_adds(b, "{\"cells\":");
	if (k->flags & REG_CUSTOM)
		crd_table_cells(k, obj, time(NULL), b);
	else
		table_cells(k->kind, obj, time(NULL), b);
	if (!include || !strcmp(include, "Metadata")) {
		buf_adds(b, ",\"object\":");
		partial_metadata(b, obj);
	} else if (!strcmp(include, "Object")) {
		char *s = cJSON_PrintUnformatted(obj);

		buf_adds(b, ",\"object\":");
		buf_adds(b, s);
		free(s);
	}
	buf_addc(b, '}');
}

void api_table_end(struct buf *b)
{
	buf_adds(b, "]}");
}
