/* SPDX-License-Identifier: Apache-2.0 */
/*
 * yaml_priv: what the YAML reader and writer share and nobody else needs:
 * go-yaml v2's plain-scalar resolution (the reader applies it, the writer
 * uses it to decide when a string must be quoted) and Go's shortest float
 * formatting.  Lives in yaml_scalar.c.
 */
#ifndef KDECK_COMMON_YAML_PRIV_H
#define KDECK_COMMON_YAML_PRIV_H

#include <stdbool.h>

#include "common/buf.h"
#include "common/err.h"

enum kyaml_kind {
	KYAML_STR,
	KYAML_NULL,
	KYAML_BOOL,
	KYAML_INT,
	KYAML_FLOAT,
};

struct kyaml_scalar {
	enum kyaml_kind kind;
	double num; /* KYAML_INT, KYAML_FLOAT */
	bool b;	    /* KYAML_BOOL */
};

/* What an untagged plain scalar s means (go-yaml v2 resolve("", s)). */
void kyaml_resolve_plain(const char *s, struct kyaml_scalar *out);

/*
 * What scalar s with explicit tag means (go-yaml v2 resolve(tag, s)):
 * tag is libyaml's (long "tag:yaml.org,2002:int" or local "!foo").
 * Unknown tags, !!str, !!binary and !!timestamp give a string.  -1 + e
 * when s cannot be read as the tag's type ("cannot decode ...").
 */
int kyaml_resolve_tagged(const char *tag, const char *s,
			 struct kyaml_scalar *out, struct err *e);

/* Does s look like a YAML 1.1 base-60 float ("1:20")?  Such strings are
 * quoted on output although v2 reads them back as strings. */
bool kyaml_is_base60(const char *s);

/*
 * Would go-yaml v2 take s for a timestamp (2001-12-14, 2001-12-14 21:59:43,
 * 2001-12-14T21:59:43.10Z, ...)?  Read back as strings, but go-yaml's
 * encoder quotes them: kubectl prints creationTimestamp: "2024-...Z".
 */
bool kyaml_is_timestamp(const char *s);

/*
 * Append Go's strconv.FormatFloat(v, 'g', -1, bits) (bits 32 or 64), with
 * YAML's spelling of the specials: .inf, -.inf, .nan.
 */
void kyaml_format_float(struct buf *b, double v, int bits);

/* s (up to its NUL) with invalid UTF-8 replaced by U+FFFD, as Go's JSON
 * encoder does; caller frees. */
char *kyaml_valid_utf8(const char *s);

/* Is s[0..len) valid UTF-8 without NUL bytes? */
bool kyaml_utf8_ok(const char *s, size_t len);

#endif
