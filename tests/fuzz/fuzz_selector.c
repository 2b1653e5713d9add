/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_selector: label and field selector parsing on arbitrary text.  A
 * parsed selector must print, and the printed form must parse again to
 * the same string (String() is canonical).
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

static void check_field(const char *s)
{
	struct field_selector *f, *g;
	struct err e;
	char *sf, *sg;

	if (selector_field_parse(s, &f, &e) < 0)
		return;
	sf = selector_field_string(f);
	if (selector_field_parse(sf, &g, &e) < 0)
		abort();
	sg = selector_field_string(g);
	if (strcmp(sf, sg))
		abort();
	(void)selector_field_matches(f, get, "x");
	free(sf);
	free(sg);
	selector_field_free(f);
	selector_field_free(g);
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
