/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_runtime: real containers through runtime.h (needs root and a
 * working runc or crun; skipped otherwise).  The root file system is
 * busybox with applet links, built in a temporary directory; every
 * container runs in one pod sandbox named after this process.  Whatever
 * happens, the end removes the containers, the sandbox, mounts and files.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	"sh", "echo", "id", "env", "pwd", "sleep", "cat", "hostname", "nc",
	"netstat", "dd", "chown", "touch", "ls", "true", "seq", "grep", "wc",
};

static void put(const char *path, const char *text)
{
	file_write_atomic(path, text, strlen(text), 0644, NULL);
}

static int make_rootfs(void)
{
	static const char *const dirs[] = { "bin", "etc", "tmp", "proc", "sys",
					    "dev", "data" };
	char *p;
	int rc = 0;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		p = xasprintf("%s/%s", rootfs, dirs[i]);
		mkdir(p, !strcmp(dirs[i], "tmp") ? 01777 : 0755);
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
	p = xasprintf("%s/etc/passwd", rootfs);
	put(p, "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/:/bin/sh\n");
	free(p);
	p = xasprintf("%s/etc/group", rootfs);
	put(p, "root:x:0:\napp:x:1000:\n");
	free(p);
	return rc;
}

static int read_text(const char *path, struct buf *b)
{
	FILE *fp = fopen(path, "r");
	char chunk[4096];
	size_t n;

	if (!fp)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	buf_cstr(b);
	fclose(fp);
	return 0;
}

/* A spec with defaults; strings it points to live until the next call. */
static void spec(struct rt_container_spec *s, const char *name,
		 char *const *argv)
{
	static char *env[] = { "PATH=/bin", "FOO=bar", NULL };
	static char *id, *log;

	free(id);
	free(log);
	id = layout_container_id(pod_uid, name, 0);
	log = xasprintf("%s/%s/0.log", log_dir, name);
	*s = (struct rt_container_spec){ .id = id, .pod_uid = pod_uid,
					 .rootfs = rootfs, .argv = argv,
					 .env = env, .log_path = log };
}

static char *cid(const char *name)
{
	static char *id;

	free(id);
	id = layout_container_id(pod_uid, name, 0);
	return id;
}

static char *log_of(const char *name)
{
	struct buf b = BUF_INIT;
	char *p = xasprintf("%s/%s/0.log", log_dir, name);

	read_text(p, &b);
	free(p);
	return buf_take(&b);
}

static struct rt_status wait_exit(const char *name, int seconds)
{
	struct rt_status st = { 0 };
	struct err e;

	for (int i = 0; i < seconds * 50; i++) {
		if (rt_container_status(rt, cid(name), &st, &e) < 0 ||
		    st.state == RT_EXITED)
			break;
		usleep(20000);
	}
	return st;
}

/* Start, wait for the exit, return the status; log text into *log. */
static struct rt_status run(struct rt_container_spec *s, const char *name,
			    char **log)
{
	struct rt_status st = { .exit_code = -1 };
	struct err e;

	if (rt_container_start(rt, s, &e) < 0) {
		diag(e.msg);
		*log = xstrdup("");
		return st;
	}
	st = wait_exit(name, 20);
	*log = log_of(name);
	return st;
}

static void test_basics(void)
{
	char *argv[] = { "sh", "-c", "echo out; echo err >&2; exit 3", NULL };
	struct rt_container_spec s;
	struct rt_status st;
	struct pollfd pf = { rt_events_fd(rt), POLLIN, 0 };
	struct err e;
	char *log;

	rt_events_drain(rt);
	spec(&s, "basic", argv);
	ok(rt_container_start(rt, &s, &e) == 0, "start");
	ok(rt_container_status(rt, cid("basic"), &st, &e) == 0 &&
	   st.created_ns > 0 && st.started_ns >= st.created_ns, "created/started times");
	st = wait_exit("basic", 20);
	is_int(st.exit_code, 3, "exit code of sh -c 'exit 3'");
	ok(st.finished_ns >= st.started_ns && !st.oom_killed, "finished, no oom");
	log = log_of("basic");
	ok(strstr(log, "Z stdout F out\n") && strstr(log, "Z stderr F err\n"),
	   "CRI log lines with stream tags");
	ok(strlen(log) > 31 && log[10] == 'T' && log[29] == 'Z', "CRI timestamp");
	free(log);
	ok(poll(&pf, 1, 5000) == 1, "rt_events_fd readable after an exit");
	rt_events_drain(rt);
	ok(rt_container_start(rt, &s, &e) < 0 && e.code == ERR_ALREADY_EXISTS,
	   "same id twice: AlreadyExists");
}

