/* SPDX-License-Identifier: Apache-2.0 */
/*
 * yaml_read: YAML text -> cJSON with the semantics of sigs.k8s.io/yaml
 * (go-yaml v2 underneath), over libyaml's event parser.  See yaml.h.
 *
 * The event API is used rather than libyaml's document loader because the
 * loader forgets whether a scalar was plain or carried an explicit tag, and
 * `!!str 123` must stay a string while `123` becomes a number.  The reader
 * is a recursive descent over events: every load_* function starts with
 * the node's first event current in r->ev and leaves its last one current.
 *
 * Anchors keep a private copy of their value; an alias is a deep copy of
 * it.  Copies are what makes alias bombs dangerous, so every node and
 * scalar byte produced through an alias is counted against a cap and the
 * document is refused past it.  Nesting is capped too (the descent is
 * recursive).  Merge keys (<<) are applied when their mapping ends:
 * explicit keys always win, then earlier merge sources over later ones.
 */
#include "config.h"

#include <gnutls/gnutls.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>
#include <yaml.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/yaml.h"
#include "common/yaml_priv.h"

#define MAX_DEPTH	1000
#define MAX_ALIAS_NODES 1000000
#define MAX_ALIAS_BYTES (10u << 20)

struct anchor {
	char *name;
	cJSON *value;
	size_t nodes, bytes; /* what one expansion produces */
	UT_hash_handle hh;
};

struct reader {
	yaml_parser_t parser;
	yaml_event_t ev;
	bool have_ev;
	struct anchor *anchors;
	size_t nodes, bytes; /* produced so far, expansions included */
	size_t alias_nodes, alias_bytes; /* produced by expanding aliases */
	enum kyaml_kind last_kind;	 /* of the last scalar loaded */
	struct err *e;
};

static int load_node(struct reader *r, int depth, cJSON **out);

static void json_free_item(void *v)
{
	cJSON_Delete(v);
}

static void anchors_clear(struct reader *r)
{
	struct anchor *a, *tmp;

	HASH_ITER(hh, r->anchors, a, tmp)
	{
		HASH_DEL(r->anchors, a);
		free(a->name);
		cJSON_Delete(a->value);
		free(a);
	}
}

/* libyaml's own error, as "yaml: line L, column C: problem". */
static int parser_error(struct reader *r)
{
	const yaml_parser_t *p = &r->parser;

	if (!p->problem)
		return err_set(r->e, ERR_PARSE,
			       "yaml: unknown problem parsing YAML content");
	if (p->error == YAML_READER_ERROR)
		return err_set(r->e, ERR_PARSE, "yaml: offset %zu: %s",
			       p->problem_offset, p->problem);
	return err_set(r->e, ERR_PARSE, "yaml: line %zu, column %zu: %s",
		       p->problem_mark.line + 1, p->problem_mark.column + 1,
		       p->problem);
}

/* An error about the current event's node. */
static int node_error(struct reader *r, const char *what)
{
	return err_set(r->e, ERR_PARSE, "yaml: line %zu, column %zu: %s",
		       r->ev.start_mark.line + 1, r->ev.start_mark.column + 1,
		       what);
}

static int next(struct reader *r)
{
	if (r->have_ev)
		yaml_event_delete(&r->ev);
	r->have_ev = false;
	if (!yaml_parser_parse(&r->parser, &r->ev))
		return parser_error(r);
	r->have_ev = true;
	return 0;
}

/* What the current scalar event means; -1 + e on a bad explicit tag. */
static int scalar_meaning(struct reader *r, struct kyaml_scalar *sc)
{
	const char *tag = (const char *)r->ev.data.scalar.tag;
	const char *val = (const char *)r->ev.data.scalar.value;

	if (tag)
		return kyaml_resolve_tagged(tag, val, sc, r->e);
	if (!r->ev.data.scalar.plain_implicit) {
		sc->kind = KYAML_STR; /* quoted or block scalar */
		return 0;
	}
	kyaml_resolve_plain(val, sc);
	return 0;
}

/*
 * A !!binary scalar is base64 (whitespace ignored); go-yaml decodes it and
 * the bytes become the string (invalid UTF-8 as U+FFFD, as Go's JSON
 * encoder has it; a NUL ends it, cJSON strings being C strings).
 */
