# SPDX-License-Identifier: Apache-2.0
# The client's WebSocket streams end to end against a stand-in API server
# (ws_fake_server.py) over real TLS, independent of the cluster's exec
# support: the upgrade request (token, protocols v5 then v4), stdout and
# stderr channels, exit codes from the final Status, stdin with -i and the
# v5 stdin close, the v4 fallback, a 403 Status printed like kubectl,
# resize on -t (under script(1) for a terminal), and port-forward: the
# listener, one WebSocket per connection, port prefixes, errors.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd python3 openssl

export HOME="$T_DIR/home" XDG_CACHE_HOME="$T_DIR/cache"
mkdir -p "$HOME"
cd "$T_DIR" || exit 1
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 \
	-subj /CN=test-ca -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1
PORT=$(free_port)
python3 "$TOP_SRCDIR/tests/integration/ws_fake_server.py" $PORT ca.crt ca.key \
	"$T_DIR/req.log" 2>"$T_DIR/srv.err" &
SPID=$!
at_exit "kill $SPID 2>/dev/null"
wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT))" ||
	die "test server did not start: $(cat "$T_DIR/srv.err")"
cat >kc.yaml <<KC
apiVersion: v1
kind: Config
current-context: t
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:$PORT
    certificate-authority-data: $(base64 -w0 ca.crt)
contexts:
- name: t
  context: {cluster: c, user: u, namespace: default}
users:
- name: u
  user: {token: sekret}
KC
export KUBECONFIG="$T_DIR/kc.yaml"

out=$(timeout 20 "$KDECK" exec web -- echo hi there 2>&1); rc=$?
check_eq "exec echo: exit 0" "$rc" 0
check_eq "exec echo: stdout" "$out" "hi there"
check_contains "upgrade carries the token" "$(cat req.log)" "Authorization: Bearer sekret"
check_contains "v5 offered first, v4 second" "$(cat req.log)" \
	"Sec-WebSocket-Protocol: v5.channel.k8s.io, v4.channel.k8s.io"
check_contains "exec query like kubectl" "$(cat req.log)" \
	"GET /api/v1/namespaces/default/pods/web/exec?command=echo&command=hi&command=there&stdout=true&stderr=true HTTP/1.1"
timeout 20 "$KDECK" exec web -- exit 3 >/dev/null 2>&1; rc=$?
check_eq "exit code 3 propagated" "$rc" 3
timeout 20 "$KDECK" exec old -- exit 5 >/dev/null 2>&1; rc=$?
check_eq "v4-only server: exit code 5" "$rc" 5
err=$(timeout 20 "$KDECK" exec web -- err 2>&1 >/dev/null)
check_eq "stderr channel to stderr" "$err" "oops"
out=$(printf 'line one\nline two\n' | timeout 20 "$KDECK" exec -i web -- cat); rc=$?
check_eq "-i: stdin echoed by cat" "$out" "line one
line two"
check_eq "-i: cat ends at stdin close (v5)" "$rc" 0
out=$(timeout 20 "$KDECK" exec forbidden -- echo x 2>&1); rc=$?
check_eq "forbidden: exit 1" "$rc" 1
check_contains "forbidden: kubectl-like message" "$out" \
	'Error from server (Forbidden): pods "forbidden" is forbidden: User "bob" cannot create resource "pods/exec"'
out=$(timeout 20 "$KDECK" exec web 2>&1); rc=$?
check_eq "no command: usage error" "$rc" 2
if command -v script >/dev/null; then
	out=$(printf 'exit\r' | timeout 20 script -qec \
		"stty cols 91 rows 27; '$KDECK' exec -it web -- sh" /dev/null 2>&1)
	check_contains "-t: terminal size sent on the resize channel" \
		"$(cat req.log)" 'RESIZE {"Width":91,"Height":27}'
	check_contains "-t: query has tty and stdin" "$(cat req.log)" \
		"stdin=true&stdout=true&tty=true"
fi

# port-forward to a local TCP service
python3 - >echo.port 2>/dev/null <<'PY' &
import socket, threading
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
def serve(c):
    with c:
        while True:
            d = c.recv(65536)
            if not d:
                return
            c.sendall(b"echo:" + d)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
EPID=$!
at_exit "kill $EPID 2>/dev/null"
wait_for 10 test -s echo.port
EPORT=$(cat echo.port)
LPORT=$(free_port)
"$KDECK" port-forward web "$LPORT:$EPORT" >pf.out 2>pf.err &
PFPID=$!
at_exit "kill $PFPID 2>/dev/null"
wait_for 10 grep -q Forwarding pf.out
check_eq "port-forward: kubectl's line" "$(cat pf.out)" \
	"Forwarding from 127.0.0.1:$LPORT -> $EPORT"
talk='import socket,sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
c.sendall(sys.argv[2].encode()); print(c.recv(100).decode())'
check_eq "port-forward: data both ways" \
	"$(python3 -c "$talk" "$LPORT" ping)" "echo:ping"
check_eq "port-forward: a second connection" \
	"$(python3 -c "$talk" "$LPORT" pong)" "echo:pong"
check_contains "port-forward: ?ports= and v4.channel.k8s.io" "$(cat req.log)" \
	"GET /api/v1/namespaces/default/pods/web/portforward?ports=$EPORT HTTP/1.1"
kill -INT $PFPID
wait_for 10 sh -c "! kill -0 $PFPID 2>/dev/null"
check "port-forward: SIGINT stops it" sh -c "! kill -0 $PFPID 2>/dev/null"
DEAD=$(free_port)
"$KDECK" port-forward web ":$DEAD" >pf2.out 2>pf2.err &
PF2=$!
at_exit "kill $PF2 2>/dev/null"
wait_for 10 grep -q Forwarding pf2.out
L2=$(sed -n 's/Forwarding from 127.0.0.1:\([0-9]*\) .*/\1/p' pf2.out)
# connect and only read: data sent into a closing stream may be reset
python3 -c 'import socket,sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
c.recv(100)' "$L2" >/dev/null 2>&1
wait_for 10 grep -q "error forwarding port" pf2.err
check_contains "port-forward: the pod's error reported" "$(cat pf2.err)" \
	"error forwarding port $DEAD"
kill $PF2
out=$("$KDECK" port-forward web 0 2>&1); rc=$?
check_eq "port-forward: bad port is a usage error" "$rc" 2
finish
