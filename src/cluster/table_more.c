/* SPDX-License-Identifier: Apache-2.0 */
/*
 * table_more: columns of the storage, networking, policy, certificate and
 * admission kinds, and the wide (-o wide) columns of nodes, events and
 * role bindings, as kubectl prints them against a v1.33 server
 * (pkg/printers/internalversion).  Cells that kubectl leaves empty stay
 * "" here; "<none>", "<unset>" and "N/A" appear where kubectl prints
 * them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/table_int.h"
#include "common/json.h"
#include "common/mem.h"

#define COL(n, t, p, f) { n, t, "", p, f, "" }
#define NAMEC { "Name", "string", "name", 0, table_cell_name, "Name must be unique within a namespace." }
#define AGEC COL("Age", "string", 0, table_cell_age)

static const char *str_or(const cJSON *o, const char *path, const char *dflt)
{
	const char *s = json_get_str(o, path);

	return s && s[0] ? s : dflt;
}

static void raw(struct buf *b, const char *s)
{
	buf_add_json_str(b, s ? s : "");
}

static int64_t int_or(const cJSON *o, const char *path, int64_t dflt)
{
	int64_t n = dflt;

	json_get_int(o, path, &n);
	return n;
}

/* "RWO,RWX" of an accessModes array. */
static void access_modes(const cJSON *a, struct buf *b)
{
	static const char *const map[][2] = {
		{ "ReadWriteOnce", "RWO" }, { "ReadOnlyMany", "ROX" },
		{ "ReadWriteMany", "RWX" }, { "ReadWriteOncePod", "RWOP" },
	};
	struct buf s = BUF_INIT;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const cJSON *m;

		cJSON_ArrayForEach(m, a)
			if (cJSON_IsString(m) && !strcmp(m->valuestring, map[i][0])) {
				buf_printf(&s, "%s%s", s.len ? "," : "", map[i][1]);
				break;
			}
	}
	raw(b, buf_cstr(&s));
	buf_free(&s);
}

static bool deleting(const cJSON *o)
{
	return json_get(o, "metadata.deletionTimestamp") != NULL;
}

static const char *storage_class(const cJSON *o)
{
	const char *s = json_get_str(o, "spec.storageClassName");

	if (s && s[0])
		return s;
	s = json_get_str(o, "metadata.annotations.volume\\.beta\\.kubernetes\\.io/storage-class");
	return s ? s : "";
}

/* --- PersistentVolumeClaim, PersistentVolume --- */

static void c_pvc_status(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, deleting(o) ? "Terminating" : str_or(o, "status.phase", ""));
}

static void c_pvc_volume(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "spec.volumeName", ""));
}

static void c_pvc_capacity(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, json_get_str(o, "spec.volumeName") ?
		       str_or(o, "status.capacity.storage", "") : "");
}

static void c_pvc_modes(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	if (json_get_str(o, "spec.volumeName"))
		access_modes(json_get(o, "status.accessModes"), b);
	else
		raw(b, "");
}

static void c_sc_of(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, storage_class(o));
}

static void c_vac(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "spec.volumeAttributesClassName", "<unset>"));
}

static void c_volume_mode(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "spec.volumeMode", "<unset>"));
}

static void c_pv_capacity(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "spec.capacity.storage", ""));
}

static void c_pv_modes(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	access_modes(json_get(o, "spec.accessModes"), b);
}

static void c_pv_reclaim(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "spec.persistentVolumeReclaimPolicy", ""));
}

static void c_pv_claim(const cJSON *o, time_t now, struct buf *b)
{
	char s[520] = "";

	(void)now;
	if (json_get(o, "spec.claimRef"))
		snprintf(s, sizeof(s), "%s/%s",
			 str_or(o, "spec.claimRef.namespace", ""),
			 str_or(o, "spec.claimRef.name", ""));
	raw(b, s);
}

static void c_pv_reason(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "status.reason", ""));
}

