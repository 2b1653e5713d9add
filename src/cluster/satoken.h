/* SPDX-License-Identifier: Apache-2.0 */
/*
 * satoken: ServiceAccount tokens, RS256 JSON Web Tokens shaped like the
 * ones kube-apiserver issues (header {alg: RS256, kid}, claims iss, sub
 * "system:serviceaccount:NS:NAME", aud, exp, iat, nbf, jti and
 * "kubernetes.io": {namespace, serviceaccount: {name, uid}}).
 *
 * The signer is immutable after satoken_new and may be used from any
 * thread.  The api module's TokenRequest handler calls satoken_issue();
 * authn calls satoken_verify() for bearer tokens that look like JWTs.
 */
#ifndef KDECK_CLUSTER_SATOKEN_H
#define KDECK_CLUSTER_SATOKEN_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "common/err.h"

/* The issuer and default audience, as on a kubeadm cluster. */
#define SATOKEN_ISSUER "https://kubernetes.default.svc.cluster.local"

struct satoken;

/* A signer/verifier over the RSA key pair (PEM).  issuer NULL = default. */
int satoken_new(const char *key_pem, const char *pub_pem, const char *issuer,
		struct satoken **out, struct err *e);
void satoken_free(struct satoken *t);

struct satoken_req {
	const char *namespace, *name, *uid; /* the ServiceAccount */
	const char *const *audiences;	    /* NULL-terminated; NULL = issuer */
	int64_t expiration_seconds;	    /* 0 = 3600; at least 600 */
	int64_t now;			    /* unix seconds; 0 = time(NULL) */
	/* The object the token is bound to ("Pod" or "Secret"), or NULL:
	 * claims "kubernetes.io": {pod|secret: {name, uid}}. */
	const char *bound_kind, *bound_name, *bound_uid;
};

/*
 * Issue a signed token; *token is the caller's (free), *exp_out (may be
 * NULL) the expiry in unix seconds.  ERR_INVALID for a missing name or
 * namespace.
 */
int satoken_issue(const struct satoken *t, const struct satoken_req *req,
		  char **token, int64_t *exp_out, struct err *e);

/* Who a valid token names; strings are the caller's (satoken_subject_done). */
struct satoken_subject {
	char *namespace, *name, *uid;
	/* The bound object ("Pod" or "Secret", its name and uid), all NULL
	 * for a token bound to nothing but its ServiceAccount. */
	char *bound_kind, *bound_name, *bound_uid;
};
void satoken_subject_done(struct satoken_subject *s);

/*
 * Verify signature, issuer, audience (must contain the issuer), nbf and
 * exp against now (0 = time(NULL)).  ERR_UNAUTHORIZED on any failure;
 * *out is filled only on success.
 */
int satoken_verify(const struct satoken *t, const char *token, int64_t now,
		   struct satoken_subject *out, struct err *e);

/* Quick test: three base64url segments starting with a JSON header. */
int satoken_looks_like_jwt(const char *token);

/*
 * The object check of the ServiceAccount token validator for the
 * ServiceAccount, Secret or Pod a token names: obj (NULL: deleted) must
 * exist with uid (any when empty) and must not have been deleted for
 * longer than the JWT leeway (a deletionTimestamp before now - 60 s).
 * now is in Unix seconds.
 */
bool satoken_obj_valid(const cJSON *obj, const char *uid, int64_t now);

#endif
