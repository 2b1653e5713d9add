/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport.h: the inside of struct client, shared by the files of
 * src/client (transport.c owns the I/O thread; rest.c, discovery.c and
 * informer.c build on client_request/client_stream).
 */
#ifndef KDECK_CLIENT_TRANSPORT_H
#define KDECK_CLIENT_TRANSPORT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <curl/curl.h>

#include "client/private.h"
#include "common/vec.h"

/* Credentials state; touched by the I/O thread only. */
struct client_auth {
	const struct kc_config *cfg;
	char *exec_token;
	struct buf exec_cert, exec_key;
	time_t exec_expiry;	/* 0: no expiry given */
	bool exec_valid;
	unsigned exec_runs;	/* for tests */
	char *file_token;
	time_t file_mtime;
	long file_mtime_ns;
	off_t file_size;
};

void auth_init(struct client_auth *a, const struct kc_config *cfg);
void auth_done(struct client_auth *a);
/* Forget cached exec/file credentials (after a 401). */
void auth_invalidate(struct client_auth *a);
/* Bearer token to send, or NULL; runs an exec plugin when needed.
 * The token is borrowed until the next auth_ call. */
int auth_token(struct client_auth *a, const char **token, struct err *e);

/* A watch event handed to the owner thread; obj is the callee's. */
typedef void (*client_event_cb)(enum watch_type t, cJSON *obj, void *arg);

/*
 * A streaming GET (watch): every decoded event goes to on_event, then
 * on_done once with the final status (ERR_OK when the server closed the
 * stream normally).  Watches take no rate-limit tokens and have no total
 * timeout.  Callbacks run during client_drain.
 */
uint64_t client_stream(struct client *c, const struct client_req *req,
		       client_event_cb on_event, client_cb on_done,
		       void *arg);

/*
 * TLS, proxy and SSH-tunnel options of c on easy handle h, with the
 * client certificate of a (an exec plugin's, else the kubeconfig's).
 * *connect_to gets a list the caller frees after the handle
 * (curl_slist_free_all).  Any thread: reads only what client_new set.
 */
void client_curl_tls(struct client *c, const struct client_auth *a,
		     CURL *h, struct curl_slist **connect_to);

struct xfer;
struct cev;
struct pending;
struct informer;
struct ssh_tunnel;

struct client {
	struct kc_config *cfg;
	char *server;		/* without trailing slash */
	char *namespace;
	int timeout_ms;
	/* owner (UI) side */
	struct pending *pending;	/* uthash by id */
	uint64_t next_id;
	struct vec informers;	/* struct informer * */
	struct vec resources;	/* struct client_gvr * (discovery) */
	bool discovered;
	/* shared, under mu */
	pthread_mutex_t mu;
	struct xfer *submit_head, **submit_tail;
	struct vec cancels;	/* uint64_t ids cast to pointers */
	struct cev *done_head, **done_tail;
	bool stop;
	int efd;		/* eventfd: results waiting */
	/* I/O thread only */
	pthread_t thread;
	bool thread_started;
	CURLM *multi;
	struct client_auth auth;
	struct ratelimit rl;
	struct xfer *waiting[2];	/* per priority FIFO (not started) */
	struct xfer *running;		/* list of started transfers */
	char *connect_to;		/* CURLOPT_CONNECT_TO entry or NULL */
	char *url_base;			/* server, host swapped for SNI */
	struct ssh_tunnel *tunnel;	/* NULL unless --ssh / extension */
};

int64_t client_now_ns(void);

#endif
