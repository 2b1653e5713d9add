/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podvol_atomic: kubelet's AtomicWriter for configMap, secret, downwardAPI
 * and projected volumes.
 *
 * The volume directory holds, for a payload {key: data}:
 *   ..2026_11_29_05_00_00.123456789/key   the files of this version
 *   ..data -> ..2026_11_29_05_00_00.123456789
 *   key -> ..data/key                     one per top-level entry
 * A new version is written to a fresh timestamped directory, then
 * ..data is replaced by rename(2) of a ..data_tmp symlink, so a reader
 * always sees one complete version; entries gone from the payload lose
 * their symlink and the old directory is removed last.  Writing a
 * payload identical to the current version (content and modes) does
 * nothing, which makes podvol_setup idempotent and podvol_refresh cheap.
 *
 * Not thread-safe for one directory: the agent's pod worker owns it.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cluster/node/podspec_int.h"
#include "common/mem.h"

static void pv_file_free(void *p)
{
	struct pv_file *f = p;

	free(f->path);
	free(f->data);
	free(f);
}

void pv_files_free(struct vec *files)
{
	vec_free(files, pv_file_free);
}

void pv_files_add(struct vec *files, const char *path, char *data, size_t len,
		  unsigned mode)
{
	struct pv_file *f;
	size_t i;

	for (i = 0; i < files->len; i++) {
		f = files->items[i];
		if (!strcmp(f->path, path)) {
			free(f->data);
			f->data = data;
			f->len = len;
			f->mode = mode;
			return;
		}
	}
	f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(path);
	f->data = data;
	f->len = len;
	f->mode = mode;
	vec_push(files, f);
}

static int rm_one(const char *p, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(p) : unlink(p)) < 0 && errno != ENOENT
		   ? -1
		   : 0;
}

int ps_rmtree(const char *path, struct err *e)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0
				       : err_set(e, ERR_IO, "%s: %s", path,
						 strerror(errno));
	if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0)
		return err_set(e, ERR_IO, "remove %s: %s", path,
			       strerror(errno));
	return 0;
}

/* Kubelet refuses payload paths that could leave the volume. */
static bool path_ok(const char *p)
{
	const char *s = p;

	if (!*p || *p == '/' || !strncmp(p, "..", 2) || strlen(p) > 4096)
		return false;
	while ((s = strstr(s, "..")))
		if ((s == p || s[-1] == '/') && (!s[2] || s[2] == '/'))
			return false;
		else
			s += 2;
	return !strstr(p, "//") && p[strlen(p) - 1] != '/';
}

static unsigned want_mode(const struct pv_file *f, long long fs_group)
{
	return (f->mode & 07777) | (fs_group >= 0 ? 0440 : 0);
}

static size_t count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	while (d && (de = readdir(d))) {
		char *p;
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(p, &st) == 0)
			n += S_ISDIR(st.st_mode) ? count_files(p) : 1;
		free(p);
	}
	if (d)
		closedir(d);
	return n;
}

/* The current version holds exactly files. */
static bool unchanged(const char *dir, const struct vec *files,
		      long long fs_group)
{
	char *data = xasprintf("%s/..data", dir), *buf = NULL;
	struct stat dst;
	bool same = lstat(data, &dst) == 0 && S_ISLNK(dst.st_mode) &&
		    count_files(data) == files->len;
	size_t i;

	for (i = 0; same && i < files->len; i++) {
		const struct pv_file *f = files->items[i];
		char *p = xasprintf("%s/%s", data, f->path);
		int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		struct stat st;

		buf = xrealloc(buf, f->len + 1);
		same = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		       (size_t)st.st_size == f->len &&
		       (st.st_mode & 07777) == want_mode(f, fs_group) &&
		       read(fd, buf, f->len + 1) == (ssize_t)f->len &&
		       !memcmp(buf, f->data, f->len);
		if (fd >= 0)
			close(fd);
		free(p);
	}
	free(buf);
	free(data);
	return same;
}

/* mkdir DIR/..YYYY_MM_DD_hh_mm_ss.NNNNNNNNN; *name gets its base name. */
static int new_version(const char *dir, char **name, struct err *e)
{
	struct timespec ts;
	struct tm tm;
	char stamp[32];
	int i;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "..%Y_%m_%d_%H_%M_%S", &tm);
	for (i = 0; i < 100; i++) {
		char *n = xasprintf("%s.%09ld", stamp,
				    (ts.tv_nsec + i) % 1000000000L);
		char *p = xasprintf("%s/%s", dir, n);
		int r = mkdir(p, 0755);

		free(p);
		if (r == 0) {
			*name = n;
			return 0;
		}
		free(n);
		if (errno != EEXIST)
			break;
	}
	return err_set(e, ERR_IO, "create a version directory in %s: %s", dir,
		       strerror(errno));
}

