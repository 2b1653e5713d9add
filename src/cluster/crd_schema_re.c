/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crd_schema_re: CRD `pattern` regular expressions, which Kubernetes
 * compiles with Go's regexp (RE2 syntax), matched here with PCRE2.
 *
 * A pattern goes through one scan that does two things: it rejects what
 * Go's parser rejects, with Go's error text ("missing argument to
 * repetition operator: `+`", "invalid or unsupported Perl syntax: `(?=`",
 * "invalid escape sequence: `\Z`" ...: look-around, back references,
 * possessive and nested quantifiers, repeat counts over 1000), and it
 * rewrites the few spots where PCRE2 reads the same text differently:
 * octal escapes and \v become \x{..}, \s and \S lose the vertical tab Go
 * does not count as space, a `{` Go takes literally is escaped.  The
 * result is compiled with UTF and LF newlines (`$` outside (?m) becomes
 * \z: Go's `$` is the very end of the text), so \d \w \s \b stay ASCII as in Go while \pL, \x{..},
 * named groups and inline flags work as in Go.
 *
 * Matching uses pcre2_dfa_match(): an automaton without backtracking,
 * polynomial like RE2 (a yes/no answer does not depend on which match is
 * reported), under a match limit.  Compiled patterns (and the reasons of
 * invalid ones) are cached process-wide by pattern text, so every schema
 * node using a pattern compiles it once; entries are never evicted (past
 * CACHE_MAX the caller compiles privately), so a cached code stays valid
 * for the life of the process and is shared read-only between threads.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "cluster/crd_schema.h"
#include "common/buf.h"
#include "common/mem.h"

#define CACHE_MAX 4096
#define MATCH_LIMIT 1000000
#define MAX_REPEAT 1000

/* --- the RE2 syntax scan --- */

enum last { L_NONE, L_ATOM, L_REPEAT, L_LAZY };

struct scan {
	const char *src;	/* whole pattern */
	const char *p;
	struct buf out;		/* the PCRE2 pattern */
	enum last last;
	const char *rep_at;	/* start of the last repetition operator */
	int depth;
	bool multi;		/* (?m) in effect: `$` before any newline */
	struct buf saved;	/* multi of each open group ('0'/'1') */
	char *why;		/* Go's error text once failed */
};

static void group_open(struct scan *sc)
{
	buf_addc(&sc->saved, sc->multi ? '1' : '0');
	sc->depth++;
	sc->last = L_NONE;
}

static bool fail(struct scan *sc, const char *code, const char *expr, size_t n)
{
	if (!sc->why) {
		struct buf b = BUF_INIT;

		buf_printf(&b, "error parsing regexp: %s: `%.*s`", code, (int)n, expr);
		sc->why = buf_take(&b);
	}
	return false;
}

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Octal \0, \12, \123 (a lone \1..\7 is a back reference: invalid). */
static bool esc_octal(struct scan *sc, const char *at)
{
	const char *p = sc->p;
	unsigned v = 0;
	int n = 0;

	if (*p != '0' && !is_octal(p[1]))
		return fail(sc, "invalid escape sequence", at, (size_t)(p + 1 - at));
	while (n < 3 && is_octal(*p)) {
		v = v * 8 + (unsigned)(*p++ - '0');
		n++;
	}
	sc->p = p;
	buf_printf(&sc->out, "\\x{%x}", v);
	return true;
}

/* \xHH or \x{H..} up to U+10FFFF; copied through. */
static bool esc_hex(struct scan *sc, const char *at)
{
	const char *p = sc->p + 1;
	size_t n;

	if (*p == '{') {
		n = strspn(p + 1, "0123456789abcdefABCDEF");
		if (!n || p[1 + n] != '}' || n > 8 || strtoul(p + 1, NULL, 16) > 0x10FFFF)
			return fail(sc, "invalid escape sequence", at,
				    (size_t)(p + 1 + n + (p[1 + n] == '}') - at));
		p += n + 2;
	} else {
		n = strspn(p, "0123456789abcdefABCDEF");
		if (n < 2)
			return fail(sc, "invalid escape sequence", at, (size_t)(p + (n ? 1 : 0) - at));
		p += 2;
	}
	buf_add(&sc->out, at, (size_t)(p - at));
	sc->p = p;
	return true;
}

/* \pL, \PL, \p{Greek}, \p{^Greek}: names are PCRE2's to check. */
static bool esc_prop(struct scan *sc, const char *at)
{
	const char *p = sc->p + 1;

	if (*p == '{') {
		const char *e = strchr(p, '}');

		if (!e)
			return fail(sc, "invalid character class range", at, strlen(at));
		p = e + 1;
	} else if (*p) {
		p++;
	} else {
		return fail(sc, "invalid character class range", at, (size_t)(p - at));
	}
	buf_add(&sc->out, at, (size_t)(p - at));
	sc->p = p;
	return true;
}

struct esc_simple {
	char c;
	bool in_class;		/* also valid inside [...] */
	const char *out;	/* PCRE2 text (NULL: copy) */
	const char *out_class;	/* inside [...] (NULL: as out) */
};

static const struct esc_simple simple_escapes[] = {
	{ 'a', true, NULL, NULL }, { 'f', true, NULL, NULL },
	{ 't', true, NULL, NULL }, { 'n', true, NULL, NULL },
	{ 'r', true, NULL, NULL }, { 'v', true, "\\x{b}", NULL },
	{ 'd', true, NULL, NULL }, { 'D', true, NULL, NULL },
	{ 'w', true, NULL, NULL }, { 'W', true, NULL, NULL },
	{ 's', true, "[\\t\\n\\f\\r ]", "\\t\\n\\f\\r " },
	{ 'S', true, "[^\\t\\n\\f\\r ]", NULL },
	{ 'A', false, NULL, NULL }, { 'z', false, NULL, NULL },
	{ 'b', false, NULL, NULL }, { 'B', false, NULL, NULL },
};

/* One escape at sc->p (just past the backslash).  Sets *atom when it
 * stands for a character or class (not an assertion). */
static bool scan_escape(struct scan *sc, bool in_class, bool *atom)
{
	const char *at = sc->p - 1;
	char c = *sc->p;

	*atom = true;
	if (!c)
		return fail(sc, "trailing backslash at end of expression", "", 0);
	if (c >= '0' && c <= '9')
		return c <= '7' ? esc_octal(sc, at) :
		       fail(sc, "invalid escape sequence", at, 2);
	if (c == 'x')
		return esc_hex(sc, at);
	if (c == 'p' || c == 'P')
		return esc_prop(sc, at);
	if ((unsigned char)c < 0x80 && !is_word(c)) {
		buf_add(&sc->out, at, 2);
		sc->p++;
		return true;
	}
	for (size_t i = 0; i < sizeof(simple_escapes) / sizeof(simple_escapes[0]); i++) {
		const struct esc_simple *s = &simple_escapes[i];

		if (s->c != c || (in_class && !s->in_class))
			continue;
		*atom = s->in_class;
		if (in_class && s->out_class)
			buf_adds(&sc->out, s->out_class);
		else if (s->out && !(in_class && c == 'S'))
			buf_adds(&sc->out, s->out);
		else
			buf_add(&sc->out, at, 2);
		sc->p++;
		return true;
	}
	return fail(sc, "invalid escape sequence", at, 2);
}

static const char *const posix_classes[] = {
	"alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower",
	"print", "punct", "space", "upper", "word", "xdigit", NULL
};

/* [:name:] / [:^name:] at sc->p inside a class; false when not one. */
static bool scan_posix(struct scan *sc, bool *bad)
{
	const char *p = sc->p, *e = strstr(p + 2, ":]");
	const char *name = p[2] == '^' ? p + 3 : p + 2;

	*bad = false;
	if (!e)
		return false;
	for (size_t i = 0; posix_classes[i]; i++)
		if ((size_t)(e - name) == strlen(posix_classes[i]) &&
		    !strncmp(name, posix_classes[i], (size_t)(e - name))) {
			buf_add(&sc->out, p, (size_t)(e + 2 - p));
			sc->p = e + 2;
			return true;
		}
	*bad = !fail(sc, "invalid character class range", p, (size_t)(e + 2 - p));
	return false;
}

/* One class member (char or escape); *cp is its code point when it is a
 * plain character (ranges of escapes are PCRE2's to order), else -1. */
static bool class_item(struct scan *sc, const char *whole, long *cp)
{
	const unsigned char *u = (const unsigned char *)sc->p;
	bool atom;
	int n = 1;

	*cp = -1;
	if (!*u)
		return fail(sc, "missing closing ]", whole, strlen(whole));
	if (*u == '\\') {
		sc->p++;
		return scan_escape(sc, true, &atom);
	}
	*cp = *u;
	if (*u >= 0xC0) {
		n = *u >= 0xF0 ? 4 : *u >= 0xE0 ? 3 : 2;
		*cp = *u & (0x3F >> (n - 1));
		for (int i = 1; i < n; i++) {
			if ((u[i] & 0xC0) != 0x80)
				return fail(sc, "invalid UTF-8", sc->p, strlen(sc->p));
			*cp = (*cp << 6) | (u[i] & 0x3F);
		}
	}
	buf_add(&sc->out, sc->p, (size_t)n);
	sc->p += n;
	return true;
}

/* A class at sc->p (just past '['): ']' first is literal, '[' is literal
 * unless it opens [:name:], a range needs lo <= hi. */
static bool scan_class(struct scan *sc)
{
	const char *whole = sc->p - 1;
	bool first = true, bad;

	buf_addc(&sc->out, '[');
	if (*sc->p == '^')
		buf_addc(&sc->out, *sc->p++);
	while (first || *sc->p != ']') {
		const char *rng = sc->p;
		long lo, hi;

		if (sc->p[0] == '[' && sc->p[1] == ':' && (scan_posix(sc, &bad) || bad)) {
			if (bad)
				return false;
			first = false;
			continue;
		}
		if (*sc->p == '[')	/* literal for Go, POSIX syntax for PCRE2 */
			buf_addc(&sc->out, '\\');
		first = false;
		if (!class_item(sc, whole, &lo))
			return false;
		if (sc->p[0] != '-' || sc->p[1] == ']' || !sc->p[1])
			continue;
		buf_addc(&sc->out, *sc->p++);
		if (!class_item(sc, whole, &hi))
			return false;
		if (lo >= 0 && hi >= 0 && hi < lo)
			return fail(sc, "invalid character class range", rng,
				    (size_t)(sc->p - rng));
	}
	buf_addc(&sc->out, *sc->p++);
	sc->last = L_ATOM;
	return true;
}

/* `(?P<name>`, `(?<name>` or flags `(?i-s:` / `(?i)` at sc->p ('(?'). */
static bool scan_perl(struct scan *sc)
{
	const char *t = sc->p, *q, *end;
	bool neg = false, saw = false, multi = sc->multi;

	if ((t[2] == 'P' && t[3] == '<' && t[4]) || (t[2] == '<' && t[3])) {
		const char *name = t[2] == 'P' ? t + 4 : t + 3;

		if (!(end = strchr(t, '>')))
			return fail(sc, "invalid named capture", t, strlen(t));
		for (q = name; q < end && is_word(*q); q++)
			;
		if (q == name || q != end)
			return fail(sc, "invalid named capture", t, (size_t)(end + 1 - t));
		buf_add(&sc->out, t, (size_t)(end + 1 - t));
		sc->p = end + 1;
		group_open(sc);
		return true;
	}
	for (q = t + 2; *q; q++) {
		if (strchr("imsU", *q)) {
			if (*q == 'm')
				multi = !neg;
			saw = true;
		} else if (*q == '-' && !neg) {
			neg = true;
			saw = false;
		} else if ((*q == ':' || *q == ')') && (!neg || saw)) {
			buf_add(&sc->out, t, (size_t)(q + 1 - t));
			sc->p = q + 1;
			if (*q == ':')
				group_open(sc);
			sc->multi = multi;
			sc->last = L_NONE;
			return true;
		} else {
			break;
		}
	}
	return fail(sc, "invalid or unsupported Perl syntax", t,
		    (size_t)(q + (*q ? 1 : 0) - t));
}

/* Go's parseInt for repeat counts: digits, no leading zero; -1 if huge. */
static bool repeat_int(const char **pp, long *n)
{
	const char *p = *pp;

	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
		return false;
	*n = 0;
	for (; *p >= '0' && *p <= '9'; p++)
		if (*n >= 0)
			*n = *n >= 100000000 ? -1 : *n * 10 + (*p - '0');
	*pp = p;
	return true;
}

/* {n}, {n,}, {n,m} at p; *end past '}'.  False: `{` is a literal. */
static bool repeat_braces(const char *p, long *min, long *max, const char **end)
{
	p++;
	if (!repeat_int(&p, min))
		return false;
	*max = *min;
	if (*p == ',') {
		p++;
		if (*p == '}')
			*max = -2;	/* unbounded */
		else if (!repeat_int(&p, max))
			return false;
	}
	if (*p != '}')
		return false;
	*end = p + 1;
	return true;
}

/* A repetition operator at sc->p: * + ? or a {..} that parses. */
static bool scan_repeat(struct scan *sc, const char *end)
{
	const char *op = sc->p;

	if (*end == '?')
		end++;	/* non-greedy */
	if (sc->last == L_REPEAT)
		return fail(sc, "invalid nested repetition operator", sc->rep_at,
			    (size_t)(end - sc->rep_at));
	if (sc->last == L_NONE)
		return fail(sc, "missing argument to repetition operator", op,
			    (size_t)(end - op));
	buf_add(&sc->out, op, (size_t)(end - op));
	sc->rep_at = op;
	sc->p = end;
	sc->last = L_REPEAT;
	return true;
}

static bool scan_brace(struct scan *sc)
{
	long min, max;
	const char *end;

	if (!repeat_braces(sc->p, &min, &max, &end)) {
		buf_adds(&sc->out, "\\{");
		sc->p++;
		sc->last = L_ATOM;
		return true;
	}
	if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || max == -1 ||
	    (max >= 0 && min > max))
		return fail(sc, "invalid repeat count", sc->p, (size_t)(end - sc->p));
	return scan_repeat(sc, end);
}