static const struct table_col cols_pvc[] = {
	NAMEC, COL("Status", "string", 0, c_pvc_status),
	COL("Volume", "string", 0, c_pvc_volume),
	COL("Capacity", "string", 0, c_pvc_capacity),
	COL("Access Modes", "string", 0, c_pvc_modes),
	COL("StorageClass", "string", 0, c_sc_of),
	COL("VolumeAttributesClass", "string", 0, c_vac), AGEC,
	COL("VolumeMode", "string", 1, c_volume_mode),
};
static const struct table_col cols_pv[] = {
	NAMEC, COL("Capacity", "string", 0, c_pv_capacity),
	COL("Access Modes", "string", 0, c_pv_modes),
	COL("Reclaim Policy", "string", 0, c_pv_reclaim),
	COL("Status", "string", 0, c_pvc_status),
	COL("Claim", "string", 0, c_pv_claim),
	COL("StorageClass", "string", 0, c_sc_of),
	COL("VolumeAttributesClass", "string", 0, c_vac),
	COL("Reason", "string", 0, c_pv_reason), AGEC,
	COL("VolumeMode", "string", 1, c_volume_mode),
};

/* --- StorageClass, VolumeAttachment, PriorityClass --- */

static bool is_default_class(const cJSON *o)
{
	const char *a = json_get_str(o, "metadata.annotations.storageclass\\.kubernetes\\.io/is-default-class");
	const char *b = json_get_str(o, "metadata.annotations.storageclass\\.beta\\.kubernetes\\.io/is-default-class");

	return (a && !strcmp(a, "true")) || (b && !strcmp(b, "true"));
}

static void c_sc_name(const cJSON *o, time_t now, struct buf *b)
{
	char s[300];

	(void)now;
	snprintf(s, sizeof(s), "%s%s", str_or(o, "metadata.name", ""),
		 is_default_class(o) ? " (default)" : "");
	raw(b, s);
}

static void c_sc_prov(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "provisioner", ""));
}

static void c_sc_reclaim(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "reclaimPolicy", "Delete"));
}

static void c_sc_binding(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "volumeBindingMode", "Immediate"));
}

static void bool_cell(struct buf *b, bool v)
{
	buf_adds(b, v ? "true" : "false");
}

static void c_sc_expand(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	bool_cell(b, cJSON_IsTrue(json_get(o, "allowVolumeExpansion")));
}

static const struct table_col cols_sc[] = {
	{ "Name", "string", "name", 0, c_sc_name, "Name must be unique within a namespace." },
	COL("Provisioner", "string", 0, c_sc_prov),
	COL("ReclaimPolicy", "string", 0, c_sc_reclaim),
	COL("VolumeBindingMode", "string", 0, c_sc_binding),
	COL("AllowVolumeExpansion", "string", 0, c_sc_expand), AGEC,
};

static void c_va_attacher(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "spec.attacher", ""));
}

static void c_va_pv(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "spec.source.persistentVolumeName", ""));
}

static void c_va_node(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "spec.nodeName", ""));
}

static void c_va_attached(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	bool_cell(b, cJSON_IsTrue(json_get(o, "status.attached")));
}

static const struct table_col cols_va[] = {
	NAMEC, COL("Attacher", "string", 0, c_va_attacher),
	COL("PV", "string", 0, c_va_pv), COL("Node", "string", 0, c_va_node),
	COL("Attached", "boolean", 0, c_va_attached), AGEC,
};

static void c_pc_value(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	buf_printf(b, "%lld", (long long)int_or(o, "value", 0));
}

static void c_pc_global(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	bool_cell(b, cJSON_IsTrue(json_get(o, "globalDefault")));
}

static void c_pc_preempt(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "preemptionPolicy", "PreemptLowerPriority"));
}

static const struct table_col cols_pc[] = {
	NAMEC, COL("Value", "integer", 0, c_pc_value),
	COL("Global-Default", "boolean", 0, c_pc_global), AGEC,
	COL("PreemptionPolicy", "string", 0, c_pc_preempt),
};

/* --- Ingress, EndpointSlice, NetworkPolicy --- */

static void c_ing_class(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "spec.ingressClassName", "<none>"));
}

static void c_ing_hosts(const cJSON *o, time_t now, struct buf *b)
{
	struct buf s = BUF_INIT;
	const cJSON *r;
	int n = 0;

	(void)now;
	cJSON_ArrayForEach(r, json_get(o, "spec.rules")) {
		const char *h = json_get_str(r, "host");

		if (!h || !h[0])
			continue;
		if (n++ < 4)
			buf_printf(&s, "%s%s", s.len ? "," : "", h);
	}
	if (n > 4)
		buf_printf(&s, " + %d more...", n - 4);
	raw(b, n ? buf_cstr(&s) : "*");
	buf_free(&s);
}

