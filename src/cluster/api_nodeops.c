/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_nodeops: api_set_nodeops (nodeops.h), where the daemon hands the
 * API server the node agent's exec/attach/port-forward operations.  A
 * copy lives in struct api under api->lock; the pods/exec, pods/attach
 * and pods/portforward handlers read it from there.
 */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include "cluster/api_int.h"
#include "cluster/nodeops.h"

void api_set_nodeops(struct api *api, const struct nodeops *ops)
{
	pthread_mutex_lock(&api->lock);
	api->have_nodeops = ops != NULL;
	if (ops)
		api->nodeops = *ops;
	else
		memset(&api->nodeops, 0, sizeof(api->nodeops));
	pthread_mutex_unlock(&api->lock);
}
