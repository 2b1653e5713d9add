/* SPDX-License-Identifier: Apache-2.0 */
/*
 * digest: SHA-256 and base64 for the image store, over GnuTLS (never
 * hand-written).  Each hash object belongs to one thread.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "cluster/image/image_priv.h"
#include "common/mem.h"

struct img_hash {
	gnutls_hash_hd_t h;
};

struct img_hash *img_hash_new(void)
{
	struct img_hash *h = xcalloc(1, sizeof(*h));

	if (gnutls_hash_init(&h->h, GNUTLS_DIG_SHA256) < 0)
		mem_oom();
	return h;
}

void img_hash_update(struct img_hash *h, const void *p, size_t n)
{
	if (n)
		gnutls_hash(h->h, p, n);
}

void img_hash_finish(struct img_hash *h, char out[72])
{
	unsigned char d[32];

	gnutls_hash_deinit(h->h, d);
	free(h);
	memcpy(out, "sha256:", 7);
	for (int i = 0; i < 32; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", d[i]);
}

void img_sha256(const void *p, size_t n, char out[72])
{
	struct img_hash *h = img_hash_new();

	img_hash_update(h, p, n);
	img_hash_finish(h, out);
}

char *img_base64(const void *p, size_t n)
{
	gnutls_datum_t in = { (unsigned char *)p, (unsigned)n }, res;
	char *s;

	if (gnutls_base64_encode2(&in, &res) < 0)
		mem_oom();
	s = xstrndup((char *)res.data, res.size);
	gnutls_free(res.data);
	return s;
}

/* Decode s (padding optional); *out NUL-terminated, caller frees. */
int img_unbase64(const char *s, char **out, size_t *n)
{
	size_t len = strlen(s);
	char *padded = xmalloc(len + 4);
	gnutls_datum_t in, res;
	int rc;

	memcpy(padded, s, len);
	while (len % 4)
		padded[len++] = '=';
	in.data = (unsigned char *)padded;
	in.size = (unsigned)len;
	rc = len ? gnutls_base64_decode2(&in, &res) : -1;
	free(padded);
	if (rc < 0)
		return -1;
	*out = xmalloc(res.size + 1);
	memcpy(*out, res.data, res.size);
	(*out)[res.size] = '\0';
	*n = res.size;
	gnutls_free(res.data);
	return 0;
}
