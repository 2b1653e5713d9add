# SPDX-License-Identifier: Apache-2.0
# Exec credential plugins off the I/O thread, their terminal, and
# cancellable discovery, against a plain-HTTP stand-in server
# (client_auth_server.py) with real plugin scripts:
#  - a plugin that sleeps 3 s while the client's own watch and another
#    context's watch keep delivering events, and the request that needed
#    it waits for it (client_tool watch-login);
#  - a 401 re-runs the plugin once, also for parallel requests;
#  - interactiveMode: IfAvailable/Always get the terminal under script(1)
#    (the plugin reads a line from it, spec.interactive is true), Never
#    and no terminal get /dev/null, Always without a terminal fails with
#    kubectl's words; the dashboard's terminal hook lends or declines;
#  - discovery of a server that accepts and never answers is cancelled,
#    or the client freed, at once (bound: 10 s; a hang takes 30 s+).
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd python3 script timeout
TOOL="$TOP_BUILDDIR/tests/integration/client_tool"

export HOME="$T_DIR/home" XDG_CACHE_HOME="$T_DIR/cache"
mkdir -p "$HOME"
cd "$T_DIR" || exit 1
PORT=$(free_port)
SPORT=$(free_port)
python3 "$TOP_SRCDIR/tests/integration/client_auth_server.py" $PORT \
	"$T_DIR/req.log" silent $SPORT 2>"$T_DIR/srv.err" &
SPID=$!
at_exit "kill $SPID 2>/dev/null"
wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT))" ||
	die "test server did not start: $(cat "$T_DIR/srv.err")"

# plugin NAME BODY: a plugin script counting its runs in NAME.count, with
# cred TOKEN [EXPIRY] printing an ExecCredential
plugin() {
	{ echo '#!/bin/sh'
	  printf '%s\n' 'cred() { printf '"'"'{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\n'"'"' "$1" "${2:-2999-01-01T00:00:00Z}"; }'
	  echo 'd=$(dirname "$0"); c="$d/'"$1"'.count"'
	  echo 'n=$(cat "$c" 2>/dev/null || echo 0); n=$((n+1)); echo $n >"$c"'
	  printf '%s\n' "$2"; } >"$1.sh"
	chmod +x "$1.sh"
}
# first run: a token that expires in 2 s; later runs take 3 s
plugin slow 'if [ $n -eq 1 ]; then cred slow-1 "$(date -u -d @$(($(date +%s) + 2)) +%Y-%m-%dT%H:%M:%SZ)"; else sleep 3; cred slow-$n; fi'
plugin rev 'if [ $n -eq 1 ]; then cred revoked; else cred good-$n; fi'
plugin ask 'if [ -t 0 ]; then printf "code: " >&2; read code; t=tty; else code=none; t=notty; fi
case "$KUBERNETES_EXEC_INFO" in *"\"interactive\":true"*) i=i1;; *) i=i0;; esac
cred $t-$code-$i'

user() {	# user NAME PLUGIN MODE
	printf -- '- name: %s\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: %s\n      interactiveMode: %s\n' \
		"$1" "$T_DIR/$2.sh" "$3"
}
ctx() { printf -- '- name: %s\n  context: {cluster: %s, user: %s, namespace: default}\n' "$1" "$2" "$3"; }
{
	printf 'apiVersion: v1\nkind: Config\ncurrent-context: ask\nclusters:\n'
	printf -- '- name: c\n  cluster: {server: "http://127.0.0.1:%s"}\n' $PORT
	printf -- '- name: s\n  cluster: {server: "http://127.0.0.1:%s"}\n' $SPORT
	printf 'contexts:\n'
	ctx slow c slow; ctx static c static; ctx rev c rev; ctx ask c ask
	ctx never c never; ctx always c always; ctx silent s static
	printf 'users:\n'
	user slow slow Never; user rev rev Never; user ask ask IfAvailable
	user never ask Never; user always ask Always
	printf -- '- name: static\n  user: {token: static}\n'
} >kc.yaml
export KUBECONFIG="$T_DIR/kc.yaml"

