/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_pb: protobuf bodies captured from real kubectl (tests/data/pb/NAME.bin,
 * see tests/tools/pb_capture.py) decode to the JSON next to them
 * (NAME.json); hand-made malformed bodies fail with clear errors.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/pb.h"
#include "../tap.h"

static const char *const vectors[] = {
	"clusterrole",
	"clusterrolebinding",
	"configmap",
	"cronjob",
	"deleteoptions-full",
	"deleteoptions",
	"deployment-multi",
	"deployment-zero",
	"deployment",
	"ingress",
	"job",
	"namespace",
	"pdb-max",
	"pdb-min",
	"pod",
	"priorityclass",
	"resourcequota",
	"role",
	"rolebinding",
	"sar",
	"secret-docker",
	"secret",
	"selfsubjectreview",
	"service",
	"serviceaccount",
	"ssar",
	"ssrr",
	"tokenrequest",
};

static char *slurp(const char *name, const char *ext, size_t *len)
{
	const char *top = getenv("TOP_SRCDIR");
	char path[1024];
	char *data = NULL;
	long n;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/tests/data/pb/%s.%s", top ? top : ".",
		 name, ext);
	fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0) {
		rewind(fp);
		data = calloc(1, (size_t)n + 1);
		if (fread(data, 1, (size_t)n, fp) != (size_t)n) {
			free(data);
			data = NULL;
		}
		*len = (size_t)n;
	}
	fclose(fp);
	return data;
}

static void test_vector(const char *name)
{
	size_t blen = 0, jlen = 0;
	char *bin = slurp(name, "bin", &blen), *json = slurp(name, "json", &jlen);
	cJSON *want = json ? cJSON_Parse(json) : NULL, *got;
	struct err e;
	char *s;

	if (!ok(bin && want, "%s: vector files", name))
		goto out;
	got = pb_decode(bin, blen, &e);
	if (!ok(got != NULL, "%s: decodes", name)) {
		diag(e.msg);
		goto out;
	}
	if (!ok(cJSON_Compare(got, want, 1), "%s: JSON matches", name)) {
		s = cJSON_PrintUnformatted(got);
		diag(s);
		free(s);
	}
	cJSON_Delete(got);
out:
	cJSON_Delete(want);
	free(bin);
	free(json);
}

struct bad_case {
	const char *name;
	const char *hex;	/* after the k8s\0 magic unless no_magic */
	enum err_code code;
	const char *msg;
};

/* 0a0f0a027631 1209 "Namespace": typeMeta {v1, Namespace}. */
#define TM_NS "0a0f0a02763112094e616d657370616365"

static const struct bad_case bad[] = {
	{ "truncated varint", "0a", ERR_BAD_REQUEST,
	  "malformed protobuf body: truncated varint at byte 5" },
	{ "length past end", "0a05", ERR_BAD_REQUEST,
	  "malformed protobuf body: length past the end of the message at "
	  "byte 6" },
	{ "no kind", "", ERR_BAD_REQUEST,
	  "malformed protobuf body: the envelope names no kind" },
	{ "unknown kind", "0a0f0a02763112095769646765744b6974", ERR_MEDIA_TYPE,
	  "protobuf is not supported for v1 WidgetKit; send application/json" },
	{ "group wire type", TM_NS "1202" "7b00", ERR_BAD_REQUEST,
	  "malformed protobuf body: unsupported wire type at byte 24" },
	{ "wrong wire type", TM_NS "1202" "0801", ERR_BAD_REQUEST,
	  "malformed protobuf body: wire type does not match the schema at "
	  "byte 24" },
	{ "field zero", TM_NS "1202" "0001", ERR_BAD_REQUEST,
	  "malformed protobuf body: invalid field number at byte 24" },
	{ "varint overflow", TM_NS "120b" "38ffffffffffffffffff7f",
	  ERR_BAD_REQUEST, "malformed protobuf body: varint overflows 64 "
	  "bits at byte 34" },
	{ "inner length", TM_NS "1204" "0a050a00", ERR_BAD_REQUEST,
	  "malformed protobuf body: length past the end of the message at "
	  "byte 25" },
	{ "encoding", TM_NS "1a04677a6970", ERR_MEDIA_TYPE,
	  "protobuf content encoding \"gzip\" is not supported" },
};

static size_t unhex(const char *hex, unsigned char *out)
{
	size_t n = 0;
	unsigned v;

	while (hex[0] && hex[1] && sscanf(hex, "%2x", &v) == 1) {
		out[n++] = (unsigned char)v;
		hex += 2;
	}
	return n;
}

static void test_bad(void)
{
	unsigned char buf[256];
	struct err e;
	size_t i, n;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(buf, "k8s", 4);
		n = 4 + unhex(bad[i].hex, buf + 4);
		err_clear(&e);
		ok(pb_decode(buf, n, &e) == NULL, "%s fails", bad[i].name);
		is_int(e.code, bad[i].code, "%s code", bad[i].name);
		is_str(e.msg, bad[i].msg, "%s message", bad[i].name);
	}
	ok(pb_decode("k8", 2, &e) == NULL && e.code == ERR_BAD_REQUEST,
	   "short body");
	ok(pb_decode("{\"a\":1}", 7, &e) == NULL &&
	   !strcmp(e.msg, "malformed protobuf body: missing the k8s\\0 prefix"),
	   "JSON body rejected");
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++)
		test_vector(vectors[i]);
	test_bad();
	return tap_done();
}
