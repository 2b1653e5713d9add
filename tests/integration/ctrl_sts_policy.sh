# SPDX-License-Identifier: Apache-2.0
# StatefulSet policies with real kubectl on simulated nodes:
# persistentVolumeClaimRetentionPolicy Delete (whenScaled: the claim of a
# removed ordinal goes; whenDeleted: the set owns its claims and they go
# with it), updateStrategy OnDelete (a pod takes the new template only
# when recreated) and minReadySeconds (availableReplicas lags
# readyReplicas; OrderedReady waits for availability).
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 2
K() { "$KUBECTL" --request-timeout=10s "$@"; }

sts() { # name replicas image extra-spec-lines
	cat <<Y
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: $1}
spec:
  serviceName: $1
  replicas: $2
$4
  selector: {matchLabels: {app: $1}}
  template:
    metadata: {labels: {app: $1}}
    spec:
      containers: [{name: c, image: $3}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
Y
}
claims() { K get pvc -l app="$1" -o jsonpath='{.items[*].metadata.name}'; }
images() { K get pods -l app="$1" -o jsonpath='{range .items[*]}{.spec.containers[0].image} {end}'; }

{
sts del 2 nginx '  podManagementPolicy: Parallel
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Delete}'
echo ---
sts od 2 nginx:1.26 '  podManagementPolicy: Parallel
  updateStrategy: {type: OnDelete}'
echo ---
sts mr 2 nginx '  minReadySeconds: 8'
} >"$T_DIR/sets.yaml"
K apply -f "$T_DIR/sets.yaml" >/dev/null

# minReadySeconds: ordinal 1 waits until ordinal 0 is available.
wait_for 15 sh -c "$KUBECTL get pod mr-0 --no-headers 2>/dev/null | grep -q Running"
check_eq "minReadySeconds: ready but not yet available" \
	"$(K get sts mr -o jsonpath='{.status.readyReplicas}/{.status.availableReplicas}')" "1/0"
check "minReadySeconds: next ordinal waits" sh -c "! $KUBECTL get pod mr-1 >/dev/null 2>&1"

check "retention: rollout" K rollout status sts/del --timeout=30s
check_eq "whenDeleted Delete: the set owns its claims" \
	"$(K get pvc data-del-0 -o jsonpath='{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}')" "StatefulSet/del"
K scale sts del --replicas=1 >/dev/null
wait_for 20 sh -c "[ \"\$($KUBECTL get pvc -l app=del -o jsonpath='{.items[*].metadata.name}')\" = data-del-0 ]"
check_eq "whenScaled Delete: claim of the removed ordinal deleted" "$(claims del)" "data-del-0"
K delete sts del --wait=false >/dev/null
wait_for 20 sh -c "[ -z \"\$($KUBECTL get pvc -l app=del -o name 2>/dev/null)\" ]"
check_eq "whenDeleted Delete: claims go with the set" "$(claims del)" ""

check_contains "OnDelete: kubectl rollout status refuses it" "$(K rollout status sts/od --timeout=5s 2>&1)" \
	"error: rollout status is only available for RollingUpdate strategy type"
wait_for 20 sh -c "[ \"\$($KUBECTL get sts od -o jsonpath='{.status.readyReplicas}')\" = 2 ]"
check_eq "OnDelete: pods ready" "$(K get sts od -o jsonpath='{.status.readyReplicas}')" 2
K set image sts/od c=nginx:1.27 >/dev/null
sleep 3
check_eq "OnDelete: running pods keep the old template" "$(images od)" "nginx:1.26 nginx:1.26 "
K delete pod od-1 --wait=false >/dev/null
wait_for 20 sh -c "$KUBECTL get pod od-1 -o jsonpath='{.spec.containers[0].image}' 2>/dev/null | grep -q 1.27"
check_eq "OnDelete: a recreated pod takes the new one" "$(images od)" "nginx:1.26 nginx:1.27 "
wait_for 10 sh -c "[ \"\$($KUBECTL get sts od -o jsonpath='{.status.updatedReplicas}')\" = 1 ]"
check_eq "OnDelete: status" "$(K get sts od -o jsonpath='{.status.updatedReplicas}/{.status.currentReplicas}')" "1/1"

check "minReadySeconds: rollout completes" K rollout status sts/mr --timeout=30s
wait_for 10 sh -c "[ \"\$($KUBECTL get sts mr -o jsonpath='{.status.availableReplicas}')\" = 2 ]"
check_eq "minReadySeconds: all available" "$(K get sts mr -o jsonpath='{.status.readyReplicas}/{.status.availableReplicas}')" "2/2"
finish
