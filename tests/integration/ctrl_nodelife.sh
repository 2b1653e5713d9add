# SPDX-License-Identifier: Apache-2.0
# Node lifecycle with real kubectl on two simulated nodes: kdeck-sim-1
# stops renewing its Lease (the kdeck.io/simulated-stopped teaching hook)
# and, past a 4 s grace period (KDECK_NODE_MONITOR_GRACE_PERIOD), turns
# Unknown with the unreachable taints; pods that do not tolerate the
# NoExecute taint go at once, tolerationSeconds is respected, a tolerating
# pod stays, a Deployment's pods come back on kdeck-sim-2; recovery
# removes the taints.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
export KDECK_NODE_MONITOR_GRACE_PERIOD=4
start_cluster --no-node --simulated-nodes 2
K() { "$KUBECTL" --request-timeout=10s "$@"; }

wait_for 15 sh -c "[ \$($KUBECTL get nodes --no-headers 2>/dev/null | grep -c ' Ready ') = 2 ]"
check_eq "admission adds the default tolerations" \
	"$(K run probe --image=nginx --dry-run=server -o jsonpath='{.spec.tolerations[*].key}/{.spec.tolerations[*].tolerationSeconds}')" \
	"node.kubernetes.io/not-ready node.kubernetes.io/unreachable/300 300"
pod() { # name toleration-seconds ("" = forever, "-" = only the defaults)
	case $2 in
	-) tol="[]" ;;
	"") tol='[{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute}]' ;;
	*) tol="[{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: $2}]" ;;
	esac
	cat <<YAML | K apply -f - >/dev/null
apiVersion: v1
kind: Pod
metadata: {name: $1}
spec:
  nodeSelector: {kubernetes.io/hostname: kdeck-sim-1}
  tolerations: $tol
  containers: [{name: c, image: nginx}]
YAML
}
pod p-now 0
pod p-wait 15
pod p-stay ""
pod p-default -
K cordon kdeck-sim-2 >/dev/null
cat <<'YAML' | K apply -f - >/dev/null
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}]
      containers: [{name: c, image: nginx}]
YAML
check "rollout on kdeck-sim-1" K rollout status deployment/web --timeout=20s
wait_for 10 sh -c "[ \$($KUBECTL get pods --no-headers 2>/dev/null | grep -c Running) = 6 ]"
K uncordon kdeck-sim-2 >/dev/null

K annotate node kdeck-sim-1 kdeck.io/simulated-stopped=true >/dev/null
wait_for 20 sh -c "[ \"\$($KUBECTL get node kdeck-sim-1 -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}')\" = Unknown ]"
check_eq "every condition Unknown" "$(K get node kdeck-sim-1 -o jsonpath='{.status.conditions[*].status}')" "Unknown Unknown Unknown Unknown"
check_contains "reason and message" "$(K get node kdeck-sim-1 -o jsonpath='{.status.conditions[?(@.type=="Ready")].reason}: {.status.conditions[?(@.type=="Ready")].message}')" \
	"NodeStatusUnknown: Kubelet stopped posting node status."
check_contains "kubectl get nodes says NotReady" "$(K get node kdeck-sim-1 --no-headers)" "NotReady"
wait_for 5 sh -c "$KUBECTL get node kdeck-sim-1 -o jsonpath='{.spec.taints}' | grep -q NoExecute"
check_eq "pod tolerating 15 s still there" "$(K get pod p-wait -o jsonpath='{.metadata.deletionTimestamp}')" ""
check_eq "unreachable taints" "$(K get node kdeck-sim-1 -o jsonpath='{range .spec.taints[*]}{.key}:{.effect} {end}')" \
	"node.kubernetes.io/unreachable:NoSchedule node.kubernetes.io/unreachable:NoExecute "
check_eventually "NodeNotReady event" \
	"Node kdeck-sim-1 status is now: NodeNotReady" K get events --field-selector reason=NodeNotReady -o jsonpath='{.items[*].message}'
wait_for 5 sh -c "[ -n \"\$($KUBECTL get pod p-now -o jsonpath='{.metadata.deletionTimestamp}')\" ]"
check "pod with tolerationSeconds 0 evicted at once" test -n "$(K get pod p-now -o jsonpath='{.metadata.deletionTimestamp}')"
check_eq "DisruptionTarget condition" "$(K get pod p-now -o jsonpath='{.status.conditions[?(@.type=="DisruptionTarget")].reason}')" "DeletionByTaintManager"
check_eventually "TaintManagerEviction event" \
	"Marking for deletion Pod default/p-now" K get events --field-selector reason=TaintManagerEviction -o jsonpath='{.items[*].message}'
check_eq "its Ready condition went False" "$(K get pod p-stay -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" "False"
wait_for 20 sh -c "[ \$($KUBECTL get pods -l app=web -o wide --no-headers 2>/dev/null | grep kdeck-sim-2 | grep -c Running) = 2 ]"
check_eq "deployment pods rescheduled onto kdeck-sim-2" \
	"$(K get pods -l app=web -o wide --no-headers | grep kdeck-sim-2 | grep -c Running)" "2"
wait_for 20 sh -c "[ -n \"\$($KUBECTL get pod p-wait -o jsonpath='{.metadata.deletionTimestamp}')\" ]"
check "pod tolerating 15 s evicted after that" test -n "$(K get pod p-wait -o jsonpath='{.metadata.deletionTimestamp}')"
check_eq "pod tolerating forever stays" "$(K get pod p-stay -o jsonpath='{.metadata.deletionTimestamp}')" ""
check_eq "pod with the default 300 s stays for now" "$(K get pod p-default -o jsonpath='{.metadata.deletionTimestamp}')" ""

K annotate node kdeck-sim-1 kdeck.io/simulated-stopped- >/dev/null
wait_for 15 sh -c "[ \"\$($KUBECTL get node kdeck-sim-1 -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}')\" = True ]"
check_contains "node Ready again" "$(K get node kdeck-sim-1 --no-headers)" " Ready "
wait_for 10 sh -c "[ -z \"\$($KUBECTL get node kdeck-sim-1 -o jsonpath='{.spec.taints}')\" ]"
check_eq "taints removed" "$(K get node kdeck-sim-1 -o jsonpath='{.spec.taints}')" ""
check_eventually "NodeReady event" \
	"Node kdeck-sim-1 status is now: NodeReady" K get events --field-selector reason=NodeReady -o jsonpath='{.items[*].message}'
wait_for 10 sh -c "! $KUBECTL get pod p-now >/dev/null 2>&1"
check_contains "evicted pods finish once the node is back" "$(K get pod p-now 2>&1)" "NotFound"
wait_for 10 sh -c "[ \"\$($KUBECTL get pod p-stay -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}')\" = True ]"
check_eq "the surviving pod is ready again" "$(K get pod p-stay -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" "True"
finish
