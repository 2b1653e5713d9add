#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `:overview` against the embedded cluster with one simulated node: the
# node is Ready, a Deployment's pods count as Running, a pod no node can
# take (a node selector nobody matches) is listed as a problem and its
# FailedScheduling event as a Warning; Enter on the problem line opens
# the pods table filtered to it, and the overview follows new objects
# through its watches (no periodic re-list).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"
need_cmd kubectl

tui_cluster_up --simulated-nodes 1
check "deployment created" k create deployment web --image=nginx --replicas=2
check "two pods running" wait_for 40 sh -c "timeout 10 kubectl --kubeconfig '$KC' get pods -l app=web --no-headers | grep -c Running | grep -qx 2"
check "unschedulable pod" k run stuck --image=nginx --overrides='{"spec":{"nodeSelector":{"disk":"none"}}}'

# The header's CPU/MEM polls metrics.k8s.io's NodeMetrics every 10 s, and
# the server counts those lists under resource="nodes" too: off here, so
# the list counts below are the watches' alone.
mkdir -p "$T_DIR/cfg/kdeck"
echo "metrics = off" >"$T_DIR/cfg/kdeck/config"
tui_start overview "XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --kubeconfig $KC"
check "connected" tui_wait "K8s: v1"
tui_keys : ov Enter
check "overview of the namespace" tui_wait "Overview of namespace default" 20
check "node ready" tui_wait "Nodes           1: 1 Ready, 0 NotReady, 0 cordoned"
check "pods counted" tui_wait "Pods            3: 2 Running, 1 Pending"
check "deployment ready" tui_wait "Deployments     1: 1 ready, 0 unavailable"
check "the stuck pod is a problem" tui_wait_re "! stuck +Pending"
check "its warning event" tui_wait_re "FailedScheduling +Pod/stuck"
check "service line" tui_wait "Services        "
tui_keys j j
tui_keys Enter
check "enter opens the pods table" tui_wait "pods(default)"
check "filtered to the stuck pod" tui_wait "stuck"
check "other pods filtered out" tui_gone "web-" 10
tui_keys Escape
check "esc clears the filter first" tui_wait "web-"
tui_keys Escape
check "back to the overview" tui_wait "Overview of namespace default"
# The overview sits on watches: after the first lists, a change shows up
# through the watch and nothing is listed again (the old view re-listed
# every kind every 2 s).  LIST counts come from the server's metrics.
lists() { k get --raw /metrics | grep 'apiserver_request_total{verb="list"' | grep -E 'resource="(pods|services|nodes|deployments|events|endpointslices)"'; }
BEFORE=$(lists)
check "a service without endpoints" k create service clusterip lonely --tcp=80
check "the overview follows" tui_wait_re "! lonely +no endpoints" 20
check "a pod deleted with kubectl leaves the overview" k delete pod stuck --wait=false
check "the overview follows the delete" tui_wait "Pods            2: 2 Running, 0 Pending" 20
sleep 3
check_eq "no re-list while watching" "$BEFORE" "$(lists)"
tui_keys : q Enter
finish
