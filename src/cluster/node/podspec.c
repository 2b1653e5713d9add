/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podspec: one container of a pod -> struct rt_container_spec.
 *
 * podspec_container gathers the parts computed by podspec_env.c (env),
 * podspec_cmd.c (argv), podspec_sec.c (identity, privileges),
 * podspec_res.c (cgroup limits) and podspec_files.c (hosts, resolv.conf,
 * hostname, termination log), and turns volumeMounts into bind mounts of
 * the host paths podvol_setup prepared.  Everything the spec points to is
 * owned by the struct podspec_out through a list of allocations (mem).
 *
 * The final environment is the runtime's merge: a default PATH and
 * HOSTNAME, the image's env, then the container's variables, a later
 * definition of a name replacing the earlier one in place (so PATH stays
 * first, as `env` shows it in a real pod).  Mounts are ordered by depth so a
 * mount inside another one comes after it; /etc/hosts, /etc/resolv.conf
 * and /etc/hostname are added unless a volumeMount already covers them,
 * read-only only with readOnlyRootFilesystem (as containerd does).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cluster/node/layout.h"
#include "cluster/node/podspec_int.h"
#include "common/json.h"
#include "common/mem.h"

#define DEFAULT_PATH                                                           \
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"                       \
	"/usr/bin:/sbin:/bin"

struct ps_mem {
	struct vec ptrs;  /* malloc'd blocks */
	struct vec strvs; /* malloc'd NULL-terminated string vectors */
};

static void *keep(struct ps_mem *m, void *p)
{
	vec_push(&m->ptrs, p);
	return p;
}

static char **keep_strv(struct ps_mem *m, char **v)
{
	if (v)
		vec_push(&m->strvs, v);
	return v;
}

static void strv_free_item(void *v)
{
	ps_strv_free(v);
}

void podspec_out_done(struct podspec_out *o)
{
	struct ps_mem *m;

	if (!o || !(m = o->mem))
		return;
	vec_free(&m->ptrs, free);
	vec_free(&m->strvs, strv_free_item);
	free(m);
	memset(o, 0, sizeof(*o));
}

/* Image env, HOSTNAME, the container's variables (later names win). */
static char **final_env(const struct image_config *img, const cJSON *pod,
			const struct ps_envlist *vars)
{
	struct ps_envlist l = {VEC_INIT, NULL};
	char *host = ps_hostname(pod), **v;
	size_t i;

	ps_env_set(&l, "PATH", strchr(DEFAULT_PATH, '=') + 1);
	ps_env_set(&l, "HOSTNAME", host);
	for (i = 0; img && img->env && img->env[i]; i++) {
		char *k = xstrdup(img->env[i]), *eq = strchr(k, '=');

		if (eq) {
			*eq = '\0';
			ps_env_set(&l, k, eq + 1);
		}
		free(k);
	}
	for (i = 0; i < vars->ents.len; i++) {
		const char *val, *name = ps_env_at(vars, i, &val);

		ps_env_set(&l, name, val);
	}
	v = ps_env_strv(&l);
	ps_env_done(&l);
	free(host);
	return v;
}

static size_t depth(const char *p)
{
	size_t n = 0;

	for (; *p; p++)
		n += *p == '/' && p[1] && p[1] != '/';
	return n;
}

static int cmp_mount(const void *a, const void *b)
{
	const struct rt_mount *x = a, *y = b;
	size_t dx = depth(x->dest), dy = depth(y->dest);

	if (dx != dy)
		return dx < dy ? -1 : 1;
	return x < y ? -1 : x > y; /* qsort is not stable: keep order */
}

static bool bad_subpath(const char *s)
{
	const char *p = s;

	if (s[0] == '/')
		return true;
	while ((p = strstr(p, "..")))
		if ((p == s || p[-1] == '/') && (!p[2] || p[2] == '/'))
			return true;
		else
			p += 2;
	return false;
}

/* path resolved (symlinks followed) lies within root (resolved). */
static int check_within(const char *root, const char *path, char out[PATH_MAX],
			struct err *e)
{
	size_t n = strlen(root);

	if (!realpath(path, out))
		return err_set(e, ERR_IO, "subPath %s: %s", path,
			       strerror(errno));
	if (strncmp(out, root, n) ||
	    (out[n] && out[n] != '/' && strcmp(root, "/")))
		return err_set(e, ERR_INVALID,
			       "subpath \"%s\" not within volume path \"%s\"",
			       out, root);
	return 0;
}

