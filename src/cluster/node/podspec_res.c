/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podspec_res: resources -> cgroup limits, and the downward API's
 * resourceFieldRef.
 *
 * kubelet's conversions: cpu.shares = requests.cpu in milli * 1024 / 1000
 * (2 at least, 2 when no request: the kernel's value for "nothing"), CFS
 * quota = limits.cpu in milli * 100000 / 1000 us per 100 ms period (1 ms at
 * least), memory limit = limits.memory in bytes.  A request left unset
 * takes the limit, as API defaulting does.
 *
 * resourceFieldRef of a limit that is not set yields the node's
 * allocatable; kdeck stands in this machine's online CPUs, physical
 * memory and the size of the data dir's file system (the agent reports the
 * same figures as the Node's allocatable).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cluster/node/podspec_int.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/quantity.h"

#define CPU_PERIOD_US 100000
#define MIN_SHARES    2
#define MAX_SHARES    262144
#define MIN_QUOTA_US  1000

int64_t ps_node_milli_cpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return (n > 0 ? n : 1) * 1000;
}

int64_t ps_node_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	return pages > 0 && size > 0 ? (int64_t)pages * size : 0;
}

int64_t ps_node_storage(const char *data_dir)
{
	struct statvfs st;

	if (!data_dir || statvfs(data_dir, &st) < 0)
		return 0;
	return (int64_t)st.f_blocks * (int64_t)st.f_frsize;
}

/*
 * resources.<which>.<name> of ctr; for requests falls back to the limit.
 * 1 with *q filled, 0 when unset, -1 on a malformed quantity.
 */
static int res_get(const cJSON *ctr, const char *which, const char *name,
		   struct quantity *q, struct err *e)
{
	const cJSON *v =
	    json_obj(json_obj(json_obj(ctr, "resources"), which), name);

	if (!cJSON_IsString(v) && !strcmp(which, "requests"))
		return res_get(ctr, "limits", name, q, e);
	if (!cJSON_IsString(v))
		return 0;
	if (quantity_parse(v->valuestring, q, e) < 0)
		return err_wrap(e, "resources.%s.%s", which, name);
	return 1;
}

int ps_resources(const cJSON *ctr, struct rt_container_spec *s, struct err *e)
{
	struct quantity q;
	int64_t m;
	int r;

	if ((r = res_get(ctr, "requests", "cpu", &q, e)) < 0)
		return -1;
	m = r ? quantity_milli_value(&q) : 0;
	s->cpu_shares = m <= 0 ? MIN_SHARES : m * 1024 / 1000;
	if (s->cpu_shares < MIN_SHARES)
		s->cpu_shares = MIN_SHARES;
	if (s->cpu_shares > MAX_SHARES)
		s->cpu_shares = MAX_SHARES;
	if ((r = res_get(ctr, "limits", "cpu", &q, e)) < 0)
		return -1;
	m = r ? quantity_milli_value(&q) : 0;
	s->cpu_quota_us = 0;
	s->cpu_period_us = 0;
	if (m > 0) {
		s->cpu_period_us = CPU_PERIOD_US;
		s->cpu_quota_us = m * CPU_PERIOD_US / 1000;
		if (s->cpu_quota_us < MIN_QUOTA_US)
			s->cpu_quota_us = MIN_QUOTA_US;
	}
	if ((r = res_get(ctr, "limits", "memory", &q, e)) < 0)
		return -1;
	s->memory_limit = r ? quantity_value(&q) : 0;
	return 0;
}

static const cJSON *find_container(const cJSON *pod, const char *name)
{
	static const char *const lists[] = {"spec.containers",
					    "spec.initContainers"};
	const cJSON *c;
	size_t i;

	for (i = 0; name && i < 2; i++)
		cJSON_ArrayForEach(c, json_get(pod, lists[i]))
		{
			const char *n = json_get_str(c, "name");

			if (n && !strcmp(n, name))
				return c;
		}
	return NULL;
}

/* The node allocatable of a resource name ("cpu" in milli). */
static int64_t allocatable(const struct podspec_env *env, const char *name)
{
	if (!strcmp(name, "cpu"))
		return ps_node_milli_cpu();
	if (!strcmp(name, "memory"))
		return ps_node_memory();
	return ps_node_storage(env->data_dir);
}

int ps_resourceref(const struct podspec_env *env, const cJSON *pod,
		   const cJSON *ctr, const cJSON *ref, char **out,
		   struct err *e)
{
	const char *res = json_get_str(ref, "resource");
	const char *div = json_get_str(ref, "divisor");
	const char *dot = res ? strchr(res, '.') : NULL;
	struct quantity q, d;
	char which[16];
	bool cpu;
	int r;
	double v;

	if (!ctr &&
	    !(ctr = find_container(pod, json_get_str(ref, "containerName"))))
		return err_set(e, ERR_INVALID,
			       "resourceFieldRef: container "
			       "%s not found",
			       json_get_str(ref, "containerName"));
	if (!dot || (size_t)(dot - res) >= sizeof(which) ||
	    (strncmp(res, "limits.", 7) && strncmp(res, "requests.", 9)) ||
	    (strcmp(dot + 1, "cpu") && strcmp(dot + 1, "memory") &&
	     strcmp(dot + 1, "ephemeral-storage")))
		return err_set(e, ERR_INVALID,
			       "unsupported container "
			       "resource : %s",
			       res ? res : "");
	snprintf(which, sizeof(which), "%.*s", (int)(dot - res), res);
	cpu = !strcmp(dot + 1, "cpu");
	if (quantity_parse(div && *div ? div : "1", &d, e) < 0)
		return -1;
	if (quantity_cmp(&d, &(struct quantity){0}) <= 0)
		return err_set(e, ERR_INVALID, "divisor must be positive");
	if ((r = res_get(ctr, which, dot + 1, &q, e)) < 0)
		return -1;
	if (cpu) {
		int64_t m = r		      ? quantity_milli_value(&q)
			    : which[0] == 'l' ? allocatable(env, "cpu")
					      : 0;
		int64_t dm = quantity_milli_value(&d);

		v = ceil((double)m / (double)(dm ? dm : 1));
	} else {
		int64_t b = r		      ? quantity_value(&q)
			    : which[0] == 'l' ? allocatable(env, dot + 1)
					      : 0;

		v = ceil((double)b / (double)quantity_value(&d));
	}
	*out = xasprintf("%lld", (long long)v);
	return 0;
}
