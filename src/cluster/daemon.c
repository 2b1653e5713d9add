/* SPDX-License-Identifier: Apache-2.0 */
/*
 * daemon: composition and lifetime of the embedded cluster.
 *
 * Start: lock DIR/lock (flock: a dead holder's lock vanishes with it, so
 * a stale lock file is simply taken over), bind the port, load or create
 * the PKI, then store_open -> authz_new -> authz_bootstrap -> api_new ->
 * api_bootstrap while a thread writes the kubeconfig files (unchanged
 * files are not rewritten), then server start, and only then report
 * ready.  The lock file then holds "pid\nurl\nstart\n" for
 * `status` and `down`.  Stop (SIGTERM/SIGINT, taken with sigwait in the
 * main thread; every other thread has them blocked): the server stops
 * accepting, finishes in-flight requests, ends streams; then everything
 * is torn down in reverse order.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cluster/api.h"
#include "cluster/authn.h"
#include "cluster/authz.h"
#include "cluster/crd.h"
#include "cluster/ctrl.h"
#include "cluster/daemon.h"
#include "cluster/evrec.h"
#include "cluster/node/agent.h"
#include "cluster/nodeops.h"
#include "cluster/pki.h"
#include "cluster/satoken.h"
#include "cluster/server.h"
#include "cluster/store.h"
#include "common/buf.h"
#include "common/env.h"
#include "common/json.h"
#include "common/mem.h"

#define GIT_VERSION   "v1.33.0-kdeck"
#define STOP_GRACE_MS 5000

/* Everything a running cluster holds, torn down in reverse. */
struct cluster {
	int lock_fd, listen_fd, notify_fd;
	int port;
	char *url;
	struct pki *pki;
	struct satoken *sa;
	struct authn *authn;
	struct store *store;
	struct authz *authz;
	struct api *api;
	struct server *server;
	struct ctrl *ctrl; /* controllers (ctrl.c) */
	struct crd *crd; /* CRD controller (crd.h) */
	struct agent *agent; /* the node agent (node/agent.h), NULL = none */
};

