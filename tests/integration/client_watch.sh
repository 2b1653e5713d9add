# SPDX-License-Identifier: Apache-2.0
# The informer behind `kdeck get -w`: initial list, live events, and a
# watch cache that survives a restart of the embedded cluster (the watch
# drops, backs off, resumes from its resourceVersion and sees what changed
# while it was away).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/client_cluster.sh"
need_cmd kubectl

export HOME="$T_DIR/home" XDG_CACHE_HOME="$T_DIR/cache"
mkdir -p "$HOME"
client_cluster_start

kubectl create namespace w >/dev/null
kubectl -n w create configmap before --from-literal=a=b >/dev/null

"$KDECK" get configmaps -n w -w -o name >"$T_DIR/w.out" 2>"$T_DIR/w.err" &
WPID=$!
at_exit "kill $WPID 2>/dev/null"
has() { grep -qx "$1" "$T_DIR/w.out"; }

check "initial list seen" wait_for 15 has "ADDED configmap/before"
check "state synced reported" wait_for 5 grep -q "watch: synced" "$T_DIR/w.err"
kubectl -n w create configmap live --from-literal=a=b >/dev/null
check "live ADDED" wait_for 10 has "ADDED configmap/live"
kubectl -n w label configmap live x=y >/dev/null
check "live MODIFIED" wait_for 10 has "MODIFIED configmap/live"

client_cluster_restart
check "cluster restarted" kubectl get --raw /readyz
kubectl -n w create configmap after --from-literal=a=b >/dev/null
check "event after restart seen" wait_for 40 has "ADDED configmap/after"
kubectl -n w delete configmap before >/dev/null
check "DELETED after restart" wait_for 20 has "DELETED configmap/before"
check "watch process still alive" kill -0 $WPID
check_eq "no duplicate ADDED for before" "$(grep -cx 'ADDED configmap/before' "$T_DIR/w.out")" 1
sed 's/^/    w.err| /' "$T_DIR/w.err" | tail -n 8
finish
