/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostproc_run: the child half of the host-process runtime (hostproc.c):
 * turn a forked process into the container's process and exec it.
 *
 * As root (chroot mode) the first process of a container gets a private
 * mount namespace (unshare, everything made private so nothing leaks to
 * the host), the bundle's mounts inside its root file system (proc;
 * the host's /dev and /sys bound whole; tmpfs; volumes bound, read-only
 * when asked), then chroot, cwd, groups, gid, uid.  An exec joins that
 * mount namespace (setns) and chroots the same way.  Not root (direct
 * mode): no mounts, no chroot; volumes become symlinks inside the rootfs
 * (hostproc.c makes them), the process runs from cwd inside the rootfs
 * and its PATH lists the image's directories under the rootfs first.
 *
 * Failures are reported as runc words them ("exec: \"nope\": executable
 * file not found in $PATH") on err_fd, a close-on-exec pipe: EOF there
 * means the exec succeeded.  Everything here runs in a fresh child of a
 * single-threaded process, so allocating is fine.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster/runtime/hostproc.h"
#include "cluster/runtime/rt_int.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

/* Report on err_fd and end the child. */
static void die(int err_fd, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
static void die(int err_fd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (write(err_fd, msg, strlen(msg)) < 0)
		_exit(126);
	_exit(127);
}

static bool has_opt(const cJSON *m, const char *opt)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, json_get(m, "options"))
		if (cJSON_IsString(o) && !strcmp(o->valuestring, opt))
			return true;
	return false;
}

