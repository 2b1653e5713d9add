/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the CRI log line parser.  Properties: a parsed line's text lies
 * inside the input, and its timestamp formats and parses back to the
 * same instant.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/node/cri_log.h"
#include "common/ktime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct cri_log_line l;
	char ts[CRI_LOG_TS_MAX], line[128];
	struct cri_log_line back;

	if (cri_log_parse(s, size, &l) < 0)
		return 0;
	if (l.text < s || l.text + l.len > s + size)
		abort();
	cri_log_format_ts(l.ts_ns, ts);
	memcpy(line, ts, strlen(ts));
	memcpy(line + strlen(ts), " stdout F x\n", 13);
	if (cri_log_parse(line, strlen(line), &back) < 0 || back.ts_ns != l.ts_ns ||
	    back.len != 1 || back.partial || back.is_stderr)
		abort();
	return 0;
}