# --- a slow plugin stalls nothing
out=$(timeout 40 "$TOOL" watch-login slow static 2>&1)
check_contains "watch delivered events before the login" "$out" "before=1"
during=$(echo "$out" | sed -n 's/.*during=\([0-9]*\).*/\1/p')
other=$(echo "$out" | sed -n 's/.*other=\([0-9]*\).*/\1/p')
check "same client's watch kept delivering while the plugin slept (${during:-?} events)" \
	test "${during:-0}" -ge 5
check "another context's watch kept delivering (${other:-?} events)" \
	test "${other:-0}" -ge 5
check_contains "the request waited for the slow plugin" "$out" "get_ms_ge_2500=1"
check_contains "... and went out with its token, plugin run twice" "$out" "token=slow-2 runs=2"

# --- 401: re-run once
: >req.log
check_eq "401 re-runs the plugin once" "$("$TOOL" get rev 1 2>&1)" "token=good-2 runs=2"
check_eq "server saw the revoked token, then the new one" \
	"$(grep configmaps/x req.log | cut -d' ' -f2 | tr '\n' ' ')" "revoked good-2 "
rm -f rev.count
: >req.log
check_eq "three parallel 401s: still one re-run" "$("$TOOL" get rev 3 2>&1)" "token=good-2 runs=2"

# --- the terminal
out=$(printf 'abc\n' | script -qec "$KDECK get cm x -o json" /dev/null 2>&1)
check_contains "IfAvailable under a terminal: plugin read the typed line" "$out" "tty-abc-i1"
check_contains "... after prompting on the terminal" "$out" "code: "
out=$("$KDECK" get cm x -o json </dev/null 2>&1)
check_contains "IfAvailable without a terminal: stdin /dev/null" "$out" "notty-none-i0"
out=$(printf 'abc\n' | script -qec "$KDECK get cm x -o json --context never" /dev/null 2>&1)
check_contains "Never: no terminal even under script" "$out" "notty-none-i0"
out=$(printf 'def\n' | script -qec "$KDECK get cm x -o json --context always" /dev/null 2>&1)
check_contains "Always under a terminal" "$out" "tty-def-i1"
"$KDECK" get cm x --context always </dev/null >out.txt 2>&1; rc=$?
check_eq "Always without a terminal fails" $rc 1
check_contains "... with kubectl's words" "$(cat out.txt)" \
	"exec plugin cannot support interactive mode: standard input is not a terminal"

out=$(printf 'xyz\n' | script -qec "$TOOL hook ask accept" /dev/null 2>&1)
check_contains "hook lends the terminal (IfAvailable: not required)" "$out" "hook: required=0, lending"
check_contains "... the plugin read from it" "$out" "token=tty-xyz-i1 runs=1"
check_contains "... and the hook got it back" "$out" "hook: terminal back"
out=$(printf 'uvw\n' | script -qec "$TOOL hook always accept" /dev/null 2>&1)
check_contains "hook for Always: required" "$out" "hook: required=1"
check_contains "... plugin read from the terminal" "$out" "token=tty-uvw-i1"
out=$("$TOOL" hook ask decline </dev/null 2>&1)
check_contains "declined IfAvailable: runs without a terminal" "$out" "token=notty-none-i0"
out=$(printf 'x\n' | script -qec "$TOOL hook always decline" /dev/null 2>&1)
check_contains "declined Always: kubectl's words" "$out" \
	"error: exec plugin cannot support interactive mode: standard input is unavailable"
out=$("$TOOL" hook never accept </dev/null 2>&1)
case "$out" in *hook:*) fail "Never: the hook is not called";; *) pass "Never: the hook is not called";; esac

# --- discovery of a silent server
out=$(timeout 60 "$TOOL" discover silent cancel 2>&1); rc=$?
check_eq "cancelled discovery: tool ended" $rc 0
ms=$(echo "$out" | sed -n 's/.*ms=\([0-9]*\).*/\1/p')
check "cancel + free returned promptly (${ms:-?} ms, bound 10000)" test "${ms:-99999}" -lt 10000
check_contains "cancelled run: callback never ran" "$out" "id=1 ms="
check_contains "... cb=0" "$out" "cb=0"
out=$(timeout 60 "$TOOL" discover silent quit 2>&1); rc=$?
ms=$(echo "$out" | sed -n 's/.*ms=\([0-9]*\).*/\1/p')
check "client_free with discovery in flight returned promptly (${ms:-?} ms)" \
	test "${ms:-99999}" -lt 10000
finish
