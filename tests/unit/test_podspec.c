/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_podspec: pod spec -> runtime spec without root: $(VAR) expansion,
 * command lines, env (value, valueFrom, envFrom), securityContext,
 * resources, /etc/hosts and resolv.conf, and podspec_container as a whole
 * (files in a temporary data dir).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster/node/podspec_int.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"
#include "../tap.h"

/* The cluster: objects keyed "ns|resource|name". */
static const char cluster_json[] =
    "{\"ns1|configmaps|cfg\":{\"data\":{\"k\":\"v\",\"bad-key!\":\"x\","
    "\"tab\\tkey\":\"t\","
    "\"1x\":\"y\",\"ok.key\":\"z\"}},"
    "\"ns1|secrets|sec\":{\"data\":{\"pw\":\"czNjcmV0\"}},"
    "\"default|services|kubernetes\":{\"spec\":{\"clusterIP\":\"10.96.0.1\","
    "\"ports\":[{\"name\":\"https\",\"port\":443,\"protocol\":\"TCP\"}]}},"
    "\"ns1|services|my-db\":{\"metadata\":{\"name\":\"my-db\"},\"spec\":"
    "{\"clusterIP\":\"10.96.5.5\",\"ports\":[{\"name\":\"pg\",\"port\":5432,"
    "\"protocol\":\"TCP\"},{\"port\":53,\"protocol\":\"UDP\"}]}},"
    "\"ns1|services|headless\":{\"metadata\":{\"name\":\"headless\"},"
    "\"spec\":{\"clusterIP\":\"None\",\"ports\":[{\"port\":80}]}}}";
static cJSON *cluster;

static cJSON *get(void *arg, const char *ns, const char *res, const char *name)
{
	char key[256];
	cJSON *list, *items;
	const cJSON *o;

	(void)arg;
	snprintf(key, sizeof(key), "%s|%s|", ns ? ns : "", res);
	if (name) {
		strncat(key, name, sizeof(key) - strlen(key) - 1);
		return json_dup(json_obj(cluster, key));
	}
	list = cJSON_CreateObject();	/* a list: every key with the prefix */
	items = cJSON_AddArrayToObject(list, "items");
	cJSON_ArrayForEach(o, cluster)
		if (!strncmp(o->string, key, strlen(key)))
			cJSON_AddItemToArray(items, json_dup(o));
	return list;
}

static const char pod_json[] =
    "{\"metadata\":{\"name\":\"web\",\"namespace\":\"ns1\",\"uid\":\"u-1\","
    "\"labels\":{\"tier\":\"fe\",\"app\":\"web\"},"
    "\"annotations\":{\"note\":\"hi \\\"x\\\"\"}},"
    "\"spec\":{\"nodeName\":\"node1\",\"serviceAccountName\":\"sa1\","
    "\"containers\":[{\"name\":\"c\",\"resources\":{\"limits\":"
    "{\"cpu\":\"500m\",\"memory\":\"128Mi\"}}},{\"name\":\"nolim\"}]},"
    "\"status\":{\"podIP\":\"10.1.0.5\",\"podIPs\":[{\"ip\":\"10.1.0.5\"},"
    "{\"ip\":\"fd00::5\"}]}}";

static struct podspec_env env = {
    .node_name = "node1",
    .node_ip = "192.168.1.2",
    .dns_server = "10.96.0.10",
    .cluster_domain = "cluster.local",
    .get = get,
};

static cJSON *J(const char *s)
{
	cJSON *v = cJSON_Parse(s);

	if (!v) {
		printf("Bail out! bad JSON in test: %s\n", s);
		exit(1);
	}
	return v;
}

static char *strv_join(char *const *v)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_adds(&b, "");
	for (i = 0; v && v[i]; i++)
		buf_printf(&b, "%s%s", i ? "|" : "", v[i]);
	return buf_take(&b);
}

static void test_expand(void)
{
	static const char *const cases[][2] = {
	    {"$(A)", "a"},
	    {"$(C)", "$(C)"},
	    {"$$(A)", "$(A)"},
	    {"$$", "$"},
	    {"$", "$"},
	    {"x$", "x$"},
	    {"$(A", "$(A"},
	    {"$x", "$x"},
	    {"$(A)$(B)", "ab"},
	    {"$$$(A)", "$a"},
	    {"$()", "$()"},
	    {"$(A$(B))", "$(A$(B))"},
	    {"pre-$(A)-post", "pre-a-post"},
	    {"", ""},
	    {"$$$$", "$$"},
	    {"$(EMPTY)x", "x"},
	};
	struct ps_envlist l = {VEC_INIT, NULL};
	size_t i;

	ps_env_set(&l, "A", "a");
	ps_env_set(&l, "B", "b");
	ps_env_set(&l, "EMPTY", "");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = ps_expand(cases[i][0], &l);

		is_str(got, cases[i][1], "expand %s", cases[i][0]);
		free(got);
	}
	ps_env_done(&l);
}

struct cmd_case {
	const char *ctr; /* container JSON */
	const char *ep[3], *cmd[3];
	const char *want; /* argv joined by |, or the error */
};

