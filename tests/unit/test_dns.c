/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_dns: cluster DNS answers (dns.c) for every name form, negative
 * answers, truncation and malformed packets; then the server
 * (dns_server.c) on 127.0.0.1 over UDP and TCP, forwarding other names
 * to a stand-in upstream on 127.0.0.1 run by this test.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "cluster/net/dns.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"
#include "tests/unit/svc_fixture.h"
#include "tests/tap.h"

static struct svc_model *model;

static uint8_t *query(const char *name, ldns_rr_type t, size_t *len,
		      bool edns)
{
	ldns_pkt *p = NULL;
	uint8_t *w = NULL;

	if (ldns_pkt_query_new_frm_str(&p, name, t, LDNS_RR_CLASS_IN,
				       LDNS_RD) != LDNS_STATUS_OK)
		return NULL;
	ldns_pkt_set_id(p, 4242);
	if (edns)
		ldns_pkt_set_edns_udp_size(p, 4096);
	ldns_pkt2wire(&w, p, len);
	ldns_pkt_free(p);
	return w;
}

/* Ask; returns the parsed reply (NULL when not DNS_REPLY). */
static ldns_pkt *ask(const char *name, ldns_rr_type t, bool udp,
		     enum dns_verdict *v)
{
	size_t len = 0, olen = 0;
	uint8_t *q = query(name, t, &len, false), *out = NULL;
	ldns_pkt *r = NULL;

	*v = dns_answer(model, "cluster.local", q, len, udp, &out, &olen);
	if (*v == DNS_REPLY && ldns_wire2pkt(&r, out, olen) != LDNS_STATUS_OK)
		r = NULL;
	free(q);
	free(out);
	return r;
}

/* The answers' rdata as text, joined by spaces, sorted by the caller. */
static char *answers(const ldns_pkt *r, ldns_pkt_section sec)
{
	ldns_rr_list *l = sec == LDNS_SECTION_ANSWER ? ldns_pkt_answer(r)
			  : sec == LDNS_SECTION_ADDITIONAL
			      ? ldns_pkt_additional(r)
			      : ldns_pkt_authority(r);
	struct buf b = BUF_INIT;

	ldns_rr_list_sort(l);
	for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
		ldns_rr *rr = ldns_rr_list_rr(l, i);

		for (size_t j = 0; j < ldns_rr_rd_count(rr); j++) {
			char *s = ldns_rdf2str(ldns_rr_rdf(rr, j));

			buf_printf(&b, "%s%s", b.len ? " " : "", s);
			free(s);
		}
	}
	return buf_take(&b);
}

static void expect(const char *name, ldns_rr_type t, int rcode,
		   const char *want)
{
	enum dns_verdict v;
	ldns_pkt *r = ask(name, t, true, &v);
	char *got;

	if (!r) {
		ok(0, "%s: no reply (verdict %d)", name, (int)v);
		return;
	}
	got = answers(r, LDNS_SECTION_ANSWER);
	is_int(ldns_pkt_get_rcode(r), rcode, "%s: rcode", name);
	is_str(got, want, "%s: answer", name);
	ok(ldns_pkt_id(r) == 4242 && ldns_pkt_qr(r), "%s: id and QR", name);
	if (rcode || !*want)
		ok(ldns_pkt_nscount(r) == 1, "%s: SOA for negative caching",
		   name);
	free(got);
	ldns_pkt_free(r);
}

