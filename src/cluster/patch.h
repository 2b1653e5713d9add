/* SPDX-License-Identifier: Apache-2.0 */
/*
 * patch: the three client patch formats the API server accepts.
 *
 *   application/json-patch+json            RFC 6902 (patch_json)
 *   application/merge-patch+json           RFC 7386 (patch_merge)
 *   application/strategic-merge-patch+json Kubernetes SMP (patch_strategic)
 *
 * Every function works on a copy: the original document is never touched
 * and either the whole patch applies or nothing does.  Errors follow the
 * API server: a malformed patch document is ERR_BAD_REQUEST, a well-formed
 * JSON patch that cannot be applied (failed test, missing path) is
 * ERR_INVALID (HTTP 422), as kube-apiserver answers.
 *
 * Strategic merge patch needs to know, for each list, whether it is merged
 * by a key or replaced: patch_merge_key() answers that from a table of the
 * patch metadata Kubernetes declares on its built-in types (patchStrategy
 * and patchMergeKey struct tags), looked up by the list's field name and
 * its parent field name.
 */
#ifndef KDECK_CLUSTER_PATCH_H
#define KDECK_CLUSTER_PATCH_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "common/err.h"

/* Apply an RFC 6902 operation array to doc; returns a new document. */
cJSON *patch_json(const cJSON *doc, const cJSON *ops, struct err *e);

/* Apply an RFC 7386 merge patch to doc; returns a new document. */
cJSON *patch_merge(const cJSON *doc, const cJSON *patch, struct err *e);

/* Apply a Kubernetes strategic merge patch; returns a new document. */
cJSON *patch_strategic(const cJSON *doc, const cJSON *patch, struct err *e);

enum patch_list_strategy {
	PATCH_LIST_REPLACE,	/* atomic: the patch's list replaces the old */
	PATCH_LIST_MERGE_KEY,	/* elements are maps merged by merge_key */
	PATCH_LIST_MERGE_SET,	/* primitives merged as a set (finalizers) */
};

/*
 * The strategy for the list field `field` inside the object held by field
 * `parent` ("" at the top).  *merge_key is set for PATCH_LIST_MERGE_KEY.
 */
enum patch_list_strategy patch_list_strategy(const char *parent,
					     const char *field,
					     const char **merge_key);

/*
 * Is field `field` (inside the object held by `parent`) a value
 * structured-merge-diff treats as one (a struct or map with
 * x-kubernetes-map-type atomic, or, for a keyed list, its elements)?
 * Server-side apply owns and replaces it whole; patches ignore this.
 */
bool patch_atomic(const char *parent, const char *field);

#endif
