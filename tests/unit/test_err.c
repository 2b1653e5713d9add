/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <string.h>

#include "common/err.h"
#include "tests/tap.h"

static const struct {
	enum err_code code;
	int status;
	const char *reason;
} cases[] = {
	{ ERR_OK, 200, "" },
	{ ERR_BAD_REQUEST, 400, "BadRequest" },
	{ ERR_UNAUTHORIZED, 401, "Unauthorized" },
	{ ERR_FORBIDDEN, 403, "Forbidden" },
	{ ERR_NOT_FOUND, 404, "NotFound" },
	{ ERR_METHOD, 405, "MethodNotAllowed" },
	{ ERR_ALREADY_EXISTS, 409, "AlreadyExists" },
	{ ERR_CONFLICT, 409, "Conflict" },
	{ ERR_GONE, 410, "Expired" },
	{ ERR_TOO_LARGE, 413, "RequestEntityTooLarge" },
	{ ERR_MEDIA_TYPE, 415, "UnsupportedMediaType" },
	{ ERR_INVALID, 422, "Invalid" },
	{ ERR_TOO_MANY, 429, "TooManyRequests" },
	{ ERR_INTERNAL, 500, "InternalError" },
	{ ERR_UNAVAILABLE, 503, "ServiceUnavailable" },
	{ ERR_TIMEOUT, 504, "Timeout" },
};

int main(void)
{
	struct err e, copy;
	char longmsg[3000];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		is_int(err_http_status(cases[i].code), cases[i].status,
		       "status of %s", cases[i].reason);
		is_str(err_reason(cases[i].code), cases[i].reason,
		       "reason of code %d", cases[i].code);
	}
	is_int(err_http_status((enum err_code)999), 500, "unknown code is 500");
	is_str(err_reason((enum err_code)-1), "InternalError", "negative code");
	is_int(err_from_http(404), ERR_NOT_FOUND, "404 -> NotFound");
	is_int(err_from_http(409), ERR_CONFLICT, "409 -> Conflict");
	is_int(err_from_http(418), ERR_BAD_REQUEST, "unknown 4xx");
	is_int(err_from_http(502), ERR_INTERNAL, "unknown 5xx");
	is_int(err_from_http(201), ERR_OK, "2xx");

	err_clear(&e);
	is_int(err_set(&e, ERR_NOT_FOUND, "pods \"%s\" not found", "x"), -1,
	       "err_set returns -1");
	is_str(e.msg, "pods \"x\" not found", "message formatted");
	err_wrap(&e, "get %s", "pod");
	is_str(e.msg, "get pod: pods \"x\" not found", "wrap prefixes");
	is_int(err_set(NULL, ERR_INTERNAL, "x"), -1, "NULL err is fine");

	err_set(&e, ERR_INVALID, "invalid");
	for (int i = 0; i < 12; i++)
		err_cause(&e, "FieldValueInvalid", "spec.x", "bad %d", i);
	is_int((long long)e.ncauses, ERR_CAUSES_MAX, "causes are capped");
	is_str(e.causes[1].message, "bad 1", "cause message");
	err_copy(&copy, &e);
	is_str(copy.causes[0].field, "spec.x", "copy keeps causes");

	memset(longmsg, 'a', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	err_set(&e, ERR_INTERNAL, "%s", longmsg);
	is_int((long long)strlen(e.msg), ERR_MSG_MAX - 1, "long message truncated");
	err_clear(&e);
	is_int(e.code, ERR_OK, "clear resets code");
	is_int((long long)e.ncauses, 0, "clear drops causes");
	return tap_done();
}
