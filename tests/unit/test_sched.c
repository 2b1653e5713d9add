/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sched: the scheduler's pure core on hand-built nodes and pods -
 * each filter with kube-scheduler's reason text and the aggregated
 * message, topology spread (maxSkew, minDomains, missing label,
 * matchLabelKeys), inter-pod (anti-)affinity (namespaces, the first pod
 * of a self-affine group, existing pods' anti-affinity), scoring
 * (least allocated, preferred affinity), the seeded tie-break, and
 * preemption (victim choice, reprieve, PDBs, ineligibility messages).
 * JSON is written with ' for " to keep the tables readable.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/sched.h"
#include "cluster/sched_int.h"
#include "cluster/store.h"
#include "common/json.h"
#include "common/mem.h"
#include "../tap.h"

static cJSON *J(const char *text)
{
	char *s = xstrdup(text);
	cJSON *v;
	struct err e;

	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	v = json_parse(s, strlen(s), &e);
	if (!v)
		fprintf(stderr, "bad JSON in test: %s\n", text);
	free(s);
	return v;
}

/* "n1:a:2,n2:b:2" -> nodes name:zone:cpu ("-" zone: no zone label). */
static cJSON *nodes(const char *spec)
{
	cJSON *arr = cJSON_CreateArray();
	char *dup = xstrdup(spec), *save = NULL;

	for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char name[32], zone[32], cpu[16], *js;

		if (sscanf(t, "%31[^:]:%31[^:]:%15s", name, zone, cpu) != 3)
			continue;
		js = xasprintf("{'metadata':{'name':'%s','labels':{'kubernetes.io/hostname':'%s'%s%s%s}},"
			       "'status':{'allocatable':{'cpu':'%s','memory':'4Gi','pods':'10'}}}",
			       name, name, strcmp(zone, "-") ? ",'zone':'" : "",
			       strcmp(zone, "-") ? zone : "", strcmp(zone, "-") ? "'" : "", cpu);
		cJSON_AddItemToArray(arr, J(js));
		free(js);
	}
	free(dup);
	return arr;
}

#define NODES3 "n1:a:2,n2:b:2,n3:b:2"
#define WEB(node) "{'metadata':{'name':'w-" node "','namespace':'default','uid':'u-" node "','labels':{'app':'web'}},'spec':{'nodeName':'" node "','containers':[{'name':'c'}]}}"
#define CPU(name, node, cpu, prio) "{'metadata':{'name':'" name "','namespace':'default','uid':'u-" name "','labels':{'app':'" name "'}},'spec':{'nodeName':'" node "','priority':" #prio ",'containers':[{'name':'c','resources':{'requests':{'cpu':'" cpu "'}}}]}}"
#define ANTI_WEB "'affinity':{'podAntiAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[{'topologyKey':'kubernetes.io/hostname','labelSelector':{'matchLabels':{'app':'web'}}}]}}"
#define SPREAD(extra) "'topologySpreadConstraints':[{'maxSkew':1,'topologyKey':'zone','whenUnsatisfiable':'DoNotSchedule','labelSelector':{'matchLabels':{'app':'web'}}" extra "}]"

