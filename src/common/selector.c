/* SPDX-License-Identifier: Apache-2.0 */
/*
 * selector: label selector lexer, parser, validation, matching, printing.
 *
 * Mirrors k8s.io/apimachinery/pkg/labels/selector.go as of v0.33 (the
 * Kubernetes 1.33 release kubectl 1.33 speaks to): the whole string is
 * first cut into tokens (identifiers end at whitespace or one of
 * "=!(),<>"; "in"/"notin" are keywords only where an operator is
 * expected), then a recursive-descent parser builds requirements.  Error
 * strings are Kubernetes' own, including the field paths ("<nil>" for the
 * key, "values[0][key]" for a value) that field.Error prints.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/selector.h"
#include "common/selector_priv.h"
#include "common/vec.h"

enum tok {
	T_EOS, T_CLOSE, T_COMMA, T_NOT, T_DEQ, T_EQ, T_GT, T_ID, T_IN, T_LT,
	T_NEQ, T_NOTIN, T_OPEN
};

struct token {
	enum tok tok;
	char *lit;
};

static const struct {
	const char *text;
	enum tok tok;
} symbols[] = {
	{ ")", T_CLOSE }, { ",", T_COMMA }, { "!", T_NOT }, { "==", T_DEQ },
	{ "=", T_EQ }, { ">", T_GT }, { "in", T_IN }, { "<", T_LT },
	{ "!=", T_NEQ }, { "notin", T_NOTIN }, { "(", T_OPEN },
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_special(char c)
{
	return c && strchr("=!(),<>", c);
}

static int symbol_tok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if (strlen(symbols[i].text) == n && !memcmp(symbols[i].text, s, n))
			return (int)symbols[i].tok;
	return -1;
}

/* Longest run of special characters that is still a symbol. */
static size_t lex_special(const char *s, struct token *t)
{
	size_t n = 0, best = 0;
	int tok;

	while (is_special(s[n])) {
		n++;
		tok = symbol_tok(s, n);
		if (tok >= 0) {
			best = n;
			t->tok = (enum tok)tok;
		} else if (best) {
			break;
		}
	}
	t->lit = xstrndup(s, best);
	return best;
}

static size_t lex_word(const char *s, struct token *t)
{
	size_t n = 0;
	int tok;

	while (s[n] && !is_space(s[n]) && !is_special(s[n]))
		n++;
	tok = symbol_tok(s, n);
	t->tok = tok == T_IN || tok == T_NOTIN ? (enum tok)tok : T_ID;
	t->lit = xstrndup(s, n);
	return n;
}

/* Tokenize all of s; the last token is T_EOS.  Caller frees items. */
static struct token *lex_all(const char *s, size_t *count)
{
	struct token *v = NULL;
	size_t n = 0, cap = 0;

	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof(*v));
		}
		while (is_space(*s))
			s++;
		if (!*s) {
			v[n].tok = T_EOS;
			v[n++].lit = xstrdup("");
			break;
		}
		s += is_special(*s) ? lex_special(s, &v[n]) : lex_word(s, &v[n]);
		n++;
	}
	*count = n;
	return v;
}

struct parser {
	struct token *toks;
	size_t ntoks, pos;
	struct vec reqs;	/* struct selector_req * */
	struct err *e;
};

/* In value context the keywords in/notin read as identifiers. */
static enum tok peek(const struct parser *p, const char **lit)
{
	const struct token *t = &p->toks[p->pos];

	if (lit)
		*lit = t->lit;
	return t->tok == T_IN || t->tok == T_NOTIN ? T_ID : t->tok;
}

static enum tok next(struct parser *p, const char **lit)
{
	enum tok t = peek(p, lit);

	if (p->pos + 1 < p->ntoks)
		p->pos++;
	return t;
}

static enum tok next_op(struct parser *p, const char **lit)
{
	const struct token *t = &p->toks[p->pos];

	*lit = t->lit;
	if (p->pos + 1 < p->ntoks)
		p->pos++;
	return t->tok;
}

