/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bundle: the OCI runtime spec (config.json) of a container, built from
 * struct rt_container_spec the way containerd's CRI plugin builds it for
 * kubelet: the default capability set (or every capability when
 * privileged) with add/drop and "ALL", the standard /proc /dev /sys
 * mounts, containerd's masked and read-only paths, rlimits inherited
 * from the shim (as containerd's CRI plugin leaves them), the pod sandbox's
 * network/IPC/UTS namespaces, a new mount and PID namespace, and the
 * cgroup resources from requests and limits.  Pure: no privileges, no
 * files, so unit tests check it anywhere.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cluster/runtime/rt_int.h"
#include "common/json.h"
#include "common/mem.h"

/* Capability names by number (linux/capability.h). */
static const char *const cap_names[] = {
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID",
	"KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE",
	"NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
	"IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT",
	"SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
	"SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE",
	"AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE",
	"MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ",
	"PERFMON", "BPF", "CHECKPOINT_RESTORE",
};
#define NCAPS (sizeof(cap_names) / sizeof(cap_names[0]))

/* containerd's (and Docker's) default set for unprivileged containers. */
static const char *const default_caps[] = {
	"CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW",
	"SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE",
	"SYS_CHROOT", "KILL", "AUDIT_WRITE",
};

static const char *const masked_paths[] = {
	"/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
	"/proc/sched_debug", "/proc/scsi", "/sys/firmware",
	"/sys/devices/virtual/powercap",
};

static const char *const readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
	"/proc/sysrq-trigger",
};

struct std_mount {
	const char *dest, *type, *source, *options;
};

/* Options are comma-separated; "ro!" means ro unless privileged. */
static const struct std_mount std_mounts[] = {
	{ "/proc", "proc", "proc", "nosuid,noexec,nodev" },
	{ "/dev", "tmpfs", "tmpfs", "nosuid,strictatime,mode=755,size=65536k" },
	{ "/dev/pts", "devpts", "devpts",
	  "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5" },
	{ "/dev/shm", "tmpfs", "shm", "nosuid,noexec,nodev,mode=1777,size=65536k" },
	{ "/dev/mqueue", "mqueue", "mqueue", "nosuid,noexec,nodev" },
	{ "/sys", "sysfs", "sysfs", "nosuid,noexec,nodev,ro!" },
	{ "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid,noexec,nodev,relatime,ro!" },
};

static int cap_index(const char *name)
{
	if (!strncasecmp(name, "CAP_", 4))
		name += 4;
	for (size_t i = 0; i < NCAPS; i++)
		if (!strcasecmp(name, cap_names[i]))
			return (int)i;
	return -1;
}

static bool list_has_all(char *const *l)
{
	for (; l && *l; l++)
		if (!strcasecmp(*l, "ALL"))
			return true;
	return false;
}

/* Apply add (set) or drop (clear) of the named capabilities to *mask. */
static int cap_apply(char *const *l, bool add, uint64_t *mask, struct err *e)
{
	for (; l && *l; l++) {
		int i;

		if (!strcasecmp(*l, "ALL"))
			continue;
		i = cap_index(*l);
		if (i < 0)
			return err_set(e, ERR_INVALID, "unknown capability \"%s\"",
				       *l);
		if (add)
			*mask |= 1ULL << i;
		else
			*mask &= ~(1ULL << i);
	}
	return 0;
}

/*
 * The capability set, containerd's order: ALL adds, ALL drops, adds,
 * drops; never more than avail (what this process holds: asking runc for
 * more fails the start).
 */
static int cap_mask(const struct rt_container_spec *s, uint64_t avail,
		    uint64_t *out, struct err *e)
{
	uint64_t all = ((1ULL << NCAPS) - 1) & (avail ? avail : ~0ULL), m = 0;

	if (s->privileged) {
		*out = all;
		return 0;
	}
	for (size_t i = 0; i < sizeof(default_caps) / sizeof(*default_caps); i++)
		m |= 1ULL << cap_index(default_caps[i]);
	if (list_has_all(s->cap_add))
		m = all;
	if (list_has_all(s->cap_drop))
		m = 0;
	if (cap_apply(s->cap_add, true, &m, e) < 0 ||
	    cap_apply(s->cap_drop, false, &m, e) < 0)
		return -1;
	*out = m & all;
	return 0;
}

