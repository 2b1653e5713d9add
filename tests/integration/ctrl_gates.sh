# SPDX-License-Identifier: Apache-2.0
# Pod scheduling readiness on the API side, with real kubectl: a gated
# pod may not name its node on create, gates may not be added on update,
# gate names are qualified names and unique, pods/binding refuses a gated
# pod; the scheduler leaves a gated pod SchedulingGated and schedules it
# once the last gate is removed.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node --simulated-nodes 1
K() { "$KUBECTL" --request-timeout=10s "$@"; }

out=$(K apply -f - 2>&1 <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: pinned}
spec:
  nodeName: kdeck-sim-1
  schedulingGates: [{name: example.com/wait}]
  containers: [{name: c, image: nginx}]
Y
)
check_contains "nodeName with gates refused on create" "$out" \
	'spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared'

out=$(K apply -f - 2>&1 <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: dup}
spec:
  schedulingGates: [{name: example.com/a}, {name: example.com/a}, {name: "-bad"}]
  containers: [{name: c, image: nginx}]
Y
)
check_contains "duplicate gate" "$out" 'spec.schedulingGates[1]: Duplicate value: "example.com/a"'
check_contains "gate name is a qualified name" "$out" 'spec.schedulingGates[2]: Invalid value: "-bad"'

K apply -f - >/dev/null <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: gated}
spec:
  schedulingGates: [{name: example.com/a}, {name: example.com/b}]
  containers: [{name: c, image: nginx}]
Y
check_eq "gated pod: SchedulingGated" \
	"$(K get pod gated -o jsonpath='{.status.conditions[?(@.type=="PodScheduled")].reason}')" SchedulingGated
out=$(K patch pod gated --type=json -p '[{"op":"add","path":"/spec/schedulingGates/-","value":{"name":"example.com/c"}}]' 2>&1)
check_contains "adding a gate refused" "$out" \
	"spec.schedulingGates[2].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/c'"

# pods/binding of a gated pod: 409 with the binding REST's text
cat >"$T_DIR/binding.json" <<'J'
{"apiVersion":"v1","kind":"Binding","metadata":{"name":"gated"},"target":{"kind":"Node","name":"kdeck-sim-1"}}
J
out=$(K create --raw /api/v1/namespaces/default/pods/gated/binding -f "$T_DIR/binding.json" 2>&1)
check_contains "binding a gated pod refused" "$out" 'pod gated has non-empty .spec.schedulingGates'
check_eq "still not bound" "$(K get pod gated -o jsonpath='{.spec.nodeName}')" ""

check "remove one gate" K patch pod gated --type=json -p '[{"op":"remove","path":"/spec/schedulingGates/0"}]'
sleep 1
check_eq "one gate left: still gated" "$(K get pod gated -o jsonpath='{.spec.nodeName}')" ""
check "remove the last gate" K patch pod gated --type=json -p '[{"op":"remove","path":"/spec/schedulingGates"}]'
check "ungated pod runs" K wait --for=condition=Ready pod/gated --timeout=20s
check_eventually "Scheduled event" "Successfully assigned default/gated" K get events --field-selector reason=Scheduled
finish
