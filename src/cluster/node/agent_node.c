/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agent_node: this machine as a Node, and its Lease.
 *
 * Capacity comes from the machine (online CPUs, MemTotal, statvfs of the
 * data dir, 110 pods); allocatable keeps kubelet's default hard eviction
 * thresholds back (memory.available 100Mi, nodefs.available 10%).  The
 * pressure conditions use those same thresholds on live figures
 * (MemAvailable, free space of the data dir) and, for PIDs, threads in
 * use against kernel.pid_max (pressure above 90%).
 *
 * status.addresses: InternalIP is the host's primary address (the source
 * address of its default route, found with a connected UDP socket, no
 * packet sent), 127.0.0.1 on a machine without one; Hostname is the node
 * name.  Status is written when a condition changes and at least every
 * minute (heartbeat times); the Lease in kube-node-lease every 10 s.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cluster/node/agent_int.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

#define LEASE_S 10
#define STATUS_S 10
#define STATUS_FORCE_S 60
#define MEM_RESERVE (100LL * 1024 * 1024)
#define GIT_VERSION_DEFAULT "v1.33.0-kdeck"

char *agent_node_ip(void)
{
	struct sockaddr_in dst = { .sin_family = AF_INET,
				   .sin_port = htons(53) };
	struct sockaddr_in src;
	socklen_t len = sizeof(src);
	char text[INET_ADDRSTRLEN];
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool ok = false;

	inet_pton(AF_INET, "192.0.2.1", &dst.sin_addr);	/* TEST-NET */
	if (fd >= 0 &&
	    connect(fd, (struct sockaddr *)&dst, sizeof(dst)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&src, &len) == 0 &&
	    inet_ntop(AF_INET, &src.sin_addr, text, sizeof(text)))
		ok = src.sin_addr.s_addr != htonl(INADDR_ANY);
	if (fd >= 0)
		close(fd);
	return xstrdup(ok ? text : "127.0.0.1");
}

/* First line of a file, trimmed; "" when unreadable. */
static void read_line(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "re");

	out[0] = '\0';
	if (!f)
		return;
	if (fgets(out, (int)size, f))
		out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

static int64_t meminfo(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[256];
	size_t kl = strlen(key);
	long long kb = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':') {
			kb = atoll(line + kl + 1);
			break;
		}
	fclose(f);
	return (int64_t)kb * 1024;
}

static void os_image(char *out, size_t size)
{
	FILE *f = fopen("/etc/os-release", "re");
	char line[256];

	snprintf(out, size, "Linux");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *v;
		size_t n;

		if (strncmp(line, "PRETTY_NAME=", 12))
			continue;
		v = line + 12;
		v[strcspn(v, "\n")] = '\0';
		n = strlen(v);
		if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
			v[n - 1] = '\0';
			v++;
		}
		snprintf(out, size, "%s", v);
	}
	fclose(f);
}

/* Kubernetes' name of this machine's architecture. */
static const char *arch(void)
{
	static const struct {
		const char *uname, *k8s;
	} map[] = {
		{ "x86_64", "amd64" }, { "aarch64", "arm64" },
		{ "armv7l", "arm" },   { "i686", "386" },
		{ "ppc64le", "ppc64le" }, { "s390x", "s390x" },
		{ "riscv64", "riscv64" },
	};
	struct utsname u;

	if (uname(&u) == 0)
		for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (!strcmp(u.machine, map[i].uname))
				return map[i].k8s;
	return "amd64";
}

static void set_bytes(cJSON *n, const char *path, int64_t bytes)
{
	char v[40];

	snprintf(v, sizeof(v), "%lldKi", (long long)(bytes / 1024));
	json_set_str(n, path, v);
}

static void resources(struct agent *a, cJSON *n)
{
	struct statvfs sv;
	int64_t mem = meminfo("MemTotal"), disk = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	char v[32];

	if (statvfs(a->data_dir, &sv) == 0)
		disk = (int64_t)sv.f_blocks * (int64_t)sv.f_frsize;
	snprintf(v, sizeof(v), "%ld", cpus > 0 ? cpus : 1);
	json_set_str(n, "status.capacity.cpu", v);
	json_set_str(n, "status.allocatable.cpu", v);
	set_bytes(n, "status.capacity.memory", mem);
	set_bytes(n, "status.allocatable.memory",
		  mem > MEM_RESERVE ? mem - MEM_RESERVE : 0);
	snprintf(v, sizeof(v), "%lld", (long long)disk);
	set_bytes(n, "status.capacity.ephemeral-storage", disk);
	snprintf(v, sizeof(v), "%lld", (long long)(disk / 10 * 9));
	json_set_str(n, "status.allocatable.ephemeral-storage", v);
	json_set_str(n, "status.capacity.pods", "110");
	json_set_str(n, "status.allocatable.pods", "110");
	json_set_str(n, "status.capacity.hugepages-2Mi", "0");
	json_set_str(n, "status.allocatable.hugepages-2Mi", "0");
}

