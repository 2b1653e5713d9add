/* SPDX-License-Identifier: Apache-2.0 */
/*
 * view_pf: the dashboard's port-forwards (k9s' shift-f and :pf).
 *
 * shift-f on a pod opens a "local:remote" prompt, prefilled with the
 * pod's first container port once the pod is fetched; accepting starts a
 * forward on 127.0.0.1 (client/stream.h: a listener thread, a WebSocket
 * per accepted connection) that keeps running in the background while
 * the user browses.  The forwards live in a process-wide list owned by
 * the UI thread; their threads only report errors, under a mutex, and
 * pf_poll flashes them.  `:pf` lists the forwards; ctrl-d stops one.
 * They all stop on a context switch and at exit (they hold the client).
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "client/stream.h"
#include "common/mem.h"
#include "common/yaml.h"
#include "tui/shell.h"

struct pf_entry {
	struct kpf *f;
	char ns[128], pod[256];
};

static struct vec pf_list = VEC_INIT;	/* struct pf_entry *, UI thread */
static pthread_mutex_t pf_err_mu = PTHREAD_MUTEX_INITIALIZER;
static char pf_err[512];		/* under pf_err_mu */
static unsigned pf_prompt_gen;		/* stale prefill guard */

static void pf_on_error(const struct err *e, void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pf_err_mu);
	snprintf(pf_err, sizeof(pf_err), "%s", e->msg);
	pthread_mutex_unlock(&pf_err_mu);
}

void pf_poll(struct app *a)
{
	char msg[512];

	pthread_mutex_lock(&pf_err_mu);
	snprintf(msg, sizeof(msg), "%s", pf_err);
	pf_err[0] = '\0';
	pthread_mutex_unlock(&pf_err_mu);
	if (msg[0])
		app_flash(a, 1, "port-forward: %s", msg);
}

static void pf_entry_free(void *p)
{
	struct pf_entry *pe = p;

	kpf_free(pe->f);
	free(pe);
}

void pf_stop_all(void)
{
	vec_free(&pf_list, pf_entry_free);
}

struct pf_token {
	unsigned gen;
	struct app *a;
};

/* The first containerPort of a pod (YAML text), or 0. */
static int pf_first_port(const char *yaml)
{
	cJSON *pod = kyaml_parse(yaml, strlen(yaml), NULL), *c, *p;
	int port = 0;

	cJSON_ArrayForEach(c, cJSON_GetObjectItem(cJSON_GetObjectItem(pod,
			   "spec"), "containers")) {
		cJSON_ArrayForEach(p, cJSON_GetObjectItem(c, "ports")) {
			cJSON *cp = cJSON_GetObjectItem(p, "containerPort");
			if (cJSON_IsNumber(cp) && !port)
				port = cp->valueint;
		}
	}
	cJSON_Delete(pod);
	return port;
}

static void pf_got_pod(void *arg, const struct err *e, const char *yaml)
{
	struct pf_token *t = arg;
	struct app *a = t->a;
	int port;

	if (t->gen == pf_prompt_gen && a->modal == MODAL_PORT_FORWARD &&
	    a->input_len == 0 && e->code == ERR_OK && yaml &&
	    (port = pf_first_port(yaml)) > 0) {
		snprintf(a->input, sizeof(a->input), "%d:%d", port, port);
		a->input_len = strlen(a->input);
	}
	free(t);
}

void pf_prompt(struct app *a, struct view *v, const char *ns,
	       const char *pod)
{
	const struct kind_info *k = src_kind(a->src, "pods");
	struct pf_token *t;

	if (!src_client_handle(a->src)) {
		app_flash(a, 1, "port-forward: needs a cluster connection");
		return;
	}
	snprintf(a->target_ns, sizeof(a->target_ns), "%s", ns);
	snprintf(a->target_name, sizeof(a->target_name), "%s", pod);
	app_modal(a, MODAL_PORT_FORWARD, v, "");
	if (!k)
		return;
	t = xcalloc(1, sizeof(*t));
	t->gen = ++pf_prompt_gen;
	t->a = a;
	a->src->ops->get(a->src, SRC_GET_YAML, k, ns, pod, NULL, pf_got_pod,
			 t);
}

