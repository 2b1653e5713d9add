/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ssh.h: SSH tunnels for the client (see ssh.c for the design).
 */
#ifndef KDECK_CLIENT_SSH_H
#define KDECK_CLIENT_SSH_H

#include "client/client.h"

struct ssh_tunnel;

struct ssh_callbacks {
	client_hostkey_cb hostkey;	/* NULL: unknown hosts refused */
	client_passphrase_cb passphrase;	/* NULL: encrypted keys fail */
	void *arg;
};

struct ssh_tunnel_opts {
	const char *dest;	/* user@host[:port] */
	const char *jump;	/* "user@j1[:port][,user@j2...]" as ssh -J, or NULL */
	const char *identity;	/* key file, or NULL for the defaults */
	const char *target_host;	/* the API server as seen from the bastion */
	int target_port;
	struct ssh_callbacks cb;
};

/*
 * Connect, verify the host key, authenticate, listen on 127.0.0.1:0 and
 * start forwarding.  Callbacks run on the calling thread during this call
 * and on the tunnel thread on reconnects.  *out set on success.
 */
int ssh_tunnel_start(const struct ssh_tunnel_opts *o, struct ssh_tunnel **out,
		     struct err *e);
/*
 * Connect like ssh_tunnel_start (dest, jump, identity, callbacks; the
 * target is unused) and read the first of paths (NULL-terminated; relative
 * paths are under the remote home) that exists over SFTP into out; *which
 * names it.  ERR_NOT_FOUND when none does.  At most SSH_FETCH_MAX bytes.
 */
#define SSH_FETCH_MAX (4u << 20)
int ssh_fetch(const struct ssh_tunnel_opts *o, const char *const *paths,
	      struct buf *out, const char **which, struct err *e);

/* The local port to connect to. */
int ssh_tunnel_port(const struct ssh_tunnel *t);
/* Stop the thread, close everything, free.  NULL is a no-op. */
void ssh_tunnel_stop(struct ssh_tunnel *t);

#endif
