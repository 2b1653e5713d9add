/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_sched: the scheduler's core on arbitrary objects.  The input is a
 * JSON object {"nodes": [...], "pods": [...], "pdbs": [...]}; every
 * pending pod is scheduled in turn (bound ones accounted), and when none
 * fits, preemption runs.  Checks: the snapshot is restored by
 * preemption, a chosen node is in range, and the message is well-formed.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/sched_int.h"
#include "common/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t bound(const struct sched_state *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nnodes; i++)
		n += s->nodes[i].npods_on;
	return n;
}

static void one(struct sched_state *s, struct sched_pod *p, const cJSON *pdbs)
{
	struct sched_preemption pr;
	struct sched_result r;
	size_t before = bound(s);
	char *msg;

	sched_find(s, p, &r);
	if (r.node >= (int)s->nnodes)
		abort();
	if (r.node >= 0) {
		sched_assume(s, p, r.node);
		sched_result_clear(&r);
		return;
	}
	msg = sched_fit_message(s, r.status);
	if (strncmp(msg, "0/", 2) || msg[strlen(msg) - 1] != '.')
		abort();
	free(msg);
	sched_preempt(s, p, &r, pdbs, &pr);
	if (bound(s) != before || (pr.node < 0 && !pr.msg))
		abort();
	sched_preemption_clear(&pr);
	sched_result_clear(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sched_state *s;
	struct err e;
	cJSON *in;
	const cJSON *nodes, *pods;

	if (size > 16384)
		return 0;
	in = json_parse((const char *)data, size, &e);
	if (!in)
		return 0;
	nodes = json_get(in, "nodes");
	pods = json_get(in, "pods");
	if (cJSON_IsArray(nodes) && cJSON_IsArray(pods)) {
		s = sched_state_new(pods, nodes, json_get(in, "namespaces"), 5);
		for (size_t i = 0; i < s->npods; i++)
			if (s->pods[i].node < 0 && !s->pods[i].terminating)
				one(s, &s->pods[i], json_get(in, "pdbs"));
		sched_state_free(s);
	}
	cJSON_Delete(in);
	return 0;
}
