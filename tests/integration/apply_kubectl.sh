# SPDX-License-Identifier: Apache-2.0
# kubectl apply and the patch flows against `kdeck cluster up`: client-side
# apply (create, unchanged, configured, removed fields, last-applied wins),
# server-side apply (create, update, conflicts, --force-conflicts), diff,
# prune, replace, label/annotate, set image/env, rollout restart, scale,
# patch (json/merge/strategic), multi-document create, field validation.
# The shared real-world manifests are in apply_manifests.sh.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" curl

export HOME="$T_DIR/home"
start_cluster --no-node
k() { "$KUBECTL" "$@" 2>&1; }
jp() { "$KUBECTL" get "$1" -n ap -o jsonpath="$2" 2>&1; }

k create ns ap >/dev/null
dep() { # name replicas image [extra spec line]
	cat <<EOD
apiVersion: apps/v1
kind: Deployment
metadata: {name: $1, namespace: ap, labels: {app: $1}}
spec:
  replicas: $2
  selector: {matchLabels: {app: $1}}
  template:
    metadata: {labels: {app: $1}}
    spec:
      containers:
      - name: main
        image: "$3"
${4:-}
EOD
}

# Client-side apply.
dep web 1 nginx:1.27 "      - {name: side, image: busybox}" >"$T_DIR/d.yaml"
check_eq "apply creates" "$(k apply -f "$T_DIR/d.yaml")" "deployment.apps/web created"
check_contains "last-applied annotation" "$(jp deploy/web '{.metadata.annotations}')" "kubectl.kubernetes.io/last-applied-configuration"
check_eq "apply unchanged" "$(k apply -f "$T_DIR/d.yaml")" "deployment.apps/web unchanged"
dep web 3 nginx:1.28 "      - {name: side, image: busybox}" >"$T_DIR/d.yaml"
check_eq "apply configured" "$(k apply -f "$T_DIR/d.yaml")" "deployment.apps/web configured"
check_eq "change visible" "$(jp deploy/web '{.spec.replicas} {.spec.template.spec.containers[0].image}')" "3 nginx:1.28"
dep web 3 nginx:1.28 >"$T_DIR/d.yaml"
check_eq "apply removing a container" "$(k apply -f "$T_DIR/d.yaml")" "deployment.apps/web configured"
check_eq "removed container gone" "$(jp deploy/web '{.spec.template.spec.containers[*].name}')" "main"
k patch deploy web -n ap --type=merge -p '{"spec":{"replicas":7}}' >/dev/null
check_eq "manual patch visible" "$(jp deploy/web '{.spec.replicas}')" "7"
check_eq "apply after patch" "$(k apply -f "$T_DIR/d.yaml")" "deployment.apps/web configured"
check_eq "last-applied wins" "$(jp deploy/web '{.spec.replicas}')" "3"

# Field validation.
sed 's/^  replicas:/  replica:/' "$T_DIR/d.yaml" >"$T_DIR/bad.yaml"
out=$(k apply -f "$T_DIR/bad.yaml")
check_contains "strict: unknown field rejected" "$out" 'strict decoding error: unknown field "spec.replica"'
check_contains "strict: BadRequest" "$out" "Error from server (BadRequest)"
out=$(k apply --validate=warn -f "$T_DIR/bad.yaml")
check_contains "warn: warning printed" "$out" 'unknown field "spec.replica"'
check_contains "warn: accepted" "$out" "deployment.apps/web"
check_eq "warn: unknown field dropped" "$(jp deploy/web '{.spec.replica}')" ""
check_contains "ignore: accepted" "$(k apply --validate=false -f "$T_DIR/bad.yaml")" "deployment.apps/web"
cat >"$T_DIR/badcm.yaml" <<EOD
apiVersion: v1
kind: ConfigMap
metadata: {name: bad, namespace: ap}
data: {a: b}
dta: {a: b}
EOD
check_contains "strict: unknown top-level field" "$(k apply -f "$T_DIR/badcm.yaml")" 'unknown field "dta"'
check_contains "strict on create -f" "$(k create -f "$T_DIR/bad.yaml" 2>&1)" 'strict decoding error: unknown field "spec.replica"'

# kubectl diff.
k apply -f "$T_DIR/d.yaml" >/dev/null
k diff -f "$T_DIR/d.yaml" >/dev/null 2>&1
check_eq "diff: no change exits 0" "$?" "0"
dep web 2 nginx:1.28 >"$T_DIR/d2.yaml"
out=$(k diff -f "$T_DIR/d2.yaml"); rc=$?
check_eq "diff: change exits 1" "$rc" "1"
check_contains "diff shows the change" "$out" "+  replicas: 2"

