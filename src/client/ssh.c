/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ssh: an SSH tunnel to the API server through a bastion (libssh2).
 *
 * ssh_tunnel_start connects and authenticates synchronously (so errors
 * reach the caller), then a tunnel thread owns the session: it accepts
 * connections on a listener bound to 127.0.0.1:<random> and forwards
 * each over its own direct-tcpip channel to the API server's host:port.
 * curl is pointed at the listener with CURLOPT_CONNECT_TO while the URL
 * keeps the real server name, so TLS still verifies the real server.
 *
 * Host keys are checked against ~/.ssh/known_hosts: a mismatch is always
 * refused; an unknown host is only trusted when the hostkey callback says
 * so (the key is then appended to known_hosts).  Authentication: every
 * ssh-agent identity, then the identity file (the kubeconfig's
 * identityFile, else ~/.ssh/id_ed25519, id_ecdsa, id_rsa), asking the
 * passphrase callback for encrypted keys.  Keepalives every 30 s; when
 * the session dies the next local connection reconnects.  Jump hosts
 * (`jump: user@j1[:port][,user@j2...]`, as ssh -J) nest tunnels: the
 * tunnel to the destination connects to the local port of a tunnel
 * through the last jump host, whose target is the destination's SSH
 * port (and so on down the list); every hop verifies its own host key
 * against known_hosts under its own name.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <libssh2.h>
#include <libssh2_sftp.h>

#include "client/ssh.h"
#include "common/mem.h"

#define SSH_MAX_CONNS 16
#define SSH_BUF 32768

struct ssh_conn {
	int fd;
	LIBSSH2_CHANNEL *ch;
	char out[SSH_BUF];	/* local -> channel, not yet written */
	size_t out_len;
};

struct ssh_tunnel {
	char *user, *host, *identity, *target_host;
	int port, target_port;
	struct ssh_callbacks cb;
	int sock;
	LIBSSH2_SESSION *sess;
	int listen_fd;
	int local_port;
	int stop_pipe[2];
	pthread_t thread;
	bool started;
	struct ssh_conn conns[SSH_MAX_CONNS];
	size_t nconns;
	struct ssh_tunnel *via;	/* jump host tunnel to host:port, or NULL */
};

static pthread_once_t ssh_once = PTHREAD_ONCE_INIT;

static void ssh_global_init(void)
{
	libssh2_init(0);
}

/* "user@host[:port]" */
static int ssh_parse_dest(const char *s, char **user, char **host, int *port,
			  struct err *e)
{
	const char *at = strchr(s, '@'), *h = at ? at + 1 : s;
	const char *colon = strrchr(h, ':');

	if (!at || at == s || !*h || colon == h)
		return err_set(e, ERR_INVALID, "ssh: \"%s\": want user@host"
			       "[:port]", s);
	*port = colon ? atoi(colon + 1) : 22;
	if (*port <= 0 || *port > 65535)
		return err_set(e, ERR_INVALID, "ssh: \"%s\": bad port", s);
	*user = xstrndup(s, (size_t)(at - s));
	*host = colon ? xstrndup(h, (size_t)(colon - h)) : xstrdup(h);
	return 0;
}

static int ssh_tcp_connect(const char *host, int port, struct err *e)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	char p[16];
	int fd = -1, rc;

	snprintf(p, sizeof(p), "%d", port);
	rc = getaddrinfo(host, p, &hints, &res);
	if (rc)
		return err_set(e, ERR_UNAVAILABLE, "ssh: %s: %s", host,
			       gai_strerror(rc));
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			rc = errno;
			close(fd);
			fd = -1;
			errno = rc;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		return err_set(e, ERR_UNAVAILABLE, "ssh: connect %s:%d: %s",
			       host, port, strerror(errno));
	return fd;
}

