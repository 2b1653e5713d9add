/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podspec_env: a container's environment as kubelet computes it.
 *
 * kubelet builds the container's own variables from envFrom (in order,
 * values taken literally; prefix + key must be a valid name in the relaxed
 * sense of Kubernetes 1.32+, else it is skipped) and then env (in order; each
 * value expanded with $(VAR) against what was defined before it).  valueFrom
 * reads ConfigMaps and Secrets through podspec_env.get, the downward API from
 * the pod.  The runtime later lays these over the image's env (podspec.c).
 *
 * The expansion is Kubernetes' third_party expansion package: "$(NAME)"
 * is replaced when NAME is defined and kept as written otherwise, "$$"
 * is an escaped "$", any other "$x" stays as is.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "cluster/node/podspec_int.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

struct ps_envent {
	char *name;
	char *value;
	UT_hash_handle hh;
};

void ps_env_set(struct ps_envlist *l, const char *name, const char *value)
{
	struct ps_envent *x;

	HASH_FIND_STR(l->index, name, x);
	if (x) {
		free(x->value);
		x->value = xstrdup(value);
		return;
	}
	x = xcalloc(1, sizeof(*x));
	x->name = xstrdup(name);
	x->value = xstrdup(value);
	HASH_ADD_KEYPTR(hh, l->index, x->name, strlen(x->name), x);
	vec_push(&l->ents, x);
}

const char *ps_env_get(const struct ps_envlist *l, const char *name)
{
	struct ps_envent *x;

	HASH_FIND_STR(l->index, name, x);
	return x ? x->value : NULL;
}

const char *ps_env_at(const struct ps_envlist *l, size_t i, const char **value)
{
	const struct ps_envent *x = l->ents.items[i];

	*value = x->value;
	return x->name;
}

void ps_env_done(struct ps_envlist *l)
{
	size_t i;

	HASH_CLEAR(hh, l->index);
	for (i = 0; i < l->ents.len; i++) {
		struct ps_envent *x = l->ents.items[i];

		free(x->name);
		free(x->value);
		free(x);
	}
	vec_free(&l->ents, NULL);
}

char **ps_env_strv(const struct ps_envlist *l)
{
	char **v = xcalloc(l->ents.len + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < l->ents.len; i++) {
		const struct ps_envent *x = l->ents.items[i];

		v[i] = xasprintf("%s=%s", x->name, x->value);
	}
	return v;
}

char *ps_expand(const char *in, const struct ps_envlist *vars)
{
	struct buf b = BUF_INIT;
	const char *p = in, *close;

	buf_adds(&b, "");
	while (*p) {
		if (p[0] != '$' || !p[1]) {
			buf_addc(&b, *p++);
			continue;
		}
		if (p[1] == '$') { /* escaped operator */
			buf_addc(&b, '$');
			p += 2;
		} else if (p[1] == '(' && (close = strchr(p + 2, ')'))) {
			char *name = xstrndup(p + 2, (size_t)(close - p - 2));
			const char *v = vars ? ps_env_get(vars, name) : NULL;

			if (v)
				buf_adds(&b, v);
			else
				buf_add(&b, p, (size_t)(close - p + 1));
			free(name);
			p = close + 1;
		} else { /* "$(" unclosed or "$x" */
			buf_add(&b, p, 2);
			p += 2;
		}
	}
	return buf_take(&b);
}

/*
 * apimachinery's IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation,
 * on by default since Kubernetes 1.32): printable ASCII without '='.
 */
static bool env_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e || *s == '=')
			return false;
	return true;
}

/* Secret data values are base64; *out gets the decoded bytes + NUL. */
static int b64_decode(const char *in, char **out, size_t *len)
{
	gnutls_datum_t src = {(unsigned char *)(uintptr_t)in,
			      (unsigned)strlen(in)};
	gnutls_datum_t raw = {NULL, 0};
	char *s;

	if (src.size && gnutls_base64_decode2(&src, &raw) < 0)
		return -1;
	s = xmalloc(raw.size + 1);
	if (raw.size)
		memcpy(s, raw.data, raw.size);
	s[raw.size] = '\0';
	gnutls_free(raw.data);
	*out = s;
	*len = raw.size;
	return 0;
}

/*
 * Value of key in a ConfigMap (data, then binaryData) or Secret (data,
 * base64, then stringData) object; malloc'd with *len, or NULL.
 */
