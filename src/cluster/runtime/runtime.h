/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runtime: containers through an OCI runtime (runc or crun, whichever
 * works on this machine: some crun versions refuse hybrid cgroup setups
 * that runc accepts) driven through its standard command line.
 *
 * A pod sandbox is a set of namespaces (network, IPC, UTS) pinned by bind
 * mounts under DATA/run/sandboxes/UID/, which every container of the pod
 * joins; the pod network (net/podnet.h) configures the network one.
 * Each container gets an OCI bundle (config.json generated from struct
 * rt_container_spec) and an overlay root filesystem (the image's
 * read-only rootfs below, a per-container writable layer above).
 *
 * Every container is watched by a shim: `kdeck shim ...`, a small
 * process started in its own session (so the daemon may restart without
 * killing containers), which runs the runtime, copies the container's
 * stdout and stderr into its CRI log file (node/layout.h: format and
 * rotation), and records the exit status and times in the container's
 * state directory.  After a daemon restart rt_container_list() finds the
 * containers again.
 *
 * Thread-safe: the agent calls these from several pod workers at once.
 */
#ifndef KDECK_CLUSTER_RUNTIME_RUNTIME_H
#define KDECK_CLUSTER_RUNTIME_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/buf.h"
#include "common/err.h"

struct rt;

struct rt_config {
	const char *run_dir;	/* DATA/run (node/layout.h) */
	const char *runtime;	/* path of runc/crun; NULL = probe */
	const char *self_exe;	/* the kdeck binary, for `kdeck shim` */
	bool host_process;	/* the host-process runtime (opt-in, below) */
};

/*
 * Find a runtime that can start a container here (probe: a trivial
 * bundle), check cgroups.  ERR_UNAVAILABLE with a plain explanation
 * ("no OCI runtime found: install runc or crun", "containers need root
 * here: ...") when none works.
 */
int rt_open(const struct rt_config *cfg, struct rt **out, struct err *e);
void rt_free(struct rt *r);
/* "runc", "1.1.5"; cgroup version 1 or 2. */
const char *rt_name(const struct rt *r);
const char *rt_version(const struct rt *r);
int rt_cgroup_version(const struct rt *r);
/*
 * One line for `kdeck cluster up` and nodeInfo: "runc 1.1.5, cgroup v1,
 * overlayfs root file systems" (or "copied root file systems (overlayfs
 * unavailable)").  Borrowed, lives as long as r.
 */
const char *rt_describe(const struct rt *r);

/*
 * The host-process runtime (hostproc.c), for machines where no container
 * can start: every container is a plain host process, chrooted into its
 * image's rootfs when root (else run from it directly), on the host's
 * network, pid and IPC, without cgroup limits: pods are NOT isolated.
 * rt_open with cfg->host_process makes r->runtime RUN_DIR/RT_HOSTPROC_NAME,
 * a symlink to self_exe, which speaks runc's command line: main() runs
 * rt_hostproc_main when invoked under that name.
 */
#define RT_HOSTPROC_NAME "kdeck-host-process"
int rt_hostproc_main(int argc, char **argv);
/* r runs the host-process runtime: every pod is a hostNetwork pod. */
bool rt_host_process(const struct rt *r);

/* ---- rootless (userns.c) ---- */
/* True in a user namespace other than the machine's first one. */
bool rt_in_userns(void);
/*
 * For an ordinary user's daemon, before it starts any thread: become
 * root of a new user namespace (uid/gid mapped to 0; with newuidmap and
 * /etc/subuid ranges also 1..N) and a private mount namespace, so
 * rt_open can run rootless containers.  *describe (caller frees) says
 * which mapping it got.  ERR_UNAVAILABLE with the kernel's reason when
 * user namespaces are not allowed; ERR_INVALID when already root.
 */
int rt_userns_enter(char **describe, struct err *e);
/*
 * Like rt_userns_enter, but join the user and mount namespaces of the
 * containers an earlier daemon of this run_dir left running (killed
 * with -9): they are found again instead of orphaned.  ERR_NOT_FOUND
 * when none runs (then rt_userns_enter), ERR_UNAVAILABLE when joining
 * failed.  Single-threaded callers only (setns of a user namespace).
 */
int rt_userns_join(const char *run_dir, char **describe, struct err *e);
/* How many ids this user namespace maps (1 = the single mapping). */
unsigned long rt_userns_ids(void);
/* The runtime runs rootless (in a user namespace). */
bool rt_rootless(const struct rt *r);
/* Resource limits (cgroups) are applied; else why not (borrowed). */
bool rt_limits_enforced(const struct rt *r, const char **why);

/* ---- pod sandboxes ---- */
struct rt_sandbox_spec {
	const char *uid;	/* pod uid */
	const char *hostname;	/* pod hostname (UTS namespace) */
	bool host_network, host_ipc, host_pid;
};
/*
 * Create (or find, idempotent) the sandbox of pod uid.  *netns gets the
 * network namespace path (NULL with host_network), caller frees.
 */