static const struct {
	const char *what, *nodes, *pods, *pod;
	const char *want;	/* node name, or "" */
	const char *msg;	/* message when none fits */
} find_cases[] = {
	{ "fits the only node", "n1:a:2", "[]",
	  "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c'}]}}", "n1", NULL },
	{ "insufficient cpu everywhere", NODES3, "[]",
	  "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','resources':{'requests':{'cpu':'3','memory':'8Gi'}}}]}}",
	  "", "0/3 nodes are available: 3 Insufficient cpu, 3 Insufficient memory." },
	{ "host port taken on two nodes", NODES3,
	  "[{'metadata':{'name':'a','namespace':'default'},'spec':{'nodeName':'n1','containers':[{'name':'c','ports':[{'containerPort':80,'hostPort':8080}]}]}},"
	  " {'metadata':{'name':'b','namespace':'default'},'spec':{'nodeName':'n2','containers':[{'name':'c','ports':[{'containerPort':80,'hostPort':8080,'hostIP':'10.0.0.1'}]}]}}]",
	  "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','ports':[{'containerPort':80,'hostPort':8080}]}]}}", "n3", NULL },
	{ "host port: other protocol is free", "n1:a:2",
	  "[{'metadata':{'name':'a','namespace':'default'},'spec':{'nodeName':'n1','containers':[{'name':'c','ports':[{'containerPort':53,'hostPort':53}]}]}}]",
	  "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','ports':[{'containerPort':53,'hostPort':53,'protocol':'UDP'}]}]}}", "n1", NULL },
	{ "host port taken everywhere", "n1:a:2,n2:b:2",
	  "[{'metadata':{'name':'a','namespace':'default'},'spec':{'nodeName':'n1','containers':[{'name':'c','ports':[{'hostPort':80}]}]}},"
	  " {'metadata':{'name':'b','namespace':'default'},'spec':{'nodeName':'n2','containers':[{'name':'c','ports':[{'hostPort':80,'hostIP':'10.1.1.1'}]}]}}]",
	  "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','ports':[{'hostPort':80,'hostIP':'10.1.1.1'}]}]}}",
	  "", "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports." },
	{ "anti-affinity: one per node, the 4th pending", NODES3,
	  "[" WEB("n1") "," WEB("n2") "," WEB("n3") "]",
	  "{'metadata':{'name':'p','labels':{'app':'web'}},'spec':{" ANTI_WEB ",'containers':[{'name':'c'}]}}",
	  "", "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules." },
	{ "anti-affinity: the free node", NODES3, "[" WEB("n1") "," WEB("n3") "]",
	  "{'metadata':{'name':'p','labels':{'app':'web'}},'spec':{" ANTI_WEB ",'containers':[{'name':'c'}]}}", "n2", NULL },
	{ "anti-affinity and cpu sorted as sort.Strings", NODES3,
	  "[" WEB("n1") "," CPU("big2", "n2", "2", 0) "," CPU("big3", "n3", "2", 0) "]",
	  "{'metadata':{'name':'p','labels':{'app':'web'}},'spec':{" ANTI_WEB ",'containers':[{'name':'c','resources':{'requests':{'cpu':'1'}}}]}}",
	  "", "0/3 nodes are available: 1 node(s) didn't match pod anti-affinity rules, 2 Insufficient cpu." },
	{ "existing pod's anti-affinity", NODES3,
	  "[{'metadata':{'name':'x','namespace':'default','labels':{'app':'x'}},'spec':{'nodeName':'n1'," ANTI_WEB ",'containers':[{'name':'c'}]}},"
	  CPU("big2", "n2", "2", 0) "," CPU("big3", "n3", "2", 0) "]",
	  "{'metadata':{'name':'p','namespace':'default','labels':{'app':'web'}},'spec':{'containers':[{'name':'c','resources':{'requests':{'cpu':'1'}}}]}}",
	  "", "0/3 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules, 2 Insufficient cpu." },
	{ "existing anti-affinity in another namespace does not apply", "n1:a:2",
	  "[{'metadata':{'name':'x','namespace':'other'},'spec':{'nodeName':'n1'," ANTI_WEB ",'containers':[{'name':'c'}]}}]",
	  "{'metadata':{'name':'p','namespace':'default','labels':{'app':'web'}},'spec':{'containers':[{'name':'c'}]}}", "n1", NULL },
	{ "affinity: co-located with its peer", NODES3, "[" WEB("n2") "]",
	  "{'metadata':{'name':'p'},'spec':{'affinity':{'podAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[{'topologyKey':'kubernetes.io/hostname','labelSelector':{'matchLabels':{'app':'web'}}}]}},'containers':[{'name':'c'}]}}",
	  "n2", NULL },
	{ "affinity: no peer anywhere", NODES3, "[]",
	  "{'metadata':{'name':'p','labels':{'app':'db'}},'spec':{'affinity':{'podAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[{'topologyKey':'zone','labelSelector':{'matchLabels':{'app':'web'}}}]}},'containers':[{'name':'c'}]}}",
	  "", "0/3 nodes are available: 3 node(s) didn't match pod affinity rules." },
	{ "affinity: first pod of a self-affine group", "n1:a:2", "[]",
	  "{'metadata':{'name':'p','labels':{'app':'web'}},'spec':{'affinity':{'podAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[{'topologyKey':'zone','labelSelector':{'matchLabels':{'app':'web'}}}]}},'containers':[{'name':'c'}]}}",
	  "n1", NULL },
	{ "affinity: peer in the namespace listed", NODES3,
	  "[{'metadata':{'name':'d','namespace':'data','labels':{'app':'db'}},'spec':{'nodeName':'n3','containers':[{'name':'c'}]}}]",
	  "{'metadata':{'name':'p','namespace':'default'},'spec':{'affinity':{'podAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[{'topologyKey':'kubernetes.io/hostname','namespaces':['data'],'labelSelector':{'matchLabels':{'app':'db'}}}]}},'containers':[{'name':'c'}]}}",
	  "n3", NULL },
	{ "affinity: namespaceSelector {} matches all", NODES3,
	  "[{'metadata':{'name':'d','namespace':'data','labels':{'app':'db'}},'spec':{'nodeName':'n1','containers':[{'name':'c'}]}}]",
	  "{'metadata':{'name':'p','namespace':'default'},'spec':{'affinity':{'podAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[{'topologyKey':'kubernetes.io/hostname','namespaceSelector':{},'labelSelector':{'matchLabels':{'app':'db'}}}]}},'containers':[{'name':'c'}]}}",
	  "n1", NULL },
	{ "spread: the empty zone", NODES3, "[" WEB("n1") "]",
	  "{'metadata':{'name':'p','namespace':'default','labels':{'app':'web'}},'spec':{" SPREAD("") ",'containers':[{'name':'c'}]}}", "n2|n3", NULL },
	{ "spread: minDomains above the domains", NODES3, "[" WEB("n1") "," WEB("n2") "]",
	  "{'metadata':{'name':'p','namespace':'default','labels':{'app':'web'}},'spec':{" SPREAD(",'minDomains':3") ",'containers':[{'name':'c'}]}}",
	  "", "0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints." },
	{ "spread: missing label counts no domain", "n1:a:2,n4:-:2", "[" WEB("n1") "]",
	  "{'metadata':{'name':'p','namespace':'default','labels':{'app':'web'}},'spec':{" SPREAD("") ",'containers':[{'name':'c'}]}}",
	  "n1", NULL },
	{ "spread: missing label", "n1:a:2,n4:-:2", "[" WEB("n1") "]",
	  "{'metadata':{'name':'p','namespace':'default','labels':{'app':'web'}},'spec':{" SPREAD(",'minDomains':2") ",'containers':[{'name':'c'}]}}",
	  "", "0/2 nodes are available: 1 node(s) didn't match pod topology spread constraints, 1 node(s) didn't match pod topology spread constraints (missing required label)." },
	{ "spread: matchLabelKeys narrows the count", NODES3,
	  "[{'metadata':{'name':'o','namespace':'default','labels':{'app':'web','rev':'1'}},'spec':{'nodeName':'n2','containers':[{'name':'c'}]}},"
	  " {'metadata':{'name':'o2','namespace':'default','labels':{'app':'web','rev':'1'}},'spec':{'nodeName':'n3','containers':[{'name':'c'}]}}]",
	  "{'metadata':{'name':'p','namespace':'default','labels':{'app':'web','rev':'2'}},'spec':{" SPREAD(",'matchLabelKeys':['rev']") ",'nodeSelector':{'zone':'b'},'containers':[{'name':'c'}]}}",
	  "n2|n3", NULL },
	{ "spread: ScheduleAnyway prefers the emptier zone", NODES3, "[" WEB("n2") "," WEB("n3") "]",
	  "{'metadata':{'name':'p','namespace':'default','labels':{'app':'web'}},'spec':{'topologySpreadConstraints':[{'maxSkew':1,'topologyKey':'zone','whenUnsatisfiable':'ScheduleAnyway','labelSelector':{'matchLabels':{'app':'web'}}}],'containers':[{'name':'c'}]}}",
	  "n1", NULL },
	{ "node selector picks the zone", "n1:a:2,n2:b:2",
	  "[]", "{'metadata':{'name':'p'},'spec':{'nodeSelector':{'zone':'a'},'containers':[{'name':'c'}]}}", "n1", NULL },
	{ "least allocated wins", NODES3,
	  "[" CPU("a", "n1", "1500m", 0) "," CPU("b", "n2", "500m", 0) "," CPU("c", "n3", "1", 0) "]",
	  "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','resources':{'requests':{'cpu':'100m'}}}]}}", "n2", NULL },
	{ "preferred affinity wins over load", NODES3,
	  "[" WEB("n3") "," CPU("b", "n3", "1", 0) "]",
	  "{'metadata':{'name':'p'},'spec':{'affinity':{'podAffinity':{'preferredDuringSchedulingIgnoredDuringExecution':[{'weight':100,'podAffinityTerm':{'topologyKey':'kubernetes.io/hostname','labelSelector':{'matchLabels':{'app':'web'}}}}]}},'containers':[{'name':'c'}]}}",
	  "n3", NULL },
	{ "existing pod's preferred anti-affinity repels", "n1:a:2,n2:b:2",
	  "[{'metadata':{'name':'x','namespace':'default','labels':{'app':'x'}},'spec':{'nodeName':'n1','affinity':{'podAntiAffinity':{'preferredDuringSchedulingIgnoredDuringExecution':[{'weight':100,'podAffinityTerm':{'topologyKey':'kubernetes.io/hostname','labelSelector':{'matchLabels':{'app':'web'}}}}]}},'containers':[{'name':'c'}]}},"
	  CPU("b", "n2", "500m", 0) "]",
	  "{'metadata':{'name':'p','namespace':'default','labels':{'app':'web'}},'spec':{'containers':[{'name':'c'}]}}", "n2", NULL },
	{ "existing pod's required affinity attracts", "n1:a:2,n2:b:2",
	  "[{'metadata':{'name':'x','namespace':'default','labels':{'app':'x'}},'spec':{'nodeName':'n1','affinity':{'podAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[{'topologyKey':'kubernetes.io/hostname','labelSelector':{'matchLabels':{'app':'web'}}}]}},'containers':[{'name':'c','resources':{'requests':{'cpu':'300m'}}}]}}]",
	  "{'metadata':{'name':'p','namespace':'default','labels':{'app':'web'}},'spec':{'containers':[{'name':'c'}]}}", "n1", NULL },
	{ "node selector mismatch", NODES3, "[]",
	  "{'metadata':{'name':'p'},'spec':{'nodeSelector':{'zone':'c'},'containers':[{'name':'c'}]}}",
	  "", "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector." },
};

