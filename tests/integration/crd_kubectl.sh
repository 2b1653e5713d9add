# SPDX-License-Identifier: Apache-2.0
# CustomResourceDefinitions against `kdeck cluster up` with the system
# kubectl: CRD established, discovery, CRUD, list with selectors, watch,
# patch types, client- and server-side apply, printer columns, status and
# scale subresources, validation (422), Strict unknown fields, defaulting,
# two versions, explain, RBAC on the custom resource, categories, name
# conflicts.  crd_lifecycle.sh has the rest.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" curl
. "$TOP_SRCDIR/tests/integration/crd_common.sh"

run_crud kubectl

# OpenAPI v3: the index lists the CRD group-version, its ETag moves with CRDs.
idx=$(k get --raw /openapi/v3)
check_contains "OpenAPI index lists the CRD group-version" "$idx" '"apis/kdeck.example.com/v1"'
check "OpenAPI index changed with the CRDs" [ "$idx" != "$IDX0" ]
check_contains "CRD document has the kind's GVK" "$(k get --raw /openapi/v3/apis/kdeck.example.com/v1)" \
	'"x-kubernetes-group-version-kind":[{"group":"kdeck.example.com","kind":"Widget","version":"v1"}]'

# Validation and field validation.
bad() { # name spec-yaml
	printf 'apiVersion: kdeck.example.com/v1\nkind: Widget\nmetadata: {name: %s, namespace: crd}\nspec: %s\n' "$1" "$2"
}
bad w1 '{size: small, replicas: "three"}' >"$T_DIR/b1.yaml"
check_contains "wrong type -> 422 with the cause" "$(k create -f "$T_DIR/b1.yaml" --validate=false)" \
	'The Widget "w1" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'
bad w2 '{size: huge, replicas: 101}' >"$T_DIR/b2.yaml"
out=$(k create -f "$T_DIR/b2.yaml")
check_contains "enum cause" "$out" 'spec.size: Unsupported value: "huge": supported values: "small", "medium", "large"'
check_contains "maximum cause" "$out" "spec.replicas: Invalid value: 101: spec.replicas in body should be less than or equal to 100"
bad w3 '{replicas: 1}' >"$T_DIR/b3.yaml"
check_contains "required" "$(k create -f "$T_DIR/b3.yaml")" "spec.size: Required value"
bad w4 '{size: small, colour: red}' >"$T_DIR/b4.yaml"
check_contains "Strict unknown field" "$(k create -f "$T_DIR/b4.yaml")" 'strict decoding error: unknown field "spec.colour"'
check_contains "unknown field pruned with --validate=false" "$(k create -f "$T_DIR/b4.yaml" --validate=false)" "created"
check_eq "pruned" "$(jp wd/w4 '{.spec}')" '{"color":"blue","replicas":1,"size":"small"}'
bad w5 '{size: small, color: RED}' >"$T_DIR/b5.yaml"
check_contains "pattern" "$(k create -f "$T_DIR/b5.yaml")" "spec.color in body should match '^[a-z]+\$'"

# RBAC on the custom resource.
k create role widget-reader -n crd --verb=get,list --resource=widgets.kdeck.example.com >/dev/null
k create rolebinding alice-widgets -n crd --role=widget-reader --user=alice >/dev/null
check_eq "role grants list" "$(k auth can-i list widgets.kdeck.example.com -n crd --as alice)" "yes"
check_eq "role does not grant delete" "$(k auth can-i delete widgets.kdeck.example.com -n crd --as alice)" "no"
check_eq "alice lists" "$(k get wd -n crd --as alice -o name)" "widget.kdeck.example.com/w4"
check_contains "alice may not delete" "$(k delete wd w4 -n crd --as alice)" \
	'widgets.kdeck.example.com "w4" is forbidden: User "alice" cannot delete resource "widgets" in API group "kdeck.example.com" in the namespace "crd"'

# Watch sees a custom resource appear.
k get wd -n crd -w --output-watch-events -o name >"$T_DIR/watch" 2>&1 &
WP=$!
at_exit "kill $WP 2>/dev/null"
sleep 1
k apply -f "$DATA/widget-a.yaml" >/dev/null
wait_for 10 grep -q "widget.kdeck.example.com/wa" "$T_DIR/watch"
check_contains "watch event" "$(cat "$T_DIR/watch")" "widget.kdeck.example.com/wa"
kill $WP 2>/dev/null

check_contains "CRD scope is immutable" "$(k patch crd gadgets.kdeck.example.com --type=merge -p '{"spec":{"scope":"Namespaced"}}')" \
	'spec.scope: Invalid value: "Namespaced": field is immutable'

# Cluster-scoped CR.
printf 'apiVersion: kdeck.example.com/v1\nkind: Gadget\nmetadata: {name: g1}\nspec: {mode: fast}\n' >"$T_DIR/g.yaml"
check_eq "cluster-scoped create" "$(k apply -f "$T_DIR/g.yaml")" "gadget.kdeck.example.com/g1 created"
check_contains "default columns" "$(k get gadgets)" "NAME   AGE"

# A conflicting CRD (same kind in the same group) is not accepted.
sed -e 's/widgets\.kdeck/things.kdeck/; s/plural: widgets/plural: things/; s/singular: widget/singular: thing/; s/shortNames: \[wd\]/shortNames: [th]/' \
	"$DATA/widgets.yaml" | awk '/^---/{exit} {print}' >"$T_DIR/conflict.yaml"
k apply -f "$T_DIR/conflict.yaml" >/dev/null
wait_for 5 sh -c "'$KC' get crd things.kdeck.example.com -o jsonpath='{.status.conditions}' | grep -q NamesAccepted"
check_eq "name conflict reported" "$(k get crd things.kdeck.example.com -o jsonpath='{.status.conditions[?(@.type=="NamesAccepted")].status} {.status.conditions[?(@.type=="NamesAccepted")].message}')" \
	'False "Widget" is already in use'
check_contains "conflicting CRD not served" "$(k get things -n crd)" "the server doesn't have a resource type"

finish
