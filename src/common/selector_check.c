/* SPDX-License-Identifier: Apache-2.0 */
/*
 * selector_check: label key and value validation with the wording of
 * k8s.io/apimachinery/pkg/util/validation (IsQualifiedName,
 * IsValidLabelValue, IsDNS1123Subdomain), and Go's %q quoting that the
 * field.Error messages use.  The regular expressions are matched by hand:
 * they are simple character-class patterns.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/selector.h"
#include "common/selector_priv.h"

/* --- validation (k8s.io/apimachinery/pkg/util/validation) --- */

#define QNAME_FMT "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
#define QNAME_MSG "must consist of alphanumeric characters, '-', '_' or " \
	"'.', and must start and end with an alphanumeric character"
#define QNAME_EXAMPLES "(e.g. 'MyName',  or 'my.name',  or '123-abc', " \
	"regex used for validation is '" QNAME_FMT "')"
#define DNS_FMT "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*" \
	"[a-z0-9])?)*"
#define DNS_MSG "a lowercase RFC 1123 subdomain must consist of lower case " \
	"alphanumeric characters, '-' or '.', and must start and end with an " \
	"alphanumeric character (e.g. 'example.com', regex used for " \
	"validation is '" DNS_FMT "')"
#define VALUE_MSG "a valid label must be an empty string or consist of " \
	"alphanumeric characters, '-', '_' or '.', and must start and end " \
	"with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or " \
	"'12345', regex used for validation is '(" QNAME_FMT ")?')"

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] over s[0..n). */
static bool match_qname(const char *s, size_t n)
{
	size_t i;

	if (!n || !is_alnum(s[0]) || !is_alnum(s[n - 1]))
		return false;
	for (i = 1; i + 1 < n; i++)
		if (!is_alnum(s[i]) && !strchr("-_.", s[i]))
			return false;
	return true;
}

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool match_dns_subdomain(const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '.') {
			if (!is_lower_alnum(s[i]) && s[i] != '-')
				return false;
			continue;
		}
		if (i == start || !is_lower_alnum(s[start]) ||
		    !is_lower_alnum(s[i - 1]))
			return false;
		start = i + 1;
	}
	return true;
}

static void add_msg(struct buf *b, const char *m)
{
	if (b->len)
		buf_adds(b, "; ");
	buf_adds(b, m);
}

static void check_prefix(const char *s, size_t n, struct buf *b)
{
	if (!n) {
		add_msg(b, "prefix part must be non-empty");
		return;
	}
	if (n > 253)
		add_msg(b, "prefix part must be no more than 253 characters");
	if (!match_dns_subdomain(s, n))
		add_msg(b, "prefix part " DNS_MSG);
}

static const char *finish_check(struct buf *b, char *out, size_t n)
{
	if (!b->len) {
		buf_free(b);
		return NULL;
	}
	snprintf(out, n, "%s", buf_cstr(b));
	buf_free(b);
	return out;
}

const char *selector_check_key(const char *key, char *out, size_t n)
{
	const char *slash = strchr(key, '/'), *name = key;
	struct buf b = BUF_INIT;
	size_t len;

	if (slash && strchr(slash + 1, '/')) {
		add_msg(&b, "a qualified name " QNAME_MSG " " QNAME_EXAMPLES
			" with an optional DNS subdomain prefix and '/' "
			"(e.g. 'example.com/MyName')");
		return finish_check(&b, out, n);
	}
	if (slash) {
		check_prefix(key, (size_t)(slash - key), &b);
		name = slash + 1;
	}
	len = strlen(name);
	if (!len)
		add_msg(&b, "name part must be non-empty");
	else if (len > 63)
		add_msg(&b, "name part must be no more than 63 characters");
	if (!match_qname(name, len))
		add_msg(&b, "name part " QNAME_MSG " " QNAME_EXAMPLES);
	return finish_check(&b, out, n);
}

const char *selector_check_value(const char *value, char *out, size_t n)
{
	struct buf b = BUF_INIT;
	size_t len = strlen(value);

	if (len > 63)
		add_msg(&b, "must be no more than 63 characters");
	if (len && !match_qname(value, len))
		add_msg(&b, VALUE_MSG);
	return finish_check(&b, out, n);
}

void selector_add_quoted(struct buf *b, const char *s)
{
	static const char esc[] = "\a\b\f\n\r\t\v";
	static const char name[] = "abfnrtv";
	const char *p;

	buf_addc(b, '"');
	for (; *s; s++) {
		p = *s ? strchr(esc, *s) : NULL;
		if (*s == '"' || *s == '\\')
			buf_printf(b, "\\%c", *s);
		else if (p)
			buf_printf(b, "\\%c", name[p - esc]);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			buf_printf(b, "\\x%02x", (unsigned char)*s);
		else
			buf_addc(b, *s);
	}
	buf_addc(b, '"');
}
