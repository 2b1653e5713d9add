/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostproc: the host-process runtime, for machines where no container
 * can start (`kdeck cluster up --runtime host-process`, opt-in only).
 * It speaks the part of runc's command line the rest of runtime/ uses
 * (create, start, kill, delete, exec with --root/--log/--log-format json,
 * --console-socket, --pid-file, --detach, --tty), so the shim, exec,
 * attach, probes and restart safety work unchanged: rt_open points
 * r->runtime at RUN_DIR/kdeck-host-process, a symlink to the kdeck
 * binary, and main() dispatches on that name.
 *
 * A container is a plain host process: no namespaces but (as root) a
 * private mount namespace for its chroot, no cgroup, the host's network
 * (pod IP = node IP), pid, IPC and UTS.  create starts the process at
 * once (start only checks it is there): it leads its own session and
 * process group, so delete --force kills whatever it left behind.  State
 * per container: ROOT/ID/state.json {"pid","starttime","bundle"}.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cluster/runtime/hostproc.h"
#include "cluster/runtime/rt_int.h"
#include "common/file.h"
#include "common/json.h"
#include "common/mem.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:" \
		     "/sbin:/bin"

struct hp_cli {
	const char *root, *log;
	const char *bundle, *pid_file, *console;
	bool detach, tty;
	const char *id;
	char **rest;		/* exec: the command */
};

/* runc's JSON log line, for rt_runtime_log_error. */
static void log_error(const struct hp_cli *o, const char *msg)
{
	cJSON *j = cJSON_CreateObject();
	char *line;
	int fd;

	cJSON_AddStringToObject(j, "level", "error");
	cJSON_AddStringToObject(j, "msg", msg);
	line = cJSON_PrintUnformatted(j);
	fprintf(stderr, "%s\n", msg);
	fd = o->log ? open(o->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
			   0644) : -1;
	if (fd >= 0) {
		if (write(fd, line, strlen(line)) < 0 || write(fd, "\n", 1) < 0)
			perror("kdeck-host-process: log");
		close(fd);
	}
	cJSON_free(line);
	cJSON_Delete(j);
}

static char **str_list(const cJSON *arr)
{
	size_t n = (size_t)cJSON_GetArraySize(arr), k = 0;
	char **v = xcalloc(n + 2, sizeof(*v));
	const cJSON *it;

	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it))
			v[k++] = xstrdup(it->valuestring);
	return v;
}

/* Direct mode: PATH lists the image's directories under rootfs. */
static void rewrite_path(struct hostproc_ctr *c)
{
	size_t i = 0;
	struct buf b = BUF_INIT;
	char *copy, *save = NULL;

	while (c->env[i] && strncmp(c->env[i], "PATH=", 5))
		i++;
	copy = xstrdup(c->env[i] ? c->env[i] + 5 : DEFAULT_PATH);
	buf_adds(&b, "PATH=");
	for (char *d = strtok_r(copy, ":", &save); d;
	     d = strtok_r(NULL, ":", &save))
		buf_printf(&b, "%s%s%s", b.len > 5 ? ":" : "", c->rootfs, d);
	free(copy);
	free(c->env[i]);	/* c->env has room for one more */
	c->env[i] = buf_take(&b);
}

