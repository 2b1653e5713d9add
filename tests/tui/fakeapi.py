# SPDX-License-Identifier: Apache-2.0
# A tiny stand-in Kubernetes API for the dashboard's client-source test:
# legacy discovery, Table lists, a watch that stays open, GET of objects,
# events, logs, DELETE, PUT (the first one conflicts) and PATCH.  Every request is appended to LOG.
# Usage: python3 fakeapi.py PORT LOG
# FAKEAPI_SIDECAR=1: api-1 has a second container "side", its default
# (the kubectl.kubernetes.io/default-container annotation).
# FAKEAPI_EXEC_SILENT=1: exec/attach upgrades are accepted and never answered.
# FAKEAPI_LIST_DELAY=S: pod lists answer after S seconds (the spinner).
# FAKEAPI_LOG_HOLD=1: a log request is answered with "POD/CONTAINER q=QUERY"
# and, when followed, held open (the query parameters show on screen).
# FAKEAPI_METRICS=FILE: metrics.k8s.io is served; FILE (JSON, re-read on
# every request) holds {"node": ["cpu usage", "memory usage"], ...} and
# /api/v1/nodes lists those nodes plus one without metrics, each with
# allocatable cpu 4 and memory 8Gi.
# FAKEAPI_LOG_LINES=N: a followed log (follow=true) streams N numbered
# lines as fast as it can ("line 1" .. "line N"), then stays open
# (the dashboard benchmark's log source).
import json, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, LOG = int(sys.argv[1]), sys.argv[2]
PODS = {("default", "api-1"): "Running", ("default", "api-2"): "Pending",
        ("kube-system", "dns-0"): "Running"}
RES = {
    "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
        {"name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod",
         "verbs": ["get", "list", "watch", "delete", "update", "patch"], "shortNames": ["po"]},
        {"name": "namespaces", "singularName": "namespace", "namespaced": False,
         "kind": "Namespace", "verbs": ["get", "list", "watch"], "shortNames": ["ns"]},
        {"name": "secrets", "singularName": "secret", "namespaced": True,
         "kind": "Secret", "verbs": ["get", "list", "watch"]},
        {"name": "events", "singularName": "event", "namespaced": True,
         "kind": "Event", "verbs": ["get", "list", "watch"], "shortNames": ["ev"]}]},
    "/apis/apps/v1": {"kind": "APIResourceList", "groupVersion": "apps/v1", "resources": [
        {"name": "deployments", "singularName": "deployment", "namespaced": True,
         "kind": "Deployment", "verbs": ["get", "list", "watch", "patch"],
         "shortNames": ["deploy"]}]},
}

def pod(ns, name):
    p = {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": name, "namespace": ns, "labels": {"app": name.split("-")[0]},
                      "resourceVersion": "5", "managedFields": [{"manager": "x"}]},
         "spec": {"nodeName": "node-1", "containers": [{"name": "main", "image": "busybox"}]},
         "status": {"phase": PODS[(ns, name)]}}
    if os.environ.get("FAKEAPI_SIDECAR") and name == "api-1":
        p["spec"]["containers"].append({"name": "side", "image": "alpine"})
        p["metadata"]["annotations"] = {"kubectl.kubernetes.io/default-container": "side"}
    return p

def deploy():
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "api", "namespace": "default", "uid": "d1"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "api"}},
                     "template": {"metadata": {"labels": {"app": "api"}},
                                  "spec": {"containers": [{"name": "main", "image": "busybox"}]}}}}

