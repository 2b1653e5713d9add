/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmdline: the `:` command line.
 *
 * Built-in commands are a table (name + aliases); any other first word is
 * looked up among the resource kinds discovery returned (plural, singular,
 * Kind, short names, plural.group), so CRDs work the moment discovery
 * lists them.  A second word after a kind is a namespace (`:pods kube-system`).
 * Completion and history are here too so they can be tested without a
 * terminal.  Pure functions; the UI thread calls them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/mem.h"
#include "tui/tui.h"

static const struct {
	const char *names;	/* space-separated aliases */
	enum cmd_kind kind;
} builtins[] = {
	{ "q quit q! exit", CMD_QUIT },
	{ "ns namespace namespaces", CMD_NS },
	{ "ctx context contexts", CMD_CTX },
	{ "events ev event", CMD_EVENTS },
	{ "help ?", CMD_HELP },
	{ "theme", CMD_THEME },
	{ "can can-i cani", CMD_CAN },
	{ "overview ov", CMD_OVERVIEW },
	{ "helm releases", CMD_HELM },
	{ "who who-can whocan", CMD_WHO },
};

#define NBUILTINS (sizeof(builtins) / sizeof(builtins[0]))

static int word_in(const char *word, const char *list)
{
	size_t wl = strlen(word);

	while (list && *list) {
		size_t n = strcspn(list, " ");

		if (n == wl && !strncasecmp(list, word, n))
			return 1;
		list += n;
		list += strspn(list, " ");
	}
	return 0;
}

static const struct kind_info *kind_lookup(const char *w,
					   const struct vec *kinds)
{
	for (size_t i = 0; kinds && i < kinds->len; i++) {
		const struct kind_info *k = kinds->items[i];
		char full[256];

		snprintf(full, sizeof(full), "%s.%s", k->plural, k->group);
		if (!strcasecmp(w, k->plural) || !strcasecmp(w, k->singular) ||
		    !strcasecmp(w, k->kind) || word_in(w, k->shorts) ||
		    (k->group[0] && !strcasecmp(w, full)))
			return k;
	}
	return NULL;
}

void cmdline_parse(const char *line, const struct vec *kinds,
		   struct cmd_result *out)
{
	char word[128] = "", arg[256] = "";

	memset(out, 0, sizeof(*out));
	if (sscanf(line, " %127s %255s", word, arg) < 1) {
		out->kind = CMD_NONE;
		return;
	}
	snprintf(out->arg, sizeof(out->arg), "%s", arg);
	line += strspn(line, " ");
	line += strcspn(line, " ");
	snprintf(out->rest, sizeof(out->rest), "%s", line + strspn(line, " "));
	/* The events builtin gives way to a discovered "events" kind. */
	for (size_t i = 0; i < NBUILTINS; i++)
		if (word_in(word, builtins[i].names)) {
			out->kind = builtins[i].kind;
			if (out->kind == CMD_EVENTS &&
			    (out->ki = kind_lookup("events", kinds)))
				out->kind = CMD_KIND;
			return;
		}
	out->ki = kind_lookup(word, kinds);
	out->kind = out->ki ? CMD_KIND : CMD_UNKNOWN;
	if (!out->ki)
		snprintf(out->arg, sizeof(out->arg), "%s", word);
}

/* Extend *best (the common prefix so far) with a candidate. */
static void consider(const char *cand, const char *prefix, char **best)
{
	size_t pl = strlen(prefix), i;

	if (strncasecmp(cand, prefix, pl))
		return;
	if (!*best) {
		*best = xstrdup(cand);
		return;
	}
	for (i = 0; (*best)[i] && (*best)[i] == cand[i]; i++)
		;
	(*best)[i] = '\0';
}

char *cmdline_complete(const char *prefix, const struct vec *kinds)
{
	char *best = NULL;

	if (!*prefix || strchr(prefix, ' '))
		return NULL;
	for (size_t i = 0; i < NBUILTINS; i++) {
		char first[32];

		snprintf(first, sizeof(first), "%.*s",
			 (int)strcspn(builtins[i].names, " "), builtins[i].names);
		consider(first, prefix, &best);
	}
	for (size_t i = 0; kinds && i < kinds->len; i++) {
		const struct kind_info *k = kinds->items[i];

		consider(k->plural, prefix, &best);
	}
	return best;
}

void history_init(struct history *h, size_t cap)
{
	memset(h, 0, sizeof(*h));
	h->cap = cap ? cap : 1;
}

void history_done(struct history *h)
{
	vec_free(&h->items, free);
	h->pos = 0;
}

void history_add(struct history *h, const char *line)
{
	const char *last = h->items.len ? h->items.items[h->items.len - 1] : NULL;

	if (*line && !(last && !strcmp(last, line))) {
		if (h->items.len == h->cap) {
			free(h->items.items[0]);
			vec_remove(&h->items, 0);
		}
		vec_push(&h->items, xstrdup(line));
	}
	h->pos = h->items.len;
}

const char *history_prev(struct history *h)
{
	if (!h->pos)
		return NULL;
	return h->items.items[--h->pos];
}

const char *history_next(struct history *h)
{
	if (h->pos + 1 >= h->items.len) {
		h->pos = h->items.len;
		return NULL;
	}
	return h->items.items[++h->pos];
}

struct kind_info *kind_info_new(const char *plural, const char *singular,
				const char *kind, const char *group,
				const char *shorts, int namespaced,
				int scalable)
{
	struct kind_info *k = xcalloc(1, sizeof(*k));

	k->plural = xstrdup(plural);
	k->singular = xstrdup(singular ? singular : "");
	k->kind = xstrdup(kind ? kind : "");
	k->group = xstrdup(group ? group : "");
	k->shorts = xstrdup(shorts ? shorts : "");
	k->namespaced = namespaced;
	k->scalable = scalable;
	return k;
}

void kind_info_free(void *p)
{
	struct kind_info *k = p;

	if (!k)
		return;
	free(k->plural);
	free(k->singular);
	free(k->kind);
	free(k->group);
	free(k->shorts);
	free(k);
}
