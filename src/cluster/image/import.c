/* SPDX-License-Identifier: Apache-2.0 */
/*
 * import: load images from an OCI image layout (directory or tar, as
 * `skopeo copy oci-archive:` and `ctr export` write them) or a `docker
 * save` archive into the store.
 *
 * One pass copies every regular file of the archive into the blob store
 * (hashing as it goes) and remembers name -> digest; a file under
 * blobs/sha256/ must hash to its own name.  The second pass reads the
 * small JSON files back: index.json (OCI) or manifest.json (Docker).  A
 * Docker image gets an OCI manifest made up from its config and layer
 * tars.  Names: --name when given, else io.containerd.image.name, else
 * org.opencontainers.image.ref.name when it is a full reference, else
 * the archive's RepoTags.  The whole import holds pull.lock shared so a
 * concurrent sweep leaves its fresh blobs alone.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <uthash.h>

#include "cluster/image/image_priv.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/vec.h"

struct file {
	char *name;
	char digest[72];
	int64_t size;
	UT_hash_handle hh;
};

struct importer {
	struct image_store *s;
	struct file *files;
	struct vec refs;	/* char *, stored names */
	const char *name;	/* --name */
};

typedef ssize_t (*read_fn)(void *ctx, void *buf, size_t n);

/* Copy a stream into the blob store; *d and *size describe it. */
static int stream_blob(struct image_store *s, read_fn rd, void *ctx,
		       char d[72], int64_t *size, struct err *e)
{
	char *tmp = img_tmp_name(s, "import"), chunk[65536];
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	struct img_hash *h = img_hash_new();
	int64_t total = 0;
	ssize_t n;
	int rc = -1;

	if (fd < 0) {
		err_set(e, ERR_IO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	while ((n = rd(ctx, chunk, sizeof(chunk))) > 0) {
		img_hash_update(h, chunk, (size_t)n);
		total += n;
		if (write(fd, chunk, (size_t)n) != n) {
			err_set(e, ERR_IO, "%s: %s", tmp, strerror(errno));
			goto out;
		}
	}
	if (n < 0) {
		err_set(e, ERR_INVALID, "cannot read the archive");
		goto out;
	}
	img_hash_finish(h, d);
	h = NULL;
	*size = total;
	rc = img_blob_adopt(s, tmp, d, e);
out:
	if (h) {
		char junk[72];

		img_hash_finish(h, junk);
	}
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Record a copied file; blobs/sha256/HEX must hash to HEX. */
static int add_file(struct importer *im, const char *name, const char *d,
		    int64_t size, struct err *e)
{
	struct file *f;

	while (name[0] == '.' && name[1] == '/')
		name += 2;
	if (!strncmp(name, "blobs/sha256/", 13) && strcmp(name + 13, d + 7))
		return err_set(e, ERR_INVALID, "%s: wrong digest (content "
			       "hashes to %s)", name, d);
	HASH_FIND_STR(im->files, name, f);
	if (f)
		return 0;
	f = xcalloc(1, sizeof(*f));
	f->name = xstrdup(name);
	memcpy(f->digest, d, 72);
	f->size = size;
	HASH_ADD_KEYPTR(hh, im->files, f->name, strlen(f->name), f);
	return 0;
}

static ssize_t tar_read(void *ctx, void *buf, size_t n)
{
	la_ssize_t r = archive_read_data(ctx, buf, n);

	return r < 0 ? -1 : r;
}

static int scan_tar(struct importer *im, const char *path, struct err *e)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ent;
	int r, rc = -1;

	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		err_set(e, ERR_INVALID, "%s: %s", path, archive_error_string(a));
		goto out;
	}
	while ((r = archive_read_next_header(a, &ent)) == ARCHIVE_OK ||
	       r == ARCHIVE_WARN) {
		char d[72];
		int64_t size;

		if (archive_entry_filetype(ent) != AE_IFREG ||
		    !archive_entry_pathname(ent))
			continue;
		if (stream_blob(im->s, tar_read, a, d, &size, e) < 0 ||
		    add_file(im, archive_entry_pathname(ent), d, size, e) < 0)
			goto out;
	}
	if (r != ARCHIVE_EOF) {
		err_set(e, ERR_INVALID, "%s: not a tar archive: %s", path,
			archive_error_string(a));
		goto out;
	}
	rc = 0;
out:
	archive_read_free(a);
	return rc;
}

static ssize_t fd_read(void *ctx, void *buf, size_t n)
{
	return read(*(int *)ctx, buf, n);
}

/* nftw has no user pointer: one directory import at a time. */
static pthread_mutex_t walk_mu = PTHREAD_MUTEX_INITIALIZER;
static struct importer *walk_im;
static struct err *walk_err;
static size_t walk_root_len;

static int walk_one(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	char d[72];
	int64_t size;
	int fd, rc;

	(void)st;
	(void)ftw;
	if (flag != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(walk_err, ERR_IO, "%s: %s", path,
			       strerror(errno));
	rc = stream_blob(walk_im->s, fd_read, &fd, d, &size, walk_err);
	close(fd);
	if (rc == 0)
		rc = add_file(walk_im, path + walk_root_len, d, size, walk_err);
	return rc < 0 ? 1 : 0;
}

static int scan_dir(struct importer *im, const char *path, struct err *e)
{
	int rc;

	pthread_mutex_lock(&walk_mu);
	walk_im = im;
	walk_err = e;
	walk_root_len = strlen(path) + 1;
	rc = nftw(path, walk_one, 16, FTW_PHYS);
	pthread_mutex_unlock(&walk_mu);
	if (rc < 0)
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	return rc ? -1 : 0;
}

/* The JSON file name of the archive, parsed; NULL when absent. */
static cJSON *read_json(struct importer *im, const char *name, struct err *e)
{
	struct file *f;
	char *text = NULL;
	size_t n;
	cJSON *v;

	HASH_FIND_STR(im->files, name, f);
	if (!f)
		return NULL;
	if (img_blob_read(im->s, f->digest, IMG_MANIFEST_MAX, &text, &n, e))
		return NULL;
	v = json_parse(text, n, e);
	if (!v)
		err_wrap(e, "%s", name);
	free(text);
	return v;
}

/* Normalize and store one name -> (digest, manifest). */
static int tag(struct importer *im, const char *name, const char *digest,
	       const char *manifest, struct err *e)
{
	char *norm = NULL;

	if (image_normalize(name, &norm, e) < 0)
		return -1;
	if (img_store_commit(im->s, norm, digest, manifest, e) < 0) {
		free(norm);
		return -1;
	}
	vec_push(&im->refs, norm);
	return 0;
}

static struct file *file_get(struct importer *im, const char *name)
{
	struct file *f;

	while (name[0] == '.' && name[1] == '/')
		name += 2;
	HASH_FIND_STR(im->files, name, f);
	return f;
}

/* The archive holds blob digest (as blobs/sha256/HEX). */
static int need_blob(struct importer *im, const char *digest, struct err *e)
{
	char *name = xasprintf("blobs/sha256/%s", digest + 7);
	struct file *f = file_get(im, name);

	free(name);
	if (!f)
		return err_set(e, ERR_INVALID, "blob %s is missing from the "
			       "archive", digest);
	return 0;
}

/* Index entry digest -> the image manifest for this platform. */
static int resolve_entry(struct importer *im, const char *digest,
			 char **manifest, struct err *e)
{
	struct img_manifest m = {0};
	char *text = NULL, *cur = xstrdup(digest);
	size_t n;
	int rc = -1;

	for (int depth = 0; depth < 4; depth++) {
		if (need_blob(im, cur, e) < 0 ||
		    img_blob_read(im->s, cur, IMG_MANIFEST_MAX, &text, &n, e) ||
		    img_manifest_parse(text, n, NULL, &m, e) < 0)
			goto out;
		free(text);
		text = NULL;
		if (m.kind == IMG_MANIFEST) {
			for (size_t i = 0; i < m.nlayers; i++)
				if (need_blob(im, m.layers[i].digest, e) < 0)
					goto out;
			if (need_blob(im, m.config.digest, e) < 0)
				goto out;
			*manifest = cur;
			cur = NULL;
			rc = 0;
			goto out;
		}
		free(cur);
		cur = xstrdup(m.platform->digest);
		img_manifest_done(&m);
	}
	err_set(e, ERR_INVALID, "%s: indexes nested too deeply", digest);
out:
	img_manifest_done(&m);
	free(text);
	free(cur);
	return rc;
}

/* The name an OCI index entry carries, or NULL. */
static const char *entry_name(const cJSON *entry)
{
	const cJSON *ann = json_obj(entry, "annotations");
	const char *n = cJSON_GetStringValue(
		json_obj(ann, "io.containerd.image.name"));
	const char *r = cJSON_GetStringValue(
		json_obj(ann, "org.opencontainers.image.ref.name"));
	struct img_ref ref;
	struct err e = {0};

	if (n)
		return n;
	if (r && strchr(r, '/') && img_ref_parse(r, &ref, &e) == 0) {
		img_ref_done(&ref);
		return r;
	}
	return NULL;
}

static int import_oci(struct importer *im, const cJSON *idx, struct err *e)
{
	const cJSON *list = json_obj(idx, "manifests"), *it;

	if (!cJSON_IsArray(list) || !cJSON_GetArraySize(list))
		return err_set(e, ERR_INVALID, "index.json lists no images");
	cJSON_ArrayForEach(it, list) {
		const char *dg = json_get_str(it, "digest");
		const char *name = im->name ? im->name : entry_name(it);
		char *man = NULL;
		int rc;

		if (!img_digest_valid(dg))
			return err_set(e, ERR_INVALID, "index.json: invalid "
				       "digest \"%.80s\"", dg ? dg : "");
		if (!name)
			return err_set(e, ERR_INVALID, "the archive does not "
				       "name its image: use --name REF");
		if (resolve_entry(im, dg, &man, e) < 0)
			return -1;
		rc = tag(im, name, dg, man, e);
		free(man);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* A descriptor for an archive file, as a manifest needs it. */
static cJSON *desc_for(struct importer *im, const char *name, const char *mt,
		       struct err *e)
{
	struct file *f = name ? file_get(im, name) : NULL;
	cJSON *d;

	if (!f) {
		err_set(e, ERR_INVALID, "manifest.json names \"%.200s\", "
			"which is not in the archive", name ? name : "");
		return NULL;
	}
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "mediaType", mt);
	cJSON_AddStringToObject(d, "digest", f->digest);
	cJSON_AddNumberToObject(d, "size", (double)f->size);
	return d;
}

/* An OCI manifest for one `docker save` entry; *digest gets its digest. */
static int docker_manifest(struct importer *im, const cJSON *item,
			   char digest[72], struct err *e)
{
	const cJSON *layers = json_obj(item, "Layers"), *l;
	cJSON *m = cJSON_CreateObject(), *arr, *d;
	char *text = NULL;
	int rc = -1;

	cJSON_AddNumberToObject(m, "schemaVersion", 2);
	cJSON_AddStringToObject(m, "mediaType",
				"application/vnd.oci.image.manifest.v1+json");
	if (!cJSON_IsArray(layers)) {
		err_set(e, ERR_INVALID, "manifest.json: no Layers list");
		goto out;
	}
	d = desc_for(im, json_get_str(item, "Config"),
		     "application/vnd.oci.image.config.v1+json", e);
	if (!d)
		goto out;
	cJSON_AddItemToObject(m, "config", d);
	arr = cJSON_AddArrayToObject(m, "layers");
	cJSON_ArrayForEach(l, layers) {
		d = desc_for(im, cJSON_GetStringValue(l),
			     "application/vnd.oci.image.layer.v1.tar", e);
		if (!d)
			goto out;
		cJSON_AddItemToArray(arr, d);
	}
	text = json_print(m);
	rc = img_blob_put(im->s, NULL, text, strlen(text), digest, e);
out:
	free(text);
	cJSON_Delete(m);
	return rc;
}

static int import_docker(struct importer *im, const cJSON *list,
			 struct err *e)
{
	const cJSON *item, *t;

	if (!cJSON_IsArray(list) || !cJSON_GetArraySize(list))
		return err_set(e, ERR_INVALID, "manifest.json lists no images");
	cJSON_ArrayForEach(item, list) {
		const cJSON *tags = json_obj(item, "RepoTags");
		char d[72];
		int named = 0;

		if (docker_manifest(im, item, d, e) < 0)
			return -1;
		if (im->name)
			named = tag(im, im->name, d, d, e) < 0 ? -1 : 1;
		else
			cJSON_ArrayForEach(t, tags) {
				if (!cJSON_IsString(t) ||
				    tag(im, t->valuestring, d, d, e) < 0)
					return -1;
				named++;
			}
		if (named < 0)
			return -1;
		if (!named)
			return err_set(e, ERR_INVALID, "the archive does not "
				       "name its image: use --name REF");
	}
	return 0;
}

static int import_layout(struct importer *im, struct err *e)
{
	cJSON *doc;
	int rc;

	err_clear(e);
	if ((doc = read_json(im, "index.json", e))) {
		rc = import_oci(im, doc, e);
	} else if (e->code == ERR_OK &&
		   (doc = read_json(im, "manifest.json", e))) {
		rc = import_docker(im, doc, e);
	} else {
		if (e->code == ERR_OK)
			err_set(e, ERR_INVALID, "not an image archive (no "
				"index.json or manifest.json)");
		return -1;
	}
	cJSON_Delete(doc);
	return rc;
}

static void files_free(struct importer *im)
{
	struct file *f, *tmp;

	HASH_ITER(hh, im->files, f, tmp) {
		HASH_DEL(im->files, f);
		free(f->name);
		free(f);
	}
}

int image_import(struct image_store *s, const char *path, const char *name,
		 char ***refs, struct err *e)
{
	struct importer im = { .s = s, .name = name };
	struct stat st;
	int lock = -1, rc = -1;

	if (stat(path, &st) < 0)
		return err_set(e, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO,
			       "%s: %s", path, strerror(errno));
	lock = img_lock(s, "pull.lock", LOCK_SH);
	if ((S_ISDIR(st.st_mode) ? scan_dir(&im, path, e)
				 : scan_tar(&im, path, e)) < 0)
		goto out;
	if (import_layout(&im, e) < 0)
		goto out;
	if (refs) {
		vec_push(&im.refs, NULL);
		*refs = (char **)im.refs.items;
		im.refs.items = NULL;
		im.refs.len = im.refs.cap = 0;
	}
	rc = 0;
out:
	img_unlock(lock);
	vec_free(&im.refs, free);
	files_free(&im);
	return rc;
}