static char *ssh_fingerprint(LIBSSH2_SESSION *s)
{
	const char *h = libssh2_hostkey_hash(s, LIBSSH2_HOSTKEY_HASH_SHA256);
	gnutls_datum_t in = { (unsigned char *)(uintptr_t)h, 32 }, out = { 0 };
	char *fp;

	if (!h || gnutls_base64_encode2(&in, &out) < 0)
		return xstrdup("SHA256:?");
	fp = xasprintf("SHA256:%.*s", (int)out.size, (char *)out.data);
	gnutls_free(out.data);
	for (char *p = fp + strlen(fp); p > fp && p[-1] == '='; )
		*--p = '\0';
	return fp;
}

static int ssh_key_type_bits(int type)
{
	static const struct { int t, bits; } map[] = {
		{ LIBSSH2_HOSTKEY_TYPE_RSA, LIBSSH2_KNOWNHOST_KEY_SSHRSA },
		{ LIBSSH2_HOSTKEY_TYPE_DSS, LIBSSH2_KNOWNHOST_KEY_SSHDSS },
		{ LIBSSH2_HOSTKEY_TYPE_ECDSA_256, LIBSSH2_KNOWNHOST_KEY_ECDSA_256 },
		{ LIBSSH2_HOSTKEY_TYPE_ECDSA_384, LIBSSH2_KNOWNHOST_KEY_ECDSA_384 },
		{ LIBSSH2_HOSTKEY_TYPE_ECDSA_521, LIBSSH2_KNOWNHOST_KEY_ECDSA_521 },
		{ LIBSSH2_HOSTKEY_TYPE_ED25519, LIBSSH2_KNOWNHOST_KEY_ED25519 },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].t == type)
			return map[i].bits;
	return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
}

/* known_hosts: match -> 0; mismatch -> refuse; unknown -> ask. */
static int ssh_check_host(struct ssh_tunnel *t, struct err *e)
{
	const char *home = getenv("HOME");
	char *path = xasprintf("%s/.ssh/known_hosts", home ? home : "");
	LIBSSH2_KNOWNHOSTS *kh = libssh2_knownhost_init(t->sess);
	size_t len = 0;
	int type = 0, rc = -1, chk, bits;
	const char *key = libssh2_session_hostkey(t->sess, &len, &type);
	char *fp = ssh_fingerprint(t->sess);

	if (!kh || !key) {
		err_set(e, ERR_UNAVAILABLE, "ssh: %s: no host key", t->host);
		goto out;
	}
	libssh2_knownhost_readfile(kh, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH);
	bits = LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW |
	       ssh_key_type_bits(type);
	chk = libssh2_knownhost_checkp(kh, t->host, t->port, key, len, bits,
				       NULL);
	if (chk == LIBSSH2_KNOWNHOST_CHECK_MATCH) {
		rc = 0;
	} else if (chk == LIBSSH2_KNOWNHOST_CHECK_MISMATCH) {
		err_set(e, ERR_FORBIDDEN, "ssh: host key for %s:%d does not "
			"match %s (got %s): refusing to connect (possible "
			"man-in-the-middle; fix known_hosts)", t->host, t->port,
			path, fp);
	} else if (t->cb.hostkey && t->cb.hostkey(t->host, fp, t->cb.arg)) {
		char *name = t->port == 22 ? xstrdup(t->host) :
			     xasprintf("[%s]:%d", t->host, t->port);
		libssh2_knownhost_addc(kh, name, NULL, key, len, NULL, 0,
				       bits, NULL);
		libssh2_knownhost_writefile(kh, path,
					    LIBSSH2_KNOWNHOST_FILE_OPENSSH);
		free(name);
		rc = 0;
	} else {
		err_set(e, ERR_FORBIDDEN, "ssh: host %s:%d is not in %s "
			"(key %s) and was not confirmed: refusing to connect",
			t->host, t->port, path, fp);
	}
out:
	if (kh)
		libssh2_knownhost_free(kh);
	free(fp);
	free(path);
	return rc;
}

