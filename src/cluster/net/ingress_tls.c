/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ingress_tls: the certificates of the ingress's HTTPS listener.  An
 * Ingress's spec.tls entries name a kubernetes.io/tls Secret for hosts;
 * ingress_certs_build loads them (GnuTLS, PEM from the Secret's tls.crt
 * and tls.key), and the listener's certificate callback picks one by
 * the client's SNI name (exact, or a "*.domain" wildcard for one
 * label), else a self-signed default made at start, as ingress-nginx's
 * "Fake Certificate".
 *
 * libmicrohttpd's certificate callback has no argument of its own, so
 * the certificates in use live here, in one store per process: one
 * HTTPS listener at a time.  GnuTLS may still hold the certificates a
 * handshake picked after a newer set came in, so replaced sets are kept
 * until the listener stops (only sets that differ replace the current
 * one, so they are few).
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "cluster/net/ingress.h"
#include "cluster/net/ingress_int.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

#define MAX_CHAIN 8

struct tls_cert {
	char *host;		/* lower case; "*.d" for a wildcard */
	gnutls_pcert_st pcert[MAX_CHAIN];
	unsigned n;
	gnutls_privkey_t key;
};

struct ingress_certs {
	struct tls_cert *v;
	size_t n;
	char *digest;		/* what it was built from */
	struct ingress_certs *older;	/* retired sets (the store's) */
};

static struct {
	pthread_mutex_t mu;
	bool open;
	struct tls_cert def;
	struct ingress_certs *cur;	/* and, through older, retired */
} store = { .mu = PTHREAD_MUTEX_INITIALIZER };

static void cert_done(struct tls_cert *c)
{
	for (unsigned i = 0; i < c->n; i++)
		gnutls_pcert_deinit(&c->pcert[i]);
	if (c->key)
		gnutls_privkey_deinit(c->key);
	free(c->host);
	memset(c, 0, sizeof(*c));
}

void ingress_certs_free(struct ingress_certs *c)
{
	while (c) {
		struct ingress_certs *older = c->older;

		for (size_t i = 0; i < c->n; i++)
			cert_done(&c->v[i]);
		free(c->v);
		free(c->digest);
		free(c);
		c = older;
	}
}

/* The PEM of a Secret's data key (base64), NUL-terminated; or NULL. */
static char *secret_pem(const cJSON *secret, const char *key)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(
	    json_get(secret, "data"), key);
	gnutls_datum_t in, out = { NULL, 0 };
	char *pem;

	if (!cJSON_IsString(d))
		return NULL;
	in.data = (unsigned char *)d->valuestring;
	in.size = (unsigned)strlen(d->valuestring);
	if (gnutls_base64_decode2(&in, &out) < 0)
		return NULL;
	pem = xstrndup((const char *)out.data, out.size);
	gnutls_free(out.data);
	return pem;
}

/* Load cert_pem and key_pem into c; false when they do not load. */
static bool cert_load(struct tls_cert *c, const char *cert_pem,
		      const char *key_pem)
{
	gnutls_datum_t cd = { (unsigned char *)cert_pem,
			      (unsigned)strlen(cert_pem) };
	gnutls_datum_t kd = { (unsigned char *)key_pem,
			      (unsigned)strlen(key_pem) };

	c->n = MAX_CHAIN;
	if (gnutls_pcert_list_import_x509_raw(c->pcert, &c->n, &cd,
					      GNUTLS_X509_FMT_PEM, 0) < 0) {
		c->n = 0;
		return false;
	}
	if (gnutls_privkey_init(&c->key) < 0 ||
	    gnutls_privkey_import_x509_raw(c->key, &kd, GNUTLS_X509_FMT_PEM,
					   NULL, 0) < 0)
		return false;
	return true;
}

static const cJSON *find_secret(const cJSON *secrets, const char *ns,
				const char *name)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, secrets) {
		const char *sns = json_get_str(s, "metadata.namespace");
		const char *sn = json_get_str(s, "metadata.name");

		if (sns && sn && !strcmp(sns, ns) && !strcmp(sn, name))
			return s;
	}
	return NULL;
}

