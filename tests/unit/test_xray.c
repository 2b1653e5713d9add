/* SPDX-License-Identifier: Apache-2.0 */
/* xray: owner trees built from parsed objects (no terminal, no source). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "tests/tap.h"
#include "tui/tui.h"

#define OWN(kind, name, uid) \
	"\"ownerReferences\":[{\"kind\":\"" kind "\",\"name\":\"" name \
	"\",\"uid\":\"" uid "\",\"controller\":true}]"

static const char objs_json[] =
	"{\"deployments\":[{\"metadata\":{\"name\":\"web\",\"namespace\":\"d\",\"uid\":\"u-dep\"},"
	"  \"spec\":{\"replicas\":2},\"status\":{\"readyReplicas\":1}}],"
	" \"replicasets\":["
	"  {\"metadata\":{\"name\":\"web-new\",\"namespace\":\"d\",\"uid\":\"u-rs2\","
	     OWN("Deployment", "web", "u-dep") "},\"spec\":{\"replicas\":2},"
	"   \"status\":{\"readyReplicas\":1}},"
	"  {\"metadata\":{\"name\":\"web-old\",\"namespace\":\"d\",\"uid\":\"u-rs1\","
	     OWN("Deployment", "web", "u-dep") "},\"spec\":{\"replicas\":0}},"
	"  {\"metadata\":{\"name\":\"stray\",\"namespace\":\"d\",\"uid\":\"u-rs3\"}}],"
	" \"pods\":["
	"  {\"metadata\":{\"name\":\"web-new-a\",\"namespace\":\"d\","
	     OWN("ReplicaSet", "web-new", "u-rs2") "},"
	"   \"spec\":{\"containers\":[{\"name\":\"app\"},{\"name\":\"side\"}]},"
	"   \"status\":{\"phase\":\"Running\",\"containerStatuses\":["
	"    {\"name\":\"app\",\"ready\":true,\"restartCount\":3,\"state\":{\"running\":{}}},"
	"    {\"name\":\"side\",\"ready\":false,\"restartCount\":0,"
	"     \"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}}}]}},"
	"  {\"metadata\":{\"name\":\"web-new-b\",\"namespace\":\"d\","
	     OWN("ReplicaSet", "web-new", "u-rs2") "},"
	"   \"spec\":{\"containers\":[{\"name\":\"app\"}]},"
	"   \"status\":{\"phase\":\"Failed\",\"containerStatuses\":["
	"    {\"name\":\"app\",\"ready\":false,\"restartCount\":1,"
	"     \"state\":{\"terminated\":{\"reason\":\"Error\",\"exitCode\":2}}}]}},"
	"  {\"metadata\":{\"name\":\"orphan\",\"namespace\":\"d\"},"
	"   \"spec\":{\"containers\":[{\"name\":\"app\"}]}}],"
	" \"services\":[{\"metadata\":{\"name\":\"web\",\"namespace\":\"d\"},"
	"   \"spec\":{\"type\":\"ClusterIP\",\"clusterIP\":\"10.96.0.9\"}}],"
	" \"endpointslices\":["
	"  {\"metadata\":{\"name\":\"web-x1\",\"namespace\":\"d\","
	"   \"labels\":{\"kubernetes.io/service-name\":\"web\"}},"
	"   \"endpoints\":["
	"    {\"addresses\":[\"10.0.0.1\"],\"conditions\":{\"ready\":true},"
	"     \"targetRef\":{\"kind\":\"Pod\",\"name\":\"web-new-a\"}},"
	"    {\"addresses\":[\"10.0.0.2\"],\"conditions\":{\"ready\":false},"
	"     \"targetRef\":{\"kind\":\"Pod\",\"name\":\"web-new-b\"}}]},"
	"  {\"metadata\":{\"name\":\"other-x\",\"namespace\":\"d\","
	"   \"labels\":{\"kubernetes.io/service-name\":\"other\"}},\"endpoints\":[]}]}";

/* The tree of the first object of plural, lines joined with "\n". */
static char *tree(const cJSON *objs, const char *plural, struct vec *lines)
{
	const cJSON *root = cJSON_GetArrayItem(cJSON_GetObjectItem(objs, plural), 0);
	struct buf b = BUF_INIT;

	xray_build(plural, root, objs, lines);
	for (size_t i = 0; i < lines->len; i++)
		buf_printf(&b, "%s\n", ((struct xray_line *)lines->items[i])->text);
	return buf_take(&b);
}

