# SPDX-License-Identifier: Apache-2.0
# Interactive work with real pods through the node agent (root, runc):
# kubectl cp to and from a pod (exec + tar), kubectl attach to a stdin
# container (output from now on, input, a second attach), stdinOnce (the
# first client's EOF ends the container), kubectl run -i --rm (the pod is
# deleted after), a terminal's size through exec -it and attach -it (under
# script(1) for a real terminal), and the node's error texts.  kubectl
# exec itself is the API side's test (wsexec).
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL" runc script timeout
[ "$(id -u)" = 0 ] || skip "the node agent needs root here"
[ -x /bin/busybox ] || skip "no /bin/busybox for test images"

export HOME="$T_DIR/home"
mkdir -p "$HOME"
D="$T_DIR/c"
PORT=$(free_port)
"$KDECK" cluster up 9>&- --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" \
	>"$T_DIR/out" 2>>"$T_DIR/err" &
PID=$!
at_exit "kill \$PID 2>/dev/null; sleep 1; kill -9 \$PID 2>/dev/null; '$KDECK' cluster reset --yes --data-dir '$D' >/dev/null 2>&1"
wait_for 20 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
kill -0 $PID 2>/dev/null || die "the daemon does not start: $(tail -n 3 "$T_DIR/err")"
export KUBECONFIG="$D/kubeconfig.yaml"
K() { "$KUBECTL" --request-timeout=20s "$@"; }
grep -q "node agent: off" "$T_DIR/err" && skip "$(grep 'node agent: off' "$T_DIR/err")"
python3 "$TOP_SRCDIR/tests/images/mkimage.py" "$T_DIR/img" --format oci-dir \
	--name kdeck.test/busybox:1 >/dev/null || die "mkimage.py failed"
check "image import" "$KDECK" image import "$T_DIR/img" --data-dir "$D"
running() { wait_for 30 sh -c "[ \"\$($KUBECTL get pod $1 -o jsonpath='{.status.phase}')\" = Running ]"; }

# The test image has no tar applet: the pod links it first.
cat >"$T_DIR/pods.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: box}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sh, -c, 'for a in tar tty stty; do ln -s busybox /bin/$a; done; mkdir /data; echo ready; exec sleep 3600']
---
apiVersion: v1
kind: Pod
metadata: {name: att}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: kdeck.test/busybox:1
    stdin: true
    command: [sh, -c, 'while read l; do echo "got $l"; echo "err $l" >&2; done; echo "stdin ended"; sleep 3600']
---
apiVersion: v1
kind: Pod
metadata: {name: once}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: kdeck.test/busybox:1
    stdin: true
    stdinOnce: true
    command: [sh, -c, 'cat; echo finished']
---
apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: up, image: kdeck.test/busybox:1, command: [sleep, '3600']}
  - {name: crash, image: kdeck.test/busybox:1, command: [sh, -c, 'exit 1']}
---
apiVersion: v1
kind: Pod
metadata: {name: term}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: kdeck.test/busybox:1
    stdin: true
    tty: true
    command: [sh]
Y
K apply -f "$T_DIR/pods.yaml" >/dev/null
for p in box att once term two; do running $p || die "pod $p does not run: $(K get pod $p -o yaml | tail -n 20)"; done
wait_for 10 sh -c "$KUBECTL logs box | grep -q ready"

K exec box -- true 2>"$T_DIR/probe" ||
	die "pods/exec does not work: $(head -c 200 "$T_DIR/probe")"

# ---- the node's errors ----
check_contains "unknown container" "$(K exec box -c nope -- true 2>&1)" "container nope is not valid for pod box"
wait_for 20 sh -c "[ -n \"\$($KUBECTL get pod two -o jsonpath='{.status.containerStatuses[?(@.name==\"crash\")].lastState.terminated.exitCode}{.status.containerStatuses[?(@.name==\"crash\")].state.terminated.exitCode}')\" ]"
check_contains "a container that is not running: kubelet's words" "$(K exec two -c crash -- true 2>&1)" 'container not found ("crash")'

