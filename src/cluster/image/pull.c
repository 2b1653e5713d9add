/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pull: image_pull, the OCI distribution API client side.
 *
 * Endpoints are tried in order: the mirrors registries.yaml lists for the
 * reference's registry (or for "*"), then the registry itself
 * (docker.io -> registry-1.docker.io; loopback registries over plain
 * HTTP, others HTTPS).  The first endpoint that serves the image wins.
 * When all fail the most telling error is reported: a "not found" or
 * "unauthorized" beats "connection refused", so an unreachable upstream
 * does not hide what a mirror said.
 *
 * Per endpoint: GET the manifest (Accept: OCI and Docker manifests and
 * indexes), pick linux/<arch> from an index, then the config and the
 * layers not yet stored, each checked against its digest and size while
 * it streams to DIR/tmp.  Credentials: registries.yaml configs for the
 * endpoint host, then the pod's .dockerconfigjson documents for the
 * endpoint host or the image's registry.  Concurrent pulls of one
 * reference in a process share one transfer (img_inflight).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cluster/image/registry.h"
#include "common/mem.h"

#define ACCEPT_MANIFESTS                                              \
	"application/vnd.oci.image.index.v1+json, "                   \
	"application/vnd.docker.distribution.manifest.list.v2+json, " \
	"application/vnd.oci.image.manifest.v1+json, "                \
	"application/vnd.docker.distribution.manifest.v2+json"

struct pull {
	struct image_store *s;
	struct img_ref ref;
	char *norm;			/* normalized reference */
	const char *const *auths;	/* .dockerconfigjson documents */
	struct img_endpoint ep;
	char *scope;			/* "repository:PATH:pull" */
	char top[72];			/* digest the reference resolved to */
	char manifest[72];		/* linux/<arch> image manifest */
};

struct img_inflight {
	char *ref;
	bool done;
	int rc, waiters;
	struct err err;
	struct img_inflight *next;
};

static bool is_loopback(const char *domain)
{
	return !strncmp(domain, "localhost", 9) ||
	       !strncmp(domain, "127.", 4) || !strncmp(domain, "[::1]", 5);
}

/* Host part of a URL: "http://h:p/x" -> "h:p". */
static const char *url_host(const char *url, char *out, size_t len)
{
	const char *p = strstr(url, "://");

	p = p ? p + 3 : url;
	snprintf(out, len, "%.*s", (int)strcspn(p, "/"), p);
	return out;
}

/* Credentials for an endpoint host; *user and *pass NULL when none. */
static void find_creds(struct pull *p, const char *host,
		       const struct img_reg_config *cfg, char **user,
		       char **pass)
{
	char *dec;
	size_t n;

	*user = *pass = NULL;
	if (cfg && cfg->username) {
		*user = xstrdup(cfg->username);
		*pass = xstrdup(cfg->password ? cfg->password : "");
		return;
	}
	if (cfg && cfg->auth && img_unbase64(cfg->auth, &dec, &n) == 0) {
		char *colon = strchr(dec, ':');

		if (colon) {
			*user = xstrndup(dec, (size_t)(colon - dec));
			*pass = xstrdup(colon + 1);
		}
		free(dec);
		if (*user)
			return;
	}
	for (size_t i = 0; p->auths && p->auths[i]; i++)
		if (img_dockercfg_lookup(p->auths[i], host, user, pass) == 0 ||
		    img_dockercfg_lookup(p->auths[i], p->ref.domain, user,
					 pass) == 0)
			return;
}

/* GET a manifest by tag or digest; verifies a digest reference. */
static int get_manifest(struct pull *p, const char *what, struct buf *body,
			char **ct, char digest[72], struct err *e)
{
	char *path = xasprintf("/%s/manifests/%s", p->ref.path, what);
	struct img_response r = { .body = body, .max = IMG_MANIFEST_MAX,
				  .fd = -1, .limit = IMG_MANIFEST_MAX };
	int rc = -1;

	if (img_endpoint_get(&p->ep, path, ACCEPT_MANIFESTS, p->scope, &r,
			     e) < 0)
		goto out;
	if (r.status == 404) {
		err_set(e, ERR_NOT_FOUND, "%s: not found", p->norm);
		goto out;
	}
	if (r.status != 200) {
		err_set(e, err_from_http((int)r.status), "unexpected status "
			"from GET request to %s%s: %ld", p->ep.base, path,
			r.status);
		goto out;
	}
	img_sha256(body->data, body->len, digest);
	if (img_digest_valid(what) && strcmp(what, digest)) {
		err_set(e, ERR_INVALID, "manifest %s: digest mismatch (got "
			"%s)", what, digest);
		goto out;
	}
	*ct = r.content_type;
	r.content_type = NULL;
	rc = 0;
out:
	free(r.content_type);
	free(path);
	return rc;
}

