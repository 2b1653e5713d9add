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

/* --- authz (rbac.mk) --- */
int authz_new(struct store *st, struct authz **out, struct err *e)
{
	return err_set(e, ERR_UNAVAILABLE, "authz not built yet");
}
void authz_free(struct authz *az) {}
int authz_bootstrap(struct authz *az, struct err *e) { return 0; }
bool authz_allowed(struct authz *az, const struct user_info *user,
		   const struct authz_attrs *a, char *reason, size_t n)
{
	return false;
}

/* --- pb (pb.mk) --- */
cJSON *pb_decode(const void *body, size_t len, struct err *e)
{
	err_set(e, ERR_MEDIA_TYPE, "protobuf not built yet");
	return NULL;
}

/* --- store (store.mk) --- */
int store_open(const struct store_options *opt, struct store **out,
	       struct err *e)
{
	return err_set(e, ERR_UNAVAILABLE, "store not built yet");
}
void store_close(struct store *st) {}
