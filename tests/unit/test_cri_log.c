/* SPDX-License-Identifier: Apache-2.0 */
/* test_cri_log: CRI log line parsing and RFC3339Nano timestamps. */
#include "config.h"

#include <string.h>

#include "cluster/node/cri_log.h"
#include "../tap.h"

static const struct {
	const char *in;
	int rc;
	long long ts;
	int is_stderr, partial;
	const char *text;
} lines[] = {
	{ "2026-11-29T05:00:00.123456789Z stdout F hello\n", 0,
	  1795928400123456789LL, 0, 0, "hello" },
	{ "2026-11-29T05:00:00Z stderr P part", 0, 1795928400000000000LL, 1, 1, "part" },
	{ "2026-11-29T06:00:00.5+01:00 stdout F:x tagged\n", 0,
	  1795928400500000000LL, 0, 0, "tagged" },
	{ "2026-11-29T05:00:00Z stdout F \n", 0, 1795928400000000000LL, 0, 0, "" },
	{ "2026-11-29T05:00:00Z stdout F  two  spaces \n", 0,
	  1795928400000000000LL, 0, 0, " two  spaces " },
	{ "2026-11-29T05:00:00Z stdout F\n", -1, 0, 0, 0, NULL },
	{ "2026-11-29T05:00:00Z stdin F x\n", -1, 0, 0, 0, NULL },
	{ "2026-11-29T05:00:00Z stdout X x\n", -1, 0, 0, 0, NULL },
	{ "2026-11-29T05:00:00Z stdout FF x\n", -1, 0, 0, 0, NULL },
	{ "yesterday stdout F x\n", -1, 0, 0, 0, NULL },
	{ "9999-11-29T05:00:00Z stdout F x\n", -1, 0, 0, 0, NULL },
	{ "", -1, 0, 0, 0, NULL },
	{ "plain text\n", -1, 0, 0, 0, NULL },
};

static const struct {
	long long ns;
	const char *out;
} stamps[] = {
	{ 1795928400123456789LL, "2026-11-29T05:00:00.123456789Z" },
	{ 1795928400100000000LL, "2026-11-29T05:00:00.1Z" },
	{ 1795928400000000000LL, "2026-11-29T05:00:00Z" },
	{ 1795928400000001000LL, "2026-11-29T05:00:00.000001Z" },
	{ -1, "1969-12-31T23:59:59.999999999Z" },
};

int main(void)
{
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct cri_log_line l;
		int rc = cri_log_parse(lines[i].in, strlen(lines[i].in), &l);
		char text[128] = "";

		is_int(rc, lines[i].rc, "parse rc of %zu", i);
		if (rc < 0 || lines[i].rc < 0)
			continue;
		memcpy(text, l.text, l.len);
		is_int(l.ts_ns, lines[i].ts, "timestamp of %zu", i);
		is_int(l.is_stderr, lines[i].is_stderr, "stream of %zu", i);
		is_int(l.partial, lines[i].partial, "tag of %zu", i);
		is_str(text, lines[i].text, "text of %zu", i);
	}
	for (size_t i = 0; i < sizeof(stamps) / sizeof(stamps[0]); i++) {
		char buf[CRI_LOG_TS_MAX];

		is_str(cri_log_format_ts(stamps[i].ns, buf), stamps[i].out,
		       "format %lld", stamps[i].ns);
	}
	return tap_done();
}
