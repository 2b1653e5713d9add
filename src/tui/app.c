/* SPDX-License-Identifier: Apache-2.0 */
/*
 * app: the dashboard's frame and event loop.
 *
 * Screen layout (rows):
 *   0        header: context, cluster, user, server version, namespace,
 *            favourite namespaces
 *   1        key hints of the top view (from the keymap, mutating keys
 *            hidden in --readonly)
 *   2        banner when the cluster is unreachable, else blank
 *   3..h-3   the top view
 *   h-2      breadcrumbs (one per view on the stack)
 *   h-1      flash message, or the active prompt/dialog
 *
 * One thread: poll() on stdin and the source's fd, 250 ms tick for the
 * spinner and flash expiry.  SIGWINCH interrupts poll and ncurses turns
 * it into KEY_RESIZE.  Keys go to the modal prompt when one is open,
 * else through the keymap to the top view, then to the global actions.
 * A key redraws at once; watch events only mark the screen stale, and it
 * is redrawn at most every APP_FRAME_MS: a cluster churning thousands of
 * pods costs one table rebuild per frame, not one per event.
 *
 * KDECK_TRACE=FILE (benchmarks): the loop appends "first_screen MS ROWS"
 * (wall clock, ms since the epoch) the first time the top table is drawn
 * complete, and "key US" for each batch of keys, from reading the first
 * key to the end of the redraw it caused.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/mem.h"
#include "tui/shell.h"
#include "tui/tui.h"

long app_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void app_flash(struct app *a, int is_err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->flash, sizeof(a->flash), fmt, ap);
	va_end(ap);
	a->flash_err = is_err;
	a->flash_until = app_now_ms() + (is_err ? 8000 : 4000);
}

void app_flash_err(struct app *a, const struct err *e)
{
	app_flash(a, 1, "%s: %s", err_reason(e->code), e->msg);
}

struct view *app_top(struct app *a)
{
	return a->views.len ? a->views.items[a->views.len - 1] : NULL;
}

static void free_views(struct vec *views)
{
	while (views->len) {
		struct view *v = vec_pop(views);

		v->cls->free(v);
	}
}

/* A new view: the forward history ends here, as in a browser. */
void app_push(struct app *a, struct view *v)
{
	v->app = a;
	free_views(&a->fwd);
	vec_push(&a->views, v);
}

/* The top view taken off the stack (its dialog closed); NULL at the root. */
static struct view *take_top(struct app *a)
{
	struct view *v;

	if (a->views.len <= 1)
		return NULL;
	v = vec_pop(&a->views);
	if (a->modal_view == v)
		a->modal = MODAL_NONE;
	return v;
}

void app_pop(struct app *a)
{
	struct view *v = take_top(a);

	if (v)
		v->cls->free(v);
}

void app_back(struct app *a)
{
	struct view *v = take_top(a);

	if (!v)
		return;
	if (a->fwd.len == APP_FWD_MAX) {
		struct view *old = a->fwd.items[0];

		vec_remove(&a->fwd, 0);
		old->cls->free(old);
	}
	vec_push(&a->fwd, v);
}

void app_forward(struct app *a)
{
	if (!a->fwd.len) {
		app_flash(a, 1, "nothing to go forward to");
		return;
	}
	vec_push(&a->views, vec_pop(&a->fwd));
}

void app_close_all(struct app *a)
{
	free_views(&a->views);
	free_views(&a->fwd);
}

int app_open_kind(struct app *a, const char *plural)
{
	const struct kind_info *k = src_kind(a->src, plural);

	if (!k) {
		app_flash(a, 1, "unknown resource \"%s\"", plural);
		return -1;
	}
	/* Like k9s, a new kind replaces the table on top (keeping the
	 * first one so esc has somewhere to go); text views stay stacked. */
	if (a->views.len > 1 && view_table_kind(app_top(a)))
		app_pop(a);
	app_push(a, view_table_new(a, k));
	return 0;
}

