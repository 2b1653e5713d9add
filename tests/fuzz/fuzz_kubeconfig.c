/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_kubeconfig: arbitrary text as a kubeconfig file: parse, merge,
 * resolve every context (file references point nowhere useful), and
 * write the document back through the YAML emitter, which must re-parse.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/kubeconfig.h"
#include "client/private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *paths[1] = { path };
	struct kc *kc = NULL;
	struct err e = { 0 };
	FILE *f;

	if (size > 65536)
		return 0;
	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/kdeck-fuzz-kc-%d", getpid());
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	if (kc_load_files(paths, 1, true, &kc, &e) == 0) {
		for (size_t i = 0; i < kc_context_count(kc); i++) {
			struct kc_config *cfg = NULL;
			if (kc_resolve(kc, kc_context_name(kc, i), &cfg, &e) == 0)
				kc_config_free(cfg);
		}
		kc_free(kc);
	}
	cJSON *doc = kc_yaml_parse((const char *)data, size, "fuzz", &e);
	if (doc) {
		struct buf out = BUF_INIT;
		if (kc_yaml_emit(doc, &out, &e) == 0) {
			cJSON *back = kc_yaml_parse(buf_cstr(&out), out.len,
						    "re", &e);
			if (!back)
				abort();
			cJSON_Delete(back);
		}
		buf_free(&out);
		cJSON_Delete(doc);
	}
	unlink(path);
	return 0;
}
