# SPDX-License-Identifier: Apache-2.0
"""A stand-in API server for the client's WebSocket streams (HTTPS).

Serves pods/exec, pods/attach and pods/portforward upgrades the way
kube-apiserver answers them (101 + Sec-WebSocket-Accept/-Protocol, channel
bytes, the final Status on channel 3, port prefixes on port-forward
channels), a 403 Status for the pod "forbidden", a v4-only server for the
pod "old", and GET of a pod (Running, containerPort 80).  Commands it
"runs": echo ARGS, exit N (as `sh -c 'exit N'`), cat (stdin back), err
(stderr), and any `sh -c` shell line: a tiny line shell that knows
`echo $((6*7))` and `exit`.  Every request head is appended to the log.
Upgrades whose bearer token is listed in LOG.stale (one a line) get a 401
Status, as a server answers a revoked credential.

With UPSTREAM (a port), it speaks plain HTTP and relays every connection
that does not start with a WebSocket upgrade to 127.0.0.1:UPSTREAM byte for
byte (tests/tui/fakeapi.py serves the dashboard's lists and watches).

usage: ws_fake_server.py PORT CERT KEY LOG
       ws_fake_server.py PORT - - LOG UPSTREAM
"""
import base64
import hashlib
import json
import socket
import ssl
import struct
import sys
import threading
import urllib.parse

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
LOCK = threading.Lock()


def log(path, text):
    with LOCK, open(path, "a") as f:
        f.write(text + "\n")


def read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None, b""
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    return head.decode("latin-1"), rest