static void check_find(size_t i)
{
	cJSON *ns = nodes(find_cases[i].nodes), *pods = J(find_cases[i].pods);
	cJSON *pod = J(find_cases[i].pod);
	struct sched_state *s;
	struct sched_result r;
	const char *got;
	char *msg;

	cJSON_AddItemToArray(pods, pod);
	s = sched_state_new(pods, ns, NULL, 42);
	sched_find(s, &s->pods[s->npods - 1], &r);
	got = r.node >= 0 ? s->nodes[r.node].name : "";
	if (strchr(find_cases[i].want, '|'))
		ok(*got && strstr(find_cases[i].want, got) != NULL, "%s: %s in %s",
		   find_cases[i].what, got, find_cases[i].want);
	else
		is_str(got, find_cases[i].want, "%s: node", find_cases[i].what);
	if (find_cases[i].msg) {
		msg = sched_fit_message(s, r.status);
		is_str(msg, find_cases[i].msg, "%s: message", find_cases[i].what);
		free(msg);
	}
	sched_result_clear(&r);
	sched_state_free(s);
	cJSON_Delete(pods);
	cJSON_Delete(ns);
}

static size_t bound(const struct sched_state *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nnodes; i++)
		n += s->nodes[i].npods_on;
	return n;
}

static void test_taint_message(void)
{
	cJSON *ns = nodes("n1:a:2,n2:b:2"), *pods = J("[{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c'}]}}]");
	struct sched_state *s;
	struct sched_result r;
	char *msg;

	json_set(cJSON_GetArrayItem(ns, 0), "spec.taints",
		 J("[{'key':'dedicated','value':'gpu','effect':'NoSchedule'}]"));
	json_set(cJSON_GetArrayItem(ns, 1), "spec.unschedulable", cJSON_CreateTrue());
	s = sched_state_new(pods, ns, NULL, 1);
	sched_find(s, &s->pods[0], &r);
	msg = sched_fit_message(s, r.status);
	is_str(msg, "0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable.",
	       "taint and cordon reasons");
	is_int(r.status[0].code, SCHED_UNRESOLVABLE, "a taint is unresolvable");
	free(msg);
	sched_result_clear(&r);
	sched_state_free(s);
	cJSON_Delete(pods);
	cJSON_Delete(ns);
}

