/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pb_schema_ext.c: protobuf schema tables (storage, discovery, autoscaling, coordination, admissionregistration, node, certificates, events, flowcontrol).
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

static const struct pb_field f_storage_StorageClass[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "provisioner", PB_STRING, PB_Z, NULL),
	F(3, "parameters", PB_MAP_STRING, 0, NULL),
	F(4, "reclaimPolicy", PB_STRING, PB_Z, NULL),
	F(5, "mountOptions", PB_STRING, PB_R, NULL),
	F(6, "allowVolumeExpansion", PB_BOOL, PB_Z, NULL),
	F(7, "volumeBindingMode", PB_STRING, PB_Z, NULL),
	F(8, "allowedTopologies", PB_MSG, PB_R, &pb_m_core_TopologySelectorTerm),
};
const struct pb_msg pb_m_storage_StorageClass = { "StorageClass", f_storage_StorageClass, 8 };

static const struct pb_field f_storage_TokenRequest[] = {
	F(1, "audience", PB_STRING, PB_Z, NULL),
	F(2, "expirationSeconds", PB_INT64, PB_Z, NULL),
};
const struct pb_msg pb_m_storage_TokenRequest = { "TokenRequest", f_storage_TokenRequest, 2 };

static const struct pb_field f_storage_CSIDriverSpec[] = {
	F(1, "attachRequired", PB_BOOL, PB_Z, NULL),
	F(2, "podInfoOnMount", PB_BOOL, PB_Z, NULL),
	F(3, "volumeLifecycleModes", PB_STRING, PB_R, NULL),
	F(4, "storageCapacity", PB_BOOL, PB_Z, NULL),
	F(5, "fsGroupPolicy", PB_STRING, PB_Z, NULL),
	F(6, "tokenRequests", PB_MSG, PB_R, &pb_m_storage_TokenRequest),
	F(7, "requiresRepublish", PB_BOOL, PB_Z, NULL),
	F(8, "seLinuxMount", PB_BOOL, PB_Z, NULL),
	F(9, "nodeAllocatableUpdatePeriodSeconds", PB_INT64, PB_Z, NULL),
	F(10, "serviceAccountTokenInSecrets", PB_BOOL, PB_Z, NULL),
	F(11, "preventPodSchedulingIfMissing", PB_BOOL, PB_Z, NULL),
};
const struct pb_msg pb_m_storage_CSIDriverSpec = { "CSIDriverSpec", f_storage_CSIDriverSpec, 11 };

static const struct pb_field f_storage_CSIDriver[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_storage_CSIDriverSpec),
};
const struct pb_msg pb_m_storage_CSIDriver = { "CSIDriver", f_storage_CSIDriver, 2 };

static const struct pb_field f_storage_VolumeNodeResources[] = {
	F(1, "count", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_storage_VolumeNodeResources = { "VolumeNodeResources", f_storage_VolumeNodeResources, 1 };

static const struct pb_field f_storage_CSINodeDriver[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "nodeID", PB_STRING, PB_Z, NULL),
	F(3, "topologyKeys", PB_STRING, PB_R, NULL),
	F(4, "allocatable", PB_MSG, PB_E, &pb_m_storage_VolumeNodeResources),
};
const struct pb_msg pb_m_storage_CSINodeDriver = { "CSINodeDriver", f_storage_CSINodeDriver, 4 };

static const struct pb_field f_storage_CSINodeSpec[] = {
	F(1, "drivers", PB_MSG, PB_R, &pb_m_storage_CSINodeDriver),
};
const struct pb_msg pb_m_storage_CSINodeSpec = { "CSINodeSpec", f_storage_CSINodeSpec, 1 };

static const struct pb_field f_storage_CSINode[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_storage_CSINodeSpec),
};
const struct pb_msg pb_m_storage_CSINode = { "CSINode", f_storage_CSINode, 2 };

static const struct pb_field f_storage_CSIStorageCapacity[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "nodeTopology", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(3, "storageClassName", PB_STRING, PB_Z, NULL),
	F(4, "capacity", PB_QUANTITY, 0, NULL),
	F(5, "maximumVolumeSize", PB_QUANTITY, 0, NULL),
};
const struct pb_msg pb_m_storage_CSIStorageCapacity = { "CSIStorageCapacity", f_storage_CSIStorageCapacity, 5 };

static const struct pb_field f_storage_VolumeAttachmentSource[] = {
	F(1, "persistentVolumeName", PB_STRING, PB_Z, NULL),
	F(2, "inlineVolumeSpec", PB_MSG, PB_E, &pb_m_core_PersistentVolumeSpec),
};
const struct pb_msg pb_m_storage_VolumeAttachmentSource = { "VolumeAttachmentSource", f_storage_VolumeAttachmentSource, 2 };

