# SPDX-License-Identifier: Apache-2.0
# The scheduler with real kubectl on 3 simulated nodes labelled with
# zones (a, b, b): host port conflicts, topology spread across zones,
# one-per-node anti-affinity with the 4th replica Pending and
# kube-scheduler's exact message, affinity co-location, Priority
# admission (built-in classes, unknown class), preemption of a
# low-priority pod on full nodes (DisruptionTarget, Preempted event,
# nominatedNodeName) and preemptionPolicy Never.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 3
K() { "$KUBECTL" --request-timeout=10s "$@"; }
phase() { K get pod "$1" -o jsonpath='{.status.phase}' 2>/dev/null; }
sched_msg() { K get pod "$1" -o jsonpath='{.status.conditions[?(@.type=="PodScheduled")].message}'; }
running() { K get pods -l "$1" --field-selector=status.phase=Running --no-headers 2>/dev/null | wc -l; }
NONE="preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."

wait_for 15 sh -c "[ \"\$($KUBECTL get nodes --no-headers 2>/dev/null | grep -c ' Ready ')\" = 3 ]"
K label node kdeck-sim-1 topology.kubernetes.io/zone=a >/dev/null
K label node kdeck-sim-2 kdeck-sim-3 topology.kubernetes.io/zone=b >/dev/null

# --- host ports ---
for i in 1 2 3 4; do
	cat <<Y
apiVersion: v1
kind: Pod
metadata: {name: hp-$i, labels: {app: hp}}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80, hostPort: 8080}]}]}
---
Y
done >"$T_DIR/hp.yaml"
K apply -f "$T_DIR/hp.yaml" >/dev/null
wait_for 15 sh -c "[ \$($KUBECTL get pods -l app=hp --field-selector=status.phase=Running --no-headers | wc -l) = 3 ]"
check_eq "three host-port pods on three nodes" \
	"$(K get pods -l app=hp -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | grep . | sort -u | wc -l)" "3"
wait_for 10 sh -c "$KUBECTL get pods -l app=hp -o jsonpath='{.items[*].status.conditions[*].reason}' | grep -q Unschedulable"
pend=$(K get pods -l app=hp --field-selector=status.phase=Pending -o jsonpath='{.items[0].metadata.name}')
check_eq "host port conflict message" "$(sched_msg "$pend")" \
	"0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports. $NONE"
K delete pod -l app=hp --wait=false >/dev/null

# --- topology spread across zones ---
cat >"$T_DIR/spread.yaml" <<'Y'
apiVersion: apps/v1
kind: Deployment
metadata: {name: spread}
spec:
  replicas: 4
  selector: {matchLabels: {app: spread}}
  template:
    metadata: {labels: {app: spread}}
    spec:
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: spread}}}
      containers: [{name: c, image: nginx}]
Y
K apply -f "$T_DIR/spread.yaml" >/dev/null
wait_for 20 sh -c "[ \$($KUBECTL get pods -l app=spread --field-selector=status.phase=Running --no-headers | wc -l) = 4 ]"
check_eq "zone a holds half of the replicas" \
	"$(K get pods -l app=spread -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | grep -c kdeck-sim-1)" "2"

# --- anti-affinity: one per node, the 4th Pending ---
cat >"$T_DIR/solo.yaml" <<'Y'
apiVersion: apps/v1
kind: Deployment
metadata: {name: solo}
spec:
  replicas: 4
  selector: {matchLabels: {app: solo}}
  template:
    metadata: {labels: {app: solo}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: solo}}}
      containers: [{name: c, image: nginx}]
Y
K apply -f "$T_DIR/solo.yaml" >/dev/null
wait_for 20 sh -c "[ \$($KUBECTL get pods -l app=solo --field-selector=status.phase=Running --no-headers | wc -l) = 3 ]"
wait_for 10 sh -c "$KUBECTL get pods -l app=solo -o jsonpath='{.items[*].status.conditions[*].reason}' | grep -q Unschedulable"
pend=$(K get pods -l app=solo --field-selector=status.phase=Pending -o jsonpath='{.items[0].metadata.name}')
check_eq "one solo replica per node" \
	"$(K get pods -l app=solo --field-selector=status.phase=Running -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort -u | wc -l)" "3"
check_eq "anti-affinity message" "$(sched_msg "$pend")" \
	"0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. $NONE"
wait_for 10 sh -c "$KUBECTL get events --field-selector reason=FailedScheduling,involvedObject.name=$pend -o name | grep -q ."
check_contains "FailedScheduling event" \
	"$(K get events --field-selector reason=FailedScheduling,involvedObject.name="$pend" -o jsonpath='{.items[*].message}')" \
	"didn't match pod anti-affinity rules"
