# SPDX-License-Identifier: Apache-2.0
# Dashboard figures against the embedded cluster with PODS pods (default
# "10000 50000", one round each) on NODES simulated nodes (default 20),
# created through the API in bulk (tests/bench/mkpods.py, parallel
# keep-alive connections), then, once every pod runs:
#   - time from starting kdeck -A to the first full screen (the pods table
#     of all namespaces drawn with every pod: kdeck's own KDECK_TRACE
#     stamp against the wall clock taken just before the start);
#   - keypress-to-redraw latency (KDECK_TRACE "key": from reading the key
#     to the end of its redraw) while scrolling (j, pgdn, G, g), sorting
#     (N, twice) and filtering (the keys of "/pod-77$" and its Enter);
#   - the dashboard's own CPU time until that first screen (on a loaded
#     machine the wall time is mostly the server's list and run queues);
#   - the dashboard's RSS, and its CPU over 10 s of idling;
# and, against a stand-in API server (tests/tui/fakeapi.py) whose
# followed log streams LOG_LINES lines (default 1,000,000), the log
# view's RSS before and after following them all (the view keeps the
# newest log_lines lines: 5,000 by default).
# Prints figures; never fails on timing.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"
need_cmd curl
NODES=${NODES:-20}
PODS=${PODS:-"10000 50000"}
LOG_LINES=${LOG_LINES:-1000000}
export HOME="$T_DIR/home"
mkdir -p "$HOME"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
kdeck_pid() { pgrep -P "$(tmux -L "$TUI_SOCK" display -p '#{pane_pid}')" | head -n 1; }
rss() { awk '/VmRSS/ {print $2 / 1024 " MB"}' /proc/"$1"/status 2>/dev/null; }
cpu_ticks() { awk '{print $14 + $15}' /proc/"$1"/stat 2>/dev/null; }
# key latencies (us) appended to the trace since line $1: "n=, median, max" in ms
key_stats() {
	tail -n +"$1" "$TRACE" | awk '/^key / {print $2}' | sort -n | awk '
		{ v[NR] = $1 } END { if (!NR) { print "no keys traced"; exit }
		  printf "%d keys, median %.2f ms, max %.2f ms\n", NR, v[int((NR + 1) / 2)] / 1000, v[NR] / 1000 }'
}
trace_lines() { wc -l <"$TRACE"; }
# keys one by one ($2 s apart), then the latency figures of label $1
keys_timed() {
	label=$1 gap=$2; shift 2
	from=$(( $(trace_lines) + 1 ))
	for k in "$@"; do tui_keys "$k"; sleep "$gap"; done
	sleep 0.3
	echo "  $label: $(key_stats "$from")"
}
# wait until every pod of the cluster at $1 (data dir $2) runs (at most $3 s)
wait_running() {
	i=0
	while [ $i -lt "$3" ]; do
		left=$(curl -sf --cacert "$2/pki/ca.crt" --cert "$2/pki/admin.crt" --key "$2/pki/admin.key" \
			"$1/api/v1/pods?fieldSelector=status.phase%21%3DRunning&limit=1" |
			"$PY" -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))' 2>/dev/null)
		[ "$left" = 0 ] && return 0
		sleep 2; i=$((i + 2))
	done
	return 1
}

