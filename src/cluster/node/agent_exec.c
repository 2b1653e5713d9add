/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agent_exec: the node's side of pods/exec, pods/attach and
 * pods/portforward (cluster/nodeops.h), what kube-apiserver asks of the
 * kubelet.  Each call reads the pod from the store (not from the pod
 * workers: their state is theirs), checks the container name against
 * the spec as the kubelet does, finds the container's current instance
 * among the runtime's ids (UID_CTR_N with the highest N, node/layout.h)
 * and hands the work to the runtime (runtime.h: rt_exec_start,
 * rt_attach_open, rt_dial).
 *
 * Threads: any, concurrently; nothing here is shared but the agent's
 * read-only fields (store, rt, node name), set before the ops are
 * registered and valid until they are removed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/node/agent_int.h"
#include "cluster/node/layout.h"
#include "cluster/nodeops.h"
#include "common/json.h"
#include "common/mem.h"

struct node_proc {
	struct rt_proc *exec;		/* kubectl exec */
	struct rt_attach *attach;	/* kubectl attach */
};

/* The pod, scheduled here.  Caller frees *out. */
static int pod_get(struct agent *a, const char *ns, const char *name,
		   cJSON **out, struct err *e)
{
	char *key = store_key(NULL, "pods", ns, name);
	const struct store_obj *o = NULL;
	const char *node;
	cJSON *pod;
	int rc = store_get(a->store, key, &o, e);

	free(key);
	if (rc < 0)
		return e && e->code == ERR_NOT_FOUND ?
			       err_set(e, ERR_NOT_FOUND,
				       "pods \"%s\" not found", name) : -1;
	pod = store_obj_parse(o);
	store_obj_unref(o);
	node = json_get_str(pod, "spec.nodeName");
	if (!node || !*node || strcmp(node, a->node_name) != 0) {
		cJSON_Delete(pod);
		return err_set(e, ERR_BAD_REQUEST, node && *node ?
			       "pod %s is not on node %s" :
			       "pod %s does not have a host assigned", name,
			       a->node_name);
	}
	*out = pod;
	return 0;
}

/* name's entry in the pod's containers, init or ephemeral containers. */
static const cJSON *ctr_spec(const cJSON *pod, const char *name)
{
	static const char *const lists[] = { "spec.containers",
					     "spec.initContainers",
					     "spec.ephemeralContainers" };
	const cJSON *c;

	for (size_t i = 0; i < sizeof(lists) / sizeof(*lists); i++)
		cJSON_ArrayForEach(c, json_get(pod, lists[i]))
			if (!strcmp(json_get_str(c, "name") ?: "", name))
				return c;
	return NULL;
}

