/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rollout: revisions of a Deployment (ReplicaSets, by owner uid) and of a
 * StatefulSet (ControllerRevisions), the undo target (previous, a given
 * revision, none, the current one), and the object undo writes (template
 * without pod-template-hash, change-cause copied, bookkeeping skipped).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/json.h"
#include "tests/tap.h"
#include "tui/tui.h"

#define RS(name, rev, img, cause, owner) \
	"{\"metadata\":{\"name\":\"" name "\",\"annotations\":{" \
	"\"deployment.kubernetes.io/revision\":\"" rev "\"" cause "}," \
	"\"ownerReferences\":[{\"kind\":\"Deployment\",\"name\":\"web\",\"uid\":\"" owner "\"}]}," \
	"\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\",\"pod-template-hash\":\"h" rev "\"}}," \
	"\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" img "\"}]}}}}"

static const char deploy_json[] =
	"{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"uid\":\"u1\","
	"\"resourceVersion\":\"42\",\"annotations\":{\"deployment.kubernetes.io/revision\":\"3\"}},"
	"\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
	"\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:3\"}]}}},\"status\":{\"replicas\":1}}";

static const char rs_json[] = "["
	RS("web-1", "1", "nginx:1", "", "u1") ","
	RS("web-3", "3", "nginx:3", "", "u1") ","
	RS("web-2", "2", "nginx:2", ",\"kubernetes.io/change-cause\":\"to two\","
	   "\"deployment.kubernetes.io/desired-replicas\":\"1\"", "u1") ","
	RS("other-9", "9", "x:9", "", "u2") "]";

static const char sts_json[] =
	"{\"metadata\":{\"name\":\"db\",\"namespace\":\"default\",\"uid\":\"s1\"},"
	"\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"pg:2\"}]}}},"
	"\"status\":{\"updateRevision\":\"db-b\"}}";
static const char cr_json[] = "["
	"{\"metadata\":{\"name\":\"db-a\",\"ownerReferences\":[{\"uid\":\"s1\",\"name\":\"db\"}]},\"revision\":1,"
	" \"data\":{\"spec\":{\"template\":{\"$patch\":\"replace\",\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"pg:1\"}]}}}}},"
	"{\"metadata\":{\"name\":\"db-b\",\"ownerReferences\":[{\"uid\":\"s1\",\"name\":\"db\"}]},\"revision\":2,"
	" \"data\":{\"spec\":{\"template\":{\"$patch\":\"replace\",\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"pg:2\"}]}}}}}]";

static cJSON *parse(const char *s)
{
	return cJSON_Parse(s);
}

static void test_deployment(void)
{
	cJSON *d = parse(deploy_json), *rs = parse(rs_json), *obj;
	struct vec revs = VEC_INIT;
	const struct rollout_rev *t;
	struct err e;

	ok(rollout_supported("deployments") && rollout_supported("daemonsets") &&
	   !rollout_supported("pods"), "supported kinds");
	is_str(rollout_owned_plural("deployments"), "replicasets", "deployments keep ReplicaSets");
	rollout_revisions("deployments", d, rs, &revs);
	is_int((long long)revs.len, 3, "three owned ReplicaSets (the other owner's left out)");
	is_int(((struct rollout_rev *)revs.items[0])->revision, 1, "oldest first");
	ok(((struct rollout_rev *)revs.items[2])->current, "revision 3 is current");
	is_str(((struct rollout_rev *)revs.items[1])->cause, "to two", "change-cause");
	t = rollout_target(&revs, 0, &e);
	is_int(t ? t->revision : -1, 2, "undo goes to the previous revision");
	t = rollout_target(&revs, 1, &e);
	is_int(t ? t->revision : -1, 1, "--to-revision=1");
	ok(!rollout_target(&revs, 3, &e) && e.code == ERR_CONFLICT, "the current one: skipped");
	ok(!rollout_target(&revs, 7, &e) && e.code == ERR_NOT_FOUND, "no such revision");
	t = rollout_target(&revs, 0, &e);
	obj = rollout_undo_object("deployments", d, t);
	is_str(json_get_str(obj, "spec.template.spec.containers[0].image"), "nginx:2",
	       "the old template");
	ok(!json_get(obj, "spec.template.metadata.labels.pod-template-hash"),
	   "pod-template-hash left out");
	is_str(json_get_str(obj, "spec.template.metadata.labels.app"), "web", "labels kept");
	is_str(json_get_str(obj, "metadata.resourceVersion"), "42", "resourceVersion kept");
	ok(!json_get(obj, "status"), "status dropped");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(json_get(obj, "metadata.annotations"),
						       "kubernetes.io/change-cause")),
	       "to two", "change-cause copied");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(json_get(obj, "metadata.annotations"),
						       "deployment.kubernetes.io/revision")),
	       "3", "revision annotation not copied");
	ok(!cJSON_GetObjectItem(json_get(obj, "metadata.annotations"),
				"deployment.kubernetes.io/desired-replicas"), "bookkeeping skipped");
	cJSON_Delete(obj);
	vec_free(&revs, rollout_rev_free);
	cJSON_Delete(d);
	cJSON_Delete(rs);
}

static void test_statefulset(void)
{
	cJSON *s = parse(sts_json), *cr = parse(cr_json), *obj;
	struct vec revs = VEC_INIT;
	const struct rollout_rev *t;
	struct err e;

	rollout_revisions("statefulsets", s, cr, &revs);
	is_int((long long)revs.len, 2, "two ControllerRevisions");
	ok(((struct rollout_rev *)revs.items[1])->current, "updateRevision is current");
	t = rollout_target(&revs, 0, &e);
	is_int(t ? t->revision : -1, 1, "previous revision");
	obj = rollout_undo_object("statefulsets", s, t);
	is_str(json_get_str(obj, "spec.template.spec.containers[0].image"), "pg:1", "template back");
	ok(!json_get(obj, "spec.template.$patch"), "$patch removed");
	cJSON_Delete(obj);
	vec_free(&revs, rollout_rev_free);
	rollout_revisions("statefulsets", s, NULL, &revs);
	ok(!revs.len && !rollout_target(&revs, 0, &e) && e.code == ERR_NOT_FOUND,
	   "no history: nothing to undo to");
	vec_free(&revs, rollout_rev_free);
	cJSON_Delete(s);
	cJSON_Delete(cr);
}

int main(void)
{
	test_deployment();
	test_statefulset();
	return tap_done();
}
