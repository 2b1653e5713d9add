/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_authn: token-file parsing (kube-apiserver's CSV format), request
 * authentication by admin token, token file (with reload), client
 * certificate and ServiceAccount JWT, and JWT issue/verify including
 * expiry, tampering, wrong key and wrong audience.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "cluster/authn.h"
#include "cluster/pki.h"
#include "cluster/satoken.h"
#include "common/mem.h"
#include "tests/tap.h"

static const struct {
	const char *text;
	int ntokens; /* -1 = parse error */
	const char *user0, *uid0, *group0, *group1;
} parse_cases[] = {
    {"tok1,alice,u1\n", 1, "alice", "u1", NULL, NULL},
    {"tok1,alice,u1,\"dev,ops\"\n", 1, "alice", "u1", "dev", "ops"},
    {" tok1 , alice , u1 , \" dev , ops \"\r\n", 1, "alice", "u1", "dev",
     "ops"},
    {"\n\ntok1,alice,u1,dev\n\ntok2,bob,u2\n", 2, "alice", "u1", "dev", NULL},
    {"tok1,\"al\"\"ice\",u1", 1, "al\"ice", "u1", NULL, NULL},
    {"tok1,alice\n", -1, NULL, NULL, NULL, NULL},
    {"tok1,alice,u1,\"dev\n", -1, NULL, NULL, NULL, NULL},
    {"", 0, NULL, NULL, NULL, NULL},
    {"t1,a,u\r\n\r\nt2,b,v\r\n", 2, "a", "u", NULL, NULL},
    {",alice,u1\n", 0, NULL, NULL, NULL, NULL},
};

static void test_parse(void)
{
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]);
	     i++) {
		struct vec v = VEC_INIT;
		struct err e;
		int rc = authn_tokens_parse(
		    parse_cases[i].text, strlen(parse_cases[i].text), &v, &e);
		struct authn_token *t = vec_get(&v, 0);

		if (parse_cases[i].ntokens < 0) {
			ok(rc < 0 && e.code == ERR_PARSE && v.len == 0,
			   "case %zu: refused (%s)", i, e.msg);
			continue;
		}
		is_int((long long)v.len, parse_cases[i].ntokens,
		       "case %zu: token count", i);
		if (parse_cases[i].user0) {
			is_str(t ? t->user : NULL, parse_cases[i].user0,
			       "case %zu: user", i);
			is_str(t ? t->uid : NULL, parse_cases[i].uid0,
			       "case %zu: uid", i);
			is_str(t ? t->groups[0] : NULL, parse_cases[i].group0,
			       "case %zu: group 0", i);
			if (parse_cases[i].group0)
				is_str(t ? t->groups[1] : NULL,
				       parse_cases[i].group1,
				       "case %zu: group 1", i);
		}
		for (size_t k = 0; k < v.len; k++)
			authn_token_free(vec_get(&v, k));
		vec_free(&v, NULL);
	}
}

static bool has_group(const struct user_info *u, const char *g)
{
	for (size_t i = 0; u->groups[i]; i++)
		if (!strcmp(u->groups[i], g))
			return true;
	return false;
}

