/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_call: in-process API requests for the cluster's own components
 * (controllers, scheduler, node agent).  The request goes through
 * api_handle() exactly like an HTTP one (routing, authorization,
 * admission, the store), so components see the same validation,
 * resourceVersions and watch events as any client.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/api.h"
#include "cluster/http.h"
#include "common/json.h"

int api_call(struct api *api, const char *user, const char *const *groups,
	     const char *method, const char *path, const cJSON *body,
	     cJSON **out)
{
	static char grp_auth[] = "system:authenticated";
	static char grp_masters[] = "system:masters";
	char *dflt[] = { grp_masters, grp_auth, NULL };
	struct user_info u = { .name = (char *)user, .uid = (char *)"",
			       .groups = groups ? (char **)groups : dflt };
	struct api_req req;
	struct api_resp resp;
	char *text = body ? json_print(body) : NULL;
	int status;

	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	buf_init(&resp.body);
	req.method = method;
	req.path = path;
	req.content_type = "application/json";
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
	free(text);
	return status;
}
