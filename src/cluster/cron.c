/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cron: parser and next-time computation for CronJob schedules.
 *
 * A field is a 64-bit set (bit v = value v, CRON_STAR when written as
 * `*` or `?` without a step > 1: robfig's rule for combining day of month
 * and day of week is AND when either is a star, OR otherwise).  cron_next
 * walks forward from the instant after `after` exactly as robfig's
 * SpecSchedule.Next does: month, day, hour, minute loops in absolute
 * time with local-time checks, restarting at the month loop when a
 * field wraps, and giving up after five years.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cluster/cron.h"
#include "common/buf.h"
#include "common/ktime.h"
#include "common/mem.h"

struct bounds {
	unsigned min, max;
	const char *const *names;	/* names[i] = value min+i... or NULL */
	unsigned name_base;
};

static const char *const month_names[] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
	"nov", "dec", NULL
};
static const char *const dow_names[] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL
};

static const struct bounds b_minute = { 0, 59, NULL, 0 };
static const struct bounds b_hour = { 0, 23, NULL, 0 };
static const struct bounds b_dom = { 1, 31, NULL, 0 };
static const struct bounds b_month = { 1, 12, month_names, 1 };
static const struct bounds b_dow = { 0, 6, dow_names, 0 };

static uint64_t bits(unsigned lo, unsigned hi, unsigned step)
{
	uint64_t b = 0;

	for (unsigned v = lo; v <= hi; v += step)
		b |= UINT64_C(1) << v;
	return b;
}

/* Go's strconv.Atoi then robfig's sign check, with their messages. */
static int parse_uint(const char *s, unsigned *out, struct err *e)
{
	const char *p = s + (*s == '-' || *s == '+');
	char *end;
	long long v;

	if (!*p)
		goto syntax;
	for (const char *q = p; *q; q++)
		if (!isdigit((unsigned char)*q))
			goto syntax;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE || v > INT_MAX || v < INT_MIN)
		return err_set(e, ERR_INVALID, "failed to parse int from %s: "
			       "strconv.Atoi: parsing \"%s\": value out of range", s, s);
	if (v < 0)
		return err_set(e, ERR_INVALID, "negative number (%lld) not allowed: %s",
			       v, s);
	*out = (unsigned)v;
	return 0;
syntax:
	return err_set(e, ERR_INVALID, "failed to parse int from %s: "
		       "strconv.Atoi: parsing \"%s\": invalid syntax", s, s);
}

static int int_or_name(const char *s, const struct bounds *b, unsigned *out,
		       struct err *e)
{
	for (size_t i = 0; b->names && b->names[i]; i++)
		if (!strcasecmp(s, b->names[i])) {
			*out = b->name_base + (unsigned)i;
			return 0;
		}
	return parse_uint(s, out, e);
}

/* Split s at every sep into at most max parts (in place); count all. */
static size_t split(char *s, char sep, char **parts, size_t max)
{
	size_t n = 0;

	for (char *p = s;; p++) {
		if (n < max)
			parts[n] = s;
		if (*p != sep && *p)
			continue;
		n++;
		if (!*p)
			break;
		*p = '\0';
		s = p + 1;
	}
	return n;
}

/* One list element: "*", "a", "a-b", each optionally "/step". */
static int parse_range(char *expr, const struct bounds *b, uint64_t *out,
		       struct err *e)
{
	char *orig = xstrdup(expr), *rs[3], *lh[3];
	size_t nrs = split(expr, '/', rs, 3), nlh;
	unsigned start, end, step = 1;
	uint64_t extra = 0;
	int rc = -1;

	nlh = split(rs[0], '-', lh, 3);
	if (!strcmp(lh[0], "*") || !strcmp(lh[0], "?")) {
		start = b->min, end = b->max, extra = CRON_STAR;
	} else {
		if (int_or_name(lh[0], b, &start, e) < 0)
			goto out;
		if (nlh > 2) {
			err_set(e, ERR_INVALID, "too many hyphens: %s", orig);
			goto out;
		}
		end = start;
		if (nlh == 2 && int_or_name(lh[1], b, &end, e) < 0)
			goto out;
	}
	if (nrs > 2) {
		err_set(e, ERR_INVALID, "too many slashes: %s", orig);
		goto out;
	}
	if (nrs == 2) {
		if (parse_uint(rs[1], &step, e) < 0)
			goto out;
		if (nlh == 1 && !extra)
			end = b->max;
		if (step > 1)
			extra = 0;
	}
	if (start < b->min)
		err_set(e, ERR_INVALID, "beginning of range (%u) below minimum (%u): %s",
			start, b->min, orig);
	else if (end > b->max)
		err_set(e, ERR_INVALID, "end of range (%u) above maximum (%u): %s",
			end, b->max, orig);
	else if (start > end)
		err_set(e, ERR_INVALID, "beginning of range (%u) beyond end of range (%u): %s",
			start, end, orig);
	else if (step == 0)
		err_set(e, ERR_INVALID, "step of range should be a positive number: %s",
			orig);
	else {
		*out = bits(start, end, step) | extra;
		rc = 0;
	}
out:
	free(orig);
	return rc;
}

