/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stream.h: WebSocket streams of the client layer (pods/exec, pods/attach,
 * pods/portforward), for `kdeck exec`, `kdeck port-forward` and the
 * dashboard's shell, attach and port-forward views.
 *
 * A WebSocket is a connection of its own (never the client's shared
 * HTTP/2 connection): client_ws_open() opens it with libcurl in
 * CONNECT_ONLY mode using the client's TLS, proxy, SSH tunnel and
 * credentials, sends the HTTP/1.1 upgrade itself and checks the 101
 * answer; the framing is common/ws.h.  It blocks, so it runs on a session
 * thread, never on the UI thread, and it never touches the client's I/O
 * thread state (credentials are resolved again per connection).
 *
 * Sessions (ws_session.c) own one such connection and one thread:
 *   exec / attach: v5.channel.k8s.io (v4.channel.k8s.io offered second);
 *     channels 0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize, 255 close;
 *   port-forward: v4.channel.k8s.io with ?ports=P, channel 0 data and 1
 *     error, each starting with the port as 2 little-endian bytes (the
 *     kubelet's WebSocket port-forward protocol, proxied as is by every
 *     kube-apiserver).
 */
#ifndef KDECK_CLIENT_STREAM_H
#define KDECK_CLIENT_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"
#include "common/err.h"
#include "common/ws.h"

/* ------------------------------------------------ upgrade handshake */

/* Largest response head accepted (status line + headers). */
#define WS_HEAD_MAX 16384

struct ws_head {
	int status;		/* 101, 403 ... */
	size_t head_len;	/* bytes up to and including the blank line */
	long content_length;	/* -1 when absent */
	bool chunked;		/* Transfer-Encoding: chunked */
	bool upgrade_ws;	/* Upgrade: websocket */
	bool connection_upgrade;	/* Connection: ... upgrade ... */
	char accept[64];	/* Sec-WebSocket-Accept */
	char protocol[64];	/* Sec-WebSocket-Protocol */
};

/*
 * Parse an HTTP/1.1 response head from the first len bytes received.
 * Returns 1 when the head is complete (*h filled, h->head_len says where
 * the body starts), 0 when more bytes are needed, -1 with ERR_PARSE on a
 * malformed head or ERR_TOO_LARGE past WS_HEAD_MAX.  Pure; thread safe.
 */
int ws_head_parse(const char *buf, size_t len, struct ws_head *h,
		  struct err *e);

/*
 * Decide on a complete head: 0 when it is a valid 101 for key (the
 * Sec-WebSocket-Accept matches) naming one of protocols (NULL-terminated;
 * *chosen gets its index).  Otherwise -1: for a non-101 status e comes
 * from the body (a Kubernetes Status, body/body_len may be empty), else
 * ERR_UNAVAILABLE naming what was wrong.
 */
int ws_head_check(const struct ws_head *h, const char *key,
		  const char *const *protocols, const char *body,
		  size_t body_len, int *chosen, struct err *e);

/* ------------------------------------------------ connection */

struct client_ws;

/*
 * Open a WebSocket to path (with its query) on c's server, offering
 * protocols (NULL-terminated, in order of preference).  Blocking (10 s
 * connect timeout); callable from any thread while c lives.  On success
 * *out is set; free with client_ws_free.  Errors: the Kubernetes Status
 * of a non-101 answer (ERR_FORBIDDEN, ERR_NOT_FOUND, ERR_BAD_REQUEST ...)
 * or ERR_UNAVAILABLE for transport and handshake failures.
 */
int client_ws_open(struct client *c, const char *path,
		   const char *const *protocols, struct client_ws **out,
		   struct err *e);
/*
 * Make every client_ws_open of c that is still connecting or waiting
 * for the upgrade answer (on any thread) give up within about 200 ms
 * with ERR_UNAVAILABLE ("abandoned"), and every later one fail at once:
 * for an owner about to free c that must not wait for a silent server.
 * Any thread.
 */
void client_ws_abandon(struct client *c);
/* The framed connection (borrowed; see common/ws.h for its threads). */
struct ws *client_ws_ws(struct client_ws *w);
/* The protocol the server chose (one of those offered). */
const char *client_ws_protocol(const struct client_ws *w);
/* Close (sends a close frame when still open) and free.  NULL is fine. */
void client_ws_free(struct client_ws *w);

/* ------------------------------------------------ exec and attach */

