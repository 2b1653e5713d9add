#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Server-side apply of a built-in kind (Deployment) as a real server does
# it: two managers owning different fields, a conflict naming manager and
# fields, --force-conflicts moving ownership, a field dropped from the
# applied config removed only when its manager alone owned it, re-apply
# of the same config a no-op (helm upgrade --server-side), list order after
# a merge (structured-merge-diff: applied order, others' items in place).
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node
k() { "$KUBECTL" "$@" 2>&1; }
jp() { "$KUBECTL" get "$1" -n ss -o jsonpath="$2" 2>&1; }
ssa() { # manager file [more kubectl args]
	m=$1 f=$2
	shift 2
	"$KUBECTL" apply --server-side --field-manager="$m" -f "$f" "$@" 2>&1
}
# fields owned by manager $2 of deploy/$1 (its fieldsV1, compact)
owned() {
	"$KUBECTL" get deploy "$1" -n ss -o json --show-managed-fields | python3 -c '
import json, sys
o = json.load(sys.stdin)
for e in o["metadata"].get("managedFields", []):
    if e["manager"] == sys.argv[1] and e["operation"] == "Apply":
        print(json.dumps(e["fieldsV1"], sort_keys=True, separators=(",", ":")))
' "$2"
}

k create ns ss >/dev/null
cat >"$T_DIR/a.yaml" <<EOD
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ss
  labels: {app: web, tier: front}
  annotations: {shared: "yes"}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: main, image: "nginx:1.27"}
EOD
cat >"$T_DIR/b.yaml" <<EOD
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ss, annotations: {shared: "yes", owner: b}}
spec:
  template:
    spec:
      containers:
      - {name: side, image: "busybox:1.36"}
EOD
check_eq "a creates" "$(ssa a "$T_DIR/a.yaml")" "deployment.apps/web serverside-applied"
check_eq "b adds its fields" "$(ssa b "$T_DIR/b.yaml")" "deployment.apps/web serverside-applied"
mgrs=" $(jp deploy/web '{.metadata.managedFields[*].manager}') "
check_contains "manager a recorded" "$mgrs" " a "
check_contains "manager b recorded" "$mgrs" " b "
check_eq "containers merged, b's after a's" "$(jp deploy/web '{.spec.template.spec.containers[*].name}')" "main side"
check_contains "a owns replicas" "$(owned web a)" '"f:replicas":{}'
check_contains "b owns its container" "$(owned web b)" '"k:{\"name\":\"side\"}"'
case "$(owned web b)" in *f:replicas*) check "b does not own replicas" false ;; *) check "b does not own replicas" true ;; esac

# A conflict: 409 naming the manager and the field; nothing written.
{ cat "$T_DIR/b.yaml"; echo "  replicas: 5"; } >"$T_DIR/c.yaml"
rv=$(jp deploy/web '{.metadata.resourceVersion}')
out=$(ssa b "$T_DIR/c.yaml")
check_contains "conflict names manager and field" "$out" 'Apply failed with 1 conflict: conflict with "a": .spec.replicas'
check_contains "kubectl's advice" "$out" 'Please review the fields above--they currently have other managers'
check_eq "conflict wrote nothing" "$(jp deploy/web '{.spec.replicas} {.metadata.resourceVersion}')" "2 $rv"
check_contains "conflict is a 409 on PATCH" "$(ssa b "$T_DIR/c.yaml" -v=6)" "409 Conflict"

# --force-conflicts moves the fields to b.
check_eq "force" "$(ssa b "$T_DIR/c.yaml" --force-conflicts)" "deployment.apps/web serverside-applied"
check_eq "forced value" "$(jp deploy/web '{.spec.replicas}')" "5"
check_contains "b owns replicas now" "$(owned web b)" '"f:replicas":{}'
case "$(owned web a)" in *f:replicas*) check "a lost replicas" false ;; *) check "a lost replicas" true ;; esac
out=$(ssa a "$T_DIR/a.yaml")
check_contains "a now conflicts with b" "$out" 'conflict with "b"'

# Dropping fields from a's config: tier (a alone) goes, shared (b too) stays.
sed -e 's/, tier: front//' -e '/annotations: {shared/d' \
	-e 's/replicas: 2/replicas: 5/' "$T_DIR/a.yaml" >"$T_DIR/a2.yaml"
check_eq "a re-applies without tier and shared" "$(ssa a "$T_DIR/a2.yaml")" "deployment.apps/web serverside-applied"
check_eq "tier removed (a alone owned it)" "$(jp deploy/web '{.metadata.labels.tier}')" ""
check_eq "app label kept" "$(jp deploy/web '{.metadata.labels.app}')" "web"
check_eq "shared annotation kept (b owns it too)" "$(jp deploy/web '{.metadata.annotations.shared}')" "yes"

# Re-applying the same config (helm upgrade --server-side) changes nothing.
rv=$(jp deploy/web '{.metadata.resourceVersion}')
check_eq "re-apply" "$(ssa a "$T_DIR/a2.yaml")" "deployment.apps/web serverside-applied"
check_eq "re-apply is a no-op" "$(jp deploy/web '{.metadata.resourceVersion}')" "$rv"

# List order: a applies [extra, main]; b's side stays where it was.
cat >"$T_DIR/a3.yaml" <<EOD
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ss, labels: {app: web}}
spec:
  replicas: 5
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: extra, image: "busybox:1.36"}
      - {name: main, image: "nginx:1.27"}
EOD
ssa a "$T_DIR/a3.yaml" >/dev/null
check_eq "applied order, others' items kept in place" "$(jp deploy/web '{.spec.template.spec.containers[*].name}')" "extra main side"
# a gives main up: main goes (a alone owned it), side stays.
sed '/name: main/d' "$T_DIR/a3.yaml" >"$T_DIR/a4.yaml"
ssa a "$T_DIR/a4.yaml" >/dev/null
check_eq "a's dropped container removed" "$(jp deploy/web '{.spec.template.spec.containers[*].name}')" "extra side"

