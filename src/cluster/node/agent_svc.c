/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agent_svc: the node's Service plumbing, kube-proxy's, CoreDNS's and an
 * ingress controller's part of a real node.  Store watches on Services,
 * EndpointSlices, Ingresses and IngressClasses only flag work; one thread
 * then lists them (as a user of the system:masters group, like the other
 * in-process parts), builds a Service model (net/svcmodel.h), replaces
 * the nftables table of Service virtual IPs and NodePorts
 * (net/svcrules.h), hands the model to the cluster DNS server (net/dns.h),
 * which listens on the pod network's gateway, and the Ingress routes to
 * the ingress proxy (net/ingress.h), which listens on KDECK_INGRESS_LISTEN
 * (default 0.0.0.0:80, "off" for none) and writes the node's address into
 * the status of the Ingresses it serves.  A resync every RESYNC_S puts
 * back rules someone flushed.
 *
 * As on a kubeadm cluster, the DNS server is the Service kube-system/
 * kube-dns at the service range's .10 address (its EndpointSlice names
 * the gateway), and pods' resolv.conf points there; without nftables the
 * pods are given the gateway address itself.  Only a rootful node with a
 * bridge has any of this: a rootless one says so and pods get the host's
 * resolv.conf.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cluster/api.h"
#include "cluster/net/dns.h"
#include "cluster/net/ingress.h"
#include "cluster/net/net_priv.h"
#include "cluster/net/svcrules.h"
#include "cluster/node/agent_int.h"
#include "common/json.h"
#include "common/mem.h"

#define RESYNC_S 30
#define DEBOUNCE_MS 20
#define PROXY_USER "system:kube-proxy"
#define DNS_USER "system:kdeck:node-services"
#define INGRESS_ADDR "0.0.0.0:80"
#define INGRESS_TLS_ADDR "0.0.0.0:443"
#define SLICE_NAME "kube-dns-kdeck"

struct agent_svc {
	struct agent *a;
	pthread_t thread;
	pthread_mutex_t mu;	/* dirty, stop */
	bool dirty, stop, started;
	int wake[2];
	struct store_watch *wsvc, *wslice, *wing, *wcls, *wsec;
	struct dns_server *dns;
	struct ingress_proxy *ingress, *ingress_tls;
	char *ingress_addr, *ingress_err;
	char *tls_addr, *tls_err;
	char table[48];
	char *gateway, *dns_ip;
	bool nft;		/* Service IPs through nftables */
	char *nft_err;		/* last nft failure, reported once */
	char *lb_ip;		/* LoadBalancer and Ingress address, or NULL */
	char *applied;		/* the last rules script nft took */
};

static int svc_call(struct agent *a, const char *user, const char *method,
		    const char *path, const cJSON *body, cJSON **out)
{
	static const char *const masters[] = { "system:masters", NULL };

	return api_call(a->api, user, strcmp(user, DNS_USER) ? NULL : masters,
			method, path, body, out);
}

/* ---- kube-system/kube-dns ---- */

/* The service range's .10 from the kubernetes Service's address. */
static char *dns_cluster_ip(struct agent *a)
{
	cJSON *k = NULL;
	char *ip = NULL;
	struct in_addr in;

	if (svc_call(a, PROXY_USER, "GET",
		     "/api/v1/namespaces/default/services/kubernetes", NULL,
		     &k) == 200 &&
	    json_get_str(k, "spec.clusterIP") &&
	    inet_pton(AF_INET, json_get_str(k, "spec.clusterIP"), &in) == 1) {
		in.s_addr = htonl((ntohl(in.s_addr) & ~0xffu) | 10);
		ip = xstrdup(inet_ntoa(in));
	}
	cJSON_Delete(k);
	return ip;
}

static cJSON *dns_port(const char *name, const char *proto)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "name", name);
	cJSON_AddNumberToObject(p, "port", 53);
	cJSON_AddStringToObject(p, "protocol", proto);
	return p;
}

