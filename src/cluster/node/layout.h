/* SPDX-License-Identifier: Apache-2.0 */
/*
 * layout: where the node agent's parts keep their files under the cluster
 * data directory, and how containers are named.  Every part (image store,
 * runtime, pod network, agent, the API's pods/log and metrics handlers)
 * derives paths from here so that they agree without calling each other.
 *
 *   DATA/images/                      image store (image/image.h)
 *   DATA/registries.yaml              mirrors, insecure registries, auth
 *   DATA/run/                         runtime state (runtime/runtime.h)
 *   DATA/net/                         pod network state, IPAM (net/podnet.h)
 *   DATA/pods/UID/                    per-pod files (volumes, etc-hosts, ...)
 *   DATA/logs/NS_NAME_UID/CTR/N.log   container logs, CRI format, N = attempt
 *
 * Container ids are "UID_CTR_N" (pod uid, container name, attempt = the
 * restart count when it was started); ids match runc's [A-Za-z0-9_+.-]+.
 * A container's cgroup is "kdeck/podUID/ID" below each controller's root
 * (cgroup v1) or below the unified root (v2).
 *
 * CRI log lines: "2026-11-29T05:00:00.123456789Z stdout F text\n"; the tag
 * is P for a partial line (longer than the shim's buffer) and F for full.
 * The shim rotates N.log to N.log.YYYYMMDD-hhmmss when it exceeds
 * LAYOUT_LOG_MAX bytes and keeps LAYOUT_LOG_FILES files in all.
 */
#ifndef KDECK_CLUSTER_NODE_LAYOUT_H
#define KDECK_CLUSTER_NODE_LAYOUT_H

#define LAYOUT_LOG_MAX (10 * 1024 * 1024)
#define LAYOUT_LOG_FILES 5

/* All return malloc'd strings. */
char *layout_images_dir(const char *data_dir);
char *layout_registries_file(const char *data_dir);
char *layout_run_dir(const char *data_dir);
char *layout_net_dir(const char *data_dir);
char *layout_pod_dir(const char *data_dir, const char *uid);
char *layout_pod_log_dir(const char *data_dir, const char *ns,
			 const char *name, const char *uid);
char *layout_container_log(const char *data_dir, const char *ns,
			   const char *name, const char *uid,
			   const char *container, int attempt);
char *layout_container_id(const char *uid, const char *container,
			  int attempt);
/* "kdeck/podUID/ID", relative to a cgroup root. */
char *layout_cgroup(const char *uid, const char *container_id);

/*
 * Split a container id into its parts (pointers into a copy the caller
 * frees through *buf).  -1 when id is not one of ours.
 */
int layout_parse_container_id(const char *id, char **buf, const char **uid,
			      const char **container, int *attempt);

#endif
