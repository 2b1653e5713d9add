/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_writer: the one thread that writes, and the write entry points.
 *
 * A caller builds a request on its stack, prints its object there (the
 * JSON text with a placeholder where the resourceVersion goes, so the
 * writer thread does no cJSON work for creates and updates), appends the
 * request to the queue and sleeps on its own semaphore until the writer
 * posts it.  The writer takes everything queued (up to WRITER_BATCH
 * requests) and, in queue order:
 *   1. checks each request against the current state as modified by the
 *      requests before it in the same batch (exists, not found, expected
 *      revision) and gives each accepted one the next revision;
 *   2. writes the accepted rows in ONE SQLite transaction (group commit:
 *      one fsync for the whole batch);
 *   3. only after COMMIT returned: applies the batch to the in-memory
 *      state under the state lock, appends the events to the history and
 *      fans them out, then wakes the callers.
 * When the commit fails every accepted request of the batch fails with
 * ERR_IO, the revisions are not consumed, the callers' objects get their
 * old resourceVersion back and memory is untouched: a batch is never half
 * applied.  Rejected requests (conflicts...) fail on their own.
 *
 * Batches grow with concurrency: a commit takes an fsync (milliseconds),
 * and the callers it releases come back with their next write a moment
 * later.  Were the writer to start the next commit on the first arrival,
 * the callers would split into cohorts that alternate between commits
 * (each batch a fraction of the callers).  So the writer remembers how
 * many callers were active when it released a batch (those released plus
 * those already queued) and, before the next commit, waits for that many
 * requests - at most half the last commit's duration (capped at
 * GATHER_MAX_NS), so a caller that went away costs a short wait once and
 * the next target counts only who came.  A lone caller never waits: the
 * target is 1 and its request is it.  Nothing is acknowledged before its
 * COMMIT returned, so the wait changes latency, never durability.
 */
#include "config.h"

#include <errno.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/store_int.h"
#include "common/mem.h"

#define WRITER_BATCH	256
#define GATHER_MAX_NS	2000000	 /* 2 ms */
#define GATHER_MIN_NS	20000	 /* 20 us */

/*
 * The resourceVersion placeholder: a raw cJSON item, printed verbatim.
 * Its control bytes cannot come from any string cJSON prints (they are
 * escaped there), so the first match in the text is the placeholder.
 */
#define RV_MARK "\x01kdeck-rv\x01"
#define RV_RAW	"\"" RV_MARK "\""

enum req_op { REQ_CREATE, REQ_UPDATE, REQ_DELETE };

struct store_req {
	enum req_op op;
	const char *key;
	int64_t expect_rev;
	cJSON *obj; /* caller's object (create/update) */

	/* caller-printed object: ctext[0, mark) rev ctext[mark + len, clen) */
	char *ctext;
	size_t clen, mark;
	cJSON *old_rv; /* detached previous resourceVersion (caller's) */
	bool had_md;

	int rc; /* results, valid once posted */
	struct err err;
	int64_t rev;
	sem_t done;

	bool accepted; /* writer scratch */
	struct store_row row;
	char *text;
	struct store_req *next;
};

/* What the key looks like before request i of the batch. */
struct cur_view {
	bool exists;
	int64_t rev, create_rev;
	const char *json;
	size_t len;
};

static void batch_view(struct store *st, struct store_req **b, size_t i,
		       struct cur_view *v)
{
	const struct store_obj *o;

	for (size_t j = i; j-- > 0;) {
		struct store_req *p = b[j];

		if (!p->accepted || strcmp(p->key, b[i]->key))
			continue;
		v->exists = p->op != REQ_DELETE;
		v->rev = p->row.id;
		v->create_rev = p->row.create_rev;
		v->json = p->text;
		v->len = strlen(p->text);
		return;
	}
	o = store_state_get(&st->state, b[i]->key); /* writer: no lock */
	v->exists = o != NULL;
	if (o) {
		v->rev = o->rev;
		v->create_rev = o->create_rev;
		v->json = o->json;
		v->len = o->len;
	}
}

static int check_req(const struct store_req *r, const struct cur_view *v,
		     struct err *e)
{
	if (r->op == REQ_CREATE && v->exists)
		return err_set(e, ERR_ALREADY_EXISTS, "%s already exists",
			       r->key);
	if (r->op != REQ_CREATE && !v->exists)
		return err_set(e, ERR_NOT_FOUND, "%s not found", r->key);
	if (r->op != REQ_CREATE && r->expect_rev > 0 && r->expect_rev != v->rev)
		return err_set(e, ERR_CONFLICT,
			       "the object has been modified; please apply "
			       "your changes to the latest version and try "
			       "again (%s: revision %lld, expected %lld)",
			       r->key, (long long)v->rev,
			       (long long)r->expect_rev);
	return 0;
}