/* The mount point: a directory, or a file when source is one. */
static int make_target(const char *source, const char *target)
{
	struct stat st;
	char *parent = xstrdup(target), *slash = strrchr(parent, '/');
	int fd, rc = 0;

	if (slash && slash != parent) {
		*slash = '\0';
		rc = rt_mkdirs(parent, 0755, NULL);
	}
	free(parent);
	if (rc < 0 || lstat(target, &st) == 0)
		return rc;
	if (source && stat(source, &st) == 0 && !S_ISDIR(st.st_mode)) {
		fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			return -1;
		close(fd);
		return 0;
	}
	return mkdir(target, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* Only mode= and size= of a tmpfs mount's options reach the kernel. */
static char *tmpfs_data(const cJSON *m)
{
	struct buf b = BUF_INIT;
	const cJSON *o;

	cJSON_ArrayForEach(o, json_get(m, "options")) {
		if (!cJSON_IsString(o) || (strncmp(o->valuestring, "size=", 5) &&
					   strncmp(o->valuestring, "mode=", 5)))
			continue;
		if (b.len)
			buf_addc(&b, ',');
		buf_adds(&b, o->valuestring);
	}
	return buf_take(&b);
}

/* Skipped: the host's /dev and /sys are bound whole instead. */
static bool covered(const char *dest, const char *type, const char *source)
{
	static const char *const skip[] = { "devpts", "mqueue", "cgroup",
					    "cgroup2" };

	for (size_t i = 0; i < sizeof(skip) / sizeof(*skip); i++)
		if (!strcmp(type, skip[i]))
			return true;
	return !strncmp(dest, "/dev/", 5) && source && !strcmp(dest, source);
}

static int one_mount(const char *rootfs, const cJSON *m)
{
	const char *dest = json_get_str(m, "destination");
	const char *type = json_get_str(m, "type") ?: "bind";
	const char *src = json_get_str(m, "source");
	char *target, *data = NULL;
	unsigned long fl = MS_BIND | MS_REC;
	int rc = 0;

	if (!dest || covered(dest, type, src))
		return 0;
	if (!strcmp(dest, "/dev") || !strcmp(type, "sysfs"))
		src = !strcmp(dest, "/dev") ? "/dev" : "/sys";
	target = xasprintf("%s%s", rootfs, dest);
	if (make_target(strcmp(type, "bind") ? NULL : src, target) < 0) {
		rc = -1;
	} else if (!strcmp(type, "proc")) {
		rc = mount("proc", target, "proc", MS_NOSUID | MS_NODEV |
			   MS_NOEXEC, NULL);
	} else if (!strcmp(type, "tmpfs") && strcmp(dest, "/dev")) {
		data = tmpfs_data(m);
		rc = mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, data);
	} else {
		rc = mount(src, target, NULL, fl, NULL);
		if (rc == 0 && (has_opt(m, "ro") || !strcmp(type, "sysfs")))
			rc = mount(NULL, target, NULL, fl | MS_REMOUNT | MS_RDONLY,
				   NULL);
	}
	free(data);
	free(target);
	return rc;
}

static void make_mounts(const struct hostproc_ctr *c, int err_fd)
{
	const cJSON *m;

	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die(err_fd, "unable to create a mount namespace: %s",
		    strerror(errno));
	cJSON_ArrayForEach(m, json_get(c->config, "mounts"))
		if (one_mount(c->rootfs, m) < 0)
			die(err_fd, "error mounting \"%s\" to rootfs at \"%s\": %s",
			    json_get_str(m, "source") ?: "",
			    json_get_str(m, "destination") ?: "", strerror(errno));
}

static bool executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

/* exec.LookPath as runc does it, against env's PATH. */
static char *look_path(const struct hostproc_ctr *c, const char *name,
		       int err_fd)
{
	const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:"
			   "/usr/bin:/sbin:/bin";
	char *copy, *save = NULL;

	if (strchr(name, '/')) {
		char *full = name[0] == '/' && !c->chroot_mode ?
			xasprintf("%s%s", c->rootfs, name) : xstrdup(name);

		if (!executable(full))
			die(err_fd, "exec: \"%s\": stat %s: %s", name, name,
			    strerror(errno ? errno : ENOENT));
		return full;
	}
	for (size_t i = 0; c->env && c->env[i]; i++)
		if (!strncmp(c->env[i], "PATH=", 5))
			path = c->env[i] + 5;
	copy = xstrdup(path);
	for (char *d = strtok_r(copy, ":", &save); d;
	     d = strtok_r(NULL, ":", &save)) {
		char *full = xasprintf("%s/%s", d, name);

		if (executable(full)) {
			free(copy);
			return full;
		}
		free(full);
	}
	free(copy);
	die(err_fd, "exec: \"%s\": executable file not found in $PATH", name);
}

static void set_ids(const struct hostproc_ctr *c, int err_fd)
{
	if (!c->chroot_mode)
		return;
	if (setgroups(c->ngroups, c->groups) < 0 || setgid(c->gid) < 0 ||
	    setuid(c->uid) < 0)
		die(err_fd, "unable to set the user %lu:%lu: %s",
		    (unsigned long)c->uid, (unsigned long)c->gid,
		    strerror(errno));
}

void hostproc_exec_child(const struct hostproc_ctr *c, char *const *argv,
			 int mnt_fd, int err_fd)
{
	char *dir, *path;

	if (c->chroot_mode && mnt_fd < 0)
		make_mounts(c, err_fd);
	if (c->chroot_mode && mnt_fd >= 0 && setns(mnt_fd, CLONE_NEWNS) < 0)
		die(err_fd, "unable to join the container's mount namespace: %s",
		    strerror(errno));
	if (c->chroot_mode && chroot(c->rootfs) < 0)
		die(err_fd, "chroot %s: %s", c->rootfs, strerror(errno));
	dir = c->chroot_mode ? xstrdup(c->cwd) :
			       xasprintf("%s%s", c->rootfs, c->cwd);
	if (chdir(dir) < 0)
		die(err_fd, "chdir to cwd (\"%s\") set in config.json failed: %s",
		    c->cwd, strerror(errno));
	path = look_path(c, argv[0], err_fd);
	set_ids(c, err_fd);
	if (c->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die(err_fd, "no_new_privs: %s", strerror(errno));
	execve(path, argv, c->env);
	die(err_fd, "exec: \"%s\": %s", argv[0], strerror(errno));
}
