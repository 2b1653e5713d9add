/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit: the rule table and the rules every kind shares (object names,
 * labels, annotations, immutable metadata), plus the Invalid message.
 * Per-kind defaulting and validation live in admit_kinds.c; this file
 * only looks them up in admit_rules[].
 *
 * Covered: name format per kind (DNS-1123 subdomain, DNS-1123 label for
 * Namespaces, DNS-1035 label for Services, path segment for RBAC), label
 * keys/values, annotation keys and total size, generateName (resolved by
 * the caller), immutable metadata.name/namespace/uid/creationTimestamp,
 * and the per-kind rules listed in admit_kinds.c.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/admit.h"
#include "cluster/admit_int.h"
#include "cluster/crd.h"
#include "common/json.h"
#include "common/buf.h"
#include "common/mem.h"

static const char subdomain_msg[] =
	"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
static const char label_msg[] =
	"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
static const char dns1035_msg[] =
	"a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
static const char qname_msg[] =
	"name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
static const char lvalue_msg[] =
	"a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

bool admit_is_label(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63 || !isalnum((unsigned char)s[0]) ||
	    !isalnum((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
			return false;
	return true;
}

bool admit_is_subdomain(const char *s)
{
	char part[254];
	size_t n = strlen(s);

	if (n == 0 || n > 253)
		return false;
	for (const char *p = s;;) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);

		memcpy(part, p, len);
		part[len] = 0;
		if (!admit_is_label(part))
			return false;
		if (!dot)
			return true;
		p = dot + 1;
	}
}

static bool is_dns1035(const char *s)
{
	return admit_is_label(s) && islower((unsigned char)s[0]);
}