static const struct cmd_case cmd_cases[] = {
    {"{}", {"/ep"}, {"c1", "c2"}, "/ep|c1|c2"},
    {"{\"command\":[\"sh\"]}", {"/ep"}, {"c1"}, "sh"},
    {"{\"command\":[\"sh\"],\"args\":[\"-c\",\"x\"]}",
     {"/ep"},
     {"c1"},
     "sh|-c|x"},
    {"{\"args\":[\"a1\"]}", {"/ep", "e2"}, {"c1"}, "/ep|e2|a1"},
    {"{\"args\":[\"a1\"]}", {NULL}, {"c1"}, "a1"},
    {"{}", {NULL}, {"c1"}, "c1"},
    {"{}", {""}, {"c1"}, "c1"},
    {"{}", {NULL}, {NULL}, "no command specified"},
    {"{\"command\":[],\"args\":[]}", {"/ep"}, {NULL}, "/ep"},
    {"{\"command\":[\"echo\",\"$(A)\",\"$$(A)\",\"$(NOPE)\"]}",
     {NULL},
     {NULL},
     "echo|a|$(A)|$(NOPE)"},
    {"{\"args\":[\"$(A)$(A)\"]}", {"/ep"}, {NULL}, "/ep|aa"},
};

static void test_command(void)
{
	struct ps_envlist l = {VEC_INIT, NULL};
	size_t i;

	ps_env_set(&l, "A", "a");
	for (i = 0; i < sizeof(cmd_cases) / sizeof(cmd_cases[0]); i++) {
		const struct cmd_case *c = &cmd_cases[i];
		struct image_config img = {0};
		cJSON *ctr = J(c->ctr);
		struct err e = {0};
		char **argv = NULL, *got;

		img.entrypoint = c->ep[0] || c->ep[1] ? (char **)c->ep : NULL;
		if (c->ep[0] && !c->ep[0][0])
			img.entrypoint = (char **)c->ep;
		img.cmd = c->cmd[0] ? (char **)c->cmd : NULL;
		if (ps_command(ctr, &img, &l, &argv, &e) == 0) {
			got = strv_join(argv);
			ps_strv_free(argv);
		} else {
			got = xstrdup(e.msg);
		}
		is_str(got, c->want, "command %zu: %s", i, c->ctr);
		free(got);
		cJSON_Delete(ctr);
	}
	ps_env_done(&l);
}

struct env_case {
	const char *ctr;    /* container name */
	const char *fields; /* env/envFrom JSON members */
	const char *name;   /* variable to look at */
	const char *want;   /* its value, NULL: not set */
	const char *error;  /* or the build error */
};

#define ENV1(v)	 "\"env\":[{\"name\":\"X\"," v "}]"
#define FIELD(p) ENV1("\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"" p "\"}}")
#define RES(r, d)                                                              \
	ENV1("\"valueFrom\":{\"resourceFieldRef\":{\"resource\":\"" r          \
	     "\",\"divisor\":\"" d "\"}}")
#define CMREF(n, k, o)                                                         \
	ENV1("\"valueFrom\":{\"configMapKeyRef\":{\"name\":\"" n               \
	     "\",\"key\":\"" k "\"" o "}}")
#define SREF(n, k, o)                                                          \
	ENV1("\"valueFrom\":{\"secretKeyRef\":{\"name\":\"" n                  \
	     "\",\"key\":\"" k "\"" o "}}")

