/* SPDX-License-Identifier: Apache-2.0 */
/* test_tablemodel: upsert/remove, natural and age sorting, filters, marks,
 * updates that keep or change the visible order (in-place vs. rebuild). */
#include "config.h"

#include <stdlib.h>

#include "tests/tap.h"
#include "tui/tui.h"

static const char *const cols[] = { "NAME", "READY", "RESTARTS", "AGE" };

static struct tm *fixture(void)
{
	static const struct { const char *ns, *name, *restarts, *age, *labels; } rows[] = {
		{ "default", "web-10", "3", "2d", "app=web,tier=front" },
		{ "default", "web-9", "12", "45m", "app=web,tier=front" },
		{ "kube-system", "dns-1", "0", "3h", "app=dns" },
		{ "default", "db-0", "1", "25h", "app=db,tier=back" },
		{ "default", "job-x", "0", "<unknown>", NULL },
	};
	struct tm *m = tm_new(cols, 4);

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *cells[4] = { rows[i].name, "1/1", rows[i].restarts,
					 rows[i].age };
		tm_upsert(m, rows[i].ns, rows[i].name, cells, rows[i].labels);
	}
	return m;
}

/* Names of the visible rows joined by spaces. */
static const char *order(struct tm *m)
{
	static char out[256];
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < tm_nvisible(m); i++)
		used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s",
					 i ? " " : "", tm_visible(m, i)->name);
	return out;
}