static void test_deployment(const cJSON *objs)
{
	struct vec lines = VEC_INIT;
	char *t = tree(objs, "deployments", &lines);
	const struct xray_line *l;

	is_str(t,
	       "Deployment/web  ready 1/2\n"
	       "├─ ReplicaSet/web-new  ready 1/2\n"
	       "│  ├─ Pod/web-new-a  Running 1/2\n"
	       "│  │  ├─ container app  Running, restarts 3\n"
	       "│  │  └─ container side  Waiting: CrashLoopBackOff, restarts 0\n"
	       "│  └─ Pod/web-new-b  Failed 0/1\n"
	       "│     └─ container app  Terminated: Error (exit 2), restarts 1\n"
	       "└─ ReplicaSet/web-old  ready 0/0\n",
	       "deployment -> replica sets -> pods -> containers");
	ok(!strstr(t, "stray") && !strstr(t, "orphan"), "orphans are not shown");
	is_int((long long)lines.len, 8, "8 lines");
	l = lines.items[2];
	is_str(l->plural, "pods", "pod line has its kind");
	is_str(l->ns, "d", "and namespace");
	is_str(l->name, "web-new-a", "and name");
	ok(((struct xray_line *)lines.items[3])->plural == NULL,
	   "container lines have no object");
	free(t);
	vec_free(&lines, xray_line_free);
}

static void test_service(const cJSON *objs)
{
	struct vec lines = VEC_INIT;
	char *t = tree(objs, "services", &lines);

	is_str(t,
	       "Service/web  ClusterIP 10.96.0.9\n"
	       "└─ EndpointSlice/web-x1  2 endpoints\n"
	       "   ├─ Pod/web-new-a  10.0.0.1 ready\n"
	       "   │  ├─ container app  Running, restarts 3\n"
	       "   │  └─ container side  Waiting: CrashLoopBackOff, restarts 0\n"
	       "   └─ Pod/web-new-b  10.0.0.2 not ready\n"
	       "      └─ container app  Terminated: Error (exit 2), restarts 1\n",
	       "service -> slice -> pods (ready / not ready)");
	ok(!strstr(t, "other-x"), "slices of other services are not shown");
	free(t);
	vec_free(&lines, xray_line_free);
}

/* Missing kinds, no uid (kind+name match), a pod with no status yet. */
static void test_sparse(void)
{
	cJSON *objs = cJSON_Parse(
		"{\"jobs\":[{\"metadata\":{\"name\":\"j\"},\"spec\":{\"completions\":3},"
		"  \"status\":{\"succeeded\":1,\"active\":1}}],"
		" \"pods\":[{\"metadata\":{\"name\":\"j-1\",\"ownerReferences\":"
		"  [{\"kind\":\"Job\",\"name\":\"j\",\"controller\":true}]},"
		"  \"spec\":{\"containers\":[{\"name\":\"c\"}]}},"
		"  {\"metadata\":{\"name\":\"j-2\",\"ownerReferences\":"
		"  [{\"kind\":\"Job\",\"name\":\"j\",\"controller\":false}]}}]}");
	struct vec lines = VEC_INIT;
	char *t = tree(objs, "jobs", &lines);

	is_str(t,
	       "Job/j  succeeded 1/3, active 1\n"
	       "└─ Pod/j-1  Pending 0/1\n"
	       "   └─ container c  Waiting: no status yet, restarts 0\n",
	       "job -> pods by kind+name; non-controller refs ignored");
	free(t);
	vec_free(&lines, xray_line_free);
	t = tree(objs, "cronjobs", &lines);
	is_str(t, "", "no root object: no lines");
	free(t);
	vec_free(&lines, xray_line_free);
	cJSON_Delete(objs);
}

