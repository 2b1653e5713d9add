/* SPDX-License-Identifier: Apache-2.0 */
/*
 * table: the column tables.  A column is a name, a type, a priority
 * (wide-only when > 0) and a cell: either a JSON path printed as text, an
 * integer at a path, the object's age, or a function for the columns
 * that need logic (pod STATUS, READY, service PORT(S)...).  Columns and
 * their order follow kubectl's printers for a v1.33 cluster.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/table_int.h"
#include "common/json.h"
#include "common/mem.h"

#define NONE "<none>"

static void cell_str(struct buf *b, const char *s)
{
	buf_add_json_str(b, s && s[0] ? s : NONE);
}

static const char *str_at(const cJSON *o, const char *path)
{
	const char *s = json_get_str(o, path);

	return s && s[0] ? s : NULL;
}

static int64_t int_at(const cJSON *o, const char *path)
{
	int64_t n = 0;

	json_get_int(o, path, &n);
	return n;
}

static time_t parse_ts(const char *ts)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!ts || !strptime(ts, "%Y-%m-%dT%H:%M:%S", &tm))
		return (time_t)-1;
	return timegm(&tm);
}

/*
 * Template capture (table_cells_template): while set on this thread, a
 * duration prints as the byte 0x01 (a cell escapes it to "\u0001") and
 * the time it is measured from (now - s) is recorded instead.
 */
#define TMPL_MAX 4
struct tmpl_cap {
	time_t now;
	int64_t ts[TMPL_MAX];
	size_t n;
};
static _Thread_local struct tmpl_cap *tmpl_cap;

void table_duration(long long s, char *buf, size_t n)
{
	long long m = s / 60, h = s / 3600, d = h / 24, y = d / 365;

	if (tmpl_cap) {
		if (tmpl_cap->n < TMPL_MAX)
			tmpl_cap->ts[tmpl_cap->n] = (int64_t)tmpl_cap->now - s;
		tmpl_cap->n++;
		snprintf(buf, n, "\x01");
		return;
	}
	if (s < -1)
		snprintf(buf, n, "<invalid>");
	else if (s < 0)
		snprintf(buf, n, "0s");
	else if (s < 120)
		snprintf(buf, n, "%llds", s);
	else if (m < 10)
		s % 60 ? snprintf(buf, n, "%lldm%llds", m, s % 60) : snprintf(buf, n, "%lldm", m);
	else if (m < 180)
		snprintf(buf, n, "%lldm", m);
	else if (h < 8)
		m % 60 ? snprintf(buf, n, "%lldh%lldm", h, m % 60) : snprintf(buf, n, "%lldh", h);
	else if (h < 48)
		snprintf(buf, n, "%lldh", h);
	else if (h < 24 * 8)
		h % 24 ? snprintf(buf, n, "%lldd%lldh", d, h % 24) : snprintf(buf, n, "%lldd", d);
	else if (h < 24 * 365 * 2)
		snprintf(buf, n, "%lldd", d);
	else if (h < 24 * 365 * 8)
		d % 365 ? snprintf(buf, n, "%lldy%lldd", y, d % 365) : snprintf(buf, n, "%lldy", y);
	else
		snprintf(buf, n, "%lldy", y);
}

void table_age(const char *ts, time_t now, char *buf, size_t n)
{
	time_t t = parse_ts(ts);

	if (t == (time_t)-1)
		snprintf(buf, n, "<unknown>");
	else
		table_duration((long long)(now - t), buf, n);
}

/* --- generic cells --- */

static void c_name(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	cell_str(b, json_get_str(o, "metadata.name"));
}

static void c_age(const cJSON *o, time_t now, struct buf *b)
{
	char age[32];

	table_age(json_get_str(o, "metadata.creationTimestamp"), now, age, sizeof(age));
	buf_add_json_str(b, age);
}

#define PATH_CELL(fn, path) \
	static void fn(const cJSON *o, time_t now, struct buf *b) \
	{ (void)now; cell_str(b, json_get_str(o, path)); }
#define INT_CELL(fn, path) \
	static void fn(const cJSON *o, time_t now, struct buf *b) \
	{ (void)now; buf_printf(b, "%lld", (long long)int_at(o, path)); }

