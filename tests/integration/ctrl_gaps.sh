# SPDX-License-Identifier: Apache-2.0
# Controller and admission semantics with real kubectl on simulated
# nodes: Deployment Progressing reasons (NewReplicaSetCreated) and a
# paused Deployment scaled proportionally across its ReplicaSets;
# schedulingGates (SchedulingGated until removed); LimitRange validation
# messages; ResourceQuota scopeSelector on PriorityClass; the
# pvc-protection finalizer; Job per-index back-off (backoffLimitPerIndex).
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" python3

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 2
K() { "$KUBECTL" --request-timeout=10s "$@"; }
rs_sizes() { K get rs -l app=web -o jsonpath='{range .items[*]}{.spec.replicas}{" "}{end}' | tr ' ' '\n' | sort -n | tr '\n' ' '; }

# Job per-index back-off: started first, it needs about 12 s
K apply -f - >/dev/null <<'Y'
apiVersion: batch/v1
kind: Job
metadata: {name: perindex}
spec:
  completions: 1
  parallelism: 1
  completionMode: Indexed
  backoffLimitPerIndex: 1
  template:
    metadata:
      annotations: {kdeck.io/sim-exit-code: "1", kdeck.io/sim-duration: "1"}
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
Y

# Progressing reasons: watch them while the Deployment is created
K get deploy -l app=web --watch -o jsonpath='{.status.conditions[?(@.type=="Progressing")].reason}{"\n"}' \
	>"$T_DIR/reasons" 2>/dev/null &
WPID=$!
at_exit "kill $WPID 2>/dev/null"
sleep 1
K create deployment web --image=nginx --replicas=4 >/dev/null
check "rollout" K rollout status deployment/web --timeout=30s
sleep 1
kill $WPID 2>/dev/null
check_contains "NewReplicaSetCreated seen" "$(cat "$T_DIR/reasons")" NewReplicaSetCreated
check_eq "then NewReplicaSetAvailable" "$(K get deploy web -o jsonpath='{.status.conditions[?(@.type=="Progressing")].reason}')" NewReplicaSetAvailable
# a rollout stuck on unschedulable pods leaves two active ReplicaSets
K set resources deployment web --requests=cpu=100 >/dev/null
wait_for 20 sh -c "[ \"\$(K() { $KUBECTL \"\$@\"; }; $KUBECTL get rs -l app=web -o jsonpath='{range .items[*]}{.spec.replicas}{\" \"}{end}' | tr ' ' '\n' | sort -n | tr '\n' ' ')\" = '2 3 ' ]"
check_eq "stuck rollout: 3 old, 2 new" "$(rs_sizes)" "2 3 "
K rollout pause deployment/web >/dev/null
K scale deployment web --replicas=8 >/dev/null
wait_for 20 sh -c "[ \"\$($KUBECTL get rs -l app=web -o jsonpath='{range .items[*]}{.spec.replicas}{\" \"}{end}' | tr ' ' '\n' | sort -n | tr '\n' ' ')\" = '4 6 ' ]"
check_eq "paused: scaled proportionally (8 + maxSurge 2)" "$(rs_sizes)" "4 6 "
check_eventually "ScalingReplicaSet event" "from 3 to 6" K get events --field-selector reason=ScalingReplicaSet
K delete deployment web >/dev/null

# schedulingGates
K apply -f - >/dev/null <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: gated}
spec:
  schedulingGates: [{name: example.com/wait}]
  containers: [{name: c, image: nginx}]
Y
sleep 2
check_eq "gated: not scheduled, reason SchedulingGated" \
	"$(K get pod gated -o jsonpath='{.spec.nodeName}/{.status.conditions[?(@.type=="PodScheduled")].reason}')" "/SchedulingGated"
check_contains "kubectl get pods: SchedulingGated" "$(K get pod gated --no-headers)" SchedulingGated
check "remove the gate" K patch pod gated --type=json -p '[{"op":"remove","path":"/spec/schedulingGates"}]'
check "ungated pod runs" K wait --for=condition=Ready pod/gated --timeout=20s

