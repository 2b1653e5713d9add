# SPDX-License-Identifier: Apache-2.0
# The host-process runtime (`kdeck cluster up --runtime host-process`),
# as root, with real kubectl: the Node says it (label, nodeInfo, a False
# kdeck.io/PodsIsolated condition) and `cluster up` prints it; a pod runs
# chrooted into its image (its /bin/busybox, not the host's files) on the
# host's network (pod IP = node IP), with its env and a configMap volume;
# logs; exec (in the same chroot, exit codes, a missing command in
# runc's words); a crash loop backs off (CrashLoopBackOff, restarts); a
# deleted pod's processes are gone.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"
[ "$(id -u)" = 0 ] || skip "this test runs the host-process runtime as root"
[ -x /bin/busybox ] || skip "no /bin/busybox for test images"
export HOME="$T_DIR/home"
mkdir -p "$HOME"
D="$T_DIR/c"
start_cluster --runtime host-process
at_exit "kill $PID 2>/dev/null; i=0; while kill -0 $PID 2>/dev/null && [ \$i -lt 50 ]; do sleep 0.2; i=\$((i+1)); done; kill -9 $PID 2>/dev/null; '$KDECK' cluster reset --yes --data-dir '$D' >/dev/null 2>&1"
grep -q "node agent: off" "$T_DIR/err" && die "$(grep 'node agent: off' "$T_DIR/err")"
python3 "$TOP_SRCDIR/tests/images/mkimage.py" "$T_DIR/img" --format oci-dir \
	--name kdeck.test/busybox:1 >/dev/null || die "mkimage.py failed"
check "image import" "$KDECK" image import "$T_DIR/img" --data-dir "$D"
K() { "$KUBECTL" --request-timeout=20s "$@"; }

check_contains "cluster up says pods are not isolated" "$(cat "$T_DIR/err")" "NOT isolated"
N=$(K get nodes -o jsonpath='{.items[0].metadata.name}')
check_eq "node label kdeck.io/runtime" \
	"$(K get node "$N" -o jsonpath='{.metadata.labels.kdeck\.io/runtime}')" host-process
check_contains "nodeInfo.containerRuntimeVersion" \
	"$(K get node "$N" -o jsonpath='{.status.nodeInfo.containerRuntimeVersion}')" "host-process://kdeck-"
check_eq "PodsIsolated condition is False" \
	"$(K get node "$N" -o jsonpath='{.status.conditions[?(@.type=="kdeck.io/PodsIsolated")].status}')" False

cat >"$T_DIR/pods.yaml" <<'Y'
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {greeting: hello-from-configmap}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: c
    image: kdeck.test/busybox:1
    env: [{name: WHO, value: host-process}]
    command: [sh, -c, 'echo "started as $WHO"; cat /cfg/greeting; echo; touch /made-here; echo $$$$ >/pid; exec sleep 3600']
    volumeMounts: [{name: cfg, mountPath: /cfg}]
  volumes: [{name: cfg, configMap: {name: cfg}}]
---
apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  containers:
  - {name: c, image: kdeck.test/busybox:1, command: [sh, -c, 'echo crashing; exit 3']}
Y
check "apply" K apply -f "$T_DIR/pods.yaml"
check "web is Ready" K wait --for=condition=Ready pod/web --timeout=40s
check_contains "logs" "$(K logs web)" "started as host-process"
check_contains "configMap volume" "$(K logs web)" "hello-from-configmap"
check_eq "pod IP = node IP" "$(K get pod web -o jsonpath='{.status.podIP}')" \
	"$(K get node "$N" -o jsonpath='{.status.addresses[?(@.type=="InternalIP")].address}')"
check_eq "exec runs in the same chroot" "$(K exec web -- ls /made-here)" "/made-here"
check_eq "exec sees the pod's env" "$(K exec web -- sh -c 'echo $WHO')" host-process
[ -e /made-here ] && fail "the pod wrote to the host's /" || pass "the host's / is untouched"
K exec web -- sh -c 'exit 7'
check_eq "exec exit code" "$?" 7
check_contains "missing command" "$(K exec web -- nope 2>&1)" 'executable file not found in $PATH'
HPID=$(K exec web -- cat /pid)
check "the container is a host process" grep -q sleep "/proc/$HPID/cmdline"

check_eventually "crash loop backs off" CrashLoopBackOff \
	K get pod crash -o jsonpath='{.status.containerStatuses[0].state.waiting.reason}'
check_contains "crash: last exit code" \
	"$(K get pod crash -o jsonpath='{.status.containerStatuses[0].lastState.terminated.exitCode}')" 3
check_contains "crash: logs" "$(K logs crash)" crashing

check "delete web" K delete pod web --timeout=30s
check "its process is gone" sh -c "! kill -0 $HPID 2>/dev/null"
check "delete crash" K delete pod crash --timeout=30s
HP="$D/run/kdeck-host-process"
"$HP" --root "$D/run/runc" frobnicate x >/dev/null 2>&1
check_eq "the runtime refuses an unknown command" "$?" 2
"$HP" --root "$D/run/runc" kill no-such-container 9 >/dev/null 2>&1
check_eq "kill of an unknown container fails" "$?" 1
finish
