/* SPDX-License-Identifier: Apache-2.0 */
/*
 * authn: who is making a request.
 *
 * Methods, tried in kube-apiserver's order: a client certificate signed
 * by the cluster CA (CN = user, O = groups), then the bearer token: the
 * admin token, the static token file (--token-auth-file format
 * `token,user,uid,"group1,group2"`, re-read when it changes), and
 * ServiceAccount JWTs.  Every authenticated user also gets the group
 * system:authenticated.  Anonymous access is off.  Impersonation
 * (Impersonate-User/-Group/-Uid) is checked against the authorizer.
 *
 * Threads: an authn is shared by every connection thread; the token file
 * cache is guarded by a mutex.
 */
#ifndef KDECK_CLUSTER_AUTHN_H
#define KDECK_CLUSTER_AUTHN_H

#include <stdbool.h>
#include <stddef.h>

#include "cluster/authz.h"
#include "cluster/http.h"
#include "cluster/pki.h"
#include "cluster/satoken.h"
#include "common/err.h"
#include "common/vec.h"

/* A user_info with every string on the heap (authn_user_free). */
struct user_info *authn_user_new(const char *name, const char *uid,
				 const char *const *groups);
void authn_user_free(struct user_info *u);
/* Copy pairs (key, value, ..., NULL) into u->extra; none: no-op. */
void authn_user_set_extra(struct user_info *u, const char *const *pairs);

/* One line of the token file. */
struct authn_token {
	char *token, *user, *uid;
	char **groups; /* NULL-terminated */
};
void authn_token_free(struct authn_token *t);

/*
 * Parse token-file text into tokens (struct authn_token *, appended to
 * out).  ERR_PARSE naming the line for a record with fewer than three
 * columns or an unterminated quote; out is then left unchanged.
 */
int authn_tokens_parse(const char *text, size_t len, struct vec *out,
		       struct err *e);

struct authn;

/*
 * pki (borrowed, must outlive the authn) verifies client certificates and
 * provides the admin token; token_file may be NULL or missing; sa may be
 * NULL (no ServiceAccount tokens).
 */
int authn_new(const struct pki *pki, const char *token_file,
	      const struct satoken *sa, struct authn **out, struct err *e);
void authn_free(struct authn *a);

/*
 * Revocation of ServiceAccount tokens: fn(arg, subject) says whether the
 * token's ServiceAccount (same uid) and, for a bound token, its Pod or
 * Secret (same uid) still exist; tokens of deleted or recreated objects
 * are then refused, as on a real cluster.  Set it before the server
 * starts; fn is called from connection threads.
 */
typedef bool (*authn_sa_check_fn)(void *arg, const struct satoken_subject *s);
void authn_set_sa_check(struct authn *a, authn_sa_check_fn fn, void *arg);

/*
 * Authenticate a request from its peer certificate (DER, NULL when none)
 * and its Authorization header value (NULL when none).  A certificate that
 * does not verify, or a bearer token nobody knows, is ERR_UNAUTHORIZED,
 * as is a request with neither.  *out is the caller's (authn_user_free).
 */
int authn_request(struct authn *a, const void *cert_der, size_t cert_len,
		  const char *authorization, struct user_info **out,
		  struct err *e);

/*
 * Apply impersonation: may requester act as user (with groups, a
 * NULL-terminated list that may be NULL, and uid, may be NULL)?  Checked
 * with authz_allowed (verb impersonate) for each, and for each extra
 * (pairs key, value, ..., NULL; may be NULL) the userextras/<key>
 * subresource of authentication.k8s.io named by the value; ERR_FORBIDDEN when
 * not, ERR_BAD_REQUEST for groups or uid without a user.  *out is the
 * impersonated identity (authn_user_free).
 */
int authn_impersonate(struct authz *az, const struct user_info *requester,
		      const char *user, const char *const *groups,
		      const char *uid, const char *const *extra_pairs,
		      struct user_info **out, struct err *e);

#endif
