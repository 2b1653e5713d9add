/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sbring: a bounded ring of text lines, the shell view's scrollback.
 *
 * libvterm hands every line that scrolls off the top of the screen to
 * sb_pushline; the shell keeps the newest SB_RING_CAP of them as UTF-8
 * text (colours are not kept).  Pure: no terminal, unit-tested.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "tui/tui.h"

void sb_ring_init(struct sb_ring *r, size_t cap)
{
	memset(r, 0, sizeof(*r));
	r->cap = cap ? cap : 1;
	r->line = xcalloc(r->cap, sizeof(char *));
}

void sb_ring_done(struct sb_ring *r)
{
	if (!r->line)
		return;
	for (size_t i = 0; i < r->cap; i++)
		free(r->line[i]);
	free(r->line);
	r->line = NULL;
	r->len = r->head = 0;
}

void sb_ring_push(struct sb_ring *r, const char *text)
{
	size_t slot = (r->head + r->len) % r->cap;

	if (r->len == r->cap) {		/* full: the oldest goes */
		slot = r->head;
		r->head = (r->head + 1) % r->cap;
	} else {
		r->len++;
	}
	free(r->line[slot]);
	r->line[slot] = xstrdup(text);
}

const char *sb_ring_get(const struct sb_ring *r, size_t i)
{
	if (i >= r->len)
		return NULL;
	return r->line[(r->head + i) % r->cap];
}
