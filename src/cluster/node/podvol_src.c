/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podvol_src: the payloads (relative path -> bytes and mode) of
 * configMap, secret, downwardAPI and projected volumes, which
 * podvol_atomic.c writes.
 *
 * ConfigMaps give data and binaryData keys, Secrets their base64-decoded
 * data; items select keys and rename them (a listed key that does not
 * exist fails unless the source is optional); a missing object fails
 * unless optional, and an optional one that is missing gives no files.
 * Error texts are kubelet's.  serviceAccountToken sources ask
 * podspec_env.token; between renewals the token already written is
 * reused so that a refresh does not rewrite the volume every time.
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/node/podspec_int.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

#define DEFAULT_TOKEN_EXP 3600

static unsigned item_mode(const cJSON *item, unsigned defmode)
{
	int64_t m;

	return json_get_int(item, "mode", &m) == 0 && m >= 0 && m <= 0777
		   ? (unsigned)m
		   : defmode;
}

/* Every key of the object (data, and binaryData for ConfigMaps). */
static void all_keys(const cJSON *obj, bool secret, unsigned defmode,
		     struct vec *files)
{
	static const char *const maps[] = {"data", "binaryData"};
	const cJSON *kv;
	size_t i, len;

	for (i = 0; i < (secret ? 1u : 2u); i++)
		cJSON_ArrayForEach(kv, json_obj(obj, maps[i]))
		{
			char *v = ps_obj_key(obj, kv->string, secret, &len);

			if (v)
				pv_files_add(files, kv->string, v, len,
					     defmode);
		}
}

int pv_configmap_files(const struct podspec_env *env, const char *ns,
		       const char *name, const cJSON *src, unsigned defmode,
		       bool secret, struct vec *files, struct err *e)
{
	bool optional = json_get_bool(src, "optional", false);
	const cJSON *items = json_obj(src, "items"), *it;
	cJSON *obj;
	int rc = 0;

	if (!name)
		return err_set(e, ERR_INVALID, "%s volume needs a name",
			       secret ? "secret" : "configMap");
	obj = env->get ? env->get(env->arg, ns,
				  secret ? "secrets" : "configmaps", name)
		       : NULL;
	if (!obj)
		return optional
			   ? 0
			   : err_set(e, ERR_NOT_FOUND, "%s \"%s\" not found",
				     secret ? "secret" : "configmap", name);
	if (!cJSON_GetArraySize(items))
		all_keys(obj, secret, defmode, files);
	cJSON_ArrayForEach(it, items)
	{
		const char *key = json_get_str(it, "key");
		const char *path = json_get_str(it, "path");
		size_t len;
		char *v = key ? ps_obj_key(obj, key, secret, &len) : NULL;

		if (v && path) {
			pv_files_add(files, path, v, len,
				     item_mode(it, defmode));
			continue;
		}
		free(v);
		if (optional)
			continue;
		rc = err_set(e, ERR_NOT_FOUND,
			     secret ? "references "
				      "non-existent secret key: %s"
				    : "configmap "
				      "references non-existent config key: %s",
			     key ? key : "");
		break;
	}
	cJSON_Delete(obj);
	return rc;
}

int pv_downward_files(const struct podspec_env *env, const cJSON *pod,
		      const cJSON *items, unsigned defmode, struct vec *files,
		      struct err *e)
{
	const cJSON *it, *r;

	cJSON_ArrayForEach(it, items)
	{
		const char *path = json_get_str(it, "path");
		char *v = NULL;
		int rc;

		if ((r = json_obj(it, "fieldRef")))
			rc = ps_fieldref(env, pod, json_get_str(r, "fieldPath"),
					 NULL, &v, e);
		else if ((r = json_obj(it, "resourceFieldRef")))
			rc = ps_resourceref(env, pod, NULL, r, &v, e);
		else
			rc = err_set(e, ERR_INVALID,
				     "downwardAPI item %s needs "
				     "fieldRef or resourceFieldRef",
				     path ? path : "");
		if (rc < 0)
			return -1;
		if (!path) {
			free(v);
			return err_set(e, ERR_INVALID,
				       "downwardAPI item needs "
				       "a path");
		}
		pv_files_add(files, path, v, strlen(v), item_mode(it, defmode));
	}
	return 0;
}

/* The token written earlier under dir, or NULL. */
static char *old_token(const char *dir, const char *path)
{
	char *p = xasprintf("%s/..data/%s", dir, path), chunk[4096];
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	struct buf b = BUF_INIT;
	ssize_t n;

	free(p);
	if (fd < 0)
		return NULL;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	if (!b.len) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

static int token_file(const struct podspec_env *env, const cJSON *pod,
		      const cJSON *src, const char *dir, bool renew,
		      unsigned defmode, struct vec *files, int64_t *exp,
		      struct err *e)
{
	const char *path = json_get_str(src, "path");
	const char *aud = json_get_str(src, "audience");
	int64_t secs = DEFAULT_TOKEN_EXP;
	char *tok = NULL;

	json_get_int(src, "expirationSeconds", &secs);
	if (!path)
		return err_set(e, ERR_INVALID,
			       "serviceAccountToken needs a "
			       "path");
	if (!renew)
		tok = old_token(dir, path);
	if (!tok && !env->token)
		return err_set(e, ERR_UNAVAILABLE,
			       "failed to fetch token: no "
			       "token issuer");
	if (!tok && env->token(env->arg, pod, aud && *aud ? aud : NULL, secs,
			       &tok, e) < 0)
		return err_wrap(e, "failed to fetch token");
	pv_files_add(files, path, tok, strlen(tok), defmode);
	if (!*exp || secs < *exp)
		*exp = secs;
	return 0;
}

int pv_projected_files(const struct podspec_env *env, const cJSON *pod,
		       const cJSON *src, const char *dir, bool renew,
		       struct vec *files, int64_t *token_exp, struct err *e)
{
	const char *ns = json_get_str(pod, "metadata.namespace");
	const cJSON *s, *x;
	int64_t m;
	unsigned defmode =
	    json_get_int(src, "defaultMode", &m) == 0 && m >= 0 && m <= 0777
		? (unsigned)m
		: 0644;
	int rc = 0;

	*token_exp = 0;
	if (!ns)
		ns = "default";
	cJSON_ArrayForEach(s, json_obj(src, "sources"))
	{
		if ((x = json_obj(s, "configMap")) ||
		    (x = json_obj(s, "secret")))
			rc = pv_configmap_files(
			    env, ns, json_get_str(x, "name"), x, defmode,
			    x == json_obj(s, "secret"), files, e);
		else if ((x = json_obj(s, "downwardAPI")))
			rc = pv_downward_files(env, pod, json_obj(x, "items"),
					       defmode, files, e);
		else if ((x = json_obj(s, "serviceAccountToken")))
			rc = token_file(env, pod, x, dir, renew, defmode, files,
					token_exp, e);
		else
			rc = err_set(e, ERR_INVALID,
				     "unsupported projected "
				     "volume source");
		if (rc < 0)
			return -1;
	}
	return 0;
}
