/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ingress: Ingress v1 routing (ingress.c): host precedence, path
 * types and element-wise prefixes, the default backend, classes, missing
 * Services and endpoints; then the proxy (ingress_proxy.c) on 127.0.0.1
 * in front of a backend run by this test (libmicrohttpd), checking the
 * request target, body, Host and X-Forwarded-* headers, the response
 * headers passed back, and the 404/503/502 pages; 64 MiB each way with
 * bounded memory (streaming).
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>
#include <microhttpd.h>

#include "cluster/net/ingress.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"
#include "tests/tap.h"

static int backend_port;

static struct svc_model *model(int port)
{
	char *svcs = xasprintf(
	    "[{\"metadata\":{\"name\":\"web\",\"namespace\":\"a\"},"
	    "\"spec\":{\"clusterIP\":\"10.96.0.5\",\"ports\":[{\"name\":"
	    "\"http\",\"port\":80}]}},"
	    "{\"metadata\":{\"name\":\"api\",\"namespace\":\"a\"},"
	    "\"spec\":{\"clusterIP\":\"10.96.0.6\",\"ports\":[{\"port\":"
	    "8080}]}},"
	    "{\"metadata\":{\"name\":\"down\",\"namespace\":\"a\"},"
	    "\"spec\":{\"clusterIP\":\"10.96.0.7\",\"ports\":[{\"port\":"
	    "80}]}}]");
	char *slices = xasprintf(
	    "[{\"metadata\":{\"name\":\"w\",\"namespace\":\"a\",\"labels\":"
	    "{\"kubernetes.io/service-name\":\"web\"}},\"ports\":[{\"name\":"
	    "\"http\",\"port\":%d}],\"endpoints\":[{\"addresses\":"
	    "[\"127.0.0.1\"]}]},"
	    "{\"metadata\":{\"name\":\"x\",\"namespace\":\"a\",\"labels\":"
	    "{\"kubernetes.io/service-name\":\"api\"}},\"ports\":[{\"port\":"
	    "9}],\"endpoints\":[{\"addresses\":[\"127.0.0.2\"]}]}]",
	    port);
	cJSON *s = cJSON_Parse(svcs), *e = cJSON_Parse(slices);
	struct svc_model *m = svc_model_build(s, e);

	cJSON_Delete(s);
	cJSON_Delete(e);
	free(svcs);
	free(slices);
	return m;
}

static const char ingresses[] =
    "[{\"metadata\":{\"name\":\"main\",\"namespace\":\"a\"},\"spec\":{"
    "\"rules\":[{\"host\":\"shop.example\",\"http\":{\"paths\":["
    "{\"path\":\"/\",\"pathType\":\"Prefix\",\"backend\":{\"service\":"
    "{\"name\":\"web\",\"port\":{\"name\":\"http\"}}}},"
    "{\"path\":\"/api\",\"pathType\":\"Prefix\",\"backend\":{\"service\":"
    "{\"name\":\"api\",\"port\":{\"number\":8080}}}},"
    "{\"path\":\"/exact\",\"pathType\":\"Exact\",\"backend\":{\"service\":"
    "{\"name\":\"api\",\"port\":{\"number\":8080}}}}]}},"
    "{\"host\":\"*.wild.example\",\"http\":{\"paths\":[{\"path\":\"/\","
    "\"pathType\":\"Prefix\",\"backend\":{\"service\":{\"name\":\"api\","
    "\"port\":{\"number\":8080}}}}]}},"
    "{\"http\":{\"paths\":[{\"path\":\"/down\",\"pathType\":\"Prefix\","
    "\"backend\":{\"service\":{\"name\":\"down\",\"port\":{\"number\":"
    "80}}}},{\"path\":\"/gone\",\"pathType\":\"Prefix\",\"backend\":{"
    "\"service\":{\"name\":\"nosuch\",\"port\":{\"number\":80}}}}]}}]}},"
    "{\"metadata\":{\"name\":\"other\",\"namespace\":\"a\"},\"spec\":{"
    "\"ingressClassName\":\"traefik\",\"defaultBackend\":{\"service\":{"
    "\"name\":\"web\",\"port\":{\"number\":80}}}}},"
    "{\"metadata\":{\"name\":\"nginx\",\"namespace\":\"a\"},\"spec\":{"
    "\"ingressClassName\":\"nginx\",\"rules\":[{\"host\":\"n.example\","
    "\"http\":{\"paths\":[{\"path\":\"/\",\"pathType\":\"Prefix\","
    "\"backend\":{\"service\":{\"name\":\"web\",\"port\":{\"number\":"
    "80}}}}]}}]}}]";