static void test_not_found(void)
{
	char *argv[] = { "nope", NULL };
	struct rt_container_spec s;
	struct rt_status st;
	struct err e;

	spec(&s, "nope", argv);
	ok(rt_container_start(rt, &s, &e) < 0, "missing executable fails start");
	ok(strstr(e.msg, "exec: \"nope\": executable file not found in $PATH") &&
	   strstr(e.msg, "OCI runtime create failed"), "runtime's message: %s",
	   e.msg);
	ok(rt_container_status(rt, cid("nope"), &st, &e) == 0 &&
	   st.state == RT_EXITED && st.exit_code == 128 &&
	   strstr(st.message, "executable file not found"),
	   "status: exited 128 with the message");
}

static void test_identity(void)
{
	char *argv[] = { "sh", "-c", "id; env; pwd; echo bye > /dev/termination-log",
			 NULL };
	static const gid_t groups[] = { 2000 };
	char *term = xasprintf("%s/term", tmp);
	struct rt_container_spec s;
	struct rt_status st;
	struct buf b = BUF_INIT;
	char *log;

	spec(&s, "ident", argv);
	s.uid = 1000;
	s.gid = 1000;
	s.groups = groups;
	s.ngroups = 1;
	s.cwd = "/tmp";
	s.termination_log = term;
	s.termination_path = "/dev/termination-log";
	st = run(&s, "ident", &log);
	is_int(st.exit_code, 0, "id/env/pwd run");
	ok(strstr(log, "uid=1000") && strstr(log, "gid=1000") &&
	   strstr(log, "2000"), "uid, gid and groups");
	ok(strstr(log, "F FOO=bar\n") != NULL, "env");
	ok(strstr(log, "F /tmp\n") != NULL, "working directory");
	ok(read_text(term, &b) == 0 && !strcmp(buf_cstr(&b), "bye\n"),
	   "termination message written by a non-root user");
	buf_free(&b);
	free(term);
	free(log);
}

static void test_filesystems(void)
{
	char *ro_argv[] = { "sh", "-c", "touch /x", NULL };
	char *mnt_argv[] = { "sh", "-c", "echo a > /scratch/f && cat /scratch/f "
			     "&& cat /ro/in && ! touch /ro/x && echo w > /rw/out",
			     NULL };
	char *rodir = xasprintf("%s/ro", tmp), *rwdir = xasprintf("%s/rw", tmp);
	char *in = xasprintf("%s/in", rodir), *out = xasprintf("%s/out", rwdir);
	struct rt_mount m[] = {
		{ "/scratch", "tmpfs", "tmpfs", false, 1 << 20 },
		{ "/ro", rodir, "bind", true, 0 },
		{ "/rw", rwdir, "bind", false, 0 },
	};
	struct rt_container_spec s;
	struct rt_status st;
	struct buf b = BUF_INIT;
	char *log;

	mkdir(rodir, 0755);
	mkdir(rwdir, 0755);
	put(in, "hello-ro\n");
	spec(&s, "rofs", ro_argv);
	s.read_only_root = true;
	st = run(&s, "rofs", &log);
	ok(st.exit_code != 0 && strstr(log, "Read-only file system"),
	   "read-only root refuses writes");
	free(log);
	spec(&s, "mounts", mnt_argv);
	s.mounts = m;
	s.nmounts = 3;
	st = run(&s, "mounts", &log);
	is_int(st.exit_code, 0, "tmpfs, ro and rw bind mounts");
	ok(strstr(log, "F hello-ro\n") != NULL, "ro bind mount readable");
	ok(read_text(out, &b) == 0 && !strcmp(buf_cstr(&b), "w\n"),
	   "rw bind mount written through");
	buf_free(&b);
	free(log);
	free(rodir);
	free(rwdir);
	free(in);
	free(out);
}

