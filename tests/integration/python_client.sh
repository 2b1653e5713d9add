# SPDX-License-Identifier: Apache-2.0
# The official Python client (kubernetes package) against the embedded
# cluster: create (no kind/apiVersion in the body), list, watch with
# timeout_seconds, delete.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3
PY=
for p in python3 /usr/bin/python3; do
	"$p" -c 'import kubernetes' 2>/dev/null && { PY=$p; break; }
done
[ -n "$PY" ] || skip "python3 kubernetes client not installed"

export HOME="$T_DIR/home"
D="$T_DIR/c"
PORT=$(free_port)
"$KDECK" cluster up --no-node --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" \
	>"$T_DIR/out" 2>"$T_DIR/err" &
PID=$!
at_exit "kill $PID 2>/dev/null"
wait_for 20 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
kill -0 $PID 2>/dev/null || die "the daemon does not start: $(tail -n 1 "$T_DIR/err")"

cat >"$T_DIR/t.py" <<'EOP'
import sys, threading, time
from kubernetes import client, config, watch
config.load_kube_config(sys.argv[1])
v1 = client.CoreV1Api()
cm = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py-cm", labels={"app": "py"}), data={"k": "v"})
got = v1.create_namespaced_config_map("default", cm)
print("created", got.metadata.name, got.kind is None or got.kind)
names = [c.metadata.name for c in v1.list_namespaced_config_map("default", label_selector="app=py").items]
print("listed", ",".join(names))
seen = []
def w():
    for ev in watch.Watch().stream(v1.list_namespaced_config_map, "default", timeout_seconds=4):
        seen.append(ev["type"] + ":" + ev["object"].metadata.name)
t = threading.Thread(target=w); t.start()
time.sleep(1)
v1.create_namespaced_config_map("default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py-cm2")))
v1.delete_namespaced_config_map("py-cm2", "default")
t.join()
print("watched", " ".join(seen))
v1.delete_namespaced_config_map("py-cm", "default")
try:
    v1.read_namespaced_config_map("py-cm", "default")
except client.exceptions.ApiException as e:
    print("gone", e.status)
EOP
out=$(timeout 40 "$PY" "$T_DIR/t.py" "$D/kubeconfig.yaml" 2>&1)
check_contains "create without kind/apiVersion" "$out" "created py-cm"
check_contains "list with label selector" "$out" "listed py-cm"
check_contains "watch sees existing objects" "$out" "ADDED:py-cm "
check_contains "watch sees new objects" "$out" "ADDED:py-cm2"
check_contains "watch sees deletions" "$out" "DELETED:py-cm2"
check_contains "delete then 404" "$out" "gone 404"
finish
