/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client/private.h: pieces shared between the files of src/client and
 * exposed to its unit tests and fuzzers; not for other layers.
 */
#ifndef KDECK_CLIENT_PRIVATE_H
#define KDECK_CLIENT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "client/client.h"
#include "client/kubeconfig.h"
#include "common/buf.h"
#include "common/err.h"

/* ---- kc_yaml.c: YAML <-> cJSON for kubeconfig files ---- */

/* Parse one YAML document (a mapping; empty text gives {}).  name is used
 * in error messages.  Caller frees with cJSON_Delete. */
cJSON *kc_yaml_parse(const char *text, size_t len, const char *name,
		     struct err *e);
/* Append v as block YAML to out. */
int kc_yaml_emit(const cJSON *v, struct buf *out, struct err *e);

/* ---- kc_util.c ---- */

/* Decode standard base64 (whitespace tolerated) into out. */
int kc_base64_decode(const char *in, struct buf *out, struct err *e);
/* Read a whole file into out (appending).  ERR_NOT_FOUND / ERR_IO. */
int kc_read_file(const char *path, struct buf *out, struct err *e);
/* Write data to path atomically (temp file + rename), keeping the mode of
 * an existing file (else mode). */
int kc_write_file_atomic(const char *path, const char *data, size_t len,
			 unsigned mode, struct err *e);
/* Join dir-of(base) and rel unless rel is absolute; caller frees. */
char *kc_path_rel(const char *base, const char *rel);
void kc_strv_free(char **v);

/* ---- watch.c: newline-delimited JSON watch stream decoder ---- */

#define WATCH_MAX_LINE_DEFAULT (64u << 20)

enum watch_type {
	WATCH_ADDED = 0,
	WATCH_MODIFIED,
	WATCH_DELETED,
	WATCH_BOOKMARK,
	WATCH_ERROR,
};

/* One decoded event; obj ownership passes to the callback. */
typedef int (*watch_event_cb)(enum watch_type type, cJSON *obj, void *arg);

struct watch_dec;

struct watch_dec *watch_dec_new(size_t max_line);
void watch_dec_free(struct watch_dec *d);
/*
 * Feed bytes (any chunking).  Each complete line is decoded and handed to
 * cb; a callback returning -1 stops decoding (its error is in e).
 * Returns -1 with ERR_PARSE on a malformed event or ERR_TOO_LARGE on a
 * line longer than max_line; the decoder is then unusable.
 */
int watch_dec_feed(struct watch_dec *d, const char *data, size_t len,
		   watch_event_cb cb, void *arg, struct err *e);
/* Bytes buffered in an incomplete line. */
size_t watch_dec_pending(const struct watch_dec *d);
const char *watch_type_name(enum watch_type t);

/* ---- ratelimit.c: token bucket ---- */

struct ratelimit {
	double qps;
	double burst;
	double tokens;
	int64_t last_ns;
};

void ratelimit_init(struct ratelimit *rl, double qps, int burst,
		    int64_t now_ns);
/* Take a token if one is available at now_ns: return 0.  Otherwise
 * return the nanoseconds until one will be (no token taken). */
int64_t ratelimit_take(struct ratelimit *rl, int64_t now_ns);

/* ---- status.c ---- */

/* Fill e from an HTTP status and body (a Kubernetes Status if JSON). */
void client_status_err(int http_status, const cJSON *body,
		       const char *raw, size_t raw_len, struct err *e);

/* ---- url.c ---- */

/* Append s URL-encoded (query component rules) to b. */
void client_url_escape(struct buf *b, const char *s);
/* Append "?k=v" or "&k=v" (v escaped) depending on whether b has a '?'. */
void client_url_param(struct buf *b, const char *k, const char *v);

/* o[a][b] (b may be NULL for o[a]); NULL when missing.  Borrowed. */
cJSON *client_jget(const cJSON *o, const char *a, const char *b);
/* String at o[a][b] or NULL. */
const char *client_jstr(const cJSON *o, const char *a, const char *b);

#endif
