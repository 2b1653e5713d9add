/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dns: answering one query from the Service model (see dns.h for the
 * names); the server loop is in dns_server.c.  A query's name is matched
 * lower-cased, split into the labels before the cluster domain; the
 * reply repeats the question as asked.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

#include "cluster/net/dns.h"
#include "common/mem.h"

#define TTL 5
#define MAX_LABELS 8
#define UDP_PLAIN 512
#define UDP_EDNS_MAX 1232	/* the DNS flag day 2020 size */

struct query {
	const struct svc_model *m;
	const char *domain;
	ldns_pkt *req, *resp;
	const ldns_rdf *qname;
	ldns_rr_type type;
	char *labels[MAX_LABELS];
	size_t n;
	bool found;	/* the name exists (NODATA rather than NXDOMAIN) */
};

/* ---- records ---- */

static ldns_rr *rr_new(const ldns_rdf *owner, ldns_rr_type type)
{
	ldns_rr *rr = ldns_rr_new();

	ldns_rr_set_owner(rr, ldns_rdf_clone(owner));
	ldns_rr_set_type(rr, type);
	ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
	ldns_rr_set_ttl(rr, TTL);
	return rr;
}

static void add_a(struct query *q, ldns_pkt_section sec, const ldns_rdf *own,
		  const char *ip)
{
	ldns_rdf *a = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, ip);
	ldns_rr *rr;

	if (!a)
		return;
	rr = rr_new(own, LDNS_RR_TYPE_A);
	ldns_rr_push_rdf(rr, a);
	ldns_pkt_push_rr(q->resp, sec, rr);
}

/* Add an rr whose single rdata is the domain name text (CNAME, PTR). */
static void add_name_rr(struct query *q, ldns_rr_type type, const char *name)
{
	ldns_rdf *d = ldns_dname_new_frm_str(name);
	ldns_rr *rr;

	if (!d)
		return;
	rr = rr_new(q->qname, type);
	ldns_rr_push_rdf(rr, d);
	ldns_pkt_push_rr(q->resp, LDNS_SECTION_ANSWER, rr);
}

static void add_srv(struct query *q, int weight, int port, const char *target,
		    const char *ip)
{
	ldns_rdf *t = ldns_dname_new_frm_str(target);
	ldns_rr *rr;

	if (!t)
		return;
	rr = rr_new(q->qname, LDNS_RR_TYPE_SRV);
	ldns_rr_push_rdf(rr, ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, 0));
	ldns_rr_push_rdf(rr,
			 ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16,
					       (uint16_t)weight));
	ldns_rr_push_rdf(rr,
			 ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16,
					       (uint16_t)port));
	ldns_rr_push_rdf(rr, t);
	ldns_pkt_push_rr(q->resp, LDNS_SECTION_ANSWER, rr);
	add_a(q, LDNS_SECTION_ADDITIONAL, t, ip);
}

static void add_soa(struct query *q)
{
	char *text = xasprintf("%s. %d IN SOA ns.dns.%s. hostmaster.%s. "
			       "1 7200 1800 86400 %d",
			       q->domain, TTL, q->domain, q->domain, TTL);
	ldns_rr *rr = NULL;

	if (ldns_rr_new_frm_str(&rr, text, TTL, NULL, NULL) == LDNS_STATUS_OK)
		ldns_pkt_push_rr(q->resp, LDNS_SECTION_AUTHORITY, rr);
	free(text);
}

/* ---- names ---- */

/* "10-244-0-5" -> "10.244.0.5" in out; false when not an address. */
static bool dashed_ip(const char *label, char out[16])
{
	struct in_addr a;
	size_t i;

	if (strlen(label) >= 16)
		return false;
	for (i = 0; label[i]; i++)
		out[i] = label[i] == '-' ? '.' : label[i];
	out[i] = '\0';
	return inet_pton(AF_INET, out, &a) == 1;
}

static void dash(const char *ip, char out[16])
{
	size_t i;

	for (i = 0; ip[i] && i < 15; i++)
		out[i] = ip[i] == '.' ? '-' : ip[i];
	out[i] = '\0';
}

