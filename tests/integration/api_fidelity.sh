# SPDX-License-Identifier: Apache-2.0
# API server fidelity with real clients (issue #3): Invalid messages name
# Kind.group, malformed quantities are the decoder's 400, the pod rules
# kubectl users hit (securityContext, affinity, tolerations, spread
# constraints, lifecycle hooks, init containers, what a pod update may
# change), Impersonate-Extra headers in `kubectl auth whoami`, and objects
# read across served versions: HPA autoscaling/v1 <-> v2 and Event
# v1 <-> events.k8s.io/v1, in gets, lists and watches.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" curl

export HOME="$T_DIR/home"
start_cluster --no-node
k() { "$KUBECTL" "$@" 2>&1; }
V=--validate=false

# Kind.group in the Status message, kubectl's "The Deployment" from details.
cat >"$T_DIR/d.yaml" <<EOD
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: other}}
    spec: {containers: [{name: c, image: nginx}]}
EOD
curl_k() {
	curl -s --cacert "$D/pki/ca.crt" --cert "$D/pki/admin.crt" --key "$D/pki/admin.key" "$@"
}
out=$(curl_k -H 'Content-Type: application/yaml' --data-binary @"$T_DIR/d.yaml" \
	"$URL/apis/apps/v1/namespaces/default/deployments")
check_contains "Deployment.apps in the Status message" "$out" '"message":"Deployment.apps \"d\" is invalid'
check_contains "details.group" "$out" '"group":"apps","kind":"Deployment"'
check_contains "kubectl says The Deployment" "$(k create $V -f "$T_DIR/d.yaml")" 'The Deployment "d" is invalid: spec.template.metadata.labels'

# A quantity that does not parse is a 400 from the decoder.
cat >"$T_DIR/q.yaml" <<EOD
apiVersion: v1
kind: Pod
metadata: {name: q}
spec: {containers: [{name: c, image: nginx, resources: {limits: {cpu: lots}}}]}
EOD
check_contains "quantity decode error" "$(k create $V -f "$T_DIR/q.yaml")" \
	"Error from server (BadRequest): error when creating \"$T_DIR/q.yaml\": Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)\$'"

# Pod rules.
pod_err() {	# name, spec lines (YAML under spec:), expected text
	printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: %s}\nspec:\n%s\n' "$1" "$2" >"$T_DIR/p.yaml"
	check_contains "$1" "$(k create $V -f "$T_DIR/p.yaml")" "$3"
}
pod_err runasuser "  securityContext: {runAsUser: -1}
  containers: [{name: c, image: nginx}]" \
	'The Pod "runasuser" is invalid: spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive'
pod_err seccomp "  containers: [{name: c, image: nginx, securityContext: {seccompProfile: {type: Localhost}}}]" \
	'spec.containers[0].securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost'