/* Ten pods onto three equal nodes: spread by least allocation; same seed, same picks. */
static void test_burst_and_seed(void)
{
	char first[64] = "", again[64] = "";

	for (int run = 0; run < 2; run++) {
		cJSON *ns = nodes(NODES3), *pods = cJSON_CreateArray();
		struct sched_state *s;
		int per[3] = { 0 };
		char *out = run ? again : first;

		for (int i = 0; i < 9; i++) {
			char *js = xasprintf("{'metadata':{'name':'p%d','uid':'u%d'},'spec':{'containers':[{'name':'c','resources':{'requests':{'cpu':'100m'}}}]}}", i, i);

			cJSON_AddItemToArray(pods, J(js));
			free(js);
		}
		s = sched_state_new(pods, ns, NULL, 7);
		for (size_t i = 0; i < s->npods; i++) {
			struct sched_result r;

			sched_find(s, &s->pods[i], &r);
			if (r.node >= 0) {
				per[r.node]++;
				sched_assume(s, &s->pods[i], r.node);
				out[i] = (char)('0' + r.node);
			}
			sched_result_clear(&r);
		}
		is_int(per[0] * 100 + per[1] * 10 + per[2], 333, "9 pods spread 3/3/3 (run %d)", run);
		sched_state_free(s);
		cJSON_Delete(pods);
		cJSON_Delete(ns);
	}
	is_str(again, first, "the same seed gives the same placements");
}

