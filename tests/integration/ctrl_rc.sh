# SPDX-License-Identifier: Apache-2.0
# ReplicationControllers with real kubectl on simulated nodes: pods made
# to spec.replicas and owned by the RC, status, `kubectl scale rc` up and
# down, a deleted pod replaced, an orphan with matching labels adopted,
# events SuccessfulCreate/SuccessfulDelete, cascading delete.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 2
K() { "$KUBECTL" --request-timeout=10s "$@"; }
count() { "$KUBECTL" get pods -l app=rcweb --field-selector=status.phase=Running --no-headers 2>/dev/null | grep -vc Terminating; }
wait_count() { wait_for "$1" sh -c "[ \"\$($KUBECTL get pods -l app=rcweb --field-selector=status.phase=Running --no-headers 2>/dev/null | grep -vc Terminating)\" = $2 ]"; }

K apply -f - >/dev/null <<'Y'
apiVersion: v1
kind: ReplicationController
metadata: {name: rcweb}
spec:
  replicas: 3
  selector: {app: rcweb}
  template:
    metadata: {labels: {app: rcweb, tier: front}}
    spec:
      containers: [{name: c, image: nginx}]
Y
wait_count 20 3
check_eq "3 pods running" "$(count)" 3
check_eq "owned by the RC" \
	"$(K get pods -l app=rcweb -o jsonpath='{.items[0].metadata.ownerReferences[0].kind}/{.items[0].metadata.ownerReferences[0].controller}')" \
	"ReplicationController/true"
wait_for 10 sh -c "[ \"\$($KUBECTL get rc rcweb -o jsonpath='{.status.readyReplicas}')\" = 3 ]"
check_eq "rc status" \
	"$(K get rc rcweb -o jsonpath='{.status.replicas}/{.status.fullyLabeledReplicas}/{.status.readyReplicas}/{.status.availableReplicas}/{.status.observedGeneration}')" \
	"3/3/3/3/1"
check_eq "kubectl get rc" "$(K get rc rcweb --no-headers | awk '{print $1, $2, $3, $4}')" "rcweb 3 3 3"

check "kubectl scale rc up" K scale rc rcweb --replicas=5
wait_count 20 5
check_eq "scaled up to 5" "$(count)" 5
check "kubectl scale rc down" K scale rc/rcweb --replicas=2
wait_for 20 sh -c "[ \"\$($KUBECTL get pods -l app=rcweb --no-headers 2>/dev/null | wc -l)\" = 2 ]"
check_eq "scaled down to 2" "$(K get pods -l app=rcweb --no-headers | wc -l | tr -d ' ')" 2

victim=$(K get pods -l app=rcweb -o jsonpath='{.items[0].metadata.name}')
K delete pod "$victim" --wait=false >/dev/null
wait_for 20 sh -c "[ \"\$($KUBECTL get pods -l app=rcweb --field-selector=status.phase=Running --no-headers 2>/dev/null | grep -v $victim | wc -l)\" = 2 ]"
check_eq "deleted pod replaced" "$(K get pods -l app=rcweb --no-headers | grep -v "$victim" | grep -c Running)" 2

# an orphan with the selector's labels is adopted; the RC then deletes one
K run orphan --image=nginx --labels=app=rcweb >/dev/null
wait_for 20 sh -c "[ \"\$($KUBECTL get pod orphan -o jsonpath='{.metadata.ownerReferences[0].name}' 2>/dev/null)\" = rcweb ] || ! $KUBECTL get pod orphan >/dev/null 2>&1"
wait_for 20 sh -c "[ \"\$($KUBECTL get pods -l app=rcweb --no-headers 2>/dev/null | wc -l)\" = 2 ]"
check_eq "orphan adopted, still 2 pods" "$(K get pods -l app=rcweb --no-headers | wc -l | tr -d ' ')" 2

ev=$(K get events --field-selector involvedObject.kind=ReplicationController 2>&1)
check_contains "SuccessfulCreate event" "$ev" "Created pod: rcweb-"
check_contains "SuccessfulDelete event" "$ev" "SuccessfulDelete"
check_contains "describe rc" "$(K describe rc rcweb 2>&1)" "replication-controller"

check "delete rc" K delete rc rcweb --wait=false
wait_for 30 sh -c "[ \"\$($KUBECTL get pods -l app=rcweb --no-headers 2>/dev/null | wc -l)\" = 0 ]"
check_eq "pods deleted with the rc" "$(K get pods -l app=rcweb --no-headers 2>/dev/null | wc -l | tr -d ' ')" 0
finish
