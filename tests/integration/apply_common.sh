# SPDX-License-Identifier: Apache-2.0
# Shared by apply_kubectl.sh and apply_edit.sh (sourced after tests/lib.sh):
# starts a cluster and runs a test's pass once with kubectl 1.32 ($KUBECTL)
# and once with 1.35 ($KUBECTL_NEW, skipped only when absent), each in a
# namespace of its own ($N); k and jp run the pass's kubectl ($KC).
export HOME="$T_DIR/home"
start_cluster --no-node
k() { "$KC" "$@" 2>&1; }
jp() { "$KC" get "$1" -n "$N" -o jsonpath="$2" 2>&1; }

dep() { # name replicas image [extra spec line]
	cat <<EOD
apiVersion: apps/v1
kind: Deployment
metadata: {name: $1, namespace: $N, labels: {app: $1}}
spec:
  replicas: $2
  selector: {matchLabels: {app: $1}}
  template:
    metadata: {labels: {app: $1}}
    spec:
      containers:
      - name: main
        image: "$3"
${4:-}
EOD
}

each_kubectl() { # pass-function: run it as "1.32" in ap, "1.35" in ap-new
	L=1.32 KC=$KUBECTL N=ap
	k create ns "$N" >/dev/null
	"$1"
	if [ ! -x "$KUBECTL_NEW" ]; then
		echo "# $KUBECTL_NEW not found: the kubectl 1.35 pass is skipped"
		return 0
	fi
	L=1.35 KC=$KUBECTL_NEW N=ap-new
	k create ns "$N" >/dev/null
	"$1"
}
