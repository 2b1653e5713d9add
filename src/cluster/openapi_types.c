/* SPDX-License-Identifier: Apache-2.0 */
/*
 * openapi_types: the types kdeck models field by field in its OpenAPI
 * documents, as data.  Everything a kind needs for `kubectl explain` of
 * the workloads people learn first (Pods, Deployments, Services,
 * ConfigMaps, Secrets) is here; other kinds are described generically and
 * accept any fields (x-kubernetes-preserve-unknown-fields).
 *
 * A field type is one of:
 *   "string" "integer" "boolean" "number"
 *   "map"              map of strings
 *   "quantities"       map of quantities (resources)
 *   "any"              object, any fields
 *   "int-or-string"
 *   "[]string"         list of strings (atomic)
 *   "[]string+"        list of strings merged as a set (finalizers)
 *   "[]any"            list of objects (atomic)
 *   "@Type"            a modelled type
 *   "[]@Type"          list of a modelled type (atomic)
 *   "[]@Type/key"      list merged by key (patch strategy merge)
 * The descriptions are kdeck's own words.
 */
#include "config.h"

#include <stddef.h>

#include "cluster/openapi_int.h"

#define CORE "io.k8s.api.core.v1."
#define APPS "io.k8s.api.apps.v1."
#define META "io.k8s.apimachinery.pkg.apis.meta.v1."

static const struct oa_field object_meta[] = {
	{ "name", "string", "Name of the object, unique within its namespace (or the cluster for cluster-scoped kinds)." },
	{ "generateName", "string", "Prefix the server uses to generate a unique name when name is empty." },
	{ "namespace", "string", "Namespace the object lives in." },
	{ "uid", "string", "Unique identifier the server assigns at creation." },
	{ "resourceVersion", "string", "Opaque version of the object, used for optimistic concurrency and watches." },
	{ "generation", "integer", "Sequence number of changes to the desired state." },
	{ "creationTimestamp", "string", "When the object was created (RFC 3339)." },
	{ "deletionTimestamp", "string", "When the object will be deleted; set by the server on graceful deletion." },
	{ "deletionGracePeriodSeconds", "integer", "Seconds allowed for graceful termination." },
	{ "labels", "map", "Key/value pairs used to organise and select objects." },
	{ "annotations", "map", "Key/value pairs for arbitrary non-identifying metadata." },
	{ "ownerReferences", "[]@" META "OwnerReference/uid", "Objects this object depends on; used by garbage collection." },
	{ "finalizers", "[]string+", "Conditions that must be cleared before the object is deleted." },
	{ "managedFields", "[]any", "Which field manager owns which fields (server-side apply)." },
	{ "selfLink", "string", "Deprecated; never set by the server." },
	{ NULL, NULL, NULL }
};

static const struct oa_field owner_reference[] = {
	{ "apiVersion", "string", "API version of the owner." },
	{ "kind", "string", "Kind of the owner." },
	{ "name", "string", "Name of the owner." },
	{ "uid", "string", "UID of the owner." },
	{ "controller", "boolean", "Whether the owner is the managing controller." },
	{ "blockOwnerDeletion", "boolean", "Whether foreground deletion of the owner waits for this object." },
	{ NULL, NULL, NULL }
};

static const struct oa_field label_selector[] = {
	{ "matchLabels", "map", "Labels an object must carry, all of them." },
	{ "matchExpressions", "[]@" META "LabelSelectorRequirement", "Set-based requirements, all of which must hold." },
	{ NULL, NULL, NULL }
};

static const struct oa_field label_selector_req[] = {
	{ "key", "string", "The label key." },
	{ "operator", "string", "In, NotIn, Exists or DoesNotExist." },
	{ "values", "[]string", "Values for In and NotIn." },
	{ NULL, NULL, NULL }
};

static const struct oa_field deployment_spec[] = {
	{ "replicas", "integer", "Number of desired pods (default 1)." },
	{ "selector", "@" META "LabelSelector", "Label selector for the pods this Deployment manages; must match the template's labels." },
	{ "template", "@" CORE "PodTemplateSpec", "The pods to create." },
	{ "strategy", "@" APPS "DeploymentStrategy", "How existing pods are replaced by new ones." },
	{ "minReadySeconds", "integer", "Seconds a new pod must be ready before it counts as available." },
	{ "revisionHistoryLimit", "integer", "Old ReplicaSets kept for rollback (default 10)." },
	{ "paused", "boolean", "Whether the rollout is paused." },
	{ "progressDeadlineSeconds", "integer", "Seconds before a stalled rollout is reported as failed (default 600)." },
	{ NULL, NULL, NULL }
};

