/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store: the content-addressed blob store under DIR/blobs/sha256 and the
 * store handle (see image_priv.h for the layout).
 *
 * A blob only appears under its digest after its bytes were checked: it
 * is written to DIR/tmp and renamed into place, so readers never see a
 * partial blob and several processes may fill one store.  Reads verify
 * the digest again (a corrupted file is an error, never trusted).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster/image/image_priv.h"
#include "common/mem.h"

static int mkdir_p(const char *path, struct err *e)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		rc = -1;
	if (rc < 0)
		err_set(e, ERR_IO, "cannot create %s: %s", p, strerror(errno));
	free(p);
	return rc;
}

int image_store_open(const char *dir, const char *registries_file,
		     struct image_store **out, struct err *e)
{
	struct image_store *s = xcalloc(1, sizeof(*s));
	char *rootfs = xasprintf("%s/rootfs", dir);
	int rc = -1;

	s->dir = xstrdup(dir);
	s->blobs = xasprintf("%s/blobs/sha256", dir);
	s->tmp = xasprintf("%s/tmp", dir);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cond, NULL);
	if (mkdir_p(s->blobs, e) < 0 || mkdir_p(s->tmp, e) < 0 ||
	    mkdir_p(rootfs, e) < 0)
		goto out;
	if (registries_file &&
	    img_registries_load(registries_file, &s->reg, e) < 0)
		goto out;
	*out = s;
	s = NULL;
	rc = 0;
out:
	free(rootfs);
	image_store_free(s);
	return rc;
}

void image_store_free(struct image_store *s)
{
	if (!s)
		return;
	img_registries_free(s->reg);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cond);
	free(s->dir);
	free(s->blobs);
	free(s->tmp);
	free(s);
}

char *img_blob_path(struct image_store *s, const char *digest)
{
	return xasprintf("%s/%s", s->blobs, digest + 7);
}

bool img_blob_has(struct image_store *s, const char *digest)
{
	char *p;
	bool ok;

	if (!img_digest_valid(digest))
		return false;
	p = img_blob_path(s, digest);
	ok = access(p, F_OK) == 0;
	free(p);
	return ok;
}

char *img_tmp_name(struct image_store *s, const char *what)
{
	static unsigned long counter;
	unsigned long n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);

	return xasprintf("%s/%s.%ld.%lu", s->tmp, what, (long)getpid(), n);
}

int img_blob_adopt(struct image_store *s, const char *tmp_path,
		   const char *digest, struct err *e)
{
	char *dst = img_blob_path(s, digest);
	int rc = 0;

	chmod(tmp_path, 0644);
	if (rename(tmp_path, dst) < 0) {
		rc = err_set(e, ERR_IO, "store blob %s: %s", digest,
			     strerror(errno));
		unlink(tmp_path);
	}
	free(dst);
	return rc;
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Store p[0..n) as a blob.  digest (may be NULL) is what the caller
 * expects: a mismatch is ERR_INVALID.  out_digest (may be NULL) gets the
 * real digest.
 */
int img_blob_put(struct image_store *s, const char *digest, const void *p,
		 size_t n, char out_digest[72], struct err *e)
{
	char d[72];
	char *tmp;
	int fd, rc;

	img_sha256(p, n, d);
	if (digest && strcmp(digest, d))
		return err_set(e, ERR_INVALID, "digest mismatch: expected %s, "
			       "got %s", digest, d);
	if (out_digest)
		memcpy(out_digest, d, 72);
	if (img_blob_has(s, d))
		return 0;
	tmp = img_tmp_name(s, "blob");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, p, n) < 0) {
		rc = err_set(e, ERR_IO, "write %s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		free(tmp);
		return rc;
	}
	close(fd);
	rc = img_blob_adopt(s, tmp, d, e);
	free(tmp);
	return rc;
}

int img_blob_read(struct image_store *s, const char *digest, size_t max,
		  char **out, size_t *n, struct err *e)
{
	char *path, *data = NULL, got[72];
	FILE *fp;
	struct stat st;
	int rc = -1;

	if (!img_digest_valid(digest))
		return err_set(e, ERR_INVALID, "invalid digest \"%.80s\"",
			       digest ? digest : "");
	path = img_blob_path(s, digest);
	fp = fopen(path, "rbe");
	if (!fp) {
		err_set(e, ERR_NOT_FOUND, "blob %s: not found", digest);
		goto out;
	}
	if (fstat(fileno(fp), &st) < 0 || (size_t)st.st_size > max) {
		err_set(e, ERR_TOO_LARGE, "blob %s: too large", digest);
		goto out;
	}
	data = xmalloc((size_t)st.st_size + 1);
	if (fread(data, 1, (size_t)st.st_size, fp) != (size_t)st.st_size) {
		err_set(e, ERR_IO, "read %s: %s", path, strerror(errno));
		goto out;
	}
	data[st.st_size] = '\0';
	img_sha256(data, (size_t)st.st_size, got);
	if (strcmp(got, digest)) {
		err_set(e, ERR_INVALID, "blob %s is corrupt (digest %s)",
			digest, got);
		goto out;
	}
	*out = data;
	*n = (size_t)st.st_size;
	data = NULL;
	rc = 0;
out:
	if (fp)
		fclose(fp);
	free(data);
	free(path);
	return rc;
}
