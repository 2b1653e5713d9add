# SPDX-License-Identifier: Apache-2.0
# DaemonSets with real kubectl on simulated nodes: one pod per node pinned
# by node affinity, rollout status, a rolling update, a NoExecute-tainted
# node skipped unless tolerated, a node added later, cordoned nodes kept
# (maxSurge: ctrl_ds_surge.sh).  The node added later has no kubelet; a
# long node monitor grace period keeps it from being tainted unreachable.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
export KDECK_NODE_MONITOR_GRACE_PERIOD=300
start_cluster --no-node --simulated-nodes 2
K() { "$KUBECTL" --request-timeout=10s "$@"; }
wait_for 10 sh -c "[ \$($KUBECTL get nodes --no-headers 2>/dev/null | wc -l) = 2 ]"

ds() { # name [tolerations]
	cat <<Y
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: $1}
spec:
  selector: {matchLabels: {app: $1}}
  template:
    metadata: {labels: {app: $1}}
    spec:
      ${2:-}
      containers: [{name: c, image: nginx:1.26}]
Y
}
pods_on() { K get pods -l app="$1" -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort | tr '\n' ' '; }

ds agent | K apply -f - >/dev/null
check "rollout status" K rollout status ds/agent --timeout=30s
check_eq "one pod per node" "$(pods_on agent)" "kdeck-sim-1 kdeck-sim-2 "
check_contains "pinned by node affinity" \
	"$(K get pods -l app=agent -o jsonpath='{.items[0].spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0]}')" '"key":"metadata.name"'
check_contains "default tolerations" "$(K get pods -l app=agent -o jsonpath='{.items[0].spec.tolerations[*].key}')" \
	"node.kubernetes.io/not-ready node.kubernetes.io/unreachable node.kubernetes.io/disk-pressure"
check_eq "status" "$(K get ds agent -o jsonpath='{.status.desiredNumberScheduled}/{.status.currentNumberScheduled}/{.status.numberReady}/{.status.updatedNumberScheduled}/{.status.numberAvailable}')" "2/2/2/2/2"

K set image ds/agent c=nginx:1.27 >/dev/null
check "rollout status (update)" K rollout status ds/agent --timeout=40s
check_eq "updated images" "$(K get pods -l app=agent -o jsonpath='{.items[*].spec.containers[0].image}')" "nginx:1.27 nginx:1.27"
check "controller revisions" test "$(K get controllerrevisions -l app=agent --no-headers | wc -l)" -eq 2

K taint node kdeck-sim-2 dedicated=db:NoExecute >/dev/null
wait_for 15 sh -c "[ \"\$($KUBECTL get ds agent -o jsonpath='{.status.desiredNumberScheduled}')\" = 1 ]"
wait_for 15 sh -c "[ \$($KUBECTL get pods -l app=agent --no-headers 2>/dev/null | wc -l) = 1 ]"
check_eq "tainted node skipped" "$(pods_on agent)" "kdeck-sim-1 "
ds tol "tolerations: [{key: dedicated, operator: Equal, value: db, effect: NoExecute}]" | K apply -f - >/dev/null
check "tolerating daemonset rolls out" K rollout status ds/tol --timeout=30s
check_eq "tolerated taint" "$(pods_on tol)" "kdeck-sim-1 kdeck-sim-2 "

K cordon kdeck-sim-1 >/dev/null
sleep 2
check_eq "cordoned node keeps its daemon pod" "$(pods_on agent)" "kdeck-sim-1 "

K create -f - >/dev/null <<'Y'
apiVersion: v1
kind: Node
metadata: {name: extra, labels: {kubernetes.io/hostname: extra}}
Y
wait_for 15 sh -c "$KUBECTL get pods -l app=agent -o yaml 2>/dev/null | grep -q 'extra'"
check_eq "node added later gets a pod" "$(K get ds agent -o jsonpath='{.status.desiredNumberScheduled}')" 2
check_contains "pod pinned to the new node" \
	"$(K get pods -l app=agent -o jsonpath='{.items[*].spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]}')" "extra"
finish