static int ssh_auth_agent(struct ssh_tunnel *t)
{
	LIBSSH2_AGENT *ag;
	struct libssh2_agent_publickey *id = NULL, *prev = NULL;
	int ok = -1;

	if (!getenv("SSH_AUTH_SOCK") || !(ag = libssh2_agent_init(t->sess)))
		return -1;
	if (libssh2_agent_connect(ag) == 0 &&
	    libssh2_agent_list_identities(ag) == 0) {
		while (ok < 0 && libssh2_agent_get_identity(ag, &id, prev) == 0) {
			if (libssh2_agent_userauth(ag, t->user, id) == 0)
				ok = 0;
			prev = id;
		}
		libssh2_agent_disconnect(ag);
	}
	libssh2_agent_free(ag);
	return ok;
}

/* 0: authenticated with the key at path; -1: not (*bad_pass set when a
 * passphrase was typed and did not decrypt the key). */
static int ssh_auth_file(struct ssh_tunnel *t, const char *path,
			 bool *bad_pass)
{
	char pass[256] = "";

	if (access(path, R_OK) < 0)
		return -1;
	if (libssh2_userauth_publickey_fromfile(t->sess, t->user, NULL, path,
						NULL) == 0)
		return 0;
	/* Perhaps encrypted: ask once. */
	if (!t->cb.passphrase || t->cb.passphrase(path, pass, sizeof(pass),
						  t->cb.arg) < 0)
		return -1;
	int rc = libssh2_userauth_publickey_fromfile(t->sess, t->user, NULL,
						     path, pass);
	explicit_bzero(pass, sizeof(pass));
	/* the key did not decrypt (PEM keys: FILE; OpenSSH format keys:
	 * KEYFILE_AUTH_FAILED) */
	if (rc == LIBSSH2_ERROR_FILE || rc == LIBSSH2_ERROR_KEYFILE_AUTH_FAILED)
		*bad_pass = true;
	return rc == 0 ? 0 : -1;
}

static int ssh_auth_fail(struct ssh_tunnel *t, const char *path,
			 bool bad_pass, struct err *e)
{
	if (bad_pass)
		return err_set(e, ERR_UNAUTHORIZED, "ssh: %s@%s: incorrect "
			       "passphrase supplied to decrypt private key %s",
			       t->user, t->host, path);
	return err_set(e, ERR_UNAUTHORIZED, "ssh: %s@%s: key %s was not "
		       "accepted", t->user, t->host, path);
}

static int ssh_auth(struct ssh_tunnel *t, struct err *e)
{
	static const char *const defaults[] = { "id_ed25519", "id_ecdsa",
						"id_rsa" };
	const char *home = getenv("HOME");
	bool bad_pass = false;

	if (ssh_auth_agent(t) == 0)
		return 0;
	if (t->identity)
		return ssh_auth_file(t, t->identity, &bad_pass) == 0 ? 0 :
		       ssh_auth_fail(t, t->identity, bad_pass, e);
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		char *p = xasprintf("%s/.ssh/%s", home ? home : "", defaults[i]);
		int rc = ssh_auth_file(t, p, &bad_pass);
		if (rc < 0 && bad_pass) {
			ssh_auth_fail(t, p, true, e);
			free(p);
			return -1;
		}
		free(p);
		if (rc == 0)
			return 0;
	}
	return err_set(e, ERR_UNAUTHORIZED, "ssh: %s@%s: no accepted key "
		       "(ssh-agent or ~/.ssh/id_*)", t->user, t->host);
}

static void ssh_wait_socket(struct ssh_tunnel *t);

/* Tear the session down without waiting for the peer: send DISCONNECT,
 * shut the socket so libssh2's blocking close loops see EOF at once, then
 * free the session (which frees every channel still in its list). */
static void ssh_disconnect(struct ssh_tunnel *t)
{
	for (size_t i = 0; i < t->nconns; i++)
		close(t->conns[i].fd);
	t->nconns = 0;
	if (t->sess) {
		libssh2_session_set_blocking(t->sess, 1);
		libssh2_session_disconnect(t->sess, "bye");
		if (t->sock >= 0)
			shutdown(t->sock, SHUT_RDWR);
		libssh2_session_free(t->sess);
		t->sess = NULL;
	}
	if (t->sock >= 0)
		close(t->sock);
	t->sock = -1;
}

