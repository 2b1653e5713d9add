/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podvol: a pod's volumes on the node, under DATA/pods/UID/volumes/ in
 * kubelet's layout (kubernetes.io~empty-dir/NAME, kubernetes.io~configmap/
 * NAME, ...).  Each volume resolves to one host path that podspec.c
 * bind-mounts; hostPath and persistentVolumeClaim volumes resolve to
 * paths elsewhere on the host.
 *
 * Volume kinds are a table (kind -> set-up function).  File volumes
 * (configMap, secret, downwardAPI, projected) go through the atomic
 * writer and are mounted read-only; podvol_refresh rewrites them when
 * their sources changed and renews serviceAccountTokens once 80% of their
 * lifetime passed, as kubelet does.  emptyDir with medium Memory is a
 * tmpfs mounted on the host (root only) so every container of the pod
 * shares it; secret and projected volumes are tmpfs too when root;
 * podvol_teardown unmounts whatever is mounted under the pod directory before
 * removing it.
 *
 * Set-up errors carry kubelet's FailedMount event text:
 *   MountVolume.SetUp failed for volume "cfg" : configmap "cfg" not found
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cluster/node/layout.h"
#include "cluster/node/podspec_int.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/quantity.h"

enum pv_kind { PV_DIR, PV_HOST, PV_FILES, PV_CLAIM };

struct pv_ent {
	char *name;
	char *path;
	enum pv_kind kind;
	bool read_only;	   /* claim mounted readOnly */
	time_t token_at;   /* when tokens were last issued */
	int64_t token_exp; /* shortest token lifetime, 0 = none */
};

struct podvol {
	char *dir; /* DATA/pods/UID */
	struct pv_ent *v;
	size_t n;
};

/* What a set-up function sees of the volume being set up. */
struct pv_ctx {
	const struct podspec_env *env;
	const cJSON *pod;
	const cJSON *vol; /* the spec.volumes entry */
	const cJSON *src; /* its source object (vol[kind]) */
	const char *ns;
	long long fs_group; /* -1 when unset */
	bool renew;	    /* issue tokens anew */
};

static char *plugin_dir(const struct podvol *pv, const char *plugin,
			const char *name)
{
	return xasprintf("%s/volumes/kubernetes.io~%s/%s", pv->dir, plugin,
			 name);
}

static unsigned default_mode(const cJSON *src)
{
	int64_t m;

	return json_get_int(src, "defaultMode", &m) == 0 && m >= 0 && m <= 0777
		   ? (unsigned)m
		   : 0644;
}

/* Is path a mount point (on another device than its parent)? */
static bool is_mount(const char *path)
{
	char *up = xasprintf("%s/..", path);
	struct stat a, b;
	bool r =
	    stat(path, &a) == 0 && stat(up, &b) == 0 && a.st_dev != b.st_dev;

	free(up);
	return r;
}

/*
 * Secret and projected volumes live in memory when kdeck runs as root
 * (kubelet backs them with a tmpfs so that secrets never reach a disk);
 * without root they are plain directories.
 */
static int memory_backed(const char *path, struct err *e)
{
	if (ps_mkdirs(path, 0755, e) < 0)
		return -1;
	if (geteuid() != 0 || is_mount(path))
		return 0;
	if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") <
	    0)
		return err_set(e, ERR_IO, "mount tmpfs on %s: %s", path,
			       strerror(errno));
	return 0;
}

static int mount_memory(const struct pv_ctx *c, const char *path, struct err *e)
{
	const char *lim = json_get_str(c->src, "sizeLimit");
	struct quantity q;
	char opts[64];

	if (is_mount(path))
		return 0;
	if (geteuid() != 0)
		return err_set(e, ERR_FORBIDDEN,
			       "emptyDir with medium Memory "
			       "needs root to mount a tmpfs (kdeck runs as uid "
			       "%u)",
			       (unsigned)geteuid());
	snprintf(opts, sizeof(opts), "mode=0777");
	if (lim && quantity_parse(lim, &q, e) < 0)
		return err_wrap(e, "sizeLimit");
	if (lim && quantity_value(&q) > 0)
		snprintf(opts, sizeof(opts), "mode=0777,size=%lld",
			 (long long)quantity_value(&q));
	if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
		return err_set(e, ERR_IO, "mount tmpfs on %s: %s", path,
			       strerror(errno));
	return 0;
}

static int setup_empty_dir(const struct pv_ctx *c, struct podvol *pv,
			   struct pv_ent *ent, struct err *e)
{
	const char *medium = json_get_str(c->src, "medium");