static const struct env_case env_cases[] = {
    {"c", ENV1("\"value\":\"plain\""), "X", "plain", NULL},
    {"c", ENV1("\"value\":\"x\""), "KUBERNETES_SERVICE_HOST", "10.96.0.1",
     NULL},
    {"c", ENV1("\"value\":\"x\""), "KUBERNETES_SERVICE_PORT", "443", NULL},
    {"c", ENV1("\"value\":\"x\""), "KUBERNETES_SERVICE_PORT_HTTPS", "443",
     NULL},
    {"c", ENV1("\"value\":\"x\""), "KUBERNETES_PORT", "tcp://10.96.0.1:443",
     NULL},
    {"c", ENV1("\"value\":\"x\""), "KUBERNETES_PORT_443_TCP",
     "tcp://10.96.0.1:443", NULL},
    {"c", ENV1("\"value\":\"x\""), "KUBERNETES_PORT_443_TCP_PROTO", "tcp",
     NULL},
    {"c", ENV1("\"value\":\"x\""), "KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1",
     NULL},
    {"c", ENV1("\"value\":\"$(KUBERNETES_SERVICE_HOST)\""), "X", "10.96.0.1",
     NULL},
    /* service links: the pod's namespace's Services with a cluster IP */
    {"c", ENV1("\"value\":\"x\""), "MY_DB_SERVICE_HOST", "10.96.5.5", NULL},
    {"c", ENV1("\"value\":\"x\""), "MY_DB_SERVICE_PORT", "5432", NULL},
    {"c", ENV1("\"value\":\"x\""), "MY_DB_SERVICE_PORT_PG", "5432", NULL},
    {"c", ENV1("\"value\":\"x\""), "MY_DB_PORT", "tcp://10.96.5.5:5432",
     NULL},
    {"c", ENV1("\"value\":\"x\""), "MY_DB_PORT_53_UDP", "udp://10.96.5.5:53",
     NULL},
    {"c", ENV1("\"value\":\"x\""), "MY_DB_PORT_53_UDP_PROTO", "udp", NULL},
    {"c", ENV1("\"value\":\"x\""), "HEADLESS_SERVICE_HOST", NULL, NULL},
    {"c", ENV1("\"value\":\"$(MY_DB_SERVICE_HOST):$(MY_DB_SERVICE_PORT)\""),
     "X", "10.96.5.5:5432", NULL},
    {"c",
     "\"env\":[{\"name\":\"KUBERNETES_SERVICE_HOST\",\"value\":"
     "\"mine\"}]",
     "KUBERNETES_SERVICE_HOST", "mine", NULL},
    {"c",
     "\"env\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\","
     "\"value\":\"$(A)-$(C)\"},{\"name\":\"C\",\"value\":\"3\"}]",
     "B", "1-$(C)", NULL},
    {"c",
     "\"env\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"A\","
     "\"value\":\"<$(A)>\"}]",
     "A", "<1>", NULL},
    {"c", ENV1("\"value\":\"$$(A)\""), "X", "$(A)", NULL},
    {"c", FIELD("metadata.name"), "X", "web", NULL},
    {"c", FIELD("metadata.namespace"), "X", "ns1", NULL},
    {"c", FIELD("metadata.uid"), "X", "u-1", NULL},
    {"c", FIELD("metadata.labels['app']"), "X", "web", NULL},
    {"c", FIELD("metadata.labels['none']"), "X", "", NULL},
    {"c", FIELD("metadata.annotations['note']"), "X", "hi \"x\"", NULL},
    {"c", FIELD("metadata.labels"), "X", "app=\"web\"\ntier=\"fe\"", NULL},
    {"c", FIELD("spec.nodeName"), "X", "node1", NULL},
    {"c", FIELD("spec.serviceAccountName"), "X", "sa1", NULL},
    {"c", FIELD("status.podIP"), "X", "10.1.0.9", NULL},
    {"c", FIELD("status.podIPs"), "X", "10.1.0.9,10.1.0.5,fd00::5", NULL},
    {"c", FIELD("status.hostIP"), "X", "192.168.1.2", NULL},
    {"c", FIELD("spec.bogus"), "X", NULL, "unsupported fieldPath: spec.bogus"},
    {"c", RES("limits.cpu", "1m"), "X", "500", NULL},
    {"c", RES("limits.cpu", "1"), "X", "1", NULL},
    {"c", RES("limits.memory", "1Mi"), "X", "128", NULL},
    {"c", RES("requests.memory", "1Ki"), "X", "131072", NULL},
    {"nolim", RES("requests.cpu", "1m"), "X", "0", NULL},
    {"c", RES("limits.gpu", "1"), "X", NULL,
     "unsupported container resource : limits.gpu"},
    {"c", CMREF("cfg", "k", ""), "X", "v", NULL},
    {"c", CMREF("cfg", "nope", ""), "X", NULL,
     "couldn't find key nope in ConfigMap ns1/cfg"},
    {"c", CMREF("cfg", "nope", ",\"optional\":true"), "X", NULL, NULL},
    {"c", CMREF("x", "k", ""), "X", NULL, "configmap \"x\" not found"},
    {"c", CMREF("x", "k", ",\"optional\":true"), "X", NULL, NULL},
    {"c", SREF("sec", "pw", ""), "X", "s3cret", NULL},
    {"c", SREF("sec", "nope", ""), "X", NULL,
     "couldn't find key nope in Secret ns1/sec"},
    {"c", SREF("s", "pw", ""), "X", NULL, "secret \"s\" not found"},
    {"c", SREF("s", "pw", ",\"optional\":true"), "X", NULL, NULL},
    {"c", "\"envFrom\":[{\"configMapRef\":{\"name\":\"cfg\"}}]", "k", "v",
     NULL},
    {"c", "\"envFrom\":[{\"configMapRef\":{\"name\":\"cfg\"}}]", "ok.key", "z",
     NULL},
    {"c", "\"envFrom\":[{\"configMapRef\":{\"name\":\"cfg\"}}]", "1x", "y",
     NULL},
    {"c", "\"envFrom\":[{\"configMapRef\":{\"name\":\"cfg\"}}]", "bad-key!",
     "x", NULL},
    {"c", "\"envFrom\":[{\"configMapRef\":{\"name\":\"cfg\"}}]", "tab\tkey",
     NULL, NULL},
    {"c",
     "\"envFrom\":[{\"prefix\":\"P=\",\"configMapRef\":{\"name\":"
     "\"cfg\"}}]",
     "P=k", NULL, NULL},
    {"c",
     "\"envFrom\":[{\"prefix\":\"P_\",\"configMapRef\":{\"name\":"
     "\"cfg\"}}]",
     "P_1x", "y", NULL},
    {"c", "\"envFrom\":[{\"secretRef\":{\"name\":\"sec\"}}]", "pw", "s3cret",
     NULL},
    {"c", "\"envFrom\":[{\"secretRef\":{\"name\":\"no\"}}]", "pw", NULL,
     "secret \"no\" not found"},
    {"c",
     "\"envFrom\":[{\"secretRef\":{\"name\":\"no\",\"optional\":"
     "true}}]",
     "pw", NULL, NULL},
    {"c",
     "\"envFrom\":[{\"configMapRef\":{\"name\":\"cfg\"}}],"
     "\"env\":[{\"name\":\"k\",\"value\":\"mine:$(k)\"}]",
     "k", "mine:v", NULL},
};

