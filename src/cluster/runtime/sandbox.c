/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sandbox: a pod's shared namespaces without a pause process.  A forked
 * child unshares network, IPC and UTS (those the pod does not take from
 * the host), sets the pod's hostname, and waits while the parent
 * bind-mounts its /proc/PID/ns/{net,ipc,uts} onto files under
 * DATA/run/sandboxes/UID/; the mounts keep the namespaces alive after the
 * child exits.  A tmpfs at sandboxes/UID/shm is the pod's /dev/shm, shared
 * like the IPC namespace (hostIPC pods get the host's /dev/shm).  Containers join the namespaces by path
 * (bundle.c); the pod network (net/podnet.h) configures the net one.
 * Creation is serialised by r->lock and idempotent.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cluster/node/layout.h"
#include "cluster/runtime/rt_int.h"
#include "common/mem.h"
#include "common/vec.h"

#define NSFS_MAGIC_NUMBER 0x6e736673

struct ns_kind {
	const char *file;
	int flag;
};

static const struct ns_kind ns_kinds[] = {
	{ "net", CLONE_NEWNET },
	{ "ipc", CLONE_NEWIPC },
	{ "uts", CLONE_NEWUTS },
};
#define NKINDS (sizeof(ns_kinds) / sizeof(ns_kinds[0]))

static char *sandbox_dir(const struct rt *r, const char *uid)
{
	return xasprintf("%s/sandboxes/%s", r->run_dir, uid);
}

static bool is_nsfs(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && sf.f_type == NSFS_MAGIC_NUMBER;
}

static int want_flags(const struct rt_sandbox_spec *s)
{
	int f = 0;

	if (!s->host_network)
		f |= CLONE_NEWNET | CLONE_NEWUTS;
	if (!s->host_ipc)
		f |= CLONE_NEWIPC;
	return f;
}

/* Child: unshare, set the hostname, report, wait for the parent. */
static void ns_child(int flags, const char *hostname, int ready, int go,
		     int go_w)
{
	char c = 1;

	close(go_w);
	if (unshare(flags) < 0 ||
	    ((flags & CLONE_NEWUTS) && hostname &&
	     sethostname(hostname, strlen(hostname)) < 0))
		c = 0;
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) < 0)
		_exit(1);
	_exit(0);
}