static void node_info(struct agent *a, cJSON *n)
{
	char buf[256], rtv[128];
	struct utsname u;

	read_line("/etc/machine-id", buf, sizeof(buf));
	json_set_str(n, "status.nodeInfo.machineID", buf);
	json_set_str(n, "status.nodeInfo.systemUUID", buf);
	read_line("/proc/sys/kernel/random/boot_id", buf, sizeof(buf));
	json_set_str(n, "status.nodeInfo.bootID", buf);
	json_set_str(n, "status.nodeInfo.kernelVersion",
		     uname(&u) == 0 ? u.release : "");
	os_image(buf, sizeof(buf));
	json_set_str(n, "status.nodeInfo.osImage", buf);
	snprintf(rtv, sizeof(rtv), "%s://%s", a->ops->rt_name(a->rt),
		 a->ops->rt_version(a->rt));
	json_set_str(n, "status.nodeInfo.containerRuntimeVersion", rtv);
	json_set_str(n, "status.nodeInfo.kubeletVersion",
		     a->git_version ? a->git_version : GIT_VERSION_DEFAULT);
	json_set_str(n, "status.nodeInfo.kubeProxyVersion", "");
	json_set_str(n, "status.nodeInfo.operatingSystem", "linux");
	json_set_str(n, "status.nodeInfo.architecture", arch());
}

struct pressure {
	const char *type;
	bool on;
	const char *ok_reason, *ok_msg, *bad_reason, *bad_msg;
};

static bool pid_pressure(void)
{
	char line[256], max[64];
	unsigned long r, threads = 0;

	read_line("/proc/loadavg", line, sizeof(line));
	read_line("/proc/sys/kernel/pid_max", max, sizeof(max));
	if (sscanf(line, "%*s %*s %*s %lu/%lu", &r, &threads) != 2 ||
	    !atol(max))
		return false;
	return threads > (unsigned long)atol(max) / 10 * 9;
}

static bool disk_pressure(const char *dir)
{
	struct statvfs sv;

	if (statvfs(dir, &sv) < 0 || !sv.f_blocks)
		return false;
	return sv.f_bavail < sv.f_blocks / 10;
}

static cJSON *condition(const cJSON *old, const char *type, bool status,
			const char *reason, const char *msg, const char *now)
{
	cJSON *c = cJSON_CreateObject();
	const cJSON *o;
	const char *when = now, *st = status ? "True" : "False";

	cJSON_ArrayForEach(o, old) {
		if (!strcmp(json_get_str(o, "type") ?: "", type) &&
		    !strcmp(json_get_str(o, "status") ?: "", st))
			when = json_get_str(o, "lastTransitionTime") ?: now;
	}
	json_set_str(c, "type", type);
	json_set_str(c, "status", st);
	json_set_str(c, "lastHeartbeatTime", now);
	json_set_str(c, "lastTransitionTime", when);
	json_set_str(c, "reason", reason);
	json_set_str(c, "message", msg);
	return c;
}

/*
 * kdeck's own condition, rootless nodes only: whether cpu and memory
 * limits of pods are enforced (they are not without a delegated cgroup).
 */
static void limits_condition(struct agent *a, cJSON *arr, const cJSON *old,
			     const char *now)
{
	const char *why = NULL;
	bool on;

	if (!a->ops->rt_rootless(a->rt))
		return;
	on = a->ops->rt_limits_enforced(a->rt, &why);
	cJSON_AddItemToArray(arr, condition(old, AGENT_LIMITS_CONDITION, on,
		on ? "CgroupDelegated" : "NoDelegatedCgroup",
		on ? "pod resource limits are enforced through a delegated "
		     "cgroup" :
		     "rootless node: pod cpu and memory limits are NOT "
		     "enforced (no delegated cgroup is writable by this user)",
		now));
}

