/* SPDX-License-Identifier: Apache-2.0 */
/*
 * simnode_spec: `--simulated-node-spec FILE`, the Node template of the
 * simulated nodes (simnode.c).
 *
 * The file is one YAML or JSON document, a Node (apiVersion and kind may
 * be left out; when kind is given it must be Node).  What is taken from
 * it: metadata.labels and metadata.annotations (added to, and replacing,
 * the simulated node's own), spec.taints and spec.unschedulable, and
 * status.capacity / status.allocatable (each quantity replaces or adds to
 * the defaults 8 cpu, 32Gi memory, 110 pods; allocatable defaults to the
 * resulting capacity).  metadata.name, status.conditions and the rest are
 * ignored: every simulated node keeps its name kdeck-sim-<i>.  The file
 * is read and checked by `kdeck cluster up` before the daemon starts, so
 * a bad template is reported on the terminal; the daemon gets its JSON.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/ctrl_int.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/quantity.h"
#include "common/yaml.h"

#define SPEC_MAX (1 << 20)

static const char *const taint_effects[] = {
	"NoSchedule", "PreferNoSchedule", "NoExecute", NULL
};

/* A map of strings at path (absent is fine). */
static int check_str_map(const cJSON *spec, const char *path, struct err *e)
{
	const cJSON *m = json_get(spec, path), *kv;

	if (!m)
		return 0;
	if (!cJSON_IsObject(m))
		return err_set(e, ERR_INVALID, "%s: want a map of strings", path);
	cJSON_ArrayForEach(kv, m)
		if (!cJSON_IsString(kv))
			return err_set(e, ERR_INVALID, "%s.%s: want a string",
				       path, kv->string);
	return 0;
}

/* A map of resource quantities at path (strings or numbers). */
static int check_quantities(const cJSON *spec, const char *path, struct err *e)
{
	const cJSON *m = json_get(spec, path), *kv;
	struct quantity q;
	char num[64];

	if (!m)
		return 0;
	if (!cJSON_IsObject(m))
		return err_set(e, ERR_INVALID, "%s: want a map of quantities", path);
	cJSON_ArrayForEach(kv, m) {
		const char *s = kv->valuestring;

		if (cJSON_IsNumber(kv)) {
			snprintf(num, sizeof(num), "%.17g", kv->valuedouble);
			s = num;
		}
		if (!s || quantity_parse(s, &q, e) < 0)
			return err_set(e, ERR_INVALID, "%s.%s: not a quantity",
				       path, kv->string);
	}
	return 0;
}

static bool known_effect(const char *eff)
{
	for (size_t i = 0; eff && taint_effects[i]; i++)
		if (!strcmp(eff, taint_effects[i]))
			return true;
	return false;
}

static int check_taints(const cJSON *spec, struct err *e)
{
	const cJSON *ts = json_get(spec, "spec.taints"), *t;

	if (!ts)
		return 0;
	if (!cJSON_IsArray(ts))
		return err_set(e, ERR_INVALID, "spec.taints: want a list");
	cJSON_ArrayForEach(t, ts) {
		const char *key = json_get_str(t, "key");

		if (!key || !*key)
			return err_set(e, ERR_INVALID, "spec.taints: a taint "
				       "without a key");
		if (!known_effect(json_get_str(t, "effect")))
			return err_set(e, ERR_INVALID, "spec.taints: taint %s: "
				       "effect must be NoSchedule, "
				       "PreferNoSchedule or NoExecute", key);
	}
	return 0;
}

/* The template is usable as a Node template. */
static int check_spec(const cJSON *spec, struct err *e)
{
	const char *kind = json_get_str(spec, "kind");

	if (!cJSON_IsObject(spec))
		return err_set(e, ERR_INVALID, "want a Node object");
	if (kind && strcmp(kind, "Node"))
		return err_set(e, ERR_INVALID, "kind %s: want Node", kind);
	if (check_str_map(spec, "metadata.labels", e) < 0 ||
	    check_str_map(spec, "metadata.annotations", e) < 0 ||
	    check_taints(spec, e) < 0 ||
	    check_quantities(spec, "status.capacity", e) < 0 ||
	    check_quantities(spec, "status.allocatable", e) < 0)
		return -1;
	return 0;
}

static int read_all(const char *path, struct buf *b, struct err *e)
{
	FILE *f = fopen(path, "re");
	char chunk[4096];
	size_t n;

	if (!f)
		return err_set(e, ERR_IO, "%s", strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b->len < SPEC_MAX)
		buf_add(b, chunk, n);
	fclose(f);
	if (b->len >= SPEC_MAX)
		return err_set(e, ERR_INVALID, "larger than 1 MiB");
	return 0;
}

/* "path: " before e's message. */
static void prefix_path(struct err *e, const char *path)
{
	char why[ERR_MSG_MAX];

	snprintf(why, sizeof(why), "%s", e->msg);
	err_set(e, e->code, "%s: %s", path, why);
}

int ctrl_sim_spec_load(const char *path, char **out, struct err *e)
{
	struct buf b;
	cJSON *spec = NULL;
	int rc = -1;

	buf_init(&b);
	if (read_all(path, &b, e) < 0) {
		prefix_path(e, path);
		goto out;
	}
	spec = kyaml_parse(buf_cstr(&b), b.len, e);
	if (!spec || check_spec(spec, e) < 0) {
		prefix_path(e, path);
		goto out;
	}
	*out = cJSON_PrintUnformatted(spec);
	rc = 0;
out:
	cJSON_Delete(spec);
	buf_free(&b);
	return rc;
}

/* Copy every member of the object at path in from onto the one in to. */
static void overlay(cJSON *to, const char *to_path, const cJSON *from,
		    const char *path)
{
	const cJSON *kv;
	cJSON *dst;

	if (!cJSON_IsObject(json_get(from, path)))
		return;
	dst = json_get(to, to_path);
	if (!cJSON_IsObject(dst)) {
		dst = cJSON_CreateObject();
		json_set(to, to_path, dst);
	}
	cJSON_ArrayForEach(kv, json_get(from, path)) {
		cJSON *v = json_dup(kv);

		if (cJSON_IsNumber(v)) {	/* quantities are strings */
			char num[64];

			snprintf(num, sizeof(num), "%.17g", kv->valuedouble);
			cJSON_Delete(v);
			v = cJSON_CreateString(num);
		}
		if (json_obj(dst, kv->string))
			cJSON_ReplaceItemInObject(dst, kv->string, v);
		else
			cJSON_AddItemToObject(dst, kv->string, v);
	}
}

void simnode_spec_meta(const cJSON *spec, cJSON *node)
{
	const cJSON *v;

	if (!spec)
		return;
	overlay(node, "metadata.labels", spec, "metadata.labels");
	overlay(node, "metadata.annotations", spec, "metadata.annotations");
	if ((v = json_get(spec, "spec.taints")))
		json_set(node, "spec.taints", json_dup(v));
	if (cJSON_IsBool(v = json_get(spec, "spec.unschedulable")))
		json_set(node, "spec.unschedulable", json_dup(v));
}

void simnode_spec_status(const cJSON *spec, cJSON *node)
{
	if (!spec)
		return;
	overlay(node, "status.capacity", spec, "status.capacity");
	json_set(node, "status.allocatable",
		 json_dup(json_get(node, "status.capacity")));
	overlay(node, "status.allocatable", spec, "status.allocatable");
}
