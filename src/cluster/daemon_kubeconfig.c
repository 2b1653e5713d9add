/* SPDX-License-Identifier: Apache-2.0 */
/*
 * daemon_kubeconfig: the admin kubeconfig of the embedded cluster and its
 * merge into the user's kubeconfig, the way kind and minikube do it.
 *
 * DIR/kubeconfig.yaml (0600) names cluster "kdeck" (server URL and
 * certificate-authority-data), user "kdeck-admin" (client certificate
 * and key data) and context "kdeck".  The same three entries are upserted
 * by name into the first file of $KUBECONFIG (else ~/.kube/config); every
 * other entry and field is kept, and current-context is set only when the
 * file had none.  The documents are handled as cJSON trees; YAML reading
 * and writing is src/common/yaml.h's.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <gnutls/gnutls.h>

#include "cluster/daemon.h"
#include "cluster/pki.h"
#include "common/file.h"
#include "common/mem.h"
#include "common/yaml.h"

#define KC_CLUSTER "kdeck"
#define KC_USER	   "kdeck-admin"
#define KC_CONTEXT "kdeck"

static char *b64(const char *s)
{
	gnutls_datum_t in = {(unsigned char *)s, (unsigned)strlen(s)}, out;
	char *r;

	if (gnutls_base64_encode2(&in, &out) < 0)
		mem_oom();
	r = xstrndup((const char *)out.data, out.size);
	gnutls_free(out.data);
	return r;
}

static cJSON *named(const char *name, const char *field, cJSON *body)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddItemToObject(o, field, body);
	return o;
}

/* The three named entries: [cluster, user, context]. */
static void make_entries(const char *url, const struct pki *p, cJSON *out[3])
{
	cJSON *cl = cJSON_CreateObject(), *us = cJSON_CreateObject();
	cJSON *cx = cJSON_CreateObject();
	char *ca = b64(p->ca_cert), *crt = b64(p->admin_cert),
	     *key = b64(p->admin_key);

	cJSON_AddStringToObject(cl, "certificate-authority-data", ca);
	cJSON_AddStringToObject(cl, "server", url);
	cJSON_AddStringToObject(us, "client-certificate-data", crt);
	cJSON_AddStringToObject(us, "client-key-data", key);
	cJSON_AddStringToObject(cx, "cluster", KC_CLUSTER);
	cJSON_AddStringToObject(cx, "user", KC_USER);
	out[0] = named(KC_CLUSTER, "cluster", cl);
	out[1] = named(KC_USER, "user", us);
	out[2] = named(KC_CONTEXT, "context", cx);
	free(ca);
	free(crt);
	free(key);
}

static const char *const lists[3] = {"clusters", "users", "contexts"};

/* Replace the entry with the same name in doc[list], or append it. */
static void upsert(cJSON *doc, const char *list, cJSON *entry)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, list), *it;
	const char *name = cJSON_GetObjectItem(entry, "name")->valuestring;
	int i = 0;

	if (!cJSON_IsArray(arr)) {
		cJSON_DeleteItemFromObjectCaseSensitive(doc, list);
		arr = cJSON_AddArrayToObject(doc, list);
	}
	cJSON_ArrayForEach(it, arr)
	{
		cJSON *n = cJSON_GetObjectItemCaseSensitive(it, "name");

		if (cJSON_IsString(n) && !strcmp(n->valuestring, name)) {
			cJSON_ReplaceItemInArray(arr, i, entry);
			return;
		}
		i++;
	}
	cJSON_AddItemToArray(arr, entry);
}

static cJSON *fresh_doc(void)
{
	cJSON *d = cJSON_CreateObject();

	cJSON_AddStringToObject(d, "apiVersion", "v1");
	cJSON_AddStringToObject(d, "kind", "Config");
	cJSON_AddItemToObject(d, "preferences", cJSON_CreateObject());
	return d;
}

/* Does path hold exactly text? */
static bool same_content(const char *path, const char *text)
{
	char *old = NULL;
	size_t len = 0;
	struct err e;
	bool same;

	if (pki_read_file(path, &old, &len, &e) < 0)
		return false;
	same = len == strlen(text) && !memcmp(old, text, len);
	free(old);
	return same;
}

