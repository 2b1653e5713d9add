# SPDX-License-Identifier: Apache-2.0
# Pod admission through real kubectl: label selectors and matchLabelKeys
# in pod affinity terms and spread constraints, matchLabelKeys merged into
# the stored selector, and a gated pod gaining a nodeSelector entry (a
# change of one is refused).  Then `kubectl get pods` with --chunk-size
# (Table pages with continue tokens, rows from the LIST memos) lists
# every pod once with the same rows as without paging.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node
K() { "$KUBECTL" --request-timeout=10s "$@"; }

out=$(K apply -f - 2>&1 <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: bad-sel}
spec:
  containers: [{name: c, image: busybox}]
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: zone
        labelSelector: {matchExpressions: [{key: app, operator: Gt, values: ["1"]}]}
  topologySpreadConstraints:
  - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, matchLabelKeys: [app]}
YAML
)
check_contains "label selector operator in an affinity term" "$out" 'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].operator: Invalid value: "Gt": not a valid selector operator'
check_contains "matchLabelKeys without labelSelector (spread)" "$out" 'spec.topologySpreadConstraints[0].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set'

out=$(K apply -f - 2>&1 <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: both, labels: {app: web}}
spec:
  containers: [{name: c, image: busybox}]
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - {topologyKey: zone, labelSelector: {matchLabels: {app: web}}, matchLabelKeys: [app]}
YAML
)
check_contains "key in matchLabelKeys and labelSelector" "$out" 'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0][0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector'

K apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: merged, labels: {app: web, tier: fe}}
spec:
  schedulingGates: [{name: example.com/wait}]
  nodeSelector: {disk: ssd}
  containers: [{name: c, image: busybox}]
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - {topologyKey: zone, labelSelector: {matchLabels: {x: z}}, matchLabelKeys: [app], mismatchLabelKeys: [tier]}
YAML
check_eq "matchLabelKeys merged into the stored selector" "$(K get pod merged -o jsonpath='{.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[*].operator}')" "In NotIn"
check "gated pod gains a nodeSelector entry" K patch pod merged --type=merge -p '{"spec":{"nodeSelector":{"zone":"a"}}}'
check_eq "added entry stored" "$(K get pod merged -o jsonpath='{.spec.nodeSelector.zone}')" "a"
out=$(K patch pod merged --type=merge -p '{"spec":{"nodeSelector":{"disk":"hdd"}}}' 2>&1)
check_contains "changed nodeSelector entry refused" "$out" 'only additions to spec.nodeSelector are allowed (no mutations or deletions)'

for i in $(seq 1 25); do
	printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p%02d, labels: {app: a%d}}\nspec: {containers: [{name: c, image: busybox}]}\n---\n' "$i" $((i % 3))
done | K apply -f - >/dev/null
full=$(K get pods --no-headers -o wide | awk '{print $1, $2, $3, $4, $6, $7}')
paged=$(K get pods --no-headers -o wide --chunk-size=4 | awk '{print $1, $2, $3, $4, $6, $7}')
check_eq "chunked -o wide rows equal the unchunked ones" "$paged" "$full"
check_eq "chunked list has every pod once" "$(K get pods --no-headers --chunk-size=4 | wc -l)" "26"
check_eq "chunked label-selector list" "$(K get pods -l app=a1 --no-headers --chunk-size=3 | awk '{print $1}' | tr '\n' ' ')" "p01 p04 p07 p10 p13 p16 p19 p22 p25 "
finish
