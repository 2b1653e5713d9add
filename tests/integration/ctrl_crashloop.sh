# SPDX-License-Identifier: Apache-2.0
# CrashLoopBackOff on a simulated node with real kubectl: a container
# that keeps exiting restarts at once the first time, then waits in
# state.waiting reason CrashLoopBackOff ("back-off 10s restarting failed
# container=..."), the pod not Ready, with a Warning BackOff event; the
# next restart comes 10 s after the exit, and the back-off doubles.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" python3

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 1
K() { "$KUBECTL" --request-timeout=10s "$@"; }
K apply -f - >/dev/null <<'Y'
apiVersion: v1
kind: Pod
metadata:
  name: crash
  annotations: {kdeck.io/sim-exit-code: "1", kdeck.io/sim-duration: "1"}
spec:
  containers: [{name: main, image: busybox}]
Y
cs() { K get pod crash -o jsonpath="{.status.containerStatuses[0].$1}"; }
wait_for 20 sh -c "[ \"\$($KUBECTL get pod crash -o jsonpath='{.status.containerStatuses[0].state.waiting.reason}')\" = CrashLoopBackOff ]"
check_eq "waiting: CrashLoopBackOff after the first restart" "$(cs state.waiting.reason)/$(cs restartCount)" "CrashLoopBackOff/1"
uid=$(K get pod crash -o jsonpath='{.metadata.uid}')
check_eq "waiting message" "$(cs state.waiting.message)" \
	"back-off 10s restarting failed container=main pod=crash_default($uid)"
first_exit=$(cs lastState.terminated.finishedAt)
check_eq "lastState holds the failed run" "$(cs lastState.terminated.exitCode)/$(cs lastState.terminated.reason)" "1/Error"
check_eq "pod not Ready" "$(K get pod crash -o jsonpath='{.status.conditions[?(@.type=="Ready")].reason}')" ContainersNotReady
check_contains "kubectl get pods: CrashLoopBackOff" "$(K get pod crash --no-headers)" CrashLoopBackOff
check_eventually "BackOff event" "Back-off restarting failed container main in pod crash_default($uid)" \
	K get events --field-selector involvedObject.name=crash,reason=BackOff
wait_for 30 sh -c "[ \"\$($KUBECTL get pod crash -o jsonpath='{.status.containerStatuses[0].restartCount}')\" -ge 2 ]"
check "restarted after the back-off" test "$(cs restartCount)" -ge 2
# the second restart's start (its run, running or ended since) minus the
# first exit: not immediate, the back-off's 10 s (a slow machine may have
# gone past the second restart already: then skip the figure)
restarted=$(K get pod crash -o json | python3 -c '
import json, sys
c = json.load(sys.stdin)["status"]["containerStatuses"][0]
if c["restartCount"] == 2:
    print(c["state"]["running"]["startedAt"] if "running" in c["state"] else c["lastState"]["terminated"]["startedAt"])')
if [ -n "$restarted" ]; then
	gap=$(python3 -c '
import sys, datetime
t = lambda s: datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")
print(int((t(sys.argv[1]) - t(sys.argv[2])).total_seconds()))' "$restarted" "$first_exit")
	check "restart came 10 s after the exit (gap $gap s)" test "$gap" -ge 9
fi
wait_for 40 sh -c "$KUBECTL get pod crash -o jsonpath='{.status.containerStatuses[0].state.waiting.message}' | grep -Eq 'back-off (20s|40s|1m20s)'"
check_contains "the back-off doubles" "$(cs state.waiting.message | sed -E 's/back-off (20s|40s|1m20s)/back-off doubled/')" \
	"back-off doubled restarting failed container=main"
finish
