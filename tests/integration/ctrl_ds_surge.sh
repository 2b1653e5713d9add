# SPDX-License-Identifier: Apache-2.0
# DaemonSet RollingUpdate with maxSurge on simulated nodes, real kubectl:
# the API server's validation (maxSurge with a non-zero maxUnavailable),
# minReadySeconds for numberAvailable, and a rolling update in which the
# new pod starts next to the old one on one node at a time, the old one
# going once the new one has been available for minReadySeconds.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 2
K() { "$KUBECTL" --request-timeout=10s "$@"; }
wait_for 10 sh -c "[ \$($KUBECTL get nodes --no-headers 2>/dev/null | wc -l) = 2 ]"

ds() { # name spec-lines
	cat <<Y
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: $1}
spec:
$2
  selector: {matchLabels: {app: $1}}
  template:
    metadata: {labels: {app: $1}}
    spec:
      containers: [{name: c, image: nginx:1.26}]
Y
}

# maxSurge: on each node the new pod runs next to the old one until it
# has been available for minReadySeconds.
ds bad '  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}' >"$T_DIR/bad.yaml"
check_contains "maxSurge with maxUnavailable refused" "$(K apply -f "$T_DIR/bad.yaml" 2>&1)" \
	'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero'
ds surge '  minReadySeconds: 3
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}' | K apply -f - >/dev/null
check "surge: rollout status" K rollout status ds/surge --timeout=30s
wait_for 10 sh -c "[ \"\$($KUBECTL get ds surge -o jsonpath='{.status.numberAvailable}')\" = 2 ]"
check_eq "surge: available after minReadySeconds" "$(K get ds surge -o jsonpath='{.status.numberReady}/{.status.numberAvailable}')" "2/2"
old=$(K get pods -l app=surge -o jsonpath='{.items[*].metadata.name}')
K set image ds/surge c=nginx:1.27 >/dev/null
wait_for 10 sh -c "[ \$($KUBECTL get pods -l app=surge --no-headers 2>/dev/null | wc -l) -ge 3 ]"
check "surge: new pod started before the old one goes" test "$(K get pods -l app=surge --no-headers | wc -l)" -ge 3
check_eq "surge: one node at a time" "$(K get pods -l app=surge --no-headers | wc -l | tr -d ' ')" 3
check "surge: rollout completes" K rollout status ds/surge --timeout=40s
wait_for 10 sh -c "[ \$($KUBECTL get pods -l app=surge --no-headers 2>/dev/null | wc -l) = 2 ]"
check_eq "surge: old pods replaced" "$(K get pods -l app=surge -o jsonpath='{.items[*].spec.containers[0].image}')" "nginx:1.27 nginx:1.27"
for p in $old; do
	check "surge: old pod $p gone" sh -c "! $KUBECTL get pod $p >/dev/null 2>&1"
done

finish
