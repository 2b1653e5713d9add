/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry: the table of built-in resource kinds the embedded cluster
 * serves (one row per group/version/resource), as a v1.33 apiserver does.
 *
 * Everything that varies per kind is data in this table: URL names,
 * scope, short names, categories, verbs, subresources, whether the
 * object tracks metadata.generation, and where it is stored.  Rows for
 * several versions of one resource (autoscaling v1/v2) share the store
 * key.  The table is constant; CRDs add rows at run time (crd.h): the
 * lookups fall back to them after the static table.
 *
 * Threads: safe from any thread.
 */
#ifndef KDECK_CLUSTER_REGISTRY_H
#define KDECK_CLUSTER_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

enum reg_verb {
	REG_GET = 1 << 0,
	REG_LIST = 1 << 1,
	REG_WATCH = 1 << 2,
	REG_CREATE = 1 << 3,
	REG_UPDATE = 1 << 4,
	REG_PATCH = 1 << 5,
	REG_DELETE = 1 << 6,
	REG_DELETECOLLECTION = 1 << 7,
};

#define REG_VERBS_ALL 0xff
#define REG_VERBS_RO (REG_GET | REG_LIST)

enum reg_flag {
	REG_NAMESPACED = 1 << 0,
	REG_SUB_STATUS = 1 << 1,	/* /status subresource */
	REG_SUB_SCALE = 1 << 2,		/* /scale (autoscaling/v1 Scale) */
	REG_CAT_ALL = 1 << 3,		/* category "all" */
	REG_GENERATION = 1 << 4,	/* bump metadata.generation on spec change */
	REG_VIRTUAL = 1 << 5,		/* create-only review, never stored */
	REG_PREFERRED = 1 << 6,		/* first listed version of its group */
	REG_CUSTOM = 1 << 7,		/* a CRD's row (crd.h accessors) */
};

struct reg_kind {
	const char *group;		/* "" for core */
	const char *version;
	const char *kind;
	const char *plural;
	const char *singular;
	const char *short_names;	/* comma-separated, or NULL */
	unsigned flags;
	unsigned verbs;
	const char *store_group;	/* storage group when it differs (events.k8s.io) */
};

/* The built-in rows, in discovery order (core first, then groups);
 * CRD rows: crd_kinds(). */
const struct reg_kind *reg_kinds(size_t *n);

/* Row for group/version/plural, or NULL. */
const struct reg_kind *reg_find(const char *group, const char *version,
				const char *plural);
/* Preferred-version row for group/kind, or NULL. */
const struct reg_kind *reg_find_kind(const char *group, const char *kind);

/* "v1" or "apps/v1" into buf. */
const char *reg_api_version(const struct reg_kind *k, char *buf, size_t n);
/* The group objects are stored under (store_group or group). */
const char *reg_store_group(const struct reg_kind *k);
bool reg_namespaced(const struct reg_kind *k);

/* Verb names ("get", ...) in Kubernetes' sorted order; NULL-terminated. */
extern const char *const reg_verb_names[];
extern const unsigned reg_verb_bits[];

/* Distinct built-in groups in discovery order (index 0 is core ""); count
 * in *n.  CRD groups: crd_groups(). */
const char *const *reg_groups(size_t *n);
/* Versions served for group, preferred first; NULL-terminated static. */
size_t reg_group_versions(const char *group, const char **out, size_t max);

#endif
