# SPDX-License-Identifier: Apache-2.0
# Shared by the crd_*.sh tests (sourced after tests/lib.sh): starts a
# cluster, applies the test CRDs (tests/data/crd) and defines run_crud,
# everything one kubectl does with one custom resource.
export HOME="$T_DIR/home"
D="$T_DIR/c"
DATA="$TOP_SRCDIR/tests/data/crd"
PORT=$(free_port)
"$KDECK" cluster up --no-node --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" \
	>"$T_DIR/out" 2>"$T_DIR/err" &
PID=$!
at_exit "kill $PID 2>/dev/null"
wait_for 20 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
kill -0 $PID 2>/dev/null || die "the daemon does not start: $(tail -n 1 "$T_DIR/err")"
export KUBECONFIG="$D/kubeconfig.yaml"
KC=$KUBECTL
k() { "$KC" "$@" 2>&1; }
jp() { "$KC" get "$1" -n crd -o jsonpath="$2" 2>&1; }

k create ns crd >/dev/null
IDX0=$(k get --raw /openapi/v3)
check_contains "CRDs created" "$(k apply -f "$DATA/widgets.yaml")" \
	"customresourcedefinition.apiextensions.k8s.io/widgets.kdeck.example.com created"
check_contains "established" "$(k wait --for condition=established --timeout=10s crd/widgets.kdeck.example.com)" "condition met"
check_eq "NamesAccepted" "$(k get crd widgets.kdeck.example.com -o jsonpath='{.status.conditions[?(@.type=="NamesAccepted")].status} {.status.acceptedNames.kind} {.status.storedVersions}')" \
	'True Widget ["v1"]'
check_contains "api-resources lists the CR" "$(k api-resources --api-group=kdeck.example.com | tr -s ' ')" "widgets wd kdeck.example.com/v1 true Widget"
check_contains "cluster-scoped CR listed" "$(k api-resources --api-group=kdeck.example.com --namespaced=false)" "gadgets"
check_contains "legacy discovery with subresources" \
	"$(k get --raw /apis/kdeck.example.com/v1)" '"name":"widgets/scale"'
check_contains "categories in discovery" "$(k get --raw /apis/kdeck.example.com/v1)" '"categories":["all","kdeck"]'

run_crud() { # label: everything a kubectl does with one CR
	L=$1
	check_eq "$L: create" "$(k apply -f "$DATA/widget-a.yaml")" "widget.kdeck.example.com/wa created"
	check_eq "$L: apply unchanged" "$(k apply -f "$DATA/widget-a.yaml")" "widget.kdeck.example.com/wa unchanged"
	check_eq "$L: defaults applied" "$(jp wd/wa '{.spec.color} {.spec.replicas} {.metadata.generation}')" "blue 2 1"
	check_eq "$L: preserved unknown fields kept" "$(jp wd/wa '{.spec.extra.anything}')" "[1,2]"
	out=$(k get wd -n crd)
	check_contains "$L: printer columns" "$out" "NAME   SIZE    REPLICAS   READY   AGE"
	check_contains "$L: printer cells" "$out" "wa     small   2"
	check_contains "$L: wide columns" "$(k get wd -n crd -o wide)" "READY   COLOR   AGE"
	check_eq "$L: label selector" "$(k get widgets -n crd -l tier=front -o name)" "widget.kdeck.example.com/wa"
	check_eq "$L: label selector (no match)" "$(k get widgets -n crd -l tier=back -o name)" ""
	check_eq "$L: field selector" "$(k get widgets -A --field-selector metadata.namespace=crd,metadata.name=wa -o name)" "widget.kdeck.example.com/wa"
	check_contains "$L: merge patch" "$(k patch wd wa -n crd --type=merge -p '{"spec":{"size":"medium"}}')" "patched"
	check_contains "$L: json patch" "$(k patch wd wa -n crd --type=json -p '[{"op":"replace","path":"/spec/color","value":"red"}]')" "patched"
	check_eq "$L: patches applied, generation bumped" "$(jp wd/wa '{.spec.size} {.spec.color} {.metadata.generation}')" "medium red 3"
	check_contains "$L: strategic merge rejected" "$(k patch wd wa -n crd --type=strategic -p '{"spec":{"size":"large"}}')" \
		"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
	check_contains "$L: server-side apply" "$(k apply --server-side --force-conflicts -f "$DATA/widget-a.yaml")" "serverside-applied"
	check_eq "$L: applied size" "$(jp wd/wa '{.spec.size}')" "small"
	check_contains "$L: scale" "$(k scale wd/wa -n crd --replicas=4)" "scaled"
	check_eq "$L: scale wrote spec.replicas" "$(jp wd/wa '{.spec.replicas}')" "4"
	check_contains "$L: Scale object" "$(k get --raw /apis/kdeck.example.com/v1/namespaces/crd/widgets/wa/scale)" '"spec":{"replicas":4}'
	k patch wd wa -n crd --subresource=status --type=merge \
		-p '{"status":{"replicas":4,"selector":"app=w","conditions":[{"type":"Ready","status":"True"}]},"spec":{"size":"large"}}' >/dev/null
	check_eq "$L: status written, spec ignored" "$(jp wd/wa '{.status.replicas} {.spec.size}')" "4 small"
	check_contains "$L: Ready column" "$(k get wd wa -n crd)" "True"
	gen=$(jp wd/wa '{.metadata.generation}')
	k patch wd wa -n crd --type=merge -p '{"status":{"replicas":9},"metadata":{"labels":{"x":"y"}}}' >/dev/null
	check_eq "$L: status ignored on the main resource, no generation bump" "$(jp wd/wa '{.status.replicas} {.metadata.generation}')" "4 $gen"
	check_contains "$L: Scale selector" "$(k get --raw /apis/kdeck.example.com/v1/namespaces/crd/widgets/wa/scale)" '"selector":"app=w"'
	check_eq "$L: older version served" "$(k get widgets.v1beta1.kdeck.example.com wa -n crd -o jsonpath='{.apiVersion} {.spec.size}')" \
		"kdeck.example.com/v1beta1 small"
	check_contains "$L: kubectl get all (category all)" "$(k get all -n crd)" "widget.kdeck.example.com/wa"
	check_contains "$L: own category" "$(k get kdeck -n crd -o name)" "widget.kdeck.example.com/wa"
	check_contains "$L: explain" "$(k explain widget.spec.size)" "Size of the widget."
	check_contains "$L: delete" "$(k delete wd wa -n crd)" 'widget.kdeck.example.com "wa" deleted'
	check_contains "$L: gone" "$(k get wd wa -n crd)" 'widgets.kdeck.example.com "wa" not found'
}
