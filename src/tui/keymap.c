/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keymap: which key runs which action.
 *
 * Actions are a table (act_table): name for keys.conf, one help line, the
 * view scope they belong to, whether they mutate the cluster (refused in
 * --readonly), and the k9s-like default keys.  A keymap is, per action, a
 * short list of keys; lookups scan the view's scope first and then the
 * global scope, so `/` can mean "filter" in a table and "search" in YAML.
 *
 * keys.conf (in $XDG_CONFIG_HOME/kdeck/keys.conf):
 *
 *     # comment
 *     delete = ctrl-k
 *     describe = d, enter
 *
 * Key names: a single character, ctrl-X, shift-X (= upper case), esc,
 * enter, tab, space, backspace, delete, up, down, left, right, pgup, pgdn,
 * home, end, f1..f12.  Errors are reported as "file:line: message" and a
 * file with any error changes nothing.
 */
#include "config.h"

#include <ctype.h>
#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/mem.h"
#include "tui/tui.h"

#define KEYS_PER_ACT 4

struct keymap {
	int keys[ACT__COUNT][KEYS_PER_ACT];	/* 0 = unused slot */
};

const struct act_info act_table[ACT__COUNT] = {
	[ACT_QUIT] = { "quit", "quit kdeck", SCOPE_GLOBAL, 0, "ctrl-c" },
	[ACT_BACK] = { "back", "back to the previous view", SCOPE_GLOBAL, 0, "esc q" },
	[ACT_HELP] = { "help", "this help", SCOPE_GLOBAL, 0, "?" },
	[ACT_COMMAND] = { "command", "command mode (:pods, :ns, :q)", SCOPE_GLOBAL, 0, ":" },
	[ACT_FILTER] = { "filter", "filter / search", SCOPE_GLOBAL, 0, "/" },
	[ACT_UP] = { "up", "move up", SCOPE_GLOBAL, 0, "up k" },
	[ACT_DOWN] = { "down", "move down", SCOPE_GLOBAL, 0, "down j" },
	[ACT_PGUP] = { "page_up", "page up", SCOPE_GLOBAL, 0, "pgup ctrl-b" },
	[ACT_PGDN] = { "page_down", "page down", SCOPE_GLOBAL, 0, "pgdn ctrl-f" },
	[ACT_TOP] = { "top", "first line", SCOPE_GLOBAL, 0, "home g" },
	[ACT_BOTTOM] = { "bottom", "last line", SCOPE_GLOBAL, 0, "end G" },
	[ACT_LEFT] = { "left", "column left", SCOPE_TABLE, 0, "left" },
	[ACT_RIGHT] = { "right", "column right", SCOPE_TABLE, 0, "right" },
	[ACT_ENTER] = { "enter", "open (describe)", SCOPE_TABLE, 0, "enter" },
	[ACT_DESCRIBE] = { "describe", "describe the object", SCOPE_TABLE, 0, "d" },
	[ACT_YAML] = { "yaml", "show the YAML", SCOPE_TABLE, 0, "y" },
	[ACT_EDIT] = { "edit", "edit in $EDITOR", SCOPE_TABLE, 1, "e" },
	[ACT_DELETE] = { "delete", "delete (with confirmation)", SCOPE_TABLE, 1, "ctrl-d" },
	[ACT_SCALE] = { "scale", "scale / shell on pods", SCOPE_TABLE, 1, "s" },
	[ACT_RESTART] = { "restart", "rollout restart", SCOPE_TABLE, 1, "r" },
	[ACT_LOGS] = { "logs", "logs", SCOPE_TABLE, 0, "l" },
	[ACT_SHELL] = { "shell", "shell into the pod", SCOPE_TABLE, 1, "" },
	[ACT_MARK] = { "mark", "mark / unmark the row", SCOPE_TABLE, 0, "space" },
	[ACT_CLEAR_MARKS] = { "clear_marks", "clear all marks", SCOPE_TABLE, 0, "ctrl-\\" },
	[ACT_SORT_NAME] = { "sort_name", "sort by name", SCOPE_TABLE, 0, "N" },
	[ACT_SORT_AGE] = { "sort_age", "sort by age", SCOPE_TABLE, 0, "A" },
	[ACT_SORT_NS] = { "sort_namespace", "sort by namespace", SCOPE_TABLE, 0, "P" },
	[ACT_SORT_COLUMN] = { "sort_column", "sort by the column under the cursor", SCOPE_TABLE, 0, "O" },
	[ACT_REVERSE] = { "reverse", "reverse the sort", SCOPE_TABLE, 0, "R" },
	[ACT_WIDE] = { "wide", "toggle wide columns", SCOPE_TABLE, 0, "W ctrl-w" },
	[ACT_NEXT_MATCH] = { "next_match", "next search match", SCOPE_TEXT, 0, "n" },
	[ACT_PREV_MATCH] = { "prev_match", "previous search match", SCOPE_TEXT, 0, "shift-n" },
	[ACT_REFRESH] = { "refresh", "redraw the screen", SCOPE_GLOBAL, 0, "ctrl-l" },
	[ACT_FOLLOW] = { "follow", "follow new lines (auto-scroll)", SCOPE_LOGS, 0, "f" },
	[ACT_PAUSE] = { "pause", "pause / resume updates", SCOPE_LOGS, 0, "P" },
	[ACT_WRAP] = { "wrap", "wrap long lines", SCOPE_LOGS, 0, "w" },
	[ACT_TIMESTAMPS] = { "timestamps", "show timestamps", SCOPE_LOGS, 0, "t" },
	[ACT_SAVE] = { "save", "save the log to a file", SCOPE_LOGS, 0, "ctrl-s" },
	[ACT_CONTAINER] = { "container", "pick the container", SCOPE_LOGS, 0, "c" },
	[ACT_XRAY] = { "xray", "owner tree (deploy -> rs -> pods, svc -> endpoints)", SCOPE_TABLE, 0, "x" },
	[ACT_ATTACH] = { "attach", "attach to the pod's container", SCOPE_TABLE, 1, "a" },
	[ACT_PORT_FORWARD] = { "port_forward", "port-forward the pod (:pf lists)", SCOPE_TABLE, 1, "shift-f" },
	[ACT_NS_0] = { "namespace_0", "all namespaces", SCOPE_TABLE, 0, "0" },
	[ACT_NS_1] = { "namespace_1", "favourite namespace 1", SCOPE_TABLE, 0, "1" },
	[ACT_NS_2] = { "namespace_2", "favourite namespace 2", SCOPE_TABLE, 0, "2" },
	[ACT_NS_3] = { "namespace_3", "favourite namespace 3", SCOPE_TABLE, 0, "3" },
	[ACT_NS_4] = { "namespace_4", "favourite namespace 4", SCOPE_TABLE, 0, "4" },
	[ACT_NS_5] = { "namespace_5", "favourite namespace 5", SCOPE_TABLE, 0, "5" },
	[ACT_NS_6] = { "namespace_6", "favourite namespace 6", SCOPE_TABLE, 0, "6" },
	[ACT_NS_7] = { "namespace_7", "favourite namespace 7", SCOPE_TABLE, 0, "7" },
	[ACT_NS_8] = { "namespace_8", "favourite namespace 8", SCOPE_TABLE, 0, "8" },
	[ACT_NS_9] = { "namespace_9", "favourite namespace 9", SCOPE_TABLE, 0, "9" },
	[ACT_HELM_HISTORY] = { "helm_history", "the release's revisions", SCOPE_HELM, 0, "h" },
	[ACT_HELM_VALUES] = { "helm_values", "the revision's user-supplied values", SCOPE_HELM, 0, "v" },
	[ACT_HELM_MANIFEST] = { "helm_manifest", "the revision's manifest", SCOPE_HELM, 0, "m" },
	[ACT_HELM_NOTES] = { "helm_notes", "the revision's notes", SCOPE_HELM, 0, "n" },
	[ACT_PF_STOP] = { "pf_stop", "stop the selected port-forward", SCOPE_LIST, 0, "ctrl-d" },
	[ACT_SHELL_DETACH] = { "shell_detach", "leave the shell (the process goes on for attach)", SCOPE_SHELL, 0, "ctrl-]" },
	[ACT_SHELL_SCROLL_UP] = { "shell_scroll_up", "scroll back through output", SCOPE_SHELL, 0, "shift-pgup" },
	[ACT_SHELL_SCROLL_DOWN] = { "shell_scroll_down", "scroll forward (back to live)", SCOPE_SHELL, 0, "shift-pgdn" },
	[ACT_HIST_BACK] = { "history_back", "back (like esc; ] returns)", SCOPE_GLOBAL, 0, "[" },
	[ACT_FORWARD] = { "history_forward", "forward to the view closed by back", SCOPE_GLOBAL, 0, "]" },
	[ACT_UNDO] = { "rollout_undo", "rollout undo (to the previous revision)", SCOPE_TABLE, 1, "u" },
	[ACT_HISTORY] = { "rollout_history", "rollout history (revisions)", SCOPE_TABLE, 0, "H" },
	[ACT_PREVIOUS] = { "previous", "the previous container's log", SCOPE_LOGS, 0, "p" },
	[ACT_TAIL] = { "tail", "how many lines to start with (tail N)", SCOPE_LOGS, 0, "T" },
	[ACT_SINCE_ALL] = { "since_all", "all lines (no since)", SCOPE_LOGS, 0, "0" },
	[ACT_SINCE_1M] = { "since_1m", "lines of the last minute", SCOPE_LOGS, 0, "1" },
	[ACT_SINCE_5M] = { "since_5m", "lines of the last 5 minutes", SCOPE_LOGS, 0, "2" },
	[ACT_SINCE_15M] = { "since_15m", "lines of the last 15 minutes", SCOPE_LOGS, 0, "3" },
	[ACT_SINCE_30M] = { "since_30m", "lines of the last 30 minutes", SCOPE_LOGS, 0, "4" },
	[ACT_SINCE_1H] = { "since_1h", "lines of the last hour", SCOPE_LOGS, 0, "5" },
	[ACT_ALL_CONTAINERS] = { "all_containers", "every container of the pod", SCOPE_LOGS, 0, "a" },
};

