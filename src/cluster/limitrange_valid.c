/* SPDX-License-Identifier: Apache-2.0 */
/*
 * limitrange_valid: validation of LimitRange objects (ValidateLimitRange
 * of pkg/apis/core/validation), run by admission on create and update
 * after the defaults (limitrange.c) are filled in.
 *
 * Per item: a known type (Container, Pod, PersistentVolumeClaim, or a
 * qualified name), not twice; Pod items take no default/defaultRequest;
 * PersistentVolumeClaim items need min or max storage; and per resource
 * min <= defaultRequest <= default <= max (each pair checked as the real
 * validation does, with its messages), maxLimitRequestRatio >= 1 and <=
 * max/min, and default == defaultRequest for resources that cannot be
 * overcommitted (extended resources, hugepages).  The "Invalid value" of
 * a quantity is printed as Go's %#v of a resource.Quantity, which is what
 * the API server answers (the int64Amount of the text as ParseQuantity
 * makes it, s the text when it is canonical).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/quota.h"
#include "common/json.h"
#include "common/quantity.h"

#define MAX_KEYS 32

/* The lists of a limit item, in the order their keys are gathered. */
enum { L_MAX, L_MIN, L_DEF, L_DEFREQ, L_RATIO, L_COUNT };
static const char *const lists[L_COUNT] = {
	"max", "min", "default", "defaultRequest", "maxLimitRequestRatio"
};

/* One limit item's quantities of one resource (NULL when absent). */
struct lr_res {
	const char *name;
	const cJSON *v[L_COUNT];
};

static const char *const std_types[] = {
	"Container", "Pod", "PersistentVolumeClaim", NULL
};

/* SI suffix exponents of ParseQuantity (decimal and binary). */
static const struct { const char *sfx; int exp; bool binary; } sfxs[] = {
	{ "Ki", 10, true }, { "Mi", 20, true }, { "Gi", 30, true },
	{ "Ti", 40, true }, { "Pi", 50, true }, { "Ei", 60, true },
	{ "n", -9, false }, { "u", -6, false }, { "m", -3, false },
	{ "", 0, false }, { "k", 3, false }, { "M", 6, false },
	{ "G", 9, false }, { "T", 12, false }, { "P", 15, false },
	{ "E", 18, false },
};

/* The suffix of text (after the number); false if unknown. */
static bool suffix_of(const char *sfx, int *exp, bool *binary, bool *expo)
{
	*expo = false;
	if (*sfx == 'e' || *sfx == 'E') {
		char *end;

		*exp = (int)strtol(sfx + 1, &end, 10);
		*binary = false;
		*expo = true;
		return sfx[1] && !*end;
	}
	for (size_t i = 0; i < sizeof(sfxs) / sizeof(sfxs[0]); i++)
		if (!strcmp(sfx, sfxs[i].sfx)) {
			*exp = sfxs[i].exp;
			*binary = sfxs[i].binary;
			return true;
		}
	return false;
}

/*
 * Go's %#v of the resource.Quantity ParseQuantity(text) makes (its fast
 * path: the int64Amount and, for canonical text, the cached string).
 */
static void go_quantity(const char *text, char *out, size_t n)
{
	char digits[64] = "", sfx[16];
	size_t nd = 0, nden = 0;
	const char *p = text, *fmt;
	bool neg = false, binary, expo, dot = false, cached;
	int exp, scale;
	long long v;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; (isdigit((unsigned char)*p) || (*p == '.' && !dot)) && nd < 60; p++) {
		if (*p == '.') {
			dot = true;
			continue;
		}
		digits[nd++] = *p;
		nden += dot;
	}
	digits[nd] = '\0';
	snprintf(sfx, sizeof(sfx), "%s", p);
	if (!nd || nd > 18 || !suffix_of(sfx, &exp, &binary, &expo)) {
		snprintf(out, n, "\"%s\"", text);
		return;
	}
	v = strtoll(digits, NULL, 10);
	scale = (binary ? 0 : exp) - (int)nden;
	fmt = binary ? "BinarySI" : expo ? "DecimalExponent" : "DecimalSI";
	cached = binary ? exp % 10 == 0 && (v & 7) != 0
			: scale % 3 == 0 && digits[0] != '0' &&
			  !(nd >= 3 && !strcmp(digits + nd - 3, "000"));
	if (binary)
		v <<= exp;
	snprintf(out, n, "resource.Quantity{i:resource.int64Amount{value:%lld, "
		 "scale:%d}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, "
		 "s:\"%s\", Format:\"%s\"}", neg ? -v : v, scale,
		 cached ? text : "", fmt);
}

