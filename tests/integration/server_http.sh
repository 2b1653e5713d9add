# SPDX-License-Identifier: Apache-2.0
# The cluster's HTTPS server with real clients (curl, kubectl): readiness,
# 401 Status without credentials, admin certificate and token, token file
# users, certificates from a foreign CA, impersonation, 413/415, a watch
# that ends cleanly when the daemon stops.  Needs the whole daemon (store,
# authz, api); skips while those are not built.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl openssl

export HOME="$T_DIR/home"
unset KUBECONFIG
D="$T_DIR/c"
PORT=$(free_port)
URL="https://127.0.0.1:$PORT"
"$KDECK" cluster up --no-node --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" \
	>"$T_DIR/out" 2>"$T_DIR/err" &
PID=$!
at_exit "kill $PID 2>/dev/null"
wait_for 20 sh -c "curl -sf --cacert '$D/pki/ca.crt' '$URL/readyz' || ! kill -0 $PID"
if ! kill -0 $PID 2>/dev/null; then
	die "the daemon does not start yet: $(tail -n 1 "$T_DIR/err")"
fi

CA="--cacert $D/pki/ca.crt"
ADMIN="$CA --cert $D/pki/admin.crt --key $D/pki/admin.key"
code() { curl -s -o "$T_DIR/body" -w '%{http_code}' "$@"; }

check_eq "readyz 200" "$(code $CA "$URL/readyz")" 200
check_eq "livez body" "$(curl -s $CA "$URL/livez")" "ok"
check_contains "readyz?verbose lists checks" "$(curl -s $CA "$URL/readyz?verbose")" "[+]ping ok"
check_eq "version is public" "$(code $CA "$URL/version")" 200
check_eq "no credentials: 401" "$(code $CA "$URL/api/v1/namespaces")" 401
check_contains "401 is a Status" "$(cat "$T_DIR/body")" '"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401'
check_eq "admin certificate: 200" "$(code $ADMIN "$URL/api/v1/namespaces")" 200
check_eq "admin token: 200" "$(code $CA -H "Authorization: Bearer $(cat "$D/pki/admin.token")" \
	"$URL/api/v1/namespaces")" 200
check_eq "unknown token: 401" "$(code $CA -H 'Authorization: Bearer nope' "$URL/api")" 401

printf 'jane-token,jane,uid-jane,"devs,qa"\n' >"$D/tokens.csv"
got=$(code $CA -H 'Authorization: Bearer jane-token' "$URL/api/v1/namespaces")
check_eq "token file user is authenticated but not authorized: 403" "$got" 403
check_contains "403 names the user" "$(cat "$T_DIR/body")" 'User \"jane\"'

# A certificate from another CA, with the admin's very names.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
	-subj "/O=system:masters/CN=kubernetes-admin" -keyout "$T_DIR/evil.key" \
	-out "$T_DIR/evil.crt" >/dev/null 2>&1
check_eq "foreign CA certificate: 401" "$(code $CA --cert "$T_DIR/evil.crt" \
	--key "$T_DIR/evil.key" "$URL/api/v1/namespaces")" 401
# A certificate the cluster CA signed for another user.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-subj "/O=devs/CN=bob" -keyout "$T_DIR/bob.key" -out "$T_DIR/bob.csr" >/dev/null 2>&1
openssl x509 -req -in "$T_DIR/bob.csr" -CA "$D/pki/ca.crt" -CAkey "$D/pki/ca.key" \
	-CAcreateserial -days 1 -out "$T_DIR/bob.crt" >/dev/null 2>&1
check_eq "CA-signed user certificate: authenticated (403)" "$(code $CA --cert "$T_DIR/bob.crt" \
	--key "$T_DIR/bob.key" "$URL/api/v1/namespaces")" 403

check_eq "admin impersonates jane: 403" "$(code $ADMIN -H 'Impersonate-User: jane' \
	"$URL/api/v1/namespaces")" 403