/* traefik exists and is someone else's; nginx does not exist. */
static const char classes[] =
    "[{\"metadata\":{\"name\":\"traefik\"},\"spec\":{\"controller\":"
    "\"traefik.io/ingress-controller\"}},{\"metadata\":{\"name\":"
    "\"kdeck\"},\"spec\":{\"controller\":\"kdeck.io/ingress-controller\"}}]";

static void expect(const struct ingress_routes *r, const char *host,
		   const char *path, const char *want_ip, int want)
{
	char ip[16] = "", msg[300] = "";
	int port = 0, status = 0;
	int rc = ingress_route(r, host, path, ip, &port, &status, msg,
			       sizeof(msg));

	if (want_ip) {
		ok(rc == 0 && !strcmp(ip, want_ip) && port == want,
		   "%s%s -> %s:%d (got %s:%d %s)", host, path, want_ip, want,
		   ip, port, msg);
	} else {
		ok(rc < 0 && status == want, "%s%s -> %d (got %d: %s)", host,
		   path, want, status, msg);
	}
}

static void test_routing(void)
{
	struct svc_model *m = model(7000);
	cJSON *ing = cJSON_Parse(ingresses), *cls = cJSON_Parse(classes);
	struct ingress_routes *r = ingress_routes_build(ing, cls, m);

	expect(r, "shop.example", "/", "127.0.0.1", 7000);
	expect(r, "SHOP.example:8080", "/cart", "127.0.0.1", 7000);
	expect(r, "shop.example", "/api", "127.0.0.2", 9);
	expect(r, "shop.example", "/api/v1/x", "127.0.0.2", 9);
	expect(r, "shop.example", "/apix", "127.0.0.1", 7000);
	expect(r, "shop.example", "/exact", "127.0.0.2", 9);
	expect(r, "shop.example", "/exact/more", "127.0.0.1", 7000);
	expect(r, "a.wild.example", "/", "127.0.0.2", 9);
	expect(r, "a.b.wild.example", "/x", NULL, 404);	/* one label only */
	expect(r, "n.example", "/", "127.0.0.1", 7000);
	expect(r, "elsewhere", "/down", NULL, 503);
	expect(r, "elsewhere", "/gone", NULL, 503);
	expect(r, "elsewhere", "/nothing", NULL, 404);
	ok(!ingress_served(cJSON_GetArrayItem(ing, 1), cls),
	   "another controller's class is not served");
	ok(ingress_served(cJSON_GetArrayItem(ing, 2), cls),
	   "a class with no IngressClass object is served");
	ok(ingress_served(cJSON_GetArrayItem(ing, 0), cls), "no class: served");
	ingress_routes_unref(r);
	svc_model_unref(m);
	cJSON_Delete(ing);
	cJSON_Delete(cls);
	expect(NULL, "x", "/", NULL, 404);
}

/* ---- the proxy ---- */

#define BIG (64ull << 20)

static uint8_t pattern(uint64_t pos)
{
	return (uint8_t)(pos * 31 + pos / 4099);
}

/* BIG bytes of pattern, of unknown length (chunked). */
static ssize_t big_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	size_t n = 0;

	(void)cls;
	if (pos >= BIG)
		return MHD_CONTENT_READER_END_OF_STREAM;
	while (n < max && pos + n < BIG) {
		buf[n] = (char)pattern(pos + n);
		n++;
	}
	return (ssize_t)n;
}

static enum MHD_Result big(struct MHD_Connection *c)
{
	struct MHD_Response *resp = MHD_create_response_from_callback(
	    MHD_SIZE_UNKNOWN, 32 << 10, big_reader, NULL, NULL);
	enum MHD_Result rc = MHD_queue_response(c, 200, resp);

	MHD_destroy_response(resp);
	return rc;
}

/* An upgraded connection that echoes what it gets until closed. */
static void echo(void *cls, struct MHD_Connection *c, void *con_cls,
		 const char *extra, size_t nextra, MHD_socket sock,
		 struct MHD_UpgradeResponseHandle *urh)
{
	char b[4096];
	ssize_t n;

