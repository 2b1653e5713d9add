/* SPDX-License-Identifier: Apache-2.0 */
/*
 * table: server-side printing (meta.k8s.io/v1 Table).  One column table
 * per kind, with the columns and cell logic kubectl shows against a real
 * v1.33 cluster (kubernetes/pkg/printers/internalversion); kinds without
 * one get NAME and AGE.  Cells are appended as JSON values.
 *
 * Threads: pure functions; safe from any thread.
 */
#ifndef KDECK_CLUSTER_TABLE_H
#define KDECK_CLUSTER_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "common/buf.h"

struct table_col {
	const char *name;
	const char *type;	/* string, integer, date */
	const char *format;	/* "name" for the first column, else "" */
	int priority;		/* >0: only with -o wide */
	void (*cell)(const cJSON *obj, time_t now, struct buf *out);
	const char *desc;
};

/* Columns for kind (never NULL: NAME/AGE for kinds without a table). */
const struct table_col *table_columns(const char *kind, size_t *n);

/* Append the columnDefinitions JSON array for kind. */
void table_column_defs(const char *kind, struct buf *out);
/* Append the cells JSON array of obj. */
void table_cells(const char *kind, const cJSON *obj, time_t now,
		 struct buf *out);

/*
 * Cells of obj as a template valid at any time: each duration in them
 * (ages, "(5m ago)") is the six bytes \u0001 and the time it is measured
 * from goes to ts[], in order.  Returns the number of durations, or -1
 * when the cells cannot be a template (a duration between two stored
 * times, more than max durations).  table_template_fill renders it at
 * now.  Built-in kinds only.
 */
int table_cells_template(const char *kind, const cJSON *obj,
			 struct buf *out, int64_t *ts, size_t max);
void table_template_fill(struct buf *out, const char *tmpl, size_t len,
			 const int64_t *ts, size_t nts, time_t now);

/* kubectl's HumanDuration ("5m", "2d3h", "<invalid>"). */
void table_duration(long long secs, char *buf, size_t n);
/* Age of an RFC 3339 timestamp at now ("<unknown>" when absent). */
void table_age(const char *ts, time_t now, char *buf, size_t n);
/* kubectl's pod STATUS column (Running, Init:0/1, CrashLoopBackOff...). */
const char *table_pod_status(const cJSON *pod, char *buf, size_t n);
/* READY column of a pod ("1/2"). */
void table_pod_ready(const cJSON *pod, char *buf, size_t n);

#endif
