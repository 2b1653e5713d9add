# SPDX-License-Identifier: Apache-2.0
# The client transport end to end over real TLS: a private CA passed as
# certificate-authority-data (in memory), a client certificate required by
# the server, a bearer token from an exec credential plugin, tls-server-name,
# impersonation headers, User-Agent kdeck/<version>, gzip answers, retries
# of an idempotent GET on 503, Status errors printed like kubectl, and a
# refusal when the CA does not match, proxy-url through a CONNECT proxy.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd python3 openssl

export HOME="$T_DIR/home" XDG_CACHE_HOME="$T_DIR/cache"
mkdir -p "$HOME"
cd "$T_DIR" || exit 1
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 \
	-subj /CN=test-ca >/dev/null 2>&1
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.crt \
	-days 2 -subj /CN=other-ca >/dev/null 2>&1
mk() {	# mk NAME SUBJ EXT
	openssl req -newkey rsa:2048 -nodes -keyout $1.key -out $1.csr -subj "$2" \
		>/dev/null 2>&1
	printf '%s\n' "$3" >$1.ext
	openssl x509 -req -in $1.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
		-out $1.crt -days 2 -extfile $1.ext >/dev/null 2>&1
}
mk server /CN=kube "subjectAltName=DNS:kube.test,IP:127.0.0.1"
mk client /CN=alice "extendedKeyUsage=clientAuth"
PORT=$(free_port)
python3 "$TOP_SRCDIR/tests/integration/client_transport_server.py" $PORT \
	server.crt server.key ca.crt "$T_DIR/req.log" 2>"$T_DIR/srv.err" &
SPID=$!
at_exit "kill $SPID 2>/dev/null"
wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT))" ||
	die "test server did not start: $(cat "$T_DIR/srv.err")"

PPORT=$(free_port)
python3 "$TOP_SRCDIR/tests/integration/client_proxy.py" $PPORT "$T_DIR/proxy.log" &
PPID_=$!
at_exit "kill $PPID_ 2>/dev/null"
wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $PPORT))"

cat >plugin.sh <<'P'
#!/bin/sh
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin"}}\n'
P
chmod +x plugin.sh
b64() { base64 -w0 "$1"; }
cat >kc.yaml <<KC
apiVersion: v1
kind: Config
current-context: t
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:$PORT
    certificate-authority-data: $(b64 ca.crt)
- name: sni
  cluster:
    server: https://127.0.0.1:$PORT
    tls-server-name: kube.test
    certificate-authority-data: $(b64 ca.crt)
- name: proxied
  cluster:
    server: https://127.0.0.1:$PORT
    proxy-url: http://127.0.0.1:$PPORT
    certificate-authority-data: $(b64 ca.crt)
- name: socks
  cluster:
    server: https://127.0.0.1:$PORT
    proxy-url: socks5://127.0.0.1:$PPORT
    certificate-authority-data: $(b64 ca.crt)
- name: wrongca
  cluster:
    server: https://127.0.0.1:$PORT
    certificate-authority-data: $(b64 other.crt)
contexts:
- name: t
  context: {cluster: c, user: u}
- name: sni
  context: {cluster: sni, user: u}
- name: wrongca
  context: {cluster: wrongca, user: u}
- name: nocert
  context: {cluster: c, user: tokenonly}
- name: proxied
  context: {cluster: proxied, user: u}
- name: socks
  context: {cluster: socks, user: u}
- name: basic
  context: {cluster: c, user: basicu}
users:
- name: u
  user:
    client-certificate-data: $(b64 client.crt)
    client-key-data: $(b64 client.key)
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: $T_DIR/plugin.sh
- name: tokenonly
  user: {token: static}
- name: basicu
  user:
    client-certificate-data: $(b64 client.crt)
    client-key-data: $(b64 client.key)
    username: carol
    password: "pa ss"
KC
export KUBECONFIG="$T_DIR/kc.yaml"

out=$("$KDECK" get cm 2>&1); rc=$?
check_eq "get over TLS with client cert exits 0" "$rc" 0
check_eq "table printed" "$out" "NAME    DATA
alpha   2"
check_contains "-o wide shows priority columns" "$("$KDECK" get cm -o wide)" "EXTRA"
last=$(tail -n 1 req.log)
check_contains "bearer token from exec plugin" "$last" '"Authorization": "Bearer from-plugin"'
check_contains "client certificate presented" "$last" '"cert": true'
check_contains "User-Agent" "$last" '"User-Agent": "kdeck/'
check_contains "gzip offered" "$last" '"Accept-Encoding": "gzip"'
check_contains "Table Accept" "$last" 'as=Table;v=v1;g=meta.k8s.io'
check "discovery cache written" test -s "$XDG_CACHE_HOME/kdeck/discovery/127.0.0.1_$PORT/resources.json"
n=$(grep -c '"/api/v1"' req.log)
"$KDECK" get configmap >/dev/null
check_eq "warm discovery cache: no rediscovery" "$(grep -c '"/api/v1"' req.log)" "$n"

