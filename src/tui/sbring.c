/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sbring: a bounded ring of styled text lines, the shell view's
 * scrollback.
 *
 * libvterm hands every line that scrolls off the top of the screen to
 * sb_pushline; the shell keeps the newest SB_RING_CAP of them.  A line is
 * its UTF-8 text plus runs: byte ranges of the text sharing one style, so
 * colours and attributes survive scrolling back (a coloured `ls` stays
 * coloured).  The style is an opaque 32-bit value to this module: the
 * shell packs its resolved colours and attributes into it
 * (view_shell.c); adjacent spans of one style are merged, so a plain line
 * costs one run.  One allocation per line holds the runs and the text.
 * Pure: no terminal, unit-tested.
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
	r->line = xcalloc(r->cap, sizeof(*r->line));
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
	sb_line_builder_done(&r->build);
}

/* The slot the next line goes to; a full ring drops its oldest line. */
static struct sb_line **next_slot(struct sb_ring *r)
{
	size_t slot = (r->head + r->len) % r->cap;

	if (r->len == r->cap) {
		slot = r->head;
		r->head = (r->head + 1) % r->cap;
	} else {
		r->len++;
	}
	free(r->line[slot]);
	r->line[slot] = NULL;
	return &r->line[slot];
}

void sb_ring_push_runs(struct sb_ring *r, const char *text,
		       const struct sb_run *runs, size_t nruns)
{
	size_t tlen = strlen(text), rsz = nruns * sizeof(*runs);
	struct sb_line **slot = next_slot(r);
	struct sb_line *l = xmalloc(sizeof(*l) + rsz + tlen + 1);

	l->nruns = nruns;
	l->runs = (struct sb_run *)(l + 1);
	if (rsz)
		memcpy(l->runs, runs, rsz);
	l->text = (char *)l->runs + rsz;
	memcpy(l->text, text, tlen + 1);
	*slot = l;
}

void sb_ring_push(struct sb_ring *r, const char *text)
{
	struct sb_run run = { 0, (unsigned)strlen(text), 0 };

	sb_ring_push_runs(r, text, &run, run.len ? 1 : 0);
}

const struct sb_line *sb_ring_line(const struct sb_ring *r, size_t i)
{
	if (i >= r->len)
		return NULL;
	return r->line[(r->head + i) % r->cap];
}

const char *sb_ring_get(const struct sb_ring *r, size_t i)
{
	const struct sb_line *l = sb_ring_line(r, i);

	return l ? l->text : NULL;
}

/* ------------------------------------------------------------ builder */

void sb_line_builder_reset(struct sb_line_builder *b)
{
	b->len = b->nruns = b->keep = b->keep_runs = 0;
}

void sb_line_builder_done(struct sb_line_builder *b)
{
	free(b->text);
	free(b->runs);
	memset(b, 0, sizeof(*b));
}

void sb_line_builder_add(struct sb_line_builder *b, const char *utf8,
			 size_t n, uint32_t style, int blank)
{
	struct sb_run *last = b->nruns ? &b->runs[b->nruns - 1] : NULL;

	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->text = xrealloc(b->text, b->cap);
	}
	memcpy(b->text + b->len, utf8, n);
	if (last && last->style == style && last->off + last->len == b->len) {
		last->len += (unsigned)n;
	} else {
		if (b->nruns == b->capruns) {
			b->capruns = b->capruns ? b->capruns * 2 : 8;
			b->runs = xrealloc(b->runs, b->capruns * sizeof(*b->runs));
		}
		b->runs[b->nruns++] = (struct sb_run){ (unsigned)b->len, (unsigned)n, style };
	}
	b->len += n;
	if (!blank) {
		b->keep = b->len;
		b->keep_runs = b->nruns;
	}
}

void sb_ring_push_built(struct sb_ring *r, struct sb_line_builder *b)
{
	size_t n = b->keep_runs;

	if (!b->text) {
		sb_ring_push(r, "");
		return;
	}
	b->text[b->keep] = '\0';
	if (n)		/* the last kept run ends where the text now ends */
		b->runs[n - 1].len = (unsigned)(b->keep - b->runs[n - 1].off);
	sb_ring_push_runs(r, b->text, b->runs, n);
	sb_line_builder_reset(b);
}
