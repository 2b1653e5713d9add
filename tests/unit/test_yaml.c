/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_yaml: YAML -> JSON resolution (go-yaml v2 rules), structure
 * (anchors, merges, streams), errors, kubectl-style emission, and the
 * emit -> parse round trip on tricky values and on the API fixtures of
 * $SHARED_DIR/testdata/api-fixtures/HEAD (skipped when absent).
 */
#include "config.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/vec.h"
#include "common/yaml.h"
#include "tests/tap.h"

#define N(a) (sizeof(a) / sizeof(*(a)))

static void free_json(void *v)
{
	cJSON_Delete(v);
}

static char *yaml_to_json(const char *y, struct err *e)
{
	cJSON *v = kyaml_parse(y, strlen(y), e);
	char *s = v ? json_print(v) : NULL;

	cJSON_Delete(v);
	return s;
}

/* Plain and tagged scalars: "v: <in>" must give {"v":<out>}. */
static const struct {
	const char *in, *out;
} scalars[] = {
    {"y", "true"},
    {"Y", "true"},
    {"yes", "true"},
    {"Yes", "true"},
    {"YES", "true"},
    {"true", "true"},
    {"True", "true"},
    {"TRUE", "true"},
    {"on", "true"},
    {"On", "true"},
    {"ON", "true"},
    {"n", "false"},
    {"N", "false"},
    {"no", "false"},
    {"No", "false"},
    {"NO", "false"},
    {"false", "false"},
    {"False", "false"},
    {"FALSE", "false"},
    {"off", "false"},
    {"Off", "false"},
    {"OFF", "false"},
    {"yEs", "\"yEs\""},
    {"tRUE", "\"tRUE\""},
    {"~", "null"},
    {"null", "null"},
    {"Null", "null"},
    {"NULL", "null"},
    {"", "null"},
    {"nULL", "\"nULL\""},
    {"0", "0"},
    {"42", "42"},
    {"-17", "-17"},
    {"+5", "5"},
    {"0x1F", "31"},
    {"0X1f", "31"},
    {"-0x10", "-16"},
    {"0o17", "15"},
    {"017", "15"},
    {"0b101", "5"},
    {"1_000_000", "1000000"},
    {"0x_ff", "255"},
    {"08", "8"},
    {"0x", "\"0x\""},
    {"0xg", "\"0xg\""},
    {"9223372036854775807", "9.2233720368547758e+18"},
    {"18446744073709551615", "1.8446744073709552e+19"},
    {"1.5", "1.5"},
    {"-2.25", "-2.25"},
    {".5", "0.5"},
    {"1e3", "1000"},
    {"1.5E-2", "0.015"},
    {"+.5", "0.5"},
    {"1.", "1"},
    {"1e400", "\"1e400\""},
    {".e5", "\".e5\""},
    {"1.2.3", "\"1.2.3\""},
    {"_1", "\"_1\""},
    {"-x", "\"-x\""},
    {"+", "\"+\""},
    {"1_0.5", "10.5"},
    {"2001-12-14", "\"2001-12-14\""},
    {"1:20", "\"1:20\""},
    {"abc", "\"abc\""},
    {"'yes'", "\"yes\""},
    {"\"123\"", "\"123\""},
    {"\"\"", "\"\""},
    {"'~'", "\"~\""},
    {"!!str 123", "\"123\""},
    {"!!str yes", "\"yes\""},
    {"!!str", "\"\""},
    {"!!int \"42\"", "42"},
    {"!!float 3", "3"},
    {"!!bool \"off\"", "false"},
    {"!!null ''", "null"},
    {"!!binary aGVsbG8=", "\"hello\""},
    {"!!binary |\n  aGVs\n  bG8=", "\"hello\""},
    {"!!binary /w==", "\"\xef\xbf\xbd\""},
    {"!!binary ''", "\"\""},
    {".5_5", "0.55"},
    {"._5", "\"._5\""},
    {".5__5", "\".5__5\""},
    {"!custom 12", "\"12\""},
    {"! 12", "\"12\""},
    {"!!timestamp 2001-12-14", "\"2001-12-14\""},
    {"|\n  a\n  b", "\"a\\nb\\n\""},
    {"|-\n  a", "\"a\""},
    {">\n  a\n  b\n", "\"a b\\n\""},
    {"|\n  123", "\"123\\n\""},
    {"[1, two, 'three']", "[1,\"two\",\"three\"]"},
    {"{a: 1}", "{\"a\":1}"},
};

