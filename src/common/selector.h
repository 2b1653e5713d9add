/* SPDX-License-Identifier: Apache-2.0 */
/*
 * selector: Kubernetes label and field selectors.
 *
 * Label selectors follow k8s.io/apimachinery/pkg/labels.Parse exactly:
 * the grammar (a=b, a==b, a!=b, a in (x,y), a notin (x), a, !a, a>1, a<1,
 * comma = AND), key/value validation with validation.IsQualifiedName /
 * IsValidLabelValue wording, error messages, requirements sorted by key
 * (stable), value sets sorted and de-duplicated.  A metav1.LabelSelector
 * JSON object converts as LabelSelectorAsSelector does (null -> matches
 * nothing, {} -> matches everything).  Field selectors follow
 * fields.ParseSelector (=, ==, != with backslash escapes, terms sorted).
 *
 * Selectors are immutable after parsing and may be shared between threads.
 */
#ifndef KDECK_COMMON_SELECTOR_H
#define KDECK_COMMON_SELECTOR_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "common/err.h"

enum selector_op {
	SELECTOR_IN,
	SELECTOR_NOT_IN,
	SELECTOR_EQUALS,		/* = */
	SELECTOR_DOUBLE_EQUALS,		/* == */
	SELECTOR_NOT_EQUALS,
	SELECTOR_EXISTS,
	SELECTOR_DOES_NOT_EXIST,
	SELECTOR_GT,
	SELECTOR_LT
};

/* One requirement: key op values.  values are sorted (strcmp order). */
struct selector_req {
	char *key;
	enum selector_op op;
	char **values;
	size_t nvalues;
};

/*
 * A label selector: the AND of reqs (sorted by key).  nothing is set for a
 * selector that matches no object (a null LabelSelector); an empty
 * requirement list matches everything.
 */
struct label_selector {
	struct selector_req *reqs;
	size_t nreqs;
	bool nothing;
};

/*
 * Parse a label selector string.  Returns 0 with a new selector in *out
 * (free with selector_free), or -1 with ERR_BAD_REQUEST and the message
 * labels.Parse gives, e.g. "unable to parse requirement: found '', expected:
 * identifier".  "" gives the match-everything selector.
 */
int selector_parse(const char *s, struct label_selector **out,
		   struct err *e);

/*
 * Convert a metav1.LabelSelector JSON value (object, or NULL / JSON null
 * for "no selector", which matches nothing).  Errors (ERR_BAD_REQUEST)
 * carry LabelSelectorAsSelector's wording.
 */
int selector_from_json(const cJSON *ls, struct label_selector **out,
		       struct err *e);

void selector_free(struct label_selector *s);

/* Whether a labels object ({"k": "v", ...}; NULL = no labels) matches. */
bool selector_matches(const struct label_selector *s, const cJSON *labels);
bool selector_req_matches(const struct selector_req *r, const cJSON *labels);

/* True for the match-everything selector. */
bool selector_is_everything(const struct label_selector *s);

/*
 * The selector's String() form ("a=b,c in (x,y),!d"); "" for everything.
 * Returns a new string the caller frees.
 */
char *selector_string(const struct label_selector *s);

/*
 * validation.IsQualifiedName / IsValidLabelValue: NULL when valid, else the
 * "; "-joined message list in buf (n bytes), returned.
 */
const char *selector_check_key(const char *key, char *buf, size_t n);
const char *selector_check_value(const char *value, char *buf, size_t n);

/* --- field selectors --- */

struct field_term {
	char *field;		/* metadata.name */
	char *value;		/* unescaped */
	bool negate;		/* != */
};

struct field_selector {
	struct field_term *terms;
	size_t nterms;
};

/*
 * Returns the string value of field for the object at ctx, or NULL when
 * the object has no such field (compares as "").  Borrowed.
 */
typedef const char *(*selector_field_get)(const char *field, void *ctx);

/* fields.ParseSelector.  -1 with ERR_BAD_REQUEST on error. */
int selector_field_parse(const char *s, struct field_selector **out,
			 struct err *e);
void selector_field_free(struct field_selector *f);
bool selector_field_matches(const struct field_selector *f,
			    selector_field_get get, void *ctx);
/* The value the selector requires for field (an "=" term), or NULL. */
const char *selector_field_requires(const struct field_selector *f,
				    const char *field);
/* String() with escapes: "metadata.name=x,status.phase!=Running". */
char *selector_field_string(const struct field_selector *f);

#endif
