# SPDX-License-Identifier: Apache-2.0
# pods/exec and pods/attach over SPDY/3.1 on the real node (root):
# kubectl with KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false (echo, exit code,
# stderr, 300 kB of stdin, -it under script(1) with the terminal's size,
# a wrong container, attach, cp), Debian's kubectl 1.20 when
# tests/.tools has it (exec, port-forward, logs, get, apply), the SPDY
# handshake's answers, and clients that go away before the 101
# (exec_spdy_raw.py): their processes must end.
. "$TOP_SRCDIR/tests/lib.sh"
start_node_cluster
KUBECTL_OLD=${KUBECTL_OLD:-$TOP_SRCDIR/tests/.tools/bin/kubectl-1.20}
KS() { KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false "$KUBECTL" --request-timeout=20s "$@"; }

cat >"$T_DIR/pods.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: one}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sh, -c, 'ln -s busybox /bin/tar; echo hello >/index.html; httpd -p 8080 -h /; while true; do echo tick; sleep 1; done']
Y
KS apply -f "$T_DIR/pods.yaml" >/dev/null
wait_for 30 sh -c "[ \"\$($KUBECTL get pod one -o jsonpath='{.status.phase}')\" = Running ]" ||
	die "pod one not Running"

# ---- kubectl exec over SPDY ----
spdy_checks() {	# $1: label, $2...: kubectl command
	l=$1; shift
	out=$("$@" exec one -- echo hi 2>&1); rc=$?
	check_eq "$l: exec echo prints hi" "$out" "hi"
	check_eq "$l: exec exits 0" "$rc" 0
	"$@" exec one -- sh -c 'echo out; echo err >&2; exit 3' \
		>"$T_DIR/o" 2>"$T_DIR/e"; rc=$?
	check_eq "$l: non-zero exit code passed on" "$rc" 3
	check_eq "$l: stdout" "$(cat "$T_DIR/o")" "out"
	check_contains "$l: stderr" "$(cat "$T_DIR/e")" "err"
	check_contains "$l: kubectl's exit message" "$(cat "$T_DIR/e")" \
		"command terminated with exit code 3"
	out=$(head -c 300000 /dev/zero | tr '\0' x | "$@" exec -i one -- wc -c 2>&1)
	check_eq "$l: 300 kB of stdin (FIN ends it)" "$(echo $out)" "300000"
}
spdy_checks "SPDY" KS

out=$(KS exec one -c nope -- true 2>&1)
check_contains "SPDY: a wrong container" "$out" "container nope is not valid for pod one"
out=$(KS exec one -- nope 2>&1)
check_contains "SPDY: a missing binary: the runtime's error" "$out" \
	'exec: "nope": executable file not found in $PATH'

# -it: a terminal from script(1); stty size inside is the terminal's.
if command -v script >/dev/null; then
	out=$(timeout 30 script -qec "stty rows 33 cols 111; KUBECONFIG=$KUBECONFIG KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false $KUBECTL exec -it one -- sh -c 'sleep 1; stty size; exit 4'; echo exited=\$?" /dev/null </dev/null 2>&1)
	check_contains "SPDY -it: the terminal's size (resize stream)" "$out" "33 111"
	check_contains "SPDY -it: the exit code" "$out" "exited=4"
else
	echo "# no script(1): the terminal checks are not run"
fi

# ---- attach and cp ----
KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false timeout 5 "$KUBECTL" attach one >"$T_DIR/att" 2>&1
check_contains "SPDY: attach shows the container's output" "$(cat "$T_DIR/att")" "tick"
head -c 100000 /dev/urandom >"$T_DIR/blob"
check "SPDY: kubectl cp into the pod" KS cp "$T_DIR/blob" one:/blob
check "SPDY: kubectl cp back" KS cp one:/blob "$T_DIR/back"
check "SPDY: the same bytes" cmp "$T_DIR/blob" "$T_DIR/back"

# ---- the handshake ----
CURL() { curl -sk --cacert "$D/pki/ca.crt" --cert "$D/pki/admin.crt" --key "$D/pki/admin.key" "$@"; }
EXEC="$URL/api/v1/namespaces/default/pods/one/exec?command=true&stdout=true"
out=$(CURL -X POST "$EXEC" -H 'Connection: Upgrade' -H 'Upgrade: SPDY/3.1' \
	-H 'X-Stream-Protocol-Version: v9.channel.k8s.io')
check_contains "SPDY: an unknown protocol version is refused" "$out" \
	"unable to negotiate protocol: client supports [v9.channel.k8s.io]"
out=$(CURL -si -X POST "$EXEC" -m 3 -H 'Connection: Upgrade' -H 'Upgrade: SPDY/3.1' \
	-H 'X-Stream-Protocol-Version: v3.channel.k8s.io' \
	-H 'X-Stream-Protocol-Version: v4.channel.k8s.io' | tr -d '\r')
check_contains "SPDY: 101" "$out" "101 Switching Protocols"
check_contains "SPDY: v4 chosen" "$out" "X-Stream-Protocol-Version: v4.channel.k8s.io"

# ---- Debian's kubectl 1.20 (SPDY only) ----
if [ -x "$KUBECTL_OLD" ]; then
	KO() { "$KUBECTL_OLD" --request-timeout=20s "$@"; }
	spdy_checks "kubectl 1.20" KO
	check_contains "kubectl 1.20: get" "$(KO get pod one 2>&1)" "Running"
	check_contains "kubectl 1.20: logs" "$(KO logs one --tail=2 2>&1)" "tick"
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: old}\ndata: {a: b}\n' >"$T_DIR/cm.yaml"
	check_contains "kubectl 1.20: apply" "$(KO apply -f "$T_DIR/cm.yaml" 2>&1)" "configmap/old created"
	lp=$(free_port)
	KO port-forward pod/one "$lp:8080" >"$T_DIR/pf" 2>&1 &
	at_exit "kill $! 2>/dev/null"
	wait_for 15 grep -q Forwarding "$T_DIR/pf"
	check_eq "kubectl 1.20: port-forward" "$(curl -s -m 5 "http://127.0.0.1:$lp/index.html")" "hello"
else
	echo "# no kubectl 1.20 in tests/.tools (./dev test-deps): its checks are not run"
fi

# ---- clients gone before the 101 ----
out=$(python3 "$TOP_SRCDIR/tests/integration/exec_spdy_raw.py" 127.0.0.1 "$PORT" \
	"$D/pki" 2>&1)
check_contains "raw SPDY and early hang-ups" "$out" "raw: all ok"
wait_for 10 sh -c '! pgrep -f "[s]leep 4343" >/dev/null'
check "sessions of clients gone before the 101 end their process" \
	sh -c '! pgrep -f "[s]leep 4343"'
check "the server still answers" KS get pod one
finish
