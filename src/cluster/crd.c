/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crd: the dynamic registry rows of CustomResourceDefinitions, their
 * lookups and the admission of custom resources and of CRDs.
 *
 * Rows live on one list for the life of the process (reachable, never
 * freed: a row is small and only a changed CRD makes a new one); the live
 * set is an array of row pointers swapped under live_lock.  Lookups take
 * the read lock for a linear scan; they only run when the built-in table
 * had no match.
 */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/crd_int.h"
#include "cluster/crd_schema.h"
#include "cluster/openapi.h"
#include "common/json.h"
#include "common/mem.h"

static pthread_mutex_t all_lock = PTHREAD_MUTEX_INITIALIZER;
static struct crd_kind *all_rows;

static pthread_rwlock_t live_lock = PTHREAD_RWLOCK_INITIALIZER;
static const struct crd_kind **live;
static size_t nlive;
static uint64_t serial;

static const struct crd_kind *row(const struct reg_kind *k)
{
	return (k && (k->flags & REG_CUSTOM)) ? (const struct crd_kind *)k : NULL;
}

/* --- version priority --- */

/* "v1beta2" -> major 1, level 1 (alpha 0, beta 1, GA 2), minor 2. */
static bool kube_version(const char *s, long *major, int *level, long *minor)
{
	char *end;

	if (s[0] != 'v' || !isdigit((unsigned char)s[1]))
		return false;
	*major = strtol(s + 1, &end, 10);
	*minor = 0;
	if (!*end) {
		*level = 2;
		return true;
	}
	if (!strncmp(end, "alpha", 5) || !strncmp(end, "beta", 4)) {
		*level = end[0] == 'a' ? 0 : 1;
		end += end[0] == 'a' ? 5 : 4;
		if (!isdigit((unsigned char)*end))
			return false;
		*minor = strtol(end, &end, 10);
		return !*end;
	}
	return false;
}

int crd_version_cmp(const char *a, const char *b)
{
	long ma, mb, na, nb;
	int la, lb;
	bool ka = kube_version(a, &ma, &la, &na);
	bool kb = kube_version(b, &mb, &lb, &nb);

	if (ka != kb)
		return ka ? -1 : 1;
	if (!ka)
		return strcmp(a, b);
	if (la != lb)
		return lb - la;
	if (ma != mb)
		return ma > mb ? -1 : 1;
	return na == nb ? 0 : (na > nb ? -1 : 1);
}

/* --- rows --- */

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

cJSON *crd_accepted_names(const cJSON *crd)
{
	cJSON *n = json_dup(json_get(crd, "spec.names"));
	const char *kind = json_get_str(n, "kind");

	if (!n)
		n = cJSON_CreateObject();
	if (kind && !json_get_str(n, "singular")) {
		char *s = xstrdup(kind);

		lower(s);
		json_set_str(n, "singular", s);
		free(s);
	}
	if (kind && !json_get_str(n, "listKind")) {
		char *l = xasprintf("%sList", kind);

		json_set_str(n, "listKind", l);
		free(l);
	}
	return n;
}

static char *join_strings(const cJSON *arr)
{
	struct buf b = BUF_INIT;
	const cJSON *it;

	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it))
			buf_printf(&b, "%s%s", b.len ? "," : "", it->valuestring);
	return b.len ? buf_take(&b) : (buf_free(&b), NULL);
}

static bool has_word(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = list; p && *p;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);

		if (len == n && !strncmp(p, w, n))
			return true;
		p = c ? c + 1 : NULL;
	}
	return false;
}

static const char *storage_of(const cJSON *crd)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, json_get(crd, "spec.versions"))
		if (json_get_bool(v, "storage", false))
			return json_get_str(v, "name");
	return "";
}

