/* SPDX-License-Identifier: Apache-2.0 */
/*
 * shim: `kdeck shim RUN_DIR ID`, one per container, in its own session
 * (rt_container_start double-forks it) so the daemon can restart without
 * taking containers down.  It reads containers/ID/shim.json, then:
 *
 *   1. `RUNTIME --root R --log runc.log --log-format json create --bundle
 *      B --pid-file P ID` with stdin /dev/null and stdout/stderr pipes:
 *      runc passes them straight to the container process;
 *   2. `RUNTIME start ID`; status "running"; one byte on fd 3 tells
 *      rt_container_start the outcome is in the status file;
 *   3. copies the pipes into the CRI log (crilog.c) and, being a child
 *      subreaper, reaps the container's init when it exits (128+signal
 *      when killed), reads the cgroup's OOM kill counter, deletes the
 *      runtime's container (and so its cgroup), writes the final status and
 *      touches exits/ID (rt_events_fd).
 *
 * Containers with tty: true get process.terminal: create then takes
 * --console-socket console.sock and the shim holds the terminal's master
 * (its output is the stdout stream); stdin: true without tty gives the
 * container a pipe as stdin whose write end the shim holds.  Either way
 * the shim serves containers/ID/attach.sock (shim_attach.c) for
 * rt_attach_open, every container included.
 *
 * A runtime failure (executable not found, ...) ends as status "exited",
 * exit code 128 and the runtime's message in the words kubelet shows.
 * The shim's own diagnostics go to containers/ID/shim.log.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cluster/runtime/rt_int.h"
#include "common/file.h"
#include "common/json.h"
#include "common/mem.h"

#define DRAIN_AFTER_EXIT_MS 2000
#define SHIM_CONSOLE "console.sock"	/* in the container dir */

struct shim {
	char *run_dir, *id, *dir;
	cJSON *cfg;
	const char *runtime, *root, *cgroup;
	int cgroup_version;
	struct rt_status st;
	int pipes[2][2];	/* stdout, stderr: read, write */
	struct rt_crilog *log;
	bool tty, stdin_open, stdin_once;
	int in[2];		/* the container's stdin pipe (no tty) */
	int console;		/* tty: --console-socket listener */
	int master;		/* tty: the terminal */
	struct rt_shim_att *att;	/* attach.sock (shim_attach.c) */
};

static int shim_load(struct shim *s, struct err *e)
{
	char *path = xasprintf("%s/shim.json", s->dir);
	struct buf b = BUF_INIT;
	int64_t max = 0, files = 0, cgv = 1;
	const char *log;
	int rc = -1;

	if (rt_read_file(path, 1 << 20, &b) < 0) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	s->cfg = json_parse(buf_cstr(&b), b.len, e);
	s->runtime = json_get_str(s->cfg, "runtime");
	s->root = json_get_str(s->cfg, "root");
	s->cgroup = json_get_str(s->cfg, "cgroup");
	log = json_get_str(s->cfg, "log");
	json_get_int(s->cfg, "logMax", &max);
	json_get_int(s->cfg, "logFiles", &files);
	json_get_int(s->cfg, "cgroupVersion", &cgv);
	s->cgroup_version = (int)cgv;
	s->tty = json_get_bool(s->cfg, "tty", false);
	s->stdin_open = json_get_bool(s->cfg, "stdin", false);
	s->stdin_once = json_get_bool(s->cfg, "stdinOnce", false);
	if (!s->cfg || !s->runtime || !s->root || !log) {
		err_set(e, ERR_PARSE, "%s: incomplete", path);
		goto out;
	}
	s->log = rt_crilog_open(log, max, (int)files, e);
	rc = s->log ? 0 : -1;
out:
	buf_free(&b);
	free(path);
	return rc;
}

static void shim_write_status(struct shim *s)
{
	char *path = xasprintf("%s/status", s->dir);
	struct err e;

	if (rt_status_write(path, &s->st, getpid(), &e) < 0)
		fprintf(stderr, "shim %s: %s\n", s->id, e.msg);
	free(path);
}

static void shim_notify(struct shim *s)
{
	char *path = xasprintf("%s/exits/%s", s->run_dir, s->id);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd >= 0)
		close(fd);
	free(path);
}

/* Record a start failure: exit code 128 and kubelet's wording. */
static void shim_fail(struct shim *s, const char *phase, const char *msg)
{
	char *m = xstrdup(msg);
	size_t n = strlen(m);

	while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
		m[--n] = '\0';
	s->st.state = RT_EXITED;
	s->st.exit_code = 128;
	s->st.finished_ns = rt_now_ns();
	snprintf(s->st.message, sizeof(s->st.message),
		 "failed to %s containerd task: failed to %s shim task: "
		 "OCI runtime %s failed: %s: unknown", phase, phase, phase, m);
	free(m);
	shim_write_status(s);
}

