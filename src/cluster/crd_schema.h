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
 * Validation covers types, enum, string/number/array/object limits,
 * kube-openapi's string formats (crd_schema_fmt.c), allOf/anyOf/oneOf/not
 * (kube-openapi's composite messages, with an empty field as
 * apiextensions reports them) and x-kubernetes-list-type set/map
 * uniqueness (`Duplicate value: ...`).
 *
 * `pattern` is Go RE2 syntax, checked as Go's parser does and matched
 * with PCRE2 (crd_schema_re.c).  Differences from Kubernetes: of the failures
 * of an anyOf/oneOf, those of the branch with the fewest errors are
 * reported (kube-openapi picks by its match count).  x-kubernetes-validations
 * (CEL) rules are not evaluated.
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

/*
 * Does s satisfy the string format (kube-openapi's registry: date,
 * date-time, duration, byte, email, hostname, ipv4, ipv6, cidr, mac,
 * uuid/uuid3/uuid4/uuid5, uri, isbn, ssn, hexcolor, ...)?  Unknown
 * formats answer true.
 */
bool crd_schema_format_ok(const char *format, const char *s);

/*
 * Is pattern a valid Go (RE2) regular expression?  0, or -1 with *why set
 * to Go's error text ("error parsing regexp: missing argument to
 * repetition operator: `+`"; caller frees).  Cached; thread-safe.
 */
int crd_schema_re_check(const char *pattern, char **why);

/*
 * Does s match pattern (unanchored, like Go's MatchString)?  1 or 0; -1
 * when the pattern is invalid or PCRE2's match limit was hit.  Thread-safe.
 */
int crd_schema_re_match(const char *pattern, const char *s);

/*
 * One FieldValueInvalid cause in e per `pattern` of schema (recursively)
 * that does not compile, as apiextensions words it: field
 * "<path>.properties[x].pattern", message `Invalid value: "(?=a)": must be
 * a valid regular expression, but isn't: error parsing regexp: ...`.
 */
void crd_schema_check_patterns(const cJSON *schema, const char *path,
			       struct err *e);

#endif
