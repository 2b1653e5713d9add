/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the server-independent parts of the client: the watch
 * stream decoder (chunking, garbage, oversized lines), the token bucket,
 * Status decoding, paths and query encoding.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "client/private.h"
#include "common/mem.h"

struct seen {
	int n;
	enum watch_type last;
	char names[256];
};

static int on_event(enum watch_type t, cJSON *obj, void *arg)
{
	struct seen *s = arg;
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(
		cJSON_GetObjectItem(obj, "metadata"), "name"));
	size_t used = strlen(s->names);

	snprintf(s->names + used, sizeof(s->names) - used, "%s%s:%s",
		 used ? "," : "", watch_type_name(t), name ? name : "-");
	s->n++;
	s->last = t;
	cJSON_Delete(obj);
	return 0;
}

static const char *const stream =
	"{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\"}}}\n"
	"\r\n"
	"{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"b\"}}}\n"
	"{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{}}}\n"
	"{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"c\"}}}\n";
static const char *const want =
	"ADDED:a,MODIFIED:b,BOOKMARK:-,DELETED:c";

/* Every chunk size from 1 byte to the whole stream decodes the same. */
static void test_chunking(void)
{
	size_t len = strlen(stream);
	int bad = 0;

	for (size_t step = 1; step <= len; step++) {
		struct watch_dec *d = watch_dec_new(0);
		struct seen s = { 0 };
		struct err e = { 0 };
		for (size_t off = 0; off < len; off += step) {
			size_t n = off + step > len ? len - off : step;
			if (watch_dec_feed(d, stream + off, n, on_event, &s,
					   &e) < 0)
				bad++;
		}
		if (s.n != 4 || strcmp(s.names, want) ||
		    watch_dec_pending(d) != 0)
			bad++;
		watch_dec_free(d);
	}
	is_int(bad, 0, "all chunkings decode the 4 events in order");
}

