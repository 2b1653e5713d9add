/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ipam: the pure parts of the pod network, no root needed: CIDR
 * parsing, allocation order, exhaustion, the ipam.json text (round trip
 * and corrupt files), hostPort checks, the nftables script and veth names.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/net/net_priv.h"
#include "tests/tap.h"

static void test_cidr(void)
{
	static const struct {
		const char *in;
		int rc;
		const char *net;
		int prefix;
	} cases[] = {
	    {"10.244.0.0/24", 0, "10.244.0.0", 24},
	    {"10.0.0.0/8", 0, "10.0.0.0", 8},
	    {"192.168.7.248/29", 0, "192.168.7.248", 29},
	    {"10.1.2.0/30", 0, "10.1.2.0", 30},
	    {"10.244.0.1/24", -1, NULL, 0}, /* host bits */
	    {"10.244.0.0/31", -1, NULL, 0},
	    {"10.0.0.0/7", -1, NULL, 0},
	    {"10.244.0.0", -1, NULL, 0},
	    {"10.244.0.0/", -1, NULL, 0},
	    {"10.244.0.0/24x", -1, NULL, 0},
	    {"10.244.0/24", -1, NULL, 0},
	    {"fd00::/64", -1, NULL, 0},
	    {"", -1, NULL, 0},
	    {NULL, -1, NULL, 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t net = 7;
		int prefix = 7, rc;
		struct err e;
		char s[16];

		rc = ipam_parse_cidr(cases[i].in, &net, &prefix, &e);
		is_int(rc, cases[i].rc, "cidr %s",
		       cases[i].in ? cases[i].in : "NULL");
		if (rc == 0) {
			ipam_ip_str(net, s);
			is_str(s, cases[i].net, "cidr %s: network",
			       cases[i].in);
			is_int(prefix, cases[i].prefix, "cidr %s: prefix",
			       cases[i].in);
		} else {
			is_int(e.code, ERR_INVALID, "cidr %s: ERR_INVALID",
			       cases[i].in ? cases[i].in : "NULL");
			ok(net == 7 && prefix == 7,
			   "cidr: outputs untouched on error");
		}
	}
}

static uint32_t alloc(struct ipam *a, const char *uid, bool *fresh)
{
	struct err e;
	uint32_t ip = 0;
	bool f = false;

	if (ipam_alloc(a, uid, &ip, &f, &e) < 0)
		return 0;
	if (fresh)
		*fresh = f;
	return ip;
}

static void test_order(void)
{
	struct ipam a;
	uint32_t net;
	int prefix;
	bool fresh = false;
	char s[16];

	ipam_parse_cidr("10.244.0.0/24", &net, &prefix, NULL);
	ipam_init(&a, net, prefix);
	is_int(ipam_capacity(&a), 253, "a /24 holds 253 pods");
	ipam_ip_str(ipam_gateway(&a), s);
	is_str(s, "10.244.0.1", "gateway is .1");
	is_int(alloc(&a, "a", &fresh), net + 2, "first pod gets .2");
	ok(fresh, "first allocation is fresh");
	is_int(alloc(&a, "b", NULL), net + 3, "second pod gets .3");
	is_int(alloc(&a, "c", NULL), net + 4, "third pod gets .4");
	is_int(alloc(&a, "b", &fresh), net + 3, "same uid keeps its address");
	ok(!fresh, "repeated allocation is not fresh");
	ok(ipam_release(&a, "b"), "release b");
	ok(!ipam_release(&a, "b"), "second release finds nothing");
	is_int(alloc(&a, "d", NULL), net + 5,
	       "next-fit: a released address is not reused at once");
	ok(ipam_find(&a, "b") == NULL, "b is gone");
	ipam_done(&a);
}

static void test_exhaustion(void)
{
	static const char *const uids[] = {"u1", "u2", "u3", "u4", "u5"};
	struct ipam a;
	struct err e;
	uint32_t net, ip = 0;
	int prefix;
	bool fresh;

	ipam_parse_cidr("10.250.3.0/29", &net, &prefix, NULL);
	ipam_init(&a, net, prefix);
	is_int(ipam_capacity(&a), 5, "a /29 holds 5 pods");
	for (size_t i = 0; i < 5; i++)
		is_int(alloc(&a, uids[i], NULL), net + 2 + i, "/29 pod %zu", i);
	is_int(ipam_alloc(&a, "u6", &ip, &fresh, &e), -1, "sixth pod fails");
	is_int(e.code, ERR_UNAVAILABLE, "exhaustion is ERR_UNAVAILABLE");
	ok(strstr(e.msg, "10.250.3.0/29") != NULL, "message names the CIDR: %s",
	   e.msg);
	is_int(ip, 0, "no address on failure");
	ipam_release(&a, "u2");
	is_int(alloc(&a, "u6", NULL), net + 3, "wraps around to the freed .3");
	is_int(alloc(&a, "u5", NULL), net + 6, "broadcast .7 never handed out");
	ipam_done(&a);
}

static void test_round_trip(void)
{
	struct ipam_port ports[] = {
	    {8080, 80, "TCP", ""},
	    {5353, 53, "UDP", "127.0.0.1"},
	};
	struct ipam a, b;
	struct err e;
	struct ipam_entry *en;
	uint32_t net;
	int prefix;
	char *t1, *t2;

	ipam_parse_cidr("10.244.0.0/24", &net, &prefix, NULL);
	ipam_init(&a, net, prefix);
	alloc(&a, "pod-a", NULL);
	alloc(&a, "pod-b", NULL);
	alloc(&a, "pod-c", NULL);
	ipam_release(&a, "pod-b");
	is_int(ipam_set_ports(&a, "pod-a", ports, 2, &e), 0, "set ports");
	is_int(ipam_port_count(&a), 2, "two port maps");
	t1 = ipam_dump(&a);
	is_int(ipam_load(&b, t1, strlen(t1), &e), 0, "dump loads again");
	t2 = ipam_dump(&b);
	is_str(t2, t1, "round trip is stable");
	en = ipam_find(&b, "pod-a");
	ok(en && en->ip == net + 2 && en->nports == 2,
	   "pod-a kept ip and ports");
	ok(en && !strcmp(en->ports[1].host_ip, "127.0.0.1") &&
	       !strcmp(en->ports[1].proto, "UDP"),
	   "hostIP and protocol kept");
	is_int(alloc(&b, "pod-d", NULL), net + 5, "next-fit position survives");
	free(t1);
	free(t2);
	ipam_done(&a);
	ipam_done(&b);
}

static void test_corrupt(void)
{
	static const char *const bad[] = {
	    "",
	    "not json",
	    "[]",
	    "{\"cidr\":\"10.244.0.0/24\",\"pods\"",
	    "{\"pods\":{}}",
	    "{\"cidr\":\"10.244.0.1/24\"}",
	    "{\"cidr\":\"10.244.0.0/24\",\"pods\":[]}",
	    "{\"cidr\":\"10.244.0.0/24\",\"pods\":{\"a\":1}}",
	    "{\"cidr\":\"10.244.0.0/24\",\"pods\":{\"a\":{}}}",
	    "{\"cidr\":\"10.244.0.0/"
	    "24\",\"pods\":{\"a\":{\"ip\":\"10.244.0.1\"}}}",
	    "{\"cidr\":\"10.244.0.0/"
	    "24\",\"pods\":{\"a\":{\"ip\":\"10.244.0.255\"}}}",
	    "{\"cidr\":\"10.244.0.0/"
	    "24\",\"pods\":{\"a\":{\"ip\":\"10.245.0.2\"}}}",
	    "{\"cidr\":\"10.244.0.0/"
	    "24\",\"pods\":{\"a\":{\"ip\":\"10.244.0.2\"},"
	    "\"b\":{\"ip\":\"10.244.0.2\"}}}",
	    "{\"cidr\":\"10.244.0.0/"
	    "24\",\"pods\":{\"a\":{\"ip\":\"10.244.0.2\"},"
	    "\"a\":{\"ip\":\"10.244.0.3\"}}}",
	    "{\"cidr\":\"10.244.0.0/"
	    "24\",\"pods\":{\"\":{\"ip\":\"10.244.0.2\"}}}",
	    "{\"cidr\":\"10.244.0.0/"
	    "24\",\"pods\":{\"a\":{\"ip\":\"10.244.0.2\","
	    "\"hostPorts\":{}}}}",
	    "{\"cidr\":\"10.244.0.0/"
	    "24\",\"pods\":{\"a\":{\"ip\":\"10.244.0.2\","
	    "\"hostPorts\":[{\"hostPort\":0,\"containerPort\":80,"
	    "\"protocol\":\"TCP\"}]}}}",
	    "{\"cidr\":\"10.244.0.0/"
	    "24\",\"pods\":{\"a\":{\"ip\":\"10.244.0.2\","
	    "\"hostPorts\":[{\"hostPort\":80,\"containerPort\":80,"
	    "\"protocol\":\"ICMP\"}]}}}",
	    "{\"cidr\":\"10.244.0.0/"
	    "24\",\"pods\":{\"a\":{\"ip\":\"10.244.0.2\","
	    "\"hostPorts\":[{\"hostPort\":80,\"containerPort\":80,"
	    "\"protocol\":\"TCP\",\"hostIP\":\"nowhere\"}]}}}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ipam a = {.prefix = -5};
		struct err e;

		is_int(ipam_load(&a, bad[i], strlen(bad[i]), &e), -1,
		       "corrupt state %zu rejected", i);
		is_int(e.code, ERR_PARSE, "corrupt state %zu: ERR_PARSE (%s)",
		       i, e.msg);
		is_int(a.prefix, -5, "corrupt state %zu: book untouched", i);
	}
}

static void test_ports(void)
{
	static const struct {
		struct ipam_port p;
		int code;
	} cases[] = {
	    {{80, 8080, "TCP", ""}, ERR_OK},
	    {{80, 8080, "SCTP", "10.0.0.1"}, ERR_OK},
	    {{0, 8080, "TCP", ""}, ERR_INVALID},
	    {{80, 65536, "TCP", ""}, ERR_INVALID},
	    {{80, 80, "tcp", ""}, ERR_INVALID},
	    {{80, 80, "UDP", "::1"}, ERR_INVALID},
	};
	struct ipam a;
	struct err e;

	ipam_init(&a, 0x0af40000, 24);
	is_int(ipam_set_ports(&a, "ghost", NULL, 0, &e), -1, "ports of no pod");
	is_int(e.code, ERR_NOT_FOUND, "ports of no pod: ERR_NOT_FOUND");
	alloc(&a, "p", NULL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = ipam_set_ports(&a, "p", &cases[i].p, 1, &e);

		is_int(rc == 0 ? ERR_OK : e.code, cases[i].code,
		       "port case %zu", i);
	}
	{
		struct ipam_port mine[] = {{80, 8080, "TCP", "10.0.0.1"}};
		static const struct {
			struct ipam_port p;
			int code;
		} other[] = {
		    {{80, 80, "TCP", ""}, ERR_CONFLICT},
		    {{80, 80, "TCP", "10.0.0.1"}, ERR_CONFLICT},
		    {{80, 80, "TCP", "10.0.0.2"}, ERR_OK},
		    {{80, 80, "UDP", ""}, ERR_OK},
		    {{81, 80, "TCP", ""}, ERR_OK},
		};

		is_int(ipam_set_ports(&a, "p", mine, 1, &e), 0, "p maps 80");
		is_int(ipam_set_ports(&a, "p", mine, 1, &e), 0,
		       "re-setting its own map is no conflict");
		alloc(&a, "q", NULL);
		for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
			int rc = ipam_set_ports(&a, "q", &other[i].p, 1, &e);

			is_int(rc == 0 ? ERR_OK : e.code, other[i].code,
			       "second pod, port case %zu", i);
		}
		ipam_set_ports(&a, "q", NULL, 0, &e);
	}
	is_int(ipam_set_ports(&a, "p", NULL, 0, &e), 0, "clear ports");
	is_int(ipam_port_count(&a), 0, "no port maps left");
	ipam_done(&a);
}

