/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pb: Kubernetes protobuf request bodies -> JSON.
 *
 * Typed clients (kubectl create <kind>, kubectl auth, helm's release
 * Secrets, DeleteOptions) send application/vnd.kubernetes.protobuf: the
 * 4-byte magic "k8s\0" followed by a runtime.Unknown message {1 typeMeta
 * {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType} whose
 * raw bytes are the object.  A table of message schemas (field number ->
 * JSON name and type) for the built-in kinds turns the object into the
 * same cJSON a JSON body would give.  Zero values (empty strings, 0,
 * empty messages) mean unset and are dropped, as the Go decoder does.
 */
#ifndef KDECK_CLUSTER_PB_H
#define KDECK_CLUSTER_PB_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "common/err.h"

/*
 * Decode a protobuf request body.  Returns a new object with apiVersion
 * and kind set, or NULL with e set: ERR_BAD_REQUEST for malformed bytes,
 * ERR_MEDIA_TYPE for a kind kdeck has no schema for.  Caller frees.
 */
cJSON *pb_decode(const void *body, size_t len, struct err *e);

#endif
