/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for client credentials: exec credential plugins (a shell
 * script plugin: env, args, KUBERNETES_EXEC_INFO, caching until
 * expirationTimestamp, invalidation as after a 401, failures) and
 * tokenFile rotation.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tap.h"
#include "client/transport.h"
#include "common/mem.h"

static char dir[64];

static char *put(const char *name, const char *text, int mode)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");

	fputs(text, f);
	fclose(f);
	chmod(p, (mode_t)mode);
	return p;
}

/* The plugin counts its runs in a file and prints a token with the count,
 * its first argument, $GREETING and whether it saw the cluster info. */
static const char *const plugin =
	"#!/bin/sh\n"
	"d=$(dirname \"$0\")\n"
	"n=$(cat \"$d/count\" 2>/dev/null || echo 0); n=$((n+1)); "
	"echo $n > \"$d/count\"\n"
	"case \"$KUBERNETES_EXEC_INFO\" in *https://k.example:6443*) ci=ci;; "
	"*) ci=noci;; esac\n"
	"printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
	"\"kind\":\"ExecCredential\",\"status\":{\"token\":\"t%s-%s-%s-%s\","
	"\"expirationTimestamp\":\"%s\"}}' $n \"$1\" \"$GREETING\" $ci "
	"\"$EXPIRY\"\n";

static void test_exec(void)
{
	char *cmd = put("plugin.sh", plugin, 0755);
	char *args[] = { "arg1", NULL };
	char *env[] = { "GREETING=hi", NULL };
	struct kc_exec ex = { .api_version =
		"client.authentication.k8s.io/v1", .command = cmd, .args = args,
		.env = env, .provide_cluster_info = true };
	struct kc_config cfg = { .server = "https://k.example:6443",
				 .exec = &ex };
	struct client_auth a;
	struct err e = { 0 };
	const char *tok = NULL;

	setenv("EXPIRY", "2999-01-01T00:00:00Z", 1);
	auth_init(&a, &cfg);
	ok(auth_token(&a, &tok, &e) == 0, "plugin runs: %s", e.msg);
	is_str(tok, "t1-arg1-hi-ci", "token from plugin with args/env/info");
	ok(auth_token(&a, &tok, &e) == 0, "second call");
	is_str(tok, "t1-arg1-hi-ci", "cached until expiry");
	auth_invalidate(&a);
	ok(auth_token(&a, &tok, &e) == 0, "after 401");
	is_str(tok, "t2-arg1-hi-ci", "re-run after invalidation");
	auth_done(&a);

	setenv("EXPIRY", "2001-01-01T00:00:00Z", 1);
	auth_init(&a, &cfg);
	auth_token(&a, &tok, &e);
	ok(auth_token(&a, &tok, &e) == 0, "expired credential");
	is_str(tok, "t4-arg1-hi-ci", "expired token re-run each time");
	auth_done(&a);

	ex.provide_cluster_info = false;
	auth_init(&a, &cfg);
	auth_token(&a, &tok, &e);
	is_str(tok, "t5-arg1-hi-noci", "no cluster info unless asked");
	auth_done(&a);

	char *bad = put("bad.sh", "#!/bin/sh\necho nope\n", 0755);
	char *fail = put("fail.sh", "#!/bin/sh\nexit 3\n", 0755);
	struct { char *cmd; const char *needle; } t[] = {
		{ bad, "not an ExecCredential" },
		{ fail, "failed (status 3)" },
		{ "/nonexistent/plugin", "No such file" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ex.command = t[i].cmd;
		auth_init(&a, &cfg);
		err_clear(&e);
		ok(auth_token(&a, &tok, &e) < 0, "bad plugin %zu fails", i);
		is_int(e.code, ERR_UNAUTHORIZED, "bad plugin %zu code", i);
		ok(strstr(e.msg, t[i].needle) != NULL, "plugin %zu: %s", i,
		   e.msg);
		auth_done(&a);
	}
	free(bad);
	free(fail);
	free(cmd);
}

static void test_token_file(void)
{
	char *path = put("token", "first\n", 0600);
	struct kc_config cfg = { .server = "https://x", .token_file = path };
	struct client_auth a;
	struct err e = { 0 };
	const char *tok = NULL;

	auth_init(&a, &cfg);
	ok(auth_token(&a, &tok, &e) == 0, "token file read");
	is_str(tok, "first", "newline trimmed");
	free(put("token", "second-longer\n", 0600));
	ok(auth_token(&a, &tok, &e) == 0, "token file re-read");
	is_str(tok, "second-longer", "rotation picked up");
	unlink(path);
	ok(auth_token(&a, &tok, &e) < 0, "missing token file fails");
	ok(strstr(e.msg, "tokenFile") != NULL, "message names tokenFile: %s",
	   e.msg);
	auth_done(&a);

	struct kc_config st = { .server = "https://x", .token = "static" };
	auth_init(&a, &st);
	ok(auth_token(&a, &tok, &e) == 0 && tok && !strcmp(tok, "static"),
	   "static token");
	auth_done(&a);
	free(path);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/kdeck-auth-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	test_exec();
	test_token_file();
	char *cmd = xasprintf("rm -rf %s", dir);
	if (system(cmd) != 0)
		diag("cleanup failed");
	free(cmd);
	return tap_done();
}
