/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit_quantity: the decode-time check of resource quantities.  The API
 * server parses every resource.Quantity while it decodes the body, so a
 * malformed one is a 400 BadRequest with the decoder's text
 * (`Pod in version "v1" cannot be handled as a Pod: quantities must
 * match the regular expression ...`), before any validation runs.
 *
 * The quantity-bearing fields are listed per kind as paths where "[]"
 * walks every element of an array and "{}" every value of a map; pod
 * specs (Pods and every pod template) share one list.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/admit.h"
#include "common/json.h"
#include "common/quantity.h"

/* Quantity maps and values of a pod spec, relative to the spec. */
static const char *const podspec_paths[] = {
	"containers[].resources.limits{}",
	"containers[].resources.requests{}",
	"initContainers[].resources.limits{}",
	"initContainers[].resources.requests{}",
	"ephemeralContainers[].resources.limits{}",
	"ephemeralContainers[].resources.requests{}",
	"overhead{}",
	"resources.limits{}",
	"resources.requests{}",
	"volumes[].emptyDir.sizeLimit",
	"volumes[].ephemeral.volumeClaimTemplate.spec.resources.requests{}",
	"volumes[].ephemeral.volumeClaimTemplate.spec.resources.limits{}",
	NULL,
};

struct kind_paths {
	const char *kind;
	const char *podspec;	/* where the pod spec is, or NULL */
	const char *paths[6];	/* other quantity fields, NULL-ended */
};

static const struct kind_paths kinds[] = {
	{ "Pod", "spec", { NULL } },
	{ "PodTemplate", "template.spec", { NULL } },
	{ "ReplicationController", "spec.template.spec", { NULL } },
	{ "Deployment", "spec.template.spec", { NULL } },
	{ "ReplicaSet", "spec.template.spec", { NULL } },
	{ "DaemonSet", "spec.template.spec", { NULL } },
	{ "Job", "spec.template.spec", { NULL } },
	{ "StatefulSet", "spec.template.spec",
	  { "spec.volumeClaimTemplates[].spec.resources.requests{}",
	    "spec.volumeClaimTemplates[].spec.resources.limits{}", NULL } },
	{ "CronJob", "spec.jobTemplate.spec.template.spec", { NULL } },
	{ "ResourceQuota", NULL, { "spec.hard{}", "status.hard{}", "status.used{}", NULL } },
	{ "LimitRange", NULL,
	  { "spec.limits[].max{}", "spec.limits[].min{}", "spec.limits[].default{}",
	    "spec.limits[].defaultRequest{}", "spec.limits[].maxLimitRequestRatio{}", NULL } },
	{ "PersistentVolumeClaim", NULL,
	  { "spec.resources.requests{}", "spec.resources.limits{}", "status.capacity{}", NULL } },
	{ "PersistentVolume", NULL, { "spec.capacity{}", NULL } },
	{ "Node", NULL, { "status.capacity{}", "status.allocatable{}", NULL } },
};

/* The first malformed quantity under node along path, or NULL. */
static const char *walk(const cJSON *node, const char *path, char *msg,
			size_t n)
{
	char seg[128];
	size_t len = strcspn(path, ".[{");
	const char *rest = path + len;
	const cJSON *child, *it;
	const char *bad;

	if (!node)
		return NULL;
	if (len >= sizeof(seg))
		return NULL;
	memcpy(seg, path, len);
	seg[len] = 0;
	child = len ? cJSON_GetObjectItemCaseSensitive(node, seg) : node;
	if (!child)
		return NULL;
	if (!strncmp(rest, "[]", 2) || !strncmp(rest, "{}", 2)) {
		const char *next = rest[2] == '.' ? rest + 3 : rest + 2;

		cJSON_ArrayForEach(it, child)
			if ((bad = *next ? walk(it, next, msg, n) : walk(it, "", msg, n)))
				return bad;
		return NULL;
	}
	if (*rest == '.')
		return walk(child, rest + 1, msg, n);
	if (cJSON_IsString(child)) {
		struct quantity q;
		struct err qe;

		if (quantity_parse(child->valuestring, &q, &qe) < 0) {
			snprintf(msg, n, "%s", qe.msg);
			return msg;
		}
	}
	return NULL;
}

static const char *check_list(const cJSON *root, const char *const *paths,
			      char *msg, size_t n)
{
	const char *bad;

	for (size_t i = 0; root && paths[i]; i++)
		if ((bad = walk(root, paths[i], msg, n)))
			return bad;
	return NULL;
}

int admit_decode_check(const struct reg_kind *k, const cJSON *obj,
		       struct err *e)
{
	char msg[256];
	const char *bad = NULL;

	if (!obj || (k->flags & REG_CUSTOM))
		return 0;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && !bad; i++) {
		if (strcmp(kinds[i].kind, k->kind))
			continue;
		if (kinds[i].podspec)
			bad = check_list(json_get(obj, kinds[i].podspec), podspec_paths,
					 msg, sizeof(msg));
		if (!bad)
			bad = check_list(obj, kinds[i].paths, msg, sizeof(msg));
	}
	if (!bad)
		return 0;
	return err_set(e, ERR_BAD_REQUEST, "%s in version \"%s\" cannot be handled as a %s: %s",
		       k->kind, k->version, k->kind, bad);
}