/* \Q...\E (or to the end): literal text. */
static void scan_quote(struct scan *sc)
{
	const char *lit = sc->p + 2, *e = strstr(lit, "\\E");
	size_t n = e ? (size_t)(e - lit) : strlen(lit);

	if (n) {
		buf_adds(&sc->out, "\\Q");
		buf_add(&sc->out, lit, n);
		buf_adds(&sc->out, "\\E");
		sc->last = L_ATOM;
	}
	sc->p = lit + n + (e ? 2 : 0);
}

static bool scan_one(struct scan *sc)
{
	char c = *sc->p;
	bool atom;

	switch (c) {
	case '(':
		if (sc->p[1] == '?')
			return scan_perl(sc);
		buf_addc(&sc->out, *sc->p++);
		group_open(sc);
		return true;
	case ')':
		if (!sc->depth)
			return fail(sc, "unexpected )", sc->src, strlen(sc->src));
		sc->depth--;
		sc->multi = sc->saved.data[--sc->saved.len] == '1';
		break;
	case '$':	/* end of text unless (?m) */
		buf_adds(&sc->out, sc->multi ? "$" : "\\z");
		sc->p++;
		sc->last = L_ATOM;
		return true;
	case '|':
		buf_addc(&sc->out, *sc->p++);
		sc->last = L_NONE;
		return true;
	case '*': case '+': case '?':
		return scan_repeat(sc, sc->p + 1);
	case '{':
		return scan_brace(sc);
	case '[':
		sc->p++;
		return scan_class(sc);
	case '\\':
		if (sc->p[1] == 'Q') {
			scan_quote(sc);
			return true;
		}
		sc->p++;
		if (!scan_escape(sc, false, &atom))
			return false;
		sc->last = L_ATOM;
		return true;
	}
	buf_addc(&sc->out, *sc->p++);
	sc->last = L_ATOM;
	return true;
}