class WS:
    def __init__(self, conn, pre):
        self.conn, self.buf = conn, pre
        self.wlock = threading.Lock()

    def _need(self, n):
        while len(self.buf) < n:
            chunk = self.conn.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv(self):
        """(opcode, payload) of the next frame; client frames are masked."""
        b0, b1 = self._need(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", self._need(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self._need(8))[0]
        if not b1 & 0x80:
            raise ValueError("unmasked client frame")
        mask = self._need(4)
        data = bytes(c ^ mask[i % 4] for i, c in enumerate(self._need(n)))
        return b0 & 0x0F, data

    def send(self, payload, opcode=2):
        n = len(payload)
        if n < 126:
            hdr = struct.pack(">BB", 0x80 | opcode, n)
        elif n < 65536:
            hdr = struct.pack(">BBH", 0x80 | opcode, 126, n)
        else:
            hdr = struct.pack(">BBQ", 0x80 | opcode, 127, n)
        with self.wlock:
            self.conn.sendall(hdr + payload)

    def chan(self, ch, data):
        self.send(bytes([ch]) + data)

    def close(self):
        try:
            self.send(struct.pack(">H", 1000), opcode=8)
        except OSError:
            pass


def status(code):
    if code == 0:
        return {"metadata": {}, "status": "Success"}
    return {"metadata": {}, "status": "Failure",
            "message": "command terminated with non-zero exit code: %d" % code,
            "reason": "NonZeroExitCode",
            "details": {"causes": [{"reason": "ExitCode",
                                    "message": str(code)}]}}


def frames(ws, logpath):
    """Yield (channel, data) of client data frames until close."""
    while True:
        try:
            op, data = ws.recv()
        except (EOFError, OSError, ValueError):
            return
        if op == 8:
            return
        if op in (1, 2) and data:
            if data[0] == 4:
                log(logpath, "RESIZE " + data[1:].decode())
                continue
            yield data[0], data[1:]


def run_shell(ws, logpath):
    ws.chan(1, b"$ ")
    line = b""
    for ch, data in frames(ws, logpath):
        if ch != 0:
            continue
        for b in data:
            c = bytes([b])
            if c in (b"\r", b"\n"):
                ws.chan(1, b"\r\n")
                cmd = line.decode().strip()
                line = b""
                if cmd == "exit":
                    return 0
                if cmd == "echo $((6*7))":
                    ws.chan(1, b"42\r\n")
                elif cmd:
                    ws.chan(1, b"sh: " + cmd.encode() + b": not found\r\n")
                ws.chan(1, b"$ ")
            elif c == b"\x7f":
                line = line[:-1]
                ws.chan(1, b"\b \b")
            else:
                line += c
                ws.chan(1, c)
    return 0


def run_exec(ws, q, v5, logpath):
    cmd = q.get("command", [])
    code = 0
    if cmd[:1] == ["echo"]:
        ws.chan(1, (" ".join(cmd[1:]) + "\n").encode())
    elif cmd[:1] == ["exit"]:
        code = int(cmd[1])
    elif cmd[:1] == ["err"]:
        ws.chan(2, b"oops\n")
    elif cmd[:1] == ["cat"]:
        for ch, data in frames(ws, logpath):
            if ch == 255 and v5:
                break
            if ch == 0:
                ws.chan(1, data)
    elif cmd[:2] == ["sh", "-c"] and cmd[2].startswith("exit "):
        code = int(cmd[2][5:])
    else:
        code = run_shell(ws, logpath)
    ws.chan(3, json.dumps(status(code)).encode())
    ws.close()


def run_portforward(ws, q, logpath):
    port = int(q["ports"][0])
    prefix = struct.pack("<H", port)
    ws.chan(0, prefix)
    ws.chan(1, prefix)
    try:
        up = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError as e:
        ws.chan(1, ("error forwarding port %d: %s" % (port, e)).encode())
        ws.close()
        return

    def pump():
        try:
            while True:
                data = up.recv(65536)
                if not data:
                    break
                ws.chan(0, data)
        except OSError:
            pass
        ws.close()

    t = threading.Thread(target=pump, daemon=True)
    t.start()
    for ch, data in frames(ws, logpath):
        if ch == 0:
            up.sendall(data)
    up.close()
    t.join(5)


def reply(conn, code, reason, body, ctype="application/json"):
    body = body.encode()
    conn.sendall(("HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d"
                  "\r\nConnection: close\r\n\r\n" % (code, reason, ctype,
                                                      len(body))).encode()
                 + body)


def relay(conn, head, rest, upstream):
    up = socket.create_connection(("127.0.0.1", upstream))
    up.sendall(head.encode("latin-1") + b"\r\n\r\n" + rest)

    def back():
        try:
            while True:
                data = up.recv(65536)
                if not data:
                    break
                conn.sendall(data)
        except OSError:
            pass
        try:
            conn.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    t = threading.Thread(target=back, daemon=True)
    t.start()
    try:
        while True:
            data = conn.recv(65536)
            if not data:
                break
            up.sendall(data)
    except OSError:
        pass
    up.close()
    t.join(5)


def stale(logpath, authz):
    try:
        with open(logpath + ".stale") as f:
            revoked = f.read().split()
    except OSError:
        return False
    return authz.startswith("Bearer ") and authz[7:] in revoked


def handle(conn, logpath, upstream=None):
    head, rest = read_head(conn)
    if head is None:
        return
    if upstream and "upgrade: websocket" not in head.lower():
        relay(conn, head, rest, upstream)
        return
    log(logpath, head.replace("\r\n", "\n") + "\n--")
    lines = head.split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    hdrs = {}
    for h in lines[1:]:
        k, v = h.split(":", 1)
        hdrs[k.strip().lower()] = v.strip()
    url = urllib.parse.urlsplit(target)
    q = urllib.parse.parse_qs(url.query)
    parts = url.path.strip("/").split("/")
    pod = parts[5] if len(parts) > 5 else ""
    if pod == "forbidden":
        reply(conn, 403, "Forbidden", json.dumps({
            "kind": "Status", "apiVersion": "v1", "metadata": {},
            "status": "Failure", "reason": "Forbidden", "code": 403,
            "message": 'pods "forbidden" is forbidden: User "bob" cannot '
                       'create resource "pods/exec" in API group "" in the '
                       'namespace "default"'}))
        return
    if len(parts) == 6 and method == "GET":
        reply(conn, 200, "OK", json.dumps({
            "kind": "Pod", "apiVersion": "v1",
            "metadata": {"name": pod, "namespace": parts[3]},
            "spec": {"containers": [{"name": "c", "ports": [
                {"containerPort": 80}]}]},
            "status": {"phase": "Running"}}))
        return
    if hdrs.get("upgrade", "").lower() == "websocket" and stale(
            logpath, hdrs.get("authorization", "")):
        reply(conn, 401, "Unauthorized", json.dumps({
            "kind": "Status", "apiVersion": "v1", "metadata": {},
            "status": "Failure", "reason": "Unauthorized", "code": 401,
            "message": "Unauthorized"}))
        return
    if hdrs.get("upgrade", "").lower() != "websocket":
        reply(conn, 400, "Bad Request", '{"kind":"Status","message":'
              '"Upgrade request required","reason":"BadRequest","code":400}')
        return
    offered = [p.strip() for p in
               hdrs.get("sec-websocket-protocol", "").split(",")]
    want = ["v4.channel.k8s.io"] if pod == "old" else \
        ["v5.channel.k8s.io", "v4.channel.k8s.io"]
    proto = next((p for p in want if p in offered), None)
    if proto is None:
        reply(conn, 400, "Bad Request", "no protocol", "text/plain")
        return
    accept = base64.b64encode(hashlib.sha1(
        hdrs["sec-websocket-key"].encode() + GUID).digest()).decode()
    conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n"
                  "Sec-WebSocket-Protocol: %s\r\n\r\n" % (accept, proto))
                 .encode())
    ws = WS(conn, rest)
    if parts[-1] == "portforward":
        run_portforward(ws, q, logpath)
    else:
        run_exec(ws, q, proto.startswith("v5"), logpath)


def serve(conn, ctx, logpath, upstream):
    try:
        if ctx is None:
            with conn:
                handle(conn, logpath, upstream)
            return
        with ctx.wrap_socket(conn, server_side=True) as tls:
            handle(tls, logpath)
    except (OSError, ssl.SSLError, ValueError, EOFError):
        pass


def main():
    port, cert, key, logpath = sys.argv[1:5]
    upstream = int(sys.argv[5]) if len(sys.argv) > 5 else None
    ctx = None
    if cert != "-":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", int(port)))
    srv.listen(16)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, ctx, logpath, upstream),
                         daemon=True).start()


if __name__ == "__main__":
    main()
