/* SPDX-License-Identifier: Apache-2.0 */
/*
 * helm releases: decoding real release Secrets written by helm v4
 * (tests/data/helm-release-secrets.json: `helm install web demo --set
 * replicaCount=2 --set service.port=8080` then `helm upgrade web demo
 * --set replicaCount=3`, chart from `helm create demo`), the list and
 * history lines, values/manifest/notes, and the decoder's error paths
 * (bad base64, not gzip, truncated gzip, over the inflate cap).
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <gnutls/gnutls.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/buf.h"
#include "common/file.h"
#include "common/mem.h"
#include "tests/tap.h"
#include "tui/tui.h"

static cJSON *load_secrets(void)
{
	const char *top = getenv("TOP_SRCDIR");
	char path[1024];
	FILE *fp;
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	cJSON *j;

	snprintf(path, sizeof(path), "%s/tests/data/helm-release-secrets.json",
		 top ? top : KDECK_SRCDIR);
	fp = fopen(path, "re");
	if (!fp)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	j = cJSON_Parse(buf_cstr(&b));
	buf_free(&b);
	return j;
}

static char *b64(const void *data, size_t n)
{
	gnutls_datum_t in = { (unsigned char *)data, (unsigned)n }, out = { NULL, 0 };
	char *s;

	gnutls_base64_encode2(&in, &out);
	s = xstrndup((const char *)out.data, out.size);
	gnutls_free(out.data);
	return s;
}

/* Secret data for raw bytes: base64(base64(raw)). */
static char *wrap(const void *raw, size_t n)
{
	char *inner = b64(raw, n), *outer = b64(inner, strlen(inner));

	free(inner);
	return outer;
}

static size_t gzip_bytes(const void *in, size_t n, unsigned char **out)
{
	z_stream z;
	size_t cap;

	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
	cap = deflateBound(&z, (uLong)n);
	*out = xmalloc(cap);
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)n;
	z.next_out = *out;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	cap = z.total_out;
	deflateEnd(&z);
	return cap;
}

static int decode_str(const char *data, cJSON **rel, struct err *e)
{
	return helm_release_decode(data, strlen(data), rel, e);
}

static char *joined(struct vec *lines)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < lines->len; i++)
		buf_printf(&b, "%s\n", ((struct ui_line *)lines->items[i])->text);
	vec_free(lines, ui_line_free);
	return buf_take(&b);
}

static void real_releases(const cJSON *list)
{
	const cJSON *items = cJSON_GetObjectItem(list, "items");
	const cJSON *v1 = cJSON_GetArrayItem(items, 0), *v2 = cJSON_GetArrayItem(items, 1);
	cJSON *r1 = NULL, *r2 = NULL;
	struct vec lines = VEC_INIT;
	struct err e;
	char *s;

	ok(helm_is_release(v1) && helm_is_release(v2), "both Secrets are releases");
	is_int(decode_str(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(v1, "data"), "release")), &r1, &e), 0, "revision 1 decodes");
	is_int(decode_str(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(v2, "data"), "release")), &r2, &e), 0, "revision 2 decodes");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(r2, "name")), "web", "release name");
	is_int((long long)cJSON_GetNumberValue(cJSON_GetObjectItem(r2, "version")), 2, "release version");
	s = helm_section(r1, 'v');
	ok(strstr(s, "replicaCount: 2") && strstr(s, "port: 8080"), "rev 1 values as YAML");
	free(s);
	s = helm_section(r2, 'v');
	ok(strstr(s, "replicaCount: 3") && !strstr(s, "port:"), "rev 2 values: only what was set");
	free(s);
	s = helm_section(r2, 'm');
	ok(strstr(s, "kind: Deployment") != NULL, "manifest");
	free(s);
	s = helm_section(r2, 'n');
	ok(strstr(s, "Get the application URL") != NULL, "notes");
	free(s);

	helm_build(items, NULL, NULL, &lines);
	is_int((long long)lines.len, 1, "one release listed (latest revision)");
	is_str(((struct ui_line *)lines.items[0])->name, "sh.helm.release.v1.web.v2",
	       "the line is the latest Secret");
	is_str(((struct ui_line *)lines.items[0])->arg, "web", "line arg: the release");
	s = joined(&lines);
	ok(strstr(s, "web ") && strstr(s, " 2 ") && strstr(s, "deployed") &&
	   strstr(s, "demo-0.1.0") && strstr(s, "1.16.0"), "columns: %s", s);
	free(s);
	helm_build(items, "default", "web", &lines);
	is_int((long long)lines.len, 2, "history: every revision");
	s = joined(&lines);
	ok(strstr(s, "superseded") && strstr(s, " 2 ") < strstr(s, " 1 "),
	   "history newest first: %s", s);
	free(s);
	helm_build(items, "other", NULL, &lines);
	s = joined(&lines);
	ok(strstr(s, "no helm releases") != NULL, "another namespace: none");
	free(s);
	cJSON_Delete(r1);
	cJSON_Delete(r2);
}

