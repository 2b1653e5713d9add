/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client: the Kubernetes client layer (public interface for the dashboard
 * and for `kdeck get` / `kdeck can-i`).
 *
 * Design.  A struct client is one connection context (one kubeconfig
 * context, one server).  It owns exactly one I/O thread that runs a libcurl
 * multi handle; every request and every watch of that client is a transfer
 * on that handle.  Nothing here blocks the caller except the *_sync
 * wrappers.
 *
 *   UI thread                          I/O thread (curl multi)
 *   client_request(..., cb, arg) ---->  queue -> rate limiter -> transfer
 *   poll(client_fd()) <-- eventfd ----  completion / watch event queued
 *   client_drain()                      (never runs user code)
 *     -> cb(resp, arg)                  
 *     -> informer caches updated, informer callbacks run
 *
 * So every user callback runs on the thread that calls client_drain(), and
 * informer caches are only touched on that thread: the UI reads them
 * without locks.  The I/O thread parses JSON (watch events, list bodies)
 * so the UI thread only links ready cJSON trees into its caches.
 *
 * Rate limit: a token bucket (qps/burst as in client-go, default 50/100)
 * applies to plain requests; watches never take tokens and requests with
 * CLIENT_PRIO_INTERACTIVE are dequeued before background ones.
 *
 * Errors: a finished request always yields a struct client_resp; resp->err
 * is ERR_OK on a 2xx, otherwise it carries the decoded Kubernetes Status
 * (code from the HTTP status, message as kubectl prints it, e.g.
 * `pods "x" not found`) or a transport error (ERR_UNAVAILABLE, ERR_TIMEOUT).
 *
 * Threads: all functions below are for one thread (the owner, normally the
 * UI thread) unless stated otherwise.
 */
#ifndef KDECK_CLIENT_CLIENT_H
#define KDECK_CLIENT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/vec.h"

struct client;
struct informer;
struct kc;		/* a loaded kubeconfig, see client/kubeconfig.h */

/* ---------------------------------------------------------------- setup */

/*
 * Host-key decision for an SSH tunnel to a host missing from known_hosts
 * (a mismatch is always refused and never reaches this callback).  Return
 * true to trust it (and add it to known_hosts).  Runs on the thread that
 * calls client_new (the first connection) and on the tunnel thread when
 * it reconnects; the dashboard should hand it to the UI and wait.  NULL
 * means refuse.
 */
typedef bool (*client_hostkey_cb)(const char *host, const char *fingerprint,
				  void *arg);
/* Passphrase for an encrypted SSH key; write it NUL-terminated into buf
 * and return 0, or -1 to give up.  Same threads as the hostkey callback. */
typedef int (*client_passphrase_cb)(const char *key_path, char *buf,
				    size_t n, void *arg);

/*
 * Terminal hook for exec credential plugins that may talk to the user
 * (interactiveMode IfAvailable, the default, or Always; Never plugins
 * never come here).  When a plugin must run, the client calls
 *
 *     hook(required, run, run_arg, arg)
 *
 * on the owner thread, from inside client_drain (never on the I/O
 * thread, never re-entrantly).  To give the plugin the terminal the hook
 * leaves the screen (curses: def_prog_mode(); endwin()), calls
 * run(run_arg) exactly once, which returns when the plugin has exited
 * (it may take as long as the user needs; the I/O thread keeps serving
 * every request and watch that has a credential meanwhile), then takes
 * the screen back (reset_prog_mode(); refresh() or a full redraw) and
 * returns 0.  It may instead return -1 without calling run: with
 * required false (IfAvailable) the plugin then runs on a helper thread
 * without a terminal (stdin /dev/null); with required true (Always) the
 * waiting requests fail with kubectl's "exec plugin cannot support
 * interactive mode: standard input is unavailable".  A dashboard that
 * does not want its screen to flicker on routine token refreshes can
 * decline whenever required is false.  Requests that need the
 * credential wait (queued, not failed) until the plugin has finished.
 *
 * Without a hook (NULL) no plugin gets a terminal: IfAvailable runs with
 * stdin /dev/null, Always fails with "... standard input is not a
 * terminal".  Command-line tools pass client_tty_lend.
 */
