/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_pki: the cluster PKI is created once and reused, its certificates
 * verify against the CA, the serving cert carries the apiserver's SANs,
 * client certificates map to user and groups, and foreign or garbage
 * certificates are refused.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "cluster/pki.h"
#include "common/mem.h"
#include "tests/tap.h"

static char tmpl[] = "/tmp/kdeck-test-pki.XXXXXX";

/* PEM certificate -> DER bytes (caller frees d->data with gnutls_free). */
static int pem_to_der(const char *pem, gnutls_datum_t *d)
{
	gnutls_datum_t in = {(unsigned char *)pem, (unsigned)strlen(pem)};

	return gnutls_pem_base64_decode2("CERTIFICATE", &in, d);
}

static void check_sans(const struct pki *p)
{
	static const char *const names[] = {
	    "127.0.0.1",
	    "::1",
	    "localhost",
	    "kubernetes",
	    "kubernetes.default",
	    "kubernetes.default.svc",
	    "kubernetes.default.svc.cluster.local",
	    "10.96.0.1",
	    "kdeck.example",
	    NULL,
	};
	gnutls_datum_t d = {(unsigned char *)p->server_cert,
			    (unsigned)strlen(p->server_cert)};
	gnutls_x509_crt_t c;

	gnutls_x509_crt_init(&c);
	ok(gnutls_x509_crt_import(c, &d, GNUTLS_X509_FMT_PEM) == 0,
	   "server cert parses");
	for (size_t i = 0; names[i]; i++)
		ok(gnutls_x509_crt_check_hostname(c, names[i]),
		   "server cert names %s", names[i]);
	ok(!gnutls_x509_crt_check_hostname(c, "evil.example"),
	   "no other names");
	gnutls_x509_crt_deinit(c);
}

static void check_verify(const struct pki *p)
{
	gnutls_datum_t der;
	char *cn = NULL, **orgs = NULL;
	struct err e;

	ok(pem_to_der(p->admin_cert, &der) == 0, "admin cert decodes");
	ok(pki_verify_client(p, der.data, der.size, &cn, &orgs, &e) == 0,
	   "admin cert verifies against the CA");
	is_str(cn, "kubernetes-admin", "admin CN");
	is_str(orgs ? orgs[0] : NULL, "system:masters", "admin O");
	ok(orgs && !orgs[1], "one group");
	free(cn);
	for (size_t i = 0; orgs && orgs[i]; i++)
		free(orgs[i]);
	free(orgs);
	gnutls_free(der.data);
	ok(pki_verify_client(p, "garbage", 7, &cn, &orgs, &e) < 0 &&
	       e.code == ERR_UNAUTHORIZED,
	   "garbage certificate refused");
}

static void check_issue(const struct pki *p, const struct pki *other)
{
	static const char *const groups[] = {"dev", "ops,team", NULL};
	char *crt = NULL, *key = NULL, *cn = NULL, **orgs = NULL;
	gnutls_datum_t der;
	struct err e;

	ok(pki_issue_client(p, "jane", groups, 1, &crt, &key, &e) == 0,
	   "issue client cert");
	pem_to_der(crt, &der);
	ok(pki_verify_client(p, der.data, der.size, &cn, &orgs, &e) == 0,
	   "issued cert verifies");
	is_str(cn, "jane", "issued CN");
	is_str(orgs ? orgs[0] : NULL, "dev", "first group");
	is_str(orgs ? orgs[1] : NULL, "ops,team", "escaped group survives");
	free(cn);
	for (size_t i = 0; orgs && orgs[i]; i++)
		free(orgs[i]);
	free(orgs);
	ok(pki_verify_client(other, der.data, der.size, &cn, &orgs, &e) < 0 &&
	       e.code == ERR_UNAUTHORIZED,
	   "another CA refuses it");
	gnutls_free(der.data);
	free(crt);
	free(key);
}

int main(void)
{
	struct pki *p = NULL, *again = NULL, *other = NULL;
	char *dir = mkdtemp(tmpl), *pdir, *odir, *cmd;
	struct stat st;
	struct err e;

	pdir = xasprintf("%s/pki", dir);
	odir = xasprintf("%s/other", dir);
	ok(pki_ensure(pdir, "kdeck.example", &p, &e) == 0, "create PKI: %s",
	   e.msg);
	ok(pki_ensure(pdir, "kdeck.example", &again, &e) == 0, "reload PKI");
	is_str(again->ca_cert, p->ca_cert, "CA reused");
	is_str(again->server_cert, p->server_cert, "server cert reused");
	is_str(again->admin_token, p->admin_token, "admin token reused");
	is_int((long long)strlen(p->admin_token), 64, "token length");
	cmd = xasprintf("%s/ca.key", pdir);
	ok(stat(cmd, &st) == 0 && (st.st_mode & 0777) == 0600, "keys are 0600");
	free(cmd);
	check_sans(p);
	check_verify(p);
	ok(pki_ensure(odir, NULL, &other, &e) == 0, "second PKI");
	check_issue(p, other);
	pki_free(again);
	ok(pki_ensure(pdir, "10.1.2.3", &again, &e) == 0, "new listen host");
	ok(strcmp(again->server_cert, p->server_cert) != 0,
	   "server cert re-issued for it");
	is_str(again->ca_cert, p->ca_cert, "CA kept");
	ok(pki_ensure("/proc/nonexistent/x", NULL, &other, &e) < 0 &&
	       e.code == ERR_IO,
	   "unwritable dir fails");
	pki_free(p);
	pki_free(again);
	pki_free(other);
	pki_free(NULL);
	cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("cleanup failed");
	free(cmd);
	free(pdir);
	free(odir);
	return tap_done();
}