	(void)cls;
	(void)c;
	(void)con_cls;
	if (nextra && send(sock, extra, nextra, MSG_NOSIGNAL) < 0)
		nextra = 0;
	for (;;) {	/* the socket may be non-blocking */
		struct pollfd pf = { .fd = sock, .events = POLLIN };

		if (poll(&pf, 1, 10000) <= 0 ||
		    (n = recv(sock, b, sizeof(b), 0)) <= 0 ||
		    send(sock, b, (size_t)n, MSG_NOSIGNAL) < 0)
			break;
	}
	MHD_upgrade_action(urh, MHD_UPGRADE_ACTION_CLOSE);
}

static enum MHD_Result switch_to_echo(struct MHD_Connection *c)
{
	struct MHD_Response *resp = MHD_create_response_for_upgrade(echo, NULL);
	enum MHD_Result rc;

	MHD_add_response_header(resp, "Upgrade", "echo");
	MHD_add_response_header(resp, "Connection", "Upgrade");
	MHD_add_response_header(resp, "X-Echo", "on");
	rc = MHD_queue_response(c, MHD_HTTP_SWITCHING_PROTOCOLS, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result backend(void *cls, struct MHD_Connection *c,
			       const char *url, const char *method,
			       const char *version, const char *upload,
			       size_t *upload_size, void **ctx)
{
	struct buf *body = *ctx;
	struct MHD_Response *resp;
	const char *xff, *host, *q;
	char *text;
	enum MHD_Result rc;

	(void)cls;
	(void)version;
	if (!body) {
		*ctx = body = xcalloc(1, sizeof(*body));
		return MHD_YES;
	}
	if (*upload_size) {
		body->len += *upload_size;	/* counted, not kept */
		*upload_size = 0;
		return MHD_YES;
	}
	if (!strcmp(url, "/big") || !strcmp(url, "/ws")) {
		free(body);
		*ctx = NULL;
		return url[1] == 'b' ? big(c) : switch_to_echo(c);
	}
	xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					  "X-Forwarded-For");
	host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
	text = xasprintf("%s %s q=%s host=%s xff=%s proto=%s body=%zu", method,
			 url, q ? q : "-", host ? host : "-", xff ? xff : "-",
			 MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     "X-Forwarded-Proto"),
			 body->len);
	resp = MHD_create_response_from_buffer(strlen(text), text,
					       MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "X-Backend", "yes");
	rc = MHD_queue_response(c, 201, resp);
	MHD_destroy_response(resp);
	free(body);
	*ctx = NULL;
	return rc;
}

static size_t collect(char *p, size_t sz, size_t n, void *arg);

struct check {
	uint64_t pos, bad;
};

static size_t verify(char *p, size_t sz, size_t n, void *arg)
{
	struct check *k = arg;

	for (size_t i = 0; i < sz * n; i++, k->pos++)
		k->bad += (uint8_t)p[i] != pattern(k->pos);
	return sz * n;
}

static size_t fill(char *p, size_t sz, size_t n, void *arg)
{
	uint64_t *left = arg;
	size_t k = sz * n < *left ? sz * n : (size_t)*left;

	memset(p, 'x', k);
	*left -= k;
	return k;
}

static long max_rss_kb(void)
{
	struct rusage u;

	getrusage(RUSAGE_SELF, &u);
	return u.ru_maxrss;
}

/*
 * 64 MiB down and 64 MiB up through the proxy with the memory of the
 * whole process (proxy, backend and client) growing far less: streamed.
 */
