/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubeconfig: loading and merging (see kubeconfig.h for the rules).
 *
 * Every loaded file keeps its parsed document; the merged view is three
 * lists of entries (clusters, contexts, users) pointing into those
 * documents, each remembering its file.  The first file that defines a
 * name wins, exactly as in kubectl's loader.  Edits change the document of
 * the owning file and write that whole document back, so fields this code
 * does not know survive (comments do not: kubectl loses them too).
 * Resolution into a struct kc_config lives in kc_resolve.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/kc_private.h"
#include "common/mem.h"

static const char *const kc_section_key[KC_NSECTIONS] = {
	"clusters", "contexts", "users"
};
static const char *const kc_item_key[KC_NSECTIONS] = {
	"cluster", "context", "user"
};

const char *kc_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

const struct kc_entry *kc_find(const struct kc *kc, enum kc_section s,
			       const char *name)
{
	for (size_t i = 0; name && i < kc->entries[s].len; i++) {
		const struct kc_entry *en = kc->entries[s].items[i];
		if (!strcmp(en->name, name))
			return en;
	}
	return NULL;
}

/* Add the named entries of one section of one file (first wins). */
static int kc_add_section(struct kc *kc, size_t fi, enum kc_section s,
			  struct err *e)
{
	const struct kc_file *f = &kc->files[fi];
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(
		f->doc, kc_section_key[s]);
	const cJSON *item;
	int idx = 0;

	if (!list || cJSON_IsNull(list))
		return 0;
	if (!cJSON_IsArray(list))
		return err_set(e, ERR_PARSE, "kubeconfig %s: %s: not a list",
			       f->path, kc_section_key[s]);
	cJSON_ArrayForEach(item, list) {
		const char *name = kc_str(item, "name");
		cJSON *val = cJSON_GetObjectItemCaseSensitive(item,
							      kc_item_key[s]);
		if (!name)
			return err_set(e, ERR_INVALID,
				       "kubeconfig %s: %s[%d]: missing name",
				       f->path, kc_section_key[s], idx);
		idx++;
		if (kc_find(kc, s, name))
			continue;
		struct kc_entry *en = xcalloc(1, sizeof(*en));
		en->name = name;
		en->val = cJSON_IsObject(val) ? val : NULL;
		en->file = fi;
		vec_push(&kc->entries[s], en);
	}
	return 0;
}

/* Read and merge one file.  *skipped set when it does not exist and
 * missing files are tolerated. */
static int kc_add_file(struct kc *kc, const char *path, bool must_exist,
		       struct err *e)
{
	struct buf text = BUF_INIT;
	struct kc_file *f;
	cJSON *doc;
	size_t fi;

	if (kc_read_file(path, &text, e) < 0) {
		if (e && e->code == ERR_NOT_FOUND && !must_exist) {
			buf_free(&text);
			err_clear(e);
			return 0;
		}
		buf_free(&text);
		return err_wrap(e, "kubeconfig");
	}
	doc = kc_yaml_parse(text.data, text.len, path, e);
	buf_free(&text);
	if (!doc)
		return err_wrap(e, "kubeconfig");
	kc->files = xrealloc(kc->files, (kc->nfiles + 1) * sizeof(*kc->files));
	fi = kc->nfiles++;
	f = &kc->files[fi];
	f->path = xstrdup(path);
	f->doc = doc;
	for (int s = 0; s < KC_NSECTIONS; s++)
		if (kc_add_section(kc, fi, (enum kc_section)s, e) < 0)
			return -1;
	if (!kc->current && kc_str(doc, "current-context")) {
		kc->current = xstrdup(kc_str(doc, "current-context"));
		kc->current_file = fi;
	}
	return 0;
}

int kc_load_files(const char *const *paths, size_t n, bool must_exist,
		  struct kc **out, struct err *e)
{
	struct kc *kc = xcalloc(1, sizeof(*kc));

	kc->current_file = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		bool dup = false;
		for (size_t j = 0; j < i; j++)
			dup = dup || !strcmp(paths[i], paths[j]);
		if (!dup && kc_add_file(kc, paths[i], must_exist, e) < 0) {
			kc_free(kc);
			return -1;
		}
	}
	*out = kc;
	return 0;
}

