/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_image_store: the store end to end on a temporary directory:
 * import of the three formats tests/images/mkimage.py writes, image_get
 * (config fields, root filesystem contents with the whiteout applied),
 * list, remove, gc; hostile layers (traversal through "..", absolute
 * names, symlinks and hard links leaving the root) and corrupt archives
 * are refused.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "cluster/image/image_priv.h"
#include "common/mem.h"
#include "../tap.h"

static char tmp[] = "/tmp/kdeck-test-image-XXXXXX";

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	va_list ap;
	char cmd[4096];

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static int mkimage(const char *out, const char *args)
{
	return sh("python3 %s/tests/images/mkimage.py %s/%s %s >/dev/null",
		  KDECK_SRCDIR, tmp, out, args);
}

static bool exists(const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel);
	struct stat st;
	bool ok = lstat(p, &st) == 0;

	free(p);
	return ok;
}

static char *slurp(const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel), buf[256] = "";
	FILE *fp = fopen(p, "r");
	size_t n = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;

	if (fp)
		fclose(fp);
	buf[n] = '\0';
	free(p);
	return xstrdup(buf);
}

static void free_refs(char **refs)
{
	for (size_t i = 0; refs && refs[i]; i++)
		free(refs[i]);
	free(refs);
}

static void test_formats(struct image_store *s)
{
	static const struct {
		const char *file, *args, *ref;
	} cases[] = {
	    {"oci.tar", "--format oci --name kdeck.test/oci:1",
	     "kdeck.test/oci:1"},
	    {"ocidir", "--format oci-dir --name kdeck.test/dir:2",
	     "kdeck.test/dir:2"},
	    {"docker.tar", "--format docker --name busybox:3",
	     "docker.io/library/busybox:3"},
	};

	for (size_t i = 0; i < 3; i++) {
		struct err e = {0};
		char **refs = NULL, *p = xasprintf("%s/%s", tmp, cases[i].file);

		ok(mkimage(cases[i].file, cases[i].args) == 0, "mkimage %s",
		   cases[i].file);
		ok(image_import(s, p, NULL, &refs, &e) == 0, "import %s %s",
		   cases[i].file, e.msg);
		is_str(refs ? refs[0] : NULL, cases[i].ref, "named %s",
		       cases[i].ref);
		ok(image_present(s, cases[i].ref), "present %s", cases[i].ref);
		free_refs(refs);
		free(p);
	}
}

static void test_get(struct image_store *s)
{
	struct image_config *c = NULL;
	struct err e = {0};
	char **refs = NULL, *p, *hello;

	sh("echo hello-image > %s/hello.txt", tmp);
	p = xasprintf(
	    "--format oci-dir --name kdeck.test/cfg:1 "
	    "--entrypoint '[\"/bin/sh\",\"-c\"]' --cmd '[\"echo hi\"]' "
	    "--env A=B --workdir /work --user 1000:1000 "
	    "--file %s/hello.txt:/etc/hello.txt",
	    tmp);
	ok(mkimage("cfg", p) == 0, "mkimage with config");
	free(p);
	p = xasprintf("%s/cfg", tmp);
	ok(image_import(s, p, "kdeck.test/renamed:7", &refs, &e) == 0,
	   "import with --name %s", e.msg);
	is_str(refs ? refs[0] : NULL, "kdeck.test/renamed:7", "renamed");
	free_refs(refs);
	free(p);
	ok(image_get(s, "kdeck.test/renamed:7", &c, &e) == 0, "get %s", e.msg);
	if (!c)
		return;
	is_str(c->entrypoint ? c->entrypoint[0] : NULL, "/bin/sh",
	       "entrypoint");
	is_str(c->entrypoint ? c->entrypoint[1] : NULL, "-c", "entrypoint[1]");
	is_str(c->cmd ? c->cmd[0] : NULL, "echo hi", "cmd");
	is_str(c->env[1], "A=B", "env");
	ok(!strncmp(c->env[0], "PATH=", 5), "PATH first");
	is_str(c->working_dir, "/work", "workdir");
	is_str(c->user, "1000:1000", "user");
	ok(c->id && img_digest_valid(c->id), "id is a digest");
	ok(c->repo_digest &&
	       !strncmp(c->repo_digest, "kdeck.test/renamed@sha256:", 26),
	   "repo digest %s", c->repo_digest);
	ok(c->size > 0, "size");
	ok(exists(c->rootfs, "bin/busybox"), "rootfs has bin/busybox");
	ok(exists(c->rootfs, "bin/sh"), "rootfs has bin/sh link");
	ok(exists(c->rootfs, "gone"), "rootfs has /gone");
	ok(!exists(c->rootfs, "gone/file"), "whiteout removed /gone/file");
	ok(!exists(c->rootfs, "gone/.wh.file"), "no whiteout marker left");
	hello = slurp(c->rootfs, "etc/hello.txt");
	is_str(hello, "hello-image\n", "added file content");
	free(hello);
	image_config_free(c);
	ok(image_get(s, "kdeck.test/missing:1", &c, &e) < 0 &&
	       e.code == ERR_NOT_FOUND,
	   "get of a missing image: %s", e.msg);
}

