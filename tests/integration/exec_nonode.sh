# SPDX-License-Identifier: Apache-2.0
# pods/exec and pods/attach without a node agent (--no-node): the pod's
# node does not answer, so the answer is kube-apiserver's when it cannot
# reach a kubelet; a pod without a node; the SPDY fallback is refused
# with the same errors (kubectl prints those) and a 400 naming websocket.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node
K() { "$KUBECTL" --request-timeout=10s "$@"; }
cat >"$T_DIR/pod.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: far}
spec:
  nodeName: elsewhere
  containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: nowhere}
spec:
  containers: [{name: c, image: busybox}]
Y
K apply -f "$T_DIR/pod.yaml" >/dev/null || die "cannot create the pods"
K patch pod far --subresource=status --type=merge -p \
	'{"status":{"phase":"Running","hostIP":"10.9.8.7","containerStatuses":[{"name":"c","ready":true,"restartCount":0,"image":"busybox","imageID":"","state":{"running":{"startedAt":"2024-01-01T00:00:00Z"}}}]}}' >/dev/null
out=$(K exec far -- true 2>&1)
check_contains "kubectl: the kubelet does not answer" "$out" \
	"error dialing backend: dial tcp 10.9.8.7:10250: connect: connection refused"
out=$(K attach far 2>&1)
check_contains "attach too" "$out" "error dialing backend"
out=$(K exec nowhere -- true 2>&1)
check_contains "a pod without a node" "$out" "does not have a host assigned"
CURL() { curl -sk --cacert "$D/pki/ca.crt" --cert "$D/pki/admin.crt" --key "$D/pki/admin.key" "$@"; }
code=$(CURL -o "$T_DIR/b" -w '%{http_code}' "$URL/api/v1/namespaces/default/pods/far/exec?command=true&stdout=true" \
	-H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
	-H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' -H 'Sec-WebSocket-Protocol: v5.channel.k8s.io')
check_eq "500 before the upgrade" "$code" 500
check_contains "as a Status" "$(cat "$T_DIR/b")" '"reason":"InternalError"'
out=$(CURL -X POST "$URL/api/v1/namespaces/default/pods/nopod/exec?command=true&stdout=true" \
	-H 'Connection: Upgrade' -H 'Upgrade: SPDY/3.1' -H 'X-Stream-Protocol-Version: v4.channel.k8s.io')
check_contains "SPDY: the pod check comes first" "$out" 'pods \"nopod\" not found'
out=$(CURL -X PUT "$URL/api/v1/namespaces/default/pods/far/exec?command=true&stdout=true")
check_contains "PUT is not allowed" "$out" "MethodNotAllowed"
finish
