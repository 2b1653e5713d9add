/* SPDX-License-Identifier: Apache-2.0 */
/*
 * logset: followed logs of several containers at once (one pod's
 * containers, or every container of a workload's pods), each its own
 * `pods/log?follow=true` stream of the source.
 *
 * Streamed text is cut into lines per stream (a chunk may end inside a
 * line; the rest waits for the next one) and each line goes to the
 * owner's callback with the stream's prefix, "[pod/NAME/CONTAINER] " as
 * `kubectl logs --prefix` writes it (empty with one stream).  A stream
 * that ends (container stopped, connection dropped) is opened again
 * LOGSET_RETRY_MS later with sinceTime = when it ended, so nothing shows
 * twice; a previous instance's log is read once and not reopened.  All
 * callbacks run on the UI thread inside the source's drain.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"
#include "tui/tui.h"

#define LOGSET_RETRY_MS 3000

struct log_stream {
	struct log_set *ls;
	struct log_target t;
	char prefix[420];
	void *handle;			/* the source's follow handle, or NULL */
	struct buf partial;		/* text after the last newline */
	char since[KTIME_STR_MAX];	/* reconnect from here ("" = first) */
	long retry_at;			/* ms clock; 0 = not waiting */
};

struct log_set {
	struct src *src;
	struct kind_info *pods;
	char ns[128];
	struct log_opts o;
	struct log_stream *st;
	size_t n;
	int err_shown;			/* an end with an error was reported */
	logset_line_cb line;
	logset_end_cb end;
	void *arg;
};

struct log_set *log_set_new(struct src *s, const struct kind_info *pods,
			    const char *ns, logset_line_cb line,
			    logset_end_cb end, void *arg)
{
	struct log_set *ls = xcalloc(1, sizeof(*ls));

	ls->src = s;
	ls->pods = kind_info_new(pods->plural, pods->singular, pods->kind, pods->group,
				 pods->shorts, pods->namespaced, pods->scalable);
	snprintf(ls->ns, sizeof(ls->ns), "%s", ns);
	ls->line = line;
	ls->end = end;
	ls->arg = arg;
	return ls;
}

static void emit(struct log_stream *st, const char *text, size_t n)
{
	st->ls->line(st->ls->arg, st->prefix, text, n);
}

static void on_data(void *arg, const char *text, size_t n)
{
	struct log_stream *st = arg;
	const char *nl;

	while (n && (nl = memchr(text, '\n', n))) {
		size_t k = (size_t)(nl - text);

		if (st->partial.len) {
			buf_add(&st->partial, text, k);
			emit(st, st->partial.data, st->partial.len);
			buf_reset(&st->partial);
		} else {
			emit(st, text, k);
		}
		n -= k + 1;
		text = nl + 1;
	}
	if (n)
		buf_add(&st->partial, text, n);
}

static void on_end(void *arg, const struct err *e, const char *text)
{
	struct log_stream *st = arg;
	struct log_set *ls = st->ls;
	struct ktime now = ktime_now();

	(void)text;
	st->handle = NULL;
	if (st->partial.len) {
		emit(st, st->partial.data, st->partial.len);
		buf_reset(&st->partial);
	}
	ktime_format(&now, st->since);
	st->retry_at = ls->o.previous ? 0 : app_now_ms() + LOGSET_RETRY_MS;
	if (ls->end)
		ls->end(ls->arg, e->code != ERR_OK && !ls->err_shown ? e : NULL);
	ls->err_shown = e->code != ERR_OK;
}

static void stream_open(struct log_stream *st)
{
	struct log_set *ls = st->ls;
	char since[KTIME_STR_MAX] = "";

	st->retry_at = 0;
	if (!st->since[0] && ls->o.since_s > 0) {
		struct ktime t = ktime_now();

		t.sec -= ls->o.since_s;
		ktime_format(&t, since);
	}
	st->handle = ls->src->ops->logs_follow(ls->src, ls->pods, ls->ns, st->t.pod,
					       st->t.container, ls->o.stamps, ls->o.previous,
					       st->since[0] ? -1 : ls->o.tail,
					       st->since[0] ? st->since : since[0] ? since : NULL,
					       on_data, on_end, st);
}

void log_set_stop(struct log_set *ls)
{
	if (!ls)
		return;
	for (size_t i = 0; i < ls->n; i++) {
		if (ls->st[i].handle)
			ls->src->ops->logs_stop(ls->src, ls->st[i].handle);
		buf_free(&ls->st[i].partial);
	}
	free(ls->st);
	ls->st = NULL;
	ls->n = 0;
	ls->err_shown = 0;
}