static void test_list_remove_gc(struct image_store *s)
{
	struct image_info *v = NULL;
	struct err e = {0};
	size_t n = 0;
	int64_t freed = -1;
	const char *keep[] = {"kdeck.test/renamed:7", NULL};

	ok(image_list(s, &v, &n, &e) == 0, "list");
	is_int((long long)n, 4, "four images");
	is_str(n ? v[0].ref : NULL, "docker.io/library/busybox:3", "sorted");
	image_info_free(v, n);
	ok(image_remove(s, "kdeck.test/dir:2", &e) == 0, "remove %s", e.msg);
	ok(!image_present(s, "kdeck.test/dir:2"), "gone after remove");
	ok(image_present(s, "kdeck.test/oci:1"), "same blobs still used");
	ok(image_remove(s, "kdeck.test/dir:2", &e) < 0 &&
	       e.code == ERR_NOT_FOUND,
	   "second remove: %s", e.msg);
	ok(image_gc(s, keep, 1LL << 40, 0, &freed, &e) == 0 && freed == 0,
	   "gc below the high mark does nothing");
	err_clear(&e);
	ok(image_gc(s, keep, 0, 0, &freed, &e) == 0, "gc %s", e.msg);
	ok(freed > 0, "gc freed %lld bytes", (long long)freed);
	ok(image_present(s, "kdeck.test/renamed:7"), "in-use image kept");
	ok(!image_present(s, "kdeck.test/oci:1"), "unused image collected");
	ok(image_list(s, &v, &n, &e) == 0 && n == 1, "one image left");
	image_info_free(v, n);
}

/* ---- hostile layouts, built here ---- */

struct ent {
	const char *name;
	int type;	  /* AE_IFREG, AE_IFLNK, AE_IFDIR; 1 = hardlink */
	const char *data; /* content or link target */
};

static size_t tar_layer(const struct ent *ents, char *out, size_t cap)
{
	struct archive *a = archive_write_new();
	size_t used = 0;

	archive_write_set_format_pax_restricted(a);
	archive_write_open_memory(a, out, cap, &used);
	for (; ents->name; ents++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, ents->name);
		archive_entry_set_perm(e, 0644);
		if (ents->type == 1) {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_hardlink(e, ents->data);
		} else {
			archive_entry_set_filetype(e, (unsigned)ents->type);
		}
		if (ents->type == AE_IFLNK)
			archive_entry_set_symlink(e, ents->data);
		if (ents->type == AE_IFREG)
			archive_entry_set_size(e,
					       (la_int64_t)strlen(ents->data));
		archive_write_header(a, e);
		if (ents->type == AE_IFREG)
			archive_write_data(a, ents->data, strlen(ents->data));
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return used;
}

static void put_blob(const char *dir, const void *p, size_t n, char d[72])
{
	char *path;
	FILE *fp;

	img_sha256(p, n, d);
	path = xasprintf("%s/blobs/sha256/%s", dir, d + 7);
	fp = fopen(path, "wb");
	fwrite(p, 1, n, fp);
	fclose(fp);
	free(path);
}

/* An OCI layout dir holding one image with one layer made of ents. */
static char *make_layout(const char *name, const struct ent *ents)
{
	char *dir = xasprintf("%s/%s", tmp, name), *layer = xmalloc(1 << 20);
	char ld[72], cd[72], md[72], *txt;
	/* distinct per image: the store keys root filesystems by config */
	char *cfg = xasprintf("{\"architecture\":\"amd64\",\"os\":"
			      "\"linux\",\"config\":{\"Labels\":{\"t\":"
			      "\"%s\"}}}", name);
	size_t n = tar_layer(ents, layer, 1 << 20);

	sh("mkdir -p %s/blobs/sha256", dir);
	put_blob(dir, layer, n, ld);
	put_blob(dir, cfg, strlen(cfg), cd);
	txt =
	    xasprintf("{\"schemaVersion\":2,\"mediaType\":\"application/vnd."
		      "oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
		      "\"application/vnd.oci.image.config.v1+json\",\"digest"
		      "\":\"%s\",\"size\":%zu},\"layers\":[{\"mediaType\":\""
		      "application/vnd.oci.image.layer.v1.tar\",\"digest\":"
		      "\"%s\",\"size\":%zu}]}",
		      cd, strlen(cfg), ld, n);
	put_blob(dir, txt, strlen(txt), md);
	free(txt);
	free(cfg);
	sh("printf '{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
	   "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\","
	   "\"size\":100}]}' > %s/index.json",
	   md, dir);
	free(layer);
	return dir;
}