int hostproc_load(const char *bundle, struct hostproc_ctr *c, struct err *e)
{
	char *path = xasprintf("%s/config.json", bundle);
	struct buf b = BUF_INIT;
	const cJSON *gids, *g;
	int64_t v = 0;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	if (rt_read_file(path, 1 << 22, &b) < 0) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	c->config = json_parse(buf_cstr(&b), b.len, e);
	if (!c->config || !json_get_str(c->config, "root.path") ||
	    !cJSON_GetArraySize(json_get(c->config, "process.args"))) {
		err_set(e, ERR_PARSE, "%s: no root.path or process.args", path);
		goto out;
	}
	c->rootfs = xstrdup(json_get_str(c->config, "root.path"));
	c->cwd = xstrdup(json_get_str(c->config, "process.cwd") ?: "/");
	c->argv = str_list(json_get(c->config, "process.args"));
	c->env = str_list(json_get(c->config, "process.env"));
	c->uid = json_get_int(c->config, "process.user.uid", &v) == 0 ?
		 (uid_t)v : 0;
	c->gid = json_get_int(c->config, "process.user.gid", &v) == 0 ?
		 (gid_t)v : 0;
	gids = json_get(c->config, "process.user.additionalGids");
	c->groups = xcalloc((size_t)cJSON_GetArraySize(gids) + 1, sizeof(gid_t));
	cJSON_ArrayForEach(g, gids)
		c->groups[c->ngroups++] = (gid_t)g->valuedouble;
	c->no_new_privs = json_get_bool(c->config, "process.noNewPrivileges",
					false);
	c->terminal = json_get_bool(c->config, "process.terminal", false);
	c->chroot_mode = geteuid() == 0;
	if (!c->chroot_mode)
		rewrite_path(c);
	rc = 0;
out:
	buf_free(&b);
	free(path);
	return rc;
}

static void free_list(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void hostproc_ctr_done(struct hostproc_ctr *c)
{
	cJSON_Delete(c->config);
	free(c->rootfs);
	free(c->cwd);
	free_list(c->argv);
	free_list(c->env);
	free(c->groups);
	memset(c, 0, sizeof(*c));
}

/* Direct mode: a bind mount becomes a symlink where the volume goes. */
static void make_links(const struct hostproc_ctr *c)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, json_get(c->config, "mounts")) {
		const char *dest = json_get_str(m, "destination");
		const char *src = json_get_str(m, "source");
		const char *type = json_get_str(m, "type");
		char *link, *parent, *slash;

		if (!dest || !src || !type || strcmp(type, "bind") ||
		    !strncmp(dest, "/dev", 4) || !strncmp(dest, "/sys", 4))
			continue;
		link = xasprintf("%s%s", c->rootfs, dest);
		parent = xstrdup(link);
		if ((slash = strrchr(parent, '/')))
			*slash = '\0';
		rt_mkdirs(parent, 0755, NULL);
		if (unlink(link) < 0 && errno == EISDIR)
			rmdir(link);	/* only when empty */
		if (symlink(src, link) < 0 && errno != EEXIST)
			fprintf(stderr, "kdeck-host-process: %s: %s\n", link,
				strerror(errno));
		free(parent);
		free(link);
	}
}

/* Field 22 of /proc/PID/stat: tells a pid's reuse apart. */
static long long start_time(pid_t pid)
{
	char *path = xasprintf("/proc/%d/stat", (int)pid);
	struct buf b = BUF_INIT;
	const char *p;
	long long t = -1;
	int field = 2;

	if (rt_read_file(path, 4096, &b) == 0 &&
	    (p = strrchr(buf_cstr(&b), ')'))) {
		for (p++; *p && field < 22; p++)
			if (*p == ' ')
				field++;
		t = atoll(p);
	}
	buf_free(&b);
	free(path);
	return t;
}

static char *state_dir(const struct hp_cli *o)
{
	return xasprintf("%s/%s", o->root, o->id);
}

static int state_write(const struct hp_cli *o, pid_t pid, struct err *e)
{
	char *dir = state_dir(o), *path = xasprintf("%s/state.json", dir);
	cJSON *j = cJSON_CreateObject();
	char *text, num[32];
	int rc;

	snprintf(num, sizeof(num), "%lld", start_time(pid));
	cJSON_AddNumberToObject(j, "pid", pid);
	cJSON_AddStringToObject(j, "starttime", num);
	cJSON_AddStringToObject(j, "bundle", o->bundle);
	text = json_print(j);
	rc = rt_mkdirs(dir, 0700, e) < 0 ? -1 :
	     file_write_atomic(path, text, strlen(text), 0600, e);
	free(text);
	cJSON_Delete(j);
	free(path);
	free(dir);
	return rc;
}

