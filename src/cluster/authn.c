/* SPDX-License-Identifier: Apache-2.0 */
/*
 * authn: request authentication and impersonation (see authn.h).
 *
 * The token file is parsed like Go's encoding/csv reads it for
 * kube-apiserver (RFC 4180 quoting, blank lines skipped, variable field
 * count, at least three columns).  It is re-read when its mtime, size or
 * inode changes; a file that fails to parse keeps the previous tokens so a
 * half-written edit does not lock everyone out.  Token comparisons of the
 * admin token run in constant time.
 */
#include "config.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cluster/authn.h"
#include "common/buf.h"
#include "common/mem.h"

struct authn {
	const struct pki *pki;
	const struct satoken *sa;
	char *token_file;
	pthread_mutex_t lock; /* guards tokens and the stat fields */
	struct vec tokens;    /* struct authn_token * */
	struct stat st;
	bool have_st;
	authn_sa_check_fn sa_check;	/* the ServiceAccount still exists */
	void *sa_check_arg;
};

static const char *const authenticated[] = {"system:authenticated", NULL};

struct user_info *authn_user_new(const char *name, const char *uid,
				 const char *const *groups)
{
	struct user_info *u = xcalloc(1, sizeof(*u));
	size_t n = 0, k = 0;
	bool has_auth = false;

	while (groups && groups[n])
		n++;
	u->groups = xcalloc(n + 2, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		has_auth |= !strcmp(groups[i], authenticated[0]);
		u->groups[k++] = xstrdup(groups[i]);
	}
	if (!has_auth && strcmp(name, "system:anonymous"))
		u->groups[k++] = xstrdup(authenticated[0]);
	u->name = xstrdup(name);
	u->uid = xstrdup(uid ? uid : "");
	return u;
}

void authn_user_free(struct user_info *u)
{
	if (!u)
		return;
	for (size_t i = 0; u->groups && u->groups[i]; i++)
		free(u->groups[i]);
	free(u->groups);
	for (size_t i = 0; u->extra && u->extra[i]; i++)
		free(u->extra[i]);
	free(u->extra);
	free(u->name);
	free(u->uid);
	free(u);
}

void authn_user_set_extra(struct user_info *u, const char *const *pairs)
{
	size_t n = 0;

	while (pairs && pairs[n] && pairs[n + 1])
		n += 2;
	if (!n)
		return;
	u->extra = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		u->extra[i] = xstrdup(pairs[i]);
}

void authn_token_free(struct authn_token *t)
{
	if (!t)
		return;
	for (size_t i = 0; t->groups && t->groups[i]; i++)
		free(t->groups[i]);
	free(t->groups);
	free(t->token);
	free(t->user);
	free(t->uid);
	free(t);
}

static void token_free_v(void *p)
{
	authn_token_free(p);
}

/* Trimmed copy of s[0..n). */
static char *trim_dup(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return xstrndup(s, n);
}

/*
 * Read one CSV record from *p (advanced past it) into fields.  Returns
 * the field count, 0 for a blank line, -1 for an unterminated quote.
 */
static int csv_record(const char **p, const char *end, struct vec *fields)
{
	const char *s = *p;
	struct buf f = BUF_INIT;
	bool quoted = false, any = false;

	for (; s < end; s++) {
		if (quoted) {
			if (*s == '"' && s + 1 < end && s[1] == '"')
				buf_addc(&f, *s++);
			else if (*s == '"')
				quoted = false;
			else
				buf_addc(&f, *s);
		} else if (*s == '\r' && s + 1 < end && s[1] == '\n') {
			continue; /* CRLF line ends like LF */
		} else if (*s == '"') {
			quoted = any = true;
		} else if (*s == ',' || *s == '\n') {
			if (*s == '\n' && !any && !f.len && !fields->len)
				break;
			vec_push(fields, trim_dup(buf_cstr(&f), f.len));
			buf_reset(&f);
			any = *s == ',';
			if (*s == '\n')
				break;
		} else {
			buf_addc(&f, *s);
			any = true;
		}
	}
	if (s >= end && (any || f.len))
		vec_push(fields, trim_dup(buf_cstr(&f), f.len));
	buf_free(&f);
	*p = s < end ? s + 1 : end;
	return quoted ? -1 : (int)fields->len;
}

