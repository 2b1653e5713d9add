/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry: HTTP requests to one registry endpoint, authentication
 * included (registry.c).  Private to the image store.
 */
#ifndef KDECK_CLUSTER_IMAGE_REGISTRY_H
#define KDECK_CLUSTER_IMAGE_REGISTRY_H

#include "cluster/image/image_priv.h"

struct img_endpoint {
	char *base;	/* "https://registry-1.docker.io/v2" */
	const struct img_reg_config *cfg;	/* TLS options; may be NULL */
	char *user, *pass;	/* credentials; may be NULL */
	char *authz;	/* current Authorization value, or NULL */
};

void img_endpoint_init(struct img_endpoint *ep, const char *base,
		       const struct img_reg_config *cfg, const char *user,
		       const char *pass);
void img_endpoint_done(struct img_endpoint *ep);

/* Where a response body goes: memory (body, at most max bytes) and/or a
 * file descriptor with a running hash; limit (-1: none) caps the size. */
struct img_response {
	struct buf *body;
	size_t max;
	int fd;
	struct img_hash *hash;
	int64_t limit;
	/* out */
	long status;
	char *content_type;	/* caller frees */
	int64_t total;
};

/*
 * GET ep->base + path, authenticating on a 401 (scope: the Bearer scope
 * to ask for when the challenge names none).  0 with r->status set for
 * any HTTP answer except 401/403 (ERR_UNAUTHORIZED); ERR_UNAVAILABLE when
 * the endpoint cannot be reached; ERR_TOO_LARGE past the limits.
 */
int img_endpoint_get(struct img_endpoint *ep, const char *path,
		     const char *accept, const char *scope,
		     struct img_response *r, struct err *e);

#endif
