/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipam: which pod holds which address of the node's pod CIDR, and the
 * hostPorts mapped to it.  Pure data: podnet.c persists the text form in
 * DATA/net/ipam.json after every change (atomic write), so a pod keeps its
 * address across daemon restarts.
 *
 * Addresses go out next-fit like CNI's host-local plugin: the one after
 * the last handed out, wrapping around, so a released address is not
 * reused at once (stale conntrack entries and endpoints still point at
 * it).  Network (.0), gateway (.1) and broadcast are never handed out.
 *
 * State text:
 *   {"cidr":"10.244.0.0/24","last":"10.244.0.3",
 *    "pods":{"UID":{"ip":"10.244.0.2",
 *                   "hostPorts":[{"hostPort":8080,"containerPort":80,
 *                                 "protocol":"TCP","hostIP":""}]}}}
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/net/net_priv.h"
#include "common/json.h"
#include "common/mem.h"

int ipam_parse_ip(const char *s, uint32_t *ip)
{
	struct in_addr in;

	if (!s || inet_pton(AF_INET, s, &in) != 1)
		return -1;
	*ip = ntohl(in.s_addr);
	return 0;
}

void ipam_ip_str(uint32_t ip, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
		 (ip >> 8) & 255, ip & 255);
}

int ipam_parse_cidr(const char *s, uint32_t *net, int *prefix, struct err *e)
{
	char addr[16], *end;
	const char *slash = s ? strchr(s, '/') : NULL;
	uint32_t ip;
	long n;

	if (!slash || (size_t)(slash - s) >= sizeof(addr))
		return err_set(e, ERR_INVALID,
			       "pod CIDR \"%s\": want A.B.C.D/N", s ? s : "");
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	if (ipam_parse_ip(addr, &ip) < 0)
		return err_set(e, ERR_INVALID,
			       "pod CIDR \"%s\": \"%s\" is not "
			       "an IPv4 address",
			       s, addr);
	n = strtol(slash + 1, &end, 10);
	if (end == slash + 1 || *end || n < 8 || n > 30)
		return err_set(e, ERR_INVALID,
			       "pod CIDR \"%s\": the prefix "
			       "length must be 8..30",
			       s);
	if (ip & (0xffffffffu >> n))
		return err_set(e, ERR_INVALID,
			       "pod CIDR \"%s\": host bits are "
			       "set (did you mean the network address?)",
			       s);
	*net = ip;
	*prefix = (int)n;
	return 0;
}

void ipam_init(struct ipam *a, uint32_t net, int prefix)
{
	memset(a, 0, sizeof(*a));
	a->net = net;
	a->prefix = prefix;
	a->last = net + 1;
}

static void entry_free(struct ipam_entry *en)
{
	if (!en)
		return;
	free(en->uid);
	free(en->ports);
	free(en);
}

void ipam_done(struct ipam *a)
{
	struct ipam_entry *en, *tmp;

	HASH_CLEAR(hh_ip, a->by_ip);
	HASH_ITER(hh, a->by_uid, en, tmp)
	{
		HASH_DELETE(hh, a->by_uid, en);
		entry_free(en);
	}
}

struct ipam_entry *ipam_find(const struct ipam *a, const char *uid)
{
	struct ipam_entry *en = NULL;

	HASH_FIND_STR(a->by_uid, uid, en);
	return en;
}

static struct ipam_entry *find_ip(const struct ipam *a, uint32_t ip)
{
	struct ipam_entry *en = NULL;

	HASH_FIND(hh_ip, a->by_ip, &ip, sizeof(ip), en);
	return en;
}

static bool usable(const struct ipam *a, uint32_t ip)
{
	uint32_t mask = ~(0xffffffffu >> a->prefix);

	return (ip & mask) == a->net && ip != a->net && ip != ipam_gateway(a) &&
	       ip != ipam_broadcast(a);
}

static struct ipam_entry *add(struct ipam *a, const char *uid, uint32_t ip)
{
	struct ipam_entry *en = xcalloc(1, sizeof(*en));

	en->uid = xstrdup(uid);
	en->ip = ip;
	HASH_ADD_KEYPTR(hh, a->by_uid, en->uid, strlen(en->uid), en);
	HASH_ADD(hh_ip, a->by_ip, ip, sizeof(en->ip), en);
	return en;
}

int ipam_alloc(struct ipam *a, const char *uid, uint32_t *ip, bool *fresh,
	       struct err *e)
{
	struct ipam_entry *en = ipam_find(a, uid);
	uint32_t first = a->net + 2, bcast = ipam_broadcast(a), cand;
	char cidr[16];

