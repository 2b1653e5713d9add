/* SPDX-License-Identifier: Apache-2.0 */
/*
 * status: the container status file that the shim writes (atomically)
 * and the daemon reads back, e.g.
 *
 *   {"state":"exited","pid":4242,"shimPid":4240,
 *    "created":"1796000000123456789","started":"...","finished":"...",
 *    "exitCode":137,"oomKilled":true,"message":""}
 *
 * Times are unix nanoseconds as decimal strings: they exceed 2^53, which
 * JSON numbers read through cJSON's doubles cannot hold exactly.  The
 * parser is strict (a fuzz target feeds it anything).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/runtime/rt_int.h"
#include "common/json.h"
#include "common/mem.h"

static const char *const state_names[] = {
	[RT_CREATED] = "created",
	[RT_RUNNING] = "running",
	[RT_EXITED] = "exited",
};

#define NSTATES (sizeof(state_names) / sizeof(state_names[0]))

static int parse_ns(const cJSON *j, const char *key, int64_t *out,
		    struct err *e)
{
	const cJSON *v = json_obj(j, key);
	char *end;
	long long n;

	if (!v) {
		*out = 0;
		return 0;
	}
	if (!cJSON_IsString(v) || !v->valuestring[0])
		return err_set(e, ERR_PARSE, "status: %s is not a string", key);
	errno = 0;
	n = strtoll(v->valuestring, &end, 10);
	if (errno || *end || n < 0)
		return err_set(e, ERR_PARSE, "status: bad %s \"%s\"", key,
			       v->valuestring);
	*out = n;
	return 0;
}

static int parse_int(const cJSON *j, const char *key, int64_t lo, int64_t hi,
		     int64_t *out, struct err *e)
{
	int64_t n = 0;

	if (!json_obj(j, key)) {
		*out = 0;
		return 0;
	}
	if (json_get_int(j, key, &n) < 0 || n < lo || n > hi)
		return err_set(e, ERR_PARSE, "status: bad %s", key);
	*out = n;
	return 0;
}

static int parse_state(const cJSON *j, enum rt_state *out, struct err *e)
{
	const char *s = json_get_str(j, "state");

	for (size_t i = 0; s && i < NSTATES; i++)
		if (!strcmp(s, state_names[i])) {
			*out = (enum rt_state)i;
			return 0;
		}
	return err_set(e, ERR_PARSE, "status: bad state \"%s\"", s ? s : "");
}

int rt_status_parse(const char *text, size_t len, struct rt_status *out,
		    pid_t *shim_pid, struct err *e)
{
	cJSON *j = json_parse(text, len, e);
	struct rt_status st;
	const cJSON *msg;
	int64_t pid, spid, code;
	int rc = -1;

	if (!j)
		return -1;
	memset(&st, 0, sizeof(st));
	if (!cJSON_IsObject(j)) {
		err_set(e, ERR_PARSE, "status: not an object");
		goto out;
	}
	if (parse_state(j, &st.state, e) < 0 ||
	    parse_int(j, "pid", 0, 1 << 30, &pid, e) < 0 ||
	    parse_int(j, "shimPid", 0, 1 << 30, &spid, e) < 0 ||
	    parse_int(j, "exitCode", -1, 255, &code, e) < 0 ||
	    parse_ns(j, "created", &st.created_ns, e) < 0 ||
	    parse_ns(j, "started", &st.started_ns, e) < 0 ||
	    parse_ns(j, "finished", &st.finished_ns, e) < 0)
		goto out;
	msg = json_obj(j, "message");
	if (msg && !cJSON_IsString(msg)) {
		err_set(e, ERR_PARSE, "status: message is not a string");
		goto out;
	}
	if (msg)
		snprintf(st.message, sizeof(st.message), "%s", msg->valuestring);
	st.pid = (pid_t)pid;
	st.exit_code = (int)code;
	st.oom_killed = json_get_bool(j, "oomKilled", false);
	*out = st;
	if (shim_pid)
		*shim_pid = (pid_t)spid;
	rc = 0;
out:
	cJSON_Delete(j);
	return rc;
}

char *rt_status_format(const struct rt_status *s, pid_t shim_pid)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "{\"state\":\"%s\",\"pid\":%d,\"shimPid\":%d,"
		       "\"created\":\"%lld\",\"started\":\"%lld\","
		       "\"finished\":\"%lld\",\"exitCode\":%d,"
		       "\"oomKilled\":%s,\"message\":",
		   state_names[s->state], (int)s->pid, (int)shim_pid,
		   (long long)s->created_ns, (long long)s->started_ns,
		   (long long)s->finished_ns, s->exit_code,
		   s->oom_killed ? "true" : "false");
	buf_add_json_str(&b, s->message);
	buf_adds(&b, "}\n");
	return buf_take(&b);
}

int rt_status_write(const char *path, const struct rt_status *s,
		    pid_t shim_pid, struct err *e)
{
	char *text = rt_status_format(s, shim_pid);
	char *tmp = xasprintf("%s.tmp", path);
	size_t len = strlen(text);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc = 0;

	if (fd < 0 || write(fd, text, len) != (ssize_t)len ||
	    close(fd) < 0 || rename(tmp, path) < 0) {
		rc = err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		unlink(tmp);
	}
	free(text);
	free(tmp);
	return rc;
}
