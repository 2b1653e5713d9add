#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# An informer (`kdeck get -w`) across a compaction of the embedded
# cluster's store: while the informer is away (stopped), the cluster
# changes and its store is compacted past the informer's resourceVersion
# (the cluster has no knob for an on-demand compaction, so the test does
# its first step on the stopped cluster's data dir: the compacted
# revision in the meta table, which is what makes older watches 410).
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
kill $PID 2>/dev/null; wait $PID 2>/dev/null
python3 - "$D/state.db" <<'PY' || die "cannot compact $D/state.db"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
top = db.execute("SELECT max(id) FROM log").fetchone()[0]
db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('compact_rev', ?)", (top,))
db.commit()
PY
client_cluster_restart
check "cluster back" kubectl get --raw /readyz
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
