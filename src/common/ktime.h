/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ktime: Kubernetes times and durations.
 *
 * Timestamps are RFC 3339 as Go's time.Parse(time.RFC3339) reads them
 * (fractional seconds and numeric offsets accepted) and as metav1.Time
 * (seconds, UTC, "Z") and metav1.MicroTime (6 fraction digits) print them.
 * Durations are Go time.Duration values (int64 nanoseconds) with
 * time.ParseDuration / Duration.String, and kubectl's AGE column comes from
 * duration.HumanDuration / ShortHumanDuration
 * (k8s.io/apimachinery/pkg/util/duration).  Pure functions, thread-safe.
 */
#ifndef KDECK_COMMON_KTIME_H
#define KDECK_COMMON_KTIME_H

#include <stdint.h>

#include "common/err.h"

/* A point in time: seconds since the Unix epoch (UTC) plus nanoseconds. */
struct ktime {
	int64_t sec;
	int32_t nsec;		/* 0..999999999 */
};

#define KTIME_STR_MAX 40	/* any formatted time or duration, with NUL */

#define KTIME_NS_PER_SEC 1000000000LL

/* The current wall-clock time. */
struct ktime ktime_now(void);

/*
 * Parse an RFC 3339 time ("2026-11-29T10:00:00Z", "...:00.5+01:00").
 * Returns -1 with ERR_PARSE and a Go-like "parsing time ..." message.
 * Years 0000-9999 only, as Go's RFC 3339 parser.
 */
int ktime_parse(const char *s, struct ktime *out, struct err *e);

/* metav1.Time: "2026-11-29T10:00:00Z" (seconds dropped to whole). */
char *ktime_format(const struct ktime *t, char *out);
/* metav1.MicroTime: "2026-11-29T10:00:00.123456Z". */
char *ktime_format_micro(const struct ktime *t, char *out);

/* b - a in nanoseconds, saturated to the int64 range. */
int64_t ktime_sub(const struct ktime *b, const struct ktime *a);

/*
 * time.ParseDuration ("1h2m3.5s", "300ms", "-1.5h", "0").  Returns -1 with
 * ERR_PARSE and Go's message, e.g. `time: missing unit in duration "1"`.
 */
int ktime_parse_duration(const char *s, int64_t *ns, struct err *e);
/* Duration.String(): "1h2m3.5s", "300ms", "0s", "1.5µs". */
char *ktime_format_duration(int64_t ns, char *out);

/* duration.HumanDuration: "5m3s", "2d4h", "45d", "3y200d", "<invalid>". */
char *ktime_human_duration(int64_t ns, char *out);
/* duration.ShortHumanDuration: "5m", "2d", "3y", "<invalid>". */
char *ktime_short_human_duration(int64_t ns, char *out);

#endif
