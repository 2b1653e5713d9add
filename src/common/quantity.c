/* SPDX-License-Identifier: Apache-2.0 */
/*
 * quantity: parse, compare, add and print Kubernetes quantities.
 *
 * The text is split as apimachinery's parseQuantityString does (sign,
 * numerator, denominator, suffix), the suffix is looked up in two tables
 * (decimal and binary SI) or read as an "e<int>" exponent, and the number
 * becomes an exact nano-unit count.  Printing reproduces
 * Quantity.CanonicalizeBytes: binary quantities print in the largest
 * power-of-1024 unit that keeps an integer, everything else as an integer
 * mantissa with an exponent that is a multiple of three.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/quantity.h"

#define NANO 1000000000LL
#define MSG_FORMAT "quantities must match the regular expression " \
	"'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
#define MSG_NUMERIC "unable to parse numeric part of quantity"
#define MSG_SUFFIX "unable to parse quantity's suffix"

/* |nano| bound: 1e36 nano-units = 1e27 units. */
static const quantity_nano_t QMAX = (quantity_nano_t)1000000000000000000LL *
				    1000000000000000000LL;

struct suffix {
	const char *text;
	int base;		/* 10 or 2 */
	int exponent;
	enum quantity_format format;
};

static const struct suffix suffixes[] = {
	{ "n", 10, -9, QUANTITY_DECIMAL_SI },
	{ "u", 10, -6, QUANTITY_DECIMAL_SI },
	{ "m", 10, -3, QUANTITY_DECIMAL_SI },
	{ "", 10, 0, QUANTITY_DECIMAL_SI },
	{ "k", 10, 3, QUANTITY_DECIMAL_SI },
	{ "M", 10, 6, QUANTITY_DECIMAL_SI },
	{ "G", 10, 9, QUANTITY_DECIMAL_SI },
	{ "T", 10, 12, QUANTITY_DECIMAL_SI },
	{ "P", 10, 15, QUANTITY_DECIMAL_SI },
	{ "E", 10, 18, QUANTITY_DECIMAL_SI },
	{ "Ki", 2, 10, QUANTITY_BINARY_SI },
	{ "Mi", 2, 20, QUANTITY_BINARY_SI },
	{ "Gi", 2, 30, QUANTITY_BINARY_SI },
	{ "Ti", 2, 40, QUANTITY_BINARY_SI },
	{ "Pi", 2, 50, QUANTITY_BINARY_SI },
	{ "Ei", 2, 60, QUANTITY_BINARY_SI },
};

