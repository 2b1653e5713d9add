/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_selector: label and field selector parsing on arbitrary text.  A
 * parsed selector must print, and the printed form must parse again and
 * reach a fixed point (String() is canonical).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/selector.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_label(const char *s)
{
	struct label_selector *a, *b;
	struct err e;
	char *sa, *sb;

	if (selector_parse(s, &a, &e) < 0)
		return;
	sa = selector_string(a);
	if (selector_parse(sa, &b, &e) < 0)
		abort();
	sb = selector_string(b);
	if (strcmp(sa, sb))
		abort();
	(void)selector_matches(a, NULL);
	free(sa);
	free(sb);
	selector_free(a);
	selector_free(b);
}

static const char *get(const char *field, void *ctx)
{
	return ctx;
}

/*
 * Field selector terms are sorted as raw text before printing, so the
 * first print need not be a fixed point ("==,=!x" prints "=!x,=" then
 * "=,=!x"); the second one must be.
 */
static char *field_round(const char *s)
{
	struct field_selector *f;
	struct err e;
	char *out;

	if (selector_field_parse(s, &f, &e) < 0)
		return NULL;
	(void)selector_field_matches(f, get, "x");
	out = selector_field_string(f);
	selector_field_free(f);
	return out;
}

static void check_field(const char *s)
{
	char *s1 = field_round(s), *s2, *s3;

	if (!s1)
		return;
	s2 = field_round(s1);
	s3 = s2 ? field_round(s2) : NULL;
	if (!s2 || !s3 || strcmp(s2, s3))
		abort();
	free(s1);
	free(s2);
	free(s3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size > 4096)
		return 0;
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	check_label(s);
	check_field(s);
	free(s);
	return 0;
}