/* `RUNTIME create`, its stdout/stderr being the container's pipes. */
static int shim_create(struct shim *s)
{
	char *runlog = xasprintf("%s/runc.log", s->dir);
	char *pidfile = xasprintf("%s/pid", s->dir);
	char *argv[] = { (char *)s->runtime, "--root", (char *)s->root, "--log",
			 runlog, "--log-format", "json", "create", "--bundle",
			 s->dir, "--pid-file", pidfile, s->id, NULL, NULL, NULL };
	struct buf b = BUF_INIT;
	int status = 0, rc = -1;
	pid_t pid;

	if (s->tty) {	/* before the id: options come first */
		argv[14] = argv[12];
		argv[12] = "--console-socket";
		argv[13] = SHIM_CONSOLE;
	}
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(s->in[0] >= 0 ? s->in[0] : null, 0);
		dup2(s->pipes[0][1], 1);
		dup2(s->pipes[1][1], 2);
		rt_child_reset(2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char *msg = rt_runtime_log_error(runlog);

		shim_fail(s, "create", msg ? msg : "the runtime failed");
		free(msg);
	} else if (s->tty && (s->master = rt_console_recv(s->console,
							     NULL)) < 0) {
		shim_fail(s, "create", "no terminal from the runtime");
	} else if (rt_read_file(pidfile, 64, &b) == 0) {
		s->st.pid = (pid_t)atoi(buf_cstr(&b));
		s->st.state = RT_CREATED;
		shim_write_status(s);
		rc = 0;
	}
	buf_free(&b);
	free(runlog);
	free(pidfile);
	return rc;
}

static int shim_start(struct shim *s)
{
	char *argv[] = { (char *)s->runtime, "--root", (char *)s->root, "start",
			 s->id, NULL };
	struct rt_cmd c = { argv, 60000, 4096, NULL };
	struct buf out = BUF_INIT;
	struct err e;
	int code = 0;

	if (rt_run(&c, &out, &code, &e) < 0 || code != 0) {
		kill(s->st.pid, SIGKILL);
		shim_fail(s, "start", out.len ? buf_cstr(&out) : e.msg);
		buf_free(&out);
		return -1;
	}
	buf_free(&out);
	s->st.state = RT_RUNNING;
	s->st.started_ns = rt_now_ns();
	shim_write_status(s);
	return 0;
}

/* The cgroup's OOM kill counter (v1 memory.oom_control, v2 memory.events). */
static bool shim_oom(const struct shim *s)
{
	char *path = s->cgroup_version == 2 ?
		xasprintf("%s%s/memory.events", RT_CGROUP_ROOT, s->cgroup) :
		xasprintf("%s/memory%s/memory.oom_control", RT_CGROUP_ROOT,
			  s->cgroup);
	struct buf b = BUF_INIT;
	const char *p;
	bool oom = false;

	if (s->cgroup && rt_read_file(path, 8192, &b) == 0 &&
	    (p = strstr(buf_cstr(&b), "oom_kill ")))
		oom = atoll(p + 9) > 0;
	buf_free(&b);
	free(path);
	return oom;
}

static void shim_reap(struct shim *s, bool *exited)
{
	int status;
	pid_t p;

	while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
		if (p != s->st.pid)
			continue;
		*exited = true;
		s->st.finished_ns = rt_now_ns();
		s->st.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) :
				  WIFSIGNALED(status) ? 128 + WTERMSIG(status) :
							255;
	}
}

static int64_t now_ms(void)
{
	return rt_now_ns() / 1000000;
}

/* Read stream i (0 stdout or the terminal, 1 stderr); false at its end. */
static bool shim_copy(struct shim *s, int fd, int i)
{
	static char chunk[64 * 1024];	/* a pipe's worth; one thread */
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n > 0) {
		rt_crilog_feed(s->log, i, chunk, (size_t)n);
		rt_shim_att_output(s->att, i, chunk, (size_t)n);
		return true;
	}
	/* a terminal whose processes are gone reads EIO */
	return n < 0 && (errno == EINTR || errno == EAGAIN);
}

/*
 * Copy output until the container exited and its output ended.  While
 * an attach client is behind no output is read (the container's writes
 * block); after the exit the drain waits for such a client too.
 */
static void shim_loop(struct shim *s, int sfd)
{
	bool exited = false, open_[2] = { true, true };
	int out[2] = { s->tty ? s->master : s->pipes[0][0], s->pipes[1][0] };
	int64_t deadline = 0;

	while (!exited || open_[0] || open_[1]) {
		int behind = rt_shim_att_behind(s->att);
		bool rd = behind < 0;
		struct pollfd pf[3 + RT_SHIM_ATT_POLLFDS] = {
			{ rd && open_[0] ? out[0] : -1, POLLIN, 0 },
			{ rd && open_[1] ? out[1] : -1, POLLIN, 0 },
			{ sfd, POLLIN, 0 },
		};
		size_t na = rt_shim_att_pollfds(s->att, pf + 3, RT_SHIM_ATT_POLLFDS);
		int wait = exited ? (int)(deadline - now_ms()) : 1000;

		if (exited && !rd)
			deadline = now_ms() + DRAIN_AFTER_EXIT_MS;
		if (exited && wait <= 0 && rd)
			break;
		if (!rd && (wait <= 0 || behind < wait))
			wait = behind;
		if (poll(pf, 3 + na, wait) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++)
			if ((pf[i].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    !shim_copy(s, pf[i].fd, i))
				open_[i] = false;
		if (pf[2].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) > 0)
				;
		}
		rt_shim_att_handle(s->att, pf + 3, na);
		if (!exited) {
			shim_reap(s, &exited);
			deadline = now_ms() + DRAIN_AFTER_EXIT_MS;
		}
	}
}