static bool ns_exists(const struct svc_model *m, const char *ns)
{
	if (!strcmp(ns, "default") || !strcmp(ns, "kube-system"))
		return true;
	for (size_t i = 0; m && i < m->n; i++)
		if (!strcmp(m->sorted[i]->ns, ns))
			return true;
	return false;
}

/* ---- answers ---- */

static void service_answer(struct query *q, const struct svc_entry *s)
{
	q->found = true;
	if (s->external_name) {
		char *t = xasprintf("%s.", s->external_name);

		if (*s->external_name)
			add_name_rr(q, LDNS_RR_TYPE_CNAME, t);
		free(t);
		return;
	}
	if (q->type != LDNS_RR_TYPE_A && q->type != LDNS_RR_TYPE_ANY)
		return;
	if (s->cluster_ip) {
		add_a(q, LDNS_SECTION_ANSWER, q->qname, s->cluster_ip);
		return;
	}
	for (size_t i = 0; i < s->neps; i++) {	/* headless */
		bool dup = false;

		for (size_t j = 0; j < i && !dup; j++)
			dup = s->eps[j].ready &&
			      !strcmp(s->eps[j].ip, s->eps[i].ip);
		if (s->eps[i].ready && !dup)
			add_a(q, LDNS_SECTION_ANSWER, q->qname, s->eps[i].ip);
	}
}

/* HOST.SVC.NS.svc: an endpoint of a headless Service. */
static void endpoint_answer(struct query *q, const struct svc_entry *s,
			    const char *host)
{
	char d[16];

	for (size_t i = 0; !s->cluster_ip && i < s->neps; i++) {
		const struct svc_ep *ep = &s->eps[i];

		dash(ep->ip, d);
		if (!(ep->hostname && !strcmp(ep->hostname, host)) &&
		    strcmp(d, host))
			continue;
		if (!q->found && (q->type == LDNS_RR_TYPE_A ||
				  q->type == LDNS_RR_TYPE_ANY))
			add_a(q, LDNS_SECTION_ANSWER, q->qname, ep->ip);
		q->found = true;
	}
}

static void srv_answer(struct query *q, const struct svc_entry *s,
		       const char *port, const char *proto)
{
	int p;
	size_t ready = 0;

	if (port[0] != '_' || proto[0] != '_' ||
	    (p = svc_entry_port(s, port + 1, proto + 1)) < 0)
		return;
	q->found = true;
	if (q->type != LDNS_RR_TYPE_SRV && q->type != LDNS_RR_TYPE_ANY)
		return;
	if (s->cluster_ip) {
		char *t = xasprintf("%s.%s.svc.%s.", s->name, s->ns, q->domain);

		add_srv(q, 100, s->ports[p].port, t, s->cluster_ip);
		free(t);
		return;
	}
	for (size_t i = 0; i < s->neps; i++)
		ready += s->eps[i].ready && s->eps[i].target[p] > 0;
	for (size_t i = 0; i < s->neps; i++) {
		const struct svc_ep *ep = &s->eps[i];
		char d[16], *t;

		if (!ep->ready || ep->target[p] <= 0)
			continue;
		dash(ep->ip, d);
		t = xasprintf("%s.%s.%s.svc.%s.", ep->hostname ? ep->hostname : d,
			      s->name, s->ns, q->domain);
		add_srv(q, (int)(100 / ready), ep->target[p], t, ep->ip);
		free(t);
	}
}

static void svc_names(struct query *q)
{
	char **l = q->labels;
	size_t n = q->n;	/* l[n-1] is "svc" */
	const struct svc_entry *s;

	if (n == 1 || (n == 2 && ns_exists(q->m, l[0]))) {
		q->found = true;
		return;
	}
	if (n < 3 || n > 5 ||
	    !(s = svc_model_find(q->m, l[n - 2], l[n - 3])))
		return;
	if (n == 3)
		service_answer(q, s);
	else if (n == 4)
		endpoint_answer(q, s, l[0]);
	else
		srv_answer(q, s, l[0], l[1]);
}

