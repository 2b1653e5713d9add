/* SPDX-License-Identifier: Apache-2.0 */
/*
 * openapi: the OpenAPI v3 documents of the embedded cluster.
 *
 * kubectl (apply, create -f, explain) and helm fetch /openapi/v3 and one
 * document per group-version before writing objects: they look for the
 * PATCH operation of the object's group-version-kind to learn that the
 * server validates fields (the fieldValidation parameter), and read the
 * kind's schema for `kubectl explain`.  The documents are generated from
 * the registry table and a small table of modelled types, built once, and
 * served with an ETag so clients revalidate with If-None-Match (304).
 */
#ifndef KDECK_CLUSTER_OPENAPI_H
#define KDECK_CLUSTER_OPENAPI_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "cluster/http.h"

/* Does this path belong to openapi_handle? */
bool openapi_path(const char *path);

/* Serve /openapi/v3, /openapi/v3/<gv> and (404) /openapi/v2. */
void openapi_handle(const struct api_req *req, struct api_resp *resp);

/*
 * The document for a group-version path ("api/v1", "apis/apps/v1") as
 * compact JSON, or NULL when the cluster serves no such group-version.
 * Borrowed: valid for the life of the process.
 */
const char *openapi_document(const char *gv_path);

/*
 * Duplicate members anywhere in obj: NULL when none, else a new string
 * `duplicate field "data.a", ...` the caller frees.  The earlier members
 * of each duplicate are removed from obj (the last wins, as in Go).
 * openapi_unknown_fields includes these first.  Thread-safe.
 */
char *openapi_duplicate_fields(cJSON *obj);

/* "a, b" of two optional messages (both taken; NULL when both are). */
char *openapi_join_msgs(char *a, char *b);

/*
 * The first value of the wrong JSON type in obj, a built-in kind the
 * protobuf tables describe, worded as the apiserver's JSON decoder words
 * it ("json: cannot unmarshal string into Go struct field
 * DeploymentSpec.spec.replicas of type int32"); malloc'd, or NULL when
 * there is none or the kind is not described.  Thread-safe.
 */
char *openapi_type_error(const char *group, const char *version,
			 const char *kind, const cJSON *obj);

/*
 * Unknown fields of obj, an object (or an object-shaped patch) of kind in
 * group, per the modelled type tables: NULL when there are none or the kind
 * is not modelled (any field accepted), else a new string
 * `unknown field "spec.replica", unknown field "x"` the caller frees.
 * Keys starting with '$' (strategic merge patch directives) and null
 * values (deletions in a patch) are skipped.  With drop, the unknown
 * fields are also removed from obj, as the apiserver's decoder does.
 * Thread-safe (reads constant tables only).
 */
char *openapi_unknown_fields(const char *group, const char *version,
			     const char *kind,
			     cJSON *obj, bool drop);

#endif