static char *obj_key(const cJSON *obj, const char *key, bool secret,
		     size_t *len)
{
	const cJSON *v = json_obj(json_obj(obj, "data"), key);
	char *s;

	if (cJSON_IsString(v) && !secret) {
		*len = strlen(v->valuestring);
		return xstrdup(v->valuestring);
	}
	if (cJSON_IsString(v) ||
	    (!secret && (v = json_obj(json_obj(obj, "binaryData"), key)) &&
	     cJSON_IsString(v)))
		return b64_decode(v->valuestring, &s, len) == 0 ? s : NULL;
	v = json_obj(json_obj(obj, "stringData"), key);
	if (secret && cJSON_IsString(v)) {
		*len = strlen(v->valuestring);
		return xstrdup(v->valuestring);
	}
	return NULL;
}

char *ps_obj_key(const cJSON *obj, const char *key, bool secret, size_t *len)
{
	return obj_key(obj, key, secret, len);
}

static const char *kind_word(bool secret)
{
	return secret ? "secret" : "configmap";
}

/* valueFrom.configMapKeyRef / secretKeyRef: *out NULL when optional. */
static int key_ref(const struct podspec_env *env, const char *ns,
		   const cJSON *ref, bool secret, char **out, struct err *e)
{
	const char *name = json_get_str(ref, "name");
	const char *key = json_get_str(ref, "key");
	bool optional = json_get_bool(ref, "optional", false);
	cJSON *obj;
	size_t len;
	char *v;

	if (!name || !key)
		return err_set(e, ERR_INVALID,
			       "%s key reference needs a name "
			       "and a key",
			       kind_word(secret));
	obj = env->get ? env->get(env->arg, ns,
				  secret ? "secrets" : "configmaps", name)
		       : NULL;
	if (!obj) {
		*out = NULL;
		return optional
			   ? 0
			   : err_set(e, ERR_NOT_FOUND, "%s \"%s\" not found",
				     kind_word(secret), name);
	}
	v = obj_key(obj, key, secret, &len);
	cJSON_Delete(obj);
	if (!v && !optional)
		return err_set(e, ERR_NOT_FOUND,
			       "couldn't find key %s in %s "
			       "%s/%s",
			       key, secret ? "Secret" : "ConfigMap", ns, name);
	*out = v;
	return 0;
}

/* One envFrom source: every valid key (with prefix) of the object. */
static int env_from(const struct podspec_env *env, const char *ns,
		    const cJSON *src, struct ps_envlist *out, struct err *e)
{
	const cJSON *ref = json_obj(src, "configMapRef");
	bool secret = !ref;
	const char *prefix = json_get_str(src, "prefix");
	const char *name;
	cJSON *obj, *kv;

	if (!ref && !(ref = json_obj(src, "secretRef")))
		return 0;
	if (!(name = json_get_str(ref, "name")))
		return err_set(e, ERR_INVALID, "envFrom needs a name");
	obj = env->get ? env->get(env->arg, ns,
				  secret ? "secrets" : "configmaps", name)
		       : NULL;
	if (!obj)
		return json_get_bool(ref, "optional", false)
			   ? 0
			   : err_set(e, ERR_NOT_FOUND, "%s \"%s\" not found",
				     kind_word(secret), name);
	cJSON_ArrayForEach(kv, json_obj(obj, "data"))
	{
		char *k = xasprintf("%s%s", prefix ? prefix : "", kv->string);
		size_t len;
		char *v = obj_key(obj, kv->string, secret, &len);

		if (v && env_name_ok(k))
			ps_env_set(out, k, v);
		free(k);
		free(v);
	}
	cJSON_Delete(obj);
	return 0;
}

/* The value of one env entry into *v (NULL: skip it). */
static int env_value(const struct podspec_env *env, const cJSON *pod,
		     const cJSON *ctr, const cJSON *ent, const char *pod_ip,
		     const struct ps_envlist *sofar, char **v, struct err *e)
{
	const char *ns = json_get_str(pod, "metadata.namespace");
	const cJSON *from = json_obj(ent, "valueFrom"), *r;
	const char *value = json_get_str(ent, "value");

	if (!from) {
		*v = ps_expand(value ? value : "", sofar);
		return 0;
	}
	if ((r = json_obj(from, "fieldRef")))
		return ps_fieldref(env, pod, json_get_str(r, "fieldPath"),
				   pod_ip, v, e);
	if ((r = json_obj(from, "resourceFieldRef")))
		return ps_resourceref(env, pod, ctr, r, v, e);
	if ((r = json_obj(from, "configMapKeyRef")))
		return key_ref(env, ns ? ns : "default", r, false, v, e);
	if ((r = json_obj(from, "secretKeyRef")))
		return key_ref(env, ns ? ns : "default", r, true, v, e);
	return err_set(e, ERR_INVALID, "env %s: unsupported valueFrom",
		       json_get_str(ent, "name"));
}

