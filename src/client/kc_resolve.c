/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kc_resolve: turn one merged kubeconfig context into a struct kc_config,
 * the flat, owned description the transport works from.  File references
 * (certificate-authority, client-certificate, client-key) are read here,
 * relative to the kubeconfig file that names them; -data fields are
 * base64-decoded into memory and never touch the disk.  tokenFile is only
 * recorded (the transport re-reads it when it changes) and exec plugins
 * only described (they run lazily before the first request).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/kc_private.h"
#include "common/mem.h"

/* Where a field lives, for error messages. */
struct kc_where {
	const char *file;
	const char *section;	/* "clusters", "users" */
	const char *name;
};

/* field-data (base64) wins over field (a file path), as in kubectl. */
static int kc_load_pem(const cJSON *obj, const char *field,
		       const struct kc_where *w, struct buf *out,
		       struct err *e)
{
	char data_key[96];
	const char *data, *path;
	char *full;
	int rc;

	snprintf(data_key, sizeof(data_key), "%s-data", field);
	data = kc_str(obj, data_key);
	if (data) {
		if (kc_base64_decode(data, out, e) < 0)
			return err_wrap(e, "kubeconfig %s: %s[%s].%s", w->file,
					w->section, w->name, data_key);
		return 0;
	}
	path = kc_str(obj, field);
	if (!path)
		return 0;
	full = kc_path_rel(w->file, path);
	rc = kc_read_file(full, out, e);
	free(full);
	if (rc < 0)
		return err_wrap(e, "kubeconfig %s: %s[%s].%s", w->file,
				w->section, w->name, field);
	return 0;
}

static char **kc_strv(const cJSON *arr)
{
	size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
	char **v = xcalloc(n + 1, sizeof(*v));
	const cJSON *it;

	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it))
			v[i++] = xstrdup(it->valuestring);
	return v;
}

static struct kc_exec *kc_exec_parse(const cJSON *x, const struct kc_where *w,
				     struct err *e)
{
	struct kc_exec *ex;
	const cJSON *env = cJSON_GetObjectItemCaseSensitive(x, "env"), *it;
	size_t n = 0;

	if (!kc_str(x, "command")) {
		err_set(e, ERR_INVALID, "kubeconfig %s: users[%s].exec.command: "
			"required", w->file, w->name);
		return NULL;
	}
	ex = xcalloc(1, sizeof(*ex));
	ex->api_version = xstrdup(kc_str(x, "apiVersion"));
	ex->command = xstrdup(kc_str(x, "command"));
	ex->args = kc_strv(cJSON_GetObjectItemCaseSensitive(x, "args"));
	ex->env = xcalloc((size_t)cJSON_GetArraySize(env) + 1,
			  sizeof(*ex->env));
	cJSON_ArrayForEach(it, env)
		if (kc_str(it, "name"))
			ex->env[n++] = xasprintf("%s=%s", kc_str(it, "name"),
						 kc_str(it, "value") ?
						 kc_str(it, "value") : "");
	ex->interactive_mode = xstrdup(kc_str(x, "interactiveMode"));
	ex->provide_cluster_info = cJSON_IsTrue(
		cJSON_GetObjectItemCaseSensitive(x, "provideClusterInfo"));
	return ex;
}

static void kc_exec_free(struct kc_exec *ex)
{
	if (!ex)
		return;
	free(ex->api_version);
	free(ex->command);
	kc_strv_free(ex->args);
	kc_strv_free(ex->env);
	free(ex->interactive_mode);
	free(ex);
}

/* extensions: [{name: kdeck, extension: {ssh, jump, identityFile}}] */
static void kc_cluster_ext(const cJSON *cl, struct kc_config *cfg)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(cl,
								"extensions")) {
		const char *name = kc_str(it, "name");
		const cJSON *x = cJSON_GetObjectItemCaseSensitive(it,
								  "extension");
		if (!name || strcmp(name, "kdeck") || !cJSON_IsObject(x))
			continue;
		cfg->ssh = xstrdup(kc_str(x, "ssh"));
		cfg->ssh_jump = xstrdup(kc_str(x, "jump"));
		cfg->ssh_identity = xstrdup(kc_str(x, "identityFile"));
	}
}

static int kc_fill_cluster(const struct kc *kc, const struct kc_entry *en,
			   struct kc_config *cfg, struct err *e)
{
	struct kc_where w = { kc->files[en->file].path, "clusters", en->name };
	const cJSON *cl = en->val;

