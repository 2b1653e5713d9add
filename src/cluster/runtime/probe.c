/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe: rt_open finds an OCI runtime that really starts a container on
 * this machine.  A binary being installed is not enough (crun 1.8 refuses
 * cgroup v1 "hybrid" setups that runc accepts), so each candidate runs a
 * trivial container: the host's `true` in an empty root with the host's
 * /usr, /lib... bound read-only, in a cgroup of ours with a memory limit.
 * The first that exits 0 wins.  Also checked here: root, or a user
 * namespace of our own (rootless: userns.c), the cgroup version, whether
 * limits can be enforced, overlayfs.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cluster/node/layout.h"
#include "cluster/runtime/rt_int.h"
#include "common/file.h"
#include "common/json.h"
#include "common/mem.h"

#define CGROUP2_MAGIC 0x63677270

static const char *const candidates[] = { "runc", "crun" };
static const char *const host_dirs[] = {
	"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/usr",
};

static int cgroup_version(void)
{
	struct statfs sf;

	if (statfs(RT_CGROUP_ROOT, &sf) == 0 && sf.f_type == CGROUP2_MAGIC)
		return 2;
	return 1;
}

static char *find_in_path(const char *name)
{
	const char *path = getenv("PATH");
	char *copy = xstrdup(path && *path ? path :
			     "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	char *save = NULL, *found = NULL;

	if (strchr(name, '/')) {
		free(copy);
		return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
	}
	for (char *d = strtok_r(copy, ":", &save); d && !found;
	     d = strtok_r(NULL, ":", &save)) {
		char *p = xasprintf("%s/%s", d, name);

		if (access(p, X_OK) == 0)
			found = p;
		else
			free(p);
	}
	free(copy);
	return found;
}

/* "runc version 1.1.5+ds1\n..." or "crun version 1.8.1\n..." -> "1.1.5". */
static char *runtime_version(const char *path)
{
	char *argv[] = { (char *)path, "--version", NULL };
	struct rt_cmd c = { argv, 10000, 4096, NULL };
	struct buf out = BUF_INIT;
	char *v = NULL, *p;
	int code = 0;

	if (rt_run(&c, &out, &code, NULL) == 0 && code == 0 &&
	    (p = strstr(buf_cstr(&out), "version "))) {
		p += 8;
		v = xstrndup(p, strcspn(p, "+~- \n"));
	}
	buf_free(&out);
	return v ? v : xstrdup("unknown");
}

/* Mounts binding the host's library and binary directories read-only. */
static size_t probe_mounts(const char *rootfs, struct rt_mount *m)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(host_dirs) / sizeof(*host_dirs); i++) {
		struct stat st;
		char target[512], link[512];
		ssize_t len;

		if (lstat(host_dirs[i], &st) < 0)
			continue;
		snprintf(target, sizeof(target), "%s%s", rootfs, host_dirs[i]);
		if (S_ISLNK(st.st_mode)) {
			len = readlink(host_dirs[i], link, sizeof(link) - 1);
			if (len > 0) {
				link[len] = '\0';
				if (symlink(link, target) < 0)
					continue;
			}
		} else if (S_ISDIR(st.st_mode)) {
			mkdir(target, 0755);
			m[n++] = (struct rt_mount){ host_dirs[i], host_dirs[i],
						    "bind", true, 0 };
		}
	}
	return n;
}

static int write_probe_bundle(const char *dir, const char *id, bool limits,
			      struct err *e)
{
	char *rootfs = xasprintf("%s/rootfs", dir), *cfg = NULL, *text = NULL;
	char *argv[] = { "/bin/true", NULL }, *env[] = { "PATH=/usr/bin:/bin", NULL };
	struct rt_mount mounts[sizeof(host_dirs) / sizeof(*host_dirs)];
	struct rt_container_spec s = { 0 };
	struct rt_bundle_ns ns = { 0 };
	char *cg = layout_cgroup("probe", id), *cgpath = xasprintf("/%s", cg);
	cJSON *j = NULL;
	int rc = -1;

	if (access("/bin/true", X_OK) < 0)
		argv[0] = "/usr/bin/true";
	if (rt_mkdirs(rootfs, 0755, e) < 0)
		goto out;
	s.id = id;
	s.argv = argv;
	s.env = env;
	s.mounts = mounts;
	s.nmounts = probe_mounts(rootfs, mounts);
	s.read_only_root = true;
	s.memory_limit = limits ? 64 << 20 : 0;
	if (rt_in_userns())
		rt_bundle_ns_rootless(&ns, rt_userns_ids());
	if (rt_bundle_config(&s, &ns, rootfs, limits ? cgpath : NULL, &j, e) < 0)
		goto out;
	text = json_print(j);
	cfg = xasprintf("%s/config.json", dir);
	rc = file_write_atomic(cfg, text, strlen(text), 0644, e);
out:
	cJSON_Delete(j);
	free(text);
	free(cfg);
	free(rootfs);
	free(cg);
	free(cgpath);
	return rc;
}

