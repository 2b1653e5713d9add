/* SPDX-License-Identifier: Apache-2.0 */
/* can: `:can` subjects and the matrix built from SelfSubjectRulesReview. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "tests/tap.h"
#include "tui/tui.h"

static void test_subjects(void)
{
	static const struct { const char *spec; int rc; const char *user, *g0, *g1; } c[] = {
		{ "", 0, "", "", "" },
		{ "u:alice", 0, "alice", "", "" },
		{ "g:devs", 0, "kdeck:can-i", "devs", "" },
		{ "s:team/robot", 0, "system:serviceaccount:team:robot",
		  "system:serviceaccounts", "system:serviceaccounts:team" },
		{ "s:robot", -1, "", "", "" }, { "s:/robot", -1, "", "", "" },
		{ "s:team/", -1, "", "", "" }, { "u:", -1, "", "", "" },
		{ "alice", -1, "", "", "" },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct can_subject s;
		int rc = can_subject(c[i].spec, &s);

		is_int(rc, c[i].rc, "\"%s\" parses: %d", c[i].spec, c[i].rc);
		if (rc == 0 && c[i].rc == 0) {
			is_str(s.user, c[i].user, "\"%s\" user", c[i].spec);
			is_str(s.groups[0], c[i].g0, "\"%s\" group 0", c[i].spec);
			is_str(s.groups[1], c[i].g1, "\"%s\" group 1", c[i].spec);
		}
	}
}

static const char *line_of(const char *text, const char *start, char *buf,
			   size_t n)
{
	const char *p = text;

	while (p && *p) {
		size_t len = strcspn(p, "\n");

		if (!strncmp(p, start, strlen(start)) && p[strlen(start)] == ' ') {
			snprintf(buf, n, "%.*s", (int)len, p);
			return buf;
		}
		p += len + (p[len] == '\n');
	}
	return "";
}

static void test_matrix(void)
{
	struct vec kinds = VEC_INIT;
	cJSON *st = cJSON_Parse(
		"{\"resourceRules\":["
		"{\"verbs\":[\"get\",\"list\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\",\"pods/log\"]},"
		"{\"verbs\":[\"*\"],\"apiGroups\":[\"apps\"],\"resources\":[\"deployments\"]},"
		"{\"verbs\":[\"update\"],\"apiGroups\":[\"*\"],\"resources\":[\"*/scale\"]},"
		"{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],\"resourceNames\":[\"one\"]}],"
		"\"incomplete\":true,\"evaluationError\":\"webhook down\"}");
	char *m, buf[256];

	vec_push(&kinds, kind_info_new("pods", "pod", "Pod", "", "po", 1, 0));
	vec_push(&kinds, kind_info_new("secrets", "secret", "Secret", "", "", 1, 0));
	vec_push(&kinds, kind_info_new("deployments", "deployment", "Deployment", "apps", "deploy", 1, 1));
	m = can_matrix(&kinds, st, "u:alice", "team");
	ok(strstr(m, "Can u:alice do it in namespace team?") != NULL, "heading");
	ok(strstr(m, "incomplete: webhook down") != NULL, "incomplete review said");
	ok(strstr(line_of(m, "pods", buf, sizeof(buf)), "✓    ✓     ·      ·") != NULL,
	   "pods: get list only (%s)", buf);
	ok(strstr(line_of(m, "pods/log", buf, sizeof(buf)), "✓") != NULL, "pods/log get");
	ok(strstr(line_of(m, "pods/exec", buf, sizeof(buf)), "✓") == NULL, "pods/exec nothing");
	ok(strstr(line_of(m, "secrets", buf, sizeof(buf)), "~") != NULL, "secrets: named only");
	ok(strstr(line_of(m, "deployments.apps", buf, sizeof(buf)), "·") == NULL,
	   "deployments: everything (%s)", buf);
	ok(strstr(line_of(m, "deployments/scale.apps", buf, sizeof(buf)), "✓") != NULL,
	   "*/scale matches deployments/scale");
	free(m);
	cJSON_Delete(st);
	vec_free(&kinds, (void (*)(void *))kind_info_free);
}

static int count(const char *s, const char *what)
{
	int n = 0;

	while ((s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

/* An incomplete review: the open cells are asked, true answers show ✓. */
static void test_precise(void)
{
	struct vec kinds = VEC_INIT, cells = VEC_INIT;
	cJSON *st = cJSON_Parse(
		"{\"incomplete\":true,\"resourceRules\":["
		" {\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"get\",\"list\",\"watch\"]}]}");
	cJSON *complete = cJSON_Parse("{\"resourceRules\":[]}");
	cJSON *precise = cJSON_Parse("{\"|pods|delete\":true,\"|pods|create\":false,"
				     "\"|pods/log|get\":true}");
	char *m, line[400];
	int has_get = 0, has_delete = 0, has_log = 0;

	vec_push(&kinds, kind_info_new("pods", "pod", "Pod", "", "po", 1, 0));
	can_uncertain(&kinds, st, &cells);
	/* pods: 7 verbs - get/list/watch = 4; pods/log, exec, portforward: 7 each */
	is_int((long long)cells.len, 4 + 3 * 7, "open cells of an incomplete review");
	for (size_t i = 0; i < cells.len; i++) {
		has_get |= !strcmp(cells.items[i], "|pods|get");
		has_delete |= !strcmp(cells.items[i], "|pods|delete");
		has_log |= !strcmp(cells.items[i], "|pods/log|get");
	}
	ok(!has_get && has_delete && has_log, "allowed cells are not asked again");
	vec_free(&cells, free);
	can_uncertain(&kinds, complete, &cells);
	is_int((long long)cells.len, 0, "a complete review asks nothing");
	{
		/* A role that could not be read: the RBAC authorizer sets the
		 * error, not incomplete; the open cells are asked all the same. */
		cJSON *err = cJSON_Parse("{\"resourceRules\":[],\"evaluationError\":"
					 "\"role.rbac.authorization.k8s.io \\\"gone\\\" not found\"}");
		cJSON *empty = cJSON_Parse("{\"resourceRules\":[],\"evaluationError\":\"\"}");

		can_uncertain(&kinds, err, &cells);
		is_int((long long)cells.len, 4 * 7, "an evaluation error: every open cell asked");
		vec_free(&cells, free);
		can_uncertain(&kinds, empty, &cells);
		is_int((long long)cells.len, 0, "an empty evaluation error asks nothing");
		m = can_matrix_precise(&kinds, err, NULL, "me", "default");
		ok(strstr(m, "evaluation error: role.rbac.authorization.k8s.io \"gone\" not found") != NULL,
		   "the evaluation error is shown");
		free(m);
		cJSON_Delete(err);
		cJSON_Delete(empty);
	}
	m = can_matrix_precise(&kinds, st, precise, "me", "default");
	ok(strstr(m, "3 SelfSubjectAccessReviews") != NULL, "says reviews were asked");
	line_of(m, "pods", line, sizeof(line));
	is_int(count(line, "✓"), 4, "pods: get, list, watch by rules, delete by review: %s", line);
	is_int(count(line, "·"), 3, "pods: create refused, update/patch unknown: %s", line);
	line_of(m, "pods/log", line, sizeof(line));
	ok(strstr(line, "✓") != NULL, "pods/log get allowed by review: %s", line);
	free(m);
	vec_free(&kinds, kind_info_free);
	cJSON_Delete(st);
	cJSON_Delete(complete);
	cJSON_Delete(precise);
}

int main(void)
{
	test_subjects();
	test_matrix();
	test_precise();
	return tap_done();
}