/*
 * Write doc to path atomically, unless path already holds the same text:
 * a restart on the same address then costs no fsync (one is tens of
 * milliseconds on a busy disk, a large part of the time to ready).
 */
static int write_doc(const char *path, const cJSON *doc, struct err *e)
{
	char *text = kyaml_emit(doc);
	int rc = same_content(path, text)
		     ? 0
		     : file_write_atomic(path, text, strlen(text), 0600, e);

	free(text);
	return rc;
}

/* Where the user's kubeconfig is: first of $KUBECONFIG, else ~/.kube/config. */
static char *user_kubeconfig(void)
{
	const char *kc = getenv("KUBECONFIG"), *home = getenv("HOME");

	if (kc && *kc)
		return xstrndup(kc, strcspn(kc, ":"));
	if (!home || !*home)
		return NULL;
	return xasprintf("%s/.kube/config", home);
}

static void mkdir_parent(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');

	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			fprintf(stderr, "kdeck: %s: %s\n", dir,
				strerror(errno));
	}
	free(dir);
}

/* Load path into *doc (a fresh document when missing or empty). */
static int load_doc(const char *path, cJSON **doc, struct err *e)
{
	char *text = NULL;
	size_t len = 0;
	cJSON *d;

	if (pki_read_file(path, &text, &len, e) < 0) {
		if (e->code != ERR_NOT_FOUND)
			return -1;
		*doc = fresh_doc();
		return 0;
	}
	d = kyaml_parse(text, len, e);
	free(text);
	if (!d)
		return err_wrap(e, "%s", path);
	if (cJSON_IsNull(d)) {
		cJSON_Delete(d);
		d = fresh_doc();
	}
	if (!cJSON_IsObject(d)) {
		cJSON_Delete(d);
		return err_set(e, ERR_PARSE, "%s: not a kubeconfig", path);
	}
	*doc = d;
	return 0;
}

static int merge_user(const char *url, const struct pki *p,
		      void (*note)(void *, const char *), void *arg,
		      struct err *e)
{
	char *path = user_kubeconfig(), *msg;
	cJSON *doc = NULL, *ent[3], *cur;
	bool set_current;
	int rc = -1;

	if (!path)
		return 0;
	if (load_doc(path, &doc, e) < 0)
		goto out;
	make_entries(url, p, ent);
	for (int i = 0; i < 3; i++)
		upsert(doc, lists[i], ent[i]);
	cur = cJSON_GetObjectItemCaseSensitive(doc, "current-context");
	set_current = !cJSON_IsString(cur) || !*cur->valuestring;
	if (set_current) {
		cJSON_DeleteItemFromObjectCaseSensitive(doc, "current-context");
		cJSON_AddStringToObject(doc, "current-context", KC_CONTEXT);
	}
	mkdir_parent(path);
	if (write_doc(path, doc, e) < 0)
		goto out;
	msg = xasprintf(
	    "merged context \"%s\" into %s%s", KC_CONTEXT, path,
	    set_current ? " and made it the current context"
			: " (current context unchanged; use --context kdeck)");
	note(arg, msg);
	free(msg);
	rc = 0;
out:
	cJSON_Delete(doc);
	free(path);
	return rc;
}

int daemon_kubeconfig(const char *dir, const char *url, const struct pki *p,
		      void (*note)(void *arg, const char *text), void *arg,
		      struct err *e)
{
	char *path = daemon_path(dir, "kubeconfig.yaml");
	cJSON *doc = fresh_doc(), *ent[3];
	int rc;

	make_entries(url, p, ent);
	for (int i = 0; i < 3; i++)
		upsert(doc, lists[i], ent[i]);
	cJSON_AddStringToObject(doc, "current-context", KC_CONTEXT);
	rc = write_doc(path, doc, e);
	cJSON_Delete(doc);
	free(path);
	if (rc < 0)
		return -1;
	if (merge_user(url, p, note, arg, e) < 0) {
		char *msg = xasprintf("kubeconfig not merged: %s", e->msg);

		note(arg, msg);
		free(msg);
		err_clear(e);
	}
	return 0;
}
