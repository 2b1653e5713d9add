# SPDX-License-Identifier: Apache-2.0
# kubectl port-forward and the Python client's portforward against a real
# pod (root only): busybox httpd on 8080 and 8081, nothing on 8082.
# pod/, svc/ and deploy/ targets, 10 parallel curls, a refused port (the
# error printed by kubectl), the newer kubectl, RBAC (create
# pods/portforward needed), and garbage SPDY in a raw WebSocket (GOAWAY,
# the server stays healthy).
. "$TOP_SRCDIR/tests/lib.sh"

start_node_cluster
K() { "$KUBECTL" --request-timeout=20s "$@"; }

SERVE='mkdir -p /www /www2 && echo "hello from $(hostname)" >/www/index.html &&
echo second port >/www2/index.html && httpd -p 8081 -h /www2 && exec httpd -f -p 8080 -h /www'
cat >"$T_DIR/web.yaml" <<Y
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sh, -c, '$SERVE']
---
apiVersion: v1
kind: Pod
metadata: {name: stuck}
spec:
  containers: [{name: c, image: kdeck.test/absent:1}]
---
apiVersion: v1
kind: Service
metadata: {name: websvc}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: webd}
spec:
  replicas: 1
  selector: {matchLabels: {app: webd}}
  template:
    metadata: {labels: {app: webd}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: kdeck.test/busybox:1
        command: [sh, -c, '$SERVE']
Y
K apply -f "$T_DIR/web.yaml" >/dev/null || die "apply failed"
running() { [ "$(K get pod "$1" -o jsonpath='{.status.phase}')" = Running ]; }
wait_for 30 sh -c "[ \"\$($KUBECTL get pod web -o jsonpath='{.status.phase}')\" = Running ]" ||
	die "pod web not Running: $(K get pod web -o jsonpath='{.status}')"
wait_for 30 sh -c "$KUBECTL get pods -l app=webd -o jsonpath='{.items[*].status.phase}' | grep -q Running" ||
	die "deployment pod not Running"

# ---- the Python client (WebSocket channels, v4.channel.k8s.io), in the
# background while kubectl runs (importing the client takes seconds) ----
cat >"$T_DIR/pf.py" <<'EOP'
import sys
from kubernetes import client, config
from kubernetes.stream import portforward
config.load_kube_config(sys.argv[1])
v1 = client.CoreV1Api()
pf = portforward(v1.connect_get_namespaced_pod_portforward, "web", "default", ports="8080,8082")
s = pf.socket(8080)
s.setblocking(True)
s.sendall(b"GET / HTTP/1.0\r\nHost: web\r\n\r\n")
data = b""
while True:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.decode().split("\r\n\r\n", 1)[-1].strip())
pf.socket(8082).close()
print("error:", pf.error(8082))
pf.close()
EOP
(for p in python3 /usr/bin/python3; do
	if "$p" -c 'import kubernetes.stream' 2>/dev/null; then
		exec timeout 40 "$p" "$T_DIR/pf.py" "$KUBECONFIG"
	fi
done; echo "no python client") >"$T_DIR/py.out" 2>&1 &
PY_PID=$!

# pf NAME KUBECTL ARGS...: kubectl port-forward in the background, output
# in $T_DIR/pf-NAME, its pid in PF_NAME.  pf_wait NAME: until it forwards.
# The sessions start together: each kubectl takes seconds to start here.
pf() {
	name=$1 kc=$2
	shift 2
	"$kc" port-forward "$@" >"$T_DIR/pf-$name" 2>&1 &
	eval "PF_$name=$!"
	at_exit "kill $! 2>/dev/null"
}
pf_wait() { wait_for 15 grep -q "Forwarding from" "$T_DIR/pf-$1"; }
get() { curl -s --max-time 10 "http://127.0.0.1:$1/"; }

