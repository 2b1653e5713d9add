#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# True colour: a theme's #rrggbb reaches the terminal as a 24-bit colour
# when COLORTERM=truecolor and the terminfo entry has direct colour
# (xterm-direct), and as a 256-palette index on xterm-256color.  tmux
# shows what kdeck sent through capture-pane -e.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"
infocmp xterm-direct >/dev/null 2>&1 || skip "no xterm-direct terminfo entry"

tui_fixture "$T_DIR/fx.json"
printf 'header = #123456 default bold\n' >"$T_DIR/rgb.theme"
export HOME="$T_DIR/home" XDG_CONFIG_HOME="$T_DIR/cfg"
at_exit "tmux -L $TUI_SOCK kill-server 2>/dev/null"
run() { # name TERM
	tmux -L "$TUI_SOCK" -f /dev/null new-session -d -s "$1" -x 120 -y 30 -c "$T_DIR" \
		"env TERM=$2 COLORTERM=truecolor $KDECK --fixture $T_DIR/fx.json --theme $T_DIR/rgb.theme; sleep 30"
}
escapes() { tmux -L "$TUI_SOCK" capture-pane -e -p -t "$1"; }

run direct xterm-direct
check "direct: started" wait_for 15 sh -c "tmux -L '$TUI_SOCK' capture-pane -p -t direct | grep -q Context"
check "direct: 24-bit header colour" wait_for 5 sh -c "tmux -L '$TUI_SOCK' capture-pane -e -p -t direct | grep -q '38;2;18;52;86'"
run palette xterm-256color
check "palette: started" wait_for 15 sh -c "tmux -L '$TUI_SOCK' capture-pane -p -t palette | grep -q Context"
out=$(escapes palette)
case $out in
*"38;2;18;52;86"*) fail "palette: no 24-bit colour without direct-colour terminfo" ;;
*) pass "palette: no 24-bit colour without direct-colour terminfo" ;;
esac
check_contains "palette: nearest 256-colour index" "$out" "38;5;"
finish
