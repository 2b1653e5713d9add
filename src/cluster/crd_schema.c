/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crd_schema: pruning, defaulting and validation of custom resources
 * against a structural schema.  Each pass is one recursive walk that
 * carries the field path ("spec.items[0].name") in a buf, so causes and
 * unknown-field lists name fields exactly as kube-apiserver does.
 *
 * Messages follow kube-openapi's validation errors as apiextensions
 * turns them into field errors: `spec.replicas: Invalid value: "string":
 * spec.replicas in body must be of type integer: "string"`, `Required
 * value`, `Unsupported value: "c": supported values: "a", "b"`, `Too
 * many: 3: must have at most 2 items`, `Too long: may not be more than 3
 * bytes`.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/crd_schema.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/vec.h"

#define MAX_DEPTH 64

static bool flag(const cJSON *schema, const char *name)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(schema, name));
}

static const cJSON *sub(const cJSON *schema, const char *name)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(schema, name);

	return cJSON_IsObject(s) ? s : NULL;
}

static const char *type_of(const cJSON *schema)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(schema, "type");

	return cJSON_IsString(t) ? t->valuestring : NULL;
}

/* Append ".name" (or "name" at the root) / "[i]"; returns the old length. */
static size_t path_push_key(struct buf *p, const char *key)
{
	size_t old = p->len;

	if (p->len)
		buf_addc(p, '.');
	buf_adds(p, key);
	return old;
}

static size_t path_push_index(struct buf *p, int i)
{
	size_t old = p->len;

	buf_printf(p, "[%d]", i);
	return old;
}

static void path_pop(struct buf *p, size_t len)
{
	p->len = len;
	if (p->data)
		p->data[len] = 0;
}

static bool is_root_meta(const struct buf *p, const char *key)
{
	return !p->len && (!strcmp(key, "apiVersion") || !strcmp(key, "kind") ||
			   !strcmp(key, "metadata"));
}

/* --- pruning --- */

struct prune {
	struct buf path;
	struct vec unknown;	/* field paths (char *) */
	bool remove;
};

static void prune_node(struct prune *pr, const cJSON *schema, cJSON *v,
		       int depth);

static void prune_unknown(struct prune *pr, const char *key)
{
	size_t old = path_push_key(&pr->path, key);

	vec_push(&pr->unknown, xstrdup(buf_cstr(&pr->path)));
	path_pop(&pr->path, old);
}

