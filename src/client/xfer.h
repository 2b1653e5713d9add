/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xfer.h: the queue items between the owner thread and the I/O thread
 * (private to client.c and transport.c).
 */
#ifndef KDECK_CLIENT_XFER_H
#define KDECK_CLIENT_XFER_H

#include <uthash.h>

#include "client/transport.h"

#define CLIENT_MAX_BODY (512u << 20)

/* One request; owned by the submit queue, then by the I/O thread. */
struct xfer {
	struct xfer *next;
	struct client *c;
	uint64_t id;
	char *method, *path, *accept, *ctype;
	char *body;
	size_t body_len;
	enum client_prio prio;
	int timeout_ms;
	bool stream;
	bool raw;		/* stream body chunks as they come */
	bool drop_mf;		/* client_req.drop_managed_fields */
	char *as;		/* per-request impersonation, or NULL */
	char **as_groups;	/* NULL-terminated, or NULL */
	int attempts;
	bool auth_retried;
	unsigned auth_seq;	/* the plugin run it waits for (auth_job.c) */
	unsigned auth_gen;	/* credential generation it was sent with */
	int64_t not_before;
	CURL *h;
	struct curl_slist *hdrs, *connect_to;
	struct buf resp;
	struct watch_dec *dec;
	bool stream_failed;
	struct err stream_err;
	char errbuf[CURL_ERROR_SIZE];
};

/* One result for the owner thread: a watch event or a final response. */
struct cev {
	struct cev *next;
	uint64_t id;
	bool is_event;
	enum watch_type wt;
	cJSON *obj;			/* event object (owned) */
	char *data;			/* raw stream chunk (owned) */
	size_t len;
	struct client_resp *resp;	/* final response (owned) */
	struct auth_job *auth_job;	/* a plugin run for the tty hook */
};

/* Owner-side record of a request whose callback has not run yet. */
struct pending {
	uint64_t id;
	client_cb cb;
	client_event_cb ev_cb;
	client_data_cb data_cb;
	void *arg;
	UT_hash_handle hh;
};

void xfer_free(struct xfer *x);
void client_post(struct client *c, struct cev *ev);
/* The I/O thread's main function. */
void *client_io_main(void *arg);

#endif
