/* SPDX-License-Identifier: Apache-2.0 */
/*
 * image: the node's content-addressed OCI image store (DATA/images) and
 * the registry client that fills it.
 *
 * Blobs live under blobs/sha256/<hex>; a reference ("docker.io/library/
 * busybox:1.36", normalized as Docker does) names a manifest digest; an
 * image's layers are unpacked once into a read-only root filesystem that
 * every container of the image shares (the runtime puts a writable layer
 * over it).  Several processes may use one store at a time (the daemon
 * and `kdeck image import`): writes are atomic renames, the reference
 * index is guarded by a lock file.  All functions are thread-safe;
 * concurrent pulls of one reference do the work once.
 *
 * Errors carry the messages kubelet shows in events, e.g.
 *   failed to pull and unpack image "docker.io/library/nope:latest":
 *   failed to resolve reference "...": ...: not found
 * with ERR_NOT_FOUND for a missing image or tag, ERR_UNAUTHORIZED when
 * the registry refused the credentials, ERR_UNAVAILABLE when it could not
 * be reached.
 */
#ifndef KDECK_CLUSTER_IMAGE_IMAGE_H
#define KDECK_CLUSTER_IMAGE_IMAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"

struct image_store;

/* What the runtime needs from an image's config blob. */
struct image_config {
	char *ref;		/* normalized reference it was resolved from */
	char *id;		/* "sha256:..." of the config blob (imageID) */
	char *repo_digest;	/* "docker.io/library/busybox@sha256:..." */
	char **entrypoint;	/* NULL-terminated; NULL when unset */
	char **cmd;		/* NULL-terminated; NULL when unset */
	char **env;		/* "K=V", NULL-terminated; never NULL */
	char *working_dir;	/* NULL when unset */
	char *user;		/* "uid[:gid]" or a name; NULL when unset */
	char *rootfs;		/* unpacked, read-only root filesystem */
	int64_t size;		/* bytes of compressed layers */
};
void image_config_free(struct image_config *c);

/* One row of image_list. */
struct image_info {
	char *ref;
	char *id;
	int64_t size;
	int64_t created;	/* unix seconds the reference was stored */
};
void image_info_free(struct image_info *v, size_t n);

/*
 * Open (creating) the store in dir.  registries_file (may be NULL or
 * missing) configures mirrors, insecure (plain HTTP or unverified TLS)
 * registries and credentials, in the shape of k3s' registries.yaml:
 *   mirrors: {"docker.io": {endpoint: ["http://127.0.0.1:5000"]}}
 *   configs: {"127.0.0.1:5000": {auth: {username: u, password: p},
 *             tls: {insecure_skip_verify: true, ca_file: F}}}
 */
int image_store_open(const char *dir, const char *registries_file,
		     struct image_store **out, struct err *e);
void image_store_free(struct image_store *s);

/* "busybox" -> "docker.io/library/busybox:latest"; digests kept. */
int image_normalize(const char *ref, char **out, struct err *e);

/* The image is stored (reference resolved and unpacked). */
bool image_present(struct image_store *s, const char *ref);

/*
 * Pull ref from its registry (or a mirror) and unpack it.  Blocking: call
 * from a worker thread.  auths: NULL-terminated list of
 * `.dockerconfigjson` documents from the pod's imagePullSecrets (may be
 * NULL).  Picks linux/<this arch> from multi-arch indexes; gzip, zstd and
 * uncompressed layers; whiteouts applied when unpacking.
 */
int image_pull(struct image_store *s, const char *ref,
	       const char *const *auths, struct err *e);

/* Resolve a stored image: *out gets its config (caller frees). */
int image_get(struct image_store *s, const char *ref,
	      struct image_config **out, struct err *e);

/*
 * Import an OCI image layout (directory or tar) or a `docker save`
 * archive.  name (may be NULL) tags the image when the archive carries no
 * name or to rename it.  *refs (may be NULL) gets the stored references,
 * NULL-terminated; caller frees each and the array.
 */
int image_import(struct image_store *s, const char *path, const char *name,
		 char ***refs, struct err *e);

int image_list(struct image_store *s, struct image_info **out, size_t *n,
	       struct err *e);
/* Remove a reference; blobs and rootfs go when nothing else uses them. */
int image_remove(struct image_store *s, const char *ref, struct err *e);
/*
 * Garbage collection: remove images not named in in_use (NULL-terminated
 * normalized references) while the store is above high_bytes, oldest
 * first, until it is under low_bytes.  *freed gets the bytes removed.
 */
int image_gc(struct image_store *s, const char *const *in_use,
	     int64_t high_bytes, int64_t low_bytes, int64_t *freed,
	     struct err *e);

/* `kdeck image import|ls|rm|pull` (image/cli.c). */
int image_main(int argc, char **argv);

#endif
