/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_rbac_rules: RBAC documents of any shape through the authorizer.
 *
 * The input is JSON: a Role/ClusterRole/binding object, or an array of
 * them.  They are fed to an in-memory authorizer (with the bootstrap
 * roles, so aggregation runs over them), then a fixed set of requests is
 * decided, a rules review is made, the bootstrap runs again (reconciling
 * default objects the input replaced) and each object goes through the
 * escalation check.  Nothing may crash, leak or read out of bounds
 * whatever types the fields have (the store holds what clients wrote).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "cluster/authz.h"

static char *groups[] = { "devs", "system:authenticated", NULL };
static struct user_info user = { "alice", "1", groups, NULL };

static const struct authz_attrs reqs[] = {
	{ .verb = "get", .resource_request = true, .group = "",
	  .resource = "pods", .subresource = "log", .name = "x",
	  .namespace = "ns" },
	{ .verb = "list", .resource_request = true, .group = "apps",
	  .resource = "deployments", .subresource = "", .name = "",
	  .namespace = "" },
	{ .verb = "get", .resource_request = false, .path = "/healthz/x" },
};

static void exercise(struct authz *az, const cJSON *o)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
	struct err e;

	if (cJSON_IsString(kind))
		authz_check_escalation(az, &user, kind->valuestring, o, &e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
	struct authz *az = NULL;
	const cJSON *o;
	struct err e;
	char reason[256];

	if (!doc || authz_new(NULL, &az, &e) < 0)
		goto out;
	authz_bootstrap(az, &e);
	if (cJSON_IsArray(doc)) {
		cJSON_ArrayForEach(o, doc)
			authz_put(az, o);
	} else {
		authz_put(az, doc);
	}
	for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++)
		authz_allowed(az, &user, &reqs[i], reason, sizeof(reason));
	cJSON_Delete(authz_rules_status(az, &user, "ns"));
	authz_bootstrap(az, &e);	/* reconciles what the input replaced */
	if (cJSON_IsArray(doc)) {
		cJSON_ArrayForEach(o, doc)
			exercise(az, o);
	} else {
		exercise(az, doc);
	}
out:
	authz_free(az);
	cJSON_Delete(doc);
	return 0;
}
