/* SPDX-License-Identifier: Apache-2.0 */
/*
 * simnode: simulated nodes, KWOK-style.  Registers kdeck-sim-1..N (8 cpu,
 * 32Gi, 110 pods, Ready), renews their Leases in kube-node-lease, and
 * "runs" every pod bound to them: the pod's status goes straight to
 * Running with all conditions true and a pod IP from 10.244.<node>.0/24;
 * a pod with a deletionTimestamp has its containers stopped (status
 * written: terminated, a terminal phase) and is then deleted for good
 * (gracePeriodSeconds 0), as a kubelet does once the containers are gone.
 * `--simulated-node-spec FILE` replaces or adds labels, annotations,
 * taints and capacity/allocatable (simnode_spec.c).
 *
 * Pods owned by a Job or annotated `kdeck.io/sim-duration` or
 * `kdeck.io/sim-exit-code` exit after that many seconds with that code;
 * the restart policy decides whether the pod ends (Succeeded/Failed) or
 * its containers restart in place (restartCount, lastState), after a
 * CrashLoopBackOff wait when they keep failing: see simnode_pod.c and
 * simnode_backoff.c.  Other pods keep running.
 *
 * Teaching hook: a simulated Node labelled or annotated
 * `kdeck.io/simulated-stopped: "true"` acts as a dead kubelet: its Lease
 * is no longer renewed and its pods are left alone (deleted ones stay
 * Terminating), so the node lifecycle controller marks it Unknown and
 * taints it (ctrl_nodelife.c).  Without the mark it renews again, posts
 * Ready=True when its Ready condition is not True, and pods marked not
 * ready meanwhile run again.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/ctrl_int.h"
#include "cluster/simnode_int.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

struct simnode {
	int n;
	bool *registered;	/* [n]: Node known to exist */
	unsigned *next_ip;	/* [n]: last host octet handed out */
	bool *stopped;		/* [n]: kdeck.io/simulated-stopped */
	cJSON *spec;		/* --simulated-node-spec template, or NULL */
	struct sim_backoff *backoffs;	/* restart back-off by pod uid */
	int64_t backoff_gc;		/* last expiry sweep (unix seconds) */
};

struct simnode *simnode_new(int n, const char *spec)
{
	struct simnode *s = xcalloc(1, sizeof(*s));

	s->n = n;
	s->registered = xcalloc((size_t)n, sizeof(*s->registered));
	s->next_ip = xcalloc((size_t)n, sizeof(*s->next_ip));
	s->stopped = xcalloc((size_t)n, sizeof(*s->stopped));
	if (spec)
		s->spec = cJSON_Parse(spec);
	return s;
}

void simnode_free(struct simnode *s)
{
	if (!s)
		return;
	free(s->registered);
	free(s->next_ip);
	free(s->stopped);
	simpod_backoff_free(&s->backoffs);
	cJSON_Delete(s->spec);
	free(s);
}

/* 1-based index of a simulated node name, 0 if not one of ours. */
static int node_index(const struct simnode *s, const char *name)
{
	size_t pl = strlen(CTRL_SIM_PREFIX);
	char *end;
	long i;

	if (!name || strncmp(name, CTRL_SIM_PREFIX, pl))
		return 0;
	i = strtol(name + pl, &end, 10);
	return *end || i < 1 || i > s->n ? 0 : (int)i;
}

static cJSON *condition(const char *type, const char *status,
			const char *reason, const char *msg, const char *now)
{
	cJSON *c = cJSON_CreateObject();

	cJSON_AddStringToObject(c, "type", type);
	cJSON_AddStringToObject(c, "status", status);
	if (reason)
		cJSON_AddStringToObject(c, "reason", reason);
	if (msg)
		cJSON_AddStringToObject(c, "message", msg);
	cJSON_AddStringToObject(c, "lastHeartbeatTime", now);
	cJSON_AddStringToObject(c, "lastTransitionTime", now);
	return c;
}