	ent->kind = PV_DIR;
	ent->path = plugin_dir(pv, "empty-dir", ent->name);
	if (ps_mkdirs(ent->path, 0777, e) < 0)
		return -1;
	if (medium && !strcmp(medium, "Memory") &&
	    mount_memory(c, ent->path, e) < 0)
		return -1;
	if (medium && *medium && strcmp(medium, "Memory"))
		return err_set(e, ERR_INVALID, "unknown storage medium \"%s\"",
			       medium);
	if (c->fs_group >= 0 &&
	    chown(ent->path, (uid_t)-1, (gid_t)c->fs_group) < 0)
		return err_set(e, ERR_IO, "chown %s: %s", ent->path,
			       strerror(errno));
	if (chmod(ent->path, c->fs_group >= 0 ? 02777 : 0777) < 0)
		return err_set(e, ERR_IO, "chmod %s: %s", ent->path,
			       strerror(errno));
	return 0;
}

/* hostPath types: the file type each wants and kubelet's complaint. */
static const struct {
	const char *type;
	mode_t fmt; /* S_IFMT value, 0: any */
	const char *what;
	int create; /* 1 mkdir -p, 2 create file */
} host_types[] = {
    {"", 0, NULL, 0},
    {"DirectoryOrCreate", S_IFDIR, "a directory", 1},
    {"Directory", S_IFDIR, "a directory", 0},
    {"FileOrCreate", S_IFREG, "a file", 2},
    {"File", S_IFREG, "a file", 0},
    {"Socket", S_IFSOCK, "a socket file", 0},
    {"CharDevice", S_IFCHR, "a character device", 0},
    {"BlockDevice", S_IFBLK, "a block device", 0},
};

/* kubelet's hostPath type check (and creation for the *OrCreate types). */
static int host_check(const char *path, const char *type, struct err *e)
{
	struct stat st;
	size_t i;
	FILE *fp;

	for (i = 0; i < sizeof(host_types) / sizeof(host_types[0]); i++)
		if (!strcmp(host_types[i].type, type ? type : ""))
			break;
	if (i == sizeof(host_types) / sizeof(host_types[0]))
		return err_set(e, ERR_INVALID, "%s is an invalid volume type",
			       type);
	if (!host_types[i].fmt)
		return 0;
	if (stat(path, &st) < 0 && errno == ENOENT && host_types[i].create) {
		if (host_types[i].create == 1)
			return ps_mkdirs(path, 0755, e);
		if (!(fp = fopen(path, "ae")))
			return err_set(e, ERR_IO, "create %s: %s", path,
				       strerror(errno));
		fclose(fp);
		return 0;
	}
	if (stat(path, &st) < 0 || (st.st_mode & S_IFMT) != host_types[i].fmt)
		return err_set(e, ERR_INVALID,
			       "hostPath type check failed: %s "
			       "is not %s",
			       path, host_types[i].what);
	return 0;
}

static int setup_host_path(const struct pv_ctx *c, struct podvol *pv,
			   struct pv_ent *ent, struct err *e)
{
	const char *path = json_get_str(c->src, "path");

	ent->kind = PV_HOST;
	if (!path || path[0] != '/')
		return err_set(e, ERR_INVALID,
			       "hostPath needs an absolute "
			       "path");
	if (host_check(path, json_get_str(c->src, "type"), e) < 0)
		return -1;
	ent->path = xstrdup(path);
	return 0;
}

/* A claim's bound PV: its hostPath.path or local.path. */
static int setup_claim(const struct pv_ctx *c, struct podvol *pv,
		       struct pv_ent *ent, struct err *e)
{
	const char *claim = json_get_str(c->src, "claimName");
	const struct podspec_env *env = c->env;
	cJSON *pvc = NULL, *vol = NULL;
	const char *vn, *phase, *path;
	int rc = -1;