static int load_binary(struct reader *r, cJSON **out)
{
	const char *in = (const char *)r->ev.data.scalar.value;
	gnutls_datum_t b64, raw = {NULL, 0};
	struct buf clean = BUF_INIT;
	char *bytes, *text;

	buf_adds(&clean, "");
	for (; *in; in++)
		if (!strchr(" \t\r\n", *in))
			buf_addc(&clean, *in);
	b64.data = (unsigned char *)clean.data;
	b64.size = (unsigned)clean.len;
	if (clean.len && gnutls_base64_decode2(&b64, &raw) < 0) {
		buf_free(&clean);
		return node_error(
		    r, "!!binary value contains invalid base64 data");
	}
	buf_free(&clean);
	bytes = xstrndup(raw.data ? (const char *)raw.data : "", raw.size);
	gnutls_free(raw.data);
	text = kyaml_valid_utf8(bytes);
	*out = cJSON_CreateString(text);
	free(bytes);
	free(text);
	return 0;
}

static int load_scalar(struct reader *r, cJSON **out)
{
	const char *tag = (const char *)r->ev.data.scalar.tag;
	struct kyaml_scalar sc;

	if (tag && !strcmp(tag, "tag:yaml.org,2002:binary")) {
		r->last_kind = KYAML_STR;
		r->bytes += r->ev.data.scalar.length;
		return load_binary(r, out);
	}
	if (scalar_meaning(r, &sc) < 0)
		return -1;
	r->last_kind = sc.kind;
	r->bytes += r->ev.data.scalar.length;
	switch (sc.kind) {
	case KYAML_NULL:
		*out = cJSON_CreateNull();
		break;
	case KYAML_BOOL:
		*out = cJSON_CreateBool(sc.b);
		break;
	case KYAML_INT:
	case KYAML_FLOAT:
		*out = cJSON_CreateNumber(sc.num);
		break;
	default:
		*out =
		    cJSON_CreateString((const char *)r->ev.data.scalar.value);
	}
	return 0;
}

static int load_alias(struct reader *r, cJSON **out)
{
	const char *name = (const char *)r->ev.data.alias.anchor;
	struct anchor *a;
	char msg[160];

	HASH_FIND_STR(r->anchors, name, a);
	if (!a) {
		snprintf(msg, sizeof(msg), "unknown anchor '%.100s' referenced",
			 name);
		return node_error(r, msg);
	}
	r->alias_nodes += a->nodes;
	r->alias_bytes += a->bytes;
	if (r->alias_nodes > MAX_ALIAS_NODES ||
	    r->alias_bytes > MAX_ALIAS_BYTES)
		return node_error(r,
				  "document contains excessive aliasing "
				  "(expansion over 1000000 nodes or 10 MiB)");
	r->nodes += a->nodes;
	r->bytes += a->bytes;
	/* a number used as a key formats as an int when it is integral */
	r->last_kind = !cJSON_IsNumber(a->value) ? KYAML_STR
		       : a->value->valuedouble == floor(a->value->valuedouble)
			   ? KYAML_INT
			   : KYAML_FLOAT;
	*out = json_dup(a->value);
	return 0;
}

static int load_seq(struct reader *r, int depth, cJSON **out)
{
	cJSON *arr = cJSON_CreateArray(), *item;

	for (;;) {
		if (next(r) < 0)
			goto fail;
		if (r->ev.type == YAML_SEQUENCE_END_EVENT)
			break;
		if (load_node(r, depth + 1, &item) < 0)
			goto fail;
		cJSON_AddItemToArray(arr, item);
	}
	*out = arr;
	return 0;
fail:
	cJSON_Delete(arr);
	return -1;
}

/* ---- mappings ---------------------------------------------------------- */

struct key {
	UT_hash_handle hh;
	char name[];
};

struct map_state {
	cJSON *obj;
	struct key *keys;  /* every key present in obj */
	struct vec merges; /* merge sources, owned, in order */
};

static bool map_has(struct map_state *m, const char *name)
{
	struct key *k;

	HASH_FIND_STR(m->keys, name, k);
	return k != NULL;
}

static void map_put(struct map_state *m, const char *name, cJSON *v)
{
	size_t n = strlen(name) + 1;
	struct key *k = xmalloc(sizeof(*k) + n);

	memcpy(k->name, name, n);
	HASH_ADD_STR(m->keys, name, k);
	cJSON_AddItemToObject(m->obj, name, v);
}

static void map_done(struct map_state *m)
{
	struct key *k, *tmp;

	HASH_ITER(hh, m->keys, k, tmp)
	{
		HASH_DEL(m->keys, k);
		free(k);
	}
	vec_free(&m->merges, json_free_item);
	cJSON_Delete(m->obj);
}

/* Is the current event the merge key: a plain "<<" or one tagged !!merge? */
static bool is_merge_key(const yaml_event_t *ev)
{
	const char *tag = (const char *)ev->data.scalar.tag;

	if (ev->type != YAML_SCALAR_EVENT ||
	    strcmp((const char *)ev->data.scalar.value, "<<"))
		return false;
	if (tag)
		return !strcmp(tag, "tag:yaml.org,2002:merge");
	return ev->data.scalar.plain_implicit;
}