typedef int (*client_tty_cb)(bool required, void (*run)(void *run_arg),
			     void *run_arg, void *arg);
/* The hook for command-line tools (prompt.c): when standard input is a
 * terminal, lend it as it is (run and return 0), else decline (-1). */
int client_tty_lend(bool required, void (*run)(void *run_arg),
		    void *run_arg, void *arg);

/* Ready-made callbacks that ask on /dev/tty like ssh(1) (prompt.c); use
 * them only while the terminal is not in curses mode. */
bool client_tty_hostkey(const char *host, const char *fingerprint,
			void *arg);
int client_tty_passphrase(const char *key_path, char *buf, size_t n,
			  void *arg);

struct client_options {
	const char *kubeconfig;	/* --kubeconfig; NULL: $KUBECONFIG, ~/.kube/config */
	const char *context;	/* --context; NULL: current-context */
	const char *namespace;	/* -n; NULL: the context's, else "default" */
	const char *as;		/* --as (impersonate user) */
	const char *const *as_groups;	/* --as-group, NULL-terminated */
	const char *ssh;	/* --ssh user@host[:port]; overrides the context's */
	double qps;		/* 0: 50 */
	int burst;		/* 0: 100 */
	int timeout_ms;		/* per request (not watches); 0: 30000 */
	/* Connections to the server at most; 0: 6.  Over HTTP/1.1 each
	 * watch holds one (the dashboard's overview watches ten kinds). */
	int max_connections;
	client_hostkey_cb hostkey_cb;
	client_passphrase_cb passphrase_cb;
	client_tty_cb exec_tty_cb;	/* see above; NULL: no terminal */
	void *cb_arg;		/* for all three callbacks */
};

/*
 * Load the kubeconfig, resolve the context and credentials and start the
 * I/O thread.  No API traffic happens here (exec credential plugins run
 * lazily, on a helper thread, when the first request needs a credential,
 * and again when it expires or a 401 rejects it); an SSH tunnel (--ssh or the kdeck
 * cluster extension) is connected here so its errors are reported.  Errors name the file and the
 * field (ERR_NOT_FOUND for a missing file or context, ERR_PARSE for bad
 * YAML or base64, ERR_INVALID for a context naming a missing cluster/user).
 * *out is set only on success; free with client_free.
 */
int client_new(const struct client_options *opt, struct client **out,
	       struct err *e);
/* Stop the I/O thread, cancel everything, free.  Pending callbacks are
 * dropped without being called.  NULL is a no-op. */
void client_free(struct client *c);

/* Borrowed strings, valid for the client's lifetime. */
const char *client_context(const struct client *c);	/* "" if none */
const char *client_namespace(const struct client *c);	/* never NULL */
const char *client_server(const struct client *c);	/* https://host:port */
const char *client_user(const struct client *c);	/* kubeconfig user name */

/* ----------------------------------------------------- event loop glue */

/*
 * A file descriptor that becomes readable when results are waiting.  Put
 * it in the UI's poll set (POLLIN) and call client_drain() when it fires.
 */
int client_fd(const struct client *c);
/*
 * Run every pending completion callback and apply pending watch events to
 * informer caches (running informer callbacks), in arrival order.  Returns
 * the number of items processed.  Callbacks may issue new requests, cancel
 * requests and free informers (but not the client).
 */
size_t client_drain(struct client *c);
/* Block up to timeout_ms (-1 forever) until client_fd is readable, then
 * drain.  For command-line tools and tests.  Returns items processed. */
size_t client_wait(struct client *c, int timeout_ms);

/* ------------------------------------------------------------ requests */

enum client_prio {
	CLIENT_PRIO_BACKGROUND = 0,	/* informer relists, prefetch */
	CLIENT_PRIO_INTERACTIVE = 1,	/* a user is waiting: jumps the queue */
};

