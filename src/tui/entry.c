/* SPDX-License-Identifier: Apache-2.0 */
/*
 * entry: `kdeck` without a subcommand.  Parses the dashboard options,
 * reads the user's config ($XDG_CONFIG_HOME/kdeck/config and keys.conf),
 * picks the theme and the data source, sets up ncursesw and runs the app.
 *
 * Options: --context NAME, -n/--namespace NS, -A (all namespaces),
 * --readonly, --kubeconfig FILE, --theme NAME, --no-mouse,
 * --ssh USER@HOST[:PORT] (reach the API server through an SSH tunnel),
 * --fixture FILE (a JSON data source for tests and demos; also
 * $KDECK_FIXTURE).
 *
 * config (all optional):   theme = NAME
 *                          theme.CONTEXT = NAME   (per-context theme)
 *                          favourites = ns1 ns2 ...   (number keys 1-9)
 *                          mouse = on|off
 *                          log_lines = N          (log ring size)
 *                          log_tail = N           (lines a log starts with;
 *                                                  -1 all; default 100)
 *                          metrics = on|off       (header CPU/MEM)
 *                          readonly = on|off      (every context)
 *                          readonly.CONTEXT = on|off
 * readonly from the config can only add to --readonly, never lift it.
 */
#include "config.h"

#include <curses.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "common/file.h"
#include "common/mem.h"
#include "tui/shell.h"
#include "tui/tui.h"

struct opts {
	const char *context, *ns, *kubeconfig, *theme, *fixture, *ssh;
	int readonly, no_mouse, all_ns;
};

static const struct { const char *name; int has_arg; size_t off; } opt_table[] = {
	{ "--context", 1, offsetof(struct opts, context) },
	{ "--namespace", 1, offsetof(struct opts, ns) },
	{ "-n", 1, offsetof(struct opts, ns) },
	{ "--kubeconfig", 1, offsetof(struct opts, kubeconfig) },
	{ "--theme", 1, offsetof(struct opts, theme) },
	{ "--fixture", 1, offsetof(struct opts, fixture) },
	{ "--ssh", 1, offsetof(struct opts, ssh) },
	{ "--readonly", 0, offsetof(struct opts, readonly) },
	{ "--no-mouse", 0, offsetof(struct opts, no_mouse) },
	{ "-A", 0, offsetof(struct opts, all_ns) },
	{ "--all-namespaces", 0, offsetof(struct opts, all_ns) },
};

/* One option at argv[*i]; -1 on a usage error. */
static int parse_one(struct opts *o, int argc, char **argv, int *i)
{
	const char *arg = argv[*i], *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);

	for (size_t k = 0; k < sizeof(opt_table) / sizeof(opt_table[0]); k++) {
		if (strlen(opt_table[k].name) != len || strncmp(arg, opt_table[k].name, len))
			continue;
		if (!opt_table[k].has_arg) {
			*(int *)((char *)o + opt_table[k].off) = 1;
			return eq ? -1 : 0;
		}
		if (!eq && *i + 1 >= argc)
			return -1;
		*(const char **)((char *)o + opt_table[k].off) = eq ? eq + 1 : argv[++*i];
		return 0;
	}
	return -1;
}

static int parse_opts(struct opts *o, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	o->fixture = getenv("KDECK_FIXTURE");
	for (int i = 1; i < argc; i++)
		if (parse_one(o, argc, argv, &i) < 0) {
			fprintf(stderr, "kdeck: bad option \"%s\"\n"
				"usage: kdeck [--context NAME] [-n NS|-A] [--readonly] "
				"[--kubeconfig FILE] [--theme NAME] [--no-mouse] "
				"[--ssh USER@HOST[:PORT]]\n", argv[i]);
			return -1;
		}
	return 0;
}

static void config_path(char *buf, size_t n, const char *file)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg && *xdg)
		snprintf(buf, n, "%s/kdeck/%s", xdg, file);
	else
		snprintf(buf, n, "%s/.config/kdeck/%s", home ? home : "", file);
}

