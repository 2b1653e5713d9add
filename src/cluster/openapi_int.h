/* SPDX-License-Identifier: Apache-2.0 */
/* openapi_int: the type tables shared by openapi.c and openapi_types.c. */
#ifndef KDECK_CLUSTER_OPENAPI_INT_H
#define KDECK_CLUSTER_OPENAPI_INT_H

struct oa_field {
	const char *name;
	const char *type;	/* see openapi_types.c */
	const char *description;
};

/* A modelled type, by its OpenAPI schema name. */
struct oa_type {
	const char *name;
	const char *description;
	const struct oa_field *fields;	/* NULL-name terminated */
};

/* The top-level fields of a modelled kind (besides apiVersion/kind/metadata). */
struct oa_kind_fields {
	const char *group;
	const char *kind;
	const char *description;
	const struct oa_field *fields;
};

extern const struct oa_type oa_types[];
extern const struct oa_kind_fields oa_kind_fields[];

/* The protobuf-table field called name in m, looking through inline
 * members (openapi_check.c); NULL when m has none. */
struct pb_msg;
const struct pb_field *openapi_pb_field(const struct pb_msg *m, const char *name);

#endif
