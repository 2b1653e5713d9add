/* SPDX-License-Identifier: Apache-2.0 */
/*
 * describe: a kubectl-describe-like text for one object.
 *
 * Covered: metadata for every kind (name, namespace, labels, annotations,
 * creation time, owners), then per kind the essentials as tables of JSON
 * paths (Pod: node, phase, IP, containers with image, ports, state and
 * restarts; Deployment/ReplicaSet/StatefulSet/DaemonSet: replicas and
 * selector; Service: type, IPs, ports, selector; Node: addresses,
 * capacity; everything: status.conditions), then the object's events.
 * Kinds without a section still get metadata, conditions and events.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "tui/tui.h"

/* String member of o, "" when absent. */
static const char *js(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return s ? s : "";
}

/* A dotted path into obj ("spec.nodeName"); NULL when absent. */
static const cJSON *path_get(const cJSON *obj, const char *path)
{
	char tmp[256], *save = NULL;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *t = strtok_r(tmp, ".", &save); t && obj;
	     t = strtok_r(NULL, ".", &save))
		obj = cJSON_GetObjectItemCaseSensitive(obj, t);
	return obj;
}

static void scalar(struct buf *b, const cJSON *v)
{
	if (cJSON_IsString(v))
		buf_adds(b, v->valuestring);
	else if (cJSON_IsNumber(v))
		buf_printf(b, "%g", v->valuedouble);
	else if (cJSON_IsBool(v))
		buf_adds(b, cJSON_IsTrue(v) ? "true" : "false");
	else if (v) {
		char *s = cJSON_PrintUnformatted(v);

		buf_adds(b, s);
		cJSON_free(s);
	} else
		buf_adds(b, "<none>");
}

static void field(struct buf *b, int indent, const char *label, const cJSON *v)
{
	buf_printf(b, "%*s%-*s ", indent, "", 20 - indent, label);
	scalar(b, v);
	buf_addc(b, '\n');
}

/* "Labels:  a=b\n         c=d" as kubectl prints maps. */
static void map(struct buf *b, const char *label, const cJSON *m)
{
	const cJSON *kv;
	int first = 1;

	buf_printf(b, "%-20s ", label);
	if (!m || !m->child)
		buf_adds(b, "<none>\n");
	cJSON_ArrayForEach(kv, m) {
		buf_printf(b, "%*s%s=", first ? 0 : 21, "", kv->string);
		scalar(b, kv);
		buf_addc(b, '\n');
		first = 0;
	}
}

struct section {
	const char *kind;
	const char *const *paths;	/* "Label=path" */
};

static const char *const pod_paths[] = { "Node=spec.nodeName", "Status=status.phase",
	"IP=status.podIP", "Service Account=spec.serviceAccountName",
	"QoS Class=status.qosClass", NULL };
static const char *const workload_paths[] = { "Replicas=spec.replicas",
	"Updated=status.updatedReplicas", "Ready=status.readyReplicas",
	"Available=status.availableReplicas", "Strategy=spec.strategy.type", NULL };
static const char *const ds_paths[] = { "Desired=status.desiredNumberScheduled",
	"Current=status.currentNumberScheduled", "Ready=status.numberReady", NULL };
static const char *const svc_paths[] = { "Type=spec.type", "IP=spec.clusterIP",
	"Session Affinity=spec.sessionAffinity", NULL };
static const char *const node_paths[] = { "Capacity CPU=status.capacity.cpu",
	"Capacity Memory=status.capacity.memory", "Capacity Pods=status.capacity.pods",
	"Kubelet=status.nodeInfo.kubeletVersion", "OS Image=status.nodeInfo.osImage", NULL };

static const struct section sections[] = {
	{ "Pod", pod_paths }, { "Deployment", workload_paths },
	{ "ReplicaSet", workload_paths }, { "StatefulSet", workload_paths },
	{ "DaemonSet", ds_paths }, { "Service", svc_paths }, { "Node", node_paths },
};

static void paths(struct buf *b, const cJSON *obj, const char *const *p)
{
	for (; *p; p++) {
		const char *eq = strchr(*p, '=');
		char label[64];

		snprintf(label, sizeof(label), "%.*s:", (int)(eq - *p), *p);
		field(b, 0, label, path_get(obj, eq + 1));
	}
}

