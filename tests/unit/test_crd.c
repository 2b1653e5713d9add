/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_crd: the dynamic registry (publish, lookups, preferred version,
 * served flags, immortal rows), version priority, CRD admission
 * messages and finalizer, printer-column cells (JSONPath subset, types)
 * and the scale subresource's paths.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "cluster/crd_int.h"
#include "common/json.h"

static const char crd_json[] =
	"{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\","
	"\"metadata\":{\"name\":\"widgets.t.example.com\",\"uid\":\"u1\",\"generation\":1},"
	"\"spec\":{\"group\":\"t.example.com\",\"scope\":\"Namespaced\","
	"\"names\":{\"plural\":\"widgets\",\"kind\":\"Widget\",\"shortNames\":[\"wd\"],\"categories\":[\"all\",\"t\"]},"
	"\"versions\":["
	"{\"name\":\"v1alpha1\",\"served\":true,\"storage\":false,\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\"}}},"
	"{\"name\":\"v1\",\"served\":true,\"storage\":true,\"subresources\":{\"status\":{},\"scale\":{\"specReplicasPath\":\".spec.count\",\"statusReplicasPath\":\".status.count\",\"labelSelectorPath\":\".status.sel\"}},"
	"\"additionalPrinterColumns\":["
	"{\"name\":\"Count\",\"type\":\"integer\",\"jsonPath\":\".spec.count\"},"
	"{\"name\":\"Ready\",\"type\":\"string\",\"jsonPath\":\".status.conditions[?(@.type==\\\"Ready\\\")].status\"},"
	"{\"name\":\"First\",\"type\":\"string\",\"jsonPath\":\".spec.items[0].name\"},"
	"{\"name\":\"Key\",\"type\":\"string\",\"jsonPath\":\".metadata.labels['app.kubernetes.io/name']\"},"
	"{\"name\":\"On\",\"type\":\"boolean\",\"jsonPath\":\".spec.on\"},"
	"{\"name\":\"Missing\",\"type\":\"string\",\"jsonPath\":\".spec.nope\",\"priority\":1}],"
	"\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\"}}},"
	"{\"name\":\"v2\",\"served\":false,\"storage\":false,\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\"}}}]}}";

static void version_order(void)
{
	static const char *const sorted[] = { "v10", "v2", "v1", "v11beta2", "v10beta3",
					      "v3beta1", "v12alpha1", "v11alpha2", "foo1", "foo10" };
	size_t n = sizeof(sorted) / sizeof(sorted[0]);

	for (size_t i = 0; i + 1 < n; i++)
		ok(crd_version_cmp(sorted[i], sorted[i + 1]) < 0, "%s before %s",
		   sorted[i], sorted[i + 1]);
	is_int(crd_version_cmp("v1", "v1"), 0, "equal versions");
}

static void registry(void)
{
	cJSON *crd = cJSON_Parse(crd_json), *list = cJSON_CreateArray();
	bool acc[1] = { true }, no[1] = { false };
	const struct reg_kind *k, *k2, *ks[8];
	const char *vers[4];
	uint64_t s0 = crd_serial();

	cJSON_AddItemToArray(list, crd);
	crd_publish(list, acc);
	ok(crd_serial() != s0, "serial moves on publish");
	k = crd_find("t.example.com", "v1", "widgets");
	ok(k && (k->flags & REG_CUSTOM), "v1 served");
	ok(crd_find("t.example.com", "v1alpha1", "widgets") != NULL, "v1alpha1 served");
	ok(!crd_find("t.example.com", "v2", "widgets"), "v2 not served");
	is_int(crd_group_versions("t.example.com", vers, 4), 2, "two served versions");
	is_str(vers[0], "v1", "v1 preferred over v1alpha1");
	k2 = crd_find_kind("t.example.com", "Widget");
	ok(k2 == k, "find_kind gives the preferred row");
	ok(k && (k->flags & REG_NAMESPACED) && (k->flags & REG_SUB_STATUS) &&
	   (k->flags & REG_SUB_SCALE) && (k->flags & REG_CAT_ALL), "flags from the CRD");
	is_str(k ? k->singular : "", "widget", "singular defaulted from kind");
	is_str(k ? k->short_names : "", "wd", "short names");
	is_str(crd_categories(k), "all,t", "categories");
	is_str(crd_storage_version(k), "v1", "storage version");
	is_int((long long)crd_kinds(ks, 8), 2, "two live rows");
	crd_publish(list, acc);
	ok(crd_find("t.example.com", "v1", "widgets") == k, "same row after an identical publish");
	crd_publish(list, no);
	ok(!crd_find("t.example.com", "v1", "widgets"), "not served once not accepted");
	ok(k && !strcmp(k->plural, "widgets"), "old row still valid");
	crd_publish(list, acc);
	cJSON_Delete(list);
}

