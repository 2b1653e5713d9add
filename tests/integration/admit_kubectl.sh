# SPDX-License-Identifier: Apache-2.0
# Admission and validation with real clients (issue #3): kubectl shows the
# 422 Invalid messages of pod spec, Ingress, RBAC and PriorityClass rules
# as a real API server words them, the single globalDefault PriorityClass,
# nodePorts allocated and released when a Service changes type, tokens
# bound to a Pod or Secret refused once that object is gone or replaced,
# and the Python client reading Status.details.causes.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" curl

export HOME="$T_DIR/home"
start_cluster --no-node
k() { "$KUBECTL" "$@" 2>&1; }
V=--validate=false

# Pod spec rules, in a Pod and in a Deployment's template.
cat >"$T_DIR/pod.yaml" <<EOD
apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  containers:
  - name: c
    image: nginx
    livenessProbe: {httpGet: {port: 80}, successThreshold: 2}
EOD
check_contains "liveness successThreshold" "$(k create $V -f "$T_DIR/pod.yaml")" \
	'The Pod "bad" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'
cat >"$T_DIR/deploy.yaml" <<EOD
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: c
        image: nginx
        resources: {requests: {cpu: "2"}, limits: {cpu: "1"}}
EOD
check_contains "requests above limits" "$(k create $V -f "$T_DIR/deploy.yaml")" \
	'The Deployment "web" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'
cat >"$T_DIR/vol.yaml" <<EOD
apiVersion: v1
kind: Pod
metadata: {name: vol}
spec:
  volumes: [{name: data, emptyDir: {}, hostPath: {path: /tmp}}]
  containers: [{name: c, image: nginx, volumeMounts: [{name: nope, mountPath: /x}]}]
EOD
out=$(k create $V -f "$T_DIR/vol.yaml")
check_contains "two volume sources" "$out" 'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type'
check_contains "mount of an unknown volume" "$out" 'spec.containers[0].volumeMounts[0].name: Not found: "nope"'

# Ingress.
cat >"$T_DIR/ing.yaml" <<EOD
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing}
spec:
  rules:
  - host: 10.1.2.3
    http:
      paths:
      - path: /
        backend: {service: {name: web, port: {number: 80}}}
EOD
out=$(k create $V -f "$T_DIR/ing.yaml")
check_contains "ingress host IP" "$out" 'spec.rules[0].host: Invalid value: "10.1.2.3": must be a DNS name, not an IP address'
check_contains "ingress pathType" "$out" 'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'
sed -e 's/10.1.2.3/app.example.com/' -e 's/- path: \//- path: \/\n        pathType: Prefix/' "$T_DIR/ing.yaml" >"$T_DIR/ing2.yaml"
check_eq "valid ingress" "$(k create $V -f "$T_DIR/ing2.yaml")" "ingress.networking.k8s.io/ing created"

# RBAC content.
cat >"$T_DIR/role.yaml" <<EOD
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r}
rules: [{verbs: [get], nonResourceURLs: [/healthz]}]
EOD
check_contains "namespaced nonResourceURLs" "$(k create $V -f "$T_DIR/role.yaml")" \
	'The Role "r" is invalid: rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs'
check_eq "rolebinding" "$(k create rolebinding rb --clusterrole=view --user=jane)" "rolebinding.rbac.authorization.k8s.io/rb created"
check_contains "roleRef immutable" "$(k patch rolebinding rb --type=merge -p '{"roleRef":{"name":"edit"}}')" \
	'The RoleBinding "rb" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef'

# PriorityClass.
check_eq "default class" "$(k create priorityclass first --value=100 --global-default)" "priorityclass.scheduling.k8s.io/first created"
check_contains "second default" "$(k create priorityclass second --value=200 --global-default)" \
	'priorityclasses.scheduling.k8s.io "second" is forbidden: PriorityClass first is already marked as default. Only one default can exist'
check_contains "user value limit" "$(k create priorityclass huge --value=2000000000)" \
	'value: Forbidden: maximum allowed value of a user defined priority is 1000000000'
check_contains "system- prefix" "$(k create priorityclass system-mine --value=1)" \
	"metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class"
check_contains "value immutable" "$(k patch priorityclass first --type=merge -p '{"value":5}')" \
	'value: Forbidden: may not be changed in an update.'

