/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the RFC 3339 and Go duration parsers.  Properties: what parses
 * formats, and a formatted time or duration parses back to the same value
 * (times at whole seconds, as metav1.Time keeps them).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ktime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), buf[KTIME_STR_MAX];
	struct ktime t, back;
	struct err e;
	int64_t ns, ns2;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (ktime_parse(s, &t, &e) == 0) {
		ktime_format_micro(&t, buf);
		ktime_format(&t, buf);
		if (ktime_parse(buf, &back, &e) < 0)
			abort();
	}
	if (ktime_parse_duration(s, &ns, &e) == 0) {
		ktime_format_duration(ns, buf);
		if (ktime_parse_duration(buf, &ns2, &e) < 0 || ns2 != ns)
			abort();
		ktime_human_duration(ns, buf);
		ktime_short_human_duration(ns, buf);
	}
	free(s);
	return 0;
}