/* Accept headers for the forms a client wants back. */
#define CLIENT_ACCEPT_JSON "application/json"
#define CLIENT_ACCEPT_TABLE                                                   \
	"application/json;as=Table;v=v1;g=meta.k8s.io,"                        \
	"application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"

struct client_req {
	const char *method;	/* NULL: GET */
	const char *path;	/* "/api/v1/namespaces/default/pods?limit=500" */
	const char *accept;	/* NULL: application/json */
	const char *content_type;	/* NULL: application/json if body */
	const char *body;	/* copied */
	size_t body_len;
	enum client_prio prio;
	int timeout_ms;		/* 0: the client's default */
	int delay_ms;		/* start no sooner than this from now */
	/* Impersonate for this request only (overrides the client's --as):
	 * user, and groups (NULL-terminated, at most 8; may be NULL). */
	const char *as;
	const char *const *as_groups;
	/* A list answer (items, or Table rows' objects): drop every
	 * metadata.managedFields on the I/O thread, before the body reaches
	 * the owner (informers that do not keep them; saves the owner the
	 * frees of a 10,000-object list). */
	bool drop_managed_fields;
};

struct client_resp {
	uint64_t id;		/* as returned by client_request */
	int status;		/* HTTP status; 0 on transport errors */
	struct err err;		/* ERR_OK on 2xx, else Status/transport */
	char content_type[128];
	struct buf body;	/* raw (decompressed) body */
	cJSON *json;		/* body parsed when it is JSON, else NULL */
};

/* Completion callback, run during client_drain.  resp is borrowed; take
 * resp->json by setting it to NULL if you keep it. */
typedef void (*client_cb)(struct client_resp *resp, void *arg);

/*
 * Queue a request.  Returns its id (never 0).  cb runs exactly once unless
 * the request is cancelled first.  Idempotent methods (GET, HEAD) are
 * retried with back-off on connection errors, 429 and 503.
 * Thread: owner thread only.
 */
uint64_t client_request(struct client *c, const struct client_req *req,
			client_cb cb, void *arg);
/* Cancel a queued or running request (or a discovery run, see
 * client_discover); its callback will not run.  Unknown or finished ids
 * are ignored. */
void client_cancel(struct client *c, uint64_t id);

/*
 * Synchronous: queue, then wait on this thread until done (other ready
 * callbacks are run meanwhile).  Returns 0 on a 2xx with *out set (free
 * with client_resp_free); -1 with e filled from resp->err otherwise.
 */
int client_request_sync(struct client *c, const struct client_req *req,
			struct client_resp **out, struct err *e);
void client_resp_free(struct client_resp *resp);

/* ----------------------------------------- discovery and resource names */

struct client_gvr {
	char group[96];		/* "" for the core group */
	char version[32];
	char resource[96];	/* plural: "pods", "deployments" */
	char kind[96];		/* "Pod" */
	char singular[96];
	bool namespaced;
	char verbs[160];	/* space-separated: "create delete get list ..." */
	char short_names[96];	/* space-separated: "po" */
	char categories[96];	/* space-separated: "all" */
};

/*
 * Discover the server's resources (aggregated discovery v2, falling back
 * to /api/v1 + /apis/G/V), using the disk cache under
 * $XDG_CACHE_HOME/kdeck/discovery/<host_port>/ (6 h TTL).  The result is
 * kept in the client.  Synchronous.
 */
int client_discover_sync(struct client *c, bool refresh, struct err *e);
/* Async form: cb gets resp->err only (json NULL); the client is updated.
 * Returns the run's id, or 0 when a fresh disk cache answered (cb has
 * then run before this returns).  client_cancel(c, id) or
 * client_discover_cancel stops a run at once, whatever the server does
 * (its requests are cancelled, cb never runs, the client keeps its
 * previous resources); client_free drops runs in flight the same way.
 * The UI should use this form (not client_discover_sync) for a server
 * that may be slow or unreachable, so a context switch or quit never
 * waits for it. */
