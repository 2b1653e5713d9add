/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agent_gc: kubelet's image garbage collection.  Every five minutes the
 * agent looks at the file system that holds the data directory (where
 * the image store lives); when its usage is at or above the high
 * threshold (85 %), it removes images that no pod bound to this node
 * uses, oldest first, until usage would be under the low threshold
 * (80 %).  When it cannot free that much it records kubelet's warning on
 * the Node (ImageGCFailed, "Failed to garbage collect required amount of
 * images. Attempted to free N bytes, but only found M bytes eligible to
 * free.").
 *
 * The thresholds are kubelet's --image-gc-high-threshold and
 * --image-gc-low-threshold; here they come from the environment of
 * `kdeck cluster up` (KDECK_IMAGE_GC_HIGH_THRESHOLD, ..._LOW_THRESHOLD,
 * percent; 100 turns GC off) and KDECK_IMAGE_GC_PERIOD (seconds, default
 * 300), which is how tests and small classroom disks tune it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

#include "cluster/evrec.h"
#include "cluster/image/image.h"
#include "cluster/node/agent_int.h"
#include "common/env.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/vec.h"

#define GC_PERIOD_S 300
#define GC_HIGH_PCT 85
#define GC_LOW_PCT 80

/* Normalized image references of every container of every pod bound here. */
static void in_use(struct agent *a, struct vec *refs)
{
	char *path = xasprintf("/api/v1/pods?fieldSelector=spec.nodeName%%3D%s",
			       a->node_name);
	static const char *const lists[] = { "spec.initContainers",
		"spec.containers", "spec.ephemeralContainers", NULL };
	cJSON *l = NULL;
	const cJSON *p, *c;

	if (agent_call(a, "GET", path, NULL, &l) == 200)
		cJSON_ArrayForEach(p, json_get(l, "items"))
			for (size_t i = 0; lists[i]; i++)
				cJSON_ArrayForEach(c, json_get(p, lists[i])) {
					const char *img = json_get_str(c, "image");
					char *norm;
					struct err e;

					err_clear(&e);
					if (img && a->ops->img_normalize(img, &norm, &e) == 0)
						vec_push(refs, norm);
				}
	cJSON_Delete(l);
	free(path);
}

static int64_t store_bytes(struct agent *a)
{
	struct image_info *v = NULL;
	size_t n = 0;
	int64_t sum = 0;
	struct err e;

	err_clear(&e);
	if (a->ops->img_list(a->images, &v, &n, &e) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i].size;
	a->ops->img_info_free(v, n);
	return sum;
}

static void gc_failed(struct agent *a, int64_t want, int64_t freed)
{
	cJSON *node = cJSON_CreateObject();
	char msg[256];

	json_set_str(node, "apiVersion", "v1");
	json_set_str(node, "kind", "Node");
	json_set_str(node, "metadata.name", a->node_name);
	json_set_str(node, "metadata.uid", a->node_name);
	snprintf(msg, sizeof(msg), "Failed to garbage collect required amount "
		 "of images. Attempted to free %lld bytes, but only found %lld "
		 "bytes eligible to free.", (long long)want, (long long)freed);
	evrec_emit(a->events, "kubelet", a->node_name, a->user, node,
		   "Warning", "ImageGCFailed", NULL, msg);
	cJSON_Delete(node);
}

/*
 * One collection: returns the bytes it wanted to free (0 when usage is
 * under the high threshold).  Agent thread.
 */
int64_t agent_image_gc(struct agent *a)
{
	long high = env_long("KDECK_IMAGE_GC_HIGH_THRESHOLD", GC_HIGH_PCT, 0, 100);
	long low = env_long("KDECK_IMAGE_GC_LOW_THRESHOLD", GC_LOW_PCT, 0, 100);
	struct statvfs sv;
	int64_t cap, used, want, total, freed = 0;
	struct vec refs = VEC_INIT;
	struct err e;

	if (!a->images || high >= 100 || statvfs(a->data_dir, &sv) < 0 ||
	    !sv.f_blocks)
		return 0;
	cap = (int64_t)sv.f_blocks * (int64_t)sv.f_frsize;
	used = cap - (int64_t)sv.f_bavail * (int64_t)sv.f_frsize;
	if (used * 100 < cap * high)
		return 0;
	want = used - cap * (low < high ? low : high) / 100;
	if (want <= 0)
		return 0;
	in_use(a, &refs);
	vec_push(&refs, NULL);
	total = store_bytes(a);
	err_clear(&e);
	if (a->ops->img_gc(a->images, (const char *const *)refs.items, -1,
			   total - want, &freed, &e) < 0)
		freed = 0;
	if (freed < want)
		gc_failed(a, want, freed);
	vec_free(&refs, free);
	return want;
}

void agent_image_gc_tick(struct agent *a)
{
	time_t now = time(NULL);
	long period = env_long("KDECK_IMAGE_GC_PERIOD", GC_PERIOD_S, 1, 86400);

	if (a->last_image_gc == 0)
		a->last_image_gc = now;	/* kubelet waits one period at start */
	if (now - a->last_image_gc < period)
		return;
	a->last_image_gc = now;
	agent_image_gc(a);
}
