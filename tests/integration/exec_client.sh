# SPDX-License-Identifier: Apache-2.0
# kdeck exec / attach / port-forward against the embedded cluster's real
# node (root): stdout and stderr apart, exit code 3 passed on, -i stdin,
# -c and a wrong container, a forbidden user (--as, RBAC on pods/exec),
# and port-forward + curl to a busybox httpd pod.
. "$TOP_SRCDIR/tests/lib.sh"
start_node_cluster
K() { "$KUBECTL" --request-timeout=20s "$@"; }

cat >"$T_DIR/pods.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: one}
spec:
  containers:
  - {name: c, image: kdeck.test/busybox:1, command: [sleep, '3600']}
---
apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  containers:
  - {name: a, image: kdeck.test/busybox:1, command: [sleep, '3600']}
  - {name: b, image: kdeck.test/busybox:1, command: [sleep, '3600']}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sh, -c, 'mkdir -p /tmp/www && echo hello-pf >/tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www']
    ports: [{containerPort: 8080}]
Y
K apply -f "$T_DIR/pods.yaml" >/dev/null
wait_for 40 sh -c "[ \"\$($KUBECTL get pod one two web -o jsonpath='{.items[*].status.phase}')\" = 'Running Running Running' ]"
KX() { timeout 30 "$KDECK" "$@"; }

out=$(KX exec one -- echo hi 2>&1); rc=$?
check_eq "exec echo prints hi" "$out" "hi"
check_eq "exec exits 0" "$rc" 0
KX exec one -- sh -c 'echo out; echo err >&2; exit 3' >"$T_DIR/o" 2>"$T_DIR/e"
rc=$?
check_eq "exit code 3 propagated" "$rc" 3
check_eq "stdout" "$(cat "$T_DIR/o")" "out"
check_eq "stderr apart" "$(cat "$T_DIR/e")" "err"
out=$(printf 'data\nmore\n' | KX exec -i one -- cat 2>&1)
check_eq "-i: stdin through cat, EOF ends it" "$out" "data
more"
out=$(head -c 300000 /dev/zero | tr '\0' x | KX exec -i one -- wc -c 2>&1)
check_eq "-i: 300 kB of stdin" "$(echo $out)" "300000"
check_eq "-c picks the container" "$(KX exec two -c b -- sh -c 'echo $HOSTNAME' 2>&1)" "two"
out=$(KX exec one -c nope -- true 2>&1); rc=$?
check_eq "a wrong container: exit 1" "$rc" 1
check_contains "a wrong container: the server's message" "$out" "nope"
out=$(KX exec nopod -- true 2>&1); rc=$?
check_contains "a missing pod" "$out" '"nopod" not found'

K create role podget --verb=get --resource=pods >/dev/null
K create rolebinding alice-podget --role=podget --user=alice >/dev/null
out=$(KX exec --as alice one -- true 2>&1); rc=$?
check_eq "forbidden user: exit 1" "$rc" 1
check_contains "forbidden user: kubectl-like message" "$out" "Error from server (Forbidden)"
check_contains "forbidden user: names pods/exec" "$out" "pods/exec"

# ---- port-forward ----
LP=$(free_port)
"$KDECK" port-forward web "$LP:8080" >"$T_DIR/pf.out" 2>"$T_DIR/pf.err" &
PF=$!
at_exit "kill $PF 2>/dev/null"
wait_for 10 grep -q Forwarding "$T_DIR/pf.out"
check_eq "port-forward: kubectl's line" "$(cat "$T_DIR/pf.out")" \
	"Forwarding from 127.0.0.1:$LP -> 8080"
out=$(curl -s --max-time 15 "http://127.0.0.1:$LP/" 2>&1)
if [ "$out" != "hello-pf" ] && grep -qiE "not support|could not find|400" "$T_DIR/pf.err"; then
	echo "# the cluster serves no WebSocket port-forward yet: $(head -n 1 "$T_DIR/pf.err")"
else
	check_eq "port-forward: curl through it" "$out" "hello-pf"
	check_eq "port-forward: a second request" \
		"$(curl -s --max-time 15 "http://127.0.0.1:$LP/")" "hello-pf"
fi
kill -INT $PF
wait_for 10 sh -c "! kill -0 $PF 2>/dev/null"
check "port-forward: ctrl-c stops it" sh -c "! kill -0 $PF 2>/dev/null"
out=$(KX port-forward nopod 8080 2>&1); rc=$?
check_contains "port-forward: a missing pod" "$out" '"nopod" not found'
finish
