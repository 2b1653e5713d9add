/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_job_policy: the pure rules of the Job controller (ctrl_job.c), kept
 * apart so that unit tests drive them without a cluster.
 *
 *  - spec.podFailurePolicy: the rules are tried in order on a failed pod;
 *    the first whose onExitCodes (a terminated container, init containers
 *    after the others, exit code != 0, In/NotIn, optional containerName)
 *    or onPodConditions (type and status) match decides the action.
 *    FailJob comes with the message kube-controller-manager writes.
 *  - index sets: "1,3-5" as in status.completedIndexes/failedIndexes (a
 *    run of two is written "3,4", as the real controller does).
 *  - spec.successPolicy: rules of succeededIndexes and/or succeededCount
 *    over the succeeded indexes; the first matching rule wins.
 *  - restartPolicy OnFailure: the container restarts summed over pods.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/ctrl_int.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

static const struct {
	const char *name;
	enum jobpol_action action;
} actions[] = {
	{ "FailJob", JOBPOL_FAIL_JOB },
	{ "FailIndex", JOBPOL_FAIL_INDEX },
	{ "Ignore", JOBPOL_IGNORE },
	{ "Count", JOBPOL_COUNT },
};

static enum jobpol_action action_of(const char *s)
{
	for (size_t i = 0; s && i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(actions[i].name, s))
			return actions[i].action;
	return JOBPOL_NONE;	/* unknown actions skip the rule */
}

bool jobpol_exit_code_matches(const cJSON *req, int64_t code)
{
	const char *op = json_get_str(req, "operator");
	bool in = false;
	const cJSON *v;

	cJSON_ArrayForEach(v, json_get(req, "values"))
		if (cJSON_IsNumber(v) && (int64_t)v->valuedouble == code)
			in = true;
	if (op && !strcmp(op, "In"))
		return in;
	if (op && !strcmp(op, "NotIn"))
		return !in;
	return false;
}

/* The first terminated container of list matching req (borrowed), or NULL. */
static const cJSON *exit_match(const cJSON *list, const cJSON *req)
{
	const char *want = json_get_str(req, "containerName");
	const cJSON *cs;

	cJSON_ArrayForEach(cs, list) {
		const cJSON *term = json_get(cs, "state.terminated");
		int64_t code = 0;

		if (!term || json_get_int(term, "exitCode", &code) < 0 || !code)
			continue;
		if (want && strcmp(want, json_get_str(cs, "name") ?: ""))
			continue;
		if (jobpol_exit_code_matches(req, code))
			return cs;
	}
	return NULL;
}

static const cJSON *cond_match(const cJSON *pod, const cJSON *patterns)
{
	const cJSON *c, *p;

	cJSON_ArrayForEach(c, json_get(pod, "status.conditions"))
		cJSON_ArrayForEach(p, patterns)
			if (!strcmp(json_get_str(c, "type") ?: "", json_get_str(p, "type") ?: "") &&
			    !strcmp(json_get_str(c, "status") ?: "",
				    json_get_str(p, "status") ?: "True"))
				return c;
	return NULL;
}

/* rule matched by the container cs or the condition cond: its message. */
static char *fail_message(const cJSON *pod, const cJSON *cs, const cJSON *cond,
			  size_t index)
{
	const char *ns = json_get_str(pod, "metadata.namespace") ?: "";
	const char *name = json_get_str(pod, "metadata.name") ?: "";
	int64_t code = 0;

	if (cond)
		return xasprintf("Pod %s/%s has condition %s matching FailJob rule at index %zu",
				 ns, name, json_get_str(cond, "type") ?: "", index);
	json_get_int(cs, "state.terminated.exitCode", &code);
	return xasprintf("Container %s for pod %s/%s failed with exit code %lld matching "
			 "FailJob rule at index %zu", json_get_str(cs, "name") ?: "", ns,
			 name, (long long)code, index);
}