/* kdeck's own condition, host-process nodes only: pods are not isolated. */
static void isolation_condition(struct agent *a, cJSON *arr, const cJSON *old,
				const char *now)
{
	if (!a->ops->rt_host_process(a->rt))
		return;
	cJSON_AddItemToArray(arr, condition(old, AGENT_ISOLATION_CONDITION,
		false, "HostProcessRuntime",
		"pods run as plain host processes (--runtime host-process): "
		"NOT isolated from the machine or each other, on the host's "
		"network (pod IP = node IP), without resource limits", now));
}

static cJSON *conditions(struct agent *a, const cJSON *old, const char *now)
{
	struct pressure p[] = {
		{ "MemoryPressure", meminfo("MemAvailable") < MEM_RESERVE,
		  "KubeletHasSufficientMemory",
		  "kubelet has sufficient memory available",
		  "KubeletHasInsufficientMemory",
		  "kubelet has insufficient memory available" },
		{ "DiskPressure", disk_pressure(a->data_dir),
		  "KubeletHasNoDiskPressure", "kubelet has no disk pressure",
		  "KubeletHasDiskPressure", "kubelet has disk pressure" },
		{ "PIDPressure", pid_pressure(), "KubeletHasSufficientPID",
		  "kubelet has sufficient PID available",
		  "KubeletHasInsufficientPID",
		  "kubelet has insufficient PID available" },
	};
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		cJSON_AddItemToArray(
			arr, condition(old, p[i].type, p[i].on,
				       p[i].on ? p[i].bad_reason : p[i].ok_reason,
				       p[i].on ? p[i].bad_msg : p[i].ok_msg, now));
	cJSON_AddItemToArray(arr, condition(old, "Ready", true, "KubeletReady",
					    "kubelet is posting ready status",
					    now));
	limits_condition(a, arr, old, now);
	isolation_condition(a, arr, old, now);
	return arr;
}

static cJSON *addresses(struct agent *a)
{
	cJSON *arr = cJSON_CreateArray(), *o = cJSON_CreateObject();

	json_set_str(o, "type", "InternalIP");
	json_set_str(o, "address", a->host_ip);
	cJSON_AddItemToArray(arr, o);
	o = cJSON_CreateObject();
	json_set_str(o, "type", "Hostname");
	json_set_str(o, "address", a->node_name);
	cJSON_AddItemToArray(arr, o);
	return arr;
}

/* Fill n's status from the machine, keeping transition times of old. */
static void fill_status(struct agent *a, cJSON *n, const cJSON *old)
{
	struct ktime t = ktime_now();
	char now[KTIME_STR_MAX];

	ktime_format(&t, now);
	resources(a, n);
	json_set(n, "status.conditions",
		 conditions(a, json_get(old, "status.conditions"), now));
	json_set(n, "status.addresses", addresses(a));
	json_set_int(n, "status.daemonEndpoints.kubeletEndpoint.Port", 0);
	node_info(a, n);
}

static void labels(struct agent *a, cJSON *n)
{
	const char *mode = a->ops->rt_host_process(a->rt) ? "host-process" :
			   a->ops->rt_rootless(a->rt) ? "rootless" : "rootful";

	json_set_str(n, "metadata.labels.kubernetes\\.io/hostname",
		     a->node_name);
	json_set_str(n, "metadata.labels.kubernetes\\.io/os", "linux");
	json_set_str(n, "metadata.labels.kubernetes\\.io/arch", arch());
	json_set_str(n, "metadata.labels.beta\\.kubernetes\\.io/os", "linux");
	json_set_str(n, "metadata.labels.beta\\.kubernetes\\.io/arch", arch());
	json_set_str(n, "metadata.labels.node-role\\.kubernetes\\.io/control-plane",
		     "");
	json_set_str(n, "metadata.annotations.node\\.alpha\\.kubernetes\\.io/ttl",
		     "0");
	json_set_str(n, "metadata.labels.kdeck\\.io/runtime-mode", mode);
	json_set_str(n, "metadata.annotations.kdeck\\.io/runtime-mode", mode);
	json_set_str(n, "metadata.labels.kdeck\\.io/runtime",
		     a->ops->rt_name(a->rt));
	json_set_str(n, "metadata.annotations.kdeck\\.io/runtime",
		     a->describe ? a->describe : "");
}

static void pod_cidr(struct agent *a, cJSON *n)
{
	cJSON *arr = cJSON_CreateArray();

	json_set_str(n, "spec.podCIDR", a->pod_cidr);
	cJSON_AddItemToArray(arr, cJSON_CreateString(a->pod_cidr));
	json_set(n, "spec.podCIDRs", arr);
}