/* The PCRE2 text of an RE2 pattern, or NULL with *why set (caller frees). */
static char *re2_translate(const char *pattern, char **why)
{
	struct scan sc = { .src = pattern, .p = pattern, .out = BUF_INIT,
			   .saved = BUF_INIT };

	while (*sc.p)
		if (!scan_one(&sc))
			goto bad;
	if (sc.depth) {
		fail(&sc, "missing closing )", pattern, strlen(pattern));
		goto bad;
	}
	if (!sc.out.len)
		buf_adds(&sc.out, "(?:)");
	buf_free(&sc.saved);
	return buf_take(&sc.out);
bad:
	buf_free(&sc.saved);
	buf_free(&sc.out);
	*why = sc.why;
	return NULL;
}

/* --- compiling, the cache, matching --- */

struct re_entry {
	char *pattern;		/* key */
	pcre2_code *code;	/* NULL when invalid */
	char *why;		/* Go's compile error when invalid */
	UT_hash_handle hh;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct re_entry *cache;
static unsigned cache_n;

static void re_compile(struct re_entry *en)
{
	char *text = re2_translate(en->pattern, &en->why);
	pcre2_compile_context *cc;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	int rc;

	if (!text)
		return;
	cc = pcre2_compile_context_create(NULL);
	if (!cc)
		abort();
	pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
	en->code = pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED,
				 PCRE2_UTF |
				 PCRE2_NEVER_BACKSLASH_C, &rc, &off, cc);
	pcre2_compile_context_free(cc);
	if (!en->code) {
		struct buf b = BUF_INIT;

		pcre2_get_error_message(rc, msg, sizeof(msg));
		buf_printf(&b, "error parsing regexp: %s: `%s`", (char *)msg, en->pattern);
		en->why = buf_take(&b);
	}
	free(text);
}