PATH_CELL(c_ns_phase, "status.phase")
PATH_CELL(c_svc_type, "spec.type")
PATH_CELL(c_cluster_ip, "spec.clusterIP")
PATH_CELL(c_pod_ip, "status.podIP")
PATH_CELL(c_pod_node, "spec.nodeName")
PATH_CELL(c_nominated, "status.nominatedNodeName")
PATH_CELL(c_secret_type, "type")
PATH_CELL(c_ev_type, "type")
PATH_CELL(c_ev_reason, "reason")
PATH_CELL(c_ev_message, "message")
PATH_CELL(c_cj_schedule, "spec.schedule")
PATH_CELL(c_cj_tz, "spec.timeZone")
PATH_CELL(c_lease_holder, "spec.holderIdentity")
PATH_CELL(c_rc_handler, "handler")
PATH_CELL(c_ic_ctrl, "spec.controller")
PATH_CELL(c_node_version, "status.nodeInfo.kubeletVersion")
INT_CELL(c_spec_replicas, "spec.replicas")
INT_CELL(c_st_replicas, "status.replicas")
INT_CELL(c_st_ready, "status.readyReplicas")
INT_CELL(c_st_updated, "status.updatedReplicas")
INT_CELL(c_st_available, "status.availableReplicas")
INT_CELL(c_ds_desired, "status.desiredNumberScheduled")
INT_CELL(c_ds_current, "status.currentNumberScheduled")
INT_CELL(c_ds_ready, "status.numberReady")
INT_CELL(c_ds_updated, "status.updatedNumberScheduled")
INT_CELL(c_ds_available, "status.numberAvailable")

static void c_count(const cJSON *o, const char *path, struct buf *b)
{
	const cJSON *v = json_get(o, path);

	buf_printf(b, "%d", v ? cJSON_GetArraySize(v) : 0);
}

static void c_data(const cJSON *o, time_t now, struct buf *b)
{
	const cJSON *d = json_get(o, "data"), *bd = json_get(o, "binaryData");

	(void)now;
	buf_printf(b, "%d", (d ? cJSON_GetArraySize(d) : 0) +
		   (bd ? cJSON_GetArraySize(bd) : 0));
}

static void c_sa_secrets(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	c_count(o, "secrets", b);
}

static void c_ready_of(const cJSON *o, time_t now, struct buf *b)
{
	char s[48];

	(void)now;
	snprintf(s, sizeof(s), "%lld/%lld", (long long)int_at(o, "status.readyReplicas"),
		 (long long)(json_get(o, "spec.replicas") ? int_at(o, "spec.replicas") : 1));
	buf_add_json_str(b, s);
}

/* Join the string at field of each element of the array at path. */
static void join_field(const cJSON *o, const char *path, const char *field,
		       struct buf *b)
{
	struct buf s = BUF_INIT;
	const cJSON *it;

	cJSON_ArrayForEach(it, json_get(o, path)) {
		const char *v = json_get_str(it, field);

		if (v)
			buf_printf(&s, "%s%s", s.len ? "," : "", v);
	}
	cell_str(b, buf_cstr(&s));
	buf_free(&s);
}

static void c_containers(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	join_field(o, json_get(o, "spec.jobTemplate") ?
		   "spec.jobTemplate.spec.template.spec.containers" :
		   "spec.template.spec.containers", "name", b);
}

static void c_images(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	join_field(o, json_get(o, "spec.jobTemplate") ?
		   "spec.jobTemplate.spec.template.spec.containers" :
		   "spec.template.spec.containers", "image", b);
}

static void map_string(const cJSON *m, struct buf *s)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, m)
		if (cJSON_IsString(it))
			buf_printf(s, "%s%s=%s", s->len ? "," : "", it->string, it->valuestring);
}

static void c_selector(const cJSON *o, time_t now, struct buf *b)
{
	const cJSON *sel = json_get(o, "spec.selector");
	const cJSON *ml = json_obj(sel, "matchLabels");
	struct buf s = BUF_INIT;

	(void)now;
	map_string(ml ? ml : json_obj(sel, "matchExpressions") ? NULL : sel, &s);
	cell_str(b, buf_cstr(&s));
	buf_free(&s);
}

static void c_node_selector(const cJSON *o, time_t now, struct buf *b)
{
	struct buf s = BUF_INIT;

	(void)now;
	map_string(json_get(o, "spec.template.spec.nodeSelector"), &s);
	cell_str(b, buf_cstr(&s));
	buf_free(&s);
}

