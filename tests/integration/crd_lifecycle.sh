# SPDX-License-Identifier: Apache-2.0
# CustomResourceDefinitions, the rest of the lifecycle: everything
# run_crud does with $KUBECTL_NEW (when present), the Python client's
# CustomObjectsApi, CRD deletion removing its objects, re-creation, a helm
# chart with a crds/ directory, and the real CRDs of the shared test data.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" curl
. "$TOP_SRCDIR/tests/integration/crd_common.sh"

if [ -x "$KUBECTL_NEW" ]; then
	KC=$KUBECTL_NEW
	run_crud kubectl-new
	KC=$KUBECTL
else
	echo "# $KUBECTL_NEW not found: newer kubectl part skipped"
fi
printf 'apiVersion: kdeck.example.com/v1\nkind: Widget\nmetadata: {name: w4, namespace: crd}\nspec: {size: small}\n' | k apply -f - >/dev/null
k apply -f "$DATA/widget-a.yaml" >/dev/null

# Python CustomObjectsApi.
PYK=
for p in python3 /usr/bin/python3; do
	"$p" -c 'import kubernetes' 2>/dev/null && { PYK=$p; break; }
done
if [ -n "$PYK" ]; then
	cat >"$T_DIR/t.py" <<'EOP'
import sys
from kubernetes import client, config
config.load_kube_config(sys.argv[1])
api = client.CustomObjectsApi()
body = {"apiVersion": "kdeck.example.com/v1", "kind": "Widget",
        "metadata": {"name": "py"}, "spec": {"size": "large"}}
got = api.create_namespaced_custom_object("kdeck.example.com", "v1", "crd", "widgets", body)
print("created", got["metadata"]["name"], got["spec"]["replicas"])
lst = api.list_namespaced_custom_object("kdeck.example.com", "v1", "crd", "widgets")
print("listed", sorted(i["metadata"]["name"] for i in lst["items"]))
api.patch_namespaced_custom_object("kdeck.example.com", "v1", "crd", "widgets", "py", {"spec": {"replicas": 7}})
print("patched", api.get_namespaced_custom_object("kdeck.example.com", "v1", "crd", "widgets", "py")["spec"]["replicas"])
api.delete_namespaced_custom_object("kdeck.example.com", "v1", "crd", "widgets", "py")
print("deleted")
EOP
	out=$("$PYK" "$T_DIR/t.py" "$KUBECONFIG" 2>&1)
	check_contains "python create (defaulted)" "$out" "created py 1"
	check_contains "python list" "$out" "listed ['py', 'w4', 'wa']"
	check_contains "python patch" "$out" "patched 7"
	check_contains "python delete" "$out" "deleted"
else
	echo "# python3 kubernetes client not installed: CustomObjectsApi part skipped"
fi

# With $KC: the garbage collector removes a custom resource whose owner
# is gone, and deleting a namespace deletes the custom resources in it.
gc_and_ns() { # label suffix
	k create cm "owner$2" -n crd >/dev/null
	uid=$(k get cm "owner$2" -n crd -o jsonpath='{.metadata.uid}')
	printf 'apiVersion: kdeck.example.com/v1\nkind: Widget\nmetadata:\n  name: owned%s\n  namespace: crd\n  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner%s, uid: "%s"}]\nspec: {size: small}\n' "$2" "$2" "$uid" |
		k apply -f - >/dev/null
	check_eq "$1: owned CR created" "$(jp "wd/owned$2" '{.metadata.ownerReferences[0].name}')" "owner$2"
	k delete cm "owner$2" -n crd >/dev/null
	wait_for 15 sh -c "! '$KC' get wd owned$2 -n crd >/dev/null 2>&1"
	check_contains "$1: owned CR collected" "$(k get wd "owned$2" -n crd)" "not found"

	k create ns "crd2$2" >/dev/null
	printf 'apiVersion: kdeck.example.com/v1\nkind: Widget\nmetadata: {name: n1, namespace: crd2%s}\nspec: {size: small}\n' "$2" | k apply -f - >/dev/null
	k delete ns "crd2$2" --timeout=30s >/dev/null 2>&1
	check_contains "$1: namespace with a CR deleted" "$(k get ns "crd2$2")" "not found"
	check_eq "$1: its CR went with it" "$(k get wd -A -o name | grep -c n1)" "0"
}

