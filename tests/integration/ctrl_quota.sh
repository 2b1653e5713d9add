# SPDX-License-Identifier: Apache-2.0
# ResourceQuota and LimitRange with real kubectl on a simulated node:
# quota status (kubectl describe quota), creates over quota refused with
# Kubernetes' message, pods without limits refused when limits are
# quota'd, usage dropping after deletes, object counts; LimitRange
# defaults and the limit-ranger annotation in `kubectl get pod -o yaml`,
# min/max refusals; updates charged their increase (PVC resize, Service
# ports); the ReplicaSet's FailedCreate event when its pods are refused.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 1
K() { "$KUBECTL" --request-timeout=10s "$@"; }

pod() { # name cpu-limit memory-request
	cat <<Y
apiVersion: v1
kind: Pod
metadata: {name: $1}
spec:
  containers:
  - name: app
    image: busybox
    resources: {limits: {cpu: "$2"}, requests: {memory: $3}}
Y
}

K create namespace q >/dev/null
cat <<Y | K -n q apply -f - >/dev/null
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute}
spec:
  hard: {limits.cpu: "2", requests.memory: 1Gi, pods: "3", configmaps: "3"}
Y
wait_for 10 sh -c "[ -n \"\$($KUBECTL -n q get quota compute -o jsonpath='{.status.used.pods}')\" ]"
check_eq "status.hard" "$(K -n q get quota compute -o jsonpath='{.status.hard.limits\.cpu}/{.status.hard.requests\.memory}')" "2/1Gi"
check_eq "nothing used yet" "$(K -n q get quota compute -o jsonpath='{.status.used.pods}/{.status.used.limits\.cpu}')" "0/0"

pod a 1 256Mi | K -n q apply -f - >/dev/null
check "pod within quota" K -n q get pod a
out=$(pod b 2 256Mi | K -n q apply -f - 2>&1)
check_contains "exceeded quota message" "$out" \
	'pods "b" is forbidden: exceeded quota: compute, requested: limits.cpu=2, used: limits.cpu=1, limited: limits.cpu=2'
out=$(K -n q run nolimits --image=busybox 2>&1)
check_contains "limits required" "$out" \
	'pods "nolimits" is forbidden: failed quota: compute: must specify limits.cpu for: nolimits; requests.memory for: nolimits'
pod c 5 1Mi >"$T_DIR/c.yaml"
out=$(K -n q create -f "$T_DIR/c.yaml" -v=6 2>&1)
check_contains "403 Forbidden" "$out" "403 Forbidden"
check_contains "reason Forbidden" "$out" "Error from server (Forbidden)"

wait_for 10 sh -c "[ \"\$($KUBECTL -n q get quota compute -o jsonpath='{.status.used.limits\.cpu}')\" = 1 ]"
desc=$(K -n q describe quota compute)
check_contains "describe: limits.cpu" "$desc" "limits.cpu       1      2"
check_contains "describe: requests.memory" "$desc" "requests.memory  256Mi  1Gi"
check_contains "describe: pods" "$desc" "pods             1      3"

# kube-root-ca.crt counts too, as in Kubernetes: cm3 is already refused
for i in 1 2 3; do K -n q create configmap "cm$i" >/dev/null 2>&1; done
out=$(K -n q create configmap cm4 2>&1)
check_contains "object count quota" "$out" \
	'configmaps "cm4" is forbidden: exceeded quota: compute, requested: configmaps=1, used: configmaps=3, limited: configmaps=3'

K -n q delete pod a --grace-period=0 --force >/dev/null 2>&1
wait_for 15 sh -c "[ \"\$($KUBECTL -n q get quota compute -o jsonpath='{.status.used.limits\.cpu}')\" = 0 ]"
check_eq "usage drops after delete" "$(K -n q get quota compute -o jsonpath='{.status.used.limits\.cpu}/{.status.used.pods}')" "0/0"
pod b 2 256Mi | K -n q apply -f - >/dev/null
check "the refused pod fits now" K -n q get pod b

