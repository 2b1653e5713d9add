# SPDX-License-Identifier: Apache-2.0
# Shared by ctrl_job_policy.sh and ctrl_job_policy2.sh (sourced): a
# cluster with two simulated nodes, K (kubectl), job (a Job manifest whose
# pods exit with a code after a duration), pods_of and cond.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 2
K() { "$KUBECTL" --request-timeout=10s "$@"; }

job() { # name exit-code duration spec-lines (indented 2) [restartPolicy]
	cat <<Y
apiVersion: batch/v1
kind: Job
metadata: {name: $1}
spec:
$4
  template:
    metadata:
      annotations: {kdeck.io/sim-exit-code: "$2", kdeck.io/sim-duration: "$3"}
    spec:
      restartPolicy: ${5:-Never}
      containers: [{name: main, image: busybox}]
Y
}
pods_of() { K get pods -l job-name="$1" -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}'; }
cond() { K get job "$1" -o jsonpath="{.status.conditions[?(@.type==\"$2\")].$3}"; }

