/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ws_client: the pure parts of the client's WebSocket streams: the
 * upgrade response head (parse and decision), the exec status channel
 * (exit codes), the exec/attach query and the port-forward channel
 * prefix.  Table-driven; error paths first-class.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "client/stream.h"
#include "common/buf.h"

#define KEY "dGhlIHNhbXBsZSBub25jZQ=="
#define ACCEPT "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
#define OK101 "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n" \
	"Connection: Upgrade\r\nSec-WebSocket-Accept: " ACCEPT "\r\n"

struct head_case {
	const char *name, *in;
	int rc;			/* 1 complete, 0 more, -1 error */
	int status;
	enum err_code code;	/* for rc -1 */
};

static const struct head_case head_cases[] = {
	{ "101", OK101 "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n",
	  1, 101, ERR_OK },
	{ "trailing frame bytes", OK101 "\r\n\x82\x01x", 1, 101, ERR_OK },
	{ "partial status line", "HTTP/1.1 10", 0, 0, ERR_OK },
	{ "partial headers", OK101, 0, 0, ERR_OK },
	{ "empty", "", 0, 0, ERR_OK },
	{ "403 with length", "HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n"
	  "\r\n{}", 1, 403, ERR_OK },
	{ "HTTP/1.0", "HTTP/1.0 400 Bad\r\n\r\n", 1, 400, ERR_OK },
	{ "no reason", "HTTP/1.1 404\r\n\r\n", 1, 404, ERR_OK },
	{ "bare LF", "HTTP/1.1 101 OK\n\n", -1, 0, ERR_PARSE },
	{ "bad version", "HTTP/2.0 101 OK\r\n\r\n", -1, 0, ERR_PARSE },
	{ "bad status", "HTTP/1.1 1x1 OK\r\n\r\n", -1, 0, ERR_PARSE },
	{ "status 099", "HTTP/1.1 099 OK\r\n\r\n", -1, 0, ERR_PARSE },
	{ "junk after status", "HTTP/1.1 1011\r\n\r\n", -1, 0, ERR_PARSE },
	{ "no colon", "HTTP/1.1 101 OK\r\nUpgrade websocket\r\n\r\n", -1, 0,
	  ERR_PARSE },
	{ "space in name", "HTTP/1.1 101 OK\r\nUp grade: x\r\n\r\n", -1, 0,
	  ERR_PARSE },
	{ "folded", "HTTP/1.1 101 OK\r\nA: b\r\n c\r\n\r\n", -1, 0,
	  ERR_PARSE },
	{ "control byte", "HTTP/1.1 101 OK\r\nA: b\x01\r\n\r\n", -1, 0,
	  ERR_PARSE },
	{ "bad length", "HTTP/1.1 400 x\r\nContent-Length: 1a\r\n\r\n", -1, 0,
	  ERR_PARSE },
	{ "huge length", "HTTP/1.1 400 x\r\nContent-Length: 99999999999\r\n"
	  "\r\n", -1, 0, ERR_PARSE },
};

static void test_head_parse(void)
{
	for (size_t i = 0; i < sizeof(head_cases) / sizeof(head_cases[0]);
	     i++) {
		const struct head_case *c = &head_cases[i];
		struct ws_head h = { .status = -7 };
		struct err e = { 0 };
		int rc = ws_head_parse(c->in, strlen(c->in), &h, &e);
		is_int(rc, c->rc, "head %s: rc", c->name);
		if (rc == 1)
			is_int(h.status, c->status, "head %s: status", c->name);
		if (rc < 0)
			is_int(e.code, c->code, "head %s: code", c->name);
		if (rc == 0)
			is_int(h.status, -7, "head %s: untouched", c->name);
	}
}

static void test_head_fields(void)
{
	const char *in = "HTTP/1.1 101 Switching Protocols\r\n"
		"upgrade: WebSocket\r\nconnection: keep-alive, Upgrade\r\n"
		"SEC-WEBSOCKET-ACCEPT:   " ACCEPT "  \r\n"
		"Sec-WebSocket-Protocol: v4.channel.k8s.io\r\n"
		"Transfer-Encoding: chunked\r\n\r\nrest";
	struct ws_head h;
	struct err e = { 0 };

	is_int(ws_head_parse(in, strlen(in), &h, &e), 1, "fields: complete");
	ok(h.upgrade_ws && h.connection_upgrade, "fields: upgrade tokens");
	is_str(h.accept, ACCEPT, "fields: accept trimmed");
	is_str(h.protocol, "v4.channel.k8s.io", "fields: protocol");
	ok(h.chunked, "fields: chunked");
	is_int((long long)h.head_len, (long long)(strlen(in) - 4),
	       "fields: head length");
	is_int(h.content_length, -1, "fields: no length");
}

