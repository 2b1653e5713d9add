# SPDX-License-Identifier: Apache-2.0
# Job failure and success policies with real kubectl on simulated nodes
# (pods exit after kdeck.io/sim-duration seconds with
# kdeck.io/sim-exit-code; a test plays the kubelet by patching a pod's
# status): podFailurePolicy FailJob/Ignore (exit codes, pod conditions)
# and backoffLimitPerIndex with FailIndex.  All Jobs start at once; each
# check waits for its own.  maxFailedIndexes, successPolicy,
# podReplacementPolicy and OnFailure restarts: ctrl_job_policy2.sh.
. "$TOP_SRCDIR/tests/integration/job_policy_lib.sh"

{
job failjob 42 1 '  backoffLimit: 6
  podFailurePolicy:
    rules:
    - {action: Ignore, onExitCodes: {operator: In, values: [3]}}
    - {action: FailJob, onExitCodes: {containerName: main, operator: In, values: [42]}}'
echo ---
job ignore 3 1 '  backoffLimit: 0
  podFailurePolicy:
    rules:
    - {action: Ignore, onExitCodes: {operator: NotIn, values: [1, 2]}}'
echo ---
job disrupt 0 300 '  backoffLimit: 0
  podFailurePolicy:
    rules:
    - {action: Ignore, onPodConditions: [{type: DisruptionTarget}]}'
echo ---
job failidx 42 1 '  completions: 2
  parallelism: 2
  completionMode: Indexed
  backoffLimitPerIndex: 1
  podFailurePolicy:
    rules:
    - {action: FailIndex, onExitCodes: {operator: In, values: [42]}}'
} >"$T_DIR/jobs.yaml"
K apply -f "$T_DIR/jobs.yaml" >/dev/null

# FailJob: the first failure ends the Job, FailureTarget before Failed.
check "FailJob: job fails" K wait --for=condition=failed job/failjob --timeout=30s
pod=$(pods_of failjob | head -n1)
check_eq "FailJob: reason" "$(cond failjob Failed reason)" "PodFailurePolicy"
check_eq "FailJob: message" "$(cond failjob Failed message)" \
	"Container main for pod default/$pod failed with exit code 42 matching FailJob rule at index 1"
check_eq "FailJob: FailureTarget first" "$(K get job failjob -o jsonpath='{.status.conditions[*].type}')" "FailureTarget Failed"
check_eq "FailJob: one pod, counted" "$(pods_of failjob | wc -l | tr -d ' ')/$(K get job failjob -o jsonpath='{.status.failed}')" "1/1"
check_eventually "FailJob: warning event" \
	"matching FailJob rule at index 1" K get events --field-selector involvedObject.name=failjob,reason=PodFailurePolicy

# Ignore: failures are replaced but not counted against backoffLimit 0.
wait_for 20 sh -c "[ \$($KUBECTL get pods -l job-name=ignore --no-headers 2>/dev/null | grep -c Error) -ge 2 ]"
check "Ignore: failed pods replaced" test "$(K get pods -l job-name=ignore --no-headers | grep -c Error)" -ge 2
check_eq "Ignore: not counted, not failed" \
	"$(K get job ignore -o jsonpath='{.status.failed}/{.status.conditions[*].type}')" "/"
K delete job ignore --wait=false >/dev/null

# onPodConditions: a pod the "kubelet" failed with DisruptionTarget is ignored.
wait_for 15 sh -c "$KUBECTL get pods -l job-name=disrupt --no-headers 2>/dev/null | grep -q Running"
dpod=$(pods_of disrupt | head -n1)
K patch pod "$dpod" --subresource=status --type=merge -p \
	'{"status":{"phase":"Failed","conditions":[{"type":"DisruptionTarget","status":"True","reason":"EvictionByEvictionAPI","message":"Eviction API: evicting"}]}}' >/dev/null
wait_for 15 sh -c "[ \$($KUBECTL get pods -l job-name=disrupt --no-headers 2>/dev/null | wc -l) -ge 2 ]"
check "DisruptionTarget: replacement pod" test "$(pods_of disrupt | wc -l)" -ge 2
check_eq "DisruptionTarget: not counted (backoffLimit 0)" \
	"$(K get job disrupt -o jsonpath='{.status.failed}/{.status.conditions[*].type}')" "/"
K delete job disrupt --wait=false >/dev/null

# backoffLimitPerIndex: FailIndex fails each index at once.
check "FailIndex: job fails" K wait --for=condition=failed job/failidx --timeout=30s
check_eq "FailIndex: reason" "$(cond failidx Failed reason)/$(cond failidx Failed message)" "FailedIndexes/Job has failed indexes"
check_eq "FailIndex: failedIndexes" "$(K get job failidx -o jsonpath='{.status.failedIndexes}')" "0,1"
check_eq "FailIndex: one pod per index" "$(pods_of failidx | wc -l | tr -d ' ')" 2
check_eq "per-index failure count annotation" \
	"$(K get pods -l job-name=failidx -o jsonpath='{.items[0].metadata.annotations.batch\.kubernetes\.io/job-index-failure-count}')" 0
finish
