/* SPDX-License-Identifier: Apache-2.0 */
/*
 * satoken: RS256 JWTs for ServiceAccounts (see satoken.h).
 *
 * Signing and verification are GnuTLS's (gnutls_privkey_sign_data,
 * gnutls_pubkey_verify_data2 with RSA-SHA256); JSON is cJSON's; base64 is
 * GnuTLS's with the URL-safe alphabet mapped around it.  The key id ("kid")
 * is the base64url SHA-256 of the public key's DER, as kube-apiserver
 * computes it.  Tokens are stateless: revocation by deleting the
 * ServiceAccount or the Pod / Secret a token is bound to is checked by
 * authn's callback (daemon.c), which reads the store.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "cluster/satoken.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

struct satoken {
	gnutls_privkey_t key;
	gnutls_pubkey_t pub;
	char *issuer;
	char *kid;
};

/* base64url without padding of n bytes; caller frees. */
static char *b64url(const void *p, size_t n)
{
	gnutls_datum_t in = {(unsigned char *)p, (unsigned)n}, out;
	char *s;

	if (gnutls_base64_encode2(&in, &out) < 0)
		mem_oom();
	s = xstrndup((const char *)out.data, out.size);
	gnutls_free(out.data);
	for (char *c = s; *c; c++) {
		if (*c == '+')
			*c = '-';
		else if (*c == '/')
			*c = '_';
		else if (*c == '=')
			*c = '\0';
	}
	return s;
}

/* Decode n base64url characters; -1 if malformed.  *out caller-frees. */
static int b64url_decode(const char *s, size_t n, struct buf *out)
{
	struct buf t = BUF_INIT;
	gnutls_datum_t in, res;
	int ret;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '+' || c == '/' || c == '=')
			goto bad;
		buf_addc(&t, c == '-' ? '+' : c == '_' ? '/' : c);
	}
	while (t.len % 4)
		buf_addc(&t, '=');
	in.data = (unsigned char *)t.data;
	in.size = (unsigned)t.len;
	ret = t.len ? gnutls_base64_decode2(&in, &res) : -1;
	buf_free(&t);
	if (ret < 0)
		return -1;
	buf_add(out, res.data, res.size);
	gnutls_free(res.data);
	return 0;
bad:
	buf_free(&t);
	return -1;
}

static char *key_id(gnutls_pubkey_t pub)
{
	gnutls_datum_t der;
	unsigned char sum[32];
	char *kid;

	if (gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &der) < 0)
		return xstrdup("");
	gnutls_hash_fast(GNUTLS_DIG_SHA256, der.data, der.size, sum);
	gnutls_free(der.data);
	kid = b64url(sum, sizeof(sum));
	return kid;
}

int satoken_new(const char *key_pem, const char *pub_pem, const char *issuer,
		struct satoken **out, struct err *e)
{
	struct satoken *t = xcalloc(1, sizeof(*t));
	gnutls_datum_t kd = {(unsigned char *)key_pem,
			     (unsigned)strlen(key_pem)};
	gnutls_datum_t pd = {(unsigned char *)pub_pem,
			     (unsigned)strlen(pub_pem)};
	int ret;