/* The id of the latest instance of uid's container name, if running. */
static int running_id(struct agent *a, const char *uid, const char *name,
		      char **out, struct err *e)
{
	char **v = NULL, *buf, *pick = NULL;
	const char *u, *c;
	size_t n = 0;
	int best = -1, attempt;
	struct rt_status st;

	if (a->ops->ctr_list(a->rt, &v, &n, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (layout_parse_container_id(v[i], &buf, &u, &c, &attempt) < 0)
			continue;
		if (!strcmp(u, uid) && !strcmp(c, name) && attempt > best) {
			best = attempt;
			pick = v[i];
		}
		free(buf);
	}
	if (pick && a->ops->ctr_status(a->rt, pick, &st, NULL) == 0 &&
	    st.state == RT_RUNNING)
		*out = xstrdup(pick);
	else
		pick = NULL;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return pick ? 0 : err_set(e, ERR_INTERNAL,
				  "container not found (\"%s\")", name);
}

/*
 * Resolve the request to a running container: *id (caller frees) and,
 * when spec_out is given, a copy of the container's spec.
 */
static int resolve(struct agent *a, const struct node_stdio_req *r,
		   char **id, cJSON **spec_out, struct err *e)
{
	cJSON *pod = NULL;
	const cJSON *spec;
	const char *uid;
	int rc = -1;

	if (!a->rt)
		return err_set(e, ERR_UNAVAILABLE, "the node runs no containers");
	if (pod_get(a, r->ns, r->pod, &pod, e) < 0)
		return -1;
	spec = ctr_spec(pod, r->container);
	uid = json_get_str(pod, "metadata.uid");
	if (!spec) {
		err_set(e, ERR_BAD_REQUEST, "container %s is not valid for "
			"pod %s", r->container, r->pod);
		goto out;
	}
	if (!uid || running_id(a, uid, r->container, id, e) < 0)
		goto out;
	if (spec_out)
		*spec_out = cJSON_Duplicate(spec, true);
	rc = 0;
out:
	cJSON_Delete(pod);
	return rc;
}

static int op_exec(void *ctx, const struct node_stdio_req *r,
		   struct node_proc **out, struct node_proc_io *io,
		   struct err *e)
{
	struct agent *a = ctx;
	struct rt_exec_opts o = { r->tty, r->in, r->out, r->err && !r->tty };
	struct rt_proc_io rio;
	struct rt_proc *p;
	char *id = NULL;
	int rc = -1;

	if (resolve(a, r, &id, NULL, e) < 0 ||
	    rt_exec_start(a->rt, id, r->argv, &o, &p, &rio, e) < 0)
		goto out;
	*out = xcalloc(1, sizeof(**out));
	(*out)->exec = p;
	*io = (struct node_proc_io){ rio.in_fd, rio.out_fd, rio.err_fd };
	rc = 0;
out:
	free(id);
	return rc;
}

static int op_attach(void *ctx, const struct node_stdio_req *r,
		     struct node_proc **out, struct node_proc_io *io,
		     struct err *e)
{
	struct agent *a = ctx;
	struct rt_attach_opts o = { r->tty, r->in, r->out, r->err && !r->tty };
	struct rt_proc_io rio;
	struct rt_attach *at;
	char *id = NULL;
	int rc = -1;

	if (resolve(a, r, &id, NULL, e) < 0 ||
	    rt_attach_open(a->rt, id, &o, &at, &rio, e) < 0)
		goto out;
	*out = xcalloc(1, sizeof(**out));
	(*out)->attach = at;
	*io = (struct node_proc_io){ rio.in_fd, rio.out_fd, rio.err_fd };
	rc = 0;
out:
	free(id);
	return rc;
}

static int op_resize(struct node_proc *p, unsigned cols, unsigned rows)
{
	if (!p)
		return -1;
	return p->exec ? rt_proc_resize(p->exec, cols, rows)
		       : rt_attach_resize(p->attach, cols, rows);
}

static int op_wait(struct node_proc *p, int *exit_code)
{
	return p->exec ? rt_proc_wait(p->exec, exit_code)
		       : rt_attach_wait(p->attach, exit_code);
}

static void op_close(struct node_proc *p)
{
	if (!p)
		return;
	rt_proc_free(p->exec);
	rt_attach_free(p->attach);
	free(p);
}

static int op_dial(void *ctx, const char *ns, const char *pod, int port,
		   int *fd_out, struct err *e)
{
	struct agent *a = ctx;
	cJSON *obj = NULL;
	const char *uid;
	int rc = -1;

	if (!a->rt)
		return err_set(e, ERR_UNAVAILABLE, "the node runs no containers");
	if (pod_get(a, ns, pod, &obj, e) < 0)
		return -1;
	uid = json_get_str(obj, "metadata.uid");
	if (!uid)
		err_set(e, ERR_NOT_FOUND, "pods \"%s\" not found", pod);
	else
		rc = rt_dial(a->rt, uid, port, fd_out, e);
	cJSON_Delete(obj);
	return rc;
}

void agent_nodeops(struct agent *a, struct nodeops *out)
{
	*out = (struct nodeops){ .ctx = a,
				 .exec = op_exec,
				 .attach = op_attach,
				 .resize = op_resize,
				 .wait = op_wait,
				 .close = op_close,
				 .dial = op_dial };
}
