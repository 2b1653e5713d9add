/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The generated OpenAPI v3 documents: the index names every
 * group-version, each document parses, every resource that can be patched
 * has a PATCH operation with its GVK and the fieldValidation parameter
 * (what kubectl and helm look for), and, when the reference documents of
 * a real release are present ($SHARED_DIR/testdata/openapi/v3/1.35), every
 * path kdeck generates exists there with the same GVK extensions.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/http.h"
#include "cluster/openapi.h"
#include "cluster/registry.h"
#include "common/json.h"
#include "common/mem.h"
#include "tests/tap.h"

/* The server owns this in the product; tests answer for it. */
void api_resp_header(struct api_resp *resp, const char *name, const char *value)
{
	if (resp->nheaders >= API_MAX_HEADERS)
		return;
	snprintf(resp->headers[resp->nheaders].name, sizeof(resp->headers[0].name), "%s", name);
	snprintf(resp->headers[resp->nheaders].value, sizeof(resp->headers[0].value), "%s", value);
	resp->nheaders++;
}

static cJSON *get(const char *path, const char *inm, int *status, char *etag)
{
	struct api_req req = { .method = "GET", .path = path, .if_none_match = inm };
	struct api_resp resp;
	struct err e;
	cJSON *v = NULL;

	memset(&resp, 0, sizeof(resp));
	openapi_handle(&req, &resp);
	*status = resp.status;
	for (size_t i = 0; i < resp.nheaders; i++)
		if (!strcmp(resp.headers[i].name, "ETag") && etag)
			strcpy(etag, resp.headers[i].value);
	if (resp.body.len)
		v = json_parse(resp.body.data, resp.body.len, &e);
	buf_free(&resp.body);
	return v;
}

static cJSON *load_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	struct err e;
	cJSON *v;

	if (!fp)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	v = json_parse(buf_cstr(&b), b.len, &e);
	buf_free(&b);
	return v;
}

static const char *const methods[] = { "get", "put", "post", "patch", "delete", NULL };

/* Every op with a GVK in ours has the same GVK in the reference. */
static void compare_reference(const char *gv, const cJSON *ours)
{
	const char *dir = getenv("SHARED_DIR");
	char path[1024];
	cJSON *ref;
	const cJSON *p;
	int missing = 0, mismatched = 0, checked = 0;

	snprintf(path, sizeof(path), "%s/testdata/openapi/v3/1.35/%s.json",
		 dir ? dir : KDECK_SRCDIR "/../shared", gv);
	ref = load_file(path);
	if (!ref) {
		printf("ok %d - %s: no reference document # SKIP\n", ++tap_n, gv);
		return;
	}
	cJSON_ArrayForEach(p, json_obj(ours, "paths")) {
		const cJSON *rp = json_obj(json_obj(ref, "paths"), p->string);

		if (!rp) {
			printf("# %s: path %s not in the reference\n", gv, p->string);
			missing++;
			continue;
		}
		for (size_t m = 0; methods[m]; m++) {
			const cJSON *op = json_obj(p, methods[m]), *rop = json_obj(rp, methods[m]);
			const cJSON *g = json_obj(op, "x-kubernetes-group-version-kind");

			if (!op || !g)
				continue;
			checked++;
			if (!rop || !json_equal(g, json_obj(rop, "x-kubernetes-group-version-kind"))) {
				printf("# %s: %s %s: GVK differs\n", gv, methods[m], p->string);
				mismatched++;
			}
		}
	}
	ok(missing == 0, "%s: every generated path exists in the 1.35 reference", gv);
	ok(mismatched == 0 && checked > 0, "%s: %d operations carry the reference's GVK", gv, checked);
	cJSON_Delete(ref);
}

static bool has_param(const cJSON *op, const char *name)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, json_obj(op, "parameters"))
		if (!strcmp(json_get_str(p, "name") ?: "", name))
			return true;
	return false;
}

/* The PATCH operation kubectl's verifier looks for. */
static void check_patch_ops(const cJSON *doc, const char *gv)
{
	const struct reg_kind *ks;
	size_t n;
	int bad = 0, seen = 0;

	ks = reg_kinds(&n);
	for (size_t i = 0; i < n; i++) {
		char *mine = ks[i].group[0] ? xasprintf("apis/%s/%s", ks[i].group, ks[i].version)
					    : xasprintf("api/%s", ks[i].version);
		bool here = !strcmp(mine, gv);
		bool found = false;
		const cJSON *p;

		free(mine);
		if (!here || !(ks[i].verbs & REG_PATCH))
			continue;
		seen++;
		cJSON_ArrayForEach(p, json_obj(doc, "paths")) {
			const cJSON *op = json_obj(p, "patch");
			const cJSON *g = json_obj(op, "x-kubernetes-group-version-kind");

			if (g && !strcmp(json_get_str(g, "kind") ?: "", ks[i].kind) &&
			    !strcmp(json_get_str(g, "group") ?: "", ks[i].group) &&
			    has_param(op, "fieldValidation") &&
			    json_get(op, "requestBody.content.application/merge-patch+json") &&
			    json_get(op, "requestBody.content.application/apply-patch+yaml"))
				found = true;
		}
		if (!found) {
			printf("# %s: no usable PATCH operation for %s\n", gv, ks[i].kind);
			bad++;
		}
	}
	ok(bad == 0, "%s: %d patchable kinds have a PATCH op with GVK and fieldValidation", gv, seen);
}

