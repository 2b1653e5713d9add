/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_crd_schema: pruning, defaulting and validation of custom
 * resources (crd_schema.h), table-driven: each case is a schema, an
 * object, the unknown fields reported, the object after pruning and
 * defaulting, and the causes validation gives ("field: message", joined
 * by " | ").
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/crd_schema.h"
#include "common/buf.h"
#include "common/json.h"
#include "../tap.h"

struct tcase {
	const char *name;
	const char *schema;
	const char *obj;
	const char *unknown;	/* NULL: none */
	const char *after;	/* object after prune + default; NULL: unchanged */
	const char *causes;	/* "" : valid */
};

#define SPEC(props) "{\"type\":\"object\",\"properties\":{\"spec\":{\"type\":\"object\",\"properties\":" props "}}}"

static const struct tcase cases[] = {
	{ "valid object", SPEC("{\"replicas\":{\"type\":\"integer\"}}"),
	  "{\"apiVersion\":\"a/v1\",\"kind\":\"K\",\"metadata\":{\"name\":\"x\",\"labels\":{\"a\":\"b\"}},\"spec\":{\"replicas\":2}}",
	  NULL, NULL, "" },
	{ "type mismatch", SPEC("{\"replicas\":{\"type\":\"integer\"}}"),
	  "{\"spec\":{\"replicas\":\"two\"}}", NULL, NULL,
	  "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"" },
	{ "number is not integer", SPEC("{\"r\":{\"type\":\"integer\"}}"),
	  "{\"spec\":{\"r\":1.5}}", NULL, NULL,
	  "spec.r: Invalid value: \"number\": spec.r in body must be of type integer: \"number\"" },
	{ "unknown fields pruned", SPEC("{\"a\":{\"type\":\"string\"}}"),
	  "{\"spec\":{\"a\":\"x\",\"b\":1},\"extra\":true}",
	  "unknown field \"extra\", unknown field \"spec.b\"",
	  "{\"spec\":{\"a\":\"x\"}}", "" },
	{ "preserve-unknown-fields nested",
	  SPEC("{\"free\":{\"type\":\"object\",\"x-kubernetes-preserve-unknown-fields\":true,\"properties\":{\"n\":{\"type\":\"object\",\"properties\":{\"k\":{\"type\":\"string\"}}}}}}"),
	  "{\"spec\":{\"free\":{\"any\":{\"deep\":1},\"n\":{\"k\":\"v\",\"drop\":1}}}}",
	  "unknown field \"spec.free.n.drop\"",
	  "{\"spec\":{\"free\":{\"any\":{\"deep\":1},\"n\":{\"k\":\"v\"}}}}", "" },
	{ "additionalProperties schema",
	  SPEC("{\"m\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}}"),
	  "{\"spec\":{\"m\":{\"a\":\"x\",\"b\":2}}}", NULL, NULL,
	  "spec.m.b: Invalid value: \"integer\": spec.m.b in body must be of type string: \"integer\"" },
	{ "items pruned and checked",
	  SPEC("{\"l\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}}}"),
	  "{\"spec\":{\"l\":[{\"n\":1,\"z\":0},{\"n\":\"q\"}]}}",
	  "unknown field \"spec.l[0].z\"",
	  "{\"spec\":{\"l\":[{\"n\":1},{\"n\":\"q\"}]}}",
	  "spec.l[1].n: Invalid value: \"string\": spec.l[1].n in body must be of type integer: \"string\"" },
	{ "int-or-string", SPEC("{\"p\":{\"x-kubernetes-int-or-string\":true},\"q\":{\"x-kubernetes-int-or-string\":true},\"r\":{\"x-kubernetes-int-or-string\":true}}"),
	  "{\"spec\":{\"p\":80,\"q\":\"http\",\"r\":true}}", NULL, NULL,
	  "spec.r: Invalid value: \"boolean\": spec.r in body must be of type integer,string: \"boolean\"" },
	{ "nullable", SPEC("{\"a\":{\"type\":\"string\",\"nullable\":true},\"b\":{\"type\":\"string\"}}"),
	  "{\"spec\":{\"a\":null,\"b\":null}}", NULL, NULL,
	  "spec.b: Invalid value: \"null\": spec.b in body must be of type string: \"null\"" },
	{ "enum", SPEC("{\"mode\":{\"type\":\"string\",\"enum\":[\"Fast\",\"Slow\"]}}"),
	  "{\"spec\":{\"mode\":\"Medium\"}}", NULL, NULL,
	  "spec.mode: Unsupported value: \"Medium\": supported values: \"Fast\", \"Slow\"" },
	{ "pattern", SPEC("{\"n\":{\"type\":\"string\",\"pattern\":\"^[a-z]+$\"}}"),
	  "{\"spec\":{\"n\":\"ABC\"}}", NULL, NULL,
	  "spec.n: Invalid value: \"ABC\": spec.n in body should match '^[a-z]+$'" },
	{ "minimum and maximum", SPEC("{\"a\":{\"type\":\"integer\",\"minimum\":1},\"b\":{\"type\":\"integer\",\"maximum\":10}}"),
	  "{\"spec\":{\"a\":0,\"b\":11}}", NULL, NULL,
	  "spec.a: Invalid value: 0: spec.a in body should be greater than or equal to 1 | spec.b: Invalid value: 11: spec.b in body should be less than or equal to 10" },
	{ "exclusive bounds", SPEC("{\"a\":{\"type\":\"number\",\"minimum\":1,\"exclusiveMinimum\":true},\"b\":{\"type\":\"number\",\"maximum\":2.5,\"exclusiveMaximum\":true}}"),
	  "{\"spec\":{\"a\":1,\"b\":2.5}}", NULL, NULL,
	  "spec.a: Invalid value: 1: spec.a in body should be greater than 1 | spec.b: Invalid value: 2.5: spec.b in body should be less than 2.5" },
	{ "string lengths", SPEC("{\"a\":{\"type\":\"string\",\"minLength\":2},\"b\":{\"type\":\"string\",\"maxLength\":3}}"),
	  "{\"spec\":{\"a\":\"x\",\"b\":\"long\"}}", NULL, NULL,
	  "spec.a: Invalid value: \"x\": spec.a in body should be at least 2 chars long | spec.b: Too long: may not be more than 3 bytes" },
	{ "item counts and uniqueness", SPEC("{\"a\":{\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"string\"}},\"b\":{\"type\":\"array\",\"maxItems\":2,\"uniqueItems\":true,\"items\":{\"type\":\"string\"}}}"),
	  "{\"spec\":{\"a\":[],\"b\":[\"x\",\"y\",\"x\"]}}", NULL, NULL,
	  "spec.a: Invalid value: 0: spec.a in body should have at least 1 items | spec.b: Too many: 3: must have at most 2 items | spec.b: Invalid value: [\"x\",\"y\",\"x\"]: spec.b in body shouldn't contain duplicates" },
	{ "required", "{\"type\":\"object\",\"required\":[\"spec\"],\"properties\":{\"spec\":{\"type\":\"object\",\"required\":[\"size\"],\"properties\":{\"size\":{\"type\":\"integer\"}}}}}",
	  "{\"metadata\":{\"name\":\"a\"}}", NULL, NULL, "spec: Required value" },
	{ "nested required", "{\"type\":\"object\",\"properties\":{\"spec\":{\"type\":\"object\",\"required\":[\"size\"],\"properties\":{\"size\":{\"type\":\"integer\"}}}}}",
	  "{\"spec\":{}}", NULL, NULL, "spec.size: Required value" },
	{ "defaults applied", SPEC("{\"replicas\":{\"type\":\"integer\",\"default\":1},\"o\":{\"type\":\"object\",\"default\":{},\"properties\":{\"k\":{\"type\":\"string\",\"default\":\"v\"}}}}"),
	  "{\"spec\":{}}", NULL, "{\"spec\":{\"replicas\":1,\"o\":{\"k\":\"v\"}}}", "" },
	{ "default does not override", SPEC("{\"replicas\":{\"type\":\"integer\",\"default\":1}}"),
	  "{\"spec\":{\"replicas\":5}}", NULL, NULL, "" },
	{ "default of spec itself", "{\"type\":\"object\",\"properties\":{\"spec\":{\"type\":\"object\",\"default\":{\"a\":1},\"properties\":{\"a\":{\"type\":\"integer\"}}}}}",
	  "{\"metadata\":{\"name\":\"x\"}}", NULL, "{\"metadata\":{\"name\":\"x\"},\"spec\":{\"a\":1}}", "" },
	{ "embedded resource keeps type meta", SPEC("{\"t\":{\"type\":\"object\",\"x-kubernetes-embedded-resource\":true,\"properties\":{\"spec\":{\"type\":\"object\"}}}}"),
	  "{\"spec\":{\"t\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{},\"spec\":{},\"other\":1}}}",
	  "unknown field \"spec.t.other\"",
	  "{\"spec\":{\"t\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{},\"spec\":{}}}}", "" },
	{ "root metadata untouched", "{\"type\":\"object\",\"properties\":{\"metadata\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":1}}}}}",
	  "{\"metadata\":{\"name\":\"long\",\"uid\":\"u\"}}", NULL, NULL, "" },
	{ "bad pattern ignored", SPEC("{\"n\":{\"type\":\"string\",\"pattern\":\"([\"}}"),
	  "{\"spec\":{\"n\":\"x\"}}", NULL, NULL, "" },
	{ "formats", SPEC("{\"t\":{\"type\":\"string\",\"format\":\"date-time\"},\"u\":{\"type\":\"string\",\"format\":\"uuid\"},\"i\":{\"type\":\"string\",\"format\":\"ipv4\"},\"ok\":{\"type\":\"string\",\"format\":\"date-time\"},\"x\":{\"type\":\"string\",\"format\":\"whatever\"}}"),
	  "{\"spec\":{\"t\":\"yesterday\",\"u\":\"not-a-uuid\",\"i\":\"1.2.3\",\"ok\":\"2024-01-02T03:04:05Z\",\"x\":\"y\"}}", NULL, NULL,
	  "spec.t: Invalid value: \"yesterday\": spec.t in body must be of type date-time: \"yesterday\" | spec.u: Invalid value: \"not-a-uuid\": spec.u in body must be of type uuid: \"not-a-uuid\" | spec.i: Invalid value: \"1.2.3\": spec.i in body must be of type ipv4: \"1.2.3\"" },
	{ "property counts", SPEC("{\"a\":{\"type\":\"object\",\"minProperties\":1,\"additionalProperties\":{\"type\":\"string\"}},\"b\":{\"type\":\"object\",\"maxProperties\":1,\"additionalProperties\":{\"type\":\"string\"}}}"),
	  "{\"spec\":{\"a\":{},\"b\":{\"x\":\"1\",\"y\":\"2\"}}}", NULL, NULL,
	  "spec.a: Invalid value: 0: spec.a in body should have at least 1 properties | spec.b: Too many: 2: must have at most 1 items" },
	{ "object where string expected", SPEC("{\"n\":{\"type\":\"string\"}}"),
	  "{\"spec\":{\"n\":{\"a\":1}}}", "unknown field \"spec.n.a\"", "{\"spec\":{\"n\":{}}}",
	  "spec.n: Invalid value: \"object\": spec.n in body must be of type string: \"object\"" },
};

