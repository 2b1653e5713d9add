/* SPDX-License-Identifier: Apache-2.0 */
/*
 * can: the can-i matrix (`:can`, `:can u:alice`, `:can g:devs`,
 * `:can s:ns/sa`): resources x verbs from one SelfSubjectRulesReview,
 * asked as the subject through impersonation.  A cell is "✓" when a rule
 * allows the verb on every object, "~" when only on named objects
 * (resourceNames), "·" otherwise.  Rows are the discovered kinds, each
 * followed by the subresources lessons need (pods/log, pods/exec,
 * pods/portforward, deployments/scale).  When the review says it is
 * incomplete (another authorizer) or reports an evaluation error (a
 * binding whose role cannot be read: the RBAC authorizer lists the rules
 * it could read and says why, without setting incomplete), the cells the
 * rules do not allow are asked one by one with SelfSubjectAccessReview
 * (can_uncertain lists them, can_matrix_precise takes the answers), as
 * the issue asks: rules review first, access reviews for precision.
 * Pure text building here; the source asks.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"
#include "tui/tui.h"

static const char *const verbs[] = { "get", "list", "watch", "create",
				     "update", "patch", "delete" };
#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

static const struct { const char *group, *resource; } extra_rows[] = {
	{ "", "pods/log" }, { "", "pods/exec" }, { "", "pods/portforward" },
	{ "apps", "deployments/scale" },
};

int can_subject(const char *spec, struct can_subject *out)
{
	const char *v = spec ? spec + strspn(spec, " ") : "";

	memset(out, 0, sizeof(*out));
	if (!*v)
		return 0;
	if (!strncmp(v, "u:", 2) && v[2]) {
		snprintf(out->user, sizeof(out->user), "%s", v + 2);
	} else if (!strncmp(v, "g:", 2) && v[2]) {
		snprintf(out->user, sizeof(out->user), "kdeck:can-i");
		snprintf(out->groups[0], sizeof(out->groups[0]), "%s", v + 2);
	} else if (!strncmp(v, "s:", 2) && strchr(v + 2, '/') &&
		   strchr(v + 2, '/') != v + 2 && strchr(v + 2, '/')[1]) {
		const char *sl = strchr(v + 2, '/');
		int nl = (int)(sl - (v + 2));

		snprintf(out->user, sizeof(out->user),
			 "system:serviceaccount:%.*s:%s", nl, v + 2, sl + 1);
		snprintf(out->groups[0], sizeof(out->groups[0]),
			 "system:serviceaccounts");
		snprintf(out->groups[1], sizeof(out->groups[1]),
			 "system:serviceaccounts:%.*s", nl, v + 2);
	} else {
		return -1;
	}
	return 0;
}

static bool list_has(const cJSON *arr, const char *want)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, arr)
		if (cJSON_IsString(x) && (!strcmp(x->valuestring, "*") ||
					  !strcmp(x->valuestring, want)))
			return true;
	return false;
}

/* "*" covers everything (subresources too, as the RBAC authorizer has
 * it); "* /sub" covers sub of any resource. */
static bool resource_has(const cJSON *arr, const char *res)
{
	const char *sl = strchr(res, '/');
	const cJSON *x;

	cJSON_ArrayForEach(x, arr) {
		const char *r = cJSON_IsString(x) ? x->valuestring : "";

		if (!strcmp(r, res) || !strcmp(r, "*") ||
		    (sl && r[0] == '*' && !strcmp(r + 1, sl)))
			return true;
	}
	return false;
}

/* 2 allowed on all, 1 on named objects only, 0 not. */
static int allowed(const cJSON *rules, const char *group, const char *res,
		   const char *verb)
{
	const cJSON *r;
	int best = 0;

	cJSON_ArrayForEach(r, rules) {
		if (!list_has(cJSON_GetObjectItem(r, "apiGroups"), group) ||
		    !resource_has(cJSON_GetObjectItem(r, "resources"), res) ||
		    !list_has(cJSON_GetObjectItem(r, "verbs"), verb))
			continue;
		if (cJSON_GetArraySize(cJSON_GetObjectItem(r, "resourceNames")))
			best = best ? best : 1;
		else
			return 2;
	}
	return best;
}

/* The rules' answer, raised to "on every object" when an access review
 * for the cell (precise: "group|resource|verb" -> bool) allowed it. */
static int cell(const cJSON *rules, const cJSON *precise, const char *group,
		const char *res, const char *verb)
{
	char key[256];

	snprintf(key, sizeof(key), "%s|%s|%s", group, res, verb);
	if (cJSON_IsTrue(cJSON_GetObjectItem(precise, key)))
		return 2;
	return allowed(rules, group, res, verb);
}