static const cJSON *container(const cJSON *pod, const char *name)
{
	const cJSON *c;

	cJSON_ArrayForEach(
	    c, json_get(pod,
			"spec.containers")) if (!strcmp(json_get_str(c, "name"),
							name)) return c;
	return NULL;
}

/* enableServiceLinks: false keeps only the API server's variables. */
static void test_service_links_off(void)
{
	cJSON *pod = J(pod_json), *ctr = J("{\"name\":\"c\"}");
	struct ps_envlist l = {VEC_INIT, NULL};
	struct err e = {0};

	json_set(pod, "spec.enableServiceLinks", cJSON_CreateFalse());
	ok(ps_env_build(&env, pod, ctr, NULL, &l, &e) == 0, "links off builds");
	is_str(ps_env_get(&l, "MY_DB_SERVICE_HOST"), NULL,
	       "no namespace services without service links");
	is_str(ps_env_get(&l, "KUBERNETES_SERVICE_HOST"), "10.96.0.1",
	       "the API server's variables stay");
	ps_env_done(&l);
	cJSON_Delete(ctr);
	cJSON_Delete(pod);
}

static void test_env(void)
{
	cJSON *pod = J(pod_json);
	size_t i;

	for (i = 0; i < sizeof(env_cases) / sizeof(env_cases[0]); i++) {
		const struct env_case *c = &env_cases[i];
		char *text =
		    xasprintf("{\"name\":\"%s\",%s}", c->ctr, c->fields);
		cJSON *ctr = J(text), *base = json_dup(container(pod, c->ctr));
		struct ps_envlist l = {VEC_INIT, NULL};
		struct err e = {0};
		int rc;

		json_set(ctr, "resources",
			 json_dup(json_obj(base, "resources")));
		rc = ps_env_build(&env, pod, ctr, "10.1.0.9", &l, &e);
		if (c->error)
			is_str(rc ? e.msg : "(no error)", c->error,
			       "env %zu error", i);
		else if (ok(rc == 0, "env %zu builds (%s)", i, e.msg))
			is_str(ps_env_get(&l, c->name), c->want, "env %zu: %s",
			       i, c->fields);
		ps_env_done(&l);
		cJSON_Delete(ctr);
		cJSON_Delete(base);
		free(text);
	}
	cJSON_Delete(pod);
	test_service_links_off();
}

/* Limits that are not set come from the machine. */
static void test_env_allocatable(void)
{
	cJSON *pod = J(pod_json);
	cJSON *ctr = J("{\"name\":\"nolim\",\"env\":[{\"name\":\"M\","
		       "\"valueFrom\":{\"resourceFieldRef\":{\"resource\":"
		       "\"limits.memory\"}}},{\"name\":\"C\",\"valueFrom\":"
		       "{\"resourceFieldRef\":{\"resource\":\"limits.cpu\","
		       "\"divisor\":\"1m\"}}}]}");
	struct ps_envlist l = {VEC_INIT, NULL};
	struct err e;
	char want[64];

	ok(ps_env_build(&env, pod, ctr, NULL, &l, &e) == 0, "allocatable env");
	snprintf(want, sizeof(want), "%lld", (long long)ps_node_memory());
	is_str(ps_env_get(&l, "M"), want,
	       "limits.memory defaults to the node's");
	snprintf(want, sizeof(want), "%lld", (long long)ps_node_milli_cpu());
	is_str(ps_env_get(&l, "C"), want, "limits.cpu defaults to the node's");
	ps_env_done(&l);
	cJSON_Delete(ctr);
	cJSON_Delete(pod);
}

struct sec_case {
	const char *pod_sc, *ctr_sc, *user;
	const char *want; /* "uid:gid:groups" or the error */
};