static void re_entry_free(struct re_entry *en)
{
	if (!en)
		return;
	pcre2_code_free(en->code);
	free(en->why);
	free(en->pattern);
	free(en);
}

/*
 * The entry of pattern: cached (*owned false, valid for the process) or,
 * with the cache full, a private one (*owned true: re_entry_free() it).
 */
static struct re_entry *re_get(const char *pattern, bool *owned)
{
	struct re_entry *en;

	pthread_mutex_lock(&cache_lock);
	HASH_FIND_STR(cache, pattern, en);
	if (!en) {
		en = xcalloc(1, sizeof(*en));
		en->pattern = xstrdup(pattern);
		re_compile(en);
		if (cache_n < CACHE_MAX) {
			HASH_ADD_KEYPTR(hh, cache, en->pattern, strlen(en->pattern), en);
			cache_n++;
		} else {
			pthread_mutex_unlock(&cache_lock);
			*owned = true;
			return en;
		}
	}
	pthread_mutex_unlock(&cache_lock);
	*owned = false;
	return en;
}

int crd_schema_re_check(const char *pattern, char **why)
{
	bool owned;
	struct re_entry *en = re_get(pattern, &owned);
	int rc = en->code ? 0 : -1;

	if (rc < 0)
		*why = xstrdup(en->why ? en->why : "error parsing regexp");
	if (owned)
		re_entry_free(en);
	return rc;
}