static unsigned flags_of(const cJSON *crd, const cJSON *ver, bool pref,
			 const char *cats)
{
	unsigned f = REG_CUSTOM | REG_GENERATION;
	const char *scope = json_get_str(crd, "spec.scope");

	if (!scope || strcmp(scope, "Cluster"))
		f |= REG_NAMESPACED;
	if (json_get(ver, "subresources.status"))
		f |= REG_SUB_STATUS;
	if (json_get(ver, "subresources.scale"))
		f |= REG_SUB_SCALE;
	if (has_word(cats, "all"))
		f |= REG_CAT_ALL;
	if (pref)
		f |= REG_PREFERRED;
	return f;
}

static struct crd_kind *row_new(const cJSON *crd, int vi, bool pref,
				const char *key)
{
	struct crd_kind *r = xcalloc(1, sizeof(*r));
	cJSON *names = crd_accepted_names(crd);

	r->key = xstrdup(key);
	r->crd = json_dup(crd);
	r->ver = cJSON_GetArrayItem(json_get(r->crd, "spec.versions"), vi);
	r->group = xstrdup(json_get_str(crd, "spec.group") ?: "");
	r->version = xstrdup(json_get_str(r->ver, "name") ?: "");
	r->kind = xstrdup(json_get_str(names, "kind") ?: "");
	r->plural = xstrdup(json_get_str(names, "plural") ?: "");
	r->singular = xstrdup(json_get_str(names, "singular") ?: "");
	r->short_names = join_strings(json_get(names, "shortNames"));
	r->categories = join_strings(json_get(names, "categories"));
	r->storage = xstrdup(storage_of(crd));
	r->qkind = xasprintf("%s.%s", r->kind, r->group);
	r->k = (struct reg_kind){
		r->group, r->version, r->kind, r->plural, r->singular,
		r->short_names, flags_of(crd, r->ver, pref, r->categories),
		REG_VERBS_ALL, NULL,
	};
	cJSON_Delete(names);
	return r;
}

/* The row for key, made from crd's version vi when new. */
static const struct crd_kind *intern(const cJSON *crd, int vi, bool pref)
{
	const cJSON *v = cJSON_GetArrayItem(json_get(crd, "spec.versions"), vi);
	int64_t gen = 0;
	char *key;
	struct crd_kind *r;

	json_get_int(crd, "metadata.generation", &gen);
	key = xasprintf("%s/%lld/%s/%d/%d", json_get_str(crd, "metadata.uid") ?: "",
			(long long)gen, json_get_str(v, "name") ?: "", pref,
			json_get(crd, "metadata.deletionTimestamp") != NULL);
	pthread_mutex_lock(&all_lock);
	for (r = all_rows; r && strcmp(r->key, key); r = r->next_all)
		;
	if (!r) {
		r = row_new(crd, vi, pref, key);
		r->next_all = all_rows;
		all_rows = r;
	}
	pthread_mutex_unlock(&all_lock);
	free(key);
	return r;
}

/* Served versions of crd by priority: indices into spec.versions. */
static size_t served_versions(const cJSON *crd, int *idx, size_t max)
{
	const cJSON *vs = json_get(crd, "spec.versions"), *v;
	size_t n = 0;
	int i = 0;

	cJSON_ArrayForEach(v, vs) {
		size_t j = n;

		if (!json_get_bool(v, "served", false) || n >= max || !json_get_str(v, "name")) {
			i++;
			continue;
		}
		while (j > 0 && crd_version_cmp(json_get_str(cJSON_GetArrayItem(vs, idx[j - 1]), "name"),
						json_get_str(v, "name")) > 0) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = i++;
		n++;
	}
	return n;
}

void crd_publish(const cJSON *crds, const bool *accepted)
{
	size_t cap = 16, n = 0, i = 0;
	const struct crd_kind **nw = xmalloc(cap * sizeof(*nw)), **old;
	const cJSON *crd;
	bool changed;

	cJSON_ArrayForEach(crd, crds) {
		int idx[32];
		size_t nv;

		if (!accepted[i++])
			continue;
		nv = served_versions(crd, idx, 32);
		for (size_t v = 0; v < nv; v++) {
			if (n == cap)
				nw = xrealloc(nw, (cap *= 2) * sizeof(*nw));
			nw[n++] = intern(crd, idx[v], v == 0);
		}
	}
	pthread_rwlock_wrlock(&live_lock);
	changed = n != nlive || (n && memcmp(nw, live, n * sizeof(*nw)));
	old = live;
	live = nw;
	nlive = n;
	if (changed)
		serial++;
	pthread_rwlock_unlock(&live_lock);
	free(old);
}