static int parse_field(const char *field, const struct bounds *b,
		       uint64_t *out, struct err *e)
{
	char *f = xstrdup(field), *p = f, *comma;
	uint64_t acc = 0, one;
	int rc = 0;

	for (;;) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (parse_range(p, b, &one, e) < 0) {
			rc = -1;
			break;
		}
		acc |= one;
		if (!comma)
			break;
		p = comma + 1;
	}
	free(f);
	if (!rc)
		*out = acc;
	return rc;
}

static int parse_descriptor(const char *d, struct cron *c, struct err *e)
{
	static const struct { const char *name; const char *spec; } desc[] = {
		{ "@yearly", "0 0 1 1 *" }, { "@annually", "0 0 1 1 *" },
		{ "@monthly", "0 0 1 * *" }, { "@weekly", "0 0 * * 0" },
		{ "@daily", "0 0 * * *" }, { "@midnight", "0 0 * * *" },
		{ "@hourly", "0 * * * *" },
	};

	for (size_t i = 0; i < sizeof(desc) / sizeof(desc[0]); i++)
		if (!strcmp(d, desc[i].name))
			return cron_parse(desc[i].spec, c, e);
	if (!strncmp(d, "@every ", 7)) {
		int64_t ns;
		struct err de;

		if (ktime_parse_duration(d + 7, &ns, &de) < 0)
			return err_set(e, ERR_INVALID, "failed to parse duration %s: %s",
				       d, de.msg);
		memset(c, 0, sizeof(*c));
		c->every = ns < KTIME_NS_PER_SEC ? 1 : ns / KTIME_NS_PER_SEC;
		return 0;
	}
	return err_set(e, ERR_INVALID, "unrecognized descriptor: %s", d);
}

/* "TZ=zone rest" / "CRON_TZ=zone rest": check the zone, return rest. */
static int strip_tz(const char **spec, struct err *e)
{
	const char *s = *spec, *sp = strchr(s, ' '), *eq = strchr(s, '=');
	char zone[128];
	size_t n;

	if (strncmp(s, "TZ=", 3) && strncmp(s, "CRON_TZ=", 8))
		return 0;
	if (!sp || sp < eq)
		return err_set(e, ERR_INVALID, "provided bad location %s: "
			       "unknown time zone %s", eq + 1, eq + 1);
	n = (size_t)(sp - eq - 1);
	snprintf(zone, sizeof(zone), "%.*s", (int)n, eq + 1);
	if (!cron_zone_valid(zone))
		return err_set(e, ERR_INVALID, "provided bad location %s: "
			       "unknown time zone %s", zone, zone);
	while (*sp == ' ')
		sp++;
	*spec = sp;
	return 0;
}

int cron_parse(const char *spec, struct cron *out, struct err *e)
{
	const struct bounds *b[5] = { &b_minute, &b_hour, &b_dom, &b_month, &b_dow };
	char *copy, *f[5], *tok, *save = NULL;
	uint64_t v[5];
	struct cron c;
	size_t n = 0;
	struct buf list;

	if (!spec || !*spec)
		return err_set(e, ERR_INVALID, "empty spec string");
	if (strip_tz(&spec, e) < 0)
		return -1;
	if (spec[0] == '@') {
		if (parse_descriptor(spec, &c, e) < 0)
			return -1;
		*out = c;
		return 0;
	}
	copy = xstrdup(spec);
	buf_init(&list);
	for (tok = strtok_r(copy, " \t\n\r\v\f", &save); tok;
	     tok = strtok_r(NULL, " \t\n\r\v\f", &save)) {
		buf_printf(&list, "%s%s", n ? " " : "", tok);
		if (n < 5)
			f[n] = tok;
		n++;
	}
	if (n != 5) {
		err_set(e, ERR_INVALID, "expected exactly 5 fields, found %zu: [%s]",
			n, list.len ? list.data : "");
		goto fail;
	}
	for (size_t i = 0; i < 5; i++)
		if (parse_field(f[i], b[i], &v[i], e) < 0)
			goto fail;
	free(copy);
	buf_free(&list);
	memset(out, 0, sizeof(*out));
	out->minute = v[0], out->hour = v[1], out->dom = v[2];
	out->month = v[3], out->dow = v[4];
	return 0;
fail:
	free(copy);
	buf_free(&list);
	return -1;
}