static void test_nft_and_names(void)
{
	struct ipam_port ports[] = {
	    {8080, 80, "TCP", ""},
	    {5353, 53, "UDP", "127.0.0.1"},
	};
	struct buf b = BUF_INIT;
	struct ipam a;
	char table[32], v1[16], v2[16];

	nft_table_name("kdeck0", table);
	is_str(table, "kdeck", "default bridge owns table kdeck");
	nft_table_name("kdt42", table);
	is_str(table, "kdeck_kdt42", "other bridges own their own table");
	ipam_init(&a, 0x0af40000, 24);
	alloc(&a, "p", NULL);
	ipam_set_ports(&a, "p", ports, 2, NULL);
	nft_ruleset(&b, "kdeck", "kdeck0", &a);
	ok(strstr(b.data, "delete table ip kdeck\n") != NULL,
	   "script replaces the table");
	ok(strstr(b.data, "ip saddr 10.244.0.0/24 oifname != \"kdeck0\" "
			  "masquerade") != NULL,
	   "outbound masquerade");
	ok(strstr(b.data, "tcp dport 8080 dnat to 10.244.0.2:80") != NULL,
	   "TCP hostPort DNAT");
	ok(strstr(b.data, "ip daddr 127.0.0.1 udp dport 5353 dnat to "
			  "10.244.0.2:53") != NULL,
	   "UDP hostPort with hostIP");
	ok(strstr(b.data, "ip saddr 127.0.0.0/8 masquerade") != NULL,
	   "loopback-sourced traffic to pods is masqueraded");
	buf_free(&b);
	ipam_done(&a);
	link_veth_name("0b6f7a52-5d1c-4c0e-9a0c-7e1e8e3f0a11", v1);
	link_veth_name("0b6f7a52-5d1c-4c0e-9a0c-7e1e8e3f0a12", v2);
	is_int(strlen(v1), 14, "veth name fits IFNAMSIZ");
	ok(strcmp(v1, v2) != 0, "veth names differ per uid");
	link_veth_name("0b6f7a52-5d1c-4c0e-9a0c-7e1e8e3f0a11", v2);
	is_str(v2, v1, "veth name is stable");
}

int main(void)
{
	test_cidr();
	test_order();
	test_exhaustion();
	test_round_trip();
	test_corrupt();
	test_ports();
	test_nft_and_names();
	return tap_done();
}
