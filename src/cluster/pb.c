/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pb: protobuf request bodies -> cJSON, driven by the schema tables.
 *
 * The reader is a bounds-checked cursor over the body: every length is
 * checked against the end of its enclosing message before use, nesting is
 * limited to PB_MAX_DEPTH, and group wire types (3, 4) are rejected.  Each
 * message is decoded field by field: unknown field numbers are skipped,
 * known ones must carry the wire type their schema type implies.  Zero
 * values are dropped as the Go decoder leaves them unset, except for
 * repeated elements, map values and fields flagged PB_Z / PB_E.
 */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "cluster/pb.h"
#include "cluster/pb_schema.h"
#include "common/ktime.h"
#include "common/mem.h"
#include "common/quantity.h"

#define PB_MAX_DEPTH 32

enum { WT_VARINT = 0, WT_FIXED64 = 1, WT_LEN = 2, WT_FIXED32 = 5 };

struct pb_reader {
	const uint8_t *p, *end, *base;
	struct err *e;
};

static int malformed(struct pb_reader *r, const char *what)
{
	return err_set(r->e, ERR_BAD_REQUEST, "malformed protobuf body: %s at "
		       "byte %zu", what, (size_t)(r->p - r->base));
}

static int read_varint(struct pb_reader *r, uint64_t *v)
{
	unsigned shift = 0;

	*v = 0;
	while (r->p < r->end) {
		uint8_t b = *r->p++;

		if (shift == 63 && b > 1)
			return malformed(r, "varint overflows 64 bits");
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
		shift += 7;
		if (shift > 63)
			return malformed(r, "varint longer than 10 bytes");
	}
	return malformed(r, "truncated varint");
}

static int read_len(struct pb_reader *r, struct pb_reader *sub)
{
	uint64_t n;

	if (read_varint(r, &n) < 0)
		return -1;
	if (n > (uint64_t)(r->end - r->p))
		return malformed(r, "length past the end of the message");
	sub->p = r->p;
	sub->end = r->p + n;
	sub->base = r->base;
	sub->e = r->e;
	r->p += n;
	return 0;
}

static int read_fixed(struct pb_reader *r, size_t n, uint64_t *v)
{
	size_t i;

	if ((size_t)(r->end - r->p) < n)
		return malformed(r, "truncated fixed-size field");
	*v = 0;
	for (i = 0; i < n; i++)
		*v |= (uint64_t)r->p[i] << (8 * i);
	r->p += n;
	return 0;
}

static int read_tag(struct pb_reader *r, uint32_t *num, int *wt)
{
	uint64_t tag;

	if (read_varint(r, &tag) < 0)
		return -1;
	*wt = (int)(tag & 7);
	if (tag >> 3 == 0 || tag >> 3 > 0x1fffffff)
		return malformed(r, "invalid field number");
	*num = (uint32_t)(tag >> 3);
	return 0;
}

static int skip_value(struct pb_reader *r, int wt)
{
	struct pb_reader sub;
	uint64_t v = 0;

	switch (wt) {
	case WT_VARINT:
		return read_varint(r, &v);
	case WT_FIXED64:
		return read_fixed(r, 8, &v);
	case WT_LEN:
		return read_len(r, &sub);
	case WT_FIXED32:
		return read_fixed(r, 4, &v);
	default:
		return malformed(r, "unsupported wire type");
	}
}

/* The bytes of sub as a new NUL-terminated string. */
static char *sub_string(const struct pb_reader *sub)
{
	size_t n = (size_t)(sub->end - sub->p);
	char *s = xmalloc(n + 1);

	if (n)		/* an unset reader has NULL pointers */
		memcpy(s, sub->p, n);
	s[n] = '\0';
	return s;
}

static cJSON *base64_item(const struct pb_reader *sub)
{
	gnutls_datum_t in, out;
	cJSON *item;
	char *s;

	if (sub->end == sub->p)
		return cJSON_CreateString("");
	in.data = (unsigned char *)sub->p;
	in.size = (unsigned)(sub->end - sub->p);
	if (gnutls_base64_encode2(&in, &out) < 0)
		abort();
	s = xmalloc(out.size + 1);
	memcpy(s, out.data, out.size);
	s[out.size] = '\0';
	gnutls_free(out.data);
	item = cJSON_CreateString(s);
	free(s);
	return item;
}

/*
 * Read the scalar fields of a small well-known message (Time, Duration,
 * IntOrString, Quantity, map entries): varints into iv[num], strings into
 * sv[num] (borrowed readers), for field numbers 1..3.
 */
struct small_msg {
	uint64_t iv[4];
	struct pb_reader sv[4];
	bool has[4];
};

