/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podspec: from a pod's spec to what the runtime runs, as kubelet does.
 *
 * - podvol_*: volumes materialized under DATA/pods/UID/volumes: emptyDir
 *   (disk, or tmpfs for medium Memory with sizeLimit), hostPath (with its
 *   type checks), configMap and secret (keys, items, defaultMode/mode,
 *   optional; written kubelet's way: a timestamped directory, a ..data
 *   symlink swapped atomically, and per-key symlinks, so podvol_refresh
 *   updates running pods), downwardAPI, projected (serviceAccountToken,
 *   downwardAPI, configMap, secret), persistentVolumeClaim (a bound PV's
 *   hostPath/local path).
 * - podspec_container: the container's command line (image Entrypoint/Cmd
 *   combined with command/args exactly as Kubernetes does), environment
 *   (image env, env with value/valueFrom configMapKeyRef, secretKeyRef,
 *   fieldRef, resourceFieldRef; envFrom with prefix; $(VAR) expansion with
 *   $$ escapes), workingDir, securityContext (pod and container level:
 *   runAsUser/Group, runAsNonRoot, fsGroup, supplementalGroups,
 *   readOnlyRootFilesystem, capabilities, privileged,
 *   allowPrivilegeEscalation), resources -> cgroup limits, volume mounts
 *   (subPath, readOnly), /etc/hosts (with hostAliases), /etc/resolv.conf,
 *   /etc/hostname and the termination message file.
 *
 * Errors a user must see use kubelet's wording: volume set-up failures
 * (`configmap "cfg" not found`) keep the pod in ContainerCreating with a
 * FailedMount event; podspec_container failures are
 * CreateContainerConfigError (`couldn't find key KEY in ConfigMap ns/cfg`,
 * `secret "s" not found`, `container has runAsNonRoot and image will run
 * as root`).
 */
#ifndef KDECK_CLUSTER_NODE_PODSPEC_H
#define KDECK_CLUSTER_NODE_PODSPEC_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "cluster/image/image.h"
#include "cluster/runtime/runtime.h"
#include "common/err.h"

/*
 * How podspec reads the cluster.  get returns a parsed object of
 * resource ("configmaps", "secrets", "persistentvolumeclaims",
 * "persistentvolumes" (ns NULL)) or NULL when it does not exist; caller
 * frees.  token issues a ServiceAccount token for the pod (audience,
 * expirationSeconds) or fails.
 */
struct podspec_env {
	const char *data_dir;
	const char *node_name;
	const char *node_ip;		/* status.hostIP */
	const char *dns_server;		/* NULL: copy the host's resolv.conf */
	const char *cluster_domain;	/* "cluster.local" */
	/* One object (NULL when missing); a NULL name lists (the List). */
	cJSON *(*get)(void *arg, const char *ns, const char *resource,
		      const char *name);
	int (*token)(void *arg, const cJSON *pod, const char *audience,
		     int64_t expiration_seconds, char **token, struct err *e);
	void *arg;
};

struct podvol;

/* Set up every volume of pod; idempotent.  *out owns the result. */
int podvol_setup(const struct podspec_env *env, const cJSON *pod,
		 struct podvol **out, struct err *e);
/* Rewrite configMap, secret, downwardAPI and token volumes that changed. */
int podvol_refresh(const struct podspec_env *env, const cJSON *pod,
		   struct podvol *v, struct err *e);
void podvol_free(struct podvol *v);
/* Unmount and remove DATA/pods/UID (pod deleted). */
int podvol_teardown(const char *data_dir, const char *uid, struct err *e);

/* A container spec with everything it points to owned by it. */
struct podspec_out {
	struct rt_container_spec spec;
	void *mem;	/* private */
};
void podspec_out_done(struct podspec_out *o);

/*
 * Build the runtime spec of container ctr (an element of spec.containers
 * or spec.initContainers) of pod, whose IP is pod_ip, for attempt.  img is
 * the pulled image.  On success *out is filled (podspec_out_done frees).
 */
int podspec_container(const struct podspec_env *env, const cJSON *pod,
		      const cJSON *ctr, const struct image_config *img,
		      const struct podvol *vols, const char *pod_ip,
		      int attempt, struct podspec_out *out, struct err *e);

#endif
