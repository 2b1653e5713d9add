/* SPDX-License-Identifier: Apache-2.0 */
/*
 * watch: decoder of a Kubernetes watch stream.
 *
 * The server sends one JSON object per line,
 * {"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{...}}, in
 * HTTP chunks that cut lines anywhere.  The decoder keeps the incomplete
 * tail of the last chunk and hands out complete events.  Memory is bounded
 * by max_line: a longer line is an error (ERR_TOO_LARGE), never a crash or
 * an unbounded buffer.  Anything that is not a well-formed event is
 * ERR_PARSE and the decoder refuses further input (a watch stream cannot
 * be resynchronised; the informer relists).  Runs on the I/O thread.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "client/private.h"
#include "common/mem.h"

struct watch_dec {
	struct buf line;	/* incomplete line carried between chunks */
	size_t max_line;
	bool broken;
};

static const char *const watch_names[] = {
	[WATCH_ADDED] = "ADDED",
	[WATCH_MODIFIED] = "MODIFIED",
	[WATCH_DELETED] = "DELETED",
	[WATCH_BOOKMARK] = "BOOKMARK",
	[WATCH_ERROR] = "ERROR",
};

#define WATCH_NTYPES (sizeof(watch_names) / sizeof(watch_names[0]))

const char *watch_type_name(enum watch_type t)
{
	return (size_t)t < WATCH_NTYPES ? watch_names[t] : "?";
}

struct watch_dec *watch_dec_new(size_t max_line)
{
	struct watch_dec *d = xcalloc(1, sizeof(*d));

	d->max_line = max_line ? max_line : WATCH_MAX_LINE_DEFAULT;
	return d;
}

void watch_dec_free(struct watch_dec *d)
{
	if (!d)
		return;
	buf_free(&d->line);
	free(d);
}

size_t watch_dec_pending(const struct watch_dec *d)
{
	return d->line.len;
}

static bool watch_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr(" \t\r", p[i]))
			return false;
	return true;
}

/* Decode one complete line (without its newline). */
static int watch_line(const char *p, size_t n, watch_event_cb cb, void *arg,
		      struct err *e)
{
	cJSON *ev, *obj;
	const char *type;
	size_t t;

	if (watch_blank(p, n))
		return 0;
	ev = cJSON_ParseWithLength(p, n);
	if (!ev)
		return err_set(e, ERR_PARSE, "watch: malformed event (%zu "
			       "bytes): not JSON", n);
	type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev,
								      "type"));
	obj = cJSON_GetObjectItemCaseSensitive(ev, "object");
	for (t = 0; type && t < WATCH_NTYPES; t++)
		if (!strcmp(type, watch_names[t]))
			break;
	if (!type || t == WATCH_NTYPES || !cJSON_IsObject(obj)) {
		cJSON_Delete(ev);
		return err_set(e, ERR_PARSE, "watch: malformed event: %s",
			       !type ? "no type" : t == WATCH_NTYPES ?
			       "unknown type" : "no object");
	}
	cJSON_DetachItemViaPointer(ev, obj);
	cJSON_Delete(ev);
	return cb((enum watch_type)t, obj, arg);
}

int watch_dec_feed(struct watch_dec *d, const char *data, size_t len,
		   watch_event_cb cb, void *arg, struct err *e)
{
	const char *nl;

	if (d->broken)
		return err_set(e, ERR_PARSE, "watch: stream already failed");
	while (len && (nl = memchr(data, '\n', len))) {
		size_t n = (size_t)(nl - data);
		int rc;
		if (d->line.len + n > d->max_line)
			goto too_large;
		if (d->line.len) {
			buf_add(&d->line, data, n);
			rc = watch_line(d->line.data, d->line.len, cb, arg, e);
			buf_reset(&d->line);
		} else {
			rc = watch_line(data, n, cb, arg, e);
		}
		if (rc < 0) {
			d->broken = true;
			return -1;
		}
		data = nl + 1;
		len -= n + 1;
	}
	if (d->line.len + len > d->max_line)
		goto too_large;
	buf_add(&d->line, data, len);
	return 0;
too_large:
	d->broken = true;
	buf_free(&d->line);
	return err_set(e, ERR_TOO_LARGE, "watch: event larger than %zu bytes",
		       d->max_line);
}