/* Is key of an object under schema kept without a schema of its own? */
static bool keeps_unknown(const cJSON *schema, const struct buf *path,
			  const char *key)
{
	if (flag(schema, "x-kubernetes-preserve-unknown-fields") ||
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties")))
		return true;
	if (flag(schema, "x-kubernetes-embedded-resource") &&
	    (!strcmp(key, "apiVersion") || !strcmp(key, "kind") ||
	     !strcmp(key, "metadata")))
		return true;
	return is_root_meta(path, key);
}

static void prune_object(struct prune *pr, const cJSON *schema, cJSON *v,
			 int depth)
{
	const cJSON *props = sub(schema, "properties");
	const cJSON *addl = sub(schema, "additionalProperties");
	cJSON *it = v->child, *next;

	for (; it; it = next) {
		const cJSON *ps = props ? sub(props, it->string) : NULL;
		size_t old;

		next = it->next;
		if (!ps)
			ps = addl;
		if (ps && !is_root_meta(&pr->path, it->string)) {
			old = path_push_key(&pr->path, it->string);
			prune_node(pr, ps, it, depth + 1);
			path_pop(&pr->path, old);
			continue;
		}
		if (keeps_unknown(schema, &pr->path, it->string))
			continue;
		prune_unknown(pr, it->string);
		if (pr->remove)
			cJSON_Delete(cJSON_DetachItemViaPointer(v, it));
	}
}

static void prune_node(struct prune *pr, const cJSON *schema, cJSON *v,
		       int depth)
{
	if (!schema || depth > MAX_DEPTH ||
	    flag(schema, "x-kubernetes-int-or-string"))
		return;
	if (cJSON_IsObject(v)) {
		prune_object(pr, schema, v, depth);
	} else if (cJSON_IsArray(v) && sub(schema, "items")) {
		cJSON *it;
		int i = 0;

		cJSON_ArrayForEach(it, v) {
			size_t old = path_push_index(&pr->path, i++);

			prune_node(pr, sub(schema, "items"), it, depth + 1);
			path_pop(&pr->path, old);
		}
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, as kube-apiserver reports them. */
char *crd_schema_prune(const cJSON *schema, cJSON *obj, bool remove)
{
	struct prune pr = { BUF_INIT, VEC_INIT, remove };
	struct buf out = BUF_INIT;

	prune_node(&pr, schema, obj, 0);
	buf_free(&pr.path);
	if (pr.unknown.len)
		qsort(pr.unknown.items, pr.unknown.len, sizeof(char *), cmp_str);
	for (size_t i = 0; i < pr.unknown.len; i++)
		buf_printf(&out, "%sunknown field \"%s\"", i ? ", " : "",
			   (char *)pr.unknown.items[i]);
	vec_free(&pr.unknown, free);
	return out.len ? buf_take(&out) : (buf_free(&out), NULL);
}

/* --- defaulting --- */

static void default_node(const cJSON *schema, cJSON *v, int depth, bool root)
{
	const cJSON *props, *addl, *ps;
	cJSON *it;

	if (!schema || depth > MAX_DEPTH)
		return;
	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(it, v)
			default_node(sub(schema, "items"), it, depth + 1, false);
		return;
	}
	if (!cJSON_IsObject(v))
		return;
	props = sub(schema, "properties");
	addl = sub(schema, "additionalProperties");
	cJSON_ArrayForEach(ps, props) {
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(ps, "default");

		if (d && !cJSON_GetObjectItemCaseSensitive(v, ps->string) &&
		    !(root && !strcmp(ps->string, "metadata")))
			cJSON_AddItemToObject(v, ps->string, json_dup(d));
	}
	cJSON_ArrayForEach(it, v) {
		if (root && (!strcmp(it->string, "metadata") ||
			     !strcmp(it->string, "apiVersion") ||
			     !strcmp(it->string, "kind")))
			continue;
		ps = props ? sub(props, it->string) : NULL;
		default_node(ps ? ps : addl, it, depth + 1, false);
	}
}

void crd_schema_default(const cJSON *schema, cJSON *obj)
{
	default_node(schema, obj, 0, true);
}

/* --- validation --- */

struct val {
	struct buf path;
	struct err *e;
	int count;
};

/* Go-ish rendering of a value for "Invalid value: X". */
static char *show(const cJSON *v)
{
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;

		if (d == floor(d) && fabs(d) < 9.2e18)
			return xasprintf("%lld", (long long)d);
		return xasprintf("%g", d);
	}
	return cJSON_PrintUnformatted(v) ?: xstrdup("null");
}

static const char *json_type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "string";
	if (cJSON_IsBool(v))
		return "boolean";
	if (cJSON_IsNumber(v))
		return v->valuedouble == floor(v->valuedouble) ? "integer" : "number";
	if (cJSON_IsArray(v))
		return "array";
	if (cJSON_IsObject(v))
		return "object";
	return "null";
}

static void invalid(struct val *va, const cJSON *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* `Invalid value: <v>: <path> in body <rest>` */
static void invalid(struct val *va, const cJSON *v, const char *fmt, ...)
{
	char rest[512];
	char *s = show(v);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rest, sizeof(rest), fmt, ap);
	va_end(ap);
	va->count++;
	err_cause(va->e, "FieldValueInvalid", buf_cstr(&va->path),
		  "Invalid value: %s: %s in body %s", s, buf_cstr(&va->path), rest);
	free(s);
}

static bool type_ok(const char *t, const cJSON *v)
{
	if (!strcmp(t, "object"))
		return cJSON_IsObject(v);
	if (!strcmp(t, "array"))
		return cJSON_IsArray(v);
	if (!strcmp(t, "string"))
		return cJSON_IsString(v);
	if (!strcmp(t, "boolean"))
		return cJSON_IsBool(v);
	if (!strcmp(t, "number"))
		return cJSON_IsNumber(v);
	if (!strcmp(t, "integer"))
		return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble);
	return true;
}

