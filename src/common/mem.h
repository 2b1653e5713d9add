/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mem: allocation that never returns NULL.  Out of memory calls one hook
 * (the dashboard installs one that restores the terminal) and aborts.
 * Small strings helpers that allocate live here too.
 */
#ifndef KDECK_COMMON_MEM_H
#define KDECK_COMMON_MEM_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);		/* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);
/* printf into a fresh string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Called once before abort() on allocation failure. */
void mem_set_oom_hook(void (*hook)(void));
/* Abort through the hook; exposed for libraries that report OOM to us. */
void mem_oom(void) __attribute__((noreturn));

#endif
