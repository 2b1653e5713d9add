/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_svcnet: the Service model (svcmodel.c) and the nftables text of
 * Service virtual IPs (svcrules.c).  When nft is installed and we may
 * change the ruleset (root), the script is also checked by `nft -c`.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/net/net_priv.h"
#include "cluster/net/svcmodel.h"
#include "cluster/net/svcrules.h"
#include "common/json.h"
#include "tests/unit/svc_fixture.h"
#include "tests/tap.h"

/* A model of the Services and EndpointSlices in these JSON arrays. */
static struct svc_model *model_of(const char *services, const char *slices)
{
	cJSON *s = cJSON_Parse(services), *e = cJSON_Parse(slices);
	struct svc_model *m = svc_model_build(s, e);

	cJSON_Delete(s);
	cJSON_Delete(e);
	return m;
}

static struct svc_model *fixture(void)
{
	return model_of(svc_fixture_services, svc_fixture_slices);
}

static void test_model(void)
{
	struct svc_model *m = fixture();
	const struct svc_entry *web = svc_model_find(m, "shop", "web");
	const struct svc_entry *db = svc_model_find(m, "shop", "db");
	const struct svc_entry *ext = svc_model_find(m, "default", "ext");

	is_int((long long)m->n, 4, "four services");
	is_str(m->sorted[0]->name, "empty", "sorted by namespace, name");
	ok(web && db && ext, "found by namespace and name");
	ok(!svc_model_find(m, "default", "web"), "namespace matters");
	if (!web || !db || !ext)
		goto out;
	is_str(web->cluster_ip, "10.96.0.20", "cluster IP");
	is_int((long long)web->nports, 2, "two ports");
	is_int(web->ports[0].node_port, 30080, "node port");
	is_int((long long)web->neps, 3, "IPv6 slice left out");
	ok(web->eps[0].ready && web->eps[1].ready && !web->eps[2].ready,
	   "absent ready condition means ready");
	is_int(web->eps[0].target[0], 8080, "named port resolved");
	is_int(web->eps[0].target[1], 0, "port missing from the slice");
	ok(db->cluster_ip == NULL, "headless has no cluster IP");
	is_str(db->eps[1].hostname, "db-1", "endpoint hostname");
	is_str(ext->external_name, "example.org", "external name");
	is_int(svc_entry_port(web, "http", "tcp"), 0, "port by name");
	is_int(svc_entry_port(web, "http", "UDP"), -1, "protocol matters");
out:
	ok(svc_model_ref(m) == m, "ref");
	svc_model_unref(m);
	svc_model_unref(m);
	svc_model_unref(NULL);
}

static void test_rules(void)
{
	struct svc_model *m = fixture();
	struct buf b = BUF_INIT;
	const char *t;
	char name[48];

	svcrules_table_name("kdeck0", name);
	is_str(name, "kdeck_svc", "table of the default bridge");
	svcrules_table_name("kdeck3", name);
	is_str(name, "kdeck_svc_kdeck3", "table of another bridge");
	svcrules_script(&b, "kdeck_svc_test", "10.244.9.0/24", m);
	t = buf_cstr(&b);
	ok(strstr(t, "delete table ip kdeck_svc_test\n") != NULL,
	   "replaces the table whole");
	ok(strstr(t, "ip daddr 10.96.0.20 tcp dport 80 jump s3_0") != NULL,
	   "virtual IP jumps to the service chain");
	ok(strstr(t, "fib daddr type local tcp dport 30080 jump s3_0") != NULL,
	   "node port on local addresses");
	ok(strstr(t, "numgen random mod 2 vmap { 0 : jump e3_0_0, 1 : jump "
		     "e3_0_1 }") != NULL,
	   "two ready endpoints share the load");
	ok(strstr(t, "dnat to 10.244.0.5:8080") &&
	       strstr(t, "dnat to 10.244.0.6:8080"),
	   "DNAT to the ready endpoints");
	ok(!strstr(t, "10.244.0.7"), "not-ready endpoint left out");
	ok(strstr(t, "ip daddr 10.96.0.30 tcp dport 81 reject") != NULL,
	   "no endpoints: reject");
	ok(strstr(t, "ip daddr 10.96.0.20 udp dport 53 reject") != NULL,
	   "port with no endpoint port: reject");
	ok(!strstr(t, "5432"), "headless Services have no rules");
	ok(strstr(t, "ip saddr 10.244.9.0/24 jump services") &&
	       strstr(t, "fib daddr type local jump services"),
	   "virtual IPs for this cluster's pods, NodePorts for all");
	ok(strstr(t, "ip saddr 10.244.9.0/24 jump noeps") != NULL,
	   "only this cluster's pods are refused for empty Services");
	buf_reset(&b);
	svcrules_script(&b, "kdeck_svc_test", "10.244.9.0/24", NULL);
	ok(strstr(buf_cstr(&b), "chain services {\n\t}") != NULL,
	   "no model: empty service chain");
	buf_free(&b);
	svc_model_unref(m);
}

static void nft_check(const char *t, const char *what);

