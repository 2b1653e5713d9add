/* SPDX-License-Identifier: Apache-2.0 */
/*
 * usage: the header's cluster CPU and memory, as k9s shows them.
 *
 * Every USAGE_EVERY_MS the app lists NodeMetrics (metrics.k8s.io, what
 * `kubectl top nodes` reads: it cannot be watched) and, once that
 * answered with figures, watches the Nodes (shared with a nodes table;
 * never listed again); the header then shows the summed usage against the summed allocatable of
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

int usage_text(const cJSON *metrics, const struct vec *nodes, char *buf, size_t n)
{
	int64_t cpu = 0, mem = 0, acpu = 0, amem = 0;
	const cJSON *m;
	char cu[32], ca[32], mu[32], ma[32];

	cJSON_ArrayForEach(m, metrics) {
		const char *name = json_get_str(m, "metadata.name");

		for (size_t i = 0; name && i < nodes->len; i++) {
			const cJSON *node = nodes->items[i];
			const char *nn = json_get_str(node, "metadata.name");
			int64_t c, b, uc, ub;

			if (!nn || strcmp(name, nn))
				continue;
			c = milli_of(node, "status.allocatable.cpu");
			b = milli_of(node, "status.allocatable.memory");
			uc = milli_of(m, "usage.cpu");
			ub = milli_of(m, "usage.memory");
			if (c <= 0 || b <= 0 || uc < 0 || ub < 0)
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
};

static void nodes_changed(void *arg)
{
	struct app *a = arg;

	a->usage_dirty = 1;
}

/* The header text from the last metrics and the watched Nodes. */
static void recompute(struct app *a)
{
	struct vec nodes = VEC_INIT;
	struct err e;

	a->usage_dirty = 0;
	if (!a->usage_metrics || !a->usage_nodes)
		return;
	if (a->src->ops->objs_list(a->src, a->usage_nodes, &nodes, &e) == 1 &&
	    usage_text(cJSON_GetObjectItem(a->usage_metrics, "items"), &nodes,
		       a->usage, sizeof(a->usage)) == 0) {
		/* shown */
	} else {
		a->usage[0] = '\0';
	}
	vec_free(&nodes, NULL);
}

/* Quietly nothing when the list fails: the figures are optional.  The
 * Nodes are watched (not listed again) once metrics exist. */
static void got_metrics(void *arg, const struct err *e, const char *text)
{
	struct usage_req *r = arg;
	struct app *a = r->a;
	const struct kind_info *nodes;
	cJSON *list = NULL;
	struct err pe;

	if (r->gen != a->usage_gen) {
		free(r);
		return;
	}
	free(r);
	a->usage_inflight = 0;
	nodes = src_kind(a->src, "nodes");
	if (e->code != ERR_OK || !nodes || !a->src->ops->objs_watch ||
	    !(list = json_parse(text, strlen(text), &pe)) ||
	    !cJSON_GetArraySize(cJSON_GetObjectItem(list, "items"))) {
		cJSON_Delete(list);
		cJSON_Delete(a->usage_metrics);
		a->usage_metrics = NULL;
		a->usage[0] = '\0';
		return;
	}
	cJSON_Delete(a->usage_metrics);
	a->usage_metrics = list;
	if (!a->usage_nodes)
		a->usage_nodes = a->src->ops->objs_watch(a->src, nodes, "", nodes_changed, a);
	recompute(a);
}

void usage_tick(struct app *a, long now_ms)
{
	struct kind_info *k;
	struct usage_req *r;

	if (a->usage_dirty)
		recompute(a);
	if (a->usage_off || a->usage_inflight || now_ms < a->usage_next ||
	    !a->info.reachable)
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
	if (a->usage_nodes)
		a->src->ops->objs_unwatch(a->src, a->usage_nodes);
	a->usage_nodes = NULL;
	cJSON_Delete(a->usage_metrics);
	a->usage_metrics = NULL;
	a->usage_gen++;
	a->usage[0] = '\0';
	a->usage_next = 0;
	a->usage_inflight = 0;
	a->usage_dirty = 0;
}