# LimitRange validation
out=$(K apply -f - 2>&1 <<'Y'
apiVersion: v1
kind: LimitRange
metadata: {name: bad}
spec:
  limits:
  - type: Container
    min: {cpu: "2"}
    max: {cpu: "1"}
Y
)
check_contains "LimitRange min > max refused" "$out" 'spec.limits[0].min[cpu]: Invalid value: resource.Quantity{i:resource.int64Amount{value:2, scale:0}'
check_contains "LimitRange message" "$out" "min value 2 is greater than max value 1"
out=$(K apply -f - 2>&1 <<'Y'
apiVersion: v1
kind: LimitRange
metadata: {name: ratio}
spec:
  limits:
  - {type: Container, maxLimitRequestRatio: {memory: 500m}}
Y
)
check_contains "ratio below 1 refused" "$out" "ratio 500m is less than 1"

# ResourceQuota scopeSelector on PriorityClass
K create priorityclass high --value=1000 >/dev/null
K apply -f - >/dev/null <<'Y'
apiVersion: v1
kind: ResourceQuota
metadata: {name: high-pods}
spec:
  hard: {pods: "1"}
  scopeSelector:
    matchExpressions: [{scopeName: PriorityClass, operator: In, values: [high]}]
Y
hp() { printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: %s}\nspec:\n  priorityClassName: high\n  containers: [{name: c, image: nginx}]\n' "$1"; }
hp hp1 | K apply -f - >/dev/null 2>&1
check_eq "first high pod admitted" "$(K get pod hp1 -o jsonpath='{.metadata.name}' 2>&1)" hp1
out=$(hp hp2 | K apply -f - 2>&1)
check_contains "second high pod refused" "$out" "exceeded quota: high-pods"
check "pod without the class admitted" K run plain --image=nginx
wait_for 10 sh -c "[ \"\$($KUBECTL get quota high-pods -o jsonpath='{.status.used.pods}')\" = 1 ]"
check_eq "quota counts only the scoped pod" "$(K get quota high-pods -o jsonpath='{.status.used.pods}')" 1

# pvc-protection
K apply -f - >/dev/null <<'Y'
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: user}
spec:
  containers: [{name: c, image: nginx, volumeMounts: [{name: d, mountPath: /d}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
Y
check_eq "new claim has the finalizer" "$(K get pvc data -o jsonpath='{.metadata.finalizers}')" '["kubernetes.io/pvc-protection"]'
check "claim user runs" K wait --for=condition=Ready pod/user --timeout=20s
K delete pvc data --wait=false >/dev/null
sleep 2
check_contains "claim in use stays Terminating" "$(K get pvc data --no-headers 2>&1)" Terminating
K delete pod user --wait=false >/dev/null
wait_for 20 sh -c "! $KUBECTL get pvc data >/dev/null 2>&1"
check "claim gone with its pod" sh -c "! $KUBECTL get pvc data >/dev/null 2>&1"

# per-index back-off: the index's second pod starts >= 10 s after the first failed
wait_for 30 sh -c "[ \"\$($KUBECTL get pods -l job-name=perindex --no-headers 2>/dev/null | wc -l)\" -ge 2 ]"
times=$(K get pods -l job-name=perindex -o json | python3 -c '
import json, sys, datetime
def t(s): return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").timestamp()
ps = sorted(json.load(sys.stdin)["items"], key=lambda p: p["metadata"]["creationTimestamp"])
fin = max(t(c["state"]["terminated"]["finishedAt"]) for c in ps[0]["status"]["containerStatuses"] if "terminated" in c["state"])
print(int(t(ps[1]["metadata"]["creationTimestamp"]) - fin))')
check "retry of index 0 waited its back-off ($times s)" test "$times" -ge 9
check_eq "retry carries the failure count" \
	"$(K get pods -l job-name=perindex -o jsonpath='{range .items[*]}{.metadata.annotations.batch\.kubernetes\.io/job-index-failure-count}{" "}{end}' | tr ' ' '\n' | sort | tr '\n' ' ')" "0 1 "
finish
