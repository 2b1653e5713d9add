/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_podspec: a JSON pod through the pure parts of podspec: $(VAR)
 * expansion of the raw input, podspec_container for each container (a
 * fixed image config, a get callback returning fixed objects, files
 * written only below a private temporary data dir, removed again), and
 * the payload builders of configMap, secret, downwardAPI and projected
 * volumes (nothing written).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/node/podspec_int.h"
#include "common/json.h"
#include "common/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char data_dir[] = "/tmp/fuzz_podspec.XXXXXX";
static bool have_dir;

static cJSON *get(void *arg, const char *ns, const char *res, const char *name)
{
	(void)arg;
	(void)ns;
	if (!name)	/* a list (the namespace's Services) */
		return cJSON_Parse("{\"items\":[{\"metadata\":{\"name\":"
				   "\"db\"},\"spec\":{\"clusterIP\":"
				   "\"10.96.0.9\",\"ports\":[{\"port\":"
				   "5432}]}}]}");
	if (!strcmp(name, "missing"))
		return NULL;
	if (!strcmp(res, "secrets"))
		return cJSON_Parse(
		    "{\"data\":{\"pw\":\"czNjcmV0\",\"bad\":\"*\"}}");
	if (!strcmp(res, "persistentvolumeclaims"))
		return cJSON_Parse("{\"spec\":{\"volumeName\":\"pv\"}}");
	if (!strcmp(res, "persistentvolumes"))
		return cJSON_Parse(
		    "{\"spec\":{\"local\":{\"path\":\"/nonexistent\"}}}");
	return cJSON_Parse("{\"data\":{\"k\":\"v\",\"A\":\"$(k)\"},"
			   "\"binaryData\":{\"b\":\"aGk=\"}}");
}

static int token(void *arg, const cJSON *pod, const char *aud, int64_t exp,
		 char **out, struct err *e)
{
	(void)arg;
	(void)pod;
	(void)aud;
	(void)exp;
	(void)e;
	*out = xstrdup("token");
	return 0;
}

static char *ep[] = {"/bin/sh", "-c", NULL};
static char *cmd[] = {"echo $(A)", NULL};
static char *ienv[] = {"PATH=/bin", "A=image", NULL};

static void containers(const struct podspec_env *env, const cJSON *pod,
		       const char *list)
{
	struct image_config img = {.entrypoint = ep,
				   .cmd = cmd,
				   .env = ienv,
				   .user = "1000:1000",
				   .rootfs = "/"};
	const cJSON *c;
	struct podspec_out o;
	struct err e;

	if (json_get_str(pod, "metadata.name"))
		img.user = (char *)json_get_str(pod, "metadata.name");
	cJSON_ArrayForEach(
	    c, json_get(pod, list)) if (podspec_container(env, pod, c, &img,
							  NULL, "10.0.0.1", 1,
							  &o, &e) == 0)
	    podspec_out_done(&o);
}

static void volumes(const struct podspec_env *env, const cJSON *pod)
{
	const cJSON *v, *s;
	struct vec files = VEC_INIT;
	int64_t exp;
	struct err e;

	cJSON_ArrayForEach(v, json_get(pod, "spec.volumes"))
	{
		if ((s = json_obj(v, "configMap")))
			pv_configmap_files(env, "ns", json_get_str(s, "name"),
					   s, 0644, false, &files, &e);
		if ((s = json_obj(v, "secret")))
			pv_configmap_files(env, "ns",
					   json_get_str(s, "secretName"), s,
					   0644, true, &files, &e);
		if ((s = json_obj(v, "downwardAPI")))
			pv_downward_files(env, pod, json_obj(s, "items"), 0644,
					  &files, &e);
		if ((s = json_obj(v, "projected")))
			pv_projected_files(env, pod, s, data_dir, true, &files,
					   &exp, &e);
		pv_files_free(&files);
	}
}

static void cleanup(void)
{
	ps_rmtree(data_dir, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct podspec_env env = {.data_dir = data_dir,
				  .node_name = "n",
				  .node_ip = "10.0.0.2",
				  .dns_server = "10.96.0.10",
				  .cluster_domain = "cluster.local",
				  .get = get,
				  .token = token};
	struct ps_envlist vars = {VEC_INIT, NULL};
	char *text, *x, *hosts, *resolv;
	const char *uid;
	cJSON *pod;
	struct err e;

	if (size > 65536)
		return 0;
	if (!have_dir) {
		if (!mkdtemp(data_dir))
			abort();
		have_dir = true;
		atexit(cleanup);
	}
	text = xstrndup((const char *)data, size);
	ps_env_set(&vars, "A", "a");
	ps_env_set(&vars, "k", "$(A)");
	x = ps_expand(text, &vars);
	free(x);
	ps_env_done(&vars);
	pod = json_parse((const char *)data, size, &e);
	free(text);
	if (!pod)
		return 0;
	hosts = ps_hosts_content(&env, pod, "10.0.0.1");
	resolv = ps_resolv_content(&env, pod);
	free(hosts);
	free(resolv);
	containers(&env, pod, "spec.containers");
	containers(&env, pod, "spec.initContainers");
	volumes(&env, pod);
	uid = json_get_str(pod, "metadata.uid");
	if (uid && !strchr(uid, '/') && strcmp(uid, ".") && strcmp(uid, ".."))
		podvol_teardown(data_dir, uid, &e);
	cJSON_Delete(pod);
	return 0;
}
