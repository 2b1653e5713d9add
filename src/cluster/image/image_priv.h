/* SPDX-License-Identifier: Apache-2.0 */
/*
 * image_priv: what the files of the image store share and nobody else
 * sees: parsed references, digests, OCI manifest parsing, the blob and
 * reference store, layer unpacking, registries.yaml, registry auth.
 *
 * Store layout under DIR (DATA/images):
 *   blobs/sha256/HEX     content-addressed blobs (manifests, configs, layers)
 *   refs.json            {"REF": {"digest": D, "manifest": M, "created": T}}
 *                        D: what the reference resolved to (maybe an index),
 *                        M: the linux/<arch> image manifest
 *   refs.lock            flock(2) guarding refs.json across processes
 *   rootfs/HEX           unpacked root filesystem, HEX of the config digest
 *   tmp/                 downloads and unpacks in progress (renamed into
 *                        place when complete)
 */
#ifndef KDECK_CLUSTER_IMAGE_PRIV_H
#define KDECK_CLUSTER_IMAGE_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "cluster/image/image.h"
#include "common/buf.h"
#include "common/err.h"

/* Sizes we refuse to go beyond (hostile registries and archives). */
#define IMG_MANIFEST_MAX (4 * 1024 * 1024)
#define IMG_CONFIG_MAX (8 * 1024 * 1024)
#define IMG_LAYER_MAX ((int64_t)64 * 1024 * 1024 * 1024)
#define IMG_LAYERS_MAX 256

/* ---- ref.c: references ---- */
struct img_ref {
	char *domain;	/* "docker.io", "127.0.0.1:5000" */
	char *path;	/* "library/busybox" */
	char *tag;	/* NULL when only a digest is given */
	char *digest;	/* "sha256:..." or NULL */
};
int img_ref_parse(const char *ref, struct img_ref *out, struct err *e);
void img_ref_done(struct img_ref *r);
/* "domain/path:tag" or "domain/path@digest" (the digest wins); caller frees. */
char *img_ref_string(const struct img_ref *r);
/* A well-formed "sha256:<64 lowercase hex>". */
bool img_digest_valid(const char *d);

/* ---- digest.c: sha256 over gnutls ---- */
struct img_hash;
struct img_hash *img_hash_new(void);
void img_hash_update(struct img_hash *h, const void *p, size_t n);
/* "sha256:HEX" into out (72 bytes); frees h. */
void img_hash_finish(struct img_hash *h, char out[72]);
void img_sha256(const void *p, size_t n, char out[72]);
/* Base64 (standard alphabet); decode returns -1 on bad input. */
char *img_base64(const void *p, size_t n);
int img_unbase64(const char *s, char **out, size_t *n);

/* ---- manifest.c: OCI / Docker JSON documents ---- */
enum img_kind { IMG_MANIFEST, IMG_INDEX };
struct img_desc {
	char *media_type;
	char *digest;
	int64_t size;
};
struct img_manifest {
	enum img_kind kind;
	struct img_desc config;		/* IMG_MANIFEST */
	struct img_desc *layers;	/* IMG_MANIFEST */
	size_t nlayers;
	struct img_desc *platform;	/* IMG_INDEX: the one for us, or NULL */
};
/*
 * Parse a manifest or index (OCI or Docker v2 schema 2; media_type from
 * Content-Type may be NULL).  For an index, platform gets the linux/<arch>
 * entry.  Descriptors are checked (digest syntax, sizes, media types).
 */
int img_manifest_parse(const char *text, size_t len, const char *media_type,
		       struct img_manifest *out, struct err *e);
void img_manifest_done(struct img_manifest *m);
/* The image config blob -> struct image_config (no ref/rootfs filled). */
int img_config_parse(const char *text, size_t len,
		     struct image_config **out, struct err *e);
/* "amd64", "arm64", ... for this machine. */
const char *img_arch(void);
/* Layer media type is one we can unpack. */
bool img_layer_type_ok(const char *media_type);

