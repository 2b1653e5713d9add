/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pb_schema_core.c: protobuf schema tables (core/v1, part 1).
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

static const struct pb_field f_core_NamespaceSpec[] = {
	F(1, "finalizers", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_core_NamespaceSpec = { "NamespaceSpec", f_core_NamespaceSpec, 1 };

static const struct pb_field f_core_Namespace[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_core_NamespaceSpec),
};
const struct pb_msg pb_m_core_Namespace = { "Namespace", f_core_Namespace, 2 };

static const struct pb_field f_core_Secret[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(5, "immutable", PB_BOOL, PB_Z, NULL),
	F(2, "data", PB_MAP_BYTES, 0, NULL),
	F(4, "stringData", PB_MAP_STRING, 0, NULL),
	F(3, "type", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_Secret = { "Secret", f_core_Secret, 5 };

static const struct pb_field f_core_ConfigMap[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(4, "immutable", PB_BOOL, PB_Z, NULL),
	F(2, "data", PB_MAP_STRING, 0, NULL),
	F(3, "binaryData", PB_MAP_BYTES, 0, NULL),
};
const struct pb_msg pb_m_core_ConfigMap = { "ConfigMap", f_core_ConfigMap, 4 };

static const struct pb_field f_core_ObjectReference[] = {
	F(1, "kind", PB_STRING, 0, NULL),
	F(2, "namespace", PB_STRING, 0, NULL),
	F(3, "name", PB_STRING, 0, NULL),
	F(4, "uid", PB_STRING, 0, NULL),
	F(5, "apiVersion", PB_STRING, 0, NULL),
	F(6, "resourceVersion", PB_STRING, 0, NULL),
	F(7, "fieldPath", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_ObjectReference = { "ObjectReference", f_core_ObjectReference, 7 };

static const struct pb_field f_core_LocalObjectReference[] = {
	F(1, "name", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_LocalObjectReference = { "LocalObjectReference", f_core_LocalObjectReference, 1 };

static const struct pb_field f_core_ServiceAccount[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "secrets", PB_MSG, PB_R, &pb_m_core_ObjectReference),
	F(3, "imagePullSecrets", PB_MSG, PB_R, &pb_m_core_LocalObjectReference),
	F(4, "automountServiceAccountToken", PB_BOOL, PB_Z, NULL),
};
const struct pb_msg pb_m_core_ServiceAccount = { "ServiceAccount", f_core_ServiceAccount, 4 };

static const struct pb_field f_core_ServicePort[] = {
	F(1, "name", PB_STRING, 0, NULL),
	F(2, "protocol", PB_STRING, 0, NULL),
	F(6, "appProtocol", PB_STRING, PB_Z, NULL),
	F(3, "port", PB_INT32, PB_Z, NULL),
	F(4, "targetPort", PB_INTSTR, 0, NULL),
	F(5, "nodePort", PB_INT32, 0, NULL),
};
const struct pb_msg pb_m_core_ServicePort = { "ServicePort", f_core_ServicePort, 6 };

static const struct pb_field f_core_ClientIPConfig[] = {
	F(1, "timeoutSeconds", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_core_ClientIPConfig = { "ClientIPConfig", f_core_ClientIPConfig, 1 };

static const struct pb_field f_core_SessionAffinityConfig[] = {
	F(1, "clientIP", PB_MSG, PB_E, &pb_m_core_ClientIPConfig),
};
const struct pb_msg pb_m_core_SessionAffinityConfig = { "SessionAffinityConfig", f_core_SessionAffinityConfig, 1 };

static const struct pb_field f_core_ServiceSpec[] = {
	F(1, "ports", PB_MSG, PB_R, &pb_m_core_ServicePort),
	F(2, "selector", PB_MAP_STRING, 0, NULL),
	F(3, "clusterIP", PB_STRING, 0, NULL),
	F(18, "clusterIPs", PB_STRING, PB_R, NULL),
	F(4, "type", PB_STRING, 0, NULL),
	F(5, "externalIPs", PB_STRING, PB_R, NULL),
	F(7, "sessionAffinity", PB_STRING, 0, NULL),
	F(8, "loadBalancerIP", PB_STRING, 0, NULL),
	F(9, "loadBalancerSourceRanges", PB_STRING, PB_R, NULL),
	F(10, "externalName", PB_STRING, 0, NULL),
	F(11, "externalTrafficPolicy", PB_STRING, 0, NULL),
	F(12, "healthCheckNodePort", PB_INT32, 0, NULL),
	F(13, "publishNotReadyAddresses", PB_BOOL, 0, NULL),
	F(14, "sessionAffinityConfig", PB_MSG, PB_E, &pb_m_core_SessionAffinityConfig),
	F(19, "ipFamilies", PB_STRING, PB_R, NULL),
	F(17, "ipFamilyPolicy", PB_STRING, PB_Z, NULL),
	F(20, "allocateLoadBalancerNodePorts", PB_BOOL, PB_Z, NULL),
	F(21, "loadBalancerClass", PB_STRING, PB_Z, NULL),
	F(22, "internalTrafficPolicy", PB_STRING, PB_Z, NULL),
	F(23, "trafficDistribution", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_ServiceSpec = { "ServiceSpec", f_core_ServiceSpec, 20 };

static const struct pb_field f_core_Service[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_core_ServiceSpec),
};
const struct pb_msg pb_m_core_Service = { "Service", f_core_Service, 2 };

static const struct pb_field f_core_HostPathVolumeSource[] = {
	F(1, "path", PB_STRING, PB_Z, NULL),
	F(2, "type", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_HostPathVolumeSource = { "HostPathVolumeSource", f_core_HostPathVolumeSource, 2 };

static const struct pb_field f_core_EmptyDirVolumeSource[] = {
	F(1, "medium", PB_STRING, 0, NULL),
	F(2, "sizeLimit", PB_QUANTITY, 0, NULL),
	F(3, "mode", PB_INT32, PB_Z, NULL),
};
const struct pb_msg pb_m_core_EmptyDirVolumeSource = { "EmptyDirVolumeSource", f_core_EmptyDirVolumeSource, 3 };

static const struct pb_field f_core_GCEPersistentDiskVolumeSource[] = {
	F(1, "pdName", PB_STRING, PB_Z, NULL),
	F(2, "fsType", PB_STRING, 0, NULL),
	F(3, "partition", PB_INT32, 0, NULL),
	F(4, "readOnly", PB_BOOL, 0, NULL),
};
const struct pb_msg pb_m_core_GCEPersistentDiskVolumeSource = { "GCEPersistentDiskVolumeSource", f_core_GCEPersistentDiskVolumeSource, 4 };

static const struct pb_field f_core_AWSElasticBlockStoreVolumeSource[] = {
	F(1, "volumeID", PB_STRING, PB_Z, NULL),
	F(2, "fsType", PB_STRING, 0, NULL),
	F(3, "partition", PB_INT32, 0, NULL),
	F(4, "readOnly", PB_BOOL, 0, NULL),
};
const struct pb_msg pb_m_core_AWSElasticBlockStoreVolumeSource = { "AWSElasticBlockStoreVolumeSource", f_core_AWSElasticBlockStoreVolumeSource, 4 };

static const struct pb_field f_core_GitRepoVolumeSource[] = {
	F(1, "repository", PB_STRING, PB_Z, NULL),
	F(2, "revision", PB_STRING, 0, NULL),
	F(3, "directory", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_GitRepoVolumeSource = { "GitRepoVolumeSource", f_core_GitRepoVolumeSource, 3 };

static const struct pb_field f_core_KeyToPath[] = {
	F(1, "key", PB_STRING, PB_Z, NULL),
	F(2, "path", PB_STRING, PB_Z, NULL),
	F(3, "mode", PB_INT32, PB_Z, NULL),
	F(4, "user", PB_INT64, PB_Z, NULL),
};
const struct pb_msg pb_m_core_KeyToPath = { "KeyToPath", f_core_KeyToPath, 4 };

static const struct pb_field f_core_SecretVolumeSource[] = {
	F(1, "secretName", PB_STRING, 0, NULL),
	F(2, "items", PB_MSG, PB_R, &pb_m_core_KeyToPath),
	F(3, "defaultMode", PB_INT32, PB_Z, NULL),
	F(4, "optional", PB_BOOL, PB_Z, NULL),
	F(5, "defaultUser", PB_INT64, PB_Z, NULL),
};
const struct pb_msg pb_m_core_SecretVolumeSource = { "SecretVolumeSource", f_core_SecretVolumeSource, 5 };

static const struct pb_field f_core_NFSVolumeSource[] = {
	F(1, "server", PB_STRING, PB_Z, NULL),
	F(2, "path", PB_STRING, PB_Z, NULL),
	F(3, "readOnly", PB_BOOL, 0, NULL),
};
const struct pb_msg pb_m_core_NFSVolumeSource = { "NFSVolumeSource", f_core_NFSVolumeSource, 3 };

static const struct pb_field f_core_ISCSIVolumeSource[] = {
	F(1, "targetPortal", PB_STRING, PB_Z, NULL),
	F(2, "iqn", PB_STRING, PB_Z, NULL),
	F(3, "lun", PB_INT32, PB_Z, NULL),
	F(4, "iscsiInterface", PB_STRING, 0, NULL),
	F(5, "fsType", PB_STRING, 0, NULL),
	F(6, "readOnly", PB_BOOL, 0, NULL),
	F(7, "portals", PB_STRING, PB_R, NULL),
	F(8, "chapAuthDiscovery", PB_BOOL, 0, NULL),
	F(11, "chapAuthSession", PB_BOOL, 0, NULL),
	F(10, "secretRef", PB_MSG, PB_E, &pb_m_core_LocalObjectReference),
	F(12, "initiatorName", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_ISCSIVolumeSource = { "ISCSIVolumeSource", f_core_ISCSIVolumeSource, 11 };

static const struct pb_field f_core_GlusterfsVolumeSource[] = {
	F(1, "endpoints", PB_STRING, PB_Z, NULL),
	F(2, "path", PB_STRING, PB_Z, NULL),
	F(3, "readOnly", PB_BOOL, 0, NULL),
};
const struct pb_msg pb_m_core_GlusterfsVolumeSource = { "GlusterfsVolumeSource", f_core_GlusterfsVolumeSource, 3 };

static const struct pb_field f_core_PersistentVolumeClaimVolumeSource[] = {
	F(1, "claimName", PB_STRING, PB_Z, NULL),
	F(2, "readOnly", PB_BOOL, 0, NULL),
};
const struct pb_msg pb_m_core_PersistentVolumeClaimVolumeSource = { "PersistentVolumeClaimVolumeSource", f_core_PersistentVolumeClaimVolumeSource, 2 };

static const struct pb_field f_core_RBDVolumeSource[] = {
	F(1, "monitors", PB_STRING, PB_R, NULL),
	F(2, "image", PB_STRING, PB_Z, NULL),
	F(3, "fsType", PB_STRING, 0, NULL),
	F(4, "pool", PB_STRING, 0, NULL),
	F(5, "user", PB_STRING, 0, NULL),
	F(6, "keyring", PB_STRING, 0, NULL),
	F(7, "secretRef", PB_MSG, PB_E, &pb_m_core_LocalObjectReference),
	F(8, "readOnly", PB_BOOL, 0, NULL),
};
const struct pb_msg pb_m_core_RBDVolumeSource = { "RBDVolumeSource", f_core_RBDVolumeSource, 8 };

static const struct pb_field f_core_FlexVolumeSource[] = {
	F(1, "driver", PB_STRING, PB_Z, NULL),
	F(2, "fsType", PB_STRING, 0, NULL),
	F(3, "secretRef", PB_MSG, PB_E, &pb_m_core_LocalObjectReference),
	F(4, "readOnly", PB_BOOL, 0, NULL),
	F(5, "options", PB_MAP_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_FlexVolumeSource = { "FlexVolumeSource", f_core_FlexVolumeSource, 5 };

static const struct pb_field f_core_CinderVolumeSource[] = {
	F(1, "volumeID", PB_STRING, PB_Z, NULL),
	F(2, "fsType", PB_STRING, 0, NULL),
	F(3, "readOnly", PB_BOOL, 0, NULL),
	F(4, "secretRef", PB_MSG, PB_E, &pb_m_core_LocalObjectReference),
};
const struct pb_msg pb_m_core_CinderVolumeSource = { "CinderVolumeSource", f_core_CinderVolumeSource, 4 };

static const struct pb_field f_core_CephFSVolumeSource[] = {
	F(1, "monitors", PB_STRING, PB_R, NULL),
	F(2, "path", PB_STRING, 0, NULL),
	F(3, "user", PB_STRING, 0, NULL),
	F(4, "secretFile", PB_STRING, 0, NULL),
	F(5, "secretRef", PB_MSG, PB_E, &pb_m_core_LocalObjectReference),
	F(6, "readOnly", PB_BOOL, 0, NULL),
};
const struct pb_msg pb_m_core_CephFSVolumeSource = { "CephFSVolumeSource", f_core_CephFSVolumeSource, 6 };

static const struct pb_field f_core_FlockerVolumeSource[] = {
	F(1, "datasetName", PB_STRING, 0, NULL),
	F(2, "datasetUUID", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_FlockerVolumeSource = { "FlockerVolumeSource", f_core_FlockerVolumeSource, 2 };

static const struct pb_field f_core_ObjectFieldSelector[] = {
	F(1, "apiVersion", PB_STRING, 0, NULL),
	F(2, "fieldPath", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_ObjectFieldSelector = { "ObjectFieldSelector", f_core_ObjectFieldSelector, 2 };

static const struct pb_field f_core_ResourceFieldSelector[] = {
	F(1, "containerName", PB_STRING, 0, NULL),
	F(2, "resource", PB_STRING, PB_Z, NULL),
	F(3, "divisor", PB_QUANTITY, 0, NULL),
};
const struct pb_msg pb_m_core_ResourceFieldSelector = { "ResourceFieldSelector", f_core_ResourceFieldSelector, 3 };

static const struct pb_field f_core_DownwardAPIVolumeFile[] = {
	F(1, "path", PB_STRING, PB_Z, NULL),
	F(2, "fieldRef", PB_MSG, PB_E, &pb_m_core_ObjectFieldSelector),
	F(3, "resourceFieldRef", PB_MSG, PB_E, &pb_m_core_ResourceFieldSelector),
	F(4, "mode", PB_INT32, PB_Z, NULL),
	F(5, "user", PB_INT64, PB_Z, NULL),
};
const struct pb_msg pb_m_core_DownwardAPIVolumeFile = { "DownwardAPIVolumeFile", f_core_DownwardAPIVolumeFile, 5 };

static const struct pb_field f_core_DownwardAPIVolumeSource[] = {
	F(1, "items", PB_MSG, PB_R, &pb_m_core_DownwardAPIVolumeFile),
	F(2, "defaultMode", PB_INT32, PB_Z, NULL),
	F(3, "defaultUser", PB_INT64, PB_Z, NULL),
};
const struct pb_msg pb_m_core_DownwardAPIVolumeSource = { "DownwardAPIVolumeSource", f_core_DownwardAPIVolumeSource, 3 };

static const struct pb_field f_core_FCVolumeSource[] = {
	F(1, "targetWWNs", PB_STRING, PB_R, NULL),
	F(2, "lun", PB_INT32, PB_Z, NULL),
	F(3, "fsType", PB_STRING, 0, NULL),
	F(4, "readOnly", PB_BOOL, 0, NULL),
	F(5, "wwids", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_core_FCVolumeSource = { "FCVolumeSource", f_core_FCVolumeSource, 5 };

static const struct pb_field f_core_AzureFileVolumeSource[] = {
	F(1, "secretName", PB_STRING, PB_Z, NULL),
	F(2, "shareName", PB_STRING, PB_Z, NULL),
	F(3, "readOnly", PB_BOOL, 0, NULL),
};
const struct pb_msg pb_m_core_AzureFileVolumeSource = { "AzureFileVolumeSource", f_core_AzureFileVolumeSource, 3 };

static const struct pb_field f_core_ConfigMapVolumeSource[] = {
	F(1, "localObjectReference", PB_MSG, PB_I, &pb_m_core_LocalObjectReference),
	F(2, "items", PB_MSG, PB_R, &pb_m_core_KeyToPath),
	F(3, "defaultMode", PB_INT32, PB_Z, NULL),
	F(4, "optional", PB_BOOL, PB_Z, NULL),
	F(5, "defaultUser", PB_INT64, PB_Z, NULL),
};
const struct pb_msg pb_m_core_ConfigMapVolumeSource = { "ConfigMapVolumeSource", f_core_ConfigMapVolumeSource, 5 };

static const struct pb_field f_core_VsphereVirtualDiskVolumeSource[] = {
	F(1, "volumePath", PB_STRING, PB_Z, NULL),
	F(2, "fsType", PB_STRING, 0, NULL),
	F(3, "storagePolicyName", PB_STRING, 0, NULL),
	F(4, "storagePolicyID", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_VsphereVirtualDiskVolumeSource = { "VsphereVirtualDiskVolumeSource", f_core_VsphereVirtualDiskVolumeSource, 4 };

static const struct pb_field f_core_QuobyteVolumeSource[] = {
	F(1, "registry", PB_STRING, PB_Z, NULL),
	F(2, "volume", PB_STRING, PB_Z, NULL),
	F(3, "readOnly", PB_BOOL, 0, NULL),
	F(4, "user", PB_STRING, 0, NULL),
	F(5, "group", PB_STRING, 0, NULL),
	F(6, "tenant", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_QuobyteVolumeSource = { "QuobyteVolumeSource", f_core_QuobyteVolumeSource, 6 };

static const struct pb_field f_core_AzureDiskVolumeSource[] = {
	F(1, "diskName", PB_STRING, PB_Z, NULL),
	F(2, "diskURI", PB_STRING, PB_Z, NULL),
	F(3, "cachingMode", PB_STRING, PB_Z, NULL),
	F(4, "fsType", PB_STRING, PB_Z, NULL),
	F(5, "readOnly", PB_BOOL, PB_Z, NULL),
	F(6, "kind", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_AzureDiskVolumeSource = { "AzureDiskVolumeSource", f_core_AzureDiskVolumeSource, 6 };

static const struct pb_field f_core_PhotonPersistentDiskVolumeSource[] = {
	F(1, "pdID", PB_STRING, PB_Z, NULL),
	F(2, "fsType", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_PhotonPersistentDiskVolumeSource = { "PhotonPersistentDiskVolumeSource", f_core_PhotonPersistentDiskVolumeSource, 2 };

static const struct pb_field f_core_SecretProjection[] = {
	F(1, "localObjectReference", PB_MSG, PB_I, &pb_m_core_LocalObjectReference),
	F(2, "items", PB_MSG, PB_R, &pb_m_core_KeyToPath),
	F(4, "optional", PB_BOOL, PB_Z, NULL),
};
const struct pb_msg pb_m_core_SecretProjection = { "SecretProjection", f_core_SecretProjection, 3 };

static const struct pb_field f_core_DownwardAPIProjection[] = {
	F(1, "items", PB_MSG, PB_R, &pb_m_core_DownwardAPIVolumeFile),
};
const struct pb_msg pb_m_core_DownwardAPIProjection = { "DownwardAPIProjection", f_core_DownwardAPIProjection, 1 };

static const struct pb_field f_core_ConfigMapProjection[] = {
	F(1, "localObjectReference", PB_MSG, PB_I, &pb_m_core_LocalObjectReference),
	F(2, "items", PB_MSG, PB_R, &pb_m_core_KeyToPath),
	F(4, "optional", PB_BOOL, PB_Z, NULL),
};
const struct pb_msg pb_m_core_ConfigMapProjection = { "ConfigMapProjection", f_core_ConfigMapProjection, 3 };

static const struct pb_field f_core_ServiceAccountTokenProjection[] = {
	F(1, "audience", PB_STRING, 0, NULL),
	F(2, "expirationSeconds", PB_INT64, PB_Z, NULL),
	F(3, "path", PB_STRING, PB_Z, NULL),
	F(4, "user", PB_INT64, PB_Z, NULL),
};
const struct pb_msg pb_m_core_ServiceAccountTokenProjection = { "ServiceAccountTokenProjection", f_core_ServiceAccountTokenProjection, 4 };

static const struct pb_field f_core_ClusterTrustBundleProjection[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "signerName", PB_STRING, PB_Z, NULL),
	F(3, "labelSelector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(5, "optional", PB_BOOL, PB_Z, NULL),
	F(4, "path", PB_STRING, PB_Z, NULL),
	F(6, "user", PB_INT64, PB_Z, NULL),
};
const struct pb_msg pb_m_core_ClusterTrustBundleProjection = { "ClusterTrustBundleProjection", f_core_ClusterTrustBundleProjection, 6 };

static const struct pb_field f_core_PodCertificateProjection[] = {
	F(1, "signerName", PB_STRING, 0, NULL),
	F(2, "keyType", PB_STRING, 0, NULL),
	F(3, "maxExpirationSeconds", PB_INT32, PB_Z, NULL),
	F(4, "credentialBundlePath", PB_STRING, 0, NULL),
	F(5, "keyPath", PB_STRING, 0, NULL),
	F(6, "certificateChainPath", PB_STRING, 0, NULL),
	F(7, "userAnnotations", PB_MAP_STRING, 0, NULL),
	F(8, "user", PB_INT64, PB_Z, NULL),
};
const struct pb_msg pb_m_core_PodCertificateProjection = { "PodCertificateProjection", f_core_PodCertificateProjection, 8 };

static const struct pb_field f_core_VolumeProjection[] = {
	F(1, "secret", PB_MSG, PB_E, &pb_m_core_SecretProjection),
	F(2, "downwardAPI", PB_MSG, PB_E, &pb_m_core_DownwardAPIProjection),
	F(3, "configMap", PB_MSG, PB_E, &pb_m_core_ConfigMapProjection),
	F(4, "serviceAccountToken", PB_MSG, PB_E, &pb_m_core_ServiceAccountTokenProjection),
	F(5, "clusterTrustBundle", PB_MSG, PB_E, &pb_m_core_ClusterTrustBundleProjection),
	F(6, "podCertificate", PB_MSG, PB_E, &pb_m_core_PodCertificateProjection),
};
const struct pb_msg pb_m_core_VolumeProjection = { "VolumeProjection", f_core_VolumeProjection, 6 };

static const struct pb_field f_core_ProjectedVolumeSource[] = {
	F(1, "sources", PB_MSG, PB_R, &pb_m_core_VolumeProjection),
	F(2, "defaultMode", PB_INT32, PB_Z, NULL),
	F(3, "defaultUser", PB_INT64, PB_Z, NULL),
};
const struct pb_msg pb_m_core_ProjectedVolumeSource = { "ProjectedVolumeSource", f_core_ProjectedVolumeSource, 3 };

static const struct pb_field f_core_PortworxVolumeSource[] = {
	F(1, "volumeID", PB_STRING, PB_Z, NULL),
	F(2, "fsType", PB_STRING, 0, NULL),
	F(3, "readOnly", PB_BOOL, 0, NULL),
};
const struct pb_msg pb_m_core_PortworxVolumeSource = { "PortworxVolumeSource", f_core_PortworxVolumeSource, 3 };

static const struct pb_field f_core_ScaleIOVolumeSource[] = {
	F(1, "gateway", PB_STRING, PB_Z, NULL),
	F(2, "system", PB_STRING, PB_Z, NULL),
	F(3, "secretRef", PB_MSG, PB_E, &pb_m_core_LocalObjectReference),
	F(4, "sslEnabled", PB_BOOL, 0, NULL),
	F(5, "protectionDomain", PB_STRING, 0, NULL),
	F(6, "storagePool", PB_STRING, 0, NULL),
	F(7, "storageMode", PB_STRING, 0, NULL),
	F(8, "volumeName", PB_STRING, 0, NULL),
	F(9, "fsType", PB_STRING, 0, NULL),
	F(10, "readOnly", PB_BOOL, 0, NULL),
};
const struct pb_msg pb_m_core_ScaleIOVolumeSource = { "ScaleIOVolumeSource", f_core_ScaleIOVolumeSource, 10 };

static const struct pb_field f_core_StorageOSVolumeSource[] = {
	F(1, "volumeName", PB_STRING, 0, NULL),
	F(2, "volumeNamespace", PB_STRING, 0, NULL),
	F(3, "fsType", PB_STRING, 0, NULL),
	F(4, "readOnly", PB_BOOL, 0, NULL),
	F(5, "secretRef", PB_MSG, PB_E, &pb_m_core_LocalObjectReference),
};
const struct pb_msg pb_m_core_StorageOSVolumeSource = { "StorageOSVolumeSource", f_core_StorageOSVolumeSource, 5 };

static const struct pb_field f_core_CSIVolumeSource[] = {
	F(1, "driver", PB_STRING, PB_Z, NULL),
	F(2, "readOnly", PB_BOOL, PB_Z, NULL),
	F(3, "fsType", PB_STRING, PB_Z, NULL),
	F(4, "volumeAttributes", PB_MAP_STRING, 0, NULL),
	F(5, "nodePublishSecretRef", PB_MSG, PB_E, &pb_m_core_LocalObjectReference),
};
const struct pb_msg pb_m_core_CSIVolumeSource = { "CSIVolumeSource", f_core_CSIVolumeSource, 5 };

static const struct pb_field f_core_VolumeResourceRequirements[] = {
	F(1, "limits", PB_MAP_QUANTITY, 0, NULL),
	F(2, "requests", PB_MAP_QUANTITY, 0, NULL),
};
const struct pb_msg pb_m_core_VolumeResourceRequirements = { "VolumeResourceRequirements", f_core_VolumeResourceRequirements, 2 };

static const struct pb_field f_core_TypedLocalObjectReference[] = {
	F(1, "apiGroup", PB_STRING, PB_Z, NULL),
	F(2, "kind", PB_STRING, PB_Z, NULL),
	F(3, "name", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_TypedLocalObjectReference = { "TypedLocalObjectReference", f_core_TypedLocalObjectReference, 3 };

static const struct pb_field f_core_TypedObjectReference[] = {
	F(1, "apiGroup", PB_STRING, PB_Z, NULL),
	F(2, "kind", PB_STRING, PB_Z, NULL),
	F(3, "name", PB_STRING, PB_Z, NULL),
	F(4, "namespace", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_TypedObjectReference = { "TypedObjectReference", f_core_TypedObjectReference, 4 };

static const struct pb_field f_core_PersistentVolumeClaimSpec[] = {
	F(1, "accessModes", PB_STRING, PB_R, NULL),
	F(4, "selector", PB_MSG, PB_E, &pb_m_meta_LabelSelector),
	F(2, "resources", PB_MSG, 0, &pb_m_core_VolumeResourceRequirements),
	F(3, "volumeName", PB_STRING, 0, NULL),
	F(5, "storageClassName", PB_STRING, PB_Z, NULL),
	F(6, "volumeMode", PB_STRING, PB_Z, NULL),
	F(7, "dataSource", PB_MSG, PB_E, &pb_m_core_TypedLocalObjectReference),
	F(8, "dataSourceRef", PB_MSG, PB_E, &pb_m_core_TypedObjectReference),
	F(9, "volumeAttributesClassName", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_PersistentVolumeClaimSpec = { "PersistentVolumeClaimSpec", f_core_PersistentVolumeClaimSpec, 9 };

static const struct pb_field f_core_PersistentVolumeClaimTemplate[] = {
	F(1, "metadata", PB_MSG, 0, &pb_m_meta_ObjectMeta),
	F(2, "spec", PB_MSG, 0, &pb_m_core_PersistentVolumeClaimSpec),
};
const struct pb_msg pb_m_core_PersistentVolumeClaimTemplate = { "PersistentVolumeClaimTemplate", f_core_PersistentVolumeClaimTemplate, 2 };

static const struct pb_field f_core_EphemeralVolumeSource[] = {
	F(1, "volumeClaimTemplate", PB_MSG, PB_E, &pb_m_core_PersistentVolumeClaimTemplate),
};
const struct pb_msg pb_m_core_EphemeralVolumeSource = { "EphemeralVolumeSource", f_core_EphemeralVolumeSource, 1 };

static const struct pb_field f_core_ImageVolumeSource[] = {
	F(1, "reference", PB_STRING, 0, NULL),
	F(2, "pullPolicy", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_ImageVolumeSource = { "ImageVolumeSource", f_core_ImageVolumeSource, 2 };

static const struct pb_field f_core_VolumeSource[] = {
	F(1, "hostPath", PB_MSG, PB_E, &pb_m_core_HostPathVolumeSource),
	F(2, "emptyDir", PB_MSG, PB_E, &pb_m_core_EmptyDirVolumeSource),
	F(3, "gcePersistentDisk", PB_MSG, PB_E, &pb_m_core_GCEPersistentDiskVolumeSource),
	F(4, "awsElasticBlockStore", PB_MSG, PB_E, &pb_m_core_AWSElasticBlockStoreVolumeSource),
	F(5, "gitRepo", PB_MSG, PB_E, &pb_m_core_GitRepoVolumeSource),
	F(6, "secret", PB_MSG, PB_E, &pb_m_core_SecretVolumeSource),
	F(7, "nfs", PB_MSG, PB_E, &pb_m_core_NFSVolumeSource),
	F(8, "iscsi", PB_MSG, PB_E, &pb_m_core_ISCSIVolumeSource),
	F(9, "glusterfs", PB_MSG, PB_E, &pb_m_core_GlusterfsVolumeSource),
	F(10, "persistentVolumeClaim", PB_MSG, PB_E, &pb_m_core_PersistentVolumeClaimVolumeSource),
	F(11, "rbd", PB_MSG, PB_E, &pb_m_core_RBDVolumeSource),
	F(12, "flexVolume", PB_MSG, PB_E, &pb_m_core_FlexVolumeSource),
	F(13, "cinder", PB_MSG, PB_E, &pb_m_core_CinderVolumeSource),
	F(14, "cephfs", PB_MSG, PB_E, &pb_m_core_CephFSVolumeSource),
	F(15, "flocker", PB_MSG, PB_E, &pb_m_core_FlockerVolumeSource),
	F(16, "downwardAPI", PB_MSG, PB_E, &pb_m_core_DownwardAPIVolumeSource),
	F(17, "fc", PB_MSG, PB_E, &pb_m_core_FCVolumeSource),
	F(18, "azureFile", PB_MSG, PB_E, &pb_m_core_AzureFileVolumeSource),
	F(19, "configMap", PB_MSG, PB_E, &pb_m_core_ConfigMapVolumeSource),
	F(20, "vsphereVolume", PB_MSG, PB_E, &pb_m_core_VsphereVirtualDiskVolumeSource),
	F(21, "quobyte", PB_MSG, PB_E, &pb_m_core_QuobyteVolumeSource),
	F(22, "azureDisk", PB_MSG, PB_E, &pb_m_core_AzureDiskVolumeSource),
	F(23, "photonPersistentDisk", PB_MSG, PB_E, &pb_m_core_PhotonPersistentDiskVolumeSource),
	F(26, "projected", PB_MSG, PB_E, &pb_m_core_ProjectedVolumeSource),
	F(24, "portworxVolume", PB_MSG, PB_E, &pb_m_core_PortworxVolumeSource),
	F(25, "scaleIO", PB_MSG, PB_E, &pb_m_core_ScaleIOVolumeSource),
	F(27, "storageos", PB_MSG, PB_E, &pb_m_core_StorageOSVolumeSource),
	F(28, "csi", PB_MSG, PB_E, &pb_m_core_CSIVolumeSource),
	F(29, "ephemeral", PB_MSG, PB_E, &pb_m_core_EphemeralVolumeSource),
	F(30, "image", PB_MSG, PB_E, &pb_m_core_ImageVolumeSource),
};
const struct pb_msg pb_m_core_VolumeSource = { "VolumeSource", f_core_VolumeSource, 30 };

static const struct pb_field f_core_Volume[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "volumeSource", PB_MSG, PB_I, &pb_m_core_VolumeSource),
};
const struct pb_msg pb_m_core_Volume = { "Volume", f_core_Volume, 2 };

static const struct pb_field f_core_ContainerPort[] = {
	F(1, "name", PB_STRING, 0, NULL),
	F(2, "hostPort", PB_INT32, 0, NULL),
	F(3, "containerPort", PB_INT32, PB_Z, NULL),
	F(4, "protocol", PB_STRING, 0, NULL),
	F(5, "hostIP", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_ContainerPort = { "ContainerPort", f_core_ContainerPort, 5 };

static const struct pb_field f_core_ConfigMapEnvSource[] = {
	F(1, "localObjectReference", PB_MSG, PB_I, &pb_m_core_LocalObjectReference),
	F(2, "optional", PB_BOOL, PB_Z, NULL),
};
const struct pb_msg pb_m_core_ConfigMapEnvSource = { "ConfigMapEnvSource", f_core_ConfigMapEnvSource, 2 };

static const struct pb_field f_core_SecretEnvSource[] = {
	F(1, "localObjectReference", PB_MSG, PB_I, &pb_m_core_LocalObjectReference),
	F(2, "optional", PB_BOOL, PB_Z, NULL),
};
const struct pb_msg pb_m_core_SecretEnvSource = { "SecretEnvSource", f_core_SecretEnvSource, 2 };

static const struct pb_field f_core_EnvFromSource[] = {
	F(1, "prefix", PB_STRING, 0, NULL),
	F(2, "configMapRef", PB_MSG, PB_E, &pb_m_core_ConfigMapEnvSource),
	F(3, "secretRef", PB_MSG, PB_E, &pb_m_core_SecretEnvSource),
};
const struct pb_msg pb_m_core_EnvFromSource = { "EnvFromSource", f_core_EnvFromSource, 3 };

static const struct pb_field f_core_ConfigMapKeySelector[] = {
	F(1, "localObjectReference", PB_MSG, PB_I, &pb_m_core_LocalObjectReference),
	F(2, "key", PB_STRING, PB_Z, NULL),
	F(3, "optional", PB_BOOL, PB_Z, NULL),
};
const struct pb_msg pb_m_core_ConfigMapKeySelector = { "ConfigMapKeySelector", f_core_ConfigMapKeySelector, 3 };

static const struct pb_field f_core_SecretKeySelector[] = {
	F(1, "localObjectReference", PB_MSG, PB_I, &pb_m_core_LocalObjectReference),
	F(2, "key", PB_STRING, PB_Z, NULL),
	F(3, "optional", PB_BOOL, PB_Z, NULL),
};
const struct pb_msg pb_m_core_SecretKeySelector = { "SecretKeySelector", f_core_SecretKeySelector, 3 };

static const struct pb_field f_core_FileKeySelector[] = {
	F(1, "volumeName", PB_STRING, PB_Z, NULL),
	F(2, "path", PB_STRING, PB_Z, NULL),
	F(3, "key", PB_STRING, PB_Z, NULL),
	F(4, "optional", PB_BOOL, PB_Z, NULL),
};
const struct pb_msg pb_m_core_FileKeySelector = { "FileKeySelector", f_core_FileKeySelector, 4 };

static const struct pb_field f_core_EnvVarSource[] = {
	F(1, "fieldRef", PB_MSG, PB_E, &pb_m_core_ObjectFieldSelector),
	F(2, "resourceFieldRef", PB_MSG, PB_E, &pb_m_core_ResourceFieldSelector),
	F(3, "configMapKeyRef", PB_MSG, PB_E, &pb_m_core_ConfigMapKeySelector),
	F(4, "secretKeyRef", PB_MSG, PB_E, &pb_m_core_SecretKeySelector),
	F(5, "fileKeyRef", PB_MSG, PB_E, &pb_m_core_FileKeySelector),
};
const struct pb_msg pb_m_core_EnvVarSource = { "EnvVarSource", f_core_EnvVarSource, 5 };

static const struct pb_field f_core_EnvVar[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "value", PB_STRING, 0, NULL),
	F(3, "valueFrom", PB_MSG, PB_E, &pb_m_core_EnvVarSource),
};
const struct pb_msg pb_m_core_EnvVar = { "EnvVar", f_core_EnvVar, 3 };

static const struct pb_field f_core_ResourceClaim[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "request", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_ResourceClaim = { "ResourceClaim", f_core_ResourceClaim, 2 };

static const struct pb_field f_core_ResourceRequirements[] = {
	F(1, "limits", PB_MAP_QUANTITY, 0, NULL),
	F(2, "requests", PB_MAP_QUANTITY, 0, NULL),
	F(3, "claims", PB_MSG, PB_R, &pb_m_core_ResourceClaim),
};
const struct pb_msg pb_m_core_ResourceRequirements = { "ResourceRequirements", f_core_ResourceRequirements, 3 };

static const struct pb_field f_core_ContainerResizePolicy[] = {
	F(1, "resourceName", PB_STRING, PB_Z, NULL),
	F(2, "restartPolicy", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_ContainerResizePolicy = { "ContainerResizePolicy", f_core_ContainerResizePolicy, 2 };

static const struct pb_field f_core_ContainerRestartRuleOnExitCodes[] = {
	F(1, "operator", PB_STRING, 0, NULL),
	F(2, "values", PB_INT32, PB_R, NULL),
};
const struct pb_msg pb_m_core_ContainerRestartRuleOnExitCodes = { "ContainerRestartRuleOnExitCodes", f_core_ContainerRestartRuleOnExitCodes, 2 };

static const struct pb_field f_core_ContainerRestartRule[] = {
	F(1, "action", PB_STRING, 0, NULL),
	F(2, "exitCodes", PB_MSG, PB_E, &pb_m_core_ContainerRestartRuleOnExitCodes),
};
const struct pb_msg pb_m_core_ContainerRestartRule = { "ContainerRestartRule", f_core_ContainerRestartRule, 2 };

static const struct pb_field f_core_VolumeMount[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "readOnly", PB_BOOL, 0, NULL),
	F(7, "recursiveReadOnly", PB_STRING, PB_Z, NULL),
	F(3, "mountPath", PB_STRING, PB_Z, NULL),
	F(4, "subPath", PB_STRING, 0, NULL),
	F(5, "mountPropagation", PB_STRING, PB_Z, NULL),
	F(6, "subPathExpr", PB_STRING, 0, NULL),
	F(8, "bindMountOptions", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_core_VolumeMount = { "VolumeMount", f_core_VolumeMount, 8 };

static const struct pb_field f_core_VolumeDevice[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "devicePath", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_VolumeDevice = { "VolumeDevice", f_core_VolumeDevice, 2 };

static const struct pb_field f_core_ExecAction[] = {
	F(1, "command", PB_STRING, PB_R, NULL),
};
const struct pb_msg pb_m_core_ExecAction = { "ExecAction", f_core_ExecAction, 1 };

static const struct pb_field f_core_HTTPHeader[] = {
	F(1, "name", PB_STRING, PB_Z, NULL),
	F(2, "value", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_HTTPHeader = { "HTTPHeader", f_core_HTTPHeader, 2 };

static const struct pb_field f_core_HTTPGetAction[] = {
	F(1, "path", PB_STRING, 0, NULL),
	F(2, "port", PB_INTSTR, 0, NULL),
	F(3, "host", PB_STRING, 0, NULL),
	F(4, "scheme", PB_STRING, 0, NULL),
	F(5, "httpHeaders", PB_MSG, PB_R, &pb_m_core_HTTPHeader),
	F(6, "protocol", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_HTTPGetAction = { "HTTPGetAction", f_core_HTTPGetAction, 6 };

static const struct pb_field f_core_TCPSocketAction[] = {
	F(1, "port", PB_INTSTR, 0, NULL),
	F(2, "host", PB_STRING, 0, NULL),
};
const struct pb_msg pb_m_core_TCPSocketAction = { "TCPSocketAction", f_core_TCPSocketAction, 2 };

static const struct pb_field f_core_GRPCAction[] = {
	F(1, "port", PB_INT32, PB_Z, NULL),
	F(2, "service", PB_STRING, PB_Z, NULL),
	F(3, "mode", PB_STRING, PB_Z, NULL),
};
const struct pb_msg pb_m_core_GRPCAction = { "GRPCAction", f_core_GRPCAction, 3 };

static const struct pb_field f_core_ProbeHandler[] = {
	F(1, "exec", PB_MSG, PB_E, &pb_m_core_ExecAction),
	F(2, "httpGet", PB_MSG, PB_E, &pb_m_core_HTTPGetAction),
	F(3, "tcpSocket", PB_MSG, PB_E, &pb_m_core_TCPSocketAction),
	F(4, "grpc", PB_MSG, PB_E, &pb_m_core_GRPCAction),
};
const struct pb_msg pb_m_core_ProbeHandler = { "ProbeHandler", f_core_ProbeHandler, 4 };

static const struct pb_field f_core_Probe[] = {
	F(1, "handler", PB_MSG, PB_I, &pb_m_core_ProbeHandler),
	F(2, "initialDelaySeconds", PB_INT32, 0, NULL),
	F(3, "timeoutSeconds", PB_INT32, 0, NULL),
	F(4, "periodSeconds", PB_INT32, 0, NULL),
	F(5, "successThreshold", PB_INT32, 0, NULL),
	F(6, "failureThreshold", PB_INT32, 0, NULL),
	F(7, "terminationGracePeriodSeconds", PB_INT64, PB_Z, NULL),
};
const struct pb_msg pb_m_core_Probe = { "Probe", f_core_Probe, 7 };

static const struct pb_field f_core_SleepAction[] = {
	F(1, "seconds", PB_INT64, PB_Z, NULL),
};
const struct pb_msg pb_m_core_SleepAction = { "SleepAction", f_core_SleepAction, 1 };

