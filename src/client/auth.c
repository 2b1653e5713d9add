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
 * the plugin.
 *
 * This file holds the pieces and the synchronous path (auth_token, for
 * tools and WebSocket streams that resolve credentials on their own
 * thread: the plugin gets the terminal as stdin when interactiveMode
 * allows, the caller set lend_tty and stdin is one).  The I/O thread never runs a plugin itself:
 * auth_job.c runs it on a helper thread or, for the terminal, on the
 * owner thread through the client's tty hook.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
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
	auth_abandon(a);
	free(a->exec_token);
	free(a->file_token);
	buf_free(&a->exec_cert);
	buf_free(&a->exec_key);
	memset(a, 0, sizeof(*a));
}

void auth_invalidate_gen(struct client_auth *a, unsigned gen)
{
	if (gen == a->gen)
		auth_invalidate(a);
	a->file_mtime = 0;
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

char *auth_exec_info(const struct kc_config *cfg, bool interactive)
{
	const struct kc_exec *x = cfg->exec;
	cJSON *o = cJSON_CreateObject(), *spec;
	char *s;

	cJSON_AddStringToObject(o, "kind", "ExecCredential");
	cJSON_AddStringToObject(o, "apiVersion", x->api_version ?
				x->api_version :
				"client.authentication.k8s.io/v1");
	spec = cJSON_AddObjectToObject(o, "spec");
	cJSON_AddBoolToObject(spec, "interactive", interactive);
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

void auth_cmd_init(struct auth_cmd *cmd, const struct kc_config *cfg)
{
	const struct kc_exec *x = cfg->exec;
	char *info;

	memset(cmd, 0, sizeof(*cmd));
	vec_push(&cmd->argv, xstrdup(x->command));
	for (char **a = x->args; a && *a; a++)
		vec_push(&cmd->argv, xstrdup(*a));
	vec_push(&cmd->argv, NULL);
	for (char **v = environ; *v; v++)
		vec_push(&cmd->envp, xstrdup(*v));
	for (char **v = x->env; v && *v; v++)
		vec_push(&cmd->envp, xstrdup(*v));
	vec_push(&cmd->envp, NULL);	/* KUBERNETES_EXEC_INFO goes here */
	vec_push(&cmd->envp, NULL);
	for (int i = 0; i < 2; i++) {
		info = auth_exec_info(cfg, i == 1);
		cmd->info[i] = xasprintf("KUBERNETES_EXEC_INFO=%s", info);
		cJSON_free(info);
	}
}

void auth_cmd_done(struct auth_cmd *cmd)
{
	vec_free(&cmd->argv, free);
	vec_free(&cmd->envp, free);
	free(cmd->info[0]);
	free(cmd->info[1]);
	memset(cmd, 0, sizeof(*cmd));
}

int auth_cmd_spawn(struct auth_cmd *cmd, bool tty, pid_t *pid, int *fd,
		   struct err *e)
{
	const char *path = cmd->argv.items[0];
	posix_spawn_file_actions_t fa;
	int pipefd[2], rc;

	cmd->envp.items[cmd->envp.len - 2] = cmd->info[tty ? 1 : 0];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return err_set(e, ERR_IO, "exec plugin: pipe: %s",
			       strerror(errno));
	posix_spawn_file_actions_init(&fa);
	if (!tty)
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
						 O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	rc = posix_spawnp(pid, path, &fa, NULL, (char **)cmd->argv.items,
			  (char **)cmd->envp.items);
	posix_spawn_file_actions_destroy(&fa);
	cmd->envp.items[cmd->envp.len - 2] = NULL;
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		return err_set(e, ERR_UNAUTHORIZED, "exec plugin %s: %s", path,
			       strerror(rc));
	}
	*fd = pipefd[0];
	return 0;
}

int auth_cmd_collect(const struct auth_cmd *cmd, pid_t pid, int fd,
		     struct buf *out, struct err *e)
{
	char chunk[4096];
	int status = 0;
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || out->len > (1u << 20))
			break;
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set(e, ERR_UNAUTHORIZED, "exec plugin %s failed "
			       "(status %d)", (const char *)cmd->argv.items[0],
			       WIFEXITED(status) ? WEXITSTATUS(status) :
			       128 + WTERMSIG(status));
	return 0;
}