/* The pieces of a quantity string (all borrowed from the input). */
struct qparts {
	bool negative;
	const char *num;	/* significant numerator digits */
	size_t num_len;
	const char *denom;
	size_t denom_len;
	const char *suffix;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static size_t span_digits(const char *s)
{
	size_t n = 0;

	while (is_digit(s[n]))
		n++;
	return n;
}

/* parseQuantityString: returns -1 on a malformed suffix part. */
static int split_parts(const char *s, struct qparts *p)
{
	const char *q = s;

	memset(p, 0, sizeof(*p));
	if (*q == '-' || *q == '+')
		p->negative = *q++ == '-';
	while (*q == '0')
		q++;
	p->num = q;
	p->num_len = span_digits(q);
	q += p->num_len;
	p->denom = q;
	if (*q == '.') {
		p->denom = ++q;
		p->denom_len = span_digits(q);
		q += p->denom_len;
	}
	p->suffix = q;
	while (*q && strchr("eEinumkKMGTP", *q))
		q++;
	if (*q == '-' || *q == '+')
		q++;
	q += span_digits(q);
	return *q ? -1 : 0;
}

/* Digit i of num||denom (0 beyond either end). */
static int digit_at(const struct qparts *p, long long i)
{
	if (i < 0)
		return 0;
	if ((size_t)i < p->num_len)
		return p->num[i] - '0';
	i -= (long long)p->num_len;
	if ((size_t)i < p->denom_len)
		return p->denom[i] - '0';
	return 0;
}

/*
 * The number times 10^shift, split at the decimal point: the integer part
 * (-1 when it would reach QMAX), the next 19 fractional digits and whether
 * any digit beyond those is non-zero.
 */
static int scale_digits(const struct qparts *p, long long shift,
			quantity_nano_t *ip, uint64_t *frac, bool *sticky)
{
	long long total = (long long)(p->num_len + p->denom_len);
	long long point = (long long)p->num_len + shift, i;
	quantity_nano_t v = 0;

	*frac = 0;
	*sticky = false;
	for (i = 0; i < point; i++) {
		if (v > QMAX / 10)
			return -1;
		v = v * 10 + digit_at(p, i);
	}
	if (v >= QMAX)
		return -1;
	for (i = point; i < point + 19; i++)
		*frac = *frac * 10 + (uint64_t)digit_at(p, i);
	for (i = point + 19 < 0 ? 0 : point + 19; i < total; i++)
		if (digit_at(p, i))
			*sticky = true;
	*ip = v;
	return 0;
}

static const struct suffix *find_suffix(const char *text)
{
	size_t i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (!strcmp(suffixes[i].text, text))
			return &suffixes[i];
	return NULL;
}

/* interpret(): table lookup, else "e<int>"/"E<int>". */
static int read_suffix(const char *text, struct suffix *out)
{
	const struct suffix *s = find_suffix(text);
	const char *d;
	char *end;
	long long v;

	if (s) {
		*out = *s;
		return 0;
	}
	if (strlen(text) < 2 || (text[0] != 'e' && text[0] != 'E'))
		return -1;
	d = text[1] == '+' || text[1] == '-' ? text + 2 : text + 1;
	if (!is_digit(*d))
		return -1;
	errno = 0;
	v = strtoll(text + 1, &end, 10);
	if (errno || *end)
		return -1;
	out->text = text;
	out->base = 10;
	out->exponent = (int)(int32_t)v;	/* Go's int32() conversion */
	out->format = QUANTITY_DECIMAL_EXPONENT;
	return 0;
}

static bool digits_nonzero(const struct qparts *p)
{
	size_t i;

	for (i = 0; i < p->num_len; i++)
		if (p->num[i] != '0')
			return true;
	for (i = 0; i < p->denom_len; i++)
		if (p->denom[i] != '0')
			return true;
	return false;
}

/* Exact nano count of the parts under the suffix, rounded up to 1n. */
static int compute_nano(const struct qparts *p, const struct suffix *sf,
			quantity_nano_t *out)
{
	quantity_nano_t ip, mul;
	uint64_t frac;
	bool sticky;

	if (!digits_nonzero(p)) {
		*out = 0;
		return 0;
	}
	if (sf->base == 10) {
		if (scale_digits(p, (long long)sf->exponent + 9, &ip, &frac,
				 &sticky) < 0)
			return -1;
		*out = ip + (frac || sticky);
		return 0;
	}
	if (scale_digits(p, 9, &ip, &frac, &sticky) < 0)
		return -1;
	if (ip > (QMAX >> sf->exponent))
		return -1;
	mul = (quantity_nano_t)frac << sf->exponent;
	*out = (ip << sf->exponent) +
	       mul / (quantity_nano_t)10000000000000000000ULL;
	if (mul % (quantity_nano_t)10000000000000000000ULL || sticky)
		*out += 1;
	return 0;
}

int quantity_parse(const char *s, struct quantity *out, struct err *e)
{
	quantity_nano_t cap = (quantity_nano_t)INT64_MAX * NANO, nano;
	struct qparts p;
	struct suffix sf;

	if (!s || !*s || split_parts(s, &p) < 0)
		return err_set(e, ERR_PARSE, MSG_FORMAT);
	if (read_suffix(p.suffix, &sf) < 0)
		return err_set(e, ERR_PARSE, MSG_SUFFIX);
	if (compute_nano(&p, &sf, &nano) < 0)
		return err_set(e, ERR_PARSE, "quantity too large: %s", s);
	if (sf.format == QUANTITY_BINARY_SI && nano > cap)
		nano = cap;
	out->nano = p.negative ? -nano : nano;
	out->format = sf.format;
	return 0;
}

struct quantity quantity_from_int64(int64_t v, enum quantity_format f)
{
	struct quantity q = { (quantity_nano_t)v * NANO, f };

