# SPDX-License-Identifier: Apache-2.0
# The action subresources with real clients: TokenRequest through
# `kubectl create token` (the token authenticates as the ServiceAccount,
# durations and audiences are checked) and pods/binding (201, PodScheduled,
# a second binding conflicts, bad targets are rejected).
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node
K() { "$KUBECTL" --request-timeout=10s "$@"; }

# --- discovery lists the action subresources ---
disc=$(K get --raw /api/v1)
for sub in pods/binding pods/log serviceaccounts/token; do
	check_contains "discovery lists $sub" "$disc" "\"name\":\"$sub\""
done
check_contains "token's kind is TokenRequest" "$disc" '"name":"serviceaccounts/token","singularName":"","namespaced":true,"group":"authentication.k8s.io","version":"v1","kind":"TokenRequest"'
agg=$(curl -s --cacert "$D/pki/ca.crt" --cert "$D/pki/admin.crt" --key "$D/pki/admin.key" \
	-H 'Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' "$URL/api")
check_contains "aggregated discovery lists pods/log" "$agg" '"subresource":"log"'

# --- TokenRequest ---
K create serviceaccount robot >/dev/null
wait_for 10 K get serviceaccount default
tok=$(K create token robot 2>"$T_DIR/tokerr")
check_contains "create token gives a JWT" "$tok" "eyJ"
check_eq "the token is the ServiceAccount" \
	"$(K --token="$tok" --kubeconfig=/dev/null --server="$URL" \
		--certificate-authority="$D/pki/ca.crt" auth whoami -o jsonpath='{.status.userInfo.username}')" \
	"system:serviceaccount:default:robot"
out=$(K --token="$tok" --kubeconfig=/dev/null --server="$URL" \
	--certificate-authority="$D/pki/ca.crt" get secrets 2>&1)
check_contains "the token has the ServiceAccount's rights" "$out" \
	'User "system:serviceaccount:default:robot" cannot list resource "secrets"'
K delete serviceaccount robot >/dev/null
out=$(K --token="$tok" --kubeconfig=/dev/null --server="$URL" \
	--certificate-authority="$D/pki/ca.crt" get pods 2>&1)
check_contains "the token of a deleted ServiceAccount is refused" "$out" "Unauthorized"
K create serviceaccount robot >/dev/null
out=$(K --token="$tok" --kubeconfig=/dev/null --server="$URL" \
	--certificate-authority="$D/pki/ca.crt" get pods 2>&1)
check_contains "... and stays refused once it is recreated (new uid)" "$out" "Unauthorized"
out=$(K create token robot --duration=1m 2>&1)
check_contains "too short a duration is refused" "$out" \
	"may not specify a duration less than 10 minutes"
out=$(K create token nobody-here 2>&1)
check_contains "a missing ServiceAccount is NotFound" "$out" \
	'serviceaccounts "nobody-here" not found'
tr=$(K create token robot --duration=2h --audience=vault -o json)
check_eq "TokenRequest echoes audiences and duration" \
	"$(printf '%s' "$tr" | python3 -c 'import json,sys; t=json.load(sys.stdin); print(t["spec"]["audiences"], t["spec"]["expirationSeconds"], t["kind"])')" \
	"['vault'] 7200 TokenRequest"
