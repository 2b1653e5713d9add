/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kc_yaml: kubeconfig text <-> cJSON.
 *
 * Reading is schema-aware in the way kubectl's loader is: every kubeconfig
 * field is a string except a few booleans, and sigs.k8s.io/yaml decodes
 * into those typed fields, so `y`, `no`, `0123` or `12345` stay strings.
 * A generic YAML 1.1 reader (common/yaml.h) would turn them into booleans
 * and numbers, so this reader, over libyaml's event API, maps only plain
 * `true`/`false` to booleans and `null`/`~`/empty to null; everything else
 * is a string.  Aliases are rejected.  Writing goes through the shared
 * kyaml emitter (kubectl's -o yaml style, quoting what would not read
 * back as the same string).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "common/yaml.h"

#include "client/private.h"
#include "common/mem.h"

#define KC_YAML_MAX_DEPTH 64

static int kc_yaml_err(const yaml_parser_t *p, const char *name,
		       struct err *e)
{
	return err_set(e, ERR_PARSE, "%s: yaml: line %zu, column %zu: %s",
		       name, p->problem_mark.line + 1,
		       p->problem_mark.column + 1,
		       p->problem ? p->problem : "syntax error");
}

static cJSON *kc_yaml_scalar(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;

	if (plain && (!strcmp(v, "true") || !strcmp(v, "True")))
		return cJSON_CreateTrue();
	if (plain && (!strcmp(v, "false") || !strcmp(v, "False")))
		return cJSON_CreateFalse();
	if (plain && (!*v || !strcmp(v, "null") || !strcmp(v, "~")))
		return cJSON_CreateNull();
	return cJSON_CreateString(v);
}

static cJSON *kc_yaml_node(yaml_parser_t *p, yaml_event_t *ev,
			   const char *name, int depth, struct err *e);

/* Read the members of a mapping or sequence up to its end event. */
static int kc_yaml_fill(yaml_parser_t *p, cJSON *node, bool map,
			const char *name, int depth, struct err *e)
{
	yaml_event_t ev;
	char *key = NULL;

	for (;;) {
		if (!yaml_parser_parse(p, &ev))
			goto bad;
		if (ev.type == YAML_MAPPING_END_EVENT ||
		    ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			free(key);
			return 0;
		}
		if (map && !key) {
			if (ev.type != YAML_SCALAR_EVENT) {
				yaml_event_delete(&ev);
				free(key);
				return err_set(e, ERR_PARSE,
					       "%s: yaml: non-scalar map key",
					       name);
			}
			key = xstrdup((const char *)ev.data.scalar.value);
			yaml_event_delete(&ev);
			continue;
		}
		cJSON *child = kc_yaml_node(p, &ev, name, depth + 1, e);
		yaml_event_delete(&ev);
		if (!child) {
			free(key);
			return -1;
		}
		if (!map) {
			cJSON_AddItemToArray(node, child);
		} else if (cJSON_GetObjectItemCaseSensitive(node, key)) {
			cJSON_Delete(child);
			err_set(e, ERR_PARSE, "%s: yaml: duplicate key \"%s\"",
				name, key);
			free(key);
			return -1;
		} else {
			cJSON_AddItemToObject(node, key, child);
		}
		free(key);
		key = NULL;
	}
bad:
	free(key);
	return kc_yaml_err(p, name, e);
}

static cJSON *kc_yaml_node(yaml_parser_t *p, yaml_event_t *ev,
			   const char *name, int depth, struct err *e)
{
	cJSON *node;
	bool map;

	if (depth > KC_YAML_MAX_DEPTH) {
		err_set(e, ERR_PARSE, "%s: yaml: nesting too deep", name);
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return kc_yaml_scalar(ev);
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		map = ev->type == YAML_MAPPING_START_EVENT;
		node = map ? cJSON_CreateObject() : cJSON_CreateArray();
		if (kc_yaml_fill(p, node, map, name, depth, e) < 0) {
			cJSON_Delete(node);
			return NULL;
		}
		return node;
	case YAML_ALIAS_EVENT:
		err_set(e, ERR_PARSE, "%s: yaml: aliases are not supported",
			name);
		return NULL;
	default:
		err_set(e, ERR_PARSE, "%s: yaml: unexpected event", name);
		return NULL;
	}
}

/* Skip stream/document start events; returns the first content event. */
static int kc_yaml_first(yaml_parser_t *p, yaml_event_t *ev, const char *name,
			 struct err *e)
{
	for (;;) {
		if (!yaml_parser_parse(p, ev))
			return kc_yaml_err(p, name, e);
		if (ev->type != YAML_STREAM_START_EVENT &&
		    ev->type != YAML_DOCUMENT_START_EVENT)
			return 0;
		yaml_event_delete(ev);
	}
}

cJSON *kc_yaml_parse(const char *text, size_t len, const char *name,
		     struct err *e)
{
	yaml_parser_t p;
	yaml_event_t ev;
	cJSON *root = NULL;

	if (!yaml_parser_initialize(&p))
		mem_oom();
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (kc_yaml_first(&p, &ev, name, e) < 0)
		goto out;
	if (ev.type == YAML_STREAM_END_EVENT ||
	    ev.type == YAML_DOCUMENT_END_EVENT) {
		yaml_event_delete(&ev);
		root = cJSON_CreateObject();	/* empty file: empty config */
		goto out;
	}
	root = kc_yaml_node(&p, &ev, name, 0, e);
	yaml_event_delete(&ev);
	if (root && !cJSON_IsObject(root) && !cJSON_IsNull(root)) {
		cJSON_Delete(root);
		root = NULL;
		err_set(e, ERR_PARSE, "%s: not a kubeconfig (top level is "
			"not a mapping)", name);
	} else if (root && cJSON_IsNull(root)) {
		cJSON_Delete(root);
		root = cJSON_CreateObject();
	}
out:
	yaml_parser_delete(&p);
	return root;
}

/* ---------------------------------------------------------------- writer */

/* kubectl-style YAML through the shared kyaml module. */
int kc_yaml_emit(const cJSON *v, struct buf *out, struct err *e)
{
	char *text = kyaml_emit(v);

	(void)e;
	buf_adds(out, text);
	free(text);
	return 0;
}
