/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_job_policy: the pure rules of the Job controller
 * (ctrl_job_policy.c): podFailurePolicy matching (exit codes In/NotIn,
 * container names, init containers, pod conditions, unknown actions,
 * the FailJob messages), index sets, successPolicy rules and container
 * restarts.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cluster/ctrl_int.h"
#include "../tap.h"

/* A failed pod ns/p: containers "name:code" (code -1: still running). */
static cJSON *pod(const char *conds, const char *init, const char *main_cs)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "{\"metadata\":{\"namespace\":\"ns\",\"name\":\"p\"},"
		 "\"status\":{\"phase\":\"Failed\",\"conditions\":[%s],"
		 "\"initContainerStatuses\":[%s],\"containerStatuses\":[%s]}}",
		 conds, init, main_cs);
	return cJSON_Parse(text);
}

#define TERM(n, c) "{\"name\":\"" n "\",\"restartCount\":1,\"state\":{\"terminated\":{\"exitCode\":" #c "}}}"
#define RUN(n) "{\"name\":\"" n "\",\"restartCount\":2,\"state\":{\"running\":{}}}"

static const struct {
	const char *what, *policy, *conds, *init, *main_cs;
	enum jobpol_action want;
	const char *msg;
} match_cases[] = {
	{ "In matches", "{\"rules\":[{\"action\":\"FailJob\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[42]}}]}",
	  "", "", TERM("main", 42), JOBPOL_FAIL_JOB,
	  "Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 0" },
	{ "In misses", "{\"rules\":[{\"action\":\"FailJob\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[42]}}]}",
	  "", "", TERM("main", 1), JOBPOL_NONE, NULL },
	{ "NotIn matches", "{\"rules\":[{\"action\":\"Ignore\",\"onExitCodes\":{\"operator\":\"NotIn\",\"values\":[1,2]}}]}",
	  "", "", TERM("main", 3), JOBPOL_IGNORE, NULL },
	{ "NotIn misses", "{\"rules\":[{\"action\":\"Ignore\",\"onExitCodes\":{\"operator\":\"NotIn\",\"values\":[1,2]}}]}",
	  "", "", TERM("main", 2), JOBPOL_NONE, NULL },
	{ "exit code 0 never matches", "{\"rules\":[{\"action\":\"Count\",\"onExitCodes\":{\"operator\":\"NotIn\",\"values\":[1]}}]}",
	  "", "", TERM("main", 0), JOBPOL_NONE, NULL },
	{ "running container skipped", "{\"rules\":[{\"action\":\"Count\",\"onExitCodes\":{\"operator\":\"NotIn\",\"values\":[1]}}]}",
	  "", "", RUN("main"), JOBPOL_NONE, NULL },
	{ "container name filters", "{\"rules\":[{\"action\":\"FailJob\",\"onExitCodes\":{\"containerName\":\"side\",\"operator\":\"In\",\"values\":[5]}}]}",
	  "", "", TERM("main", 5) "," TERM("side", 5), JOBPOL_FAIL_JOB,
	  "Container side for pod ns/p failed with exit code 5 matching FailJob rule at index 0" },
	{ "init containers after app ones", "{\"rules\":[{\"action\":\"FailJob\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[7]}}]}",
	  "", TERM("setup", 7), TERM("main", 1), JOBPOL_FAIL_JOB,
	  "Container setup for pod ns/p failed with exit code 7 matching FailJob rule at index 0" },
	{ "first matching rule wins", "{\"rules\":[{\"action\":\"Ignore\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[9]}},"
	  "{\"action\":\"FailJob\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[42]}},{\"action\":\"Count\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[42]}}]}",
	  "", "", TERM("main", 42), JOBPOL_FAIL_JOB,
	  "Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1" },
	{ "unknown action skipped", "{\"rules\":[{\"action\":\"Explode\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[42]}},"
	  "{\"action\":\"Count\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[42]}}]}",
	  "", "", TERM("main", 42), JOBPOL_COUNT, NULL },
	{ "unknown operator never matches", "{\"rules\":[{\"action\":\"FailJob\",\"onExitCodes\":{\"operator\":\"Gt\",\"values\":[1]}}]}",
	  "", "", TERM("main", 42), JOBPOL_NONE, NULL },
	{ "pod condition", "{\"rules\":[{\"action\":\"Ignore\",\"onPodConditions\":[{\"type\":\"DisruptionTarget\"}]}]}",
	  "{\"type\":\"DisruptionTarget\",\"status\":\"True\"}", "", TERM("main", 137), JOBPOL_IGNORE, NULL },
	{ "pod condition status must match", "{\"rules\":[{\"action\":\"Ignore\",\"onPodConditions\":[{\"type\":\"DisruptionTarget\",\"status\":\"True\"}]}]}",
	  "{\"type\":\"DisruptionTarget\",\"status\":\"False\"}", "", TERM("main", 137), JOBPOL_NONE, NULL },
	{ "pod condition FailJob message", "{\"rules\":[{\"action\":\"FailJob\",\"onPodConditions\":[{\"type\":\"ConfigIssue\"}]}]}",
	  "{\"type\":\"ConfigIssue\",\"status\":\"True\"}", "", "", JOBPOL_FAIL_JOB,
	  "Pod ns/p has condition ConfigIssue matching FailJob rule at index 0" },
	{ "FailIndex", "{\"rules\":[{\"action\":\"FailIndex\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[3]}}]}",
	  "", "", TERM("main", 3), JOBPOL_FAIL_INDEX, NULL },
	{ "no rules", "{\"rules\":[]}", "", "", TERM("main", 3), JOBPOL_NONE, NULL },
};

