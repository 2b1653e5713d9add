/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crd_schema_fmt: the string formats apiextensions validates (kube-openapi's
 * strfmt default registry).
 *
 * Formats are one small predicate each, in a table.  Where Go relies on a
 * library parser (net/mail, net/url, govalidator) the predicate checks
 * the shape those parsers accept for the common cases; creditcard is
 * accepted unchecked (like an unknown format).
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/crd_schema.h"
#include "common/buf.h"
#include "common/ktime.h"

static bool all_of(const char *s, size_t n, int (*pred)(int))
{
	for (size_t i = 0; i < n; i++)
		if (!pred((unsigned char)s[i]))
			return false;
	return true;
}

static bool fmt_date_time(const char *s)
{
	struct ktime t;
	struct err e;

	return ktime_parse(s, &t, &e) == 0;
}

static bool fmt_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !all_of(s, 4, isdigit) ||
	    !all_of(s + 5, 2, isdigit) || !all_of(s + 8, 2, isdigit))
		return false;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

/* Go's time.ParseDuration ("1h30m", "-1.5s", "0") or kube-openapi's
 * "<n> <unit>" forms ("3 days", "5min"). */
static bool fmt_duration(const char *s)
{
	static const char *const units[] = {
		"ns", "us", "µs", "ms", "s", "m", "h", "d", "w", "sec", "secs",
		"second", "seconds", "min", "mins", "minute", "minutes", "hr",
		"hrs", "hour", "hours", "day", "days", "wk", "wks", "week",
		"weeks", NULL
	};
	bool any = false;

	if (*s == '-' || *s == '+')
		s++;
	if (!strcmp(s, "0"))
		return true;
	while (*s) {
		size_t n = 0, best = 0;

		if (!isdigit((unsigned char)*s) && *s != '.')
			return false;
		while (isdigit((unsigned char)*s) || *s == '.')
			s++;
		while (*s == ' ')
			s++;
		for (size_t i = 0; units[i]; i++) {
			n = strlen(units[i]);
			if (!strncmp(s, units[i], n) && n > best &&
			    !isalpha((unsigned char)s[n]))
				best = n;
		}
		if (!best)
			return false;
		s += best;
		while (*s == ' ')
			s++;
		any = true;
	}
	return any;
}

static bool fmt_ipv6(const char *s)
{
	struct in6_addr a;

	return strchr(s, ':') && inet_pton(AF_INET6, s, &a) == 1;
}

/* Dotted quad, leading zeros tolerated (ParseIPSloppy), or a v4-in-v6. */
static bool fmt_ipv4(const char *s)
{
	int parts = 0;

	if (strchr(s, ':'))
		return strchr(s, '.') && fmt_ipv6(s);
	while (parts < 4) {
		size_t n = strspn(s, "0123456789");

		if (!n || n > 3 || atoi(s) > 255)
			return false;
		s += n;
		parts++;
		if (parts < 4 && *s++ != '.')
			return false;
	}
	return parts == 4 && !*s;
}

static bool fmt_cidr(const char *s)
{
	const char *slash = strrchr(s, '/');
	char ip[64];
	size_t n;
	bool v6;

	if (!slash || (n = (size_t)(slash - s)) >= sizeof(ip) || !slash[1] ||
	    strlen(slash + 1) > 3 || !all_of(slash + 1, strlen(slash + 1), isdigit))
		return false;
	memcpy(ip, s, n);
	ip[n] = 0;
	v6 = strchr(ip, ':') != NULL;
	if (!(v6 ? fmt_ipv6(ip) : fmt_ipv4(ip)))
		return false;
	return atoi(slash + 1) <= (v6 ? 128 : 32);
}

/* net.ParseMAC: 6, 8 or 20 octets as xx:xx.. / xx-xx.. / xxxx.xxxx.. */
static bool fmt_mac(const char *s)
{
	size_t len = strlen(s), groups;
	char sep;

	if (len < 14)
		return false;
	sep = s[2] == ':' || s[2] == '-' ? s[2] : s[4] == '.' ? '.' : 0;
	if (sep == '.') {
		if ((len + 1) % 5)
			return false;
		groups = (len + 1) / 5;
		for (size_t i = 0; i < len; i++)
			if (i % 5 == 4 ? s[i] != '.' : !isxdigit((unsigned char)s[i]))
				return false;
		return groups * 2 == 6 || groups * 2 == 8 || groups * 2 == 20;
	}
	if (!sep || (len + 1) % 3)
		return false;
	groups = (len + 1) / 3;
	for (size_t i = 0; i < len; i++)
		if (i % 3 == 2 ? s[i] != sep : !isxdigit((unsigned char)s[i]))
			return false;
	return groups == 6 || groups == 8 || groups == 20;
}

