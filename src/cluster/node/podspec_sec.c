/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podspec_sec: pod and container securityContext -> process identity and
 * privileges, as kubelet and its CRI runtime decide them.
 *
 * A container field overrides the pod's (runAsUser, runAsGroup,
 * runAsNonRoot); without runAsUser the image's USER applies, "uid[:gid]"
 * or names resolved through the image's own /etc/passwd and /etc/group;
 * the primary group defaults to the user's passwd entry, else 0.
 * Supplementary groups are the user's /etc/group memberships, then
 * fsGroup, then supplementalGroups.  runAsNonRoot is checked against the
 * image's user exactly as kubelet does: a non-numeric image user cannot be
 * verified, even when /etc/passwd would resolve it.  no_new_privs is set
 * only when allowPrivilegeEscalation is explicitly false.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster/node/podspec_int.h"
#include "common/json.h"
#include "common/mem.h"

/* Effective value: the container's securityContext, else the pod's. */
static const cJSON *sc_field(const cJSON *pod, const cJSON *ctr,
			     const char *key)
{
	const cJSON *v = json_obj(json_obj(ctr, "securityContext"), key);

	if (cJSON_IsNumber(v) || cJSON_IsBool(v))
		return v;
	v = json_obj(json_get(pod, "spec.securityContext"), key);
	return cJSON_IsNumber(v) || cJSON_IsBool(v) ? v : NULL;
}

static bool parse_id(const char *s, long long *out)
{
	char *end;
	long long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v > 0xfffffffeLL)
		return false;
	*out = v;
	return true;
}

#define DB_MAX (4 << 20)

/*
 * The image's /etc/FILE, opened without following symlinks (an image
 * must not make kdeck read the host's files) and only when it is a
 * regular file of sane size; NULL otherwise.
 */
static FILE *open_db(const char *rootfs, const char *file)
{
	int dir = -1, etc = -1, fd = -1;
	struct stat st;
	FILE *fp = NULL;

	if (!rootfs)
		return NULL;
	dir = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir >= 0)
		etc = openat(dir, "etc",
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (etc >= 0)
		fd = openat(etc, file,
			    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size <= DB_MAX && (fp = fdopen(fd, "r")))
		fd = -1;
	if (fd >= 0)
		close(fd);
	if (etc >= 0)
		close(etc);
	if (dir >= 0)
		close(dir);
	return fp;
}

/*
 * Find a line of an /etc/passwd or /etc/group file of the image whose
 * field 0 is name (or, name NULL, field 2 is id); fields split into f.
 */
static bool db_find(const char *rootfs, const char *file, const char *name,
		    long long id, char *line, size_t cap, char *f[4])
{
	FILE *fp = open_db(rootfs, file);
	bool found = false;

	while (fp && !found && fgets(line, (int)cap, fp)) {
		char *p = line, *nl = strchr(line, '\n');
		long long v;
		int i;

		if (nl)
			*nl = '\0';
		for (i = 0; i < 4; i++)
			f[i] = strsep(&p, ":");
		if (!f[2] || !f[3])
			continue;
		found =
		    name ? !strcmp(f[0], name) : parse_id(f[2], &v) && v == id;
	}
	if (fp)
		fclose(fp);
	return found;
}

static void add_group(struct ps_sec *s, long long g)
{
	size_t i;

	for (i = 0; i < s->ngroups; i++)
		if (s->groups[i] == (gid_t)g)
			return;
	s->groups = xrealloc(s->groups, (s->ngroups + 1) * sizeof(gid_t));
	s->groups[s->ngroups++] = (gid_t)g;
}

/* Groups of /etc/group listing user as a member. */
static void member_groups(const char *rootfs, const char *user,
			  struct ps_sec *s)
{
	FILE *fp = user ? open_db(rootfs, "group") : NULL;
	char line[1024];

	while (fp && fgets(line, sizeof(line), fp)) {
		char *p = line, *f[4], *m;
		long long g;
		int i;

		line[strcspn(line, "\n")] = '\0';
		for (i = 0; i < 4; i++)
			f[i] = strsep(&p, ":");
		if (!f[3] || !parse_id(f[2], &g))
			continue;
		while ((m = strsep(&f[3], ",")))
			if (!strcmp(m, user))
				add_group(s, g);
	}
	if (fp)
		fclose(fp);
}

/* uid (and its passwd gid and name) from runAsUser or the image USER. */
static int resolve_user(const char *rootfs, const cJSON *run_as,
			const char *img_user, struct ps_sec *s,
			long long *pw_gid, char **name, struct err *e)
{
	char line[1024], *f[4], *u = xstrdup(img_user ? img_user : "");
	long long v;

	u[strcspn(u, ":")] = '\0';
	*pw_gid = -1;
	if (run_as)
		v = (long long)run_as->valuedouble;
	else if (!*u)
		v = 0;
	else if (!parse_id(u, &v)) {
		if (!db_find(rootfs, "passwd", u, 0, line, sizeof(line), f) ||
		    !parse_id(f[2], &v)) {
			err_set(e, ERR_INVALID,
				"unable to find user %s: no "
				"matching entries in passwd file",
				u);
			free(u);
			return -1;
		}
	}
	s->uid = (uid_t)v;
	if (db_find(rootfs, "passwd", NULL, v, line, sizeof(line), f)) {
		if (!parse_id(f[3], pw_gid))
			*pw_gid = -1;
		*name = xstrdup(f[0]);
	}
	free(u);
	return 0;
}

