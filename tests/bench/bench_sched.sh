# SPDX-License-Identifier: Apache-2.0
# Controller figures: time for a Deployment of REPLICAS (default 1000) to
# become Available on NODES (default 100) simulated nodes, and the pod
# throughput that implies (scheduling + running + ReplicaSet creation).
# Prints figures; never fails on timing.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"
NODES=${NODES:-100}
REPLICAS=${REPLICAS:-1000}

export HOME="$T_DIR/home"
D="$T_DIR/c"
PORT=$(free_port)
"$KDECK" cluster up --no-node --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" \
	--simulated-nodes "$NODES" >"$T_DIR/out" 2>"$T_DIR/err" &
PID=$!
at_exit "kill $PID 2>/dev/null"
wait_for 20 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
export KUBECONFIG="$D/kubeconfig.yaml"
wait_for 60 sh -c "[ \$($KUBECTL get nodes --no-headers 2>/dev/null | wc -l) = $NODES ]"
t0=$(date +%s.%N)
"$KUBECTL" create deployment big --image=nginx --replicas="$REPLICAS" >/dev/null
"$KUBECTL" rollout status deployment/big --timeout=600s >/dev/null
t1=$(date +%s.%N)
python3 -c "d=$t1-$t0; print('deployment of %d replicas on %d nodes Available in %.2f s (%.0f pods/s)' % ($REPLICAS, $NODES, d, $REPLICAS/d))"
finish
