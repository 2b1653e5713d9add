/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_image_manifest: the image store's JSON parsers on arbitrary bytes:
 * manifests and indexes (with each Content-Type a registry may send) and
 * image configs.  The first byte picks the parser; errors must carry a
 * message, successes well-formed descriptors.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/image/image_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const types[] = {
	NULL,
	"application/vnd.oci.image.manifest.v1+json",
	"application/vnd.oci.image.index.v1+json",
	"application/vnd.docker.distribution.manifest.v2+json",
	"application/vnd.docker.distribution.manifest.list.v2+json",
	"application/json",
	"text/html",
};

static void check_manifest(const char *text, size_t n, const char *ct)
{
	struct img_manifest m = {0};
	struct err e = {0};

	if (img_manifest_parse(text, n, ct, &m, &e) < 0) {
		if (!e.msg[0])
			abort();
		return;
	}
	if (m.kind == IMG_INDEX && (!m.platform ||
				    !img_digest_valid(m.platform->digest)))
		abort();
	if (m.kind == IMG_MANIFEST && !img_digest_valid(m.config.digest))
		abort();
	for (size_t i = 0; i < m.nlayers; i++)
		if (!img_digest_valid(m.layers[i].digest) ||
		    !img_layer_type_ok(m.layers[i].media_type) ||
		    m.layers[i].size < 0)
			abort();
	img_manifest_done(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image_config *c = NULL;
	struct err e = {0};
	const char *text;

	if (size < 1)
		return 0;
	text = (const char *)data + 1;
	if (data[0] & 0x80) {
		if (img_config_parse(text, size - 1, &c, &e) == 0) {
			if (!c->env)
				abort();
			image_config_free(c);
		} else if (!e.msg[0]) {
			abort();
		}
		return 0;
	}
	check_manifest(text, size - 1,
		       types[data[0] % (sizeof(types) / sizeof(types[0]))]);
	return 0;
}
