/* SPDX-License-Identifier: Apache-2.0 */
/*
 * infpool: informers shared between the dashboard's views (see
 * infpool.h).  Each shared informer keeps a list of subscribers; its one
 * informer callback fans every event out to them.  A subscriber removed
 * during the fan-out is only marked and unlinked when the fan-out ends,
 * and an informer left without subscribers is freed then (informer_free
 * is allowed from inside its own callback).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "tui/infpool.h"

struct inf_sub {
	struct inf_sub *next;
	struct shared *sh;
	informer_cb cb;
	void *arg;
	int dead;
};

struct shared {
	struct shared *next;
	struct inf_pool *pool;
	char resource[96], group[96], ns[128];
	enum client_form form;
	struct informer *inf;
	struct inf_sub *subs;
	int busy;		/* inside the fan-out */
};

struct inf_pool {
	struct client *c;
	struct shared *all;
};

struct inf_pool *inf_pool_new(struct client *c)
{
	struct inf_pool *p = xcalloc(1, sizeof(*p));

	p->c = c;
	return p;
}

static void shared_free(struct shared *sh)
{
	struct inf_pool *p = sh->pool;

	for (struct shared **q = &p->all; *q; q = &(*q)->next)
		if (*q == sh) {
			*q = sh->next;
			break;
		}
	while (sh->subs) {
		struct inf_sub *s = sh->subs;

		sh->subs = s->next;
		free(s);
	}
	informer_free(sh->inf);
	free(sh);
}

void inf_pool_free(struct inf_pool *p)
{
	if (!p)
		return;
	while (p->all)
		shared_free(p->all);
	free(p);
}

/* Unlink dead subscribers; free the informer when none is left. */
static void reap(struct shared *sh)
{
	for (struct inf_sub **q = &sh->subs; *q;) {
		struct inf_sub *s = *q;

		if (s->dead) {
			*q = s->next;
			free(s);
		} else {
			q = &s->next;
		}
	}
	if (!sh->subs)
		shared_free(sh);
}

static void fan_out(struct informer *inf, enum informer_event ev,
		    const struct informer_item *it, void *arg)
{
	struct shared *sh = arg;

	sh->busy++;
	for (struct inf_sub *s = sh->subs; s; s = s->next)
		if (!s->dead)
			s->cb(inf, ev, it, s->arg);
	if (--sh->busy == 0)
		reap(sh);
}

/* An informer of the resource in ns that serves this subscriber. */
static struct shared *find(struct inf_pool *p, const struct client_gvr *gvr,
			   const char *ns, int objects)
{
	for (struct shared *sh = p->all; sh; sh = sh->next) {
		if (strcmp(sh->resource, gvr->resource) || strcmp(sh->group, gvr->group) ||
		    strcmp(sh->ns, ns))
			continue;
		if (sh->form == CLIENT_FORM_TABLE_OBJECT || !objects)
			return sh;
	}
	return NULL;
}

struct inf_sub *inf_pool_sub(struct inf_pool *p, const struct client_gvr *gvr,
			     const char *ns, int objects, informer_cb cb, void *arg)
{
	struct inf_sub *s = xcalloc(1, sizeof(*s));
	struct shared *sh;

	ns = gvr->namespaced && ns ? ns : "";
	sh = find(p, gvr, ns, objects);
	s->cb = cb;
	s->arg = arg;
	if (!sh) {
		struct informer_opts o = { .gvr = *gvr, .ns = ns[0] ? ns : NULL,
			.form = objects ? CLIENT_FORM_TABLE_OBJECT : CLIENT_FORM_TABLE };

		sh = xcalloc(1, sizeof(*sh));
		sh->pool = p;
		snprintf(sh->resource, sizeof(sh->resource), "%s", gvr->resource);
		snprintf(sh->group, sizeof(sh->group), "%s", gvr->group);
		snprintf(sh->ns, sizeof(sh->ns), "%s", ns);
		sh->form = o.form;
		sh->next = p->all;
		p->all = sh;
		sh->subs = s;
		s->sh = sh;
		sh->inf = client_informer_new(p->c, &o, fan_out, sh);
		return s;
	}
	s->sh = sh;
	s->next = sh->subs;
	sh->subs = s;
	/* Late joiner: replay what the others already have. */
	if (informer_state(sh->inf) == INFORMER_SYNCED)
		cb(sh->inf, INFORMER_RELISTED, NULL, arg);
	else if (informer_state(sh->inf) != INFORMER_SYNCING)
		cb(sh->inf, INFORMER_STATE, NULL, arg);
	return s;
}

void inf_pool_unsub(struct inf_pool *p, struct inf_sub *s)
{
	struct shared *sh;

	(void)p;
	if (!s)
		return;
	sh = s->sh;
	s->dead = 1;
	if (!sh->busy)
		reap(sh);
}

struct informer *inf_sub_informer(const struct inf_sub *s)
{
	return s->sh->inf;
}

size_t inf_pool_count(const struct inf_pool *p)
{
	size_t n = 0;

	for (const struct shared *sh = p->all; sh; sh = sh->next)
		n++;
	return n;
}
