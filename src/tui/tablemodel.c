/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tablemodel: the rows of one resource table, as an informer delivers
 * them (upsert/remove by namespace/name), plus the user's view of them:
 * filter, sort column and direction, marks.
 *
 * Rows live in a uthash by key and, for stable ordering, carry a sequence
 * number.  The visible list (filtered, sorted pointers) is rebuilt lazily
 * the first time it is read after a change, so a burst of watch events
 * costs one sort; an update that leaves a row's filter match and sort key
 * as they were (most watch events: a status or a restart count changes)
 * does not invalidate it at all, the row's cells change in place.  A
 * row's cells and labels are one allocation, and each visible row knows
 * its index, so finding the selection after an update is a hash lookup,
 * not a scan (big clusters: 50,000 pods).  Sorting is natural (digit runs compare as numbers, so
 * "pod-10" follows "pod-9" and "12Mi" follows "9Mi") except on AGE
 * columns, which compare kubectl durations ("3d4h" > "25h").
 *
 * Not thread-safe: the UI thread owns a model.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/mem.h"
#include "tui/tui.h"

struct tm {
	size_t ncols;
	struct tm_column *cols;
	struct tm_row *rows;		/* uthash by key */
	unsigned long seq;
	const struct filter *filter;
	int sort_col, sort_desc;
	struct tm_row **vis;
	size_t nvis, capvis;
	int dirty;
	size_t nmarked;
};

static enum tm_cmp cmp_for(const char *name)
{
	static const char *const ages[] = { "age", "last seen", "duration",
					    "last schedule", NULL };

	for (size_t i = 0; ages[i]; i++)
		if (!strcasecmp(name, ages[i]))
			return TM_CMP_AGE;
	return TM_CMP_NATURAL;
}

struct tm *tm_new(const char *const *cols, size_t ncols)
{
	struct tm *m = xcalloc(1, sizeof(*m));

	m->ncols = ncols;
	m->cols = xcalloc(ncols ? ncols : 1, sizeof(*m->cols));
	for (size_t i = 0; i < ncols; i++) {
		m->cols[i].name = xstrdup(cols[i] ? cols[i] : "");
		m->cols[i].cmp = cmp_for(m->cols[i].name);
	}
	m->sort_col = -1;
	m->dirty = 1;
	return m;
}

static void row_free(struct tm *m, struct tm_row *r)
{
	(void)m;
	free(r->cells);
	free(r->key);
	free(r->ns);
	free(r->name);
	free(r);
}

void tm_clear(struct tm *m)
{
	struct tm_row *r, *tmp;

	HASH_ITER(hh, m->rows, r, tmp) {
		HASH_DEL(m->rows, r);
		row_free(m, r);
	}
	m->nmarked = 0;
	m->dirty = 1;
}

void tm_free(struct tm *m)
{
	if (!m)
		return;
	tm_clear(m);
	for (size_t i = 0; i < m->ncols; i++)
		free(m->cols[i].name);
	free(m->cols);
	free(m->vis);
	free(m);
}

size_t tm_ncols(const struct tm *m) { return m->ncols; }
size_t tm_total(const struct tm *m) { return HASH_COUNT(m->rows); }
int tm_sort_col(const struct tm *m) { return m->sort_col; }
int tm_sort_desc(const struct tm *m) { return m->sort_desc; }

const struct tm_column *tm_col(const struct tm *m, size_t i)
{
	return i < m->ncols ? &m->cols[i] : NULL;
}

int tm_col_find(const struct tm *m, const char *name)
{
	for (size_t i = 0; i < m->ncols; i++)
		if (!strcasecmp(m->cols[i].name, name))
			return (int)i;
	return -1;
}

static char *make_key(const char *ns, const char *name)
{
	return xasprintf("%s/%s", ns ? ns : "", name);
}

/* The row of ns/name; the key is built on the stack when it fits. */
static struct tm_row *find(const struct tm *m, const char *ns,
			   const char *name)
{
	struct tm_row *r = NULL;
	char kb[512], *key = kb;
	int n = snprintf(kb, sizeof(kb), "%s/%s", ns ? ns : "", name);

	if (n < 0 || (size_t)n >= sizeof(kb))
		key = make_key(ns, name);
	HASH_FIND_STR(m->rows, key, r);
	if (key != kb)
		free(key);
	return r;
}

/*
 * One block: ncols cell pointers, then the strings (cells, then labels).
 * *labels_out points into it (NULL without labels).  Caller frees the
 * block.
 */