/* Length of the valid UTF-8 sequence at s, 0 when invalid. */
static size_t utf8_seq(const unsigned char *s)
{
	size_t n = *s < 0x80 ? 1 : (*s & 0xE0) == 0xC0 ? 2 : (*s & 0xF0) == 0xE0 ? 3 :
		   (*s & 0xF8) == 0xF0 ? 4 : 0;

	if (n == 2 && *s < 0xC2)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (n == 3 && ((*s == 0xE0 && s[1] < 0xA0) || (*s == 0xED && s[1] >= 0xA0)))
		return 0;	/* overlong, surrogate */
	if (n == 4 && ((*s == 0xF0 && s[1] < 0x90) || *s > 0xF4 || (*s == 0xF4 && s[1] >= 0x90)))
		return 0;
	return n;
}

/* s with each invalid UTF-8 byte as U+FFFD, as Go's regexp reads it. */
static char *utf8_fix(const char *s)
{
	struct buf b = BUF_INIT;

	while (*s) {
		size_t n = utf8_seq((const unsigned char *)s);

		if (n) {
			buf_add(&b, s, n);
			s += n;
		} else {
			buf_adds(&b, "\xef\xbf\xbd");
			s++;
		}
	}
	return buf_take(&b);
}

/* DFA match of code in s; 1, 0, or -1 when PCRE2 gave up (limits). */
static int re_dfa(const pcre2_code *code, const char *s)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	char *fixed = NULL;
	size_t wsn = 1000;
	int *ws = NULL, rc;

	if (!md || !mc)
		abort();
	pcre2_set_match_limit(mc, MATCH_LIMIT);
	pcre2_set_depth_limit(mc, 10000);
	do {
		ws = xrealloc(ws, wsn * sizeof(*ws));
		rc = pcre2_dfa_match(code, (PCRE2_SPTR)s, strlen(s), 0, 0, md, mc,
				     ws, wsn);
		if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21 && !fixed) {
			s = fixed = utf8_fix(s);
			rc = PCRE2_ERROR_DFA_WSSIZE;	/* once more */
			continue;
		}
		wsn *= 4;
	} while (rc == PCRE2_ERROR_DFA_WSSIZE && wsn <= 256000);
	free(fixed);
	free(ws);
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	if (rc >= 0)
		return 1;
	return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

