/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit_pod: the pod spec rules of pkg/apis/core/validation (validatePodSpec
 * and the per-container checks), shared by Pods and every pod template
 * (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob).
 *
 * Covered: volumes (name a DNS-1123 label, unique, exactly one source,
 * hostPath path and type, emptyDir sizeLimit, configMap/secret names,
 * items and modes, PVC claimName), per container (init containers too):
 * ports (number range, IANA name, unique name, protocol), env names (the
 * relaxed rule of 1.32+: printable ASCII but '='), volumeMounts (known
 * volume, mountPath required and unique, subPath relative without '..'),
 * resources (names, quantities, requests <= limits, extended and
 * hugepages resources need equal limits), probes (one handler, handler
 * fields, non-negative numbers, successThreshold 1 for liveness and
 * startup), lifecycle hooks, init-container rules, then restartPolicy,
 * dnsPolicy, securityContext, affinity, topologySpreadConstraints and
 * tolerations (admit_pod_sec.c, admit_pod_sched.c).  Field paths and texts are
 * the API server's; the order of causes follows its walk.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/admit_int.h"
#include "common/json.h"
#include "common/quantity.h"

#define FLD 320

static const char label_msg[] =
	"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
static const char mode_msg[] = "must be a number between 0 and 0777 (octal), both inclusive";

/* The volume sources in the order validateVolumeSource counts them. */
static const char *const vol_sources[] = {
	"emptyDir", "hostPath", "gitRepo", "gcePersistentDisk",
	"awsElasticBlockStore", "secret", "nfs", "iscsi", "glusterfs",
	"persistentVolumeClaim", "rbd", "quobyte", "flexVolume", "cinder",
	"cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap",
	"vsphereVolume", "photonPersistentDisk", "portworxVolume", "azureDisk",
	"storageos", "projected", "scaleIO", "csi", "ephemeral", "image", NULL,
};

static const char *const host_path_types[] = {
	"", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate",
	"File", "FileOrCreate", "Socket", NULL,
};

/* validateLocalDescendingPath (+ NonReserved when reserved). */
void admit_local_path(struct err *e, const char *field, const char *p,
		       bool reserved)
{
	char copy[1024];
	bool back = false;

	if (p[0] == '/')
		admit_invalid(e, field, p, "must be a relative path");
	snprintf(copy, sizeof(copy), "%s", p);
	for (char *save = NULL, *t = strtok_r(copy, "/", &save); t;
	     t = strtok_r(NULL, "/", &save))
		back |= !strcmp(t, "..");
	if (back)
		admit_invalid(e, field, p, "must not contain '..'");
	if (reserved && !strncmp(p, "..", 2) && strncmp(p, "../", 3))
		admit_invalid(e, field, p, "must not start with '..'");
}

static void file_mode(struct err *e, const cJSON *o, const char *key,
		      const char *base)
{
	int64_t m;
	char f[FLD];

	if (json_get_int(o, key, &m) == 0 && (m < 0 || m > 0777)) {
		admit_field(f, sizeof(f), "%s.%s", base, key);
		admit_invalid_int(e, f, (long long)m, mode_msg);
	}
}

/* configMap / secret: the name, defaultMode, items' key, path, mode. */
static void key_projection(const cJSON *src, const char *name_key,
			   const char *base, struct err *e)
{
	const cJSON *it;
	char f[FLD], ip[FLD];
	int i = 0;

	if (!json_get_str(src, name_key) || !*json_get_str(src, name_key)) {
		admit_field(f, sizeof(f), "%s.%s", base, name_key);
		admit_required(e, f, NULL);
	}
	file_mode(e, src, "defaultMode", base);
	cJSON_ArrayForEach(it, json_get(src, "items")) {
		const char *k = json_get_str(it, "key"), *p = json_get_str(it, "path");

		admit_field(ip, sizeof(ip), "%s.items[%d]", base, i++);
		admit_field(f, sizeof(f), "%s.key", ip);
		if (!k || !*k)
			admit_required(e, f, NULL);
		admit_field(f, sizeof(f), "%s.path", ip);
		if (!p || !*p)
			admit_required(e, f, NULL);
		admit_local_path(e, f, p ? p : "", true);
		file_mode(e, it, "mode", ip);
	}
}

static void host_path(const cJSON *hp, const char *base, struct err *e)
{
	const char *p = json_get_str(hp, "path"), *t = json_get_str(hp, "type");
	char f[FLD];

	admit_field(f, sizeof(f), "%s.path", base);
	if (!p || !*p)
		admit_required(e, f, NULL);
	else {
		char copy[1024];
		bool back = false;

		snprintf(copy, sizeof(copy), "%s", p);
		for (char *s = NULL, *tk = strtok_r(copy, "/", &s); tk; tk = strtok_r(NULL, "/", &s))
			back |= !strcmp(tk, "..");
		if (back)
			admit_invalid(e, f, p, "must not contain '..'");
	}
	admit_field(f, sizeof(f), "%s.type", base);
	if (t && !admit_one_of(t, host_path_types))
		admit_not_supported(e, f, t, host_path_types);
}