static void lb_addresses(const cJSON *ing, struct buf *s)
{
	const cJSON *i;

	cJSON_ArrayForEach(i, ing) {
		const char *a = json_get_str(i, "ip");

		if (!a || !a[0])
			a = json_get_str(i, "hostname");
		if (a && a[0])
			buf_printf(s, "%s%s", s->len ? "," : "", a);
	}
}

static void c_ing_address(const cJSON *o, time_t now, struct buf *b)
{
	struct buf s = BUF_INIT;

	(void)now;
	lb_addresses(json_get(o, "status.loadBalancer.ingress"), &s);
	raw(b, buf_cstr(&s));
	buf_free(&s);
}

static void c_ing_ports(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, cJSON_GetArraySize(json_get(o, "spec.tls")) ? "80, 443" : "80");
}

static const struct table_col cols_ing[] = {
	NAMEC, COL("Class", "string", 0, c_ing_class),
	COL("Hosts", "string", 0, c_ing_hosts),
	COL("Address", "string", 0, c_ing_address),
	COL("Ports", "string", 0, c_ing_ports), AGEC,
};

static void c_eps_type(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "addressType", ""));
}

static void c_eps_ports(const cJSON *o, time_t now, struct buf *b)
{
	struct buf s = BUF_INIT;
	const cJSON *p;

	(void)now;
	cJSON_ArrayForEach(p, json_get(o, "ports")) {
		int64_t port;

		if (json_get_int(p, "port", &port) == 0)
			buf_printf(&s, "%s%lld", s.len ? "," : "", (long long)port);
		else
			buf_printf(&s, "%s<unset>", s.len ? "," : "");
	}
	raw(b, s.len ? buf_cstr(&s) : "<unset>");
	buf_free(&s);
}

static void c_eps_endpoints(const cJSON *o, time_t now, struct buf *b)
{
	struct buf s = BUF_INIT;
	const cJSON *ep, *a;
	int n = 0;

	(void)now;
	cJSON_ArrayForEach(ep, json_get(o, "endpoints"))
		cJSON_ArrayForEach(a, json_get(ep, "addresses"))
			if (cJSON_IsString(a) && n++ < 3)
				buf_printf(&s, "%s%s", s.len ? "," : "", a->valuestring);
	if (n > 3)
		buf_printf(&s, " + %d more...", n - 3);
	raw(b, n ? buf_cstr(&s) : "<unset>");
	buf_free(&s);
}

static const struct table_col cols_eps[] = {
	NAMEC, COL("AddressType", "string", 0, c_eps_type),
	COL("Ports", "string", 0, c_eps_ports),
	COL("Endpoints", "string", 0, c_eps_endpoints), AGEC,
};

/* A LabelSelector as kubectl prints it ("app=web,tier in (a,b)"). */
static void selector_string(const cJSON *sel, struct buf *s)
{
	const cJSON *e;

	table_map_string(json_get(sel, "matchLabels"), s);
	cJSON_ArrayForEach(e, json_get(sel, "matchExpressions")) {
		const char *key = str_or(e, "key", ""), *op = str_or(e, "operator", "");
		const cJSON *v;
		bool first = true;

		buf_printf(s, "%s", s->len ? "," : "");
		if (!strcmp(op, "Exists")) {
			buf_adds(s, key);
			continue;
		}
		if (!strcmp(op, "DoesNotExist")) {
			buf_printf(s, "!%s", key);
			continue;
		}
		buf_printf(s, "%s %s (", key, !strcmp(op, "In") ? "in" : "notin");
		cJSON_ArrayForEach(v, json_get(e, "values"))
			if (cJSON_IsString(v)) {
				buf_printf(s, "%s%s", first ? "" : ",", v->valuestring);
				first = false;
			}
		buf_adds(s, ")");
	}
}

static void c_np_selector(const cJSON *o, time_t now, struct buf *b)
{
	struct buf s = BUF_INIT;

	(void)now;
	selector_string(json_get(o, "spec.podSelector"), &s);
	table_cell_str(b, buf_cstr(&s));
	buf_free(&s);
}

static const struct table_col cols_np[] = {
	NAMEC, COL("Pod-Selector", "string", 0, c_np_selector), AGEC,
};