/* openapi_type_error: Go's decoder messages, and no complaint about valid objects. */
static void type_checks(void)
{
	static const struct {
		const char *group, *kind, *json, *want;
	} t[] = {
		{ "apps", "Deployment", "{\"spec\":{\"replicas\":\"3\"}}",
		  "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32" },
		{ "apps", "Deployment", "{\"spec\":{\"replicas\":1.5}}",
		  "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32" },
		{ "apps", "Deployment", "{\"spec\":{\"replicas\":3000000000}}",
		  "json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32" },
		{ "apps", "Deployment", "{\"spec\":{\"template\":{\"spec\":{\"containers\":\"x\"}}}}",
		  "json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container" },
		{ "", "Pod", "{\"spec\":{\"containers\":[{\"name\":\"c\",\"ports\":[{\"containerPort\":\"80\"}]}]}}",
		  "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32" },
		{ "", "Pod", "{\"spec\":{\"hostNetwork\":\"yes\"}}",
		  "json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool" },
		{ "", "ConfigMap", "{\"data\":{\"a\":1}}",
		  "json: cannot unmarshal number into Go struct field ConfigMap.data of type string" },
		{ "", "ConfigMap", "{\"metadata\":{\"labels\":{\"a\":true}}}",
		  "json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string" },
		{ "", "ConfigMap", "{\"metadata\":\"x\"}",
		  "json: cannot unmarshal string into Go struct field ConfigMap.metadata of type v1.ObjectMeta" },
		/* valid: nulls, quantities and int-or-string as numbers or strings, times, status */
		{ "apps", "Deployment", "{\"metadata\":{\"name\":\"d\",\"labels\":null,\"creationTimestamp\":null},"
		  "\"spec\":{\"replicas\":null,\"strategy\":{\"rollingUpdate\":{\"maxSurge\":1,\"maxUnavailable\":\"25%\"}},"
		  "\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":{\"limits\":{\"cpu\":1,\"memory\":\"1Gi\"}},"
		  "\"ports\":[{\"containerPort\":80}]}]}}},\"status\":{\"replicas\":\"odd\"}}", NULL },
		{ "", "Secret", "{\"data\":{\"k\":\"dmFsdWU=\"},\"stringData\":{\"x\":\"y\"},\"type\":\"Opaque\"}", NULL },
		{ "example.com", "Widget", "{\"spec\":{\"replicas\":\"x\"}}", NULL },	/* not described */
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cJSON *o = cJSON_Parse(t[i].json);
		char *got = openapi_type_error(t[i].group, "v1", t[i].kind, o);

		if (t[i].want)
			is_str(got, t[i].want, "type error %zu: %s", i, t[i].kind);
		else
			ok(!got, "valid %s %zu passes (%s)", t[i].kind, i, got ? got : "no error");
		free(got);
		cJSON_Delete(o);
	}
}

int main(void)
{
	int status;
	char etag[80] = "";
	cJSON *index = get("/openapi/v3", NULL, &status, etag);
	const cJSON *e;
	int docs = 0;

	type_checks();
	is_int(status, 200, "index answers 200");
	ok(index && json_get(index, "paths.api/v1"), "index lists api/v1");
	ok(json_get(index, "paths.apis/apps/v1") != NULL, "index lists apis/apps/v1");
	ok(etag[0] == '"', "index has an ETag");
	cJSON_Delete(get("/openapi/v3", etag, &status, NULL));
	is_int(status, 304, "If-None-Match with the ETag gives 304");
	cJSON_Delete(get("/openapi/v2", NULL, &status, NULL));
	is_int(status, 200, "/openapi/v2 is an empty document (200)");
	cJSON_Delete(get("/openapi/v3/apis/nope/v9", NULL, &status, NULL));
	is_int(status, 404, "unknown group-version is 404");

	cJSON_ArrayForEach(e, json_obj(index, "paths")) {
		const char *url = json_get_str(e, "serverRelativeURL");
		char path[512];
		cJSON *doc;

		snprintf(path, sizeof(path), "%.*s", (int)strcspn(url, "?"), url);
		doc = get(path, NULL, &status, NULL);
		docs++;
		if (!ok(status == 200 && doc, "%s parses", e->string))
			continue;
		check_patch_ops(doc, e->string);
		compare_reference(e->string, doc);
		cJSON_Delete(doc);
	}
	ok(docs > 10, "index has %d group-versions", docs);

	cJSON *apps = get("/openapi/v3/apis/apps/v1", NULL, &status, NULL);
	const cJSON *strategy = json_get(apps, "components.schemas.io\\.k8s\\.api\\.apps\\.v1\\.DeploymentStrategy.properties");
	ok(json_obj(strategy, "type") && json_obj(strategy, "rollingUpdate"),
	   "DeploymentStrategy is modelled (kubectl explain)");
	const cJSON *containers = json_get(apps ? cJSON_GetObjectItem(apps, "components") : NULL,
					   "schemas.io\\.k8s\\.api\\.core\\.v1\\.PodSpec.properties.containers");
	is_str(json_get_str(containers, "x-kubernetes-patch-merge-key"), "name", "containers merge key");
	is_str(json_get_str(containers, "x-kubernetes-patch-strategy"), "merge", "containers strategy");
	cJSON_Delete(apps);
	cJSON_Delete(index);
	return tap_done();
}
