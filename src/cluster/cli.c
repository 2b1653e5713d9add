/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli: the subcommands of `kdeck cluster` (entry.c parses and dispatches).
 *
 * `up` runs the daemon (daemon.c) in the foreground or detached: the
 * command double-forks, the daemon calls setsid and logs to DIR/kdeck.log,
 * and the command waits on a pipe until the daemon reports ready (or
 * failed) before printing how to reach it.  `down`, `status` and `reset`
 * find the daemon through DIR/lock (daemon_probe).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "cluster/ctrl.h"
#include "cluster/daemon.h"
#include "cluster/node/agent.h"
#include "common/buf.h"
#include "common/mem.h"

#define DEFAULT_HOST "127.0.0.1"
#define DEFAULT_PORT 6443
#define DOWN_WAIT_MS 30000
#define RESET_BUSY_MS 10000

static void status_probe(const char *dir, const char *url, bool *ready,
			 long long *objects, long long *rev);

/* mkdir -p with mode 0700 for the parts we create. */
static int mkdirs(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *s = p + 1; *s && rc == 0; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (rc == 0 && mkdir(p, 0700) < 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

/* "ADDR:PORT", "[v6]:PORT", ":PORT" or "ADDR". */
static int parse_listen(const char *s, char **host, int *port)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long p = DEFAULT_PORT;

	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (!rb || (rb[1] && rb[1] != ':'))
			return -1;
		*host = xstrndup(s + 1, (size_t)(rb - s - 1));
		colon = rb[1] ? rb + 1 : NULL;
	} else if (colon && strchr(s, ':') == colon) {
		*host = colon == s ? xstrdup(DEFAULT_HOST)
				   : xstrndup(s, (size_t)(colon - s));
	} else {
		*host = xstrdup(s);
		colon = NULL;
	}
	if (colon) {
		p = strtol(colon + 1, &end, 10);
		if (*end || p < 1 || p > 65535) {
			free(*host);
			return -1;
		}
	}
	*port = (int)p;
	return 0;
}

/* Read the daemon's progress lines; returns the exit status for `up`. */
static int wait_ready(int fd, const char *dir)
{
	FILE *fp = fdopen(fd, "r");
	char line[2048];
	int rc = -1;

	while (rc < 0 && fp && fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "msg ", 4)) {
			fprintf(stderr, "kdeck: %s\n", line + 4);
		} else if (!strncmp(line, "err ", 4)) {
			fprintf(stderr, "kdeck: error: %s\n", line + 4);
			rc = 1;
		} else if (!strncmp(line, "ok ", 3)) {
			struct daemon_info info;

			if (daemon_probe(dir, &info, NULL) < 0)
				info.pid = 0;
			printf("kdeck cluster is running at %s (pid %ld, data "
			       "in %s)\n"
			       "  kubectl --kubeconfig %s/kubeconfig.yaml get "
			       "namespaces\n"
			       "  kdeck cluster status | kdeck cluster down\n",
			       line + 3, (long)info.pid, dir, dir);
			rc = 0;
		}
	}
	if (rc < 0) {
		fprintf(stderr,
			"kdeck: error: the daemon exited during start-up; see "
			"%s/kdeck.log\n",
			dir);
		rc = 1;
	}
	if (fp)
		fclose(fp);
	return rc;
}

/* The grandchild: detach stdio, log to DIR/kdeck.log, run. */
static void daemon_child(const struct daemon_opts *d, int wfd)
{
	char *log = daemon_path(d->data_dir, "kdeck.log");
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	int lfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

	free(log);
	if (null >= 0)
		dup2(null, 0);
	if (lfd >= 0) {
		dup2(lfd, 1);
		dup2(lfd, 2);
	}
	if (chdir("/") < 0)
		_exit(1);
	setvbuf(stderr, NULL, _IOLBF, 0);
	_exit(daemon_run(d, wfd));
}

static int detach(const struct daemon_opts *d)
{
	int p[2];
	pid_t child;

	if (pipe2(p, O_CLOEXEC) < 0 || (child = fork()) < 0) {
		fprintf(stderr, "kdeck: error: cannot start the daemon: %s\n",
			strerror(errno));
		return 1;
	}
	if (child == 0) {
		close(p[0]);
		if (setsid() < 0)
			_exit(1);
		if (fork() == 0)
			daemon_child(d, p[1]);
		_exit(0);
	}
	close(p[1]);
	waitpid(child, NULL, 0);
	return wait_ready(p[0], d->data_dir);
}

/* --simulated-node-spec FILE, read before detaching: errors go to stderr. */
static int load_spec(const char *path, char **out)
{
	struct err e;

	err_clear(&e);
	if (ctrl_sim_spec_load(path, out, &e) < 0) {
		fprintf(stderr, "kdeck: error: --simulated-node-spec: %s\n", e.msg);
		return -1;
	}
	return 0;
}

