# SPDX-License-Identifier: Apache-2.0
# kubectl apply of real-world manifests against `kdeck cluster up`: every
# object of the Online Boutique manifest (created, then unchanged), and each
# file of testdata/manifests plus the Istio manifests, accepted or rejected
# as a v1.33 server does (no matches for kind ... for removed API versions
# and kinds whose CRDs are not installed).
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" curl
need_shared

export HOME="$T_DIR/home"
start_cluster --no-node
k() { "$KUBECTL" "$@" 2>&1; }
jp() { "$KUBECTL" get "$1" -n ap -o jsonpath="$2" 2>&1; }

# Shared real-world manifests.
k create ns boutique >/dev/null
k create ns ex >/dev/null
out=$(k apply -n boutique -f "$SHARED_DIR/testdata/online-boutique/kubernetes-manifests.yaml")
check_eq "boutique: all created" "$(echo "$out" | grep -c ' created$')" "$(grep -c '^kind:' "$SHARED_DIR/testdata/online-boutique/kubernetes-manifests.yaml")"
check_eq "boutique: reapply unchanged" "$(k apply -n boutique -f "$SHARED_DIR/testdata/online-boutique/kubernetes-manifests.yaml" | grep -vc ' unchanged$')" "0"
find "$SHARED_DIR/testdata/manifests" -name '*.y*ml' | sort >"$T_DIR/files"
echo "$SHARED_DIR/testdata/online-boutique/istio-manifests.yaml" >>"$T_DIR/files"
while read -r f; do
	b=${f#"$SHARED_DIR"/testdata/}
	out=$(k apply -n ex -f "$f")
	if echo "$out" | grep -q 'error\|Error'; then
		echo "# $b: $out" | head -n 5
		if echo "$out" | grep -Eq 'no matches for kind "[A-Za-z]+" in version' &&
			! echo "$out" | grep -i error | grep -vq 'no matches for kind'; then
			pass "$b: rejected as a v1.33 server does"
		else
			fail "$b: unexpected error"
		fi
	else
		pass "$b: applied"
	fi
done <"$T_DIR/files"
finish
