/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_client: against the cluster named by $KUBECONFIG, make sure the
 * namespace "bench" holds BENCH_PODS pods (default 10000, created through
 * the async client, 64 in flight), then print
 *   - time to the first complete list through an informer (SYNCED),
 *     object form and Table form,
 *   - heap held by the informer cache for those pods (mallinfo2 delta),
 *   - `kubectl get pods -o json` and `kubectl get pods` (Table) on the
 *     same server: wall time and peak RSS, side by side.
 * Figures only; it never fails on timing.  Exits 0 with a note when no
 * cluster is reachable.  BENCH_EXISTING=1: the pods are already there
 * (or a stand-in server serves them): create nothing.
 */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/client.h"
#include "common/mem.h"

/* Resident set size in bytes (mallinfo2 reads 0 under ASan). */
static double rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, res = 0;

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &res) != 2)
			res = 0;
		fclose(f);
	}
	return (double)res * 4096.0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct create_state {
	int in_flight, done, failed;
};

static void created(struct client_resp *r, void *arg)
{
	struct create_state *s = arg;

	s->in_flight--;
	s->done++;
	if (r->err.code != ERR_OK && r->err.code != ERR_ALREADY_EXISTS)
		s->failed++;
}

static void create_pods(struct client *c, const struct client_gvr *pods,
			int n)
{
	struct create_state s = { 0 };
	double t0 = now_s();

	for (int i = 0; i < n || s.in_flight; ) {
		while (i < n && s.in_flight < 64) {
			char *txt = xasprintf(
				"{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
				"\"metadata\":{\"name\":\"p%05d\",\"labels\":"
				"{\"app\":\"bench\"}},\"spec\":{\"containers\":"
				"[{\"name\":\"c\",\"image\":\"busybox\"}]}}", i++);
			cJSON *o = cJSON_Parse(txt);
			client_create(c, pods, "bench", o, created, &s);
			cJSON_Delete(o);
			free(txt);
			s.in_flight++;
		}
		client_wait(c, 1000);
	}
	printf("create %d pods: %.2f s (%d failed)\n", n, now_s() - t0,
	       s.failed);
}

/* Until the simulated nodes have run every pod (or 120 s): the lists
 * then carry pods with a status, as on a real cluster. */
static void wait_running(struct client *c, const struct client_gvr *pods)
{
	struct client_list_opts lo = { .form = CLIENT_FORM_TABLE,
				       .field_selector = "status.phase=Pending" };
	double t0 = now_s();
	int pending = -1;

	while (pending != 0 && now_s() - t0 < 120) {
		cJSON *out = NULL;
		struct err e = { 0 };
		if (client_list_sync(c, pods, "bench", &lo, &out, &e) < 0)
			break;
		pending = cJSON_GetArraySize(cJSON_GetObjectItem(out, "rows"));
		cJSON_Delete(out);
		if (pending)
			client_wait(c, 1000);
	}
	printf("pods running after %.1f s (%d still pending)\n", now_s() - t0,
	       pending);
}

static int bench_runs(void)
{
	const char *r = getenv("BENCH_RUNS");
	int n = r ? atoi(r) : 3;

	return n > 0 ? n : 1;
}

/* One plain list request, for the share of the server and the parse. */
static void bench_list(struct client *c, const struct client_gvr *pods,
		       enum client_form form, const char *label)
{
	struct client_list_opts lo = { .form = form };
	double best = 1e9;
	int items = 0;

	for (int i = 0; i < bench_runs(); i++) {
		cJSON *out = NULL;
		struct err e = { 0 };
		double t0 = now_s();
		if (client_list_sync(c, pods, "bench", &lo, &out, &e) < 0) {
			printf("list %-6s: failed: %s\n", label, e.msg);
			return;
		}
		double t = now_s() - t0;
		if (t < best)
			best = t;
		items = cJSON_GetArraySize(cJSON_GetObjectItem(out,
				form == CLIENT_FORM_OBJECT ? "items" : "rows"));
		cJSON_Delete(out);
	}
	printf("list     %-13s: %d pods in %.3f s (best of %d)\n", label,
	       items, best, bench_runs());
}

