# SPDX-License-Identifier: Apache-2.0
# HorizontalPodAutoscaler with real kubectl, the sync period cut to 2 s
# (KDECK_HPA_SYNC_PERIOD).  Simulated nodes have no metrics: the HPA says
# ScalingActive=False FailedGetResourceMetric with a warning event and
# TARGETS <unknown>/50%; a target above maxReplicas is brought down.  On
# the real node (root, runc, busybox) a Deployment burning CPU against a
# small request scales up, with SuccessfulRescale and TARGETS cpu: N%/50%.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
export KDECK_HPA_SYNC_PERIOD=2
D="$T_DIR/sim" start_cluster --no-node --simulated-nodes 1
K() { "$KUBECTL" --request-timeout=10s "$@"; }
cond() { K get hpa "$1" -o jsonpath="{.status.conditions[?(@.type==\"$2\")].$3}"; }

K create deployment web --image=nginx --replicas=1 >/dev/null
K set resources deployment web --requests=cpu=100m >/dev/null
check "rollout" K rollout status deployment/web --timeout=20s
check "kubectl autoscale" K autoscale deployment web --cpu-percent=50 --min=1 --max=5
wait_for 15 sh -c "[ \"\$($KUBECTL get hpa web -o jsonpath='{.status.conditions[?(@.type==\"ScalingActive\")].reason}')\" = FailedGetResourceMetric ]"
check_eq "ScalingActive False, FailedGetResourceMetric" "$(cond web ScalingActive status)/$(cond web ScalingActive reason)" "False/FailedGetResourceMetric"
check_eq "its message" "$(cond web ScalingActive message)" \
	"the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API"
check_eq "AbleToScale" "$(cond web AbleToScale status)/$(cond web AbleToScale reason)" "True/SucceededGetScale"
check_eventually "warning event" \
	"Warning: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API" K get events --field-selector reason=FailedGetResourceMetric -o jsonpath='{.items[*].type}: {.items[*].message}'
check_eventually "FailedComputeMetricsReplicas event" \
	"invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization:" K get events --field-selector reason=FailedComputeMetricsReplicas -o jsonpath='{.items[*].message}'
check_contains "kubectl get hpa" "$(K get hpa web --no-headers | tr -s ' ')" "web Deployment/web cpu: <unknown>/50% 1 5 1"
check_eq "currentReplicas" "$(K get hpa web -o jsonpath='{.status.currentReplicas}')" "1"

K scale deployment web --replicas=7 >/dev/null
wait_for 15 sh -c "[ \"\$($KUBECTL get deployment web -o jsonpath='{.spec.replicas}')\" = 5 ]"
check_eq "above maxReplicas: scaled to 5" "$(K get deployment web -o jsonpath='{.spec.replicas}')" "5"
check_eventually "SuccessfulRescale event" \
	"New size: 5; reason: Current number of replicas above Spec.MaxReplicas" K get events --field-selector reason=SuccessfulRescale -o jsonpath='{.items[*].message}'
check "lastScaleTime" test -n "$(K get hpa web -o jsonpath='{.status.lastScaleTime}')"
check_eq "desiredReplicas" "$(K get hpa web -o jsonpath='{.status.desiredReplicas}')" "5"
kill "$PID" 2>/dev/null
echo "# simulated part done after ${SECONDS}s"

# ---- the real node: scale up under load ----
if [ "$(id -u)" != 0 ] || ! command -v runc >/dev/null || [ ! -x /bin/busybox ] || ! command -v ip >/dev/null; then
	echo "# real-node part skipped (needs root, runc, ip and /bin/busybox)"
	finish
fi
D="$T_DIR/c"
PORT=$(free_port)
"$KDECK" cluster up 9>&- --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" \
	>"$T_DIR/out" 2>>"$T_DIR/err" &
PID=$!
at_exit "kill \$PID 2>/dev/null; sleep 1; kill -9 \$PID 2>/dev/null; '$KDECK' cluster reset --yes --data-dir '$D' >/dev/null 2>&1"
wait_for 20 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
export KUBECONFIG="$D/kubeconfig.yaml"
if grep -q "node agent: off" "$T_DIR/err"; then
	echo "# real-node part skipped: $(grep 'node agent: off' "$T_DIR/err")"
	finish
fi
python3 "$TOP_SRCDIR/tests/images/mkimage.py" "$T_DIR/img" --format oci-dir \
	--name kdeck.test/busybox:1 >/dev/null || die "mkimage.py failed"
echo "# real node up after ${SECONDS}s"
check "image import" "$KDECK" image import "$T_DIR/img" --data-dir "$D"
cat <<'YAML' | K apply -f - >/dev/null
apiVersion: apps/v1
kind: Deployment
metadata: {name: burn}
spec:
  replicas: 1
  selector: {matchLabels: {app: burn}}
  template:
    metadata: {labels: {app: burn}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: c
        image: kdeck.test/busybox:1
        command: [sh, -c, 'while :; do :; done']
        resources:
          requests: {cpu: 20m}
          limits: {cpu: 100m}
YAML
echo "# image imported after ${SECONDS}s"
check "burner rollout" K rollout status deployment/burn --timeout=30s
check "kubectl autoscale" K autoscale deployment burn --cpu-percent=50 --min=1 --max=2
wait_for 40 sh -c "[ \"\$($KUBECTL get deployment burn -o jsonpath='{.spec.replicas}')\" = 2 ]"
echo "# scale-up seen after ${SECONDS}s"
check_eq "scaled up to 2" "$(K get deployment burn -o jsonpath='{.spec.replicas}')" "2"
check_eventually "SuccessfulRescale" \
	"New size: 2; reason: cpu resource utilization (percentage of request) above target" K get events --field-selector reason=SuccessfulRescale -o jsonpath='{.items[*].message}'
check_eq "ScalingActive" "$(cond burn ScalingActive status)/$(cond burn ScalingActive reason)" "True/ValidMetricFound"
check_contains "TARGETS shows the utilization" "$(K get hpa burn --no-headers)" "cpu: "
check "utilization above the target" test "$(K get hpa burn -o jsonpath='{.status.currentMetrics[0].resource.current.averageUtilization}')" -gt 50
check_eq "limited by maxReplicas" "$(cond burn ScalingLimited reason)" "TooManyReplicas"
K delete deployment burn --wait=false >/dev/null
finish