/* Run the trivial container with runtime path; 0 when it exited 0. */
static int probe_runtime(struct rt *r, const char *path, struct err *e)
{
	static int seq;
	int n = __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED);
	char *dir = xasprintf("%s/probe-%d-%d", r->run_dir, (int)getpid(), n);
	char *id = xasprintf("kdeck-probe-%d-%d", (int)getpid(), n);
	char *root = xasprintf("%s/runc", r->run_dir);
	char *argv[] = { (char *)path, "--root", root, "run", "--bundle", dir,
			 id, NULL };
	char *del[] = { (char *)path, "--root", root, "delete", "--force", id,
			NULL };
	struct rt_cmd c = { argv, 30000, 4096, NULL }, d = { del, 10000, 0, NULL };
	struct buf out = BUF_INIT;
	int code = 0, rc = -1;

	rt_rmtree(dir, NULL);
	if (write_probe_bundle(dir, id, r->limits, e) < 0 || rt_run(&c, &out, &code, e) < 0)
		goto out;
	if (code != 0) {
		err_set(e, ERR_UNAVAILABLE, "%s cannot start a container here: %s",
			path, buf_cstr(&out));
		goto out;
	}
	rc = 0;
out:
	rt_run(&d, NULL, &code, NULL);
	rt_rmtree(dir, NULL);
	rt_cgroup_remove_pod(r, "probe");
	buf_free(&out);
	free(dir);
	free(id);
	free(root);
	return rc;
}

/* Pick the configured runtime, or the first candidate that works. */
static int pick_runtime(struct rt *r, const char *want, struct err *e)
{
	struct buf why = BUF_INIT;
	size_t n = want ? 1 : sizeof(candidates) / sizeof(*candidates);
	int rc = -1;

	for (size_t i = 0; i < n && rc < 0; i++) {
		char *path = find_in_path(want ? want : candidates[i]);
		struct err pe;

		if (!path)
			continue;
		err_clear(&pe);
		if (probe_runtime(r, path, &pe) == 0) {
			const char *base = strrchr(path, '/');

			r->runtime = path;
			r->name = xstrdup(base ? base + 1 : path);
			r->version = runtime_version(path);
			rc = 0;
		} else {
			buf_printf(&why, "%s%s", why.len ? "; " : "", pe.msg);
			free(path);
		}
	}
	if (rc < 0 && !why.len)
		err_set(e, ERR_UNAVAILABLE, want ?
			"OCI runtime %s not found" :
			"no OCI runtime found: install runc or crun",
			want ? want : "");
	else if (rc < 0)
		err_set(e, ERR_UNAVAILABLE, "no OCI runtime can start containers "
			"here: %s", buf_cstr(&why));
	buf_free(&why);
	return rc;
}

