# SPDX-License-Identifier: Apache-2.0
# Event aggregation with real kubectl: a Deployment scaled 1 -> 2 -> 1 -> 2
# -> 1 makes the deployment controller repeat the same ScalingReplicaSet
# Events; each must be one Event with COUNT 2 ("(x2 over ...)" in describe),
# not two.  (The scheduler records FailedScheduling once per distinct
# message, so an unschedulable pod does not repeat here.)  Repeats are
# PATCHes: a label another client put on the Event survives the next one.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 1
K() { "$KUBECTL" --request-timeout=10s "$@"; }
rs_replicas() { K get rs -l app=web -o jsonpath='{.items[0].spec.replicas}' 2>/dev/null; }

K create deployment web --image=nginx:1.26 --replicas=1 >/dev/null
check "rollout status" K rollout status deployment/web --timeout=20s
for n in 2 1 2 1; do
	K scale deployment web --replicas=$n >/dev/null
	wait_for 15 sh -c "[ \"\$($KUBECTL get rs -l app=web -o jsonpath='{.items[0].spec.replicas}')\" = $n ]"
done
check_eq "replica set at 1" "$(rs_replicas)" 1
# the recorder writes asynchronously: wait for the last repeat to land
wait_for 15 sh -c "$KUBECTL get events --field-selector reason=ScalingReplicaSet -o jsonpath='{range .items[*]}{.count} {.message}{\"\\n\"}{end}' | grep -q '^2 Scaled down'"
ev=$(K get events --field-selector reason=ScalingReplicaSet \
	-o jsonpath='{range .items[*]}{.count} {.message}{"\n"}{end}')
check_eq "three ScalingReplicaSet events (not five)" \
	"$(printf '%s\n' "$ev" | grep -c .)" 3
check_contains "scale up repeated: count 2" "$ev" "2 Scaled up replica set web-"
check_contains "scale down repeated: count 2" "$ev" "2 Scaled down replica set web-"
check_contains "kubectl get events COUNT column" \
	"$(K get events --field-selector reason=ScalingReplicaSet -o wide 2>&1)" "COUNT"
check_contains "kubectl describe shows (x2 over" \
	"$(K describe deployment web 2>&1)" "(x2 over"

# A repeat is a PATCH of count/lastTimestamp/message: what another writer
# put on the Event meanwhile survives it.
up=$(K get events --field-selector reason=ScalingReplicaSet \
	-o jsonpath='{range .items[*]}{.metadata.name} {.count} {.message}{"\n"}{end}' | grep ' 2 Scaled up' | cut -d' ' -f1)
K label event "$up" touched-by=test >/dev/null
K scale deployment web --replicas=2 >/dev/null
wait_for 15 sh -c "[ \"\$($KUBECTL get event $up -o jsonpath='{.count}')\" = 3 ]"
check_eq "repeat after a concurrent write: count 3, label kept" \
	"$(K get event "$up" -o jsonpath='{.count}/{.metadata.labels.touched-by}')" "3/test"
finish
