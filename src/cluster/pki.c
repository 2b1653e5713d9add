/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pki: certificate authority, serving and client certificates, the
 * ServiceAccount signing key and the admin token (see pki.h).
 *
 * All X.509 work is GnuTLS's; this file only decides names, lifetimes and
 * extensions the way kubeadm does (CA with keyCertSign, serving cert with
 * serverAuth and the apiserver's SANs, client certs with clientAuth), and
 * keeps the files.  Called once at daemon start (single-threaded) and by
 * authn for every client certificate (read-only, any thread).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "cluster/pki.h"
#include "common/buf.h"
#include "common/file.h"
#include "common/mem.h"

#define DAY (24L * 3600L)

/* The serving certificate's fixed names, as kubeadm gives them. */
static const char *const server_dns[] = {
    "localhost",
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
    NULL,
};
static const char *const server_ips[] = {"127.0.0.1", "::1", "10.96.0.1", NULL};

enum cert_kind { CERT_CA, CERT_SERVER, CERT_CLIENT };

int pki_read_file(const char *path, char **out, size_t *len, struct err *e)
{
	FILE *fp = fopen(path, "rbe");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	if (!fp)
		return err_set(e, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO,
			       "%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(fp)) {
		fclose(fp);
		buf_free(&b);
		return err_set(e, ERR_IO, "%s: read error", path);
	}
	fclose(fp);
	if (len)
		*len = b.len;
	*out = buf_take(&b);
	return 0;
}

static int tls_fail(struct err *e, const char *what, int ret)
{
	return err_set(e, ERR_INTERNAL, "%s: %s", what, gnutls_strerror(ret));
}

/* PEM datum -> fresh C string. */
static char *datum_take(gnutls_datum_t *d)
{
	char *s = xstrndup((const char *)d->data, d->size);

	gnutls_free(d->data);
	d->data = NULL;
	return s;
}

static int key_new(gnutls_pk_algorithm_t alg, gnutls_x509_privkey_t *out,
		   struct err *e)
{
	gnutls_x509_privkey_t k;
	unsigned bits = alg == GNUTLS_PK_RSA
			    ? 2048
			    : GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1);
	int ret = gnutls_x509_privkey_init(&k);

	if (ret < 0)
		return tls_fail(e, "key init", ret);
	ret = gnutls_x509_privkey_generate(k, alg, bits, 0);
	if (ret < 0) {
		gnutls_x509_privkey_deinit(k);
		return tls_fail(e, "key generation", ret);
	}
	*out = k;
	return 0;
}

static int key_import(const char *pem, gnutls_x509_privkey_t *out,
		      struct err *e)
{
	gnutls_datum_t d = {(unsigned char *)pem, (unsigned)strlen(pem)};
	gnutls_x509_privkey_t k;
	int ret = gnutls_x509_privkey_init(&k);

	if (ret < 0)
		return tls_fail(e, "key init", ret);
	ret = gnutls_x509_privkey_import(k, &d, GNUTLS_X509_FMT_PEM);
	if (ret < 0) {
		gnutls_x509_privkey_deinit(k);
		return tls_fail(e, "key import", ret);
	}
	*out = k;
	return 0;
}

static int crt_import(const char *pem, gnutls_x509_crt_t *out, struct err *e)
{
	gnutls_datum_t d = {(unsigned char *)pem, (unsigned)strlen(pem)};
	gnutls_x509_crt_t c;
	int ret = gnutls_x509_crt_init(&c);

	if (ret < 0)
		return tls_fail(e, "certificate init", ret);
	ret = gnutls_x509_crt_import(c, &d, GNUTLS_X509_FMT_PEM);
	if (ret < 0) {
		gnutls_x509_crt_deinit(c);
		return tls_fail(e, "certificate import", ret);
	}
	*out = c;
	return 0;
}