void pf_prompt_done(struct app *a, const char *text)
{
	struct client *c = src_client_handle(a->src);
	struct kpf_opts o = { .ns = a->target_ns, .pod = a->target_name,
			      .address = "127.0.0.1", .on_error = pf_on_error };
	struct pf_entry *pe;
	struct err e;

	pf_prompt_gen++;
	if (!c)
		return;
	if (kpf_parse_spec(text, &o.local_port, &o.remote_port) < 0) {
		app_flash(a, 1, "port-forward: want local:remote ports, "
			  "got \"%s\"", text);
		return;
	}
	pe = xcalloc(1, sizeof(*pe));
	if (kpf_start(c, &o, &pe->f, &e) < 0) {
		free(pe);
		app_flash_err(a, &e);
		return;
	}
	snprintf(pe->ns, sizeof(pe->ns), "%s", a->target_ns);
	snprintf(pe->pod, sizeof(pe->pod), "%s", a->target_name);
	vec_push(&pf_list, pe);
	app_flash(a, 0, "forwarding 127.0.0.1:%d -> %s:%d",
		  kpf_local_port(pe->f), pe->pod, o.remote_port);
}

/* ---- the :pf view ---- */

struct view_pf {
	struct view super;
	size_t sel;
};

static void pfv_draw(struct view *v, struct app *a, int y0, int h, int w)
{
	struct view_pf *p = (struct view_pf *)v;
	char line[640];

	if (pf_list.len && p->sel >= pf_list.len)
		p->sel = pf_list.len - 1;
	snprintf(line, sizeof(line), "%-40s %-22s %s", "POD", "FORWARD",
		 "CONNECTIONS (OPEN/TOTAL)");
	draw_text(y0, 0, line, w, a->attrs[TS_TABLE_HEADER], 1);
	if (!pf_list.len)
		draw_text(y0 + 1, 0, "no port-forwards (shift-f on a pod starts "
			  "one)", w, a->attrs[TS_HINT], 1);
	for (size_t i = 0; i < pf_list.len && (int)i + 1 < h; i++) {
		struct pf_entry *pe = pf_list.items[i];
		char fwd[64];
		snprintf(fwd, sizeof(fwd), "127.0.0.1:%d -> %d",
			 kpf_local_port(pe->f), kpf_remote_port(pe->f));
		snprintf(line, sizeof(line), "%-40s %-22s %u/%u", pe->pod, fwd,
			 kpf_active(pe->f), kpf_total(pe->f));
		draw_text(y0 + 1 + (int)i, 0, line, w, a->attrs[i == p->sel ?
			  TS_ROW_SELECTED : TS_ROW], 1);
	}
}

static enum view_rc pfv_key(struct view *v, struct app *a, enum act act,
			    int key)
{
	struct view_pf *p = (struct view_pf *)v;

	(void)key;
	switch (act) {
	case ACT_UP:
		if (p->sel)
			p->sel--;
		return VIEW_HANDLED;
	case ACT_DOWN:
		if (p->sel + 1 < pf_list.len)
			p->sel++;
		return VIEW_HANDLED;
	case ACT_PF_STOP:
		if (p->sel < pf_list.len) {
			struct pf_entry *pe = pf_list.items[p->sel];
			app_flash(a, 0, "stopped forwarding 127.0.0.1:%d -> "
				  "%s:%d", kpf_local_port(pe->f), pe->pod,
				  kpf_remote_port(pe->f));
			vec_remove(&pf_list, p->sel);
			pf_entry_free(pe);
		}
		return VIEW_HANDLED;
	default:
		return VIEW_IGNORED;
	}
}

static void pfv_free(struct view *v)
{
	free(v);
}

static const enum act *pfv_acts(struct view *v)
{
	static const enum act acts[] = { ACT_PF_STOP, ACT_NONE };

	(void)v;
	return acts;
}

static const struct view_class pf_class = {
	.name = "port-forwards", .scope = SCOPE_LIST, .draw = pfv_draw,
	.key = pfv_key, .free = pfv_free, .acts = pfv_acts,
};

struct view *view_pf_new(struct app *a)
{
	struct view_pf *p = xcalloc(1, sizeof(*p));

	p->super.cls = &pf_class;
	p->super.app = a;
	snprintf(p->super.title, sizeof(p->super.title), "port-forwards");
	return &p->super;
}