# ---- pod/, three ports ----
L1=$(free_port) L2=$(free_port) L3=$(free_port) L4=$(free_port) L5=$(free_port) L6=$(free_port)
pf pod "$KUBECTL" pod/web "$L1:8080" "$L2:8081" "$L3:8082"
pf svc "$KUBECTL" svc/websvc "$L4:80"
pf deploy "$KUBECTL" deploy/webd "$L5:8080"
[ -x "$KUBECTL_NEW" ] && pf new "$KUBECTL_NEW" pod/web "$L6:8080"
pf_wait pod
check_contains "kubectl says it forwards" "$(cat "$T_DIR/pf-pod")" "Forwarding from 127.0.0.1:$L1 -> 8080"
wait_for 10 sh -c "curl -sf --max-time 3 http://127.0.0.1:$L1/ >/dev/null"
check_eq "curl through the forward" "$(get "$L1")" "hello from web"
for i in 1 2 3 4 5 6 7 8 9 10; do
	get "$L1" >"$T_DIR/par.$i" &
done
wait_for 20 sh -c "[ \$(cat $T_DIR/par.* | grep -c 'hello from web') -eq 10 ]"
check_eq "10 parallel curls" "$(cat "$T_DIR"/par.* | grep -c 'hello from web')" 10
check_eq "second port" "$(get "$L2")" "second port"
check "curl to a port nothing listens on fails" sh -c "! curl -sf --max-time 10 http://127.0.0.1:$L3/"
wait_for 5 grep -q "error forwarding port 8082" "$T_DIR/pf-pod"
check_contains "kubectl prints the pod's refusal" "$(cat "$T_DIR/pf-pod")" \
	"error forwarding port 8082 to pod web, uid"
check_contains "... with the reason" "$(cat "$T_DIR/pf-pod")" "connection refused"
if kill -0 "$PF_pod" 2>/dev/null; then
	check_eq "forward still works after the error" "$(get "$L1")" "hello from web"
else
	# kubectl >= 1.30 closes the session after an error on the error
	# stream ("lost connection to pod") and exits.
	check_contains "kubectl ended the session itself" "$(cat "$T_DIR/pf-pod")" "lost connection to pod"
fi
kill "$PF_pod" 2>/dev/null

# ---- svc/ and deploy/ (resolved to a pod by kubectl) ----
pf_wait svc
check_eq "svc/websvc" "$(get "$L4")" "hello from web"
kill "$PF_svc" 2>/dev/null
pf_wait deploy
check_contains "deploy/webd" "$(get "$L5")" "hello from webd-"
kill "$PF_deploy" 2>/dev/null

# ---- the newer kubectl ----
if [ -x "$KUBECTL_NEW" ]; then
	pf_wait new
	check_eq "newer kubectl ($("$KUBECTL_NEW" version --client 2>/dev/null | head -n 1))" "$(get "$L6")" "hello from web"
	kill "$PF_new" 2>/dev/null
else
	echo "# no $KUBECTL_NEW: newer kubectl not tested"
fi

