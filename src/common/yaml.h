/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kyaml: YAML <-> JSON with Kubernetes semantics, over libyaml.
 *
 * Reading follows sigs.k8s.io/yaml (which is what kubectl and the API
 * server use): YAML 1.1 scalar resolution for plain scalars (yes/no/on/off
 * and true/false in any of their YAML 1.1 spellings are booleans, ~ and
 * null are null, ints in decimal/0x/0o forms, floats incl. .inf/.nan),
 * quoted scalars are always strings, anchors and aliases are expanded,
 * merge keys (<<) are honoured, duplicate mapping keys are an error,
 * non-string keys are converted to their string form.  Errors carry the
 * line and column ("yaml: line 3, column 5: ...", ERR_PARSE).
 *
 * Writing produces the YAML kubectl prints for `-o yaml` (go-yaml v2's
 * output, laid out by libyaml's emitter): keys sorted as go-yaml sorts map
 * keys (alphabetical, digit runs by value), two-space indentation,
 * sequences not indented under their key ("- name: x" at the key's
 * column), strings double-quoted when a plain scalar would read back as
 * something else ("1", "true", "", "on"), single-quoted by libyaml when
 * they cannot be plain ('*', 'a: b'), multi-line strings as literal blocks
 * ("|" / "|-"), integral numbers without ".0", {} and [] for empty
 * containers.  Emitting then parsing gives an equal value (json_equal).
 *
 * Numbers are cJSON doubles: .inf/-.inf/.nan read as non-finite doubles
 * (json_print shows them as null) and are written back as .inf/.nan.
 * Limits: nesting deeper than 1000 and alias expansion beyond 1e6 nodes
 * or 10 MiB of scalars are ERR_PARSE errors.
 */
#ifndef KDECK_COMMON_YAML_H
#define KDECK_COMMON_YAML_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "common/err.h"
#include "common/vec.h"

/*
 * Parse a single-document YAML (or JSON) text.  An empty document gives a
 * cJSON null.  More than one document is an error.  Caller frees.
 */
cJSON *kyaml_parse(const char *text, size_t len, struct err *e);

/*
 * Parse a multi-document stream ("---" separated), appending one cJSON per
 * non-empty document to docs (caller frees each with cJSON_Delete).  On
 * error returns -1; documents already appended stay in docs.
 */
int kyaml_parse_stream(const char *text, size_t len, struct vec *docs,
		       struct err *e);

/* YAML text for v in kubectl's style, ending in a newline; caller frees. */
char *kyaml_emit(const cJSON *v);

#endif
