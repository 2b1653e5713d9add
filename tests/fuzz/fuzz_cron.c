/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_cron: cron_parse on arbitrary text (the first byte picks a time
 * zone and a start instant); whatever parses must yield a next time that
 * is later than the start (or none), twice in a row.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cron.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const zones[] = {
		NULL, "UTC", "Europe/Berlin", "America/New_York",
		"America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Apia",
	};
	struct cron c;
	struct err e;
	time_t start, t;
	char *s;

	if (size < 1 || size > 256)
		return 0;
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	/* 2000..2030, spread by the selector byte */
	start = 946684800 + (time_t)data[0] * 3700000 + data[0] * 7;
	if (cron_parse(s, &c, &e) == 0) {
		const char *tz = zones[data[0] % 8];

		t = cron_next(&c, tz, start);
		if (t && t <= start)
			abort();
		if (t && cron_next(&c, tz, t) != 0 && cron_next(&c, tz, t) <= t)
			abort();
	}
	free(s);
	return 0;
}
