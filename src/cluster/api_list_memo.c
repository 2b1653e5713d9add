/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_list_memo: what a LIST needs from an object, kept with the object's
 * revision in the watch cache (a store memo), so that a Table LIST or a
 * label-selector LIST parses no JSON once the memo exists.
 *
 * A memo holds the object's labels (a small cJSON), its Table cells as a
 * template (ages filled in at each request, table_cells_template) and
 * where its metadata sits in the stored text (the PartialObjectMetadata
 * of includeObject=Metadata).  It is built on first use, with one parse,
 * and never changes afterwards; a new revision of the object is a new
 * snapshot with no memo.  Built-in kinds only: a custom resource's cells
 * follow its CRD, which may change under a stored object.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/api_int.h"
#include "cluster/table.h"
#include "common/json.h"
#include "common/mem.h"

#define MEMO_TS 4

struct list_memo {
	struct store_memo hdr;	/* first */
	const char *kind;	/* the column table the cells follow */
	cJSON *labels;		/* metadata.labels, NULL when none */
	char *cells;		/* template; NULL: not a template */
	size_t cells_len, nts;
	int64_t ts[MEMO_TS];
	const char *meta;	/* the metadata object's text */
	size_t meta_len;
	char *meta_copy;	/* owns meta when not found in the stored text */
};

static void memo_free(struct store_memo *hdr)
{
	struct list_memo *m = (struct list_memo *)hdr;

	cJSON_Delete(m->labels);
	free(m->cells);
	free(m->meta_copy);
	free(m);
}

/* Point meta at the metadata's text in o->json, or own a copy. */
static void memo_meta(struct list_memo *m, const struct store_obj *o,
		      const cJSON *obj)
{
	const cJSON *md = json_obj(obj, "metadata");
	char *s = md ? cJSON_PrintUnformatted(md) : xstrdup("{}");
	size_t n = strlen(s);
	const char *at = memmem(o->json, o->len, s, n);

	if (at) {
		m->meta = at;
		free(s);
	} else {
		m->meta = m->meta_copy = s;
	}
	m->meta_len = n;
}

static struct list_memo *memo_build(const struct store_obj *o,
				    const struct reg_kind *k)
{
	struct list_memo *m = xcalloc(1, sizeof(*m));
	cJSON *obj = store_obj_parse(o), *md;
	struct buf cells = BUF_INIT;
	int n;

	m->hdr.free_fn = memo_free;
	m->kind = k->kind;
	n = table_cells_template(k->kind, obj, &cells, m->ts, MEMO_TS);
	if (n >= 0) {
		m->nts = (size_t)n;
		m->cells_len = cells.len;
		m->cells = buf_take(&cells);
	}
	buf_free(&cells);
	memo_meta(m, o, obj);
	md = json_obj(obj, "metadata");
	if (md)
		m->labels = cJSON_DetachItemFromObjectCaseSensitive(md, "labels");
	cJSON_Delete(obj);
	return m;
}

const struct list_memo *api_list_memo(const struct store_obj *o,
				      const struct reg_kind *k)
{
	struct list_memo *m = (struct list_memo *)store_obj_memo(o);

	if (k->flags & REG_CUSTOM)
		return NULL;
	if (!m)
		m = (struct list_memo *)store_obj_memo_set(o, &memo_build(o, k)->hdr);
	return strcmp(m->kind, k->kind) ? NULL : m;
}

const cJSON *api_list_memo_labels(const struct list_memo *m)
{
	return m->labels;
}

bool api_list_memo_row(struct buf *b, const struct list_memo *m,
		       const char *include, bool first, time_t now)
{
	bool meta = !include || !strcmp(include, "Metadata");

	if (!m->cells || (!meta && strcmp(include, "None")))
		return false;
	if (!first)
		buf_addc(b, ',');
	buf_adds(b, "{\"cells\":");
	table_template_fill(b, m->cells, m->cells_len, m->ts, m->nts, now);
	if (meta) {
		buf_adds(b, ",\"object\":{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":");
		buf_add(b, m->meta, m->meta_len);
		buf_addc(b, '}');
	}
	buf_addc(b, '}');
	return true;
}