#define POD_DESC "(pod: \"web_ns1(u-1)\", container: c)"
static const struct sec_case sec_cases[] = {
    {"{}", "{}", NULL, "0:0:"},
    {"{}", "{}", "1000", "1000:1001:50"},
    {"{}", "{}", "alice", "1000:1001:50"},
    {"{}", "{}", "alice:staff", "1000:50:50"},
    {"{}", "{}", "2000:3000", "2000:3000:"},
    {"{}", "{}", "nobody",
     "unable to find user nobody: no matching entries in passwd file"},
    {"{}", "{}", "alice:nogroup",
     "unable to find group nogroup: no matching entries in group file"},
    {"{\"runAsUser\":1000}", "{}", NULL, "1000:1001:50"},
    {"{\"runAsUser\":1000}", "{\"runAsUser\":2000}", NULL, "2000:0:"},
    {"{\"runAsUser\":1000,\"runAsGroup\":7}", "{}", NULL, "1000:7:50"},
    {"{}", "{\"runAsGroup\":8}", "2000:3000", "2000:8:"},
    {"{\"fsGroup\":9,\"supplementalGroups\":[11,9]}", "{}", "2000",
     "2000:0:9,11"},
    {"{\"runAsNonRoot\":true}", "{}", NULL,
     "container has runAsNonRoot and image will run as root " POD_DESC},
    {"{\"runAsNonRoot\":true}", "{}", "0:5",
     "container has runAsNonRoot and image will run as root " POD_DESC},
    {"{\"runAsNonRoot\":true}", "{}", "alice",
     "container has runAsNonRoot and image has non-numeric user (alice), "
     "cannot verify user is non-root " POD_DESC},
    {"{\"runAsNonRoot\":true}", "{}", "1000", "1000:1001:50"},
    {"{\"runAsNonRoot\":true}", "{\"runAsUser\":0}", "1000",
     "container's runAsUser breaks non-root policy " POD_DESC},
    {"{}", "{\"runAsNonRoot\":true,\"runAsUser\":5}", NULL, "5:0:"},
    {"{\"runAsNonRoot\":true}", "{\"runAsNonRoot\":false}", NULL, "0:0:"},
};

struct flag_case {
	const char *ctr_sc;
	const char *want; /* "ro,priv,nnp,add,drop" */
};

static const struct flag_case flag_cases[] = {
    {"{}", "0,0,0,,"},
    {"{\"readOnlyRootFilesystem\":true}", "1,0,0,,"},
    {"{\"allowPrivilegeEscalation\":false}", "0,0,1,,"},
    {"{\"allowPrivilegeEscalation\":true}", "0,0,0,,"},
    {"{\"privileged\":true}", "0,1,0,,"},
    {"{\"capabilities\":{\"add\":[\"NET_ADMIN\",\"SYS_TIME\"],\"drop\":"
     "[\"ALL\"]}}",
     "0,0,0,NET_ADMIN|SYS_TIME,ALL"},
};

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
}

/* A fake image rootfs with users and groups. */
static char *make_rootfs(const char *tmp)
{
	char *root = xasprintf("%s/rootfs", tmp), *p;

	p = xasprintf("%s/etc", root);
	mkdir(root, 0755);
	mkdir(p, 0755);
	free(p);
	p = xasprintf("%s/etc/passwd", root);
	write_text(p, "root:x:0:0:root:/root:/bin/sh\n"
		      "alice:x:1000:1001::/home/alice:/bin/sh\n");
	free(p);
	p = xasprintf("%s/etc/group", root);
	write_text(p, "root:x:0:\nalice:x:1001:\nstaff:x:50:bob,alice\n");
	free(p);
	return root;
}

static char *sec_result(const struct ps_sec *s)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_printf(&b, "%u:%u:", (unsigned)s->uid, (unsigned)s->gid);
	for (i = 0; i < s->ngroups; i++)
		buf_printf(&b, "%s%u", i ? "," : "", (unsigned)s->groups[i]);
	return buf_take(&b);
}

/* An image whose /etc/passwd points at the host's is not followed. */
static void check_symlinked_passwd(const char *tmp)
{
	char *root = xasprintf("%s/evil", tmp), *p = xasprintf("%s/etc", root);
	struct image_config img = {.rootfs = root, .user = "root"};
	cJSON *pod = J(pod_json), *ctr = J("{\"name\":\"c\"}");
	struct ps_sec s;
	struct err e;

	mkdir(root, 0755);
	mkdir(p, 0755);
	free(p);
	p = xasprintf("%s/etc/passwd", root);
	ok(symlink("/etc/passwd", p) == 0,
	   "image with a symlinked /etc/passwd");
	ok(ps_security(pod, ctr, &img, &s, &e) < 0 &&
	       strstr(e.msg, "unable to find user root"),
	   "the symlink is not followed: %s", e.msg);
	free(p);
	free(root);
	cJSON_Delete(pod);
	cJSON_Delete(ctr);
}

static void test_security(const char *tmp)
{
	char *root = make_rootfs(tmp);
	size_t i;

	for (i = 0; i < sizeof(sec_cases) / sizeof(sec_cases[0]); i++) {
		const struct sec_case *c = &sec_cases[i];
		char *t =
		    xasprintf("{\"metadata\":{\"name\":\"web\",\"namespace\":"
			      "\"ns1\",\"uid\":\"u-1\"},\"spec\":"
			      "{\"securityContext\":%s}}",
			      c->pod_sc);
		cJSON *pod = J(t), *ctr;
		struct image_config img = {.rootfs = root,
					   .user = (char *)c->user};
		struct ps_sec s;
		struct err e = {0};
		char *got;

		free(t);
		t = xasprintf("{\"name\":\"c\",\"securityContext\":%s}",
			      c->ctr_sc);
		ctr = J(t);
		if (ps_security(pod, ctr, &img, &s, &e) == 0) {
			got = sec_result(&s);
			ps_sec_done(&s);
		} else {
			got = xstrdup(e.msg);
		}
		is_str(got, c->want, "security %zu: pod %s ctr %s user %s", i,
		       c->pod_sc, c->ctr_sc, c->user ? c->user : "-");
		free(got);
		free(t);
		cJSON_Delete(pod);
		cJSON_Delete(ctr);
	}
	for (i = 0; i < sizeof(flag_cases) / sizeof(flag_cases[0]); i++) {
		char *t = xasprintf("{\"name\":\"c\",\"securityContext\":%s}",
				    flag_cases[i].ctr_sc);
		cJSON *pod = J(pod_json), *ctr = J(t);
		struct image_config img = {.rootfs = root};
		struct ps_sec s;
		struct err e;
		char *add, *drop, *got;

		if (!ok(ps_security(pod, ctr, &img, &s, &e) == 0, "flags %zu",
			i))
			continue;
		add = strv_join(s.cap_add);
		drop = strv_join(s.cap_drop);
		got = xasprintf("%d,%d,%d,%s,%s", s.read_only_root,
				s.privileged, s.no_new_privs, add, drop);
		is_str(got, flag_cases[i].want, "flags: %s",
		       flag_cases[i].ctr_sc);
		free(add);
		free(drop);
		free(got);
		ps_sec_done(&s);
		cJSON_Delete(pod);
		cJSON_Delete(ctr);
		free(t);
	}
	check_symlinked_passwd(tmp);
	free(root);
}