int rt_sandbox_create(struct rt *r, const struct rt_sandbox_spec *s,
		      char **netns, struct err *e);
/* Unmount and remove the namespaces; missing is fine. */
int rt_sandbox_remove(struct rt *r, const char *uid, struct err *e);
/* Uids of the sandboxes that exist (restart safety); caller frees each
 * and the array. */
int rt_sandbox_list(struct rt *r, char ***uids, size_t *n, struct err *e);

/* ---- containers ---- */
struct rt_mount {
	const char *dest;	/* in the container */
	const char *source;	/* host path ("tmpfs" for type tmpfs) */
	const char *type;	/* "bind" or "tmpfs" */
	bool read_only;
	int64_t size;		/* tmpfs size in bytes, 0 = default */
};

/* Paths (rootfs, mount sources, log, termination log) should be absolute. */
struct rt_container_spec {
	const char *id;		/* layout_container_id(): "UID_CTR_N" */
	const char *pod_uid;
	const char *rootfs;	/* the image's read-only rootfs */
	char *const *argv;	/* resolved command line, argv[0] != NULL */
	char *const *env;	/* "K=V", NULL-terminated */
	const char *cwd;	/* "/" when NULL */
	uid_t uid;
	gid_t gid;
	const gid_t *groups;	/* supplementary groups */
	size_t ngroups;
	bool read_only_root, privileged, no_new_privs;
	char *const *cap_add;	/* "NET_ADMIN" or "CAP_NET_ADMIN"; NULL-terminated or NULL */
	char *const *cap_drop;	/* "ALL" drops every capability */
	const struct rt_mount *mounts;
	size_t nmounts;
	bool host_pid;
	int64_t cpu_shares;	/* 0 = unset; from requests.cpu (milli*1024/1000) */
	int64_t cpu_quota_us;	/* 0 = unlimited; from limits.cpu */
	int64_t cpu_period_us;	/* 100000 when quota is set */
	int64_t memory_limit;	/* bytes, 0 = unlimited */
	const char *log_path;	/* CRI log file (layout_container_log) */
	const char *termination_log;	/* host file bind-mounted at terminationMessagePath, or NULL */
	const char *termination_path;	/* path in the container */
	bool tty, stdin_open, stdin_once;
};

/*
 * Create and start the container in the pod's sandbox; returns once the
 * process runs.  When the runtime cannot start it (executable not found,
 * bad working directory) this fails (ERR_INTERNAL) with the runtime's
 * message in kubelet's words ("failed to create containerd task: failed
 * to create shim task: OCI runtime create failed: runc create failed:
 * unable to start container process: exec: \"nope\": executable file not
 * found in $PATH: unknown"); the status still records the failure (exit
 * code 128, same message) so the agent can show RunContainerError /
 * StartError as kubelet does.  Any failure after the id was taken leaves
 * an exited container to rt_container_remove.  ERR_ALREADY_EXISTS when
 * the id is taken, ERR_NOT_FOUND without a sandbox for s->pod_uid.
 * s->tty gives the container a terminal (process.terminal; the shim
 * holds the master), s->stdin_open a stdin the shim holds (else
 * /dev/null); both are reached through rt_attach_open.
 * Creates the log file's directory and the termination_log file.
 */
int rt_container_start(struct rt *r, const struct rt_container_spec *s,
		       struct err *e);

enum rt_state { RT_CREATED, RT_RUNNING, RT_EXITED };

struct rt_status {
	enum rt_state state;
	int exit_code;		/* valid when RT_EXITED; 128+sig when killed */
	bool oom_killed;	/* the memory limit killed it */
	int64_t created_ns, started_ns, finished_ns;	/* unix ns, 0 = not yet */
	pid_t pid;		/* host pid while running */
	char message[256];	/* start failure message, "" otherwise */
};
/* ERR_NOT_FOUND when there is no such container. */
int rt_container_status(struct rt *r, const char *id, struct rt_status *out,
			struct err *e);
/* Send sig to the container's init process; exited is fine. */
int rt_container_kill(struct rt *r, const char *id, int sig, struct err *e);
/*
 * Remove a container (bundle, state, writable layer; not its log file).
 * A container still running is killed first (SIGKILL, waiting up to 10 s
 * for its exit).  Missing is fine.
 */
int rt_container_remove(struct rt *r, const char *id, struct err *e);
/* Ids of every container known (any state), sorted; caller frees each
 * and the array. */
int rt_container_list(struct rt *r, char ***ids, size_t *n, struct err *e);

/*
 * Run argv in the running container (`runc exec`), for exec probes and
 * hooks: output (stdout and stderr, at most max bytes) into out, exit
 * code into *code.  ERR_TIMEOUT after timeout_ms (the process is killed),
 * ERR_CONFLICT when the container is not running, ERR_INTERNAL with
 * kubelet's message when the runtime cannot run it ("OCI runtime exec
 * failed: exec failed: unable to start container process: exec: \"nope\":
 * executable file not found in $PATH: unknown").
 */
