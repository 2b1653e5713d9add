# SPDX-License-Identifier: Apache-2.0
# Services and cluster DNS on the embedded node (root only), with real
# kubectl and pods: `cluster up` reports them; kube-system/kube-dns is the
# service range's .10; a Deployment behind a NodePort Service answers on
# its ClusterIP from the host, spread over both pods, and on its NodePort
# at 127.0.0.1; a pod's resolv.conf names kube-dns with kubelet's search
# path; from a pod, `web` resolves and answers by short name, a headless
# Service resolves to its pods, the pod DNS form answers, an unknown name
# is NXDOMAIN; a Service without endpoints refuses at once (nc in a pod); scaling to
# zero and back follows; the ingress controller (on a loopback port
# here) routes an Ingress made with `kubectl create ingress` by host and
# path, fills in its address and answers unknown hosts with 404;
# `cluster reset` removes the Service rules.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/svc_lib.sh"
need_cmd nft
IPORT=$(free_port)
export KDECK_INGRESS_LISTEN="127.0.0.1:$IPORT"
start_node_cluster
K() { "$KUBECTL" --request-timeout=20s "$@"; }
check_contains "cluster up reports Service IPs and DNS" "$(cat "$T_DIR/err")" \
	"Service IPs: nftables; load balancers: "
check_contains "cluster up reports the ingress" "$(cat "$T_DIR/err")" \
	"ingress: http://127.0.0.1:$IPORT"
check_contains "cluster up reports cluster DNS" "$(cat "$T_DIR/err")" \
	"; cluster DNS: "
BR=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bridge"])' "$D/net/network.json")
TABLE=kdeck_svc; [ "$BR" = kdeck0 ] || TABLE=kdeck_svc_$BR

# ---- kube-dns ----
wait_for 10 K -n kube-system get svc kube-dns
KIP=$(K get svc kubernetes -o jsonpath='{.spec.clusterIP}')
DNSIP=$(K -n kube-system get svc kube-dns -o jsonpath='{.spec.clusterIP}')
check_eq "kube-dns at the service range's .10" "$DNSIP" "${KIP%.*}.10"
check_contains "kube-dns has the node's endpoint" \
	"$(K -n kube-system get endpointslices -l kubernetes.io/service-name=kube-dns -o jsonpath='{.items[*].ports[*].port}')" "53"

