#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Per-context settings on `:ctx` (not only at start): readonly.CTX in the
# config turns read-only on when switching to that context and off when
# switching back; --readonly holds everywhere.  And the loading spinner
# turns while a list is slow (fakeapi.py with FAKEAPI_LIST_DELAY).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"

PORT=$(free_port)
REQ="$T_DIR/requests.log"
FAKEAPI_LIST_DELAY=3 "$PY" "$TOP_SRCDIR/tests/tui/fakeapi.py" "$PORT" "$REQ" &
API=$!
at_exit 'kill $API'
wait_for 10 sh -c "$PY -c 'import socket; socket.create_connection((\"127.0.0.1\", $PORT))'"
cat >"$T_DIR/kubeconfig" <<KC
apiVersion: v1
kind: Config
current-context: fake
clusters:
- name: fake
  cluster: {server: "http://127.0.0.1:$PORT"}
contexts:
- name: fake
  context: {cluster: fake, user: tester, namespace: default}
- name: prod
  context: {cluster: fake, user: tester, namespace: kube-system}
users:
- name: tester
  user: {token: abc}
KC
mkdir -p "$T_DIR/cfg/kdeck"
printf 'readonly.prod = on\n' >"$T_DIR/cfg/kdeck/config"

# spinner frames seen while the first list is out
spin_frames() {
	frames=""
	i=0
	while [ $i -lt 30 ]; do
		f=$(tui_screen | sed -n 's/.*\([|/\\-]\) loading.*/\1/p' | head -n 1)
		case "$frames" in *"$f"*) ;; *) frames="$frames$f" ;; esac
		sleep 0.1
		i=$((i + 1))
	done
	echo "$frames"
}

tui_start ctx "XDG_CONFIG_HOME=$T_DIR/cfg XDG_CACHE_HOME=$T_DIR/cache $KDECK --kubeconfig $T_DIR/kubeconfig"
check "header" tui_wait "Context: fake"
check "loading shows while the list is out" tui_wait "loading"
F=$(spin_frames)
[ ${#F} -ge 2 ] && pass "the spinner turns (frames: $F)" || fail "the spinner turns (frames: $F)"
check "the rows after the slow list" tui_wait "api-1" 10
check_eq "not read-only in fake" "$(tui_screen | grep -c '\[readonly\]')" 0
tui_keys : "ctx prod" Enter
check "switched" tui_wait "Context: prod"
check "readonly.prod applies on the switch" tui_wait "[readonly]"
check "kube-system pods" tui_wait "dns-0" 10
tui_keys C-d
check "delete refused" tui_wait "read-only mode: delete is disabled"
tui_keys : "ctx fake" Enter
check "back in fake" tui_wait "Context: fake"
check "read-only lifted in fake" tui_gone "[readonly]"
check "pods again" tui_wait "api-1" 10
tui_keys C-d
check "delete asks again" tui_wait "Delete pod default/api"
tui_keys Escape : q Enter
sleep 0.5

# --readonly holds in every context
tui_start ctx2 "XDG_CONFIG_HOME=$T_DIR/cfg XDG_CACHE_HOME=$T_DIR/cache $KDECK --readonly --kubeconfig $T_DIR/kubeconfig"
check "header (2)" tui_wait "Context: fake"
check "readonly from the flag" tui_wait "[readonly]"
tui_keys : "ctx prod" Enter
check "switched (2)" tui_wait "Context: prod"
tui_keys : "ctx fake" Enter
check "back (2)" tui_wait "Context: fake"
check "--readonly survives the switches" tui_wait "[readonly]"
tui_keys : q Enter
finish