/* --- pods --- */

void table_pod_ready(const cJSON *pod, char *buf, size_t n)
{
	int total = cJSON_GetArraySize(json_get(pod, "spec.containers")), ready = 0;
	const cJSON *it;

	cJSON_ArrayForEach(it, json_get(pod, "status.containerStatuses"))
		if (json_get_bool(it, "ready", false) && json_get(it, "state.running"))
			ready++;
	snprintf(buf, n, "%d/%d", ready, total);
}

static const char *terminated_reason(const cJSON *t, const char *prefix,
				     char *buf, size_t n)
{
	const char *r = str_at(t, "reason");
	int64_t sig = int_at(t, "signal"), code = int_at(t, "exitCode");

	if (r)
		snprintf(buf, n, "%s%s", prefix, r);
	else if (sig)
		snprintf(buf, n, "%sSignal:%lld", prefix, (long long)sig);
	else
		snprintf(buf, n, "%sExitCode:%lld", prefix, (long long)code);
	return buf;
}

/* Init container phase of kubectl's printPod; true when initializing. */
static bool pod_init_status(const cJSON *pod, char *buf, size_t n)
{
	int i = 0, total = cJSON_GetArraySize(json_get(pod, "spec.initContainers"));
	const cJSON *it;

	cJSON_ArrayForEach(it, json_get(pod, "status.initContainerStatuses")) {
		const cJSON *term = json_get(it, "state.terminated");
		const char *wr = str_at(it, "state.waiting.reason");

		if (term && int_at(term, "exitCode") == 0) {
			i++;
			continue;
		}
		if (json_get(it, "state.running") && json_get_bool(it, "started", false) &&
		    json_get(pod, "spec.initContainers")) {
			i++;	/* restartable sidecar that started */
			continue;
		}
		if (term)
			terminated_reason(term, "Init:", buf, n);
		else if (wr && strcmp(wr, "PodInitializing"))
			snprintf(buf, n, "Init:%s", wr);
		else
			snprintf(buf, n, "Init:%d/%d", i, total);
		return true;
	}
	return false;
}

static bool pod_condition_true(const cJSON *pod, const char *type)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, json_get(pod, "status.conditions")) {
		const char *t = json_get_str(c, "type"), *s = json_get_str(c, "status");

		if (t && s && !strcmp(t, type) && !strcmp(s, "True"))
			return true;
	}
	return false;
}

/* PodScheduled has reason SchedulingGated (printPod shows that). */
static bool pod_gated(const cJSON *pod)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, json_get(pod, "status.conditions"))
		if (!strcmp(str_at(c, "type") ?: "", "PodScheduled") &&
		    !strcmp(str_at(c, "reason") ?: "", "SchedulingGated"))
			return true;
	return false;
}

const char *table_pod_status(const cJSON *pod, char *buf, size_t n)
{
	const char *r = str_at(pod, "status.reason");
	bool running = false;
	const cJSON *cs = json_get(pod, "status.containerStatuses");

	snprintf(buf, n, "%s", r ? r : str_at(pod, "status.phase") ? str_at(pod, "status.phase") : "Pending");
	if (pod_gated(pod))
		snprintf(buf, n, "SchedulingGated");
	if (!pod_init_status(pod, buf, n) || pod_condition_true(pod, "Initialized")) {
		for (int i = cJSON_GetArraySize(cs) - 1; i >= 0; i--) {
			const cJSON *c = cJSON_GetArrayItem(cs, i);
			const cJSON *term = json_get(c, "state.terminated");

			if (str_at(c, "state.waiting.reason"))
				snprintf(buf, n, "%s", str_at(c, "state.waiting.reason"));
			else if (term)
				terminated_reason(term, "", buf, n);
			else if (json_get_bool(c, "ready", false) && json_get(c, "state.running"))
				running = true;
		}
		if (!strcmp(buf, "Completed") && running)
			snprintf(buf, n, "%s", pod_condition_true(pod, "Ready") ? "Running" : "NotReady");
	}
	if (json_get(pod, "metadata.deletionTimestamp"))
		snprintf(buf, n, "%s", r && !strcmp(r, "NodeLost") ? "Unknown" : "Terminating");
	return buf;
}

static void c_pod_ready(const cJSON *o, time_t now, struct buf *b)
{
	char s[32];

	(void)now;
	table_pod_ready(o, s, sizeof(s));
	buf_add_json_str(b, s);
}

