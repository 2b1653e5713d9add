/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_image_auth: WWW-Authenticate challenges, .dockerconfigjson
 * credential lookup and registries.yaml parsing (mirrors, configs, the
 * errors for wrong shapes).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/image/image_priv.h"
#include "../tap.h"

static void test_www_auth(void)
{
	static const struct {
		const char *in, *scheme, *realm, *service, *scope;
	} cases[] = {
	    {"Bearer "
	     "realm=\"https://auth.docker.io/"
	     "token\",service=\"registry.docker.io\",scope=\"repository:"
	     "library/busybox:pull\"",
	     "bearer", "https://auth.docker.io/token", "registry.docker.io",
	     "repository:library/busybox:pull"},
	    {"Basic realm=\"Registry Realm\"", "basic", "Registry Realm", NULL,
	     NULL},
	    {"bearer  realm=x , service=y", "bearer", "x", "y", NULL},
	    {"Bearer realm=\"a\\\"b\",error=\"insufficient_scope\"", "bearer",
	     "a\"b", NULL, NULL},
	};
	static const char *const bad[] = {"", "Bearer service=x",
					  "Bearer realm=\"open", "=x"};
	struct img_challenge c;
	struct err e;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&c, 0, sizeof(c));
		ok(img_www_auth_parse(cases[i].in, &c, &e) == 0, "parse %zu",
		   i);
		is_str(c.scheme, cases[i].scheme, "scheme %zu", i);
		is_str(c.realm, cases[i].realm, "realm %zu", i);
		is_str(c.service, cases[i].service, "service %zu", i);
		is_str(c.scope, cases[i].scope, "scope %zu", i);
		img_challenge_done(&c);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(img_www_auth_parse(bad[i], &c, &e) < 0, "refused \"%s\": %s",
		   bad[i], e.msg);
}

static void test_dockercfg(void)
{
	/* "dTpw" is base64("u:p") */
	const char *hub = "{\"auths\":{\"https://index.docker.io/v1/\":"
			  "{\"auth\":\"dTpw\"}}}";
	const char *plain = "{\"auths\":{\"127.0.0.1:5000\":{\"username\":"
			    "\"alice\",\"password\":\"s3\"}}}";
	char *u = NULL, *p = NULL;

	ok(img_dockercfg_lookup(hub, "docker.io", &u, &p) == 0, "hub key");
	is_str(u, "u", "user from auth");
	is_str(p, "p", "password from auth");
	free(u);
	free(p);
	ok(img_dockercfg_lookup(plain, "127.0.0.1:5000", &u, &p) == 0,
	   "host key");
	is_str(u, "alice", "username");
	free(u);
	free(p);
	ok(img_dockercfg_lookup(plain, "other:5000", &u, &p) < 0,
	   "other host: none");
	ok(img_dockercfg_lookup("{", "docker.io", &u, &p) < 0, "bad JSON");
	ok(img_dockercfg_lookup("{\"auths\":{\"docker.io\":{\"auth\":\"!!\"}}}",
				"docker.io", &u, &p) < 0,
	   "bad base64");
	ok(img_dockercfg_lookup(NULL, "docker.io", &u, &p) < 0, "NULL doc");
}

static void test_registries(void)
{
	const char *y = "mirrors:\n"
			"  docker.io:\n"
			"    endpoint: [\"http://10.0.0.1:5000/\", "
			"\"https://m.example\"]\n"
			"  \"*\":\n"
			"    endpoint: [\"http://any:1\"]\n"
			"configs:\n"
			"  \"10.0.0.1:5000\":\n"
			"    auth: {username: u, password: p}\n"
			"    tls: {insecure_skip_verify: true, ca_file: /ca}\n";
	static const char *const bad[] = {
	    "mirrors: [1]\n",
	    "mirrors:\n  docker.io:\n    endpoint: [\"ftp://x\"]\n",
	    "mirrors:\n  docker.io:\n    endpoint: x\n",
	    "configs:\n  h:\n    auth: {username: [1]}\n",
	    "- a\n",
	    "a: [\n",
	};
	struct img_registries *r = NULL;
	const struct img_reg_config *c;
	const char *const *m;
	struct err e;

	ok(img_registries_parse(y, strlen(y), &r, &e) == 0, "parse %s", e.msg);
	m = img_registries_mirrors(r, "docker.io");
	is_str(m[0], "http://10.0.0.1:5000", "first mirror, slash dropped");
	is_str(m[1], "https://m.example", "second mirror");
	ok(m[2] == NULL, "two mirrors");
	is_str(img_registries_mirrors(r, "ghcr.io")[0], "http://any:1",
	       "\"*\" for other registries");
	c = img_registries_config(r, "10.0.0.1:5000");
	ok(c && c->insecure_skip_verify, "insecure_skip_verify");
	is_str(c ? c->username : NULL, "u", "config username");
	is_str(c ? c->ca_file : NULL, "/ca", "ca_file");
	ok(img_registries_config(r, "other") == NULL, "no config");
	img_registries_free(r);
	ok(img_registries_parse("", 0, &r, &e) == 0, "empty file");
	ok(img_registries_mirrors(r, "docker.io")[0] == NULL, "no mirrors");
	img_registries_free(r);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = NULL;
		ok(img_registries_parse(bad[i], strlen(bad[i]), &r, &e) < 0 &&
		       !r,
		   "refused %zu: %s", i, e.msg);
	}
	ok(img_registries_load("/nonexistent/registries.yaml", &r, &e) == 0,
	   "missing file is an empty configuration");
	img_registries_free(r);
}

int main(void)
{
	test_www_auth();
	test_dockercfg();
	test_registries();
	return tap_done();
}
