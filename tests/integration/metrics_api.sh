# SPDX-License-Identifier: Apache-2.0
# metrics.k8s.io with real `kubectl top` and the Python client (root, cgroup
# v1 controllers cpuacct and memory): the test makes a pod's container
# cgroup itself where the runtime would (kdeck/pod<UID>/<UID>_c_0), puts a
# busy process holding ~64 MiB in it, and expects the figures back, plus
# the node's, discovery, get/list, NotFound and RBAC.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"
[ "$(id -u)" = 0 ] || skip "needs root (cgroups)"
CG=/sys/fs/cgroup
[ -d "$CG/cpuacct" ] && [ -d "$CG/memory" ] ||
	skip "needs cgroup v1 cpuacct and memory controllers (v2 is read by the code, not set up here)"

export HOME="$T_DIR/home"
start_cluster
K() { "$KUBECTL" --request-timeout=10s "$@"; }

NODE=$(hostname | tr 'A-Z' 'a-z')
# The node agent registers the Node; without it (or before it did), make it.
if ! wait_for 2 "$KUBECTL" get node "$NODE"; then
	printf 'apiVersion: v1\nkind: Node\nmetadata: {name: "%s", labels: {kdeck-test: metrics}}\n' "$NODE" |
		K create -f - >/dev/null 2>&1
fi
check "the node exists" K get node "$NODE"

POD=metrics-$$
cat >"$T_DIR/pod.yaml" <<EOF
apiVersion: v1
kind: Pod
metadata: {name: $POD, labels: {app: busy}}
spec:
  nodeName: "$NODE"
  containers: [{name: c, image: kdeck-test.invalid/none:1}]
EOF
K apply -f "$T_DIR/pod.yaml" >/dev/null || die "cannot create the pod"
UID_=$(K get pod "$POD" -o jsonpath='{.metadata.uid}')
REL="kdeck/pod$UID_/${UID_}_c_0"
for c in cpuacct memory; do
	[ -d "$CG/$c/kdeck" ] || { mkdir "$CG/$c/kdeck" && at_exit "rmdir '$CG/$c/kdeck' 2>/dev/null"; }
	mkdir -p "$CG/$c/$REL" || die "cannot make $CG/$c/$REL"
	at_exit "rmdir '$CG/$c/kdeck/pod$UID_' 2>/dev/null"
	at_exit "rmdir '$CG/$c/$REL' 2>/dev/null"
done
sh -c "echo \$\$ >'$CG/cpuacct/$REL/cgroup.procs' && echo \$\$ >'$CG/memory/$REL/cgroup.procs' &&
	exec python3 -c 'b = bytearray(b\"x\") * (64 << 20)
open(\"$T_DIR/allocated\", \"w\").close()
while True: pass'" &
BUSY=$!
at_exit "kill $BUSY 2>/dev/null; wait $BUSY 2>/dev/null"
wait_for 20 test -e "$T_DIR/allocated" || die "the busy process did not start"

wait_for 30 sh -c "$KUBECTL top pod $POD --no-headers 2>/dev/null | grep -q $POD"
TOP=$(K top pod "$POD" --no-headers 2>&1)
check_contains "kubectl top pod lists the pod" "$TOP" "$POD"
CPU=$(echo "$TOP" | awk '{print $2}' | tr -d m)
MEM=$(echo "$TOP" | awk '{print $3}' | tr -d Mi)
check "busy container uses CPU ($CPU m)" test "${CPU:-0}" -gt 100
check "memory near the 64 MiB allocated ($MEM Mi)" sh -c "[ ${MEM:-0} -ge 60 ] && [ ${MEM:-0} -le 160 ]"
check_contains "kubectl top pod --containers" "$(K top pod "$POD" --containers --no-headers 2>&1)" "$POD   c"
check_contains "label selector" "$(K top pod -l app=busy --no-headers 2>&1)" "$POD"
check_contains "label selector excludes" "$(K top pod -l app=other 2>&1)" "No resources found"
wait_for 30 sh -c "$KUBECTL top node $NODE --no-headers 2>/dev/null | grep -q $NODE"
check_contains "kubectl top node" "$(K top node --no-headers 2>&1)" "$NODE"

check_contains "discovery" "$(K api-resources --api-group=metrics.k8s.io --no-headers 2>&1)" "PodMetrics"
check_contains "get podmetrics" "$(K get --raw "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/$POD")" '"containers":[{"name":"c"'
check_contains "get nodemetrics" "$(K get --raw "/apis/metrics.k8s.io/v1beta1/nodes/$NODE")" '"kind":"NodeMetrics"'
check_contains "not found" "$(K get --raw /apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope 2>&1)" \
	'podmetrics.metrics.k8s.io "default/nope" not found'
check_contains "read-only" "$(K delete --raw "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/$POD" 2>&1)" \
	'MethodNotAllowed'
check_eq "RBAC applies" "$(K auth can-i list pods.metrics.k8s.io --as=system:serviceaccount:default:default 2>&1)" "no"

OUT=$("$PY" - "$KUBECONFIG" "$POD" <<'EOP' 2>&1
import sys
try:
    from kubernetes import client, config
except ImportError:
    print("skip"); sys.exit(0)
config.load_kube_config(sys.argv[1])
items = client.CustomObjectsApi().list_cluster_custom_object("metrics.k8s.io", "v1beta1", "pods")["items"]
print([i["containers"][0]["name"] for i in items if i["metadata"]["name"] == sys.argv[2]])
EOP
)
[ "$OUT" = skip ] || check_eq "python client lists pod metrics" "$OUT" "['c']"
finish
