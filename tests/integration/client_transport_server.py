# SPDX-License-Identifier: Apache-2.0
# A tiny HTTPS endpoint for tests/integration/client_transport.sh: it only
# checks what the client layer's transport sends (TLS with a private CA,
# client certificates, bearer tokens from an exec plugin, impersonation,
# User-Agent, gzip, retries on 503).  It is not a Kubernetes server: the
# API behaviour itself is tested against the embedded cluster.  The
# "wcm" configmaps script one informer life: list at rv 10, a watch that
# adds beta (rv 11), sends a BOOKMARK at rv 13 (as a Table, as the API
# server sends it under as=Table) and closes, a watch resumed from 13
# answered with an ERROR 410 event,
# a relist at rv 20, and a watch that deletes alpha.
import gzip, json, ssl, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, cert, key, ca, log = sys.argv[1:6]
flaky = {"n": 0}

RESOURCES = {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
    {"name": "configmaps", "singularName": "configmap", "namespaced": True,
     "kind": "ConfigMap", "verbs": ["get", "list"], "shortNames": ["cm"]}]}
TABLE = {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {},
         "columnDefinitions": [{"name": "Name", "type": "string", "priority": 0},
                               {"name": "Data", "type": "integer", "priority": 0},
                               {"name": "Extra", "type": "string", "priority": 1}],
         "rows": [{"cells": ["alpha", 2, "wide-only"],
                   "object": {"metadata": {"name": "alpha", "namespace": "default"}}}]}


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with open(log, "a") as f:
            f.write(json.dumps({"path": self.path, "headers": dict(self.headers),
                                "cert": bool(self.connection.getpeercert())}) + "\n")
        p = self.path.split("?")[0]
        if p == "/api":
            return self.send(200, {"kind": "APIVersions", "versions": ["v1"]})
        if p == "/apis":
            return self.send(200, {"kind": "APIGroupList", "groups": []})
        if p == "/api/v1":
            return self.send(200, RESOURCES)
        if p == "/api/v1/namespaces/wcm/configmaps":
            return self.informer_script()
        if p == "/api/v1/namespaces/default/configmaps":
            return self.send(200, TABLE)
        if p == "/api/v1/namespaces/default/pods/chatty/log":
            return self.log_stream()
        if p == "/api/v1/namespaces/default/configmaps/flaky":
            flaky["n"] += 1
            if flaky["n"] < 3:
                return self.send(503, {"kind": "Status", "code": 503,
                                       "reason": "ServiceUnavailable", "message": "later"})
            return self.send(200, {"kind": "ConfigMap", "metadata": {"name": "flaky"}})
        self.send(404, {"kind": "Status", "code": 404, "reason": "NotFound",
                        "message": 'configmaps "%s" not found' % p.rsplit("/", 1)[-1]})

    def log_stream(self):
        """pods/log: plain text; with follow=true a chunked stream that
        sends one line, waits for the test's go file, then the rest."""
        q = self.path.split("?", 1)[1] if "?" in self.path else ""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        if "follow=true" not in q:
            body = b"one\ntwo\nthree\n"
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def chunk(b):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(b), b))
            self.wfile.flush()
        chunk(b"one\ntw")
        go = log + ".go"
        for _ in range(100):
            try:
                open(go).close()
                break
            except OSError:
                time.sleep(0.1)
        chunk(b"o\nthree\n")
        self.wfile.write(b"0\r\n\r\n")


def meta(name, rv):
    return {"name": name, "namespace": "wcm", "resourceVersion": rv}


def row(name, rv):
    return {"cells": [name, 1], "object": {"metadata": meta(name, rv)}}


def table(rows, rv):
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1",
            "metadata": {"resourceVersion": rv},
            "columnDefinitions": TABLE["columnDefinitions"][:2], "rows": rows}


def informer_script(self):
    q = dict(x.split("=", 1) for x in self.path.split("?", 1)[1].split("&")) \
        if "?" in self.path else {}
    if q.get("watch") != "true":
        script["lists"] += 1
        if script["lists"] == 1:
            return self.send(200, table([row("alpha", "5")], "10"))
        return self.send(200, table([row("alpha", "5"), row("beta", "11"),
                                     row("gamma", "15")], "20"))
    rv = q.get("resourceVersion")
    if rv == "10":
        events = [{"type": "ADDED", "object": table([row("beta", "11")], "11")},
                  {"type": "BOOKMARK", "object": table([], "13")}]
        hold = False
    elif rv == "13":
        events = [{"type": "ERROR", "object": {"kind": "Status", "code": 410,
                   "reason": "Expired", "message": "too old resource version"}}]
        hold = False
    else:
        events = [{"type": "DELETED", "object": {"kind": "ConfigMap",
                   "metadata": meta("alpha", "21")}}]
        hold = True
    self.send_response(200)
    self.send_header("Content-Type", "application/json")
    self.send_header("Transfer-Encoding", "chunked")
    self.end_headers()
    for ev in events:
        line = (json.dumps(ev) + "\n").encode()
        half = len(line) // 2   # split events across chunks on purpose
        for part in (line[:half], line[half:]):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.flush()
    if hold:
        time.sleep(30)
    self.wfile.write(b"0\r\n\r\n")
    self.wfile.flush()


script = {"lists": 0}
H.informer_script = informer_script

ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
if ca != "-":
    ctx.load_verify_locations(ca)
    ctx.verify_mode = ssl.CERT_REQUIRED
srv = ThreadingHTTPServer(("127.0.0.1", int(port)), H)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
