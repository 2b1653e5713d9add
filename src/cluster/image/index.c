/* SPDX-License-Identifier: Apache-2.0 */
/*
 * index: the reference index (DIR/refs.json) and what hangs off it:
 * resolving a reference to its config and unpacked root filesystem,
 * listing, removing and sweeping unreferenced blobs and rootfs trees.
 *
 * refs.json is rewritten whole (atomic rename) under an exclusive flock
 * on refs.lock; readers take a shared lock.  flock locks belong to open
 * file descriptions, so they order threads of one process as well as
 * processes.  Pulls in progress hold a shared lock on pull.lock; the
 * sweep only deletes blobs when it gets that lock exclusively, so it never
 * removes a blob a concurrent pull has fetched but not yet committed.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <uthash.h>

#include "cluster/image/image_priv.h"
#include "common/file.h"
#include "common/json.h"
#include "common/mem.h"

int img_lock(struct image_store *s, const char *name, int op)
{
	char *p = xasprintf("%s/%s", s->dir, name);
	int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	free(p);
	if (fd < 0)
		return -1;
	while (flock(fd, op) < 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

void img_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* refs.json as an object (empty when missing); caller frees. */
static cJSON *refs_load(struct image_store *s, struct err *e)
{
	char *p = xasprintf("%s/refs.json", s->dir);
	FILE *fp = fopen(p, "rbe");
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	cJSON *root = NULL;

	if (!fp) {
		free(p);
		return cJSON_CreateObject();
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	root = json_parse(buf_cstr(&b), b.len, e);
	if (root && !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		root = NULL;
		err_set(e, ERR_INVALID, "%s: not a JSON object", p);
	} else if (!root) {
		err_wrap(e, "%s", p);
	}
	buf_free(&b);
	free(p);
	return root;
}

static int refs_save(struct image_store *s, const cJSON *root, struct err *e)
{
	char *p = xasprintf("%s/refs.json", s->dir);
	char *text = json_print(root);
	int rc = file_write_atomic(p, text, strlen(text), 0644, e);

	free(text);
	free(p);
	return rc;
}

/* The parsed image manifest named by digest (a manifest, not an index). */
int img_load_manifest(struct image_store *s, const char *digest,
			 struct img_manifest *m, struct err *e)
{
	char *text = NULL;
	size_t n;
	int rc;

	if (img_blob_read(s, digest, IMG_MANIFEST_MAX, &text, &n, e) < 0)
		return -1;
	rc = img_manifest_parse(text, n, NULL, m, e);
	free(text);
	if (rc == 0 && m->kind != IMG_MANIFEST) {
		img_manifest_done(m);
		return err_set(e, ERR_INVALID, "%s is not an image manifest",
			       digest);
	}
	return rc;
}

static char *rootfs_path(struct image_store *s, const char *config_digest)
{
	return xasprintf("%s/rootfs/%s", s->dir, config_digest + 7);
}

/* Unpack the manifest's layers into rootfs/HEX unless already there. */
static int ensure_rootfs(struct image_store *s, const struct img_manifest *m,
			 struct err *e)
{
	char *dst = rootfs_path(s, m->config.digest), *tmp = NULL;
	const char **layers = xcalloc(m->nlayers + 1, sizeof(*layers));
	int rc = -1;

	if (access(dst, F_OK) == 0) {
		rc = 0;
		goto out;
	}
	for (size_t i = 0; i < m->nlayers; i++)
		layers[i] = img_blob_path(s, m->layers[i].digest);
	tmp = img_tmp_name(s, "rootfs");
	if (mkdir(tmp, 0755) < 0) {
		err_set(e, ERR_IO, "mkdir %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (img_unpack_layers(tmp, layers, m->nlayers, e) < 0) {
		err_wrap(e, "failed to extract layer");
		goto out;
	}
	if (rename(tmp, dst) < 0 && access(dst, F_OK) != 0) {
		err_set(e, ERR_IO, "rename %s: %s", dst, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (tmp)
		img_rm_tree(tmp);
	for (size_t i = 0; i < m->nlayers; i++)
		free((char *)layers[i]);
	free(layers);
	free(tmp);
	free(dst);
	return rc;
}

int img_store_commit(struct image_store *s, const char *ref,
		     const char *digest, const char *manifest, struct err *e)
{
	struct img_manifest m = {0};
	cJSON *root = NULL, *ent;
	int fd = -1, rc = -1;

	if (img_load_manifest(s, manifest, &m, e) < 0)
		return -1;
	for (size_t i = 0; i < m.nlayers; i++)
		if (!img_blob_has(s, m.layers[i].digest)) {
			err_set(e, ERR_NOT_FOUND, "layer %s: not found",
				m.layers[i].digest);
			goto out;
		}
	if (!img_blob_has(s, m.config.digest)) {
		err_set(e, ERR_NOT_FOUND, "config %s: not found",
			m.config.digest);
		goto out;
	}
	if (ensure_rootfs(s, &m, e) < 0)
		goto out;
	fd = img_lock(s, "refs.lock", LOCK_EX);
	if (fd < 0 || !(root = refs_load(s, e))) {
		if (fd < 0)
			err_set(e, ERR_IO, "lock refs: %s", strerror(errno));
		goto out;
	}
	ent = cJSON_CreateObject();
	cJSON_AddStringToObject(ent, "digest", digest);
	cJSON_AddStringToObject(ent, "manifest", manifest);
	cJSON_AddNumberToObject(ent, "created", (double)time(NULL));
	cJSON_DeleteItemFromObjectCaseSensitive(root, ref);
	cJSON_AddItemToObject(root, ref, ent);
	rc = refs_save(s, root, e);
out:
	img_unlock(fd);
	cJSON_Delete(root);
	img_manifest_done(&m);
	return rc;
}

/* Copy of the index entry for a normalized ref; NULL if absent. */
static cJSON *lookup(struct image_store *s, const char *ref, struct err *e)
{
	int fd = img_lock(s, "refs.lock", LOCK_SH);
	cJSON *root = refs_load(s, e), *ent = NULL;

	img_unlock(fd);
	if (root && cJSON_IsObject(json_obj(root, ref)))
		ent = json_dup(json_obj(root, ref));
	cJSON_Delete(root);
	if (!ent)
		err_set(e, ERR_NOT_FOUND, "image \"%s\": not found", ref);
	return ent;
}

bool image_present(struct image_store *s, const char *ref)
{
	struct err e = {0};
	char *norm = NULL;
	cJSON *ent = NULL;
	bool ok = false;

	if (image_normalize(ref, &norm, &e) == 0 && (ent = lookup(s, norm, &e)))
		ok = true;
	cJSON_Delete(ent);
	free(norm);
	return ok;
}

/* Fill the store-derived fields of c from an index entry. */
static int fill_config(struct image_store *s, const char *ref,
		       const cJSON *ent, struct image_config **out,
		       struct err *e)
{
	const char *dg = json_get_str(ent, "digest");
	const char *man = json_get_str(ent, "manifest");
	struct img_manifest m = {0};
	struct image_config *c = NULL;
	char *text = NULL, *at;
	size_t n;
	int rc = -1;

	if (!dg || !man || img_load_manifest(s, man, &m, e) < 0 ||
	    img_blob_read(s, m.config.digest, IMG_CONFIG_MAX, &text, &n, e) ||
	    img_config_parse(text, n, &c, e) < 0 || ensure_rootfs(s, &m, e))
		goto out;
	c->ref = xstrdup(ref);
	c->id = xstrdup(m.config.digest);
	at = strpbrk(ref, "@");
	c->repo_digest = at ? xstrdup(ref) : xasprintf("%.*s@%s",
		(int)(strrchr(ref, ':') - ref), ref, dg);
	c->rootfs = rootfs_path(s, m.config.digest);
	for (size_t i = 0; i < m.nlayers; i++)
		c->size += m.layers[i].size;
	*out = c;
	c = NULL;
	rc = 0;
out:
	image_config_free(c);
	img_manifest_done(&m);
	free(text);
	return rc;
}

int image_get(struct image_store *s, const char *ref,
	      struct image_config **out, struct err *e)
{
	char *norm = NULL;
	cJSON *ent = NULL;
	int rc = -1;

	if (image_normalize(ref, &norm, e) < 0)
		return -1;
	ent = lookup(s, norm, e);
	if (ent)
		rc = fill_config(s, norm, ent, out, e);
	cJSON_Delete(ent);
	free(norm);
	return rc;
}

cJSON *img_refs_read(struct image_store *s, struct err *e)
{
	int fd = img_lock(s, "refs.lock", LOCK_SH);
	cJSON *root = refs_load(s, e);

	img_unlock(fd);
	return root;
}

int img_refs_drop(struct image_store *s, const char *const *refs, size_t *n,
		  struct err *e)
{
	int fd = img_lock(s, "refs.lock", LOCK_EX), rc = -1;
	cJSON *root = NULL;

	*n = 0;
	if (fd < 0)
		return err_set(e, ERR_IO, "lock refs: %s", strerror(errno));
	root = refs_load(s, e);
	if (!root)
		goto out;
	for (size_t i = 0; refs[i]; i++)
		if (json_obj(root, refs[i])) {
			cJSON_DeleteItemFromObjectCaseSensitive(root, refs[i]);
			(*n)++;
		}
	rc = *n ? refs_save(s, root, e) : 0;
out:
	cJSON_Delete(root);
	img_unlock(fd);
	return rc;
}
