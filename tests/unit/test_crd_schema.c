/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_crd_schema: pruning, defaulting and validation of custom
 * resources (crd_schema.h), table-driven: each case is a schema, an
 * object, the unknown fields reported, the object after pruning and
 * defaulting, and the causes validation gives ("field: message", joined
 * by " | ").
 */
#include "config.h"

#include <stdio.h>
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
	{ "oneOf none valid", "{\"type\":\"object\",\"properties\":{\"spec\":{\"type\":\"object\","
	  "\"oneOf\":[{\"required\":[\"a\"]},{\"required\":[\"b\"]}],\"properties\":{\"a\":{\"type\":\"string\"},"
	  "\"b\":{\"type\":\"string\"}}}}}", "{\"spec\":{}}", NULL, NULL,
	  ": Invalid value: \"\": \"spec\" must validate one and only one schema (oneOf). Found none valid"
	  " | spec.a: Required value" },
	{ "oneOf two valid", "{\"type\":\"object\",\"properties\":{\"spec\":{\"type\":\"object\","
	  "\"oneOf\":[{\"required\":[\"a\"]},{\"required\":[\"b\"]}],\"properties\":{\"a\":{\"type\":\"string\"},"
	  "\"b\":{\"type\":\"string\"}}}}}", "{\"spec\":{\"a\":\"x\",\"b\":\"y\"}}", NULL, NULL,
	  ": Invalid value: \"\": \"spec\" must validate one and only one schema (oneOf). Found 2 valid alternatives" },
	{ "oneOf exactly one", "{\"type\":\"object\",\"properties\":{\"spec\":{\"type\":\"object\","
	  "\"oneOf\":[{\"required\":[\"a\"]},{\"required\":[\"b\"]}],\"properties\":{\"a\":{\"type\":\"string\"},"
	  "\"b\":{\"type\":\"string\"}}}}}", "{\"spec\":{\"b\":\"y\"}}", NULL, NULL, "" },
	{ "anyOf and not", SPEC("{\"n\":{\"type\":\"integer\",\"anyOf\":[{\"minimum\":10},{\"maximum\":2}],"
	  "\"not\":{\"enum\":[1]}}}"), "{\"spec\":{\"n\":1}}", NULL, NULL,
	  ": Invalid value: \"\": \"spec.n\" must not validate the schema (not)" },
	{ "anyOf none", SPEC("{\"n\":{\"type\":\"integer\",\"anyOf\":[{\"minimum\":10},{\"maximum\":2}]}}"),
	  "{\"spec\":{\"n\":5}}", NULL, NULL,
	  ": Invalid value: \"\": \"spec.n\" must validate at least one schema (anyOf)"
	  " | spec.n: Invalid value: 5: spec.n in body should be greater than or equal to 10" },
	{ "allOf", SPEC("{\"s\":{\"type\":\"string\",\"allOf\":[{\"minLength\":2},{\"pattern\":\"^a\"}]}}"),
	  "{\"spec\":{\"s\":\"b\"}}", NULL, NULL,
	  "spec.s: Invalid value: \"b\": spec.s in body should be at least 2 chars long"
	  " | spec.s: Invalid value: \"b\": spec.s in body should match '^a'"
	  " | : Invalid value: \"\": \"spec.s\" must validate all the schemas (allOf). None validated" },
	{ "list-type set", SPEC("{\"l\":{\"type\":\"array\",\"x-kubernetes-list-type\":\"set\",\"items\":{\"type\":\"string\"}},"
	  "\"n\":{\"type\":\"array\",\"x-kubernetes-list-type\":\"set\",\"items\":{\"type\":\"integer\"}}}"),
	  "{\"spec\":{\"l\":[\"a\",\"b\",\"a\",\"a\",\"b\"],\"n\":[1,2,1]}}", NULL, NULL,
	  "spec.l[2]: Duplicate value: \"a\" | spec.l[4]: Duplicate value: \"b\" | spec.n[2]: Duplicate value: 1" },
	{ "list-type map", SPEC("{\"p\":{\"type\":\"array\",\"x-kubernetes-list-type\":\"map\","
	  "\"x-kubernetes-list-map-keys\":[\"port\",\"protocol\"],\"items\":{\"type\":\"object\",\"properties\":"
	  "{\"port\":{\"type\":\"integer\"},\"protocol\":{\"type\":\"string\"},\"n\":{\"type\":\"string\"}}}},"
	  "\"c\":{\"type\":\"array\",\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"name\"],"
	  "\"items\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}}}"),
	  "{\"spec\":{\"p\":[{\"port\":80,\"protocol\":\"TCP\"},{\"port\":80,\"protocol\":\"UDP\"},"
	  "{\"protocol\":\"TCP\",\"port\":80,\"n\":\"x\"}],\"c\":[{\"name\":\"a\"},{\"name\":\"a\"}]}}", NULL, NULL,
	  "spec.p[2]: Duplicate value: map[string]interface {}{\"port\":80, \"protocol\":\"TCP\"}"
	  " | spec.c[1]: Duplicate value: map[string]interface {}{\"name\":\"a\"}" },
	{ "RE2 pattern", SPEC("{\"v\":{\"type\":\"string\",\"pattern\":\"^v\\\\d+\\\\.\\\\d+$\"},"
	  "\"w\":{\"type\":\"string\",\"pattern\":\"(?i)^[a-z]+$\"},\"x\":{\"type\":\"string\",\"pattern\":\"^[\\\\w\\\\-]+?$\"}}"),
	  "{\"spec\":{\"v\":\"v1.x\",\"w\":\"ABC\",\"x\":\"a-b_c\"}}", NULL, NULL,
	  "spec.v: Invalid value: \"v1.x\": spec.v in body should match '^v\\d+\\.\\d+$'" },
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

