/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ref: image references as Docker normalizes them ("busybox" ->
 * "docker.io/library/busybox:latest").  Grammar (distribution/reference):
 *   ref       := [domain "/"] path [":" tag] ["@" digest]
 *   domain    := host [":" port]; the first component is a domain when it
 *                holds "." or ":" or is "localhost"
 *   path      := component ("/" component)*, component :=
 *                [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)*
 *   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest    := "sha256:" 64 lowercase hex digits (the only algorithm
 *                kdeck verifies)
 * Names are at most 255 characters.  Pure functions, thread-safe.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/image/image_priv.h"
#include "common/mem.h"

#define NAME_MAX_LEN 255

bool img_digest_valid(const char *d)
{
	if (!d || strncmp(d, "sha256:", 7) || strlen(d) != 71)
		return false;
	for (const char *p = d + 7; *p; p++)
		if (!isdigit((unsigned char)*p) && !(*p >= 'a' && *p <= 'f'))
			return false;
	return true;
}

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* One path component [s, s+n). */
static bool component_ok(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 0 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1]))
		return false;
	while (i < n) {
		if (is_lower_alnum(s[i])) {
			i++;
			continue;
		}
		if (s[i] == '.' || (s[i] == '_' && s[i + 1] != '_')) {
			i++;
		} else if (s[i] == '_') {
			i += 2;	/* "__" */
		} else if (s[i] == '-') {
			while (i < n && s[i] == '-')
				i++;
		} else {
			return false;
		}
		if (i >= n || !is_lower_alnum(s[i]))
			return false;
	}
	return true;
}

static bool path_ok(const char *p)
{
	const char *slash;

	for (;;) {
		slash = strchr(p, '/');
		if (!component_ok(p, slash ? (size_t)(slash - p) : strlen(p)))
			return false;
		if (!slash)
			return true;
		p = slash + 1;
	}
}

static bool domain_ok(const char *d)
{
	const char *colon = strrchr(d, ':');
	size_t hn = colon ? (size_t)(colon - d) : strlen(d);

	if (hn == 0 || d[0] == '-' || d[0] == '.')
		return false;
	for (size_t i = 0; i < hn; i++)
		if (!isalnum((unsigned char)d[i]) && d[i] != '.' && d[i] != '-')
			return false;
	if (colon) {
		if (!colon[1] || strlen(colon + 1) > 5)
			return false;
		for (const char *p = colon + 1; *p; p++)
			if (!isdigit((unsigned char)*p))
				return false;
	}
	return true;
}

static bool tag_ok(const char *t)
{
	size_t n = strlen(t);

	if (n == 0 || n > 128 || t[0] == '.' || t[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)t[i]) && t[i] != '_' &&
		    t[i] != '.' && t[i] != '-')
			return false;
	return true;
}

static bool looks_like_domain(const char *first, size_t n)
{
	if (n == 9 && !strncmp(first, "localhost", 9))
		return true;
	for (size_t i = 0; i < n; i++)
		if (first[i] == '.' || first[i] == ':' ||
		    isupper((unsigned char)first[i]))
			return true;
	return false;
}

/* Split name (no tag or digest) into domain and path, normalizing. */
static void split_name(const char *name, struct img_ref *r)
{
	const char *slash = strchr(name, '/');

	if (slash && looks_like_domain(name, (size_t)(slash - name))) {
		r->domain = xstrndup(name, (size_t)(slash - name));
		r->path = xstrdup(slash + 1);
	} else {
		r->domain = xstrdup("docker.io");
		r->path = xstrdup(name);
	}
	if (!strcmp(r->domain, "index.docker.io")) {
		free(r->domain);
		r->domain = xstrdup("docker.io");
	}
	if (!strcmp(r->domain, "docker.io") && !strchr(r->path, '/')) {
		char *p = xasprintf("library/%s", r->path);

		free(r->path);
		r->path = p;
	}
}

/*
 * Parse and normalize ref.  On success fills *out (img_ref_done frees);
 * ERR_INVALID naming the problem otherwise.  A reference with neither tag
 * nor digest gets the tag "latest".
 */
int img_ref_parse(const char *ref, struct img_ref *out, struct err *e)
{
	struct img_ref r = {0};
	char *s = NULL, *at, *colon, *slash;
	int rc = -1;

	if (!ref || !*ref || strlen(ref) > 1024)
		return err_set(e, ERR_INVALID, "invalid reference format");
	s = xstrdup(ref);
	at = strchr(s, '@');
	if (at) {
		*at = '\0';
		if (!img_digest_valid(at + 1)) {
			err_set(e, ERR_INVALID, "invalid reference format: "
				"unsupported or malformed digest in \"%s\"", ref);
			goto out;
		}
		r.digest = xstrdup(at + 1);
	}
	colon = strrchr(s, ':');
	slash = strrchr(s, '/');
	if (colon && (!slash || colon > slash)) {
		*colon = '\0';
		if (!tag_ok(colon + 1)) {
			err_set(e, ERR_INVALID, "invalid reference format: "
				"bad tag in \"%s\"", ref);
			goto out;
		}
		r.tag = xstrdup(colon + 1);
	}
	split_name(s, &r);
	if (!domain_ok(r.domain) || !path_ok(r.path)) {
		err_set(e, ERR_INVALID, "invalid reference format: \"%s\" "
			"(repository names are lowercase)", ref);
		goto out;
	}
	if (strlen(r.domain) + 1 + strlen(r.path) > NAME_MAX_LEN) {
		err_set(e, ERR_INVALID, "invalid reference format: "
			"repository name must not be more than 255 characters");
		goto out;
	}
	if (!r.tag && !r.digest)
		r.tag = xstrdup("latest");
	*out = r;
	memset(&r, 0, sizeof(r));
	rc = 0;
out:
	img_ref_done(&r);
	free(s);
	return rc;
}

void img_ref_done(struct img_ref *r)
{
	if (!r)
		return;
	free(r->domain);
	free(r->path);
	free(r->tag);
	free(r->digest);
	memset(r, 0, sizeof(*r));
}

char *img_ref_string(const struct img_ref *r)
{
	if (r->digest)
		return xasprintf("%s/%s@%s", r->domain, r->path, r->digest);
	return xasprintf("%s/%s:%s", r->domain, r->path, r->tag);
}

int image_normalize(const char *ref, char **out, struct err *e)
{
	struct img_ref r;

	if (img_ref_parse(ref, &r, e) < 0)
		return -1;
	*out = img_ref_string(&r);
	img_ref_done(&r);
	return 0;
}
