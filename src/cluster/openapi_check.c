/* SPDX-License-Identifier: Apache-2.0 */
/*
 * openapi_check: unknown-field detection for fieldValidation, driven by
 * the same type tables the OpenAPI documents are built from
 * (openapi_types.c).  A field typed "any" (or a map) accepts anything
 * below it.
 *
 * Kinds those tables do not model are checked against the protobuf
 * message tables instead (pb_schema_*.c: every kind typed clients send,
 * Jobs, CronJobs, Namespaces, RBAC, Ingresses, PDBs, ... with their
 * complete specs), inline members joining their parent as in Go; the
 * top-level status (written through the status subresource) and
 * metadata's managedFields are not in those tables and pass.  Kinds in
 * neither table accept any field, as if their schemas said
 * x-kubernetes-preserve-unknown-fields.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/openapi.h"
#include "cluster/openapi_int.h"
#include "cluster/pb_schema.h"
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

/* The field called name in m, looking through inline members. */
const struct pb_field *openapi_pb_field(const struct pb_msg *m, const char *name)
{
	for (size_t i = 0; m && i < m->nfields; i++) {
		const struct pb_field *f = &m->fields[i], *in;

		if (f->flags & PB_I) {
			if ((in = openapi_pb_field(f->msg, name)))
				return in;
		} else if (!strcmp(f->name, name)) {
			return f;
		}
	}
	return NULL;
}

static void pb_walk(const struct pb_msg *m, cJSON *obj, const char *path,
		    struct buf *out, bool drop);

static void pb_descend(const struct pb_field *f, cJSON *v, const char *p,
		       struct buf *out, bool drop)
{
	char sub[512];
	cJSON *el;
	int i = 0;

	if (f->type != PB_MSG || !f->msg)
		return;		/* scalars, maps, quantities: nothing below */
	if (f->msg == &pb_m_meta_ObjectMeta) {
		walk(type_fields(&META_OBJ[1]), v, p, out, drop);
		return;
	}
	if (!(f->flags & PB_R)) {
		pb_walk(f->msg, v, p, out, drop);
		return;
	}
	cJSON_ArrayForEach(el, v) {
		snprintf(sub, sizeof(sub), "%s[%d]", p, i++);
		pb_walk(f->msg, el, sub, out, drop);
	}
}

static void pb_walk(const struct pb_msg *m, cJSON *obj, const char *path,
		    struct buf *out, bool drop)
{
	cJSON *c, *next;
	char p[512];

	if (!cJSON_IsObject(obj))
		return;
	for (c = obj->child; c; c = next) {
		const struct pb_field *f;

		next = c->next;
		if (c->string[0] == '$' || cJSON_IsNull(c))
			continue;
		snprintf(p, sizeof(p), "%s%s%s", path, path[0] ? "." : "", c->string);
		if ((f = openapi_pb_field(m, c->string))) {
			pb_descend(f, c, p, out, drop);
			continue;
		}
		buf_printf(out, "%sunknown field \"%s\"", out->len ? ", " : "", p);
		if (drop)
			cJSON_Delete(cJSON_DetachItemViaPointer(obj, c));
	}
}

/* A kind only the protobuf tables describe: check it against them. */
static char *pb_unknown_fields(const char *group, const char *version,
			       const char *kind, cJSON *obj, bool drop)
{
	char api_version[128];
	const struct pb_msg *m = NULL;
	struct buf out = BUF_INIT;
	cJSON *c, *next;

	snprintf(api_version, sizeof(api_version), "%s%s%s", group,
		 group[0] ? "/" : "", version);
	for (const struct pb_kind *k = pb_kinds; k->kind && !m; k++)
		if (!strcmp(k->kind, kind) && !strcmp(k->api_version, api_version))
			m = k->msg;
	if (!m || !cJSON_IsObject(obj))
		return NULL;
	for (c = obj->child; c; c = next) {	/* the envelope and status */
		const struct pb_field *f;
		char p[256];

		next = c->next;
		if (!strcmp(c->string, "apiVersion") || !strcmp(c->string, "kind") ||
		    !strcmp(c->string, "status") || c->string[0] == '$' ||
		    cJSON_IsNull(c))
			continue;
		snprintf(p, sizeof(p), "%s", c->string);
		if ((f = openapi_pb_field(m, c->string))) {
			pb_descend(f, c, p, &out, drop);
			continue;
		}
		buf_printf(&out, "%sunknown field \"%s\"", out.len ? ", " : "", p);
		if (drop)
			cJSON_Delete(cJSON_DetachItemViaPointer(obj, c));
	}
	if (out.len)
		return buf_take(&out);
	buf_free(&out);
	return NULL;
}

/*
 * Duplicate members of the objects under v (at path), as Go's strict
 * decoder reports them: `duplicate field "data.a"`; the earlier ones go
 * (the last value wins, as in Go).
 */
static void dups(cJSON *v, const char *path, struct buf *out, int depth)
{
	cJSON *c, *next, *d;
	int i = 0;

	if (depth > 64)
		return;
	for (c = v ? v->child : NULL; c; c = next, i++) {
		char sub[512];

		next = c->next;
		if (cJSON_IsArray(v))
			snprintf(sub, sizeof(sub), "%s[%d]", path, i);
		else
			snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "", c->string);
		for (d = cJSON_IsObject(v) ? c->next : NULL; d; d = d->next)
			if (!strcmp(d->string, c->string))
				break;
		if (d) {
			buf_printf(out, "%sduplicate field \"%s\"", out->len ? ", " : "", sub);
			cJSON_Delete(cJSON_DetachItemViaPointer(v, c));
			continue;
		}
		dups(c, sub, out, depth + 1);
	}
}

char *openapi_join_msgs(char *a, char *b)
{
	struct buf out = BUF_INIT;

	if (!a || !b)
		return a ? a : b;
	buf_printf(&out, "%s, %s", a, b);
	free(a);
	free(b);
	return buf_take(&out);
}

char *openapi_duplicate_fields(cJSON *obj)
{
	struct buf out = BUF_INIT;

	dups(obj, "", &out, 0);
	if (out.len)
		return buf_take(&out);
	buf_free(&out);
	return NULL;
}

static char *unknown_fields(const char *group, const char *version,
			    const char *kind, cJSON *obj, bool drop);

char *openapi_unknown_fields(const char *group, const char *version,
			     const char *kind, cJSON *obj, bool drop)
{
	char *d = openapi_duplicate_fields(obj);

	return openapi_join_msgs(d, unknown_fields(group, version, kind, obj, drop));
}

static char *unknown_fields(const char *group, const char *version,
			    const char *kind, cJSON *obj, bool drop)
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
	if (!m)
		return pb_unknown_fields(group, version, kind, obj, drop);
	if (!cJSON_IsObject(obj))
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