/* PUT the status subresource of n; 0 on success. */
static int put_status(struct agent *a, cJSON *n)
{
	char *path = xasprintf("/api/v1/nodes/%s/status", a->node_name);
	int st = agent_call(a, "PUT", path, n, NULL);

	free(path);
	return st == 200 ? 0 : -1;
}

int agent_node_register(struct agent *a, struct err *e)
{
	char *path = xasprintf("/api/v1/nodes/%s", a->node_name);
	cJSON *n = NULL;
	int st = agent_call(a, "GET", path, NULL, &n), rc = -1;

	if (st != 200) {
		cJSON_Delete(n);
		n = cJSON_CreateObject();
		json_set_str(n, "apiVersion", "v1");
		json_set_str(n, "kind", "Node");
		json_set_str(n, "metadata.name", a->node_name);
	}
	labels(a, n);
	pod_cidr(a, n);
	fill_status(a, n, n);
	st = st == 200 ? agent_call(a, "PUT", path, n, NULL)
		       : agent_call(a, "POST", "/api/v1/nodes", n, NULL);
	if (st != 200 && st != 201) {
		err_set(e, ERR_UNAVAILABLE, "registering node %s: HTTP %d",
			a->node_name, st);
		goto out;
	}
	a->last_node = 0;	/* write the status at the first heartbeat */
	rc = 0;
out:
	cJSON_Delete(n);
	free(path);
	return rc;
}

static void lease_renew(struct agent *a)
{
	char *path = xasprintf("/apis/coordination.k8s.io/v1/namespaces/"
			       "kube-node-lease/leases/%s", a->node_name);
	struct ktime t = ktime_now();
	char micro[KTIME_STR_MAX];
	cJSON *l = NULL;

	ktime_format_micro(&t, micro);
	if (agent_call(a, "GET", path, NULL, &l) == 200 && l) {
		json_set_str(l, "spec.renewTime", micro);
		agent_call(a, "PUT", path, l, NULL);
	} else {
		cJSON_Delete(l);
		l = cJSON_CreateObject();
		json_set_str(l, "apiVersion", "coordination.k8s.io/v1");
		json_set_str(l, "kind", "Lease");
		json_set_str(l, "metadata.name", a->node_name);
		json_set_str(l, "metadata.namespace", "kube-node-lease");
		json_set_str(l, "spec.holderIdentity", a->node_name);
		json_set_int(l, "spec.leaseDurationSeconds", 40);
		json_set_str(l, "spec.renewTime", micro);
		agent_call(a, "POST", "/apis/coordination.k8s.io/v1/namespaces/"
				      "kube-node-lease/leases", l, NULL);
	}
	cJSON_Delete(l);
	free(path);
}

/* The condition statuses of a node status, for change detection. */
static char *cond_key(const cJSON *n)
{
	struct buf b;
	const cJSON *c;
	char *s;

	buf_init(&b);
	cJSON_ArrayForEach(c, json_get(n, "status.conditions"))
		buf_printf(&b, "%s=%s;", json_get_str(c, "type") ?: "",
			   json_get_str(c, "status") ?: "");
	s = xstrdup(b.data ? b.data : "");
	buf_free(&b);
	return s;
}

static void status_sync(struct agent *a, time_t now)
{
	char *path = xasprintf("/api/v1/nodes/%s", a->node_name);
	cJSON *n = NULL;
	char *before, *after;

	if (agent_call(a, "GET", path, NULL, &n) != 200 || !n) {
		struct err e;

		err_clear(&e);	/* deleted by someone: register again */
		cJSON_Delete(n);
		free(path);
		agent_node_register(a, &e);
		return;
	}
	before = cond_key(n);
	fill_status(a, n, n);
	after = cond_key(n);
	if (strcmp(before, after) || now - a->last_node >= STATUS_FORCE_S) {
		if (put_status(a, n) == 0)
			a->last_node = now;
	}
	free(before);
	free(after);
	cJSON_Delete(n);
	free(path);
}

void agent_node_heartbeat(struct agent *a)
{
	time_t now = time(NULL);

	if (now - a->last_lease >= LEASE_S) {
		a->last_lease = now;
		lease_renew(a);
	}
	if (now - a->last_status_check >= STATUS_S) {
		a->last_status_check = now;
		status_sync(a, now);
	}
}
