/* SPDX-License-Identifier: Apache-2.0 */
/*
 * yaml_scalar: YAML 1.1 plain-scalar resolution as go-yaml v2 (and so
 * sigs.k8s.io/yaml, kubectl and the API server) does it, and Go's
 * shortest float formatting.  See yaml_priv.h.
 *
 * The rules, from go-yaml v2's resolve.go: the first byte gives a hint;
 * only scalars starting with a sign, a digit, '.', or one of "yYnNtTfFoO~"
 * (and the empty one) can be anything but a string.  Those are looked up
 * in a table of fixed spellings (booleans, nulls, infinities), then tried
 * as a Go integer literal (strconv.ParseInt base 0 after dropping every
 * '_': 0x, 0o, 0b, leading-0 octal, sign), then as a float matching
 * [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? that does not
 * overflow.  Timestamps stay strings (v2 hands them to interface{} as the
 * original text).
 *
 * Number text is produced and read in the C locale whatever the process
 * locale is (the dashboard calls setlocale).
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "common/yaml_priv.h"

static locale_t c_loc;
static pthread_once_t c_loc_once = PTHREAD_ONCE_INIT;

static void c_loc_init(void)
{
	c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (!c_loc)
		mem_oom();
}

static locale_t c_locale(void)
{
	pthread_once(&c_loc_once, c_loc_init);
	return c_loc;
}

static const struct {
	const char *text;
	enum kyaml_kind kind;
	double num;
	bool b;
} fixed[] = {
    {"y", KYAML_BOOL, 0, true},
    {"Y", KYAML_BOOL, 0, true},
    {"yes", KYAML_BOOL, 0, true},
    {"Yes", KYAML_BOOL, 0, true},
    {"YES", KYAML_BOOL, 0, true},
    {"true", KYAML_BOOL, 0, true},
    {"True", KYAML_BOOL, 0, true},
    {"TRUE", KYAML_BOOL, 0, true},
    {"on", KYAML_BOOL, 0, true},
    {"On", KYAML_BOOL, 0, true},
    {"ON", KYAML_BOOL, 0, true},
    {"n", KYAML_BOOL, 0, false},
    {"N", KYAML_BOOL, 0, false},
    {"no", KYAML_BOOL, 0, false},
    {"No", KYAML_BOOL, 0, false},
    {"NO", KYAML_BOOL, 0, false},
    {"false", KYAML_BOOL, 0, false},
    {"False", KYAML_BOOL, 0, false},
    {"FALSE", KYAML_BOOL, 0, false},
    {"off", KYAML_BOOL, 0, false},
    {"Off", KYAML_BOOL, 0, false},
    {"OFF", KYAML_BOOL, 0, false},
    {"", KYAML_NULL, 0, false},
    {"~", KYAML_NULL, 0, false},
    {"null", KYAML_NULL, 0, false},
    {"Null", KYAML_NULL, 0, false},
    {"NULL", KYAML_NULL, 0, false},
    {".nan", KYAML_FLOAT, NAN, false},
    {".NaN", KYAML_FLOAT, NAN, false},
    {".NAN", KYAML_FLOAT, NAN, false},
    {".inf", KYAML_FLOAT, INFINITY, false},
    {".Inf", KYAML_FLOAT, INFINITY, false},
    {".INF", KYAML_FLOAT, INFINITY, false},
    {"+.inf", KYAML_FLOAT, INFINITY, false},
    {"+.Inf", KYAML_FLOAT, INFINITY, false},
    {"+.INF", KYAML_FLOAT, INFINITY, false},
    {"-.inf", KYAML_FLOAT, -INFINITY, false},
    {"-.Inf", KYAML_FLOAT, -INFINITY, false},
    {"-.INF", KYAML_FLOAT, -INFINITY, false},
};

/* go-yaml's resolve table: 0 means "can only be a string". */
static char hint_of(const char *s)
{
	unsigned char c = (unsigned char)s[0];

	if (!c)
		return 'N';
	if (c == '+' || c == '-')
		return 'S';
	if (c >= '0' && c <= '9')
		return 'D';
	if (c == '.')
		return '.';
	return strchr("yYnNtTfFoO~", c) ? 'M' : 0;
}