static void test_scalars(void)
{
	for (size_t i = 0; i < N(scalars); i++) {
		struct err e = {0};
		char *y = NULL, *got, *want;
		size_t n;
		FILE *f = open_memstream(&y, &n);

		fprintf(f, "v: %s\n", scalars[i].in);
		fclose(f);
		got = yaml_to_json(y, &e);
		want = NULL;
		n = strlen(scalars[i].out) + 8;
		want = malloc(n);
		snprintf(want, n, "{\"v\":%s}", scalars[i].out);
		is_str(got ? got : e.msg, want, "scalar %zu: %s", i,
		       strchr(scalars[i].in, '\n') ? "(block)" : scalars[i].in);
		free(got);
		free(want);
		free(y);
	}
}

static void test_special_floats(void)
{
	static const struct {
		const char *in;
		int sign; /* 0 = NaN */
	} cases[] = {
	    {".inf", 1},  {".Inf", 1},	 {".INF", 1},
	    {"+.inf", 1}, {"-.inf", -1}, {"-.Inf", -1},
	    {".nan", 0},  {".NaN", 0},	 {".NAN", 0},
	};

	for (size_t i = 0; i < N(cases); i++) {
		struct err e;
		cJSON *v = kyaml_parse(cases[i].in, strlen(cases[i].in), &e);
		double d = cJSON_IsNumber(v) ? v->valuedouble : 0;

		if (cases[i].sign)
			ok(cJSON_IsNumber(v) && isinf(d) &&
			       (d > 0) == (cases[i].sign > 0),
			   "%s is an infinity", cases[i].in);
		else
			ok(cJSON_IsNumber(v) && isnan(d), "%s is NaN",
			   cases[i].in);
		cJSON_Delete(v);
	}
}

static const struct {
	const char *name, *in, *out;
} docs[] = {
    {"nested", "a:\n  b:\n  - c: 1\n    d: [x, y, z]\n",
     "{\"a\":{\"b\":[{\"c\":1,\"d\":[\"x\",true,\"z\"]}]}}"},
    {"empty", "", "null"},
    {"comment only", "# nothing\n", "null"},
    {"lone ---", "---\na: 1\n", "{\"a\":1}"},
    {"trailing ---", "a: 1\n---\n", "{\"a\":1}"},
    {"json", "{\"a\": [1, 2.5, \"x\", true, null]}",
     "{\"a\":[1,2.5,\"x\",true,null]}"},
    {"alias", "a: &x {k: v}\nb: *x\n",
     "{\"a\":{\"k\":\"v\"},\"b\":{\"k\":\"v\"}}"},
    {"scalar alias", "a: &x 5\nb: *x\n", "{\"a\":5,\"b\":5}"},
    {"anchor redefined", "a: &x 1\nb: &x 2\nc: *x\n",
     "{\"a\":1,\"b\":2,\"c\":2}"},
    {"merge", "base: &b {x: 1, z: 2}\nd:\n  <<: *b\n  z: 3\n",
     "{\"base\":{\"x\":1,\"z\":2},\"d\":{\"z\":3,\"x\":1}}"},
    {"merge explicit wins", "b: &b {x: 1}\nd:\n  x: 2\n  <<: *b\n",
     "{\"b\":{\"x\":1},\"d\":{\"x\":2}}"},
    {"merge list", "a: &a {x: 1}\nb: &b {x: 2, z: 2}\nc:\n  <<: [*a, *b]\n",
     "{\"a\":{\"x\":1},\"b\":{\"x\":2,\"z\":2},\"c\":{\"x\":1,\"z\":2}}"},
    {"merge inline", "c:\n  <<: {p: 1}\n", "{\"c\":{\"p\":1}}"},
    {"quoted << is a key", "'<<': 1\n", "{\"<<\":1}"},
    {"int key", "1: a\n0x10: b\n", "{\"1\":\"a\",\"16\":\"b\"}"},
    {"float key", "1.5: a\n1e6: b\n.inf: c\n",
     "{\"1.5\":\"a\",\"1e+06\":\"b\",\".inf\":\"c\"}"},
    {"float32 key overflow", "1e300: a\n0.1: b\n",
     "{\".inf\":\"a\",\"0.1\":\"b\"}"},
    {"bool key", "on: a\nno: b\n", "{\"true\":\"a\",\"false\":\"b\"}"},
    {"alias keys", "a: &f 1.5\nb: &i 2\n*f : x\n*i : z\n",
     "{\"a\":1.5,\"b\":2,\"1.5\":\"x\",\"2\":\"z\"}"},
    {"quoted key", "\"on\": a\n", "{\"on\":\"a\"}"},
    {"json with surrogate pair", " {\"a\":\"\\ud83d\\ude00 \\/\"}",
     "{\"a\":\"\xf0\x9f\x98\x80 /\"}"},
    {"flow yaml starting with {", "{a: 1, b: [x]}", "{\"a\":1,\"b\":[\"x\"]}"},
    {"tab in flow", "{\"a\":\t1}", "{\"a\":1}"},
    {"utf8", "name: h\xc3\xa9llo\n", "{\"name\":\"h\xc3\xa9llo\"}"},
};

