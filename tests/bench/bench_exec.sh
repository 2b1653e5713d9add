# SPDX-License-Identifier: Apache-2.0
# Exec, attach and port-forward throughput (root and runc only): MB/s of
# `kubectl exec POD -- cat FILE` through WebSocket and SPDY, of a
# container's own output through `kubectl attach`, of the same file
# fetched by curl through `kubectl port-forward` (busybox httpd), and of
# the node's side alone (`runc exec cat` into a pipe, what the agent
# reads).  Prints figures; never fails on timing.  SIZE_MB (default 1)
# sets the file size.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 runc "$KUBECTL"
[ "$(id -u)" = 0 ] || skip "the node agent needs root here"
[ -x /bin/busybox ] || skip "no /bin/busybox for test images"
# One pod network per machine: node tests take turns.
exec 9>"${TMPDIR:-/tmp}/kdeck-node-tests.lock"
command -v flock >/dev/null && flock -w 150 9
MB=${SIZE_MB:-1}
start_node_cluster 9>&-
K() { "$KUBECTL" --request-timeout=300s "$@"; }

cat >"$T_DIR/pods.yaml" <<Y
apiVersion: v1
kind: Pod
metadata: {name: bulk}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sh, -c, 'mkdir -p /w && dd if=/dev/urandom of=/w/f bs=1M count=$MB 2>/dev/null && ln -s /w/f /f; echo ready; exec httpd -f -p 8080 -h /w']
---
apiVersion: v1
kind: Pod
metadata: {name: talk}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sh, -c, 'while [ ! -e /go ]; do sleep 0.1; done; head -c ${MB}000000 /dev/zero; exec sleep 3600']
Y
K apply -f "$T_DIR/pods.yaml" >/dev/null
wait_for 60 sh -c "$KUBECTL logs bulk 2>/dev/null | grep -q ready" || die "the pod does not run"
wait_for 60 sh -c "[ \"\$($KUBECTL get pod talk -o jsonpath='{.status.phase}')\" = Running ]"

rate() {	# label bytes start_ns
	awk -v l="$1" -v b="$2" -v t="$(( $(date +%s%N) - $3 ))" \
		'BEGIN { printf "%s: %d bytes in %.0f ms, %.2f MB/s\n", l, b, t / 1e6, b / 1e6 / (t / 1e9) }'
}
PUID=$(K get pod bulk -o jsonpath='{.metadata.uid}')
for c in $(ls "$D/run/containers" | grep "^${PUID}_c_" | tail -n 1); do
	T0=$(date +%s%N)
	N=$(runc --root "$D/run/runc" exec "$c" cat /f | wc -c)
	rate "node side alone (runc exec cat into a pipe)" "$N" "$T0"
done
T0=$(date +%s%N)
N=$(K exec bulk -- cat /f | wc -c)
rate "kubectl exec, WebSocket" "$N" "$T0"
T0=$(date +%s%N)
N=$(KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false K exec bulk -- cat /f | wc -c)
rate "kubectl exec, SPDY" "$N" "$T0"
"$KUBECTL" attach talk 2>/dev/null >"$T_DIR/att" &
APID=$!
sleep 2	# attached: output from now on
T0=$(date +%s%N)
K exec talk -- touch /go
wait_for 300 sh -c "[ \$(stat -c %s '$T_DIR/att') -ge ${MB}000000 ]"
kill $APID 2>/dev/null
rate "kubectl attach (from the exec that starts the output)" "$(stat -c %s "$T_DIR/att")" "$T0"
LP=$(free_port)
"$KUBECTL" port-forward pod/bulk "$LP:8080" >"$T_DIR/pf" 2>&1 &
PFPID=$!
wait_for 20 grep -q "Forwarding from" "$T_DIR/pf"
T0=$(date +%s%N)
N=$(curl -s --max-time 300 "http://127.0.0.1:$LP/f" | wc -c)
rate "kubectl port-forward (curl of the file)" "$N" "$T0"
kill $PFPID 2>/dev/null
K delete pod bulk talk --wait=false >/dev/null 2>&1
finish