check_eq "jane may not impersonate: 403" "$(code $CA -H 'Authorization: Bearer jane-token' \
	-H 'Impersonate-User: kubernetes-admin' "$URL/api/v1/namespaces")" 403
check_contains "impersonation refusal" "$(cat "$T_DIR/body")" "cannot impersonate"
check_eq "Content-Encoding: 415" "$(code $ADMIN -X POST -H 'Content-Encoding: gzip' \
	-H 'Content-Type: application/json' --data '{}' "$URL/api/v1/namespaces")" 415
head -c 4000000 /dev/zero | tr '\0' x >"$T_DIR/big"
check_eq "oversized body: 413" "$(code $ADMIN -X POST -H 'Content-Type: application/json' \
	--data-binary @"$T_DIR/big" "$URL/api/v1/namespaces")" 413
check_contains "metrics count requests" "$(curl -s $ADMIN "$URL/metrics")" \
	'kdeck_http_requests_total{method="GET",code="401"}'

# gzip: responses of 128 KiB or more, when the client accepts it
python3 -c '
import json
items = [{"apiVersion": "v1", "kind": "ConfigMap",
          "metadata": {"name": "big-%03d" % i, "namespace": "default"},
          "data": {"blob": "x" * 1024}} for i in range(160)]
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))' >"$T_DIR/list.json"
python3 -c '
import json, sys
for o in json.load(open(sys.argv[1]))["items"]:
    print(json.dumps(o))' "$T_DIR/list.json" | while read -r obj; do
	printf '%s' "$obj" | curl -s -o /dev/null $ADMIN -X POST -H 'Content-Type: application/json' \
		--data-binary @- "$URL/api/v1/namespaces/default/configmaps"
done
hdr=$(curl -s -D - -o "$T_DIR/gz" $ADMIN -H 'Accept-Encoding: gzip' "$URL/api/v1/namespaces/default/configmaps")
check_contains "a big list is gzip-encoded" "$hdr" "Content-Encoding: gzip"
check_eq "the gzip body decodes to the list" \
	"$(gzip -dc "$T_DIR/gz" | python3 -c 'import json,sys; print(sum(i["metadata"]["name"].startswith("big-") for i in json.load(sys.stdin)["items"]))')" 160
hdr=$(curl -s -D - -o /dev/null $ADMIN "$URL/api/v1/namespaces/default/configmaps")
case $hdr in *Content-Encoding*) fail "no Accept-Encoding: no gzip" ;; *) pass "no Accept-Encoding: no gzip" ;; esac
hdr=$(curl -s -D - -o /dev/null $ADMIN -H 'Accept-Encoding: gzip' "$URL/api/v1/namespaces/default/configmaps/big-001")
case $hdr in *Content-Encoding*) fail "small responses stay plain" ;; *) pass "small responses stay plain" ;; esac

if command -v kubectl >/dev/null; then
	K="kubectl --kubeconfig $D/kubeconfig.yaml"
	check_eq "kubectl reads a gzip-encoded list" \
		"$($K get cm -o name 2>&1 | grep -c big-)" 160
	check_eq "kubectl get --raw /healthz" "$($K get --raw /healthz 2>&1)" ok
	check_contains "kubectl version" "$($K version 2>&1)" "Server Version: v1.33"
	check_contains "kubectl get namespaces" "$($K get namespaces 2>&1)" "default"
	check_contains "kubectl --as is impersonation" "$($K --as jane get pods 2>&1)" \
		'User "jane" cannot list'
	$K get namespaces -w >"$T_DIR/watch" 2>&1 &
	W=$!
	at_exit "kill $W 2>/dev/null"
	wait_for 10 grep -q default "$T_DIR/watch"
	check_contains "metrics count the open watch" "$(curl -s $ADMIN "$URL/metrics")" \
		"kdeck_http_open_streams 1"
fi

kill -TERM $PID
t0=$(date +%s); wait $PID; rc=$?; t1=$(date +%s)
check_eq "SIGTERM with an open watch: exit 0" $rc 0
check "stopped within 10 s" test $((t1 - t0)) -le 10
finish