void app_set_ns(struct app *a, const char *ns)
{
	snprintf(a->ns, sizeof(a->ns), "%s", ns);
	/* k9s keeps recently used namespaces on the number keys. */
	if (*ns) {
		int i, free_slot = -1;

		for (i = 1; i < 10; i++) {
			if (!strcmp(a->favs[i], ns))
				break;
			if (!a->favs[i][0] && free_slot < 0)
				free_slot = i;
		}
		if (i == 10 && free_slot > 0)
			snprintf(a->favs[free_slot], sizeof(a->favs[0]), "%s", ns);
	}
	for (size_t i = 0; i < a->views.len + a->fwd.len; i++) {
		struct view *v = i < a->views.len ? a->views.items[i] :
			a->fwd.items[i - a->views.len];

		if (v->cls->ns_changed)
			v->cls->ns_changed(v, a);
	}
	app_flash(a, 0, "namespace: %s", *ns ? ns : "all");
}

void app_modal(struct app *a, enum modal_kind kind, struct view *v,
	       const char *initial)
{
	a->modal = kind;
	a->modal_view = v;
	a->choice = 0;
	snprintf(a->input, sizeof(a->input), "%s", initial ? initial : "");
	a->input_len = strlen(a->input);
	curs_set(kind == MODAL_DELETE || kind == MODAL_REEDIT || kind == MODAL_UNDO ? 0 : 1);
}

/* ---------------------------------------------------------------- draw */

static void draw_header(struct app *a, int w)
{
	static const char *const labels[] = { "Context", "Cluster", "User", "K8s", "NS" };
	const char *vals[5] = { a->info.context, a->info.cluster, a->info.user,
				a->info.version, *a->ns ? a->ns : "all" };
	int x = 0;

	draw_fill(0, 0, w, a->attrs[TS_DEFAULT]);
	for (int i = 0; i < 5 && x < w; i++) {
		char lab[32];

		snprintf(lab, sizeof(lab), "%s%s: ", i ? "  " : "", labels[i]);
		x += draw_text(0, x, lab, w - x, a->attrs[TS_HEADER], 0);
		x += draw_text(0, x, vals[i], w - x, a->attrs[TS_HEADER_VALUE], 0);
	}
	if (a->usage[0] && x < w) {
		x += draw_text(0, x, "  ", w - x, a->attrs[TS_HEADER], 0);
		x += draw_text(0, x, a->usage, w - x, a->attrs[TS_HEADER_VALUE], 0);
	}
	if (a->info.discovering && x < w) {
		static const char spin[] = "|/-\\";
		char d[192];

		snprintf(d, sizeof(d), "  %c discovering %s", spin[a->tick % 4], a->info.cluster);
		x += draw_text(0, x, d, w - x, a->attrs[TS_HINT], 0);
	}
	for (int i = 0; i < 10 && x < w; i++) {
		char fav[160];

		if (i && !a->favs[i][0])
			continue;
		snprintf(fav, sizeof(fav), "  <%d> %s", i, i ? a->favs[i] : "all");
		x += draw_text(0, x, fav, w - x, a->attrs[TS_HINT], 0);
	}
	if (a->readonly && x + 11 < w)
		draw_text(0, w - 10, "[readonly]", 10, a->attrs[TS_ERROR], 0);
}

/* One hint "<key>name"; returns the columns used. */
static int draw_hint(struct app *a, enum act act, int x, int w)
{
	const struct act_info *ai = &act_table[act];
	char keys[64], item[128];
	int used;

	if (ai->mutating && a->readonly)
		return 0;
	keymap_keys(a->km, act, keys, sizeof(keys));
	if (!keys[0])
		return 0;
	*strchrnul(keys, ',') = '\0';
	snprintf(item, sizeof(item), "<%s>", keys);
	used = draw_text(1, x, item, w - x, a->attrs[TS_HINT_KEY], 0);
	snprintf(item, sizeof(item), "%s ", ai->name);
	return used + draw_text(1, x + used, item, w - x - used, a->attrs[TS_HINT], 0);
}

/* Is act one of the global keys a view of class cls answers? */
static int global_shown(const struct view_class *cls, int act)
{
	return act == ACT_HELP || act == ACT_COMMAND || act == ACT_BACK ||
	       (act == ACT_FILTER && cls->filter);
}