/* The text of a number, in out (>= 24 bytes); returns its length. */
static size_t rev_text(int64_t rev, char *out)
{
	return (size_t)snprintf(out, 24, "%lld", (long long)rev);
}

/*
 * Caller side: replace obj's metadata.resourceVersion by the placeholder
 * (keeping the old item in r->old_rv), print obj into r->ctext and find
 * the placeholder.  0, or -1 with ERR_INTERNAL when the text lost it.
 */
static int prep_text(struct store_req *r, struct err *e)
{
	cJSON *md = cJSON_GetObjectItemCaseSensitive(r->obj, "metadata");
	const char *at;

	r->had_md = md != NULL;
	if (!md && !(md = cJSON_AddObjectToObject(r->obj, "metadata")))
		mem_oom();
	r->old_rv =
	    cJSON_DetachItemFromObjectCaseSensitive(md, "resourceVersion");
	if (!cJSON_AddRawToObject(md, "resourceVersion", RV_RAW))
		mem_oom();
	if (!(r->ctext = cJSON_PrintUnformatted(r->obj)))
		mem_oom();
	r->clen = strlen(r->ctext);
	at = memmem(r->ctext, r->clen, RV_MARK, sizeof(RV_MARK) - 1);
	if (!at)
		return err_set(e, ERR_INTERNAL, "store: %s: cannot print",
			       r->key);
	r->mark = (size_t)(at - r->ctext);
	return 0;
}

/*
 * Caller side, after the writer posted r: the placeholder becomes the new
 * resourceVersion on success, the old item comes back on failure.
 */
static void finish_text(struct store_req *r)
{
	cJSON *md = cJSON_GetObjectItemCaseSensitive(r->obj, "metadata");
	char num[24];

	cJSON_free(r->ctext);
	r->ctext = NULL;
	if (!md)
		return;
	cJSON_DeleteItemFromObjectCaseSensitive(md, "resourceVersion");
	if (r->rc == 0) {
		rev_text(r->rev, num);
		if (!cJSON_AddStringToObject(md, "resourceVersion", num))
			mem_oom();
		cJSON_Delete(r->old_rv);
	} else if (!r->had_md) {
		cJSON_DeleteItemFromObjectCaseSensitive(r->obj, "metadata");
		cJSON_Delete(r->old_rv);
	} else if (r->old_rv) {
		cJSON_AddItemToObject(md, "resourceVersion", r->old_rv);
	}
	r->old_rv = NULL;
}

/* Writer side: the caller's text with rev in place of the placeholder. */
static char *final_text(const struct store_req *r, int64_t rev)
{
	size_t skip = sizeof(RV_MARK) - 1, tail = r->clen - r->mark - skip;
	char num[24], *t;
	size_t nl = rev_text(rev, num);

	t = xmalloc(r->clen - skip + nl + 1);
	memcpy(t, r->ctext, r->mark);
	memcpy(t + r->mark, num, nl);
	memcpy(t + r->mark + nl, r->ctext + r->mark + skip, tail);
	t[r->mark + nl + tail] = '\0';
	return t;
}

/* The tombstone: the last state with the deletion's resourceVersion. */
static char *tombstone(const struct cur_view *v, int64_t rev)
{
	cJSON *j = cJSON_ParseWithLength(v->json, v->len);
	cJSON *md;
	char num[24];
	char *text;

	if (!j)
		return xstrndup(v->json, v->len);
	md = cJSON_GetObjectItemCaseSensitive(j, "metadata");
	if (!md && !(md = cJSON_AddObjectToObject(j, "metadata")))
		mem_oom();
	cJSON_DeleteItemFromObjectCaseSensitive(md, "resourceVersion");
	rev_text(rev, num);
	if (!cJSON_AddStringToObject(md, "resourceVersion", num))
		mem_oom();
	text = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	if (!text)
		mem_oom();
	return text;
}

/* Check request i; when accepted give it revision rev and its row. */
static int accept_req(struct store *st, struct store_req **b, size_t i,
		      int64_t rev)
{
	struct store_req *r = b[i];
	struct cur_view v = {0};

	batch_view(st, b, i, &v);
	if (check_req(r, &v, &r->err)) {
		r->rc = -1;
		return -1;
	}
	r->text = r->op == REQ_DELETE ? tombstone(&v, rev) : final_text(r, rev);
	r->row = (struct store_row){
	    .id = rev,
	    .key = r->key,
	    .value = r->text,
	    .len = strlen(r->text),
	    .created = r->op == REQ_CREATE,
	    .deleted = r->op == REQ_DELETE,
	    .create_rev = r->op == REQ_CREATE ? rev : v.create_rev,
	    .prev_rev = r->op == REQ_CREATE ? 0 : v.rev,
	};
	r->rev = rev;
	r->accepted = true;
	return 0;
}