/* "a, b,c" -> {"a","b","c",NULL}; empty -> {NULL}. */
static char **split_groups(const char *s)
{
	size_t n = 0, cap = 4;
	char **g = xcalloc(cap, sizeof(*g));

	while (s && *s) {
		size_t len = strcspn(s, ",");
		char *one = trim_dup(s, len);

		if (*one) {
			if (n + 2 > cap)
				g = xrealloc(g, (cap *= 2) * sizeof(*g));
			g[n++] = one;
			g[n] = NULL;
		} else {
			free(one);
		}
		s += len + (s[len] == ',');
	}
	return g;
}

static struct authn_token *token_from(struct vec *f)
{
	struct authn_token *t = xcalloc(1, sizeof(*t));

	t->token = xstrdup(vec_get(f, 0));
	t->user = xstrdup(vec_get(f, 1));
	t->uid = xstrdup(vec_get(f, 2));
	t->groups = split_groups(f->len > 3 ? vec_get(f, 3) : NULL);
	return t;
}

int authn_tokens_parse(const char *text, size_t len, struct vec *out,
		       struct err *e)
{
	const char *p = text, *end = text + len;
	struct vec got = {0}, f = {0};
	int line = 0, rc = 0;

	while (p < end && rc == 0) {
		int n = csv_record(&p, end, &f);

		line++;
		if (n < 0)
			rc = err_set(e, ERR_PARSE,
				     "token file line %d: unterminated quote",
				     line);
		else if (n > 0 && n < 3)
			rc = err_set(e, ERR_PARSE,
				     "token file line %d: needs at least 3 "
				     "columns (token,user,uid)",
				     line);
		else if (n > 0 && *(char *)vec_get(&f, 0))
			vec_push(&got, token_from(&f));
		vec_free(&f, free);
	}
	if (rc < 0) {
		vec_free(&got, token_free_v);
		return -1;
	}
	for (size_t i = 0; i < got.len; i++)
		vec_push(out, vec_get(&got, i));
	vec_free(&got, NULL);
	return 0;
}

int authn_new(const struct pki *pki, const char *token_file,
	      const struct satoken *sa, struct authn **out, struct err *e)
{
	struct authn *a = xcalloc(1, sizeof(*a));

	a->pki = pki;
	a->sa = sa;
	a->token_file = xstrdup(token_file);
	pthread_mutex_init(&a->lock, NULL);
	*out = a;
	return 0;
}

void authn_free(struct authn *a)
{
	if (!a)
		return;
	vec_free(&a->tokens, token_free_v);
	pthread_mutex_destroy(&a->lock);
	free(a->token_file);
	free(a);
}

/* Re-read the token file if it changed.  Called with a->lock held. */
static void tokens_refresh(struct authn *a)
{
	struct stat st;
	struct vec fresh = {0};
	struct err e;
	char *text = NULL;
	size_t len;

	if (!a->token_file || stat(a->token_file, &st) < 0) {
		vec_free(&a->tokens, token_free_v);
		a->have_st = false;
		return;
	}
	if (a->have_st && st.st_mtim.tv_sec == a->st.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == a->st.st_mtim.tv_nsec &&
	    st.st_size == a->st.st_size && st.st_ino == a->st.st_ino)
		return;
	a->st = st;
	a->have_st = true;
	if (pki_read_file(a->token_file, &text, &len, &e) < 0 ||
	    authn_tokens_parse(text, len, &fresh, &e) < 0) {
		fprintf(stderr, "kdeck: %s: %s (keeping the previous tokens)\n",
			a->token_file, e.msg);
		free(text);
		return;
	}
	free(text);
	vec_free(&a->tokens, token_free_v);
	a->tokens = fresh;
}