static char **cells_pack(size_t ncols, const char *const *cells,
			 const char *labels, char **labels_out)
{
	size_t total = (ncols ? ncols : 1) * sizeof(char *);
	char **block, *p;

	for (size_t i = 0; i < ncols; i++)
		total += strlen(cells && cells[i] ? cells[i] : "") + 1;
	total += labels ? strlen(labels) + 1 : 0;
	block = xmalloc(total);
	p = (char *)(block + (ncols ? ncols : 1));
	for (size_t i = 0; i < ncols; i++) {
		size_t l = strlen(cells && cells[i] ? cells[i] : "");

		memcpy(p, cells && cells[i] ? cells[i] : "", l + 1);
		block[i] = p;
		p += l + 1;
	}
	*labels_out = labels ? strcpy(p, labels) : NULL;
	return block;
}

static int row_visible(const struct tm *m, const struct tm_row *r)
{
	return r->vis_idx < m->nvis && m->vis[r->vis_idx] == r;
}

static int row_match(const struct tm *m, const struct tm_row *r)
{
	return filter_match(m->filter, (const char *const *)r->cells, m->ncols,
			    r->labels, r->ns, r->name);
}

/* A clean visible list stays valid when the update keeps the row's
 * match and its sort cell. */
static void note_update(struct tm *m, struct tm_row *r, char **old)
{
	int sc = m->sort_col;

	if (m->dirty)
		return;
	if (row_visible(m, r) != row_match(m, r) ||
	    (sc >= 0 && strcmp(old[sc], r->cells[sc])))
		m->dirty = 1;
}

void tm_upsert(struct tm *m, const char *ns, const char *name,
	       const char *const *cells, const char *labels)
{
	struct tm_row *r = find(m, ns, name);
	char **old = NULL;

	if (!r) {
		r = xcalloc(1, sizeof(*r));
		r->key = make_key(ns, name);
		r->ns = xstrdup(ns ? ns : "");
		r->name = xstrdup(name);
		r->seq = m->seq++;
		r->vis_idx = (size_t)-1;
		HASH_ADD_KEYPTR(hh, m->rows, r->key, strlen(r->key), r);
		m->dirty = 1;
	}
	old = r->cells;
	r->cells = cells_pack(m->ncols, cells, labels, &r->labels);
	if (old)
		note_update(m, r, old);
	free(old);
}

int tm_remove(struct tm *m, const char *ns, const char *name)
{
	struct tm_row *r = find(m, ns, name);

	if (!r)
		return -1;
	if (r->marked)
		m->nmarked--;
	HASH_DEL(m->rows, r);
	row_free(m, r);
	m->dirty = 1;
	return 0;
}

void tm_set_filter(struct tm *m, const struct filter *f)
{
	m->filter = f;
	m->dirty = 1;
}

/* Equal sort keys (seq tiebreak aside)? */
static int same_key(const struct tm *m, const struct tm_row *a, const struct tm_row *b)
{
	const char *x = a->cells[m->sort_col], *y = b->cells[m->sort_col];

	return m->cols[m->sort_col].cmp == TM_CMP_AGE ? a->skey == b->skey
						       : tm_natural_cmp(x, y) == 0;
}

/*
 * Only the direction changed on a clean list: reverse it, then put each
 * run of equal keys back in insertion order (the tiebreak does not
 * reverse).  O(n) instead of a sort.
 */
static void reverse_sorted(struct tm *m)
{
	size_t i, j;

	for (i = 0, j = m->nvis; i + 1 < j; i++, j--) {
		struct tm_row *t = m->vis[i];

		m->vis[i] = m->vis[j - 1];
		m->vis[j - 1] = t;
	}
	for (i = 0; i < m->nvis; i = j) {
		for (j = i + 1; j < m->nvis && same_key(m, m->vis[i], m->vis[j]); j++)
			;
		for (size_t a = i, b = j; a + 1 < b; a++, b--) {
			struct tm_row *t = m->vis[a];

			m->vis[a] = m->vis[b - 1];
			m->vis[b - 1] = t;
		}
	}
	for (i = 0; i < m->nvis; i++)
		m->vis[i]->vis_idx = i;
}

void tm_set_sort(struct tm *m, int col, int desc)
{
	col = col >= 0 && (size_t)col < m->ncols ? col : -1;
	if (!m->dirty && col >= 0 && col == m->sort_col && desc != m->sort_desc) {
		m->sort_desc = desc;
		reverse_sorted(m);
		return;
	}
	m->sort_col = col;
	m->sort_desc = desc;
	m->dirty = 1;
}

/*
 * Natural order: runs of digits compare by value, everything else
 * byte-wise, case-insensitively; ties fall back to strcmp.
 */
