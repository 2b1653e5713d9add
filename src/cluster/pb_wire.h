/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pb_wire: the private types of the protobuf decoder: how a message schema
 * is described.  A schema is a static table of fields; each names its
 * field number, JSON name, type and, for messages, the nested schema.
 * The tables live in pb_schema_*.c (data only); pb.c walks them.
 */
#ifndef KDECK_CLUSTER_PB_WIRE_H
#define KDECK_CLUSTER_PB_WIRE_H

#include <stddef.h>
#include <stdint.h>

enum pb_type {
	PB_STRING,
	PB_INT32,
	PB_INT64,
	PB_BOOL,
	PB_DOUBLE,
	PB_BYTES,		/* -> base64 string */
	PB_MSG,			/* nested schema in pb_field.msg */
	PB_MAP_STRING,		/* map<string,string> */
	PB_MAP_BYTES,		/* map<string,bytes> -> base64 values */
	PB_MAP_QUANTITY,	/* map<string,Quantity> (ResourceList) */
	PB_MAP_STRINGS,		/* map<string,ExtraValue{1 repeated string}> */
	PB_TIME,		/* {1 seconds, 2 nanos} -> RFC 3339 seconds */
	PB_MICROTIME,		/* same, 6 fraction digits */
	PB_DURATION,		/* {1 duration ns} -> Go duration string */
	PB_QUANTITY,		/* {1 string} -> canonical quantity */
	PB_INTSTR		/* {1 type, 2 intVal, 3 strVal} */
};

#define PB_R 1u		/* repeated: JSON array, every element kept */
#define PB_Z 2u		/* keep zeros: a Go pointer, or JSON without omitempty */
#define PB_E 4u		/* keep an empty message (a set Go pointer) */
#define PB_I 8u		/* inline: the message's fields join the parent */

struct pb_msg;

struct pb_field {
	uint32_t num;
	const char *name;
	enum pb_type type;
	unsigned flags;
	const struct pb_msg *msg;
};

struct pb_msg {
	const char *name;
	const struct pb_field *fields;
	size_t nfields;
};

struct pb_kind {
	const char *api_version;
	const char *kind;
	const struct pb_msg *msg;
};

#endif
