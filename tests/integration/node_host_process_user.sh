# SPDX-License-Identifier: Apache-2.0
# The host-process runtime run by an ordinary user (a throwaway user,
# useradd -m, removed at exit): no user namespace is entered, no chroot;
# a pod's process runs from its image's directory with the image's PATH
# under it and its configMap volume as a symlink there; logs and exec
# work, the process belongs to the user, delete ends it, and `cluster
# down` + `reset` leave nothing of the user behind.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"
throwaway_user kdhp
[ -x /bin/busybox ] || skip "no /bin/busybox for test images"
as_user test -x "$KDECK" || skip "$KDECK is not executable by an ordinary user"

D="$H/cluster"
PORT=$(free_port)
as_user mkdir -p "$D" "$H/img"
as_user "$KDECK" cluster up 9>&- --foreground --data-dir "$D" --runtime host-process \
	--listen "127.0.0.1:$PORT" >"$T_DIR/out" 2>"$T_DIR/err" &
PID=$!
at_exit "kill $PID 2>/dev/null; sleep 1; kill -9 $PID 2>/dev/null"
wait_for 30 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
kill -0 $PID 2>/dev/null || die "the daemon does not start: $(tail -n 3 "$T_DIR/err")"
export KUBECONFIG="$D/kubeconfig.yaml"
K() { "$KUBECTL" --request-timeout=20s "$@"; }
ERR=$(cat "$T_DIR/err")
case "$ERR" in *"node agent: off"*) die "no node agent: $(grep 'node agent' "$T_DIR/err")" ;; esac
check_contains "cluster up: not chrooted" "$ERR" "not chrooted: not root"
python3 "$TOP_SRCDIR/tests/images/mkimage.py" "$T_DIR/img" --format oci-dir \
	--name kdeck.test/busybox:1 >/dev/null || die "mkimage.py failed"
cp -a "$T_DIR/img/." "$H/img/" && chown -R "$UID_:$GID_" "$H/img"
check "image import as the user" as_user "$KDECK" image import "$H/img" --data-dir "$D"

cat >"$T_DIR/pod.yaml" <<'Y'
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {greeting: hello-user}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: c
    image: kdeck.test/busybox:1
    command: [sh, -c, 'cat cfg/greeting; echo; echo $$$$ >pid; exec sleep 3600']
    volumeMounts: [{name: cfg, mountPath: /cfg}]
  volumes: [{name: cfg, configMap: {name: cfg}}]
Y
check "apply" K apply -f "$T_DIR/pod.yaml"
check "web is Ready" K wait --for=condition=Ready pod/web --timeout=40s
check_contains "configMap volume as a symlink" "$(K logs web)" "hello-user"
check_contains "cwd is the image's directory" "$(K exec web -- pwd)" "$D/run/containers/"
check_contains "PATH lists the image's directories" "$(K exec web -- sh -c 'echo $PATH')" "/rootfs/bin"
HPID=$(K exec web -- cat pid)
check_eq "the process belongs to the user" "$(stat -c %u "/proc/$HPID")" "$UID_"
check "delete web" K delete pod web --timeout=30s
check "its process is gone" sh -c "! kill -0 $HPID 2>/dev/null"
check "cluster down" as_user "$KDECK" cluster down --data-dir "$D"
check "cluster reset" as_user "$KDECK" cluster reset --yes --data-dir "$D"
check "the data dir is gone" test ! -e "$D"
wait_for 10 sh -c "! pgrep -u $UID_ >/dev/null"
check_eq "no process of the user left" "$(pgrep -u "$UID_" -a 2>/dev/null || true)" ""
finish
