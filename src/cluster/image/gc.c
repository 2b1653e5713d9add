/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gc: listing, removal and garbage collection of stored images.  Removing
 * a reference drops it from refs.json; a mark-and-sweep then deletes the
 * blobs and root filesystems no remaining reference reaches (index.c
 * explains why the sweep defers to pulls in progress).
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uthash.h>

#include "cluster/image/image_priv.h"
#include "common/json.h"
#include "common/mem.h"

struct mark {
	char *hex;
	UT_hash_handle hh;
};

static void mark_add(struct mark **set, const char *digest)
{
	struct mark *m;

	if (!img_digest_valid(digest))
		return;
	HASH_FIND_STR(*set, digest + 7, m);
	if (m)
		return;
	m = xcalloc(1, sizeof(*m));
	m->hex = xstrdup(digest + 7);
	HASH_ADD_KEYPTR(hh, *set, m->hex, strlen(m->hex), m);
}

static void mark_free(struct mark **set)
{
	struct mark *m, *tmp;

	HASH_ITER(hh, *set, m, tmp) {
		HASH_DEL(*set, m);
		free(m->hex);
		free(m);
	}
}

/* Mark what one index entry reaches; configs also go to *roots. */
static void mark_entry(struct image_store *s, const cJSON *ent,
		       struct mark **blobs, struct mark **roots)
{
	struct img_manifest m = {0};
	struct err e = {0};
	const char *man = json_get_str(ent, "manifest");

	mark_add(blobs, json_get_str(ent, "digest"));
	mark_add(blobs, man);
	if (!man || img_load_manifest(s, man, &m, &e) < 0)
		return;
	mark_add(blobs, m.config.digest);
	mark_add(roots, m.config.digest);
	for (size_t i = 0; i < m.nlayers; i++)
		mark_add(blobs, m.layers[i].digest);
	img_manifest_done(&m);
}

/* Delete entries of dir whose names are not in keep. */
static void sweep_dir(const char *dir, struct mark *keep)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		struct mark *m;
		char *p;

		if (de->d_name[0] == '.')
			continue;
		HASH_FIND_STR(keep, de->d_name, m);
		if (m)
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		img_rm_tree(p);
		free(p);
	}
	if (d)
		closedir(d);
}

void img_sweep(struct image_store *s)
{
	int fd = img_lock(s, "pull.lock", LOCK_EX | LOCK_NB);
	struct mark *blobs = NULL, *roots = NULL;
	struct err e = {0};
	cJSON *root, *ent;
	char *rootfs;

	if (fd < 0)
		return;
	root = img_refs_read(s, &e);
	if (!root)
		goto out;
	cJSON_ArrayForEach(ent, root)
		mark_entry(s, ent, &blobs, &roots);
	sweep_dir(s->blobs, blobs);
	rootfs = xasprintf("%s/rootfs", s->dir);
	sweep_dir(rootfs, roots);
	free(rootfs);
out:
	cJSON_Delete(root);
	mark_free(&blobs);
	mark_free(&roots);
	img_unlock(fd);
}

static int info_cmp(const void *a, const void *b)
{
	return strcmp(((const struct image_info *)a)->ref,
		      ((const struct image_info *)b)->ref);
}

int image_list(struct image_store *s, struct image_info **out, size_t *n,
	       struct err *e)
{
	cJSON *root = img_refs_read(s, e), *ent;
	struct image_info *v;
	size_t i = 0;

	if (!root)
		return -1;
	v = xcalloc((size_t)cJSON_GetArraySize(root) + 1, sizeof(*v));
	cJSON_ArrayForEach(ent, root) {
		struct img_manifest m = {0};
		struct err e2 = {0};
		const char *man = json_get_str(ent, "manifest");
		int64_t created = 0;

		if (!man || img_load_manifest(s, man, &m, &e2) < 0)
			continue;
		json_get_int(ent, "created", &created);
		v[i].ref = xstrdup(ent->string);
		v[i].id = xstrdup(m.config.digest);
		v[i].created = created;
		for (size_t j = 0; j < m.nlayers; j++)
			v[i].size += m.layers[j].size;
		i++;
		img_manifest_done(&m);
	}
	cJSON_Delete(root);
	qsort(v, i, sizeof(*v), info_cmp);
	*out = v;
	*n = i;
	return 0;
}