static void test_head_too_large(void)
{
	struct buf b = BUF_INIT;
	struct ws_head h;
	struct err e = { 0 };

	buf_adds(&b, "HTTP/1.1 101 OK\r\n");
	while (b.len < WS_HEAD_MAX + 100)
		buf_adds(&b, "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
	is_int(ws_head_parse(b.data, b.len, &h, &e), -1, "large: refused");
	is_int(e.code, ERR_TOO_LARGE, "large: code");
	buf_free(&b);
}

struct check_case {
	const char *name, *in, *body;
	int rc, chosen;
	enum err_code code;
	const char *msg;	/* substring of e.msg */
};

static const struct check_case check_cases[] = {
	{ "v5", OK101 "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n",
	  "", 0, 0, ERR_OK, "" },
	{ "v4 fallback", OK101 "Sec-WebSocket-Protocol: v4.channel.k8s.io\r\n"
	  "\r\n", "", 0, 1, ERR_OK, "" },
	{ "no protocol", OK101 "\r\n", "", -1, 0, ERR_UNAVAILABLE,
	  "not one offered" },
	{ "other protocol", OK101 "Sec-WebSocket-Protocol: x\r\n\r\n", "", -1,
	  0, ERR_UNAVAILABLE, "not one offered" },
	{ "bad accept", "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection:"
	  " upgrade\r\nSec-WebSocket-Accept: nope\r\n\r\n", "", -1, 0,
	  ERR_UNAVAILABLE, "Accept" },
	{ "no upgrade", "HTTP/1.1 101 OK\r\nSec-WebSocket-Accept: " ACCEPT
	  "\r\n\r\n", "", -1, 0, ERR_UNAVAILABLE, "Upgrade" },
	{ "forbidden status", "HTTP/1.1 403 Forbidden\r\n\r\n",
	  "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"pods "
	  "\\\"p\\\" is forbidden: User \\\"bob\\\" cannot create resource "
	  "\\\"pods/exec\\\"\",\"reason\":\"Forbidden\",\"code\":403}", -1, 0,
	  ERR_FORBIDDEN, "cannot create resource" },
	{ "chunked status", "HTTP/1.1 404 Not Found\r\n\r\n",
	  "3f\r\n{\"kind\":\"Status\",\"message\":\"pods \\\"x\\\" not found\","
	  "\"reason\":\"NotFound\",\"code\":404}\r\n0\r\n\r\n", -1, 0,
	  ERR_NOT_FOUND, "not found" },
	{ "plain 400", "HTTP/1.1 400 Bad Request\r\n\r\n", "container not "
	  "running", -1, 0, ERR_BAD_REQUEST, "" },
	{ "200: no websocket", "HTTP/1.1 200 OK\r\n\r\n", "hello", -1, 0,
	  ERR_UNAVAILABLE, "does not support WebSocket" },
};

static void test_head_check(void)
{
	static const char *const protos[] = { "v5.channel.k8s.io",
					      "v4.channel.k8s.io", NULL };

	for (size_t i = 0; i < sizeof(check_cases) / sizeof(check_cases[0]);
	     i++) {
		const struct check_case *c = &check_cases[i];
		struct ws_head h;
		struct err e = { 0 };
		int chosen = -1;
		ws_head_parse(c->in, strlen(c->in), &h, &e);
		int rc = ws_head_check(&h, KEY, protos, c->body,
				       strlen(c->body), &chosen, &e);
		is_int(rc, c->rc, "check %s: rc", c->name);
		if (rc == 0)
			is_int(chosen, c->chosen, "check %s: chosen", c->name);
		else
			ok(e.code == c->code && strstr(e.msg, c->msg),
			   "check %s: %s (%s)", c->name, err_reason(e.code),
			   e.msg);
	}
}

struct status_case {
	const char *name, *json;
	int rc, code;
	enum err_code err;
};

static const struct status_case status_cases[] = {
	{ "success", "{\"metadata\":{},\"status\":\"Success\"}", 0, 0, ERR_OK },
	{ "exit 3", "{\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\","
	  "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":"
	  "\"3\"}]}}", 0, 3, ERR_OK },
	{ "exit 127 second cause", "{\"status\":\"Failure\",\"reason\":"
	  "\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"X\"},"
	  "{\"reason\":\"ExitCode\",\"message\":\"127\"}]}}", 0, 127, ERR_OK },
	{ "bad exit cause", "{\"status\":\"Failure\",\"reason\":"
	  "\"NonZeroExitCode\",\"message\":\"x\",\"details\":{\"causes\":"
	  "[{\"reason\":\"ExitCode\",\"message\":\"abc\"}]}}", -1, 0,
	  ERR_INTERNAL },
	{ "not running", "{\"status\":\"Failure\",\"message\":\"container not "
	  "running\",\"reason\":\"BadRequest\",\"code\":400}", -1, 0,
	  ERR_BAD_REQUEST },
	{ "internal", "{\"status\":\"Failure\",\"message\":\"exec failed: "
	  "no such file\"}", -1, 0, ERR_INTERNAL },
	{ "not json", "exit", -1, 0, ERR_PARSE },
	{ "array", "[1]", -1, 0, ERR_PARSE },
};

static void test_status(void)
{
	for (size_t i = 0; i < sizeof(status_cases) / sizeof(status_cases[0]);
	     i++) {
		const struct status_case *c = &status_cases[i];
		struct err e = { 0 };
		int code = -9;
		int rc = kexec_status_exit(c->json, strlen(c->json), &code, &e);
		is_int(rc, c->rc, "status %s: rc", c->name);
		if (rc == 0)
			is_int(code, c->code, "status %s: code", c->name);
		else
			is_int(e.code, c->err, "status %s: err (%s)", c->name,
			       e.msg);
	}
}

static void test_path(void)
{
	static const char *const cmd[] = { "sh", "-c", "echo a&b", NULL };
	char *p;

	p = kexec_path("default", "web", NULL, cmd, false, false, false);
	is_str(p, "/api/v1/namespaces/default/pods/web/exec?command=sh&"
	       "command=-c&command=echo%20a%26b&stdout=true&stderr=true",
	       "path: exec");
	free(p);
	p = kexec_path("ns1", "web", "c1", cmd, false, true, true);
	is_str(p, "/api/v1/namespaces/ns1/pods/web/exec?command=sh&command=-c&"
	       "command=echo%20a%26b&container=c1&stdin=true&stdout=true&"
	       "tty=true", "path: exec -it");
	free(p);
	p = kexec_path("ns1", "web", "c1", cmd, true, true, true);
	is_str(p, "/api/v1/namespaces/ns1/pods/web/attach?container=c1&"
	       "stdin=true&stdout=true&tty=true", "path: attach");
	free(p);
}

static void test_pf_chan(void)
{
	struct kpf_chan st = { false };
	struct err e = { 0 };
	size_t skip = 9;
	const uint8_t first[] = { 0x50, 0x00, 'h', 'i' }, port8080[] = {
		0x90, 0x1f };

	is_int(kpf_chan_strip(&st, 80, first, 4, &skip, &e), 0, "pf: first");
	is_int((long long)skip, 2, "pf: prefix dropped");
	is_int(kpf_chan_strip(&st, 80, first, 4, &skip, &e), 0, "pf: next");
	is_int((long long)skip, 0, "pf: later messages whole");
	st.seen = false;
	is_int(kpf_chan_strip(&st, 80, first, 1, &skip, &e), -1, "pf: short");
	is_int(e.code, ERR_PARSE, "pf: short code");
	is_int(kpf_chan_strip(&st, 80, port8080, 2, &skip, &e), -1,
	       "pf: other port");
	is_int(kpf_chan_strip(&st, 8080, port8080, 2, &skip, &e), 0,
	       "pf: 8080 little-endian");
}

int main(void)
{
	test_head_parse();
	test_head_fields();
	test_head_too_large();
	test_head_check();
	test_status();
	test_path();
	test_pf_chan();
	return tap_done();
}
