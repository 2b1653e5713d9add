/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_ep: the Endpoints and EndpointSlice controllers, one pass.
 *
 * For every Service with a selector: the active pods it selects that have
 * a pod IP become addresses (ready ones in addresses, others in
 * notReadyAddresses / conditions.ready=false); each service port maps to
 * its targetPort, a number or a container port name looked up in the
 * first selected pod.  The Endpoints object (named like the Service) and
 * one EndpointSlice (generateName <svc>-, label kubernetes.io/service-
 * name) are created or rewritten when their content changed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/ctrl_int.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/selector.h"

#define SLICE_MANAGER "endpointslice-controller.k8s.io"

/* targetPort of sp resolved against pod's container ports (0 = none). */
static int64_t target_port(const cJSON *sp, const cJSON *pod)
{
	const cJSON *tp = json_obj(sp, "targetPort"), *ct, *p;
	int64_t port = 0;

	if (cJSON_IsNumber(tp))
		return (int64_t)tp->valuedouble;
	if (!cJSON_IsString(tp)) {
		json_get_int(sp, "port", &port);
		return port;
	}
	cJSON_ArrayForEach(ct, json_get(pod, "spec.containers"))
		cJSON_ArrayForEach(p, json_obj(ct, "ports"))
			if (!strcmp(json_get_str(p, "name") ?: "", tp->valuestring) &&
			    json_get_int(p, "containerPort", &port) == 0)
				return port;
	return 0;
}

static cJSON *ports_for(const cJSON *svc, const cJSON *pod)
{
	cJSON *arr = cJSON_CreateArray();
	const cJSON *sp;

	cJSON_ArrayForEach(sp, json_get(svc, "spec.ports")) {
		cJSON *p = cJSON_CreateObject();
		int64_t tp = target_port(sp, pod);

		if (json_get_str(sp, "name") && *json_get_str(sp, "name"))
			cJSON_AddStringToObject(p, "name", json_get_str(sp, "name"));
		cJSON_AddNumberToObject(p, "port", (double)tp);
		cJSON_AddStringToObject(p, "protocol",
					json_get_str(sp, "protocol") ?: "TCP");
		if (tp > 0)
			cJSON_AddItemToArray(arr, p);
		else
			cJSON_Delete(p);
	}
	return arr;
}

static cJSON *target_ref(const cJSON *pod)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "kind", "Pod");
	cJSON_AddStringToObject(r, "namespace", json_get_str(pod, "metadata.namespace"));
	cJSON_AddStringToObject(r, "name", json_get_str(pod, "metadata.name"));
	cJSON_AddStringToObject(r, "uid", json_get_str(pod, "metadata.uid"));
	return r;
}

/* Selected pods with an IP, in list order. */
static size_t selected(const cJSON *svc, const cJSON *pods, const cJSON **out,
		       size_t max)
{
	struct label_selector *sel = NULL;
	cJSON *ls = cJSON_CreateObject();
	const char *ns = json_get_str(svc, "metadata.namespace");
	const cJSON *pod;
	struct err e;
	size_t n = 0;

	json_set(ls, "matchLabels", json_dup(json_get(svc, "spec.selector")));
	if (selector_from_json(ls, &sel, &e) < 0)
		sel = NULL;
	cJSON_Delete(ls);
	cJSON_ArrayForEach(pod, pods)
		if (sel && n < max &&
		    !strcmp(json_get_str(pod, "metadata.namespace") ?: "", ns) &&
		    json_get_str(pod, "status.podIP") &&
		    !json_get(pod, "metadata.deletionTimestamp") &&
		    selector_matches(sel, json_get(pod, "metadata.labels")))
			out[n++] = pod;
	selector_free(sel);
	return n;
}

static cJSON *endpoints_subsets(const cJSON *svc, const cJSON **sel, size_t n)
{
	cJSON *subsets = cJSON_CreateArray(), *ss, *ready, *notready;

	if (!n)
		return subsets;
	ss = cJSON_CreateObject();
	ready = cJSON_CreateArray();
	notready = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		cJSON *a = cJSON_CreateObject();

		cJSON_AddStringToObject(a, "ip", json_get_str(sel[i], "status.podIP"));
		if (json_get_str(sel[i], "spec.nodeName"))
			cJSON_AddStringToObject(a, "nodeName",
						json_get_str(sel[i], "spec.nodeName"));
		cJSON_AddItemToObject(a, "targetRef", target_ref(sel[i]));
		cJSON_AddItemToArray(ctrl_pod_ready(sel[i]) ? ready : notready, a);
	}
	if (cJSON_GetArraySize(ready))
		cJSON_AddItemToObject(ss, "addresses", ready);
	else
		cJSON_Delete(ready);
	if (cJSON_GetArraySize(notready))
		cJSON_AddItemToObject(ss, "notReadyAddresses", notready);
	else
		cJSON_Delete(notready);
	cJSON_AddItemToObject(ss, "ports", ports_for(svc, sel[0]));
	cJSON_AddItemToArray(subsets, ss);
	return subsets;
}

