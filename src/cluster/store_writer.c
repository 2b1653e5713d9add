/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_writer: the one thread that writes, and the write entry points.
 *
 * A caller builds a request on its stack, appends it to the queue and
 * sleeps until the writer marks it done.  The writer takes everything
 * queued (up to WRITER_BATCH requests) and, in queue order:
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
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/store_int.h"
#include "common/mem.h"

#define WRITER_BATCH 256

enum req_op { REQ_CREATE, REQ_UPDATE, REQ_DELETE };

struct store_req {
	enum req_op op;
	const char *key;
	int64_t expect_rev;
	cJSON *obj; /* caller's object (create/update) */

	int rc; /* results, valid once done */
	struct err err;
	int64_t rev;
	bool done;

	bool accepted; /* writer scratch */
	struct store_row row;
	char *text;
	cJSON *old_rv; /* detached previous resourceVersion */
	bool had_md;
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

/* Set metadata.resourceVersion on obj, keeping the old item for undo. */
static void set_rv(struct store_req *r, int64_t rev)
{
	cJSON *md = cJSON_GetObjectItemCaseSensitive(r->obj, "metadata");
	char num[24];

	r->had_md = md != NULL;
	if (!md)
		md = cJSON_AddObjectToObject(r->obj, "metadata");
	if (!md)
		mem_oom();
	r->old_rv =
	    cJSON_DetachItemFromObjectCaseSensitive(md, "resourceVersion");
	snprintf(num, sizeof(num), "%lld", (long long)rev);
	if (!cJSON_AddStringToObject(md, "resourceVersion", num))
		mem_oom();
}

static void undo_rv(struct store_req *r)
{
	cJSON *md = cJSON_GetObjectItemCaseSensitive(r->obj, "metadata");

	if (!r->had_md) {
		cJSON_DeleteItemFromObjectCaseSensitive(r->obj, "metadata");
		return;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(md, "resourceVersion");
	if (r->old_rv)
		cJSON_AddItemToObject(md, "resourceVersion", r->old_rv);
	r->old_rv = NULL;
}

/* The tombstone: the last state with the deletion's resourceVersion. */
static char *tombstone(const struct cur_view *v, int64_t rev)
{
	cJSON *j = cJSON_ParseWithLength(v->json, v->len);
	struct store_req tmp = {.obj = j};
	char *text;

	if (!j)
		return xstrndup(v->json, v->len);
	set_rv(&tmp, rev);
	cJSON_Delete(tmp.old_rv);
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
	if (r->op == REQ_DELETE) {
		r->text = tombstone(&v, rev);
	} else {
		set_rv(r, rev);
		r->text = cJSON_PrintUnformatted(r->obj);
		if (!r->text)
			mem_oom();
	}
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
		if (r->op != REQ_DELETE)
			undo_rv(r);
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
		cJSON_free(b[i]->text);
		b[i]->text = NULL;
		cJSON_Delete(b[i]->old_rv);
		b[i]->old_rv = NULL;
		if (b[i]->accepted)
			b[i]->rc = 0;
	}
	free(rows);
}

void *store_writer_main(void *arg)
{
	struct store *st = arg;
	struct store_req *b[WRITER_BATCH];

	pthread_mutex_lock(&st->q_mu);
	for (;;) {
		size_t n = 0;

		while (!st->q_head && !st->stopping)
			pthread_cond_wait(&st->q_cv, &st->q_mu);
		if (!st->q_head)
			break;
		for (; st->q_head && n < WRITER_BATCH; n++) {
			b[n] = st->q_head;
			st->q_head = st->q_head->next;
		}
		if (!st->q_head)
			st->q_tail = NULL;
		pthread_mutex_unlock(&st->q_mu);
		writer_batch(st, b, n);
		pthread_mutex_lock(&st->q_mu);
		for (size_t i = 0; i < n; i++)
			b[i]->done = true;
		pthread_cond_broadcast(&st->done_cv);
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

/* Queue r and sleep until the writer has committed or rejected it. */
static int submit(struct store *st, struct store_req *r, int64_t *rev_out,
		  struct err *e)
{
	pthread_mutex_lock(&st->q_mu);
	if (st->stopping) {
		pthread_mutex_unlock(&st->q_mu);
		return err_set(e, ERR_UNAVAILABLE, "store is closing");
	}
	if (st->q_tail)
		st->q_tail->next = r;
	else
		st->q_head = r;
	st->q_tail = r;
	pthread_cond_signal(&st->q_cv);
	while (!r->done)
		pthread_cond_wait(&st->done_cv, &st->q_mu);
	pthread_mutex_unlock(&st->q_mu);
	if (r->rc) {
		err_copy(e, &r->err);
		return -1;
	}
	if (rev_out)
		*rev_out = r->rev;
	return 0;
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