/* --- PodDisruptionBudget, HorizontalPodAutoscaler, ResourceQuota --- */

/* An int-or-string field as text, or dflt when absent. */
static void int_or_string(const cJSON *v, const char *dflt, struct buf *b)
{
	char n[32];

	if (cJSON_IsString(v)) {
		raw(b, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		snprintf(n, sizeof(n), "%lld", (long long)v->valuedouble);
		raw(b, n);
	} else {
		raw(b, dflt);
	}
}

static void c_pdb_min(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	int_or_string(json_get(o, "spec.minAvailable"), "N/A", b);
}

static void c_pdb_max(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	int_or_string(json_get(o, "spec.maxUnavailable"), "N/A", b);
}

static void c_pdb_allowed(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	buf_printf(b, "%lld", (long long)int_or(o, "status.disruptionsAllowed", 0));
}

static const struct table_col cols_pdb[] = {
	NAMEC, COL("Min Available", "string", 0, c_pdb_min),
	COL("Max Unavailable", "string", 0, c_pdb_max),
	COL("Allowed Disruptions", "integer", 0, c_pdb_allowed), AGEC,
};

static void c_hpa_ref(const cJSON *o, time_t now, struct buf *b)
{
	char s[520];

	(void)now;
	snprintf(s, sizeof(s), "%s/%s",
		 str_or(o, "spec.scaleTargetRef.kind", ""),
		 str_or(o, "spec.scaleTargetRef.name", ""));
	raw(b, s);
}

/* The current value of resource metric name in status.currentMetrics. */
static const cJSON *hpa_current(const cJSON *o, const char *name)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, json_get(o, "status.currentMetrics")) {
		const char *n = json_get_str(m, "resource.name");

		if (n && !strcmp(n, name))
			return json_get(m, "resource.current");
	}
	return NULL;
}

/* One "cpu: 40%/80%" target (autoscaling/v2 shape). */
static void hpa_target(const cJSON *o, const cJSON *m, struct buf *s)
{
	const char *type = str_or(m, "type", ""), *name;
	const cJSON *cur;
	int64_t want, have;

	if (strcmp(type, "Resource") && strcmp(type, "ContainerResource")) {
		buf_printf(s, "%s<unknown>/<unknown>", s->len ? ", " : "");
		return;
	}
	name = str_or(m, "resource.name", "");
	cur = hpa_current(o, name);
	buf_printf(s, "%s%s: ", s->len ? ", " : "", name);
	if (json_get_int(m, "resource.target.averageUtilization", &want) == 0) {
		if (cur && json_get_int(cur, "averageUtilization", &have) == 0)
			buf_printf(s, "%lld%%/%lld%%", (long long)have, (long long)want);
		else
			buf_printf(s, "<unknown>/%lld%%", (long long)want);
		return;
	}
	buf_printf(s, "%s/%s",
		   cur ? str_or(cur, "averageValue", "<unknown>") : "<unknown>",
		   str_or(m, "resource.target.averageValue",
			  str_or(m, "resource.target.value", "<unknown>")));
}

static void c_hpa_targets(const cJSON *o, time_t now, struct buf *b)
{
	struct buf s = BUF_INIT;
	const cJSON *m;
	int n = 0, want;

	(void)now;
	if (json_get_int(o, "spec.targetCPUUtilizationPercentage",
			 &(int64_t){0}) == 0) {	/* autoscaling/v1 */
		int64_t t = int_or(o, "spec.targetCPUUtilizationPercentage", 0);
		int64_t c;

		if (json_get_int(o, "status.currentCPUUtilizationPercentage", &c) == 0)
			buf_printf(&s, "cpu: %lld%%/%lld%%", (long long)c, (long long)t);
		else
			buf_printf(&s, "cpu: <unknown>/%lld%%", (long long)t);
		raw(b, buf_cstr(&s));
		buf_free(&s);
		return;
	}
	want = cJSON_GetArraySize(json_get(o, "spec.metrics"));
	cJSON_ArrayForEach(m, json_get(o, "spec.metrics"))
		if (n++ < 2)
			hpa_target(o, m, &s);
	if (want > 2)
		buf_printf(&s, " + %d more...", want - 2);
	raw(b, want ? buf_cstr(&s) : "<none>");
	buf_free(&s);
}

