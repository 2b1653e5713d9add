# SPDX-License-Identifier: Apache-2.0
# `kdeck get` and `kdeck can-i` against the embedded cluster, compared
# with what kubectl prints on the same server: namespaces, configmaps and
# pods in Table, wide, -A, name, json and yaml forms; label and field
# selectors; NotFound and unknown kinds; usage errors.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/client_cluster.sh"
need_cmd kubectl python3

export HOME="$T_DIR/home" XDG_CACHE_HOME="$T_DIR/cache"
mkdir -p "$HOME"

"$KDECK" get >/dev/null 2>&1; check_eq "get without kind exits 2" $? 2
"$KDECK" get pods -o bogus >/dev/null 2>&1; check_eq "bad -o exits 2" $? 2
"$KDECK" can-i get >/dev/null 2>&1; check_eq "can-i with one arg exits 2" $? 2
"$KDECK" get pods --kubeconfig "$T_DIR/none.yaml" 2>"$T_DIR/e"
check_eq "missing kubeconfig exits 1" $? 1
check_contains "missing kubeconfig named" "$(cat "$T_DIR/e")" "none.yaml"

client_cluster_start

# Same table as kubectl (both print the server's Table).
for kind in namespaces ns namespace; do
	check_eq "get $kind matches kubectl" "$("$KDECK" get $kind | awk '{print $1}')" \
		"$(kubectl get namespaces | awk '{print $1}')"
done
check_contains "header upper-case" "$("$KDECK" get ns | head -n 1)" "NAME"
check_contains "discovery cached on disk" "$(ls "$XDG_CACHE_HOME"/kdeck/discovery/)" "127.0.0.1_$PORT"

kubectl create namespace t1 >/dev/null
kubectl -n t1 create configmap a --from-literal=k=v >/dev/null
kubectl -n t1 create configmap b --from-literal=k=v >/dev/null
kubectl -n t1 label configmap a tier=front >/dev/null
kubectl create configmap c --from-literal=x=y >/dev/null

check_eq "get cm -n t1 names" "$("$KDECK" get cm -n t1 | awk 'NR>1{print $1}' | grep -v kube-root | tr '\n' ' ')" "a b "
check_eq "columns match kubectl" "$("$KDECK" get configmaps -n t1 | head -n1 | tr -s ' ')" \
	"$(kubectl get configmaps -n t1 | head -n1 | tr -s ' ')"
out=$("$KDECK" get cm -A | awk '$1=="t1" || $1=="default" {print $1"/"$2}' | grep -v kube-root | tr '\n' ' ')
check_eq "-A adds NAMESPACE" "$out" "default/c t1/a t1/b "
check_contains "-A header" "$("$KDECK" get cm -A | head -n 1)" "NAMESPACE"
check_eq "-l selector" "$("$KDECK" get cm -n t1 -l tier=front -o name)" "configmap/a"
check_eq "--field-selector" "$("$KDECK" get cm -n t1 --field-selector metadata.name=b -o name)" "configmap/b"
check_eq "get cm NAME -o name" "$("$KDECK" get configmap a -n t1 -o name)" "configmap/a"
check_eq "KIND/NAME form" "$("$KDECK" get cm/a -n t1 -o name)" "configmap/a"
v=$("$KDECK" get cm a -n t1 -o json | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["kind"], o["data"]["k"])')
check_eq "-o json object" "$v" "ConfigMap v"
v=$("$KDECK" get cm -n t1 -l tier=front -o json | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["kind"], o["items"][0]["kind"], o["items"][0]["apiVersion"])')
check_eq "-o json list with kinds filled in" "$v" "List ConfigMap v1"
v=$("$KDECK" get cm a -n t1 -o yaml)
check_contains "-o yaml" "$v" "kind: ConfigMap"
check_contains "-o yaml data" "$v" "  k: v"

"$KDECK" get cm nope -n t1 >"$T_DIR/o" 2>"$T_DIR/e"; rc=$?
check_eq "NotFound exits 1" $rc 1
check_eq "NotFound message like kubectl" "$(cat "$T_DIR/e")" \
	'Error from server (NotFound): configmaps "nope" not found'
"$KDECK" get frobnicators 2>"$T_DIR/e"; rc=$?
check_eq "unknown kind exits 1" $rc 1
check_contains "unknown kind message" "$(cat "$T_DIR/e")" \
	"the server doesn't have a resource type \"frobnicators\""
"$KDECK" get pods -n t1 >"$T_DIR/o" 2>"$T_DIR/e"; rc=$?
check_eq "empty list exits 0" $rc 0
check_eq "empty list message" "$(cat "$T_DIR/e")" "No resources found in t1 namespace."
"$KDECK" get pods -n t1 -o wide >/dev/null 2>&1; check_eq "-o wide" $? 0

kubectl -n t1 run p1 --image=busybox --labels=app=p1 >/dev/null 2>&1
kubectl -n t1 run p2 --image=busybox >/dev/null 2>&1
check_eq "get pods names match kubectl" "$("$KDECK" get pods -n t1 | awk '{print $1}')" \
	"$(kubectl get pods -n t1 | awk '{print $1}')"
check_eq "get po header matches kubectl" "$("$KDECK" get po -n t1 | head -n 1 | tr -s ' ')" \
	"$(kubectl get po -n t1 | head -n 1 | tr -s ' ')"
check_eq "get pods -o wide header matches kubectl" "$("$KDECK" get pods -n t1 -o wide | head -n 1 | tr -s ' ')" \
	"$(kubectl get pods -n t1 -o wide | head -n 1 | tr -s ' ')"
check_eq "get pods -l" "$("$KDECK" get pods -n t1 -l app=p1 -o name)" "pod/p1"
v=$("$KDECK" get pod p1 -n t1 -o yaml | python3 -c 'import sys,yaml; o=yaml.safe_load(sys.stdin); print(o["kind"], o["metadata"]["name"])' 2>&1)
check_eq "-o yaml parses back" "$v" "Pod p1"

check_eq "can-i as admin" "$("$KDECK" can-i create pods)" "yes"
"$KDECK" can-i delete nodes --as bob >"$T_DIR/o" 2>&1; rc=$?
check_eq "can-i impersonated no" "$rc $(tail -n1 "$T_DIR/o")" "1 no"
check_eq "can-i agrees with kubectl" "$("$KDECK" can-i list secrets -n t1 --as system:serviceaccount:t1:default)" \
	"$(kubectl auth can-i list secrets -n t1 --as system:serviceaccount:t1:default)"
finish
