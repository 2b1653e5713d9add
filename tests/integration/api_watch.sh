# SPDX-License-Identifier: Apache-2.0
# Watch semantics over HTTPS with curl: initial ADDED events, resume from
# a resourceVersion, watch-list (sendInitialEvents + initial-events-end
# BOOKMARK), label-selector transitions (MODIFIED into/out of the
# selection become ADDED/DELETED), 410 as an ERROR event, Table events,
# timeoutSeconds.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node
C="curl -s -N --cacert $D/pki/ca.crt --cert $D/pki/admin.crt --key $D/pki/admin.key"
U="https://127.0.0.1:$PORT/api/v1/namespaces/default/configmaps"

"$KUBECTL" create cm a1 >/dev/null && "$KUBECTL" label cm a1 app=x >/dev/null
rv=$($C "$U" | python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["resourceVersion"])')
out=$($C "$U?watch=true&timeoutSeconds=1")
check_contains "unset resourceVersion: ADDED for existing" "$out" '{"type":"ADDED","object":{"apiVersion":"v1","kind":"ConfigMap"'
out=$($C "$U?watch=true&timeoutSeconds=1&resourceVersion=$rv")
check_eq "resume from the list revision: nothing old" "$out" ""
out=$($C "$U?watch=true&timeoutSeconds=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true")
check_contains "watch-list ends with the initial-events-end bookmark" "$out" '"k8s.io/initial-events-end":"true"'
out=$($C "$U?watch=true&sendInitialEvents=true")
check_contains "sendInitialEvents without NotOlderThan: 422" "$out" '"code":422'
out=$($C "$U?watch=true&resourceVersion=1&timeoutSeconds=1")
case "$out" in
*'"type":"ERROR"'*) check_contains "too old: 410 ERROR event" "$out" '"code":410' ;;
*) pass "resourceVersion 1 still in history (no compaction yet)" ;;
esac

$C "$U?watch=true&timeoutSeconds=30&labelSelector=app%3Dx&resourceVersion=$rv" >"$T_DIR/sel" &
W1=$!
$C -H 'Accept: application/json;as=Table;v=v1;g=meta.k8s.io' "$U?watch=true&timeoutSeconds=30&resourceVersion=$rv" >"$T_DIR/table" &
W2=$!
"$KUBECTL" label cm a1 app=y --overwrite >/dev/null
"$KUBECTL" label cm a1 app=x --overwrite >/dev/null
"$KUBECTL" create cm a2 >/dev/null
# the watches started from $rv, so they see every change however slow
wait_for 25 grep -q '"cells":\["a2"' "$T_DIR/table"
wait_for 25 sh -c "[ \$(grep -c . '$T_DIR/sel') -ge 2 ]"
kill $W1 $W2 2>/dev/null
check_eq "selector transitions" "$(sed 's/","object.*//; s/{"type":"//' "$T_DIR/sel" | tr '\n' ' ')" "DELETED ADDED "
check_contains "Table watch events" "$(cat "$T_DIR/table")" '"object":{"kind":"Table","apiVersion":"meta.k8s.io/v1"'
check_contains "Table rows" "$(cat "$T_DIR/table")" '"cells":["a2",0,'
finish