int kc_load(const char *explicit_path, struct kc **out, struct err *e)
{
	const char *env = getenv("KUBECONFIG");
	const char *home = getenv("HOME");
	struct vec paths = VEC_INIT;
	char *copy = NULL, *def = NULL;
	int rc;

	if (explicit_path && *explicit_path)
		return kc_load_files(&explicit_path, 1, true, out, e);
	if (env && *env) {
		copy = xstrdup(env);
		for (char *tok, *save = NULL, *s = copy;
		     (tok = strtok_r(s, ":", &save)); s = NULL)
			vec_push(&paths, tok);
	} else {
		def = xasprintf("%s/.kube/config", home ? home : "");
		vec_push(&paths, def);
	}
	rc = kc_load_files((const char *const *)paths.items, paths.len, false,
			   out, e);
	vec_free(&paths, NULL);
	free(copy);
	free(def);
	return rc;
}

void kc_free(struct kc *kc)
{
	if (!kc)
		return;
	for (int s = 0; s < KC_NSECTIONS; s++)
		vec_free(&kc->entries[s], free);
	for (size_t i = 0; i < kc->nfiles; i++) {
		free(kc->files[i].path);
		cJSON_Delete(kc->files[i].doc);
	}
	free(kc->files);
	free(kc->current);
	free(kc);
}

const char *kc_current_context(const struct kc *kc)
{
	return kc->current;
}

size_t kc_context_count(const struct kc *kc)
{
	return kc->entries[KC_CONTEXTS].len;
}

const char *kc_context_name(const struct kc *kc, size_t i)
{
	const struct kc_entry *en = vec_get(&kc->entries[KC_CONTEXTS], i);

	return en ? en->name : NULL;
}

const char *kc_context_namespace(const struct kc *kc, const char *ctx)
{
	const struct kc_entry *en = kc_find(kc, KC_CONTEXTS, ctx);
	const char *ns;

	if (!en)
		return NULL;
	ns = kc_str(en->val, "namespace");
	return ns ? ns : "";
}

static int kc_write(struct kc *kc, size_t fi, struct err *e)
{
	struct buf out = BUF_INIT;
	int rc = -1;

	if (kc_yaml_emit(kc->files[fi].doc, &out, e) < 0)
		goto out;
	rc = kc_write_file_atomic(kc->files[fi].path, buf_cstr(&out), out.len,
				  0600, e);
out:
	buf_free(&out);
	return rc;
}

int kc_use_context(struct kc *kc, const char *name, struct err *e)
{
	size_t fi = kc->current_file != SIZE_MAX ? kc->current_file : 0;
	cJSON *doc;

	if (!kc_find(kc, KC_CONTEXTS, name))
		return err_set(e, ERR_NOT_FOUND,
			       "no context exists with the name: \"%s\"", name);
	if (!kc->nfiles)
		return err_set(e, ERR_NOT_FOUND, "no kubeconfig file to write");
	doc = kc->files[fi].doc;
	cJSON_DeleteItemFromObjectCaseSensitive(doc, "current-context");
	cJSON_AddStringToObject(doc, "current-context", name);
	if (kc_write(kc, fi, e) < 0)
		return -1;
	free(kc->current);
	kc->current = xstrdup(name);
	kc->current_file = fi;
	return 0;
}

int kc_set_namespace(struct kc *kc, const char *ctx, const char *ns,
		     struct err *e)
{
	struct kc_entry *en;

	ctx = ctx ? ctx : kc->current;
	if (!ctx)
		return err_set(e, ERR_NOT_FOUND, "current-context is not set");
	en = (struct kc_entry *)kc_find(kc, KC_CONTEXTS, ctx);
	if (!en)
		return err_set(e, ERR_NOT_FOUND,
			       "no context exists with the name: \"%s\"", ctx);
	if (!en->val) {
		/* "context:" was empty or not a map: make it one. */
		cJSON *item;
		cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(
					 kc->files[en->file].doc, "contexts"))
			if (kc_str(item, "name") &&
			    !strcmp(kc_str(item, "name"), ctx)) {
				cJSON_DeleteItemFromObjectCaseSensitive(
					item, "context");
				en->val = cJSON_AddObjectToObject(item,
								  "context");
				break;
			}
	}
	cJSON_DeleteItemFromObjectCaseSensitive(en->val, "namespace");
	cJSON_AddStringToObject(en->val, "namespace", ns);
	return kc_write(kc, en->file, e);
}