const char *const act_scope_names[SCOPE__COUNT] = {
	"global", "table", "text", "logs", "shell", "list", "helm",
};

static const struct { const char *name; int key; } named_keys[] = {
	{ "esc", TUI_KEY_ESC }, { "escape", TUI_KEY_ESC },
	{ "enter", '\n' }, { "return", '\n' }, { "tab", '\t' },
	{ "space", ' ' }, { "backspace", KEY_BACKSPACE },
	{ "delete", KEY_DC }, { "del", KEY_DC }, { "insert", KEY_IC },
	{ "up", KEY_UP }, { "down", KEY_DOWN }, { "left", KEY_LEFT },
	{ "right", KEY_RIGHT }, { "pgup", KEY_PPAGE }, { "pgdn", KEY_NPAGE },
	{ "home", KEY_HOME }, { "end", KEY_END }, { "btab", KEY_BTAB },
	{ "shift-pgup", KEY_SPREVIOUS }, { "shift-pgdn", KEY_SNEXT },
};

#define NNAMED (sizeof(named_keys) / sizeof(named_keys[0]))

int key_from_name(const char *s)
{
	size_t len = strlen(s);

	if (len == 1 && (unsigned char)s[0] >= 0x20 && (unsigned char)s[0] < 0x7f)
		return (unsigned char)s[0];
	for (size_t i = 0; i < NNAMED; i++)
		if (!strcasecmp(s, named_keys[i].name))
			return named_keys[i].key;
	if (!strncasecmp(s, "ctrl-", 5) && strlen(s + 5) == 1) {
		int c = toupper((unsigned char)s[5]);

		if (c >= '@' && c <= '_')
			return c - '@';
		return -1;
	}
	if (!strncasecmp(s, "shift-", 6) && strlen(s + 6) == 1 &&
	    isalpha((unsigned char)s[6]))
		return toupper((unsigned char)s[6]);
	if ((s[0] == 'f' || s[0] == 'F') && len >= 2 && len <= 3 &&
	    isdigit((unsigned char)s[1]) &&
	    (len == 2 || isdigit((unsigned char)s[2]))) {
		int n = atoi(s + 1);

		if (n >= 1 && n <= 12)
			return KEY_F(n);
	}
	return -1;
}

