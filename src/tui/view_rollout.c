/* SPDX-License-Identifier: Apache-2.0 */
/*
 * view_rollout: `rollout undo` and `rollout history` for Deployments,
 * StatefulSets and DaemonSets (what they compute is in rollout.c).
 *
 * `u` on a table row reads the object and the ReplicaSets (or
 * ControllerRevisions) of its namespace, both asynchronously, and asks
 * "Roll back deployment web to revision 2 (nginx:1.26)?"; y PUTs the
 * object with the old template (its resourceVersion makes a concurrent
 * change a Conflict, not a lost update).  A Conflict (the controller
 * wrote the status meanwhile, say) reads the object again and puts the
 * same revision's template on it, up to UNDO_RETRIES times, without
 * asking again: what the user confirmed is the target revision.  `H` opens the revisions as a
 * live list view (REVISION, NAME, IMAGES, CHANGE-CAUSE, the current one
 * marked); `u` there rolls back to the selected revision.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/mem.h"
#include "common/yaml.h"
#include "tui/tui.h"

#define UNDO_RETRIES 3

/* Ask to roll root back to revision to (<= 0: the previous one), from
 * owned (its kind's revisions objects).  Errors are flashed. */
static void undo_ask(struct app *a, const struct kind_info *k, const cJSON *root,
		     const cJSON *owned, long to, int retries)
{
	struct vec revs = VEC_INIT;
	const struct rollout_rev *t;
	struct err e;
	cJSON *obj;
	const char *ns = json_get_str(root, "metadata.namespace");
	const char *name = json_get_str(root, "metadata.name");

	rollout_revisions(k->plural, root, owned, &revs);
	t = rollout_target(&revs, to, &e);
	if (!t || !name) {
		if (t)
			err_set(&e, ERR_INVALID, "the object has no name");
		app_flash_err(a, &e);
		goto out;
	}
	obj = rollout_undo_object(k->plural, root, t);
	free(a->undo_text);
	a->undo_text = json_print(obj);
	cJSON_Delete(obj);
	kind_info_free(a->target_kind);
	a->target_kind = kind_info_new(k->plural, k->singular, k->kind, k->group,
				       k->shorts, k->namespaced, k->scalable);
	snprintf(a->target_ns, sizeof(a->target_ns), "%s", ns ? ns : "");
	snprintf(a->target_name, sizeof(a->target_name), "%s", name);
	a->undo_rev = t->revision;
	a->undo_retries = retries;
	if (retries > 0) {	/* confirmed before the Conflict */
		rollout_confirmed(a, 1);
		goto out;
	}
	snprintf(a->confirm, sizeof(a->confirm), "Roll back %s %s to revision %ld (%s)?",
		 k->singular, name, t->revision, t->images);
	app_modal(a, MODAL_UNDO, app_top(a), NULL);
out:
	vec_free(&revs, rollout_rev_free);
}

struct undo_req {
	struct app *a;
	struct kind_info *k;
	char ns[128];
	cJSON *root;
	long to;		/* target revision; <= 0 the previous one */
	int retries;
};

static void undo_req_free(struct undo_req *r)
{
	kind_info_free(r->k);
	cJSON_Delete(r->root);
	free(r);
}

static void got_owned(void *arg, const struct err *e, const char *text)
{
	struct undo_req *r = arg;
	struct err pe;
	cJSON *list = NULL;

	if (e->code != ERR_OK)
		app_flash_err(r->a, e);
	else if (!(list = json_parse(text, strlen(text), &pe)))
		app_flash_err(r->a, &pe);
	else
		undo_ask(r->a, r->k, r->root, cJSON_GetObjectItem(list, "items"),
			 r->to, r->retries);
	cJSON_Delete(list);
	undo_req_free(r);
}

static void got_root(void *arg, const struct err *e, const char *text)
{
	struct undo_req *r = arg;
	const struct kind_info *ok = src_kind(r->a->src, rollout_owned_plural(r->k->plural));
	struct err pe;

	if (e->code != ERR_OK) {
		app_flash_err(r->a, e);
	} else if (!(r->root = kyaml_parse(text, strlen(text), &pe))) {
		app_flash_err(r->a, &pe);
	} else if (!ok) {
		app_flash(r->a, 1, "rollout undo: the server has no %s",
			  rollout_owned_plural(r->k->plural));
	} else {
		r->a->src->ops->get(r->a->src, SRC_GET_LIST, ok, r->ns, NULL, NULL,
				    got_owned, r);
		return;
	}
	undo_req_free(r);
}

/* Read the object, then its revisions, then undo_ask. */
static void undo_fetch(struct app *a, const struct kind_info *k, const char *ns,
		       const char *name, long to, int retries)
{
	struct undo_req *r = xcalloc(1, sizeof(*r));

	r->a = a;
	r->k = kind_info_new(k->plural, k->singular, k->kind, k->group, k->shorts,
			     k->namespaced, k->scalable);
	snprintf(r->ns, sizeof(r->ns), "%s", ns);
	r->to = to;
	r->retries = retries;
	a->src->ops->get(a->src, SRC_GET_YAML, k, ns, name, NULL, got_root, r);
}

void rollout_undo_start(struct app *a, const struct kind_info *k,
			const char *ns, const char *name)
{
	if (!rollout_supported(k->plural)) {
		app_flash(a, 1, "rollout undo: only deployments, statefulsets and daemonsets");
		return;
	}
	undo_fetch(a, k, ns, name, 0, 0);
}

