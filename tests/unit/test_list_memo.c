/* SPDX-License-Identifier: Apache-2.0 */
/*
 * LIST memos (api_list_memo.c): a Table LIST and a label-selector LIST
 * served from the memos kept with each object revision must give what
 * the parsing path gives.  The reference is the single-object GET as a
 * Table, which always parses: every row of a LIST (cold memos, warm
 * memos, each includeObject, limit/continue pages, label selectors) is
 * compared with the GET's row of that object.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tap.h"
#include "cluster/api.h"
#include "cluster/store.h"
#include "common/json.h"
#include "common/mem.h"

#define NPODS 23
#define TABLE "application/json;as=Table;v=v1;g=meta.k8s.io"

static struct api *g_api;

/* GET path?query (one "k=v" pair at most) with accept; parsed body. */
static cJSON *get(const char *path, const char *accept, const char *k,
		  const char *v, int *status)
{
	static char *groups[] = { "system:masters", "system:authenticated", NULL };
	struct user_info u = { "t", "", groups, NULL };
	struct api_query_param q[2] = { { (char *)k, (char *)v }, { NULL, NULL } };
	struct api_req r = { .method = "GET", .path = path, .query = q, .nquery = k ? 1 : 0,
			     .accept = accept, .user = &u, .remote_addr = "127.0.0.1" };
	struct api_resp resp;
	cJSON *j;

	memset(&resp, 0, sizeof(resp));
	api_handle(g_api, &r, &resp);
	*status = resp.status;
	j = cJSON_ParseWithLength(resp.body.data ? resp.body.data : "", resp.body.len);
	buf_free(&resp.body);
	return j;
}

/* Pods written to the store as they are (status, old times, labels). */
static void put_pods(struct store *st)
{
	for (int i = 0; i < NPODS; i++) {
		char *key = xasprintf("/registry/pods/default/p%02d", i);
		char *txt = xasprintf(
			"{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p%02d\",\"namespace\":\"default\","
			"\"uid\":\"u%d\",\"creationTimestamp\":\"20%02d-01-02T03:04:05Z\",\"labels\":{\"app\":\"a%d\",\"app.kubernetes.io/part\":\"x%d\"}},"
			"\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]},"
			"\"status\":{\"phase\":\"%s\",\"podIP\":\"10.0.0.%d\",\"containerStatuses\":[{\"name\":\"c\",\"ready\":%s,"
			"\"restartCount\":%d,\"lastState\":{\"terminated\":{\"exitCode\":1,\"finishedAt\":\"2024-05-0%dT00:00:00Z\"}}}]}}",
			i, i, 10 + i % 15, i % 3, i % 2, i % 4 ? "Running" : "Pending", i + 1,
			i % 2 ? "true" : "false", i % 5, 1 + i % 9);
		cJSON *o = cJSON_Parse(txt);
		struct err e;

		ok(o && store_create(st, key, o, NULL, &e) == 0, "pod %d stored", i);
		cJSON_Delete(o);
		free(txt);
		free(key);
	}
}

/*
 * The row the GET of the row's object (by name) gives.  The GET always
 * carries the PartialObjectMetadata: with includeObject None or Object
 * only the cells are compared (and the object's presence and kind).
 */
static bool row_matches(const cJSON *row, const char *include)
{
	const char *name = json_get_str(row, "object.metadata.name");
	char path[96];
	int st;
	cJSON *one;
	bool same;

	if (!name)
		name = json_get_str(row, "cells[0]");
	snprintf(path, sizeof(path), "/api/v1/namespaces/default/pods/%s", name ? name : "");
	one = get(path, TABLE, NULL, NULL, &st);
	if (!include || !strcmp(include, "Metadata"))
		same = st == 200 && json_equal(row, json_get(one, "rows[0]"));
	else
		same = st == 200 && json_equal(json_get(row, "cells"), json_get(one, "rows[0].cells")) &&
		       !strcmp(include, "None") == !json_get(row, "object") &&
		       (!strcmp(include, "None") || !strcmp(json_get_str(row, "object.kind") ?: "", "Pod"));
	if (!same) {
		char *a = cJSON_PrintUnformatted(row), *b = cJSON_PrintUnformatted(json_get(one, "rows[0]"));

		char *m = xasprintf("list row %s\n#  get row %s", a, b ? b : "null");

		diag(m);
		free(m);
		free(a);
		free(b);
	}
	cJSON_Delete(one);
	return same;
}

static void check_rows(const cJSON *t, const char *include, int want,
		       const char *what)
{
	const cJSON *row;
	int n = 0, bad = 0;

	cJSON_ArrayForEach(row, json_get(t, "rows")) {
		n++;
		bad += !row_matches(row, include);
	}
	is_int(n, want, "%s: %d rows", what, want);
	is_int(bad, 0, "%s: every row as the GET gives it", what);
}

