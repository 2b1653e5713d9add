#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The dashboard against a silent API server (accepts connections, never
# answers): the frame is drawn at once with "discovering <server>" in the
# header, keys work, `:ctx other` reaches a working server, switching back
# and forth and `:q` never wait for the abandoned connections, not even
# a shell closed while its exec upgrade hangs.  A hang
# would take the 30-s request timeout; the bounds here are 10 s.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"

SILENT=$(free_port)
"$PY" - "$SILENT" <<'PY' &
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(64)
held = []
while True:
    c, _ = s.accept()
    held.append(c)      # accepted, never read, never answered
PY
SIL=$!
at_exit 'kill $SIL'
PORT=$(free_port)
FAKEAPI_EXEC_SILENT=1 "$PY" "$TOP_SRCDIR/tests/tui/fakeapi.py" "$PORT" "$T_DIR/requests.log" &
API=$!
at_exit 'kill $API'
for p in "$SILENT" "$PORT"; do
	wait_for 10 sh -c "$PY -c 'import socket; socket.create_connection((\"127.0.0.1\", $p))'"
done
cat >"$T_DIR/kubeconfig" <<KC
apiVersion: v1
kind: Config
current-context: silent
clusters:
- name: silent
  cluster:
    server: http://127.0.0.1:$SILENT
- name: fake
  cluster:
    server: http://127.0.0.1:$PORT
contexts:
- name: silent
  context:
    cluster: silent
    user: tester
- name: other
  context:
    cluster: fake
    user: tester
    namespace: kube-system
users:
- name: tester
  user:
    token: abc
KC

# seconds since the epoch with a fraction
now() { "$PY" -c 'import time; print(time.time())'; }
took() { "$PY" -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 1))" "$1" "$2"; }
under() { "$PY" -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$1" "$2"; }

t0=$(now)
tui_start silent "XDG_CONFIG_HOME=$T_DIR/cfg XDG_CACHE_HOME=$T_DIR/cache $KDECK --kubeconfig $T_DIR/kubeconfig; echo KDECK-EXITED"
check "frame drawn at once" tui_wait "Context: silent" 10
check "header says discovery is running" tui_has "discovering http://127.0.0.1:$SILENT"
check "the pods view is open on the built-in kinds" tui_wait "pods(default)" 10
t1=$(now)
echo "# first frame after $(took "$t0" "$t1") s"
tui_keys : ctx Enter
check ":ctx answers while discovery hangs" tui_wait "  other" 10
tui_keys Escape
tui_keys : sa Enter
check "a kind discovery may bring waits for it" tui_wait "\"sa\": waiting for discovery of http://127.0.0.1:$SILENT" 10

t0=$(now)
tui_keys : 'ctx other' Enter
check ":ctx other works" tui_wait "Context: other" 10
check "the other server's pods" tui_wait "dns-0" 10
t1=$(now)
echo "# :ctx other took $(took "$t0" "$t1") s"
check ":ctx other within 10 s" under "$(took "$t0" "$t1")" 10
check "discovery done on the working server" tui_gone "discovering" 10
tui_keys : deploy Enter
check "kinds from the working server's discovery" tui_wait "deployments(kube-system)" 10

# a shell whose exec upgrade is never answered, closed while connecting:
# switching away must not wait for it (the handshake timeout is 15 s)
tui_keys : po Enter / dns-0 Enter s
check "shell connecting" tui_wait "connecting ..." 10
tui_keys Escape
check "esc back to the table" tui_wait "pods(kube-system)" 5

# back to the silent one, then away again: nothing waits for it
t0=$(now)
tui_keys : 'ctx silent' Enter
check "back on the silent server" tui_wait "Context: silent" 10
tui_keys : 'ctx other' Enter
check "and away again" tui_wait "Context: other" 10
check "its pods listed again" tui_wait " dns-0  1/1" 10
tui_keys / dns-0 Enter s
check "another hanging shell" tui_wait "connecting ..." 10
tui_keys Escape
check "esc again" tui_wait "pods(kube-system)" 5
tui_keys : 'ctx silent' Enter
check "silent again" tui_wait "Context: silent" 10
t1=$(now)
check "three switches (two abandoning a shell) within 10 s" under "$(took "$t0" "$t1")" 10

# :q while every request to the silent server is still out
t0=$(now)
tui_keys : q Enter
check ":q exits" tui_wait "KDECK-EXITED" 10
t1=$(now)
echo "# :q took $(took "$t0" "$t1") s"
check ":q within 10 s" under "$(took "$t0" "$t1")" 10
finish
