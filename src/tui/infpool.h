/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tui/infpool.h: informers shared between the dashboard's views.
 *
 * A pool holds at most one informer per (resource, namespace, form) of
 * one client, with any number of subscribers.  A subscriber that needs
 * only Table rows (a table view) takes an existing informer of the same
 * resource and namespace in either Table form; one that needs the full
 * objects (overview, owner tree) asks for CLIENT_FORM_TABLE_OBJECT, which
 * also serves later table views.  The informer is freed with its last
 * subscriber.  A subscriber joining an informer that has already listed
 * gets the replay at once (INFORMER_RELISTED, or INFORMER_STATE while it
 * is failing), inside inf_pool_sub.  Everything runs on the UI thread.
 */
#ifndef KDECK_TUI_INFPOOL_H
#define KDECK_TUI_INFPOOL_H

#include "client/client.h"

struct inf_pool;
struct inf_sub;

struct inf_pool *inf_pool_new(struct client *c);
/* Frees every informer; subscriptions must be gone (or are dropped). */
void inf_pool_free(struct inf_pool *p);
/*
 * Subscribe cb(arg) to the informer of gvr in ns (NULL or "" = all);
 * objects: the full objects are needed.  Never NULL.  cb gets the
 * shared informer; it may unsubscribe (itself or others) from inside.
 */
struct inf_sub *inf_pool_sub(struct inf_pool *p, const struct client_gvr *gvr,
			     const char *ns, int objects, informer_cb cb,
			     void *arg);
void inf_pool_unsub(struct inf_pool *p, struct inf_sub *s);
/* The informer behind a subscription (borrowed). */
struct informer *inf_sub_informer(const struct inf_sub *s);
/* How many informers the pool runs (tests, benchmarks). */
size_t inf_pool_count(const struct inf_pool *p);

#endif