static void test_names(void)
{
	expect("web.shop.svc.cluster.local", LDNS_RR_TYPE_A, 0, "10.96.0.20");
	expect("WEB.Shop.svc.cluster.local.", LDNS_RR_TYPE_A, 0, "10.96.0.20");
	expect("web.shop.svc.cluster.local", LDNS_RR_TYPE_AAAA, 0, "");
	expect("db.shop.svc.cluster.local", LDNS_RR_TYPE_A, 0,
	       "10.244.0.8 10.244.0.9");
	expect("db-1.db.shop.svc.cluster.local", LDNS_RR_TYPE_A, 0,
	       "10.244.0.9");
	expect("10-244-0-8.db.shop.svc.cluster.local", LDNS_RR_TYPE_A, 0,
	       "10.244.0.8");
	expect("db-7.db.shop.svc.cluster.local", LDNS_RR_TYPE_A, 3, "");
	expect("_http._tcp.web.shop.svc.cluster.local", LDNS_RR_TYPE_SRV, 0,
	       "0 100 80 web.shop.svc.cluster.local.");
	expect("_pg._tcp.db.shop.svc.cluster.local", LDNS_RR_TYPE_SRV, 0,
	       "0 50 5432 db-0.db.shop.svc.cluster.local. "
	       "0 50 5432 db-1.db.shop.svc.cluster.local.");
	expect("_http._udp.web.shop.svc.cluster.local", LDNS_RR_TYPE_SRV, 3,
	       "");
	expect("ext.default.svc.cluster.local", LDNS_RR_TYPE_A, 0,
	       "example.org.");
	expect("10-244-0-42.shop.pod.cluster.local", LDNS_RR_TYPE_A, 0,
	       "10.244.0.42");
	expect("nope.shop.svc.cluster.local", LDNS_RR_TYPE_A, 3, "");
	expect("web.shop.svc.cluster.local.shop.svc.cluster.local",
	       LDNS_RR_TYPE_A, 3, "");
	expect("shop.svc.cluster.local", LDNS_RR_TYPE_A, 0, "");
	expect("ghost.svc.cluster.local", LDNS_RR_TYPE_A, 3, "");
	expect("cluster.local", LDNS_RR_TYPE_A, 0, "");
	expect("20.0.96.10.in-addr.arpa", LDNS_RR_TYPE_PTR, 0,
	       "web.shop.svc.cluster.local.");
	expect("9.0.244.10.in-addr.arpa", LDNS_RR_TYPE_PTR, 0,
	       "db-1.db.shop.svc.cluster.local.");
}

static void test_forward_and_bad(void)
{
	enum dns_verdict v;
	uint8_t junk[40], *out = NULL, *q;
	size_t olen = 0, len = 0;
	ldns_pkt *r;

	r = ask("example.org", LDNS_RR_TYPE_A, true, &v);
	is_int(v, DNS_FORWARD, "outside the zone: forward");
	ldns_pkt_free(r);
	r = ask("1.1.168.192.in-addr.arpa", LDNS_RR_TYPE_PTR, true, &v);
	is_int(v, DNS_FORWARD, "reverse of a foreign address: forward");
	ldns_pkt_free(r);
	memset(junk, 0xff, sizeof(junk));
	junk[2] = 0x01;	/* a query header, garbage after it */
	v = dns_answer(model, "cluster.local", junk, sizeof(junk), true, &out,
		       &olen);
	is_int(v, DNS_REPLY, "garbage with a header: a reply");
	ok(olen == 12 && (out[3] & 0x0f) == LDNS_RCODE_FORMERR, "FORMERR");
	free(out);
	out = NULL;
	is_int(dns_answer(model, "cluster.local", junk, 5, true, &out, &olen),
	       DNS_DROP, "shorter than a header: dropped");
	junk[2] = 0x81;	/* QR: a response, never answered */
	is_int(dns_answer(model, "cluster.local", junk, sizeof(junk), true,
			  &out, &olen),
	       DNS_DROP, "responses are dropped");
	q = query("web.shop.svc.cluster.local", LDNS_RR_TYPE_A, &len, true);
	v = dns_answer(model, "cluster.local", q, len, true, &out, &olen);
	ok(v == DNS_REPLY && ldns_wire2pkt(&r, out, olen) == LDNS_STATUS_OK &&
	       ldns_pkt_edns(r),
	   "EDNS query: EDNS reply");
	if (v == DNS_REPLY)
		ldns_pkt_free(r);
	free(q);
	free(out);
}

