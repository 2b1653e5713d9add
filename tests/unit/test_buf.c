/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/file.h"
#include "common/mem.h"
#include "common/vec.h"
#include "tests/tap.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_buf(void)
{
	struct buf b = BUF_INIT;
	char *s;

	is_str(buf_cstr(&b), "", "empty buf reads as empty string");
	buf_adds(&b, "hello");
	buf_addc(&b, ' ');
	buf_printf(&b, "%s %d", "world", 42);
	is_str(buf_cstr(&b), "hello world 42", "adds, addc and printf");
	is_int((long long)b.len, 14, "length tracked");
	buf_reset(&b);
	is_str(buf_cstr(&b), "", "reset empties");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%03d", i % 1000);
	is_int((long long)b.len, 3000, "grows past many doublings");
	ok(!memcmp(b.data + 2997, "999", 3), "content kept while growing");
	buf_reset(&b);
	buf_add_json_str(&b, "a\"b\\c\n\x01");
	is_str(buf_cstr(&b), "\"a\\\"b\\\\c\\n\\u0001\"", "json escaping");
	s = buf_take(&b);
	is_str(s, "\"a\\\"b\\\\c\\n\\u0001\"", "take hands over the string");
	ok(b.data == NULL && b.len == 0, "take leaves buf empty");
	free(s);
	s = buf_take(&b);
	is_str(s, "", "take of empty buf gives \"\"");
	free(s);
	buf_add(&b, "\0x", 2);
	is_int((long long)b.len, 2, "binary bytes kept");
	buf_free(&b);
	buf_free(&b);
	ok(1, "double free of a buf is harmless");
}

static void test_vec(void)
{
	struct vec v = VEC_INIT;

	ok(vec_pop(&v) == NULL, "pop of empty vec");
	ok(vec_get(&v, 3) == NULL, "get out of range");
	vec_push(&v, xstrdup("c"));
	vec_push(&v, xstrdup("a"));
	vec_push(&v, xstrdup("b"));
	vec_sort(&v, cmp_str);
	is_str(vec_get(&v, 0), "a", "sorted first");
	is_str(vec_get(&v, 2), "c", "sorted last");
	free(vec_get(&v, 1));
	vec_remove(&v, 1);
	is_int((long long)v.len, 2, "remove shrinks");
	is_str(vec_get(&v, 1), "c", "remove keeps order");
	vec_remove(&v, 99);
	is_int((long long)v.len, 2, "remove out of range is a no-op");
	vec_free(&v, free);
	ok(v.items == NULL && v.len == 0, "free empties");
}

static void test_mem(void)
{
	char *s = xasprintf("%s-%d", "x", 7);

	is_str(s, "x-7", "xasprintf");
	free(s);
	ok(xstrdup(NULL) == NULL, "xstrdup(NULL)");
	s = xstrndup("abcdef", 3);
	is_str(s, "abc", "xstrndup cuts");
	free(s);
}

static void test_file(void)
{
	char dir[] = "/tmp/kdeck-test-file-XXXXXX", path[64], bad[96];
	struct stat st;
	struct err e;
	FILE *fp;
	char got[16] = "";

	ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(path, sizeof(path), "%s/f", dir);
	is_int(file_write_atomic(path, "one", 3, 0600, &e), 0, "first write");
	is_int(file_write_atomic(path, "two!", 4, 0640, &e), 0, "overwrite");
	fp = fopen(path, "r");
	if (fp) {
		if (!fgets(got, sizeof(got), fp))
			got[0] = '\0';
		fclose(fp);
	}
	is_str(got, "two!", "content replaced whole");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640, "mode applied");
	snprintf(bad, sizeof(bad), "%s/missing/f", dir);
	is_int(file_write_atomic(bad, "x", 1, 0600, &e), -1, "missing directory fails");
	is_int(e.code, ERR_IO, "as ERR_IO");
	unlink(path);
	ok(rmdir(dir) == 0, "no temporary file left behind");
}

int main(void)
{
	test_file();
	test_buf();
	test_vec();
	test_mem();
	return tap_done();
}
