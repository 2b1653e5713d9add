# SPDX-License-Identifier: Apache-2.0
# Service address allocation with real kubectl: ClusterIPs from the
# service CIDR, requested ClusterIPs and NodePorts checked (range, taken)
# with the API server's Invalid errors, headless Services keep None.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl "$KUBECTL"

export HOME="$T_DIR/home"
start_cluster --no-node
K() { "$KUBECTL" --request-timeout=10s "$@"; }
svc() { # name type clusterIP nodePort
	K apply -f - 2>&1 <<YAML
apiVersion: v1
kind: Service
metadata: {name: $1}
spec:
  type: $2
  ${3:+clusterIP: $3}
  selector: {app: x}
  ports:
  - {port: 80${4:+, nodePort: $4}}
YAML
}

svc a ClusterIP >/dev/null
ip=$(K get svc a -o jsonpath='{.spec.clusterIP}')
case $ip in 10.9[6-9].*|10.10[0-9].*|10.11[01].*) pass "clusterIP $ip in 10.96.0.0/12" ;;
*) fail "clusterIP $ip not in 10.96.0.0/12" ;; esac
check_eq "clusterIPs mirrors clusterIP" "$(K get svc a -o jsonpath='{.spec.clusterIPs[0]}')" "$ip"
out=$(svc b ClusterIP "$ip")
check_contains "a taken clusterIP is refused" "$out" \
	"spec.clusterIPs: Invalid value: []string{\"$ip\"}: failed to allocate IP $ip: provided IP is already allocated"
out=$(svc c ClusterIP 192.168.7.7)
check_contains "a clusterIP outside the range is refused" "$out" \
	"is not in the valid range. The range of valid IPs is 10.96.0.0/12"
svc d ClusterIP 10.96.7.7 >/dev/null
check_eq "a free requested clusterIP is kept" "$(K get svc d -o jsonpath='{.spec.clusterIP}')" 10.96.7.7
svc h ClusterIP None >/dev/null
check_eq "headless keeps None" "$(K get svc h -o jsonpath='{.spec.clusterIP}')" None
svc n1 NodePort "" 30080 >/dev/null
check_eq "requested nodePort kept" "$(K get svc n1 -o jsonpath='{.spec.ports[0].nodePort}')" 30080
out=$(svc n2 NodePort "" 30080)
check_contains "a taken nodePort is refused" "$out" \
	'spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated'
out=$(svc n3 NodePort "" 8080)
check_contains "a nodePort out of range is refused" "$out" \
	'spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767'
svc n4 NodePort >/dev/null
np=$(K get svc n4 -o jsonpath='{.spec.ports[0].nodePort}')
if [ "$np" -ge 30000 ] && [ "$np" -le 32767 ] && [ "$np" != 30080 ]; then
	pass "allocated nodePort $np in range and free"
else
	fail "allocated nodePort '$np'"
fi
finish
