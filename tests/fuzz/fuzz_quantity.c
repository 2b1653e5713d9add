/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_quantity: quantity_parse on arbitrary text; whatever parses must
 * print, and its canonical string must parse back to the same value.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/quantity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[QUANTITY_STR_MAX];
	struct quantity q, r;
	struct err e;
	char *s;

	if (size > 256)
		return 0;
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if (quantity_parse(s, &q, &e) == 0) {
		quantity_format(&q, out);
		if (quantity_parse(out, &r, &e) != 0 ||
		    quantity_cmp(&q, &r) != 0)
			abort();
		(void)quantity_value(&q);
		(void)quantity_milli_value(&q);
	}
	free(s);
	return 0;
}
