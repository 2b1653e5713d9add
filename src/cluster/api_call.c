/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_call: in-process API requests for the cluster's own components
 * (controllers, scheduler, node agent).  The request goes through
 * api_handle() exactly like an HTTP one (routing, authorization,
 * admission, the store), so components see the same validation,
 * resourceVersions and watch events as any client.  The path may carry
 * a query string ("pods?fieldSelector=spec.nodeName%3Dn1"), split and
 * percent-decoded here as the HTTP server does it for network requests.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/api.h"
#include "cluster/http.h"
#include "common/json.h"
#include "common/mem.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent- and plus-decode s in place. */
static char *unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (*r == '%' && hexval(r[1]) >= 0 && hexval(r[2]) >= 0) {
			*w++ = (char)(hexval(r[1]) * 16 + hexval(r[2]));
			r += 2;
		} else {
			*w++ = *r == '+' ? ' ' : *r;
		}
	}
	*w = '\0';
	return s;
}

/* Split q ("a=1&b=2", modified) into req->query (malloc'd array). */
static void parse_query(struct api_req *req, char *q)
{
	size_t n = 1;

	for (const char *p = q; *p; p++)
		n += *p == '&';
	req->query = xcalloc(n, sizeof(*req->query));
	for (char *save = NULL, *kv = strtok_r(q, "&", &save); kv;
	     kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');

		if (eq)
			*eq++ = '\0';
		req->query[req->nquery].key = unescape(kv);
		req->query[req->nquery].value = unescape(eq ? eq : kv + strlen(kv));
		req->nquery++;
	}
}

int api_call(struct api *api, const char *user, const char *const *groups,
	     const char *method, const char *path, const cJSON *body,
	     cJSON **out)
{
	return api_call_ct(api, user, groups, method, path, "application/json",
			   body, out);
}

int api_call_ct(struct api *api, const char *user, const char *const *groups,
		const char *method, const char *path, const char *content_type,
		const cJSON *body, cJSON **out)
{
	static char grp_auth[] = "system:authenticated";
	static char grp_masters[] = "system:masters";
	char *dflt[] = { grp_masters, grp_auth, NULL };
	struct user_info u = { .name = (char *)user, .uid = (char *)"",
			       .groups = groups ? (char **)groups : dflt };
	struct api_req req;
	struct api_resp resp;
	char *text = body ? json_print(body) : NULL;
	char *p = xstrdup(path), *q = strchr(p, '?');
	int status;

	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	buf_init(&resp.body);
	req.method = method;
	if (q) {
		*q++ = '\0';
		parse_query(&req, q);
	}
	req.path = p;
	req.content_type = content_type;
	req.accept = "application/json";
	req.user_agent = "kdeck-controller";
	req.body = text ? text : "";
	req.body_len = text ? strlen(text) : 0;
	req.user = &u;
	req.remote_addr = "127.0.0.1";
	api_handle(api, &req, &resp);
	status = resp.status;
	if (resp.stream) {	/* never asked for; be safe */
		resp.stream->close(resp.stream->ctx);
		free(resp.stream);
	}
	if (out)
		*out = resp.body.len ? cJSON_ParseWithLength(resp.body.data,
							     resp.body.len)
				     : NULL;
	buf_free(&resp.body);
	free(req.query);
	free(p);
	free(text);
	return status;
}
