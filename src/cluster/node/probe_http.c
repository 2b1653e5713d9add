/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe_http: httpGet and grpc probe actions over libcurl.
 *
 * httpGet as kubelet's pkg/probe/http: scheme HTTP or HTTPS (certificates
 * not verified), no proxy, User-Agent kube-probe/1.33 and Accept "any" unless
 * httpHeaders set them (a Host header names the virtual host), redirects
 * followed only to the same host name (at most 10), 200..399 success, a
 * redirect elsewhere is a warning ("Probe terminated redirects, Response
 * body: ..."), other codes "HTTP probe failed with statuscode: N", transport
 * errors in Go's words: Get "URL": dial tcp IP:PORT: connect: connection
 * refused, or context deadline exceeded (Client.Timeout exceeded while
 * awaiting headers).
 *
 * grpc as kubelet's pkg/probe/grpc: grpc.health.v1.Health/Check over h2c
 * (HTTP/2 with prior knowledge): a length-prefixed HealthCheckRequest
 * (field 1: service), then the grpc-status trailer and the response's
 * status field (1 = SERVING).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "cluster/node/probe_int.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

#define MAX_REDIRECTS 10

struct reply {
	struct buf body;	/* at most PROBE_MAX_OUTPUT */
	char grpc_status[16];
	char grpc_message[256];
};

static enum probe_result say(char **msg, enum probe_result r,
			     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum probe_result say(char **msg, enum probe_result r,
			     const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (msg)
		*msg = buf_take(&b);
	buf_free(&b);
	return r;
}

static size_t on_body(char *p, size_t sz, size_t n, void *arg)
{
	struct reply *r = arg;
	size_t len = sz * n, room = PROBE_MAX_OUTPUT - r->body.len;

	buf_add(&r->body, p, len < room ? len : room);
	return len;
}

/* Headers and (HTTP/2) trailers: keep grpc-status and grpc-message. */
static size_t on_header(char *p, size_t sz, size_t n, void *arg)
{
	struct reply *r = arg;
	size_t len = sz * n;
	char line[400];

	snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) - 1 ? len : sizeof(line) - 1), p);
	line[strcspn(line, "\r\n")] = '\0';
	if (!strncasecmp(line, "grpc-status:", 12))
		snprintf(r->grpc_status, sizeof(r->grpc_status), "%s", line + 12 + strspn(line + 12, " "));
	else if (!strncasecmp(line, "grpc-message:", 13))
		snprintf(r->grpc_message, sizeof(r->grpc_message), "%s", line + 13 + strspn(line + 13, " "));
	return len;
}

static CURL *easy(const struct probe_target *t, struct reply *r,
		  struct curl_slist *hdrs)
{
	CURL *c = curl_easy_init();

	if (!c)
		mem_oom();
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)t->timeout_ms);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	return c;
}

/* Go's text for a failed request to url (net/http + net errors). */
static void transport_error(CURL *c, CURLcode rc, const char *url,
			    const char *addr, struct buf *out)
{
	long os_errno = 0;
	char text[128];

	curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
	buf_printf(out, "Get \"%s\": ", url);
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		buf_adds(out, "context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
	} else if (rc == CURLE_COULDNT_CONNECT && os_errno) {
		probe_errno_text((int)os_errno, text, sizeof(text));
		buf_printf(out, "dial tcp %s: connect: %s", addr, text);
	} else if (rc == CURLE_COULDNT_RESOLVE_HOST) {
		buf_printf(out, "dial tcp: lookup %.*s: no such host",
			   (int)strcspn(addr + (addr[0] == '['), addr[0] == '[' ? "]" : ":"),
			   addr + (addr[0] == '['));
	} else if (rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR) {
		buf_adds(out, "EOF");
	} else {
		buf_adds(out, curl_easy_strerror(rc));
	}
}

/* The host name of url ("" when it cannot be parsed); caller frees. */
static char *url_host(const char *url)
{
	CURLU *u = curl_url();
	char *h = NULL, *out;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK)
		curl_url_get(u, CURLUPART_HOST, &h, 0);
	out = xstrdup(h ? h : "");
	curl_free(h);
	curl_url_cleanup(u);
	return out;
}

/* Request headers: httpHeaders, then kubelet's defaults when absent. */
static struct curl_slist *http_headers(const cJSON *action)
{
	struct curl_slist *l = NULL;
	const cJSON *h;
	bool ua = false, accept = false;