static cJSON *slice_endpoints(const cJSON **sel, size_t n)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < n; i++) {
		cJSON *ep = cJSON_CreateObject(), *addr = cJSON_CreateArray();
		bool ready = ctrl_pod_ready(sel[i]);

		cJSON_AddItemToArray(addr, cJSON_CreateString(
					      json_get_str(sel[i], "status.podIP")));
		cJSON_AddItemToObject(ep, "addresses", addr);
		json_set(ep, "conditions.ready", cJSON_CreateBool(ready));
		json_set(ep, "conditions.serving", cJSON_CreateBool(ready));
		json_set(ep, "conditions.terminating", cJSON_CreateBool(0));
		if (json_get_str(sel[i], "spec.nodeName"))
			json_set_str(ep, "nodeName", json_get_str(sel[i], "spec.nodeName"));
		cJSON_AddItemToObject(ep, "targetRef", target_ref(sel[i]));
		cJSON_AddItemToArray(arr, ep);
	}
	return arr;
}

/* Create obj at coll, or rewrite the existing one when field differs. */
static void apply(struct ctrl *c, const char *coll, const cJSON *old,
		  cJSON *obj, const char *const *fields)
{
	char path[400];
	bool same = old != NULL;

	for (size_t i = 0; same && fields[i]; i++)
		same = json_equal(json_get(old, fields[i]), json_get(obj, fields[i]));
	if (same)
		return;
	if (!old) {
		ctrl_call(c, CTRL_USER_CM, "POST", coll, obj, NULL);
		return;
	}
	json_set(obj, "metadata", json_dup(json_get(old, "metadata")));
	snprintf(path, sizeof(path), "%s/%s", coll, json_get_str(old, "metadata.name"));
	ctrl_call(c, CTRL_USER_CM, "PUT", path, obj, NULL);
}

static const cJSON *find_named(const cJSON *arr, const char *ns,
			       const char *path, const char *name)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, arr)
		if (!strcmp(json_get_str(o, "metadata.namespace") ?: "", ns) &&
		    !strcmp(json_get_str(o, path) ?: "", name))
			return o;
	return NULL;
}

static void ep_one(struct ctrl *c, const cJSON *svc, const cJSON *pods,
		   const cJSON *eps, const cJSON *slices)
{
	static const char *const ep_fields[] = { "subsets", NULL };
	static const char *const sl_fields[] = { "endpoints", "ports", NULL };
	const char *ns = json_get_str(svc, "metadata.namespace");
	const char *name = json_get_str(svc, "metadata.name");
	size_t max = (size_t)cJSON_GetArraySize(pods) + 1, n;
	const cJSON **sel = xcalloc(max, sizeof(*sel));
	cJSON *ep = cJSON_CreateObject(), *sl = cJSON_CreateObject(), *refs;
	char coll[320];

	n = selected(svc, pods, sel, max);
	json_set_str(ep, "apiVersion", "v1");
	json_set_str(ep, "kind", "Endpoints");
	json_set_str(ep, "metadata.name", name);
	json_set_str(ep, "metadata.namespace", ns);
	json_set(ep, "subsets", endpoints_subsets(svc, sel, n));
	snprintf(coll, sizeof(coll), "/api/v1/namespaces/%s/endpoints", ns);
	apply(c, coll, find_named(eps, ns, "metadata.name", name), ep, ep_fields);
	json_set_str(sl, "apiVersion", "discovery.k8s.io/v1");
	json_set_str(sl, "kind", "EndpointSlice");
	snprintf(coll, sizeof(coll), "%s-", name);
	json_set_str(sl, "metadata.generateName", coll);
	json_set_str(sl, "metadata.namespace", ns);
	json_set_str(sl, "metadata.labels.kubernetes\\.io/service-name", name);
	json_set_str(sl, "metadata.labels.endpointslice\\.kubernetes\\.io/managed-by",
		     SLICE_MANAGER);
	refs = cJSON_CreateArray();
	cJSON_AddItemToArray(refs, ctrl_owner_ref(svc));
	json_set(sl, "metadata.ownerReferences", refs);
	json_set_str(sl, "addressType", "IPv4");
	json_set(sl, "endpoints", slice_endpoints(sel, n));
	json_set(sl, "ports", n ? ports_for(svc, sel[0]) : cJSON_CreateArray());
	snprintf(coll, sizeof(coll),
		 "/apis/discovery.k8s.io/v1/namespaces/%s/endpointslices", ns);
	apply(c, coll, find_named(slices, ns,
				  "metadata.labels.kubernetes\\.io/service-name", name),
	      sl, sl_fields);
	cJSON_Delete(ep);
	cJSON_Delete(sl);
	free(sel);
}

void ep_sync(struct ctrl *c, const cJSON *pods)
{
	char *sk = store_key(NULL, "services", NULL, NULL);
	char *ek = store_key(NULL, "endpoints", NULL, NULL);
	char *lk = store_key("discovery.k8s.io", "endpointslices", NULL, NULL);
	cJSON *svcs = ctrl_list(c, sk), *eps = ctrl_list(c, ek);
	cJSON *slices = ctrl_list(c, lk), *svc;

	cJSON_ArrayForEach(svc, svcs)
		if (cJSON_GetArraySize(json_get(svc, "spec.selector")) > 0 &&
		    !json_get(svc, "metadata.deletionTimestamp"))
			ep_one(c, svc, pods, eps, slices);
	cJSON_Delete(svcs);
	cJSON_Delete(eps);
	cJSON_Delete(slices);
	free(sk);
	free(ek);
	free(lk);
}
