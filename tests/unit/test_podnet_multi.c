/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_podnet_multi: one pod network per cluster.  The choice of bridge
 * and CIDR (netpick_choose) against made-up kernel snapshots and the
 * network.json round trip run everywhere; as root, two podnets with
 * different state dirs and no explicit bridge must get different bridges
 * and /24s, each reach its own pod, keep their choice across reopen, and
 * destroying one must leave the other working.  Everything made is
 * removed at exit.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cluster/net/net_priv.h"
#include "cluster/net/podnet.h"
#include "common/file.h"
#include "common/mem.h"
#include "tests/tap.h"

static char dirs[2][64], nss[2][32], paths[2][64];
static struct podnet_config cfgs[2];

static int __attribute__((format(printf, 1, 2))) run(const char *fmt, ...)
{
	char *cmd, *full;
	va_list ap;
	int st;

	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) < 0)
		abort();
	va_end(ap);
	full = xasprintf("%s >/dev/null 2>&1", cmd);
	st = system(full);
	free(cmd);
	free(full);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const struct {
	const char *name, *bridge, *cidr, *table;
	const char *names[3];
	uint32_t addrs[3];
	int prefixes[3];
} choose_cases[] = {
	{ "empty machine", "kdeck0", "10.244.0.0/24", "kdeck", { NULL },
	  { 0 }, { 0 } },
	{ "kdeck0 taken by name", "kdeck1", "10.244.1.0/24", "kdeck_kdeck1",
	  { "kdeck0" }, { 0 }, { 0 } },
	{ "10.244.0.0/24 taken by an address", "kdeck1", "10.244.1.0/24",
	  "kdeck_kdeck1", { NULL }, { 0x0af40005u }, { 24 } },
	{ "name and address", "kdeck2", "10.244.2.0/24", "kdeck_kdeck2",
	  { "kdeck0" }, { 0x0af40101u }, { 24 } },
	{ "unrelated network", "kdeck0", "10.244.0.0/24", "kdeck", { NULL },
	  { 0xc0a80101u }, { 24 } },
	{ "a /16 over the pool", NULL, NULL, NULL, { NULL }, { 0x0af40001u },
	  { 16 } },
	{ "10/8 over the pool", NULL, NULL, NULL, { NULL }, { 0x0a000001u },
	  { 8 } },
};

static void test_choose(void)
{
	for (size_t i = 0; i < sizeof(choose_cases) / sizeof(*choose_cases);
	     i++) {
		struct link_snapshot *s = xcalloc(1, sizeof(*s));
		struct netpick p;
		struct err e;
		int rc;

		for (int j = 0; j < 3 && choose_cases[i].names[j]; j++)
			strcpy(s->names[s->nnames++], choose_cases[i].names[j]);
		for (int j = 0; j < 3 && choose_cases[i].addrs[j]; j++) {
			s->addrs[s->naddrs] = choose_cases[i].addrs[j];
			s->prefixes[s->naddrs++] = choose_cases[i].prefixes[j];
		}
		rc = netpick_choose(s, &p, &e);
		if (!choose_cases[i].bridge) {
			ok(rc < 0 && e.code == ERR_UNAVAILABLE, "%s: full",
			   choose_cases[i].name);
		} else if (ok(rc == 0, "%s: chosen", choose_cases[i].name)) {
			is_str(p.bridge, choose_cases[i].bridge, "%s: bridge",
			       choose_cases[i].name);
			is_str(p.cidr, choose_cases[i].cidr, "%s: cidr",
			       choose_cases[i].name);
			is_str(p.table, choose_cases[i].table, "%s: table",
			       choose_cases[i].name);
		}
		free(s);
	}
}