static void node_status(const struct simnode *s, cJSON *node,
			const char *name, int idx, const char *now)
{
	static const char *const pressure[] = {
		"MemoryPressure", "DiskPressure", "PIDPressure", NULL
	};
	cJSON *conds = cJSON_CreateArray(), *addr = cJSON_CreateArray(), *a;
	char ip[32];

	for (size_t i = 0; pressure[i]; i++)
		cJSON_AddItemToArray(conds, condition(pressure[i], "False",
						      "KubeletHasSufficient",
						      NULL, now));
	cJSON_AddItemToArray(conds, condition("Ready", "True", "KubeletReady",
					      "kubelet is posting ready status",
					      now));
	json_set(node, "status.conditions", conds);
	json_set_str(node, "status.capacity.cpu", "8");
	json_set_str(node, "status.capacity.memory", "32Gi");
	json_set_str(node, "status.capacity.pods", "110");
	json_set(node, "status.allocatable", json_dup(json_get(node, "status.capacity")));
	simnode_spec_status(s->spec, node);
	snprintf(ip, sizeof(ip), "172.18.0.%d", idx + 1);
	a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, "type", "InternalIP");
	cJSON_AddStringToObject(a, "address", ip);
	cJSON_AddItemToArray(addr, a);
	a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, "type", "Hostname");
	cJSON_AddStringToObject(a, "address", name);
	cJSON_AddItemToArray(addr, a);
	json_set(node, "status.addresses", addr);
	json_set_str(node, "status.phase", "Running");
	json_set_str(node, "status.nodeInfo.kubeletVersion", "v1.33.0-kdeck");
	json_set_str(node, "status.nodeInfo.containerRuntimeVersion", "kdeck-sim://1.0");
	json_set_str(node, "status.nodeInfo.operatingSystem", "linux");
	json_set_str(node, "status.nodeInfo.architecture", "amd64");
	json_set_str(node, "status.nodeInfo.osImage", "kdeck simulated node");
	json_set_str(node, "status.nodeInfo.kernelVersion", "0.0.0-sim");
}

/* Create Node idx (1-based) with its status; 409 means it exists. */
static bool node_register(struct ctrl *c, int idx, const char *now)
{
	char name[64];
	cJSON *n = cJSON_CreateObject();
	int st;

	snprintf(name, sizeof(name), "%s%d", CTRL_SIM_PREFIX, idx);
	json_set_str(n, "apiVersion", "v1");
	json_set_str(n, "kind", "Node");
	json_set_str(n, "metadata.name", name);
	json_set_str(n, "metadata.labels.kubernetes\\.io/hostname", name);
	json_set_str(n, "metadata.labels.kubernetes\\.io/os", "linux");
	json_set_str(n, "metadata.labels.kubernetes\\.io/arch", "amd64");
	json_set_str(n, "metadata.labels.node-role\\.kubernetes\\.io/worker", "");
	json_set_str(n, "metadata.labels.type", "kdeck-sim");
	json_set_str(n, "metadata.annotations.kwok\\.x-k8s\\.io/node", "fake");
	json_set_str(n, "spec.podCIDR", "");
	json_del(n, "spec.podCIDR");
	simnode_spec_meta(c->sim->spec, n);
	node_status(c->sim, n, name, idx, now);
	st = ctrl_call(c, CTRL_USER_CM, "POST", "/api/v1/nodes", n, NULL);
	cJSON_Delete(n);
	return st == 201 || st == 200 || st == 409;
}

/* Create or renew the node's Lease (renewTime = now). */
static void lease_renew(struct ctrl *c, int idx, const char *micro)
{
	char name[64], path[160];
	cJSON *l = NULL;
	int st;

	snprintf(name, sizeof(name), "%s%d", CTRL_SIM_PREFIX, idx);
	snprintf(path, sizeof(path),
		 "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/%s",
		 name);
	st = ctrl_call(c, CTRL_USER_CM, "GET", path, NULL, &l);
	if (st == 200 && l) {
		json_set_str(l, "spec.renewTime", micro);
		ctrl_call(c, CTRL_USER_CM, "PUT", path, l, NULL);
	} else {
		cJSON_Delete(l);
		l = cJSON_CreateObject();
		json_set_str(l, "apiVersion", "coordination.k8s.io/v1");
		json_set_str(l, "kind", "Lease");
		json_set_str(l, "metadata.name", name);
		json_set_str(l, "metadata.namespace", "kube-node-lease");
		json_set_str(l, "spec.holderIdentity", name);
		json_set_int(l, "spec.leaseDurationSeconds", 40);
		json_set_str(l, "spec.renewTime", micro);
		ctrl_call(c, CTRL_USER_CM, "POST",
			  "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
			  l, NULL);
	}
	cJSON_Delete(l);
}

