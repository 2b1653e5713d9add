# SPDX-License-Identifier: Apache-2.0
# StatefulSets with real kubectl on simulated nodes: ordered creation
# (creation timestamps and events in ordinal order), stable names and
# labels, PVCs from volumeClaimTemplates kept on scale-down, scale-down
# from the highest ordinal, a partitioned rolling update, rollout status,
# Parallel pod management and ControllerRevisions.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 2
K() { "$KUBECTL" --request-timeout=10s "$@"; }

sts() { # name replicas policy image
	cat <<Y
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: $1}
spec:
  serviceName: $1
  replicas: $2
  podManagementPolicy: $3
  selector: {matchLabels: {app: $1}}
  template:
    metadata: {labels: {app: $1}}
    spec:
      containers: [{name: c, image: $4}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
Y
}

sts web 3 OrderedReady nginx:1.26 | K apply -f - >/dev/null
check "rollout status (create)" K rollout status sts/web --timeout=30s
check_eq "stable names" "$(K get pods -l app=web -o jsonpath='{.items[*].metadata.name}')" "web-0 web-1 web-2"
check_eq "created in order" \
	"$(K get events --field-selector involvedObject.name=web,reason=SuccessfulCreate --sort-by=.eventTime -o jsonpath='{range .items[*]}{.message}{"\n"}{end}' | grep -v Claim | grep -o 'Pod web-[0-9]' | tr -d '\n')" \
	"Pod web-0Pod web-1Pod web-2"
check_eq "hostname/subdomain" "$(K get pod web-1 -o jsonpath='{.spec.hostname}/{.spec.subdomain}')" "web-1/web"
check_eq "pod labels" \
	"$(K get pod web-2 -o jsonpath='{.metadata.labels.statefulset\.kubernetes\.io/pod-name}/{.metadata.labels.apps\.kubernetes\.io/pod-index}')" "web-2/2"
check_eq "claims" "$(K get pvc -o jsonpath='{.items[*].metadata.name}')" "data-web-0 data-web-1 data-web-2"
check_eq "claim volume" "$(K get pod web-0 -o jsonpath='{.spec.volumes[?(@.name=="data")].persistentVolumeClaim.claimName}')" "data-web-0"
check_contains "controller revision" "$(K get controllerrevisions 2>&1)" "web-"
check_eq "status" "$(K get sts web -o jsonpath='{.status.replicas}/{.status.readyReplicas}/{.status.currentReplicas}/{.status.updatedReplicas}/{.status.availableReplicas}')" "3/3/3/3/3"

K scale sts web --replicas=1 >/dev/null
wait_for 20 sh -c "[ \$($KUBECTL get pods -l app=web --no-headers 2>/dev/null | wc -l) = 1 ]"
check_eq "scaled down to web-0" "$(K get pods -l app=web -o jsonpath='{.items[*].metadata.name}')" "web-0"
check_eq "deleted from the highest ordinal" \
	"$(K get events --field-selector involvedObject.name=web,reason=SuccessfulDelete --sort-by=.eventTime -o jsonpath='{range .items[*]}{.message}{"\n"}{end}' | grep -v Claim | grep -o 'Pod web-[0-9]' | tr -d '\n')" \
	"Pod web-2Pod web-1"
check_eq "claims kept" "$(K get pvc --no-headers | wc -l | tr -d ' ')" 3
K scale sts web --replicas=3 >/dev/null
check "rollout status (scale up)" K rollout status sts/web --timeout=30s

K patch sts web --type=merge -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":1}}}}' >/dev/null
K set image sts/web c=nginx:1.27 >/dev/null
wait_for 30 sh -c "$KUBECTL get sts web -o jsonpath='{.status.updatedReplicas}' | grep -qx 2"
sleep 2
check_eq "partition: ordinal 0 keeps the old image" \
	"$(K get pods -l app=web -o jsonpath='{range .items[*]}{.spec.containers[0].image} {end}')" "nginx:1.26 nginx:1.27 nginx:1.27 "
K patch sts web --type=merge -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}' >/dev/null
check "rollout status (update)" K rollout status sts/web --timeout=40s
check_eq "all updated" "$(K get pods -l app=web -o jsonpath='{range .items[*]}{.spec.containers[0].image} {end}')" "nginx:1.27 nginx:1.27 nginx:1.27 "
check_eq "revisions" "$(K get sts web -o jsonpath='{.status.currentRevision}')" "$(K get sts web -o jsonpath='{.status.updateRevision}')"

sts par 3 Parallel nginx | K apply -f - >/dev/null
check "parallel rollout" K rollout status sts/par --timeout=30s
check_eq "parallel pods" "$(K get pods -l app=par --no-headers | wc -l | tr -d ' ')" 3
K delete sts web --wait=false >/dev/null
wait_for 15 sh -c "[ -z \"\$($KUBECTL get pods -l app=web --no-headers 2>/dev/null)\" ]"
check_eq "pods gone with the set" "$(K get pods -l app=web --no-headers 2>/dev/null | wc -l | tr -d ' ')" 0
check_eq "claims outlive the set" "$(K get pvc -l app=web --no-headers | wc -l | tr -d ' ')" 3
finish
