/* SPDX-License-Identifier: Apache-2.0 */
/*
 * err: error values with Kubernetes semantics.  The table below is the
 * single place where an error code meets its HTTP status and Status.reason.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"

static const struct {
	int status;
	const char *reason;
} err_table[ERR__COUNT] = {
	[ERR_OK] = { 200, "" },
	[ERR_BAD_REQUEST] = { 400, "BadRequest" },
	[ERR_UNAUTHORIZED] = { 401, "Unauthorized" },
	[ERR_FORBIDDEN] = { 403, "Forbidden" },
	[ERR_NOT_FOUND] = { 404, "NotFound" },
	[ERR_METHOD] = { 405, "MethodNotAllowed" },
	[ERR_NOT_ACCEPTABLE] = { 406, "NotAcceptable" },
	[ERR_ALREADY_EXISTS] = { 409, "AlreadyExists" },
	[ERR_CONFLICT] = { 409, "Conflict" },
	[ERR_GONE] = { 410, "Expired" },
	[ERR_TOO_LARGE] = { 413, "RequestEntityTooLarge" },
	[ERR_MEDIA_TYPE] = { 415, "UnsupportedMediaType" },
	[ERR_INVALID] = { 422, "Invalid" },
	[ERR_TOO_MANY] = { 429, "TooManyRequests" },
	[ERR_INTERNAL] = { 500, "InternalError" },
	[ERR_UNAVAILABLE] = { 503, "ServiceUnavailable" },
	[ERR_TIMEOUT] = { 504, "Timeout" },
	[ERR_IO] = { 500, "InternalError" },
	[ERR_PARSE] = { 400, "BadRequest" },
};

void err_clear(struct err *e)
{
	if (!e)
		return;
	e->code = ERR_OK;
	e->msg[0] = '\0';
	e->ncauses = 0;
}

int err_set(struct err *e, enum err_code code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	e->code = code;
	e->ncauses = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int err_wrap(struct err *e, const char *fmt, ...)
{
	char prefix[ERR_MSG_MAX], old[ERR_MSG_MAX];
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	snprintf(e->msg, sizeof(e->msg), "%s: %s", prefix, old);
	return -1;
}

int err_cause(struct err *e, const char *reason, const char *field,
	      const char *fmt, ...)
{
	struct err_cause *c;
	va_list ap;

	if (!e || e->ncauses >= ERR_CAUSES_MAX)
		return -1;
	c = &e->causes[e->ncauses++];
	snprintf(c->reason, sizeof(c->reason), "%s", reason ? reason : "");
	snprintf(c->field, sizeof(c->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(c->message, sizeof(c->message), fmt, ap);
	va_end(ap);
	return -1;
}

void err_copy(struct err *dst, const struct err *src)
{
	if (dst && src && dst != src)
		memcpy(dst, src, sizeof(*dst));
}

int err_http_status(enum err_code code)
{
	if ((unsigned)code >= ERR__COUNT)
		return 500;
	return err_table[code].status;
}

const char *err_reason(enum err_code code)
{
	if ((unsigned)code >= ERR__COUNT)
		return "InternalError";
	return err_table[code].reason;
}

enum err_code err_from_http(int status)
{
	switch (status) {
	case 409:
		return ERR_CONFLICT;
	case 500:
		return ERR_INTERNAL;
	case 400:
		return ERR_BAD_REQUEST;
	}
	for (int i = 1; i < ERR__COUNT; i++)
		if (err_table[i].status == status)
			return (enum err_code)i;
	if (status >= 200 && status < 300)
		return ERR_OK;
	return status >= 500 ? ERR_INTERNAL : ERR_BAD_REQUEST;
}
