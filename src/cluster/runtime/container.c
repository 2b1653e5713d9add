/* SPDX-License-Identifier: Apache-2.0 */
/*
 * container: the life of one container as the daemon sees it.  Start
 * prepares containers/ID/ (root file system, config.json, shim.json),
 * double-forks `kdeck shim` into its own session and waits for its
 * one-byte "started or failed" on a pipe; from then on the shim alone
 * writes the status file, which status/list read back.  Nothing is kept
 * in memory, so a restarted daemon (a new struct rt) sees every
 * container again.  Thread-safe: different ids touch different files.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cluster/node/layout.h"
#include "cluster/runtime/rt_int.h"
#include "common/file.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/vec.h"

#define START_TIMEOUT_MS 120000
#define REMOVE_WAIT_MS 10000
#define BUSY_WAIT_MS 5000	/* a mount namespace going away */

char *rt_container_dir(const struct rt *r, const char *id)
{
	return xasprintf("%s/containers/%s", r->run_dir, id);
}

static int write_json(const char *dir, const char *name, const cJSON *j,
		      struct err *e)
{
	char *path = xasprintf("%s/%s", dir, name), *text = json_print(j);
	int rc = file_write_atomic(path, text, strlen(text), 0644, e);

	free(path);
	free(text);
	return rc;
}

static int write_bundle(struct rt *r, const struct rt_container_spec *s,
			const char *dir, struct err *e)
{
	struct rt_bundle_ns ns;
	char *rootfs = xasprintf("%s/rootfs", dir);
	char *cg = layout_cgroup(s->pod_uid, s->id), *cgpath = xasprintf("/%s", cg);
	cJSON *j = NULL;
	int rc = -1;

	if (rt_sandbox_ns(r, s->pod_uid, &ns, e) < 0)
		goto out;
	if (rt_bundle_config(s, &ns, rootfs, r->limits ? cgpath : NULL, &j,
			     e) == 0)
		rc = write_json(dir, "config.json", j, e);
	rt_bundle_ns_done(&ns);
out:
	cJSON_Delete(j);
	free(rootfs);
	free(cg);
	free(cgpath);
	return rc;
}

static int write_shim_config(struct rt *r, const struct rt_container_spec *s,
			     const char *dir, struct err *e)
{
	cJSON *j = cJSON_CreateObject();
	char *root = xasprintf("%s/runc", r->run_dir);
	char *cg = layout_cgroup(s->pod_uid, s->id), *cgpath = xasprintf("/%s", cg);
	int rc;

	cJSON_AddStringToObject(j, "runtime", r->runtime);
	cJSON_AddStringToObject(j, "root", root);
	if (s->log_path[0] == '/') {
		cJSON_AddStringToObject(j, "log", s->log_path);
	} else {	/* the shim runs in another directory */
		char *cwd = getcwd(NULL, 0), *abs = xasprintf("%s/%s",
			cwd ? cwd : "", s->log_path);

		cJSON_AddStringToObject(j, "log", abs);
		free(abs);
		free(cwd);
	}
	cJSON_AddNumberToObject(j, "logMax", (double)r->log_max);
	cJSON_AddNumberToObject(j, "logFiles", r->log_files);
	if (r->limits)
		cJSON_AddStringToObject(j, "cgroup", cgpath);
	cJSON_AddBoolToObject(j, "tty", s->tty);
	cJSON_AddBoolToObject(j, "stdin", s->stdin_open);
	cJSON_AddBoolToObject(j, "stdinOnce", s->stdin_once);
	cJSON_AddNumberToObject(j, "cgroupVersion", r->cgroup_version);
	rc = write_json(dir, "shim.json", j, e);
	cJSON_Delete(j);
	free(root);
	free(cg);
	free(cgpath);
	return rc;
}

