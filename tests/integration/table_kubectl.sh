# SPDX-License-Identifier: Apache-2.0
# Server-side Table columns as real kubectl prints them: storage,
# networking, policy and RBAC kinds, and -o wide columns.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node
K() { "$KUBECTL" --request-timeout=10s "$@"; }
header() { K get "$@" 2>&1 | head -n 1 | tr -s ' '; }
row() { K get "$@" --no-headers 2>&1 | head -n 1 | tr -s ' '; }

K apply -f - >/dev/null <<'YAML'
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: example.com/fast
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: fast
  resources: {requests: {storage: 1Gi}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - host: shop.example
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: readers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
- {kind: ServiceAccount, name: robot, namespace: default}
YAML

check_eq "storageclass header" "$(header storageclass)" \
	"NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE"
check_contains "default class is marked" "$(row storageclass fast)" \
	"fast (default) example.com/fast Delete WaitForFirstConsumer true"
check_eq "pvc header" "$(header pvc)" \
	"NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE"
check_eq "ingress header" "$(header ingress)" "NAME CLASS HOSTS ADDRESS PORTS AGE"
check_contains "ingress row" "$(row ingress web)" "web <none> shop.example 80"
check_eq "pdb header" "$(header pdb)" \
	"NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE"
check_contains "pdb row" "$(row pdb web)" "web N/A 1 0"
check_eq "rolebinding wide header" "$(header rolebinding -o wide)" \
	"NAME ROLE AGE USERS GROUPS SERVICEACCOUNTS"
check_contains "rolebinding wide row" "$(row rolebinding readers -o wide)" \
	"ClusterRole/view"
check_contains "rolebinding subjects" "$(row rolebinding readers -o wide)" \
	"alice default/robot"
K create -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Event
metadata: {name: web.1}
type: Warning
reason: BackOff
message: Back-off restarting failed container
count: 3
source: {component: kubelet, host: node1}
involvedObject: {kind: Pod, name: web, namespace: default, fieldPath: "spec.containers{app}"}
firstTimestamp: "2026-01-01T00:00:00Z"
lastTimestamp: "2026-01-01T00:00:00Z"
YAML
check_eq "events wide header" "$(header events -o wide)" \
	"LAST SEEN TYPE REASON OBJECT SUBOBJECT SOURCE MESSAGE FIRST SEEN COUNT NAME"
check_contains "events wide row" "$(row events -o wide)" \
	"Warning BackOff pod/web spec.containers{app} kubelet, node1 Back-off restarting failed container"
check_contains "events wide row count and name" "$(row events -o wide)" " 3 web.1"
finish