uint64_t client_discover(struct client *c, bool refresh, client_cb cb,
			 void *arg);
/* Cancel discovery run id (0: every run of c).  Returns whether one was
 * found.  Also reached through client_cancel. */
bool client_discover_cancel(struct client *c, uint64_t id);
/* Discovered resources: borrowed struct client_gvr pointers (subresources
 * excluded, preferred versions first), valid until the next discovery. */
const struct vec *client_resources(const struct client *c);

/*
 * Resolve user input ("po", "pods", "pod", "Pod", "deploy",
 * "deployments.apps", "deployments.v1.apps", a CRD plural/kind/short name)
 * to a resource.  Discovers first if needed; on a miss it refreshes the
 * discovery once (like kubectl on a stale cache).  ERR_NOT_FOUND:
 * `the server doesn't have a resource type "x"`.
 */
int client_resolve(struct client *c, const char *input,
		   struct client_gvr *out, struct err *e);
/* The same among the resources the client already has (never any
 * network, never waits): ERR_NOT_FOUND on a miss or before the first
 * discovery has answered.  For the UI while client_discover runs. */
int client_resolve_cached(const struct client *c, const char *input,
			  struct client_gvr *out, struct err *e);

/*
 * A streaming GET whose body is handed over in chunks as they arrive
 * (`pods/log?follow=true`): on_data(data, len, arg) for every chunk (data
 * is NUL-terminated, borrowed for the call), then on_done once with the
 * final status (a non-2xx answer arrives whole in on_done's resp).  Takes
 * no rate-limit tokens and has no total timeout; stop it with
 * client_cancel (no callback runs after that).
 */
typedef void (*client_data_cb)(const char *data, size_t len, void *arg);
uint64_t client_stream_raw(struct client *c, const struct client_req *req,
			   client_data_cb on_data, client_cb on_done,
			   void *arg);

/* ------------------------------------------------------ dynamic REST */

/*
 * Path of a resource, collection (name NULL) or subresource.  ns NULL or
 * "" means all namespaces for a collection of a namespaced resource, and
 * is ignored for cluster-scoped ones.  Caller frees.
 */
char *client_path(const struct client_gvr *r, const char *ns,
		  const char *name, const char *subresource);

enum client_form {
	CLIENT_FORM_OBJECT = 0,		/* plain JSON objects / lists */
	CLIENT_FORM_TABLE,		/* Table, rows with PartialObjectMetadata */
	CLIENT_FORM_TABLE_OBJECT,	/* Table, rows with the full object */
};

struct client_list_opts {
	const char *label_selector;
	const char *field_selector;
	enum client_form form;
	long limit;			/* 0: no limit param (one page) */
	const char *resource_version;	/* NULL: none ("" never sent) */
};

/* Verbs; cb gets the object (or Table / list / Status) in resp->json. */
uint64_t client_get(struct client *c, const struct client_gvr *r,
		    const char *ns, const char *name, enum client_form form,
		    enum client_prio prio, client_cb cb, void *arg);
/* One page (lo->limit items, 0: all); resp->json's metadata.continue
 * names the next page.  client_list_sync follows and merges pages. */
uint64_t client_list(struct client *c, const struct client_gvr *r,
		     const char *ns, const struct client_list_opts *lo,
		     enum client_prio prio, client_cb cb, void *arg);
uint64_t client_create(struct client *c, const struct client_gvr *r,
		       const char *ns, const cJSON *obj, client_cb cb,
		       void *arg);
uint64_t client_update(struct client *c, const struct client_gvr *r,
		       const char *ns, const cJSON *obj, client_cb cb,
		       void *arg);
/* patch_type: "application/merge-patch+json",
 * "application/strategic-merge-patch+json", "application/json-patch+json",
 * "application/apply-patch+yaml" (with ?fieldManager=kdeck&force=...). */