static cJSON *dns_service(const char *ip)
{
	cJSON *s = cJSON_CreateObject(), *ports = cJSON_CreateArray();

	json_set_str(s, "apiVersion", "v1");
	json_set_str(s, "kind", "Service");
	json_set_str(s, "metadata.name", "kube-dns");
	json_set_str(s, "metadata.namespace", "kube-system");
	json_set_str(s, "metadata.labels.k8s-app", "kube-dns");
	json_set_str(s, "metadata.labels.kubernetes\\.io/name", "CoreDNS");
	json_set_str(s, "metadata.labels.kubernetes\\.io/cluster-service",
		     "true");
	if (ip)
		json_set_str(s, "spec.clusterIP", ip);
	cJSON_AddItemToArray(ports, dns_port("dns", "UDP"));
	cJSON_AddItemToArray(ports, dns_port("dns-tcp", "TCP"));
	json_set(s, "spec.ports", ports);
	return s;
}

static cJSON *dns_slice(struct agent *a, const char *gateway)
{
	cJSON *s = cJSON_CreateObject(), *ep = cJSON_CreateObject();
	cJSON *ports = cJSON_CreateArray(), *eps = cJSON_CreateArray();

	json_set_str(s, "apiVersion", "discovery.k8s.io/v1");
	json_set_str(s, "kind", "EndpointSlice");
	json_set_str(s, "metadata.name", SLICE_NAME);
	json_set_str(s, "metadata.namespace", "kube-system");
	json_set_str(s, "metadata.labels.kubernetes\\.io/service-name",
		     "kube-dns");
	json_set_str(s, "metadata.labels.endpointslice\\.kubernetes\\.io/"
			"managed-by", "kdeck-node-agent");
	json_set_str(s, "addressType", "IPv4");
	json_set(ep, "addresses",
		 cJSON_CreateStringArray((const char *[]){ gateway }, 1));
	json_set(ep, "conditions.ready", cJSON_CreateTrue());
	json_set_str(ep, "nodeName", a->node_name);
	cJSON_AddItemToArray(eps, ep);
	json_set(s, "endpoints", eps);
	cJSON_AddItemToArray(ports, dns_port("dns", "UDP"));
	cJSON_AddItemToArray(ports, dns_port("dns-tcp", "TCP"));
	json_set(s, "ports", ports);
	return s;
}

/*
 * Make kube-dns exist with our address; sets svc->dns_ip to its
 * ClusterIP.  A Service someone else made is used as it is.
 */
static void ensure_kube_dns(struct agent_svc *svc)
{
	static const char *const spath =
	    "/api/v1/namespaces/kube-system/services/kube-dns";
	static const char *const epath = "/apis/discovery.k8s.io/v1/"
					 "namespaces/kube-system/"
					 "endpointslices/" SLICE_NAME;
	struct agent *a = svc->a;
	cJSON *cur = NULL, *obj;
	char *ip;
	int st = svc_call(a, DNS_USER, "GET", spath, NULL, &cur);

	if (st == 404) {
		ip = dns_cluster_ip(a);
		obj = dns_service(ip);
		cJSON_Delete(cur);
		cur = NULL;
		st = svc_call(a, DNS_USER, "POST",
			      "/api/v1/namespaces/kube-system/services", obj,
			      &cur);
		if (st == 422) {	/* .10 taken: any address will do */
			cJSON_Delete(obj);
			cJSON_Delete(cur);
			cur = NULL;
			obj = dns_service(NULL);
			st = svc_call(a, DNS_USER, "POST",
				      "/api/v1/namespaces/kube-system/services",
				      obj, &cur);
		}
		cJSON_Delete(obj);
		free(ip);
	}
	free(svc->dns_ip);
	svc->dns_ip = NULL;
	if ((st == 200 || st == 201) && json_get_str(cur, "spec.clusterIP") &&
	    strcmp(json_get_str(cur, "spec.clusterIP"), "None"))
		svc->dns_ip = xstrdup(json_get_str(cur, "spec.clusterIP"));
	cJSON_Delete(cur);
	cur = NULL;
	obj = dns_slice(a, svc->gateway);
	if (svc_call(a, DNS_USER, "GET", epath, NULL, &cur) == 200) {
		json_set_str(obj, "metadata.resourceVersion",
			     json_get_str(cur, "metadata.resourceVersion"));
		svc_call(a, DNS_USER, "PUT", epath, obj, NULL);
	} else {
		svc_call(a, DNS_USER, "POST",
			 "/apis/discovery.k8s.io/v1/namespaces/kube-system/"
			 "endpointslices", obj, NULL);
	}
	cJSON_Delete(obj);
	cJSON_Delete(cur);
}

/* ---- sync ---- */

static cJSON *list_items(struct agent *a, const char *path, cJSON **list)
{
	*list = NULL;
	if (svc_call(a, DNS_USER, "GET", path, NULL, list) != 200)
		return NULL;
	return json_get(*list, "items");
}

