/* SPDX-License-Identifier: Apache-2.0 */
/*
 * yaml_write: cJSON -> YAML text as `kubectl get -o yaml` prints it.
 *
 * kubectl's printer is sigs.k8s.io/yaml.Marshal: the object goes to JSON,
 * the JSON is read into Go maps by go-yaml v2 and written back by go-yaml
 * v2's encoder, which is a Go port of libyaml's emitter.  So we drive
 * libyaml's emitter with the events go-yaml would send and let it do the
 * layout (2-space indent, sequences at their key's column inside
 * mappings, 80-column folding of long plain scalars, {} and [] for empty
 * containers, single quotes where a plain scalar is impossible).  What we
 * decide, as go-yaml's encoder does:
 *   - map keys in go-yaml's order (keyList.Less: runs of digits compare
 *     numerically, non-letters before letters);
 *   - a string that contains a newline asks for a literal block; a string
 *     that would read back as something else (a number, bool, null, a
 *     base-60 float, a timestamp) asks for double quotes, and so does "<<",
 * which go-yaml leaves plain although it then reads back as a merge key;
 *     anything else asks for plain;
 *   - numbers print as the integer they are, else like Go's
 *     FormatFloat('g', -1): 1.5, 1e+06, .inf;
 *   - invalid UTF-8 becomes U+FFFD (Go's JSON encoder does that first).
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/yaml.h"
#include "common/yaml_priv.h"

/* ---- key order ----------------------------------------------------------- */

/* Decode one UTF-8 rune at *s (advancing); bad bytes decode as 0xFFFD. */
static uint32_t next_rune(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t c = p[0];
	int n = c < 0x80    ? 0
		: c >= 0xf0 ? 3
		: c >= 0xe0 ? 2
		: c >= 0xc0 ? 1
			    : -1;

	if (n < 0) {
		*s = p + 1;
		return 0xfffd;
	}
	c &= 0x7f >> n;
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*s = p + 1;
			return 0xfffd;
		}
		c = (c << 6) | (p[i] & 0x3f);
	}
	*s = p + n + 1;
	return c;
}

static size_t to_runes(const char *s, uint32_t **out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	uint32_t *r = xmalloc((strlen(s) + 1) * sizeof(*r));

	while (*p)
		r[n++] = next_rune(&p);
	*out = r;
	return n;
}

static bool is_letter(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static bool is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

/* go-yaml's numeric comparison of the digit runs starting at index i. */
static int digit_run_cmp(const uint32_t *a, size_t na, const uint32_t *b,
			 size_t nb, size_t i)
{
	uint64_t an = 0, bn = 0; /* Go int64 arithmetic wraps: so do we */
	size_t ai, bi;

	if (a[i] == '0' || b[i] == '0') {
		for (size_t j = i; j-- > 0 && is_digit(a[j]);) {
			if (a[j] != '0') {
				an = bn = 1;
				break;
			}
		}
	}
	for (ai = i; ai < na && is_digit(a[ai]); ai++)
		an = an * 10 + (a[ai] - '0');
	for (bi = i; bi < nb && is_digit(b[bi]); bi++)
		bn = bn * 10 + (b[bi] - '0');
	if (an != bn)
		return (int64_t)an < (int64_t)bn ? -1 : 1;
	if (ai != bi)
		return ai < bi ? -1 : 1;
	return a[i] < b[i] ? -1 : 1;
}

/* <0, 0, >0 as go-yaml's keyList.Less orders string keys. */
static int key_order(const char *x, const char *y)
{
	uint32_t *a, *b;
	size_t na = to_runes(x, &a), nb = to_runes(y, &b), i;
	int r = 0;

	for (i = 0; i < na && i < nb && !r; i++) {
		if (a[i] == b[i])
			continue;
		bool al = is_letter(a[i]), bl = is_letter(b[i]);

		if (al && bl)
			r = a[i] < b[i] ? -1 : 1;
		else if (al || bl)
			r = bl ? -1 : 1;
		else
			r = digit_run_cmp(a, na, b, nb, i);
	}
	if (!r && na != nb)
		r = na < nb ? -1 : 1;
	free(a);
	free(b);
	return r;
}

struct member {
	const cJSON *item;
	size_t pos;
};

static int member_cmp(const void *p, const void *q)
{
	const struct member *a = p, *b = q;
	int r = key_order(a->item->string, b->item->string);

	if (r)
		return r;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* ---- scalars ---------------------------------------------------------------
 */

static void emit(yaml_emitter_t *em, yaml_event_t *ev)
{
	/* Input is valid UTF-8 and events are well nested: only OOM fails. */
	if (!yaml_emitter_emit(em, ev))
		mem_oom();
}

static void emit_scalar(yaml_emitter_t *em, const char *s,
			yaml_scalar_style_t style)
{
	yaml_event_t ev;

	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
					  (int)strlen(s), 1, 1, style))
		mem_oom();
	emit(em, &ev);
}

