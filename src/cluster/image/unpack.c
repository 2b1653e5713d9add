/* SPDX-License-Identifier: Apache-2.0 */
/*
 * unpack: apply image layers (tar, gzip or zstd compressed) onto a root
 * filesystem directory with libarchive, the way containerd's applier does.
 *
 * Layer tars are hostile input.  Every entry name is split into
 * components; absolute names and ".." are refused, "." and empty
 * components dropped.  The parent directory is then resolved inside the
 * root by hand: relative symlinks met on the way are followed as long as
 * they stay inside the root, an absolute symlink or one climbing above
 * the root is refused (it would write outside when the host resolves
 * it).  Hard link targets go through the same checks.  libarchive then
 * writes at the resolved absolute path with SECURE_SYMLINKS and NODOTDOT
 * on top, as a second line of defence.
 *
 * Whiteouts: ".wh.NAME" removes NAME from lower layers; ".wh..wh..opq"
 * empties its directory of everything lower layers put there (entries
 * this layer already wrote stay).  Ownership, modes and times are kept
 * when running as root; device nodes are skipped otherwise.
 * One call works on one directory; no shared state (thread-safe).
 *
 * Size: compressed layers can expand without bound (a "decompression
 * bomb"), so the bytes written for one image are capped at
 * KDECK_IMAGE_MAX_UNPACKED (bytes in the daemon's environment; default
 * 32 GiB), and unpacking stops before the file system would have less
 * than 5 % free, so a hostile image cannot fill the node's disk.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <uthash.h>

#include "cluster/image/image_priv.h"
#include "common/buf.h"
#include "common/mem.h"
#include "common/vec.h"

#define LINK_HOPS_MAX 40
#define WH_PREFIX     ".wh."
#define WH_OPAQUE     ".wh..wh..opq"

/* Paths (relative to the root) written by the current layer. */
struct seen {
	char *path;
	UT_hash_handle hh;
};

#define UNPACK_MAX_DEFAULT (32LL << 30)
#define UNPACK_CHECK_EVERY (16LL << 20) /* free-space check interval */
#define UNPACK_FREE_PCT	   5

struct unpacker {
	const char *root; /* realpath of the root */
	struct seen *seen;
	struct archive *out;
	long long written, max, next_check;
	const char *full; /* why unpacking stopped, or NULL */
};

/*
 * Split name into components onto v (xstrdup'd); -1 for an absolute
 * name or a ".." component.
 */
static int split_path(const char *name, struct vec *v)
{
	const char *p = name, *slash;

	if (name[0] == '/')
		return -1;
	while (*p) {
		size_t n;

		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 2 && !strncmp(p, "..", 2))
			return -1;
		if (n && !(n == 1 && p[0] == '.'))
			vec_push(v, xstrndup(p, n));
		if (!slash)
			break;
		p = slash + 1;
	}
	return 0;
}

static char *join_rel(const struct vec *v)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < v->len; i++) {
		if (i)
			buf_addc(&b, '/');
		buf_adds(&b, v->items[i]);
	}
	return buf_take(&b);
}

/* Follow one symlink at root/rel: push its target's components onto
 * todo (reversed), drop the link from done. */
static int follow_link(const struct unpacker *u, struct vec *done,
		       struct vec *todo, const char *abs)
{
	char target[4096];
	ssize_t n = readlink(abs, target, sizeof(target) - 1);
	struct vec parts = VEC_INIT;
	int rc = -1;

	if (n < 0)
		return -1;
	target[n] = '\0';
	free(vec_pop(done));
	if (target[0] == '/')
		goto out;
	for (const char *p = target; *p;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		if (len && !(len == 1 && *p == '.'))
			vec_push(&parts, xstrndup(p, len));
		if (!slash)
			break;
		p = slash + 1;
	}
	while (parts.len)
		vec_push(todo, vec_pop(&parts));
	rc = 0;
out:
	(void)u;
	vec_free(&parts, free);
	return rc;
}

/*
 * Resolve the directory components of an entry (comps, all but the
 * last) inside the root.  *rel gets "a/b" (no symlinks in it; "" for the
 * root).  -1 when a link leaves the root.
 */
static int resolve_dir(const struct unpacker *u, const struct vec *comps,
		       size_t n, char **rel)
{
	struct vec done = VEC_INIT, todo = VEC_INIT;
	int hops = 0, rc = -1;

	for (size_t i = n; i > 0; i--)
		vec_push(&todo, xstrdup(comps->items[i - 1]));
	while (todo.len) {
		char *c = vec_pop(&todo), *r, *abs;
		struct stat st;

		if (!strcmp(c, "..")) {
			free(c);
			if (!done.len)
				goto out;
			free(vec_pop(&done));
			continue;
		}
		vec_push(&done, c);
		r = join_rel(&done);
		abs = xasprintf("%s/%s", u->root, r);
		free(r);
		if (lstat(abs, &st) == 0 && S_ISLNK(st.st_mode) &&
		    (++hops > LINK_HOPS_MAX ||
		     follow_link(u, &done, &todo, abs) < 0)) {
			free(abs);
			goto out;
		}
		free(abs);
	}
	*rel = join_rel(&done);
	rc = 0;
out:
	vec_free(&done, free);
	vec_free(&todo, free);
	return rc;
}

