# SPDX-License-Identifier: Apache-2.0
"""Hostile websocket upgrades against pods/exec (exec_kubectl.sh):
malformed handshakes get a 400 Status; garbage frames after a good
upgrade close the connection with 1002.  And the base64 channel
protocols (v4.base64.channel.k8s.io, base64.channel.k8s.io): text
messages, the channel digit then base64 data.  Usage: HOST PORT PKI_DIR.
Prints "raw: all ok" or the failed checks."""
import base64
import json
import os
import socket
import urllib.parse
import ssl
import sys

host, port, pki = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ctx = ssl.create_default_context(cafile=os.path.join(pki, "ca.crt"))
ctx.load_cert_chain(os.path.join(pki, "admin.crt"), os.path.join(pki, "admin.key"))
ctx.check_hostname = False
POD = sys.argv[4] if len(sys.argv) > 4 else "one"
PATH = f"/api/v1/namespaces/default/pods/{POD}/exec?command=cat&stdin=true&stdout=true"
GOOD_KEY = "dGhlIHNhbXBsZSBub25jZQ=="
failed = []


def connect():
    s = socket.create_connection((host, port), timeout=10)
    return ctx.wrap_socket(s, server_hostname=host)


def request(version="13", key=GOOD_KEY, proto="v5.channel.k8s.io"):
    s = connect()
    h = [f"GET {PATH} HTTP/1.1", f"Host: {host}:{port}",
         "Connection: Upgrade", "Upgrade: websocket"]
    if version:
        h.append(f"Sec-WebSocket-Version: {version}")
    if key:
        h.append(f"Sec-WebSocket-Key: {key}")
    if proto:
        h.append(f"Sec-WebSocket-Protocol: {proto}")
    s.sendall(("\r\n".join(h) + "\r\n\r\n").encode())
    return s


def read_head(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode(errors="replace"), rest


def read_all(s, rest=b""):
    data = rest
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ssl.SSLError, ConnectionError):
        pass
    return data


def body_of(s, head, rest):
    n = 0
    for line in head.split("\r\n"):
        if line.lower().startswith("content-length:"):
            n = int(line.split(":", 1)[1])
    while len(rest) < n:
        chunk = s.recv(4096)
        if not chunk:
            break
        rest += chunk
    return rest.decode(errors="replace")


def expect_400(name, text, **kw):
    s = request(**kw)
    head, rest = read_head(s)
    body = rest.decode(errors="replace")
    if " 400 " not in head.split("\r\n")[0]:
        failed.append(f"{name}: status {head.splitlines()[:1]}")
    elif text not in body and text not in body_of(s, head, rest):
        failed.append(f"{name}: body {body[:200]!r}")
    s.close()


expect_400("bad version", "unsupported version", version="8")
expect_400("no version", "unsupported version", version=None)
expect_400("bad key", "Sec-WebSocket-Key", key="abc")
expect_400("no key", "Sec-WebSocket-Key", key=None)
expect_400("no protocol", "sub-protocol", proto=None)
expect_400("unknown protocol", "sub-protocol", proto="v9.channel.k8s.io")


def garbage(name, payload, want_code):
    s = request()
    head, rest = read_head(s)
    if " 101 " not in head.split("\r\n")[0]:
        failed.append(f"{name}: no 101: {head.splitlines()[:1]}")
        return
    s.sendall(payload)
    data = read_all(s, rest)
    s.close()
    i = data.find(b"\x88")
    while i >= 0 and i + 3 < len(data):
        if data[i + 1] & 0x7F >= 2 and int.from_bytes(data[i + 2:i + 4], "big") == want_code:
            return
        i = data.find(b"\x88", i + 1)
    if want_code:
        failed.append(f"{name}: no close {want_code} in {data[:80]!r}")


garbage("unmasked frame", b"\x82\x04\x00abc", 1002)
garbage("reserved opcode", b"\x83\x80\x01\x02\x03\x04", 1002)
garbage("random bytes", bytes(range(256)) * 4, 1002)
garbage("huge length", b"\x82\xff" + (2**40).to_bytes(8, "big") + b"\x01\x02\x03\x04xx", 1009)

def send_text(s, text):
    """One masked text frame (a client's)."""
    data = text.encode()
    mask = os.urandom(4)
    n = len(data)
    head = b"\x81" + (bytes([0x80 | n]) if n < 126 else b"\xfe" + n.to_bytes(2, "big"))
    s.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))


def read_frames(s, data):
    """All frames until the close: a list of (opcode, payload)."""
    out = []
    while True:
        while len(data) >= 2:
            n, off = data[1] & 0x7F, 2
            if n == 126:
                n, off = int.from_bytes(data[2:4], "big"), 4
            elif n == 127:
                n, off = int.from_bytes(data[2:10], "big"), 10
            if len(data) < off + n:
                break
            out.append((data[0] & 0x0F, data[off:off + n]))
            data = data[off + n:]
            if out[-1][0] == 8:
                return out
        try:
            chunk = s.recv(4096)
        except (socket.timeout, ssl.SSLError, ConnectionError):
            return out
        if not chunk:
            return out
        data += chunk


def base64_session(proto):
    global PATH
    script = "read x; echo got $x; echo e >&2; exit 2"
    saved = PATH
    PATH = (f"/api/v1/namespaces/default/pods/{POD}/exec?stdin=true&stdout=true&stderr=true"
            f"&command=sh&command=-c&command={urllib.parse.quote(script)}")
    s = request(proto=proto)
    PATH = saved
    head, rest = read_head(s)
    if " 101 " not in head.split("\r\n")[0] or proto not in head:
        failed.append(f"{proto}: no 101 with the protocol: {head!r}")
        return
    send_text(s, "0" + base64.b64encode(b"hello\n").decode())
    frames = read_frames(s, rest)
    s.close()
    got = {}
    for op, payload in frames:
        if op != 1 or not payload:
            continue
        ch = payload[:1].decode()
        got[ch] = got.get(ch, b"") + base64.b64decode(payload[1:])
    if got.get("1") != b"got hello\n" or got.get("2") != b"e\n":
        failed.append(f"{proto}: output {got!r}")
    status = got.get("3", b"").decode()
    if proto.startswith("v4."):
        try:
            st = json.loads(status)
            ok = st["reason"] == "NonZeroExitCode" and st["details"]["causes"][0]["message"] == "2"
        except (ValueError, KeyError, IndexError):
            ok = False
    else:
        ok = status.startswith("command terminated with non-zero exit code") and "exit code 2" in status
    if not ok:
        failed.append(f"{proto}: status {status!r}")


base64_session("v4.base64.channel.k8s.io")
base64_session("base64.channel.k8s.io")

print("raw: all ok" if not failed else "raw: FAILED\n" + "\n".join(failed))
