#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Key hints and `?` per view, over a fixture source: the table shows the
# table's keys; the overview and helm list views show their own keys
# (not the table's), and `?` lists exactly the keys of the view it was
# asked in; a helm key remapped in keys.conf shows up remapped.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"

FX="$T_DIR/fx.json"
tui_fixture "$FX"
mkdir -p "$T_DIR/cfg/kdeck"
printf 'helm_values = V\n' >"$T_DIR/cfg/kdeck/keys.conf"
tui_start keys "XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --fixture $FX"
hints() { tui_screen | sed -n 2p; }

check "pods table" tui_wait "pods(default)[4]"
check_contains "table hints: delete" "$(hints)" "<ctrl-d>delete"
check_contains "table hints: filter" "$(hints)" "</>filter"
tui_keys "?"
check "table help" tui_wait "Keys of the pods view"
check "table help lists delete" tui_wait_re "ctrl-d +delete +table"
check "table help lists xray" tui_has "xray"
check "table help: no helm keys" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -q helm_values"
tui_keys Escape

tui_keys : ov Enter
check "overview" tui_wait "Overview of namespace default"
check_contains "overview hints: its enter" "$(hints)" "<enter>enter"
case "$(hints)" in
*delete* | *filter* | *xray*) fail "overview hints: no table keys"; echo "    $(hints)" ;;
*) pass "overview hints: no table keys" ;;
esac
tui_keys "?"
check "overview help" tui_wait "Keys of the overview view"
check "overview help lists enter" tui_wait_re "enter +enter +table"
check "overview help lists back" tui_has "back"
check "overview help: no delete, no filter" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p | grep -Eq ' (delete|filter|xray) '"
tui_keys Escape Escape

tui_keys : helm Enter
check "helm view" tui_wait "<helm>"
check_contains "helm hints: history" "$(hints)" "<h>helm_history"
check_contains "helm hints: values remapped" "$(hints)" "<shift-v>helm_values"
check_contains "helm hints: notes" "$(hints)" "<n>helm_notes"
case "$(hints)" in
*delete*) fail "helm hints: no table keys" ;;
*) pass "helm hints: no table keys" ;;
esac
tui_keys Escape : q Enter
finish
