# SPDX-License-Identifier: Apache-2.0
# pods/log with real kubectl and the Python client, without a node agent:
# the test writes the CRI log files itself (node/layout.h is the contract)
# and sets the container statuses with `kubectl patch --subresource=status`.
# Covers -c, --previous, --tail, --since, --since-time, --timestamps,
# --limit-bytes, -f (appends, rotation, end when the container stops),
# init containers, and the apiserver's and kubelet's error texts.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node
K() { "$KUBECTL" --request-timeout=10s "$@"; }

cat >"$T_DIR/pod.yaml" <<'EOF'
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: logs-node
  initContainers: [{name: init, image: busybox}]
  containers: [{name: a, image: busybox}, {name: b, image: busybox}]
EOF
K apply -f "$T_DIR/pod.yaml" >/dev/null || die "cannot create the pod"
UID_=$(K get pod web -o jsonpath='{.metadata.uid}')
L="$D/logs/default_web_$UID_"
mkdir -p "$L/a" "$L/init" "$L/b"
NOW=$(date -u +%Y-%m-%dT%H:%M:%S)
OLD="2020-01-01T00:00:00"
printf '%s.000000001Z stdout F old one\n%s.5Z stdout F old two\n' "$OLD" "$OLD" >"$L/a/0.log"
{
	printf '%s.1Z stdout F ancient\n' "$OLD"
	printf '%s.123456789Z stdout F first\n' "$NOW"
	printf '%s.2Z stderr P par\n' "$NOW"
	printf '%s.3Z stderr F tial\n' "$NOW"
	printf 'garbage line\n'
	printf '%s.4Z stdout F last\n' "$NOW"
} >"$L/a/1.log"
printf '%sZ stdout F init done\n' "$NOW" >"$L/init/0.log"

K patch pod web --subresource=status --type=merge -p "{\"status\":{
  \"initContainerStatuses\":[{\"name\":\"init\",\"image\":\"busybox\",\"imageID\":\"\",\"ready\":false,\"restartCount\":0,
    \"state\":{\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\",\"containerID\":\"kdeck://${UID_}_init_0\"}}}],
  \"containerStatuses\":[
   {\"name\":\"a\",\"image\":\"busybox\",\"imageID\":\"\",\"ready\":true,\"restartCount\":1,\"containerID\":\"kdeck://${UID_}_a_1\",
    \"state\":{\"running\":{\"startedAt\":\"${NOW}Z\"}},
    \"lastState\":{\"terminated\":{\"exitCode\":1,\"reason\":\"Error\",\"containerID\":\"kdeck://${UID_}_a_0\"}}},
   {\"name\":\"b\",\"image\":\"busybox\",\"imageID\":\"\",\"ready\":false,\"restartCount\":0,
    \"state\":{\"waiting\":{\"reason\":\"ContainerCreating\"}}}]}}" >/dev/null || die "cannot patch the status"

check_eq "logs -c a" "$(K logs web -c a)" "ancient
first
partial
last"
check_eq "kdeck logs through the client layer" "$("$KDECK" logs web -c a --tail 2 2>&1)" "last"
check_eq "logs --previous" "$(K logs web -c a --previous)" "old one
old two"
check_eq "logs --tail=2" "$(K logs web -c a --tail=2)" "last"
check_eq "logs --tail=3" "$(K logs web -c a --tail=3)" "tial
last"
check_eq "logs --since=1h" "$(K logs web -c a --since=1h)" "first
partial
last"
check_eq "logs --since-time" "$(K logs web -c a --since-time=2020-01-01T00:00:01Z)" "first
partial
last"
check_eq "logs --timestamps" "$(K logs web -c a --timestamps --tail=5)" "${NOW}.123456789Z first
${NOW}.2Z partial
${NOW}.4Z last"
check_eq "logs --limit-bytes" "$(K logs web -c a --limit-bytes=10)" "ancient
fi"
check_eq "logs of the init container" "$(K logs web -c init)" "init done"
check_contains "waiting container" "$(K logs web -c b 2>&1)" \
	'container "b" in pod "web" is waiting to start: ContainerCreating'
check_contains "no previous instance" "$(K logs web -c b --previous 2>&1)" \
	'previous terminated container "b" in pod "web" not found'
check_contains "unknown container" "$(K logs web -c zz 2>&1)" 'container zz is not valid for pod web'
check_contains "pod not found" "$(K logs nope 2>&1)" 'pods "nope" not found'
RAW=$(K get --raw /api/v1/namespaces/default/pods/web/log 2>&1)
check_contains "container required" "$RAW" \
	'a container name must be specified for pod web, choose one of: [init a b]'
check_contains "tailLines validated" "$(K get --raw '/api/v1/namespaces/default/pods/web/log?container=a&tailLines=-1' 2>&1)" \
	'must be greater than or equal to 0'

# follow: appended lines arrive, a rotation is followed, the stream ends
# once the container stopped.
K logs -f web -c a --tail=1 >"$T_DIR/follow" 2>&1 &
FPID=$!
at_exit "kill $FPID 2>/dev/null"
wait_for 10 grep -q last "$T_DIR/follow"
printf '%sZ stdout F appended\n' "$(date -u +%Y-%m-%dT%H:%M:%S)" >>"$L/a/1.log"
check "follow sees an appended line" wait_for 10 grep -q appended "$T_DIR/follow"
mv "$L/a/1.log" "$L/a/1.log.20261129-050000"
printf '%sZ stdout P rot\n%sZ stdout F ated\n' "$NOW" "$NOW" >"$L/a/1.log"
check "follow reopens a rotated file" wait_for 10 grep -q rotated "$T_DIR/follow"
check "follow still running" kill -0 $FPID
printf '%sZ stdout F final words\n' "$NOW" >>"$L/a/1.log"
K patch pod web --subresource=status --type=json -p '[{"op":"replace","path":"/status/containerStatuses/0/state","value":{"terminated":{"exitCode":0,"reason":"Completed"}}}]' >/dev/null
check "follow ends when the container stopped" wait_for 15 sh -c "! kill -0 $FPID"
check_eq "followed output" "$(cat "$T_DIR/follow")" "last
appended
rotated
final words"
check_eq "terminated container's log" "$(K logs web -c a)" "rotated
final words"

# the Python client
PY=
for p in python3 /usr/bin/python3; do
	"$p" -c 'import kubernetes' 2>/dev/null && { PY=$p; break; }
done
if [ -n "$PY" ]; then
	OUT=$("$PY" - "$KUBECONFIG" <<'EOP' 2>&1
import sys
from kubernetes import client, config
config.load_kube_config(sys.argv[1])
v1 = client.CoreV1Api()
print(repr(v1.read_namespaced_pod_log("web", "default", container="a", tail_lines=1)))
print(repr(v1.read_namespaced_pod_log("web", "default", container="a", previous=True, timestamps=True)))
try:
    v1.read_namespaced_pod_log("web", "default", container="b")
except client.exceptions.ApiException as e:
    print(e.status)
EOP
)
	check_eq "python read_namespaced_pod_log" "$OUT" "'final words\\n'
'2020-01-01T00:00:00.000000001Z old one\\n2020-01-01T00:00:00.5Z old two\\n'
400"
else
	echo "# python3 kubernetes client not installed: Python checks skipped"
fi
finish
