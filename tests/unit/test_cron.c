/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cron: the CronJob schedule parser (forms, names, descriptors and
 * robfig/cron's error messages) and next activation times, including the
 * DST gaps and repeats of Europe/Berlin and America/New_York.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/cron.h"
#include "../tap.h"

static time_t at(const char *iso)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!iso || !strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return 0;
	return timegm(&tm);
}

static void fmt(time_t t, char out[32])
{
	struct tm tm;

	if (!t) {
		strcpy(out, "none");
		return;
	}
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const struct {
	const char *spec, *tz, *after, *want;
} next_cases[] = {
	{ "* * * * *", NULL, "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z" },
	{ "* * * * *", NULL, "2026-01-01T00:00:30Z", "2026-01-01T00:01:00Z" },
	{ "*/15 * * * *", NULL, "2026-01-01T00:16:00Z", "2026-01-01T00:30:00Z" },
	{ "5/20 * * * *", NULL, "2026-01-01T00:26:00Z", "2026-01-01T00:45:00Z" },
	{ "0,30 8-10 * * *", NULL, "2026-01-01T10:30:00Z", "2026-01-02T08:00:00Z" },
	{ "0 0 29 2 *", NULL, "2026-01-01T00:00:00Z", "2028-02-29T00:00:00Z" },
	{ "0 0 31 2 *", NULL, "2026-01-01T00:00:00Z", NULL },
	{ "@hourly", NULL, "2026-01-01T10:17:30Z", "2026-01-01T11:00:00Z" },
	{ "@daily", NULL, "2026-01-01T10:17:30Z", "2026-01-02T00:00:00Z" },
	{ "@midnight", NULL, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z" },
	{ "@weekly", NULL, "2026-01-01T00:00:00Z", "2026-01-04T00:00:00Z" },
	{ "@monthly", NULL, "2026-01-15T00:00:00Z", "2026-02-01T00:00:00Z" },
	{ "@yearly", NULL, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z" },
	{ "@annually", NULL, "2026-06-01T00:00:00Z", "2027-01-01T00:00:00Z" },
	{ "@every 1h30m", NULL, "2026-01-01T00:00:10Z", "2026-01-01T01:30:10Z" },
	/* day of month OR day of week when neither is a star */
	{ "0 12 1 * MON", NULL, "2026-01-01T12:00:00Z", "2026-01-05T12:00:00Z" },
	{ "0 12 * * mon", NULL, "2026-01-01T00:00:00Z", "2026-01-05T12:00:00Z" },
	{ "0 12 15 * *", NULL, "2026-01-01T00:00:00Z", "2026-01-15T12:00:00Z" },
	{ "0 6 * FEB-MAR sun", NULL, "2026-01-01T00:00:00Z", "2026-02-01T06:00:00Z" },
	{ "59 23 31 DEC *", NULL, "2026-01-01T00:00:00Z", "2026-12-31T23:59:00Z" },
	{ "0 0 ? * *", NULL, "2026-03-03T03:00:00Z", "2026-03-04T00:00:00Z" },
	/* Berlin: 02:00 CET does not exist on 2026-03-29, 02:xx happens twice
	 * on 2026-10-25 (robfig runs in both) */
	{ "30 2 * * *", "Europe/Berlin", "2026-03-28T01:30:00Z", "2026-03-30T00:30:00Z" },
	{ "30 2 * * *", "Europe/Berlin", "2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z" },
	{ "30 2 * * *", "Europe/Berlin", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z" },
	{ "30 2 * * *", "Europe/Berlin", "2026-10-25T01:30:00Z", "2026-10-26T01:30:00Z" },
	{ "0 9 * * *", "Europe/Berlin", "2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z" },
	{ "0 0 1 * *", "Europe/Berlin", "2026-06-15T00:00:00Z", "2026-06-30T22:00:00Z" },
	/* New York: 2026-03-08 02:00 EST -> 03:00 EDT, 2026-11-01 02:00 EDT -> 01:00 EST */
	{ "30 2 * * *", "America/New_York", "2026-03-07T08:00:00Z", "2026-03-09T06:30:00Z" },
	{ "30 1 * * *", "America/New_York", "2026-11-01T04:00:00Z", "2026-11-01T05:30:00Z" },
	{ "30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z" },
	{ "0 9 * * 1-5", "America/New_York", "2026-03-06T14:00:00Z", "2026-03-09T13:00:00Z" },
	{ "@daily", "America/New_York", "2026-01-01T12:00:00Z", "2026-01-02T05:00:00Z" },
	{ "0 0 * * *", "UTC", "2026-01-01T12:00:00Z", "2026-01-02T00:00:00Z" },
};

static const struct {
	const char *spec, *msg;
} bad_cases[] = {
	{ "", "empty spec string" },
	{ "x", "expected exactly 5 fields, found 1: [x]" },
	{ "* * * *", "expected exactly 5 fields, found 4: [* * * *]" },
	{ "0 0 0 * * *", "expected exactly 5 fields, found 6: [0 0 0 * * *]" },
	{ "61 * * * *", "end of range (61) above maximum (59): 61" },
	{ "* 24 * * *", "end of range (24) above maximum (23): 24" },
	{ "* * 0 * *", "beginning of range (0) below minimum (1): 0" },
	{ "* * * 13 *", "end of range (13) above maximum (12): 13" },
	{ "* * * * 7", "end of range (7) above maximum (6): 7" },
	{ "a * * * *", "failed to parse int from a: strconv.Atoi: parsing \"a\": invalid syntax" },
	{ "-1 * * * *", "failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax" },
	{ "1-2-3 * * * *", "too many hyphens: 1-2-3" },
	{ "1/2/3 * * * *", "too many slashes: 1/2/3" },
	{ "*/0 * * * *", "step of range should be a positive number: */0" },
	{ "5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1" },
	{ "* * * FOO *", "failed to parse int from FOO: strconv.Atoi: parsing \"FOO\": invalid syntax" },
	{ "@foo", "unrecognized descriptor: @foo" },
	{ "@every x", "failed to parse duration @every x: time: invalid duration \"x\"" },
	{ "TZ=Nowhere/Land * * * * *", "provided bad location Nowhere/Land: unknown time zone Nowhere/Land" },
	{ "1,,2 * * * *", "failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax" },
};

int main(void)
{
	struct cron c;
	struct err e;
	char got[32];

	for (size_t i = 0; i < sizeof(next_cases) / sizeof(next_cases[0]); i++) {
		err_clear(&e);
		if (!ok(cron_parse(next_cases[i].spec, &c, &e) == 0, "parse %s: %s",
			next_cases[i].spec, e.msg))
			continue;
		fmt(cron_next(&c, next_cases[i].tz, at(next_cases[i].after)), got);
		is_str(got, next_cases[i].want ? next_cases[i].want : "none",
		       "next %s (%s) after %s", next_cases[i].spec,
		       next_cases[i].tz ? next_cases[i].tz : "UTC", next_cases[i].after);
	}
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		err_clear(&e);
		ok(cron_parse(bad_cases[i].spec, &c, &e) == -1 && e.code == ERR_INVALID,
		   "reject \"%s\"", bad_cases[i].spec);
		is_str(e.msg, bad_cases[i].msg, "message for \"%s\"", bad_cases[i].spec);
	}
	ok(cron_parse("TZ=Europe/Berlin 0 0 * * *", &c, &e) == 0, "TZ= prefix parses");
	ok(cron_parse("  1  2\t3 4 5 ", &c, &e) == 0 && c.minute == 1u << 1 &&
	   c.hour == 1u << 2 && c.dom == 1u << 3 && c.month == 1u << 4 &&
	   c.dow == 1u << 5, "whitespace-separated fields");
	ok(cron_parse("* * * * *", &c, &e) == 0 && (c.dom & CRON_STAR) &&
	   (c.dow & CRON_STAR), "stars marked");
	ok(cron_parse("*/2 * * * *", &c, &e) == 0 && !(c.minute & CRON_STAR),
	   "a step > 1 is not a star");
	ok(cron_zone_valid("Europe/Berlin") && cron_zone_valid("UTC"), "zones known");
	ok(!cron_zone_valid("Local") && !cron_zone_valid("../etc/passwd") &&
	   !cron_zone_valid("/etc/localtime") && !cron_zone_valid("") &&
	   !cron_zone_valid("Mars/Olympus"), "zones rejected");
	ok(getenv("TZ") == NULL, "TZ restored");
	return tap_done();
}
