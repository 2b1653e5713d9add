/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spdy: SPDY/3.1 frames (see spdy.h).  Wire layout, all big-endian:
 *
 *   control: 1 | version(15) = 3 | type(16) | flags(8) | length(24) | data
 *   data:    0 | stream-id(31)               | flags(8) | length(24) | data
 *
 * Header blocks are  count(32) { namelen(32) name vallen(32) value }*
 * deflated with the SPDY/3 dictionary, one zlib stream per direction for
 * the whole connection, each block ending with a sync flush.
 *
 * Every length read from the wire is checked against the bytes it
 * describes before use; inflating stops at SPDY_HEADER_BYTES_MAX.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cluster/spdy.h"
#include "common/mem.h"

struct spdy_codec {
	z_stream in, out;
	bool in_ok, out_ok;
};

/*
 * The SPDY/3 dictionary: these words, each behind its 32-bit big-endian
 * length, then the tail text as it is (draft-mbelshe-httpbis-spdy-00,
 * section 2.6.10.1).
 */
static const char *const dict_words[] = {
	"options", "head", "post", "put", "delete", "trace", "accept",
	"accept-charset", "accept-encoding", "accept-language",
	"accept-ranges", "age", "allow", "authorization", "cache-control",
	"connection", "content-base", "content-encoding", "content-language",
	"content-length", "content-location", "content-md5", "content-range",
	"content-type", "date", "etag", "expect", "expires", "from", "host",
	"if-match", "if-modified-since", "if-none-match", "if-range",
	"if-unmodified-since", "last-modified", "location", "max-forwards",
	"pragma", "proxy-authenticate", "proxy-authorization", "range",
	"referer", "retry-after", "server", "te", "trailer",
	"transfer-encoding", "upgrade", "user-agent", "vary", "via",
	"warning", "www-authenticate", "method", "get", "status", "200 OK",
	"version", "HTTP/1.1", "url", "public", "set-cookie", "keep-alive",
	"origin",
};

static const char dict_tail[] =
	"100101201202205206300302303304305306307402405406407408409410411"
	"412413414415416417502504505"
	"203 Non-Authoritative Information204 No Content"
	"301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidden"
	"404 Not Found500 Internal Server Error501 Not Implemented"
	"503 Service Unavailable"
	"Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 "
	"Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT"
	"chunked,text/html,image/png,image/jpg,image/gif,application/xml,"
	"application/xhtml+xml,text/plain,text/javascript,"
	"publicprivatemax-age=gzip,deflate,sdch"
	"charset=utf-8charset=iso-8859-1,utf-,*,enq=0.";

static uint8_t dict[1500];
static size_t dict_len;
static pthread_once_t dict_once = PTHREAD_ONCE_INIT;

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint32_t get24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static void dict_build(void)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(dict_words) / sizeof(dict_words[0]); i++) {
		size_t l = strlen(dict_words[i]);

		put32(dict + n, (uint32_t)l);
		memcpy(dict + n + 4, dict_words[i], l);
		n += 4 + l;
	}
	memcpy(dict + n, dict_tail, sizeof(dict_tail) - 1);
	dict_len = n + sizeof(dict_tail) - 1;
}

const uint8_t *spdy_dictionary(size_t *len)
{
	pthread_once(&dict_once, dict_build);
	*len = dict_len;
	return dict;
}

struct spdy_codec *spdy_codec_new(void)
{
	struct spdy_codec *c = xcalloc(1, sizeof(*c));
	size_t dl;
	const uint8_t *d = spdy_dictionary(&dl);

	c->in_ok = inflateInit(&c->in) == Z_OK;
	c->out_ok = deflateInit(&c->out, Z_DEFAULT_COMPRESSION) == Z_OK &&
		    deflateSetDictionary(&c->out, d, (uInt)dl) == Z_OK;
	return c;
}

void spdy_codec_free(struct spdy_codec *c)
{
	if (!c)
		return;
	inflateEnd(&c->in);
	deflateEnd(&c->out);
	free(c);
}

void spdy_frame_clear(struct spdy_frame *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nhdrs; i++) {
		free(f->hdrs[i].name);
		free(f->hdrs[i].value);
	}
	free(f->hdrs);
	memset(f, 0, sizeof(*f));
}