/* Add the serving SANs (fixed ones plus host) to crt. */
static int add_server_sans(gnutls_x509_crt_t crt, const char *host)
{
	unsigned char ip[16];
	int ret = 0;

	for (size_t i = 0; server_dns[i] && ret >= 0; i++)
		ret = gnutls_x509_crt_set_subject_alt_name(
		    crt, GNUTLS_SAN_DNSNAME, server_dns[i],
		    strlen(server_dns[i]), GNUTLS_FSAN_APPEND);
	for (size_t i = 0; server_ips[i] && ret >= 0; i++) {
		int v6 = strchr(server_ips[i], ':') != NULL;

		inet_pton(v6 ? AF_INET6 : AF_INET, server_ips[i], ip);
		ret = gnutls_x509_crt_set_subject_alt_name(
		    crt, GNUTLS_SAN_IPADDRESS, ip, v6 ? 16 : 4,
		    GNUTLS_FSAN_APPEND);
	}
	for (size_t i = 0; host && server_ips[i]; i++)
		if (!strcmp(host, server_ips[i]))
			return ret;
	for (size_t i = 0; host && server_dns[i]; i++)
		if (!strcmp(host, server_dns[i]))
			return ret;
	if (ret < 0 || !host || !*host)
		return ret;
	if (inet_pton(AF_INET, host, ip) == 1)
		return gnutls_x509_crt_set_subject_alt_name(
		    crt, GNUTLS_SAN_IPADDRESS, ip, 4, GNUTLS_FSAN_APPEND);
	if (inet_pton(AF_INET6, host, ip) == 1)
		return gnutls_x509_crt_set_subject_alt_name(
		    crt, GNUTLS_SAN_IPADDRESS, ip, 16, GNUTLS_FSAN_APPEND);
	return gnutls_x509_crt_set_subject_alt_name(
	    crt, GNUTLS_SAN_DNSNAME, host, strlen(host), GNUTLS_FSAN_APPEND);
}

/* Extensions by kind: constraints, usages, purposes. */
static int set_extensions(gnutls_x509_crt_t crt, enum cert_kind kind,
			  const char *host)
{
	int ret;

	ret = gnutls_x509_crt_set_basic_constraints(crt, kind == CERT_CA, -1);
	if (ret < 0)
		return ret;
	if (kind == CERT_CA)
		return gnutls_x509_crt_set_key_usage(
		    crt, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN |
			     GNUTLS_KEY_DIGITAL_SIGNATURE);
	ret = gnutls_x509_crt_set_key_usage(
	    crt, GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT);
	if (ret < 0)
		return ret;
	ret = gnutls_x509_crt_set_key_purpose_oid(
	    crt,
	    kind == CERT_SERVER ? GNUTLS_KP_TLS_WWW_SERVER
				: GNUTLS_KP_TLS_WWW_CLIENT,
	    0);
	if (ret < 0 || kind != CERT_SERVER)
		return ret;
	return add_server_sans(crt, host);
}

/*
 * Build and sign one certificate for key with subject dn.  issuer and
 * ikey NULL = self-signed.  *pem is the caller's.
 */
static int set_subject(gnutls_x509_crt_t crt, const char *cn,
		       const char *const *orgs)
{
	int ret = 0;

	for (size_t i = 0; orgs && orgs[i] && ret >= 0; i++)
		ret = gnutls_x509_crt_set_dn_by_oid(
		    crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0, orgs[i],
		    (unsigned)strlen(orgs[i]));
	if (ret < 0)
		return ret;
	return gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME,
					     0, cn, (unsigned)strlen(cn));
}

