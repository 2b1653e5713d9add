# SPDX-License-Identifier: Apache-2.0
# kubectl apply against `kdeck cluster up`, with kubectl 1.32 and 1.35
# (apply_common.sh runs the pass once per kubectl, each in a namespace of
# its own): client-side apply (create, unchanged, configured, removed
# fields, last-applied wins), field validation, diff, server-side apply
# (create, update, conflicts, apply after a manual edit, over client-side
# apply, --force-conflicts).  apply_edit.sh has prune, replace and the
# patch flows; apply_manifests.sh the shared real-world manifests.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL" curl
. "$TOP_SRCDIR/tests/integration/apply_common.sh"

apply_pass() {
	# Client-side apply.
	dep web 1 nginx:1.27 "      - {name: side, image: busybox}" >"$T_DIR/d.yaml"
	check_eq "$L: apply creates" "$(k apply -f "$T_DIR/d.yaml")" "deployment.apps/web created"
	check_contains "$L: last-applied annotation" "$(jp deploy/web '{.metadata.annotations}')" "kubectl.kubernetes.io/last-applied-configuration"
	check_eq "$L: apply unchanged" "$(k apply -f "$T_DIR/d.yaml")" "deployment.apps/web unchanged"
	dep web 3 nginx:1.28 "      - {name: side, image: busybox}" >"$T_DIR/d.yaml"
	check_eq "$L: apply configured" "$(k apply -f "$T_DIR/d.yaml")" "deployment.apps/web configured"
	check_eq "$L: change visible" "$(jp deploy/web '{.spec.replicas} {.spec.template.spec.containers[0].image}')" "3 nginx:1.28"
	dep web 3 nginx:1.28 >"$T_DIR/d.yaml"
	check_eq "$L: apply removing a container" "$(k apply -f "$T_DIR/d.yaml")" "deployment.apps/web configured"
	check_eq "$L: removed container gone" "$(jp deploy/web '{.spec.template.spec.containers[*].name}')" "main"
	k patch deploy web -n "$N" --type=merge -p '{"spec":{"replicas":7}}' >/dev/null
	check_eq "$L: manual patch visible" "$(jp deploy/web '{.spec.replicas}')" "7"
	check_eq "$L: apply after patch" "$(k apply -f "$T_DIR/d.yaml")" "deployment.apps/web configured"
	check_eq "$L: last-applied wins" "$(jp deploy/web '{.spec.replicas}')" "3"

	# Field validation.
	sed 's/^  replicas:/  replica:/' "$T_DIR/d.yaml" >"$T_DIR/bad.yaml"
	out=$(k apply -f "$T_DIR/bad.yaml")
	check_contains "$L: strict: unknown field rejected" "$out" 'strict decoding error: unknown field "spec.replica"'
	check_contains "$L: strict: BadRequest" "$out" "Error from server (BadRequest)"
	out=$(k apply --validate=warn -f "$T_DIR/bad.yaml")
	check_contains "$L: warn: warning printed" "$out" 'unknown field "spec.replica"'
	check_contains "$L: warn: accepted" "$out" "deployment.apps/web"
	check_eq "$L: warn: unknown field dropped" "$(jp deploy/web '{.spec.replica}')" ""
	check_contains "$L: ignore: accepted" "$(k apply --validate=false -f "$T_DIR/bad.yaml")" "deployment.apps/web"
	cat >"$T_DIR/badcm.yaml" <<-EOD
	apiVersion: v1
	kind: ConfigMap
	metadata: {name: bad, namespace: $N}
	data: {a: b}
	dta: {a: b}
	EOD
	check_contains "$L: strict: unknown top-level field" "$(k apply -f "$T_DIR/badcm.yaml")" 'unknown field "dta"'
	check_contains "$L: strict on create -f" "$(k create -f "$T_DIR/bad.yaml" 2>&1)" 'strict decoding error: unknown field "spec.replica"'

	# kubectl diff.
	k apply -f "$T_DIR/d.yaml" >/dev/null
	k diff -f "$T_DIR/d.yaml" >/dev/null 2>&1
	check_eq "$L: diff: no change exits 0" "$?" "0"
	dep web 2 nginx:1.28 >"$T_DIR/d2.yaml"
	out=$(k diff -f "$T_DIR/d2.yaml"); rc=$?
	check_eq "$L: diff: change exits 1" "$rc" "1"
	check_contains "$L: diff shows the change" "$out" "+  replicas: 2"

	# Server-side apply.
	dep ssa 1 nginx:1.27 >"$T_DIR/s.yaml"
	check_eq "$L: ssa create" "$(k apply --server-side -f "$T_DIR/s.yaml")" "deployment.apps/ssa serverside-applied"
	check_contains "$L: ssa managedFields manager" "$(jp deploy/ssa '{.metadata.managedFields[*].manager}')" "kubectl"
	check_eq "$L: ssa managedFields operation" "$(jp deploy/ssa '{.metadata.managedFields[0].operation}')" "Apply"
	dep ssa 2 nginx:1.27 >"$T_DIR/s.yaml"
	check_eq "$L: ssa update" "$(k apply --server-side -f "$T_DIR/s.yaml")" "deployment.apps/ssa serverside-applied"
	check_eq "$L: ssa update visible" "$(jp deploy/ssa '{.spec.replicas}')" "2"
	dep ssa 5 nginx:1.27 >"$T_DIR/s2.yaml"
	out=$(k apply --server-side --field-manager=other -f "$T_DIR/s2.yaml")
	check_contains "$L: ssa conflict" "$out" 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas'
	check_eq "$L: ssa conflict wrote nothing" "$(jp deploy/ssa '{.spec.replicas}')" "2"
	check_eq "$L: ssa force-conflicts" "$(k apply --server-side --force-conflicts --field-manager=other -f "$T_DIR/s2.yaml")" "deployment.apps/ssa serverside-applied"
	check_eq "$L: ssa forced value" "$(jp deploy/ssa '{.spec.replicas}')" "5"
	check_contains "$L: ssa two managers" "$(jp deploy/ssa '{.metadata.managedFields[*].manager}')" "other"
	check_eq "$L: ssa same value no conflict" "$(k apply --server-side --field-manager=third -f "$T_DIR/s2.yaml")" "deployment.apps/ssa serverside-applied"
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: sc, namespace: %s}\ndata: {a: "1", b: "2"}\n' "$N" >"$T_DIR/sc.yaml"
	k apply --server-side -f "$T_DIR/sc.yaml" >/dev/null
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: sc, namespace: %s}\ndata: {a: "1"}\n' "$N" >"$T_DIR/sc.yaml"
	k apply --server-side -f "$T_DIR/sc.yaml" >/dev/null
	check_eq "$L: ssa: field no longer applied is removed" "$(jp cm/sc '{.data}')" '{"a":"1"}'
	# apply after a manual edit: the editor's manager conflicts, force wins
	k patch deploy ssa -n "$N" --type=merge -p '{"spec":{"replicas":9}}' >/dev/null
	check_contains "$L: ssa after a manual edit conflicts" "$(k apply --server-side --field-manager=other -f "$T_DIR/s2.yaml")" \
		'conflict with "kubectl-patch" using apps/v1 at '
	check_eq "$L: ssa after a manual edit, forced" "$(k apply --server-side --force-conflicts --field-manager=other -f "$T_DIR/s2.yaml")" "deployment.apps/ssa serverside-applied"
	check_eq "$L: forced over the edit" "$(jp deploy/ssa '{.spec.replicas}')" "5"
	dep csa 1 nginx:1.27 >"$T_DIR/n.yaml"
	k apply -f "$T_DIR/n.yaml" >/dev/null
	dep csa 3 nginx:1.27 >"$T_DIR/n.yaml"
	check_contains "$L: ssa conflict with client-side apply" "$(k apply --server-side -f "$T_DIR/n.yaml")" 'conflict with "kubectl-client-side-apply" using apps/v1 at '
	check_eq "$L: ssa over client-side apply" "$(k apply --server-side --force-conflicts -f "$T_DIR/n.yaml")" "deployment.apps/csa serverside-applied"
	check_eq "$L: ssa value over client-side apply" "$(jp deploy/csa '{.spec.replicas}')" "3"
}

each_kubectl apply_pass
finish
