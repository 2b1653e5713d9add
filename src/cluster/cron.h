/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cron: CronJob schedules, as kube-controller-manager reads them (the
 * standard parser of robfig/cron v3): five fields minute hour
 * day-of-month month day-of-week with lists, ranges, steps, `*`/`?` and
 * names (JAN..DEC, SUN..SAT), the descriptors @yearly @annually @monthly
 * @weekly @daily @midnight @hourly and "@every <duration>", and the
 * same error messages (CronJob validation prints them verbatim).
 *
 * Next times are computed in an IANA time zone by the same stepping
 * algorithm (so DST gaps skip a run and repeated hours run twice, as on
 * a real cluster).  Time zones come from the C library's TZ database:
 * cron_next switches TZ under a process-wide mutex for the duration of
 * the computation; nothing else in the cluster daemon uses local time.
 */
#ifndef KDECK_CLUSTER_CRON_H
#define KDECK_CLUSTER_CRON_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "common/err.h"

#define CRON_STAR (UINT64_C(1) << 63)

struct cron {
	uint64_t minute, hour, dom, month, dow;	/* bit v = value v */
	int64_t every;		/* seconds for "@every", else 0 */
};

/* Parse spec into *out.  -1 with ERR_INVALID and robfig's message. */
int cron_parse(const char *spec, struct cron *out, struct err *e);

/*
 * The first activation strictly after `after` in zone tz (NULL or ""
 * means UTC), or 0 when there is none within five years (e.g. Feb 31).
 * Thread-safe.
 */
time_t cron_next(const struct cron *c, const char *tz, time_t after);

/* tz names a zone of the TZ database ("UTC", "Europe/Berlin"). */
bool cron_zone_valid(const char *tz);

#endif