void key_to_name(int key, char *buf, size_t n)
{
	for (size_t i = 0; i < NNAMED; i++)
		if (named_keys[i].key == key) {
			snprintf(buf, n, "%s", named_keys[i].name);
			return;
		}
	if (key > 0 && key < 0x20)
		snprintf(buf, n, "ctrl-%c", tolower(key + '@'));
	else if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, n, "f%d", key - KEY_F(0));
	else if (key >= 'A' && key <= 'Z')
		snprintf(buf, n, "shift-%c", tolower(key));
	else if (key >= 0x20 && key < 0x7f)
		snprintf(buf, n, "%c", key);
	else
		snprintf(buf, n, "#%d", key);
}

/* Fill one action's slots from a space/comma separated list. */
static int bind_list(int *slots, const char *list, char *bad, size_t nbad)
{
	char tmp[256];
	char *save = NULL;
	int k = 0;

	memset(slots, 0, KEYS_PER_ACT * sizeof(int));
	snprintf(tmp, sizeof(tmp), "%s", list);
	for (char *t = strtok_r(tmp, " ,\t", &save); t;
	     t = strtok_r(NULL, " ,\t", &save)) {
		int key = key_from_name(t);

		if (key < 0 || k == KEYS_PER_ACT) {
			snprintf(bad, nbad, key < 0 ? "unknown key \"%s\""
				 : "too many keys at \"%s\" (at most 4)", t);
			return -1;
		}
		slots[k++] = key;
	}
	return 0;
}