static void test_docs(void)
{
	for (size_t i = 0; i < N(docs); i++) {
		struct err e = {0};
		char *got = yaml_to_json(docs[i].in, &e);

		is_str(got ? got : e.msg, docs[i].out, "doc %s", docs[i].name);
		free(got);
	}
}

static const struct {
	const char *name, *in, *err;
} errors[] = {
    {"dup key", "a: 1\nb: 2\na: 3\n",
     "yaml: unmarshal errors:\n  line 3: key \"a\" already set in map"},
    {"dup after stringify", "1: a\n\"1\": b\n", "key \"1\" already set"},
    {"mapping in context", "a: b: c\n",
     "yaml: line 1, column 5: mapping values are not allowed in this context"},
    {"bad indent", "a:\n  b: 1\n c: 2\n", "yaml: line 3, column 2: "},
    {"unclosed flow", "a: [1, 2\n", "yaml: line "},
    {"unclosed quote", "a: \"abc\n", "yaml: line "},
    {"tab indent", "a:\n\tb: 1\n", "yaml: line 2"},
    {"unknown alias", "a: *nope\n",
     "yaml: line 1, column 4: unknown anchor 'nope' referenced"},
    {"bad int tag", "a: !!int abc\n",
     "yaml: cannot decode !!str `abc` as a !!int"},
    {"bad bool tag", "a: !!bool 1\n",
     "yaml: cannot decode !!int `1` as a !!bool"},
    {"bad base64", "a: !!binary '!!!'\n",
     "!!binary value contains invalid base64 data"},
    {"bad null tag", "a: !!null x\n", "cannot decode !!str `x` as a !!null"},
    {"merge scalar", "a:\n  <<: 1\n",
     "map merge requires map or sequence of maps as the value"},
    {"merge list of scalars", "a:\n  <<: [1]\n", "map merge requires map"},
    {"null key", "~: a\n",
     "map key must be a string, number or bool, not null"},
    {"seq key", "? [1]\n: a\n", "not a sequence"},
    {"map key", "? {a: 1}\n: a\n", "not a mapping"},
    {"two documents", "a: 1\n---\nb: 2\n",
     "yaml: expected a single document, found 2"},
    {"bad utf8", "a: \xff\xfe\xfd\n", "yaml: "},
    {"directive only", "%YAML 1.1\n", "yaml: line"},
};

static void test_errors(void)
{
	for (size_t i = 0; i < N(errors); i++) {
		struct err e = {0};
		cJSON *v = kyaml_parse(errors[i].in, strlen(errors[i].in), &e);

		ok(!v && e.code == ERR_PARSE, "error %s", errors[i].name);
		if (!ok(strstr(e.msg, errors[i].err) != NULL,
			"error %s message", errors[i].name))
			printf("# got: %s\n# want: %s\n", e.msg, errors[i].err);
		cJSON_Delete(v);
	}
}

