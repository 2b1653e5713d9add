/* SPDX-License-Identifier: Apache-2.0 */
/* server_gzip: Accept-Encoding parsing and a gzip round trip. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cluster/server.h"
#include "tests/tap.h"

static void test_accepts(void)
{
	static const struct { const char *h; bool want; } c[] = {
		{ NULL, false }, { "", false }, { "gzip", true },
		{ "GZIP", true }, { "deflate, gzip", true },
		{ "gzip;q=0.5", true }, { "gzip;q=0", false },
		{ "gzip; q=0.0", false }, { "br, deflate", false },
		{ "x-gzip", false }, { "gzipper", false },
		{ "identity, gzip;q=1.0", true },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		ok(server_accepts_gzip(c[i].h) == c[i].want,
		   "Accept-Encoding \"%s\" -> %s", c[i].h ? c[i].h : "(none)",
		   c[i].want ? "gzip" : "identity");
}

static void test_roundtrip(void)
{
	size_t n = 300 * 1024, zlen = 0;
	char *in = malloc(n), *z = NULL, *back = malloc(n);
	z_stream s;
	int rc;

	for (size_t i = 0; i < n; i++)
		in[i] = (char)("{\"kind\":\"ConfigMap\"}"[i % 20] + (i % 977 == 0));
	is_int(server_gzip(in, n, &z, &zlen), 0, "gzip succeeds");
	ok(zlen > 18 && zlen < n / 4, "compressed to %zu bytes", zlen);
	ok(z && (unsigned char)z[0] == 0x1f && (unsigned char)z[1] == 0x8b,
	   "gzip magic");
	memset(&s, 0, sizeof(s));
	inflateInit2(&s, 15 + 16);
	s.next_in = (Bytef *)z;
	s.avail_in = (uInt)zlen;
	s.next_out = (Bytef *)back;
	s.avail_out = (uInt)n;
	rc = inflate(&s, Z_FINISH);
	inflateEnd(&s);
	is_int(rc, Z_STREAM_END, "inflates");
	ok(s.total_out == n && memcmp(in, back, n) == 0, "round trip is exact");
	free(z);
	z = NULL;
	is_int(server_gzip("", 0, &z, &zlen), 0, "empty input");
	free(in);
	free(back);
	free(z);
}

int main(void)
{
	test_accepts();
	test_roundtrip();
	return tap_done();
}