/* --- lookups --- */

const struct reg_kind *crd_find(const char *group, const char *version,
				const char *plural)
{
	const struct reg_kind *out = NULL;

	pthread_rwlock_rdlock(&live_lock);
	for (size_t i = 0; i < nlive && !out; i++)
		if (!strcmp(live[i]->group, group) &&
		    !strcmp(live[i]->version, version) &&
		    !strcmp(live[i]->plural, plural))
			out = &live[i]->k;
	pthread_rwlock_unlock(&live_lock);
	return out;
}

const struct reg_kind *crd_find_kind(const char *group, const char *kind)
{
	const struct reg_kind *out = NULL;

	pthread_rwlock_rdlock(&live_lock);
	for (size_t i = 0; i < nlive && !out; i++)
		if (!strcmp(live[i]->group, group) && !strcmp(live[i]->kind, kind) &&
		    (live[i]->k.flags & REG_PREFERRED))
			out = &live[i]->k;
	pthread_rwlock_unlock(&live_lock);
	return out;
}

size_t crd_kinds(const struct reg_kind **out, size_t max)
{
	size_t n;

	pthread_rwlock_rdlock(&live_lock);
	for (n = 0; n < nlive && n < max; n++)
		out[n] = &live[n]->k;
	pthread_rwlock_unlock(&live_lock);
	return n;
}

static bool in(const char **arr, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(arr[i], s))
			return true;
	return false;
}

size_t crd_group_versions(const char *group, const char **out, size_t max)
{
	size_t n = 0;

	pthread_rwlock_rdlock(&live_lock);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < nlive && n < max; i++) {
			bool pref = (live[i]->k.flags & REG_PREFERRED) != 0;

			if (pref == (pass == 0) && !strcmp(live[i]->group, group) &&
			    !in(out, n, live[i]->version))
				out[n++] = live[i]->version;
		}
	pthread_rwlock_unlock(&live_lock);
	return n;
}

size_t crd_groups(const char **out, size_t max)
{
	size_t n = 0, nb;
	const char *const *builtin = reg_groups(&nb);

	pthread_rwlock_rdlock(&live_lock);
	for (size_t i = 0; i < nlive && n < max; i++) {
		const char *g = live[i]->group;
		size_t j;

		for (j = 0; j < nb && strcmp(builtin[j], g); j++)
			;
		if (j < nb || in(out, n, g))
			continue;
		for (j = n++; j > 0 && strcmp(out[j - 1], g) > 0; j--)
			out[j] = out[j - 1];
		out[j] = g;
	}
	pthread_rwlock_unlock(&live_lock);
	return n;
}

uint64_t crd_serial(void)
{
	uint64_t s;

	pthread_rwlock_rdlock(&live_lock);
	s = serial;
	pthread_rwlock_unlock(&live_lock);
	return s;
}

/* --- accessors --- */

const char *crd_categories(const struct reg_kind *k)
{
	return row(k) ? row(k)->categories : NULL;
}

const cJSON *crd_schema(const struct reg_kind *k)
{
	return row(k) ? json_get(row(k)->ver, "schema.openAPIV3Schema") : NULL;
}

const cJSON *crd_columns(const struct reg_kind *k)
{
	return row(k) ? json_get(row(k)->ver, "additionalPrinterColumns") : NULL;
}

const char *crd_storage_version(const struct reg_kind *k)
{
	return row(k) ? row(k)->storage : NULL;
}