aud=$(printf '%s' "$tr" | python3 -c '
import base64, json, sys
t = json.load(sys.stdin)["status"]["token"].split(".")[1]
c = json.loads(base64.urlsafe_b64decode(t + "=" * (-len(t) % 4)))
print(c["aud"], c["exp"] - c["iat"], c["sub"])')
check_eq "claims: audience, lifetime, subject" "$aud" \
	"['vault'] 7200 system:serviceaccount:default:robot"
out=$(K --token="$(printf '%s' "$tr" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["token"])')" \
	--kubeconfig=/dev/null --server="$URL" --certificate-authority="$D/pki/ca.crt" \
	get pods 2>&1)
check_contains "a token for another audience does not authenticate" "$out" "Unauthorized"
py=$(/usr/bin/python3 - "$KUBECONFIG" <<'PY'
import sys
from kubernetes import client, config
config.load_kube_config(sys.argv[1])
v1 = client.CoreV1Api()
body = client.AuthenticationV1TokenRequest(spec=client.V1TokenRequestSpec(
    audiences=["api"], expiration_seconds=3600))
r = v1.create_namespaced_service_account_token("robot", "default", body)
print(r.status.token.count("."), r.spec.expiration_seconds)
PY
)
check_eq "python client TokenRequest" "$py" "2 3600"

# --- ServiceAccount admission and kube-root-ca.crt ---
check_eq "kube-root-ca.crt holds the cluster CA" \
	"$(K get cm kube-root-ca.crt -o jsonpath='{.data.ca\.crt}')" "$(cat "$D/pki/ca.crt")"
K create namespace later >/dev/null
check "a new namespace gets kube-root-ca.crt" wait_for 10 "$KUBECTL" get cm kube-root-ca.crt -n later
K run withsa --image=busybox:1.36 --restart=Never >/dev/null
check_contains "a new pod gets the kube-api-access volume" \
	"$(K get pod withsa -o jsonpath='{.spec.volumes[*].name} {.spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds}')" \
	"kube-api-access-"
check_eq "... mounted read-only where client libraries look" \
	"$(K get pod withsa -o jsonpath='{.spec.containers[0].volumeMounts[0].mountPath} {.spec.containers[0].volumeMounts[0].readOnly}')" \
	"/var/run/secrets/kubernetes.io/serviceaccount true"
K run nosa --image=busybox:1.36 --restart=Never \
	--overrides='{"spec":{"automountServiceAccountToken":false}}' >/dev/null
check_eq "automountServiceAccountToken: false gets none" \
	"$(K get pod nosa -o jsonpath='{.spec.volumes}')" ""
# The ServiceAccount's own automountServiceAccountToken and imagePullSecrets.
K create serviceaccount quiet >/dev/null
K patch serviceaccount quiet --type=merge \
	-p '{"automountServiceAccountToken":false,"imagePullSecrets":[{"name":"regcred"}]}' >/dev/null
K run quietpod --image=busybox:1.36 --restart=Never \
	--overrides='{"spec":{"serviceAccountName":"quiet"}}' >/dev/null
check_eq "the ServiceAccount's automount false: no volume" \
	"$(K get pod quietpod -o jsonpath='{.spec.volumes}')" ""
check_eq "... its imagePullSecrets copied" \
	"$(K get pod quietpod -o jsonpath='{.spec.imagePullSecrets[0].name}')" "regcred"
K run loudpod --image=busybox:1.36 --restart=Never \
	--overrides='{"spec":{"serviceAccountName":"quiet","automountServiceAccountToken":true}}' >/dev/null
check_contains "the pod's true wins over the ServiceAccount's false" \
	"$(K get pod loudpod -o jsonpath='{.spec.volumes[*].name}')" "kube-api-access-"
out=$(K run ghost --image=busybox:1.36 --restart=Never \
	--overrides='{"spec":{"serviceAccountName":"nobody"}}' 2>&1)
check_contains "a missing ServiceAccount is refused" "$out" \
	'pods "ghost" is forbidden: error looking up service account default/nobody: serviceaccount "nobody" not found'

# --- pods/binding ---
K run lonely --image=busybox:1.36 --restart=Never >/dev/null
check_eq "no node: the pod is unscheduled" \
	"$(K get pod lonely -o jsonpath='{.spec.nodeName}')" ""
bind() {
	curl -s -o "$T_DIR/bind.json" -w '%{http_code}' \
		--cacert "$D/pki/ca.crt" --cert "$D/pki/admin.crt" --key "$D/pki/admin.key" \
		-H 'Content-Type: application/json' -X POST \
		"$URL/api/v1/namespaces/default/pods/lonely/binding" -d "$1"
}
check_eq "binding without a target is Invalid" \
	"$(bind '{"apiVersion":"v1","kind":"Binding","metadata":{"name":"lonely"},"target":{}}')" 422
check_eq "binding answers 201" \
	"$(bind '{"apiVersion":"v1","kind":"Binding","metadata":{"name":"lonely"},"target":{"kind":"Node","name":"n1"}}')" 201
check_contains "binding answers a Success Status" "$(cat "$T_DIR/bind.json")" '"status":"Success"'
check_eq "the pod is bound" "$(K get pod lonely -o jsonpath='{.spec.nodeName}')" n1
check_eq "PodScheduled is True" \
	"$(K get pod lonely -o jsonpath='{.status.conditions[?(@.type=="PodScheduled")].status}')" True
check_eq "a second binding conflicts" \
	"$(bind '{"apiVersion":"v1","kind":"Binding","metadata":{"name":"lonely"},"target":{"kind":"Node","name":"n2"}}')" 409
check_contains "the conflict says where it is" "$(cat "$T_DIR/bind.json")" 'is already assigned to node \"n1\"'
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$D/pki/ca.crt" \
	--cert "$D/pki/admin.crt" --key "$D/pki/admin.key" \
	"$URL/api/v1/namespaces/default/pods/lonely/binding")
check_eq "GET on binding is not allowed" "$code" 405
finish