/* The first status.loadBalancer.ingress[].ip of ing, or NULL. */
static const char *ingress_ip(const cJSON *ing)
{
	const cJSON *first = cJSON_GetArrayItem(
	    json_get(ing, "status.loadBalancer.ingress"), 0);

	return json_get_str(first, "ip");
}

/*
 * Write status.loadBalancer of o (a Service or an Ingress under group
 * path gv, resource res): ingress [{ip}], or none when ip is NULL.
 */
static void put_lb_status(struct agent_svc *svc, const char *gv,
			  const char *res, const cJSON *o, const char *ip)
{
	cJSON *c = json_dup(o), *lb = cJSON_CreateObject();
	char *path;

	if (ip) {
		cJSON *list = cJSON_CreateArray(), *addr = cJSON_CreateObject();

		cJSON_AddStringToObject(addr, "ip", ip);
		cJSON_AddItemToArray(list, addr);
		cJSON_AddItemToObject(lb, "ingress", list);
	}
	json_set(c, "status.loadBalancer", lb);
	path = xasprintf("%s/namespaces/%s/%s/%s/status", gv,
			 json_get_str(o, "metadata.namespace"), res,
			 json_get_str(o, "metadata.name"));
	svc_call(svc->a, DNS_USER, "PUT", path, c, NULL);
	free(path);
	cJSON_Delete(c);
}

/*
 * servicelb's part: a LoadBalancer Service (of no other
 * loadBalancerClass) gets the node's address as its load-balancer IP,
 * and a Service that stopped being one loses the address we gave it.
 * The rules follow from the status (svcmodel.c reads it).
 */
static void service_lb_status(struct agent_svc *svc, const cJSON *services)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, services) {
		const char *type = json_get_str(s, "spec.type");
		const char *cur = ingress_ip(s);
		bool lb = type && !strcmp(type, "LoadBalancer") &&
			  !json_get_str(s, "spec.loadBalancerClass");

		if (!svc->lb_ip || !json_get_str(s, "metadata.name"))
			continue;
		if (lb && (!cur || strcmp(cur, svc->lb_ip)))
			put_lb_status(svc, "/api/v1", "services", s,
				      svc->lb_ip);
		else if (!lb && cur && !strcmp(cur, svc->lb_ip))
			put_lb_status(svc, "/api/v1", "services", s, NULL);
	}
}

/*
 * Served Ingresses show the node's address, as a controller's do.  Only
 * a status that differs is written (each write wakes this thread again).
 */
static void ingress_status(struct agent_svc *svc, const cJSON *ings,
			   const cJSON *classes)
{
	const char *ip = svc->lb_ip;
	const cJSON *i;

	cJSON_ArrayForEach(i, ings) {
		const char *cur = ingress_ip(i);

		if (!ip || !*ip || !ingress_served(i, classes) ||
		    (cur && !strcmp(cur, ip)))
			continue;
		put_lb_status(svc, "/apis/networking.k8s.io/v1", "ingresses", i,
			      ip);
	}
}

/* The Secrets the served Ingresses' spec.tls entries name, as an array. */
static cJSON *tls_secrets(struct agent_svc *svc, const cJSON *ings,
			  const cJSON *classes)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *i, *t;

	cJSON_ArrayForEach(i, ings) {
		if (!ingress_served(i, classes))
			continue;
		cJSON_ArrayForEach(t, json_get(i, "spec.tls")) {
			const char *name = json_get_str(t, "secretName");
			cJSON *sec = NULL;
			char *path;

			if (!name || !*name)
				continue;
			path = xasprintf("/api/v1/namespaces/%s/secrets/%s",
					 json_get_str(i, "metadata.namespace"),
					 name);
			if (svc_call(svc->a, DNS_USER, "GET", path, NULL,
				     &sec) == 200)
				cJSON_AddItemToArray(out, sec);
			else
				cJSON_Delete(sec);
			free(path);
		}
	}
	return out;
}

