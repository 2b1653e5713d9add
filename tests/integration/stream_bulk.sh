# SPDX-License-Identifier: Apache-2.0
# 20 MB through the API server's stream paths (root, runc): a pod's file
# fetched through `kubectl port-forward` (busybox httpd) and read through
# `kubectl exec` (WebSocket and SPDY) arrives with the file's sha256.
# Correctness only: bench_exec.sh prints the rates.  The daemon terminates
# TLS itself (server_tls.c), so upgraded connections run at socket speed.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd timeout sha256sum
# One pod network per machine: node tests take turns.
exec 9>"${TMPDIR:-/tmp}/kdeck-node-tests.lock"
command -v flock >/dev/null && flock -w 150 9
start_node_cluster 9>&-
K() { "$KUBECTL" --request-timeout=60s "$@"; }

cat >"$T_DIR/pod.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: big}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sh, -c, 'mkdir -p /w && dd if=/dev/urandom of=/w/f bs=1M count=20 2>/dev/null; echo ready; exec httpd -f -p 8080 -h /w']
Y
K apply -f "$T_DIR/pod.yaml" >/dev/null
wait_for 40 sh -c "$KUBECTL logs big 2>/dev/null | grep -q ready" || die "the pod does not run"
WANT=$(K exec big -- sha256sum /w/f | cut -d' ' -f1)
check "the pod computes a sha256" test -n "$WANT"

LP=$(free_port)
"$KUBECTL" port-forward pod/big "$LP:8080" >"$T_DIR/pf" 2>&1 &
at_exit "kill $! 2>/dev/null"
wait_for 20 grep -q "Forwarding from" "$T_DIR/pf"
GOT=$(curl -s --max-time 50 "http://127.0.0.1:$LP/f" | sha256sum | cut -d' ' -f1)
check_eq "20 MB through kubectl port-forward: the same sha256" "$GOT" "$WANT"

GOT=$(timeout 50 "$KUBECTL" exec big -- cat /w/f | sha256sum | cut -d' ' -f1)
check_eq "20 MB through kubectl exec (WebSocket): the same sha256" "$GOT" "$WANT"
GOT=$(KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false timeout 50 "$KUBECTL" exec big -- cat /w/f |
	sha256sum | cut -d' ' -f1)
check_eq "20 MB through kubectl exec (SPDY): the same sha256" "$GOT" "$WANT"
# stdin the other way: 20 MB into the pod.
head -c 20000000 /dev/urandom >"$T_DIR/up"
WANT=$(sha256sum <"$T_DIR/up" | cut -d' ' -f1)
GOT=$(timeout 50 "$KUBECTL" exec -i big -- sha256sum <"$T_DIR/up" | cut -d' ' -f1)
check_eq "20 MB into kubectl exec -i: the same sha256" "$GOT" "$WANT"

check "no sanitizer reports from the daemon" sh -c "! grep -E 'runtime error|Sanitizer' '$T_DIR/err'"
K delete pod big --wait=false >/dev/null 2>&1
finish