/* "my-svc" -> "MY_SVC" for service variable names. */
static char *env_upper(const char *s)
{
	char *u = xstrdup(s), *p;

	for (p = u; *p; p++)
		*p = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
	return u;
}

/* Set the variable named by fmt to value. */
static __attribute__((format(printf, 3, 4))) void
set_named(struct ps_envlist *out, const char *value, const char *fmt, ...)
{
	struct buf k = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&k, fmt, ap);
	va_end(ap);
	ps_env_set(out, buf_cstr(&k), value);
	buf_free(&k);
}

/* kubelet's envvars.FromServices for one port of service n. */
static void service_port(struct ps_envlist *out, const char *n, const char *ip,
			 const cJSON *port, bool first)
{
	const char *pname = json_get_str(port, "name");
	const char *proto = json_get_str(port, "protocol");
	char *lp = xstrdup(proto ? proto : "TCP"), *up = env_upper(lp);
	char *url, *q, num[24];
	int64_t v = 0;

	for (q = lp; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	json_get_int(port, "port", &v);
	snprintf(num, sizeof(num), "%lld", (long long)v);
	url = xasprintf(strchr(ip, ':') ? "%s://[%s]:%s" : "%s://%s:%s", lp, ip,
			num);
	if (first) {
		set_named(out, num, "%s_SERVICE_PORT", n);
		set_named(out, url, "%s_PORT", n);
	}
	if (pname && *pname) {
		char *pn = env_upper(pname);

		set_named(out, num, "%s_SERVICE_PORT_%s", n, pn);
		free(pn);
	}
	set_named(out, url, "%s_PORT_%s_%s", n, num, up);
	set_named(out, lp, "%s_PORT_%s_%s_PROTO", n, num, up);
	set_named(out, num, "%s_PORT_%s_%s_PORT", n, num, up);
	set_named(out, ip, "%s_PORT_%s_%s_ADDR", n, num, up);
	free(url);
	free(up);
	free(lp);
}

/* The Docker-link style variables of one Service with a cluster IP. */
static void service_vars(struct ps_envlist *out, const char *name,
			 const cJSON *svc)
{
	const char *ip = json_get_str(svc, "spec.clusterIP");
	const cJSON *p;
	bool first = true;
	char *n;

	if (!ip || !*ip || !strcmp(ip, "None") || !name)
		return;
	n = env_upper(name);
	set_named(out, ip, "%s_SERVICE_HOST", n);
	cJSON_ArrayForEach(p, json_get(svc, "spec.ports")) {
		service_port(out, n, ip, p, first);
		first = false;
	}
	free(n);
}

/*
 * kubelet's service environment: the API server's Service
 * (default/kubernetes) always, and with enableServiceLinks (the default)
 * every Service of the pod's namespace that has a cluster IP (headless
 * ones have none): MY_DB_SERVICE_HOST, MY_DB_SERVICE_PORT, MY_DB_PORT,
 * MY_DB_PORT_5432_TCP... (podspec_env.get with a NULL name lists).
 */
static void services(const struct podspec_env *env, const cJSON *pod,
		     const char *ns, struct ps_envlist *out)
{
	cJSON *svc, *list;
	const cJSON *s;

	if (!env->get)
		return;
	svc = env->get(env->arg, "default", "services", "kubernetes");
	service_vars(out, "kubernetes", svc);
	cJSON_Delete(svc);
	if (cJSON_IsFalse(json_get(pod, "spec.enableServiceLinks")))
		return;
	list = env->get(env->arg, ns, "services", NULL);
	cJSON_ArrayForEach(s, json_get(list, "items")) {
		const char *name = json_get_str(s, "metadata.name");

		if (name && !(strcmp(ns, "default") == 0 &&
			      strcmp(name, "kubernetes") == 0))
			service_vars(out, name, s);
	}
	cJSON_Delete(list);
}

int ps_env_build(const struct podspec_env *env, const cJSON *pod,
		 const cJSON *ctr, const char *pod_ip, struct ps_envlist *out,
		 struct err *e)
{
	const char *ns = json_get_str(pod, "metadata.namespace");
	const cJSON *x;

	services(env, pod, ns ? ns : "default", out);
	cJSON_ArrayForEach(
	    x, json_obj(ctr, "envFrom")) if (env_from(env, ns ? ns : "default",
						      x, out, e) < 0) return -1;
	cJSON_ArrayForEach(x, json_obj(ctr, "env"))
	{
		const char *name = json_get_str(x, "name");
		char *v = NULL;

		if (!name)
			continue;
		if (env_value(env, pod, ctr, x, pod_ip, out, &v, e) < 0)
			return -1;
		if (v)
			ps_env_set(out, name, v);
		free(v);
	}
	return 0;
}

/* Go's %q for the printable strings labels hold. */
static void add_quoted(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\n')
			buf_adds(b, "\\n");
		else if (c == '\t')
			buf_adds(b, "\\t");
		else if (c == '\r')
			buf_adds(b, "\\r");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\x%02x", c);
		else
			buf_addc(b, (char)c);
	}
	buf_addc(b, '"');
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *ps_format_map(const cJSON *map)
{
	struct vec keys = VEC_INIT;
	struct buf b = BUF_INIT;
	const cJSON *kv;
	size_t i;

	buf_adds(&b, "");
	cJSON_ArrayForEach(kv, map) if (cJSON_IsString(kv) && kv->string)
	    vec_push(&keys, kv->string);
	vec_sort(&keys, cmp_str);
	for (i = 0; i < keys.len; i++) {
		if (i)
			buf_addc(&b, '\n');
		buf_printf(&b, "%s=", (char *)keys.items[i]);
		add_quoted(&b, json_get_str(json_obj(map, keys.items[i]), ""));
	}
	vec_free(&keys, NULL);
	return buf_take(&b);
}

/* metadata.labels['key'] -> the value (or "") of key in the map. */
static int subscript(const cJSON *pod, const char *path, char **out)
{
	static const char *const maps[] = {"labels", "annotations"};
	size_t i, n;

	for (i = 0; i < 2; i++) {
		char pre[32];
		const cJSON *v;
		char *key;

		n = (size_t)snprintf(pre, sizeof(pre), "metadata.%s['",
				     maps[i]);
		if (strncmp(path, pre, n) || strlen(path) < n + 2 ||
		    strcmp(path + strlen(path) - 2, "']"))
			continue;
		key = xstrndup(path + n, strlen(path) - n - 2);
		v = json_obj(json_obj(json_obj(pod, "metadata"), maps[i]), key);
		free(key);
		*out = xstrdup(cJSON_IsString(v) ? v->valuestring : "");
		return 0;
	}
	return -1;
}

/* status.podIPs: the pod's IPs, comma-separated (pod_ip first). */
static char *pod_ips(const cJSON *pod, const char *pod_ip)
{
	struct buf b = BUF_INIT;
	const cJSON *x;

	buf_adds(&b, pod_ip ? pod_ip : "");
	cJSON_ArrayForEach(x, json_get(pod, "status.podIPs"))
	{
		const char *ip = json_get_str(x, "ip");

		if (!ip || (pod_ip && !strcmp(ip, pod_ip)))
			continue;
		if (b.len)
			buf_addc(&b, ',');
		buf_adds(&b, ip);
	}
	return buf_take(&b);
}

int ps_fieldref(const struct podspec_env *env, const cJSON *pod,
		const char *path, const char *pod_ip, char **out, struct err *e)
{
	static const char *const plain[][2] = {
	    {"metadata.name", "metadata.name"},
	    {"metadata.namespace", "metadata.namespace"},
	    {"metadata.uid", "metadata.uid"},
	    {"spec.nodeName", "spec.nodeName"},
	    {"spec.serviceAccountName", "spec.serviceAccountName"},
	};
	const char *v;
	size_t i;

	if (!path)
		return err_set(e, ERR_INVALID, "fieldRef needs a fieldPath");
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!strcmp(path, plain[i][0])) {
			v = json_get_str(pod, plain[i][1]);
			if (!v && !strcmp(path, "spec.nodeName"))
				v = env->node_name;
			*out = xstrdup(v ? v : "");
			return 0;
		}
	if (!strcmp(path, "metadata.labels") ||
	    !strcmp(path, "metadata.annotations")) {
		*out = ps_format_map(json_get(pod, path));
		return 0;
	}
	if (subscript(pod, path, out) == 0)
		return 0;
	if (!strcmp(path, "status.podIP") || !strcmp(path, "status.podIPs")) {
		if (!pod_ip)
			pod_ip = json_get_str(pod, "status.podIP");
		*out = path[12] ? pod_ips(pod, pod_ip)
				: xstrdup(pod_ip ? pod_ip : "");
		return 0;
	}
	if (!strcmp(path, "status.hostIP") || !strcmp(path, "status.hostIPs")) {
		v = env->node_ip ? env->node_ip
				 : json_get_str(pod, "status.hostIP");
		*out = xstrdup(v ? v : "");
		return 0;
	}
	return err_set(e, ERR_INVALID, "unsupported fieldPath: %s", path);
}
