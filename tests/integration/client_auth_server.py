# SPDX-License-Identifier: Apache-2.0
# A plain-HTTP stand-in API server for tests/integration/client_auth.sh: it
# checks only what the client layer sends for credentials, not Kubernetes
# semantics (those are tested against the embedded cluster).
#
#   discovery: /api, /apis, /api/v1 with configmaps only
#   GET  .../configmaps?watch=...  an ADDED event every 100 ms, forever
#   GET  .../configmaps/NAME       a ConfigMap whose data.token is the
#                                  bearer token that came with it
#   any request with the token "revoked" gets a 401 Status
#
# Every request is logged to LOG as "PATH TOKEN" (TOKEN "-" when none).
#
# usage: client_auth_server.py PORT LOG [silent PORT2]
# With "silent PORT2" it also listens on PORT2, accepts connections and
# never answers them (a server that hangs discovery).
import json, socket, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, logpath = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()

RESOURCES = {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
    {"name": "configmaps", "singularName": "configmap", "namespaced": True,
     "kind": "ConfigMap", "verbs": ["get", "list", "watch"],
     "shortNames": ["cm"]}]}


def silent(p):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", p))
    s.listen(64)
    held = []
    while True:
        c, _ = s.accept()
        held.append(c)      # keep it open, never answer


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def token(self):
        a = self.headers.get("Authorization", "")
        return a[7:] if a.startswith("Bearer ") else "-"

    def send(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        tok = self.token()
        with lock, open(logpath, "a") as f:
            f.write("%s %s\n" % (self.path, tok))
        if tok == "revoked":
            return self.send(401, {"kind": "Status", "apiVersion": "v1",
                                   "status": "Failure", "code": 401,
                                   "reason": "Unauthorized",
                                   "message": "Unauthorized"})
        p, _, q = self.path.partition("?")
        if p == "/api":
            return self.send(200, {"kind": "APIVersions", "versions": ["v1"]})
        if p == "/apis":
            return self.send(200, {"kind": "APIGroupList", "groups": []})
        if p == "/api/v1":
            return self.send(200, RESOURCES)
        if p == "/api/v1/namespaces/default/configmaps" and "watch=" in q:
            return self.watch()
        if p.startswith("/api/v1/namespaces/default/configmaps/"):
            name = p.rsplit("/", 1)[1]
            return self.send(200, {
                "kind": "ConfigMap", "apiVersion": "v1",
                "metadata": {"name": name, "namespace": "default",
                             "resourceVersion": "1"},
                "data": {"token": tok}})
        self.send(404, {"kind": "Status", "apiVersion": "v1", "code": 404,
                        "status": "Failure", "reason": "NotFound",
                        "message": "%s not found" % p})

    def watch(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        n = 0
        try:
            while True:
                n += 1
                ev = json.dumps({"type": "ADDED", "object": {
                    "kind": "ConfigMap", "apiVersion": "v1",
                    "metadata": {"name": "e%d" % n, "namespace": "default",
                                 "resourceVersion": str(n)}}}) + "\n"
                data = ev.encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass


if len(sys.argv) > 4 and sys.argv[3] == "silent":
    threading.Thread(target=silent, args=(int(sys.argv[4]),),
                     daemon=True).start()
ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
