/* SPDX-License-Identifier: Apache-2.0 */
/* Table-driven tests of the three patch engines. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/patch.h"
#include "common/json.h"
#include "tests/tap.h"

enum kind { JP, MP, SMP };

static const struct {
	enum kind kind;
	const char *name, *doc, *patch;
	const char *want;	/* canonical JSON, or NULL when an error is expected */
	enum err_code code;
} cases[] = {
	/* RFC 6902 */
	{ JP, "add member", "{\"a\":1}", "[{\"op\":\"add\",\"path\":\"/b\",\"value\":2}]", "{\"a\":1,\"b\":2}", 0 },
	{ JP, "add to array end", "{\"a\":[1]}", "[{\"op\":\"add\",\"path\":\"/a/-\",\"value\":2}]", "{\"a\":[1,2]}", 0 },
	{ JP, "insert in array", "{\"a\":[1,3]}", "[{\"op\":\"add\",\"path\":\"/a/1\",\"value\":2}]", "{\"a\":[1,2,3]}", 0 },
	{ JP, "remove", "{\"a\":1,\"b\":2}", "[{\"op\":\"remove\",\"path\":\"/a\"}]", "{\"b\":2}", 0 },
	{ JP, "replace", "{\"a\":{\"b\":1}}", "[{\"op\":\"replace\",\"path\":\"/a/b\",\"value\":\"x\"}]", "{\"a\":{\"b\":\"x\"}}", 0 },
	{ JP, "escaped pointer", "{\"metadata\":{\"labels\":{\"a/b\":\"1\",\"c~d\":\"2\"}}}",
	  "[{\"op\":\"remove\",\"path\":\"/metadata/labels/a~1b\"},{\"op\":\"replace\",\"path\":\"/metadata/labels/c~0d\",\"value\":\"3\"}]",
	  "{\"metadata\":{\"labels\":{\"c~d\":\"3\"}}}", 0 },
	{ JP, "move", "{\"a\":1}", "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/b\"}]", "{\"b\":1}", 0 },
	{ JP, "copy", "{\"a\":[1]}", "[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/b\"}]", "{\"a\":[1],\"b\":[1]}", 0 },
	{ JP, "test passes", "{\"a\":{\"x\":1,\"y\":2}}", "[{\"op\":\"test\",\"path\":\"/a\",\"value\":{\"y\":2,\"x\":1}}]", "{\"a\":{\"x\":1,\"y\":2}}", 0 },
	{ JP, "test fails: nothing applied", "{\"a\":1}", "[{\"op\":\"add\",\"path\":\"/b\",\"value\":1},{\"op\":\"test\",\"path\":\"/a\",\"value\":2}]", NULL, ERR_INVALID },
	{ JP, "replace missing key", "{}", "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":1}]", NULL, ERR_INVALID },
	{ JP, "remove missing", "{}", "[{\"op\":\"remove\",\"path\":\"/a/b\"}]", NULL, ERR_INVALID },
	{ JP, "index out of range", "{\"a\":[]}", "[{\"op\":\"add\",\"path\":\"/a/5\",\"value\":1}]", NULL, ERR_INVALID },
	{ JP, "leading zero index", "{\"a\":[1,2]}", "[{\"op\":\"remove\",\"path\":\"/a/01\"}]", NULL, ERR_INVALID },
	{ JP, "unknown op", "{}", "[{\"op\":\"frob\",\"path\":\"/a\"}]", NULL, ERR_BAD_REQUEST },
	{ JP, "not an array", "{}", "{\"op\":\"add\"}", NULL, ERR_BAD_REQUEST },
	{ JP, "missing value", "{}", "[{\"op\":\"add\",\"path\":\"/a\"}]", NULL, ERR_BAD_REQUEST },
	{ JP, "bad pointer", "{}", "[{\"op\":\"add\",\"path\":\"a\",\"value\":1}]", NULL, ERR_BAD_REQUEST },
	{ JP, "move into own child", "{\"a\":{}}", "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/a/b\"}]", NULL, ERR_INVALID },
	{ JP, "replace whole document", "{\"a\":1}", "[{\"op\":\"replace\",\"path\":\"\",\"value\":{\"b\":2}}]", "{\"b\":2}", 0 },
	/* RFC 7386 (its appendix A examples) */
	{ MP, "replace scalar", "{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}", 0 },
	{ MP, "null removes", "{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}", 0 },
	{ MP, "arrays replace", "{\"a\":[\"b\"]}", "{\"a\":[\"c\"]}", "{\"a\":[\"c\"]}", 0 },
	{ MP, "nested null", "{\"e\":null}", "{\"a\":1}", "{\"a\":1,\"e\":null}", 0 },
	{ MP, "object over scalar", "{\"a\":\"foo\"}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}", 0 },
	{ MP, "scale", "{\"spec\":{\"replicas\":1,\"x\":2}}", "{\"spec\":{\"replicas\":5}}", "{\"spec\":{\"replicas\":5,\"x\":2}}", 0 },
	/* strategic merge patch */
	{ SMP, "containers merged by name",
	  "{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x:1\"},{\"name\":\"b\",\"image\":\"y:1\"}]}}",
	  "{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"y:2\"}]}}",
	  "{\"spec\":{\"containers\":[{\"image\":\"x:1\",\"name\":\"a\"},{\"image\":\"y:2\",\"name\":\"b\"}]}}", 0 },
	{ SMP, "new container appended",
	  "{\"spec\":{\"containers\":[{\"name\":\"a\"}]}}",
	  "{\"spec\":{\"containers\":[{\"name\":\"c\"}]}}",
	  "{\"spec\":{\"containers\":[{\"name\":\"a\"},{\"name\":\"c\"}]}}", 0 },
	{ SMP, "$patch delete in list",
	  "{\"spec\":{\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]}}",
	  "{\"spec\":{\"containers\":[{\"name\":\"a\",\"$patch\":\"delete\"}]}}",
	  "{\"spec\":{\"containers\":[{\"name\":\"b\"}]}}", 0 },
	{ SMP, "$patch replace list",
	  "{\"spec\":{\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]}}",
	  "{\"spec\":{\"containers\":[{\"name\":\"z\"},{\"$patch\":\"replace\"}]}}",
	  "{\"spec\":{\"containers\":[{\"name\":\"z\"}]}}", 0 },
	{ SMP, "$patch replace map",
	  "{\"metadata\":{\"labels\":{\"a\":\"1\",\"b\":\"2\"}}}",
	  "{\"metadata\":{\"labels\":{\"c\":\"3\",\"$patch\":\"replace\"}}}",
	  "{\"metadata\":{\"labels\":{\"c\":\"3\"}}}", 0 },
	{ SMP, "$patch delete map",
	  "{\"spec\":{\"strategy\":{\"type\":\"Recreate\"},\"x\":1}}",
	  "{\"spec\":{\"strategy\":{\"$patch\":\"delete\"}}}",
	  "{\"spec\":{\"x\":1}}", 0 },
	{ SMP, "env merged by name in a template",
	  "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"env\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"2\"}]}]}}}}",
	  "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"env\":[{\"name\":\"B\",\"value\":\"3\"}]}]}}}}",
	  "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"env\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"3\"}],\"name\":\"c\"}]}}}}", 0 },
	{ SMP, "container ports by containerPort",
	  "{\"spec\":{\"containers\":[{\"name\":\"c\",\"ports\":[{\"containerPort\":80,\"name\":\"http\"}]}]}}",
	  "{\"spec\":{\"containers\":[{\"name\":\"c\",\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\"},{\"containerPort\":443}]}]}}",
	  "{\"spec\":{\"containers\":[{\"name\":\"c\",\"ports\":[{\"containerPort\":80,\"name\":\"http\",\"protocol\":\"TCP\"},{\"containerPort\":443}]}]}}", 0 },
	{ SMP, "service ports by port",
	  "{\"spec\":{\"ports\":[{\"port\":80,\"targetPort\":8080}]}}",
	  "{\"spec\":{\"ports\":[{\"port\":80,\"name\":\"web\"}]}}",
	  "{\"spec\":{\"ports\":[{\"name\":\"web\",\"port\":80,\"targetPort\":8080}]}}", 0 },
	{ SMP, "atomic list replaced",
	  "{\"spec\":{\"containers\":[{\"name\":\"c\",\"args\":[\"a\",\"b\"]}]}}",
	  "{\"spec\":{\"containers\":[{\"name\":\"c\",\"args\":[\"z\"]}]}}",
	  "{\"spec\":{\"containers\":[{\"args\":[\"z\"],\"name\":\"c\"}]}}", 0 },
	{ SMP, "finalizers merge as a set",
	  "{\"metadata\":{\"finalizers\":[\"a\",\"b\"]}}",
	  "{\"metadata\":{\"finalizers\":[\"b\",\"c\"]}}",
	  "{\"metadata\":{\"finalizers\":[\"a\",\"b\",\"c\"]}}", 0 },
	{ SMP, "$deleteFromPrimitiveList",
	  "{\"metadata\":{\"finalizers\":[\"a\",\"b\"]}}",
	  "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"a\"]}}",
	  "{\"metadata\":{\"finalizers\":[\"b\"]}}", 0 },
	{ SMP, "$setElementOrder reorders",
	  "{\"spec\":{\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]}}",
	  "{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"b\"},{\"name\":\"a\"}],\"containers\":[{\"name\":\"a\",\"image\":\"i\"}]}}",
	  "{\"spec\":{\"containers\":[{\"name\":\"b\"},{\"image\":\"i\",\"name\":\"a\"}]}}", 0 },
	{ SMP, "$retainKeys clears other keys",
	  "{\"spec\":{\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1}}}}",
	  "{\"spec\":{\"strategy\":{\"$retainKeys\":[\"type\"],\"type\":\"Recreate\"}}}",
	  "{\"spec\":{\"strategy\":{\"type\":\"Recreate\"}}}", 0 },
	{ SMP, "kubectl rollout restart",
	  "{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"app\":\"w\"}}}}}",
	  "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"2026-01-01T00:00:00Z\"}}}}}",
	  "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"2026-01-01T00:00:00Z\"},\"labels\":{\"app\":\"w\"}}}}}", 0 },
	{ SMP, "null deletes a field", "{\"a\":1,\"b\":2}", "{\"a\":null}", "{\"b\":2}", 0 },
	{ SMP, "missing merge key", "{\"spec\":{\"containers\":[{\"name\":\"a\"}]}}",
	  "{\"spec\":{\"containers\":[{\"image\":\"x\"}]}}", NULL, ERR_BAD_REQUEST },
	{ SMP, "unknown $patch", "{}", "{\"$patch\":\"frob\"}", NULL, ERR_BAD_REQUEST },
	{ SMP, "not an object", "{}", "[1]", NULL, ERR_BAD_REQUEST },
};

