/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_spdy: SPDY/3.1 framing -- the dictionary matches the one the Go
 * clients use (Adler-32 in every zlib header), round trips of each frame
 * type through one codec pair, frames split at every byte, hostile
 * lengths, header counts and a decompression bomb; SYN_STREAMs captured
 * from kubectl.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cluster/spdy.h"
#include "tests/tap.h"

static struct spdy_header hdr(const char *n, const char *v)
{
	struct spdy_header h = { (char *)n, (char *)v, strlen(v) };

	return h;
}

static void test_dictionary(void)
{
	size_t n;
	const uint8_t *d = spdy_dictionary(&n);

	/* Length and Adler-32 of the dictionary inside kubectl 1.35. */
	is_int((long long)n, 1423, "dictionary length");
	is_int((long long)adler32(1, d, (uInt)n), 0xe3c6a7c2LL,
	       "dictionary checksum matches kubectl's");
}

/* Serialize f with tx, parse it back with rx: exactly one frame. */
static int round_trip(struct spdy_codec *tx, struct spdy_codec *rx,
		      const struct spdy_frame *f, struct buf *wire,
		      struct spdy_frame *got)
{
	struct err e;
	size_t used = 0;

	buf_reset(wire);
	if (spdy_serialize(tx, f, wire, &e) < 0)
		return -1;
	if (spdy_parse(rx, (const uint8_t *)wire->data, wire->len, &used, got, &e) != 1)
		return -1;
	return used == wire->len ? 0 : -1;
}

static void test_round_trips(void)
{
	struct spdy_codec *tx = spdy_codec_new(), *rx = spdy_codec_new();
	struct spdy_header hs[] = { hdr("streamtype", "data"), hdr("port", "8080"),
				    hdr("requestid", "0") };
	static const uint8_t payload[] = "GET / HTTP/1.1\r\n\r\n";
	static const uint8_t settings[] = { 0, 0, 0, 7, 0, 0, 0x10, 0 };
	struct {
		struct spdy_frame f;
		const char *what;
	} cases[] = {
		{ { .type = SPDY_SYN_STREAM, .stream_id = 1, .priority = 2,
		    .hdrs = hs, .nhdrs = 3 }, "SYN_STREAM" },
		{ { .type = SPDY_SYN_REPLY, .stream_id = 1 }, "SYN_REPLY, no headers" },
		{ { .type = SPDY_SYN_STREAM, .stream_id = 3, .flags = SPDY_FLAG_FIN,
		    .hdrs = hs, .nhdrs = 2 }, "second SYN_STREAM (shared context)" },
		{ { .type = SPDY_DATA, .stream_id = 3, .data = payload,
		    .len = sizeof(payload) - 1 }, "DATA" },
		{ { .type = SPDY_DATA, .stream_id = 3, .flags = SPDY_FLAG_FIN },
		  "empty DATA with FIN" },
		{ { .type = SPDY_RST_STREAM, .stream_id = 5, .code = SPDY_CANCEL }, "RST_STREAM" },
		{ { .type = SPDY_PING, .code = 0xdeadbeef }, "PING" },
		{ { .type = SPDY_GOAWAY, .stream_id = 7, .code = 0 }, "GOAWAY" },
		{ { .type = SPDY_WINDOW_UPDATE, .stream_id = 1, .code = 65536 }, "WINDOW_UPDATE" },
		{ { .type = SPDY_SETTINGS, .code = 1, .data = settings, .len = 8 }, "SETTINGS" },
		{ { .type = SPDY_HEADERS, .stream_id = 1, .hdrs = hs + 1, .nhdrs = 1 }, "HEADERS" },
	};
	struct buf wire = BUF_INIT;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct spdy_frame *f = &cases[i].f;
		struct spdy_frame g;
		int ok_rt = round_trip(tx, rx, f, &wire, &g) == 0;

		ok(ok_rt, "%s round trip", cases[i].what);
		if (!ok_rt)
			continue;
		ok(g.type == f->type && g.flags == f->flags &&
		   g.stream_id == f->stream_id && g.code == f->code &&
		   g.len == f->len && g.nhdrs == f->nhdrs &&
		   g.priority == f->priority,
		   "%s fields survive", cases[i].what);
		for (size_t j = 0; j < f->nhdrs && j < g.nhdrs; j++)
			ok(!strcmp(g.hdrs[j].name, f->hdrs[j].name) &&
			   !strcmp(g.hdrs[j].value, f->hdrs[j].value),
			   "%s header %s", cases[i].what, f->hdrs[j].name);
		if (f->len)
			ok(!memcmp(g.data, f->data, f->len), "%s payload", cases[i].what);
		spdy_frame_clear(&g);
	}
	buf_free(&wire);
	spdy_codec_free(tx);
	spdy_codec_free(rx);
}

