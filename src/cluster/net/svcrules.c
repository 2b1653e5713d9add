/* SPDX-License-Identifier: Apache-2.0 */
/*
 * svcrules: Service virtual IPs as nftables rules (what kube-proxy's
 * nftables mode does on a real node), in one table of their own that is
 * always replaced whole in one `nft -f -` transaction, like podnet's NAT
 * table (nft.c).  For a model (svcmodel.h) the table is:
 *
 *   prerouting (nat)  from the pod CIDR, or to a local address -> jump
 *                     services (so the pods of another cluster on this
 *                     machine, whose Services may use the same
 *                     addresses, never take ours)
 *   output (nat)      -> jump services (the host's own connections)
 *   services   ip daddr CLUSTERIP PROTO dport PORT jump sI_P
 *              fib daddr type local PROTO dport NODEPORT jump sI_P
 *              ip daddr EXTERNAL-OR-LB-IP PROTO dport PORT jump sI_P
 *   sI_P       numgen random mod N vmap { 0 : jump eI_P_0, ... }
 *   eI_P_K     meta l4proto PROTO dnat to EPIP:TARGET
 *   aI_P_K     (sessionAffinity ClientIP) the clients endpoint K served
 *              lately: sI_P first sends them back to eI_P_K, which
 *              refreshes their entry
 *   input, output, forward from the pod CIDR (filter) -> jump noeps
 *   noeps      the same matches for ports without a ready endpoint ->
 *              reject (clients get "connection refused" at once, as
 *              kube-proxy makes them, instead of a timeout)
 *
 * Replies need no rule: conntrack undoes the DNAT, and podnet's table
 * already masquerades DNATed pod traffic that leaves through the bridge
 * (a pod reaching itself through its Service) and 127.0.0.1 sources
 * (NodePorts on localhost).  Headless and ExternalName Services have no
 * rules; they exist only in DNS.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cluster/net/svcrules.h"

void svcrules_table_name(const char *bridge, char out[48])
{
	if (!bridge || !*bridge || !strcmp(bridge, "kdeck0"))
		snprintf(out, 48, "kdeck_svc");
	else
		snprintf(out, 48, "kdeck_svc_%s", bridge);
}

static const char *nft_proto(const char *proto)
{
	if (!strcasecmp(proto, "UDP"))
		return "udp";
	if (!strcasecmp(proto, "SCTP"))
		return "sctp";
	return "tcp";
}

/* Ready endpoints of port p, as indexes into s->eps (at most max). */
static size_t ready_eps(const struct svc_entry *s, size_t p, size_t *out,
			size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < s->neps && n < max; i++) {
		bool dup = false;

		if (!s->eps[i].ready || s->eps[i].target[p] <= 0)
			continue;
		for (size_t j = 0; j < n && !dup; j++)	/* same address twice */
			dup = !strcmp(s->eps[out[j]].ip, s->eps[i].ip) &&
			      s->eps[out[j]].target[p] == s->eps[i].target[p];
		if (!dup)
			out[n++] = i;
	}
	return n;
}

/* The matches that select port p of s: the VIP, the external and
 * load-balancer addresses, then the NodePort. */
static void matches(struct buf *b, const struct svc_entry *s, size_t p,
		    const char *action)
{
	const struct svc_port *sp = &s->ports[p];
	const char *kw = nft_proto(sp->proto);

	buf_printf(b, "\t\tip daddr %s %s dport %d %s\n", s->cluster_ip, kw,
		   sp->port, action);
	for (size_t i = 0; i < s->next_ips; i++)
		buf_printf(b, "\t\tip daddr %s %s dport %d %s\n",
			   s->ext_ips[i], kw, sp->port, action);
	if (sp->node_port)
		buf_printf(b, "\t\tfib daddr type local %s dport %d %s\n", kw,
			   sp->node_port, action);
}

/*
 * The chain that picks one of n endpoints for port p of service si.
 * With ClientIP affinity each endpoint has a set of the clients it
 * served (entries expire after the timeout), consulted first, as
 * kube-proxy's nftables mode does.
 */
