/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podspec_files: the files kubelet writes for every pod and bind-mounts
 * into its containers: /etc/hosts, /etc/resolv.conf, /etc/hostname, and
 * each container's termination message file.
 *
 * They live in DATA/pods/UID/ (etc-hosts, resolv.conf, hostname,
 * containers/CTR/termination-log-N) and are rewritten only when their
 * content changes (the pod IP is known only once the sandbox exists).
 *
 * /etc/hosts is kubelet's managed file: a header, the localhost lines, the
 * pod IP with its hostname (as hostname.subdomain.NS.svc.DOMAIN first
 * when spec.subdomain is set), then the hostAliases.  With hostNetwork it
 * is the node's own /etc/hosts under a "(host network)" header.
 * resolv.conf: dnsPolicy ClusterFirst (the default; ClusterFirstWithHostNet
 * for hostNetwork pods) points at the cluster DNS with kubelet's search
 * path and ndots:5; Default (and ClusterFirst without a DNS server, or with
 * hostNetwork) copies the node's; None uses only dnsConfig, whose
 * nameservers, searches and options are appended in every case.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster/node/layout.h"
#include "cluster/node/podspec_int.h"
#include "common/buf.h"
#include "common/file.h"
#include "common/json.h"
#include "common/mem.h"

#define HOST_HOSTS  "/etc/hosts"
#define HOST_RESOLV "/etc/resolv.conf"

/* kubelet: at most 63 bytes, without a trailing '-' or '.' after a cut. */
static char *truncate_hostname(const char *h)
{
	char *s = xstrndup(h, 63);
	size_t n = strlen(s);

	while (strlen(h) > 63 && n && (s[n - 1] == '-' || s[n - 1] == '.'))
		s[--n] = '\0';
	return s;
}

char *ps_hostname(const cJSON *pod)
{
	const char *h = json_get_str(pod, "spec.hostname");
	char buf[256];

	if (json_get_bool(pod, "spec.hostNetwork", false) &&
	    gethostname(buf, sizeof(buf)) == 0) {
		buf[sizeof(buf) - 1] = '\0';
		return xstrdup(buf);
	}
	if (!h || !*h)
		h = json_get_str(pod, "metadata.name");
	return truncate_hostname(h ? h : "pod");
}

static void add_file(struct buf *b, const char *path)
{
	char chunk[4096];
	FILE *fp = fopen(path, "re");
	size_t n;

	while (fp && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	if (fp)
		fclose(fp);
}

static void add_aliases(struct buf *b, const cJSON *aliases)
{
	const cJSON *a, *h;

	if (!cJSON_GetArraySize(aliases))
		return;
	buf_adds(b, "\n# Entries added by HostAliases.\n");
	cJSON_ArrayForEach(a, aliases)
	{
		buf_adds(b, json_get_str(a, "ip") ? json_get_str(a, "ip") : "");
		cJSON_ArrayForEach(
		    h, json_obj(a, "hostnames")) if (cJSON_IsString(h))
		    buf_printf(b, "\t%s", h->valuestring);
		buf_addc(b, '\n');
	}
}

char *ps_hosts_content(const struct podspec_env *env, const cJSON *pod,
		       const char *pod_ip)
{
	const char *sub = json_get_str(pod, "spec.subdomain");
	const char *ns = json_get_str(pod, "metadata.namespace");
	const char *dom =
	    env->cluster_domain ? env->cluster_domain : "cluster.local";
	struct buf b = BUF_INIT;
	char *host;

	if (json_get_bool(pod, "spec.hostNetwork", false)) {
		buf_adds(&b,
			 "# Kubernetes-managed hosts file (host network).\n");
		add_file(&b, HOST_HOSTS);
		add_aliases(&b, json_get(pod, "spec.hostAliases"));
		return buf_take(&b);
	}
	host = ps_hostname(pod);
	buf_adds(&b, "# Kubernetes-managed hosts file.\n"
		     "127.0.0.1\tlocalhost\n"
		     "::1\tlocalhost ip6-localhost ip6-loopback\n"
		     "fe00::0\tip6-localnet\n"
		     "fe00::0\tip6-mcastprefix\n"
		     "fe00::1\tip6-allnodes\n"
		     "fe00::2\tip6-allrouters\n");
	if (pod_ip && *pod_ip && sub && *sub)
		buf_printf(&b, "%s\t%s.%s.%s.svc.%s\t%s\n", pod_ip, host, sub,
			   ns ? ns : "default", dom, host);
	else if (pod_ip && *pod_ip)
		buf_printf(&b, "%s\t%s\n", pod_ip, host);
	add_aliases(&b, json_get(pod, "spec.hostAliases"));
	free(host);
	return buf_take(&b);
}

/* Lines of the host's resolv.conf with keyword (e.g. "nameserver "). */
static void host_values(const char *keyword, struct vec *out)
{
	struct buf b = BUF_INIT;
	char *p, *line;

	add_file(&b, HOST_RESOLV);
	p = b.data;
	while (p && (line = strsep(&p, "\n"))) {
		char *tok, *q = line;

		if (strncmp(line, keyword, strlen(keyword)))
			continue;
		q += strlen(keyword);
		while ((tok = strsep(&q, " \t")))
			if (*tok)
				vec_push(out, xstrdup(tok));
	}
	buf_free(&b);
}

static void add_strings(struct vec *out, const cJSON *a)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, a) if (cJSON_IsString(x))
	    vec_push(out, xstrdup(x->valuestring));
}

