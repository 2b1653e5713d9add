/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podspec_int: what the podspec*.c and podvol*.c files share (private to
 * src/cluster/node; the unit tests and the fuzzer include it too).
 *
 * An env list keeps "K=V" definitions in first-definition order with a
 * hash index; redefining a key replaces its value in place, which is how
 * a container runtime merges image env with the container's env.
 */
#ifndef KDECK_CLUSTER_NODE_PODSPEC_INT_H
#define KDECK_CLUSTER_NODE_PODSPEC_INT_H

#include <stdbool.h>
#include <sys/types.h>

#include "cluster/node/podspec.h"
#include "common/vec.h"

/* ---- env lists and $(VAR) expansion (podspec_env.c) ---- */
struct ps_envent;
struct ps_envlist {
	struct vec ents;	 /* struct ps_envent *, in order */
	struct ps_envent *index; /* uthash by name */
};
void ps_env_set(struct ps_envlist *l, const char *name, const char *value);
/* Borrowed value or NULL. */
const char *ps_env_get(const struct ps_envlist *l, const char *name);
void ps_env_done(struct ps_envlist *l);
/* The i-th definition (i < l->ents.len): its name, value into *value. */
const char *ps_env_at(const struct ps_envlist *l, size_t i, const char **value);
/* NULL-terminated "K=V" strings, malloc'd (array and strings). */
char **ps_env_strv(const struct ps_envlist *l);

/*
 * Kubernetes' expansion: $(VAR) becomes VAR's value in vars when
 * defined and stays literally otherwise; $$ becomes $.  Returns a
 * malloc'd string.
 */
char *ps_expand(const char *in, const struct ps_envlist *vars);

/*
 * The container's own variables as kubelet computes them: envFrom
 * sources in order, then env entries in order, each value expanded with
 * the entries before it.  Fills *out (initialized by the caller) or
 * fails with kubelet's CreateContainerConfigError text.
 */
int ps_env_build(const struct podspec_env *env, const cJSON *pod,
		 const cJSON *ctr, const char *pod_ip, struct ps_envlist *out,
		 struct err *e);

/*
 * Value of key in a ConfigMap (data, then binaryData) or Secret (data
 * base64-decoded, then stringData): malloc'd, NUL-terminated, length in
 * *len; NULL when absent or not decodable.
 */
char *ps_obj_key(const cJSON *obj, const char *key, bool secret, size_t *len);

/* The downward API value of a fieldRef fieldPath (malloc'd). */
int ps_fieldref(const struct podspec_env *env, const cJSON *pod,
		const char *path, const char *pod_ip, char **out,
		struct err *e);
/*
 * The value of a resourceFieldRef {containerName, resource, divisor} for
 * container ctr (ctr NULL: looked up by containerName in pod).  A limit
 * that is not set is the node's allocatable (this machine's CPUs, memory
 * and the data dir's file system size).
 */
int ps_resourceref(const struct podspec_env *env, const cJSON *pod,
		   const cJSON *ctr, const cJSON *ref, char **out,
		   struct err *e);
/* Labels/annotations as the downward API prints them: k="v" lines. */
char *ps_format_map(const cJSON *map);

/* ---- command line (podspec_cmd.c) ---- */
/* argv from image Entrypoint/Cmd and command/args; malloc'd strv. */
int ps_command(const cJSON *ctr, const struct image_config *img,
	       const struct ps_envlist *vars, char ***argv, struct err *e);
void ps_strv_free(char **v);

/* ---- securityContext (podspec_sec.c) ---- */
struct ps_sec {
	uid_t uid;
	gid_t gid;
	gid_t *groups; /* malloc'd */
	size_t ngroups;
	bool read_only_root, privileged, no_new_privs;
	char **cap_add, **cap_drop; /* malloc'd strv or NULL */
};
/*
 * Merge pod and container securityContext with the image's USER (names
 * resolved through the image rootfs' /etc/passwd and /etc/group).  Fails
 * with kubelet's runAsNonRoot messages.
 */
int ps_security(const cJSON *pod, const cJSON *ctr,
		const struct image_config *img, struct ps_sec *out,
		struct err *e);
void ps_sec_done(struct ps_sec *s);

/* ---- resources (podspec_res.c) ---- */
int ps_resources(const cJSON *ctr, struct rt_container_spec *s, struct err *e);
/* Node allocatable stand-ins: milli CPUs, memory bytes, storage bytes. */
int64_t ps_node_milli_cpu(void);
int64_t ps_node_memory(void);
int64_t ps_node_storage(const char *data_dir);

/* ---- pod files (podspec_files.c) ---- */
/* The pod's hostname (spec.hostname or the name, 63 bytes at most). */
char *ps_hostname(const cJSON *pod);
char *ps_hosts_content(const struct podspec_env *env, const cJSON *pod,
		       const char *pod_ip);
char *ps_resolv_content(const struct podspec_env *env, const cJSON *pod);
/*
 * Write DATA/pods/UID/etc-hosts, resolv.conf and hostname (when their
 * content changed) and the container's termination message file
 * DATA/pods/UID/containers/CTR/termination-log-N (created empty, 0666).
 * *paths gets {hosts, resolv, hostname, termination}, malloc'd.
 */
int ps_write_files(const struct podspec_env *env, const cJSON *pod,
		   const char *ctr, int attempt, const char *pod_ip,
		   char *paths[4], struct err *e);

/* mkdir -p (existing directories are fine). */
int ps_mkdirs(const char *path, unsigned mode, struct err *e);

/* ---- volumes (podvol*.c) ---- */
/*
 * Host path of volume name and whether its files are written by the
 * node (configMap, secret, downwardAPI, projected: always mounted
 * read-only) or by the claim (readOnly PVC).  NULL when unknown.
 */
const char *podvol_path(const struct podvol *v, const char *name,
			bool *force_ro);

/* One file of an atomic-writer payload. */
struct pv_file {
	char *path; /* relative, may contain '/' */
	char *data;
	size_t len;
	unsigned mode;
};
void pv_files_free(struct vec *files);
/* Append (or replace by path) a file; takes data. */
void pv_files_add(struct vec *files, const char *path, char *data, size_t len,
		  unsigned mode);
/*
 * kubelet's AtomicWriter: make dir hold exactly files through a fresh
 * ..TIMESTAMP directory, the ..data symlink renamed over atomically and
 * per-entry symlinks; no-op when nothing changed.  fs_group >= 0: files
 * get that group and group read.  Paths with "..", absolute paths or
 * starting with ".." are refused.
 */
int pv_atomic_write(const char *dir, const struct vec *files,
		    long long fs_group, struct err *e);

/* rm -rf path (not following symlinks); missing is fine. */
int ps_rmtree(const char *path, struct err *e);

/*
 * Payload builders (podvol_src.c); defmode applies to items without a
 * mode.  A missing object is an error unless src says optional: true.
 */
int pv_configmap_files(const struct podspec_env *env, const char *ns,
		       const char *name, const cJSON *src, unsigned defmode,
		       bool secret, struct vec *files, struct err *e);
int pv_downward_files(const struct podspec_env *env, const cJSON *pod,
		      const cJSON *items, unsigned defmode, struct vec *files,
		      struct err *e);
/*
 * The files of a projected volume (src: its "projected" object) written
 * to dir.  Tokens are issued anew when renew is true, else read back from
 * dir; *token_exp gets the shortest expirationSeconds (0: no token).
 */
int pv_projected_files(const struct podspec_env *env, const cJSON *pod,
		       const cJSON *src, const char *dir, bool renew,
		       struct vec *files, int64_t *token_exp, struct err *e);

#endif