static void sync_ingress(struct agent_svc *svc, struct svc_model *m)
{
	cJSON *il, *cl, *secrets;
	const cJSON *ings, *classes;
	struct ingress_routes *r;

	if (!svc->ingress && !svc->ingress_tls)
		return;
	ings = list_items(svc->a, "/apis/networking.k8s.io/v1/ingresses", &il);
	classes = list_items(svc->a,
			     "/apis/networking.k8s.io/v1/ingressclasses", &cl);
	r = ingress_routes_build(ings, classes, m);
	if (svc->ingress)
		ingress_proxy_set_routes(svc->ingress, r);
	if (svc->ingress_tls) {
		ingress_proxy_set_routes(svc->ingress_tls, r);
		secrets = tls_secrets(svc, ings, classes);
		ingress_proxy_set_certs(svc->ingress_tls,
					ingress_certs_build(ings, classes,
							    secrets));
		cJSON_Delete(secrets);
	}
	ingress_routes_unref(r);
	ingress_status(svc, ings, classes);
	cJSON_Delete(il);
	cJSON_Delete(cl);
}

static bool table_present(const struct agent_svc *svc)
{
	char *cmd = xasprintf("list table ip %s\n", svc->table);
	struct err e;
	int rc;

	err_clear(&e);
	rc = nft_run(cmd, &e);

	free(cmd);
	return rc == 0;
}

/*
 * Replace the table with script, unless it holds script already (a
 * rewrite would forget the clients sessionAffinity sets remember).
 */
static void apply_rules(struct agent_svc *svc, const char *script)
{
	struct err e;

	if (svc->applied && !strcmp(svc->applied, script) &&
	    table_present(svc))
		return;
	err_clear(&e);
	free(svc->applied);
	svc->applied = NULL;
	if (nft_run(script, &e) == 0) {
		svc->applied = xstrdup(script);
		return;
	}
	if (!svc->nft_err || strcmp(svc->nft_err, e.msg)) {
		fprintf(stderr, "kdeck: service rules: %s\n", e.msg);
		free(svc->nft_err);
		svc->nft_err = xstrdup(e.msg);
	}
}

static void sync_rules(struct agent_svc *svc)
{
	cJSON *sl, *el;
	const cJSON *services = list_items(svc->a, "/api/v1/services", &sl);
	const cJSON *slices = list_items(
	    svc->a, "/apis/discovery.k8s.io/v1/endpointslices", &el);
	struct svc_model *m = svc_model_build(services, slices);
	struct buf script = BUF_INIT;

	if (svc->nft) {
		svcrules_script(&script, svc->table, svc->a->pod_cidr, m);
		apply_rules(svc, buf_cstr(&script));
	}
	service_lb_status(svc, services);
	if (svc->dns)
		dns_server_set_model(svc->dns, m);
	sync_ingress(svc, m);
	svc_model_unref(m);
	buf_free(&script);
	cJSON_Delete(sl);
	cJSON_Delete(el);
}

static void watch_cb(void *arg, const struct store_event *ev)
{
	struct agent_svc *svc = arg;

	(void)ev;
	pthread_mutex_lock(&svc->mu);
	svc->dirty = true;
	pthread_mutex_unlock(&svc->mu);
	if (write(svc->wake[1], "w", 1) < 0 && errno != EAGAIN)
		return;		/* the pipe is full: a wake is pending */
}

static bool take_work(struct agent_svc *svc, bool *stop)
{
	bool d;

	pthread_mutex_lock(&svc->mu);
	d = svc->dirty;
	svc->dirty = false;
	*stop = svc->stop;
	pthread_mutex_unlock(&svc->mu);
	return d;
}

/*
 * Sync on every burst of changes, once more a second after the last one
 * (a burst may end while its last writes are still being published to
 * the lists we read), and every RESYNC_S.
 */
static void *svc_thread(void *arg)
{
	struct agent_svc *svc = arg;
	time_t last = 0;
	bool stop = false, settle = false;

	while (!stop) {
		struct pollfd pf = { .fd = svc->wake[0], .events = POLLIN };
		char drain[64];
		bool work;

		if (poll(&pf, 1, 1000) > 0) {
			poll(NULL, 0, DEBOUNCE_MS);	/* gather a burst */
			while (read(svc->wake[0], drain, sizeof(drain)) > 0)
				;
		}
		work = take_work(svc, &stop);
		if (stop)
			break;
		if (work || settle || time(NULL) - last >= RESYNC_S) {
			sync_rules(svc);
			last = time(NULL);
		}
		settle = work;
	}
	return NULL;
}

/* ---- start and stop ---- */

