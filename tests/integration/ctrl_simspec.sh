# SPDX-License-Identifier: Apache-2.0
# `kdeck cluster up --simulated-node-spec FILE`: a Node template (labels,
# annotations, taints, capacity, allocatable) applied to every simulated
# node, checked with real kubectl; the scheduler honours it (a pod that
# does not tolerate the taint stays Pending, one that does runs; requests
# over the template's allocatable are refused); bad templates are
# reported by `cluster up` before anything starts.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL"

export HOME="$T_DIR/home"
K() { "$KUBECTL" --request-timeout=10s "$@"; }

# bad templates: refused on the terminal, exit status 1
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n' >"$T_DIR/pod.yaml"
out=$("$KDECK" cluster up --foreground --data-dir "$T_DIR/bad" --no-node \
	--simulated-nodes 1 --simulated-node-spec "$T_DIR/pod.yaml" 2>&1); rc=$?
check_eq "wrong kind: exit 1" "$rc" 1
check_contains "wrong kind: message" "$out" "kind Pod: want Node"
printf 'status: {capacity: {cpu: lots}}\n' >"$T_DIR/q.yaml"
out=$("$KDECK" cluster up --foreground --data-dir "$T_DIR/bad" --no-node \
	--simulated-nodes 1 --simulated-node-spec "$T_DIR/q.yaml" 2>&1)
check_contains "bad quantity" "$out" "status.capacity.cpu: not a quantity"
out=$("$KDECK" cluster up --foreground --data-dir "$T_DIR/bad" --no-node \
	--simulated-nodes 1 --simulated-node-spec "$T_DIR/missing.yaml" 2>&1)
check_contains "missing file" "$out" "missing.yaml: No such file"
printf 'spec: {taints: [{key: a, effect: Sometimes}]}\n' >"$T_DIR/t.yaml"
out=$("$KDECK" cluster up --foreground --data-dir "$T_DIR/bad" --no-node \
	--simulated-nodes 1 --simulated-node-spec "$T_DIR/t.yaml" 2>&1)
check_contains "bad taint effect" "$out" "effect must be NoSchedule"

cat >"$T_DIR/node.yaml" <<'Y'
apiVersion: v1
kind: Node
metadata:
  labels: {topology.kubernetes.io/zone: zone-a, gpu: "true", type: big}
  annotations: {example.com/rack: r1}
spec:
  taints:
  - {key: dedicated, value: ml, effect: NoSchedule}
status:
  capacity: {cpu: "64", memory: 256Gi, pods: "250", nvidia.com/gpu: "4"}
  allocatable: {cpu: 63500m, memory: 250Gi}
Y
start_cluster --no-node --simulated-nodes 2 --simulated-node-spec "$T_DIR/node.yaml"
wait_for 15 sh -c "[ \"\$($KUBECTL get nodes --no-headers 2>/dev/null | wc -l)\" = 2 ]"
check_eq "two nodes" "$(K get nodes --no-headers | wc -l | tr -d ' ')" 2
n=kdeck-sim-2
check_eq "labels" "$(K get node $n -o jsonpath='{.metadata.labels.topology\.kubernetes\.io/zone}/{.metadata.labels.gpu}/{.metadata.labels.type}/{.metadata.labels.kubernetes\.io/hostname}')" \
	"zone-a/true/big/$n"
check_eq "annotation" "$(K get node $n -o jsonpath='{.metadata.annotations.example\.com/rack}')" r1
check_eq "taint" "$(K get node $n -o jsonpath='{.spec.taints[0].key}={.spec.taints[0].value}:{.spec.taints[0].effect}')" "dedicated=ml:NoSchedule"
check_eq "capacity" "$(K get node $n -o jsonpath='{.status.capacity.cpu}/{.status.capacity.memory}/{.status.capacity.pods}/{.status.capacity.nvidia\.com/gpu}')" "64/256Gi/250/4"
check_eq "allocatable (template over capacity)" \
	"$(K get node $n -o jsonpath='{.status.allocatable.cpu}/{.status.allocatable.memory}/{.status.allocatable.pods}/{.status.allocatable.nvidia\.com/gpu}')" "63500m/250Gi/250/4"
check_contains "selected by label" "$(K get nodes -l gpu=true --no-headers)" kdeck-sim-1

K run plain --image=nginx >/dev/null
K apply -f - >/dev/null <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: ml}
spec:
  tolerations: [{key: dedicated, operator: Equal, value: ml, effect: NoSchedule}]
  nodeSelector: {gpu: "true"}
  containers:
  - name: c
    image: nginx
    resources: {requests: {cpu: "60", nvidia.com/gpu: "4"}, limits: {nvidia.com/gpu: "4"}}
Y
check "tolerating pod runs" K wait --for=condition=Ready pod/ml --timeout=20s
wait_for 10 sh -c "$KUBECTL get pod plain -o jsonpath='{.status.conditions[0].message}' | grep -q taint"
check_contains "untolerating pod pending" "$(K get pod plain -o jsonpath='{.status.phase}: {.status.conditions[?(@.type=="PodScheduled")].message}')" \
	"Pending: 0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: ml}"
finish