struct put_req {
	struct app *a;
	char what[300];
	long to;
	int retries;
};

static void undo_done(void *arg, const struct err *e, const char *text)
{
	struct put_req *r = arg;

	(void)text;
	if (e->code == ERR_CONFLICT && r->retries < UNDO_RETRIES && r->a->target_kind)
		undo_fetch(r->a, r->a->target_kind, r->a->target_ns, r->a->target_name,
			   r->to, r->retries + 1);
	else if (e->code != ERR_OK)
		app_flash_err(r->a, e);
	else
		app_flash(r->a, 0, "rolled back %s", r->what);
	free(r);
}

void rollout_confirmed(struct app *a, int accepted)
{
	struct put_req *r;

	if (accepted && a->undo_text && a->target_kind) {
		r = xcalloc(1, sizeof(*r));
		r->a = a;
		snprintf(r->what, sizeof(r->what), "%s %s", a->target_kind->singular,
			 a->target_name);
		r->to = a->undo_rev;
		r->retries = a->undo_retries;
		a->src->ops->apply(a->src, SRC_OP_PUT, a->target_kind, a->target_ns,
				   a->target_name, a->undo_text, undo_done, r);
	}
	free(a->undo_text);
	a->undo_text = NULL;
}

/* ------------------------------------------------------------ history */

struct hist_ctx {
	struct kind_info *k;
	char name[256];
};

static const cJSON *find_root(const struct hist_ctx *c, const cJSON *objs)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, cJSON_GetObjectItem(objs, c->k->plural)) {
		const char *n = json_get_str(o, "metadata.name");

		if (n && !strcmp(n, c->name))
			return o;
	}
	return NULL;
}

static void hist_build(void *ctx, const cJSON *objs, const cJSON *errs,
		       struct vec *out)
{
	struct hist_ctx *c = ctx;
	const char *owned = rollout_owned_plural(c->k->plural);
	const cJSON *root = find_root(c, objs), *err = cJSON_GetObjectItem(errs, owned);
	struct vec revs = VEC_INIT;

	if (err || !root) {
		vec_push(out, ui_line_new(TS_ERROR, NULL, NULL, NULL, NULL, "%s",
					  err ? cJSON_GetStringValue(err) : "the object is gone"));
		return;
	}
	rollout_revisions(c->k->plural, root, cJSON_GetObjectItem(objs, owned), &revs);
	for (size_t i = revs.len; i-- > 0;) {
		const struct rollout_rev *r = revs.items[i];
		char arg[32];

		snprintf(arg, sizeof(arg), "%ld", r->revision);
		vec_push(out, ui_line_new(r->current ? TS_STATUS_OK : TS_ROW, NULL, NULL,
					  r->name, arg, "%-9ld %-40s %-40s %s%s", r->revision,
					  r->name, r->images, r->cause[0] ? r->cause : "<none>",
					  r->current ? "  (current)" : ""));
	}
	if (!revs.len)
		vec_push(out, ui_line_new(TS_HINT, NULL, NULL, NULL, NULL, "no revisions"));
	vec_free(&revs, rollout_rev_free);
}

static enum view_rc hist_key(void *ctx, struct app *a, struct view *v,
			     const struct ui_line *sel, const cJSON *objs,
			     enum act act, int key)
{
	struct hist_ctx *c = ctx;
	const cJSON *root = find_root(c, objs);

	(void)v;
	(void)key;
	if (act != ACT_UNDO)
		return VIEW_IGNORED;
	if (!sel || !sel->arg || !root) {
		app_flash(a, 1, "rollout undo: no revision selected");
		return VIEW_HANDLED;
	}
	undo_ask(a, c->k, root, cJSON_GetObjectItem(objs, rollout_owned_plural(c->k->plural)),
		 strtol(sel->arg, NULL, 10), 0);
	return VIEW_HANDLED;
}

static void hist_free(void *ctx)
{
	struct hist_ctx *c = ctx;

	kind_info_free(c->k);
	free(c);
}

static const enum act hist_acts[] = { ACT_UNDO, ACT_NONE };

struct view *view_rollout_new(struct app *a, const struct kind_info *k,
			      const char *ns, const char *name)
{
	struct lines_spec sp = { .acts = hist_acts, .build = hist_build,
				 .key = hist_key, .free = hist_free };
	struct hist_ctx *c;

	if (!rollout_supported(k->plural)) {
		app_flash(a, 1, "rollout history: only deployments, statefulsets and daemonsets");
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->k = kind_info_new(k->plural, k->singular, k->kind, k->group, k->shorts,
			     k->namespaced, k->scalable);
	snprintf(c->name, sizeof(c->name), "%s", name);
	sp.ctx = c;
	sp.plurals[0] = c->k->plural;
	sp.plurals[1] = rollout_owned_plural(k->plural);
	snprintf(sp.ns, sizeof(sp.ns), "%s", ns);
	snprintf(sp.title, sizeof(sp.title), "history %s", name);
	snprintf(sp.header, sizeof(sp.header), "%-9s %-40s %-40s %s", "REVISION",
		 "NAME", "IMAGES", "CHANGE-CAUSE");
	return view_lines_new(a, &sp);
}