char *daemon_path(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void notify(struct cluster *c, const char *kind, const char *text)
{
	char *line;

	if (c->notify_fd < 0) {
		if (!strcmp(kind, "ok"))
			printf("kdeck cluster ready at %s\n", text);
		else
			fprintf(stderr, "kdeck: %s%s\n",
				!strcmp(kind, "err") ? "error: " : "", text);
		fflush(stdout);
		return;
	}
	line = xasprintf("%s %s\n", kind, text);
	if (write(c->notify_fd, line, strlen(line)) < 0)
		c->notify_fd = -1; /* the parent went away; the log has it */
	fprintf(stderr, "kdeck: %s", line);
	free(line);
}

/* Read "pid\nurl\nstart" from an open lock file. */
static void lock_read(int fd, struct daemon_info *info)
{
	char text[512];
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
	char *nl;

	if (n <= 0)
		return;
	text[n] = '\0';
	info->pid = (pid_t)strtol(text, &nl, 10);
	if (*nl == '\n' &&
	    sscanf(nl + 1, "%255s %ld", info->url, &info->started) < 1)
		info->url[0] = '\0';
}

int daemon_probe(const char *dir, struct daemon_info *out, struct err *e)
{
	char *path = daemon_path(dir, "lock");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct daemon_info info;

	memset(&info, 0, sizeof(info));
	free(path);
	if (fd < 0) {
		*out = info;
		return errno == ENOENT ? 0
				       : err_set(e, ERR_IO, "%s/lock: %s", dir,
						 strerror(errno));
	}
	if (flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK) {
		info.running = true;
		lock_read(fd, &info);
	}
	close(fd);
	*out = info;
	return 0;
}

static int take_lock(struct cluster *c, const char *dir, struct err *e)
{
	char *path = daemon_path(dir, "lock");
	struct daemon_info info;

	c->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(path);
	if (c->lock_fd < 0)
		return err_set(e, ERR_IO, "%s/lock: %s", dir, strerror(errno));
	if (flock(c->lock_fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	memset(&info, 0, sizeof(info));
	lock_read(c->lock_fd, &info);
	close(c->lock_fd);
	c->lock_fd = -1;
	return err_set(e, ERR_CONFLICT,
		       "a cluster is already running on %s (pid %ld); stop it "
		       "with `kdeck cluster down`",
		       dir, (long)info.pid);
}

static void lock_write(struct cluster *c)
{
	char *text = xasprintf("%ld\n%s %ld\n", (long)getpid(), c->url,
			       (long)time(NULL));

	if (ftruncate(c->lock_fd, 0) < 0 ||
	    pwrite(c->lock_fd, text, strlen(text), 0) < 0)
		fprintf(stderr, "kdeck: cannot write the lock file: %s\n",
			strerror(errno));
	free(text);
}

/* The store's figures for /metrics (and `kdeck cluster status`). */
static void store_figures(void *arg, struct buf *out)
{
	struct cluster *c = arg;
	struct store_stats st;

	store_get_stats(c->store, &st);
	buf_printf(
	    out,
	    "# HELP kdeck_store_objects Live objects in the store.\n"
	    "# TYPE kdeck_store_objects gauge\nkdeck_store_objects %llu\n"
	    "# HELP kdeck_store_revision Current revision (resourceVersion).\n"
	    "# TYPE kdeck_store_revision gauge\nkdeck_store_revision %lld\n"
	    "# TYPE kdeck_store_compacted_revision gauge\n"
	    "kdeck_store_compacted_revision %lld\n"
	    "# TYPE kdeck_store_writes_total counter\nkdeck_store_writes_total "
	    "%llu\n"
	    "# TYPE kdeck_store_commits_total "
	    "counter\nkdeck_store_commits_total %llu\n"
	    "# TYPE kdeck_store_watchers gauge\nkdeck_store_watchers %llu\n"
	    "# TYPE kdeck_store_db_bytes gauge\nkdeck_store_db_bytes %llu\n",
	    (unsigned long long)st.objects, (long long)st.rev,
	    (long long)st.compacted_rev, (unsigned long long)st.writes,
	    (unsigned long long)st.commits, (unsigned long long)st.watchers,
	    (unsigned long long)st.db_bytes);
	evrec_metrics(out);
}

/* The real node's name: the lower-cased host name (the agent registers
 * the Node under the same name); NULL without a node agent. */
static char *node_name(const struct daemon_opts *o)
{
	char host[256] = "";

	if (!o->node || gethostname(host, sizeof(host) - 1) < 0 || !host[0])
		return NULL;
	for (char *p = host; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return xstrdup(host);
}

/* The parts after the PKI: store, authorizer, API. */
static int start_parts(struct cluster *c, const struct daemon_opts *o,
		       struct err *e)
{
	char *db = daemon_path(o->data_dir, "state.db");
	struct store_options so = {
	    .path = db,
	    /* as kube-apiserver's --etcd-compaction-interval (default 5 m) */
	    .compact_interval_s = (int)env_long("KDECK_COMPACTION_INTERVAL", 0, -1, 86400),
	    .compact_keep = env_long("KDECK_COMPACTION_KEEP", 0, 1, INT64_MAX / 2),
	};
	struct api_config ac = {
	    .git_version = GIT_VERSION,
	    .service_cidr = "10.96.0.0/12",
	    .cluster_ip_first = "10.96.0.1",
	    .node_port_min = 30000,
	    .node_port_max = 32767,
	    .advertise_host = o->host,
	    .advertise_port = c->port,
	    .data_dir = o->data_dir,
	    .node_name = node_name(o),
	    .sa = c->sa,
	    .ca_pem = c->pki->ca_cert,
	};
	int rc = -1;

	if (store_open(&so, &c->store, e) < 0) {
		err_wrap(e, "opening the store %s", db);
		goto out;
	}
	if (authz_new(c->store, &c->authz, e) < 0 ||
	    authz_bootstrap(c->authz, e) < 0) {
		err_wrap(e, "starting the authorizer");
		goto out;
	}
	if (api_new(&ac, c->store, c->authz, &c->api, e) < 0 ||
	    api_bootstrap(c->api, e) < 0 ||
	    crd_start(c->api, c->store, &c->crd, e) < 0) {
		err_wrap(e, "starting the API");
		goto out;
	}
	rc = 0;
out:
	free((char *)ac.node_name);
	free(db);
	return rc;
}

static int start_auth(struct cluster *c, const struct daemon_opts *o,
		      struct err *e)
{
	char *dir = daemon_path(o->data_dir, "pki");
	char *tokens = daemon_path(o->data_dir, "tokens.csv");
	int rc = -1;

	if (pki_ensure(dir, o->host, &c->pki, e) < 0) {
		err_wrap(e, "certificates in %s", dir);
		goto out;
	}
	if (satoken_new(c->pki->sa_key, c->pki->sa_pub, NULL, &c->sa, e) < 0 ||
	    authn_new(c->pki, tokens, c->sa, &c->authn, e) < 0)
		goto out;
	rc = 0;
out:
	free(dir);
	free(tokens);
	return rc;
}

/* Does the object at key exist with that uid (any uid when empty), not
 * deleted for longer than the token leeway (satoken_obj_valid)? */
static bool obj_exists(struct cluster *c, const char *resource,
		       const char *ns, const char *name, const char *uid)
{
	char *key = store_key("", resource, ns, name);
	const struct store_obj *so = NULL;
	bool ok = false;

	if (store_get(c->store, key, &so, NULL) == 0) {
		cJSON *obj = store_obj_parse(so);

		ok = satoken_obj_valid(obj, uid, (int64_t)time(NULL));
		cJSON_Delete(obj);
		store_obj_unref(so);
	}
	free(key);
	return ok;
}

/* authn's token revocation check: the ServiceAccount and the bound Pod or
 * Secret, same uids, exist and are not long deleted. */
static bool sa_exists(void *arg, const struct satoken_subject *s)
{
	struct cluster *c = arg;

	if (!obj_exists(c, "serviceaccounts", s->namespace, s->name, s->uid))
		return false;
	if (!s->bound_kind)
		return true;
	return obj_exists(c, !strcmp(s->bound_kind, "Pod") ? "pods" : "secrets",
			  s->namespace, s->bound_name, s->bound_uid);
}

static char *make_url(const char *host, int port)
{
	return strchr(host, ':') ? xasprintf("https://[%s]:%d", host, port)
				 : xasprintf("https://%s:%d", host, port);
}

/*
 * The node agent runs pods on this machine.  When it cannot (no runtime,
 * no privileges) the cluster goes on without a real node and says why.
 */
static void start_agent(struct cluster *c, const struct daemon_opts *o)
{
	char *name = node_name(o);
	struct agent_config ac = {
	    .data_dir = o->data_dir,
	    .node_name = name,
	    .self_exe = "/proc/self/exe",
	    .pod_cidr = "10.244.0.0/24",
	    .sa = c->sa,
	    .git_version = GIT_VERSION,
	    .runtime = o->runtime,
	};
	struct err e;
	char *m;

	err_clear(&e);
	if (!name)
		err_set(&e, ERR_UNAVAILABLE, "no host name");
	if (!name || agent_start(c->api, c->store, &ac, &c->agent, &e) < 0) {
		m = xasprintf("node agent: off: %s", e.msg);
	} else {
		struct nodeops ops;

		agent_nodeops(c->agent, &ops);
		api_set_nodeops(c->api, &ops);
		m = xstrdup(agent_describe(c->agent));
	}
	notify(c, "msg", m);
	free(m);
	free(name);
}

/*
 * The kubeconfig files are written (two fsyncs) on a thread of their own
 * while the store opens and the bootstrap runs; their messages are kept
 * and told after the join, in the order they came.
 */
struct kc_job {
	const char *dir, *url;
	const struct pki *pki;
	struct buf notes;	/* one message a line */
	struct err e;
	int rc;
};

static void kc_note(void *arg, const char *text)
{
	struct kc_job *j = arg;

	buf_adds(&j->notes, text);
	buf_addc(&j->notes, '\n');
}

static void *kc_main(void *arg)
{
	struct kc_job *j = arg;

	j->rc = daemon_kubeconfig(j->dir, j->url, j->pki, kc_note, j, &j->e);
	return NULL;
}

/* start_parts with the kubeconfig job running alongside. */
static int start_parts_kc(struct cluster *c, const struct daemon_opts *o,
			  struct err *e)
{
	struct kc_job kc = {.dir = o->data_dir, .url = c->url, .pki = c->pki,
			    .notes = BUF_INIT};
	pthread_t th;
	bool threaded = pthread_create(&th, NULL, kc_main, &kc) == 0;
	int rc;

	if (!threaded)
		kc_main(&kc);
	rc = start_parts(c, o, e);
	if (threaded)
		pthread_join(th, NULL);
	for (char *line = kc.notes.data, *nl; line && (nl = strchr(line, '\n'));
	     line = nl + 1) {
		*nl = '\0';
		notify(c, "msg", line);
	}
	buf_free(&kc.notes);
	if (rc == 0 && kc.rc < 0) {
		err_copy(e, &kc.e);
		rc = -1;
	}
	return rc;
}

static int start(struct cluster *c, const struct daemon_opts *o, struct err *e)
{
	struct server_config sc;

	if (o->node) {	/* before any thread: rootless pods (agent.h) */
		char *m = agent_prepare(o->data_dir, o->runtime);

		if (m)
			notify(c, "msg", m);
		free(m);
	}
	if (mkdir(o->data_dir, 0700) < 0 && errno != EEXIST)
		return err_set(e, ERR_IO, "%s: %s", o->data_dir,
			       strerror(errno));
	if (take_lock(c, o->data_dir, e) < 0 ||
	    server_listen(o->host, o->port, o->port_fallback, &c->listen_fd,
			  &c->port, e) < 0)
		return -1;
	if (c->port != o->port) {
		char *m = xasprintf("port %d is taken; listening on %d instead",
				    o->port, c->port);

		notify(c, "msg", m);
		free(m);
	}
	c->url = make_url(o->host, c->port);
	if (start_auth(c, o, e) < 0 || start_parts_kc(c, o, e) < 0)
		return -1;
	authn_set_sa_check(c->authn, sa_exists, c);
	memset(&sc, 0, sizeof(sc));
	sc.listen_fd = c->listen_fd;
	sc.pki = c->pki;
	sc.authn = c->authn;
	sc.authz = c->authz;
	sc.api = c->api;
	sc.metrics_fn = store_figures;
	sc.metrics_arg = c;
	if (server_start(&sc, &c->server, e) < 0)
		return -1;
	c->listen_fd = -1; /* the server owns it now */
	/* controllers, scheduler, simulated nodes (ctrl.c) */
	if (ctrl_start(c->api, c->store,
		       &(struct ctrl_config){.sim_nodes = o->sim_nodes,
					     .sim_node_spec = o->sim_node_spec,
					     .scheduler = true,
					     .data_dir = o->data_dir},
		       &c->ctrl, e) < 0)
		return -1;
	if (o->node)
		start_agent(c, o);
	server_set_ready(c->server, true);
	lock_write(c);
	return 0;
}

static void stop(struct cluster *c)
{
	server_stop(c->server, STOP_GRACE_MS);
	if (c->api)
		api_set_nodeops(c->api, NULL);
	agent_stop(c->agent, true);	/* cluster down stops the pods */
	ctrl_stop(c->ctrl);
	crd_stop(c->crd);
	api_free(c->api);
	authz_free(c->authz);
	store_close(c->store);
	authn_free(c->authn);
	satoken_free(c->sa);
	pki_free(c->pki);
	free(c->url);
	if (c->listen_fd >= 0)
		close(c->listen_fd);
	if (c->lock_fd >= 0) {
		if (ftruncate(c->lock_fd, 0) < 0)
			fprintf(stderr, "kdeck: cannot clear the lock file\n");
		close(c->lock_fd);
	}
}

int daemon_run(const struct daemon_opts *o, int notify_fd)
{
	struct cluster c;
	sigset_t set;
	struct err e;
	int sig = 0;

	memset(&c, 0, sizeof(c));
	c.lock_fd = c.listen_fd = -1;
	c.notify_fd = notify_fd;
	err_clear(&e);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (start(&c, o, &e) < 0) {
		notify(&c, "err", e.msg);
		if (c.notify_fd >= 0)
			close(c.notify_fd);
		stop(&c);
		return 1;
	}
	notify(&c, "ok", c.url);
	if (c.notify_fd >= 0)
		close(c.notify_fd);
	sigwait(&set, &sig);
	fprintf(stderr, "kdeck: %s received, shutting down\n",
		sig == SIGINT ? "SIGINT" : "SIGTERM");
	stop(&c);
	fprintf(stderr, "kdeck: cluster stopped\n");
	return 0;
}