/* Free a channel; if the peer is slow to confirm the close, leave it to
 * libssh2_session_free (the session keeps it listed). */
static void ssh_chan_free(struct ssh_tunnel *t, LIBSSH2_CHANNEL *ch)
{
	for (int i = 0; i < 25 && libssh2_channel_free(ch) ==
	     LIBSSH2_ERROR_EAGAIN; i++)
		ssh_wait_socket(t);
}

static int ssh_connect(struct ssh_tunnel *t, struct err *e)
{
	t->sock = t->via ? ssh_tcp_connect("127.0.0.1", t->via->local_port, e)
			 : ssh_tcp_connect(t->host, t->port, e);
	if (t->sock < 0)
		return -1;
	t->sess = libssh2_session_init();
	if (!t->sess)
		mem_oom();
	libssh2_session_set_blocking(t->sess, 1);
	if (libssh2_session_handshake(t->sess, t->sock)) {
		char *m = NULL;
		libssh2_session_last_error(t->sess, &m, NULL, 0);
		err_set(e, ERR_UNAVAILABLE, "ssh: handshake with %s:%d: %s",
			t->host, t->port, m ? m : "failed");
		goto fail;
	}
	if (ssh_check_host(t, e) < 0 || ssh_auth(t, e) < 0)
		goto fail;
	libssh2_keepalive_config(t->sess, 1, 30);
	libssh2_session_set_blocking(t->sess, 0);
	return 0;
fail:
	ssh_disconnect(t);
	return -1;
}

/* Wait until the session socket is ready in the direction libssh2 wants. */
static void ssh_wait_socket(struct ssh_tunnel *t)
{
	int dir = libssh2_session_block_directions(t->sess);
	struct pollfd p = { .fd = t->sock };

	if (dir & LIBSSH2_SESSION_BLOCK_INBOUND)
		p.events |= POLLIN;
	if (dir & LIBSSH2_SESSION_BLOCK_OUTBOUND)
		p.events |= POLLOUT;
	poll(&p, 1, 200);
}

static LIBSSH2_CHANNEL *ssh_open_channel(struct ssh_tunnel *t)
{
	LIBSSH2_CHANNEL *ch;

	while (!(ch = libssh2_channel_direct_tcpip_ex(t->sess, t->target_host,
						      t->target_port,
						      "127.0.0.1", 0)) &&
	       libssh2_session_last_errno(t->sess) == LIBSSH2_ERROR_EAGAIN)
		ssh_wait_socket(t);
	return ch;
}

