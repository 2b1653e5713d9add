/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_gzip: response compression as the API server does it: bodies of
 * at least SERVER_GZIP_MIN bytes (128 KiB) are gzip-encoded when the
 * client's Accept-Encoding names gzip (kubectl, client-go and the Python
 * client all send it).  zlib does the work, at level 1 like kube-apiserver
 * (the fastest level compresses JSON lists nearly as well as the default:
 * a 10,000-pod LIST costs a fraction of the CPU).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "cluster/server.h"
#include "common/mem.h"

/* The q value of one Accept-Encoding element's parameters (1 if none). */
static double qvalue(const char *params, size_t n)
{
	const char *q = params;

	while ((q = memchr(q, 'q', (size_t)(params + n - q))) != NULL) {
		const char *v = q + 1;

		v += strspn(v, " \t");
		if (v < params + n && *v == '=' && (q == params || strchr("; \t", q[-1])))
			return strtod(v + 1, NULL);
		q++;
	}
	return 1.0;
}

bool server_accepts_gzip(const char *accept_encoding)
{
	const char *p = accept_encoding;

	while (p && *p) {
		size_t elem, tok;

		p += strspn(p, " \t,");
		elem = strcspn(p, ",");
		tok = strcspn(p, ",; \t");
		if (tok == 4 && !strncasecmp(p, "gzip", 4))
			return qvalue(p + tok, elem - tok) > 0;
		p += elem;
	}
	return false;
}

int server_gzip(const char *data, size_t len, char **out, size_t *out_len)
{
	z_stream z;
	size_t cap = len / 4 + 1024;
	char *buf;
	int rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	buf = xmalloc(cap);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	do {
		if (z.total_out == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		z.next_out = (Bytef *)buf + z.total_out;
		z.avail_out = (uInt)(cap - z.total_out);
		rc = deflate(&z, Z_FINISH);
	} while (rc == Z_OK || rc == Z_BUF_ERROR);
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = z.total_out;
	return 0;
}
