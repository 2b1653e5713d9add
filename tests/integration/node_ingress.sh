# SPDX-License-Identifier: Apache-2.0
# The ingress over HTTPS and with large bodies, on the embedded node
# (root only), with real kubectl, curl and pods: an Ingress with spec.tls
# naming a kubernetes.io/tls Secret (made by `kubectl create secret
# tls`) is served on KDECK_INGRESS_TLS_LISTEN with that certificate for
# its host (curl --resolve --cacert verifies it); another name gets the
# self-signed default; a 50 MB file streams through both listeners
# with the same sha256 as in the pod; a WebSocket echo works through it.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/svc_lib.sh"
need_cmd openssl sha256sum
IPORT=$(free_port)
TPORT=$(free_port)
export KDECK_INGRESS_LISTEN="127.0.0.1:$IPORT"
export KDECK_INGRESS_TLS_LISTEN="127.0.0.1:$TPORT"
start_node_cluster
K() { "$KUBECTL" --request-timeout=20s "$@"; }
check_contains "cluster up reports the HTTPS listener" "$(cat "$T_DIR/err")" \
	"https://127.0.0.1:$TPORT"

# a CA and a certificate for shop.test
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$T_DIR/ca.key" -out "$T_DIR/ca.crt" -days 2 \
	-subj "/CN=kdeck test CA" >/dev/null 2>&1
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$T_DIR/shop.key" -out "$T_DIR/shop.csr" \
	-subj "/CN=shop.test" >/dev/null 2>&1
printf 'subjectAltName=DNS:shop.test\n' >"$T_DIR/ext"
openssl x509 -req -in "$T_DIR/shop.csr" -CA "$T_DIR/ca.crt" \
	-CAkey "$T_DIR/ca.key" -CAcreateserial -days 2 \
	-extfile "$T_DIR/ext" -out "$T_DIR/shop.crt" >/dev/null 2>&1
check "a certificate for shop.test" test -s "$T_DIR/shop.crt"
check "create the TLS Secret" K create secret tls shop-tls \
	--cert="$T_DIR/shop.crt" --key="$T_DIR/shop.key"

{ httpd_deployment files 1 'echo hello-tls > /www/index.html && dd if=/dev/urandom of=/www/big bs=1048576 count=50 2>/dev/null'; cat <<'Y'
apiVersion: v1
kind: Service
metadata: {name: files}
spec:
  selector: {app: files}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  tls:
  - hosts: [shop.test]
    secretName: shop-tls
  rules:
  - host: shop.test
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: files, port: {number: 80}}}}
  - host: other.test
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: files, port: {number: 80}}}}
Y
} >"$T_DIR/app.yaml"
check "apply" K apply -f "$T_DIR/app.yaml"
check "Deployment available" K wait --for=condition=Available deploy/files --timeout=60s
RES="--resolve shop.test:$TPORT:127.0.0.1"
check "HTTPS answers" wait_for 20 curl -sf -m 2 $RES --cacert "$T_DIR/ca.crt" "https://shop.test:$TPORT/"
check_contains "the Secret's certificate, verified, for its host" \
	"$(curl -sS -m 5 $RES --cacert "$T_DIR/ca.crt" "https://shop.test:$TPORT/index.html" 2>&1)" "hello-tls"
OUT=$(curl -sS -m 5 -v -k --resolve "other.test:$TPORT:127.0.0.1" "https://other.test:$TPORT/index.html" 2>&1)
check_contains "another host: the self-signed default" "$OUT" "CN=kdeck-ingress-default"
check_contains "and still routed" "$OUT" "hello-tls"
check "the default does not verify against the CA" sh -c \
	"! curl -sf -m 5 --resolve other.test:$TPORT:127.0.0.1 --cacert '$T_DIR/ca.crt' https://other.test:$TPORT/ >/dev/null 2>&1"

# ---- 50 MB through the ingress ----
POD=$(K get pods -l app=files -o jsonpath='{.items[0].metadata.name}')
WANT=$(K exec "$POD" -- sha256sum /www/big | cut -d' ' -f1)
check_eq "the file in the pod is 50 MB" "$(K exec "$POD" -- wc -c /www/big | awk '{print $1}')" 52428800
GOT=$(curl -sS -m 50 -H "Host: shop.test" "http://127.0.0.1:$IPORT/big" | sha256sum | cut -d' ' -f1)
check_eq "50 MB over HTTP: the same sha256" "$GOT" "$WANT"
GOT=$(curl -sS -m 50 $RES --cacert "$T_DIR/ca.crt" "https://shop.test:$TPORT/big" | sha256sum | cut -d' ' -f1)
check_eq "50 MB over HTTPS: the same sha256" "$GOT" "$WANT"

