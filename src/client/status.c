/* SPDX-License-Identifier: Apache-2.0 */
/*
 * status: turn a failed HTTP answer into a struct err.  A Kubernetes
 * Status body gives the message and reason (the reason picks the code, so
 * AlreadyExists and Conflict stay apart though both are 409) and the
 * field causes; any other body gives a generic message like kubectl's.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "client/private.h"

static enum err_code status_code_from_reason(const char *reason, int http)
{
	for (int c = ERR_OK + 1; reason && c < ERR_IO; c++)
		if (!strcmp(err_reason((enum err_code)c), reason))
			return (enum err_code)c;
	return err_from_http(http);
}

static void status_causes(const cJSON *body, struct err *e)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(
				      cJSON_GetObjectItemCaseSensitive(
					      body, "details"), "causes")) {
		const char *r = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(c, "reason"));
		const char *f = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(c, "field"));
		const char *m = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(c, "message"));
		err_cause(e, r ? r : "", f ? f : "", "%s", m ? m : "");
	}
}

void client_status_err(int http_status, const cJSON *body, const char *raw,
		       size_t raw_len, struct err *e)
{
	const char *kind = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(body, "kind"));
	const char *msg = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(body, "message"));
	const char *reason = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(body, "reason"));
	int n;

	if (kind && !strcmp(kind, "Status") && msg) {
		err_set(e, status_code_from_reason(reason, http_status), "%s",
			msg);
		status_causes(body, e);
		return;
	}
	if (http_status == 404) {
		err_set(e, ERR_NOT_FOUND,
			"the server could not find the requested resource");
		return;
	}
	n = raw_len > 200 ? 200 : (int)raw_len;
	while (n > 0 && (raw[n - 1] == '\n' || raw[n - 1] == '\r'))
		n--;
	err_set(e, err_from_http(http_status),
		"the server responded with status %d%s%.*s", http_status,
		n ? ": " : "", n, raw ? raw : "");
}
