/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf: a growable byte string.  data is always NUL-terminated (after
 * buf_init data is NULL until the first append; buf_cstr never is), so a
 * buf can be handed to C string functions; it may also hold binary bytes.
 */
#ifndef KDECK_COMMON_BUF_H
#define KDECK_COMMON_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *b);
void buf_free(struct buf *b);		/* frees data, leaves b empty */
void buf_reset(struct buf *b);		/* len = 0, keeps capacity */
void buf_reserve(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Append s as a JSON string literal with quotes and escapes. */
void buf_add_json_str(struct buf *b, const char *s);
/* Never NULL: "" for an empty buffer.  Borrowed. */
const char *buf_cstr(const struct buf *b);
/* Hand the string to the caller (never NULL) and leave b empty. */
char *buf_take(struct buf *b);

#endif
