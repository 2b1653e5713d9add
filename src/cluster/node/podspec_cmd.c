/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podspec_cmd: the command line of a container.
 *
 * kubelet expands $(VAR) in command and args with the container's env;
 * the CRI runtime then combines them with the image the way Docker does:
 * command set -> command + args (the image's Cmd is ignored); only args
 * -> the image's Entrypoint + args; neither -> Entrypoint + Cmd (an
 * Entrypoint of one empty string counts as none).  An empty result is
 * the runtime's "no command specified".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/node/podspec_int.h"
#include "common/json.h"
#include "common/mem.h"

void ps_strv_free(char **v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

static size_t arr_len(const cJSON *a)
{
	return cJSON_IsArray(a) ? (size_t)cJSON_GetArraySize(a) : 0;
}

static size_t strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* Append the strings of a JSON array, expanded. */
static void add_json(struct vec *out, const cJSON *a,
		     const struct ps_envlist *vars)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, a) vec_push(
	    out, ps_expand(cJSON_IsString(x) ? x->valuestring : "", vars));
}

static void add_strv(struct vec *out, char *const *v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		vec_push(out, xstrdup(v[i]));
}

int ps_command(const cJSON *ctr, const struct image_config *img,
	       const struct ps_envlist *vars, char ***argv, struct err *e)
{
	const cJSON *cmd = json_obj(ctr, "command");
	const cJSON *args = json_obj(ctr, "args");
	char *const *ep = img ? img->entrypoint : NULL;
	struct vec out = VEC_INIT;

	if (arr_len(cmd)) {
		add_json(&out, cmd, vars);
		add_json(&out, args, vars);
	} else {
		if (!(strv_len(ep) == 1 && !ep[0][0]))
			add_strv(&out, ep);
		if (arr_len(args))
			add_json(&out, args, vars);
		else
			add_strv(&out, img ? img->cmd : NULL);
	}
	if (!out.len) {
		vec_free(&out, NULL);
		return err_set(e, ERR_INVALID, "no command specified");
	}
	vec_push(&out, NULL);
	*argv = (char **)out.items;
	return 0;
}
