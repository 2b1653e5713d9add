# SPDX-License-Identifier: Apache-2.0
# A minimal HTTP CONNECT and SOCKS5 (no auth, CONNECT only) proxy on one
# port for client_transport.sh (proxy-url http:// and socks5://): logs
# each target to argv[2] ("CONNECT host:port" or "SOCKS5 host:port") and
# pipes bytes both ways.
import socket, sys, threading

port, log = int(sys.argv[1]), sys.argv[2]


def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def recv_n(c, n):
    b = b""
    while len(b) < n:
        d = c.recv(n - len(b))
        if not d:
            raise OSError("short read")
        b += d
    return b


def socks5(c):
    n = recv_n(c, 2)[1]                 # version 5, n methods
    recv_n(c, n)
    c.sendall(b"\x05\x00")              # no authentication
    ver, cmd, _, atyp = recv_n(c, 4)
    if atyp == 1:
        host = socket.inet_ntoa(recv_n(c, 4))
    elif atyp == 3:
        host = recv_n(c, recv_n(c, 1)[0]).decode()
    else:
        return c.close()
    port = int.from_bytes(recv_n(c, 2), "big")
    with open(log, "a") as f:
        f.write("SOCKS5 %s:%d\n" % (host, port))
    u = socket.create_connection((host, port))
    c.sendall(b"\x05\x00\x00\x01" + bytes(6))
    threading.Thread(target=pipe, args=(c, u), daemon=True).start()
    pipe(u, c)


def serve(c):
    if c.recv(1, socket.MSG_PEEK) == b"\x05":
        try:
            return socks5(c)
        except OSError:
            return c.close()
    data = b""
    while b"\r\n\r\n" not in data:
        d = c.recv(4096)
        if not d:
            return c.close()
        data += d
    line = data.split(b"\r\n")[0].decode()
    with open(log, "a") as f:
        f.write(line + "\n")
    method, target = line.split()[:2]
    if method != "CONNECT":
        c.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
        return c.close()
    host, p = target.rsplit(":", 1)
    u = socket.create_connection((host, int(p)))
    c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    threading.Thread(target=pipe, args=(c, u), daemon=True).start()
    pipe(u, c)


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(16)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
