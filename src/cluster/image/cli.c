/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli: `kdeck image import|ls|rm|pull` over the node's image store
 * (DATA/images, configured by DATA/registries.yaml).  The daemon may use
 * the same store at the same time (see index.c for the locking).  Exit
 * status: 0 ok, 1 failure (message on stderr), 2 misuse.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/image/image_priv.h"
#include "cluster/node/layout.h"
#include "common/buf.h"
#include "common/file.h"
#include "common/mem.h"

struct opts {
	const char *data_dir;
	const char *name;      /* --name */
	const char *auth_file; /* --docker-config */
	bool json;
	int nargs;
	char **args;
};

struct sub {
	const char *name, *args, *summary;
	int (*run)(struct image_store *s, const struct opts *o);
	const char *opts; /* option letters it takes */
	int min_args, max_args;
};

static int do_import(struct image_store *s, const struct opts *o);
static int do_ls(struct image_store *s, const struct opts *o);
static int do_rm(struct image_store *s, const struct opts *o);
static int do_pull(struct image_store *s, const struct opts *o);

static const struct sub subs[] = {
    {"import", "FILE|DIR [--name REF]",
     "import an OCI layout or a docker save archive", do_import, "dn", 1, 1},
    {"ls", "[-o json]", "list stored images", do_ls, "do", 0, 0},
    {"rm", "REF|ID...", "remove images", do_rm, "d", 1, 1000},
    {"pull", "REF [--docker-config FILE]",
     "pull an image from its registry (or a mirror)", do_pull, "da", 1, 1},
};
#define NSUBS (sizeof(subs) / sizeof(subs[0]))

static const struct option long_opts[] = {
    {"data-dir", required_argument, NULL, 'd'},
    {"name", required_argument, NULL, 'n'},
    {"output", required_argument, NULL, 'o'},
    {"docker-config", required_argument, NULL, 'a'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: kdeck image COMMAND [--data-dir DIR] [ARGS]\n\n");
	for (size_t i = 0; i < NSUBS; i++)
		fprintf(fp, "  %-7s %-32s %s\n", subs[i].name, subs[i].args,
			subs[i].summary);
	fprintf(fp, "\nDIR defaults to $XDG_DATA_HOME/kdeck/cluster; "
		    "DIR/registries.yaml configures\nmirrors, insecure "
		    "registries and credentials.\n");
}


static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rbe");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	if (!fp)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 && b.len < 1 << 20)
		buf_add(&b, chunk, n);
	fclose(fp);
	return buf_take(&b);
}

static int do_import(struct image_store *s, const struct opts *o)
{
	struct err e = {0};
	char **refs = NULL;

	if (image_import(s, o->args[0], o->name, &refs, &e) < 0) {
		fprintf(stderr, "kdeck: import %s: %s\n", o->args[0], e.msg);
		return 1;
	}
	for (size_t i = 0; refs[i]; i++) {
		printf("imported %s\n", refs[i]);
		free(refs[i]);
	}
	free(refs);
	return 0;
}

/* Sizes as crictl prints them: 3 significant digits, decimal units. */
static void human_size(int64_t n, char *out, size_t len)
{
	static const char *const units[] = {"B", "kB", "MB", "GB", "TB"};
	double v = (double)n;
	size_t u = 0;

	while (v >= 1000 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1000;
		u++;
	}
	snprintf(out, len, "%.3g%s", v, units[u]);
}

static void print_json(const struct image_info *v, size_t n)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "{\"images\":[");
	for (size_t i = 0; i < n; i++) {
		buf_adds(&b, i ? ",{\"ref\":" : "{\"ref\":");
		buf_add_json_str(&b, v[i].ref);
		buf_adds(&b, ",\"id\":");
		buf_add_json_str(&b, v[i].id);
		buf_printf(&b, ",\"size\":%lld,\"created\":%lld}",
			   (long long)v[i].size, (long long)v[i].created);
	}
	buf_adds(&b, "]}\n");
	fputs(buf_cstr(&b), stdout);
	buf_free(&b);
}

