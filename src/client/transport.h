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

struct auth_job;	/* one asynchronous exec plugin run (auth_job.c) */

/* Credentials state; touched by the I/O thread only. */
struct client_auth {
	const struct kc_config *cfg;
	char *exec_token;
	struct buf exec_cert, exec_key;
	time_t exec_expiry;	/* 0: no expiry given */
	bool exec_valid;
	unsigned exec_runs;	/* for tests */
	bool lend_tty;		/* auth_token may give a plugin the terminal */
	unsigned gen;		/* bumped for every installed exec credential */
	struct auth_job *job;	/* asynchronous plugin run in flight, or NULL */
	unsigned seq;		/* asynchronous runs started so far */
	unsigned failed_seq;	/* the last run that failed (0: none) */
	struct err failed;	/* ... and why */
	char *file_token;
	time_t file_mtime;
	long file_mtime_ns;
	off_t file_size;
};

void auth_init(struct client_auth *a, const struct kc_config *cfg);
void auth_done(struct client_auth *a);
/* Forget cached exec/file credentials (after a 401). */
void auth_invalidate(struct client_auth *a);
/* The same after a 401 on a request sent with credential generation gen:
 * the exec credential is only dropped when it is still that one (so many
 * 401s of one stale token cause one plugin run). */
void auth_invalidate_gen(struct client_auth *a, unsigned gen);
/* Bearer token to send, or NULL; runs an exec plugin when needed, on the
 * calling thread (blocking).  The token is borrowed until the next auth_
 * call.  The I/O thread uses auth_token_async instead. */
int auth_token(struct client_auth *a, const char **token, struct err *e);

/* kubectl's words when interactiveMode Always meets no terminal. */
#define AUTH_NO_TTY "exec plugin cannot support interactive mode: " \
	"standard input is not a terminal"
#define AUTH_TTY_REFUSED "exec plugin cannot support interactive mode: " \
	"standard input is unavailable"

/* One plugin command line, owning copies of everything (argv, environ
 * plus the kubeconfig's env, KUBERNETES_EXEC_INFO for both values of
 * spec.interactive), so a run may outlive its client. */
struct auth_cmd {
	struct vec argv, envp;
	char *info[2];		/* [interactive] */
};
void auth_cmd_init(struct auth_cmd *cmd, const struct kc_config *cfg);
void auth_cmd_done(struct auth_cmd *cmd);
/* Start the plugin with stdout on a pipe (*fd, caller reads) and stdin
 * from /dev/null, or the caller's stdin when tty. */
int auth_cmd_spawn(struct auth_cmd *cmd, bool tty, pid_t *pid, int *fd,
		   struct err *e);
/* Read the plugin's stdout to EOF into out, close fd, reap pid;
 * -1 (ERR_UNAUTHORIZED) when it failed. */
int auth_cmd_collect(const struct auth_cmd *cmd, pid_t pid, int fd,
		     struct buf *out, struct err *e);
char *auth_exec_info(const struct kc_config *cfg, bool interactive);
/* Cached exec credential still valid (before its expirationTimestamp). */
bool auth_exec_fresh(const struct client_auth *a);
/* Parse an ExecCredential and install it (gen++). */
int auth_exec_install(struct client_auth *a, const struct buf *out,
		      struct err *e);
/*
 * The client's last exec credential, shared between the I/O thread and
 * stream threads (ws_client.c) under c->mu, so one plugin run serves
 * every request and stream until expirationTimestamp.  auth_share
 * publishes a's credential (or clears the shared one when a has none
 * valid); auth_adopt copies a fresh shared credential into a (gen++)
 * and returns whether there was one.  Any thread.
 */
void auth_share(struct client *c, const struct client_auth *a);
bool auth_adopt(struct client *c, struct client_auth *a);
/* Drop the shared exec credential if it is still a's (the server refused
 * it with 401); a newer one another thread shared stays.  Any thread. */
void auth_unshare(struct client *c, const struct client_auth *a);
/* Whether interactiveMode lets the plugin have a terminal; *required for
 * Always. */
bool auth_exec_wants_tty(const struct kc_config *cfg, bool *required);

/* ---- auth_job.c: exec plugins off the I/O thread ---- */

enum auth_wait {
	AUTH_READY = 0,		/* *token set (NULL: send none) */
	AUTH_PENDING,		/* a plugin run is in flight: ask again */
	AUTH_FAILED,		/* the run this request waited for failed */
};

/*
 * I/O thread: credentials for one request without blocking.  *seq is the
 * request's own memo (0 at first): on AUTH_PENDING it names the run the
 * request waits for (started now if none was running); once that run
 * has failed the next call returns AUTH_FAILED with its error in e.
 * A finished run wakes the multi handle; call auth_collect then.
 */
enum auth_wait auth_token_async(struct client *c, unsigned *seq,
				const char **token, struct err *e);
/* I/O thread, once per loop: install the result of a finished run. */
void auth_collect(struct client *c);
/* Owner thread (client_drain): lend the terminal to a posted run. */
void auth_job_tty(struct client *c, struct auth_job *job);
/* A posted run that will never be dispatched (client_free). */
void auth_job_drop(struct auth_job *job);
/* Forget the run in flight: it finishes on its own (its plugin gets
 * SIGTERM unless it holds the terminal) and frees itself. */
void auth_abandon(struct client_auth *a);

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

/*
 * Terminal hook (client_options.exec_tty_cb); see client.h.  The I/O
 * thread posts a run for it; client_drain calls it.
 */
struct client {
	struct kc_config *cfg;
	client_tty_cb tty_cb;
	void *cb_arg;
	char *server;		/* without trailing slash */
	char *namespace;
	int timeout_ms;
	/* owner (UI) side */
	struct pending *pending;	/* uthash by id */
	uint64_t next_id;
	struct vec informers;	/* struct informer * */
	struct vec resources;	/* struct client_gvr * (discovery) */
	struct vec disc_runs;	/* discovery runs in flight (discovery.c) */
	bool discovered;
	/* shared, under mu */
	pthread_mutex_t mu;
	struct xfer *submit_head, **submit_tail;
	struct vec cancels;	/* uint64_t ids cast to pointers */
	struct cev *done_head, **done_tail;
	bool stop;
	struct client_auth shared;	/* exec credential only (auth_share) */
	bool ws_abandon;	/* client_ws_abandon: stream opens give up */
	/* held by the one stream open resolving the exec credential, so
	 * streams opening at once run the plugin once (ws_client.c) */
	pthread_mutex_t ws_auth_mu;
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
