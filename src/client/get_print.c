/* SPDX-License-Identifier: Apache-2.0 */
/*
 * get_print: fetch what `kdeck get` asked for and print it in kubectl's
 * forms (Table columns, -o name, -o json with 4-space indentation, -o yaml).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/get.h"
#include "client/private.h"
#include "common/mem.h"

#define GET_PAD 3

/* A cell as text: strings verbatim, integers without decimals. */
static char *get_cell(const cJSON *v)
{
	if (cJSON_IsString(v))
		return xstrdup(v->valuestring);
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (d == (double)(long long)d)
			return xasprintf("%lld", (long long)d);
		return xasprintf("%g", d);
	}
	if (cJSON_IsBool(v))
		return xstrdup(cJSON_IsTrue(v) ? "true" : "false");
	if (cJSON_IsNull(v) || !v)
		return xstrdup("<none>");
	char *s = cJSON_PrintUnformatted(v), *r = xstrdup(s);
	cJSON_free(s);
	return r;
}

struct get_grid {
	size_t ncols, nrows;
	char **cell;		/* (nrows + 1) * ncols, row 0 = headers */
	size_t *width;
};

static void get_grid_put(struct get_grid *g, size_t row, size_t col, char *s)
{
	size_t n = strlen(s);

	g->cell[row * g->ncols + col] = s;
	if (n > g->width[col])
		g->width[col] = n;
}

static void get_grid_print(const struct get_grid *g)
{
	for (size_t r = 0; r <= g->nrows; r++) {
		for (size_t c = 0; c < g->ncols; c++) {
			const char *s = g->cell[r * g->ncols + c];
			if (c + 1 == g->ncols)
				printf("%s\n", s);
			else
				printf("%-*s", (int)(g->width[c] + GET_PAD), s);
		}
	}
}

static void get_grid_free(struct get_grid *g)
{
	for (size_t i = 0; i < (g->nrows + 1) * g->ncols; i++)
		free(g->cell[i]);
	free(g->cell);
	free(g->width);
}

static char *get_upper(const char *s)
{
	char *u = xstrdup(s);

	for (char *p = u; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return u;
}

/* Print a Table answer; returns the number of rows. */
static size_t get_print_table(const cJSON *t, bool wide, bool with_ns)
{
	const cJSON *cols = cJSON_GetObjectItemCaseSensitive(t, "columnDefinitions");
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(t, "rows"), *col, *row;
	struct get_grid g = { 0 };
	size_t keep[64], nkeep = 0, r = 1;

	size_t idx = 0;
	cJSON_ArrayForEach(col, cols) {
		double prio = cJSON_GetNumberValue(client_jget(col, "priority", NULL));
		if ((wide || !(prio > 0)) && nkeep < 64)
			keep[nkeep++] = idx;
		idx++;
	}
	g.nrows = (size_t)cJSON_GetArraySize(rows);
	if (!g.nrows)
		return 0;
	g.ncols = nkeep + (with_ns ? 1 : 0);
	g.cell = xcalloc((g.nrows + 1) * g.ncols, sizeof(char *));
	g.width = xcalloc(g.ncols, sizeof(size_t));
	if (with_ns)
		get_grid_put(&g, 0, 0, xstrdup("NAMESPACE"));
	for (size_t k = 0; k < nkeep; k++)
	{
		const char *h = client_jstr(cJSON_GetArrayItem(cols,
						(int)keep[k]), "name", NULL);
		get_grid_put(&g, 0, k + with_ns, get_upper(h ? h : ""));
	}
	cJSON_ArrayForEach(row, rows) {
		const cJSON *cells = cJSON_GetObjectItemCaseSensitive(row, "cells");
		const char *ns = client_jstr(client_jget(row, "object", NULL),
					     "metadata", "namespace");
		if (with_ns)
			get_grid_put(&g, r, 0, xstrdup(ns ? ns : ""));
		for (size_t k = 0; k < nkeep; k++)
			get_grid_put(&g, r, k + with_ns, get_cell(
				cJSON_GetArrayItem(cells, (int)keep[k])));
		r++;
	}
	get_grid_print(&g);
	get_grid_free(&g);
	return r - 1;
}

/* cJSON_Print indents with tabs; kubectl uses four spaces. */
static void get_print_json(const cJSON *v)
{
	char *s = cJSON_Print(v);
	bool bol = true;

	for (const char *p = s; *p; p++) {
		if (bol && *p == '\t') {
			fputs("    ", stdout);
			continue;
		}
		bol = *p == '\n';
		putchar(*p);
	}
	putchar('\n');
	cJSON_free(s);
}

static void get_print_yaml(const cJSON *v)
{
	struct buf b = BUF_INIT;
	struct err e = { 0 };

	if (kc_yaml_emit(v, &b, &e) < 0)
		fprintf(stderr, "error: %s\n", e.msg);
	else
		fputs(buf_cstr(&b), stdout);
	buf_free(&b);
}

/* kubectl's List: items with apiVersion and kind first. */
static cJSON *get_as_list(const struct client_gvr *r, cJSON *list)
{
	cJSON *out = cJSON_CreateObject(), *items, *it;
	cJSON *src = cJSON_DetachItemFromObjectCaseSensitive(list, "items");
	char *gv = r->group[0] ? xasprintf("%s/%s", r->group, r->version)
			       : xstrdup(r->version);

	cJSON_AddStringToObject(out, "apiVersion", "v1");
	items = cJSON_AddArrayToObject(out, "items");
	while (cJSON_IsArray(src) && (it = cJSON_DetachItemFromArray(src, 0))) {
		cJSON *o = cJSON_CreateObject(), *f;
		cJSON_AddStringToObject(o, "apiVersion", gv);
		cJSON_AddStringToObject(o, "kind", r->kind);
		cJSON_DeleteItemFromObjectCaseSensitive(it, "apiVersion");
		cJSON_DeleteItemFromObjectCaseSensitive(it, "kind");
		while ((f = it->child)) {
			cJSON_DetachItemViaPointer(it, f);
			cJSON_AddItemToObject(o, f->string, f);
		}
		cJSON_Delete(it);
		cJSON_AddItemToArray(items, o);
	}
	cJSON_AddStringToObject(out, "kind", "List");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(out, "metadata"),
				"resourceVersion", "");
	cJSON_Delete(src);
	free(gv);
	return out;
}

