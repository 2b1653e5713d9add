# SPDX-License-Identifier: Apache-2.0
# LoadBalancer Services, ClientIP affinity and ExternalName on the
# embedded node (root only), with real kubectl and pods: a LoadBalancer
# Service gets the node's address as its EXTERNAL-IP (not <pending>) and
# answers on it at its port; changing it to ClusterIP takes the address
# back; the Ingress shows the same address; a Service with
# sessionAffinity ClientIP sends one client to one pod while another
# without spreads; an ExternalName Service resolves in a pod to its
# CNAME (and the target's address where the upstream resolves it).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/svc_lib.sh"
need_cmd nft
IPORT=$(free_port)
export KDECK_INGRESS_LISTEN="127.0.0.1:$IPORT"
start_node_cluster
K() { "$KUBECTL" --request-timeout=20s "$@"; }
check_contains "cluster up reports the load-balancer address" \
	"$(cat "$T_DIR/err")" "load balancers: "
LBPORT=$(free_port)
{ httpd_deployment web 2 'hostname > /www/index.html'; cat <<Y
apiVersion: v1
kind: Service
metadata: {name: lb}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: $LBPORT, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: sticky}
spec:
  selector: {app: web}
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 300}}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: spread}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: ext}
spec:
  type: ExternalName
  externalName: example.com
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
  - {name: c, image: kdeck.test/busybox:1, command: ["sleep", "3600"]}
Y
} >"$T_DIR/app.yaml"
check "apply" K apply -f "$T_DIR/app.yaml"
check "Deployment available" K wait --for=condition=Available deploy/web --timeout=60s

# ---- LoadBalancer ----
check_eventually "the LoadBalancer gets an address" "." \
	K get svc lb -o jsonpath='{.status.loadBalancer.ingress[0].ip}'
LBIP=$(K get svc lb -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
check_eq "the node's address" "$LBIP" \
	"$(K get node -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}')"
ROW=$(K get svc lb --no-headers)
check_contains "kubectl shows the EXTERNAL-IP" "$ROW" "$LBIP"
check "not <pending>" sh -c "! echo '$ROW' | grep -q pending"
check "the address answers on the port" wait_for 20 curl -sf -m 2 "http://$LBIP:$LBPORT/"
check_contains "served by a pod" "$(curl -sS -m 5 "http://$LBIP:$LBPORT/")" "web-"

# ---- the Ingress shows the same address ----
check "create ingress" K create ingress web --rule="shop.test/*=spread:80"
check_eventually "the Ingress shows the load-balancer address" "$LBIP" \
	K get ingress web -o jsonpath='{.status.loadBalancer.ingress[0].ip}'

# ---- sessionAffinity ----
VIP=$(K get svc sticky -o jsonpath='{.spec.clusterIP}')
SVIP=$(K get svc spread -o jsonpath='{.spec.clusterIP}')
wait_for 20 curl -sf -m 2 "http://$VIP/"
wait_for 20 curl -sf -m 2 "http://$SVIP/"
sticky="" spread=""
for i in $(seq 1 30); do
	sticky="$sticky $(curl -sf -m 2 "http://$VIP/")"
	spread="$spread $(curl -sf -m 2 "http://$SVIP/")"
done
check_eq "ClientIP affinity: one pod for one client" \
	"$(echo $sticky | tr ' ' '\n' | sort -u | wc -l)" 1
check_eq "without affinity: both pods" \
	"$(echo $spread | tr ' ' '\n' | sort -u | wc -l)" 2
check "the affinity sets are in the table" sh -c "nft list ruleset | grep -q 'timeout 5m'"

# ---- back to ClusterIP: the address goes ----
check "patch to ClusterIP" K patch svc lb -p '{"spec":{"type":"ClusterIP"}}'
check_eventually "the address is taken back" "none" sh -c \
	"ip=\$('$KUBECTL' get svc lb -o jsonpath='{.status.loadBalancer.ingress[0].ip}'); echo \${ip:-none}"
check "no longer forwarded" wait_for 20 sh -c "! curl -sf -m 1 http://$LBIP:$LBPORT/ >/dev/null"

# ---- ExternalName ----
check "client running" K wait --for=condition=Ready pod/client --timeout=60s
wait_for 20 sh -c "'$KUBECTL' exec client -- nslookup ext.default.svc.cluster.local 2>&1 | grep -q 'canonical name'"
OUT=$(K exec client -- nslookup ext.default.svc.cluster.local 2>&1)
check_contains "ExternalName: a CNAME" "$OUT" "canonical name = example.com"
if getent hosts example.com >/dev/null 2>&1; then
	check_contains "ExternalName: the target's address, chased" "$OUT" \
		"$(getent ahostsv4 example.com | awk 'NR==1{print $1}')"
else
	echo "# the host resolves no names: the chased A is left to test_dns"
fi
finish
