/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_tls: the TLS front end alone, with an echo server in place of
 * libmicrohttpd.  A GnuTLS client with and without the admin certificate
 * (the certificate is found by the handed-off socket), 8 MB echoed both
 * ways at once byte for byte, garbage and a silent client closed or
 * timed out, the connection count back to 0, and nothing accepted after
 * quiesce.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "cluster/pki.h"
#include "cluster/server.h"
#include "cluster/server_tls.h"
#include "common/mem.h"
#include "tests/tap.h"

#define BULK (8u * 1024 * 1024)

static struct server_tls *front;
static const struct pki *the_pki;
static char seen_cn[128];
static int seen_cert = -1;
static int seen_family = -1;

static void *echo_main(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char b[32768];
	ssize_t n;

	while ((n = read(fd, b, sizeof(b))) > 0)
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(fd, b + off, (size_t)(n - off));

			if (w <= 0)
				goto out;
			off += w;
		}
out:
	close(fd);
	return NULL;
}

/* The hand-off: note the client's certificate, then echo on a thread. */
static int hand(void *arg, int fd)
{
	void *der = NULL;
	size_t len = 0;
	pthread_t t;
	struct sockaddr_storage ss;

	(void)arg;
	seen_family = server_tls_peer_addr(front, fd, &ss) ? ss.ss_family : -1;
	seen_cert = server_tls_peer_cert(front, fd, &der, &len);
	seen_cn[0] = 0;
	if (seen_cert) {
		char *cn = NULL, **orgs = NULL;
		struct err e;

		if (pki_verify_client(the_pki, der, len, &cn, &orgs, &e) == 0) {
			snprintf(seen_cn, sizeof(seen_cn), "%s", cn);
			free(cn);
			for (size_t i = 0; orgs && orgs[i]; i++)
				free(orgs[i]);
			free(orgs);
		}
		free(der);
	}
	if (pthread_create(&t, NULL, echo_main, (void *)(intptr_t)fd) != 0) {
		close(fd);
		return -1;
	}
	pthread_detach(t);
	return 0;
}

static int tcp_connect(int port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

struct client {
	int fd;
	gnutls_session_t ses;
	gnutls_certificate_credentials_t cred;
};

static int client_open(struct client *c, int port, bool with_cert)
{
	gnutls_datum_t ca = {(unsigned char *)the_pki->ca_cert,
			     (unsigned)strlen(the_pki->ca_cert)};
	gnutls_datum_t crt = {(unsigned char *)the_pki->admin_cert,
			      (unsigned)strlen(the_pki->admin_cert)};
	gnutls_datum_t key = {(unsigned char *)the_pki->admin_key,
			      (unsigned)strlen(the_pki->admin_key)};
	int rc;

	c->fd = tcp_connect(port);
	if (c->fd < 0)
		return -1;
	gnutls_certificate_allocate_credentials(&c->cred);
	gnutls_certificate_set_x509_trust_mem(c->cred, &ca,
					      GNUTLS_X509_FMT_PEM);
	if (with_cert)
		gnutls_certificate_set_x509_key_mem(c->cred, &crt, &key,
						    GNUTLS_X509_FMT_PEM);
	gnutls_init(&c->ses, GNUTLS_CLIENT);
	gnutls_set_default_priority(c->ses);
	gnutls_credentials_set(c->ses, GNUTLS_CRD_CERTIFICATE, c->cred);
	gnutls_transport_set_int(c->ses, c->fd);
	do {
		rc = gnutls_handshake(c->ses);
	} while (rc < 0 && !gnutls_error_is_fatal(rc));
	return rc < 0 ? -1 : 0;
}

static void client_close(struct client *c)
{
	gnutls_bye(c->ses, GNUTLS_SHUT_RDWR);
	gnutls_deinit(c->ses);
	gnutls_certificate_free_credentials(c->cred);
	close(c->fd);
}

static unsigned char pattern(size_t i)
{
	return (unsigned char)((i * 2654435761u) >> 13);
}

static void *bulk_writer(void *arg)
{
	struct client *c = arg;
	unsigned char b[20000];

	for (size_t off = 0; off < BULK;) {
		size_t n = BULK - off < sizeof(b) ? BULK - off : sizeof(b);
		ssize_t sent;

		for (size_t i = 0; i < n; i++)
			b[i] = pattern(off + i);
		/* at most one record (16 kB) a call */
		sent = gnutls_record_send(c->ses, b, n);
		if (sent <= 0)
			break;
		off += (size_t)sent;
	}
	return NULL;
}

/* 8 MB sent and read back at once; the count of bytes that matched. */
static size_t bulk_echo(struct client *c)
{
	unsigned char b[16384];
	size_t got = 0;
	pthread_t w;

	pthread_create(&w, NULL, bulk_writer, c);
	while (got < BULK) {
		ssize_t n = gnutls_record_recv(c->ses, b, sizeof(b));

		if (n <= 0) {
			diag(gnutls_strerror((int)n));
			break;
		}
		for (ssize_t i = 0; i < n; i++)
			if (b[i] != pattern(got + (size_t)i)) {
				diag("the bytes differ");
				goto out;
			}
		got += (size_t)n;
	}
out:
	pthread_join(w, NULL);
	return got;
}

/* Does the server close fd within ms (after an optional payload)? */
static bool closed_within(int fd, const void *data, size_t len, int ms)
{
	struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000};
	char b[4096];
	ssize_t n;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (len && write(fd, data, len) < 0)
		return true;
	while ((n = read(fd, b, sizeof(b))) > 0)
		;
	return n == 0 || (n < 0 && errno == ECONNRESET);
}