static int do_ls(struct image_store *s, const struct opts *o)
{
	struct image_info *v = NULL;
	struct err e = {0};
	size_t n = 0;

	if (image_list(s, &v, &n, &e) < 0) {
		fprintf(stderr, "kdeck: %s\n", e.msg);
		return 1;
	}
	if (o->json) {
		print_json(v, n);
	} else {
		printf("%-60s %-15s %s\n", "IMAGE", "IMAGE ID", "SIZE");
		for (size_t i = 0; i < n; i++) {
			char size[32];

			human_size(v[i].size, size, sizeof(size));
			printf("%-60s %-15.13s %s\n", v[i].ref, v[i].id + 7,
			       size);
		}
	}
	image_info_free(v, n);
	return 0;
}

static int do_rm(struct image_store *s, const struct opts *o)
{
	int rc = 0;

	for (int i = 0; i < o->nargs; i++) {
		struct err e = {0};

		if (image_remove(s, o->args[i], &e) < 0) {
			fprintf(stderr, "kdeck: rm %s: %s\n", o->args[i],
				e.msg);
			rc = 1;
		} else {
			printf("deleted %s\n", o->args[i]);
		}
	}
	return rc;
}

static int do_pull(struct image_store *s, const struct opts *o)
{
	struct err e = {0};
	char *doc = NULL, *norm = NULL;
	const char *auths[2] = {NULL, NULL};
	struct image_config *c = NULL;
	int rc = 1;

	if (o->auth_file && !(doc = slurp(o->auth_file))) {
		fprintf(stderr, "kdeck: cannot read %s\n", o->auth_file);
		return 1;
	}
	auths[0] = doc;
	if (image_pull(s, o->args[0], auths, &e) < 0 ||
	    image_normalize(o->args[0], &norm, &e) < 0 ||
	    image_get(s, norm, &c, &e) < 0) {
		fprintf(stderr, "kdeck: %s\n", e.msg);
		goto out;
	}
	printf("Image is up to date for %s (%s)\n", norm, c->id);
	rc = 0;
out:
	image_config_free(c);
	free(norm);
	free(doc);
	return rc;
}

/* Parse options for sub into o; 0 ok, 2 misuse, 1 help printed. */
static int parse_opts(const struct sub *sub, int argc, char **argv,
		      struct opts *o)
{
	int c;

	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "d:n:o:h", long_opts, NULL)) !=
	       -1) {
		if (c == 'h') {
			printf("usage: kdeck image %s %s [--data-dir DIR]\n",
			       sub->name, sub->args);
			return 1;
		}
		if (c == '?' || !strchr(sub->opts, c)) {
			if (c != '?')
				fprintf(stderr,
					"kdeck: image %s does not take "
					"that option\n",
					sub->name);
			return 2;
		}
		if (c == 'o' && strcmp(optarg, "json")) {
			fprintf(stderr,
				"kdeck: unknown output format \"%s\" "
				"(want json)\n",
				optarg);
			return 2;
		}
		o->data_dir = c == 'd' ? optarg : o->data_dir;
		o->name = c == 'n' ? optarg : o->name;
		o->auth_file = c == 'a' ? optarg : o->auth_file;
		o->json |= c == 'o';
	}
	o->nargs = argc - optind;
	o->args = argv + optind;
	if (o->nargs < sub->min_args || o->nargs > sub->max_args) {
		fprintf(stderr, "usage: kdeck image %s %s\n", sub->name,
			sub->args);
		return 2;
	}
	return 0;
}

static int run_sub(const struct sub *sub, int argc, char **argv)
{
	struct opts o = {0};
	struct image_store *s = NULL;
	struct err e = {0};
	char *dflt = NULL, *dir = NULL, *reg = NULL;
	int rc = parse_opts(sub, argc, argv, &o);

	if (rc)
		return rc == 1 ? 0 : 2;
	if (!o.data_dir)
		o.data_dir = dflt = file_cluster_dir();
	dir = layout_images_dir(o.data_dir);
	reg = layout_registries_file(o.data_dir);
	if (image_store_open(dir, reg, &s, &e) < 0) {
		fprintf(stderr, "kdeck: %s\n", e.msg);
		rc = 1;
	} else {
		rc = sub->run(s, &o);
	}
	image_store_free(s);
	free(dir);
	free(reg);
	free(dflt);
	return rc;
}

int image_main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < NSUBS; i++)
		if (!strcmp(subs[i].name, argv[1]))
			return run_sub(&subs[i], argc - 1, argv + 1);
	fprintf(stderr, "kdeck: unknown image command \"%s\"\n", argv[1]);
	usage(stderr);
	return 2;
}