/* Type (incl. nullable and int-or-string); false stops further checks. */
static bool check_type(struct val *va, const cJSON *schema, const cJSON *v)
{
	const char *t = type_of(schema);
	const char *actual = json_type_name(v);
	cJSON *tn;

	if (cJSON_IsNull(v) && flag(schema, "nullable"))
		return false;
	if (flag(schema, "x-kubernetes-int-or-string")) {
		if (cJSON_IsString(v) || type_ok("integer", v))
			return true;
		tn = cJSON_CreateString(actual);
		invalid(va, tn, "must be of type integer,string: \"%s\"", actual);
		cJSON_Delete(tn);
		return false;
	}
	if (!t || type_ok(t, v))
		return t || !cJSON_IsNull(v);
	tn = cJSON_CreateString(actual);
	invalid(va, tn, "must be of type %s: \"%s\"", t, actual);
	cJSON_Delete(tn);
	return false;
}

static void check_enum(struct val *va, const cJSON *schema, const cJSON *v)
{
	const cJSON *en = cJSON_GetObjectItemCaseSensitive(schema, "enum"), *it;
	struct buf b = BUF_INIT;
	char *s;

	if (!cJSON_IsArray(en) || !cJSON_GetArraySize(en))
		return;
	cJSON_ArrayForEach(it, en)
		if (json_equal(it, v))
			return;
	cJSON_ArrayForEach(it, en) {
		s = show(it);
		buf_printf(&b, "%s%s", b.len ? ", " : "", s);
		free(s);
	}
	s = show(v);
	va->count++;
	err_cause(va->e, "FieldValueNotSupported", buf_cstr(&va->path),
		  "Unsupported value: %s: supported values: %s", s, buf_cstr(&b));
	free(s);
	buf_free(&b);
}

static size_t utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static bool num(const cJSON *schema, const char *name, double *out)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(schema, name);

	if (!cJSON_IsNumber(n))
		return false;
	*out = n->valuedouble;
	return true;
}

static void check_format(struct val *va, const cJSON *schema, const cJSON *v)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(schema, "format");

	if (cJSON_IsString(f) && !crd_schema_format_ok(f->valuestring, v->valuestring))
		invalid(va, v, "must be of type %s: \"%s\"", f->valuestring,
			v->valuestring);
}

static void check_string(struct val *va, const cJSON *schema, const cJSON *v)
{
	const cJSON *pat = cJSON_GetObjectItemCaseSensitive(schema, "pattern");
	size_t len = utf8_len(v->valuestring);
	double lim;

	if (num(schema, "maxLength", &lim) && (double)len > lim) {
		va->count++;
		err_cause(va->e, "FieldValueTooLong", buf_cstr(&va->path),
			  "Too long: may not be more than %lld bytes", (long long)lim);
	}
	if (num(schema, "minLength", &lim) && (double)len < lim)
		invalid(va, v, "should be at least %lld chars long", (long long)lim);
	check_format(va, schema, v);
	if (cJSON_IsString(pat) && crd_schema_re_match(pat->valuestring, v->valuestring) == 0)
		invalid(va, v, "should match '%s'", pat->valuestring);
}

static void check_number(struct val *va, const cJSON *schema, const cJSON *v)
{
	double d = v->valuedouble, lim;
	char ls[64];

	if (num(schema, "minimum", &lim)) {
		bool ex = flag(schema, "exclusiveMinimum");

		snprintf(ls, sizeof(ls), "%.15g", lim);
		if (ex ? d <= lim : d < lim)
			invalid(va, v, "should be greater than %s%s",
				ex ? "" : "or equal to ", ls);
	}
	if (num(schema, "maximum", &lim)) {
		bool ex = flag(schema, "exclusiveMaximum");

		snprintf(ls, sizeof(ls), "%.15g", lim);
		if (ex ? d >= lim : d > lim)
			invalid(va, v, "should be less than %s%s",
				ex ? "" : "or equal to ", ls);
	}
	if (num(schema, "multipleOf", &lim) && lim > 0 &&
	    fmod(d, lim) != 0) {
		snprintf(ls, sizeof(ls), "%.15g", lim);
		invalid(va, v, "should be a multiple of %s", ls);
	}
}