/* A mapping key as the string JSON will use, as sigs.k8s.io/yaml does. */
static int key_string(struct reader *r, const cJSON *k, struct buf *out)
{
	if (cJSON_IsString(k)) {
		buf_adds(out, k->valuestring);
	} else if (cJSON_IsBool(k)) {
		buf_adds(out, cJSON_IsTrue(k) ? "true" : "false");
	} else if (cJSON_IsNumber(k) && r->last_kind == KYAML_INT &&
		   fabs(k->valuedouble) < 9223372036854775808.0) {
		buf_printf(out, "%" PRId64, (int64_t)k->valuedouble);
	} else if (cJSON_IsNumber(k)) {
		kyaml_format_float(out, k->valuedouble,
				   r->last_kind == KYAML_INT ? 64 : 32);
	} else {
		return -1;
	}
	return 0;
}

/* Load a key node (current event) into name; -1 + e when unusable. */
static int load_key(struct reader *r, int depth, struct buf *name)
{
	size_t line = r->ev.start_mark.line + 1,
	       col = r->ev.start_mark.column + 1;
	cJSON *k = NULL;
	int rc;

	if (load_node(r, depth + 1, &k) < 0)
		return -1;
	rc = key_string(r, k, name);
	if (rc < 0)
		err_set(r->e, ERR_PARSE,
			"yaml: line %zu, column %zu: map key "
			"must be a string, number or bool, not %s",
			line, col,
			cJSON_IsNull(k)	   ? "null"
			: cJSON_IsArray(k) ? "a sequence"
					   : "a mapping");
	cJSON_Delete(k);
	return rc;
}

/* Check and keep the value of a merge key (current event). */
static int load_merge(struct reader *r, int depth, struct map_state *m)
{
	cJSON *v = NULL, *c;
	bool ok;

	if (load_node(r, depth + 1, &v) < 0)
		return -1;
	ok = cJSON_IsObject(v) || cJSON_IsArray(v);
	for (c = cJSON_IsArray(v) ? v->child : NULL; c; c = c->next)
		ok = ok && cJSON_IsObject(c);
	if (!ok) {
		cJSON_Delete(v);
		return node_error(r,
				  "map merge requires map or sequence of maps "
				  "as the value");
	}
	vec_push(&m->merges, v);
	return 0;
}

static void merge_from(struct map_state *m, const cJSON *src)
{
	for (const cJSON *c = src->child; c; c = c->next)
		if (!map_has(m, c->string))
			map_put(m, c->string, json_dup(c));
}

static void apply_merges(struct map_state *m)
{
	for (size_t i = 0; i < m->merges.len; i++) {
		const cJSON *src = m->merges.items[i];

		if (cJSON_IsObject(src))
			merge_from(m, src);
		else
			for (const cJSON *c = src->child; c; c = c->next)
				merge_from(m, c);
	}
}

static int dup_key_error(struct reader *r, size_t line, const char *name)
{
	struct buf q = BUF_INIT;

	buf_add_json_str(&q, name);
	err_set(
	    r->e, ERR_PARSE,
	    "yaml: unmarshal errors:\n  line %zu: key %s already set in map",
	    line, buf_cstr(&q));
	buf_free(&q);
	return -1;
}

/* One key/value pair; the key's first event is current. */
static int load_pair(struct reader *r, int depth, struct map_state *m)
{
	size_t line = r->ev.start_mark.line + 1;
	struct buf name = BUF_INIT;
	cJSON *v = NULL;
	int rc = -1;

	if (is_merge_key(&r->ev)) {
		if (next(r) < 0)
			return -1;
		return load_merge(r, depth, m);
	}
	if (load_key(r, depth, &name) < 0 || next(r) < 0 ||
	    load_node(r, depth + 1, &v) < 0)
		goto out;
	if (map_has(m, buf_cstr(&name))) {
		dup_key_error(r, line, buf_cstr(&name));
		cJSON_Delete(v);
		goto out;
	}
	map_put(m, buf_cstr(&name), v);
	rc = 0;
out:
	buf_free(&name);
	return rc;
}

static int load_map(struct reader *r, int depth, cJSON **out)
{
	struct map_state m = {cJSON_CreateObject(), NULL, VEC_INIT};

	for (;;) {
		if (next(r) < 0)
			goto fail;
		if (r->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (load_pair(r, depth, &m) < 0)
			goto fail;
	}
	apply_merges(&m);
	*out = m.obj;
	m.obj = NULL;
	map_done(&m);
	return 0;
fail:
	map_done(&m);
	return -1;
}

/* ---- nodes and documents ----------------------------------------------- */

static void remember(struct reader *r, char *name, const cJSON *v, size_t nodes,
		     size_t bytes)
{
	struct anchor *a;

	HASH_FIND_STR(r->anchors, name, a);
	if (a) {
		HASH_DEL(r->anchors, a);
		free(a->name);
		cJSON_Delete(a->value);
		free(a);
	}
	a = xcalloc(1, sizeof(*a));
	a->name = name;
	a->value = json_dup(v);
	a->nodes = nodes;
	a->bytes = bytes;
	HASH_ADD_KEYPTR(hh, r->anchors, a->name, strlen(a->name), a);
}

static const unsigned char *anchor_of(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return ev->data.scalar.anchor;
	case YAML_SEQUENCE_START_EVENT:
		return ev->data.sequence_start.anchor;
	case YAML_MAPPING_START_EVENT:
		return ev->data.mapping_start.anchor;
	default:
		return NULL;
	}
}