uint64_t client_patch(struct client *c, const struct client_gvr *r,
		      const char *ns, const char *name,
		      const char *patch_type, const char *patch,
		      const char *subresource, client_cb cb, void *arg);
/* propagation: NULL or "Background", "Foreground", "Orphan". */
uint64_t client_delete(struct client *c, const struct client_gvr *r,
		       const char *ns, const char *name,
		       const char *propagation, client_cb cb, void *arg);

/* Synchronous list for tools/tests (follows continue). */
int client_list_sync(struct client *c, const struct client_gvr *r,
		     const char *ns, const struct client_list_opts *lo,
		     cJSON **out, struct err *e);

/*
 * SelfSubjectAccessReview.  *allowed set on success; reason (may be NULL)
 * receives the server's reason text.  Synchronous.
 */
int client_can_i_sync(struct client *c, const char *verb,
		      const char *group, const char *resource,
		      const char *subresource, const char *ns,
		      const char *name, bool *allowed, char *reason,
		      size_t reason_len, struct err *e);

/* ------------------------------------------------------------ informers */

enum informer_state {
	INFORMER_SYNCING = 0,	/* listing (first time or after 410/error) */
	INFORMER_SYNCED,	/* list complete, watch running */
	INFORMER_ERROR,		/* backing off after an error (see text) */
	INFORMER_FORBIDDEN,	/* 403 on list: will not retry until restart */
};

enum informer_event {
	INFORMER_ADDED = 0,
	INFORMER_MODIFIED,
	INFORMER_DELETED,
	INFORMER_STATE,		/* state or error text changed; item NULL */
	INFORMER_RELISTED,	/* cache replaced by a fresh list; item NULL */
};

/* One cached object.  In the Table forms obj is the row's object
 * (PartialObjectMetadata or full object) and cells the row's cells. */
struct informer_item {
	const char *ns;		/* "" for cluster-scoped */
	const char *name;
	const char *resource_version;
	const cJSON *obj;	/* borrowed from the cache */
	const cJSON *cells;	/* array, Table forms only; else NULL */
};

/* Runs during client_drain.  item is borrowed and valid during the call
 * (for DELETED: the last known state). */
typedef void (*informer_cb)(struct informer *inf, enum informer_event ev,
			    const struct informer_item *item, void *arg);

struct informer_opts {
	struct client_gvr gvr;
	const char *ns;			/* NULL or "": all namespaces */
	const char *label_selector;
	const char *field_selector;
	enum client_form form;
	/* Keep metadata.managedFields in cached objects (default: dropped,
	 * as kubectl hides them; the dashboard's views never show them). */
	bool keep_managed_fields;
};

/*
 * Start a list+watch cache.  The Table forms (CLIENT_FORM_TABLE) cache
 * only the rows and their PartialObjectMetadata: use them wherever the
 * view needs no more than the columns, labels and metadata (10,000 pods
 * take a fraction of the object form's memory).  It lists (Table form
 * asks the server for Table rows; watch events then arrive as one-row
 * Tables), watches from the list's resourceVersion, resumes after a
 * dropped watch from the last seen resourceVersion, relists on 410 Gone,
 * backs off (1 s doubling to 30 s) on errors.  Never NULL.  Free with informer_free (also allowed
 * from inside its own callback).
 */
struct informer *client_informer_new(struct client *c,
				     const struct informer_opts *o,
				     informer_cb cb, void *arg);
void informer_free(struct informer *inf);

enum informer_state informer_state(const struct informer *inf);
/* Error text of the last failure ("" when none); borrowed. */
const char *informer_error(const struct informer *inf);
/* Table column definitions (cJSON array) in Table forms, else NULL. */
const cJSON *informer_columns(const struct informer *inf);
size_t informer_count(const struct informer *inf);
/* Lookup by namespace/name; borrowed until the next client_drain. */
const struct informer_item *informer_get(const struct informer *inf,
					 const char *ns, const char *name);
/* Append borrowed item pointers (sorted by namespace, name) to out. */
void informer_list(const struct informer *inf, struct vec *out);

#endif
