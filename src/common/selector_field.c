/* SPDX-License-Identifier: Apache-2.0 */
/*
 * selector_field: field selectors as k8s.io/apimachinery/pkg/fields parses
 * them.  The string is cut at unescaped commas, the terms are sorted, and
 * each splits at its first "!=", "==" or "=".  Values are unescaped
 * (\\, \, and \= only); an unescaped ',' or '=' in a value is an error.
 * Field names are not checked here: which fields a kind supports is the
 * API server's business.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/selector.h"
#include "common/vec.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* splitTerms: split at commas not preceded by a backslash escape. */
static void split_terms(const char *s, struct vec *out)
{
	const char *start = s;
	bool slash = false;

	if (!*s)
		return;
	for (; *s; s++) {
		if (slash)
			slash = false;
		else if (*s == '\\')
			slash = true;
		else if (*s == ',') {
			vec_push(out, xstrndup(start, (size_t)(s - start)));
			start = s + 1;
		}
	}
	vec_push(out, xstrdup(start));
}

/* UnescapeValue.  Returns a new string or NULL with e set. */
static char *unescape(const char *s, struct err *e)
{
	struct buf b = BUF_INIT;
	bool slash = false;

	buf_adds(&b, "");
	for (; *s; s++) {
		if (slash) {
			if (!strchr("\\,=", *s)) {
				err_set(e, ERR_BAD_REQUEST, "invalid field "
					"selector: invalid escape sequence: "
					"\\%c", *s);
				goto fail;
			}
			buf_addc(&b, *s);
			slash = false;
		} else if (*s == '\\') {
			slash = true;
		} else if (*s == ',' || *s == '=') {
			/* Go prints the rune with %v: its code point. */
			err_set(e, ERR_BAD_REQUEST, "invalid field selector: "
				"unescaped character in value: %d", *s);
			goto fail;
		} else {
			buf_addc(&b, *s);
		}
	}
	if (slash) {
		err_set(e, ERR_BAD_REQUEST, "invalid field selector: invalid "
			"escape sequence: \\");
		goto fail;
	}
	return buf_take(&b);
fail:
	buf_free(&b);
	return NULL;
}

/* splitTerm + unescape into t.  -1 with e set on error. */
static int parse_term(const char *sel, const char *part, struct field_term *t,
		      struct err *e)
{
	static const char *const ops[] = { "!=", "==", "=" };
	size_t i, k;

	for (i = 0; part[i]; i++) {
		for (k = 0; k < 3; k++) {
			size_t n = strlen(ops[k]);

			if (strncmp(part + i, ops[k], n))
				continue;
			t->value = unescape(part + i + n, e);
			if (!t->value)
				return -1;
			t->field = xstrndup(part, i);
			t->negate = k == 0;
			return 0;
		}
	}
	return err_set(e, ERR_BAD_REQUEST, "invalid selector: '%s'; can't "
		       "understand '%s'", sel, part);
}

int selector_field_parse(const char *s, struct field_selector **out,
			 struct err *e)
{
	struct vec parts = VEC_INIT;
	struct field_selector *f = xcalloc(1, sizeof(*f));
	size_t i;
	int rc = -1;

	split_terms(s ? s : "", &parts);
	vec_sort(&parts, cmp_str);
	f->terms = xcalloc(parts.len + 1, sizeof(*f->terms));
	for (i = 0; i < parts.len; i++) {
		if (!*(char *)parts.items[i])
			continue;
		if (parse_term(s, parts.items[i], &f->terms[f->nterms], e) < 0)
			goto out;
		f->nterms++;
	}
	*out = f;
	f = NULL;
	rc = 0;
out:
	selector_field_free(f);
	vec_free(&parts, free);
	return rc;
}

void selector_field_free(struct field_selector *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nterms; i++) {
		free(f->terms[i].field);
		free(f->terms[i].value);
	}
	free(f->terms);
	free(f);
}

bool selector_field_matches(const struct field_selector *f,
			    selector_field_get get, void *ctx)
{
	const char *v;
	size_t i;

	for (i = 0; i < f->nterms; i++) {
		v = get(f->terms[i].field, ctx);
		if (!v)
			v = "";
		if ((strcmp(v, f->terms[i].value) == 0) == f->terms[i].negate)
			return false;
	}
	return true;
}

const char *selector_field_requires(const struct field_selector *f,
				    const char *field)
{
	size_t i;

	for (i = 0; i < f->nterms; i++)
		if (!f->terms[i].negate && !strcmp(f->terms[i].field, field))
			return f->terms[i].value;
	return NULL;
}

static void add_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\,=", *s))
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
}

char *selector_field_string(const struct field_selector *f)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < f->nterms; i++) {
		if (i)
			buf_addc(&b, ',');
		buf_adds(&b, f->terms[i].field);
		buf_adds(&b, f->terms[i].negate ? "!=" : "=");
		add_escaped(&b, f->terms[i].value);
	}
	return buf_take(&b);
}
