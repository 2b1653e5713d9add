/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_crd_pattern: a CRD `pattern` (the input's first line) through the
 * RE2 syntax scan, PCRE2 compile and DFA match (crd_schema_re.c) against
 * the rest of the input.  Must never crash, hang or leak; a pattern the
 * scan accepts but PCRE2 rejects gets a reason too.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/crd_schema.h"
#include "common/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = xmalloc(size + 1), *nl, *why = NULL;
	int ok;

	memcpy(in, data, size);
	in[size] = 0;
	nl = strchr(in, '\n');
	if (nl)
		*nl = 0;
	ok = crd_schema_re_check(in, &why) == 0;
	if (!ok && !why)
		abort();
	if (crd_schema_re_match(in, nl ? nl + 1 : "") >= 0 && !ok)
		abort();	/* an invalid pattern never matches */
	free(why);
	free(in);
	return 0;
}
