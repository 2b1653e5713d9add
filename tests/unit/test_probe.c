/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_probe: probe actions against real servers on 127.0.0.1 started by
 * the test (tests/unit/probe_server.py): httpGet codes, redirects (same
 * host followed, other host a warning, loops), headers, Host, timeouts,
 * refused connections; tcpSocket open and closed; grpc
 * health SERVING / NOT_SERVING / NotFound / Unimplemented / refused (when
 * python3-grpcio is installed); https without verification; exec without
 * a runtime; port names.
 */
#include "config.h"

#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cluster/node/probe.h"
#include "common/json.h"
#include "common/mem.h"
#include "../tap.h"

static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		abort();
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static int http_port, hang_port, grpc_port, empty_port, closed_port, tls_port;
static pid_t server = -1;
static char ready[256];

/* Start probe_server.py; 0 = up (*parts: "http[,grpc][,tls]"). */
static int start_server(char *parts, size_t n)
{
	const char *py = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
	char a[5][32];
	FILE *f;

	snprintf(ready, sizeof(ready), "%s/test_probe.%d", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (int)getpid());
	unlink(ready);
	http_port = free_port();
	hang_port = free_port();
	grpc_port = free_port();
	empty_port = free_port();
	closed_port = free_port();
	tls_port = free_port();
	snprintf(a[0], 32, "%d", http_port);
	snprintf(a[1], 32, "%d", hang_port);
	snprintf(a[2], 32, "%d", grpc_port);
	snprintf(a[3], 32, "%d", empty_port);
	snprintf(a[4], 32, "%d", tls_port);
	server = fork();
	if (server == 0) {
		execlp(py, py, KDECK_SRCDIR "/tests/unit/probe_server.py", ready,
		       a[0], a[1], a[2], a[3], a[4], (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) {
		f = fopen(ready, "r");
		if (f) {
			if (fgets(parts, (int)n, f) && parts[0]) {
				fclose(f);
				return 0;
			}
			fclose(f);
		}
		usleep(50000);
	}
	return -1;
}

static void stop_server(void)
{
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
	}
	unlink(ready);
}

struct pcase {
	const char *name;
	const char *probe;	/* JSON with @H (HTTP port), @G, @E, @N (hang), @C (closed) */
	enum probe_result want;
	const char *msg;	/* prefix of the message */
};

static const char ctr_json[] =
	"{\"name\":\"c\",\"ports\":[{\"name\":\"web\",\"containerPort\":@H},"
	"{\"name\":\"health\",\"containerPort\":@G}]}";

static const struct pcase http_cases[] = {
	{ "http 200", "{\"httpGet\":{\"path\":\"/ok\",\"port\":@H}}", PROBE_SUCCESS, "" },
	{ "http path without slash", "{\"httpGet\":{\"path\":\"ok\",\"port\":@H}}", PROBE_SUCCESS, "" },
	{ "http port by name", "{\"httpGet\":{\"path\":\"/ok\",\"port\":\"web\"}}", PROBE_SUCCESS, "" },
	{ "http port as a string number", "{\"httpGet\":{\"path\":\"/ok\",\"port\":\"@H\"}}", PROBE_SUCCESS, "" },
	{ "http 399 is success", "{\"httpGet\":{\"path\":\"/status/399\",\"port\":@H}}", PROBE_SUCCESS, "" },
	{ "http 503", "{\"httpGet\":{\"path\":\"/status/503\",\"port\":@H}}", PROBE_FAILURE,
	  "HTTP probe failed with statuscode: 503" },
	{ "http 404", "{\"httpGet\":{\"path\":\"/nothing\",\"port\":@H}}", PROBE_FAILURE,
	  "HTTP probe failed with statuscode: 404" },
	{ "redirect to the same host followed", "{\"httpGet\":{\"path\":\"/redirect-same\",\"port\":@H}}",
	  PROBE_SUCCESS, "" },
	{ "redirect then 500", "{\"httpGet\":{\"path\":\"/redirect-fail\",\"port\":@H}}", PROBE_FAILURE,
	  "HTTP probe failed with statuscode: 500" },
	{ "redirect to another host", "{\"httpGet\":{\"path\":\"/redirect-other\",\"port\":@H}}",
	  PROBE_WARNING, "Probe terminated redirects, Response body: moved" },
	{ "redirect loop", "{\"httpGet\":{\"path\":\"/redirect-loop\",\"port\":@H}}", PROBE_FAILURE,
	  "Get \"http://127.0.0.1:@H/redirect-loop\": stopped after 10 redirects" },
	{ "default headers plus httpHeaders",
	  "{\"httpGet\":{\"path\":\"/headers\",\"port\":@H,\"httpHeaders\":[{\"name\":\"X-Probe\",\"value\":\"yes\"}]}}",
	  PROBE_SUCCESS, "" },
	{ "User-Agent overridden",
	  "{\"httpGet\":{\"path\":\"/agent\",\"port\":@H,\"httpHeaders\":[{\"name\":\"User-Agent\",\"value\":\"custom\"}]}}",
	  PROBE_SUCCESS, "" },
	{ "Host header",
	  "{\"httpGet\":{\"path\":\"/host\",\"port\":@H,\"httpHeaders\":[{\"name\":\"Host\",\"value\":\"example.test\"}]}}",
	  PROBE_SUCCESS, "" },
	{ "http refused", "{\"httpGet\":{\"path\":\"/healthz\",\"port\":@C}}", PROBE_FAILURE,
	  "Get \"http://127.0.0.1:@C/healthz\": dial tcp 127.0.0.1:@C: connect: connection refused" },
	{ "http timeout", "{\"httpGet\":{\"path\":\"/slow\",\"port\":@H},\"timeoutSeconds\":1}", PROBE_FAILURE,
	  "Get \"http://127.0.0.1:@H/slow\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)" },
	{ "http never accepted", "{\"httpGet\":{\"path\":\"/\",\"port\":@N}}", PROBE_FAILURE,
	  "Get \"http://127.0.0.1:@N/\": context deadline exceeded" },
	{ "explicit host", "{\"httpGet\":{\"host\":\"127.0.0.1\",\"path\":\"/ok\",\"port\":@H}}", PROBE_SUCCESS, "" },
	{ "unknown port name", "{\"httpGet\":{\"path\":\"/ok\",\"port\":\"nope\"}}", PROBE_FAILURE,
	  "strconv.Atoi: parsing \"nope\": invalid syntax" },
	{ "port out of range", "{\"httpGet\":{\"path\":\"/ok\",\"port\":70000}}", PROBE_FAILURE,
	  "invalid port number: 70000" },
	{ "tcp open", "{\"tcpSocket\":{\"port\":@H}}", PROBE_SUCCESS, "" },
	{ "tcp by name", "{\"tcpSocket\":{\"port\":\"web\"}}", PROBE_SUCCESS, "" },
	{ "tcp refused", "{\"tcpSocket\":{\"port\":@C}}", PROBE_FAILURE,
	  "dial tcp 127.0.0.1:@C: connect: connection refused" },
	{ "exec without a runtime", "{\"exec\":{\"command\":[\"cat\",\"/tmp/healthy\"]}}", PROBE_FAILURE,
	  "exec probe: no container runtime to run \"cat /tmp/healthy\" in" },
	{ "exec without a command", "{\"exec\":{}}", PROBE_FAILURE, "exec probe: no command" },
	{ "no handler", "{\"periodSeconds\":3}", PROBE_FAILURE, "missing probe handler" },
};

static const struct pcase tls_cases[] = {
	{ "https, certificate not verified", "{\"httpGet\":{\"scheme\":\"HTTPS\",\"path\":\"/ok\",\"port\":@S}}",
	  PROBE_SUCCESS, "" },
	{ "https 503", "{\"httpGet\":{\"scheme\":\"HTTPS\",\"path\":\"/status/503\",\"port\":@S}}",
	  PROBE_FAILURE, "HTTP probe failed with statuscode: 503" },
};

static const struct pcase grpc_cases[] = {
	{ "grpc serving", "{\"grpc\":{\"port\":@G}}", PROBE_SUCCESS, "" },
	{ "grpc port by name", "{\"grpc\":{\"port\":\"health\"}}", PROBE_SUCCESS, "" },
	{ "grpc service serving", "{\"grpc\":{\"port\":@G,\"service\":\"web\"}}", PROBE_SUCCESS, "" },
	{ "grpc not serving", "{\"grpc\":{\"port\":@G,\"service\":\"down\"}}", PROBE_FAILURE,
	  "service unhealthy (responded with \"NOT_SERVING\")" },
	{ "grpc NotFound", "{\"grpc\":{\"port\":@G,\"service\":\"missing\"}}", PROBE_FAILURE,
	  "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service" },
	{ "grpc timeout", "{\"grpc\":{\"port\":@G,\"service\":\"slow\"},\"timeoutSeconds\":1}", PROBE_FAILURE,
	  "timeout: health rpc did not complete within 1s" },
	{ "grpc unimplemented", "{\"grpc\":{\"port\":@E}}", PROBE_FAILURE,
	  "error: this server does not implement the grpc health protocol (grpc.health.v1.Health)" },
	{ "grpc refused", "{\"grpc\":{\"port\":@C}}", PROBE_FAILURE,
	  "error: health rpc probe failed: rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp 127.0.0.1:@C: connect: connection refused\"" },
};

/* Replace the @X port markers. */
static char *subst(const char *s)
{
	struct buf b = BUF_INIT;

	for (; *s; s++) {
		int port = -1;

		if (*s == '@') {
			switch (s[1]) {
			case 'H': port = http_port; break;
			case 'G': port = grpc_port; break;
			case 'E': port = empty_port; break;
			case 'N': port = hang_port; break;
			case 'C': port = closed_port; break;
			case 'S': port = tls_port; break;
			}
		}
		if (port < 0) {
			buf_addc(&b, *s);
			continue;
		}
		buf_printf(&b, "%d", port);
		s++;
	}
	return buf_take(&b);
}

static void run_cases(const struct pcase *cs, size_t n)
{
	char *ctr_s = subst(ctr_json);
	cJSON *ctr = cJSON_Parse(ctr_s);

	for (size_t i = 0; i < n; i++) {
		char *ps = subst(cs[i].probe), *want = subst(cs[i].msg), *msg = NULL;
		cJSON *probe = cJSON_Parse(ps);
		enum probe_result r = probe_run(NULL, NULL, "127.0.0.1", ctr, probe, &msg);

		is_int(r, cs[i].want, "%s: result", cs[i].name);
		/*
		 * Known issue: grpc-core answers an unknown method before it
		 * reads the request body, and libcurl 7.88 then often loses
		 * the trailers-only answer ("Error in the HTTP2 framing
		 * layer"); the probe still fails, with the transport's text.
		 */
		if (msg && strstr(cs[i].name, "unimplemented") &&
		    strstr(msg, "HTTP2 framing layer")) {
			printf("# %s: libcurl lost the trailers-only answer\n", cs[i].name);
			free(want);
			want = xstrdup("error: health rpc probe failed: rpc error: code = Unavailable");
		}
		if (!ok(msg && !strncmp(msg, want, strlen(want)) && (want[0] || !msg[0]),
			"%s: message", cs[i].name))
			printf("#   got: %s\n#  want: %s\n", msg ? msg : "(null)", want);
		cJSON_Delete(probe);
		free(ps);
		free(want);
		free(msg);
	}
	cJSON_Delete(ctr);
	free(ctr_s);
}

int main(void)
{
	char parts[64] = "";
	cJSON *probe = cJSON_Parse("{\"tcpSocket\":{\"port\":80}}");

	if (start_server(parts, sizeof(parts)) < 0) {
		stop_server();
		cJSON_Delete(probe);
		printf("1..0 # SKIP probe_server.py did not start (python3 missing?)\n");
		return 0;
	}
	is_int(probe_run(NULL, NULL, NULL, NULL, probe, NULL), PROBE_FAILURE,
	       "no pod IP and no host: failure, NULL msg allowed");
	cJSON_Delete(probe);
	run_cases(http_cases, sizeof(http_cases) / sizeof(http_cases[0]));
	if (strstr(parts, "tls"))
		run_cases(tls_cases, sizeof(tls_cases) / sizeof(tls_cases[0]));
	else
		printf("# openssl not installed: https cases skipped\n");
	if (strstr(parts, "grpc"))
		run_cases(grpc_cases, sizeof(grpc_cases) / sizeof(grpc_cases[0]));
	else
		printf("# python3-grpcio not installed: grpc cases skipped\n");
	stop_server();
	return tap_done();
}