# ---- a Deployment behind a NodePort Service ----
{ httpd_deployment web 2 'hostname > /www/index.html'; cat <<'Y'
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: web-headless}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: http, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: empty}
spec:
  selector: {app: nothing}
  ports: [{port: 80}]
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
check "client running" K wait --for=condition=Ready pod/client --timeout=60s
VIP=$(K get svc web -o jsonpath='{.spec.clusterIP}')
NP=$(K get svc web -o jsonpath='{.spec.ports[0].nodePort}')
PODS=$(K get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{.items[*].endpoints[*].targetRef.name}')
check_eq "two endpoints" "$(echo $PODS | wc -w)" 2
wait_for 10 curl -sf -m 2 "http://$VIP/"
seen=""
for i in $(seq 1 30); do
	seen="$seen $(curl -sf -m 2 "http://$VIP/")"
done
for p in $PODS; do
	check_contains "ClusterIP from the host reaches $p" "$seen" "$p"
done
check_contains "NodePort on 127.0.0.1" "$(curl -sf -m 2 "http://127.0.0.1:$NP/")" "web-"

# ---- from a pod ----
RESOLV=$(K exec client -- cat /etc/resolv.conf)
check_contains "resolv.conf names kube-dns" "$RESOLV" "nameserver $DNSIP"
check_contains "resolv.conf search path" "$RESOLV" "search default.svc.cluster.local svc.cluster.local cluster.local"
check_contains "resolv.conf ndots" "$RESOLV" "ndots:5"
check_contains "nslookup of the Service" \
	"$(K exec client -- nslookup web.default.svc.cluster.local 2>&1)" "$VIP"
# (busybox-static's wget crashes in its resolver; nc does not)
GET='printf "GET / HTTP/1.0\r\n\r\n" | nc -w 5'
check_contains "HTTP to the Service by short name" "$(K exec client -- sh -c "$GET web 80" 2>&1)" "web-"
check_contains "HTTP to the ClusterIP from a pod" "$(K exec client -- sh -c "$GET $VIP 80" 2>&1)" "web-"
# DNS follows Services within a moment, as with CoreDNS: wait for it.
wait_for 20 sh -c "'$KUBECTL' exec client -- nslookup web-headless.default.svc.cluster.local 2>&1 | grep -q 'Address.*10.244'"
HEADLESS=$(K exec client -- nslookup web-headless.default.svc.cluster.local 2>&1)
for ip in $(K get pods -l app=web -o jsonpath='{.items[*].status.podIP}'); do
	check_contains "headless Service resolves to $ip" "$HEADLESS" "$ip"
done
CIP=$(K get pod client -o jsonpath='{.status.podIP}')
DASHED=$(echo "$CIP" | tr . -)
check_contains "pod DNS name" \
	"$(K exec client -- nslookup "$DASHED.default.pod.cluster.local" 2>&1)" "$CIP"
check_contains "unknown name: NXDOMAIN" \
	"$(K exec client -- nslookup nope.default.svc.cluster.local 2>&1)" "NXDOMAIN"
check_contains "kubernetes.default resolves" \
	"$(K exec client -- nslookup kubernetes.default.svc.cluster.local 2>&1)" "$KIP"
wait_for 20 sh -c "'$KUBECTL' exec client -- nslookup empty.default.svc.cluster.local >/dev/null 2>&1"
OUT=$(K exec client -- sh -c "nc -w 5 empty 80 </dev/null" 2>&1)
check_contains "no endpoints: refused at once" "$OUT" "refused"

# ---- ingress ----
check_eq "the default IngressClass" \
	"$(K get ingressclass kdeck -o jsonpath='{.spec.controller} {.metadata.annotations.ingressclass\.kubernetes\.io/is-default-class}')" \
	"kdeck.io/ingress-controller true"
check "create ingress" K create ingress web --rule="shop.test/*=web:80"
wait_for 10 curl -sf -m 2 -H "Host: shop.test" "http://127.0.0.1:$IPORT/"
check_contains "ingress routes by host to a pod" \
	"$(curl -sS -m 5 -H "Host: shop.test" "http://127.0.0.1:$IPORT/index.html")" "web-"
check_contains "unknown host: 404 that says why" \
	"$(curl -sS -m 5 -H "Host: other.test" "http://127.0.0.1:$IPORT/")" "no Ingress rule matches"
wait_for 10 sh -c "[ -n \"\$('$KUBECTL' get ingress web -o jsonpath='{.status.loadBalancer.ingress[0].ip}')\" ]"
check "the Ingress shows the node's address" \
	[ -n "$(K get ingress web -o jsonpath='{.status.loadBalancer.ingress[0].ip}')" ]

# ---- endpoints follow scaling ----
check "scale to 0" K scale deploy/web --replicas=0
wait_for 20 sh -c "! curl -sf -m 1 http://$VIP/ >/dev/null"
check_contains "no pods: refused at once" "$(curl -sS -m 2 "http://$VIP/" 2>&1)" "Couldn't connect to server"
check "scale to 1" K scale deploy/web --replicas=1
check "back" wait_for 40 curl -sf -m 1 "http://$VIP/"

# ---- reset removes the rules ----
check "table present" nft list table ip "$TABLE"
kill "$PID"; i=0; while kill -0 "$PID" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
check "the daemon stopped" sh -c "! kill -0 $PID 2>/dev/null"
check "reset" "$KDECK" cluster reset --yes --data-dir "$D"
check "reset removed the Service table" sh -c "! nft list table ip $TABLE 2>/dev/null"
finish
