# SPDX-License-Identifier: Apache-2.0
# Node agent figures (root and runc only): pod start latency from the
# create request to status.phase Running (seen through a watch), for one
# pod at a time (SAMPLES, default 20) and for BATCH pods created at once
# (default 50), from an imported image; then the daemon's RSS.  Prints
# figures; never fails on timing.  RUNTIME=host-process measures the
# host-process runtime instead of runc.
. "$TOP_SRCDIR/tests/lib.sh"
RUNTIME=${RUNTIME:-auto}
need_cmd curl python3
[ "$RUNTIME" = host-process ] || need_cmd runc
[ "$(id -u)" = 0 ] || skip "the node agent needs root here"
[ -x /bin/busybox ] || skip "no /bin/busybox for test images"
# One pod network per machine (bridge kdeck0, 10.244.0.0/24): node tests
# take turns.
exec 9>"${TMPDIR:-/tmp}/kdeck-node-tests.lock"
command -v flock >/dev/null && flock -w 150 9
SAMPLES=${SAMPLES:-20}
BATCH=${BATCH:-50}

export HOME="$T_DIR/home"
mkdir -p "$HOME"
D="$T_DIR/c"
PORT=$(free_port)
"$KDECK" cluster up 9>&- --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" \
	--runtime "$RUNTIME" >"$T_DIR/out" 2>"$T_DIR/err" &
PID=$!
at_exit "kill $PID 2>/dev/null; wait $PID 2>/dev/null; '$KDECK' cluster reset --yes --data-dir '$D' >/dev/null 2>&1"
wait_for 20 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
kill -0 $PID 2>/dev/null || die "the daemon does not start"
grep -q "node agent: off" "$T_DIR/err" && skip "$(grep 'node agent: off' "$T_DIR/err")"
python3 "$TOP_SRCDIR/tests/images/mkimage.py" "$T_DIR/img" --format oci-dir \
	--name kdeck.test/busybox:1 >/dev/null || die "mkimage.py failed"
"$KDECK" image import "$T_DIR/img" --data-dir "$D" >/dev/null || die "import failed"

python3 - "$D" "$PORT" "$SAMPLES" "$BATCH" <<'PY'
import http.client, json, ssl, statistics, sys, threading, time

d, port, samples, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ctx = ssl.create_default_context(cafile=d + "/pki/ca.crt")
ctx.load_cert_chain(d + "/pki/admin.crt", d + "/pki/admin.key")
ns = "default"

def conn():
    return http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=120)

def pod(name):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": {"bench": "podstart"}},
            "spec": {"terminationGracePeriodSeconds": 0,
                     "containers": [{"name": "c", "image": "kdeck.test/busybox:1",
                                     "command": ["sleep", "3600"]}]}}

def request(c, method, path, body=None):
    c.request(method, path, body=json.dumps(body) if body else None,
              headers={"Content-Type": "application/json"})
    r = c.getresponse()
    data = r.read()
    return r.status, json.loads(data) if data else None

def watch_running(names, rv, started, done):
    """Record the time each named pod is first seen Running."""
    c = conn()
    c.request("GET", "/api/v1/namespaces/%s/pods?watch=1&labelSelector=bench%%3Dpodstart"
              "&resourceVersion=%s" % (ns, rv))
    r = c.getresponse()
    while len(done) < len(names):
        chunk = r.readline()
        if not chunk:
            break
        if not chunk.strip():
            continue
        ev = json.loads(chunk)
        o = ev.get("object", {})
        n = o.get("metadata", {}).get("name")
        if n in names and n not in done and o.get("status", {}).get("phase") == "Running":
            done[n] = time.monotonic()
    c.close()

def run(names):
    c = conn()
    st, lst = request(c, "GET", "/api/v1/namespaces/%s/pods?limit=1" % ns)
    rv = lst["metadata"]["resourceVersion"]
    started, done = {}, {}
    t = threading.Thread(target=watch_running, args=(set(names), rv, started, done))
    t.start()
    for n in names:
        started[n] = time.monotonic()
        st, _ = request(c, "POST", "/api/v1/namespaces/%s/pods" % ns, pod(n))
        if st != 201:
            print("create %s: HTTP %d" % (n, st))
    t.join(180)
    lat = [(done[n] - started[n]) * 1000 for n in names if n in done]
    wall = (max(done.values()) - min(started.values())) if done else 0
    for n in names:
        request(c, "DELETE", "/api/v1/namespaces/%s/pods/%s" % (ns, n),
                {"kind": "DeleteOptions", "apiVersion": "v1", "gracePeriodSeconds": 0})
    c.close()
    return lat, wall

def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]

one = []
for i in range(samples):
    lat, _ = run(["one-%d" % i])
    one += lat
    time.sleep(0.2)
if one:
    print("1 pod: apply to Running median %.0f ms, p99 %.0f ms (%d samples)"
          % (statistics.median(one), pct(one, 99), len(one)))
time.sleep(3)
lat, wall = run(["many-%d" % i for i in range(batch)])
if lat:
    print("%d pods at once: all Running in %.2f s; per pod median %.0f ms, p99 %.0f ms (%d Running)"
          % (batch, wall, statistics.median(lat), pct(lat, 99), len(lat)))
PY
echo "runtime: $RUNTIME"
echo "daemon RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$PID/status) (sanitizer builds carry ASan's shadow memory)"
finish
