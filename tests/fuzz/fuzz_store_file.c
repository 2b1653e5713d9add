/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_store_file: the store opening a damaged or hostile database file.
 *
 * The input is the content of the SQLite file.  store_open must either
 * fail with an error or recover a state that list, count, a watch
 * replaying the log from revision 1, a write and compaction can use;
 * nothing may crash or leak.  Seeds: a store written by store_open itself
 * (see the corpus), plus whatever libFuzzer derives from it.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/store.h"
#include "common/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256], path[512];

static void remove_files(void);

static void cleanup(void)
{
	remove_files();
	rmdir(dir);
}

static void set_path(void)
{
	snprintf(dir, sizeof(dir), "%s/kdeck-fuzz-store-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/f.db", dir);
	atexit(cleanup);
}

static void remove_files(void)
{
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};

	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		char p[600];

		snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
		unlink(p);
	}
}

static int count_fn(void *arg, const struct store_obj *o)
{
	cJSON_Delete(store_obj_parse(o));
	(*(size_t *)arg)++;
	return 0;
}

static void event_fn(void *arg, const struct store_event *ev)
{
	(*(size_t *)arg) += ev->obj->len > 0;
}

static void exercise(struct store *st)
{
	struct store_watch *w = NULL;
	struct err e;
	size_t n = 0;
	cJSON *o = cJSON_Parse("{\"metadata\":{\"name\":\"z\"}}");

	store_list(st, "", NULL, count_fn, &n, NULL, &e);
	store_count(st, "/registry/");
	if (store_watch(st, "", 1, event_fn, &n, &w, &e) == 0)
		store_unwatch(w);
	if (store_create(st, "/registry/fuzz/z", o, NULL, &e) == 0)
		store_delete(st, "/registry/fuzz/z", 0, NULL, &e);
	store_compact(st, &e);
	cJSON_Delete(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_options opt = {.compact_interval_s = -1,
				    .compact_keep = 1,
				    .history_events = 4,
				    .relaxed_sync = true};
	struct store *st = NULL;
	struct err e;
	FILE *fp;

	if (!path[0])
		set_path();
	remove_files();
	fp = fopen(path, "wb");
	if (!fp)
		abort();
	if (size && fwrite(data, 1, size, fp) != size)
		abort();
	fclose(fp);
	opt.path = path;
	if (store_open(&opt, &st, &e) == 0) {
		exercise(st);
		store_close(st);
	}
	remove_files();
	return 0;
}