static void test_caps_and_oom(void)
{
	char *chown_argv[] = { "sh", "-c", "chown 1 /tmp", NULL };
	char *dd_argv[] = { "sh", "-c", "dd if=/dev/zero of=/dev/null bs=64M count=1",
			    NULL };
	static char *all[] = { "ALL", NULL };
	struct rt_container_spec s;
	struct rt_status st;
	char *log;

	spec(&s, "chown", chown_argv);
	st = run(&s, "chown", &log);
	is_int(st.exit_code, 0, "chown works with the default capabilities");
	free(log);
	spec(&s, "nochown", chown_argv);
	s.cap_drop = all;
	st = run(&s, "nochown", &log);
	ok(st.exit_code != 0 && strstr(log, "chown"), "drop ALL: chown fails");
	free(log);
	spec(&s, "priv", chown_argv);
	s.privileged = true;
	st = run(&s, "priv", &log);
	is_int(st.exit_code, 0, "privileged container runs");
	free(log);
	spec(&s, "oom", dd_argv);
	s.memory_limit = 16 << 20;
	st = run(&s, "oom", &log);
	is_int(st.exit_code, 137, "memory limit 16Mi: killed");
	ok(st.oom_killed, "oom_killed");
	free(log);
}

static void test_running(void)
{
	char *sleep_argv[] = { "sleep", "100", NULL };
	char *exec_argv[] = { "sh", "-c", "echo hi; echo there >&2; exit 5", NULL };
	char *slow_argv[] = { "sleep", "30", NULL }, *nope_argv[] = { "nope", NULL };
	struct rt_container_spec s;
	struct rt_status st;
	struct buf out = BUF_INIT;
	struct err e;
	time_t t0;
	int code = -1;

	spec(&s, "sleeper", sleep_argv);
	ok(rt_container_start(rt, &s, &e) == 0, "start sleeper");
	ok(rt_container_status(rt, cid("sleeper"), &st, &e) == 0 &&
	   st.state == RT_RUNNING && st.pid > 0 && kill(st.pid, 0) == 0,
	   "RUNNING with a live host pid");
	ok(rt_exec_sync(rt, cid("sleeper"), exec_argv, 10000, 4096, &out, &code,
			&e) == 0 && code == 5, "exec: exit code");
	ok(strstr(buf_cstr(&out), "hi\n") && strstr(buf_cstr(&out), "there\n"),
	   "exec: stdout and stderr");
	buf_reset(&out);
	ok(rt_exec_sync(rt, cid("sleeper"), exec_argv, 10000, 2, &out, &code,
			&e) == 0 && out.len == 2, "exec: output capped");
	buf_reset(&out);
	ok(rt_exec_sync(rt, cid("sleeper"), nope_argv, 10000, 4096, &out, &code,
			&e) < 0 && e.code == ERR_INTERNAL &&
	   strstr(e.msg, "OCI runtime exec failed: exec failed: unable to start "
		  "container process: exec: \"nope\": executable file not "
		  "found in $PATH: unknown"), "exec of a missing command: %s",
	   e.msg);
	t0 = time(NULL);
	ok(rt_exec_sync(rt, cid("sleeper"), slow_argv, 300, 4096, &out, &code,
			&e) < 0 && e.code == ERR_TIMEOUT && time(NULL) - t0 < 5,
	   "exec: timeout");
	buf_free(&out);
}

static void test_kill(void)
{
	char *argv[] = { "sleep", "100", NULL };
	struct rt_container_spec s;
	struct rt_status st;
	struct err e;

	spec(&s, "term", argv);
	s.host_pid = true;	/* pid 1 of a pid namespace ignores SIGTERM */
	ok(rt_container_start(rt, &s, &e) == 0, "start (host pid namespace)");
	ok(rt_container_kill(rt, cid("term"), SIGTERM, &e) == 0, "kill SIGTERM");
	st = wait_exit("term", 10);
	is_int(st.exit_code, 143, "SIGTERM: 143");
	ok(rt_container_kill(rt, cid("term"), SIGKILL, &e) == 0,
	   "kill of an exited container is fine");
}

static void test_shared_sandbox(void)
{
	char *listen[] = { "nc", "-l", "-p", "7777", NULL };
	char *look[] = { "sh", "-c", "hostname; netstat -ltn", NULL };
	struct rt_container_spec s;
	struct rt_status st;
	struct err e;
	char *log;

	spec(&s, "listener", listen);
	ok(rt_container_start(rt, &s, &e) == 0, "start listener");
	usleep(200000);
	spec(&s, "looker", look);
	st = run(&s, "looker", &log);
	is_int(st.exit_code, 0, "second container of the pod");
	ok(strstr(log, "F rt-test\n") != NULL, "pod hostname from the sandbox");
	ok(strstr(log, ":7777") != NULL, "sees the other container's socket");
	free(log);
}