static void get_print_name(const struct client_gvr *r, const cJSON *obj)
{
	char *kind = xstrdup(r->kind);

	for (char *p = kind; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	const char *name = client_jstr(obj, "metadata", "name");

	printf("%s%s%s/%s\n", kind, r->group[0] ? "." : "", r->group,
	       name ? name : "");
	free(kind);
}

static int get_fetch(struct client *c, const struct get_args *a,
		     const struct client_gvr *r, const char *ns, bool table,
		     cJSON **out, struct err *e)
{
	struct client_list_opts lo = { .label_selector = a->label,
		.field_selector = a->field, .limit = 500,
		.form = table ? CLIENT_FORM_TABLE : CLIENT_FORM_OBJECT };
	struct client_resp *resp = NULL;
	char *path;
	int rc;

	if (!a->name)
		return client_list_sync(c, r, ns, &lo, out, e);
	path = client_path(r, ns, a->name, NULL);
	rc = client_request_sync(c, &(struct client_req){ .path = path,
		.accept = table ? CLIENT_ACCEPT_TABLE : CLIENT_ACCEPT_JSON,
		.prio = CLIENT_PRIO_INTERACTIVE }, &resp, e);
	free(path);
	if (rc < 0)
		return -1;
	if (!resp->json) {
		client_resp_free(resp);
		return err_set(e, ERR_PARSE, "the answer is not JSON");
	}
	*out = resp->json;
	resp->json = NULL;
	client_resp_free(resp);
	return 0;
}

static void get_none(const struct client_gvr *r, const char *ns)
{
	if (r->namespaced && ns)
		fprintf(stderr, "No resources found in %s namespace.\n", ns);
	else
		fprintf(stderr, "No resources found\n");
}

int get_show(struct client *c, const struct get_args *a,
	     const struct client_gvr *r, const char *output)
{
	bool table = !*output || !strcmp(output, "wide");
	const char *ns = a->all_ns && !a->name ? NULL : client_namespace(c);
	cJSON *v = NULL, *it;
	struct err e = { 0 };
	size_t n = 0;

	if (get_fetch(c, a, r, ns, table, &v, &e) < 0)
		return get_print_err(&e);
	if (table) {
		n = get_print_table(v, !strcmp(output, "wide"),
				    a->all_ns && r->namespaced && !a->name);
	} else if (!strcmp(output, "name")) {
		if (a->name)
			get_print_name(r, v), n = 1;
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(v, "items"))
			get_print_name(r, it), n++;
	} else {
		if (!a->name) {
			cJSON *l = get_as_list(r, v);
			cJSON_Delete(v);
			v = l;
		}
		n = 1;
		if (!strcmp(output, "json"))
			get_print_json(v);
		else
			get_print_yaml(v);
	}
	if (!n && !a->name)
		get_none(r, ns);
	cJSON_Delete(v);
	return 0;
}
