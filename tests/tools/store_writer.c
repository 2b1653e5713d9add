/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_writer: the crash test's two halves.
 *
 *   store_writer write PATH THREADS [relaxed]
 *       THREADS threads create and update keys /registry/crash/t<T>-<J>
 *       (each thread owns its keys) with conditional updates, forever, and
 *       print "ack KEY REV SEQ end" (line-buffered) after each write the
 *       store acknowledged.  Meant to be killed with kill -9.
 *   store_writer verify PATH ACKFILE
 *       Reopens the store and checks that every acknowledged write is
 *       there (same revision and sequence number, or a later one) and that
 *       every stored object is whole: it parses, its resourceVersion is its
 *       revision and its payload is exactly what a writer produced.
 *       Exit 0 when all holds, 1 with a message per problem otherwise.
 */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/store.h"
#include "common/mem.h"

#define MAX_THREADS	64
#define KEYS_PER_THREAD 20

static struct store *g_st;

static char *payload_pad(long long seq)
{
	size_t n = 300 + (size_t)(seq % 200);
	char *p = xmalloc(n + 1);

	memset(p, 'x', n);
	p[n] = '\0';
	return p;
}

static cJSON *make_obj(const char *key, int t, long long seq)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *md = cJSON_AddObjectToObject(o, "metadata");
	char *pad = payload_pad(seq);

	cJSON_AddStringToObject(md, "name", key);
	cJSON_AddNumberToObject(o, "writer", t);
	cJSON_AddNumberToObject(o, "seq", (double)seq);
	cJSON_AddStringToObject(o, "pad", pad);
	free(pad);
	return o;
}

static long long obj_seq(const struct store_obj *o)
{
	cJSON *j = store_obj_parse(o);
	const cJSON *s = cJSON_GetObjectItem(j, "seq");
	long long v = cJSON_IsNumber(s) ? (long long)s->valuedouble : 0;

	cJSON_Delete(j);
	return v;
}

/* One writer thread: round-robin over its keys, forever. */
static void *write_loop(void *arg)
{
	int t = (int)(intptr_t)arg;
	long long seq[KEYS_PER_THREAD] = {0};
	int64_t rev[KEYS_PER_THREAD] = {0};
	char key[KEYS_PER_THREAD][64];
	struct err e;

	for (int j = 0; j < KEYS_PER_THREAD; j++) {
		const struct store_obj *o;

		snprintf(key[j], sizeof(key[j]), "/registry/crash/t%d-%d", t,
			 j);
		if (store_get(g_st, key[j], &o, &e) == 0) {
			seq[j] = obj_seq(o);
			rev[j] = o->rev;
			store_obj_unref(o);
		}
	}
	for (unsigned long i = 0;; i++) {
		int j = (int)(i % KEYS_PER_THREAD);
		cJSON *o = make_obj(key[j], t, seq[j] + 1);
		int rc =
		    rev[j] ? store_update(g_st, key[j], rev[j], o, &rev[j], &e)
			   : store_create(g_st, key[j], o, &rev[j], &e);

		cJSON_Delete(o);
		if (rc) {
			fprintf(stderr, "write %s: %s\n", key[j], e.msg);
			exit(1);
		}
		seq[j]++;
		printf("ack %s %lld %lld end\n", key[j], (long long)rev[j],
		       seq[j]);
	}
	return NULL;
}

static int do_write(const char *path, int threads, bool relaxed)
{
	struct store_options opt = {.path = path,
				    .compact_interval_s = 1,
				    .compact_keep = 500,
				    .relaxed_sync = relaxed};
	pthread_t th[MAX_THREADS];
	struct err e;

	if (threads < 1 || threads > MAX_THREADS)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (store_open(&opt, &g_st, &e)) {
		fprintf(stderr, "store_writer: %s\n", e.msg);
		return 1;
	}
	/* Compact what the killed runs left (also crash-tests compaction). */
	if (store_compact(g_st, &e) < 0)
		fprintf(stderr, "store_writer: compact: %s\n", e.msg);
	for (int t = 0; t < threads; t++)
		pthread_create(&th[t], NULL, write_loop, (void *)(intptr_t)t);
	for (int t = 0; t < threads; t++)
		pthread_join(th[t], NULL);
	return 0;
}

/* ---- verification ---- */

struct ack {
	int64_t rev;
	long long seq;
};

static struct ack acks[MAX_THREADS][KEYS_PER_THREAD];
static int problems;