void crd_to_storage(const struct reg_kind *k, cJSON *obj)
{
	char *av;

	if (!row(k))
		return;
	av = xasprintf("%s/%s", k->group, row(k)->storage);
	json_set_str(obj, "apiVersion", av);
	free(av);
}

bool crd_terminating(const struct reg_kind *k)
{
	return row(k) && json_get(row(k)->crd, "metadata.deletionTimestamp");
}

const char *crd_qualified_kind(const struct reg_kind *k, char *buf, size_t n)
{
	snprintf(buf, n, "%s", row(k) ? row(k)->qkind : k->kind);
	return buf;
}

/* --- custom resource admission --- */

void crd_default(const struct reg_kind *k, cJSON *obj)
{
	const cJSON *s = crd_schema(k);

	if (!s)
		return;
	free(crd_schema_prune(s, obj, true));
	crd_schema_default(s, obj);
}

/* The value at a cause's field path ("spec.items[1].name") of o, or NULL. */
static const cJSON *at_field(const cJSON *o, const char *path)
{
	char key[160];

	while (o && *path) {
		size_t n = strcspn(path, ".[");

		if (n) {
			if (n >= sizeof(key) || !cJSON_IsObject(o))
				return NULL;
			memcpy(key, path, n);
			key[n] = 0;
			o = cJSON_GetObjectItemCaseSensitive(o, key);
			path += n;
		} else if (*path == '[') {
			o = cJSON_IsArray(o) ? cJSON_GetArrayItem(o, atoi(path + 1)) : NULL;
			path += strcspn(path, "]");
			path += *path == ']';
		} else {
			path++;
		}
	}
	return o;
}

/*
 * Validation ratcheting (as kube-apiserver's CRDValidationRatcheting): on
 * update, a violation at a field whose value did not change is dropped;
 * a duplicate in a list counts the whole list (its path without the
 * index).
 */
static void ratchet(const cJSON *obj, const cJSON *old, struct err *e, size_t from)
{
	size_t keep = from;

	for (size_t i = from; i < e->ncauses; i++) {
		struct err_cause *c = &e->causes[i];
		char f[sizeof(c->field)];
		const cJSON *nv, *ov;

		snprintf(f, sizeof(f), "%s", c->field);
		if (!strcmp(c->reason, "FieldValueDuplicate") && strrchr(f, '['))
			*strrchr(f, '[') = 0;
		nv = at_field(obj, f);
		ov = at_field(old, f);
		if (nv && ov && cJSON_Compare(nv, ov, true))
			continue;
		if (keep != i)
			e->causes[keep] = *c;
		keep++;
	}
	e->ncauses = keep;
}

void crd_validate(const struct reg_kind *k, const cJSON *obj, const cJSON *old,
		  struct err *e)
{
	const cJSON *s = crd_schema(k);
	size_t from = e->ncauses;

	if (!s)
		return;
	crd_schema_validate(s, obj, e);
	if (old)
		ratchet(obj, old, e, from);
}

char *crd_unknown_fields(const struct reg_kind *k, cJSON *obj, bool remove)
{
	const cJSON *s = crd_schema(k);
	char *d = openapi_duplicate_fields(obj);

	return openapi_join_msgs(d, s ? crd_schema_prune(s, obj, remove) : NULL);
}

/* --- scale --- */

/* ".spec.replicas" -> "spec.replicas" */
static const char *scale_path(const struct reg_kind *k, const char *which,
			      const char *def)
{
	const cJSON *sc = row(k) ? json_get(row(k)->ver, "subresources.scale") : NULL;
	const char *p = json_get_str(sc, which);

	if (!sc)
		return def;
	if (!p)
		return NULL;
	return p[0] == '.' ? p + 1 : p;
}

