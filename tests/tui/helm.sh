#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `:helm` against the embedded cluster with a chart from `helm create`
# installed and upgraded by the real helm (tests/.tools, skip without):
# the release is listed with its latest revision, chart and app version;
# h shows the history (superseded, deployed); Enter there shows that
# revision's user-supplied values; m the manifest, n the notes.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"
need_cmd kubectl
[ -x "$HELM" ] || skip "helm not found (run ./dev test-deps)"

PORT=$(free_port)
DATA="$T_DIR/data"
export HOME="$T_DIR/home" XDG_DATA_HOME="$T_DIR/xdg" XDG_CACHE_HOME="$T_DIR/cache"
export HELM_CACHE_HOME="$T_DIR/hc" HELM_CONFIG_HOME="$T_DIR/hcfg" HELM_DATA_HOME="$T_DIR/hd"
mkdir -p "$HOME"
"$KDECK" cluster up --no-node --data-dir "$DATA" --listen "127.0.0.1:$PORT" >"$T_DIR/up.log" 2>&1 ||
	die "the embedded cluster does not start here: $(tail -n 1 "$T_DIR/up.log")"
at_exit "'$KDECK' cluster down --data-dir '$DATA' >/dev/null 2>&1"
KC="$DATA/kubeconfig.yaml"
h() { timeout 60 "$HELM" --kubeconfig "$KC" "$@" >/dev/null 2>&1; }
(cd "$T_DIR" && "$HELM" create demo >/dev/null) || die "helm create failed"
check "installed" h install web "$T_DIR/demo" --set replicaCount=2 --set service.port=8080
check "upgraded" h upgrade web "$T_DIR/demo" --set replicaCount=3

tui_start helm "XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --kubeconfig $KC"
check "connected" tui_wait "K8s: v1"
tui_keys : helm Enter
check "columns" tui_wait_re "NAME +NAMESPACE +REVISION +UPDATED +STATUS +CHART +APP VERSION" 20
check "release listed at revision 2" tui_wait_re "web +default +2 +[0-9-]+ [0-9:]+ +deployed +demo-0.1.0 +1.16.0"
tui_keys v
check "values of revision 2" tui_wait "replicaCount: 3"
tui_keys Escape m
check "manifest" tui_wait "kind: Deployment"
tui_keys Escape n
check "notes" tui_wait "Get the application URL"
tui_keys Escape h
check "history" tui_wait_re "web +default +1 .* superseded"
check "history has the latest" tui_wait_re "web +default +2 .* deployed"
tui_keys j Enter
check "values of revision 1" tui_wait "port: 8080"
check "values title" tui_wait "values web rev 1"
tui_keys Escape Escape Escape : releases Enter
check "alias :releases" tui_wait_re "web +default +2 "
tui_keys : q Enter
finish
