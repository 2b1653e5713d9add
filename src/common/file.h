/* SPDX-License-Identifier: Apache-2.0 */
/*
 * file: whole-file writes that readers never see half done.  The data goes
 * to a temporary file beside the target (so rename stays on one file
 * system), is fsynced, and replaces the target with rename(2).
 */
#ifndef KDECK_COMMON_FILE_H
#define KDECK_COMMON_FILE_H

#include <stddef.h>

#include "common/err.h"

/*
 * Write data[0..len) to path atomically with permission bits mode.
 * Returns 0, or -1 with ERR_IO naming the file; the target is untouched
 * on failure and no temporary file is left behind.  e may be NULL.
 */
int file_write_atomic(const char *path, const void *data, size_t len,
		      unsigned mode, struct err *e);

/*
 * The embedded cluster's default data directory, as `kdeck cluster`,
 * `kdeck image` and the dashboard use it: $XDG_DATA_HOME/kdeck/cluster,
 * else $HOME/.local/share/kdeck/cluster (./.local/... without HOME).
 * Caller frees.
 */
char *file_cluster_dir(void);

#endif
