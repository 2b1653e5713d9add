/* SPDX-License-Identifier: Apache-2.0 */
/* file: atomic whole-file writes, see file.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file.h"
#include "common/mem.h"

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int file_write_atomic(const char *path, const void *data, size_t len,
		      unsigned mode, struct err *e)
{
	char *tmp = xasprintf("%s.kdeck-XXXXXX", path);
	int fd = mkostemp(tmp, O_CLOEXEC), rc = -1;

	if (fd < 0) {
		err_set(e, ERR_IO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (fchmod(fd, (mode_t)mode) < 0 || write_all(fd, data, len) < 0 ||
	    fsync(fd) < 0) {
		err_set(e, ERR_IO, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

char *file_cluster_dir(void)
{
	const char *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	if (x && *x)
		return xasprintf("%s/kdeck/cluster", x);
	return xasprintf("%s/.local/share/kdeck/cluster",
			 home && *home ? home : ".");
}
