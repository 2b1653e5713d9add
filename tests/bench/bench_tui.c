/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_tui: dashboard figures with many rows.
 *   - table model: upsert N rows, sort by name / age, filter
 *   - time to first full screen: fixture source with N pods, watch,
 *     drain, first draw (ncurses writing to /dev/null)
 *   - redraw latency: mean and worst of 200 redraws while moving the
 *     selection; sorting and filtering included when they change
 *   - peak RSS
 * Prints figures only; never fails on timing.
 */
#include "config.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "common/mem.h"
#include "tui/tui.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void bench_model(size_t n)
{
	static const char *const cols[] = { "NAME", "READY", "STATUS", "RESTARTS", "AGE" };
	struct tm *m = tm_new(cols, 5);
	struct filter *f = NULL;
	struct err e;
	double t0 = now_ms(), t1, t2, t3, t4;
	size_t matched;

	for (size_t i = 0; i < n; i++) {
		char name[64], restarts[16], age[16];
		const char *cells[5] = { name, "1/1", "Running", restarts, age };

		snprintf(name, sizeof(name), "pod-%zu", (i * 7919) % n);
		snprintf(restarts, sizeof(restarts), "%zu", i % 13);
		snprintf(age, sizeof(age), "%zud%zuh", i % 30, i % 24);
		tm_upsert(m, "default", name, cells, "app=web");
	}
	t1 = now_ms();
	tm_set_sort(m, 0, 0);
	tm_nvisible(m);
	t2 = now_ms();
	tm_set_sort(m, 4, 1);
	tm_nvisible(m);
	t3 = now_ms();
	filter_parse("pod-1.*7", &f, &e);
	tm_set_filter(m, f);
	matched = tm_nvisible(m);
	t4 = now_ms();
	printf("model %7zu rows: upsert %8.1f ms, sort name %7.1f ms, sort age %7.1f ms, "
	       "regex filter %7.1f ms (%zu match)\n", n, t1 - t0, t2 - t1, t3 - t2,
	       t4 - t3, matched);
	tm_free(m);
	filter_free(f);
}

static void write_fixture(const char *path, size_t n)
{
	FILE *fp = fopen(path, "w");

	fprintf(fp, "{\"kinds\":[{\"plural\":\"pods\",\"singular\":\"pod\",\"kind\":\"Pod\","
		    "\"columns\":[\"NAME\",\"READY\",\"STATUS\",\"RESTARTS\",\"AGE\"]}],\"objects\":[");
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "%s{\"resource\":\"pods\",\"namespace\":\"default\",\"name\":\"pod-%zu\","
			"\"cells\":[\"pod-%zu\",\"1/1\",\"Running\",\"%zu\",\"%zum\"]}",
			i ? "," : "", i, i, i % 7, i % 60);
	fprintf(fp, "]}\n");
	fclose(fp);
}

static void bench_screen(size_t n)
{
	char path[] = "/tmp/kdeck-bench-XXXXXX";
	int fd = mkstemp(path);
	struct app a;
	struct err e;
	double t0, t1, worst = 0, total = 0;
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr;

	close(fd);
	write_fixture(path, n);
	memset(&a, 0, sizeof(a));
	theme_default(&a.theme);
	a.km = keymap_new();
	history_init(&a.cmd_hist, 10);
	history_init(&a.filter_hist, 10);
	t0 = now_ms();
	if (src_fixture_new(path, &a.src, &e) < 0) {
		printf("fixture: %s\n", e.msg);
		return;
	}
	scr = newterm("xterm-256color", out, in);
	set_term(scr);
	resizeterm(50, 160);
	app_apply_theme(&a);
	snprintf(a.ns, sizeof(a.ns), "default");
	app_open_kind(&a, "pods");
	while (view_table_selected(app_top(&a)) == NULL)
		a.src->ops->drain(a.src);
	app_draw(&a);
	t1 = now_ms();
	for (int i = 0; i < 200; i++) {
		double s = now_ms(), d;
		struct view *v = app_top(&a);

		v->cls->key(v, &a, i % 50 == 49 ? ACT_SORT_NAME : ACT_DOWN, 0);
		app_draw(&a);
		d = now_ms() - s;
		total += d;
		if (d > worst)
			worst = d;
	}
	printf("screen %6zu rows: first full screen %8.1f ms, redraw mean %6.2f ms, worst %6.2f ms\n",
	       n, t1 - t0, total / 200, worst);
	while (a.views.len) {
		struct view *v = vec_pop(&a.views);

		v->cls->free(v);
	}
	vec_free(&a.views, NULL);
	a.src->ops->free(a.src);
	keymap_free(a.km);
	history_done(&a.cmd_hist);
	history_done(&a.filter_hist);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	unlink(path);
}

int main(void)
{
	struct rusage ru;

	setlocale(LC_ALL, "");
	bench_model(1000);
	bench_model(10000);
	bench_model(100000);
	bench_screen(1000);
	bench_screen(10000);
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS %ld KiB\n", ru.ru_maxrss);
	return 0;
}
