/* SPDX-License-Identifier: Apache-2.0 */
/* test_json: parsing, error positions, paths, copy, equality, canonical. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "tests/tap.h"

static cJSON *P(const char *s)
{
	struct err e;

	return json_parse(s, strlen(s), &e);
}

static void check_print(const cJSON *v, const char *want, const char *name)
{
	char *s = json_print(v);

	is_str(s, want, "%s", name);
	free(s);
}

static const struct {
	const char *in;
	const char *out;     /* compact print, NULL = parse error */
	const char *errpart; /* substring of the error message */
} parse_cases[] = {
    {"{\"a\":1}", "{\"a\":1}", NULL},
    {"  [1, 2.5, \"x\", true, null]  \n", "[1,2.5,\"x\",true,null]", NULL},
    {"\"\\u00e9\\n\"", "\"\xc3\xa9\\n\"", NULL},
    {"-0.5e3", "-500", NULL},
    {"", NULL, "unexpected end of input at offset 0 (line 1, column 1)"},
    {"   ", NULL, "unexpected end of input"},
    {"{\"a\":1} x", NULL,
     "trailing data after value at offset 8 (line 1, column 9)"},
    {"{\"a\":1}{}", NULL, "trailing data"},
    {"{\n  \"a\": tru\n}", NULL, "(line 2"},
    {"{\"a\":", NULL, "json: "},
    {"[1,2", NULL, "json: "},
    {"\"a\x01\"", NULL, "control character at offset 2"},
    {"{'a':1}", NULL, "syntax error at offset"},
    {"\"\\ud800\"", NULL, "json: "},
    {"nul", NULL, "json: "},
    {"\"a\nb\"", NULL, "control character at offset 2"},
};

static void test_parse(void)
{
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(*parse_cases);
	     i++) {
		struct err e = {0};
		const char *in = parse_cases[i].in;
		cJSON *v = json_parse(in, strlen(in), &e);

		if (parse_cases[i].out) {
			ok(v != NULL, "parse ok: case %zu", i);
			if (v)
				check_print(v, parse_cases[i].out, "print");
		} else {
			ok(v == NULL && e.code == ERR_PARSE,
			   "parse fails: case %zu", i);
			ok(strstr(e.msg, parse_cases[i].errpart) != NULL,
			   "message '%s' has '%s'", e.msg,
			   parse_cases[i].errpart);
		}
		cJSON_Delete(v);
	}
}

static void test_parse_len_and_depth(void)
{
	struct err e = {0};
	cJSON *v = json_parse("[1]garbage", 3, &e);
	size_t n = 1001 * 2;
	char *deep = malloc(n + 1);

	ok(v && cJSON_IsArray(v), "length limits the text");
	cJSON_Delete(v);
	v = json_parse("1\0"
		       "2",
		       3, &e);
	ok(!v && e.code == ERR_PARSE, "NUL byte in text is an error");
	for (size_t i = 0; i < 1001; i++) {
		deep[i] = '[';
		deep[n - 1 - i] = ']';
	}
	deep[n] = '\0';
	v = json_parse(deep, n, &e);
	ok(!v && strstr(e.msg, "nesting deeper than 1000"),
	   "1001 deep refused: %s", e.msg);
	v = json_parse(deep + 1, n - 2, &e);
	ok(v != NULL, "1000 deep accepted");
	cJSON_Delete(v);
	const char *tricky = "[\"[[[[\", \"\\\"{{\"]";

	v = json_parse(tricky, strlen(tricky), &e);
	ok(v != NULL, "brackets in strings do not count");
	cJSON_Delete(v);
	free(deep);
}

static const char *doc =
    "{\"metadata\":{\"name\":\"web\",\"labels\":{\"app.kubernetes.io/name\":"
    "\"x\"},\"generation\":3},\"spec\":{\"replicas\":2,\"paused\":true,"
    "\"containers\":[{\"name\":\"a\",\"image\":\"nginx\"},{\"name\":\"b\"}],"
    "\"f\":1.5,\"big\":1e30}}";

static const struct {
	const char *path;
	const char *want; /* compact print of the value, NULL = missing */
} get_cases[] = {
    {"metadata.name", "\"web\""},
    {"metadata.labels.app\\.kubernetes\\.io/name", "\"x\""},
    {"spec.containers.[0].image", "\"nginx\""},
    {"spec.containers[1].name", "\"b\""},
    {"spec.containers[2].name", NULL},
    {"spec.containers[1].image", NULL},
    {"spec.containers.name", NULL},
    {"spec.replicas.x", NULL},
    {"metadata..name", NULL},
    {"metadata.", NULL},
    {".metadata", NULL},
    {"spec.containers[x]", NULL},
    {"spec.containers[0", NULL},
    {"spec.containers[0]x", NULL},
    {"[0]", NULL},
    {"Metadata.name", NULL},
};