static void test_jwt(const struct pki *p, const struct pki *other)
{
	struct satoken *t = NULL, *t2 = NULL;
	struct satoken_req r = {.namespace = "team-a",
				.name = "builder",
				.uid = "uid-1",
				.now = 1700000000};
	static const char *const aud[] = {"vault", NULL};
	struct satoken_subject s;
	char *tok = NULL, *bad;
	int64_t exp = 0;
	struct err e;

	ok(satoken_new(p->sa_key, p->sa_pub, NULL, &t, &e) == 0, "signer: %s",
	   e.msg);
	satoken_new(other->sa_key, other->sa_pub, NULL, &t2, &e);
	ok(satoken_issue(t, &r, &tok, &exp, &e) == 0, "issue");
	is_int(exp, 1700000000 + 3600, "default expiry one hour");
	ok(satoken_looks_like_jwt(tok), "looks like a JWT");
	ok(satoken_verify(t, tok, 1700000100, &s, &e) == 0, "verifies: %s",
	   e.msg);
	is_str(s.namespace, "team-a", "namespace claim");
	is_str(s.name, "builder", "name claim");
	is_str(s.uid, "uid-1", "uid claim");
	satoken_subject_done(&s);
	ok(satoken_verify(t, tok, 1700003601, &s, &e) < 0 &&
	       e.code == ERR_UNAUTHORIZED,
	   "expired token refused (%s)", e.msg);
	ok(satoken_verify(t2, tok, 1700000100, &s, &e) < 0,
	   "other key refuses it");
	bad = xstrdup(tok);
	bad[strchr(bad, '.') - bad + 5] ^= 1;
	ok(satoken_verify(t, bad, 1700000100, &s, &e) < 0,
	   "tampered claims refused");
	free(bad);
	bad = xstrdup(tok);
	bad[strlen(bad) - 3] = bad[strlen(bad) - 3] == 'A' ? 'B' : 'A';
	ok(satoken_verify(t, bad, 1700000100, &s, &e) < 0,
	   "tampered signature refused");
	free(bad);
	ok(satoken_verify(t, "eyJ.x.y", 0, &s, &e) < 0, "garbage refused");
	free(tok);
	r.audiences = aud;
	satoken_issue(t, &r, &tok, NULL, &e);
	ok(satoken_verify(t, tok, 1700000100, &s, &e) < 0,
	   "foreign audience refused");
	free(tok);
	r.audiences = NULL;
	r.expiration_seconds = 60;
	ok(satoken_issue(t, &r, &tok, NULL, &e) < 0 && e.code == ERR_INVALID,
	   "expiry below 10 minutes refused");
	r.expiration_seconds = 0;
	r.name = "";
	ok(satoken_issue(t, &r, &tok, NULL, &e) < 0, "no name refused");
	satoken_free(t);
	satoken_free(t2);
	satoken_free(NULL);
}

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	fputs(text, fp);
	fclose(fp);
}

static void test_requests(const struct pki *p, const char *tokfile)
{
	struct satoken *sa = NULL;
	struct authn *a = NULL;
	struct user_info *u = NULL;
	struct satoken_req r = {.namespace = "ns1", .name = "sa1", .uid = "x"};
	gnutls_datum_t in = {(unsigned char *)p->admin_cert,
			     (unsigned)strlen(p->admin_cert)},
		       der;
	char *hdr, *tok;
	struct err e;

	satoken_new(p->sa_key, p->sa_pub, NULL, &sa, &e);
	ok(authn_new(p, tokfile, sa, &a, &e) == 0, "authn_new");
	ok(authn_request(a, NULL, 0, NULL, &u, &e) < 0 &&
	       e.code == ERR_UNAUTHORIZED,
	   "no credentials: 401");
	ok(authn_request(a, NULL, 0, "Bearer nope", &u, &e) < 0,
	   "unknown token: 401");
	ok(authn_request(a, NULL, 0, "Basic eDp5", &u, &e) < 0,
	   "basic auth: 401");
	hdr = xasprintf("Bearer %s", p->admin_token);
	ok(authn_request(a, NULL, 0, hdr, &u, &e) == 0 &&
	       !strcmp(u->name, "kubernetes-admin") &&
	       has_group(u, "system:masters") &&
	       has_group(u, "system:authenticated"),
	   "admin token");
	authn_user_free(u);
	free(hdr);
	write_text(tokfile, "t0k3n,alice,a-1,\"dev,qa\"\n");
	ok(authn_request(a, NULL, 0, "bearer t0k3n", &u, &e) == 0 &&
	       !strcmp(u->name, "alice") && !strcmp(u->uid, "a-1") &&
	       has_group(u, "qa") && has_group(u, "system:authenticated"),
	   "token file user");
	authn_user_free(u);
	sleep(1); /* a new mtime for the rewrite */
	write_text(tokfile, "newtok,bob,b-1\n");
	ok(authn_request(a, NULL, 0, "Bearer t0k3n", &u, &e) < 0,
	   "old token gone after edit");
	ok(authn_request(a, NULL, 0, "Bearer newtok", &u, &e) == 0 &&
	       !strcmp(u->name, "bob"),
	   "new token after edit");
	authn_user_free(u);
	satoken_issue(sa, &r, &tok, NULL, &e);
	hdr = xasprintf("Bearer %s", tok);
	ok(authn_request(a, NULL, 0, hdr, &u, &e) == 0 &&
	       !strcmp(u->name, "system:serviceaccount:ns1:sa1") &&
	       has_group(u, "system:serviceaccounts:ns1"),
	   "service account token");
	authn_user_free(u);
	free(hdr);
	free(tok);
	gnutls_pem_base64_decode2("CERTIFICATE", &in, &der);
	ok(authn_request(a, der.data, der.size, NULL, &u, &e) == 0 &&
	       !strcmp(u->name, "kubernetes-admin") &&
	       has_group(u, "system:masters"),
	   "client certificate");
	authn_user_free(u);
	gnutls_free(der.data);
	ok(authn_impersonate(NULL, NULL, NULL, (const char *const[]){"g", NULL},
			     NULL, NULL, &u, &e) < 0 &&
	       e.code == ERR_BAD_REQUEST,
	   "impersonating groups without a user is a bad request");
	u = authn_user_new("x", "", NULL);
	authn_user_set_extra(u, (const char *const[]){"scopes", "a", "scopes", "b", "odd", NULL});
	ok(u->extra && !strcmp(u->extra[0], "scopes") && !strcmp(u->extra[3], "b") &&
	       !u->extra[4], "extra pairs copied, an odd tail dropped");
	authn_user_free(u);
	authn_free(a);
	authn_free(NULL);
	satoken_free(sa);
}

