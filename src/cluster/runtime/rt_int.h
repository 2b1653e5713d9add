/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rt_int: what the files of src/cluster/runtime share (private header).
 *
 * State under run_dir (DATA/run):
 *   runc/                  the OCI runtime's own state (--root)
 *   containers/ID/         config.json, rootfs/ (overlay mount point),
 *                          upper/ work/ (overlay layers), shim.json (what
 *                          the shim runs), status (JSON, written by the
 *                          shim only), runc.log, shim.log,
 *                          attach.sock (the shim's attach socket),
 *                          console.sock (while a tty container starts),
 *                          exec-PID-N.{pid,log,sock} (an exec session)
 *   sandboxes/UID/         net ipc uts (namespace bind mounts), shm/
 *   exits/ID               touched by a shim when its container exited
 *                          (inotify behind rt_events_fd)
 */
#ifndef KDECK_CLUSTER_RUNTIME_RT_INT_H
#define KDECK_CLUSTER_RUNTIME_RT_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

#include "cluster/runtime/runtime.h"
#include "common/buf.h"
#include "common/err.h"

struct rt {
	char *run_dir;
	char *runtime;		/* absolute path of runc/crun */
	char *name;		/* "runc" */
	char *version;		/* "1.1.5" */
	char *self_exe;
	char *describe;
	int cgroup_version;
	bool overlay;		/* overlayfs works; else rootfs copies */
	bool rootless;		/* in a user namespace (userns.c) */
	bool limits;		/* cgroups usable: limits are enforced */
	bool host_process;	/* hostproc.c is the runtime */
	unsigned long ids;	/* ids mapped in the user namespace */
	int64_t log_max;	/* CRI log rotation size */
	int log_files;
	int inotify_fd;
	pthread_mutex_t lock;	/* sandbox creation */
};

/* ---- util.c ---- */
struct rt_cmd {
	char *const *argv;	/* argv[0] is a path */
	int timeout_ms;		/* <= 0: no limit */
	size_t max;		/* output cap (rest discarded) */
	const char *pidfile;	/* on timeout also SIGKILL the pid in it */
};
/*
 * Run c->argv with stdin /dev/null and stdout+stderr into out (NULL:
 * discarded); *code = exit status or 128+signal.  ERR_TIMEOUT (process
 * killed), ERR_INTERNAL when it cannot be started.  Thread-safe.
 */
int rt_run(const struct rt_cmd *c, struct buf *out, int *code,
	   struct err *e);
/* In a forked child: empty signal mask, default handlers, fds > keep closed. */
void rt_child_reset(int keep);
int rt_mkdirs(const char *path, unsigned mode, struct err *e);
/* rm -rf that never crosses into another file system; missing is fine. */
int rt_rmtree(const char *path, struct err *e);
/* Whole file into out (at most max bytes); -1 with errno set. */
int rt_read_file(const char *path, size_t max, struct buf *out);
int64_t rt_now_ns(void);
/* [A-Za-z0-9_.+-]{1,200}: safe as a file name and a runc id. */
bool rt_valid_id(const char *id);
/* The last "error"-level msg of a runtime --log-format json file, or NULL. */
char *rt_runtime_log_error(const char *path);

/* ---- status.c ---- */
/*
 * The status file: JSON {"state","pid","shimPid","created","started",
 * "finished" (unix ns as decimal strings, > 2^53), "exitCode",
 * "oomKilled","message"}.  Parse fills out (ERR_PARSE on anything
 * malformed) and *shim_pid; format returns a malloc'd string.
 */
int rt_status_parse(const char *text, size_t len, struct rt_status *out,
		    pid_t *shim_pid, struct err *e);
char *rt_status_format(const struct rt_status *s, pid_t shim_pid);
/*
 * Replace the status file at path (write + rename, no fsync: a machine
 * that loses power loses its containers too).  Only the shim writes
 * (and rt_container_start before the shim ran), so "path.tmp" is private.
 */
int rt_status_write(const char *path, const struct rt_status *s,
		    pid_t shim_pid, struct err *e);

/* ---- bundle.c ---- */
struct rt_bundle_ns {
	const char *net, *ipc, *uts;	/* namespace files to join; NULL = host */
	const char *shm;		/* dir bind-mounted at /dev/shm, or NULL */
	bool limit_swap;		/* swap = memory limit (no swapping, as kubelet) */
	uint64_t caps_avail;		/* capabilities we can grant; 0 = all */
	bool single_id;			/* a user namespace mapping only id 0:
					   no gid= mount options, no
					   supplementary groups */
	bool host_sysfs_bind;		/* bind /sys (a network namespace
					   not ours cannot mount sysfs) */
	bool host_mqueue_bind;		/* bind /dev/mqueue (same for an
					   IPC namespace not ours) */
	bool no_mqueue;			/* no /dev/mqueue at all (such a
					   host without one) */
};
/* This process's bounding & effective capability sets (containerd gives
 * privileged containers "all current capabilities"). */
uint64_t rt_caps_available(void);
/*
 * The OCI config.json of a container: root.path = rootfs, namespaces
 * from ns (+ new mount and pid unless s->host_pid), cgroupsPath as given
 * (NULL: no cgroup and no resources at all, for rootless runtimes
 * without a delegated cgroup).
 * ERR_INVALID for an unknown capability or an empty argv.  Caller frees
 * *out with cJSON_Delete.  Pure: needs no privileges.
 */
int rt_bundle_config(const struct rt_container_spec *s,
		     const struct rt_bundle_ns *ns, const char *rootfs,
		     const char *cgroups_path, cJSON **out, struct err *e);

/* ---- rootfs.c ---- */
bool rt_overlay_works(const char *run_dir);
/* Mount (or copy) lower at dir/rootfs with dir/upper, dir/work. */
int rt_rootfs_prepare(const struct rt *r, const char *dir, const char *lower,
		      struct err *e);
/* Unmount dir/rootfs if mounted (missing or not mounted is fine). */
int rt_rootfs_release(const char *dir, struct err *e);

/* ---- crilog.c ---- */
#define RT_LINE_MAX 16384
struct rt_crilog;
struct rt_crilog *rt_crilog_open(const char *path, int64_t max, int files,
				 struct err *e);
/* Feed raw output of stream ("stdout"/"stderr"); writes whole lines. */
void rt_crilog_feed(struct rt_crilog *l, int stream, const char *p,
		    size_t n);
/* Write what is pending (as full lines), close; NULL is fine. */
void rt_crilog_close(struct rt_crilog *l);

/* ---- sandbox.c ---- */
/* Rootless: how ns mounts /sys and /dev/mqueue of host namespaces. */
void rt_bundle_ns_rootless(struct rt_bundle_ns *ns, unsigned long ids);
/* Fill ns with the sandbox's namespace files (malloc'd; free with rt_bundle_ns_done). */
int rt_sandbox_ns(struct rt *r, const char *uid, struct rt_bundle_ns *ns,
		  struct err *e);
void rt_bundle_ns_done(struct rt_bundle_ns *ns);
/* rmdir the pod's cgroup (kdeck/podUID) under every controller. */
void rt_cgroup_remove_pod(const struct rt *r, const char *uid);

/* ---- container.c ---- */
char *rt_container_dir(const struct rt *r, const char *id);

/* ---- attach.c / shim_attach.c: the attach socket protocol ---- */
/* containers/ID/attach.sock; a connection's first byte says what it is. */
#define RT_ATTACH_SOCK "attach.sock"
#define RT_ATTACH_STDOUT 'o'	/* shim -> client: stdout (or terminal) bytes */
#define RT_ATTACH_STDERR 'e'	/* shim -> client: stderr bytes */
#define RT_ATTACH_STDIN 'i'	/* client -> shim: stdin bytes; EOF ends it */
#define RT_ATTACH_RESIZE 'r'	/* + uint16 cols, rows (host order) */

/* ---- exec_io.c ---- */
/* Accept the runtime's --console-socket connection on the listening ls
 * and take the terminal master it sends (O_CLOEXEC); -1 on failure. */
int rt_console_recv(int ls, struct err *e);

/* ---- shim_attach.c: the shim's end (its single thread) ---- */
struct pollfd;
struct rt_shim_att;
/*
 * Listen on RT_ATTACH_SOCK in the current directory (the shim's).  in_fd:
 * the container's stdin (a pipe's write end or the terminal master;
 * taken over, made non-blocking), -1 without; tty_fd: the master, -1.
 */
struct rt_shim_att *rt_shim_att_new(int in_fd, int tty_fd, bool once);
/* Fill pf (room for 34) with what to poll; returns how many. */
size_t rt_shim_att_pollfds(struct rt_shim_att *a, struct pollfd *pf, size_t max);
/* After poll: accept, read stdin, handshakes, resizes, hang-ups. */
void rt_shim_att_handle(struct rt_shim_att *a, const struct pollfd *pf, size_t n);
/* Output of stream 0 (stdout / terminal) or 1 (stderr) to its clients. */
void rt_shim_att_output(struct rt_shim_att *a, int stream, const char *p,
		     size_t n);
/*
 * -1 when every output client has taken all its output; else the ms
 * until the longest-stalled one is dropped (the shim then reads no
 * output: back-pressure on the container).  Drops stalled clients.
 */
int rt_shim_att_behind(struct rt_shim_att *a);
/* Close every client (EOF to them), the socket; NULL is fine. */
void rt_shim_att_free(struct rt_shim_att *a);
#define RT_SHIM_ATT_POLLFDS 34

/* cgroup v1 controller mount, v2 root */
#define RT_CGROUP_ROOT "/sys/fs/cgroup"

#endif
