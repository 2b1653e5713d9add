#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# An informer (`kdeck get -w`) across a compaction of the embedded
# cluster's store: while the informer is away (stopped), the cluster
# changes and its store is compacted past the informer's resourceVersion
# (the cluster restarted with KDECK_COMPACTION_INTERVAL=1 and
# KDECK_COMPACTION_KEEP=1 compacts every second down to its last revision).
# The informer's resumed watch gets 410 Gone; it relists and holds
# exactly the objects that exist, none lost and none stale.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/client_cluster.sh"
need_cmd kubectl python3

export HOME="$T_DIR/home" XDG_CACHE_HOME="$T_DIR/cache"
mkdir -p "$HOME"
client_cluster_start

kubectl create namespace cw >/dev/null
kubectl -n cw create configmap keep --from-literal=a=b >/dev/null
kubectl -n cw create configmap gone --from-literal=a=b >/dev/null

"$KDECK" get configmaps -n cw -w -o name >"$T_DIR/w.out" 2>"$T_DIR/w.err" &
WPID=$!
at_exit "kill -CONT $WPID 2>/dev/null; kill $WPID 2>/dev/null"
has() { grep -qx "$1" "$T_DIR/w.out"; }
check "initial list seen" wait_for 15 has "ADDED configmap/gone"
check "synced" wait_for 5 grep -q "watch: synced" "$T_DIR/w.err"

kill -STOP $WPID
client_cluster_restart	# the informer's connection is gone meanwhile
kubectl -n cw create configmap new --from-literal=a=b >/dev/null
kubectl -n cw delete configmap gone >/dev/null
for i in 1 2 3; do
	kubectl -n cw label configmap keep --overwrite n=$i >/dev/null
done
export KDECK_COMPACTION_INTERVAL=1 KDECK_COMPACTION_KEEP=1 KDECK_WATCH_BOOKMARK_INTERVAL=1
client_cluster_restart
unset KDECK_COMPACTION_INTERVAL KDECK_COMPACTION_KEEP KDECK_WATCH_BOOKMARK_INTERVAL
check "compacted: a watch from revision 2 is too old" wait_for 15 sh -c \
	"kubectl get --raw '/api/v1/namespaces/cw/configmaps?watch=1&resourceVersion=2&timeoutSeconds=1' 2>&1 | grep -q 'too old resource version'"
check "cluster back" kubectl get --raw /readyz
check_contains "bookmarks every second (KDECK_WATCH_BOOKMARK_INTERVAL=1)" \
	"$(kubectl get --raw '/api/v1/namespaces/cw/configmaps?watch=1&allowWatchBookmarks=true&resourceVersion=0&timeoutSeconds=3' 2>&1)" '"type":"BOOKMARK"'
kill -CONT $WPID

check "informer relisted after 410" wait_for 40 sh -c \
	"test \$(grep -c 'watch: listed' '$T_DIR/w.err') -ge 2"
# the informer goes back to syncing (a new LIST) only on 410 Gone
check_contains "the resumed watch was refused as too old: relisting" \
	"$(sed -n '/watch: error/,$p' "$T_DIR/w.err")" "watch: syncing"
relisted=$(awk '/^ADDED/ { print }' "$T_DIR/w.out" | tail -n 3 | sort | tr '\n' ' ')
check_eq "the relist holds what exists" "$relisted" \
	"ADDED configmap/keep ADDED configmap/kube-root-ca.crt ADDED configmap/new "
check_contains "... and the last listing count is right" \
	"$(grep 'watch: listed' "$T_DIR/w.err" | tail -n 1)" "listed 3"
kubectl -n cw create configmap later --from-literal=a=b >/dev/null
check "the watch goes on after the relist" wait_for 20 has "ADDED configmap/later"
check "watch process still alive" kill -0 $WPID
sed 's/^/    w.err| /' "$T_DIR/w.err" | tail -n 8
finish
