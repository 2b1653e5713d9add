# SPDX-License-Identifier: Apache-2.0
# Job failure and success policies with real kubectl on simulated nodes
# (pods exit after kdeck.io/sim-duration seconds with
# kdeck.io/sim-exit-code; a test plays the kubelet by patching a pod's
# status), second half (the first is ctrl_job_policy.sh):
# backoffLimitPerIndex with maxFailedIndexes, successPolicy,
# podReplacementPolicy Failed, restartPolicy OnFailure restarts.  All Jobs
# start at once; each check waits for its own.
. "$TOP_SRCDIR/tests/integration/job_policy_lib.sh"

{
job maxidx 1 1 '  completions: 3
  parallelism: 1
  completionMode: Indexed
  backoffLimitPerIndex: 0
  maxFailedIndexes: 0'
echo ---
job success 0 1 '  completions: 3
  parallelism: 1
  completionMode: Indexed
  successPolicy:
    rules:
    - {succeededCount: 1}'
echo ---
job replace 0 300 '  podReplacementPolicy: Failed'
echo ---
job restarts 0 300 '  backoffLimit: 1' OnFailure
} >"$T_DIR/jobs.yaml"
K apply -f "$T_DIR/jobs.yaml" >/dev/null
check "maxFailedIndexes: job fails" K wait --for=condition=failed job/maxidx --timeout=30s
check_eq "maxFailedIndexes: reason" "$(cond maxidx Failed reason)/$(cond maxidx Failed message)" \
	"MaxFailedIndexesExceeded/Job has exceeded the specified maximal number of failed indexes"
check_eq "maxFailedIndexes: failedIndexes" "$(K get job maxidx -o jsonpath='{.status.failedIndexes}')" "0"
check_eq "maxFailedIndexes: backoffLimit defaulted out of the way" \
	"$(K get job maxidx -o jsonpath='{.spec.backoffLimit}')" 2147483647

# successPolicy: one succeeded index is enough.
check "successPolicy: job completes" K wait --for=condition=complete job/success --timeout=30s
check_eq "successPolicy: SuccessCriteriaMet" "$(cond success SuccessCriteriaMet reason)/$(cond success SuccessCriteriaMet message)" \
	"SuccessPolicy/Matched rules at index 0"
check_eq "successPolicy: Complete carries it" "$(cond success Complete reason)/$(cond success Complete message)" \
	"SuccessPolicy/Matched rules at index 0"
check_eq "successPolicy: completedIndexes" "$(K get job success -o jsonpath='{.status.completedIndexes}/{.status.succeeded}')" "0/1"

# podReplacementPolicy Failed: a deleted pod is replaced once it is Failed
# (the simulated kubelet stops it first: exit code 143, phase Failed).
wait_for 15 sh -c "$KUBECTL get pods -l job-name=replace --no-headers 2>/dev/null | grep -q Running"
rpod=$(pods_of replace | head -n1)
K delete pod "$rpod" --wait=false >/dev/null
wait_for 25 sh -c "$KUBECTL get pods -l job-name=replace --no-headers 2>/dev/null | grep -v $rpod | grep -q ."
check "Failed policy: replaced once Failed" sh -c "$KUBECTL get pods -l job-name=replace --no-headers | grep -v $rpod | grep -q ."
check_eq "Failed policy: counted" "$(K get job replace -o jsonpath='{.status.failed}')" 1
K delete job replace --wait=false >/dev/null

# restartPolicy OnFailure: container restarts count against backoffLimit.
wait_for 15 sh -c "$KUBECTL get pods -l job-name=restarts --no-headers 2>/dev/null | grep -q Running"
opod=$(pods_of restarts | head -n1)
cs=$(K get pod "$opod" -o jsonpath='{.status.containerStatuses}' | python3 -c 'import json,sys; c=json.load(sys.stdin); c[0]["restartCount"]=1; print(json.dumps({"status":{"containerStatuses":c}}))')
K patch pod "$opod" --subresource=status --type=merge -p "$cs" >/dev/null
check "OnFailure: restarts reach backoffLimit" K wait --for=condition=failed job/restarts --timeout=20s
check_eq "OnFailure: reason" "$(cond restarts Failed reason)" "BackoffLimitExceeded"
finish
