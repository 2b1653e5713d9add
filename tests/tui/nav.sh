#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Back and forward: esc and `[` close the top view into a bounded forward
# history, `]` reopens it (the same live view); opening a new view ends
# the forward history, as in a browser.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"

FX="$T_DIR/fx.json"
tui_fixture "$FX"
tui_start nav "XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --fixture $FX"
check "pods" tui_wait "pods(default)[4]"
tui_keys N g
check "sorted" tui_wait "NAME↑"
tui_keys d
check "describe" tui_wait "<describe db-0>"
tui_keys Escape
check "esc goes back" tui_gone "<describe db-0>"
tui_keys ]
check "] goes forward" tui_wait "<describe db-0>"
tui_keys [
check "[ goes back" tui_gone "<describe db-0>"
check "the table again" tui_has "<pods>"
tui_keys ]
check "forward again after back" tui_wait "<describe db-0>"
tui_keys ]
check "nothing further" tui_wait "nothing to go forward to"
tui_keys Escape
check "back to pods" tui_gone "<describe db-0>"
tui_keys j y
check "a new view" tui_wait "<yaml db-0>"
check "it replaced the forward history" tui_hasnt "<describe db-0>"
tui_keys Escape ]
check "forward to the yaml" tui_wait "<yaml db-0>"
tui_keys Escape : q Enter
finish
