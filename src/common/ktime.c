/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ktime: RFC 3339 times, Go durations and kubectl's human durations.
 *
 * Calendar arithmetic uses the proleptic Gregorian day count of Howard
 * Hinnant's civil-from-days algorithm, so no libc time zone state (TZ,
 * timegm) is touched.  Duration parsing follows Go's ParseDuration step
 * by step, including its use of a float64 for fractional units.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/ktime.h"

#define RFC3339 "2006-01-02T15:04:05Z07:00"

struct ktime ktime_now(void)
{
	struct timespec ts;
	struct ktime t;

	clock_gettime(CLOCK_REALTIME, &ts);
	t.sec = (int64_t)ts.tv_sec;
	t.nsec = (int32_t)ts.tv_nsec;
	return t;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* n decimal digits at *p into *v; advances *p. */
static bool digits(const char **p, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return false;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return true;
}

/* Go's getnum(s, false): one or two digits. */
static bool digits12(const char **p, int *v)
{
	if (!digits(p, 1, v))
		return false;
	if (**p >= '0' && **p <= '9')
		*v = *v * 10 + (*(*p)++ - '0');
	return true;
}

/* ",123456789..." after the seconds -> nanoseconds (9 digits kept). */
static void fraction(const char **p, int32_t *ns)
{
	int n = 0;
	int32_t v = 0;

	if ((**p != '.' && **p != ',') || (*p)[1] < '0' || (*p)[1] > '9')
		return;
	(*p)++;
	while (**p >= '0' && **p <= '9') {
		if (n++ < 9)
			v = v * 10 + (**p - '0');
		(*p)++;
	}
	for (; n < 9; n++)
		v *= 10;
	*ns = v;
}

/* "Z" or "+hh:mm" / "-hh:mm" -> seconds east of UTC. */
static bool offset(const char **p, int *secs)
{
	const char *q = *p;
	int h, m, sign;

	if (*q == 'Z') {
		*secs = 0;
		(*p)++;
		return true;
	}
	if (*q != '+' && *q != '-')
		return false;
	sign = *q++ == '-' ? -1 : 1;
	if (!digits(&q, 2, &h) || *q++ != ':' || !digits(&q, 2, &m) ||
	    h > 24 || m > 60)
		return false;
	*secs = sign * (h * 3600 + m * 60);
	*p = q;
	return true;
}

/* The layout chunks of RFC 3339 as Go's parser walks them. */
enum chunk { C_YEAR, C_NUM2, C_HOUR, C_LIT, C_ZONE };

static const struct {
	enum chunk kind;
	const char *text;	/* layout text, reported on failure */
	int slot;		/* index into the field array, -1 none */
} layout[] = {
	{ C_YEAR, "2006", 0 }, { C_LIT, "-", -1 }, { C_NUM2, "01", 1 },
	{ C_LIT, "-", -1 }, { C_NUM2, "02", 2 }, { C_LIT, "T", -1 },
	{ C_HOUR, "15", 3 }, { C_LIT, ":", -1 }, { C_NUM2, "04", 4 },
	{ C_LIT, ":", -1 }, { C_NUM2, "05", 5 }, { C_ZONE, "Z07:00", -1 },
};

static bool parse_chunk(size_t i, const char **p, int *f, int32_t *ns,
			int *off)
{
	switch (layout[i].kind) {
	case C_YEAR:
		return digits(p, 4, &f[0]);
	case C_NUM2:
		if (!digits(p, 2, &f[layout[i].slot]))
			return false;
		if (layout[i].slot == 5)
			fraction(p, ns);
		return true;
	case C_HOUR:
		return digits12(p, &f[3]);
	case C_LIT:
		return *(*p)++ == layout[i].text[0];
	case C_ZONE:
		return offset(p, off);
	}
	return false;
}

/* Go's range check right after a chunk (the day waits for the end). */
static const char *out_of_range(int slot, const int *f)
{
	static const struct {
		int slot, lo, hi;
		const char *name;
	} ranges[] = {
		{ 1, 1, 12, "month" }, { 3, 0, 23, "hour" },
		{ 4, 0, 59, "minute" }, { 5, 0, 59, "second" },
	};
	size_t i;

	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (ranges[i].slot == slot &&
		    (f[slot] < ranges[i].lo || f[slot] > ranges[i].hi))
			return ranges[i].name;
	return NULL;
}

int ktime_parse(const char *s, struct ktime *out, struct err *e)
{
	const char *p = s ? s : "", *hold, *bad;
	int f[6] = { 0 }, off = 0;
	int32_t ns = 0;
	size_t i;

	for (i = 0; i < sizeof(layout) / sizeof(layout[0]); i++) {
		hold = p;
		if (!parse_chunk(i, &p, f, &ns, &off))
			return err_set(e, ERR_PARSE, "parsing time \"%s\" as "
				       "\"%s\": cannot parse \"%s\" as \"%s\"",
				       s ? s : "", RFC3339, hold,
				       layout[i].text);
		bad = out_of_range(layout[i].slot, f);
		if (bad)
			goto range;
	}
	if (*p)
		return err_set(e, ERR_PARSE, "parsing time \"%s\": extra text: "
			       "\"%s\"", s, p);
	bad = "day";
	if (f[2] < 1 || f[2] > days_in_month(f[0], f[1]))
		goto range;
	out->sec = days_from_civil(f[0], f[1], f[2]) * 86400 + f[3] * 3600 +
		   f[4] * 60 + f[5] - off;
	out->nsec = ns;
	return 0;
range:
	return err_set(e, ERR_PARSE, "parsing time \"%s\": %s out of range",
		       s, bad);
}

static char *format_base(const struct ktime *t, char *out, size_t *len)
{
	int64_t days = t->sec / 86400, rem = t->sec % 86400, y;
	int m, d;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	*len = (size_t)snprintf(out, KTIME_STR_MAX, "%04lld-%02d-%02dT%02d:%02d:"
				"%02d", (long long)y, m, d, (int)(rem / 3600),
				(int)(rem / 60 % 60), (int)(rem % 60));
	return out;
}

char *ktime_format(const struct ktime *t, char *out)
{
	size_t n;

	format_base(t, out, &n);
	snprintf(out + n, KTIME_STR_MAX - n, "Z");
	return out;
}

char *ktime_format_micro(const struct ktime *t, char *out)
{
	size_t n;

	format_base(t, out, &n);
	snprintf(out + n, KTIME_STR_MAX - n, ".%06dZ", t->nsec / 1000);
	return out;
}

int64_t ktime_sub(const struct ktime *b, const struct ktime *a)
{
	__int128 d = ((__int128)b->sec - a->sec) * KTIME_NS_PER_SEC +
		     (b->nsec - a->nsec);

	if (d > INT64_MAX)
		return INT64_MAX;
	if (d < INT64_MIN)
		return INT64_MIN;
	return (int64_t)d;
}

/* --- Go durations --- */

static const struct {
	const char *name;
	uint64_t ns;
} units[] = {
	{ "ns", 1 }, { "us", 1000 }, { "\xc2\xb5s", 1000 },
	{ "\xce\xbcs", 1000 }, { "ms", 1000000 }, { "s", 1000000000ULL },
	{ "m", 60000000000ULL }, { "h", 3600000000000ULL },
};

#define BIG (1ULL << 63)

static int bad_duration(struct err *e, const char *orig)
{
	return err_set(e, ERR_PARSE, "time: invalid duration \"%s\"", orig);
}

/* leadingInt: [0-9]* with overflow checks.  -1 on overflow. */
static int leading_int(const char **s, uint64_t *x)
{
	*x = 0;
	for (; **s >= '0' && **s <= '9'; (*s)++) {
		if (*x > BIG / 10)
			return -1;
		*x = *x * 10 + (uint64_t)(**s - '0');
		if (*x > BIG)
			return -1;
	}
	return 0;
}

/* leadingFraction: digits past int64 precision are ignored. */
static void leading_fraction(const char **s, uint64_t *x, double *scale)
{
	bool overflow = false;
	uint64_t y;

	*x = 0;
	*scale = 1;
	for (; **s >= '0' && **s <= '9'; (*s)++) {
		if (overflow || *x > (BIG - 1) / 10) {
			overflow = true;
			continue;
		}
		y = *x * 10 + (uint64_t)(**s - '0');
		if (y > BIG) {
			overflow = true;
			continue;
		}
		*x = y;
		*scale *= 10;
	}
}

/* One "<number><unit>" element of a duration into *v. */
static int duration_part(const char **s, const char *orig, uint64_t *v,
			 struct err *e)
{
	const char *start = *s, *u;
	uint64_t f = 0;
	double scale = 1;
	bool pre, post = false;
	size_t i, n;