/*
 * Load the node whose first event is current into *out (caller owns).
 * 0, or -1 + r->e.
 */
static int load_node(struct reader *r, int depth, cJSON **out)
{
	const unsigned char *anchor = anchor_of(&r->ev);
	char *name = anchor ? xstrdup((const char *)anchor) : NULL;
	size_t nodes = r->nodes, bytes = r->bytes;
	int rc;

	if (depth >= MAX_DEPTH) {
		free(name);
		return node_error(r, "exceeded max depth of 1000");
	}
	r->nodes++;
	if (r->ev.type == YAML_ALIAS_EVENT)
		rc = load_alias(r, out);
	else if (r->ev.type == YAML_SCALAR_EVENT)
		rc = load_scalar(r, out);
	else if (r->ev.type == YAML_SEQUENCE_START_EVENT)
		rc = load_seq(r, depth, out);
	else if (r->ev.type == YAML_MAPPING_START_EVENT)
		rc = load_map(r, depth, out);
	else
		rc = node_error(r, "unexpected event");
	if (rc == 0 && name)
		remember(r, name, *out, r->nodes - nodes, r->bytes - bytes);
	else
		free(name);
	return rc;
}

/* One document: DOCUMENT_START is current; leaves DOCUMENT_END current. */
static int load_document(struct reader *r, cJSON **out)
{
	cJSON *v = NULL;

	if (next(r) < 0 || load_node(r, 0, &v) < 0)
		return -1;
	if (next(r) < 0) {
		cJSON_Delete(v);
		return -1;
	}
	anchors_clear(r);
	*out = v;
	return 0;
}

/*
 * kubectl reads a text whose first non-space byte is '{' as JSON (with
 * JSON's escapes, e.g. surrogate pairs that YAML refuses).  Do the same
 * when it parses as JSON; otherwise it is YAML flow syntax ({a: 1}) or
 * broken, and the YAML parser gives the answer and the error.
 */
static bool try_json(const char *text, size_t len, struct vec *docs)
{
	size_t i = 0;
	struct err ignored;
	cJSON *v;

	while (i < len && strchr(" \t\r\n", text[i]) && text[i])
		i++;
	if (i == len || text[i] != '{' || !kyaml_utf8_ok(text, len))
		return false;
	v = json_parse(text, len, &ignored);
	if (!v)
		return false;
	vec_push(docs, v);
	return true;
}

int kyaml_parse_stream(const char *text, size_t len, struct vec *docs,
		       struct err *e)
{
	struct reader r;
	cJSON *v;
	int rc = -1;

	if (text && try_json(text, len, docs))
		return 0;
	memset(&r, 0, sizeof(r));
	r.e = e;
	if (!yaml_parser_initialize(&r.parser))
		mem_oom();
	yaml_parser_set_input_string(&r.parser,
				     (const unsigned char *)(text ? text : ""),
				     text ? len : 0);
	if (next(&r) < 0)
		goto out;
	for (;;) {
		if (next(&r) < 0)
			goto out;
		if (r.ev.type == YAML_STREAM_END_EVENT)
			break;
		if (load_document(&r, &v) < 0)
			goto out;
		if (cJSON_IsNull(v))
			cJSON_Delete(v); /* empty documents are skipped */
		else
			vec_push(docs, v);
	}
	rc = 0;
out:
	anchors_clear(&r);
	if (r.have_ev)
		yaml_event_delete(&r.ev);
	yaml_parser_delete(&r.parser);
	return rc;
}

cJSON *kyaml_parse(const char *text, size_t len, struct err *e)
{
	struct vec docs = VEC_INIT;
	cJSON *v = NULL;

	if (kyaml_parse_stream(text, len, &docs, e) < 0)
		goto out;
	if (docs.len > 1) {
		err_set(e, ERR_PARSE,
			"yaml: expected a single document, "
			"found %zu",
			docs.len);
		goto out;
	}
	v = docs.len ? vec_pop(&docs) : cJSON_CreateNull();
out:
	vec_free(&docs, json_free_item);
	return v;
}
