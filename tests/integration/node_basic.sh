# SPDX-License-Identifier: Apache-2.0
# The node agent with real kubectl and runc (root only): the Node is
# registered with the machine's capacity and nodeInfo and a renewing
# Lease; a pod runs with a pod IP and its output in its log; deleting it
# sends SIGTERM (trapped, logged) within the grace period; Completed and
# Error pods with exit codes; ErrImagePull -> ImagePullBackOff;
# CreateContainerConfigError for a missing ConfigMap key; kill -9 of the
# daemon and a new start adopt the running container (same start time,
# same restartCount); `cluster down` leaves no container, mount or veth.
. "$TOP_SRCDIR/tests/lib.sh"
need_node
PORT=$(free_port)
NODE=$(hostname | tr 'A-Z' 'a-z')
up() {
	"$KDECK" cluster up 9>&- --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" \
		>"$T_DIR/out" 2>>"$T_DIR/err" &
	PID=$!
	wait_for 20 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
	kill -0 $PID 2>/dev/null || die "the daemon does not start: $(tail -n 3 "$T_DIR/err")"
}
up
at_exit "kill \$PID 2>/dev/null; sleep 1; kill -9 \$PID 2>/dev/null; '$KDECK' cluster reset --yes --data-dir '$D' >/dev/null 2>&1"
export KUBECONFIG="$D/kubeconfig.yaml"
K() { "$KUBECTL" --request-timeout=10s "$@"; }
grep -q "node agent: off" "$T_DIR/err" && skip "$(grep 'node agent: off' "$T_DIR/err")"
check_contains "cluster up says what runs pods" "$(cat "$T_DIR/err")" "node $NODE: runs pods with runc"
# This cluster's own pod network (DATA/net/network.json).
NETJ="$D/net/network.json"
BR=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bridge"])' "$NETJ")
CIDR=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["podCIDR"])' "$NETJ")
check_contains "cluster up names bridge and CIDR" "$(cat "$T_DIR/err")" "bridge $BR, pod CIDR $CIDR"

python3 "$TOP_SRCDIR/tests/images/mkimage.py" "$T_DIR/img" --format oci-dir \
	--name kdeck.test/busybox:1 >/dev/null || die "mkimage.py failed"
check "image import" "$KDECK" image import "$T_DIR/img" --data-dir "$D"

# ---- the Node ----
wait_for 10 K get node "$NODE"
N=$(K get node "$NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}|{.status.capacity.cpu}|{.status.capacity.memory}|{.status.nodeInfo.kernelVersion}|{.status.nodeInfo.containerRuntimeVersion}|{.metadata.labels.kubernetes\.io/hostname}|{.metadata.labels.kubernetes\.io/os}|{.spec.podCIDR}')
IFS='|' read -r N_READY N_CPU N_MEM N_KERNEL N_RT N_HOST N_OS N_CIDR <<E
$N
E
check_eq "node Ready" "$N_READY" "True"
check_eq "node cpu = online CPUs" "$N_CPU" "$(nproc)"
check_eq "node memory from /proc/meminfo" "$N_MEM" "$(awk '/MemTotal/ {print $2}' /proc/meminfo)Ki"
check_eq "kernel version" "$N_KERNEL" "$(uname -r)"
check_contains "container runtime" "$N_RT" "runc://"
check_eq "labels" "$N_HOST/$N_OS" "$NODE/linux"
check_eq "pod CIDR" "$N_CIDR" "$CIDR"
R1=$(K -n kube-node-lease get lease "$NODE" -o jsonpath='{.spec.renewTime}')
check "a Lease" [ -n "$R1" ]

phase() { K get pod "$1" -o jsonpath='{.status.phase}'; }

# ---- a running pod, deleted gracefully ----
cat >"$T_DIR/web.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  terminationGracePeriodSeconds: 10
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sh, -c, 'trap "echo got TERM; exit 0" TERM; echo started; while true; do sleep 0.2; done']
Y
K apply -f "$T_DIR/web.yaml" >/dev/null
wait_for 20 sh -c "[ \"\$($KUBECTL get pod web -o jsonpath='{.status.phase}')\" = Running ]"
check_eq "pod Running and Ready" "$(K get pod web -o jsonpath='{.status.phase}/{.status.containerStatuses[0].ready}/{.status.conditions[?(@.type=="Ready")].status}')" "Running/true/True"
check_contains "pod IP from the pod CIDR" "$(K get pod web -o jsonpath='{.status.podIP}')" "${CIDR%0/24}"
check_contains "containerID" "$(K get pod web -o jsonpath='{.status.containerStatuses[0].containerID}')" "runc://"
wait_for 5 sh -c "$KUBECTL logs web | grep -q started"
check_contains "kubectl logs shows the pod's output" "$(K logs web)" "started"
START=$(K get pod web -o jsonpath='{.status.containerStatuses[0].state.running.startedAt}')