int cli_up(struct cli_opts *o)
{
	struct daemon_opts d = {.port = DEFAULT_PORT,
				.port_fallback = !o->listen};
	char *host = NULL, *spec = NULL, abs[PATH_MAX];
	struct daemon_info info;
	int rc;

	if (o->listen && parse_listen(o->listen, &host, &d.port) < 0) {
		fprintf(stderr,
			"kdeck: invalid --listen \"%s\" (want ADDR:PORT)\n",
			o->listen);
		return 2;
	}
	if (mkdirs(o->data_dir) < 0 || !realpath(o->data_dir, abs)) {
		fprintf(stderr, "kdeck: error: %s: %s\n", o->data_dir,
			strerror(errno));
		free(host);
		return 1;
	}
	if (daemon_probe(abs, &info, NULL) == 0 && info.running) {
		fprintf(stderr,
			"kdeck: error: a cluster is already running on %s (pid "
			"%ld); "
			"stop it with `kdeck cluster down`\n",
			abs, (long)info.pid);
		free(host);
		return 1;
	}
	d.data_dir = abs;
	d.sim_nodes = o->sim_nodes;
	if (o->sim_node_spec && load_spec(o->sim_node_spec, &spec) < 0) {
		free(host);
		return 1;
	}
	d.sim_node_spec = spec;
	d.node = !o->no_node;
	d.runtime = o->runtime;
	d.host = host ? host : DEFAULT_HOST;
	fflush(NULL);
	rc = o->foreground ? daemon_run(&d, -1) : detach(&d);
	free(spec);
	free(host);
	return rc;
}

static bool wait_stopped(const char *dir, int ms)
{
	struct daemon_info info;

	for (int waited = 0; waited <= ms; waited += 50) {
		if (daemon_probe(dir, &info, NULL) == 0 && !info.running)
			return true;
		usleep(50 * 1000);
	}
	return false;
}

int cli_down(struct cli_opts *o)
{
	struct daemon_info info;
	struct err e;

	if (daemon_probe(o->data_dir, &info, &e) < 0) {
		fprintf(stderr, "kdeck: error: %s\n", e.msg);
		return 1;
	}
	if (!info.running || info.pid <= 0) {
		fprintf(stderr, "kdeck: no cluster is running on %s\n",
			o->data_dir);
		return 1;
	}
	if (kill(info.pid, SIGTERM) < 0) {
		fprintf(stderr, "kdeck: error: cannot stop pid %ld: %s\n",
			(long)info.pid, strerror(errno));
		return 1;
	}
	if (!wait_stopped(o->data_dir, DOWN_WAIT_MS)) {
		fprintf(stderr,
			"kdeck: error: pid %ld did not stop within %d s\n",
			(long)info.pid, DOWN_WAIT_MS / 1000);
		return 1;
	}
	printf("kdeck cluster stopped (pid %ld)\n", (long)info.pid);
	return 0;
}

