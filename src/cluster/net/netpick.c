/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netpick: which bridge and pod CIDR this cluster uses (one per data dir).
 *
 * The choice is made once, at the first start, and kept in
 * DATA/net/network.json ({"bridge","podCIDR","nftTable"}).  Other
 * clusters' data dirs are out of reach, so the kernel is the source of
 * truth: the pair (kdeckN, 10.244.N.0/24) is free when no link has that
 * name and no address on the machine overlaps the /24.  The first free N
 * wins, so a lone cluster keeps the historic kdeck0 / 10.244.0.0/24.
 * Choosing and creating the bridge happen under one machine-wide lock
 * file so two clusters starting together never pick the same pair.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster/net/net_priv.h"
#include "common/file.h"
#include "common/json.h"
#include "common/mem.h"

#define NET_FILE   "network.json"
#define LEGACY_IPAM "ipam.json"
#define POOL_NET   0x0af40000u /* 10.244.0.0/16 */
#define LOCK_FILES { "/run/kdeck-podnet.lock", "/tmp/kdeck-podnet.lock" }

/* Do a/pa and b/pb share any address? */
static bool overlaps(uint32_t a, int pa, uint32_t b, int pb)
{
	int p = pa < pb ? pa : pb;
	uint32_t mask = p ? 0xffffffffu << (32 - p) : 0;

	return (a & mask) == (b & mask);
}

static bool taken(const struct link_snapshot *s, const char *name,
		  uint32_t net)
{
	for (size_t i = 0; i < s->nnames; i++)
		if (!strcmp(s->names[i], name))
			return true;
	for (size_t i = 0; i < s->naddrs; i++)
		if (overlaps(s->addrs[i], s->prefixes[i], net, 24))
			return true;
	return false;
}

static void fill(struct netpick *out, int n)
{
	snprintf(out->bridge, sizeof(out->bridge), "kdeck%d", n);
	snprintf(out->cidr, sizeof(out->cidr), "10.244.%d.0/24", n);
	nft_table_name(out->bridge, out->table);
}

int netpick_choose(const struct link_snapshot *s, struct netpick *out,
		   struct err *e)
{
	for (int n = 0; n < 256; n++) {
		char name[16];

		snprintf(name, sizeof(name), "kdeck%d", n);
		if (!taken(s, name, POOL_NET | (uint32_t)n << 8)) {
			fill(out, n);
			return 0;
		}
	}
	return err_set(e, ERR_UNAVAILABLE,
		       "no free pod network: every /24 of 10.244.0.0/16 or "
		       "bridge kdeck0..kdeck255 is in use");
}

int netpick_load(const char *state_dir, struct netpick *out, struct err *e)
{
	char *path = xasprintf("%s/%s", state_dir, NET_FILE), *text = NULL;
	const char *b, *c, *t;
	cJSON *j = NULL;
	size_t len;
	int rc = -1;

	if (net_slurp(path, &text, &len, e) < 0)
		goto out;
	j = json_parse(text, len, e);
	if (!j)
		goto out;
	b = json_get_str(j, "bridge");
	c = json_get_str(j, "podCIDR");
	t = json_get_str(j, "nftTable");
	if (!b || !c || !t || strlen(b) >= sizeof(out->bridge) || !*b ||
	    strlen(c) >= sizeof(out->cidr) || strlen(t) >= sizeof(out->table)) {
		err_set(e, ERR_PARSE,
			"%s is corrupt (remove it, or run `kdeck cluster "
			"reset`)",
			path);
		goto out;
	}
	strcpy(out->bridge, b);
	strcpy(out->cidr, c);
	strcpy(out->table, t);
	rc = 0;
out:
	cJSON_Delete(j);
	free(text);
	free(path);
	return rc;
}

static int save(const char *state_dir, const struct netpick *p, struct err *e)
{
	char *path = xasprintf("%s/%s", state_dir, NET_FILE), *text;
	cJSON *j = cJSON_CreateObject();
	int rc;

	json_set_str(j, "bridge", p->bridge);
	json_set_str(j, "podCIDR", p->cidr);
	json_set_str(j, "nftTable", p->table);
	text = json_print(j);
	rc = file_write_atomic(path, text, strlen(text), 0600, e);
	free(text);
	cJSON_Delete(j);
	free(path);
	return rc;
}

static bool legacy(const char *state_dir)
{
	char *path = xasprintf("%s/%s", state_dir, LEGACY_IPAM);
	bool r = access(path, F_OK) == 0;

	free(path);
	return r;
}

int netpick_resolve(const char *state_dir, struct netpick *out,
		    struct err *e)
{
	struct link_snapshot *s;
	struct netpick p;
	int rc;

	if (netpick_load(state_dir, out, e) == 0)
		return 0;
	if (e->code != ERR_NOT_FOUND)
		return -1;
	err_clear(e);
	if (legacy(state_dir)) {
		fill(&p, 0);
		rc = 0;
	} else {
		s = xmalloc(sizeof(*s));
		rc = link_snapshot_take(s, e);
		if (rc == 0)
			rc = netpick_choose(s, &p, e);
		free(s);
	}
	if (rc < 0 || save(state_dir, &p, e) < 0)
		return -1;
	*out = p;
	return 0;
}

int netpick_lock(struct err *e)
{
	static const char *const paths[] = LOCK_FILES;
	int fd = -1;

	for (size_t i = 0; fd < 0 && i < 2; i++)
		fd = open(paths[i], O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(e, ERR_IO, "open the pod network lock: %s",
			       strerror(errno));
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			close(fd);
			return err_set(e, ERR_IO, "lock the pod network: %s",
				       strerror(errno));
		}
	return fd;
}

void netpick_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