static void emit_string(yaml_emitter_t *em, const char *raw)
{
	char *s = kyaml_valid_utf8(raw ? raw : "");
	struct kyaml_scalar sc;
	yaml_scalar_style_t style = YAML_PLAIN_SCALAR_STYLE;

	kyaml_resolve_plain(s, &sc);
	if (strchr(s, '\n'))
		style = YAML_LITERAL_SCALAR_STYLE;
	else if (sc.kind != KYAML_STR || kyaml_is_base60(s) ||
		 kyaml_is_timestamp(s) || !strcmp(s, "<<"))
		style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	emit_scalar(em, s, style);
	free(s);
}

/*
 * A JSON number as go-yaml prints what Go's JSON encoder made of it:
 * integral values below 1e21 as integers (they read back as int/uint),
 * everything else as a Go 'g' float.
 */
static void format_number(struct buf *b, double d)
{
	if (isfinite(d) && d == floor(d) && fabs(d) < 9223372036854775808.0)
		buf_printf(b, "%" PRId64, (int64_t)d);
	else if (isfinite(d) && d == floor(d) && d > 0 &&
		 d < 18446744073709551616.0)
		buf_printf(b, "%" PRIu64, (uint64_t)d);
	else
		kyaml_format_float(b, d, 64);
}

/* ---- nodes -----------------------------------------------------------------
 */

static void emit_node(yaml_emitter_t *em, const cJSON *v);

static void emit_object(yaml_emitter_t *em, const cJSON *v)
{
	size_t n = (size_t)cJSON_GetArraySize(v), i = 0;
	struct member *m = xmalloc((n ? n : 1) * sizeof(*m));
	yaml_event_t ev;

	for (const cJSON *c = v->child; c; c = c->next, i++) {
		m[i].item = c;
		m[i].pos = i;
	}
	qsort(m, n, sizeof(*m), member_cmp);
	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
					    YAML_BLOCK_MAPPING_STYLE);
	emit(em, &ev);
	for (i = 0; i < n; i++) {
		/* duplicate keys: the last one wins, as in Go's maps */
		if (i + 1 < n &&
		    !strcmp(m[i].item->string, m[i + 1].item->string))
			continue;
		emit_string(em, m[i].item->string);
		emit_node(em, m[i].item);
	}
	yaml_mapping_end_event_initialize(&ev);
	emit(em, &ev);
	free(m);
}

static void emit_array(yaml_emitter_t *em, const cJSON *v)
{
	yaml_event_t ev;

	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
					     YAML_BLOCK_SEQUENCE_STYLE);
	emit(em, &ev);
	for (const cJSON *c = v->child; c; c = c->next)
		emit_node(em, c);
	yaml_sequence_end_event_initialize(&ev);
	emit(em, &ev);
}

static void emit_node(yaml_emitter_t *em, const cJSON *v)
{
	struct buf num = BUF_INIT;

	if (cJSON_IsObject(v)) {
		emit_object(em, v);
	} else if (cJSON_IsArray(v)) {
		emit_array(em, v);
	} else if (cJSON_IsString(v)) {
		emit_string(em, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		format_number(&num, v->valuedouble);
		emit_scalar(em, buf_cstr(&num), YAML_PLAIN_SCALAR_STYLE);
		buf_free(&num);
	} else if (cJSON_IsBool(v)) {
		emit_scalar(em, cJSON_IsTrue(v) ? "true" : "false",
			    YAML_PLAIN_SCALAR_STYLE);
	} else {
		emit_scalar(em, "null", YAML_PLAIN_SCALAR_STYLE);
	}
}

static int write_out(void *data, unsigned char *bytes, size_t size)
{
	buf_add(data, bytes, size);
	return 1;
}

char *kyaml_emit(const cJSON *v)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	struct buf out = BUF_INIT;

	if (!yaml_emitter_initialize(&em))
		mem_oom();
	yaml_emitter_set_output(&em, write_out, &out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	emit(&em, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	emit(&em, &ev);
	emit_node(&em, v);
	yaml_document_end_event_initialize(&ev, 1);
	emit(&em, &ev);
	yaml_stream_end_event_initialize(&ev);
	emit(&em, &ev);
	yaml_emitter_delete(&em);
	return buf_take(&out);
}
