/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry: one OCI distribution endpoint over libcurl, with the
 * authentication dance registries use:
 *   1. the request goes out (with a token or Basic credentials when we
 *      already have them);
 *   2. a 401 carries WWW-Authenticate: Basic -> retry with credentials;
 *      Bearer realm/service/scope -> GET realm?service=..&scope=.. (with
 *      Basic credentials when we have some, anonymous otherwise), take
 *      "token" or "access_token" from the JSON answer, retry with
 *      "Authorization: Bearer T";
 *   3. a second 401 (or a refused token request) is ERR_UNAUTHORIZED.
 * Responses go to memory (bounded) or to a file while being hashed, so a
 * blob is verified as it arrives.  A struct img_endpoint belongs to one
 * thread (one pull).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "cluster/image/registry.h"
#include "common/json.h"
#include "common/mem.h"

#define TOKEN_MAX (64 * 1024)

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void img_endpoint_init(struct img_endpoint *ep, const char *base,
		       const struct img_reg_config *cfg, const char *user,
		       const char *pass)
{
	memset(ep, 0, sizeof(*ep));
	pthread_once(&curl_once, curl_init);
	ep->base = xstrdup(base);
	ep->cfg = cfg;
	ep->user = xstrdup(user);
	ep->pass = xstrdup(pass);
}

void img_endpoint_done(struct img_endpoint *ep)
{
	free(ep->base);
	free(ep->user);
	free(ep->pass);
	free(ep->authz);
	memset(ep, 0, sizeof(*ep));
}

struct sink {
	struct buf *mem;
	size_t max;
	int fd;
	struct img_hash *hash;
	int64_t total, limit;
	bool over;
	long cur_status;	/* of the response being received */
	/* headers of the last response */
	char *content_type, *www_auth;
};

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct sink *k = ud;
	size_t len = size * n;

	if (k->cur_status < 200 || k->cur_status > 299)
		return len;	/* error pages, redirects: not the content */
	k->total += (int64_t)len;
	if ((k->limit >= 0 && k->total > k->limit) ||
	    (k->mem && k->mem->len + len > k->max)) {
		k->over = true;
		return 0;
	}
	if (k->mem)
		buf_add(k->mem, p, len);
	if (k->hash)
		img_hash_update(k->hash, p, len);
	if (k->fd >= 0 && write(k->fd, p, len) != (ssize_t)len)
		return 0;
	return len;
}

/* Copy a header's value when name matches (case-insensitively). */
static void take_header(const char *line, size_t len, const char *name,
			char **slot)
{
	size_t nl = strlen(name);

	if (len <= nl + 1 || strncasecmp(line, name, nl) || line[nl] != ':')
		return;
	line += nl + 1;
	len -= nl + 1;
	while (len && (*line == ' ' || *line == '\t'))
		line++, len--;
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	free(*slot);
	*slot = xstrndup(line, len);
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct sink *k = ud;
	size_t len = size * n;

	if (len > 5 && !strncmp(p, "HTTP/", 5)) {
		/* a new response (redirects, 100-continue): forget the last */
		free(k->content_type);
		free(k->www_auth);
		k->content_type = k->www_auth = NULL;
		k->cur_status = 0;
		const char *sp = memchr(p, ' ', len);

		if (sp && (size_t)(sp - p) + 4 <= len)
			k->cur_status = (sp[1] - '0') * 100 +
					(sp[2] - '0') * 10 + (sp[3] - '0');
	}
	take_header(p, len, "Content-Type", &k->content_type);
	take_header(p, len, "WWW-Authenticate", &k->www_auth);
	return len;
}

static void set_tls(CURL *c, const struct img_reg_config *cfg)
{
	if (!cfg)
		return;
	if (cfg->insecure_skip_verify) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (cfg->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, cfg->ca_file);
	if (cfg->cert_file)
		curl_easy_setopt(c, CURLOPT_SSLCERT, cfg->cert_file);
	if (cfg->key_file)
		curl_easy_setopt(c, CURLOPT_SSLKEY, cfg->key_file);
}

/*
 * One GET (or HEAD when head) of url into k.  *status gets the HTTP
 * status; -1 with ERR_UNAVAILABLE when the server could not be reached.
 */
static int http_get(struct img_endpoint *ep, const char *url,
		    const char *accept, const char *authz, bool basic_user,
		    struct sink *k, long *status, struct err *e)
{
	CURL *c = curl_easy_init();
	struct curl_slist *hdrs = NULL;
	char *h, ebuf[CURL_ERROR_SIZE] = "", oserr[128] = "";
	long os_errno = 0;
	CURLcode rc;

