/* SPDX-License-Identifier: Apache-2.0 */
/*
 * openapi_check: unknown-field detection for fieldValidation, driven by
 * the same type tables the OpenAPI documents are built from
 * (openapi_types.c).  Only modelled kinds are checked; a field typed
 * "any" (or a map) accepts anything below it, and kinds the tables do not
 * model accept any field, as their schemas say
 * (x-kubernetes-preserve-unknown-fields).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cluster/openapi.h"
#include "cluster/openapi_int.h"
#include "common/buf.h"

#define META_OBJ "@io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"

static const struct oa_field *type_fields(const char *name)
{
	for (const struct oa_type *t = oa_types; t->name; t++)
		if (!strcmp(t->name, name))
			return t->fields;
	return NULL;
}

static const struct oa_field *field_of(const struct oa_field *fields,
				       const char *name)
{
	for (const struct oa_field *f = fields; f && f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

static void walk(const struct oa_field *fields, cJSON *obj,
		 const char *path, struct buf *out, bool drop);

/* Descend into the value v of field f (at path p) when f names a modelled type. */
static void descend(const struct oa_field *f, cJSON *v, const char *p,
		    struct buf *out, bool drop)
{
	const char *t = f->type;
	char name[256], sub[512];
	bool list = !strncmp(t, "[]@", 3);
	const struct oa_field *fields;
	cJSON *el;
	int i = 0;

	if (t[0] != '@' && !list)
		return;
	snprintf(name, sizeof(name), "%s", t + (list ? 3 : 1));
	name[strcspn(name, "/")] = '\0';
	if (!(fields = type_fields(name)))
		return;
	if (!list) {
		walk(fields, v, p, out, drop);
		return;
	}
	cJSON_ArrayForEach(el, v) {
		snprintf(sub, sizeof(sub), "%s[%d]", p, i++);
		walk(fields, el, sub, out, drop);
	}
}

/* Unknown fields are reported, and removed when drop; null values (deletions in a patch) pass. */
static void walk(const struct oa_field *fields, cJSON *obj,
		 const char *path, struct buf *out, bool drop)
{
	cJSON *c, *next;
	char p[512];

	if (!cJSON_IsObject(obj))
		return;
	for (c = obj->child; c; c = next) {
		const struct oa_field *f;

		next = c->next;
		if (c->string[0] == '$' || cJSON_IsNull(c))	/* directive or deletion */
			continue;
		snprintf(p, sizeof(p), "%s%s%s", path, path[0] ? "." : "", c->string);
		f = field_of(fields, c->string);
		if (f) {
			descend(f, c, p, out, drop);
			continue;
		}
		buf_printf(out, "%sunknown field \"%s\"", out->len ? ", " : "", p);
		if (drop)
			cJSON_Delete(cJSON_DetachItemViaPointer(obj, c));
	}
}

char *openapi_unknown_fields(const char *group, const char *kind,
			     cJSON *obj, bool drop)
{
	static const struct oa_field envelope[] = {
		{ "apiVersion", "string", "" },
		{ "kind", "string", "" },
		{ "metadata", META_OBJ, "" },
		{ NULL, NULL, NULL }
	};
	const struct oa_kind_fields *m = NULL;
	struct oa_field all[64];
	struct buf out = BUF_INIT;
	size_t n = 0;

	for (const struct oa_kind_fields *k = oa_kind_fields; k->kind && !m; k++)
		if (!strcmp(k->group, group) && !strcmp(k->kind, kind))
			m = k;
	if (!m || !cJSON_IsObject(obj))
		return NULL;
	for (const struct oa_field *f = envelope; f->name; f++)
		all[n++] = *f;
	for (const struct oa_field *f = m->fields; f->name && n < 63; f++)
		all[n++] = *f;
	all[n] = (struct oa_field){ NULL, NULL, NULL };
	walk(all, obj, "", &out, drop);
	if (!out.len)
		return NULL;
	return buf_take(&out);
}