static void c_pod_status(const cJSON *o, time_t now, struct buf *b)
{
	char s[128];

	(void)now;
	buf_add_json_str(b, table_pod_status(o, s, sizeof(s)));
}

static void c_pod_restarts(const cJSON *o, time_t now, struct buf *b)
{
	long long restarts = 0;
	time_t last = (time_t)-1;
	const cJSON *it;
	char s[64], age[32];

	cJSON_ArrayForEach(it, json_get(o, "status.containerStatuses")) {
		time_t t = parse_ts(json_get_str(it, "lastState.terminated.finishedAt"));

		restarts += int_at(it, "restartCount");
		if (t != (time_t)-1 && (last == (time_t)-1 || t > last))
			last = t;
	}
	if (restarts && last != (time_t)-1) {
		table_duration((long long)(now - last), age, sizeof(age));
		snprintf(s, sizeof(s), "%lld (%s ago)", restarts, age);
	} else {
		snprintf(s, sizeof(s), "%lld", restarts);
	}
	buf_add_json_str(b, s);
}

static void c_pod_gates(const cJSON *o, time_t now, struct buf *b)
{
	const cJSON *g = json_get(o, "spec.readinessGates");
	char s[32];

	(void)now;
	if (!g || !cJSON_GetArraySize(g)) {
		buf_add_json_str(b, NONE);
		return;
	}
	snprintf(s, sizeof(s), "0/%d", cJSON_GetArraySize(g));
	buf_add_json_str(b, s);
}

/* --- services, workloads, misc --- */

static void c_svc_external(const cJSON *o, time_t now, struct buf *b)
{
	const char *type = str_at(o, "spec.type");
	struct buf s = BUF_INIT;
	const cJSON *it;

	(void)now;
	cJSON_ArrayForEach(it, json_get(o, "spec.externalIPs"))
		buf_printf(&s, "%s%s", s.len ? "," : "", it->valuestring ? it->valuestring : "");
	cJSON_ArrayForEach(it, json_get(o, "status.loadBalancer.ingress")) {
		const char *v = str_at(it, "ip") ? str_at(it, "ip") : str_at(it, "hostname");

		if (v)
			buf_printf(&s, "%s%s", s.len ? "," : "", v);
	}
	if (!s.len && type && !strcmp(type, "LoadBalancer"))
		buf_adds(&s, "<pending>");
	if (!s.len && type && !strcmp(type, "ExternalName"))
		buf_adds(&s, str_at(o, "spec.externalName") ? str_at(o, "spec.externalName") : "");
	cell_str(b, buf_cstr(&s));
	buf_free(&s);
}

static void c_svc_ports(const cJSON *o, time_t now, struct buf *b)
{
	struct buf s = BUF_INIT;
	const cJSON *p;

	(void)now;
	cJSON_ArrayForEach(p, json_get(o, "spec.ports")) {
		const char *proto = str_at(p, "protocol");

		buf_printf(&s, "%s%lld", s.len ? "," : "", (long long)int_at(p, "port"));
		if (int_at(p, "nodePort"))
			buf_printf(&s, ":%lld", (long long)int_at(p, "nodePort"));
		buf_printf(&s, "/%s", proto ? proto : "TCP");
	}
	cell_str(b, buf_cstr(&s));
	buf_free(&s);
}

static void c_svc_selector(const cJSON *o, time_t now, struct buf *b)
{
	struct buf s = BUF_INIT;

	(void)now;
	map_string(json_get(o, "spec.selector"), &s);
	cell_str(b, buf_cstr(&s));
	buf_free(&s);
}

static void c_sts_ready(const cJSON *o, time_t now, struct buf *b)
{
	c_ready_of(o, now, b);
}

static void c_job_completions(const cJSON *o, time_t now, struct buf *b)
{
	char s[48];

	(void)now;
	if (json_get(o, "spec.completions"))
		snprintf(s, sizeof(s), "%lld/%lld", (long long)int_at(o, "status.succeeded"),
			 (long long)int_at(o, "spec.completions"));
	else
		snprintf(s, sizeof(s), "%lld/1 of %lld", (long long)int_at(o, "status.succeeded"),
			 (long long)(json_get(o, "spec.parallelism") ? int_at(o, "spec.parallelism") : 1));
	if (!json_get(o, "spec.completions") && int_at(o, "spec.parallelism") <= 1)
		snprintf(s, sizeof(s), "%lld/1", (long long)int_at(o, "status.succeeded"));
	buf_add_json_str(b, s);
}