/* network.json: legacy data dir, round trip, corrupt file. */
static void test_state(void)
{
	char dir[64], *f;
	struct netpick p;
	struct err e;

	snprintf(dir, sizeof(dir), "/tmp/kdeck-pnm-%d-s", (int)getpid());
	mkdir(dir, 0700);
	f = xasprintf("%s/ipam.json", dir);
	file_write_atomic(f, "{}\n", 3, 0600, &e);
	free(f);
	ok(netpick_load(dir, &p, &e) < 0 && e.code == ERR_NOT_FOUND,
	   "no network.json: not found");
	if (ok(netpick_resolve(dir, &p, &e) == 0, "legacy dir: %s", e.msg))
		is_str(p.bridge, "kdeck0", "legacy dir keeps kdeck0");
	if (ok(netpick_load(dir, &p, &e) == 0, "written: %s", e.msg))
		is_str(p.cidr, "10.244.0.0/24", "legacy dir keeps its CIDR");
	f = xasprintf("%s/network.json", dir);
	file_write_atomic(f, "{\"bridge\":1}", 12, 0600, &e);
	free(f);
	ok(netpick_resolve(dir, &p, &e) < 0 && e.code == ERR_PARSE,
	   "corrupt network.json: %s", e.msg);
	run("rm -rf %s", dir);
}

static void cleanup(void)
{
	struct err e;

	for (int i = 0; i < 2; i++) {
		run("ip netns del %s", nss[i]);
		podnet_destroy(&cfgs[i], &e);
		run("rm -rf %s", dirs[i]);
	}
}

static bool ping(const char *ip)
{
	return run("/bin/busybox ping -c1 -W2 %s", ip) == 0;
}

static bool link_exists(const char *name)
{
	return run("ip link show dev %s", name) == 0;
}

static int prepare(void)
{
	int pid = (int)getpid();

	for (int i = 0; i < 2; i++) {
		snprintf(dirs[i], sizeof(dirs[i]), "/tmp/kdeck-pnm-%d-%d", pid,
			 i);
		snprintf(nss[i], sizeof(nss[i]), "kdtm%d%c", pid, 'a' + i);
		snprintf(paths[i], sizeof(paths[i]), "/run/netns/%s", nss[i]);
		cfgs[i].state_dir = dirs[i];
	}
	if (geteuid() != 0 || access("/bin/busybox", X_OK) != 0) {
		ok(1, "# SKIP two clusters: needs root and /bin/busybox");
		return -1;
	}
	atexit(cleanup);
	if (run("ip netns add %s", nss[0]) || run("ip netns add %s", nss[1])) {
		ok(1, "# SKIP two clusters: ip netns does not work here");
		return -1;
	}
	return 0;
}

static void test_two(void)
{
	struct podnet *n[2] = { NULL, NULL };
	char ip[2][64] = { "", "" }, bridge[2][16];
	struct err e;

	for (int i = 0; i < 2; i++)
		if (!ok(podnet_open(&cfgs[i], &n[i], &e) == 0, "open %d: %s",
			i, e.msg))
			goto out;
	ok(strcmp(podnet_bridge(n[0]), podnet_bridge(n[1])) != 0,
	   "different bridges: %s %s", podnet_bridge(n[0]),
	   podnet_bridge(n[1]));
	ok(strcmp(podnet_cidr(n[0]), podnet_cidr(n[1])) != 0,
	   "different CIDRs: %s %s", podnet_cidr(n[0]), podnet_cidr(n[1]));
	for (int i = 0; i < 2; i++) {
		snprintf(bridge[i], 16, "%s", podnet_bridge(n[i]));
		ok(podnet_setup(n[i], "pod", paths[i], ip[i], &e) == 0,
		   "pod %d: %s %s", i, ip[i], e.msg);
		ok(ping(ip[i]), "pod %d reachable at %s", i, ip[i]);
	}
	podnet_free(n[0]);
	n[0] = NULL;
	if (ok(podnet_open(&cfgs[0], &n[0], &e) == 0, "reopen: %s", e.msg))
		is_str(podnet_bridge(n[0]), bridge[0], "reopen keeps bridge");
	podnet_free(n[0]);
	n[0] = NULL;
	ok(podnet_destroy(&cfgs[0], &e) == 0, "destroy 0: %s", e.msg);
	ok(!link_exists(bridge[0]), "bridge %s gone", bridge[0]);
	ok(link_exists(bridge[1]), "bridge %s stays", bridge[1]);
	ok(ping(ip[1]), "pod 1 still reachable at %s", ip[1]);
out:
	podnet_free(n[0]);
	podnet_free(n[1]);
}

int main(void)
{
	test_choose();
	test_state();
	if (prepare() == 0)
		test_two();
	return tap_done();
}
