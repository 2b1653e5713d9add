/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_podnet: the pod network against the real kernel (root only; skips
 * otherwise).  A bridge "kdt<pid>" and a CIDR 10.2xx.yy.0/24 derived from
 * the pid keep it clear of a running cluster and of other tests; two
 * namespaces made with `ip netns add` stand in for pod sandboxes.  Checks
 * addresses, gateway->pod and pod->pod pings, idempotent setup, IPAM across
 * podnet_free/podnet_open, teardown, hostPort (127.0.0.1 and the gateway
 * address) to a busybox nc in a pod, and that destroy leaves nothing.
 * Everything is removed again at exit, also when checks fail.
 */
#include "config.h"

#include <linux/capability.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cluster/net/podnet.h"
#include "common/buf.h"
#include "common/mem.h"
#include "tests/tap.h"

#define BB "/bin/busybox"

static char bridge[16], cidr[32], prefix3[16], state_dir[64];
static char ns_a[32], ns_b[32], ns_out[32], path_a[64], path_b[64];
static pid_t listener = -1;
static struct podnet_config cfg;

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

/* stdout of a shell command; caller frees. */
static char *__attribute__((format(printf, 1, 2))) capture(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	char *cmd, chunk[512];
	va_list ap;
	FILE *p;
	size_t r;

	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) < 0)
		abort();
	va_end(ap);
	p = popen(cmd, "r");
	free(cmd);
	while (p && (r = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_add(&b, chunk, r);
	if (p)
		pclose(p);
	return b.data ? buf_take(&b) : xstrdup("");
}

static void cleanup(void)
{
	struct err e;

	if (listener > 0) {
		kill(-listener, SIGKILL); /* the loop and its nc */
		waitpid(listener, NULL, 0);
		listener = -1;
	}
	run("ip netns del %s", ns_a);
	run("ip netns del %s", ns_b);
	run("ip netns del %s", ns_out);
	podnet_destroy(&cfg, &e);
	run("rm -rf %s", state_dir);
}

static int prepare(void)
{
	int pid = (int)getpid();

	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return -1;
	}
	snprintf(bridge, sizeof(bridge), "kdt%d", pid);
	snprintf(prefix3, sizeof(prefix3), "10.%d.%d", 200 + pid % 40,
		 (pid / 50) % 256);
	snprintf(cidr, sizeof(cidr), "%s.0/24", prefix3);
	snprintf(ns_a, sizeof(ns_a), "kdtp%da", pid);
	snprintf(ns_b, sizeof(ns_b), "kdtp%db", pid);
	snprintf(ns_out, sizeof(ns_out), "kdtp%do", pid);
	snprintf(path_a, sizeof(path_a), "/run/netns/%s", ns_a);
	snprintf(path_b, sizeof(path_b), "/run/netns/%s", ns_b);
	snprintf(state_dir, sizeof(state_dir), "/tmp/kdeck-podnet-%d", pid);
	cfg.state_dir = state_dir;
	cfg.pod_cidr = cidr;
	cfg.bridge = bridge;
	atexit(cleanup);
	if (run("ip netns add %s", ns_a) || run("ip netns add %s", ns_b)) {
		printf("1..0 # SKIP ip netns does not work here\n");
		return -1;
	}
	if (access(BB, X_OK) != 0) {
		printf("1..0 # SKIP no %s\n", BB);
		return -1;
	}
	return 0;
}

static bool has_addr(const char *ns, const char *ip)
{
	char *out = capture("ip -n %s -4 addr show dev eth0 2>&1", ns);
	char *want = xasprintf("inet %s/24", ip);
	bool r = strstr(out, want) != NULL;

	free(out);
	free(want);
	return r;
}

static void test_setup(struct podnet *n, char ip_a[64], char ip_b[64])
{
	char again[64], *want;
	struct err e;

	want = xasprintf("%s.1", prefix3);
	is_str(podnet_gateway(n), want, "gateway is .1");
	free(want);
	ok(strstr(podnet_describe(n), bridge) != NULL, "describe: %s",
	   podnet_describe(n));
	ok(podnet_setup(n, "uid-a", path_a, ip_a, &e) == 0, "setup a: %s",
	   e.msg);
	ok(podnet_setup(n, "uid-b", path_b, ip_b, &e) == 0, "setup b: %s",
	   e.msg);
	want = xasprintf("%s.2", prefix3);
	is_str(ip_a, want, "pod a gets .2");
	free(want);
	ok(has_addr(ns_a, ip_a), "eth0 of a holds %s", ip_a);
	ok(has_addr(ns_b, ip_b), "eth0 of b holds %s", ip_b);
	ok(run("ip -n %s route show default | grep -q %s.1", ns_a, prefix3) ==
	       0,
	   "default route through the gateway");
	ok(run("ip -n %s link show lo | grep -q UP", ns_a) == 0, "lo is up");
	ok(run(BB " ping -c1 -W2 %s", ip_a) == 0, "node -> pod a ping");
	ok(run("ip netns exec %s " BB " ping -c1 -W2 %s", ns_a, ip_b) == 0,
	   "pod a -> pod b ping");
	ok(podnet_setup(n, "uid-x", "/run/netns/kdeck-test-none", again, &e) <
		   0 &&
	       e.code == ERR_NOT_FOUND,
	   "setup into a missing netns fails: %s", e.msg);
	ok(podnet_setup(n, "uid-a", path_a, again, &e) == 0, "setup a again");
	is_str(again, ip_a, "idempotent setup keeps the address");
	ok(run("ip netns exec %s " BB " ping -c1 -W2 %s", ns_b, ip_a) == 0,
	   "pod b -> pod a ping after repeated setup");
}

