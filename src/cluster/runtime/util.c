/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util: running the OCI runtime and small file helpers for the runtime.
 *
 * Processes are started with fork+execv from threads of the daemon: the
 * child only makes async-signal-safe calls (dup2, close, sigprocmask,
 * execv) on data prepared before the fork.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cluster/runtime/rt_int.h"
#include "common/json.h"
#include "common/mem.h"

int64_t rt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool rt_valid_id(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	return n > 0 && n <= 200 && id[0] != '.' &&
	       strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			  "0123456789_.+-") == n;
}

void rt_child_reset(int keep)
{
	sigset_t all;

	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGPIPE, SIG_DFL);
#ifdef SYS_close_range
	if (syscall(SYS_close_range, keep + 1, ~0U, 0) == 0)
		return;
#endif
	for (int fd = keep + 1; fd < 4096; fd++)
		close(fd);
}

/* Child side of rt_run: never returns. */
static void run_child(char *const *argv, int out_fd)
{
	int null = open("/dev/null", O_RDWR);

	if (null < 0)
		_exit(127);
	dup2(null, 0);
	dup2(out_fd >= 0 ? out_fd : null, 1);
	dup2(out_fd >= 0 ? out_fd : null, 2);
	rt_child_reset(2);
	execv(argv[0], argv);
	_exit(127);
}

static void kill_pidfile(const char *path)
{
	struct buf b = BUF_INIT;
	long pid;

	if (path && rt_read_file(path, 64, &b) == 0) {
		pid = strtol(buf_cstr(&b), NULL, 10);
		if (pid > 1)
			kill((pid_t)pid, SIGKILL);
	}
	buf_free(&b);
}

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

/* Read what is there (non-blocking); 0 at EOF, 1 otherwise. */
static int drain(int fd, size_t max, struct buf *out)
{
	char chunk[4096];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n == 0)
		return 0;
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : 0;
	if (out && out->len < max)
		buf_add(out, chunk,
			(size_t)n < max - out->len ? (size_t)n : max - out->len);
	return 1;
}

/* Exited?  Also when SIGCHLD is ignored and the kernel reaped it. */
static bool reaped(pid_t pid, int *status)
{
	pid_t w = waitpid(pid, status, WNOHANG);

	if (w < 0 && errno == ECHILD)
		*status = 255 << 8;
	return w == pid || (w < 0 && errno == ECHILD);
}

int rt_run(const struct rt_cmd *c, struct buf *out, int *code, struct err *e)
{
	int p[2], status = 0, open_pipe = 1, exited = 0, timed_out = 0;
	int64_t deadline = c->timeout_ms > 0 ? mono_ms() + c->timeout_ms : 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return err_set(e, ERR_INTERNAL, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0)
		run_child(c->argv, p[1]);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return err_set(e, ERR_INTERNAL, "fork: %s", strerror(errno));
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	while (!exited || open_pipe) {
		struct pollfd pf = { p[0], POLLIN, 0 };

		if (open_pipe && poll(&pf, 1, exited ? 0 : 20) > 0)
			open_pipe = drain(p[0], c->max, out);
		else if (exited)
			break;	/* exited; a grandchild may hold the pipe */
		else if (!open_pipe)
			usleep(10000);	/* output closed, still running */
		if (!exited && reaped(pid, &status))
			exited = 1;
		if (!exited && deadline && mono_ms() > deadline) {
			kill_pidfile(c->pidfile);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			exited = timed_out = 1;
		}
	}
	close(p[0]);
	if (timed_out)
		return err_set(e, ERR_TIMEOUT, "%s: timed out after %d ms",
			       c->argv[0], c->timeout_ms);
	*code = exit_code(status);
	return 0;
}

int rt_mkdirs(const char *path, unsigned mode, struct err *e)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *s = p + 1; ; s++) {
		char c = *s;

		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (mkdir(p, (mode_t)mode) < 0 && errno != EEXIST) {
			rc = err_set(e, ERR_IO, "mkdir %s: %s", p, strerror(errno));
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return rc;
}

static int rm_one(const char *path, const struct stat *st, int type,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

int rt_rmtree(const char *path, struct err *e)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return 0;
	errno = 0;
	if (nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) != 0 &&
	    lstat(path, &st) == 0)
		return err_set(e, ERR_IO, "remove %s: %s", path,
			       strerror(errno ? errno : EBUSY));
	return 0;
}

int rt_read_file(const char *path, size_t max, struct buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char chunk[4096];
	ssize_t n;

	if (fd < 0)
		return -1;
	while (out->len < max && (n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;

			close(fd);
			errno = saved;
			return -1;
		}
		buf_add(out, chunk, (size_t)n < max - out->len ?
					    (size_t)n : max - out->len);
	}
	buf_cstr(out);
	close(fd);
	return 0;
}

char *rt_runtime_log_error(const char *path)
{
	struct buf b = BUF_INIT;
	char *msg = NULL, *line, *save = NULL;

	if (rt_read_file(path, 1 << 20, &b) < 0 || !b.data) {
		buf_free(&b);
		return NULL;
	}
	for (line = strtok_r(b.data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		cJSON *j = json_parse(line, strlen(line), NULL);
		const char *lvl = json_get_str(j, "level");
		const char *m = json_get_str(j, "msg");

		if (lvl && m && !strcmp(lvl, "error")) {
			free(msg);
			msg = xstrdup(m);
		}
		cJSON_Delete(j);
	}
	buf_free(&b);
	return msg;
}