static const struct pb_field f_storage_VolumeAttachmentSpec[] = {
	F(1, "attacher", PB_STRING, PB_Z, NULL),
	F(2, "source", PB_MSG, 0, &pb_m_storage_VolumeAttachmentSource),
	F(3, "nodeName", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_storage_VolumeAttachmentSpec = { "VolumeAttachmentSpec", f_storage_VolumeAttachmentSpec, 3 };

static const struct pb_field f_storage_VolumeAttachment[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_storage_VolumeAttachmentSpec),
};
const struct pb_msg pb_m_storage_VolumeAttachment = { "VolumeAttachment", f_storage_VolumeAttachment, 2 };

static const struct pb_field f_discovery_EndpointConditions[] = {
	F(1, "ready", PB_BOOL, PB_Z, NULL),
	F(2, "serving", PB_BOOL, PB_Z, NULL),
	F(3, "terminating", PB_BOOL, PB_Z, NULL),
};
const struct pb_msg pb_m_discovery_EndpointConditions = { "EndpointConditions", f_discovery_EndpointConditions, 3 };

static const struct pb_field f_discovery_ForZone[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_discovery_ForZone = { "ForZone", f_discovery_ForZone, 1 };

static const struct pb_field f_discovery_ForNode[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_discovery_ForNode = { "ForNode", f_discovery_ForNode, 1 };

static const struct pb_field f_discovery_EndpointHints[] = {
	F(1, "forZones", PB_MSG, PB_R, &pb_m_discovery_ForZone),
	F(2, "forNodes", PB_MSG, PB_R, &pb_m_discovery_ForNode),
};
const struct pb_msg pb_m_discovery_EndpointHints = { "EndpointHints", f_discovery_EndpointHints, 2 };

static const struct pb_field f_discovery_Endpoint[] = {
	F(1, "addresses", PB_STRING, PB_R, NULL),
	F(2, "conditions", PB_MSG, 0, &pb_m_discovery_EndpointConditions),
	F(3, "hostname", PB_STRING, PB_Z, NULL),
	F(4, "targetRef", PB_MSG, PB_E, &pb_m_core_ObjectReference),
	F(5, "deprecatedTopology", PB_MAP_STRING, 0, NULL),
	F(6, "nodeName", PB_STRING, PB_Z, NULL),
	F(7, "zone", PB_STRING, PB_Z, NULL),
	F(8, "hints", PB_MSG, PB_E, &pb_m_discovery_EndpointHints),
};
const struct pb_msg pb_m_discovery_Endpoint = { "Endpoint", f_discovery_Endpoint, 8 };

static const struct pb_field f_discovery_EndpointPort[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "protocol", PB_STRING, PB_Z, NULL),
	F(3, "port", PB_INT32, PB_Z, NULL),
	F(4, "appProtocol", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_discovery_EndpointPort = { "EndpointPort", f_discovery_EndpointPort, 4 };

static const struct pb_field f_discovery_EndpointSlice[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(4, "addressType", PB_STRING, PB_Z, NULL),
	F(2, "endpoints", PB_MSG, PB_R, &pb_m_discovery_Endpoint),
	F(3, "ports", PB_MSG, PB_R, &pb_m_discovery_EndpointPort),
};
const struct pb_msg pb_m_discovery_EndpointSlice = { "EndpointSlice", f_discovery_EndpointSlice, 4 };

static const struct pb_field f_autoscaling_CrossVersionObjectReference[] = {
	F(1, "kind", PB_STRING, PB_Z, NULL),
	F(2, "name", PB_STRING, PB_Z, NULL),
	F(3, "apiVersion", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_autoscaling_CrossVersionObjectReference = { "CrossVersionObjectReference", f_autoscaling_CrossVersionObjectReference, 3 };

static const struct pb_field f_autoscaling_HorizontalPodAutoscalerSpec[] = {
	F(1, "scaleTargetRef", PB_MSG, 0, &pb_m_autoscaling_CrossVersionObjectReference),
	F(2, "minReplicas", PB_INT32, PB_Z, NULL),
	F(3, "maxReplicas", PB_INT32, PB_Z, NULL),
	F(4, "targetCPUUtilizationPercentage", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_autoscaling_HorizontalPodAutoscalerSpec = { "HorizontalPodAutoscalerSpec", f_autoscaling_HorizontalPodAutoscalerSpec, 4 };

static const struct pb_field f_autoscaling_HorizontalPodAutoscalerStatus[] = {
	F(1, "observedGeneration", PB_INT64, PB_Z, NULL),
	F(2, "lastScaleTime", PB_TIME, 0, NULL),
	F(3, "currentReplicas", PB_INT32, PB_Z, NULL),
	F(4, "desiredReplicas", PB_INT32, PB_Z, NULL),
	F(5, "currentCPUUtilizationPercentage", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_autoscaling_HorizontalPodAutoscalerStatus = { "HorizontalPodAutoscalerStatus", f_autoscaling_HorizontalPodAutoscalerStatus, 5 };

static const struct pb_field f_autoscaling_HorizontalPodAutoscaler[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_autoscaling_HorizontalPodAutoscalerSpec),
	F(3, "status", PB_MSG, 0, &pb_m_autoscaling_HorizontalPodAutoscalerStatus),
};
const struct pb_msg pb_m_autoscaling_HorizontalPodAutoscaler = { "HorizontalPodAutoscaler", f_autoscaling_HorizontalPodAutoscaler, 3 };

static const struct pb_field f_autoscalingv2_CrossVersionObjectReference[] = {
	F(1, "kind", PB_STRING, PB_Z, NULL),
	F(2, "name", PB_STRING, PB_Z, NULL),
	F(3, "apiVersion", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_autoscalingv2_CrossVersionObjectReference = { "CrossVersionObjectReference", f_autoscalingv2_CrossVersionObjectReference, 3 };

static const struct pb_field f_autoscalingv2_MetricTarget[] = {
	F(1, "type", PB_STRING, PB_Z, NULL),
	F(2, "value", PB_QUANTITY, 0, NULL),
	F(3, "averageValue", PB_QUANTITY, 0, NULL),
	F(4, "averageUtilization", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_autoscalingv2_MetricTarget = { "MetricTarget", f_autoscalingv2_MetricTarget, 4 };

static const struct pb_field f_autoscalingv2_MetricIdentifier[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "selector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
};
const struct pb_msg pb_m_autoscalingv2_MetricIdentifier = { "MetricIdentifier", f_autoscalingv2_MetricIdentifier, 2 };

static const struct pb_field f_autoscalingv2_ObjectMetricSource[] = {
	F(1, "describedObject", PB_MSG, 0, &pb_m_autoscalingv2_CrossVersionObjectReference),
	F(2, "target", PB_MSG, 0, &pb_m_autoscalingv2_MetricTarget),
	F(3, "metric", PB_MSG, 0, &pb_m_autoscalingv2_MetricIdentifier),
};
const struct pb_msg pb_m_autoscalingv2_ObjectMetricSource = { "ObjectMetricSource", f_autoscalingv2_ObjectMetricSource, 3 };

static const struct pb_field f_autoscalingv2_PodsMetricSource[] = {
	F(1, "metric", PB_MSG, 0, &pb_m_autoscalingv2_MetricIdentifier),
	F(2, "target", PB_MSG, 0, &pb_m_autoscalingv2_MetricTarget),
};
const struct pb_msg pb_m_autoscalingv2_PodsMetricSource = { "PodsMetricSource", f_autoscalingv2_PodsMetricSource, 2 };

static const struct pb_field f_autoscalingv2_ResourceMetricSource[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "target", PB_MSG, 0, &pb_m_autoscalingv2_MetricTarget),
};
const struct pb_msg pb_m_autoscalingv2_ResourceMetricSource = { "ResourceMetricSource", f_autoscalingv2_ResourceMetricSource, 2 };

static const struct pb_field f_autoscalingv2_ContainerResourceMetricSource[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "target", PB_MSG, 0, &pb_m_autoscalingv2_MetricTarget),
	F(3, "container", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_autoscalingv2_ContainerResourceMetricSource = { "ContainerResourceMetricSource", f_autoscalingv2_ContainerResourceMetricSource, 3 };

static const struct pb_field f_autoscalingv2_ExternalMetricSource[] = {
	F(1, "metric", PB_MSG, 0, &pb_m_autoscalingv2_MetricIdentifier),
	F(2, "target", PB_MSG, 0, &pb_m_autoscalingv2_MetricTarget),
};
const struct pb_msg pb_m_autoscalingv2_ExternalMetricSource = { "ExternalMetricSource", f_autoscalingv2_ExternalMetricSource, 2 };

static const struct pb_field f_autoscalingv2_MetricSpec[] = {
	F(1, "type", PB_STRING, PB_Z, NULL),
	F(2, "object", PB_MSG, PB_E, &pb_m_autoscalingv2_ObjectMetricSource),
	F(3, "pods", PB_MSG, PB_E, &pb_m_autoscalingv2_PodsMetricSource),
	F(4, "resource", PB_MSG, PB_E, &pb_m_autoscalingv2_ResourceMetricSource),
	F(7, "containerResource", PB_MSG, PB_E, &pb_m_autoscalingv2_ContainerResourceMetricSource),
	F(5, "external", PB_MSG, PB_E, &pb_m_autoscalingv2_ExternalMetricSource),
};
const struct pb_msg pb_m_autoscalingv2_MetricSpec = { "MetricSpec", f_autoscalingv2_MetricSpec, 6 };

static const struct pb_field f_autoscalingv2_HPAScalingPolicy[] = {
	F(1, "type", PB_STRING, PB_Z, NULL),
	F(2, "value", PB_INT32, PB_Z, NULL),
	F(3, "periodSeconds", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_autoscalingv2_HPAScalingPolicy = { "HPAScalingPolicy", f_autoscalingv2_HPAScalingPolicy, 3 };

static const struct pb_field f_autoscalingv2_HPAScalingRules[] = {
	F(3, "stabilizationWindowSeconds", PB_INT32, PB_Z, NULL),
	F(1, "selectPolicy", PB_STRING, PB_Z, NULL),
	F(2, "policies", PB_MSG, PB_R, &pb_m_autoscalingv2_HPAScalingPolicy),
	F(4, "tolerance", PB_QUANTITY, 0, NULL),
};
const struct pb_msg pb_m_autoscalingv2_HPAScalingRules = { "HPAScalingRules", f_autoscalingv2_HPAScalingRules, 4 };

static const struct pb_field f_autoscalingv2_HorizontalPodAutoscalerBehavior[] = {
	F(1, "scaleUp", PB_MSG, PB_E, &pb_m_autoscalingv2_HPAScalingRules),
	F(2, "scaleDown", PB_MSG, PB_E, &pb_m_autoscalingv2_HPAScalingRules),
};
const struct pb_msg pb_m_autoscalingv2_HorizontalPodAutoscalerBehavior = { "HorizontalPodAutoscalerBehavior", f_autoscalingv2_HorizontalPodAutoscalerBehavior, 2 };

static const struct pb_field f_autoscalingv2_HorizontalPodAutoscalerSpec[] = {
	F(1, "scaleTargetRef", PB_MSG, 0, &pb_m_autoscalingv2_CrossVersionObjectReference),
	F(2, "minReplicas", PB_INT32, PB_Z, NULL),
	F(3, "maxReplicas", PB_INT32, PB_Z, NULL),
	F(4, "metrics", PB_MSG, PB_R, &pb_m_autoscalingv2_MetricSpec),
	F(5, "behavior", PB_MSG, PB_E, &pb_m_autoscalingv2_HorizontalPodAutoscalerBehavior),
};
const struct pb_msg pb_m_autoscalingv2_HorizontalPodAutoscalerSpec = { "HorizontalPodAutoscalerSpec", f_autoscalingv2_HorizontalPodAutoscalerSpec, 5 };

static const struct pb_field f_autoscalingv2_HorizontalPodAutoscaler[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_autoscalingv2_HorizontalPodAutoscalerSpec),
};
const struct pb_msg pb_m_autoscalingv2_HorizontalPodAutoscaler = { "HorizontalPodAutoscaler", f_autoscalingv2_HorizontalPodAutoscaler, 2 };

static const struct pb_field f_coordination_LeaseSpec[] = {
	F(1, "holderIdentity", PB_STRING, PB_Z, NULL),
	F(2, "leaseDurationSeconds", PB_INT32, PB_Z, NULL),
	F(3, "acquireTime", PB_MICROTIME, 0, NULL),
	F(4, "renewTime", PB_MICROTIME, 0, NULL),
	F(5, "leaseTransitions", PB_INT32, PB_Z, NULL),
	F(6, "strategy", PB_STRING, PB_Z, NULL),
	F(7, "preferredHolder", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_coordination_LeaseSpec = { "LeaseSpec", f_coordination_LeaseSpec, 7 };

static const struct pb_field f_coordination_Lease[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_coordination_LeaseSpec),
};
const struct pb_msg pb_m_coordination_Lease = { "Lease", f_coordination_Lease, 2 };

static const struct pb_field f_admissionregistration_ServiceReference[] = {
	F(1, "namespace", PB_STRING, PB_Z, NULL),
	F(2, "name", PB_STRING, PB_Z, NULL),
	F(3, "path", PB_STRING, PB_Z, NULL),
	F(4, "port", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_admissionregistration_ServiceReference = { "ServiceReference", f_admissionregistration_ServiceReference, 4 };

static const struct pb_field f_admissionregistration_WebhookClientConfig[] = {
	F(3, "url", PB_STRING, PB_Z, NULL),
	F(1, "service", PB_MSG, PB_E, &pb_m_admissionregistration_ServiceReference),
	F(2, "caBundle", PB_BYTES, 0, NULL),
};
const struct pb_msg pb_m_admissionregistration_WebhookClientConfig = { "WebhookClientConfig", f_admissionregistration_WebhookClientConfig, 3 };

static const struct pb_field f_admissionregistration_Rule[] = {
	F(1, "apiGroups", PB_STRING, PB_R, NULL),
	F(2, "apiVersions", PB_STRING, PB_R, NULL),
	F(3, "resources", PB_STRING, PB_R, NULL),
	F(4, "scope", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_admissionregistration_Rule = { "Rule", f_admissionregistration_Rule, 4 };

static const struct pb_field f_admissionregistration_RuleWithOperations[] = {
	F(1, "operations", PB_STRING, PB_R, NULL),
	F(2, "rule", PB_MSG, PB_I, &pb_m_admissionregistration_Rule),
};
const struct pb_msg pb_m_admissionregistration_RuleWithOperations = { "RuleWithOperations", f_admissionregistration_RuleWithOperations, 2 };

static const struct pb_field f_admissionregistration_MatchCondition[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "expression", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_admissionregistration_MatchCondition = { "MatchCondition", f_admissionregistration_MatchCondition, 2 };

static const struct pb_field f_admissionregistration_ValidatingWebhook[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "clientConfig", PB_MSG, 0, &pb_m_admissionregistration_WebhookClientConfig),
	F(3, "rules", PB_MSG, PB_R, &pb_m_admissionregistration_RuleWithOperations),
	F(4, "failurePolicy", PB_STRING, PB_Z, NULL),
	F(9, "matchPolicy", PB_STRING, PB_Z, NULL),
	F(5, "namespaceSelector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(10, "objectSelector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(6, "sideEffects", PB_STRING, PB_Z, NULL),
	F(7, "timeoutSeconds", PB_INT32, PB_Z, NULL),
	F(8, "admissionReviewVersions", PB_STRING, PB_R, NULL),
	F(11, "matchConditions", PB_MSG, PB_R, &pb_m_admissionregistration_MatchCondition),
};
const struct pb_msg pb_m_admissionregistration_ValidatingWebhook = { "ValidatingWebhook", f_admissionregistration_ValidatingWebhook, 11 };

static const struct pb_field f_admissionregistration_ValidatingWebhookConfiguration[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "webhooks", PB_MSG, PB_R, &pb_m_admissionregistration_ValidatingWebhook),
};
const struct pb_msg pb_m_admissionregistration_ValidatingWebhookConfiguration = { "ValidatingWebhookConfiguration", f_admissionregistration_ValidatingWebhookConfiguration, 2 };

static const struct pb_field f_admissionregistration_MutatingWebhook[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "clientConfig", PB_MSG, 0, &pb_m_admissionregistration_WebhookClientConfig),
	F(3, "rules", PB_MSG, PB_R, &pb_m_admissionregistration_RuleWithOperations),
	F(4, "failurePolicy", PB_STRING, PB_Z, NULL),
	F(9, "matchPolicy", PB_STRING, PB_Z, NULL),
	F(5, "namespaceSelector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(11, "objectSelector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(6, "sideEffects", PB_STRING, PB_Z, NULL),
	F(7, "timeoutSeconds", PB_INT32, PB_Z, NULL),
	F(8, "admissionReviewVersions", PB_STRING, PB_R, NULL),
	F(10, "reinvocationPolicy", PB_STRING, PB_Z, NULL),
	F(12, "matchConditions", PB_MSG, PB_R, &pb_m_admissionregistration_MatchCondition),
};
const struct pb_msg pb_m_admissionregistration_MutatingWebhook = { "MutatingWebhook", f_admissionregistration_MutatingWebhook, 12 };

static const struct pb_field f_admissionregistration_MutatingWebhookConfiguration[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "webhooks", PB_MSG, PB_R, &pb_m_admissionregistration_MutatingWebhook),
};
const struct pb_msg pb_m_admissionregistration_MutatingWebhookConfiguration = { "MutatingWebhookConfiguration", f_admissionregistration_MutatingWebhookConfiguration, 2 };

static const struct pb_field f_admissionregistration_ParamKind[] = {
	F(1, "apiVersion", PB_STRING, 0, NULL),
	F(2, "kind", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_admissionregistration_ParamKind = { "ParamKind", f_admissionregistration_ParamKind, 2 };

static const struct pb_field f_admissionregistration_NamedRuleWithOperations[] = {
	F(1, "resourceNames", PB_STRING, PB_R, NULL),
	F(2, "ruleWithOperations", PB_MSG, PB_I, &pb_m_admissionregistration_RuleWithOperations),
};
const struct pb_msg pb_m_admissionregistration_NamedRuleWithOperations = { "NamedRuleWithOperations", f_admissionregistration_NamedRuleWithOperations, 2 };

static const struct pb_field f_admissionregistration_MatchResources[] = {
	F(1, "namespaceSelector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(2, "objectSelector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(3, "resourceRules", PB_MSG, PB_R, &pb_m_admissionregistration_NamedRuleWithOperations),
	F(4, "excludeResourceRules", PB_MSG, PB_R, &pb_m_admissionregistration_NamedRuleWithOperations),
	F(7, "matchPolicy", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_admissionregistration_MatchResources = { "MatchResources", f_admissionregistration_MatchResources, 5 };

static const struct pb_field f_admissionregistration_Validation[] = {
	F(1, "expression", PB_STRING, PB_Z, NULL),
	F(2, "message", PB_STRING, 0, NULL),
	F(3, "reason", PB_STRING, PB_Z, NULL),
	F(4, "messageExpression", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_admissionregistration_Validation = { "Validation", f_admissionregistration_Validation, 4 };

static const struct pb_field f_admissionregistration_AuditAnnotation[] = {
	F(1, "key", PB_STRING, PB_Z, NULL),
	F(2, "valueExpression", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_admissionregistration_AuditAnnotation = { "AuditAnnotation", f_admissionregistration_AuditAnnotation, 2 };

static const struct pb_field f_admissionregistration_Variable[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "expression", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_admissionregistration_Variable = { "Variable", f_admissionregistration_Variable, 2 };

static const struct pb_field f_admissionregistration_ValidatingAdmissionPolicySpec[] = {
	F(1, "paramKind", PB_MSG, PB_E, &pb_m_admissionregistration_ParamKind),
	F(2, "matchConstraints", PB_MSG, PB_E, &pb_m_admissionregistration_MatchResources),
	F(3, "validations", PB_MSG, PB_R, &pb_m_admissionregistration_Validation),
	F(4, "failurePolicy", PB_STRING, PB_Z, NULL),
	F(5, "auditAnnotations", PB_MSG, PB_R, &pb_m_admissionregistration_AuditAnnotation),
	F(6, "matchConditions", PB_MSG, PB_R, &pb_m_admissionregistration_MatchCondition),
	F(7, "variables", PB_MSG, PB_R, &pb_m_admissionregistration_Variable),
};
const struct pb_msg pb_m_admissionregistration_ValidatingAdmissionPolicySpec = { "ValidatingAdmissionPolicySpec", f_admissionregistration_ValidatingAdmissionPolicySpec, 7 };

static const struct pb_field f_admissionregistration_ValidatingAdmissionPolicy[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_admissionregistration_ValidatingAdmissionPolicySpec),
};
const struct pb_msg pb_m_admissionregistration_ValidatingAdmissionPolicy = { "ValidatingAdmissionPolicy", f_admissionregistration_ValidatingAdmissionPolicy, 2 };

static const struct pb_field f_admissionregistration_ParamRef[] = {
	F(1, "name", PB_STRING, 0, NULL),
	F(2, "namespace", PB_STRING, 0, NULL),
	F(3, "selector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(4, "parameterNotFoundAction", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_admissionregistration_ParamRef = { "ParamRef", f_admissionregistration_ParamRef, 4 };

static const struct pb_field f_admissionregistration_ValidatingAdmissionPolicyBindingSpec[] = {
	F(1, "policyName", PB_STRING, 0, NULL),
	F(2, "paramRef", PB_MSG, PB_E, &pb_m_admissionregistration_ParamRef),
	F(3, "matchResources", PB_MSG, PB_E, &pb_m_admissionregistration_MatchResources),
	F(4, "validationActions", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_admissionregistration_ValidatingAdmissionPolicyBindingSpec = { "ValidatingAdmissionPolicyBindingSpec", f_admissionregistration_ValidatingAdmissionPolicyBindingSpec, 4 };

static const struct pb_field f_admissionregistration_ValidatingAdmissionPolicyBinding[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_admissionregistration_ValidatingAdmissionPolicyBindingSpec),
};
const struct pb_msg pb_m_admissionregistration_ValidatingAdmissionPolicyBinding = { "ValidatingAdmissionPolicyBinding", f_admissionregistration_ValidatingAdmissionPolicyBinding, 2 };

static const struct pb_field f_node_Overhead[] = {
	F(1, "podFixed", PB_MAP_QUANTITY, 0, NULL),
};
const struct pb_msg pb_m_node_Overhead = { "Overhead", f_node_Overhead, 1 };

static const struct pb_field f_node_Scheduling[] = {
	F(1, "nodeSelector", PB_MAP_STRING, 0, NULL),
	F(2, "tolerations", PB_MSG, PB_R, &pb_m_core_Toleration),
};
const struct pb_msg pb_m_node_Scheduling = { "Scheduling", f_node_Scheduling, 2 };

static const struct pb_field f_node_RuntimeClass[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "handler", PB_STRING, PB_Z, NULL),
	F(3, "overhead", PB_MSG, PB_E, &pb_m_node_Overhead),
	F(4, "scheduling", PB_MSG, PB_E, &pb_m_node_Scheduling),
};
const struct pb_msg pb_m_node_RuntimeClass = { "RuntimeClass", f_node_RuntimeClass, 4 };

static const struct pb_field f_certificates_CertificateSigningRequestSpec[] = {
	F(1, "request", PB_BYTES, PB_Z, NULL),
	F(7, "signerName", PB_STRING, PB_Z, NULL),
	F(8, "expirationSeconds", PB_INT32, PB_Z, NULL),
	F(5, "usages", PB_STRING, PB_R, NULL),
	F(2, "username", PB_STRING, 0, NULL),
	F(3, "uid", PB_STRING, 0, NULL),
	F(4, "groups", PB_STRING, PB_R, NULL),
	F(6, "extra", PB_MAP_STRINGS, 0, NULL),
};
const struct pb_msg pb_m_certificates_CertificateSigningRequestSpec = { "CertificateSigningRequestSpec", f_certificates_CertificateSigningRequestSpec, 8 };

static const struct pb_field f_certificates_CertificateSigningRequest[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_certificates_CertificateSigningRequestSpec),
};
const struct pb_msg pb_m_certificates_CertificateSigningRequest = { "CertificateSigningRequest", f_certificates_CertificateSigningRequest, 2 };

static const struct pb_field f_events_EventSeries[] = {
	F(1, "count", PB_INT32, PB_Z, NULL),
	F(2, "lastObservedTime", PB_MICROTIME, 0, NULL),
};
const struct pb_msg pb_m_events_EventSeries = { "EventSeries", f_events_EventSeries, 2 };

static const struct pb_field f_events_Event[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "eventTime", PB_MICROTIME, 0, NULL),
	F(3, "series", PB_MSG, PB_E, &pb_m_events_EventSeries),
	F(4, "reportingController", PB_STRING, 0, NULL),
	F(5, "reportingInstance", PB_STRING, 0, NULL),
	F(6, "action", PB_STRING, 0, NULL),
	F(7, "reason", PB_STRING, 0, NULL),
	F(8, "regarding", PB_MSG, 0, &pb_m_core_ObjectReference),
	F(9, "related", PB_MSG, PB_E, &pb_m_core_ObjectReference),
	F(10, "note", PB_STRING, 0, NULL),
	F(11, "type", PB_STRING, 0, NULL),
	F(12, "deprecatedSource", PB_MSG, 0, &pb_m_core_EventSource),
	F(13, "deprecatedFirstTimestamp", PB_TIME, 0, NULL),
	F(14, "deprecatedLastTimestamp", PB_TIME, 0, NULL),
	F(15, "deprecatedCount", PB_INT32, 0, NULL),
};
const struct pb_msg pb_m_events_Event = { "Event", f_events_Event, 15 };

static const struct pb_field f_flowcontrol_PriorityLevelConfigurationReference[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_flowcontrol_PriorityLevelConfigurationReference = { "PriorityLevelConfigurationReference", f_flowcontrol_PriorityLevelConfigurationReference, 1 };

static const struct pb_field f_flowcontrol_FlowDistinguisherMethod[] = {
	F(1, "type", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_flowcontrol_FlowDistinguisherMethod = { "FlowDistinguisherMethod", f_flowcontrol_FlowDistinguisherMethod, 1 };

static const struct pb_field f_flowcontrol_UserSubject[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_flowcontrol_UserSubject = { "UserSubject", f_flowcontrol_UserSubject, 1 };

static const struct pb_field f_flowcontrol_GroupSubject[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_flowcontrol_GroupSubject = { "GroupSubject", f_flowcontrol_GroupSubject, 1 };

static const struct pb_field f_flowcontrol_ServiceAccountSubject[] = {
	F(1, "namespace", PB_STRING, PB_Z, NULL),
	F(2, "name", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_flowcontrol_ServiceAccountSubject = { "ServiceAccountSubject", f_flowcontrol_ServiceAccountSubject, 2 };

static const struct pb_field f_flowcontrol_Subject[] = {
	F(1, "kind", PB_STRING, PB_Z, NULL),
	F(2, "user", PB_MSG, PB_E, &pb_m_flowcontrol_UserSubject),
	F(3, "group", PB_MSG, PB_E, &pb_m_flowcontrol_GroupSubject),
	F(4, "serviceAccount", PB_MSG, PB_E, &pb_m_flowcontrol_ServiceAccountSubject),
};
const struct pb_msg pb_m_flowcontrol_Subject = { "Subject", f_flowcontrol_Subject, 4 };

static const struct pb_field f_flowcontrol_ResourcePolicyRule[] = {
	F(1, "verbs", PB_STRING, PB_R, NULL),
	F(2, "apiGroups", PB_STRING, PB_R, NULL),
	F(3, "resources", PB_STRING, PB_R, NULL),
	F(4, "clusterScope", PB_BOOL, 0, NULL),
	F(5, "namespaces", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_flowcontrol_ResourcePolicyRule = { "ResourcePolicyRule", f_flowcontrol_ResourcePolicyRule, 5 };

static const struct pb_field f_flowcontrol_NonResourcePolicyRule[] = {
	F(1, "verbs", PB_STRING, PB_R, NULL),
	F(6, "nonResourceURLs", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_flowcontrol_NonResourcePolicyRule = { "NonResourcePolicyRule", f_flowcontrol_NonResourcePolicyRule, 2 };

static const struct pb_field f_flowcontrol_PolicyRulesWithSubjects[] = {
	F(1, "subjects", PB_MSG, PB_R, &pb_m_flowcontrol_Subject),
	F(2, "resourceRules", PB_MSG, PB_R, &pb_m_flowcontrol_ResourcePolicyRule),
	F(3, "nonResourceRules", PB_MSG, PB_R, &pb_m_flowcontrol_NonResourcePolicyRule),
};
const struct pb_msg pb_m_flowcontrol_PolicyRulesWithSubjects = { "PolicyRulesWithSubjects", f_flowcontrol_PolicyRulesWithSubjects, 3 };

static const struct pb_field f_flowcontrol_FlowSchemaSpec[] = {
	F(1, "priorityLevelConfiguration", PB_MSG, 0, &pb_m_flowcontrol_PriorityLevelConfigurationReference),
	F(2, "matchingPrecedence", PB_INT32, PB_Z, NULL),
	F(3, "distinguisherMethod", PB_MSG, PB_E, &pb_m_flowcontrol_FlowDistinguisherMethod),
	F(4, "rules", PB_MSG, PB_R, &pb_m_flowcontrol_PolicyRulesWithSubjects),
};
const struct pb_msg pb_m_flowcontrol_FlowSchemaSpec = { "FlowSchemaSpec", f_flowcontrol_FlowSchemaSpec, 4 };

static const struct pb_field f_flowcontrol_FlowSchema[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_flowcontrol_FlowSchemaSpec),
};
const struct pb_msg pb_m_flowcontrol_FlowSchema = { "FlowSchema", f_flowcontrol_FlowSchema, 2 };

static const struct pb_field f_flowcontrol_QueuingConfiguration[] = {
	F(1, "queues", PB_INT32, PB_Z, NULL),
	F(2, "handSize", PB_INT32, PB_Z, NULL),
	F(3, "queueLengthLimit", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_flowcontrol_QueuingConfiguration = { "QueuingConfiguration", f_flowcontrol_QueuingConfiguration, 3 };

static const struct pb_field f_flowcontrol_LimitResponse[] = {
	F(1, "type", PB_STRING, PB_Z, NULL),
	F(2, "queuing", PB_MSG, PB_E, &pb_m_flowcontrol_QueuingConfiguration),
};
const struct pb_msg pb_m_flowcontrol_LimitResponse = { "LimitResponse", f_flowcontrol_LimitResponse, 2 };

static const struct pb_field f_flowcontrol_LimitedPriorityLevelConfiguration[] = {
	F(1, "nominalConcurrencyShares", PB_INT32, PB_Z, NULL),
	F(2, "limitResponse", PB_MSG, 0, &pb_m_flowcontrol_LimitResponse),
	F(3, "lendablePercent", PB_INT32, PB_Z, NULL),
	F(4, "borrowingLimitPercent", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_flowcontrol_LimitedPriorityLevelConfiguration = { "LimitedPriorityLevelConfiguration", f_flowcontrol_LimitedPriorityLevelConfiguration, 4 };

static const struct pb_field f_flowcontrol_ExemptPriorityLevelConfiguration[] = {
	F(1, "nominalConcurrencyShares", PB_INT32, PB_Z, NULL),
	F(2, "lendablePercent", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_flowcontrol_ExemptPriorityLevelConfiguration = { "ExemptPriorityLevelConfiguration", f_flowcontrol_ExemptPriorityLevelConfiguration, 2 };

static const struct pb_field f_flowcontrol_PriorityLevelConfigurationSpec[] = {
	F(1, "type", PB_STRING, PB_Z, NULL),
	F(2, "limited", PB_MSG, PB_E, &pb_m_flowcontrol_LimitedPriorityLevelConfiguration),
	F(3, "exempt", PB_MSG, PB_E, &pb_m_flowcontrol_ExemptPriorityLevelConfiguration),
};
const struct pb_msg pb_m_flowcontrol_PriorityLevelConfigurationSpec = { "PriorityLevelConfigurationSpec", f_flowcontrol_PriorityLevelConfigurationSpec, 3 };

static const struct pb_field f_flowcontrol_PriorityLevelConfiguration[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_flowcontrol_PriorityLevelConfigurationSpec),
};
const struct pb_msg pb_m_flowcontrol_PriorityLevelConfiguration = { "PriorityLevelConfiguration", f_flowcontrol_PriorityLevelConfiguration, 2 };

