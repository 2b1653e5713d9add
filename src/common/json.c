/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json: cJSON helpers, see json.h.
 *
 * Parsing is cJSON's; before handing the text over we make one linear scan
 * that cJSON does not do for us: it finds raw control bytes (forbidden in
 * JSON text) and measures the nesting depth so that deep input is refused
 * with our own message instead of cJSON's silent failure.  Errors name the
 * byte offset plus a 1-based line and column computed from the text.
 *
 * Paths are split into segments once (struct seg array) and then walked;
 * a segment is either an object key (escapes resolved) or an array index.
 * Everything here is re-entrant: no globals, no locks.
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

#define JSON_MAX_DEPTH 1000

/*
 * cJSON allocates with malloc and reports failure as NULL, which callers
 * of cJSON_Create* never check.  Route it through xmalloc so that running
 * out of memory takes the one OOM path of mem.h instead.
 */
__attribute__((constructor)) static void json_hooks(void)
{
	cJSON_Hooks hooks = {xmalloc, free};

	cJSON_InitHooks(&hooks);
}

/* ---- parsing ---------------------------------------------------------- */

/* Fill e with "json: <what> at offset N (line L, column C)". */
static int parse_error(struct err *e, const char *text, size_t len, size_t off,
		       const char *what)
{
	size_t line = 1, col = 1;

	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	return err_set(e, ERR_PARSE,
		       "json: %s at offset %zu (line %zu, column %zu)", what,
		       off, line, col);
}

/*
 * Scan text for what cJSON lets through: raw control bytes outside the
 * whitespace set, and nesting deeper than JSON_MAX_DEPTH.  0 or -1 + e.
 */
static int prescan(const char *text, size_t len, struct err *e)
{
	int depth = 0;
	bool in_str = false;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c < 0x20 &&
		    (in_str || (c != '\t' && c != '\n' && c != '\r')))
			return parse_error(e, text, len, i,
					   "control character");
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"') {
			in_str = true;
		} else if (c == '[' || c == '{') {
			if (++depth > JSON_MAX_DEPTH)
				return parse_error(e, text, len, i,
						   "nesting deeper than 1000");
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

cJSON *json_parse(const char *text, size_t len, struct err *e)
{
	const char *end = NULL;
	cJSON *v;
	size_t off;

	if (!text)
		text = "";
	if (prescan(text, len, e) < 0)
		return NULL;
	off = 0;
	while (off < len && is_space(text[off]))
		off++;
	if (off == len) {
		parse_error(e, text, len, off, "unexpected end of input");
		return NULL;
	}
	v = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!v) {
		off = end ? (size_t)(end - text) : 0;
		parse_error(e, text, len, off,
			    off >= len ? "unexpected end of input"
				       : "syntax error");
		return NULL;
	}
	off = (size_t)(end - text);
	while (off < len && is_space(text[off]))
		off++;
	if (off < len) {
		cJSON_Delete(v);
		parse_error(e, text, len, off, "trailing data after value");
		return NULL;
	}
	return v;
}

/* ---- printing --------------------------------------------------------- */

char *json_print(const cJSON *v)
{
	char *s;

	if (!v)
		return xstrdup("null");
	s = cJSON_PrintUnformatted(v);
	if (!s)
		abort(); /* cJSON fails only on allocation failure */
	return s;
}

struct member {
	cJSON *item;
	size_t pos; /* original position: keeps duplicate keys in order */
};

