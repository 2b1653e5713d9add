/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exec_io: interactive processes in a running container (kubectl exec),
 * the runtime half of nodeops.h.
 *
 * Without a terminal: `RUNTIME exec --pid-file P ID ARGV...` in the
 * foreground with pipes (or /dev/null) as its stdio; runc hands them
 * straight to the process and exits with its status (128+N for a
 * signal), which is what wait reports.
 *
 * With a terminal: the runtime only gives the pty master through a
 * console socket when it detaches (`exec --detach --tty --console-socket
 * S`), and the detached process is then reparented.  So a helper (a
 * fork of this process that never execs: async-signal-safe calls only)
 * becomes a child subreaper, runs the runtime, reaps the process and
 * writes two ints on a pipe: the runtime's status, then the process's.
 * The console socket is bound here through /proc/self/fd/DIRFD/NAME
 * (container directories outrun sun_path) and the runtime connects to
 * NAME from the container directory.
 *
 * Start returns once the process runs (the pid file exists) or the
 * runtime failed to start it (its JSON log holds the reason).  Free kills
 * a process still running (through a pidfd when the kernel has them,
 * else its pid) and reaps everything it started.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "cluster/runtime/rt_int.h"
#include "common/mem.h"

#define START_MS 30000
#define STEP_MS 5

struct rt_proc {
	pid_t pid;		/* runtime (no tty) or helper (tty); 0 = reaped */
	pid_t target;		/* the process in the container, host pid */
	int pidfd;		/* of target, -1 when unavailable */
	int status_fd;		/* tty: the helper's pipe */
	int master;		/* tty: pty master (resize), -1 otherwise */
	struct rt_proc_io io;
	dev_t in_dev;		/* in_fd's identity: the caller may close it */
	ino_t in_ino;
	int code;		/* exit status once known, -1 before */
	bool reaped;
	char *dir, *pidfile, *log, *sock;
};

static int exec_seq;

/* Runtime arguments; the caller frees the array (not the strings). */
static char **args_new(const struct rt *r, const struct rt_proc *p,
		       const char *root, bool tty, const char *sock_name,
		       const char *id, char *const *argv)
{
	const char *head[] = { r->runtime, "--root", root, "--log", p->log,
			       "--log-format", "json", "exec", "--pid-file",
			       p->pidfile };
	size_t nh = sizeof(head) / sizeof(*head), n = 0, k;
	char **a;

	while (argv[n])
		n++;
	a = xcalloc(nh + n + 6, sizeof(*a));
	memcpy(a, head, sizeof(head));
	k = nh;
	if (tty) {
		a[k++] = "--detach";
		a[k++] = "--tty";
		a[k++] = "--console-socket";
		a[k++] = (char *)sock_name;
	}
	a[k++] = (char *)id;
	memcpy(a + k, argv, n * sizeof(*a));
	return a;
}

/* Parse a pid file without allocating (also used by the helper). */
static pid_t read_pid(const char *path)
{
	char b[32];
	ssize_t n;
	pid_t pid = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	for (ssize_t i = 0; i < n && b[i] >= '0' && b[i] <= '9'; i++)
		pid = pid * 10 + (b[i] - '0');
	return pid;
}

static int status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

/* Child without a terminal: never returns. */
static void plain_child(char **args, const int fds[3])
{
	int null = open("/dev/null", O_RDWR);

	for (int i = 0; i < 3; i++)
		if (dup2(fds[i] >= 0 ? fds[i] : null, i) < 0)
			_exit(127);
	rt_child_reset(2);
	execv(args[0], args);
	_exit(127);
}

static void put_int(int fd, int v)
{
	if (write(fd, &v, sizeof(v)) < 0)
		_exit(1);
}

/*
 * The tty helper (forked, no exec): subreaper, runs the runtime from the
 * container dir, reports its status, reaps the process, reports its status.
 */