const char *spdy_header_get(const struct spdy_frame *f, const char *name)
{
	for (size_t i = 0; i < f->nhdrs; i++)
		if (!strcmp(f->hdrs[i].name, name))
			return f->hdrs[i].value;
	return NULL;
}

/* Inflate one header block into out (capped).  -1 with e. */
static int inflate_block(struct spdy_codec *c, const uint8_t *src, size_t n,
			 struct buf *out, struct err *e)
{
	uint8_t tmp[4096];
	int rc;

	if (!c->in_ok)
		return err_set(e, ERR_INTERNAL, "spdy: zlib unavailable");
	c->in.next_in = (Bytef *)(uintptr_t)src;
	c->in.avail_in = (uInt)n;
	do {
		c->in.next_out = tmp;
		c->in.avail_out = sizeof(tmp);
		rc = inflate(&c->in, Z_SYNC_FLUSH);
		if (rc == Z_NEED_DICT) {
			size_t dl;
			const uint8_t *d = spdy_dictionary(&dl);

			if (inflateSetDictionary(&c->in, d, (uInt)dl) != Z_OK)
				return err_set(e, ERR_PARSE, "spdy: header block uses an unknown dictionary");
			continue;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			return err_set(e, ERR_PARSE, "spdy: corrupt header block");
		if (out->len + (sizeof(tmp) - c->in.avail_out) > SPDY_HEADER_BYTES_MAX)
			return err_set(e, ERR_TOO_LARGE, "spdy: header block larger than %u bytes",
				       SPDY_HEADER_BYTES_MAX);
		buf_add(out, tmp, sizeof(tmp) - c->in.avail_out);
	} while (c->in.avail_in > 0 || c->in.avail_out == 0);
	return 0;
}

/* Read a length-prefixed string at *p (bounded by end); malloc'd copy. */
static int take_str(const uint8_t **p, const uint8_t *end, char **s,
		    size_t *len, struct err *e)
{
	uint32_t l;

	if (end - *p < 4)
		return err_set(e, ERR_PARSE, "spdy: truncated header block");
	l = get32(*p);
	*p += 4;
	if ((size_t)(end - *p) < l)
		return err_set(e, ERR_PARSE, "spdy: header length %u past the block", l);
	*s = xmalloc((size_t)l + 1);
	memcpy(*s, *p, l);
	(*s)[l] = '\0';
	*len = l;
	*p += l;
	return 0;
}

/* Split an inflated block into f->hdrs. */
static int parse_pairs(const uint8_t *p, size_t n, struct spdy_frame *f,
		       struct err *e)
{
	const uint8_t *end = p + n;
	uint32_t count;
	size_t nl;

	if (n < 4)
		return err_set(e, ERR_PARSE, "spdy: truncated header block");
	count = get32(p);
	p += 4;
	if (count > SPDY_HEADERS_MAX || count > (n - 4) / 8)
		return err_set(e, ERR_TOO_LARGE, "spdy: %u headers in a block", count);
	f->hdrs = xcalloc(count ? count : 1, sizeof(*f->hdrs));
	for (uint32_t i = 0; i < count; i++) {
		struct spdy_header *h = &f->hdrs[f->nhdrs];

		if (take_str(&p, end, &h->name, &nl, e) < 0)
			return -1;
		if (take_str(&p, end, &h->value, &h->value_len, e) < 0) {
			free(h->name);
			return -1;
		}
		f->nhdrs++;
		if (!nl || strlen(h->name) != nl)
			return err_set(e, ERR_PARSE, "spdy: empty or binary header name");
	}
	return 0;
}

static int parse_headers(struct spdy_codec *c, const uint8_t *src, size_t n,
			 struct spdy_frame *f, struct err *e)
{
	struct buf b = BUF_INIT;
	int rc = -1;

