/* SPDX-License-Identifier: Apache-2.0 */
/*
 * manifest: the JSON documents of an OCI image (image-spec 1.1) and of
 * Docker's v2 schema 2: image manifests, indexes (manifest lists) and the
 * image config.  Input is untrusted (registries, archives): every field
 * is type-checked, digests must be sha256, sizes bounded.  Pure functions.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cluster/image/image_priv.h"
#include "common/json.h"
#include "common/mem.h"

#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_DOCKER_MANIFEST \
	"application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_LIST \
	"application/vnd.docker.distribution.manifest.list.v2+json"

static const char *const layer_types[] = {
	"application/vnd.oci.image.layer.v1.tar",
	"application/vnd.oci.image.layer.v1.tar+gzip",
	"application/vnd.oci.image.layer.v1.tar+zstd",
	"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
	"application/vnd.docker.image.rootfs.diff.tar.gzip",
	"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
	"application/vnd.docker.image.rootfs.diff.tar",
	NULL,
};

static const struct {
	const char *machine, *arch;
} arches[] = {
	{ "x86_64", "amd64" }, { "aarch64", "arm64" }, { "armv7l", "arm" },
	{ "i686", "386" }, { "ppc64le", "ppc64le" }, { "s390x", "s390x" },
	{ "riscv64", "riscv64" },
};

const char *img_arch(void)
{
	static char machine[65];
	struct utsname u;

	if (uname(&u) < 0)
		return "amd64";
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (!strcmp(u.machine, arches[i].machine))
			return arches[i].arch;
	snprintf(machine, sizeof(machine), "%s", u.machine);
	return machine;
}

bool img_layer_type_ok(const char *mt)
{
	for (size_t i = 0; mt && layer_types[i]; i++)
		if (!strcmp(mt, layer_types[i]))
			return true;
	return false;
}

static void desc_done(struct img_desc *d)
{
	free(d->media_type);
	free(d->digest);
	memset(d, 0, sizeof(*d));
}

void img_manifest_done(struct img_manifest *m)
{
	if (!m)
		return;
	desc_done(&m->config);
	for (size_t i = 0; i < m->nlayers; i++)
		desc_done(&m->layers[i]);
	free(m->layers);
	if (m->platform)
		desc_done(m->platform);
	free(m->platform);
	memset(m, 0, sizeof(*m));
}

/* A descriptor object: digest (sha256), size (0..max), mediaType. */
static int desc_parse(const cJSON *o, const char *what, int64_t max,
		      struct img_desc *d, struct err *e)
{
	const char *dg = json_get_str(o, "digest");
	const char *mt = json_get_str(o, "mediaType");
	int64_t size;

	if (!cJSON_IsObject(o))
		return err_set(e, ERR_INVALID, "%s: not a descriptor object",
			       what);
	if (!img_digest_valid(dg))
		return err_set(e, ERR_INVALID, "%s: invalid or unsupported "
			       "digest \"%.80s\"", what, dg ? dg : "");
	if (json_get_int(o, "size", &size) < 0 || size < 0 || size > max)
		return err_set(e, ERR_INVALID, "%s: invalid size", what);
	d->digest = xstrdup(dg);
	d->media_type = xstrdup(mt);
	d->size = size;
	return 0;
}

static int parse_image_manifest(const cJSON *root, struct img_manifest *m,
				struct err *e)
{
	const cJSON *layers = json_obj(root, "layers"), *l;
	size_t i = 0;

	if (desc_parse(json_obj(root, "config"), "manifest config",
		       IMG_CONFIG_MAX, &m->config, e) < 0)
		return -1;
	if (!cJSON_IsArray(layers))
		return err_set(e, ERR_INVALID, "manifest has no layers array");
	m->nlayers = (size_t)cJSON_GetArraySize(layers);
	if (m->nlayers > IMG_LAYERS_MAX)
		return err_set(e, ERR_INVALID, "manifest has too many layers "
			       "(%zu)", m->nlayers);
	m->layers = xcalloc(m->nlayers + 1, sizeof(*m->layers));
	cJSON_ArrayForEach(l, layers) {
		if (desc_parse(l, "manifest layer", IMG_LAYER_MAX,
			       &m->layers[i++], e) < 0)
			return -1;
		if (!img_layer_type_ok(m->layers[i - 1].media_type))
			return err_set(e, ERR_INVALID, "unsupported layer "
				       "media type \"%.100s\"",
				       m->layers[i - 1].media_type
					       ? m->layers[i - 1].media_type
					       : "");
	}
	return 0;
}

/* Does this index entry run here?  2 exact, 1 acceptable, 0 no. */
static int platform_match(const cJSON *entry, const char *arch)
{
	const cJSON *p = json_obj(entry, "platform");
	const char *os = json_get_str(p, "os");
	const char *a = json_get_str(p, "architecture");

	if (!p)
		return 1;
	if (!os || !a || strcmp(os, "linux") || strcmp(a, arch))
		return 0;
	return 2;
}

static int parse_index(const cJSON *root, struct img_manifest *m,
		       struct err *e)
{
	const cJSON *list = json_obj(root, "manifests"), *it;
	const cJSON *best = NULL;
	const char *arch = img_arch();
	int best_score = 0, n = 0;