/* 8-4-4-4-12 hex digits, each hyphen optional; version digit when v. */
static bool uuid_v(const char *s, char v)
{
	static const int sizes[] = { 8, 4, 4, 4, 12 };
	const char *start = s;

	for (size_t g = 0; g < 5; g++) {
		if (g && *s == '-')
			s++;
		if (!all_of(s, sizes[g], isxdigit) || strnlen(s, sizes[g]) < (size_t)sizes[g])
			return false;
		if (v && g == 2 && s[0] != v)
			return false;
		if (v && v != '3' && g == 3 && !strchr("89abAB", s[0]))
			return false;
		s += sizes[g];
	}
	return !*s && s > start;
}

static bool fmt_uuid(const char *s) { return uuid_v(s, 0); }
static bool fmt_uuid3(const char *s) { return uuid_v(s, '3'); }
static bool fmt_uuid4(const char *s) { return uuid_v(s, '4'); }
static bool fmt_uuid5(const char *s) { return uuid_v(s, '5'); }

/* Standard base64 with padding, at least one quantum (govalidator.IsBase64). */
static bool fmt_byte(const char *s)
{
	size_t len = strlen(s), pad = 0;

	if (!len || len % 4)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (pad || !(isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '/'))
			return false;
	}
	return pad <= 2;
}

static bool host_label_char(int c)
{
	return isalnum(c) || c >= 0x80;	/* non-ASCII letters as Go's \p{L} */
}

/* strfmt.IsHostname: labels of letters, digits and inner hyphens, a
 * final label of 2+ letters when there are dots; 255 bytes, 63 a label. */
static bool fmt_hostname(const char *s)
{
	size_t len = strlen(s), labels = 0;
	const char *p = s, *last = s;

	if (!len || len > 255)
		return false;
	while (*p) {
		size_t n = strcspn(p, ".");

		if (!n || n > 63 || !host_label_char((unsigned char)p[0]) ||
		    !host_label_char((unsigned char)p[n - 1]))
			return false;
		for (size_t i = 0; i < n; i++)
			if (!host_label_char((unsigned char)p[i]) && p[i] != '-')
				return false;
		last = p;
		labels++;
		p += n;
		if (*p == '.' && !*++p)
			return false;
	}
	if (labels == 1)
		return true;
	for (; *last; last++)
		if (!isalpha((unsigned char)*last) && (unsigned char)*last < 0x80)
			return false;
	return true;
}

/* net/mail.ParseAddress for the usual "local@domain" and "Name <local@domain>". */
static bool fmt_email(const char *s)
{
	const char *lt = strchr(s, '<'), *at;
	size_t n;

	if (lt) {
		n = strlen(lt);
		if (n < 3 || lt[n - 1] != '>')
			return false;
		s = lt + 1;
		n -= 2;
	} else {
		n = strlen(s);
	}
	at = memchr(s, '@', n);
	if (!at || at == s || at == s + n - 1 || memchr(at + 1, '@', n - (size_t)(at - s) - 1))
		return false;
	for (size_t i = 0; i < n; i++)
		if (isspace((unsigned char)s[i]) || strchr("<>()[]\\,;:\"", s[i]))
			return false;
	return s[n - 1] != '.' && at[1] != '.';
}

/* url.ParseRequestURI: an absolute URI (scheme:...) or an absolute path. */
static bool fmt_uri(const char *s)
{
	const char *p = s;

	for (; *p; p++)
		if (iscntrl((unsigned char)*p) || *p == ' ')
			return false;
	if (*s == '/')
		return true;
	if (!isalpha((unsigned char)*s))
		return false;
	for (p = s + 1; *p && (isalnum((unsigned char)*p) || strchr("+-.", *p)); p++)
		;
	return *p == ':' && p[1];
}