static void test_errors(void)
{
	struct { const char *in; size_t max; int code; int events;
		 const char *needle; } t[] = {
		{ "garbage\n", 0, ERR_PARSE, 0, "not JSON" },
		{ "{\"type\":\"NOPE\",\"object\":{}}\n", 0, ERR_PARSE, 0,
		  "unknown type" },
		{ "{\"object\":{}}\n", 0, ERR_PARSE, 0, "no type" },
		{ "{\"type\":\"ADDED\",\"object\":3}\n", 0, ERR_PARSE, 0,
		  "no object" },
		{ "{\"type\":\"ADDED\",\"object\":{}}\n[1,2]\n", 0, ERR_PARSE,
		  1, "malformed" },
		{ "{\"type\":\"ADDED\",\"object\":{\"x\":\"aaaaaaaaaaaaaaa\"}}\n",
		  16, ERR_TOO_LARGE, 0, "larger than 16" },
		{ "{\"type\":\"ADDED\",\"object\":{\"x\":\"aaaaaaaaaaaaaaa", 16,
		  ERR_TOO_LARGE, 0, "larger than 16" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct watch_dec *d = watch_dec_new(t[i].max);
		struct seen s = { 0 };
		struct err e = { 0 };
		int rc = watch_dec_feed(d, t[i].in, strlen(t[i].in), on_event,
					&s, &e);
		ok(rc < 0, "error case %zu fails", i);
		is_int(e.code, t[i].code, "error case %zu code", i);
		is_int(s.n, t[i].events, "error case %zu events before", i);
		ok(strstr(e.msg, t[i].needle) != NULL, "case %zu: %s", i,
		   e.msg);
		ok(watch_dec_feed(d, "\n", 1, on_event, &s, &e) < 0,
		   "case %zu: decoder stays failed", i);
		watch_dec_free(d);
	}
}

static void test_ratelimit(void)
{
	struct ratelimit rl;
	int64_t s = 1000000000LL;
	int taken = 0;

	ratelimit_init(&rl, 10, 3, 0);
	for (int i = 0; i < 5; i++)
		taken += ratelimit_take(&rl, 0) == 0;
	is_int(taken, 3, "burst of 3");
	int64_t wait = ratelimit_take(&rl, 0);
	ok(wait > 0 && wait <= s / 10 + 1, "wait about 100 ms (%lld)",
	   (long long)wait);
	is_int(ratelimit_take(&rl, s / 10 + 1), 0, "token after 100 ms");
	is_int(ratelimit_take(&rl, 100 * s) == 0, 1, "refill");
	taken = 0;
	for (int i = 0; i < 10; i++)
		taken += ratelimit_take(&rl, 100 * s) == 0;
	is_int(taken, 2, "refill capped at burst");
}

static void test_status(void)
{
	struct { int http; const char *body; int code; const char *msg; } t[] = {
		{ 404, "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":"
		  "\"pods \\\"x\\\" not found\",\"reason\":\"NotFound\","
		  "\"code\":404}", ERR_NOT_FOUND, "pods \"x\" not found" },
		{ 409, "{\"kind\":\"Status\",\"message\":\"exists\",\"reason\":"
		  "\"AlreadyExists\"}", ERR_ALREADY_EXISTS, "exists" },
		{ 409, "{\"kind\":\"Status\",\"message\":\"conflict\",\"reason\":"
		  "\"Conflict\"}", ERR_CONFLICT, "conflict" },
		{ 410, "{\"kind\":\"Status\",\"message\":\"too old\",\"reason\":"
		  "\"Gone\"}", ERR_GONE, "too old" },
		{ 404, "404 page not found\n", ERR_NOT_FOUND,
		  "the server could not find the requested resource" },
		{ 500, "boom\n", ERR_INTERNAL,
		  "the server responded with status 500: boom" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cJSON *j = cJSON_Parse(t[i].body);
		struct err e = { 0 };
		client_status_err(t[i].http, j, t[i].body, strlen(t[i].body),
				  &e);
		is_int(e.code, t[i].code, "status %zu code", i);
		is_str(e.msg, t[i].msg, "status %zu message", i);
		cJSON_Delete(j);
	}
	cJSON *j = cJSON_Parse("{\"kind\":\"Status\",\"message\":\"bad\","
			       "\"reason\":\"Invalid\",\"details\":{\"causes\":"
			       "[{\"reason\":\"FieldValueRequired\",\"field\":"
			       "\"metadata.name\",\"message\":\"Required\"}]}}");
	struct err e = { 0 };
	client_status_err(422, j, "", 0, &e);
	is_int((long long)e.ncauses, 1, "causes decoded");
	is_str(e.causes[0].field, "metadata.name", "cause field");
	cJSON_Delete(j);
}

static void test_paths(void)
{
	struct client_gvr pods = { .version = "v1", .resource = "pods",
				   .namespaced = true };
	struct client_gvr deps = { .group = "apps", .version = "v1",
				   .resource = "deployments", .namespaced = true };
	struct client_gvr nodes = { .version = "v1", .resource = "nodes" };
	struct { const struct client_gvr *r; const char *ns, *name, *sub,
		 *want; } t[] = {
		{ &pods, "default", NULL, NULL, "/api/v1/namespaces/default/pods" },
		{ &pods, NULL, NULL, NULL, "/api/v1/pods" },
		{ &pods, "", NULL, NULL, "/api/v1/pods" },
		{ &pods, "kube-system", "x", "log",
		  "/api/v1/namespaces/kube-system/pods/x/log" },
		{ &deps, "d", "web", NULL,
		  "/apis/apps/v1/namespaces/d/deployments/web" },
		{ &nodes, "ignored", "n1", NULL, "/api/v1/nodes/n1" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *p = client_path(t[i].r, t[i].ns, t[i].name, t[i].sub);
		is_str(p, t[i].want, "path %zu", i);
		free(p);
	}
	struct buf b = BUF_INIT;
	buf_adds(&b, "/api/v1/pods");
	client_url_param(&b, "labelSelector", "app=web,tier in (a b)");
	client_url_param(&b, "limit", "500");
	is_str(buf_cstr(&b), "/api/v1/pods?labelSelector=app%3Dweb%2Ctier%20"
	       "in%20%28a%20b%29&limit=500", "query encoding");
	buf_free(&b);
}

int main(void)
{
	test_chunking();
	test_errors();
	test_ratelimit();
	test_status();
	test_paths();
	return tap_done();
}
