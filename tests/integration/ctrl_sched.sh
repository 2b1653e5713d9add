# SPDX-License-Identifier: Apache-2.0
# The scheduler with real kubectl on 3 simulated nodes labelled with
# zones (a, b, b): host port conflicts, topology spread across zones,
# one-per-node anti-affinity with the 4th replica Pending and
# kube-scheduler's exact message, affinity co-location, Priority
# admission (built-in classes, unknown class), preemption of a
# low-priority pod on full nodes (Preempted event, nominatedNodeName)
# and preemptionPolicy Never.  kubectl calls are few and batched (one
# table of all pods per poll): each costs seconds on a loaded machine.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 3
K() { "$KUBECTL" --request-timeout=10s "$@"; }
TAB="$T_DIR/pods"
COND='{.status.conditions[?(@.type=="PodScheduled")]'
# name|app|phase|node|scheduled reason|message|priority|policy|uid|nominated
table() {
	K get pods -o jsonpath="{range .items[*]}{.metadata.name}|{.metadata.labels.app}|{.status.phase}|{.spec.nodeName}|$COND.reason}|$COND.message}|{.spec.priority}|{.spec.preemptionPolicy}|{.metadata.uid}|{.status.nominatedNodeName}{\"\\n\"}{end}" >"$TAB.new" &&
		mv "$TAB.new" "$TAB"
}
# count APP PHASE [REASON]: pods of app in phase (with that reason)
count() { awk -F'|' -v a="$1" -v p="$2" -v r="${3:-}" '$2 == a && $3 == p && (r == "" || $5 == r)' "$TAB" | wc -l; }
field() { awk -F'|' -v n="$1" -v f="$2" '$1 == n { print $f }' "$TAB"; }
pending_of() { awk -F'|' -v a="$1" '$2 == a && $5 == "Unschedulable" { print $1; exit }' "$TAB"; }
nodes_of() { awk -F'|' -v a="$1" '$2 == a && $3 == "Running" { print $4 }' "$TAB"; }
# poll SECONDS CONDITION: refresh the table until CONDITION holds
poll() {
	end=$(($(date +%s) + $1))
	while :; do
		table && eval "$2" && return 0
		[ "$(date +%s)" -lt "$end" ] || { fail "timed out waiting for $2"; return 1; }
		sleep 0.3
	done
}
NONE="preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."

wait_for 15 sh -c "[ \"\$($KUBECTL get nodes --no-headers 2>/dev/null | grep -c ' Ready ')\" = 3 ]"
K label node kdeck-sim-1 topology.kubernetes.io/zone=a >/dev/null
K label node kdeck-sim-2 kdeck-sim-3 topology.kubernetes.io/zone=b >/dev/null

for i in 1 2 3 4; do
	cat <<Y
apiVersion: v1
kind: Pod
metadata: {name: hp-$i, labels: {app: hp}}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80, hostPort: 8080}]}]}
---
Y
done >"$T_DIR/hp.yaml"
cat >"$T_DIR/apps.yaml" <<'Y'
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
---
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
---
apiVersion: v1
kind: Pod
metadata: {name: db, labels: {app: db}}
spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: cache, labels: {app: cache}}
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: db}}}
  containers: [{name: c, image: nginx}]
Y
# PriorityClasses and a low-priority pod filling each node (7 of 8 cpus)
cat >"$T_DIR/prio.yaml" <<'Y'
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
for i in 1 2 3; do
	cat <<Y
---
apiVersion: v1
kind: Pod
metadata: {name: low-$i, labels: {app: low}}
spec:
  priorityClassName: low
  nodeSelector: {kubernetes.io/hostname: kdeck-sim-$i}
  containers: [{name: c, image: nginx, resources: {requests: {cpu: "7"}}}]
Y
done >>"$T_DIR/prio.yaml"
K apply -f "$T_DIR/hp.yaml" -f "$T_DIR/apps.yaml" -f "$T_DIR/prio.yaml" >/dev/null
poll 45 '[ "$(count hp Running)$(count hp Pending Unschedulable)$(count spread Running)$(count solo Running)$(count solo Pending Unschedulable)$(count cache Running)$(count low Running)" = 3143113 ]'

# --- host ports ---
check_eq "three host-port pods on three nodes" "$(nodes_of hp | sort -u | wc -l)" "3"
check_eq "host port conflict message" "$(field "$(pending_of hp)" 6)" \
	"0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports. $NONE"
# --- topology spread across zones ---
check_eq "zone a holds half of the spread replicas" "$(nodes_of spread | grep -c kdeck-sim-1)" "2"
# --- anti-affinity: one per node, the 4th Pending ---
check_eq "one solo replica per node" "$(nodes_of solo | sort -u | wc -l)" "3"
solo=$(pending_of solo)
check_eq "anti-affinity message" "$(field "$solo" 6)" \
	"0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. $NONE"
# --- affinity: co-location ---
check_eq "cache runs beside db" "$(field cache 4)" "$(field db 4)"

# --- priority admission ---
check_eq "built-in classes" \
	"$(K get priorityclass system-node-critical system-cluster-critical -o jsonpath='{.items[*].value}')" \
	"2000001000 2000000000"
out=$(K run ghost --image=nginx --overrides='{"spec":{"priorityClassName":"foo"}}' 2>&1)
check_contains "unknown class is forbidden" "$out" 'pods "ghost" is forbidden: no PriorityClass with name foo was found'

# --- preemption on full nodes ---
check_eq "low pods carry their class's priority" "$(field low-1 7)/$(field low-1 8)" "10/PreemptLowerPriority"
cat >"$T_DIR/vip.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: vip, labels: {app: vip}}
spec:
  priorityClassName: high
  containers: [{name: c, image: nginx, resources: {requests: {cpu: "2"}}}]
Y
K apply -f "$T_DIR/vip.yaml" >/dev/null
poll 30 '[ "$(count vip Running)" = 1 ]'
node=$(field vip 4)
check_eq "vip priority resolved" "$(field vip 7)" "1000"
check_eq "one low pod preempted" "$(count low Running)" "2"
check_eq "nominatedNodeName" "$(field vip 10)" "$node"
EV='{range .items[*]}{.reason}|{.involvedObject.name}|{.message}{"\n"}{end}'
K get events -o jsonpath="$EV" >"$T_DIR/events"
check_eq "Preempted event" "$(awk -F'|' '$1 == "Preempted" { print $3 }' "$T_DIR/events")" \
	"Preempted by pod $(field vip 9) on node $node"
check_contains "FailedScheduling of vip before preemption" \
	"$(awk -F'|' '$1 == "FailedScheduling" && $2 == "vip" { print $3 }' "$T_DIR/events")" \
	"0/3 nodes are available: 3 Insufficient cpu."
check_contains "FailedScheduling event of the 4th solo replica" \
	"$(awk -F'|' -v n="$solo" '$1 == "FailedScheduling" && $2 == n { print $3 }' "$T_DIR/events")" \
	"didn't match pod anti-affinity rules"

# --- preemptionPolicy Never ---
sed -e 's/name: vip/name: meek/; s/app: vip/app: meek/; s/high/polite/; s/"2"/"7"/' \
	"$T_DIR/vip.yaml" >"$T_DIR/meek.yaml"
K apply -f "$T_DIR/meek.yaml" >/dev/null
poll 30 '[ "$(count meek Pending Unschedulable)" = 1 ]'
check_eq "meek's policy from its class" "$(field meek 8)" "Never"
check_eq "Never does not preempt" "$(field meek 6)" \
	"0/3 nodes are available: 3 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."
check_eq "low pods untouched" "$(count low Running)" "2"
finish
