#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The owner tree (`x`) against the embedded cluster with one simulated
# node: a Deployment with 2 replicas shows its ReplicaSet and two pods, a
# Service shows its EndpointSlice and the pods behind it; enter on a pod
# line describes the pod.  Skips when the cluster cannot start here.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"
need_cmd kubectl

tui_cluster_up --simulated-nodes 1
check "deployment created" k create deployment web --image=nginx --replicas=2
check "service created" k expose deployment web --port 80
check "two pods ready" wait_for 40 sh -c "timeout 10 kubectl --kubeconfig '$KC' get pods -l app=web --no-headers | grep -c '1/1' | grep -qx 2"


tui_start xray "XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --kubeconfig $KC"
check "connected" tui_wait "K8s: v1"
tui_keys : deploy Enter
check "deployments" tui_wait "web"
tui_keys x
check "tree of the deployment" tui_wait "Deployment/web  ready 2/2" 20
check "its replica set" tui_wait "ReplicaSet/web-"
check "two pods" wait_for 10 sh -c "[ \$(tmux -L '$TUI_SOCK' capture-pane -p | grep -c '─ Pod/web-.*Running 1/1') = 2 ]"
check "containers" tui_wait "container nginx  Running, restarts 0"
tui_keys j j Enter
check "enter describes the pod" tui_wait "Kind:"
tui_keys Escape Escape
check "back to deployments" tui_wait "deployments(default)"
tui_keys : svc Enter / C-u web Enter
check "services" tui_wait "ClusterIP"
tui_keys x
check "tree of the service" tui_wait "Service/web  ClusterIP" 20
check "its endpoint slice" tui_wait "EndpointSlice/web-"
check "pods behind the service" wait_for 10 sh -c "[ \$(tmux -L '$TUI_SOCK' capture-pane -p | grep -c '─ Pod/web-.* ready') = 2 ]"
lists() { k get --raw /metrics | grep 'apiserver_request_total{verb="list"' | grep -E 'resource="(pods|services|endpointslices)"'; }
BEFORE=$(lists)
check "the tree follows a scale-down" k scale deployment web --replicas=1
check "one pod left in the tree" wait_for 30 sh -c "[ \$(tmux -L '$TUI_SOCK' capture-pane -p | grep -c '─ Pod/web-') = 1 ]"
sleep 3
check_eq "the tree watches: no re-list" "$BEFORE" "$(lists)"
tui_keys Escape : pods Enter
check "pods" tui_wait "Running"
tui_keys x
check "pods have no tree" tui_wait "xray: pods have no owner tree"
tui_keys : q Enter
finish
