# SPDX-License-Identifier: Apache-2.0
# Helpers for the dashboard's tmux tests (sourced after tests/lib.sh).
#
#   tui_fixture FILE          write a small cluster as a JSON fixture
#   tui_start NAME ARGS...    run "$KDECK ARGS" in a private tmux server
#   tui_keys KEYS...          tmux send-keys to it
#   tui_click X Y, tui_wheel down|up   mouse reports
#   tui_screen                the visible screen (capture-pane -p)
#   tui_wait TEXT [SECONDS]   poll the screen until TEXT shows up
#   tui_gone TEXT [SECONDS]   poll until TEXT is no longer shown

need_cmd tmux python3
# The system interpreter when there is one: version-manager shims can take
# seconds to start on a loaded machine.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

TUI_SOCK="kdeck-$$"

tui_fixture() {
	"$PY" - "$1" <<'PY'
import json, sys
pods = []
for ns, name, ready, status, restarts, age, app in [
    ("default", "web-1", "1/1", "Running", "0", "3d", "web"),
    ("default", "web-2", "1/1", "Running", "12", "45m", "web"),
    ("default", "web-10", "0/1", "CrashLoopBackOff", "3", "2h", "web"),
    ("default", "db-0", "1/1", "Running", "1", "25h", "db"),
    ("kube-system", "coredns-abc", "1/1", "Running", "0", "9d", "dns"),
]:
    pods.append({
        "resource": "pods", "namespace": ns, "name": name,
        "labels": {"app": app},
        "cells": [name, ready, status, restarts, age],
        "wide": ["10.0.0.%d" % (len(pods) + 2), "node-1"],
        "yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\n  namespace: %s\n  labels:\n    app: %s\nspec:\n  containers:\n  - name: main\n    image: nginx:1.27\n# end\n" % (name, ns, app),
        "object": {"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"name": name, "namespace": ns, "labels": {"app": app},
                                "annotations": {"note": "fixture"},
                                "creationTimestamp": "2026-11-26T10:00:00Z"},
                   "spec": {"nodeName": "node-1", "containers": [{"name": "main", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]},
                   "status": {"phase": status if status != "CrashLoopBackOff" else "Running", "podIP": "10.0.0.9",
                              "containerStatuses": [{"name": "main", "ready": ready == "1/1", "restartCount": int(restarts), "state": {"running": {}}}],
                              "conditions": [{"type": "Ready", "status": "True"}]}},
    })
deps = [{"resource": "deployments", "namespace": "default", "name": "web",
         "labels": {"app": "web"}, "cells": ["web", "3/3", "3", "3", "3d"],
         "yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  replicas: 3\n",
         "object": {"kind": "Deployment", "metadata": {"name": "web", "namespace": "default"},
                    "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}, "strategy": {"type": "RollingUpdate"}},
                    "status": {"readyReplicas": 3, "availableReplicas": 3, "updatedReplicas": 3}}}]
nss = [{"resource": "namespaces", "namespace": "", "name": n, "cells": [n, "Active", "9d"]}
       for n in ("default", "kube-system", "kube-public")]
doc = {
    "context": "fixture-ctx", "cluster": "fixture", "user": "admin",
    "version": "v1.31.0", "namespace": "default", "reachable": True,
    "contexts": ["fixture-ctx", "other"],
    "kinds": [
        {"plural": "pods", "singular": "pod", "kind": "Pod", "short": "po",
         "columns": ["NAME", "READY", "STATUS", "RESTARTS", "AGE"], "wide": ["IP", "NODE"]},
        {"plural": "deployments", "singular": "deployment", "kind": "Deployment",
         "group": "apps", "short": "deploy", "scalable": True,
         "columns": ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]},
        {"plural": "namespaces", "singular": "namespace", "kind": "Namespace",
         "short": "ns", "namespaced": False, "columns": ["NAME", "STATUS", "AGE"]},
        {"plural": "secrets", "singular": "secret", "kind": "Secret",
         "forbidden": True, "columns": ["NAME", "TYPE", "DATA", "AGE"]},
        {"plural": "crontabs", "singular": "crontab", "kind": "CronTab",
         "group": "stable.example.com", "short": "ct", "columns": ["NAME", "AGE"]},
        {"plural": "events", "singular": "event", "kind": "Event", "short": "ev",
         "columns": ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]},
    ],
    "objects": pods + deps + nss,
    "events": [{"type": "Warning", "reason": "BackOff", "count": 4,
                "message": "Back-off restarting failed container",
                "involvedObject": {"kind": "Pod", "name": "web-10", "namespace": "default"}}],
    "logs": {"default/web-1": ["starting nginx", "GET / 200", "GET /healthz 200"]},
}
with open(sys.argv[1], "w") as f:
    json.dump(doc, f, indent=1)
