/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for client/kubeconfig: merging, precedence, errors, edits. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tap.h"
#include "client/kubeconfig.h"
#include "client/private.h"
#include "common/mem.h"

static char tmpdir[256];

static char *put(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
	return path;
}

static const char *const file_a =
	"apiVersion: v1\nkind: Config\n"
	"current-context: a-ctx\n"
	"unknownTopLevel: {x: 1}\n"
	"clusters:\n"
	"- name: shared\n  cluster:\n    server: https://a.example:6443\n"
	"    insecure-skip-tls-verify: true\n"
	"    certificate-authority-data: aGVsbG8=\n"
	"    extensions:\n    - name: kdeck\n      extension:\n"
	"        ssh: me@bastion:2222\n"
	"- name: only-a\n  cluster:\n    server: https://only-a:1\n"
	"contexts:\n"
	"- name: a-ctx\n  context: {cluster: shared, user: ua, namespace: nsa}\n"
	"- name: bad-cluster\n  context: {cluster: nope, user: ua}\n"
	"- name: bad-user\n  context: {cluster: shared, user: nobody}\n"
	"users:\n"
	"- name: ua\n  user:\n    token: tok-a\n    as: admin\n"
	"    as-groups: [g1, g2]\n";

static const char *const file_b =
	"current-context: b-ctx\n"
	"clusters:\n"
	"- name: shared\n  cluster: {server: https://b.example:6443}\n"
	"- name: only-b\n  cluster:\n    server: https://only-b:2\n"
	"    certificate-authority-data: '!!!notbase64'\n"
	"contexts:\n"
	"- name: b-ctx\n  context: {cluster: only-b, user: ub}\n"
	"- name: exec-ctx\n  context: {cluster: only-a, user: uexec}\n"
	"- name: a-ctx\n  context: {cluster: only-b}\n"
	"users:\n"
	"- name: ub\n  user: {username: bob, password: pw, tokenFile: tok}\n"
	"- name: uexec\n  user:\n    exec:\n"
	"      apiVersion: client.authentication.k8s.io/v1\n"
	"      command: /bin/plugin\n      args: [--x, y]\n"
	"      env: [{name: FOO, value: bar}]\n"
	"      provideClusterInfo: true\n";