/* One spec.tls entry of an Ingress in namespace ns. */
static void add_tls(struct ingress_certs *c, struct buf *digest,
		    const cJSON *tls, const char *ns, const cJSON *secrets)
{
	const char *sname = json_get_str(tls, "secretName");
	const cJSON *sec = sname ? find_secret(secrets, ns, sname) : NULL;
	char *crt = secret_pem(sec, "tls.crt"), *key = secret_pem(sec, "tls.key");
	const cJSON *h;

	cJSON_ArrayForEach(h, json_get(tls, "hosts")) {
		struct tls_cert t = { 0 };

		if (!cJSON_IsString(h) || !crt || !key ||
		    !cert_load(&t, crt, key)) {
			cert_done(&t);
			continue;
		}
		t.host = xstrdup(h->valuestring);
		for (char *p = t.host; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
		c->v[c->n++] = t;
		buf_printf(digest, "%s %s/%s %s\n", t.host, ns, sname,
			   json_get_str(sec, "metadata.resourceVersion"));
	}
	free(crt);
	free(key);
}

struct ingress_certs *ingress_certs_build(const cJSON *ingresses,
					  const cJSON *classes,
					  const cJSON *secrets)
{
	struct ingress_certs *c = xcalloc(1, sizeof(*c));
	struct buf digest = BUF_INIT;
	const cJSON *ing, *tls;

	cJSON_ArrayForEach(ing, ingresses) {
		const char *ns = json_get_str(ing, "metadata.namespace");

		if (!ns || !ingress_served(ing, classes))
			continue;
		cJSON_ArrayForEach(tls, json_get(ing, "spec.tls"))
			add_tls(c, &digest, tls, ns, secrets);
	}
	c->digest = buf_take(&digest);
	return c;
}

/* Does host match pattern (exact, or "*.d" for one label before d)? */
static bool host_match(const char *pattern, const char *host)
{
	const char *dot;

	if (!strcasecmp(pattern, host))
		return true;
	if (strncmp(pattern, "*.", 2) || !(dot = strchr(host, '.')) ||
	    dot == host)
		return false;
	return !strcasecmp(pattern + 1, dot);
}

/* The certificate for SNI name host ("" for none); the store is held. */
static const struct tls_cert *pick(const char *host)
{
	const struct ingress_certs *c = store.cur;

	for (size_t pass = 0; *host && c && pass < 2; pass++)
		for (size_t i = 0; i < c->n; i++)	/* exact, then wild */
			if (pass ? host_match(c->v[i].host, host)
				 : !strcasecmp(c->v[i].host, host))
				return &c->v[i];
	return &store.def;
}

static int retrieve(gnutls_session_t s, const gnutls_datum_t *req_ca,
		    int nreq, const gnutls_pk_algorithm_t *algos, int nalgos,
		    gnutls_pcert_st **pcert, unsigned int *n,
		    gnutls_privkey_t *key)
{
	char name[256];
	size_t len = sizeof(name);
	unsigned type = 0;
	const struct tls_cert *c;

	(void)req_ca;
	(void)nreq;
	(void)algos;
	(void)nalgos;
	if (gnutls_server_name_get(s, name, &len, &type, 0) < 0 ||
	    type != GNUTLS_NAME_DNS)
		name[0] = '\0';
	pthread_mutex_lock(&store.mu);
	c = pick(name);
	*pcert = (gnutls_pcert_st *)c->pcert;
	*n = c->n;
	*key = c->key;
	pthread_mutex_unlock(&store.mu);
	return c->n ? 0 : -1;
}

gnutls_certificate_retrieve_function2 *ingress_tls_callback(void)
{
	return retrieve;
}

/* A self-signed ECDSA P-256 certificate for CN cn, a year long. */
static int self_signed(struct tls_cert *c, const char *cn, struct err *e)
{
	gnutls_x509_privkey_t k = NULL;
	gnutls_x509_crt_t crt = NULL;
	unsigned char serial[16];
	time_t now = time(NULL);
	int rc = -1;

	gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial));
	serial[0] &= 0x7f;	/* a positive serial */
	if (gnutls_x509_privkey_init(&k) < 0 ||
	    gnutls_x509_privkey_generate(k, GNUTLS_PK_ECDSA,
					 GNUTLS_CURVE_TO_BITS(
					     GNUTLS_ECC_CURVE_SECP256R1),
					 0) < 0 ||
	    gnutls_x509_crt_init(&crt) < 0 ||
	    gnutls_x509_crt_set_version(crt, 3) < 0 ||
	    gnutls_x509_crt_set_serial(crt, serial, sizeof(serial)) < 0 ||
	    gnutls_x509_crt_set_activation_time(crt, now - 3600) < 0 ||
	    gnutls_x509_crt_set_expiration_time(crt, now + 365 * 86400) < 0 ||
	    gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0,
					  cn, (unsigned)strlen(cn)) < 0 ||
	    gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, cn,
						 (unsigned)strlen(cn),
						 GNUTLS_FSAN_SET) < 0 ||
	    gnutls_x509_crt_set_key(crt, k) < 0 ||
	    gnutls_x509_crt_sign2(crt, crt, k, GNUTLS_DIG_SHA256, 0) < 0 ||
	    gnutls_pcert_import_x509(&c->pcert[0], crt, 0) < 0)
		goto out;
	c->n = 1;
	if (gnutls_privkey_init(&c->key) < 0 ||
	    gnutls_privkey_import_x509(c->key, k,
				       GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE) < 0)
		goto out;
	k = NULL;	/* the privkey has it */
	rc = 0;
out:
	if (k)
		gnutls_x509_privkey_deinit(k);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (rc < 0) {
		cert_done(c);
		return err_set(e, ERR_INTERNAL,
			       "ingress: cannot make a self-signed certificate");
	}
	return 0;
}

int ingress_tls_open(struct err *e)
{
	struct tls_cert def = { 0 };

	if (self_signed(&def, INGRESS_DEFAULT_CN, e) < 0)
		return -1;
	pthread_mutex_lock(&store.mu);
	if (store.open) {
		pthread_mutex_unlock(&store.mu);
		cert_done(&def);
		return err_set(e, ERR_CONFLICT,
			       "ingress: one HTTPS listener per process");
	}
	store.open = true;
	store.def = def;
	pthread_mutex_unlock(&store.mu);
	return 0;
}

void ingress_tls_set(struct ingress_certs *c)
{
	pthread_mutex_lock(&store.mu);
	if (!store.open || (store.cur && !strcmp(store.cur->digest, c->digest))) {
		pthread_mutex_unlock(&store.mu);
		ingress_certs_free(c);
		return;
	}
	c->older = store.cur;
	store.cur = c;
	pthread_mutex_unlock(&store.mu);
}

void ingress_tls_close(void)
{
	pthread_mutex_lock(&store.mu);
	ingress_certs_free(store.cur);
	store.cur = NULL;
	cert_done(&store.def);
	store.open = false;
	pthread_mutex_unlock(&store.mu);
}