/* KDECK_LB_ADDRESS if it is an IPv4 address, else the node's. */
static char *lb_address(struct agent *a)
{
	const char *env = getenv("KDECK_LB_ADDRESS");
	struct in_addr in;

	if (env && inet_pton(AF_INET, env, &in) == 1)
		return xstrdup(env);
	if (env && *env)
		fprintf(stderr, "kdeck: KDECK_LB_ADDRESS=%s is not an IPv4 "
				"address; using the node's\n", env);
	return a->host_ip && inet_pton(AF_INET, a->host_ip, &in) == 1
		   ? xstrdup(a->host_ip)
		   : NULL;
}

static int start_dns(struct agent_svc *svc, struct err *e)
{
	char **up = dns_upstreams("/etc/resolv.conf", svc->gateway);
	struct dns_server_config cfg = {
	    .addr = svc->gateway,
	    .port = 53,
	    .domain = svc->a->env.cluster_domain,
	    .upstream = (const char *const *)up,
	};
	int rc = dns_server_start(&cfg, &svc->dns, e);

	for (size_t i = 0; up[i]; i++)
		free(up[i]);
	free(up);
	return rc;
}

/* The IngressClass "kdeck", the default class, made once. */
static void ensure_class(struct agent *a)
{
	static const char *const path =
	    "/apis/networking.k8s.io/v1/ingressclasses";
	cJSON *c = cJSON_CreateObject(), *cur = NULL;
	char *one = xasprintf("%s/" INGRESS_CLASS, path);

	if (svc_call(a, DNS_USER, "GET", one, NULL, &cur) == 404) {
		json_set_str(c, "apiVersion", "networking.k8s.io/v1");
		json_set_str(c, "kind", "IngressClass");
		json_set_str(c, "metadata.name", INGRESS_CLASS);
		json_set_str(c, "metadata.annotations.ingressclass\\."
				"kubernetes\\.io/is-default-class", "true");
		json_set_str(c, "spec.controller", INGRESS_CONTROLLER);
		svc_call(a, DNS_USER, "POST", path, c, NULL);
	}
	cJSON_Delete(cur);
	cJSON_Delete(c);
	free(one);
}

/* Start a listener on $env (else def; "off": none): addr and err. */
static struct ingress_proxy *start_listener(const char *env, const char *def,
					    bool tls, char **addr_out,
					    char **err_out)
{
	const char *addr = getenv(env);
	struct ingress_proxy *p = NULL;
	struct err e;

	if (!addr || !*addr)
		addr = def;
	if (!strcmp(addr, "off"))
		return NULL;
	err_clear(&e);
	*addr_out = xstrdup(addr);
	if ((tls ? ingress_proxy_start_tls(addr, &p, &e)
		 : ingress_proxy_start(addr, &p, &e)) < 0) {
		*err_out = xstrdup(e.msg);
		fprintf(stderr, "kdeck: %s\n", e.msg);
		return NULL;
	}
	return p;
}

static void start_ingress(struct agent_svc *svc)
{
	svc->ingress = start_listener("KDECK_INGRESS_LISTEN", INGRESS_ADDR,
				      false, &svc->ingress_addr,
				      &svc->ingress_err);
	svc->ingress_tls = start_listener("KDECK_INGRESS_TLS_LISTEN",
					  INGRESS_TLS_ADDR, true,
					  &svc->tls_addr, &svc->tls_err);
	if (svc->ingress || svc->ingress_tls)
		ensure_class(svc->a);
}

static int watch_kinds(struct agent_svc *svc, struct err *e)
{
	char *k1 = store_key(NULL, "services", NULL, NULL);
	char *k2 = store_key("discovery.k8s.io", "endpointslices", NULL, NULL);
	char *k3 = store_key("networking.k8s.io", "ingresses", NULL, NULL);
	char *k4 = store_key("networking.k8s.io", "ingressclasses", NULL, NULL);
	char *k5 = store_key(NULL, "secrets", NULL, NULL);
	int rc = store_watch(svc->a->store, k1, 0, watch_cb, svc, &svc->wsvc,
			     e);

	if (rc == 0)
		rc = store_watch(svc->a->store, k2, 0, watch_cb, svc,
				 &svc->wslice, e);
	if (rc == 0)
		rc = store_watch(svc->a->store, k3, 0, watch_cb, svc,
				 &svc->wing, e);
	if (rc == 0)
		rc = store_watch(svc->a->store, k4, 0, watch_cb, svc,
				 &svc->wcls, e);
	if (rc == 0 && svc->ingress_tls)	/* spec.tls Secrets */
		rc = store_watch(svc->a->store, k5, 0, watch_cb, svc,
				 &svc->wsec, e);
	free(k5);
	free(k1);
	free(k2);
	free(k3);
	free(k4);
	return rc;
}