static const struct oa_field deployment_strategy[] = {
	{ "type", "string", "Recreate or RollingUpdate (default)." },
	{ "rollingUpdate", "@" APPS "RollingUpdateDeployment", "Parameters of a rolling update; only with type RollingUpdate." },
	{ NULL, NULL, NULL }
};

static const struct oa_field rolling_update[] = {
	{ "maxUnavailable", "int-or-string", "Pods that may be unavailable during the update, a number or a percentage (default 25%)." },
	{ "maxSurge", "int-or-string", "Pods that may be created above the desired count, a number or a percentage (default 25%)." },
	{ NULL, NULL, NULL }
};

static const struct oa_field deployment_status[] = {
	{ "observedGeneration", "integer", "Generation the controller last acted on." },
	{ "replicas", "integer", "Pods targeted by this Deployment." },
	{ "updatedReplicas", "integer", "Pods with the current template." },
	{ "readyReplicas", "integer", "Ready pods." },
	{ "availableReplicas", "integer", "Pods ready for at least minReadySeconds." },
	{ "unavailableReplicas", "integer", "Pods still needed for full availability." },
	{ "conditions", "[]any", "Available and Progressing conditions." },
	{ "collisionCount", "integer", "Hash collision count for ReplicaSet names." },
	{ "terminatingReplicas", "integer", "Pods being terminated." },
	{ NULL, NULL, NULL }
};

static const struct oa_field pod_template_spec[] = {
	{ "metadata", "@" META "ObjectMeta", "Metadata of the pods created from this template." },
	{ "spec", "@" CORE "PodSpec", "Specification of the pods." },
	{ NULL, NULL, NULL }
};

static const struct oa_field pod_spec[] = {
	{ "containers", "[]@" CORE "Container/name", "The containers of the pod; at least one." },
	{ "initContainers", "[]@" CORE "Container/name", "Containers run to completion, in order, before the others start." },
	{ "volumes", "[]@" CORE "Volume/name", "Volumes the containers can mount." },
	{ "restartPolicy", "string", "Always (default), OnFailure or Never." },
	{ "terminationGracePeriodSeconds", "integer", "Seconds between SIGTERM and SIGKILL on deletion (default 30)." },
	{ "activeDeadlineSeconds", "integer", "Seconds the pod may run before it is failed." },
	{ "dnsPolicy", "string", "ClusterFirst (default), Default, None or ClusterFirstWithHostNet." },
	{ "nodeSelector", "map", "Labels a node must have for the pod to be scheduled there." },
	{ "nodeName", "string", "The node the pod is bound to." },
	{ "serviceAccountName", "string", "ServiceAccount the pod runs as." },
	{ "hostNetwork", "boolean", "Use the node's network namespace." },
	{ "imagePullSecrets", "[]@" CORE "LocalObjectReference/name", "Secrets used to pull the images." },
	{ "affinity", "any", "Node and pod (anti-)affinity rules." },
	{ "tolerations", "[]any", "Taints the pod tolerates." },
	{ "securityContext", "any", "Pod-level security settings." },
	{ "schedulerName", "string", "Scheduler responsible for the pod." },
	{ "priorityClassName", "string", "PriorityClass of the pod." },
	{ "hostAliases", "[]any", "Extra entries for the pod's /etc/hosts." },
	{ "ephemeralContainers", "[]any", "Debugging containers added to a running pod." },
	{ "serviceAccount", "string", "Deprecated alias of serviceAccountName." },
	{ "automountServiceAccountToken", "boolean", "Mount the service account token." },
	{ "hostPID", "boolean", "Use the node's PID namespace." },
	{ "hostIPC", "boolean", "Use the node's IPC namespace." },
	{ "shareProcessNamespace", "boolean", "One PID namespace for all containers." },
	{ "hostname", "string", "Hostname of the pod." },
	{ "subdomain", "string", "Subdomain of the pod." },
	{ "priority", "integer", "Priority value." },
	{ "dnsConfig", "any", "DNS parameters." },
	{ "readinessGates", "[]any", "Extra conditions for readiness." },
	{ "runtimeClassName", "string", "RuntimeClass to run the pod with." },
	{ "enableServiceLinks", "boolean", "Inject Service environment variables." },
	{ "preemptionPolicy", "string", "Never or PreemptLowerPriority." },
	{ "overhead", "quantities", "Resource overhead of the runtime." },
	{ "topologySpreadConstraints", "[]any", "How pods spread across topology domains." },
	{ "setHostnameAsFQDN", "boolean", "Use the FQDN as hostname." },
	{ "os", "any", "Operating system of the pod." },
	{ "hostUsers", "boolean", "Use the host user namespace." },
	{ "schedulingGates", "[]any", "Gates that block scheduling." },
	{ "resourceClaims", "[]any", "Dynamic resource claims." },
	{ "resources", "@io.k8s.api.core.v1.ResourceRequirements", "Pod-level resources." },
	{ NULL, NULL, NULL }
};

