/* SPDX-License-Identifier: Apache-2.0 */
/*
 * who-can: subjects from RBAC objects (ClusterRoleBindings everywhere,
 * RoleBindings in their namespace, Role and ClusterRole refs, "*" verbs,
 * resources and groups, subresources, resourceNames), the error line when
 * a list failed, argument parsing; and the container picker's pure half
 * (default container, lines).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/buf.h"
#include "tests/tap.h"
#include "tui/tui.h"

#define RULE(groups, res, verbs) \
	"{\"apiGroups\":[" groups "],\"resources\":[" res "],\"verbs\":[" verbs "]}"

static const char rbac_json[] =
	"{\"clusterroles\":["
	" {\"metadata\":{\"name\":\"cluster-admin\"},\"rules\":[" RULE("\"*\"", "\"*\"", "\"*\"") "]},"
	" {\"metadata\":{\"name\":\"view\"},\"rules\":[" RULE("\"\"", "\"pods\",\"services\"", "\"get\",\"list\"") "]},"
	" {\"metadata\":{\"name\":\"logs\"},\"rules\":[" RULE("\"\"", "\"*/log\"", "\"get\"") "]},"
	" {\"metadata\":{\"name\":\"deployer\"},\"rules\":[" RULE("\"apps\"", "\"deployments\"", "\"*\"") "]}],"
	"\"roles\":["
	" {\"metadata\":{\"name\":\"pod-reader\",\"namespace\":\"team\"},\"rules\":["
	    RULE("\"\"", "\"pods\"", "\"get\",\"watch\"") "]},"
	" {\"metadata\":{\"name\":\"one-pod\",\"namespace\":\"team\"},\"rules\":["
	"  {\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"delete\"],\"resourceNames\":[\"p1\"]}]}],"
	"\"clusterrolebindings\":["
	" {\"metadata\":{\"name\":\"admins\"},\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"cluster-admin\"},"
	"  \"subjects\":[{\"kind\":\"Group\",\"name\":\"system:masters\"}]},"
	" {\"metadata\":{\"name\":\"dangling\"},\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"missing\"},"
	"  \"subjects\":[{\"kind\":\"User\",\"name\":\"ghost\"}]},"
	" {\"metadata\":{\"name\":\"log-readers\"},\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"logs\"},"
	"  \"subjects\":[{\"kind\":\"User\",\"name\":\"carol\"}]}],"
	"\"rolebindings\":["
	" {\"metadata\":{\"name\":\"alice-reads\",\"namespace\":\"team\"},"
	"  \"roleRef\":{\"kind\":\"Role\",\"name\":\"pod-reader\"},"
	"  \"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"},"
	"   {\"kind\":\"ServiceAccount\",\"name\":\"bot\",\"namespace\":\"team\"}]},"
	" {\"metadata\":{\"name\":\"bob-views\",\"namespace\":\"other\"},"
	"  \"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"view\"},"
	"  \"subjects\":[{\"kind\":\"User\",\"name\":\"bob\"}]},"
	" {\"metadata\":{\"name\":\"dave-one\",\"namespace\":\"team\"},"
	"  \"roleRef\":{\"kind\":\"Role\",\"name\":\"one-pod\"},"
	"  \"subjects\":[{\"kind\":\"User\",\"name\":\"dave\"}]},"
	" {\"metadata\":{\"name\":\"cross\",\"namespace\":\"other\"},"
	"  \"roleRef\":{\"kind\":\"Role\",\"name\":\"pod-reader\"},"
	"  \"subjects\":[{\"kind\":\"User\",\"name\":\"eve\"}]}]}";

static char *who(const cJSON *objs, const cJSON *errs, const char *verb,
		 const char *group, const char *res, const char *ns)
{
	struct vec lines = VEC_INIT;
	struct buf b = BUF_INIT;

	whocan_build(objs, errs, verb, group, res, ns, &lines);
	for (size_t i = 0; i < lines.len; i++)
		buf_printf(&b, "%s\n", ((struct ui_line *)lines.items[i])->text);
	vec_free(&lines, ui_line_free);
	return buf_take(&b);
}

static const struct {
	const char *verb, *group, *res, *ns;
	const char *has[4], *hasnt[4];
} cases[] = {
	{ "get", "", "pods", "team",
	  { "User             alice", "ServiceAccount   bot", "RoleBinding team/alice-reads -> Role/pod-reader",
	    "Group            system:masters" },
	  { "bob", "eve", "carol", "ghost" } },
	{ "get", "", "pods", "",
	  { "alice", "bob", "system:masters", "ClusterRoleBinding/admins -> ClusterRole/cluster-admin" },
	  { "eve", "ghost", "carol", NULL } },
	{ "list", "", "pods", "team", { "system:masters", NULL }, { "alice", "bob", NULL } },
	{ "delete", "", "pods", "team",
	  { "dave", "(named objects only)", "system:masters", NULL }, { "alice", NULL } },
	{ "delete", "apps", "deployments", "", { "system:masters", NULL }, { "alice", "bob", NULL } },
	{ "get", "", "pods/log", "team", { "carol", "system:masters", NULL }, { "alice", NULL } },
	{ "get", "", "secrets", "team", { "system:masters", NULL }, { "alice", "bob", "carol" } },
	{ "get", "", "nodes", "team", { "Who can get nodes in namespace team", NULL }, { NULL } },
};