static const struct {
	const char *what, *nodes, *pods, *pod, *pdbs;
	const char *want;	/* "node:victim,victim" or the message */
} preempt_cases[] = {
	{ "lowest-priority victim wins", NODES3,
	  "[" CPU("a", "n1", "2", 10) "," CPU("b", "n2", "2", 0) "," CPU("c", "n3", "2", 200) "]",
	  "{'metadata':{'name':'p','uid':'up'},'spec':{'priority':100,'containers':[{'name':'c','resources':{'requests':{'cpu':'1'}}}]}}",
	  NULL, "n2:b" },
	{ "fewest victims after reprieve", "n1:a:2,n2:b:2",
	  "[" CPU("a", "n1", "1", 5) "," CPU("b", "n1", "1", 1) "," CPU("c", "n2", "2", 0) "]",
	  "{'metadata':{'name':'p','uid':'up'},'spec':{'priority':100,'containers':[{'name':'c','resources':{'requests':{'cpu':'1'}}}]}}",
	  NULL, "n2:c" },
	{ "reprieve keeps the more important pod", "n1:a:2",
	  "[" CPU("a", "n1", "1", 5) "," CPU("b", "n1", "1", 1) "]",
	  "{'metadata':{'name':'p','uid':'up'},'spec':{'priority':100,'containers':[{'name':'c','resources':{'requests':{'cpu':'1'}}}]}}",
	  NULL, "n1:b" },
	{ "PDB violations are avoided", "n1:a:2,n2:b:2",
	  "[" CPU("a", "n1", "2", 0) "," CPU("b", "n2", "2", 5) "]",
	  "{'metadata':{'name':'p','uid':'up'},'spec':{'priority':100,'containers':[{'name':'c','resources':{'requests':{'cpu':'1'}}}]}}",
	  "[{'metadata':{'name':'pdb','namespace':'default'},'spec':{'selector':{'matchLabels':{'app':'a'}}},'status':{'disruptionsAllowed':0}}]",
	  "n2:b" },
	{ "no lower-priority pods", NODES3,
	  "[" CPU("a", "n1", "2", 0) "," CPU("b", "n2", "2", 0) "," CPU("c", "n3", "2", 0) "]",
	  "{'metadata':{'name':'p','uid':'up'},'spec':{'containers':[{'name':'c','resources':{'requests':{'cpu':'1'}}}]}}",
	  NULL, "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod." },
	{ "preemption cannot fix a selector", NODES3, "[]",
	  "{'metadata':{'name':'p','uid':'up'},'spec':{'priority':5,'nodeSelector':{'zone':'c'},'containers':[{'name':'c'}]}}",
	  NULL, "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling." },
	{ "still too big without the victims", "n1:a:2",
	  "[" CPU("a", "n1", "1", 0) "]",
	  "{'metadata':{'name':'p','uid':'up'},'spec':{'priority':5,'containers':[{'name':'c','resources':{'requests':{'cpu':'3'}}}]}}",
	  NULL, "preemption: 0/1 nodes are available: 1 Insufficient cpu." },
	{ "preemptionPolicy Never", "n1:a:2",
	  "[" CPU("a", "n1", "2", 0) "]",
	  "{'metadata':{'name':'p','uid':'up'},'spec':{'priority':5,'preemptionPolicy':'Never','containers':[{'name':'c','resources':{'requests':{'cpu':'1'}}}]}}",
	  NULL, "preemption: not eligible due to preemptionPolicy=Never." },
	{ "anti-affinity victim", "n1:a:2",
	  "[{'metadata':{'name':'w','namespace':'default','uid':'uw','labels':{'app':'web'}},'spec':{'nodeName':'n1','priority':1,'containers':[{'name':'c'}]}}]",
	  "{'metadata':{'name':'p','uid':'up','namespace':'default'},'spec':{'priority':5," ANTI_WEB ",'containers':[{'name':'c'}]}}",
	  NULL, "n1:w" },
};

