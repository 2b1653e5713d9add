/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_obj: helpers the REST handlers share: store keys for a route,
 * timestamps, request body decoding (JSON, protobuf via pb_decode),
 * per-kind selectable fields (fieldSelector) and the list/watch filter
 * built from labelSelector and fieldSelector.
 *
 * The selector grammar here is the equality/set subset kubectl, helm and
 * client-go send (k=v, k==v, k!=v, k, !k, k in (..), k notin (..));
 * it moves to common/selector.h once that lands on main.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/api_int.h"
#include "cluster/pb.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/vec.h"

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

	json_set_str(obj, "apiVersion", reg_api_version(k, av, sizeof(av)));
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

	if (!strncmp(ct, "application/vnd.kubernetes.protobuf", 35))
		return pb_decode(req->body, req->body_len, e);
	if (strncmp(ct, "application/json", 16) && strncmp(ct, "*/*", 3)) {
		err_set(e, ERR_MEDIA_TYPE, "the body of the request was in an unknown format - accepted media types include: application/json, application/vnd.kubernetes.protobuf");
		return NULL;
	}
	if (!req->body_len) {
		err_set(e, ERR_BAD_REQUEST, "Object 'Kind' is missing in ''");
		return NULL;
	}
	obj = json_parse(req->body, req->body_len, e);
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

/* --- filters --- */

enum term_op { T_EQ, T_NE, T_EXISTS, T_NOT_EXISTS, T_IN, T_NOT_IN };

struct term {
	char *key;
	enum term_op op;
	struct vec values;	/* char * */
};

struct api_filter {
	struct vec labels;	/* struct term * */
	struct vec fields;	/* struct term * (T_EQ / T_NE) */
};

static void term_free(void *p)
{
	struct term *t = p;

	if (!t)
		return;
	free(t->key);
	vec_free(&t->values, free);
	free(t);
}

static char *trim_dup(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* Split on commas outside parentheses. */
static void split_terms(const char *s, struct vec *out)
{
	int depth = 0;
	const char *start = s;

	for (const char *p = s;; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		if (*p == 0 || (*p == ',' && depth == 0)) {
			char *t = trim_dup(start, (size_t)(p - start));

			if (*t)
				vec_push(out, t);
			else
				free(t);
			if (!*p)
				break;
			start = p + 1;
		}
	}
}

static int set_values(struct term *t, const char *open, struct err *e)
{
	const char *close = strrchr(open, ')');
	char *inner;
	struct vec parts = VEC_INIT;

	if (!close || close[1])
		return err_set(e, ERR_BAD_REQUEST, "unable to parse requirement: found '', expected: ')'");
	inner = xstrndup(open + 1, (size_t)(close - open - 1));
	split_terms(inner, &parts);
	free(inner);
	for (size_t i = 0; i < parts.len; i++)
		vec_push(&t->values, parts.items[i]);
	vec_free(&parts, NULL);
	return 0;
}

static int parse_label_term(const char *s, struct term *t, struct err *e)
{
	const char *p;

	if (s[0] == '!') {
		t->op = T_NOT_EXISTS;
		t->key = trim_dup(s + 1, strlen(s + 1));
	} else if ((p = strstr(s, "!="))) {
		t->op = T_NE;
		t->key = trim_dup(s, (size_t)(p - s));
		vec_push(&t->values, trim_dup(p + 2, strlen(p + 2)));
	} else if ((p = strchr(s, '='))) {
		t->op = T_EQ;
		t->key = trim_dup(s, (size_t)(p - s));
		p += p[1] == '=' ? 2 : 1;
		vec_push(&t->values, trim_dup(p, strlen(p)));
	} else if ((p = strstr(s, " notin ")) || (p = strstr(s, " in "))) {
		bool notin = p[1] == 'n';
		const char *open = strchr(p, '(');

		t->op = notin ? T_NOT_IN : T_IN;
		t->key = trim_dup(s, (size_t)(p - s));
		if (!open)
			return err_set(e, ERR_BAD_REQUEST, "unable to parse requirement: found '', expected: '('");
		return set_values(t, open, e);
	} else {
		t->op = T_EXISTS;
		t->key = xstrdup(s);
	}
	if (!t->key[0])
		return err_set(e, ERR_BAD_REQUEST, "unable to parse requirement: found '', expected: identifier");
	return 0;
}

static int parse_terms(const char *s, struct vec *out, bool field,
		       const struct reg_kind *k, struct err *e)
{
	struct vec parts = VEC_INIT;
	int rc = 0;

	split_terms(s, &parts);
	for (size_t i = 0; i < parts.len && rc == 0; i++) {
		struct term *t = xcalloc(1, sizeof(*t));

		vec_push(out, t);
		rc = parse_label_term(parts.items[i], t, e);
		if (rc == 0 && field && t->op != T_EQ && t->op != T_NE)
			rc = err_set(e, ERR_BAD_REQUEST, "invalid selector: '%s'; can't understand '%s'",
				     s, (char *)parts.items[i]);
		if (rc == 0 && field)
			rc = api_field_check(k, t->key, e);
	}
	vec_free(&parts, free);
	return rc;
}

int api_filter_new(const struct api_req *req, const struct reg_kind *k,
		   struct api_filter **out, struct err *e)
{
	struct api_filter *f = xcalloc(1, sizeof(*f));
	const char *ls = api_query(req, "labelSelector");
	const char *fs = api_query(req, "fieldSelector");

	if ((ls && parse_terms(ls, &f->labels, false, k, e) < 0) ||
	    (fs && parse_terms(fs, &f->fields, true, k, e) < 0)) {
		api_filter_free(f);
		return -1;
	}
	*out = f;
	return 0;
}

void api_filter_free(struct api_filter *f)
{
	if (!f)
		return;
	vec_free(&f->labels, term_free);
	vec_free(&f->fields, term_free);
	free(f);
}

bool api_filter_empty(const struct api_filter *f)
{
	return !f || (!f->labels.len && !f->fields.len);
}

static bool in_values(const struct term *t, const char *v)
{
	for (size_t i = 0; i < t->values.len; i++)
		if (!strcmp(t->values.items[i], v))
			return true;
	return false;
}

static bool term_match(const struct term *t, const char *v)
{
	switch (t->op) {
	case T_EQ: case T_IN: return v && in_values(t, v);
	case T_NE: case T_NOT_IN: return !v || !in_values(t, v);
	case T_EXISTS: return v != NULL;
	case T_NOT_EXISTS: return v == NULL;
	}
	return false;
}

bool api_filter_match(const struct api_filter *f, const struct reg_kind *k,
		      const cJSON *obj)
{
	const cJSON *labels;
	char tmp[32];

	if (api_filter_empty(f))
		return true;
	labels = json_get(obj, "metadata.labels");
	for (size_t i = 0; i < f->labels.len; i++) {
		const struct term *t = f->labels.items[i];
		const cJSON *v = labels ? cJSON_GetObjectItemCaseSensitive(labels, t->key) : NULL;

		if (!term_match(t, cJSON_IsString(v) ? v->valuestring : NULL))
			return false;
	}
	for (size_t i = 0; i < f->fields.len; i++) {
		const struct term *t = f->fields.items[i];

		if (!term_match(t, api_field_value(k, obj, t->key, tmp, sizeof(tmp))))
			return false;
	}
	return true;
}
