/* SPDX-License-Identifier: Apache-2.0 */
/*
 * selector_priv: what the selector files share and nobody else needs.
 */
#ifndef KDECK_COMMON_SELECTOR_PRIV_H
#define KDECK_COMMON_SELECTOR_PRIV_H

#include "common/buf.h"

/* Append s as Go's %q prints it (ASCII controls escaped, UTF-8 kept). */
void selector_add_quoted(struct buf *b, const char *s);

#endif
