/* SPDX-License-Identifier: Apache-2.0 */
/*
 * metrics: cgroup and /proc sampling for metrics.k8s.io (metrics.h).
 *
 * Every cumulative CPU counter (a container's cgroup, the node) has a
 * sample slot keyed by its path: `last` and the one before it, `prev`.
 * A reading compares now with `last` when at least MIN_WINDOW has passed,
 * else with `prev`; the slot moves on once `last` is a period old.  The
 * background thread reads every known counter each period so slots are
 * warm before anyone asks.
 *
 * Files read (cgroup v1 first, then v2):
 *   v1  cpuacct/CG/cpuacct.usage (ns), memory/CG/memory.usage_in_bytes,
 *       memory/CG/memory.stat total_inactive_file
 *   v2  CG/cpu.stat usage_usec, CG/memory.current, memory.stat inactive_file
 * (v2 is looked for both at the root and below "unified" of hybrid setups).
 */
#include "config.h"

#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uthash.h>

#include "cluster/metrics.h"
#include "cluster/node/layout.h"
#include "common/mem.h"

#define MIN_WINDOW_NS (500 * 1000000LL)
#define PRUNE_NS (300 * 1000000000LL)
#define NS_PER_S 1000000000LL

struct sample {
	int64_t cpu_ns;		/* cumulative CPU time */
	int64_t mono_ns;	/* when read (CLOCK_MONOTONIC) */
};

struct slot {
	char *key;
	struct sample prev, last;	/* mono_ns 0 = empty */
	int64_t seen_ns;
	UT_hash_handle hh;
};

struct metrics {
	char *node_name;
	char *cg_root;
	char *proc_root;
	int period_ms;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	bool thread_started;
	pthread_t thread;
	struct slot *slots;
};

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static int64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

/* --- files --- */

static int read_i64(const char *path, int64_t *out)
{
	FILE *f = fopen(path, "re");
	long long v;
	int rc = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) == 1) {
		*out = v;
		rc = 0;
	}
	fclose(f);
	return rc;
}

/* "key value" lines (memory.stat, cpu.stat, meminfo): value of key. */
static int read_keyed(const char *path, const char *key, int64_t *out)
{
	FILE *f = fopen(path, "re");
	char line[256], k[128];
	long long v;
	int rc = -1;

	if (!f)
		return -1;
	while (rc < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%127[^: ]%*[: ]%lld", k, &v) == 2 &&
		    !strcmp(k, key)) {
			*out = v;
			rc = 0;
		}
	fclose(f);
	return rc;
}

/* A cgroup's cumulative CPU and working set; -1 when it does not exist. */
static int read_cgroup(const struct metrics *m, const char *cg,
		       int64_t *cpu, int64_t *mem)
{
	static const char *const v2_bases[] = { "", "/unified" };
	int64_t use = 0, inactive = 0;
	char p[4096];

	snprintf(p, sizeof(p), "%s/cpuacct/%s/cpuacct.usage", m->cg_root, cg);
	if (read_i64(p, cpu) == 0) {
		snprintf(p, sizeof(p), "%s/memory/%s/memory.usage_in_bytes", m->cg_root, cg);
		read_i64(p, &use);
		snprintf(p, sizeof(p), "%s/memory/%s/memory.stat", m->cg_root, cg);
		read_keyed(p, "total_inactive_file", &inactive);
		*mem = use > inactive ? use - inactive : 0;
		return 0;
	}
	for (size_t i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s%s/%s/cpu.stat", m->cg_root, v2_bases[i], cg);
		if (read_keyed(p, "usage_usec", cpu) < 0)
			continue;
		*cpu *= 1000;
		snprintf(p, sizeof(p), "%s%s/%s/memory.current", m->cg_root, v2_bases[i], cg);
		read_i64(p, &use);
		snprintf(p, sizeof(p), "%s%s/%s/memory.stat", m->cg_root, v2_bases[i], cg);
		read_keyed(p, "inactive_file", &inactive);
		*mem = use > inactive ? use - inactive : 0;
		return 0;
	}
	return -1;
}

