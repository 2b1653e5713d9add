/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pb_schema_pod.c: protobuf schema tables (core/v1, part 2).
 *
 * Field numbers and names follow Kubernetes' generated.proto.  Flags:
 * R repeated, Z keep zero values (a Go pointer, or a field whose json
 * tag lacks omitempty), E keep an empty message (a set Go pointer,
 * e.g. emptyDir: {}),
 * I inline (a Go struct embedded with json:",inline").
 */
#include "config.h"

#include "cluster/pb_schema.h"

#define F(n, name, type, flags, sub) { n, name, type, flags, sub }

static const struct pb_field f_core_LifecycleHandler[] = {
	F(1, "exec", PB_MSG, PB_E, &pb_m_core_ExecAction),
	F(2, "httpGet", PB_MSG, PB_E, &pb_m_core_HTTPGetAction),
	F(3, "tcpSocket", PB_MSG, PB_E, &pb_m_core_TCPSocketAction),
	F(4, "sleep", PB_MSG, PB_E, &pb_m_core_SleepAction),
};
const struct pb_msg pb_m_core_LifecycleHandler = { "LifecycleHandler", f_core_LifecycleHandler, 4 };

static const struct pb_field f_core_Lifecycle[] = {
	F(1, "postStart", PB_MSG, PB_E, &pb_m_core_LifecycleHandler),
	F(2, "preStop", PB_MSG, PB_E, &pb_m_core_LifecycleHandler),
	F(3, "stopSignal", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_Lifecycle = { "Lifecycle", f_core_Lifecycle, 3 };

static const struct pb_field f_core_Capabilities[] = {
	F(1, "add", PB_STRING, PB_R, NULL),
	F(2, "drop", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_core_Capabilities = { "Capabilities", f_core_Capabilities, 2 };

static const struct pb_field f_core_SELinuxOptions[] = {
	F(1, "user", PB_STRING, 0, NULL),
	F(2, "role", PB_STRING, 0, NULL),
	F(3, "type", PB_STRING, 0, NULL),
	F(4, "level", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_SELinuxOptions = { "SELinuxOptions", f_core_SELinuxOptions, 4 };

static const struct pb_field f_core_WindowsSecurityContextOptions[] = {
	F(1, "gmsaCredentialSpecName", PB_STRING, PB_Z, NULL),
	F(2, "gmsaCredentialSpec", PB_STRING, PB_Z, NULL),
	F(3, "runAsUserName", PB_STRING, PB_Z, NULL),
	F(4, "hostProcess", PB_BOOL, PB_Z, NULL),
};
const struct pb_msg pb_m_core_WindowsSecurityContextOptions = { "WindowsSecurityContextOptions", f_core_WindowsSecurityContextOptions, 4 };

static const struct pb_field f_core_SeccompProfile[] = {
	F(1, "type", PB_STRING, PB_Z, NULL),
	F(2, "localhostProfile", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_SeccompProfile = { "SeccompProfile", f_core_SeccompProfile, 2 };

static const struct pb_field f_core_AppArmorProfile[] = {
	F(1, "type", PB_STRING, PB_Z, NULL),
	F(2, "localhostProfile", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_AppArmorProfile = { "AppArmorProfile", f_core_AppArmorProfile, 2 };

static const struct pb_field f_core_SecurityContext[] = {
	F(1, "capabilities", PB_MSG, PB_E, &pb_m_core_Capabilities),
	F(2, "privileged", PB_BOOL, PB_Z, NULL),
	F(3, "seLinuxOptions", PB_MSG, PB_E, &pb_m_core_SELinuxOptions),
	F(10, "windowsOptions", PB_MSG, PB_E, &pb_m_core_WindowsSecurityContextOptions),
	F(4, "runAsUser", PB_INT64, PB_Z, NULL),
	F(8, "runAsGroup", PB_INT64, PB_Z, NULL),
	F(5, "runAsNonRoot", PB_BOOL, PB_Z, NULL),
	F(6, "readOnlyRootFilesystem", PB_BOOL, PB_Z, NULL),
	F(7, "allowPrivilegeEscalation", PB_BOOL, PB_Z, NULL),
	F(9, "procMount", PB_STRING, PB_Z, NULL),
	F(11, "seccompProfile", PB_MSG, PB_E, &pb_m_core_SeccompProfile),
	F(12, "appArmorProfile", PB_MSG, PB_E, &pb_m_core_AppArmorProfile),
};
const struct pb_msg pb_m_core_SecurityContext = { "SecurityContext", f_core_SecurityContext, 12 };

static const struct pb_field f_core_Container[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "image", PB_STRING, 0, NULL),
	F(3, "command", PB_STRING, PB_R, NULL),
	F(4, "args", PB_STRING, PB_R, NULL),
	F(5, "workingDir", PB_STRING, 0, NULL),
	F(6, "ports", PB_MSG, PB_R, &pb_m_core_ContainerPort),
	F(19, "envFrom", PB_MSG, PB_R, &pb_m_core_EnvFromSource),
	F(7, "env", PB_MSG, PB_R, &pb_m_core_EnvVar),
	F(8, "resources", PB_MSG, 0, &pb_m_core_ResourceRequirements),
	F(23, "resizePolicy", PB_MSG, PB_R, &pb_m_core_ContainerResizePolicy),
	F(24, "restartPolicy", PB_STRING, PB_Z, NULL),
	F(25, "restartPolicyRules", PB_MSG, PB_R, &pb_m_core_ContainerRestartRule),
	F(9, "volumeMounts", PB_MSG, PB_R, &pb_m_core_VolumeMount),
	F(21, "volumeDevices", PB_MSG, PB_R, &pb_m_core_VolumeDevice),
	F(10, "livenessProbe", PB_MSG, PB_E, &pb_m_core_Probe),
	F(11, "readinessProbe", PB_MSG, PB_E, &pb_m_core_Probe),
	F(22, "startupProbe", PB_MSG, PB_E, &pb_m_core_Probe),
	F(12, "lifecycle", PB_MSG, PB_E, &pb_m_core_Lifecycle),
	F(13, "terminationMessagePath", PB_STRING, 0, NULL),
	F(20, "terminationMessagePolicy", PB_STRING, 0, NULL),
	F(14, "imagePullPolicy", PB_STRING, 0, NULL),
	F(15, "securityContext", PB_MSG, PB_E, &pb_m_core_SecurityContext),
	F(16, "stdin", PB_BOOL, 0, NULL),
	F(17, "stdinOnce", PB_BOOL, 0, NULL),
	F(18, "tty", PB_BOOL, 0, NULL),
};
const struct pb_msg pb_m_core_Container = { "Container", f_core_Container, 25 };

static const struct pb_field f_core_EphemeralContainerCommon[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "image", PB_STRING, 0, NULL),
	F(3, "command", PB_STRING, PB_R, NULL),
	F(4, "args", PB_STRING, PB_R, NULL),
	F(5, "workingDir", PB_STRING, 0, NULL),
	F(6, "ports", PB_MSG, PB_R, &pb_m_core_ContainerPort),
	F(19, "envFrom", PB_MSG, PB_R, &pb_m_core_EnvFromSource),
	F(7, "env", PB_MSG, PB_R, &pb_m_core_EnvVar),
	F(8, "resources", PB_MSG, 0, &pb_m_core_ResourceRequirements),
	F(23, "resizePolicy", PB_MSG, PB_R, &pb_m_core_ContainerResizePolicy),
	F(24, "restartPolicy", PB_STRING, PB_Z, NULL),
	F(25, "restartPolicyRules", PB_MSG, PB_R, &pb_m_core_ContainerRestartRule),
	F(9, "volumeMounts", PB_MSG, PB_R, &pb_m_core_VolumeMount),
	F(21, "volumeDevices", PB_MSG, PB_R, &pb_m_core_VolumeDevice),
	F(10, "livenessProbe", PB_MSG, PB_E, &pb_m_core_Probe),
	F(11, "readinessProbe", PB_MSG, PB_E, &pb_m_core_Probe),
	F(22, "startupProbe", PB_MSG, PB_E, &pb_m_core_Probe),
	F(12, "lifecycle", PB_MSG, PB_E, &pb_m_core_Lifecycle),
	F(13, "terminationMessagePath", PB_STRING, 0, NULL),
	F(20, "terminationMessagePolicy", PB_STRING, 0, NULL),
	F(14, "imagePullPolicy", PB_STRING, 0, NULL),
	F(15, "securityContext", PB_MSG, PB_E, &pb_m_core_SecurityContext),
	F(16, "stdin", PB_BOOL, 0, NULL),
	F(17, "stdinOnce", PB_BOOL, 0, NULL),
	F(18, "tty", PB_BOOL, 0, NULL),
};
const struct pb_msg pb_m_core_EphemeralContainerCommon = { "EphemeralContainerCommon", f_core_EphemeralContainerCommon, 25 };

static const struct pb_field f_core_EphemeralContainer[] = {
	F(1, "ephemeralContainerCommon", PB_MSG, PB_I, &pb_m_core_EphemeralContainerCommon),
	F(2, "targetContainerName", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_EphemeralContainer = { "EphemeralContainer", f_core_EphemeralContainer, 2 };

static const struct pb_field f_core_Sysctl[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "value", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_Sysctl = { "Sysctl", f_core_Sysctl, 2 };

static const struct pb_field f_core_PodSecurityContext[] = {
	F(1, "seLinuxOptions", PB_MSG, PB_E, &pb_m_core_SELinuxOptions),
	F(8, "windowsOptions", PB_MSG, PB_E, &pb_m_core_WindowsSecurityContextOptions),
	F(2, "runAsUser", PB_INT64, PB_Z, NULL),
	F(6, "runAsGroup", PB_INT64, PB_Z, NULL),
	F(3, "runAsNonRoot", PB_BOOL, PB_Z, NULL),
	F(4, "supplementalGroups", PB_INT64, PB_R, NULL),
	F(12, "supplementalGroupsPolicy", PB_STRING, PB_Z, NULL),
	F(5, "fsGroup", PB_INT64, PB_Z, NULL),
	F(7, "sysctls", PB_MSG, PB_R, &pb_m_core_Sysctl),
	F(9, "fsGroupChangePolicy", PB_STRING, PB_Z, NULL),
	F(10, "seccompProfile", PB_MSG, PB_E, &pb_m_core_SeccompProfile),
	F(11, "appArmorProfile", PB_MSG, PB_E, &pb_m_core_AppArmorProfile),
	F(13, "seLinuxChangePolicy", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_PodSecurityContext = { "PodSecurityContext", f_core_PodSecurityContext, 13 };

static const struct pb_field f_core_NodeSelectorRequirement[] = {
	F(1, "key", PB_STRING, PB_Z, NULL),
	F(2, "operator", PB_STRING, PB_Z, NULL),
	F(3, "values", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_core_NodeSelectorRequirement = { "NodeSelectorRequirement", f_core_NodeSelectorRequirement, 3 };

static const struct pb_field f_core_NodeSelectorTerm[] = {
	F(1, "matchExpressions", PB_MSG, PB_R, &pb_m_core_NodeSelectorRequirement),
	F(2, "matchFields", PB_MSG, PB_R, &pb_m_core_NodeSelectorRequirement),
};
const struct pb_msg pb_m_core_NodeSelectorTerm = { "NodeSelectorTerm", f_core_NodeSelectorTerm, 2 };

static const struct pb_field f_core_NodeSelector[] = {
	F(1, "nodeSelectorTerms", PB_MSG, PB_R, &pb_m_core_NodeSelectorTerm),
};
const struct pb_msg pb_m_core_NodeSelector = { "NodeSelector", f_core_NodeSelector, 1 };

static const struct pb_field f_core_PreferredSchedulingTerm[] = {
	F(1, "weight", PB_INT32, PB_Z, NULL),
	F(2, "preference", PB_MSG, 0, &pb_m_core_NodeSelectorTerm),
};
const struct pb_msg pb_m_core_PreferredSchedulingTerm = { "PreferredSchedulingTerm", f_core_PreferredSchedulingTerm, 2 };

static const struct pb_field f_core_NodeAffinity[] = {
	F(1, "requiredDuringSchedulingIgnoredDuringExecution", PB_MSG, PB_E, &pb_m_core_NodeSelector),
	F(2, "preferredDuringSchedulingIgnoredDuringExecution", PB_MSG, PB_R, &pb_m_core_PreferredSchedulingTerm),
};
const struct pb_msg pb_m_core_NodeAffinity = { "NodeAffinity", f_core_NodeAffinity, 2 };

static const struct pb_field f_core_PodAffinityTerm[] = {
	F(1, "labelSelector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(2, "namespaces", PB_STRING, PB_R, NULL),
	F(3, "topologyKey", PB_STRING, PB_Z, NULL),
	F(4, "namespaceSelector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(5, "matchLabelKeys", PB_STRING, PB_R, NULL),
	F(6, "mismatchLabelKeys", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_core_PodAffinityTerm = { "PodAffinityTerm", f_core_PodAffinityTerm, 6 };

static const struct pb_field f_core_WeightedPodAffinityTerm[] = {
	F(1, "weight", PB_INT32, PB_Z, NULL),
	F(2, "podAffinityTerm", PB_MSG, 0, &pb_m_core_PodAffinityTerm),
};
const struct pb_msg pb_m_core_WeightedPodAffinityTerm = { "WeightedPodAffinityTerm", f_core_WeightedPodAffinityTerm, 2 };

static const struct pb_field f_core_PodAffinity[] = {
	F(1, "requiredDuringSchedulingIgnoredDuringExecution", PB_MSG, PB_R, &pb_m_core_PodAffinityTerm),
	F(2, "preferredDuringSchedulingIgnoredDuringExecution", PB_MSG, PB_R, &pb_m_core_WeightedPodAffinityTerm),
};
const struct pb_msg pb_m_core_PodAffinity = { "PodAffinity", f_core_PodAffinity, 2 };

static const struct pb_field f_core_PodAntiAffinity[] = {
	F(1, "requiredDuringSchedulingIgnoredDuringExecution", PB_MSG, PB_R, &pb_m_core_PodAffinityTerm),
	F(2, "preferredDuringSchedulingIgnoredDuringExecution", PB_MSG, PB_R, &pb_m_core_WeightedPodAffinityTerm),
};
const struct pb_msg pb_m_core_PodAntiAffinity = { "PodAntiAffinity", f_core_PodAntiAffinity, 2 };

static const struct pb_field f_core_Affinity[] = {
	F(1, "nodeAffinity", PB_MSG, PB_E, &pb_m_core_NodeAffinity),
	F(2, "podAffinity", PB_MSG, PB_E, &pb_m_core_PodAffinity),
	F(3, "podAntiAffinity", PB_MSG, PB_E, &pb_m_core_PodAntiAffinity),
};
const struct pb_msg pb_m_core_Affinity = { "Affinity", f_core_Affinity, 3 };

static const struct pb_field f_core_Toleration[] = {
	F(1, "key", PB_STRING, 0, NULL),
	F(2, "operator", PB_STRING, 0, NULL),
	F(3, "value", PB_STRING, 0, NULL),
	F(4, "effect", PB_STRING, 0, NULL),
	F(5, "tolerationSeconds", PB_INT64, PB_Z, NULL),
};
const struct pb_msg pb_m_core_Toleration = { "Toleration", f_core_Toleration, 5 };

static const struct pb_field f_core_HostAlias[] = {
	F(1, "ip", PB_STRING, PB_Z, NULL),
	F(2, "hostnames", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_core_HostAlias = { "HostAlias", f_core_HostAlias, 2 };

static const struct pb_field f_core_PodDNSConfigOption[] = {
	F(1, "name", PB_STRING, 0, NULL),
	F(2, "value", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_PodDNSConfigOption = { "PodDNSConfigOption", f_core_PodDNSConfigOption, 2 };

static const struct pb_field f_core_PodDNSConfig[] = {
	F(1, "nameservers", PB_STRING, PB_R, NULL),
	F(2, "searches", PB_STRING, PB_R, NULL),
	F(3, "options", PB_MSG, PB_R, &pb_m_core_PodDNSConfigOption),
};
const struct pb_msg pb_m_core_PodDNSConfig = { "PodDNSConfig", f_core_PodDNSConfig, 3 };

static const struct pb_field f_core_PodReadinessGate[] = {
	F(1, "conditionType", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_PodReadinessGate = { "PodReadinessGate", f_core_PodReadinessGate, 1 };

static const struct pb_field f_core_TopologySpreadConstraint[] = {
	F(1, "maxSkew", PB_INT32, PB_Z, NULL),
	F(2, "topologyKey", PB_STRING, PB_Z, NULL),
	F(3, "whenUnsatisfiable", PB_STRING, PB_Z, NULL),
	F(4, "labelSelector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(5, "minDomains", PB_INT32, PB_Z, NULL),
	F(6, "nodeAffinityPolicy", PB_STRING, PB_Z, NULL),
	F(7, "nodeTaintsPolicy", PB_STRING, PB_Z, NULL),
	F(8, "matchLabelKeys", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_core_TopologySpreadConstraint = { "TopologySpreadConstraint", f_core_TopologySpreadConstraint, 8 };

static const struct pb_field f_core_PodOS[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_PodOS = { "PodOS", f_core_PodOS, 1 };

static const struct pb_field f_core_PodSchedulingGate[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_PodSchedulingGate = { "PodSchedulingGate", f_core_PodSchedulingGate, 1 };

static const struct pb_field f_core_PodResourceClaim[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(3, "resourceClaimName", PB_STRING, PB_Z, NULL),
	F(4, "resourceClaimTemplateName", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_PodResourceClaim = { "PodResourceClaim", f_core_PodResourceClaim, 3 };

static const struct pb_field f_core_PodSchedulingGroup[] = {
	F(1, "podGroupName", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_PodSchedulingGroup = { "PodSchedulingGroup", f_core_PodSchedulingGroup, 1 };

static const struct pb_field f_core_EvictionResponder[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "priority", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_core_EvictionResponder = { "EvictionResponder", f_core_EvictionResponder, 2 };

static const struct pb_field f_core_PodSpec[] = {
	F(1, "volumes", PB_MSG, PB_R, &pb_m_core_Volume),
	F(20, "initContainers", PB_MSG, PB_R, &pb_m_core_Container),
	F(2, "containers", PB_MSG, PB_R, &pb_m_core_Container),
	F(34, "ephemeralContainers", PB_MSG, PB_R, &pb_m_core_EphemeralContainer),
	F(3, "restartPolicy", PB_STRING, 0, NULL),
	F(4, "terminationGracePeriodSeconds", PB_INT64, PB_Z, NULL),
	F(5, "activeDeadlineSeconds", PB_INT64, PB_Z, NULL),
	F(6, "dnsPolicy", PB_STRING, 0, NULL),
	F(7, "nodeSelector", PB_MAP_STRING, 0, NULL),
	F(8, "serviceAccountName", PB_STRING, 0, NULL),
	F(9, "serviceAccount", PB_STRING, 0, NULL),
	F(21, "automountServiceAccountToken", PB_BOOL, PB_Z, NULL),
	F(10, "nodeName", PB_STRING, 0, NULL),
	F(11, "hostNetwork", PB_BOOL, 0, NULL),
	F(12, "hostPID", PB_BOOL, 0, NULL),
	F(13, "hostIPC", PB_BOOL, 0, NULL),
	F(27, "shareProcessNamespace", PB_BOOL, PB_Z, NULL),
	F(14, "securityContext", PB_MSG, PB_E, &pb_m_core_PodSecurityContext),
	F(15, "imagePullSecrets", PB_MSG, PB_R, &pb_m_core_LocalObjectReference),
	F(16, "hostname", PB_STRING, 0, NULL),
	F(17, "subdomain", PB_STRING, 0, NULL),
	F(18, "affinity", PB_MSG, PB_E, &pb_m_core_Affinity),
	F(19, "schedulerName", PB_STRING, 0, NULL),
	F(22, "tolerations", PB_MSG, PB_R, &pb_m_core_Toleration),
	F(23, "hostAliases", PB_MSG, PB_R, &pb_m_core_HostAlias),
	F(24, "priorityClassName", PB_STRING, 0, NULL),
	F(25, "priority", PB_INT32, PB_Z, NULL),
	F(26, "dnsConfig", PB_MSG, PB_E, &pb_m_core_PodDNSConfig),
	F(28, "readinessGates", PB_MSG, PB_R, &pb_m_core_PodReadinessGate),
	F(29, "runtimeClassName", PB_STRING, PB_Z, NULL),
	F(30, "enableServiceLinks", PB_BOOL, PB_Z, NULL),
	F(31, "preemptionPolicy", PB_STRING, PB_Z, NULL),
	F(32, "overhead", PB_MAP_QUANTITY, 0, NULL),
	F(33, "topologySpreadConstraints", PB_MSG, PB_R, &pb_m_core_TopologySpreadConstraint),
	F(35, "setHostnameAsFQDN", PB_BOOL, PB_Z, NULL),
	F(36, "os", PB_MSG, PB_E, &pb_m_core_PodOS),
	F(37, "hostUsers", PB_BOOL, PB_Z, NULL),
	F(38, "schedulingGates", PB_MSG, PB_R, &pb_m_core_PodSchedulingGate),
	F(39, "resourceClaims", PB_MSG, PB_R, &pb_m_core_PodResourceClaim),
	F(40, "resources", PB_MSG, PB_E, &pb_m_core_ResourceRequirements),
	F(41, "hostnameOverride", PB_STRING, PB_Z, NULL),
	F(43, "schedulingGroup", PB_MSG, PB_E, &pb_m_core_PodSchedulingGroup),
	F(44, "evictionResponders", PB_MSG, PB_R, &pb_m_core_EvictionResponder),
};
const struct pb_msg pb_m_core_PodSpec = { "PodSpec", f_core_PodSpec, 43 };

static const struct pb_field f_core_Pod[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_core_PodSpec),
};
const struct pb_msg pb_m_core_Pod = { "Pod", f_core_Pod, 2 };

static const struct pb_field f_core_ScopedResourceSelectorRequirement[] = {
	F(1, "scopeName", PB_STRING, PB_Z, NULL),
	F(2, "operator", PB_STRING, PB_Z, NULL),
	F(3, "values", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_core_ScopedResourceSelectorRequirement = { "ScopedResourceSelectorRequirement", f_core_ScopedResourceSelectorRequirement, 3 };

static const struct pb_field f_core_ScopeSelector[] = {
	F(1, "matchExpressions", PB_MSG, PB_R, &pb_m_core_ScopedResourceSelectorRequirement),
};
const struct pb_msg pb_m_core_ScopeSelector = { "ScopeSelector", f_core_ScopeSelector, 1 };

static const struct pb_field f_core_ResourceQuotaSpec[] = {
	F(1, "hard", PB_MAP_QUANTITY, 0, NULL),
	F(2, "scopes", PB_STRING, PB_R, NULL),
	F(3, "scopeSelector", PB_MSG, PB_E, &pb_m_core_ScopeSelector),
};
const struct pb_msg pb_m_core_ResourceQuotaSpec = { "ResourceQuotaSpec", f_core_ResourceQuotaSpec, 3 };

static const struct pb_field f_core_ResourceQuota[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_core_ResourceQuotaSpec),
};
const struct pb_msg pb_m_core_ResourceQuota = { "ResourceQuota", f_core_ResourceQuota, 2 };

static const struct pb_field f_core_PodTemplateSpec[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_core_PodSpec),
};
const struct pb_msg pb_m_core_PodTemplateSpec = { "PodTemplateSpec", f_core_PodTemplateSpec, 2 };

static const struct pb_field f_core_PersistentVolumeClaimCondition[] = {
	F(1, "type", PB_STRING, PB_Z, NULL),
	F(2, "status", PB_STRING, PB_Z, NULL),
	F(3, "lastProbeTime", PB_TIME, 0, NULL),
	F(4, "lastTransitionTime", PB_TIME, 0, NULL),
	F(5, "reason", PB_STRING, 0, NULL),
	F(6, "message", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_PersistentVolumeClaimCondition = { "PersistentVolumeClaimCondition", f_core_PersistentVolumeClaimCondition, 6 };

static const struct pb_field f_core_ModifyVolumeStatus[] = {
	F(1, "targetVolumeAttributesClassName", PB_STRING, 0, NULL),
	F(2, "status", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_ModifyVolumeStatus = { "ModifyVolumeStatus", f_core_ModifyVolumeStatus, 2 };

static const struct pb_field f_core_VolumeHealthCondition[] = {
	F(1, "status", PB_STRING, PB_Z, NULL),
	F(2, "reason", PB_STRING, PB_Z, NULL),
	F(3, "message", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_VolumeHealthCondition = { "VolumeHealthCondition", f_core_VolumeHealthCondition, 3 };

static const struct pb_field f_core_VolumeHealthStatus[] = {
	F(1, "healthConditions", PB_MSG, PB_R, &pb_m_core_VolumeHealthCondition),
	F(2, "lastTransitionTime", PB_TIME, 0, NULL),
};
const struct pb_msg pb_m_core_VolumeHealthStatus = { "VolumeHealthStatus", f_core_VolumeHealthStatus, 2 };

static const struct pb_field f_core_PersistentVolumeClaimStatus[] = {
	F(1, "phase", PB_STRING, 0, NULL),
	F(2, "accessModes", PB_STRING, PB_R, NULL),
	F(3, "capacity", PB_MAP_QUANTITY, 0, NULL),
	F(4, "conditions", PB_MSG, PB_R, &pb_m_core_PersistentVolumeClaimCondition),
	F(5, "allocatedResources", PB_MAP_QUANTITY, 0, NULL),
	F(7, "allocatedResourceStatuses", PB_MAP_STRING, 0, NULL),
	F(8, "currentVolumeAttributesClassName", PB_STRING, PB_Z, NULL),
	F(9, "modifyVolumeStatus", PB_MSG, PB_E, &pb_m_core_ModifyVolumeStatus),
	F(10, "healthStatus", PB_MSG, PB_E, &pb_m_core_VolumeHealthStatus),
};
const struct pb_msg pb_m_core_PersistentVolumeClaimStatus = { "PersistentVolumeClaimStatus", f_core_PersistentVolumeClaimStatus, 9 };

static const struct pb_field f_core_PersistentVolumeClaim[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_core_PersistentVolumeClaimSpec),
	F(3, "status", PB_MSG, 0, &pb_m_core_PersistentVolumeClaimStatus),
};
const struct pb_msg pb_m_core_PersistentVolumeClaim = { "PersistentVolumeClaim", f_core_PersistentVolumeClaim, 3 };

static const struct pb_field f_core_LimitRangeItem[] = {
	F(1, "type", PB_STRING, PB_Z, NULL),
	F(2, "max", PB_MAP_QUANTITY, 0, NULL),
	F(3, "min", PB_MAP_QUANTITY, 0, NULL),
	F(4, "default", PB_MAP_QUANTITY, 0, NULL),
	F(5, "defaultRequest", PB_MAP_QUANTITY, 0, NULL),
	F(6, "maxLimitRequestRatio", PB_MAP_QUANTITY, 0, NULL),
};
const struct pb_msg pb_m_core_LimitRangeItem = { "LimitRangeItem", f_core_LimitRangeItem, 6 };

static const struct pb_field f_core_LimitRangeSpec[] = {
	F(1, "limits", PB_MSG, PB_R, &pb_m_core_LimitRangeItem),
};
const struct pb_msg pb_m_core_LimitRangeSpec = { "LimitRangeSpec", f_core_LimitRangeSpec, 1 };

static const struct pb_field f_core_LimitRange[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_core_LimitRangeSpec),
};
const struct pb_msg pb_m_core_LimitRange = { "LimitRange", f_core_LimitRange, 2 };

static const struct pb_field f_core_GlusterfsPersistentVolumeSource[] = {
	F(1, "endpoints", PB_STRING, PB_Z, NULL),
	F(2, "path", PB_STRING, PB_Z, NULL),
	F(3, "readOnly", PB_BOOL, 0, NULL),
	F(4, "endpointsNamespace", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_GlusterfsPersistentVolumeSource = { "GlusterfsPersistentVolumeSource", f_core_GlusterfsPersistentVolumeSource, 4 };

static const struct pb_field f_core_SecretReference[] = {
	F(1, "name", PB_STRING, 0, NULL),
	F(2, "namespace", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_SecretReference = { "SecretReference", f_core_SecretReference, 2 };

static const struct pb_field f_core_RBDPersistentVolumeSource[] = {
	F(1, "monitors", PB_STRING, PB_R, NULL),
	F(2, "image", PB_STRING, PB_Z, NULL),
	F(3, "fsType", PB_STRING, 0, NULL),
	F(4, "pool", PB_STRING, 0, NULL),
	F(5, "user", PB_STRING, 0, NULL),
	F(6, "keyring", PB_STRING, 0, NULL),
	F(7, "secretRef", PB_MSG, PB_E, &pb_m_core_SecretReference),
	F(8, "readOnly", PB_BOOL, 0, NULL),
};
const struct pb_msg pb_m_core_RBDPersistentVolumeSource = { "RBDPersistentVolumeSource", f_core_RBDPersistentVolumeSource, 8 };

static const struct pb_field f_core_ISCSIPersistentVolumeSource[] = {
	F(1, "targetPortal", PB_STRING, PB_Z, NULL),
	F(2, "iqn", PB_STRING, PB_Z, NULL),
	F(3, "lun", PB_INT32, PB_Z, NULL),
	F(4, "iscsiInterface", PB_STRING, 0, NULL),
	F(5, "fsType", PB_STRING, 0, NULL),
	F(6, "readOnly", PB_BOOL, 0, NULL),
	F(7, "portals", PB_STRING, PB_R, NULL),
	F(8, "chapAuthDiscovery", PB_BOOL, 0, NULL),
	F(11, "chapAuthSession", PB_BOOL, 0, NULL),
	F(10, "secretRef", PB_MSG, PB_E, &pb_m_core_SecretReference),
	F(12, "initiatorName", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_ISCSIPersistentVolumeSource = { "ISCSIPersistentVolumeSource", f_core_ISCSIPersistentVolumeSource, 11 };

static const struct pb_field f_core_CinderPersistentVolumeSource[] = {
	F(1, "volumeID", PB_STRING, PB_Z, NULL),
	F(2, "fsType", PB_STRING, 0, NULL),
	F(3, "readOnly", PB_BOOL, 0, NULL),
	F(4, "secretRef", PB_MSG, PB_E, &pb_m_core_SecretReference),
};
const struct pb_msg pb_m_core_CinderPersistentVolumeSource = { "CinderPersistentVolumeSource", f_core_CinderPersistentVolumeSource, 4 };

static const struct pb_field f_core_CephFSPersistentVolumeSource[] = {
	F(1, "monitors", PB_STRING, PB_R, NULL),
	F(2, "path", PB_STRING, 0, NULL),
	F(3, "user", PB_STRING, 0, NULL),
	F(4, "secretFile", PB_STRING, 0, NULL),
	F(5, "secretRef", PB_MSG, PB_E, &pb_m_core_SecretReference),
	F(6, "readOnly", PB_BOOL, 0, NULL),
};
const struct pb_msg pb_m_core_CephFSPersistentVolumeSource = { "CephFSPersistentVolumeSource", f_core_CephFSPersistentVolumeSource, 6 };

static const struct pb_field f_core_FlexPersistentVolumeSource[] = {
	F(1, "driver", PB_STRING, PB_Z, NULL),
	F(2, "fsType", PB_STRING, 0, NULL),
	F(3, "secretRef", PB_MSG, PB_E, &pb_m_core_SecretReference),
	F(4, "readOnly", PB_BOOL, 0, NULL),
	F(5, "options", PB_MAP_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_FlexPersistentVolumeSource = { "FlexPersistentVolumeSource", f_core_FlexPersistentVolumeSource, 5 };

static const struct pb_field f_core_AzureFilePersistentVolumeSource[] = {
	F(1, "secretName", PB_STRING, PB_Z, NULL),
	F(2, "shareName", PB_STRING, PB_Z, NULL),
	F(3, "readOnly", PB_BOOL, 0, NULL),
	F(4, "secretNamespace", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_AzureFilePersistentVolumeSource = { "AzureFilePersistentVolumeSource", f_core_AzureFilePersistentVolumeSource, 4 };

static const struct pb_field f_core_ScaleIOPersistentVolumeSource[] = {
	F(1, "gateway", PB_STRING, PB_Z, NULL),
	F(2, "system", PB_STRING, PB_Z, NULL),
	F(3, "secretRef", PB_MSG, PB_E, &pb_m_core_SecretReference),
	F(4, "sslEnabled", PB_BOOL, 0, NULL),
	F(5, "protectionDomain", PB_STRING, 0, NULL),
	F(6, "storagePool", PB_STRING, 0, NULL),
	F(7, "storageMode", PB_STRING, 0, NULL),
	F(8, "volumeName", PB_STRING, 0, NULL),
	F(9, "fsType", PB_STRING, 0, NULL),
	F(10, "readOnly", PB_BOOL, 0, NULL),
};
const struct pb_msg pb_m_core_ScaleIOPersistentVolumeSource = { "ScaleIOPersistentVolumeSource", f_core_ScaleIOPersistentVolumeSource, 10 };

static const struct pb_field f_core_LocalVolumeSource[] = {
	F(1, "path", PB_STRING, PB_Z, NULL),
	F(2, "fsType", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_LocalVolumeSource = { "LocalVolumeSource", f_core_LocalVolumeSource, 2 };

static const struct pb_field f_core_StorageOSPersistentVolumeSource[] = {
	F(1, "volumeName", PB_STRING, 0, NULL),
	F(2, "volumeNamespace", PB_STRING, 0, NULL),
	F(3, "fsType", PB_STRING, 0, NULL),
	F(4, "readOnly", PB_BOOL, 0, NULL),
	F(5, "secretRef", PB_MSG, PB_E, &pb_m_core_ObjectReference),
};
const struct pb_msg pb_m_core_StorageOSPersistentVolumeSource = { "StorageOSPersistentVolumeSource", f_core_StorageOSPersistentVolumeSource, 5 };

static const struct pb_field f_core_CSIPersistentVolumeSource[] = {
	F(1, "driver", PB_STRING, PB_Z, NULL),
	F(2, "volumeHandle", PB_STRING, PB_Z, NULL),
	F(3, "readOnly", PB_BOOL, 0, NULL),
	F(4, "fsType", PB_STRING, 0, NULL),
	F(5, "volumeAttributes", PB_MAP_STRING, 0, NULL),
	F(6, "controllerPublishSecretRef", PB_MSG, PB_E, &pb_m_core_SecretReference),
	F(7, "nodeStageSecretRef", PB_MSG, PB_E, &pb_m_core_SecretReference),
	F(8, "nodePublishSecretRef", PB_MSG, PB_E, &pb_m_core_SecretReference),
	F(9, "controllerExpandSecretRef", PB_MSG, PB_E, &pb_m_core_SecretReference),
	F(10, "nodeExpandSecretRef", PB_MSG, PB_E, &pb_m_core_SecretReference),
};
const struct pb_msg pb_m_core_CSIPersistentVolumeSource = { "CSIPersistentVolumeSource", f_core_CSIPersistentVolumeSource, 10 };

static const struct pb_field f_core_PersistentVolumeSource[] = {
	F(1, "gcePersistentDisk", PB_MSG, PB_E, &pb_m_core_GCEPersistentDiskVolumeSource),
	F(2, "awsElasticBlockStore", PB_MSG, PB_E, &pb_m_core_AWSElasticBlockStoreVolumeSource),
	F(3, "hostPath", PB_MSG, PB_E, &pb_m_core_HostPathVolumeSource),
	F(4, "glusterfs", PB_MSG, PB_E, &pb_m_core_GlusterfsPersistentVolumeSource),
	F(5, "nfs", PB_MSG, PB_E, &pb_m_core_NFSVolumeSource),
	F(6, "rbd", PB_MSG, PB_E, &pb_m_core_RBDPersistentVolumeSource),
	F(7, "iscsi", PB_MSG, PB_E, &pb_m_core_ISCSIPersistentVolumeSource),
	F(8, "cinder", PB_MSG, PB_E, &pb_m_core_CinderPersistentVolumeSource),
	F(9, "cephfs", PB_MSG, PB_E, &pb_m_core_CephFSPersistentVolumeSource),
	F(10, "fc", PB_MSG, PB_E, &pb_m_core_FCVolumeSource),
	F(11, "flocker", PB_MSG, PB_E, &pb_m_core_FlockerVolumeSource),
	F(12, "flexVolume", PB_MSG, PB_E, &pb_m_core_FlexPersistentVolumeSource),
	F(13, "azureFile", PB_MSG, PB_E, &pb_m_core_AzureFilePersistentVolumeSource),
	F(14, "vsphereVolume", PB_MSG, PB_E, &pb_m_core_VsphereVirtualDiskVolumeSource),
	F(15, "quobyte", PB_MSG, PB_E, &pb_m_core_QuobyteVolumeSource),
	F(16, "azureDisk", PB_MSG, PB_E, &pb_m_core_AzureDiskVolumeSource),
	F(17, "photonPersistentDisk", PB_MSG, PB_E, &pb_m_core_PhotonPersistentDiskVolumeSource),
	F(18, "portworxVolume", PB_MSG, PB_E, &pb_m_core_PortworxVolumeSource),
	F(19, "scaleIO", PB_MSG, PB_E, &pb_m_core_ScaleIOPersistentVolumeSource),
	F(20, "local", PB_MSG, PB_E, &pb_m_core_LocalVolumeSource),
	F(21, "storageos", PB_MSG, PB_E, &pb_m_core_StorageOSPersistentVolumeSource),
	F(22, "csi", PB_MSG, PB_E, &pb_m_core_CSIPersistentVolumeSource),
};
const struct pb_msg pb_m_core_PersistentVolumeSource = { "PersistentVolumeSource", f_core_PersistentVolumeSource, 22 };

static const struct pb_field f_core_VolumeNodeAffinity[] = {
	F(1, "required", PB_MSG, PB_E, &pb_m_core_NodeSelector),
};
const struct pb_msg pb_m_core_VolumeNodeAffinity = { "VolumeNodeAffinity", f_core_VolumeNodeAffinity, 1 };

static const struct pb_field f_core_PersistentVolumeSpec[] = {
	F(1, "capacity", PB_MAP_QUANTITY, 0, NULL),
	F(2, "persistentVolumeSource", PB_MSG, PB_I, &pb_m_core_PersistentVolumeSource),
	F(3, "accessModes", PB_STRING, PB_R, NULL),
	F(4, "claimRef", PB_MSG, PB_E, &pb_m_core_ObjectReference),
	F(5, "persistentVolumeReclaimPolicy", PB_STRING, 0, NULL),
	F(6, "storageClassName", PB_STRING, 0, NULL),
	F(7, "mountOptions", PB_STRING, PB_R, NULL),
	F(8, "volumeMode", PB_STRING, PB_Z, NULL),
	F(9, "nodeAffinity", PB_MSG, PB_E, &pb_m_core_VolumeNodeAffinity),
	F(10, "volumeAttributesClassName", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_PersistentVolumeSpec = { "PersistentVolumeSpec", f_core_PersistentVolumeSpec, 10 };

static const struct pb_field f_core_PersistentVolume[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_core_PersistentVolumeSpec),
};
const struct pb_msg pb_m_core_PersistentVolume = { "PersistentVolume", f_core_PersistentVolume, 2 };

static const struct pb_field f_core_EndpointAddress[] = {
	F(1, "ip", PB_STRING, PB_Z, NULL),
	F(3, "hostname", PB_STRING, 0, NULL),
	F(4, "nodeName", PB_STRING, PB_Z, NULL),
	F(2, "targetRef", PB_MSG, PB_E, &pb_m_core_ObjectReference),
};
const struct pb_msg pb_m_core_EndpointAddress = { "EndpointAddress", f_core_EndpointAddress, 4 };

static const struct pb_field f_core_EndpointPort[] = {
	F(1, "name", PB_STRING, 0, NULL),
	F(2, "port", PB_INT32, PB_Z, NULL),
	F(3, "protocol", PB_STRING, 0, NULL),
	F(4, "appProtocol", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_EndpointPort = { "EndpointPort", f_core_EndpointPort, 4 };

static const struct pb_field f_core_EndpointSubset[] = {
	F(1, "addresses", PB_MSG, PB_R, &pb_m_core_EndpointAddress),
	F(2, "notReadyAddresses", PB_MSG, PB_R, &pb_m_core_EndpointAddress),
	F(3, "ports", PB_MSG, PB_R, &pb_m_core_EndpointPort),
};
const struct pb_msg pb_m_core_EndpointSubset = { "EndpointSubset", f_core_EndpointSubset, 3 };

static const struct pb_field f_core_Endpoints[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "subsets", PB_MSG, PB_R, &pb_m_core_EndpointSubset),
};
const struct pb_msg pb_m_core_Endpoints = { "Endpoints", f_core_Endpoints, 2 };

static const struct pb_field f_core_PodTemplate[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "template", PB_MSG, 0, &pb_m_core_PodTemplateSpec),
};
const struct pb_msg pb_m_core_PodTemplate = { "PodTemplate", f_core_PodTemplate, 2 };

static const struct pb_field f_core_ReplicationControllerSpec[] = {
	F(1, "replicas", PB_INT32, PB_Z, NULL),
	F(4, "minReadySeconds", PB_INT32, 0, NULL),
	F(2, "selector", PB_MAP_STRING, 0, NULL),
	F(3, "template", PB_MSG, PB_E, &pb_m_core_PodTemplateSpec),
};
const struct pb_msg pb_m_core_ReplicationControllerSpec = { "ReplicationControllerSpec", f_core_ReplicationControllerSpec, 4 };

static const struct pb_field f_core_ReplicationController[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_core_ReplicationControllerSpec),
};
const struct pb_msg pb_m_core_ReplicationController = { "ReplicationController", f_core_ReplicationController, 2 };

static const struct pb_field f_core_Taint[] = {
	F(1, "key", PB_STRING, PB_Z, NULL),
	F(2, "value", PB_STRING, 0, NULL),
	F(3, "effect", PB_STRING, PB_Z, NULL),
	F(4, "timeAdded", PB_TIME, 0, NULL),
};
const struct pb_msg pb_m_core_Taint = { "Taint", f_core_Taint, 4 };

static const struct pb_field f_core_ConfigMapNodeConfigSource[] = {
	F(1, "namespace", PB_STRING, PB_Z, NULL),
	F(2, "name", PB_STRING, PB_Z, NULL),
	F(3, "uid", PB_STRING, 0, NULL),
	F(4, "resourceVersion", PB_STRING, 0, NULL),
	F(5, "kubeletConfigKey", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_ConfigMapNodeConfigSource = { "ConfigMapNodeConfigSource", f_core_ConfigMapNodeConfigSource, 5 };

static const struct pb_field f_core_NodeConfigSource[] = {
	F(2, "configMap", PB_MSG, PB_E, &pb_m_core_ConfigMapNodeConfigSource),
};
const struct pb_msg pb_m_core_NodeConfigSource = { "NodeConfigSource", f_core_NodeConfigSource, 1 };

static const struct pb_field f_core_NodePodPreemptionPolicy[] = {
	F(1, "disableResizePreemption", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_core_NodePodPreemptionPolicy = { "NodePodPreemptionPolicy", f_core_NodePodPreemptionPolicy, 1 };

static const struct pb_field f_core_NodeSpec[] = {
	F(1, "podCIDR", PB_STRING, 0, NULL),
	F(7, "podCIDRs", PB_STRING, PB_R, NULL),
	F(3, "providerID", PB_STRING, 0, NULL),
	F(4, "unschedulable", PB_BOOL, 0, NULL),
	F(5, "taints", PB_MSG, PB_R, &pb_m_core_Taint),
	F(6, "configSource", PB_MSG, PB_E, &pb_m_core_NodeConfigSource),
	F(2, "externalID", PB_STRING, 0, NULL),
	F(8, "podPreemptionPolicy", PB_MSG, PB_E, &pb_m_core_NodePodPreemptionPolicy),
};
const struct pb_msg pb_m_core_NodeSpec = { "NodeSpec", f_core_NodeSpec, 8 };

static const struct pb_field f_core_Node[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_core_NodeSpec),
};
const struct pb_msg pb_m_core_Node = { "Node", f_core_Node, 2 };

static const struct pb_field f_core_EventSource[] = {
	F(1, "component", PB_STRING, 0, NULL),
	F(2, "host", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_EventSource = { "EventSource", f_core_EventSource, 2 };

static const struct pb_field f_core_EventSeries[] = {
	F(1, "count", PB_INT32, 0, NULL),
	F(2, "lastObservedTime", PB_MICROTIME, 0, NULL),
};
const struct pb_msg pb_m_core_EventSeries = { "EventSeries", f_core_EventSeries, 2 };

static const struct pb_field f_core_Event[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "involvedObject", PB_MSG, 0, &pb_m_core_ObjectReference),
	F(3, "reason", PB_STRING, 0, NULL),
	F(4, "message", PB_STRING, 0, NULL),
	F(5, "source", PB_MSG, 0, &pb_m_core_EventSource),
	F(6, "firstTimestamp", PB_TIME, 0, NULL),
	F(7, "lastTimestamp", PB_TIME, 0, NULL),
	F(8, "count", PB_INT32, 0, NULL),
	F(9, "type", PB_STRING, 0, NULL),
	F(10, "eventTime", PB_MICROTIME, 0, NULL),
	F(11, "series", PB_MSG, PB_E, &pb_m_core_EventSeries),
	F(12, "action", PB_STRING, 0, NULL),
	F(13, "related", PB_MSG, PB_E, &pb_m_core_ObjectReference),
	F(14, "reportingComponent", PB_STRING, PB_Z, NULL),
	F(15, "reportingInstance", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_Event = { "Event", f_core_Event, 15 };

static const struct pb_field f_core_TopologySelectorLabelRequirement[] = {
	F(1, "key", PB_STRING, PB_Z, NULL),
	F(2, "values", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_core_TopologySelectorLabelRequirement = { "TopologySelectorLabelRequirement", f_core_TopologySelectorLabelRequirement, 2 };

static const struct pb_field f_core_TopologySelectorTerm[] = {
	F(1, "matchLabelExpressions", PB_MSG, PB_R, &pb_m_core_TopologySelectorLabelRequirement),
};
const struct pb_msg pb_m_core_TopologySelectorTerm = { "TopologySelectorTerm", f_core_TopologySelectorTerm, 1 };

