/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ctrl_queue: the controllers' work queue and its per-key
 * exponential back-off (client-go's ItemExponentialFailureRateLimiter,
 * 5 ms doubling to 1000 s), on an explicit clock.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/ctrl_queue.h"
#include "tests/tap.h"

static void test_backoff_sequence(void)
{
	static const struct { int failures; int64_t ms; } tab[] = {
		{ 0, 5 }, { 1, 10 }, { 2, 20 }, { 3, 40 }, { 10, 5120 },
		{ 17, 655360 }, { 18, 1000000 }, { 40, 1000000 }, { 1000, 1000000 },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		is_int(ctrl_queue_backoff_ms(tab[i].failures), tab[i].ms,
		       "back-off after %d failures", tab[i].failures);
}

/* Pop everything due at now; returns how many, last key into out. */
static int drain(struct ctrl_queue *q, int64_t now, char *out, size_t n)
{
	char *k;
	int c = 0;

	while ((k = ctrl_queue_pop(q, now))) {
		snprintf(out, n, "%s", k);
		free(k);
		c++;
	}
	return c;
}

static void test_queue(void)
{
	struct ctrl_queue *q = ctrl_queue_new();
	char buf[64], *k;

	is_int(ctrl_queue_next_due(q), -1, "empty: nothing due");
	ok(ctrl_queue_pop(q, 100) == NULL, "empty: pop gives nothing");
	ctrl_queue_add(q, "ns/a");
	ctrl_queue_add(q, "ns/b");
	ctrl_queue_add(q, "ns/a");
	is_int((int)ctrl_queue_len(q), 2, "a key is queued once");
	k = ctrl_queue_pop(q, 100);
	is_str(k, "ns/a", "FIFO: a first");
	free(k);
	k = ctrl_queue_pop(q, 100);
	is_str(k, "ns/b", "then b");
	free(k);
	is_int((int)ctrl_queue_len(q), 0, "drained");

	ctrl_queue_add_after(q, "ns/c", 50, 100);
	is_int(ctrl_queue_next_due(q), 150, "c due at 150");
	ok(ctrl_queue_pop(q, 149) == NULL, "not before");
	ctrl_queue_add_after(q, "ns/c", 500, 100);
	is_int(ctrl_queue_next_due(q), 150, "a later due time does not postpone");
	ctrl_queue_add(q, "ns/c");
	ok(ctrl_queue_next_due(q) <= 100, "add makes it due now");
	is_int(drain(q, 100, buf, sizeof(buf)), 1, "c popped once");
	ctrl_queue_free(q);
	ctrl_queue_free(NULL);
	ok(1, "free(NULL) is a no-op");
}

static void test_rate_limited(void)
{
	struct ctrl_queue *q = ctrl_queue_new();
	int64_t now = 1000, want = 5;
	char buf[64];
	int attempts = 0;

	for (int i = 0; i < 8; i++) {
		is_int(ctrl_queue_add_rate_limited(q, "ns/rs", now), want,
		       "failure %d waits %lld ms", i + 1, (long long)want);
		is_int(ctrl_queue_requeues(q, "ns/rs"), i + 1, "requeues %d", i + 1);
		ok(ctrl_queue_pop(q, now + want - 1) == NULL, "not due early");
		now += want;
		attempts += drain(q, now, buf, sizeof(buf));
		want *= 2;
	}
	is_int(attempts, 8, "one attempt per back-off step");
	ctrl_queue_forget(q, "ns/rs");
	is_int(ctrl_queue_requeues(q, "ns/rs"), 0, "forget resets the failures");
	is_int(ctrl_queue_add_rate_limited(q, "ns/rs", now), 5,
	       "and the back-off starts over");
	is_int(ctrl_queue_add_rate_limited(q, "ns/other", now), 5,
	       "keys back off independently");
	ctrl_queue_add(q, "ns/rs");
	is_int(drain(q, now, buf, sizeof(buf)), 1,
	       "an explicit add bypasses the back-off");
	is_int(ctrl_queue_requeues(q, "ns/rs"), 1, "without forgetting failures");
	ctrl_queue_forget(q, "ns/missing");
	ok(1, "forgetting an unknown key is fine");
	ctrl_queue_free(q);
}

/* Over 60 s of failing every time: attempts grow with log2(time). */
static void test_bounded_retries(void)
{
	struct ctrl_queue *q = ctrl_queue_new();
	int64_t now = 0;
	char buf[64];
	int attempts = 0;

	ctrl_queue_add(q, "ns/rs");
	while (now <= 60000) {
		int n = drain(q, now, buf, sizeof(buf));

		attempts += n;
		if (n)
			ctrl_queue_add_rate_limited(q, "ns/rs", now);
		now++;
	}
	ok(attempts >= 12 && attempts <= 16, "60 s of failures: %d attempts",
	   attempts);
	ctrl_queue_free(q);
}

int main(void)
{
	test_backoff_sequence();
	test_queue();
	test_rate_limited();
	test_bounded_retries();
	return tap_done();
}
