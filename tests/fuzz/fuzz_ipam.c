/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_ipam: arbitrary bytes as the pod network's DATA/net/ipam.json.
 * Whatever loads must dump to text that loads again to the same book,
 * and allocation must keep working on it.  Must never crash or leak.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/net/net_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipam a, b;
	struct err e;
	char *text, *again;
	uint32_t ip;
	bool fresh;

	if (ipam_load(&a, (const char *)data, size, &e) < 0)
		return 0;
	text = ipam_dump(&a);
	if (ipam_load(&b, text, strlen(text), &e) < 0)
		abort();
	again = ipam_dump(&b);
	if (strcmp(text, again))
		abort();
	if (ipam_alloc(&b, "fuzz-new-pod", &ip, &fresh, &e) == 0 &&
	    (ip == b.net || ip == ipam_gateway(&b) || ip == ipam_broadcast(&b)))
		abort();
	ipam_release(&b, "fuzz-new-pod");
	free(text);
	free(again);
	ipam_done(&a);
	ipam_done(&b);
	return 0;
}
