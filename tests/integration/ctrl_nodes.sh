# SPDX-License-Identifier: Apache-2.0
# Simulated nodes and the scheduler with real kubectl: `cluster up
# --simulated-nodes 3` registers Ready nodes with Leases; a pod is bound by
# the scheduler and runs (KWOK-style status); a pod asking for 100 cpus
# stays Pending with the Kubernetes FailedScheduling message; deleting a
# running pod removes it promptly.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 3
K() { "$KUBECTL" --request-timeout=10s "$@"; }

wait_for 10 sh -c "[ \"\$($KUBECTL get nodes --no-headers 2>/dev/null | grep -c ' Ready ')\" = 3 ]"
check_eq "3 Ready simulated nodes" \
	"$(K get nodes -o jsonpath='{range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status} {end}')" \
	"kdeck-sim-1=True kdeck-sim-2=True kdeck-sim-3=True "
check_eq "node capacity" \
	"$(K get node kdeck-sim-2 -o jsonpath='{.status.capacity.cpu}/{.status.capacity.memory}/{.status.capacity.pods}/{.metadata.labels.kubernetes\.io/hostname}')" \
	"8/32Gi/110/kdeck-sim-2"
wait_for 15 K -n kube-node-lease get lease kdeck-sim-3
check_eq "node lease holder" \
	"$(K -n kube-node-lease get lease kdeck-sim-3 -o jsonpath='{.spec.holderIdentity}')" "kdeck-sim-3"

K run web --image=nginx:1.27 --restart=Never >/dev/null
wait_for 15 sh -c "[ \"\$($KUBECTL get pod web -o jsonpath='{.status.phase}')\" = Running ]"
check_eq "pod runs" "$(K get pod web -o jsonpath='{.status.phase}/{.status.containerStatuses[0].ready}/{.status.containerStatuses[0].restartCount}')" "Running/true/0"
check_contains "bound to a simulated node" "$(K get pod web -o jsonpath='{.spec.nodeName}')" "kdeck-sim-"
check_contains "pod IP" "$(K get pod web -o jsonpath='{.status.podIP}')" "10.244."
check_eq "Ready condition" "$(K get pod web -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" "True"
check "kubectl wait --for=condition=Ready" K wait --for=condition=Ready pod/web --timeout=10s

cat >"$T_DIR/big.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: big}
spec:
  containers:
  - name: c
    image: nginx
    resources: {requests: {cpu: "100"}}
Y
K apply -f "$T_DIR/big.yaml" >/dev/null
wait_for 10 sh -c "$KUBECTL get pod big -o jsonpath='{.status.conditions[0].reason}' | grep -q Unschedulable"
check_eq "unschedulable message" \
	"$(K get pod big -o jsonpath='{.status.conditions[?(@.type=="PodScheduled")].message}')" \
	"0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
wait_for 5 sh -c "$KUBECTL get events --field-selector reason=FailedScheduling | grep -q 'Insufficient cpu'"
check_eventually "FailedScheduling event" "Insufficient cpu" K get events --field-selector reason=FailedScheduling
check_eq "still pending" "$(K get pod big -o jsonpath='{.status.phase}/{.spec.nodeName}')" "Pending/"

check "delete a running pod" K delete pod web --wait=true --timeout=15s
check_contains "pod gone" "$(K get pod web 2>&1)" "NotFound"
finish
