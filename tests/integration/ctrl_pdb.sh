# SPDX-License-Identifier: Apache-2.0
# PodDisruptionBudgets and evictions with real kubectl on two simulated
# nodes: PDB status (kubectl get pdb columns), an eviction allowed (201)
# then refused (429 with the DisruptionBudget cause), a pod under two
# budgets (500), `kubectl drain` of a node running a Deployment guarded
# by a budget, and one eviction through the official Python client.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 2
K() { "$KUBECTL" --request-timeout=10s "$@"; }

K create deployment web --image=busybox --replicas=3 >/dev/null
cat <<Y | K apply -f - >/dev/null
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}
Y
wait_for 30 sh -c "[ \"\$($KUBECTL get deploy web -o jsonpath='{.status.readyReplicas}')\" = 3 ]"
wait_for 15 sh -c "[ \"\$($KUBECTL get pdb web -o jsonpath='{.status.disruptionsAllowed}')\" = 1 ]"
check_eq "pdb status" "$(K get pdb web -o jsonpath='{.status.currentHealthy}/{.status.desiredHealthy}/{.status.expectedPods}/{.status.disruptionsAllowed}/{.status.observedGeneration}')" "3/2/3/1/1"
check_eq "condition" "$(K get pdb web -o jsonpath='{.status.conditions[0].type}/{.status.conditions[0].status}/{.status.conditions[0].reason}')" \
	"DisruptionAllowed/True/SufficientPods"
out=$(K get pdb)
check_contains "table header" "$out" "NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE"
check_contains "table row" "$out" "web    2               N/A               1"

evict() { # pod
	printf '{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"%s","namespace":"default"}}' "$1" >"$T_DIR/ev.json"
	K create --raw "/api/v1/namespaces/default/pods/$1/eviction" -f "$T_DIR/ev.json" 2>&1
}
set -- $(K get pods -l app=web -o jsonpath='{.items[*].metadata.name}')
out=$(evict "$1")
check_contains "eviction allowed: 201 Success" "$out" '"status":"Success"'
out=$(K get pod "$1" -o jsonpath='{.metadata.deletionTimestamp}' 2>&1)
case $out in *NotFound*|*T*) check "pod deleted or deleting" true ;; *) check "pod deleted or deleting: $out" false ;; esac
# simulated replacements are Ready at once: raise the bar to refuse
wait_for 30 sh -c "[ \"\$($KUBECTL get pdb web -o jsonpath='{.status.currentHealthy}')\" = 3 ]"
K patch pdb web --type=merge -p '{"spec":{"minAvailable":3}}' >/dev/null
wait_for 15 sh -c "[ \"\$($KUBECTL get pdb web -o jsonpath='{.status.observedGeneration}/{.status.disruptionsAllowed}')\" = 2/0 ]"
check_eq "condition InsufficientPods" "$(K get pdb web -o jsonpath='{.status.conditions[0].status}/{.status.conditions[0].reason}')" "False/InsufficientPods"
out=$(evict "$2")
check_contains "eviction refused: 429" "$out" "Error from server (TooManyRequests)"
check_contains "eviction refused: message" "$out" "Cannot evict pod as it would violate the pod's disruption budget."
code=$(printf '{"apiVersion":"policy/v1beta1","kind":"Eviction","metadata":{"name":"%s"}}' "$2" |
	K create --raw "/api/v1/namespaces/default/pods/$2/eviction" -f - -v=8 2>&1)
check_contains "v1beta1 body: cause" "$code" 'The disruption budget web needs 3 healthy pods and has 3 currently'
check_contains "v1beta1 body: cause type" "$code" 'DisruptionBudget'
check "pod kept" K get pod "$2"
K patch pdb web --type=merge -p '{"spec":{"minAvailable":2}}' >/dev/null

cat <<Y | K apply -f - >/dev/null
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web2}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
Y
out=$(evict "$2")
check_contains "two budgets: 500" "$out" "Error from server (InternalError)"
check_contains "two budgets: message" "$out" "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
wait_for 10 sh -c "[ \"\$($KUBECTL get pdb web2 -o jsonpath='{.status.expectedPods}')\" = 3 ]"
check_eq "maxUnavailable from the deployment's scale" "$(K get pdb web2 -o jsonpath='{.status.desiredHealthy}/{.status.disruptionsAllowed}')" "2/1"
K delete pdb web2 >/dev/null

# drain the first node: pods move to the second one, the budget is honoured
wait_for 30 sh -c "[ \"\$($KUBECTL get pdb web -o jsonpath='{.status.disruptionsAllowed}')\" = 1 ]"
n1=$(K get pods -l app=web -o jsonpath='{.items[0].spec.nodeName}')
out=$(K drain "$n1" --ignore-daemonsets --delete-emptydir-data --timeout=50s 2>&1)
check_contains "drained" "$out" "node/$n1 drained"
check_contains "cordoned" "$out" "node/$n1 cordoned"
check_eq "unschedulable" "$(K get node "$n1" -o jsonpath='{.spec.unschedulable}')" "true"
check_eq "no web pod left on $n1" \
	"$(K get pods -l app=web --field-selector spec.nodeName="$n1" -o name 2>&1)" ""
K uncordon "$n1" >/dev/null

PY=
for p in python3 /usr/bin/python3; do
	"$p" -c 'import kubernetes' 2>/dev/null && { PY=$p; break; }
done
if [ -n "$PY" ]; then
	wait_for 30 sh -c "[ \"\$($KUBECTL get pdb web -o jsonpath='{.status.disruptionsAllowed}')\" = 1 ]"
	victim=$(K get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
	out=$("$PY" - "$victim" <<'EOP' 2>&1
import sys
from kubernetes import client, config
config.load_kube_config()
v1 = client.CoreV1Api()
body = client.V1Eviction(metadata=client.V1ObjectMeta(name=sys.argv[1], namespace="default"))
v1.create_namespaced_pod_eviction(sys.argv[1], "default", body)
print("evicted")
EOP
)
	check_contains "python create_namespaced_pod_eviction" "$out" "evicted"
else
	echo "# python kubernetes client not installed: python eviction not run"
fi
finish