for n in $PODS; do
	D="$T_DIR/c$n"
	PORT=$(free_port)
	URL="https://127.0.0.1:$PORT"
	"$KDECK" cluster up --no-node --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" \
		--simulated-nodes "$NODES" >"$T_DIR/out$n" 2>"$T_DIR/err$n" &
	PID=$!
	at_exit "kill $PID 2>/dev/null"
	wait_for 30 sh -c "curl -sf --cacert '$D/pki/ca.crt' '$URL/readyz' || ! kill -0 $PID"
	t0=$(now_ms)
	"$PY" "$TOP_SRCDIR/tests/bench/mkpods.py" "$URL" "$D" default "$n" 32 ||
		die "creating $n pods failed"
	echo "$n pods created through the API in $(( $(now_ms) - t0 )) ms"
	wait_running "$URL" "$D" "${RUN_WAIT:-300}" && echo "  all running after $(( $(now_ms) - t0 )) ms" ||
		echo "  (not all running yet: figures taken while the pods still change)"
	TUI_SOCK="kdeck-bench-$$-$n"
	TRACE="$T_DIR/trace$n"
	: >"$TRACE"
	t0=$(now_ms)
	tui_start bench "KDECK_TRACE=$TRACE XDG_CONFIG_HOME=$T_DIR/cfg XDG_CACHE_HOME=$T_DIR/cache $KDECK -A --kubeconfig $D/kubeconfig.yaml"
	if wait_for 300 grep -q "^first_screen" "$TRACE"; then
		set -- $(grep -m 1 "^first_screen" "$TRACE")
		echo "  first full screen: $(( $2 - t0 )) ms ($3 rows)"
	else
		echo "  first full screen: timeout"
	fi
	kpid=$(kdeck_pid)
	echo "  dashboard CPU time until then: $(( $(cpu_ticks "$kpid") * 1000 / $(getconf CLK_TCK) )) ms (the rest is the server and the wait for a CPU)"
	tui_wait "pods(all)[$n]" 60 >/dev/null || echo "  (the title never showed $n pods)"
	echo "  dashboard RSS: $(rss "$kpid")"
	keys_timed "scroll (j x40)" 0.05 $(i=0; while [ $i -lt 40 ]; do printf 'j '; i=$((i + 1)); done)
	keys_timed "scroll (pgdn x20, G, g)" 0.05 $(i=0; while [ $i -lt 20 ]; do printf 'NPage '; i=$((i + 1)); done) G g
	keys_timed "sort by name, reverse" 0.3 N N
	keys_timed "filter (/ and pod-77\$ typed)" 0.05 / p o d - 7 7 '$'
	keys_timed "filter applied (Enter)" 0.3 Enter
	tui_wait "pods(all)[1]" 10 >/dev/null || echo "  (the filter did not show 1 row)"
	keys_timed "filter cleared (esc)" 0.3 Escape
	c0=$(cpu_ticks "$kpid")
	sleep 10
	c1=$(cpu_ticks "$kpid")
	hz=$(getconf CLK_TCK)
	echo "  idle CPU over 10 s: $(awk -v a="$c0" -v b="$c1" -v hz="$hz" 'BEGIN { printf "%.2f%%", (b - a) * 100 / hz / 10 }')"
	echo "  dashboard RSS after: $(rss "$kpid")"
	tui_keys Escape : q Enter
	sleep 0.5
	tmux -L "$TUI_SOCK" kill-server 2>/dev/null
	kill $PID 2>/dev/null
	wait $PID 2>/dev/null
	rm -rf "$D"
done

# ---- log view memory: LOG_LINES lines followed ----
UP=$(free_port)
FAKEAPI_LOG_LINES=$LOG_LINES "$PY" "$TOP_SRCDIR/tests/tui/fakeapi.py" "$UP" "$T_DIR/api.log" &
API=$!
at_exit "kill $API 2>/dev/null"
wait_for 10 sh -c "$PY -c 'import socket; socket.create_connection((\"127.0.0.1\", $UP))'"
cat >"$T_DIR/kubeconfig" <<KC
apiVersion: v1
kind: Config
current-context: fake
clusters:
- name: fake
  cluster:
    server: http://127.0.0.1:$UP
contexts:
- name: fake
  context: {cluster: fake, user: tester, namespace: default}
users:
- name: tester
  user: {token: abc}
KC
TUI_SOCK="kdeck-bench-$$-logs"
tui_start logs "XDG_CONFIG_HOME=$T_DIR/cfg XDG_CACHE_HOME=$T_DIR/cache $KDECK --kubeconfig $T_DIR/kubeconfig"
tui_wait "pods(default)[2]" 20 >/dev/null
kpid=$(kdeck_pid)
echo "log view: RSS before: $(rss "$kpid")"
t0=$(now_ms)
tui_keys l
if tui_wait "line $LOG_LINES of a chatty" 300 >/dev/null; then
	echo "  $LOG_LINES lines followed in $(( $(now_ms) - t0 )) ms"
else
	echo "  (the last line did not show within 300 s)"
fi
echo "  log view RSS after $LOG_LINES lines: $(rss "$kpid") (ring of the newest 5000 lines)"
tui_keys Escape : q Enter
finish