void log_set_start(struct log_set *ls, const struct log_target *t, size_t n,
		   const struct log_opts *o)
{
	log_set_stop(ls);
	ls->o = *o;
	ls->st = xcalloc(n ? n : 1, sizeof(*ls->st));
	ls->n = n;
	for (size_t i = 0; i < n; i++) {
		struct log_stream *st = &ls->st[i];

		st->ls = ls;
		st->t = t[i];
		buf_init(&st->partial);
		if (n > 1)
			snprintf(st->prefix, sizeof(st->prefix), "[pod/%s/%s] ", t[i].pod,
				 t[i].container);
	}
	/* opened after the array is complete: a source may call back at once */
	for (size_t i = 0; i < n; i++)
		stream_open(&ls->st[i]);
}

void log_set_tick(struct log_set *ls, long now_ms)
{
	for (size_t i = 0; ls && i < ls->n; i++)
		if (!ls->st[i].handle && ls->st[i].retry_at && now_ms >= ls->st[i].retry_at)
			stream_open(&ls->st[i]);
}

size_t log_set_count(const struct log_set *ls, size_t *live)
{
	size_t k = 0;

	for (size_t i = 0; ls && i < ls->n; i++)
		k += ls->st[i].handle != NULL;
	if (live)
		*live = k;
	return ls ? ls->n : 0;
}

void log_set_free(struct log_set *ls)
{
	if (!ls)
		return;
	log_set_stop(ls);
	kind_info_free(ls->pods);
	free(ls);
}

/* ------------------------------------------------------------ targets */

size_t log_targets_pod(const cJSON *pod, struct log_target *t, size_t max)
{
	static const char *const lists[] = { "spec.initContainers", "spec.containers" };
	const char *name = json_get_str(pod, "metadata.name");
	size_t n = 0;

	for (size_t i = 0; name && i < 2; i++) {
		const cJSON *c;

		cJSON_ArrayForEach(c, json_get(pod, lists[i])) {
			const char *cn = json_get_str(c, "name");

			if (!cn || n == max)
				continue;
			snprintf(t[n].pod, sizeof(t[n].pod), "%s", name);
			snprintf(t[n].container, sizeof(t[n].container), "%s", cn);
			n++;
		}
	}
	return n;
}

/* spec.selector as a label selector string ("k=v,k in (a,b),!k"). */
static char *selector_text(const cJSON *sel)
{
	static const struct { const char *op, *fmt; } ops[] = {
		{ "In", "%s in (" }, { "NotIn", "%s notin (" },
		{ "Exists", "%s" }, { "DoesNotExist", "!%s" },
	};
	struct buf b = BUF_INIT;
	const cJSON *kv, *ex;

	cJSON_ArrayForEach(kv, json_get(sel, "matchLabels"))
		buf_printf(&b, "%s%s=%s", b.len ? "," : "", kv->string,
			   cJSON_GetStringValue(kv) ? kv->valuestring : "");
	cJSON_ArrayForEach(ex, json_get(sel, "matchExpressions")) {
		const char *key = json_get_str(ex, "key"), *op = json_get_str(ex, "operator");
		const cJSON *v;
		size_t i, nv = 0;

		for (i = 0; op && key && i < 4 && strcmp(op, ops[i].op); i++)
			;
		if (!op || !key || i == 4)
			continue;
		buf_adds(&b, b.len ? "," : "");
		buf_printf(&b, ops[i].fmt, key);
		if (i >= 2)
			continue;
		cJSON_ArrayForEach(v, json_get(ex, "values"))
			buf_printf(&b, "%s%s", nv++ ? "," : "", cJSON_GetStringValue(v) ?
				   v->valuestring : "");
		buf_adds(&b, ")");
	}
	return buf_take(&b);
}

static char *labels_text(const cJSON *obj)
{
	struct buf b = BUF_INIT;
	const cJSON *kv;

	cJSON_ArrayForEach(kv, json_get(obj, "metadata.labels"))
		buf_printf(&b, "%s%s=%s", b.len ? "," : "", kv->string,
			   cJSON_GetStringValue(kv) ? kv->valuestring : "");
	return buf_take(&b);
}

size_t log_targets_workload(const cJSON *wl, const cJSON *pods,
			    struct log_target *t, size_t max, int *truncated)
{
	char *sel = selector_text(json_get(wl, "spec.selector"));
	const cJSON *p;
	size_t n = 0;
	struct err e;

	*truncated = 0;
	cJSON_ArrayForEach(p, pods) {
		char *labels;
		size_t need;
		int m;

		if (!sel || !*sel)	/* an empty selector selects nothing here */
			break;
		labels = labels_text(p);
		m = filter_labels_match(sel, labels, &e);
		free(labels);
		if (m <= 0)
			continue;
		need = (size_t)cJSON_GetArraySize(json_get(p, "spec.containers")) +
		       (size_t)cJSON_GetArraySize(json_get(p, "spec.initContainers"));
		if (n + need > max) {
			*truncated = 1;
			break;
		}
		n += log_targets_pod(p, t + n, max - n);
	}
	free(sel);
	return n;
}
