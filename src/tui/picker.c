/* SPDX-License-Identifier: Apache-2.0 */
/*
 * picker: choose one of a pod's containers (logs `c`, shell, attach).
 *
 * A small list view (view_lines.c, no re-listing): NAME IMAGE STATE
 * READY per container, init containers last and marked.  Enter chooses,
 * esc cancels; the caller's callback runs exactly once either way (NULL
 * container on cancel, also when the views are torn down by a context
 * switch), so it can free what it carries.  A pod with one container
 * needs no question: the callback runs at once.  The default container
 * is the one kubectl picks: the kubectl.kubernetes.io/default-container
 * annotation when it names a container, else the first.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/mem.h"
#include "common/yaml.h"
#include "tui/tui.h"

static const char *str(const cJSON *o, const char *path)
{
	const char *s = json_get_str(o, path);

	return s ? s : "";
}

static const cJSON *named(const cJSON *arr, const char *name)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, arr)
		if (!strcmp(str(c, "name"), name))
			return c;
	return NULL;
}

const char *picker_default(const cJSON *pod)
{
	const char *want = json_get_str(pod,
		"metadata.annotations.kubectl\\.kubernetes\\.io/default-container");
	const cJSON *cs = json_get(pod, "spec.containers");
	const cJSON *first = cJSON_GetArrayItem(cs, 0);

	if (want && named(cs, want))
		return want;
	return first ? json_get_str(first, "name") : NULL;
}

static void state_of(const cJSON *st, char *buf, size_t n)
{
	if (!st)
		snprintf(buf, n, "-");
	else if (json_get(st, "state.running"))
		snprintf(buf, n, "Running");
	else if (json_get(st, "state.terminated"))
		snprintf(buf, n, "Terminated: %s", str(st, "state.terminated.reason"));
	else
		snprintf(buf, n, "Waiting: %s", str(st, "state.waiting.reason"));
}

static void add(const cJSON *c, const cJSON *statuses, int init, struct vec *out)
{
	const char *name = str(c, "name");
	const cJSON *st = named(statuses, name);
	char state[160], nm[160];

	state_of(st, state, sizeof(state));
	snprintf(nm, sizeof(nm), "%s%s", name, init ? " (init)" : "");
	vec_push(out, ui_line_new(TS_ROW, NULL, NULL, NULL, name,
				  "%-28s %-44s %-28s %s", nm, str(c, "image"), state,
				  st ? (json_get_bool(st, "ready", false) ? "true" : "false") : "-"));
}

void picker_lines(const cJSON *pod, struct vec *out)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, json_get(pod, "spec.containers"))
		add(c, json_get(pod, "status.containerStatuses"), 0, out);
	cJSON_ArrayForEach(c, json_get(pod, "spec.initContainers"))
		add(c, json_get(pod, "status.initContainerStatuses"), 1, out);
}

/* ---------------------------------------------------------------- view */

struct pick_ctx {
	cJSON *pod;
	picker_cb cb;
	void *arg;
	struct app *a;
	char chosen[256];	/* "" = cancelled */
};

static void pick_build(void *ctx, const cJSON *objs, const cJSON *errs, struct vec *out)
{
	struct pick_ctx *c = ctx;

	(void)objs;
	(void)errs;
	picker_lines(c->pod, out);
}

/* The view is off the stack when this runs: the callback may push. */
static void pick_free(void *ctx)
{
	struct pick_ctx *c = ctx;

	c->cb(c->a, c->arg, c->chosen[0] ? c->chosen : NULL);
	cJSON_Delete(c->pod);
	free(c);
}

/* Enter: remember the choice and close; pick_free tells the caller once
 * the picker is off the stack. */
static enum view_rc pick_key(void *ctx, struct app *a, struct view *v,
			     const struct ui_line *sel, const cJSON *objs,
			     enum act act, int key)
{
	struct pick_ctx *c = ctx;

	(void)objs;
	(void)v;
	if (act != ACT_ENTER && key != '\n')
		return VIEW_IGNORED;
	if (!sel || !sel->arg)
		return VIEW_HANDLED;
	snprintf(c->chosen, sizeof(c->chosen), "%s", sel->arg);
	return VIEW_CLOSE;
}

void picker_open(struct app *a, const cJSON *pod, picker_cb cb, void *arg)
{
	static const enum act acts[] = { ACT_ENTER, ACT_NONE };
	struct lines_spec sp = { .build = pick_build, .key = pick_key, .free = pick_free,
				 .acts = acts };
	struct pick_ctx *c;
	int n = cJSON_GetArraySize(json_get(pod, "spec.containers")) +
		cJSON_GetArraySize(json_get(pod, "spec.initContainers"));

	if (n <= 1) {
		cb(a, arg, picker_default(pod));
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->pod = cJSON_Duplicate(pod, 1);
	c->cb = cb;
	c->arg = arg;
	c->a = a;
	sp.ctx = c;
	snprintf(sp.select, sizeof(sp.select), "%s", picker_default(pod) ? picker_default(pod) : "");
	snprintf(sp.title, sizeof(sp.title), "containers of %s", str(pod, "metadata.name"));
	snprintf(sp.header, sizeof(sp.header), "%-28s %-44s %-28s %s", "NAME", "IMAGE",
		 "STATE", "READY");
	app_push(a, view_lines_new(a, &sp));
}

struct pod_req {
	struct app *a;
	void (*cb)(struct app *a, void *arg, const cJSON *pod);
	void *arg;
};

static void got_pod(void *arg, const struct err *e, const char *text)
{
	struct pod_req *r = arg;
	struct err pe;
	cJSON *pod = NULL;

	if (e->code != ERR_OK)
		app_flash_err(r->a, e);
	else if (!(pod = kyaml_parse(text ? text : "", text ? strlen(text) : 0, &pe)))
		app_flash_err(r->a, &pe);
	r->cb(r->a, r->arg, pod);
	cJSON_Delete(pod);
	free(r);
}

void pod_fetch(struct app *a, const char *ns, const char *name,
	       void (*cb)(struct app *a, void *arg, const cJSON *pod), void *arg)
{
	const struct kind_info *k = src_kind(a->src, "pods");
	struct pod_req *r;

	if (!k) {
		app_flash(a, 1, "this cluster has no pods");
		cb(a, arg, NULL);
		return;
	}
	r = xcalloc(1, sizeof(*r));
	r->a = a;
	r->cb = cb;
	r->arg = arg;
	a->src->ops->get(a->src, SRC_GET_YAML, k, ns, name, NULL, got_pod, r);
}

struct open_req {
	picker_cb cb;
	void *arg;
};

static void open_got(struct app *a, void *arg, const cJSON *pod)
{
	struct open_req *o = arg;

	if (pod)
		picker_open(a, pod, o->cb, o->arg);
	else
		o->cb(a, o->arg, NULL);
	free(o);
}

void picker_open_pod(struct app *a, const char *ns, const char *name,
		     picker_cb cb, void *arg)
{
	struct open_req *o = xcalloc(1, sizeof(*o));

	o->cb = cb;
	o->arg = arg;
	pod_fetch(a, ns, name, open_got, o);
}
