/* SPDX-License-Identifier: Apache-2.0 */
/* test_selector: label and field selector parsing, errors, matching. */
#include "config.h"

#include <stdlib.h>

#include "common/selector.h"
#include "../tap.h"

#define QNAME "name part must consist of alphanumeric characters, '-', " \
	"'_' or '.', and must start and end with an alphanumeric character " \
	"(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for " \
	"validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
#define VALUE "a valid label must be an empty string or consist of " \
	"alphanumeric characters, '-', '_' or '.', and must start and end " \
	"with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  " \
	"or '12345', regex used for validation is " \
	"'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
#define UPR "unable to parse requirement: "

static const struct {
	const char *in, *out;
} good[] = {
	{ "", "" },
	{ "a=b", "a=b" },
	{ "a==b", "a==b" },
	{ "a!=b", "a!=b" },
	{ " a = b ", "a=b" },
	{ "b=1,a=2", "a=2,b=1" },
	{ "a", "a" },
	{ "!a", "!a" },
	{ "a in (y,x,x)", "a in (x,y)" },
	{ "x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()" },
	{ "a notin(in)", "a notin (in)" },
	{ "a>1,b<2", "a>1,b<2" },
	{ "a=", "a=" },
	{ "example.com/app=web,!k8s.io/x", "example.com/app=web,!k8s.io/x" },
	{ "a=b,a!=c", "a=b,a!=c" },
	{ "in=notin", "in=notin" },
};

static const struct {
	const char *in, *msg;
} bad[] = {
	{ "a in", UPR "found '' expected: '('" },
	{ "!a=b", "found '=', expected: ',' or 'end of string'" },
	{ "a,", "found '', expected: identifier after ','" },
	{ "=a", "found '=', expected: !, identifier, or 'end of string'" },
	{ "a b", UPR "found 'b', expected: in, notin, =, ==, !=, gt, lt" },
	{ "a in (b c)", UPR "found 'c', expected: ',' or ')'" },
	{ "a in (=)", UPR "found '=', expected: ',', ')' or identifier" },
	{ "a=b c", "found 'c', expected: ',' or 'end of string'" },
	{ "a=(", UPR "found '(', expected: identifier" },
	{ "a@b=c", UPR "<nil>: Invalid value: \"a@b\": " QNAME },
	{ "a=b@", UPR "values[0][a]: Invalid value: \"b@\": " VALUE },
	{ "a>x", UPR "values[0]: Invalid value: \"x\": for 'Gt', 'Lt' "
	  "operators, the value must be an integer" },
	{ "Example.com/a", UPR "<nil>: Invalid value: \"Example.com/a\": "
	  "prefix part a lowercase RFC 1123 subdomain must consist of lower "
	  "case alphanumeric characters, '-' or '.', and must start and end "
	  "with an alphanumeric character (e.g. 'example.com', regex used for "
	  "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
	  "[a-z0-9])?)*')" },
	{ "/a", UPR "<nil>: Invalid value: \"/a\": prefix part must be "
	  "non-empty" },
	{ "a/", UPR "<nil>: Invalid value: \"a/\": name part must be "
	  "non-empty; " QNAME },
};

static void test_parse(void)
{
	struct label_selector *s;
	struct err e;
	size_t i;
	char *str;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!ok(selector_parse(good[i].in, &s, &e) == 0, "parse '%s'",
			good[i].in)) {
			diag(e.msg);
			continue;
		}
		str = selector_string(s);
		is_str(str, good[i].out, "'%s' prints", good[i].in);
		free(str);
		selector_free(s);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = NULL;
		is_int(selector_parse(bad[i].in, &s, &e), -1, "'%s' fails",
		       bad[i].in);
		is_str(e.msg, bad[i].msg, "'%s' message", bad[i].in);
		is_int(e.code, ERR_BAD_REQUEST, "'%s' code", bad[i].in);
		ok(s == NULL, "'%s' no selector", bad[i].in);
	}
}

static const struct {
	const char *sel;
	bool want;
} matches[] = {
	{ "", true }, { "app=web", true }, { "app=db", false },
	{ "app!=db", true }, { "missing!=x", true }, { "app in (db,web)", true },
	{ "app notin (web)", false }, { "missing notin (web)", true },
	{ "app", true }, { "!app", false }, { "!missing", true },
	{ "n>4", true }, { "n>5", false }, { "n<6", true }, { "app>1", false },
	{ "missing<1", false }, { "app=web,tier=fe", true },
	{ "app=web,tier=be", false }, { "empty=", true }, { "empty", true },
};

static void test_match(void)
{
	cJSON *labels = cJSON_Parse("{\"app\":\"web\",\"tier\":\"fe\","
				    "\"n\":\"5\",\"empty\":\"\"}");
	struct label_selector *s;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
		if (selector_parse(matches[i].sel, &s, &e) < 0) {
			ok(0, "parse %s: %s", matches[i].sel, e.msg);
			continue;
		}
		is_int(selector_matches(s, labels), matches[i].want,
		       "'%s' matches", matches[i].sel);
		selector_free(s);
	}
	ok(selector_parse("a", &s, &e) == 0 && !selector_matches(s, NULL),
	   "no labels, exists fails");
	selector_free(s);
	cJSON_Delete(labels);
}

