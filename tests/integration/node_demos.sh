# SPDX-License-Identifier: Apache-2.0
# The seed demos of the node agent with real kubectl and runc (root only):
# a Deployment with env from a ConfigMap and a Secret, a Pod with
# ConfigMap and Secret volumes as files, an emptyDir shared by two
# containers, a crash-looping container backing off (CrashLoopBackOff,
# restartCount, lastState), a failing liveness probe restarting a
# container (Unhealthy event), a readiness probe gating Ready and the
# Service's endpoints.  Output is checked through kubectl logs.
. "$TOP_SRCDIR/tests/lib.sh"
need_node
PORT=$(free_port)
"$KDECK" cluster up 9>&- --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" \
	>"$T_DIR/out" 2>"$T_DIR/err" &
PID=$!
at_exit "kill $PID 2>/dev/null; wait $PID 2>/dev/null; '$KDECK' cluster reset --yes --data-dir '$D' >/dev/null 2>&1"
wait_for 20 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
kill -0 $PID 2>/dev/null || die "the daemon does not start: $(tail -n 3 "$T_DIR/err")"
grep -q "node agent: off" "$T_DIR/err" && skip "$(grep 'node agent: off' "$T_DIR/err")"
export KUBECONFIG="$D/kubeconfig.yaml"
K() { "$KUBECTL" --request-timeout=10s "$@"; }
python3 "$TOP_SRCDIR/tests/images/mkimage.py" "$T_DIR/img" --format oci-dir \
	--name kdeck.test/busybox:1 >/dev/null || die "mkimage.py failed"
"$KDECK" image import "$T_DIR/img" --data-dir "$D" >/dev/null || die "image import failed"

cat >"$T_DIR/demos.yaml" <<'Y'
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {GREETING: hello, color: blue}
---
apiVersion: v1
kind: Secret
metadata: {name: app-secret}
stringData: {PASSWORD: s3cret}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: envdemo}
spec:
  replicas: 1
  selector: {matchLabels: {app: envdemo}}
  template:
    metadata: {labels: {app: envdemo}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: kdeck.test/busybox:1
        command: [sh, -c, 'echo "greeting=$GREETING password=$PASSWORD color=$MY_COLOR"; sleep 1000']
        envFrom:
        - configMapRef: {name: app-config}
        - secretRef: {name: app-secret}
        env:
        - name: MY_COLOR
          valueFrom: {configMapKeyRef: {name: app-config, key: color}}
---
apiVersion: v1
kind: Pod
metadata: {name: voldemo}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sh, -c, 'cat /cfg/color; echo; cat /sec/PASSWORD; echo; sleep 1000']
    volumeMounts:
    - {name: cfg, mountPath: /cfg}
    - {name: sec, mountPath: /sec}
  volumes:
  - name: cfg
    configMap: {name: app-config}
  - name: sec
    secret: {secretName: app-secret}
---
apiVersion: v1
kind: Pod
metadata: {name: shared}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: writer
    image: kdeck.test/busybox:1
    command: [sh, -c, 'echo from-writer > /data/msg; sleep 1000']
    volumeMounts: [{name: data, mountPath: /data}]
  - name: reader
    image: kdeck.test/busybox:1
    command: [sh, -c, 'while [ ! -f /data/msg ]; do sleep 0.1; done; cat /data/msg; sleep 1000']
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - name: data
    emptyDir: {}
---
apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sh, -c, 'echo crashing; exit 2']
---
apiVersion: v1
kind: Pod
metadata: {name: live}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sh, -c, 'touch /tmp/alive; sleep 2; rm /tmp/alive; sleep 1000']
    livenessProbe:
      exec: {command: [test, -f, /tmp/alive]}
      periodSeconds: 1
      failureThreshold: 2
---
apiVersion: v1
kind: Pod
metadata: {name: ready, labels: {app: ready}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sleep, "1000"]
    readinessProbe:
      exec: {command: [test, -f, /tmp/ready]}
      periodSeconds: 1
---
apiVersion: v1
kind: Service
metadata: {name: ready}
spec:
  selector: {app: ready}
  ports: [{port: 80}]
Y
check "apply the demos" K apply -f "$T_DIR/demos.yaml"

