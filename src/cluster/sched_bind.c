/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sched_bind: asynchronous binding, as kube-scheduler's binding cycle.
 *
 * The scheduling pass (sched.c) decides a node, assumes the pod there in
 * its snapshot and hands the binding to this binder: a few worker threads
 * POST pods/<name>/binding in parallel (the store commits concurrent
 * writes together) and record the Scheduled event through the
 * asynchronous recorder.  The pass does not wait for them.
 *
 * Until the informer cache shows the pod bound, the binder remembers it
 * as assumed (uid -> node): the next passes account it on that node and
 * do not schedule it again, as the scheduler cache's assumed pods.  A
 * failed binding forgets the assumption (the pod is pending again at the
 * next pass, which the binder triggers through its wake callback).  An
 * assumption whose pod the cache shows bound, or no longer has, is
 * dropped at the pass that sees so (sched_binder_settle).
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "cluster/ctrl_int.h"
#include "cluster/sched_int.h"
#include "common/json.h"
#include "common/mem.h"

#define BIND_WORKERS 64

enum held_state { HELD_INFLIGHT, HELD_DONE, HELD_FAILED };

/* One assumed pod. */
struct held {
	char *uid, *node;
	enum held_state st;
	unsigned seen;		/* the pass generation that saw the pod */
	UT_hash_handle hh;
};

/* One binding to make; the pod as the event names it. */
struct bind_job {
	cJSON *pod;		/* apiVersion, kind, metadata (name, ns, uid, rv) */
	char *node;
	struct bind_job *next;
};

struct sched_binder {
	struct ctrl *c;
	void (*wake)(void *arg);
	void *wake_arg;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	struct held *held;	/* uthash by uid */
	struct bind_job *head, *tail;
	unsigned gen;
	bool stopping;
	pthread_t th[BIND_WORKERS];
	size_t nth;
};

static void held_del(struct sched_binder *b, struct held *h)
{
	HASH_DEL(b->held, h);
	free(h->uid);
	free(h->node);
	free(h);
}

/* The binding call and its event (worker thread). */
static bool do_bind(struct ctrl *c, const cJSON *pod, const char *node)
{
	const char *ns = json_get_str(pod, "metadata.namespace");
	const char *name = json_get_str(pod, "metadata.name");
	char path[320], msg[400];
	cJSON *bd = cJSON_CreateObject();
	int st;

	json_set_str(bd, "apiVersion", "v1");
	json_set_str(bd, "kind", "Binding");
	json_set_str(bd, "metadata.name", name);
	json_set_str(bd, "metadata.namespace", ns);
	json_set_str(bd, "metadata.uid", json_get_str(pod, "metadata.uid"));
	json_set_str(bd, "target.kind", "Node");
	json_set_str(bd, "target.name", node);
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/pods/%s/binding",
		 ns, name);
	st = ctrl_call(c, CTRL_USER_SCHED, "POST", path, bd, NULL);
	cJSON_Delete(bd);
	if (st != 200 && st != 201)
		return false;
	snprintf(msg, sizeof(msg), "Successfully assigned %s/%s to %s", ns,
		 name, node);
	ctrl_event(c, SCHED_NAME, CTRL_USER_SCHED, pod, "Normal", "Scheduled",
		   "Binding", msg);
	return true;
}

/* Record the outcome of uid's binding; a failure forgets the pod. */
static void finish(struct sched_binder *b, const char *uid, bool ok)
{
	struct held *h;

	pthread_mutex_lock(&b->mu);
	HASH_FIND_STR(b->held, uid, h);
	if (h && ok)
		h->st = HELD_DONE;
	else if (h)
		h->st = HELD_FAILED;
	pthread_mutex_unlock(&b->mu);
	if (!ok && b->wake)
		b->wake(b->wake_arg);
}

