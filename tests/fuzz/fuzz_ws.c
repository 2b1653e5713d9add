/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_ws: arbitrary bytes as what a client sent to a server-side
 * WebSocket endpoint (handed over as the bytes read past the handshake,
 * then end of stream).  Every message is drained and answered; must never
 * crash, hang or leak.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/ws.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ssize_t eof_recv(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return 0;
}

static ssize_t sink_send(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	return (ssize_t)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int null_fd = -1;
	struct ws_io io = { .recv = eof_recv, .send = sink_send };
	struct ws_msg m;
	struct err e;
	struct ws *w;
	int n = 0;

	if (null_fd < 0)
		null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	io.fd = null_fd;
	w = ws_new(&io, true, data, size);
	while (n++ < 10000 && ws_recv(w, 0, &m, &e) == 1) {
		ws_send_channel(w, 1, m.data, m.len, &e);
		free(m.data);
	}
	ws_close(w, 1000, NULL);
	ws_free(w);
	return 0;
}
