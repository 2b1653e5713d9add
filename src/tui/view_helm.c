/* SPDX-License-Identifier: Apache-2.0 */
/*
 * view_helm: the helm releases list and a release's history.
 *
 * A list view (view_lines.c) over the Secrets of the current namespace,
 * kept current by a watch (objset); lines come from helm.c.  Keys on a line: Enter or
 * h opens the history (every revision, newest first; Enter there shows
 * that revision's values), v the user-supplied values as YAML, m the
 * manifest, n the notes.  The Secret of the line is decoded when the key
 * is pressed, from the objects of the last round.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/mem.h"
#include "tui/tui.h"


struct helm_ctx {
	char release[256];	/* "" = the releases list; else its history */
};

static void helm_view_build(void *ctx, const cJSON *objs, const cJSON *errs,
			    struct vec *out)
{
	struct helm_ctx *c = ctx;
	const cJSON *err = cJSON_GetObjectItem(errs, "secrets");

	if (err) {
		vec_push(out, ui_line_new(TS_ERROR, NULL, NULL, NULL, NULL,
					  "cannot list Secrets (helm keeps its releases in them): %s",
					  cJSON_GetStringValue(err)));
		return;
	}
	helm_build(cJSON_GetObjectItem(objs, "secrets"), NULL,
		   c->release[0] ? c->release : NULL, out);
}

static const cJSON *find_secret(const cJSON *objs, const char *ns, const char *name)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, cJSON_GetObjectItem(objs, "secrets")) {
		const char *n = json_get_str(s, "metadata.name");
		const char *sns = json_get_str(s, "metadata.namespace");

		if (n && !strcmp(n, name) && (!ns || (sns && !strcmp(sns, ns))))
			return s;
	}
	return NULL;
}

/* v / m / n: decode the line's Secret and show one part of it. */
static void show_part(struct app *a, const struct ui_line *sel, const cJSON *objs,
		      char what)
{
	static const char *const names[] = { "values", "manifest", "notes" };
	const cJSON *s = find_secret(objs, sel->ns, sel->name);
	const cJSON *d = json_get(s, "data.release");
	cJSON *rel = NULL;
	char title[300], *text;
	struct err e;
	int which = what == 'v' ? 0 : what == 'm' ? 1 : 2;

	if (!cJSON_IsString(d)) {
		app_flash(a, 1, "helm: the release Secret %s is gone", sel->name);
		return;
	}
	if (helm_release_decode(d->valuestring, strlen(d->valuestring), &rel, &e) < 0) {
		app_flash_err(a, &e);
		return;
	}
	text = helm_section(rel, what);
	snprintf(title, sizeof(title), "%s %s rev %s", names[which], sel->arg,
		 json_get_str(s, "metadata.labels.version") ?
		 json_get_str(s, "metadata.labels.version") : "?");
	app_push(a, view_text_new(a, title, text, which == 2 ? TEXT_PLAIN : TEXT_YAML));
	free(text);
	cJSON_Delete(rel);
}

static struct view *helm_view(struct app *a, const char *release, const char *ns);

static enum view_rc helm_key(void *ctx, struct app *a, struct view *v,
			     const struct ui_line *sel, const cJSON *objs,
			     enum act act, int key)
{
	struct helm_ctx *c = ctx;

	(void)v;
	switch (act) {
	case ACT_ENTER: key = c->release[0] ? 'v' : 'h'; break;
	case ACT_HELM_HISTORY: key = 'h'; break;
	case ACT_HELM_VALUES: key = 'v'; break;
	case ACT_HELM_MANIFEST: key = 'm'; break;
	case ACT_HELM_NOTES: key = 'n'; break;
	default: return VIEW_IGNORED;
	}
	if (!sel || !sel->arg) {
		app_flash(a, 1, "helm: no release selected");
		return VIEW_HANDLED;
	}
	if (key == 'h')
		app_push(a, helm_view(a, sel->arg, sel->ns));
	else
		show_part(a, sel, objs, (char)key);
	return VIEW_HANDLED;
}

static const enum act helm_acts[] = {
	ACT_ENTER, ACT_HELM_HISTORY, ACT_HELM_VALUES, ACT_HELM_MANIFEST,
	ACT_HELM_NOTES, ACT_NONE,
};

static struct view *helm_view(struct app *a, const char *release, const char *ns)
{
	struct lines_spec sp = { .follow_ns = !release, .acts = helm_acts,
				 .build = helm_view_build, .key = helm_key, .free = free,
				 .plurals = { "secrets", NULL } };
	struct helm_ctx *c = xcalloc(1, sizeof(*c));

	snprintf(c->release, sizeof(c->release), "%s", release ? release : "");
	sp.ctx = c;
	snprintf(sp.title, sizeof(sp.title), "%s%s", release ? "history " : "helm",
		 release ? release : "");
	snprintf(sp.header, sizeof(sp.header), "%-24s %-16s %-8s %-20s %-12s %-30s %s",
		 "NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART",
		 "APP VERSION");
	snprintf(sp.ns, sizeof(sp.ns), "%s", ns ? ns : a->ns);
	return view_lines_new(a, &sp);
}

struct view *view_helm_new(struct app *a)
{
	return helm_view(a, NULL, NULL);
}