/*
 * One connection to host:port through nc, from namespace ns (NULL: the
 * node); its output (caller frees).
 */
static char *fetch(const char *ns, const char *host, int port)
{
	for (int i = 0; i < 30; i++) {
		char *out = capture("%s%s timeout 3 " BB " nc %s %d </dev/null "
				    "2>/dev/null",
				    ns ? "ip netns exec " : "", ns ? ns : "",
				    host, port);

		if (strstr(out, "hello"))
			return out;
		free(out);
		usleep(100000);
	}
	return xstrdup("");
}

static void start_listener(void)
{
	listener = fork();
	if (listener == 0) {
		setpgid(0, 0);
		if (!freopen("/dev/null", "w", stdout) ||
		    !freopen("/dev/null", "w", stderr))
			_exit(127);
		execl("/bin/sh", "sh", "-c",
		      "while :; do echo hello | "
		      "ip netns exec \"$0\" " BB " nc -l -p 8080; done",
		      ns_b, (char *)NULL);
		_exit(127);
	}
}

static void test_host_port(struct podnet *n, const char *ip_b)
{
	struct podnet_port p = {0, 8080, "TCP", NULL};
	struct err e;
	char *out;

	if (!strstr(podnet_describe(n), "nftables")) {
		ok(1, "# SKIP hostPort: %s", podnet_describe(n));
		return;
	}
	p.host_port = 20000 + (int)getpid() % 20000;
	ok(podnet_host_ports(n, "uid-b", ip_b, &p, 1, &e) == 0,
	   "hostPort %d -> 8080: %s", p.host_port, e.msg);
	start_listener();
	setpgid(listener, listener); /* whichever of us runs first */
	out = fetch(NULL, "127.0.0.1", p.host_port);
	ok(strstr(out, "hello") != NULL, "127.0.0.1:%d reaches pod b",
	   p.host_port);
	free(out);
	out = fetch(NULL, podnet_gateway(n), p.host_port);
	ok(strstr(out, "hello") != NULL, "gateway:%d reaches pod b",
	   p.host_port);
	free(out);
	out = fetch(ns_a, podnet_gateway(n), p.host_port);
	ok(strstr(out, "hello") != NULL,
	   "pod a reaches pod b through "
	   "hostPort %d",
	   p.host_port);
	free(out);
	out = fetch(ns_b, podnet_gateway(n), p.host_port);
	ok(strstr(out, "hello") != NULL,
	   "pod b reaches itself through "
	   "hostPort %d (hairpin)",
	   p.host_port);
	free(out);
	ok(podnet_host_ports(n, "ghost", "", &p, 1, &e) < 0 &&
	       e.code == ERR_NOT_FOUND,
	   "hostPort of a pod without address fails");
	ok(podnet_host_ports(n, "uid-b", ip_b, NULL, 0, &e) == 0,
	   "hostPorts cleared");
	ok(run("nft list table ip kdeck_%s | grep -q 'dport %d'", bridge,
	       p.host_port) != 0,
	   "DNAT rule gone");
}

/*
 * Outbound NAT: a namespace "outside" on a veth with a /30 of TEST-NET-2
 * has no route back to the pod CIDR, so pod a's ping only returns when
 * the node masquerades it.
 */
static void test_outbound(struct podnet *n)
{
	int pid = (int)getpid(), base = 4 * (pid % 60);
	char host_if[16];

	if (!strstr(podnet_describe(n), "through nftables")) {
		ok(1, "# SKIP outbound NAT: %s", podnet_describe(n));
		return;
	}
	snprintf(host_if, sizeof(host_if), "kdto%d", pid);
	if (run("ip netns add %s", ns_out) ||
	    run("ip link add %s type veth peer name eth0 netns %s", host_if,
		ns_out) ||
	    run("ip addr add 198.51.100.%d/30 dev %s", base + 1, host_if) ||
	    run("ip link set %s up", host_if) ||
	    run("ip -n %s addr add 198.51.100.%d/30 dev eth0", ns_out,
		base + 2) ||
	    run("ip -n %s link set eth0 up", ns_out)) {
		ok(0, "outside namespace set up");
		return;
	}
	ok(run("ip netns exec %s " BB " ping -c1 -W2 198.51.100.%d", ns_a,
	       base + 2) == 0,
	   "pod a reaches the outside through NAT");
	run("ip netns del %s", ns_out);
}

