/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth: credentials of one client, applied to each curl handle by the I/O
 * thread (the only thread that touches struct client_auth).
 *
 * Sources, in kubectl's order of preference: client certificate (TLS,
 * set by the transport), exec plugin token/cert, static token, tokenFile
 * (re-read whenever its mtime or size changes, so rotated service-account
 * tokens are picked up), basic auth.  Exec plugins follow the
 * client.authentication.k8s.io v1/v1beta1 ExecCredential protocol: the
 * plugin gets KUBERNETES_EXEC_INFO (with the cluster when
 * provideClusterInfo), its stdout is an ExecCredential whose status gives
 * token or clientCertificateData/clientKeyData; the result is cached until
 * status.expirationTimestamp and dropped on a 401 so the next try re-runs
 * the plugin.  Plugins run with stdin from /dev/null (interactiveMode
 * Always cannot be honoured from the dashboard's I/O thread: such plugins
 * get an error explaining that).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client/transport.h"
#include "common/mem.h"

extern char **environ;

void auth_init(struct client_auth *a, const struct kc_config *cfg)
{
	memset(a, 0, sizeof(*a));
	a->cfg = cfg;
}

void auth_done(struct client_auth *a)
{
	free(a->exec_token);
	free(a->file_token);
	buf_free(&a->exec_cert);
	buf_free(&a->exec_key);
	memset(a, 0, sizeof(*a));
}

void auth_invalidate(struct client_auth *a)
{
	free(a->exec_token);
	a->exec_token = NULL;
	buf_reset(&a->exec_cert);
	buf_reset(&a->exec_key);
	a->exec_valid = false;
	a->file_mtime = 0;
}

/* Parse RFC 3339 "2024-01-02T03:04:05Z" (fractions/offsets: UTC only). */
static time_t auth_parse_time(const char *s)
{
	struct tm tm = { 0 };

	if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%S", &tm))
		return 0;
	return timegm(&tm);
}

