/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exec: rt_exec_sync, a command in a running container for exec probes
 * and lifecycle hooks: `RUNTIME exec --pid-file P ID ARGV...` (the
 * process inherits the container's user, env and cwd from its
 * config.json), output merged and capped, killed (both the process in
 * the container, through the pid file, and the runtime) on timeout.
 * When the runtime itself fails (no such executable...) its JSON log
 * holds the reason, reported as kubelet shows it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/runtime/rt_int.h"
#include "common/mem.h"

static int exec_seq;

/* The runtime itself failed (not the command): its message, kubelet's words. */
static bool runtime_failed(const char *log, int code, struct err *e)
{
	char *msg = code == 255 ? rt_runtime_log_error(log) : NULL;

	if (!msg)
		return false;
	err_set(e, ERR_INTERNAL, "OCI runtime exec failed: %s: unknown", msg);
	free(msg);
	return true;
}

/* RUNTIME --root R --log L --log-format json exec --pid-file P ID ARGV... */
static char **exec_args(const struct rt *r, const char *root, const char *log,
			const char *pidfile, const char *id, char *const *argv)
{
	const char *head[] = { r->runtime, "--root", root, "--log", log,
			       "--log-format", "json", "exec", "--pid-file",
			       pidfile, id };
	size_t nh = sizeof(head) / sizeof(*head), n = 0;
	char **args;

	while (argv[n])
		n++;
	args = xcalloc(nh + n + 1, sizeof(*args));
	memcpy(args, head, sizeof(head));
	memcpy(args + nh, argv, n * sizeof(*args));
	return args;
}

int rt_exec_sync(struct rt *r, const char *id, char *const *argv,
		 int timeout_ms, size_t max, struct buf *out, int *code,
		 struct err *e)
{
	char *root = xasprintf("%s/runc", r->run_dir), *pidfile = NULL;
	char *log = NULL, *dir = NULL, **args = NULL;
	struct rt_cmd c = { NULL, timeout_ms, max, NULL };
	struct rt_status st;
	int rc = -1, result = 0;

	if (!argv || !argv[0]) {
		err_set(e, ERR_INVALID, "exec: no command");
		goto out;
	}
	if (rt_container_status(r, id, &st, e) < 0)
		goto out;
	if (st.state != RT_RUNNING) {
		err_set(e, ERR_CONFLICT, "container %s is not running", id);
		goto out;
	}
	dir = rt_container_dir(r, id);
	pidfile = xasprintf("%s/exec-%d-%d.pid", dir, (int)getpid(),
			    __atomic_add_fetch(&exec_seq, 1, __ATOMIC_RELAXED));
	log = xasprintf("%s.log", pidfile);
	args = exec_args(r, root, log, pidfile, id, argv);
	c.argv = args;
	c.pidfile = pidfile;
	if (rt_run(&c, out, &result, e) < 0 || runtime_failed(log, result, e))
		goto out;
	*code = result;
	rc = 0;
out:
	if (pidfile)
		unlink(pidfile);
	if (log)
		unlink(log);
	free(log);
	free(pidfile);
	free(args);
	free(dir);
	free(root);
	return rc;
}
