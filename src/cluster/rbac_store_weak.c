/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rbac_store_weak: TEMPORARY weak link placeholders for the store calls
 * the authorizer makes, so the branch links before the store lands on
 * main.  The store's real (strong) definitions win as soon as they are
 * linked; delete this file (and its rbac.mk line) once store.c is merged.
 * Nothing calls these at run time: without a store, authz_new gets NULL
 * (test_authz uses the last four for its store-backed part).
 */
#include "config.h"

#include "cluster/store.h"
#include "common/mem.h"

#define WEAK __attribute__((weak))

WEAK int64_t store_rev(struct store *st) { (void)st; return 0; }
WEAK char *store_key(const char *group, const char *resource, const char *ns,
		     const char *name)
{
	return xasprintf("/registry/%s.%s/%s%s%s", resource, group,
			 ns ? ns : "", ns && *ns ? "/" : "", name ? name : "");
}
WEAK cJSON *store_obj_parse(const struct store_obj *o)
{
	cJSON *j = cJSON_ParseWithLength(o->json, o->len);

	return j ? j : cJSON_CreateObject();
}
WEAK int store_create(struct store *st, const char *key, cJSON *obj,
		      int64_t *rev_out, struct err *e)
{
	return err_set(e, ERR_UNAVAILABLE, "store not built yet");
}
WEAK int store_update(struct store *st, const char *key, int64_t expect_rev,
		      cJSON *obj, int64_t *rev_out, struct err *e)
{
	return err_set(e, ERR_UNAVAILABLE, "store not built yet");
}
WEAK int store_list(struct store *st, const char *prefix,
		    const char *start_after,
		    int (*fn)(void *arg, const struct store_obj *o), void *arg,
		    int64_t *rev_out, struct err *e)
{
	return err_set(e, ERR_UNAVAILABLE, "store not built yet");
}
WEAK int store_watch(struct store *st, const char *prefix, int64_t from_rev,
		     void (*fn)(void *arg, const struct store_event *ev),
		     void *arg, struct store_watch **out, struct err *e)
{
	return err_set(e, ERR_UNAVAILABLE, "store not built yet");
}
WEAK void store_unwatch(struct store_watch *w) { (void)w; }
WEAK size_t store_count(struct store *st, const char *prefix) { return 0; }
WEAK int store_get(struct store *st, const char *key,
		   const struct store_obj **out, struct err *e)
{
	return err_set(e, ERR_UNAVAILABLE, "store not built yet");
}
WEAK void store_obj_unref(const struct store_obj *o) { (void)o; }
WEAK int store_delete(struct store *st, const char *key, int64_t expect_rev,
		      int64_t *rev_out, struct err *e)
{
	return err_set(e, ERR_UNAVAILABLE, "store not built yet");
}