static void test_get(void)
{
	cJSON *v = P(doc);
	int64_t n = -1;

	for (size_t i = 0; i < sizeof(get_cases) / sizeof(*get_cases); i++) {
		cJSON *g = json_get(v, get_cases[i].path);
		char *s = g ? json_print(g) : NULL;

		is_str(s, get_cases[i].want, "get %s", get_cases[i].path);
		free(s);
	}
	ok(json_get(v, "") == v, "empty path is the root");
	ok(json_get(NULL, "a") == NULL, "NULL root");
	is_str(json_get_str(v, "metadata.name"), "web", "get_str");
	ok(json_get_str(v, "spec.replicas") == NULL, "get_str on number");
	ok(json_get_int(v, "spec.replicas", &n) == 0 && n == 2, "get_int");
	n = 7;
	ok(json_get_int(v, "spec.f", &n) == -1 && n == 7,
	   "get_int non-integral");
	ok(json_get_int(v, "spec.big", &n) == -1, "get_int out of range");
	ok(json_get_int(v, "metadata.name", &n) == -1, "get_int on string");
	ok(json_get_int(v, "nope", &n) == -1, "get_int missing");
	ok(json_get_bool(v, "spec.paused", false), "get_bool");
	ok(json_get_bool(v, "spec.replicas", true),
	   "get_bool default on number");
	ok(!json_get_bool(v, "nope", false), "get_bool default on missing");
	cJSON_Delete(v);
}

static const struct {
	const char *path;
	int rc;
	const char *after; /* whole object after the set */
} set_cases[] = {
    {"a", 0, "{\"a\":\"v\",\"o\":{\"k\":1},\"arr\":[1],\"s\":\"x\"}"},
    {"o.k", 0, "{\"a\":1,\"o\":{\"k\":\"v\"},\"arr\":[1],\"s\":\"x\"}"},
    {"n.m.p", 0,
     "{\"a\":1,\"o\":{\"k\":1},\"arr\":[1],\"s\":\"x\",\"n\":{\"m\":{\"p\":"
     "\"v\"}}}"},
    {"arr[0]", 0, "{\"a\":1,\"o\":{\"k\":1},\"arr\":[\"v\"],\"s\":\"x\"}"},
    {"arr[1]", 0, "{\"a\":1,\"o\":{\"k\":1},\"arr\":[1,\"v\"],\"s\":\"x\"}"},
    {"arr[2]", -1, NULL},
    {"s.x", -1, NULL},
    {"a.b", -1, NULL},
    {"o[0]", -1, NULL},
    {"x[0]", -1, NULL},
    {"", -1, NULL},
    {"a\\.b", 0,
     "{\"a\":1,\"o\":{\"k\":1},\"arr\":[1],\"s\":\"x\",\"a.b\":\"v\"}"},
};

static void test_set(void)
{
	const char *base = "{\"a\":1,\"o\":{\"k\":1},\"arr\":[1],\"s\":\"x\"}";

	for (size_t i = 0; i < sizeof(set_cases) / sizeof(*set_cases); i++) {
		cJSON *v = P(base);
		int rc = json_set_str(v, set_cases[i].path, "v");

		is_int(rc, set_cases[i].rc, "set %s rc", set_cases[i].path);
		check_print(v, set_cases[i].after ? set_cases[i].after : base,
			    set_cases[i].path);
		cJSON_Delete(v);
	}
	ok(json_set(NULL, "a", cJSON_CreateNull()) == -1, "set on NULL root");
	cJSON *v = P("{}");
	ok(json_set_int(v, "x.y", 42) == 0, "set_int");
	check_print(v, "{\"x\":{\"y\":42}}", "set_int result");
	ok(json_set(v, "x", NULL) == -1, "set NULL value");
	cJSON_Delete(v);
}

static void test_del(void)
{
	cJSON *v = P("{\"a\":{\"b\":1,\"c\":[1,2,3]},\"d\":2}");

	is_int(json_del(v, "a.b"), 0, "del a.b");
	is_int(json_del(v, "a.b"), -1, "del a.b again");
	is_int(json_del(v, "a.c[1]"), 0, "del a.c[1]");
	is_int(json_del(v, "a.c[5]"), -1, "del out of range");
	is_int(json_del(v, "zz.y"), -1, "del missing parent");
	is_int(json_del(v, ""), -1, "del empty path");
	check_print(v, "{\"a\":{\"c\":[1,3]},\"d\":2}", "after del");
	cJSON_Delete(v);
}

