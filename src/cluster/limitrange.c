/* SPDX-License-Identifier: Apache-2.0 */
/*
 * limitrange: the LimitRanger admission plugin
 * (plugin/pkg/admission/limitranger).  On a new Pod it fills each
 * container's missing requests/limits from the namespace's Container
 * LimitRange items (defaultRequest, default), records what it set in the
 * kubernetes.io/limit-ranger annotation, then checks min, max and
 * maxLimitRequestRatio per Container and per Pod; a new PVC is checked
 * against PersistentVolumeClaim items.  A new LimitRange gets its API
 * defaults.  Messages are the plugin's.  Pod updates are not checked
 * (container resources are immutable), as in Kubernetes.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/quota.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

#define LR_ANNOTATION "kubernetes.io/limit-ranger"

/* Copy every entry of src missing from the object at path of item. */
static void fill_missing(cJSON *item, const char *path, const cJSON *src)
{
	cJSON *dst;
	const cJSON *it;

	if (!cJSON_GetArraySize(src))
		return;
	dst = json_obj_ensure(item, path);
	cJSON_ArrayForEach(it, src)
		if (!cJSON_GetObjectItemCaseSensitive(dst, it->string))
			cJSON_AddItemToObject(dst, it->string, cJSON_Duplicate(it, true));
}

/* SetDefaults_LimitRangeItem over every item of lr. */
static void lr_defaults(cJSON *lr)
{
	cJSON *item;

	cJSON_ArrayForEach(item, json_get(lr, "spec.limits")) {
		const char *t = json_get_str(item, "type");

		if (!t || strcmp(t, "Container"))
			continue;
		fill_missing(item, "default", json_get(item, "max"));
		fill_missing(item, "defaultRequest", json_get(item, "default"));
		fill_missing(item, "defaultRequest", json_get(item, "min"));
	}
}

static int list_cb(void *arg, const struct store_obj *o)
{
	cJSON_AddItemToArray(arg, store_obj_parse(o));
	return 0;
}

/* The LimitRanges of ns, defaulted (a cJSON array, caller frees). */
static cJSON *ns_limitranges(struct store *st, const char *ns)
{
	char *k = store_key(NULL, "limitranges", ns, NULL);
	cJSON *arr = cJSON_CreateArray(), *lr;
	struct err e;

	if (store_list(st, k, NULL, list_cb, arr, NULL, &e) < 0)
		err_clear(&e);
	free(k);
	cJSON_ArrayForEach(lr, arr)
		lr_defaults(lr);
	return arr;
}

/* Add def's entries missing from the container's field; their names
 * (sorted, ", "-joined) into b. */
static void merge(cJSON *c, const char *field, const cJSON *def,
		  struct buf *b)
{
	cJSON *res = json_obj_ensure(json_obj_ensure(c, "resources"), field);
	struct qlist set = QLIST_INIT;
	const cJSON *it;
	struct quantity z = quantity_from_int64(0, QUANTITY_DECIMAL_SI);

	cJSON_ArrayForEach(it, def)
		if (!cJSON_GetObjectItemCaseSensitive(res, it->string)) {
			cJSON_AddItemToObject(res, it->string, cJSON_Duplicate(it, true));
			qlist_set(&set, it->string, &z);	/* sorted name set */
		}
	for (size_t i = 0; i < set.n; i++)
		buf_printf(b, "%s%s", i ? ", " : "", set.v[i].name);
	if (!cJSON_GetArraySize(res))
		json_del(json_get(c, "resources"), field);
	qlist_free(&set);
}

/* mergeContainerResources: annotation parts appended to ann. */
static void merge_container(cJSON *c, const cJSON *req, const cJSON *lim,
			    const char *what, struct buf *ann)
{
	const char *name = json_get_str(c, "name") ?: "";
	struct buf r = BUF_INIT, l = BUF_INIT;

	merge(c, "limits", lim, &l);
	merge(c, "requests", req, &r);
	if (r.len)
		buf_printf(ann, "%s%s request for %s %s",
			   ann->len ? "; " : "", buf_cstr(&r), what, name);
	if (l.len)
		buf_printf(ann, "%s%s limit for %s %s",
			   ann->len ? "; " : "", buf_cstr(&l), what, name);
	buf_free(&r);
	buf_free(&l);
}

/* Overwrite dst's entries with src's. */
static void overlay(cJSON *dst, const cJSON *src)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, src) {
		cJSON_DeleteItemFromObjectCaseSensitive(dst, it->string);
		cJSON_AddItemToObject(dst, it->string, cJSON_Duplicate(it, true));
	}
}