static bool lookup_fixed(const char *s, struct kyaml_scalar *out)
{
	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++) {
		if (!strcmp(s, fixed[i].text)) {
			out->kind = fixed[i].kind;
			out->num = fixed[i].num;
			out->b = fixed[i].b;
			return true;
		}
	}
	return false;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* strconv.ParseInt(s, 0, 64), falling back to ParseUint for big ones. */
static bool go_parse_int(const char *s, double *out)
{
	bool neg = false;
	unsigned base = 10;
	uint64_t n = 0;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (!*s)
		return false;
	if (s[0] == '0' && s[1] && s[2] && strchr("xXoObB", s[1])) {
		base = strchr("xX", s[1]) ? 16 : strchr("oO", s[1]) ? 8 : 2;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
		s++;
	}
	for (; *s; s++) {
		unsigned d = (unsigned)digit_value(*s);

		if (d >= base || n > (UINT64_MAX - d) / base)
			return false;
		n = n * base + d;
	}
	if (neg && n > (uint64_t)INT64_MAX + 1)
		return false;
	*out = neg ? -(double)n : (double)n;
	return true;
}

static const char *skip_digits(const char *s, size_t *n)
{
	*n = 0;
	while (*s >= '0' && *s <= '9') {
		s++;
		(*n)++;
	}
	return s;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool match_float(const char *s, bool sign_ok)
{
	size_t n;

	if (sign_ok && (*s == '+' || *s == '-'))
		s++;
	if (*s == '.') {
		s = skip_digits(s + 1, &n);
		if (!n)
			return false;
	} else {
		s = skip_digits(s, &n);
		if (!n)
			return false;
		if (*s == '.')
			s = skip_digits(s + 1, &n);
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		s = skip_digits(s, &n);
		if (!n)
			return false;
	}
	return !*s;
}

/* Go's underscoreOK for a decimal literal: each '_' between two digits. */
static bool underscores_ok(const char *s)
{
	for (size_t i = 0; s[i]; i++) {
		bool digit_before = i && s[i - 1] >= '0' && s[i - 1] <= '9';
		bool digit_after = s[i + 1] >= '0' && s[i + 1] <= '9';

		if (s[i] == '_' && (!digit_before || !digit_after))
			return false;
	}
	return true;
}

/* ParseFloat: fails (leaving a string) when the value overflows. */
static void parse_float(const char *s, struct kyaml_scalar *out)
{
	double d = strtod_l(s, NULL, c_locale());

	if (isinf(d))
		return;
	out->kind = KYAML_FLOAT;
	out->num = d;
}

void kyaml_resolve_plain(const char *s, struct kyaml_scalar *out)
{
	char hint = hint_of(s);
	char *plain;
	size_t j = 0;

	out->kind = KYAML_STR;
	out->num = 0;
	out->b = false;
	if (!hint || lookup_fixed(s, out) || hint == 'M')
		return;
	plain = xstrdup(s);
	for (size_t i = 0; plain[i]; i++)
		if (plain[i] != '_')
			plain[j++] = plain[i];
	plain[j] = '\0';
	if (hint == '.') {
		/* ParseFloat on the text itself: '_' only between digits */
		if (underscores_ok(s) && match_float(plain, false))
			parse_float(plain, out);
	} else if (go_parse_int(plain, &out->num))
		out->kind = KYAML_INT;
	else if (match_float(plain, true))
		parse_float(plain, out);
	free(plain);
}

static const char *const kind_names[] = {
    [KYAML_STR] = "str", [KYAML_NULL] = "null",	  [KYAML_BOOL] = "bool",
    [KYAML_INT] = "int", [KYAML_FLOAT] = "float",
};

/* The kind a resolvable short tag name stands for; -1 for "string". */
static int tag_kind(const char *name)
{
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(*kind_names); i++)
		if (!strcmp(name, kind_names[i]))
			return (int)i;
	return -1;
}

