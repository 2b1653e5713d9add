# SPDX-License-Identifier: Apache-2.0
# Rootless restart safety: a throwaway user (with a subordinate id range
# in /etc/subuid and /etc/subgid, removed at exit) runs a pod whose
# container writes files as a subordinate id; the daemon is killed with
# -9.  The next `cluster up` joins the namespaces the containers still run
# in: the pod's process is found again (the same one, not duplicated;
# exec works).  Killed with -9 again, `cluster reset` removes the
# containers and every file, those of subordinate ids included, and no
# process of the user is left.  Skips without useradd, newuidmap or
# unprivileged user namespaces.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL" runc useradd userdel setpriv unshare newuidmap newgidmap
[ "$(id -u)" = 0 ] || skip "creates a throwaway user: needs root"
[ -x /bin/busybox ] || skip "no /bin/busybox for test images"
U="kdrr$$"
useradd -m -s /bin/sh "$U" >/dev/null 2>&1 || skip "useradd failed"
at_exit "pkill -KILL -u $U 2>/dev/null; sleep 0.5; userdel -r -f $U >/dev/null 2>&1; sed -i '/^$U:/d' /etc/subuid /etc/subgid"
UID_=$(id -u "$U")
GID_=$(id -g "$U")
grep -q "^$U:" /etc/subuid || echo "$U:$((400000 + ($$ % 1000) * 65536)):65536" >>/etc/subuid
grep -q "^$U:" /etc/subgid || echo "$U:$((400000 + ($$ % 1000) * 65536)):65536" >>/etc/subgid
H=$(getent passwd "$U" | cut -d: -f6)
as_user() {
	setpriv --reuid "$UID_" --regid "$GID_" --init-groups \
		env HOME="$H" USER="$U" XDG_RUNTIME_DIR= "$@"
}
as_user unshare -U -r true 2>/dev/null || skip "unprivileged user namespaces are not allowed here"
as_user test -x "$KDECK" || skip "$KDECK is not executable by an ordinary user"

D="$H/cluster"
PORT=$(free_port)
up() {
	as_user "$KDECK" cluster up 9>&- --foreground --data-dir "$D" \
		--listen "127.0.0.1:$PORT" >"$T_DIR/out" 2>"$T_DIR/err" &
	PID=$!
	wait_for 30 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
	kill -0 $PID 2>/dev/null || die "the daemon does not start: $(tail -n 3 "$T_DIR/err")"
}
# kill -9 every process of the daemon (`cluster up` and its re-executed
# child), not its containers' shims
kill9() {
	for p in $(pgrep -u "$UID_" -f "kdeck cluster up"); do kill -9 "$p"; done
	wait_for 10 sh -c "! pgrep -u $UID_ -f 'kdeck cluster up' >/dev/null"
}
up
at_exit "kill9"
export KUBECONFIG="$D/kubeconfig.yaml"
K() { "$KUBECTL" --request-timeout=10s "$@"; }
case "$(cat "$T_DIR/err")" in
*"node agent: off"*) skip "$(grep 'node agent' "$T_DIR/err")" ;;
*"subordinate ids"*) ;;
*) skip "no subordinate ids: $(grep 'rootless' "$T_DIR/err")" ;;
esac
as_user mkdir -p "$H/img"
python3 "$TOP_SRCDIR/tests/images/mkimage.py" "$T_DIR/img" --format oci-dir \
	--name kdeck.test/busybox:1 >/dev/null || die "mkimage.py failed"
cp -a "$T_DIR/img/." "$H/img/" && chown -R "$UID_:$GID_" "$H/img"
check "image import as the user" as_user "$KDECK" image import "$H/img" --data-dir "$D"

cat >"$T_DIR/p.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: keep}
spec:
  terminationGracePeriodSeconds: 1
  volumes: [{name: v, emptyDir: {}}]
  containers:
  - name: c
    image: kdeck.test/busybox:1
    volumeMounts: [{name: v, mountPath: /v}]
    command: [sh, -c, 'mkdir -p /v/d /w; echo x >/v/d/f; echo y >/w/f; chown -R 1234:1234 /v/d /w; echo ready; exec sleep 31338']
Y
K apply -f "$T_DIR/p.yaml" >/dev/null
wait_for 30 sh -c "$KUBECTL logs keep 2>/dev/null | grep -q ready"
check_contains "the pod runs" "$(K logs keep 2>&1)" "ready"
SPID=$(pgrep -f "[s]leep 31338" | head -n 1)
check "its process is on the host" [ -n "$SPID" ]
check "a file of a subordinate id on the host" sh -c "find '$D' -uid \$(( \$(grep '^$U:' /etc/subuid | cut -d: -f2) + 1233 )) | grep -q ."

# ---- killed with -9: the next daemon finds the container again ----
kill9
check "the container outlives the daemon" kill -0 "$SPID"
up
check_contains "cluster up joins the containers' namespaces" "$(cat "$T_DIR/err")" "joined from shim"
wait_for 20 sh -c "[ \"\$($KUBECTL get pod keep -o jsonpath='{.status.phase}')\" = Running ]"
sleep 3	# a sync of the pod worker: it would start a duplicate now
check_eq "the same process, not a new one" "$(pgrep -f '[s]leep 31338' | tr '\n' ' ')" "$SPID "
check_eq "restartCount 0" "$(K get pod keep -o jsonpath='{.status.containerStatuses[0].restartCount}')" "0"
check_eq "kubectl exec into the adopted container" "$(K exec keep -- cat /v/d/f)" "x"

# ---- killed again: reset removes containers and subordinate-id files ----
kill9
check "cluster reset as the user" as_user "$KDECK" cluster reset --yes --data-dir "$D"
check "the data dir is gone (files of subordinate ids too)" test ! -e "$D"
wait_for 20 sh -c "! pgrep -u $UID_ >/dev/null"
check_eq "no process of the user left" "$(pgrep -u "$UID_" -a 2>/dev/null || true)" ""
finish