/* Files the bundle binds must exist: the termination log, the log dir. */
static int make_host_files(const struct rt_container_spec *s, struct err *e)
{
	char *logdir = xstrdup(s->log_path), *slash = strrchr(logdir, '/');
	int rc = 0, fd;

	if (slash && slash != logdir) {
		*slash = '\0';
		rc = rt_mkdirs(logdir, 0755, e);
	}
	free(logdir);
	if (rc == 0 && s->termination_log && s->termination_path) {
		fd = open(s->termination_log, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
		/* any container user may write it, as kubelet makes it */
		if (fd < 0 || fchmod(fd, 0666) < 0)
			rc = err_set(e, ERR_IO, "%s: %s", s->termination_log,
				     strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return rc;
}

/* Grandchild of the caller, in its own session: exec the shim. */
static void shim_child(char *const *argv, int sync_w)
{
	int null;

	if (setsid() < 0)
		_exit(1);
	if (fork() != 0)
		_exit(0);
	null = open("/dev/null", O_RDWR);
	if (null < 0 || dup2(sync_w, 3) < 0)
		_exit(1);
	if (sync_w == 3)
		fcntl(3, F_SETFD, 0);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	rt_child_reset(3);
	execv(argv[0], argv);
	_exit(127);
}

static int spawn_shim(struct rt *r, const char *id, struct err *e)
{
	char *argv[] = { r->self_exe, "shim", r->run_dir, (char *)id, NULL };
	int p[2], status;
	struct pollfd pf;
	char c;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return err_set(e, ERR_INTERNAL, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0)
		shim_child(argv, p[1]);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return err_set(e, ERR_INTERNAL, "fork: %s", strerror(errno));
	}
	waitpid(pid, &status, 0);
	pf = (struct pollfd){ p[0], POLLIN, 0 };
	if (poll(&pf, 1, START_TIMEOUT_MS) <= 0) {
		close(p[0]);
		return err_set(e, ERR_TIMEOUT, "container %s: the shim did not "
			       "report within %d s", id, START_TIMEOUT_MS / 1000);
	}
	if (read(p[0], &c, 1) < 0)
		c = 0;
	close(p[0]);
	return 0;
}

/* A failure before the shim ran: record it as the shim would. */
static void record_failure(const char *dir, const struct err *e)
{
	struct rt_status st = { .state = RT_EXITED, .exit_code = 128 };
	char *path = xasprintf("%s/status", dir);

	st.created_ns = st.finished_ns = rt_now_ns();
	snprintf(st.message, sizeof(st.message), "%.*s",
		 (int)sizeof(st.message) - 1, e->msg);
	rt_status_write(path, &st, 0, NULL);
	free(path);
}

static int prepare(struct rt *r, const struct rt_container_spec *s,
		   const char *dir, struct err *e)
{
	if (!s->pod_uid || !s->rootfs || !s->log_path)
		return err_set(e, ERR_INVALID, "container %s: pod uid, rootfs "
			       "and log path are required", s->id);
	if (write_bundle(r, s, dir, e) < 0 || make_host_files(s, e) < 0 ||
	    write_shim_config(r, s, dir, e) < 0 ||
	    rt_rootfs_prepare(r, dir, s->rootfs, e) < 0)
		return -1;
	return 0;
}

int rt_container_start(struct rt *r, const struct rt_container_spec *s,
		       struct err *e)
{
	struct rt_status st;
	char *dir;
	int rc = -1;

	if (!rt_valid_id(s->id))
		return err_set(e, ERR_INVALID, "bad container id \"%s\"",
			       s->id ? s->id : "");
	dir = rt_container_dir(r, s->id);
	if (mkdir(dir, 0711) < 0) {
		err_set(e, errno == EEXIST ? ERR_ALREADY_EXISTS : ERR_IO,
			"container %s: %s", s->id, strerror(errno));
		free(dir);
		return -1;
	}
	if (prepare(r, s, dir, e) < 0 || spawn_shim(r, s->id, e) < 0) {
		record_failure(dir, e);
		rt_rootfs_release(dir, NULL);
		goto out;
	}
	if (rt_container_status(r, s->id, &st, e) < 0)
		goto out;
	if (st.state == RT_EXITED && st.exit_code == 128 && st.message[0]) {
		err_set(e, ERR_INTERNAL, "%s", st.message);
		goto out;
	}
	rc = 0;
out:
	free(dir);
	return rc;
}

/* Is the shim that wrote this status still running? */
static bool shim_alive(pid_t pid, const char *id)
{
	char *path = xasprintf("/proc/%d/cmdline", (int)pid);
	struct buf b = BUF_INIT;
	bool alive = false;

	if (pid > 0 && rt_read_file(path, 4096, &b) == 0)
		for (size_t i = 0; i < b.len; i += strlen(b.data + i) + 1)
			if (!strcmp(b.data + i, id))
				alive = true;
	buf_free(&b);
	free(path);
	return alive;
}

/* rt_container_status, also giving the shim's pid (0 when unknown). */
static int read_status(struct rt *r, const char *id, struct rt_status *out,
		       pid_t *shim_out, struct err *e)
{
	char *dir, *path;
	struct buf b = BUF_INIT;
	struct rt_status st;
	struct stat sb;
	pid_t shim = 0;
	int rc = -1;

	if (!rt_valid_id(id))
		return err_set(e, ERR_NOT_FOUND, "no container \"%s\"", id ? id : "");
	dir = rt_container_dir(r, id);
	path = xasprintf("%s/status", dir);
	if (stat(dir, &sb) < 0) {
		err_set(e, ERR_NOT_FOUND, "no container %s", id);
		goto out;
	}
	memset(&st, 0, sizeof(st));
	if (rt_read_file(path, 65536, &b) < 0) {
		st.state = RT_CREATED;	/* the shim has not written yet */
	} else if (rt_status_parse(buf_cstr(&b), b.len, &st, &shim, e) < 0) {
		err_wrap(e, "%s", path);
		goto out;
	}
	if (st.state != RT_EXITED && shim && !shim_alive(shim, id)) {
		st.state = RT_EXITED;
		st.exit_code = 255;
		snprintf(st.message, sizeof(st.message),
			 "the container's shim (pid %d) is gone", (int)shim);
	}
	*out = st;
	*shim_out = shim;
	rc = 0;
out:
	buf_free(&b);
	free(dir);
	free(path);
	return rc;
}

int rt_container_status(struct rt *r, const char *id, struct rt_status *out,
			struct err *e)
{
	pid_t shim;

	return read_status(r, id, out, &shim, e);
}

static pid_t parent_of(pid_t pid)
{
	char *path = xasprintf("/proc/%d/status", (int)pid);
	struct buf b = BUF_INIT;
	const char *p;
	pid_t ppid = -1;

	if (rt_read_file(path, 8192, &b) == 0 &&
	    (p = strstr(buf_cstr(&b), "\nPPid:")))
		ppid = (pid_t)atoi(p + 6);
	buf_free(&b);
	free(path);
	return ppid;
}

/*
 * Signal the container's init without running the runtime, when it
 * provably is the process the shim watches: a pidfd pins the process,
 * then its parent must be the (live) shim, the subreaper it was
 * reparented to.  False when that cannot be shown: use `runtime kill`.
 */
static bool kill_direct(const struct rt_status *st, pid_t shim, int sig)
{
	int fd;
	bool done = false;

	if (st->state != RT_RUNNING || st->pid <= 1 || shim <= 1)
		return false;
	fd = (int)syscall(SYS_pidfd_open, st->pid, 0);
	if (fd < 0)
		return false;
	if (parent_of(st->pid) == shim &&
	    syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) == 0)
		done = true;
	close(fd);
	return done;
}

int rt_container_kill(struct rt *r, const char *id, int sig, struct err *e)
{
	char *root = xasprintf("%s/runc", r->run_dir), num[16];
	char *argv[] = { r->runtime, "--root", root, "kill", (char *)id, num,
			 NULL };
	struct rt_cmd c = { argv, 30000, 4096, NULL };
	struct rt_status st;
	struct buf out = BUF_INIT;
	pid_t shim = 0;
	int code = 0, rc = -1;

	snprintf(num, sizeof(num), "%d", sig);
	if (read_status(r, id, &st, &shim, e) < 0)
		goto out;
	if (st.state == RT_EXITED || kill_direct(&st, shim, sig)) {
		rc = 0;
		goto out;
	}
	if (rt_run(&c, &out, &code, e) < 0)
		goto out;
	if (code == 0) {
		rc = 0;
		goto out;
	}
	/* it may have exited meanwhile */
	if (rt_container_status(r, id, &st, e) == 0 && st.state == RT_EXITED)
		rc = 0;
	else
		err_set(e, ERR_INTERNAL, "kill %s: %s", id, buf_cstr(&out));
out:
	buf_free(&out);
	free(root);
	return rc;
}

/* The mount namespace of pid, 0 when it has none (exited) or is ours. */
static ino_t other_mnt_ns(pid_t pid)
{
	char path[64];
	struct stat here, there;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	if (pid <= 0 || stat(path, &there) < 0 ||
	    stat("/proc/self/ns/mnt", &here) < 0 || here.st_ino == there.st_ino)
		return 0;
	return there.st_ino;
}

/*
 * The container's process has exited, but its mount namespace (which
 * holds the root file system) may still be going away: right after a
 * daemon's kill -9, reset met "Device or resource busy" there.  Wait
 * (bounded) until the process has no mount namespace of its own left.
 */
static void wait_mnt_ns_gone(pid_t pid)
{
	ino_t ns = other_mnt_ns(pid);

	for (int waited = 0; ns && waited < BUSY_WAIT_MS; waited += 20) {
		usleep(20000);
		if (other_mnt_ns(pid) != ns)
			return;
	}
}

/* Kill a running container and wait for its shim to record the exit. */
static int stop_for_remove(struct rt *r, const char *id, struct err *e)
{
	struct rt_status st;
	pid_t pid = 0;

	for (int waited = 0; waited < REMOVE_WAIT_MS; waited += 20) {
		if (rt_container_status(r, id, &st, e) < 0)
			return -1;
		if (st.pid > 0)
			pid = st.pid;
		if (st.state == RT_EXITED) {
			wait_mnt_ns_gone(pid);
			return 0;
		}
		if (waited % 1000 == 0 && rt_container_kill(r, id, SIGKILL, e) < 0)
			return -1;
		usleep(20000);
	}
	return err_set(e, ERR_TIMEOUT, "container %s does not stop", id);
}

/*
 * Unmount and delete the container's directory.  "Device or resource
 * busy" while a mount namespace that held the root file system is still
 * being torn down: retried, for BUSY_WAIT_MS at most.
 */
static int remove_dir(const char *dir, struct err *e)
{
	struct err le;

	for (int waited = 0;; waited += 50) {
		err_clear(&le);
		if (rt_rootfs_release(dir, &le) == 0 && rt_rmtree(dir, &le) == 0)
			return 0;
		if (!strstr(le.msg, strerror(EBUSY)) || waited >= BUSY_WAIT_MS) {
			if (e)
				err_copy(e, &le);
			return -1;
		}
		usleep(50000);
	}
}

int rt_container_remove(struct rt *r, const char *id, struct err *e)
{
	char *root = xasprintf("%s/runc", r->run_dir), *dir = NULL, *exitf = NULL;
	char *state = NULL;
	char *argv[] = { r->runtime, "--root", root, "delete", "--force",
			 (char *)id, NULL };
	struct rt_cmd c = { argv, 30000, 0, NULL };
	int code, rc = -1;
	struct stat sb;

	if (!rt_valid_id(id)) {
		err_set(e, ERR_NOT_FOUND, "no container \"%s\"", id ? id : "");
		goto out;
	}
	dir = rt_container_dir(r, id);
	exitf = xasprintf("%s/exits/%s", r->run_dir, id);
	if (stat(dir, &sb) < 0) {
		rc = 0;		/* already gone */
		goto out;
	}
	if (stop_for_remove(r, id, e) < 0)
		goto out;
	state = xasprintf("%s/%s", root, id);
	if (stat(state, &sb) == 0)	/* the shim normally deletes it */
		rt_run(&c, NULL, &code, NULL);
	if (remove_dir(dir, e) < 0)
		goto out;
	unlink(exitf);
	rc = 0;
out:
	free(state);
	free(root);
	free(dir);
	free(exitf);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int rt_container_list(struct rt *r, char ***ids, size_t *n, struct err *e)
{
	char *dir = xasprintf("%s/containers", r->run_dir);
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
	vec_sort(&v, cmp_str);
	*ids = (char **)v.items;
	*n = v.len;
	return 0;
}
