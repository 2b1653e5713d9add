# SPDX-License-Identifier: Apache-2.0
"""A TLS terminator for client_h2.sh: accepts TLS on PORT with CERT/KEY and
relays each connection's plain bytes to 127.0.0.1:UPSTREAM (tinyproxy, so
the client's proxy-url can be https://).  One thread per connection, both
directions in it (an ssl socket is not used from two threads at once).

usage: client_tls_front.py PORT CERT KEY UPSTREAM
"""
import select
import socket
import ssl
import sys
import threading


def relay(a, b):
    while True:
        r, _, _ = select.select([a, b], [], [], 120)
        if not r:
            return
        for s in r:
            other = b if s is a else a
            try:
                d = s.recv(65536)
            except ssl.SSLWantReadError:
                continue
            if not d:
                return
            other.sendall(d)
            while isinstance(s, ssl.SSLSocket) and s.pending():
                other.sendall(s.recv(s.pending()))


def serve(conn, ctx, upstream):
    try:
        with ctx.wrap_socket(conn, server_side=True) as tls, \
                socket.create_connection(("127.0.0.1", upstream)) as up:
            relay(tls, up)
    except (OSError, ssl.SSLError):
        pass


def main():
    port, cert, key, upstream = sys.argv[1:5]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", int(port)))
    srv.listen(16)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, ctx, int(upstream)),
                         daemon=True).start()


if __name__ == "__main__":
    main()