static void test_streaming(int pport)
{
	CURL *h = curl_easy_init();
	char *url = xasprintf("http://127.0.0.1:%d/big", pport);
	struct curl_slist *hd = curl_slist_append(NULL, "Host: shop.example");
	struct check k = { 0, 0 };
	struct buf reply = BUF_INIT;
	uint64_t left = BIG;
	long before = max_rss_kb();

	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, verify);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &k);
	ok(curl_easy_perform(h) == CURLE_OK, "a 64 MiB response");
	ok(k.pos == BIG && k.bad == 0, "every byte, in order (%llu, %llu bad)",
	   (unsigned long long)k.pos, (unsigned long long)k.bad);
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "POST");
	curl_easy_setopt(h, CURLOPT_READFUNCTION, fill);
	curl_easy_setopt(h, CURLOPT_READDATA, &left);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply);
	free(url);
	url = xasprintf("http://127.0.0.1:%d/up", pport);
	curl_easy_setopt(h, CURLOPT_URL, url);
	ok(curl_easy_perform(h) == CURLE_OK, "a 64 MiB chunked upload");
	buf_addc(&reply, '\0');
	ok(strstr(reply.data, "body=67108864") != NULL,
	   "the whole body reached the backend: %s", reply.data);
	ok(max_rss_kb() - before < 24 * 1024,
	   "memory grew by %ld KiB, far less than what went through",
	   max_rss_kb() - before);
	buf_free(&reply);
	curl_slist_free_all(hd);
	curl_easy_cleanup(h);
	free(url);
}

struct got {
	long status;
	struct buf body, hdrs;
};

static size_t collect(char *p, size_t sz, size_t n, void *arg)
{
	buf_add(arg, p, sz * n);
	return sz * n;
}

static void get(int port, const char *host, const char *path,
		const char *post, struct got *g)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hd = NULL;
	char *url = xasprintf("http://127.0.0.1:%d%s", port, path);
	char *hh = xasprintf("Host: %s", host);

	memset(g, 0, sizeof(*g));
	hd = curl_slist_append(hd, hh);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &g->body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &g->hdrs);
	if (post)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &g->status);
	buf_addc(&g->body, '\0');
	buf_addc(&g->hdrs, '\0');
	curl_slist_free_all(hd);
	curl_easy_cleanup(h);
	free(url);
	free(hh);
}

static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t l = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&a, sizeof(a));
	getsockname(fd, (struct sockaddr *)&a, &l);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* A raw Upgrade through the proxy: 101, then bytes both ways. */
static void test_upgrade(int pport)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)pport) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	static const char req[] = "GET /ws HTTP/1.1\r\nHost: shop.example\r\n"
				  "Connection: Upgrade\r\nUpgrade: echo\r\n\r\n";
	struct timeval tv = { 10, 0 };
	char b[4096];
	size_t got = 0;
	ssize_t n;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    write(fd, req, sizeof(req) - 1) != (ssize_t)sizeof(req) - 1) {
		ok(0, "connect to the proxy");
		close(fd);
		return;
	}
	while (got < sizeof(b) - 1 &&
	       (n = read(fd, b + got, sizeof(b) - 1 - got)) > 0) {
		got += (size_t)n;
		b[got] = '\0';
		if (strstr(b, "\r\n\r\n"))
			break;
	}
	b[got] = '\0';
	ok(!strncmp(b, "HTTP/1.1 101", 12), "the endpoint's 101 passed on: %.40s", b);
	ok(strcasestr(b, "X-Echo: on") != NULL, "with its headers");
	ok(write(fd, "hello, upgraded", 15) == 15, "send after the switch");
	got = 0;
	while (got < 15 && (n = read(fd, b + got, 15 - got)) > 0)
		got += (size_t)n;
	b[got] = '\0';
	is_str(b, "hello, upgraded", "the bytes came back through the relay");
	close(fd);
}

/* HTTPS with the self-signed default: routed, X-Forwarded-Proto https. */
static void test_tls(const char *ing_json, const char *cls_json, int bport)
{
	int tport = free_port();
	char *addr = xasprintf("127.0.0.1:%d", tport);
	char *url = xasprintf("https://127.0.0.1:%d/tls", tport);
	struct ingress_proxy *p = NULL, *p2 = NULL;
	cJSON *ing = cJSON_Parse(ing_json), *cls = cJSON_Parse(cls_json);
	struct svc_model *m = model(bport);
	struct ingress_routes *r = ingress_routes_build(ing, cls, m);
	struct curl_slist *hd = curl_slist_append(NULL, "Host: shop.example");
	struct buf body = BUF_INIT;
	CURL *h = curl_easy_init();
	struct err e;

	err_clear(&e);
	if (ingress_proxy_start_tls(addr, &p, &e) < 0) {
		ok(0, "HTTPS proxy starts: %s", e.msg);
		goto out;
	}
	ok(ingress_proxy_start_tls("127.0.0.1:1", &p2, &e) < 0 &&
	       e.code == ERR_CONFLICT, "one HTTPS listener per process");
	ingress_proxy_set_routes(p, r);
	ingress_proxy_set_certs(p, ingress_certs_build(ing, cls, NULL));
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	ok(curl_easy_perform(h) == CURLE_OK, "an HTTPS request");
	buf_addc(&body, '\0');
	ok(strstr(body.data, "GET /tls") && strstr(body.data, "proto=https"),
	   "routed, X-Forwarded-Proto https: %s", body.data);
out:
	ingress_proxy_stop(p);
	curl_easy_cleanup(h);
	curl_slist_free_all(hd);
	buf_free(&body);
	ingress_routes_unref(r);
	svc_model_unref(m);
	cJSON_Delete(ing);
	cJSON_Delete(cls);
	free(addr);
	free(url);
}

