/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_int: the api module's private header, shared by api*.c only.
 *
 * api.c routes a request (struct api_route), checks authorization and
 * dispatches to discovery (api_disc.c), the generic REST handlers
 * (api_rest.c, api_list.c), watch (api_watch.c), the review kinds
 * (api_review.c) and bootstrap (api_boot.c).  Every handler answers
 * through api_reply_* so Status errors look the same everywhere.
 */
#ifndef KDECK_CLUSTER_API_INT_H
#define KDECK_CLUSTER_API_INT_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cluster/api.h"
#include "cluster/registry.h"
#include "cluster/nodeops.h"

#define API_METRIC_SLOTS 256

struct api_metric {
	char verb[24];
	char resource[64];
	uint64_t count;
	double seconds;
};

struct api {
	struct store *st;
	struct authz *az;
	const struct satoken *sa;	/* TokenRequest; NULL = not served */
	char *ca_pem;			/* kube-root-ca.crt content, or NULL */
	char *git_version;
	char *service_cidr;
	char *cluster_ip_first;
	char *advertise_host;
	int advertise_port;
	int node_port_min, node_port_max;
	uint32_t cidr_base, cidr_mask;	/* service CIDR, host order */
	pthread_mutex_t lock;		/* metrics */
	pthread_mutex_t alloc_lock;	/* Service creates (IP/port allocation) */
	struct api_metric metrics[API_METRIC_SLOTS];
	size_t nmetrics;
	uint64_t watches_open, watches_total, list_items;
	char *data_dir;			/* pods/log files (node/layout.h) */
	char *node_name;		/* the real node, NULL when none */
	struct metrics *top;		/* metrics.k8s.io sampler (metrics.h) */
	struct nodeops nodeops;		/* api_set_nodeops, under lock */
	bool have_nodeops;
};

/* A parsed resource URL. */
struct api_route {
	const struct reg_kind *k;
	char ns[254];
	char name[254];
	char sub[32];		/* "", "status", "scale" */
	const char *verb;	/* Kubernetes verb */
	bool table;		/* Accept asks for a Table */
};

/* Errors as Status objects (api.c). */
void api_reply_err(struct api_resp *resp, const struct err *e,
		   const struct api_route *rt);
void api_reply_json(struct api_resp *resp, int status, const cJSON *obj);
void api_reply_raw(struct api_resp *resp, int status, const char *json,
		   size_t len);

/* Handlers; each fills resp. */
void api_disc_handle(struct api *api, const struct api_req *req,
		     struct api_resp *resp);
void api_rest_handle(struct api *api, const struct api_req *req,
		     struct api_route *rt, struct api_resp *resp);
void api_list(struct api *api, const struct api_req *req,
	      struct api_route *rt, struct api_resp *resp);
void api_watch(struct api *api, const struct api_req *req,
	       struct api_route *rt, struct api_resp *resp);
void api_review(struct api *api, const struct api_req *req,
		struct api_route *rt, struct api_resp *resp);
/* pods/eviction (api_evict.c). */
void api_evict(struct api *api, const struct api_req *req,
	       struct api_route *rt, struct api_resp *resp);
/* pods/log (api_log.c) and metrics.k8s.io (api_top.c). */
void api_log(struct api *api, const struct api_req *req,
	     struct api_route *rt, struct api_resp *resp);
void api_top(struct api *api, const struct api_req *req,
	     struct api_route *rt, struct api_resp *resp);
int api_delete_collection(struct api *api, const struct api_req *req,
			  struct api_route *rt, struct api_resp *resp);

/*
 * RBAC escalation and bind checks for writes of Roles, ClusterRoles and
 * their bindings (Kubernetes' escalate/bind rules); 0 for other kinds.
 */
int api_guard_rbac(struct api *api, const struct api_req *req,
		   const struct api_route *rt, const cJSON *obj, struct err *e);

/* Helpers (api_obj.c). */
char *api_key(const struct api_route *rt, const char *name);
char *api_prefix(const struct reg_kind *k, const char *ns);
void api_now_rfc3339(char *buf, size_t n, time_t t);
/*
 * Conversion between served versions sharing a store (api_conv.c):
 * whether k has one, obj converted in place to to_av (apiVersion set;
 * no-op for other pairs), and to the storage version before a write.
 */
