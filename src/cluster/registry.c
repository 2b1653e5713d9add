/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry: the rows.  Names, scopes and short names follow what a v1.33
 * apiserver serves (checked against the release OpenAPI).  Only the
 * subresources this server implements are listed (status, scale):
 * discovery must never advertise what would answer 404/405.  Groups are
 * listed in the order `kubectl api-resources` shows a real cluster's.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cluster/registry.h"

#define NS REG_NAMESPACED
#define ST REG_SUB_STATUS
#define SC REG_SUB_SCALE
#define ALL REG_CAT_ALL
#define GEN REG_GENERATION
#define PREF REG_PREFERRED
#define RW REG_VERBS_ALL
#define CR REG_CREATE

const char *const reg_verb_names[] = {
	"create", "delete", "deletecollection", "get", "list", "patch",
	"update", "watch", NULL
};
const unsigned reg_verb_bits[] = {
	REG_CREATE, REG_DELETE, REG_DELETECOLLECTION, REG_GET, REG_LIST,
	REG_PATCH, REG_UPDATE, REG_WATCH, 0
};

static const struct reg_kind kinds[] = {
	/* core v1 */
	{ "", "v1", "ComponentStatus", "componentstatuses", "componentstatus", "cs", PREF, REG_VERBS_RO, NULL },
	{ "", "v1", "ConfigMap", "configmaps", "configmap", "cm", NS | PREF, RW, NULL },
	{ "", "v1", "Endpoints", "endpoints", "endpoints", "ep", NS | PREF, RW, NULL },
	{ "", "v1", "Event", "events", "event", "ev", NS | PREF, RW, NULL },
	{ "", "v1", "LimitRange", "limitranges", "limitrange", "limits", NS | PREF, RW, NULL },
	{ "", "v1", "Namespace", "namespaces", "namespace", "ns", ST | PREF, RW & ~REG_DELETECOLLECTION, NULL },
	{ "", "v1", "Node", "nodes", "node", "no", ST | PREF, RW, NULL },
	{ "", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim", "pvc", NS | ST | PREF, RW, NULL },
	{ "", "v1", "PersistentVolume", "persistentvolumes", "persistentvolume", "pv", ST | PREF, RW, NULL },
	{ "", "v1", "Pod", "pods", "pod", "po", NS | ST | ALL | PREF, RW, NULL },
	{ "", "v1", "PodTemplate", "podtemplates", "podtemplate", NULL, NS | PREF, RW, NULL },
	{ "", "v1", "ReplicationController", "replicationcontrollers", "replicationcontroller", "rc", NS | ST | SC | ALL | GEN | PREF, RW, NULL },
	{ "", "v1", "ResourceQuota", "resourcequotas", "resourcequota", "quota", NS | ST | PREF, RW, NULL },
	{ "", "v1", "Secret", "secrets", "secret", NULL, NS | PREF, RW, NULL },
	{ "", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", "sa", NS | PREF, RW, NULL },
	{ "", "v1", "Service", "services", "service", "svc", NS | ST | ALL | PREF, RW & ~REG_DELETECOLLECTION, NULL },
	/* apiregistration is not served (no aggregation) */
	{ "apps", "v1", "ControllerRevision", "controllerrevisions", "controllerrevision", NULL, NS | PREF, RW, NULL },
	{ "apps", "v1", "DaemonSet", "daemonsets", "daemonset", "ds", NS | ST | ALL | GEN | PREF, RW, NULL },
	{ "apps", "v1", "Deployment", "deployments", "deployment", "deploy", NS | ST | SC | ALL | GEN | PREF, RW, NULL },
	{ "apps", "v1", "ReplicaSet", "replicasets", "replicaset", "rs", NS | ST | SC | ALL | GEN | PREF, RW, NULL },
	{ "apps", "v1", "StatefulSet", "statefulsets", "statefulset", "sts", NS | ST | SC | ALL | GEN | PREF, RW, NULL },
	{ "events.k8s.io", "v1", "Event", "events", "event", "ev", NS | PREF, RW, "" },
	{ "authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews", "selfsubjectreview", NULL, REG_VIRTUAL | PREF, CR, NULL },
	{ "authorization.k8s.io", "v1", "LocalSubjectAccessReview", "localsubjectaccessreviews", "localsubjectaccessreview", NULL, NS | REG_VIRTUAL | PREF, CR, NULL },
	{ "authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", "selfsubjectaccessreview", NULL, REG_VIRTUAL | PREF, CR, NULL },
	{ "authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", "selfsubjectrulesreview", NULL, REG_VIRTUAL | PREF, CR, NULL },
	{ "authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews", "subjectaccessreview", NULL, REG_VIRTUAL | PREF, CR, NULL },
	{ "autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler", "hpa", NS | ST | ALL | GEN | PREF, RW, NULL },
	{ "autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler", "hpa", NS | ST | ALL | GEN, RW, NULL },
	{ "batch", "v1", "CronJob", "cronjobs", "cronjob", "cj", NS | ST | ALL | GEN | PREF, RW, NULL },
	{ "batch", "v1", "Job", "jobs", "job", NULL, NS | ST | ALL | GEN | PREF, RW, NULL },
	{ "certificates.k8s.io", "v1", "CertificateSigningRequest", "certificatesigningrequests", "certificatesigningrequest", "csr", ST | PREF, RW, NULL },
	{ "networking.k8s.io", "v1", "IngressClass", "ingressclasses", "ingressclass", NULL, PREF, RW, NULL },
	{ "networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", "ing", NS | ST | GEN | PREF, RW, NULL },
	{ "networking.k8s.io", "v1", "IPAddress", "ipaddresses", "ipaddress", "ip", PREF, RW, NULL },
	{ "networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", "networkpolicy", "netpol", NS | GEN | PREF, RW, NULL },
	{ "networking.k8s.io", "v1", "ServiceCIDR", "servicecidrs", "servicecidr", NULL, ST | PREF, RW, NULL },
	{ "policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", "poddisruptionbudget", "pdb", NS | ST | GEN | PREF, RW, NULL },
	{ "rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", NULL, PREF, RW, NULL },
	{ "rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", "clusterrole", NULL, PREF, RW, NULL },
	{ "rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", "rolebinding", NULL, NS | PREF, RW, NULL },
	{ "rbac.authorization.k8s.io", "v1", "Role", "roles", "role", NULL, NS | PREF, RW, NULL },
	{ "storage.k8s.io", "v1", "CSIDriver", "csidrivers", "csidriver", NULL, PREF, RW, NULL },
	{ "storage.k8s.io", "v1", "CSINode", "csinodes", "csinode", NULL, PREF, RW, NULL },
	{ "storage.k8s.io", "v1", "CSIStorageCapacity", "csistoragecapacities", "csistoragecapacity", NULL, NS | PREF, RW, NULL },
	{ "storage.k8s.io", "v1", "StorageClass", "storageclasses", "storageclass", "sc", PREF, RW, NULL },
	{ "storage.k8s.io", "v1", "VolumeAttachment", "volumeattachments", "volumeattachment", NULL, ST | PREF, RW, NULL },
	{ "admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", "mutatingwebhookconfiguration", NULL, GEN | PREF, RW, NULL },
	{ "admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy", "validatingadmissionpolicies", "validatingadmissionpolicy", NULL, ST | GEN | PREF, RW, NULL },
	{ "admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings", "validatingadmissionpolicybinding", NULL, GEN | PREF, RW, NULL },
	{ "admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", "validatingwebhookconfiguration", NULL, GEN | PREF, RW, NULL },
	{ "apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", "customresourcedefinition", "crd,crds", ST | GEN | PREF, RW, NULL },
	{ "scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", "priorityclass", "pc", PREF, RW, NULL },
	{ "coordination.k8s.io", "v1", "Lease", "leases", "lease", NULL, NS | PREF, RW, NULL },
	{ "node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", "runtimeclass", NULL, PREF, RW, NULL },
	{ "discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", "endpointslice", NULL, NS | PREF, RW, NULL },
	{ "flowcontrol.apiserver.k8s.io", "v1", "FlowSchema", "flowschemas", "flowschema", NULL, ST | GEN | PREF, RW, NULL },
	{ "flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration", "prioritylevelconfigurations", "prioritylevelconfiguration", NULL, ST | GEN | PREF, RW, NULL },
	/* metrics-server's API, computed by api_top.c, never stored */
	{ "metrics.k8s.io", "v1beta1", "NodeMetrics", "nodes", "node", NULL, PREF, REG_VERBS_RO, NULL },
	{ "metrics.k8s.io", "v1beta1", "PodMetrics", "pods", "pod", NULL, NS | PREF, REG_VERBS_RO, NULL },
};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static const char *const groups[] = {
	"", "apps", "events.k8s.io", "authentication.k8s.io",
	"authorization.k8s.io", "autoscaling", "batch", "certificates.k8s.io",
	"networking.k8s.io", "policy", "rbac.authorization.k8s.io",
	"storage.k8s.io", "admissionregistration.k8s.io",
	"apiextensions.k8s.io", "scheduling.k8s.io", "coordination.k8s.io",
	"node.k8s.io", "discovery.k8s.io", "flowcontrol.apiserver.k8s.io",
	"metrics.k8s.io",
};

const struct reg_kind *reg_kinds(size_t *n)
{
	*n = NKINDS;
	return kinds;
}

const char *const *reg_groups(size_t *n)
{
	*n = sizeof(groups) / sizeof(groups[0]);
	return groups;
}

const struct reg_kind *reg_find(const char *group, const char *version,
				const char *plural)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (!strcmp(kinds[i].group, group) &&
		    !strcmp(kinds[i].version, version) &&
		    !strcmp(kinds[i].plural, plural))
			return &kinds[i];
	return NULL;
}

const struct reg_kind *reg_find_kind(const char *group, const char *kind)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (!strcmp(kinds[i].group, group) &&
		    !strcmp(kinds[i].kind, kind) &&
		    (kinds[i].flags & REG_PREFERRED))
			return &kinds[i];
	return NULL;
}

const char *reg_api_version(const struct reg_kind *k, char *buf, size_t n)
{
	if (!k->group[0])
		snprintf(buf, n, "%s", k->version);
	else
		snprintf(buf, n, "%s/%s", k->group, k->version);
	return buf;
}

const char *reg_store_group(const struct reg_kind *k)
{
	return k->store_group ? k->store_group : k->group;
}

bool reg_namespaced(const struct reg_kind *k)
{
	return (k->flags & REG_NAMESPACED) != 0;
}

/*
 * Versions of group, preferred first.  Returns the count (at most max);
 * out[i] point into the static table.
 */
size_t reg_group_versions(const char *group, const char **out, size_t max)
{
	size_t n = 0;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < NKINDS && n < max; i++) {
			const struct reg_kind *k = &kinds[i];
			bool pref = (k->flags & REG_PREFERRED) != 0;
			size_t j;

			if (strcmp(k->group, group) || pref != (pass == 0))
				continue;
			for (j = 0; j < n && strcmp(out[j], k->version); j++)
				;
			if (j == n)
				out[n++] = k->version;
		}
	return n;
}