/* A headless Service with 100 endpoints: truncated over UDP only. */
static void test_truncation(void)
{
	struct buf s = BUF_INIT;
	cJSON *svc, *sl;
	struct svc_model *saved = model;
	enum dns_verdict v;
	ldns_pkt *r;

	buf_adds(&s, "[{\"metadata\":{\"name\":\"big\",\"namespace\":\"x\","
		     "\"labels\":{\"kubernetes.io/service-name\":\"big\"}},"
		     "\"endpoints\":[");
	for (int i = 0; i < 100; i++)
		buf_printf(&s, "%s{\"addresses\":[\"10.1.0.%d\"]}",
			   i ? "," : "", i + 1);
	buf_adds(&s, "]}]");
	svc = cJSON_Parse("[{\"metadata\":{\"name\":\"big\",\"namespace\":"
			  "\"x\"},\"spec\":{\"clusterIP\":\"None\"}}]");
	sl = cJSON_Parse(buf_cstr(&s));
	model = svc_model_build(svc, sl);
	r = ask("big.x.svc.cluster.local", LDNS_RR_TYPE_A, true, &v);
	ok(r && ldns_pkt_tc(r) && ldns_pkt_ancount(r) == 0,
	   "UDP: truncated, no records");
	ldns_pkt_free(r);
	r = ask("big.x.svc.cluster.local", LDNS_RR_TYPE_A, false, &v);
	ok(r && !ldns_pkt_tc(r) && ldns_pkt_ancount(r) == 100,
	   "TCP: all 100 records");
	ldns_pkt_free(r);
	svc_model_unref(model);
	model = saved;
	cJSON_Delete(svc);
	cJSON_Delete(sl);
	buf_free(&s);
}

/* ---- the server ---- */

static int bound_udp(struct sockaddr_in *a)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	socklen_t l = sizeof(*a);

	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)a, sizeof(*a));
	getsockname(fd, (struct sockaddr *)a, &l);
	return fd;
}

static int upstream_fd;

/* Stand-in upstream: answers every query with 192.0.2.1. */
static void *upstream(void *arg)
{
	uint8_t buf[4096], *w = NULL;
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	ssize_t n;
	ldns_pkt *q = NULL;
	ldns_rr *rr = NULL;
	size_t len = 0;

	(void)arg;
	n = recvfrom(upstream_fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		     &fl);
	if (n <= 0 || ldns_wire2pkt(&q, buf, (size_t)n) != LDNS_STATUS_OK)
		return NULL;
	ldns_pkt_set_qr(q, true);
	ldns_rr_new_frm_str(&rr, "example.org. 60 IN A 192.0.2.1", 0, NULL,
			    NULL);
	ldns_pkt_push_rr(q, LDNS_SECTION_ANSWER, rr);
	ldns_pkt2wire(&w, q, &len);
	sendto(upstream_fd, w, len, 0, (struct sockaddr *)&from, fl);
	free(w);
	ldns_pkt_free(q);
	return NULL;
}

/* One UDP exchange with the server; returns the reply's answer text. */
static char *udp_ask(const struct sockaddr_in *srv, const char *name)
{
	struct sockaddr_in me;
	int fd = bound_udp(&me);
	size_t len = 0;
	uint8_t *q = query(name, LDNS_RR_TYPE_A, &len, false), buf[4096];
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	ldns_pkt *r = NULL;
	ssize_t n = -1;
	char *a = NULL;

	sendto(fd, q, len, 0, (const struct sockaddr *)srv, sizeof(*srv));
	if (poll(&pf, 1, 5000) > 0)
		n = recv(fd, buf, sizeof(buf), 0);
	if (n > 0 && ldns_wire2pkt(&r, buf, (size_t)n) == LDNS_STATUS_OK) {
		a = ldns_pkt_id(r) == 4242 ? answers(r, LDNS_SECTION_ANSWER)
					   : xstrdup("wrong id");
		ldns_pkt_free(r);
	}
	free(q);
	close(fd);
	return a;
}

