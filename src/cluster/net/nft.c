/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nft: the NAT rules of the pod network, as one nftables table owned by
 * podnet and always rewritten whole in one `nft -f -` transaction (the
 * script first creates the table if missing, deletes it and creates it
 * again with every rule), so rules never pile up and a crash never leaves
 * half a ruleset.
 *
 * Rules (CIDR = pod CIDR, BR = the bridge):
 *   postrouting  CIDR leaving through anything but BR -> masquerade
 *                (outbound NAT); 127.0.0.0/8 entering BR -> masquerade
 *                (makes 127.0.0.1:hostPort work together with
 *                route_localnet=1 on BR, which link.c sets: the kernel
 *                then routes loopback-sourced packets out of the bridge
 *                and the pod answers to the gateway address); DNATed
 *                traffic from a pod entering BR -> masquerade (hairpin: a
 *                pod reaching itself or a neighbour through a hostPort)
 *   prerouting,  destination is a local address -> jump hostports
 *   output
 *   hostports    [ip daddr HOSTIP] PROTO dport HP dnat to PODIP:CP
 *
 * We run the nft binary rather than link libnftables: it is what the
 * nftables package always ships, and its absence is just "no NAT".
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cluster/net/net_priv.h"
#include "common/mem.h"

extern char **environ;

void nft_table_name(const char *bridge, char out[32])
{
	if (!strcmp(bridge, "kdeck0"))
		snprintf(out, 32, "kdeck");
	else
		snprintf(out, 32, "kdeck_%s", bridge);
}

static void hostport_rules(struct buf *b, const struct ipam *a)
{
	static const struct {
		const char *proto, *nft;
	} protos[] = {
	    {"TCP", "tcp"},
	    {"UDP", "udp"},
	    {"SCTP", "sctp"},
	};
	const struct ipam_entry *en;
	char ip[16];

	for (en = a->by_uid; en; en = en->hh.next) {
		ipam_ip_str(en->ip, ip);
		for (size_t i = 0; i < en->nports; i++) {
			const struct ipam_port *p = &en->ports[i];
			const char *kw = "tcp";

			for (size_t j = 0;
			     j < sizeof(protos) / sizeof(protos[0]); j++)
				if (!strcmp(p->proto, protos[j].proto))
					kw = protos[j].nft;
			buf_adds(b, "\t\t");
			if (p->host_ip[0] && strcmp(p->host_ip, "0.0.0.0"))
				buf_printf(b, "ip daddr %s ", p->host_ip);
			buf_printf(b, "%s dport %d dnat to %s:%d\n", kw,
				   p->host_port, ip, p->container_port);
		}
	}
}

void nft_ruleset(struct buf *b, const char *table, const char *bridge,
		 const struct ipam *a)
{
	char net[16];

	ipam_ip_str(a->net, net);
	nft_delete_script(b, table);
	buf_printf(b, "table ip %s {\n", table);
	buf_adds(b,
		 "\tchain prerouting {\n"
		 "\t\ttype nat hook prerouting priority -100; policy accept;\n"
		 "\t\tfib daddr type local jump hostports\n\t}\n");
	buf_adds(b, "\tchain output {\n"
		    "\t\ttype nat hook output priority -100; policy accept;\n"
		    "\t\tfib daddr type local jump hostports\n\t}\n");
	buf_adds(
	    b, "\tchain postrouting {\n"
	       "\t\ttype nat hook postrouting priority 100; policy accept;\n");
	buf_printf(b, "\t\tip saddr %s/%d oifname != \"%s\" masquerade\n", net,
		   a->prefix, bridge);
	buf_printf(b, "\t\toifname \"%s\" ip saddr 127.0.0.0/8 masquerade\n",
		   bridge);
	buf_printf(b,
		   "\t\toifname \"%s\" ct status dnat ip saddr %s/%d "
		   "masquerade\n",
		   bridge, net, a->prefix);
	buf_adds(b, "\t}\n\tchain hostports {\n");
	hostport_rules(b, a);
	buf_adds(b, "\t}\n}\n");
}

void nft_delete_script(struct buf *b, const char *table)
{
	buf_printf(b, "table ip %s\ndelete table ip %s\n", table, table);
}

/*
 * Absolute path of nft (PATH, then the sbin directories); caller frees.
 * KDECK_NFT names another binary (packagers, and tests that need "no
 * nftables"); when it is not executable there is no nft.
 */
static char *nft_path(void)
{
	const char *env = getenv("PATH"), *forced = getenv("KDECK_NFT");
	char *path, *save = NULL, *out = NULL;

	if (forced && *forced)
		return access(forced, X_OK) == 0 ? xstrdup(forced) : NULL;
	path = xasprintf("%s:/usr/sbin:/sbin", env ? env : "/usr/bin");
	for (char *d = strtok_r(path, ":", &save); d && !out;
	     d = strtok_r(NULL, ":", &save)) {
		char *cand = xasprintf("%s/nft", *d ? d : ".");

		if (access(cand, X_OK) == 0)
			out = cand;
		else
			free(cand);
	}
	free(path);
	return out;
}

bool nft_available(void)
{
	char *p = nft_path();

	free(p);
	return p != NULL;
}

/* Send script on fd (a socket: no SIGPIPE if nft dies early). */
static void feed(int fd, const char *script)
{
	size_t len = strlen(script), off = 0;

	while (off < len) {
		ssize_t w = send(fd, script + off, len - off, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
}

static void drain(int fd, struct buf *out)
{
	char chunk[1024];
	ssize_t r;

	while ((r = read(fd, chunk, sizeof(chunk))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (out->len < 4096)
			buf_add(out, chunk, (size_t)r);
	}
}

int nft_run(const char *script, struct err *e)
{
	char *path = nft_path(), *argv[] = {"nft", "-f", "-", NULL};
	int in[2] = {-1, -1}, errp[2] = {-1, -1}, status = 0, rc = -1;
	posix_spawn_file_actions_t fa;
	struct buf msg = BUF_INIT;
	pid_t pid;

	if (!path)
		return err_set(e, ERR_UNAVAILABLE, "nftables not installed");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0 ||
	    pipe2(errp, O_CLOEXEC) < 0) {
		err_set(e, ERR_IO, "nft: %s", strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[1], 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	rc = posix_spawn(&pid, path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[1]);
	close(errp[1]);
	in[1] = errp[1] = -1;
	if (rc != 0) {
		rc = err_set(e, ERR_IO, "run %s: %s", path, strerror(rc));
		goto out;
	}
	feed(in[0], script);
	shutdown(in[0], SHUT_WR);
	drain(errp[0], &msg);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	rc = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		while (msg.len && (msg.data[msg.len - 1] == '\n'))
			msg.data[--msg.len] = '\0';
		rc = err_set(e, ERR_INTERNAL, "nft: %s",
			     msg.len ? buf_cstr(&msg) : "failed");
	}
out:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	buf_free(&msg);
	free(path);
	return rc;
}