static void test_match(void)
{
	for (size_t i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		cJSON *pol = cJSON_Parse(match_cases[i].policy);
		cJSON *p = pod(match_cases[i].conds, match_cases[i].init,
			       match_cases[i].main_cs);
		char *msg = NULL;

		ok(pol && p, "%s: parsed", match_cases[i].what);
		is_int(jobpol_match(pol, p, &msg), match_cases[i].want, "%s: action",
		       match_cases[i].what);
		if (match_cases[i].msg)
			is_str(msg, match_cases[i].msg, "%s: message", match_cases[i].what);
		else
			ok(!msg, "%s: no message", match_cases[i].what);
		free(msg);
		cJSON_Delete(pol);
		cJSON_Delete(p);
	}
	is_int(jobpol_match(NULL, NULL, NULL), JOBPOL_NONE, "no policy");
}

static void test_indexes(void)
{
	static const struct {
		const char *in, *out;
		int64_t n, count;
	} cases[] = {
		{ "", "", 5, 0 },
		{ "0-2", "0-2", 5, 3 },
		{ "1,3-5", "1,3-5", 10, 4 },
		{ "3,4", "3,4", 10, 2 },
		{ "3-4", "3,4", 10, 2 },
		{ "0,1,2,7", "0-2,7", 10, 4 },
		{ "2-9", "2-4", 5, 3 },		/* clipped to completions */
		{ "1,x", "1", 5, 1 },		/* junk ends the parse */
		{ "4,1", "1,4", 5, 2 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned char set[16] = { 0 };
		char *text;

		jobidx_parse(cases[i].in, set, cases[i].n);
		text = jobidx_format(set, cases[i].n);
		is_str(text, cases[i].out, "index set \"%s\"", cases[i].in);
		is_int(jobidx_count(set, cases[i].n), cases[i].count, "count \"%s\"",
		       cases[i].in);
		free(text);
	}
	{
		unsigned char set[4] = { 0 };

		jobidx_parse(NULL, set, 4);
		is_int(jobidx_count(set, 4), 0, "NULL text");
	}
}

static void test_success(void)
{
	static const struct {
		const char *policy, *done, *msg;
		int64_t n;
	} cases[] = {
		{ "{\"rules\":[{\"succeededIndexes\":\"0-2\"}]}", "0-2,4", "Matched rules at index 0", 10 },
		{ "{\"rules\":[{\"succeededIndexes\":\"0-2\"}]}", "0,1", NULL, 10 },
		{ "{\"rules\":[{\"succeededCount\":2}]}", "3,7", "Matched rules at index 0", 10 },
		{ "{\"rules\":[{\"succeededCount\":3}]}", "3,7", NULL, 10 },
		{ "{\"rules\":[{\"succeededIndexes\":\"0-4\",\"succeededCount\":2}]}", "1,9", NULL, 10 },
		{ "{\"rules\":[{\"succeededIndexes\":\"0-4\",\"succeededCount\":2}]}", "1,3", "Matched rules at index 0", 10 },
		{ "{\"rules\":[{\"succeededIndexes\":\"9\"},{\"succeededCount\":1}]}", "2", "Matched rules at index 1", 10 },
		{ "{\"rules\":[{\"succeededIndexes\":\"20-30\"}]}", "0-9", NULL, 10 },
		{ "{\"rules\":[{\"succeededCount\":0}]}", "", NULL, 10 },
		{ NULL, "0-9", NULL, 10 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *pol = cases[i].policy ? cJSON_Parse(cases[i].policy) : NULL;
		unsigned char done[16] = { 0 };
		char *msg = NULL;
		bool met;

		jobidx_parse(cases[i].done, done, cases[i].n);
		met = jobpol_success(pol, done, cases[i].n, &msg);
		is_int(met, cases[i].msg != NULL, "success %zu: met", i);
		if (cases[i].msg)
			is_str(msg, cases[i].msg, "success %zu: message", i);
		free(msg);
		cJSON_Delete(pol);
	}
}

static void test_restarts(void)
{
	cJSON *p = pod("", RUN("setup"), RUN("a") "," TERM("b", 1));

	is_int(jobpol_restarts(p), 5, "restarts summed over init and app containers");
	cJSON_Delete(p);
	is_int(jobpol_restarts(NULL), 0, "no pod");
}

int main(void)
{
	test_match();
	test_indexes();
	test_success();
	test_restarts();
	return tap_done();
}
