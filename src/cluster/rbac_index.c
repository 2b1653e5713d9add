/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rbac_index: the authorizer's in-memory copy of the RBAC objects.
 *
 * One hash table per kind maps "<namespace>/<name>" to the parsed object.
 * Bindings are also filed under every subject they name, in buckets keyed
 * "<binding namespace>\x1f<u|g>:<name>" (ServiceAccount subjects become
 * the user "system:serviceaccount:<ns>:<name>", the namespace defaulting
 * to the binding's as in Kubernetes).  A decision for a user with G groups
 * therefore looks at 2 * (1 + G) buckets and visits only the bindings that
 * name it: O(bindings of the user's subjects), not O(all bindings).
 *
 * The index does no locking; authz.c guards it with a rwlock (writers:
 * the store watch callback; readers: every decision).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "cluster/rbac.h"
#include "common/mem.h"

struct rbac_entry {
	char *key;		/* "<ns>/<name>" */
	enum rbac_kind kind;
	cJSON *obj;
	struct vec buckets;	/* bindings: the buckets holding this entry */
	UT_hash_handle hh;
};

struct rbac_bucket {
	char *key;
	struct vec entries;	/* struct rbac_entry *, borrowed */
	UT_hash_handle hh;
};

struct rbac_index {
	struct rbac_entry *kinds[RBAC__KINDS];
	struct rbac_bucket *buckets;
};

static const struct {
	const char *resource, *kind;
} kind_names[RBAC__KINDS] = {
	[RBAC_ROLE] = { "roles", "Role" },
	[RBAC_CLUSTER_ROLE] = { "clusterroles", "ClusterRole" },
	[RBAC_ROLE_BINDING] = { "rolebindings", "RoleBinding" },
	[RBAC_CLUSTER_ROLE_BINDING] = { "clusterrolebindings",
					"ClusterRoleBinding" },
};

int rbac_kind_from_resource(const char *resource)
{
	for (int k = 0; k < RBAC__KINDS; k++)
		if (resource && strcmp(kind_names[k].resource, resource) == 0)
			return k;
	return -1;
}

int rbac_kind_from_kind(const char *kind)
{
	for (int k = 0; k < RBAC__KINDS; k++)
		if (kind && strcmp(kind_names[k].kind, kind) == 0)
			return k;
	return -1;
}

const char *rbac_kind_resource(enum rbac_kind k)
{
	return kind_names[k].resource;
}

struct rbac_index *rbac_index_new(void)
{
	return xcalloc(1, sizeof(struct rbac_index));
}

static const char *str_at(const cJSON *o, const char *a, const char *b)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, a);

	if (b)
		it = cJSON_GetObjectItemCaseSensitive(it, b);
	return cJSON_IsString(it) ? it->valuestring : "";
}

static void unfile(struct rbac_index *ix, struct rbac_entry *en)
{
	for (size_t i = 0; i < en->buckets.len; i++) {
		struct rbac_bucket *b = en->buckets.items[i];

		for (size_t j = b->entries.len; j-- > 0;)
			if (b->entries.items[j] == en)
				vec_remove(&b->entries, j);
		if (b->entries.len == 0) {
			HASH_DEL(ix->buckets, b);
			vec_free(&b->entries, NULL);
			free(b->key);
			free(b);
		}
	}
	vec_free(&en->buckets, NULL);
}

static void file_under(struct rbac_index *ix, struct rbac_entry *en,
		       const char *key)
{
	struct rbac_bucket *b;

	HASH_FIND_STR(ix->buckets, key, b);
	if (!b) {
		b = xcalloc(1, sizeof(*b));
		b->key = xstrdup(key);
		HASH_ADD_KEYPTR(hh, ix->buckets, b->key, strlen(b->key), b);
	}
	for (size_t j = 0; j < b->entries.len; j++)
		if (b->entries.items[j] == en)
			return;	/* the same subject named twice */
	vec_push(&b->entries, en);
	vec_push(&en->buckets, b);
}

/* The bucket key of one subject of a binding in ns, or NULL. */
static char *subject_key(const cJSON *s, const char *ns)
{
	const char *kind = str_at(s, "kind", NULL);
	const char *name = str_at(s, "name", NULL);
	const char *sns = str_at(s, "namespace", NULL);

	if (strcmp(kind, "User") == 0)
		return xasprintf("%s\x1fu:%s", ns, name);
	if (strcmp(kind, "Group") == 0)
		return xasprintf("%s\x1fg:%s", ns, name);
	if (strcmp(kind, "ServiceAccount") == 0)
		return xasprintf("%s\x1fu:system:serviceaccount:%s:%s", ns,
				 *sns ? sns : ns, name);
	return NULL;
}

static void file_binding(struct rbac_index *ix, struct rbac_entry *en)
{
	const char *ns = en->kind == RBAC_ROLE_BINDING
				 ? str_at(en->obj, "metadata", "namespace")
				 : "";
	const cJSON *s;

	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(en->obj,
							       "subjects")) {
		char *key = subject_key(s, ns);

		if (key)
			file_under(ix, en, key);
		free(key);
	}
}

static void entry_free(struct rbac_index *ix, struct rbac_entry *en)
{
	unfile(ix, en);
	cJSON_Delete(en->obj);
	free(en->key);
	free(en);
}

static char *entry_key(enum rbac_kind k, const char *ns, const char *name)
{
	bool namespaced = k == RBAC_ROLE || k == RBAC_ROLE_BINDING;

	return xasprintf("%s/%s", namespaced && ns ? ns : "", name);
}