static void val_node(struct val *va, const cJSON *schema, const cJSON *v,
		     int depth);

/* --- x-kubernetes-list-type --- */

/* Go's %#v of an unstructured value, as field.Duplicate prints it. */
static void go_value(struct buf *b, const cJSON *v, bool top)
{
	const cJSON *it;
	char *s;

	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		buf_adds(b, cJSON_IsObject(v) ? "map[string]interface {}{" : "[]interface {}{");
		cJSON_ArrayForEach(it, v) {
			if (it != v->child)
				buf_adds(b, ", ");
			if (it->string) {
				buf_add_json_str(b, it->string);
				buf_addc(b, ':');
			}
			go_value(b, it, false);
		}
		buf_addc(b, '}');
		return;
	}
	if (cJSON_IsNull(v)) {
		buf_adds(b, top ? "null" : "interface {}(nil)");
		return;
	}
	s = show(v);
	buf_adds(b, s);
	free(s);
}

static void duplicate(struct val *va, int i, const cJSON *v)
{
	struct buf b = BUF_INIT;
	size_t old = path_push_index(&va->path, i);

	go_value(&b, v, true);
	va->count++;
	err_cause(va->e, "FieldValueDuplicate", buf_cstr(&va->path),
		  "Duplicate value: %s", buf_cstr(&b));
	path_pop(&va->path, old);
	buf_free(&b);
}

/* Is items[i] the second occurrence of its value (reported once)? */
static bool second_seen(cJSON *const *items, int i)
{
	int seen = 0;

	for (int j = 0; j < i; j++)
		seen += json_equal(items[j], items[i]);
	return seen == 1;
}

/* The key of a list-map element: {k: v, ...} with the keys it has, keys
 * sorted as Go prints maps. */
static cJSON *map_key(const cJSON *keys, const cJSON *el)
{
	cJSON *key = cJSON_CreateObject();
	const char *names[16];
	const cJSON *k;
	size_t n = 0;

	cJSON_ArrayForEach(k, keys)
		if (cJSON_IsString(k) && n < 16)
			names[n++] = k->valuestring;
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		const cJSON *kv = cJSON_GetObjectItemCaseSensitive(el, names[i]);

		if (kv && !cJSON_GetObjectItemCaseSensitive(key, names[i]))
			cJSON_AddItemToObject(key, names[i], json_dup(kv));
	}
	return key;
}

static void check_list_map(struct val *va, const cJSON *schema, const cJSON *v)
{
	const cJSON *keys = cJSON_GetObjectItemCaseSensitive(schema, "x-kubernetes-list-map-keys");
	int n = cJSON_GetArraySize(v), i = 0;
	cJSON **k, *el;

	cJSON_ArrayForEach(el, v) {
		size_t old;
		char *s;

		if (cJSON_IsObject(el) || cJSON_IsNull(el)) {
			i++;
			continue;
		}
		old = path_push_index(&va->path, i);
		s = show(el);
		va->count++;
		err_cause(va->e, "FieldValueInvalid", buf_cstr(&va->path),
			  "Invalid value: %s: must be an object for an array of list-type map", s);
		free(s);
		path_pop(&va->path, old);
		return;
	}
	k = xcalloc((size_t)n + 1, sizeof(*k));
	i = 0;
	cJSON_ArrayForEach(el, v)
		k[i++] = map_key(keys, el);
	for (i = 1; i < n; i++)
		if (second_seen(k, i))
			duplicate(va, i, k[i]);
	for (i = 0; i < n; i++)
		cJSON_Delete(k[i]);
	free(k);
}

/* x-kubernetes-list-type set: unique items; map: unique keys. */
static void check_list_type(struct val *va, const cJSON *schema, const cJSON *v)
{
	const char *lt = json_get_str(schema, "x-kubernetes-list-type");
	int n = cJSON_GetArraySize(v), i = 0;
	cJSON **items, *el;

	if (!lt || n < 1)
		return;
	if (!strcmp(lt, "map")) {
		check_list_map(va, schema, v);
		return;
	}
	if (strcmp(lt, "set") || n < 2)
		return;
	items = xcalloc((size_t)n, sizeof(*items));
	cJSON_ArrayForEach(el, v)
		items[i++] = el;
	for (i = 1; i < n; i++)
		if (second_seen(items, i))
			duplicate(va, i, items[i]);
	free(items);
}

