# SPDX-License-Identifier: Apache-2.0
# Garbage collection and namespace deletion with real kubectl on simulated
# nodes: Endpoints/EndpointSlice of a Service; deleting a Deployment removes its ReplicaSets and Pods
# (background propagation); deleting a namespace removes its content and
# then the namespace itself.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 1
K() { "$KUBECTL" --request-timeout=10s "$@"; }

K create deployment web --image=nginx --replicas=2 >/dev/null
check "rollout status" K rollout status deployment/web --timeout=20s
K expose deployment web --port=80 --target-port=8080 >/dev/null
wait_for 10 sh -c "[ \$($KUBECTL get endpoints web -o jsonpath='{.subsets[0].addresses[*].ip}' | wc -w) = 2 ]"
check_contains "endpoints of the service" "$(K get endpoints web -o jsonpath='{.subsets[0].addresses[*].ip}:{.subsets[0].ports[0].port}')" "10.244."
check_contains "endpoints port" "$(K get endpoints web -o jsonpath='{.subsets[0].ports[0].port}')" "8080"
check_eq "endpointslice" "$(K get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{.items[0].addressType}/{.items[0].endpoints[0].conditions.ready}/{.items[0].ports[0].port}')" "IPv4/true/8080"
check "cascading delete" K delete deployment web --timeout=20s
wait_for 15 sh -c "[ -z \"\$($KUBECTL get rs,pods -l app=web --no-headers 2>/dev/null)\" ]"
check_eq "replicasets and pods gone" "$(K get rs,pods -l app=web --no-headers 2>&1)" "No resources found in default namespace."

K create namespace doomed >/dev/null
K -n doomed create deployment app --image=nginx --replicas=2 >/dev/null
K -n doomed create configmap cfg --from-literal=a=b >/dev/null
check "rollout status in doomed" K -n doomed rollout status deployment/app --timeout=20s
check "delete namespace" K delete namespace doomed --timeout=30s
check_contains "namespace gone" "$(K get namespace doomed 2>&1)" "NotFound"
check_eq "content gone" "$(K -n doomed get all,configmaps --no-headers 2>&1 | grep -v '^No resources')" ""
finish