static __attribute__((format(printf, 2, 3))) void problem(const char *key,
							  const char *fmt, ...)
{
	va_list ap;

	if (++problems > 20)
		return;
	printf("FAIL %s: ", key);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static long long read_acks(const char *file)
{
	FILE *fp = fopen(file, "r");
	char line[256], key[64], end[4];
	long long rev, seq, n = 0;
	int t, j;

	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "ack %63s %lld %lld %3s", key, &rev, &seq,
			   end) != 4 ||
		    strcmp(end, "end") ||
		    sscanf(key, "/registry/crash/t%d-%d", &t, &j) != 2 ||
		    t < 0 || t >= MAX_THREADS || j < 0 || j >= KEYS_PER_THREAD)
			continue; /* a line cut by kill -9 */
		if (rev > acks[t][j].rev) {
			acks[t][j].rev = rev;
			acks[t][j].seq = seq;
		}
		n++;
	}
	fclose(fp);
	return n;
}

/* Is o exactly what write_loop produced for its key? */
static void check_whole(const struct store_obj *o)
{
	cJSON *j = cJSON_ParseWithLength(o->json, o->len);
	const cJSON *md = cJSON_GetObjectItem(j, "metadata");
	const cJSON *rv = cJSON_GetObjectItem(md, "resourceVersion");
	const cJSON *name = cJSON_GetObjectItem(md, "name");
	const cJSON *seq = cJSON_GetObjectItem(j, "seq");
	const cJSON *pad = cJSON_GetObjectItem(j, "pad");
	char *want;

	if (!j || !cJSON_IsString(rv) || !cJSON_IsString(name) ||
	    !cJSON_IsNumber(seq) || !cJSON_IsString(pad)) {
		problem(o->key, "object does not parse or misses fields");
		cJSON_Delete(j);
		return;
	}
	if (atoll(rv->valuestring) != o->rev ||
	    strcmp(name->valuestring, o->key))
		problem(o->key, "resourceVersion %s / name %s vs revision %lld",
			rv->valuestring, name->valuestring, (long long)o->rev);
	want = payload_pad((long long)seq->valuedouble);
	if (strcmp(want, pad->valuestring))
		problem(o->key, "payload of seq %lld is damaged",
			(long long)seq->valuedouble);
	free(want);
	cJSON_Delete(j);
}

static int check_obj(void *arg, const struct store_obj *o)
{
	int t, k;
	long long seq;

	(*(long *)arg)++;
	check_whole(o);
	if (sscanf(o->key, "/registry/crash/t%d-%d", &t, &k) != 2 || t < 0 ||
	    t >= MAX_THREADS || k < 0 || k >= KEYS_PER_THREAD)
		return 0;
	seq = obj_seq(o);
	if (o->rev < acks[t][k].rev)
		problem(o->key, "revision %lld older than acknowledged %lld",
			(long long)o->rev, (long long)acks[t][k].rev);
	else if (o->rev == acks[t][k].rev && seq != acks[t][k].seq)
		problem(o->key, "seq %lld != acknowledged %lld", seq,
			acks[t][k].seq);
	acks[t][k].rev = -1; /* seen */
	return 0;
}

static int do_verify(const char *path, const char *ackfile)
{
	struct store_options opt = {.path = path, .compact_interval_s = -1};
	struct store *st;
	struct err e;
	long long nacks = read_acks(ackfile);
	long objs = 0;

	if (nacks < 0 || store_open(&opt, &st, &e)) {
		printf("FAIL cannot read %s or open %s: %s\n", ackfile, path,
		       nacks < 0 ? "no ack file" : e.msg);
		return 1;
	}
	store_list(st, "/registry/crash/", NULL, check_obj, &objs, NULL, &e);
	for (int t = 0; t < MAX_THREADS; t++)
		for (int k = 0; k < KEYS_PER_THREAD; k++)
			if (acks[t][k].rev > 0)
				problem("key",
					"t%d-%d acknowledged at %lld, missing",
					t, k, (long long)acks[t][k].rev);
	printf("%s: %lld acks, %ld objects, revision %lld, %d problems\n",
	       problems ? "FAIL" : "ok", nacks, objs, (long long)store_rev(st),
	       problems);
	store_close(st);
	return problems ? 1 : 0;
}

int main(int argc, char **argv)
{
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "write"))
		return do_write(argv[2], atoi(argv[3]),
				argc == 5 && !strcmp(argv[4], "relaxed"));
	if (argc == 4 && !strcmp(argv[1], "verify"))
		return do_verify(argv[2], argv[3]);
	fprintf(stderr, "usage: store_writer write PATH THREADS [relaxed]\n"
			"       store_writer verify PATH ACKFILE\n");
	return 2;
}