static const struct oa_field container[] = {
	{ "name", "string", "Name of the container, unique within the pod." },
	{ "image", "string", "Container image reference." },
	{ "command", "[]string", "Entrypoint; replaces the image's ENTRYPOINT." },
	{ "args", "[]string", "Arguments; replace the image's CMD." },
	{ "workingDir", "string", "Working directory." },
	{ "ports", "[]@" CORE "ContainerPort/containerPort", "Ports the container exposes (informational)." },
	{ "env", "[]@" CORE "EnvVar/name", "Environment variables." },
	{ "envFrom", "[]any", "Sources of environment variables (ConfigMaps, Secrets)." },
	{ "resources", "@" CORE "ResourceRequirements", "Compute resource requests and limits." },
	{ "volumeMounts", "[]@" CORE "VolumeMount/mountPath", "Volumes mounted into the container." },
	{ "livenessProbe", "any", "Probe whose failure restarts the container." },
	{ "readinessProbe", "any", "Probe that gates the pod's readiness." },
	{ "startupProbe", "any", "Probe that must succeed before the other probes run." },
	{ "lifecycle", "any", "postStart and preStop hooks." },
	{ "imagePullPolicy", "string", "Always, IfNotPresent or Never." },
	{ "securityContext", "any", "Container-level security settings." },
	{ "stdin", "boolean", "Allocate a stdin buffer." },
	{ "tty", "boolean", "Allocate a TTY." },
	{ "terminationMessagePath", "string", "Where the container writes its termination message (default /dev/termination-log)." },
	{ "terminationMessagePolicy", "string", "File (default) or FallbackToLogsOnError." },
	{ "stdinOnce", "boolean", "Close stdin after the first attach." },
	{ "resizePolicy", "[]any", "How resource changes are applied." },
	{ "restartPolicy", "string", "Always, for sidecar init containers." },
	{ "volumeDevices", "[]any", "Raw block devices used by the container." },
	{ NULL, NULL, NULL }
};

static const struct oa_field container_port[] = {
	{ "containerPort", "integer", "Port number on the pod's IP." },
	{ "name", "string", "IANA_SVC_NAME that Services can refer to." },
	{ "protocol", "string", "TCP (default), UDP or SCTP." },
	{ "hostPort", "integer", "Port on the node." },
	{ "hostIP", "string", "Node IP to bind the host port to." },
	{ NULL, NULL, NULL }
};

static const struct oa_field env_var[] = {
	{ "name", "string", "Variable name." },
	{ "value", "string", "Value; $(VAR) references are expanded." },
	{ "valueFrom", "any", "Source of the value (ConfigMap or Secret key, field, resource)." },
	{ NULL, NULL, NULL }
};

static const struct oa_field volume_mount[] = {
	{ "name", "string", "Name of the volume." },
	{ "mountPath", "string", "Path inside the container." },
	{ "subPath", "string", "Sub-path inside the volume." },
	{ "readOnly", "boolean", "Mount read-only." },
	{ NULL, NULL, NULL }
};