int kyaml_resolve_tagged(const char *tag, const char *s,
			 struct kyaml_scalar *out, struct err *e)
{
	static const char long_prefix[] = "tag:yaml.org,2002:";
	int want;

	out->kind = KYAML_STR;
	out->num = 0;
	out->b = false;
	if (strncmp(tag, long_prefix, sizeof(long_prefix) - 1))
		return 0; /* local or unknown tag: the text as is */
	want = tag_kind(tag + sizeof(long_prefix) - 1);
	if (want < 0 || want == KYAML_STR)
		return 0; /* !!str, !!binary, !!timestamp, ... */
	kyaml_resolve_plain(s, out);
	if ((int)out->kind == want)
		return 0;
	if (want == KYAML_FLOAT && out->kind == KYAML_INT) {
		out->kind = KYAML_FLOAT;
		return 0;
	}
	return err_set(e, ERR_PARSE, "yaml: cannot decode !!%s `%s` as a !!%s",
		       kind_names[out->kind], s, kind_names[want]);
}

/* ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$ */
bool kyaml_is_base60(const char *s)
{
	int groups = 0;

	if (*s == '+' || *s == '-')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	while ((*s >= '0' && *s <= '9') || *s == '_')
		s++;
	while (*s == ':') {
		s++;
		if (s[0] >= '0' && s[0] <= '5' && s[1] >= '0' && s[1] <= '9')
			s += 2;
		else if (s[0] >= '0' && s[0] <= '9')
			s++;
		else
			return false;
		groups++;
	}
	if (!groups)
		return false;
	if (*s == '.')
		for (s++; (*s >= '0' && *s <= '9') || *s == '_'; s++)
			;
	return !*s;
}

/* ---- timestamps -------------------------------------------------------- */

/* Read 1..max digits at *s into *n; false when there is none. */
static bool take_num(const char **s, int max, int *n)
{
	int i = 0;

	*n = 0;
	while (i < max && (*s)[i] >= '0' && (*s)[i] <= '9')
		*n = *n * 10 + ((*s)[i++] - '0');
	*s += i;
	return i > 0;
}

static bool take_char(const char **s, char c)
{
	if (**s != c)
		return false;
	(*s)++;
	return true;
}