static char *tcp_ask(const struct sockaddr_in *srv, const char *name)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	size_t len = 0;
	uint8_t *q = query(name, LDNS_RR_TYPE_A, &len, false), hdr[2];
	uint8_t buf[4096];
	ldns_pkt *r = NULL;
	char *a = NULL;
	size_t want, got = 0;

	hdr[0] = (uint8_t)(len >> 8);
	hdr[1] = (uint8_t)len;
	if (connect(fd, (const struct sockaddr *)srv, sizeof(*srv)) == 0 &&
	    write(fd, hdr, 2) == 2 && write(fd, q, len) == (ssize_t)len &&
	    read(fd, hdr, 2) == 2) {
		want = (size_t)hdr[0] << 8 | hdr[1];
		while (got < want && got < sizeof(buf)) {
			ssize_t n = read(fd, buf + got, want - got);

			if (n <= 0)
				break;
			got += (size_t)n;
		}
		if (got == want &&
		    ldns_wire2pkt(&r, buf, got) == LDNS_STATUS_OK) {
			a = answers(r, LDNS_SECTION_ANSWER);
			ldns_pkt_free(r);
		}
	}
	free(q);
	close(fd);
	return a;
}

static void test_server(void)
{
	struct sockaddr_in up, srv;
	int probe = bound_udp(&srv);	/* a free port for the server */
	char upaddr[32], *a;
	const char *ups[] = { upaddr, NULL };
	struct dns_server_config cfg = { .addr = "127.0.0.1",
					 .domain = "cluster.local",
					 .upstream = ups };
	struct dns_server *s = NULL;
	struct err e;
	pthread_t th;

	upstream_fd = bound_udp(&up);
	snprintf(upaddr, sizeof(upaddr), "127.0.0.1:%d", ntohs(up.sin_port));
	cfg.port = ntohs(srv.sin_port);
	close(probe);
	err_clear(&e);
	if (dns_server_start(&cfg, &s, &e) < 0) {
		ok(0, "server starts: %s", e.msg);
		close(upstream_fd);
		return;
	}
	a = udp_ask(&srv, "web.shop.svc.cluster.local");
	is_str(a, "", "no model yet: the name is unknown");
	free(a);
	dns_server_set_model(s, model);
	a = udp_ask(&srv, "web.shop.svc.cluster.local");
	is_str(a, "10.96.0.20", "UDP answer from the model");
	free(a);
	a = tcp_ask(&srv, "db.shop.svc.cluster.local");
	is_str(a, "10.244.0.8 10.244.0.9", "TCP answer");
	free(a);
	pthread_create(&th, NULL, upstream, NULL);
	a = udp_ask(&srv, "example.org");
	is_str(a, "192.0.2.1", "forwarded to upstream, client id restored");
	free(a);
	pthread_join(th, NULL);
	for (int tcp = 0; tcp < 2; tcp++) {
		pthread_create(&th, NULL, upstream, NULL);
		a = (tcp ? tcp_ask : udp_ask)(&srv,
					      "ext.default.svc.cluster.local");
		ok(a && strstr(a, "example.org.") && strstr(a, "192.0.2.1"),
		   "ExternalName over %s: CNAME and the chased A (%s)",
		   tcp ? "TCP" : "UDP", a);
		free(a);
		pthread_join(th, NULL);
	}
	dns_server_stop(s);
	close(upstream_fd);
	err_clear(&e);
	cfg.addr = "not-an-address";
	ok(dns_server_start(&cfg, &s, &e) < 0 && e.code == ERR_INVALID,
	   "a bad address is refused: %s", e.msg);
}

