# SPDX-License-Identifier: Apache-2.0
# A minimal HTTP CONNECT proxy for client_transport.sh (proxy-url): logs
# each CONNECT target to argv[2] and pipes bytes both ways.
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


def serve(c):
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
