/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ws: RFC 6455 WebSocket messages over an already upgraded byte stream,
 * framed by libwslay.  Transport-agnostic: the server side runs it on the
 * socket libmicrohttpd hands over after a 101 (TLS is done by the server),
 * the client side on a libcurl CONNECT_ONLY connection (curl_easy_send /
 * curl_easy_recv, TLS and proxies done by curl).
 *
 * Threads: one thread may sit in ws_recv while others call ws_send; sends
 * are serialized by an internal mutex and never wait on the receiver.
 * Ping frames are answered inside ws_recv; a close frame from the peer is
 * answered and reported as the end of the stream.
 *
 * Kubernetes uses binary messages whose first byte is a channel number
 * (v4/v5.channel.k8s.io: 0 stdin, 1 stdout, 2 stderr, 3 error/status,
 * 4 resize, 255 close (v5)); ws_send_channel() prefixes it.
 */
#ifndef KDECK_COMMON_WS_H
#define KDECK_COMMON_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/err.h"

enum ws_opcode { WS_TEXT = 1, WS_BINARY = 2 };

/* Largest message ws_recv accepts; longer ones fail the connection (1009). */
#define WS_MSG_MAX (16 * 1024 * 1024)

struct ws_io {
	void *ctx;
	/* Readable when data may be there: ws_recv polls it.  Required. */
	int fd;
	/*
	 * Nonblocking I/O on the stream: return the byte count (> 0), 0 at
	 * end of stream, or -1 with errno EAGAIN when nothing can be moved
	 * now (any other errno is an error).
	 */
	ssize_t (*recv)(void *ctx, void *buf, size_t len);
	ssize_t (*send)(void *ctx, const void *buf, size_t len);
};

struct ws_msg {
	int opcode;	/* WS_TEXT or WS_BINARY */
	uint8_t *data;	/* malloc'd, caller frees; NUL-terminated for
			 * convenience (len excludes it) */
	size_t len;
};

struct ws;

/*
 * A WebSocket endpoint over io (copied).  server: frames are sent
 * unmasked and must arrive masked (and the reverse for a client).  pre
 * (may be NULL) holds bytes already read past the HTTP handshake; they are
 * consumed before io->recv.
 */
struct ws *ws_new(const struct ws_io *io, bool server, const void *pre,
		  size_t prelen);
/* Free; does not close io's transport.  NULL is fine. */
void ws_free(struct ws *w);

/*
 * Send one complete message (blocks until written, polling io->fd for
 * writability).  Thread safe.  -1 with e when the connection failed or
 * was closed.
 */
int ws_send(struct ws *w, int opcode, const void *data, size_t len,
	    struct err *e);
/* Send a binary message: channel byte, then data. */
int ws_send_channel(struct ws *w, uint8_t channel, const void *data,
		    size_t len, struct err *e);

/*
 * Wait up to timeout_ms (-1 = forever) for the next data message.
 * Returns 1 with *msg filled, 0 when the peer closed (close frame or end
 * of stream), -2 on timeout, -1 with e on a protocol or I/O error (the
 * connection is then failed with the right close code).  One receiver
 * thread at a time.
 */
int ws_recv(struct ws *w, int timeout_ms, struct ws_msg *msg, struct err *e);

/* Close code the peer sent (1000 ...), or 0 when none arrived yet. */
int ws_peer_close_code(const struct ws *w);

/* Send a close frame (once; later calls do nothing).  Thread safe. */
int ws_close(struct ws *w, uint16_t code, const char *reason);

/* Sec-WebSocket-Accept for a client's Sec-WebSocket-Key (SHA-1, base64). */
int ws_accept_key(const char *client_key, char out[29]);
/* A fresh random Sec-WebSocket-Key (16 random bytes, base64). */
void ws_client_key(char out[25]);

#endif