static void errors(void)
{
	cJSON *rel = NULL;
	struct err e;
	char *d;
	unsigned char *gz;
	size_t n;
	char *zeros;
	static const char json[] = "{\"name\":\"plain\",\"version\":1}";

	is_int(decode_str("%%%not base64", &rel, &e), -1, "bad outer base64");
	is_int(e.code, ERR_PARSE, "bad base64: ERR_PARSE");
	d = b64("@@@", 3);
	is_int(decode_str(d, &rel, &e), -1, "bad inner base64");
	free(d);
	is_int(decode_str("", &rel, &e), -1, "empty data");
	d = wrap(json, strlen(json));
	is_int(decode_str(d, &rel, &e), 0, "plain JSON accepted");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(rel, "name")), "plain", "plain name");
	cJSON_Delete(rel);
	rel = NULL;
	free(d);
	d = wrap("[1,2]", 5);
	is_int(decode_str(d, &rel, &e), -1, "a JSON array is no release");
	free(d);
	n = gzip_bytes(json, strlen(json), &gz);
	d = wrap(gz, n - 6);
	is_int(decode_str(d, &rel, &e), -1, "truncated gzip");
	ok(strstr(e.msg, "gzip") != NULL, "truncated: %s", e.msg);
	free(d);
	gz[n / 2] ^= 0xff;
	d = wrap(gz, n);
	is_int(decode_str(d, &rel, &e), -1, "corrupt gzip");
	free(d);
	free(gz);
	zeros = xcalloc(1, HELM_MAX_INFLATE + 4096);
	memset(zeros, ' ', HELM_MAX_INFLATE + 4095);
	n = gzip_bytes(zeros, HELM_MAX_INFLATE + 4095, &gz);
	free(zeros);
	d = wrap(gz, n);
	is_int(decode_str(d, &rel, &e), -1, "over the inflate cap");
	ok(strstr(e.msg, "MiB") != NULL, "cap: %s", e.msg);
	free(d);
	free(gz);
}

static void other_secrets(void)
{
	cJSON *l = cJSON_Parse("[{\"type\":\"Opaque\",\"metadata\":{\"name\":\"x\"}},"
			       "{\"type\":\"helm.sh/release.v1\",\"metadata\":{\"name\":\"sh.helm.release.v1.bad.v1\","
			       "\"namespace\":\"d\",\"labels\":{\"name\":\"bad\",\"version\":\"1\","
			       "\"status\":\"failed\"}},\"data\":{\"release\":\"!!\"}}]");
	struct vec lines = VEC_INIT;
	char *s;

	helm_build(l, NULL, NULL, &lines);
	is_int((long long)lines.len, 1, "opaque Secrets are not releases");
	is_int(((struct ui_line *)lines.items[0])->style, TS_STATUS_BAD, "failed: bad style");
	s = joined(&lines);
	ok(strstr(s, "(undecodable)") && strstr(s, "failed"), "undecodable shown: %s", s);
	free(s);
	cJSON_Delete(l);
}

int main(void)
{
	cJSON *list = load_secrets();

	ok(list != NULL, "fixture tests/data/helm-release-secrets.json");
	if (list)
		real_releases(list);
	cJSON_Delete(list);
	errors();
	other_secrets();
	return tap_done();
}
