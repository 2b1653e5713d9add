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

# Value validations beyond types: combinators, formats, list types, RE2 patterns.
cat >"$T_DIR/probes.yaml" <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: probes.kdeck.example.com}
spec:
  group: kdeck.example.com
  scope: Namespaced
  names: {plural: probes, singular: probe, kind: Probe}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            oneOf:
            - required: [url]
            - required: [host]
            properties:
              url: {type: string, format: uri}
              host: {type: string, format: hostname}
              addr: {type: string, format: ipv4}
              version: {type: string, pattern: '^v\d+(\.\d+)?$'}
              port:
                x-kubernetes-int-or-string: true
                anyOf: [{type: integer}, {type: string}]
              weight: {x-kubernetes-int-or-string: true}
              tags:
                type: array
                x-kubernetes-list-type: set
                items: {type: string}
              ports:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    number: {type: integer}
YAML
check_contains "probe CRD created" "$(k apply -f "$T_DIR/probes.yaml")" "created"
k wait --for condition=established --timeout=10s crd/probes.kdeck.example.com >/dev/null
probe() { # name spec-yaml
	printf 'apiVersion: kdeck.example.com/v1\nkind: Probe\nmetadata: {name: %s, namespace: crd}\nspec: %s\n' "$1" "$2"
}
probe p1 '{url: "https://a.example/x", version: v1.2, port: http, tags: [a, b], ports: [{name: a, number: 1}]}' >"$T_DIR/p1.yaml"
check_contains "valid probe" "$(k create -f "$T_DIR/p1.yaml")" "probe.kdeck.example.com/p1 created"
probe p2 '{version: "1.2"}' >"$T_DIR/p2.yaml"
out=$(k create -f "$T_DIR/p2.yaml")
check_contains "oneOf none valid" "$out" '"spec" must validate one and only one schema (oneOf). Found none valid'
check_contains "RE2 \\d pattern" "$out" "spec.version in body should match '^v\\d+(\\.\\d+)?\$'"
probe p3 '{url: "https://a", host: b.example.com}' >"$T_DIR/p3.yaml"
check_contains "oneOf two valid" "$(k create -f "$T_DIR/p3.yaml")" 'Found 2 valid alternatives'
probe p4 '{host: "-x-", addr: 1.2.3}' >"$T_DIR/p4.yaml"
out=$(k create -f "$T_DIR/p4.yaml")
check_contains "hostname format" "$out" 'spec.host in body must be of type hostname: "-x-"'
check_contains "ipv4 format" "$out" 'spec.addr in body must be of type ipv4: "1.2.3"'
probe p5 '{host: h, tags: [a, b, a], ports: [{name: x, number: 1}, {name: x, number: 2}]}' >"$T_DIR/p5.yaml"
out=$(k create -f "$T_DIR/p5.yaml")
check_contains "list-type set duplicate" "$out" 'spec.tags[2]: Duplicate value: "a"'
check_contains "list-type map duplicate key" "$out" 'spec.ports[1]: Duplicate value: map[string]interface {}{"name":"x"}'
check_contains "v3: int-or-string unfolded as apiextensions does" \
	"$(k get --raw /openapi/v3/apis/kdeck.example.com/v1)" \
	'"weight":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]}'
check_contains "explain: int-or-string is <Object> (kubectl's typeGuess)" "$(k explain probes.spec.weight)" "FIELD: weight <Object>"
check_contains "update checked too" "$(k patch probe p1 -n crd --type=merge -p '{"spec":{"tags":["z","z"]}}')" \
	'spec.tags[1]: Duplicate value: "z"'

# Server-side apply merges list-maps by x-kubernetes-list-map-keys.
probe p6 '{host: h, ports: [{name: a, number: 1}]}' >"$T_DIR/p6a.yaml"
probe p6 '{host: h, ports: [{name: b, number: 2}]}' >"$T_DIR/p6b.yaml"
probe p6 '{host: h, ports: []}' >"$T_DIR/p6c.yaml"
check_contains "SSA by m1" "$(k apply --server-side --field-manager=m1 -f "$T_DIR/p6a.yaml")" "serverside-applied"
check_contains "SSA by m2, other key: no conflict" "$(k apply --server-side --field-manager=m2 -f "$T_DIR/p6b.yaml")" "serverside-applied"
check_eq "both elements kept" "$(jp probe/p6 '{.spec.ports[*].name}')" "a b"
check_contains "m2 owns its element by key" "$(k get probe p6 -n crd --show-managed-fields -o jsonpath='{.metadata.managedFields[?(@.manager=="m2")].fieldsV1}')" \
	'"k:{\"name\":\"b\"}"'