/* --- requirements --- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void req_free_fields(struct selector_req *r)
{
	size_t i;

	for (i = 0; i < r->nvalues; i++)
		free(r->values[i]);
	free(r->values);
	free(r->key);
}

static void req_free(void *p)
{
	if (p)
		req_free_fields(p);
	free(p);
}

/* Go's %#v of a []string: []string(nil) or []string{"a", "b"}. */
static void add_go_slice(struct buf *b, char **v, size_t n, bool nil)
{
	size_t i;

	if (nil) {
		buf_adds(b, "[]string(nil)");
		return;
	}
	buf_adds(b, "[]string{");
	for (i = 0; i < n; i++) {
		if (i)
			buf_adds(b, ", ");
		selector_add_quoted(b, v[i]);
	}
	buf_addc(b, '}');
}

/* field.ErrorList.ToAggregate().Error(): de-duplicated, [a, b] when many. */
static int set_aggregate(struct err *e, struct vec *msgs)
{
	struct buf b = BUF_INIT;
	size_t i, j, uniq = 0;

	for (i = 0; i < msgs->len; i++) {
		for (j = 0; j < i; j++)
			if (!strcmp(msgs->items[i], msgs->items[j]))
				break;
		if (j < i)
			continue;
		if (uniq++)
			buf_adds(&b, ", ");
		buf_adds(&b, msgs->items[i]);
	}
	if (uniq > 1)
		err_set(e, ERR_BAD_REQUEST, "[%s]", buf_cstr(&b));
	else
		err_set(e, ERR_BAD_REQUEST, "%s", buf_cstr(&b));
	buf_free(&b);
	return -1;
}

static bool parse_int64(const char *s, long long *out)
{
	const char *d = *s == '+' || *s == '-' ? s + 1 : s;
	char *end;

	if (!*d || strspn(d, "0123456789") != strlen(d))
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return !errno && !*end;
}

static void check_count(enum selector_op op, size_t n, bool nil, char **v,
			struct vec *msgs)
{
	const char *why = NULL;
	struct buf b = BUF_INIT;

	if ((op == SELECTOR_IN || op == SELECTOR_NOT_IN) && !n)
		why = "for 'in', 'notin' operators, values set can't be empty";
	else if ((op == SELECTOR_EQUALS || op == SELECTOR_DOUBLE_EQUALS ||
		  op == SELECTOR_NOT_EQUALS) && n != 1)
		why = "exact-match compatibility requires one single value";
	else if ((op == SELECTOR_EXISTS || op == SELECTOR_DOES_NOT_EXIST) && n)
		why = "values set must be empty for exists and does not exist";
	else if ((op == SELECTOR_GT || op == SELECTOR_LT) && n != 1)
		why = "for 'Gt', 'Lt' operators, exactly one value is required";
	if (!why)
		return;
	buf_adds(&b, "values: Invalid value: ");
	add_go_slice(&b, v, n, nil);
	buf_printf(&b, ": %s", why);
	vec_push(msgs, buf_take(&b));
}

static void check_values(const char *key, enum selector_op op, char **v,
			 size_t n, struct vec *msgs)
{
	char why[1024];
	long long iv;
	size_t i;

	for (i = 0; (op == SELECTOR_GT || op == SELECTOR_LT) && i < n; i++) {
		struct buf b = BUF_INIT;

		if (parse_int64(v[i], &iv))
			continue;
		buf_printf(&b, "values[%zu]: Invalid value: ", i);
		selector_add_quoted(&b, v[i]);
		buf_adds(&b, ": for 'Gt', 'Lt' operators, the value must be "
			 "an integer");
		vec_push(msgs, buf_take(&b));
	}
	for (i = 0; i < n; i++) {
		struct buf b = BUF_INIT;

		if (!selector_check_value(v[i], why, sizeof(why)))
			continue;
		buf_printf(&b, "values[%zu][%s]: Invalid value: ", i, key);
		selector_add_quoted(&b, v[i]);
		buf_printf(&b, ": %s", why);
		vec_push(msgs, buf_take(&b));
	}
}

