/* SPDX-License-Identifier: Apache-2.0 */
/* test_keymap: key names, the k9s defaults, keys.conf parsing and errors. */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"
#include "tui/tui.h"

static void test_keys(void)
{
	static const struct { const char *s; int key; const char *name; } cases[] = {
		{ "a", 'a', "a" }, { "?", '?', "?" }, { "ctrl-d", 4, "ctrl-d" },
		{ "CTRL-D", 4, "ctrl-d" }, { "shift-n", 'N', "shift-n" },
		{ "esc", 27, "esc" }, { "enter", '\n', "enter" },
		{ "space", ' ', "space" }, { "f1", KEY_F(1), "f1" },
		{ "f12", KEY_F(12), "f12" }, { "pgdn", KEY_NPAGE, "pgdn" },
		{ "up", KEY_UP, "up" }, { "ctrl-\\", 28, "ctrl-\\" },
	};
	static const char *const bad[] = { "", "ctrl-", "ctrl-ab", "f13", "f0",
					   "shift-1", "nosuchkey", "\x01" };
	char buf[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		is_int(key_from_name(cases[i].s), cases[i].key, "parse %s", cases[i].s);
		key_to_name(cases[i].key, buf, sizeof(buf));
		is_str(buf, cases[i].name, "name of %s", cases[i].s);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(key_from_name(bad[i]), -1, "reject key \"%s\"", bad[i]);
}

static void test_defaults(void)
{
	static const struct { int key; enum act_scope sc; enum act want; } cases[] = {
		{ 'd', SCOPE_TABLE, ACT_DESCRIBE }, { 'y', SCOPE_TABLE, ACT_YAML },
		{ 4, SCOPE_TABLE, ACT_DELETE }, { 'N', SCOPE_TABLE, ACT_SORT_NAME },
		{ 'N', SCOPE_TEXT, ACT_PREV_MATCH }, { 'n', SCOPE_TEXT, ACT_NEXT_MATCH },
		{ 'A', SCOPE_TABLE, ACT_SORT_AGE }, { '/', SCOPE_TEXT, ACT_FILTER },
		{ ':', SCOPE_TABLE, ACT_COMMAND }, { 'j', SCOPE_TEXT, ACT_DOWN },
		{ '0', SCOPE_TABLE, ACT_NS_0 }, { '7', SCOPE_TABLE, ACT_NS_7 },
		{ '7', SCOPE_TEXT, ACT_NONE }, { 'd', SCOPE_TEXT, ACT_NONE },
		{ ' ', SCOPE_TABLE, ACT_MARK }, { 'l', SCOPE_TABLE, ACT_LOGS },
		{ 's', SCOPE_TABLE, ACT_SCALE }, { 27, SCOPE_LOGS, ACT_BACK },
	};
	struct keymap *km = keymap_new();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(keymap_lookup(km, cases[i].key, cases[i].sc), cases[i].want,
		       "default key %d in scope %d", cases[i].key, cases[i].sc);
	for (int a = 0; a < ACT__COUNT; a++)
		ok(act_table[a].name && act_table[a].help &&
		   act_by_name(act_table[a].name) == a, "action %d named", a);
	ok(act_table[ACT_DELETE].mutating && act_table[ACT_EDIT].mutating &&
	   !act_table[ACT_YAML].mutating, "mutating flags");
	keymap_free(km);
	keymap_free(NULL);
}

static void test_parse(void)
{
	static const char good[] =
		"# my keys\n"
		"delete = ctrl-k   # not ctrl-d\n"
		"\n"
		"describe = d, enter\n"
		"  yaml=Y\n"
		"logs = none\n";
	struct keymap *km = keymap_new();
	struct err e;
	char buf[64];

	is_int(keymap_parse(km, good, strlen(good), "keys.conf", &e), 0, "parse good");
	is_int(keymap_lookup(km, 11, SCOPE_TABLE), ACT_DELETE, "ctrl-k deletes");
	is_int(keymap_lookup(km, 4, SCOPE_TABLE), ACT_NONE, "ctrl-d no longer bound");
	is_int(keymap_lookup(km, 'Y', SCOPE_TABLE), ACT_YAML, "Y is yaml");
	is_int(keymap_lookup(km, 'l', SCOPE_TABLE), ACT_NONE, "logs unbound");
	keymap_keys(km, ACT_DESCRIBE, buf, sizeof(buf));
	is_str(buf, "d, enter", "keys listed for help");

	static const struct { const char *text, *msg; } bad[] = {
		{ "delete ctrl-k\n", "k.conf:1: expected \"action = key\"" },
		{ "\n\nnosuch = x\n", "k.conf:3: unknown action \"nosuch\"" },
		{ "quit = ctrl-\n", "k.conf:1: unknown key \"ctrl-\"" },
		{ "up = a b c d e\n", "k.conf:1: too many keys at \"e\" (at most 4)" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		is_int(keymap_parse(km, bad[i].text, strlen(bad[i].text), "k.conf", &e),
		       -1, "reject bad %zu", i);
		is_str(e.msg, bad[i].msg, "message %zu", i);
	}
	is_int(keymap_lookup(km, 11, SCOPE_TABLE), ACT_DELETE, "failed parse changes nothing");
	is_int(keymap_load(km, "/nonexistent/keys.conf", &e), -1, "missing file");
	is_int(e.code, ERR_NOT_FOUND, "missing file is NOT_FOUND");
	keymap_free(km);
}

int main(void)
{
	test_keys();
	test_defaults();
	test_parse();
	return tap_done();
}