# With $KC: deleting the CRD removes its objects (NAME among them), then
# the CRD; a re-created CRD starts empty.
crd_delete() { # label NAME
	check_contains "$1: CRD finalizer" "$(k get crd widgets.kdeck.example.com -o jsonpath='{.metadata.finalizers}')" "customresourcecleanup.apiextensions.k8s.io"
	k delete crd widgets.kdeck.example.com --wait=true --timeout=20s >/dev/null 2>&1
	check_contains "$1: CRD gone" "$(k get crd widgets.kdeck.example.com)" "not found"
	check_eq "$1: resource gone from discovery" "$(k get --raw /apis/kdeck.example.com/v1 | grep -c '"name":"widgets"')" "0"
	check_eq "$1: objects removed from the store" "$(curl -s --cacert "$D/pki/ca.crt" --cert "$D/pki/admin.crt" --key "$D/pki/admin.key" \
		"https://127.0.0.1:$PORT/apis/kdeck.example.com/v1/widgets" | grep -c "\"name\":\"$2\"")" "0"
	k apply -f "$DATA/widgets.yaml" >/dev/null
	k wait --for condition=established --timeout=10s crd/widgets.kdeck.example.com >/dev/null 2>&1
	check_eq "$1: recreated CRD starts empty" "$(k get wd -A -o name)" ""
}

gc_and_ns 1.32 ""
crd_delete 1.32 w4
if [ -x "$KUBECTL_NEW" ]; then
	KC=$KUBECTL_NEW
	gc_and_ns 1.35 -new
	printf 'apiVersion: kdeck.example.com/v1\nkind: Widget\nmetadata: {name: w5, namespace: crd}\nspec: {size: small}\n' | k apply -f - >/dev/null
	check_eq "1.35: w5 created" "$(k get wd -A -o name)" "widget.kdeck.example.com/w5"
	crd_delete 1.35 w5
	KC=$KUBECTL
fi

# helm: a chart with a crds/ directory.
if [ -x "$HELM" ]; then
	export HELM_CACHE_HOME="$T_DIR/hc" HELM_CONFIG_HOME="$T_DIR/hcfg" HELM_DATA_HOME="$T_DIR/hd"
	C="$T_DIR/chart"
	mkdir -p "$C/crds" "$C/templates"
	printf 'apiVersion: v2\nname: crdchart\nversion: 0.1.0\n' >"$C/Chart.yaml"
	sed -e 's/widgets\.kdeck\.example\.com/sprockets.helm.example.com/; s/group: kdeck.example.com/group: helm.example.com/; s/plural: widgets/plural: sprockets/; s/singular: widget/singular: sprocket/; s/kind: Widget/kind: Sprocket/; s/shortNames: \[wd\]/shortNames: [spr]/' \
		"$DATA/widgets.yaml" | awk '/^---/{exit} {print}' >"$C/crds/sprockets.yaml"
	printf 'apiVersion: helm.example.com/v1\nkind: Sprocket\nmetadata: {name: s1}\nspec: {size: medium}\n' >"$C/templates/s.yaml"
	check_contains "helm install of a chart with crds/" "$("$HELM" install crdrel "$C" -n crd 2>&1)" "STATUS: deployed"
	check_eq "chart's CR created" "$(k get sprockets -n crd -o jsonpath='{.items[*].metadata.name} {.items[*].spec.replicas}')" "s1 1"
	check_contains "helm uninstall" "$("$HELM" uninstall crdrel -n crd 2>&1)" "uninstalled"
else
	echo "# helm not found: chart part skipped"
fi

# Real CRDs from the shared test data, when present.
if [ -d "$SHARED_DIR/testdata" ]; then
	n=0
	for f in $(grep -rl "kind: CustomResourceDefinition" "$SHARED_DIR/testdata" 2>/dev/null | grep -E '\.ya?ml$' | head -n 20); do
		out=$(k apply -f "$f")
		case $out in
		*"customresourcedefinition"*) n=$((n + 1)) ;;
		*) fail "shared CRD $f: $out" ;;
		esac
	done
	echo "# $n shared CRD files applied"
fi
finish