/*
 * Checked location of an entry name: *rel = resolved parent + "/" +
 * base (relative, no leading slash), *base borrowed from *rel.
 */
static int locate(const struct unpacker *u, const char *name, char **rel,
		  const char **base, struct err *e)
{
	struct vec comps = VEC_INIT;
	char *dir = NULL;
	int rc = -1;

	if (split_path(name, &comps) < 0) {
		err_set(e, ERR_INVALID,
			"layer entry \"%.200s\": absolute "
			"path or \"..\" refused",
			name);
		goto out;
	}
	if (!comps.len) {
		*rel = NULL;
		rc = 0;
		goto out;
	}
	if (resolve_dir(u, &comps, comps.len - 1, &dir) < 0) {
		err_set(e, ERR_INVALID,
			"layer entry \"%.200s\": a link "
			"leads outside the root filesystem",
			name);
		goto out;
	}
	*rel = *dir
		   ? xasprintf("%s/%s", dir, (char *)comps.items[comps.len - 1])
		   : xstrdup(comps.items[comps.len - 1]);
	*base = strrchr(*rel, '/') ? strrchr(*rel, '/') + 1 : *rel;
	rc = 0;
out:
	free(dir);
	vec_free(&comps, free);
	return rc;
}

void img_rm_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (lstat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	chmod(path, 0700);
	d = opendir(path);
	while (d && (de = readdir(d))) {
		char *p;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		p = xasprintf("%s/%s", path, de->d_name);
		img_rm_tree(p);
		free(p);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

static bool seen_has(struct unpacker *u, const char *rel)
{
	struct seen *s;

	HASH_FIND_STR(u->seen, rel, s);
	return s != NULL;
}

static void seen_add(struct unpacker *u, const char *rel)
{
	struct seen *s;

	if (seen_has(u, rel))
		return;
	s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(rel);
	HASH_ADD_KEYPTR(hh, u->seen, s->path, strlen(s->path), s);
}

static void seen_clear(struct unpacker *u)
{
	struct seen *s, *tmp;

	HASH_ITER(hh, u->seen, s, tmp)
	{
		HASH_DEL(u->seen, s);
		free(s->path);
		free(s);
	}
}

/* ".wh..wh..opq" in dir (relative): drop what lower layers put there. */
static void opaque_dir(struct unpacker *u, const char *dir)
{
	char *abs = *dir ? xasprintf("%s/%s", u->root, dir) : xstrdup(u->root);
	DIR *d = opendir(abs);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char *rel, *p;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		rel = *dir ? xasprintf("%s/%s", dir, de->d_name)
			   : xstrdup(de->d_name);
		if (!seen_has(u, rel)) {
			p = xasprintf("%s/%s", u->root, rel);
			img_rm_tree(p);
			free(p);
		}
		free(rel);
	}
	if (d)
		closedir(d);
	free(abs);
}

/* Handle a whiteout entry at rel (base starts with ".wh."). */
static void whiteout(struct unpacker *u, char *rel, const char *base)
{
	size_t dlen = (size_t)(base - rel);
	char *dir = xstrndup(rel, dlen ? dlen - 1 : 0);

	if (!strcmp(base, WH_OPAQUE)) {
		opaque_dir(u, dir);
	} else {
		char *p = *dir ? xasprintf("%s/%s/%s", u->root, dir,
					   base + strlen(WH_PREFIX))
			       : xasprintf("%s/%s", u->root,
					   base + strlen(WH_PREFIX));

		img_rm_tree(p);
		free(p);
	}
	free(dir);
}

/* Point a hard link entry at its checked target inside the root. */
static int fix_hardlink(struct unpacker *u, struct archive_entry *ent,
			struct err *e)
{
	const char *target = archive_entry_hardlink(ent), *base;
	char *rel = NULL, *abs;

	if (!target)
		return 0;
	if (locate(u, target, &rel, &base, e) < 0 || !rel) {
		free(rel);
		return err_set(e, ERR_INVALID,
			       "layer entry \"%.200s\": hard "
			       "link target \"%.200s\" refused",
			       archive_entry_pathname(ent), target);
	}
	abs = xasprintf("%s/%s", u->root, rel);
	archive_entry_copy_hardlink(ent, abs);
	free(abs);
	free(rel);
	return 0;
}

/* An existing file of the other kind (dir vs non-dir) goes first. */
static void clear_conflict(const char *abs, bool want_dir)
{
	struct stat st;

	if (lstat(abs, &st) == 0 && (S_ISDIR(st.st_mode) != want_dir))
		img_rm_tree(abs);
}

/* Account len more bytes; false (u->full set) when over a limit. */
static bool room_for(struct unpacker *u, size_t len)
{
	struct statvfs sv;

	u->written += (long long)len;
	if (u->written > u->max) {
		u->full = "image too large: its layers unpack to more than "
			  "KDECK_IMAGE_MAX_UNPACKED bytes";
		return false;
	}
	if (u->written < u->next_check)
		return true;
	u->next_check = u->written + UNPACK_CHECK_EVERY;
	if (statvfs(u->root, &sv) == 0 && sv.f_blocks &&
	    sv.f_bavail * 100 < sv.f_blocks * UNPACK_FREE_PCT) {
		u->full = "no space left on device: unpacking the image would "
			  "leave less than 5% of the file system free";
		return false;
	}
	return true;
}

static int copy_data(struct unpacker *u, struct archive *in)
{
	const void *blk;
	size_t len;
	la_int64_t off;
	int r;

	while ((r = archive_read_data_block(in, &blk, &len, &off)) ==
	       ARCHIVE_OK)
		if (!room_for(u, len) ||
		    archive_write_data_block(u->out, blk, len, off) < ARCHIVE_WARN)
			return -1;
	return r == ARCHIVE_EOF ? 0 : -1;
}

static long long unpack_max(void)
{
	const char *v = getenv("KDECK_IMAGE_MAX_UNPACKED");
	char *end;
	long long n;

	if (!v || !*v)
		return UNPACK_MAX_DEFAULT;
	n = strtoll(v, &end, 10);
	return *end || n <= 0 ? UNPACK_MAX_DEFAULT : n;
}

/* One tar entry. */
static int apply_entry(struct unpacker *u, struct archive *in,
		       struct archive_entry *ent, struct err *e)
{
	const char *name = archive_entry_pathname(ent), *base = NULL;
	mode_t type = archive_entry_filetype(ent);
	char *rel = NULL, *abs = NULL;
	int rc = -1;

	if (!name || locate(u, name, &rel, &base, e) < 0)
		return name ? -1 : err_set(e, ERR_INVALID, "nameless entry");
	if (!rel || ((type == AE_IFCHR || type == AE_IFBLK) && geteuid()))
		return free(rel), 0;
	if (!strncmp(base, WH_PREFIX, strlen(WH_PREFIX))) {
		whiteout(u, rel, base);
		return free(rel), 0;
	}
	if (fix_hardlink(u, ent, e) < 0)
		goto out;
	abs = xasprintf("%s/%s", u->root, rel);
	clear_conflict(abs, type == AE_IFDIR);
	if (type == AE_IFDIR && geteuid()) /* later entries go inside */
		archive_entry_set_perm(ent, archive_entry_perm(ent) | 0700);
	archive_entry_copy_pathname(ent, abs);
	if (archive_write_header(u->out, ent) < ARCHIVE_WARN ||
	    (archive_entry_size(ent) > 0 && copy_data(u, in) < 0) ||
	    archive_write_finish_entry(u->out) < ARCHIVE_WARN) {
		if (u->full) {
			err_set(e, ERR_INVALID, "%s", u->full);
			goto out;
		}
		err_set(e, ERR_IO, "layer entry \"%.200s\": %s", name,
			archive_error_string(u->out)
			    ? archive_error_string(u->out)
			    : archive_error_string(in));
		goto out;
	}
	seen_add(u, rel);
	rc = 0;
out:
	free(abs);
	free(rel);
	return rc;
}

static int apply_layer(struct unpacker *u, const char *path, struct err *e)
{
	struct archive *in = archive_read_new();
	struct archive_entry *ent;
	int r, rc = -1;

	archive_read_support_filter_gzip(in);
	archive_read_support_filter_zstd(in);
	archive_read_support_filter_none(in);
	archive_read_support_format_tar(in);
	if (archive_read_open_filename(in, path, 65536) != ARCHIVE_OK) {
		err_set(e, ERR_INVALID, "layer: %s", archive_error_string(in));
		goto out;
	}
	while ((r = archive_read_next_header(in, &ent)) == ARCHIVE_OK ||
	       r == ARCHIVE_WARN)
		if (apply_entry(u, in, ent, e) < 0)
			goto out;
	if (r != ARCHIVE_EOF) {
		err_set(e, ERR_INVALID, "layer is not a valid tar archive: %s",
			archive_error_string(in));
		goto out;
	}
	rc = 0;
out:
	archive_read_free(in);
	seen_clear(u);
	return rc;
}

int img_unpack_layers(const char *dir, const char *const *layers, size_t n,
		      struct err *e)
{
	struct unpacker u = {0};
	char *root = realpath(dir, NULL);
	int flags = ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
		    ARCHIVE_EXTRACT_UNLINK | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
		    ARCHIVE_EXTRACT_SECURE_NODOTDOT;
	int rc = -1;

	if (!root)
		return err_set(e, ERR_IO, "%s: %s", dir, strerror(errno));
	if (geteuid() == 0)
		flags |= ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_XATTR;
	u.root = root;
	u.max = unpack_max();
	u.out = archive_write_disk_new();
	archive_write_disk_set_options(u.out, flags);
	for (size_t i = 0; i < n; i++)
		if (apply_layer(&u, layers[i], e) < 0)
			goto out;
	rc = 0;
out:
	archive_write_free(u.out);
	free(root);
	return rc;
}