bool cron_zone_valid(const char *tz)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	struct stat st;

	if (!tz || !*tz || strlen(tz) > 200 || tz[0] == '/' || tz[0] == '-' ||
	    strstr(tz, "..") || !strcasecmp(tz, "Local"))
		return false;
	for (const char *p = tz; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p))
			return false;
	if (!strcmp(tz, "UTC"))
		return true;
	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* --- next time --- */

static pthread_mutex_t zone_mu = PTHREAD_MUTEX_INITIALIZER;

static void local(bool utc, time_t t, struct tm *tm)
{
	if (utc)
		gmtime_r(&t, tm);
	else
		localtime_r(&t, tm);
}

static time_t make(bool utc, struct tm *tm)
{
	tm->tm_isdst = -1;
	return utc ? timegm(tm) : mktime(tm);
}

static bool has(uint64_t set, int v)
{
	return v >= 0 && v < 63 && (set >> v & 1);
}

static bool day_matches(const struct cron *c, const struct tm *tm)
{
	bool dom = has(c->dom, tm->tm_mday), dow = has(c->dow, tm->tm_wday);

	if ((c->dom & CRON_STAR) || (c->dow & CRON_STAR))
		return dom && dow;
	return dom || dow;
}

/* Local midnight of the day (d_add days later) of t. */
static time_t midnight(bool utc, time_t t, int d_add, int m_add, bool first)
{
	struct tm tm;

	local(utc, t, &tm);
	if (first)
		tm.tm_mday = 1;
	tm.tm_mday += d_add;
	tm.tm_mon += m_add;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	return make(utc, &tm);
}

/* Go's t.AddDate(0, m, d) keeping the clock time. */
static time_t add_date(bool utc, time_t t, int m, int d)
{
	struct tm tm;

	local(utc, t, &tm);
	tm.tm_mon += m;
	tm.tm_mday += d;
	return make(utc, &tm);
}

static time_t walk(const struct cron *c, bool utc, time_t t)
{
	struct tm tm;
	bool added = false;
	int limit;

	local(utc, t, &tm);
	limit = tm.tm_year + 5;
wrap:
	local(utc, t, &tm);
	if (tm.tm_year > limit)
		return 0;
	while (!has(c->month, tm.tm_mon + 1)) {
		if (!added) {
			added = true;
			t = midnight(utc, t, 0, 0, true);
		}
		t = add_date(utc, t, 1, 0);
		local(utc, t, &tm);
		if (tm.tm_mon == 0)
			goto wrap;
	}
	while (!day_matches(c, &tm)) {
		if (!added) {
			added = true;
			t = midnight(utc, t, 0, 0, false);
		}
		t = add_date(utc, t, 0, 1);
		local(utc, t, &tm);
		if (tm.tm_hour)
			t += (tm.tm_hour > 12 ? 24 - tm.tm_hour : -tm.tm_hour) * 3600;
		local(utc, t, &tm);
		if (tm.tm_mday == 1)
			goto wrap;
	}
	while (!has(c->hour, tm.tm_hour)) {
		if (!added) {
			added = true;
			t -= tm.tm_min * 60 + tm.tm_sec;
		}
		t += 3600;
		local(utc, t, &tm);
		if (tm.tm_hour == 0)
			goto wrap;
	}
	while (!has(c->minute, tm.tm_min)) {
		if (!added) {
			added = true;
			t -= tm.tm_sec;
		}
		t += 60;
		local(utc, t, &tm);
		if (tm.tm_min == 0)
			goto wrap;
	}
	if (tm.tm_sec) {
		added = true;
		t += 60 - tm.tm_sec;
		goto wrap;
	}
	return t;
}

time_t cron_next(const struct cron *c, const char *tz, time_t after)
{
	bool utc = !tz || !*tz || !strcmp(tz, "UTC");
	char *saved = NULL, *val;
	time_t t;

	if (c->every)
		return after + c->every;
	if (utc)
		return walk(c, true, after + 1);
	if (!cron_zone_valid(tz))
		return 0;
	val = xasprintf(":%s", tz);
	pthread_mutex_lock(&zone_mu);
	if (getenv("TZ"))
		saved = xstrdup(getenv("TZ"));
	setenv("TZ", val, 1);
	tzset();
	t = walk(c, false, after + 1);
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	pthread_mutex_unlock(&zone_mu);
	free(saved);
	free(val);
	return t;
}