/* Which replies are chased, and what the merge makes of them. */
static void test_chase(void)
{
	size_t len = 0, olen = 0, cqlen = 0, mlen = 0;
	uint8_t *q = query("ext.default.svc.cluster.local", LDNS_RR_TYPE_A,
			   &len, false);
	uint8_t *out = NULL, *cq = NULL, *merged = NULL, *w = NULL;
	ldns_pkt *p = NULL;
	ldns_rr *rr = NULL;
	char *a;

	dns_answer(model, "cluster.local", q, len, true, &out, &olen);
	ok(dns_chase_query(out, olen, "cluster.local", &cq, &cqlen) == 0,
	   "an ExternalName's CNAME is chased");
	ok(dns_chase_query(out, olen, "org", &cq, &cqlen) < 0,
	   "not a target inside the cluster domain");
	if (cq && ldns_wire2pkt(&p, cq, cqlen) == LDNS_STATUS_OK) {
		char *n = ldns_rdf2str(ldns_rr_owner(
		    ldns_rr_list_rr(ldns_pkt_question(p), 0)));

		is_str(n, "example.org.", "the chase asks for the target");
		ok(ldns_pkt_id(p) == 4242, "with the client's id");
		ldns_pkt_set_qr(p, true);
		ldns_rr_new_frm_str(&rr, "example.org. 60 IN A 192.0.2.5", 0,
				    NULL, NULL);
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
		ldns_pkt2wire(&w, p, &len);
		free(n);
	}
	ok(w && dns_chase_merge(out, olen, w, len, true, &merged, &mlen) == 0,
	   "merged");
	ldns_pkt_free(p);
	p = NULL;
	if (merged && ldns_wire2pkt(&p, merged, mlen) == LDNS_STATUS_OK) {
		a = answers(p, LDNS_SECTION_ANSWER);
		ok(strstr(a, "example.org.") && strstr(a, "192.0.2.5"),
		   "CNAME then the target's A: %s", a);
		free(a);
	}
	ok(dns_chase_query(q, len, "cluster.local", &cq, &cqlen) < 0,
	   "a query is not a CNAME reply");
	ldns_pkt_free(p);
	free(q);
	free(out);
	free(cq);
	free(w);
	free(merged);
	q = query("web.shop.svc.cluster.local", LDNS_RR_TYPE_A, &len, false);
	out = NULL;
	dns_answer(model, "cluster.local", q, len, true, &out, &olen);
	cq = NULL;
	ok(dns_chase_query(out, olen, "cluster.local", &cq, &cqlen) < 0,
	   "an A answer is not chased");
	free(q);
	free(out);
	free(cq);
}

static void test_upstreams(void)
{
	char path[] = "/tmp/kdeck-resolv-XXXXXX";
	int fd = mkstemp(path);
	const char text[] = "search example\nnameserver 10.244.0.1\n"
			    "nameserver 192.0.2.53\nnameserver ::1\n"
			    "nameserver 127.0.0.53\n";
	char **v;

	if (write(fd, text, sizeof(text) - 1) < 0)
		ok(0, "write");
	close(fd);
	v = dns_upstreams(path, "10.244.0.1");
	is_str(v[0], "192.0.2.53", "first usable nameserver");
	is_str(v[1], "127.0.0.53", "IPv6 and our own address skipped");
	ok(v[2] == NULL, "NULL-terminated");
	for (size_t i = 0; v[i]; i++)
		free(v[i]);
	free(v);
	unlink(path);
	v = dns_upstreams("/nonexistent/resolv.conf", NULL);
	ok(v && !v[0], "missing file: no upstream");
	free(v);
}

int main(void)
{
	cJSON *s = cJSON_Parse(svc_fixture_services);
	cJSON *e = cJSON_Parse(svc_fixture_slices);

	model = svc_model_build(s, e);
	cJSON_Delete(s);
	cJSON_Delete(e);
	test_names();
	test_forward_and_bad();
	test_truncation();
	test_server();
	test_upstreams();
	test_chase();
	svc_model_unref(model);
	return tap_done();
}