bool api_conv_applies(const struct reg_kind *k);
void api_conv(cJSON *obj, const char *kind, const char *to_av);
void api_conv_to_storage(const struct reg_kind *k, cJSON *obj);
/* A core Event field path as events.k8s.io/v1 names it (involvedObject.name
 * -> regarding.name); core_path itself when unchanged. */
const char *api_conv_event_path(const char *core_path, char *buf, size_t n);
void api_set_type(cJSON *obj, const struct reg_kind *k);
cJSON *api_decode_body(const struct api_req *req, struct err *e);

/*
 * fieldValidation for a decoded body or object-shaped patch: Strict fails
 * with 400 "strict decoding error: unknown field ..."; Warn (the default
 * when absent) adds a Warning header; Warn and Ignore remove the unknown
 * fields from obj.  Only kinds modelled in openapi_types.c are checked.
 */
/*
 * managedFields (api_ssa.c).  api_ssa_apply records an Apply by manager of
 * the body `applied` on nw (the object to store; old is the live object,
 * NULL on create): 0, or -1 with a 409 naming the conflicting managers and
 * fields (unless force).  api_ssa_update records a non-apply write's
 * changed fields as manager's Update entry, taking them from others.
 * api_field_manager: the fieldManager parameter, else the User-Agent's
 * program name (into buf).
 */
int api_ssa_apply(cJSON *nw, const cJSON *old, const cJSON *applied,
		  const char *manager, bool force, struct err *e);
void api_ssa_update(cJSON *nw, const cJSON *old, const char *manager);
const char *api_field_manager(const struct api_req *req, char *buf, size_t n);

/*
 * Give nw (an apply merged over old) structured-merge-diff's shape
 * (api_ssa_order.c): associative lists in the applied order with the live
 * list's other elements kept in place; atomic maps of a custom resource
 * (sch: its openAPIV3Schema, NULL for built-ins) replaced as a whole.
 */
void api_ssa_shape(cJSON *nw, const cJSON *old, const cJSON *applied,
		   const cJSON *sch);

int api_check_fields(const struct api_req *req, const struct api_route *rt,
		     cJSON *obj, struct api_resp *resp, struct err *e);
/* Is the request's fieldSelector field supported for this kind? */
int api_field_check(const struct reg_kind *k, const char *field,
		    struct err *e);
/* String value of a selectable field of obj ("" when absent). */
const char *api_field_value(const struct reg_kind *k, const cJSON *obj,
			    const char *field, char *buf, size_t n);
/* Filters parsed from labelSelector/fieldSelector. */
struct api_filter;
int api_filter_new(const struct api_req *req, const struct reg_kind *k,
		   struct api_filter **out, struct err *e);
bool api_filter_match(const struct api_filter *f, const struct reg_kind *k,
		      const cJSON *obj);
bool api_filter_empty(const struct api_filter *f);
/* True when f has field terms (labels alone can be matched from a memo). */
bool api_filter_has_fields(const struct api_filter *f);
/* The label part of f against labels (a metadata.labels object or NULL). */
bool api_filter_labels_match(const struct api_filter *f, const cJSON *labels);

/*
 * LIST memos (api_list_memo.c): labels, Table cells and metadata of one
 * object revision, built with one parse on first use and kept with the
 * snapshot.  api_list_memo: NULL for custom resources and when the memo
 * was built for another kind sharing the storage.  api_list_memo_row
 * appends a Table row like api_table_row, or returns false (nothing
 * appended) when the memo cannot give it (includeObject=Object, cells
 * that are no template): parse then.  Any thread; memos are immutable.
 */
struct list_memo;
const struct list_memo *api_list_memo(const struct store_obj *o,
				      const struct reg_kind *k);
const cJSON *api_list_memo_labels(const struct list_memo *m);
bool api_list_memo_row(struct buf *b, const struct list_memo *m,
		       const char *include, bool first, time_t now);