static bool has_condition(const cJSON *o, const char *type)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, json_get(o, "status.conditions")) {
		const char *t = json_get_str(c, "type"), *st = json_get_str(c, "status");

		if (t && st && !strcmp(t, type) && !strcmp(st, "True"))
			return true;
	}
	return false;
}

static void c_job_status(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	if (has_condition(o, "Complete"))
		buf_add_json_str(b, "Complete");
	else if (has_condition(o, "Failed"))
		buf_add_json_str(b, "Failed");
	else if (json_get(o, "metadata.deletionTimestamp"))
		buf_add_json_str(b, "Terminating");
	else if (has_condition(o, "Suspended"))
		buf_add_json_str(b, "Suspended");
	else
		buf_add_json_str(b, "Running");
}

static void c_job_duration(const cJSON *o, time_t now, struct buf *b)
{
	time_t start = parse_ts(json_get_str(o, "status.startTime"));
	time_t end = parse_ts(json_get_str(o, "status.completionTime"));
	char s[32] = "";

	if (start == (time_t)-1) {
		buf_add_json_str(b, "");
		return;
	}
	table_duration((long long)((end == (time_t)-1 ? now : end) - start), s, sizeof(s));
	buf_add_json_str(b, s);
}

static void c_cj_suspend(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	buf_add_json_str(b, json_get_bool(o, "spec.suspend", false) ? "True" : "False");
}

static void c_cj_active(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	c_count(o, "status.active", b);
}

static void c_cj_last(const cJSON *o, time_t now, struct buf *b)
{
	char s[32];

	if (!json_get_str(o, "status.lastScheduleTime")) {
		buf_add_json_str(b, NONE);
		return;
	}
	table_age(json_get_str(o, "status.lastScheduleTime"), now, s, sizeof(s));
	buf_add_json_str(b, s);
}

static void c_node_status(const cJSON *o, time_t now, struct buf *b)
{
	struct buf s = BUF_INIT;
	const cJSON *c;

	(void)now;
	cJSON_ArrayForEach(c, json_get(o, "status.conditions")) {
		const char *t = json_get_str(c, "type"), *st = json_get_str(c, "status");

		if (t && st && !strcmp(t, "Ready"))
			buf_adds(&s, !strcmp(st, "True") ? "Ready" : "NotReady");
	}
	if (!s.len)
		buf_adds(&s, "Unknown");
	if (json_get_bool(o, "spec.unschedulable", false))
		buf_adds(&s, ",SchedulingDisabled");
	buf_add_json_str(b, buf_cstr(&s));
	buf_free(&s);
}

static void c_node_roles(const cJSON *o, time_t now, struct buf *b)
{
	struct buf s = BUF_INIT;
	const cJSON *it;

	(void)now;
	cJSON_ArrayForEach(it, json_get(o, "metadata.labels"))
		if (!strncmp(it->string, "node-role.kubernetes.io/", 24) && it->string[24])
			buf_printf(&s, "%s%s", s.len ? "," : "", it->string + 24);
	cell_str(b, buf_cstr(&s));
	buf_free(&s);
}

static void c_ev_last_seen(const cJSON *o, time_t now, struct buf *b)
{
	const char *t = json_get_str(o, "lastTimestamp");
	char s[32];

	if (!t)
		t = json_get_str(o, "eventTime");
	if (!t)
		t = json_get_str(o, "metadata.creationTimestamp");
	table_age(t, now, s, sizeof(s));
	buf_add_json_str(b, s);
}

static void c_ev_object(const cJSON *o, time_t now, struct buf *b)
{
	const char *k = json_get_str(o, "involvedObject.kind");
	const char *n = json_get_str(o, "involvedObject.name");
	char *s = xasprintf("%s/%s", k ? k : "", n ? n : "");
	char *low = s;

	(void)now;
	for (; *low && *low != '/'; low++)
		if (*low >= 'A' && *low <= 'Z')
			*low = (char)(*low - 'A' + 'a');
	buf_add_json_str(b, s);
	free(s);
}

