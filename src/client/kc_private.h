/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kc_private.h: the inside of struct kc, shared by kubeconfig.c (loading,
 * merging, editing) and kc_resolve.c (turning a context into a config).
 */
#ifndef KDECK_CLIENT_KC_PRIVATE_H
#define KDECK_CLIENT_KC_PRIVATE_H

#include "client/private.h"
#include "common/vec.h"

enum kc_section { KC_CLUSTERS = 0, KC_CONTEXTS, KC_USERS, KC_NSECTIONS };

struct kc_file {
	char *path;
	cJSON *doc;		/* the whole parsed file */
};

/* One merged clusters/contexts/users entry; strings borrowed from the
 * owning file's document. */
struct kc_entry {
	const char *name;
	cJSON *val;		/* the inner "cluster"/"context"/"user" map */
	size_t file;		/* index into kc->files */
};

struct kc {
	struct kc_file *files;
	size_t nfiles;
	struct vec entries[KC_NSECTIONS];	/* struct kc_entry * */
	char *current;		/* merged current-context, or NULL */
	size_t current_file;	/* file that set it, SIZE_MAX if none */
};

/* Non-empty string member, or NULL. */
const char *kc_str(const cJSON *obj, const char *key);
const struct kc_entry *kc_find(const struct kc *kc, enum kc_section s,
			       const char *name);

#endif
