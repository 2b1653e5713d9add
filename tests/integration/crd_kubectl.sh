# SPDX-License-Identifier: Apache-2.0
# CustomResourceDefinitions against `kdeck cluster up`: run_crud (CRD
# established, discovery, CRUD, list with selectors, patch types, client-
# and server-side apply, printer columns, status and scale subresources,
# two versions, explain, categories) with kubectl 1.32 (crd_lifecycle.sh
# runs it with 1.35), then, once with kubectl 1.32 and once with 1.35
# (skipped only when absent), each pass with CRDs of a group and a
# namespace of its own: OpenAPI v3 of the CRDs, validation (422), Strict
# unknown fields, pruning, RBAC on the custom resource, watch, immutable
# scope, cluster-scoped resources, name conflicts.  crd_validate.sh has the
# value validations, crd_lifecycle.sh the rest.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" curl
. "$TOP_SRCDIR/tests/integration/crd_common.sh"

run_crud kubectl

crd_pass() { # label kubectl group namespace
	L=$1 KC=$2 G=$3 N=$4
	W=widgets.$G
	pj() { "$KC" get "$1" -n "$N" -o jsonpath="$2" 2>&1; }
	sed "s/kdeck\.example\.com/$G/" "$DATA/widgets.yaml" >"$T_DIR/widgets-$N.yaml"
	if [ "$G" != kdeck.example.com ]; then
		k create ns "$N" >/dev/null
		IDX0=$(k get --raw /openapi/v3)
		check_contains "$L: CRDs created" "$(k apply -f "$T_DIR/widgets-$N.yaml")" "$W created"
		k wait --for condition=established --timeout=10s "crd/$W" "crd/gadgets.$G" >/dev/null
	fi

	# OpenAPI v3: the index lists the CRD group-version, its ETag moves with CRDs.
	idx=$(k get --raw /openapi/v3)
	check_contains "$L: OpenAPI index lists the CRD group-version" "$idx" "\"apis/$G/v1\""
	check "$L: OpenAPI index changed with the CRDs" [ "$idx" != "$IDX0" ]
	check_contains "$L: CRD document has the kind's GVK" "$(k get --raw "/openapi/v3/apis/$G/v1")" \
		"\"x-kubernetes-group-version-kind\":[{\"group\":\"$G\",\"kind\":\"Widget\",\"version\":\"v1\"}]"

	# Validation and field validation.
	bad() { # name spec-yaml
		printf 'apiVersion: %s/v1\nkind: Widget\nmetadata: {name: %s, namespace: %s}\nspec: %s\n' "$G" "$1" "$N" "$2"
	}
	bad w1 '{size: small, replicas: "three"}' >"$T_DIR/b1.yaml"
	check_contains "$L: wrong type -> 422 with the cause" "$(k create -f "$T_DIR/b1.yaml" --validate=false)" \
		'The Widget "w1" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'
	bad w2 '{size: huge, replicas: 101}' >"$T_DIR/b2.yaml"
	out=$(k create -f "$T_DIR/b2.yaml")
	check_contains "$L: enum cause" "$out" 'spec.size: Unsupported value: "huge": supported values: "small", "medium", "large"'
	check_contains "$L: maximum cause" "$out" "spec.replicas: Invalid value: 101: spec.replicas in body should be less than or equal to 100"
	bad w3 '{replicas: 1}' >"$T_DIR/b3.yaml"
	check_contains "$L: required" "$(k create -f "$T_DIR/b3.yaml")" "spec.size: Required value"
	bad w4 '{size: small, colour: red}' >"$T_DIR/b4.yaml"
	check_contains "$L: Strict unknown field" "$(k create -f "$T_DIR/b4.yaml")" 'strict decoding error: unknown field "spec.colour"'
	check_contains "$L: unknown field pruned with --validate=false" "$(k create -f "$T_DIR/b4.yaml" --validate=false)" "created"
	check_eq "$L: pruned" "$(pj "$W/w4" '{.spec}')" '{"color":"blue","replicas":1,"size":"small"}'
	bad w5 '{size: small, color: RED}' >"$T_DIR/b5.yaml"
	check_contains "$L: pattern" "$(k create -f "$T_DIR/b5.yaml")" "spec.color in body should match '^[a-z]+\$'"

	# RBAC on the custom resource.
	k create role widget-reader -n "$N" --verb=get,list --resource="$W" >/dev/null
	k create rolebinding alice-widgets -n "$N" --role=widget-reader --user=alice >/dev/null
	check_eq "$L: role grants list" "$(k auth can-i list "$W" -n "$N" --as alice)" "yes"
	check_eq "$L: role does not grant delete" "$(k auth can-i delete "$W" -n "$N" --as alice)" "no"
	check_eq "$L: alice lists" "$(k get "$W" -n "$N" --as alice -o name)" "widget.$G/w4"
	check_contains "$L: alice may not delete" "$(k delete "$W" w4 -n "$N" --as alice)" \
		"$W \"w4\" is forbidden: User \"alice\" cannot delete resource \"widgets\" in API group \"$G\" in the namespace \"$N\""

	# Watch sees a custom resource appear.
	k get "$W" -n "$N" -w --output-watch-events -o name >"$T_DIR/watch" 2>&1 &
	WP=$!
	at_exit "kill $WP 2>/dev/null"
	sleep 1
	sed "s/kdeck\.example\.com/$G/; s/namespace: crd/namespace: $N/" "$DATA/widget-a.yaml" | k apply -f - >/dev/null
	wait_for 10 grep -q "widget.$G/wa" "$T_DIR/watch"
	check_contains "$L: watch event" "$(cat "$T_DIR/watch")" "widget.$G/wa"
	kill $WP 2>/dev/null

	check_contains "$L: CRD scope is immutable" "$(k patch crd "gadgets.$G" --type=merge -p '{"spec":{"scope":"Namespaced"}}')" \
		'spec.scope: Invalid value: "Namespaced": field is immutable'

	# Cluster-scoped CR.
	printf 'apiVersion: %s/v1\nkind: Gadget\nmetadata: {name: g1}\nspec: {mode: fast}\n' "$G" >"$T_DIR/g.yaml"
	check_eq "$L: cluster-scoped create" "$(k apply -f "$T_DIR/g.yaml")" "gadget.$G/g1 created"
	check_contains "$L: default columns" "$(k get "gadgets.$G")" "NAME   AGE"

	# A conflicting CRD (same kind in the same group) is not accepted.
	sed -e 's/name: widgets\./name: things./; s/plural: widgets/plural: things/; s/singular: widget/singular: thing/; s/shortNames: \[wd\]/shortNames: [th]/' \
		"$T_DIR/widgets-$N.yaml" | awk '/^---/{exit} {print}' >"$T_DIR/conflict.yaml"
	k apply -f "$T_DIR/conflict.yaml" >/dev/null
	wait_for 5 sh -c "'$KC' get crd things.$G -o jsonpath='{.status.conditions}' | grep -q NamesAccepted"
	check_eq "$L: name conflict reported" "$(k get crd "things.$G" -o jsonpath='{.status.conditions[?(@.type=="NamesAccepted")].status} {.status.conditions[?(@.type=="NamesAccepted")].message}')" \
		'False "Widget" is already in use'
	check_contains "$L: conflicting CRD not served" "$(k get "things.$G" -n "$N")" "the server doesn't have a resource type"
}

crd_pass 1.32 "$KUBECTL" kdeck.example.com crd
if [ -x "$KUBECTL_NEW" ]; then
	crd_pass 1.35 "$KUBECTL_NEW" new.kdeck.example.com crd-new
else
	echo "# $KUBECTL_NEW not found: the kubectl 1.35 pass is skipped"
fi
finish