static int crt_make(enum cert_kind kind, const char *cn,
		    const char *const *orgs, gnutls_x509_privkey_t key,
		    gnutls_x509_crt_t issuer, gnutls_x509_privkey_t ikey,
		    long days, const char *host, char **pem, struct err *e)
{
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t d = {NULL, 0};
	unsigned char serial[16], id[64];
	size_t idlen = sizeof(id);
	time_t now = time(NULL);
	int ret;

	if ((ret = gnutls_x509_crt_init(&crt)) < 0)
		return tls_fail(e, "certificate init", ret);
	gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial));
	serial[0] &= 0x7f;
	if ((ret = gnutls_x509_crt_set_version(crt, 3)) < 0 ||
	    (ret = gnutls_x509_crt_set_serial(crt, serial, sizeof(serial))) <
		0 ||
	    (ret = gnutls_x509_crt_set_activation_time(crt, now - 3600)) < 0 ||
	    (ret = gnutls_x509_crt_set_expiration_time(crt, now + days * DAY)) <
		0 ||
	    (ret = gnutls_x509_crt_set_key(crt, key)) < 0 ||
	    (ret = set_subject(crt, cn, orgs)) < 0 ||
	    (ret = set_extensions(crt, kind, host)) < 0 ||
	    (ret = gnutls_x509_crt_get_key_id(crt, 0, id, &idlen)) < 0 ||
	    (ret = gnutls_x509_crt_set_subject_key_id(crt, id, idlen)) < 0)
		goto fail;
	if (issuer) {
		idlen = sizeof(id);
		if ((ret = gnutls_x509_crt_get_subject_key_id(
			 issuer, id, &idlen, NULL)) < 0 ||
		    (ret = gnutls_x509_crt_set_authority_key_id(crt, id,
								idlen)) < 0)
			goto fail;
	}
	ret = gnutls_x509_crt_sign2(crt, issuer ? issuer : crt,
				    ikey ? ikey : key, GNUTLS_DIG_SHA256, 0);
	if (ret < 0 ||
	    (ret = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d)) < 0)
		goto fail;
	gnutls_x509_crt_deinit(crt);
	*pem = datum_take(&d);
	return 0;
fail:
	gnutls_x509_crt_deinit(crt);
	return tls_fail(e, cn, ret);
}

static int key_pem(gnutls_x509_privkey_t k, char **out, struct err *e)
{
	gnutls_datum_t d;
	int ret = gnutls_x509_privkey_export2(k, GNUTLS_X509_FMT_PEM, &d);

	if (ret < 0)
		return tls_fail(e, "key export", ret);
	*out = datum_take(&d);
	return 0;
}

/* Sign a new leaf (server or client) with the CA in p. */
static int issue_leaf(const struct pki *p, enum cert_kind kind, const char *cn,
		      const char *const *orgs, const char *host, int days,
		      char **cert, char **key, struct err *e)
{
	gnutls_x509_crt_t ca = NULL;
	gnutls_x509_privkey_t cakey = NULL, k = NULL;
	char *c = NULL, *kp = NULL;
	int rc = -1;

	if (crt_import(p->ca_cert, &ca, e) < 0 ||
	    key_import(p->ca_key, &cakey, e) < 0 ||
	    key_new(GNUTLS_PK_ECDSA, &k, e) < 0 ||
	    crt_make(kind, cn, orgs, k, ca, cakey, days, host, &c, e) < 0 ||
	    key_pem(k, &kp, e) < 0)
		goto out;
	*cert = c;
	*key = kp;
	c = kp = NULL;
	rc = 0;
out:
	free(c);
	free(kp);
	if (ca)
		gnutls_x509_crt_deinit(ca);
	if (cakey)
		gnutls_x509_privkey_deinit(cakey);
	if (k)
		gnutls_x509_privkey_deinit(k);
	return rc;
}

int pki_issue_client(const struct pki *p, const char *cn,
		     const char *const *orgs, int days, char **cert_pem,
		     char **key_pem_out, struct err *e)
{
	return issue_leaf(p, CERT_CLIENT, cn, orgs, NULL, days, cert_pem,
			  key_pem_out, e);
}

static int make_ca(struct pki *p, struct err *e)
{
	gnutls_x509_privkey_t k;
	int rc;

	if (key_new(GNUTLS_PK_ECDSA, &k, e) < 0)
		return -1;
	rc = crt_make(CERT_CA, "kdeck-ca", NULL, k, NULL, NULL, 3650, NULL,
		      &p->ca_cert, e);
	if (rc == 0)
		rc = key_pem(k, &p->ca_key, e);
	gnutls_x509_privkey_deinit(k);
	return rc;
}

