/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rt_bundle: the parts of the runtime that need no privileges:
 * config.json generation (capabilities, mounts, namespaces, resources),
 * the status file format, and the CRI log writer (format, partial lines,
 * rotation).
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/runtime/rt_int.h"
#include "common/json.h"
#include "common/mem.h"
#include "tests/tap.h"

static char *argv_sh[] = { "/bin/sh", "-c", "echo hi", NULL };
static char *env_a[] = { "PATH=/bin", "A=1", NULL };

/* Is name in the JSON string array at path? */
static bool has_str(const cJSON *root, const char *path, const char *name)
{
	const cJSON *a = json_get(root, path), *it;

	cJSON_ArrayForEach(it, a)
		if (cJSON_IsString(it) && !strcmp(it->valuestring, name))
			return true;
	return false;
}

static const cJSON *mount_at(const cJSON *c, const char *dest)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, json_get(c, "mounts"))
		if (!strcmp(json_get_str(it, "destination"), dest))
			return it;
	return NULL;
}

static cJSON *config(const struct rt_container_spec *s)
{
	struct rt_bundle_ns ns = { "/run/x/net", "/run/x/ipc", "/run/x/uts",
				   "/run/x/shm", true, 0, false, false,
				   false, false };
	cJSON *c = NULL;
	struct err e;

	if (rt_bundle_config(s, &ns, "/r/rootfs", "/kdeck/podU/U_c_0", &c, &e) < 0)
		diag(e.msg);
	return c;
}

static void test_defaults(void)
{
	struct rt_container_spec s = { .id = "U_c_0", .argv = argv_sh,
				       .env = env_a, .uid = 1000, .gid = 1000 };
	cJSON *c = config(&s);
	int64_t n = 0;
	int nss = 0;
	const cJSON *it;

	ok(c != NULL, "default spec builds");
	is_str(json_get_str(c, "process.args[2]"), "echo hi", "args");
	is_str(json_get_str(c, "process.env[1]"), "A=1", "env");
	is_str(json_get_str(c, "process.cwd"), "/", "cwd defaults to /");
	ok(json_get_int(c, "process.user.uid", &n) == 0 && n == 1000, "uid");
	ok(has_str(c, "process.capabilities.bounding", "CAP_CHOWN") &&
	   has_str(c, "process.capabilities.effective", "CAP_NET_BIND_SERVICE"),
	   "default capabilities");
	ok(!has_str(c, "process.capabilities.bounding", "CAP_SYS_ADMIN"),
	   "no SYS_ADMIN by default");
	is_int(cJSON_GetArraySize(json_get(c, "process.capabilities.bounding")),
	       14, "containerd's 14 default capabilities");
	is_str(json_get_str(c, "root.path"), "/r/rootfs", "root path");
	is_str(json_get_str(c, "linux.cgroupsPath"), "/kdeck/podU/U_c_0",
	       "cgroupsPath");
	cJSON_ArrayForEach(it, json_get(c, "linux.namespaces")) {
		const char *t = json_get_str(it, "type"), *p = json_get_str(it, "path");

		nss++;
		if (!strcmp(t, "network"))
			is_str(p, "/run/x/net", "network ns joined by path");
		if (!strcmp(t, "pid"))
			ok(p == NULL, "new pid namespace");
	}
	is_int(nss, 5, "pid, mount, network, ipc, uts");
	ok(has_str(c, "linux.maskedPaths", "/proc/kcore") &&
	   has_str(c, "linux.readonlyPaths", "/proc/sys"), "masked and ro paths");
	ok(has_str(mount_at(c, "/sys"), "options", "ro"), "/sys read-only");
	is_str(json_get_str(mount_at(c, "/dev/shm"), "source"), "/run/x/shm",
	       "/dev/shm is the pod's");
	ok(mount_at(c, "/dev/mqueue") && mount_at(c, "/dev/pts") &&
	   mount_at(c, "/proc"), "standard mounts");
	ok(json_get_bool(c, "linux.resources.devices[0].allow", true) == false,
	   "devices denied by default");
	ok(json_get(c, "linux.resources.memory") == NULL, "no memory limit");
	cJSON_Delete(c);
}