static int write_one(const char *root, const struct pv_file *f,
		     long long fs_group, struct err *e)
{
	char *p = xasprintf("%s/%s", root, f->path), *slash = strrchr(p, '/');
	int fd = -1, rc = -1;

	*slash = '\0';
	if (ps_mkdirs(p, 0755, e) < 0)
		goto out;
	*slash = '/';
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, f->data, f->len) != (ssize_t)f->len ||
	    (fs_group >= 0 && fchown(fd, (uid_t)-1, (gid_t)fs_group) < 0) ||
	    fchmod(fd, want_mode(f, fs_group)) < 0) {
		err_set(e, ERR_IO, "write %s: %s", p, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(p);
	return rc;
}

/* Replace DIR/name by a symlink to target, atomically. */
static int swap_link(const char *dir, const char *name, const char *target,
		     struct err *e)
{
	char *tmp = xasprintf("%s/..%s_tmp", dir, name);
	char *dst = xasprintf("%s/%s", dir, name);
	int rc = 0;

	unlink(tmp);
	if (symlink(target, tmp) < 0 || rename(tmp, dst) < 0) {
		rc = err_set(e, ERR_IO, "link %s: %s", dst, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	free(dst);
	return rc;
}

/* Top-level entry of a payload path ("a/b" -> "a"), malloc'd. */
static char *top(const char *path)
{
	return xstrndup(path, strcspn(path, "/"));
}

static bool in_payload(const struct vec *files, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < files->len; i++) {
		const char *p = ((const struct pv_file *)files->items[i])->path;

		if (!strncmp(p, name, n) && (!p[n] || p[n] == '/'))
			return true;
	}
	return false;
}

/*
 * Symlinks for the new payload; the user-visible entries of the old
 * version (old: its directory name, "" for none) that the new payload
 * lacks are removed, dot-files included.
 */
static int user_links(const char *dir, const char *old, const struct vec *files,
		      struct err *e)
{
	char *od;
	DIR *d;
	struct dirent *de;
	size_t i;

	for (i = 0; i < files->len; i++) {
		char *t = top(((const struct pv_file *)files->items[i])->path);
		char *target = xasprintf("..data/%s", t);
		char *p = xasprintf("%s/%s", dir, t), cur[4096];
		ssize_t n = readlink(p, cur, sizeof(cur) - 1);
		int rc = 0;

		if (n < 0 || (size_t)n != strlen(target) ||
		    memcmp(cur, target, (size_t)n))
			rc = swap_link(dir, t, target, e);
		free(t);
		free(target);
		free(p);
		if (rc < 0)
			return -1;
	}
	if (!old[0])
		return 0;
	od = xasprintf("%s/%s", dir, old);
	d = opendir(od);
	free(od);
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    !in_payload(files, de->d_name)) {
			char *p = xasprintf("%s/%s", dir, de->d_name);

			unlink(p);
			free(p);
		}
	if (d)
		closedir(d);
	return 0;
}

int pv_atomic_write(const char *dir, const struct vec *files,
		    long long fs_group, struct err *e)
{
	char *data = xasprintf("%s/..data", dir), old[256], *name = NULL;
	char *root = NULL, *oldp;
	ssize_t n;
	size_t i;
	int rc = -1;

	for (i = 0; i < files->len; i++)
		if (!path_ok(((const struct pv_file *)files->items[i])->path)) {
			err_set(
			    e, ERR_INVALID, "invalid path: %s",
			    ((const struct pv_file *)files->items[i])->path);
			goto out;
		}
	if (ps_mkdirs(dir, 0755, e) < 0)
		goto out;
	if (unchanged(dir, files, fs_group)) {
		rc = 0;
		goto out;
	}
	n = readlink(data, old, sizeof(old) - 1);
	old[n > 0 ? n : 0] = '\0';
	if (strncmp(old, "..", 2) || strchr(old, '/'))
		old[0] = '\0'; /* not one of ours */
	if (new_version(dir, &name, e) < 0)
		goto out;
	root = xasprintf("%s/%s", dir, name);
	for (i = 0; i < files->len; i++)
		if (write_one(root, files->items[i], fs_group, e) < 0)
			goto out;
	if (swap_link(dir, "..data", name, e) < 0 ||
	    user_links(dir, old, files, e) < 0)
		goto out;
	oldp = xasprintf("%s/%s", dir, old);
	if (old[0] == '.' && old[1] == '.' && old[2] && strcmp(old, name))
		ps_rmtree(oldp, NULL);
	free(oldp);
	rc = 0;
out:
	if (rc < 0 && root)
		ps_rmtree(root, NULL);
	free(root);
	free(name);
	free(data);
	return rc;
}
