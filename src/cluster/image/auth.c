/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth: the two credential-related formats of registry pulls.
 *
 * WWW-Authenticate (RFC 7235): `Bearer realm="https://auth.example/token",
 * service="registry.example",scope="repository:a/b:pull"` or `Basic
 * realm="..."`.  Only the first challenge is used; parameter values are
 * tokens or quoted strings with backslash escapes.
 *
 * .dockerconfigjson: {"auths": {"HOST": {"auth": base64("user:pass")} or
 * {"username": u, "password": p}}}; HOST may carry a scheme and a path
 * ("https://index.docker.io/v1/") and Docker Hub has several names.
 * Pure functions over untrusted input.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cluster/image/image_priv.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

#define AUTH_HEADER_MAX 8192

void img_challenge_done(struct img_challenge *c)
{
	if (!c)
		return;
	free(c->scheme);
	free(c->realm);
	free(c->service);
	free(c->scope);
	memset(c, 0, sizeof(*c));
}

static bool tchar(char c)
{
	return isalnum((unsigned char)c) || strchr("!#$%&'*+-.^_`|~/:", c);
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A token or quoted string at *p into *out; advances *p. */
static int param_value(const char **p, char **out)
{
	struct buf b = BUF_INIT;
	const char *s = *p;

	if (*s == '"') {
		for (s++; *s && *s != '"'; s++) {
			if (*s == '\\' && s[1])
				s++;
			buf_addc(&b, *s);
		}
		if (*s != '"') {
			buf_free(&b);
			return -1;
		}
		s++;
	} else {
		while (tchar(*s) || *s == '=')
			buf_addc(&b, *s++);
	}
	*p = s;
	*out = buf_take(&b);
	return 0;
}

/* Keep the parameters we use; others are dropped. */
static void keep_param(struct img_challenge *c, const char *key, char *val)
{
	char **slot = !strcasecmp(key, "realm")	    ? &c->realm
		      : !strcasecmp(key, "service") ? &c->service
		      : !strcasecmp(key, "scope")   ? &c->scope
						    : NULL;

	if (slot && !*slot)
		*slot = val;
	else
		free(val);
}

int img_www_auth_parse(const char *h, struct img_challenge *out,
		       struct err *e)
{
	struct img_challenge c = {0};
	const char *p = skip_ws(h ? h : "");
	size_t n = 0;

	if (strlen(p) > AUTH_HEADER_MAX)
		return err_set(e, ERR_INVALID, "WWW-Authenticate too long");
	while (isalnum((unsigned char)p[n]) || p[n] == '-' || p[n] == '_')
		n++;
	if (!n)
		return err_set(e, ERR_INVALID, "WWW-Authenticate: no scheme");
	c.scheme = xstrndup(p, n);
	for (char *s = c.scheme; *s; s++)
		*s = (char)tolower((unsigned char)*s);
	for (p = skip_ws(p + n); *p;) {
		char key[64], *val;
		size_t k = 0;

		while (tchar(p[k]) && p[k] != '/' && p[k] != ':')
			k++;
		if (!k || k >= sizeof(key) || p[k] != '=')
			break;	/* a second challenge or junk: stop */
		memcpy(key, p, k);
		key[k] = '\0';
		p += k + 1;
		if (param_value(&p, &val) < 0) {
			img_challenge_done(&c);
			return err_set(e, ERR_INVALID, "WWW-Authenticate: "
				       "unterminated quoted string");
		}
		keep_param(&c, key, val);
		p = skip_ws(p);
		if (*p != ',')
			break;
		p = skip_ws(p + 1);
	}
	if (!strcmp(c.scheme, "bearer") && !c.realm) {
		img_challenge_done(&c);
		return err_set(e, ERR_INVALID, "WWW-Authenticate: Bearer "
			       "challenge without realm");
	}
	*out = c;
	return 0;
}

/* "https://index.docker.io/v1/" -> "docker.io"; caller frees. */
static char *key_host(const char *key)
{
	const char *p = key;
	char *h;

	if (!strncmp(p, "https://", 8))
		p += 8;
	else if (!strncmp(p, "http://", 7))
		p += 7;
	h = xstrndup(p, strcspn(p, "/"));
	if (!strcmp(h, "index.docker.io") ||
	    !strcmp(h, "registry-1.docker.io")) {
		free(h);
		h = xstrdup("docker.io");
	}
	return h;
}

/* user:pass from one auths entry. */
static int entry_creds(const cJSON *ent, char **user, char **pass)
{
	const char *a = json_get_str(ent, "auth");
	const char *u = json_get_str(ent, "username");
	const char *p = json_get_str(ent, "password");
	char *dec, *colon;
	size_t n;

	if (a && *a) {
		if (img_unbase64(a, &dec, &n) < 0)
			return -1;
		colon = strchr(dec, ':');
		if (!colon || strlen(dec) != n) {
			free(dec);
			return -1;
		}
		*user = xstrndup(dec, (size_t)(colon - dec));
		*pass = xstrdup(colon + 1);
		free(dec);
		return 0;
	}
	if (!u || !p)
		return -1;
	*user = xstrdup(u);
	*pass = xstrdup(p);
	return 0;
}

int img_dockercfg_lookup(const char *doc, const char *host, char **user,
			 char **pass)
{
	struct err e = {0};
	cJSON *root = doc ? json_parse(doc, strlen(doc), &e) : NULL;
	const cJSON *auths = json_obj(root, "auths"), *ent;
	int rc = -1;

	if (!cJSON_IsObject(auths))
		auths = root;	/* the old ~/.dockercfg shape */
	if (!cJSON_IsObject(auths))
		auths = NULL;
	cJSON_ArrayForEach(ent, auths) {
		char *h = key_host(ent->string);
		bool match = !strcmp(h, host);

		free(h);
		if (match && entry_creds(ent, user, pass) == 0) {
			rc = 0;
			break;
		}
	}
	cJSON_Delete(root);
	return rc;
}
