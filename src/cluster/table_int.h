/* SPDX-License-Identifier: Apache-2.0 */
/*
 * table_int: what the column files share (table.c holds the workload and
 * core kinds, table_more.c storage, networking, policy, certificates and
 * the wide columns of nodes, events and bindings).  Private to them.
 */
#ifndef KDECK_CLUSTER_TABLE_INT_H
#define KDECK_CLUSTER_TABLE_INT_H

#include "cluster/table.h"

/* A JSON string cell, "<none>" for NULL or "". */
void table_cell_str(struct buf *b, const char *s);
void table_cell_name(const cJSON *o, time_t now, struct buf *b);
void table_cell_age(const cJSON *o, time_t now, struct buf *b);
/* "k=v,k2=v2" of a string map, appended to s. */
void table_map_string(const cJSON *m, struct buf *s);

/* The columns of table_more.c's kinds, or NULL (n untouched). */
const struct table_col *table_columns_more(const char *kind, size_t *n);

/* Wide cells table.c's column tables use. */
void table_c_node_internal_ip(const cJSON *o, time_t now, struct buf *b);
void table_c_node_external_ip(const cJSON *o, time_t now, struct buf *b);
void table_c_node_os(const cJSON *o, time_t now, struct buf *b);
void table_c_node_kernel(const cJSON *o, time_t now, struct buf *b);
void table_c_node_runtime(const cJSON *o, time_t now, struct buf *b);
void table_c_ev_subobject(const cJSON *o, time_t now, struct buf *b);
void table_c_ev_source(const cJSON *o, time_t now, struct buf *b);
void table_c_ev_first_seen(const cJSON *o, time_t now, struct buf *b);
void table_c_ev_count(const cJSON *o, time_t now, struct buf *b);
void table_c_rb_users(const cJSON *o, time_t now, struct buf *b);
void table_c_rb_groups(const cJSON *o, time_t now, struct buf *b);
void table_c_rb_sas(const cJSON *o, time_t now, struct buf *b);

#endif