K -n q create deployment many --image=busybox >/dev/null
wait_for 30 sh -c "$KUBECTL -n q get events --field-selector reason=FailedCreate 2>&1 | grep -q 'must specify'"
out=$(K -n q get events --field-selector reason=FailedCreate 2>&1)
case $out in *"Error creating"*) ;; *) K -n q get deploy,rs,pods,quota -o wide 2>&1 | sed 's/^/# /' ;; esac
check_contains "ReplicaSet FailedCreate event" "$out" 'Error creating: pods "many-'
check_contains "FailedCreate reason" "$out" 'is forbidden: failed quota: compute: must specify limits.cpu for: busybox; requests.memory for: busybox'

# updates are charged their increase: PVC resize, Service type change
K create namespace u >/dev/null
K -n u create quota st --hard=requests.storage=3Gi,services.nodeports=1 >/dev/null
printf 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: d}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 2Gi}}\n' |
	K -n u apply -f - >/dev/null
out=$(K -n u patch pvc d --type=merge -p '{"spec":{"resources":{"requests":{"storage":"5Gi"}}}}' 2>&1)
check_contains "PVC resize over quota" "$out" \
	'persistentvolumeclaims "d" is forbidden: exceeded quota: st, requested: requests.storage=3Gi, used: requests.storage=2Gi, limited: requests.storage=3Gi'
K -n u create service clusterip s --tcp=80 >/dev/null
out=$(K -n u patch svc s --type=merge -p '{"spec":{"type":"NodePort","ports":[{"port":80,"targetPort":80},{"port":81,"targetPort":81,"name":"b"}]}}' 2>&1)
check_contains "NodePort change over quota" "$out" \
	'services "s" is forbidden: exceeded quota: st, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1'

# LimitRange in its own namespace
K create namespace lr >/dev/null
cat <<Y | K -n lr apply -f - >/dev/null
apiVersion: v1
kind: LimitRange
metadata: {name: limits}
spec:
  limits:
  - type: Container
    default: {cpu: 300m, memory: 128Mi}
    defaultRequest: {cpu: 100m}
    max: {cpu: 500m}
    min: {memory: 16Mi}
  - type: PersistentVolumeClaim
    min: {storage: 1Gi}
Y
check_eq "LimitRange defaults: defaultRequest from default" \
	"$(K -n lr get limitrange limits -o jsonpath='{.spec.limits[0].defaultRequest.memory}')" "128Mi"
K -n lr run web --image=busybox >/dev/null
y=$(K -n lr get pod web -o yaml)
check_contains "default cpu limit" "$(K -n lr get pod web -o jsonpath='{.spec.containers[0].resources.limits.cpu}')" "300m"
check_contains "default cpu request" "$(K -n lr get pod web -o jsonpath='{.spec.containers[0].resources.requests.cpu}')" "100m"
check_contains "annotation in yaml" "$y" "kubernetes.io/limit-ranger: 'LimitRanger plugin set"
check_eq "limit-ranger annotation" "$(K -n lr get pod web -o jsonpath='{.metadata.annotations.kubernetes\.io/limit-ranger}')" \
	"LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web"
check_eq "qos" "$(K -n lr get pod web -o jsonpath='{.status.qosClass}')" "Burstable"
out=$(K -n lr run big --image=busybox --overrides='{"spec":{"containers":[{"name":"big","image":"busybox","resources":{"limits":{"cpu":"1"},"requests":{"memory":"8Mi"}}}]}}' 2>&1)
check_contains "max and min refused" "$out" \
	'pods "big" is forbidden: [minimum memory usage per Container is 16Mi, but request is 8Mi, maximum cpu usage per Container is 500m, but limit is 1]'
out=$(cat <<Y | K -n lr apply -f - 2>&1
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: small}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 100Mi}}
Y
)
check_contains "PVC min refused" "$out" \
	'persistentvolumeclaims "small" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 100Mi'
finish
