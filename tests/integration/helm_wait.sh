# SPDX-License-Identifier: Apache-2.0
# helm --wait against the embedded cluster with its real node (root, runc):
# a `helm create` chart whose image is a busybox httpd built here installs
# with --wait only once its Deployment is Available (the readiness probe
# passes through the pod IP), upgrades to two replicas with --wait (both
# Ready when helm returns), and --wait times out with helm's own error
# when the pods can never become ready.
. "$TOP_SRCDIR/tests/lib.sh"
[ -x "$HELM" ] || skip "helm not found (run ./dev test-deps)"
need_node
export HELM_CACHE_HOME="$T_DIR/hc" HELM_CONFIG_HOME="$T_DIR/hcfg" HELM_DATA_HOME="$T_DIR/hd"
mkdir -p "$T_DIR/www"

echo "hello from helm" >"$T_DIR/www/index.html"
python3 "$TOP_SRCDIR/tests/images/mkimage.py" "$T_DIR/img" --format oci-dir \
	--name kdeck.test/web:1 --file "$T_DIR/www/index.html:/www/index.html" \
	--entrypoint '["httpd","-f","-p","80","-h","/www"]' >/dev/null ||
	die "mkimage.py failed"
check "import the web image" "$KDECK" image import "$T_DIR/img" --data-dir "$D"
start_cluster
at_exit "'$KDECK' cluster down --data-dir '$D' >/dev/null 2>&1; '$KDECK' cluster reset --yes --data-dir '$D' >/dev/null 2>&1"
grep -q "node agent: off" "$T_DIR/err" && skip "$(grep 'node agent: off' "$T_DIR/err")"
h() { "$HELM" "$@" 2>&1; }
k() { "$KUBECTL" --request-timeout=10s "$@" 2>&1; }
(cd "$T_DIR" && "$HELM" create demo >/dev/null) || die "helm create failed"
IMG="--set image.repository=kdeck.test/web --set image.tag=1 --set image.pullPolicy=Never"

# shellcheck disable=SC2086
out=$(h install web "$T_DIR/demo" --wait --timeout 90s $IMG)
check_contains "install --wait succeeds" "$out" "STATUS: deployed"
check_eq "Available when helm returns" \
	"$(k get deploy web-demo -o jsonpath='{.status.availableReplicas}/{.status.conditions[?(@.type=="Available")].status}')" "1/True"
POD_IP=$(k get pods -l app.kubernetes.io/instance=web -o jsonpath='{.items[0].status.podIP}')
check_contains "the pod serves the page" "$(curl -s --max-time 5 "http://$POD_IP/")" "hello from helm"

# shellcheck disable=SC2086
out=$(h upgrade web "$T_DIR/demo" --wait --timeout 90s --set replicaCount=2 $IMG)
check_contains "upgrade --wait succeeds" "$out" "REVISION: 2"
check_eq "both replicas ready when helm returns" \
	"$(k get deploy web-demo -o jsonpath='{.status.readyReplicas}')" "2"

# An image that is never present: --wait gives up with helm's error.
out=$(h install broken "$T_DIR/demo" --wait --timeout 8s \
	--set image.repository=kdeck.test/absent --set image.tag=1 --set image.pullPolicy=Never)
check_contains "install --wait times out" "$out" "context deadline exceeded"
check_contains "the release is failed" "$(h status broken)" "STATUS: failed"
check_contains "uninstall --wait" "$(h uninstall web --wait --timeout 60s)" "uninstalled"
check_contains "its deployment is gone" "$(k get deploy web-demo)" "NotFound"
finish
