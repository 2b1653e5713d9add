/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ws_head: the response head of a WebSocket upgrade, parsed strictly and
 * minimally (libcurl 7.88 has no WebSocket support, so the client sends
 * the upgrade itself over a CONNECT_ONLY connection and reads the answer
 * here).  Only what the decision needs is kept: the status, the upgrade
 * headers, Sec-WebSocket-Accept/-Protocol and the body framing of an
 * error answer.  Lines must end in CRLF; header names are HTTP tokens;
 * obsolete line folding is refused; the head is capped at WS_HEAD_MAX.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/private.h"
#include "client/stream.h"

static bool head_tchar(unsigned char ch)
{
	return isalnum(ch) || (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

/* "HTTP/1.x NNN reason" */
static int head_status(const char *p, size_t n, struct ws_head *h,
		       struct err *e)
{
	if (n < 12 || memcmp(p, "HTTP/1.", 7) || (p[7] != '0' && p[7] != '1') ||
	    p[8] != ' ' || !isdigit((unsigned char)p[9]) ||
	    !isdigit((unsigned char)p[10]) || !isdigit((unsigned char)p[11]) ||
	    (n > 12 && p[12] != ' '))
		return err_set(e, ERR_PARSE, "websocket: bad status line");
	h->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	if (h->status < 100)
		return err_set(e, ERR_PARSE, "websocket: bad status %d",
			       h->status);
	return 0;
}

/* Does the comma-separated list v (n bytes) hold token tok? */
static bool head_list_has(const char *v, size_t n, const char *tok)
{
	size_t tl = strlen(tok);

	while (n) {
		while (n && (*v == ' ' || *v == '\t' || *v == ',')) {
			v++;
			n--;
		}
		size_t l = 0;
		while (l < n && v[l] != ',')
			l++;
		size_t t = l;
		while (t && (v[t - 1] == ' ' || v[t - 1] == '\t'))
			t--;
		if (t == tl && !strncasecmp(v, tok, tl))
			return true;
		v += l;
		n -= l;
	}
	return false;
}

static void head_copy(char *dst, size_t cap, const char *v, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static int head_clen(const char *v, size_t n, struct ws_head *h,
		     struct err *e)
{
	long x = 0;

	if (!n || n > 9)
		return err_set(e, ERR_PARSE, "websocket: bad Content-Length");
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)v[i]))
			return err_set(e, ERR_PARSE,
				       "websocket: bad Content-Length");
		x = x * 10 + (v[i] - '0');
	}
	h->content_length = x;
	return 0;
}

/* One "Name: value" line (without CRLF). */
static int head_field(const char *p, size_t n, struct ws_head *h,
		      struct err *e)
{
	size_t k = 0;

	while (k < n && head_tchar((unsigned char)p[k]))
		k++;
	if (k == 0 || k == n || p[k] != ':')
		return err_set(e, ERR_PARSE, "websocket: bad header line");
	const char *v = p + k + 1;
	size_t vn = n - k - 1;
	while (vn && (*v == ' ' || *v == '\t')) {
		v++;
		vn--;
	}
	while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
		vn--;
	for (size_t i = 0; i < vn; i++)
		if ((unsigned char)v[i] < 0x20 && v[i] != '\t')
			return err_set(e, ERR_PARSE,
				       "websocket: control byte in header");
#define IS(name) (k == sizeof(name) - 1 && !strncasecmp(p, name, k))
	if (IS("upgrade"))
		h->upgrade_ws = head_list_has(v, vn, "websocket");
	else if (IS("connection"))
		h->connection_upgrade = head_list_has(v, vn, "upgrade");
	else if (IS("sec-websocket-accept"))
		head_copy(h->accept, sizeof(h->accept), v, vn);
	else if (IS("sec-websocket-protocol"))
		head_copy(h->protocol, sizeof(h->protocol), v, vn);
	else if (IS("content-length"))
		return head_clen(v, vn, h, e);
	else if (IS("transfer-encoding"))
		h->chunked = head_list_has(v, vn, "chunked");
#undef IS
	return 0;
}

int ws_head_parse(const char *buf, size_t len, struct ws_head *out,
		  struct err *e)
{
	struct ws_head h;
	size_t pos = 0, lines = 0;

	memset(&h, 0, sizeof(h));
	h.content_length = -1;
	for (;;) {
		const char *lf = memchr(buf + pos, '\n', len - pos);
		if (!lf)
			break;
		size_t end = (size_t)(lf - buf);
		if (end == pos || buf[end - 1] != '\r')
			return err_set(e, ERR_PARSE,
				       "websocket: header line without CRLF");
		size_t n = end - 1 - pos;
		const char *p = buf + pos;
		pos = end + 1;
		if (pos > WS_HEAD_MAX)
			break;
		if (lines++ == 0) {
			if (head_status(p, n, &h, e) < 0)
				return -1;
			continue;
		}
		if (n == 0) {
			h.head_len = pos;
			*out = h;
			return 1;
		}
		if (*p == ' ' || *p == '\t')
			return err_set(e, ERR_PARSE,
				       "websocket: folded header line");
		if (head_field(p, n, &h, e) < 0)
			return -1;
	}
	if (len >= WS_HEAD_MAX)
		return err_set(e, ERR_TOO_LARGE,
			       "websocket: response head over %d bytes",
			       WS_HEAD_MAX);
	return 0;
}

/* The JSON object inside an error body (plain or chunked framing). */
static void head_status_err(const struct ws_head *h, const char *body,
			    size_t len, struct err *e)
{
	const char *a = body ? memchr(body, '{', len) : NULL;
	const char *b = NULL;
	cJSON *j = NULL;

	for (size_t i = len; a && i > 0; i--)
		if (body[i - 1] == '}') {
			b = body + i;
			break;
		}
	if (a && b && b > a)
		j = cJSON_ParseWithLength(a, (size_t)(b - a));
	client_status_err(h->status, j, body ? body : "", body ? len : 0, e);
	cJSON_Delete(j);
}

int ws_head_check(const struct ws_head *h, const char *key,
		  const char *const *protocols, const char *body,
		  size_t body_len, int *chosen, struct err *e)
{
	char want[29];

	if (h->status != 101) {
		head_status_err(h, body, body_len, e);
		if (h->status == 200 || h->status == 426)
			err_set(e, ERR_UNAVAILABLE, "the server does not "
				"support WebSocket streams (HTTP %d)",
				h->status);
		return -1;
	}
	if (!h->upgrade_ws || !h->connection_upgrade)
		return err_set(e, ERR_UNAVAILABLE, "websocket: 101 without "
			       "Upgrade: websocket / Connection: upgrade");
	if (ws_accept_key(key, want) < 0 || strcmp(want, h->accept))
		return err_set(e, ERR_UNAVAILABLE,
			       "websocket: wrong Sec-WebSocket-Accept");
	for (int i = 0; protocols && protocols[i]; i++)
		if (!strcmp(protocols[i], h->protocol)) {
			*chosen = i;
			return 0;
		}
	return err_set(e, ERR_UNAVAILABLE, "websocket: the server chose "
		       "protocol \"%s\", not one offered", h->protocol);
}
