# SPDX-License-Identifier: Apache-2.0
# What a pod sees, with real kubectl and runc (root only): env from a
# ConfigMap, a Secret, the downward API, envFrom with a prefix and $(VAR)
# expansion; ConfigMap, Secret and downwardAPI volumes as files; an
# emptyDir shared by two containers; runAsUser and fsGroup; /etc/hosts
# with hostAliases, hostname and resolv.conf; a ConfigMap update reaching
# the mounted file; a missing ConfigMap volume leaves the pod in
# ContainerCreating with kubelet's FailedMount event.  Skips when this
# build has no node agent.
. "$TOP_SRCDIR/tests/lib.sh"
need_node
PORT=$(free_port)
NODE=$(hostname | tr 'A-Z' 'a-z')
"$KDECK" cluster up --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" \
	>"$T_DIR/out" 2>>"$T_DIR/err" &
PID=$!
at_exit "kill \$PID 2>/dev/null; sleep 1; kill -9 \$PID 2>/dev/null; '$KDECK' cluster reset --yes --data-dir '$D' >/dev/null 2>&1"
wait_for 20 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
kill -0 $PID 2>/dev/null || die "the daemon does not start: $(tail -n 3 "$T_DIR/err")"
export KUBECONFIG="$D/kubeconfig.yaml"
K() { "$KUBECTL" --request-timeout=10s "$@"; }
grep -q "node agent: off" "$T_DIR/err" && skip "$(grep 'node agent: off' "$T_DIR/err")"
wait_for 10 K get node "$NODE" || skip "no node agent in this build"

python3 "$TOP_SRCDIR/tests/images/mkimage.py" "$T_DIR/img" --format oci-dir \
	--name kdeck.test/busybox:1 >/dev/null || die "mkimage.py failed"
"$KDECK" image import "$T_DIR/img" --data-dir "$D" >/dev/null || die "image import failed"

cat >"$T_DIR/see.yaml" <<'Y'
apiVersion: v1
kind: ConfigMap
metadata: {name: app-cfg}
data: {greeting: hello, mode: fast}
---
apiVersion: v1
kind: Secret
metadata: {name: app-sec}
stringData: {password: s3cret}
---
apiVersion: v1
kind: Pod
metadata: {name: see, labels: {app: see}}
spec:
  hostAliases: [{ip: 10.9.9.9, hostnames: [alias.test]}]
  securityContext: {fsGroup: 2000}
  volumes:
  - {name: cfg, configMap: {name: app-cfg}}
  - {name: sec, secret: {secretName: app-sec}}
  - {name: share, emptyDir: {}}
  - name: info
    downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}
  containers:
  - name: main
    image: kdeck.test/busybox:1
    command: [sh, -c]
    args:
    - |
      echo "ENV $GREETING $PW $POD_NAME $cfg_mode $EXP"
      echo "ID $(id -u):$(id -g) $(id -G)"
      echo "FILES $(cat /cfg/greeting) $(cat /sec/password) $(cat /info/labels)"
      echo "HOSTS $(grep alias.test /etc/hosts)"
      echo "HOSTNAME $(hostname)"
      echo "RESOLV $(cat /etc/resolv.conf | tr '\n' ' ')"
      while true; do cat /cfg/greeting >/share/n && mv /share/n /share/now; sleep 0.2; done
    env:
    - {name: GREETING, valueFrom: {configMapKeyRef: {name: app-cfg, key: greeting}}}
    - {name: PW, valueFrom: {secretKeyRef: {name: app-sec, key: password}}}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: EXP, value: "$(POD_NAME)-$$(X)-$(NOPE)"}
    envFrom: [{prefix: cfg_, configMapRef: {name: app-cfg}}]
    securityContext: {runAsUser: 1000}
    volumeMounts:
    - {name: cfg, mountPath: /cfg}
    - {name: sec, mountPath: /sec}
    - {name: share, mountPath: /share}
    - {name: info, mountPath: /info}
  - name: side
    image: kdeck.test/busybox:1
    command: [sh, -c, 'while true; do cat /share/now >/share/s 2>/dev/null && mv /share/s /share/seen; sleep 0.2; done']
    volumeMounts: [{name: share, mountPath: /share}]