/* --- allOf, anyOf, oneOf, not --- */

/* Validate v against branch b into a fresh err; returns its count. */
static int run_branch(struct val *va, const cJSON *b, const cJSON *v,
		      int depth, struct err *be)
{
	struct val sub = { BUF_INIT, be, 0 };

	memset(be, 0, sizeof(*be));
	buf_adds(&sub.path, buf_cstr(&va->path));
	val_node(&sub, b, v, depth + 1);
	buf_free(&sub.path);
	return sub.count;
}

static void merge_causes(struct val *va, const struct err *from, int count)
{
	for (size_t i = 0; i < from->ncauses; i++)
		err_cause(va->e, from->causes[i].reason, from->causes[i].field, "%s",
			  from->causes[i].message);
	va->count += count;
}

/* kube-openapi's composite errors reach the client with an empty field:
 * `: Invalid value: "": "spec.x" must validate ... (oneOf). Found none valid`. */
static void composite(struct val *va, const char *what, const char *extra)
{
	va->count++;
	err_cause(va->e, "FieldValueInvalid", "", "Invalid value: \"\": \"%s\" %s%s",
		  buf_cstr(&va->path), what, extra);
}

/* anyOf/oneOf: how many branches pass; the failures of the branch with
 * the fewest errors (kube-openapi keeps its "best" failure) go to *best. */
static int count_valid(struct val *va, const cJSON *list, const cJSON *v,
		       int depth, struct err *best, int *best_n)
{
	struct err *be = xmalloc(sizeof(*be));
	const cJSON *b;
	int valid = 0, n;

	*best_n = -1;
	cJSON_ArrayForEach(b, list) {
		if (!(n = run_branch(va, b, v, depth, be))) {
			valid++;
			continue;
		}
		if (*best_n < 0 || n < *best_n) {
			*best = *be;
			*best_n = n;
		}
	}
	free(be);
	return valid;
}

static void check_combinators(struct val *va, const cJSON *schema,
			      const cJSON *v, int depth)
{
	const cJSON *any = cJSON_GetObjectItemCaseSensitive(schema, "anyOf");
	const cJSON *one = cJSON_GetObjectItemCaseSensitive(schema, "oneOf");
	const cJSON *all = cJSON_GetObjectItemCaseSensitive(schema, "allOf");
	const cJSON *not = sub(schema, "not"), *b;
	struct err *be, *best;
	int valid, best_n, n, nall = 0;
	char extra[64];

	if (!any && !one && !all && !not)
		return;
	be = xmalloc(sizeof(*be));
	best = xmalloc(sizeof(*best));

	if (cJSON_IsArray(any) && cJSON_GetArraySize(any) &&
	    !count_valid(va, any, v, depth, best, &best_n)) {
		composite(va, "must validate at least one schema (anyOf)", "");
		merge_causes(va, best, best_n);
	}
	if (cJSON_IsArray(one) && cJSON_GetArraySize(one) &&
	    (valid = count_valid(va, one, v, depth, best, &best_n)) != 1) {
		if (valid)
			snprintf(extra, sizeof(extra), "Found %d valid alternatives", valid);
		composite(va, "must validate one and only one schema (oneOf). ",
			  valid ? extra : "Found none valid");
		if (!valid)
			merge_causes(va, best, best_n);
	}
	valid = 0;
	if (!cJSON_IsArray(all))
		all = NULL;
	cJSON_ArrayForEach(b, all) {
		nall++;
		if (!(n = run_branch(va, b, v, depth, be)))
			valid++;
		merge_causes(va, be, n);
	}
	if (valid != nall)
		composite(va, "must validate all the schemas (allOf)", valid ? "" : ". None validated");
	if (not && !run_branch(va, not, v, depth, be))
		composite(va, "must not validate the schema (not)", "");
	free(be);
	free(best);
}