static void pod_names(struct query *q)
{
	char ip[16];

	if (q->n <= 2) {
		q->found = q->n == 1 || ns_exists(q->m, q->labels[0]);
		return;
	}
	if (q->n != 3 || !dashed_ip(q->labels[0], ip))
		return;
	q->found = true;
	if (q->type == LDNS_RR_TYPE_A || q->type == LDNS_RR_TYPE_ANY)
		add_a(q, LDNS_SECTION_ANSWER, q->qname, ip);
}

/* PTR of d.c.b.a.in-addr.arpa; false when the address is not ours. */
static bool reverse(struct query *q, const char *name)
{
	unsigned o[4];
	char ip[16], tail[16];

	if (sscanf(name, "%u.%u.%u.%u.%15s", &o[3], &o[2], &o[1], &o[0],
		   tail) != 5 || strcmp(tail, "in-addr.arpa") ||
	    o[0] > 255 || o[1] > 255 || o[2] > 255 || o[3] > 255)
		return false;
	snprintf(ip, sizeof(ip), "%u.%u.%u.%u", o[0], o[1], o[2], o[3]);
	for (size_t i = 0; q->m && i < q->m->n; i++) {
		const struct svc_entry *s = q->m->sorted[i];
		char *t = NULL;

		if (s->cluster_ip && !strcmp(s->cluster_ip, ip))
			t = xasprintf("%s.%s.svc.%s.", s->name, s->ns, q->domain);
		for (size_t j = 0; !t && !s->cluster_ip && j < s->neps; j++)
			if (!strcmp(s->eps[j].ip, ip) && s->eps[j].hostname)
				t = xasprintf("%s.%s.%s.svc.%s.",
					      s->eps[j].hostname, s->name,
					      s->ns, q->domain);
		if (t) {
			if (q->type == LDNS_RR_TYPE_PTR ||
			    q->type == LDNS_RR_TYPE_ANY)
				add_name_rr(q, LDNS_RR_TYPE_PTR, t);
			free(t);
			return true;
		}
	}
	return false;
}

/*
 * Split name (lower case, no final dot) into the labels before domain;
 * false when name is not in domain.
 */
static bool in_zone(struct query *q, char *name)
{
	size_t nl = strlen(name), dl = strlen(q->domain);
	char *save = NULL;

	if (nl < dl || strcmp(name + nl - dl, q->domain) ||
	    (nl > dl && name[nl - dl - 1] != '.'))
		return false;
	name[nl > dl ? nl - dl - 1 : 0] = '\0';
	for (char *t = strtok_r(name, ".", &save); t;
	     t = strtok_r(NULL, ".", &save)) {
		if (q->n == MAX_LABELS) {
			q->n = MAX_LABELS + 1;	/* too deep: NXDOMAIN */
			break;
		}
		q->labels[q->n++] = t;
	}
	return true;
}

/* Fill q->resp; false when the name is for upstream. */
static bool lookup(struct query *q, char *name)
{
	if (reverse(q, name))
		return true;
	if (!in_zone(q, name))
		return false;
	ldns_pkt_set_aa(q->resp, true);
	if (q->n == 0)
		q->found = true;
	else if (q->n <= MAX_LABELS && !strcmp(q->labels[q->n - 1], "svc"))
		svc_names(q);
	else if (q->n <= MAX_LABELS && !strcmp(q->labels[q->n - 1], "pod"))
		pod_names(q);
	if (!q->found)
		ldns_pkt_set_rcode(q->resp, LDNS_RCODE_NXDOMAIN);
	if (ldns_pkt_ancount(q->resp) == 0)
		add_soa(q);
	return true;
}

/* ---- packets ---- */

static ldns_pkt *reply_for(const ldns_pkt *req)
{
	ldns_pkt *r = ldns_pkt_new();

	ldns_pkt_set_id(r, ldns_pkt_id(req));
	ldns_pkt_set_qr(r, true);
	ldns_pkt_set_opcode(r, ldns_pkt_get_opcode(req));
	ldns_pkt_set_rd(r, ldns_pkt_rd(req));
	ldns_pkt_set_ra(r, true);
	for (size_t i = 0; i < ldns_pkt_qdcount(req); i++)
		ldns_pkt_push_rr(r, LDNS_SECTION_QUESTION,
				 ldns_rr_clone(ldns_rr_list_rr(
				     ldns_pkt_question(req), i)));
	if (ldns_pkt_edns(req))
		ldns_pkt_set_edns_udp_size(r, UDP_EDNS_MAX);
	return r;
}