pod_err toleration "  tolerations: [{key: k, operator: Exists, value: v}]
  containers: [{name: c, image: nginx}]" \
	"spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when \`operator\` is 'Exists'"
pod_err affinity "  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In}]}]}}}
  containers: [{name: c, image: nginx}]" \
	"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'"
pod_err spread "  topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, minDomains: 2}]
  containers: [{name: c, image: nginx}]" \
	'spec.topologySpreadConstraints[0].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway'
pod_err initprobe "  initContainers: [{name: i, image: busybox, readinessProbe: {exec: {command: [x]}}}]
  containers: [{name: c, image: nginx}]" \
	'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always'
pod_err hook "  containers: [{name: c, image: nginx, lifecycle: {preStop: {exec: {command: [x]}, sleep: {seconds: 1}}}}]" \
	'spec.containers[0].lifecycle.preStop.sleep: Forbidden: may not specify more than 1 handler type'

# Pod updates.
check_eq "pod" "$(k run upd --image=nginx:1)" "pod/upd created"
check_eq "image update" "$(k set image pod/upd upd=nginx:2)" "pod/upd image updated"
out=$(k patch pod upd --type=json -p '[{"op":"add","path":"/spec/containers/0/ports","value":[{"containerPort":80}]}]')
check_contains "pod update forbidden" "$out" \
	'The Pod "upd" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'
check_contains "diff hint" "$out" '+ 	containers[0].ports: [{"containerPort":80,"protocol":"TCP"}],'
check_eq "toleration added" "$(k patch pod upd --type=json -p '[{"op":"add","path":"/spec/tolerations/-","value":{"key":"x","operator":"Exists"}}]')" "pod/upd patched"

# Impersonate-Extra-*, with the 1.35 kubectl's --as-user-extra.
if [ -x "$KUBECTL_NEW" ]; then
	out=$("$KUBECTL_NEW" auth whoami --as jane --as-user-extra scopes=view --as-user-extra scopes=edit -o json 2>&1)
	check_contains "whoami shows the user" "$out" '"username": "jane"'
	check_contains "whoami shows the extra" "$(printf '%s' "$out" | tr -d ' \n')" '"extra":{"scopes":["view","edit"]}'
	k create clusterrole imp --verb=impersonate --resource=users >/dev/null
	tok=$(k create token default)
	k create clusterrolebinding sa-imp --clusterrole=imp --serviceaccount=default:default >/dev/null
	out=$(curl -s --cacert "$D/pki/ca.crt" -H "Authorization: Bearer $tok" -H 'Impersonate-User: jane' \
		-H 'Impersonate-Extra-Scopes: view' "$URL/apis/authentication.k8s.io/v1/selfsubjectreviews" \
		-H 'Content-Type: application/json' -d '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}')
	check_contains "extra needs userextras/<key>" "$out" \
		'userextras.authentication.k8s.io \"view\" is forbidden: User \"system:serviceaccount:default:default\" cannot impersonate resource \"userextras/scopes\" in API group \"authentication.k8s.io\" at the cluster scope'
	k create -f - >/dev/null <<EOD
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: imp-extra}
rules: [{apiGroups: [authentication.k8s.io], resources: [userextras/scopes], verbs: [impersonate]}]
EOD
	k create clusterrolebinding sa-imp-extra --clusterrole=imp-extra --serviceaccount=default:default >/dev/null
	out=$(curl -s --cacert "$D/pki/ca.crt" -H "Authorization: Bearer $tok" -H 'Impersonate-User: jane' \
		-H 'Impersonate-Extra-Scopes: view' "$URL/apis/authentication.k8s.io/v1/selfsubjectreviews" \
		-H 'Content-Type: application/json' -d '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}')
	check_contains "extra allowed once granted" "$out" '"extra":{"scopes":["view"]}'
else
	echo "# no kubectl 1.35 at $KUBECTL_NEW: Impersonate-Extra checks skipped"
fi

# HPA across autoscaling/v1 and v2.
cat >"$T_DIR/hpa1.yaml" <<EOD
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: h1}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 5
  targetCPUUtilizationPercentage: 60
EOD
check_eq "v1 hpa" "$(k create -f "$T_DIR/hpa1.yaml")" "horizontalpodautoscaler.autoscaling/h1 created"
check_eq "v1 hpa read as v2" "$(k get horizontalpodautoscalers.v2.autoscaling h1 -o jsonpath='{.spec.metrics[0].resource.name}={.spec.metrics[0].resource.target.averageUtilization}')" "cpu=60"
check_eq "v1 hpa read as v1" "$(k get horizontalpodautoscalers.v1.autoscaling h1 -o jsonpath='{.apiVersion} {.spec.targetCPUUtilizationPercentage}')" "autoscaling/v1 60"
cat >"$T_DIR/hpa2.yaml" <<EOD
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h2}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  metrics:
  - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}
  - {type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 100Mi}}}
  behavior: {scaleDown: {stabilizationWindowSeconds: 60}}
EOD
check_eq "v2 hpa" "$(k create -f "$T_DIR/hpa2.yaml")" "horizontalpodautoscaler.autoscaling/h2 created"
out=$(k get horizontalpodautoscalers.v1.autoscaling h2 -o json)
check_contains "v2 read as v1: cpu target" "$out" '"targetCPUUtilizationPercentage": 70'
check_contains "v2 read as v1: other metrics annotation" "$out" \
	'"autoscaling.alpha.kubernetes.io/metrics": "[{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"targetAverageValue\":\"100Mi\"}}]"'
check_contains "v2 read as v1: behavior annotation" "$out" '"autoscaling.alpha.kubernetes.io/behavior": "{\"ScaleDown\":{\"StabilizationWindowSeconds\":60'
# (the HPA controller writes the status meanwhile: a replace may meet a
# conflict, and is retried on a fresh read as any client does)
for i in 1 2 3 4 5; do
	k get horizontalpodautoscalers.v1.autoscaling h2 -o json | sed 's/"maxReplicas": 5/"maxReplicas": 6/' >"$T_DIR/h2v1.json"
	out=$(k replace -f "$T_DIR/h2v1.json" 2>&1)
	case $out in *Conflict*) sleep 0.5 ;; *) break ;; esac
done
check_eq "replace through v1" "$out" "horizontalpodautoscaler.autoscaling/h2 replaced"
check_eq "v2 fields survive a v1 round trip" \
	"$(k get horizontalpodautoscalers.v2.autoscaling h2 -o jsonpath='{.spec.maxReplicas} {.spec.metrics[1].resource.name} {.spec.behavior.scaleDown.stabilizationWindowSeconds}')" "6 memory 60"
check_eq "no alpha annotations in v2" "$(k get horizontalpodautoscalers.v2.autoscaling h2 -o jsonpath='{.metadata.annotations}')" ""
k patch horizontalpodautoscalers.v2.autoscaling h2 --subresource=status --type=merge -p \
	'{"status":{"desiredReplicas":1,"currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":42,"averageValue":"21m"}}},{"type":"Resource","resource":{"name":"memory","current":{"averageValue":"50Mi"}}}]}}' >/dev/null
out=$(k get horizontalpodautoscalers.v1.autoscaling h2 -o json)
check_contains "v2 status read as v1: cpu utilization" "$out" '"currentCPUUtilizationPercentage": 42'
check_contains "v2 status read as v1: current-metrics annotation" "$out" \
	'{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"currentAverageValue\":\"50Mi\"}}'
check_eq "current metrics back in v2" \
	"$(k get horizontalpodautoscalers.v2.autoscaling h2 -o jsonpath='{.status.currentMetrics[1].resource.name}={.status.currentMetrics[1].resource.current.averageValue} {.status.currentMetrics[0].resource.current.averageUtilization}')" "memory=50Mi 42"

# Events across v1 and events.k8s.io/v1, in gets, lists and watches.
if [ -f "$D/pki/admin.crt" ]; then
	curl_k -N "$URL/apis/events.k8s.io/v1/namespaces/default/events?watch=1&timeoutSeconds=40" >"$T_DIR/watch-new" &
	w1=$!
	curl_k -N "$URL/api/v1/namespaces/default/events?watch=1&timeoutSeconds=40" >"$T_DIR/watch-old" &
	w2=$!
	sleep 1
	cat >"$T_DIR/ev.yaml" <<EOD
apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: e1}
eventTime: "2026-01-01T00:00:00.000000Z"
reportingController: kdeck.io/test
reportingInstance: test-1
action: Testing
reason: Tested
type: Normal
note: hello
regarding: {kind: Pod, name: upd, namespace: default}
series: {count: 2, lastObservedTime: "2026-01-01T00:00:01.000000Z"}
EOD
	check_eq "events.k8s.io event" "$(k create -f "$T_DIR/ev.yaml")" "event.events.k8s.io/e1 created"
	check_eq "read as core v1" "$(k get events e1 -o jsonpath='{.apiVersion}|{.message}|{.involvedObject.name}|{.reportingComponent}|{.series.count}')" "v1|hello|upd|kdeck.io/test|2"
	check_eq "read as events.k8s.io" "$(k get events.v1.events.k8s.io e1 -o jsonpath='{.note}|{.regarding.name}|{.reportingController}')" "hello|upd|kdeck.io/test"
	check_eq "core v1 event" "$(k create -f - <<EOD
apiVersion: v1
kind: Event
metadata: {name: e2}
involvedObject: {kind: Pod, name: upd, namespace: default}
reason: Old
message: from core
count: 3
source: {component: tester}
type: Warning
EOD
)" "event/e2 created"
	check_eq "core event read as events.k8s.io" \
		"$(k get events.v1.events.k8s.io e2 -o jsonpath='{.note}|{.regarding.name}|{.deprecatedCount}|{.deprecatedSource.component}')" "from core|upd|3|tester"
	check_contains "events.k8s.io list" "$(curl_k "$URL/apis/events.k8s.io/v1/namespaces/default/events")" '"note":"from core"'
	check_eq "events.k8s.io field selector" \
		"$(k get events.v1.events.k8s.io --field-selector reason=Old,involvedObject.name=upd -o jsonpath='{.items[*].metadata.name}')" "e2"
	sleep 1
	kill $w1 $w2 2>/dev/null
	wait $w1 $w2 2>/dev/null
	check_contains "events.k8s.io watch delivers note" "$(cat "$T_DIR/watch-new")" '"note":"hello"'
	check_contains "events.k8s.io watch converts core events" "$(cat "$T_DIR/watch-new")" '"note":"from core"'
	check_contains "core watch delivers message" "$(cat "$T_DIR/watch-old")" '"message":"hello"'
fi
finish