static void check_array(struct val *va, const cJSON *schema, const cJSON *v,
			int depth)
{
	int n = cJSON_GetArraySize(v), i = 0;
	const cJSON *it, *jt;
	double lim;

	if (num(schema, "maxItems", &lim) && n > lim) {
		va->count++;
		err_cause(va->e, "FieldValueTooMany", buf_cstr(&va->path),
			  "Too many: %d: must have at most %lld items", n, (long long)lim);
	}
	if (num(schema, "minItems", &lim) && n < lim) {
		cJSON *c = cJSON_CreateNumber(n);

		invalid(va, c, "should have at least %lld items", (long long)lim);
		cJSON_Delete(c);
	}
	if (flag(schema, "uniqueItems"))
		for (it = v->child; it; it = it->next)
			for (jt = it->next; jt; jt = jt->next)
				if (json_equal(it, jt)) {
					invalid(va, v, "shouldn't contain duplicates");
					goto items;
				}
items:
	check_list_type(va, schema, v);
	cJSON_ArrayForEach(it, v) {
		size_t old = path_push_index(&va->path, i++);

		val_node(va, sub(schema, "items"), it, depth + 1);
		path_pop(&va->path, old);
	}
}

static void check_object(struct val *va, const cJSON *schema, const cJSON *v,
			 int depth)
{
	const cJSON *req = cJSON_GetObjectItemCaseSensitive(schema, "required");
	const cJSON *props = sub(schema, "properties");
	const cJSON *addl = sub(schema, "additionalProperties"), *it;
	int n = cJSON_GetArraySize(v);
	double lim;

	if (num(schema, "maxProperties", &lim) && n > lim) {
		va->count++;
		err_cause(va->e, "FieldValueTooMany", buf_cstr(&va->path),
			  "Too many: %d: must have at most %lld items", n, (long long)lim);
	}
	if (num(schema, "minProperties", &lim) && n < lim) {
		cJSON *c = cJSON_CreateNumber(n);

		invalid(va, c, "should have at least %lld properties", (long long)lim);
		cJSON_Delete(c);
	}
	cJSON_ArrayForEach(it, req) {
		size_t old;

		if (!cJSON_IsString(it) ||
		    cJSON_GetObjectItemCaseSensitive(v, it->valuestring))
			continue;
		old = path_push_key(&va->path, it->valuestring);
		va->count++;
		err_cause(va->e, "FieldValueRequired", buf_cstr(&va->path),
			  "Required value");
		path_pop(&va->path, old);
	}
	cJSON_ArrayForEach(it, v) {
		const cJSON *ps = props ? sub(props, it->string) : NULL;
		size_t old;

		if (is_root_meta(&va->path, it->string) || !(ps = ps ? ps : addl))
			continue;
		old = path_push_key(&va->path, it->string);
		val_node(va, ps, it, depth + 1);
		path_pop(&va->path, old);
	}
}

static void val_node(struct val *va, const cJSON *schema, const cJSON *v,
		     int depth)
{
	if (!schema || depth > MAX_DEPTH || !check_type(va, schema, v))
		return;
	check_enum(va, schema, v);
	check_combinators(va, schema, v, depth);
	if (cJSON_IsString(v))
		check_string(va, schema, v);
	else if (cJSON_IsNumber(v))
		check_number(va, schema, v);
	else if (cJSON_IsArray(v))
		check_array(va, schema, v, depth);
	else if (cJSON_IsObject(v))
		check_object(va, schema, v, depth);
}

int crd_schema_validate(const cJSON *schema, const cJSON *obj, struct err *e)
{
	struct val va = { BUF_INIT, e, 0 };

	val_node(&va, schema, obj, 0);
	buf_free(&va.path);
	return va.count;
}

int crd_schema_check(const cJSON *schema, struct err *e)
{
	const char *t = type_of(schema);

	if (!cJSON_IsObject(schema))
		return err_set(e, ERR_INVALID, "Required value: schemas are required");
	if (!t || strcmp(t, "object"))
		return err_set(e, ERR_INVALID, "Unsupported value: \"%s\": supported values: \"object\"",
			       t ? t : "");
	return 0;
}
