# SPDX-License-Identifier: Apache-2.0
# Deployments and ReplicaSets with real kubectl on simulated nodes: create,
# rollout status, scale up/down, a deleted pod is replaced, set image +
# rollout undo, Recreate, and an unschedulable deployment that becomes
# schedulable once scaled down; progressDeadlineSeconds (Progressing=False
# ProgressDeadlineExceeded, rollout status fails) and pause/resume;
# minReadySeconds (a ready pod counts as available only after it).
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 2
K() { "$KUBECTL" --request-timeout=10s "$@"; }
running() { K get pods -l app=web --field-selector=status.phase=Running --no-headers 2>/dev/null | wc -l; }

# started first so that its deadline passes while the rest runs
K apply -f - >/dev/null <<'Y'
apiVersion: apps/v1
kind: Deployment
metadata: {name: stuck}
spec:
  replicas: 1
  progressDeadlineSeconds: 3
  selector: {matchLabels: {app: stuck}}
  template:
    metadata: {labels: {app: stuck}}
    spec:
      containers: [{name: c, image: nginx, resources: {requests: {cpu: "100"}}}]
Y
K create deployment web --image=nginx:1.26 --replicas=3 >/dev/null
check "rollout status (create)" K rollout status deployment/web --timeout=20s
check_eq "3 pods running" "$(running | tr -d ' ')" 3
check_eq "replicaset revision" \
	"$(K get rs -l app=web -o jsonpath='{.items[0].metadata.annotations.deployment\.kubernetes\.io/revision}')" 1
check_contains "pod owned by the replicaset" \
	"$(K get pods -l app=web -o jsonpath='{.items[0].metadata.ownerReferences[0].kind}/{.items[0].metadata.ownerReferences[0].controller}')" "ReplicaSet/true"
check_eq "deployment status" \
	"$(K get deploy web -o jsonpath='{.status.readyReplicas}/{.status.availableReplicas}/{.status.updatedReplicas}')" "3/3/3"

K scale deployment web --replicas=5 >/dev/null
check "rollout status (scale up)" K rollout status deployment/web --timeout=20s
wait_for 10 sh -c "[ \$(K() { $KUBECTL \"\$@\"; }; $KUBECTL get pods -l app=web --no-headers | grep -c Running) = 5 ]"
check_eq "5 pods" "$(running | tr -d ' ')" 5
K scale deployment web --replicas=2 >/dev/null
wait_for 15 sh -c "[ \$($KUBECTL get pods -l app=web --no-headers 2>/dev/null | wc -l) = 2 ]"
check_eq "scaled down to 2" "$(K get pods -l app=web --no-headers | wc -l | tr -d ' ')" 2