/* LoadBalancer and external addresses, ClientIP affinity. */
static const char lb_services[] =
    "[{\"metadata\":{\"name\":\"lb\",\"namespace\":\"a\"},"
    "\"spec\":{\"type\":\"LoadBalancer\",\"clusterIP\":\"10.96.0.40\","
    "\"externalIPs\":[\"192.0.2.7\",\"bad\"],"
    "\"sessionAffinity\":\"ClientIP\",\"sessionAffinityConfig\":"
    "{\"clientIP\":{\"timeoutSeconds\":60}},"
    "\"ports\":[{\"port\":8080,\"nodePort\":31000}]},"
    "\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"192.0.2.9\"},"
    "{\"ip\":\"192.0.2.7\"},{\"hostname\":\"lb.example\"}]}}},"
    "{\"metadata\":{\"name\":\"sticky\",\"namespace\":\"a\"},"
    "\"spec\":{\"clusterIP\":\"10.96.0.41\",\"sessionAffinity\":"
    "\"ClientIP\",\"ports\":[{\"port\":80}]}}]";
static const char lb_slices[] =
    "[{\"metadata\":{\"name\":\"lb-x\",\"namespace\":\"a\","
    "\"labels\":{\"kubernetes.io/service-name\":\"lb\"}},"
    "\"ports\":[{\"port\":80}],\"endpoints\":["
    "{\"addresses\":[\"10.244.0.5\"]},{\"addresses\":[\"10.244.0.6\"]}]},"
    "{\"metadata\":{\"name\":\"sticky-x\",\"namespace\":\"a\","
    "\"labels\":{\"kubernetes.io/service-name\":\"sticky\"}},"
    "\"ports\":[{\"port\":80}],\"endpoints\":["
    "{\"addresses\":[\"10.244.0.7\"]}]}]";

static void test_lb_affinity(void)
{
	struct svc_model *m = model_of(lb_services, lb_slices);
	const struct svc_entry *lb = svc_model_find(m, "a", "lb");
	const struct svc_entry *st = svc_model_find(m, "a", "sticky");
	struct buf b = BUF_INIT;
	const char *t;

	ok(lb && st, "both Services modelled");
	if (!lb || !st)
		goto out;
	is_int((long long)lb->next_ips, 2, "external and LB IPs, no repeats");
	is_str(lb->ext_ips[0], "192.0.2.7", "spec.externalIPs first");
	is_str(lb->ext_ips[1], "192.0.2.9", "then the load-balancer IP");
	is_int(lb->affinity_s, 60, "affinity timeout from the config");
	is_int(st->affinity_s, SVC_AFFINITY_DEFAULT_S, "default timeout");
	svcrules_script(&b, "kdeck_svc_test", "10.244.9.0/24", m);
	t = buf_cstr(&b);
	ok(strstr(t, "ip daddr 192.0.2.9 tcp dport 8080 jump s0_0") != NULL,
	   "the load-balancer IP forwards the Service port");
	ok(strstr(t, "ip daddr 192.0.2.7 tcp dport 8080 jump s0_0") != NULL,
	   "so does the external IP");
	ok(strstr(t, "set a0_0_1 {\n\t\ttype ipv4_addr\n\t\tflags "
		     "dynamic,timeout\n\t\ttimeout 60s") != NULL,
	   "an affinity set per endpoint, with the timeout");
	ok(strstr(t, "ip saddr @a0_0_0 jump e0_0_0") != NULL,
	   "known clients go back to their endpoint");
	ok(strstr(t, "update @a0_0_1 { ip saddr }") != NULL,
	   "the endpoint remembers its client");
	ok(!strstr(t, "@a1_"), "one endpoint: no affinity sets needed");
	nft_check(t, "nft -c accepts affinity and LB rules");
out:
	buf_free(&b);
	svc_model_unref(m);
}

/* `nft -c` (checks without applying) accepts script t. */
static void nft_check(const char *t, const char *what)
{
	char path[] = "/tmp/kdeck-svcnet-XXXXXX";
	size_t len = strlen(t);
	int fd;
	char *cmd;

	if (geteuid() != 0 || !nft_available()) {
		ok(1, "# SKIP nft -c needs root and nftables");
		return;
	}
	fd = mkstemp(path);
	if (fd < 0 || write(fd, t, len) != (ssize_t)len) {
		ok(0, "write script");
	} else {
		cmd = xasprintf("nft -c -f %s 2>&1", path);
		is_int(system(cmd), 0, "%s", what);
		free(cmd);
	}
	if (fd >= 0)
		close(fd);
	unlink(path);
}

/* The script is valid nftables. */
static void test_nft_check(void)
{
	struct svc_model *m = fixture();
	struct buf b = BUF_INIT;

	svcrules_script(&b, "kdeck_svc_test", "10.244.9.0/24", m);
	nft_check(buf_cstr(&b), "nft -c accepts the script");
	buf_free(&b);
	svc_model_unref(m);
}

int main(void)
{
	test_model();
	test_rules();
	test_nft_check();
	test_lb_affinity();
	return tap_done();
}