/* Hints: the top view's own actions (or its scope's) then a few globals. */
static void draw_hints(struct app *a, int w)
{
	struct view *v = app_top(a);
	const enum act *own = v->cls->acts ? v->cls->acts(v) : NULL;
	int x = 0;

	draw_fill(1, 0, w, a->attrs[TS_DEFAULT]);
	if (own) {
		for (size_t i = 0; own[i] != ACT_NONE && x < w; i++)
			x += draw_hint(a, own[i], x, w);
		for (int act = 0; act < ACT__COUNT && x < w && v->cls->scope != SCOPE_SHELL; act++)
			if (global_shown(v->cls, act))
				x += draw_hint(a, (enum act)act, x, w);
		return;
	}
	for (int act = 0; act < ACT__COUNT && x < w; act++) {
		const struct act_info *ai = &act_table[act];

		if ((ai->scope != v->cls->scope && !global_shown(v->cls, act)) ||
		    (act >= ACT_NS_0 && act <= ACT_NS_9) ||
		    act == ACT_LEFT || act == ACT_RIGHT || act == ACT_ENTER)
			continue;
		x += draw_hint(a, (enum act)act, x, w);
	}
}

static void draw_crumbs(struct app *a, int y, int w)
{
	int x = 0;

	draw_fill(y, 0, w, a->attrs[TS_DEFAULT]);
	for (size_t i = 0; i < a->views.len && x < w; i++) {
		struct view *v = a->views.items[i];
		char c[192];

		snprintf(c, sizeof(c), " <%s> ", v->title);
		x += draw_text(y, x, c, w - x, a->attrs[i + 1 == a->views.len
					   ? TS_CRUMB_ACTIVE : TS_CRUMB], 0) + 1;
	}
}

static const char *modal_prompt(struct app *a)
{
	switch (a->modal) {
	case MODAL_COMMAND: return ":";
	case MODAL_FILTER: return "/";
	case MODAL_SEARCH: return "search /";
	case MODAL_SCALE: return "replicas: ";
	case MODAL_PORT_FORWARD: return "port-forward local:remote: ";
	case MODAL_TAIL: return "tail lines (a number or all): ";
	default: return "";
	}
}

static void draw_dialog(struct app *a, int h, int w)
{
	static const char *const props[] = { "Background", "Foreground", "Orphan" };
	char line[512];
	int y = h / 2 - 2, x, dw = w > 70 ? 66 : w - 4;

	x = (w - dw) / 2;
	for (int i = 0; i < 5; i++)
		draw_fill(y + i, x, dw, a->attrs[TS_DIALOG]);
	if (a->modal == MODAL_DELETE && a->marked.len) {
		snprintf(line, sizeof(line), " Delete %zu marked %s?", a->marked.len,
			 a->target_kind->plural);
		draw_text(y + 1, x, line, dw, a->attrs[TS_DIALOG] | A_BOLD, 0);
		snprintf(line, sizeof(line), " propagation (tab): %s   y/enter: delete   n/esc: cancel",
			 props[a->choice % 3]);
	} else if (a->modal == MODAL_DELETE) {
		snprintf(line, sizeof(line), " Delete %s %s%s%s?", a->target_kind->singular,
			 a->target_ns, *a->target_ns ? "/" : "", a->target_name);
		draw_text(y + 1, x, line, dw, a->attrs[TS_DIALOG] | A_BOLD, 0);
		snprintf(line, sizeof(line), " propagation (tab): %s   y/enter: delete   n/esc: cancel",
			 props[a->choice % 3]);
	} else if (a->modal == MODAL_UNDO) {
		snprintf(line, sizeof(line), " %s", a->confirm);
		draw_text(y + 1, x, line, dw, a->attrs[TS_DIALOG] | A_BOLD, 0);
		snprintf(line, sizeof(line), " y/enter: roll back   n/esc: cancel");
	} else {
		snprintf(line, sizeof(line), " Conflict: %s changed on the server.",
			 a->target_name);
		draw_text(y + 1, x, line, dw, a->attrs[TS_DIALOG] | A_BOLD, 0);
		snprintf(line, sizeof(line), " Re-edit the latest version? y/enter: re-edit  n/esc: drop");
	}
	draw_text(y + 3, x, line, dw, a->attrs[TS_DIALOG], 0);
}

