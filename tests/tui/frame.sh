#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The dashboard frame in tmux: themes (--theme, :theme, per-context config,
# NO_COLOR), keys.conf remapping and its errors, resize, the unreachable
# banner coming and going, and the offline source.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"

FX="$T_DIR/fx.json"
CFG="$T_DIR/cfg"
mkdir -p "$CFG/kdeck"
tui_fixture "$FX"
set_reachable() {
	"$PY" - "$FX" "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["reachable"] = sys.argv[2] == "1"; d["why"] = "connection refused (test)"
json.dump(d, open(sys.argv[1], "w"))
PY
}
colours() {
	tmux -L "$TUI_SOCK" capture-pane -p -e |
		grep -cE '\[([0-9]+;)*(3[0-7]|4[0-7]|38;5|48;5|38;2|48;2|9[0-7]|10[0-7])(;|m)'
}

# bad option and bad keys.conf are reported before the screen opens
"$KDECK" --bogus >"$T_DIR/out" 2>&1; rc=$?
check_eq "bad option exits 2" "$rc" 2
printf 'delete = ctrl-k\nnosuch = x\n' >"$CFG/kdeck/keys.conf"
XDG_CONFIG_HOME=$CFG "$KDECK" --fixture "$FX" >"$T_DIR/out" 2>&1; rc=$?
check_eq "bad keys.conf exits 1" "$rc" 1
check "keys.conf error has file:line" grep -q "keys.conf:2: unknown action \"nosuch\"" "$T_DIR/out"
"$KDECK" --fixture "$FX" --theme nosuch >"$T_DIR/out" 2>&1
check "unknown theme is reported" grep -q 'no theme "nosuch"' "$T_DIR/out"

# remapped key, per-context theme from the config file
printf 'delete = ctrl-k\n' >"$CFG/kdeck/keys.conf"
printf 'theme = light\ntheme.fixture-ctx = monochrome\nfavourites = kube-system\n' >"$CFG/kdeck/config"
tui_start frame "XDG_CONFIG_HOME=$CFG $KDECK --fixture $FX"
check "started" tui_wait "pods(default)[4]"
check "favourites from config" tui_has "<1> kube-system"
check "remapped delete in hints" tui_has "<ctrl-k>delete"
tui_keys C-k
check "remapped key opens the delete dialog" tui_wait "Delete pod default/web-1?"
tui_keys Escape
check_eq "monochrome per-context theme has no colours" "$(colours)" 0
tui_keys : 'theme solarized' Enter
check "theme switch" tui_wait "theme: solarized"
check "solarized has colours" test "$(colours)" -gt 0
tui_keys : 'theme nosuch' Enter
check "unknown theme flashes" tui_wait 'no theme "nosuch"'

# mouse (on by default): a click selects the row, the wheel scrolls
tui_click 5 8
tui_keys d
check "click selects the third row" tui_wait "Name:                web-10"
tui_keys Escape
tui_keys g
tui_wheel down
tui_keys d
check "wheel moves the selection" tui_wait "Name:                db-0"
tui_keys Escape

# resize: the frame follows the window
tmux -L "$TUI_SOCK" resize-window -t frame -x 90 -y 20
check "redrawn after resize" tui_wait " <pods>"
width=$(tui_screen | awk '{ if (length($0) > m) m = length($0) } END { print m }')
check "nothing wider than 90 columns" test "$width" -le 90
tmux -L "$TUI_SOCK" resize-window -t frame -x 160 -y 50

# cluster goes away and comes back: banner shows, then goes
set_reachable 0
check "unreachable banner" tui_wait "cluster unreachable: connection refused (test)"
check "table explains it" tui_wait "Cannot reach the cluster to list pods"
set_reachable 1
check "banner goes away on reconnect" tui_gone "cluster unreachable"
check "rows are back" tui_wait "pods(default)[4]"
tui_keys : q Enter
sleep 0.3

# NO_COLOR: attributes only
tui_start nocolor "NO_COLOR=1 XDG_CONFIG_HOME=$T_DIR/none $KDECK --fixture $FX --theme solarized"
check "NO_COLOR started" tui_wait "pods(default)[4]"
check_eq "NO_COLOR means no colours" "$(colours)" 0
tui_keys : q Enter
sleep 0.3

# a kubeconfig that does not exist: the offline source explains it in the
# banner, and commands still work on the built-in kinds
tui_start offline "XDG_CONFIG_HOME=$T_DIR/none $KDECK --kubeconfig $T_DIR/nonexistent"
check "offline banner" tui_wait "cluster unreachable"
check "banner names the kubeconfig" tui_has "nonexistent"
tui_keys : deploy Enter
check "built-in kinds without a cluster" tui_wait "deployments(default)"
finish