static size_t udp_limit(const ldns_pkt *req)
{
	size_t n = ldns_pkt_edns(req) ? ldns_pkt_edns_udp_size(req) : 0;

	if (n < UDP_PLAIN)
		return UDP_PLAIN;
	return n > UDP_EDNS_MAX ? UDP_EDNS_MAX : n;
}

/* Wire form of q->resp; past the UDP limit, a bare reply with TC set. */
static int encode(struct query *q, bool udp, uint8_t **out, size_t *outlen)
{
	ldns_pkt *t;
	int rc;

	if (ldns_pkt2wire(out, q->resp, outlen) != LDNS_STATUS_OK)
		return -1;
	if (!udp || *outlen <= udp_limit(q->req))
		return 0;
	free(*out);
	*out = NULL;
	t = reply_for(q->req);
	ldns_pkt_set_aa(t, ldns_pkt_aa(q->resp));
	ldns_pkt_set_rcode(t, ldns_pkt_get_rcode(q->resp));
	ldns_pkt_set_tc(t, true);
	rc = ldns_pkt2wire(out, t, outlen) == LDNS_STATUS_OK ? 0 : -1;
	ldns_pkt_free(t);
	return rc;
}

int dns_error_reply(const uint8_t *q, size_t len, int rcode, uint8_t **out,
		    size_t *outlen)
{
	uint8_t *r;

	if (len < 12)
		return -1;
	/* header only: id, QR + opcode + RD kept, RA, rcode; no sections */
	r = xcalloc(1, 12);
	r[0] = q[0];
	r[1] = q[1];
	r[2] = (uint8_t)(0x80 | (q[2] & 0x79));
	r[3] = (uint8_t)(0x80 | (rcode & 0x0f));
	*out = r;
	*outlen = 12;
	return 0;
}

enum dns_verdict dns_answer(const struct svc_model *m, const char *domain,
			    const uint8_t *buf, size_t len, bool udp,
			    uint8_t **out, size_t *outlen)
{
	struct query q = { .m = m, .domain = domain };
	enum dns_verdict v = DNS_DROP;
	ldns_rr *qrr;
	char *name = NULL;

	if (len >= 12 && (buf[2] & 0x80))
		return DNS_DROP;	/* a response, not a query */
	if (ldns_wire2pkt(&q.req, buf, len) != LDNS_STATUS_OK ||
	    ldns_pkt_qdcount(q.req) != 1) {
		v = dns_error_reply(buf, len, LDNS_RCODE_FORMERR, out,
				    outlen) == 0 ? DNS_REPLY : DNS_DROP;
		goto out;
	}
	if (ldns_pkt_get_opcode(q.req) != LDNS_PACKET_QUERY) {
		v = dns_error_reply(buf, len, LDNS_RCODE_NOTIMPL, out,
				    outlen) == 0 ? DNS_REPLY : DNS_DROP;
		goto out;
	}
	qrr = ldns_rr_list_rr(ldns_pkt_question(q.req), 0);
	q.qname = ldns_rr_owner(qrr);
	q.type = ldns_rr_get_type(qrr);
	q.resp = reply_for(q.req);
	if (!(name = ldns_rdf2str(q.qname)))
		goto out;
	for (char *c = name; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	if (*name && name[strlen(name) - 1] == '.')
		name[strlen(name) - 1] = '\0';
	if (ldns_rr_get_class(qrr) != LDNS_RR_CLASS_IN || !lookup(&q, name)) {
		v = DNS_FORWARD;
		goto out;
	}
	v = encode(&q, udp, out, outlen) == 0 ? DNS_REPLY : DNS_DROP;
out:
	free(name);
	ldns_pkt_free(q.req);
	ldns_pkt_free(q.resp);
	return v;
}