static int make_sa_key(struct pki *p, struct err *e)
{
	gnutls_x509_privkey_t k;
	gnutls_pubkey_t pub = NULL;
	gnutls_privkey_t abs = NULL;
	gnutls_datum_t d;
	int ret;

	if (key_new(GNUTLS_PK_RSA, &k, e) < 0)
		return -1;
	if (key_pem(k, &p->sa_key, e) < 0) {
		gnutls_x509_privkey_deinit(k);
		return -1;
	}
	if ((ret = gnutls_privkey_init(&abs)) >= 0 &&
	    (ret = gnutls_privkey_import_x509(abs, k, 0)) >= 0 &&
	    (ret = gnutls_pubkey_init(&pub)) >= 0 &&
	    (ret = gnutls_pubkey_import_privkey(pub, abs, 0, 0)) >= 0 &&
	    (ret = gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_PEM, &d)) >= 0)
		p->sa_pub = datum_take(&d);
	if (pub)
		gnutls_pubkey_deinit(pub);
	if (abs)
		gnutls_privkey_deinit(abs);
	gnutls_x509_privkey_deinit(k);
	return ret < 0 ? tls_fail(e, "service account key", ret) : 0;
}

static int make_token(struct pki *p, struct err *e)
{
	unsigned char raw[32];
	char hex[65];

	if (gnutls_rnd(GNUTLS_RND_KEY, raw, sizeof(raw)) < 0)
		return err_set(e, ERR_INTERNAL,
			       "no randomness for the admin token");
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	p->admin_token = xstrdup(hex);
	return 0;
}

/* Does the serving certificate name host (and is it from this CA)? */
static int server_cert_fits(const struct pki *p, const char *host)
{
	gnutls_x509_crt_t c;
	int fits;

	if (!p->server_cert || !p->server_key ||
	    crt_import(p->server_cert, &c, NULL) < 0)
		return 0;
	fits = !host || !*host || gnutls_x509_crt_check_hostname(c, host);
	fits = fits &&
	       gnutls_x509_crt_get_expiration_time(c) > time(NULL) + 30 * DAY;
	gnutls_x509_crt_deinit(c);
	return fits;
}

/* One file of the PKI: where it lives in struct pki and its mode. */
struct pki_file {
	const char *name;
	size_t off;
	mode_t mode;
};

#define PF(name, field, mode)                                                  \
	{                                                                      \
		name, offsetof(struct pki, field), mode                        \
	}
static const struct pki_file pki_files[] = {
    PF("ca.crt", ca_cert, 0644),	  PF("ca.key", ca_key, 0600),
    PF("server.crt", server_cert, 0644),  PF("server.key", server_key, 0600),
    PF("admin.crt", admin_cert, 0644),	  PF("admin.key", admin_key, 0600),
    PF("sa.key", sa_key, 0600),		  PF("sa.pub", sa_pub, 0644),
    PF("admin.token", admin_token, 0600),
};
#define NPKI_FILES (sizeof(pki_files) / sizeof(pki_files[0]))

static char **pki_slot(struct pki *p, size_t i)
{
	return (char **)((char *)p + pki_files[i].off);
}

