/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_ssa_order: the shape structured-merge-diff gives a server-side
 * apply result, laid over the merge kdeck computes with its patch engines.
 *
 * Order of associative lists (keyed lists, sets): SMD merges the live
 * list (lhs) with the applied one (rhs) walking both at once: elements
 * both have come in the applied list's order, an element only the live
 * list has stays where it was relative to its neighbours, elements only
 * the applied list has come where the applied list puts them.  The
 * strategic merge (or, for custom resources, the key merge) already
 * computed every element's content; this pass only rearranges them.
 *
 * Atomic maps (x-kubernetes-map-type: atomic in a CRD schema, or in the
 * built-in types' table, patch_atomic: label selectors, a Pod's
 * nodeSelector, a Service's selector) are one value for SMD: the applied
 * map replaces the live one as a whole (the strategic or merge patch
 * merged it key by key).
 *
 * Pure functions over cJSON; safe from any thread.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "cluster/api_int.h"
#include "cluster/patch.h"
#include "common/json.h"
#include "common/vec.h"

#define MAX_DEPTH 32

/* How the elements of a list are identified. */
struct ident {
	const cJSON *keys;	/* CR list-map keys (array of names) */
	const char *mk;		/* built-in merge key */
	bool set;		/* the element itself */
};

/* The schema of field name under sch (a property or additionalProperties). */
static const cJSON *sch_field(const cJSON *sch, const char *name)
{
	const cJSON *p;

	if (!sch)
		return NULL;
	p = json_obj(json_obj(sch, "properties"), name);
	return p ? p : json_obj(sch, "additionalProperties");
}

static bool list_ident(const cJSON *sch, const char *parent, const char *name,
		       struct ident *id)
{
	const char *lt;

	memset(id, 0, sizeof(*id));
	if (sch) {
		lt = json_get_str(sch, "x-kubernetes-list-type");
		if (lt && !strcmp(lt, "set"))
			return id->set = true;
		id->keys = json_obj(sch, "x-kubernetes-list-map-keys");
		return lt && !strcmp(lt, "map") && cJSON_GetArraySize(id->keys) > 0;
	}
	switch (patch_list_strategy(parent, name, &id->mk)) {
	case PATCH_LIST_MERGE_KEY:
		return id->mk != NULL;
	case PATCH_LIST_MERGE_SET:
		return id->set = true;
	default:
		return false;
	}
}

/* Does el have the identity of ref (same key fields, or equal as a set item)? */
static bool same_ident(const struct ident *id, const cJSON *el, const cJSON *ref)
{
	const cJSON *k;

	if (id->set)
		return cJSON_Compare(el, ref, true);
	if (!cJSON_IsObject(el) || !cJSON_IsObject(ref))
		return false;
	if (id->mk)
		return cJSON_GetObjectItemCaseSensitive(ref, id->mk) &&
		       cJSON_Compare(cJSON_GetObjectItemCaseSensitive(el, id->mk),
				     cJSON_GetObjectItemCaseSensitive(ref, id->mk), true);
	cJSON_ArrayForEach(k, id->keys)
		if (!cJSON_IsString(k) ||
		    !cJSON_Compare(cJSON_GetObjectItemCaseSensitive(el, k->valuestring),
				   cJSON_GetObjectItemCaseSensitive(ref, k->valuestring), true))
			return false;
	return true;
}

static const cJSON *find_ident(const struct ident *id, const cJSON *list,
			       const cJSON *ref)
{
	const cJSON *el;

	cJSON_ArrayForEach(el, list)
		if (same_ident(id, el, ref))
			return el;
	return NULL;
}

static bool in_vec(const struct vec *v, const struct ident *id, const cJSON *ref)
{
	for (size_t i = 0; i < v->len; i++)
		if (same_ident(id, v->items[i], ref))
			return true;
	return false;
}

/* The next element of rhs (from *ri) that lhs has too, or NULL. */
static const cJSON *next_shared(const struct ident *id, const cJSON *rhs_from,
				const cJSON *lhs)
{
	for (; rhs_from; rhs_from = rhs_from->next)
		if (find_ident(id, lhs, rhs_from))
			return rhs_from;
	return NULL;
}

/*
 * SMD's merged order of lhs (live) and rhs (applied) into order (the
 * elements of lhs or rhs standing for each output position).
 */
static void smd_order(const struct ident *id, const cJSON *lhs, const cJSON *rhs,
		      struct vec *order)
{
	const cJSON *l = lhs ? lhs->child : NULL, *r = rhs ? rhs->child : NULL;
	const cJSON *shared = next_shared(id, r, lhs);
	struct vec merged = VEC_INIT;

	while (l || r) {
		if (l && r) {
			if (same_ident(id, l, r)) {
				vec_push(order, (void *)r);
				vec_push(&merged, (void *)r);
				l = l->next;
				r = r->next;
				shared = next_shared(id, r, lhs);
				continue;
			}
			if (find_ident(id, rhs, l) && shared && !same_ident(id, shared, l)) {
				l = l->next;	/* shared, but not this one's turn */
				continue;
			}
		}
		if (l && !find_ident(id, rhs, l)) {
			vec_push(order, (void *)l);
			l = l->next;
			continue;
		}
		if (l && (!r || in_vec(&merged, id, l))) {
			l = l->next;
			continue;
		}
		vec_push(order, (void *)r);
		vec_push(&merged, (void *)r);
		if (shared && same_ident(id, shared, r))
			shared = next_shared(id, r->next, lhs);
		r = r->next;
	}
	vec_free(&merged, NULL);
}

/* Rearrange list (the merge result) to the order of lhs and rhs. */
static void reorder(const struct ident *id, cJSON *list, const cJSON *lhs,
		    const cJSON *rhs)
{
	struct vec order = VEC_INIT;
	cJSON *out = cJSON_CreateArray(), *el, *next;

	smd_order(id, cJSON_IsArray(lhs) ? lhs : NULL, rhs, &order);
	for (size_t i = 0; i < order.len; i++)
		if ((el = (cJSON *)find_ident(id, list, order.items[i])))
			cJSON_AddItemToArray(out, cJSON_DetachItemViaPointer(list, el));
	for (el = list->child; el; el = next) {	/* what the merge added besides */
		next = el->next;
		cJSON_AddItemToArray(out, cJSON_DetachItemViaPointer(list, el));
	}
	for (el = out->child; el; el = next) {
		next = el->next;
		cJSON_AddItemToArray(list, cJSON_DetachItemViaPointer(out, el));
	}
	cJSON_Delete(out);
	vec_free(&order, NULL);
}

static bool atomic_map(const cJSON *sch)
{
	const char *mt = json_get_str(sch, "x-kubernetes-map-type");

	return mt && !strcmp(mt, "atomic");
}

static void shape(cJSON *nw, const cJSON *old, const cJSON *applied,
		  const char *parent, const cJSON *sch, bool cr, int depth);

/* A list of the applied config: reordered when associative, then its
 * keyed elements shaped in turn.  A custom resource's list without a
 * schema, or not a map/set, is atomic (the merge replaced it). */
static void shape_list(cJSON *nl, const cJSON *ol, const cJSON *al,
		       const char *name, const char *parent, const cJSON *sch,
		       bool cr, int depth)
{
	struct ident id;
	const cJSON *ae;

	if ((cr && !sch) || !list_ident(cr ? sch : NULL, parent, name, &id))
		return;
	reorder(&id, nl, ol, al);
	if (id.set)
		return;
	cJSON_ArrayForEach(ae, al) {
		cJSON *ne = (cJSON *)find_ident(&id, nl, ae);

		if (ne && !cr && patch_atomic(parent, name))	/* atomic elements */
			cJSON_ReplaceItemViaPointer(nl, ne, cJSON_Duplicate(ae, true));
		else
			shape(ne, find_ident(&id, ol, ae), ae, name,
			      cr ? json_obj(sch, "items") : NULL, cr, depth + 1);
	}
}

static void shape(cJSON *nw, const cJSON *old, const cJSON *applied,
		  const char *parent, const cJSON *sch, bool cr, int depth)
{
	const cJSON *a;

	if (!cJSON_IsObject(nw) || !cJSON_IsObject(applied) || depth > MAX_DEPTH)
		return;
	cJSON_ArrayForEach(a, applied) {
		/* metadata follows the built-in rules, whatever a CRD says */
		bool meta = !depth && !strcmp(a->string, "metadata");
		const cJSON *cs = cr && !meta ? sch_field(sch, a->string) : NULL;
		bool c = cr && !meta;
		cJSON *n = cJSON_GetObjectItemCaseSensitive(nw, a->string);
		const cJSON *o = cJSON_IsObject(old) ?
				 cJSON_GetObjectItemCaseSensitive(old, a->string) : NULL;

		if (!n)
			continue;
		if (cJSON_IsObject(a) && (c ? atomic_map(cs) : patch_atomic(parent, a->string)))
			cJSON_ReplaceItemViaPointer(nw, n, cJSON_Duplicate(a, true));
		else if (cJSON_IsArray(a) && cJSON_IsArray(n))
			shape_list(n, o, a, a->string, parent, cs, c, depth + 1);
		else if (cJSON_IsObject(a))
			shape(n, o, a, a->string, cs, c, depth + 1);
	}
}

void api_ssa_shape(cJSON *nw, const cJSON *old, const cJSON *applied,
		   const cJSON *sch)
{
	shape(nw, old, applied, "", sch, sch != NULL, 0);
}