static int member_cmp(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	int c = strcmp(x->item->string ? x->item->string : "",
		       y->item->string ? y->item->string : "");

	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Sort the members of every object under v, in place, stably. */
static void sort_keys(cJSON *v)
{
	size_t n = 0, i;
	struct member *m;
	cJSON *c;

	for (c = v->child; c; c = c->next) {
		n++;
		if (cJSON_IsObject(c) || cJSON_IsArray(c))
			sort_keys(c);
	}
	if (!cJSON_IsObject(v) || n < 2)
		return;
	m = xmalloc(n * sizeof(*m));
	for (i = 0, c = v->child; c; c = c->next, i++) {
		m[i].item = c;
		m[i].pos = i;
	}
	qsort(m, n, sizeof(*m), member_cmp);
	for (i = 0; i < n; i++) {
		m[i].item->prev = i ? m[i - 1].item : m[n - 1].item;
		m[i].item->next = i + 1 < n ? m[i + 1].item : NULL;
	}
	v->child = m[0].item;
	free(m);
}

char *json_canonical(const cJSON *v)
{
	cJSON *copy;
	char *s;

	if (!v)
		return xstrdup("null");
	copy = json_dup(v);
	sort_keys(copy);
	s = json_print(copy);
	cJSON_Delete(copy);
	return s;
}

/* ---- paths ------------------------------------------------------------ */

struct seg {
	char *key; /* NULL for an index segment */
	size_t index;
};

struct path {
	struct seg *segs;
	size_t n;
};

static void path_done(struct path *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->segs[i].key);
	free(p->segs);
}

static void path_push(struct path *p, char *key, size_t index)
{
	p->segs = xrealloc(p->segs, (p->n + 1) * sizeof(*p->segs));
	p->segs[p->n].key = key;
	p->segs[p->n].index = index;
	p->n++;
}

/* Parse "[N]" at *s; advances *s past it.  -1 on a malformed index. */
static int parse_index(const char **s, size_t *out)
{
	const char *q = *s + 1;
	size_t n = 0;

	if (*q < '0' || *q > '9')
		return -1;
	for (; *q >= '0' && *q <= '9'; q++) {
		if (n > (SIZE_MAX - 9) / 10)
			return -1;
		n = n * 10 + (size_t)(*q - '0');
	}
	if (*q != ']')
		return -1;
	*s = q + 1;
	*out = n;
	return 0;
}

/* Read one key segment up to an unescaped '.' or '['. */
static char *parse_key(const char **s)
{
	struct buf b = BUF_INIT;
	const char *q = *s;

	for (; *q && *q != '.' && *q != '['; q++) {
		if (*q == '\\' && q[1])
			q++;
		buf_addc(&b, *q);
	}
	*s = q;
	return buf_take(&b);
}

/*
 * Split path into segments.  -1 on syntax errors (empty segment, bad
 * index, trailing dot) and on an empty path.
 */
static int path_parse(const char *s, struct path *p)
{
	size_t idx;

	p->segs = NULL;
	p->n = 0;
	if (!s || !*s)
		return -1;
	for (;;) {
		if (*s == '[') {
			if (parse_index(&s, &idx) < 0)
				goto fail;
			path_push(p, NULL, idx);
		} else {
			if (*s == '.' || !*s)
				goto fail;
			path_push(p, parse_key(&s), 0);
		}
		if (!*s)
			return 0;
		if (*s == '.')
			s++;
		else if (*s != '[')
			goto fail;
	}
fail:
	path_done(p);
	return -1;
}

/* Child of v named by seg, or NULL. */
static cJSON *seg_get(const cJSON *v, const struct seg *sg)
{
	if (!v)
		return NULL;
	if (sg->key)
		return json_obj(v, sg->key);
	if (!cJSON_IsArray(v) || sg->index >= (size_t)cJSON_GetArraySize(v))
		return NULL;
	return cJSON_GetArrayItem(v, (int)sg->index);
}

/* Walk the first n segments of p from root; NULL when a step is missing. */
static cJSON *path_walk(const cJSON *root, const struct path *p, size_t n)
{
	const cJSON *v = root;

	for (size_t i = 0; i < n && v; i++)
		v = seg_get(v, &p->segs[i]);
	return (cJSON *)v;
}

cJSON *json_get(const cJSON *root, const char *path)
{
	struct path p;
	cJSON *v;

	if (!root)
		return NULL;
	if (path && !*path)
		return (cJSON *)root;
	if (path_parse(path, &p) < 0)
		return NULL;
	v = path_walk(root, &p, p.n);
	path_done(&p);
	return v;
}