static void draw_bottom(struct app *a, int h, int w)
{
	int dialog = a->modal == MODAL_DELETE || a->modal == MODAL_REEDIT ||
		     a->modal == MODAL_UNDO;

	if (dialog)
		draw_dialog(a, h, w);
	if (a->modal != MODAL_NONE && !dialog) {
		const char *p = modal_prompt(a);
		int x = draw_text(h - 1, 0, p, w, a->attrs[TS_PROMPT], 0);

		draw_text(h - 1, x, a->input, w - x, a->attrs[TS_PROMPT], 1);
		move(h - 1, x + draw_width(a->input));
		return;
	} else if (a->flash[0] && app_now_ms() < a->flash_until) {
		draw_text(h - 1, 0, a->flash, w,
			  a->attrs[a->flash_err ? TS_ERROR : TS_FLASH], 1);
	} else {
		draw_fill(h - 1, 0, w, a->attrs[TS_DEFAULT]);
	}
}

void app_draw(struct app *a)
{
	int h, w;
	struct view *v = app_top(a);

	getmaxyx(stdscr, h, w);
	if (h < 6 || w < 20) {
		erase();
		draw_text(0, 0, "terminal too small", w, A_BOLD, 0);
		refresh();
		return;
	}
	a->src->ops->info(a->src, &a->info);
	draw_header(a, w);
	draw_hints(a, w);
	if (!a->info.reachable) {
		char b[512];

		snprintf(b, sizeof(b), " cluster unreachable: %s (retrying) ", a->info.why);
		draw_text(2, 0, b, w, a->attrs[TS_BANNER], 1);
	} else {
		draw_fill(2, 0, w, a->attrs[TS_DEFAULT]);
	}
	v->cls->draw(v, a, 3, h - 5, w);
	draw_crumbs(a, h - 2, w);
	draw_bottom(a, h, w);
	refresh();
}

/* ----------------------------------------------------------- commands */

static void show_contexts(struct app *a)
{
	struct vec v = VEC_INIT;
	struct buf b = BUF_INIT;

	a->src->ops->contexts(a->src, &v);
	for (size_t i = 0; i < v.len; i++)
		buf_printf(&b, "%s %s\n", strcmp(v.items[i], a->info.context) ? " " : "*",
			   (char *)v.items[i]);
	if (!v.len)
		buf_adds(&b, "(no contexts)\n");
	app_push(a, view_text_new(a, "contexts", buf_cstr(&b), TEXT_PLAIN));
	buf_free(&b);
	vec_free(&v, free);
}

/*
 * Views hold watches of the current source: close them all, swap the
 * source if the context needs a new one, and start again on pods in the
 * context's namespace.
 */
static void switch_context(struct app *a, const char *ctx)
{
	struct err e;
	struct src *s;

	pf_stop_all();	/* forwards hold the old client */
	s = a->src->ops->switch_context(a->src, ctx, &e);
	if (!s) {
		app_flash_err(a, &e);
		return;
	}
	a->modal = MODAL_NONE;
	a->disc_cmd[0] = '\0';
	app_close_all(a);
	usage_reset(a);		/* its Nodes watch belongs to the old source */
	if (s != a->src) {
		src_client_abandon_streams(a->src);
		shell_wait_detached();	/* closed shells still use the client */
		a->src->ops->free(a->src);
		a->src = s;
	}
	a->src->ops->info(a->src, &a->info);
	app_context_config(a, a->info.context);
	snprintf(a->ns, sizeof(a->ns), "%s", a->info.ns);
	if (app_open_kind(a, src_kind(a->src, "pods") ? "pods" : "namespaces") < 0)
		app_push(a, view_text_new(a, "empty", "No resource kinds.\n", TEXT_PLAIN));
	app_flash(a, 0, "context: %s", ctx);
}