static void *bind_main(void *arg)
{
	struct sched_binder *b = arg;
	struct bind_job *j;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (!b->head && !b->stopping)
			pthread_cond_wait(&b->cond, &b->mu);
		if (!b->head)
			break;
		j = b->head;
		b->head = j->next;
		if (!b->head)
			b->tail = NULL;
		pthread_mutex_unlock(&b->mu);
		finish(b, json_get_str(j->pod, "metadata.uid"),
		       do_bind(b->c, j->pod, j->node));
		cJSON_Delete(j->pod);
		free(j->node);
		free(j);
		pthread_mutex_lock(&b->mu);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

struct sched_binder *sched_binder_new(struct ctrl *c, void (*wake)(void *),
				      void *arg)
{
	struct sched_binder *b = xcalloc(1, sizeof(*b));

	b->c = c;
	b->wake = wake;
	b->wake_arg = arg;
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cond, NULL);
	while (b->nth < BIND_WORKERS &&
	       pthread_create(&b->th[b->nth], NULL, bind_main, b) == 0)
		b->nth++;
	return b;
}

void sched_binder_free(struct sched_binder *b)
{
	struct held *h, *tmp;

	if (!b)
		return;
	pthread_mutex_lock(&b->mu);
	b->stopping = true;
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->mu);
	for (size_t i = 0; i < b->nth; i++)
		pthread_join(b->th[i], NULL);
	HASH_ITER(hh, b->held, h, tmp)
		held_del(b, h);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cond);
	free(b);
}

void sched_binder_bind(struct sched_binder *b, const cJSON *pod,
		       const char *node)
{
	struct bind_job *j = xcalloc(1, sizeof(*j));
	struct held *h = xcalloc(1, sizeof(*h));
	static const char *const keep[] = {
		"metadata.name", "metadata.namespace", "metadata.uid",
		"metadata.resourceVersion",
	};

	j->pod = cJSON_CreateObject();
	json_set_str(j->pod, "apiVersion", "v1");
	json_set_str(j->pod, "kind", "Pod");
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (json_get_str(pod, keep[i]))
			json_set_str(j->pod, keep[i], json_get_str(pod, keep[i]));
	j->node = xstrdup(node);
	h->uid = xstrdup(json_get_str(pod, "metadata.uid") ?: "");
	h->node = xstrdup(node);
	pthread_mutex_lock(&b->mu);
	h->seen = b->gen;
	{
		struct held *old;

		HASH_FIND_STR(b->held, h->uid, old);
		if (old)
			held_del(b, old);
	}
	HASH_ADD_KEYPTR(hh, b->held, h->uid, strlen(h->uid), h);
	if (b->tail)
		b->tail->next = j;
	else
		b->head = j;
	b->tail = j;
	pthread_cond_signal(&b->cond);
	pthread_mutex_unlock(&b->mu);
}

/*
 * For each pod of the pass's snapshot: a bound pod's assumption is
 * dropped; a pending pod held by a binding in flight or done is assumed
 * on its node (index into s->nodes) and marked so (p->held) that the pass
 * does not queue it; a failed one is forgotten.  Assumptions of pods not
 * in the snapshot are dropped unless their binding is in flight.
 */
void sched_binder_settle(struct sched_binder *b, struct sched_state *s)
{
	struct held *h, *tmp;

	pthread_mutex_lock(&b->mu);
	b->gen++;
	for (size_t i = 0; b->held && i < s->npods; i++) {
		struct sched_pod *p = &s->pods[i];

		HASH_FIND_STR(b->held, p->uid, h);
		if (!h)
			continue;
		h->seen = b->gen;
		if ((p->want_node && *p->want_node) || h->st == HELD_FAILED) {
			held_del(b, h);
			continue;
		}
		p->held = true;
		sched_assume(s, p, sched_node_index(s, h->node));
	}
	HASH_ITER(hh, b->held, h, tmp)
		if (h->seen != b->gen && h->st != HELD_INFLIGHT)
			held_del(b, h);
	pthread_mutex_unlock(&b->mu);
}

size_t sched_binder_held(struct sched_binder *b)
{
	size_t n;

	pthread_mutex_lock(&b->mu);
	n = HASH_COUNT(b->held);
	pthread_mutex_unlock(&b->mu);
	return n;
}
