/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit_util: the field-error builders every kind's rules share, worded
 * as apimachinery's field.Error renders them (`Required value`,
 * `Unsupported value: "x": supported values: "a", "b"`, `Invalid value:
 * 5: detail`...), and the small name checkers (IANA service port names,
 * DNS-1123 with a wildcard, port numbers).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cluster/admit_int.h"
#include "common/buf.h"
#include "common/json.h"

void admit_field(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, n, fmt, ap);
	va_end(ap);
}

void admit_required(struct err *e, const char *field, const char *detail)
{
	if (detail && *detail)
		err_cause(e, "FieldValueRequired", field, "Required value: %s", detail);
	else
		err_cause(e, "FieldValueRequired", field, "Required value");
}

void admit_forbidden(struct err *e, const char *field, const char *detail)
{
	err_cause(e, "FieldValueForbidden", field, "Forbidden: %s", detail);
}

void admit_invalid_int(struct err *e, const char *field, long long v,
		       const char *detail)
{
	err_cause(e, "FieldValueInvalid", field, "Invalid value: %lld: %s", v,
		  detail);
}

void admit_not_found(struct err *e, const char *field, const char *value)
{
	err_cause(e, "FieldValueNotFound", field, "Not found: \"%s\"", value);
}

void admit_duplicate(struct err *e, const char *field, const char *value)
{
	err_cause(e, "FieldValueDuplicate", field, "Duplicate value: \"%s\"", value);
}

void admit_not_supported(struct err *e, const char *field, const char *value,
			 const char *const *valid)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; valid[i]; i++)
		buf_printf(&b, "%s\"%s\"", i ? ", " : "", valid[i]);
	err_cause(e, "FieldValueNotSupported", field,
		  "Unsupported value: \"%s\": supported values: %s", value,
		  buf_cstr(&b));
	buf_free(&b);
}

bool admit_one_of(const char *v, const char *const *valid)
{
	for (size_t i = 0; v && valid[i]; i++)
		if (!strcmp(v, valid[i]))
			return true;
	return false;
}

/* validation.IsValidPortName: its messages into msgs (up to 5). */
size_t admit_port_name_msgs(const char *s, const char **msgs)
{
	size_t n = 0, len = strlen(s);
	bool charset = len > 0, letter = false;

	for (const char *c = s; *c; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
			charset = false;
		if (*c >= 'a' && *c <= 'z')
			letter = true;
	}
	if (len > 15)
		msgs[n++] = "must be no more than 15 characters";
	if (!charset)
		msgs[n++] = "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
	if (!letter)
		msgs[n++] = "must contain at least one letter (a-z)";
	if (strstr(s, "--"))
		msgs[n++] = "must not contain consecutive hyphens";
	if (len && (s[0] == '-' || s[len - 1] == '-'))
		msgs[n++] = "must not begin or end with a hyphen";
	return n;
}

void admit_port_name(struct err *e, const char *field, const char *name)
{
	const char *msgs[5];
	size_t n = admit_port_name_msgs(name, msgs);

	for (size_t i = 0; i < n; i++)
		admit_invalid(e, field, name, msgs[i]);
}

void admit_port_num(struct err *e, const char *field, long long v)
{
	if (v < 1 || v > 65535)
		admit_invalid_int(e, field, v, "must be between 1 and 65535, inclusive");
}

/* ValidatePortNumOrName of an IntOrString at key in o (absent: nothing). */
void admit_port_num_or_name(struct err *e, const char *field, const cJSON *v)
{
	if (cJSON_IsNumber(v))
		admit_port_num(e, field, (long long)v->valuedouble);
	else if (cJSON_IsString(v))
		admit_port_name(e, field, v->valuestring);
}

static const char subdomain_msg[] =
	"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
static const char wildcard_msg[] =
	"a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/* IsDNS1123Subdomain, or IsWildcardDNS1123Subdomain when host has '*'. */
void admit_host(struct err *e, const char *field, const char *host)
{
	bool wild = strchr(host, '*') != NULL;
	const char *rest = wild && !strncmp(host, "*.", 2) ? host + 2 : host;

	if (strlen(host) > 253)
		admit_invalid(e, field, host, "must be no more than 253 characters");
	if (wild ? (rest == host || !admit_is_subdomain(rest)) : !admit_is_subdomain(host))
		admit_invalid(e, field, host, wild ? wildcard_msg : subdomain_msg);
}

/* Go's %#v of a []string. */
void admit_go_strings(const cJSON *arr, struct buf *b)
{
	const cJSON *it;
	int i = 0;

	buf_adds(b, "[]string{");
	cJSON_ArrayForEach(it, arr)
		buf_printf(b, "%s\"%s\"", i++ ? ", " : "",
			   cJSON_IsString(it) ? it->valuestring : "");
	buf_addc(b, '}');
}