struct res_case {
	const char *res;
	long long shares, quota, period, mem;
	const char *error;
};

static const struct res_case res_cases[] = {
    {"{}", 2, 0, 0, 0, NULL},
    {"{\"requests\":{\"cpu\":\"250m\"}}", 256, 0, 0, 0, NULL},
    {"{\"limits\":{\"cpu\":\"500m\",\"memory\":\"128Mi\"}}", 512, 50000, 100000,
     134217728, NULL},
    {"{\"requests\":{\"cpu\":\"1m\"}}", 2, 0, 0, 0, NULL},
    {"{\"limits\":{\"cpu\":\"1m\"}}", 2, 1000, 100000, 0, NULL},
    {"{\"requests\":{\"cpu\":\"2\",\"memory\":\"1Gi\"},\"limits\":"
     "{\"cpu\":\"4\",\"memory\":\"2G\"}}",
     2048, 400000, 100000, 2000000000, NULL},
    {"{\"requests\":{\"cpu\":\"1000\"}}", 262144, 0, 0, 0, NULL},
    {"{\"requests\":{\"cpu\":\"abc\"}}", 0, 0, 0, 0, "resources.requests.cpu"},
};

static void test_resources(void)
{
	size_t i;

	for (i = 0; i < sizeof(res_cases) / sizeof(res_cases[0]); i++) {
		const struct res_case *c = &res_cases[i];
		char *t =
		    xasprintf("{\"name\":\"c\",\"resources\":%s}", c->res);
		cJSON *ctr = J(t);
		struct rt_container_spec s = {0};
		struct err e = {0};
		int rc = ps_resources(ctr, &s, &e);

		if (c->error) {
			ok(rc < 0 && strstr(e.msg, c->error),
			   "resources %zu fails: %s", i, e.msg);
		} else {
			ok(rc == 0, "resources %zu: %s", i, c->res);
			is_int(s.cpu_shares, c->shares, "  cpu_shares");
			is_int(s.cpu_quota_us, c->quota, "  cpu_quota_us");
			is_int(s.cpu_period_us, c->period, "  cpu_period_us");
			is_int(s.memory_limit, c->mem, "  memory_limit");
		}
		cJSON_Delete(ctr);
		free(t);
	}
}

static void test_hosts(void)
{
	cJSON *pod =
	    J("{\"metadata\":{\"name\":\"web-0\",\"namespace\":\"ns1\"},"
	      "\"spec\":{\"hostname\":\"h0\",\"subdomain\":\"web\","
	      "\"hostAliases\":[{\"ip\":\"10.0.0.1\",\"hostnames\":"
	      "[\"foo.local\",\"bar.local\"]},{\"ip\":\"10.0.0.2\","
	      "\"hostnames\":[\"baz\"]}]}}");
	cJSON *plain = J("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns1\"},"
			 "\"spec\":{}}");
	static const char head[] = "# Kubernetes-managed hosts file.\n"
				   "127.0.0.1\tlocalhost\n"
				   "::1\tlocalhost ip6-localhost ip6-loopback\n"
				   "fe00::0\tip6-localnet\n"
				   "fe00::0\tip6-mcastprefix\n"
				   "fe00::1\tip6-allnodes\n"
				   "fe00::2\tip6-allrouters\n";
	char *got = ps_hosts_content(&env, pod, "10.1.0.7"), *want;

	want = xasprintf("%s10.1.0.7\th0.web.ns1.svc.cluster.local\th0\n\n"
			 "# Entries added by HostAliases.\n"
			 "10.0.0.1\tfoo.local\tbar.local\n10.0.0.2\tbaz\n",
			 head);
	is_str(got, want, "/etc/hosts with subdomain and hostAliases");
	free(got);
	free(want);
	got = ps_hosts_content(&env, plain, "10.1.0.8");
	want = xasprintf("%s10.1.0.8\tp\n", head);
	is_str(got, want, "/etc/hosts of a plain pod");
	free(got);
	free(want);
	got = ps_hosts_content(&env, plain, NULL);
	is_str(got, head, "/etc/hosts before the pod has an IP");
	free(got);
	cJSON_Delete(pod);
	cJSON_Delete(plain);
	pod = J(
	    "{\"metadata\":{\"name\":\"a23456789-a23456789-a23456789-a23456789-"
	    "a23456789-a23456789-a-.xyz\"}}");
	got = ps_hostname(pod);
	is_str(got,
	       "a23456789-a23456789-a23456789-a23456789-a23456789-a23456789-a",
	       "long pod names are cut to 63 bytes without trailing - or .");
	free(got);
	cJSON_Delete(pod);
}

