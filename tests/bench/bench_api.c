/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_api: the API handler over a real store (no TLS/HTTP server):
 * create rate of pods and configmaps through api_handle, then LIST of
 * 10,000 pods as JSON, as a Table, and with a label selector, and the
 * gzip encoding the server adds for clients that accept it (kubectl).  Prints
 * figures; never fails on timing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cluster/api.h"
#include "cluster/server.h"
#include "common/mem.h"

#define NPODS 10000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int call(struct api *api, const char *method, const char *path,
		const char *accept, const char *body, struct api_query_param *q,
		size_t nq, size_t *len)
{
	static char *groups[] = { "system:masters", "system:authenticated", NULL };
	struct user_info u = { "bench", "", groups, NULL };
	struct api_req r = { .method = method, .path = path, .query = q, .nquery = nq,
			     .content_type = body ? "application/json" : NULL,
			     .accept = accept, .body = body, .body_len = body ? strlen(body) : 0,
			     .user = &u, .remote_addr = "127.0.0.1" };
	struct api_resp resp;
	int st;

	memset(&resp, 0, sizeof(resp));
	api_handle(api, &r, &resp);
	st = resp.status;
	if (len)
		*len = resp.body.len;
	buf_free(&resp.body);
	return st;
}

/* The server's gzip encoding of a full JSON LIST (kubectl asks for it). */
static void list_gzip(struct api *api)
{
	static char *groups[] = { "system:masters", "system:authenticated", NULL };
	struct user_info u = { "bench", "", groups, NULL };
	struct api_req r = { .method = "GET", .path = "/api/v1/namespaces/default/pods",
			     .accept = "application/json", .user = &u,
			     .remote_addr = "127.0.0.1" };
	struct api_resp resp;
	char *z = NULL;
	size_t zlen = 0;
	double t0;

	memset(&resp, 0, sizeof(resp));
	t0 = now();
	api_handle(api, &r, &resp);
	if (server_gzip(resp.body.data, resp.body.len, &z, &zlen) == 0)
		printf("LIST %d pods json + gzip     %7.1f ms  (%zu -> %zu bytes)\n",
		       NPODS, (now() - t0) * 1000, resp.body.len, zlen);
	free(z);
	buf_free(&resp.body);
}

static void list(struct api *api, const char *what, const char *accept,
		 struct api_query_param *q, size_t nq)
{
	double t0 = now();
	size_t len = 0;
	int st = call(api, "GET", "/api/v1/namespaces/default/pods", accept, NULL, q, nq, &len);

	printf("LIST %d pods %-22s %7.1f ms  (%d, %zu bytes)\n", NPODS, what,
	       (now() - t0) * 1000, st, len);
}

int main(void)
{
	char dir[] = "/tmp/bench_api.XXXXXX", *path;
	struct store_options so = { 0 };
	struct api_config cfg = { 0 };
	struct store *st = NULL;
	struct api *api = NULL;
	struct err e;
	double t0;

	if (!mkdtemp(dir))
		return 1;
	path = xasprintf("%s/state.db", dir);
	so.path = path;
	if (store_open(&so, &st, &e) < 0 || api_new(&cfg, st, NULL, &api, &e) < 0 ||
	    api_bootstrap(api, &e) < 0) {
		fprintf(stderr, "bench_api: %s\n", e.msg);
		return 1;
	}
	t0 = now();
	for (int i = 0; i < NPODS; i++) {
		char body[512];

		snprintf(body, sizeof(body), "{\"metadata\":{\"name\":\"p%05d\",\"labels\":{\"app\":\"a%d\"}},"
			 "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:1.27\"}]}}", i, i % 10);
		call(api, "POST", "/api/v1/namespaces/default/pods", NULL, body, NULL, 0, NULL);
	}
	printf("create %d pods (serial)          %7.0f /s\n", NPODS, NPODS / (now() - t0));
	list(api, "json", "application/json", NULL, 0);
	list(api, "json (warm)", "application/json", NULL, 0);
	list_gzip(api);
	list(api, "table", "application/json;as=Table;v=v1;g=meta.k8s.io", NULL, 0);
	{
		struct api_query_param q = { (char *)"labelSelector", (char *)"app=a3" };

		list(api, "labelSelector app=a3", "application/json", &q, 1);
	}
	{
		struct api_query_param q = { (char *)"limit", (char *)"500" };

		list(api, "limit=500", "application/json", &q, 1);
	}
	api_free(api);
	store_close(st);
	{
		char *cmd = xasprintf("rm -rf %s", dir);

		if (system(cmd) != 0)
			fprintf(stderr, "bench_api: cleanup failed\n");
		free(cmd);
	}
	free(path);
	return 0;
}