/* dnsConfig options: {name, value} -> "name:value"; later ones win. */
static void add_options(struct vec *out, const cJSON *a)
{
	const cJSON *x;
	size_t i;

	cJSON_ArrayForEach(x, a)
	{
		const char *n = json_get_str(x, "name");
		const char *v = json_get_str(x, "value");
		size_t len = n ? strlen(n) : 0;

		if (!n)
			continue;
		for (i = 0; i < out->len; i++) {
			const char *o = out->items[i];

			if (!strncmp(o, n, len) && (!o[len] || o[len] == ':')) {
				free(out->items[i]);
				vec_remove(out, i);
				break;
			}
		}
		vec_push(out, v ? xasprintf("%s:%s", n, v) : xstrdup(n));
	}
}

static void add_line(struct buf *b, const char *kw, const struct vec *v,
		     bool one_each)
{
	size_t i;

	if (!v->len)
		return;
	for (i = 0; i < v->len; i++) {
		if (one_each || !i)
			buf_adds(b, kw);
		buf_printf(b, "%s%s", (char *)v->items[i],
			   one_each || i + 1 == v->len ? "\n" : " ");
	}
}

char *ps_resolv_content(const struct podspec_env *env, const cJSON *pod)
{
	const char *pol = json_get_str(pod, "spec.dnsPolicy");
	const char *ns = json_get_str(pod, "metadata.namespace");
	const char *dom =
	    env->cluster_domain ? env->cluster_domain : "cluster.local";
	bool hostnet = json_get_bool(pod, "spec.hostNetwork", false);
	struct vec srv = VEC_INIT, search = VEC_INIT, opts = VEC_INIT;
	struct buf b = BUF_INIT;
	bool cluster;

	if (!pol)
		pol = "ClusterFirst";
	cluster =
	    env->dns_server && (!strcmp(pol, "ClusterFirstWithHostNet") ||
				(!strcmp(pol, "ClusterFirst") && !hostnet));
	if (cluster) {
		vec_push(&srv, xstrdup(env->dns_server));
		vec_push(&search,
			 xasprintf("%s.svc.%s", ns ? ns : "default", dom));
		vec_push(&search, xasprintf("svc.%s", dom));
		vec_push(&search, xstrdup(dom));
		vec_push(&opts, xstrdup("ndots:5"));
	} else if (strcmp(pol, "None")) {
		host_values("nameserver", &srv);
		host_values("search", &search);
		host_values("options", &opts);
	}
	add_strings(&srv, json_get(pod, "spec.dnsConfig.nameservers"));
	add_strings(&search, json_get(pod, "spec.dnsConfig.searches"));
	add_options(&opts, json_get(pod, "spec.dnsConfig.options"));
	buf_adds(&b, "");
	add_line(&b, "search ", &search, false);
	add_line(&b, "nameserver ", &srv, true);
	add_line(&b, "options ", &opts, false);
	vec_free(&srv, free);
	vec_free(&search, free);
	vec_free(&opts, free);
	return buf_take(&b);
}

/*
 * Write path unless it already holds exactly text.  The first write is
 * atomic; later ones rewrite the file in place (as kubelet does) so that
 * containers which bind-mounted it already see the new content.
 */
static int write_if_changed(const char *path, const char *text, struct err *e)
{
	struct buf old = BUF_INIT;
	size_t n = strlen(text);
	int fd, rc = 0;

	add_file(&old, path);
	if (old.len == n && !memcmp(buf_cstr(&old), text, n))
		goto out;
	if (access(path, F_OK) < 0) {
		rc = file_write_atomic(path, text, n, 0644, e);
		goto out;
	}
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || write(fd, text, n) != (ssize_t)n)
		rc = err_set(e, ERR_IO, "write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
out:
	buf_free(&old);
	return rc;
}

int ps_mkdirs(const char *path, unsigned mode, struct err *e)
{
	char *p = xstrdup(path);
	size_t i, n = strlen(p);
	int rc = 0;

	for (i = 1; i <= n && !rc; i++) {
		char c = p[i];

		if (c != '/' && c != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			rc = err_set(e, ERR_IO, "mkdir %s: %s", p,
				     strerror(errno));
		p[i] = c;
	}
	free(p);
	return rc;
}

/* The empty termination message file, writable by any container user. */
static int make_termlog(const char *path, struct err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);

	if (fd < 0)
		return err_set(e, ERR_IO, "create %s: %s", path,
			       strerror(errno));
	if (fchmod(fd, 0666) < 0) {
		close(fd);
		return err_set(e, ERR_IO, "chmod %s: %s", path,
			       strerror(errno));
	}
	close(fd);
	return 0;
}

int ps_write_files(const struct podspec_env *env, const cJSON *pod,
		   const char *ctr, int attempt, const char *pod_ip,
		   char *paths[4], struct err *e)
{
	char *dir =
	    layout_pod_dir(env->data_dir, json_get_str(pod, "metadata.uid"));
	char *cdir = xasprintf("%s/containers/%s", dir, ctr);
	char *text[3], *host = ps_hostname(pod);
	char *p[4];
	int i, rc = 0;

	p[0] = xasprintf("%s/etc-hosts", dir);
	p[1] = xasprintf("%s/resolv.conf", dir);
	p[2] = xasprintf("%s/hostname", dir);
	p[3] = xasprintf("%s/termination-log-%d", cdir, attempt);
	text[0] = ps_hosts_content(env, pod, pod_ip);
	text[1] = ps_resolv_content(env, pod);
	text[2] = xasprintf("%s\n", host);
	rc = ps_mkdirs(cdir, 0755, e);
	for (i = 0; i < 3 && !rc; i++)
		rc = write_if_changed(p[i], text[i], e);
	if (!rc)
		rc = make_termlog(p[3], e);
	for (i = 0; i < 4; i++) {
		if (i < 3)
			free(text[i]);
		if (rc)
			free(p[i]);
		else
			paths[i] = p[i];
	}
	free(host);
	free(cdir);
	free(dir);
	return rc;
}