/* The primary group: runAsGroup, the image's ":group", passwd, 0. */
static int resolve_group(const char *rootfs, const cJSON *run_as,
			 const char *img_user, long long pw_gid,
			 struct ps_sec *s, struct err *e)
{
	const char *colon = img_user ? strchr(img_user, ':') : NULL;
	char line[1024], *f[4];
	long long v = pw_gid >= 0 ? pw_gid : 0;

	if (run_as)
		v = (long long)run_as->valuedouble;
	else if (colon && colon[1] && !parse_id(colon + 1, &v)) {
		if (!db_find(rootfs, "group", colon + 1, 0, line, sizeof(line),
			     f) ||
		    !parse_id(f[2], &v))
			return err_set(e, ERR_INVALID,
				       "unable to find group "
				       "%s: no matching entries in group file",
				       colon + 1);
	}
	s->gid = (gid_t)v;
	return 0;
}

/* kubelet's verifyRunAsNonRoot. */
static int check_non_root(const cJSON *pod, const cJSON *ctr,
			  const char *img_user, struct err *e)
{
	const cJSON *run_as = sc_field(pod, ctr, "runAsUser");
	char *u, *desc;
	long long v;
	int rc = 0;

	if (!cJSON_IsTrue(sc_field(pod, ctr, "runAsNonRoot")))
		return 0;
	desc = xasprintf("%s_%s(%s)", json_get_str(pod, "metadata.name"),
			 json_get_str(pod, "metadata.namespace"),
			 json_get_str(pod, "metadata.uid"));
	u = xstrdup(img_user ? img_user : "");
	u[strcspn(u, ":")] = '\0';
	if (run_as && run_as->valuedouble == 0)
		rc = err_set(e, ERR_INVALID,
			     "container's runAsUser breaks "
			     "non-root policy (pod: \"%s\", container: %s)",
			     desc, json_get_str(ctr, "name"));
	else if (!run_as && (!*u || (parse_id(u, &v) && v == 0)))
		rc = err_set(e, ERR_INVALID,
			     "container has runAsNonRoot and "
			     "image will run as root (pod: \"%s\", container: "
			     "%s)",
			     desc, json_get_str(ctr, "name"));
	else if (!run_as && !parse_id(u, &v))
		rc = err_set(e, ERR_INVALID,
			     "container has runAsNonRoot and "
			     "image has non-numeric user (%s), cannot verify "
			     "user is non-root (pod: \"%s\", container: %s)",
			     u, desc, json_get_str(ctr, "name"));
	free(u);
	free(desc);
	return rc;
}

static char **caps(const cJSON *a)
{
	size_t n = 0;
	char **v;
	const cJSON *x;

	if (!cJSON_IsArray(a))
		return NULL;
	v = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(*v));
	cJSON_ArrayForEach(x, a) if (cJSON_IsString(x)) v[n++] =
	    xstrdup(x->valuestring);
	return v;
}

void ps_sec_done(struct ps_sec *s)
{
	free(s->groups);
	ps_strv_free(s->cap_add);
	ps_strv_free(s->cap_drop);
	memset(s, 0, sizeof(*s));
}

int ps_security(const cJSON *pod, const cJSON *ctr,
		const struct image_config *img, struct ps_sec *out,
		struct err *e)
{
	const cJSON *sc = json_obj(ctr, "securityContext"), *g;
	const char *rootfs = img ? img->rootfs : NULL;
	const char *user = img ? img->user : NULL;
	struct ps_sec s = {0};
	long long pw_gid;
	char *name = NULL;

	if (check_non_root(pod, ctr, user, e) < 0 ||
	    resolve_user(rootfs, sc_field(pod, ctr, "runAsUser"), user, &s,
			 &pw_gid, &name, e) < 0)
		goto fail;
	if (resolve_group(rootfs, sc_field(pod, ctr, "runAsGroup"), user,
			  pw_gid, &s, e) < 0)
		goto fail;
	member_groups(rootfs, name, &s);
	if ((g = json_get(pod, "spec.securityContext.fsGroup")) &&
	    cJSON_IsNumber(g))
		add_group(&s, (long long)g->valuedouble);
	cJSON_ArrayForEach(
	    g, json_get(pod, "spec.securityContext."
			     "supplementalGroups")) if (cJSON_IsNumber(g))
	    add_group(&s, (long long)g->valuedouble);
	s.read_only_root = json_get_bool(sc, "readOnlyRootFilesystem", false);
	s.privileged = json_get_bool(sc, "privileged", false);
	s.no_new_privs =
	    cJSON_IsFalse(json_obj(sc, "allowPrivilegeEscalation"));
	s.cap_add = caps(json_get(sc, "capabilities.add"));
	s.cap_drop = caps(json_get(sc, "capabilities.drop"));
	free(name);
	*out = s;
	return 0;
fail:
	free(name);
	ps_sec_done(&s);
	return -1;
}
