/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dns: cluster DNS, the names CoreDNS's kubernetes plugin serves on a
 * real cluster, answered from a Service model (svcmodel.h):
 *
 *   SVC.NS.svc.DOMAIN               A: the ClusterIP; headless Services:
 *                                   every ready endpoint; ExternalName:
 *                                   CNAME, and the target's records
 *                                   when the upstream resolves it
 *   HOST.SVC.NS.svc.DOMAIN          A of a headless Service's endpoint
 *                                   by hostname (StatefulSet pods) or by
 *                                   its dashed address
 *   _PORT._PROTO.SVC.NS.svc.DOMAIN  SRV (target and additional A)
 *   A-B-C-D.NS.pod.DOMAIN           A A.B.C.D
 *   D.C.B.A.in-addr.arpa            PTR of ClusterIPs and endpoints
 *
 * Other names under DOMAIN are NXDOMAIN, with an SOA for negative
 * caching; everything else is for the upstream resolvers (DNS_FORWARD).
 * Packets are parsed and built with ldns.  TTL 5 s, as CoreDNS's.
 *
 * dns_server runs it: UDP and TCP on one address, forwarding other names
 * to upstream servers by rewriting the query id, one thread.
 */
#ifndef KDECK_CLUSTER_NET_DNS_H
#define KDECK_CLUSTER_NET_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>

#include "cluster/net/svcmodel.h"
#include "common/err.h"

enum dns_verdict {
	DNS_REPLY,	/* *out holds the reply */
	DNS_FORWARD,	/* not ours: ask upstream */
	DNS_DROP,	/* not a query we can answer at all */
};

/*
 * Answer query q[0..len) for domain (e.g. "cluster.local") from m (NULL:
 * no Services).  udp: replies larger than the client takes (512 bytes,
 * or its EDNS size) are truncated with TC set.  On DNS_REPLY *out is a
 * malloc'd packet of *outlen bytes.  Malformed queries get FORMERR when
 * their header is readable, else DNS_DROP.  Thread-safe.
 */
enum dns_verdict dns_answer(const struct svc_model *m, const char *domain,
			    const uint8_t *q, size_t len, bool udp,
			    uint8_t **out, size_t *outlen);
/*
 * ExternalName chasing, as CoreDNS does: when reply[0..len) (from
 * dns_answer) is only a CNAME to a name outside domain and the question
 * was not for the CNAME itself, *out is a recursive query for the target
 * with the question's type and the reply's id (0); else -1.
 */
int dns_chase_query(const uint8_t *reply, size_t len, const char *domain,
		    uint8_t **out, size_t *outlen);
/*
 * The reply with the answer records of up[0..ulen) (the upstream's reply
 * to the chase query) appended; udp: past the client's size, the CNAME
 * alone with TC set.  0 with a malloc'd *out, or -1.
 */
int dns_chase_merge(const uint8_t *reply, size_t len, const uint8_t *up,
		    size_t ulen, bool udp, uint8_t **out, size_t *outlen);
/* A reply to q with rcode (e.g. SERVFAIL) and no records; -1 if unusable. */
int dns_error_reply(const uint8_t *q, size_t len, int rcode, uint8_t **out,
		    size_t *outlen);

struct dns_server;

struct dns_server_config {
	const char *addr;	/* IPv4 address to listen on */
	int port;		/* 53 */
	const char *domain;	/* "cluster.local" */
	const char *const *upstream; /* "IP" or "IP:PORT", NULL-terminated */
};

/* Bind UDP and TCP and start the thread; ERR_IO names what failed. */
int dns_server_start(const struct dns_server_config *cfg,
		     struct dns_server **out, struct err *e);
/* Serve m from now on (takes a reference of its own). */
void dns_server_set_model(struct dns_server *s, struct svc_model *m);
/* Stop the thread, close sockets, free; NULL is a no-op. */
void dns_server_stop(struct dns_server *s);

/*
 * Upstream servers for the cluster DNS from a resolv.conf (the host's):
 * every nameserver line's address, NULL-terminated; caller frees each
 * and the array.  skip (may be NULL) is left out (our own address).
 */
char **dns_upstreams(const char *resolv_conf, const char *skip);

/*
 * "IP" or "IP:PORT" (IPv4) into *a; a missing port is def_port.  0, or
 * -1 when the text is not such an address or the port is not 1..65535.
 * Used by the DNS server and the ingress proxy.
 */
int dns_parse_addr(const char *text, int def_port, struct sockaddr_in *a);

#endif