	ent->kind = PV_CLAIM;
	ent->read_only = json_get_bool(c->src, "readOnly", false);
	if (!claim || !env->get ||
	    !(pvc =
		  env->get(env->arg, c->ns, "persistentvolumeclaims", claim))) {
		err_set(e, ERR_NOT_FOUND,
			"persistentvolumeclaim \"%s\" not "
			"found",
			claim ? claim : "");
		goto out;
	}
	vn = json_get_str(pvc, "spec.volumeName");
	phase = json_get_str(pvc, "status.phase");
	if (!vn || !*vn || (phase && strcmp(phase, "Bound"))) {
		err_set(e, ERR_UNAVAILABLE, "PVC %s/%s is not bound", c->ns,
			claim);
		goto out;
	}
	if (!(vol = env->get(env->arg, NULL, "persistentvolumes", vn))) {
		err_set(e, ERR_NOT_FOUND, "persistentvolume \"%s\" not found",
			vn);
		goto out;
	}
	if ((path = json_get_str(vol, "spec.hostPath.path"))) {
		const char *t = json_get_str(vol, "spec.hostPath.type");

		if (host_check(path, t && *t ? t : "DirectoryOrCreate", e) < 0)
			goto out;
	} else if ((path = json_get_str(vol, "spec.local.path"))) {
		if (host_check(path, "Directory", e) < 0)
			goto out;
	} else {
		err_set(e, ERR_INVALID,
			"persistentvolume \"%s\": only hostPath "
			"and local volumes are supported",
			vn);
		goto out;
	}
	ent->path = xstrdup(path);
	rc = 0;
out:
	cJSON_Delete(pvc);
	cJSON_Delete(vol);
	return rc;
}

/* configMap, secret, downwardAPI, projected: payload, atomic write. */
static int setup_files(const struct pv_ctx *c, struct podvol *pv,
		       struct pv_ent *ent, struct err *e)
{
	const char *kind = c->src->string;
	struct vec files = VEC_INIT;
	int rc = -1;

	ent->kind = PV_FILES;
	if (!strcmp(kind, "configMap")) {
		ent->path = plugin_dir(pv, "configmap", ent->name);
		rc = pv_configmap_files(c->env, c->ns,
					json_get_str(c->src, "name"), c->src,
					default_mode(c->src), false, &files, e);
	} else if (!strcmp(kind, "secret")) {
		ent->path = plugin_dir(pv, "secret", ent->name);
		rc = memory_backed(ent->path, e);
		rc = rc ? rc
			: pv_configmap_files(
			      c->env, c->ns, json_get_str(c->src, "secretName"),
			      c->src, default_mode(c->src), true, &files, e);
	} else if (!strcmp(kind, "downwardAPI")) {
		ent->path = plugin_dir(pv, "downward-api", ent->name);
		rc =
		    pv_downward_files(c->env, c->pod, json_obj(c->src, "items"),
				      default_mode(c->src), &files, e);
	} else {
		ent->path = plugin_dir(pv, "projected", ent->name);
		rc = memory_backed(ent->path, e);
		rc = rc ? rc
			: pv_projected_files(c->env, c->pod, c->src, ent->path,
					     c->renew || !ent->token_at, &files,
					     &ent->token_exp, e);
		if (rc == 0 && ent->token_exp && (c->renew || !ent->token_at))
			ent->token_at = time(NULL);
	}
	if (rc == 0)
		rc = pv_atomic_write(ent->path, &files, c->fs_group, e);
	pv_files_free(&files);
	return rc;
}

typedef int (*pv_setup_fn)(const struct pv_ctx *c, struct podvol *pv,
			   struct pv_ent *ent, struct err *e);

static const struct {
	const char *key;
	pv_setup_fn fn;
} kinds[] = {
    {"emptyDir", setup_empty_dir},
    {"hostPath", setup_host_path},
    {"configMap", setup_files},
    {"secret", setup_files},
    {"downwardAPI", setup_files},
    {"projected", setup_files},
    {"persistentVolumeClaim", setup_claim},
};

static struct pv_ent *find_ent(const struct podvol *pv, const char *name)
{
	size_t i;

	for (i = 0; pv && i < pv->n; i++)
		if (!strcmp(pv->v[i].name, name))
			return &pv->v[i];
	return NULL;
}