/* "http://ADDR", or "no: why" ("off" when turned off). */
static char *listener_text(const struct ingress_proxy *p, const char *scheme,
			   const char *addr, const char *err)
{
	if (p)
		return xasprintf("%s://%s", scheme, addr);
	return xasprintf("no: %s", err ? err : "off");
}

static char *describe(const struct agent_svc *svc, const char *why)
{
	char *http, *https, *msg;

	if (why)
		return xasprintf("Service IPs and cluster DNS: no: %s", why);
	http = listener_text(svc->ingress, "http", svc->ingress_addr,
			     svc->ingress_err);
	https = listener_text(svc->ingress_tls, "https", svc->tls_addr,
			      svc->tls_err);
	msg = xasprintf("Service IPs: %s; load balancers: %s; cluster DNS: "
			"%s; ingress: %s, %s",
			svc->nft ? "nftables" : "no: nftables not installed",
			svc->lb_ip && svc->nft ? svc->lb_ip : "no",
			svc->dns ? svc->dns_ip ? svc->dns_ip : svc->gateway
				 : "no",
			http, https);
	free(http);
	free(https);
	return msg;
}

char *agent_svc_start(struct agent *a)
{
	struct agent_svc *svc;
	const char *br = a->net ? podnet_bridge(a->net) : NULL;
	char *msg;
	struct err e;

	if (!br || !*br)
		return xasprintf("Service IPs and cluster DNS: no: no bridge "
				 "(rootless pods reach Services by pod IP)");
	svc = xcalloc(1, sizeof(*svc));
	svc->a = a;
	svc->wake[0] = svc->wake[1] = -1;
	pthread_mutex_init(&svc->mu, NULL);
	svc->gateway = xstrdup(podnet_gateway(a->net));
	svcrules_table_name(br, svc->table);
	svc->nft = nft_available();
	svc->lb_ip = lb_address(a);
	a->svc = svc;
	err_clear(&e);
	if (start_dns(svc, &e) < 0)
		fprintf(stderr, "kdeck: %s\n", e.msg);
	ensure_kube_dns(svc);
	start_ingress(svc);
	if (svc->dns)
		a->env.dns_server = svc->nft && svc->dns_ip ? svc->dns_ip
							    : svc->gateway;
	err_clear(&e);
	if (pipe2(svc->wake, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    watch_kinds(svc, &e) < 0) {
		msg = describe(svc, e.msg[0] ? e.msg : strerror(errno));
		agent_svc_stop(a);
		return msg;
	}
	sync_rules(svc);
	svc->started = pthread_create(&svc->thread, NULL, svc_thread, svc) == 0;
	return describe(svc, NULL);
}

void agent_svc_stop(struct agent *a)
{
	struct agent_svc *svc = a->svc;

	if (!svc)
		return;
	pthread_mutex_lock(&svc->mu);
	svc->stop = true;
	pthread_mutex_unlock(&svc->mu);
	if (svc->started) {
		if (write(svc->wake[1], "s", 1) < 0 && errno != EAGAIN)
			fprintf(stderr, "kdeck: services: wake: %s\n",
				strerror(errno));
		pthread_join(svc->thread, NULL);
	}
	store_unwatch(svc->wsvc);
	store_unwatch(svc->wslice);
	store_unwatch(svc->wing);
	store_unwatch(svc->wcls);
	store_unwatch(svc->wsec);
	ingress_proxy_stop(svc->ingress);
	ingress_proxy_stop(svc->ingress_tls);
	dns_server_stop(svc->dns);
	if (a->env.dns_server == svc->dns_ip ||
	    a->env.dns_server == svc->gateway)
		a->env.dns_server = NULL;
	for (int i = 0; i < 2; i++)
		if (svc->wake[i] >= 0)
			close(svc->wake[i]);
	pthread_mutex_destroy(&svc->mu);
	free(svc->gateway);
	free(svc->dns_ip);
	free(svc->nft_err);
	free(svc->lb_ip);
	free(svc->applied);
	free(svc->ingress_addr);
	free(svc->ingress_err);
	free(svc->tls_addr);
	free(svc->tls_err);
	free(svc);
	a->svc = NULL;
}