static const enum store_ev_type ev_of_op[] = {
    [REQ_CREATE] = STORE_ADDED,
    [REQ_UPDATE] = STORE_MODIFIED,
    [REQ_DELETE] = STORE_DELETED,
};

/* The batch is durable: make it visible, then tell the watchers. */
static void apply_batch(struct store *st, struct store_req **b, size_t n,
			size_t nacc)
{
	struct store_event *ev = xcalloc(nacc, sizeof(*ev));
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		struct store_row *w = &b[i]->row;

		if (b[i]->accepted)
			ev[k++].obj = store_obj_new(w->key, w->value, w->len,
						    w->id, w->create_rev);
	}
	pthread_rwlock_wrlock(&st->state_rw);
	k = 0;
	for (size_t i = 0; i < n; i++) {
		struct store_req *r = b[i];
		const struct store_obj *prev;

		if (!r->accepted)
			continue;
		prev = store_state_get(&st->state, r->key);
		if (prev)
			store_obj_ref(prev);
		ev[k].type = ev_of_op[r->op];
		ev[k].prev = prev; /* NULL for a create (checked) */
		if (r->op == REQ_DELETE) {
			store_state_del(&st->state, r->key);
		} else {
			store_obj_ref(ev[k].obj);
			store_state_put(&st->state, ev[k].obj);
		}
		atomic_store(&st->rev, r->rev);
		k++;
	}
	pthread_rwlock_unlock(&st->state_rw);
	store_fanout(st, ev, nacc);
	for (k = 0; k < nacc; k++) {
		store_obj_unref(ev[k].obj);
		store_obj_unref(ev[k].prev);
	}
	free(ev);
}

static void fail_batch(struct store_req **b, size_t n, const struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		struct store_req *r = b[i];

		if (!r->accepted)
			continue;
		r->accepted = false;
		r->rc = -1;
		err_copy(&r->err, e);
	}
}

static bool take_injected_failure(struct store *st)
{
	int n = atomic_load(&st->fail_commits);

	while (n > 0) {
		if (atomic_compare_exchange_weak(&st->fail_commits, &n, n - 1))
			return true;
	}
	return false;
}

