# SPDX-License-Identifier: Apache-2.0
# Rootless pods: as root, a throwaway user (useradd -m, removed at exit)
# runs `kdeck cluster up` with its own data dir; kdeck enters a user
# namespace of its own, says so, and the Node reports runtime-mode
# rootless and that limits are not enforced.  A busybox pod prints
# `id -u` and its hostname (kubectl logs), kubectl exec works, its
# process on the host belongs to the user, deleting it works and
# `cluster down` leaves no process of the user behind.  Skips when
# useradd or unprivileged user namespaces are not available.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL" runc unshare
throwaway_user kdrl
[ -x /bin/busybox ] || skip "no /bin/busybox for test images"
as_user unshare -U -r true 2>/dev/null || skip "unprivileged user namespaces are not allowed here"
# The binary must be reachable by the user.
as_user test -x "$KDECK" || skip "$KDECK is not executable by an ordinary user"

D="$H/cluster"
PORT=$(free_port)
NODE=$(hostname | tr 'A-Z' 'a-z')
as_user mkdir -p "$D" "$H/img"
as_user "$KDECK" cluster up 9>&- --foreground --data-dir "$D" \
	--listen "127.0.0.1:$PORT" >"$T_DIR/out" 2>"$T_DIR/err" &
PID=$!
at_exit "kill $PID 2>/dev/null; sleep 1; kill -9 $PID 2>/dev/null"
wait_for 30 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
kill -0 $PID 2>/dev/null || die "the daemon does not start: $(tail -n 3 "$T_DIR/err")"
export KUBECONFIG="$D/kubeconfig.yaml"
K() { "$KUBECTL" --request-timeout=10s "$@"; }
ERR=$(cat "$T_DIR/err")
check_contains "cluster up: rootless containers yes" "$ERR" "rootless containers: yes"
check_contains "cluster up: runtime rootless" "$ERR" "rootless (user namespace"
check_contains "cluster up: limits not enforced" "$ERR" "resource limits NOT enforced"
check_contains "cluster up: network mode" "$ERR" "pod network: rootless"
check_contains "cluster up: outbound traffic or why not" "$ERR" "outbound"
case "$ERR" in *"node agent: off"*) die "no node agent: $(grep 'node agent' "$T_DIR/err")" ;; esac

python3 "$TOP_SRCDIR/tests/images/mkimage.py" "$T_DIR/img" --format oci-dir \
	--name kdeck.test/busybox:1 >/dev/null || die "mkimage.py failed"
cp -a "$T_DIR/img/." "$H/img/" && chown -R "$UID_:$GID_" "$H/img"
check "image import as the user" as_user "$KDECK" image import "$H/img" --data-dir "$D"

# ---- the Node says what it is ----
wait_for 10 K get node "$NODE"
check_eq "Node runtime-mode annotation" \
	"$(K get node "$NODE" -o jsonpath='{.metadata.annotations.kdeck\.io/runtime-mode}')" "rootless"
check_eq "Node runtime-mode label" \
	"$(K get node "$NODE" -o jsonpath='{.metadata.labels.kdeck\.io/runtime-mode}')" "rootless"
check_eq "Node limits condition" \
	"$(K get node "$NODE" -o jsonpath='{.status.conditions[?(@.type=="kdeck.io/ResourceLimitsEnforced")].status}')" "False"
check_contains "containerRuntimeVersion" \
	"$(K get node "$NODE" -o jsonpath='{.status.nodeInfo.containerRuntimeVersion}')" "runc://"

# ---- a pod ----
cat >"$T_DIR/p.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: who}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sh, -c, 'echo "uid=$(id -u)"; echo "host=$(hostname)"; (while true; do echo pf-ok | nc -l -p 8080; done) & exec sleep 31337']
    resources: {limits: {memory: 64Mi}}