static void test_table_lists(void)
{
	static const char *const includes[] = { NULL, "Metadata", "None", "Object" };
	const char *path = "/api/v1/namespaces/default/pods";
	cJSON *t;
	int st;

	for (int pass = 0; pass < 2; pass++) {	/* cold memos, then warm */
		t = get(path, TABLE, NULL, NULL, &st);
		is_int(st, 200, "table list %d", pass);
		is_int(cJSON_GetArraySize(json_get(t, "columnDefinitions")), 9, "pod columns");
		ok(json_get_str(t, "metadata.resourceVersion") != NULL, "table resourceVersion");
		check_rows(t, NULL, NPODS, pass ? "warm" : "cold");
		cJSON_Delete(t);
	}
	for (size_t i = 1; i < sizeof(includes) / sizeof(includes[0]); i++) {
		t = get(path, TABLE, "includeObject", includes[i], &st);
		check_rows(t, includes[i], NPODS, includes[i]);
		if (!strcmp(includes[i], "None"))
			ok(!json_get(t, "rows[0].object"), "includeObject=None has no object");
		cJSON_Delete(t);
	}
	t = get(path, TABLE, "labelSelector", "app=a1", &st);
	check_rows(t, NULL, (NPODS + 1) / 3, "table labelSelector app=a1");
	cJSON_Delete(t);
	t = get(path, TABLE, "labelSelector", "app.kubernetes.io/part=x1,app!=a0", &st);
	check_rows(t, NULL, 7, "table labelSelector with a dotted key");
	cJSON_Delete(t);
}

/* A token-less GET with limit and then continue, joined, is the whole list. */
static void test_table_pages(void)
{
	char *cont = NULL;
	int pages = 0, rows = 0, bad = 0, st;

	do {
		cJSON *t;
		const cJSON *row;

		if (cont) {
			static char *groups[] = { "system:masters", "system:authenticated", NULL };
			struct user_info u = { "t", "", groups, NULL };
			struct api_query_param q[2] = { { (char *)"limit", (char *)"7" },
							{ (char *)"continue", cont } };
			struct api_req r = { .method = "GET", .path = "/api/v1/namespaces/default/pods",
					     .query = q, .nquery = 2, .accept = TABLE, .user = &u,
					     .remote_addr = "127.0.0.1" };
			struct api_resp resp;

			memset(&resp, 0, sizeof(resp));
			api_handle(g_api, &r, &resp);
			st = resp.status;
			t = cJSON_ParseWithLength(resp.body.data, resp.body.len);
			buf_free(&resp.body);
		} else {
			t = get("/api/v1/namespaces/default/pods", TABLE, "limit", "7", &st);
		}
		is_int(st, 200, "page %d", pages);
		cJSON_ArrayForEach(row, json_get(t, "rows")) {
			rows++;
			bad += !row_matches(row, NULL);
		}
		free(cont);
		cont = json_get_str(t, "metadata.continue") ? xstrdup(json_get_str(t, "metadata.continue")) : NULL;
		pages++;
		cJSON_Delete(t);
	} while (cont && pages < 10);
	is_int(pages, 4, "23 rows in pages of 7: 4 pages");
	is_int(rows, NPODS, "every row once");
	is_int(bad, 0, "paged rows as the GET gives them");
}

/* JSON lists with a label selector: the stored items, filtered. */
static void test_json_selector(void)
{
	const cJSON *it;
	cJSON *all, *sel;
	int st, want = 0, bad = 0;

	all = get("/api/v1/namespaces/default/pods", "application/json", NULL, NULL, &st);
	for (int pass = 0; pass < 2; pass++) {
		sel = get("/api/v1/namespaces/default/pods", "application/json", "labelSelector", "app in (a0,a2)", &st);
		is_int(st, 200, "json labelSelector %d", pass);
		want = 0;
		cJSON_ArrayForEach(it, json_get(all, "items")) {
			const char *app = json_get_str(it, "metadata.labels.app");

			if (strcmp(app, "a0") && strcmp(app, "a2"))
				continue;
			bad += !json_equal(it, cJSON_GetArrayItem(json_get(sel, "items"), want));
			want++;
		}
		is_int(cJSON_GetArraySize(json_get(sel, "items")), want, "selected items count");
		is_int(bad, 0, "selected items as stored");
		is_str(json_get_str(sel, "kind"), "PodList", "kind PodList");
		cJSON_Delete(sel);
	}
	cJSON_Delete(all);
}

int main(void)
{
	char dir[] = "/tmp/test_list_memo.XXXXXX", *path, *cmd;
	struct store_options so = { 0 };
	struct api_config cfg = { 0 };
	struct store *st = NULL;
	struct err e;

	if (!mkdtemp(dir))
		return 1;
	path = xasprintf("%s/state.db", dir);
	so.path = path;
	so.relaxed_sync = true;
	if (!ok(store_open(&so, &st, &e) == 0 && api_new(&cfg, st, NULL, &g_api, &e) == 0,
		"store and api open"))
		return tap_done();
	put_pods(st);
	test_table_lists();
	test_table_pages();
	test_json_selector();
	api_free(g_api);
	store_close(st);
	cmd = xasprintf("rm -rf %s", dir);
	if (system(cmd) != 0)
		diag("cleanup failed");
	free(cmd);
	free(path);
	return tap_done();
}
