# SPDX-License-Identifier: Apache-2.0
# Server time to apply the whole Online Boutique manifest with kubectl
# (client-side apply into an empty namespace, then a no-op re-apply; the
# same with --server-side).
# Prints figures; never fails on timing.  Target: < 1 s server time.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" curl
need_shared
M="$SHARED_DIR/testdata/online-boutique/kubernetes-manifests.yaml"

export HOME="$T_DIR/home"
D="$T_DIR/c"
PORT=$(free_port)
"$KDECK" cluster up --no-node --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" \
	>"$T_DIR/out" 2>"$T_DIR/err" &
PID=$!
at_exit "kill $PID 2>/dev/null"
wait_for 20 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
kill -0 $PID 2>/dev/null || skip "the daemon does not start"
export KUBECONFIG="$D/kubeconfig.yaml"

# Server time = kubectl wall time minus the client's own cost, measured with
# a dry run that does the same discovery and OpenAPI work but no writes;
# -v=6 request latencies are summed as a second, direct figure.
ms() { date +%s%3N; }
"$KUBECTL" create ns b1 >/dev/null
"$KUBECTL" apply -n b1 --dry-run=client -f "$M" >/dev/null 2>&1
t0=$(ms); "$KUBECTL" apply -n b1 --dry-run=client -f "$M" >/dev/null 2>&1; t1=$(ms)
"$KUBECTL" apply -n b1 -f "$M" -v=6 >"$T_DIR/v6" 2>&1; t2=$(ms)
"$KUBECTL" apply -n b1 -f "$M" -v=6 >"$T_DIR/v6b" 2>&1; t3=$(ms)
"$KUBECTL" create ns b2 >/dev/null
"$KUBECTL" apply --server-side -n b2 -f "$M" -v=6 >"$T_DIR/v6s" 2>&1; t4=$(ms)
"$KUBECTL" apply --server-side -n b2 -f "$M" -v=6 >"$T_DIR/v6t" 2>&1; t5=$(ms)
sum() { sed -n 's/.* in \([0-9]*\) milliseconds.*/\1/p; s/.*milliseconds=\([0-9]*\).*/\1/p' "$1" | awk '{s+=$1} END {print s+0}'; }
n=$(grep -c '^kind:' "$M")
echo "apply_boutique: objects=$n"
echo "apply_boutique: dry-run (client only) wall=$((t1 - t0)) ms"
echo "apply_boutique: create wall=$((t2 - t1)) ms server_requests_sum=$(sum "$T_DIR/v6") ms (target < 1000)"
echo "apply_boutique: re-apply (unchanged) wall=$((t3 - t2)) ms server_requests_sum=$(sum "$T_DIR/v6b") ms"
echo "apply_boutique: server-side create wall=$((t4 - t3)) ms server_requests_sum=$(sum "$T_DIR/v6s") ms"
echo "apply_boutique: server-side re-apply wall=$((t5 - t4)) ms server_requests_sum=$(sum "$T_DIR/v6t") ms"
finish
