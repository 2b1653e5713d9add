/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crd: CustomResourceDefinitions served for real.
 *
 * The dynamic part of the registry: every served version of every
 * accepted CRD is a struct reg_kind row flagged REG_CUSTOM (registry.c
 * falls back to crd_find after its static table, so built-ins pay
 * nothing).  Rows are immutable and immortal: a CRD change interns new
 * rows (keyed by uid, generation, version and state) and swaps the live
 * set under a read-write lock, so a row pointer a request or a watch
 * holds stays valid forever; unchanged CRDs keep their rows.
 *
 * A controller thread (crd_start) watches CRDs in the store, rebuilds the
 * live set, writes their status (acceptedNames, storedVersions,
 * conditions NamesAccepted / Established, or NamesAccepted False on a
 * name conflict) and, for a CRD being deleted, removes all its custom
 * resources, sets Terminating and drops the
 * customresourcecleanup.apiextensions.k8s.io finalizer.
 *
 * Threads: the lookups and per-row accessors are safe from any thread.
 */
#ifndef KDECK_CLUSTER_CRD_H
#define KDECK_CLUSTER_CRD_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cluster/registry.h"
#include "common/buf.h"
#include "common/err.h"

struct api;
struct store;
struct crd;

#define CRD_FINALIZER "customresourcecleanup.apiextensions.k8s.io"

/* Start the controller (one synchronous sync first).  Stop before api_free. */
int crd_start(struct api *api, struct store *st, struct crd **out,
	      struct err *e);
void crd_stop(struct crd *c);	/* NULL is fine */

/* Live rows (REG_CUSTOM), like reg_find / reg_find_kind. */
const struct reg_kind *crd_find(const char *group, const char *version,
				const char *plural);
const struct reg_kind *crd_find_kind(const char *group, const char *kind);
/* Live rows into out (at most max); returns the count. */
size_t crd_kinds(const struct reg_kind **out, size_t max);
/* Served versions of a CRD group, preferred first (immortal strings). */
size_t crd_group_versions(const char *group, const char **out, size_t max);
/* CRD groups not among the built-in ones, sorted; immortal strings. */
size_t crd_groups(const char **out, size_t max);
/* Bumped whenever the live set changes (OpenAPI ETags). */
uint64_t crd_serial(void);

/* Row accessors (k must be REG_CUSTOM). */
const char *crd_categories(const struct reg_kind *k);	/* "a,b" or NULL */
const cJSON *crd_schema(const struct reg_kind *k);	/* openAPIV3Schema or NULL */
const char *crd_storage_version(const struct reg_kind *k);
/* Set obj's apiVersion to the storage version's (before a store write;
 * api_set_type restores the request's). */
void crd_to_storage(const struct reg_kind *k, cJSON *obj);
/* Is the row's CRD being deleted? */
bool crd_terminating(const struct reg_kind *k);
/* "Kind.group", as Invalid messages name custom kinds. */
const char *crd_qualified_kind(const struct reg_kind *k, char *buf, size_t n);

/* Admission of custom resources (called by admit.c). */
void crd_default(const struct reg_kind *k, cJSON *obj);
/* Schema validation; on update (old not NULL) violations at fields whose
 * value did not change are dropped (validation ratcheting). */
void crd_validate(const struct reg_kind *k, const cJSON *obj, const cJSON *old,
		  struct err *e);
/* Unknown fields of obj (see crd_schema_prune); caller frees. */
char *crd_unknown_fields(const struct reg_kind *k, cJSON *obj, bool remove);

/* Admission of CustomResourceDefinitions themselves. */
/* old: the stored CRD on update (NULL on create: adds the finalizer); the
 * api-approved annotation is checked only when its state changes. */
void crd_admit_crd(cJSON *obj, const cJSON *old, struct err *e);

/* Scale subresource with the CRD's specReplicasPath etc. */
cJSON *crd_scale_of(const struct reg_kind *k, const cJSON *obj);
cJSON *crd_scale_apply(const struct reg_kind *k, const cJSON *obj,
		       const cJSON *scale);

/* Table columns (crd_table.c): definitions and one row's cells. */
void crd_table_defs(const struct reg_kind *k, struct buf *out);
void crd_table_cells(const struct reg_kind *k, const cJSON *obj, time_t now,
		     struct buf *out);
/* First match of a printer-column JSONPath in obj (borrowed), or NULL. */
const cJSON *crd_jsonpath(const cJSON *obj, const char *path);
/* additionalPrinterColumns of a row (or NULL). */
const cJSON *crd_columns(const struct reg_kind *k);

/* OpenAPI v3 document for apis/GROUP/VERSION of CRDs; NULL if none. */
char *crd_openapi_doc(const char *group, const char *version);

#endif
