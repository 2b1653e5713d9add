# SPDX-License-Identifier: Apache-2.0
# Two clusters with real pods at once (root only): two `kdeck cluster up`
# on different data dirs and ports each get their own bridge and pod /24
# (DATA/net/network.json, named in cluster up's message), one pod each
# Running with an IP from its own /24, both reachable from the node, and
# `cluster reset` of one removes its bridge only: the other's pod stays
# reachable.
. "$TOP_SRCDIR/tests/lib.sh"
need_node
python3 "$TOP_SRCDIR/tests/images/mkimage.py" "$T_DIR/img" --format oci-dir \
	--name kdeck.test/busybox:1 >/dev/null || die "mkimage.py failed"

up() { # up NAME: a cluster in $T_DIR/NAME, its pid in $T_DIR/NAME.pid
	d="$T_DIR/$1" port=$(free_port)
	"$KDECK" cluster up --foreground --data-dir "$d" --listen "127.0.0.1:$port" \
		>"$T_DIR/$1.out" 2>"$T_DIR/$1.err" &
	echo $! >"$T_DIR/$1.pid"
	at_exit "kill $! 2>/dev/null; wait $! 2>/dev/null; '$KDECK' cluster reset --yes --data-dir '$d' >/dev/null 2>&1"
	wait_for 20 sh -c "curl -sf --cacert '$d/pki/ca.crt' 'https://127.0.0.1:$port/readyz' || ! kill -0 $!"
	kill -0 $! 2>/dev/null || die "cluster $1 does not start: $(tail -n 3 "$T_DIR/$1.err")"
	grep -q "node agent: off" "$T_DIR/$1.err" && skip "$(grep 'node agent: off' "$T_DIR/$1.err")"
	"$KDECK" image import "$T_DIR/img" --data-dir "$d" >/dev/null || die "image import failed"
}
net() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$T_DIR/$1/net/network.json" "$2"; }
K() { c=$1; shift; KUBECONFIG="$T_DIR/$c/kubeconfig.yaml" "$KUBECTL" --request-timeout=10s "$@"; }

up a
up b
BR_A=$(net a bridge) BR_B=$(net b bridge)
CIDR_A=$(net a podCIDR) CIDR_B=$(net b podCIDR)
check "different bridges ($BR_A, $BR_B)" sh -c "[ -n '$BR_A' ] && [ '$BR_A' != '$BR_B' ]"
check "different CIDRs ($CIDR_A, $CIDR_B)" sh -c "[ -n '$CIDR_A' ] && [ '$CIDR_A' != '$CIDR_B' ]"
check_contains "cluster up names a's network" "$(cat "$T_DIR/a.err")" "bridge $BR_A, pod CIDR $CIDR_A"
check_contains "cluster up names b's network" "$(cat "$T_DIR/b.err")" "bridge $BR_B, pod CIDR $CIDR_B"

for c in a b; do
	K $c run p --image=kdeck.test/busybox:1 \
		--overrides='{"spec":{"terminationGracePeriodSeconds":1}}' -- sleep 1000 >/dev/null
done
for c in a b; do
	wait_for 30 sh -c "[ \"\$(KUBECONFIG='$T_DIR/$c/kubeconfig.yaml' $KUBECTL get pod p -o jsonpath='{.status.phase}')\" = Running ]"
done
IP_A=$(K a get pod p -o jsonpath='{.status.podIP}')
IP_B=$(K b get pod p -o jsonpath='{.status.podIP}')
check_contains "a's pod IP in $CIDR_A" "$IP_A" "${CIDR_A%0/24}"
check_contains "b's pod IP in $CIDR_B" "$IP_B" "${CIDR_B%0/24}"
check_eq "a's Node podCIDR" "$(K a get nodes -o jsonpath='{.items[0].spec.podCIDR}')" "$CIDR_A"
check "a's pod reachable" /bin/busybox ping -c1 -W2 "$IP_A"
check "b's pod reachable" /bin/busybox ping -c1 -W2 "$IP_B"

kill "$(cat "$T_DIR/a.pid")" 2>/dev/null
wait_for 20 sh -c "! kill -0 $(cat "$T_DIR/a.pid")"
check "cluster reset of a" "$KDECK" cluster reset --yes --data-dir "$T_DIR/a"
check "a's bridge is gone" sh -c "! ip link show '$BR_A' >/dev/null 2>&1"
check "b's bridge stays" ip link show "$BR_B"
check "b's pod still reachable" /bin/busybox ping -c1 -W2 "$IP_B"
finish