static void bench_informer(struct client *c, const struct client_gvr *pods,
			   enum client_form form, bool keep_mf,
			   const char *label)
{
	struct informer_opts o = { .gvr = *pods, .ns = "bench", .form = form,
				   .keep_managed_fields = keep_mf };
	double best = 1e9, heap = 0, rss = 0;
	size_t n = 0;

	for (int i = 0; i < bench_runs(); i++) {
		struct mallinfo2 before = mallinfo2(), after;
		double rss0 = rss_bytes(), t0 = now_s();
		struct informer *inf = client_informer_new(c, &o, NULL, NULL);

		while (informer_state(inf) != INFORMER_SYNCED &&
		       informer_state(inf) != INFORMER_FORBIDDEN &&
		       now_s() - t0 < 300)
			client_wait(c, 1000);
		double t = now_s() - t0;
		if (t < best)
			best = t;
		n = informer_count(inf);
		after = mallinfo2();
		heap = (double)after.uordblks - (double)before.uordblks;
		rss = rss_bytes() - rss0;
		informer_free(inf);
	}
	printf("informer %-13s: first complete list of %zu pods in %.3f s "
	       "(best of %d); cache heap %.1f MiB (%.0f B/pod), RSS +%.1f "
	       "MiB%s\n", label, n, best, bench_runs(), heap / (1 << 20),
	       n ? heap / (double)n : 0.0, rss / (1 << 20),
	       heap == 0 ? " (heap n/a: sanitizer build)" : "");
}

/* kubectl on the same server: wall time and the child's peak RSS. */
static void bench_kubectl(const char *args, const char *label)
{
	char *cmd = xasprintf("kubectl get pods -n bench %s >/dev/null", args);
	double best = 1e9;
	struct rusage ru;

	for (int i = 0; i < bench_runs(); i++) {
		double t0 = now_s();
		if (system(cmd) != 0) {
			printf("kubectl  %-13s: failed\n", label);
			free(cmd);
			return;
		}
		if (now_s() - t0 < best)
			best = now_s() - t0;
	}
	getrusage(RUSAGE_CHILDREN, &ru);	/* the largest child so far */
	printf("kubectl  %-13s: %.3f s (best of %d); peak RSS %.1f MiB\n",
	       label, best, bench_runs(), (double)ru.ru_maxrss / 1024);
	free(cmd);
}

int main(void)
{
	const char *n_env = getenv("BENCH_PODS");
	int n = n_env ? atoi(n_env) : 10000;
	struct client *c = NULL;
	struct client_gvr pods, ns;
	struct err e = { 0 };

	/* Only ever against the throw-away cluster bench_client.sh starts:
	 * never create 10,000 pods in whatever ~/.kube/config points at. */
	if (!getenv("KDECK_BENCH_CLUSTER")) {
		printf("bench_client: run through bench_client.sh; skipped\n");
		return 0;
	}
	if (client_new(NULL, &c, &e) < 0 ||
	    client_resolve(c, "pods", &pods, &e) < 0 ||
	    client_resolve(c, "namespaces", &ns, &e) < 0) {
		printf("bench_client: no cluster (%s); skipped\n", e.msg);
		client_free(c);
		return 0;
	}
	if (!getenv("BENCH_EXISTING")) {
		cJSON *nso = cJSON_Parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
					 "\"metadata\":{\"name\":\"bench\"}}");
		client_create(c, &ns, NULL, nso, NULL, NULL);
		cJSON_Delete(nso);
		client_wait(c, 2000);
		create_pods(c, &pods, n);
		wait_running(c, &pods);
	}
	printf("kdeck RSS before the caches: %.1f MiB\n", rss_bytes() / (1 << 20));
	bench_list(c, &pods, CLIENT_FORM_OBJECT, "object");
	bench_list(c, &pods, CLIENT_FORM_TABLE, "table");
	bench_informer(c, &pods, CLIENT_FORM_OBJECT, true, "object+mf");
	bench_informer(c, &pods, CLIENT_FORM_OBJECT, false, "object");
	bench_informer(c, &pods, CLIENT_FORM_TABLE, true, "table+mf");
	bench_informer(c, &pods, CLIENT_FORM_TABLE, false, "table");
	client_free(c);
	bench_kubectl("", "table");
	bench_kubectl("-o json", "-o json");
	return 0;
}