check_eq "retry on 503 then success" "$("$KDECK" get cm flaky -o name)" "configmap/flaky"
check_eq "3 attempts" "$(grep -c 'configmaps/flaky' req.log)" 3
"$KDECK" get cm nope 2>err.txt; rc=$?
check_eq "NotFound exits 1" $rc 1
check_eq "NotFound printed like kubectl" "$(cat err.txt)" \
	'Error from server (NotFound): configmaps "nope" not found'

"$KDECK" get cm --as bob >/dev/null
check_contains "impersonation header" "$(tail -n 1 req.log)" '"Impersonate-User": "bob"'
check_eq "tls-server-name verifies the SAN" "$("$KDECK" get cm --context sni | tail -n 1)" "alpha   2"
"$KDECK" get cm --context wrongca >/dev/null 2>err.txt; rc=$?
check_eq "wrong CA refused" $rc 1
check_contains "wrong CA message" "$(cat err.txt)" "certificate"
"$KDECK" get cm --context nocert >/dev/null 2>err.txt; rc=$?
check_eq "server requiring a client cert refuses without one" $rc 1
check_eq "basic auth user" "$("$KDECK" get cm --context basic | tail -n 1)" "alpha   2"
check_contains "basic auth header" "$(tail -n 1 req.log)" \
	"\"Authorization\": \"Basic $(printf 'carol:pa ss' | base64 -w0)\""
# Informer life (scripted by the endpoint): list, watch, 410, relist.
out=$(timeout 20 "$KDECK" get cm -n wcm -w -o name --watch-events 6 2>winf.err)
check_eq "informer: list, watch, ERROR 410 -> relist, DELETED" "$(echo $out)" \
	"ADDED configmap/alpha ADDED configmap/beta ADDED configmap/alpha ADDED configmap/beta ADDED configmap/gamma DELETED configmap/alpha"
check_contains "informer relisted" "$(cat winf.err)" "listed 3"
w=$(grep -o '"/api/v1/namespaces/wcm/configmaps[^"]*"' req.log | tr '\n' ' ')
check_contains "watch resumed from the list's resourceVersion" "$w" "resourceVersion=10"
check_contains "watch resumed from the bookmark's resourceVersion" "$w" "resourceVersion=13"
check "... not from the last event's" sh -c "! echo '$w' | grep -q 'resourceVersion=11'"
check_contains "watches ask for bookmarks" "$w" "allowWatchBookmarks=true"
check_contains "watch after relist from the new list's resourceVersion" "$w" "resourceVersion=20"

check_eq "kdeck logs" "$("$KDECK" logs chatty)" "one
two
three"
check_contains "kdeck logs sends the options" \
	"$("$KDECK" logs chatty -c app --tail 5 --timestamps >/dev/null; tail -n 1 "$T_DIR/req.log")" \
	"/pods/chatty/log?container=app&tailLines=5&timestamps=true"
"$KDECK" logs -f chatty >"$T_DIR/follow.out" 2>&1 &
FPID=$!
check "kdeck logs -f prints lines as they arrive" wait_for 10 grep -q one "$T_DIR/follow.out"
check_eq "... byte for byte as they come (like kubectl)" "$(cat "$T_DIR/follow.out")" "one
tw"
touch "$T_DIR/req.log.go"
wait_for 10 sh -c "! kill -0 $FPID 2>/dev/null"
wait $FPID; rc=$?
check_eq "kdeck logs -f ends with the stream" "$rc" 0
check_eq "kdeck logs -f output" "$(cat "$T_DIR/follow.out")" "one
two
three"
check_contains "follow=true sent" "$(grep 'follow=true' "$T_DIR/req.log")" "/pods/chatty/log?follow=true"

check_eq "through proxy-url" "$("$KDECK" get cm --context proxied | tail -n 1)" "alpha   2"
check_contains "proxy saw CONNECT" "$(cat "$T_DIR/proxy.log" 2>/dev/null)" "CONNECT 127.0.0.1:$PORT"
check_eq "through a socks5 proxy-url" "$("$KDECK" get cm --context socks | tail -n 1)" "alpha   2"
check_contains "socks5 proxy saw the target" "$(cat "$T_DIR/proxy.log" 2>/dev/null)" "SOCKS5 127.0.0.1:$PORT"
finish
