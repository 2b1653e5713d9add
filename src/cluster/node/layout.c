/* SPDX-License-Identifier: Apache-2.0 */
/* layout: path and naming conventions of the node agent (see layout.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/node/layout.h"
#include "common/mem.h"

char *layout_images_dir(const char *d) { return xasprintf("%s/images", d); }
char *layout_registries_file(const char *d)
{
	return xasprintf("%s/registries.yaml", d);
}
char *layout_run_dir(const char *d) { return xasprintf("%s/run", d); }
char *layout_net_dir(const char *d) { return xasprintf("%s/net", d); }

char *layout_pod_dir(const char *d, const char *uid)
{
	return xasprintf("%s/pods/%s", d, uid);
}

char *layout_pod_log_dir(const char *d, const char *ns, const char *name,
			 const char *uid)
{
	return xasprintf("%s/logs/%s_%s_%s", d, ns, name, uid);
}

char *layout_container_log(const char *d, const char *ns, const char *name,
			   const char *uid, const char *container, int attempt)
{
	return xasprintf("%s/logs/%s_%s_%s/%s/%d.log", d, ns, name, uid,
			 container, attempt);
}

char *layout_container_id(const char *uid, const char *container, int attempt)
{
	return xasprintf("%s_%s_%d", uid, container, attempt);
}

char *layout_cgroup(const char *uid, const char *container_id)
{
	return xasprintf("kdeck/pod%s/%s", uid, container_id);
}

int layout_parse_container_id(const char *id, char **buf, const char **uid,
			      const char **container, int *attempt)
{
	char *copy, *a, *b, *end;
	long n;

	if (!id || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-_.") !=
			   strlen(id))
		return -1;
	copy = xstrdup(id);
	a = strchr(copy, '_');
	b = strrchr(copy, '_');
	if (!a || a == b || a == copy || b[1] == '\0')
		goto bad;
	n = strtol(b + 1, &end, 10);
	if (*end || n < 0 || n > 1000000)
		goto bad;
	*a = *b = '\0';
	if (!a[1])
		goto bad;
	*buf = copy;
	*uid = copy;
	*container = a + 1;
	*attempt = (int)n;
	return 0;
bad:
	free(copy);
	return -1;
}