# ---- daemon restart: kill -9, start again, the container is adopted ----
kill -9 $PID
wait $PID 2>/dev/null
up
sleep 3
check_eq "adopted: same start, no restart" \
	"$(K get pod web -o jsonpath='{.status.containerStatuses[0].state.running.startedAt}/{.status.containerStatuses[0].restartCount}')" "$START/0"

T0=$(date +%s)
check "kubectl delete pod" K delete pod web --timeout=30s
T1=$(date +%s)
check "deleted within the grace period" [ $((T1 - T0)) -lt 10 ]
check_contains "SIGTERM reached the container" "$(cat "$D"/logs/default_web_*/c/0.log)" "got TERM"

# ---- completed and failed pods ----
K run done --image=kdeck.test/busybox:1 --restart=Never -- sh -c 'echo bye' >/dev/null
K run fail --image=kdeck.test/busybox:1 --restart=Never -- sh -c 'exit 3' >/dev/null
wait_for 20 sh -c "[ \"\$($KUBECTL get pod done -o jsonpath='{.status.phase}')\" = Succeeded ]"
wait_for 20 sh -c "[ \"\$($KUBECTL get pod fail -o jsonpath='{.status.phase}')\" = Failed ]"
check_eq "Completed pod" "$(K get pod done -o jsonpath='{.status.phase}/{.status.containerStatuses[0].state.terminated.reason}/{.status.containerStatuses[0].state.terminated.exitCode}')" "Succeeded/Completed/0"
check_eq "Error pod" "$(K get pod fail -o jsonpath='{.status.phase}/{.status.containerStatuses[0].state.terminated.reason}/{.status.containerStatuses[0].state.terminated.exitCode}')" "Failed/Error/3"
check_contains "kubectl get shows Completed" "$(K get pod done --no-headers)" "Completed"

# ---- image pull failure ----
K run nope --image=127.0.0.1:1/nope:1 >/dev/null
wait_for 20 sh -c "$KUBECTL get pod nope -o jsonpath='{.status.containerStatuses[0].state.waiting.reason}' | grep -q ImagePullBackOff"
check_eq "ImagePullBackOff" "$(K get pod nope -o jsonpath='{.status.containerStatuses[0].state.waiting.reason}')" "ImagePullBackOff"
check_eventually "ErrImagePull event" "Failed to pull image \"127.0.0.1:1/nope:1\"" K get events --field-selector involvedObject.name=nope
check_eventually "BackOff event" "Back-off pulling image" K get events --field-selector involvedObject.name=nope

# ---- missing ConfigMap key ----
K create configmap cfg --from-literal=a=1 >/dev/null
cat >"$T_DIR/cfgerr.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: cfgerr}
spec:
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sleep, "100"]
    env:
    - name: X
      valueFrom: {configMapKeyRef: {name: cfg, key: nokey}}
Y
K apply -f "$T_DIR/cfgerr.yaml" >/dev/null
wait_for 20 sh -c "$KUBECTL get pod cfgerr -o jsonpath='{.status.containerStatuses[0].state.waiting.reason}' | grep -q CreateContainerConfigError"
check_eq "CreateContainerConfigError" "$(K get pod cfgerr -o jsonpath='{.status.containerStatuses[0].state.waiting.reason}')" "CreateContainerConfigError"
check_contains "its message names the key" "$(K get pod cfgerr -o jsonpath='{.status.containerStatuses[0].state.waiting.message}')" "nokey"

wait_for 15 sh -c "[ \"\$($KUBECTL -n kube-node-lease get lease $NODE -o jsonpath='{.spec.renewTime}')\" != '$R1' ]"
check "lease renewed" [ "$(K -n kube-node-lease get lease "$NODE" -o jsonpath='{.spec.renewTime}')" != "$R1" ]

# ---- cluster down leaves nothing behind ----
veths() { ip -o link show master "$BR" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | sort; }
veths >"$T_DIR/veth0"
K run last --image=kdeck.test/busybox:1 \
	--overrides='{"spec":{"terminationGracePeriodSeconds":1}}' -- sleep 1000 >/dev/null
wait_for 20 sh -c "[ \"\$($KUBECTL get pod last -o jsonpath='{.status.phase}')\" = Running ]"
veths >"$T_DIR/veth1"
MINE=$(comm -13 "$T_DIR/veth0" "$T_DIR/veth1")
check "the pod has a veth on $BR" [ -n "$MINE" ]
check "cluster down" "$KDECK" cluster down --data-dir "$D"
wait_for 20 sh -c "! kill -0 $PID"
check_eq "no runc containers left" "$(runc --root "$D/run/runc" list -q 2>/dev/null)" ""
check_eq "no mounts left under the data dir" "$(grep -c " $D/" /proc/mounts)" "0"
check "the pod's veth is gone" sh -c "! ip link show '${MINE:-none}' >/dev/null 2>&1"
finish
