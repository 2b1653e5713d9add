/* SPDX-License-Identifier: Apache-2.0 */
/*
 * userns: rootless pods.  An ordinary user's cluster daemon moves itself,
 * before it starts any thread, into a user namespace of its own where it
 * is root (and a private mount namespace): the rootlesskit way.  Inside,
 * the rest of the runtime works unchanged (sandbox namespaces pinned by
 * bind mounts, overlayfs where the kernel allows it in a user namespace,
 * tmpfs volumes), runc sees it runs in a user namespace and uses its
 * rootless cgroup handling, and every container process is, on the host,
 * a process of the user.  Pod network namespaces created inside are owned
 * by this user namespace, so the daemon joins them (port-forward) without
 * any further step.
 *
 * The id mapping: with newuidmap/newgidmap installed and ranges for the
 * user in /etc/subuid and /etc/subgid, 0 = the user and 1..N = the range
 * (images whose files or processes use other ids work); otherwise the
 * single mapping 0 = the user, written directly (setgroups denied), where
 * only id 0 exists in containers.
 *
 * Restart safety: a daemon killed with -9 leaves its shims running in
 * its user and mount namespaces (which hold the runtime's state, the
 * sandboxes' bind mounts and the overlay mounts).  The next daemon (and
 * `cluster reset`) joins those namespaces through a live shim
 * (rt_userns_join) instead of making new ones, so it finds the
 * containers again; a shim is trusted when its status file names it and
 * its process is ours (our uid on the host).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cluster/runtime/rt_int.h"
#include "common/mem.h"

/* "0 0 4294967295" is the initial user namespace's uid_map. */
bool rt_in_userns(void)
{
	FILE *f = fopen("/proc/self/uid_map", "re");
	unsigned long a = 0, b = 0, c = 0;
	int n;

	if (!f)
		return false;
	n = fscanf(f, "%lu %lu %lu", &a, &b, &c);
	fclose(f);
	return n == 3 && !(a == 0 && b == 0 && c == 4294967295UL);
}

/* The user's range in /etc/subuid or /etc/subgid ("name:start:count"). */
static bool sub_range(const char *file, const char *name, unsigned long id,
		      unsigned long *start, unsigned long *count)
{
	FILE *f = fopen(file, "re");
	char line[512], idtxt[32];
	bool found = false;

	if (!f)
		return false;
	snprintf(idtxt, sizeof(idtxt), "%lu", id);
	while (!found && fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2;

		if (!c1 || !(c2 = strchr(c1 + 1, ':')))
			continue;
		*c1 = '\0';
		if (strcmp(line, idtxt) && (!name || strcmp(line, name)))
			continue;
		*start = strtoul(c1 + 1, NULL, 10);
		*count = strtoul(c2 + 1, NULL, 10);
		found = *count > 0;
	}
	fclose(f);
	return found;
}

