# SPDX-License-Identifier: Apache-2.0
# The REST API with real kubectl against `kdeck cluster up --no-node --foreground`:
# discovery (api-resources), create/get/list/update/patch/delete of
# namespaces, configmaps, secrets, services, deployments and pods, Table
# columns, selectors, get all, watch, scale, apply, namespace lifecycle,
# Status errors, auth reviews.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" curl

export HOME="$T_DIR/home"
start_cluster --no-node
k() { "$KUBECTL" "$@" 2>&1; }
V=--validate=false

# Discovery and bootstrap.
check "api-resources lists deployments" sh -c "'$KUBECTL' api-resources | grep -Eq '^deployments +deploy +apps/v1 +true +Deployment'"
check_contains "api-resources lists hpa v2" "$(k api-resources)" "autoscaling/v2"
check_contains "bootstrap namespaces" "$(k get ns)" "kube-node-lease"
check_contains "default ServiceAccount" "$(k get sa -n kube-system)" "default"
check_contains "kubernetes Service" "$(k get svc kubernetes)" "10.96.0.1    <none>        443/TCP"
check_contains "kubernetes Endpoints" "$(k get ep kubernetes)" ":$PORT"

# Namespaces, ConfigMaps, Secrets.
check_eq "create namespace (protobuf body)" "$(k create ns demo)" "namespace/demo created"
check_contains "AlreadyExists" "$(k create ns demo)" 'Error from server (AlreadyExists): namespaces "demo" already exists'
check_contains "ServiceAccount created with the namespace" "$(k get sa default -n demo)" "default"
check_eq "create configmap" "$(k create cm cm1 -n demo --from-literal=a=b --from-literal=c=d)" "configmap/cm1 created"
check_contains "configmap DATA column" "$(k get cm cm1 -n demo)" "cm1    2      "
check_contains "NotFound" "$(k get cm nope -n demo)" 'Error from server (NotFound): configmaps "nope" not found'
check_contains "missing namespace" "$(k create cm x -n nope --from-literal=a=b)" 'namespaces "nope" not found'
check_eq "create secret" "$(k create secret generic s1 -n demo --from-literal=p=q)" "secret/s1 created"
check_contains "secret TYPE column" "$(k get secret s1 -n demo)" "Opaque"
check_eq "secret data base64" "$(k get secret s1 -n demo -o jsonpath='{.data.p}')" "cQ=="
check_contains "invalid name" "$(k create cm Bad_Name -n demo)" 'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain'