/*
 * labels.NewRequirement: validate and build.  Takes ownership of values
 * (n strings; values_nil marks a Go nil slice for messages) in all cases.
 */
static struct selector_req *new_req(const char *key, enum selector_op op,
				    char **values, size_t n, bool values_nil,
				    struct err *e)
{
	struct vec msgs = VEC_INIT;
	struct selector_req *r = xcalloc(1, sizeof(*r));
	char why[1024];

	r->key = xstrdup(key);
	r->op = op;
	r->values = values;
	r->nvalues = n;
	if (selector_check_key(key, why, sizeof(why))) {
		struct buf b = BUF_INIT;

		buf_adds(&b, "key: Invalid value: ");
		selector_add_quoted(&b, key);
		buf_printf(&b, ": %s", why);
		vec_push(&msgs, buf_take(&b));
	}
	check_count(op, n, values_nil, values, &msgs);
	check_values(key, op, values, n, &msgs);
	if (msgs.len) {
		set_aggregate(e, &msgs);
		req_free(r);
		r = NULL;
	}
	vec_free(&msgs, free);
	if (r && n > 1)
		qsort(r->values, n, sizeof(char *), cmp_str);
	return r;
}

/* --- parser --- */

static void set_insert(struct vec *set, const char *s)
{
	size_t i;

	for (i = 0; i < set->len; i++)
		if (!strcmp(set->items[i], s))
			return;
	vec_push(set, xstrdup(s));
}

static int fail(struct parser *p, const char *fmt, const char *lit)
{
	return err_set(p->e, ERR_BAD_REQUEST, fmt, lit);
}

/* parseIdentifiersList, after '(' and with a value or ',' ahead. */
static int parse_id_list(struct parser *p, struct vec *set)
{
	const char *lit, *lit2;
	enum tok t2;

	for (;;) {
		switch (next(p, &lit)) {
		case T_ID:
			set_insert(set, lit);
			t2 = peek(p, &lit2);
			if (t2 == T_COMMA)
				continue;
			if (t2 == T_CLOSE)
				return 0;
			return fail(p, "found '%s', expected: ',' or ')'", lit2);
		case T_COMMA:
			if (!set->len)
				set_insert(set, "");
			t2 = peek(p, NULL);
			if (t2 == T_CLOSE) {
				set_insert(set, "");
				return 0;
			}
			if (t2 == T_COMMA) {
				next(p, NULL);
				set_insert(set, "");
			}
			break;
		default:
			return fail(p, "found '%s', expected: ',', or identifier",
				    lit);
		}
	}
}

static int parse_values(struct parser *p, struct vec *set)
{
	const char *lit;
	enum tok t;

	if (next(p, &lit) != T_OPEN)
		return fail(p, "found '%s' expected: '('", lit);
	t = peek(p, &lit);
	if (t == T_CLOSE) {
		next(p, NULL);
		set_insert(set, "");
		return 0;
	}
	if (t != T_ID && t != T_COMMA)
		return fail(p, "found '%s', expected: ',', ')' or identifier",
			    lit);
	if (parse_id_list(p, set) < 0)
		return -1;
	if (next(p, NULL) != T_CLOSE)
		return fail(p, "found '%s', expected: ')'", lit);
	return 0;
}

static int parse_exact(struct parser *p, struct vec *set)
{
	const char *lit;
	enum tok t = peek(p, NULL);

	if (t == T_EOS || t == T_COMMA) {
		set_insert(set, "");
		return 0;
	}
	if (next(p, &lit) != T_ID)
		return fail(p, "found '%s', expected: identifier", lit);
	set_insert(set, lit);
	return 0;
}