static bool conns_back_to(long want)
{
	for (int i = 0; i < 300; i++) {
		if (server_tls_conns(front) == want)
			return true;
		usleep(10 * 1000);
	}
	return false;
}

int main(void)
{
	char tmpl[] = "/tmp/kdeck-test-tls.XXXXXX";
	static const char garbage[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	struct pki *p = NULL;
	struct client c;
	struct err e;
	int fd, port, silent;

	err_clear(&e);
	if (!mkdtemp(tmpl) || pki_ensure(tmpl, NULL, &p, &e) < 0 ||
	    server_listen("127.0.0.1", 0, false, &fd, &port, &e) < 0) {
		ok(0, "setup: %s", e.msg);
		return tap_done();
	}
	the_pki = p;
	ok(server_tls_start(fd, p, 16, hand, NULL, &front, &e) == 0,
	   "starts: %s", e.msg);

	ok(client_open(&c, port, true) == 0, "handshake with the admin cert");
	usleep(100 * 1000); /* the hand-off follows the client's Finished */
	is_int(seen_cert, 1, "the certificate is found by the socket");
	is_str(seen_cn, "kubernetes-admin", "and verifies against the CA");
	is_int(seen_family, AF_INET, "the client's address is found too");
	is_int((long long)bulk_echo(&c), BULK, "8 MB echoed both ways intact");
	client_close(&c);

	ok(client_open(&c, port, false) == 0, "handshake without a cert");
	usleep(100 * 1000);
	is_int(seen_cert, 0, "no certificate then");
	client_close(&c);

	fd = tcp_connect(port);
	ok(closed_within(fd, garbage, sizeof(garbage) - 1, 5000),
	   "plain HTTP on the TLS port is closed");
	close(fd);
	silent = tcp_connect(port);
	ok(closed_within(silent, NULL, 0, SERVER_TLS_HANDSHAKE_MS + 3000),
	   "a silent client is cut at the handshake deadline");
	close(silent);
	ok(conns_back_to(0), "no connection left");

	server_tls_quiesce(front);
	fd = tcp_connect(port);
	ok(fd < 0 || closed_within(fd, NULL, 0, 3000),
	   "nothing is accepted after quiesce");
	if (fd >= 0)
		close(fd);
	server_tls_free(front);
	pki_free(p);
	return tap_done();
}
