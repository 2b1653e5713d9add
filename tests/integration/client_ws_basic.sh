# SPDX-License-Identifier: Apache-2.0
# HTTP basic auth (username/password in the kubeconfig) on the WebSocket
# upgrade of kdeck exec, against the stand-in API server
# (ws_fake_server.py) over real TLS: the upgrade request carries the same
# "Authorization: Basic" header as the plain requests, and a bearer token
# still wins over basic auth when a user has both.
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
cat >kc.yaml <<KC
apiVersion: v1
kind: Config
current-context: basic
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:$PORT
    certificate-authority-data: $(base64 -w0 ca.crt)
contexts:
- name: basic
  context: {cluster: c, user: alice, namespace: default}
- name: both
  context: {cluster: c, user: bob, namespace: default}
users:
- name: alice
  user: {username: alice, password: "s3cret:with colon"}
- name: bob
  user: {username: bob, password: pw, token: bobtoken}
KC
export KUBECONFIG="$T_DIR/kc.yaml"
want="Authorization: Basic $(printf '%s' 'alice:s3cret:with colon' | base64 -w0)"

# The request heads of the upgrades only (blocks end with "--").
upgrades() {
	awk 'BEGIN { RS = "\n--\n" } tolower($0) ~ /upgrade: websocket/' req.log
}

out=$(timeout 20 "$KDECK" exec web -- echo hi 2>&1); rc=$?
check_eq "exec with basic auth: exit 0" "$rc" 0
check_eq "exec with basic auth: output" "$out" "hi"
check_contains "upgrade request carries basic auth" "$(upgrades)" "$want"
: >req.log
out=$(timeout 20 "$KDECK" exec web --context both -- echo hi 2>&1); rc=$?
check_eq "exec with token and basic auth: exit 0" "$rc" 0
check_contains "token preferred on the upgrade" "$(upgrades)" \
	"Authorization: Bearer bobtoken"
check "no basic header next to the token" sh -c "! grep -q 'Authorization: Basic' req.log"
finish