bool auth_exec_fresh(const struct client_auth *a)
{
	return a->exec_valid && (!a->exec_expiry || time(NULL) < a->exec_expiry);
}

int auth_exec_install(struct client_auth *a, const struct buf *out,
		      struct err *e)
{
	cJSON *cred, *st;
	const char *tok, *cert, *key;
	int rc = -1;

	auth_invalidate(a);
	cred = cJSON_ParseWithLength(out->data ? out->data : "", out->len);
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
	a->gen++;
	rc = 0;
out:
	cJSON_Delete(cred);
	return rc;
}

/* Copy the exec credential of from into to (which holds none). */
static void auth_cred_copy(struct client_auth *to,
			   const struct client_auth *from)
{
	to->exec_token = from->exec_token ? xstrdup(from->exec_token) : NULL;
	buf_reset(&to->exec_cert);
	buf_reset(&to->exec_key);
	if (from->exec_cert.len)
		buf_add(&to->exec_cert, from->exec_cert.data, from->exec_cert.len);
	if (from->exec_key.len)
		buf_add(&to->exec_key, from->exec_key.data, from->exec_key.len);
	to->exec_expiry = from->exec_expiry;
	to->exec_valid = from->exec_valid;
}

void auth_share(struct client *c, const struct client_auth *a)
{
	pthread_mutex_lock(&c->mu);
	auth_invalidate(&c->shared);
	if (auth_exec_fresh(a))
		auth_cred_copy(&c->shared, a);
	pthread_mutex_unlock(&c->mu);
}

/* Same exec credential (token and certificate). */
static bool auth_cred_same(const struct client_auth *x,
			   const struct client_auth *y)
{
	const char *tx = x->exec_token ? x->exec_token : "";
	const char *ty = y->exec_token ? y->exec_token : "";

	return !strcmp(tx, ty) && x->exec_cert.len == y->exec_cert.len &&
	       (!x->exec_cert.len || !memcmp(x->exec_cert.data,
					     y->exec_cert.data,
					     x->exec_cert.len));
}

void auth_unshare(struct client *c, const struct client_auth *a)
{
	pthread_mutex_lock(&c->mu);
	if (c->shared.exec_valid && auth_cred_same(&c->shared, a))
		auth_invalidate(&c->shared);
	pthread_mutex_unlock(&c->mu);
}

bool auth_adopt(struct client *c, struct client_auth *a)
{
	bool got = false;

	pthread_mutex_lock(&c->mu);
	if (auth_exec_fresh(&c->shared)) {
		auth_invalidate(a);
		auth_cred_copy(a, &c->shared);
		a->gen++;
		got = true;
	}
	pthread_mutex_unlock(&c->mu);
	return got;
}

bool auth_exec_wants_tty(const struct kc_config *cfg, bool *required)
{
	const char *mode = cfg->exec->interactive_mode;

	*required = mode && !strcmp(mode, "Always");
	return !mode || strcmp(mode, "Never");
}

/* Synchronous run on the calling thread (tools, WebSocket streams); the
 * terminal only with lend_tty (the owner said it may, as client_tty_lend
 * does for command-line tools). */
static int auth_exec(struct client_auth *a, struct err *e)
{
	struct auth_cmd cmd;
	struct buf out = BUF_INIT;
	bool required, tty = auth_exec_wants_tty(a->cfg, &required) &&
			     a->lend_tty && isatty(0);
	int fd, rc = -1;
	pid_t pid;

	if (auth_exec_fresh(a))
		return 0;
	auth_invalidate(a);
	if (required && !tty)
		return err_set(e, ERR_UNAUTHORIZED, "%s", AUTH_NO_TTY);
	auth_cmd_init(&cmd, a->cfg);
	if (auth_cmd_spawn(&cmd, tty, &pid, &fd, e) == 0 &&
	    auth_cmd_collect(&cmd, pid, fd, &out, e) == 0)
		rc = auth_exec_install(a, &out, e);
	auth_cmd_done(&cmd);
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
