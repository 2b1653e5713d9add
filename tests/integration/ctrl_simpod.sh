# SPDX-License-Identifier: Apache-2.0
# The simulated kubelet's pod lifecycle with real kubectl: containers of
# restartPolicy Always and OnFailure pods restart in place when their
# simulated exit says so (restartCount, lastState.terminated, RESTARTS in
# `kubectl get pods`, kdeck.io/sim-exits caps it), OnFailure with exit 0
# completes, Never fails; a pod deleted gracefully is first reported
# terminated (terminal phase, Killing event) and then removed.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" python3

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 1
K() { "$KUBECTL" --request-timeout=10s "$@"; }
pod() { # name restartPolicy exit-code duration [more annotations]
	cat <<Y
apiVersion: v1
kind: Pod
metadata:
  name: $1
  annotations: {kdeck.io/sim-exit-code: "$3", kdeck.io/sim-duration: "$4"${5:-}}
spec:
  restartPolicy: $2
  containers: [{name: main, image: busybox}]
Y
}
{
	pod crash Always 3 1 ', kdeck.io/sim-exits: "2"'; echo ---
	pod done Always 0 1 ', kdeck.io/sim-exits: "1"'; echo ---
	pod retry OnFailure 1 1 ', kdeck.io/sim-exits: "1"'; echo ---
	pod ok OnFailure 0 1; echo ---
	pod never Never 2 1
} | K apply -f - >/dev/null

rc() { K get pod "$1" -o jsonpath='{.status.containerStatuses[0].restartCount}'; }
wait_for 20 sh -c "[ \"\$($KUBECTL get pod crash -o jsonpath='{.status.containerStatuses[0].restartCount}')\" = 2 ]"
check_eq "Always: restarted twice (sim-exits 2)" "$(rc crash)" 2
check_eq "Always: still Running" "$(K get pod crash -o jsonpath='{.status.phase}')" Running
check_eq "Always: lastState" \
	"$(K get pod crash -o jsonpath='{.status.containerStatuses[0].lastState.terminated.exitCode}/{.status.containerStatuses[0].lastState.terminated.reason}')" "3/Error"
check "Always: running again" test -n "$(K get pod crash -o jsonpath='{.status.containerStatuses[0].state.running.startedAt}')"
check_contains "RESTARTS column" "$(K get pod crash --no-headers)" "Running   2 "
sleep 2
check_eq "Always: sim-exits caps the restarts" "$(rc crash)" 2
wait_for 10 sh -c "[ \"\$($KUBECTL get pod done -o jsonpath='{.status.containerStatuses[0].restartCount}')\" = 1 ]"
check_eq "Always, exit 0: restarted, reason Completed" \
	"$(K get pod done -o jsonpath='{.status.phase}/{.status.containerStatuses[0].restartCount}/{.status.containerStatuses[0].lastState.terminated.reason}')" "Running/1/Completed"
wait_for 10 sh -c "[ \"\$($KUBECTL get pod retry -o jsonpath='{.status.containerStatuses[0].restartCount}')\" = 1 ]"
check_eq "OnFailure, exit 1: restarted in place" \
	"$(K get pod retry -o jsonpath='{.status.phase}/{.status.containerStatuses[0].restartCount}/{.status.containerStatuses[0].lastState.terminated.exitCode}')" "Running/1/1"
wait_for 10 sh -c "[ \"\$($KUBECTL get pod ok -o jsonpath='{.status.phase}')\" = Succeeded ]"
check_eq "OnFailure, exit 0: Succeeded" "$(K get pod ok -o jsonpath='{.status.phase}/{.status.containerStatuses[0].restartCount}')" "Succeeded/0"
wait_for 10 sh -c "[ \"\$($KUBECTL get pod never -o jsonpath='{.status.phase}')\" = Failed ]"
check_eq "Never, exit 2: Failed" "$(K get pod never -o jsonpath='{.status.phase}/{.status.containerStatuses[0].state.terminated.exitCode}')" "Failed/2"

# graceful deletion: a finalizer holds the pod so its last status shows
K run web --image=nginx >/dev/null
check "web runs" K wait --for=condition=Ready pod/web --timeout=20s
K patch pod web --type=merge -p '{"metadata":{"finalizers":["example.com/hold"]}}' >/dev/null
K delete pod web --wait=false >/dev/null
wait_for 10 sh -c "[ \"\$($KUBECTL get pod web -o jsonpath='{.status.phase}')\" = Succeeded ]"
check_eq "deleted pod: terminated before removal" \
	"$(K get pod web -o jsonpath='{.status.phase}/{.status.containerStatuses[0].state.terminated.reason}/{.status.conditions[?(@.type=="Ready")].status}')" "Succeeded/Completed/False"
check_eventually "Killing event" "Stopping container web" K get events --field-selector involvedObject.name=web,reason=Killing
K patch pod web --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null
wait_for 10 sh -c "! $KUBECTL get pod web >/dev/null 2>&1"
check "deleted pod removed" sh -c "! $KUBECTL get pod web >/dev/null 2>&1"
K run job1 --image=busybox --restart=Never --annotations=kdeck.io/sim-duration=300 >/dev/null 2>&1 ||
	K run job1 --image=busybox --restart=Never >/dev/null
check "Never pod runs" K wait --for=condition=Ready pod/job1 --timeout=20s
check "Never pod deleted (waits for removal)" K delete pod job1 --timeout=20s
finish
