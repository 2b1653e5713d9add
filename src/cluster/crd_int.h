/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crd_int: what crd.c (rows, lookups, admission) and crd_ctrl.c (the
 * controller) share.  Private to crd*.c.
 */
#ifndef KDECK_CLUSTER_CRD_INT_H
#define KDECK_CLUSTER_CRD_INT_H

#include "cluster/crd.h"

/* One served version of one CRD: an immutable, immortal registry row. */
struct crd_kind {
	struct reg_kind k;		/* first: rows are cast from reg_kind */
	struct crd_kind *next_all;
	char *key;			/* interning key */
	cJSON *crd;			/* the CRD as published (owned) */
	const cJSON *ver;		/* its spec.versions[i] */
	char *group, *version, *kind, *plural, *singular, *short_names;
	char *categories, *storage, *qkind;
};

/*
 * Publish the live set from crds (an array of CRD objects) where
 * accepted[i] says whether crds[i]'s names were accepted.  Interns rows,
 * swaps the live set, bumps the serial when it changed.
 */
void crd_publish(const cJSON *crds, const bool *accepted);

/* Kubernetes' version priority: <0 when a sorts before b (v1 > v1beta2 >
 * v1beta1 > v1alpha1 > other strings alphabetically). */
int crd_version_cmp(const char *a, const char *b);

/* spec.names with listKind/singular defaulted (new object). */
cJSON *crd_accepted_names(const cJSON *crd);

#endif