/* Apply one `key = value` line of the config file. */
static void config_line(struct app *a, const char *key, const char *val,
			const char *ctx, char *theme, size_t tn)
{
	char want[160], want_ro[160];

	snprintf(want, sizeof(want), "theme.%s", ctx);
	snprintf(want_ro, sizeof(want_ro), "readonly.%s", ctx);
	if (!strcmp(key, "readonly") || !strcmp(key, want_ro))
		a->readonly |= strcasecmp(val, "off") && strcmp(val, "0") &&
			       strcasecmp(val, "false") && strcasecmp(val, "no");
	else if (!strcmp(key, "theme") && !theme[0])
		snprintf(theme, tn, "%s", val);
	else if (!strcmp(key, want))
		snprintf(theme, tn, "%s", val);
	else if (!strcmp(key, "mouse"))
		a->mouse = strcasecmp(val, "off") && strcmp(val, "0");
	else if (!strcmp(key, "log_lines"))
		a->log_cap = (unsigned)strtoul(val, NULL, 10);
	else if (!strcmp(key, "metrics"))
		a->usage_off = !strcasecmp(val, "off") || !strcmp(val, "0");
	else if (!strcmp(key, "log_tail"))
		a->log_tail = strtol(val, NULL, 10);
	else if (!strcmp(key, "favourites") || !strcmp(key, "favorites")) {
		char tmp[1024], *save = NULL;
		int i = 1;

		snprintf(tmp, sizeof(tmp), "%s", val);
		for (char *t = strtok_r(tmp, " ,", &save); t && i < 10;
		     t = strtok_r(NULL, " ,", &save))
			snprintf(a->favs[i++], sizeof(a->favs[0]), "%s", t);
	}
}

/* The config file; the per-context theme wins over the plain one. */
static void read_config(struct app *a, const char *ctx, char *theme, size_t tn)
{
	char path[1024], line[1024], ctx_theme[128] = "";
	FILE *fp;

	config_path(path, sizeof(path), "config");
	fp = fopen(path, "re");
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		char key[128], val[896];

		if (line[strspn(line, " \t")] == '#' ||
		    sscanf(line, " %127[^= \t] = %895[^\n]", key, val) != 2)
			continue;
		if (!strncmp(key, "theme.", 6))
			config_line(a, key, val, ctx, ctx_theme, sizeof(ctx_theme));
		else
			config_line(a, key, val, ctx, theme, tn);
	}
	fclose(fp);
	if (ctx_theme[0])
		snprintf(theme, tn, "%s", ctx_theme);
}

static int load_theme(struct app *a, const char *name)
{
	char path[1024];
	struct err e;

	theme_default(&a->theme);
	if (!name || !*name || !strcmp(name, "default"))
		return 0;
	if (theme_find(name, path, sizeof(path), &e) < 0 ||
	    theme_load(&a->theme, path, &e) < 0) {
		fprintf(stderr, "kdeck: %s\n", e.msg);
		return -1;
	}
	return 0;
}

/*
 * After `:ctx`: the new context's settings from the config file
 * (readonly.CTX, theme.CTX).  --readonly holds in every context and
 * --theme wins over the config; favourites and recent namespaces stay.
 */
void app_context_config(struct app *a, const char *ctx)
{
	char theme[128] = "", favs[10][128], path[1024];
	struct theme t;
	struct err e;

	memcpy(favs, a->favs, sizeof(favs));
	a->readonly = a->readonly_cli;
	read_config(a, ctx, theme, sizeof(theme));
	memcpy(a->favs, favs, sizeof(favs));
	if (a->theme_cli)
		return;
	theme_default(&t);
	if (theme[0] && strcmp(theme, "default") &&
	    (theme_find(theme, path, sizeof(path), &e) < 0 ||
	     theme_load(&t, path, &e) < 0)) {
		app_flash_err(a, &e);
		return;
	}
	a->theme = t;
	app_apply_theme(a);
}

static void oom_hook(void)
{
	endwin();
	fprintf(stderr, "kdeck: out of memory\n");
}