/* ---- store.c ---- */
struct img_inflight;
struct image_store {
	char *dir;
	char *blobs;		/* DIR/blobs/sha256 */
	char *tmp;		/* DIR/tmp */
	struct img_registries *reg;
	pthread_mutex_t mu;	/* refs.json, inflight, unpacks */
	pthread_cond_t cond;
	struct img_inflight *inflight;
};
char *img_blob_path(struct image_store *s, const char *digest);
bool img_blob_has(struct image_store *s, const char *digest);
/* Store bytes as a blob after checking them against digest (NULL: any). */
int img_blob_put(struct image_store *s, const char *digest, const void *p,
		 size_t n, char out_digest[72], struct err *e);
/* Move a file whose sha256 the caller verified into the store. */
int img_blob_adopt(struct image_store *s, const char *tmp_path,
		   const char *digest, struct err *e);
/* Read a blob fully (at most max bytes); verifies its digest. */
int img_blob_read(struct image_store *s, const char *digest, size_t max,
		  char **out, size_t *n, struct err *e);
/* A fresh "DIR/tmp/NAME.XXXXXX" path prefix (unique); caller frees. */
char *img_tmp_name(struct image_store *s, const char *what);
/*
 * Record ref -> (digest, manifest) after checking that every blob is
 * present and unpacking the rootfs.  Takes the lock file.
 */
int img_store_commit(struct image_store *s, const char *ref,
		     const char *digest, const char *manifest, struct err *e);
/* Remove a directory tree (no symlink following); errors ignored. */
void img_rm_tree(const char *path);

/* ---- index.c ---- */
/* flock(2) DIR/name with op (LOCK_SH/LOCK_EX[|LOCK_NB]); fd or -1. */
int img_lock(struct image_store *s, const char *name, int op);
void img_unlock(int fd);
/* refs.json under a shared lock (empty object when missing). */
cJSON *img_refs_read(struct image_store *s, struct err *e);
/* Drop refs (normalized) from refs.json under an exclusive lock; *n
 * gets how many were there. */
int img_refs_drop(struct image_store *s, const char *const *refs,
		  size_t *n, struct err *e);
/* Image manifest blob -> parsed manifest (an index is an error). */
int img_load_manifest(struct image_store *s, const char *digest,
		      struct img_manifest *m, struct err *e);

/* ---- gc.c ---- */
/* Delete blobs and rootfs trees no reference uses (see index.c). */
void img_sweep(struct image_store *s);

/* ---- unpack.c ---- */
/*
 * Apply the layer blobs (paths, bottom first) onto dir, which exists.
 * Refuses absolute paths, ".." and writes through links leaving dir.
 */
int img_unpack_layers(const char *dir, const char *const *layers, size_t n,
		      struct err *e);

/* ---- registries.c: registries.yaml ---- */
struct img_registries;
int img_registries_parse(const char *text, size_t len,
			 struct img_registries **out, struct err *e);
int img_registries_load(const char *path, struct img_registries **out,
			struct err *e);
void img_registries_free(struct img_registries *r);
/* Mirror endpoints for a registry host (NULL-terminated, borrowed). */
const char *const *img_registries_mirrors(const struct img_registries *r,
					  const char *domain);
struct img_reg_config {
	const char *username, *password, *auth, *identity_token;
	bool insecure_skip_verify;
	const char *ca_file, *cert_file, *key_file;
};
/* Config for a host ("127.0.0.1:5000"); NULL when there is none. */
const struct img_reg_config *
img_registries_config(const struct img_registries *r, const char *host);

/* ---- auth.c: WWW-Authenticate and docker config credentials ---- */
struct img_challenge {
	char *scheme;	/* "bearer", "basic" (lowercased) */
	char *realm, *service, *scope;
};
int img_www_auth_parse(const char *header, struct img_challenge *out,
		       struct err *e);
void img_challenge_done(struct img_challenge *c);
/*
 * Credentials for host from .dockerconfigjson documents (auths: entries
 * keyed by host, "https://host", "https://host/v1/"...): *user and *pass
 * (caller frees) on success; -1 when none matches or a document is bad.
 */
int img_dockercfg_lookup(const char *doc, const char *host, char **user,
			 char **pass);

/* ---- pull.c ---- */
#endif
