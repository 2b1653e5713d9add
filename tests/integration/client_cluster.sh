# SPDX-License-Identifier: Apache-2.0
# Shared by the client integration tests (sourced after tests/lib.sh):
# start the embedded cluster in the foreground on a free port and export
# KUBECONFIG for kubectl and kdeck.  Skips (77) while the cluster cannot
# come up or cannot serve the API yet.

# client_cluster_start: sets D, PORT, PID, KC.
client_cluster_start() {
	D="$T_DIR/cluster"
	PORT=$(free_port)
	"$KDECK" cluster up --no-node --foreground --data-dir "$D" \
		--listen "127.0.0.1:$PORT" >"$T_DIR/cluster.out" \
		2>"$T_DIR/cluster.err" &
	PID=$!
	at_exit "kill $PID 2>/dev/null; wait $PID 2>/dev/null"
	KC="$D/kubeconfig.yaml"
	wait_for 30 sh -c "test -s '$KC' && kubectl --kubeconfig '$KC' \
		--request-timeout=2s get --raw /readyz || ! kill -0 $PID" ||
		die "embedded cluster did not become ready"
	kill -0 $PID 2>/dev/null ||
		die "embedded cluster not available: $(tail -n 1 "$T_DIR/cluster.err")"
	kubectl --kubeconfig "$KC" get namespaces >/dev/null 2>&1 ||
		die "embedded cluster does not serve the API yet"
	export KUBECONFIG="$KC"
}

# client_cluster_restart: stop and start again on the same port and data.
client_cluster_restart() {
	kill $PID 2>/dev/null; wait $PID 2>/dev/null
	"$KDECK" cluster up --no-node --foreground --data-dir "$D" \
		--listen "127.0.0.1:$PORT" >>"$T_DIR/cluster.out" \
		2>>"$T_DIR/cluster.err" &
	PID=$!
	at_exit "kill $PID 2>/dev/null; wait $PID 2>/dev/null"
	wait_for 30 kubectl --kubeconfig "$KC" --request-timeout=2s \
		get --raw /readyz
}
