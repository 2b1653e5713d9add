/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_filter: the two prompts of the dashboard: `/` filters (parse
 * errors, selectors) and the `:` command line (kinds, builtins,
 * completion, history).
 */
#include "config.h"

#include <stdlib.h>

#include "tests/tap.h"
#include "tui/tui.h"

static void test_parse_errors(void)
{
	static const char *const bad[] = {
		"-l a b", "-l =x", "-l !a=b", "-l a in b", "-l a>3",
		"-f spec.nodeName=x", "-f metadata.name", "-l a in (b",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct filter *f = (struct filter *)1;
		struct err e;

		err_clear(&e);
		is_int(filter_parse(bad[i], &f, &e), -1, "reject \"%s\"", bad[i]);
		ok(e.code == ERR_PARSE && e.msg[0], "parse error message: %s", e.msg);
		ok(f == (struct filter *)1, "out untouched on error");
	}
}

static void test_labels(void)
{
	static const struct { const char *sel, *labels; int want; } cases[] = {
		{ "", "a=b", 1 }, { "a=b", "a=b", 1 }, { "a=b", "a=c", 0 },
		{ "a==b", "x=y,a=b", 1 }, { "a!=b", "", 1 }, { "a", "", 0 },
		{ "!a", "", 1 }, { "a in (x, y)", "a=y", 1 },
		{ "a notin (x,y)", "a=z", 1 }, { "a,b=2", "a=1,b=2", 1 },
		{ "app.kubernetes.io/name=web", "app.kubernetes.io/name=web", 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(filter_labels_match(cases[i].sel, cases[i].labels, NULL),
		       cases[i].want, "labels \"%s\" on \"%s\"", cases[i].sel,
		       cases[i].labels);
	is_int(filter_match(NULL, NULL, 0, NULL, NULL, "x"), 1, "NULL filter matches");
}

static struct vec kinds(void)
{
	struct vec v = VEC_INIT;

	vec_push(&v, kind_info_new("pods", "pod", "Pod", "", "po", 1, 0));
	vec_push(&v, kind_info_new("deployments", "deployment", "Deployment",
				   "apps", "deploy", 1, 1));
	vec_push(&v, kind_info_new("namespaces", "namespace", "Namespace", "",
				   "ns", 0, 0));
	vec_push(&v, kind_info_new("crontabs", "crontab", "CronTab",
				   "stable.example.com", "ct", 1, 0));
	vec_push(&v, kind_info_new("persistentvolumeclaims",
				   "persistentvolumeclaim",
				   "PersistentVolumeClaim", "", "pvc", 1, 0));
	vec_push(&v, kind_info_new("persistentvolumes", "persistentvolume",
				   "PersistentVolume", "", "pv", 0, 0));
	return v;
}

static void test_cmdline(void)
{
	static const struct { const char *line; enum cmd_kind kind; const char *arg, *plural; } cases[] = {
		{ "q", CMD_QUIT, "", NULL }, { "quit", CMD_QUIT, "", NULL },
		{ "  ", CMD_NONE, "", NULL },
		{ "ns", CMD_NS, "", NULL }, { "ns kube-system", CMD_NS, "kube-system", NULL },
		{ "ctx kind-dev", CMD_CTX, "kind-dev", NULL },
		{ "events", CMD_EVENTS, "", NULL },
		{ "theme light", CMD_THEME, "light", NULL },
		{ "pods", CMD_KIND, "", "pods" }, { "po", CMD_KIND, "", "pods" },
		{ "Pod", CMD_KIND, "", "pods" }, { "pod default", CMD_KIND, "default", "pods" },
		{ "deploy", CMD_KIND, "", "deployments" },
		{ "ct", CMD_KIND, "", "crontabs" },
		{ "crontabs.stable.example.com", CMD_KIND, "", "crontabs" },
		{ "pvc", CMD_KIND, "", "persistentvolumeclaims" },
		{ "bogus", CMD_UNKNOWN, "bogus", NULL },
	};
	struct vec v = kinds();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cmd_result r;

		cmdline_parse(cases[i].line, &v, &r);
		is_int(r.kind, cases[i].kind, "\":%s\" kind", cases[i].line);
		is_str(r.arg, cases[i].arg, "\":%s\" arg", cases[i].line);
		is_str(r.ki ? r.ki->plural : NULL, cases[i].plural, "\":%s\" resource", cases[i].line);
	}

	static const struct { const char *prefix, *want; } comp[] = {
		{ "dep", "deployments" }, { "per", "persistentvolume" },
		{ "persistentvolumec", "persistentvolumeclaims" }, { "zz", NULL },
		{ "", NULL }, { "na", "namespaces" }, { "e", "events" }, { "pods x", NULL },
	};
	for (size_t i = 0; i < sizeof(comp) / sizeof(comp[0]); i++) {
		char *got = cmdline_complete(comp[i].prefix, &v);

		is_str(got, comp[i].want, "complete \"%s\"", comp[i].prefix);
		free(got);
	}
	vec_free(&v, kind_info_free);
}

static void test_history(void)
{
	struct history h;

	history_init(&h, 3);
	is_str(history_prev(&h), NULL, "empty history");
	history_add(&h, "pods");
	history_add(&h, "pods");
	history_add(&h, "ns");
	history_add(&h, "");
	history_add(&h, "deploy");
	history_add(&h, "svc");
	is_int((long long)h.items.len, 3, "capped, duplicates collapsed");
	is_str(history_prev(&h), "svc", "prev 1");
	is_str(history_prev(&h), "deploy", "prev 2");
	is_str(history_prev(&h), "ns", "prev 3");
	is_str(history_prev(&h), NULL, "oldest");
	is_str(history_next(&h), "deploy", "next");
	is_str(history_next(&h), "svc", "next 2");
	is_str(history_next(&h), NULL, "back to the empty line");
	history_done(&h);
}

/* Plain-string patterns take the fast path; the answers are the regex's. */
static void test_literal(void)
{
	static const struct { const char *pat; int want, lit; } cases[] = {
		{ "web-1$", 0, 1 }, { "web-10$", 1, 1 }, { "^WEB-10$", 1, 1 },
		{ "^web", 1, 1 }, { "unn", 1, 1 }, { "ing$", 1, 1 }, { "^ing", 0, 1 },
		{ "^$", 0, 1 }, { "$", 1, 1 }, { "web-1.", 1, 0 }, { "a|unn", 1, 0 },
		{ "!web", 0, 1 }, { "^web-10x$", 0, 1 },
	};
	const char *cells[] = { "web-10", "Running" };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct filter *f = NULL;
		struct err e;

		if (filter_parse(cases[i].pat, &f, &e) < 0) {
			ok(0, "parse %s", cases[i].pat);
			continue;
		}
		is_int(f->lit != NULL, cases[i].lit, "\"%s\" literal or not", cases[i].pat);
		is_int(filter_match(f, cells, 2, NULL, "default", "web-10"), cases[i].want,
		       "\"%s\" on web-10 Running", cases[i].pat);
		filter_free(f);
	}
}

int main(void)
{
	test_literal();
	test_parse_errors();
	test_labels();
	test_cmdline();
	test_history();
	return tap_done();
}
