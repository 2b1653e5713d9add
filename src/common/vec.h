/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vec: a growable array of pointers.  The vec owns only its slot array;
 * what the pointers point to belongs to whoever put them there, unless the
 * caller passes a free function to vec_free.
 */
#ifndef KDECK_COMMON_VEC_H
#define KDECK_COMMON_VEC_H

#include <stddef.h>

struct vec {
	void **items;
	size_t len;
	size_t cap;
};

#define VEC_INIT { NULL, 0, 0 }

void vec_push(struct vec *v, void *item);
void *vec_pop(struct vec *v);			/* NULL when empty */
void *vec_get(const struct vec *v, size_t i);	/* NULL out of range */
void vec_remove(struct vec *v, size_t i);	/* keeps order */
void vec_sort(struct vec *v, int (*cmp)(const void *a, const void *b));
/* Free the slots; call item_free on each item first when non-NULL. */
void vec_free(struct vec *v, void (*item_free)(void *));

#endif
