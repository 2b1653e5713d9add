/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registries: DATA/registries.yaml, in the shape k3s and RKE2 use, read
 * with kyaml (libyaml):
 *   mirrors:
 *     docker.io:                      a registry host, or "*" for any
 *       endpoint: ["http://10.0.0.1:5000", "https://mirror.example"]
 *   configs:
 *     "10.0.0.1:5000":                a registry or mirror host
 *       auth: {username: u, password: p}   (or auth: base64(u:p),
 *                                           identity_token: T)
 *       tls: {insecure_skip_verify: true, ca_file: F,
 *             cert_file: F, key_file: F}
 * Unknown keys are ignored (k3s has more: rewrite, ...); wrong types are
 * errors naming the key.  Immutable once loaded: safe to share between
 * threads.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/image/image_priv.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/yaml.h"

struct mirror {
	char *host;
	char **endpoints;	/* NULL-terminated */
};

struct host_config {
	char *host;
	struct img_reg_config c;
};

struct img_registries {
	cJSON *doc;		/* owns the strings host_config points to */
	struct mirror *mirrors;
	size_t nmirrors;
	struct host_config *configs;
	size_t nconfigs;
};

void img_registries_free(struct img_registries *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nmirrors; i++) {
		for (size_t j = 0; r->mirrors[i].endpoints &&
				    r->mirrors[i].endpoints[j]; j++)
			free(r->mirrors[i].endpoints[j]);
		free(r->mirrors[i].endpoints);
	}
	free(r->mirrors);
	free(r->configs);
	cJSON_Delete(r->doc);
	free(r);
}

/* A valid endpoint: http:// or https:// and a host. */
static bool endpoint_ok(const char *s)
{
	const char *rest;

	if (!strncmp(s, "http://", 7))
		rest = s + 7;
	else if (!strncmp(s, "https://", 8))
		rest = s + 8;
	else
		return false;
	return *rest && *rest != '/' && !strpbrk(rest, " \t\r\n");
}

static int parse_mirror(const cJSON *m, struct mirror *out, struct err *e)
{
	const cJSON *eps = json_obj(m, "endpoint"), *it;
	size_t i = 0;

	out->host = m->string;
	if (!cJSON_IsObject(m) || (eps && !cJSON_IsArray(eps)))
		return err_set(e, ERR_INVALID, "registries.yaml: mirrors.%s."
			       "endpoint must be a list of URLs", m->string);
	out->endpoints = xcalloc((size_t)cJSON_GetArraySize(eps) + 1,
				 sizeof(char *));
	cJSON_ArrayForEach(it, eps) {
		const char *s = cJSON_GetStringValue(it);
		size_t n;

		if (!s || !endpoint_ok(s))
			return err_set(e, ERR_INVALID, "registries.yaml: "
				       "mirrors.%s: invalid endpoint \"%.200s\""
				       " (want http:// or https:// URL)",
				       m->string, s ? s : "");
		n = strlen(s);
		while (n && s[n - 1] == '/')
			n--;
		out->endpoints[i++] = xstrndup(s, n);
	}
	return 0;
}

static const char *str_field(const cJSON *o, const char *key,
			     const char *where, struct err *e, int *bad)
{
	const cJSON *v = json_obj(o, key);

	if (v && !cJSON_IsString(v)) {
		*bad = 1;
		err_set(e, ERR_INVALID, "registries.yaml: configs.%s.%s must "
			"be a string", where, key);
		return NULL;
	}
	return v ? v->valuestring : NULL;
}

static int parse_config(const cJSON *c, struct host_config *out,
			struct err *e)
{
	const cJSON *auth = json_obj(c, "auth"), *tls = json_obj(c, "tls");
	const char *h = c->string;
	int bad = 0;