struct resolv_case {
	const char *spec;
	bool with_dns;
	const char *want; /* NULL: the host's, checked loosely */
};

static const struct resolv_case resolv_cases[] = {
    {"{}", true,
     "search ns1.svc.cluster.local svc.cluster.local "
     "cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"},
    {"{\"dnsPolicy\":\"ClusterFirst\",\"dnsConfig\":{\"nameservers\":"
     "[\"1.1.1.1\"],\"searches\":[\"ex.com\"],\"options\":[{\"name\":"
     "\"ndots\",\"value\":\"2\"},{\"name\":\"edns0\"}]}}",
     true,
     "search ns1.svc.cluster.local svc.cluster.local cluster.local ex.com\n"
     "nameserver 10.96.0.10\nnameserver 1.1.1.1\noptions ndots:2 edns0\n"},
    {"{\"dnsPolicy\":\"None\",\"dnsConfig\":{\"nameservers\":[\"9.9.9.9\"],"
     "\"searches\":[\"a.b\"]}}",
     true, "search a.b\nnameserver 9.9.9.9\n"},
    {"{\"dnsPolicy\":\"ClusterFirstWithHostNet\",\"hostNetwork\":true}", true,
     "search ns1.svc.cluster.local svc.cluster.local "
     "cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"},
    {"{\"dnsPolicy\":\"Default\"}", true, NULL},
    {"{\"hostNetwork\":true}", true, NULL},
    {"{}", false, NULL},
};

static void test_resolv(void)
{
	size_t i;

	for (i = 0; i < sizeof(resolv_cases) / sizeof(resolv_cases[0]); i++) {
		const struct resolv_case *c = &resolv_cases[i];
		char *t =
		    xasprintf("{\"metadata\":{\"name\":\"p\",\"namespace\":"
			      "\"ns1\"},\"spec\":%s}",
			      c->spec);
		cJSON *pod = J(t);
		struct podspec_env e2 = env;
		char *got;

		if (!c->with_dns)
			e2.dns_server = NULL;
		got = ps_resolv_content(&e2, pod);
		if (c->want)
			is_str(got, c->want, "resolv.conf %zu: %s", i, c->spec);
		else
			ok(!strstr(got, "10.96.0.10") &&
			       !strstr(got, "svc.cluster"),
			   "resolv.conf %zu is the host's: %s", i, c->spec);
		free(got);
		cJSON_Delete(pod);
		free(t);
	}
}

static bool strv_has(char *const *v, const char *s)
{
	for (; v && *v; v++)
		if (!strcmp(*v, s))
			return true;
	return false;
}