k apply --server-side --field-manager=m1 -f "$T_DIR/p6c.yaml" >/dev/null
check_eq "m1 gave up its element" "$(jp probe/p6 '{.spec.ports[*].name}')" "b"

# CRD API rules: protected groups need the approval annotation; a stored
# version cannot leave spec.versions.
sed -e 's/probes\.kdeck\.example\.com/probes.networking.k8s.io/; s/group: kdeck\.example\.com/group: networking.k8s.io/' \
	"$T_DIR/probes.yaml" >"$T_DIR/protected.yaml"
check_contains "protected group refused" "$(k apply -f "$T_DIR/protected.yaml")" \
	'metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111'
k patch crd probes.kdeck.example.com --type=json -p '[{"op":"replace","path":"/spec/versions/0/storage","value":false},{"op":"add","path":"/spec/versions/-","value":{"name":"v2","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}]' >/dev/null
wait_for 10 sh -c "'$KC' get crd probes.kdeck.example.com -o jsonpath='{.status.storedVersions}' | grep -q v2"
check_eq "both versions stored" "$(k get crd probes.kdeck.example.com -o jsonpath='{.status.storedVersions}')" '["v1","v2"]'
check_contains "stored version may not be removed" "$(k patch crd probes.kdeck.example.com --type=json -p '[{"op":"remove","path":"/spec/versions/0"}]')" \
	'status.storedVersions[0]: Invalid value: "v1": missing from spec.versions; v1 was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in v1 and removes v1 from status.storedVersions'
check_contains "two storage versions refused" "$(k patch crd probes.kdeck.example.com --type=json -p '[{"op":"replace","path":"/spec/versions/0/storage","value":true}]')" \
	'must have exactly one version marked as storage version'

# Built-in kinds from the generated protobuf tables: Strict field validation.
cat >"$T_DIR/np.yaml" <<'YAML'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np, namespace: crd}
spec:
  podSelector: {}
  ingress:
  - form: [{podSelector: {}}]
YAML
check_contains "NetworkPolicy typo: strict decoding error" "$(k apply -f "$T_DIR/np.yaml")" \
	'strict decoding error: unknown field "spec.ingress[0].form"'
printf 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: sc1}\nprovisioner: x\nreclaimPolicyy: Delete\n' >"$T_DIR/sc.yaml"
check_contains "StorageClass typo: strict decoding error" "$(k create -f "$T_DIR/sc.yaml")" \
	'strict decoding error: unknown field "reclaimPolicyy"'


# pattern: Go RE2 syntax (PCRE2 underneath); what Go rejects refuses the CRD.
pat_crd() { # name pattern
	cat <<YAML
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: $1s.kdeck.example.com}
spec:
  group: kdeck.example.com
  scope: Namespaced
  names: {plural: $1s, kind: $(echo "$1" | sed 's/^./\U&/')}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              word: {type: string, pattern: '$2'}
YAML
}
pat_crd lookahead '^(?=a)' >"$T_DIR/pat1.yaml"
check_contains "look-ahead pattern refused as Go refuses it" "$(k apply -f "$T_DIR/pat1.yaml")" \
	'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[word].pattern: Invalid value: "^(?=a)": must be a valid regular expression, but isn'"'"'t: error parsing regexp: invalid or unsupported Perl syntax: `(?=`'
pat_crd greet '^(?i)\pL+\b' >"$T_DIR/pat2.yaml"
check_contains "RE2 pattern with \\pL and \\b accepted" "$(k apply -f "$T_DIR/pat2.yaml")" "created"
wait_for 10 sh -c "'$KUBECTL' get greets -n crd >/dev/null 2>&1"
printf 'apiVersion: kdeck.example.com/v1\nkind: Greet\nmetadata: {name: g1, namespace: crd}\nspec: {word: "Éclair"}\n' >"$T_DIR/g1.yaml"
check_contains "unicode letters match \\pL" "$(k apply -f "$T_DIR/g1.yaml")" "greet.kdeck.example.com/g1 created"
printf 'apiVersion: kdeck.example.com/v1\nkind: Greet\nmetadata: {name: g2, namespace: crd}\nspec: {word: "42"}\n' >"$T_DIR/g2.yaml"
check_contains "pattern mismatch refused" "$(k apply -f "$T_DIR/g2.yaml")" \
	"spec.word: Invalid value: \"42\": spec.word in body should match '^(?i)\\pL+\\b'"

finish