	if (!cJSON_IsObject(c) || (auth && !cJSON_IsObject(auth)) ||
	    (tls && !cJSON_IsObject(tls)))
		return err_set(e, ERR_INVALID, "registries.yaml: configs.%s "
			       "must be a mapping", h);
	out->host = c->string;
	if (!strncmp(out->host, "http://", 7))
		out->host += 7;
	else if (!strncmp(out->host, "https://", 8))
		out->host += 8;
	out->c.username = str_field(auth, "username", h, e, &bad);
	out->c.password = str_field(auth, "password", h, e, &bad);
	out->c.auth = str_field(auth, "auth", h, e, &bad);
	out->c.identity_token = str_field(auth, "identity_token", h, e, &bad);
	out->c.ca_file = str_field(tls, "ca_file", h, e, &bad);
	out->c.cert_file = str_field(tls, "cert_file", h, e, &bad);
	out->c.key_file = str_field(tls, "key_file", h, e, &bad);
	out->c.insecure_skip_verify =
		json_get_bool(tls, "insecure_skip_verify", false);
	return bad ? -1 : 0;
}

int img_registries_parse(const char *text, size_t len,
			 struct img_registries **out, struct err *e)
{
	struct img_registries *r = xcalloc(1, sizeof(*r));
	const cJSON *mirrors, *configs, *it;
	int rc = -1;

	r->doc = kyaml_parse(text, len, e);
	if (!r->doc) {
		err_wrap(e, "registries.yaml");
		goto out;
	}
	if (!cJSON_IsObject(r->doc) && !cJSON_IsNull(r->doc)) {
		err_set(e, ERR_INVALID, "registries.yaml: not a mapping");
		goto out;
	}
	mirrors = json_obj(r->doc, "mirrors");
	configs = json_obj(r->doc, "configs");
	if ((mirrors && !cJSON_IsObject(mirrors) && !cJSON_IsNull(mirrors)) ||
	    (configs && !cJSON_IsObject(configs) && !cJSON_IsNull(configs))) {
		err_set(e, ERR_INVALID, "registries.yaml: mirrors and configs "
			"must be mappings");
		goto out;
	}
	r->mirrors = xcalloc((size_t)cJSON_GetArraySize(mirrors) + 1,
			     sizeof(*r->mirrors));
	cJSON_ArrayForEach(it, mirrors)
		if (parse_mirror(it, &r->mirrors[r->nmirrors++], e) < 0)
			goto out;
	r->configs = xcalloc((size_t)cJSON_GetArraySize(configs) + 1,
			     sizeof(*r->configs));
	cJSON_ArrayForEach(it, configs)
		if (parse_config(it, &r->configs[r->nconfigs++], e) < 0)
			goto out;
	*out = r;
	r = NULL;
	rc = 0;
out:
	img_registries_free(r);
	return rc;
}

/* Load path; a missing file gives an empty configuration. */
int img_registries_load(const char *path, struct img_registries **out,
			struct err *e)
{
	FILE *fp = fopen(path, "rbe");
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	int rc;

	if (!fp && errno == ENOENT)
		return img_registries_parse("", 0, out, e);
	if (!fp)
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 && b.len < (1 << 20))
		buf_add(&b, chunk, n);
	fclose(fp);
	rc = img_registries_parse(buf_cstr(&b), b.len, out, e);
	if (rc < 0)
		err_wrap(e, "%s", path);
	buf_free(&b);
	return rc;
}

static const char *const no_mirrors[] = { NULL };

const char *const *img_registries_mirrors(const struct img_registries *r,
					  const char *domain)
{
	const struct mirror *star = NULL;

	for (size_t i = 0; r && i < r->nmirrors; i++) {
		if (!strcmp(r->mirrors[i].host, domain))
			return (const char *const *)r->mirrors[i].endpoints;
		if (!strcmp(r->mirrors[i].host, "*"))
			star = &r->mirrors[i];
	}
	return star ? (const char *const *)star->endpoints : no_mirrors;
}

const struct img_reg_config *
img_registries_config(const struct img_registries *r, const char *host)
{
	for (size_t i = 0; r && i < r->nconfigs; i++)
		if (!strcmp(r->configs[i].host, host))
			return &r->configs[i].c;
	return NULL;
}