static void check_preempt(size_t i)
{
	cJSON *ns = nodes(preempt_cases[i].nodes), *pods = J(preempt_cases[i].pods);
	cJSON *pdbs = preempt_cases[i].pdbs ? J(preempt_cases[i].pdbs) : NULL;
	struct sched_state *s;
	struct sched_preemption pr;
	struct sched_result r;
	struct sched_pod *p;
	char got[256];
	size_t used, before;

	cJSON_AddItemToArray(pods, J(preempt_cases[i].pod));
	s = sched_state_new(pods, ns, NULL, 3);
	p = &s->pods[s->npods - 1];
	before = bound(s);
	sched_find(s, p, &r);
	is_int(r.node, -1, "%s: does not fit", preempt_cases[i].what);
	sched_preempt(s, p, &r, pdbs, &pr);
	if (pr.node >= 0) {
		used = (size_t)snprintf(got, sizeof(got), "%s:", s->nodes[pr.node].name);
		for (size_t k = 0; k < pr.nvictims && used < sizeof(got); k++)
			used += (size_t)snprintf(got + used, sizeof(got) - used, "%s%s",
						 k ? "," : "", pr.victims[k]->name);
	} else {
		snprintf(got, sizeof(got), "%s", pr.msg ? pr.msg : "(none)");
	}
	is_str(got, preempt_cases[i].want, "%s", preempt_cases[i].what);
	is_int((long long)bound(s), (long long)before, "%s: snapshot restored",
	       preempt_cases[i].what);
	sched_preemption_clear(&pr);
	sched_result_clear(&r);
	sched_state_free(s);
	cJSON_Delete(pdbs);
	cJSON_Delete(pods);
	cJSON_Delete(ns);
}

/* Assume and forget keep the indexes in step. */
static void test_assume_forget(void)
{
	cJSON *ns = nodes("n1:a:2"), *pods = J("[" WEB("n1") ",{'metadata':{'name':'p','namespace':'default','labels':{'app':'web'}},'spec':{" ANTI_WEB ",'containers':[{'name':'c'}]}}]");
	struct sched_state *s = sched_state_new(pods, ns, NULL, 1);
	struct sched_result r;

	sched_find(s, &s->pods[1], &r);
	is_int(r.node, -1, "blocked by the web pod");
	sched_result_clear(&r);
	sched_forget(s, &s->pods[0]);
	is_int(s->nodes[0].npods_on, 0, "forgotten");
	sched_find(s, &s->pods[1], &r);
	is_int(r.node, 0, "fits once the web pod is gone");
	sched_result_clear(&r);
	sched_assume(s, &s->pods[0], 0);
	sched_find(s, &s->pods[1], &r);
	is_int(r.node, -1, "blocked again after assume");
	sched_result_clear(&r);
	ok(sched_pod_by_uid(s, "u-n1") == &s->pods[0], "pod by uid");
	ok(sched_pod_by_uid(s, "nope") == NULL, "unknown uid");
	sched_state_free(s);
	sched_state_free(NULL);
	cJSON_Delete(pods);
	cJSON_Delete(ns);
}

static const struct {
	const char *what, *pod;
	int rc;
	const char *want;	/* priority/policy/class, or the error */
} prio_cases[] = {
	{ "no class, no default: 0", "{'metadata':{'name':'a'},'spec':{}}", 0, "0//" },
	{ "named class", "{'metadata':{'name':'a'},'spec':{'priorityClassName':'high'}}", 0,
	  "1000/PreemptLowerPriority/high" },
	{ "class with Never", "{'metadata':{'name':'a'},'spec':{'priorityClassName':'polite'}}", 0,
	  "50/Never/polite" },
	{ "built-in class", "{'metadata':{'name':'a'},'spec':{'priorityClassName':'system-node-critical'}}", 0,
	  "2000001000/PreemptLowerPriority/system-node-critical" },
	{ "unknown class", "{'metadata':{'name':'x'},'spec':{'priorityClassName':'foo'}}", -1,
	  "pods \"x\" is forbidden: no PriorityClass with name foo was found" },
	{ "priority given", "{'metadata':{'name':'x'},'spec':{'priorityClassName':'high','priority':5}}", -1,
	  "pods \"x\" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name" },
	{ "policy given", "{'metadata':{'name':'x'},'spec':{'priorityClassName':'polite','preemptionPolicy':'PreemptLowerPriority'}}", -1,
	  "pods \"x\" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name" },
};