static bool const_eq(const char *x, const char *y)
{
	size_t n = strlen(x), m = strlen(y);
	unsigned char d = n != m;

	for (size_t i = 0; i < n && i < m; i++)
		d |= (unsigned char)(x[i] ^ y[i]);
	return d == 0;
}

static struct user_info *from_token_file(struct authn *a, const char *tok)
{
	struct user_info *u = NULL;

	pthread_mutex_lock(&a->lock);
	tokens_refresh(a);
	for (size_t i = a->tokens.len; i-- > 0 && !u;) {
		struct authn_token *t = vec_get(&a->tokens, i);

		if (const_eq(t->token, tok))
			u = authn_user_new(t->user, t->uid,
					   (const char *const *)t->groups);
	}
	pthread_mutex_unlock(&a->lock);
	return u;
}

void authn_set_sa_check(struct authn *a, authn_sa_check_fn fn, void *arg)
{
	a->sa_check = fn;
	a->sa_check_arg = arg;
}

static int from_satoken(struct authn *a, const char *tok,
			struct user_info **out, struct err *e)
{
	struct satoken_subject s;
	char *name, *g2;
	const char *groups[3];

	if (!a->sa || satoken_verify(a->sa, tok, 0, &s, e) < 0)
		return a->sa ? -1
			     : err_set(e, ERR_UNAUTHORIZED,
				       "invalid bearer token");
	if (a->sa_check &&
	    !a->sa_check(a->sa_check_arg, &s)) {
		satoken_subject_done(&s);
		return err_set(e, ERR_UNAUTHORIZED, "invalid bearer token, service account token has been invalidated");
	}
	name = xasprintf("system:serviceaccount:%s:%s", s.namespace, s.name);
	g2 = xasprintf("system:serviceaccounts:%s", s.namespace);
	groups[0] = "system:serviceaccounts";
	groups[1] = g2;
	groups[2] = NULL;
	*out = authn_user_new(name, s.uid, groups);
	free(name);
	free(g2);
	satoken_subject_done(&s);
	return 0;
}

static int from_bearer(struct authn *a, const char *tok, struct user_info **out,
		       struct err *e)
{
	static const char *const masters[] = {"system:masters", NULL};
	struct user_info *u;

	if (!*tok)
		return err_set(e, ERR_UNAUTHORIZED, "empty bearer token");
	if (a->pki->admin_token && const_eq(a->pki->admin_token, tok)) {
		*out = authn_user_new("kubernetes-admin", "", masters);
		return 0;
	}
	if ((u = from_token_file(a, tok))) {
		*out = u;
		return 0;
	}
	if (satoken_looks_like_jwt(tok))
		return from_satoken(a, tok, out, e);
	return err_set(e, ERR_UNAUTHORIZED, "invalid bearer token");
}

int authn_request(struct authn *a, const void *cert_der, size_t cert_len,
		  const char *authorization, struct user_info **out,
		  struct err *e)
{
	char *cn, **orgs;

	if (cert_der) {
		if (pki_verify_client(a->pki, cert_der, cert_len, &cn, &orgs,
				      e) < 0)
			return -1;
		*out = authn_user_new(cn, "", (const char *const *)orgs);
		free(cn);
		for (size_t i = 0; orgs[i]; i++)
			free(orgs[i]);
		free(orgs);
		return 0;
	}
	if (authorization && !strncasecmp(authorization, "Bearer ", 7)) {
		const char *tok = authorization + 7;

		while (*tok == ' ')
			tok++;
		return from_bearer(a, tok, out, e);
	}
	return err_set(e, ERR_UNAUTHORIZED, "Unauthorized");
}

/*
 * One impersonation check: may requester impersonate name as resource
 * (with subresource, "" for none)?  The Forbidden text is the API
 * server's impersonation filter's.
 */