/* The container's pid (0 when gone or reused) and bundle; ERR_NOT_FOUND. */
static int state_read(const struct hp_cli *o, pid_t *pid, char **bundle,
		      struct err *e)
{
	char *dir = state_dir(o), *path = xasprintf("%s/state.json", dir);
	struct buf b = BUF_INIT;
	cJSON *j = NULL;
	int64_t p = 0;
	int rc = -1;

	if (rt_read_file(path, 65536, &b) < 0) {
		err_set(e, ERR_NOT_FOUND, "container does not exist");
		goto out;
	}
	j = json_parse(buf_cstr(&b), b.len, e);
	if (!j || json_get_int(j, "pid", &p) < 0 || !json_get_str(j, "bundle"))
		goto out;
	if (start_time((pid_t)p) != atoll(json_get_str(j, "starttime") ?: "0"))
		p = 0;
	*pid = (pid_t)p;
	if (bundle)
		*bundle = xstrdup(json_get_str(j, "bundle"));
	rc = 0;
out:
	cJSON_Delete(j);
	buf_free(&b);
	free(path);
	free(dir);
	return rc;
}

static int write_pid_file(const char *path, pid_t pid, struct err *e)
{
	char num[32];

	if (!path)
		return 0;
	snprintf(num, sizeof(num), "%d", (int)pid);
	return file_write_atomic(path, num, strlen(num), 0644, e);
}

/* A new terminal: *master, and the slave's name in name. */
static int open_pty(int *master, char *name, size_t n, struct err *e)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 ||
	    ptsname_r(m, name, n) != 0) {
		if (m >= 0)
			close(m);
		return err_set(e, ERR_INTERNAL, "cannot open a terminal: %s",
			       strerror(errno));
	}
	*master = m;
	return 0;
}

/* Send the master over the console socket (relative to cwd), as runc. */
static int send_console(const char *sock, int master, struct err *e)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char ctl[CMSG_SPACE(sizeof(int))], name[] = "/dev/ptmx";
	struct iovec iov = { name, sizeof(name) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), rc = 0;

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", sock);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &master, sizeof(int));
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    sendmsg(fd, &m, 0) < 0)
		rc = err_set(e, ERR_INTERNAL, "console socket %s: %s", sock,
			     strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

/* In the child: its own session; the terminal (if any) as stdio. */
static void child_stdio(const char *pty, int err_fd)
{
	int fd;

	if (setsid() < 0)
		_exit(126);
	if (!pty)
		return;
	fd = open(pty, O_RDWR);
	if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) < 0) {
		dprintf(err_fd, "cannot open terminal %s: %s", pty,
			strerror(errno));
		_exit(127);
	}
	for (int i = 0; i < 3; i++)
		dup2(fd, i);
	if (fd > 2)
		close(fd);
}

/*
 * Fork the process (mnt_fd -1: the container's first), hand its
 * terminal out when asked, and wait until it exec'd: *pid.  A failure to
 * start it is logged in runc's words (prefix) and returns -1.
 */