	if (en) {
		*ip = en->ip;
		*fresh = false;
		return 0;
	}
	cand = a->last;
	for (uint32_t i = 0; i < ipam_capacity(a); i++) {
		cand = cand + 1 >= bcast || cand < first ? first : cand + 1;
		if (!find_ip(a, cand)) {
			add(a, uid, cand);
			a->last = cand;
			*ip = cand;
			*fresh = true;
			return 0;
		}
	}
	ipam_ip_str(a->net, cidr);
	return err_set(e, ERR_UNAVAILABLE,
		       "no free pod address in %s/%d: all "
		       "%u are in use",
		       cidr, a->prefix, ipam_capacity(a));
}

bool ipam_release(struct ipam *a, const char *uid)
{
	struct ipam_entry *en = ipam_find(a, uid);

	if (!en)
		return false;
	HASH_DELETE(hh, a->by_uid, en);
	HASH_DELETE(hh_ip, a->by_ip, en);
	entry_free(en);
	return true;
}

static const char *const protocols[] = {"TCP", "UDP", "SCTP"};

static int check_port(const struct ipam_port *p, struct err *e)
{
	uint32_t ip;
	bool known = false;

	for (size_t i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
		known |= !strcmp(p->proto, protocols[i]);
	if (!known)
		return err_set(e, ERR_INVALID,
			       "hostPort %d: protocol \"%s\" is "
			       "not TCP, UDP or SCTP",
			       p->host_port, p->proto);
	if (p->host_port < 1 || p->host_port > 65535 || p->container_port < 1 ||
	    p->container_port > 65535)
		return err_set(e, ERR_INVALID,
			       "hostPort %d -> %d: ports must "
			       "be 1..65535",
			       p->host_port, p->container_port);
	if (p->host_ip[0] && ipam_parse_ip(p->host_ip, &ip) < 0)
		return err_set(e, ERR_INVALID,
			       "hostIP \"%s\" is not an IPv4 "
			       "address",
			       p->host_ip);
	return 0;
}

/* Same port and protocol on overlapping addresses ("" is every one)? */
static bool clash(const struct ipam_port *p, const struct ipam_port *q)
{
	return p->host_port == q->host_port && !strcmp(p->proto, q->proto) &&
	       (!p->host_ip[0] || !q->host_ip[0] ||
		!strcmp(p->host_ip, q->host_ip));
}

/* ERR_CONFLICT when p is already mapped by another pod than self. */
static int check_free(const struct ipam *a, const struct ipam_entry *self,
		      const struct ipam_port *p, struct err *e)
{
	const struct ipam_entry *en;

	for (en = a->by_uid; en; en = en->hh.next) {
		if (en == self)
			continue;
		for (size_t i = 0; i < en->nports; i++)
			if (clash(p, &en->ports[i]))
				return err_set(e, ERR_CONFLICT,
					       "hostPort %d/%s "
					       "is already mapped to pod %s",
					       p->host_port, p->proto, en->uid);
	}
	return 0;
}

int ipam_set_ports(struct ipam *a, const char *uid,
		   const struct ipam_port *ports, size_t n, struct err *e)
{
	struct ipam_entry *en = ipam_find(a, uid);

	if (!en)
		return err_set(e, ERR_NOT_FOUND, "pod %s has no address", uid);
	for (size_t i = 0; i < n; i++)
		if (check_port(&ports[i], e) < 0 ||
		    check_free(a, en, &ports[i], e) < 0)
			return -1;
	free(en->ports);
	en->ports = n ? xmalloc(n * sizeof(*ports)) : NULL;
	if (n)
		memcpy(en->ports, ports, n * sizeof(*ports));
	en->nports = n;
	return 0;
}

size_t ipam_port_count(const struct ipam *a)
{
	const struct ipam_entry *en;
	size_t n = 0;

	for (en = a->by_uid; en; en = en->hh.next)
		n += en->nports;
	return n;
}

/* ---- text form ---- */

static cJSON *ports_json(const struct ipam_entry *en)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < en->nports; i++) {
		const struct ipam_port *p = &en->ports[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddNumberToObject(o, "hostPort", p->host_port);
		cJSON_AddNumberToObject(o, "containerPort", p->container_port);
		cJSON_AddStringToObject(o, "protocol", p->proto);
		cJSON_AddStringToObject(o, "hostIP", p->host_ip);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

char *ipam_dump(const struct ipam *a)
{
	cJSON *root = cJSON_CreateObject(), *pods;
	const struct ipam_entry *en;
	char ip[16], *text, *out;

	ipam_ip_str(a->net, ip);
	text = xasprintf("%s/%d", ip, a->prefix);
	cJSON_AddStringToObject(root, "cidr", text);
	free(text);
	ipam_ip_str(a->last, ip);
	cJSON_AddStringToObject(root, "last", ip);
	pods = cJSON_AddObjectToObject(root, "pods");
	for (en = a->by_uid; en; en = en->hh.next) {
		cJSON *o = cJSON_AddObjectToObject(pods, en->uid);

		ipam_ip_str(en->ip, ip);
		cJSON_AddStringToObject(o, "ip", ip);
		if (en->nports)
			cJSON_AddItemToObject(o, "hostPorts", ports_json(en));
	}
	text = json_print(root);
	out = xasprintf("%s\n", text);
	free(text);
	cJSON_Delete(root);
	return out;
}

/* Copy string member key of o into out[size]; "" when absent. */
static int str_field(const cJSON *o, const char *key, char *out, size_t size,
		     bool required, struct err *e)
{
	const cJSON *v = json_obj(o, key);

	if (!v && !required) {
		out[0] = '\0';
		return 0;
	}
	if (!cJSON_IsString(v) || strlen(v->valuestring) >= size)
		return err_set(e, ERR_PARSE, "\"%s\" must be a short string",
			       key);
	strcpy(out, v->valuestring);
	return 0;
}

static int int_field(const cJSON *o, const char *key, int *out, struct err *e)
{
	int64_t n;

	if (json_get_int(o, key, &n) < 0 || n < 0 || n > 65535)
		return err_set(e, ERR_PARSE, "\"%s\" must be a port number",
			       key);
	*out = (int)n;
	return 0;
}

static int load_ports(struct ipam *a, struct ipam_entry *en, const cJSON *arr,
		      struct err *e)
{
	struct ipam_port *ports;
	size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
	const cJSON *p;
	int rc = -1;

	if (!cJSON_IsArray(arr))
		return err_set(e, ERR_PARSE, "\"hostPorts\" must be an array");
	ports = xcalloc(n ? n : 1, sizeof(*ports));
	cJSON_ArrayForEach(p, arr)
	{
		struct ipam_port *q = &ports[i++];

		if (int_field(p, "hostPort", &q->host_port, e) < 0 ||
		    int_field(p, "containerPort", &q->container_port, e) < 0 ||
		    str_field(p, "protocol", q->proto, sizeof(q->proto), true,
			      e) < 0 ||
		    str_field(p, "hostIP", q->host_ip, sizeof(q->host_ip),
			      false, e) < 0)
			goto out;
	}
	rc = ipam_set_ports(a, en->uid, ports, n, e);
	if (rc < 0 && e)
		e->code = ERR_PARSE;
out:
	free(ports);
	return rc;
}

static int load_pod(struct ipam *a, const cJSON *pod, struct err *e)
{
	struct ipam_entry *en;
	const cJSON *ports;
	uint32_t ip;

	if (!pod->string[0])
		return err_set(e, ERR_PARSE, "empty pod uid");
	if (ipam_parse_ip(json_get_str(pod, "ip"), &ip) < 0)
		return err_set(e, ERR_PARSE, "no valid \"ip\"");
	if (!usable(a, ip))
		return err_set(e, ERR_PARSE,
			       "\"ip\" is not a pod address of "
			       "the CIDR");
	if (find_ip(a, ip))
		return err_set(e, ERR_PARSE, "\"ip\" is held twice");
	if (ipam_find(a, pod->string))
		return err_set(e, ERR_PARSE, "uid appears twice");
	en = add(a, pod->string, ip);
	ports = json_obj(pod, "hostPorts");
	return ports ? load_ports(a, en, ports, e) : 0;
}

static int load_root(struct ipam *a, const cJSON *root, struct err *e)
{
	const cJSON *pods, *pod;
	uint32_t net, last;
	int prefix;

	if (!cJSON_IsObject(root))
		return err_set(e, ERR_PARSE, "not a JSON object");
	if (ipam_parse_cidr(json_get_str(root, "cidr"), &net, &prefix, e) < 0)
		return err_wrap(e, "\"cidr\"");
	ipam_init(a, net, prefix);
	if (ipam_parse_ip(json_get_str(root, "last"), &last) == 0 &&
	    (last & ~(0xffffffffu >> prefix)) == net)
		a->last = last;
	pods = json_obj(root, "pods");
	if (pods && !cJSON_IsObject(pods))
		return err_set(e, ERR_PARSE, "\"pods\" must be an object");
	cJSON_ArrayForEach(pod, pods)
	{
		if (!cJSON_IsObject(pod))
			return err_set(e, ERR_PARSE, "pod %s: not an object",
				       pod->string);
		if (load_pod(a, pod, e) < 0)
			return err_wrap(e, "pod %s", pod->string);
	}
	return 0;
}

int ipam_load(struct ipam *a, const char *text, size_t len, struct err *e)
{
	struct ipam tmp;
	cJSON *root = json_parse(text, len, e);
	int rc;

	if (!root)
		return -1;
	memset(&tmp, 0, sizeof(tmp));
	rc = load_root(&tmp, root, e);
	cJSON_Delete(root);
	if (rc < 0) {
		if (e)
			e->code = ERR_PARSE;
		ipam_done(&tmp);
		return -1;
	}
	*a = tmp;
	return 0;
}