/* The teaching hook: label or annotation kdeck.io/simulated-stopped=true. */
static bool node_stopped(const cJSON *node)
{
	static const char *const where[] = { "metadata.labels", "metadata.annotations" };

	for (size_t i = 0; i < 2; i++) {
		const cJSON *v = json_obj(json_get(node, where[i]),
					  "kdeck.io/simulated-stopped");

		if (cJSON_IsString(v) && !strcmp(v->valuestring, "true"))
			return true;
	}
	return false;
}

/* A kubelet coming back: post fresh conditions when Ready is not True. */
static void node_heartbeat(struct ctrl *c, const cJSON *node, int idx,
			   const char *now)
{
	char path[160];
	cJSON *n;

	if (ctrl_condition_true(node, "Ready"))
		return;
	n = json_dup(node);
	node_status(c->sim, n, json_get_str(node, "metadata.name"), idx, now);
	snprintf(path, sizeof(path), "/api/v1/nodes/%s/status",
		 json_get_str(node, "metadata.name"));
	ctrl_call(c, CTRL_USER_CM, "PUT", path, n, NULL);
	cJSON_Delete(n);
}

/* The node-level work of one pass, parallel across nodes. */
struct node_batch {
	struct ctrl *c;
	const cJSON **nodes;	/* [i]: the cached Node of kdeck-sim-(i+1) */
	bool *lease;		/* [i]: renew its Lease */
	char now[KTIME_STR_MAX], micro[KTIME_STR_MAX];
};

static void node_do(void *arg, size_t i)
{
	struct node_batch *b = arg;
	struct simnode *s = b->c->sim;

	if (!s->registered[i]) {
		s->registered[i] = node_register(b->c, (int)i + 1, b->now);
		return;
	}
	if (!b->nodes[i] || s->stopped[i])
		return;
	if (b->lease[i])
		lease_renew(b->c, (int)i + 1, b->micro);
	node_heartbeat(b->c, b->nodes[i], (int)i + 1, b->now);
}

/*
 * Register the nodes not registered yet, then renew Leases (every
 * renew_s, or when a stopped node starts again) and post Ready where it is
 * not; the Nodes come from the informer cache.  The calls of different
 * nodes are independent, so they run in parallel.
 */
static void nodes_sync(struct ctrl *c, bool renew)
{
	struct simnode *s = c->sim;
	struct ktime t = ktime_now();
	struct node_batch b = { .c = c };
	const cJSON *n;
	size_t work = 0;

	b.nodes = xcalloc((size_t)s->n, sizeof(*b.nodes));
	b.lease = xcalloc((size_t)s->n, sizeof(*b.lease));
	ktime_format(&t, b.now);
	ktime_format_micro(&t, b.micro);
	cJSON_ArrayForEach(n, ctrl_cached(c, CTRL_K_NODES)) {
		int i = node_index(s, json_get_str(n, "metadata.name"));
		bool was;

		if (!i || !s->registered[i - 1])
			continue;
		was = s->stopped[i - 1];
		s->stopped[i - 1] = node_stopped(n);
		b.nodes[i - 1] = n;
		b.lease[i - 1] = renew || was;
		work += !s->stopped[i - 1] &&
			(b.lease[i - 1] || !ctrl_condition_true(n, "Ready"));
	}
	for (int i = 0; i < s->n; i++)
		work += !s->registered[i];
	if (work)
		ctrl_parallel((size_t)s->n, node_do, &b);
	free(b.nodes);
	free(b.lease);
}

static cJSON *pod_condition(const char *type, const char *now)
{
	cJSON *c = cJSON_CreateObject();

	cJSON_AddStringToObject(c, "type", type);
	cJSON_AddStringToObject(c, "status", "True");
	cJSON_AddNullToObject(c, "lastProbeTime");
	cJSON_AddStringToObject(c, "lastTransitionTime", now);
	return c;
}

/* The status of container name in old statuses, or NULL. */
static const cJSON *old_status(const cJSON *old, const char *name)
{
	const cJSON *cs;

	cJSON_ArrayForEach(cs, old)
		if (!strcmp(json_get_str(cs, "name") ?: "", name ?: ""))
			return cs;
	return NULL;
}

