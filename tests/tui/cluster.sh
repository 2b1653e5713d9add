#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The dashboard against the embedded cluster (kdeck cluster up) with real
# kubectl next to it: browse, describe, YAML, scale a deployment, delete a
# configmap with confirmation, read-only refusal; and `kdeck` with no
# kubeconfig starting the cluster itself.  Skips when the cluster cannot
# start here.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"
need_cmd kubectl

tui_cluster_up
check "configmap created" k create configmap demo --from-literal=a=b
check "deployment created" k create deployment web --image=nginx --replicas=2

tui_start cluster "XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --kubeconfig $KC"
check "connected" tui_wait "K8s: v1"
tui_keys : cm Enter
check "configmaps from the server" tui_wait "demo"
tui_keys / C-u demo Enter d
check "describe a configmap" tui_wait "Kind:                ConfigMap"
tui_keys Escape y
check "YAML of a configmap" tui_wait "a: b"
tui_keys Escape C-d
check "delete dialog" tui_wait "Delete configmap default/demo?"
tui_keys Enter
check "deleted" tui_wait "deleted configmap demo"
check "kubectl agrees" wait_for 10 sh -c "! timeout 10 kubectl --kubeconfig '$KC' get configmap demo"
tui_keys : deploy Enter
check "deployments" tui_wait "web"
tui_keys s C-u 3 Enter
check "scaled" tui_wait "scaled deployment web"
check "spec.replicas is 3" wait_for 10 sh -c "timeout 10 kubectl --kubeconfig '$KC' get deploy web -o jsonpath='{.spec.replicas}' | grep -qx 3"
tui_keys : q Enter
sleep 0.5
tui_start ro "XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --kubeconfig $KC --readonly"
check "readonly connected" tui_wait "[readonly]"
tui_keys : deploy Enter
check "deployments (readonly)" tui_wait "web"
tui_keys s
check "scale refused" tui_wait "read-only mode: scale is disabled"
tui_keys : q Enter

# `kdeck` with no kubeconfig at all starts the embedded cluster itself
AUTO="$T_DIR/auto"
mkdir -p "$AUTO/home"
at_exit "HOME='$AUTO/home' XDG_DATA_HOME='$AUTO/xdg' '$KDECK' cluster down >/dev/null 2>&1"
tui_start auto "HOME=$AUTO/home XDG_DATA_HOME=$AUTO/xdg XDG_CACHE_HOME=$AUTO/cache XDG_CONFIG_HOME=$T_DIR/cfg $KDECK"
check "no kubeconfig: embedded cluster started" tui_wait "Context: kdeck" 40
check "its admin kubeconfig" test -f "$AUTO/xdg/kdeck/cluster/kubeconfig.yaml"
check "pods of the embedded cluster" tui_wait "pods(default)"
finish