Y
K apply -f "$T_DIR/see.yaml" >/dev/null || die "kubectl apply failed"
wait_for 30 sh -c "[ \"\$($KUBECTL get pod see -o jsonpath='{.status.phase}')\" = Running ]"
check_eq "pod Running" "$(K get pod see -o jsonpath='{.status.phase}')" "Running"
UID_=$(K get pod see -o jsonpath='{.metadata.uid}')
IP=$(K get pod see -o jsonpath='{.status.podIP}')
log() { cut -d' ' -f4- "$D"/logs/default_see_"$UID_"/main/0.log 2>/dev/null; }
wait_for 10 sh -c "$(declare -f log); log | grep -q RESOLV"
OUT=$(log)
check_contains "env: valueFrom, envFrom prefix, expansion" "$OUT" "ENV hello s3cret see fast see-\$(X)-\$(NOPE)"
check_contains "runAsUser" "$OUT" "ID 1000:"
check_contains "fsGroup among the groups" "$(echo "$OUT" | grep '^ID')" " 2000"
check_contains "ConfigMap, Secret, downwardAPI files" "$OUT" "FILES hello s3cret app=\"see\""
check_contains "/etc/hosts hostAliases" "$OUT" "HOSTS 10.9.9.9	alias.test"
check_contains "hostname" "$OUT" "HOSTNAME see"
if echo "$OUT" | grep -q "svc.cluster.local"; then
	check_contains "resolv.conf search path" "$OUT" "search default.svc.cluster.local svc.cluster.local cluster.local"
	check_contains "resolv.conf ndots" "$OUT" "options ndots:5"
else	# no cluster DNS yet: the node's own resolv.conf
	check_contains "resolv.conf is the node's" "$OUT" \
		"nameserver $(awk '/^nameserver/ {print $2; exit}' /etc/resolv.conf)"
fi
check_contains "/etc/hosts pod IP line" "$(cat "$D/pods/$UID_/etc-hosts")" "$IP	see"
SHARE="$D/pods/$UID_/volumes/kubernetes.io~empty-dir/share"
wait_for 10 grep -q hello "$SHARE/seen"
check_eq "emptyDir shared by two containers" "$(cat "$SHARE/seen" 2>/dev/null)" "hello"

K patch configmap app-cfg -p '{"data":{"greeting":"bonjour"}}' >/dev/null
wait_for 40 grep -q bonjour "$SHARE/seen"
check_eq "ConfigMap update reaches the mounted file" "$(cat "$SHARE/seen" 2>/dev/null)" "bonjour"

cat >"$T_DIR/nocfg.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: nocfg}
spec:
  volumes: [{name: v, configMap: {name: gone}}]
  containers:
  - {name: c, image: kdeck.test/busybox:1, command: [sleep, "100"], volumeMounts: [{name: v, mountPath: /v}]}
Y
K apply -f "$T_DIR/nocfg.yaml" >/dev/null
wait_for 20 sh -c "$KUBECTL get events --field-selector involvedObject.name=nocfg | grep -q FailedMount"
check_contains "FailedMount event" "$(K get events --field-selector involvedObject.name=nocfg)" \
	'MountVolume.SetUp failed for volume "v" : configmap "gone" not found'
check_contains "pod stays ContainerCreating" "$(K get pod nocfg --no-headers)" "ContainerCreating"

check "cluster down" "$KDECK" cluster down --data-dir "$D"
wait_for 20 sh -c "! kill -0 $PID"
check_eq "no mounts left under the data dir" "$(grep -c " $D/" /proc/mounts)" "0"
finish
