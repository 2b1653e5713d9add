#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The header's cluster CPU and memory from metrics.k8s.io (fakeapi.py
# with FAKEAPI_METRICS): usage summed over the nodes with metrics against
# their allocatable, refreshed every ~10 s; and nothing at all (no error)
# when the server has no metrics API.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"

kubeconfig() {
	cat >"$1" <<KC
apiVersion: v1
kind: Config
current-context: fake
clusters:
- name: fake
  cluster: {server: "http://127.0.0.1:$2"}
contexts:
- name: fake
  context: {cluster: fake, user: tester, namespace: default}
users:
- name: tester
  user: {token: abc}
KC
}
api_up() { wait_for 10 sh -c "$PY -c 'import socket; socket.create_connection((\"127.0.0.1\", $1))'"; }

M="$T_DIR/metrics.json"
echo '{"node-1": ["500m", "2Gi"], "node-2": ["1500000000n", "2Gi"]}' >"$M"
P1=$(free_port)
FAKEAPI_METRICS="$M" "$PY" "$TOP_SRCDIR/tests/tui/fakeapi.py" "$P1" "$T_DIR/req1.log" &
API1=$!
at_exit 'kill $API1'
api_up "$P1"
kubeconfig "$T_DIR/kc1" "$P1"

tui_start usage "XDG_CONFIG_HOME=$T_DIR/cfg XDG_CACHE_HOME=$T_DIR/cache1 $KDECK --kubeconfig $T_DIR/kc1"
check "connected" tui_wait "K8s: v1.31.9-fake"
check "usage vs allocatable of the nodes with metrics" \
	tui_wait "CPU: 25% (2/8)  MEM: 25% (4Gi/16Gi)" 15
echo '{"node-1": ["3", "6Gi"], "node-2": ["1", "6Gi"]}' >"$M"
check "refreshed within ~10 s" tui_wait "CPU: 50% (4/8)  MEM: 75% (12Gi/16Gi)" 15
check_contains "NodeMetrics were listed" "$(cat "$T_DIR/req1.log")" "GET /apis/metrics.k8s.io/v1beta1/nodes"
tui_keys : q Enter
sleep 0.5

P2=$(free_port)
"$PY" "$TOP_SRCDIR/tests/tui/fakeapi.py" "$P2" "$T_DIR/req2.log" &
API2=$!
at_exit 'kill $API2'
api_up "$P2"
kubeconfig "$T_DIR/kc2" "$P2"
tui_start usage2 "XDG_CONFIG_HOME=$T_DIR/cfg XDG_CACHE_HOME=$T_DIR/cache2 $KDECK --kubeconfig $T_DIR/kc2"
check "connected (no metrics API)" tui_wait "K8s: v1.31.9-fake"
check "pods listed" tui_wait "api-1"
sleep 2
check "no usage in the header" tui_hasnt "CPU:"
check "no error for the missing API" tui_hasnt "NotFound"
check "no error for the missing API (2)" tui_hasnt "metrics"
tui_keys : q Enter
finish