static void test_limits(void)
{
	struct buf b = BUF_INIT;
	struct err e = {0};
	cJSON *v;

	/* ten levels of ten-fold aliases: 10^10 nodes if expanded */
	buf_adds(&b, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (char c = 'b'; c <= 'j'; c++) {
		buf_printf(&b, "%c: &%c [", c, c);
		for (int i = 0; i < 10; i++)
			buf_printf(&b, "%s*%c", i ? ", " : "", c - 1);
		buf_adds(&b, "]\n");
	}
	v = kyaml_parse(b.data, b.len, &e);
	ok(!v && strstr(e.msg, "excessive aliasing"), "alias bomb refused: %s",
	   e.msg);
	cJSON_Delete(v);
	/* a few levels are fine */
	buf_reset(&b);
	buf_adds(&b, "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n");
	v = kyaml_parse(b.data, b.len, &e);
	ok(cJSON_GetArraySize(json_get(v, "c[1][1]")) == 2,
	   "small aliasing expands");
	cJSON_Delete(v);
	/* a big string repeated through aliases hits the byte cap */
	buf_reset(&b);
	buf_adds(&b, "s: &s ");
	for (int i = 0; i < 100000; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "\nl: [");
	for (int i = 0; i < 200; i++)
		buf_adds(&b, i ? ", *s" : "*s");
	buf_adds(&b, "]\n");
	v = kyaml_parse(b.data, b.len, &e);
	ok(!v && strstr(e.msg, "excessive aliasing"), "alias byte cap: %s",
	   e.msg);
	cJSON_Delete(v);
	buf_reset(&b);
	for (int i = 0; i < 1001; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < 1001; i++)
		buf_addc(&b, ']');
	v = kyaml_parse(b.data, b.len, &e);
	ok(!v && strstr(e.msg, "exceeded max depth of 1000"),
	   "deep nesting refused: %s", e.msg);
	cJSON_Delete(v);
	buf_free(&b);
}

static void test_stream(void)
{
	static const struct {
		const char *in;
		size_t n;
		const char *first, *last;
	} cases[] = {
	    {"a: 1\n---\nb: 2\n", 2, "{\"a\":1}", "{\"b\":2}"},
	    {"---\na: 1\n---\n---\n# c\n---\nb: 2\n...\n", 2, "{\"a\":1}",
	     "{\"b\":2}"},
	    {"", 0, NULL, NULL},
	    {"---\n", 0, NULL, NULL},
	    {"--- 5\n--- x\n", 2, "5", "\"x\""},
	    {"a: &x 1\n---\nb: 2\n", 2, "{\"a\":1}", "{\"b\":2}"},
	};

	for (size_t i = 0; i < N(cases); i++) {
		struct vec docs_v = VEC_INIT;
		struct err e = {0};
		int rc = kyaml_parse_stream(cases[i].in, strlen(cases[i].in),
					    &docs_v, &e);

		ok(rc == 0 && docs_v.len == cases[i].n,
		   "stream %zu: %zu docs (%s)", i, docs_v.len, e.msg);
		if (docs_v.len && cases[i].first) {
			char *f = json_print(docs_v.items[0]);
			char *l = json_print(docs_v.items[docs_v.len - 1]);

			is_str(f, cases[i].first, "stream %zu first", i);
			is_str(l, cases[i].last, "stream %zu last", i);
			free(f);
			free(l);
		}
		vec_free(&docs_v, free_json);
	}
	struct vec d = VEC_INIT;
	struct err e = {0};
	const char *bad = "a: 1\n---\nb: *nope\n";

	ok(kyaml_parse_stream(bad, strlen(bad), &d, &e) == -1 && d.len == 1,
	   "stream error keeps earlier documents");
	ok(strstr(e.msg, "line 3") != NULL, "anchors are per document: %s",
	   e.msg);
	vec_free(&d, free_json);
}

/* JSON in, the exact text kubectl -o yaml prints. */
static const struct {
	const char *name, *json, *yaml;
} emits[] = {
    {"object",
     "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"p\"}}",
     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"},
    {"seq of maps",
     "{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"nginx\",\"ports\":"
     "[{\"containerPort\":80}]}]}}",
     "spec:\n  containers:\n  - image: nginx\n    name: a\n    ports:\n    - "
     "containerPort: 80\n"},
    {"empty containers", "{\"a\":{},\"b\":[],\"c\":null}",
     "a: {}\nb: []\nc: null\n"},
    {"quoted look-alikes",
     "{\"a\":\"1\",\"b\":\"true\",\"c\":\"\",\"d\":\"null\",\"e\":\"on\",\"f\":"
     "\"1.5\",\"g\":\"0x1F\",\"h\":\"~\",\"i\":\"1:20\",\"j\":\"y\"}",
     "a: \"1\"\nb: \"true\"\nc: \"\"\nd: \"null\"\ne: \"on\"\nf: \"1.5\"\ng: "
     "\"0x1F\"\nh: \"~\"\ni: \"1:20\"\nj: \"y\"\n"},
    {"special chars",
     "{\"a\":\"*\",\"b\":\"a: b\",\"c\":\"- x\",\"d\":\"#x\",\"e\":\" "
     "lead\",\"f\":\"plain text\"}",
     "a: '*'\nb: 'a: b'\nc: '- x'\nd: '#x'\ne: ' lead'\nf: plain text\n"},
    {"literal blocks", "{\"a\":\"x\\ny\\n\",\"b\":\"x\\ny\"}",
     "a: |\n  x\n  y\nb: |-\n  x\n  y\n"},
    {"numbers",
     "{\"a\":1,\"b\":-3,\"c\":1.5,\"d\":1e6,\"e\":0.0001,\"f\":1e-05,\"g\":1."
     "5e300,\"h\":1234567.5,\"i\":-0}",
     "a: 1\nb: -3\nc: 1.5\nd: 1000000\ne: 0.0001\nf: 1e-05\ng: 1.5e+300\nh: "
     "1.2345675e+06\ni: 0\n"},
    {"bools", "[true,false]", "- true\n- false\n"},
    {"key order", "{\"b\":1,\"a10\":2,\"a9\":3,\"B\":4,\"a_b\":5,\"ab\":6}",
     "B: 4\na_b: 5\na9: 3\na10: 2\nab: 6\nb: 1\n"},
    {"nested seqs", "[[1,2],[]]", "- - 1\n  - 2\n- []\n"},
    {"top scalar", "\"hello\"", "hello\n"},
    {"top null", "null", "null\n"},
    {"unicode", "{\"a\":\"h\\u00e9llo\"}", "a: h\xc3\xa9llo\n"},
    {"control char", "{\"a\":\"x\\u0001y\"}", "a: \"x\\x01y\"\n"},
    {"quoted keys", "{\"on\":1,\"1\":2}", "\"1\": 2\n\"on\": 1\n"},
    {"timestamps",
     "[\"2024-01-02T03:04:05Z\",\"2001-12-14 "
     "21:59:43.10\",\"2001-2-3\",\"2001-12-14t21:59:43+01:00\",\"2001-02-30\","
     "\"2001-12-14T21:59:43\",\"20011-01-01\",\"2001-13-01\"]",
     "- \"2024-01-02T03:04:05Z\"\n- \"2001-12-14 21:59:43.10\"\n- "
     "\"2001-2-3\"\n- \"2001-12-14t21:59:43+01:00\"\n- 2001-02-30\n- "
     "2001-12-14T21:59:43\n- 20011-01-01\n- 2001-13-01\n"},
};

static void test_emit(void)
{
	for (size_t i = 0; i < N(emits); i++) {
		struct err e = {0};
		cJSON *v = json_parse(emits[i].json, strlen(emits[i].json), &e);
		char *y = v ? kyaml_emit(v) : NULL;

		is_str(y ? y : e.msg, emits[i].yaml, "emit %s", emits[i].name);
		free(y);
		cJSON_Delete(v);
	}
	cJSON *v = cJSON_CreateString("bad \xff utf8");
	char *y = kyaml_emit(v);

	is_str(y, "bad \xef\xbf\xbd utf8\n", "invalid UTF-8 becomes U+FFFD");
	free(y);
	cJSON_Delete(v);
	v = cJSON_CreateObject();
	cJSON_AddStringToObject(
	    v, "k",
	    "a long line of words that goes on and on "
	    "well past the eighty column mark of the emitter");
	y = kyaml_emit(v);
	is_str(
	    y,
	    "k: a long line of words that goes on and on well past the eighty "
	    "column mark of the\n  emitter\n",
	    "long plain strings fold at 80");
	free(y);
	cJSON_Delete(v);
}

/* emit then parse gives an equal value; 0 or 1 failure. */
static int roundtrip(const cJSON *v, const char *name)
{
	struct err e = {0};
	char *y = kyaml_emit(v);
	cJSON *back = kyaml_parse(y, strlen(y), &e);
	int same = back && json_equal(v, back);

	if (!same) {
		char *j = json_print(v);

		printf("# %s: %s\n# yaml:\n%s# error: %s\n", name, j, y, e.msg);
		free(j);
	}
	free(y);
	cJSON_Delete(back);
	return same;
}

static const char *tricky[] = {
    "\"\"",
    "\" \"",
    "\"  \"",
    "\"yes\"",
    "\"No\"",
    "\"~\"",
    "\"null\"",
    "\"0\"",
    "\"0x10\"",
    "\"0o7\"",
    "\"1_000\"",
    "\"1e3\"",
    "\".5\"",
    "\".inf\"",
    "\"-.inf\"",
    "\".nan\"",
    "\"1:30\"",
    "\"2001-01-01\"",
    "\"a\\nb\"",
    "\"a\\n\"",
    "\"a\\n\\n\"",
    "\"\\n\"",
    "\"\\na\"",
    "\" a\\nb \"",
    "\"a \\nb\"",
    "\"\\t\"",
    "\"x\\u0000y\"",
    "\"\\u0085\"",
    "\"\\u2028\"",
    "\"\\ufeff\"",
    "\"#\"",
    "\"&a\"",
    "\"*a\"",
    "\"!a\"",
    "\"|\"",
    "\">\"",
    "\"%\"",
    "\"@\"",
    "\"`\"",
    "\"'\"",
    "\"\\\"\"",
    "\"- \"",
    "\"-\"",
    "\"? x\"",
    "\"a: b\"",
    "\"a #b\"",
    "\"[x]\"",
    "\"{x}\"",
    "\",\"",
    "\"---\"",
    "\"...\"",
    "\"<<\"",
    "\"=\"",
    "\"\\\\\"",
    "\"\xc3\xa9\"",
    "\"\xf0\x9f\x98\x80\"",
    "0",
    "-1",
    "1.5",
    "-0.001",
    "1e21",
    "1e-7",
    "123456789012",
    "9007199254740993",
    "1.7976931348623157e308",
    "5e-324",
    "18446744073709551615",
    "1e20",
    "0.1",
    "true",
    "false",
    "null",
    "{}",
    "[]",
    "[[]]",
    "[{}]",
    "{\"a\":[]}",
    "[null,\"\"]",
    "{\"\":1}",
    "{\" \":1}",
    "{\"a\\nb\":1}",
    "{\"yes\":\"no\"}",
    "{\"1\":1,\"01\":2}",
    "{\"<<\":{\"a\":1}}",
    "{\"a\":{\"b\":{\"c\":[1,{\"d\":\"e\"}]}}}",
    "{\"k\":\"a very long value with spaces that will have to be folded "
    "because it is longer than eighty columns for sure\"}",
    "{\"k\":"
    "\"averylongvaluewithoutanyspacesthatcannotbefoldedatalleventhoughitislonge"
    "rthaneightycolumns\"}",
    "[\"  leading and trailing  \", \"tab\\tinside\", \"trail\\t\"]",
    "{\"json\":\"{\\\"apiVersion\\\":\\\"v1\\\",\\\"kind\\\":\\\"Pod\\\"}"
    "\\n\"}",
};

static void test_roundtrip(void)
{
	for (size_t i = 0; i < N(tricky); i++) {
		struct err e = {0};
		cJSON *v = json_parse(tricky[i], strlen(tricky[i]), &e);

		ok(v && roundtrip(v, tricky[i]), "round trip %s", tricky[i]);
		cJSON_Delete(v);
	}
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_take(&b);
}

static void test_fixtures(void)
{
	const char *shared = getenv("SHARED_DIR");
	char dir[4096];
	struct dirent *de;
	DIR *d;
	int count = 0, good = 0;

	snprintf(dir, sizeof(dir), "%s/testdata/api-fixtures/HEAD",
		 shared ? shared : "/nonexistent");
	d = opendir(dir);
	if (!d) {
		printf("ok %d - fixtures # SKIP %s absent\n", ++tap_n, dir);
		return;
	}
	while ((de = readdir(d))) {
		char path[8192];
		size_t len;
		char *text;
		struct err e = {0};

		if (!strstr(de->d_name, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		text = slurp(path, &len);
		cJSON *v = text ? json_parse(text, len, &e) : NULL;

		count++;
		if (v && roundtrip(v, de->d_name))
			good++;
		else if (!v)
			printf("# %s: %s\n", de->d_name, e.msg);
		cJSON_Delete(v);
		free(text);
	}
	closedir(d);
	ok(count > 0 && good == count, "fixtures round trip: %d of %d", good,
	   count);
}

int main(void)
{
	test_scalars();
	test_special_floats();
	test_docs();
	test_errors();
	test_limits();
	test_stream();
	test_emit();
	test_roundtrip();
	test_fixtures();
	return tap_done();
}
