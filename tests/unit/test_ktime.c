/* SPDX-License-Identifier: Apache-2.0 */
/* test_ktime: RFC 3339, Go durations, kubectl human durations. */
#include "config.h"

#include "common/ktime.h"
#include "../tap.h"

#define S KTIME_NS_PER_SEC
#define M (60 * S)
#define H (60 * M)
#define D (24 * H)

static const struct {
	const char *in;
	long long sec;
	int nsec;
	const char *out, *micro;
} times[] = {
	{ "2026-11-29T10:00:00Z", 1795946400LL, 0, "2026-11-29T10:00:00Z",
	  "2026-11-29T10:00:00.000000Z" },
	{ "2026-11-29T10:00:00.5+01:00", 1795942800LL, 500000000,
	  "2026-11-29T09:00:00Z", "2026-11-29T09:00:00.500000Z" },
	{ "2026-11-29T10:00:00.123456789123-00:30", 1795948200LL, 123456789,
	  "2026-11-29T10:30:00Z", "2026-11-29T10:30:00.123456Z" },
	{ "1970-01-01T00:00:00Z", 0, 0, "1970-01-01T00:00:00Z",
	  "1970-01-01T00:00:00.000000Z" },
	{ "1969-12-31T23:59:59Z", -1, 0, "1969-12-31T23:59:59Z",
	  "1969-12-31T23:59:59.000000Z" },
	{ "2000-02-29T23:59:59Z", 951868799LL, 0, "2000-02-29T23:59:59Z",
	  "2000-02-29T23:59:59.000000Z" },
};

static const char *const bad_times[] = {
	"", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
	"2026-11-29 10:00:00Z", "2026-11-29T10:00:00", "2026-11-29T24:00:00Z",
	"2026-11-29T10:00:00+1:00", "2026-11-29T10:00:00Zjunk",
	"26-11-29T10:00:00Z", "2026-11-29T10:00:00.Z",
};

static void test_times(void)
{
	char out[KTIME_STR_MAX];
	struct ktime t, a, b;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		if (!ok(ktime_parse(times[i].in, &t, &e) == 0, "parse %s",
			times[i].in)) {
			diag(e.msg);
			continue;
		}
		is_int(t.sec, times[i].sec, "%s sec", times[i].in);
		is_int(t.nsec, times[i].nsec, "%s nsec", times[i].in);
		is_str(ktime_format(&t, out), times[i].out, "%s format",
		       times[i].in);
		is_str(ktime_format_micro(&t, out), times[i].micro, "%s micro",
		       times[i].in);
	}
	for (i = 0; i < sizeof(bad_times) / sizeof(bad_times[0]); i++) {
		is_int(ktime_parse(bad_times[i], &t, &e), -1, "'%s' fails",
		       bad_times[i]);
		is_int(e.code, ERR_PARSE, "'%s' code", bad_times[i]);
	}
	ktime_parse("2026-11-29 10:00:00Z", &t, &e);
	is_str(e.msg, "parsing time \"2026-11-29 10:00:00Z\" as "
	       "\"2006-01-02T15:04:05Z07:00\": cannot parse \" 10:00:00Z\" as "
	       "\"T\"", "parse message");
	ktime_parse("2026-13-01T00:00:00Z", &t, &e);
	is_str(e.msg, "parsing time \"2026-13-01T00:00:00Z\": month out of "
	       "range", "month range message");
	ktime_parse("2026-02-29T00:00:00Z", &t, &e);
	is_str(e.msg, "parsing time \"2026-02-29T00:00:00Z\": day out of "
	       "range", "day range message");
	ktime_parse("2026-11-29T10:00:00Zjunk", &t, &e);
	is_str(e.msg, "parsing time \"2026-11-29T10:00:00Zjunk\": extra "
	       "text: \"junk\"", "extra text message");
	ktime_parse("2026-11-29T10:00:00.Z", &t, &e);
	is_str(e.msg, "parsing time \"2026-11-29T10:00:00.Z\" as "
	       "\"2006-01-02T15:04:05Z07:00\": cannot parse \".Z\" as "
	       "\"Z07:00\"", "bare dot message");
	ok(ktime_parse("2026-11-29T9:05:00Z", &t, &e) == 0 &&
	   t.sec == 1795942800LL + 300, "one-digit hour as Go's parser");
	ktime_parse("2026-11-29T10:00:00Z", &a, &e);
	ktime_parse("2026-11-29T10:00:01.5Z", &b, &e);
	is_int(ktime_sub(&b, &a), 1500000000LL, "sub");
	t = ktime_now();
	ok(t.sec > 1700000000LL, "now");
}

