# SPDX-License-Identifier: Apache-2.0
# Starts the embedded cluster with simulated nodes (BENCH_NODES, default
# 100: 110 pods each, so every pod is scheduled and gets a status like a
# real one) and runs bench_client against it (10,000 pods by default;
# BENCH_PODS to change).  Prints a note when the cluster cannot start.
set -u
T=$(mktemp -d "${TMPDIR:-/tmp}/kdeck-bench-client.XXXXXX")
# cluster up merges its context into ~/.kube/config: keep that private
export HOME="$T/home"
mkdir -p "$HOME"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$KDECK" cluster up --no-node --simulated-nodes "${BENCH_NODES:-100}" --foreground --data-dir "$T/c" --listen "127.0.0.1:$PORT" \
	>"$T/out" 2>"$T/err" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$T"' EXIT
i=0
while [ $i -lt 300 ] && kill -0 $PID 2>/dev/null &&
      ! kubectl --kubeconfig "$T/c/kubeconfig.yaml" --request-timeout=2s \
	get --raw /readyz >/dev/null 2>&1; do
	sleep 0.1; i=$((i + 1))
done
if ! kill -0 $PID 2>/dev/null; then
	echo "bench_client: embedded cluster not available; skipped"
	exit 0
fi
KDECK_BENCH_CLUSTER=1 KUBECONFIG="$T/c/kubeconfig.yaml" XDG_CACHE_HOME="$T/cache" \
	"$TOP_BUILDDIR/tests/bench/bench_client"