void api_filter_free(struct api_filter *f);

/* Table output for a list of objects (table.c holds the columns). */
void api_table_begin(struct buf *b, const struct reg_kind *k,
		     const char *rv, const char *cont);
void api_table_row(struct buf *b, const struct reg_kind *k,
		   const cJSON *obj, const char *include, bool first);
void api_table_end(struct buf *b);
/* Replace the "@RV@" placeholder api_table_begin(rv NULL) wrote. */
void api_table_set_rv(struct buf *b, int64_t rev);

/* Shared by the REST handlers (api_rest.c). */
bool api_dry_run(const struct api_req *req);
void api_reply_obj(struct api_resp *resp, int status, const cJSON *obj,
		   const struct api_route *rt);
int api_not_found(struct err *e, const struct api_route *rt, const char *name);
int api_conflict(struct err *e, const struct api_route *rt);
const char *api_qualified(const struct reg_kind *k, char *buf, size_t n);
/* Current object at rt->name: *so ref'd (unref), *obj parsed (free). */
int api_load(struct api *api, const struct api_route *rt,
	     const struct store_obj **so, cJSON **obj, struct err *e);
/* Conditional write of obj over revision cur_rev (delete when the last
 * finalizer of a deleting object went). */
int api_write_update(struct api *api, const struct api_req *req,
		     const struct api_route *rt, int64_t cur_rev, cJSON *obj,
		     struct err *e);
/* Create an already decoded object (borrowed) as POST does. */
void api_create_decoded(struct api *api, const struct api_req *req,
			struct api_route *rt, cJSON *obj,
			struct api_resp *resp);
/* What a PUT of obj over old stores (status/finalize/main semantics). */
cJSON *api_merge_update(const struct api_route *rt, const cJSON *old,
			cJSON *obj);
void api_patch(struct api *api, const struct api_req *req,
	       struct api_route *rt, struct api_resp *resp);
/* The autoscaling/v1 Scale of obj; caller frees. */
cJSON *api_scale_of(const struct reg_kind *k, const cJSON *obj);
void api_delete(struct api *api, const struct api_req *req,
		struct api_route *rt, struct api_resp *resp);

/* Scale subresource (api_delete.c): reply an autoscaling/v1 Scale for
 * obj; apply a Scale's spec.replicas to a copy of obj. */
void api_scale_reply(struct api_resp *resp, const struct reg_kind *k,
		     const cJSON *obj, int status);
cJSON *api_scale_apply(const struct reg_kind *k, const cJSON *obj,
		       const cJSON *scale);

/* Action subresources (api_sub.c): pods/binding, serviceaccounts/token. */
bool api_sub_known(const struct api_route *rt);
/* Handle rt if it is one of them (true), else false. */
bool api_sub_handle(struct api *api, const struct api_req *req,
		    struct api_route *rt, struct api_resp *resp);

/* pods/NAME/portforward (api_pf.c): GET websocket, POST SPDY/3.1. */
void api_pf(struct api *api, const struct api_req *req, struct api_route *rt,
	    struct api_resp *resp);

/* Metrics (api.c). */
void api_metric_add(struct api *api, const char *verb, const char *resource,
		    double seconds);

/* Cluster IP / NodePort allocation (api_boot.c). */
/* Allocate spec.clusterIP(s) of svc, or check a requested one (in the
 * service CIDR, not taken; 422 otherwise); "None" (headless) is kept. */
int api_alloc_cluster_ip(struct api *api, cJSON *svc, struct err *e);
/* NodePorts for NodePort/LoadBalancer Services: allocate missing ones,
 * check requested ones (in range, not taken; 422 otherwise). */
int api_alloc_service_ports(struct api *api, cJSON *svc, struct err *e);
/* The same on an update of a stored Service (its own ports do not
 * conflict); a type without nodePorts releases them (removes the
 * fields).  Call with api->alloc_lock held up to the store write. */
int api_update_service_ports(struct api *api, cJSON *svc, struct err *e);
/* Create the default ServiceAccount of ns when missing. */
int api_ensure_default_sa(struct api *api, const char *ns, struct err *e);

#endif
