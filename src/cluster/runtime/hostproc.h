/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostproc: the host-process runtime's private interface (hostproc.c,
 * hostproc_run.c).  See rt_hostproc_main in runtime.h.
 */
#ifndef KDECK_CLUSTER_RUNTIME_HOSTPROC_H
#define KDECK_CLUSTER_RUNTIME_HOSTPROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

#include "common/err.h"

/* What a bundle's config.json asks for, as the child needs it. */
struct hostproc_ctr {
	cJSON *config;
	char *rootfs;		/* root.path, absolute */
	char *cwd;		/* process.cwd */
	char **argv;		/* process.args, NULL-terminated */
	char **env;		/* process.env (PATH rewritten in direct mode) */
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	size_t ngroups;
	bool no_new_privs, terminal;
	bool chroot_mode;	/* root: mounts + chroot; else direct */
};

/* Read BUNDLE/config.json into c.  Caller: hostproc_ctr_done. */
int hostproc_load(const char *bundle, struct hostproc_ctr *c, struct err *e);
void hostproc_ctr_done(struct hostproc_ctr *c);
/*
 * In a forked child: become the container's process and exec argv
 * (hostproc_run.c).  mnt_fd: the container's mount namespace to join
 * (an exec), -1 to make one (the container's first process).  Never
 * returns: failures are written to err_fd (runc's words), then _exit.
 */
void hostproc_exec_child(const struct hostproc_ctr *c, char *const *argv,
			 int mnt_fd, int err_fd) __attribute__((noreturn));

#endif
