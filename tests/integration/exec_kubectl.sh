# SPDX-License-Identifier: Apache-2.0
# pods/exec and pods/attach with real clients on the real node (root):
# kubectl exec (stdout, stderr + exit code, -i stdin, -c, the container
# errors, a runtime error), exec -it in tmux (prompt, stty size = the
# terminal: the resize channel), attach to a ticking container, run -it
# --rm, RBAC (create on pods/exec), the newer kubectl when present, the
# Python client's stream(), hostile upgrades and the base64 protocols
# (exec_ws_raw.py).  SPDY: exec_spdy.sh.
. "$TOP_SRCDIR/tests/lib.sh"
start_node_cluster
K() { "$KUBECTL" --request-timeout=20s "$@"; }

cat >"$T_DIR/pods.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: one}
spec:
  containers:
  - {name: c, image: kdeck.test/busybox:1, command: [sh, -c, 'while true; do echo tick; sleep 1; done']}
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
metadata: {name: done}
spec:
  restartPolicy: Never
  containers:
  - {name: c, image: kdeck.test/busybox:1, command: ['true']}
Y
K apply -f "$T_DIR/pods.yaml" >/dev/null
wait_for 30 sh -c "[ \"\$($KUBECTL get pod one two -o jsonpath='{.items[*].status.phase}')\" = 'Running Running' ]"

# ---- kubectl exec ----
exec_checks() {	# $1: label, $2: kubectl
	kc=$2
	out=$("$kc" exec one -- echo hi 2>&1); rc=$?
	check_eq "$1: exec echo prints hi" "$out" "hi"
	check_eq "$1: exec exits 0" "$rc" 0
	"$kc" exec one -- sh -c 'echo out; echo err >&2; exit 3' \
		>"$T_DIR/o" 2>"$T_DIR/e"; rc=$?
	check_eq "$1: non-zero exit code passed on" "$rc" 3
	check_eq "$1: stdout" "$(cat "$T_DIR/o")" "out"
	check_contains "$1: stderr" "$(cat "$T_DIR/e")" "err"
	check_contains "$1: kubectl's exit message" "$(cat "$T_DIR/e")" \
		"command terminated with exit code 3"
	out=$(printf 'data\nmore\n' | "$kc" exec -i one -- cat 2>&1)
	check_eq "$1: -i stdin through cat (EOF ends it)" "$out" "data
more"
	out=$(head -c 300000 /dev/zero | tr '\0' x | "$kc" exec -i one -- wc -c 2>&1)
	check_eq "$1: 300 kB of stdin" "$(echo $out)" "300000"
}
exec_checks kubectl "$KUBECTL"
if [ -x "$KUBECTL_NEW" ]; then
	exec_checks "new kubectl" "$KUBECTL_NEW"
else
	echo "# no newer kubectl in tests/.tools: its checks are not run"
fi

out=$(K exec two -c b -- sh -c 'echo $HOSTNAME' 2>&1)
check_eq "-c picks the container" "$out" "two"
out=$(K exec one -c nope -- true 2>&1)
check_contains "a wrong container" "$out" "container nope is not valid for pod one"
out=$(K exec nopod -- true 2>&1)
check_contains "a missing pod" "$out" 'pods "nopod" not found'
wait_for 30 sh -c "[ \"\$($KUBECTL get pod done -o jsonpath='{.status.phase}')\" = Succeeded ]"
out=$(K exec done -- true 2>&1)
check_contains "a completed pod (kubectl's own check)" "$out" \
	"cannot exec into a container in a completed pod"
out=$(K exec one -- nope 2>&1)
check_contains "a missing binary: the runtime's error" "$out" \
	'exec: "nope": executable file not found in $PATH'
# The server's own answers for what kubectl checks itself.
CURL() { curl -sk --cacert "$D/pki/ca.crt" --cert "$D/pki/admin.crt" --key "$D/pki/admin.key" "$@"; }
out=$(CURL "$URL/api/v1/namespaces/default/pods/two/exec?command=true&stdout=true")
check_contains "several containers and none named" "$out" \
	"a container name must be specified for pod two, choose one of: [a b]"
out=$(CURL "$URL/api/v1/namespaces/default/pods/done/exec?command=true&stdout=true")
check_contains "a container that does not run" "$out" 'container not found ("c")'
out=$(CURL "$URL/api/v1/namespaces/default/pods/one/exec?command=true")
check_contains "no stream asked for" "$out" "you must specify at least 1 of stdin, stdout, stderr"
out=$(CURL "$URL/api/v1/namespaces/default/pods/one/exec?command=true&stdout=true")
check_contains "no upgrade" "$out" "Upgrade request required"
out=$(CURL -X POST "$URL/api/v1/namespaces/default/pods/one/exec?command=true&stdout=true" \
	-H 'Connection: Upgrade' -H 'Upgrade: h2c')