static const struct {
	const char *in;
	long long ns;
	const char *out;
} durs[] = {
	{ "1h2m3.5s", H + 2 * M + 3 * S + S / 2, "1h2m3.5s" },
	{ "300ms", 300000000LL, "300ms" },
	{ "0", 0, "0s" },
	{ "-0", 0, "0s" },
	{ "+5s", 5 * S, "5s" },
	{ "-1.5h", -(H + 30 * M), "-1h30m0s" },
	{ "1.5\xc2\xb5s", 1500, "1.5\xc2\xb5s" },
	{ "1us", 1000, "1\xc2\xb5s" },
	{ "2\xce\xbcs", 2000, "2\xc2\xb5s" },
	{ "100ns", 100, "100ns" },
	{ ".5s", 500000000LL, "500ms" },
	{ "5.s", 5 * S, "5s" },
	{ "2h45m", 2 * H + 45 * M, "2h45m0s" },
	{ "1h1h", 2 * H, "2h0m0s" },
	{ "1.000000001s", S + 1, "1.000000001s" },
	{ "2562047h47m16.854775807s", INT64_MAX, "2562047h47m16.854775807s" },
	{ "-2562047h47m16.854775808s", INT64_MIN, "-2562047h47m16.854775808s" },
	{ "1.0000000000000000000001h", H, "1h0m0s" },
};

static const struct {
	const char *in, *msg;
} bad_durs[] = {
	{ "", "time: invalid duration \"\"" },
	{ "1", "time: missing unit in duration \"1\"" },
	{ "1x", "time: unknown unit \"x\" in duration \"1x\"" },
	{ ".", "time: invalid duration \".\"" },
	{ ".s", "time: invalid duration \".s\"" },
	{ "-", "time: invalid duration \"-\"" },
	{ "s", "time: invalid duration \"s\"" },
	{ "9999999999h", "time: invalid duration \"9999999999h\"" },
	{ "2562047h47m16.854775808s",
	  "time: invalid duration \"2562047h47m16.854775808s\"" },
	{ "1h 2m", "time: unknown unit \"h \" in duration \"1h 2m\"" },
};

static void test_durations(void)
{
	char out[KTIME_STR_MAX];
	struct err e;
	int64_t ns;
	size_t i;

	for (i = 0; i < sizeof(durs) / sizeof(durs[0]); i++) {
		if (!ok(ktime_parse_duration(durs[i].in, &ns, &e) == 0,
			"duration %s", durs[i].in)) {
			diag(e.msg);
			continue;
		}
		is_int(ns, durs[i].ns, "%s ns", durs[i].in);
		is_str(ktime_format_duration(ns, out), durs[i].out, "%s string",
		       durs[i].in);
	}
	for (i = 0; i < sizeof(bad_durs) / sizeof(bad_durs[0]); i++) {
		is_int(ktime_parse_duration(bad_durs[i].in, &ns, &e), -1,
		       "'%s' fails", bad_durs[i].in);
		is_str(e.msg, bad_durs[i].msg, "'%s' message", bad_durs[i].in);
	}
}

static const struct {
	long long ns;
	const char *human, *short_;
} ages[] = {
	{ 0, "0s", "0s" },
	{ -S, "0s", "0s" },
	{ -S - S / 2, "0s", "0s" },
	{ -2 * S, "<invalid>", "<invalid>" },
	{ 59 * S, "59s", "59s" },
	{ 119 * S, "119s", "1m" },
	{ 5 * M + 3 * S, "5m3s", "5m" },
	{ 5 * M, "5m", "5m" },
	{ 150 * M, "150m", "2h" },
	{ 3 * H + 20 * M, "3h20m", "3h" },
	{ 7 * H, "7h", "7h" },
	{ 10 * H, "10h", "10h" },
	{ 47 * H, "47h", "1d" },
	{ 52 * H, "2d4h", "2d" },
	{ 48 * H, "2d", "2d" },
	{ 45 * D, "45d", "45d" },
	{ 729 * D, "729d", "1y" },
	{ 3 * 365 * D + 200 * D, "3y200d", "3y" },
	{ 2 * 365 * D, "2y", "2y" },
	{ 10 * 365 * D, "10y", "10y" },
};

static void test_human(void)
{
	char out[KTIME_STR_MAX];
	size_t i;

	for (i = 0; i < sizeof(ages) / sizeof(ages[0]); i++) {
		is_str(ktime_human_duration(ages[i].ns, out), ages[i].human,
		       "human %lld", ages[i].ns);
		is_str(ktime_short_human_duration(ages[i].ns, out),
		       ages[i].short_, "short %lld", ages[i].ns);
	}
}

int main(void)
{
	test_times();
	test_durations();
	test_human();
	return tap_done();
}