static void test_proxy(void)
{
	struct MHD_Daemon *be;
	struct ingress_proxy *p = NULL;
	struct ingress_routes *r;
	struct svc_model *m;
	cJSON *ing = cJSON_Parse(ingresses), *cls = cJSON_Parse(classes);
	int pport = free_port();
	char *addr = xasprintf("127.0.0.1:%d", pport);
	struct got g;
	struct err e;

	backend_port = free_port();
	be = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
				  MHD_USE_INTERNAL_POLLING_THREAD |
				  MHD_ALLOW_UPGRADE,
			      (uint16_t)backend_port, NULL, NULL, backend, NULL,
			      MHD_OPTION_END);
	err_clear(&e);
	if (!be || ingress_proxy_start(addr, &p, &e) < 0) {
		ok(0, "backend and proxy start: %s", e.msg);
		goto out;
	}
	get(pport, "shop.example", "/", NULL, &g);
	is_int(g.status, 404, "no routes yet: 404");
	buf_free(&g.body);
	buf_free(&g.hdrs);
	m = model(backend_port);
	r = ingress_routes_build(ing, cls, m);
	ingress_proxy_set_routes(p, r);
	ingress_routes_unref(r);
	svc_model_unref(m);
	get(pport, "shop.example", "/cart/item?q=a%20b", NULL, &g);
	is_int(g.status, 201, "backend status passed back");
	ok(strstr(g.body.data, "GET /cart/item q=a b host=shop.example "
			       "xff=127.0.0.1 proto=http body=0") != NULL,
	   "target, Host and X-Forwarded-For reach the backend: %s",
	   g.body.data);
	ok(strcasestr(g.hdrs.data, "X-Backend: yes") != NULL,
	   "response headers passed back");
	buf_free(&g.body);
	buf_free(&g.hdrs);
	get(pport, "shop.example", "/", "hello=world", &g);
	ok(strstr(g.body.data, "POST / q=- host=shop.example") &&
	       strstr(g.body.data, "body=11"),
	   "POST body relayed: %s", g.body.data);
	buf_free(&g.body);
	buf_free(&g.hdrs);
	get(pport, "x", "/down", NULL, &g);
	ok(g.status == 503 && strstr(g.body.data, "no ready endpoints"),
	   "503 names the Service without endpoints: %s", g.body.data);
	buf_free(&g.body);
	buf_free(&g.hdrs);
	get(pport, "x", "/nothing", NULL, &g);
	ok(g.status == 404 && strstr(g.body.data, "no Ingress rule matches"),
	   "404 says why: %s", g.body.data);
	buf_free(&g.body);
	buf_free(&g.hdrs);
	get(pport, "a.wild.example", "/", NULL, &g);	/* 127.0.0.2:9 */
	ok(g.status == 502 && strstr(g.body.data, "502 Bad Gateway"),
	   "a dead endpoint: 502: %s", g.body.data);
	buf_free(&g.body);
	buf_free(&g.hdrs);
	test_streaming(pport);
	test_upgrade(pport);
	test_tls(ingresses, classes, backend_port);
out:
	ingress_proxy_stop(p);
	if (be)
		MHD_stop_daemon(be);
	ok(ingress_proxy_start("nonsense", &p, &e) < 0 &&
	       e.code == ERR_INVALID,
	   "bad listen address refused");
	free(addr);
	cJSON_Delete(ing);
	cJSON_Delete(cls);
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	test_routing();
	test_proxy();
	curl_global_cleanup();
	return tap_done();
}
