# SPDX-License-Identifier: Apache-2.0
# Protobuf request bodies end to end: real kubectl `create <kind>` and
# `auth` commands send application/vnd.kubernetes.protobuf, which the
# embedded cluster must decode (src/cluster/pb) into the same objects a
# JSON body gives.  Reads the stored objects back as JSON.  A sample of
# the kinds (kubectl is slow to start); test_pb covers all captured ones.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd kubectl
need_cmd python3

dir="$T_DIR/c"
mkdir -p "$dir"
port=$(free_port)
"$KDECK" cluster up --no-node --foreground --data-dir "$dir" \
	--listen "127.0.0.1:$port" >"$T_DIR/up.log" 2>&1 &
pid=$!
at_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"

admin="$dir/kubeconfig.yaml"
gone() { ! kill -0 $pid 2>/dev/null; }
wait_for 20 sh -c "kill -0 $pid 2>/dev/null || exit 0; [ -f '$admin' ] &&
	kubectl --kubeconfig '$admin' get --raw /readyz"
if gone || ! kubectl --kubeconfig "$admin" get --raw /readyz >/dev/null 2>&1; then
	sed 's/^/    | /' "$T_DIR/up.log" | head -n 5
	die "embedded cluster not available"
fi
k() { kubectl --kubeconfig "$admin" "$@"; }

# create_ok NAME ARGS...: `kubectl create ARGS` succeeds.
create_ok() {
	name=$1
	shift
	out=$(k create "$@" 2>&1)
	check "create $name ($out)" test $? -eq 0
}

create_ok namespace namespace pbdemo
create_ok secret -n pbdemo secret generic s1 --from-literal=a=b \
	--from-literal=empty=
create_ok deployment -n pbdemo deployment web --image=nginx --replicas=0 \
	--port=80
create_ok role -n pbdemo role r1 --verb=get,list --resource=pods
create_ok clusterrole clusterrole pb-cr1 --verb=get --resource=pods \
	--non-resource-url=/healthz
create_ok quota -n pbdemo quota q1 --hard=cpu=1500m,memory=1.5Gi,pods=10
create_ok pdb -n pbdemo pdb pdb1 --selector=app=web --min-available=0
create_ok ingress -n pbdemo ingress ing1 --rule='foo.com/bar*=svc1:8080'

# Read everything back in two requests; jp KIND/NAME PATH prints a field.
k get -n pbdemo secret,deploy,role,quota,pdb,ingress \
	-o json >"$T_DIR/ns.json" 2>&1
k get ns/pbdemo clusterrole/pb-cr1 -o json \
	>"$T_DIR/cluster.json" 2>&1
jp() {
	python3 - "$T_DIR/ns.json" "$T_DIR/cluster.json" "$1" "$2" <<'PY'
import json, sys
items = []
for f in sys.argv[1:3]:
    try:
        items += json.load(open(f)).get("items", [])
    except ValueError:
        pass
kind, name = sys.argv[3].split("/")
for o in items:
    if o["kind"] == kind and o["metadata"]["name"] == name:
        v = o
        for p in sys.argv[4].split("."):
            v = v[int(p)] if isinstance(v, list) else v.get(p)
        print(v if isinstance(v, str) else json.dumps(v, separators=(",", ":")))
PY
}

check_eq "namespace stored" "$(jp Namespace/pbdemo metadata.name)" pbdemo
check_eq "secret data is base64" "$(jp Secret/s1 data.a)" "Yg=="
check_eq "empty secret value kept" "$(jp Secret/s1 data.empty)" ""
check_eq "replicas 0 survives (pointer field)" \
	"$(jp Deployment/web spec.replicas)" 0
check_eq "container port" "$(jp Deployment/web \
	spec.template.spec.containers.0.ports.0.containerPort)" 80
check_eq "role core apiGroup kept as \"\"" \
	"$(jp Role/r1 rules.0.apiGroups)" '[""]'
check_eq "clusterrole non-resource URL" \
	"$(jp ClusterRole/pb-cr1 rules.1.nonResourceURLs.0)" /healthz
check_eq "quota canonical quantity" \
	"$(jp ResourceQuota/q1 spec.hard.memory)" 1536Mi
check_eq "pdb minAvailable 0 (IntOrString)" \
	"$(jp PodDisruptionBudget/pdb1 spec.minAvailable)" 0
check_eq "ingress rule inlined" "$(jp Ingress/ing1 \
	spec.rules.0.http.paths.0.backend.service.name)" svc1

check_eq "auth can-i (SelfSubjectAccessReview)" \
	"$(k auth can-i create pods -n pbdemo 2>&1)" yes
check_contains "auth whoami (SelfSubjectReview)" "$(k auth whoami 2>&1)" \
	"Username"
finish