static const struct {
	enum tok tok;
	enum selector_op op;
} op_tokens[] = {
	{ T_IN, SELECTOR_IN }, { T_EQ, SELECTOR_EQUALS },
	{ T_DEQ, SELECTOR_DOUBLE_EQUALS }, { T_GT, SELECTOR_GT },
	{ T_LT, SELECTOR_LT }, { T_NOTIN, SELECTOR_NOT_IN },
	{ T_NEQ, SELECTOR_NOT_EQUALS },
};

static int parse_operator(struct parser *p, enum selector_op *op)
{
	const char *lit;
	enum tok t = next_op(p, &lit);
	size_t i;

	for (i = 0; i < sizeof(op_tokens) / sizeof(op_tokens[0]); i++) {
		if (op_tokens[i].tok == t) {
			*op = op_tokens[i].op;
			return 0;
		}
	}
	return fail(p, "found '%s', expected: in, notin, =, ==, !=, gt, lt",
		    lit);
}

/* parseKeyAndInferOperator; *op is EXISTS/DOES_NOT_EXIST or -1. */
static int parse_key(struct parser *p, const char **key, int *op)
{
	const char *lit;
	char why[1024];
	enum tok t = next(p, &lit);

	*op = -1;
	if (t == T_NOT) {
		*op = SELECTOR_DOES_NOT_EXIST;
		t = next(p, &lit);
	}
	if (t != T_ID)
		return fail(p, "found '%s', expected: identifier", lit);
	if (selector_check_key(lit, why, sizeof(why))) {
		struct buf b = BUF_INIT;

		buf_adds(&b, "<nil>: Invalid value: ");
		selector_add_quoted(&b, lit);
		err_set(p->e, ERR_BAD_REQUEST, "%s: %s", buf_cstr(&b), why);
		buf_free(&b);
		return -1;
	}
	*key = lit;
	t = peek(p, NULL);
	if ((t == T_EOS || t == T_COMMA) && *op < 0)
		*op = SELECTOR_EXISTS;
	return 0;
}

static int parse_requirement(struct parser *p)
{
	struct vec set = VEC_INIT;
	struct selector_req *r;
	enum selector_op op = SELECTOR_EQUALS;
	const char *key;
	int iop, rc = -1;

	if (parse_key(p, &key, &iop) < 0)
		goto out;
	if (iop >= 0) {
		op = (enum selector_op)iop;
	} else {
		if (parse_operator(p, &op) < 0)
			goto out;
		if ((op == SELECTOR_IN || op == SELECTOR_NOT_IN ?
		     parse_values(p, &set) : parse_exact(p, &set)) < 0)
			goto out;
	}
	vec_sort(&set, cmp_str);
	r = new_req(key, op, (char **)set.items, set.len, false, p->e);
	set = (struct vec)VEC_INIT;
	if (!r)
		goto out;
	vec_push(&p->reqs, r);
	rc = 0;
out:
	vec_free(&set, free);
	if (rc < 0)
		err_wrap(p->e, "unable to parse requirement");
	return rc;
}

static int parse_all(struct parser *p)
{
	const char *lit;
	enum tok t;

	for (;;) {
		t = peek(p, &lit);
		if (t == T_EOS)
			return 0;
		if (t != T_ID && t != T_NOT)
			return fail(p, "found '%s', expected: !, identifier, or "
				    "'end of string'", lit);
		if (parse_requirement(p) < 0)
			return -1;
		t = next(p, &lit);
		if (t == T_EOS)
			return 0;
		if (t != T_COMMA)
			return fail(p, "found '%s', expected: ',' or 'end of "
				    "string'", lit);
		t = peek(p, &lit);
		if (t != T_ID && t != T_NOT)
			return fail(p, "found '%s', expected: identifier after "
				    "','", lit);
	}
}

/* --- selectors --- */

/* Stable insertion sort by key (sort.Sort on few items is insertion). */
static struct label_selector *build(struct vec *reqs)
{
	struct label_selector *s = xcalloc(1, sizeof(*s));
	size_t i, j;