static char *find_helper(const char *name)
{
	static const char *const dirs[] = { "/usr/bin", "/bin", "/usr/sbin",
					    "/usr/local/bin" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		char *p = xasprintf("%s/%s", dirs[i], name);

		if (access(p, X_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Run helper PID 0 ID 1 1 START COUNT; 0 when it exited 0. */
static int run_map_helper(const char *helper, pid_t pid, unsigned long id,
			  unsigned long start, unsigned long count)
{
	char a[4][24];
	char *argv[] = { (char *)helper, a[0], "0", a[1], "1", "1", a[2], a[3],
			 NULL };
	struct rt_cmd c = { argv, 10000, 4096, NULL };
	int code = -1;

	snprintf(a[0], sizeof(a[0]), "%d", (int)pid);
	snprintf(a[1], sizeof(a[1]), "%lu", id);
	snprintf(a[2], sizeof(a[2]), "%lu", start);
	snprintf(a[3], sizeof(a[3]), "%lu", count);
	if (rt_run(&c, NULL, &code, NULL) < 0)
		return -1;
	return code == 0 ? 0 : -1;
}

struct ranges {
	unsigned long uid_start, uid_count, gid_start, gid_count;
	char *newuidmap, *newgidmap;
};

static bool want_ranges(struct ranges *g, uid_t uid, gid_t gid)
{
	struct passwd *pw = getpwuid(uid);
	const char *name = pw ? pw->pw_name : NULL;

	memset(g, 0, sizeof(*g));
	if (getenv("KDECK_USERNS_SINGLE"))	/* test hook: force the single map */
		return false;
	if (!sub_range("/etc/subuid", name, uid, &g->uid_start, &g->uid_count) ||
	    !sub_range("/etc/subgid", name, gid, &g->gid_start, &g->gid_count))
		return false;
	g->newuidmap = find_helper("newuidmap");
	g->newgidmap = find_helper("newgidmap");
	return g->newuidmap && g->newgidmap;
}

/*
 * A child maps our new namespace with the set-uid helpers (they must run
 * outside it): it waits for the parent's unshare, runs them, exits 0 on
 * success.
 */
static int map_with_helpers(const struct ranges *g, uid_t uid, gid_t gid,
			    struct err *e)
{
	int p[2], status = 0;
	pid_t parent = getpid(), child;
	char c;

	if (pipe2(p, O_CLOEXEC) < 0)
		return err_set(e, ERR_INTERNAL, "pipe: %s", strerror(errno));
	child = fork();
	if (child == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(2);
		_exit(run_map_helper(g->newuidmap, parent, uid, g->uid_start,
				     g->uid_count) == 0 &&
		      run_map_helper(g->newgidmap, parent, gid, g->gid_start,
				     g->gid_count) == 0 ? 0 : 1);
	}
	close(p[0]);
	if (child < 0) {
		close(p[1]);
		return err_set(e, ERR_INTERNAL, "fork: %s", strerror(errno));
	}
	c = unshare(CLONE_NEWUSER) == 0 ? 1 : 0;
	if (!c)
		err_set(e, ERR_UNAVAILABLE, "cannot create a user namespace: %s",
			strerror(errno));
	if (write(p[1], &c, 1) != 1 && c)
		c = 0;
	close(p[1]);
	waitpid(child, &status, 0);
	if (!c)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set(e, ERR_UNAVAILABLE, "newuidmap/newgidmap failed "
			       "to map the user namespace");
	return 0;
}

static int map_single(uid_t uid, gid_t gid, struct err *e)
{
	char m[64];

	if (unshare(CLONE_NEWUSER) < 0)
		return err_set(e, ERR_UNAVAILABLE, "cannot create a user "
			       "namespace: %s (are unprivileged user namespaces "
			       "allowed here?)", strerror(errno));
	snprintf(m, sizeof(m), "0 %lu 1\n", (unsigned long)uid);
	if (write_text("/proc/self/uid_map", m) < 0 ||
	    write_text("/proc/self/setgroups", "deny") < 0)
		return err_set(e, ERR_UNAVAILABLE, "cannot map uid %lu in the "
			       "user namespace: %s", (unsigned long)uid,
			       strerror(errno));
	snprintf(m, sizeof(m), "0 %lu 1\n", (unsigned long)gid);
	if (write_text("/proc/self/gid_map", m) < 0)
		return err_set(e, ERR_UNAVAILABLE, "cannot map gid %lu in the "
			       "user namespace: %s", (unsigned long)gid,
			       strerror(errno));
	return 0;
}

int rt_userns_enter(char **describe, struct err *e)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	struct ranges g;
	int rc;

	if (geteuid() == 0)
		return err_set(e, ERR_INVALID, "already root");
	if (want_ranges(&g, uid, gid))
		rc = map_with_helpers(&g, uid, gid, e);
	else
		rc = map_single(uid, gid, e);
	free(g.newuidmap);
	free(g.newgidmap);
	if (rc < 0)
		return -1;
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return err_set(e, ERR_UNAVAILABLE, "setresuid in the user "
			       "namespace: %s", strerror(errno));
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return err_set(e, ERR_UNAVAILABLE, "cannot create a mount "
			       "namespace: %s", strerror(errno));
	*describe = g.uid_count ?
		xasprintf("uid %lu is root in a user namespace of its own, "
			  "with %lu subordinate ids from /etc/subuid",
			  (unsigned long)uid, g.uid_count) :
		xasprintf("uid %lu is root in a user namespace of its own "
			  "(single id: no /etc/subuid range or no newuidmap, "
			  "so containers run as uid 0 only)",
			  (unsigned long)uid);
	return 0;
}

/* Ids mapped in this user namespace (sum of uid_map counts). */
unsigned long rt_userns_ids(void)
{
	FILE *f = fopen("/proc/self/uid_map", "re");
	unsigned long a, b, c, total = 0;

	if (!f)
		return 0;
	while (fscanf(f, "%lu %lu %lu", &a, &b, &c) == 3)
		total += c;
	fclose(f);
	return total;
}

/* The pid of a live shim of ours named by run_dir/containers/ * /status. */
static pid_t live_shim(const char *run_dir)
{
	char *dir = xasprintf("%s/containers", run_dir);
	DIR *d = opendir(dir);
	struct dirent *de;
	pid_t found = 0;

	while (d && !found && (de = readdir(d))) {
		char *path = xasprintf("%s/%s/status", dir, de->d_name);
		char *proc;
		struct buf b = BUF_INIT;
		struct rt_status st;
		struct stat sb;
		pid_t spid = 0;

		if (de->d_name[0] != '.' &&
		    rt_read_file(path, 1 << 16, &b) == 0 &&
		    rt_status_parse(buf_cstr(&b), b.len, &st, &spid, NULL) == 0 &&
		    spid > 0) {
			proc = xasprintf("/proc/%d", (int)spid);
			if (stat(proc, &sb) == 0 && sb.st_uid == getuid())
				found = spid;
			free(proc);
		}
		buf_free(&b);
		free(path);
	}
	if (d)
		closedir(d);
	free(dir);
	return found;
}

/* setns into pid's namespace of kind ("user", "mnt"). */
static int join_ns(pid_t pid, const char *kind, int type, struct err *e)
{
	char *path = xasprintf("/proc/%d/ns/%s", (int)pid, kind);
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0 || setns(fd, type) < 0)
		rc = err_set(e, ERR_UNAVAILABLE, "cannot join %s: %s", path,
			     strerror(errno));
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

int rt_userns_join(const char *run_dir, char **describe, struct err *e)
{
	unsigned long uid = (unsigned long)getuid();
	pid_t pid;

	if (geteuid() == 0)
		return err_set(e, ERR_INVALID, "already root");
	pid = live_shim(run_dir);
	if (pid <= 0)
		return err_set(e, ERR_NOT_FOUND, "no container of an earlier "
			       "daemon runs");
	if (join_ns(pid, "user", CLONE_NEWUSER, e) < 0 ||
	    join_ns(pid, "mnt", CLONE_NEWNS, e) < 0)
		return -1;
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return err_set(e, ERR_UNAVAILABLE, "setresuid in the user "
			       "namespace: %s", strerror(errno));
	*describe = xasprintf("uid %lu is root in the user namespace of its "
			      "running containers (joined from shim %d), "
			      "with %lu ids", uid, (int)pid,
			      rt_userns_ids());
	return 0;
}