static const struct oa_field volume[] = {
	{ "name", "string", "Name of the volume, referenced by volumeMounts." },
	{ "emptyDir", "any", "A scratch directory that lives as long as the pod." },
	{ "configMap", "any", "Files from a ConfigMap." },
	{ "secret", "any", "Files from a Secret." },
	{ "persistentVolumeClaim", "any", "A PersistentVolumeClaim." },
	{ "hostPath", "any", "A path on the node." },
	{ "projected", "any", "Several sources in one directory." },
	{ "downwardAPI", "any", "Pod fields as files." },
	{ "nfs", "any", "Volume source: nfs." },
	{ "csi", "any", "Volume source: csi." },
	{ "ephemeral", "any", "Volume source: ephemeral." },
	{ "iscsi", "any", "Volume source: iscsi." },
	{ "gcePersistentDisk", "any", "Volume source: gcePersistentDisk." },
	{ "awsElasticBlockStore", "any", "Volume source: awsElasticBlockStore." },
	{ "azureDisk", "any", "Volume source: azureDisk." },
	{ "azureFile", "any", "Volume source: azureFile." },
	{ "cephfs", "any", "Volume source: cephfs." },
	{ "rbd", "any", "Volume source: rbd." },
	{ "fc", "any", "Volume source: fc." },
	{ "flexVolume", "any", "Volume source: flexVolume." },
	{ "glusterfs", "any", "Volume source: glusterfs." },
	{ "cinder", "any", "Volume source: cinder." },
	{ "portworxVolume", "any", "Volume source: portworxVolume." },
	{ "scaleIO", "any", "Volume source: scaleIO." },
	{ "storageos", "any", "Volume source: storageos." },
	{ "quobyte", "any", "Volume source: quobyte." },
	{ "photonPersistentDisk", "any", "Volume source: photonPersistentDisk." },
	{ "vsphereVolume", "any", "Volume source: vsphereVolume." },
	{ "flocker", "any", "Volume source: flocker." },
	{ "gitRepo", "any", "Volume source: gitRepo." },
	{ "image", "any", "Volume source: image." },
	{ NULL, NULL, NULL }
};

static const struct oa_field local_object_ref[] = {
	{ "name", "string", "Name of the referent." },
	{ NULL, NULL, NULL }
};

static const struct oa_field resource_requirements[] = {
	{ "limits", "quantities", "Maximum amount of each resource." },
	{ "requests", "quantities", "Amount of each resource the scheduler reserves." },
	{ "claims", "[]any", "Dynamic resource claims used by the container." },
	{ NULL, NULL, NULL }
};

static const struct oa_field service_spec[] = {
	{ "type", "string", "ClusterIP (default), NodePort, LoadBalancer or ExternalName." },
	{ "selector", "map", "Pods whose labels match receive the traffic." },
	{ "ports", "[]@" CORE "ServicePort/port", "Ports the Service exposes." },
	{ "clusterIP", "string", "Virtual IP of the Service; None for a headless Service." },
	{ "clusterIPs", "[]string", "Virtual IPs, one per IP family." },
	{ "externalName", "string", "DNS name for type ExternalName." },
	{ "externalIPs", "[]string", "Extra IPs the Service answers on." },
	{ "sessionAffinity", "string", "None (default) or ClientIP." },
	{ "externalTrafficPolicy", "string", "Cluster (default) or Local." },
	{ "ipFamilies", "[]string", "IP families of the Service." },
	{ "ipFamilyPolicy", "string", "SingleStack, PreferDualStack or RequireDualStack." },
	{ "publishNotReadyAddresses", "boolean", "Publish endpoints of pods that are not ready." },
	{ "loadBalancerIP", "string", "Requested load balancer IP (deprecated)." },
	{ "loadBalancerSourceRanges", "[]string", "Client ranges allowed through the load balancer." },
	{ "loadBalancerClass", "string", "Load balancer implementation." },
	{ "sessionAffinityConfig", "any", "Session affinity parameters." },
	{ "healthCheckNodePort", "integer", "Health check node port." },
	{ "allocateLoadBalancerNodePorts", "boolean", "Allocate node ports for LoadBalancer Services." },
	{ "internalTrafficPolicy", "string", "Cluster or Local for in-cluster traffic." },
	{ "trafficDistribution", "string", "Traffic distribution preference." },
	{ NULL, NULL, NULL }
};