static char *read_text(const char *path)
{
	FILE *fp = fopen(path, "r");
	struct buf b = BUF_INIT;
	char chunk[512];
	size_t n;

	buf_adds(&b, "");
	while (fp && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	if (fp)
		fclose(fp);
	return buf_take(&b);
}

/* A later container with a new pod IP rewrites etc-hosts in place. */
static void check_rewrite(const struct podspec_env *e2, const cJSON *pod,
			  const cJSON *ctr, const struct image_config *img,
			  const char *tmp)
{
	char *hosts = xasprintf("%s/pods/u-1/etc-hosts", tmp), *want, *got;
	struct stat before, after;
	struct podspec_out o2;
	struct err e;

	ok(stat(hosts, &before) == 0, "etc-hosts written");
	ok(podspec_container(e2, pod, ctr, img, NULL, "10.1.0.10", 4, &o2,
			     &e) == 0,
	   "second container, new IP");
	ok(stat(hosts, &after) == 0 && after.st_ino == before.st_ino,
	   "etc-hosts rewritten in place (mounted copies see it)");
	want = ps_hosts_content(e2, pod, "10.1.0.10");
	got = read_text(hosts);
	is_str(got, want, "etc-hosts has the new IP");
	free(got);
	free(want);
	free(hosts);
	podspec_out_done(&o2);
}

/* The whole of podspec_container on a pod without volumes. */
static void test_container(const char *tmp)
{
	cJSON *pod = J(pod_json);
	cJSON *ctr =
	    J("{\"name\":\"c\",\"command\":[\"sh\",\"-c\",\"echo "
	      "$(A) $(MY_POD)\"],\"workingDir\":\"/w\",\"env\":"
	      "[{\"name\":\"A\",\"value\":\"ctr\"},{\"name\":\"MY_POD\","
	      "\"valueFrom\":{\"fieldRef\":{\"fieldPath\":"
	      "\"metadata.name\"}}}],\"resources\":{\"limits\":"
	      "{\"memory\":\"64Mi\"}},\"terminationMessagePath\":"
	      "\"/tmp/msg\"}");
	char *envv[] = {"PATH=/img/bin", "A=img", "B=img", NULL};
	struct image_config img = {.rootfs = "/nonexistent", .env = envv};
	struct podspec_env e2 = env;
	struct podspec_out o;
	struct err e;
	struct stat st;
	char *joined, *p;

	e2.data_dir = tmp;
	if (!ok(podspec_container(&e2, pod, ctr, &img, NULL, "10.1.0.9", 3, &o,
				  &e) == 0,
		"podspec_container (%s)", e.msg))
		goto out;
	joined = strv_join(o.spec.argv);
	is_str(joined, "sh|-c|echo ctr web", "argv expanded");
	free(joined);
	joined = strv_join(o.spec.env);
	is_str(joined,
	       "PATH=/img/bin|HOSTNAME=web|A=ctr|B=img|"
	       "KUBERNETES_SERVICE_HOST=10.96.0.1|KUBERNETES_SERVICE_PORT=443|"
	       "KUBERNETES_PORT=tcp://10.96.0.1:443|"
	       "KUBERNETES_SERVICE_PORT_HTTPS=443|"
	       "KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443|"
	       "KUBERNETES_PORT_443_TCP_PROTO=tcp|KUBERNETES_PORT_443_TCP_PORT="
	       "443|"
	       "KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1|"
	       "MY_DB_SERVICE_HOST=10.96.5.5|MY_DB_SERVICE_PORT=5432|"
	       "MY_DB_PORT=tcp://10.96.5.5:5432|MY_DB_SERVICE_PORT_PG=5432|"
	       "MY_DB_PORT_5432_TCP=tcp://10.96.5.5:5432|"
	       "MY_DB_PORT_5432_TCP_PROTO=tcp|MY_DB_PORT_5432_TCP_PORT=5432|"
	       "MY_DB_PORT_5432_TCP_ADDR=10.96.5.5|"
	       "MY_DB_PORT_53_UDP=udp://10.96.5.5:53|MY_DB_PORT_53_UDP_PROTO=udp|"
	       "MY_DB_PORT_53_UDP_PORT=53|MY_DB_PORT_53_UDP_ADDR=10.96.5.5|"
	       "MY_POD=web",
	       "env: image env overridden in place, HOSTNAME, container's");
	free(joined);
	is_str(o.spec.id, "u-1_c_3", "container id");
	is_str(o.spec.cwd, "/w", "workingDir");
	is_int(o.spec.memory_limit, 64 << 20, "memory limit");
	is_str(o.spec.termination_path, "/tmp/msg", "terminationMessagePath");
	p = xasprintf("%s/pods/u-1/containers/c/termination-log-3", tmp);
	is_str(o.spec.termination_log, p, "termination log file");
	ok(stat(p, &st) == 0 && (st.st_mode & 0777) == 0666,
	   "termination log exists, mode 0666");
	free(p);
	p = xasprintf("%s/logs/ns1_web_u-1/c/3.log", tmp);
	is_str(o.spec.log_path, p, "log path");
	free(p);
	is_int((long long)o.spec.nmounts, 3, "three pod files mounted");
	ok(o.spec.nmounts == 3 &&
	       !strcmp(o.spec.mounts[0].dest, "/etc/hosts") &&
	       !o.spec.mounts[0].read_only,
	   "/etc/hosts mounted read-write");
	ok(!strv_has(o.spec.env, "X=1"), "no stray variables");
	check_rewrite(&e2, pod, ctr, &img, tmp);
	podspec_out_done(&o);
	podspec_out_done(&o);
	cJSON_Delete(ctr);
	ctr = J("{\"name\":\"c\",\"image\":\"x\",\"volumeMounts\":[{\"name\":"
		"\"nope\",\"mountPath\":\"/x\"}]}");
	img.cmd = envv;
	ok(podspec_container(&e2, pod, ctr, &img, NULL, NULL, 0, &o, &e) < 0 &&
	       strstr(e.msg, "cannot find volume \"nope\""),
	   "unknown volume: %s", e.msg);
	cJSON_Delete(ctr);
	ctr = J("{\"name\":\"c\",\"env\":[{\"name\":\"S\",\"valueFrom\":"
		"{\"secretKeyRef\":{\"name\":\"gone\",\"key\":\"k\"}}}]}");
	ok(podspec_container(&e2, pod, ctr, &img, NULL, NULL, 0, &o, &e) < 0 &&
	       !strcmp(e.msg, "secret \"gone\" not found"),
	   "missing secret is a config error: %s", e.msg);
out:
	cJSON_Delete(ctr);
	cJSON_Delete(pod);
}

int main(void)
{
	char tmp[] = "/tmp/test_podspec.XXXXXX";
	struct err e;

	cluster = J(cluster_json);
	if (!mkdtemp(tmp)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	env.data_dir = tmp;
	test_expand();
	test_command();
	test_env();
	test_env_allocatable();
	test_security(tmp);
	test_resources();
	test_hosts();
	test_resolv();
	test_container(tmp);
	ps_rmtree(tmp, &e);
	cJSON_Delete(cluster);
	return tap_done();
}
