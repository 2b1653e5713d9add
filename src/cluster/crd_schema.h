/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crd_schema: a CustomResourceDefinition's structural schema
 * (openAPIV3Schema) applied to custom resources the way kube-apiserver's
 * apiextensions does: pruning of unknown fields, defaulting, then
 * validation with kube-openapi's messages as field causes.
 *
 * Pure functions over cJSON (no state); safe from any thread.  At the
 * root, apiVersion, kind and metadata are never pruned nor validated
 * against the schema (the REST layer owns them).
 *
 * Differences from Kubernetes, on purpose or not yet done: `pattern` is
 * a POSIX extended regular expression (regcomp REG_EXTENDED), not Go's
 * RE2 (\d, \w, non-greedy and look-around are not understood; a pattern
 * that does not compile is ignored); `format` is checked for
 * int-or-string, date-time, uuid, ipv4 and ipv6 only; allOf, anyOf, oneOf
 * and not are ignored, as are x-kubernetes-validations (CEL) rules.
 */
#ifndef KDECK_CLUSTER_CRD_SCHEMA_H
#define KDECK_CLUSTER_CRD_SCHEMA_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "common/err.h"

/*
 * Unknown fields of obj (those no `properties`/`additionalProperties`
 * allow and not under x-kubernetes-preserve-unknown-fields).  Returns NULL
 * when there are none, else a new string `unknown field "spec.x",
 * unknown field "y"` (caller frees).  With remove, drops them from obj.
 */
char *crd_schema_prune(const cJSON *schema, cJSON *obj, bool remove);

/* Apply `default` values to absent fields (recursively, in place). */
void crd_schema_default(const cJSON *schema, cJSON *obj);

/*
 * Validate obj; appends one err_cause per violation to e (which is not
 * cleared).  Returns the number of violations found (may exceed the
 * causes e can hold).
 */
int crd_schema_validate(const cJSON *schema, const cJSON *obj,
			struct err *e);

/*
 * Is schema structural enough to use: an object with type "object" at
 * the root.  Else fills e with the reason (ERR_INVALID message body).
 */
int crd_schema_check(const cJSON *schema, struct err *e);

#endif
