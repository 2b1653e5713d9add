/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_usernet: the rootless pod network's bookkeeping without a user
 * namespace: slirp4netns refused plainly when missing, its pid files
 * (a stale or foreign pid is never signalled, only forgotten), the
 * KDECK_NO_SLIRP switch, and usernet_in_userns agreeing with uid_map.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cluster/net/net_priv.h"
#include "common/mem.h"
#include "tests/tap.h"

static char dir[64];

static void put(const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(p);
}

static bool exists(const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	bool ok = access(p, F_OK) == 0;

	free(p);
	return ok;
}

static void test_refusals(void)
{
	const char *why = NULL;
	struct err e;
	char *p;

	err_clear(&e);
	ok(usernet_slirp_start(NULL, dir, "u1", "/nonexistent", &e) < 0 &&
	   e.code == ERR_UNAVAILABLE && strstr(e.msg, "slirp4netns"),
	   "no slirp4netns: ERR_UNAVAILABLE, says so");
	setenv("KDECK_NO_SLIRP", "1", 1);
	p = usernet_slirp_path(&why);
	ok(!p && why && strstr(why, "KDECK_NO_SLIRP"), "KDECK_NO_SLIRP: none, why");
	free(p);
	unsetenv("KDECK_NO_SLIRP");
	p = usernet_slirp_path(&why);
	ok(p || (why && *why), "a path, or why not (%s)", p ? p : why);
	free(p);
}

/* A pid file naming a process that is not slirp4netns: forgotten only. */
static void test_pid_files(void)
{
	static const struct { const char *name, *text; } cases[] = {
		{ "slirp-a.pid", NULL },	/* a live non-slirp child */
		{ "slirp-b.pid", "999999999\n" },	/* no such pid */
		{ "slirp-c.pid", "garbage" },
		{ "slirp-d.pid", "1\n" },	/* init: never */
	};
	char text[32];
	pid_t child = fork();
	int st;

	if (child == 0) {
		pause();
		_exit(0);
	}
	snprintf(text, sizeof(text), "%d\n", (int)child);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		put(cases[i].name, cases[i].text ? cases[i].text : text);
	put("slirp-a.log", "x");
	put("other.pid", "1\n");
	usernet_slirp_stop(dir, "a");
	ok(!exists("slirp-a.pid") && !exists("slirp-a.log"),
	   "stop: pid and log files removed");
	ok(kill(child, 0) == 0, "stop: a pid that is not slirp4netns is not killed");
	usernet_slirp_stop_all(dir);
	for (size_t i = 1; i < sizeof(cases) / sizeof(*cases); i++)
		ok(!exists(cases[i].name), "stop_all forgets %s", cases[i].name);
	ok(exists("other.pid"), "stop_all leaves other files alone");
	usernet_slirp_stop(dir, "missing");
	ok(1, "stopping a missing one is fine");
	kill(child, SIGKILL);
	waitpid(child, &st, 0);
}

static void test_userns(void)
{
	FILE *f = fopen("/proc/self/uid_map", "r");
	unsigned long a = 0, b = 0, c = 0;
	bool init = false;

	if (f) {
		init = fscanf(f, "%lu %lu %lu", &a, &b, &c) == 3 && a == 0 &&
		       b == 0 && c == 4294967295UL;
		fclose(f);
	}
	ok(usernet_in_userns() == !init, "in_userns agrees with uid_map");
}

int main(void)
{
	char cmd[96];

	snprintf(dir, sizeof(dir), "/tmp/kdeck-usernet-%d", (int)getpid());
	mkdir(dir, 0700);
	test_refusals();
	test_pid_files();
	test_userns();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		diag("cannot remove the test directory");
	return tap_done();
}