int rt_exec_sync(struct rt *r, const char *id, char *const *argv,
		 int timeout_ms, size_t max, struct buf *out, int *code,
		 struct err *e);

/* ---- interactive processes (exec_io.c): kubectl exec ---- */
struct rt_proc;
struct rt_exec_opts {
	bool tty;		/* a terminal: output (and input) on its master */
	bool in, out, err;	/* the streams the caller wants */
};
/* The caller's side; -1 for a stream not asked for (err with tty). */
struct rt_proc_io {
	int in_fd;	/* write stdin; the caller may close(2) it for EOF */
	int out_fd;	/* stdout, or the terminal (EIO once it is gone) */
	int err_fd;
};
/*
 * Start argv in the running container id with the container's user, env
 * and working directory (`RUNTIME exec`).  Without tty the fds are pipes
 * (a stream not asked for is /dev/null in the container); with tty the
 * process gets a new terminal, in_fd and out_fd are both its master.
 * Returns once the process runs (or already ended).  Errors: ERR_NOT_FOUND
 * (no such container), ERR_CONFLICT (not running), ERR_BAD_REQUEST (no
 * command), ERR_INTERNAL with kubelet's words when the runtime cannot
 * start it ("OCI runtime exec failed: exec failed: unable to start
 * container process: exec: \"nope\": executable file not found in
 * $PATH: unknown").  *out and the fds belong to the caller: rt_proc_free.
 * Thread-safe; one rt_proc is used by one thread at a time (resize may
 * come from another).
 */
int rt_exec_start(struct rt *r, const char *id, char *const *argv,
		  const struct rt_exec_opts *o, struct rt_proc **out,
		  struct rt_proc_io *io, struct err *e);
/* TIOCSWINSZ on the terminal; -1 without one. */
int rt_proc_resize(struct rt_proc *p, unsigned cols, unsigned rows);
/*
 * Block until the process ended; *exit_code = its status (128+N for
 * signal N), -1 when unknown (then returns -1).  Read the output to EOF
 * first: a full pipe would keep it from ending.
 */
int rt_proc_wait(struct rt_proc *p, int *exit_code);
/* Kill the process if still running, reap, close the fds, free.  NULL ok. */
void rt_proc_free(struct rt_proc *p);

/* ---- attach sessions (attach.c): kubectl attach, run -it ---- */
struct rt_attach;
struct rt_attach_opts {
	bool tty;		/* the caller wants the terminal's stream */
	bool in, out, err;
};
/*
 * Attach to the running container id's own stdio through its shim:
 * out_fd/err_fd carry its output from now on (out_fd gets the terminal's
 * with tty: true containers) until it exits (EOF); in_fd feeds its stdin
 * when the container has one (stdin: true; else -1).  Closing in_fd
 * (close(2) is fine) ends this client's input: with stdinOnce the
 * container's stdin is closed (^D on a terminal).  Errors: ERR_NOT_FOUND,
 * ERR_CONFLICT (not running), ERR_UNAVAILABLE (its shim does not answer:
 * a shim older than attach).  Thread-safe; free with rt_attach_free.
 */
int rt_attach_open(struct rt *r, const char *id,
		   const struct rt_attach_opts *o, struct rt_attach **out,
		   struct rt_proc_io *io, struct err *e);
/* Resize the container's terminal; -1 when it has none or is gone. */
int rt_attach_resize(struct rt_attach *a, unsigned cols, unsigned rows);
/* Block until the container exited; *exit_code = its status (-1 unknown). */
int rt_attach_wait(struct rt_attach *a, int *exit_code);
/* Close the session's fds and free (the container runs on).  NULL ok. */
void rt_attach_free(struct rt_attach *a);

/*
 * Connect to 127.0.0.1:port in the network namespace of pod uid's
 * sandbox (the host's for hostNetwork pods): *fd_out is a connected,
 * blocking, O_CLOEXEC TCP socket.  ERR_NOT_FOUND without a sandbox,
 * ERR_INTERNAL "failed to connect to localhost:PORT inside namespace
 * \"UID\", IPv4: dial tcp4 127.0.0.1:PORT: connect: connection refused
 * ..." as containerd says it.
 */
int rt_dial(struct rt *r, const char *uid, int port, int *fd_out,
	    struct err *e);

/*
 * A file descriptor that becomes readable when some container exited
 * (drain it with rt_events_drain, then look at the statuses); for the
 * agent's poll loop.  Exits that happened while no struct rt was open
 * are not signalled: check the statuses after rt_open.
 */
int rt_events_fd(struct rt *r);
void rt_events_drain(struct rt *r);

/* `kdeck shim ...`: internal, started by rt_container_start. */
int rt_shim_main(int argc, char **argv);

#endif