static int days_in(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* "HH:MM:SS[.frac]" with one- or two-digit fields, in range. */
static bool take_clock(const char **s)
{
	int h, m, sec, frac;

	if (!take_num(s, 2, &h) || !take_char(s, ':') || !take_num(s, 2, &m) ||
	    !take_char(s, ':') || !take_num(s, 2, &sec) || h > 23 || m > 59 ||
	    sec > 59)
		return false;
	if ((**s == '.' || **s == ',') && (*s)[1] >= '0' && (*s)[1] <= '9') {
		(*s)++;
		while (take_num(s, 9, &frac))
			;
	}
	return true;
}

/* "Z" or "+hh:mm" / "-hh:mm". */
static bool take_zone(const char **s)
{
	int h, m;

	if (take_char(s, 'Z'))
		return true;
	if (**s != '+' && **s != '-')
		return false;
	(*s)++;
	return take_num(s, 2, &h) && take_char(s, ':') && take_num(s, 2, &m);
}

bool kyaml_is_timestamp(const char *s)
{
	int y, mo, d;
	const char *p = s;

	if (!take_num(&p, 4, &y) || p - s != 4 || !take_char(&p, '-') ||
	    !take_num(&p, 2, &mo) || !take_char(&p, '-') ||
	    !take_num(&p, 2, &d) || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in(y, mo))
		return false;
	if (!*p)
		return true;
	if (take_char(&p, ' '))
		return take_clock(&p) && !*p;
	if (!take_char(&p, 'T') && !take_char(&p, 't'))
		return false;
	return take_clock(&p) && take_zone(&p) && !*p;
}

/* ---- floats ------------------------------------------------------------ */

/*
 * Shortest decimal digits of v (positive, finite, non-zero) that read
 * back as the same value at the given precision; *exp10 is the decimal
 * exponent of the first digit.  digits gets at most 17 digits + NUL.
 */
static void shortest_digits(double v, int bits, char *digits, int *exp10)
{
	char tmp[40];
	int p, max = bits == 32 ? 9 : 17;

	for (p = 1; p <= max; p++) {
		snprintf(tmp, sizeof(tmp), "%.*e", p - 1, v);
		double back = strtod_l(tmp, NULL, c_locale());

		if (bits == 32 ? (float)back == (float)v : back == v)
			break;
	}
	if (p > max)
		p = max;
	snprintf(tmp, sizeof(tmp), "%.*e", p - 1, v);
	char *e = strchr(tmp, 'e');
	size_t n = 0;

	if (!e) { /* not reached: v is finite and non-zero */
		strcpy(digits, "0");
		*exp10 = 0;
		return;
	}
	for (char *q = tmp; q < e; q++)
		if (*q >= '0' && *q <= '9')
			digits[n++] = *q;
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	*exp10 = atoi(e + 1);
}

/* Go's %e (shortest) and %f (shortest) layouts of digits x 10^exp10. */
static void put_digits(struct buf *b, const char *digits, int exp10)
{
	int nd = (int)strlen(digits);

	if (exp10 < -4 || exp10 >= 6) {
		buf_addc(b, digits[0]);
		if (nd > 1) {
			buf_addc(b, '.');
			buf_adds(b, digits + 1);
		}
		buf_printf(b, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
		return;
	}
	if (exp10 < 0) {
		buf_adds(b, "0.");
		for (int i = -1; i > exp10; i--)
			buf_addc(b, '0');
		buf_adds(b, digits);
		return;
	}
	for (int i = 0; i <= exp10; i++)
		buf_addc(b, i < nd ? digits[i] : '0');
	if (nd > exp10 + 1) {
		buf_addc(b, '.');
		buf_adds(b, digits + exp10 + 1);
	}
}

void kyaml_format_float(struct buf *b, double v, int bits)
{
	char digits[24];
	int exp10;

	if (bits == 32)
		v = (float)v; /* may overflow to an infinity */
	if (isnan(v)) {
		buf_adds(b, ".nan");
		return;
	}
	if (isinf(v)) {
		buf_adds(b, v < 0 ? "-.inf" : ".inf");
		return;
	}
	if (signbit(v))
		buf_addc(b, '-');
	v = fabs(v);
	if (v == 0) {
		buf_addc(b, '0');
		return;
	}
	shortest_digits(v, bits, digits, &exp10);
	put_digits(b, digits, exp10);
}

/* ---- UTF-8 ------------------------------------------------------------- */

/*
 * Length of the valid UTF-8 sequence at s with avail bytes left (0 if
 * invalid or cut short), as Go sees it.
 */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
	uint32_t c;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (!n || s[0] > 0xf4 || n > avail)
		return 0;
	c = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0; /* also stops at the NUL */
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return n;
}

char *kyaml_valid_utf8(const char *s)
{
	struct buf b = BUF_INIT;
	const unsigned char *p = (const unsigned char *)s;

	buf_adds(&b, "");
	size_t left = strlen(s);

	while (*p) {
		size_t n = utf8_len(p, left);

		left -= n ? n : 1;
		if (n) {
			buf_add(&b, p, n);
			p += n;
		} else {
			buf_adds(&b, "\xef\xbf\xbd");
			p++;
		}
	}
	return buf_take(&b);
}

bool kyaml_utf8_ok(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0, n; i < len; i += n) {
		n = p[i] ? utf8_len(p + i, len - i) : 0;
		if (!n)
			return false;
	}
	return true;
}