static void source_fields(const cJSON *vol, const char *src, const char *vp,
			  struct err *e)
{
	const cJSON *s = json_get(vol, src);
	char f[FLD];

	admit_field(f, sizeof(f), "%s.%s", vp, src);
	if (!strcmp(src, "hostPath"))
		host_path(s, f, e);
	else if (!strcmp(src, "configMap"))
		key_projection(s, "name", f, e);
	else if (!strcmp(src, "secret"))
		key_projection(s, "secretName", f, e);
	else if (!strcmp(src, "persistentVolumeClaim")) {
		const char *c = json_get_str(s, "claimName");

		admit_field(f, sizeof(f), "%s.persistentVolumeClaim.claimName", vp);
		if (!c || !*c)
			admit_required(e, f, NULL);
	} else if (!strcmp(src, "emptyDir")) {
		const char *sl = json_get_str(s, "sizeLimit");
		struct quantity q;
		struct err qe;

		admit_field(f, sizeof(f), "%s.emptyDir.sizeLimit", vp);
		if (sl && quantity_parse(sl, &q, &qe) < 0)
			admit_invalid(e, f, sl, qe.msg);
		else if (sl && q.nano < 0)
			admit_forbidden(e, f, "SizeLimit field must be a valid resource quantity");
	}
}

static void volume(const cJSON *vol, const char *vp, struct err *e)
{
	const char *name = json_get_str(vol, "name");
	const char *first = NULL;
	char f[FLD];

	for (size_t i = 0; vol_sources[i]; i++) {
		if (!json_get(vol, vol_sources[i]) || cJSON_IsNull(json_get(vol, vol_sources[i])))
			continue;
		if (first) {
			admit_field(f, sizeof(f), "%s.%s", vp, vol_sources[i]);
			admit_forbidden(e, f, "may not specify more than 1 volume type");
			continue;
		}
		first = vol_sources[i];
		source_fields(vol, first, vp, e);
	}
	if (!first)
		admit_required(e, vp, "must specify a volume type");
	admit_field(f, sizeof(f), "%s.name", vp);
	if (!name || !*name)
		admit_required(e, f, NULL);
	else if (strlen(name) > 63)
		admit_invalid(e, f, name, "must be no more than 63 characters");
	else if (!admit_is_label(name))
		admit_invalid(e, f, name, label_msg);
}

void admit_pod_volumes(const cJSON *spec, const char *base, struct err *e)
{
	const cJSON *vs = json_get(spec, "volumes"), *v;
	char vp[FLD], f[FLD];
	int i = 0;

	cJSON_ArrayForEach(v, vs) {
		const char *name = json_get_str(v, "name");

		admit_field(vp, sizeof(vp), "%s.volumes[%d]", base, i++);
		volume(v, vp, e);
		for (const cJSON *d = vs->child; name && *name && d != v; d = d->next) {
			const char *dn = json_get_str(d, "name");

			if (dn && !strcmp(dn, name)) {
				admit_field(f, sizeof(f), "%s.name", vp);
				admit_duplicate(e, f, name);
				break;
			}
		}
	}
}


void admit_podspec(const cJSON *spec, const char *base, struct err *e)
{
	static const char *const restart[] = { "Always", "OnFailure", "Never", NULL };
	static const char *const dns[] = { "ClusterFirstWithHostNet", "ClusterFirst",
					   "Default", "None", NULL };
	const char *rp = json_get_str(spec, "restartPolicy");
	const char *dp = json_get_str(spec, "dnsPolicy");
	char f[FLD];

	if (!cJSON_IsObject(spec))
		return;
	admit_containers(spec, "containers", base, e);
	admit_containers(spec, "initContainers", base, e);
	admit_field(f, sizeof(f), "%s.restartPolicy", base);
	if (rp && !*rp)
		admit_required(e, f, NULL);
	else if (rp && !admit_one_of(rp, restart))
		admit_not_supported(e, f, rp, restart);
	admit_field(f, sizeof(f), "%s.dnsPolicy", base);
	if (dp && !*dp)
		admit_required(e, f, NULL);
	else if (dp && !admit_one_of(dp, dns))
		admit_not_supported(e, f, dp, dns);
	admit_pod_security(spec, base, e);
	admit_pod_affinity(spec, base, e);
	admit_pod_spread(spec, base, e);
	admit_field(f, sizeof(f), "%s.tolerations", base);
	admit_tolerations(json_get(spec, "tolerations"), f, e);
}
