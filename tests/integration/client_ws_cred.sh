#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# WebSocket streams use the client's cached exec-plugin credential: one
# kdeck port-forward opens one WebSocket per local connection; with an
# exec plugin that counts its runs, three connections (plus the pod GET
# before them) run the plugin once, and every upgrade carries its token.
# Against the stand-in API server (ws_fake_server.py) over real TLS.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd python3 openssl base64

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
cat >plugin.sh <<'SH'
#!/bin/sh
c="$(dirname "$0")/runs"
n=$(cat "$c" 2>/dev/null || echo 0); n=$((n+1)); echo $n >"$c"
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"plug-%s","expirationTimestamp":"2999-01-01T00:00:00Z"}}\n' "$n"
SH
chmod +x plugin.sh
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
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: $T_DIR/plugin.sh
      interactiveMode: Never
KC
export KUBECONFIG="$T_DIR/kc.yaml"

# a local TCP service the stand-in forwards to
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
talk='import socket,sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
c.sendall(sys.argv[2].encode()); print(c.recv(100).decode())'
for w in one two three; do
	check_eq "connection $w forwarded" "$(python3 -c "$talk" "$LPORT" $w)" "echo:$w"
done
n=$(awk 'BEGIN { RS = "\n--\n" } tolower($0) ~ /upgrade: websocket/' req.log |
	grep -c "Authorization: Bearer plug-1")
check_eq "three upgrades carry the plugin's token" "$n" 3
check_eq "the plugin ran once for all streams" "$(cat runs)" 1
kill -INT $PFPID
: >runs
out=$(timeout 20 "$KDECK" exec web -- echo hi 2>&1); rc=$?
check_eq "exec with an exec plugin: exit 0" "$rc" 0
check_eq "exec: output" "$out" "hi"
finish
