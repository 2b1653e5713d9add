# SPDX-License-Identifier: Apache-2.0
# Cascading deletion with real kubectl on a simulated node: --cascade=
# foreground (the owner stays with deletionTimestamp and the
# foregroundDeletion finalizer until its blocking dependents are gone),
# orphan (dependents lose their ownerReference and stay) and background;
# the ReplicationController's own default (orphan) through a bare DELETE.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 1
K() { "$KUBECTL" --request-timeout=10s "$@"; }

# --- foreground, with a blocking dependent held by a finalizer ---
K create deployment fg --image=nginx --replicas=2 >/dev/null
check "rollout fg" K rollout status deployment/fg --timeout=20s
uid=$(K get deployment fg -o jsonpath='{.metadata.uid}')
cat >"$T_DIR/hold.yaml" <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: hold
  finalizers: ["example.com/hold"]
  ownerReferences:
  - apiVersion: apps/v1
    kind: Deployment
    name: fg
    uid: $uid
    blockOwnerDeletion: true
data: {a: b}
YAML
K apply -f "$T_DIR/hold.yaml" >/dev/null
check "delete --cascade=foreground --wait=false" K delete deployment fg --cascade=foreground --wait=false
check_contains "owner keeps the foregroundDeletion finalizer" \
	"$(K get deployment fg -o jsonpath='{.metadata.finalizers}')" "foregroundDeletion"
check "owner has a deletionTimestamp" test -n "$(K get deployment fg -o jsonpath='{.metadata.deletionTimestamp}')"
wait_for 15 sh -c "[ -z \"\$($KUBECTL get rs,pods -l app=fg --no-headers 2>/dev/null)\" ]"
check_eq "replicasets and pods of fg gone" "$(K get rs,pods -l app=fg --no-headers 2>&1)" "No resources found in default namespace."
check "blocking dependent marked for deletion" test -n "$(K get configmap hold -o jsonpath='{.metadata.deletionTimestamp}')"
sleep 2
check "owner still waits for it" K get deployment fg
K patch configmap hold --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null
wait_for 15 sh -c "! $KUBECTL get deployment fg >/dev/null 2>&1"
check_contains "owner gone once the dependent went" "$(K get deployment fg 2>&1)" "NotFound"

# kubectl waits for the foreground deletion to finish.
K create deployment fg2 --image=nginx --replicas=2 >/dev/null
check "rollout fg2" K rollout status deployment/fg2 --timeout=20s
check "delete --cascade=foreground waits" K delete deployment fg2 --cascade=foreground --timeout=30s
check_eq "fg2 and its dependents gone" "$(K get deploy,rs,pods -l app=fg2 --no-headers 2>&1)" "No resources found in default namespace."

# --- orphan ---
K create deployment orph --image=nginx --replicas=2 >/dev/null
check "rollout orph" K rollout status deployment/orph --timeout=20s
rs=$(K get rs -l app=orph -o jsonpath='{.items[0].metadata.name}')
check "delete --cascade=orphan" K delete deployment orph --cascade=orphan --timeout=20s
check_contains "deployment gone" "$(K get deployment orph 2>&1)" "NotFound"
check_eq "replicaset kept, without owner" "$(K get rs "$rs" -o jsonpath='{.metadata.name}:{.metadata.ownerReferences}')" "$rs:"
sleep 2
check_eq "pods kept" "$(K get pods -l app=orph --no-headers | wc -l | tr -d ' ')" "2"
check_eq "pods still owned by the replicaset" \
	"$(K get pods -l app=orph -o jsonpath='{.items[*].metadata.ownerReferences[0].name}')" "$rs $rs"

# --- background ---
check "delete rs (background)" K delete rs "$rs" --cascade=background --timeout=20s
wait_for 15 sh -c "[ -z \"\$($KUBECTL get pods -l app=orph --no-headers 2>/dev/null)\" ]"
check_eq "pods gone in the background" "$(K get pods -l app=orph --no-headers 2>&1)" "No resources found in default namespace."

# --- defaults per kind and the raw API ---
# (no ReplicationController controller here: its dependent is a bare pod)
cat >"$T_DIR/rc.yaml" <<'YAML'
apiVersion: v1
kind: ReplicationController
metadata: {name: rc1}
spec:
  replicas: 0
  selector: {app: rc1}
  template:
    metadata: {labels: {app: rc1}}
    spec: {containers: [{name: c, image: nginx}]}
YAML
K apply -f "$T_DIR/rc.yaml" >/dev/null
dependent() { # name owner-kind owner-apiversion owner-name
	ouid=$(K get "$2" "$4" -o jsonpath='{.metadata.uid}')
	cat <<YAML | K apply -f - >/dev/null
apiVersion: v1
kind: ConfigMap
metadata:
  name: $1
  labels: {dep: "yes"}
  ownerReferences: [{apiVersion: $3, kind: $2, name: $4, uid: $ouid}]
YAML
}
dependent of-rc ReplicationController v1 rc1
check "bare DELETE of a ReplicationController" K delete --raw /api/v1/namespaces/default/replicationcontrollers/rc1
wait_for 10 sh -c "! $KUBECTL get rc rc1 >/dev/null 2>&1"
wait_for 10 sh -c "[ -z \"\$($KUBECTL get configmap of-rc -o jsonpath='{.metadata.ownerReferences}')\" ]"
check_eq "its dependent is orphaned (core/v1 default)" \
	"$(K get configmap of-rc -o jsonpath='{.metadata.name}:{.metadata.ownerReferences}')" "of-rc:"
K create configmap owner1 >/dev/null
dependent of-owner1 ConfigMap v1 owner1
CURL() { curl -s --cacert "$D/pki/ca.crt" --cert "$D/pki/admin.crt" --key "$D/pki/admin.key" "$@"; }
CURL -X DELETE -H 'Content-Type: application/json' -d '{"orphanDependents":true}' \
	"$URL/api/v1/namespaces/default/configmaps/owner1" >/dev/null
wait_for 10 sh -c "! $KUBECTL get configmap owner1 >/dev/null 2>&1"
check_eq "orphanDependents=true orphans" \
	"$(K get configmap of-owner1 -o jsonpath='{.metadata.name}:{.metadata.ownerReferences}')" "of-owner1:"
K create configmap owner2 >/dev/null
dependent of-owner2 ConfigMap v1 owner2
CURL -X DELETE "$URL/api/v1/namespaces/default/configmaps/owner2" >/dev/null
wait_for 10 sh -c "! $KUBECTL get configmap of-owner2 >/dev/null 2>&1"
check_contains "other kinds default to background" "$(K get configmap of-owner2 2>&1)" "NotFound"
check_contains "both policies at once are refused" \
	"$(CURL -X DELETE -H 'Content-Type: application/json' -d '{"orphanDependents":true,"propagationPolicy":"Orphan"}' \
	"$URL/api/v1/namespaces/default/configmaps/of-rc")" "cannot be both set"
check_contains "an unknown policy is refused" \
	"$(CURL -X DELETE \
	"$URL/api/v1/namespaces/default/pods/x?propagationPolicy=Sideways")" 'Unsupported value: \"Sideways\"'
finish