static void test_caps(void)
{
	static const struct {
		char *add[3], *drop[3];
		const char *has, *lacks;
		int count;
	} cases[] = {
		{ { NULL }, { "ALL", NULL }, NULL, "CAP_CHOWN", 0 },
		{ { "NET_ADMIN", NULL }, { "ALL", NULL }, "CAP_NET_ADMIN", "CAP_CHOWN", 1 },
		{ { "CAP_SYS_TIME", NULL }, { "chown", NULL }, "CAP_SYS_TIME", "CAP_CHOWN", 14 },
		{ { "ALL", NULL }, { "KILL", NULL }, "CAP_SYS_ADMIN", "CAP_KILL", 40 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct rt_container_spec s = { .argv = argv_sh,
					       .cap_add = cases[i].add,
					       .cap_drop = cases[i].drop };
		cJSON *c = config(&s);
		const char *b = "process.capabilities.bounding";

		is_int(cJSON_GetArraySize(json_get(c, b)), cases[i].count,
		       "caps case %zu: count", i);
		ok(!cases[i].has || has_str(c, b, cases[i].has),
		   "caps case %zu: has %s", i, cases[i].has ? cases[i].has : "-");
		ok(!has_str(c, b, cases[i].lacks), "caps case %zu: lacks %s", i,
		   cases[i].lacks);
		cJSON_Delete(c);
	}
}

static void test_options(void)
{
	static char *bad[] = { "WARP_DRIVE", NULL }, *none[] = { NULL };
	struct rt_mount m[] = {
		{ "/data", "/host/data", "bind", true, 0 },
		{ "/scratch", "tmpfs", "tmpfs", false, 1 << 20 },
	};
	struct rt_container_spec s = {
		.argv = argv_sh, .privileged = true, .host_pid = true,
		.read_only_root = true, .no_new_privs = true, .mounts = m,
		.nmounts = 2, .memory_limit = 16 << 20, .cpu_shares = 512,
		.cpu_quota_us = 50000, .termination_log = "/h/term",
		.termination_path = "/dev/termination-log", .cwd = "/work",
	};
	cJSON *c = config(&s);
	const cJSON *it;
	int64_t n = 0;
	int pid_ns = 0;
	struct err e;

	ok(json_get_bool(c, "root.readonly", false), "read-only root");
	ok(json_get_bool(c, "process.noNewPrivileges", false), "noNewPrivileges");
	is_str(json_get_str(c, "process.cwd"), "/work", "cwd");
	ok(has_str(c, "process.capabilities.bounding", "CAP_SYS_ADMIN"),
	   "privileged: every capability");
	ok(json_get(c, "linux.maskedPaths") == NULL, "privileged: nothing masked");
	ok(has_str(mount_at(c, "/sys"), "options", "rw"), "privileged: /sys rw");
	ok(json_get_bool(c, "linux.resources.devices[0].allow", false),
	   "privileged: devices allowed");
	cJSON_ArrayForEach(it, json_get(c, "linux.namespaces"))
		pid_ns += !strcmp(json_get_str(it, "type"), "pid");
	is_int(pid_ns, 0, "host pid: no pid namespace");
	ok(json_get_int(c, "linux.resources.memory.limit", &n) == 0 &&
	   n == 16 << 20, "memory limit");
	ok(json_get_int(c, "linux.resources.memory.swap", &n) == 0 &&
	   n == 16 << 20, "swap = memory limit: no swapping");
	ok(json_get_int(c, "linux.resources.cpu.quota", &n) == 0 && n == 50000,
	   "cpu quota");
	ok(json_get_int(c, "linux.resources.cpu.period", &n) == 0 && n == 100000,
	   "cpu period defaults to 100ms");
	ok(json_get_int(c, "linux.resources.cpu.shares", &n) == 0 && n == 512,
	   "cpu shares");
	ok(has_str(mount_at(c, "/data"), "options", "ro") &&
	   !strcmp(json_get_str(mount_at(c, "/data"), "type"), "bind"),
	   "ro bind mount");
	ok(has_str(mount_at(c, "/scratch"), "options", "size=1048576"),
	   "tmpfs size");
	is_str(json_get_str(mount_at(c, "/dev/termination-log"), "source"),
	       "/h/term", "termination log bound");
	cJSON_Delete(c);

	{
		struct rt_bundle_ns lim = { .caps_avail = ~(1ULL << 24) };

		c = NULL;
		rt_bundle_config(&s, &lim, "/r", NULL, &c, &e);
		ok(c && !has_str(c, "process.capabilities.bounding",
				 "CAP_SYS_RESOURCE") &&
		   has_str(c, "process.capabilities.bounding", "CAP_SYS_ADMIN"),
		   "privileged: only the capabilities this process has");
		cJSON_Delete(c);
	}
	s.privileged = false;
	s.cap_add = bad;
	c = NULL;
	ok(rt_bundle_config(&s, &(struct rt_bundle_ns){ 0 }, "/r", NULL, &c, &e) < 0 &&
	   e.code == ERR_INVALID && strstr(e.msg, "WARP_DRIVE"),
	   "unknown capability is an error");
	s.cap_add = NULL;
	s.argv = none;
	ok(rt_bundle_config(&s, &(struct rt_bundle_ns){ 0 }, "/r", NULL, &c, &e) < 0,
	   "empty argv is an error");
}

/* Rootless: a single-id user namespace, the host's network, no cgroup. */
static void test_rootless(void)
{
	static const gid_t groups[] = { 10, 20 };
	struct rt_container_spec s = { .id = "U_c_0", .argv = argv_sh,
				       .env = env_a, .groups = groups,
				       .ngroups = 2, .memory_limit = 1 << 20 };
	struct rt_bundle_ns ns = { .single_id = true, .host_sysfs_bind = true,
				   .host_mqueue_bind = true };
	cJSON *c = NULL;
	struct err e;

	ok(rt_bundle_config(&s, &ns, "/r", NULL, &c, &e) == 0, "rootless config");
	ok(!json_get(c, "linux.resources") && !json_get(c, "linux.cgroupsPath"),
	   "no cgroup: no resources, no cgroupsPath");
	ok(!has_str(mount_at(c, "/dev/pts"), "options", "gid=5") &&
	   has_str(mount_at(c, "/dev/pts"), "options", "newinstance") &&
	   has_str(mount_at(c, "/dev/pts"), "options", "mode=0620"),
	   "single id: devpts without gid=5, other options kept");
	ok(!json_get(c, "process.user.additionalGids"),
	   "single id: no supplementary groups");
	is_str(json_get_str(mount_at(c, "/sys"), "type"), "bind",
	       "host network namespace: /sys bound, not mounted");
	ok(has_str(mount_at(c, "/sys"), "options", "ro"), "bound /sys read-only");
	is_str(json_get_str(mount_at(c, "/dev/mqueue"), "source"), "/dev/mqueue",
	       "host IPC namespace: /dev/mqueue bound");
	cJSON_Delete(c);
	ns.host_mqueue_bind = false;
	ns.no_mqueue = true;
	c = NULL;
	ok(rt_bundle_config(&s, &ns, "/r", NULL, &c, &e) == 0 &&
	   !mount_at(c, "/dev/mqueue"), "no /dev/mqueue on the host: none");
	cJSON_Delete(c);
	ns.single_id = ns.host_sysfs_bind = ns.no_mqueue = false;
	c = NULL;
	ok(rt_bundle_config(&s, &ns, "/r", "/kdeck/p/c", &c, &e) == 0 &&
	   has_str(mount_at(c, "/dev/pts"), "options", "gid=5") &&
	   json_get(c, "process.user.additionalGids") &&
	   json_get(c, "linux.resources.memory") &&
	   !strcmp(json_get_str(mount_at(c, "/sys"), "type"), "sysfs"),
	   "rootful: gid=5, groups, resources, sysfs");
	cJSON_Delete(c);
}

static void test_status(void)
{
	struct rt_status st = { .state = RT_EXITED, .exit_code = 137,
				.oom_killed = true, .pid = 42,
				.created_ns = 1796000000123456789LL,
				.finished_ns = 1796000001123456789LL }, back;
	static const char *const bad[] = {
		"", "[]", "{\"state\":\"zombie\"}", "{\"state\":\"exited\",\"exitCode\":300}",
		"{\"state\":\"running\",\"created\":1}", "{\"state\":\"running\",\"created\":\"12x\"}",
		"{\"state\":\"running\",\"message\":5}",
	};
	pid_t shim = 0;
	struct err e;
	char *text;

	snprintf(st.message, sizeof(st.message), "quote \" and\nnewline");
	text = rt_status_format(&st, 7);
	ok(rt_status_parse(text, strlen(text), &back, &shim, &e) == 0, "status parses");
	ok(back.created_ns == st.created_ns && back.finished_ns == st.finished_ns,
	   "ns times survive (beyond 2^53)");
	ok(back.oom_killed && back.exit_code == 137 && shim == 7 && back.pid == 42,
	   "fields survive");
	is_str(back.message, st.message, "message survives");
	free(text);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ok(rt_status_parse(bad[i], strlen(bad[i]), &back, &shim, &e) < 0 &&
		   e.code == ERR_PARSE, "bad status %zu refused", i);
}

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		n += de->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void test_crilog(void)
{
	char tmpl[] = "/tmp/kdeck-crilog-XXXXXX", *dir = mkdtemp(tmpl), *path;
	char big[RT_LINE_MAX + 10];
	struct buf b = BUF_INIT;
	struct rt_crilog *l;
	struct err e;

	path = xasprintf("%s/0.log", dir);
	l = rt_crilog_open(path, 0, 5, &e);
	rt_crilog_feed(l, 0, "hello\nwor", 9);
	rt_crilog_feed(l, 1, "oops\n", 5);
	rt_crilog_feed(l, 0, "ld\ntail", 7);
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	rt_crilog_feed(l, 1, big, sizeof(big));
	rt_crilog_close(l);
	rt_read_file(path, 1 << 20, &b);
	ok(strstr(b.data, "Z stdout F hello\n") != NULL, "stdout line, F tag");
	ok(strstr(b.data, "Z stderr F oops\n") != NULL, "stderr line");
	ok(strstr(b.data, "Z stdout F world\n") != NULL, "line joined across reads");
	ok(strstr(b.data, "Z stdout F tail\n") != NULL, "pending text flushed on close");
	ok(strstr(b.data, "Z stderr P xxx") != NULL &&
	   strstr(b.data, "Z stderr F xxxxxxxxx\n") != NULL, "long line: P then F");
	ok(b.data[4] == '-' && b.data[10] == 'T' && b.data[19] == '.' &&
	   b.data[29] == 'Z' && b.data[30] == ' ', "RFC 3339 nano timestamp");
	buf_free(&b);

	l = rt_crilog_open(path, 200, 3, &e);
	for (int i = 0; i < 40; i++)
		rt_crilog_feed(l, 0, "0123456789012345678901234567890123456789\n", 41);
	rt_crilog_close(l);
	is_int(count_files(dir), 3, "rotation keeps 3 files");
	rt_rmtree(dir, NULL);
	free(path);
}

int main(void)
{
	test_defaults();
	test_caps();
	test_options();
	test_rootless();
	test_status();
	test_crilog();
	return tap_done();
}
