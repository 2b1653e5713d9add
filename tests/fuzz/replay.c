/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay: stands in for libFuzzer when kdeck is built without
 * --enable-fuzzing.  Runs LLVMFuzzerTestOneInput over every file of the
 * target's seed corpus (tests/fuzz/corpus/<target>/, or the directories and
 * files named on the command line) and reports each as a TAP line, so the
 * seeds of every parser are exercised (under ASan/UBSan in CI) by
 * `make check`.  A crash fails the test through the sanitizer.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count;

static void run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t len = 0, cap = 0, n;
	uint8_t chunk[4096];

	if (!fp) {
		printf("not ok %d - cannot open %s\n", ++count, path);
		return;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (len + n > cap) {
			cap = (len + n) * 2;
			data = realloc(data, cap);
			if (!data)
				abort();
		}
		memcpy(data + len, chunk, n);
		len += n;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(data ? data : (const uint8_t *)"", len);
	free(data);
	printf("ok %d - %s\n", ++count, path);
	fflush(stdout);
}

static void run_path(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (stat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		run_file(path);
		return;
	}
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char sub[4096];

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		run_path(sub);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			run_path(argv[i]);
	} else {
		const char *top = getenv("TOP_SRCDIR");
		const char *base = strrchr(argv[0], '/');
		char dir[4096];

		base = base ? base + 1 : argv[0];
		snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s",
			 top ? top : KDECK_SRCDIR, base);
		run_path(dir);
	}
	/* The empty input is always worth one run. */
	LLVMFuzzerTestOneInput((const uint8_t *)"", 0);
	printf("ok %d - empty input\n1..%d\n", count + 1, count + 1);
	return 0;
}