# ---- raw clients: direct SPDY (POST, kubectl's fallback), garbage ----
CERTS="$T_DIR/certs"
mkdir -p "$CERTS"
K config view --raw -o jsonpath='{.users[0].user.client-certificate-data}' | base64 -d >"$CERTS/crt"
K config view --raw -o jsonpath='{.users[0].user.client-key-data}' | base64 -d >"$CERTS/key"
cat >"$T_DIR/raw.py" <<'EOP'
# raw.py MODE:POD...: spdy-ping (POST upgrade, PING answered), ws-junk
# (SPDY/3.1+portforward.k8s.io websocket, garbage frame -> GOAWAY).
import base64, os, socket, ssl, sys
host, port, ca, crt, key = "127.0.0.1", int(os.environ["PORT"]), os.environ["CA"], os.environ["CRT"], os.environ["KEY"]
ctx = ssl.create_default_context(cafile=ca)
ctx.load_cert_chain(crt, key)
def one(mode, pod):
  s = ctx.wrap_socket(socket.create_connection((host, port), timeout=10), server_hostname=host)
  path = "/api/v1/namespaces/default/pods/%s/portforward" % pod
  if mode == "spdy-ping":
      req = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: Upgrade\r\n"
             "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n" % path)
  else:
      req = ("GET %s HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
             "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: %s\r\n"
             "Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\n\r\n"
             % (path, base64.b64encode(os.urandom(16)).decode()))
  s.sendall(req.encode())
  head = b""
  while b"\r\n\r\n" not in head:
      c = s.recv(1)
      if not c:
          break
      head += c
  print(head.split(b"\r\n")[0].decode())
  if not head.startswith(b"HTTP/1.1 101"):
      body = s.recv(4096).decode(errors="replace")
      print(body.replace("\n", " "))
      return
  if mode == "spdy-ping":
      s.sendall(b"\x80\x03\x00\x06\x00\x00\x00\x04\x00\x00\x00\x2b")
      got = b""
      while len(got) < 12:
          c = s.recv(12 - len(got))
          if not c:
              break
          got += c
      print("pong" if got == b"\x80\x03\x00\x06\x00\x00\x00\x04\x00\x00\x00\x2b" else "no pong %r" % got)
      return
  junk = b"\x80\x03\x00\x01\x00\x00\x00\x0a0123456789"
  mask = os.urandom(4)
  s.sendall(bytes([0x82, 0x80 | len(junk)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(junk)))
  rest = b""
  try:
      while True:
          c = s.recv(4096)
          if not c:
              break
          rest += c
  except Exception:
      pass
  print("goaway" if b"\x80\x03\x00\x07" in rest else "no goaway", "closed")
for a in sys.argv[1:]:
    one(*a.split(":"))
    sys.stdout.flush()
EOP
raw() { PORT=$PORT CA="$D/pki/ca.crt" CRT="$CERTS/crt" KEY="$CERTS/key" timeout 20 python3 "$T_DIR/raw.py" "$@" 2>&1; }
out=$(raw spdy-ping:web spdy-ping:nope spdy-ping:stuck ws-junk:web)
check_contains "POST SPDY/3.1 upgrade answered 101" "$(echo "$out" | sed -n 1p)" "HTTP/1.1 101"
check_contains "... and a PING answered" "$(echo "$out" | sed -n 2p)" "pong"
check_contains "missing pod: 404" "$(echo "$out" | sed -n 3p)" "HTTP/1.1 404"
check_contains "... not found" "$(echo "$out" | sed -n 4p)" 'pods \"nope\" not found'
check_contains "pod not running: 400" "$(echo "$out" | sed -n 5p)" "HTTP/1.1 400"
check_contains "... not running" "$(echo "$out" | sed -n 6p)" "unable to do port forwarding: pod stuck is not running"
check_contains "tunnel upgrade answered 101" "$(echo "$out" | sed -n 7p)" "HTTP/1.1 101"
check_contains "garbage SPDY gets GOAWAY and the connection closes" "$(echo "$out" | sed -n 8p)" "goaway closed"

# ---- the Python client's results ----
wait "$PY_PID"
out=$(cat "$T_DIR/py.out")
if [ "$out" != "no python client" ]; then
	check_contains "python portforward reads the page" "$out" "hello from web"
	check_contains "python portforward reports the refused port" "$out" "error forwarding port 8082"
else
	echo "# python kubernetes client not installed: not tested"
fi

# ---- RBAC: create pods/portforward is needed ----
K apply -f - >/dev/null <<'Y'
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pf-get}
rules: [{apiGroups: [""], resources: [pods, pods/portforward], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: bob-get}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pf-get}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: bob}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pf-all}
rules: [{apiGroups: [""], resources: [pods, pods/portforward], verbs: [get, create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: carol-all}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pf-all}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: carol}]
Y
L8=$(free_port)
pf carol "$KUBECTL" --as=carol pod/web "$L8:8080"
L7=$(free_port)
out=$(timeout 20 "$KUBECTL" --as=bob port-forward pod/web "$L7:8080" 2>&1)
check_contains "bob (get only) is refused" "$out" "forbidden"
check_contains "... for create on pods/portforward" "$out" 'cannot create resource "pods/portforward"'
pf_wait carol
check_eq "carol (get, create) forwards (after the garbage too)" "$(get "$L8")" "hello from web"
kill "$PF_carol" 2>/dev/null
check "server healthy" curl -sf --max-time 5 --cacert "$D/pki/ca.crt" "$URL/readyz"

finish