	if (inflate_block(c, src, n, &b, e) < 0 ||
	    parse_pairs((const uint8_t *)b.data, b.len, f, e) < 0)
		goto out;
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

/* Fixed part of each control type: minimum length and exact length. */
static const struct {
	size_t min;
	bool exact;
} ctl_len[] = {
	[SPDY_SYN_STREAM] = { 10, false }, [SPDY_SYN_REPLY] = { 4, false },
	[SPDY_RST_STREAM] = { 8, true },   [SPDY_SETTINGS] = { 4, false },
	[SPDY_NOOP] = { 0, false },        [SPDY_PING] = { 4, true },
	[SPDY_GOAWAY] = { 8, false },      [SPDY_HEADERS] = { 4, false },
	[SPDY_WINDOW_UPDATE] = { 8, true },
};

static int parse_control(struct spdy_codec *c, const uint8_t *p, size_t n,
			 struct spdy_frame *f, struct err *e)
{
	int t = f->type;

	if (t < 1 || t > SPDY_WINDOW_UPDATE)
		return 0;	/* unknown types are ignored (SPDY/3 2.2.1) */
	if (n < ctl_len[t].min || (ctl_len[t].exact && n != ctl_len[t].min))
		return err_set(e, ERR_PARSE, "spdy: control frame %d with length %zu", t, n);
	if (t != SPDY_SETTINGS && t != SPDY_NOOP && t != SPDY_PING)
		f->stream_id = get32(p) & 0x7fffffffu;
	switch (t) {
	case SPDY_SYN_STREAM:
		f->assoc_id = get32(p + 4) & 0x7fffffffu;
		f->priority = p[8] >> 5;
		if (!f->stream_id)
			return err_set(e, ERR_PARSE, "spdy: SYN_STREAM for stream 0");
		return parse_headers(c, p + 10, n - 10, f, e);
	case SPDY_SYN_REPLY:
	case SPDY_HEADERS:
		return parse_headers(c, p + 4, n - 4, f, e);
	case SPDY_SETTINGS:
		f->code = get32(p);
		if ((n - 4) / 8 < f->code || (n - 4) % 8)
			return err_set(e, ERR_PARSE, "spdy: SETTINGS length does not match %u entries", f->code);
		f->data = p + 4;
		f->len = n - 4;
		return 0;
	case SPDY_PING:
		f->code = get32(p);
		return 0;
	case SPDY_RST_STREAM:
	case SPDY_WINDOW_UPDATE:
	case SPDY_GOAWAY:
		f->code = get32(p + 4) & (t == SPDY_WINDOW_UPDATE ? 0x7fffffffu : 0xffffffffu);
		return 0;
	default:
		return 0;
	}
}

int spdy_parse(struct spdy_codec *c, const uint8_t *buf, size_t len,
	       size_t *used, struct spdy_frame *f, struct err *e)
{
	struct spdy_frame g;
	uint32_t n;

	if (len < 8)
		return 0;
	n = get24(buf + 5);
	if (n > SPDY_FRAME_MAX)
		return err_set(e, ERR_TOO_LARGE, "spdy: frame of %u bytes", n);
	if (len - 8 < n)
		return 0;
	memset(&g, 0, sizeof(g));
	g.flags = buf[4];
	if (buf[0] & 0x80) {
		unsigned version = (unsigned)((buf[0] & 0x7f) << 8 | buf[1]);

		if (version != 3)
			return err_set(e, ERR_PARSE, "spdy: unsupported version %u", version);
		g.type = buf[2] << 8 | buf[3];
		if (!g.type)
			g.type = 0x10000;	/* not SPDY_DATA */
		if (parse_control(c, buf + 8, n, &g, e) < 0) {
			spdy_frame_clear(&g);
			return -1;
		}
	} else {
		g.type = SPDY_DATA;
		g.stream_id = get32(buf) & 0x7fffffffu;
		if (!g.stream_id)
			return err_set(e, ERR_PARSE, "spdy: data frame for stream 0");
		g.data = buf + 8;
		g.len = n;
	}
	*f = g;
	*used = 8 + (size_t)n;
	return 1;
}

/* Deflate the header block of f onto out. */
static int deflate_block(struct spdy_codec *c, const struct spdy_frame *f,
			 struct buf *out, struct err *e)
{
	struct buf raw = BUF_INIT;
	uint8_t tmp[4096], w[4];
	int rc = -1;

