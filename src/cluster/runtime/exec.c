/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exec: rt_exec_sync, a command in a running container for exec probes
 * and lifecycle hooks: `RUNTIME exec --pid-file P ID ARGV...` (the
 * process inherits the container's user, env and cwd from its
 * config.json), output merged and capped, killed (both the process in
 * the container, through the pid file, and the runtime) on timeout.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/runtime/rt_int.h"
#include "common/mem.h"

static int exec_seq;

int rt_exec_sync(struct rt *r, const char *id, char *const *argv,
		 int timeout_ms, size_t max, struct buf *out, int *code,
		 struct err *e)
{
	char *root = xasprintf("%s/runc", r->run_dir), *pidfile = NULL;
	char *dir = NULL, **args = NULL;
	struct rt_status st;
	size_t n = 0, k = 0;
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
	while (argv[n])
		n++;
	args = xcalloc(n + 8, sizeof(*args));
	args[k++] = r->runtime;
	args[k++] = "--root";
	args[k++] = root;
	args[k++] = "exec";
	args[k++] = "--pid-file";
	args[k++] = pidfile;
	args[k++] = (char *)id;
	memcpy(args + k, argv, n * sizeof(*args));
	struct rt_cmd c = { args, timeout_ms, max, pidfile };
	if (rt_run(&c, out, &result, e) < 0)
		goto out;
	*code = result;
	rc = 0;
out:
	if (pidfile)
		unlink(pidfile);
	free(pidfile);
	free(args);
	free(dir);
	free(root);
	return rc;
}
