/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_runtime_exec: interactive processes, attach sessions and dialing
 * through runtime.h with real containers (needs root, $KDECK, busybox
 * and a working runc or crun; skipped with 77 otherwise).  One pod
 * sandbox named after this process; the end removes everything.
 */
#include "config.h"

#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cluster/node/layout.h"
#include "cluster/runtime/runtime.h"
#include "common/buf.h"
#include "common/file.h"
#include "common/mem.h"
#include "tests/tap.h"

static char *tmp, *run_dir, *rootfs, *log_dir, *pod_uid;
static struct rt *rt;

static const char *const applets[] = {
	"sh", "echo", "cat", "sleep", "tty", "stty", "kill", "ps", "nc",
	"true", "wc", "head", "ls", "pidof",
};

static int make_rootfs(void)
{
	static const char *const dirs[] = { "bin", "etc", "tmp", "proc",
					    "sys", "dev" };
	char *p;
	int rc;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		p = xasprintf("%s/%s", rootfs, dirs[i]);
		mkdir(p, 0755);
		free(p);
	}
	p = xasprintf("/bin/cp /bin/busybox %s/bin/busybox", rootfs);
	rc = system(p);
	free(p);
	for (size_t i = 0; i < sizeof(applets) / sizeof(*applets); i++) {
		p = xasprintf("%s/bin/%s", rootfs, applets[i]);
		rc |= symlink("busybox", p);
		free(p);
	}
	return rc;
}

/* Start container name running argv; returns its id (static). */
static const char *start(const char *name, char *const *argv, bool tty,
			 bool in, bool once)
{
	static char *env[] = { "PATH=/bin", "FOO=bar", NULL };
	static char *id;
	char *log = xasprintf("%s/%s/0.log", log_dir, name);
	struct rt_container_spec s;
	struct err e;

	free(id);
	id = layout_container_id(pod_uid, name, 0);
	s = (struct rt_container_spec){ .id = id, .pod_uid = pod_uid,
					.rootfs = rootfs, .argv = argv,
					.env = env, .log_path = log, .tty = tty,
					.stdin_open = in, .stdin_once = once };
	if (rt_container_start(rt, &s, &e) < 0)
		diag(e.msg);
	free(log);
	return id;
}

/* Everything from fd until EOF (or EIO: a terminal that went away). */
static char *slurp(int fd)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	ssize_t n;

	for (;;) {
		struct pollfd pf = { fd, POLLIN, 0 };

		if (poll(&pf, 1, 10000) <= 0)
			break;
		n = read(fd, chunk, sizeof(chunk));
		if (n <= 0)
			break;
		buf_add(&b, chunk, (size_t)n);
	}
	return buf_take(&b);
}

static void read_text(const char *path, struct buf *b)
{
	FILE *fp = fopen(path, "r");
	char chunk[4096];
	size_t n;

	while (fp && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	buf_cstr(b);
	if (fp)
		fclose(fp);
}

/* Read from fd until text appears (or 10 s). */
static bool expect(int fd, const char *text)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	bool found = false;

	for (int i = 0; i < 100 && !found; i++) {
		struct pollfd pf = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&pf, 1, 100) <= 0)
			continue;
		n = read(fd, chunk, sizeof(chunk));
		if (n <= 0)
			break;
		buf_add(&b, chunk, (size_t)n);
		found = strstr(buf_cstr(&b), text) != NULL;
	}
	if (!found)
		diag(buf_cstr(&b));
	buf_free(&b);
	return found;
}

static void put(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		diag("write failed");
}

/* Run argv (no tty) with the given stdin; output and exit code. */
static int run_plain(const char *id, char *const *argv, const char *input,
		     char **out, char **errout, int *code, struct err *e)
{
	struct rt_exec_opts o = { false, input != NULL, true, true };
	struct rt_proc *p;
	struct rt_proc_io io;

	if (rt_exec_start(rt, id, argv, &o, &p, &io, e) < 0)
		return -1;
	if (input) {
		put(io.in_fd, input);
		close(io.in_fd);
	}
	*out = slurp(io.out_fd);
	*errout = slurp(io.err_fd);
	rt_proc_wait(p, code);
	rt_proc_free(p);
	return 0;
}