# Service type changes allocate and release nodePorts.
check_eq "clusterip service" "$(k create service clusterip s1 --tcp=80:8080)" "service/s1 created"
k patch svc s1 --type=merge -p '{"spec":{"type":"NodePort"}}' >/dev/null
np=$(k get svc s1 -o jsonpath='{.spec.ports[0].nodePort}')
check "nodePort allocated on type change ($np)" test "${np:-0}" -ge 30000 -a "${np:-0}" -le 32767
check_eq "nodePort kept on a later update" "$(k label svc s1 x=y >/dev/null; k get svc s1 -o jsonpath='{.spec.ports[0].nodePort}')" "$np"
k get svc s1 -o json | sed '/"nodePort"/d' >"$T_DIR/s1.json"
check_eq "replace without nodePort" "$(k replace -f "$T_DIR/s1.json")" "service/s1 replaced"
check_eq "nodePort kept by a replace" "$(k get svc s1 -o jsonpath='{.spec.ports[0].nodePort}')" "$np"
check_contains "explicit nodePort conflict" "$(k create service nodeport s2 --tcp=80:8080 --node-port="$np")" \
	"spec.ports[0].nodePort: Invalid value: $np: provided port is already allocated"
k patch svc s1 --type=merge -p '{"spec":{"type":"ClusterIP"}}' >/dev/null
check_eq "nodePort released on ClusterIP" "$(k get svc s1 -o jsonpath='{.spec.ports[0].nodePort}')" ""
check_eq "released port reusable" "$(k create service nodeport s2 --tcp=80:8080 --node-port="$np")" "service/s2 created"

# Tokens bound to a Pod or a Secret.
whoami_code() {
	curl -s -o /dev/null -w '%{http_code}' --cacert "$D/pki/ca.crt" \
		-H "Authorization: Bearer $1" "$URL/api/v1/namespaces/default/pods"
}
check_eq "pod" "$(k run tok --image=nginx)" "pod/tok created"
tok=$(k create token default --bound-object-kind=Pod --bound-object-name=tok)
check "pod-bound token authenticates" test "$(whoami_code "$tok")" != 401
check_contains "bound to another SA's pod refused" \
	"$(k create sa other >/dev/null; k create token other --bound-object-kind=Pod --bound-object-name=tok)" \
	'cannot bind token for serviceaccount "other" to pod running with different serviceaccount name.'
k delete pod tok --grace-period=0 --force >/dev/null 2>&1
wait_for 10 sh -c "! '$KUBECTL' get pod tok >/dev/null 2>&1"
check_eq "token of a deleted pod refused" "$(whoami_code "$tok")" "401"
k run tok --image=nginx >/dev/null
check_eq "token of a replaced pod refused" "$(whoami_code "$tok")" "401"
k create secret generic bound --from-literal=a=b >/dev/null
stok=$(k create token default --bound-object-kind=Secret --bound-object-name=bound)
check "secret-bound token authenticates" test "$(whoami_code "$stok")" != 401
k delete secret bound >/dev/null
check_eq "token of a deleted secret refused" "$(whoami_code "$stok")" "401"

# The Python client gets the causes.
PY=
for p in python3 /usr/bin/python3; do
	"$p" -c 'import kubernetes' 2>/dev/null && { PY=$p; break; }
done
if [ -n "$PY" ]; then
	cat >"$T_DIR/t.py" <<'EOP'
import json, sys
from kubernetes import client, config
from kubernetes.client.rest import ApiException
config.load_kube_config(sys.argv[1])
v1 = client.CoreV1Api()
c = client.V1Container(name="c", image="nginx", ports=[client.V1ContainerPort(container_port=70000, name="8080")])
pod = client.V1Pod(metadata=client.V1ObjectMeta(name="py"), spec=client.V1PodSpec(containers=[c], dns_policy="Google"))
try:
    v1.create_namespaced_pod("default", pod)
    print("created?!")
except ApiException as e:
    st = json.loads(e.body)
    print(e.status, st["reason"], st["details"]["kind"], st["details"]["name"])
    for cause in st["details"]["causes"]:
        print(cause["reason"], cause["field"], cause["message"])
EOP
	out=$("$PY" "$T_DIR/t.py" "$KUBECONFIG" 2>&1)
	check_contains "python: 422 Invalid" "$out" "422 Invalid Pod py"
	check_contains "python: port name cause" "$out" 'FieldValueInvalid spec.containers[0].ports[0].name Invalid value: "8080": must contain at least one letter (a-z)'
	check_contains "python: port number cause" "$out" 'FieldValueInvalid spec.containers[0].ports[0].containerPort Invalid value: 70000: must be between 1 and 65535, inclusive'
	check_contains "python: dnsPolicy cause" "$out" 'FieldValueNotSupported spec.dnsPolicy Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'
fi
finish