	cJSON_ArrayForEach(h, json_get(action, "httpHeaders")) {
		const char *name = json_get_str(h, "name") ?: "";
		char *line = xasprintf("%s: %s", name, json_get_str(h, "value") ?: "");

		if (!*name) {
			free(line);
			continue;
		}
		ua |= !strcasecmp(name, "User-Agent");
		accept |= !strcasecmp(name, "Accept");
		l = curl_slist_append(l, line);
		free(line);
	}
	if (!ua)
		l = curl_slist_append(l, "User-Agent: " PROBE_USER_AGENT);
	if (!accept)
		l = curl_slist_append(l, "Accept: */*");
	return l;
}

static char *http_url(const struct probe_target *t, char *addr, size_t n)
{
	const char *scheme = json_get_str(t->action, "scheme") ?: "HTTP";
	const char *path = json_get_str(t->action, "path") ?: "";

	probe_join_host_port(t->host, t->port, addr, n);
	return xasprintf("%s://%s%s%s", strcasecmp(scheme, "HTTPS") ? "http" : "https",
			 addr, path[0] && path[0] != '/' ? "/" : "", path);
}

enum probe_result probe_http(const struct probe_target *t, char **msg)
{
	struct curl_slist *hdrs = http_headers(t->action);
	struct reply r = { .body = BUF_INIT };
	char addr[300], *url = http_url(t, addr, sizeof(addr));
	char *host = url_host(url);
	enum probe_result res = PROBE_FAILURE;
	struct buf err = BUF_INIT;
	CURL *c = easy(t, &r, hdrs);
	long code = 0;

	for (int hops = 0;; hops++) {
		char *next = NULL, *next_host;
		CURLcode rc;

		buf_reset(&r.body);
		curl_easy_setopt(c, CURLOPT_URL, url);
		rc = curl_easy_perform(c);
		if (rc != CURLE_OK) {
			transport_error(c, rc, url, addr, &err);
			res = say(msg, PROBE_FAILURE, "%s", buf_cstr(&err));
			break;
		}
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &next);
		if (code < 300 || code >= 400 || !next) {
			res = code >= 200 && code < 400
				      ? say(msg, PROBE_SUCCESS, "%s", "")
				      : say(msg, PROBE_FAILURE, "HTTP probe failed with statuscode: %ld", code);
			break;
		}
		next_host = url_host(next);
		if (strcmp(next_host, host)) {
			free(next_host);
			res = say(msg, PROBE_WARNING, "Probe terminated redirects, Response body: %s",
				  buf_cstr(&r.body));
			break;
		}
		free(next_host);
		if (hops + 1 >= MAX_REDIRECTS) {
			res = say(msg, PROBE_FAILURE, "Get \"%s\": stopped after %d redirects",
				  next, MAX_REDIRECTS);
			break;
		}
		free(url);
		url = xstrdup(next);
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(hdrs);
	buf_free(&r.body);
	buf_free(&err);
	free(url);
	free(host);
	return res;
}

/* --- grpc --- */

static const char *const grpc_codes[] = {
	"OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded",
	"NotFound", "AlreadyExists", "PermissionDenied", "ResourceExhausted",
	"FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented",
	"Internal", "Unavailable", "DataLoss", "Unauthenticated",
};

static const char *const serving_names[] = {
	"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN",
};

int probe_parse_health(const unsigned char *p, size_t n)
{
	size_t len, i = 5;
	int status = 0;

	if (n < 5 || p[0] != 0)
		return -1;
	len = (size_t)p[1] << 24 | (size_t)p[2] << 16 | (size_t)p[3] << 8 | p[4];
	if (len > n - 5)
		return -1;
	while (i < 5 + len) {
		unsigned key = p[i++];
		uint64_t v = 0;
		int shift = 0;

		if ((key & 7) != 0)	/* only varints in this message */
			return -1;
		while (i < 5 + len && shift < 64) {
			v |= (uint64_t)(p[i] & 0x7f) << shift;
			shift += 7;
			if (!(p[i++] & 0x80))
				break;
		}
		if (key >> 3 == 1)
			status = v > 1000000 ? 1000000 : (int)v;
	}
	return status;
}