static void test_exec_plain(const char *id)
{
	char *echo[] = { "echo", "hello", "$FOO", NULL };
	char *env[] = { "sh", "-c", "echo $FOO; echo oops >&2; exit 3", NULL };
	char *cat[] = { "cat", NULL };
	char *nope[] = { "nope", NULL };
	char *kill_self[] = { "sh", "-c", "kill -9 $$", NULL };
	char *out = NULL, *errout = NULL;
	struct err e;
	int code = -1;

	ok(run_plain(id, echo, NULL, &out, &errout, &code, &e) == 0 &&
		   !strcmp(out, "hello $FOO\n") && code == 0, "exec echo");
	free(out);
	free(errout);
	ok(run_plain(id, env, NULL, &out, &errout, &code, &e) == 0,
	   "exec sh");
	is_str(out, "bar\n", "the container's env, stdout alone");
	is_str(errout, "oops\n", "stderr apart");
	is_int(code, 3, "exit code");
	free(out);
	free(errout);
	ok(run_plain(id, cat, "one\ntwo\n", &out, &errout, &code, &e) == 0 &&
		   !strcmp(out, "one\ntwo\n") && code == 0, "stdin to cat, EOF");
	free(out);
	free(errout);
	ok(run_plain(id, kill_self, NULL, &out, &errout, &code, &e) == 0 &&
		   code == 137, "killed by a signal: 128+9");
	free(out);
	free(errout);
	ok(run_plain(id, nope, NULL, &out, &errout, &code, &e) < 0 &&
		   e.code == ERR_INTERNAL &&
		   strstr(e.msg, "OCI runtime exec failed") &&
		   strstr(e.msg, "\"nope\""), "missing executable: kubelet's words");
	diag(e.msg);
}

static void test_exec_tty(const char *id)
{
	char *sh[] = { "sh", NULL };
	struct rt_exec_opts o = { true, true, true, false };
	struct rt_proc *p;
	struct rt_proc_io io;
	struct err e;
	char *rest;
	int code = -1;

	if (rt_exec_start(rt, id, sh, &o, &p, &io, &e) < 0) {
		ok(0, "tty exec: %s", e.msg);
		return;
	}
	ok(io.err_fd < 0 && io.in_fd >= 0 && io.out_fd >= 0, "tty: one stream");
	put(io.in_fd, "tty\n");
	ok(expect(io.out_fd, "/dev/pts/"), "tty prints /dev/pts/N");
	ok(rt_proc_resize(p, 123, 45) == 0, "resize");
	put(io.in_fd, "stty size\n");
	ok(expect(io.out_fd, "45 123"), "stty size after the resize");
	put(io.in_fd, "exit 7\n");
	rest = slurp(io.out_fd);
	free(rest);
	ok(rt_proc_wait(p, &code) == 0 && code == 7, "tty exit code");
	rt_proc_free(p);
}

/* Is a process with this command line running in the container? */
static bool running(const char *id, const char *what)
{
	char *ps[] = { "ps", "-o", "args", NULL }, *out = NULL, *errout = NULL;
	struct err e;
	int code;
	bool yes;

	if (run_plain(id, ps, NULL, &out, &errout, &code, &e) < 0)
		return false;
	yes = strstr(out, what) != NULL;
	free(out);
	free(errout);
	return yes;
}

static void test_exec_kill(const char *id)
{
	char *sl[] = { "sleep", "4242", NULL };
	struct rt_exec_opts plain = { false, true, true, true };
	struct rt_exec_opts tty = { true, true, true, false };
	struct rt_proc *p;
	struct rt_proc_io io;
	struct err e;

	ok(rt_exec_start(rt, id, sl, &plain, &p, &io, &e) == 0 &&
		   running(id, "sleep 4242"), "a long exec runs");
	close(io.in_fd);	/* the caller may close stdin itself */
	rt_proc_free(p);
	ok(!running(id, "sleep 4242"), "close kills it");
	ok(rt_exec_start(rt, id, sl, &tty, &p, &io, &e) == 0 &&
		   running(id, "sleep 4242"), "a long tty exec runs");
	rt_proc_free(p);
	usleep(100000);
	ok(!running(id, "sleep 4242"), "close kills it (tty)");
	rt_proc_free(NULL);
}