static int pin_namespaces(const char *dir, pid_t pid, int flags, struct err *e)
{
	for (size_t i = 0; i < NKINDS; i++) {
		char *src, *dst;
		int fd, rc = 0;

		if (!(flags & ns_kinds[i].flag))
			continue;
		src = xasprintf("/proc/%d/ns/%s", (int)pid, ns_kinds[i].file);
		dst = xasprintf("%s/%s", dir, ns_kinds[i].file);
		fd = open(dst, O_RDONLY | O_CREAT | O_CLOEXEC, 0444);
		if (fd < 0 || mount(src, dst, NULL, MS_BIND, NULL) < 0)
			rc = err_set(e, ERR_IO, "pin %s namespace at %s: %s",
				     ns_kinds[i].file, dst, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(src);
		free(dst);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int make_namespaces(const char *dir, const struct rt_sandbox_spec *s,
			   struct err *e)
{
	int ready[2] = { -1, -1 }, go[2] = { -1, -1 }, flags = want_flags(s);
	int rc = -1, status;
	char c = 0;
	pid_t pid;

	if (!flags)
		return 0;
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0) {
		err_set(e, ERR_INTERNAL, "pipe: %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid == 0)
		ns_child(flags, s->hostname, ready[1], go[0], go[1]);
	if (pid < 0) {
		err_set(e, ERR_INTERNAL, "fork: %s", strerror(errno));
		goto out;
	}
	if (read(ready[0], &c, 1) != 1 || !c)
		err_set(e, ERR_INTERNAL, "cannot create the namespaces of the pod "
			"(unshare or sethostname failed)");
	else
		rc = pin_namespaces(dir, pid, flags, e);
	close(go[1]);
	go[1] = -1;
	waitpid(pid, &status, 0);
out:
	for (int i = 0; i < 2; i++) {
		if (ready[i] >= 0)
			close(ready[i]);
		if (go[i] >= 0)
			close(go[i]);
	}
	return rc;
}

static int make_shm(const char *dir, struct err *e)
{
	char *shm = xasprintf("%s/shm", dir);
	int rc = 0;

	if (mkdir(shm, 0755) < 0 && errno != EEXIST)
		rc = err_set(e, ERR_IO, "mkdir %s: %s", shm, strerror(errno));
	else if (mount("shm", shm, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		       "mode=1777,size=65536k") < 0)
		rc = err_set(e, ERR_IO, "mount %s: %s", shm, strerror(errno));
	free(shm);
	return rc;
}

/* The sandbox exists when every namespace it wants is pinned. */
static bool sandbox_complete(const char *dir, const struct rt_sandbox_spec *s)
{
	int flags = want_flags(s);
	struct stat st;
	char *p;
	bool ok = true;

	for (size_t i = 0; ok && i < NKINDS; i++) {
		if (!(flags & ns_kinds[i].flag))
			continue;
		p = xasprintf("%s/%s", dir, ns_kinds[i].file);
		ok = is_nsfs(p);
		free(p);
	}
	p = xasprintf("%s/ready", dir);
	ok = ok && stat(p, &st) == 0;
	free(p);
	return ok;
}

static int sandbox_build(struct rt *r, const char *dir,
			 const struct rt_sandbox_spec *s, struct err *e)
{
	char *ready;
	int fd;

	rt_sandbox_remove(r, s->uid, NULL);
	if (rt_mkdirs(dir, 0755, e) < 0 || make_namespaces(dir, s, e) < 0 ||
	    (!s->host_ipc && make_shm(dir, e) < 0)) {
		rt_sandbox_remove(r, s->uid, NULL);
		return -1;
	}
	ready = xasprintf("%s/ready", dir);
	fd = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	free(ready);
	return 0;
}

int rt_sandbox_create(struct rt *r, const struct rt_sandbox_spec *spec,
		      char **netns, struct err *e)
{
	struct rt_sandbox_spec hp = *spec;	/* host-process: the host's */
	const struct rt_sandbox_spec *s = spec;
	char *dir;
	int rc = -1;

	if (r->host_process) {
		hp.host_network = hp.host_ipc = hp.host_pid = true;
		s = &hp;
	}
	if (!rt_valid_id(s->uid))
		return err_set(e, ERR_INVALID, "bad pod uid \"%s\"",
			       s->uid ? s->uid : "");
	dir = sandbox_dir(r, s->uid);
	pthread_mutex_lock(&r->lock);
	if (!sandbox_complete(dir, s) && sandbox_build(r, dir, s, e) < 0)
		goto out;
	if (netns)
		*netns = s->host_network ? NULL : xasprintf("%s/net", dir);
	rc = 0;
out:
	pthread_mutex_unlock(&r->lock);
	free(dir);
	return rc;
}

/* rmdir ROOT/rel and, when then empty, its parent (kdeck/). */
static void rmdir_cgroup(const char *root, const char *rel)
{
	char *p = xasprintf("%s/%s", root, rel), *slash;

	if (rmdir(p) == 0 && (slash = strrchr(p, '/'))) {
		*slash = '\0';
		rmdir(p);	/* fails while other pods are there */
	}
	free(p);
}

void rt_cgroup_remove_pod(const struct rt *r, const char *uid)
{
	char *cg = layout_cgroup(uid, "x"), *slash = strrchr(cg, '/');
	DIR *d;
	struct dirent *de;

	*slash = '\0';		/* kdeck/podUID */
	if (r->cgroup_version == 2) {
		rmdir_cgroup(RT_CGROUP_ROOT, cg);
	} else if ((d = opendir(RT_CGROUP_ROOT))) {
		while ((de = readdir(d))) {
			char *root;

			if (de->d_name[0] == '.')
				continue;
			root = xasprintf("%s/%s", RT_CGROUP_ROOT, de->d_name);
			rmdir_cgroup(root, cg);
			free(root);
		}
		closedir(d);
	}
	free(cg);
}

int rt_sandbox_remove(struct rt *r, const char *uid, struct err *e)
{
	static const char *const files[] = { "net", "ipc", "uts", "shm" };
	char *dir;
	int rc = 0;

	if (!rt_valid_id(uid))
		return err_set(e, ERR_INVALID, "bad pod uid \"%s\"", uid ? uid : "");
	dir = sandbox_dir(r, uid);
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		char *p = xasprintf("%s/%s", dir, files[i]);

		while (umount2(p, MNT_DETACH) == 0)
			;
		free(p);
	}
	if (rt_rmtree(dir, e) < 0)
		rc = -1;
	rt_cgroup_remove_pod(r, uid);
	free(dir);
	return rc;
}

int rt_sandbox_list(struct rt *r, char ***uids, size_t *n, struct err *e)
{
	char *dir = xasprintf("%s/sandboxes", r->run_dir);
	struct vec v = VEC_INIT;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d && errno != ENOENT) {
		err_set(e, ERR_IO, "%s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	while (d && (de = readdir(d)))
		if (rt_valid_id(de->d_name))
			vec_push(&v, xstrdup(de->d_name));
	if (d)
		closedir(d);
	free(dir);
	*uids = (char **)v.items;
	*n = v.len;
	return 0;
}

int rt_sandbox_ns(struct rt *r, const char *uid, struct rt_bundle_ns *ns,
		  struct err *e)
{
	char *dir = sandbox_dir(r, uid), *p;
	const char **slots[] = { &ns->net, &ns->ipc, &ns->uts };
	struct stat st;

	memset(ns, 0, sizeof(*ns));
	p = xasprintf("%s/ready", dir);
	if (stat(p, &st) < 0) {
		free(p);
		free(dir);
		return err_set(e, ERR_NOT_FOUND, "no sandbox for pod %s", uid);
	}
	free(p);
	for (size_t i = 0; i < NKINDS; i++) {
		p = xasprintf("%s/%s", dir, ns_kinds[i].file);
		if (is_nsfs(p))
			*slots[i] = p;
		else
			free(p);
	}
	ns->caps_avail = rt_caps_available();
	if (r->rootless)
		rt_bundle_ns_rootless(ns, r->ids);
	ns->limit_swap = r->cgroup_version == 2 ||
			 stat(RT_CGROUP_ROOT "/memory/memory.memsw.limit_in_bytes",
			      &st) == 0;
	p = xasprintf("%s/shm", dir);
	if (stat(p, &st) == 0)
		ns->shm = p;
	else
		free(p);
	if (!ns->ipc && !ns->shm)	/* hostIPC: the host's /dev/shm */
		ns->shm = xstrdup("/dev/shm");
	free(dir);
	return 0;
}

void rt_bundle_ns_rootless(struct rt_bundle_ns *ns, unsigned long ids)
{
	struct stat st;
	bool mq = stat("/dev/mqueue", &st) == 0 && S_ISDIR(st.st_mode);

	ns->single_id = ids <= 1;
	ns->host_sysfs_bind = !ns->net;
	ns->host_mqueue_bind = !ns->ipc && mq;
	ns->no_mqueue = !ns->ipc && !mq;
}

void rt_bundle_ns_done(struct rt_bundle_ns *ns)
{
	free((char *)ns->net);
	free((char *)ns->ipc);
	free((char *)ns->uts);
	free((char *)ns->shm);
	memset(ns, 0, sizeof(*ns));
}