const char *json_get_str(const cJSON *root, const char *path)
{
	cJSON *v = json_get(root, path);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int json_get_int(const cJSON *root, const char *path, int64_t *out)
{
	cJSON *v = json_get(root, path);
	double d;

	if (!cJSON_IsNumber(v))
		return -1;
	d = v->valuedouble;
	/* 2^63 is exactly representable; anything >= it does not fit */
	if (!isfinite(d) || d != floor(d) || d < -9223372036854775808.0 ||
	    d >= 9223372036854775808.0)
		return -1;
	*out = (int64_t)d;
	return 0;
}

bool json_get_bool(const cJSON *root, const char *path, bool def)
{
	cJSON *v = json_get(root, path);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

/*
 * Can json_set create what is missing below the first i segments (which
 * exist and end at v)?  Missing intermediates become objects, so every
 * segment from i on must be a key and v must be an object.
 */
static bool can_create(const cJSON *v, const struct path *p, size_t i)
{
	if (i + 1 >= p->n)
		return true;
	if (!cJSON_IsObject(v))
		return false;
	for (; i < p->n; i++)
		if (!p->segs[i].key)
			return false;
	return true;
}

/* Walk (creating objects where missing) to the parent of the last segment. */
static cJSON *set_parent(cJSON *root, const struct path *p)
{
	cJSON *v = root, *c;
	size_t i;

	for (i = 0; i + 1 < p->n; i++) {
		c = seg_get(v, &p->segs[i]);
		if (!c)
			break;
		if (!cJSON_IsObject(c) && !cJSON_IsArray(c))
			return NULL;
		v = c;
	}
	if (!can_create(v, p, i))
		return NULL;
	for (; i + 1 < p->n; i++) {
		c = cJSON_CreateObject();
		cJSON_AddItemToObject(v, p->segs[i].key, c);
		v = c;
	}
	return v;
}

/* Put value as the child sg of parent; ownership passes on success. */
static int set_leaf(cJSON *parent, const struct seg *sg, cJSON *value)
{
	if (sg->key) {
		if (!cJSON_IsObject(parent))
			return -1;
		if (json_obj(parent, sg->key))
			cJSON_ReplaceItemInObjectCaseSensitive(parent, sg->key,
							       value);
		else
			cJSON_AddItemToObject(parent, sg->key, value);
		return 0;
	}
	if (!cJSON_IsArray(parent) || sg->index > (size_t)INT32_MAX)
		return -1;
	if (sg->index == (size_t)cJSON_GetArraySize(parent)) {
		cJSON_AddItemToArray(parent, value);
		return 0;
	}
	if (sg->index > (size_t)cJSON_GetArraySize(parent))
		return -1;
	cJSON_ReplaceItemInArray(parent, (int)sg->index, value);
	return 0;
}

int json_set(cJSON *root, const char *path, cJSON *value)
{
	struct path p;
	cJSON *v = root;
	int rc = -1;

	if (!root || !value || path_parse(path, &p) < 0) {
		cJSON_Delete(value);
		return -1;
	}
	v = set_parent(root, &p);
	if (v)
		rc = set_leaf(v, &p.segs[p.n - 1], value);
	if (rc < 0)
		cJSON_Delete(value);
	path_done(&p);
	return rc;
}

int json_set_str(cJSON *root, const char *path, const char *s)
{
	return json_set(root, path, cJSON_CreateString(s ? s : ""));
}

int json_set_int(cJSON *root, const char *path, int64_t n)
{
	return json_set(root, path, cJSON_CreateNumber((double)n));
}

int json_del(cJSON *root, const char *path)
{
	struct path p;
	cJSON *parent, *victim;
	int rc = -1;

	if (!root || path_parse(path, &p) < 0)
		return -1;
	parent = path_walk(root, &p, p.n - 1);
	victim = seg_get(parent, &p.segs[p.n - 1]);
	if (victim) {
		cJSON_Delete(cJSON_DetachItemViaPointer(parent, victim));
		rc = 0;
	}
	path_done(&p);
	return rc;
}

/* ---- values ----------------------------------------------------------- */

cJSON *json_dup(const cJSON *v)
{
	cJSON *c;

	if (!v)
		return NULL;
	c = cJSON_Duplicate(v, 1);
	if (!c)
		abort(); /* only on allocation failure */
	return c;
}

/*
 * Numbers are equal when within one unit of the last place: cJSON prints
 * doubles with 15 significant digits when that reads back within that
 * tolerance, so print-then-parse must compare equal.
 */
static bool num_equal(double a, double b)
{
	if (a == b || (isnan(a) && isnan(b)))
		return true;
	return fabs(a - b) <= fmax(fabs(a), fabs(b)) * DBL_EPSILON;
}

/* The k-th (0-based) member named key in obj, or NULL. */
static const cJSON *nth_member(const cJSON *obj, const char *key, size_t k)
{
	for (const cJSON *c = obj->child; c; c = c->next)
		if (!strcmp(c->string ? c->string : "", key) && k-- == 0)
			return c;
	return NULL;
}

/*
 * Quadratic pairing for small objects and for objects with duplicate keys
 * (cJSON keeps them): the k-th occurrence of a key in a pairs with the
 * k-th in b.
 */
static bool obj_equal_slow(const cJSON *a, const cJSON *b)
{
	const cJSON *x, *y, *p;

	for (x = a->child; x; x = x->next) {
		const char *key = x->string ? x->string : "";
		size_t k = 0;

		for (p = a->child; p != x; p = p->next)
			k += !strcmp(p->string ? p->string : "", key);
		y = nth_member(b, key, k);
		if (!y || !json_equal(x, y))
			return false;
	}
	return true;
}

struct member_ix {
	const cJSON *item;
	UT_hash_handle hh;
};

/* Hash b's members by key; false (index freed) on a duplicate key. */
static bool index_members(const cJSON *b, struct member_ix **ix,
			  struct member_ix *slots)
{
	struct member_ix *m;
	size_t i = 0;

	*ix = NULL;
	for (const cJSON *c = b->child; c; c = c->next, i++) {
		const char *key = c->string ? c->string : "";

		HASH_FIND_STR(*ix, key, m);
		if (m) {
			HASH_CLEAR(hh, *ix);
			return false;
		}
		slots[i].item = c;
		HASH_ADD_KEYPTR(hh, *ix, key, strlen(key), &slots[i]);
	}
	return true;
}

/* Same members in any order; linear with a hash index for big objects. */
static bool obj_equal(const cJSON *a, const cJSON *b)
{
	int n = cJSON_GetArraySize(a);
	struct member_ix *ix, *slots, *m;
	bool same = true;

	if (n != cJSON_GetArraySize(b))
		return false;
	if (n < 16)
		return obj_equal_slow(a, b);
	slots = xcalloc((size_t)n, sizeof(*slots));
	if (!index_members(b, &ix, slots)) {
		free(slots);
		return obj_equal_slow(a, b);
	}
	for (const cJSON *x = a->child; x && same; x = x->next) {
		const char *key = x->string ? x->string : "";

		HASH_FIND_STR(ix, key, m);
		same = m && m->item && json_equal(x, m->item);
		if (m)
			m->item = NULL; /* each member of b pairs once */
	}
	HASH_CLEAR(hh, ix);
	free(slots);
	return same;
}

bool json_equal(const cJSON *a, const cJSON *b)
{
	const cJSON *x, *y;

	if (!a || !b)
		return a == b;
	if ((a->type & 0xff) != (b->type & 0xff))
		return false;
	if (cJSON_IsNumber(a))
		return num_equal(a->valuedouble, b->valuedouble);
	if (cJSON_IsString(a) || cJSON_IsRaw(a))
		return !strcmp(a->valuestring ? a->valuestring : "",
			       b->valuestring ? b->valuestring : "");
	if (cJSON_IsObject(a))
		return obj_equal(a, b);
	if (!cJSON_IsArray(a))
		return true; /* null, true, false */
	for (x = a->child, y = b->child; x && y; x = x->next, y = y->next)
		if (!json_equal(x, y))
			return false;
	return !x && !y;
}

cJSON *json_obj(const cJSON *obj, const char *key)
{
	if (!cJSON_IsObject(obj) || !key)
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

cJSON *json_obj_ensure(cJSON *obj, const char *key)
{
	cJSON *c, *fresh;

	if (!cJSON_IsObject(obj) || !key)
		return NULL;
	c = json_obj(obj, key);
	if (cJSON_IsObject(c))
		return c;
	fresh = cJSON_CreateObject();
	if (c)
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, fresh);
	else
		cJSON_AddItemToObject(obj, key, fresh);
	return fresh;
}
