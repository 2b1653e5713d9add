# SPDX-License-Identifier: Apache-2.0
# helm v3 (3.17, client-side apply only) against `kdeck cluster up`, as
# helm_install.sh does for helm v4: a `helm create` chart through install,
# list, status, get manifest and values, upgrade --set, history,
# rollback and uninstall, its release Secrets following each step;
# `--wait` (the simulated node runs the pods: helm returns once the
# Deployment is Available, and gives up with its own error when the pods
# cannot be scheduled); and the Online Boutique chart through install,
# upgrade, rollback, history, values and uninstall when ../shared is there.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" curl
HELM3=${HELM3:-$TOP_SRCDIR/tests/.tools/bin/helm3}
[ -x "$HELM3" ] || skip "helm v3 not found (run ./dev test-deps)"
check_contains "helm is v3" "$("$HELM3" version --short)" "v3."

export HOME="$T_DIR/home"
export HELM_CACHE_HOME="$T_DIR/hc" HELM_CONFIG_HOME="$T_DIR/hcfg" HELM_DATA_HOME="$T_DIR/hd"
start_cluster --no-node --simulated-nodes 1
h() { "$HELM3" "$@" 2>&1; }
k() { "$KUBECTL" "$@" 2>&1; }
(cd "$T_DIR" && "$HELM3" create demo >/dev/null) || die "helm create failed"

k create ns v3 >/dev/null
check_contains "install" "$(h install r3 "$T_DIR/demo" -n v3)" "STATUS: deployed"
check_contains "deployment created" "$(k get deploy r3-demo -n v3 -o jsonpath='{.metadata.labels.app\.kubernetes\.io/managed-by}')" "Helm"
check_contains "release Secret" "$(k get secret -n v3 -l owner=helm,name=r3 -o jsonpath='{.items[*].metadata.name}')" "sh.helm.release.v1.r3.v1"
check_contains "list" "$(h list -n v3)" "deployed"
check_contains "status" "$(h status r3 -n v3)" "STATUS: deployed"
check_contains "get manifest" "$(h get manifest r3 -n v3)" "kind: Service"
check_contains "upgrade" "$(h upgrade r3 "$T_DIR/demo" -n v3 --set replicaCount=3)" "REVISION: 2"
check_eq "upgrade applied" "$(k get deploy r3-demo -n v3 -o jsonpath='{.spec.replicas}')" "3"
check_contains "get values" "$(h get values r3 -n v3)" "replicaCount: 3"
check_contains "history" "$(h history r3 -n v3)" "Upgrade complete"
check_contains "rollback" "$(h rollback r3 1 -n v3)" "Rollback was a success"
check_eq "rollback applied" "$(k get deploy r3-demo -n v3 -o jsonpath='{.spec.replicas}')" "1"
check_contains "three revisions" "$(k get secret -n v3 -l owner=helm,name=r3 -o name | wc -l)" "3"
check_contains "uninstall" "$(h uninstall r3 -n v3)" "uninstalled"
check_eq "deployment gone" "$(k get deploy -n v3 -o name)" ""
check_eq "release Secrets gone" "$(k get secret -n v3 -l owner=helm -o name)" ""
k create ns v3w >/dev/null
check_contains "install --wait" "$(h install w3 "$T_DIR/demo" -n v3w --wait --timeout 60s)" "STATUS: deployed"
check_eq "Available when helm returns" \
	"$(k get deploy w3-demo -n v3w -o jsonpath='{.status.availableReplicas}/{.status.conditions[?(@.type=="Available")].status}')" "1/True"
check_contains "install --wait times out on pods that cannot be scheduled" \
	"$(h install w3b "$T_DIR/demo" -n v3w --wait --timeout 8s --set nodeSelector.disk=none)" "context deadline exceeded"
check_contains "the release is failed" "$(h status w3b -n v3w)" "STATUS: failed"

OB="$SHARED_DIR/testdata/online-boutique/helm-chart"
if [ -d "$OB" ]; then
	k create ns ob3 >/dev/null
	check_contains "boutique chart: install" "$(h install ob "$OB" -n ob3)" "STATUS: deployed"
	check_contains "boutique chart: frontend" "$(k get deploy frontend -n ob3)" "frontend"
	check_contains "boutique chart: status" "$(h status ob -n ob3)" "STATUS: deployed"
	check_contains "boutique chart: get manifest" "$(h get manifest ob -n ob3)" "name: cartservice"
	check_contains "boutique chart: upgrade" "$(h upgrade ob "$OB" -n ob3)" "REVISION: 2"
	check_contains "boutique chart: rollback" "$(h rollback ob 1 -n ob3)" "Rollback was a success"
	check_contains "boutique chart: history" "$(h history ob -n ob3)" "Rollback to 1"
	check_contains "boutique chart: get values" "$(h get values ob -n ob3 --all)" "frontend"
	check_contains "boutique chart: uninstall" "$(h uninstall ob -n ob3)" "uninstalled"
	check_contains "boutique chart: objects removed" "$(k get deploy frontend -n ob3)" "NotFound"
else
	echo "# ../shared absent: the Online Boutique chart part is not run"
fi
finish