static void theme_switch(struct app *a, const char *name)
{
	char path[1024];
	struct err e;
	struct theme t;

	if (theme_find(name, path, sizeof(path), &e) < 0 ||
	    theme_load(&t, path, &e) < 0) {
		app_flash_err(a, &e);
		return;
	}
	a->theme = t;
	app_apply_theme(a);
	clear();
	app_flash(a, 0, "theme: %s", t.name);
}

static void can_shown(void *arg, const struct err *e, const char *text)
{
	struct app *a = arg;

	if (e->code != ERR_OK) {
		app_flash_err(a, e);
		return;
	}
	app_push(a, view_text_new(a, "can-i", text, TEXT_PLAIN));
}

/* `:can [SPEC]`: the can-i matrix in the current namespace. */
static void can_i(struct app *a, const char *spec)
{
	if (!a->src->ops->can_i) {
		app_flash(a, 1, "can: this source has no RBAC to ask");
		return;
	}
	app_flash(a, 0, "asking the server what %s may do...",
		  spec[0] ? spec : "you");
	a->src->ops->can_i(a->src, a->ns, spec, can_shown, a);
}

static void exec_command(struct app *a, const char *line);

static void run_command(struct app *a, const char *line)
{
	history_add(&a->cmd_hist, line);
	exec_command(a, line);
}

/* A command deferred while discovery ran: now that it has answered. */
static void retry_disc_cmd(struct app *a)
{
	char line[sizeof(a->disc_cmd)];

	if (!a->disc_cmd[0])
		return;
	a->src->ops->info(a->src, &a->info);
	if (a->info.discovering)
		return;
	memcpy(line, a->disc_cmd, sizeof(line));
	a->disc_cmd[0] = '\0';
	exec_command(a, line);
}

static void exec_command(struct app *a, const char *line)
{
	struct cmd_result r;

	if (!strcmp(line, "pf") || !strcmp(line, "portforwards")) {
		app_push(a, view_pf_new(a));
		return;
	}
	cmdline_parse(line, a->src->ops->kinds(a->src), &r);
	switch (r.kind) {
	case CMD_NONE: break;
	case CMD_QUIT: a->running = 0; break;
	case CMD_NS:
		if (r.arg[0])
			app_set_ns(a, strcmp(r.arg, "all") ? r.arg : "");
		else
			app_open_kind(a, "namespaces");
		break;
	case CMD_CTX:
		if (!r.arg[0])
			show_contexts(a);
		else
			switch_context(a, r.arg);
		break;
	case CMD_EVENTS: app_open_kind(a, "events"); break;
	case CMD_HELP: app_push(a, view_help_new(a, app_top(a))); break;
	case CMD_THEME: theme_switch(a, r.arg[0] ? r.arg : "default"); break;
	case CMD_CAN: can_i(a, r.arg); break;
	case CMD_OVERVIEW: app_push(a, view_overview_new(a)); break;
	case CMD_HELM: app_push(a, view_helm_new(a)); break;
	case CMD_WHO: {
		struct view *w = view_whocan_new(a, r.rest);

		if (w)
			app_push(a, w);
		break;
	}
	case CMD_KIND:
		if (r.arg[0])
			app_set_ns(a, r.arg);
		app_open_kind(a, r.ki->plural);
		break;
	case CMD_UNKNOWN:
		if (a->info.discovering) {	/* the kind may be coming */
			snprintf(a->disc_cmd, sizeof(a->disc_cmd), "%s", line);
			app_flash(a, 0, "\"%s\": waiting for discovery of %s", r.arg,
				  a->info.cluster);
			break;
		}
		app_flash(a, 1, "unknown command or resource \"%s\"", r.arg);
		break;
	}
}

/* ------------------------------------------------------------- modal */