/* Set up (or, refresh, rewrite) the volume vol into pv. */
static int setup_one(struct pv_ctx *c, struct podvol *pv, const cJSON *vol,
		     bool refresh, struct err *e)
{
	const char *name = json_get_str(vol, "name");
	struct pv_ent *ent;
	char *old;
	size_t i;

	if (!name)
		return err_set(e, ERR_INVALID, "volume without a name");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if ((c->src = json_obj(vol, kinds[i].key)))
			break;
	if (!(ent = find_ent(pv, name))) {
		if (refresh)
			return 0;
		pv->v = xrealloc(pv->v, (pv->n + 1) * sizeof(*pv->v));
		ent = &pv->v[pv->n++];
		memset(ent, 0, sizeof(*ent));
		ent->name = xstrdup(name);
	} else if (refresh && ent->kind != PV_FILES) {
		return 0;
	}
	c->renew = refresh && ent->token_exp &&
		   (time(NULL) - ent->token_at) * 5 >= ent->token_exp * 4;
	if (i == sizeof(kinds) / sizeof(kinds[0]))
		return err_set(e, ERR_INVALID,
			       "MountVolume.SetUp failed for "
			       "volume \"%s\" : unsupported volume type",
			       name);
	c->vol = vol;
	old = ent->path; /* kept when a refresh fails */
	ent->path = NULL;
	if (kinds[i].fn(c, pv, ent, e) < 0) {
		if (refresh && old) {
			free(ent->path);
			ent->path = old;
		} else {
			free(old);
		}
		return err_wrap(
		    e, "MountVolume.SetUp failed for volume \"%s\" ", name);
	}
	free(old);
	return 0;
}

static int setup_all(const struct podspec_env *env, const cJSON *pod,
		     struct podvol *pv, bool refresh, struct err *e)
{
	const char *ns = json_get_str(pod, "metadata.namespace");
	struct pv_ctx c = {
	    .env = env, .pod = pod, .ns = ns ? ns : "default", .fs_group = -1};
	const cJSON *g = json_get(pod, "spec.securityContext.fsGroup"), *vol;

	if (cJSON_IsNumber(g) && g->valuedouble >= 0)
		c.fs_group = (long long)g->valuedouble;
	cJSON_ArrayForEach(
	    vol,
	    json_get(pod, "spec.volumes")) if (setup_one(&c, pv, vol, refresh,
							 e) < 0) return -1;
	return 0;
}

int podvol_setup(const struct podspec_env *env, const cJSON *pod,
		 struct podvol **out, struct err *e)
{
	const char *uid = json_get_str(pod, "metadata.uid");
	struct podvol *pv;

	if (!uid || !*uid || strchr(uid, '/') || !env->data_dir)
		return err_set(e, ERR_INVALID, "pod without a uid");
	pv = xcalloc(1, sizeof(*pv));
	pv->dir = layout_pod_dir(env->data_dir, uid);
	if (setup_all(env, pod, pv, false, e) < 0) {
		podvol_free(pv);
		return -1;
	}
	*out = pv;
	return 0;
}

int podvol_refresh(const struct podspec_env *env, const cJSON *pod,
		   struct podvol *v, struct err *e)
{
	return setup_all(env, pod, v, true, e);
}

void podvol_free(struct podvol *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		free(v->v[i].name);
		free(v->v[i].path);
	}
	free(v->v);
	free(v->dir);
	free(v);
}

const char *podvol_path(const struct podvol *v, const char *name,
			bool *force_ro)
{
	const struct pv_ent *ent = find_ent(v, name);

	if (!ent || !ent->path)
		return NULL;
	*force_ro =
	    ent->kind == PV_FILES || (ent->kind == PV_CLAIM && ent->read_only);
	return ent->path;
}

/* Mount points at or below dir, deepest first (from mountinfo). */
static void mounts_below(const char *dir, struct vec *out)
{
	FILE *fp = fopen("/proc/self/mountinfo", "re");
	char line[4096], mp[4096];
	size_t n = strlen(dir);

	while (fp && fgets(line, sizeof(line), fp))
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1 &&
		    !strncmp(mp, dir, n) && (!mp[n] || mp[n] == '/'))
			vec_push(out, xstrdup(mp));
	if (fp)
		fclose(fp);
}

int podvol_teardown(const char *data_dir, const char *uid, struct err *e)
{
	char *dir, real[4096];
	struct vec mps = VEC_INIT;
	int rc;

	if (!uid || !*uid || strchr(uid, '/') || !strcmp(uid, "..") ||
	    !strcmp(uid, "."))
		return err_set(e, ERR_INVALID, "bad pod uid");
	dir = layout_pod_dir(data_dir, uid);
	if (realpath(dir, real))
		mounts_below(real, &mps);
	while (mps.len) {
		char *mp = vec_pop(&mps);

		if (umount2(mp, MNT_DETACH) < 0 && errno != EINVAL &&
		    errno != ENOENT) {
			err_set(e, ERR_IO, "unmount %s: %s", mp,
				strerror(errno));
			free(mp);
			vec_free(&mps, free);
			free(dir);
			return -1;
		}
		free(mp);
	}
	vec_free(&mps, NULL);
	rc = ps_rmtree(dir, e);
	free(dir);
	return rc;
}
