/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json: helpers over cJSON for Kubernetes objects.
 *
 * Paths are dot-separated keys ("metadata.name", "spec.template.spec");
 * a segment "[N]" indexes an array ("spec.containers.[0].image" or
 * "spec.containers[0].image"); a backslash escapes a dot inside a key
 * ("metadata.labels.app\\.kubernetes\\.io/name").  Getters borrow; setters
 * take ownership of the value they are given.  Numbers are cJSON doubles:
 * integers are exact up to 2^53.
 */
#ifndef KDECK_COMMON_JSON_H
#define KDECK_COMMON_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "common/err.h"

/*
 * Parse exactly one JSON value from text[0..len) (no NUL needed).
 * Trailing non-space bytes, invalid UTF-8 escapes and nesting deeper than
 * 1000 are errors.  On error returns NULL and sets e (ERR_PARSE) with a
 * message naming the byte offset, line and column.  Caller frees with
 * cJSON_Delete.
 */
cJSON *json_parse(const char *text, size_t len, struct err *e);

/* Compact text; caller frees.  Never NULL. */
char *json_print(const cJSON *v);
/* Compact text with object keys sorted (recursively); caller frees. */
char *json_canonical(const cJSON *v);

/* Borrowed pointer to the value at path, or NULL. */
cJSON *json_get(const cJSON *root, const char *path);
/* String at path, or NULL if missing or not a string. */
const char *json_get_str(const cJSON *root, const char *path);
/* Integer at path into *out; -1 if missing or not an integral number. */
int json_get_int(const cJSON *root, const char *path, int64_t *out);
/* Bool at path; def when missing or not a bool. */
bool json_get_bool(const cJSON *root, const char *path, bool def);

/*
 * Put value at path, creating intermediate objects (not arrays) as
 * needed and replacing what was there.  Takes ownership of value, also on
 * failure (-1 when an intermediate exists but is not an object/array).
 */
int json_set(cJSON *root, const char *path, cJSON *value);
int json_set_str(cJSON *root, const char *path, const char *s);
int json_set_int(cJSON *root, const char *path, int64_t n);
/* Remove the value at path; 0 if removed, -1 if it was not there. */
int json_del(cJSON *root, const char *path);

/* Deep copy; NULL in, NULL out. */
cJSON *json_dup(const cJSON *v);
/* Semantic equality: object key order ignored, numbers by value (1 ulp). */
bool json_equal(const cJSON *a, const cJSON *b);

/* Object member by exact key (case-sensitive); borrowed. */
cJSON *json_obj(const cJSON *obj, const char *key);
/* Get or create the object member key (replacing a non-object). */
cJSON *json_obj_ensure(cJSON *obj, const char *key);

#endif