static void test_exec_errors(void)
{
	char *echo[] = { "echo", NULL };
	struct rt_exec_opts o = { false, false, true, false };
	struct rt_proc *p;
	struct rt_proc_io io;
	struct err e;

	ok(rt_exec_start(rt, "nosuch_c_0", echo, &o, &p, &io, &e) < 0 &&
		   e.code == ERR_NOT_FOUND, "no such container");
	ok(rt_exec_start(rt, "nosuch_c_0", (char *[]){ NULL }, &o, &p, &io,
			 &e) < 0 && e.code == ERR_BAD_REQUEST, "no command");
}

/* hostNetwork: the host's localhost. */
static void test_dial_host(void)
{
	struct rt_sandbox_spec sb = { .uid = "rtxhost", .hostname = "h",
				      .host_network = true };
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int ls = socket(AF_INET, SOCK_STREAM, 0), fd = -1, c;
	char *netns = NULL;
	struct err e;

	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(ls, 1) < 0 || getsockname(ls, (struct sockaddr *)&a, &len) < 0 ||
	    rt_sandbox_create(rt, &sb, &netns, &e) < 0) {
		ok(0, "host sandbox");
		return;
	}
	ok(!netns && rt_dial(rt, "rtxhost", ntohs(a.sin_port), &fd, &e) == 0,
	   "dial: hostNetwork pod reaches the host's localhost");
	c = accept(ls, NULL, NULL);
	ok(c >= 0 && write(fd, "x", 1) == 1, "connected");
	if (c >= 0)
		close(c);
	if (fd >= 0)
		close(fd);
	close(ls);
	rt_sandbox_remove(rt, "rtxhost", NULL);
}

static void test_dial(const char *id)
{
	char *srv[] = { "sh", "-c", "echo pong | nc -l -p 7070", NULL };
	struct rt_exec_opts o = { false, false, true, false };
	struct rt_proc *p = NULL;
	struct rt_proc_io io;
	struct err e;
	char *got = NULL;
	int fd = -1;

	ok(rt_dial(rt, pod_uid, 7071, &fd, &e) < 0 &&
		   strstr(e.msg, "failed to connect to localhost:7071 inside "
				 "namespace") &&
		   strstr(e.msg, "connection refused"), "dial: refused");
	diag(e.msg);
	if (rt_exec_start(rt, id, srv, &o, &p, &io, &e) < 0) {
		ok(0, "nc server: %s", e.msg);
		return;
	}
	for (int i = 0; i < 100 && rt_dial(rt, pod_uid, 7070, &fd, &e) < 0; i++)
		usleep(50000);
	if (fd >= 0)
		got = slurp(fd);
	is_str(got, "pong\n", "dial: localhost of the pod");
	free(got);
	if (fd >= 0)
		close(fd);
	ok(rt_dial(rt, "nosuchpod", 80, &fd, &e) < 0 && e.code == ERR_NOT_FOUND,
	   "dial: no sandbox");
	test_dial_host();
	rt_proc_free(p);
}

static void lo_up(const char *netns)
{
	char *cmd = xasprintf("nsenter --net=%s ip link set lo up", netns);

	if (system(cmd) != 0)
		diag("cannot bring lo up in the sandbox");
	free(cmd);
}

static void stamp(const char *what)
{
	static struct timespec t0;
	struct timespec t;
	char line[128];

	clock_gettime(CLOCK_MONOTONIC, &t);
	if (t0.tv_sec) {
		snprintf(line, sizeof(line), "%s: %.2f s", what,
			 (double)(t.tv_sec - t0.tv_sec) +
				 (t.tv_nsec - t0.tv_nsec) / 1e9);
		diag(line);
	}
	t0 = t;
}

static struct rt_attach *attach(const char *id, bool tty, bool in,
				 struct rt_proc_io *io)
{
	struct rt_attach_opts o = { tty, in, true, !tty };
	struct rt_attach *a = NULL;
	struct err e;