static void formats(void)
{
	static const struct {
		const char *fmt, *s;
		bool ok;
	} fs[] = {
		{ "date", "2024-02-29", true }, { "date", "2023-02-29", false },
		{ "date", "2024-13-01", false }, { "date-time", "2024-01-02T03:04:05Z", true },
		{ "duration", "1h30m", true }, { "duration", "3 days", true },
		{ "duration", "-1.5s", true }, { "duration", "soon", false },
		{ "byte", "aGVsbG8=", true }, { "byte", "aGVsbG8", false },
		{ "email", "a@b.c", true }, { "email", "Joe <a@b.c>", true },
		{ "email", "a.b.c", false }, { "hostname", "my-host.example.com", true },
		{ "hostname", "-bad.example.com", false }, { "hostname", "a.1", false },
		{ "ipv4", "10.0.0.01", true }, { "ipv4", "256.0.0.1", false },
		{ "ipv6", "fe80::1", true }, { "ipv6", "1.2.3.4", false },
		{ "cidr", "10.0.0.0/8", true }, { "cidr", "fd00::/129", false },
		{ "mac", "00:1a:2b:3c:4d:5e", true }, { "mac", "001a.2b3c.4d5e", true },
		{ "mac", "00:1a:2b", false },
		{ "uuid", "123e4567-e89b-12d3-a456-426614174000", true },
		{ "uuid", "123E4567E89B12D3A456426614174000", true },
		{ "uuid4", "123e4567-e89b-12d3-a456-426614174000", false },
		{ "uuid4", "123e4567-e89b-42d3-a456-426614174000", true },
		{ "uri", "https://example.com/x", true }, { "uri", "/abs/path", true },
		{ "uri", "relative/path", false }, { "hexcolor", "#ff00AA", true },
		{ "rgbcolor", "rgb(1, 2, 255)", true }, { "rgbcolor", "rgb(1,2,256)", false },
		{ "isbn10", "0-306-40615-2", true }, { "isbn13", "978-0-306-40615-7", true },
		{ "isbn", "978-0-306-40615-6", false }, { "ssn", "123-45-6789", true },
		{ "password", "anything", true }, { "no-such-format", "x", true },
	};

	for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++)
		ok(crd_schema_format_ok(fs[i].fmt, fs[i].s) == fs[i].ok, "format %s: \"%s\" %s",
		   fs[i].fmt, fs[i].s, fs[i].ok ? "valid" : "invalid");
}

