# SPDX-License-Identifier: Apache-2.0
# CustomResourceDefinition value validations against `kdeck cluster up`,
# once with kubectl 1.32 and once with 1.35 ($KUBECTL_NEW, skipped only
# when absent), each pass on a fresh cluster: combinators, formats,
# int-or-string, list types, RE2 patterns, server-side apply of list-maps,
# CRD API rules (protected groups, stored versions), Strict validation of
# built-in kinds from the protobuf tables, validation ratcheting on update,
# duplicate fields (fieldValidation Strict and Warn).
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" curl

export HOME="$T_DIR/home"
k() { "$KC" "$@" 2>&1; }
jp() { "$KC" get "$1" -n crd -o jsonpath="$2" 2>&1; }

validate_pass() {
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
	check_contains "$L: probe CRD created" "$(k apply -f "$T_DIR/probes.yaml")" "created"
	k wait --for condition=established --timeout=10s crd/probes.kdeck.example.com >/dev/null
	probe() { # name spec-yaml
		printf 'apiVersion: kdeck.example.com/v1\nkind: Probe\nmetadata: {name: %s, namespace: crd}\nspec: %s\n' "$1" "$2"
	}
	probe p1 '{url: "https://a.example/x", version: v1.2, port: http, tags: [a, b], ports: [{name: a, number: 1}]}' >"$T_DIR/p1.yaml"
	check_contains "$L: valid probe" "$(k create -f "$T_DIR/p1.yaml")" "probe.kdeck.example.com/p1 created"
	probe p2 '{version: "1.2"}' >"$T_DIR/p2.yaml"
	out=$(k create -f "$T_DIR/p2.yaml")
	check_contains "$L: oneOf none valid" "$out" '"spec" must validate one and only one schema (oneOf). Found none valid'
	check_contains "$L: RE2 \\d pattern" "$out" "spec.version in body should match '^v\\d+(\\.\\d+)?\$'"
	probe p3 '{url: "https://a", host: b.example.com}' >"$T_DIR/p3.yaml"
	check_contains "$L: oneOf two valid" "$(k create -f "$T_DIR/p3.yaml")" 'Found 2 valid alternatives'
	probe p4 '{host: "-x-", addr: 1.2.3}' >"$T_DIR/p4.yaml"
	out=$(k create -f "$T_DIR/p4.yaml")
	check_contains "$L: hostname format" "$out" 'spec.host in body must be of type hostname: "-x-"'
	check_contains "$L: ipv4 format" "$out" 'spec.addr in body must be of type ipv4: "1.2.3"'
	probe p5 '{host: h, tags: [a, b, a], ports: [{name: x, number: 1}, {name: x, number: 2}]}' >"$T_DIR/p5.yaml"
	out=$(k create -f "$T_DIR/p5.yaml")
	check_contains "$L: list-type set duplicate" "$out" 'spec.tags[2]: Duplicate value: "a"'
	check_contains "$L: list-type map duplicate key" "$out" 'spec.ports[1]: Duplicate value: map[string]interface {}{"name":"x"}'
	check_contains "$L: v3: int-or-string unfolded as apiextensions does" \
		"$(k get --raw /openapi/v3/apis/kdeck.example.com/v1)" \
		'"weight":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]}'
	check_contains "$L: explain: int-or-string is <Object> (kubectl's typeGuess)" "$(k explain probes.spec.weight)" "FIELD: weight <Object>"
	check_contains "$L: update checked too" "$(k patch probe p1 -n crd --type=merge -p '{"spec":{"tags":["z","z"]}}')" \
		'spec.tags[1]: Duplicate value: "z"'

	# Server-side apply merges list-maps by x-kubernetes-list-map-keys.
	probe p6 '{host: h, ports: [{name: a, number: 1}]}' >"$T_DIR/p6a.yaml"
	probe p6 '{host: h, ports: [{name: b, number: 2}]}' >"$T_DIR/p6b.yaml"
	probe p6 '{host: h, ports: []}' >"$T_DIR/p6c.yaml"
	check_contains "$L: SSA by m1" "$(k apply --server-side --field-manager=m1 -f "$T_DIR/p6a.yaml")" "serverside-applied"
	check_contains "$L: SSA by m2, other key: no conflict" "$(k apply --server-side --field-manager=m2 -f "$T_DIR/p6b.yaml")" "serverside-applied"
	check_eq "$L: both elements kept" "$(jp probe/p6 '{.spec.ports[*].name}')" "a b"
	check_contains "$L: m2 owns its element by key" "$(k get probe p6 -n crd --show-managed-fields -o jsonpath='{.metadata.managedFields[?(@.manager=="m2")].fieldsV1}')" \
		'"k:{\"name\":\"b\"}"'
	k apply --server-side --field-manager=m1 -f "$T_DIR/p6c.yaml" >/dev/null
	check_eq "$L: m1 gave up its element" "$(jp probe/p6 '{.spec.ports[*].name}')" "b"

	# CRD API rules: protected groups need the approval annotation; a stored
	# version cannot leave spec.versions.
	sed -e 's/probes\.kdeck\.example\.com/probes.networking.k8s.io/; s/group: kdeck\.example\.com/group: networking.k8s.io/' \
		"$T_DIR/probes.yaml" >"$T_DIR/protected.yaml"
	check_contains "$L: protected group refused" "$(k apply -f "$T_DIR/protected.yaml")" \
		'metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111'
	k patch crd probes.kdeck.example.com --type=json -p '[{"op":"replace","path":"/spec/versions/0/storage","value":false},{"op":"add","path":"/spec/versions/-","value":{"name":"v2","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}]' >/dev/null
	wait_for 10 sh -c "'$KC' get crd probes.kdeck.example.com -o jsonpath='{.status.storedVersions}' | grep -q v2"
	check_eq "$L: both versions stored" "$(k get crd probes.kdeck.example.com -o jsonpath='{.status.storedVersions}')" '["v1","v2"]'
	check_contains "$L: stored version may not be removed" "$(k patch crd probes.kdeck.example.com --type=json -p '[{"op":"remove","path":"/spec/versions/0"}]')" \
		'status.storedVersions[0]: Invalid value: "v1": missing from spec.versions; v1 was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in v1 and removes v1 from status.storedVersions'
	check_contains "$L: two storage versions refused" "$(k patch crd probes.kdeck.example.com --type=json -p '[{"op":"replace","path":"/spec/versions/0/storage","value":true}]')" \
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
	check_contains "$L: NetworkPolicy typo: strict decoding error" "$(k apply -f "$T_DIR/np.yaml")" \
		'strict decoding error: unknown field "spec.ingress[0].form"'
	printf 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: sc1}\nprovisioner: x\nreclaimPolicyy: Delete\n' >"$T_DIR/sc.yaml"
	check_contains "$L: StorageClass typo: strict decoding error" "$(k create -f "$T_DIR/sc.yaml")" \
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
	check_contains "$L: look-ahead pattern refused as Go refuses it" "$(k apply -f "$T_DIR/pat1.yaml")" \
		'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[word].pattern: Invalid value: "^(?=a)": must be a valid regular expression, but isn'"'"'t: error parsing regexp: invalid or unsupported Perl syntax: `(?=`'
	pat_crd greet '^(?i)\pL+\b' >"$T_DIR/pat2.yaml"
	check_contains "$L: RE2 pattern with \\pL and \\b accepted" "$(k apply -f "$T_DIR/pat2.yaml")" "created"
	wait_for 10 sh -c "'$KC' get greets -n crd >/dev/null 2>&1"
	printf 'apiVersion: kdeck.example.com/v1\nkind: Greet\nmetadata: {name: g1, namespace: crd}\nspec: {word: "Éclair"}\n' >"$T_DIR/g1.yaml"
	check_contains "$L: unicode letters match \\pL" "$(k apply -f "$T_DIR/g1.yaml")" "greet.kdeck.example.com/g1 created"
	printf 'apiVersion: kdeck.example.com/v1\nkind: Greet\nmetadata: {name: g2, namespace: crd}\nspec: {word: "42"}\n' >"$T_DIR/g2.yaml"
	check_contains "$L: pattern mismatch refused" "$(k apply -f "$T_DIR/g2.yaml")" \
		"spec.word: Invalid value: \"42\": spec.word in body should match '^(?i)\\pL+\\b'"

	# Ratcheting: an unchanged invalid value is tolerated on update.
	pat_crd rat '^[a-z0-9]+$' >"$T_DIR/rats.yaml"
	k apply -f "$T_DIR/rats.yaml" >/dev/null
	k wait --for condition=established --timeout=10s crd/rats.kdeck.example.com >/dev/null
	k patch crd rats.kdeck.example.com --type=json -p '[{"op":"add","path":"/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/level","value":{"type":"integer"}}]' >/dev/null
	printf 'apiVersion: kdeck.example.com/v1\nkind: Rat\nmetadata: {name: r1, namespace: crd}\nspec: {word: h, level: 7}\n' >"$T_DIR/r1.yaml"
	wait_for 10 sh -c "'$KC' create -f '$T_DIR/r1.yaml' --dry-run=server"
	check_contains "$L: ratchet: created while valid" "$(k apply -f "$T_DIR/r1.yaml")" "rat.kdeck.example.com/r1 created"
	k patch crd rats.kdeck.example.com --type=json -p '[{"op":"add","path":"/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/level/maximum","value":5}]' >/dev/null
	wait_for 10 sh -c "'$KC' patch rats r1 -n crd --dry-run=server --type=merge -p '{\"spec\":{\"level\":8}}' 2>&1 | grep -q 'less than or equal to 5'"
	check_contains "$L: ratchet: a changed invalid value refused" "$(k patch rats r1 -n crd --type=merge -p '{"spec":{"level":8}}')" \
		"spec.level: Invalid value: 8: spec.level in body should be less than or equal to 5"
	sed 's/word: h,/word: h2,/' "$T_DIR/r1.yaml" >"$T_DIR/r2.yaml"
	check_contains "$L: ratchet: apply changing another field, the old value stays" \
		"$(k apply -f "$T_DIR/r2.yaml")" "rat.kdeck.example.com/r1 configured"
	check_contains "$L: ratchet: patch of another field" "$(k patch rats r1 -n crd --type=merge -p '{"metadata":{"labels":{"x":"y"}}}')" "patched"
	check_eq "$L: ratchet: the invalid value kept" "$(jp rats/r1 '{.spec.word} {.spec.level}')" "h2 7"
	check_contains "$L: ratchet: server-side apply" "$(k apply --server-side --force-conflicts -f "$T_DIR/r1.yaml")" "serverside-applied"

	# Duplicate fields: Strict refuses them, Warn keeps the last one.
	printf '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d1","name":"d2"},"data":{"a":"1","a":"2"}}' >"$T_DIR/dup.json"
	check_contains "$L: duplicate fields refused (Strict)" \
		"$(k create --raw "/api/v1/namespaces/crd/configmaps?fieldValidation=Strict" -f "$T_DIR/dup.json")" \
		'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.name", duplicate field "data.a"'
	check_contains "$L: duplicate fields warned (Warn)" \
		"$(k create --raw "/api/v1/namespaces/crd/configmaps?fieldValidation=Warn" -f "$T_DIR/dup.json")" 'Warning: duplicate field "metadata.name"'
	check_eq "$L: the last duplicate wins" "$(jp cm/d2 '{.data.a}')" "2"
	printf '{"apiVersion":"kdeck.example.com/v1","kind":"Probe","metadata":{"name":"d3"},"spec":{"host":"a","host":"b"}}' >"$T_DIR/dup3.json"
	check_contains "$L: duplicate field of a custom resource" \
		"$(k create --raw "/apis/kdeck.example.com/v1/namespaces/crd/probes?fieldValidation=Strict" -f "$T_DIR/dup3.json")" \
		'strict decoding error: duplicate field "spec.host"'
}

start_cluster --no-node
KC=$KUBECTL L=1.32
k create ns crd >/dev/null
validate_pass
if [ -x "$KUBECTL_NEW" ]; then
	kill "$PID" 2>/dev/null
	wait "$PID" 2>/dev/null
	mv "$T_DIR/err" "$T_DIR/err1"	# kept for finish's sanitizer scan
	D="$T_DIR/c2" start_cluster --no-node
	KC=$KUBECTL_NEW L=1.35
	k create ns crd >/dev/null
	validate_pass
else
	echo "# $KUBECTL_NEW not found: the kubectl 1.35 pass is skipped"
fi
finish