	if (rt_attach_open(rt, id, &o, &a, io, &e) < 0)
		diag(e.msg);
	return a;
}

static void test_attach_stdin(void)
{
	char *cat[] = { "sh", "-c", "cat; echo bye >&2; sleep 600", NULL };
	char *id = xstrdup(start("cat", cat, false, true, false)), *log;
	struct rt_proc_io io;
	struct rt_attach *a = attach(id, false, true, &io);
	struct buf b = BUF_INIT;

	ok(a && io.in_fd >= 0 && io.out_fd >= 0 && io.err_fd >= 0,
	   "attach: stdin, stdout, stderr");
	put(io.in_fd, "hello\n");
	ok(expect(io.out_fd, "hello"), "attach: stdin reaches cat, output back");
	close(io.in_fd);
	rt_attach_free(a);
	a = attach(id, false, true, &io);
	ok(a && io.in_fd >= 0, "attach again: stdin still open (no stdinOnce)");
	put(io.in_fd, "again\n");
	ok(a && expect(io.out_fd, "again"), "second client's input");
	if (a) {
		close(io.in_fd);
		rt_attach_free(a);
	}
	log = xasprintf("%s/cat/0.log", log_dir);
	usleep(200000);
	read_text(log, &b);
	ok(strstr(buf_cstr(&b), "stdout F hello") &&
		   strstr(buf_cstr(&b), "stdout F again"), "the CRI log still written");
	buf_free(&b);
	free(log);
	free(id);
}

static void test_attach_once(void)
{
	char *sh[] = { "sh", "-c", "cat; echo done; exit 5", NULL };
	const char *id = start("once", sh, false, true, true);
	struct rt_proc_io io;
	struct rt_attach *a = attach(id, false, true, &io);
	int code = -1;
	char *rest;

	if (!a) {
		ok(0, "attach (stdinOnce)");
		return;
	}
	put(io.in_fd, "x\n");
	ok(expect(io.out_fd, "x"), "stdinOnce: input");
	close(io.in_fd);
	rest = slurp(io.out_fd);
	ok(strstr(rest, "done") != NULL, "the client's EOF closed the stdin");
	free(rest);
	ok(rt_attach_wait(a, &code) == 0 && code == 5, "wait: exit code");
	rt_attach_free(a);
}

static void test_attach_tty(void)
{
	char *sh[] = { "sh", NULL };
	const char *id = start("tty", sh, true, true, true);
	struct rt_proc_io io;
	struct rt_attach *a = attach(id, true, true, &io);
	int code = -1;

	if (!a) {
		ok(0, "attach (tty)");
		return;
	}
	ok(io.err_fd < 0 && io.in_fd >= 0, "tty attach: stdin, one output");
	put(io.in_fd, "tty\n");
	ok(expect(io.out_fd, "/dev/pts/0"), "the container's own terminal");
	ok(rt_attach_resize(a, 100, 33) == 0, "resize");
	put(io.in_fd, "stty size\n");
	ok(expect(io.out_fd, "33 100"), "stty size after the resize");
	put(io.in_fd, "exit 4\n");
	free(slurp(io.out_fd));
	ok(rt_attach_wait(a, &code) == 0 && code == 4, "tty: exit code");
	rt_attach_free(a);
}

/* stdinOnce on a terminal: the client's EOF is a ^D for the reader. */
static void test_attach_tty_once(void)
{
	char *sh[] = { "sh", "-c", "cat; echo cat-ended", NULL };
	const char *id = start("ttyonce", sh, true, true, true);
	struct rt_proc_io io, io2;
	struct rt_attach *a = attach(id, true, true, &io), *b;
	int code = -1;

	if (!a) {
		ok(0, "attach (tty, stdinOnce)");
		return;
	}
	b = attach(id, true, false, &io2);
	put(io.in_fd, "abc\n");
	ok(expect(io.out_fd, "abc"), "tty: input echoed");
	ok(b && expect(io2.out_fd, "abc"), "a second client sees it too");
	close(io.in_fd);
	ok(expect(io.out_fd, "cat-ended"), "the first client's EOF: ^D ends cat");
	ok(rt_attach_wait(a, &code) == 0 && code == 0, "exit code 0");
	rt_attach_free(a);
	rt_attach_free(b);
}