Y
K apply -f "$T_DIR/p.yaml" >/dev/null
wait_for 30 sh -c "[ \"\$($KUBECTL get pod who -o jsonpath='{.status.phase}')\" = Running ]"
check_eq "pod Running" "$(K get pod who -o jsonpath='{.status.phase}')" "Running"
wait_for 10 sh -c "$KUBECTL logs who | grep -q host="
LOGS=$(K logs who)
check_contains "kubectl logs: id -u in the pod is 0" "$LOGS" "uid=0"
check_contains "kubectl logs: the pod's hostname" "$LOGS" "host=who"
check_eq "kubectl exec" "$(K exec who -- sh -c 'echo hi-from-$(hostname)')" "hi-from-who"
check_contains "limits not enforced: a Warning event" \
	"$(K get events --field-selector involvedObject.name=who -o jsonpath='{.items[*].reason}')" "LimitsNotEnforced"
check_contains "pod IP" "$(K get pod who -o jsonpath='{.status.podIP}')" "10.244."
# port-forward reaches the pod's loopback (the daemon joins its namespace)
LP=$(free_port)
K port-forward pod/who "$LP:8080" >"$T_DIR/pf.out" 2>&1 &
PF=$!
at_exit "kill $PF 2>/dev/null"
wait_for 10 grep -q Forwarding "$T_DIR/pf.out"
PFGOT=$("$PY" -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1])),5); s.settimeout(5); print(s.recv(100).decode().strip())' "$LP" 2>&1)
check_eq "kubectl port-forward into the rootless pod" "$PFGOT" "pf-ok"
kill $PF 2>/dev/null
if command -v slirp4netns >/dev/null 2>&1 && as_user test -r /dev/net/tun -a -w /dev/net/tun; then
	check_contains "outbound interface from slirp4netns" \
		"$(K exec who -- cat /proc/net/dev)" "tap0"
fi
SPID=$(pgrep -f "[s]leep 31337" | head -n 1)
check "the pod's process is on the host" [ -n "$SPID" ]
check_eq "the pod's process runs as the user's uid" \
	"$(stat -c %u "/proc/${SPID:-0}" 2>/dev/null)" "$UID_"

# ---- delete, down ----
check "kubectl delete" K delete pod who --wait=true --timeout=30s
check "the pod's process is gone" sh -c "! pgrep -f '[s]leep 31337'"
K apply -f "$T_DIR/p.yaml" >/dev/null
wait_for 30 sh -c "[ \"\$($KUBECTL get pod who -o jsonpath='{.status.phase}')\" = Running ]"
check "cluster down as the user" as_user "$KDECK" cluster down --data-dir "$D"
wait_for 15 sh -c "! kill -0 $PID 2>/dev/null"
# container shims finish their own exit after the daemon's (slower under ASan)
wait_for 20 sh -c "! pgrep -u $UID_ >/dev/null"
LEFT=$(pgrep -u "$UID_" -a 2>/dev/null || true)
check_eq "cluster down leaves no process of the user" "$LEFT" ""

# ---- again with the single mapping (no newuidmap): the pod comes back ----
as_user env KDECK_USERNS_SINGLE=1 "$KDECK" cluster up 9>&- --foreground \
	--data-dir "$D" --listen "127.0.0.1:$PORT" >"$T_DIR/out" 2>"$T_DIR/err" &
PID=$!
wait_for 30 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
kill -0 $PID 2>/dev/null || die "the daemon does not start again: $(tail -n 3 "$T_DIR/err")"
check_contains "single mapping said" "$(cat "$T_DIR/err")" "single id"
wait_for 30 sh -c "$KUBECTL logs who 2>/dev/null | grep -q host=who"
check_contains "pod runs again with the single mapping" "$(K logs who)" "uid=0"
check "cluster down again" as_user "$KDECK" cluster down --data-dir "$D"
wait_for 15 sh -c "! kill -0 $PID 2>/dev/null"
wait_for 20 sh -c "! pgrep -u $UID_ >/dev/null"
check_eq "no process of the user left" "$(pgrep -u "$UID_" -a 2>/dev/null || true)" ""
finish
