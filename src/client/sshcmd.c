/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sshcmd: `kdeck ssh USER@HOST[:PORT]` for clusters that live on a
 * machine reachable over SSH (a k3s box, a kubeadm control plane).  It
 * reads the remote kubeconfig over SFTP (--remote-kubeconfig PATH, else
 * /etc/rancher/k3s/k3s.yaml, then ~/.kube/config), adds the kdeck
 * extension `ssh: USER@HOST[:PORT]` (plus jump and identityFile when
 * given) to every cluster in it, so the API server address it names is
 * reached through a tunnel from that host with TLS still verified against
 * that name, writes it to --write FILE (default
 * $XDG_CONFIG_HOME/kdeck/ssh/HOST.yaml, mode 0600) and opens the
 * dashboard on it (not with --no-dashboard).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "client/ssh.h"
#include "cmd.h"
#include "common/buf.h"
#include "common/file.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/yaml.h"

struct sshcmd_opts {
	const char *dest, *identity, *jump, *remote, *write;
	bool no_dashboard;
};

static const struct option sshcmd_longopts[] = {
	{ "identity", required_argument, NULL, 'i' },
	{ "jump", required_argument, NULL, 'J' },
	{ "remote-kubeconfig", required_argument, NULL, 'r' },
	{ "write", required_argument, NULL, 'w' },
	{ "no-dashboard", no_argument, NULL, 'N' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int sshcmd_usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "error: %s\n", msg);
	fprintf(stderr, "usage: kdeck ssh USER@HOST[:PORT] [-i KEY] [-J JUMP[,JUMP...]] "
		"[--remote-kubeconfig PATH] [--write FILE] [--no-dashboard]\n");
	return 2;
}

static int sshcmd_parse(int argc, char **argv, struct sshcmd_opts *o)
{
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "i:J:h", sshcmd_longopts,
				 NULL)) != -1) {
		switch (ch) {
		case 'i': o->identity = optarg; break;
		case 'J': o->jump = optarg; break;
		case 'r': o->remote = optarg; break;
		case 'w': o->write = optarg; break;
		case 'N': o->no_dashboard = true; break;
		case 'h': sshcmd_usage(NULL); return 1;
		default: return sshcmd_usage("unknown option");
		}
	}
	if (optind != argc - 1)
		return sshcmd_usage("want exactly one USER@HOST[:PORT]");
	o->dest = argv[optind];
	return 0;
}

/* The kdeck extension on every cluster (replacing an earlier one). */
static int add_extension(cJSON *kc, const struct sshcmd_opts *o,
			 struct err *e)
{
	cJSON *cl, *clusters = cJSON_GetObjectItem(kc, "clusters");
	int n = 0;

	cJSON_ArrayForEach(cl, clusters) {
		cJSON *c = cJSON_GetObjectItem(cl, "cluster"), *exts, *x, *ext;

		if (!cJSON_IsObject(c))
			continue;
		exts = cJSON_GetObjectItem(c, "extensions");
		if (!cJSON_IsArray(exts)) {
			cJSON_DeleteItemFromObject(c, "extensions");
			exts = cJSON_AddArrayToObject(c, "extensions");
		}
		for (int i = cJSON_GetArraySize(exts) - 1; i >= 0; i--) {
			x = cJSON_GetArrayItem(exts, i);
			if (json_get_str(x, "name") && !strcmp(json_get_str(x, "name"), "kdeck"))
				cJSON_DeleteItemFromArray(exts, i);
		}
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name", "kdeck");
		ext = cJSON_AddObjectToObject(x, "extension");
		cJSON_AddStringToObject(ext, "ssh", o->dest);
		if (o->jump)
			cJSON_AddStringToObject(ext, "jump", o->jump);
		if (o->identity)
			cJSON_AddStringToObject(ext, "identityFile", o->identity);
		cJSON_AddItemToArray(exts, x);
		n++;
	}
	return n ? 0 : err_set(e, ERR_INVALID, "the remote kubeconfig names no cluster");
}

/* $XDG_CONFIG_HOME/kdeck/ssh/HOST.yaml, creating the directories. */
static char *default_path(const char *dest)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	const char *at = strrchr(dest, '@');
	char *base = x && *x ? xasprintf("%s/kdeck", x)
			     : xasprintf("%s/.config/kdeck", home ? home : ".");
	char *dir = xasprintf("%s/ssh", base), *host = xstrdup(at ? at + 1 : dest);
	char *path;

	host[strcspn(host, ":/")] = '\0';
	mkdir(base, 0700);
	mkdir(dir, 0700);
	path = xasprintf("%s/%s.yaml", dir, host);
	free(base);
	free(dir);
	free(host);
	return path;
}

static int fetch_and_write(const struct sshcmd_opts *o, char **path,
			   struct err *e)
{
	static const char *const usual[] = { "/etc/rancher/k3s/k3s.yaml",
					     ".kube/config", NULL };
	const char *one[] = { o->remote, NULL }, *which = NULL;
	struct ssh_tunnel_opts so = { .dest = o->dest, .jump = o->jump,
		.identity = o->identity,
		.cb = { client_tty_hostkey, client_tty_passphrase, NULL } };
	struct buf text = BUF_INIT;
	cJSON *kc = NULL;
	char *yaml = NULL;
	int rc = -1;

	if (ssh_fetch(&so, o->remote ? one : usual, &text, &which, e) < 0)
		goto out;
	if (!(kc = kyaml_parse(text.data, text.len, e))) {
		err_wrap(e, "%s:%s", o->dest, which);
		goto out;
	}
	if (add_extension(kc, o, e) < 0)
		goto out;
	yaml = kyaml_emit(kc);
	*path = o->write ? xstrdup(o->write) : default_path(o->dest);
	if (file_write_atomic(*path, yaml, strlen(yaml), 0600, e) < 0)
		goto out;
	fprintf(stderr, "kdeck: %s:%s -> %s (through ssh %s)\n", o->dest, which,
		*path, o->dest);
	rc = 0;
out:
	buf_free(&text);
	cJSON_Delete(kc);
	free(yaml);
	return rc;
}

int client_ssh_main(int argc, char **argv)
{
	struct sshcmd_opts o;
	char *path = NULL;
	struct err e;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = sshcmd_parse(argc, argv, &o)) != 0)
		return rc == 1 ? 0 : rc;
	err_clear(&e);
	if (fetch_and_write(&o, &path, &e) < 0) {
		fprintf(stderr, "error: %s\n", e.msg);
		free(path);
		return 1;
	}
	if (!o.no_dashboard) {
		char *av[] = { (char *)"kdeck", (char *)"--kubeconfig", path, NULL };

		rc = tui_main(3, av);
	}
	free(path);
	return rc;
}
