/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_log: the pods/log subresource.  A real apiserver proxies it to the
 * pod's kubelet; here the API server reads the node agent's CRI log files
 * itself (node/layout.h is the contract: DATA/logs/NS_NAME_UID/CTR/N.log,
 * N = the container's attempt) and answers as the apiserver and kubelet
 * together do:
 *
 *  - apiserver: container defaulting and validation (BadRequest "a
 *    container name must be specified ...", "container c is not valid for
 *    pod p"), PodLogOptions validation (422), no node yet -> empty body;
 *  - kubelet: which container instance (status.containerStatuses: the
 *    running one, the terminated one, lastState for previous=true, the
 *    "is waiting to start: REASON" errors), then CRI lines turned into
 *    plain text: P lines joined, sinceSeconds/sinceTime, tailLines,
 *    timestamps (RFC3339Nano prefix on each new line), limitBytes.
 *
 * follow=true answers with a stream (struct api_stream) that polls the
 * file, reopens it when the runtime's shim rotates it, and ends once the
 * file is drained and the container no longer runs (or the pod is gone).
 * Only the current file is read, as kubelet does: rotated files are not.
 *
 * Threads: the handler runs on a connection thread; a stream belongs to
 * its connection thread.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cluster/api_int.h"
#include "cluster/node/cri_log.h"
#include "cluster/node/layout.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

#define CHUNK 65536
#define POLL_MS 100
#define IDLE_MS 1000		/* a stream read returns -2 after this */
#define CHECK_MS 1000		/* how often a follower re-reads the pod */

struct log_opts {
	const char *container;
	bool follow, previous, timestamps;
	int64_t tail;		/* -1 = all */
	int64_t since_ns;	/* 0 = no limit */
	int64_t limit;		/* -1 = none */
};

/* Turns CRI lines into output: kubelet's logWriter. */
struct log_writer {
	int64_t since_ns;
	bool timestamps;
	bool new_line;		/* the previous line was not partial */
	int64_t remain;		/* bytes left; -1 = unlimited */
};

struct log_follow {
	struct api *api;
	struct api_route rt;
	char *path;
	char *container;
	int attempt;
	int fd;
	ino_t ino;
	struct log_writer w;
	struct buf pending;	/* read, no '\n' yet */
	struct buf out;		/* produced, not handed out */
	size_t out_off;
	struct timespec last_check;
	bool done;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * KTIME_NS_PER_SEC + ts.tv_nsec;
}

/* --- options --- */

static int parse_int(const struct api_req *req, const char *key,
		     int64_t *out, struct err *e)
{
	const char *v = api_query(req, key);
	char *end;
	long long n;

	if (!v)
		return 0;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (!*v || *end || errno)
		return err_set(e, ERR_BAD_REQUEST, "couldn't parse %s: strconv.ParseInt: parsing \"%s\": invalid syntax",
			       key, v);
	*out = n;
	return 1;
}

static bool query_true(const struct api_req *req, const char *key)
{
	const char *v = api_query(req, key);

	return v && (!strcasecmp(v, "true") || !strcmp(v, "1"));
}

static int invalid(struct err *e, const char *pod, const char *field,
		   long long v, const char *what)
{
	return err_set(e, ERR_INVALID, "PodLogOptions \"%s\" is invalid: %s: Invalid value: %lld: %s",
		       pod, field, v, what);
}

static int since_time(const struct api_req *req, const char *pod,
		      struct log_opts *o, bool have_secs, struct err *e)
{
	const char *v = api_query(req, "sinceTime");
	struct ktime t;

	if (!v)
		return 0;
	if (have_secs)
		return err_set(e, ERR_INVALID, "PodLogOptions \"%s\" is invalid: sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified",
			       pod);
	if (ktime_parse(v, &t, e) < 0)
		return err_set(e, ERR_BAD_REQUEST, "%s", e->msg);
	o->since_ns = t.sec * KTIME_NS_PER_SEC + t.nsec;
	return 0;
}

/* Query parameters into o; 400/422 as the apiserver answers. */
static int parse_opts(const struct api_req *req, const char *pod,
		      struct log_opts *o, struct err *e)
{
	int64_t secs = 0;
	int has_secs, rc;

	memset(o, 0, sizeof(*o));
	o->tail = -1;
	o->limit = -1;
	o->container = api_query(req, "container");
	if (o->container && !*o->container)
		o->container = NULL;
	o->follow = query_true(req, "follow");
	o->previous = query_true(req, "previous");
	o->timestamps = query_true(req, "timestamps");
	if ((rc = parse_int(req, "tailLines", &o->tail, e)) < 0 ||
	    (rc && o->tail < 0 &&
	     invalid(e, pod, "tailLines", o->tail, "must be greater than or equal to 0") < 0))
		return -1;
	if ((rc = parse_int(req, "limitBytes", &o->limit, e)) < 0 ||
	    (rc && o->limit < 1 &&
	     invalid(e, pod, "limitBytes", o->limit, "must be greater than 0") < 0))
		return -1;
	if ((has_secs = parse_int(req, "sinceSeconds", &secs, e)) < 0 ||
	    (has_secs && secs < 1 &&
	     invalid(e, pod, "sinceSeconds", secs, "must be greater than 0") < 0))
		return -1;
	if (has_secs)
		o->since_ns = now_ns() - (secs > 1000000000 ? 1000000000 : secs) *
					      KTIME_NS_PER_SEC;
	return since_time(req, pod, o, has_secs, e);
}

/* --- which container, which instance --- */

static const char *const spec_lists[] = {
	"spec.initContainers", "spec.containers", "spec.ephemeralContainers",
};
static const char *const status_lists[] = {
	"status.containerStatuses", "status.initContainerStatuses",
	"status.ephemeralContainerStatuses",
};

static bool has_container(const cJSON *pod, const char *name)
{
	const cJSON *c;

	for (size_t i = 0; i < 3; i++)
		cJSON_ArrayForEach(c, json_get(pod, spec_lists[i]))
			if (!strcmp(json_get_str(c, "name") ?: "", name))
				return true;
	return false;
}

/* The apiserver's ValidateContainer: default or check the name. */
static int choose_container(const cJSON *pod, const char *pod_name,
			    const char *want, const char **out, struct err *e)
{
	const cJSON *ctrs = json_get(pod, "spec.containers"), *c;
	struct buf names = BUF_INIT;
	int n = cJSON_GetArraySize(ctrs);

	if (want) {
		if (!has_container(pod, want))
			return err_set(e, ERR_BAD_REQUEST, "container %s is not valid for pod %s",
				       want, pod_name);
		*out = want;
		return 0;
	}
	if (n == 1) {
		*out = json_get_str(cJSON_GetArrayItem(ctrs, 0), "name") ?: "";
		return 0;
	}
	if (n == 0)
		return err_set(e, ERR_BAD_REQUEST, "pod %s does not have a container", pod_name);
	for (size_t i = 0; i < 3; i++)
		cJSON_ArrayForEach(c, json_get(pod, spec_lists[i]))
			buf_printf(&names, "%s%s", names.len ? " " : "",
				   json_get_str(c, "name") ?: "");
	err_set(e, ERR_BAD_REQUEST, "a container name must be specified for pod %s, choose one of: [%s]",
		pod_name, buf_cstr(&names));
	buf_free(&names);
	return -1;
}

static const cJSON *container_status(const cJSON *pod, const char *name)
{
	const cJSON *c;

	for (size_t i = 0; i < 3; i++)
		cJSON_ArrayForEach(c, json_get(pod, status_lists[i]))
			if (!strcmp(json_get_str(c, "name") ?: "", name))
				return c;
	return NULL;
}

/* The attempt a containerID ("runc://UID_CTR_N") names, else fallback. */
static int id_attempt(const char *cid, int fallback)
{
	const char *p, *uid, *ctr;
	char *buf;
	int n;

	if (!cid || !*cid)
		return fallback;
	p = strstr(cid, "://");
	if (layout_parse_container_id(p ? p + 3 : cid, &buf, &uid, &ctr, &n) < 0)
		return fallback;
	free(buf);
	return n;
}

static int waiting_error(const char *ctr, const char *pod, const cJSON *w,
			 struct err *e)
{
	const char *reason = json_get_str(w, "reason") ?: "";

	if (!strcmp(reason, "ErrImagePull"))
		reason = "image can't be pulled";
	else if (!strcmp(reason, "ImagePullBackOff"))
		reason = "trying and failing to pull image";
	return err_set(e, ERR_BAD_REQUEST, "container \"%s\" in pod \"%s\" is waiting to start: %s",
		       ctr, pod, reason);
}

/*
 * Kubelet's validateContainerLogStatus: the attempt whose log to read and
 * whether that instance still runs.  400 with kubelet's texts otherwise.
 */
static int pick_instance(const cJSON *pod, const char *pod_name,
			 const char *ctr, bool previous, int *attempt,
			 bool *running, struct err *e)
{
	const cJSON *cs = container_status(pod, ctr), *last, *term;
	int64_t restarts = 0;
	const char *cid;

	if (!cs)
		return err_set(e, ERR_BAD_REQUEST, "container \"%s\" in pod \"%s\" is not available",
			       ctr, pod_name);
	json_get_int(cs, "restartCount", &restarts);
	last = json_get(cs, "lastState.terminated");
	term = json_get(cs, "state.terminated");
	cid = json_get_str(cs, "containerID");
	*running = false;
	if (previous) {
		if (!last || (restarts < 1 && !json_get_str(last, "containerID")))
			return err_set(e, ERR_BAD_REQUEST, "previous terminated container \"%s\" in pod \"%s\" not found",
				       ctr, pod_name);
		*attempt = id_attempt(json_get_str(last, "containerID"), (int)restarts - 1);
	} else if (json_get(cs, "state.running")) {
		*attempt = id_attempt(cid, (int)restarts);
		*running = true;
	} else if (term || last) {
		*attempt = term ? id_attempt(json_get_str(term, "containerID") ?: cid,
					     (int)restarts)
				: id_attempt(json_get_str(last, "containerID"),
					     (int)restarts - 1);
	} else if (json_get(cs, "state.waiting")) {
		return waiting_error(ctr, pod_name, json_get(cs, "state.waiting"), e);
	} else {
		return err_set(e, ERR_BAD_REQUEST, "container \"%s\" in pod \"%s\" is waiting to start - no logs yet",
			       ctr, pod_name);
	}
	if (*attempt < 0)
		*attempt = 0;
	return 0;
}

/* --- CRI lines to text --- */

/* Write one CRI line; returns 1 once limitBytes is used up. */
static int write_line(struct log_writer *w, const char *line, size_t len,
		      struct buf *out)
{
	struct cri_log_line l;
	struct buf tmp = BUF_INIT;
	size_t n;
	bool prefix;

	if (cri_log_parse(line, len, &l) < 0)
		return 0;	/* kubelet logs and skips it */
	prefix = w->new_line;
	w->new_line = !l.partial;
	if (w->since_ns && l.ts_ns < w->since_ns)
		return 0;
	if (w->timestamps && prefix) {
		char ts[CRI_LOG_TS_MAX];

		buf_printf(&tmp, "%s ", cri_log_format_ts(l.ts_ns, ts));
	}
	buf_add(&tmp, l.text, l.len);
	if (!l.partial)
		buf_addc(&tmp, '\n');
	n = tmp.len;
	if (w->remain >= 0 && (int64_t)n > w->remain)
		n = (size_t)w->remain;
	buf_add(out, tmp.data, n);
	buf_free(&tmp);
	if (w->remain < 0)
		return 0;
	w->remain -= (int64_t)n;
	return w->remain <= 0;
}

/* Every complete line of [p, p+len); returns bytes consumed, *full set
 * when the limit was reached. */
static size_t write_lines(struct log_writer *w, const char *p, size_t len,
			  struct buf *out, bool *full)
{
	size_t off = 0;

	while (off < len && !*full) {
		const char *nl = memchr(p + off, '\n', len - off);

		if (!nl)
			break;
		*full = write_line(w, p + off, (size_t)(nl - (p + off)) + 1, out);
		off = (size_t)(nl - p) + 1;
	}
	return off;
}

/* Offset where the last n lines of fd (size bytes) start. */
static off_t tail_offset(int fd, off_t size, int64_t n)
{
	char buf[8192];
	off_t pos = size;
	bool last = true;

	if (n <= 0)
		return size;
	while (pos > 0) {
		size_t take = pos > (off_t)sizeof(buf) ? sizeof(buf) : (size_t)pos;
		ssize_t got = pread(fd, buf, take, pos - (off_t)take);

		if (got != (ssize_t)take)
			return 0;
		for (size_t i = take; i-- > 0;) {
			if (buf[i] != '\n')
				continue;
			if (last && pos - (off_t)take + (off_t)i == size - 1)
				continue;	/* the last line's own newline */
			if (--n == 0)
				return pos - (off_t)take + (off_t)i + 1;
		}
		last = false;
		pos -= (off_t)take;
	}
	return 0;
}

/* Open path at the offset the options ask for; -1 when missing. */
static int open_log(const char *path, const struct log_opts *o, ino_t *ino)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	off_t start;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -1;
	}
	*ino = st.st_ino;
	start = o->tail >= 0 ? tail_offset(fd, st.st_size, o->tail) : 0;
	if (lseek(fd, start, SEEK_SET) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Read fd to its end through the writer (non-follow answers). */
static void read_all(int fd, struct log_writer *w, struct buf *out)
{
	struct buf in = BUF_INIT;
	char chunk[CHUNK];
	ssize_t got;
	bool full = false;

	while ((got = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&in, chunk, (size_t)got);
	if (in.len && in.data[in.len - 1] != '\n')
		buf_addc(&in, '\n');	/* kubelet parses a last unterminated line */
	write_lines(w, in.data ? in.data : "", in.len, out, &full);
	buf_free(&in);
}

/* --- follow --- */

static long ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000 +
	       (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* Does the followed instance still run (per the pod's status)? */
static bool still_running(struct log_follow *f)
{
	const struct store_obj *so = NULL;
	cJSON *pod = NULL;
	struct err e;
	int attempt = -1;
	bool running = false;

	if (api_load(f->api, &f->rt, &so, &pod, &e) == 0 &&
	    pick_instance(pod, f->rt.name, f->container, false, &attempt,
			  &running, &e) < 0)
		running = false;
	store_obj_unref(so);
	cJSON_Delete(pod);
	return running && attempt == f->attempt;
}

/* After EOF: reopen a rotated file.  True when a new file was opened. */
static bool reopen_rotated(struct log_follow *f)
{
	struct stat st;
	int fd;

	if (stat(f->path, &st) < 0 || (f->fd >= 0 && st.st_ino == f->ino))
		return false;
	fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (f->fd >= 0)
		close(f->fd);
	f->fd = fd;
	f->ino = st.st_ino;
	return true;
}

/* One step: read what is there.  Returns bytes read (0 at EOF). */
static ssize_t follow_step(struct log_follow *f)
{
	char chunk[CHUNK];
	ssize_t got;
	size_t used;
	bool full = false;

	if (f->fd < 0)
		return 0;
	got = read(f->fd, chunk, sizeof(chunk));
	if (got <= 0)
		return 0;
	buf_add(&f->pending, chunk, (size_t)got);
	used = write_lines(&f->w, f->pending.data, f->pending.len, &f->out, &full);
	memmove(f->pending.data, f->pending.data + used, f->pending.len - used);
	f->pending.len -= used;
	if (full)
		f->done = true;
	return got;
}

/* At EOF: rotate, or decide the stream is over. */
static void follow_eof(struct log_follow *f)
{
	if (reopen_rotated(f))
		return;
	if (ms_since(&f->last_check) < CHECK_MS)
		return;
	clock_gettime(CLOCK_MONOTONIC, &f->last_check);
	if (still_running(f))
		return;
	while (!f->done && follow_step(f) > 0)	/* drain */
		;
	if (!f->done && f->pending.len) {
		bool full = false;

		buf_addc(&f->pending, '\n');
		write_lines(&f->w, f->pending.data, f->pending.len, &f->out, &full);
		f->pending.len = 0;
	}
	f->done = true;
}

static ssize_t follow_read(void *ctx, char *buf, size_t max)
{
	struct log_follow *f = ctx;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (f->out_off < f->out.len) {
			size_t n = f->out.len - f->out_off;

			n = n < max ? n : max;
			memcpy(buf, f->out.data + f->out_off, n);
			f->out_off += n;
			if (f->out_off == f->out.len)
				f->out_off = f->out.len = 0;
			return (ssize_t)n;
		}
		if (f->done)
			return 0;
		if (follow_step(f) > 0)
			continue;
		follow_eof(f);
		if (f->out.len || f->done)
			continue;
		if (ms_since(&t0) >= IDLE_MS)
			return -2;
		usleep(POLL_MS * 1000);
	}
}

static void follow_close(void *ctx)
{
	struct log_follow *f = ctx;

	if (f->fd >= 0)
		close(f->fd);
	buf_free(&f->pending);
	buf_free(&f->out);
	free(f->path);
	free(f->container);
	free(f);
}

static void start_follow(struct api *api, const struct api_route *rt,
			 char *path, const char *ctr, int attempt, int fd,
			 ino_t ino, const struct log_writer *w,
			 struct api_resp *resp)
{
	struct log_follow *f = xcalloc(1, sizeof(*f));

	f->api = api;
	f->rt = *rt;
	f->path = path;
	f->container = xstrdup(ctr);
	f->attempt = attempt;
	f->fd = fd;
	f->ino = ino;
	f->w = *w;
	buf_init(&f->pending);
	buf_init(&f->out);
	resp->status = 200;
	resp->content_type = "text/plain";
	resp->stream = xcalloc(1, sizeof(*resp->stream));
	resp->stream->ctx = f;
	resp->stream->read = follow_read;
	resp->stream->close = follow_close;
}

/* --- the handler --- */

static void reply_text(struct api_resp *resp, struct buf *text)
{
	resp->status = 200;
	resp->content_type = "text/plain";
	buf_reset(&resp->body);
	if (text->len)
		buf_add(&resp->body, text->data, text->len);
}

/* Serve the chosen instance's file (pod and options validated). */
static void serve(struct api *api, const struct api_route *rt,
		  const cJSON *pod, const char *ctr, int attempt,
		  bool running, const struct log_opts *o,
		  struct api_resp *resp)
{
	struct log_writer w = { .since_ns = o->since_ns, .new_line = true,
				.timestamps = o->timestamps, .remain = o->limit };
	char *path = layout_container_log(api->data_dir ? api->data_dir : ".",
					  rt->ns, rt->name,
					  json_get_str(pod, "metadata.uid") ?: "",
					  ctr, attempt);
	struct buf out = BUF_INIT;
	ino_t ino = 0;
	int fd = open_log(path, o, &ino);

	if (o->follow && running) {
		start_follow(api, rt, path, ctr, attempt, fd, ino, &w, resp);
		return;
	}
	if (fd >= 0) {
		read_all(fd, &w, &out);
		close(fd);
	}
	reply_text(resp, &out);
	buf_free(&out);
	free(path);
}

void api_log(struct api *api, const struct api_req *req,
	     struct api_route *rt, struct api_resp *resp)
{
	const struct store_obj *so = NULL;
	cJSON *pod = NULL;
	struct log_opts o;
	const char *ctr = NULL;
	int attempt = 0;
	bool running = false, notfound = false;
	struct err e;

	err_clear(&e);
	if (strcmp(rt->verb, "get")) {
		err_set(&e, ERR_METHOD, "the server does not allow this method on the requested resource");
		goto fail;
	}
	if (api_load(api, rt, &so, &pod, &e) < 0) {
		notfound = true;
		goto fail;
	}
	if (parse_opts(req, rt->name, &o, &e) < 0 ||
	    choose_container(pod, rt->name, o.container, &ctr, &e) < 0)
		goto fail;
	if (!*(json_get_str(pod, "spec.nodeName") ?: "")) {
		struct buf none = BUF_INIT;

		reply_text(resp, &none);	/* not scheduled: nothing yet */
		goto out;
	}
	if (pick_instance(pod, rt->name, ctr, o.previous, &attempt, &running,
			  &e) < 0)
		goto fail;
	serve(api, rt, pod, ctr, attempt, running, &o, resp);
	goto out;
fail:
	api_reply_err(resp, &e, notfound ? rt : NULL);
out:
	store_obj_unref(so);
	cJSON_Delete(pod);
}