int tm_natural_cmp(const char *a, const char *b)
{
	const char *a0 = a, *b0 = b;

	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *as, *bs;
			size_t al, bl;

			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			for (as = a; isdigit((unsigned char)*a); a++)
				;
			for (bs = b; isdigit((unsigned char)*b); b++)
				;
			al = (size_t)(a - as);
			bl = (size_t)(b - bs);
			if (al != bl)
				return al < bl ? -1 : 1;
			int c = memcmp(as, bs, al);
			if (c)
				return c < 0 ? -1 : 1;
			continue;
		}
		int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
		if (ca != cb)
			return ca < cb ? -1 : 1;
		a++, b++;
	}
	if (*a || *b)
		return *a ? 1 : -1;
	int c = strcmp(a0, b0);
	return c < 0 ? -1 : c > 0;
}

long long tm_age_seconds(const char *s)
{
	static const struct { char unit; long long secs; } units[] = {
		{ 'y', 365LL * 86400 }, { 'd', 86400 }, { 'h', 3600 },
		{ 'm', 60 }, { 's', 1 },
	};
	long long total = 0;
	int any = 0;

	while (s && *s) {
		char *end;
		long long v = strtoll(s, &end, 10);
		size_t i;

		if (end == s || v < 0)
			return -1;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (*end == units[i].unit)
				break;
		if (i == sizeof(units) / sizeof(units[0]))
			return -1;
		total += v * units[i].secs;
		any = 1;
		s = end + 1;
	}
	return any ? total : -1;
}

/* qsort_r is not in C11/POSIX: the sort column travels in a static. */
static const struct tm *sort_model;

static int row_cmp(const void *pa, const void *pb)
{
	const struct tm_row *a = *(struct tm_row *const *)pa;
	const struct tm_row *b = *(struct tm_row *const *)pb;
	const struct tm *m = sort_model;
	int c = 0;

	if (m->sort_col >= 0) {
		const char *x = a->cells[m->sort_col], *y = b->cells[m->sort_col];

		c = m->cols[m->sort_col].cmp == TM_CMP_AGE ?
			(a->skey > b->skey) - (a->skey < b->skey) : tm_natural_cmp(x, y);
		if (m->sort_desc)
			c = -c;
	}
	if (!c)
		c = a->seq < b->seq ? -1 : a->seq > b->seq;
	return c;
}

static void rebuild(struct tm *m)
{
	struct tm_row *r, *tmp;
	size_t n = HASH_COUNT(m->rows);

	if (n > m->capvis) {
		m->capvis = n;
		m->vis = xrealloc(m->vis, n * sizeof(*m->vis));
	}
	m->nvis = 0;
	HASH_ITER(hh, m->rows, r, tmp) {
		if (row_match(m, r))
			m->vis[m->nvis++] = r;
	}
	if (m->sort_col >= 0 && m->cols[m->sort_col].cmp == TM_CMP_AGE)
		for (size_t i = 0; i < m->nvis; i++)	/* parsed once, not per compare */
			m->vis[i]->skey = tm_age_seconds(m->vis[i]->cells[m->sort_col]);
	sort_model = m;
	if (m->nvis > 1)
		qsort(m->vis, m->nvis, sizeof(*m->vis), row_cmp);
	sort_model = NULL;
	for (size_t i = 0; i < m->nvis; i++)
		m->vis[i]->vis_idx = i;
	m->dirty = 0;
}

size_t tm_nvisible(struct tm *m)
{
	if (m->dirty)
		rebuild(m);
	return m->nvis;
}

const struct tm_row *tm_visible(struct tm *m, size_t i)
{
	return i < tm_nvisible(m) ? m->vis[i] : NULL;
}

long tm_find_visible(struct tm *m, const char *ns, const char *name)
{
	const struct tm_row *r;

	tm_nvisible(m);
	r = find(m, ns, name);
	return r && row_visible(m, r) ? (long)r->vis_idx : -1;
}

int tm_toggle_mark(struct tm *m, const char *ns, const char *name)
{
	struct tm_row *r = find(m, ns, name);

	if (!r)
		return -1;
	r->marked = !r->marked;
	m->nmarked += r->marked ? 1 : (size_t)-1;
	return r->marked;
}

size_t tm_nmarked(const struct tm *m) { return m->nmarked; }

void tm_clear_marks(struct tm *m)
{
	struct tm_row *r, *tmp;

	HASH_ITER(hh, m->rows, r, tmp)
		r->marked = 0;
	m->nmarked = 0;
}

static int seq_cmp(const void *pa, const void *pb)
{
	const struct tm_row *a = *(void *const *)pa, *b = *(void *const *)pb;

	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void tm_marked(const struct tm *m, struct vec *v)
{
	struct tm_row *r, *tmp;
	size_t start = v->len;

	HASH_ITER(hh, m->rows, r, tmp)
		if (r->marked)
			vec_push(v, r);
	if (v->len > start)
		qsort(v->items + start, v->len - start, sizeof(void *), seq_cmp);
}
