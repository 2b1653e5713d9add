/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agent_ops: the machine's node parts (runtime, image store, pod
 * network, podspec, probes) as the agent's table of functions
 * (agent_int.h).  .missing stays NULL: everything is built in.
 */
#include "config.h"

#include "cluster/node/agent_int.h"

const struct agent_ops agent_ops_machine = {
	.rt_open = rt_open,
	.rt_free = rt_free,
	.rt_name = rt_name,
	.rt_version = rt_version,
	.rt_cgroup_version = rt_cgroup_version,
	.rt_describe = rt_describe,
	.rt_rootless = rt_rootless,
	.rt_host_process = rt_host_process,
	.rt_limits_enforced = rt_limits_enforced,
	.sandbox_create = rt_sandbox_create,
	.sandbox_remove = rt_sandbox_remove,
	.sandbox_list = rt_sandbox_list,
	.ctr_start = rt_container_start,
	.ctr_status = rt_container_status,
	.ctr_kill = rt_container_kill,
	.ctr_remove = rt_container_remove,
	.ctr_list = rt_container_list,
	.events_fd = rt_events_fd,
	.events_drain = rt_events_drain,

	.img_open = image_store_open,
	.img_free = image_store_free,
	.img_normalize = image_normalize,
	.img_present = image_present,
	.img_pull = image_pull,
	.img_get = image_get,
	.img_config_free = image_config_free,
	.img_list = image_list,
	.img_info_free = image_info_free,
	.img_gc = image_gc,

	.net_open = podnet_open,
	.net_free = podnet_free,
	.net_destroy = podnet_destroy,
	.net_describe = podnet_describe,
	.net_cidr = podnet_cidr,
	.net_setup = podnet_setup,
	.net_teardown = podnet_teardown,
	.net_host_ports = podnet_host_ports,
	.net_list = podnet_list,

	.vol_setup = podvol_setup,
	.vol_refresh = podvol_refresh,
	.vol_free = podvol_free,
	.vol_teardown = podvol_teardown,
	.spec_container = podspec_container,
	.spec_done = podspec_out_done,

	.probe = probe_run,
};
