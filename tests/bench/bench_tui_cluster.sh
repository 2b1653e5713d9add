# SPDX-License-Identifier: Apache-2.0
# Dashboard figures against the embedded cluster with PODS pods (default
# "10000 50000", one round each) on NODES simulated nodes (default 20),
# created through the API in bulk (tests/bench/mkpods.py): time until the
# pods table of all namespaces shows every pod, the dashboard's RSS then,
# and how long a sort (shift-n) and a filter (/pod-77) take to show on
# screen (tmux polling: about 20 ms resolution).  Prints figures; never
# fails on timing.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"
need_cmd curl
NODES=${NODES:-20}
PODS=${PODS:-"10000 50000"}
export HOME="$T_DIR/home"
mkdir -p "$HOME"

now() { date +%s%N; }
# ms since $1 once the screen matches ERE $2 (polled every 20 ms, 300 s at most; case-insensitive)
until_screen() {
	i=0
	while ! tmux -L "$TUI_SOCK" capture-pane -p | grep -Eiq -- "$2"; do
		sleep 0.02; i=$((i + 1)); [ $i -gt 15000 ] && { echo "timeout"; return; }
	done
	echo $(( ($(now) - $1) / 1000000 ))
}

for n in $PODS; do
	D="$T_DIR/c$n"
	PORT=$(free_port)
	"$KDECK" cluster up --no-node --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" \
		--simulated-nodes "$NODES" >"$T_DIR/out$n" 2>"$T_DIR/err$n" &
	PID=$!
	at_exit "kill $PID 2>/dev/null"
	wait_for 30 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
	t0=$(now)
	"$PY" "$TOP_SRCDIR/tests/bench/mkpods.py" "https://127.0.0.1:$PORT" "$D" default "$n" ||
		die "creating $n pods failed"
	echo "$n pods created through the API in $(( ($(now) - t0) / 1000000 )) ms"
	TUI_SOCK="kdeck-bench-$$-$n"
	t0=$(now)
	tui_start bench "XDG_CONFIG_HOME=$T_DIR/cfg XDG_CACHE_HOME=$T_DIR/cache $KDECK -A --kubeconfig $D/kubeconfig.yaml"
	echo "  first full table ($n rows): $(until_screen "$t0" "pods\\(all\\)\\[$n\\]") ms"
	pane=$(tmux -L "$TUI_SOCK" display -p '#{pane_pid}')
	kpid=$(pgrep -P "$pane" | head -n 1)
	echo "  dashboard RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/"$kpid"/status 2>/dev/null)"
	t0=$(now); tui_keys N
	echo "  sort by name shown: $(until_screen "$t0" "name↑") ms"
	t0=$(now); tui_keys N
	echo "  reverse sort shown: $(until_screen "$t0" "name↓") ms"
	t0=$(now); tui_keys /; tui_keys -l "pod-77$"; tui_keys Enter
	echo "  filter shown: $(until_screen "$t0" "pods\\(all\\)\\[1\\]") ms"
	tui_keys Escape : q Enter
	tmux -L "$TUI_SOCK" kill-server 2>/dev/null
	kill $PID 2>/dev/null
	wait $PID 2>/dev/null
done
finish
