/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kyaml_tool: lets yaml_kubectl.sh hold kyaml up against real kubectl.
 *
 *   kyaml_tool emit < objects.json       kyaml_emit of each JSON value on
 *                                        stdin, "---" between them
 *   kyaml_tool compare file.yaml k.json  exit 0 when kyaml_parse(file.yaml)
 *                                        equals kubectl's JSON for it, less
 *                                        the annotation kdeck-test that the
 *                                        script had kubectl add
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/yaml.h"

static char *slurp(FILE *f, size_t *len)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	*len = b.len;
	return buf_take(&b);
}

static cJSON *load(const char *path, bool yaml)
{
	FILE *f = fopen(path, "rb");
	struct err e = {0};
	size_t len;
	char *text;
	cJSON *v;

	if (!f) {
		perror(path);
		return NULL;
	}
	text = slurp(f, &len);
	fclose(f);
	v = yaml ? kyaml_parse(text, len, &e) : json_parse(text, len, &e);
	if (!v)
		fprintf(stderr, "%s: %s\n", path, e.msg);
	free(text);
	return v;
}

/*
 * kubectl -o json prints several objects back to back, -o yaml the same
 * objects as documents separated by "---": emit each value of the JSON
 * stream on stdin that way.
 */
static int emit(void)
{
	size_t len, off = 0;
	char *text = slurp(stdin, &len), *out;
	const char *end;
	int rc = 0, n = 0;

	while (off < len && !rc) {
		cJSON *v =
		    cJSON_ParseWithLengthOpts(text + off, len - off, &end, 0);

		if (!v) {
			rc = strspn(text + off, " \t\r\n") != len - off;
			break;
		}
		out = kyaml_emit(v);
		printf("%s%s", n++ ? "---\n" : "", out);
		free(out);
		cJSON_Delete(v);
		off = (size_t)(end - text);
	}
	if (rc)
		fprintf(stderr, "stdin: bad JSON at offset %zu\n", off);
	free(text);
	return rc;
}

static int compare(const char *yaml_path, const char *json_path)
{
	cJSON *mine = load(yaml_path, true), *theirs = load(json_path, false);
	cJSON *ann;
	int rc = 1;

	if (!mine || !theirs)
		goto out;
	json_del(theirs, "metadata.annotations.kdeck-test");
	ann = json_get(theirs, "metadata.annotations");
	if (ann && !ann->child && !json_get(mine, "metadata.annotations"))
		json_del(theirs, "metadata.annotations");
	if (json_equal(mine, theirs)) {
		rc = 0;
	} else {
		char *a = json_canonical(mine), *b = json_canonical(theirs);

		printf("kyaml:   %s\nkubectl: %s\n", a, b);
		free(a);
		free(b);
	}
out:
	cJSON_Delete(mine);
	cJSON_Delete(theirs);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "emit"))
		return emit();
	if (argc == 4 && !strcmp(argv[1], "compare"))
		return compare(argv[2], argv[3]);
	fprintf(stderr,
		"usage: kyaml_tool emit < x.json | compare x.yaml k.json\n");
	return 2;
}
