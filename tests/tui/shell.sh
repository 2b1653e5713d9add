#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The dashboard's stream views over the client layer: `s` opens a shell
# (libvterm terminal over pods/exec), typed keys reach the process and its
# output is drawn, `exit` returns to the table; `a` attaches and ctrl-]
# detaches; shift-f starts a port-forward that curl goes through, `:pf`
# lists it and ctrl-d stops it; --readonly refuses all three.  The API is
# tests/tui/fakeapi.py behind tests/integration/ws_fake_server.py, which
# answers the WebSocket upgrades itself (so this runs without the
# cluster's exec support).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"

UP=$(free_port)
"$PY" "$TOP_SRCDIR/tests/tui/fakeapi.py" "$UP" "$T_DIR/api.log" &
API=$!
at_exit "kill $API"
PORT=$(free_port)
"$PY" "$TOP_SRCDIR/tests/integration/ws_fake_server.py" "$PORT" - - \
	"$T_DIR/ws.log" "$UP" &
WS=$!
at_exit "kill $WS"
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
# a TCP echo service for the port-forward
"$PY" - >"$T_DIR/echo.port" 2>/dev/null <<'PY' &
import socket, threading
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
def serve(c):
    with c:
        d = c.recv(65536)
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello")
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
ECHO=$!
at_exit "kill $ECHO"
wait_for 10 test -s "$T_DIR/echo.port"
EPORT=$(cat "$T_DIR/echo.port")
ENV="XDG_CONFIG_HOME=$T_DIR/cfg XDG_CACHE_HOME=$T_DIR/cache"

tui_start shell "$ENV $KDECK --kubeconfig $T_DIR/kubeconfig"
check "pods listed" tui_wait "pods(default)[2]"
tui_keys / api-1 Enter s
check "shell view with its detach key" tui_wait "shell default/api-1 -c main  (ctrl-]: detach)"
check "the shell's prompt drawn" tui_wait_re '^\$ *$'
check_contains "exec of the k9s shell line" "$(cat "$T_DIR/ws.log")" \
	"exec?command=sh&command=-c&command=command%20-v%20bash%20%3E%2Fdev%2Fnull%20%26%26%20exec%20bash%20%7C%7C%20exec%20sh&container=main&stdin=true&stdout=true&tty=true"
check "terminal size sent" grep -q 'RESIZE {"Width":160,' "$T_DIR/ws.log"
tui_keys -l 'echo $((6*7))'
tui_keys Enter
check "typed keys reach the process, output drawn" tui_wait_re '^42 *$'
tui_keys -l exit
tui_keys Enter
check "exit returns to the table" tui_wait "pods(default)[1] </api-1>"
check "and says so" tui_wait "shell default/api-1 ended (exit code 0)"

tui_keys a
check "attach view" tui_wait "attach default/api-1"
check "attach endpoint" wait_for 10 grep -q "pods/api-1/attach?container=main&stdin=true&stdout=true&tty=true" "$T_DIR/ws.log"
check "attach prompt" tui_wait_re '^\$ *$'
tui_keys C-]
check "ctrl-] detaches" tui_wait "pods(default)[1] </api-1>"

LP=$(free_port)
tui_keys F
check "port-forward prompt" tui_wait "port-forward local:remote:"
tui_keys -l "$LP:$EPORT"
tui_keys Enter
check "forward started" tui_wait "forwarding 127.0.0.1:$LP -> api-1:$EPORT"
check_eq "curl through the forward" \
	"$(curl -s --max-time 10 "http://127.0.0.1:$LP/")" "hello"
tui_keys : pf Enter
check ":pf lists it" tui_wait "127.0.0.1:$LP -> $EPORT"
check "one connection served" tui_wait "0/1"
tui_keys C-d
check "ctrl-d stops it" tui_wait "stopped forwarding 127.0.0.1:$LP"
check "the port is closed" sh -c "! curl -s --max-time 5 http://127.0.0.1:$LP/"
tui_keys Escape : q Enter

tmux -L "$TUI_SOCK" kill-server 2>/dev/null
TUI_SOCK="$TUI_SOCK-ro"	# a fresh tmux server: no race with the old one
tui_start ro "$ENV $KDECK --readonly --kubeconfig $T_DIR/kubeconfig"
check "read-only: pods listed" tui_wait "pods(default)[2]"
tui_keys s
check "read-only: no shell" tui_wait "read-only mode"
tui_keys a
check "read-only: no attach" tui_wait "read-only mode: attach is disabled"
tui_keys F
check "read-only: no port-forward" tui_wait "read-only mode: port_forward is disabled"
tui_keys : q Enter
finish