static cJSON *parse(const char *s)
{
	struct err e;
	cJSON *v = json_parse(s, strlen(s), &e);

	if (!v)
		printf("# bad test JSON: %s: %s\n", s, e.msg);
	return v;
}

static void run_case(size_t i)
{
	cJSON *doc = parse(cases[i].doc), *patch = parse(cases[i].patch);
	char *before = json_canonical(doc);
	cJSON *out = NULL;
	struct err e;

	err_clear(&e);
	switch (cases[i].kind) {
	case JP: out = patch_json(doc, patch, &e); break;
	case MP: out = patch_merge(doc, patch, &e); break;
	case SMP: out = patch_strategic(doc, patch, &e); break;
	}
	if (cases[i].want) {
		cJSON *want = parse(cases[i].want);
		char *got = out ? json_canonical(out) : strdup(e.msg);
		char *w = json_canonical(want);

		is_str(got, w, "%s", cases[i].name);
		free(got);
		free(w);
		cJSON_Delete(want);
	} else {
		ok(!out && e.code == cases[i].code, "%s: error %s (%s)", cases[i].name,
		   err_reason(cases[i].code), e.msg);
	}
	char *after = json_canonical(doc);
	is_str(after, before, "%s: original untouched", cases[i].name);
	free(after);
	free(before);
	cJSON_Delete(out);
	cJSON_Delete(doc);
	cJSON_Delete(patch);
}

int main(void)
{
	const char *key = NULL;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(i);
	is_int(patch_list_strategy("containers", "ports", &key), PATCH_LIST_MERGE_KEY, "container ports keyed");
	is_str(key, "containerPort", "container ports key");
	is_int(patch_list_strategy("spec", "ports", &key), PATCH_LIST_MERGE_KEY, "service ports keyed");
	is_str(key, "port", "service ports key");
	is_int(patch_list_strategy("spec", "args", &key), PATCH_LIST_REPLACE, "args atomic");
	return tap_done();
}