static cJSON *str_array(const char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; v && (n == (size_t)-1 ? v[i] != NULL : i < n); i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static cJSON *capabilities(uint64_t mask)
{
	static const char *const sets[] = { "bounding", "effective", "permitted" };
	cJSON *caps = cJSON_CreateObject();

	for (size_t k = 0; k < 3; k++) {
		cJSON *a = cJSON_CreateArray();

		for (size_t i = 0; i < NCAPS; i++) {
			char name[40];

			if (!(mask & (1ULL << i)))
				continue;
			snprintf(name, sizeof(name), "CAP_%s", cap_names[i]);
			cJSON_AddItemToArray(a, cJSON_CreateString(name));
		}
		cJSON_AddItemToObject(caps, sets[k], a);
	}
	return caps;
}

static cJSON *process(const struct rt_container_spec *s,
		      const struct rt_bundle_ns *ns, struct err *e)
{
	cJSON *p = cJSON_CreateObject(), *user, *gids;
	uint64_t mask;

	if (cap_mask(s, ns->caps_avail, &mask, e) < 0) {
		cJSON_Delete(p);
		return NULL;
	}
	cJSON_AddBoolToObject(p, "terminal", s->tty);
	user = cJSON_AddObjectToObject(p, "user");
	cJSON_AddNumberToObject(user, "uid", s->uid);
	cJSON_AddNumberToObject(user, "gid", s->gid);
	if (s->ngroups && !ns->single_id) {
		gids = cJSON_AddArrayToObject(user, "additionalGids");
		for (size_t i = 0; i < s->ngroups; i++)
			cJSON_AddItemToArray(gids, cJSON_CreateNumber(s->groups[i]));
	}
	cJSON_AddItemToObject(p, "args",
			      str_array((const char *const *)s->argv, (size_t)-1));
	cJSON_AddItemToObject(p, "env",
			      str_array((const char *const *)s->env, (size_t)-1));
	cJSON_AddStringToObject(p, "cwd", s->cwd && *s->cwd ? s->cwd : "/");
	cJSON_AddItemToObject(p, "capabilities", capabilities(mask));
	cJSON_AddBoolToObject(p, "noNewPrivileges", s->no_new_privs);
	return p;
}

static void add_mount(cJSON *mounts, const char *dest, const char *type,
		      const char *source, const char *options)
{
	cJSON *m = cJSON_CreateObject(), *o = cJSON_CreateArray();
	char *copy = xstrdup(options), *save = NULL;

	cJSON_AddStringToObject(m, "destination", dest);
	cJSON_AddStringToObject(m, "type", type);
	cJSON_AddStringToObject(m, "source", source);
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
		cJSON_AddItemToArray(o, cJSON_CreateString(t));
	cJSON_AddItemToObject(m, "options", o);
	cJSON_AddItemToArray(mounts, m);
	free(copy);
}

static bool user_mounts(const struct rt_container_spec *s, const char *dest)
{
	for (size_t i = 0; i < s->nmounts; i++)
		if (!strcmp(s->mounts[i].dest, dest))
			return true;
	return s->termination_path && s->termination_log &&
	       !strcmp(s->termination_path, dest);
}

/* Drop ",gid=N" (an id a single-id user namespace does not map). */
static void strip_gid(char *opts)
{
	char *g = strstr(opts, ",gid=");

	if (g) {
		char *end = strchr(g + 1, ',');

		memmove(g, end ? end : g + strlen(g),
			strlen(end ? end : g + strlen(g)) + 1);
	}
}

static void std_mount_add(cJSON *mounts, const struct std_mount *m,
			  bool privileged, const struct rt_bundle_ns *ns)
{
	char opts[128];
	size_t n;

	if (ns->host_sysfs_bind && !strcmp(m->type, "sysfs")) {
		add_mount(mounts, m->dest, "bind", "/sys",
			  privileged ? "rbind,nosuid,noexec,nodev,rw" :
				       "rbind,nosuid,noexec,nodev,ro");
		return;
	}
	if (ns->no_mqueue && !strcmp(m->type, "mqueue"))
		return;
	if (ns->host_mqueue_bind && !strcmp(m->type, "mqueue")) {
		add_mount(mounts, m->dest, "bind", "/dev/mqueue",
			  "rbind,nosuid,noexec,nodev");
		return;
	}
	snprintf(opts, sizeof(opts), "%s", m->options);
	if (ns->single_id)
		strip_gid(opts);
	n = strlen(opts);
	if (n > 3 && !strcmp(opts + n - 3, "ro!")) {
		if (privileged)
			snprintf(opts + n - 3, 4, "rw");
		else
			opts[n - 1] = '\0';
	}
	add_mount(mounts, m->dest, m->type, m->source, opts);
}

static cJSON *mounts(const struct rt_container_spec *s,
		     const struct rt_bundle_ns *ns)
{
	cJSON *a = cJSON_CreateArray();
	char opts[64];

	for (size_t i = 0; i < sizeof(std_mounts) / sizeof(*std_mounts); i++) {
		const struct std_mount *m = &std_mounts[i];

		if (user_mounts(s, m->dest))
			continue;
		if (!strcmp(m->dest, "/dev/shm") && ns->shm)
			add_mount(a, "/dev/shm", "bind", ns->shm,
				  "rbind,rprivate,rw");
		else
			std_mount_add(a, m, s->privileged, ns);
	}
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct rt_mount *m = &s->mounts[i];
		bool tmpfs = m->type && !strcmp(m->type, "tmpfs");

		if (tmpfs && m->size > 0)
			snprintf(opts, sizeof(opts), "nosuid,nodev,size=%lld,%s",
				 (long long)m->size, m->read_only ? "ro" : "rw");
		else
			snprintf(opts, sizeof(opts), "%s%s",
				 tmpfs ? "nosuid,nodev," : "rbind,rprivate,",
				 m->read_only ? "ro" : "rw");
		add_mount(a, m->dest, tmpfs ? "tmpfs" : "bind",
			  tmpfs ? "tmpfs" : m->source, opts);
	}
	if (s->termination_log && s->termination_path)
		add_mount(a, s->termination_path, "bind", s->termination_log,
			  "rbind,rprivate,rw");
	return a;
}