	return q;
}

struct quantity quantity_from_milli(int64_t milli, enum quantity_format f)
{
	struct quantity q = { (quantity_nano_t)milli * 1000000, f };

	return q;
}

int quantity_cmp(const struct quantity *a, const struct quantity *b)
{
	return (a->nano > b->nano) - (a->nano < b->nano);
}

bool quantity_is_zero(const struct quantity *q)
{
	return q->nano == 0;
}

int quantity_add(struct quantity *a, const struct quantity *b, struct err *e)
{
	quantity_nano_t sum = a->nano + b->nano;

	if (sum >= QMAX || sum <= -QMAX)
		return err_set(e, ERR_INVALID, "quantity sum out of range");
	if (a->nano == 0)
		a->format = b->format;
	a->nano = sum;
	return 0;
}

/* nano / div rounded away from zero, saturated to int64. */
static int64_t round_up_div(quantity_nano_t nano, quantity_nano_t div)
{
	quantity_nano_t q = nano / div;

	if (nano % div)
		q += nano > 0 ? 1 : -1;
	if (q > INT64_MAX)
		return INT64_MAX;
	if (q < INT64_MIN)
		return INT64_MIN;
	return (int64_t)q;
}

int64_t quantity_value(const struct quantity *q)
{
	return round_up_div(q->nano, NANO);
}

int64_t quantity_milli_value(const struct quantity *q)
{
	return round_up_div(q->nano, 1000000);
}

/* Decimal digits of v (any sign) at out; returns the end. */
static char *put_int128(char *out, quantity_nano_t v)
{
	char tmp[48];
	int n = 0;
	unsigned __int128 u;

	if (v < 0) {
		*out++ = '-';
		u = (unsigned __int128)0 - (unsigned __int128)v;
	} else {
		u = (unsigned __int128)v;
	}
	do {
		tmp[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	while (n)
		*out++ = tmp[--n];
	*out = '\0';
	return out;
}

static const char *dec_suffix(int exponent)
{
	size_t i;

	for (i = 0; i < 10; i++)
		if (suffixes[i].exponent == exponent)
			return suffixes[i].text;
	return NULL;
}

/* AsCanonicalBytes + the decimal suffix. */
static void format_decimal(const struct quantity *q, char *out)
{
	quantity_nano_t m = q->nano;
	int exponent = -9;
	const char *sfx;

	while (m % 10 == 0) {
		m /= 10;
		exponent++;
	}
	while (exponent % 3 != 0) {
		m *= 10;
		exponent--;
	}
	out = put_int128(out, m);
	sfx = q->format == QUANTITY_DECIMAL_SI ? dec_suffix(exponent) : NULL;
	if (sfx)
		strcpy(out, sfx);
	else if (exponent != 0)
		sprintf(out, "e%d", exponent);
}

char *quantity_format(const struct quantity *q, char *out)
{
	static const char *const bin[] = { "", "Ki", "Mi", "Gi", "Ti", "Pi",
					   "Ei" };
	quantity_nano_t v;
	int times = 0;
	char *end;

	if (q->nano == 0) {
		strcpy(out, "0");
		return out;
	}
	if (q->format != QUANTITY_BINARY_SI ||
	    (q->nano > -1024 * NANO && q->nano < 1024 * NANO) ||
	    q->nano % NANO != 0) {
		struct quantity d = *q;

		if (d.format == QUANTITY_BINARY_SI)
			d.format = QUANTITY_DECIMAL_SI;
		format_decimal(&d, out);
		return out;
	}
	v = q->nano / NANO;
	while (times < 6 && v % 1024 == 0) {
		v /= 1024;
		times++;
	}
	end = put_int128(out, v);
	strcpy(end, bin[times]);
	return out;
}