/* Resolve the reference to an image manifest, storing what it read. */
static int resolve(struct pull *p, struct img_manifest *m, struct err *e)
{
	const char *what = p->ref.digest ? p->ref.digest : p->ref.tag;
	struct buf body = BUF_INIT;
	char *ct = NULL, d[72];
	int rc = -1;

	for (int depth = 0; depth < 3; depth++) {
		buf_reset(&body);
		free(ct);
		ct = NULL;
		if (get_manifest(p, what, &body, &ct, d, e) < 0 ||
		    img_manifest_parse(buf_cstr(&body), body.len, ct, m, e) ||
		    img_blob_put(p->s, d, body.data ? body.data : "", body.len,
				 NULL, e) < 0)
			goto out;
		if (!depth)
			memcpy(p->top, d, 72);
		if (m->kind == IMG_MANIFEST) {
			memcpy(p->manifest, d, 72);
			rc = 0;
			goto out;
		}
		memcpy(d, m->platform->digest, 72);
		what = d;
		img_manifest_done(m);
	}
	err_set(e, ERR_INVALID, "indexes nested too deeply");
out:
	free(ct);
	buf_free(&body);
	return rc;
}

/* Download one blob into the store, verifying digest and size. */
static int get_blob(struct pull *p, const struct img_desc *d, struct err *e)
{
	char *path = xasprintf("/%s/blobs/%s", p->ref.path, d->digest);
	char *tmp = img_tmp_name(p->s, "pull");
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	struct img_response r = { .fd = fd, .hash = img_hash_new(),
				  .limit = d->size };
	char got[72];
	int rc = -1;

	if (fd < 0) {
		err_set(e, ERR_IO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (img_endpoint_get(&p->ep, path, NULL, p->scope, &r, e) < 0)
		goto out;
	if (r.status != 200) {
		err_set(e, r.status == 404 ? ERR_NOT_FOUND
					   : err_from_http((int)r.status),
			"failed to copy: blob %s: unexpected status %ld",
			d->digest, r.status);
		goto out;
	}
	img_hash_finish(r.hash, got);
	r.hash = NULL;
	if (strcmp(got, d->digest) || r.total != d->size) {
		err_set(e, ERR_INVALID, "failed to copy: blob %s: digest "
			"mismatch (got %s, %lld bytes)", d->digest, got,
			(long long)r.total);
		goto out;
	}
	close(fd);
	fd = -1;
	rc = img_blob_adopt(p->s, tmp, d->digest, e);
out:
	if (r.hash)
		img_hash_finish(r.hash, got);
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		unlink(tmp);
	free(r.content_type);
	free(tmp);
	free(path);
	return rc;
}

/* The whole pull from the current endpoint. */
static int pull_from(struct pull *p, struct err *e)
{
	struct img_manifest m = {0};
	int rc = -1;

	if (resolve(p, &m, e) < 0)
		goto out;
	if (!img_blob_has(p->s, m.config.digest) &&
	    get_blob(p, &m.config, e) < 0)
		goto out;
	for (size_t i = 0; i < m.nlayers; i++)
		if (!img_blob_has(p->s, m.layers[i].digest) &&
		    get_blob(p, &m.layers[i], e) < 0)
			goto out;
	rc = 0;
out:
	img_manifest_done(&m);
	return rc;
}

/* Try one endpoint base URL ("http://h:p"). */
static int try_endpoint(struct pull *p, const char *url, struct err *e)
{
	char host[256], *user = NULL, *pass = NULL, *base;
	const struct img_reg_config *cfg;
	size_t n = strlen(url);
	int rc;

	url_host(url, host, sizeof(host));
	cfg = img_registries_config(p->s->reg, host);
	find_creds(p, host, cfg, &user, &pass);
	base = n >= 3 && !strcmp(url + n - 3, "/v2") ? xstrdup(url)
						      : xasprintf("%s/v2", url);
	img_endpoint_init(&p->ep, base, cfg, user, pass);
	rc = pull_from(p, e);
	img_endpoint_done(&p->ep);
	free(base);
	free(user);
	free(pass);
	return rc;
}

static int err_rank(enum err_code c)
{
	return c == ERR_UNAVAILABLE || c == ERR_TIMEOUT ? 0 : 1;
}

/* Mirrors, then upstream; the most telling failure is kept. */
static int pull_any(struct pull *p, struct err *e)
{
	const char *const *mirrors = img_registries_mirrors(p->s->reg,
							    p->ref.domain);
	const char *d = p->ref.domain;
	char *upstream = !strcmp(d, "docker.io")
		? xstrdup("https://registry-1.docker.io")
		: xasprintf("%s://%s", is_loopback(d) ? "http" : "https", d);
	struct err best = {0};
	int rc = -1;

	for (size_t i = 0; mirrors[i] || upstream; i++) {
		const char *url = mirrors[i] ? mirrors[i] : upstream;
		struct err cur = {0};

		if (try_endpoint(p, url, &cur) == 0) {
			rc = 0;
			break;
		}
		if (best.code == ERR_OK || err_rank(cur.code) > err_rank(best.code))
			best = cur;
		if (!mirrors[i])
			break;
	}
	free(upstream);
	if (rc < 0)
		err_copy(e, &best);
	return rc;
}

/* The transfer itself, under pull.lock (shared) against sweeps. */
static int do_pull(struct image_store *s, const char *norm,
		   const char *const *auths, struct err *e)
{
	struct pull p = { .s = s, .auths = auths };
	int lock = img_lock(s, "pull.lock", LOCK_SH), rc = -1;

	if (img_ref_parse(norm, &p.ref, e) < 0)
		goto out;
	p.norm = xstrdup(norm);
	p.scope = xasprintf("repository:%s:pull", p.ref.path);
	if (pull_any(&p, e) < 0) {
		err_wrap(e, "failed to resolve reference \"%s\"", norm);
		goto out;
	}
	rc = img_store_commit(s, norm, p.top, p.manifest, e);
out:
	if (rc < 0)
		err_wrap(e, "failed to pull and unpack image \"%s\"", norm);
	img_unlock(lock);
	img_ref_done(&p.ref);
	free(p.norm);
	free(p.scope);
	return rc;
}

/* Join a pull of norm in progress: 1 joined (result in rc/e), 0 none. */
static int join_inflight(struct image_store *s, const char *norm, int *rc,
			 struct err *e)
{
	struct img_inflight *f;

	for (f = s->inflight; f && strcmp(f->ref, norm); f = f->next)
		;
	if (!f)
		return 0;
	f->waiters++;
	while (!f->done)
		pthread_cond_wait(&s->cond, &s->mu);
	*rc = f->rc;
	err_copy(e, &f->err);
	if (--f->waiters == 0) {
		free(f->ref);
		free(f);
	}
	return 1;
}

static void finish_inflight(struct image_store *s, struct img_inflight *f)
{
	struct img_inflight **pp;

	pthread_mutex_lock(&s->mu);
	for (pp = &s->inflight; *pp && *pp != f; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = f->next;
	f->done = true;
	pthread_cond_broadcast(&s->cond);
	if (f->waiters == 0) {
		free(f->ref);
		free(f);
	}
	pthread_mutex_unlock(&s->mu);
}

int image_pull(struct image_store *s, const char *ref,
	       const char *const *auths, struct err *e)
{
	struct img_inflight *f;
	struct err le = {0};
	char *norm = NULL;
	int rc;

	if (image_normalize(ref, &norm, e) < 0)
		return err_wrap(e, "failed to pull and unpack image \"%s\"",
				ref);
	pthread_mutex_lock(&s->mu);
	if (join_inflight(s, norm, &rc, e)) {
		pthread_mutex_unlock(&s->mu);
		free(norm);
		return rc;
	}
	f = xcalloc(1, sizeof(*f));
	f->ref = xstrdup(norm);
	f->next = s->inflight;
	s->inflight = f;
	pthread_mutex_unlock(&s->mu);
	rc = do_pull(s, norm, auths, &le);
	f->rc = rc;
	f->err = le;
	err_copy(e, &le);
	finish_inflight(s, f);
	free(norm);
	return rc;
}