static void test_restart(struct podnet **n, const char *ip_a)
{
	char again[64], **uids = NULL;
	size_t count = 0;
	struct err e;

	podnet_free(*n);
	*n = NULL;
	ok(podnet_open(&cfg, n, &e) == 0, "reopen: %s", e.msg);
	if (!*n)
		return;
	ok(podnet_list(*n, &uids, &count, &e) == 0 && count == 2,
	   "two uids hold addresses after reopen");
	for (size_t i = 0; i < count; i++)
		free(uids[i]);
	free(uids);
	ok(podnet_setup(*n, "uid-a", path_a, again, &e) == 0,
	   "setup a after reopen");
	is_str(again, ip_a, "IPAM survived podnet_free/podnet_open");
}

static void test_teardown(struct podnet *n)
{
	char **uids = NULL, *out;
	size_t count = 0;
	struct err e;

	ok(podnet_teardown(n, "uid-a", &e) == 0, "teardown a: %s", e.msg);
	ok(podnet_teardown(n, "uid-a", &e) == 0, "teardown a again is fine");
	ok(podnet_list(n, &uids, &count, &e) == 0 && count == 1 &&
	       !strcmp(uids[0], "uid-b"),
	   "only b holds an address");
	for (size_t i = 0; i < count; i++)
		free(uids[i]);
	free(uids);
	ok(run("ip -n %s link show eth0", ns_a) != 0, "eth0 of a is gone");
	out = capture("ip -o link show master %s", bridge);
	ok(strchr(out, '\n') && !strchr(strchr(out, '\n') + 1, '\n'),
	   "one port left on the bridge");
	free(out);
}

static void test_destroy(void)
{
	struct err e;

	ok(podnet_destroy(&cfg, &e) == 0, "destroy: %s", e.msg);
	ok(run("ip link show %s", bridge) != 0, "no bridge left");
	ok(run("nft list table ip kdeck_%s", bridge) != 0, "no nft table left");
	ok(access(state_dir, F_OK) != 0, "no state left");
	ok(podnet_destroy(&cfg, &e) == 0, "destroy twice is fine");
}

/*
 * Without nftables (KDECK_NFT points nowhere): pods still get addresses
 * and reach the node; hostPorts fail plainly; destroy still cleans up.
 */
static void test_no_nft(void)
{
	struct podnet_port p = {20000 + (int)getpid() % 20000, 8080, "TCP",
				NULL};
	struct podnet *n = NULL;
	char ip[64] = "";
	struct err e;

	setenv("KDECK_NFT", "/nonexistent/nft", 1);
	if (!ok(podnet_open(&cfg, &n, &e) == 0, "open without nft: %s", e.msg))
		goto out;
	ok(strstr(podnet_describe(n),
		  "no outbound NAT (nftables not installed)") != NULL,
	   "describe: %s", podnet_describe(n));
	ok(podnet_setup(n, "uid-a", path_a, ip, &e) == 0, "setup a: %s", e.msg);
	ok(run(BB " ping -c1 -W2 %s", ip) == 0, "node -> pod a ping");
	ok(podnet_host_ports(n, "uid-a", ip, &p, 1, &e) < 0 &&
	       e.code == ERR_UNAVAILABLE,
	   "hostPort without nft: %s", e.msg);
	podnet_free(n);
	ok(podnet_destroy(&cfg, &e) == 0, "destroy without nft: %s", e.msg);
	ok(run("ip link show %s", bridge) != 0, "no bridge left");
out:
	unsetenv("KDECK_NFT");
}

/* A child without capabilities gets ERR_FORBIDDEN from podnet_open. */
static void test_forbidden(void)
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		struct __user_cap_header_struct h = {
		    _LINUX_CAPABILITY_VERSION_3, 0};
		struct __user_cap_data_struct d[2];
		struct podnet *n = NULL;
		struct err e;

		memset(d, 0, sizeof(d));
		if (syscall(SYS_capset, &h, d) < 0)
			_exit(2);
		_exit(podnet_open(&cfg, &n, &e) < 0 &&
			      e.code == ERR_FORBIDDEN &&
			      strstr(e.msg, "CAP_NET_ADMIN")
			  ? 0
			  : 1);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "no CAP_NET_ADMIN: podnet_open says ERR_FORBIDDEN");
}

int main(void)
{
	struct podnet *n = NULL;
	char ip_a[64] = "", ip_b[64] = "";
	struct err e;

	if (prepare() < 0)
		return 0;
	if (!ok(podnet_open(&cfg, &n, &e) == 0, "open %s %s: %s", bridge, cidr,
		e.msg))
		return tap_done();
	test_setup(n, ip_a, ip_b);
	test_host_port(n, ip_b);
	test_outbound(n);
	test_restart(&n, ip_a);
	if (n)
		test_teardown(n);
	podnet_free(n);
	test_destroy();
	test_no_nft();
	test_forbidden();
	return tap_done();
}