static void pick_chain(struct buf *chains, const struct svc_entry *s,
		       size_t si, size_t p, size_t n)
{
	bool aff = s->affinity_s > 0 && n > 1;

	for (size_t k = 0; aff && k < n; k++)
		buf_printf(chains,
			   "\tset a%zu_%zu_%zu {\n\t\ttype ipv4_addr\n\t\t"
			   "flags dynamic,timeout\n\t\ttimeout %ds\n\t}\n",
			   si, p, k, s->affinity_s);
	buf_printf(chains, "\tchain s%zu_%zu {\n", si, p);
	for (size_t k = 0; aff && k < n; k++)
		buf_printf(chains, "\t\tip saddr @a%zu_%zu_%zu jump "
				   "e%zu_%zu_%zu\n", si, p, k, si, p, k);
	if (n == 1) {
		buf_printf(chains, "\t\tjump e%zu_%zu_0\n", si, p);
	} else {
		buf_printf(chains, "\t\tnumgen random mod %zu vmap { ", n);
		for (size_t k = 0; k < n; k++)
			buf_printf(chains, "%s%zu : jump e%zu_%zu_%zu",
				   k ? ", " : "", k, si, p, k);
		buf_adds(chains, " }\n");
	}
	buf_adds(chains, "\t}\n");
}

static void service_chains(struct buf *svc, struct buf *chains,
			   struct buf *noeps, const struct svc_entry *s,
			   size_t si)
{
	size_t *idx = xcalloc(s->neps ? s->neps : 1, sizeof(*idx));

	for (size_t p = 0; p < s->nports; p++) {
		size_t n = ready_eps(s, p, idx, s->neps);
		char jump[64];

		if (!n) {
			matches(noeps, s, p, "reject");
			continue;
		}
		snprintf(jump, sizeof(jump), "jump s%zu_%zu", si, p);
		buf_printf(svc, "\t\t# %s/%s:%s\n", s->ns, s->name,
			   *s->ports[p].name ? s->ports[p].name : "-");
		matches(svc, s, p, jump);
		pick_chain(chains, s, si, p, n);
		for (size_t k = 0; k < n; k++) {
			const struct svc_ep *ep = &s->eps[idx[k]];

			buf_printf(chains, "\tchain e%zu_%zu_%zu {\n", si, p, k);
			if (s->affinity_s > 0 && n > 1)
				buf_printf(chains, "\t\tupdate @a%zu_%zu_%zu "
					   "{ ip saddr }\n", si, p, k);
			buf_printf(chains,
				   "\t\tmeta l4proto %s dnat to %s:%d\n\t}\n",
				   nft_proto(s->ports[p].proto), ep->ip,
				   ep->target[p]);
		}
	}
	free(idx);
}

void svcrules_script(struct buf *b, const char *table, const char *pod_cidr,
		     const struct svc_model *m)
{
	struct buf svc = BUF_INIT, chains = BUF_INIT, noeps = BUF_INIT;
	static const char *const filters[][2] = {
	    {"fin", "input"}, {"ffwd", "forward"}, {"fout", "output"}};

	for (size_t i = 0; m && i < m->n; i++)
		if (m->sorted[i]->cluster_ip)
			service_chains(&svc, &chains, &noeps, m->sorted[i], i);
	svcrules_delete_script(b, table);
	buf_printf(b, "table ip %s {\n", table);
	buf_printf(b,
		   "\tchain prerouting {\n\t\ttype nat hook prerouting "
		   "priority -100; policy accept;\n\t\tip saddr %s jump "
		   "services\n\t\tfib daddr type local jump services\n\t}\n",
		   pod_cidr);
	buf_adds(b, "\tchain output {\n\t\ttype nat hook output priority "
		    "-100; policy accept;\n\t\tjump services\n\t}\n");
	for (size_t i = 0; i < 3; i++)
		buf_printf(b,
			   "\tchain %s {\n\t\ttype filter hook %s priority "
			   "-1; policy accept;\n\t\t%s%s%sjump noeps\n\t}\n",
			   filters[i][0], filters[i][1],
			   i == 1 ? "ip saddr " : "", i == 1 ? pod_cidr : "",
			   i == 1 ? " " : "");
	buf_printf(b, "\tchain services {\n%s\t}\n", buf_cstr(&svc));
	buf_printf(b, "\tchain noeps {\n%s\t}\n", buf_cstr(&noeps));
	buf_add(b, chains.data ? chains.data : "", chains.len);
	buf_adds(b, "}\n");
	buf_free(&svc);
	buf_free(&chains);
	buf_free(&noeps);
}

void svcrules_delete_script(struct buf *b, const char *table)
{
	buf_printf(b, "table ip %s\ndelete table ip %s\n", table, table);
}