static void table(void)
{
	cJSON *objs = cJSON_Parse(rbac_json);

	ok(objs != NULL, "RBAC fixture parses");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = who(objs, NULL, cases[i].verb, cases[i].group, cases[i].res,
			      cases[i].ns);

		for (int j = 0; j < 4 && cases[i].has[j]; j++)
			ok(strstr(s, cases[i].has[j]) != NULL, "%s %s in \"%s\": has %s",
			   cases[i].verb, cases[i].res, cases[i].ns, cases[i].has[j]);
		for (int j = 0; j < 4 && cases[i].hasnt[j]; j++)
			ok(strstr(s, cases[i].hasnt[j]) == NULL, "%s %s in \"%s\": not %s",
			   cases[i].verb, cases[i].res, cases[i].ns, cases[i].hasnt[j]);
		free(s);
	}
	cJSON_Delete(objs);
}

static void nobody_and_errors(void)
{
	cJSON *objs = cJSON_Parse("{\"clusterroles\":[],\"roles\":[],\"clusterrolebindings\":[],"
				  "\"rolebindings\":[]}");
	cJSON *part = cJSON_Parse("{\"clusterroles\":[],\"roles\":[]}");
	cJSON *errs = cJSON_Parse("{\"clusterrolebindings\":\"Forbidden: no\"}");
	struct vec lines = VEC_INIT;
	char *s;

	s = who(objs, NULL, "get", "", "pods", "");
	ok(strstr(s, "nobody") != NULL, "no bindings: nobody");
	free(s);
	whocan_build(part, errs, "get", "", "pods", "", &lines);
	is_int((long long)lines.len, 2, "failed list: heading and one error line");
	is_int(((struct ui_line *)lines.items[1])->style, TS_ERROR, "error style");
	ok(strstr(((struct ui_line *)lines.items[1])->text, "listing clusterrolebindings failed (Forbidden: no)") != NULL,
	   "says which list failed: %s", ((struct ui_line *)lines.items[1])->text);
	vec_free(&lines, ui_line_free);
	s = who(part, NULL, "get", "", "pods", "");
	ok(strstr(s, "serves no clusterrolebindings") != NULL, "missing kind: said");
	free(s);
	cJSON_Delete(objs);
	cJSON_Delete(part);
	cJSON_Delete(errs);
}

static void args(void)
{
	char v[32], r[64], n[64];

	is_int(whocan_args("delete pods", v, sizeof(v), r, sizeof(r), n, sizeof(n)), 0, "two words");
	ok(!strcmp(v, "delete") && !strcmp(r, "pods") && !n[0], "verb, resource, no ns");
	is_int(whocan_args(" get  deployments.apps  team ", v, sizeof(v), r, sizeof(r), n, sizeof(n)),
	       0, "three words");
	is_str(n, "team", "namespace");
	is_int(whocan_args("get", v, sizeof(v), r, sizeof(r), n, sizeof(n)), -1, "one word");
	is_int(whocan_args("", v, sizeof(v), r, sizeof(r), n, sizeof(n)), -1, "nothing");
	is_int(whocan_args("a b c d", v, sizeof(v), r, sizeof(r), n, sizeof(n)), -1, "four words");
}

static void picker(void)
{
	cJSON *pod = cJSON_Parse(
		"{\"metadata\":{\"name\":\"p\",\"annotations\":"
		"  {\"kubectl.kubernetes.io/default-container\":\"side\"}},"
		" \"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"},"
		"  {\"name\":\"side\",\"image\":\"busybox\"}],"
		"  \"initContainers\":[{\"name\":\"init\",\"image\":\"alpine\"}]},"
		" \"status\":{\"containerStatuses\":["
		"  {\"name\":\"app\",\"ready\":true,\"state\":{\"running\":{}}},"
		"  {\"name\":\"side\",\"ready\":false,\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}}}]}}");
	cJSON *ann;
	struct vec lines = VEC_INIT;

	is_str(picker_default(pod), "side", "annotation names the default");
	ann = cJSON_GetObjectItem(cJSON_GetObjectItem(pod, "metadata"), "annotations");
	cJSON_ReplaceItemInObject(ann, "kubectl.kubernetes.io/default-container",
				  cJSON_CreateString("nope"));
	is_str(picker_default(pod), "app", "annotation naming no container: the first");
	ok(picker_default(NULL) == NULL, "no pod: none");
	picker_lines(pod, &lines);
	is_int((long long)lines.len, 3, "three lines (init included)");
	if (lines.len == 3) {
		const struct ui_line *a = lines.items[0], *b = lines.items[1], *c = lines.items[2];

		ok(strstr(a->text, "app") && strstr(a->text, "nginx") && strstr(a->text, "Running") &&
		   strstr(a->text, "true"), "app line: %s", a->text);
		ok(strstr(b->text, "Waiting: CrashLoopBackOff") && strstr(b->text, "false"),
		   "side line: %s", b->text);
		ok(strstr(c->text, "init (init)") && strstr(c->text, "alpine"), "init line: %s", c->text);
		is_str(b->arg, "side", "line arg: the container name");
	}
	vec_free(&lines, ui_line_free);
	cJSON_Delete(pod);
}

int main(void)
{
	table();
	nobody_and_errors();
	args();
	picker();
	return tap_done();
}