static void c_ep_endpoints(const cJSON *o, time_t now, struct buf *b)
{
	struct buf s = BUF_INIT;
	const cJSON *sub, *a, *p;
	int count = 0;

	(void)now;
	cJSON_ArrayForEach(sub, json_get(o, "subsets"))
		cJSON_ArrayForEach(a, json_get(sub, "addresses"))
			cJSON_ArrayForEach(p, json_get(sub, "ports"))
				if (count++ < 3)
					buf_printf(&s, "%s%s:%lld", s.len ? "," : "",
						   json_get_str(a, "ip") ? json_get_str(a, "ip") : "",
						   (long long)int_at(p, "port"));
	if (count > 3)
		buf_printf(&s, " + %d more...", count - 3);
	cell_str(b, buf_cstr(&s));
	buf_free(&s);
}

static void c_rb_role(const cJSON *o, time_t now, struct buf *b)
{
	char *s = xasprintf("%s/%s", str_at(o, "roleRef.kind") ? str_at(o, "roleRef.kind") : "",
			    str_at(o, "roleRef.name") ? str_at(o, "roleRef.name") : "");

	(void)now;
	buf_add_json_str(b, s);
	free(s);
}

static void c_created_at(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	cell_str(b, json_get_str(o, "metadata.creationTimestamp"));
}

/* --- the column tables --- */

#define COL(n, t, p, f) { n, t, "", p, f, "" }
#define NAMEC { "Name", "string", "name", 0, c_name, "Name must be unique within a namespace." }
#define AGEC COL("Age", "string", 0, c_age)

