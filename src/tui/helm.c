/* SPDX-License-Identifier: Apache-2.0 */
/*
 * helm: releases decoded from helm's release Secrets (`:helm`).
 *
 * Helm keeps one Secret per revision, type helm.sh/release.v1, labels
 * owner=helm, name=<release>, version=<revision>, status=<status>; its
 * data.release is (Secret base64 of) helm's own base64 of a gzip stream
 * of the release JSON (name, namespace, version, info{status,
 * last_deployed, description, notes}, chart.metadata{name, version,
 * appVersion}, config (the user-supplied values), manifest).  Decoding
 * uses gnutls for base64 and zlib for gzip; the inflated size is capped
 * (HELM_MAX_INFLATE) so a hostile Secret cannot blow up memory.  Pure:
 * no terminal, no source; the view is in view_helm.c.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <gnutls/gnutls.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/yaml.h"
#include "tui/tui.h"

/* Standard base64 (whitespace skipped) into out (NUL-terminated). */
static int b64(const char *in, size_t len, struct buf *out, struct err *e,
	       const char *what)
{
	struct buf clean = BUF_INIT;
	gnutls_datum_t src, raw = { NULL, 0 };
	int rc = 0;

	buf_adds(&clean, "");
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", in[i]) && in[i])
			buf_addc(&clean, in[i]);
	src.data = (unsigned char *)clean.data;
	src.size = (unsigned)clean.len;
	if (!clean.len || gnutls_base64_decode2(&src, &raw) < 0) {
		rc = err_set(e, ERR_PARSE, "helm release: invalid base64 (%s)", what);
		goto out;
	}
	buf_add(out, raw.data, raw.size);
out:
	gnutls_free(raw.data);
	buf_free(&clean);
	return rc;
}

/* gzip stream -> out, at most HELM_MAX_INFLATE bytes. */
static int gunzip(const unsigned char *in, size_t len, struct buf *out,
		  struct err *e)
{
	z_stream z;
	unsigned char chunk[16384];
	int zr = Z_OK, rc = 0;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return err_set(e, ERR_INTERNAL, "helm release: zlib init failed");
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)len;
	while (zr != Z_STREAM_END) {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END) {
			rc = err_set(e, ERR_PARSE, "helm release: bad gzip data (%s)",
				     z.msg ? z.msg : "truncated");
			goto out;
		}
		buf_add(out, chunk, sizeof(chunk) - z.avail_out);
		if (out->len > HELM_MAX_INFLATE) {
			rc = err_set(e, ERR_PARSE, "helm release: larger than %u MiB inflated",
				     HELM_MAX_INFLATE >> 20);
			goto out;
		}
		if (zr == Z_OK && !z.avail_in && z.avail_out) {
			rc = err_set(e, ERR_PARSE, "helm release: truncated gzip data");
			goto out;
		}
	}
out:
	inflateEnd(&z);
	return rc;
}

int helm_release_decode(const char *data, size_t len, cJSON **out, struct err *e)
{
	struct buf outer = BUF_INIT, inner = BUF_INIT, json = BUF_INIT;
	const unsigned char *p;
	cJSON *rel = NULL;
	int rc = -1;

	if (b64(data, len, &outer, e, "Secret data") < 0 ||
	    b64(outer.data, outer.len, &inner, e, "helm encoding") < 0)
		goto out;
	p = (const unsigned char *)inner.data;
	if (inner.len >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8) {
		if (gunzip(p, inner.len, &json, e) < 0)
			goto out;
	} else {
		buf_add(&json, inner.data, inner.len);	/* helm writes plain JSON too */
	}
	rel = json_parse(buf_cstr(&json), json.len, e);
	if (!rel)
		goto out;
	if (!cJSON_IsObject(rel)) {
		cJSON_Delete(rel);
		err_set(e, ERR_PARSE, "helm release: not a JSON object");
		goto out;
	}
	*out = rel;
	rc = 0;
out:
	buf_free(&outer);
	buf_free(&inner);
	buf_free(&json);
	return rc;
}

static const char *str(const cJSON *o, const char *path)
{
	const char *s = json_get_str(o, path);

	return s ? s : "";
}

int helm_is_release(const cJSON *secret)
{
	return !strcmp(str(secret, "type"), "helm.sh/release.v1");
}

static long long revision(const cJSON *secret)
{
	return strtoll(str(secret, "metadata.labels.version"), NULL, 10);
}