static void put(struct store *st, const char *name, const char *js)
{
	char *key = store_key("scheduling.k8s.io", "priorityclasses", NULL, name);
	cJSON *o = J(js);
	struct err e;

	if (store_create(st, key, o, NULL, &e) < 0)
		printf("# store_create %s: %s\n", name, e.msg);
	cJSON_Delete(o);
	free(key);
}

static void check_prio(struct store *st, size_t i)
{
	cJSON *pod = J(prio_cases[i].pod);
	struct err e;
	char got[512];
	int64_t prio = -1;
	int rc = sched_prio_admit(st, pod, &e);

	json_get_int(pod, "spec.priority", &prio);
	if (rc == 0)
		snprintf(got, sizeof(got), "%lld/%s/%s", (long long)prio,
			 json_get_str(pod, "spec.preemptionPolicy") ?: "",
			 json_get_str(pod, "spec.priorityClassName") ?: "");
	else
		snprintf(got, sizeof(got), "%s", e.msg);
	is_int(rc, prio_cases[i].rc, "%s: rc", prio_cases[i].what);
	is_str(got, prio_cases[i].want, "%s", prio_cases[i].what);
	if (rc < 0)
		is_int(e.code, ERR_FORBIDDEN, "%s: Forbidden", prio_cases[i].what);
	cJSON_Delete(pod);
}

/* Priority admission against a real store; then with a global default. */
static void test_priority(void)
{
	char dir[] = "/tmp/test_sched.XXXXXX", *path;
	struct store_options opt = { .compact_interval_s = -1 };
	struct store *st = NULL;
	struct err e;
	cJSON *pc, *pod;
	char *key = NULL;
	int64_t prio = -1;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	path = xasprintf("%s/db", dir);
	opt.path = path;
	if (store_open(&opt, &st, &e) < 0) {
		ok(0, "store_open: %s", e.msg);
		free(path);
		return;
	}
	for (size_t i = 0; (pc = sched_prio_builtin(i, &key)); i++) {
		store_create(st, key, pc, NULL, &e);
		cJSON_Delete(pc);
		free(key);
	}
	ok(sched_prio_builtin(2, &key) == NULL, "two built-in classes");
	put(st, "high", "{'metadata':{'name':'high'},'value':1000}");
	put(st, "polite", "{'metadata':{'name':'polite'},'value':50,'preemptionPolicy':'Never'}");
	for (size_t i = 0; i < sizeof(prio_cases) / sizeof(prio_cases[0]); i++)
		check_prio(st, i);
	put(st, "dflt", "{'metadata':{'name':'dflt'},'value':7,'globalDefault':true}");
	pod = J("{'metadata':{'name':'a'},'spec':{}}");
	is_int(sched_prio_admit(st, pod, &e), 0, "default class admits");
	json_get_int(pod, "spec.priority", &prio);
	is_int(prio, 7, "global default priority");
	is_str(json_get_str(pod, "spec.priorityClassName"), "dflt", "global default name");
	cJSON_Delete(pod);
	store_close(st);
	unlink(path);
	free(path);
	path = xasprintf("rm -rf '%s'", dir);
	if (system(path) != 0)
		diag("cannot remove the temporary store");
	free(path);
}

/* --- system default spread constraints (sched_spread.c) --- */

static const cJSON *test_owner(void *arg, const char *kind, const char *ns,
			       const char *name)
{
	(void)ns;
	(void)name;
	return !strcmp(kind, "ReplicaSet") ? arg : NULL;
}

#define OWNED(kind, av) "{'metadata':{'name':'p','namespace':'default','uid':'u-p','labels':{'app':'web','tier':'fe'},'ownerReferences':[{'apiVersion':'" av "','kind':'" kind "','name':'web-1','uid':'x','controller':true}]},'spec':{'containers':[{'name':'c'}]}}"