check_contains "an unknown upgrade is refused" "$out" "unsupported protocol h2c"

# ---- RBAC: create on pods/exec ----
K create role podget --verb=get --resource=pods >/dev/null
K create rolebinding alice-podget --role=podget --user=alice >/dev/null
out=$(K --as=alice exec one -- true 2>&1)
check_contains "get pods alone cannot exec (403)" "$out" \
	'User "alice" cannot create resource "pods/exec" in API group "" in the namespace "default"'
K create role podexec --verb=create --resource=pods/exec >/dev/null
K create rolebinding alice-podexec --role=podexec --user=alice >/dev/null
check_eq "create on pods/exec can" "$(K --as=alice exec one -- echo ok 2>&1)" "ok"

# ---- a terminal: exec -it in tmux ----
if command -v tmux >/dev/null; then
	TS="kdeck-exec-$$"
	at_exit "tmux kill-session -t $TS 2>/dev/null"
	tmux new-session -d -s "$TS" -x 111 -y 33 "KUBECONFIG=$KUBECONFIG $KUBECTL exec -it one -- sh; echo exited=\$?; sleep 30"
	wait_for 15 sh -c "tmux capture-pane -p -t $TS | grep -q '/ #'"
	check_contains "exec -it shows the shell's prompt" "$(tmux capture-pane -p -t "$TS")" "/ #"
	tmux send-keys -t "$TS" 'stty size' Enter
	wait_for 10 sh -c "tmux capture-pane -p -t $TS | grep -q '^33 111'"
	check_contains "stty size is the terminal's (resize channel)" "$(tmux capture-pane -p -t "$TS")" "33 111"
	tmux resize-window -t "$TS" -x 90 -y 25 2>/dev/null
	sleep 1
	tmux send-keys -t "$TS" 'stty size' Enter
	wait_for 10 sh -c "tmux capture-pane -p -t $TS | grep -q '^25 90'"
	check_contains "a resized terminal follows" "$(tmux capture-pane -p -t "$TS")" "25 90"
	tmux send-keys -t "$TS" 'exit 5' Enter
	wait_for 10 sh -c "tmux capture-pane -p -t $TS | grep -q exited="
	check_contains "exit from the shell ends kubectl with its code" "$(tmux capture-pane -p -t "$TS")" "exited=5"
	tmux kill-session -t "$TS" 2>/dev/null
else
	echo "# no tmux: the terminal checks are not run"
fi

# ---- a client that goes away ends the process ----
"$KUBECTL" exec one -- sleep 4242 >/dev/null 2>&1 &
KP=$!
wait_for 15 sh -c 'pgrep -x sleep -a | grep -q "sleep 4242"'
# The system kubectl may be a dispatcher: end its child too.
kill $(pgrep -P $KP) $KP 2>/dev/null
wait $KP 2>/dev/null
wait_for 10 sh -c '! pgrep -f "[s]leep 4242" >/dev/null'
check "a killed kubectl exec ends its process" sh -c '! pgrep -f "[s]leep 4242"'

# ---- attach ----
timeout 5 "$KUBECTL" attach one >"$T_DIR/att" 2>&1
check_contains "attach shows the container's output" "$(cat "$T_DIR/att")" "tick"

# ---- run -it --rm ----
out=$(printf 'echo from-stdin\nexit 0\n' | timeout 60 "$KUBECTL" run rr -i --rm --restart=Never \
	--image=kdeck.test/busybox:1 -- sh 2>&1)
check_contains "run -i --rm: stdin reaches the new pod" "$out" "from-stdin"
check_contains "run -i --rm deletes the pod" "$out" 'pod "rr" deleted'

# ---- the Python client ----
if /usr/bin/python3 -c 'import kubernetes' 2>/dev/null; then
	out=$(/usr/bin/python3 - "$KUBECONFIG" <<'P' 2>&1
import sys
from kubernetes import client, config
from kubernetes.stream import stream
config.load_kube_config(sys.argv[1])
api = client.CoreV1Api()
print(stream(api.connect_get_namespaced_pod_exec, "one", "default",
             command=["echo", "py"], stderr=True, stdin=False, stdout=True,
             tty=False).strip())
r = stream(api.connect_get_namespaced_pod_exec, "one", "default",
           command=["sh", "-c", "exit 7"], stderr=True, stdin=False,
           stdout=True, tty=False, _preload_content=False)
r.run_forever(timeout=10)
print("rc", r.returncode)
P
)
	check_eq "Python stream(): output and return code" "$out" "py
rc 7"
else
	echo "# no Python kubernetes client: its check is not run"
fi

# ---- hostile upgrades ----
out=$(python3 "$TOP_SRCDIR/tests/integration/exec_ws_raw.py" 127.0.0.1 "$PORT" \
	"$D/pki" 2>&1)
check_contains "malformed upgrades and garbage frames" "$out" "raw: all ok"
check "the server still answers" K get pod one
finish