/* Newest revision first, then by release name. */
static int by_release(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	int c = strcmp(str(x, "metadata.namespace"), str(y, "metadata.namespace"));
	long long rx = revision(x), ry = revision(y);

	if (!c)
		c = strcmp(str(x, "metadata.labels.name"), str(y, "metadata.labels.name"));
	return c ? c : (rx < ry) - (rx > ry);
}

/* "2026-11-29 08:01:47" from helm's RFC 3339 with fractions and zone. */
static void short_time(const char *t, char *buf, size_t n)
{
	snprintf(buf, n, "%.19s", t);
	if (strlen(buf) > 10 && buf[10] == 'T')
		buf[10] = ' ';
}

/* One release line from its Secret (decoded for chart and times). */
static void release_line(const cJSON *s, struct vec *out)
{
	const cJSON *d = json_get(s, "data.release");
	cJSON *rel = NULL;
	struct err e;
	char chart[256] = "?", when[32] = "?", app[128] = "?";
	const char *status = str(s, "metadata.labels.status");

	if (cJSON_IsString(d) &&
	    helm_release_decode(d->valuestring, strlen(d->valuestring), &rel, &e) == 0) {
		snprintf(chart, sizeof(chart), "%s-%s", str(rel, "chart.metadata.name"),
			 str(rel, "chart.metadata.version"));
		snprintf(app, sizeof(app), "%s", str(rel, "chart.metadata.appVersion"));
		short_time(str(rel, "info.last_deployed"), when, sizeof(when));
		if (str(rel, "info.status")[0])
			status = str(rel, "info.status");
	} else {
		snprintf(chart, sizeof(chart), "(undecodable)");
	}
	vec_push(out, ui_line_new(!strcmp(status, "deployed") ? TS_ROW :
				  !strcmp(status, "superseded") ? TS_HINT :
				  !strcmp(status, "failed") ? TS_STATUS_BAD : TS_STATUS_WARN,
				  "secrets", str(s, "metadata.namespace"),
				  str(s, "metadata.name"), str(s, "metadata.labels.name"),
				  "%-24s %-16s %-8lld %-20s %-12s %-30s %s",
				  str(s, "metadata.labels.name"), str(s, "metadata.namespace"),
				  revision(s), when, status, chart, app));
	cJSON_Delete(rel);
}

void helm_build(const cJSON *secrets, const char *ns, const char *release,
		struct vec *out)
{
	const cJSON *s;
	struct vec rels = VEC_INIT;
	const char *last_ns = NULL, *last_name = NULL;

	cJSON_ArrayForEach(s, secrets)
		if (helm_is_release(s) && (!ns || !ns[0] ||
					   !strcmp(ns, str(s, "metadata.namespace"))) &&
		    (!release || !strcmp(release, str(s, "metadata.labels.name"))))
			vec_push(&rels, (void *)s);
	if (rels.len)
		qsort(rels.items, rels.len, sizeof(void *), by_release);
	for (size_t i = 0; i < rels.len; i++) {
		const cJSON *r = rels.items[i];

		if (!release && last_name && !strcmp(last_name, str(r, "metadata.labels.name")) &&
		    !strcmp(last_ns, str(r, "metadata.namespace")))
			continue;	/* an older revision of the same release */
		last_ns = str(r, "metadata.namespace");
		last_name = str(r, "metadata.labels.name");
		release_line(r, out);
	}
	if (!rels.len)
		vec_push(out, ui_line_new(TS_HINT, NULL, NULL, NULL, NULL,
					  release ? "no revisions of %s" : "%sno helm releases",
					  release ? release : ""));
	vec_free(&rels, NULL);
}

char *helm_section(const cJSON *rel, char what)
{
	const cJSON *cfg = cJSON_GetObjectItem(rel, "config");

	switch (what) {
	case 'v':
		if (!cJSON_IsObject(cfg) || !cJSON_GetArraySize(cfg))
			return xstrdup("# no user-supplied values\n");
		return kyaml_emit(cfg);
	case 'm':
		return xstrdup(str(rel, "manifest")[0] ? str(rel, "manifest") : "# no manifest\n");
	case 'n':
		return xstrdup(str(rel, "info.notes")[0] ? str(rel, "info.notes") : "(no notes)\n");
	default:
		return xstrdup("");
	}
}
