# SPDX-License-Identifier: Apache-2.0
# The ReplicaSet controller backs off a ReplicaSet whose pod creations
# are refused: with a quota of 0 pods, while 15 changes of a watched
# object (a Service) wake the controllers for as many passes, the
# FailedCreate events (summed counts) stay bounded by the exponential
# back-off (5 ms doubling) instead of growing with the passes; once the
# quota allows pods, the ReplicaSet recovers (a scale resets the wait).
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 1
K() { "$KUBECTL" --request-timeout=10s "$@"; }
failed() {
	K -n q get events --field-selector reason=FailedCreate \
		-o jsonpath='{range .items[*]}{.count}{"\n"}{end}' 2>/dev/null |
		awk '{ s += $1 } END { print s + 0 }'
}

K create namespace q >/dev/null
K -n q create quota none --hard=pods=0 >/dev/null
K -n q create deployment refused --image=nginx --replicas=3 >/dev/null
wait_for 30 sh -c "[ \$(K() { $KUBECTL \"\$@\"; }; K -n q get events --field-selector reason=FailedCreate --no-headers 2>/dev/null | wc -l) -ge 1 ]"
K create service clusterip churn --tcp=80:80 >/dev/null
for i in $(seq 1 15); do
	K label service churn "n=$i" --overwrite >/dev/null
done
total=$(failed)
echo "# FailedCreate occurrences after 15 passes: $total"
check "the refused ReplicaSet was retried" test "$total" -ge 2
check "retries bounded by the back-off, not one per pass" test "$total" -le 20
check_contains "the refusal is the quota's" \
	"$(K -n q get events --field-selector reason=FailedCreate 2>&1)" "exceeded quota: none"

K -n q delete quota none >/dev/null
K -n q scale deployment refused --replicas=2 >/dev/null
check "recovers once the quota is gone" K -n q rollout status deployment/refused --timeout=40s
finish