/*
 * The host source of a volumeMount with a subPath: missing directories
 * are created (as kubelet does) one component at a time, each existing
 * component checked to resolve inside the volume first, so a symlink a
 * container left in the volume can neither make kdeck create directories
 * elsewhere nor expose a host path.
 */
static char *subpath_source(const char *vol, const char *sub, struct err *e)
{
	char rv[PATH_MAX], rh[PATH_MAX];
	char *host = xasprintf("%s/%s", vol, sub);
	char *p = host + strlen(vol) + 1, c;
	struct stat st;

	if (!realpath(vol, rv)) {
		err_set(e, ERR_IO, "volume %s: %s", vol, strerror(errno));
		goto fail;
	}
	do {
		p += strcspn(p, "/");
		c = *p;
		*p = '\0';
		if (lstat(host, &st) < 0 && mkdir(host, 0755) < 0) {
			err_set(e, ERR_IO, "subPath %s: %s", sub,
				strerror(errno));
			goto fail;
		}
		if (check_within(rv, host, rh, e) < 0)
			goto fail;
		*p = c;
	} while (*p++);
	free(host);
	return xstrdup(rh);
fail:
	free(host);
	return NULL;
}

/* Names that become path components under the data dir. */
static bool name_ok(const char *s)
{
	return s && *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

/* One volumeMount -> *mt (strings kept in m). */
static int one_mount(const struct podvol *vols, const cJSON *vm,
		     const struct ps_envlist *vars, struct ps_mem *m,
		     struct rt_mount *mt, struct err *e)
{
	const char *name = json_get_str(vm, "name");
	const char *dest = json_get_str(vm, "mountPath");
	const char *sub = json_get_str(vm, "subPath");
	const char *expr = json_get_str(vm, "subPathExpr");
	const char *path;
	bool force_ro = false;

	if (!name || !dest || !*dest)
		return err_set(e, ERR_INVALID,
			       "volumeMount needs a name and "
			       "a mountPath");
	if (!vols || !(path = podvol_path(vols, name, &force_ro)))
		return err_set(e, ERR_NOT_FOUND,
			       "cannot find volume \"%s\" to "
			       "mount into container",
			       name);
	if (expr && *expr)
		sub = keep(m, ps_expand(expr, vars));
	if (sub && *sub && bad_subpath(sub))
		return err_set(e, ERR_INVALID,
			       "subPath \"%s\" must be a "
			       "relative path without '..'",
			       sub);
	if (sub && *sub) {
		if (!(path = subpath_source(path, sub, e)))
			return -1;
		keep(m, (char *)path);
	} else {
		path = keep(m, xstrdup(path));
	}
	mt->dest = keep(m, xstrdup(dest));
	mt->source = path;
	mt->type = "bind";
	mt->read_only = force_ro || json_get_bool(vm, "readOnly", false);
	mt->size = 0;
	return 0;
}

static bool has_dest(const struct rt_mount *v, size_t n, const char *d)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].dest, d))
			return true;
	return false;
}

/* volumeMounts, then the pod files, sorted by depth. */
static int make_mounts(const cJSON *ctr, const struct podvol *vols,
		       const struct ps_envlist *vars, char *files[3],
		       bool ro_root, struct ps_mem *m,
		       struct rt_container_spec *s, struct err *e)
{
	static const char *const etc[3] = {"/etc/hosts", "/etc/resolv.conf",
					   "/etc/hostname"};
	const cJSON *vm;
	size_t n = 0,
	       cap = (size_t)cJSON_GetArraySize(json_obj(ctr, "volumeMounts")) +
		     3;
	struct rt_mount *v = keep(m, xcalloc(cap, sizeof(*v)));
	int i;

	cJSON_ArrayForEach(
	    vm, json_obj(ctr, "volumeMounts")) if (one_mount(vols, vm, vars, m,
							     &v[n++],
							     e) < 0) return -1;
	for (i = 0; i < 3; i++)
		if (!has_dest(v, n, etc[i]))
			v[n++] = (struct rt_mount){etc[i], files[i], "bind",
						   ro_root, 0};
	qsort(v, n, sizeof(*v), cmp_mount);
	s->mounts = v;
	s->nmounts = n;
	return 0;
}