static void test_kinds(void)
{
	static const struct { const char *plural; int ok; const char *need; } c[] = {
		{ "deployments", 1, "replicasets pods" },
		{ "cronjobs", 1, "jobs pods" },
		{ "services", 1, "endpointslices pods" },
		{ "statefulsets", 1, "pods" }, { "daemonsets", 1, "pods" },
		{ "replicasets", 1, "pods" }, { "jobs", 1, "pods" },
		{ "pods", 0, "" }, { "configmaps", 0, "" }, { "endpointslices", 0, "" },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		const char *need[4];
		size_t n = xray_needed(c[i].plural, need, 4);
		char got[128] = "";

		for (size_t j = 0; j < n; j++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s",
				 j ? " " : "", need[j]);
		is_int(xray_supported(c[i].plural), c[i].ok, "%s supported: %d",
		       c[i].plural, c[i].ok);
		is_str(got, c[i].need, "%s needs \"%s\"", c[i].plural, c[i].need);
	}
	ok(xray_needed("deployments", (const char *[1]){ 0 }, 1) == 1,
	   "max is respected");
}

static void got(void *arg, const struct err *e, const char *text)
{
	char **out = arg;

	*out = e->code == ERR_OK && text ? strdup(text) : strdup("(error)");
}

/* The fixture source serves SRC_GET_LIST from its objects' "object". */
static void test_fixture_list(void)
{
	static const char doc[] =
		"{\"kinds\":[{\"plural\":\"pods\",\"singular\":\"pod\",\"kind\":\"Pod\"}],"
		" \"objects\":[{\"resource\":\"pods\",\"namespace\":\"d\",\"name\":\"a\","
		"  \"object\":{\"metadata\":{\"name\":\"a\"}}},"
		" {\"resource\":\"pods\",\"namespace\":\"e\",\"name\":\"b\","
		"  \"object\":{\"metadata\":{\"name\":\"b\"}}},"
		" {\"resource\":\"services\",\"namespace\":\"d\",\"name\":\"c\","
		"  \"object\":{\"metadata\":{\"name\":\"c\"}}}]}";
	char path[] = "/tmp/test_xray-XXXXXX";
	int fd = mkstemp(path);
	struct src *s = NULL;
	struct err e;
	char *text = NULL;

	ok(fd >= 0 && write(fd, doc, strlen(doc)) == (ssize_t)strlen(doc), "fixture written");
	if (fd >= 0)
		close(fd);
	if (src_fixture_new(path, &s, &e) < 0) {
		ok(0, "fixture source: %s", e.msg);
		unlink(path);
		return;
	}
	s->ops->get(s, SRC_GET_LIST, src_kind(s, "pods"), "d", "", NULL, got, &text);
	s->ops->drain(s);
	is_str(text, "{\"items\":[{\"metadata\":{\"name\":\"a\"}}]}", "pods of d");
	free(text);
	text = NULL;
	s->ops->get(s, SRC_GET_LIST, src_kind(s, "pods"), "", "", NULL, got, &text);
	s->ops->drain(s);
	ok(text && strstr(text, "\"a\"") && strstr(text, "\"b\"") && !strstr(text, "\"c\""),
	   "pods of all namespaces, no services");
	free(text);
	s->ops->free(s);
	unlink(path);
}

int main(void)
{
	cJSON *objs = cJSON_Parse(objs_json);

	ok(objs != NULL, "fixture parses");
	if (!objs)
		return tap_done();
	test_deployment(objs);
	test_service(objs);
	test_sparse();
	test_kinds();
	test_fixture_list();
	xray_line_free(NULL);
	cJSON_Delete(objs);
	return tap_done();
}
