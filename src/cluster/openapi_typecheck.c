/* SPDX-License-Identifier: Apache-2.0 */
/*
 * openapi_typecheck: JSON values of the wrong type in built-in kinds,
 * found the way the apiserver's JSON decoder finds them and worded as it
 * words them (Go's encoding/json UnmarshalTypeError):
 *
 *   json: cannot unmarshal string into Go struct field
 *   DeploymentSpec.spec.replicas of type int32
 *
 * Driven by the protobuf message tables (pb_schema_*.c), which give every
 * field of the kinds typed clients send with its Go type.  Only definite
 * mismatches are reported: null is accepted anywhere (Go leaves the zero
 * value), quantities and int-or-string fields take strings and numbers,
 * and times and durations are left to their own parsers.  Kinds outside
 * the tables, and status (written through its subresource), are not
 * checked.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/openapi.h"
#include "cluster/openapi_int.h"
#include "cluster/pb_schema.h"
#include "common/mem.h"

/* What Go calls the JSON value in its message. */
static void json_kind(const cJSON *v, char *out, size_t n)
{
	if (cJSON_IsString(v))
		snprintf(out, n, "string");
	else if (cJSON_IsBool(v))
		snprintf(out, n, "bool");
	else if (cJSON_IsArray(v))
		snprintf(out, n, "array");
	else if (cJSON_IsObject(v))
		snprintf(out, n, "object");
	else if (v->valuedouble == floor(v->valuedouble))
		snprintf(out, n, "number %.0f", v->valuedouble);
	else
		snprintf(out, n, "number %g", v->valuedouble);
}

/* An integer JSON number that fits the Go type. */
static bool fits_int(const cJSON *v, bool bits32)
{
	double d = v->valuedouble;

	if (!cJSON_IsNumber(v) || d != floor(d))
		return false;
	return bits32 ? d >= -2147483648.0 && d <= 2147483647.0
		      : d >= -9223372036854775808.0 && d < 9223372036854775808.0;
}

struct tc {
	char *msg;		/* the first mismatch, once found */
};

static void check_msg(struct tc *t, const struct pb_msg *m, const cJSON *obj,
		      const char *path);

static void mismatch(struct tc *t, const struct pb_msg *m, const char *path,
		     const cJSON *v, const char *go_type)
{
	char kind[64];

	if (t->msg)
		return;
	json_kind(v, kind, sizeof(kind));
	/* Go names a mismatched number by its kind alone unless it is a
	 * number that does not fit an integer */
	if (!strncmp(kind, "number", 6) && !strstr(go_type, "int"))
		kind[6] = '\0';
	t->msg = xasprintf("json: cannot unmarshal %s into Go struct field %s.%s of type %s",
			   kind, m->name, path, go_type);
}

/* Go's name of the field's type, for the message. */
static void go_type(const struct pb_field *f, bool element, char *out, size_t n)
{
	static const char *const scalar[] = {
		[PB_STRING] = "string", [PB_INT32] = "int32", [PB_INT64] = "int64",
		[PB_BOOL] = "bool", [PB_DOUBLE] = "float64", [PB_BYTES] = "[]uint8",
	};
	const char *rep = (f->flags & PB_R) && !element ? "[]" : "";

	if (f->type == PB_MSG)
		snprintf(out, n, "%sv1.%s", rep, f->msg ? f->msg->name : "?");
	else if (f->type <= PB_BYTES)
		snprintf(out, n, "%s%s", rep, scalar[f->type]);
	else
		snprintf(out, n, "%smap[string]string", rep);
}

/* The values of a map of strings (labels, a ConfigMap's data). */
static void check_map_values(struct tc *t, const struct pb_msg *m,
			     const cJSON *map, const char *path)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, map)
		if (!cJSON_IsNull(c) && !cJSON_IsString(c)) {
			mismatch(t, m, path, c, "string");
			return;
		}
}

/* One value v of field f (in message m, at path), not a list. */
static void check_value(struct tc *t, const struct pb_msg *m,
			const struct pb_field *f, const cJSON *v, const char *path)
{
	char gt[160];
	bool ok = true;

	if (cJSON_IsNull(v))
		return;
	switch (f->type) {
	case PB_STRING: case PB_BYTES:
		ok = cJSON_IsString(v);
		break;
	case PB_INT32: case PB_INT64:
		ok = fits_int(v, f->type == PB_INT32);
		break;
	case PB_BOOL:
		ok = cJSON_IsBool(v);
		break;
	case PB_DOUBLE:
		ok = cJSON_IsNumber(v);
		break;
	case PB_MSG:
		if (!(ok = cJSON_IsObject(v)))
			break;
		if (f->msg)
			check_msg(t, f->msg, v, path);
		return;
	case PB_MAP_STRING: case PB_MAP_BYTES:
		if (!(ok = cJSON_IsObject(v)))
			break;
		check_map_values(t, m, v, path);
		return;
	case PB_MAP_QUANTITY: case PB_MAP_STRINGS:
		ok = cJSON_IsObject(v);
		break;
	default:		/* times, durations, quantities, int-or-string */
		return;
	}
	if (!ok) {
		go_type(f, true, gt, sizeof(gt));
		mismatch(t, m, path, v, gt);
	}
}

/* Member c of an object of message m, at path (c's own name included). */
static void check_field(struct tc *t, const struct pb_msg *m,
			const struct pb_field *f, const cJSON *c, const char *path)
{
	const cJSON *el;
	char gt[160];

	if (!(f->flags & PB_R)) {
		check_value(t, m, f, c, path);
		return;
	}
	if (cJSON_IsNull(c))
		return;
	if (!cJSON_IsArray(c)) {
		go_type(f, false, gt, sizeof(gt));
		mismatch(t, m, path, c, gt);
		return;
	}
	cJSON_ArrayForEach(el, c)
		check_value(t, m, f, el, path);
}

static void check_msg(struct tc *t, const struct pb_msg *m, const cJSON *obj,
		      const char *path)
{
	const cJSON *c;
	char p[512];

	cJSON_ArrayForEach(c, obj) {
		const struct pb_field *f;

		if (t->msg)
			return;
		if (!c->string || c->string[0] == '$' || !(f = openapi_pb_field(m, c->string)))
			continue;	/* directives; unknown fields are fieldValidation's */
		snprintf(p, sizeof(p), "%s%s%s", path, path[0] ? "." : "", c->string);
		check_field(t, m, f, c, p);
	}
}

char *openapi_type_error(const char *group, const char *version,
			 const char *kind, const cJSON *obj)
{
	char api_version[128];
	const struct pb_msg *m = NULL;
	struct tc t = { NULL };
	const cJSON *c;

	snprintf(api_version, sizeof(api_version), "%s%s%s", group,
		 group[0] ? "/" : "", version);
	for (const struct pb_kind *k = pb_kinds; k->kind && !m; k++)
		if (!strcmp(k->kind, kind) && !strcmp(k->api_version, api_version))
			m = k->msg;
	if (!m || !cJSON_IsObject(obj))
		return NULL;
	cJSON_ArrayForEach(c, obj) {	/* the envelope and status are not in m */
		const struct pb_field *f;

		if (t.msg)
			break;
		if (c->string && strcmp(c->string, "status") &&
		    (f = openapi_pb_field(m, c->string)))
			check_field(&t, m, f, c, c->string);
	}
	return t.msg;
}