# Atomic maps of built-in kinds (x-kubernetes-map-type: atomic in the real
# OpenAPI): owned and replaced whole; and keys nobody owns outlive the map's
# last applier.  Once per kubectl, each in a namespace of its own.
atomic_pass() { # label kubectl namespace
	L=$1 KC=$2 N=$3
	kk() { "$KC" "$@" 2>&1; }
	kssa() { m=$1 f=$2; shift 2; "$KC" apply --server-side --field-manager="$m" -f "$f" "$@" 2>&1; }
	kjp() { "$KC" get "$1" -n "$N" -o jsonpath="$2" 2>&1; }
	kk create ns "$N" >/dev/null
	cat >"$T_DIR/at.yaml" <<-EOD
	apiVersion: apps/v1
	kind: Deployment
	metadata: {name: at, namespace: $N}
	spec:
	  selector: {matchLabels: {app: at}}
	  template:
	    metadata: {labels: {app: at}}
	    spec:
	      nodeSelector: {disk: ssd}
	      containers:
	      - {name: main, image: "nginx:1.27"}
	---
	apiVersion: v1
	kind: Service
	metadata: {name: at, namespace: $N}
	spec:
	  selector: {app: at, tier: front}
	  ports: [{port: 80}]
	EOD
	cat >"$T_DIR/bt.yaml" <<-EOD
	apiVersion: apps/v1
	kind: Deployment
	metadata: {name: at, namespace: $N}
	spec:
	  template:
	    spec:
	      nodeSelector: {zone: z1}
	---
	apiVersion: v1
	kind: Service
	metadata: {name: at, namespace: $N}
	spec:
	  selector: {app: at}
	EOD
	check_contains "$L: atomic: a creates" "$(kssa a "$T_DIR/at.yaml")" "service/at serverside-applied"
	mf=$("$KC" get deploy at -n "$N" -o jsonpath='{.metadata.managedFields[0].fieldsV1}' --show-managed-fields)
	check_contains "$L: atomic: nodeSelector owned whole" "$mf" '"f:nodeSelector":{}'
	check_contains "$L: atomic: label selector owned whole" "$mf" '"f:selector":{}'
	check_contains "$L: atomic: Service selector owned whole" \
		"$("$KC" get svc at -n "$N" -o jsonpath='{.metadata.managedFields[0].fieldsV1}' --show-managed-fields)" '"f:selector":{}'
	out=$(kssa b "$T_DIR/bt.yaml")
	check_contains "$L: atomic: another key is a conflict" "$out" 'conflict with "a": .spec.template.spec.nodeSelector'
	check_contains "$L: atomic: Service selector conflict" "$out" 'conflict with "a": .spec.selector'
	check_eq "$L: atomic: conflict wrote nothing" "$(kjp deploy/at '{.spec.template.spec.nodeSelector}')" '{"disk":"ssd"}'
	kssa b "$T_DIR/bt.yaml" --force-conflicts >/dev/null
	check_eq "$L: atomic: forced nodeSelector replaced whole" "$(kjp deploy/at '{.spec.template.spec.nodeSelector}')" '{"zone":"z1"}'
	check_eq "$L: atomic: forced Service selector replaced whole" "$(kjp svc/at '{.spec.selector}')" '{"app":"at"}'

	# Keys nobody owns (the manager that wrote b is forgotten) stay when
	# the applier drops the whole map.
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: nb, namespace: %s}\ndata: {a: "1"}\n' "$N" >"$T_DIR/nb.yaml"
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: nb, namespace: %s}\n' "$N" >"$T_DIR/nb2.yaml"
	kssa a "$T_DIR/nb.yaml" >/dev/null
	kk patch cm nb -n "$N" --type=merge -p '{"data":{"b":"2"}}' >/dev/null
	check_eq "$L: two managers" "$(kjp cm/nb '{.metadata.managedFields[*].manager}')" "a kubectl-patch"
	kk patch cm nb -n "$N" --type=json -p '[{"op":"remove","path":"/metadata/managedFields/1"}]' >/dev/null
	check_eq "$L: the patcher forgotten" "$(kjp cm/nb '{.metadata.managedFields[*].manager}')" "a"
	kssa a "$T_DIR/nb2.yaml" >/dev/null
	check_eq "$L: the applier's key gone, nobody's key kept" "$(kjp cm/nb '{.data}')" '{"b":"2"}'
}
atomic_pass 1.32 "$KUBECTL" at
if [ -x "$KUBECTL_NEW" ]; then
	atomic_pass 1.35 "$KUBECTL_NEW" at-new
else
	echo "# $KUBECTL_NEW not found: the kubectl 1.35 pass is skipped"
fi

sed 's/replicas: 5/replicas: 7/' "$T_DIR/c.yaml" >"$T_DIR/c7.yaml"
if [ -x "$KUBECTL_NEW" ]; then
	out=$("$KUBECTL_NEW" apply --server-side --field-manager=c -f "$T_DIR/c7.yaml" 2>&1)
	check_contains "1.35: conflict" "$out" 'conflict with "b"'
	check_contains "1.35: conflict is a 409 on PATCH" \
		"$("$KUBECTL_NEW" apply --server-side --field-manager=c -f "$T_DIR/c7.yaml" -v=6 2>&1)" "409 Conflict"
	check_eq "1.35: force" "$("$KUBECTL_NEW" apply --server-side --force-conflicts --field-manager=c -f "$T_DIR/c7.yaml" 2>&1)" \
		"deployment.apps/web serverside-applied"
fi
finish