	if ((ret = gnutls_privkey_init(&t->key)) < 0 ||
	    (ret = gnutls_privkey_import_x509_raw(
		 t->key, &kd, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0 ||
	    (ret = gnutls_pubkey_init(&t->pub)) < 0 ||
	    (ret = gnutls_pubkey_import(t->pub, &pd, GNUTLS_X509_FMT_PEM)) <
		0) {
		satoken_free(t);
		return err_set(e, ERR_INTERNAL, "service account key: %s",
			       gnutls_strerror(ret));
	}
	t->issuer = xstrdup(issuer ? issuer : SATOKEN_ISSUER);
	t->kid = key_id(t->pub);
	*out = t;
	return 0;
}

void satoken_free(struct satoken *t)
{
	if (!t)
		return;
	if (t->key)
		gnutls_privkey_deinit(t->key);
	if (t->pub)
		gnutls_pubkey_deinit(t->pub);
	free(t->issuer);
	free(t->kid);
	free(t);
}

static cJSON *make_claims(const struct satoken *t, const struct satoken_req *r,
			  int64_t now, int64_t exp)
{
	cJSON *c = cJSON_CreateObject(),
	      *aud = cJSON_AddArrayToObject(c, "aud");
	cJSON *k8s, *sa;
	unsigned char jti[16];
	char *sub =
	    xasprintf("system:serviceaccount:%s:%s", r->namespace, r->name);
	char *jtis;

	if (!r->audiences || !r->audiences[0])
		cJSON_AddItemToArray(aud, cJSON_CreateString(t->issuer));
	for (size_t i = 0; r->audiences && r->audiences[i]; i++)
		cJSON_AddItemToArray(aud, cJSON_CreateString(r->audiences[i]));
	cJSON_AddNumberToObject(c, "exp", (double)exp);
	cJSON_AddNumberToObject(c, "iat", (double)now);
	cJSON_AddStringToObject(c, "iss", t->issuer);
	gnutls_rnd(GNUTLS_RND_NONCE, jti, sizeof(jti));
	jtis = b64url(jti, sizeof(jti));
	cJSON_AddStringToObject(c, "jti", jtis);
	free(jtis);
	k8s = cJSON_AddObjectToObject(c, "kubernetes.io");
	cJSON_AddStringToObject(k8s, "namespace", r->namespace);
	if (r->bound_kind && r->bound_name) {
		cJSON *b = cJSON_AddObjectToObject(
		    k8s, !strcmp(r->bound_kind, "Pod") ? "pod" : "secret");

		cJSON_AddStringToObject(b, "name", r->bound_name);
		cJSON_AddStringToObject(b, "uid", r->bound_uid ? r->bound_uid : "");
	}
	sa = cJSON_AddObjectToObject(k8s, "serviceaccount");
	cJSON_AddStringToObject(sa, "name", r->name);
	cJSON_AddStringToObject(sa, "uid", r->uid ? r->uid : "");
	cJSON_AddNumberToObject(c, "nbf", (double)now);
	cJSON_AddStringToObject(c, "sub", sub);
	free(sub);
	return c;
}

/* "b64(header).b64(claims)" into b. */
static void signing_input(const struct satoken *t, const cJSON *claims,
			  struct buf *b)
{
	cJSON *h = cJSON_CreateObject();
	char *hs, *cs, *h64, *c64;

	cJSON_AddStringToObject(h, "alg", "RS256");
	cJSON_AddStringToObject(h, "kid", t->kid);
	hs = cJSON_PrintUnformatted(h);
	cs = cJSON_PrintUnformatted(claims);
	if (!hs || !cs)
		mem_oom();
	h64 = b64url(hs, strlen(hs));
	c64 = b64url(cs, strlen(cs));
	buf_printf(b, "%s.%s", h64, c64);
	free(h64);
	free(c64);
	free(hs);
	free(cs);
	cJSON_Delete(h);
}

int satoken_issue(const struct satoken *t, const struct satoken_req *r,
		  char **token, int64_t *exp_out, struct err *e)
{
	int64_t now = r->now ? r->now : (int64_t)time(NULL);
	int64_t secs = r->expiration_seconds ? r->expiration_seconds : 3600;
	struct buf b = BUF_INIT;
	gnutls_datum_t data, sig;
	cJSON *claims;
	char *s64;
	int ret;

	if (!r->namespace || !*r->namespace || !r->name || !*r->name)
		return err_set(
		    e, ERR_INVALID,
		    "a service account token needs a namespace and a name");
	if (secs < 600)
		return err_set(e, ERR_INVALID,
			       "spec.expirationSeconds: may not specify a "
			       "duration less than 10 minutes");
	claims = make_claims(t, r, now, now + secs);
	signing_input(t, claims, &b);
	cJSON_Delete(claims);
	data.data = (unsigned char *)b.data;
	data.size = (unsigned)b.len;
	ret =
	    gnutls_privkey_sign_data(t->key, GNUTLS_DIG_SHA256, 0, &data, &sig);
	if (ret < 0) {
		buf_free(&b);
		return err_set(e, ERR_INTERNAL, "signing token: %s",
			       gnutls_strerror(ret));
	}
	s64 = b64url(sig.data, sig.size);
	gnutls_free(sig.data);
	buf_printf(&b, ".%s", s64);
	free(s64);
	if (exp_out)
		*exp_out = now + secs;
	*token = buf_take(&b);
	return 0;
}

void satoken_subject_done(struct satoken_subject *s)
{
	if (!s)
		return;
	free(s->namespace);
	free(s->name);
	free(s->bound_kind);
	free(s->bound_name);
	free(s->bound_uid);
	free(s->uid);
	memset(s, 0, sizeof(*s));
}

int satoken_looks_like_jwt(const char *tok)
{
	const char *d1 = strchr(tok, '.'),
		   *d2 = d1 ? strchr(d1 + 1, '.') : NULL;

	return !strncmp(tok, "eyJ", 3) && d2 && !strchr(d2 + 1, '.');
}

static int has_audience(const cJSON *aud, const char *want)
{
	const cJSON *a;

	if (cJSON_IsString(aud))
		return !strcmp(aud->valuestring, want);
	cJSON_ArrayForEach(a, aud) if (cJSON_IsString(a) &&
				       !strcmp(a->valuestring, want)) return 1;
	return 0;
}

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The pod or secret claim of a bound token into out. */
static void bound_claims(const cJSON *k8s, struct satoken_subject *out)
{
	static const char *const keys[][2] = { { "pod", "Pod" }, { "secret", "Secret" } };

	for (size_t i = 0; i < 2; i++) {
		const cJSON *b = cJSON_GetObjectItemCaseSensitive(k8s, keys[i][0]);
		const char *n = jstr(b, "name"), *u = jstr(b, "uid");

		if (!n)
			continue;
		out->bound_kind = xstrdup(keys[i][1]);
		out->bound_name = xstrdup(n);
		out->bound_uid = xstrdup(u ? u : "");
		return;
	}
}

/* Check the claims' meaning; fill out on success. */
static int check_claims(const struct satoken *t, const cJSON *c, int64_t now,
			struct satoken_subject *out, struct err *e)
{
	const cJSON *exp = cJSON_GetObjectItemCaseSensitive(c, "exp");
	const cJSON *nbf = cJSON_GetObjectItemCaseSensitive(c, "nbf");
	const cJSON *k8s = cJSON_GetObjectItemCaseSensitive(c, "kubernetes.io");
	const cJSON *sa =
	    cJSON_GetObjectItemCaseSensitive(k8s, "serviceaccount");
	const char *iss = jstr(c, "iss"), *ns = jstr(k8s, "namespace");
	const char *name = jstr(sa, "name"), *uid = jstr(sa, "uid");

	if (!iss || strcmp(iss, t->issuer))
		return err_set(e, ERR_UNAUTHORIZED,
			       "token has an unknown issuer");
	if (!has_audience(cJSON_GetObjectItemCaseSensitive(c, "aud"),
			  t->issuer))
		return err_set(e, ERR_UNAUTHORIZED,
			       "token audiences are invalid");
	if (!cJSON_IsNumber(exp) || (int64_t)exp->valuedouble <= now)
		return err_set(e, ERR_UNAUTHORIZED, "token has expired");
	if (cJSON_IsNumber(nbf) && (int64_t)nbf->valuedouble > now + 60)
		return err_set(e, ERR_UNAUTHORIZED, "token is not valid yet");
	if (!ns || !*ns || !name || !*name)
		return err_set(e, ERR_UNAUTHORIZED,
			       "token names no service account");
	memset(out, 0, sizeof(*out));
	out->namespace = xstrdup(ns);
	out->name = xstrdup(name);
	out->uid = xstrdup(uid ? uid : "");
	bound_claims(k8s, out);
	return 0;
}

int satoken_verify(const struct satoken *t, const char *tok, int64_t now,
		   struct satoken_subject *out, struct err *e)
{
	const char *d1 = strchr(tok, '.'),
		   *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	struct buf hdr = BUF_INIT, claims = BUF_INIT, sig = BUF_INIT;
	gnutls_datum_t data, sd;
	cJSON *h = NULL, *c = NULL;
	int rc = -1;

	if (!now)
		now = (int64_t)time(NULL);
	if (!d2 || b64url_decode(tok, (size_t)(d1 - tok), &hdr) < 0 ||
	    b64url_decode(d1 + 1, (size_t)(d2 - d1 - 1), &claims) < 0 ||
	    b64url_decode(d2 + 1, strlen(d2 + 1), &sig) < 0 ||
	    !(h = cJSON_ParseWithLength(hdr.data, hdr.len)) ||
	    !(c = cJSON_ParseWithLength(claims.data, claims.len))) {
		err_set(e, ERR_UNAUTHORIZED, "malformed token");
		goto out;
	}
	if (!jstr(h, "alg") || strcmp(jstr(h, "alg"), "RS256")) {
		err_set(e, ERR_UNAUTHORIZED, "token algorithm is not RS256");
		goto out;
	}
	data.data = (unsigned char *)tok;
	data.size = (unsigned)(d2 - tok);
	sd.data = (unsigned char *)sig.data;
	sd.size = (unsigned)sig.len;
	if (gnutls_pubkey_verify_data2(t->pub, GNUTLS_SIGN_RSA_SHA256, 0, &data,
				       &sd) < 0) {
		err_set(e, ERR_UNAUTHORIZED, "token signature is invalid");
		goto out;
	}
	rc = check_claims(t, c, now, out, e);
out:
	cJSON_Delete(h);
	cJSON_Delete(c);
	buf_free(&hdr);
	buf_free(&claims);
	buf_free(&sig);
	return rc;
}

/* jwt.DefaultLeeway: objects deleted before now - leeway are gone. */
#define DELETION_LEEWAY 60

bool satoken_obj_valid(const cJSON *obj, const char *uid, int64_t now)
{
	const char *have, *del;
	struct ktime dt, at = { 0 };
	struct err e;

	if (!obj)
		return false;
	have = json_get_str(obj, "metadata.uid");
	if (uid && uid[0] && (!have || strcmp(have, uid)))
		return false;
	del = json_get_str(obj, "metadata.deletionTimestamp");
	if (!del || ktime_parse(del, &dt, &e) < 0)
		return true;
	at.sec = now - DELETION_LEEWAY;
	return ktime_sub(&dt, &at) >= 0;
}