static void c_hpa_min(const cJSON *o, time_t now, struct buf *b)
{
	char n[24];

	(void)now;

	if (json_get(o, "spec.minReplicas")) {
		snprintf(n, sizeof(n), "%lld",
			 (long long)int_or(o, "spec.minReplicas", 1));
		raw(b, n);
	} else
		raw(b, "<unset>");
}

static void c_hpa_max(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	buf_printf(b, "%lld", (long long)int_or(o, "spec.maxReplicas", 0));
}

static void c_hpa_cur(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	buf_printf(b, "%lld", (long long)int_or(o, "status.currentReplicas", 0));
}

static const struct table_col cols_hpa[] = {
	NAMEC, COL("Reference", "string", 0, c_hpa_ref),
	COL("Targets", "string", 0, c_hpa_targets),
	COL("MinPods", "string", 0, c_hpa_min),
	COL("MaxPods", "integer", 0, c_hpa_max),
	COL("Replicas", "integer", 0, c_hpa_cur), AGEC,
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "cpu: 100m/1, pods: 2/10" over the sorted keys of hard, limits.* or not. */
static void quota_pairs(const cJSON *o, bool limits, struct buf *b)
{
	const cJSON *hard = json_get(o, "status.hard"), *h;
	size_t n = 0, cap = (size_t)cJSON_GetArraySize(hard) + 1;
	const char **keys = xcalloc(cap, sizeof(*keys));
	struct buf s = BUF_INIT;

	cJSON_ArrayForEach(h, hard)
		if (cJSON_IsString(h) && !strncmp(h->string, "limits.", 7) == limits)
			keys[n++] = h->string;
	qsort(keys, n, sizeof(*keys), cmp_str);
	for (size_t i = 0; i < n; i++) {
		const cJSON *u = cJSON_GetObjectItemCaseSensitive(
			json_get(o, "status.used"), keys[i]);

		buf_printf(&s, "%s%s: %s/%s", s.len ? ", " : "", keys[i],
			   cJSON_IsString(u) ? u->valuestring : "0",
			   cJSON_GetObjectItemCaseSensitive(hard, keys[i])->valuestring);
	}
	raw(b, buf_cstr(&s));
	buf_free(&s);
	free(keys);
}

static void c_rq_request(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	quota_pairs(o, false, b);
}

static void c_rq_limit(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	quota_pairs(o, true, b);
}

static const struct table_col cols_rq[] = {
	NAMEC, AGEC, COL("Request", "string", 0, c_rq_request),
	COL("Limit", "string", 0, c_rq_limit),
};

/* --- certificates, revisions, templates, admission --- */

static void c_csr_signer(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "spec.signerName", ""));
}

static void c_csr_user(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "spec.username", ""));
}

static void c_csr_duration(const cJSON *o, time_t now, struct buf *b)
{
	char d[32];
	int64_t s;

	(void)now;
	if (json_get_int(o, "spec.expirationSeconds", &s) < 0) {
		raw(b, "<none>");
		return;
	}
	table_duration((long long)s, d, sizeof(d));
	raw(b, d);
}

static void c_csr_condition(const cJSON *o, time_t now, struct buf *b)
{
	struct buf s = BUF_INIT;
	const cJSON *c;

	(void)now;
	cJSON_ArrayForEach(c, json_get(o, "status.conditions")) {
		const char *st = json_get_str(c, "status");

		if (!st || !strcmp(st, "True"))
			buf_printf(&s, "%s%s", s.len ? "," : "",
				   str_or(c, "type", ""));
	}
	raw(b, s.len ? buf_cstr(&s) : "Pending");
	buf_free(&s);
}

static const struct table_col cols_csr[] = {
	NAMEC, AGEC, COL("SignerName", "string", 0, c_csr_signer),
	COL("Requestor", "string", 0, c_csr_user),
	COL("RequestedDuration", "string", 0, c_csr_duration),
	COL("Condition", "string", 0, c_csr_condition),
};