#define KEXEC_STDIN 0
#define KEXEC_STDOUT 1
#define KEXEC_STDERR 2
#define KEXEC_STATUS 3
#define KEXEC_RESIZE 4
#define KEXEC_CLOSE 255

/*
 * Exit status from the status channel's v1.Status: 0 for Success, the
 * ExitCode cause of a NonZeroExitCode failure, else -1 with e set from
 * the Status (e.g. the container is not running).  Pure.
 */
int kexec_status_exit(const char *json, size_t len, int *code,
		      struct err *e);

/* The exec query path: /api/v1/namespaces/NS/pods/P/exec?command=..&...
 * (attach: .../attach?...; command ignored).  Caller frees. */
char *kexec_path(const char *ns, const char *pod, const char *container,
		 const char *const *command, bool attach, bool stdin_on,
		 bool tty);

struct kexec;

struct kexec_opts {
	const char *ns, *pod;
	const char *container;		/* NULL: the server's default */
	const char *const *command;	/* NULL-terminated; exec only */
	bool attach;			/* pods/attach instead of exec */
	bool stdin_on, tty;
	/* Output (chan KEXEC_STDOUT / KEXEC_STDERR), on the session thread. */
	void (*on_output)(int chan, const void *data, size_t len, void *arg);
	/*
	 * Once, on the session thread, when the session ends: code is the
	 * process's exit status, or -1 with e saying why it could not run
	 * (no WebSocket, forbidden, not running, connection lost).
	 */
	void (*on_end)(int code, const struct err *e, void *arg);
	void *arg;
};

/*
 * Start a session thread that connects and pumps output to the
 * callbacks.  Returns at once (connection errors go to on_end); never
 * fails except on out-of-memory or thread creation (-1 with e).
 */
int kexec_start(struct client *c, const struct kexec_opts *o,
		struct kexec **out, struct err *e);
/*
 * Send stdin bytes (len 0: close stdin, v5 only).  Blocks until the
 * session is connected.  Any thread.  -1 with e when the session failed.
 */
int kexec_write(struct kexec *x, const void *data, size_t len,
		struct err *e);
/* Send the terminal size (tty sessions).  Any thread. */
int kexec_resize(struct kexec *x, int cols, int rows, struct err *e);
/* Is the connection up (and not ended)?  Never blocks. */
bool kexec_open(struct kexec *x);
/* Has on_end run? */
bool kexec_done(struct kexec *x);
/* Stop (closing the connection), join the thread, free.  on_end has run
 * when this returns (possibly from here).  NULL is fine. */
void kexec_free(struct kexec *x);

/* ------------------------------------------------ port-forward */

/*
 * The port prefix of a port-forward channel: the first message on each
 * channel starts with the port, 2 bytes little-endian.  Feed every
 * message of one channel through this: returns the payload after the
 * prefix (*skip bytes to drop, 0 or 2), or -1 with ERR_PARSE when the
 * first message is shorter than 2 bytes or names another port.
 */
struct kpf_chan {
	bool seen;
};
int kpf_chan_strip(struct kpf_chan *st, uint16_t port, const uint8_t *data,
		   size_t len, size_t *skip, struct err *e);

/* "L:R", ":R" (any free local port: 0) or "R" (L = R); -1 when not
 * ports (1-65535; local may be 0). */
int kpf_parse_spec(const char *s, int *local, int *remote);

struct kpf;

/*
 * Forward local TCP listener addr:local_port (local_port 0: any; see
 * kpf_local_port) to the pod's remote_port: one WebSocket per accepted
 * connection, each on its own thread.  Binding happens here (errors
 * returned); the accept loop runs on a thread.  on_error (may be NULL)
 * reports per-connection failures on those threads.
 */
struct kpf_opts {
	const char *ns, *pod;
	const char *address;	/* NULL: 127.0.0.1 */
	int local_port, remote_port;
	void (*on_error)(const struct err *e, void *arg);
	void *arg;
};
int kpf_start(struct client *c, const struct kpf_opts *o, struct kpf **out,
	      struct err *e);
int kpf_local_port(const struct kpf *f);
int kpf_remote_port(const struct kpf *f);
/* Connections currently open / ever accepted. */
unsigned kpf_active(struct kpf *f);
unsigned kpf_total(struct kpf *f);
/* Stop listening, close every connection, join, free.  NULL is fine. */
void kpf_free(struct kpf *f);

#endif
