/* SPDX-License-Identifier: Apache-2.0 */
/*
 * usage: the header's cluster CPU and memory, as k9s shows them.
 *
 * Every USAGE_EVERY_MS the app lists NodeMetrics (metrics.k8s.io, what
 * `kubectl top nodes` reads) and, when that answered, the Nodes; the
 * header then shows the summed usage against the summed allocatable of
 * the nodes that have metrics ("CPU: 12% (480m/4)  MEM: 40% ...").  A
 * cluster without the metrics API (or with no node metrics yet) shows
 * nothing and no error: the figures are optional.  Both requests are
 * asynchronous; an answer for an older context is dropped (generation).
 * usage_text is pure and unit-tested.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/mem.h"
#include "common/quantity.h"
#include "tui/tui.h"

static int64_t milli_of(const cJSON *obj, const char *path)
{
	const char *s = json_get_str(obj, path);
	struct quantity q;
	struct err e;

	return s && quantity_parse(s, &q, &e) == 0 ? quantity_milli_value(&q) : -1;
}

/* "480m" / "3.5" cores, "812Mi" / "7.6Gi" bytes: short and readable. */
static void human(char *buf, size_t n, int64_t milli, int bytes)
{
	static const char *const units[] = { "", "Ki", "Mi", "Gi", "Ti", "Pi" };
	double v = (double)milli / 1000.0;
	size_t u = 0;

	if (!bytes) {
		if (milli < 1000)
			snprintf(buf, n, "%lldm", (long long)milli);
		else
			snprintf(buf, n, "%.3g", v);
		return;
	}
	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	snprintf(buf, n, "%.3g%s", v, units[u]);
}

int usage_text(const cJSON *metrics, const cJSON *nodes, char *buf, size_t n)
{
	int64_t cpu = 0, mem = 0, acpu = 0, amem = 0;
	const cJSON *m;
	char cu[32], ca[32], mu[32], ma[32];

	cJSON_ArrayForEach(m, metrics) {
		const char *name = json_get_str(m, "metadata.name");
		const cJSON *node;

		cJSON_ArrayForEach(node, nodes) {
			const char *nn = json_get_str(node, "metadata.name");
			int64_t c = milli_of(node, "status.allocatable.cpu");
			int64_t b = milli_of(node, "status.allocatable.memory");
			int64_t uc = milli_of(m, "usage.cpu"), ub = milli_of(m, "usage.memory");

			if (!name || !nn || strcmp(name, nn) || c <= 0 || b <= 0 || uc < 0 || ub < 0)
				continue;
			cpu += uc;
			mem += ub;
			acpu += c;
			amem += b;
		}
	}
	if (acpu <= 0 || amem <= 0)
		return -1;
	human(cu, sizeof(cu), cpu, 0);
	human(ca, sizeof(ca), acpu, 0);
	human(mu, sizeof(mu), mem, 1);
	human(ma, sizeof(ma), amem, 1);
	snprintf(buf, n, "CPU: %d%% (%s/%s)  MEM: %d%% (%s/%s)",
		 (int)(cpu * 100 / acpu), cu, ca, (int)(mem * 100 / amem), mu, ma);
	return 0;
}

/* ------------------------------------------------------------ polling */

struct usage_req {
	struct app *a;
	unsigned gen;
	cJSON *metrics;		/* the NodeMetrics list, while Nodes are read */
};

static struct usage_req *live(void *arg)
{
	struct usage_req *r = arg;

	if (r->gen == r->a->usage_gen)
		return r;
	cJSON_Delete(r->metrics);
	free(r);
	return NULL;
}

/* Quietly nothing when either list fails: the figures are optional. */
static void got_nodes(void *arg, const struct err *e, const char *text)
{
	struct usage_req *r = live(arg);
	cJSON *list = NULL;
	struct err pe;

	if (!r)
		return;
	r->a->usage_inflight = 0;
	if (e->code == ERR_OK && (list = json_parse(text, strlen(text), &pe)) &&
	    usage_text(cJSON_GetObjectItem(r->metrics, "items"),
		       cJSON_GetObjectItem(list, "items"), r->a->usage, sizeof(r->a->usage)) == 0) {
		/* shown */
	} else {
		r->a->usage[0] = '\0';
	}
	cJSON_Delete(list);
	cJSON_Delete(r->metrics);
	free(r);
}

static void got_metrics(void *arg, const struct err *e, const char *text)
{
	struct usage_req *r = live(arg);
	const struct kind_info *nodes;
	struct err pe;

	if (!r)
		return;
	nodes = src_kind(r->a->src, "nodes");
	if (e->code != ERR_OK || !nodes ||
	    !(r->metrics = json_parse(text, strlen(text), &pe)) ||
	    !cJSON_GetArraySize(cJSON_GetObjectItem(r->metrics, "items"))) {
		cJSON_Delete(r->metrics);
		r->a->usage[0] = '\0';
		r->a->usage_inflight = 0;
		free(r);
		return;
	}
	r->a->src->ops->get(r->a->src, SRC_GET_LIST, nodes, "", NULL, NULL, got_nodes, r);
}

void usage_tick(struct app *a, long now_ms)
{
	struct kind_info *k;
	struct usage_req *r;

	if (a->usage_inflight || now_ms < a->usage_next || !a->info.reachable)
		return;
	a->usage_next = now_ms + USAGE_EVERY_MS;
	a->usage_inflight = 1;
	r = xcalloc(1, sizeof(*r));
	r->a = a;
	r->gen = a->usage_gen;
	k = kind_info_new("nodes", "nodemetrics", "NodeMetrics", "metrics.k8s.io",
			  NULL, 0, 0);
	a->src->ops->get(a->src, SRC_GET_LIST, k, "", NULL, NULL, got_metrics, r);
	kind_info_free(k);
}

void usage_reset(struct app *a)
{
	a->usage_gen++;
	a->usage[0] = '\0';
	a->usage_next = 0;
	a->usage_inflight = 0;
}
