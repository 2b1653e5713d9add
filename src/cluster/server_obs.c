/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_obs: the HTTP server's own figures for /metrics, in Prometheus
 * text format: requests by method and code, a latency histogram, requests
 * in flight and open streams.  Latency is measured until the handler has
 * a response (a stream counts until its headers are queued, not until it
 * ends).  One mutex guards the table; every connection thread updates it.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/server.h"
#include "common/mem.h"

#define OBS_SLOTS 96

static const double buckets[] = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct obs_slot {
	char method[16];
	int code;
	unsigned long long count;
};

struct server_obs {
	pthread_mutex_t lock;
	struct obs_slot slots[OBS_SLOTS];
	size_t nslots;
	unsigned long long overflow; /* method/code pairs past the table */
	unsigned long long hist[NBUCKETS + 1];
	double sum;
	unsigned long long total;
	long inflight, streams;
};

struct server_obs *server_obs_new(void)
{
	struct server_obs *o = xcalloc(1, sizeof(*o));

	pthread_mutex_init(&o->lock, NULL);
	return o;
}

void server_obs_free(struct server_obs *o)
{
	if (!o)
		return;
	pthread_mutex_destroy(&o->lock);
	free(o);
}

void server_obs_begin(struct server_obs *o)
{
	pthread_mutex_lock(&o->lock);
	o->inflight++;
	pthread_mutex_unlock(&o->lock);
}

static struct obs_slot *slot_for(struct server_obs *o, const char *method,
				 int code)
{
	for (size_t i = 0; i < o->nslots; i++)
		if (o->slots[i].code == code &&
		    !strcmp(o->slots[i].method, method))
			return &o->slots[i];
	if (o->nslots == OBS_SLOTS)
		return NULL;
	snprintf(o->slots[o->nslots].method, sizeof(o->slots[0].method), "%s",
		 method);
	o->slots[o->nslots].code = code;
	return &o->slots[o->nslots++];
}

void server_obs_end(struct server_obs *o, const char *method, int code,
		    double seconds)
{
	struct obs_slot *s;
	size_t b = 0;

	while (b < NBUCKETS && seconds > buckets[b])
		b++;
	pthread_mutex_lock(&o->lock);
	o->inflight--;
	if ((s = slot_for(o, method, code)))
		s->count++;
	else
		o->overflow++;
	o->hist[b]++;
	o->sum += seconds;
	o->total++;
	pthread_mutex_unlock(&o->lock);
}

void server_obs_stream(struct server_obs *o, int delta)
{
	pthread_mutex_lock(&o->lock);
	o->streams += delta;
	pthread_mutex_unlock(&o->lock);
}

long server_obs_inflight(struct server_obs *o)
{
	long n;

	pthread_mutex_lock(&o->lock);
	n = o->inflight;
	pthread_mutex_unlock(&o->lock);
	return n;
}

long server_obs_streams(struct server_obs *o)
{
	long n;

	pthread_mutex_lock(&o->lock);
	n = o->streams;
	pthread_mutex_unlock(&o->lock);
	return n;
}

static void render_hist(const struct server_obs *o, struct buf *out)
{
	unsigned long long cum = 0;

	buf_adds(
	    out,
	    "# HELP kdeck_http_request_duration_seconds Time to a response.\n"
	    "# TYPE kdeck_http_request_duration_seconds histogram\n");
	for (size_t b = 0; b < NBUCKETS; b++) {
		cum += o->hist[b];
		buf_printf(out,
			   "kdeck_http_request_duration_seconds_bucket{le=\"%"
			   "g\"} %llu\n",
			   buckets[b], cum);
	}
	buf_printf(
	    out,
	    "kdeck_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
	    "kdeck_http_request_duration_seconds_sum %.6f\n"
	    "kdeck_http_request_duration_seconds_count %llu\n",
	    o->total, o->sum, o->total);
}

void server_obs_render(struct server_obs *o, struct buf *out)
{
	pthread_mutex_lock(&o->lock);
	buf_adds(out, "# HELP kdeck_http_requests_total HTTP requests by "
		      "method and code.\n"
		      "# TYPE kdeck_http_requests_total counter\n");
	for (size_t i = 0; i < o->nslots; i++)
		buf_printf(out,
			   "kdeck_http_requests_total{method=\"%s\",code=\"%"
			   "d\"} %llu\n",
			   o->slots[i].method, o->slots[i].code,
			   o->slots[i].count);
	if (o->overflow)
		buf_printf(out,
			   "kdeck_http_requests_total{method=\"other\",code="
			   "\"other\"} %llu\n",
			   o->overflow);
	render_hist(o, out);
	buf_printf(
	    out,
	    "# HELP kdeck_http_requests_in_flight Requests being handled.\n"
	    "# TYPE kdeck_http_requests_in_flight gauge\n"
	    "kdeck_http_requests_in_flight %ld\n"
	    "# HELP kdeck_http_open_streams Open watch and log streams.\n"
	    "# TYPE kdeck_http_open_streams gauge\n"
	    "kdeck_http_open_streams %ld\n",
	    o->inflight, o->streams);
	pthread_mutex_unlock(&o->lock);
}