static bool fmt_hexcolor(const char *s)
{
	size_t n;

	if (*s == '#')
		s++;
	n = strlen(s);
	return (n == 3 || n == 6) && all_of(s, n, isxdigit);
}

static bool rgb_part(const char **p, char end)
{
	char *e;
	long v;

	while (**p == ' ')
		(*p)++;
	if (!isdigit((unsigned char)**p) || ((*p)[0] == '0' && isdigit((unsigned char)(*p)[1])))
		return false;
	v = strtol(*p, &e, 10);
	*p = e;
	while (**p == ' ')
		(*p)++;
	return v <= 255 && *(*p)++ == end;
}

static bool fmt_rgbcolor(const char *s)
{
	if (strncmp(s, "rgb(", 4))
		return false;
	s += 4;
	return rgb_part(&s, ',') && rgb_part(&s, ',') && rgb_part(&s, ')') && !*s;
}

/* \d{3}[- ]?\d{2}[- ]?\d{4} */
static bool fmt_ssn(const char *s)
{
	static const int sizes[] = { 3, 2, 4 };

	for (size_t g = 0; g < 3; g++) {
		if (g && (*s == '-' || *s == ' '))
			s++;
		if (strnlen(s, sizes[g]) < (size_t)sizes[g] || !all_of(s, sizes[g], isdigit))
			return false;
		s += sizes[g];
	}
	return !*s;
}

/* ISBN-10/13 with their check digits; hyphens and spaces ignored. */
static bool isbn_digits(const char *s, char *out, size_t want)
{
	size_t n = 0;

	for (; *s; s++) {
		if (*s == '-' || *s == ' ')
			continue;
		if (n >= want)
			return false;
		out[n++] = *s;
	}
	return n == want;
}

static bool fmt_isbn10(const char *s)
{
	char d[10];
	int sum = 0;

	if (!isbn_digits(s, d, 10))
		return false;
	for (int i = 0; i < 10; i++) {
		int v = isdigit((unsigned char)d[i]) ? d[i] - '0' :
			(i == 9 && d[i] == 'X') ? 10 : -1;

		if (v < 0)
			return false;
		sum += (10 - i) * v;
	}
	return sum % 11 == 0;
}

static bool fmt_isbn13(const char *s)
{
	char d[13];
	int sum = 0;

	if (!isbn_digits(s, d, 13) || !all_of(d, 13, isdigit))
		return false;
	for (int i = 0; i < 13; i++)
		sum += (d[i] - '0') * (i % 2 ? 3 : 1);
	return sum % 10 == 0;
}

static bool fmt_isbn(const char *s) { return fmt_isbn10(s) || fmt_isbn13(s); }

static bool fmt_bsonobjectid(const char *s)
{
	return strlen(s) == 24 && all_of(s, 24, isxdigit);
}

static bool fmt_any(const char *s)
{
	(void)s;
	return true;
}

static const struct {
	const char *name;
	bool (*ok)(const char *s);
} formats[] = {
	{ "bsonobjectid", fmt_bsonobjectid }, { "uri", fmt_uri },
	{ "email", fmt_email }, { "hostname", fmt_hostname },
	{ "ipv4", fmt_ipv4 }, { "ipv6", fmt_ipv6 }, { "cidr", fmt_cidr },
	{ "mac", fmt_mac }, { "uuid", fmt_uuid }, { "uuid3", fmt_uuid3 },
	{ "uuid4", fmt_uuid4 }, { "uuid5", fmt_uuid5 }, { "isbn", fmt_isbn },
	{ "isbn10", fmt_isbn10 }, { "isbn13", fmt_isbn13 },
	{ "creditcard", fmt_any }, { "ssn", fmt_ssn },
	{ "hexcolor", fmt_hexcolor }, { "rgbcolor", fmt_rgbcolor },
	{ "byte", fmt_byte }, { "password", fmt_any }, { "date", fmt_date },
	{ "duration", fmt_duration }, { "date-time", fmt_date_time },
	{ "datetime", fmt_date_time },
};

bool crd_schema_format_ok(const char *format, const char *s)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(format, formats[i].name))
			return formats[i].ok(s);
	return true;	/* unknown formats are not checked */
}
