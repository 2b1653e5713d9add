#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Exec credentials on WebSocket upgrades, against the stand-in API server
# over real TLS with a plugin that counts its runs and sleeps a little:
# - two streams opening at once before any credential exists run the
#   plugin once (single flight) and both carry its token;
# - an upgrade refused with 401 because the client's cached credential
#   went stale (the server revoked it) drops it, runs the plugin once more
#   and retries once with the new token; a second refusal is reported.
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
cat >plugin.sh <<'P'
#!/bin/sh
c="$(dirname "$0")/runs"
n=$(cat "$c" 2>/dev/null || echo 0); n=$((n+1)); echo $n >"$c"
sleep 0.5
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"plug-%s","expirationTimestamp":"2999-01-01T00:00:00Z"}}\n' "$n"
P
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
TOOL="$TOP_BUILDDIR/tests/integration/client_tool"
upgrades() {	# the bearer tokens of the upgrade requests, in order
	awk 'BEGIN { RS = "\n--\n" } tolower($0) ~ /upgrade: websocket/' req.log |
		sed -n 's/^Authorization: Bearer //p' | tr '\n' ' '
}

out=$(timeout 30 "$TOOL" ws t 2 2>&1); rc=$?
check_eq "two streams opening at once: both open" "$rc" 0
check_eq "... and say so" "$out" "ok
ok"
check_eq "single flight: the plugin ran once" "$(cat runs)" 1
check_eq "both upgrades carry its token" "$(upgrades)" "plug-1 plug-1 "

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

# port-forward: the pod GET runs the plugin (plug-1) and leaves the token
# for the streams; the server has revoked it meanwhile
: >req.log
rm -f runs
echo plug-1 >req.log.stale
LPORT=$(free_port)
"$KDECK" port-forward web "$LPORT:$EPORT" >pf.out 2>pf.err &
PFPID=$!
at_exit "kill $PFPID 2>/dev/null"
wait_for 10 grep -q Forwarding pf.out
talk='import socket,sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
c.sendall(sys.argv[2].encode()); print(c.recv(100).decode())'
for w in one two; do
	check_eq "connection $w forwarded" "$(python3 -c "$talk" "$LPORT" $w)" "echo:$w"
done
check_eq "the 401 on the stale token re-ran the plugin once" "$(cat runs)" 2
check_eq "refused with the stale token, retried with the new one, kept it" \
	"$(upgrades)" "plug-1 plug-2 plug-2 "
kill $PFPID

# a token the plugin has just made, refused: reported, no second run
: >req.log
rm -f runs
echo plug-1 >req.log.stale
out=$(timeout 30 "$TOOL" ws t 1 2>&1); rc=$?
check "a fresh token refused: the open fails" test "$rc" -ne 0
check_contains "... with the server's words" "$out" "Unauthorized"
check_eq "... and no second run" "$(cat runs)" 1
finish
