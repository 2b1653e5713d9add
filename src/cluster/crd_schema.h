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
 * Differences from Kubernetes: `pattern` is Go RE2 syntax translated to a
 * POSIX extended regular expression (\d \w \s, non-greedy, (?:), a
 * leading (?i)); a pattern using what does not translate (\b, \pL,
 * look-around, inline flags elsewhere) is not checked.  Of the failures
 * of an anyOf/oneOf, those of the branch with the fewest errors are
 * reported (kube-openapi picks by its match count).  x-kubernetes-validations
 * (CEL) rules are not evaluated.
 */
#ifndef KDECK_CLUSTER_CRD_SCHEMA_H
#define KDECK_CLUSTER_CRD_SCHEMA_H

#include <regex.h>
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
 * Translate a Go (RE2) pattern to POSIX ERE.  Returns a new string (caller
 * frees) and sets *icase for a leading (?i); NULL when the pattern uses
 * syntax that has no translation.
 */
char *crd_schema_regex_translate(const char *go, bool *icase);

/* regcomp() of a Go pattern (REG_EXTENDED|REG_NOSUB); 0 or -1. */
int crd_schema_regcomp(regex_t *re, const char *go);

#endif
