# SPDX-License-Identifier: Apache-2.0
# `kdeck cluster up|down|status|reset`: options and exit codes, the data
# directory lock (refusal, stale lock takeover), SIGTERM, detached mode and
# the kubeconfig merge into the user's kubeconfig.  While the store/API are
# not built yet, `up` must fail clearly and only the CLI parts are checked.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl

export HOME="$T_DIR/home" XDG_DATA_HOME="$T_DIR/xdg"
unset KUBECONFIG
mkdir -p "$HOME/.kube"
D="$T_DIR/c"

# --- misuse and the stopped state ---
"$KDECK" cluster >/dev/null 2>"$T_DIR/e"; check_eq "no subcommand exits 2" $? 2
check_contains "usage on stderr" "$(cat "$T_DIR/e")" "usage: kdeck cluster"
"$KDECK" cluster frob 2>/dev/null; check_eq "unknown subcommand exits 2" $? 2
"$KDECK" cluster up --no-node --bogus 2>/dev/null; check_eq "unknown option exits 2" $? 2
"$KDECK" cluster down --listen x 2>/dev/null; check_eq "option of another subcommand exits 2" $? 2
"$KDECK" cluster status -o yaml 2>/dev/null; check_eq "status -o yaml exits 2" $? 2
"$KDECK" cluster up --no-node --listen 127.0.0.1:99999 --data-dir "$D" 2>/dev/null
check_eq "bad --listen exits 2" $? 2
out=$("$KDECK" cluster status --data-dir "$D"); rc=$?
check_eq "status of a stopped cluster exits 3" $rc 3
check_contains "status says stopped" "$out" "stopped"
out=$("$KDECK" cluster status --data-dir "$D" -o json)
check_contains "status -o json" "$out" '"status":"stopped"'
"$KDECK" cluster down --data-dir "$D" 2>"$T_DIR/e"; rc=$?
check_eq "down without a cluster exits 1" $rc 1
check_contains "down says nothing runs" "$(cat "$T_DIR/e")" "no cluster is running"
out=$("$KDECK" cluster status); check_contains "default data dir under XDG_DATA_HOME" "$out" "$XDG_DATA_HOME/kdeck/cluster"

# The user's kubeconfig has another context that must survive the merge.
cat >"$HOME/.kube/config" <<'KC'
apiVersion: v1
kind: Config
clusters:
- name: other
  cluster:
    server: https://10.0.0.1:6443
users:
- name: other
  user:
    token: abc
contexts:
- name: other
  context:
    cluster: other
    user: other
current-context: other
KC

PORT=$(free_port)
URL="https://127.0.0.1:$PORT"
ready() { curl -sf --cacert "$D/pki/ca.crt" "$URL/readyz" >/dev/null; }

# start_fg: kdeck cluster up --no-node --foreground in the background; sets PID.
start_fg() {
	"$KDECK" cluster up --no-node --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" \
		>"$T_DIR/fg.out" 2>"$T_DIR/fg.err" &
	PID=$!
	at_exit "kill $PID 2>/dev/null"
	wait_for 20 sh -c "ready || ! kill -0 $PID"
}

start_fg
if ! kill -0 $PID 2>/dev/null; then
	wait $PID; rc=$?
	check_eq "up exits 1 when a part fails to start" $rc 1
	check_contains "the failure is named" "$(cat "$T_DIR/fg.err")" "error:"
	check "PKI was created" test -s "$D/pki/ca.crt"
	out=$("$KDECK" cluster status --data-dir "$D"); rc=$?
	check_eq "no daemon left behind" $rc 3
	# Lock refusal without a server: hold the lock like a daemon would.
	python3 -c 'import fcntl,sys,time; f=open(sys.argv[1],"w"); fcntl.flock(f,fcntl.LOCK_EX); f.write("4242\n"); f.flush(); time.sleep(30)' "$D/lock" &
	HOLD=$!; at_exit "kill $HOLD 2>/dev/null"
	wait_for 10 grep -q 4242 "$D/lock"
	"$KDECK" cluster up --no-node --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" 2>"$T_DIR/e"; rc=$?
	check_eq "second up on a locked dir exits 1" $rc 1
	check_contains "refusal names the pid" "$(cat "$T_DIR/e")" "pid 4242"
	kill $HOLD; wait $HOLD 2>/dev/null
	echo 999999 >"$D/lock"
	"$KDECK" cluster up --no-node --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" 2>"$T_DIR/e"
	check "stale lock is taken over" sh -c "! grep -q 'already running' '$T_DIR/e'"
	"$KDECK" cluster reset --data-dir "$D" </dev/null 2>/dev/null; rc=$?
	check_eq "reset without --yes off a tty exits 1" $rc 1
	"$KDECK" cluster reset --data-dir "$D" --yes >/dev/null; rc=$?
	check_eq "reset --yes exits 0" $rc 0
	check "reset removed the state" test ! -e "$D"
	echo "# the daemon does not start yet ($(tail -n 1 "$T_DIR/fg.err")): running-cluster checks not run"
	finish