static bool parse(const cJSON *v, struct quantity *q)
{
	struct err e;

	return cJSON_IsString(v) && quantity_parse(v->valuestring, q, &e) == 0;
}

/* The canonical string of v (a parsed quantity). */
static const char *canon(const cJSON *v, char out[QUANTITY_STR_MAX])
{
	struct quantity q;

	return parse(v, &q) ? quantity_format(&q, out) : "";
}

/* a > b (both quantities). */
static bool greater(const cJSON *a, const cJSON *b)
{
	struct quantity x, y;

	return parse(a, &x) && parse(b, &y) && quantity_cmp(&x, &y) > 0;
}

static void invalid(struct err *e, int i, const char *field, const char *res,
		    const cJSON *bad, const char *detail)
{
	char path[256], val[512];

	snprintf(path, sizeof(path), "spec.limits[%d].%s[%s]", i, field, res);
	go_quantity(bad->valuestring, val, sizeof(val));
	err_cause(e, "FieldValueInvalid", path, "Invalid value: %s: %s", val,
		  detail);
}

/* "min value 2 is greater than max value 1" style detail. */
static void pair(struct err *e, int i, const struct lr_res *r,
		 const cJSON *lo, const char *lo_name, const cJSON *hi,
		 const char *hi_name, const char *field, const cJSON *bad)
{
	char a[QUANTITY_STR_MAX], b[QUANTITY_STR_MAX], msg[300];

	if (!lo || !hi || !greater(lo, hi))
		return;
	snprintf(msg, sizeof(msg), "%s value %s is greater than %s value %s",
		 lo_name, canon(lo, a), hi_name, canon(hi, b));
	invalid(e, i, field, r->name, bad, msg);
}

/* Resources that may not be overcommitted (IsOvercommitAllowed false). */
static bool no_overcommit(const char *res)
{
	bool native = !strchr(res, '/') || strstr(res, "kubernetes.io/");

	return !strncmp(res, "hugepages-", 10) || !native;
}

static void ratio_checks(struct err *e, int i, const struct lr_res *r)
{
	char a[QUANTITY_STR_MAX], msg[300];
	struct quantity q, lo, hi;
	double limit;

	const cJSON *ratio = r->v[L_RATIO];

	if (!parse(ratio, &q))
		return;
	if (quantity_cmp(&q, &(struct quantity){ 1000000000, QUANTITY_DECIMAL_SI }) < 0) {
		snprintf(msg, sizeof(msg), "ratio %s is less than 1", canon(ratio, a));
		invalid(e, i, "maxLimitRequestRatio", r->name, ratio, msg);
	}
	if (!parse(r->v[L_MIN], &lo) || !parse(r->v[L_MAX], &hi) ||
	    !quantity_milli_value(&lo))
		return;
	limit = (double)quantity_milli_value(&hi) / (double)quantity_milli_value(&lo);
	if ((double)quantity_milli_value(&q) / 1000.0 > limit) {
		snprintf(msg, sizeof(msg), "ratio %s is greater than max/min = %f",
			 canon(ratio, a), limit);
		invalid(e, i, "maxLimitRequestRatio", r->name, ratio, msg);
	}
}