static void grpc_request(const struct probe_target *t, struct buf *req)
{
	const char *svc = json_get_str(t->action, "service") ?: "";
	size_t n = strlen(svc) > 127 ? 127 : strlen(svc);
	size_t len = n ? n + 2 : 0;
	unsigned char hdr[5] = { 0, 0, 0, 0, (unsigned char)len };

	buf_add(req, hdr, 5);
	if (n) {
		buf_addc(req, 0x0a);
		buf_addc(req, (char)n);
		buf_add(req, svc, n);
	}
}

/* The reply of a completed call into a probe result. */
static enum probe_result grpc_result(const struct reply *r, int timeout_s,
				     char **msg)
{
	int code = r->grpc_status[0] ? atoi(r->grpc_status) : 2, st;
	const char *name = code >= 0 && code <= 16 ? grpc_codes[code] : "Unknown";

	if (code == 12)
		return say(msg, PROBE_FAILURE, "error: this server does not implement the grpc health protocol (grpc.health.v1.Health): %s",
			   r->grpc_message);
	if (code == 4)
		return say(msg, PROBE_FAILURE, "timeout: health rpc did not complete within %ds", timeout_s);
	if (code != 0)
		return say(msg, PROBE_FAILURE, "error: health rpc probe failed: rpc error: code = %s desc = %s",
			   name, r->grpc_message[0] || r->grpc_status[0] ? r->grpc_message
				   : "server closed the stream without sending trailers");
	st = probe_parse_health((const unsigned char *)r->body.data, r->body.len);
	if (st == 1)
		return say(msg, PROBE_SUCCESS, "%s", "");
	if (st < 0)
		return say(msg, PROBE_FAILURE, "error: health rpc probe failed: rpc error: code = Internal desc = grpc: failed to unmarshal the received message");
	if (st >= 4)	/* an enum value Go's String() does not name */
		return say(msg, PROBE_FAILURE, "service unhealthy (responded with \"%d\")", st);
	return say(msg, PROBE_FAILURE, "service unhealthy (responded with \"%s\")",
		   serving_names[st]);
}

enum probe_result probe_grpc(const struct probe_target *t, char **msg)
{
	struct curl_slist *hdrs = NULL;
	struct reply r = { .body = BUF_INIT };
	struct buf req = BUF_INIT, err = BUF_INIT;
	char addr[300], *url;
	enum probe_result res;
	CURLcode rc;
	CURL *c;

	probe_join_host_port(t->host, t->port, addr, sizeof(addr));
	url = xasprintf("http://%s/grpc.health.v1.Health/Check", addr);
	hdrs = curl_slist_append(hdrs, "Content-Type: application/grpc");
	hdrs = curl_slist_append(hdrs, "TE: trailers");
	hdrs = curl_slist_append(hdrs, "User-Agent: " PROBE_USER_AGENT);
	c = easy(t, &r, hdrs);
	grpc_request(t, &req);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.data);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)req.len);
	/*
	 * A server may reset the stream right after a trailers-only answer
	 * (grpc-status in the headers); the answer is what counts then.
	 * libcurl 7.88 sometimes drops those headers when the reset comes
	 * in the same read: ask again (twice) before calling it an error.
	 */
	for (int attempt = 0; attempt < 3; attempt++) {
		rc = curl_easy_perform(c);
		if ((rc != CURLE_HTTP2_STREAM && rc != CURLE_HTTP2 &&
		     rc != CURLE_RECV_ERROR) || r.grpc_status[0])
			break;
		buf_reset(&r.body);
		r.grpc_message[0] = '\0';
	}
	if ((rc == CURLE_HTTP2_STREAM || rc == CURLE_HTTP2 ||
	     rc == CURLE_RECV_ERROR) && r.grpc_status[0])
		rc = CURLE_OK;
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		res = say(msg, PROBE_FAILURE, "timeout: health rpc did not complete within %ds",
			  t->timeout_ms / 1000);
	} else if (rc != CURLE_OK) {
		transport_error(c, rc, url, addr, &err);
		res = say(msg, PROBE_FAILURE, "error: health rpc probe failed: rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: %s\"",
			  strstr(buf_cstr(&err), "dial tcp") ? strstr(buf_cstr(&err), "dial tcp")
							      : buf_cstr(&err));
	} else {
		res = grpc_result(&r, t->timeout_ms / 1000, msg);
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(hdrs);
	buf_free(&r.body);
	buf_free(&req);
	buf_free(&err);
	free(url);
	return res;
}