jp() { K get pod "$1" -o jsonpath="$2" 2>/dev/null; }
running() { [ "$(jp "$1" '{.status.phase}')" = Running ]; }

# Deployment with env from a ConfigMap and a Secret
wait_for 30 sh -c "$KUBECTL get pods -l app=envdemo -o jsonpath='{.items[0].status.phase}' | grep -q Running"
DP=$(K get pods -l app=envdemo -o jsonpath='{.items[0].metadata.name}')
wait_for 5 sh -c "$KUBECTL logs $DP | grep -q greeting"
check_eq "env from ConfigMap and Secret" "$(K logs "$DP")" "greeting=hello password=s3cret color=blue"
check_eq "deployment available" "$(K get deploy envdemo -o jsonpath='{.status.readyReplicas}')" "1"

# ConfigMap and Secret volumes
wait_for 20 running voldemo
wait_for 5 sh -c "$KUBECTL logs voldemo | grep -q s3cret"
check_eq "ConfigMap and Secret files" "$(K logs voldemo | tr '\n' ' ')" "blue s3cret "

# emptyDir shared by two containers
wait_for 20 running shared
wait_for 5 sh -c "$KUBECTL logs shared -c reader | grep -q from-writer"
check_eq "emptyDir shared" "$(K logs shared -c reader)" "from-writer"

# readiness probe gating Ready and the endpoints
wait_for 20 running ready
check_eq "not Ready before the file" "$(jp ready '{.status.conditions[?(@.type=="Ready")].status}/{.status.containerStatuses[0].ready}')" "False/false"
check_eq "no ready endpoint" "$(K get endpoints ready -o jsonpath='{.subsets[0].addresses[0].ip}')" ""
runc --root "$D/run/runc" exec "$(jp ready '{.status.containerStatuses[0].containerID}' | sed 's|.*://||')" touch /tmp/ready
wait_for 10 sh -c "[ \"\$($KUBECTL get pod ready -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}')\" = True ]"
check_eq "Ready once the file exists" "$(jp ready '{.status.conditions[?(@.type=="Ready")].status}')" "True"
wait_for 25 sh -c "[ -n \"\$($KUBECTL get endpoints ready -o jsonpath='{.subsets[0].addresses[0].ip}')\" ]"
check_eq "the endpoint follows" "$(K get endpoints ready -o jsonpath='{.subsets[0].addresses[0].ip}')" "$(jp ready '{.status.podIP}')"

# liveness probe restarts the container
wait_for 30 sh -c "[ \"\$($KUBECTL get pod live -o jsonpath='{.status.containerStatuses[0].restartCount}')\" -ge 1 ]"
check "liveness restarts it" [ "$(jp live '{.status.containerStatuses[0].restartCount}')" -ge 1 ]
check_eventually "Unhealthy event" "Liveness probe failed" K get events --field-selector involvedObject.name=live,reason=Unhealthy
check_eventually "Killing event" "failed liveness probe, will be restarted" K get events --field-selector involvedObject.name=live,reason=Killing

# crash loop: the waiting state flips back to running at each retry, so
# read reason and message of one status together
waiting() { jp crash '{.status.containerStatuses[0].state.waiting.reason}|{.status.containerStatuses[0].state.waiting.message}'; }
wait_for 30 sh -c "$KUBECTL get pod crash -o jsonpath='{.status.containerStatuses[0].state.waiting.reason}' | grep -q CrashLoopBackOff"
w=""
for _ in $(seq 1 60); do
	w=$(waiting)
	case $w in CrashLoopBackOff\|*) break ;; esac
	sleep 0.5
done
check_eq "CrashLoopBackOff" "${w%%|*}" "CrashLoopBackOff"
check "restartCount grows" [ "$(jp crash '{.status.containerStatuses[0].restartCount}')" -ge 1 ]
check_eq "lastState" "$(jp crash '{.status.containerStatuses[0].lastState.terminated.reason}/{.status.containerStatuses[0].lastState.terminated.exitCode}')" "Error/2"
check_contains "back-off message" "${w#*|}" "restarting failed container=c pod=crash_default("
check_eventually "BackOff event" "Back-off restarting failed container c in pod crash_default" K get events --field-selector involvedObject.name=crash,reason=BackOff
check_contains "kubectl logs --previous" "$(K logs crash --previous 2>&1)" "crashing"
finish