static int read_small(struct pb_reader *r, struct small_msg *m)
{
	uint32_t num = 0;
	int wt;

	memset(m, 0, sizeof(*m));
	while (r->p < r->end) {
		if (read_tag(r, &num, &wt) < 0)
			return -1;
		if (num > 3) {
			if (skip_value(r, wt) < 0)
				return -1;
			continue;
		}
		if (wt == WT_VARINT && read_varint(r, &m->iv[num]) < 0)
			return -1;
		if (wt == WT_LEN && read_len(r, &m->sv[num]) < 0)
			return -1;
		if (wt != WT_VARINT && wt != WT_LEN)
			return malformed(r, "unexpected wire type");
		m->has[num] = true;
	}
	return 0;
}

static cJSON *string_of(const struct pb_reader *sub, bool has)
{
	char *s;
	cJSON *item;

	if (!has)
		return cJSON_CreateString("");
	s = sub_string(sub);
	item = cJSON_CreateString(s);
	free(s);
	return item;
}

static cJSON *time_item(const struct small_msg *m, bool micro)
{
	struct ktime t = { (int64_t)m->iv[1], (int32_t)m->iv[2] };
	char out[KTIME_STR_MAX];

	if (!t.sec && !t.nsec)
		return NULL;
	if (t.nsec < 0 || t.nsec > 999999999)
		t.nsec = 0;
	return cJSON_CreateString(micro ? ktime_format_micro(&t, out) :
				  ktime_format(&t, out));
}

static cJSON *quantity_item(struct pb_reader *r, const struct small_msg *m)
{
	char out[QUANTITY_STR_MAX], *s;
	struct quantity q;
	struct err qe;
	int rc;

	if (!m->has[1] || m->sv[1].p == m->sv[1].end)
		return cJSON_CreateString("0");
	s = sub_string(&m->sv[1]);
	rc = quantity_parse(s, &q, &qe);
	free(s);
	if (rc < 0) {
		malformed(r, "invalid quantity");
		return NULL;
	}
	return cJSON_CreateString(quantity_format(&q, out));
}

/* A well-known message type.  NULL with *dropped for "unset". */
static cJSON *special_item(struct pb_reader *sub, enum pb_type type,
			   bool *failed)
{
	char out[KTIME_STR_MAX];
	struct small_msg m;
	cJSON *item = NULL;

	*failed = read_small(sub, &m) < 0;
	if (*failed)
		return NULL;
	switch (type) {
	case PB_TIME:
	case PB_MICROTIME:
		return time_item(&m, type == PB_MICROTIME);
	case PB_DURATION:
		return cJSON_CreateString(ktime_format_duration(
			(int64_t)m.iv[1], out));
	case PB_QUANTITY:
		item = quantity_item(sub, &m);
		*failed = item == NULL;
		return item;
	case PB_INTSTR:
		if (m.iv[1] == 1)
			return string_of(&m.sv[3], m.has[3]);
		return cJSON_CreateNumber((double)(int32_t)m.iv[2]);
	default:
		return NULL;
	}
}

/* ExtraValue {1 repeated string items} -> ["a", "b"]. */
static cJSON *strings_item(struct pb_reader *r)
{
	cJSON *arr = cJSON_CreateArray();
	struct pb_reader s;
	uint32_t num = 0;
	int wt;

	while (r->p < r->end) {
		if (read_tag(r, &num, &wt) < 0)
			goto fail;
		if (num == 1 && wt == WT_LEN) {
			if (read_len(r, &s) < 0)
				goto fail;
			cJSON_AddItemToArray(arr, string_of(&s, true));
		} else if (skip_value(r, wt) < 0) {
			goto fail;
		}
	}
	return arr;
fail:
	cJSON_Delete(arr);
	return NULL;
}

/* The value of a map entry, by map type.  NULL on error (r's err set). */
static cJSON *map_value(struct pb_reader *r, const struct small_msg *m,
			enum pb_type type)
{
	struct pb_reader v = m->sv[2];
	bool failed;

	if (!m->has[2])
		v.p = v.end = r->p;
	switch (type) {
	case PB_MAP_BYTES:
		return base64_item(&v);
	case PB_MAP_QUANTITY:
		return special_item(&v, PB_QUANTITY, &failed);
	case PB_MAP_STRINGS:
		return strings_item(&v);
	default:
		return string_of(&v, m->has[2]);
	}
}

/* One map entry {1 key, 2 value} into the object obj. */
static int map_entry(struct pb_reader *sub, enum pb_type type, cJSON *obj)
{
	struct small_msg m;
	cJSON *value;
	char *key;

	if (read_small(sub, &m) < 0)
		return -1;
	value = map_value(sub, &m, type);
	if (!value)
		return -1;
	key = m.has[1] ? sub_string(&m.sv[1]) : xstrdup("");
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	cJSON_AddItemToObject(obj, key, value);
	free(key);
	return 0;
}

