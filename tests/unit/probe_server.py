# SPDX-License-Identifier: Apache-2.0
# Servers for test_probe: HTTP (chosen codes, redirects, header checks, a
# slow path), a socket that never accepts, and gRPC health servers (one
# serving grpc.health.v1.Health through a generic handler, one without
# it) when python3-grpcio is installed, and the HTTP handler over TLS with
# a throw-away self-signed certificate when openssl is installed.  Usage:
#   probe_server.py READY_FILE HTTP_PORT HANG_PORT GRPC_PORT EMPTY_GRPC_PORT TLS_PORT
# READY_FILE gets "http[,grpc][,tls]" once everything listens.
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ready, http_port, hang_port, grpc_port, empty_port, tls_port = sys.argv[1], *map(int, sys.argv[2:7])


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, code, body=b"", location=None):
        self.send_response(code)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        p, h = self.path, self.headers
        if p == "/ok":
            self.answer(200, b"fine")
        elif p.startswith("/status/"):
            self.answer(int(p[8:]), b"status")
        elif p == "/redirect-same":
            self.answer(302, b"", "/ok")
        elif p == "/redirect-loop":
            self.answer(302, b"", "/redirect-loop")
        elif p == "/redirect-fail":
            self.answer(302, b"", "/status/500")
        elif p == "/redirect-other":
            self.answer(302, b"moved", "http://elsewhere.invalid/ok")
        elif p == "/headers":
            good = (h.get("User-Agent") == "kube-probe/1.33" and h.get("Accept") == "*/*"
                    and h.get("X-Probe") == "yes")
            self.answer(200 if good else 400)
        elif p == "/agent":
            self.answer(200 if h.get("User-Agent") == "custom" else 400)
        elif p == "/host":
            self.answer(200 if h.get("Host") == "example.test" else 400)
        elif p == "/slow":
            time.sleep(5)
            self.answer(200)
        else:
            self.answer(404)


http = ThreadingHTTPServer(("127.0.0.1", http_port), Handler)
threading.Thread(target=http.serve_forever, daemon=True).start()
hang = socket.socket()
hang.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
hang.bind(("127.0.0.1", hang_port))
hang.listen(16)  # never accepted

parts = ["http"]
try:
    import grpc
    from concurrent import futures

    def check(req, ctx):
        svc = req[2:].decode() if len(req) > 2 else ""
        if svc == "down":
            return b"\x08\x02"
        if svc == "missing":
            ctx.abort(grpc.StatusCode.NOT_FOUND, "unknown service")
        if svc == "slow":
            time.sleep(5)
        return b"\x08\x01"

    handler = grpc.method_handlers_generic_handler(
        "grpc.health.v1.Health",
        {"Check": grpc.unary_unary_rpc_method_handler(check)})
    g = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    g.add_generic_rpc_handlers((handler,))
    g.add_insecure_port("127.0.0.1:%d" % grpc_port)
    g.start()
    empty = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    empty.add_insecure_port("127.0.0.1:%d" % empty_port)
    empty.start()
    parts.append("grpc")
except ImportError:
    pass

tmp = tempfile.mkdtemp()
key, crt = os.path.join(tmp, "k.pem"), os.path.join(tmp, "c.pem")
try:
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=probe",
                    "-days", "1", "-keyout", key, "-out", crt], check=True, capture_output=True)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(crt, key)
    tls = ThreadingHTTPServer(("127.0.0.1", tls_port), Handler)
    tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
    threading.Thread(target=tls.serve_forever, daemon=True).start()
    parts.append("tls")
except (OSError, subprocess.CalledProcessError):
    pass
finally:
    for f in (key, crt):
        if os.path.exists(f):
            os.unlink(f)
    os.rmdir(tmp)

with open(ready, "w") as f:
    f.write(",".join(parts))
while True:
    time.sleep(3600)
