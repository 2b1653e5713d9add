#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The transport against real parts in front of the embedded cluster:
# - nghttpx as an HTTP/2 TLS front (it authenticates to the cluster with
#   the admin certificate): the client negotiates h2 (nghttpx's access log
#   shows HTTP/2); behind a front that offers only http/1.1 in ALPN it
#   falls back to HTTP/1.1;
# - proxy-url https://: tinyproxy behind a TLS terminator whose
#   certificate the cluster's CA (certificate-authority-data) verifies;
# - insecure-skip-tls-verify: true against a server whose CA is not given
#   works; without it (and without a CA) a clear certificate error;
# - the client-side rate limiter: an interactive request overtakes queued
#   background ones (client_tool prio).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/client_cluster.sh"
need_cmd kubectl nghttpx openssl python3 base64

export HOME="$T_DIR/home" XDG_CACHE_HOME="$T_DIR/cache"
mkdir -p "$HOME"
client_cluster_start
cd "$T_DIR" || exit 1
kc_field() {	# the admin user's base64 field $1 of the cluster's kubeconfig
	sed -n "s/^ *$1: *//p" "$KC" | head -n 1 | base64 -d
}
kc_field client-certificate-data >admin.crt
kc_field client-key-data >admin.key
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 \
	-subj /CN=front-ca >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -keyout front.key -out front.csr \
	-subj /CN=front >/dev/null 2>&1
echo "subjectAltName=IP:127.0.0.1" >front.ext
openssl x509 -req -in front.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
	-out front.crt -days 2 -extfile front.ext >/dev/null 2>&1

front() {	# front PORT LOG [ALPN]: nghttpx before the cluster
	nghttpx --conf=/dev/null -f "127.0.0.1,$1" -b "127.0.0.1,$PORT;;tls" -k \
		--client-private-key-file=admin.key --client-cert-file=admin.crt \
		--accesslog-file="$2" --errorlog-file="$2.err" --workers=1 \
		--no-ocsp ${3:+--npn-list=$3} front.key front.crt 2>"$2.out" &
	at_exit "kill $! 2>/dev/null"
	wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $1))" ||
		die "nghttpx did not start: $(cat "$2.out" "$2.err")"
}
H2=$(free_port); front $H2 h2.log
H1=$(free_port); front $H1 h1.log http/1.1

# tinyproxy (a real CONNECT proxy) behind a TLS terminator
if command -v tinyproxy >/dev/null; then
	TP=$(free_port)
	cat >tinyproxy.conf <<TPC
Port $TP
Listen 127.0.0.1
Timeout 60
LogFile "$T_DIR/tinyproxy.log"
LogLevel Connect
MaxClients 20
Allow 127.0.0.1
ConnectPort $H2
TPC
	tinyproxy -d -c tinyproxy.conf >tinyproxy.out 2>&1 &
	at_exit "kill $! 2>/dev/null"
	PLOG="$T_DIR/tinyproxy.log"
else	# the test's own CONNECT proxy
	TP=$(free_port)
	python3 "$TOP_SRCDIR/tests/integration/client_proxy.py" $TP proxy.log &
	at_exit "kill $! 2>/dev/null"
	PLOG="$T_DIR/proxy.log"
fi
wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $TP))" ||
	die "proxy did not start: $(cat tinyproxy.out 2>/dev/null)"
TLSP=$(free_port)
python3 "$TOP_SRCDIR/tests/integration/client_tls_front.py" $TLSP front.crt \
	front.key $TP 2>tlsfront.err &
at_exit "kill $! 2>/dev/null"
wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $TLSP))"

cat >kc.yaml <<KC
apiVersion: v1
kind: Config
current-context: h2
clusters:
- name: h2
  cluster:
    server: https://127.0.0.1:$H2
    certificate-authority-data: $(base64 -w0 ca.crt)
- name: h1
  cluster:
    server: https://127.0.0.1:$H1
    certificate-authority-data: $(base64 -w0 ca.crt)
- name: insecure
  cluster:
    server: https://127.0.0.1:$H2
    insecure-skip-tls-verify: true
- name: noca
  cluster:
    server: https://127.0.0.1:$H2
- name: proxied
  cluster:
    server: https://127.0.0.1:$H2
    certificate-authority-data: $(base64 -w0 ca.crt)
    proxy-url: https://127.0.0.1:$TLSP
contexts:
- {name: proxied, context: {cluster: proxied, user: none}}
- {name: h2, context: {cluster: h2, user: none}}
- {name: h1, context: {cluster: h1, user: none}}
- {name: insecure, context: {cluster: insecure, user: none}}
- {name: noca, context: {cluster: noca, user: none}}
users:
- {name: none, user: {}}
KC
export KUBECONFIG="$T_DIR/kc.yaml"

check_contains "get through the h2 front" "$("$KDECK" get ns 2>&1)" "kube-system"
check_contains "the client spoke HTTP/2" "$(cat h2.log)" "/api/v1/namespaces?"
check_contains "... (access log)" "$(grep 'GET /api/v1/namespaces' h2.log)" "HTTP/2"
out=$("$KDECK" get ns --context h1 2>&1)
check_contains "fallback: get through the http/1.1-only front" "$out" "kube-system"
check_contains "... spoke HTTP/1.1" "$(grep 'GET /api/v1/namespaces' h1.log)" "HTTP/1.1"
check "... and never HTTP/2" sh -c "! grep -q 'HTTP/2' h1.log"

out=$("$KDECK" get ns --context insecure 2>&1)
check_contains "insecure-skip-tls-verify without a CA works" "$out" "kube-system"
out=$("$KDECK" get ns --context noca 2>&1); rc=$?
check_eq "no CA, no insecure-skip-tls-verify: refused" "$rc" 1
check_contains "... with a certificate error" "$out" "certificate"
check_contains "... naming the server" "$out" "127.0.0.1:$H2"

# the client-side rate limiter (4/s, burst 1 here) lets an interactive
# request overtake 12 queued background ones (a 3 s backlog)
out=$("$TOP_BUILDDIR/tests/integration/client_tool" prio h2 12 2>&1)
check_contains "interactive overtakes queued background requests" "$out" \
	"wait_ms_lt_1000=1"
case "$out" in
before=[0-2]" of 12"*) pass "... after at most 2 background ones ($out)" ;;
*) fail "... after at most 2 background ones ($out)" ;;
esac

out=$("$KDECK" get ns --context proxied 2>&1)
check_contains "through an https:// proxy-url" "$out" "kube-system"
check_contains "the proxy saw the CONNECT" "$(cat "$PLOG")" "127.0.0.1:$H2"
finish
