/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_spdy: arbitrary bytes as the SPDY/3.1 stream a client sends
 * (frames parsed in a loop through one codec, as a session does), each
 * parsed frame serialized again through a second codec.  Must never
 * crash, leak or loop.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "cluster/spdy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spdy_codec *rx = spdy_codec_new(), *tx = spdy_codec_new();
	struct buf out = BUF_INIT;
	size_t off = 0, used;

	for (;;) {
		struct spdy_frame f;
		struct err e;

		if (spdy_parse(rx, data + off, size - off, &used, &f, &e) != 1)
			break;
		off += used;
		buf_reset(&out);
		if (f.type <= SPDY_WINDOW_UPDATE && f.type != SPDY_NOOP)
			(void)spdy_serialize(tx, &f, &out, &e);
		spdy_frame_clear(&f);
	}
	buf_free(&out);
	spdy_codec_free(rx);
	spdy_codec_free(tx);
	return 0;
}