static void modal_finish(struct app *a, int accepted)
{
	enum modal_kind kind = a->modal;

	a->modal = MODAL_NONE;
	a->last_modal = kind;
	curs_set(0);
	if (kind == MODAL_COMMAND) {
		if (accepted)
			run_command(a, a->input);
	} else if (kind == MODAL_TAIL) {
		if (accepted && a->modal_view)
			view_logs_tail(a->modal_view, a, a->input);
	} else if (kind == MODAL_FILTER || kind == MODAL_SEARCH) {
		struct view *v = a->modal_view;

		if (accepted)
			history_add(&a->filter_hist, a->input);
		if (v && v->cls->filter)
			v->cls->filter(v, a, accepted ? a->input : NULL);
	} else {
		action_modal_done(a, kind, accepted);
	}
}

static void input_set(struct app *a, const char *s)
{
	snprintf(a->input, sizeof(a->input), "%s", s ? s : "");
	a->input_len = strlen(a->input);
}

static void modal_key(struct app *a, int key)
{
	struct history *h = a->modal == MODAL_COMMAND ? &a->cmd_hist : &a->filter_hist;

	if (a->modal == MODAL_DELETE || a->modal == MODAL_REEDIT || a->modal == MODAL_UNDO) {
		if (key == '\t')
			a->choice = (a->choice + 1) % 3;
		else if (key == 'y' || key == 'Y' || key == '\n' || key == KEY_ENTER)
			modal_finish(a, 1);
		else if (key == 'n' || key == 'N' || key == TUI_KEY_ESC)
			modal_finish(a, 0);
		return;
	}
	if (key == '\n' || key == KEY_ENTER) {
		modal_finish(a, 1);
	} else if (key == TUI_KEY_ESC) {
		modal_finish(a, 0);
	} else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		while (a->input_len && (a->input[a->input_len - 1] & 0xc0) == 0x80)
			a->input_len--;
		if (a->input_len)
			a->input[--a->input_len] = '\0';
	} else if (key == 21) {	/* ctrl-u: clear the line */
		input_set(a, "");
	} else if (key == KEY_UP) {
		const char *p = history_prev(h);

		if (p)
			input_set(a, p);
	} else if (key == KEY_DOWN) {
		input_set(a, history_next(h));
	} else if (key == '\t' && a->modal == MODAL_COMMAND) {
		char *c = cmdline_complete(a->input, a->src->ops->kinds(a->src));

		if (c)
			input_set(a, c);
		free(c);
	} else if (key >= 0x20 && key < 0x100 && a->input_len + 1 < sizeof(a->input)) {
		a->input[a->input_len++] = (char)key;
		a->input[a->input_len] = '\0';
	}
}

/* --------------------------------------------------------------- keys */

static void global_key(struct app *a, enum act act)
{
	switch (act) {
	case ACT_QUIT: a->running = 0; break;
	case ACT_BACK: case ACT_HIST_BACK: app_back(a); break;
	case ACT_FORWARD: app_forward(a); break;
	case ACT_HELP: app_push(a, view_help_new(a, app_top(a))); break;
	case ACT_COMMAND: app_modal(a, MODAL_COMMAND, app_top(a), ""); break;
	case ACT_REFRESH: clear(); break;
	default: break;
	}
}

static void mouse_event(struct app *a)
{
	MEVENT me;
	struct view *v = app_top(a);

	if (getmouse(&me) != OK || !v->cls->click)
		return;
	if (me.bstate & BUTTON4_PRESSED)
		v->cls->click(v, a, -1, -1);
	else if (me.bstate & BUTTON5_PRESSED)
		v->cls->click(v, a, -1, 1);
	else if (me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED) && me.y >= 3)
		v->cls->click(v, a, me.y - 3, 0);
}

static void handle_key(struct app *a, int key)
{
	struct view *v = app_top(a);
	enum act act;

	if (key == KEY_RESIZE) {
		clear();
		return;
	}
	if (key == KEY_MOUSE) {
		mouse_event(a);
		return;
	}
	if (a->modal != MODAL_NONE) {
		modal_key(a, key);
		return;
	}
	if (v->cls->acts)
		act = keymap_lookup_in(a->km, key, v->cls->acts(v),
				       v->cls->scope == SCOPE_SHELL);
	else
		act = keymap_lookup(a->km, key, v->cls->scope);
	if (act != ACT_NONE && act_table[act].mutating && a->readonly) {
		app_flash(a, 1, "read-only mode: %s is disabled", act_table[act].name);
		return;
	}
	switch (v->cls->key(v, a, act == ACT_HIST_BACK ? ACT_BACK : act, key)) {
	case VIEW_HANDLED: return;
	case VIEW_CLOSE:
		if (act == ACT_BACK || act == ACT_HIST_BACK)
			app_back(a);
		else
			app_pop(a);
		return;
	case VIEW_IGNORED: global_key(a, act); return;
	}
}

