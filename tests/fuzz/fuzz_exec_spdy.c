/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_exec_spdy: arbitrary bytes as what a client sends on an exec
 * session's SPDY/3.1 connection (the first byte picks tty and the
 * protocol version), read through the exec transport as the receiver
 * thread reads it (streams, stdin and its end, resize lines, PING,
 * GOAWAY), then finished with a Status.  Must never crash, leak or loop.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cluster/api_exec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const versions[] = {
	"v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct node_stdio_req r = { .in = true, .out = true, .err = true };
	struct exec_tport t;
	struct exec_msg m;
	int sv[2], rc, guard = 0;
	int big = 1 << 20;

	if (size < 1 || size > 65536 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 0;
	/* Room for every reply: the test never reads them. */
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	shutdown(sv[1], SHUT_WR);	/* the input ends after data */
	r.tty = data[0] & 1;
	exec_tport_spdy(&t, sv[0], (const char *)data + 1, size - 1,
			versions[(data[0] >> 1) & 3], &r);
	while ((rc = t.recv(t.ctx, 0, &m)) == 1 || (rc == -2 && ++guard < 4096)) {
		if (rc == 1)
			free(m.data);
	}
	t.send(t.ctx, EXEC_CH_STDOUT, "out", 3);
	t.finish(t.ctx, "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"m\"}");
	t.free(t.ctx);
	close(sv[0]);
	close(sv[1]);
	return 0;
}
