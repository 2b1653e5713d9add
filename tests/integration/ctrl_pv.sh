# SPDX-License-Identifier: Apache-2.0
# Persistent volumes with real kubectl on simulated nodes: the default
# StorageClass, WaitForFirstConsumer (a claim stays Pending until a pod
# using it is on a node), the local-path provisioner (directory under the
# data dir), reclaim Delete (volume and directory removed with the claim)
# and Retain (Released, kept), and a static volume bound by class, size
# and access modes.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 1
K() { "$KUBECTL" --request-timeout=10s "$@"; }

wait_for 10 sh -c "$KUBECTL get storageclass standard >/dev/null 2>&1"
check_eq "default storage class" \
	"$(K get sc standard -o jsonpath='{.metadata.annotations.storageclass\.kubernetes\.io/is-default-class}')" "true"
check_eq "class" "$(K get sc standard -o jsonpath='{.provisioner}/{.volumeBindingMode}/{.reclaimPolicy}')" \
	"kdeck.io/local-path/WaitForFirstConsumer/Delete"

claim() { # name [class]
	cat <<Y
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: $1}
spec:
  ${2:-}
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 2Gi}}
Y
}
pod() { # name claim
	cat <<Y
apiVersion: v1
kind: Pod
metadata: {name: $1}
spec:
  containers: [{name: c, image: busybox}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: $2}}]
Y
}

claim data | K apply -f - >/dev/null
sleep 2
check_eq "pending until a consumer" "$(K get pvc data -o jsonpath='{.status.phase}/{.spec.storageClassName}')" "Pending/standard"
pod user data | K apply -f - >/dev/null
wait_for 20 sh -c "[ \"\$($KUBECTL get pvc data -o jsonpath='{.status.phase}')\" = Bound ]"
check_eq "bound" "$(K get pvc data -o jsonpath='{.status.phase}')" "Bound"
pv=$(K get pvc data -o jsonpath='{.spec.volumeName}')
check_eq "volume named after the claim" "$pv" "pvc-$(K get pvc data -o jsonpath='{.metadata.uid}')"
check_eq "selected node" "$(K get pvc data -o jsonpath='{.metadata.annotations.volume\.kubernetes\.io/selected-node}')" "kdeck-sim-1"
check_eq "volume bound" "$(K get pv "$pv" -o jsonpath='{.status.phase}/{.spec.claimRef.name}/{.spec.capacity.storage}')" "Bound/data/2Gi"
check_eq "claim capacity" "$(K get pvc data -o jsonpath='{.status.capacity.storage}')" "2Gi"
check "directory under the data dir" test -d "$D/volumes/$pv"
check_eq "hostPath" "$(K get pv "$pv" -o jsonpath='{.spec.hostPath.path}')" "$D/volumes/$pv"
check_eventually "ProvisioningSucceeded" "Successfully provisioned volume $pv" K get events --field-selector reason=ProvisioningSucceeded

K delete pod user --wait=false >/dev/null
K delete pvc data --wait=false >/dev/null
wait_for 15 sh -c "! $KUBECTL get pv $pv >/dev/null 2>&1"
check "Delete: volume removed" sh -c "! $KUBECTL get pv $pv >/dev/null 2>&1"
check "Delete: directory removed" test ! -e "$D/volumes/$pv"

K apply -f - >/dev/null <<'Y'
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: keep}
provisioner: kdeck.io/local-path
reclaimPolicy: Retain
volumeBindingMode: Immediate
Y
claim kept "storageClassName: keep" | K apply -f - >/dev/null
wait_for 15 sh -c "[ \"\$($KUBECTL get pvc kept -o jsonpath='{.status.phase}')\" = Bound ]"
check_eq "Immediate: bound without a consumer" "$(K get pvc kept -o jsonpath='{.status.phase}')" "Bound"
kpv=$(K get pvc kept -o jsonpath='{.spec.volumeName}')
K delete pvc kept --wait=false >/dev/null
wait_for 15 sh -c "[ \"\$($KUBECTL get pv $kpv -o jsonpath='{.status.phase}')\" = Released ]"
check_eq "Retain: released" "$(K get pv "$kpv" -o jsonpath='{.status.phase}')" "Released"
check "Retain: directory kept" test -d "$D/volumes/$kpv"

K apply -f - >/dev/null <<'Y'
apiVersion: v1
kind: PersistentVolume
metadata: {name: static-5g}
spec:
  storageClassName: manual
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /tmp/static-5g}
Y
wait_for 10 sh -c "[ \"\$($KUBECTL get pv static-5g -o jsonpath='{.status.phase}')\" = Available ]"
check_eq "static volume available" "$(K get pv static-5g -o jsonpath='{.status.phase}')" "Available"
claim small "storageClassName: manual" | K apply -f - >/dev/null
wait_for 15 sh -c "[ \"\$($KUBECTL get pvc small -o jsonpath='{.status.phase}')\" = Bound ]"
check_eq "static binding" "$(K get pvc small -o jsonpath='{.spec.volumeName}/{.status.phase}')" "static-5g/Bound"
check_eq "bind-completed" "$(K get pvc small -o jsonpath='{.metadata.annotations.pv\.kubernetes\.io/bind-completed}')" "yes"
finish
