#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The dashboard's log view against the embedded cluster's pods/log: one
# follow stream (lines appended to the container's log file appear without
# polling), the default container (annotation), the container picker,
# and the ring's line count.  No node
# agent: the test writes the CRI log file itself (node/layout.h is the
# contract) and sets the container status.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"
need_cmd kubectl

tui_cluster_up
k apply -f - >/dev/null <<'YAML' || die "cannot create the pod"
apiVersion: v1
kind: Pod
metadata: {name: chatty, annotations: {kubectl.kubernetes.io/default-container: side}}
spec:
  nodeName: logs-node
  containers: [{name: app, image: busybox}, {name: side, image: busybox}]
YAML
UID_=$(k get pod chatty -o jsonpath='{.metadata.uid}')
L="$DATA/logs/default_chatty_$UID_"
mkdir -p "$L/app" "$L/side"
NOW=$(date -u +%Y-%m-%dT%H:%M:%S)
printf '%s.1Z stdout F hello from app\n' "$NOW" >"$L/app/0.log"
printf '%s.1Z stdout F sidecar says hi\n' "$NOW" >"$L/side/0.log"
k patch pod chatty --subresource=status --type=merge -p "{\"status\":{\"phase\":\"Running\",
  \"containerStatuses\":[
   {\"name\":\"app\",\"image\":\"busybox\",\"imageID\":\"\",\"ready\":true,\"restartCount\":0,
    \"state\":{\"running\":{\"startedAt\":\"${NOW}Z\"}}},
   {\"name\":\"side\",\"image\":\"busybox\",\"imageID\":\"\",\"ready\":true,\"restartCount\":0,
    \"state\":{\"running\":{\"startedAt\":\"${NOW}Z\"}}}]}}" >/dev/null || die "cannot set the status"

tui_start logs "XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --kubeconfig $KC"
check "connected" tui_wait "K8s: v1"
tui_keys : pods Enter
check "the pod" tui_wait "chatty"
tui_keys l
check "starts on the default container (annotation)" tui_wait "sidecar says hi"
check "the status line names it" tui_wait "chatty -c side"
tui_keys c
check "the container picker" tui_wait_re "app +busybox +Running +true"
check "lists both containers" tui_wait_re "side +busybox +Running +true"
tui_keys g Enter
check "the app container's log" tui_wait "hello from app"
check "one stream" tui_wait "streaming"
printf '%s.2Z stdout F appended while watching\n' "$NOW" >>"$L/app/0.log"
check "appended lines arrive by the stream" tui_wait "appended while watching"
check "two lines in the ring" tui_wait "[2/5000 lines]"
tui_keys c
check "picker again" tui_wait_re "side +busybox"
tui_keys j Enter
check "switching container restarts the stream" tui_wait "sidecar says hi"
tui_hasnt "hello from app" && pass "the old container's lines are gone" ||
	fail "the old container's lines are gone"
tui_keys c
check "picker once more" tui_wait_re "side +busybox"
tui_keys Escape
check "esc keeps the container" tui_wait "chatty -c side"
tui_keys Escape : q Enter
finish