static void ssh_accept(struct ssh_tunnel *t)
{
	int fd = accept4(t->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	LIBSSH2_CHANNEL *ch = NULL;
	struct err e = { 0 };

	if (fd < 0)
		return;
	for (int attempt = 0; attempt < 2 && !ch; attempt++) {
		if (!t->sess && ssh_connect(t, &e) < 0)
			break;	/* reconnect failed: drop this connection */
		ch = ssh_open_channel(t);
		if (!ch)	/* the session may have died: reconnect once */
			ssh_disconnect(t);
	}
	if (!ch || t->nconns == SSH_MAX_CONNS) {
		if (ch)
			ssh_chan_free(t, ch);
		close(fd);
		return;
	}
	t->conns[t->nconns].fd = fd;
	t->conns[t->nconns].ch = ch;
	t->conns[t->nconns].out_len = 0;
	t->nconns++;
}

static void ssh_conn_close(struct ssh_tunnel *t, size_t i)
{
	ssh_chan_free(t, t->conns[i].ch);
	close(t->conns[i].fd);
	t->conns[i] = t->conns[--t->nconns];
}

static int ssh_write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Move bytes both ways for connection i; -1 when it is finished. */
static int ssh_pump_conn(struct ssh_tunnel *t, size_t i, bool readable)
{
	struct ssh_conn *c = &t->conns[i];
	char buf[SSH_BUF];
	ssize_t n;

	if (readable && !c->out_len) {
		n = read(c->fd, c->out, sizeof(c->out));
		if (n <= 0) {
			libssh2_channel_send_eof(c->ch);
			return -1;
		}
		c->out_len = (size_t)n;
	}
	if (c->out_len) {
		n = libssh2_channel_write(c->ch, c->out, c->out_len);
		if (n < 0 && n != LIBSSH2_ERROR_EAGAIN)
			return -1;
		if (n > 0) {
			memmove(c->out, c->out + n, c->out_len - (size_t)n);
			c->out_len -= (size_t)n;
		}
	}
	while ((n = libssh2_channel_read(c->ch, buf, sizeof(buf))) > 0)
		if (ssh_write_all(c->fd, buf, (size_t)n) < 0)
			return -1;
	if (n < 0 && n != LIBSSH2_ERROR_EAGAIN)
		return -1;
	return libssh2_channel_eof(c->ch) ? -1 : 0;
}

static void *ssh_main(void *arg)
{
	struct ssh_tunnel *t = arg;
	struct pollfd p[SSH_MAX_CONNS + 3];
	int next_ka;

	for (;;) {
		bool pending = false;
		size_t np = 3;
		p[0] = (struct pollfd){ .fd = t->stop_pipe[0], .events = POLLIN };
		p[1] = (struct pollfd){ .fd = t->listen_fd, .events = POLLIN };
		p[2] = (struct pollfd){ .fd = t->sess ? t->sock : -1,
					.events = POLLIN };
		for (size_t i = 0; i < t->nconns; i++) {
			pending = pending || t->conns[i].out_len;
			p[np++] = (struct pollfd){ .fd = t->conns[i].fd,
				.events = t->conns[i].out_len ? 0 : POLLIN };
		}
		poll(p, np, pending ? 20 : 1000);
		if (p[0].revents)
			break;
		if (p[2].revents & (POLLHUP | POLLERR))
			ssh_disconnect(t);
		for (size_t i = t->nconns; i-- > 0; )
			if (ssh_pump_conn(t, i, p[3 + i].revents != 0) < 0)
				ssh_conn_close(t, i);
		if (p[1].revents & POLLIN)
			ssh_accept(t);
		if (t->sess)
			libssh2_keepalive_send(t->sess, &next_ka);
	}
	return NULL;
}

static int ssh_listen(struct ssh_tunnel *t, struct err *e)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);

	t->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (t->listen_fd < 0 || bind(t->listen_fd, (void *)&a, sizeof(a)) < 0 ||
	    listen(t->listen_fd, 16) < 0 ||
	    getsockname(t->listen_fd, (void *)&a, &len) < 0)
		return err_set(e, ERR_IO, "ssh: local listener: %s",
			       strerror(errno));
	t->local_port = ntohs(a.sin_port);
	return 0;
}

/*
 * The tunnel to t's SSH port through the jump hosts in jump ("a,b,c":
 * connect to a, from there to b, from there to c, from c to t).
 */
static int ssh_start_via(struct ssh_tunnel *t, const struct ssh_tunnel_opts *o,
			 struct err *e)
{
	char *list = xstrdup(o->jump), *last = strrchr(list, ',');
	struct ssh_tunnel_opts j = *o;
	int rc;

	if (last)
		*last++ = '\0';
	j.dest = last ? last : list;
	j.jump = last ? list : NULL;
	j.target_host = t->host;
	j.target_port = t->port;
	rc = ssh_tunnel_start(&j, &t->via, e);
	if (rc < 0)
		err_wrap(e, "jump host %s", j.dest);
	free(list);
	return rc;
}

int ssh_tunnel_start(const struct ssh_tunnel_opts *o, struct ssh_tunnel **out,
		     struct err *e)
{
	struct ssh_tunnel *t;

