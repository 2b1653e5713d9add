/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_server: the HTTPS server on its own (no store, no API), driven by
 * libcurl: health endpoints, readiness, 401 Status JSON, admin token,
 * token file and client-certificate authentication, a foreign CA, 413 and
 * 415 answers, ALPN falling back to HTTP/1.1, /metrics, graceful stop.
 * Requests that would reach api_handle() are not made here (the API has
 * its own tests; the integration tests drive the whole daemon).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "cluster/authn.h"
#include "cluster/pki.h"
#include "cluster/server.h"
#include "common/file.h"
#include "common/buf.h"
#include "common/mem.h"
#include "tests/tap.h"

static char *dir, *url_base;

struct call {
	const char *path;
	const char *cert, *key; /* file names under dir, or NULL */
	const char *header;	/* one extra header, or NULL */
	size_t body_len;	/* POST this many bytes when > 0 */
	bool http2;
};

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return size * n;
}

/* Perform c; returns the HTTP status (-1 on transport failure). */
static long perform(const struct call *c, struct buf *out, long *version)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdrs = NULL;
	char *url = xasprintf("%s%s", url_base, c->path);
	char *ca = xasprintf("%s/ca.crt", dir), *cert = NULL, *key = NULL;
	char *body = NULL;
	long code = -1;

	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(h, CURLOPT_HTTP_VERSION,
			 c->http2 ? CURL_HTTP_VERSION_2TLS
				  : CURL_HTTP_VERSION_1_1);
	if (c->cert) {
		cert = xasprintf("%s/%s", dir, c->cert);
		key = xasprintf("%s/%s", dir, c->key);
		curl_easy_setopt(h, CURLOPT_SSLCERT, cert);
		curl_easy_setopt(h, CURLOPT_SSLKEY, key);
	}
	if (c->header)
		hdrs = curl_slist_append(hdrs, c->header);
	if (c->body_len) {
		body = xcalloc(1, c->body_len);
		memset(body, 'x', c->body_len);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)c->body_len);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	if (curl_easy_perform(h) == CURLE_OK) {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		if (version)
			curl_easy_getinfo(h, CURLINFO_HTTP_VERSION, version);
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	free(url);
	free(ca);
	free(cert);
	free(key);
	free(body);
	return code;
}

static char *admin_hdr, *sa_hdr;

static const struct {
	const char *name;
	struct call c;
	long code;
	const char *contains;
} cases[] = {
    {"healthz is public", {.path = "/healthz"}, 200, "ok"},
    {"livez is public", {.path = "/livez"}, 200, "ok"},
    {"readyz verbose lists checks",
     {.path = "/readyz?verbose"},
     200,
     "[+]ping ok"},
    {"anonymous API request is 401",
     {.path = "/api/v1/pods"},
     401,
     "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":"
     "\"Failure\","
     "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}"},
    {"anonymous metrics is 401", {.path = "/metrics"}, 401, "Unauthorized"},
    {"admin cert reads metrics",
     {.path = "/metrics", .cert = "admin.crt", .key = "admin.key"},
     200,
     "kdeck_http_requests_total{method=\"GET\",code=\"401\"}"},
    {"token file user reads metrics",
     {.path = "/metrics", .header = "Authorization: Bearer filetok"},
     200,
     "kdeck_http_request_duration_seconds_bucket"},
    {"unknown token is 401",
     {.path = "/metrics", .header = "Authorization: Bearer nope"},
     401,
     "Unauthorized"},
    {"bad token on a public path is still 401",
     {.path = "/healthz", .header = "Authorization: Bearer nope"},
     401,
     "Unauthorized"},
    {"foreign CA client cert is 401",
     {.path = "/metrics", .cert = "evil.crt", .key = "evil.key"},
     401,
     "Unauthorized"},
    {"Content-Encoding is 415",
     {.path = "/api/v1/namespaces",
      .cert = "admin.crt",
      .key = "admin.key",
      .header = "Content-Encoding: gzip",
      .body_len = 10},
     415,
     "\"reason\":\"UnsupportedMediaType\""},
    {"oversized body is 413",
     {.path = "/api/v1/namespaces",
      .cert = "admin.crt",
      .key = "admin.key",
      .body_len = API_BODY_MAX + 1},
     413,
     "\"code\":413"},
    {"oversized chunked body is 413",
     {.path = "/api/v1/namespaces",
      .cert = "admin.crt",
      .key = "admin.key",
      .header = "Transfer-Encoding: chunked",
      .body_len = API_BODY_MAX + 100},
     413,
     "\"code\":413"},
    {"h2 offer still gets an answer",
     {.path = "/healthz", .http2 = true},
     200,
     "ok"},
};

