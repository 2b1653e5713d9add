/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spdy: SPDY/3.1 framing, as kubectl's port-forward (and exec's SPDY
 * fallback) speaks it: control frames (SYN_STREAM, SYN_REPLY, RST_STREAM,
 * SETTINGS, PING, GOAWAY, HEADERS, WINDOW_UPDATE) and data frames, with
 * header blocks compressed by zlib over the SPDY/3 dictionary.
 *
 * A struct spdy_codec holds one connection's two zlib streams (the
 * compression context spans every header block of a direction, so frames
 * must be parsed and serialized in wire order).  Not thread safe: the
 * caller serializes each direction.
 *
 * The parser is meant for hostile input: lengths are checked against the
 * frame, frames are capped at SPDY_FRAME_MAX, header blocks at
 * SPDY_HEADER_BYTES_MAX once inflated (a decompression bomb fails the
 * frame) and SPDY_HEADERS_MAX pairs.  After an error the codec's inflate
 * state is undefined: the connection must end (GOAWAY / close).
 */
#ifndef KDECK_CLUSTER_SPDY_H
#define KDECK_CLUSTER_SPDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"

enum spdy_type {
	SPDY_DATA = 0,		/* a data frame (not a control type) */
	SPDY_SYN_STREAM = 1,
	SPDY_SYN_REPLY = 2,
	SPDY_RST_STREAM = 3,
	SPDY_SETTINGS = 4,
	SPDY_NOOP = 5,		/* SPDY/2 leftover, ignored */
	SPDY_PING = 6,
	SPDY_GOAWAY = 7,
	SPDY_HEADERS = 8,
	SPDY_WINDOW_UPDATE = 9,
};

#define SPDY_FLAG_FIN 0x01
#define SPDY_FLAG_UNIDIRECTIONAL 0x02

/* RST_STREAM status codes. */
enum spdy_rst {
	SPDY_PROTOCOL_ERROR = 1,
	SPDY_INVALID_STREAM = 2,
	SPDY_REFUSED_STREAM = 3,
	SPDY_UNSUPPORTED_VERSION = 4,
	SPDY_CANCEL = 5,
	SPDY_INTERNAL_ERROR = 6,
	SPDY_FLOW_CONTROL_ERROR = 7,
	SPDY_STREAM_IN_USE = 8,
	SPDY_STREAM_ALREADY_CLOSED = 9,
};

#define SPDY_FRAME_MAX (1u << 20)	/* payload bytes of any frame */
#define SPDY_HEADER_BYTES_MAX (64u * 1024)	/* an inflated header block */
#define SPDY_HEADERS_MAX 128u		/* name/value pairs per block */

struct spdy_header {
	char *name;	/* lowercase, NUL-terminated */
	char *value;	/* NUL-terminated; several values are separated
			 * by NUL bytes inside value_len */
	size_t value_len;
};

struct spdy_frame {
	int type;		/* enum spdy_type; unknown control types are
				 * returned as they are and carry nothing */
	uint8_t flags;
	uint32_t stream_id;	/* DATA, SYN_*, RST, HEADERS, WINDOW_UPDATE;
				 * GOAWAY: last good stream id */
	uint32_t assoc_id;	/* SYN_STREAM */
	uint8_t priority;	/* SYN_STREAM, 0..7 */
	uint32_t code;		/* RST/GOAWAY status, PING id, WINDOW_UPDATE
				 * delta, SETTINGS entry count */
	const uint8_t *data;	/* DATA payload, borrowed from the input */
	size_t len;
	struct spdy_header *hdrs;	/* SYN_STREAM/SYN_REPLY/HEADERS; owned,
					 * see spdy_frame_clear */
	size_t nhdrs;
};

struct spdy_codec;

/* A codec for one connection (both directions).  Never NULL. */
struct spdy_codec *spdy_codec_new(void);
/* NULL is fine. */
void spdy_codec_free(struct spdy_codec *c);

/*
 * Parse one frame from buf[0..len).  Returns 1 with *f filled and *used
 * set to the bytes it took, 0 when buf holds no complete frame yet, -1
 * with e (ERR_PARSE, or ERR_TOO_LARGE for a frame past the caps) on a
 * malformed frame.  f->data points into buf; f->hdrs is owned by f
 * (spdy_frame_clear).  Header blocks go through c's inflate stream, so
 * call in wire order.
 */
int spdy_parse(struct spdy_codec *c, const uint8_t *buf, size_t len,
	       size_t *used, struct spdy_frame *f, struct err *e);

/* Free what spdy_parse allocated in f and zero it.  NULL is fine. */
void spdy_frame_clear(struct spdy_frame *f);

/* First value of header name (lowercase) in f, or NULL.  Borrowed. */
const char *spdy_header_get(const struct spdy_frame *f, const char *name);

/*
 * Append f in wire format to out.  Header blocks (SYN_STREAM, SYN_REPLY,
 * HEADERS: f->hdrs, names lowercased by the caller) go through c's deflate
 * stream, so serialize in wire order.  -1 with e when f cannot be encoded
 * (an unknown type, lengths past the caps).
 */
int spdy_serialize(struct spdy_codec *c, const struct spdy_frame *f,
		   struct buf *out, struct err *e);

/* The SPDY/3 zlib dictionary (built once; thread safe).  Borrowed. */
const uint8_t *spdy_dictionary(size_t *len);

#endif