# Deployments: defaults, columns, scale, apply, patch.
cat >"$T_DIR/d.yaml" <<EOD
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: demo, labels: {tier: front}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: "nginx:1.27"}]}
EOD
check_eq "apply creates" "$(k apply $V -f "$T_DIR/d.yaml")" "deployment.apps/web created"
check_eq "apply unchanged" "$(k apply $V -f "$T_DIR/d.yaml")" "deployment.apps/web unchanged"
check_contains "deployment wide columns" "$(k get deploy web -n demo -o wide)" "NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES       SELECTOR"
check_eq "deployment defaults" "$(k get deploy web -n demo -o jsonpath='{.spec.strategy.rollingUpdate.maxSurge} {.spec.revisionHistoryLimit} {.spec.template.spec.containers[0].imagePullPolicy} {.metadata.generation}')" "25% 10 IfNotPresent 1"
check_eq "scale" "$(k scale deploy web -n demo --replicas=4)" "deployment.apps/web scaled"
check_eq "scale bumps replicas and generation" "$(k get deploy web -n demo -o jsonpath='{.spec.replicas} {.metadata.generation}')" "4 2"
sed -e 's/name: web/name: bad/' -e 's/labels: {app: web}/labels: {app: other}/' "$T_DIR/d.yaml" >"$T_DIR/bad.yaml"
check_contains "selector must match template" "$(k create $V -f "$T_DIR/bad.yaml")" 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`'
check_eq "label" "$(k label deploy web -n demo extra=yes)" "deployment.apps/web labeled"
check_contains "label selector" "$(k get deploy -n demo -l extra=yes)" "web"
check_contains "label selector !=" "$(k get deploy -n demo -l 'extra!=yes' 2>&1)" "No resources found"
check_contains "field selector" "$(k get cm -n demo --field-selector metadata.name=cm1)" "cm1"
check_contains "unsupported field selector" "$(k get cm -n demo --field-selector data.a=b)" "field label not supported: data.a"

# Services and pods.
check_eq "create service" "$(k create service nodeport np -n demo --tcp=80:8080)" "service/np created"
check_contains "service columns" "$(k get svc np -n demo)" "NodePort"
check_contains "service NodePort allocated" "$(k get svc np -n demo -o jsonpath='{.spec.ports[0].nodePort}')" "3"
check_eq "service defaults" "$(k get svc np -n demo -o jsonpath='{.spec.sessionAffinity} {.spec.ipFamilies[0]} {.spec.ports[0].protocol}')" "None IPv4 TCP"
check_eq "run pod" "$(k run p1 -n demo --image=busybox)" "pod/p1 created"
check_contains "pod columns" "$(k get pod p1 -n demo -o wide)" "NAME   READY   STATUS    RESTARTS   AGE"
check_eq "pod defaults" "$(k get pod p1 -n demo -o jsonpath='{.spec.restartPolicy} {.spec.serviceAccountName} {.spec.containers[0].imagePullPolicy} {.spec.tolerations[0].tolerationSeconds}')" "Always default Always 300"
check_contains "get all" "$(k get all -n demo)" "deployment.apps/web"
check_contains "pod field selector" "$(k get pods -n demo --field-selector status.phase=Pending)" "p1"

# Update conflicts via the raw API.
CA="--cacert $D/pki/ca.crt --cert $D/pki/admin.crt --key $D/pki/admin.key"
U="https://127.0.0.1:$PORT/api/v1/namespaces/demo/configmaps/cm1"
# shellcheck disable=SC2086
got=$(curl -s $CA -X PUT -H 'Content-Type: application/json' \
	-d '{"metadata":{"name":"cm1","resourceVersion":"1"},"data":{"a":"z"}}' "$U")
check_contains "stale resourceVersion: 409" "$got" 'Operation cannot be fulfilled on configmaps \"cm1\": the object has been modified; please apply your changes to the latest version and try again'
# shellcheck disable=SC2086
got=$(curl -s $CA -X PUT -H 'Content-Type: application/json' \
	-d '{"apiVersion":"apps/v1","metadata":{"name":"cm1"}}' "$U")
check_contains "apiVersion mismatch: 400" "$got" '"code":400'
# shellcheck disable=SC2086
got=$(curl -s $CA -X PUT -H 'Content-Type: application/json' -d '{"data":{"a":"q"}}' "$U")
check_contains "PUT without kind (Python style)" "$got" '"kind":"ConfigMap"'
# shellcheck disable=SC2086
got=$(curl -s $CA -X POST -H 'Content-Type: application/json' \
	-d '{"metadata":{"generateName":"gen-"}}' "https://127.0.0.1:$PORT/api/v1/namespaces/demo/configmaps")
check_contains "generateName" "$got" '"name":"gen-'
# shellcheck disable=SC2086
got=$(curl -s $CA "https://127.0.0.1:$PORT/api/v1/namespaces/demo/configmaps?limit=1")
check_contains "limit gives a continue token" "$got" '"continue":"'
# shellcheck disable=SC2086
got=$(curl -s $CA -H 'Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' -D - -o /dev/null "https://127.0.0.1:$PORT/apis")
check_contains "aggregated discovery content type" "$got" "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

# shellcheck disable=SC2086
got=$(curl -s $CA "https://127.0.0.1:$PORT/metrics")
check_contains "metrics: requests by verb and resource" "$got" 'apiserver_request_total{verb="create",resource="configmaps"}'
check_contains "metrics: watches" "$got" "apiserver_longrunning_requests"

# Finalizers.
k create cm fin -n demo >/dev/null
k patch cm fin -n demo --type=merge -p '{"metadata":{"finalizers":["example.com/x"]}}' >/dev/null
k delete cm fin -n demo --wait=false >/dev/null
check_contains "delete with finalizer sets deletionTimestamp" "$(k get cm fin -n demo -o jsonpath='{.metadata.deletionTimestamp}')" "T"
k patch cm fin -n demo --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null
check_contains "removing the last finalizer deletes" "$(k get cm fin -n demo)" "NotFound"

# Watch.
k get cm -n demo -w >"$T_DIR/watch" &
WPID=$!
sleep 2
k create cm w1 -n demo >/dev/null
k delete cm w1 -n demo >/dev/null
wait_for 10 grep -q "^w1" "$T_DIR/watch"
kill $WPID 2>/dev/null
check_contains "get -w prints new objects" "$(cat "$T_DIR/watch")" "w1"

# Reviews.
check_eq "auth can-i" "$(k auth can-i create pods)" "yes"
check_contains "auth whoami" "$(k auth whoami)" "kubernetes-admin"

# Namespace lifecycle.
# A finalizer on one object keeps the namespace Terminating while the
# namespace controller empties it, as on a real cluster.
k create cm held -n demo >/dev/null
k patch cm held -n demo --type=merge -p '{"metadata":{"finalizers":["example.com/hold"]}}' >/dev/null
check_eq "delete namespace" "$(k delete ns demo --wait=false)" 'namespace "demo" deleted'
check_contains "namespace Terminating" "$(k get ns demo)" "Terminating"
check_contains "no new content in a terminating namespace" "$(k create cm late -n demo)" "because it is being terminated"
k patch cm held -n demo --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]' >/dev/null
gone() { ! k get ns demo >/dev/null 2>&1; }
check "namespace gone once its content is" wait_for 20 gone

finish