static const struct oa_field service_port[] = {
	{ "name", "string", "Name of the port, required with several ports." },
	{ "protocol", "string", "TCP (default), UDP or SCTP." },
	{ "port", "integer", "Port the Service listens on." },
	{ "targetPort", "int-or-string", "Port (number or name) on the pods (default: port)." },
	{ "nodePort", "integer", "Port on every node for NodePort and LoadBalancer." },
	{ "appProtocol", "string", "Application protocol hint." },
	{ NULL, NULL, NULL }
};

/* Top-level fields of modelled kinds (apiVersion/kind/metadata added). */
static const struct oa_field deployment[] = {
	{ "spec", "@" APPS "DeploymentSpec", "Desired state of the Deployment." },
	{ "status", "@" APPS "DeploymentStatus", "Observed state of the Deployment." },
	{ NULL, NULL, NULL }
};

static const struct oa_field pod[] = {
	{ "spec", "@" CORE "PodSpec", "Desired state of the pod." },
	{ "status", "any", "Observed state of the pod." },
	{ NULL, NULL, NULL }
};

static const struct oa_field service[] = {
	{ "spec", "@" CORE "ServiceSpec", "Desired behaviour of the Service." },
	{ "status", "any", "Observed state of the Service (load balancer)." },
	{ NULL, NULL, NULL }
};

static const struct oa_field config_map[] = {
	{ "data", "map", "Configuration data as UTF-8 strings." },
	{ "binaryData", "map", "Binary configuration data, base64 encoded." },
	{ "immutable", "boolean", "When true the data cannot be changed." },
	{ NULL, NULL, NULL }
};

static const struct oa_field secret[] = {
	{ "type", "string", "Type of the secret, e.g. Opaque or kubernetes.io/tls." },
	{ "data", "map", "Secret values, base64 encoded." },
	{ "stringData", "map", "Secret values as plain strings; write-only, merged into data." },
	{ "immutable", "boolean", "When true the data cannot be changed." },
	{ NULL, NULL, NULL }
};

const struct oa_type oa_types[] = {
	{ META "ObjectMeta", "Metadata every persisted object has.", object_meta },
	{ META "OwnerReference", "A reference to an owning object.", owner_reference },
	{ META "LabelSelector", "A label query over a set of objects.", label_selector },
	{ META "LabelSelectorRequirement", "One set-based label requirement.", label_selector_req },
	{ APPS "DeploymentSpec", "Desired state of a Deployment.", deployment_spec },
	{ APPS "DeploymentStrategy", "How to replace existing pods with new ones.", deployment_strategy },
	{ APPS "RollingUpdateDeployment", "Parameters of a rolling update.", rolling_update },
	{ APPS "DeploymentStatus", "Observed state of a Deployment.", deployment_status },
	{ CORE "PodTemplateSpec", "Template from which pods are created.", pod_template_spec },
	{ CORE "PodSpec", "Specification of a pod.", pod_spec },
	{ CORE "Container", "A container that runs in a pod.", container },
	{ CORE "ContainerPort", "A network port of a container.", container_port },
	{ CORE "EnvVar", "An environment variable of a container.", env_var },
	{ CORE "VolumeMount", "A volume mounted into a container.", volume_mount },
	{ CORE "Volume", "A named volume of a pod.", volume },
	{ CORE "LocalObjectReference", "A reference to an object in the same namespace.", local_object_ref },
	{ CORE "ResourceRequirements", "Compute resource requests and limits.", resource_requirements },
	{ CORE "ServiceSpec", "Desired behaviour of a Service.", service_spec },
	{ CORE "ServicePort", "A port of a Service.", service_port },
	{ NULL, NULL, NULL }
};

const struct oa_kind_fields oa_kind_fields[] = {
	{ "apps", "Deployment", "A Deployment keeps a set of identical pods running and rolls out changes to them.", deployment },
	{ "", "Pod", "A Pod is a group of containers that run together on one node.", pod },
	{ "", "Service", "A Service gives a set of pods one stable virtual IP and DNS name.", service },
	{ "", "ConfigMap", "A ConfigMap holds non-confidential configuration data as key/value pairs.", config_map },
	{ "", "Secret", "A Secret holds a small amount of confidential data.", secret },
	{ NULL, NULL, NULL, NULL }
};