static char *auth_exec_info(const struct kc_config *cfg)
{
	const struct kc_exec *x = cfg->exec;
	cJSON *o = cJSON_CreateObject(), *spec;
	char *s;

	cJSON_AddStringToObject(o, "kind", "ExecCredential");
	cJSON_AddStringToObject(o, "apiVersion", x->api_version ?
				x->api_version :
				"client.authentication.k8s.io/v1");
	spec = cJSON_AddObjectToObject(o, "spec");
	cJSON_AddBoolToObject(spec, "interactive", false);
	if (x->provide_cluster_info) {
		cJSON *cl = cJSON_AddObjectToObject(spec, "cluster");
		cJSON_AddStringToObject(cl, "server", cfg->server);
		if (cfg->tls_server_name)
			cJSON_AddStringToObject(cl, "tls-server-name",
						cfg->tls_server_name);
		cJSON_AddBoolToObject(cl, "insecure-skip-tls-verify",
				      cfg->insecure);
		/* certificate-authority-data would need base64 encoding;
		 * PEM text is passed as-is in the same field. */
		if (cfg->ca.len)
			cJSON_AddStringToObject(cl,
				"certificate-authority-data", cfg->ca.data);
	}
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

/* Run the plugin; its stdout into out.  Blocking (I/O thread only). */
static int auth_run_plugin(const struct kc_config *cfg, struct buf *out,
			   struct err *e)
{
	const struct kc_exec *x = cfg->exec;
	struct vec argv = VEC_INIT, envp = VEC_INIT;
	posix_spawn_file_actions_t fa;
	char *info = auth_exec_info(cfg), *info_env, chunk[4096];
	int pipefd[2] = { -1, -1 }, status = 0, rc = -1;
	pid_t pid;
	ssize_t n;

	info_env = xasprintf("KUBERNETES_EXEC_INFO=%s", info);
	vec_push(&argv, x->command);
	for (char **a = x->args; a && *a; a++)
		vec_push(&argv, *a);
	vec_push(&argv, NULL);
	for (char **v = environ; *v; v++)
		vec_push(&envp, *v);
	for (char **v = x->env; v && *v; v++)
		vec_push(&envp, *v);
	vec_push(&envp, info_env);
	vec_push(&envp, NULL);
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		err_set(e, ERR_IO, "exec plugin: pipe: %s", strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	rc = posix_spawnp(&pid, x->command, &fa, NULL, (char **)argv.items,
			  (char **)envp.items);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	pipefd[1] = -1;
	if (rc != 0) {
		rc = err_set(e, ERR_UNAUTHORIZED, "exec plugin %s: %s",
			     x->command, strerror(rc));
		goto out;
	}
	while ((n = read(pipefd[0], chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || out->len > (1u << 20))
			break;
		buf_add(out, chunk, (size_t)n);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	rc = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		rc = err_set(e, ERR_UNAUTHORIZED, "exec plugin %s failed "
			     "(status %d)", x->command, WEXITSTATUS(status));
out:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	vec_free(&argv, NULL);
	vec_free(&envp, NULL);
	free(info_env);
	cJSON_free(info);
	return rc;
}

static int auth_exec(struct client_auth *a, struct err *e)
{
	struct buf out = BUF_INIT;
	cJSON *cred = NULL, *st;
	const char *tok, *cert, *key;
	int rc = -1;

	if (a->exec_valid && (!a->exec_expiry || time(NULL) < a->exec_expiry))
		return 0;
	auth_invalidate(a);
	if (a->cfg->exec->interactive_mode &&
	    !strcmp(a->cfg->exec->interactive_mode, "Always"))
		return err_set(e, ERR_UNAUTHORIZED, "exec plugin %s needs an "
			       "interactive terminal (interactiveMode: Always)",
			       a->cfg->exec->command);
	if (auth_run_plugin(a->cfg, &out, e) < 0)
		goto out;
	cred = cJSON_ParseWithLength(buf_cstr(&out), out.len);
	st = cJSON_GetObjectItemCaseSensitive(cred, "status");
	tok = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "token"));
	cert = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		st, "clientCertificateData"));
	key = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		st, "clientKeyData"));
	if (!cJSON_IsObject(st) || (!tok && !(cert && key))) {
		err_set(e, ERR_UNAUTHORIZED, "exec plugin %s: output is not an "
			"ExecCredential with status.token or a client "
			"certificate", a->cfg->exec->command);
		goto out;
	}
	a->exec_token = xstrdup(tok);
	if (cert && key) {
		buf_adds(&a->exec_cert, cert);
		buf_adds(&a->exec_key, key);
	}
	a->exec_expiry = auth_parse_time(cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(st, "expirationTimestamp")));
	a->exec_valid = true;
	a->exec_runs++;
	rc = 0;
out:
	cJSON_Delete(cred);
	buf_free(&out);
	return rc;
}

/* Re-read the token file when it changed (mtime/size). */
static int auth_token_file(struct client_auth *a, struct err *e)
{
	struct stat st;
	struct buf b = BUF_INIT;

	if (stat(a->cfg->token_file, &st) < 0)
		return err_set(e, ERR_UNAUTHORIZED, "tokenFile %s: %s",
			       a->cfg->token_file, strerror(errno));
	if (a->file_token && st.st_mtim.tv_sec == a->file_mtime &&
	    st.st_mtim.tv_nsec == a->file_mtime_ns && st.st_size == a->file_size)
		return 0;
	if (kc_read_file(a->cfg->token_file, &b, e) < 0) {
		buf_free(&b);
		return err_wrap(e, "tokenFile");
	}
	while (b.len && strchr(" \t\r\n", b.data[b.len - 1]))
		b.data[--b.len] = '\0';
	free(a->file_token);
	a->file_token = buf_take(&b);
	a->file_mtime = st.st_mtim.tv_sec;
	a->file_mtime_ns = st.st_mtim.tv_nsec;
	a->file_size = st.st_size;
	return 0;
}

int auth_token(struct client_auth *a, const char **token, struct err *e)
{
	*token = NULL;
	if (a->cfg->exec) {
		if (auth_exec(a, e) < 0)
			return -1;
		*token = a->exec_token;
	} else if (a->cfg->token) {
		*token = a->cfg->token;
	} else if (a->cfg->token_file) {
		if (auth_token_file(a, e) < 0)
			return -1;
		*token = a->file_token;
	}
	return 0;
}