static void tty_helper(char **args, const char *dir, const char *pidfile,
		       int status_w)
{
	int null = open("/dev/null", O_RDWR), s, st, code = -1, rc;
	pid_t g, w, target;

	s = fcntl(status_w, F_DUPFD, 3);
	if (null < 0 || s < 0 || prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		_exit(1);
	for (int i = 0; i < 3; i++)
		dup2(null, i);
	if (s != 3 && (dup2(s, 3) < 0 || close(s) < 0))
		_exit(1);
	rt_child_reset(3);
	g = fork();
	if (g == 0) {
		if (chdir(dir) < 0)
			_exit(127);
		close(3);
		execv(args[0], args);
		_exit(127);
	}
	if (g < 0 || waitpid(g, &st, 0) < 0)
		_exit(1);
	rc = status_code(st);
	put_int(3, rc);
	target = rc == 0 ? read_pid(pidfile) : 0;
	while (target > 0 && (w = waitpid(-1, &st, 0)) != -1)
		if (w == target) {
			code = status_code(st);
			break;
		}
	put_int(3, code);
	_exit(0);
}

static void proc_reap(struct rt_proc *p, bool block)
{
	int st;

	if (p->reaped || p->pid <= 0)
		return;
	if (waitpid(p->pid, &st, block ? 0 : WNOHANG) == p->pid) {
		p->reaped = true;
		if (p->status_fd < 0)
			p->code = status_code(st);
	}
}

/* The runtime failed to start the process: its message, kubelet's words. */
static int runtime_error(struct rt_proc *p, int code, struct err *e)
{
	char *msg = rt_runtime_log_error(p->log);

	if (!msg)
		return err_set(e, ERR_INTERNAL, "OCI runtime exec failed: "
			       "the runtime exited with status %d", code);
	err_set(e, ERR_INTERNAL, "OCI runtime exec failed: %s: unknown", msg);
	free(msg);
	return -1;
}

static void proc_opened(struct rt_proc *p)
{
	p->target = read_pid(p->pidfile);
	if (p->target > 0)
		p->pidfd = (int)syscall(SYS_pidfd_open, p->target, 0);
}

/* No tty: until the pid file exists or the runtime ended. */
static int plain_started(struct rt_proc *p, struct err *e)
{
	for (int t = 0; t < START_MS; t += STEP_MS) {
		if (access(p->pidfile, F_OK) == 0) {
			proc_opened(p);
			return 0;
		}
		proc_reap(p, false);
		if (p->reaped) {
			if (p->code == 255 && access(p->pidfile, F_OK) < 0)
				return runtime_error(p, p->code, e);
			return 0;
		}
		usleep(STEP_MS * 1000);
	}
	return err_set(e, ERR_TIMEOUT, "exec: the runtime did not start the "
		       "process within %d s", START_MS / 1000);
}

static int plain_start(struct rt_proc *p, char **args,
		       const struct rt_exec_opts *o, struct err *e)
{
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	int child[3];

	if ((o->in && pipe2(pin, O_CLOEXEC) < 0) ||
	    (o->out && pipe2(pout, O_CLOEXEC) < 0) ||
	    (o->err && pipe2(perr, O_CLOEXEC) < 0)) {
		err_set(e, ERR_INTERNAL, "pipe: %s", strerror(errno));
		goto fail;
	}
	child[0] = pin[0];
	child[1] = pout[1];
	child[2] = perr[1];
	p->pid = fork();
	if (p->pid == 0)
		plain_child(args, child);
	if (p->pid < 0) {
		err_set(e, ERR_INTERNAL, "fork: %s", strerror(errno));
		goto fail;
	}
	for (int i = 0; i < 3; i++)
		if (child[i] >= 0)
			close(child[i]);
	p->io = (struct rt_proc_io){ pin[1], pout[0], perr[0] };
	return plain_started(p, e);
fail:
	for (int i = 0; i < 2; i++) {
		if (pin[i] >= 0)
			close(pin[i]);
		if (pout[i] >= 0)
			close(pout[i]);
		if (perr[i] >= 0)
			close(perr[i]);
	}
	return -1;
}

/* A listening unix socket at dir/name, bound through /proc/self/fd. */
static int console_listen(const char *dir, const char *name, struct err *e)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int d = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC), s = -1;

	if (d >= 0)
		s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s >= 0) {
		snprintf(a.sun_path, sizeof(a.sun_path), "/proc/self/fd/%d/%s",
			 d, name);
		if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
		    listen(s, 1) < 0) {
			close(s);
			s = -1;
		}
	}
	if (s < 0)
		err_set(e, ERR_INTERNAL, "console socket in %s: %s", dir,
			strerror(errno));
	if (d >= 0)
		close(d);
	return s;
}

