/* SPDX-License-Identifier: Apache-2.0 */
/*
 * svcrules: the nftables text that gives Services their virtual IPs and
 * NodePorts (see svcrules.c for the table's shape).  Pure functions: the
 * caller runs the script with nft_run (net_priv.h) or podnet_svc_apply.
 */
#ifndef KDECK_CLUSTER_NET_SVCRULES_H
#define KDECK_CLUSTER_NET_SVCRULES_H

#include "cluster/net/svcmodel.h"
#include "common/buf.h"
#include "common/mem.h"

/* "kdeck_svc" for the bridge kdeck0 (or none), "kdeck_svc_BR" else. */
void svcrules_table_name(const char *bridge, char out[48]);
/*
 * Append a script that atomically replaces table `table` with the rules
 * for m (NULL: a table with no Services).  pod_cidr ("10.244.0.0/24") is
 * this cluster's: only its pods (and the host) get its virtual IPs.
 */
void svcrules_script(struct buf *b, const char *table, const char *pod_cidr,
		     const struct svc_model *m);
/* Append a script that removes table `table` (missing is fine). */
void svcrules_delete_script(struct buf *b, const char *table);

#endif
