# SPDX-License-Identifier: Apache-2.0
"""Raw clients against pods/exec over SPDY and WebSocket (exec_spdy.sh):
clients that hang up right after their request (before the 101 goes out)
for `sleep 4343` (the caller then checks no such process is left), and
garbage after a good SPDY upgrade (the server ends the session with
GOAWAY).  Usage: HOST PORT PKI_DIR.  Prints "raw: all ok" or the failed
checks."""
import os
import socket
import ssl
import struct
import sys

host, port, pki = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ctx = ssl.create_default_context(cafile=os.path.join(pki, "ca.crt"))
ctx.load_cert_chain(os.path.join(pki, "admin.crt"), os.path.join(pki, "admin.key"))
ctx.check_hostname = False
BASE = "/api/v1/namespaces/default/pods/one/exec?stdout=true&stdin=true"
failed = []


def connect():
    s = socket.create_connection((host, port), timeout=10)
    return ctx.wrap_socket(s, server_hostname=host)


def request(s, spdy, cmd):
    q = "".join(f"&command={c}" for c in cmd)
    if spdy:
        h = [f"POST {BASE}{q} HTTP/1.1", "Upgrade: SPDY/3.1",
             "X-Stream-Protocol-Version: v4.channel.k8s.io",
             "Content-Length: 0"]
    else:
        h = [f"GET {BASE}{q} HTTP/1.1", "Upgrade: websocket",
             "Sec-WebSocket-Version: 13",
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
             "Sec-WebSocket-Protocol: v4.channel.k8s.io"]
    h += [f"Host: {host}:{port}", "Connection: Upgrade"]
    s.sendall(("\r\n".join(h) + "\r\n\r\n").encode())


def hang_up(spdy):
    """Send the request and reset the connection at once."""
    s = connect()
    request(s, spdy, ["sleep", "4343"])
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def read_head(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode(errors="replace"), rest


def spdy_garbage():
    s = connect()
    request(s, True, ["cat"])
    head, rest = read_head(s)
    if " 101 " not in head.split("\r\n")[0]:
        failed.append(f"garbage: no 101: {head.splitlines()[:1]}")
        return
    s.sendall(b"\x80\x03\x00\x01\x00\x00\x00\x04" + bytes(range(256)) * 4)
    data = rest
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ssl.SSLError, ConnectionError):
        failed.append("garbage: the session did not end")
    s.close()
    # GOAWAY: control bit, version 3, type 7.
    if b"\x80\x03\x00\x07" not in data:
        failed.append(f"garbage: no GOAWAY in {data[:80]!r}")


for i in range(6):
    hang_up(i % 2 == 0)
spdy_garbage()
print("raw: all ok" if not failed else "raw: FAILED\n" + "\n".join(failed))
