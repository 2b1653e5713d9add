#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Against the embedded cluster (no node): bulk rollout restart, the can-i
# refinement, edit with a scripted $EDITOR, the events view and a server
# restart mid-session.
#  - two of three Deployments marked with space, `r` restarts both (each
#    gets the kubectl.kubernetes.io/restartedAt template annotation and a
#    second ReplicaSet), the unmarked one is left alone;
#  - `:can u:carol` for a restricted user whose bindings the rules review
#    cannot fully evaluate (one RoleBinding names a Role that does not
#    exist: the review reports an evaluationError, as the RBAC authorizer
#    does): the cells the rules leave open are asked again with
#    SelfSubjectAccessReviews (the matrix
#    says how many), and the answers keep the resourceNames-only cell at
#    "~" and the subresource-only grant (pods/log) apart from pods;
#  - `e` on a ConfigMap runs $EDITOR (a sed script) and the change is
#    stored (kubectl reads it back);
#  - `:events` lists the Deployment controller's ScalingReplicaSet events;
#  - `kdeck cluster down` mid-session shows the unreachable banner, and
#    `kdeck cluster up` again makes it go by itself, tables live again.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"
need_cmd kubectl

tui_cluster_up
for d in alpha beta gamma; do
	check "deployment $d" k create deployment $d --image=nginx --replicas=1
done
rs_count() { k get rs -l app="$1" -o name 2>/dev/null | wc -l; }
for d in alpha beta gamma; do
	check "$d has its ReplicaSet" wait_for 20 sh -c "[ \$(timeout 20 kubectl --kubeconfig '$KC' get rs -l app=$d -o name | wc -l) -eq 1 ]"
done
check "role: one configmap" k create role cm-one --verb=get,update --resource=configmaps --resource-name=settings
check "role: pods/log only" k create role logs-only --verb=get --resource=pods/log
check "carol bound to both" sh -c "timeout 20 kubectl --kubeconfig '$KC' create rolebinding carol-cm --role=cm-one --user=carol &&
	timeout 20 kubectl --kubeconfig '$KC' create rolebinding carol-logs --role=logs-only --user=carol"
check "and to a role that does not exist" k create rolebinding carol-gone --role=not-there --user=carol
check "configmap" k create configmap demo --from-literal=greeting=hello
cat >"$T_DIR/editor.sh" <<'ED'
#!/bin/sh
sed -i 's/greeting: hello/greeting: edited-in-kdeck/' "$1"
ED
chmod +x "$T_DIR/editor.sh"

tui_start bulk "EDITOR=$T_DIR/editor.sh XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --kubeconfig $KC"
check "connected" tui_wait "K8s: v1"
tui_keys : deploy Enter
check "three deployments" tui_wait "deployments(default)[3]"
tui_keys N g Space Space
check "two marked" tui_wait "(marked)"
tui_keys r
check "alpha restarted" tui_wait "restarted deployment"
restarted() {
	k get deploy "$1" -o jsonpath='{.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}'
}
check "alpha has restartedAt" wait_for 10 sh -c "[ -n \"\$(timeout 20 kubectl --kubeconfig '$KC' get deploy alpha -o jsonpath='{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}')\" ]"
check "beta has restartedAt" wait_for 10 sh -c "[ -n \"\$(timeout 20 kubectl --kubeconfig '$KC' get deploy beta -o jsonpath='{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}')\" ]"
check_eq "gamma (unmarked) not restarted" "$(restarted gamma)" ""
for d in alpha beta; do
	check "$d got a new ReplicaSet" wait_for 20 sh -c "[ \$(timeout 20 kubectl --kubeconfig '$KC' get rs -l app=$d -o name | wc -l) -eq 2 ]"
done
check_eq "gamma kept one ReplicaSet" "$(rs_count gamma)" 1

tui_keys : can Space u:carol Enter
check "matrix for carol" tui_wait "Can u:carol do it"
check "the review's error shown" tui_wait_re "evaluation error: .*not-there"
check "open cells asked with access reviews" tui_wait_re "asked with [0-9]+ SelfSubjectAccessReviews"
check "named configmap only: still ~" tui_wait_re "(^| )configmaps +~ +· +· +· +~ +· +·"
check "pods/log granted alone" tui_wait_re "(^| )pods/log +✓ +· +·"
check "pods themselves not" tui_wait_re "(^| )pods +· +· +·"

tui_keys Escape : cm Enter
check "configmaps" tui_wait "demo"
tui_keys / demo Enter e
check "edited" tui_wait "edited configmap demo" 20
check "kubectl reads the edit" wait_for 10 sh -c "timeout 20 kubectl --kubeconfig '$KC' get cm demo -o jsonpath='{.data.greeting}' | grep -qx edited-in-kdeck"

tui_keys Escape Escape : events Enter
check "events of the cluster" tui_wait "ScalingReplicaSet" 20

# the server goes away mid-session and comes back on the same address
tui_keys : deploy Enter
check "deployments again" tui_wait "deployments(default)[3]"
check "cluster down" "$KDECK" cluster down --data-dir "$DATA"
check "unreachable banner" tui_wait "cluster unreachable" 30
"$KDECK" cluster up --no-node --data-dir "$DATA" --listen "127.0.0.1:$PORT" >"$T_DIR/up2.log" 2>&1 ||
	fail "the cluster does not start again: $(tail -n 1 "$T_DIR/up2.log")"
check "the banner goes by itself" tui_gone "cluster unreachable" 40
check "the table is live again" tui_wait "deployments(default)[3]" 20
k create deployment delta --image=nginx >/dev/null
check "and follows new objects" tui_wait "deployments(default)[4]" 30
tui_keys : q Enter
finish