	if (!c)
		mem_oom();
	if (accept) {
		h = xasprintf("Accept: %s", accept);
		hdrs = curl_slist_append(hdrs, h);
		free(h);
	}
	if (authz) {
		h = xasprintf("Authorization: %s", authz);
		hdrs = curl_slist_append(hdrs, h);
		free(h);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS,
			 (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS,
			 (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "kdeck/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, k);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, k);
	if (basic_user && ep->user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, ep->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, ep->pass ? ep->pass : "");
	}
	set_tls(c, ep->cfg);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	if (k->over)
		return err_set(e, ERR_TOO_LARGE, "GET %s: response larger "
			       "than expected", url);
	if (rc != CURLE_OK && os_errno) {
		snprintf(oserr, sizeof(oserr), ": %s", strerror((int)os_errno));
		oserr[2] = (char)tolower((unsigned char)oserr[2]);
	}
	if (rc != CURLE_OK)
		return err_set(e, ERR_UNAVAILABLE, "failed to do request: GET "
			       "\"%s\": %s%s", url,
			       *ebuf ? ebuf : curl_easy_strerror(rc), oserr);
	return 0;
}

static void sink_done(struct sink *k)
{
	free(k->content_type);
	free(k->www_auth);
	k->content_type = k->www_auth = NULL;
}

/* Fetch a Bearer token for challenge c into ep->authz. */
static int fetch_token(struct img_endpoint *ep, const struct img_challenge *c,
		       const char *scope, struct err *e)
{
	struct buf body = BUF_INIT;
	struct sink k = { .mem = &body, .max = TOKEN_MAX, .fd = -1,
			  .limit = -1 };
	CURL *esc = curl_easy_init();
	char *svc = esc && c->service ? curl_easy_escape(esc, c->service, 0)
				      : NULL;
	char *sc = esc ? curl_easy_escape(esc, c->scope ? c->scope : scope, 0)
		       : NULL;
	char *url = xasprintf("%s%sservice=%s&scope=%s", c->realm,
			      strchr(c->realm, '?') ? "&" : "?",
			      svc ? svc : "", sc ? sc : "");
	const char *tok;
	cJSON *j = NULL;
	long status = 0;
	int rc = -1;

	if (http_get(ep, url, NULL, NULL, true, &k, &status, e) < 0)
		goto out;
	if (status != 200) {
		err_set(e, status == 401 || status == 403 ? ERR_UNAUTHORIZED
							  : err_from_http((int)status),
			"failed to authorize: failed to fetch %s token: "
			"unexpected status from GET request to %s: %ld",
			ep->user ? "oauth" : "anonymous", c->realm, status);
		goto out;
	}
	j = json_parse(buf_cstr(&body), body.len, e);
	tok = json_get_str(j, "token");
	if (!tok || !*tok)
		tok = json_get_str(j, "access_token");
	if (!tok || !*tok || strpbrk(tok, "\r\n")) {
		err_set(e, ERR_UNAUTHORIZED, "failed to authorize: the token "
			"server %s returned no token", c->realm);
		goto out;
	}
	free(ep->authz);
	ep->authz = xasprintf("Bearer %s", tok);
	rc = 0;
out:
	cJSON_Delete(j);
	curl_free(svc);
	curl_free(sc);
	if (esc)
		curl_easy_cleanup(esc);
	free(url);
	buf_free(&body);
	sink_done(&k);
	return rc;
}

/* React to a 401: get a token or Basic credentials; -1 if we cannot. */
static int authenticate(struct img_endpoint *ep, const char *www_auth,
			const char *scope, struct err *e)
{
	struct img_challenge c = {0};
	char *up, *b64;
	int rc;

	if (!www_auth || img_www_auth_parse(www_auth, &c, e) < 0)
		return err_set(e, ERR_UNAUTHORIZED, "401 Unauthorized");
	if (!strcmp(c.scheme, "bearer")) {
		rc = fetch_token(ep, &c, scope, e);
	} else if (!strcmp(c.scheme, "basic") && ep->user) {
		up = xasprintf("%s:%s", ep->user, ep->pass ? ep->pass : "");
		b64 = img_base64(up, strlen(up));
		free(ep->authz);
		ep->authz = xasprintf("Basic %s", b64);
		free(b64);
		free(up);
		rc = 0;
	} else {
		rc = err_set(e, ERR_UNAUTHORIZED, "401 Unauthorized (no "
			     "credentials for %s)", ep->base);
	}
	img_challenge_done(&c);
	return rc;
}

int img_endpoint_get(struct img_endpoint *ep, const char *path,
		     const char *accept, const char *scope,
		     struct img_response *r, struct err *e)
{
	char *url = xasprintf("%s%s", ep->base, path);
	struct sink k = { .mem = r->body, .max = r->max, .fd = r->fd,
			  .hash = r->hash, .limit = r->limit };
	int rc = -1;

	for (int attempt = 0; attempt < 2; attempt++) {
		sink_done(&k);
		k.total = 0;
		if (http_get(ep, url, accept, ep->authz, false, &k, &r->status,
			     e) < 0)
			goto out;
		if (r->status != 401 || attempt)
			break;
		if (r->body)
			buf_reset(r->body);
		if (authenticate(ep, k.www_auth, scope, e) < 0)
			goto out;
	}
	if (r->status == 401 || r->status == 403) {
		err_set(e, ERR_UNAUTHORIZED, "unexpected status from GET "
			"request to %s: %ld %s", url, r->status,
			r->status == 401 ? "Unauthorized" : "Forbidden");
		goto out;
	}
	r->content_type = k.content_type;
	k.content_type = NULL;
	r->total = k.total;
	rc = 0;
out:
	sink_done(&k);
	free(url);
	return rc;
}