static void test_merge(const char *a, const char *b)
{
	const char *paths[] = { a, b, "/nonexistent/kdeck-kc" };
	struct kc *kc = NULL;
	struct kc_config *cfg = NULL;
	struct err e = { 0 };

	ok(kc_load_files(paths, 3, false, &kc, &e) == 0, "merge loads: %s",
	   e.msg);
	is_str(kc_current_context(kc), "a-ctx", "current-context: first file");
	is_int((long long)kc_context_count(kc), 5, "contexts merged");
	is_str(kc_context_namespace(kc, "a-ctx"), "nsa",
	       "first file's a-ctx wins");
	ok(kc_resolve(kc, NULL, &cfg, &e) == 0, "resolve current: %s", e.msg);
	is_str(cfg->server, "https://a.example:6443", "first cluster wins");
	is_str(cfg->namespace, "nsa", "namespace");
	is_str(cfg->token, "tok-a", "token");
	is_str(cfg->as, "admin", "impersonate");
	is_str(cfg->as_groups[1], "g2", "as-groups");
	is_str(cfg->ca.data, "hello", "CA data decoded");
	ok(cfg->insecure, "insecure-skip-tls-verify");
	is_str(cfg->ssh, "me@bastion:2222", "kdeck ssh extension");
	kc_config_free(cfg);

	ok(kc_resolve(kc, "exec-ctx", &cfg, &e) == 0, "exec ctx: %s", e.msg);
	is_str(cfg->exec->command, "/bin/plugin", "exec command");
	is_str(cfg->exec->args[1], "y", "exec args");
	is_str(cfg->exec->env[0], "FOO=bar", "exec env");
	ok(cfg->exec->provide_cluster_info, "provideClusterInfo");
	is_str(cfg->namespace, "default", "namespace defaults");
	kc_config_free(cfg);

	struct { const char *ctx; int code; const char *needle; } bad[] = {
		{ "bad-cluster", ERR_INVALID, "cluster \"nope\" not found" },
		{ "bad-user", ERR_INVALID, "user \"nobody\" not found" },
		{ "missing", ERR_NOT_FOUND, "context \"missing\" does not exist" },
		{ "b-ctx", ERR_PARSE, "certificate-authority-data" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cfg = NULL;
		err_clear(&e);
		ok(kc_resolve(kc, bad[i].ctx, &cfg, &e) < 0 && !cfg,
		   "%s fails", bad[i].ctx);
		is_int(e.code, bad[i].code, "%s code", bad[i].ctx);
		ok(strstr(e.msg, bad[i].needle) != NULL, "%s msg: %s",
		   bad[i].ctx, e.msg);
	}
	kc_free(kc);
}

static void test_load_errors(void)
{
	struct { const char *name, *text; int must; int code;
		 const char *needle; } t[] = {
		{ "missing.yaml", NULL, 1, ERR_NOT_FOUND, "missing.yaml" },
		{ "bad.yaml", "clusters: [\n", 1, ERR_PARSE, "bad.yaml: yaml: line" },
		{ "list.yaml", "- a\n- b\n", 1, ERR_PARSE, "top level" },
		{ "noname.yaml", "users:\n- user: {}\n", 1, ERR_INVALID,
		  "users[0]: missing name" },
		{ "notlist.yaml", "contexts: 3\n", 1, ERR_PARSE, "not a list" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *p = t[i].text ? put(t[i].name, t[i].text)
				    : xasprintf("%s/%s", tmpdir, t[i].name);
		const char *paths[] = { p };
		struct kc *kc = NULL;
		struct err e = { 0 };
		ok(kc_load_files(paths, 1, t[i].must, &kc, &e) < 0 && !kc,
		   "%s fails", t[i].name);
		is_int(e.code, t[i].code, "%s code", t[i].name);
		ok(strstr(e.msg, t[i].needle) != NULL, "%s: %s", t[i].name,
		   e.msg);
		free(p);
	}
}

static void test_env_and_edit(const char *a, const char *b)
{
	char *env = xasprintf("%s::%s:/nonexistent/x", b, a);
	struct kc *kc = NULL, *again = NULL;
	struct err e = { 0 };
	struct stat st;

	chmod(b, 0640);
	setenv("KUBECONFIG", env, 1);
	ok(kc_load(NULL, &kc, &e) == 0, "KUBECONFIG list loads: %s", e.msg);
	is_str(kc_current_context(kc), "b-ctx", "b first now");
	is_str(kc_context_namespace(kc, "a-ctx"), "", "b's a-ctx wins");
	ok(kc_use_context(kc, "nope", &e) < 0, "use-context unknown fails");
	ok(kc_use_context(kc, "exec-ctx", &e) == 0, "use-context: %s", e.msg);
	ok(kc_set_namespace(kc, "a-ctx", "edited", &e) == 0, "set ns: %s",
	   e.msg);
	ok(stat(b, &st) == 0 && (st.st_mode & 0777) == 0640, "mode kept");
	ok(kc_load(NULL, &again, &e) == 0, "reload: %s", e.msg);
	is_str(kc_current_context(again), "exec-ctx", "use-context persisted");
	is_str(kc_context_namespace(again, "a-ctx"), "edited",
	       "namespace persisted in b");
	kc_free(again);
	again = NULL;
	const char *only_a[] = { a };
	ok(kc_load_files(only_a, 1, true, &again, &e) == 0, "a reload");
	is_str(kc_current_context(again), "a-ctx", "a untouched");
	is_str(kc_context_namespace(again, "a-ctx"), "nsa", "a ns untouched");
	kc_free(again);
	kc_free(kc);
	unsetenv("KUBECONFIG");
	free(env);
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/kdeck-kc-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	char *a = put("a.yaml", file_a), *b = put("b.yaml", file_b);

	test_merge(a, b);
	test_load_errors();
	test_env_and_edit(a, b);
	free(a);
	free(b);
	char *cmd = xasprintf("rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		diag("cleanup failed");
	free(cmd);
	return tap_done();
}