	if (!c->out_ok)
		return err_set(e, ERR_INTERNAL, "spdy: zlib unavailable");
	put32(w, (uint32_t)f->nhdrs);
	buf_add(&raw, w, 4);
	for (size_t i = 0; i < f->nhdrs; i++) {
		size_t nl = strlen(f->hdrs[i].name);

		put32(w, (uint32_t)nl);
		buf_add(&raw, w, 4);
		buf_add(&raw, f->hdrs[i].name, nl);
		put32(w, (uint32_t)f->hdrs[i].value_len);
		buf_add(&raw, w, 4);
		buf_add(&raw, f->hdrs[i].value, f->hdrs[i].value_len);
	}
	if (raw.len > SPDY_HEADER_BYTES_MAX || f->nhdrs > SPDY_HEADERS_MAX) {
		err_set(e, ERR_TOO_LARGE, "spdy: header block too large");
		goto out;
	}
	c->out.next_in = (Bytef *)raw.data;
	c->out.avail_in = (uInt)raw.len;
	do {
		c->out.next_out = tmp;
		c->out.avail_out = sizeof(tmp);
		if (deflate(&c->out, Z_SYNC_FLUSH) == Z_STREAM_ERROR) {
			err_set(e, ERR_INTERNAL, "spdy: deflate failed");
			goto out;
		}
		buf_add(out, tmp, sizeof(tmp) - c->out.avail_out);
	} while (c->out.avail_out == 0);
	rc = 0;
out:
	buf_free(&raw);
	return rc;
}

/* The fixed fields after a control frame's header. */
static void control_fields(const struct spdy_frame *f, struct buf *out)
{
	uint8_t w[10];

	switch (f->type) {
	case SPDY_SYN_STREAM:
		put32(w, f->stream_id & 0x7fffffffu);
		put32(w + 4, f->assoc_id & 0x7fffffffu);
		w[8] = (uint8_t)(f->priority << 5);
		w[9] = 0;
		buf_add(out, w, 10);
		break;
	case SPDY_SYN_REPLY:
	case SPDY_HEADERS:
		put32(w, f->stream_id & 0x7fffffffu);
		buf_add(out, w, 4);
		break;
	case SPDY_PING:
		put32(w, f->code);
		buf_add(out, w, 4);
		break;
	case SPDY_SETTINGS:
		put32(w, f->code);
		buf_add(out, w, 4);
		buf_add(out, f->data, f->len);
		break;
	default:	/* RST_STREAM, GOAWAY, WINDOW_UPDATE */
		put32(w, f->stream_id & 0x7fffffffu);
		put32(w + 4, f->code);
		buf_add(out, w, 8);
		break;
	}
}

int spdy_serialize(struct spdy_codec *c, const struct spdy_frame *f,
		   struct buf *out, struct err *e)
{
	size_t start = out->len, n;
	uint8_t h[8] = { 0 };

	if (f->type < 0 || f->type > SPDY_WINDOW_UPDATE || f->type == SPDY_NOOP)
		return err_set(e, ERR_INTERNAL, "spdy: cannot encode frame type %d", f->type);
	buf_add(out, h, 8);
	if (f->type == SPDY_DATA) {
		buf_add(out, f->data, f->len);
	} else {
		control_fields(f, out);
		if ((f->type == SPDY_SYN_STREAM || f->type == SPDY_SYN_REPLY ||
		     f->type == SPDY_HEADERS) && deflate_block(c, f, out, e) < 0) {
			out->len = start;
			return -1;
		}
	}
	n = out->len - start - 8;
	if (n > SPDY_FRAME_MAX) {
		out->len = start;
		return err_set(e, ERR_TOO_LARGE, "spdy: frame of %zu bytes", n);
	}
	if (f->type == SPDY_DATA) {
		put32(h, f->stream_id & 0x7fffffffu);
	} else {
		h[0] = 0x80;
		h[1] = 3;
		h[3] = (uint8_t)f->type;
	}
	h[4] = f->flags;
	h[5] = (uint8_t)(n >> 16);
	h[6] = (uint8_t)(n >> 8);
	h[7] = (uint8_t)n;
	memcpy(out->data + start, h, 8);
	return 0;
}
