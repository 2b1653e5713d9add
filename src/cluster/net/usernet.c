/* SPDX-License-Identifier: Apache-2.0 */
/*
 * usernet: the pod network of a rootless cluster (the daemon is root of a
 * user namespace of its own, runtime/userns.c).  It cannot touch the
 * machine's network, so there is no bridge: each pod's network namespace
 * (owned by that user namespace) gets loopback with its pod IP, and,
 * when slirp4netns is installed, outbound traffic through it: a user-mode
 * TCP/IP stack on tap0 (10.0.2.100, gateway 10.0.2.2, DNS 10.0.2.3), one
 * process per pod in a session of its own (so a daemon restart keeps it),
 * pid in DATA/net/slirp-UID.pid.  It reports readiness on a pipe
 * (--ready-fd) and ends when its namespace goes or on SIGTERM.
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
#include <sys/wait.h>
#include <unistd.h>

#include "cluster/net/net_priv.h"
#include "cluster/runtime/runtime.h"
#include "common/mem.h"

#define SLIRP_READY_MS 10000

bool usernet_in_userns(void)
{
	return rt_in_userns();
}

char *usernet_slirp_path(const char **why)
{
	static const char *const dirs[] = { "/usr/bin", "/bin",
					    "/usr/local/bin" };

	*why = "turned off by KDECK_NO_SLIRP";
	if (getenv("KDECK_NO_SLIRP"))	/* test hook: loopback only */
		return NULL;
	*why = "slirp4netns needs /dev/net/tun, which this user may not open";
	if (access("/dev/net/tun", R_OK | W_OK) < 0)
		return NULL;
	*why = "install slirp4netns";
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		char *p = xasprintf("%s/slirp4netns", dirs[i]);

		if (access(p, X_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

static char *pid_file(const char *state_dir, const char *uid)
{
	return xasprintf("%s/slirp-%s.pid", state_dir, uid);
}

/* The pid in path when that process is still a slirp4netns; else 0. */
static pid_t live_pid(const char *path)
{
	char cmd[64], comm[64];
	long pid = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	if (pid <= 1)
		return 0;
	snprintf(cmd, sizeof(cmd), "/proc/%ld/comm", pid);
	f = fopen(cmd, "re");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return strncmp(comm, "slirp4netns", 11) ? 0 : (pid_t)pid;
}

/* Grandchild: stdio to log, exec slirp4netns (never returns). */
static void slirp_exec(const char *slirp, const char *netns, int ready,
		       const char *log)
{
	char fdarg[32];
	int null = open("/dev/null", O_RDONLY), lfd;

	lfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (null >= 0)
		dup2(null, 0);
	if (lfd >= 0) {
		dup2(lfd, 1);
		dup2(lfd, 2);
	}
	fcntl(ready, F_SETFD, 0);
	snprintf(fdarg, sizeof(fdarg), "--ready-fd=%d", ready);
	execl(slirp, slirp, "--configure", "--mtu=65520",
	      "--disable-host-loopback", "--netns-type=path", fdarg, netns,
	      "tap0", (char *)NULL);
	_exit(127);
}

/*
 * Start it detached (double fork, new session); *pid gets its pid once
 * it said ready.  Runs the fork in the caller's thread.
 */
static int slirp_spawn(const char *slirp, const char *netns, const char *log,
		       pid_t *pid, struct err *e)
{
	int rp[2], pp[2], status;
	struct pollfd pf;
	pid_t child, gc = 0;
	char c = 0;
	int rc = -1;

	if (pipe2(rp, O_CLOEXEC) < 0)
		return err_set(e, ERR_INTERNAL, "pipe: %s", strerror(errno));
	if (pipe2(pp, O_CLOEXEC) < 0) {
		close(rp[0]);
		close(rp[1]);
		return err_set(e, ERR_INTERNAL, "pipe: %s", strerror(errno));
	}
	child = fork();
	if (child == 0) {
		setsid();
		gc = fork();
		if (gc == 0)
			slirp_exec(slirp, netns, rp[1], log);
		_exit(write(pp[1], &gc, sizeof(gc)) == sizeof(gc) ? 0 : 1);
	}
	close(rp[1]);
	close(pp[1]);
	if (child > 0)
		waitpid(child, &status, 0);
	if (child < 0 || read(pp[0], &gc, sizeof(gc)) != sizeof(gc) || gc <= 0) {
		err_set(e, ERR_INTERNAL, "cannot start slirp4netns");
		goto out;
	}
	pf = (struct pollfd){ .fd = rp[0], .events = POLLIN };
	if (poll(&pf, 1, SLIRP_READY_MS) != 1 || read(rp[0], &c, 1) != 1) {
		kill(gc, SIGKILL);
		err_set(e, ERR_UNAVAILABLE, "slirp4netns did not come up (see %s)",
			log);
		goto out;
	}
	*pid = gc;
	rc = 0;
out:
	close(rp[0]);
	close(pp[0]);
	return rc;
}

int usernet_slirp_start(const char *slirp, const char *state_dir,
			const char *uid, const char *netns, struct err *e)
{
	char *pf = pid_file(state_dir, uid);
	char *log = xasprintf("%s/slirp-%s.log", state_dir, uid), text[32];
	pid_t pid = 0;
	int rc = 0, fd;

	if (!slirp) {
		rc = err_set(e, ERR_UNAVAILABLE, "slirp4netns is not installed");
		goto out;
	}
	if (live_pid(pf) > 0)
		goto out;
	if (slirp_spawn(slirp, netns, log, &pid, e) < 0) {
		rc = -1;
		goto out;
	}
	snprintf(text, sizeof(text), "%ld\n", (long)pid);
	fd = open(pf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		rc = err_set(e, ERR_IO, "%s: %s", pf, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		kill(pid, SIGTERM);
out:
	free(pf);
	free(log);
	return rc;
}

void usernet_slirp_stop(const char *state_dir, const char *uid)
{
	char *pf = pid_file(state_dir, uid);
	char *log = xasprintf("%s/slirp-%s.log", state_dir, uid);
	pid_t pid = live_pid(pf);

	if (pid > 0)
		kill(pid, SIGTERM);
	unlink(pf);
	unlink(log);
	free(pf);
	free(log);
}

void usernet_slirp_stop_all(const char *state_dir)
{
	DIR *d = opendir(state_dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char *uid;

		if (strncmp(de->d_name, "slirp-", 6) || n < 11 ||
		    strcmp(de->d_name + n - 4, ".pid"))
			continue;
		uid = xstrndup(de->d_name + 6, n - 10);
		usernet_slirp_stop(state_dir, uid);
		free(uid);
	}
	if (d)
		closedir(d);
}