static const struct {
	const char *a, *b;
	bool eq;
} eq_cases[] = {
    {"{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}", true},
    {"{\"a\":1}", "{\"a\":1.0}", true},
    {"{\"a\":1}", "{\"a\":1,\"b\":null}", false},
    {"[1,2]", "[2,1]", false},
    {"[1,2]", "[1,2,3]", false},
    {"\"1\"", "1", false},
    {"true", "false", false},
    {"null", "null", true},
    {"{\"a\":[{\"x\":{}}]}", "{\"a\":[{\"x\":{}}]}", true},
    {"{\"a\":[]}", "{\"a\":{}}", false},
    {"{\"A\":1}", "{\"a\":1}", false},
};

static void test_equal_dup(void)
{
	for (size_t i = 0; i < sizeof(eq_cases) / sizeof(*eq_cases); i++) {
		cJSON *a = P(eq_cases[i].a), *b = P(eq_cases[i].b);

		ok(json_equal(a, b) == eq_cases[i].eq, "equal %s %s",
		   eq_cases[i].a, eq_cases[i].b);
		cJSON *c = json_dup(a);
		ok(c != a && json_equal(a, c), "dup equal %s", eq_cases[i].a);
		cJSON_Delete(a);
		cJSON_Delete(b);
		cJSON_Delete(c);
	}
	ok(json_equal(NULL, NULL), "NULL == NULL");

	/* big objects take the hashed path; duplicates fall back */
	cJSON *a = cJSON_CreateObject(), *b = cJSON_CreateObject();

	for (int i = 0; i < 100; i++) {
		char k[16];

		snprintf(k, sizeof(k), "k%d", i);
		cJSON_AddNumberToObject(a, k, i);
		snprintf(k, sizeof(k), "k%d", 99 - i);
		cJSON_AddNumberToObject(b, k, 99 - i);
	}
	ok(json_equal(a, b), "big objects in different order");
	cJSON_ReplaceItemInObjectCaseSensitive(b, "k50", cJSON_CreateNumber(7));
	ok(!json_equal(a, b), "big objects differing in one value");
	cJSON_DeleteItemFromObjectCaseSensitive(b, "k50");
	cJSON_AddNumberToObject(b, "k51", 51);
	ok(!json_equal(a, b), "big objects: duplicate key in b");
	cJSON_DeleteItemFromObjectCaseSensitive(a, "k50");
	cJSON_AddNumberToObject(a, "k51", 51);
	ok(json_equal(a, b), "big objects with the same duplicate");
	cJSON_Delete(a);
	cJSON_Delete(b);
	ok(json_dup(NULL) == NULL, "dup NULL");
}

static void test_canonical(void)
{
	cJSON *v = P("{\"z\":1,\"a\":{\"y\":[{\"b\":1,\"a\":2}],\"x\":null},"
		     "\"m\":\"s\"}");
	char *s = json_canonical(v);

	is_str(s,
	       "{\"a\":{\"x\":null,\"y\":[{\"a\":2,\"b\":1}]},\"m\":\"s\","
	       "\"z\":1}",
	       "canonical sorts keys recursively");
	free(s);
	check_print(v,
		    "{\"z\":1,\"a\":{\"y\":[{\"b\":1,\"a\":2}],\"x\":null},"
		    "\"m\":\"s\"}",
		    "canonical leaves the input alone");
	cJSON_Delete(v);
	s = json_canonical(NULL);
	is_str(s, "null", "canonical NULL");
	free(s);
	s = json_print(NULL);
	is_str(s, "null", "print NULL");
	free(s);
}

static void test_obj(void)
{
	cJSON *v = P("{\"a\":1,\"o\":{\"k\":1}}");
	cJSON *o = json_obj_ensure(v, "o");

	ok(o && json_obj(o, "k"), "ensure keeps an object");
	o = json_obj_ensure(v, "a");
	ok(cJSON_IsObject(o) && cJSON_IsObject(json_obj(v, "a")),
	   "ensure replaces a non-object");
	o = json_obj_ensure(v, "new");
	ok(cJSON_IsObject(json_obj(v, "new")) && o == json_obj(v, "new"),
	   "ensure creates");
	ok(json_obj_ensure(json_obj(v, "x"), "k") == NULL, "ensure on NULL");
	ok(json_obj(v, "A") == NULL, "obj is case-sensitive");
	cJSON *arr = cJSON_CreateArray();
	ok(json_obj(arr, "a") == NULL, "obj on array");
	cJSON_Delete(arr);
	cJSON_Delete(v);
}

int main(void)
{
	test_parse();
	test_parse_len_and_depth();
	test_get();
	test_set();
	test_del();
	test_equal_dup();
	test_canonical();
	test_obj();
	return tap_done();
}
