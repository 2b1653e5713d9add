#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The log view's request options against fakeapi.py (FAKEAPI_LOG_HOLD: a
# log answers with its own query and stays open): tail 100 by default,
# T sets N, 0..5 since (sinceTime), p the previous instance (no follow),
# a every container of the pod, and `l` on a Deployment: every container
# of its pods, each line prefixed [pod/NAME/CONTAINER].
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"

PORT=$(free_port)
REQ="$T_DIR/requests.log"
FAKEAPI_SIDECAR=1 FAKEAPI_LOG_HOLD=1 "$PY" "$TOP_SRCDIR/tests/tui/fakeapi.py" "$PORT" "$REQ" &
API=$!
at_exit 'kill $API'
wait_for 10 sh -c "$PY -c 'import socket; socket.create_connection((\"127.0.0.1\", $PORT))'"
cat >"$T_DIR/kubeconfig" <<KC
apiVersion: v1
kind: Config
current-context: fake
clusters:
- name: fake
  cluster: {server: "http://127.0.0.1:$PORT"}
contexts:
- name: fake
  context: {cluster: fake, user: tester, namespace: default}
users:
- name: tester
  user: {token: abc}
KC

tui_start logs2 "XDG_CONFIG_HOME=$T_DIR/cfg XDG_CACHE_HOME=$T_DIR/cache $KDECK --kubeconfig $T_DIR/kubeconfig"
check "pods" tui_wait "api-1"
tui_keys l
check "default container, tail 100 as k9s" tui_wait_re "api-1/side q=follow=true&container=side&tailLines=100$"
check "status line" tui_wait "tail:100 since:all"
tui_keys T
check "tail prompt" tui_wait "tail lines (a number or all):"
tui_keys 20 Enter
check "tail 20" tui_wait_re "q=follow=true&container=side&tailLines=20$"
check "status tail" tui_wait "tail:20 since:all"
tui_keys 2
check "since 5m" tui_wait_re "q=follow=true&container=side&tailLines=20&sinceTime=20[0-9-]+T[0-9:]+Z$"
check "status since" tui_wait "tail:20 since:5m"
tui_keys 5
check "since 1h" tui_wait "since:1h"
tui_keys 0
check "0: all again" tui_wait_re "q=follow=true&container=side&tailLines=20$"
tui_keys T all Enter
check "tail all" tui_wait_re "q=follow=true&container=side$"
tui_keys p
check "previous instance" tui_wait_re "q=previous=true&container=side$"
check "status previous" tui_wait "--previous"
tui_keys p a
check "all containers" tui_wait_re "^\[pod/api-1/main\] api-1/main q=follow=true&container=main"
check "both prefixed" tui_wait_re "^\[pod/api-1/side\] api-1/side q=follow=true&container=side"
check "two streams" tui_wait "2/2 streams"
tui_keys Escape : deploy Enter
check "deployments" tui_wait "deployments(default)"
tui_keys l
check "a deployment's pods" tui_wait_re "^\[pod/api-1/main\] api-1/main q=follow=true"
check "its other pod" tui_wait_re "^\[pod/api-2/main\] api-2/main q=follow=true"
check "the sidecar too" tui_wait_re "^\[pod/api-1/side\] api-1/side"
check "not another app's pod" tui_hasnt "dns-0"
check "three streams" tui_wait "3/3 streams"
tui_keys Escape : q Enter
finish