static void run_cases(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;
		long version = 0;
		long code = perform(&cases[i].c, &b, &version);

		is_int(code, cases[i].code, "%s: status", cases[i].name);
		ok(strstr(buf_cstr(&b), cases[i].contains) != NULL, "%s: body",
		   cases[i].name);
		if (code != cases[i].code ||
		    !strstr(buf_cstr(&b), cases[i].contains))
			printf("# body: %.300s\n", buf_cstr(&b));
		if (cases[i].c.http2)
			is_int(version, CURL_HTTP_VERSION_1_1,
			       "%s: ALPN picks http/1.1", cases[i].name);
		buf_free(&b);
	}
}

static void write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct err e;

	if (file_write_atomic(path, text, strlen(text), 0600, &e) < 0)
		diag(e.msg);
	free(path);
}

int main(void)
{
	char tmpl[] = "/tmp/kdeck-test-server.XXXXXX";
	struct pki *p = NULL, *evil = NULL;
	struct authn *a = NULL;
	struct server *s = NULL;
	struct server_config cfg;
	char *edir, *tok, *crt, *key, *cmd;
	struct buf b = BUF_INIT;
	struct err e;
	int fd, port;

	dir = mkdtemp(tmpl);
	edir = xasprintf("%s/evil", dir);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (pki_ensure(dir, NULL, &p, &e) < 0 ||
	    pki_ensure(edir, NULL, &evil, &e) < 0 ||
	    server_listen("127.0.0.1", 0, false, &fd, &port, &e) < 0) {
		ok(0, "setup: %s", e.msg);
		return tap_done();
	}
	pki_issue_client(evil, "kubernetes-admin",
			 (const char *const[]){"system:masters", NULL}, 1, &crt,
			 &key, &e);
	write_file("evil.crt", crt);
	write_file("evil.key", key);
	free(crt);
	free(key);
	tok = xasprintf("%s/tokens.csv", dir);
	write_file("tokens.csv", "filetok,alice,a1,dev\n");
	authn_new(p, tok, NULL, &a, &e);
	memset(&cfg, 0, sizeof(cfg));
	cfg.listen_fd = fd;
	cfg.pki = p;
	cfg.authn = a;
	ok(server_start(&cfg, &s, &e) == 0, "server starts: %s", e.msg);
	url_base = xasprintf("https://127.0.0.1:%d", port);
	is_int(perform(&(struct call){.path = "/readyz"}, &b, NULL), 503,
	       "not ready before bootstrap");
	server_set_ready(s, true);
	is_int(perform(&(struct call){.path = "/readyz"}, &b, NULL), 200,
	       "ready after");
	run_cases();
	server_stop(s, 1000);
	buf_reset(&b);
	ok(perform(&(struct call){.path = "/healthz"}, &b, NULL) < 0,
	   "nothing listens after stop");
	buf_free(&b);
	authn_free(a);
	pki_free(p);
	pki_free(evil);
	admin_hdr = sa_hdr = NULL;
	cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("cleanup failed");
	free(cmd);
	free(edir);
	free(tok);
	free(url_base);
	curl_global_cleanup();
	return tap_done();
}
