/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crilog: the shim's writer of CRI log files (node/layout.h):
 *
 *   2026-11-29T05:00:00.123456789Z stdout F text
 *
 * Output of each stream is cut into lines; a line longer than
 * RT_LINE_MAX goes out in pieces tagged P with the last piece F, as
 * containerd does; what is pending when the stream closes is written as a
 * full line.  When the file would exceed its size limit it is renamed to
 * N.log.YYYYMMDD-hhmmss (kubelet's naming) and a new one started; only the
 * newest `files - 1` rotated files are kept.  Used by one thread only.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cluster/node/layout.h"
#include "cluster/runtime/rt_int.h"
#include "common/mem.h"
#include "common/vec.h"

struct crilog_line {
	char data[RT_LINE_MAX];
	size_t len;
};

struct rt_crilog {
	char *path;
	int fd;
	int64_t size, max;
	int files;
	struct crilog_line line[2];
};

static const char *const stream_names[2] = { "stdout", "stderr" };

struct rt_crilog *rt_crilog_open(const char *path, int64_t max, int files,
				 struct err *e)
{
	struct rt_crilog *l;
	struct stat st;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);

	if (fd < 0) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		return NULL;
	}
	l = xcalloc(1, sizeof(*l));
	l->path = xstrdup(path);
	l->fd = fd;
	l->size = fstat(fd, &st) == 0 ? st.st_size : 0;
	l->max = max > 0 ? max : LAYOUT_LOG_MAX;
	l->files = files > 1 ? files : 2;
	return l;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keep the newest files-1 rotated files of l->path. */
static void prune(struct rt_crilog *l)
{
	char *dcopy = xstrdup(l->path), *bcopy = xstrdup(l->path);
	char *dir = dirname(dcopy), *prefix = xasprintf("%s.", basename(bcopy));
	struct vec names = VEC_INIT;
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d)))
		if (!strncmp(de->d_name, prefix, strlen(prefix)))
			vec_push(&names, xasprintf("%s/%s", dir, de->d_name));
	if (d)
		closedir(d);
	vec_sort(&names, cmp_str);
	for (size_t i = 0; i + (size_t)(l->files - 1) < names.len; i++)
		unlink(names.items[i]);
	vec_free(&names, free);
	free(prefix);
	free(dcopy);
	free(bcopy);
}

static void rotate(struct rt_crilog *l)
{
	char stamp[32], *to = NULL;
	time_t now = time(NULL);
	struct tm tm;
	struct stat st;
	int fd;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (int i = 0; i < 1000; i++) {
		free(to);
		to = i ? xasprintf("%s.%s.%03d", l->path, stamp, i) :
			 xasprintf("%s.%s", l->path, stamp);
		if (lstat(to, &st) < 0)
			break;
	}
	if (rename(l->path, to) < 0) {
		free(to);
		return;		/* keep writing to the big file */
	}
	free(to);
	fd = open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (fd >= 0) {
		close(l->fd);
		l->fd = fd;
		l->size = 0;
	}
	prune(l);
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void emit(struct rt_crilog *l, int stream, bool partial,
		 const char *p, size_t n)
{
	struct buf b = BUF_INIT;
	struct timespec ts;
	struct tm tm;
	char stamp[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	buf_printf(&b, "%s.%09ldZ %s %c ", stamp, ts.tv_nsec,
		   stream_names[stream], partial ? 'P' : 'F');
	buf_add(&b, p, n);
	buf_addc(&b, '\n');
	if (l->size > 0 && l->size + (int64_t)b.len > l->max)
		rotate(l);
	write_all(l->fd, b.data, b.len);
	l->size += (int64_t)b.len;
	buf_free(&b);
}

void rt_crilog_feed(struct rt_crilog *l, int stream, const char *p, size_t n)
{
	struct crilog_line *ln = &l->line[stream ? 1 : 0];

	stream = stream ? 1 : 0;
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;

		if (take > RT_LINE_MAX - ln->len)
			take = RT_LINE_MAX - ln->len;
		memcpy(ln->data + ln->len, p, take);
		ln->len += take;
		p += take;
		n -= take;
		if (n && *p == '\n') {
			emit(l, stream, false, ln->data, ln->len);
			ln->len = 0;
			p++;
			n--;
		} else if (ln->len == RT_LINE_MAX) {
			emit(l, stream, true, ln->data, ln->len);
			ln->len = 0;
		}
	}
}

void rt_crilog_close(struct rt_crilog *l)
{
	if (!l)
		return;
	for (int s = 0; s < 2; s++)
		if (l->line[s].len)
			emit(l, s, false, l->line[s].data, l->line[s].len);
	close(l->fd);
	free(l->path);
	free(l);
}