enum jobpol_action jobpol_match(const cJSON *policy, const cJSON *pod, char **msg)
{
	const cJSON *rule;
	size_t index = 0;

	cJSON_ArrayForEach(rule, json_get(policy, "rules")) {
		const cJSON *ex = json_get(rule, "onExitCodes"), *cs = NULL, *cond = NULL;
		enum jobpol_action a = action_of(json_get_str(rule, "action"));

		if (ex) {
			cs = exit_match(json_get(pod, "status.containerStatuses"), ex);
			if (!cs)
				cs = exit_match(json_get(pod, "status.initContainerStatuses"), ex);
		} else {
			cond = cond_match(pod, json_get(rule, "onPodConditions"));
		}
		if ((cs || cond) && a != JOBPOL_NONE) {
			if (a == JOBPOL_FAIL_JOB && msg)
				*msg = fail_message(pod, cs, cond, index);
			return a;
		}
		index++;
	}
	return JOBPOL_NONE;
}

void jobidx_parse(const char *text, unsigned char *set, int64_t n)
{
	const char *p = text;

	while (p && *p) {
		char *end;
		long long a = strtoll(p, &end, 10), b = a;

		if (end == p)
			return;
		if (*end == '-')
			b = strtoll(end + 1, &end, 10);
		for (long long i = a < 0 ? 0 : a; i <= b && i < n; i++)
			set[i] = 1;
		p = *end == ',' ? end + 1 : NULL;
	}
}

char *jobidx_format(const unsigned char *set, int64_t n)
{
	struct buf b;

	buf_init(&b);
	for (int64_t i = 0; i < n; i++) {
		int64_t k = i;

		if (!set[i])
			continue;
		while (k + 1 < n && set[k + 1])
			k++;
		buf_printf(&b, "%s%lld", b.len ? "," : "", (long long)i);
		if (k > i)
			buf_printf(&b, "%s%lld", k > i + 1 ? "-" : ",", (long long)k);
		i = k;
	}
	buf_adds(&b, "");
	return buf_take(&b);
}

int64_t jobidx_count(const unsigned char *set, int64_t n)
{
	int64_t c = 0;

	for (int64_t i = 0; i < n; i++)
		c += set[i] != 0;
	return c;
}

/* One success rule against the succeeded set done[0..n). */
static bool rule_met(const cJSON *rule, const unsigned char *done, int64_t n)
{
	const char *idx = json_get_str(rule, "succeededIndexes");
	int64_t want = -1, have = 0, required = 0;
	unsigned char *req;

	json_get_int(rule, "succeededCount", &want);
	if (!idx)
		return want >= 0 && jobidx_count(done, n) >= want;
	req = xcalloc((size_t)(n > 0 ? n : 1), 1);
	jobidx_parse(idx, req, n);
	for (int64_t i = 0; i < n; i++) {
		required += req[i];
		have += req[i] && done[i];
	}
	free(req);
	if (!required)
		return false;
	return want >= 0 ? have >= want : have == required;
}

bool jobpol_success(const cJSON *policy, const unsigned char *done, int64_t n,
		    char **msg)
{
	const cJSON *rule;
	size_t index = 0;

	if (!policy || !jobidx_count(done, n))
		return false;
	cJSON_ArrayForEach(rule, json_get(policy, "rules")) {
		if (rule_met(rule, done, n)) {
			*msg = xasprintf("Matched rules at index %zu", index);
			return true;
		}
		index++;
	}
	return false;
}

int64_t jobpol_restarts(const cJSON *pod)
{
	static const char *const lists[] = { "status.initContainerStatuses",
					     "status.containerStatuses" };
	int64_t sum = 0;

	for (size_t i = 0; i < 2; i++) {
		const cJSON *cs;

		cJSON_ArrayForEach(cs, json_get(pod, lists[i])) {
			int64_t r = 0;

			json_get_int(cs, "restartCount", &r);
			sum += r;
		}
	}
	return sum;
}
