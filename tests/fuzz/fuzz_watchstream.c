/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_watchstream: the watch stream decoder on arbitrary bytes, fed in
 * chunks whose sizes come from the input, with a small line limit so the
 * oversize path is reached.  Whatever is decoded once must decode the same
 * way when fed in one piece.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client/private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_cb(enum watch_type t, cJSON *obj, void *arg)
{
	(void)t;
	cJSON_Delete(obj);
	(*(int *)arg)++;
	return 0;
}

static int run(const char *p, size_t n, size_t step, int *events)
{
	struct watch_dec *d = watch_dec_new(4096);
	struct err e = { 0 };
	int rc = 0;

	for (size_t off = 0; off < n && rc == 0; off += step)
		rc = watch_dec_feed(d, p + off, off + step > n ? n - off : step,
				    count_cb, events, &e);
	watch_dec_free(d);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int a = 0, b = 0, ra, rb;
	size_t step;

	if (size < 1 || size > 65536)
		return 0;
	step = (size_t)data[0] % 17 + 1;
	ra = run((const char *)data + 1, size - 1, step, &a);
	rb = run((const char *)data + 1, size - 1, size, &b);
	if (ra != rb || a != b)
		abort();
	return 0;
}
