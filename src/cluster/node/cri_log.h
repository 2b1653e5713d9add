/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cri_log: the CRI container log line format (node/layout.h) as kubelet
 * reads it for `kubectl logs`: "TIMESTAMP STREAM TAG TEXT\n" where
 * TIMESTAMP is RFC 3339 with nanoseconds, STREAM is stdout or stderr and
 * TAG is F (full line) or P (partial: the text continues in the next
 * line).  Pure functions, thread-safe; the pods/log handler (api_log.c)
 * and its fuzz target use them.
 */
#ifndef KDECK_CLUSTER_NODE_CRI_LOG_H
#define KDECK_CLUSTER_NODE_CRI_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cri_log_line {
	int64_t ts_ns;		/* unix nanoseconds */
	bool is_stderr;
	bool partial;		/* tag P */
	const char *text;	/* points into the parsed line */
	size_t len;		/* text length, without the line's '\n' */
};

/*
 * Parse one line (len bytes, with or without its trailing '\n').  0 and
 * *out filled (text borrowed from line), or -1 when the line is not in
 * CRI format (kubelet skips such lines).  Printed, a full line is its
 * text and '\n', a partial line its text alone.  The tag may carry
 * further ':'-separated fields, as CRI allows ("F:x").
 */
int cri_log_parse(const char *line, size_t len, struct cri_log_line *out);

/*
 * Go's RFC3339Nano in UTC ("2026-11-29T05:00:00.12345Z": trailing zeros of
 * the fraction dropped, no fraction when zero), as kubelet prefixes lines
 * with timestamps=true.  out needs CRI_LOG_TS_MAX bytes.
 */
#define CRI_LOG_TS_MAX 40
char *cri_log_format_ts(int64_t ts_ns, char *out);

#endif
