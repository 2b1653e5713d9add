/* SPDX-License-Identifier: Apache-2.0 */
/*
 * filter: the `/` filter of table views, in k9s syntax.
 *
 *   text        rows where any cell matches text (POSIX extended regex,
 *               case-insensitive; text that is not a valid regex is
 *               matched as a plain case-insensitive substring)
 *   !text       the inverse
 *   -l sel      label selector: k=v, k==v, k!=v, k, !k, k in (a,b),
 *               k notin (a,b), joined by commas
 *   -f sel      field selector on metadata.name / metadata.namespace
 *               (=, ==, !=), joined by commas
 *
 * Selectors are matched locally against the rows the informer holds, so
 * a filter never costs a round trip; the same selector string is what a
 * data source would send as labelSelector/fieldSelector.  Pure functions,
 * no terminal: called by the UI thread and the unit tests.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/mem.h"
#include "tui/tui.h"

void filter_free(struct filter *f)
{
	if (!f)
		return;
	if (f->has_re)
		regfree(&f->re);
	free(f->text);
	free(f->lit);
	free(f);
}

static int field_match(const char *sel, const char *ns, const char *name);

/* A pattern with no ERE operator but a leading ^ / trailing $ is a plain
 * string: remember it for text_match's fast path. */
static void literal(struct filter *f, const char *s)
{
	size_t n = strlen(s);
	int start = s[0] == '^', end = n > (size_t)start && s[n - 1] == '$';

	if (strcspn(s + start, ".[]()*+?{}|\\^$") != n - (size_t)start - (size_t)end)
		return;
	f->lit = xstrndup(s + start, n - (size_t)start - (size_t)end);
	f->lit_len = strlen(f->lit);
	f->lit_start = start;
	f->lit_end = end;
}

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

int filter_parse(const char *s, struct filter **out, struct err *e)
{
	struct filter *f = xcalloc(1, sizeof(*f));

	s = skip_ws(s);
	if (!strncmp(s, "-l", 2) && (s[2] == ' ' || s[2] == '\0')) {
		f->kind = FILTER_LABEL;
		f->text = xstrdup(skip_ws(s + 2));
		if (filter_labels_match(f->text, "", e) < 0)
			goto bad;
	} else if (!strncmp(s, "-f", 2) && (s[2] == ' ' || s[2] == '\0')) {
		f->kind = FILTER_FIELD;
		f->text = xstrdup(skip_ws(s + 2));
		if (field_match(f->text, "", "") < 0) {
			err_set(e, ERR_PARSE, "bad field selector \"%s\" "
				"(metadata.name or metadata.namespace, =, !=)",
				f->text);
			goto bad;
		}
	} else {
		if (*s == '!') {
			f->inverse = 1;
			s++;
		}
		f->kind = *s ? FILTER_TEXT : FILTER_NONE;
		f->text = xstrdup(s);
		if (*s && !regcomp(&f->re, s, REG_EXTENDED | REG_ICASE |
				   REG_NOSUB)) {
			f->has_re = 1;
			literal(f, s);
		}
	}
	*out = f;
	return 0;
bad:
	filter_free(f);
	return -1;
}

/* Value of key in "k=v,k2=v2" into val; 1 found, 0 absent. */
static int label_get(const char *labels, const char *key, size_t klen,
		     char *val, size_t n)
{
	const char *p = labels;

	while (p && *p) {
		const char *end = strchr(p, ',');
		const char *eq = strchr(p, '=');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (eq && eq < p + len && (size_t)(eq - p) == klen &&
		    !strncmp(p, key, klen)) {
			size_t vl = len - klen - 1;

			snprintf(val, n, "%.*s", (int)vl, eq + 1);
			return 1;
		}
		p = end ? end + 1 : NULL;
	}
	return 0;
}

/* Is val one of "(a, b, c)"? */
static int in_set(const char *set, size_t len, const char *val)
{
	char tmp[256];
	char *save = NULL;

	snprintf(tmp, sizeof(tmp), "%.*s", (int)len, set);
	for (char *t = strtok_r(tmp, "(), ", &save); t;
	     t = strtok_r(NULL, "(), ", &save))
		if (!strcmp(t, val))
			return 1;
	return 0;
}

/* Split a selector at top-level commas (commas inside () belong to sets). */
static size_t term_len(const char *s)
{
	int depth = 0;
	size_t i;

	for (i = 0; s[i]; i++) {
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')')
			depth--;
		else if (s[i] == ',' && depth <= 0)
			break;
	}
	return i;
}

static int valid_key(const char *k, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)k[i]) && !strchr("-_./", k[i]))
			return 0;
	return 1;
}