static int spawn(const struct hp_cli *o, const struct hostproc_ctr *c,
		 char *const *argv, bool tty, int mnt_fd, const char *prefix,
		 pid_t *pid_out)
{
	char pty[128], msg[1024];
	int p[2], master = -1, st;
	ssize_t n = 0, k;
	struct err e;
	pid_t pid;

	err_clear(&e);
	if ((tty && open_pty(&master, pty, sizeof(pty), &e) < 0) ||
	    pipe2(p, O_CLOEXEC) < 0) {
		log_error(o, e.msg[0] ? e.msg : strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		child_stdio(tty ? pty : NULL, p[1]);
		hostproc_exec_child(c, argv, mnt_fd, p[1]);
	}
	close(p[1]);
	while (pid > 0 && (k = read(p[0], msg + n, sizeof(msg) - 1 - (size_t)n)) > 0)
		n += k;
	close(p[0]);
	msg[n] = '\0';
	if (pid < 0 || n > 0) {
		char *full = xasprintf("%s: unable to start container process: %s",
				       prefix, pid < 0 ? strerror(errno) : msg);

		log_error(o, full);
		free(full);
		if (pid > 0)
			waitpid(pid, &st, 0);
		if (master >= 0)
			close(master);
		return -1;
	}
	if (tty && (send_console(o->console, master, &e) < 0)) {
		log_error(o, e.msg);
		kill(pid, SIGKILL);
	}
	if (master >= 0)
		close(master);
	*pid_out = pid;
	return 0;
}

static int cmd_create(struct hp_cli *o)
{
	struct hostproc_ctr c;
	struct err e;
	pid_t pid;
	int rc = 1;

	err_clear(&e);
	if (!o->bundle || hostproc_load(o->bundle, &c, &e) < 0) {
		log_error(o, o->bundle ? e.msg : "create: --bundle is required");
		return 1;
	}
	if (c.terminal && !o->console) {
		log_error(o, "create: a terminal needs --console-socket");
		goto out;
	}
	if (!c.chroot_mode)
		make_links(&c);
	if (spawn(o, &c, c.argv, c.terminal, -1, "runc create failed",
		  &pid) < 0)
		goto out;
	if (state_write(o, pid, &e) < 0 || write_pid_file(o->pid_file, pid,
							     &e) < 0) {
		log_error(o, e.msg);
		kill(pid, SIGKILL);
		goto out;
	}
	rc = 0;
out:
	hostproc_ctr_done(&c);
	return rc;
}

/* start: create already started it; fine while it runs. */
static int cmd_start(struct hp_cli *o)
{
	struct err e;
	pid_t pid;

	if (state_read(o, &pid, NULL, &e) < 0 || pid <= 0) {
		fprintf(stderr, "cannot start a container that has stopped\n");
		return 1;
	}
	return 0;
}

static int cmd_kill(struct hp_cli *o)
{
	int sig = o->rest && o->rest[0] ? atoi(o->rest[0]) : SIGTERM;
	struct err e;
	pid_t pid;

	if (state_read(o, &pid, NULL, &e) < 0 || pid <= 0 || kill(pid, sig) < 0) {
		fprintf(stderr, "container not running\n");
		return 1;
	}
	return 0;
}

/*
 * delete: kill what is left of the process group (the container's
 * process and what it started), remove the state.  A group whose leader
 * is gone is signalled by its id, which the kernel does not hand out
 * again while the group lives.
 */
static int cmd_delete(struct hp_cli *o)
{
	char *dir = state_dir(o), *bundle = NULL;
	struct err e;
	pid_t pid = 0;

	if (state_read(o, &pid, &bundle, &e) == 0) {
		char *path = xasprintf("%s/state.json", dir);
		struct buf b = BUF_INIT;
		cJSON *j = rt_read_file(path, 65536, &b) == 0 ?
			json_parse(buf_cstr(&b), b.len, NULL) : NULL;
		int64_t leader = 0;

		if (j && json_get_int(j, "pid", &leader) == 0 && leader > 1 &&
		    (pid > 0 || kill((pid_t)leader, 0) < 0))
			kill(-(pid_t)leader, SIGKILL);
		if (pid > 0)
			kill(pid, SIGKILL);
		cJSON_Delete(j);
		buf_free(&b);
		free(path);
	}
	rt_rmtree(dir, NULL);
	free(bundle);
	free(dir);
	return 0;
}

static int cmd_exec(struct hp_cli *o)
{
	struct hostproc_ctr c;
	char *bundle = NULL;
	int mnt_fd = -1, st, rc = 255;
	struct err e;
	pid_t pid = 0, child;

	memset(&c, 0, sizeof(c));
	err_clear(&e);
	if (!o->rest || !o->rest[0]) {
		log_error(o, "exec: no command");
		return 255;
	}
	if (state_read(o, &pid, &bundle, &e) < 0 || pid <= 0 ||
	    hostproc_load(bundle, &c, &e) < 0) {
		log_error(o, pid <= 0 ? "cannot exec in a stopped container" :
			     e.msg);
		goto out;
	}
	if (c.chroot_mode) {
		char *ns = xasprintf("/proc/%d/ns/mnt", (int)pid);

		mnt_fd = open(ns, O_RDONLY | O_CLOEXEC);
		free(ns);
		if (mnt_fd < 0) {
			log_error(o, "cannot exec in a stopped container");
			goto out;
		}
	}
	if (spawn(o, &c, o->rest, o->tty, mnt_fd, "exec failed", &child) < 0 ||
	    write_pid_file(o->pid_file, child, &e) < 0)
		goto out;
	rc = 0;
	if (!o->detach && waitpid(child, &st, 0) == child)
		rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
out:
	if (mnt_fd >= 0)
		close(mnt_fd);
	hostproc_ctr_done(&c);
	free(bundle);
	return rc;
}

struct hp_cmd {
	const char *name;
	int (*run)(struct hp_cli *o);
	bool rest;	/* arguments after the id belong to the command */
};

static const struct hp_cmd hp_cmds[] = {
	{ "create", cmd_create, false },
	{ "start", cmd_start, false },
	{ "kill", cmd_kill, true },
	{ "delete", cmd_delete, false },
	{ "exec", cmd_exec, true },
};

/* Options with a value; NULL when opt is none of them. */
static const char **value_slot(struct hp_cli *o, const char *opt)
{
	static const char *ignored;

	if (!strcmp(opt, "--root"))
		return &o->root;
	if (!strcmp(opt, "--log"))
		return &o->log;
	if (!strcmp(opt, "--bundle") || !strcmp(opt, "-b"))
		return &o->bundle;
	if (!strcmp(opt, "--pid-file"))
		return &o->pid_file;
	if (!strcmp(opt, "--console-socket"))
		return &o->console;
	if (!strcmp(opt, "--log-format"))
		return &ignored;
	return NULL;
}

/* Options (anywhere before the id), the command, the id, the rest. */
static const struct hp_cmd *parse(int argc, char **argv, struct hp_cli *o)
{
	const struct hp_cmd *cmd = NULL;
	const char **slot;
	int i;

	for (i = 1; i < argc && !o->id; i++) {
		if ((slot = value_slot(o, argv[i])) && i + 1 < argc)
			*slot = argv[++i];
		else if (!strcmp(argv[i], "--detach") || !strcmp(argv[i], "-d"))
			o->detach = true;
		else if (!strcmp(argv[i], "--tty") || !strcmp(argv[i], "-t"))
			o->tty = true;
		else if (!strcmp(argv[i], "--force") || !strcmp(argv[i], "-f"))
			continue;
		else if (argv[i][0] == '-')
			return NULL;
		else if (!cmd) {
			for (size_t k = 0; k < sizeof(hp_cmds) / sizeof(*hp_cmds); k++)
				if (!strcmp(argv[i], hp_cmds[k].name))
					cmd = &hp_cmds[k];
			if (!cmd)
				return NULL;
		} else {
			o->id = argv[i];
		}
	}
	if (!cmd || !o->root || !o->id || !rt_valid_id(o->id) ||
	    (i < argc && !cmd->rest))
		return NULL;
	o->rest = argv + i;
	return cmd;
}

int rt_hostproc_main(int argc, char **argv)
{
	struct hp_cli o = { 0 };
	const struct hp_cmd *cmd;

	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf(RT_HOSTPROC_NAME " version " PACKAGE_VERSION "\n");
		return 0;
	}
	cmd = parse(argc, argv, &o);
	if (!cmd) {
		fprintf(stderr, RT_HOSTPROC_NAME ": internal runtime of kdeck "
			"(`kdeck cluster up --runtime host-process`): bad "
			"arguments\n");
		return 2;
	}
	return cmd->run(&o);
}