	pthread_once(&ssh_once, ssh_global_init);
	t = xcalloc(1, sizeof(*t));
	t->sock = t->listen_fd = t->stop_pipe[0] = t->stop_pipe[1] = -1;
	t->cb = o->cb;
	t->identity = xstrdup(o->identity);
	t->target_host = xstrdup(o->target_host);
	t->target_port = o->target_port;
	if (ssh_parse_dest(o->dest, &t->user, &t->host, &t->port, e) < 0 ||
	    (o->jump && *o->jump && ssh_start_via(t, o, e) < 0) ||
	    ssh_connect(t, e) < 0 || ssh_listen(t, e) < 0)
		goto fail;
	if (pipe2(t->stop_pipe, O_CLOEXEC) < 0 ||
	    pthread_create(&t->thread, NULL, ssh_main, t) != 0) {
		err_set(e, ERR_IO, "ssh: cannot start the tunnel thread");
		goto fail;
	}
	t->started = true;
	*out = t;
	return 0;
fail:
	ssh_tunnel_stop(t);
	return -1;
}

/* Read one remote file over an SFTP session into out; -1 when absent. */
static int ssh_sftp_read(LIBSSH2_SFTP *sftp, const char *path, struct buf *out)
{
	LIBSSH2_SFTP_HANDLE *h = libssh2_sftp_open(sftp, path, LIBSSH2_FXF_READ, 0);
	char chunk[16384];
	ssize_t n;

	if (!h)
		return -1;
	buf_reset(out);
	while ((n = libssh2_sftp_read(h, chunk, sizeof(chunk))) > 0) {
		if (out->len + (size_t)n > SSH_FETCH_MAX) {
			n = -1;
			break;
		}
		buf_add(out, chunk, (size_t)n);
	}
	libssh2_sftp_close(h);
	return n < 0 ? -1 : 0;
}

int ssh_fetch(const struct ssh_tunnel_opts *o, const char *const *paths,
	      struct buf *out, const char **which, struct err *e)
{
	struct ssh_tunnel *t;
	LIBSSH2_SFTP *sftp = NULL;
	int rc = -1;

	pthread_once(&ssh_once, ssh_global_init);
	t = xcalloc(1, sizeof(*t));
	t->sock = t->listen_fd = t->stop_pipe[0] = t->stop_pipe[1] = -1;
	t->cb = o->cb;
	t->identity = xstrdup(o->identity);
	if (ssh_parse_dest(o->dest, &t->user, &t->host, &t->port, e) < 0 ||
	    (o->jump && *o->jump && ssh_start_via(t, o, e) < 0) ||
	    ssh_connect(t, e) < 0)
		goto out;
	libssh2_session_set_blocking(t->sess, 1);
	sftp = libssh2_sftp_init(t->sess);
	if (!sftp) {
		err_set(e, ERR_UNAVAILABLE, "ssh: %s: the server offers no SFTP", t->host);
		goto out;
	}
	for (size_t i = 0; paths[i]; i++)
		if (ssh_sftp_read(sftp, paths[i], out) == 0) {
			*which = paths[i];
			rc = 0;
			goto out;
		}
	err_set(e, ERR_NOT_FOUND, "ssh: %s: no kubeconfig at %s%s", t->host,
		paths[0], paths[1] ? " or the other usual places" : "");
out:
	if (sftp)
		libssh2_sftp_shutdown(sftp);
	ssh_tunnel_stop(t);
	return rc;
}

int ssh_tunnel_port(const struct ssh_tunnel *t)
{
	return t->local_port;
}

void ssh_tunnel_stop(struct ssh_tunnel *t)
{
	if (!t)
		return;
	if (t->started) {
		if (write(t->stop_pipe[1], "x", 1) < 0)
			abort();
		pthread_join(t->thread, NULL);
	}
	ssh_disconnect(t);
	int fds[] = { t->listen_fd, t->stop_pipe[0], t->stop_pipe[1] };
	for (size_t i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	ssh_tunnel_stop(t->via);
	free(t->user);
	free(t->host);
	free(t->identity);
	free(t->target_host);
	free(t);
}
