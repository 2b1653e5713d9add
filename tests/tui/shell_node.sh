#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The shell view's container choice against a real pod on the embedded
# cluster's node (root, runc; skips otherwise): a pod with two busybox
# containers, each with its own WHO variable and its own /tmp/me file.
# `s` opens the picker; the first choice (the default, the first
# container) execs in "first", moving down and Enter execs in "second",
# and what each shell prints proves which container it runs in.  A bold
# red line pushed off the screen keeps its colour in the scrollback
# (shift-pgup; tmux capture-pane -e shows the SGR kdeck drew).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"
start_node_cluster
K() { "$KUBECTL" --request-timeout=20s "$@"; }

cat >"$T_DIR/pod.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: duo}
spec:
  containers:
  - name: first
    image: kdeck.test/busybox:1
    env: [{name: WHO, value: container-one}]
    command: [sh, -c, 'echo file-one >/tmp/me; exec sleep 3600']
  - name: second
    image: kdeck.test/busybox:1
    env: [{name: WHO, value: container-two}]
    command: [sh, -c, 'echo file-two >/tmp/me; exec sleep 3600']
Y
check "pod created" K apply -f "$T_DIR/pod.yaml"
check "pod running" wait_for 40 sh -c "[ \"\$('$KUBECTL' get pod duo -o jsonpath='{.status.phase}')\" = Running ]"

tui_start shellnode "XDG_CONFIG_HOME=$T_DIR/cfg XDG_CACHE_HOME=$T_DIR/cache $KDECK --kubeconfig $KUBECONFIG"
check "pods listed" tui_wait "pods(default)[1]" 20
tui_keys s
check "the picker asks" tui_wait "containers of duo"
check "both containers listed" tui_wait_re "second +kdeck.test/busybox:1"
tui_keys Enter
check "shell in the first container" tui_wait "shell default/duo -c first" 20
check "a prompt" tui_wait_re "# *$" 20
tui_keys -l 'echo "who=$WHO $(cat /tmp/me)"'
tui_keys Enter
check "the first container answers" tui_wait "who=container-one file-one" 20
tui_keys -l exit
tui_keys Enter
check "back at the table" tui_wait "ended (exit code 0)" 20

tui_keys s
check "the picker again" tui_wait "containers of duo"
tui_keys j Enter
check "shell in the second container" tui_wait "shell default/duo -c second" 20
check "its prompt" tui_wait_re "# *$" 20
tui_keys -l 'echo "who=$WHO $(cat /tmp/me)"'
tui_keys Enter
check "the second container answers" tui_wait "who=container-two file-two" 20
tui_keys -l "printf '\\033[1;31m%s\\033[0m\\n' red-\$((1+1)); seq 1 80"
tui_keys Enter
check "the lines ran" tui_wait_re "^80 *$" 20
check "the red line scrolled off" tui_gone "red-2" 10
tui_keys S-PPage S-PPage
check "shift-pgup brings it back" tui_wait_re "^red-2 *$" 10
red_in_scrollback() {
	tmux -L "$TUI_SOCK" capture-pane -p -e | grep -a "red-2" | grep -Eq "\[([0-9;]*;)?(31|38;5;1|91)m"
}
check "in red in the scrollback" wait_for 5 red_in_scrollback
tui_keys S-NPage S-NPage S-NPage
check "back to the live screen" tui_gone "[scrollback" 10
tui_keys -l exit
tui_keys Enter
check "back again" tui_wait "ended (exit code 0)" 20
tui_keys : q Enter
finish
