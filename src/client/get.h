/* SPDX-License-Identifier: Apache-2.0 */
/*
 * get.h: shared by get.c (argument handling, can-i) and get_print.c
 * (fetching and printing for `kdeck get`).
 */
#ifndef KDECK_CLIENT_GET_H
#define KDECK_CLIENT_GET_H

#include <stdbool.h>

#include "client/client.h"

#define GET_MAX_POS 3

struct get_args {
	const char *ns, *label, *field, *output, *context, *kubeconfig, *as,
		   *ssh;
	bool all_ns;
	bool watch;		/* -w */
	long watch_events;	/* --watch-events N: stop after N (tests) */
	char *pos[GET_MAX_POS];
	int npos;
	const char *name;
};

/* Fetch and print; output is "", "wide", "json", "yaml" or "name".
 * Returns the exit status. */
int get_show(struct client *c, const struct get_args *a,
	     const struct client_gvr *r, const char *output);
/* -w: run an informer and print rows/events; exit status. */
int get_watch(struct client *c, const struct get_args *a,
	      const struct client_gvr *r, bool names, long limit);
/* Print e like kubectl; returns 1. */
int get_print_err(const struct err *e);
/* client_new from the arguments; prints the error; 0 or 1. */
int get_connect(const struct get_args *a, struct client **c);

#endif
