/* SPDX-License-Identifier: Apache-2.0 */
/*
 * src_offline: the source used when no cluster can be reached (and, until
 * the client layer is wired into the dashboard, when no fixture is
 * given).  It knows the built-in kinds so the command line works, and
 * every watch fails with ERR_UNAVAILABLE, which the dashboard shows as
 * the "cluster unreachable" banner.  Results are delivered through the
 * same fd + drain path as every other source.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/mem.h"
#include "tui/tui.h"

struct src_watch {
	struct src_watch *next;
	src_watch_cb cb;
	void *arg;
	int fired;
};

struct offline {
	struct src super;
	char why[256];
	struct vec kinds;
	struct src_watch *watches;
	int pipe[2];
};

static const struct {
	const char *plural, *singular, *kind, *group, *shorts;
	int namespaced, scalable;
} builtin_kinds[] = {
	{ "pods", "pod", "Pod", "", "po", 1, 0 },
	{ "services", "service", "Service", "", "svc", 1, 0 },
	{ "deployments", "deployment", "Deployment", "apps", "deploy", 1, 1 },
	{ "replicasets", "replicaset", "ReplicaSet", "apps", "rs", 1, 1 },
	{ "statefulsets", "statefulset", "StatefulSet", "apps", "sts", 1, 1 },
	{ "daemonsets", "daemonset", "DaemonSet", "apps", "ds", 1, 0 },
	{ "jobs", "job", "Job", "batch", "", 1, 0 },
	{ "cronjobs", "cronjob", "CronJob", "batch", "cj", 1, 0 },
	{ "configmaps", "configmap", "ConfigMap", "", "cm", 1, 0 },
	{ "secrets", "secret", "Secret", "", "", 1, 0 },
	{ "namespaces", "namespace", "Namespace", "", "ns", 0, 0 },
	{ "nodes", "node", "Node", "", "no", 0, 0 },
	{ "events", "event", "Event", "", "ev", 1, 0 },
};

static int off_fd(struct src *s) { return ((struct offline *)s)->pipe[0]; }

static void off_drain(struct src *s)
{
	struct offline *o = (struct offline *)s;
	char junk[64];
	struct err e;

	while (read(o->pipe[0], junk, sizeof(junk)) > 0)
		;
	err_set(&e, ERR_UNAVAILABLE, "%s", o->why);
	for (struct src_watch *w = o->watches; w; w = w->next)
		if (!w->fired) {
			w->fired = 1;
			w->cb(w->arg, SRC_FAILED, NULL, &e);
		}
}

static void off_info(struct src *s, struct src_info *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->context, sizeof(out->context), "-");
	snprintf(out->cluster, sizeof(out->cluster), "-");
	snprintf(out->user, sizeof(out->user), "-");
	snprintf(out->version, sizeof(out->version), "n/a");
	snprintf(out->ns, sizeof(out->ns), "default");
	snprintf(out->why, sizeof(out->why), "%s", ((struct offline *)s)->why);
}

static const struct vec *off_kinds(struct src *s)
{
	return &((struct offline *)s)->kinds;
}

static void off_contexts(struct src *s, struct vec *out) { (void)s; (void)out; }

static struct src *off_switch_context(struct src *s, const char *ctx, struct err *e)
{
	err_set(e, ERR_UNAVAILABLE, "no kubeconfig contexts available");
	return NULL;
}

static struct src_watch *off_watch(struct src *s, const struct kind_info *k,
				   const char *ns, int wide, src_watch_cb cb,
				   void *arg)
{
	struct offline *o = (struct offline *)s;
	struct src_watch *w = xcalloc(1, sizeof(*w));
	char c = 1;

	w->cb = cb;
	w->arg = arg;
	w->next = o->watches;
	o->watches = w;
	if (write(o->pipe[1], &c, 1) < 0) {
		/* already woken */
	}
	return w;
}

static void off_unwatch(struct src *s, struct src_watch *w)
{
	struct offline *o = (struct offline *)s;

	for (struct src_watch **p = &o->watches; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			break;
		}
	free(w);
}

static void off_get(struct src *s, enum src_get what, const struct kind_info *k,
		    const char *ns, const char *name, const char *arg,
		    src_done_cb cb, void *cbarg)
{
	struct err e;

	err_set(&e, ERR_UNAVAILABLE, "%s", ((struct offline *)s)->why);
	cb(cbarg, &e, NULL);
}

static void off_apply(struct src *s, enum src_op op, const struct kind_info *k,
		      const char *ns, const char *name, const char *arg,
		      src_done_cb cb, void *cbarg)
{
	off_get(s, SRC_GET_YAML, k, ns, name, arg, cb, cbarg);
}

static void off_free(struct src *s)
{
	struct offline *o = (struct offline *)s;

	if (!o)
		return;
	while (o->watches)
		off_unwatch(s, o->watches);
	vec_free(&o->kinds, kind_info_free);
	close(o->pipe[0]);
	close(o->pipe[1]);
	free(o);
}

static const struct src_ops offline_ops = {
	.name = "offline", .fd = off_fd, .drain = off_drain, .info = off_info,
	.kinds = off_kinds, .contexts = off_contexts,
	.switch_context = off_switch_context, .watch = off_watch,
	.unwatch = off_unwatch, .get = off_get, .apply = off_apply,
	.free = off_free,
};

void src_builtin_kinds(struct vec *out)
{
	for (size_t i = 0; i < sizeof(builtin_kinds) / sizeof(builtin_kinds[0]); i++)
		vec_push(out, kind_info_new(builtin_kinds[i].plural,
			 builtin_kinds[i].singular, builtin_kinds[i].kind,
			 builtin_kinds[i].group, builtin_kinds[i].shorts,
			 builtin_kinds[i].namespaced, builtin_kinds[i].scalable));
}

struct src *src_offline_new(const char *why)
{
	struct offline *o = xcalloc(1, sizeof(*o));

	o->super.ops = &offline_ops;
	snprintf(o->why, sizeof(o->why), "%s", why);
	src_builtin_kinds(&o->kinds);
	if (pipe2(o->pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		abort();
	return &o->super;
}
