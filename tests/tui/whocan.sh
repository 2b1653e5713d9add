#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `:who VERB RESOURCE [NS]` against the embedded cluster: a RoleBinding
# of a Role for alice shows under `:who get pods` with the binding and
# role it comes through; bob's ClusterRole binding in another namespace
# shows only when that namespace is asked; system:masters (cluster-admin)
# may do everything; malformed arguments get the usage; a user who may
# not list RBAC objects is told so.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"
need_cmd kubectl

PORT=$(free_port)
DATA="$T_DIR/data"
export HOME="$T_DIR/home" XDG_DATA_HOME="$T_DIR/xdg" XDG_CACHE_HOME="$T_DIR/cache"
mkdir -p "$HOME" "$DATA"
printf '%s\n' 'alice-token-0123456789,alice,uid-alice' >"$DATA/tokens.csv"
"$KDECK" cluster up --no-node --data-dir "$DATA" --listen "127.0.0.1:$PORT" >"$T_DIR/up.log" 2>&1 ||
	die "the embedded cluster does not start here: $(tail -n 1 "$T_DIR/up.log")"
at_exit "'$KDECK' cluster down --data-dir '$DATA' >/dev/null 2>&1"
KC="$DATA/kubeconfig.yaml"
k() { timeout 20 kubectl --kubeconfig "$KC" "$@"; }
check "role" k create role pod-reader --verb=get,list --resource=pods
check "alice bound" k create rolebinding alice-reads --role=pod-reader --user=alice
check "namespace" k create namespace team
check "bob bound in team" k create rolebinding bob-edit -n team --clusterrole=edit --user=bob

tui_start whocan "XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --kubeconfig $KC"
check "connected" tui_wait "K8s: v1"
tui_keys : who Space get Space pods Enter
check "heading" tui_wait "Who can get pods in namespace default" 20
check "column header" tui_wait_re "SUBJECT KIND +NAME +NAMESPACE +VIA"
check "alice through her binding" tui_wait_re "User +alice +- +RoleBinding default/alice-reads -> Role/pod-reader"
check "cluster admins" tui_wait_re "Group +system:masters .*ClusterRole/cluster-admin"
check "bob is not in default" tui_hasnt "bob"
tui_keys Escape : who Space d e l e t e Space deploy Space team Enter
check "heading in team" tui_wait "Who can delete deployments.apps in namespace team" 20
check "bob through edit" tui_wait_re "User +bob +- +RoleBinding team/bob-edit -> ClusterRole/edit"
check "alice cannot" tui_hasnt "alice"
tui_keys Escape : who Space get Enter
check "usage" tui_wait "usage: :who VERB RESOURCE [NAMESPACE]"
tui_keys : q Enter

# alice may read pods but not RBAC objects: told so, not an empty list
cp "$KC" "$T_DIR/alice.yaml"
k --kubeconfig "$T_DIR/alice.yaml" config unset users.kdeck-admin >/dev/null
k --kubeconfig "$T_DIR/alice.yaml" config set-credentials kdeck-admin \
	--token=alice-token-0123456789 >/dev/null
check "alice's kubeconfig works" k --kubeconfig "$T_DIR/alice.yaml" get pods
tmux -L "$TUI_SOCK" new-window -c "$T_DIR" \
	"env TERM=xterm-256color XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --kubeconfig $T_DIR/alice.yaml; sleep 30"
check "alice connected" tui_wait "K8s: v1"
tui_keys : who Space get Space pods Enter
check "alice is told why" tui_wait "cannot tell who can: listing clusterroles failed (Forbidden" 20
tui_hasnt "nobody" && pass "no empty answer" || fail "no empty answer"
tui_keys : q Enter
finish