def table(rows_of, cols):
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "10"},
            "columnDefinitions": [{"name": c, "type": "string", "priority": p} for c, p in cols],
            "rows": rows_of}

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def send(self, code, body, ctype="application/json"):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def note(self):
        with open(LOG, "a") as f:
            f.write("%s %s\n" % (self.command, self.path))
    def do_GET(self):
        self.note()
        path, _, q = self.path.partition("?")
        if os.environ.get("FAKEAPI_EXEC_SILENT") and path.endswith(("/exec", "/attach")):
            time.sleep(60)
            return
        if path == "/version":
            return self.send(200, {"gitVersion": "v1.31.9-fake"})
        if path == "/api":
            return self.send(200, {"kind": "APIVersions", "versions": ["v1"]})
        metrics = os.environ.get("FAKEAPI_METRICS")
        if path == "/apis":
            groups = [{"name": "apps",
                "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
                "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}}]
            if metrics:
                groups.append({"name": "metrics.k8s.io",
                    "versions": [{"groupVersion": "metrics.k8s.io/v1beta1", "version": "v1beta1"}],
                    "preferredVersion": {"groupVersion": "metrics.k8s.io/v1beta1", "version": "v1beta1"}})
            return self.send(200, {"kind": "APIGroupList", "groups": groups})
        if metrics and path == "/apis/metrics.k8s.io/v1beta1":
            return self.send(200, {"kind": "APIResourceList", "groupVersion": "metrics.k8s.io/v1beta1",
                "resources": [{"name": "nodes", "singularName": "", "namespaced": False,
                               "kind": "NodeMetrics", "verbs": ["get", "list"]}]})
        if metrics and path == "/api/v1":
            res = json.loads(json.dumps(RES[path]))
            res["resources"].append({"name": "nodes", "singularName": "node", "namespaced": False,
                                     "kind": "Node", "verbs": ["get", "list", "watch"], "shortNames": ["no"]})
            return self.send(200, res)
        if path in RES:
            return self.send(200, RES[path])
        if metrics and "watch=" not in q and path in ("/apis/metrics.k8s.io/v1beta1/nodes", "/api/v1/nodes"):
            with open(metrics) as f:
                usage = json.load(f)
            if path == "/api/v1/nodes":
                nodes = [{"kind": "Node", "apiVersion": "v1", "metadata": {"name": n},
                          "status": {"allocatable": {"cpu": "4", "memory": "8Gi"}}}
                         for n in list(usage) + ["no-metrics"]]
                if "as=Table" in (self.headers.get("Accept") or ""):
                    return self.send(200, table([{"cells": [n["metadata"]["name"], "Ready"],
                                                  "object": n} for n in nodes],
                                                [("Name", 0), ("Status", 0)]))
                return self.send(200, {"kind": "NodeList", "apiVersion": "v1", "metadata": {},
                                       "items": nodes})
            return self.send(200, {"kind": "NodeMetricsList", "apiVersion": "metrics.k8s.io/v1beta1",
                "metadata": {}, "items": [{"metadata": {"name": n}, "window": "20s",
                    "usage": {"cpu": u[0], "memory": u[1]}} for n, u in usage.items()]})
        if "watch=" in q:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            time.sleep(30)
            return
        parts = path.strip("/").split("/")
        if path.endswith("/secrets"):
            return self.send(403, {"kind": "Status", "status": "Failure", "reason": "Forbidden",
                "code": 403, "message": 'secrets is forbidden: User "tester" cannot list resource "secrets"'})
        if path.endswith("/events"):
            return self.send(200, {"kind": "EventList", "items": [{"type": "Warning",
                "reason": "FailedScheduling", "count": 2, "message": "0/1 nodes are available",
                "involvedObject": {"name": "api-2", "namespace": "default"}}]})
        as_table = "as=Table" in (self.headers.get("Accept") or "")
        if path.endswith("/deployments"):
            dns = parts[parts.index("namespaces") + 1] if "namespaces" in parts else None
            deps = [deploy()] if dns in (None, "default") else []
            if not as_table:
                return self.send(200, {"kind": "DeploymentList", "apiVersion": "apps/v1",
                                       "metadata": {}, "items": deps})
            rows = [{"cells": ["api", "1/2", 2, 1, "5m"], "object": {"kind": "PartialObjectMetadata",
                     "metadata": {"name": "api", "namespace": "default"}}} for _ in deps]
            return self.send(200, table(rows, [("Name", 0), ("Ready", 0), ("Up-to-date", 0),
                                               ("Available", 0), ("Age", 0)]))
        if path == "/apis/apps/v1/namespaces/default/deployments/api":
            return self.send(200, deploy())
        if path.endswith("/pods"):
            time.sleep(float(os.environ.get("FAKEAPI_LIST_DELAY", "0")))
            ns = parts[3] if len(parts) > 4 else None
            if not as_table:
                return self.send(200, {"kind": "PodList", "apiVersion": "v1", "metadata": {},
                    "items": [pod(s, n) for (s, n) in sorted(PODS) if ns in (None, s)]})
            rows = [{"cells": [n, "1/1", st, 0, "5m"], "object": {"kind": "PartialObjectMetadata",
                     "metadata": {"name": n, "namespace": s, "labels": {"app": n.split("-")[0]}}}}
                    for (s, n), st in sorted(PODS.items()) if ns in (None, s)]
            return self.send(200, table(rows, [("Name", 0), ("Ready", 0), ("Status", 0),
                                               ("Restarts", 0), ("Age", 0), ("Node", 1)]))
        if path.endswith("/log") and "follow=true" in q and os.environ.get("FAKEAPI_LOG_LINES"):
            return self.stream_log(int(os.environ["FAKEAPI_LOG_LINES"]))
        if path.endswith("/log") and os.environ.get("FAKEAPI_LOG_HOLD"):
            return self.hold_log(parts[5], q)
        if path.endswith("/log"):
            return self.send(200, "line one\nline two\n", "text/plain")
        if len(parts) == 6 and parts[4] == "pods":
            return self.send(200, pod(parts[3], parts[5]))
        return self.send(404, {"kind": "Status", "status": "Failure", "reason": "NotFound",
                               "code": 404, "message": "not found"})
    def hold_log(self, name, q):
        args = dict(kv.split("=", 1) for kv in q.split("&") if "=" in kv)
        data = ("%s/%s q=%s\n" % (name, args.get("container", "-"), q)).encode()
        if "follow=true" not in q:
            return self.send(200, data.decode(), "text/plain")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
        except OSError:
            return  # the dashboard restarted the stream already
        time.sleep(120)
    def stream_log(self, n):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        step = 20000
        for start in range(1, n + 1, step):
            data = "".join("line %d of a chatty container, padded to look like a log line\n" % i
                           for i in range(start, min(n + 1, start + step))).encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()
        time.sleep(600)
    def do_DELETE(self):
        self.note()
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode() if n else ""
        with open(LOG, "a") as f:
            f.write("body %s\n" % body)
        parts = self.path.split("?")[0].strip("/").split("/")
        PODS.pop((parts[3], parts[5]), None)
        return self.send(200, {"kind": "Status", "status": "Success"})

    def do_PUT(self):
        # the first PUT conflicts (someone else wrote the object), the
        # next one succeeds
        self.note()
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode() if n else ""
        with open(LOG, "a") as f:
            f.write("body %s\n" % body)
        H.puts = getattr(H, "puts", 0) + 1
        if H.puts == 1:
            return self.send(409, {"kind": "Status", "status": "Failure", "reason": "Conflict",
                "code": 409, "message": 'Operation cannot be fulfilled on pods "api-1": '
                "the object has been modified; please apply your changes to the latest "
                "version and try again"})
        return self.send(200, json.loads(body))
    def do_PATCH(self):
        self.note()
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode() if n else ""
        with open(LOG, "a") as f:
            f.write("body %s %s\n" % (self.headers.get("Content-Type"), body))
        return self.send(200, {"kind": "Scale", "spec": {"replicas": 1}})

ThreadingHTTPServer(("127.0.0.1", PORT), H).serve_forever()
