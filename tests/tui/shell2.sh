#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The shell view's container picker, scrollback and cancel (issue #8),
# over the same stand-ins as shell.sh (tests/tui/fakeapi.py with a
# two-container pod behind tests/integration/ws_fake_server.py):
#  - `s` on a pod with two containers opens the picker with the
#    default-container annotation's container preselected; Enter execs in
#    it, another choice execs in that one (the exec requests prove it);
#  - lines that scroll off the top come back with shift-pgup (and with a
#    key remapped in keys.conf), the title shows the position;
#  - esc while the exec connection hangs (the API server stopped with
#    SIGSTOP) returns to the table at once;
#  - `?` in the shell lists the shell's keys only.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"

UP=$(free_port)
FAKEAPI_SIDECAR=1 "$PY" "$TOP_SRCDIR/tests/tui/fakeapi.py" "$UP" "$T_DIR/api.log" &
API=$!
at_exit "kill -CONT $API 2>/dev/null; kill $API"
PORT=$(free_port)
"$PY" "$TOP_SRCDIR/tests/integration/ws_fake_server.py" "$PORT" - - \
	"$T_DIR/ws.log" "$UP" &
WS=$!
at_exit "kill -CONT $WS 2>/dev/null; kill $WS"
for p in $UP $PORT; do
	wait_for 10 sh -c "$PY -c 'import socket; socket.create_connection((\"127.0.0.1\", $p))'"
done
cat >"$T_DIR/kubeconfig" <<KC
apiVersion: v1
kind: Config
current-context: fake
clusters:
- name: fake
  cluster:
    server: http://127.0.0.1:$PORT
contexts:
- name: fake
  context: {cluster: fake, user: tester, namespace: default}
users:
- name: tester
  user: {token: abc}
KC
mkdir -p "$T_DIR/cfg/kdeck"
printf 'shell_scroll_down = shift-pgdn f8\n' >"$T_DIR/cfg/kdeck/keys.conf"
ENV="XDG_CONFIG_HOME=$T_DIR/cfg XDG_CACHE_HOME=$T_DIR/cache"

tui_start shell2 "$ENV $KDECK --kubeconfig $T_DIR/kubeconfig"
check "pods listed" tui_wait "pods(default)[2]"
tui_keys / api-1 Enter s
check "the picker asks" tui_wait "containers of api-1"
check "both containers listed" tui_wait_re "side +alpine"
check "the picker's own hints" tui_wait "<enter>enter"
tui_keys Enter
check "the default container preselected" tui_wait "shell default/api-1 -c side"
check "exec in the sidecar" wait_for 10 grep -q "container=side&stdin=true" "$T_DIR/ws.log"
check "prompt" tui_wait_re '^\$ *$'

# scrollback: a marker line, then enough lines to push it off the screen
tui_keys -l "marker-top"
tui_keys Enter
check "marker shown" tui_wait "sh: marker-top: not found"
i=0
while [ $i -lt 30 ]; do tui_keys -l "echo \$((6*7))"; tui_keys Enter; i=$((i + 1)); done
check "the marker scrolled off" tui_gone "marker-top" 10
tui_keys S-PPage S-PPage S-PPage
check "shift-pgup scrolls back to it" tui_wait "sh: marker-top: not found"
check "the title shows the position" tui_wait_re "shell default/api-1 -c side .*\\[scrollback [0-9]+/[0-9]+\\]"
tui_keys F8 F8 F8 F8
check "the remapped key scrolls forward" tui_gone "[scrollback" 10
tui_keys -l exit
tui_keys Enter
check "exit returns to the table" tui_wait "ended (exit code 0)"

# the other container: up in the picker
tui_keys s
check "the picker again" tui_wait "containers of api-1"
tui_keys k Enter
check "shell in main" tui_wait "shell default/api-1 -c main"
check "exec in main" wait_for 10 grep -q "container=main&stdin=true" "$T_DIR/ws.log"
tui_keys C-]
check "ctrl-] detaches" tui_wait "pods(default)[1] </api-1>"

# esc while the connection hangs
tui_keys s
check "picker before the hang" tui_wait "containers of api-1"
kill -STOP $WS
tui_keys Enter
check "connecting" tui_wait "connecting ..."
tui_keys Escape
check "esc returns at once" tui_wait "pods(default)[1] </api-1>" 3
tui_keys : ov Enter
check "the dashboard still answers" tui_wait "<overview>" 5
kill -CONT $WS
tui_keys Escape : q Enter
finish