/* One label term; 1 match, 0 no match, -1 syntax error. */
static int label_term(const char *t, size_t n, const char *labels,
		      struct err *e)
{
	char key[256], val[256], have[256];
	const char *op;
	int neg = 0, found;
	size_t kl;

	while (n && t[n - 1] == ' ')
		n--;
	t = skip_ws(t);
	if (*t == '!') {
		neg = 1;
		t++;
		n--;
	}
	kl = strcspn(t, "=! ");
	if (kl > n)
		kl = n;
	if (!valid_key(t, kl) || kl >= sizeof(key))
		return err_set(e, ERR_PARSE, "bad label selector term \"%.*s\"",
			       (int)n, t);
	snprintf(key, sizeof(key), "%.*s", (int)kl, t);
	found = label_get(labels, key, kl, have, sizeof(have));
	op = skip_ws(t + kl);
	if (op >= t + n)	/* bare key: exists (or not, with !) */
		return neg ? !found : found;
	if (neg)
		return err_set(e, ERR_PARSE, "\"!\" takes a bare key");
	if (!strncmp(op, "in ", 3) || !strncmp(op, "notin ", 6)) {
		int notin = op[0] == 'n';
		const char *set = skip_ws(op + (notin ? 6 : 3));

		if (*set != '(' || t[n - 1] != ')')
			return err_set(e, ERR_PARSE, "set needs (a,b)");
		found = found && in_set(set, (size_t)(t + n - set), have);
		return notin ? !found : found;
	}
	if (!strncmp(op, "!=", 2) || !strncmp(op, "==", 2))
		op += 2, neg = op[-2] == '!';
	else if (*op == '=')
		op++;
	else
		return err_set(e, ERR_PARSE, "bad operator in \"%.*s\"",
			       (int)n, t);
	op = skip_ws(op);
	snprintf(val, sizeof(val), "%.*s", (int)(t + n - op), op);
	found = found && !strcmp(have, val);
	return neg ? !found : found;
}

int filter_labels_match(const char *sel, const char *labels, struct err *e)
{
	int all = 1;

	if (!labels)
		labels = "";
	while (*sel) {
		size_t n = term_len(sel);
		int r;

		if (n) {
			r = label_term(sel, n, labels, e);
			if (r < 0)
				return -1;
			all = all && r;
		}
		sel += n;
		if (*sel == ',')
			sel++;
	}
	return all;
}

/* Field selector on metadata.name/metadata.namespace; -1 bad syntax. */
static int field_match(const char *sel, const char *ns, const char *name)
{
	char tmp[512];
	char *save = NULL;
	int all = 1;

	snprintf(tmp, sizeof(tmp), "%s", sel);
	for (char *t = strtok_r(tmp, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		char *op = strpbrk(t, "!=");
		const char *have;
		int neg = 0;

		if (!op)
			return -1;
		neg = *op == '!';
		*op = '\0';
		op += (neg || op[1] == '=') ? 2 : 1;
		if (!strcmp(t, "metadata.name"))
			have = name;
		else if (!strcmp(t, "metadata.namespace"))
			have = ns ? ns : "";
		else
			return -1;
		if ((strcmp(have, op) == 0) == neg)
			all = 0;
	}
	return all;
}

static int text_match(const struct filter *f, const char *cell)
{
	if (f->lit) {
		size_t n = f->lit_end || f->lit_start ? strlen(cell) : 0;

		if (f->lit_start)
			return (f->lit_end ? n == f->lit_len : n >= f->lit_len) &&
			       !strncasecmp(cell, f->lit, f->lit_len);
		if (f->lit_end)
			return n >= f->lit_len && !strcasecmp(cell + n - f->lit_len, f->lit);
		return strcasestr(cell, f->lit) != NULL;
	}
	if (f->has_re)
		return regexec(&f->re, cell, 0, NULL, 0) == 0;
	return strcasestr(cell, f->text) != NULL;
}

int filter_match(const struct filter *f, const char *const *cells,
		 size_t ncells, const char *labels, const char *ns,
		 const char *name)
{
	int hit = 0;

	if (!f || f->kind == FILTER_NONE)
		return 1;
	if (f->kind == FILTER_LABEL)
		return filter_labels_match(f->text, labels, NULL) == 1;
	if (f->kind == FILTER_FIELD)
		return field_match(f->text, ns, name ? name : "") == 1;
	for (size_t i = 0; i < ncells && !hit; i++)
		hit = text_match(f, cells[i] ? cells[i] : "");
	if (!hit && name)
		hit = text_match(f, name);
	return f->inverse ? !hit : hit;
}