/* A frame arriving one byte at a time is incomplete until its last byte. */
static void test_partial(void)
{
	struct spdy_codec *tx = spdy_codec_new(), *rx = spdy_codec_new();
	struct spdy_header hs[] = { hdr("streamtype", "error"), hdr("port", "80") };
	struct spdy_frame f = { .type = SPDY_SYN_STREAM, .stream_id = 1,
				.hdrs = hs, .nhdrs = 2 }, g;
	struct buf wire = BUF_INIT;
	struct err e;
	size_t used;
	int bad = 0;

	spdy_serialize(tx, &f, &wire, &e);
	for (size_t n = 0; n < wire.len; n++)
		if (spdy_parse(rx, (const uint8_t *)wire.data, n, &used, &g, &e) != 0)
			bad++;
	is_int(bad, 0, "prefixes of a frame are incomplete");
	ok(spdy_parse(rx, (const uint8_t *)wire.data, wire.len, &used, &g, &e) == 1 &&
	   !strcmp(spdy_header_get(&g, "streamtype"), "error") &&
	   !strcmp(spdy_header_get(&g, "port"), "80") &&
	   !spdy_header_get(&g, "requestid"),
	   "whole frame parses, spdy_header_get finds the headers");
	spdy_frame_clear(&g);
	buf_free(&wire);
	spdy_codec_free(tx);
	spdy_codec_free(rx);
}

/* A raw control frame: header + payload. */
static size_t control(uint8_t *out, int version, int type, uint8_t flags,
		      const uint8_t *p, size_t n)
{
	out[0] = (uint8_t)(0x80 | version >> 8);
	out[1] = (uint8_t)version;
	out[2] = (uint8_t)(type >> 8);
	out[3] = (uint8_t)type;
	out[4] = flags;
	out[5] = (uint8_t)(n >> 16);
	out[6] = (uint8_t)(n >> 8);
	out[7] = (uint8_t)n;
	memcpy(out + 8, p, n);
	return 8 + n;
}

/* A SYN_STREAM whose header block is raw (uncompressed) deflated by us. */
static size_t syn_with_block(uint8_t *out, size_t cap, const uint8_t *raw,
			     size_t rawlen)
{
	uint8_t body[70000] = { 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
	z_stream z;
	size_t dl;
	const uint8_t *d = spdy_dictionary(&dl);

	memset(&z, 0, sizeof(z));
	deflateInit(&z, 9);
	deflateSetDictionary(&z, d, (uInt)dl);
	z.next_in = (Bytef *)(uintptr_t)raw;
	z.avail_in = (uInt)rawlen;
	z.next_out = body + 10;
	z.avail_out = (uInt)(sizeof(body) - 10);
	deflate(&z, Z_SYNC_FLUSH);
	size_t n = 10 + (sizeof(body) - 10 - z.avail_out);

	deflateEnd(&z);
	return n + 8 <= cap ? control(out, 3, SPDY_SYN_STREAM, 0, body, n) : 0;
}

static void test_hostile(void)
{
	static uint8_t zeros[1 << 20];
	static uint8_t frame[80000];
	uint8_t ping[4] = { 0, 0, 0, 1 }, raw[64];
	struct {
		const char *what;
		int version, type;
		const uint8_t *p;
		size_t n;
	} bad[] = {
		{ "version 2", 2, SPDY_PING, ping, 4 },
		{ "PING of 3 bytes", 3, SPDY_PING, ping, 3 },
		{ "RST_STREAM of 4 bytes", 3, SPDY_RST_STREAM, ping, 4 },
		{ "SYN_STREAM of 4 bytes", 3, SPDY_SYN_STREAM, ping, 4 },
		{ "SETTINGS claiming 1 entry in 0 bytes", 3, SPDY_SETTINGS, ping, 4 },
		{ "SYN_STREAM with garbage block", 3, SPDY_SYN_STREAM,
		  (const uint8_t *)"\0\0\0\1\0\0\0\0\0\0garbage!", 18 },
	};
	struct spdy_frame g;
	struct err e;
	size_t used, n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct spdy_codec *rx = spdy_codec_new();

		n = control(frame, bad[i].version, bad[i].type, 0, bad[i].p, bad[i].n);
		is_int(spdy_parse(rx, frame, n, &used, &g, &e), -1, "%s refused", bad[i].what);
		spdy_codec_free(rx);
	}
	/* Length past the cap is refused from the header alone. */
	frame[0] = 0; frame[1] = 0; frame[2] = 0; frame[3] = 1;
	frame[4] = 0; frame[5] = 0xff; frame[6] = 0xff; frame[7] = 0xff;
	is_int(spdy_parse(NULL, frame, 8, &used, &g, &e), -1, "16 MiB data frame refused");
	is_int(e.code, ERR_TOO_LARGE, "as too large");
	frame[3] = 0;
	frame[5] = 0;
	frame[6] = 0;
	frame[7] = 0;
	is_int(spdy_parse(NULL, frame, 8, &used, &g, &e), -1, "data frame for stream 0 refused");
	/* Unknown control types are skipped whole. */
	n = control(frame, 3, 0x55, 0, ping, 4);
	ok(spdy_parse(NULL, frame, n, &used, &g, &e) == 1 && used == n && g.type == 0x55,
	   "unknown control type skipped");
	/* A block inflating past the cap (1 MiB of zeros). */
	{
		struct spdy_codec *rx = spdy_codec_new();

		n = syn_with_block(frame, sizeof(frame), zeros, sizeof(zeros));
		ok(n > 0 && n < 4096, "bomb is small on the wire (%zu bytes)", n);
		is_int(spdy_parse(rx, frame, n, &used, &g, &e), -1, "decompression bomb refused");
		is_int(e.code, ERR_TOO_LARGE, "as too large");
		spdy_codec_free(rx);
	}
	/* Header count larger than the block could hold. */
	{
		struct spdy_codec *rx = spdy_codec_new();

		memset(raw, 0, sizeof(raw));
		raw[0] = 0x7f;	/* 2 billion pairs */
		n = syn_with_block(frame, sizeof(frame), raw, 12);
		is_int(spdy_parse(rx, frame, n, &used, &g, &e), -1, "absurd header count refused");
		spdy_codec_free(rx);
	}
	/* A name length pointing past the block. */
	{
		struct spdy_codec *rx = spdy_codec_new();
		uint8_t r[] = { 0, 0, 0, 1, 0, 0, 1, 0, 'a', 'b', 0, 0, 0, 0 };

		n = syn_with_block(frame, sizeof(frame), r, sizeof(r));
		is_int(spdy_parse(rx, frame, n, &used, &g, &e), -1, "header length past the block refused");
		spdy_codec_free(rx);
	}
	/* An empty header name. */
	{
		struct spdy_codec *rx = spdy_codec_new();
		uint8_t r[] = { 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 'x' };

		n = syn_with_block(frame, sizeof(frame), r, sizeof(r));
		is_int(spdy_parse(rx, frame, n, &used, &g, &e), -1, "empty header name refused");
		spdy_codec_free(rx);
	}
}

