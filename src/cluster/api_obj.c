/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_obj: helpers the REST handlers share: store keys for a route,
 * timestamps, request body decoding (JSON, protobuf via pb_decode),
 * per-kind selectable fields (fieldSelector) and the list/watch filter
 * built from labelSelector and fieldSelector.
 * Selectors are parsed and matched by common/selector.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/api_int.h"
#include "cluster/crd.h"
#include "cluster/openapi.h"
#include "cluster/pb.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/selector.h"
#include "common/yaml.h"

char *api_prefix(const struct reg_kind *k, const char *ns)
{
	const char *g = reg_store_group(k);
	char *full = store_key(g, k->plural, ns && ns[0] ? ns : NULL, "x");
	size_t n = strlen(full);

	full[n - 1] = 0;	/* keep the trailing '/' */
	return full;
}

char *api_key(const struct api_route *rt, const char *name)
{
	return store_key(reg_store_group(rt->k), rt->k->plural,
			 reg_namespaced(rt->k) ? rt->ns : NULL, name);
}

void api_now_rfc3339(char *buf, size_t n, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void api_set_type(cJSON *obj, const struct reg_kind *k)
{
	char av[160];

	reg_api_version(k, av, sizeof(av));
	if (api_conv_applies(k))
		api_conv(obj, k->kind, av);
	json_set_str(obj, "apiVersion", av);
	json_set_str(obj, "kind", k->kind);
}

/*
 * Decode the request body by Content-Type.  Returns a new object or NULL
 * with e set (400 with the parser's message, 415 for other media types).
 */
cJSON *api_decode_body(const struct api_req *req, struct err *e)
{
	const char *ct = req->content_type ? req->content_type : "application/json";
	cJSON *obj;

	bool yaml = !strncmp(ct, "application/yaml", 16);

	if (!strncmp(ct, "application/vnd.kubernetes.protobuf", 35))
		return pb_decode(req->body, req->body_len, e);
	if (strncmp(ct, "application/json", 16) && strncmp(ct, "*/*", 3) && !yaml) {
		err_set(e, ERR_MEDIA_TYPE, "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf");
		return NULL;
	}
	if (!req->body_len) {
		err_set(e, ERR_BAD_REQUEST, "Object 'Kind' is missing in ''");
		return NULL;
	}
	obj = yaml ? kyaml_parse(req->body, req->body_len, e)
		   : json_parse(req->body, req->body_len, e);
	if (!obj) {
		e->code = ERR_BAD_REQUEST;
		return NULL;
	}
	if (!cJSON_IsObject(obj)) {
		cJSON_Delete(obj);
		err_set(e, ERR_BAD_REQUEST, "json: cannot unmarshal non-object into Go value of type struct");
		return NULL;
	}
	return obj;
}

/* --- selectable fields --- */

struct field_def {
	const char *kind;	/* NULL = every kind */
	const char *field;
	const char *path;	/* JSON path */
	const char *def;	/* value when absent */
};

static const struct field_def fields[] = {
	{ NULL, "metadata.name", "metadata.name", "" },
	{ NULL, "metadata.namespace", "metadata.namespace", "" },
	{ "Pod", "spec.nodeName", "spec.nodeName", "" },
	{ "Pod", "status.phase", "status.phase", "" },
	{ "Pod", "spec.restartPolicy", "spec.restartPolicy", "" },
	{ "Pod", "spec.schedulerName", "spec.schedulerName", "" },
	{ "Pod", "spec.serviceAccountName", "spec.serviceAccountName", "" },
	{ "Pod", "spec.hostNetwork", "spec.hostNetwork", "false" },
	{ "Pod", "status.podIP", "status.podIP", "" },
	{ "Pod", "status.nominatedNodeName", "status.nominatedNodeName", "" },
	{ "Event", "involvedObject.kind", "involvedObject.kind", "" },
	{ "Event", "involvedObject.namespace", "involvedObject.namespace", "" },
	{ "Event", "involvedObject.name", "involvedObject.name", "" },
	{ "Event", "involvedObject.uid", "involvedObject.uid", "" },
	{ "Event", "involvedObject.apiVersion", "involvedObject.apiVersion", "" },
	{ "Event", "involvedObject.resourceVersion", "involvedObject.resourceVersion", "" },
	{ "Event", "involvedObject.fieldPath", "involvedObject.fieldPath", "" },
	{ "Event", "reason", "reason", "" },
	{ "Event", "reportingComponent", "reportingComponent", "" },
	{ "Event", "source", "source.component", "" },
	{ "Event", "type", "type", "" },
	{ "Secret", "type", "type", "" },
	{ "Node", "spec.unschedulable", "spec.unschedulable", "false" },
	{ "Namespace", "status.phase", "status.phase", "" },
	{ "Job", "status.successful", "status.succeeded", "0" },
	{ "ReplicaSet", "status.replicas", "status.replicas", "0" },
	{ "ReplicationController", "status.replicas", "status.replicas", "0" },
};

static const struct field_def *field_find(const struct reg_kind *k,
					  const char *field)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if ((!fields[i].kind || !strcmp(fields[i].kind, k->kind)) &&
		    !strcmp(fields[i].field, field))
			return &fields[i];
	return NULL;
}

int api_field_check(const struct reg_kind *k, const char *field,
		    struct err *e)
{
	if (field_find(k, field))
		return 0;
	return err_set(e, ERR_BAD_REQUEST, "field label not supported: %s", field);
}

