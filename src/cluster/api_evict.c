/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_evict: POST pods/NAME/eviction (policy/v1 or v1beta1 Eviction),
 * after pkg/registry/core/pod/storage/eviction.go.  A pod that is
 * terminal, pending or already deleting, or that no
 * PodDisruptionBudget selects, is deleted (gracefully, with the
 * Eviction's deleteOptions).  A pod selected by one budget is deleted
 * only if the budget allows a disruption: its status.disruptionsAllowed
 * is decremented and the pod recorded in status.disruptedPods first
 * (the disruption controller then stops counting it).  Otherwise 429
 * TooManyRequests with a DisruptionBudget cause; two or more budgets:
 * 500, as the real server.  Success is 201 with a Success Status.
 * An unhealthy (not Ready) pod may go when the budget is already met
 * (unhealthyPodEvictionPolicy IfHealthyBudget) or always (AlwaysAllow).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/api_int.h"
#include "cluster/pdb.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

#define EVICT_USER "system:kube-controller-manager"
#define EVICT_MSG "Cannot evict pod as it would violate the pod's disruption budget."

static int list_cb(void *arg, const struct store_obj *o)
{
	cJSON_AddItemToArray(arg, store_obj_parse(o));
	return 0;
}

/* The budgets of pod's namespace that select it (caller frees). */
static cJSON *budgets_of(struct api *api, const cJSON *pod)
{
	char *k = store_key("policy", "poddisruptionbudgets",
			    json_get_str(pod, "metadata.namespace"), NULL);
	cJSON *all = cJSON_CreateArray(), *out = cJSON_CreateArray(), *b;
	struct err e;

	if (store_list(api->st, k, NULL, list_cb, all, NULL, &e) < 0)
		err_clear(&e);
	free(k);
	while ((b = cJSON_DetachItemFromArray(all, 0))) {
		if (pdb_selects(b, pod))
			cJSON_AddItemToArray(out, b);
		else
			cJSON_Delete(b);
	}
	cJSON_Delete(all);
	return out;
}

static int64_t st_int(const cJSON *o, const char *path)
{
	int64_t n = 0;

	json_get_int(o, path, &n);
	return n;
}

/* True when pod may go without using up a disruption. */
static bool skip_budget(const cJSON *pdb, const cJSON *pod)
{
	const char *pol = json_get_str(pdb, "spec.unhealthyPodEvictionPolicy");
	const cJSON *cd;
	bool ready = false;

	cJSON_ArrayForEach(cd, json_get(pod, "status.conditions"))
		if (!strcmp(json_get_str(cd, "type") ?: "", "Ready") &&
		    !strcmp(json_get_str(cd, "status") ?: "", "True"))
			ready = true;
	if (ready)
		return false;
	if (pol && !strcmp(pol, "AlwaysAllow"))
		return true;
	return st_int(pdb, "status.currentHealthy") >= st_int(pdb, "status.desiredHealthy") &&
	       st_int(pdb, "status.desiredHealthy") > 0;
}

/* checkAndDecrement: 0 with pdb updated in memory, or -1 (429/403). */
static int check_decrement(cJSON *pdb, const char *pod, struct err *e)
{
	const char *name = json_get_str(pdb, "metadata.name") ?: "";
	int64_t allowed = st_int(pdb, "status.disruptionsAllowed");
	char now[KTIME_STR_MAX];
	struct ktime t = ktime_now();

	if (st_int(pdb, "status.observedGeneration") < st_int(pdb, "metadata.generation")) {
		err_set(e, ERR_TOO_MANY, EVICT_MSG);
		return err_cause(e, "DisruptionBudget", "", "The disruption budget %s is still being processed by the server.", name);
	}
	if (allowed < 0)
		return err_set(e, ERR_FORBIDDEN, "poddisruptionbudgets.policy \"%s\" is forbidden: pdb disruptions allowed is negative", name);
	if (allowed == 0) {
		err_set(e, ERR_TOO_MANY, EVICT_MSG);
		return err_cause(e, "DisruptionBudget", "", "The disruption budget %s needs %lld healthy pods and has %lld currently",
				 name, (long long)st_int(pdb, "status.desiredHealthy"),
				 (long long)st_int(pdb, "status.currentHealthy"));
	}
	json_set_int(pdb, "status.disruptionsAllowed", allowed - 1);
	if (allowed - 1 == 0)
		pdb_update_condition(pdb);
	ktime_format(&t, now);
	json_obj_ensure(json_obj_ensure(pdb, "status"), "disruptedPods");
	cJSON_DeleteItemFromObjectCaseSensitive(json_get(pdb, "status.disruptedPods"), pod);
	cJSON_AddStringToObject(json_get(pdb, "status.disruptedPods"), pod, now);
	return 0;
}

/* Write pdb's status (it was listed at its current revision). */
static int save_budget(struct api *api, cJSON *pdb, struct err *e)
{
	char *k = store_key("policy", "poddisruptionbudgets",
			    json_get_str(pdb, "metadata.namespace"),
			    json_get_str(pdb, "metadata.name"));
	int64_t rev = strtoll(json_get_str(pdb, "metadata.resourceVersion") ?: "0", NULL, 10);
	int rc = store_update(api->st, k, rev, pdb, NULL, e);

	free(k);
	if (rc < 0 && e->code == ERR_CONFLICT)
		err_set(e, ERR_TOO_MANY, EVICT_MSG);	/* the client retries */
	return rc;
}

/* Whether the pod can go without consulting budgets (canIgnorePDB). */
static bool ignore_budgets(const cJSON *pod)
{
	const char *ph = json_get_str(pod, "status.phase") ?: "";

	return !strcmp(ph, "Succeeded") || !strcmp(ph, "Failed") ||
	       !strcmp(ph, "Pending") || json_get(pod, "metadata.deletionTimestamp");
}

/* The budget decision: 0 = delete the pod, -1 = refuse (e set). */
static int consult(struct api *api, const cJSON *pod, bool dry,
		   struct err *e)
{
	cJSON *pdbs = budgets_of(api, pod), *pdb;
	int rc = 0;

	if (ignore_budgets(pod) || cJSON_GetArraySize(pdbs) == 0)
		goto out;
	if (cJSON_GetArraySize(pdbs) > 1) {
		rc = err_set(e, ERR_INTERNAL, "Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
		goto out;
	}
	pdb = cJSON_GetArrayItem(pdbs, 0);
	if (skip_budget(pdb, pod))
		goto out;
	rc = check_decrement(pdb, json_get_str(pod, "metadata.name") ?: "", e);
	if (rc == 0 && !dry)
		rc = save_budget(api, pdb, e);
out:
	cJSON_Delete(pdbs);
	return rc;
}

static int evict_check(const struct api_route *rt, const cJSON *ev,
		       struct err *e)
{
	const char *kind = json_get_str(ev, "kind");
	const char *name = json_get_str(ev, "metadata.name");

	if (kind && strcmp(kind, "Eviction") && strcmp(kind, "DeleteOptions"))
		return err_set(e, ERR_BAD_REQUEST, "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf");
	if (name && name[0] && strcmp(name, rt->name))
		return err_set(e, ERR_BAD_REQUEST, "name in URL does not match name in Eviction object");
	return 0;
}

/* Gracefully delete the pod with the Eviction's deleteOptions. */
static int delete_pod(struct api *api, const struct api_route *rt,
		      const cJSON *ev, struct err *e)
{
	char path[600];
	cJSON *out = NULL;
	int st;

	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/pods/%s", rt->ns,
		 rt->name);
	st = api_call(api, EVICT_USER, NULL, "DELETE", path,
		      json_get(ev, "deleteOptions"), &out);
	if (st != 200 && st != 202) {
		const char *m = json_get_str(out, "message");

		err_set(e, st == 404 ? ERR_NOT_FOUND : st == 409 ? ERR_CONFLICT : ERR_INTERNAL,
			"%s", m ? m : "eviction: the pod could not be deleted");
		cJSON_Delete(out);
		return -1;
	}
	cJSON_Delete(out);
	return 0;
}

void api_evict(struct api *api, const struct api_req *req,
	       struct api_route *rt, struct api_resp *resp)
{
	static const char ok[] = "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
				 "\"metadata\":{},\"status\":\"Success\","
				 "\"code\":201}";
	struct api_route main_rt = *rt;
	const struct store_obj *so = NULL;
	cJSON *ev, *pod = NULL;
	bool dry = api_dry_run(req);
	struct err e;
	int rc = -1;

	err_clear(&e);
	main_rt.sub[0] = '\0';
	if (!(ev = api_decode_body(req, &e)) || evict_check(rt, ev, &e) < 0 ||
	    api_load(api, &main_rt, &so, &pod, &e) < 0)
		goto out;
	dry = dry || cJSON_GetArraySize(json_get(ev, "deleteOptions.dryRun")) > 0;
	if (consult(api, pod, dry, &e) < 0 ||
	    (!dry && delete_pod(api, rt, ev, &e) < 0))
		goto out;
	api_reply_raw(resp, 201, ok, sizeof(ok) - 1);
	rc = 0;
out:
	if (rc < 0)
		api_reply_err(resp, &e, rt);
	store_obj_unref(so);
	cJSON_Delete(ev);
	cJSON_Delete(pod);
}
