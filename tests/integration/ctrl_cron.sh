# SPDX-License-Identifier: Apache-2.0
# CronJobs with real kubectl on simulated nodes.  Waiting for a wall-clock
# minute is too slow for a test, so a schedule time is made due by moving
# status.lastScheduleTime back (the controller then starts the most recent
# missed time, as after a controller outage).  Also: Job name
# <cronjob>-<unix minutes>, active/lastSuccessfulTime, SawCompletedJob,
# suspend, `kubectl create job --from`, history limits and schedule /
# timeZone validation messages.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 1
K() { "$KUBECTL" --request-timeout=10s "$@"; }

cat >"$T_DIR/cj.yaml" <<'Y'
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/1 * * * *"
  timeZone: Europe/Berlin
  concurrencyPolicy: Forbid
  successfulJobsHistoryLimit: 1
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: {kdeck.io/sim-duration: "40"}
        spec:
          restartPolicy: Never
          containers: [{name: c, image: busybox}]
Y
K apply -f "$T_DIR/cj.yaml" >/dev/null
past=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc)-d.timedelta(seconds=150)).strftime("%Y-%m-%dT%H:%M:%SZ"))')
K patch cronjob tick --subresource=status --type=merge -p "{\"status\":{\"lastScheduleTime\":\"$past\"}}" >/dev/null
wait_for 15 sh -c "$KUBECTL get jobs --no-headers 2>/dev/null | grep -q tick-"
# no second run when the next minute comes while the test runs
K patch cronjob tick --type=merge -p '{"spec":{"suspend":true}}' >/dev/null
minute=$(python3 -c 'import time; print(int(time.time())//60)')
check_contains "job of the latest schedule time" "$(K get jobs -o name)" "job.batch/tick-"
jname=$(K get jobs -o jsonpath='{.items[0].metadata.name}')
wait_for 10 sh -c "$KUBECTL get cronjob tick -o jsonpath='{.status.active[0].name}' | grep -q tick-"
check_eq "active" "$(K get cronjob tick -o jsonpath='{.status.active[0].name}')" "$jname"
check "name is <cronjob>-<unix minutes>" sh -c "[ ${jname#tick-} -le $minute ] && [ ${jname#tick-} -ge $((minute - 1)) ]"
check_eq "job owned by the cronjob" "$(K get job "$jname" -o jsonpath='{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}')" "CronJob/tick"
check_contains "scheduled-timestamp annotation" "$(K get job "$jname" -o jsonpath='{.metadata.annotations}')" "cronjob-scheduled-timestamp"
check_eq "lastScheduleTime" "$(K get cronjob tick -o jsonpath='{.status.lastScheduleTime}')" \
	"$(python3 -c "import time; print(time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(${jname#tick-}*60)))")"
check_eventually "SuccessfulCreate event" "Created job $jname" K get events --field-selector involvedObject.name=tick
check "job completes" K wait --for=condition=complete "job/$jname" --timeout=90s
wait_for 10 sh -c "[ -n \"\$($KUBECTL get cronjob tick -o jsonpath='{.status.lastSuccessfulTime}')\" ]"
check "lastSuccessfulTime" test -n "$(K get cronjob tick -o jsonpath='{.status.lastSuccessfulTime}')"
check_eq "active cleared" "$(K get cronjob tick -o jsonpath='{.status.active}')" ""
check_eventually "SawCompletedJob" "Saw completed job: $jname, condition: Complete" K get events --field-selector reason=SawCompletedJob

check "create job --from=cronjob" K create job manual --from=cronjob/tick
check_eq "manual job: instantiate annotation and controller reference" \
	"$(K get job manual -o jsonpath='{.metadata.annotations.cronjob\.kubernetes\.io/instantiate}/{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].controller}')" \
	"manual/CronJob/true"
wait_for 10 sh -c "$KUBECTL get events --field-selector reason=UnexpectedJob 2>&1 | grep -q manual"
check_eventually "manual job: UnexpectedJob warning" \
	"Saw a job that the controller did not create or forgot: manual" K get events --field-selector reason=UnexpectedJob
check_eq "manual job: not in status.active" "$(K get cronjob tick -o jsonpath='{.status.active}')" ""
check "manual job completes" K wait --for=condition=complete job/manual --timeout=90s
wait_for 10 sh -c "[ \"\$($KUBECTL get cronjob tick -o jsonpath='{.status.lastSuccessfulTime}')\" = \"\$($KUBECTL get job manual -o jsonpath='{.status.completionTime}')\" ]"
check_eq "manual job: lastSuccessfulTime is its completion" \
	"$(K get cronjob tick -o jsonpath='{.status.lastSuccessfulTime}')" \
	"$(K get job manual -o jsonpath='{.status.completionTime}')"
wait_for 10 sh -c "! $KUBECTL get job $jname >/dev/null 2>&1"
check "history limit 1: the older job deleted" sh -c "! $KUBECTL get job $jname >/dev/null 2>&1"
check_eventually "SuccessfulDelete event" "Deleted job $jname" K get events --field-selector reason=SuccessfulDelete
K patch cronjob tick --subresource=status --type=merge -p "{\"status\":{\"lastScheduleTime\":\"$past\"}}" >/dev/null
sleep 3
check_eq "suspended: no new job" "$(K get jobs -o name | tr '\n' ' ')" "job.batch/manual "

sed 's#"\*/1 \* \* \* \*"#"61 * * * *"#' "$T_DIR/cj.yaml" | sed 's/name: tick/name: bad/' >"$T_DIR/bad.yaml"
check_contains "schedule validated" "$(K apply -f "$T_DIR/bad.yaml" 2>&1)" \
	'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'
sed 's#Europe/Berlin#Mars/Olympus#; s/name: tick/name: bad/' "$T_DIR/cj.yaml" >"$T_DIR/badtz.yaml"
check_contains "time zone validated" "$(K apply -f "$T_DIR/badtz.yaml" 2>&1)" \
	'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'
finish
