/* SPDX-License-Identifier: Apache-2.0 */
/*
 * get_watch: `kdeck get KIND -w`, an informer printed as it changes.
 * Like kubectl it prints the Table rows of the initial list with a
 * header, then one row per event; -o name prints `kind/name` lines with
 * the event type in front (`ADDED pod/x`).  Informer state changes go to
 * stderr (`kdeck: watch: <state>: <error>`) so a dropped connection, the
 * back-off and the recovery are visible.  Runs until killed, or until
 * --watch-events=N events were printed (for tests).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/get.h"
#include "client/private.h"
#include "common/mem.h"

struct get_watch {
	const struct client_gvr *r;
	bool names;
	bool with_ns;
	bool header_done;
	long printed;
	long limit;
	enum informer_state last_state;
};

static const char *const gw_state_names[] = {
	[INFORMER_SYNCING] = "syncing",
	[INFORMER_SYNCED] = "synced",
	[INFORMER_ERROR] = "error",
	[INFORMER_FORBIDDEN] = "forbidden",
};

static const char *const gw_event_names[] = {
	[INFORMER_ADDED] = "ADDED",
	[INFORMER_MODIFIED] = "MODIFIED",
	[INFORMER_DELETED] = "DELETED",
};

static void gw_print_row(struct get_watch *w, const struct informer *inf,
			 enum informer_event ev,
			 const struct informer_item *it)
{
	const cJSON *cols = informer_columns(inf), *col, *cell;
	int i = 0;

	if (w->names) {
		char *kind = xstrdup(w->r->kind);
		for (char *p = kind; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		printf("%s %s%s%s/%s\n", gw_event_names[ev], kind,
		       w->r->group[0] ? "." : "", w->r->group, it->name);
		free(kind);
		fflush(stdout);
		return;
	}
	if (!w->header_done && cols) {
		if (w->with_ns)
			printf("%-20s", "NAMESPACE");
		cJSON_ArrayForEach(col, cols)
			if (!(cJSON_GetNumberValue(client_jget(col, "priority",
							       NULL)) > 0))
				printf("%-20s", client_jstr(col, "name", NULL));
		printf("\n");
		w->header_done = true;
	}
	if (w->with_ns)
		printf("%-20s", it->ns);
	cJSON_ArrayForEach(col, cols) {
		cell = cJSON_GetArrayItem(it->cells, i++);
		if (cJSON_GetNumberValue(client_jget(col, "priority", NULL)) > 0)
			continue;
		if (cJSON_IsString(cell))
			printf("%-20s", cell->valuestring);
		else if (cJSON_IsNumber(cell))
			printf("%-20lld", (long long)cell->valuedouble);
		else
			printf("%-20s", "<none>");
	}
	printf("\n");
	fflush(stdout);
}

static void gw_cb(struct informer *inf, enum informer_event ev,
		  const struct informer_item *it, void *arg)
{
	struct get_watch *w = arg;

	if (ev == INFORMER_STATE) {
		fprintf(stderr, "kdeck: watch: %s%s%s\n",
			gw_state_names[informer_state(inf)],
			*informer_error(inf) ? ": " : "", informer_error(inf));
		return;
	}
	if (ev == INFORMER_RELISTED) {
		struct vec items = VEC_INIT;
		informer_list(inf, &items);
		fprintf(stderr, "kdeck: watch: listed %zu\n", items.len);
		for (size_t i = 0; i < items.len; i++)
			gw_print_row(w, inf, INFORMER_ADDED, items.items[i]);
		w->printed += (long)items.len;
		vec_free(&items, NULL);
		return;
	}
	gw_print_row(w, inf, ev, it);
	w->printed++;
}

int get_watch(struct client *c, const struct get_args *a,
	      const struct client_gvr *r, bool names, long limit)
{
	struct get_watch w = { .r = r, .names = names, .limit = limit,
		.with_ns = a->all_ns && r->namespaced };
	struct informer_opts o = { .gvr = *r,
		.ns = a->all_ns ? NULL : client_namespace(c),
		.label_selector = a->label, .field_selector = a->field,
		.form = CLIENT_FORM_TABLE };
	struct informer *inf = client_informer_new(c, &o, gw_cb, &w);

	while (!limit || w.printed < limit) {
		client_wait(c, 1000);
		if (informer_state(inf) == INFORMER_FORBIDDEN)
			break;
	}
	int rc = informer_state(inf) == INFORMER_FORBIDDEN ? 1 : 0;
	informer_free(inf);
	return rc;
}