static void c_cr_controller(const cJSON *o, time_t now, struct buf *b)
{
	const cJSON *r;
	char s[600];

	(void)now;
	cJSON_ArrayForEach(r, json_get(o, "metadata.ownerReferences")) {
		const char *api = str_or(r, "apiVersion", ""), *slash;
		char kind[128];
		size_t i;

		if (!cJSON_IsTrue(json_get(r, "controller")))
			continue;
		snprintf(kind, sizeof(kind), "%s", str_or(r, "kind", ""));
		for (i = 0; kind[i]; i++)
			if (kind[i] >= 'A' && kind[i] <= 'Z')
				kind[i] = (char)(kind[i] - 'A' + 'a');
		slash = strchr(api, '/');
		if (slash)
			snprintf(s, sizeof(s), "%s.%.*s/%s", kind,
				 (int)(slash - api), api, str_or(r, "name", ""));
		else
			snprintf(s, sizeof(s), "%s/%s", kind, str_or(r, "name", ""));
		raw(b, s);
		return;
	}
	raw(b, "<none>");
}

static void c_cr_revision(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	buf_printf(b, "%lld", (long long)int_or(o, "revision", 0));
}

static const struct table_col cols_crev[] = {
	NAMEC, COL("Controller", "string", 0, c_cr_controller),
	COL("Revision", "integer", 0, c_cr_revision), AGEC,
};

static void join_containers(const cJSON *o, const char *field, struct buf *b)
{
	struct buf s = BUF_INIT;
	const cJSON *c;

	cJSON_ArrayForEach(c, json_get(o, "template.spec.containers"))
		buf_printf(&s, "%s%s", s.len ? "," : "", str_or(c, field, ""));
	raw(b, buf_cstr(&s));
	buf_free(&s);
}

static void c_pt_containers(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	join_containers(o, "name", b);
}

static void c_pt_images(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	join_containers(o, "image", b);
}

static void c_pt_labels(const cJSON *o, time_t now, struct buf *b)
{
	struct buf s = BUF_INIT;

	(void)now;
	table_map_string(json_get(o, "template.metadata.labels"), &s);
	table_cell_str(b, buf_cstr(&s));
	buf_free(&s);
}

static const struct table_col cols_pt[] = {
	NAMEC, COL("Containers", "string", 0, c_pt_containers),
	COL("Images", "string", 0, c_pt_images),
	COL("Pod Labels", "string", 0, c_pt_labels),
};

static void c_webhooks(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	buf_printf(b, "%d", cJSON_GetArraySize(json_get(o, "webhooks")));
}

static const struct table_col cols_webhook[] = {
	NAMEC, COL("Webhooks", "integer", 0, c_webhooks), AGEC,
};

static void c_vap_validations(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	buf_printf(b, "%d", cJSON_GetArraySize(json_get(o, "spec.validations")));
}

static void c_vap_paramkind(const cJSON *o, time_t now, struct buf *b)
{
	char s[300];

	(void)now;
	if (!json_get(o, "spec.paramKind")) {
		raw(b, "<unset>");
		return;
	}
	snprintf(s, sizeof(s), "%s/%s", str_or(o, "spec.paramKind.apiVersion", ""),
		 str_or(o, "spec.paramKind.kind", ""));
	raw(b, s);
}

static const struct table_col cols_vap[] = {
	NAMEC, COL("Validations", "integer", 0, c_vap_validations),
	COL("ParamKind", "string", 0, c_vap_paramkind), AGEC,
};

static void c_vapb_policy(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "spec.policyName", "<unset>"));
}

static void c_vapb_param(const cJSON *o, time_t now, struct buf *b)
{
	char s[600];

	(void)now;
	if (!json_get(o, "spec.paramRef")) {
		raw(b, "<unset>");
		return;
	}
	if (json_get_str(o, "spec.paramRef.namespace"))
		snprintf(s, sizeof(s), "%s/%s", str_or(o, "spec.paramRef.namespace", ""),
			 str_or(o, "spec.paramRef.name", "*"));
	else
		snprintf(s, sizeof(s), "%s", str_or(o, "spec.paramRef.name", "*"));
	raw(b, s);
}

static const struct table_col cols_vapb[] = {
	NAMEC, COL("PolicyName", "string", 0, c_vapb_policy),
	COL("ParamRef", "string", 0, c_vapb_param), AGEC,
};

/* --- wide columns of table.c's kinds --- */

static void node_address(const cJSON *o, const char *type, struct buf *b)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, json_get(o, "status.addresses")) {
		const char *t = json_get_str(a, "type");

		if (t && !strcmp(t, type)) {
			raw(b, str_or(a, "address", "<none>"));
			return;
		}
	}
	raw(b, "<none>");
}