static void test_host_sandbox(void)
{
	char *argv[] = { "hostname", NULL }, host[256] = "", *netns = NULL;
	char *uid = xasprintf("%s-host", pod_uid), *id, *log, *want;
	struct rt_sandbox_spec sb = { .uid = uid, .hostname = "ignored",
				      .host_network = true, .host_ipc = true };
	struct rt_container_spec s;
	struct rt_status st = { .exit_code = -1 };
	struct err e;

	gethostname(host, sizeof(host) - 1);
	spec(&s, "nosandbox", argv);
	s.pod_uid = "no-such-pod";
	ok(rt_container_start(rt, &s, &e) < 0 && e.code == ERR_NOT_FOUND,
	   "no sandbox: NotFound");
	ok(rt_sandbox_create(rt, &sb, &netns, &e) == 0 && netns == NULL,
	   "host network sandbox: no netns path");
	spec(&s, "hostnet", argv);
	id = layout_container_id(uid, "hostnet", 0);
	s.id = id;
	s.pod_uid = uid;
	if (rt_container_start(rt, &s, &e) == 0)
		for (int i = 0; i < 500; i++) {
			if (rt_container_status(rt, id, &st, &e) < 0 ||
			    st.state == RT_EXITED)
				break;
			usleep(20000);
		}
	log = log_of("hostnet");
	want = xasprintf("F %s\n", host);
	ok(st.exit_code == 0 && strstr(log, want), "host UTS: the node's hostname");
	ok(rt_container_remove(rt, id, &e) == 0 &&
	   rt_sandbox_remove(rt, uid, &e) == 0, "remove host sandbox");
	free(want);
	free(log);
	free(id);
	free(uid);
}

static void test_restart_and_rotation(void)
{
	char *argv[] = { "sh", "-c", "for i in $(seq 1 60); do echo "
			 "line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; done", NULL };
	struct rt_config cfg = { run_dir, NULL, getenv("KDECK"), false };
	struct rt_container_spec s;
	struct rt_status st;
	struct err e;
	char **ids = NULL, *log, *dir;
	size_t n = 0, files = 0;
	bool found = false;
	DIR *d;
	struct dirent *de;

	rt_free(rt);
	rt = NULL;
	setenv("KDECK_LOG_MAX_BYTES", "400", 1);
	setenv("KDECK_RT_NO_OVERLAY", "1", 1);
	ok(rt_open(&cfg, &rt, &e) == 0, "rt_open again");
	if (!rt)
		return;
	ok(strstr(rt_describe(rt), "copied root file systems") != NULL,
	   "without overlayfs: copies (%s)", rt_describe(rt));
	ok(rt_container_list(rt, &ids, &n, &e) == 0, "list");
	for (size_t i = 0; i < n; i++) {
		found |= !strcmp(ids[i], cid("sleeper"));
		free(ids[i]);
	}
	free(ids);
	ok(found, "the running container is found again");
	ok(rt_container_status(rt, cid("sleeper"), &st, &e) == 0 &&
	   st.state == RT_RUNNING, "and is still running");
	spec(&s, "chatty", argv);
	st = run(&s, "chatty", &log);
	is_int(st.exit_code, 0, "chatty container (copied root)");
	ok(strstr(log, "line-60-") != NULL && strlen(log) <= 600,
	   "current log file small, has the last line");
	free(log);
	dir = xasprintf("%s/chatty", log_dir);
	for (d = opendir(dir); d && (de = readdir(d));)
		files += de->d_name[0] != '.';
	if (d)
		closedir(d);
	is_int((long long)files, LAYOUT_LOG_FILES, "rotated, LAYOUT_LOG_FILES kept");
	free(dir);
}

/* Stop what runs, let the shims exit, look for sanitizer reports. */
static void test_shim_logs(void)
{
	char **ids = NULL, *p;
	size_t n = 0;
	int reports = 0;
	struct err e;

	if (rt_container_list(rt, &ids, &n, &e) < 0)
		n = 0;
	for (size_t i = 0; i < n; i++)
		rt_container_kill(rt, ids[i], SIGKILL, &e);
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 250; k++) {
			struct rt_status st;

			if (rt_container_status(rt, ids[i], &st, &e) < 0 ||
			    st.state == RT_EXITED)
				break;
			usleep(20000);
		}
	usleep(500000);	/* the shims' exit (and leak checks) */
	for (size_t i = 0; i < n; i++) {
		struct buf b = BUF_INIT;

		p = xasprintf("%s/containers/%s/shim.log", run_dir, ids[i]);
		if (read_text(p, &b) == 0 &&
		    (strstr(buf_cstr(&b), "Sanitizer") ||
		     strstr(buf_cstr(&b), "runtime error"))) {
			reports++;
			diag(buf_cstr(&b));
		}
		free(p);
		buf_free(&b);
		free(ids[i]);
	}
	free(ids);
	is_int(reports, 0, "no sanitizer report from any shim");
}