/* `kdeck cluster up` through /proc/self/exe; 0 when it says it is up. */
static int cluster_up(void)
{
	pid_t pid;
	int status;

	fprintf(stderr, "kdeck: no kubeconfig context; starting the embedded cluster...\n");
	pid = fork();
	if (pid == 0) {
		execl("/proc/self/exe", "kdeck", "cluster", "up", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/*
 * Fixture if asked; else the kubeconfig's context through the client;
 * with no kubeconfig or context at all (and none named on the command
 * line), the embedded cluster, started if needed.  Whatever fails ends
 * in the offline source, whose banner says why.
 */
static struct src *open_source(const struct opts *o)
{
	struct src *s = NULL;
	struct err e;
	char *dir, *kc;

	if (o->fixture) {
		if (src_fixture_new(o->fixture, &s, &e) < 0) {
			fprintf(stderr, "kdeck: %s\n", e.msg);
			return NULL;
		}
		return s;
	}
	if (src_client_new(o->kubeconfig, o->context, o->ns, o->ssh, &s, &e) == 0)
		return s;
	if (e.code != ERR_NOT_FOUND || o->kubeconfig || o->context || o->ssh)
		return src_offline_new(e.msg);
	dir = file_cluster_dir();
	kc = xasprintf("%s/kubeconfig.yaml", dir);
	if (access(kc, R_OK) != 0 && cluster_up() < 0)
		err_set(&e, ERR_UNAVAILABLE, "could not start the embedded cluster (kdeck cluster up)");
	else if (src_client_new(kc, NULL, o->ns, NULL, &s, &e) == 0)
		e.code = ERR_OK;
	free(dir);
	free(kc);
	return e.code == ERR_OK ? s : src_offline_new(e.msg);
}

static void term_start(struct app *a)
{
	initscr();
	raw();		/* ctrl-c, ctrl-s reach us as keys */
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (a->mouse) {
		/* no click resolution: a press selects at once */
		mouseinterval(0);
		mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	}
	app_apply_theme(a);
}

static void app_done(struct app *a)
{
	pf_stop_all();
	app_close_all(a);
	if (a->src)
		usage_reset(a);
	vec_free(&a->views, NULL);
	vec_free(&a->fwd, NULL);
	history_done(&a->cmd_hist);
	history_done(&a->filter_hist);
	kind_info_free(a->target_kind);
	vec_free(&a->marked, free);
	free(a->undo_text);
	keymap_free(a->km);
	if (a->src)
		src_client_abandon_streams(a->src);
	shell_wait_detached();	/* closed shells still use the client */
	if (a->src)
		a->src->ops->free(a->src);
}

static int setup(struct app *a, const struct opts *o)
{
	char theme[128] = "", keys[1024];
	struct err e;

	a->readonly = a->readonly_cli = o->readonly;
	a->theme_cli = o->theme != NULL;
	a->mouse = !o->no_mouse;
	a->no_color = getenv("NO_COLOR") && *getenv("NO_COLOR");
	a->log_cap = 5000;
	a->log_tail = 100;	/* k9s's default */
	history_init(&a->cmd_hist, 100);
	history_init(&a->filter_hist, 100);
	a->km = keymap_new();
	config_path(keys, sizeof(keys), "keys.conf");
	if (keymap_load(a->km, keys, &e) < 0 && e.code != ERR_NOT_FOUND) {
		fprintf(stderr, "kdeck: %s\n", e.msg);
		return -1;
	}
	a->src = open_source(o);
	if (!a->src)
		return -1;
	a->src->ops->info(a->src, &a->info);
	/* The client source took --context when it was made. */
	if (o->context && o->fixture &&
	    !a->src->ops->switch_context(a->src, o->context, &e)) {
		fprintf(stderr, "kdeck: %s\n", e.msg);
		return -1;
	}
	read_config(a, o->context ? o->context : a->info.context, theme, sizeof(theme));
	if (o->no_mouse)
		a->mouse = 0;
	snprintf(a->ns, sizeof(a->ns), "%s", o->all_ns ? "" : o->ns ? o->ns : a->info.ns);
	return load_theme(a, o->theme ? o->theme : theme);
}

int tui_main(int argc, char **argv)
{
	struct app a;
	struct opts o;
	int rc;

	memset(&a, 0, sizeof(a));
	if (parse_opts(&o, argc, argv) < 0)
		return 2;
	setlocale(LC_ALL, "");
	mem_set_oom_hook(oom_hook);
	if (setup(&a, &o) < 0) {
		app_done(&a);
		return 1;
	}
	term_start(&a);
	if (app_open_kind(&a, src_kind(a.src, "pods") ? "pods" : "namespaces") < 0 &&
	    a.src->ops->kinds(a.src)->len)
		app_open_kind(&a, ((struct kind_info *)a.src->ops->kinds(a.src)->items[0])->plural);
	if (!a.views.len)
		app_push(&a, view_text_new(&a, "empty", "The source lists no resource kinds.\n", TEXT_PLAIN));
	rc = app_run(&a);
	endwin();
	app_done(&a);
	return rc < 0 ? 1 : 0;
}