static const struct table_col cols_default[] = { NAMEC, AGEC };
static const struct table_col cols_pod[] = {
	NAMEC, COL("Ready", "string", 0, c_pod_ready),
	COL("Status", "string", 0, c_pod_status),
	COL("Restarts", "string", 0, c_pod_restarts), AGEC,
	COL("IP", "string", 1, c_pod_ip), COL("Node", "string", 1, c_pod_node),
	COL("Nominated Node", "string", 1, c_nominated),
	COL("Readiness Gates", "string", 1, c_pod_gates),
};
static const struct table_col cols_deploy[] = {
	NAMEC, COL("Ready", "string", 0, c_ready_of),
	COL("Up-to-date", "integer", 0, c_st_updated),
	COL("Available", "integer", 0, c_st_available), AGEC,
	COL("Containers", "string", 1, c_containers),
	COL("Images", "string", 1, c_images),
	COL("Selector", "string", 1, c_selector),
};
static const struct table_col cols_rs[] = {
	NAMEC, COL("Desired", "integer", 0, c_spec_replicas),
	COL("Current", "integer", 0, c_st_replicas),
	COL("Ready", "integer", 0, c_st_ready), AGEC,
	COL("Containers", "string", 1, c_containers),
	COL("Images", "string", 1, c_images),
	COL("Selector", "string", 1, c_selector),
};
static const struct table_col cols_sts[] = {
	NAMEC, COL("Ready", "string", 0, c_sts_ready), AGEC,
	COL("Containers", "string", 1, c_containers),
	COL("Images", "string", 1, c_images),
};
static const struct table_col cols_ds[] = {
	NAMEC, COL("Desired", "integer", 0, c_ds_desired),
	COL("Current", "integer", 0, c_ds_current),
	COL("Ready", "integer", 0, c_ds_ready),
	COL("Up-to-date", "integer", 0, c_ds_updated),
	COL("Available", "integer", 0, c_ds_available),
	COL("Node Selector", "string", 0, c_node_selector), AGEC,
	COL("Containers", "string", 1, c_containers),
	COL("Images", "string", 1, c_images),
	COL("Selector", "string", 1, c_selector),
};
static const struct table_col cols_job[] = {
	NAMEC, COL("Status", "string", 0, c_job_status),
	COL("Completions", "string", 0, c_job_completions),
	COL("Duration", "string", 0, c_job_duration), AGEC,
	COL("Containers", "string", 1, c_containers),
	COL("Images", "string", 1, c_images),
	COL("Selector", "string", 1, c_selector),
};
static const struct table_col cols_cj[] = {
	NAMEC, COL("Schedule", "string", 0, c_cj_schedule),
	COL("Timezone", "string", 0, c_cj_tz),
	COL("Suspend", "boolean", 0, c_cj_suspend),
	COL("Active", "integer", 0, c_cj_active),
	COL("Last Schedule", "string", 0, c_cj_last), AGEC,
	COL("Containers", "string", 1, c_containers),
	COL("Images", "string", 1, c_images),
	COL("Selector", "string", 1, c_selector),
};
static const struct table_col cols_svc[] = {
	NAMEC, COL("Type", "string", 0, c_svc_type),
	COL("Cluster-IP", "string", 0, c_cluster_ip),
	COL("External-IP", "string", 0, c_svc_external),
	COL("Port(s)", "string", 0, c_svc_ports), AGEC,
	COL("Selector", "string", 1, c_svc_selector),
};
static const struct table_col cols_ns[] = {
	NAMEC, COL("Status", "string", 0, c_ns_phase), AGEC,
};
static const struct table_col cols_node[] = {
	NAMEC, COL("Status", "string", 0, c_node_status),
	COL("Roles", "string", 0, c_node_roles), AGEC,
	COL("Version", "string", 0, c_node_version),
	COL("Internal-IP", "string", 1, table_c_node_internal_ip),
	COL("External-IP", "string", 1, table_c_node_external_ip),
	COL("OS-Image", "string", 1, table_c_node_os),
	COL("Kernel-Version", "string", 1, table_c_node_kernel),
	COL("Container-Runtime", "string", 1, table_c_node_runtime),
};
static const struct table_col cols_cm[] = {
	NAMEC, COL("Data", "integer", 0, c_data), AGEC,
};
static const struct table_col cols_secret[] = {
	NAMEC, COL("Type", "string", 0, c_secret_type),
	COL("Data", "integer", 0, c_data), AGEC,
};
static const struct table_col cols_sa[] = {
	NAMEC, COL("Secrets", "integer", 0, c_sa_secrets), AGEC,
};
static const struct table_col cols_ep[] = {
	NAMEC, COL("Endpoints", "string", 0, c_ep_endpoints), AGEC,
};
static const struct table_col cols_event[] = {
	COL("Last Seen", "string", 0, c_ev_last_seen),
	COL("Type", "string", 0, c_ev_type),
	COL("Reason", "string", 0, c_ev_reason),
	COL("Object", "string", 0, c_ev_object),
	COL("Subobject", "string", 1, table_c_ev_subobject),
	COL("Source", "string", 1, table_c_ev_source),
	COL("Message", "string", 0, c_ev_message),
	COL("First Seen", "string", 1, table_c_ev_first_seen),
	COL("Count", "string", 1, table_c_ev_count),
	COL("Name", "string", 1, c_name),
};
static const struct table_col cols_created[] = {
	NAMEC, COL("Created At", "date", 0, c_created_at),
};
static const struct table_col cols_rb[] = {
	NAMEC, COL("Role", "string", 0, c_rb_role), AGEC,
	COL("Users", "string", 1, table_c_rb_users),
	COL("Groups", "string", 1, table_c_rb_groups),
	COL("ServiceAccounts", "string", 1, table_c_rb_sas),
};
static const struct table_col cols_lease[] = {
	NAMEC, COL("Holder", "string", 0, c_lease_holder), AGEC,
};
static const struct table_col cols_rtc[] = {
	NAMEC, COL("Handler", "string", 0, c_rc_handler), AGEC,
};
static const struct table_col cols_ic[] = {
	NAMEC, COL("Controller", "string", 0, c_ic_ctrl), AGEC,
};

#define ENTRY(k, c) { k, c, sizeof(c) / sizeof(c[0]) }

static const struct {
	const char *kind;
	const struct table_col *cols;
	size_t n;
} kinds[] = {
	ENTRY("Pod", cols_pod), ENTRY("Deployment", cols_deploy),
	ENTRY("ReplicaSet", cols_rs), ENTRY("ReplicationController", cols_rs),
	ENTRY("StatefulSet", cols_sts), ENTRY("DaemonSet", cols_ds),
	ENTRY("Job", cols_job), ENTRY("CronJob", cols_cj),
	ENTRY("Service", cols_svc), ENTRY("Namespace", cols_ns),
	ENTRY("Node", cols_node), ENTRY("ConfigMap", cols_cm),
	ENTRY("Secret", cols_secret), ENTRY("ServiceAccount", cols_sa),
	ENTRY("Endpoints", cols_ep), ENTRY("Event", cols_event),
	ENTRY("Role", cols_created), ENTRY("ClusterRole", cols_created),
	ENTRY("CustomResourceDefinition", cols_created),
	ENTRY("LimitRange", cols_created),
	ENTRY("RoleBinding", cols_rb), ENTRY("ClusterRoleBinding", cols_rb),
	ENTRY("Lease", cols_lease), ENTRY("RuntimeClass", cols_rtc),
	ENTRY("IngressClass", cols_ic),
};

