/* SPDX-License-Identifier: Apache-2.0 */
/*
 * objset: the full objects of a few kinds, kept current by the source's
 * object watches (src_ops.objs_watch), for the list views and the owner
 * tree.
 *
 * The watches only say "something changed"; the set then marks itself
 * stale (the borrowed objects may be gone after that drain) and dirty
 * (the view should rebuild).  objset_ensure re-collects references to the
 * cached objects (cJSON reference nodes: no copies) into plural -> array,
 * and objset_due tells the view, at most every OBJSET_COALESCE_MS, that a
 * rebuild is due, so a burst of events is one rebuild.  No timer lists
 * anything: when the watches work nothing is re-listed (the source's
 * informers relist on 410 and errors by themselves).
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "tui/tui.h"

static void changed(void *arg)
{
	struct objset *o = arg;

	o->stale = 1;
	o->dirty = 1;
}

void objset_init(struct objset *o, struct src *src)
{
	memset(o, 0, sizeof(*o));
	o->src = src;
}

static void unwatch_all(struct objset *o)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->w[i].w)
			o->src->ops->objs_unwatch(o->src, o->w[i].w);
	o->n = 0;
}

void objset_watch(struct objset *o, const char *const *plurals, const char *ns)
{
	unwatch_all(o);
	for (size_t i = 0; plurals[i] && o->n < OBJSET_MAX; i++) {
		const struct kind_info *k = src_kind(o->src, plurals[i]);

		if (!k)
			continue;	/* unknown to this cluster: left out */
		snprintf(o->w[o->n].plural, sizeof(o->w[o->n].plural), "%s", k->plural);
		o->w[o->n].w = o->src->ops->objs_watch ?
			o->src->ops->objs_watch(o->src, k, k->namespaced ? ns : "",
						changed, o) : NULL;
		o->n++;
	}
	changed(o);
}

void objset_done(struct objset *o)
{
	unwatch_all(o);
	cJSON_Delete(o->objs);
	cJSON_Delete(o->errs);
	o->objs = o->errs = NULL;
}

/* One kind's references into objs, or its error into errs. */
static int collect(struct objset *o, size_t i)
{
	struct vec items = VEC_INIT;
	struct err e;
	int rc;

	err_clear(&e);
	if (!o->w[i].w) {
		cJSON_AddStringToObject(o->errs, o->w[i].plural,
					"ServiceUnavailable: this source cannot watch objects");
		return -1;
	}
	rc = o->src->ops->objs_list(o->src, o->w[i].w, &items, &e);
	if (rc < 0) {
		char *why = xasprintf("%s: %s", err_reason(e.code), e.msg);

		cJSON_AddStringToObject(o->errs, o->w[i].plural, why);
		free(why);
	} else {
		cJSON *arr = cJSON_AddArrayToObject(o->objs, o->w[i].plural);

		for (size_t j = 0; j < items.len; j++)
			cJSON_AddItemReferenceToArray(arr, items.items[j]);
	}
	vec_free(&items, NULL);
	return rc;
}

int objset_ensure(struct objset *o)
{
	if (!o->stale && o->objs)
		return o->loaded;
	cJSON_Delete(o->objs);
	cJSON_Delete(o->errs);
	o->objs = cJSON_CreateObject();
	o->errs = cJSON_CreateObject();
	o->loaded = 1;
	for (size_t i = 0; i < o->n; i++)
		if (collect(o, i) == 0)
			o->loaded = 0;
	o->stale = 0;
	return o->loaded;
}

int objset_due(struct objset *o, long now_ms)
{
	if (!o->dirty || now_ms - o->built_ms < OBJSET_COALESCE_MS)
		return 0;
	o->dirty = 0;
	o->built_ms = now_ms;
	return 1;
}
