#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Rollout history and undo against the embedded cluster: the image is
# changed twice (with change-causes), `H` lists the three revisions, `u`
# asks to roll back to revision 2 and does what `kubectl rollout undo`
# does: the Deployment's image is the previous one and the ReplicaSet of
# revision 2 becomes revision 4.  Read-only refuses `u`.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"
need_cmd kubectl

tui_cluster_up --simulated-nodes 1
image() { k get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}'; }
revisions() { k get rs -l app=web -o jsonpath='{range .items[*]}{.metadata.annotations.deployment\.kubernetes\.io/revision}={.spec.template.spec.containers[0].image} {end}'; }

check "deployment created" k create deployment web --image=nginx:1.25
check_eventually "revision 1" "1=nginx:1.25" revisions
# kubectl's change-cause: the deployment controller copies the
# Deployment's annotations to its current ReplicaSet.
rs_cause() { k get rs -l app=web -o jsonpath='{range .items[*]}{.metadata.annotations.deployment\.kubernetes\.io/revision}={.metadata.annotations.kubernetes\.io/change-cause} {end}'; }
cause() {
	k annotate deploy web kubernetes.io/change-cause="$2" --overwrite >/dev/null
	check_eventually "revision $1's ReplicaSet has its change-cause" "$1=$2" rs_cause
}
check "image 2" k set image deploy/web nginx=nginx:1.26
check_eventually "revision 2" "2=nginx:1.26" revisions
cause 2 "to 1.26"
check "image 3" k set image deploy/web nginx=nginx:1.27
check_eventually "revision 3" "3=nginx:1.27" revisions
cause 3 "to 1.27"

tui_start rollout "XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --kubeconfig $KC"
check "connected" tui_wait "K8s: v1"
tui_keys : deploy Enter
check "deployments" tui_wait "deployments(default)[1]"
tui_keys H
check "history view" tui_wait "<history web>"
check "three revisions, the current marked" tui_wait_re "^ *3 +web-[a-z0-9]+ +nginx:1.27 +to 1.27 +\(current\)"
check "revision 2 with its change-cause" tui_wait_re "^ *2 +web-[a-z0-9]+ +nginx:1.26 +to 1.26"
check "revision 1" tui_wait_re "^ *1 +web-[a-z0-9]+ +nginx:1.25"
tui_keys Escape
check "back on the table" tui_gone "<history web>"
tui_keys u
check "confirmation names the target revision" tui_wait "Roll back deployment web to revision 2 (nginx:1.26)?"
tui_keys n
check "cancelled" tui_gone "Roll back deployment"
check_eq "nothing changed" "$(image)" "nginx:1.27"
tui_keys u
check "asked again" tui_wait "Roll back deployment web to revision 2"
tui_keys y
check "rolled back" tui_wait "rolled back deployment web"
check_eventually "the previous image is back" "nginx:1.26" image
check_eventually "revision 2 became revision 4" "4=nginx:1.26" revisions
check_eq "the change-cause came with it" \
	"$(k get deploy web -o jsonpath='{.metadata.annotations.kubernetes\.io/change-cause}')" "to 1.26"
tui_keys H
check "history shows revision 4 current" tui_wait_re "^ *4 +web-[a-z0-9]+ +nginx:1.26 +to 1.26 +\(current\)"
tui_keys j u
check "undo from the history to the selected revision" tui_wait "to revision 3 (nginx:1.27)?"
tui_keys Escape Escape : q Enter
sleep 0.5

tui_start rollout2 "XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --readonly --kubeconfig $KC"
check "connected (readonly)" tui_wait "K8s: v1"
tui_keys : deploy Enter
check "deployments (readonly)" tui_wait "deployments(default)[1]"
tui_keys u
check "read-only refuses undo" tui_wait "read-only mode: rollout_undo is disabled"
tui_keys : q Enter
finish