static bool qname_part(const char *s, size_t n)
{
	if (n == 0 || n > 63 || !isalnum((unsigned char)s[0]) ||
	    !isalnum((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("-_.", s[i]))
			return false;
	return true;
}

/* validation.IsQualifiedName: NULL or the error body. */
static const char *check_qualified(const char *key, char *buf, size_t n)
{
	const char *slash = strchr(key, '/');
	const char *name = slash ? slash + 1 : key;

	if (slash) {
		char prefix[254];
		size_t pl = (size_t)(slash - key);

		if (pl == 0 || pl > 253)
			return "prefix part must be non-empty";
		memcpy(prefix, key, pl);
		prefix[pl] = 0;
		if (!admit_is_subdomain(prefix)) {
			snprintf(buf, n, "prefix part %s", subdomain_msg);
			return buf;
		}
	}
	if (!*name)
		return "name part must be non-empty";
	if (strlen(name) > 63)
		return "name part must be no more than 63 characters";
	return qname_part(name, strlen(name)) ? NULL : qname_msg;
}

void admit_label_name(struct err *e, const char *field, const char *key)
{
	char buf[512];
	const char *msg;

	if (!*key) {
		admit_invalid(e, field, key, "name part must be non-empty");
		admit_invalid(e, field, key, qname_msg);
		return;
	}
	if ((msg = check_qualified(key, buf, sizeof(buf))))
		admit_invalid(e, field, key, msg);
}

void admit_label_value(struct err *e, const char *field, const char *v)
{
	if (strlen(v) > 63)
		admit_invalid(e, field, v, "must be no more than 63 characters");
	else if (*v && !qname_part(v, strlen(v)))
		admit_invalid(e, field, v, lvalue_msg);
}

static bool is_path_segment(const char *s)
{
	return strcmp(s, ".") && strcmp(s, "..") && !strchr(s, '/') && !strchr(s, '%');
}

const char *admit_check_name(const struct reg_kind *k, const char *name,
			     char *buf, size_t n)
{
	const struct admit_rule *r = admit_rule_for(k->kind);
	enum admit_name rule = r ? r->name_rule : ADMIT_NAME_SUBDOMAIN;

	switch (rule) {
	case ADMIT_NAME_LABEL:
		if (strlen(name) > 63)
			return "must be no more than 63 characters";
		return admit_is_label(name) ? NULL : label_msg;
	case ADMIT_NAME_DNS1035:
		if (strlen(name) > 63)
			return "must be no more than 63 characters";
		return is_dns1035(name) ? NULL : dns1035_msg;
	case ADMIT_NAME_PATH:
		if (is_path_segment(name))
			return NULL;
		snprintf(buf, n, "may not contain '/'");
		return buf;
	case ADMIT_NAME_SUBDOMAIN:
		break;
	}
	if (strlen(name) > 253)
		return "must be no more than 253 characters";
	return admit_is_subdomain(name) ? NULL : subdomain_msg;
}

void admit_invalid(struct err *e, const char *field, const char *value,
		   const char *detail)
{
	err_cause(e, "FieldValueInvalid", field, "Invalid value: \"%s\": %s",
		  value, detail);
}

static void check_labels(const cJSON *obj, const char *path, struct err *e)
{
	const cJSON *it;
	char buf[512];

	cJSON_ArrayForEach(it, json_get(obj, path)) {
		const char *msg = check_qualified(it->string, buf, sizeof(buf));
		const char *v = cJSON_IsString(it) ? it->valuestring : "";

		if (msg)
			admit_invalid(e, path, it->string, msg);
		else if (strlen(v) > 63)
			admit_invalid(e, path, v, "must be no more than 63 characters");
		else if (*v && !qname_part(v, strlen(v)))
			admit_invalid(e, path, v, lvalue_msg);
	}
}

static void check_annotations(const cJSON *obj, struct err *e)
{
	const cJSON *it;
	size_t total = 0;
	char buf[512];

	cJSON_ArrayForEach(it, json_get(obj, "metadata.annotations")) {
		const char *msg = check_qualified(it->string, buf, sizeof(buf));

		if (msg)
			admit_invalid(e, "metadata.annotations", it->string, msg);
		total += strlen(it->string) +
			 (cJSON_IsString(it) ? strlen(it->valuestring) : 0);
	}
	if (total > 256 * 1024)
		err_cause(e, "FieldValueTooLong", "metadata.annotations",
			  "Too long: must have at most 262144 bytes");
}

static void check_meta(const struct reg_kind *k, const cJSON *obj,
		       struct err *e)
{
	const char *name = json_get_str(obj, "metadata.name");
	char buf[256];
	const char *msg;

	if (!name || !*name)
		err_cause(e, "FieldValueRequired", "metadata.name",
			  "Required value: name or generateName is required");
	else if ((msg = admit_check_name(k, name, buf, sizeof(buf))))
		admit_invalid(e, "metadata.name", name, msg);
	check_labels(obj, "metadata.labels", e);
	check_annotations(obj, e);
}

int admit_finish(struct err *e, const char *kind, const char *name)
{
	struct buf b = BUF_INIT;

	if (!e->ncauses)
		return 0;
	for (size_t i = 0; i < e->ncauses; i++) {
		const struct err_cause *c = &e->causes[i];

		buf_printf(&b, "%s%s%s%s", i ? ", " : "", c->field,
			   c->field[0] ? ": " : "", c->message);
	}
	e->code = ERR_INVALID;
	if (e->ncauses == 1)
		snprintf(e->msg, sizeof(e->msg), "%s \"%s\" is invalid: %s", kind, name, buf_cstr(&b));
	else
		snprintf(e->msg, sizeof(e->msg), "%s \"%s\" is invalid: [%s]", kind, name, buf_cstr(&b));
	buf_free(&b);
	return -1;
}

const char *admit_qualified_kind(const struct reg_kind *k, char *buf, size_t n)
{
	if (k->flags & REG_CUSTOM)
		return crd_qualified_kind(k, buf, n);
	if (k->group[0])
		snprintf(buf, n, "%s.%s", k->kind, k->group);
	else
		snprintf(buf, n, "%s", k->kind);
	return buf;
}

/* Built-in rules by kind; none for custom kinds (crd.h has theirs). */
static const struct admit_rule *rule_of(const struct reg_kind *k)
{
	return (k->flags & REG_CUSTOM) ? NULL : admit_rule_for(k->kind);
}

static bool is_crd(const struct reg_kind *k)
{
	return !strcmp(k->group, "apiextensions.k8s.io") &&
	       !strcmp(k->kind, "CustomResourceDefinition");
}

static int validate(const struct reg_kind *k, cJSON *obj, const cJSON *old,
		    struct err *e)
{
	const struct admit_rule *r = rule_of(k);
	const char *name = json_get_str(obj, "metadata.name");
	char qk[256];

	check_meta(k, obj, e);
	if (r && r->validate)
		r->validate(obj, e);
	if (k->flags & REG_CUSTOM)
		crd_validate(k, obj, old, e);
	else if (is_crd(k))
		crd_admit_crd(obj, old, e);
	return admit_finish(e, admit_qualified_kind(k, qk, sizeof(qk)),
			    name ? name : "");
}

int admit_create(const struct reg_kind *k, cJSON *obj, struct err *e)
{
	const struct admit_rule *r = rule_of(k);

	err_clear(e);
	if (admit_decode_check(k, obj, e) < 0)
		return -1;
	if (r && r->defaults)
		r->defaults(obj, true);
	if (crd_terminating(k))
		return err_set(e, ERR_METHOD, "create not allowed while custom resource definition is terminating");
	if (k->flags & REG_CUSTOM)
		crd_default(k, obj);
	return validate(k, obj, NULL, e);
}

static void immutable(const cJSON *old, const cJSON *nw, const char *path,
		      struct err *e)
{
	const cJSON *a = json_get(old, path), *b = json_get(nw, path);

	if (!json_equal(a, b)) {
		char *s = b ? cJSON_PrintUnformatted(b) : xstrdup("null");

		if (cJSON_IsString(b))
			admit_invalid(e, path, b->valuestring, "field is immutable");
		else
			err_cause(e, "FieldValueInvalid", path, "Invalid value: %s: field is immutable", s);
		free(s);
	}
}

int admit_update(const struct reg_kind *k, const cJSON *old, cJSON *obj,
		 struct err *e)
{
	const struct admit_rule *r = rule_of(k);
	const char *name = json_get_str(obj, "metadata.name");
	char qk[256];

	err_clear(e);
	if (admit_decode_check(k, obj, e) < 0)
		return -1;
	if (r && r->defaults)
		r->defaults(obj, false);
	if (k->flags & REG_CUSTOM)
		crd_default(k, obj);
	immutable(old, obj, "metadata.name", e);
	immutable(old, obj, "metadata.namespace", e);
	if (is_crd(k))
		immutable(old, obj, "spec.scope", e);
	if (r && r->immutable)
		r->immutable(old, obj, e);
	if (e->ncauses)
		return admit_finish(e, admit_qualified_kind(k, qk, sizeof(qk)),
				    name ? name : "");
	return validate(k, obj, old, e);
}

void admit_immutable(const cJSON *old, const cJSON *nw, const char *path,
		     struct err *e)
{
	immutable(old, nw, path, e);
}