static void causes(const struct err *e, struct buf *out)
{
	for (size_t i = 0; i < e->ncauses; i++)
		buf_printf(out, "%s%s: %s", i ? " | " : "", e->causes[i].field,
			   e->causes[i].message);
}

static void run(const struct tcase *c)
{
	cJSON *s = cJSON_Parse(c->schema), *o = cJSON_Parse(c->obj);
	cJSON *want = cJSON_Parse(c->after ? c->after : c->obj);
	char *unk, *got;
	struct buf b = BUF_INIT;
	struct err e;

	if (!ok(s && o && want, "%s: test data parses", c->name))
		goto out;
	unk = crd_schema_prune(s, o, true);
	is_str(unk ? unk : "(none)", c->unknown ? c->unknown : "(none)",
	       "%s: unknown fields", c->name);
	free(unk);
	crd_schema_default(s, o);
	got = cJSON_PrintUnformatted(o);
	ok(json_equal(o, want), "%s: object after prune+default (%s)", c->name, got);
	free(got);
	err_clear(&e);
	crd_schema_validate(s, o, &e);
	causes(&e, &b);
	is_str(buf_cstr(&b), c->causes, "%s: causes", c->name);
out:
	buf_free(&b);
	cJSON_Delete(s);
	cJSON_Delete(o);
	cJSON_Delete(want);
}

static void check_cases(void)
{
	static const struct {
		const char *schema;
		int ok;
	} cs[] = {
		{ "{\"type\":\"object\"}", 0 },
		{ "{\"type\":\"string\"}", -1 },
		{ "{}", -1 },
		{ "[]", -1 },
	};

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		cJSON *s = cJSON_Parse(cs[i].schema);
		struct err e;

		is_int(crd_schema_check(s, &e), cs[i].ok, "schema check %s", cs[i].schema);
		cJSON_Delete(s);
	}
}

static void strict_keeps(void)
{
	cJSON *s = cJSON_Parse(SPEC("{\"a\":{\"type\":\"string\"}}"));
	cJSON *o = cJSON_Parse("{\"spec\":{\"b\":1}}");
	char *unk = crd_schema_prune(s, o, false);

	is_str(unk, "unknown field \"spec.b\"", "report without removing");
	ok(json_get(o, "spec.b") != NULL, "field kept when remove is false");
	free(unk);
	cJSON_Delete(s);
	cJSON_Delete(o);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run(&cases[i]);
	check_cases();
	strict_keeps();
	return tap_done();
}
