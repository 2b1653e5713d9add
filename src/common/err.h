/* SPDX-License-Identifier: Apache-2.0 */
/*
 * err: the one error type of kdeck.
 *
 * Every fallible function returns 0 on success or -1 on failure and fills a
 * caller-provided struct err.  The code maps 1:1 onto an HTTP status and a
 * Kubernetes Status.reason, so the API server can turn any error into a
 * Status object and the dashboard into a flash message without translation
 * tables of its own.  A struct err owns no heap memory: it is safe to copy,
 * to leave on the stack and to ignore.
 */
#ifndef KDECK_COMMON_ERR_H
#define KDECK_COMMON_ERR_H

#include <stddef.h>

enum err_code {
	ERR_OK = 0,
	ERR_BAD_REQUEST,	/* 400 BadRequest */
	ERR_UNAUTHORIZED,	/* 401 Unauthorized */
	ERR_FORBIDDEN,		/* 403 Forbidden */
	ERR_NOT_FOUND,		/* 404 NotFound */
	ERR_METHOD,		/* 405 MethodNotAllowed */
	ERR_NOT_ACCEPTABLE,	/* 406 NotAcceptable */
	ERR_ALREADY_EXISTS,	/* 409 AlreadyExists */
	ERR_CONFLICT,		/* 409 Conflict */
	ERR_GONE,		/* 410 Expired */
	ERR_TOO_LARGE,		/* 413 RequestEntityTooLarge */
	ERR_MEDIA_TYPE,		/* 415 UnsupportedMediaType */
	ERR_INVALID,		/* 422 Invalid */
	ERR_TOO_MANY,		/* 429 TooManyRequests */
	ERR_INTERNAL,		/* 500 InternalError */
	ERR_UNAVAILABLE,	/* 503 ServiceUnavailable */
	ERR_TIMEOUT,		/* 504 Timeout */
	ERR_IO,			/* 500: local I/O (files, sockets) */
	ERR_PARSE,		/* 400: malformed input text */
	ERR__COUNT
};

#define ERR_MSG_MAX 1024
#define ERR_CAUSES_MAX 8

/* One entry of Status.details.causes. */
struct err_cause {
	char reason[48];	/* FieldValueInvalid, FieldValueRequired, ... */
	char field[160];	/* metadata.name, spec.replicas, ... */
	char message[512];
};

struct err {
	enum err_code code;
	char msg[ERR_MSG_MAX];
	size_t ncauses;
	struct err_cause causes[ERR_CAUSES_MAX];
};

/* Reset to ERR_OK with an empty message.  NULL is accepted. */
void err_clear(struct err *e);

/*
 * Set code and a printf-style message; drops earlier causes.  Always
 * returns -1 so callers can write `return err_set(e, ...)`.  e may be NULL.
 */
int err_set(struct err *e, enum err_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix the current message with "prefix: " (printf-style).  Returns -1. */
int err_wrap(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append a cause (silently dropped past ERR_CAUSES_MAX).  Returns -1. */
int err_cause(struct err *e, const char *reason, const char *field,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Copy *src to *dst (dst may be NULL). */
void err_copy(struct err *dst, const struct err *src);

int err_http_status(enum err_code code);
/* Kubernetes Status.reason for the code, e.g. "NotFound". */
const char *err_reason(enum err_code code);
/* The code for an HTTP status as a client sees it (inverse of the above). */
enum err_code err_from_http(int status);

#endif
