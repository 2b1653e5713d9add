/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dns_chase: an ExternalName Service's CNAME followed, as CoreDNS does.
 * dns_answer replies with the CNAME alone; the server (dns_server.c)
 * asks the upstream for the target with dns_chase_query and appends its
 * answer with dns_chase_merge.  Targets inside the cluster domain are
 * not chased (the client's resolver follows those itself).
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

#include "cluster/net/dns.h"
#include "common/mem.h"

#define UDP_PLAIN 512
#define UDP_EDNS_MAX 1232

/* Is name (text, final dot or not) domain or under it? */
static bool in_domain(const char *name, const char *domain)
{
	size_t nl = strlen(name), dl = strlen(domain);

	if (nl && name[nl - 1] == '.')
		nl--;
	if (nl < dl || strncasecmp(name + nl - dl, domain, dl))
		return false;
	return nl == dl || name[nl - dl - 1] == '.';
}

/* The CNAME target of a reply that is one CNAME for a non-CNAME query. */
static const ldns_rdf *cname_target(const ldns_pkt *p, ldns_rr_type *qtype)
{
	const ldns_rr *q, *a;

	if (ldns_pkt_qdcount(p) != 1 || ldns_pkt_ancount(p) != 1 ||
	    ldns_pkt_get_rcode(p) != LDNS_RCODE_NOERROR)
		return NULL;
	q = ldns_rr_list_rr(ldns_pkt_question(p), 0);
	a = ldns_rr_list_rr(ldns_pkt_answer(p), 0);
	*qtype = ldns_rr_get_type(q);
	if (ldns_rr_get_type(a) != LDNS_RR_TYPE_CNAME ||
	    *qtype == LDNS_RR_TYPE_CNAME || ldns_rr_rd_count(a) != 1)
		return NULL;
	return ldns_rr_rdf(a, 0);
}

int dns_chase_query(const uint8_t *reply, size_t len, const char *domain,
		    uint8_t **out, size_t *outlen)
{
	ldns_pkt *p = NULL, *q = NULL;
	const ldns_rdf *t;
	ldns_rr_type type = 0;
	char *name = NULL;
	int rc = -1;

	if (ldns_wire2pkt(&p, reply, len) != LDNS_STATUS_OK)
		return -1;
	if (!(t = cname_target(p, &type)) || !(name = ldns_rdf2str(t)) ||
	    in_domain(name, domain))
		goto out;
	q = ldns_pkt_query_new(ldns_rdf_clone(t), type, LDNS_RR_CLASS_IN,
			       LDNS_RD);
	if (!q)
		goto out;
	ldns_pkt_set_id(q, ldns_pkt_id(p));
	if (ldns_pkt2wire(out, q, outlen) == LDNS_STATUS_OK)
		rc = 0;
out:
	free(name);
	ldns_pkt_free(q);
	ldns_pkt_free(p);
	return rc;
}

int dns_chase_merge(const uint8_t *reply, size_t len, const uint8_t *up,
		    size_t ulen, bool udp, uint8_t **out, size_t *outlen)
{
	ldns_pkt *p = NULL, *u = NULL;
	size_t limit;
	int rc = -1;

	if (ldns_wire2pkt(&p, reply, len) != LDNS_STATUS_OK)
		return -1;
	if (ldns_wire2pkt(&u, up, ulen) == LDNS_STATUS_OK)
		for (size_t i = 0; i < ldns_pkt_ancount(u); i++)
			ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER,
					 ldns_rr_clone(ldns_rr_list_rr(
					     ldns_pkt_answer(u), i)));
	if (ldns_pkt2wire(out, p, outlen) != LDNS_STATUS_OK)
		goto out;
	limit = ldns_pkt_edns(p) ? UDP_EDNS_MAX : UDP_PLAIN;
	rc = 0;
	if (!udp || *outlen <= limit)
		goto out;
	free(*out);	/* too large: the CNAME alone, truncated */
	*out = NULL;
	ldns_pkt_free(p);
	p = NULL;
	if (ldns_wire2pkt(&p, reply, len) != LDNS_STATUS_OK)
		rc = -1;
	else
		ldns_pkt_set_tc(p, true);
	if (p && ldns_pkt2wire(out, p, outlen) != LDNS_STATUS_OK)
		rc = -1;
out:
	ldns_pkt_free(u);
	ldns_pkt_free(p);
	return rc;
}