	if (**s != '.' && (**s < '0' || **s > '9'))
		return bad_duration(e, orig);
	if (leading_int(s, v) < 0)
		return bad_duration(e, orig);
	pre = *s != start;
	if (**s == '.') {
		const char *fs = ++*s;

		leading_fraction(s, &f, &scale);
		post = *s != fs;
	}
	if (!pre && !post)
		return bad_duration(e, orig);
	for (u = *s, n = 0; u[n] && u[n] != '.' && (u[n] < '0' || u[n] > '9');)
		n++;
	if (!n)
		return err_set(e, ERR_PARSE, "time: missing unit in duration "
			       "\"%s\"", orig);
	*s += n;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].name) == n && !strncmp(units[i].name, u, n))
			break;
	if (i == sizeof(units) / sizeof(units[0]))
		return err_set(e, ERR_PARSE, "time: unknown unit \"%.*s\" in "
			       "duration \"%s\"", (int)n, u, orig);
	if (*v > BIG / units[i].ns)
		return bad_duration(e, orig);
	*v *= units[i].ns;
	if (f > 0) {
		*v += (uint64_t)((double)f * ((double)units[i].ns / scale));
		if (*v > BIG)
			return bad_duration(e, orig);
	}
	return 0;
}

int ktime_parse_duration(const char *orig, int64_t *ns, struct err *e)
{
	const char *s = orig ? orig : "";
	uint64_t d = 0, v = 0;
	bool neg = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!strcmp(s, "0")) {
		*ns = 0;
		return 0;
	}
	if (!*s)
		return bad_duration(e, orig ? orig : "");
	while (*s) {
		if (duration_part(&s, orig, &v, e) < 0)
			return -1;
		d += v;
		if (d > BIG)
			return bad_duration(e, orig);
	}
	if (!neg && d > BIG - 1)
		return bad_duration(e, orig);
	*ns = neg ? (int64_t)(0 - d) : (int64_t)d;
	return 0;
}