static void check_res(struct err *e, int i, const struct lr_res *r)
{
	const cJSON *mn = r->v[L_MIN], *mx = r->v[L_MAX], *df = r->v[L_DEF];
	const cJSON *dr = r->v[L_DEFREQ];
	char a[QUANTITY_STR_MAX], b[QUANTITY_STR_MAX], msg[400];

	pair(e, i, r, mn, "min", mx, "max", "min", mn);
	pair(e, i, r, mn, "min", dr, "default request", "defaultRequest", dr);
	pair(e, i, r, dr, "default request", mx, "max", "defaultRequest", dr);
	pair(e, i, r, dr, "default request", df, "default limit", "defaultRequest", dr);
	pair(e, i, r, mn, "min", df, "default", "default", mn);
	pair(e, i, r, df, "default", mx, "max", "default", mx);
	if (r->v[L_RATIO])
		ratio_checks(e, i, r);
	if (no_overcommit(r->name) && df && dr &&
	    (greater(df, dr) || greater(dr, df))) {
		snprintf(msg, sizeof(msg), "default value %s must equal to "
			 "defaultRequest value %s in %s", canon(df, a),
			 canon(dr, b), r->name);
		invalid(e, i, "defaultRequest", r->name, dr, msg);
	}
}

/* The resources named in any list of item, first appearance first. */
static size_t collect(const cJSON *item, struct lr_res *rs)
{
	size_t n = 0;

	for (size_t f = 0; f < L_COUNT; f++) {
		const cJSON *kv;

		cJSON_ArrayForEach(kv, json_obj(item, lists[f])) {
			size_t k = 0;

			while (k < n && strcmp(rs[k].name, kv->string))
				k++;
			if (k == n && n == MAX_KEYS)
				continue;
			if (k == n)
				rs[n++] = (struct lr_res){ .name = kv->string };
			rs[k].v[f] = kv;
		}
	}
	return n;
}

static void check_type(struct err *e, int i, const char *t, const cJSON *items)
{
	char path[64];
	bool std = false;
	int j = 0;
	const cJSON *it;

	snprintf(path, sizeof(path), "spec.limits[%d].type", i);
	for (size_t k = 0; std_types[k]; k++)
		std |= !strcmp(t, std_types[k]);
	if (!std && !strchr(t, '/'))
		err_cause(e, "FieldValueInvalid", path, "Invalid value: \"%s\": "
			  "must be a standard limit type or fully qualified", t);
	cJSON_ArrayForEach(it, items)
		if (j++ < i && !strcmp(json_get_str(it, "type") ?: "", t)) {
			err_cause(e, "FieldValueDuplicate", path,
				  "Duplicate value: \"%s\"", t);
			break;
		}
}

static void check_item(struct err *e, int i, const cJSON *item,
		       const cJSON *items)
{
	const char *t = json_get_str(item, "type") ?: "";
	struct lr_res rs[MAX_KEYS];
	size_t n;
	char path[64];

	check_type(e, i, t, items);
	if (!strcmp(t, "Pod")) {
		static const char *const f[] = { "default", "defaultRequest" };

		for (size_t k = 0; k < 2; k++) {
			if (!cJSON_GetArraySize(json_obj(item, f[k])))
				continue;
			snprintf(path, sizeof(path), "spec.limits[%d].%s", i, f[k]);
			err_cause(e, "FieldValueForbidden", path, "Forbidden: may "
				  "not be specified when `type` is 'Pod'");
		}
	}
	if (!strcmp(t, "PersistentVolumeClaim") &&
	    !json_obj(json_obj(item, "min"), "storage") &&
	    !json_obj(json_obj(item, "max"), "storage")) {
		snprintf(path, sizeof(path), "spec.limits[%d].limits", i);
		err_cause(e, "FieldValueRequired", path, "Required value: either "
			  "minimum or maximum storage value is required, but "
			  "neither was provided");
	}
	n = collect(item, rs);
	for (size_t k = 0; k < n; k++) {
		if (!strcmp(t, "Pod"))
			rs[k].v[L_DEF] = rs[k].v[L_DEFREQ] = NULL;
		check_res(e, i, &rs[k]);
	}
}

void limitrange_validate(const cJSON *lr, struct err *e)
{
	const cJSON *items = json_get(lr, "spec.limits"), *item;
	int i = 0;

	cJSON_ArrayForEach(item, items)
		check_item(e, i++, item, items);
}