/* RE2 patterns matched with PCRE2: what Go's regexp answers. */
static void regexes(void)
{
	static const struct {
		const char *re, *s;
		int want;
	} ms[] = {
		{ "^\\d+$", "123", 1 }, { "^\\d+$", "12a", 0 },
		{ "^\\d+$", "\xd9\xa3", 0 },		/* \d is ASCII in Go */
		{ "(?i)^abc$", "AbC", 1 },
		{ "^[\\w.-]+$", "a_b.c-d", 1 }, { "^[\\w.-]+$", "a b", 0 },
		{ "^[a\\-z\\]]$", "]", 1 }, { "^[a\\-z\\]]$", "b", 0 },
		{ "a+?b*?(?:c|d)", "xaad", 1 },
		{ "\\Ax\\z", "x", 1 }, { "\\Ax\\z", "x\n", 0 },
		{ "^x$", "x\n", 0 },			/* $ is end of text */
		{ "(?m)^x$", "y\nx\nz", 1 },
		{ "^\\s$", "\v", 0 }, { "^\\S$", "\v", 1 }, { "^[\\s]$", "\v", 0 },
		{ "\\bword\\b", "a word here", 1 }, { "\\bword\\b", "swordfish", 0 },
		{ "^\\pL+$", "h\xc3\xa9llo", 1 }, { "^\\pL+$", "h3llo", 0 },
		{ "^\\p{Greek}+$", "\xce\xb1\xce\xb2", 1 }, { "^\\PL$", "1", 1 },
		{ "^\\x{e9}$", "\xc3\xa9", 1 }, { "^\\x41$", "A", 1 },
		{ "^\\101\\0$", "A", 0 }, { "^\\101$", "A", 1 },
		{ "^(?P<maj>\\d+)\\.(?<min>\\d+)$", "1.22", 1 },
		{ "^a(?i:b)c$", "aBc", 1 }, { "^a(?i:b)c$", "aBC", 0 },
		{ "^(?s:.)$", "\n", 1 }, { "^.$", "\n", 0 },
		{ "^a{2,3}$", "aaa", 1 }, { "^a{2,3}$", "aaaa", 0 },
		{ "^a{,2}$", "a{,2}", 1 }, { "^a{01}$", "a{01}", 1 },
		{ "^[[:alpha:]]+$", "abc", 1 }, { "^[[a]$", "[", 1 },
		{ "\\Q.*\\E$", "x.*", 1 }, { "\\Q.*\\E$", "xy", 0 },
		{ "", "anything", 1 }, { "^$", "", 1 },
		{ "(a|aa)*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", 0 },
		{ "(x+x+)+y", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 0 },
		{ "^.$", "\xff", 1 },			/* invalid UTF-8: one rune */
	};
	static const struct {
		const char *re, *why;
	} bad[] = {
		{ "+", "missing argument to repetition operator: `+`" },
		{ "a**", "invalid nested repetition operator: `**`" },
		{ "a*?+", "invalid nested repetition operator: `*?+`" },
		{ "a++", "invalid nested repetition operator: `++`" },
		{ "a{2}{3}", "invalid nested repetition operator: `{2}{3}`" },
		{ "a{1001}", "invalid repeat count: `{1001}`" },
		{ "a{3,2}", "invalid repeat count: `{3,2}`" },
		{ "(?=x)", "invalid or unsupported Perl syntax: `(?=`" },
		{ "(?!x)", "invalid or unsupported Perl syntax: `(?!`" },
		{ "(?>x)", "invalid or unsupported Perl syntax: `(?>`" },
		{ "(?<=a)b", "invalid named capture: `(?<=a)b`" },
		{ "(?P<a-b>x)", "invalid named capture: `(?P<a-b>`" },
		{ "(?i-)x", "invalid or unsupported Perl syntax: `(?i-)`" },
		{ "(a)\\1", "invalid escape sequence: `\\1`" },
		{ "\\Z", "invalid escape sequence: `\\Z`" },
		{ "\\K", "invalid escape sequence: `\\K`" },
		{ "[\\b]", "invalid escape sequence: `\\b`" },
		{ "\\x{110000}", "invalid escape sequence: `\\x{110000}`" },
		{ "a\\", "trailing backslash at end of expression: ``" },
		{ "[abc", "missing closing ]: `[abc`" },
		{ "[z-a]", "invalid character class range: `z-a`" },
		{ "[[:foo:]]", "invalid character class range: `[:foo:]`" },
		{ "(ab", "missing closing ): `(ab`" },
		{ "ab)", "unexpected ): `ab)`" },
		{ "(?P=n)", "invalid or unsupported Perl syntax: `(?P`" },
	};

	for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++)
		is_int(crd_schema_re_match(ms[i].re, ms[i].s), ms[i].want,
		       "match /%s/ against \"%s\"", ms[i].re, ms[i].s);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *why = NULL, want[256];

		snprintf(want, sizeof(want), "error parsing regexp: %s", bad[i].why);
		is_int(crd_schema_re_check(bad[i].re, &why), -1, "invalid /%s/", bad[i].re);
		is_str(why ? why : "(valid)", want, "invalid /%s/: Go's reason", bad[i].re);
		is_int(crd_schema_re_match(bad[i].re, "x"), -1, "no match with /%s/", bad[i].re);
		free(why);
	}
}

/* CRD admission: each invalid pattern is a cause at its schema path. */
static void pattern_causes(void)
{
	cJSON *s = cJSON_Parse(SPEC("{\"a\":{\"type\":\"string\",\"pattern\":\"(?=x)\"},"
				    "\"b\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"pattern\":\"\\\\d+\"}},"
				    "\"c\":{\"type\":\"string\",\"anyOf\":[{\"pattern\":\"+\"}]}}"));
	struct err e;

	err_clear(&e);
	crd_schema_check_patterns(s, "spec.versions[0].schema.openAPIV3Schema", &e);
	is_int((int)e.ncauses, 2, "two invalid patterns");
	is_str(e.causes[0].field,
	       "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].pattern",
	       "field of the first");
	is_str(e.causes[0].message,
	       "Invalid value: \"(?=x)\": must be a valid regular expression, but isn't: error parsing regexp: invalid or unsupported Perl syntax: `(?=`",
	       "message of the first");
	is_str(e.ncauses > 1 ? e.causes[1].field : "",
	       "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[c].anyOf[0].pattern",
	       "field under anyOf");
	cJSON_Delete(s);
}

int main(void)
{
	formats();
	regexes();
	pattern_causes();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run(&cases[i]);
	check_cases();
	strict_keeps();
	return tap_done();
}