static void add_ns(cJSON *a, const char *type, const char *path)
{
	cJSON *n = cJSON_CreateObject();

	cJSON_AddStringToObject(n, "type", type);
	if (path)
		cJSON_AddStringToObject(n, "path", path);
	cJSON_AddItemToArray(a, n);
}

static cJSON *resources(const struct rt_container_spec *s,
			const struct rt_bundle_ns *ns)
{
	cJSON *res = cJSON_CreateObject(), *dev, *d, *cpu;

	dev = cJSON_AddArrayToObject(res, "devices");
	d = cJSON_CreateObject();
	cJSON_AddBoolToObject(d, "allow", s->privileged);
	cJSON_AddStringToObject(d, "access", "rwm");
	cJSON_AddItemToArray(dev, d);
	if (s->memory_limit > 0)
		json_set_int(res, "memory.limit", s->memory_limit);
	if (s->memory_limit > 0 && ns->limit_swap)
		json_set_int(res, "memory.swap", s->memory_limit);
	if (s->cpu_shares > 0 || s->cpu_quota_us > 0) {
		cpu = cJSON_AddObjectToObject(res, "cpu");
		if (s->cpu_shares > 0)
			cJSON_AddNumberToObject(cpu, "shares",
				(double)(s->cpu_shares < 2 ? 2 : s->cpu_shares));
		if (s->cpu_quota_us > 0) {
			cJSON_AddNumberToObject(cpu, "quota",
						(double)s->cpu_quota_us);
			cJSON_AddNumberToObject(cpu, "period",
				(double)(s->cpu_period_us > 0 ?
						 s->cpu_period_us : 100000));
		}
	}
	return res;
}

static cJSON *linux_part(const struct rt_container_spec *s,
			 const struct rt_bundle_ns *ns, const char *cgroups_path)
{
	cJSON *l = cJSON_CreateObject(), *nss;

	nss = cJSON_AddArrayToObject(l, "namespaces");
	if (!s->host_pid)
		add_ns(nss, "pid", NULL);
	add_ns(nss, "mount", NULL);
	if (ns->net)
		add_ns(nss, "network", ns->net);
	if (ns->ipc)
		add_ns(nss, "ipc", ns->ipc);
	if (ns->uts)
		add_ns(nss, "uts", ns->uts);
	if (cgroups_path) {	/* none: no limits (rootless, not delegated) */
		cJSON_AddStringToObject(l, "cgroupsPath", cgroups_path);
		cJSON_AddItemToObject(l, "resources", resources(s, ns));
	}
	if (!s->privileged) {
		cJSON_AddItemToObject(l, "maskedPaths",
			str_array(masked_paths,
				  sizeof(masked_paths) / sizeof(*masked_paths)));
		cJSON_AddItemToObject(l, "readonlyPaths",
			str_array(readonly_paths,
				  sizeof(readonly_paths) / sizeof(*readonly_paths)));
	}
	return l;
}

int rt_bundle_config(const struct rt_container_spec *s,
		     const struct rt_bundle_ns *ns, const char *rootfs,
		     const char *cgroups_path, cJSON **out, struct err *e)
{
	cJSON *c, *root, *proc;

	if (!s->argv || !s->argv[0] || !s->argv[0][0])
		return err_set(e, ERR_INVALID, "no command to run");
	proc = process(s, ns, e);
	if (!proc)
		return -1;
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "ociVersion", "1.0.2");
	cJSON_AddItemToObject(c, "process", proc);
	root = cJSON_AddObjectToObject(c, "root");
	cJSON_AddStringToObject(root, "path", rootfs);
	cJSON_AddBoolToObject(root, "readonly", s->read_only_root);
	cJSON_AddItemToObject(c, "mounts", mounts(s, ns));
	cJSON_AddItemToObject(c, "linux", linux_part(s, ns, cgroups_path));
	*out = c;
	return 0;
}

/* Parse "CapBnd:\t000001fffeffffff" style lines of /proc/self/status. */
static uint64_t status_caps(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtoull(p + strlen(key), NULL, 16) : ~0ULL;
}

uint64_t rt_caps_available(void)
{
	FILE *fp = fopen("/proc/self/status", "re");
	char text[8192];
	size_t n;

	if (!fp)
		return 0;
	n = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	text[n] = '\0';
	return status_caps(text, "CapBnd:") & status_caps(text, "CapEff:");
}