	if (!kc_str(cl, "server"))
		return err_set(e, ERR_INVALID, "kubeconfig %s: clusters[%s]."
			       "server: required", w.file, en->name);
	cfg->server = xstrdup(kc_str(cl, "server"));
	cfg->tls_server_name = xstrdup(kc_str(cl, "tls-server-name"));
	cfg->proxy_url = xstrdup(kc_str(cl, "proxy-url"));
	cfg->insecure = cJSON_IsTrue(
		cJSON_GetObjectItemCaseSensitive(cl, "insecure-skip-tls-verify"));
	kc_cluster_ext(cl, cfg);
	return kc_load_pem(cl, "certificate-authority", &w, &cfg->ca, e);
}

static int kc_fill_user(const struct kc *kc, const struct kc_entry *en,
			struct kc_config *cfg, struct err *e)
{
	struct kc_where w = { kc->files[en->file].path, "users", en->name };
	const cJSON *u = en->val, *x;

	if (kc_load_pem(u, "client-certificate", &w, &cfg->cert, e) < 0 ||
	    kc_load_pem(u, "client-key", &w, &cfg->key, e) < 0)
		return -1;
	if (cfg->cert.len != cfg->key.len && (!cfg->cert.len || !cfg->key.len))
		return err_set(e, ERR_INVALID, "kubeconfig %s: users[%s]: "
			       "client certificate and key must come together",
			       w.file, en->name);
	cfg->token = xstrdup(kc_str(u, "token"));
	cfg->token_file = kc_path_rel(w.file, kc_str(u, "tokenFile"));
	cfg->username = xstrdup(kc_str(u, "username"));
	cfg->password = xstrdup(kc_str(u, "password"));
	cfg->as = xstrdup(kc_str(u, "as"));
	x = cJSON_GetObjectItemCaseSensitive(u, "as-groups");
	if (cJSON_IsArray(x))
		cfg->as_groups = kc_strv(x);
	x = cJSON_GetObjectItemCaseSensitive(u, "exec");
	if (cJSON_IsObject(x) && !(cfg->exec = kc_exec_parse(x, &w, e)))
		return -1;
	return 0;
}

int kc_resolve(const struct kc *kc, const char *context,
	       struct kc_config **out, struct err *e)
{
	const struct kc_entry *ctx, *cl, *us = NULL;
	const char *name = context ? context : kc->current, *uname, *ns;
	struct kc_config *cfg;

	if (!name)
		return err_set(e, ERR_NOT_FOUND, "no context chosen: "
			       "current-context is not set (use --context)");
	ctx = kc_find(kc, KC_CONTEXTS, name);
	if (!ctx)
		return err_set(e, ERR_NOT_FOUND,
			       "context \"%s\" does not exist", name);
	cl = kc_find(kc, KC_CLUSTERS, kc_str(ctx->val, "cluster"));
	if (!cl || !cl->val)
		return err_set(e, ERR_INVALID,
			       "kubeconfig %s: context \"%s\": cluster \"%s\" "
			       "not found", kc->files[ctx->file].path, name,
			       kc_str(ctx->val, "cluster") ?
			       kc_str(ctx->val, "cluster") : "");
	uname = kc_str(ctx->val, "user");
	if (uname && !(us = kc_find(kc, KC_USERS, uname)))
		return err_set(e, ERR_INVALID,
			       "kubeconfig %s: context \"%s\": user \"%s\" "
			       "not found", kc->files[ctx->file].path, name,
			       uname);
	cfg = xcalloc(1, sizeof(*cfg));
	cfg->context = xstrdup(name);
	cfg->cluster_name = xstrdup(cl->name);
	cfg->user_name = xstrdup(uname ? uname : "");
	ns = kc_str(ctx->val, "namespace");
	cfg->namespace = xstrdup(ns ? ns : "default");
	cfg->source_file = xstrdup(kc->files[ctx->file].path);
	if (kc_fill_cluster(kc, cl, cfg, e) < 0 ||
	    (us && us->val && kc_fill_user(kc, us, cfg, e) < 0)) {
		kc_config_free(cfg);
		return -1;
	}
	*out = cfg;
	return 0;
}

void kc_config_free(struct kc_config *cfg)
{
	if (!cfg)
		return;
	char *strs[] = { cfg->context, cfg->cluster_name, cfg->user_name,
		cfg->server, cfg->namespace, cfg->tls_server_name,
		cfg->proxy_url, cfg->token, cfg->token_file, cfg->username,
		cfg->password, cfg->as, cfg->ssh, cfg->ssh_jump,
		cfg->ssh_identity, cfg->source_file };
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		free(strs[i]);
	buf_free(&cfg->ca);
	buf_free(&cfg->cert);
	buf_free(&cfg->key);
	kc_strv_free(cfg->as_groups);
	kc_exec_free(cfg->exec);
	free(cfg);
}
