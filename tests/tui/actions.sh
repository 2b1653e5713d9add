#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Dashboard actions in tmux over a fixture source: edit through a scripted
# $EDITOR (incl. a 409 conflict and re-edit), delete with confirmation and
# propagation choice, scale, restart, shell/logs, and --readonly refusals.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"

FX="$T_DIR/fx.json"
LOG="$FX.log"
tui_fixture "$FX"
cat >"$T_DIR/editor.sh" <<'ED'
#!/bin/sh
sed -i 's/nginx:1.27/nginx:1.28/' "$1"
ED
chmod +x "$T_DIR/editor.sh"
mkdir -p "$T_DIR/cfg/kdeck"
echo "log_lines = 2" >"$T_DIR/cfg/kdeck/config"

tui_start actions "EDITOR=$T_DIR/editor.sh XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --fixture $FX"
check "started" tui_wait "pods(default)[4]"

# edit: the editor changes the image, kdeck PUTs the YAML back
tui_keys g e
check "edit saved" tui_wait "edited pod web-1"
check "PUT logged" grep -q "^put pods default/web-1" "$LOG"
check "new YAML stored" grep -q "nginx:1.28" "$FX"

# a conflict explains itself and offers to re-edit
"$PY" - "$FX" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["conflict_once"] = True
for o in d["objects"]:
    if o["name"] == "web-2": o["yaml"] = o["yaml"].replace("1.27", "1.27")
json.dump(d, open(sys.argv[1], "w"))
PY
sleep 0.3
tui_keys j e
check "conflict dialog" tui_wait "Re-edit the latest version?"
check "conflict reason flashed" tui_has "Conflict: Operation cannot be fulfilled on pods"
tui_keys y
check "re-edit succeeds" tui_wait "edited pod web-2"
check "second PUT logged" grep -q "^put pods default/web-2" "$LOG"

# delete: confirmation, propagation choice with tab, cancel with n
tui_keys : deploy Enter
check "deployments" tui_wait "deployments(default)[1]"
tui_keys s
check "scale prompt prefilled" tui_wait "replicas: 3"
tui_keys C-u 5 Enter
check "scaled" tui_wait "scaled deployment web"
check "scale logged" grep -q "^scale deployments default/web 5" "$LOG"
check "table shows new replicas" tui_wait "3/5"
tui_keys r
check "restarted" tui_wait "restarted deployment web"
check "restart logged" grep -q "^restart deployments default/web" "$LOG"
tui_keys C-d
check "delete dialog" tui_wait "Delete deployment default/web?"
tui_keys n
check "cancel keeps it" tui_gone "Delete deployment default/web?"
check "nothing deleted" sh -c "! grep -q '^delete' '$LOG'"
tui_keys C-d
check "delete dialog again" tui_wait "propagation (tab): Background"
tui_keys Tab Tab
check "propagation choice" tui_wait "propagation (tab): Orphan"
tui_keys y
check "deleted" tui_wait "deleted deployment web"
check "delete logged with propagation" grep -q "^delete deployments default/web Orphan" "$LOG"
check "row gone" tui_wait "deployments(default)[0]"

# pods: s is shell (not yet), l is logs
tui_keys : pods Enter
check "pods again" tui_wait "pods(default)[4]"
tui_keys g s
check "shell needs the client source" tui_wait "shell: needs a cluster connection"
tui_keys l
check "logs view" tui_wait "GET /healthz 200"
check "ring keeps log_lines lines" tui_has "[2/2 lines]"
check "oldest line dropped" tui_hasnt "starting nginx"
tui_keys t
check "timestamps" tui_wait "2026-11-29T00:00:02Z GET /healthz 200"
tui_keys P
check "pause (shift-p; p is previous as in k9s)" tui_wait "pause:on"
tui_keys w
check "wrap" tui_wait "wrap:on"
tui_keys C-s
check "save" tui_wait "saved 2 lines to kdeck-web-1-main.log"
check "saved file" grep -q "GET /healthz 200" "$T_DIR/kdeck-web-1-main.log"
tui_keys c
check "one container: no picker" tui_wait "web-1 -c main"
tui_keys Escape

# marks: space marks and moves down; delete acts on every marked row
tui_keys N g Space Space
check "marked rows" tui_wait "(marked)"
tui_keys C-d
check "delete marked dialog" tui_wait "Delete 2 marked pods?"
tui_keys Enter
check "marked rows deleted" tui_wait "pods(default)[2]"
check "first marked delete logged" grep -q "^delete pods default/db-0 Background" "$LOG"
check "second marked delete logged" grep -q "^delete pods default/web-1 Background" "$LOG"
tui_keys : q Enter
sleep 0.5

# --readonly: mutating keys hidden from hints and refused
tui_start ro "XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --fixture $FX --readonly"
check "readonly started" tui_wait "[readonly]"
check "hints hide delete" tui_hasnt "<ctrl-d>delete"
tui_keys C-d
check "delete refused" tui_wait "read-only mode: delete is disabled"
tui_keys e
check "edit refused" tui_wait "read-only mode: edit is disabled"
tui_keys d
check "describe still works" tui_wait "Creation Timestamp:"
check "nothing else logged" sh -c "[ \$(grep -c . '$LOG') -eq 8 ]"
tui_keys : q Enter
sleep 0.5

# read-only per context from the config file (no --readonly)
mkdir -p "$T_DIR/cfgro/kdeck"
printf 'readonly.other = on\nreadonly.fixture-ctx = on\n' >"$T_DIR/cfgro/kdeck/config"
tui_start roctx "XDG_CONFIG_HOME=$T_DIR/cfgro $KDECK --fixture $FX"
check "per-context readonly" tui_wait "[readonly]"
tui_keys C-d
check "delete refused by the context's setting" tui_wait "read-only mode: delete is disabled"
tui_keys : q Enter
sleep 0.5
printf 'readonly.other = on\nreadonly.fixture-ctx = off\n' >"$T_DIR/cfgro/kdeck/config"
tui_start rwctx "XDG_CONFIG_HOME=$T_DIR/cfgro $KDECK --fixture $FX"
check "another context's setting does not apply" tui_wait "pods(default)"
check "not readonly" tui_hasnt "[readonly]"
tui_keys : q Enter
finish