void rbac_index_del(struct rbac_index *ix, enum rbac_kind k, const char *ns,
		    const char *name)
{
	char *key = entry_key(k, ns, name);
	struct rbac_entry *en;

	HASH_FIND_STR(ix->kinds[k], key, en);
	if (en) {
		HASH_DEL(ix->kinds[k], en);
		entry_free(ix, en);
	}
	free(key);
}

void rbac_index_put(struct rbac_index *ix, enum rbac_kind k, cJSON *obj)
{
	const char *name = str_at(obj, "metadata", "name");
	struct rbac_entry *en;

	if (!*name) {
		cJSON_Delete(obj);
		return;
	}
	rbac_index_del(ix, k, str_at(obj, "metadata", "namespace"), name);
	en = xcalloc(1, sizeof(*en));
	en->key = entry_key(k, str_at(obj, "metadata", "namespace"), name);
	en->kind = k;
	en->obj = obj;
	HASH_ADD_KEYPTR(hh, ix->kinds[k], en->key, strlen(en->key), en);
	if (k == RBAC_ROLE_BINDING || k == RBAC_CLUSTER_ROLE_BINDING)
		file_binding(ix, en);
}

void rbac_index_free(struct rbac_index *ix)
{
	struct rbac_entry *en, *tmp;

	if (!ix)
		return;
	for (int k = 0; k < RBAC__KINDS; k++) {
		HASH_ITER(hh, ix->kinds[k], en, tmp) {
			HASH_DEL(ix->kinds[k], en);
			entry_free(ix, en);
		}
	}
	free(ix);
}

const cJSON *rbac_index_get(const struct rbac_index *ix, enum rbac_kind k,
			    const char *ns, const char *name)
{
	char *key = entry_key(k, ns, name);
	struct rbac_entry *en;

	HASH_FIND_STR(ix->kinds[k], key, en);
	free(key);
	return en ? en->obj : NULL;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct rbac_entry *x = *(const struct rbac_entry *const *)a;
	const struct rbac_entry *y = *(const struct rbac_entry *const *)b;

	return strcmp(x->key, y->key);
}

void rbac_index_all(const struct rbac_index *ix, enum rbac_kind k,
		    struct vec *out)
{
	struct vec ens = VEC_INIT;
	struct rbac_entry *en, *tmp;

	HASH_ITER(hh, ix->kinds[k], en, tmp)
		vec_push(&ens, en);
	vec_sort(&ens, cmp_entry);
	for (size_t i = 0; i < ens.len; i++)
		vec_push(out, ((struct rbac_entry *)ens.items[i])->obj);
	vec_free(&ens, NULL);
}

int rbac_index_role_rules(const struct rbac_index *ix, const cJSON *role_ref,
			  const char *ns, const cJSON **rules,
			  struct buf *err)
{
	const char *kind = str_at(role_ref, "kind", NULL);
	const char *name = str_at(role_ref, "name", NULL);
	const cJSON *role;

	if (strcmp(kind, "Role") == 0)
		role = rbac_index_get(ix, RBAC_ROLE, ns, name);
	else if (strcmp(kind, "ClusterRole") == 0)
		role = rbac_index_get(ix, RBAC_CLUSTER_ROLE, "", name);
	else {
		buf_printf(err, "unsupported role reference kind: \"%s\"",
			   kind);
		return -1;
	}
	if (!role) {
		buf_printf(err, "%s.%s \"%s\" not found",
			   strcmp(kind, "Role") == 0 ? "role" : "clusterrole",
			   RBAC_GROUP, name);
		return -1;
	}
	*rules = cJSON_GetObjectItemCaseSensitive(role, "rules");
	return 0;
}

/* Collect the bindings in ns naming the user or one of its groups. */
static void matching(const struct rbac_index *ix, const struct user_info *u,
		     const char *ns, struct vec *out)
{
	struct rbac_bucket *b;
	char *key;
	size_t start = out->len;

	for (size_t g = 0;; g++) {
		const char *gr = g == 0 ? NULL : (u->groups ? u->groups[g - 1]
							    : NULL);

		if (g > 0 && !gr)
			break;
		key = gr ? xasprintf("%s\x1fg:%s", ns, gr)
			 : xasprintf("%s\x1fu:%s", ns, u->name ? u->name : "");
		HASH_FIND_STR(ix->buckets, key, b);
		free(key);
		for (size_t i = 0; b && i < b->entries.len; i++) {
			bool seen = false;

			for (size_t j = start; j < out->len && !seen; j++)
				seen = out->items[j] == b->entries.items[i];
			if (!seen)
				vec_push(out, b->entries.items[i]);
		}
	}
	/* Deterministic order (Kubernetes' lister order is arbitrary). */
	if (out->len > start + 1)
		qsort(out->items + start, out->len - start, sizeof(void *),
		      cmp_entry);
}

void rbac_index_visit(const struct rbac_index *ix,
		      const struct user_info *user, const char *ns,
		      bool (*fn)(void *arg, const cJSON *rules,
				 const char *err),
		      void *arg)
{
	struct vec found = VEC_INIT;
	struct buf err = BUF_INIT;
	bool more = true;

	matching(ix, user, "", &found);
	if (ns && *ns)
		matching(ix, user, ns, &found);
	for (size_t i = 0; i < found.len && more; i++) {
		struct rbac_entry *en = found.items[i];
		const cJSON *rules = NULL;
		const char *bns = en->kind == RBAC_ROLE_BINDING ? ns : "";

		buf_reset(&err);
		if (rbac_index_role_rules(ix, cJSON_GetObjectItemCaseSensitive(
						      en->obj, "roleRef"),
					  bns, &rules, &err) < 0)
			more = fn(arg, NULL, buf_cstr(&err));
		else
			more = fn(arg, rules, NULL);
	}
	vec_free(&found, NULL);
	buf_free(&err);
}
