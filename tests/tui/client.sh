#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The dashboard over the real client layer, against a small fake API
# server (tests/tui/fakeapi.py): discovery, Table columns, forbidden
# kinds, describe with events, YAML, logs, edit with a 409 conflict and
# re-edit, delete with propagation, contexts.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"

PORT=$(free_port)
REQ="$T_DIR/requests.log"
"$PY" "$TOP_SRCDIR/tests/tui/fakeapi.py" "$PORT" "$REQ" &
API=$!
at_exit 'kill $API'
wait_for 10 sh -c "$PY -c 'import socket; socket.create_connection((\"127.0.0.1\", $PORT))'"
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
  context:
    cluster: fake
    user: tester
    namespace: default
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

cat >"$T_DIR/editor.sh" <<'ED'
#!/bin/sh
sed -i 's/image: busybox/image: alpine/' "$1"
ED
chmod +x "$T_DIR/editor.sh"

tui_start client "EDITOR=$T_DIR/editor.sh XDG_CONFIG_HOME=$T_DIR/cfg XDG_CACHE_HOME=$T_DIR/cache $KDECK --kubeconfig $T_DIR/kubeconfig"
check "header from the kubeconfig" tui_wait "Context: fake"
check "server version" tui_wait "K8s: v1.31.9-fake"
check "pods listed as a Table" tui_wait "pods(default)[2]"
check "server column names" tui_has "Name   Ready  Status"
check "priority>0 column hidden" tui_hasnt "Node"
tui_keys W
check "wide shows it" tui_wait "Node"
tui_keys : sec Tab Enter
check "forbidden from the server" tui_wait "You may not list secrets"
tui_keys : deploy Enter
check "kinds from discovery" tui_wait "deployments(default)"
tui_keys : po Enter
check "pods again" tui_wait "pods(default)[2]"
tui_keys / api-2 Enter d
check "describe over the client" tui_wait "Status:              Pending"
check "describe shows events" tui_wait "0/1 nodes are available"
tui_keys Escape y
check "YAML through kyaml_emit" tui_wait "namespace: default"
check "managedFields hidden" tui_hasnt "managedFields"
tui_keys Escape l
check "logs" tui_wait "line two"
tui_keys Escape

# edit: YAML through kyaml, PUT, a 409 explained, re-edit, PUT again
tui_keys / C-u api-1 Enter e
check "conflict from the server" tui_wait "Re-edit the latest version?"
tui_keys y
check "re-edit saved" tui_wait "edited pod api-1"
check "PUT sent" grep -q "^PUT /api/v1/namespaces/default/pods/api-1" "$REQ"
check "PUT body is the edited object" grep -q '"image":"alpine"' "$REQ"

tui_keys / C-u api-2 Enter C-d
check "delete dialog" tui_wait "Delete pod default/api-2?"
tui_keys Tab Enter
check "deleted" tui_wait "deleted pod api-2"
check "DELETE sent" grep -q "^DELETE /api/v1/namespaces/default/pods/api-2" "$REQ"
check "propagation sent" grep -q "Foreground" "$REQ"

# contexts from the kubeconfig; switching makes a new client
tui_keys : ctx Enter
check ":ctx lists the kubeconfig's contexts" tui_wait "  other"
check "current context starred" tui_has "* fake"
tui_keys Escape : 'ctx other' Enter
check "switched context" tui_wait "Context: other"
check "namespace of the new context" tui_wait "pods(kube-system)[1]"
tui_keys : 'ctx nosuch' Enter
check "unknown context flashes" tui_wait "nosuch"

# the server goes away: banner; it comes back: banner gone, rows back
kill $API
wait $API 2>/dev/null
check "unreachable banner" tui_wait "cluster unreachable" 40
"$PY" "$TOP_SRCDIR/tests/tui/fakeapi.py" "$PORT" "$REQ" &
API=$!
check "banner goes away after reconnect" tui_gone "cluster unreachable" 40
check "rows come back" tui_wait "pods(kube-system)[1]" 40
finish