int crd_schema_re_match(const char *pattern, const char *s)
{
	bool owned;
	struct re_entry *en = re_get(pattern, &owned);
	int rc = en->code ? re_dfa(en->code, s) : -1;

	if (owned)
		re_entry_free(en);
	return rc;
}

/* --- CRD admission: every pattern of a schema must compile --- */

static void check_node(const cJSON *s, struct buf *path, struct err *e, int depth);

static void check_child(const cJSON *s, struct buf *path, const char *fmt,
			const char *key, struct err *e, int depth)
{
	size_t old = path->len;

	buf_printf(path, fmt, key);
	check_node(s, path, e, depth + 1);
	path->len = old;
	path->data[old] = 0;
}

static void check_node(const cJSON *s, struct buf *path, struct err *e, int depth)
{
	static const char *const subs[] = { "items", "additionalProperties", "not" };
	static const char *const lists[] = { "allOf", "anyOf", "oneOf" };
	const cJSON *pat, *c;
	char *why = NULL, idx[32];

	if (!cJSON_IsObject(s) || depth > 64)
		return;
	pat = cJSON_GetObjectItemCaseSensitive(s, "pattern");
	if (cJSON_IsString(pat) && crd_schema_re_check(pat->valuestring, &why) < 0) {
		char f[sizeof(e->causes[0].field)];

		snprintf(f, sizeof(f), "%s.pattern", buf_cstr(path));
		err_cause(e, "FieldValueInvalid", f,
			  "Invalid value: \"%s\": must be a valid regular expression, but isn't: %s",
			  pat->valuestring, why);
	}
	free(why);
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(s, "properties"))
		check_child(c, path, ".properties[%s]", c->string, e, depth);
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		check_child(cJSON_GetObjectItemCaseSensitive(s, subs[i]), path, ".%s",
			    subs[i], e, depth);
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		int n = 0;

		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(s, lists[i])) {
			snprintf(idx, sizeof(idx), "%s[%d]", lists[i], n++);
			check_child(c, path, ".%s", idx, e, depth);
		}
	}
}

void crd_schema_check_patterns(const cJSON *schema, const char *path, struct err *e)
{
	struct buf p = BUF_INIT;

	buf_adds(&p, path);
	check_node(schema, &p, e, 0);
	buf_free(&p);
}
