# SPDX-License-Identifier: Apache-2.0
# Helpers of the Service and ingress tests (node_services.sh, node_lb.sh,
# node_ingress.sh), sourced after tests/lib.sh.

# httpd_deployment NAME REPLICAS SETUP: the YAML of a Deployment of busybox
# httpd pods (label app=NAME) serving /www on port 8080 (named http) after
# the shell command SETUP filled it, ready once the port answers; then a
# "---" line.
httpd_deployment() {
	cat <<Y
apiVersion: apps/v1
kind: Deployment
metadata: {name: $1}
spec:
  replicas: $2
  selector: {matchLabels: {app: $1}}
  template:
    metadata: {labels: {app: $1}}
    spec:
      containers:
      - name: httpd
        image: kdeck.test/busybox:1
        command: ["sh", "-c", "mkdir -p /www && $3 && exec httpd -f -p 8080 -h /www"]
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
---
Y
}
