/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_authz: decision cost against the number of RBAC objects.
 *
 * Fills an in-memory authorizer with the bootstrap roles plus N users,
 * each with its own Role and RoleBinding in its own namespace, and times
 * allowed and denied decisions for one of them.  With the subject index
 * the cost should stay flat as N grows.  Prints figures; never fails.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cluster/authz.h"
#include "common/mem.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fill(struct authz *az, int n)
{
	for (int i = 0; i < n; i++) {
		char *role = xasprintf(
			"{\"kind\":\"Role\",\"metadata\":{\"name\":\"r\","
			"\"namespace\":\"ns%d\"},\"rules\":[{\"verbs\":[\"get\","
			"\"list\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}]}",
			i);
		char *rb = xasprintf(
			"{\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"b\","
			"\"namespace\":\"ns%d\"},\"roleRef\":{\"kind\":\"Role\","
			"\"name\":\"r\"},\"subjects\":[{\"kind\":\"User\","
			"\"name\":\"user%d\"}]}", i, i);
		cJSON *a = cJSON_Parse(role), *b = cJSON_Parse(rb);

		authz_put(az, a);
		authz_put(az, b);
		cJSON_Delete(a);
		cJSON_Delete(b);
		free(role);
		free(rb);
	}
}

static void run(int n)
{
	struct authz *az = NULL;
	struct err e;
	char *groups[] = { "system:authenticated", NULL };
	struct user_info u = { "user7", "7", groups, NULL };
	struct authz_attrs yes = { .verb = "list", .resource_request = true,
				   .group = "", .resource = "pods",
				   .subresource = "", .namespace = "ns7",
				   .name = "" };
	struct authz_attrs no = yes;
	const int iters = 50000;
	double t0, t1, t2;
	int allowed = 0;

	no.namespace = "ns8";
	authz_new(NULL, &az, &e);
	authz_bootstrap(az, &e);
	t0 = now();
	fill(az, n);
	t1 = now();
	for (int i = 0; i < iters; i++)
		allowed += authz_allowed(az, &u, &yes, NULL, 0);
	for (int i = 0; i < iters; i++)
		allowed += authz_allowed(az, &u, &no, NULL, 0);
	t2 = now();
	printf("authz: %6d bindings: load %.3f s, %.0f ns/decision (%d allowed)\n",
	       n, t1 - t0, (t2 - t1) / (2.0 * iters) * 1e9, allowed);
	authz_free(az);
}

int main(void)
{
	run(10);
	run(1000);
	run(20000);
	return 0;
}
