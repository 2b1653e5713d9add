/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the gRPC health response parser of grpc probes (what a pod's
 * server sends back).  Properties: no crash, and a result is -1 or a
 * non-negative status.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "cluster/node/probe_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int st = probe_parse_health(data, size);

	if (st < -1)
		abort();
	return 0;
}