static void shim_delete(const struct shim *s)
{
	char *argv[] = { (char *)s->runtime, "--root", (char *)s->root,
			 "delete", "--force", s->id, NULL };
	struct rt_cmd c = { argv, 30000, 0, NULL };
	int code;

	rt_run(&c, NULL, &code, NULL);
}

static void shim_sync(int fd)
{
	char c = 1;

	if (write(fd, &c, 1) < 0)
		perror("shim: sync");
	close(fd);
}

static int shim_setup(struct shim *s, int *sfd)
{
	char *logp = xasprintf("%s/shim.log", s->dir);
	int fd = open(logp, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	sigset_t set;

	free(logp);
	if (fd >= 0) {
		dup2(fd, 2);
		close(fd);
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if (chdir(s->dir) < 0 || prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		return -1;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	*sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	for (int i = 0; i < 2; i++)
		if (pipe2(s->pipes[i], O_CLOEXEC) < 0)
			return -1;
	return *sfd < 0 ? -1 : 0;
}

/* After shim_load: the stdin pipe or the console socket. */
static int shim_setup_stdin(struct shim *s)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	if (s->stdin_open && !s->tty && pipe2(s->in, O_CLOEXEC) < 0)
		return -1;
	if (!s->tty)
		return 0;
	memcpy(a.sun_path, SHIM_CONSOLE, sizeof(SHIM_CONSOLE));
	unlink(SHIM_CONSOLE);
	s->console = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    0);
	if (s->console < 0 ||
	    bind(s->console, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(s->console, 1) < 0)
		return -1;
	return 0;
}

/* The container runs: its stdin and terminal go to the attach socket. */
static void shim_attach_start(struct shim *s)
{
	int in = s->tty ? (s->stdin_open ? s->master : -1) : s->in[1];

	if (s->in[0] >= 0) {
		close(s->in[0]);
		s->in[0] = -1;
	}
	if (s->console >= 0) {
		close(s->console);
		s->console = -1;
		unlink(SHIM_CONSOLE);
	}
	s->att = rt_shim_att_new(in, s->master, s->stdin_once);
	s->in[1] = -1;	/* the attach side owns it now */
}

static void shim_done(struct shim *s, int sfd)
{
	for (int i = 0; i < 2; i++)
		for (int k = 0; k < 2; k++) {
			if (s->pipes[i][k] >= 0)
				close(s->pipes[i][k]);
			if (s->in[k] >= 0 && i == 0)
				close(s->in[k]);
		}
	rt_shim_att_free(s->att);
	if (s->master >= 0)
		close(s->master);
	if (s->console >= 0) {
		close(s->console);
		unlink(SHIM_CONSOLE);
	}
	if (sfd >= 0)
		close(sfd);
	rt_crilog_close(s->log);
	cJSON_Delete(s->cfg);
	free(s->dir);
}

int rt_shim_main(int argc, char **argv)
{
	struct shim s = { .pipes = { { -1, -1 }, { -1, -1 } },
			  .in = { -1, -1 }, .console = -1, .master = -1 };
	struct err e;
	int sfd = -1, sync_fd = 3;

	if (argc != 3 || !rt_valid_id(argv[2])) {
		fprintf(stderr, "kdeck shim: internal command, started by the "
				"node agent\n");
		return 2;
	}
	s.run_dir = argv[1];
	s.id = argv[2];
	s.dir = xasprintf("%s/containers/%s", s.run_dir, s.id);
	s.st.created_ns = rt_now_ns();
	if (shim_setup(&s, &sfd) < 0 || shim_load(&s, &e) < 0 ||
	    shim_setup_stdin(&s) < 0) {
		shim_fail(&s, "create", "kdeck shim: cannot set up");
		shim_sync(sync_fd);
		shim_notify(&s);
		shim_done(&s, sfd);
		return 1;
	}
	if (shim_create(&s) < 0 || shim_start(&s) < 0) {
		shim_sync(sync_fd);
		shim_delete(&s);
		shim_notify(&s);
		shim_done(&s, sfd);
		return 0;
	}
	shim_attach_start(&s);
	shim_sync(sync_fd);
	for (int i = 0; i < 2; i++) {
		close(s.pipes[i][1]);
		s.pipes[i][1] = -1;
	}
	shim_loop(&s, sfd);
	s.st.oom_killed = shim_oom(&s);
	shim_delete(&s);
	s.st.state = RT_EXITED;
	shim_write_status(&s);
	shim_notify(&s);
	shim_done(&s, sfd);
	return 0;
}
