/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rollout: the revisions of a workload and what `rollout undo` writes,
 * as kubectl computes them; pure (no terminal, no source), unit-tested.
 *
 * A Deployment's revisions are its ReplicaSets (annotation
 * deployment.kubernetes.io/revision); the current one is the revision
 * the Deployment's own annotation names.  Undo copies the target
 * ReplicaSet's pod template into the Deployment without the
 * pod-template-hash label, and the ReplicaSet's annotations (change-cause
 * among them) except the bookkeeping ones kubectl skips; the deployment
 * controller then gives that ReplicaSet the next revision number.
 * StatefulSets and DaemonSets keep ControllerRevisions (field revision)
 * whose data is a patch {"spec":{"template":{..., "$patch":"replace"}}};
 * undo puts that template back.  The current one is the StatefulSet's
 * status.updateRevision, for a DaemonSet the highest revision.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"
#include "tui/tui.h"

#define ANN_REVISION "deployment.kubernetes.io/revision"
#define ANN_CAUSE "kubernetes.io/change-cause"

/* Annotations kubectl does not copy from a ReplicaSet on undo. */
static const char *const skip_annotations[] = {
	"kubectl.kubernetes.io/last-applied-configuration",
	ANN_REVISION,
	"deployment.kubernetes.io/revision-history",
	"deployment.kubernetes.io/desired-replicas",
	"deployment.kubernetes.io/max-replicas",
	"deprecated.deployment.rollback.to",
	NULL,
};

int rollout_supported(const char *plural)
{
	return !strcmp(plural, "deployments") || !strcmp(plural, "statefulsets") ||
	       !strcmp(plural, "daemonsets");
}

const char *rollout_owned_plural(const char *plural)
{
	return !strcmp(plural, "deployments") ? "replicasets" : "controllerrevisions";
}

static const char *annotation(const cJSON *obj, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		json_get(obj, "metadata.annotations"), key));
}

/* Is child owned by root (uid, or kind and name when uids are absent)? */
static int owned_by(const cJSON *child, const cJSON *root)
{
	const char *uid = json_get_str(root, "metadata.uid");
	const char *name = json_get_str(root, "metadata.name");
	const cJSON *ref;

	cJSON_ArrayForEach(ref, json_get(child, "metadata.ownerReferences")) {
		const char *ruid = json_get_str(ref, "uid");
		const char *rname = json_get_str(ref, "name");

		if (uid && ruid ? !strcmp(uid, ruid) : rname && name && !strcmp(rname, name))
			return 1;
	}
	return 0;
}

/* "img1,img2" of a pod template. */
static char *template_images(const cJSON *tpl)
{
	struct buf b = BUF_INIT;
	const cJSON *c;

	cJSON_ArrayForEach(c, json_get(tpl, "spec.containers")) {
		const char *img = json_get_str(c, "image");

		buf_printf(&b, "%s%s", b.len ? "," : "", img ? img : "?");
	}
	return buf_take(&b);
}

static long revision_of(const char *plural, const cJSON *child)
{
	const char *s;
	int64_t n;

	if (!strcmp(plural, "deployments")) {
		s = annotation(child, ANN_REVISION);
		return s ? strtol(s, NULL, 10) : 0;
	}
	return json_get_int(child, "revision", &n) == 0 ? (long)n : 0;
}

static int rev_cmp(const void *x, const void *y)
{
	const struct rollout_rev *a = *(const struct rollout_rev *const *)x;
	const struct rollout_rev *b = *(const struct rollout_rev *const *)y;

	return (a->revision > b->revision) - (a->revision < b->revision);
}

/* The current revision number of root among revs (sorted). */
static long current_revision(const char *plural, const cJSON *root,
			     const struct vec *revs)
{
	const char *s;

	if (!strcmp(plural, "deployments")) {
		s = annotation(root, ANN_REVISION);
		return s ? strtol(s, NULL, 10) : 0;
	}
	s = json_get_str(root, "status.updateRevision");
	for (size_t i = 0; s && i < revs->len; i++) {
		const struct rollout_rev *r = revs->items[i];

		if (!strcmp(r->name, s))
			return r->revision;
	}
	return revs->len ? ((struct rollout_rev *)revs->items[revs->len - 1])->revision : 0;
}

void rollout_revisions(const char *plural, const cJSON *root,
		       const cJSON *owned, struct vec *out)
{
	const cJSON *c;
	long cur;

	cJSON_ArrayForEach(c, owned) {
		int is_dep = !strcmp(plural, "deployments");
		const cJSON *tpl = json_get(c, is_dep ? "spec.template" : "data.spec.template");
		struct rollout_rev *r;
		const char *cause = annotation(c, ANN_CAUSE);

		if (!owned_by(c, root) || !cJSON_IsObject(tpl))
			continue;
		r = xcalloc(1, sizeof(*r));
		r->revision = revision_of(plural, c);
		r->name = xstrdup(json_get_str(c, "metadata.name") ?
				  json_get_str(c, "metadata.name") : "");
		r->images = template_images(tpl);
		r->cause = xstrdup(cause ? cause : "");
		r->template = tpl;
		r->owner = c;
		vec_push(out, r);
	}
	vec_sort(out, rev_cmp);
	cur = current_revision(plural, root, out);
	for (size_t i = 0; i < out->len; i++) {
		struct rollout_rev *r = out->items[i];

		r->current = r->revision == cur;
	}
}

void rollout_rev_free(void *p)
{
	struct rollout_rev *r = p;

	if (!r)
		return;
	free(r->name);
	free(r->images);
	free(r->cause);
	free(r);
}

const struct rollout_rev *rollout_target(const struct vec *revs, long to,
					 struct err *e)
{
	const struct rollout_rev *cur = NULL, *best = NULL;

	for (size_t i = 0; i < revs->len; i++) {
		const struct rollout_rev *r = revs->items[i];

		if (r->current)
			cur = r;
		if (to > 0 && r->revision == to)
			best = r;
		else if (to <= 0 && !r->current && (!best || r->revision > best->revision))
			best = r;
	}
	if (!best) {
		if (to > 0)
			err_set(e, ERR_NOT_FOUND, "unable to find the specified revision %ld", to);
		else
			err_set(e, ERR_NOT_FOUND, "no rollout history found: nothing to undo to");
		return NULL;
	}
	if (best == cur) {
		err_set(e, ERR_CONFLICT, "skipped rollback: revision %ld is the current one",
			best->revision);
		return NULL;
	}
	return best;
}

static int skipped(const char *key)
{
	for (size_t i = 0; skip_annotations[i]; i++)
		if (!strcmp(key, skip_annotations[i]))
			return 1;
	return 0;
}

cJSON *rollout_undo_object(const char *plural, const cJSON *root,
			   const struct rollout_rev *to)
{
	cJSON *obj = json_dup(root), *tpl = json_dup(to->template), *ann;
	const cJSON *a;

	cJSON_DeleteItemFromObjectCaseSensitive(tpl, "$patch");
	cJSON_DeleteItemFromObjectCaseSensitive(json_get(tpl, "metadata.labels"),
						"pod-template-hash");
	cJSON_DeleteItemFromObject(obj, "status");
	json_set(obj, "spec.template", tpl);
	if (strcmp(plural, "deployments"))
		return obj;
	ann = json_obj_ensure(json_obj_ensure(obj, "metadata"), "annotations");
	cJSON_ArrayForEach(a, json_get(to->owner, "metadata.annotations")) {
		if (skipped(a->string) || !cJSON_IsString(a))
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(ann, a->string);
		cJSON_AddStringToObject(ann, a->string, a->valuestring);
	}
	return obj;
}