# Server-side apply.
dep ssa 1 nginx:1.27 >"$T_DIR/s.yaml"
check_eq "ssa create" "$(k apply --server-side -f "$T_DIR/s.yaml")" "deployment.apps/ssa serverside-applied"
check_contains "ssa managedFields manager" "$(jp deploy/ssa '{.metadata.managedFields[*].manager}')" "kubectl"
check_eq "ssa managedFields operation" "$(jp deploy/ssa '{.metadata.managedFields[0].operation}')" "Apply"
dep ssa 2 nginx:1.27 >"$T_DIR/s.yaml"
check_eq "ssa update" "$(k apply --server-side -f "$T_DIR/s.yaml")" "deployment.apps/ssa serverside-applied"
check_eq "ssa update visible" "$(jp deploy/ssa '{.spec.replicas}')" "2"
dep ssa 5 nginx:1.27 >"$T_DIR/s2.yaml"
out=$(k apply --server-side --field-manager=other -f "$T_DIR/s2.yaml")
check_contains "ssa conflict" "$out" 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas'
check_eq "ssa conflict wrote nothing" "$(jp deploy/ssa '{.spec.replicas}')" "2"
check_eq "ssa force-conflicts" "$(k apply --server-side --force-conflicts --field-manager=other -f "$T_DIR/s2.yaml")" "deployment.apps/ssa serverside-applied"
check_eq "ssa forced value" "$(jp deploy/ssa '{.spec.replicas}')" "5"
check_contains "ssa two managers" "$(jp deploy/ssa '{.metadata.managedFields[*].manager}')" "other"
check_eq "ssa same value no conflict" "$(k apply --server-side --field-manager=third -f "$T_DIR/s2.yaml")" "deployment.apps/ssa serverside-applied"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: sc, namespace: ap}\ndata: {a: "1", b: "2"}\n' >"$T_DIR/sc.yaml"
k apply --server-side -f "$T_DIR/sc.yaml" >/dev/null
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: sc, namespace: ap}\ndata: {a: "1"}\n' >"$T_DIR/sc.yaml"
k apply --server-side -f "$T_DIR/sc.yaml" >/dev/null
check_eq "ssa: field no longer applied is removed" "$(jp cm/sc '{.data}')" '{"a":"1"}'
k apply -f "$T_DIR/d.yaml" >/dev/null
check_eq "ssa over client-side apply" "$(k apply --server-side --force-conflicts -f "$T_DIR/d.yaml")" "deployment.apps/web serverside-applied"

# Prune.
cat >"$T_DIR/p.yaml" <<EOD
apiVersion: v1
kind: ConfigMap
metadata: {name: p1, namespace: ap, labels: {app: x}}
data: {a: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: p2, namespace: ap, labels: {app: x}}
data: {a: "2"}
EOD
check_contains "multi-document apply" "$(k apply -f "$T_DIR/p.yaml")" "configmap/p2 created"
head -n 4 "$T_DIR/p.yaml" >"$T_DIR/p1.yaml"
out=$(k apply -n ap --prune -l app=x --prune-allowlist=core/v1/ConfigMap -f "$T_DIR/p1.yaml")
check_contains "prune reports" "$out" "configmap/p2 pruned"
check_contains "pruned object gone" "$(k get cm p2 -n ap)" "NotFound"
check_contains "kept object" "$(k get cm p1 -n ap)" "p1"

# create -f multi-document, replace -f.
sed 's/p1/c1/; s/p2/c2/' "$T_DIR/p.yaml" >"$T_DIR/c.yaml"
out=$(k create -f "$T_DIR/c.yaml")
check_contains "create -f multi-doc first" "$out" "configmap/c1 created"
check_contains "create -f multi-doc second" "$out" "configmap/c2 created"
sed 's/"1"/"9"/' "$T_DIR/c.yaml" >"$T_DIR/c9.yaml"
check_contains "replace -f" "$(k replace -f "$T_DIR/c9.yaml")" "configmap/c1 replaced"
check_eq "replace visible" "$(jp cm/c1 '{.data.a}')" "9"

# label, annotate.
check_eq "label" "$(k label cm c1 -n ap tier=db)" "configmap/c1 labeled"
check_contains "label exists without --overwrite" "$(k label cm c1 -n ap tier=web)" "already has a value (db)"
check_eq "label --overwrite" "$(k label cm c1 -n ap tier=web --overwrite)" "configmap/c1 labeled"
check_eq "label value" "$(jp cm/c1 '{.metadata.labels.tier}')" "web"
check_eq "label removal" "$(k label cm c1 -n ap tier-)" "configmap/c1 unlabeled"
check_eq "label removed" "$(jp cm/c1 '{.metadata.labels.tier}')" ""
check_eq "annotate" "$(k annotate cm c1 -n ap note=hi)" "configmap/c1 annotated"
check_eq "annotate --overwrite" "$(k annotate cm c1 -n ap note=ho --overwrite)" "configmap/c1 annotated"
check_eq "annotation value" "$(jp cm/c1 '{.metadata.annotations.note}')" "ho"
check_eq "annotation removal" "$(k annotate cm c1 -n ap note-)" "configmap/c1 annotated"
check_eq "annotation removed" "$(jp cm/c1 '{.metadata.annotations.note}')" ""