/*
 * The two SYN_STREAMs kubectl 1.32 sent for `kubectl port-forward
 * pod/cap 18998:8080` and one curl (captured from a kdeck session): the
 * error stream, then the data stream whose header block leans on the
 * first one's compression context.
 */
static void test_kubectl_capture(void)
{
	static const uint8_t err_syn[] = {
		0x80, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3e, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x78, 0xf9, 0xe3, 0xc6, 0xa7, 0xc2,
		0x02, 0x25, 0x3a, 0x70, 0x3a, 0x2b, 0x29, 0x4a, 0x4d, 0xcc, 0x85, 0x16,
		0x25, 0xac, 0xa9, 0xa0, 0x80, 0x86, 0x14, 0xcb, 0x45, 0xe0, 0x1c, 0x60,
		0x61, 0x60, 0x61, 0xc0, 0xc0, 0xc0, 0xc0, 0x59, 0x04, 0x89, 0xc6, 0x4c,
		0x50, 0xf2, 0x66, 0x34, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff,
	};
	static const uint8_t data_syn[] = {
		0x80, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0x03,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc2, 0xaa, 0x19, 0x54, 0x0e, 0x25,
		0x12, 0xd6, 0x0b, 0x00, 0x00, 0x00, 0xff, 0xff,
	};
	struct spdy_codec *rx = spdy_codec_new();
	struct spdy_frame f;
	struct err e;
	size_t used;

	ok(spdy_parse(rx, err_syn, sizeof(err_syn), &used, &f, &e) == 1 &&
	   used == sizeof(err_syn) && f.type == SPDY_SYN_STREAM && f.stream_id == 1,
	   "kubectl's error SYN_STREAM parses");
	is_str(spdy_header_get(&f, "streamtype"), "error", "streamtype error");
	is_str(spdy_header_get(&f, "port"), "8080", "port 8080");
	is_str(spdy_header_get(&f, "requestid"), "0", "requestid 0");
	spdy_frame_clear(&f);
	ok(spdy_parse(rx, data_syn, sizeof(data_syn), &used, &f, &e) == 1 &&
	   used == sizeof(data_syn) && f.stream_id == 3,
	   "kubectl's data SYN_STREAM parses (shared context)");
	is_str(spdy_header_get(&f, "streamtype"), "data", "streamtype data");
	is_str(spdy_header_get(&f, "requestid"), "0", "same requestid");
	spdy_frame_clear(&f);
	spdy_codec_free(rx);
}

static void test_serialize_errors(void)
{
	struct spdy_codec *c = spdy_codec_new();
	struct spdy_frame f = { .type = SPDY_NOOP };
	struct buf b = BUF_INIT;
	struct err e;

	is_int(spdy_serialize(c, &f, &b, &e), -1, "NOOP cannot be encoded");
	f.type = 42;
	is_int(spdy_serialize(c, &f, &b, &e), -1, "unknown type cannot be encoded");
	is_int((long long)b.len, 0, "nothing appended on error");
	buf_free(&b);
	spdy_codec_free(c);
	spdy_codec_free(NULL);
	spdy_frame_clear(NULL);
}

int main(void)
{
	test_dictionary();
	test_round_trips();
	test_kubectl_capture();
	test_partial();
	test_hostile();
	test_serialize_errors();
	return tap_done();
}
