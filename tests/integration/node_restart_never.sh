# SPDX-License-Identifier: Apache-2.0
# The agent reconciles what it finds after `cluster down` and `up` again
# (root only, real runc): a restartPolicy Never container that `cluster
# down` killed is recorded as terminated (exit code 137) and never runs
# again; one that had completed keeps its exit code 0 and does not run
# again either; a restartPolicy Always container starts again with its
# restart count going on.
. "$TOP_SRCDIR/tests/lib.sh"
need_node
PORT=$(free_port)
up() {
	"$KDECK" cluster up 9>&- --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" \
		>"$T_DIR/out" 2>>"$T_DIR/err" &
	PID=$!
	wait_for 20 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
	kill -0 $PID 2>/dev/null || die "the daemon does not start: $(tail -n 3 "$T_DIR/err")"
}
up
at_exit "kill \$PID 2>/dev/null; sleep 1; kill -9 \$PID 2>/dev/null; '$KDECK' cluster reset --yes --data-dir '$D' >/dev/null 2>&1"
export KUBECONFIG="$D/kubeconfig.yaml"
K() { "$KUBECTL" --request-timeout=10s "$@"; }
grep -q "node agent: off" "$T_DIR/err" && skip "$(grep 'node agent: off' "$T_DIR/err")"
python3 "$TOP_SRCDIR/tests/images/mkimage.py" "$T_DIR/img" --format oci-dir \
	--name kdeck.test/busybox:1 >/dev/null || die "mkimage.py failed"
check "image import" "$KDECK" image import "$T_DIR/img" --data-dir "$D"

mkpod() { # name policy command
	cat <<Y
apiVersion: v1
kind: Pod
metadata: {name: $1}
spec:
  restartPolicy: $2
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sh, -c, '$3']
Y
}
{ mkpod never Never 'echo run; exec sleep 3601'
  echo ---
  mkpod done Never 'echo finished; exit 0'
  echo ---
  mkpod always Always 'echo up; exec sleep 3600'; } >"$T_DIR/p.yaml"
K apply -f "$T_DIR/p.yaml" >/dev/null
for p in never always; do
	wait_for 30 sh -c "[ \"\$($KUBECTL get pod $p -o jsonpath='{.status.phase}')\" = Running ]"
done
wait_for 30 sh -c "[ \"\$($KUBECTL get pod done -o jsonpath='{.status.phase}')\" = Succeeded ]"
check_eq "pods started" "$(K get pod never always done -o jsonpath='{.items[*].status.phase}')" "Running Running Succeeded"
CID=$(K get pod never -o jsonpath='{.status.containerStatuses[0].containerID}')

check "cluster down" "$KDECK" cluster down --data-dir "$D"
wait $PID 2>/dev/null
up
sleep 4
S=$(K get pod never -o jsonpath='{.status.phase}|{.status.containerStatuses[0].state.terminated.exitCode}|{.status.containerStatuses[0].restartCount}|{.status.containerStatuses[0].containerID}')
IFS='|' read -r PH CODE RC CID2 <<E
$S
E
check_eq "Never pod killed by down: Failed" "$PH" "Failed"
check_eq "Never pod: exit code 137" "$CODE" "137"
check_eq "Never pod: not restarted" "$RC" "0"
check_eq "Never pod: same container" "$CID2" "$CID"
check "Never pod: no process" sh -c "! pgrep -f '[s]leep 3601'"
check_eq "completed Never pod stays Succeeded" \
	"$(K get pod done -o jsonpath='{.status.phase}/{.status.containerStatuses[0].state.terminated.exitCode}/{.status.containerStatuses[0].restartCount}')" \
	"Succeeded/0/0"
wait_for 30 sh -c "[ \"\$($KUBECTL get pod always -o jsonpath='{.status.containerStatuses[0].state.running.startedAt}')\" != '' ]"
check_eq "Always pod runs again, restart counted" \
	"$(K get pod always -o jsonpath='{.status.phase}/{.status.containerStatuses[0].restartCount}')" "Running/1"
sleep 2
check_eq "Never pod still not restarted" \
	"$(K get pod never -o jsonpath='{.status.phase}/{.status.containerStatuses[0].restartCount}')" "Failed/0"
finish
