/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ratelimit: client-side token bucket (client-go's default is 5 qps /
 * burst 10; kdeck uses 50/100 because the dashboard lists many kinds at
 * start-up).  Pure arithmetic on a caller-given clock so it is testable;
 * the I/O thread owns the only instance of a client.
 */
#include "config.h"

#include "client/private.h"

void ratelimit_init(struct ratelimit *rl, double qps, int burst,
		    int64_t now_ns)
{
	rl->qps = qps > 0 ? qps : 50;
	rl->burst = burst > 0 ? burst : 100;
	rl->tokens = rl->burst;
	rl->last_ns = now_ns;
}

int64_t ratelimit_take(struct ratelimit *rl, int64_t now_ns)
{
	if (now_ns > rl->last_ns) {
		rl->tokens += (double)(now_ns - rl->last_ns) * rl->qps / 1e9;
		if (rl->tokens > rl->burst)
			rl->tokens = rl->burst;
		rl->last_ns = now_ns;
	}
	if (rl->tokens >= 1) {
		rl->tokens -= 1;
		return 0;
	}
	return (int64_t)((1 - rl->tokens) * 1e9 / rl->qps) + 1;
}
