/* SPDX-License-Identifier: Apache-2.0 */
/*
 * actions: what the object keys of a table view do.
 *
 * Everything that talks to the cluster is asynchronous: the request goes
 * to the source and a small struct req carries the context to the
 * completion callback, which runs in src drain on the UI thread.  Edit is
 * the one place the UI thread waits: $EDITOR owns the terminal (endwin
 * first, redraw after), as kubectl edit does.  A 409 Conflict on the PUT
 * opens a dialog offering to re-edit the latest version.  Mutating
 * actions are refused before they get here in --readonly (app.c).
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/mem.h"
#include "tui/shell.h"
#include "tui/tui.h"

struct req {
	struct app *a;
	enum src_get what;
	char title[256];
	char ns[128], name[256], verb[32];
	struct kind_info *k;
};

static struct req *req_new(struct app *a, const struct kind_info *k,
			   const char *ns, const char *name)
{
	struct req *r = xcalloc(1, sizeof(*r));

	r->a = a;
	r->k = kind_info_new(k->plural, k->singular, k->kind, k->group,
			     k->shorts, k->namespaced, k->scalable);
	snprintf(r->ns, sizeof(r->ns), "%s", ns);
	snprintf(r->name, sizeof(r->name), "%s", name);
	return r;
}

static void req_free(struct req *r)
{
	kind_info_free(r->k);
	free(r);
}

static void got_text(void *arg, const struct err *e, const char *text)
{
	static const enum text_kind kinds[] = { TEXT_YAML, TEXT_PLAIN, TEXT_LOGS };
	struct req *r = arg;

	if (e->code != ERR_OK)
		app_flash_err(r->a, e);
	else
		app_push(r->a, view_text_new(r->a, r->title, text, kinds[r->what]));
	req_free(r);
}

static void fetch(struct app *a, enum src_get what, const struct kind_info *k,
		  const struct tm_row *row)
{
	static const char *const names[] = { "yaml", "describe", "logs" };
	struct req *r = req_new(a, k, row->ns, row->name);

	r->what = what;
	snprintf(r->title, sizeof(r->title), "%s %s", names[what], row->name);
	a->src->ops->get(a->src, what, k, row->ns, row->name, NULL, got_text, r);
}

static void done(void *arg, const struct err *e, const char *text)
{
	struct req *r = arg;

	if (e->code != ERR_OK)
		app_flash_err(r->a, e);
	else
		app_flash(r->a, 0, "%s %s %s", r->verb, r->k->singular, r->name);
	req_free(r);
}

static void apply(struct app *a, enum src_op op, const char *verb,
		  const struct kind_info *k, const char *ns, const char *name,
		  const char *arg)
{
	struct req *r = req_new(a, k, ns, name);

	snprintf(r->verb, sizeof(r->verb), "%s", verb);
	a->src->ops->apply(a->src, op, k, ns, name, arg, done, r);
}

/* ---------------------------------------------------------------- edit */

static char *slurp(const char *path)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *fp = fopen(path, "re");

	if (!fp)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	return buf_take(&b);
}

/* Run $EDITOR (else vi) on path with the terminal handed over. */
static int run_editor(const char *path)
{
	const char *ed = getenv("KUBE_EDITOR");
	char *cmd;
	int rc;

	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	cmd = xasprintf("%s '%s'", ed, path);
	def_prog_mode();
	endwin();
	rc = system(cmd);
	reset_prog_mode();
	clear();
	refresh();
	free(cmd);
	return rc;
}

static void edit_put_done(void *arg, const struct err *e, const char *text);
static void target(struct app *a, const struct kind_info *k, const char *ns,
		   const char *name);