static const struct {
	const char *json, *out, *msg;
} lsel[] = {
	{ "{}", "", NULL },
	{ "{\"matchLabels\":{\"b\":\"2\",\"a\":\"1\"}}", "a=1,b=2", NULL },
	{ "{\"matchLabels\":{\"z\":\"1\"},\"matchExpressions\":[{\"key\":"
	  "\"a\",\"operator\":\"In\",\"values\":[\"y\",\"x\"]},{\"key\":\"c\","
	  "\"operator\":\"DoesNotExist\"}]}", "a in (x,y),!c,z=1", NULL },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\"}]}",
	  "a", NULL },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Foo\"}]}",
	  NULL, "\"Foo\" is not a valid label selector operator" },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\"}]}", NULL,
	  "values: Invalid value: []string(nil): for 'in', 'notin' "
	  "operators, values set can't be empty" },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\","
	  "\"values\":[\"x\",\"y\"]}]}", NULL, "values: Invalid value: "
	  "[]string{\"x\", \"y\"}: values set must be empty for exists and "
	  "does not exist" },
	{ "{\"matchLabels\":{\"a b\":\"c\"}}", NULL,
	  "key: Invalid value: \"a b\": " QNAME },
	{ "{\"matchLabels\":{\"a b\":\"c d\"}}", NULL,
	  "[key: Invalid value: \"a b\": " QNAME ", values[0][a b]: Invalid "
	  "value: \"c d\": " VALUE "]" },
	{ "[]", NULL, "label selector must be an object" },
};

static void test_json(void)
{
	struct label_selector *s;
	struct err e;
	size_t i;
	cJSON *j;
	char *str;

	for (i = 0; i < sizeof(lsel) / sizeof(lsel[0]); i++) {
		j = cJSON_Parse(lsel[i].json);
		s = NULL;
		if (lsel[i].out) {
			ok(selector_from_json(j, &s, &e) == 0, "json %zu", i);
			str = s ? selector_string(s) : NULL;
			is_str(str, lsel[i].out, "json %zu prints", i);
			free(str);
		} else {
			is_int(selector_from_json(j, &s, &e), -1, "json %zu "
			       "fails", i);
			is_str(e.msg, lsel[i].msg, "json %zu message", i);
		}
		selector_free(s);
		cJSON_Delete(j);
	}
	ok(selector_from_json(NULL, &s, &e) == 0 && s->nothing &&
	   !selector_matches(s, NULL), "null selector matches nothing");
	selector_free(s);
	j = cJSON_Parse("{}");
	ok(selector_from_json(j, &s, &e) == 0 && selector_is_everything(s),
	   "{} is everything");
	selector_free(s);
	cJSON_Delete(j);
}

static const char *get_field(const char *field, void *ctx)
{
	if (!strcmp(field, "metadata.name"))
		return "web-1";
	if (!strcmp(field, "status.phase"))
		return "Running";
	if (!strcmp(field, "spec.odd"))
		return "a,b=c\\";
	return NULL;
}

static const struct {
	const char *in, *out, *msg;
	bool match;
} fsel[] = {
	{ "", "", NULL, true },
	{ "metadata.name=web-1", "metadata.name=web-1", NULL, true },
	{ "status.phase!=Running,metadata.name==web-1",
	  "metadata.name=web-1,status.phase!=Running", NULL, false },
	{ "spec.odd=a\\,b\\=c\\\\", "spec.odd=a\\,b\\=c\\\\", NULL, true },
	{ "spec.nodeName=", "spec.nodeName=", NULL, true },
	{ "a=b,,", "a=b", NULL, false },
	{ "abc", NULL, "invalid selector: 'abc'; can't understand 'abc'", false },
	{ "a=b=c", NULL, "invalid field selector: unescaped character in "
	  "value: 61", false },
	{ "a=\\x", NULL, "invalid field selector: invalid escape sequence: "
	  "\\x", false },
	{ "a=b\\", NULL, "invalid field selector: invalid escape sequence: "
	  "\\", false },
};

static void test_fields(void)
{
	struct field_selector *f;
	struct err e;
	size_t i;
	char *str;

	for (i = 0; i < sizeof(fsel) / sizeof(fsel[0]); i++) {
		f = NULL;
		if (!fsel[i].out) {
			is_int(selector_field_parse(fsel[i].in, &f, &e), -1,
			       "field '%s' fails", fsel[i].in);
			is_str(e.msg, fsel[i].msg, "field '%s' msg", fsel[i].in);
			continue;
		}
		if (!ok(selector_field_parse(fsel[i].in, &f, &e) == 0,
			"field '%s'", fsel[i].in))
			continue;
		str = selector_field_string(f);
		is_str(str, fsel[i].out, "field '%s' prints", fsel[i].in);
		is_int(selector_field_matches(f, get_field, NULL),
		       fsel[i].match, "field '%s' matches", fsel[i].in);
		free(str);
		selector_field_free(f);
	}
	selector_field_parse("metadata.name=x,status.phase!=y", &f, &e);
	is_str(selector_field_requires(f, "metadata.name"), "x", "requires");
	is_str(selector_field_requires(f, "status.phase"), NULL, "!= not "
	       "required");
	selector_field_free(f);
}

int main(void)
{
	test_parse();
	test_match();
	test_json();
	test_fields();
	return tap_done();
}