cJSON *crd_scale_of(const struct reg_kind *k, const cJSON *obj)
{
	static const char *const md_keys[] = { "name", "namespace", "uid",
					       "resourceVersion", "creationTimestamp", NULL };
	const char *sp = scale_path(k, "specReplicasPath", "spec.replicas");
	const char *stp = scale_path(k, "statusReplicasPath", "status.replicas");
	const char *lp = scale_path(k, "labelSelectorPath", NULL);
	cJSON *s = cJSON_CreateObject(), *md;
	int64_t n = 0;

	cJSON_AddStringToObject(s, "kind", "Scale");
	cJSON_AddStringToObject(s, "apiVersion", "autoscaling/v1");
	md = cJSON_AddObjectToObject(s, "metadata");
	for (size_t i = 0; md_keys[i]; i++) {
		const cJSON *v = json_obj(json_obj(obj, "metadata"), md_keys[i]);

		if (v)
			cJSON_AddItemToObject(md, md_keys[i], json_dup(v));
	}
	if (sp)
		json_get_int(obj, sp, &n);
	json_set_int(s, "spec.replicas", n);
	n = 0;
	if (stp)
		json_get_int(obj, stp, &n);
	json_set_int(s, "status.replicas", n);
	if (lp && json_get_str(obj, lp))
		json_set_str(s, "status.selector", json_get_str(obj, lp));
	return s;
}

cJSON *crd_scale_apply(const struct reg_kind *k, const cJSON *obj,
		       const cJSON *scale)
{
	const char *sp = scale_path(k, "specReplicasPath", "spec.replicas");
	cJSON *out = json_dup(obj);
	int64_t n, old = -1, g = 0;

	if (!sp || json_get_int(scale, "spec.replicas", &n) < 0)
		return out;
	json_get_int(out, sp, &old);
	json_set_int(out, sp, n);
	if (old != n && json_get_int(out, "metadata.generation", &g) == 0)
		json_set_int(out, "metadata.generation", g + 1);
	return out;
}

/* --- CRD admission --- */

static void check_versions(const cJSON *obj, struct err *e)
{
	const cJSON *vs = json_get(obj, "spec.versions"), *v;
	int storage = 0, i = 0;
	struct err se;

	if (!cJSON_GetArraySize(vs)) {
		err_cause(e, "FieldValueRequired", "spec.versions",
			  "Required value: must have exactly one version marked as storage version");
		return;
	}
	cJSON_ArrayForEach(v, vs) {
		const cJSON *s = json_get(v, "schema.openAPIV3Schema");
		char f[96];

		storage += json_get_bool(v, "storage", false);
		snprintf(f, sizeof(f), "spec.versions[%d].schema.openAPIV3Schema", i++);
		if (!s)
			err_cause(e, "FieldValueRequired", f, "Required value: schemas are required");
		else if (crd_schema_check(s, &se) < 0)
			err_cause(e, "FieldValueInvalid", f, "%s", se.msg);
		else
			crd_schema_check_patterns(s, f, e);
	}
	if (storage != 1)
		err_cause(e, "FieldValueInvalid", "spec.versions",
			  "Invalid value: []apiextensions.CustomResourceDefinitionVersion{...}: must have exactly one version marked as storage version");
}

/* A version of status.storedVersions that spec.versions no longer has. */
static void check_stored_versions(const cJSON *obj, struct err *e)
{
	const cJSON *sv = json_get(obj, "status.storedVersions"), *it, *v;
	int i = 0;

	if (!cJSON_IsArray(sv))
		return;
	cJSON_ArrayForEach(it, sv) {
		const char *name = cJSON_IsString(it) ? it->valuestring : "";
		bool found = false;
		char f[64];

		cJSON_ArrayForEach(v, json_get(obj, "spec.versions"))
			found |= !strcmp(json_get_str(v, "name") ?: "", name);
		snprintf(f, sizeof(f), "status.storedVersions[%d]", i++);
		if (!found)
			err_cause(e, "FieldValueInvalid", f,
				  "Invalid value: \"%s\": missing from spec.versions; %s was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in %s and removes %s from status.storedVersions",
				  name, name, name, name);
	}
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/*
 * Groups under k8s.io and kubernetes.io (every built-in group with a
 * dot) need the api-approved.kubernetes.io annotation: a URL, or a reason
 * starting with "unapproved" (apihelpers.GetAPIApprovalState).
 */
/* GetAPIApprovalState: 0 missing, 1 approved (URL), 2 unapproved, 3 invalid. */
static int approval_state(const cJSON *obj)
{
	const char *a = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		json_obj(json_obj(obj, "metadata"), "annotations"),
		"api-approved.kubernetes.io"));
	const char *colon;

	if (!a || !a[0])
		return 0;
	if (!strncmp(a, "unapproved", 10))
		return 2;
	colon = strstr(a, "://");
	return colon && colon > a && colon[3] && colon[3] != '/' && !strchr(a, ' ') ? 1 : 3;
}

