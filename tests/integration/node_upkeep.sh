# SPDX-License-Identifier: Apache-2.0
# The node agent's upkeep (root only, real runc).  Image garbage
# collection: with the thresholds at 1 % (the disk is always fuller than
# that) and a short period, the agent removes the image no pod uses, keeps
# the one a running pod uses, and, unable to get under the low threshold,
# records kubelet's ImageGCFailed warning on the Node.  A deleted pod held
# by a finalizer is stopped once and then left alone (no new worker
# rewriting it every second) until the finalizer goes.
. "$TOP_SRCDIR/tests/lib.sh"
need_node
NODE=$(hostname | tr 'A-Z' 'a-z')

# Two images, imported before the daemon starts: one with an extra 1 MiB
# layer nothing else shares, so removing it frees bytes.
head -c 1048576 /dev/urandom >"$T_DIR/blob"
python3 "$TOP_SRCDIR/tests/images/mkimage.py" "$T_DIR/a" --format oci-dir \
	--name kdeck.test/busybox:1 >/dev/null || die "mkimage.py failed"
python3 "$TOP_SRCDIR/tests/images/mkimage.py" "$T_DIR/b" --format oci-dir \
	--name kdeck.test/unused:1 --file "$T_DIR/blob:/blob" >/dev/null ||
	die "mkimage.py failed"
check "import the used image" "$KDECK" image import "$T_DIR/a" --data-dir "$D"
check "import the unused image" "$KDECK" image import "$T_DIR/b" --data-dir "$D"
check_contains "both listed" "$("$KDECK" image ls --data-dir "$D")" "kdeck.test/unused:1"

KDECK_IMAGE_GC_PERIOD=15 KDECK_IMAGE_GC_HIGH_THRESHOLD=1 \
KDECK_IMAGE_GC_LOW_THRESHOLD=1 start_cluster
at_exit "'$KDECK' cluster down --data-dir '$D' >/dev/null 2>&1; '$KDECK' cluster reset --yes --data-dir '$D' >/dev/null 2>&1"
grep -q "node agent: off" "$T_DIR/err" && skip "$(grep 'node agent: off' "$T_DIR/err")"
K() { "$KUBECTL" --request-timeout=10s "$@"; }

# The pod is bound well before the first collection (one period after start).
K run keep --image=kdeck.test/busybox:1 --image-pull-policy=Never \
	--command -- sh -c 'sleep 3600' >/dev/null
wait_for 10 sh -c "[ -n \"\$($KUBECTL get pod keep -o jsonpath='{.spec.nodeName}')\" ]"
check_eq "pod bound to the node" "$(K get pod keep -o jsonpath='{.spec.nodeName}')" "$NODE"
wait_for 30 sh -c "! '$KDECK' image ls --data-dir '$D' | grep -q unused"
IMGS=$("$KDECK" image ls --data-dir "$D")
check "the unused image is collected" sh -c "! echo '$IMGS' | grep -q kdeck.test/unused:1"
check_contains "the image in use is kept" "$IMGS" "kdeck.test/busybox:1"
wait_for 20 sh -c "[ \"\$($KUBECTL get pod keep -o jsonpath='{.status.phase}')\" = Running ]"
check_eq "its pod runs" "$(K get pod keep -o jsonpath='{.status.phase}')" "Running"
wait_for 20 sh -c "$KUBECTL get events --field-selector involvedObject.kind=Node,reason=ImageGCFailed -o name | grep -q ."
EV=$(K get events --field-selector involvedObject.kind=Node,reason=ImageGCFailed -o jsonpath='{.items[0].type}|{.items[0].message}|{.items[0].source.component}')
check_contains "ImageGCFailed warning" "$EV" "Warning|Failed to garbage collect required amount of images. Attempted to free"
check_contains "from the kubelet" "$EV" "|kubelet"

# ---- a deleted pod held by a finalizer ----
cat >"$T_DIR/held.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: held, finalizers: [kdeck.test/hold]}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: c, image: kdeck.test/busybox:1, imagePullPolicy: Never, command: [sleep, "3600"]}
Y
K apply -f "$T_DIR/held.yaml" >/dev/null
wait_for 20 sh -c "[ \"\$($KUBECTL get pod held -o jsonpath='{.status.phase}')\" = Running ]"
K delete pod held --wait=false >/dev/null
wait_for 20 sh -c "$KUBECTL get pod held -o jsonpath='{.status.containerStatuses[0].state}' | grep -q terminated"
check_contains "the held pod's container is stopped" \
	"$(K get pod held -o jsonpath='{.status.containerStatuses[0].state}')" "terminated"
sleep 2
RV1=$(K get pod held -o jsonpath='{.metadata.resourceVersion}')
EV1=$(K get events --field-selector involvedObject.name=held -o jsonpath='{range .items[*]}{.reason}={.count};{end}')
sleep 4
RV2=$(K get pod held -o jsonpath='{.metadata.resourceVersion}')
EV2=$(K get events --field-selector involvedObject.name=held -o jsonpath='{range .items[*]}{.reason}={.count};{end}')
check_eq "left alone while the finalizer holds it" "$RV2" "$RV1"
check_eq "no repeated kubelet events" "$EV2" "$EV1"
K patch pod held --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]' >/dev/null
wait_for 10 sh -c "! $KUBECTL get pod held >/dev/null 2>&1"
check "gone once the finalizer is removed" sh -c "! $KUBECTL get pod held >/dev/null 2>&1"
finish