void image_info_free(struct image_info *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].ref);
		free(v[i].id);
	}
	free(v);
}

/* References whose image id (config digest) starts with id. */
static char **refs_by_id(struct image_store *s, const char *id)
{
	struct image_info *v = NULL;
	struct err e = {0};
	size_t n = 0, k = 0;
	char **refs;
	const char *hex = strncmp(id, "sha256:", 7) ? id : id + 7;

	if (strlen(hex) < 12 || image_list(s, &v, &n, &e) < 0)
		return NULL;
	refs = xcalloc(n + 1, sizeof(*refs));
	for (size_t i = 0; i < n; i++)
		if (!strncmp(v[i].id + 7, hex, strlen(hex)))
			refs[k++] = xstrdup(v[i].ref);
	image_info_free(v, n);
	return refs;
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/*
 * Remove a reference (or, when ref is an image id or a prefix of one of
 * at least 12 hex digits, every reference of that image).
 */
int image_remove(struct image_store *s, const char *ref, struct err *e)
{
	char *norm = NULL, **refs = NULL;
	size_t n = 0;
	int rc = -1;
	struct err e2 = {0};

	if (image_normalize(ref, &norm, &e2) == 0) {
		const char *one[] = { norm, NULL };

		if (img_refs_drop(s, one, &n, e) < 0)
			goto out;
	}
	if (!n && (refs = refs_by_id(s, ref)) && refs[0] &&
	    img_refs_drop(s, (const char *const *)refs, &n, e) < 0)
		goto out;
	if (!n) {
		err_set(e, ERR_NOT_FOUND, "image \"%s\": not found",
			norm ? norm : ref);
		goto out;
	}
	img_sweep(s);
	rc = 0;
out:
	strv_free(refs);
	free(norm);
	return rc;
}

static int64_t blob_bytes(struct image_store *s)
{
	DIR *d = opendir(s->blobs);
	struct dirent *de;
	int64_t total = 0;

	while (d && (de = readdir(d))) {
		struct stat st;
		char *p = xasprintf("%s/%s", s->blobs, de->d_name);

		if (de->d_name[0] != '.' && stat(p, &st) == 0)
			total += st.st_size;
		free(p);
	}
	if (d)
		closedir(d);
	return total;
}

static int created_cmp(const void *a, const void *b)
{
	const struct image_info *x = a, *y = b;

	return x->created < y->created ? -1 : x->created > y->created;
}

static bool in_list(const char *const *list, const char *ref)
{
	for (size_t i = 0; list && list[i]; i++)
		if (!strcmp(list[i], ref))
			return true;
	return false;
}

int image_gc(struct image_store *s, const char *const *in_use,
	     int64_t high_bytes, int64_t low_bytes, int64_t *freed,
	     struct err *e)
{
	struct image_info *v = NULL;
	int64_t before = blob_bytes(s), now = before;
	size_t n = 0;

	if (before <= high_bytes) {
		*freed = 0;
		return 0;
	}
	if (image_list(s, &v, &n, e) < 0)
		return -1;
	qsort(v, n, sizeof(*v), created_cmp);
	for (size_t i = 0; i < n && now >= low_bytes; i++) {
		const char *one[] = { v[i].ref, NULL };
		size_t dropped;

		if (in_list(in_use, v[i].ref) ||
		    img_refs_drop(s, one, &dropped, e) < 0)
			continue;
		img_sweep(s);
		now = blob_bytes(s);
	}
	image_info_free(v, n);
	*freed = before - now;
	return 0;
}
