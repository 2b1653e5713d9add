/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kc_yaml: the small YAML <-> cJSON bridge the kubeconfig code needs,
 * over libyaml's event API.
 *
 * Kubeconfig files only hold maps, lists, strings and a few booleans, so
 * this reader maps plain `true`/`false` scalars to booleans, `null`/`~`
 * and empty plain scalars to null, and everything else to strings; the
 * kubeconfig code reads numbers nowhere.  Aliases are rejected (kubectl's
 * files never have them).  The writer emits block style with plain
 * scalars where libyaml allows them.  When the shared kyaml module
 * (common/yaml.h) is on main, these two functions should become thin
 * wrappers over it; they are private to src/client.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <yaml.h>

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

static int kc_emit(yaml_emitter_t *em, yaml_event_t *ev)
{
	return yaml_emitter_emit(em, ev) ? 0 : -1;
}

static int kc_emit_scalar(yaml_emitter_t *em, const char *s, bool plain_ok)
{
	yaml_event_t ev;

	yaml_scalar_event_initialize(&ev, NULL, NULL,
				     (yaml_char_t *)(uintptr_t)s, (int)strlen(s),
				     plain_ok, !plain_ok,
				     YAML_ANY_SCALAR_STYLE);
	return kc_emit(em, &ev);
}

/* A string that would read back as a bool/null must be quoted. */
static bool kc_needs_quotes(const char *s)
{
	static const char *const special[] = { "", "true", "false", "True",
		"False", "null", "~", "yes", "no", "on", "off" };

	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (!strcmp(s, special[i]))
			return true;
	return false;
}

static int kc_emit_node(yaml_emitter_t *em, const cJSON *v)
{
	yaml_event_t ev;
	const cJSON *c;
	char num[64];

	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		bool map = cJSON_IsObject(v);
		if (map)
			yaml_mapping_start_event_initialize(
				&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
		else
			yaml_sequence_start_event_initialize(
				&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
		if (kc_emit(em, &ev) < 0)
			return -1;
		cJSON_ArrayForEach(c, v) {
			if (map && kc_emit_scalar(em, c->string,
						  !kc_needs_quotes(c->string)))
				return -1;
			if (kc_emit_node(em, c) < 0)
				return -1;
		}
		if (map)
			yaml_mapping_end_event_initialize(&ev);
		else
			yaml_sequence_end_event_initialize(&ev);
		return kc_emit(em, &ev);
	}
	if (cJSON_IsString(v))
		return kc_emit_scalar(em, v->valuestring,
				      !kc_needs_quotes(v->valuestring));
	if (cJSON_IsBool(v))
		return kc_emit_scalar(em, cJSON_IsTrue(v) ? "true" : "false",
				      true);
	if (cJSON_IsNumber(v)) {
		snprintf(num, sizeof(num), "%.17g", v->valuedouble);
		return kc_emit_scalar(em, num, true);
	}
	return kc_emit_scalar(em, "null", true);
}

static int kc_yaml_write_cb(void *data, unsigned char *buffer, size_t size)
{
	buf_add(data, buffer, size);
	return 1;
}

int kc_yaml_emit(const cJSON *v, struct buf *out, struct err *e)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	int rc = -1;

	if (!yaml_emitter_initialize(&em))
		mem_oom();
	yaml_emitter_set_output(&em, kc_yaml_write_cb, out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	if (kc_emit(&em, &ev) < 0)
		goto out;
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	if (kc_emit(&em, &ev) < 0 || kc_emit_node(&em, v) < 0)
		goto out;
	yaml_document_end_event_initialize(&ev, 1);
	if (kc_emit(&em, &ev) < 0)
		goto out;
	yaml_stream_end_event_initialize(&ev);
	if (kc_emit(&em, &ev) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		err_set(e, ERR_INTERNAL, "yaml emitter: %s",
			em.problem ? em.problem : "failed");
	yaml_emitter_delete(&em);
	return rc;
}
