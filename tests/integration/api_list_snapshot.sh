# SPDX-License-Identifier: Apache-2.0
# Paged and historical LISTs against `kdeck cluster up --no-node`: the pages
# after the first show the first page's revision (writes in between are not
# seen, as with etcd behind kube-apiserver), resourceVersion=N with
# resourceVersionMatch=Exact or with a limit lists that older revision, the
# ListOptions errors carry the apiserver's texts, and kubectl's chunked
# lists and the Python client page through the same way.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" curl python3

export HOME="$T_DIR/home"
start_cluster --no-node
k() { "$KUBECTL" "$@" 2>&1; }
CA="--cacert $D/pki/ca.crt --cert $D/pki/admin.crt --key $D/pki/admin.key"
BASE="https://127.0.0.1:$PORT/api/v1/namespaces/snap/configmaps"
# get QUERY: the raw answer of a configmap LIST in namespace snap.
# shellcheck disable=SC2086
get() { curl -s $CA "$BASE?$1"; }
# names: "name=value ..." of the test's items (a1...; not the namespace's
# kube-root-ca.crt), then "|rv|continue".
names() {
	python3 -c 'import json, sys
d = json.load(sys.stdin)
print(" ".join("%s=%s" % (i["metadata"]["name"], i.get("data", {}).get("v", "")) for i in d.get("items", []) if i["metadata"]["name"].startswith("a")) +
      "|" + d.get("metadata", {}).get("resourceVersion", "") + "|" + d.get("metadata", {}).get("continue", ""))'
}

k create ns snap >/dev/null
for i in 1 2 3 4 5; do k create cm "a$i" -n snap --from-literal=v=old >/dev/null; done

page1=$(get "limit=2" | names)
rv1=$(echo "$page1" | cut -d'|' -f2)
tok=$(echo "$page1" | cut -d'|' -f3)
check_eq "first page" "$(echo "$page1" | cut -d'|' -f1)" "a1=old a2=old"
check "first page has a continue token" test -n "$tok"

# Writes between the pages.
k patch cm a3 -n snap --type=merge -p '{"data":{"v":"new"}}' >/dev/null
k delete cm a4 -n snap >/dev/null
k create cm a6 -n snap --from-literal=v=new >/dev/null

page2=$(get "limit=2&continue=$tok" | names)
check_eq "second page shows the first page's revision" "$(echo "$page2" | cut -d'|' -f1)" "a3=old a4=old"
check_eq "second page reports that revision" "$(echo "$page2" | cut -d'|' -f2)" "$rv1"
tok2=$(echo "$page2" | cut -d'|' -f3)
page3=$(get "limit=3&continue=$tok2" | names)
check_eq "last page: nothing created later" "$(echo "$page3" | cut -d'|' -f1)" "a5=old"
check_eq "last page has no continue token" "$(echo "$page3" | cut -d'|' -f3)" ""

check_eq "Exact list of the older revision" "$(get "resourceVersion=$rv1&resourceVersionMatch=Exact" | names | cut -d'|' -f1,2)" \
	"a1=old a2=old a3=old a4=old a5=old|$rv1"
check_eq "resourceVersion with a limit is Exact" "$(get "resourceVersion=$rv1&limit=10" | names | cut -d'|' -f1)" \
	"a1=old a2=old a3=old a4=old a5=old"
check_eq "resourceVersion without a limit is not-older-than (current)" "$(get "resourceVersion=$rv1" | names | cut -d'|' -f1)" \
	"a1=old a2=old a3=new a5=old a6=new"
check_eq "unpaged list is current" "$(get "" | names | cut -d'|' -f1)" "a1=old a2=old a3=new a5=old a6=new"

# ListOptions errors.
got=$(get "resourceVersion=0&resourceVersionMatch=Exact")
check_contains "Exact with 0: 422" "$got" '"code":422'
check_contains "Exact with 0: text" "$got" 'ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"'
check_contains "match without resourceVersion" "$(get "resourceVersionMatch=NotOlderThan")" \
	'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided'
check_contains "unsupported match" "$(get "resourceVersion=1&resourceVersionMatch=Newest")" \
	'resourceVersionMatch: Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\"'
got=$(get "resourceVersion=$rv1&continue=$tok")
check_contains "resourceVersion with continue: 400" "$got" '"code":400'
check_contains "resourceVersion with continue: text" "$got" 'specifying resource version is not allowed when using continue'
check_contains "future revision: 504" "$(get "resourceVersion=999999999&resourceVersionMatch=Exact")" 'Too large resource version'

# kubectl pages with --chunk-size; the Python client pages with _continue.
check_eq "kubectl chunked list" "$(k get cm -n snap --chunk-size=1 -o name | grep '/a' | tr '\n' ' ')" \
	"configmap/a1 configmap/a2 configmap/a3 configmap/a5 configmap/a6 "
if python3 -c 'import kubernetes' 2>/dev/null; then
	got=$(python3 - "$D/kubeconfig.yaml" <<'PY'
import sys
from kubernetes import client, config
config.load_kube_config(sys.argv[1])
v1 = client.CoreV1Api()
first = v1.list_namespaced_config_map("snap", limit=2)
v1.create_namespaced_config_map("snap", {"metadata": {"name": "a9"}, "data": {"v": "late"}})
names = [i.metadata.name for i in first.items]
tok = first.metadata._continue
while tok:
    page = v1.list_namespaced_config_map("snap", limit=2, _continue=tok)
    names += [i.metadata.name for i in page.items]
    tok = page.metadata._continue
print(" ".join(n for n in names if n.startswith("a")))
PY
)
	check_eq "Python client pages through one snapshot" "$got" "a1 a2 a3 a5 a6"
fi
finish