static void test_attach_output(void)
{
	char *tick[] = { "sh", "-c", "while true; do echo tick; sleep 0.1; "
			 "done", NULL };
	const char *id = start("tick", tick, false, false, false);
	struct rt_attach_opts o = { false, true, true, false };
	struct rt_proc_io io;
	struct rt_attach *a = attach(id, false, true, &io);
	struct err e;

	ok(a && io.in_fd < 0 && io.err_fd >= 0, "no stdin: in_fd -1");
	ok(a && expect(io.out_fd, "tick"), "output from now on");
	rt_attach_free(a);
	ok(rt_attach_open(rt, "nosuch_c_0", &o, &a, &io, &e) < 0 &&
		   e.code == ERR_NOT_FOUND, "attach: no such container");
}

static void cleanup(void)
{
	char **ids = NULL, *cmd;
	size_t n = 0;

	if (rt && rt_container_list(rt, &ids, &n, NULL) == 0) {
		for (size_t i = 0; i < n; i++) {
			rt_container_remove(rt, ids[i], NULL);
			free(ids[i]);
		}
		free(ids);
	}
	if (rt)
		rt_sandbox_remove(rt, pod_uid, NULL);
	rt_free(rt);
	rt = NULL;
	cmd = xasprintf("grep -o ' %s[^ ]*' /proc/self/mountinfo | sort -r | "
			"xargs -r -n1 umount -l 2>/dev/null; rm -rf %s", tmp, tmp);
	if (system(cmd) != 0)
		diag("cleanup failed");
	free(cmd);
}

static void on_signal(int sig)
{
	cleanup();
	_exit(128 + sig);
}

int main(void)
{
	/* KDECK_TEST_RUNTIME=/usr/bin/crun: the other runtime */
	struct rt_config cfg = { NULL, getenv("KDECK_TEST_RUNTIME"),
				 getenv("KDECK"), false };
	struct rt_sandbox_spec sb = { 0 };
	char tmpl[] = "/tmp/kdeck-rtx-XXXXXX", *netns = NULL;
	char *idle[] = { "sleep", "3600", NULL };
	const char *id;
	struct err e;
	int rc;

	if (geteuid() != 0 || !cfg.self_exe || access("/bin/busybox", X_OK) < 0) {
		printf("1..0 # SKIP needs root, $KDECK and /bin/busybox\n");
		return 77;
	}
	tmp = xstrdup(mkdtemp(tmpl));
	run_dir = xasprintf("%s/run", tmp);
	rootfs = xasprintf("%s/rootfs", tmp);
	log_dir = xasprintf("%s/logs", tmp);
	pod_uid = xasprintf("rtx%d", (int)getpid());
	mkdir(rootfs, 0755);
	cfg.run_dir = run_dir;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGALRM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	alarm(100);
	if (make_rootfs() != 0 || rt_open(&cfg, &rt, &e) < 0) {
		printf("1..0 # SKIP no container runtime works here: %s\n", e.msg);
		cleanup();
		return 77;
	}
	diag(rt_describe(rt));
	sb.uid = pod_uid;
	sb.hostname = "rtx";
	ok(rt_sandbox_create(rt, &sb, &netns, &e) == 0 && netns, "sandbox");
	lo_up(netns);	/* the pod network's job, absent here */
	free(netns);
	stamp("open");
	id = start("idle", idle, false, false, false);
	stamp("start");
	test_exec_plain(id);
	stamp("test_exec_plain");
	test_exec_tty(id);
	stamp("test_exec_tty");
	test_exec_kill(id);
	stamp("test_exec_kill");
	test_exec_errors();
	test_dial(id);
	stamp("test_dial");
	test_attach_stdin();
	test_attach_once();
	test_attach_tty();
	test_attach_tty_once();
	test_attach_output();
	stamp("test_attach");
	cleanup();
	stamp("cleanup");
	rc = tap_done();
	free(tmp);
	free(run_dir);
	free(rootfs);
	free(log_dir);
	free(pod_uid);
	return rc;
}