static void test_remove(void)
{
	char **ids = NULL, *p;
	size_t n = 0;
	struct err e;
	struct stat sb;
	int failed = 0;
	struct buf mi = BUF_INIT;

	if (rt_container_list(rt, &ids, &n, &e) < 0)
		n = 0;
	for (size_t i = 0; i < n; i++) {
		if (rt_container_remove(rt, ids[i], &e) < 0) {
			diag(e.msg);
			failed++;
		}
		free(ids[i]);
	}
	free(ids);
	is_int(failed, 0, "remove every container (running ones are killed)");
	ok(rt_container_status(rt, cid("sleeper"), &(struct rt_status){ 0 },
			       &e) < 0 && e.code == ERR_NOT_FOUND,
	   "removed: NotFound");
	ok(rt_sandbox_remove(rt, pod_uid, &e) == 0, "remove the sandbox");
	p = xasprintf("%s/containers", run_dir);
	ok(rmdir(p) == 0, "no container directories left");
	free(p);
	p = xasprintf("%s/sandboxes/%s", run_dir, pod_uid);
	ok(stat(p, &sb) < 0 && errno == ENOENT, "no sandbox directory left");
	free(p);
	read_text("/proc/self/mountinfo", &mi);
	ok(!strstr(buf_cstr(&mi), run_dir), "no mounts left under the run dir");
	buf_free(&mi);
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
	cmd = xasprintf("grep -o ' %s[^ ]*' /proc/self/mountinfo | sort -r | "
			"xargs -r -n1 umount -l 2>/dev/null; rm -rf %s", tmp, tmp);
	if (system(cmd) != 0)
		diag("cleanup failed");
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

/* Killed by a timeout or ^C: clean up anyway (not async-signal-safe, a test). */
static void on_signal(int sig)
{
	cleanup();
	_exit(128 + sig);
}

int main(void)
{
	struct rt_config cfg = { NULL, NULL, getenv("KDECK"), false };
	struct rt_sandbox_spec sb = { 0 };
	char tmpl[] = "/tmp/kdeck-rt-XXXXXX", *netns = NULL;
	struct err e;
	int rc;

	if (geteuid() != 0 || !cfg.self_exe || access("/bin/busybox", X_OK) < 0) {
		printf("1..0 # SKIP needs root, $KDECK and /bin/busybox\n");
		return 0;
	}
	err_clear(&e);
	tmp = xstrdup(mkdtemp(tmpl));
	run_dir = xasprintf("%s/run", tmp);
	rootfs = xasprintf("%s/rootfs", tmp);
	log_dir = xasprintf("%s/logs", tmp);
	pod_uid = xasprintf("rtest%d", (int)getpid());
	mkdir(rootfs, 0755);
	unsetenv("KDECK_LOG_MAX_BYTES");
	cfg.run_dir = run_dir;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGALRM, on_signal);
	alarm(100);
	if (make_rootfs() != 0 || rt_open(&cfg, &rt, &e) < 0) {
		printf("1..0 # SKIP no container runtime works here: %s\n", e.msg);
		cleanup();
		return 0;
	}
	diag(rt_describe(rt));
	stamp("open");
	sb.uid = pod_uid;
	sb.hostname = "rt-test";
	ok(rt_sandbox_create(rt, &sb, &netns, &e) == 0 && netns, "sandbox");
	free(netns);
	ok(rt_sandbox_create(rt, &sb, &netns, &e) == 0, "sandbox again: idempotent");
	free(netns);
	test_basics();
	stamp("test_basics");
	test_not_found();
	stamp("test_not_found");
	test_identity();
	stamp("test_identity");
	test_filesystems();
	stamp("test_filesystems");
	test_caps_and_oom();
	stamp("test_caps_and_oom");
	test_running();
	stamp("test_running");
	test_kill();
	stamp("test_kill");
	test_shared_sandbox();
	stamp("test_shared_sandbox");
	test_host_sandbox();
	stamp("test_host_sandbox");
	test_restart_and_rotation();
	stamp("test_restart_and_rotation");
	test_shim_logs();
	stamp("test_shim_logs");
	test_remove();
	stamp("test_remove");
	cleanup();
	rc = tap_done();
	free(tmp);
	free(run_dir);
	free(rootfs);
	free(log_dir);
	free(pod_uid);
	return rc;
}