/* fmtFrac: the fraction of v/10^prec without trailing zeros, backwards. */
static size_t fmt_frac(char *buf, size_t w, uint64_t *v, int prec)
{
	bool print = false;
	int i;

	for (i = 0; i < prec; i++) {
		int digit = (int)(*v % 10);

		print = print || digit != 0;
		if (print)
			buf[--w] = (char)('0' + digit);
		*v /= 10;
	}
	if (print)
		buf[--w] = '.';
	return w;
}

static size_t fmt_int(char *buf, size_t w, uint64_t v)
{
	do {
		buf[--w] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	return w;
}

static size_t fmt_small(char *buf, size_t w, uint64_t u)
{
	int prec = 6;

	buf[--w] = 's';
	if (u == 0) {
		buf[--w] = '0';
		return w;
	}
	if (u < 1000) {
		prec = 0;
		buf[--w] = 'n';
	} else if (u < 1000000) {
		prec = 3;
		w -= 2;
		memcpy(buf + w, "\xc2\xb5", 2);
	} else {
		buf[--w] = 'm';
	}
	w = fmt_frac(buf, w, &u, prec);
	return fmt_int(buf, w, u);
}

char *ktime_format_duration(int64_t ns, char *out)
{
	char buf[32];
	size_t w = sizeof(buf);
	uint64_t u = ns < 0 ? 0 - (uint64_t)ns : (uint64_t)ns;

	if (u < 1000000000ULL) {
		w = fmt_small(buf, w, u);
	} else {
		buf[--w] = 's';
		w = fmt_frac(buf, w, &u, 9);
		w = fmt_int(buf, w, u % 60);
		u /= 60;
		if (u > 0) {
			buf[--w] = 'm';
			w = fmt_int(buf, w, u % 60);
			u /= 60;
			if (u > 0) {
				buf[--w] = 'h';
				w = fmt_int(buf, w, u);
			}
		}
	}
	if (ns < 0)
		buf[--w] = '-';
	memcpy(out, buf + w, sizeof(buf) - w);
	out[sizeof(buf) - w] = '\0';
	return out;
}

/* --- kubectl ages (k8s.io/apimachinery/pkg/util/duration) --- */

#define MIN_NS (60 * KTIME_NS_PER_SEC)
#define HOUR_NS (60 * MIN_NS)

/* Shared prologue: "<invalid>" beyond -1s of skew, "0s" within. */
static bool human_prologue(int64_t ns, char *out)
{
	int64_t secs = ns / KTIME_NS_PER_SEC;

	if (secs < -1) {
		strcpy(out, "<invalid>");
		return true;
	}
	if (secs < 0) {
		strcpy(out, "0s");
		return true;
	}
	return false;
}

static char *two_units(char *out, int64_t a, char ua, int64_t b, char ub)
{
	if (b == 0)
		snprintf(out, KTIME_STR_MAX, "%lld%c", (long long)a, ua);
	else
		snprintf(out, KTIME_STR_MAX, "%lld%c%lld%c", (long long)a, ua,
			 (long long)b, ub);
	return out;
}

static char *one_unit(char *out, int64_t a, char ua)
{
	snprintf(out, KTIME_STR_MAX, "%lld%c", (long long)a, ua);
	return out;
}

char *ktime_human_duration(int64_t ns, char *out)
{
	int64_t secs = ns / KTIME_NS_PER_SEC, mins = ns / MIN_NS,
		hours = ns / HOUR_NS;

	if (human_prologue(ns, out))
		return out;
	if (secs < 60 * 2)
		return one_unit(out, secs, 's');
	if (mins < 10)
		return two_units(out, mins, 'm', secs % 60, 's');
	if (mins < 60 * 3)
		return one_unit(out, mins, 'm');
	if (hours < 8)
		return two_units(out, hours, 'h', mins % 60, 'm');
	if (hours < 48)
		return one_unit(out, hours, 'h');
	if (hours < 24 * 8)
		return two_units(out, hours / 24, 'd', hours % 24, 'h');
	if (hours < 24 * 365 * 2)
		return one_unit(out, hours / 24, 'd');
	if (hours < 24 * 365 * 8)
		return two_units(out, hours / 24 / 365, 'y',
				 (hours / 24) % 365, 'd');
	return one_unit(out, hours / 24 / 365, 'y');
}

char *ktime_short_human_duration(int64_t ns, char *out)
{
	int64_t secs = ns / KTIME_NS_PER_SEC, hours = ns / HOUR_NS;

	if (human_prologue(ns, out))
		return out;
	if (secs < 60)
		return one_unit(out, secs, 's');
	if (ns / MIN_NS < 60)
		return one_unit(out, ns / MIN_NS, 'm');
	if (hours < 24)
		return one_unit(out, hours, 'h');
	if (hours < 24 * 365)
		return one_unit(out, hours / 24, 'd');
	return one_unit(out, hours / 24 / 365, 'y');
}