PY
}

tui_start() {
	name=$1; shift
	at_exit "tmux -L $TUI_SOCK kill-server 2>/dev/null"
	tmux -L "$TUI_SOCK" -f /dev/null new-session -d -s "$name" -x 160 -y 50 -c "$T_DIR" \
		"env TERM=xterm-256color $*; sleep 30"
}

tui_keys() { tmux -L "$TUI_SOCK" send-keys "$@"; }
# tui_click X Y / tui_wheel down|up: SGR (1006) mouse reports, 1-based
tui_click() {
	tmux -L "$TUI_SOCK" send-keys -l "$(printf '\033[<0;%d;%dM\033[<0;%d;%dm' "$1" "$2" "$1" "$2")"
}
tui_wheel() {
	b=64; [ "$1" = down ] && b=65
	tmux -L "$TUI_SOCK" send-keys -l "$(printf '\033[<%d;5;8M' "$b")"
}
tui_screen() { tmux -L "$TUI_SOCK" capture-pane -p; }

tui_has() { tui_screen | grep -qF -- "$1"; }
tui_hasnt() { ! tui_screen | grep -qF -- "$1"; }

tui_wait() {
	if wait_for "${2:-10}" tui_has "$1"; then return 0; fi
	echo "--- screen while waiting for: $1"; tui_screen | sed 's/^/    | /'
	return 1
}

# tui_wait_re ERE [SECONDS]: like tui_wait, for an extended regex.
tui_has_re() { tui_screen | grep -qE -- "$1"; }
tui_wait_re() {
	if wait_for "${2:-10}" tui_has_re "$1"; then return 0; fi
	echo "--- screen while waiting for /$1/"; tui_screen | sed 's/^/    | /'
	return 1
}

tui_gone() {
	if wait_for "${2:-10}" tui_hasnt "$1"; then return 0; fi
	echo "--- screen while waiting for \"$1\" to go"; tui_screen | sed 's/^/    | /'
	return 1
}

# tui_cluster_up [cluster up options]: the embedded cluster of a test (a
# daemon on a free port with its data in $T_DIR/data, no node, stopped at
# exit).  Sets PORT, DATA and KC, exports HOME and the XDG directories
# under $T_DIR, and defines k: kubectl on that cluster.
tui_cluster_up() {
	PORT=$(free_port)
	DATA="$T_DIR/data"
	export HOME="$T_DIR/home" XDG_DATA_HOME="$T_DIR/xdg" XDG_CACHE_HOME="$T_DIR/cache"
	mkdir -p "$HOME"
	"$KDECK" cluster up --no-node "$@" --data-dir "$DATA" --listen "127.0.0.1:$PORT" \
		>"$T_DIR/up.log" 2>&1 ||
		die "the embedded cluster does not start here: $(tail -n 1 "$T_DIR/up.log")"
	at_exit "'$KDECK' cluster down --data-dir '$DATA' >/dev/null 2>&1"
	KC="$DATA/kubeconfig.yaml"
	k() { timeout 20 kubectl --kubeconfig "$KC" "$@"; }
}