fi

check "foreground up becomes ready" ready
check_contains "foreground up prints the URL" "$(cat "$T_DIR/fg.out")" "$URL"
check "kubeconfig.yaml is 0600" test "$(stat -c %a "$D/kubeconfig.yaml")" = 600
check "keys are 0600" test "$(stat -c %a "$D/pki/admin.key")" = 600
if command -v kubectl >/dev/null; then
	out=$(kubectl --kubeconfig "$D/kubeconfig.yaml" get --raw /healthz 2>&1)
	check_eq "kubectl get --raw /healthz" "$out" "ok"
	out=$(kubectl config get-contexts -o name 2>&1)
	check_contains "merged kdeck context" "$out" "kdeck"
	check_contains "kept the other context" "$out" "other"
	check_eq "current context unchanged" "$(kubectl config current-context)" "other"
fi
check_contains "merge was announced" "$(cat "$T_DIR/fg.err")" "merged context"
check_contains "user kubeconfig stays YAML" "$(cat "$HOME/.kube/config")" "- name: other"
check_contains "other user kept" "$(cat "$HOME/.kube/config")" "token: abc"
check_contains "status shows the revision" "$("$KDECK" cluster status --data-dir "$D")" "REVISION"

"$KDECK" cluster up --no-node --foreground --data-dir "$D" --listen "127.0.0.1:$(free_port)" 2>"$T_DIR/e"; rc=$?
check_eq "second up exits 1" $rc 1
check_contains "refusal names the pid" "$(cat "$T_DIR/e")" "pid $PID"
out=$("$KDECK" cluster status --data-dir "$D"); rc=$?
check_eq "status of a running cluster exits 0" $rc 0
check_contains "status shows the pid" "$out" "$PID"
check_contains "status shows the URL" "$out" "$URL"
check_contains "status shows readiness" "$out" "READY      yes"
out=$("$KDECK" cluster status --data-dir "$D" -o json)
check_contains "status json" "$out" "\"status\":\"running\",\"dataDir\":\"$D\",\"pid\":$PID"
"$KDECK" cluster reset --data-dir "$D" --yes 2>"$T_DIR/e"; rc=$?
check_eq "reset refuses while running" $rc 1

kill -TERM $PID
wait $PID; rc=$?
check_eq "SIGTERM: clean exit 0" $rc 0
check_contains "SIGTERM is logged" "$(cat "$T_DIR/fg.err")" "shutting down"
out=$("$KDECK" cluster status --data-dir "$D"); check_contains "stopped after SIGTERM" "$out" stopped

# Stale lock: a dead pid in the lock file does not block a start.
echo 999999 >"$D/lock"
start_fg
check "stale lock is taken over" ready
kill -INT $PID; wait $PID; check_eq "SIGINT: clean exit 0" $? 0

# Detached mode.
out=$("$KDECK" cluster up --no-node --data-dir "$D" --listen "127.0.0.1:$PORT" 2>"$T_DIR/e"); rc=$?
check_eq "detached up exits 0" $rc 0
check_contains "detached up prints the URL" "$out" "$URL"
check "detached daemon answers" ready
at_exit "'$KDECK' cluster down --data-dir '$D' >/dev/null 2>&1"
check "daemon logs to kdeck.log" test -s "$D/kdeck.log"
out=$("$KDECK" cluster down --data-dir "$D"); rc=$?
check_eq "down exits 0" $rc 0
check "nothing listens after down" sh -c "! curl -s --cacert '$D/pki/ca.crt' '$URL/healthz'"
"$KDECK" cluster down --data-dir "$D" 2>/dev/null; check_eq "down again exits 1" $? 1

# Port fallback when the default port is taken is exercised in the bench;
# here: reset removes everything.
"$KDECK" cluster reset --data-dir "$D" --yes >/dev/null; check_eq "reset --yes exits 0" $? 0
check "reset removed the state" test ! -e "$D"
finish