K delete deployment solo spread >/dev/null

# --- affinity: co-location ---
K run db --image=nginx --labels=app=db >/dev/null
cat >"$T_DIR/cache.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: cache}
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: db}}}
  containers: [{name: c, image: nginx}]
Y
wait_for 15 sh -c "[ \"\$($KUBECTL get pod db -o jsonpath='{.status.phase}')\" = Running ]"
K apply -f "$T_DIR/cache.yaml" >/dev/null
wait_for 15 sh -c "[ \"\$($KUBECTL get pod cache -o jsonpath='{.status.phase}')\" = Running ]"
check_eq "cache runs beside db" "$(K get pod cache -o jsonpath='{.spec.nodeName}')" \
	"$(K get pod db -o jsonpath='{.spec.nodeName}')"
K delete pod db cache --wait=false >/dev/null

# --- priority admission ---
check_eq "built-in classes" \
	"$(K get priorityclass system-node-critical system-cluster-critical -o jsonpath='{.items[*].value}')" \
	"2000001000 2000000000"
cat >"$T_DIR/pc.yaml" <<'Y'
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: low}
value: 10
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: polite}
value: 1000
preemptionPolicy: Never
Y
K apply -f "$T_DIR/pc.yaml" >/dev/null
out=$(K run ghost --image=nginx --overrides='{"spec":{"priorityClassName":"foo"}}' 2>&1)
check_contains "unknown class is forbidden" "$out" 'pods "ghost" is forbidden: no PriorityClass with name foo was found'

# --- preemption on full nodes ---
for i in 1 2 3; do
	cat <<Y
apiVersion: v1
kind: Pod
metadata: {name: low-$i, labels: {tier: low}}
spec:
  priorityClassName: low
  nodeSelector: {kubernetes.io/hostname: kdeck-sim-$i}
  containers: [{name: c, image: nginx, resources: {requests: {cpu: "7"}}}]
---
Y
done >"$T_DIR/low.yaml"
K apply -f "$T_DIR/low.yaml" >/dev/null
wait_for 20 sh -c "[ \$($KUBECTL get pods -l tier=low --field-selector=status.phase=Running --no-headers | wc -l) = 3 ]"
check_eq "low pods carry their priority" "$(K get pod low-1 -o jsonpath='{.spec.priority}/{.spec.preemptionPolicy}')" \
	"10/PreemptLowerPriority"
cat >"$T_DIR/vip.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: vip}
spec:
  priorityClassName: high
  containers: [{name: c, image: nginx, resources: {requests: {cpu: "2"}}}]
Y
K apply -f "$T_DIR/vip.yaml" >/dev/null
check_eq "vip priority resolved" "$(K get pod vip -o jsonpath='{.spec.priority}')" "1000"
wait_for 20 sh -c "[ \"\$($KUBECTL get pod vip -o jsonpath='{.status.phase}')\" = Running ]"
node=$(K get pod vip -o jsonpath='{.spec.nodeName}')
uid=$(K get pod vip -o jsonpath='{.metadata.uid}')
check_eq "one low pod preempted" "$(running tier=low)" "2"
check_eq "nominatedNodeName" "$(K get pod vip -o jsonpath='{.status.nominatedNodeName}')" "$node"
wait_for 10 sh -c "$KUBECTL get events --field-selector reason=Preempted -o name | grep -q ."
check_eq "Preempted event" "$(K get events --field-selector reason=Preempted -o jsonpath='{.items[0].message}')" \
	"Preempted by pod $uid on node $node"
check_contains "FailedScheduling before preemption" \
	"$(K get events --field-selector reason=FailedScheduling,involvedObject.name=vip -o jsonpath='{.items[*].message}')" \
	"0/3 nodes are available: 3 Insufficient cpu."

# --- preemptionPolicy Never ---
cat >"$T_DIR/meek.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: meek}
spec:
  priorityClassName: polite
  containers: [{name: c, image: nginx, resources: {requests: {cpu: "7"}}}]
Y
K apply -f "$T_DIR/meek.yaml" >/dev/null
check_eq "meek policy from its class" "$(K get pod meek -o jsonpath='{.spec.preemptionPolicy}')" "Never"
wait_for 10 sh -c "$KUBECTL get pod meek -o jsonpath='{.status.conditions[0].reason}' | grep -q Unschedulable"
check_eq "Never does not preempt" "$(sched_msg meek)" \
	"0/3 nodes are available: 3 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."
sleep 2
check_eq "low pods untouched" "$(running tier=low)" "2"
finish
