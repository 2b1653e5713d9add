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

#include <arpa/inet.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/crd_schema.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/ktime.h"
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

static bool is_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool fmt_date_time(const char *s)
{
	struct ktime t;
	struct err e;

	return ktime_parse(s, &t, &e) == 0;
}

static bool fmt_ipv4(const char *s)
{
	struct in_addr a;

	return inet_pton(AF_INET, s, &a) == 1;
}

static bool fmt_ipv6(const char *s)
{
	struct in6_addr a;

	return inet_pton(AF_INET6, s, &a) == 1;
}

/* The string formats checked; others are accepted as kube-openapi
 * does for unknown formats. */
static const struct {
	const char *name;
	bool (*ok)(const char *s);
} formats[] = {
	{ "date-time", fmt_date_time },
	{ "uuid", is_uuid },
	{ "ipv4", fmt_ipv4 },
	{ "ipv6", fmt_ipv6 },
};

static void check_format(struct val *va, const cJSON *schema, const cJSON *v)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(schema, "format");

	if (!cJSON_IsString(f))
		return;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(f->valuestring, formats[i].name) &&
		    !formats[i].ok(v->valuestring))
			invalid(va, v, "must be of type %s: \"%s\"", formats[i].name,
				v->valuestring);
}

static void check_string(struct val *va, const cJSON *schema, const cJSON *v)
{
	const cJSON *pat = cJSON_GetObjectItemCaseSensitive(schema, "pattern");
	size_t len = utf8_len(v->valuestring);
	double lim;
	regex_t re;

	if (num(schema, "maxLength", &lim) && (double)len > lim) {
		va->count++;
		err_cause(va->e, "FieldValueTooLong", buf_cstr(&va->path),
			  "Too long: may not be more than %lld bytes", (long long)lim);
	}
	if (num(schema, "minLength", &lim) && (double)len < lim)
		invalid(va, v, "should be at least %lld chars long", (long long)lim);
	check_format(va, schema, v);
	if (!cJSON_IsString(pat) ||
	    regcomp(&re, pat->valuestring, REG_EXTENDED | REG_NOSUB) != 0)
		return;
	if (regexec(&re, v->valuestring, 0, NULL, 0) != 0)
		invalid(va, v, "should match '%s'", pat->valuestring);
	regfree(&re);
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