struct keymap *keymap_new(void)
{
	struct keymap *km = xcalloc(1, sizeof(*km));
	char bad[128];

	for (int a = 0; a < ACT__COUNT; a++)
		if (bind_list(km->keys[a], act_table[a].defaults, bad,
			      sizeof(bad)) < 0)
			abort();	/* a typo in the table above */
	return km;
}

void keymap_free(struct keymap *km)
{
	free(km);
}

enum act act_by_name(const char *name)
{
	for (int a = 0; a < ACT__COUNT; a++)
		if (!strcmp(act_table[a].name, name))
			return (enum act)a;
	return ACT_NONE;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* One `action = keys` line into km; -1 with a message in bad. */
static int parse_line(struct keymap *km, char *line, char *bad, size_t nbad)
{
	char *eq = strchr(line, '=');
	char *name, *keys;
	enum act a;

	if (!eq) {
		snprintf(bad, nbad, "expected \"action = key\"");
		return -1;
	}
	*eq = '\0';
	name = trim(line);
	keys = trim(eq + 1);
	a = act_by_name(name);
	if (a == ACT_NONE) {
		snprintf(bad, nbad, "unknown action \"%s\"", name);
		return -1;
	}
	if (!strcmp(keys, "none"))
		keys = "";
	return bind_list(km->keys[a], keys, bad, nbad);
}

int keymap_parse(struct keymap *km, const char *text, size_t len,
		 const char *name, struct err *e)
{
	struct keymap tmp = *km;
	size_t lineno = 0, pos = 0;
	char line[512], bad[256];

	while (pos < len) {
		size_t n = 0;
		char *s;

		lineno++;
		while (pos < len && text[pos] != '\n') {
			if (n + 1 < sizeof(line))
				line[n++] = text[pos] ? text[pos] : ' ';
			pos++;
		}
		pos++;
		line[n] = '\0';
		if (strchr(line, '#'))
			*strchr(line, '#') = '\0';
		s = trim(line);
		if (!*s)
			continue;
		if (parse_line(&tmp, s, bad, sizeof(bad)) < 0)
			return err_set(e, ERR_PARSE, "%s:%zu: %s", name, lineno,
				       bad);
	}
	*km = tmp;
	return 0;
}

int keymap_load(struct keymap *km, const char *path, struct err *e)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	int rc;
	FILE *fp = fopen(path, "re");

	if (!fp)
		return err_set(e, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO,
			       "%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	rc = keymap_parse(km, buf_cstr(&b), b.len, path, e);
	buf_free(&b);
	return rc;
}

enum act keymap_lookup(const struct keymap *km, int key, enum act_scope sc)
{
	enum act global = ACT_NONE;

	for (int a = 0; a < ACT__COUNT; a++) {
		for (int k = 0; k < KEYS_PER_ACT && km->keys[a][k]; k++) {
			if (km->keys[a][k] != key)
				continue;
			if (act_table[a].scope == sc)
				return (enum act)a;
			/* logs are text too: search keys work there */
			if (sc == SCOPE_LOGS && act_table[a].scope == SCOPE_TEXT &&
			    global == ACT_NONE)
				global = (enum act)a;
			if (act_table[a].scope == SCOPE_GLOBAL &&
			    global == ACT_NONE)
				global = (enum act)a;
		}
	}
	return global;
}

enum act keymap_lookup_in(const struct keymap *km, int key,
			  const enum act *acts, int no_global)
{
	for (size_t i = 0; acts[i] != ACT_NONE; i++)
		for (int k = 0; k < KEYS_PER_ACT && km->keys[acts[i]][k]; k++)
			if (km->keys[acts[i]][k] == key)
				return acts[i];
	if (no_global)
		return ACT_NONE;
	for (int a = 0; a < ACT__COUNT; a++)
		for (int k = 0; k < KEYS_PER_ACT && km->keys[a][k]; k++)
			if (km->keys[a][k] == key && act_table[a].scope == SCOPE_GLOBAL)
				return (enum act)a;
	return ACT_NONE;
}

void keymap_keys(const struct keymap *km, enum act a, char *buf, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int k = 0; k < KEYS_PER_ACT && km->keys[a][k] && used < n; k++) {
		char name[32];

		key_to_name(km->keys[a][k], name, sizeof(name));
		used += (size_t)snprintf(buf + used, n - used, "%s%s",
					 k ? ", " : "", name);
	}
}