const struct table_col *table_columns(const char *kind, size_t *n)
{
	const struct table_col *more = table_columns_more(kind, n);

	if (more)
		return more;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].kind, kind)) {
			*n = kinds[i].n;
			return kinds[i].cols;
		}
	*n = sizeof(cols_default) / sizeof(cols_default[0]);
	return cols_default;
}

void table_column_defs(const char *kind, struct buf *out)
{
	size_t n;
	const struct table_col *c = table_columns(kind, &n);

	buf_addc(out, '[');
	for (size_t i = 0; i < n; i++) {
		buf_printf(out, "%s{\"name\":", i ? "," : "");
		buf_add_json_str(out, c[i].name);
		buf_printf(out, ",\"type\":\"%s\",\"format\":\"%s\",\"description\":",
			   c[i].type, c[i].format);
		buf_add_json_str(out, c[i].desc);
		buf_printf(out, ",\"priority\":%d}", c[i].priority);
	}
	buf_addc(out, ']');
}

void table_cells(const char *kind, const cJSON *obj, time_t now,
		 struct buf *out)
{
	size_t n;
	const struct table_col *c = table_columns(kind, &n);

	buf_addc(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addc(out, ',');
		c[i].cell(obj, now, out);
	}
	buf_addc(out, ']');
}

#define TMPL_MARK "\\u0001"

static size_t count_marks(const char *s, size_t len)
{
	size_t n = 0;
	const char *end = s + len;

	for (const char *p = s; (p = memmem(p, (size_t)(end - p), TMPL_MARK, 6)); p += 6)
		n++;
	return n;
}

/*
 * Render at two times far apart: a template holds when both renderings
 * agree and every duration was measured from the same fixed time (a job's
 * DURATION between two stored times is not).
 */
int table_cells_template(const char *kind, const cJSON *obj,
			 struct buf *out, int64_t *ts, size_t max)
{
	struct tmpl_cap a = { .now = 1000000000 }, b = { .now = 1777777777 };
	struct buf ta = BUF_INIT, tb = BUF_INIT;
	int rc = -1;

	tmpl_cap = &a;
	table_cells(kind, obj, a.now, &ta);
	tmpl_cap = &b;
	table_cells(kind, obj, b.now, &tb);
	tmpl_cap = NULL;
	if (a.n > max || a.n > TMPL_MAX || a.n != b.n || ta.len != tb.len ||
	    memcmp(buf_cstr(&ta), buf_cstr(&tb), ta.len) ||
	    memcmp(a.ts, b.ts, a.n * sizeof(a.ts[0])) ||
	    count_marks(buf_cstr(&ta), ta.len) != a.n)
		goto out;
	buf_add(out, buf_cstr(&ta), ta.len);
	memcpy(ts, a.ts, a.n * sizeof(a.ts[0]));
	rc = (int)a.n;
out:
	buf_free(&ta);
	buf_free(&tb);
	return rc;
}

void table_template_fill(struct buf *out, const char *tmpl, size_t len,
			 const int64_t *ts, size_t nts, time_t now)
{
	const char *p = tmpl, *end = tmpl + len, *m;
	char d[32];

	for (size_t i = 0; i < nts && (m = memmem(p, (size_t)(end - p), TMPL_MARK, 6)); i++) {
		buf_add(out, p, (size_t)(m - p));
		table_duration((long long)(now - ts[i]), d, sizeof(d));
		buf_adds(out, d);
		p = m + 6;
	}
	buf_add(out, p, (size_t)(end - p));
}

/* The shared cells table_more.c uses (table_int.h). */
void table_cell_str(struct buf *b, const char *s) { cell_str(b, s); }
void table_cell_name(const cJSON *o, time_t now, struct buf *b)
{
	c_name(o, now, b);
}
void table_cell_age(const cJSON *o, time_t now, struct buf *b)
{
	c_age(o, now, b);
}
void table_map_string(const cJSON *m, struct buf *s) { map_string(m, s); }