/* Identity, privileges and limits into s. */
static int fill_security(const cJSON *pod, const cJSON *ctr,
			 const struct image_config *img, struct ps_mem *m,
			 struct rt_container_spec *s, struct err *e)
{
	struct ps_sec sec;

	if (ps_security(pod, ctr, img, &sec, e) < 0)
		return -1;
	s->uid = sec.uid;
	s->gid = sec.gid;
	s->groups = sec.groups ? keep(m, sec.groups) : NULL;
	s->ngroups = sec.ngroups;
	s->read_only_root = sec.read_only_root;
	s->privileged = sec.privileged;
	s->no_new_privs = sec.no_new_privs && !sec.privileged;
	s->cap_add = keep_strv(m, sec.cap_add);
	s->cap_drop = keep_strv(m, sec.cap_drop);
	return ps_resources(ctr, s, e);
}

/* ids, paths and flags taken straight from the pod. */
static void fill_ids(const struct podspec_env *env, const cJSON *pod,
		     const cJSON *ctr, const struct image_config *img,
		     int attempt, struct ps_mem *m, struct rt_container_spec *s)
{
	const char *uid = json_get_str(pod, "metadata.uid");
	const char *name = json_get_str(ctr, "name");
	const char *wd = json_get_str(ctr, "workingDir");
	const char *tp = json_get_str(ctr, "terminationMessagePath");

	s->id = keep(m, layout_container_id(uid, name, attempt));
	s->pod_uid = keep(m, xstrdup(uid));
	s->rootfs = img && img->rootfs ? keep(m, xstrdup(img->rootfs)) : NULL;
	if (!wd || !*wd)
		wd = img && img->working_dir && *img->working_dir
			 ? img->working_dir
			 : "/";
	s->cwd = keep(m, xstrdup(wd));
	s->log_path = keep(
	    m, layout_container_log(
		   env->data_dir, json_get_str(pod, "metadata.namespace"),
		   json_get_str(pod, "metadata.name"), uid, name, attempt));
	s->host_pid = json_get_bool(pod, "spec.hostPID", false);
	s->tty = json_get_bool(ctr, "tty", false);
	s->stdin_open = json_get_bool(ctr, "stdin", false);
	s->stdin_once = json_get_bool(ctr, "stdinOnce", false);
	s->termination_path =
	    keep(m, xstrdup(tp && *tp ? tp : "/dev/termination-log"));
}

int podspec_container(const struct podspec_env *env, const cJSON *pod,
		      const cJSON *ctr, const struct image_config *img,
		      const struct podvol *vols, const char *pod_ip,
		      int attempt, struct podspec_out *out, struct err *e)
{
	struct ps_mem *m = xcalloc(1, sizeof(*m));
	struct podspec_out o = {.mem = m};
	struct rt_container_spec *s = &o.spec;
	struct ps_envlist vars = {VEC_INIT, NULL};
	char *files[4] = {NULL, NULL, NULL, NULL}, **argv;
	int i, rc = -1;

	if (!name_ok(json_get_str(pod, "metadata.uid")) ||
	    !name_ok(json_get_str(ctr, "name")) || !env->data_dir) {
		err_set(e, ERR_INVALID,
			"pod without a uid or container without "
			"a name");
		goto out;
	}
	fill_ids(env, pod, ctr, img, attempt, m, s);
	if (ps_env_build(env, pod, ctr, pod_ip, &vars, e) < 0 ||
	    ps_command(ctr, img, &vars, &argv, e) < 0)
		goto out;
	s->argv = keep_strv(m, argv);
	s->env = keep_strv(m, final_env(img, pod, &vars));
	if (fill_security(pod, ctr, img, m, s, e) < 0 ||
	    ps_write_files(env, pod, json_get_str(ctr, "name"), attempt, pod_ip,
			   files, e) < 0)
		goto out;
	for (i = 0; i < 4; i++)
		keep(m, files[i]);
	s->termination_log = files[3];
	if (make_mounts(ctr, vols, &vars, files, s->read_only_root, m, s, e) <
	    0)
		goto out;
	*out = o;
	rc = 0;
out:
	ps_env_done(&vars);
	if (rc)
		podspec_out_done(&o);
	return rc;
}