	s->nreqs = reqs->len;
	s->reqs = xcalloc(reqs->len ? reqs->len : 1, sizeof(*s->reqs));
	for (i = 0; i < reqs->len; i++) {
		struct selector_req *r = reqs->items[i];

		for (j = i; j > 0 && strcmp(s->reqs[j - 1].key, r->key) > 0; j--)
			s->reqs[j] = s->reqs[j - 1];
		s->reqs[j] = *r;
		free(r);
	}
	vec_free(reqs, NULL);
	return s;
}

int selector_parse(const char *str, struct label_selector **out,
		   struct err *e)
{
	struct parser p = { 0 };
	size_t i;
	int rc;

	p.toks = lex_all(str ? str : "", &p.ntoks);
	p.e = e;
	rc = parse_all(&p);
	for (i = 0; i < p.ntoks; i++)
		free(p.toks[i].lit);
	free(p.toks);
	if (rc < 0) {
		vec_free(&p.reqs, req_free);
		return -1;
	}
	*out = build(&p.reqs);
	return 0;
}

void selector_free(struct label_selector *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nreqs; i++)
		req_free_fields(&s->reqs[i]);
	free(s->reqs);
	free(s);
}

bool selector_is_everything(const struct label_selector *s)
{
	return !s->nothing && !s->nreqs;
}

static bool has_value(const struct selector_req *r, const char *v)
{
	size_t i;

	for (i = 0; i < r->nvalues; i++)
		if (!strcmp(r->values[i], v))
			return true;
	return false;
}

static bool compare_int(const struct selector_req *r, const char *v)
{
	long long lv, rv;

	if (!v || r->nvalues != 1 || !parse_int64(v, &lv) ||
	    !parse_int64(r->values[0], &rv))
		return false;
	return r->op == SELECTOR_GT ? lv > rv : lv < rv;
}

bool selector_req_matches(const struct selector_req *r, const cJSON *labels)
{
	const cJSON *item = cJSON_IsObject(labels) ?
		cJSON_GetObjectItemCaseSensitive(labels, r->key) : NULL;
	const char *v = item ? (cJSON_IsString(item) ? item->valuestring : "")
			     : NULL;

	switch (r->op) {
	case SELECTOR_IN:
	case SELECTOR_EQUALS:
	case SELECTOR_DOUBLE_EQUALS:
		return v && has_value(r, v);
	case SELECTOR_NOT_IN:
	case SELECTOR_NOT_EQUALS:
		return !v || !has_value(r, v);
	case SELECTOR_EXISTS:
		return v != NULL;
	case SELECTOR_DOES_NOT_EXIST:
		return v == NULL;
	case SELECTOR_GT:
	case SELECTOR_LT:
		return compare_int(r, v);
	}
	return false;
}

bool selector_matches(const struct label_selector *s, const cJSON *labels)
{
	size_t i;

	if (s->nothing)
		return false;
	for (i = 0; i < s->nreqs; i++)
		if (!selector_req_matches(&s->reqs[i], labels))
			return false;
	return true;
}

static const char *const op_text[] = {
	[SELECTOR_IN] = " in ", [SELECTOR_NOT_IN] = " notin ",
	[SELECTOR_EQUALS] = "=", [SELECTOR_DOUBLE_EQUALS] = "==",
	[SELECTOR_NOT_EQUALS] = "!=", [SELECTOR_EXISTS] = "",
	[SELECTOR_DOES_NOT_EXIST] = "", [SELECTOR_GT] = ">",
	[SELECTOR_LT] = "<",
};

static void req_string(const struct selector_req *r, struct buf *b)
{
	bool set = r->op == SELECTOR_IN || r->op == SELECTOR_NOT_IN;
	size_t i;

	if (r->op == SELECTOR_DOES_NOT_EXIST)
		buf_addc(b, '!');
	buf_adds(b, r->key);
	if (r->op == SELECTOR_EXISTS || r->op == SELECTOR_DOES_NOT_EXIST)
		return;
	buf_adds(b, op_text[r->op]);
	if (set)
		buf_addc(b, '(');
	for (i = 0; i < r->nvalues; i++) {
		if (i)
			buf_addc(b, ',');
		buf_adds(b, r->values[i]);
	}
	if (set)
		buf_addc(b, ')');
}

