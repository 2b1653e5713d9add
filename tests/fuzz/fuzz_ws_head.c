/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_ws_head: the WebSocket upgrade answer parser and its decision on
 * arbitrary bytes, plus the exec status decoder.  Invariants: a head
 * found complete is found again, identically, from any longer prefix;
 * a shorter prefix never parses complete; the decision never reads past
 * what it was given.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client/stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_decision(const char *p, size_t n, const struct ws_head *h)
{
	static const char *const protos[] = { "v5.channel.k8s.io",
					      "v4.channel.k8s.io", NULL };
	struct err e = { 0 };
	int chosen = -1;

	if (ws_head_check(h, "dGhlIHNhbXBsZSBub25jZQ==", protos,
			  p + h->head_len, n - h->head_len, &chosen, &e) == 0 &&
	    (chosen < 0 || chosen > 1 || h->status != 101))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *p = malloc(size ? size : 1);
	struct ws_head h, h2;
	struct err e = { 0 };
	int code;

	memcpy(p, data, size);
	if (ws_head_parse(p, size, &h, &e) == 1) {
		if (h.head_len > size || h.head_len > WS_HEAD_MAX)
			abort();
		if (ws_head_parse(p, h.head_len, &h2, &e) != 1 ||
		    h2.status != h.status || h2.head_len != h.head_len ||
		    h2.content_length != h.content_length ||
		    h2.upgrade_ws != h.upgrade_ws ||
		    strcmp(h2.accept, h.accept) ||
		    strcmp(h2.protocol, h.protocol))
			abort();
		if (h.head_len > 0 &&
		    ws_head_parse(p, h.head_len - 1, &h2, &e) == 1)
			abort();
		check_decision(p, size, &h);
	}
	if (kexec_status_exit(p, size, &code, &e) == 0 &&
	    (code < 0 || code > 255))
		abort();
	free(p);
	return 0;
}