static void cells(void)
{
	const struct reg_kind *k = crd_find("t.example.com", "v1", "widgets");
	cJSON *o = cJSON_Parse("{\"metadata\":{\"name\":\"a\",\"labels\":{\"app.kubernetes.io/name\":\"web\"}},"
			       "\"spec\":{\"count\":3,\"on\":true,\"items\":[{\"name\":\"i0\"}]},"
			       "\"status\":{\"count\":2,\"sel\":\"x=y\",\"conditions\":[{\"type\":\"Other\",\"status\":\"False\"},{\"type\":\"Ready\",\"status\":\"True\"}]}}");
	struct buf b = BUF_INIT;
	cJSON *s, *sc;

	if (!ok(k != NULL, "row for cells")) {
		cJSON_Delete(o);
		return;
	}
	crd_table_cells(k, o, 0, &b);
	is_str(buf_cstr(&b), "[\"a\",3,\"True\",\"i0\",\"web\",true,null]", "cells");
	buf_reset(&b);
	crd_table_defs(k, &b);
	ok(strstr(buf_cstr(&b), "{\"name\":\"Missing\",\"type\":\"string\",\"format\":\"\",\"description\":\"\",\"priority\":1}") != NULL,
	   "priority column defined");
	ok(!strstr(buf_cstr(&b), "\"Age\""), "no default Age with printer columns");
	s = crd_scale_of(k, o);
	is_str(json_get_str(s, "status.selector"), "x=y", "scale selector path");
	ok(json_get(s, "spec.replicas") && json_get(s, "spec.replicas")->valueint == 3, "scale spec path");
	ok(json_get(s, "status.replicas") && json_get(s, "status.replicas")->valueint == 2, "scale status path");
	cJSON_Delete(s);
	json_set_int(o, "spec.replicas", 1);
	sc = cJSON_Parse("{\"spec\":{\"replicas\":7}}");
	s = crd_scale_apply(k, o, sc);
	ok(json_get(s, "spec.count") && json_get(s, "spec.count")->valueint == 7, "scale writes specReplicasPath");
	cJSON_Delete(s);
	cJSON_Delete(sc);
	buf_free(&b);
	cJSON_Delete(o);
}

static void admission(void)
{
	static const struct {
		const char *patch;	/* merge patch over crd_json */
		const char *cause;	/* first cause's field, "" = valid */
	} cs[] = {
		{ "{}", "" },
		{ "{\"metadata\":{\"name\":\"other.t.example.com\"}}", "metadata.name" },
		{ "{\"spec\":{\"group\":\"nodot\"}}", "spec.group" },
		{ "{\"spec\":{\"scope\":\"Global\"}}", "spec.scope" },
		{ "{\"spec\":{\"versions\":[]}}", "spec.versions" },
		{ "{\"spec\":{\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true}]}}",
		  "spec.versions[0].schema.openAPIV3Schema" },
		{ "{\"spec\":{\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":false,\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\"}}}]}}",
		  "spec.versions" },
		{ "{\"spec\":{\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true,\"schema\":{\"openAPIV3Schema\":"
		  "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"string\",\"pattern\":\"^(?!x)\"}}}}}]}}",
		  "spec.versions[0].schema.openAPIV3Schema.properties[n].pattern" },
		{ "{\"spec\":{\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true,\"schema\":{\"openAPIV3Schema\":"
		  "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"string\",\"pattern\":\"^\\\\pL(?P<x>\\\\d)\\\\b\"}}}}}]}}",
		  "" },
		{ "{\"metadata\":{\"name\":\"widgets.t.k8s.io\"},\"spec\":{\"group\":\"t.k8s.io\"}}",
		  "metadata.annotations[api-approved.kubernetes.io]" },
	};

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		cJSON *c = cJSON_Parse(crd_json), *p = cJSON_Parse(cs[i].patch), *it;
		struct err e;

		cJSON_ArrayForEach(it, json_obj(p, "metadata"))
			json_set(json_obj(c, "metadata"), it->string, json_dup(it));
		cJSON_ArrayForEach(it, json_obj(p, "spec"))
			cJSON_ReplaceItemInObject(json_obj(c, "spec"), it->string, json_dup(it));
		err_clear(&e);
		crd_admit_crd(c, NULL, &e);
		is_str(e.ncauses ? e.causes[0].field : "", cs[i].cause, "CRD admission %zu", i);
		if (!cs[i].cause[0]) {
			char *f = cJSON_PrintUnformatted(json_get(c, "metadata.finalizers"));

			ok(f && strstr(f, CRD_FINALIZER), "finalizer added on create");
			free(f);
		}
		cJSON_Delete(c);
		cJSON_Delete(p);
	}
}

/* Ratcheting: the approval annotation is checked only when it changes. */
static void approval_ratchet(void)
{
	cJSON *old = cJSON_Parse(crd_json), *nw;
	struct err e;

	json_set(json_obj(old, "metadata"), "name", cJSON_CreateString("widgets.t.k8s.io"));
	cJSON_ReplaceItemInObject(json_obj(old, "spec"), "group", cJSON_CreateString("t.k8s.io"));
	nw = json_dup(old);
	cJSON_ReplaceItemInObject(json_obj(nw, "spec"), "scope", cJSON_CreateString("Cluster"));
	err_clear(&e);
	crd_admit_crd(nw, old, &e);
	is_int((int)e.ncauses, 0, "unchanged missing approval is not checked on update");
	json_set(json_obj(nw, "metadata"), "annotations",
		 cJSON_Parse("{\"api-approved.kubernetes.io\":\"later\"}"));
	crd_admit_crd(nw, old, &e);
	is_str(e.ncauses ? e.causes[0].field : "", "metadata.annotations[api-approved.kubernetes.io]",
	       "a changed, invalid approval is");
	cJSON_Delete(old);
	cJSON_Delete(nw);
}

int main(void)
{
	approval_ratchet();
	version_order();
	registry();
	cells();
	admission();
	return tap_done();
}