/* Apply the Container defaults of lr to pod (mergePodResourceRequirements). */
static void pod_mutate(const cJSON *lr, cJSON *pod)
{
	cJSON *req = cJSON_CreateObject(), *lim = cJSON_CreateObject(), *c;
	const cJSON *item;
	struct buf ann = BUF_INIT;

	cJSON_ArrayForEach(item, json_get(lr, "spec.limits")) {
		if (strcmp(json_get_str(item, "type") ?: "", "Container"))
			continue;
		overlay(req, json_get(item, "defaultRequest"));
		overlay(lim, json_get(item, "default"));
	}
	cJSON_ArrayForEach(c, json_get(pod, "spec.containers"))
		merge_container(c, req, lim, "container", &ann);
	cJSON_ArrayForEach(c, json_get(pod, "spec.initContainers"))
		merge_container(c, req, lim, "init container", &ann);
	if (ann.len) {
		cJSON *a = json_obj_ensure(json_obj_ensure(pod, "metadata"), "annotations");
		char *v = xasprintf("LimitRanger plugin set: %s", buf_cstr(&ann));

		cJSON_DeleteItemFromObjectCaseSensitive(a, LR_ANNOTATION);
		cJSON_AddStringToObject(a, LR_ANNOTATION, v);
		free(v);
	}
	buf_free(&ann);
	cJSON_Delete(req);
	cJSON_Delete(lim);
}

/* Accumulated constraint errors (utilerrors.NewAggregate). */
struct errs {
	struct buf b;
	int n;
};

static void add_err(struct errs *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add_err(struct errs *x, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	buf_printf(&x->b, "%s%s", x->n++ ? ", " : "", line);
}

/* One constraint: limit type, resource, enforced value, observed lists. */
struct con {
	const char *type, *res;
	struct quantity enf;
	const struct qlist *req, *lim;
};

static const struct quantity *get(const struct qlist *l, const char *name)
{
	const struct qent *x = l ? qlist_find(l, name) : NULL;

	return x ? &x->q : NULL;
}

static void c_min(const struct con *c, struct errs *x)
{
	const struct quantity *r = get(c->req, c->res), *l = get(c->lim, c->res);
	char es[QUANTITY_STR_MAX], vs[QUANTITY_STR_MAX];

	quantity_format(&c->enf, es);
	if (!r)
		add_err(x, "minimum %s usage per %s is %s.  No request is specified", c->res, c->type, es);
	else if (quantity_cmp(r, &c->enf) < 0)
		add_err(x, "minimum %s usage per %s is %s, but request is %s", c->res, c->type, es, quantity_format(r, vs));
	else if (l && quantity_cmp(l, &c->enf) < 0)
		add_err(x, "minimum %s usage per %s is %s, but limit is %s", c->res, c->type, es, quantity_format(l, vs));
}

static void c_max(const struct con *c, struct errs *x)
{
	const struct quantity *r = get(c->req, c->res), *l = get(c->lim, c->res);
	char es[QUANTITY_STR_MAX], vs[QUANTITY_STR_MAX];

	quantity_format(&c->enf, es);
	if (!l)
		add_err(x, "maximum %s usage per %s is %s.  No limit is specified", c->res, c->type, es);
	else if (quantity_cmp(l, &c->enf) > 0)
		add_err(x, "maximum %s usage per %s is %s, but limit is %s", c->res, c->type, es, quantity_format(l, vs));
	else if (r && quantity_cmp(r, &c->enf) > 0)
		add_err(x, "maximum %s usage per %s is %s, but request is %s", c->res, c->type, es, quantity_format(r, vs));
}

/* maxRequestConstraint (PersistentVolumeClaim: requests only). */
static void c_max_req(const struct con *c, struct errs *x)
{
	const struct quantity *r = get(c->req, c->res);
	char es[QUANTITY_STR_MAX], vs[QUANTITY_STR_MAX];

	quantity_format(&c->enf, es);
	if (!r)
		add_err(x, "maximum %s usage per %s is %s.  No request is specified", c->res, c->type, es);
	else if (quantity_cmp(r, &c->enf) > 0)
		add_err(x, "maximum %s usage per %s is %s, but request is %s", c->res, c->type, es, quantity_format(r, vs));
}

static void c_ratio(const struct con *c, struct errs *x)
{
	const struct quantity *r = get(c->req, c->res), *l = get(c->lim, c->res);
	char es[QUANTITY_STR_MAX];
	double rv, lv, ratio;

	quantity_format(&c->enf, es);
	if (!r || quantity_is_zero(r)) {
		add_err(x, "%s max limit to request ratio per %s is %s, but no request is specified or request is 0", c->res, c->type, es);
		return;
	}
	if (!l || quantity_is_zero(l)) {
		add_err(x, "%s max limit to request ratio per %s is %s, but no limit is specified or limit is 0", c->res, c->type, es);
		return;
	}
	rv = (double)quantity_milli_value(r);
	lv = (double)quantity_milli_value(l);
	ratio = lv / rv;
	if (ratio * 1000 > (double)quantity_milli_value(&c->enf))
		add_err(x, "%s max limit to request ratio per %s is %s, but provided ratio is %f", c->res, c->type, es, ratio);
}

/* Run fn for every entry of the ResourceList at field of item. */
static void each(const cJSON *item, const char *field, const char *type,
		 const struct qlist *req, const struct qlist *lim,
		 void (*fn)(const struct con *, struct errs *), struct errs *x)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, json_get(item, field)) {
		struct con c = { type, it->string, { 0, QUANTITY_DECIMAL_SI }, req, lim };
		struct err e;

		if (cJSON_IsString(it) && quantity_parse(it->valuestring, &c.enf, &e) == 0)
			fn(&c, x);
	}
}