static void fmt_uptime(long s, char *out, size_t n)
{
	if (s >= 86400)
		snprintf(out, n, "%ldd%ldh", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(out, n, "%ldh%ldm", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(out, n, "%ldm%lds", s / 60, s % 60);
	else
		snprintf(out, n, "%lds", s);
}

static void print_status(const struct cli_opts *o, const struct daemon_info *i,
			 bool ready, long long objects, long long rev)
{
	long up = i->running ? (long)time(NULL) - i->started : 0;
	char ut[32];

	fmt_uptime(up, ut, sizeof(ut));
	if (o->json) {
		struct buf b = BUF_INIT;

		buf_printf(&b, "{\"status\":\"%s\",\"dataDir\":",
			   i->running ? "running" : "stopped");
		buf_add_json_str(&b, o->data_dir);
		if (i->running) {
			buf_printf(&b, ",\"pid\":%ld,\"url\":", (long)i->pid);
			buf_add_json_str(&b, i->url);
			buf_printf(&b,
				   ",\"uptimeSeconds\":%ld,\"ready\":%s,"
				   "\"objects\":%lld,"
				   "\"revision\":%lld",
				   up, ready ? "true" : "false", objects, rev);
		}
		printf("%s}\n", buf_cstr(&b));
		buf_free(&b);
		return;
	}
	printf("%-10s %s\n%-10s %s\n", "STATUS",
	       i->running ? "running" : "stopped", "DATA DIR", o->data_dir);
	if (!i->running)
		return;
	printf("%-10s %ld\n%-10s %s\n%-10s %s\n%-10s %s\n", "PID", (long)i->pid,
	       "URL", i->url, "UPTIME", ut, "READY", ready ? "yes" : "no");
	if (objects >= 0)
		printf("%-10s %lld\n%-10s %lld\n", "OBJECTS", objects,
		       "REVISION", rev);
}

int cli_status(struct cli_opts *o)
{
	struct daemon_info info;
	long long objects = -1, rev = -1;
	bool ready = false;
	struct err e;

	if (daemon_probe(o->data_dir, &info, &e) < 0) {
		fprintf(stderr, "kdeck: error: %s\n", e.msg);
		return 1;
	}
	if (info.running)
		status_probe(o->data_dir, info.url, &ready, &objects, &rev);
	print_status(o, &info, ready, objects, rev);
	return info.running ? 0 : 3;
}

static bool rm_quiet_busy;	/* reset retries EBUSY: say it the last time */

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) < 0) {
		if (!rm_quiet_busy || errno != EBUSY)
			fprintf(stderr, "kdeck: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Remove the data dir.  Right after a daemon's kill -9, a mount namespace
 * of its containers may still be going away ("Device or resource
 * busy"): retried for up to RESET_BUSY_MS.
 */
static int remove_data_dir(const char *dir)
{
	for (int waited = 0;; waited += 100) {
		int rc, saved;

		rm_quiet_busy = waited < RESET_BUSY_MS;
		errno = 0;
		rc = nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
		saved = errno;
		if (rc == 0 || saved != EBUSY || waited >= RESET_BUSY_MS)
			return rc;
		usleep(100000);
	}
}

/* Only directories that hold kdeck state are removed. */
static bool looks_like_state(const char *dir)
{
	static const char *const marks[] = {"lock", "pki", "state.db",
					    "kubeconfig.yaml", NULL};

	for (size_t i = 0; marks[i]; i++) {
		char *p = daemon_path(dir, marks[i]);
		bool there = access(p, F_OK) == 0;

		free(p);
		if (there)
			return true;
	}
	return false;
}

static bool confirm(const char *dir)
{
	char ans[16] = "";

	if (!isatty(0)) {
		fprintf(stderr,
			"kdeck: error: not on a terminal; pass --yes to delete "
			"%s\n",
			dir);
		return false;
	}
	fprintf(stderr, "Delete the cluster state in %s? [y/N] ", dir);
	if (!fgets(ans, sizeof(ans), stdin))
		return false;
	return ans[0] == 'y' || ans[0] == 'Y';
}

int cli_reset(struct cli_opts *o)
{
	struct daemon_info info;
	struct err e;

	if (daemon_probe(o->data_dir, &info, &e) < 0) {
		fprintf(stderr, "kdeck: error: %s\n", e.msg);
		return 1;
	}
	if (info.running) {
		fprintf(stderr,
			"kdeck: error: the cluster is running (pid %ld); run "
			"`kdeck cluster down` first\n",
			(long)info.pid);
		return 1;
	}
	if (access(o->data_dir, F_OK) < 0 || !looks_like_state(o->data_dir)) {
		printf("nothing to reset in %s\n", o->data_dir);
		return 0;
	}
	if (!o->yes && !confirm(o->data_dir))
		return 1;
	if (agent_cleanup(o->data_dir, &e) < 0)	/* containers, bridge */
		fprintf(stderr, "kdeck: warning: %s\n", e.msg);
	if (remove_data_dir(o->data_dir) < 0)
		return 1;
	printf("removed %s\n", o->data_dir);
	return 0;
}

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return size * n;
}

/* GET url+path with the admin certificate; HTTP status or -1. */
static long admin_get(const char *dir, const char *url, const char *path,
		      struct buf *out)
{
	char *full = xasprintf("%s%s", url, path);
	char *ca = daemon_path(dir, "pki/ca.crt");
	char *crt = daemon_path(dir, "pki/admin.crt");
	char *key = daemon_path(dir, "pki/admin.key");
	CURL *c = curl_easy_init();
	long code = -1;

	if (c) {
		curl_easy_setopt(c, CURLOPT_URL, full);
		curl_easy_setopt(c, CURLOPT_CAINFO, ca);
		curl_easy_setopt(c, CURLOPT_SSLCERT, crt);
		curl_easy_setopt(c, CURLOPT_SSLKEY, key);
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 3000L);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
		if (curl_easy_perform(c) == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		curl_easy_cleanup(c);
	}
	free(full);
	free(ca);
	free(crt);
	free(key);
	return code;
}

/* Value of an unlabelled Prometheus sample, or -1. */
static long long sample(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = text; p && *p;
	     p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, name, n) && p[n] == ' ')
			return strtoll(p + n + 1, NULL, 10);
	return -1;
}

static void status_probe(const char *dir, const char *url, bool *ready,
			 long long *objects, long long *rev)
{
	struct buf b = BUF_INIT;

	*ready = admin_get(dir, url, "/readyz", &b) == 200;
	buf_reset(&b);
	if (admin_get(dir, url, "/metrics", &b) == 200) {
		*objects = sample(buf_cstr(&b), "kdeck_store_objects");
		*rev = sample(buf_cstr(&b), "kdeck_store_revision");
	}
	buf_free(&b);
}
