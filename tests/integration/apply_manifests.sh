# SPDX-License-Identifier: Apache-2.0
# kubectl apply of real-world manifests against `kdeck cluster up`, once
# with kubectl 1.32 and once with 1.35 ($KUBECTL_NEW, its pass skipped only
# when absent), each pass on a fresh cluster (the corpus has cluster-scoped
# objects and fixed namespaces): every object of the
# Online Boutique manifest (created, then unchanged), and each file of
# testdata/manifests plus the Istio manifests, accepted or rejected as a
# v1.33 server does (no matches for kind ... for removed API versions and
# kinds whose CRDs are not installed).
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" curl
need_shared

export HOME="$T_DIR/home"
start_cluster --no-node
OB="$SHARED_DIR/testdata/online-boutique/kubernetes-manifests.yaml"
find "$SHARED_DIR/testdata/manifests" -name '*.y*ml' | sort >"$T_DIR/files"
echo "$SHARED_DIR/testdata/online-boutique/istio-manifests.yaml" >>"$T_DIR/files"

corpus_pass() { # label kubectl
	L=$1 KC=$2
	k() { "$KC" "$@" 2>&1; }
	k create ns boutique >/dev/null
	k create ns ex >/dev/null
	out=$(k apply -n boutique -f "$OB")
	check_eq "$L: boutique: all created" "$(echo "$out" | grep -c ' created$')" "$(grep -c '^kind:' "$OB")"
	check_eq "$L: boutique: reapply unchanged" "$(k apply -n boutique -f "$OB" | grep -vc ' unchanged$')" "0"
	while read -r f; do
		b=${f#"$SHARED_DIR"/testdata/}
		out=$(k apply -n ex -f "$f")
		if echo "$out" | grep -q 'error\|Error'; then
			echo "# $L $b: $out" | head -n 5
			if echo "$out" | grep -Eq 'no matches for kind "[A-Za-z]+" in version' &&
				! echo "$out" | grep -i error | grep -vq 'no matches for kind'; then
				pass "$L: $b: rejected as a v1.33 server does"
			else
				fail "$L: $b: unexpected error"
			fi
		else
			pass "$L: $b: applied"
		fi
	done <"$T_DIR/files"
}

corpus_pass 1.32 "$KUBECTL"
if [ -x "$KUBECTL_NEW" ]; then
	kill "$PID" 2>/dev/null
	wait "$PID" 2>/dev/null
	mv "$T_DIR/err" "$T_DIR/err1"	# kept for finish's sanitizer scan
	D="$T_DIR/c2" start_cluster --no-node
	corpus_pass 1.35 "$KUBECTL_NEW"
else
	echo "# $KUBECTL_NEW not found: the kubectl 1.35 pass is skipped"
fi
finish