static void test_hostile(struct image_store *s)
{
	static const struct ent dotdot[] = {{"../escape", AE_IFREG, "x"},
					    {NULL, 0, NULL}};
	static const struct ent absolute[] = {{"/abs-escape", AE_IFREG, "x"},
					      {NULL, 0, NULL}};
	static const struct ent abs_link[] = {
	    {"evil", AE_IFLNK, "/tmp"},
	    {"evil/kdeck-escape", AE_IFREG, "x"},
	    {NULL, 0, NULL}};
	static const struct ent up_link[] = {
	    {"d", AE_IFDIR, NULL},
	    {"d/up", AE_IFLNK, "../.."},
	    {"d/up/kdeck-escape", AE_IFREG, "x"},
	    {NULL, 0, NULL}};
	static const struct ent hard[] = {{"h", 1, "../../etc/passwd"},
					  {NULL, 0, NULL}};
	static const struct ent benign[] = {
	    {"usr", AE_IFDIR, NULL},	       {"usr/lib", AE_IFDIR, NULL},
	    {"lib", AE_IFLNK, "usr/lib"},      {"lib/x", AE_IFREG, "ok"},
	    {"abs", AE_IFLNK, "/bin/busybox"}, {NULL, 0, NULL}};
	static const struct {
		const char *name;
		const struct ent *ents;
		bool good;
	} cases[] = {
	    {"dotdot", dotdot, false},	   {"absolute", absolute, false},
	    {"abs_link", abs_link, false}, {"up_link", up_link, false},
	    {"hard", hard, false},	   {"benign", benign, true},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct err e = {0};
		char *dir = make_layout(cases[i].name, cases[i].ents);
		int rc = image_import(s, dir, "kdeck.test/hostile:1", NULL, &e);

		if (cases[i].good)
			ok(rc == 0, "%s layer imported %s", cases[i].name,
			   e.msg);
		else
			ok(rc < 0 && e.code == ERR_INVALID,
			   "%s layer refused: %s", cases[i].name, e.msg);
		free(dir);
	}
	ok(access("/tmp/kdeck-escape", F_OK) != 0, "nothing written outside");
	{
		struct image_config *c = NULL;
		struct err e = {0};

		ok(image_get(s, "kdeck.test/hostile:1", &c, &e) == 0, "get");
		ok(c && exists(c->rootfs, "usr/lib/x"),
		   "relative symlink inside the root followed");
		image_config_free(c);
	}
}

/* A layer that unpacks past KDECK_IMAGE_MAX_UNPACKED is refused. */
static void test_too_large(struct image_store *s)
{
	static const struct ent big[] = {
	    {"a", AE_IFREG, "0123456789012345678901234567890123456789"},
	    {"b", AE_IFREG, "0123456789012345678901234567890123456789"},
	    {NULL, 0, NULL}};
	char *dir = make_layout("toolarge", big);
	struct err e = {0};
	int rc;

	setenv("KDECK_IMAGE_MAX_UNPACKED", "60", 1);
	rc = image_import(s, dir, "kdeck.test/big:1", NULL, &e);
	ok(rc < 0 && e.code == ERR_INVALID && strstr(e.msg, "image too large"),
	   "layer unpacking past the cap refused: %s", e.msg);
	ok(!image_present(s, "kdeck.test/big:1"), "no half-unpacked image");
	setenv("KDECK_IMAGE_MAX_UNPACKED", "80", 1);
	err_clear(&e);
	ok(image_import(s, dir, "kdeck.test/big:1", NULL, &e) == 0,
	   "the same image under a larger cap: %s", e.msg);
	unsetenv("KDECK_IMAGE_MAX_UNPACKED");
	free(dir);
}

static void test_corrupt(struct image_store *s)
{
	struct err e = {0};
	char *dir = xasprintf("%s/ocidir", tmp);
	char *tarp = xasprintf("%s/notimage.tar", tmp);

	sh("for f in %s/blobs/sha256/*; do [ $(stat -c %%s $f) -gt 100000 ] "
	   "&& echo x >> $f; done",
	   dir);
	ok(image_import(s, dir, "kdeck.test/corrupt:1", NULL, &e) < 0 &&
	       e.code == ERR_INVALID && strstr(e.msg, "wrong digest"),
	   "wrong digest refused: %s", e.msg);
	sh("cd %s && tar cf notimage.tar hello.txt", tmp);
	ok(image_import(s, tarp, NULL, NULL, &e) < 0 &&
	       strstr(e.msg, "not an image archive"),
	   "non-image tar: %s", e.msg);
	ok(image_import(s, "/nonexistent.tar", NULL, NULL, &e) < 0 &&
	       e.code == ERR_NOT_FOUND,
	   "missing file: %s", e.msg);
	free(dir);
	free(tarp);
}

int main(void)
{
	struct image_store *s = NULL;
	struct err e = {0};
	char *store;

	if (access("/bin/busybox", X_OK) ||
	    system("python3 -c '' 2>/dev/null")) {
		printf("1..0 # SKIP needs /bin/busybox and python3\n");
		return 0;
	}
	if (!mkdtemp(tmp))
		return 1;
	store = xasprintf("%s/store", tmp);
	ok(image_store_open(store, NULL, &s, &e) == 0, "open %s", e.msg);
	test_formats(s);
	test_get(s);
	test_list_remove_gc(s);
	test_hostile(s);
	test_corrupt(s);
	test_too_large(s);
	image_store_free(s);
	free(store);
	sh("rm -rf %s", tmp);
	return tap_done();
}