static const struct {
	const char *what, *pod, *services;
	const char *want;	/* the hostname constraint's labelSelector, or "" */
} default_cases[] = {
	{ "no owner, no service", "{'metadata':{'name':'p','namespace':'default','labels':{'app':'web'}},'spec':{}}", "[]", "" },
	{ "ReplicaSet owner", OWNED("ReplicaSet", "apps/v1"), "[]",
	  "{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\",\"values\":[\"web\"]}]}" },
	{ "Job owner: none", OWNED("Job", "batch/v1"), "[]", "" },
	{ "selecting Service", "{'metadata':{'name':'p','namespace':'default','labels':{'app':'web','tier':'fe'}},'spec':{}}",
	  "[{'metadata':{'name':'s','namespace':'default'},'spec':{'selector':{'tier':'fe'}}},"
	  "{'metadata':{'name':'o','namespace':'other'},'spec':{'selector':{'app':'web'}}},"
	  "{'metadata':{'name':'n','namespace':'default'},'spec':{'selector':{'app':'db'}}}]",
	  "{\"matchLabels\":{\"tier\":\"fe\"}}" },
	{ "Service and ReplicaSet", OWNED("ReplicaSet", "apps/v1"),
	  "[{'metadata':{'name':'s','namespace':'default'},'spec':{'selector':{'tier':'fe'}}}]",
	  "{\"matchLabels\":{\"tier\":\"fe\"},\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\",\"values\":[\"web\"]}]}" },
};

static void check_default(size_t i)
{
	cJSON *ns = nodes("n1:a:2"), *pods = cJSON_CreateArray();
	cJSON *svcs = J(default_cases[i].services), *rs = J("{'spec':{'selector':{'matchLabels':{'app':'web'}}}}");
	struct sched_state *s;
	cJSON *got;
	char *txt = NULL;

	cJSON_AddItemToArray(pods, J(default_cases[i].pod));
	s = sched_state_new(pods, ns, NULL, 1);
	s->services = svcs;
	s->owner_get = test_owner;
	s->owner_arg = rs;
	got = sched_default_spread(s, &s->pods[0]);
	if (got) {
		is_str(json_get_str(got->child, "topologyKey"), "kubernetes.io/hostname",
		       "%s: hostname first", default_cases[i].what);
		is_str(json_get_str(got->child->next, "topologyKey"), "topology.kubernetes.io/zone",
		       "%s: then zone", default_cases[i].what);
		txt = cJSON_PrintUnformatted(json_get(got->child, "labelSelector"));
	}
	is_str(txt ? txt : "", default_cases[i].want, "%s: default selector", default_cases[i].what);
	free(txt);
	cJSON_Delete(got);
	sched_state_free(s);
	cJSON_Delete(rs);
	cJSON_Delete(svcs);
	cJSON_Delete(pods);
	cJSON_Delete(ns);
}

/* Three replicas on n1, a busier n2: least allocation alone picks n1,
 * the default hostname spread of a ReplicaSet's pod picks n2. */
static void test_default_scoring(void)
{
	static const char *const want[] = { "n1", "n2" };

	for (int with = 0; with < 2; with++) {
		cJSON *ns = nodes("n1:a:2,n2:b:2");
		cJSON *pods = J("[" WEB("n1") "," CPU("busy", "n2", "500m", 0) "]");
		cJSON *rs = J("{'spec':{'selector':{'matchLabels':{'app':'web'}}}}");
		struct sched_state *s;
		struct sched_result r;

		for (int k = 0; k < 2; k++) {
			cJSON *x = J(WEB("n1"));

			json_set_str(x, "metadata.name", k ? "w-b" : "w-a");
			json_set_str(x, "metadata.uid", k ? "u-b" : "u-a");
			cJSON_AddItemToArray(pods, x);
		}
		cJSON_AddItemToArray(pods, J(OWNED("ReplicaSet", "apps/v1")));
		s = sched_state_new(pods, ns, NULL, 3);
		if (with) {
			s->owner_get = test_owner;
			s->owner_arg = rs;
		}
		sched_find(s, &s->pods[s->npods - 1], &r);
		is_str(r.node >= 0 ? s->nodes[r.node].name : "", want[with],
		       "default spread %s: node", with ? "on" : "off");
		sched_result_clear(&r);
		sched_state_free(s);
		cJSON_Delete(rs);
		cJSON_Delete(pods);
		cJSON_Delete(ns);
	}
}

int main(void)
{
	for (size_t i = 0; i < sizeof(find_cases) / sizeof(find_cases[0]); i++)
		check_find(i);
	for (size_t i = 0; i < sizeof(preempt_cases) / sizeof(preempt_cases[0]); i++)
		check_preempt(i);
	test_taint_message();
	test_burst_and_seed();
	test_assume_forget();
	test_priority();
	for (size_t i = 0; i < sizeof(default_cases) / sizeof(default_cases[0]); i++)
		check_default(i);
	test_default_scoring();
	return tap_done();
}
