/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dial: rt_dial, a TCP connection to localhost inside a pod (kubectl
 * port-forward).  A socket belongs to the network namespace it was
 * created in, so a short-lived thread joins the sandbox's namespace
 * (setns affects only the calling thread), creates and connects the
 * socket and ends; the connected socket keeps working from any thread.
 * hostNetwork pods (no namespace of their own) dial from here.
 * Rootless clusters need no extra step: the daemon itself runs in the
 * user namespace that owns every pod's network namespace (userns.c), so
 * joining the network namespace alone is allowed.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cluster/runtime/rt_int.h"
#include "common/mem.h"

struct dial_job {
	const char *netns;	/* NULL: this namespace */
	int port;
	int fd;			/* result, -1 on failure */
	int err;		/* errno of the failure */
	bool in_ns;		/* the failure came after joining */
};

static void dial_here(struct dial_job *j)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)j->port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0) {
		j->err = errno;
		return;
	}
	while (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		if (errno == EINTR)
			continue;
		j->err = errno;
		close(s);
		return;
	}
	j->fd = s;
}

static void *dial_thread(void *arg)
{
	struct dial_job *j = arg;
	int ns = open(j->netns, O_RDONLY | O_CLOEXEC);

	if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) {
		j->err = errno;
		if (ns >= 0)
			close(ns);
		return NULL;
	}
	close(ns);
	j->in_ns = true;
	dial_here(j);
	return NULL;
}

int rt_dial(struct rt *r, const char *uid, int port, int *fd_out,
	    struct err *e)
{
	struct dial_job j = { NULL, port, -1, 0, false };
	struct rt_bundle_ns ns;
	pthread_t t;
	int rc;

	if (port <= 0 || port > 65535)
		return err_set(e, ERR_BAD_REQUEST, "invalid port %d", port);
	if (rt_sandbox_ns(r, uid, &ns, e) < 0)
		return -1;
	j.netns = ns.net;
	if (!j.netns) {
		j.in_ns = true;
		dial_here(&j);
	} else if ((rc = pthread_create(&t, NULL, dial_thread, &j)) != 0) {
		j.err = rc;
	} else {
		pthread_join(t, NULL);
	}
	rt_bundle_ns_done(&ns);
	if (j.fd < 0 && !j.in_ns)
		return err_set(e, ERR_INTERNAL, "failed to enter the network "
			       "namespace of pod %s: %s", uid, strerror(j.err));
	if (j.fd < 0)
		return err_set(e, ERR_INTERNAL, "failed to connect to localhost:"
			       "%d inside namespace \"%s\", IPv4: dial tcp4 "
			       "127.0.0.1:%d: connect: %s IPv6 dial tcp6: "
			       "address localhost: no suitable address found ",
			       port, uid, port,
			       j.err == ECONNREFUSED ? "connection refused"
						     : strerror(j.err));
	*fd_out = j.fd;
	return 0;
}
