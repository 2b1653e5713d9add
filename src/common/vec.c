/* SPDX-License-Identifier: Apache-2.0 */
/* vec: pointer arrays, see vec.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "common/vec.h"

void vec_push(struct vec *v, void *item)
{
	if (v->len == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->items = xrealloc(v->items, v->cap * sizeof(*v->items));
	}
	v->items[v->len++] = item;
}

void *vec_pop(struct vec *v)
{
	return v->len ? v->items[--v->len] : NULL;
}

void *vec_get(const struct vec *v, size_t i)
{
	return i < v->len ? v->items[i] : NULL;
}

void vec_remove(struct vec *v, size_t i)
{
	if (i >= v->len)
		return;
	memmove(&v->items[i], &v->items[i + 1],
		(v->len - i - 1) * sizeof(*v->items));
	v->len--;
}

/* cmp receives pointers to the items (as qsort does): void *const *. */
void vec_sort(struct vec *v, int (*cmp)(const void *a, const void *b))
{
	if (v->len > 1)
		qsort(v->items, v->len, sizeof(*v->items), cmp);
}

void vec_free(struct vec *v, void (*item_free)(void *))
{
	if (item_free)
		for (size_t i = 0; i < v->len; i++)
			item_free(v->items[i]);
	free(v->items);
	v->items = NULL;
	v->len = v->cap = 0;
}