static void test_compare(void)
{
	static const struct { const char *a, *b; int want; } cases[] = {
		{ "pod-9", "pod-10", -1 }, { "pod-10", "pod-9", 1 },
		{ "a", "a", 0 }, { "9Mi", "12Mi", -1 }, { "Abc", "abd", -1 },
		{ "x007", "x7", -1 }, { "", "a", -1 }, { "1/1", "0/1", 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(tm_natural_cmp(cases[i].a, cases[i].b), cases[i].want,
		       "natural %s vs %s", cases[i].a, cases[i].b);

	static const struct { const char *s; long long want; } ages[] = {
		{ "45s", 45 }, { "15m", 900 }, { "3d4h", 3 * 86400 + 4 * 3600 },
		{ "2y", 2 * 365 * 86400 }, { "5m30s", 330 }, { "<unknown>", -1 },
		{ "", -1 }, { "10", -1 }, { "3x", -1 },
	};
	for (size_t i = 0; i < sizeof(ages) / sizeof(ages[0]); i++)
		is_int(tm_age_seconds(ages[i].s), ages[i].want, "age %s",
		       ages[i].s);
}

static void test_sort(void)
{
	struct tm *m = fixture();

	is_str(order(m), "web-10 web-9 dns-1 db-0 job-x", "insertion order");
	tm_set_sort(m, 0, 0);
	is_str(order(m), "db-0 dns-1 job-x web-9 web-10", "by name, natural");
	tm_set_sort(m, 0, 1);
	is_str(order(m), "web-10 web-9 job-x dns-1 db-0", "by name, desc");
	tm_set_sort(m, 2, 1);
	is_str(order(m), "web-9 web-10 db-0 dns-1 job-x", "restarts numeric desc, stable");
	tm_set_sort(m, 3, 0);
	is_str(order(m), "job-x web-9 dns-1 db-0 web-10", "by age (unknown first)");
	tm_set_sort(m, 2, 0);
	tm_set_sort(m, 2, 1);	/* only the direction: reversed in place */
	is_str(order(m), "web-9 web-10 db-0 dns-1 job-x", "reversed in place: ties keep insertion order");
	tm_set_sort(m, 3, 1);
	tm_set_sort(m, 3, 0);
	is_str(order(m), "job-x web-9 dns-1 db-0 web-10", "age reversed in place");
	tm_set_sort(m, 9, 0);
	is_int(tm_sort_col(m), -1, "out of range column means unsorted");
	is_int(tm_col_find(m, "age"), 3, "column by name");
	is_int(tm_col(m, 3)->cmp, TM_CMP_AGE, "AGE compares as age");
	is_int(tm_col_find(m, "nope"), -1, "missing column");
	tm_free(m);
}

static void test_updates(void)
{
	struct tm *m = fixture();
	const char *cells[4] = { "web-9", "0/1", "13", "46m" };

	tm_set_sort(m, 0, 0);
	is_int((long long)tm_total(m), 5, "five rows");
	tm_upsert(m, "default", "web-9", cells, "app=web");
	is_int((long long)tm_total(m), 5, "upsert replaces");
	is_str(tm_visible(m, (size_t)tm_find_visible(m, "default", "web-9"))->cells[2],
	       "13", "cell updated");
	is_int(tm_remove(m, "default", "db-0"), 0, "remove");
	is_int(tm_remove(m, "default", "db-0"), -1, "remove twice fails");
	is_int(tm_find_visible(m, "default", "db-0"), -1, "gone");
	is_str(order(m), "dns-1 job-x web-9 web-10", "order after remove");
	tm_upsert(m, "other", "dns-1", NULL, NULL);
	is_int((long long)tm_total(m), 5, "same name in another namespace is a new row");
	is_str(tm_visible(m, (size_t)tm_find_visible(m, "other", "dns-1"))->cells[3], "", "NULL cells become empty");
	tm_clear(m);
	is_int((long long)tm_nvisible(m), 0, "clear");
	tm_free(m);
	tm_free(NULL);
}

static void test_filter(void)
{
	static const struct { const char *f; const char *want; } cases[] = {
		{ "", "web-10 web-9 dns-1 db-0 job-x" },
		{ "web", "web-10 web-9" },
		{ "WEB", "web-10 web-9" },
		{ "!web", "dns-1 db-0 job-x" },
		{ "^d", "dns-1 db-0" },
		{ "web-(9|10)$", "web-10 web-9" },
		{ "kube-system", "" },
		{ "-l app=web", "web-10 web-9" },
		{ "-l tier", "web-10 web-9 db-0" },
		{ "-l !tier", "dns-1 job-x" },
		{ "-l app in (db,dns)", "dns-1 db-0" },
		{ "-l app notin (web),tier", "db-0" },
		{ "-l app!=web", "dns-1 db-0 job-x" },
		{ "-f metadata.namespace=kube-system", "dns-1" },
		{ "-f metadata.name!=web-9,metadata.namespace==default", "web-10 db-0 job-x" },
		{ "[", "" },
		{ "12", "web-9" },
	};
	struct tm *m = fixture();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct filter *f = NULL;
		struct err e;

		if (!ok(filter_parse(cases[i].f, &f, &e) == 0, "parse \"%s\"", cases[i].f))
			continue;
		tm_set_filter(m, f);
		is_str(order(m), cases[i].want, "filter \"%s\"", cases[i].f);
		tm_set_filter(m, NULL);
		filter_free(f);
	}
	tm_free(m);
}

static void test_marks(void)
{
	struct tm *m = fixture();
	struct vec v = VEC_INIT;
	const char *cells[4] = { "db-0", "1/1", "1", "1h" };

	is_int(tm_toggle_mark(m, "default", "db-0"), 1, "mark");
	is_int(tm_toggle_mark(m, "default", "web-10"), 1, "mark another");
	is_int(tm_toggle_mark(m, "default", "nope"), -1, "mark missing row");
	is_int((long long)tm_nmarked(m), 2, "two marked");
	tm_upsert(m, "default", "db-0", cells, NULL);
	tm_marked(m, &v);
	is_int((long long)v.len, 2, "marks survive updates");
	is_str(((struct tm_row *)v.items[0])->name, "web-10", "marked in insertion order");
	vec_free(&v, NULL);
	is_int(tm_toggle_mark(m, "default", "db-0"), 0, "unmark");
	tm_remove(m, "default", "web-10");
	is_int((long long)tm_nmarked(m), 0, "removing a marked row unmarks it");
	tm_toggle_mark(m, "default", "web-9");
	tm_clear_marks(m);
	is_int((long long)tm_nmarked(m), 0, "clear marks");
	tm_free(m);
}

/* Updates after the visible list was built: the order and the found
 * indexes follow the sort cell and the filter, however the update came. */
static void test_live_updates(void)
{
	static const struct {
		const char *name, *restarts, *labels;
		const char *want;
	} steps[] = {
		/* sorted by RESTARTS: dns-1 0, job-x 0, db-0 1, web-10 3, web-9 12 */
		{ NULL, NULL, NULL, "dns-1 job-x db-0 web-10 web-9" },
		{ "db-0", "1", "app=db,tier=back", "dns-1 job-x db-0 web-10 web-9" },	/* same sort cell */
		{ "db-0", "20", "app=db,tier=back", "dns-1 job-x web-10 web-9 db-0" },	/* moves */
		{ "web-10", "3", "app=web", "dns-1 job-x web-9 db-0" },	/* leaves the filter */
		{ "web-10", "3", "app=web,tier=front", "dns-1 job-x web-10 web-9 db-0" },	/* back */
		{ "zz-new", "2", "tier=x", "dns-1 job-x zz-new web-10 web-9 db-0" },	/* added */
	};
	struct tm *m = fixture();
	struct filter *f = NULL;
	struct err e;

	filter_parse("-l tier", &f, &e);
	tm_upsert(m, "kube-system", "dns-1", (const char *const[]){ "dns-1", "1/1", "0", "3h" }, "app=dns,tier=sys");
	tm_upsert(m, "default", "job-x", (const char *const[]){ "job-x", "1/1", "0", "1m" }, "tier=batch");
	tm_set_filter(m, f);
	tm_set_sort(m, 2, 0);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (steps[i].name) {
			const char *cells[4] = { steps[i].name, "1/1", steps[i].restarts, "1h" };
			tm_upsert(m, "default", steps[i].name, cells, steps[i].labels);
		}
		is_str(order(m), steps[i].want, "step %zu: order", i);
		for (size_t k = 0; k < tm_nvisible(m); k++) {
			const struct tm_row *r = tm_visible(m, k);

			if (!is_int(tm_find_visible(m, r->ns, r->name), (long long)k,
				    "step %zu: %s found at its index", i, r->name))
				break;
		}
	}
	is_str(tm_visible(m, (size_t)tm_find_visible(m, "default", "web-10"))->labels,
	       "app=web,tier=front", "labels updated in place");
	is_int(tm_find_visible(m, "default", "nope"), -1, "unknown row not found");
	tm_free(m);
	filter_free(f);
}

int main(void)
{
	test_compare();
	test_live_updates();
	test_sort();
	test_updates();
	test_filter();
	test_marks();
	return tap_done();
}
