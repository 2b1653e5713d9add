/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_evrec: the aggregation logic of the Event recorder as pure
 * functions with an injected clock: repeats count up, a different message
 * is a new Event, the window expires, the LRU evicts, and the tenth
 * similar message is combined.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/evrec.h"
#include "tests/tap.h"

static struct evrec_fields fields(const char *name, const char *reason,
				  const char *msg)
{
	struct evrec_fields f = {
		.component = "kubelet", .host = "n1", .kind = "Pod",
		.ns = "default", .name = name, .uid = "u1",
		.api_version = "v1", .type = "Warning", .reason = reason,
		.message = msg,
	};

	return f;
}

/* Observe one occurrence and "store" it (as a successful write would). */
static int observe(struct evrec_cache *c, const struct evrec_fields *f,
		   int64_t now, char **msg)
{
	struct evrec_decision d;
	int count;

	evrec_cache_observe(c, f, now, &d);
	count = d.count;
	if (msg)
		*msg = strdup(d.message);
	evrec_cache_stored(c, &d, cJSON_CreateObject());
	evrec_decision_done(&d);
	return count;
}

static void test_repeats(void)
{
	struct evrec_cache *c = evrec_cache_new(0);
	struct evrec_fields a = fields("p", "BackOff", "back-off"),
			    b = fields("p", "BackOff", "other"),
			    h = fields("p", "BackOff", "back-off");
	struct evrec_decision d;

	h.host = "n2";
	is_int(observe(c, &a, 100, NULL), 1, "first occurrence: count 1");
	is_int(observe(c, &a, 110, NULL), 2, "same key: count 2");
	is_int(observe(c, &b, 120, NULL), 1, "different message: new event");
	is_int(observe(c, &h, 120, NULL), 1, "different host: new event");
	is_int(observe(c, &a, 130, NULL), 3, "back to the first: count 3");
	evrec_cache_observe(c, &a, 140, &d);
	is_int(d.first, 100, "firstTimestamp kept");
	ok(d.stored != NULL, "a repeat updates the stored event");
	ok(!d.combined, "not combined");
	evrec_decision_done(&d);
	evrec_cache_free(c);
}

static void test_window(void)
{
	struct evrec_cache *c = evrec_cache_new(0);
	struct evrec_fields a = fields("p", "BackOff", "m");
	struct evrec_decision d;

	is_int(observe(c, &a, 0, NULL), 1, "window: first");
	is_int(observe(c, &a, EVREC_WINDOW_S, NULL), 2, "at the window edge");
	is_int(observe(c, &a, 2 * EVREC_WINDOW_S + 1, NULL), 1,
	       "after the window: a new event");
	/* a failed write leaves nothing stored: the next one creates */
	evrec_cache_observe(c, &a, 2 * EVREC_WINDOW_S + 2, &d);
	ok(d.stored != NULL, "stored before");
	evrec_decision_done(&d);
	evrec_cache_free(c);
}

static void test_unstored(void)
{
	struct evrec_cache *c = evrec_cache_new(0);
	struct evrec_fields a = fields("p", "BackOff", "m");
	struct evrec_decision d;

	evrec_cache_observe(c, &a, 1, &d);
	evrec_decision_done(&d);	/* the POST failed */
	evrec_cache_observe(c, &a, 2, &d);
	ok(d.stored == NULL, "nothing stored: create again");
	is_int(d.count, 1, "and count 1");
	evrec_decision_done(&d);
	evrec_cache_free(c);
}

static void test_lru(void)
{
	struct evrec_cache *c = evrec_cache_new(3);
	struct evrec_fields f[4] = {
		fields("a", "R", "m"), fields("b", "R", "m"),
		fields("c", "R", "m"), fields("d", "R", "m"),
	};

	for (int i = 0; i < 3; i++)
		observe(c, &f[i], 10, NULL);
	is_int(observe(c, &f[0], 11, NULL), 2, "a touched: count 2");
	is_int(observe(c, &f[3], 12, NULL), 1, "d added, evicts b");
	is_int(observe(c, &f[0], 13, NULL), 3, "a still cached");
	is_int(observe(c, &f[1], 14, NULL), 1, "b was evicted: new");
	evrec_cache_free(c);
}

static void test_combine(void)
{
	struct evrec_cache *c = evrec_cache_new(0);
	char m[32], *msg = NULL;
	int count = 0;

	for (int i = 1; i <= EVREC_MAX_SIMILAR - 1; i++) {
		struct evrec_fields f;

		snprintf(m, sizeof(m), "msg %d", i);
		f = fields("p", "FailedMount", m);
		count += observe(c, &f, i, NULL);
	}
	is_int(count, EVREC_MAX_SIMILAR - 1, "nine distinct: nine events");
	for (int i = 0; i < 3; i++) {
		struct evrec_fields f;

		snprintf(m, sizeof(m), "later %d", i);
		f = fields("p", "FailedMount", m);
		free(msg);
		msg = NULL;
		is_int(observe(c, &f, 20 + i, &msg), i + 1,
		       "similar #%d: combined event count", 10 + i);
	}
	is_str(msg, EVREC_COMBINED "later 2", "combined message");
	free(msg);
	{
		struct evrec_fields o = fields("p", "Other", "msg 1");

		is_int(observe(c, &o, 30, &msg), 1, "other reason: own event");
		is_str(msg, "msg 1", "not combined");
		free(msg);
	}
	evrec_cache_free(c);
	c = evrec_cache_new(0);
	for (int i = 0; i < 20; i++) {
		struct evrec_fields f = fields("q", "R", "same");

		count = observe(c, &f, i, NULL);
	}
	is_int(count, 20, "one message repeated never combines");
	evrec_cache_free(c);
}

int main(void)
{
	evrec_cache_free(NULL);
	test_repeats();
	test_window();
	test_unstored();
	test_lru();
	test_combine();
	return tap_done();
}