static void row(struct buf *b, const cJSON *rules, const cJSON *precise,
		const char *group, const char *res)
{
	static const char *const mark[] = { "·", "~", "✓" };
	char name[160];

	snprintf(name, sizeof(name), "%s%s%s", res, group[0] ? "." : "", group);
	buf_printf(b, "%-40s", name);
	for (size_t v = 0; v < NVERBS; v++)
		buf_printf(b, " %-*s%s", (int)strlen(verbs[v]) - 1, "",
			   mark[cell(rules, precise, group, res, verbs[v])]);
	buf_addc(b, '\n');
}

/* Call fn for every cell of the matrix (kinds then their extra rows). */
static void each_row(const struct vec *kinds,
		     void (*fn)(void *arg, const char *group, const char *res),
		     void *arg)
{
	for (size_t i = 0; kinds && i < kinds->len; i++) {
		const struct kind_info *k = kinds->items[i];
		size_t pl = strlen(k->plural);

		fn(arg, k->group, k->plural);
		for (size_t x = 0; x < sizeof(extra_rows) / sizeof(extra_rows[0]); x++)
			if (!strcmp(extra_rows[x].group, k->group) &&
			    !strncmp(extra_rows[x].resource, k->plural, pl) &&
			    extra_rows[x].resource[pl] == '/')
				fn(arg, extra_rows[x].group, extra_rows[x].resource);
	}
}

struct cells_arg {
	const cJSON *rules;
	struct vec *out;
};

static void add_cells(void *arg, const char *group, const char *res)
{
	struct cells_arg *c = arg;

	for (size_t v = 0; v < NVERBS; v++)
		if (allowed(c->rules, group, res, verbs[v]) < 2)
			vec_push(c->out, xasprintf("%s|%s|%s", group, res, verbs[v]));
}

/* The rules review alone may be short of the truth. */
static bool review_partial(const cJSON *status)
{
	const char *why = json_get_str(status, "evaluationError");

	return cJSON_IsTrue(cJSON_GetObjectItem(status, "incomplete")) || (why && *why);
}

void can_uncertain(const struct vec *kinds, const cJSON *status, struct vec *out)
{
	struct cells_arg c = { cJSON_GetObjectItem(status, "resourceRules"), out };

	if (review_partial(status))
		each_row(kinds, add_cells, &c);
}

struct row_arg {
	struct buf *b;
	const cJSON *rules, *precise;
};

static void add_row(void *arg, const char *group, const char *res)
{
	struct row_arg *r = arg;

	row(r->b, r->rules, r->precise, group, res);
}

char *can_matrix(const struct vec *kinds, const cJSON *status,
		 const char *who, const char *ns)
{
	return can_matrix_precise(kinds, status, NULL, who, ns);
}

char *can_matrix_precise(const struct vec *kinds, const cJSON *status,
			 const cJSON *precise, const char *who, const char *ns)
{
	const cJSON *rules = cJSON_GetObjectItem(status, "resourceRules");
	struct buf b = BUF_INIT;
	struct row_arg ra = { &b, rules, precise };

	buf_printf(&b, "Can %s do it in namespace %s?  (SelfSubjectRulesReview)\n",
		   who, ns);
	buf_adds(&b, "✓ on every object   ~ on named objects only   · no\n");
	if (cJSON_IsTrue(cJSON_GetObjectItem(status, "incomplete")))
		buf_printf(&b, "incomplete: %s\n",
			   json_get_str(status, "evaluationError") ?
			   json_get_str(status, "evaluationError") :
			   "the authorizer could not list every rule");
	else if (review_partial(status))
		buf_printf(&b, "evaluation error: %s\n",
			   json_get_str(status, "evaluationError"));
	if (cJSON_GetArraySize(precise))
		buf_printf(&b, "cells the rules left open were asked with %d SelfSubjectAccessReviews\n",
			   cJSON_GetArraySize(precise));
	buf_printf(&b, "\n%-40s", "RESOURCE");
	for (size_t v = 0; v < NVERBS; v++) {
		char up[16];

		for (size_t i = 0; i <= strlen(verbs[v]); i++)
			up[i] = (char)(verbs[v][i] >= 'a' && verbs[v][i] <= 'z' ?
				       verbs[v][i] - 32 : verbs[v][i]);
		buf_printf(&b, " %s", up);
	}
	buf_addc(&b, '\n');
	each_row(kinds, add_row, &ra);
	return buf_take(&b);
}
