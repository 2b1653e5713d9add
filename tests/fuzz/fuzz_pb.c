/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_pb: pb_decode on arbitrary bytes.  Inputs without the k8s\0 magic
 * get it prepended, so the fuzzer spends its time inside the envelope and
 * the schema walk; whatever decodes must print as JSON.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/pb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf;
	struct err e;
	cJSON *obj;
	char *s;

	if (size > 65536)
		return 0;
	buf = malloc(size + 4);
	memcpy(buf, "k8s", 4);
	memcpy(buf + 4, data, size);
	if (size >= 4 && !memcmp(data, "k8s", 4))
		obj = pb_decode(data, size, &e);
	else
		obj = pb_decode(buf, size + 4, &e);
	if (obj) {
		s = cJSON_PrintUnformatted(obj);
		if (!s)
			abort();
		free(s);
		cJSON_Delete(obj);
	}
	free(buf);
	return 0;
}
