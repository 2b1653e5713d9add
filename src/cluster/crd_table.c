/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crd_table: Table output of custom resources from a CRD version's
 * additionalPrinterColumns (Name first, then the columns; Name and Age
 * when the version lists none), as kube-apiserver's CRD table convertor.
 *
 * JSONPath: the subset real CRDs use: `.a.b`, `['a.b']`, `[N]`, `[*]`,
 * and filters `[?(@.type=="Ready")]` (== and != against a quoted string,
 * a number, true or false).  The first match is the cell; no match is a
 * null cell.  Cell types follow the column: integer and number cells are
 * numbers, boolean ones booleans, date ones the age ("5m") of an RFC 3339
 * time, string ones the value (other JSON values printed as JSON).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/crd_int.h"
#include "cluster/table.h"
#include "common/json.h"
#include "common/mem.h"

#define JP_DEPTH 32

static const cJSON *jp_eval(const cJSON *v, const char *p, int depth);

/* Field name at p (".name" already past the dot): length. */
static size_t ident_len(const char *p)
{
	size_t n = 0;

	while (p[n] && p[n] != '.' && p[n] != '[')
		n++;
	return n;
}

static const cJSON *child(const cJSON *v, const char *name, size_t n)
{
	const cJSON *it, *o = cJSON_IsObject(v) ? v : NULL;

	cJSON_ArrayForEach(it, o)
		if (strlen(it->string) == n && !strncmp(it->string, name, n))
			return it;
	return NULL;
}

/* Does elem satisfy the filter body "@.a.b==\"x\"" (len n)? */
static bool filter_ok(const cJSON *elem, const char *f, size_t n, int depth)
{
	char *body = xasprintf("%.*s", (int)n, f), *op, *lhs, *rhs;
	bool neg, ok = false;
	const cJSON *got;
	cJSON *want;

	op = strstr(body, "==");
	neg = !op && (op = strstr(body, "!="));
	if (!op || body[0] != '@')
		goto out;
	*op = 0;
	lhs = body + 1;
	rhs = op + 2;
	while (*rhs == ' ')
		rhs++;
	for (char *e = op - 1; e > lhs && *e == ' '; e--)
		*e = 0;
	if (*rhs == '\'' || *rhs == '"') {
		char q = *rhs++, *end = strrchr(rhs, q);

		if (end)
			*end = 0;
		want = cJSON_CreateString(rhs);
	} else {
		want = cJSON_Parse(rhs);
	}
	got = jp_eval(elem, lhs, depth + 1);
	ok = want && got && json_equal(got, want);
	if (neg)
		ok = want && !ok;
	cJSON_Delete(want);
out:
	free(body);
	return ok;
}

/* Evaluate a bracket at p ("[...]"); rest after it. */
static const cJSON *bracket(const cJSON *v, const char *p, int depth)
{
	const char *end = strchr(p, ']'), *rest;
	const cJSON *it, *r;
	const cJSON *coll = cJSON_IsArray(v) || cJSON_IsObject(v) ? v : NULL;

	if (p[1] == '?' && p[2] == '(')
		end = strstr(p, ")]") ? strstr(p, ")]") + 1 : NULL;
	if (!end)
		return NULL;
	rest = end + 1;
	if (p[1] == '\'' || p[1] == '"')
		return jp_eval(child(v, p + 2, (size_t)(end - p - 3)), rest, depth + 1);
	if (p[1] == '*' || (p[1] == '?' && p[2] == '(')) {
		cJSON_ArrayForEach(it, coll) {
			if (p[1] == '?' && !filter_ok(it, p + 3, (size_t)(end - p - 4), depth))
				continue;
			if ((r = jp_eval(it, rest, depth + 1)))
				return r;
		}
		return NULL;
	}
	if (!cJSON_IsArray(v))
		return NULL;
	{
		int i = atoi(p + 1);

		if (i < 0)
			i += cJSON_GetArraySize(v);
		return jp_eval(cJSON_GetArrayItem(v, i), rest, depth + 1);
	}
}

static const cJSON *jp_eval(const cJSON *v, const char *p, int depth)
{
	size_t n;

	if (!v || depth > JP_DEPTH)
		return NULL;
	if (!*p || !strcmp(p, "}"))
		return v;
	if (*p == '[')
		return bracket(v, p, depth);
	if (*p != '.')
		return NULL;
	p++;
	n = ident_len(p);
	if (!n)
		return jp_eval(v, p, depth + 1);
	return jp_eval(child(v, p, n), p + n, depth + 1);
}

const cJSON *crd_jsonpath(const cJSON *obj, const char *path)
{
	if (!path)
		return NULL;
	if (*path == '{')
		path++;
	return jp_eval(obj, path, 0);
}

/* --- columns --- */

static bool wants_age(const cJSON *cols)
{
	return !cJSON_GetArraySize(cols);
}

void crd_table_defs(const struct reg_kind *k, struct buf *out)
{
	const cJSON *cols = crd_columns(k), *c;

	buf_adds(out, "[{\"name\":\"Name\",\"type\":\"string\",\"format\":\"name\",\"description\":\"Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names\",\"priority\":0}");
	if (wants_age(cols))
		buf_adds(out, ",{\"name\":\"Age\",\"type\":\"date\",\"format\":\"\",\"description\":\"\",\"priority\":0}");
	cJSON_ArrayForEach(c, cols) {
		int64_t prio = 0;

		json_get_int(c, "priority", &prio);
		buf_adds(out, ",{\"name\":");
		buf_add_json_str(out, json_get_str(c, "name") ?: "");
		buf_adds(out, ",\"type\":");
		buf_add_json_str(out, json_get_str(c, "type") ?: "string");
		buf_adds(out, ",\"format\":");
		buf_add_json_str(out, json_get_str(c, "format") ?: "");
		buf_adds(out, ",\"description\":");
		buf_add_json_str(out, json_get_str(c, "description") ?: "");
		buf_printf(out, ",\"priority\":%lld}", (long long)prio);
	}
	buf_addc(out, ']');
}

static void cell(const cJSON *v, const char *type, time_t now, struct buf *out)
{
	char tmp[64];
	char *s;

	if (!v || cJSON_IsNull(v)) {
		buf_adds(out, "null");
	} else if (!strcmp(type, "date") && cJSON_IsString(v)) {
		table_age(v->valuestring, now, tmp, sizeof(tmp));
		buf_add_json_str(out, tmp);
	} else if ((!strcmp(type, "integer") || !strcmp(type, "number")) &&
		   cJSON_IsNumber(v)) {
		s = cJSON_PrintUnformatted(v);
		buf_adds(out, s);
		free(s);
	} else if (!strcmp(type, "boolean") && cJSON_IsBool(v)) {
		buf_adds(out, cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsString(v)) {
		buf_add_json_str(out, v->valuestring);
	} else {
		s = cJSON_PrintUnformatted(v);
		buf_add_json_str(out, s);
		free(s);
	}
}

void crd_table_cells(const struct reg_kind *k, const cJSON *obj, time_t now,
		     struct buf *out)
{
	const cJSON *cols = crd_columns(k), *c;

	buf_addc(out, '[');
	cell(json_get(obj, "metadata.name"), "string", now, out);
	if (wants_age(cols)) {
		buf_addc(out, ',');
		cell(json_get(obj, "metadata.creationTimestamp"), "date", now, out);
	}
	cJSON_ArrayForEach(c, cols) {
		buf_addc(out, ',');
		cell(crd_jsonpath(obj, json_get_str(c, "jsonPath")),
		     json_get_str(c, "type") ?: "string", now, out);
	}
	buf_addc(out, ']');
}