/* On update only a change of approval state is checked (ratcheting). */
static void check_api_approval(const cJSON *obj, const cJSON *old,
			       const char *group, struct err *e)
{
	static const char field[] = "metadata.annotations[api-approved.kubernetes.io]";
	static const char need[] = "protected groups must have approval annotation \"api-approved.kubernetes.io\"";
	static const char see[] = "see https://github.com/kubernetes/enhancements/pull/1111";
	const char *a;
	int st;

	if (strcmp(group, "k8s.io") && !has_suffix(group, ".k8s.io") &&
	    strcmp(group, "kubernetes.io") && !has_suffix(group, ".kubernetes.io"))
		return;
	st = approval_state(obj);
	if ((old && approval_state(old) == st) || st == 1 || st == 2)
		return;
	if (st == 0) {
		err_cause(e, "FieldValueRequired", field, "Required value: %s, %s", need, see);
		return;
	}
	a = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		json_obj(json_obj(obj, "metadata"), "annotations"),
		"api-approved.kubernetes.io"));
	err_cause(e, "FieldValueInvalid", field,
		  "Invalid value: \"%s\": %s with either a URL or a reason starting with \"unapproved\", %s",
		  a, need, see);
}

void crd_admit_crd(cJSON *obj, const cJSON *old, struct err *e)
{
	bool create = !old;
	const char *name = json_get_str(obj, "metadata.name") ?: "";
	const char *group = json_get_str(obj, "spec.group");
	const char *plural = json_get_str(obj, "spec.names.plural");
	const char *scope = json_get_str(obj, "spec.scope");
	char *want;

	if (!group || !strchr(group, '.'))
		err_cause(e, "FieldValueInvalid", "spec.group",
			  "Invalid value: \"%s\": should be a domain with at least one dot", group ?: "");
	if (!plural || !plural[0])
		err_cause(e, "FieldValueRequired", "spec.names.plural", "Required value");
	if (!json_get_str(obj, "spec.names.kind"))
		err_cause(e, "FieldValueRequired", "spec.names.kind", "Required value");
	if (!scope || (strcmp(scope, "Namespaced") && strcmp(scope, "Cluster")))
		err_cause(e, "FieldValueNotSupported", "spec.scope",
			  "Unsupported value: \"%s\": supported values: \"Cluster\", \"Namespaced\"", scope ?: "");
	want = xasprintf("%s.%s", plural ?: "", group ?: "");
	if (strcmp(name, want))
		err_cause(e, "FieldValueInvalid", "metadata.name",
			  "Invalid value: \"%s\": must be spec.names.plural+\".\"+spec.group", name);
	free(want);
	check_versions(obj, e);
	check_stored_versions(obj, e);
	if (group)
		check_api_approval(obj, old, group, e);
	if (create && !json_get(obj, "metadata.deletionTimestamp")) {
		cJSON *f = json_get(obj, "metadata.finalizers"), *it;

		cJSON_ArrayForEach(it, f)
			if (cJSON_IsString(it) && !strcmp(it->valuestring, CRD_FINALIZER))
				return;
		if (!f)
			json_set(obj, "metadata.finalizers", f = cJSON_CreateArray());
		cJSON_AddItemToArray(f, cJSON_CreateString(CRD_FINALIZER));
	}
}