static int make_dirs(const struct rt *r, struct err *e)
{
	static const char *const subs[] = { "runc", "containers", "sandboxes",
					    "exits" };

	for (size_t i = 0; i < sizeof(subs) / sizeof(*subs); i++) {
		char *p = xasprintf("%s/%s", r->run_dir, subs[i]);
		int rc = rt_mkdirs(p, 0711, e);

		free(p);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static void read_tunables(struct rt *r)
{
	const char *max = getenv("KDECK_LOG_MAX_BYTES");

	r->log_max = max && atoll(max) > 0 ? atoll(max) : LAYOUT_LOG_MAX;
	r->log_files = LAYOUT_LOG_FILES;
}

static int open_events(struct rt *r, struct err *e)
{
	char *exits = xasprintf("%s/exits", r->run_dir);
	int rc = 0;

	r->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (r->inotify_fd < 0 ||
	    inotify_add_watch(r->inotify_fd, exits,
			      IN_CLOSE_WRITE | IN_MOVED_TO) < 0)
		rc = err_set(e, ERR_IO, "inotify %s: %s", exits, strerror(errno));
	free(exits);
	return rc;
}

/* The shim runs elsewhere (cwd): every path it gets must be absolute. */
static int absolute(struct rt *r, struct err *e)
{
	char *abs = realpath(r->run_dir, NULL);

	if (!abs)
		return err_set(e, ERR_IO, "%s: %s", r->run_dir, strerror(errno));
	free(r->run_dir);
	r->run_dir = abs;
	return 0;
}

/*
 * Rootless: cgroups only when the kdeck part of the hierarchy is writable
 * to us (a delegated subtree); else no limits, and why.
 */
static void check_limits(struct rt *r)
{
	const char *dir = r->cgroup_version == 2 ? RT_CGROUP_ROOT :
			  RT_CGROUP_ROOT "/memory";

	r->limits = !r->rootless || access(dir, W_OK) == 0;
}

/*
 * The host-process runtime: RUN_DIR/kdeck-host-process, a symlink to
 * the kdeck binary (replaced each time: the binary may have moved).
 */
static int pick_hostproc(struct rt *r, struct err *e)
{
	char *exe = realpath(r->self_exe, NULL);
	char *link = xasprintf("%s/" RT_HOSTPROC_NAME, r->run_dir);
	char *tmp = xasprintf("%s.tmp", link);
	int rc = 0;

	unlink(tmp);
	if (!exe || symlink(exe, tmp) < 0 || rename(tmp, link) < 0)
		rc = err_set(e, ERR_IO, "%s: %s", link, strerror(errno));
	free(exe);
	free(tmp);
	r->runtime = link;
	r->name = xstrdup("host-process");
	r->version = xstrdup("kdeck-" PACKAGE_VERSION);
	r->limits = false;
	r->rootless = false;
	return rc;
}

/* An OCI runtime now: the next reset must not take it for host-process. */
static int forget_hostproc(struct rt *r)
{
	char *link = xasprintf("%s/" RT_HOSTPROC_NAME, r->run_dir);

	unlink(link);
	free(link);
	return 0;
}

static void set_describe_hostproc(struct rt *r)
{
	r->describe = xasprintf(
		"the host-process runtime (kdeck %s): containers are plain "
		"host processes %s, on the host's network (pod IP = node IP), "
		"pids and IPC, without resource limits: pods are NOT isolated",
		PACKAGE_VERSION, geteuid() == 0 ?
		"chrooted into their image" :
		"run from their image's directory (not chrooted: not root)");
}

static void set_describe(struct rt *r)
{
	const char *why = NULL;
	char *mode;

	rt_limits_enforced(r, &why);
	mode = r->rootless ?
		xasprintf("rootless (user namespace, %lu id%s)", r->ids,
			  r->ids == 1 ? "" : "s") :
		xstrdup("rootful");
	r->describe = xasprintf("%s %s, %s, cgroup v%d, %s, %s", r->name,
				r->version, mode, r->cgroup_version,
				why ? why : "resource limits enforced",
				r->overlay ? "overlayfs root file systems" :
				"copied root file systems (overlayfs unavailable)");
	free(mode);
}

int rt_open(const struct rt_config *cfg, struct rt **out, struct err *e)
{
	struct rt *r;

	if (geteuid() != 0 && !cfg->host_process)
		return err_set(e, ERR_UNAVAILABLE, "containers need root or a "
			       "user namespace of kdeck's own: this process is "
			       "uid %lu outside any (`kdeck cluster up` enters "
			       "one when user namespaces are allowed)",
			       (unsigned long)geteuid());
	if (!cfg->run_dir || !cfg->self_exe)
		return err_set(e, ERR_INVALID, "runtime: run_dir and self_exe "
			       "are required");
	r = xcalloc(1, sizeof(*r));
	r->inotify_fd = -1;
	pthread_mutex_init(&r->lock, NULL);
	r->run_dir = xstrdup(cfg->run_dir);
	r->self_exe = xstrdup(cfg->self_exe);
	r->cgroup_version = cgroup_version();
	r->host_process = cfg->host_process;
	r->rootless = rt_in_userns();
	r->ids = r->rootless ? rt_userns_ids() : 0;
	check_limits(r);
	read_tunables(r);
	if (rt_mkdirs(r->run_dir, 0711, e) < 0 || absolute(r, e) < 0 ||
	    make_dirs(r, e) < 0 || open_events(r, e) < 0 ||
	    (r->host_process ? pick_hostproc(r, e) : forget_hostproc(r)) < 0 ||
	    (r->host_process ? 0 :
	     pick_runtime(r, cfg->runtime, e)) < 0) {
		rt_free(r);
		return -1;
	}
	/* KDECK_RT_NO_OVERLAY=1: test hook for the copying fallback */
	r->overlay = !getenv("KDECK_RT_NO_OVERLAY") &&
		     rt_overlay_works(r->run_dir);
	if (r->host_process)
		set_describe_hostproc(r);
	else
		set_describe(r);
	*out = r;
	return 0;
}

void rt_free(struct rt *r)
{
	if (!r)
		return;
	if (r->inotify_fd >= 0)
		close(r->inotify_fd);
	pthread_mutex_destroy(&r->lock);
	free(r->run_dir);
	free(r->runtime);
	free(r->name);
	free(r->version);
	free(r->self_exe);
	free(r->describe);
	free(r);
}

const char *rt_name(const struct rt *r) { return r->name; }
const char *rt_version(const struct rt *r) { return r->version; }
int rt_cgroup_version(const struct rt *r) { return r->cgroup_version; }
const char *rt_describe(const struct rt *r) { return r->describe; }
bool rt_rootless(const struct rt *r) { return r->rootless; }
bool rt_host_process(const struct rt *r) { return r->host_process; }

bool rt_limits_enforced(const struct rt *r, const char **why)
{
	if (!r->limits && why)
		*why = "resource limits NOT enforced (no delegated cgroup is "
		       "writable by this user)";
	return r->limits;
}

int rt_events_fd(struct rt *r) { return r->inotify_fd; }

void rt_events_drain(struct rt *r)
{
	char buf[4096] __attribute__((aligned(8)));

	while (read(r->inotify_fd, buf, sizeof(buf)) > 0)
		;
}