# ---- kubectl cp ----
mkdir -p "$T_DIR/tree/sub"
seq 1 2000 >"$T_DIR/tree/numbers.txt"
echo two >"$T_DIR/tree/sub/b.txt"
check "cp a directory into the pod" K cp "$T_DIR/tree" box:/data/tree
check_eq "its files in the pod" "$(K exec box -- sh -c 'sha256sum </data/tree/numbers.txt; cat /data/tree/sub/b.txt' | cut -d' ' -f1 | tr '\n' ' ')" "$(sha256sum <"$T_DIR/tree/numbers.txt" | cut -d' ' -f1) two "
check "cp it back from the pod" K cp box:/data/tree "$T_DIR/tree2"
check "the same bytes back" diff -r "$T_DIR/tree" "$T_DIR/tree2"

# ---- kubectl attach: output from now on, stdin, a second client ----
OUT=$(printf 'hello\n' | timeout 4 "$KUBECTL" attach -i att 2>"$T_DIR/attach.err")
check_contains "attach: stdin reaches the container, stdout back" "$OUT" "got hello"
check_contains "attach: stderr apart" "$(cat "$T_DIR/attach.err")" "err hello"
OUT=$(printf 'again\n' | timeout 4 "$KUBECTL" attach -i att 2>&1)
check_contains "attach again: stdin stays open (no stdinOnce)" "$OUT" "got again"
check_contains "the log has both" "$(K logs att)" "got hello
err hello
got again"

# ---- stdinOnce: the first client's EOF closes the container's stdin ----
OUT=$(printf 'line1\nline2\n' | timeout 20 "$KUBECTL" attach -i once 2>&1)
check_contains "stdinOnce: input echoed" "$OUT" "line2"
check_contains "stdinOnce: EOF ends cat" "$OUT" "finished"
wait_for 20 sh -c "[ \"\$($KUBECTL get pod once -o jsonpath='{.status.phase}')\" = Succeeded ]"
check_eq "the pod completed" "$(K get pod once -o jsonpath='{.status.phase}')" "Succeeded"

# ---- kubectl run -i --rm ----
OUT=$(echo world | timeout 60 "$KUBECTL" run tmp -i --rm --restart=Never \
	--image=kdeck.test/busybox:1 --command -- sh -c 'read x; echo "x=$x"' 2>&1)
check_contains "run -i: input and output" "$OUT" "x=world"
wait_for 20 sh -c "! $KUBECTL get pod tmp >/dev/null 2>&1"
check "run --rm deleted the pod" sh -c "! '$KUBECTL' get pod tmp >/dev/null 2>&1"

# ---- terminals: the client's size reaches the process ----
# (the process starts before the client's first size message arrives)
OUT=$(timeout 30 script -qec "stty cols 91 rows 27; '$KUBECTL' exec -it box -- sh -c 'sleep 1; stty size'" /dev/null </dev/null 2>&1)
check_contains "exec -it: stty size is the client's" "$OUT" "27 91"
OUT=$( (sleep 2; printf 'stty size; echo "tty=$(tty)"\n'; sleep 1; printf 'exit 3\n'; sleep 1) |
	timeout 40 script -qec "stty cols 77 rows 22; '$KUBECTL' attach -it term" /dev/null 2>&1)
check_contains "attach -it: the container's terminal has the client's size" "$OUT" "22 77"
check_contains "attach -it: its own terminal" "$OUT" "tty=/dev/pts/0"
wait_for 20 sh -c "[ \"\$($KUBECTL get pod term -o jsonpath='{.status.containerStatuses[0].restartCount}')\" -ge 1 ] || [ \"\$($KUBECTL get pod term -o jsonpath='{.status.containerStatuses[0].lastState.terminated.exitCode}')\" = 3 ]"
check_eq "exit ends the tty container (exit code 3)" "$(K get pod term -o jsonpath='{.status.containerStatuses[0].lastState.terminated.exitCode}')" "3"

check "no sanitizer reports from the daemon" sh -c "! grep -E 'runtime error|Sanitizer' '$T_DIR/err'"
K delete pod box att term two --wait=false >/dev/null 2>&1
finish