static int decode_msg(const struct pb_msg *m, struct pb_reader *r, int depth,
		      cJSON *obj);

static const struct pb_field *find_field(const struct pb_msg *m, uint32_t n)
{
	size_t i;

	for (i = 0; i < m->nfields; i++)
		if (m->fields[i].num == n)
			return &m->fields[i];
	return NULL;
}

static int wire_type_of(enum pb_type t)
{
	switch (t) {
	case PB_INT32:
	case PB_INT64:
	case PB_BOOL:
		return WT_VARINT;
	case PB_DOUBLE:
		return WT_FIXED64;
	default:
		return WT_LEN;
	}
}

/* Decode a varint or fixed64 scalar; *zero tells whether it is 0/false. */
static cJSON *scalar_item(struct pb_reader *r, enum pb_type t, bool *zero)
{
	uint64_t v = 0;
	double d;

	if (t == PB_DOUBLE) {
		if (read_fixed(r, 8, &v) < 0)
			return NULL;
		memcpy(&d, &v, sizeof(d));
		*zero = d == 0;
		return cJSON_CreateNumber(d);
	}
	if (read_varint(r, &v) < 0)
		return NULL;
	*zero = v == 0;
	if (t == PB_BOOL)
		return cJSON_CreateBool(v != 0);
	if (t == PB_INT32)
		return cJSON_CreateNumber((double)(int32_t)v);
	return cJSON_CreateNumber((double)(int64_t)v);
}

/* A length-delimited value of any non-map type.  *zero for "unset". */
static cJSON *len_item(const struct pb_field *f, struct pb_reader *sub,
		       int depth, bool *zero, bool *failed)
{
	cJSON *item;

	*failed = false;
	*zero = sub->p == sub->end;
	switch (f->type) {
	case PB_STRING:
		return string_of(sub, true);
	case PB_BYTES:
		return base64_item(sub);
	case PB_MSG:
		item = cJSON_CreateObject();
		if (decode_msg(f->msg, sub, depth + 1, item) < 0) {
			cJSON_Delete(item);
			*failed = true;
			return NULL;
		}
		*zero = item->child == NULL;
		return item;
	default:
		item = special_item(sub, f->type, failed);
		*zero = item == NULL;
		return item;
	}
}

