/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pb_schema_apis.c: protobuf schema tables (meta/v1 and the API groups).
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

static const struct pb_field f_meta_OwnerReference[] = {
	F(5, "apiVersion", PB_STRING, PB_Z, NULL),
	F(1, "kind", PB_STRING, PB_Z, NULL),
	F(3, "name", PB_STRING, PB_Z, NULL),
	F(4, "uid", PB_STRING, PB_Z, NULL),
	F(6, "controller", PB_BOOL, PB_Z, NULL),
	F(7, "blockOwnerDeletion", PB_BOOL, PB_Z, NULL),
};
const struct pb_msg pb_m_meta_OwnerReference = { "OwnerReference", f_meta_OwnerReference, 6 };

static const struct pb_field f_meta_ObjectMeta[] = {
	F(1, "name", PB_STRING, 0, NULL),
	F(2, "generateName", PB_STRING, 0, NULL),
	F(3, "namespace", PB_STRING, 0, NULL),
	F(4, "selfLink", PB_STRING, 0, NULL),
	F(5, "uid", PB_STRING, 0, NULL),
	F(6, "resourceVersion", PB_STRING, 0, NULL),
	F(7, "generation", PB_INT64, 0, NULL),
	F(8, "creationTimestamp", PB_TIME, 0, NULL),
	F(9, "deletionTimestamp", PB_TIME, 0, NULL),
	F(10, "deletionGracePeriodSeconds", PB_INT64, PB_Z, NULL),
	F(11, "labels", PB_MAP_STRING, 0, NULL),
	F(12, "annotations", PB_MAP_STRING, 0, NULL),
	F(13, "ownerReferences", PB_MSG, PB_R, &pb_m_meta_OwnerReference),
	F(14, "finalizers", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_meta_ObjectMeta = { "ObjectMeta", f_meta_ObjectMeta, 14 };

static const struct pb_field f_meta_LabelSelectorRequirement[] = {
	F(1, "key", PB_STRING, PB_Z, NULL),
	F(2, "operator", PB_STRING, PB_Z, NULL),
	F(3, "values", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_meta_LabelSelectorRequirement = { "LabelSelectorRequirement", f_meta_LabelSelectorRequirement, 3 };

static const struct pb_field f_meta_LabelSelector[] = {
	F(1, "matchLabels", PB_MAP_STRING, 0, NULL),
	F(2, "matchExpressions", PB_MSG, PB_R, &pb_m_meta_LabelSelectorRequirement),
};
const struct pb_msg pb_m_meta_LabelSelector = { "LabelSelector", f_meta_LabelSelector, 2 };

static const struct pb_field f_meta_FieldSelectorRequirement[] = {
	F(1, "key", PB_STRING, PB_Z, NULL),
	F(2, "operator", PB_STRING, PB_Z, NULL),
	F(3, "values", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_meta_FieldSelectorRequirement = { "FieldSelectorRequirement", f_meta_FieldSelectorRequirement, 3 };

static const struct pb_field f_authorization_FieldSelectorAttributes[] = {
	F(1, "rawSelector", PB_STRING, 0, NULL),
	F(2, "requirements", PB_MSG, PB_R, &pb_m_meta_FieldSelectorRequirement),
};
const struct pb_msg pb_m_authorization_FieldSelectorAttributes = { "FieldSelectorAttributes", f_authorization_FieldSelectorAttributes, 2 };

static const struct pb_field f_authorization_LabelSelectorAttributes[] = {
	F(1, "rawSelector", PB_STRING, 0, NULL),
	F(2, "requirements", PB_MSG, PB_R, &pb_m_meta_LabelSelectorRequirement),
};
const struct pb_msg pb_m_authorization_LabelSelectorAttributes = { "LabelSelectorAttributes", f_authorization_LabelSelectorAttributes, 2 };

static const struct pb_field f_authorization_ResourceAttributes[] = {
	F(1, "namespace", PB_STRING, 0, NULL),
	F(2, "verb", PB_STRING, 0, NULL),
	F(3, "group", PB_STRING, 0, NULL),
	F(4, "version", PB_STRING, 0, NULL),
	F(5, "resource", PB_STRING, 0, NULL),
	F(6, "subresource", PB_STRING, 0, NULL),
	F(7, "name", PB_STRING, 0, NULL),
	F(8, "fieldSelector", PB_MSG, PB_E, &pb_m_authorization_FieldSelectorAttributes),
	F(9, "labelSelector", PB_MSG, PB_E, &pb_m_authorization_LabelSelectorAttributes),
};
const struct pb_msg pb_m_authorization_ResourceAttributes = { "ResourceAttributes", f_authorization_ResourceAttributes, 9 };

static const struct pb_field f_authorization_NonResourceAttributes[] = {
	F(1, "path", PB_STRING, 0, NULL),
	F(2, "verb", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_authorization_NonResourceAttributes = { "NonResourceAttributes", f_authorization_NonResourceAttributes, 2 };

static const struct pb_field f_authorization_SelfSubjectAccessReviewSpec[] = {
	F(1, "resourceAttributes", PB_MSG, PB_E, &pb_m_authorization_ResourceAttributes),
	F(2, "nonResourceAttributes", PB_MSG, PB_E, &pb_m_authorization_NonResourceAttributes),
};
const struct pb_msg pb_m_authorization_SelfSubjectAccessReviewSpec = { "SelfSubjectAccessReviewSpec", f_authorization_SelfSubjectAccessReviewSpec, 2 };

static const struct pb_field f_authorization_SubjectAccessReviewStatus[] = {
	F(1, "allowed", PB_BOOL, PB_Z, NULL),
	F(4, "denied", PB_BOOL, 0, NULL),
	F(2, "reason", PB_STRING, 0, NULL),
	F(3, "evaluationError", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_authorization_SubjectAccessReviewStatus = { "SubjectAccessReviewStatus", f_authorization_SubjectAccessReviewStatus, 4 };

static const struct pb_field f_authorization_SelfSubjectAccessReview[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_authorization_SelfSubjectAccessReviewSpec),
	F(3, "status", PB_MSG, 0, &pb_m_authorization_SubjectAccessReviewStatus),
};
const struct pb_msg pb_m_authorization_SelfSubjectAccessReview = { "SelfSubjectAccessReview", f_authorization_SelfSubjectAccessReview, 3 };

static const struct pb_field f_authorization_SelfSubjectRulesReviewSpec[] = {
	F(1, "namespace", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_authorization_SelfSubjectRulesReviewSpec = { "SelfSubjectRulesReviewSpec", f_authorization_SelfSubjectRulesReviewSpec, 1 };

static const struct pb_field f_authorization_ResourceRule[] = {
	F(1, "verbs", PB_STRING, PB_R, NULL),
	F(2, "apiGroups", PB_STRING, PB_R, NULL),
	F(3, "resources", PB_STRING, PB_R, NULL),
	F(4, "resourceNames", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_authorization_ResourceRule = { "ResourceRule", f_authorization_ResourceRule, 4 };

static const struct pb_field f_authorization_NonResourceRule[] = {
	F(1, "verbs", PB_STRING, PB_R, NULL),
	F(2, "nonResourceURLs", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_authorization_NonResourceRule = { "NonResourceRule", f_authorization_NonResourceRule, 2 };

static const struct pb_field f_authorization_SubjectRulesReviewStatus[] = {
	F(1, "resourceRules", PB_MSG, PB_R, &pb_m_authorization_ResourceRule),
	F(2, "nonResourceRules", PB_MSG, PB_R, &pb_m_authorization_NonResourceRule),
	F(3, "incomplete", PB_BOOL, PB_Z, NULL),
	F(4, "evaluationError", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_authorization_SubjectRulesReviewStatus = { "SubjectRulesReviewStatus", f_authorization_SubjectRulesReviewStatus, 4 };

static const struct pb_field f_authorization_SelfSubjectRulesReview[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_authorization_SelfSubjectRulesReviewSpec),
	F(3, "status", PB_MSG, 0, &pb_m_authorization_SubjectRulesReviewStatus),
};
const struct pb_msg pb_m_authorization_SelfSubjectRulesReview = { "SelfSubjectRulesReview", f_authorization_SelfSubjectRulesReview, 3 };

static const struct pb_field f_authorization_SubjectAccessReviewSpec[] = {
	F(1, "resourceAttributes", PB_MSG, PB_E, &pb_m_authorization_ResourceAttributes),
	F(2, "nonResourceAttributes", PB_MSG, PB_E, &pb_m_authorization_NonResourceAttributes),
	F(3, "user", PB_STRING, 0, NULL),
	F(4, "groups", PB_STRING, PB_R, NULL),
	F(5, "extra", PB_MAP_STRINGS, 0, NULL),
	F(6, "uid", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_authorization_SubjectAccessReviewSpec = { "SubjectAccessReviewSpec", f_authorization_SubjectAccessReviewSpec, 6 };

static const struct pb_field f_authorization_SubjectAccessReview[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_authorization_SubjectAccessReviewSpec),
	F(3, "status", PB_MSG, 0, &pb_m_authorization_SubjectAccessReviewStatus),
};
const struct pb_msg pb_m_authorization_SubjectAccessReview = { "SubjectAccessReview", f_authorization_SubjectAccessReview, 3 };

static const struct pb_field f_authorization_LocalSubjectAccessReview[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_authorization_SubjectAccessReviewSpec),
	F(3, "status", PB_MSG, 0, &pb_m_authorization_SubjectAccessReviewStatus),
};
const struct pb_msg pb_m_authorization_LocalSubjectAccessReview = { "LocalSubjectAccessReview", f_authorization_LocalSubjectAccessReview, 3 };

static const struct pb_field f_authentication_UserInfo[] = {
	F(1, "username", PB_STRING, 0, NULL),
	F(2, "uid", PB_STRING, 0, NULL),
	F(3, "groups", PB_STRING, PB_R, NULL),
	F(4, "extra", PB_MAP_STRINGS, 0, NULL),
};
const struct pb_msg pb_m_authentication_UserInfo = { "UserInfo", f_authentication_UserInfo, 4 };

static const struct pb_field f_authentication_SelfSubjectReviewStatus[] = {
	F(1, "userInfo", PB_MSG, 0, &pb_m_authentication_UserInfo),
};
const struct pb_msg pb_m_authentication_SelfSubjectReviewStatus = { "SelfSubjectReviewStatus", f_authentication_SelfSubjectReviewStatus, 1 };

static const struct pb_field f_authentication_SelfSubjectReview[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "status", PB_MSG, 0, &pb_m_authentication_SelfSubjectReviewStatus),
};
const struct pb_msg pb_m_authentication_SelfSubjectReview = { "SelfSubjectReview", f_authentication_SelfSubjectReview, 2 };

static const struct pb_field f_authentication_BoundObjectReference[] = {
	F(1, "kind", PB_STRING, 0, NULL),
	F(2, "apiVersion", PB_STRING, 0, NULL),
	F(3, "name", PB_STRING, 0, NULL),
	F(4, "uid", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_authentication_BoundObjectReference = { "BoundObjectReference", f_authentication_BoundObjectReference, 4 };

static const struct pb_field f_authentication_TokenRequestSpec[] = {
	F(1, "audiences", PB_STRING, PB_R, NULL),
	F(4, "expirationSeconds", PB_INT64, PB_Z, NULL),
	F(3, "boundObjectRef", PB_MSG, PB_E, &pb_m_authentication_BoundObjectReference),
};
const struct pb_msg pb_m_authentication_TokenRequestSpec = { "TokenRequestSpec", f_authentication_TokenRequestSpec, 3 };

static const struct pb_field f_authentication_TokenRequestStatus[] = {
	F(1, "token", PB_STRING, PB_Z, NULL),
	F(2, "expirationTimestamp", PB_TIME, 0, NULL),
};
const struct pb_msg pb_m_authentication_TokenRequestStatus = { "TokenRequestStatus", f_authentication_TokenRequestStatus, 2 };

static const struct pb_field f_authentication_TokenRequest[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_authentication_TokenRequestSpec),
	F(3, "status", PB_MSG, 0, &pb_m_authentication_TokenRequestStatus),
};
const struct pb_msg pb_m_authentication_TokenRequest = { "TokenRequest", f_authentication_TokenRequest, 3 };

static const struct pb_field f_meta_Preconditions[] = {
	F(1, "uid", PB_STRING, PB_Z, NULL),
	F(2, "resourceVersion", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_meta_Preconditions = { "Preconditions", f_meta_Preconditions, 2 };

static const struct pb_field f_meta_DeleteOptions[] = {
	F(1, "gracePeriodSeconds", PB_INT64, PB_Z, NULL),
	F(2, "preconditions", PB_MSG, PB_E, &pb_m_meta_Preconditions),
	F(3, "orphanDependents", PB_BOOL, PB_Z, NULL),
	F(4, "propagationPolicy", PB_STRING, PB_Z, NULL),
	F(5, "dryRun", PB_STRING, PB_R, NULL),
	F(6, "ignoreStoreReadErrorWithClusterBreakingPotential", PB_BOOL, PB_Z, NULL),
};
const struct pb_msg pb_m_meta_DeleteOptions = { "DeleteOptions", f_meta_DeleteOptions, 6 };

static const struct pb_field f_apps_RollingUpdateDeployment[] = {
	F(1, "maxUnavailable", PB_INTSTR, 0, NULL),
	F(2, "maxSurge", PB_INTSTR, 0, NULL),
};
const struct pb_msg pb_m_apps_RollingUpdateDeployment = { "RollingUpdateDeployment", f_apps_RollingUpdateDeployment, 2 };

static const struct pb_field f_apps_DeploymentStrategy[] = {
	F(1, "type", PB_STRING, 0, NULL),
	F(2, "rollingUpdate", PB_MSG, PB_E, &pb_m_apps_RollingUpdateDeployment),
};
const struct pb_msg pb_m_apps_DeploymentStrategy = { "DeploymentStrategy", f_apps_DeploymentStrategy, 2 };

static const struct pb_field f_apps_DeploymentSpec[] = {
	F(1, "replicas", PB_INT32, PB_Z, NULL),
	F(2, "selector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(3, "template", PB_MSG, 0, &pb_m_core_PodTemplateSpec),
	F(4, "strategy", PB_MSG, 0, &pb_m_apps_DeploymentStrategy),
	F(5, "minReadySeconds", PB_INT32, 0, NULL),
	F(6, "revisionHistoryLimit", PB_INT32, PB_Z, NULL),
	F(7, "paused", PB_BOOL, 0, NULL),
	F(9, "progressDeadlineSeconds", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_apps_DeploymentSpec = { "DeploymentSpec", f_apps_DeploymentSpec, 8 };

static const struct pb_field f_apps_Deployment[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_apps_DeploymentSpec),
};
const struct pb_msg pb_m_apps_Deployment = { "Deployment", f_apps_Deployment, 2 };

static const struct pb_field f_batch_PodFailurePolicyOnExitCodesRequirement[] = {
	F(1, "containerName", PB_STRING, PB_Z, NULL),
	F(2, "operator", PB_STRING, PB_Z, NULL),
	F(3, "values", PB_INT32, PB_R, NULL),
};
const struct pb_msg pb_m_batch_PodFailurePolicyOnExitCodesRequirement = { "PodFailurePolicyOnExitCodesRequirement", f_batch_PodFailurePolicyOnExitCodesRequirement, 3 };

static const struct pb_field f_batch_PodFailurePolicyOnPodConditionsPattern[] = {
	F(1, "type", PB_STRING, PB_Z, NULL),
	F(2, "status", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_batch_PodFailurePolicyOnPodConditionsPattern = { "PodFailurePolicyOnPodConditionsPattern", f_batch_PodFailurePolicyOnPodConditionsPattern, 2 };

static const struct pb_field f_batch_PodFailurePolicyRule[] = {
	F(1, "action", PB_STRING, PB_Z, NULL),
	F(2, "onExitCodes", PB_MSG, PB_E, &pb_m_batch_PodFailurePolicyOnExitCodesRequirement),
	F(3, "onPodConditions", PB_MSG, PB_R, &pb_m_batch_PodFailurePolicyOnPodConditionsPattern),
};
const struct pb_msg pb_m_batch_PodFailurePolicyRule = { "PodFailurePolicyRule", f_batch_PodFailurePolicyRule, 3 };

static const struct pb_field f_batch_PodFailurePolicy[] = {
	F(1, "rules", PB_MSG, PB_R, &pb_m_batch_PodFailurePolicyRule),
};
const struct pb_msg pb_m_batch_PodFailurePolicy = { "PodFailurePolicy", f_batch_PodFailurePolicy, 1 };

static const struct pb_field f_batch_SuccessPolicyRule[] = {
	F(1, "succeededIndexes", PB_STRING, PB_Z, NULL),
	F(2, "succeededCount", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_batch_SuccessPolicyRule = { "SuccessPolicyRule", f_batch_SuccessPolicyRule, 2 };

static const struct pb_field f_batch_SuccessPolicy[] = {
	F(1, "rules", PB_MSG, PB_R, &pb_m_batch_SuccessPolicyRule),
};
const struct pb_msg pb_m_batch_SuccessPolicy = { "SuccessPolicy", f_batch_SuccessPolicy, 1 };

static const struct pb_field f_batch_JobSchedulingConfiguration[] = {
};
const struct pb_msg pb_m_batch_JobSchedulingConfiguration = { "JobSchedulingConfiguration", f_batch_JobSchedulingConfiguration, 0 };

static const struct pb_field f_batch_JobSpec[] = {
	F(1, "parallelism", PB_INT32, PB_Z, NULL),
	F(2, "completions", PB_INT32, PB_Z, NULL),
	F(3, "activeDeadlineSeconds", PB_INT64, PB_Z, NULL),
	F(11, "podFailurePolicy", PB_MSG, PB_E, &pb_m_batch_PodFailurePolicy),
	F(16, "successPolicy", PB_MSG, PB_E, &pb_m_batch_SuccessPolicy),
	F(7, "backoffLimit", PB_INT32, PB_Z, NULL),
	F(12, "backoffLimitPerIndex", PB_INT32, PB_Z, NULL),
	F(13, "maxFailedIndexes", PB_INT32, PB_Z, NULL),
	F(4, "selector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(5, "manualSelector", PB_BOOL, PB_Z, NULL),
	F(6, "template", PB_MSG, 0, &pb_m_core_PodTemplateSpec),
	F(8, "ttlSecondsAfterFinished", PB_INT32, PB_Z, NULL),
	F(9, "completionMode", PB_STRING, PB_Z, NULL),
	F(10, "suspend", PB_BOOL, PB_Z, NULL),
	F(14, "podReplacementPolicy", PB_STRING, PB_Z, NULL),
	F(15, "managedBy", PB_STRING, PB_Z, NULL),
	F(17, "scheduling", PB_MSG, PB_E, &pb_m_batch_JobSchedulingConfiguration),
};
const struct pb_msg pb_m_batch_JobSpec = { "JobSpec", f_batch_JobSpec, 17 };

static const struct pb_field f_batch_Job[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_batch_JobSpec),
};
const struct pb_msg pb_m_batch_Job = { "Job", f_batch_Job, 2 };

static const struct pb_field f_apps_RollingUpdateStatefulSetStrategy[] = {
	F(1, "partition", PB_INT32, PB_Z, NULL),
	F(2, "maxUnavailable", PB_INTSTR, 0, NULL),
};
const struct pb_msg pb_m_apps_RollingUpdateStatefulSetStrategy = { "RollingUpdateStatefulSetStrategy", f_apps_RollingUpdateStatefulSetStrategy, 2 };

static const struct pb_field f_apps_StatefulSetUpdateStrategy[] = {
	F(1, "type", PB_STRING, 0, NULL),
	F(2, "rollingUpdate", PB_MSG, PB_E, &pb_m_apps_RollingUpdateStatefulSetStrategy),
};
const struct pb_msg pb_m_apps_StatefulSetUpdateStrategy = { "StatefulSetUpdateStrategy", f_apps_StatefulSetUpdateStrategy, 2 };

static const struct pb_field f_apps_StatefulSetPersistentVolumeClaimRetentionPolicy[] = {
	F(1, "whenDeleted", PB_STRING, 0, NULL),
	F(2, "whenScaled", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_apps_StatefulSetPersistentVolumeClaimRetentionPolicy = { "StatefulSetPersistentVolumeClaimRetentionPolicy", f_apps_StatefulSetPersistentVolumeClaimRetentionPolicy, 2 };

static const struct pb_field f_apps_StatefulSetOrdinals[] = {
	F(1, "start", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_apps_StatefulSetOrdinals = { "StatefulSetOrdinals", f_apps_StatefulSetOrdinals, 1 };

static const struct pb_field f_apps_StatefulSetSpec[] = {
	F(1, "replicas", PB_INT32, PB_Z, NULL),
	F(2, "selector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(3, "template", PB_MSG, 0, &pb_m_core_PodTemplateSpec),
	F(4, "volumeClaimTemplates", PB_MSG, PB_R, &pb_m_core_PersistentVolumeClaim),
	F(5, "serviceName", PB_STRING, PB_Z, NULL),
	F(6, "podManagementPolicy", PB_STRING, 0, NULL),
	F(7, "updateStrategy", PB_MSG, 0, &pb_m_apps_StatefulSetUpdateStrategy),
	F(8, "revisionHistoryLimit", PB_INT32, PB_Z, NULL),
	F(9, "minReadySeconds", PB_INT32, 0, NULL),
	F(10, "persistentVolumeClaimRetentionPolicy", PB_MSG, PB_E, &pb_m_apps_StatefulSetPersistentVolumeClaimRetentionPolicy),
	F(11, "ordinals", PB_MSG, PB_E, &pb_m_apps_StatefulSetOrdinals),
};
const struct pb_msg pb_m_apps_StatefulSetSpec = { "StatefulSetSpec", f_apps_StatefulSetSpec, 11 };

static const struct pb_field f_apps_StatefulSet[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_apps_StatefulSetSpec),
};
const struct pb_msg pb_m_apps_StatefulSet = { "StatefulSet", f_apps_StatefulSet, 2 };

static const struct pb_field f_apps_RollingUpdateDaemonSet[] = {
	F(1, "maxUnavailable", PB_INTSTR, 0, NULL),
	F(2, "maxSurge", PB_INTSTR, 0, NULL),
};
const struct pb_msg pb_m_apps_RollingUpdateDaemonSet = { "RollingUpdateDaemonSet", f_apps_RollingUpdateDaemonSet, 2 };

static const struct pb_field f_apps_DaemonSetUpdateStrategy[] = {
	F(1, "type", PB_STRING, 0, NULL),
	F(2, "rollingUpdate", PB_MSG, PB_E, &pb_m_apps_RollingUpdateDaemonSet),
};
const struct pb_msg pb_m_apps_DaemonSetUpdateStrategy = { "DaemonSetUpdateStrategy", f_apps_DaemonSetUpdateStrategy, 2 };

static const struct pb_field f_apps_DaemonSetSpec[] = {
	F(1, "selector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(2, "template", PB_MSG, 0, &pb_m_core_PodTemplateSpec),
	F(3, "updateStrategy", PB_MSG, 0, &pb_m_apps_DaemonSetUpdateStrategy),
	F(4, "minReadySeconds", PB_INT32, 0, NULL),
	F(6, "revisionHistoryLimit", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_apps_DaemonSetSpec = { "DaemonSetSpec", f_apps_DaemonSetSpec, 5 };

static const struct pb_field f_apps_DaemonSet[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_apps_DaemonSetSpec),
};
const struct pb_msg pb_m_apps_DaemonSet = { "DaemonSet", f_apps_DaemonSet, 2 };

static const struct pb_field f_apps_ReplicaSetSpec[] = {
	F(1, "replicas", PB_INT32, PB_Z, NULL),
	F(4, "minReadySeconds", PB_INT32, 0, NULL),
	F(2, "selector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(3, "template", PB_MSG, 0, &pb_m_core_PodTemplateSpec),
};
const struct pb_msg pb_m_apps_ReplicaSetSpec = { "ReplicaSetSpec", f_apps_ReplicaSetSpec, 4 };

static const struct pb_field f_apps_ReplicaSet[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_apps_ReplicaSetSpec),
};
const struct pb_msg pb_m_apps_ReplicaSet = { "ReplicaSet", f_apps_ReplicaSet, 2 };

static const struct pb_field f_batch_JobTemplateSpec[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_batch_JobSpec),
};
const struct pb_msg pb_m_batch_JobTemplateSpec = { "JobTemplateSpec", f_batch_JobTemplateSpec, 2 };

static const struct pb_field f_batch_CronJobSpec[] = {
	F(1, "schedule", PB_STRING, PB_Z, NULL),
	F(8, "timeZone", PB_STRING, PB_Z, NULL),
	F(2, "startingDeadlineSeconds", PB_INT64, PB_Z, NULL),
	F(3, "concurrencyPolicy", PB_STRING, 0, NULL),
	F(4, "suspend", PB_BOOL, PB_Z, NULL),
	F(5, "jobTemplate", PB_MSG, 0, &pb_m_batch_JobTemplateSpec),
	F(6, "successfulJobsHistoryLimit", PB_INT32, PB_Z, NULL),
	F(7, "failedJobsHistoryLimit", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_batch_CronJobSpec = { "CronJobSpec", f_batch_CronJobSpec, 8 };

static const struct pb_field f_batch_CronJob[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_batch_CronJobSpec),
};
const struct pb_msg pb_m_batch_CronJob = { "CronJob", f_batch_CronJob, 2 };

static const struct pb_field f_rbac_PolicyRule[] = {
	F(1, "verbs", PB_STRING, PB_R, NULL),
	F(2, "apiGroups", PB_STRING, PB_R, NULL),
	F(3, "resources", PB_STRING, PB_R, NULL),
	F(4, "resourceNames", PB_STRING, PB_R, NULL),
	F(5, "nonResourceURLs", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_rbac_PolicyRule = { "PolicyRule", f_rbac_PolicyRule, 5 };

static const struct pb_field f_rbac_Role[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "rules", PB_MSG, PB_R, &pb_m_rbac_PolicyRule),
};
const struct pb_msg pb_m_rbac_Role = { "Role", f_rbac_Role, 2 };

static const struct pb_field f_rbac_AggregationRule[] = {
	F(1, "clusterRoleSelectors", PB_MSG, PB_R, &pb_m_meta_LabelSelector),
};
const struct pb_msg pb_m_rbac_AggregationRule = { "AggregationRule", f_rbac_AggregationRule, 1 };

static const struct pb_field f_rbac_ClusterRole[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "rules", PB_MSG, PB_R, &pb_m_rbac_PolicyRule),
	F(3, "aggregationRule", PB_MSG, PB_E, &pb_m_rbac_AggregationRule),
};
const struct pb_msg pb_m_rbac_ClusterRole = { "ClusterRole", f_rbac_ClusterRole, 3 };

static const struct pb_field f_rbac_Subject[] = {
	F(1, "kind", PB_STRING, PB_Z, NULL),
	F(2, "apiGroup", PB_STRING, 0, NULL),
	F(3, "name", PB_STRING, PB_Z, NULL),
	F(4, "namespace", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_rbac_Subject = { "Subject", f_rbac_Subject, 4 };

static const struct pb_field f_rbac_RoleRef[] = {
	F(1, "apiGroup", PB_STRING, PB_Z, NULL),
	F(2, "kind", PB_STRING, PB_Z, NULL),
	F(3, "name", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_rbac_RoleRef = { "RoleRef", f_rbac_RoleRef, 3 };

static const struct pb_field f_rbac_RoleBinding[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "subjects", PB_MSG, PB_R, &pb_m_rbac_Subject),
	F(3, "roleRef", PB_MSG, 0, &pb_m_rbac_RoleRef),
};
const struct pb_msg pb_m_rbac_RoleBinding = { "RoleBinding", f_rbac_RoleBinding, 3 };

static const struct pb_field f_rbac_ClusterRoleBinding[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "subjects", PB_MSG, PB_R, &pb_m_rbac_Subject),
	F(3, "roleRef", PB_MSG, 0, &pb_m_rbac_RoleRef),
};
const struct pb_msg pb_m_rbac_ClusterRoleBinding = { "ClusterRoleBinding", f_rbac_ClusterRoleBinding, 3 };

static const struct pb_field f_scheduling_PriorityClass[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "value", PB_INT32, PB_Z, NULL),
	F(3, "globalDefault", PB_BOOL, 0, NULL),
	F(4, "description", PB_STRING, 0, NULL),
	F(5, "preemptionPolicy", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_scheduling_PriorityClass = { "PriorityClass", f_scheduling_PriorityClass, 5 };

static const struct pb_field f_policy_PodDisruptionBudgetSpec[] = {
	F(1, "minAvailable", PB_INTSTR, 0, NULL),
	F(2, "selector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(3, "maxUnavailable", PB_INTSTR, 0, NULL),
	F(4, "unhealthyPodEvictionPolicy", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_policy_PodDisruptionBudgetSpec = { "PodDisruptionBudgetSpec", f_policy_PodDisruptionBudgetSpec, 4 };

static const struct pb_field f_policy_PodDisruptionBudget[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_policy_PodDisruptionBudgetSpec),
};
const struct pb_msg pb_m_policy_PodDisruptionBudget = { "PodDisruptionBudget", f_policy_PodDisruptionBudget, 2 };

static const struct pb_field f_networking_ServiceBackendPort[] = {
	F(1, "name", PB_STRING, 0, NULL),
	F(2, "number", PB_INT32, 0, NULL),
};
const struct pb_msg pb_m_networking_ServiceBackendPort = { "ServiceBackendPort", f_networking_ServiceBackendPort, 2 };

static const struct pb_field f_networking_IngressServiceBackend[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "port", PB_MSG, 0, &pb_m_networking_ServiceBackendPort),
};
const struct pb_msg pb_m_networking_IngressServiceBackend = { "IngressServiceBackend", f_networking_IngressServiceBackend, 2 };

static const struct pb_field f_networking_IngressBackend[] = {
	F(4, "service", PB_MSG, PB_E, &pb_m_networking_IngressServiceBackend),
	F(3, "resource", PB_MSG, PB_E, &pb_m_core_TypedLocalObjectReference),
};
const struct pb_msg pb_m_networking_IngressBackend = { "IngressBackend", f_networking_IngressBackend, 2 };

static const struct pb_field f_networking_IngressTLS[] = {
	F(1, "hosts", PB_STRING, PB_R, NULL),
	F(2, "secretName", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_networking_IngressTLS = { "IngressTLS", f_networking_IngressTLS, 2 };

static const struct pb_field f_networking_HTTPIngressPath[] = {
	F(1, "path", PB_STRING, 0, NULL),
	F(3, "pathType", PB_STRING, PB_Z, NULL),
	F(2, "backend", PB_MSG, 0, &pb_m_networking_IngressBackend),
};
const struct pb_msg pb_m_networking_HTTPIngressPath = { "HTTPIngressPath", f_networking_HTTPIngressPath, 3 };

static const struct pb_field f_networking_HTTPIngressRuleValue[] = {
	F(1, "paths", PB_MSG, PB_R, &pb_m_networking_HTTPIngressPath),
};
const struct pb_msg pb_m_networking_HTTPIngressRuleValue = { "HTTPIngressRuleValue", f_networking_HTTPIngressRuleValue, 1 };

static const struct pb_field f_networking_IngressRuleValue[] = {
	F(1, "http", PB_MSG, PB_E, &pb_m_networking_HTTPIngressRuleValue),
};
const struct pb_msg pb_m_networking_IngressRuleValue = { "IngressRuleValue", f_networking_IngressRuleValue, 1 };

static const struct pb_field f_networking_IngressRule[] = {
	F(1, "host", PB_STRING, 0, NULL),
	F(2, "ingressRuleValue", PB_MSG, PB_I, &pb_m_networking_IngressRuleValue),
};
const struct pb_msg pb_m_networking_IngressRule = { "IngressRule", f_networking_IngressRule, 2 };

static const struct pb_field f_networking_IngressSpec[] = {
	F(4, "ingressClassName", PB_STRING, PB_Z, NULL),
	F(1, "defaultBackend", PB_MSG, PB_E, &pb_m_networking_IngressBackend),
	F(2, "tls", PB_MSG, PB_R, &pb_m_networking_IngressTLS),
	F(3, "rules", PB_MSG, PB_R, &pb_m_networking_IngressRule),
};
const struct pb_msg pb_m_networking_IngressSpec = { "IngressSpec", f_networking_IngressSpec, 4 };

static const struct pb_field f_networking_Ingress[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_networking_IngressSpec),
};
const struct pb_msg pb_m_networking_Ingress = { "Ingress", f_networking_Ingress, 2 };

static const struct pb_field f_networking_NetworkPolicyPort[] = {
	F(1, "protocol", PB_STRING, PB_Z, NULL),
	F(2, "port", PB_INTSTR, 0, NULL),
	F(3, "endPort", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_networking_NetworkPolicyPort = { "NetworkPolicyPort", f_networking_NetworkPolicyPort, 3 };

static const struct pb_field f_networking_IPBlock[] = {
	F(1, "cidr", PB_STRING, PB_Z, NULL),
	F(2, "except", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_networking_IPBlock = { "IPBlock", f_networking_IPBlock, 2 };

static const struct pb_field f_networking_NetworkPolicyPeer[] = {
	F(1, "podSelector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(2, "namespaceSelector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(3, "ipBlock", PB_MSG, PB_E, &pb_m_networking_IPBlock),
};
const struct pb_msg pb_m_networking_NetworkPolicyPeer = { "NetworkPolicyPeer", f_networking_NetworkPolicyPeer, 3 };

static const struct pb_field f_networking_NetworkPolicyIngressRule[] = {
	F(1, "ports", PB_MSG, PB_R, &pb_m_networking_NetworkPolicyPort),
	F(2, "from", PB_MSG, PB_R, &pb_m_networking_NetworkPolicyPeer),
};
const struct pb_msg pb_m_networking_NetworkPolicyIngressRule = { "NetworkPolicyIngressRule", f_networking_NetworkPolicyIngressRule, 2 };

static const struct pb_field f_networking_NetworkPolicyEgressRule[] = {
	F(1, "ports", PB_MSG, PB_R, &pb_m_networking_NetworkPolicyPort),
	F(2, "to", PB_MSG, PB_R, &pb_m_networking_NetworkPolicyPeer),
};
const struct pb_msg pb_m_networking_NetworkPolicyEgressRule = { "NetworkPolicyEgressRule", f_networking_NetworkPolicyEgressRule, 2 };

static const struct pb_field f_networking_NetworkPolicySpec[] = {
	F(1, "podSelector", PB_MSG, 0, &pb_m_meta_LabelSelector),
	F(2, "ingress", PB_MSG, PB_R, &pb_m_networking_NetworkPolicyIngressRule),
	F(3, "egress", PB_MSG, PB_R, &pb_m_networking_NetworkPolicyEgressRule),
	F(4, "policyTypes", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_networking_NetworkPolicySpec = { "NetworkPolicySpec", f_networking_NetworkPolicySpec, 4 };

static const struct pb_field f_networking_NetworkPolicy[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_networking_NetworkPolicySpec),
};
const struct pb_msg pb_m_networking_NetworkPolicy = { "NetworkPolicy", f_networking_NetworkPolicy, 2 };

static const struct pb_field f_networking_IngressClassParametersReference[] = {
	F(1, "apiGroup", PB_STRING, PB_Z, NULL),
	F(2, "kind", PB_STRING, PB_Z, NULL),
	F(3, "name", PB_STRING, PB_Z, NULL),
	F(4, "scope", PB_STRING, PB_Z, NULL),
	F(5, "namespace", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_networking_IngressClassParametersReference = { "IngressClassParametersReference", f_networking_IngressClassParametersReference, 5 };

static const struct pb_field f_networking_IngressClassSpec[] = {
	F(1, "controller", PB_STRING, 0, NULL),
	F(2, "parameters", PB_MSG, PB_E, &pb_m_networking_IngressClassParametersReference),
};
const struct pb_msg pb_m_networking_IngressClassSpec = { "IngressClassSpec", f_networking_IngressClassSpec, 2 };

static const struct pb_field f_networking_IngressClass[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_networking_IngressClassSpec),
};
const struct pb_msg pb_m_networking_IngressClass = { "IngressClass", f_networking_IngressClass, 2 };

static const struct pb_field f_networking_ParentReference[] = {
	F(1, "group", PB_STRING, 0, NULL),
	F(2, "resource", PB_STRING, 0, NULL),
	F(3, "namespace", PB_STRING, 0, NULL),
	F(4, "name", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_networking_ParentReference = { "ParentReference", f_networking_ParentReference, 4 };

static const struct pb_field f_networking_IPAddressSpec[] = {
	F(1, "parentRef", PB_MSG, PB_E, &pb_m_networking_ParentReference),
};
const struct pb_msg pb_m_networking_IPAddressSpec = { "IPAddressSpec", f_networking_IPAddressSpec, 1 };

static const struct pb_field f_networking_IPAddress[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_networking_IPAddressSpec),
};
const struct pb_msg pb_m_networking_IPAddress = { "IPAddress", f_networking_IPAddress, 2 };

static const struct pb_field f_networking_ServiceCIDRSpec[] = {
	F(1, "cidrs", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_networking_ServiceCIDRSpec = { "ServiceCIDRSpec", f_networking_ServiceCIDRSpec, 1 };

static const struct pb_field f_networking_ServiceCIDR[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_networking_ServiceCIDRSpec),
};
const struct pb_msg pb_m_networking_ServiceCIDR = { "ServiceCIDR", f_networking_ServiceCIDR, 2 };

const struct pb_kind pb_kinds[] = {
	{ "v1", "Namespace", &pb_m_core_Namespace },
	{ "v1", "Secret", &pb_m_core_Secret },
	{ "v1", "ConfigMap", &pb_m_core_ConfigMap },
	{ "v1", "ServiceAccount", &pb_m_core_ServiceAccount },
	{ "v1", "Service", &pb_m_core_Service },
	{ "v1", "Pod", &pb_m_core_Pod },
	{ "v1", "ResourceQuota", &pb_m_core_ResourceQuota },
	{ "authorization.k8s.io/v1", "SelfSubjectAccessReview", &pb_m_authorization_SelfSubjectAccessReview },
	{ "authorization.k8s.io/v1", "SelfSubjectRulesReview", &pb_m_authorization_SelfSubjectRulesReview },
	{ "authorization.k8s.io/v1", "SubjectAccessReview", &pb_m_authorization_SubjectAccessReview },
	{ "authorization.k8s.io/v1", "LocalSubjectAccessReview", &pb_m_authorization_LocalSubjectAccessReview },
	{ "authentication.k8s.io/v1", "SelfSubjectReview", &pb_m_authentication_SelfSubjectReview },
	{ "authentication.k8s.io/v1", "TokenRequest", &pb_m_authentication_TokenRequest },
	{ "v1", "DeleteOptions", &pb_m_meta_DeleteOptions },
	{ "meta.k8s.io/v1", "DeleteOptions", &pb_m_meta_DeleteOptions },
	{ "apps/v1", "Deployment", &pb_m_apps_Deployment },
	{ "batch/v1", "Job", &pb_m_batch_Job },
	{ "apps/v1", "StatefulSet", &pb_m_apps_StatefulSet },
	{ "apps/v1", "DaemonSet", &pb_m_apps_DaemonSet },
	{ "apps/v1", "ReplicaSet", &pb_m_apps_ReplicaSet },
	{ "v1", "PersistentVolumeClaim", &pb_m_core_PersistentVolumeClaim },
	{ "v1", "LimitRange", &pb_m_core_LimitRange },
	{ "batch/v1", "CronJob", &pb_m_batch_CronJob },
	{ "rbac.authorization.k8s.io/v1", "Role", &pb_m_rbac_Role },
	{ "rbac.authorization.k8s.io/v1", "ClusterRole", &pb_m_rbac_ClusterRole },
	{ "rbac.authorization.k8s.io/v1", "RoleBinding", &pb_m_rbac_RoleBinding },
	{ "rbac.authorization.k8s.io/v1", "ClusterRoleBinding", &pb_m_rbac_ClusterRoleBinding },
	{ "scheduling.k8s.io/v1", "PriorityClass", &pb_m_scheduling_PriorityClass },
	{ "policy/v1", "PodDisruptionBudget", &pb_m_policy_PodDisruptionBudget },
	{ "networking.k8s.io/v1", "Ingress", &pb_m_networking_Ingress },
	{ "v1", "PersistentVolume", &pb_m_core_PersistentVolume },
	{ "v1", "Endpoints", &pb_m_core_Endpoints },
	{ "v1", "PodTemplate", &pb_m_core_PodTemplate },
	{ "v1", "ReplicationController", &pb_m_core_ReplicationController },
	{ "v1", "Node", &pb_m_core_Node },
	{ "v1", "Event", &pb_m_core_Event },
	{ "networking.k8s.io/v1", "NetworkPolicy", &pb_m_networking_NetworkPolicy },
	{ "networking.k8s.io/v1", "IngressClass", &pb_m_networking_IngressClass },
	{ "networking.k8s.io/v1", "IPAddress", &pb_m_networking_IPAddress },
	{ "networking.k8s.io/v1", "ServiceCIDR", &pb_m_networking_ServiceCIDR },
	{ "storage.k8s.io/v1", "StorageClass", &pb_m_storage_StorageClass },
	{ "storage.k8s.io/v1", "CSIDriver", &pb_m_storage_CSIDriver },
	{ "storage.k8s.io/v1", "CSINode", &pb_m_storage_CSINode },
	{ "storage.k8s.io/v1", "CSIStorageCapacity", &pb_m_storage_CSIStorageCapacity },
	{ "storage.k8s.io/v1", "VolumeAttachment", &pb_m_storage_VolumeAttachment },
	{ "discovery.k8s.io/v1", "EndpointSlice", &pb_m_discovery_EndpointSlice },
	{ "autoscaling/v1", "HorizontalPodAutoscaler", &pb_m_autoscaling_HorizontalPodAutoscaler },
	{ "autoscaling/v2", "HorizontalPodAutoscaler", &pb_m_autoscalingv2_HorizontalPodAutoscaler },
	{ "coordination.k8s.io/v1", "Lease", &pb_m_coordination_Lease },
	{ "admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", &pb_m_admissionregistration_ValidatingWebhookConfiguration },
	{ "admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", &pb_m_admissionregistration_MutatingWebhookConfiguration },
	{ "admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", &pb_m_admissionregistration_ValidatingAdmissionPolicy },
	{ "admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding", &pb_m_admissionregistration_ValidatingAdmissionPolicyBinding },
	{ "node.k8s.io/v1", "RuntimeClass", &pb_m_node_RuntimeClass },
	{ "certificates.k8s.io/v1", "CertificateSigningRequest", &pb_m_certificates_CertificateSigningRequest },
	{ "events.k8s.io/v1", "Event", &pb_m_events_Event },
	{ "flowcontrol.apiserver.k8s.io/v1", "FlowSchema", &pb_m_flowcontrol_FlowSchema },
	{ "flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration", &pb_m_flowcontrol_PriorityLevelConfiguration },
	{ NULL, NULL, NULL },
};
