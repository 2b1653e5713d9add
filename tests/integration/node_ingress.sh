# SPDX-License-Identifier: Apache-2.0
# The ingress over HTTPS and with large bodies, on the embedded node
# (root only), with real kubectl, curl and pods: an Ingress with spec.tls
# naming a kubernetes.io/tls Secret (made by `kubectl create secret
# tls`) is served on KDECK_INGRESS_TLS_LISTEN with that certificate for
# its host (curl --resolve --cacert verifies it); another name gets the
# self-signed default; a 50 MB file streams through both listeners
# with the same sha256 as in the pod.
. "$TOP_SRCDIR/tests/lib.sh"
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

cat >"$T_DIR/app.yaml" <<'Y'
apiVersion: apps/v1
kind: Deployment
metadata: {name: files}
spec:
  replicas: 1
  selector: {matchLabels: {app: files}}
  template:
    metadata: {labels: {app: files}}
    spec:
      containers:
      - name: httpd
        image: kdeck.test/busybox:1
        command: ["sh", "-c", "mkdir -p /www && echo hello-tls > /www/index.html && dd if=/dev/urandom of=/www/big bs=1048576 count=50 2>/dev/null && exec httpd -f -p 8080 -h /www"]
        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
---
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
finish
