#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The can-i matrix against the embedded cluster: `:can` for the admin,
# `:can s:NS/SA` for a ServiceAccount bound to the view role, `:can
# u:USER` for a user with a Role on configmaps only (named objects shown
# as ~), and a malformed subject refused with a message.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"
need_cmd kubectl

tui_cluster_up
check "serviceaccount" k create serviceaccount viewer
check "bound to view" k create rolebinding viewer-view --clusterrole=view --serviceaccount=default:viewer
check "role on one configmap" k create role cm-one --verb=get,update --resource=configmaps --resource-name=settings
check "bound to alice" k create rolebinding alice-cm --role=cm-one --user=alice

tui_start can "XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --kubeconfig $KC"
check "connected" tui_wait "K8s: v1"
tui_keys : can Enter
check "matrix for the admin" tui_wait_re "Can .* do it in namespace default"
check "admin may delete pods" tui_wait_re "(^| )pods +✓ +✓ +✓ +✓ +✓ +✓ +✓"
tui_keys Escape : can Space s:default/viewer Enter
check "matrix for the ServiceAccount" tui_wait "Can s:default/viewer do it"
check "viewer may get/list/watch pods, nothing else" tui_wait_re "(^| )pods +✓ +✓ +✓ +· +· +· +·"
check "viewer may not read secrets" tui_wait_re "(^| )secrets +· +· +·"
check "viewer may not exec" tui_wait_re "(^| )pods/exec +·"
tui_keys Escape : can Space u:alice Enter
check "matrix for alice" tui_wait "Can u:alice do it"
check "alice: named configmaps only" tui_wait_re "(^| )configmaps +~ +· +· +· +~ +· +·"
check "alice: no pods" tui_wait_re "(^| )pods +· +·"
tui_keys Escape : can Space x:what Enter
check "bad subject explained" tui_wait "want nothing (you), u:USER, g:GROUP"
tui_keys : q Enter
finish
