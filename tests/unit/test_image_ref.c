/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_image_ref: reference normalization as Docker does it, and the
 * references it must refuse.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/image/image_priv.h"
#include "../tap.h"

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const struct {
	const char *in, *want;
} good[] = {
	{ "busybox", "docker.io/library/busybox:latest" },
	{ "busybox:1.36", "docker.io/library/busybox:1.36" },
	{ "library/busybox:1", "docker.io/library/busybox:1" },
	{ "docker.io/busybox", "docker.io/library/busybox:latest" },
	{ "index.docker.io/library/busybox:1", "docker.io/library/busybox:1" },
	{ "bitnami/nginx:1.25", "docker.io/bitnami/nginx:1.25" },
	{ "ghcr.io/a/b@sha256:" D64, "ghcr.io/a/b@sha256:" D64 },
	{ "ghcr.io/a/b:v1@sha256:" D64, "ghcr.io/a/b@sha256:" D64 },
	{ "localhost:5000/x", "localhost:5000/x:latest" },
	{ "localhost/x:y", "localhost/x:y" },
	{ "127.0.0.1:5000/test/busybox:1", "127.0.0.1:5000/test/busybox:1" },
	{ "registry.k8s.io/pause:3.9", "registry.k8s.io/pause:3.9" },
	{ "a/b/c/d:e_F.g-1", "docker.io/a/b/c/d:e_F.g-1" },
	{ "my-app__x.y", "docker.io/library/my-app__x.y:latest" },
	{ "quay.io/a--b/c:1", "quay.io/a--b/c:1" },
};

static const char *const bad[] = {
	"",
	"Busybox",
	"busybox:",
	"busybox@sha256:abc",
	"busybox@md5:" D64,
	"busybox:-x",
	"/busybox",
	"busybox/",
	"a//b",
	"a/.b",
	"a/b_",
	"a___b",
	"ex ample",
	"localhost:port/x",
	"ghcr.io/A/b",
	"-a.io/b",
	"x:" "0123456789012345678901234567890123456789012345678901234567890123"
	"45678901234567890123456789012345678901234567890123456789012345678",
};

static void test_good(void)
{
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct err e = {0};
		char *out = NULL;
		int rc = image_normalize(good[i].in, &out, &e);

		ok(rc == 0, "normalize \"%s\" %s", good[i].in, e.msg);
		is_str(out, good[i].want, "\"%s\" -> %s", good[i].in,
		       good[i].want);
		free(out);
	}
}

static void test_bad(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct err e = {0};
		char *out = NULL;
		int rc = image_normalize(bad[i], &out, &e);

		ok(rc < 0 && !out, "refused \"%.40s\" (%s)", bad[i], e.msg);
		is_int(e.code, ERR_INVALID, "\"%.40s\" is ERR_INVALID", bad[i]);
		ok(strstr(e.msg, "invalid reference format") != NULL,
		   "message names the problem");
		free(out);
	}
}

static void test_parts(void)
{
	struct img_ref r;
	struct err e = {0};

	ok(img_ref_parse("localhost:5000/a/b:1", &r, &e) == 0, "parse parts");
	is_str(r.domain, "localhost:5000", "domain");
	is_str(r.path, "a/b", "path");
	is_str(r.tag, "1", "tag");
	ok(r.digest == NULL, "no digest");
	img_ref_done(&r);
	ok(img_ref_parse("busybox@sha256:" D64, &r, &e) == 0, "digest only");
	ok(r.tag == NULL, "no tag with a digest");
	is_str(r.digest, "sha256:" D64, "digest kept");
	img_ref_done(&r);
	ok(img_digest_valid("sha256:" D64), "digest valid");
	ok(!img_digest_valid("sha256:" D64 "0"), "digest too long");
	{
		char up[] = "sha256:" D64;

		up[17] = 'A';
		ok(!img_digest_valid(up), "uppercase refused");
	}
	ok(!img_digest_valid(NULL), "NULL digest");
}

int main(void)
{
	test_good();
	test_bad();
	test_parts();
	return tap_done();
}