static int may_impersonate_sub(struct authz *az,
			       const struct user_info *requester,
			       const char *group, const char *resource,
			       const char *sub, const char *ns,
			       const char *name, struct err *e)
{
	struct authz_attrs at = {
	    .verb = "impersonate",
	    .resource_request = true,
	    .group = group,
	    .version = "",
	    .resource = resource,
	    .subresource = sub,
	    .namespace = ns,
	    .name = name,
	    .path = "",
	};
	char reason[256] = "";
	struct buf b = BUF_INIT;

	if (authz_allowed(az, requester, &at, reason, sizeof(reason)))
		return 0;
	buf_printf(&b, "%s%s%s \"%s\" is forbidden: User \"%s\" cannot impersonate resource \"%s%s%s\" in API group \"%s\"",
		   resource, *group ? "." : "", group, name, requester->name,
		   resource, *sub ? "/" : "", sub, group);
	if (*ns)
		buf_printf(&b, " in the namespace \"%s\"", ns);
	else
		buf_adds(&b, " at the cluster scope");
	if (*reason)
		buf_printf(&b, ": %s", reason);
	err_set(e, ERR_FORBIDDEN, "%s", buf_cstr(&b));
	buf_free(&b);
	return -1;
}

static int may_impersonate(struct authz *az, const struct user_info *requester,
			   const char *group, const char *resource,
			   const char *ns, const char *name, struct err *e)
{
	return may_impersonate_sub(az, requester, group, resource, "", ns, name, e);
}

/* Check the user part: a ServiceAccount name is checked as one. */
static int check_user(struct authz *az, const struct user_info *r,
		      const char *user, struct err *e)
{
	static const char sa_prefix[] = "system:serviceaccount:";
	const char *rest = user + sizeof(sa_prefix) - 1;
	const char *colon;
	char ns[256];
	int rc;

	if (strncmp(user, sa_prefix, sizeof(sa_prefix) - 1) ||
	    !(colon = strchr(rest, ':')) ||
	    (size_t)(colon - rest) >= sizeof(ns))
		return may_impersonate(az, r, "", "users", "", user, e);
	memcpy(ns, rest, (size_t)(colon - rest));
	ns[colon - rest] = '\0';
	rc = may_impersonate(az, r, "", "serviceaccounts", ns, colon + 1, e);
	return rc;
}

/* The groups a ServiceAccount gets when impersonated without groups. */
static char **sa_groups(const char *user)
{
	const char *rest = user + strlen("system:serviceaccount:");
	const char *colon = strchr(rest, ':');
	char **g = xcalloc(3, sizeof(*g));

	g[0] = xstrdup("system:serviceaccounts");
	g[1] =
	    xasprintf("system:serviceaccounts:%.*s", (int)(colon - rest), rest);
	return g;
}

int authn_impersonate(struct authz *az, const struct user_info *requester,
		      const char *user, const char *const *groups,
		      const char *uid, const char *const *extra_pairs,
		      struct user_info **out, struct err *e)
{
	bool is_sa = user && !strncmp(user, "system:serviceaccount:", 22) &&
		     strchr(user + 22, ':');
	char **extra = NULL;

	if (!user || !*user)
		return err_set(e, ERR_BAD_REQUEST,
			       "requested impersonation of groups or uid "
			       "without impersonating a user");
	if (check_user(az, requester, user, e) < 0)
		return -1;
	for (size_t i = 0; groups && groups[i]; i++)
		if (may_impersonate(az, requester, "", "groups", "", groups[i],
				    e) < 0)
			return -1;
	for (size_t i = 0; extra_pairs && extra_pairs[i] && extra_pairs[i + 1]; i += 2)
		if (may_impersonate_sub(az, requester, "authentication.k8s.io", "userextras",
					extra_pairs[i], "", extra_pairs[i + 1], e) < 0)
			return -1;
	if (uid && *uid &&
	    may_impersonate(az, requester, "authentication.k8s.io", "uids", "",
			    uid, e) < 0)
		return -1;
	if (is_sa && (!groups || !groups[0]))
		extra = sa_groups(user);
	*out = authn_user_new(user, uid,
			      extra ? (const char *const *)extra : groups);
	authn_user_set_extra(*out, extra_pairs);
	for (size_t i = 0; extra && extra[i]; i++)
		free(extra[i]);
	free(extra);
	return 0;
}