static void writer_batch(struct store *st, struct store_req **b, size_t n)
{
	struct store_row *rows = xcalloc(n, sizeof(*rows));
	int64_t next = atomic_load(&st->rev);
	size_t nacc = 0;
	struct err e;

	for (size_t i = 0; i < n; i++) {
		if (accept_req(st, b, i, next + 1) == 0) {
			rows[nacc++] = b[i]->row;
			next++;
		}
	}
	if (nacc && store_log_write(st->wdb, rows, nacc,
				    take_injected_failure(st), &e)) {
		fail_batch(b, n, &e);
	} else if (nacc) {
		apply_batch(st, b, n, nacc);
		atomic_fetch_add(&st->writes, nacc);
		atomic_fetch_add(&st->commits, 1);
	}
	for (size_t i = 0; i < n; i++) {
		free(b[i]->text);
		b[i]->text = NULL;
		if (b[i]->accepted)
			b[i]->rc = 0;
	}
	free(rows);
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * With q_mu held and something queued: wait until want requests are
 * queued, for at most wait_ns (see the note at the top).
 */
static void gather(struct store *st, size_t want, int64_t wait_ns)
{
	struct timespec dl;
	int64_t t;

	if (st->q_len >= want || st->stopping || wait_ns <= 0)
		return;
	t = mono_ns() + wait_ns;
	dl.tv_sec = (time_t)(t / 1000000000);
	dl.tv_nsec = (long)(t % 1000000000);
	st->q_want = want;
	while (st->q_len < want && !st->stopping)
		if (pthread_cond_timedwait(&st->q_cv, &st->q_mu, &dl) ==
		    ETIMEDOUT)
			break;
	st->q_want = 0;
}

/* Take up to WRITER_BATCH queued requests into b.  Under q_mu. */
static size_t take(struct store *st, struct store_req **b)
{
	size_t n = 0;

	for (; st->q_head && n < WRITER_BATCH; n++) {
		b[n] = st->q_head;
		st->q_head = st->q_head->next;
	}
	if (!st->q_head)
		st->q_tail = NULL;
	st->q_len -= n;
	return n;
}

void *store_writer_main(void *arg)
{
	struct store *st = arg;
	struct store_req *b[WRITER_BATCH];
	size_t want = 1;
	int64_t wait_ns = 0, t0;

	pthread_mutex_lock(&st->q_mu);
	for (;;) {
		size_t n;

		while (!st->q_head && !st->stopping)
			pthread_cond_wait(&st->q_cv, &st->q_mu);
		if (!st->q_head)
			break;
		gather(st, want, wait_ns);
		n = take(st, b);
		pthread_mutex_unlock(&st->q_mu);
		t0 = mono_ns();
		writer_batch(st, b, n);
		wait_ns = (mono_ns() - t0) / 2;
		if (wait_ns > GATHER_MAX_NS)
			wait_ns = GATHER_MAX_NS;
		if (wait_ns < GATHER_MIN_NS)
			wait_ns = GATHER_MIN_NS;
		pthread_mutex_lock(&st->q_mu);
		/* active callers: those released now and those queued meanwhile */
		want = n + st->q_len;
		if (want > WRITER_BATCH)
			want = WRITER_BATCH;
		pthread_mutex_unlock(&st->q_mu);
		for (size_t i = 0; i < n; i++)
			sem_post(&b[i]->done); /* b[i] may vanish right after */
		pthread_mutex_lock(&st->q_mu);
	}
	pthread_mutex_unlock(&st->q_mu);
	return NULL;
}

void store_writer_stop(struct store *st)
{
	pthread_mutex_lock(&st->q_mu);
	st->stopping = true;
	pthread_cond_signal(&st->q_cv);
	pthread_mutex_unlock(&st->q_mu);
	pthread_join(st->writer, NULL);
}

/*
 * Queue r and sleep until the writer has committed or rejected it.  The
 * writer is woken by the first request of an empty queue and, while it
 * gathers a batch, by the one that completes it.
 */
static int submit(struct store *st, struct store_req *r, int64_t *rev_out,
		  struct err *e)
{
	if (r->obj && prep_text(r, e))
		goto fail;
	sem_init(&r->done, 0, 0);
	pthread_mutex_lock(&st->q_mu);
	if (st->stopping) {
		pthread_mutex_unlock(&st->q_mu);
		sem_destroy(&r->done);
		err_set(e, ERR_UNAVAILABLE, "store is closing");
		goto fail;
	}
	if (st->q_tail)
		st->q_tail->next = r;
	else
		st->q_head = r;
	st->q_tail = r;
	st->q_len++;
	if (st->q_len == 1 || (st->q_want && st->q_len >= st->q_want))
		pthread_cond_signal(&st->q_cv);
	pthread_mutex_unlock(&st->q_mu);
	while (sem_wait(&r->done) < 0 && errno == EINTR)
		;
	sem_destroy(&r->done);
	if (r->obj)
		finish_text(r);
	if (r->rc) {
		err_copy(e, &r->err);
		return -1;
	}
	if (rev_out)
		*rev_out = r->rev;
	return 0;
fail:
	r->rc = -1;
	if (r->obj)
		finish_text(r);
	return -1;
}

static int check_args(const char *key, const cJSON *obj, bool need_obj,
		      struct err *e)
{
	const cJSON *md;

	if (!key || key[0] != '/')
		return err_set(e, ERR_BAD_REQUEST, "store: bad key \"%s\"",
			       key ? key : "(null)");
	if (!need_obj)
		return 0;
	if (!cJSON_IsObject(obj))
		return err_set(e, ERR_BAD_REQUEST,
			       "store: %s: object must be a JSON object", key);
	md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	if (md && !cJSON_IsObject(md))
		return err_set(e, ERR_BAD_REQUEST,
			       "store: %s: metadata must be an object", key);
	return 0;
}

int store_create(struct store *st, const char *key, cJSON *obj,
		 int64_t *rev_out, struct err *e)
{
	struct store_req r = {.op = REQ_CREATE, .key = key, .obj = obj};

	if (check_args(key, obj, true, e))
		return -1;
	return submit(st, &r, rev_out, e);
}

int store_update(struct store *st, const char *key, int64_t expect_rev,
		 cJSON *obj, int64_t *rev_out, struct err *e)
{
	struct store_req r = {
	    .op = REQ_UPDATE, .key = key, .obj = obj, .expect_rev = expect_rev};

	if (check_args(key, obj, true, e))
		return -1;
	return submit(st, &r, rev_out, e);
}

int store_delete(struct store *st, const char *key, int64_t expect_rev,
		 int64_t *rev_out, struct err *e)
{
	struct store_req r = {
	    .op = REQ_DELETE, .key = key, .expect_rev = expect_rev};

	if (check_args(key, NULL, false, e))
		return -1;
	return submit(st, &r, rev_out, e);
}
