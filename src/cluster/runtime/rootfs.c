/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rootfs: a container's root file system.  The image's unpacked rootfs
 * is shared read-only by every container of that image; each container
 * writes to its own layer: an overlay mount (lowerdir = image rootfs,
 * upperdir/workdir under the container's directory) where the kernel
 * allows it, otherwise (overlay missing, or not allowed on this file
 * system) a full copy made with `cp -a`, slower and bigger, which
 * rt_describe() reports.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster/runtime/rt_int.h"
#include "common/mem.h"

static int overlay_mount(const char *lower, const char *dir, struct err *e)
{
	char *upper = xasprintf("%s/upper", dir), *work = xasprintf("%s/work", dir);
	char *target = xasprintf("%s/rootfs", dir), *opts = NULL;
	int rc = -1;

	if (strpbrk(lower, ",:") || strpbrk(dir, ",:")) {
		err_set(e, ERR_INVALID, "overlay: path with ',' or ':': %s", lower);
		goto out;
	}
	if (rt_mkdirs(upper, 0755, e) < 0 || rt_mkdirs(work, 0700, e) < 0 ||
	    rt_mkdirs(target, 0755, e) < 0)
		goto out;
	opts = xasprintf("lowerdir=%s,upperdir=%s,workdir=%s", lower, upper, work);
	if (mount("overlay", target, "overlay", 0, opts) < 0) {
		err_set(e, ERR_IO, "mount overlay on %s: %s", target,
			strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(upper);
	free(work);
	free(target);
	free(opts);
	return rc;
}

bool rt_overlay_works(const char *run_dir)
{
	static int seq;
	char *dir = xasprintf("%s/overlay-probe-%d-%d", run_dir, (int)getpid(),
			      __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED));
	char *lower = xasprintf("%s/lower", dir), *target = xasprintf("%s/rootfs", dir);
	bool ok = false;

	if (rt_mkdirs(lower, 0755, NULL) == 0 &&
	    overlay_mount(lower, dir, NULL) == 0) {
		ok = true;
		umount2(target, MNT_DETACH);
	}
	rt_rmtree(dir, NULL);
	free(dir);
	free(lower);
	free(target);
	return ok;
}

static int copy_tree(const char *lower, const char *dir, struct err *e)
{
	char *target = xasprintf("%s/rootfs", dir), *src = xasprintf("%s/.", lower);
	char *argv[] = { "/bin/cp", "-a", src, target, NULL };
	struct rt_cmd c = { argv, 600000, 4096, NULL };
	struct buf out = BUF_INIT;
	int code = 0, rc = -1;

	if (access(argv[0], X_OK) < 0)
		argv[0] = "/usr/bin/cp";
	if (rt_mkdirs(target, 0755, e) < 0 || rt_run(&c, &out, &code, e) < 0)
		goto out;
	if (code != 0) {
		err_set(e, ERR_IO, "copy %s: %s", lower, buf_cstr(&out));
		goto out;
	}
	rc = 0;
out:
	buf_free(&out);
	free(target);
	free(src);
	return rc;
}

int rt_rootfs_prepare(const struct rt *r, const char *dir, const char *lower,
		      struct err *e)
{
	struct stat st;

	if (stat(lower, &st) < 0)
		return err_set(e, ERR_NOT_FOUND, "image rootfs %s: %s", lower,
			       strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err_set(e, ERR_NOT_FOUND, "image rootfs %s: not a directory",
			       lower);
	if (r->overlay)
		return overlay_mount(lower, dir, e);
	return copy_tree(lower, dir, e);
}

int rt_rootfs_release(const char *dir, struct err *e)
{
	char *target = xasprintf("%s/rootfs", dir);
	int rc = 0;

	if (umount2(target, MNT_DETACH) < 0 && errno != EINVAL &&
	    errno != ENOENT)
		rc = err_set(e, ERR_IO, "umount %s: %s", target, strerror(errno));
	free(target);
	return rc;
}