/* The node: busy CPU time from /proc/stat, MemTotal - MemAvailable. */
static int read_node(const struct metrics *m, int64_t *cpu, int64_t *mem)
{
	unsigned long long v[8] = { 0 };
	int64_t total = 0, avail = 0;
	long hz = sysconf(_SC_CLK_TCK);
	char p[4096];
	FILE *f;
	int n;

	snprintf(p, sizeof(p), "%s/stat", m->proc_root);
	f = fopen(p, "re");
	if (!f)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 4)
		return -1;
	/* user nice system [idle iowait] irq softirq steal */
	*cpu = (int64_t)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) *
	       (NS_PER_S / (hz > 0 ? hz : 100));
	snprintf(p, sizeof(p), "%s/meminfo", m->proc_root);
	if (read_keyed(p, "MemTotal", &total) < 0 ||
	    read_keyed(p, "MemAvailable", &avail) < 0)
		return -1;
	*mem = (total - avail) * 1024;
	return 0;
}

/* --- sample slots --- */

/*
 * Record cpu (read now) under key and compute the rate; 0 and *u filled
 * (cpu and window), or -1 when no earlier sample is old enough.
 */
static int slot_rate(struct metrics *m, const char *key, int64_t cpu,
		     struct metrics_usage *u)
{
	struct sample cur = { cpu, mono_ns() }, base = { 0, 0 };
	struct slot *s;
	int rc = -1;

	pthread_mutex_lock(&m->lock);
	HASH_FIND_STR(m->slots, key, s);
	if (!s) {
		s = xcalloc(1, sizeof(*s));
		s->key = xstrdup(key);
		HASH_ADD_KEYPTR(hh, m->slots, s->key, strlen(s->key), s);
	}
	s->seen_ns = cur.mono_ns;
	if (s->last.mono_ns && cur.mono_ns - s->last.mono_ns >= MIN_WINDOW_NS)
		base = s->last;
	else if (s->prev.mono_ns)
		base = s->prev;
	if (base.mono_ns && cur.cpu_ns >= base.cpu_ns) {
		u->window_ns = cur.mono_ns - base.mono_ns;
		u->cpu_nanocores = (int64_t)((double)(cur.cpu_ns - base.cpu_ns) *
					     1e9 / (double)u->window_ns);
		u->ts_ns = wall_ns();
		rc = 0;
	}
	if (!s->last.mono_ns ||
	    cur.mono_ns - s->last.mono_ns >= (int64_t)m->period_ms * 900000 ||
	    cur.cpu_ns < s->last.cpu_ns) {
		s->prev = cur.cpu_ns < s->last.cpu_ns ? (struct sample){ 0, 0 } : s->last;
		s->last = cur;
	}
	pthread_mutex_unlock(&m->lock);
	return rc;
}

static void prune(struct metrics *m)
{
	struct slot *s, *tmp;
	int64_t now = mono_ns();

	pthread_mutex_lock(&m->lock);
	HASH_ITER(hh, m->slots, s, tmp)
		if (now - s->seen_ns > PRUNE_NS) {
			HASH_DEL(m->slots, s);
			free(s->key);
			free(s);
		}
	pthread_mutex_unlock(&m->lock);
}

/* --- pods --- */

/* Open the directory holding pod uid's container cgroups. */
static DIR *pod_dir(const struct metrics *m, const char *uid)
{
	static const char *const bases[] = { "/cpuacct", "", "/unified" };
	char *cg = layout_cgroup(uid, "x"), p[4096];
	DIR *d = NULL;

	cg[strlen(cg) - 2] = '\0';	/* "kdeck/podUID" */
	for (size_t i = 0; i < 3 && !d; i++) {
		snprintf(p, sizeof(p), "%s%s/%s", m->cg_root, bases[i], cg);
		d = opendir(p);
	}
	free(cg);
	return d;
}

/* Keep the highest attempt per container name in ids (name -> id). */
struct pick {
	char name[64];
	char id[256];
	int attempt;
};

static size_t pod_containers(const struct metrics *m, const char *uid,
			     struct pick **out)
{
	DIR *d = pod_dir(m, uid);
	struct pick *p = NULL;
	struct dirent *de;
	size_t n = 0;

	while (d && (de = readdir(d))) {
		const char *u, *c;
		char *buf;
		int a;
		size_t i;

		if (layout_parse_container_id(de->d_name, &buf, &u, &c, &a) < 0)
			continue;
		if (!strcmp(u, uid) && strlen(c) < 64 && strlen(de->d_name) < 256) {
			for (i = 0; i < n && strcmp(p[i].name, c); i++)
				;
			if (i == n) {
				p = xrealloc(p, (n + 1) * sizeof(*p));
				p[n++].attempt = -1;
			}
			if (a > p[i].attempt) {
				snprintf(p[i].name, sizeof(p[i].name), "%s", c);
				snprintf(p[i].id, sizeof(p[i].id), "%s", de->d_name);
				p[i].attempt = a;
			}
		}
		free(buf);
	}
	if (d)
		closedir(d);
	*out = p;
	return n;
}

