/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pki: the embedded cluster's certificates and keys (GnuTLS).
 *
 * At first start pki_ensure() creates, under DIR/pki/:
 *   ca.crt ca.key          self-signed ECDSA P-256 CA (10 years)
 *   server.crt server.key  serving cert signed by the CA, SANs for the
 *                          loopback names, the listen host and the
 *                          in-cluster names of the kubernetes Service
 *   admin.crt admin.key    client cert CN=kubernetes-admin O=system:masters
 *   sa.key sa.pub          RSA 2048 key signing ServiceAccount tokens
 *   admin.token            a random bearer token for the admin
 * and reuses them afterwards (the serving cert is re-issued when the
 * listen host is not among its SANs).  Keys are written with mode 0600.
 * Everything is kept in memory as PEM text.
 */
#ifndef KDECK_CLUSTER_PKI_H
#define KDECK_CLUSTER_PKI_H

#include <stddef.h>
#include <sys/types.h>

#include "common/err.h"

struct pki {
	char *ca_cert, *ca_key; /* PEM */
	char *server_cert, *server_key;
	char *admin_cert, *admin_key;
	char *sa_key, *sa_pub;
	char *admin_token; /* 64 hex characters */
};

/*
 * Load the PKI under dir (created 0700 if missing), creating what is
 * missing.  host is the listen host (an IP or a name) that the serving
 * certificate must name.  *out is the caller's (pki_free).
 */
int pki_ensure(const char *dir, const char *host, struct pki **out,
	       struct err *e);
void pki_free(struct pki *p);

/*
 * Issue a client certificate signed by p's CA for user cn with groups
 * orgs (NULL-terminated, may be NULL), valid for days.  PEM strings are
 * the caller's (free).
 */
int pki_issue_client(const struct pki *p, const char *cn,
		     const char *const *orgs, int days, char **cert_pem,
		     char **key_pem, struct err *e);

/*
 * Verify a DER certificate against p's CA (signature, validity period).
 * On success *cn gets the subject CN and *orgs a NULL-terminated array of
 * the subject O values (both the caller's: free each and the array).
 * ERR_UNAUTHORIZED when the certificate is not trusted.
 */
int pki_verify_client(const struct pki *p, const void *der, size_t len,
		      char **cn, char ***orgs, struct err *e);

/* Read a whole file into a fresh NUL-terminated string (*len may be NULL). */
int pki_read_file(const char *path, char **out, size_t *len, struct err *e);

#endif