# set image, set env, rollout restart, scale.
check_eq "set image" "$(k set image deploy/web -n ap main=nginx:1.29)" "deployment.apps/web image updated"
check_eq "image visible" "$(jp deploy/web '{.spec.template.spec.containers[0].image}')" "nginx:1.29"
check_eq "set env" "$(k set env deploy/web -n ap MODE=fast)" "deployment.apps/web env updated"
check_eq "env visible" "$(jp deploy/web '{.spec.template.spec.containers[0].env[0].name}={.spec.template.spec.containers[0].env[0].value}')" "MODE=fast"
check_eq "rollout restart" "$(k rollout restart deploy/web -n ap)" "deployment.apps/web restarted"
check_contains "restartedAt in template" "$(jp deploy/web '{.spec.template.metadata.annotations}')" "kubectl.kubernetes.io/restartedAt"
check_eq "scale" "$(k scale deploy/web -n ap --replicas=4)" "deployment.apps/web scaled"
check_eq "scale visible" "$(jp deploy/web '{.spec.replicas}')" "4"

# patch.
check_eq "patch json" "$(k patch deploy web -n ap --type=json -p '[{"op":"replace","path":"/spec/replicas","value":6}]')" "deployment.apps/web patched"
check_eq "patch merge" "$(k patch deploy web -n ap --type=merge -p '{"metadata":{"labels":{"m":"1"}}}')" "deployment.apps/web patched"
check_eq "patch strategic" "$(k patch deploy web -n ap --type=strategic -p '{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:1.30"}]}}}}')" "deployment.apps/web patched"
check_eq "patches visible" "$(jp deploy/web '{.spec.replicas} {.metadata.labels.m} {.spec.template.spec.containers[0].image}')" "6 1 nginx:1.30"
rv=$(jp deploy/web '{.metadata.resourceVersion}')
out=$(k patch deploy web -n ap --type=json -p '[{"op":"replace","path":"/spec/replicas","value":8},{"op":"test","path":"/spec/replicas","value":99}]')
check_contains "patch test op fails" "$out" 'The request is invalid: the server rejected our request due to an error in our request'
check_eq "failed test op wrote nothing" "$(jp deploy/web '{.spec.replicas} {.metadata.resourceVersion}')" "6 $rv"
check_eq "patch no-op" "$(k patch deploy web -n ap --type=merge -p '{"spec":{"replicas":6}}')" "deployment.apps/web patched (no change)"
check_eq "patch of a missing object" "$(k patch deploy nope -n ap --type=merge -p '{"spec":{"replicas":1}}')" \
	'Error from server (NotFound): deployments.apps "nope" not found'
check_contains "patch with a bad path" "$(k patch deploy web -n ap --type=json -p '[{"op":"replace","path":"/spec/nope/x","value":1}]')" \
	'The request is invalid: the server rejected our request'
check_eq "bad patches wrote nothing" "$(jp deploy/web '{.metadata.resourceVersion}')" "$rv"

# OpenAPI v3 as kubectl explain reads it.
out=$(k explain deployment.spec.strategy)
check_contains "explain: field" "$out" "FIELD: strategy <DeploymentStrategy>"
check_contains "explain: subfields" "$out" "rollingUpdate	<RollingUpdateDeployment>"

# The newer kubectl (1.35) through the same flows, briefly.
if [ -x "$KUBECTL_NEW" ]; then
	kn() { "$KUBECTL_NEW" "$@" 2>&1; }
	dep new 1 nginx:1.27 >"$T_DIR/n.yaml"
	check_eq "1.35: apply creates" "$(kn apply -f "$T_DIR/n.yaml")" "deployment.apps/new created"
	check_eq "1.35: apply unchanged" "$(kn apply -f "$T_DIR/n.yaml")" "deployment.apps/new unchanged"
	check_contains "1.35: strict validation" "$(kn apply -f "$T_DIR/bad.yaml")" 'strict decoding error: unknown field "spec.replica"'
	dep new 3 nginx:1.27 >"$T_DIR/n.yaml"
	check_contains "1.35: ssa conflict with client-side apply" "$(kn apply --server-side -f "$T_DIR/n.yaml")" 'conflict with "kubectl-client-side-apply" using apps/v1 at '
	check_eq "1.35: ssa forced" "$(kn apply --server-side --force-conflicts -f "$T_DIR/n.yaml")" "deployment.apps/new serverside-applied"
fi
finish