void table_c_node_internal_ip(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	node_address(o, "InternalIP", b);
}

void table_c_node_external_ip(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	node_address(o, "ExternalIP", b);
}

void table_c_node_os(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "status.nodeInfo.osImage", "<unknown>"));
}

void table_c_node_kernel(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "status.nodeInfo.kernelVersion", "<unknown>"));
}

void table_c_node_runtime(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "status.nodeInfo.containerRuntimeVersion", "<unknown>"));
}

void table_c_ev_subobject(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	raw(b, str_or(o, "involvedObject.fieldPath", ""));
}

void table_c_ev_source(const cJSON *o, time_t now, struct buf *b)
{
	const char *comp = str_or(o, "source.component",
				  str_or(o, "reportingComponent", ""));
	const char *host = str_or(o, "source.host",
				  str_or(o, "reportingInstance", ""));
	char s[600];

	(void)now;
	if (host[0] && strcmp(host, comp))
		snprintf(s, sizeof(s), "%s, %s", comp, host);
	else
		snprintf(s, sizeof(s), "%s", comp);
	raw(b, s);
}

void table_c_ev_first_seen(const cJSON *o, time_t now, struct buf *b)
{
	char age[32];
	const char *t = str_or(o, "firstTimestamp", str_or(o, "eventTime", NULL));

	table_age(t, now, age, sizeof(age));
	raw(b, age);
}

void table_c_ev_count(const cJSON *o, time_t now, struct buf *b)
{
	char n[24];

	(void)now;
	snprintf(n, sizeof(n), "%lld",
		 (long long)int_or(o, "count", int_or(o, "series.count", 1)));
	raw(b, n);
}

/* Subjects of a binding of one kind, "ns/name" for ServiceAccounts. */
static void subjects(const cJSON *o, const char *kind, struct buf *b)
{
	struct buf s = BUF_INIT;
	const cJSON *x;

	cJSON_ArrayForEach(x, json_get(o, "subjects")) {
		const char *k = json_get_str(x, "kind");

		if (!k || strcmp(k, kind))
			continue;
		if (!strcmp(kind, "ServiceAccount"))
			buf_printf(&s, "%s%s/%s", s.len ? ", " : "",
				   str_or(x, "namespace", ""), str_or(x, "name", ""));
		else
			buf_printf(&s, "%s%s", s.len ? ", " : "", str_or(x, "name", ""));
	}
	raw(b, buf_cstr(&s));
	buf_free(&s);
}

void table_c_rb_users(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	subjects(o, "User", b);
}

void table_c_rb_groups(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	subjects(o, "Group", b);
}

void table_c_rb_sas(const cJSON *o, time_t now, struct buf *b)
{
	(void)now;
	subjects(o, "ServiceAccount", b);
}

#define ENTRY(k, c) { k, c, sizeof(c) / sizeof(c[0]) }

static const struct {
	const char *kind;
	const struct table_col *cols;
	size_t n;
} kinds[] = {
	ENTRY("PersistentVolumeClaim", cols_pvc),
	ENTRY("PersistentVolume", cols_pv), ENTRY("StorageClass", cols_sc),
	ENTRY("VolumeAttachment", cols_va), ENTRY("PriorityClass", cols_pc),
	ENTRY("Ingress", cols_ing), ENTRY("EndpointSlice", cols_eps),
	ENTRY("NetworkPolicy", cols_np), ENTRY("PodDisruptionBudget", cols_pdb),
	ENTRY("HorizontalPodAutoscaler", cols_hpa),
	ENTRY("ResourceQuota", cols_rq),
	ENTRY("CertificateSigningRequest", cols_csr),
	ENTRY("ControllerRevision", cols_crev), ENTRY("PodTemplate", cols_pt),
	ENTRY("MutatingWebhookConfiguration", cols_webhook),
	ENTRY("ValidatingWebhookConfiguration", cols_webhook),
	ENTRY("ValidatingAdmissionPolicy", cols_vap),
	ENTRY("ValidatingAdmissionPolicyBinding", cols_vapb),
};

const struct table_col *table_columns_more(const char *kind, size_t *n)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].kind, kind)) {
			*n = kinds[i].n;
			return kinds[i].cols;
		}
	return NULL;
}