static void edit_got_yaml(void *arg, const struct err *e, const char *yaml)
{
	struct req *r = arg;
	struct app *a = r->a;
	char path[] = "/tmp/kdeck-edit-XXXXXX.yaml";
	char *after = NULL;
	int fd;

	if (e->code != ERR_OK) {
		app_flash_err(a, e);
		goto out;
	}
	fd = mkstemps(path, 5);
	if (fd < 0 || write(fd, yaml, strlen(yaml)) != (ssize_t)strlen(yaml)) {
		app_flash(a, 1, "edit: cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	close(fd);
	if (run_editor(path) != 0)
		app_flash(a, 1, "edit: the editor failed; nothing changed");
	else if (!(after = slurp(path)) || !strcmp(after, yaml))
		app_flash(a, 0, "edit cancelled, no changes made");
	else {
		struct req *put = req_new(a, r->k, r->ns, r->name);

		a->src->ops->apply(a->src, SRC_OP_PUT, r->k, r->ns, r->name, after,
				   edit_put_done, put);
	}
	unlink(path);
out:
	free(after);
	req_free(r);
}

static void edit_start(struct app *a, const struct kind_info *k,
		       const char *ns, const char *name)
{
	struct req *r = req_new(a, k, ns, name);

	a->src->ops->get(a->src, SRC_GET_YAML, k, ns, name, NULL, edit_got_yaml, r);
}

static void edit_put_done(void *arg, const struct err *e, const char *text)
{
	struct req *r = arg;
	struct app *a = r->a;

	if (e->code == ERR_CONFLICT) {
		target(a, r->k, r->ns, r->name);
		app_flash_err(a, e);
		app_modal(a, MODAL_REEDIT, app_top(a), NULL);
	} else if (e->code != ERR_OK) {
		app_flash_err(a, e);
	} else {
		app_flash(a, 0, "edited %s %s", r->k->singular, r->name);
	}
	req_free(r);
}

/* ---------------------------------------------------------------- logs */

/* The pod is read first so a multi-container pod's log starts on its
 * default container (picker_default), not on the server's error. */
static void logs_got_pod(struct app *a, void *arg, const cJSON *pod)
{
	struct req *r = arg;

	if (pod)
		app_push(a, view_logs_open(a, r->k, r->ns, r->name, picker_default(pod)));
	req_free(r);
}

static void logs_open(struct app *a, const struct kind_info *k, const struct tm_row *row)
{
	pod_fetch(a, row->ns, row->name, logs_got_pod, req_new(a, k, row->ns, row->name));
}

/* ------------------------------------------------------------ dispatch */

/* Marked rows become the targets of a delete (k9s): "ns/name" each. */
static void target_marked(struct app *a, struct view *v)
{
	struct vec rows = VEC_INIT;

	vec_free(&a->marked, free);
	view_table_marked(v, &rows);
	for (size_t i = 0; i < rows.len; i++) {
		const struct tm_row *r = rows.items[i];

		vec_push(&a->marked, xasprintf("%s/%s", r->ns, r->name));
	}
	vec_free(&rows, NULL);
}

/* Restart the marked rows when there are any (k9s: the bulk-safe
 * actions, delete and restart, act on the marks), else the selected
 * one.  Scale stays single. */
static void restart_rows(struct app *a, struct view *v, const struct kind_info *k,
			 const struct tm_row *row)
{
	struct vec rows = VEC_INIT;

	view_table_marked(v, &rows);
	if (!rows.len)
		apply(a, SRC_OP_RESTART, "restarted", k, row->ns, row->name, NULL);
	for (size_t i = 0; i < rows.len; i++) {
		const struct tm_row *r = rows.items[i];

		apply(a, SRC_OP_RESTART, "restarted", k, r->ns, r->name, NULL);
	}
	vec_free(&rows, NULL);
}

/* The object a dialog is about; the app keeps its own copy of the kind. */
static void target(struct app *a, const struct kind_info *k, const char *ns,
		   const char *name)
{
	kind_info_free(a->target_kind);
	a->target_kind = kind_info_new(k->plural, k->singular, k->kind, k->group,
				       k->shorts, k->namespaced, k->scalable);
	snprintf(a->target_ns, sizeof(a->target_ns), "%s", ns);
	snprintf(a->target_name, sizeof(a->target_name), "%s", name);
}

/* The desired count of a READY "a/b" cell, as the scale prompt's default. */
static const char *current_replicas(struct view *v, const struct tm_row *row)
{
	static char buf[32];
	int c = view_table_col(v, "READY");
	const char *slash = c >= 0 ? strchr(row->cells[c], '/') : NULL;

	snprintf(buf, sizeof(buf), "%s", slash ? slash + 1 : "");
	return buf;
}

struct shell_req {
	char ns[128], name[256];
	int attach;
};

/* The picker chose (NULL: cancelled): open the terminal. */
static void shell_picked(struct app *a, void *arg, const char *container)
{
	struct shell_req *r = arg;
	struct view *sv = container ?
		view_shell_new(a, r->ns, r->name, container, r->attach) : NULL;

	if (sv)
		app_push(a, sv);
	free(r);
}

/* s (shell), a (attach), shift-f (port-forward) on a pod.  A pod with
 * several containers asks which first (the default one preselected). */
static void stream_view(struct app *a, const struct kind_info *k,
			const struct tm_row *row, enum act act)
{
	struct shell_req *r;

	if (strcmp(k->plural, "pods")) {
		app_flash(a, 1, "%s: only on pods", act_table[act].name);
		return;
	}
	if (act == ACT_PORT_FORWARD) {
		pf_prompt(a, app_top(a), row->ns, row->name);
		return;
	}
	if (!src_client_handle(a->src)) {
		app_flash(a, 1, "%s: needs a cluster connection",
			  act == ACT_ATTACH ? "attach" : "shell");
		return;
	}
	r = xcalloc(1, sizeof(*r));
	snprintf(r->ns, sizeof(r->ns), "%s", row->ns);
	snprintf(r->name, sizeof(r->name), "%s", row->name);
	r->attach = act == ACT_ATTACH;
	picker_open_pod(a, row->ns, row->name, shell_picked, r);
}

static void scale_or_shell(struct app *a, struct view *v, const struct kind_info *k,
			   const struct tm_row *row)
{
	if (!strcmp(k->plural, "pods")) {
		stream_view(a, k, row, ACT_SHELL);
		return;
	}
	if (!k->scalable) {
		app_flash(a, 1, "%s cannot be scaled", k->plural);
		return;
	}
	target(a, k, row->ns, row->name);
	app_modal(a, MODAL_SCALE, v, current_replicas(v, row));
}

void action_run(struct app *a, struct view *v, enum act act)
{
	const struct kind_info *k = view_table_kind(v);
	const struct tm_row *row = view_table_selected(v);

	if (!k || !row) {
		app_flash(a, 1, "nothing selected");
		return;
	}
	switch (act) {
	case ACT_DESCRIBE: fetch(a, SRC_GET_DESCRIBE, k, row); break;
	case ACT_YAML: fetch(a, SRC_GET_YAML, k, row); break;
	case ACT_LOGS: {
		struct view *lv;

		if (!strcmp(k->plural, "pods"))
			logs_open(a, k, row);
		else if (!view_logs_workload_ok(k->plural))
			app_flash(a, 1, "logs: only pods and workloads have logs");
		else if ((lv = view_logs_workload(a, k, row->ns, row->name)))
			app_push(a, lv);
		break;
	}
	case ACT_EDIT: edit_start(a, k, row->ns, row->name); break;
	case ACT_DELETE:
		target(a, k, row->ns, row->name);
		target_marked(a, v);
		app_modal(a, MODAL_DELETE, v, NULL);
		break;
	case ACT_SCALE: scale_or_shell(a, v, k, row); break;
	case ACT_XRAY: {
		struct view *tv = view_tree_new(a, k, row->ns, row->name);

		if (tv)
			app_push(a, tv);
		break;
	}
	case ACT_SHELL: case ACT_ATTACH: case ACT_PORT_FORWARD:
		stream_view(a, k, row, act);
		break;
	case ACT_UNDO: rollout_undo_start(a, k, row->ns, row->name); break;
	case ACT_HISTORY: {
		struct view *hv = view_rollout_new(a, k, row->ns, row->name);

		if (hv)
			app_push(a, hv);
		break;
	}
	case ACT_RESTART:
		if (!k->scalable && strcmp(k->plural, "daemonsets"))
			app_flash(a, 1, "%s cannot be restarted", k->plural);
		else
			restart_rows(a, v, k, row);
		break;
	default: break;
	}
}

void action_modal_done(struct app *a, enum modal_kind kind, int accepted)
{
	static const char *const props[] = { "Background", "Foreground", "Orphan" };
	const struct kind_info *k = a->target_kind;

	if (kind == MODAL_UNDO) {
		rollout_confirmed(a, accepted);
		return;
	}
	if (kind == MODAL_PORT_FORWARD) {
		if (accepted)
			pf_prompt_done(a, a->input);
		return;
	}
	if (!accepted || !k)
		return;
	if (kind == MODAL_DELETE && a->marked.len) {
		for (size_t i = 0; i < a->marked.len; i++) {
			char *key = a->marked.items[i], *slash = strchr(key, '/');

			*slash = '\0';
			apply(a, SRC_OP_DELETE, "deleted", k, key, slash + 1,
			      props[a->choice % 3]);
		}
		vec_free(&a->marked, free);
	} else if (kind == MODAL_DELETE)
		apply(a, SRC_OP_DELETE, "deleted", k, a->target_ns, a->target_name,
		      props[a->choice % 3]);
	else if (kind == MODAL_SCALE)
		apply(a, SRC_OP_SCALE, "scaled", k, a->target_ns, a->target_name,
		      a->input);
	else if (kind == MODAL_REEDIT)
		edit_start(a, k, a->target_ns, a->target_name);
}