	if (!cJSON_IsArray(list))
		return err_set(e, ERR_INVALID, "index has no manifests array");
	cJSON_ArrayForEach(it, list) {
		int score = platform_match(it, arch);

		n++;
		if (score > best_score) {
			best = it;
			best_score = score;
		}
	}
	if (!best || (best_score == 1 && n > 1))
		return err_set(e, ERR_NOT_FOUND, "no match for platform "
			       "linux/%s in manifest", arch);
	m->platform = xcalloc(1, sizeof(*m->platform));
	return desc_parse(best, "index entry", IMG_MANIFEST_MAX, m->platform,
			  e);
}

/* Kind from the document's mediaType, else Content-Type, else shape. */
static int doc_kind(const cJSON *root, const char *ct, enum img_kind *k,
		    struct err *e)
{
	const char *mt = json_get_str(root, "mediaType");

	if (!mt)
		mt = ct;
	if (mt && (!strcmp(mt, MT_OCI_INDEX) || !strcmp(mt, MT_DOCKER_LIST))) {
		*k = IMG_INDEX;
	} else if (mt && (!strcmp(mt, MT_OCI_MANIFEST) ||
			  !strcmp(mt, MT_DOCKER_MANIFEST))) {
		*k = IMG_MANIFEST;
	} else if (mt && strcmp(mt, "application/json") &&
		   strcmp(mt, "application/octet-stream")) {
		return err_set(e, ERR_INVALID, "unsupported manifest media "
			       "type \"%.100s\"", mt);
	} else {
		*k = json_obj(root, "manifests") ? IMG_INDEX : IMG_MANIFEST;
	}
	return 0;
}

int img_manifest_parse(const char *text, size_t len, const char *ct,
		       struct img_manifest *out, struct err *e)
{
	struct img_manifest m = {0};
	cJSON *root;
	int64_t ver;
	int rc = -1;

	if (len > IMG_MANIFEST_MAX)
		return err_set(e, ERR_TOO_LARGE, "manifest too large");
	root = json_parse(text, len, e);
	if (!root)
		return err_wrap(e, "invalid manifest");
	if (!cJSON_IsObject(root) ||
	    json_get_int(root, "schemaVersion", &ver) < 0 || ver != 2) {
		err_set(e, ERR_INVALID, "unsupported manifest: schemaVersion "
			"must be 2");
		goto out;
	}
	if (doc_kind(root, ct, &m.kind, e) < 0)
		goto out;
	if (m.kind == IMG_INDEX ? parse_index(root, &m, e) :
				  parse_image_manifest(root, &m, e))
		goto out;
	*out = m;
	memset(&m, 0, sizeof(m));
	rc = 0;
out:
	img_manifest_done(&m);
	cJSON_Delete(root);
	return rc;
}

/* A JSON array of strings -> NULL-terminated vector; NULL if absent. */
static int str_array(const cJSON *a, char ***out, struct err *e)
{
	const cJSON *it;
	char **v;
	size_t i = 0;

	*out = NULL;
	if (!a || cJSON_IsNull(a))
		return 0;
	if (!cJSON_IsArray(a))
		return err_set(e, ERR_INVALID, "image config: expected a list "
			       "of strings");
	v = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(*v));
	cJSON_ArrayForEach(it, a) {
		if (!cJSON_IsString(it)) {
			for (size_t j = 0; j < i; j++)
				free(v[j]);
			free(v);
			return err_set(e, ERR_INVALID, "image config: expected "
				       "a list of strings");
		}
		v[i++] = xstrdup(it->valuestring);
	}
	*out = v;
	return 0;
}

int img_config_parse(const char *text, size_t len, struct image_config **out,
		     struct err *e)
{
	struct image_config *c = xcalloc(1, sizeof(*c));
	cJSON *root = json_parse(text, len, e);
	const cJSON *cfg;
	int rc = -1;

	if (!root) {
		err_wrap(e, "invalid image config");
		goto out;
	}
	if (!cJSON_IsObject(root)) {
		err_set(e, ERR_INVALID, "invalid image config: not an object");
		goto out;
	}
	cfg = json_obj(root, "config");
	if (str_array(json_obj(cfg, "Entrypoint"), &c->entrypoint, e) < 0 ||
	    str_array(json_obj(cfg, "Cmd"), &c->cmd, e) < 0 ||
	    str_array(json_obj(cfg, "Env"), &c->env, e) < 0)
		goto out;
	if (!c->env)
		c->env = xcalloc(1, sizeof(*c->env));
	c->working_dir = xstrdup(json_get_str(cfg, "WorkingDir"));
	c->user = xstrdup(json_get_str(cfg, "User"));
	if (c->working_dir && !*c->working_dir) {
		free(c->working_dir);
		c->working_dir = NULL;
	}
	if (c->user && !*c->user) {
		free(c->user);
		c->user = NULL;
	}
	*out = c;
	c = NULL;
	rc = 0;
out:
	image_config_free(c);
	cJSON_Delete(root);
	return rc;
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void image_config_free(struct image_config *c)
{
	if (!c)
		return;
	free(c->ref);
	free(c->id);
	free(c->repo_digest);
	strv_free(c->entrypoint);
	strv_free(c->cmd);
	strv_free(c->env);
	free(c->working_dir);
	free(c->user);
	free(c->rootfs);
	free(c);
}
