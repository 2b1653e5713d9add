# SPDX-License-Identifier: Apache-2.0
# Foreground cascading deletion down a chain with real kubectl on
# simulated nodes: `kubectl delete deployment --cascade=foreground` keeps
# the Deployment (foregroundDeletion finalizer) while its ReplicaSet is
# deleted in the foreground in turn, and both stay until the last pod
# with blockOwnerDeletion is gone (a finalizer holds one); then
# everything goes.  A pod without blockOwnerDeletion does not hold them.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 1
K() { "$KUBECTL" --request-timeout=10s "$@"; }

K create deployment web --image=nginx --replicas=2 >/dev/null
check "rollout" K rollout status deployment/web --timeout=30s
rs=$(K get rs -l app=web -o jsonpath='{.items[0].metadata.name}')
held=$(K get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
K patch pod "$held" --type=merge -p '{"metadata":{"finalizers":["example.com/hold"]}}' >/dev/null
check "foreground delete accepted" K delete deployment web --cascade=foreground --wait=false
wait_for 15 sh -c "$KUBECTL get pod $held -o jsonpath='{.metadata.deletionTimestamp}' | grep -q ."
check_contains "held pod terminating" "$(K get pod "$held" -o jsonpath='{.metadata.deletionTimestamp}')" "T"
sleep 3
check_eq "deployment waits (foregroundDeletion)" \
	"$(K get deployment web -o jsonpath='{.metadata.finalizers}')" '["foregroundDeletion"]'
check_eq "replicaset deleted in the foreground, waits too" \
	"$(K get rs "$rs" -o jsonpath='{.metadata.finalizers}')" '["foregroundDeletion"]'
check_contains "replicaset has a deletionTimestamp" "$(K get rs "$rs" -o jsonpath='{.metadata.deletionTimestamp}')" "T"
check_eq "the other pod is gone" "$(K get pods -l app=web -o jsonpath='{.items[*].metadata.name}')" "$held"
K patch pod "$held" --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null
wait_for 20 sh -c "! $KUBECTL get deployment web >/dev/null 2>&1"
check_contains "deployment gone once the chain is" "$(K get deployment web 2>&1)" NotFound
check_contains "replicaset gone" "$(K get rs "$rs" 2>&1)" NotFound

# blockOwnerDeletion false: the owner does not wait for that dependent
K create configmap owner >/dev/null
uid=$(K get configmap owner -o jsonpath='{.metadata.uid}')
K apply -f - >/dev/null <<Y
apiVersion: v1
kind: ConfigMap
metadata:
  name: loose
  finalizers: [example.com/hold]
  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner, uid: "$uid", blockOwnerDeletion: false}]
Y
check "foreground delete of the owner" K delete configmap owner --cascade=foreground --wait=false
wait_for 15 sh -c "! $KUBECTL get configmap owner >/dev/null 2>&1"
check_contains "owner gone without waiting for a non-blocking dependent" "$(K get configmap owner 2>&1)" NotFound
check_contains "the dependent is being deleted" "$(K get configmap loose -o jsonpath='{.metadata.deletionTimestamp}')" "T"
K patch configmap loose --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null
finish