static void containers(struct buf *b, const cJSON *obj)
{
	const cJSON *c, *st, *p;

	buf_adds(b, "Containers:\n");
	cJSON_ArrayForEach(c, path_get(obj, "spec.containers")) {
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(c, "name"));
		const cJSON *mine = NULL;

		cJSON_ArrayForEach(st, path_get(obj, "status.containerStatuses"))
			if (name && !strcmp(name, js(st, "name")))
				mine = st;
		buf_printf(b, "  %s:\n", name ? name : "?");
		field(b, 4, "Image:", cJSON_GetObjectItem(c, "image"));
		cJSON_ArrayForEach(p, cJSON_GetObjectItem(c, "ports"))
			field(b, 4, "Port:", cJSON_GetObjectItem(p, "containerPort"));
		field(b, 4, "Ready:", cJSON_GetObjectItem(mine, "ready"));
		field(b, 4, "Restart Count:", cJSON_GetObjectItem(mine, "restartCount"));
		st = cJSON_GetObjectItem(mine, "state");
		if (st && st->child)
			buf_printf(b, "    %-16s %s\n", "State:", st->child->string);
	}
}

static void svc_ports(struct buf *b, const cJSON *obj)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, path_get(obj, "spec.ports")) {
		buf_printf(b, "%-20s ", "Port:");
		scalar(b, cJSON_GetObjectItem(p, "port"));
		buf_addc(b, '/');
		scalar(b, cJSON_GetObjectItem(p, "protocol"));
		buf_adds(b, " -> ");
		scalar(b, cJSON_GetObjectItem(p, "targetPort"));
		buf_addc(b, '\n');
	}
}

static void conditions(struct buf *b, const cJSON *obj)
{
	const cJSON *c, *all = path_get(obj, "status.conditions");

	if (!all || !all->child)
		return;
	buf_printf(b, "Conditions:\n  %-24s %-8s %s\n", "Type", "Status", "Reason");
	cJSON_ArrayForEach(c, all)
		buf_printf(b, "  %-24s %-8s %s\n",
			   js(c, "type"),
			   js(c, "status"),
			   js(c, "reason"));
}

static void events(struct buf *b, const cJSON *evs)
{
	const cJSON *ev;

	if (!evs || !evs->child) {
		buf_adds(b, "Events:              <none>\n");
		return;
	}
	buf_printf(b, "Events:\n  %-8s %-18s %-6s %s\n", "Type", "Reason", "Count", "Message");
	cJSON_ArrayForEach(ev, evs) {
		const cJSON *n = cJSON_GetObjectItem(ev, "count");

		buf_printf(b, "  %-8s %-18s %-6d %s\n",
			   js(ev, "type"),
			   js(ev, "reason"),
			   cJSON_IsNumber(n) ? n->valueint : 1,
			   js(ev, "message"));
	}
}

char *describe_object(const struct cJSON *obj, const struct cJSON *evs)
{
	struct buf b = BUF_INIT;
	const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(obj, "kind"));
	const cJSON *o;

	field(&b, 0, "Name:", path_get(obj, "metadata.name"));
	if (path_get(obj, "metadata.namespace"))
		field(&b, 0, "Namespace:", path_get(obj, "metadata.namespace"));
	field(&b, 0, "Kind:", cJSON_GetObjectItem(obj, "kind"));
	map(&b, "Labels:", path_get(obj, "metadata.labels"));
	map(&b, "Annotations:", path_get(obj, "metadata.annotations"));
	field(&b, 0, "Creation Timestamp:", path_get(obj, "metadata.creationTimestamp"));
	cJSON_ArrayForEach(o, path_get(obj, "metadata.ownerReferences"))
		buf_printf(&b, "%-20s %s/%s\n", "Controlled By:",
			   js(o, "kind"),
			   js(o, "name"));
	for (size_t i = 0; kind && i < sizeof(sections) / sizeof(sections[0]); i++)
		if (!strcmp(kind, sections[i].kind))
			paths(&b, obj, sections[i].paths);
	if (kind && strcmp(kind, "Service") && path_get(obj, "spec.selector"))
		map(&b, "Selector:", path_get(obj, "spec.selector.matchLabels"));
	else if (kind && !strcmp(kind, "Service")) {
		map(&b, "Selector:", path_get(obj, "spec.selector"));
		svc_ports(&b, obj);
	}
	if (kind && !strcmp(kind, "Pod"))
		containers(&b, obj);
	conditions(&b, obj);
	events(&b, evs);
	return buf_take(&b);
}