# ---- a WebSocket through the ingress ----
# An echo server on the host (RFC 6455, python3) behind a Service with a
# hand-made EndpointSlice naming the node's address; the client (python3
# too) upgrades through the ingress and gets its message back.
cat >"$T_DIR/ws.py" <<'PY'
import base64, hashlib, os, socket, struct, sys
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
def head(s):
    b = b""
    while b"\r\n\r\n" not in b:
        c = s.recv(4096)
        if not c: raise SystemExit("closed during the head")
        b += c
    h, rest = b.split(b"\r\n\r\n", 1)
    lines = h.decode().split("\r\n")
    hd = {l.split(":", 1)[0].strip().lower(): l.split(":", 1)[1].strip() for l in lines[1:] if ":" in l}
    return lines[0], hd, rest
def exact(s, n, buf):
    while len(buf) < n:
        c = s.recv(65536)
        if not c: raise SystemExit("closed")
        buf += c
    return buf[:n], buf[n:]
def frame(s, buf):
    h, buf = exact(s, 2, buf)
    op, n = h[0] & 15, h[1] & 127
    if n == 126: x, buf = exact(s, 2, buf); n = struct.unpack(">H", x)[0]
    elif n == 127: x, buf = exact(s, 8, buf); n = struct.unpack(">Q", x)[0]
    mask = b""
    if h[1] & 128: mask, buf = exact(s, 4, buf)
    p, buf = exact(s, n, buf)
    if mask: p = bytes(c ^ mask[i % 4] for i, c in enumerate(p))
    return op, p, buf
def send(s, op, p, masked):
    n = len(p)
    h = bytes([128 | op]) + (bytes([(128 if masked else 0) | n]) if n < 126 else bytes([(128 if masked else 0) | 126]) + struct.pack(">H", n))
    if masked:
        m = os.urandom(4); h += m; p = bytes(c ^ m[i % 4] for i, c in enumerate(p))
    s.sendall(h + p)
if sys.argv[1] == "server":
    ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", int(sys.argv[2]))); ls.listen(4)
    while True:
        c, _ = ls.accept()
        try:
            _, hd, buf = head(c)
            acc = base64.b64encode(hashlib.sha1(hd["sec-websocket-key"].encode() + GUID).digest()).decode()
            c.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n" % acc).encode())
            while True:
                op, p, buf = frame(c, buf)
                if op == 8: send(c, 8, p, False); break
                send(c, op, b"echo: " + p, False)
        except BaseException:
            pass
        c.close()
else:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(("GET /chat HTTP/1.1\r\nHost: ws.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % key).encode())
    st, hd, buf = head(s)
    want = base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()
    print(st, "accept-ok" if hd.get("sec-websocket-accept") == want else "accept-bad")
    for m in (b"hello ws", b"x" * 60000):
        send(s, 1, m, True)
        op, p, buf = frame(s, buf)
        print(len(p), p[:14].decode())
    send(s, 8, b"", True)
PY
WSPORT=$(free_port)
python3 "$T_DIR/ws.py" server "$WSPORT" &
WSPID=$!
at_exit "kill $WSPID 2>/dev/null"
NODEIP=$(K get node -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}')
cat >"$T_DIR/ws.yaml" <<Y
apiVersion: v1
kind: Service
metadata: {name: ws}
spec:
  ports: [{name: ws, port: 80, targetPort: $WSPORT}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ws-host
  labels: {kubernetes.io/service-name: ws}
addressType: IPv4
ports: [{name: ws, port: $WSPORT, protocol: TCP}]
endpoints: [{addresses: ["$NODEIP"], conditions: {ready: true}}]
Y
check "a Service for the host's echo server" K apply -f "$T_DIR/ws.yaml"
check "its Ingress" K create ingress ws --rule="ws.test/*=ws:80"
wait_for 20 sh -c "curl -s -m 2 -H 'Host: ws.test' http://127.0.0.1:$IPORT/ -o /dev/null -w '%{http_code}' | grep -qv '^404\|^503'"
OUT=$(python3 "$T_DIR/ws.py" client "$IPORT" 2>&1)
check_contains "the upgrade is relayed: 101 and the key's answer" "$OUT" "101 Switching Protocols accept-ok"
check_contains "a message comes back" "$OUT" "14 echo: hello ws"
check_contains "a 60 kB message comes back whole" "$OUT" "60006 echo: xxxxxxxx"
finish
