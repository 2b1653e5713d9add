# SPDX-License-Identifier: Apache-2.0
# helm v4 against `kdeck cluster up`: a `helm create` chart through install,
# list, status, get manifest, upgrade --set, history, rollback, uninstall,
# with server-side apply (the default) and --server-side=false; the Online
# Boutique chart installs, upgrades (both apply modes), rolls back and
# uninstalls.  No --wait (no controllers here).
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" curl
[ -x "$HELM" ] || skip "helm not found (run ./dev test-deps)"

export HOME="$T_DIR/home"
export HELM_CACHE_HOME="$T_DIR/hc" HELM_CONFIG_HOME="$T_DIR/hcfg" HELM_DATA_HOME="$T_DIR/hd"
start_cluster --no-node
h() { "$HELM" "$@" 2>&1; }
k() { "$KUBECTL" "$@" 2>&1; }

(cd "$T_DIR" && "$HELM" create demo >/dev/null) || die "helm create failed"

flow() { # namespace release extra-install-flags...
	ns=$1 rel=$2; shift 2
	k create ns "$ns" >/dev/null
	out=$(h install "$rel" "$T_DIR/demo" -n "$ns" "$@")
	check_contains "$rel: install" "$out" "STATUS: deployed"
	check_contains "$rel: deployment created" "$(k get deploy "$rel-demo" -n "$ns")" "$rel-demo"
	check_contains "$rel: managed-by label" "$(k get deploy "$rel-demo" -n "$ns" -o jsonpath='{.metadata.labels.app\.kubernetes\.io/managed-by}')" "Helm"
	check_contains "$rel: list" "$(h list -n "$ns")" "deployed"
	check_contains "$rel: status" "$(h status "$rel" -n "$ns")" "STATUS: deployed"
	check_contains "$rel: get manifest" "$(h get manifest "$rel" -n "$ns")" "kind: Deployment"
	out=$(h upgrade "$rel" "$T_DIR/demo" -n "$ns" --set replicaCount=2 "$@")
	check_contains "$rel: upgrade" "$out" "REVISION: 2"
	check_eq "$rel: upgraded replicas" "$(k get deploy "$rel-demo" -n "$ns" -o jsonpath='{.spec.replicas}')" "2"
	out=$(h history "$rel" -n "$ns")
	check_contains "$rel: history superseded" "$out" "superseded"
	check_contains "$rel: history deployed" "$out" "deployed"
	check_contains "$rel: rollback" "$(h rollback "$rel" 1 -n "$ns")" "Rollback was a success"
	check_eq "$rel: rolled back replicas" "$(k get deploy "$rel-demo" -n "$ns" -o jsonpath='{.spec.replicas}')" "1"
	check_contains "$rel: history after rollback" "$(h history "$rel" -n "$ns")" "Rollback to 1"
	check_contains "$rel: uninstall" "$(h uninstall "$rel" -n "$ns")" "uninstalled"
	check_contains "$rel: deployment removed" "$(k get deploy "$rel-demo" -n "$ns")" "NotFound"
	check_eq "$rel: release secrets removed" "$(k get secret -n "$ns" -l owner=helm -o name)" ""
}
flow h1 ssa
flow h2 csa --server-side=false

if [ -d "$SHARED_DIR/testdata/online-boutique/helm-chart" ]; then
	k create ns ob >/dev/null
	out=$(h install ob "$SHARED_DIR/testdata/online-boutique/helm-chart" -n ob)
	check_contains "boutique chart: install" "$out" "STATUS: deployed"
	check_contains "boutique chart: frontend" "$(k get deploy frontend -n ob)" "frontend"
	# server-side re-apply of the whole release, then client-side, then back
	check_contains "boutique chart: upgrade (server-side)" "$(h upgrade ob "$SHARED_DIR/testdata/online-boutique/helm-chart" -n ob)" "REVISION: 2"
	check_contains "boutique chart: upgrade --server-side=false" \
		"$(h upgrade ob "$SHARED_DIR/testdata/online-boutique/helm-chart" -n ob --server-side=false)" "REVISION: 3"
	check_contains "boutique chart: rollback" "$(h rollback ob 1 -n ob)" "Rollback was a success"
	check_contains "boutique chart: history" "$(h history ob -n ob)" "Rollback to 1"
	check_contains "boutique chart: get values" "$(h get values ob -n ob --all)" "frontend"
	check_contains "boutique chart: uninstall" "$(h uninstall ob -n ob)" "uninstalled"
	check_contains "boutique chart: objects removed" "$(k get deploy frontend -n ob)" "NotFound"
fi
finish
