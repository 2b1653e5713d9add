# SPDX-License-Identifier: Apache-2.0
# The editing commands of kubectl against `kdeck cluster up`, with kubectl
# 1.32 and 1.35 (apply_common.sh runs the pass once per kubectl, each in a
# namespace of its own): apply --prune, create -f of several documents,
# replace -f, label, annotate, set image, set env, rollout restart, scale,
# patch (json/merge/strategic, failing and no-op patches), explain.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" curl
. "$TOP_SRCDIR/tests/integration/apply_common.sh"

edit_pass() {
	dep web 1 nginx:1.28 >"$T_DIR/d.yaml"
	check_eq "$L: apply creates" "$(k apply -f "$T_DIR/d.yaml")" "deployment.apps/web created"

	# Prune.
	cat >"$T_DIR/p.yaml" <<-EOD
	apiVersion: v1
	kind: ConfigMap
	metadata: {name: p1, namespace: $N, labels: {app: x}}
	data: {a: "1"}
	---
	apiVersion: v1
	kind: ConfigMap
	metadata: {name: p2, namespace: $N, labels: {app: x}}
	data: {a: "2"}
	EOD
	check_contains "$L: multi-document apply" "$(k apply -f "$T_DIR/p.yaml")" "configmap/p2 created"
	head -n 4 "$T_DIR/p.yaml" >"$T_DIR/p1.yaml"
	out=$(k apply -n "$N" --prune -l app=x --prune-allowlist=core/v1/ConfigMap -f "$T_DIR/p1.yaml")
	check_contains "$L: prune reports" "$out" "configmap/p2 pruned"
	check_contains "$L: pruned object gone" "$(k get cm p2 -n "$N")" "NotFound"
	check_contains "$L: kept object" "$(k get cm p1 -n "$N")" "p1"

	# create -f multi-document, replace -f.
	sed 's/p1/c1/; s/p2/c2/' "$T_DIR/p.yaml" >"$T_DIR/c.yaml"
	out=$(k create -f "$T_DIR/c.yaml")
	check_contains "$L: create -f multi-doc first" "$out" "configmap/c1 created"
	check_contains "$L: create -f multi-doc second" "$out" "configmap/c2 created"
	sed 's/"1"/"9"/' "$T_DIR/c.yaml" >"$T_DIR/c9.yaml"
	check_contains "$L: replace -f" "$(k replace -f "$T_DIR/c9.yaml")" "configmap/c1 replaced"
	check_eq "$L: replace visible" "$(jp cm/c1 '{.data.a}')" "9"

	# label, annotate.
	check_eq "$L: label" "$(k label cm c1 -n "$N" tier=db)" "configmap/c1 labeled"
	check_contains "$L: label exists without --overwrite" "$(k label cm c1 -n "$N" tier=web)" "already has a value (db)"
	check_eq "$L: label --overwrite" "$(k label cm c1 -n "$N" tier=web --overwrite)" "configmap/c1 labeled"
	check_eq "$L: label value" "$(jp cm/c1 '{.metadata.labels.tier}')" "web"
	check_eq "$L: label removal" "$(k label cm c1 -n "$N" tier-)" "configmap/c1 unlabeled"
	check_eq "$L: label removed" "$(jp cm/c1 '{.metadata.labels.tier}')" ""
	check_eq "$L: annotate" "$(k annotate cm c1 -n "$N" note=hi)" "configmap/c1 annotated"
	check_eq "$L: annotate --overwrite" "$(k annotate cm c1 -n "$N" note=ho --overwrite)" "configmap/c1 annotated"
	check_eq "$L: annotation value" "$(jp cm/c1 '{.metadata.annotations.note}')" "ho"
	check_eq "$L: annotation removal" "$(k annotate cm c1 -n "$N" note-)" "configmap/c1 annotated"
	check_eq "$L: annotation removed" "$(jp cm/c1 '{.metadata.annotations.note}')" ""

	# set image, set env, rollout restart, scale.
	check_eq "$L: set image" "$(k set image deploy/web -n "$N" main=nginx:1.29)" "deployment.apps/web image updated"
	check_eq "$L: image visible" "$(jp deploy/web '{.spec.template.spec.containers[0].image}')" "nginx:1.29"
	check_eq "$L: set env" "$(k set env deploy/web -n "$N" MODE=fast)" "deployment.apps/web env updated"
	check_eq "$L: env visible" "$(jp deploy/web '{.spec.template.spec.containers[0].env[0].name}={.spec.template.spec.containers[0].env[0].value}')" "MODE=fast"
	check_eq "$L: rollout restart" "$(k rollout restart deploy/web -n "$N")" "deployment.apps/web restarted"
	check_contains "$L: restartedAt in template" "$(jp deploy/web '{.spec.template.metadata.annotations}')" "kubectl.kubernetes.io/restartedAt"
	check_eq "$L: scale" "$(k scale deploy/web -n "$N" --replicas=4)" "deployment.apps/web scaled"
	check_eq "$L: scale visible" "$(jp deploy/web '{.spec.replicas}')" "4"

	# patch.
	check_eq "$L: patch json" "$(k patch deploy web -n "$N" --type=json -p '[{"op":"replace","path":"/spec/replicas","value":6}]')" "deployment.apps/web patched"
	check_eq "$L: patch merge" "$(k patch deploy web -n "$N" --type=merge -p '{"metadata":{"labels":{"m":"1"}}}')" "deployment.apps/web patched"
	check_eq "$L: patch strategic" "$(k patch deploy web -n "$N" --type=strategic -p '{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:1.30"}]}}}}')" "deployment.apps/web patched"
	check_eq "$L: patches visible" "$(jp deploy/web '{.spec.replicas} {.metadata.labels.m} {.spec.template.spec.containers[0].image}')" "6 1 nginx:1.30"
	# (generation, not resourceVersion: the deployment controller writes
	# the status meanwhile)
	gen=$(jp deploy/web '{.metadata.generation}')
	out=$(k patch deploy web -n "$N" --type=json -p '[{"op":"replace","path":"/spec/replicas","value":8},{"op":"test","path":"/spec/replicas","value":99}]')
	check_contains "$L: patch test op fails" "$out" 'The request is invalid: the server rejected our request due to an error in our request'
	check_eq "$L: failed test op wrote nothing" "$(jp deploy/web '{.spec.replicas} {.metadata.generation}')" "6 $gen"
	check_eq "$L: patch no-op" "$(k patch deploy web -n "$N" --type=merge -p '{"spec":{"replicas":6}}')" "deployment.apps/web patched (no change)"
	check_eq "$L: patch of a missing object" "$(k patch deploy nope -n "$N" --type=merge -p '{"spec":{"replicas":1}}')" \
		'Error from server (NotFound): deployments.apps "nope" not found'
	check_contains "$L: patch with a bad path" "$(k patch deploy web -n "$N" --type=json -p '[{"op":"replace","path":"/spec/nope/x","value":1}]')" \
		'The request is invalid: the server rejected our request'
	# values of the wrong type: the decoder's message, nothing written
	check_contains "$L: merge patch of the wrong type" "$(k patch deploy web -n "$N" --type=merge -p '{"spec":{"replicas":"many"}}')" \
		'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'
	check_contains "$L: strategic patch of the wrong type" "$(k patch deploy web -n "$N" --type=strategic -p '{"spec":{"template":{"spec":{"containers":"x"}}}}')" \
		'json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container'
	check_contains "$L: json patch of the wrong type" "$(k patch deploy web -n "$N" --type=json -p '[{"op":"replace","path":"/spec/replicas","value":"x"}]')" \
		'is invalid: patch: Invalid value:'
	check_contains "$L: create of the wrong type" \
		"$(printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: typed}\ndata: {a: 1}\n' | k create -n "$N" -f -)" \
		'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string'
	check_eq "$L: bad patches wrote nothing" "$(jp deploy/web '{.spec.replicas} {.metadata.generation}')" "6 $gen"

	# strategic merge patch directives
	k create deployment smp -n "$N" --image=nginx:1 >/dev/null
	k patch deploy smp -n "$N" --type=strategic -p '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}}' >/dev/null
	check_eq "$L: smp: merged by name" "$(jp deploy/smp '{.spec.template.spec.containers[*].name}')" "nginx side"
	k patch deploy smp -n "$N" --type=strategic -p '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"side"},{"name":"nginx"}]}}}}' >/dev/null
	check_eq "$L: smp: \$setElementOrder" "$(jp deploy/smp '{.spec.template.spec.containers[*].name}')" "side nginx"
	k patch deploy smp -n "$N" --type=strategic -p '{"spec":{"template":{"spec":{"containers":[{"name":"side","$patch":"delete"}]}}}}' >/dev/null
	check_eq "$L: smp: \$patch: delete" "$(jp deploy/smp '{.spec.template.spec.containers[*].name}')" "nginx"
	k patch deploy smp -n "$N" --type=strategic -p '{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}' >/dev/null
	check_eq "$L: smp: \$retainKeys" "$(jp deploy/smp '{.spec.strategy}')" '{"type":"Recreate"}'
	k patch deploy smp -n "$N" --type=merge -p '{"metadata":{"finalizers":["example.com/a","example.com/b"]}}' >/dev/null
	k patch deploy smp -n "$N" --type=strategic -p '{"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/a"]}}' >/dev/null
	check_eq "$L: smp: \$deleteFromPrimitiveList" "$(jp deploy/smp '{.metadata.finalizers}')" '["example.com/b"]'
	k patch deploy smp -n "$N" --type=strategic -p '{"metadata":{"finalizers":null,"labels":{"$patch":"replace","only":"this"}}}' >/dev/null
	check_eq "$L: smp: \$patch: replace" "$(jp deploy/smp '{.metadata.labels}')" '{"only":"this"}'

	# OpenAPI v3 as kubectl explain reads it.
	out=$(k explain deployment.spec.strategy)
	check_contains "$L: explain: field" "$out" "FIELD: strategy <DeploymentStrategy>"
	check_contains "$L: explain: subfields" "$out" "rollingUpdate	<RollingUpdateDeployment>"
}

each_kubectl edit_pass
finish