/* Write every file whose content differs from what was loaded. */
static int save_changed(struct pki *p, const char *dir, char **loaded,
			struct err *e)
{
	for (size_t i = 0; i < NPKI_FILES; i++) {
		char *v = *pki_slot(p, i), *path;
		int rc;

		if (!v || (loaded[i] && !strcmp(loaded[i], v)))
			continue;
		path = xasprintf("%s/%s", dir, pki_files[i].name);
		rc = file_write_atomic(path, v, strlen(v), pki_files[i].mode, e);
		free(path);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static void trim_token(struct pki *p)
{
	char *t = p->admin_token;

	if (t)
		t[strcspn(t, " \r\n")] = '\0';
	if (t && !*t) {
		free(t);
		p->admin_token = NULL;
	}
}

/* Create the missing pieces; a new CA re-issues everything it signs. */
static int fill_missing(struct pki *p, const char *host, struct err *e)
{
	int new_ca = 0;

	if (!p->ca_cert || !p->ca_key) {
		free(p->ca_cert);
		free(p->ca_key);
		p->ca_cert = p->ca_key = NULL;
		if (make_ca(p, e) < 0)
			return -1;
		new_ca = 1;
	}
	if (new_ca || !server_cert_fits(p, host)) {
		free(p->server_cert);
		free(p->server_key);
		p->server_cert = p->server_key = NULL;
		if (issue_leaf(p, CERT_SERVER, "kube-apiserver", NULL, host,
			       365, &p->server_cert, &p->server_key, e) < 0)
			return -1;
	}
	if (new_ca || !p->admin_cert || !p->admin_key) {
		static const char *const masters[] = {"system:masters", NULL};

		free(p->admin_cert);
		free(p->admin_key);
		p->admin_cert = p->admin_key = NULL;
		if (pki_issue_client(p, "kubernetes-admin", masters, 365,
				     &p->admin_cert, &p->admin_key, e) < 0)
			return -1;
	}
	if ((!p->sa_key || !p->sa_pub) && make_sa_key(p, e) < 0)
		return -1;
	trim_token(p);
	return p->admin_token ? 0 : make_token(p, e);
}

int pki_ensure(const char *dir, const char *host, struct pki **out,
	       struct err *e)
{
	struct pki *p = xcalloc(1, sizeof(*p));
	char *loaded[NPKI_FILES] = {NULL};
	int rc = -1;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		err_set(e, ERR_IO, "%s: %s", dir, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < NPKI_FILES; i++) {
		char *path = xasprintf("%s/%s", dir, pki_files[i].name);

		if (pki_read_file(path, &loaded[i], NULL, NULL) == 0)
			*pki_slot(p, i) = xstrdup(loaded[i]);
		free(path);
	}
	if (fill_missing(p, host, e) < 0 || save_changed(p, dir, loaded, e) < 0)
		goto out;
	*out = p;
	p = NULL;
	rc = 0;
out:
	for (size_t i = 0; i < NPKI_FILES; i++)
		free(loaded[i]);
	pki_free(p);
	return rc;
}

void pki_free(struct pki *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < NPKI_FILES; i++)
		free(*pki_slot(p, i));
	free(p);
}

/* Undo the RFC 4514 escapes GnuTLS puts in attribute values. */
static char *unescape(const char *v)
{
	char *out = xmalloc(strlen(v) + 1), *o = out;
	unsigned hex;

	for (; *v; v++) {
		if (*v == '\\' && v[1] && sscanf(v + 1, "%2x", &hex) == 1 &&
		    strspn(v + 1, "0123456789abcdefABCDEF") >= 2) {
			*o++ = (char)hex;
			v += 2;
		} else if (*v == '\\' && v[1]) {
			*o++ = *++v;
		} else {
			*o++ = *v;
		}
	}
	*o = '\0';
	return out;
}

/* Collect the subject's CN and O values. */
static int subject_names(gnutls_x509_crt_t c, char **cn, char ***orgs,
			 struct err *e)
{
	char val[256];
	size_t n = sizeof(val);
	char **o = xcalloc(9, sizeof(*o));
	size_t no = 0;

	if (gnutls_x509_crt_get_dn_by_oid(c, GNUTLS_OID_X520_COMMON_NAME, 0, 0,
					  val, &n) < 0 ||
	    !*val) {
		free(o);
		return err_set(e, ERR_UNAUTHORIZED,
			       "client certificate has no CN");
	}
	*cn = unescape(val);
	for (unsigned i = 0; no < 8; i++) {
		n = sizeof(val);
		if (gnutls_x509_crt_get_dn_by_oid(
			c, GNUTLS_OID_X520_ORGANIZATION_NAME, i, 0, val, &n) <
		    0)
			break;
		o[no++] = unescape(val);
	}
	*orgs = o;
	return 0;
}

int pki_verify_client(const struct pki *p, const void *der, size_t len,
		      char **cn, char ***orgs, struct err *e)
{
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)len};
	gnutls_x509_crt_t c = NULL, ca = NULL;
	unsigned status = 0;
	int rc = -1;

	if (crt_import(p->ca_cert, &ca, e) < 0)
		return -1;
	if (gnutls_x509_crt_init(&c) < 0 ||
	    gnutls_x509_crt_import(c, &d, GNUTLS_X509_FMT_DER) < 0) {
		err_set(e, ERR_UNAUTHORIZED, "unreadable client certificate");
		goto out;
	}
	if (gnutls_x509_crt_verify(c, &ca, 1, 0, &status) < 0 || status) {
		err_set(e, ERR_UNAUTHORIZED,
			"client certificate not signed by the cluster CA or "
			"expired");
		goto out;
	}
	rc = subject_names(c, cn, orgs, e);
out:
	if (c)
		gnutls_x509_crt_deinit(c);
	gnutls_x509_crt_deinit(ca);
	return rc;
}
