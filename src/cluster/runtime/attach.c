/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attach: the daemon's side of an attach session (kubectl attach, run
 * -it).  Every container's shim listens on containers/ID/attach.sock
 * (shim_attach.c); a session opens one connection per stream, naming it
 * with its first byte (RT_ATTACH_STDOUT...), so the connections are the
 * plain byte streams the caller reads and writes: no relay thread.  A
 * resize is a short connection of its own (RT_ATTACH_RESIZE + cols and
 * rows).  The socket is reached through /proc/self/fd/DIRFD/attach.sock:
 * container directories outrun sun_path.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cluster/runtime/rt_int.h"
#include "common/json.h"
#include "common/mem.h"

#define WAIT_STEP_US 100000

struct rt_attach {
	struct rt *r;
	char *id, *dir;
	struct rt_proc_io io;
	dev_t in_dev;
	ino_t in_ino;
};

/* A connection to the shim's attach socket, announced as kind. */
static int attach_connect(const char *dir, char kind, const void *extra,
			  size_t n, struct err *e)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int d = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC), s = -1;
	char msg[16];

	msg[0] = kind;
	if (n)
		memcpy(msg + 1, extra, n);
	if (d >= 0) {
		snprintf(a.sun_path, sizeof(a.sun_path), "/proc/self/fd/%d/%s",
			 d, RT_ATTACH_SOCK);
		s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	}
	if (s >= 0 && (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
		       send(s, msg, n + 1, MSG_NOSIGNAL) != (ssize_t)(n + 1))) {
		close(s);
		s = -1;
	}
	if (d >= 0)
		close(d);
	if (s < 0)
		err_set(e, ERR_UNAVAILABLE, "cannot attach to the container: "
			"its shim does not answer (%s)", strerror(errno));
	return s;
}

/* Does the container keep a stdin (shim.json "stdin")? */
static bool has_stdin(const char *dir)
{
	char *path = xasprintf("%s/shim.json", dir);
	struct buf b = BUF_INIT;
	cJSON *j = NULL;
	bool yes = false;

	if (rt_read_file(path, 1 << 20, &b) == 0 &&
	    (j = json_parse(buf_cstr(&b), b.len, NULL)))
		yes = json_get_bool(j, "stdin", false);
	cJSON_Delete(j);
	buf_free(&b);
	free(path);
	return yes;
}

static int open_streams(struct rt_attach *a, const struct rt_attach_opts *o,
			struct err *e)
{
	struct stat sb;

	if (o->out && (a->io.out_fd = attach_connect(a->dir, RT_ATTACH_STDOUT,
						     NULL, 0, e)) < 0)
		return -1;
	if (o->err && (a->io.err_fd = attach_connect(a->dir, RT_ATTACH_STDERR,
						     NULL, 0, e)) < 0)
		return -1;
	if (o->in && has_stdin(a->dir)) {
		a->io.in_fd = attach_connect(a->dir, RT_ATTACH_STDIN, NULL, 0, e);
		if (a->io.in_fd < 0)
			return -1;
		if (fstat(a->io.in_fd, &sb) == 0) {
			a->in_dev = sb.st_dev;
			a->in_ino = sb.st_ino;
		}
	}
	return 0;
}

int rt_attach_open(struct rt *r, const char *id,
		   const struct rt_attach_opts *o, struct rt_attach **out,
		   struct rt_proc_io *io, struct err *e)
{
	struct rt_attach *a;
	struct rt_status st;

	if (rt_container_status(r, id, &st, e) < 0)
		return -1;
	if (st.state != RT_RUNNING)
		return err_set(e, ERR_CONFLICT, "container %s is not running",
			       id);
	a = xcalloc(1, sizeof(*a));
	a->r = r;
	a->id = xstrdup(id);
	a->dir = rt_container_dir(r, id);
	a->io = (struct rt_proc_io){ -1, -1, -1 };
	if (open_streams(a, o, e) < 0) {
		rt_attach_free(a);
		return -1;
	}
	*io = a->io;
	*out = a;
	return 0;
}

int rt_attach_resize(struct rt_attach *a, unsigned cols, unsigned rows)
{
	uint16_t size[2] = { (uint16_t)cols, (uint16_t)rows };
	int s;

	if (!a)
		return -1;
	s = attach_connect(a->dir, RT_ATTACH_RESIZE, size, sizeof(size), NULL);
	if (s < 0)
		return -1;
	close(s);
	return 0;
}

int rt_attach_wait(struct rt_attach *a, int *exit_code)
{
	struct rt_status st;

	for (;;) {
		if (rt_container_status(a->r, a->id, &st, NULL) < 0) {
			*exit_code = -1;
			return -1;
		}
		if (st.state == RT_EXITED)
			break;
		usleep(WAIT_STEP_US);
	}
	*exit_code = st.exit_code;
	return 0;
}

void rt_attach_free(struct rt_attach *a)
{
	struct stat sb;

	if (!a)
		return;
	if (a->io.in_fd >= 0 && fstat(a->io.in_fd, &sb) == 0 &&
	    sb.st_dev == a->in_dev && sb.st_ino == a->in_ino)
		close(a->io.in_fd);
	if (a->io.out_fd >= 0)
		close(a->io.out_fd);
	if (a->io.err_fd >= 0)
		close(a->io.err_fd);
	free(a->id);
	free(a->dir);
	free(a);
}