/*
 * Running statuses of containers (restartCount and lastState kept from
 * the old statuses when a pod runs again).
 */
static cJSON *container_statuses(const cJSON *containers, const cJSON *old,
				 const char *now)
{
	cJSON *arr = cJSON_CreateArray();
	const cJSON *ct;
	int i = 0;

	cJSON_ArrayForEach(ct, containers) {
		cJSON *s = cJSON_CreateObject();
		char id[96];
		const char *img = json_get_str(ct, "image");
		const cJSON *o = old_status(old, json_get_str(ct, "name"));
		int64_t restarts = 0;

		snprintf(id, sizeof(id), "kdeck-sim://%08x%04d",
			 (unsigned)rand(), i++);
		cJSON_AddStringToObject(s, "name", json_get_str(ct, "name") ?: "");
		cJSON_AddBoolToObject(s, "ready", 1);
		json_get_int(o, "restartCount", &restarts);
		cJSON_AddNumberToObject(s, "restartCount", (double)restarts);
		cJSON_AddBoolToObject(s, "started", 1);
		cJSON_AddStringToObject(s, "image", img ? img : "");
		cJSON_AddStringToObject(s, "imageID", img ? img : "");
		cJSON_AddStringToObject(s, "containerID", id);
		json_set_str(s, "state.running.startedAt", now);
		cJSON_AddItemToObject(s, "lastState", o && json_get(o, "lastState") ?
				      json_dup(json_get(o, "lastState")) :
				      cJSON_CreateObject());
		cJSON_AddItemToArray(arr, s);
	}
	return arr;
}

/* The addresses pod_run gives a pod: assigned before the parallel writes. */
struct sim_addr {
	char ip[32], hip[32];
};

static void sim_addr_next(struct simnode *s, int idx, struct sim_addr *a)
{
	s->next_ip[idx - 1] = s->next_ip[idx - 1] % 253 + 1;
	snprintf(a->ip, sizeof(a->ip), "10.244.%d.%u", idx % 256,
		 s->next_ip[idx - 1] + 1);
	snprintf(a->hip, sizeof(a->hip), "172.18.0.%d", idx + 1);
}

/* [{"ip": ip}] */
static cJSON *ip_list(const char *ip)
{
	cJSON *ips = cJSON_CreateArray(), *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "ip", ip);
	cJSON_AddItemToArray(ips, o);
	return ips;
}

/* Put the pod into Running with addresses a.  Thread safe. */
static void pod_run(struct ctrl *c, const cJSON *pod, const struct sim_addr *a)
{
	static const char *const types[] = {
		"PodReadyToStartContainers", "Initialized", "Ready",
		"ContainersReady", "PodScheduled", NULL
	};
	struct ktime t = ktime_now();
	char now[KTIME_STR_MAX], path[512];
	cJSON *p = json_dup(pod), *conds = cJSON_CreateArray();

	ktime_format(&t, now);
	for (size_t i = 0; types[i]; i++)
		cJSON_AddItemToArray(conds, pod_condition(types[i], now));
	json_set(p, "status.conditions", conds);
	json_set_str(p, "status.phase", "Running");
	json_set_str(p, "status.hostIP", a->hip);
	json_set_str(p, "status.podIP", a->ip);
	json_set(p, "status.podIPs", ip_list(a->ip));
	json_set(p, "status.hostIPs", ip_list(a->hip));
	if (!json_get(p, "status.startTime"))
		json_set_str(p, "status.startTime", now);
	json_set(p, "status.containerStatuses",
		 container_statuses(json_get(p, "spec.containers"),
				    json_get(pod, "status.containerStatuses"), now));
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/pods/%s/status",
		 json_get_str(p, "metadata.namespace"),
		 json_get_str(p, "metadata.name"));
	ctrl_call(c, CTRL_USER_CM, "PUT", path, p, NULL);
	cJSON_Delete(p);
}

static void pod_remove(struct ctrl *c, const cJSON *pod)
{
	char path[512];
	cJSON *opt = cJSON_CreateObject();

	json_set_str(opt, "apiVersion", "v1");
	json_set_str(opt, "kind", "DeleteOptions");
	json_set_int(opt, "gracePeriodSeconds", 0);
	json_set_str(opt, "preconditions.uid",
		     json_get_str(pod, "metadata.uid"));
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/pods/%s",
		 json_get_str(pod, "metadata.namespace"),
		 json_get_str(pod, "metadata.name"));
	ctrl_call(c, CTRL_USER_CM, "DELETE", path, opt, NULL);
	cJSON_Delete(opt);
}