/* The validator's object check: uid, and deletion beyond the leeway. */
static void test_obj_valid(void)
{
	static const struct { const char *json, *uid; int64_t now; bool want; } c[] = {
		{ "{\"metadata\":{\"uid\":\"u1\"}}", "u1", 1000, true },
		{ "{\"metadata\":{\"uid\":\"u1\"}}", "u2", 1000, false },
		{ "{\"metadata\":{\"uid\":\"u1\"}}", "", 1000, true },
		/* deletionTimestamp 2026-11-29T10:00:00Z = 1795946400 */
		{ "{\"metadata\":{\"uid\":\"u1\",\"deletionTimestamp\":\"2026-11-29T10:00:00Z\"}}", "u1", 1795946400 + 30, true },
		{ "{\"metadata\":{\"uid\":\"u1\",\"deletionTimestamp\":\"2026-11-29T10:00:00Z\"}}", "u1", 1795946400 + 61, false },
	};

	ok(!satoken_obj_valid(NULL, "u1", 0), "a deleted object invalidates");
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		cJSON *o = cJSON_Parse(c[i].json);

		is_int(satoken_obj_valid(o, c[i].uid, c[i].now), c[i].want, "obj valid %zu", i);
		cJSON_Delete(o);
	}
}

int main(void)
{
	char tmpl[] = "/tmp/kdeck-test-authn.XXXXXX";
	char *dir = mkdtemp(tmpl), *p1, *p2, *tf, *cmd;
	struct pki *p = NULL, *other = NULL;
	struct err e;

	p1 = xasprintf("%s/a", dir);
	p2 = xasprintf("%s/b", dir);
	tf = xasprintf("%s/tokens.csv", dir);
	test_parse();
	test_obj_valid();
	if (pki_ensure(p1, NULL, &p, &e) < 0 ||
	    pki_ensure(p2, NULL, &other, &e) < 0) {
		ok(0, "PKI: %s", e.msg);
		return tap_done();
	}
	test_jwt(p, other);
	test_requests(p, tf);
	pki_free(p);
	pki_free(other);
	cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("cleanup failed");
	free(cmd);
	free(p1);
	free(p2);
	free(tf);
	return tap_done();
}