char *selector_string(const struct label_selector *s)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < s->nreqs; i++) {
		if (i)
			buf_addc(&b, ',');
		req_string(&s->reqs[i], &b);
	}
	return buf_take(&b);
}

/* --- metav1.LabelSelector --- */

static const struct {
	const char *name;
	enum selector_op op;
} json_ops[] = {
	{ "In", SELECTOR_IN }, { "NotIn", SELECTOR_NOT_IN },
	{ "Exists", SELECTOR_EXISTS },
	{ "DoesNotExist", SELECTOR_DOES_NOT_EXIST },
};

static const char *json_str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static int add_match_labels(const cJSON *ml, struct vec *reqs, struct err *e)
{
	struct vec keys = VEC_INIT;
	const cJSON *it;
	struct selector_req *r;
	size_t i;
	int rc = 0;

	cJSON_ArrayForEach(it, ml)
		vec_push(&keys, it->string);
	vec_sort(&keys, cmp_str);
	for (i = 0; i < keys.len && !rc; i++) {
		char **v = xcalloc(1, sizeof(char *));

		v[0] = xstrdup(json_str(ml, keys.items[i]));
		r = new_req(keys.items[i], SELECTOR_EQUALS, v, 1, false, e);
		if (r)
			vec_push(reqs, r);
		else
			rc = -1;
	}
	vec_free(&keys, NULL);
	return rc;
}

static int add_expression(const cJSON *x, struct vec *reqs, struct err *e)
{
	const char *opname = json_str(x, "operator");
	const cJSON *vals = cJSON_GetObjectItemCaseSensitive(x, "values"), *it;
	struct selector_req *r;
	char **v;
	size_t i, n = 0;

	for (i = 0; i < sizeof(json_ops) / sizeof(json_ops[0]); i++)
		if (!strcmp(json_ops[i].name, opname))
			break;
	if (i == sizeof(json_ops) / sizeof(json_ops[0])) {
		struct buf b = BUF_INIT;

		selector_add_quoted(&b, opname);
		err_set(e, ERR_BAD_REQUEST, "%s is not a valid label selector "
			"operator", buf_cstr(&b));
		buf_free(&b);
		return -1;
	}
	if (!cJSON_IsArray(vals))
		vals = NULL;
	v = xcalloc((size_t)cJSON_GetArraySize(vals) + 1, sizeof(char *));
	cJSON_ArrayForEach(it, vals)
		v[n++] = xstrdup(cJSON_IsString(it) ? it->valuestring : "");
	r = new_req(json_str(x, "key"), json_ops[i].op, v, n, n == 0, e);
	if (!r)
		return -1;
	vec_push(reqs, r);
	return 0;
}

int selector_from_json(const cJSON *ls, struct label_selector **out,
		       struct err *e)
{
	const cJSON *ml, *mx, *it;
	struct vec reqs = VEC_INIT;

	if (!ls || cJSON_IsNull(ls)) {
		*out = xcalloc(1, sizeof(**out));
		(*out)->nothing = true;
		return 0;
	}
	if (!cJSON_IsObject(ls))
		return err_set(e, ERR_BAD_REQUEST,
			       "label selector must be an object");
	ml = cJSON_GetObjectItemCaseSensitive(ls, "matchLabels");
	mx = cJSON_GetObjectItemCaseSensitive(ls, "matchExpressions");
	if (cJSON_IsObject(ml) && add_match_labels(ml, &reqs, e) < 0)
		goto fail;
	if (!cJSON_IsArray(mx))
		mx = NULL;
	cJSON_ArrayForEach(it, mx)
		if (add_expression(it, &reqs, e) < 0)
			goto fail;
	*out = build(&reqs);
	return 0;
fail:
	vec_free(&reqs, req_free);
	return -1;
}