static void check_lists(const cJSON *item, const char *type,
			const struct qlist *req, const struct qlist *lim,
			bool pvc, struct errs *x)
{
	each(item, "min", type, req, lim, c_min, x);
	each(item, "max", type, req, lim, pvc ? c_max_req : c_max, x);
	if (!pvc)
		each(item, "maxLimitRequestRatio", type, req, lim, c_ratio, x);
}

static void check_container(const cJSON *item, const cJSON *c, struct errs *x)
{
	struct qlist req = QLIST_INIT, lim = QLIST_INIT;

	qlist_from_json(&req, json_get(c, "resources.requests"));
	qlist_from_json(&lim, json_get(c, "resources.limits"));
	check_lists(item, "Container", &req, &lim, false, x);
	qlist_free(&req);
	qlist_free(&lim);
}

/* PodValidateLimitFunc. */
static void pod_validate(const cJSON *lr, const cJSON *pod, struct errs *x)
{
	const cJSON *item, *c;

	cJSON_ArrayForEach(item, json_get(lr, "spec.limits")) {
		const char *t = json_get_str(item, "type") ?: "";

		if (!strcmp(t, "Container")) {
			cJSON_ArrayForEach(c, json_get(pod, "spec.containers"))
				check_container(item, c, x);
			cJSON_ArrayForEach(c, json_get(pod, "spec.initContainers"))
				check_container(item, c, x);
		} else if (!strcmp(t, "Pod")) {
			struct qlist req = QLIST_INIT, lim = QLIST_INIT;

			quota_pod_sum(pod, "requests", &req);
			quota_pod_sum(pod, "limits", &lim);
			check_lists(item, "Pod", &req, &lim, false, x);
			qlist_free(&req);
			qlist_free(&lim);
		}
	}
}

static void pvc_validate(const cJSON *lr, const cJSON *pvc, struct errs *x)
{
	struct qlist req = QLIST_INIT;
	const cJSON *item;

	qlist_from_json(&req, json_get(pvc, "spec.resources.requests"));
	cJSON_ArrayForEach(item, json_get(lr, "spec.limits"))
		if (!strcmp(json_get_str(item, "type") ?: "", "PersistentVolumeClaim"))
			check_lists(item, "PersistentVolumeClaim", &req, NULL, true, x);
	qlist_free(&req);
}

int limitrange_admit(struct store *st, const struct reg_kind *k,
		     const char *name, cJSON *obj, struct err *e)
{
	bool pod = !strcmp(k->kind, "Pod"), pvc;
	struct errs x = { BUF_INIT, 0 };
	const char *ns = json_get_str(obj, "metadata.namespace");
	cJSON *lrs, *lr;
	int rc = 0;

	if (k->group[0])
		return 0;
	if (!strcmp(k->kind, "LimitRange")) {
		lr_defaults(obj);
		return 0;
	}
	pvc = !strcmp(k->kind, "PersistentVolumeClaim");
	if (pod)
		quota_pod_defaults(obj);
	if ((!pod && !pvc) || !ns)
		return 0;
	lrs = ns_limitranges(st, ns);
	cJSON_ArrayForEach(lr, lrs) {
		if (pod) {
			pod_mutate(lr, obj);
			pod_validate(lr, obj, &x);
		} else {
			pvc_validate(lr, obj, &x);
		}
		if (x.n) {
			rc = err_set(e, ERR_FORBIDDEN, x.n > 1 ? "%s \"%s\" is forbidden: [%s]" : "%s \"%s\" is forbidden: %s",
				     k->plural, name, buf_cstr(&x.b));
			break;
		}
	}
	if (pod)
		quota_pod_qos(obj);
	buf_free(&x.b);
	cJSON_Delete(lrs);
	return rc;
}