int metrics_pod(struct metrics *m, const char *uid,
		struct metrics_container **out, size_t *n)
{
	struct pick *picks = NULL;
	size_t np, got = 0;
	struct metrics_container *res;

	if (!m->node_name || !uid || strchr(uid, '/'))
		return -1;
	np = pod_containers(m, uid, &picks);
	res = xcalloc(np ? np : 1, sizeof(*res));
	for (size_t i = 0; i < np; i++) {
		char *cg = layout_cgroup(uid, picks[i].id);
		int64_t cpu, mem;

		if (read_cgroup(m, cg, &cpu, &mem) == 0 &&
		    slot_rate(m, cg, cpu, &res[got].usage) == 0) {
			res[got].usage.memory_bytes = mem;
			snprintf(res[got].name, sizeof(res[got].name), "%s", picks[i].name);
			got++;
		}
		free(cg);
	}
	free(picks);
	if (!got || got < np) {	/* a pod is reported whole or not at all */
		free(res);
		return -1;
	}
	*out = res;
	*n = got;
	return 0;
}

int metrics_node(struct metrics *m, struct metrics_usage *out)
{
	struct metrics_usage u = { 0 };
	int64_t cpu, mem;

	if (!m->node_name || read_node(m, &cpu, &mem) < 0 ||
	    slot_rate(m, "@node", cpu, &u) < 0)
		return -1;
	u.memory_bytes = mem;
	*out = u;
	return 0;
}

/* --- the sampler --- */

/* Read every pod cgroup below kdeck/ once (warms their slots). */
static void sample_all(struct metrics *m)
{
	static const char *const bases[] = { "/cpuacct", "", "/unified" };
	struct metrics_usage u;
	char p[4096];
	DIR *d = NULL;
	struct dirent *de;

	metrics_node(m, &u);
	for (size_t i = 0; i < 3 && !d; i++) {
		snprintf(p, sizeof(p), "%s%s/kdeck", m->cg_root, bases[i]);
		d = opendir(p);
	}
	while (d && (de = readdir(d))) {
		struct metrics_container *c = NULL;
		size_t n;

		if (!strncmp(de->d_name, "pod", 3) &&
		    metrics_pod(m, de->d_name + 3, &c, &n) == 0)
			free(c);
	}
	if (d)
		closedir(d);
	prune(m);
}

static void *sampler(void *arg)
{
	struct metrics *m = arg;

	pthread_mutex_lock(&m->lock);
	while (!m->stop) {
		struct timespec until;

		pthread_mutex_unlock(&m->lock);
		sample_all(m);
		pthread_mutex_lock(&m->lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += m->period_ms / 1000;
		until.tv_nsec += (long)(m->period_ms % 1000) * 1000000;
		if (until.tv_nsec >= NS_PER_S) {
			until.tv_sec++;
			until.tv_nsec -= NS_PER_S;
		}
		if (!m->stop)
			pthread_cond_timedwait(&m->cond, &m->lock, &until);
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

struct metrics *metrics_new(const struct metrics_config *cfg)
{
	struct metrics *m = xcalloc(1, sizeof(*m));

	m->node_name = xstrdup(cfg->node_name);
	m->cg_root = xstrdup(cfg->cgroup_root ? cfg->cgroup_root : "/sys/fs/cgroup");
	m->proc_root = xstrdup(cfg->proc_root ? cfg->proc_root : "/proc");
	m->period_ms = cfg->period_ms > 0 ? cfg->period_ms : 10000;
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->cond, NULL);
	if (m->node_name && cfg->period_ms >= 0)
		m->thread_started = pthread_create(&m->thread, NULL, sampler, m) == 0;
	return m;
}

void metrics_free(struct metrics *m)
{
	struct slot *s, *tmp;

	if (!m)
		return;
	if (m->thread_started) {
		pthread_mutex_lock(&m->lock);
		m->stop = true;
		pthread_cond_signal(&m->cond);
		pthread_mutex_unlock(&m->lock);
		pthread_join(m->thread, NULL);
	}
	HASH_ITER(hh, m->slots, s, tmp) {
		HASH_DEL(m->slots, s);
		free(s->key);
		free(s);
	}
	pthread_mutex_destroy(&m->lock);
	pthread_cond_destroy(&m->cond);
	free(m->node_name);
	free(m->cg_root);
	free(m->proc_root);
	free(m);
}

const char *metrics_node_name(const struct metrics *m)
{
	return m ? m->node_name : NULL;
}