/* What a simulated kubelet does with one of its pods this pass. */
enum sim_act { SIM_REMOVE, SIM_RUN, SIM_EXIT, SIM_RESTART, SIM_STOP, SIM_CRASH };

struct sim_work {
	const cJSON *pod;
	enum sim_act act;
	struct sim_addr addr;	/* SIM_RUN */
	int64_t backoff;	/* SIM_CRASH: seconds */
};

struct sim_batch {
	struct ctrl *c;
	struct sim_work *w;
};

/* One kubelet action; pods are independent, so these run in parallel. */
static void sim_do(void *arg, size_t i)
{
	struct sim_batch *b = arg;
	const struct sim_work *w = &b->w[i];

	if (w->act == SIM_REMOVE)
		pod_remove(b->c, w->pod);
	else if (w->act == SIM_STOP)
		simpod_stop(b->c, w->pod);
	else if (w->act == SIM_RUN)
		pod_run(b->c, w->pod, &w->addr);
	else if (w->act == SIM_RESTART)
		simpod_restart(b->c, w->pod);
	else if (w->act == SIM_CRASH)
		simpod_crash(b->c, w->pod, w->backoff);
	else
		simpod_exit(b->c, w->pod);
}

/*
 * A restart due at now (exited at finished): now, or CrashLoopBackOff
 * first; false when a waiting pod must wait on.
 */
static bool sim_restart(struct simnode *sn, const cJSON *pod, int64_t now,
			int64_t finished, bool waiting, struct sim_work *w)
{
	const char *uid = json_get_str(pod, "metadata.uid") ?: "";

	if (simpod_backoff_restart(&sn->backoffs, uid, now, finished, &w->backoff)) {
		w->act = SIM_RESTART;
		return true;
	}
	w->act = SIM_CRASH;
	return !waiting;
}

/* The action pod needs at now into w; false when none. */
static bool sim_plan(struct simnode *sn, const cJSON *pod, int64_t now,
		     struct sim_work *w)
{
	const char *phase = json_get_str(pod, "status.phase");
	bool running = phase && !strcmp(phase, "Running");
	int64_t finished = 0;
	enum simpod_act due = SIMPOD_NONE;

	if (json_get(pod, "metadata.deletionTimestamp"))
		w->act = simpod_stopped(pod) ? SIM_REMOVE : SIM_STOP;
	else if (!phase || !strcmp(phase, "Pending"))
		w->act = SIM_RUN;
	else if (running && simpod_in_backoff(pod, &finished))
		return sim_restart(sn, pod, now, finished, true, w);
	else if (running && !ctrl_condition_true(pod, "Ready"))
		w->act = SIM_RUN;	/* marked not ready while away */
	else if (running && (due = simpod_due(pod, now)) == SIMPOD_RESTART)
		return sim_restart(sn, pod, now, now, false, w);
	else if (running && due == SIMPOD_EXIT)
		w->act = SIM_EXIT;
	else
		return false;
	return true;
}

void simnode_sync(struct ctrl *c, const cJSON *pods, bool renew)
{
	struct sim_batch b = { c, NULL };
	size_t n = 0, cap = 0;
	int64_t now = ktime_now().sec;
	const cJSON *pod;

	nodes_sync(c, renew);
	cJSON_ArrayForEach(pod, pods) {
		int idx = node_index(c->sim, json_get_str(pod, "spec.nodeName"));
		struct sim_work w = { .pod = pod };

		if (!idx || c->sim->stopped[idx - 1] || !sim_plan(c->sim, pod, now, &w))
			continue;
		if (n == cap)
			b.w = xrealloc(b.w, (cap = cap ? cap * 2 : 64) * sizeof(*b.w));
		if (w.act == SIM_RUN)
			sim_addr_next(c->sim, idx, &w.addr);
		b.w[n++] = w;
	}
	if (now - c->sim->backoff_gc >= 60) {
		c->sim->backoff_gc = now;
		simpod_backoff_gc(&c->sim->backoffs, now);
	}
	ctrl_parallel(n, sim_do, &b);
	free(b.w);
}