/* Put item under f->name: appended when repeated, dropped when unset. */
static void store(cJSON *obj, const struct pb_field *f, cJSON *item,
		  bool zero)
{
	cJSON *arr;
	bool keep = (f->type == PB_MSG) ? (f->flags & PB_E) != 0
					 : (f->flags & PB_Z) != 0;

	if (f->flags & PB_R) {
		if (!item)
			return;
		arr = cJSON_GetObjectItemCaseSensitive(obj, f->name);
		if (!cJSON_IsArray(arr)) {
			cJSON_DeleteItemFromObjectCaseSensitive(obj, f->name);
			arr = cJSON_AddArrayToObject(obj, f->name);
		}
		cJSON_AddItemToArray(arr, item);
		return;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(obj, f->name);
	if (item && (!zero || keep))
		cJSON_AddItemToObject(obj, f->name, item);
	else
		cJSON_Delete(item);
}

static cJSON *map_object(cJSON *obj, const char *name)
{
	cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (cJSON_IsObject(m))
		return m;
	cJSON_DeleteItemFromObjectCaseSensitive(obj, name);
	return cJSON_AddObjectToObject(obj, name);
}

static bool is_map(enum pb_type t)
{
	return t == PB_MAP_STRING || t == PB_MAP_BYTES ||
	       t == PB_MAP_QUANTITY || t == PB_MAP_STRINGS;
}

/* Move item's members into obj (an inline message); frees item. */
static void merge_into(cJSON *obj, cJSON *item)
{
	cJSON *c;

	while (item->child) {
		c = cJSON_DetachItemViaPointer(item, item->child);
		cJSON_DeleteItemFromObjectCaseSensitive(obj, c->string);
		cJSON_AddItemToObject(obj, c->string, c);
	}
	cJSON_Delete(item);
}

/* One known field whose tag has been read. */
static int decode_field(const struct pb_field *f, struct pb_reader *r,
			int wt, int depth, cJSON *obj)
{
	struct pb_reader sub;
	bool zero = false, failed = false;
	cJSON *item;

	if (wt != wire_type_of(f->type))
		return malformed(r, "wire type does not match the schema");
	if (wt != WT_LEN) {
		item = scalar_item(r, f->type, &zero);
		if (!item)
			return -1;
		store(obj, f, item, zero);
		return 0;
	}
	if (read_len(r, &sub) < 0)
		return -1;
	if (is_map(f->type))
		return map_entry(&sub, f->type, map_object(obj, f->name));
	item = len_item(f, &sub, depth, &zero, &failed);
	if (failed)
		return -1;
	if (!item && (f->flags & PB_R))
		item = cJSON_CreateNull();
	if ((f->flags & PB_I) && item) {
		merge_into(obj, item);
		return 0;
	}
	store(obj, f, item, zero);
	return 0;
}

static int decode_msg(const struct pb_msg *m, struct pb_reader *r, int depth,
		      cJSON *obj)
{
	const struct pb_field *f;
	uint32_t num = 0;
	int wt;

	if (depth > PB_MAX_DEPTH)
		return malformed(r, "messages nested too deeply");
	while (r->p < r->end) {
		if (read_tag(r, &num, &wt) < 0)
			return -1;
		f = find_field(m, num);
		if (!f) {
			if (skip_value(r, wt) < 0)
				return -1;
			continue;
		}
		if (decode_field(f, r, wt, depth, obj) < 0)
			return -1;
	}
	return 0;
}

/* --- envelope --- */

struct envelope {
	char *api_version, *kind, *encoding;
	struct pb_reader raw;
};

static void envelope_done(struct envelope *env)
{
	free(env->api_version);
	free(env->kind);
	free(env->encoding);
}

static int read_type_meta(struct pb_reader *sub, struct envelope *env)
{
	struct small_msg m;

	if (read_small(sub, &m) < 0)
		return -1;
	free(env->api_version);
	free(env->kind);
	env->api_version = m.has[1] ? sub_string(&m.sv[1]) : xstrdup("");
	env->kind = m.has[2] ? sub_string(&m.sv[2]) : xstrdup("");
	return 0;
}

/* runtime.Unknown {1 typeMeta, 2 raw, 3 contentEncoding, 4 contentType}. */
static int read_envelope(struct pb_reader *r, struct envelope *env)
{
	struct pb_reader sub;
	uint32_t num = 0;
	int wt;

	while (r->p < r->end) {
		if (read_tag(r, &num, &wt) < 0)
			return -1;
		if (num > 3 || wt != WT_LEN) {
			if (skip_value(r, wt) < 0)
				return -1;
			continue;
		}
		if (read_len(r, &sub) < 0)
			return -1;
		if (num == 1 && read_type_meta(&sub, env) < 0)
			return -1;
		if (num == 2)
			env->raw = sub;
		if (num == 3) {
			free(env->encoding);
			env->encoding = sub_string(&sub);
		}
	}
	return 0;
}

static const struct pb_kind *find_kind(const char *api_version,
				       const char *kind)
{
	const struct pb_kind *k;

	for (k = pb_kinds; k->kind; k++)
		if (!strcmp(k->api_version, api_version) &&
		    !strcmp(k->kind, kind))
			return k;
	return NULL;
}

cJSON *pb_decode(const void *body, size_t len, struct err *e)
{
	struct pb_reader r = { body, (const uint8_t *)body + len, body, e };
	struct envelope env = { 0 };
	const struct pb_kind *k;
	cJSON *out = NULL, *obj = NULL;

	if (len < 4 || memcmp(body, "k8s\0", 4)) {
		err_set(e, ERR_BAD_REQUEST, "malformed protobuf body: missing "
			"the k8s\\0 prefix");
		return NULL;
	}
	r.p += 4;
	env.raw.p = env.raw.end = r.p;
	if (read_envelope(&r, &env) < 0)
		goto out;
	if (!env.kind || !*env.kind) {
		err_set(e, ERR_BAD_REQUEST, "malformed protobuf body: the "
			"envelope names no kind");
		goto out;
	}
	if (env.encoding && *env.encoding) {
		err_set(e, ERR_MEDIA_TYPE, "protobuf content encoding \"%s\" is "
			"not supported", env.encoding);
		goto out;
	}
	k = find_kind(env.api_version, env.kind);
	if (!k) {
		err_set(e, ERR_MEDIA_TYPE, "protobuf is not supported for %s "
			"%s; send application/json", env.api_version, env.kind);
		goto out;
	}
	obj = cJSON_CreateObject();
	if (decode_msg(k->msg, &env.raw, 0, obj) < 0)
		goto out;
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "apiVersion", env.api_version);
	cJSON_AddStringToObject(out, "kind", env.kind);
	while (obj->child) {
		/* Detach first: argument evaluation order is unspecified. */
		cJSON *item = cJSON_DetachItemViaPointer(obj, obj->child);

		cJSON_AddItemToObject(out, item->string, item);
	}
out:
	cJSON_Delete(obj);
	envelope_done(&env);
	return out;
}