const char *api_field_value(const struct reg_kind *k, const cJSON *obj,
			    const char *field, char *buf, size_t n)
{
	const struct field_def *f = field_find(k, field);
	const cJSON *v;

	if (!f)
		return "";
	v = json_get(obj, f->path);
	if (!v && !strcmp(k->group, "events.k8s.io")) {
		char alt[128];

		v = json_get(obj, api_conv_event_path(f->path, alt, sizeof(alt)));
	}
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "true" : "false";
	if (cJSON_IsNumber(v)) {
		snprintf(buf, n, "%lld", (long long)v->valuedouble);
		return buf;
	}
	return f->def;
}

/* --- filters (common/selector.h) --- */

struct api_filter {
	struct label_selector *labels;	/* NULL = everything */
	struct field_selector *fields;	/* NULL = everything */
};

int api_filter_new(const struct api_req *req, const struct reg_kind *k,
		   struct api_filter **out, struct err *e)
{
	struct api_filter *f = xcalloc(1, sizeof(*f));
	const char *ls = api_query(req, "labelSelector");
	const char *fs = api_query(req, "fieldSelector");

	if ((ls && ls[0] && selector_parse(ls, &f->labels, e) < 0) ||
	    (fs && fs[0] && selector_field_parse(fs, &f->fields, e) < 0))
		goto fail;
	for (size_t i = 0; f->fields && i < f->fields->nterms; i++)
		if (api_field_check(k, f->fields->terms[i].field, e) < 0)
			goto fail;
	if (f->labels && selector_is_everything(f->labels)) {
		selector_free(f->labels);
		f->labels = NULL;
	}
	*out = f;
	return 0;
fail:
	e->code = ERR_BAD_REQUEST;
	api_filter_free(f);
	return -1;
}

void api_filter_free(struct api_filter *f)
{
	if (!f)
		return;
	selector_free(f->labels);
	selector_field_free(f->fields);
	free(f);
}

bool api_filter_empty(const struct api_filter *f)
{
	return !f || (!f->labels && (!f->fields || !f->fields->nterms));
}

bool api_filter_has_fields(const struct api_filter *f)
{
	return f && f->fields && f->fields->nterms;
}

bool api_filter_labels_match(const struct api_filter *f, const cJSON *labels)
{
	return !f || !f->labels || selector_matches(f->labels, labels);
}

struct field_ctx {
	const struct reg_kind *k;
	const cJSON *obj;
	char buf[32];
};

static const char *field_get(const char *field, void *arg)
{
	struct field_ctx *c = arg;

	return api_field_value(c->k, c->obj, field, c->buf, sizeof(c->buf));
}

bool api_filter_match(const struct api_filter *f, const struct reg_kind *k,
		      const cJSON *obj)
{
	struct field_ctx c = { k, obj, "" };

	if (api_filter_empty(f))
		return true;
	if (f->labels && !selector_matches(f->labels, json_get(obj, "metadata.labels")))
		return false;
	return !f->fields || selector_field_matches(f->fields, field_get, &c);
}

/* One Warning header per request: 299 - "<text>" with the quotes escaped. */
static void warn_header(struct api_resp *resp, const char *text)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "299 - \"");
	for (const char *c = text; *c; c++) {
		if (*c == '"' || *c == '\\')
			buf_addc(&b, '\\');
		buf_addc(&b, *c);
	}
	buf_addc(&b, '"');
	api_resp_header(resp, "Warning", buf_cstr(&b));
	buf_free(&b);
}

int api_check_fields(const struct api_req *req, const struct api_route *rt,
		     cJSON *obj, struct api_resp *resp, struct err *e)
{
	const char *fv = api_query(req, "fieldValidation");
	bool strict = fv && !strcmp(fv, "Strict");
	char *unk;
	int rc = 0;

	if (fv && !strict && strcmp(fv, "Warn") && strcmp(fv, "Ignore"))
		return err_set(e, ERR_BAD_REQUEST, "fieldValidation parameter unsupported: %s", fv);
	if (!(rt->k->flags & REG_CUSTOM) && strcmp(req->method, "PATCH") &&
	    (unk = openapi_type_error(rt->k->group, rt->k->version, rt->k->kind, obj))) {
		/* a value of the wrong type fails decoding, whatever fieldValidation
		 * says (a patch is checked once applied: api_patch.c) */
		rc = err_set(e, ERR_BAD_REQUEST, "%s in version \"%s\" cannot be handled as a %s: %s",
			     rt->k->kind, rt->k->version, rt->k->kind, unk);
		free(unk);
		return rc;
	}
	unk = (rt->k->flags & REG_CUSTOM)
	      ? crd_unknown_fields(rt->k, obj, !strict)
	      : openapi_unknown_fields(rt->k->group, rt->k->version, rt->k->kind, obj, !strict);
	if (!unk)
		return 0;
	if (strict)
		rc = err_set(e, ERR_BAD_REQUEST, "%s in version \"%s\" cannot be handled as a %s: strict decoding error: %s",
			     rt->k->kind, rt->k->version, rt->k->kind, unk);
	else if (strcmp(fv ? fv : "Warn", "Ignore"))
		warn_header(resp, unk);
	free(unk);
	return rc;
}

int api_guard_rbac(struct api *api, const struct api_req *req,
		   const struct api_route *rt, const cJSON *obj, struct err *e)
{
	if (strcmp(rt->k->group, "rbac.authorization.k8s.io") || rt->sub[0] ||
	    !api->az || !req->user)
		return 0;
	return authz_check_escalation(api->az, req->user, rt->k->kind, obj, e);
}