victim=$(K get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
K delete pod "$victim" --wait=false >/dev/null
wait_for 15 sh -c "[ \$($KUBECTL get pods -l app=web --field-selector=status.phase=Running --no-headers 2>/dev/null | grep -v $victim | wc -l) = 2 ]"
check_eq "deleted pod replaced" "$(K get pods -l app=web --no-headers | grep -v "$victim" | grep -c Running)" 2
check_eventually "SuccessfulCreate event" "SuccessfulCreate" K get events --field-selector reason=SuccessfulCreate

K set image deployment/web nginx=nginx:1.27 >/dev/null
K annotate deployment web kubernetes.io/change-cause="to 1.27" >/dev/null
check "rollout status (set image)" K rollout status deployment/web --timeout=30s
# the controller copies the Deployment's annotations to its ReplicaSets
check_eventually "rollout history shows the change-cause" "to 1.27" K rollout history deployment/web
check_eq "but not last-applied or the revision bookkeeping" \
	"$(K get rs -l app=web -o jsonpath='{.items[*].metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}')" ""
check_eq "image updated" "$(K get pods -l app=web -o jsonpath='{.items[*].spec.containers[0].image}')" "nginx:1.27 nginx:1.27"
check_eq "two replicasets" "$(K get rs -l app=web --no-headers | wc -l | tr -d ' ')" 2
check "rollout undo" K rollout undo deployment/web
check "rollout status (undo)" K rollout status deployment/web --timeout=30s
check_eq "image rolled back" "$(K get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}')/$(K get pods -l app=web -o jsonpath='{.items[*].spec.containers[0].image}')" "nginx:1.26/nginx:1.26 nginx:1.26"
check_eq "revision 3" "$(K get deploy web -o jsonpath='{.metadata.annotations.deployment\.kubernetes\.io/revision}')" 3
check_eventually "ScalingReplicaSet events" "Scaled down replica set" K get events

K rollout pause deployment/web >/dev/null
wait_for 10 sh -c "$KUBECTL get deploy web -o jsonpath='{.status.conditions[?(@.type==\"Progressing\")].reason}' | grep -q Paused"
check_eq "paused: Progressing Unknown DeploymentPaused" \
	"$(K get deploy web -o jsonpath='{.status.conditions[?(@.type=="Progressing")].status}/{.status.conditions[?(@.type=="Progressing")].reason}/{.status.conditions[?(@.type=="Progressing")].message}')" \
	"Unknown/DeploymentPaused/Deployment is paused"
K set image deployment/web nginx=nginx:1.28 >/dev/null
sleep 2
check_eq "paused: no new replicaset" "$(K get rs -l app=web --no-headers | wc -l | tr -d ' ')" 2
K rollout resume deployment/web >/dev/null
check "resumed: rollout completes" K rollout status deployment/web --timeout=30s
check_eq "resumed: NewReplicaSetAvailable" \
	"$(K get deploy web -o jsonpath='{.status.conditions[?(@.type=="Progressing")].reason}')" "NewReplicaSetAvailable"

rs=$(K get rs -l app=stuck -o jsonpath='{.items[0].metadata.name}')
wait_for 15 sh -c "$KUBECTL get deploy stuck -o jsonpath='{.status.conditions[?(@.type==\"Progressing\")].reason}' | grep -q Exceeded"
check_eq "progress deadline: condition" \
	"$(K get deploy stuck -o jsonpath='{.status.conditions[?(@.type=="Progressing")].status}/{.status.conditions[?(@.type=="Progressing")].reason}/{.status.conditions[?(@.type=="Progressing")].message}')" \
	"False/ProgressDeadlineExceeded/ReplicaSet \"$rs\" has timed out progressing."
check_contains "progress deadline: rollout status fails" "$(K rollout status deployment/stuck --timeout=10s 2>&1; echo "rc=$?")" \
	'error: deployment "stuck" exceeded its progress deadline'

cat >"$T_DIR/huge.yaml" <<'Y'
apiVersion: apps/v1
kind: Deployment
metadata: {name: huge}
spec:
  replicas: 3
  selector: {matchLabels: {app: huge}}
  template:
    metadata: {labels: {app: huge}}
    spec:
      containers:
      - name: c
        image: nginx
        resources: {requests: {cpu: "5"}}
Y
K apply -f "$T_DIR/huge.yaml" >/dev/null
wait_for 15 sh -c "$KUBECTL get events --field-selector reason=FailedScheduling 2>/dev/null | grep -q 'Insufficient cpu'"
check_contains "FailedScheduling for the third pod" \
	"$(K get events --field-selector reason=FailedScheduling 2>&1)" "0/2 nodes are available: 2 Insufficient cpu."
K scale deployment huge --replicas=2 >/dev/null
check "rollout status after scaling down" K rollout status deployment/huge --timeout=30s

# minReadySeconds: Ready at once on a simulated node, available 12 s later.
K apply -f - >/dev/null <<'Y'
apiVersion: apps/v1
kind: Deployment
metadata: {name: slow}
spec:
  minReadySeconds: 12
  selector: {matchLabels: {app: slow}}
  template:
    metadata: {labels: {app: slow}}
    spec: {containers: [{name: c, image: nginx}]}
Y
wait_for 20 sh -c "[ \"\$($KUBECTL get rs -l app=slow -o jsonpath='{.items[0].status.readyReplicas}')\" = 1 ]"
check_eq "ready but not yet available" \
	"$(K get rs -l app=slow -o jsonpath='{.items[0].status.readyReplicas}/{.items[0].status.availableReplicas}')" "1/"
check_eq "deployment not available yet" "$(K get deployment slow -o jsonpath='{.status.availableReplicas}')" ""
wait_for 30 sh -c "[ \"\$($KUBECTL get deployment slow -o jsonpath='{.status.availableReplicas}')\" = 1 ]"
check_eq "available after minReadySeconds" "$(K get deployment slow -o jsonpath='{.status.availableReplicas}')" "1"
finish
