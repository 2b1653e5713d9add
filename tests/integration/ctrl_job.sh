# SPDX-License-Identifier: Apache-2.0
# Jobs with real kubectl on simulated nodes (pods that do not restart exit
# after kdeck.io/sim-duration seconds with kdeck.io/sim-exit-code): a Job
# to completion with parallelism, one exhausting its backoffLimit, an
# Indexed Job, suspend/resume, pod tracking finalizers and
# ttlSecondsAfterFinished.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 2
K() { "$KUBECTL" --request-timeout=10s "$@"; }

job() { # name completions parallelism exit-code backoffLimit [extra spec line]
	cat <<Y
apiVersion: batch/v1
kind: Job
metadata: {name: $1}
spec:
  completions: $2
  parallelism: $3
  backoffLimit: $5
  ${6:-}
  template:
    metadata:
      annotations: {kdeck.io/sim-exit-code: "$4", kdeck.io/sim-duration: "1"}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
Y
}

job ok 4 2 0 6 >"$T_DIR/ok.yaml"
K apply -f "$T_DIR/ok.yaml" >/dev/null
check "job completes" K wait --for=condition=complete job/ok --timeout=40s
check_eq "succeeded/failed/active" \
	"$(K get job ok -o jsonpath='{.status.succeeded}/{.status.failed}/{.status.active}')" "4//"
check_eq "4 pods" "$(K get pods -l job-name=ok --no-headers | grep -c Completed)" 4
check_contains "conditions" "$(K get job ok -o jsonpath='{.status.conditions[*].type}')" "SuccessCriteriaMet Complete"
check "completionTime set" test -n "$(K get job ok -o jsonpath='{.status.completionTime}')"
check_eq "tracking finalizers removed" \
	"$(K get pods -l job-name=ok -o jsonpath='{.items[*].metadata.finalizers}')" ""
check_eventually "Completed event" "Job completed" K get events --field-selector involvedObject.name=ok
check_contains "kubectl get job" "$(K get job ok 2>&1)" "4/4"

job bad 1 1 1 1 >"$T_DIR/bad.yaml"
K apply -f "$T_DIR/bad.yaml" >/dev/null
check "job fails after its backoff limit" K wait --for=condition=failed job/bad --timeout=45s
check_eq "two failures" "$(K get job bad -o jsonpath='{.status.failed}')" 2
check_contains "BackoffLimitExceeded" \
	"$(K get job bad -o jsonpath='{.status.conditions[?(@.type=="Failed")].reason}')" "BackoffLimitExceeded"
check_contains "FailureTarget" "$(K get job bad -o jsonpath='{.status.conditions[*].type}')" "FailureTarget"
check_eventually "warning event" \
	"Job has reached the specified backoff limit" K get events --field-selector reason=BackoffLimitExceeded

job idx 3 3 0 6 "completionMode: Indexed" >"$T_DIR/idx.yaml"
K apply -f "$T_DIR/idx.yaml" >/dev/null
check "indexed job completes" K wait --for=condition=complete job/idx --timeout=30s
check_eq "completed indexes" "$(K get job idx -o jsonpath='{.status.completedIndexes}')" "0-2"
check_eq "index annotations" \
	"$(K get pods -l job-name=idx -o jsonpath='{range .items[*]}{.metadata.annotations.batch\.kubernetes\.io/job-completion-index}{end}' | fold -w1 | sort | tr -d '\n')" "012"
check_contains "hostname" "$(K get pods -l job-name=idx -o jsonpath='{.items[*].spec.hostname}')" "idx-1"

job sus 1 1 0 6 "suspend: true" >"$T_DIR/sus.yaml"
K apply -f "$T_DIR/sus.yaml" >/dev/null
wait_for 10 sh -c "$KUBECTL get job sus -o jsonpath='{.status.conditions[0].type}' | grep -q Suspended"
check_eq "suspended: no pods" "$(K get pods -l job-name=sus --no-headers 2>/dev/null | wc -l | tr -d ' ')" 0
K patch job sus --type=merge -p '{"spec":{"suspend":false}}' >/dev/null
check "resumed job completes" K wait --for=condition=complete job/sus --timeout=30s
check_eventually "Resumed event" "Job resumed" K get events --field-selector involvedObject.name=sus

job ttl 1 1 0 6 "ttlSecondsAfterFinished: 2" >"$T_DIR/ttl.yaml"
K apply -f "$T_DIR/ttl.yaml" >/dev/null
wait_for 30 sh -c "! $KUBECTL get job ttl >/dev/null 2>&1"
check "ttl: job deleted" sh -c "! $KUBECTL get job ttl >/dev/null 2>&1"
check_eventually "ttl: it had completed" "Job completed" K get events --field-selector involvedObject.name=ttl
wait_for 15 sh -c "[ -z \"\$($KUBECTL get pods -l job-name=ttl --no-headers 2>/dev/null)\" ]"
check_eq "ttl: pods deleted" "$(K get pods -l job-name=ttl --no-headers 2>/dev/null | wc -l | tr -d ' ')" 0

job dl 1 1 0 6 "activeDeadlineSeconds: 2" | sed 's/sim-duration: "1"/sim-duration: "60"/' >"$T_DIR/dl.yaml"
K apply -f "$T_DIR/dl.yaml" >/dev/null
check "deadline exceeded" K wait --for=condition=failed job/dl --timeout=20s
check_contains "DeadlineExceeded" \
	"$(K get job dl -o jsonpath='{.status.conditions[?(@.type=="Failed")].reason}')" "DeadlineExceeded"
finish
