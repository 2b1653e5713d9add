/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Temporary link placeholders for the cluster parts under construction.
 * Each part's owner deletes its section when its real code lands.
 */
#include "config.h"

#include "cluster/api.h"
#include "cluster/authz.h"
#include "cluster/pb.h"
#include "cluster/store.h"

/* --- api (api.mk) --- */
int api_new(const struct api_config *cfg, struct store *st, struct authz *az,
	    struct api **out, struct err *e)
{
	return err_set(e, ERR_UNAVAILABLE, "api not built yet");
}
void api_free(struct api *api) {}
int api_bootstrap(struct api *api, struct err *e) { return 0; }
void api_metrics(struct api *api, struct buf *out) {}
void api_handle(struct api *api, const struct api_req *req,
		struct api_resp *resp)
{
	resp->status = 503;
	resp->content_type = "text/plain";
	buf_adds(&resp->body, "api not built yet\n");
}
