# SPDX-License-Identifier: Apache-2.0
# Bulk output through the node's stream paths (root, runc): 5 MB out of
# `kubectl exec` (WebSocket, the default of kubectl 1.30+) has the file's
# sha256, 1 MB through SPDY and 256 kB on stderr too; 1 MB of a container's own
# output reaches a slow `kubectl attach` client intact (the shim pauses
# the container instead of dropping the client) without the daemon
# growing.  Sizes are kept small: libmicrohttpd 0.9.75 (Debian 12)
# relays upgraded TLS connections 4 bytes per TLS record (fixed upstream
# in 0.9.77), ~0.2 MB/s; bench_exec.sh reports the figures.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd timeout sha256sum
start_node_cluster
K() { "$KUBECTL" --request-timeout=60s "$@"; }
running() { wait_for 30 sh -c "[ \"\$($KUBECTL get pod $1 -o jsonpath='{.status.phase}')\" = Running ]"; }

cat >"$T_DIR/pods.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: bulk}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sh, -c, 'dd if=/dev/urandom of=/f5 bs=1M count=5 2>/dev/null; dd if=/dev/urandom of=/f1 bs=1M count=1 2>/dev/null; echo ready; exec sleep 3600']
---
apiVersion: v1
kind: Pod
metadata: {name: talk}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: kdeck.test/busybox:1
    stdin: true
    command: [sh, -c, 'read go; dd if=/dev/urandom of=/g bs=1M count=1 2>/dev/null; sha256sum </g >&2; cat /g; echo done >&2; exec sleep 3600']
Y
K apply -f "$T_DIR/pods.yaml" >/dev/null
for p in bulk talk; do running $p || die "pod $p does not run"; done
wait_for 30 sh -c "$KUBECTL logs bulk | grep -q ready" || die "the files were not written"

WANT=$(K exec bulk -- sha256sum /f5 | cut -d' ' -f1)
check "the pod computes a sha256" test -n "$WANT"
GOT=$(K exec bulk -- cat /f5 | sha256sum | cut -d' ' -f1)
check_eq "5 MB through exec (WebSocket): the same sha256" "$GOT" "$WANT"
WANT=$(K exec bulk -- sha256sum /f1 | cut -d' ' -f1)
GOT=$(KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false K exec bulk -- cat /f1 | sha256sum | cut -d' ' -f1)
check_eq "1 MB through exec (SPDY): the same sha256" "$GOT" "$WANT"
WANT=$(K exec bulk -- sh -c 'head -c 262144 /f1 | sha256sum' | cut -d' ' -f1)
GOT=$(K exec bulk -- sh -c 'head -c 262144 /f1 >&2' 2>&1 >/dev/null | sha256sum | cut -d' ' -f1)
check_eq "256 kB on stderr: the same sha256" "$GOT" "$WANT"

# attach: a slow reader.  The client starts the output, then reads
# nothing for 3 s: the shim must hold the container (not drop the client
# once its socket is full, not buffer it all), and all of it arrives once
# the client reads.
RSS0=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
(echo go; sleep 50) | timeout 55 "$KUBECTL" attach -i talk 2>"$T_DIR/att.err" |
	{ sleep 3; head -c 1048576; } >"$T_DIR/att.out" &
APID=$!
wait_for 50 sh -c "[ \$(stat -c %s '$T_DIR/att.out') -ge 1048576 ]"
RSS1=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
kill $APID 2>/dev/null
wait $APID 2>/dev/null
check_eq "attach: 1 MB of output to a slow reader, all of it" "$(stat -c %s "$T_DIR/att.out")" 1048576
WANT=$(grep -o '^[0-9a-f]\{64\}' "$T_DIR/att.err" | head -n 1)
[ -n "$WANT" ] || WANT=$(K logs talk | grep -o '^[0-9a-f]\{64\}' | head -n 1)
check_eq "attach: the same sha256" "$(sha256sum <"$T_DIR/att.out" | cut -d' ' -f1)" "$WANT"
check "the daemon did not buffer the output (RSS $RSS0 -> $RSS1 kB)" test $((RSS1 - RSS0)) -lt 40000

check "no sanitizer reports from the daemon" sh -c "! grep -E 'runtime error|Sanitizer' '$T_DIR/err'"
K delete pod bulk talk --wait=false >/dev/null 2>&1
finish