/* Accept the runtime's connection and take the fd it sends. */
int rt_console_recv(int ls, struct err *e)
{
	char data[64], ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;
	int cs = accept4(ls, NULL, NULL, SOCK_CLOEXEC), fd = -1;

	if (cs >= 0 && recvmsg(cs, &m, MSG_CMSG_CLOEXEC) >= 0 &&
	    (c = CMSG_FIRSTHDR(&m)) && c->cmsg_level == SOL_SOCKET &&
	    c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	if (cs >= 0)
		close(cs);
	if (fd < 0)
		err_set(e, ERR_INTERNAL, "no terminal from the runtime");
	return fd;
}

/* Read one int from the helper; false at EOF / timeout. */
static bool helper_int(int fd, int timeout_ms, int *v)
{
	struct pollfd pf = { fd, POLLIN, 0 };

	if (timeout_ms >= 0 && poll(&pf, 1, timeout_ms) <= 0)
		return false;
	return read(fd, v, sizeof(*v)) == (ssize_t)sizeof(*v);
}

static int tty_start(struct rt_proc *p, char **args,
		     const struct rt_exec_opts *o, struct err *e)
{
	const char *name = strrchr(p->sock, '/') + 1;
	int pp[2], ls = console_listen(p->dir, name, e), rc;

	if (ls < 0)
		return -1;
	if (pipe2(pp, O_CLOEXEC) < 0) {
		close(ls);
		return err_set(e, ERR_INTERNAL, "pipe: %s", strerror(errno));
	}
	p->pid = fork();
	if (p->pid == 0)
		tty_helper(args, p->dir, p->pidfile, pp[1]);
	close(pp[1]);
	p->status_fd = pp[0];
	if (p->pid < 0) {
		close(ls);
		return err_set(e, ERR_INTERNAL, "fork: %s", strerror(errno));
	}
	if (!helper_int(p->status_fd, START_MS, &rc)) {
		close(ls);
		return err_set(e, ERR_TIMEOUT, "exec: the runtime did not "
			       "start the process within %d s", START_MS / 1000);
	}
	if (rc != 0) {
		close(ls);
		return runtime_error(p, rc, e);
	}
	p->master = rt_console_recv(ls, e);
	close(ls);
	if (p->master < 0)
		return -1;
	proc_opened(p);
	p->io = (struct rt_proc_io){ o->in ? fcntl(p->master, F_DUPFD_CLOEXEC, 0)
					   : -1,
				     o->out ? fcntl(p->master, F_DUPFD_CLOEXEC, 0)
					    : -1,
				     -1 };
	return 0;
}

static struct rt_proc *proc_new(struct rt *r, const char *id)
{
	struct rt_proc *p = xcalloc(1, sizeof(*p));
	int n = __atomic_add_fetch(&exec_seq, 1, __ATOMIC_RELAXED);

	p->pidfd = p->status_fd = p->master = -1;
	p->io = (struct rt_proc_io){ -1, -1, -1 };
	p->code = -1;
	p->dir = rt_container_dir(r, id);
	p->pidfile = xasprintf("%s/exec-%d-%d.pid", p->dir, (int)getpid(), n);
	p->log = xasprintf("%s/exec-%d-%d.log", p->dir, (int)getpid(), n);
	p->sock = xasprintf("%s/exec-%d-%d.sock", p->dir, (int)getpid(), n);
	return p;
}

int rt_exec_start(struct rt *r, const char *id, char *const *argv,
		  const struct rt_exec_opts *o, struct rt_proc **out,
		  struct rt_proc_io *io, struct err *e)
{
	char *root = xasprintf("%s/runc", r->run_dir), **args = NULL;
	struct rt_proc *p = NULL;
	struct rt_status st;
	struct stat sb;
	int rc = -1;

	if (!argv || !argv[0]) {
		err_set(e, ERR_BAD_REQUEST, "you must specify at least one "
			"command for the container");
		goto out;
	}
	if (rt_container_status(r, id, &st, e) < 0)
		goto out;
	if (st.state != RT_RUNNING) {
		err_set(e, ERR_CONFLICT, "container %s is not running", id);
		goto out;
	}
	p = proc_new(r, id);
	args = args_new(r, p, root, o->tty, strrchr(p->sock, '/') + 1, id,
			argv);
	if ((o->tty ? tty_start(p, args, o, e) : plain_start(p, args, o, e)) < 0)
		goto out;
	if (p->io.in_fd >= 0 && fstat(p->io.in_fd, &sb) == 0) {
		p->in_dev = sb.st_dev;
		p->in_ino = sb.st_ino;
	}
	*io = p->io;
	*out = p;
	p = NULL;
	rc = 0;
out:
	rt_proc_free(p);
	free(args);
	free(root);
	return rc;
}

int rt_proc_resize(struct rt_proc *p, unsigned cols, unsigned rows)
{
	struct winsize ws = { .ws_row = (unsigned short)rows,
			      .ws_col = (unsigned short)cols };

	if (!p || p->master < 0)
		return -1;
	return ioctl(p->master, TIOCSWINSZ, &ws);
}

int rt_proc_wait(struct rt_proc *p, int *exit_code)
{
	int v;

	if (p->status_fd >= 0) {
		if (p->code < 0 && helper_int(p->status_fd, -1, &v))
			p->code = v;
		proc_reap(p, true);
	} else {
		proc_reap(p, true);
	}
	*exit_code = p->code;
	return p->code >= 0 ? 0 : -1;
}

/* in_fd unless the caller closed it already (and the number was reused). */
static void close_in(struct rt_proc *p)
{
	struct stat sb;

	if (p->io.in_fd >= 0 && fstat(p->io.in_fd, &sb) == 0 &&
	    sb.st_dev == p->in_dev && sb.st_ino == p->in_ino)
		close(p->io.in_fd);
}

static void proc_kill(struct rt_proc *p)
{
	if (p->pidfd >= 0)
		syscall(SYS_pidfd_send_signal, p->pidfd, SIGKILL, NULL, 0);
	else if (p->target > 0)
		kill(p->target, SIGKILL);
}

void rt_proc_free(struct rt_proc *p)
{
	if (!p)
		return;
	if (p->pid > 0 && !p->reaped) {
		proc_kill(p);
		/* the runtime too: it waits for output its orphans may hold */
		if (p->target <= 0 || p->status_fd < 0)
			kill(p->pid, SIGKILL);
		proc_reap(p, true);
	}
	close_in(p);
	if (p->io.out_fd >= 0)
		close(p->io.out_fd);
	if (p->io.err_fd >= 0)
		close(p->io.err_fd);
	if (p->master >= 0)
		close(p->master);
	if (p->status_fd >= 0)
		close(p->status_fd);
	if (p->pidfd >= 0)
		close(p->pidfd);
	unlink(p->pidfile);
	unlink(p->log);
	unlink(p->sock);
	free(p->pidfile);
	free(p->log);
	free(p->sock);
	free(p->dir);
	free(p);
}