/* The top view's stream fd is readable: let it read. */
static void view_ready(struct app *a, struct view *v)
{
	if (v->cls->ready(v, a) == VIEW_CLOSE && app_top(a) == v)
		app_pop(a);
}

#define APP_FRAME_MS 40
#define APP_TICK_MS 250

static long long us_now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* The benchmark trace after a draw (see the top of the file). */
static void trace_drawn(struct app *a, FILE *tr, long long key_at)
{
	size_t rows;

	if (key_at) {
		fprintf(tr, "key %lld\n", us_now(CLOCK_MONOTONIC) - key_at);
		fflush(tr);
	}
	if (!a->traced_first && view_table_ready(app_top(a), &rows)) {
		a->traced_first = 1;
		fprintf(tr, "first_screen %lld %zu\n", us_now(CLOCK_REALTIME) / 1000, rows);
		fflush(tr);
	}
}

/* Keys waiting on stdin, handled; the time the first was read, or 0. */
static long long read_keys(struct app *a)
{
	long long at = 0;
	int key;

	while (a->running && (key = getch()) != ERR) {
		if (!at)
			at = us_now(CLOCK_MONOTONIC);
		handle_key(a, key);
	}
	return at;
}

/* How long poll may sleep: until the next tick, or the end of the
 * current frame when the screen is stale. */
static int poll_wait(long now, long ticked, long drawn, int stale)
{
	long wait = APP_TICK_MS - (now - ticked);

	if (stale && APP_FRAME_MS - (now - drawn) < wait)
		wait = APP_FRAME_MS - (now - drawn);
	return wait < 0 ? 0 : (int)wait;
}

int app_run(struct app *a)
{
	const char *trace = getenv("KDECK_TRACE");
	FILE *tr = trace && *trace ? fopen(trace, "ae") : NULL;
	long long key_at = 0;
	long drawn = 0, ticked = app_now_ms();
	int stale = 1, urgent = 1, rc = 0;
	struct pollfd pf[3];

	a->running = 1;
	while (a->running) {
		struct view *top = app_top(a);
		long now = app_now_ms();

		if (now - ticked >= APP_TICK_MS || now < ticked) {
			a->tick++;		/* spinner, flash expiry */
			ticked = now;
			usage_tick(a, now);
			stale = 1;
		}
		if (stale && (urgent || now - drawn >= APP_FRAME_MS || now < drawn)) {
			app_draw(a);
			if (tr)
				trace_drawn(a, tr, key_at);
			drawn = now;
			stale = urgent = 0;
			key_at = 0;
		}
		pf[0] = (struct pollfd){ .fd = 0, .events = POLLIN };
		pf[1] = (struct pollfd){ .fd = a->src->ops->fd(a->src), .events = POLLIN };
		pf[2] = (struct pollfd){ .fd = top && top->cls->fd ?
					 top->cls->fd(top) : -1, .events = POLLIN };
		if (poll(pf, 3, poll_wait(now, ticked, drawn, stale)) < 0 && errno != EINTR) {
			rc = -1;
			break;
		}
		if (pf[1].revents & POLLIN) {
			a->src->ops->drain(a->src);
			retry_disc_cmd(a);
			stale = 1;
		}
		if (pf[2].revents && app_top(a) == top) {
			view_ready(a, top);	/* a terminal's output shows at once */
			stale = urgent = 1;
		}
		pf_poll(a);
		long long k = read_keys(a);	/* KEY_RESIZE included */

		if (k) {
			key_at = key_at ? key_at : k;
			stale = urgent = 1;
		}
	}
	if (tr)
		fclose(tr);
	return rc;
}
