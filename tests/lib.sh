# SPDX-License-Identifier: Apache-2.0
# Shared helpers for integration and dashboard tests (sourced, POSIX sh +
# bash features).  A test script prints one line per check and exits
#   0 all checks passed, 1 some failed, 77 skipped (automake's convention).
#
#   . "$TOP_SRCDIR/tests/lib.sh"
#   check "kdeck --version prints the version" grep -q kdeck out
#   finish

set -u
: "${KDECK:?run through make check}"
: "${TOP_SRCDIR:?run through make check}"
: "${TOP_BUILDDIR:=$(pwd)}"
SHARED_DIR=${SHARED_DIR:-$TOP_SRCDIR/../shared}

T_PASS=0
T_FAIL=0
T_NAME=$(basename "$0" .sh)
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kdeck-$T_NAME.XXXXXX")
T_CLEANUP=""

t_cleanup() {
	eval "$T_CLEANUP"
	rm -rf "$T_DIR"
}
trap t_cleanup EXIT

# at_exit CMD: run CMD (a string) when the test ends, last added first.
at_exit() {
	T_CLEANUP="$1; $T_CLEANUP"
}

pass() { T_PASS=$((T_PASS + 1)); echo "ok - $*"; }
fail() { T_FAIL=$((T_FAIL + 1)); echo "FAIL - $*"; }

# check NAME CMD...: pass when CMD exits 0.
check() {
	name=$1; shift
	if "$@" >"$T_DIR/check.out" 2>&1; then pass "$name"
	else fail "$name"; sed 's/^/    | /' "$T_DIR/check.out" | head -n 40; fi
}

# check_eq NAME GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"
	else fail "$1"; printf '    got:  %s\n    want: %s\n' "$2" "$3"; fi
}

# check_contains NAME HAYSTACK NEEDLE
check_contains() {
	case "$2" in
	*"$3"*) pass "$1" ;;
	*) fail "$1"; printf '    missing: %s\n    in: %s\n' "$3" "$2" | head -n 40 ;;
	esac
}

# check_eventually NAME NEEDLE CMD...: CMD's output (stdout and stderr)
# comes to contain NEEDLE within 15 s; for what the cluster writes
# asynchronously, such as Events (the recorder queues them).
check_eventually() {
	name=$1 needle=$2; shift 2
	i=0
	while :; do
		got=$("$@" 2>&1)
		case "$got" in *"$needle"*) break ;; esac
		[ $i -ge 150 ] && break
		sleep 0.1; i=$((i + 1))
	done
	check_contains "$name" "$got" "$needle"
}

skip() { echo "SKIP: $*"; exit 77; }

# die MSG: a precondition the product itself must meet failed (the
# cluster did not start, ...): that is a failure, never a skip.
die() { echo "FAIL - $*"; exit 1; }

need_shared() {
	[ -d "$SHARED_DIR/testdata" ] || skip "no ../shared/testdata in this checkout"
}

need_cmd() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"
	done
}

# free_port: a TCP port on 127.0.0.1 nobody listens on right now.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
free_port() {
	"$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
	limit=$(( $1 * 10 )); shift
	i=0
	while [ $i -lt $limit ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

# need_node: the test runs real pods on the embedded cluster's node
# (root, runc, busybox for the test images; skips otherwise); HOME is a
# directory of the test's own, D its cluster data dir ($T_DIR/c).
need_node() {
	need_cmd curl python3 "$KUBECTL" runc ip
	[ "$(id -u)" = 0 ] || skip "the node agent needs root here"
	[ -x /bin/busybox ] || skip "no /bin/busybox for test images"
	export HOME="$T_DIR/home"
	mkdir -p "$HOME"
	D="$T_DIR/c"
}

# start_node_cluster [OPTION...]: need_node, then start_cluster with the
# real node agent (skips when it is off), the busybox test image
# kdeck.test/busybox:1 imported; at the end the daemon gets SIGTERM (then
# SIGKILL after 10 s) and its pods, network and data are reset.
start_node_cluster() {
	need_node
	start_cluster "$@"
	at_exit "kill $PID 2>/dev/null; i=0; while kill -0 $PID 2>/dev/null && [ \$i -lt 50 ]; do sleep 0.2; i=\$((i+1)); done; kill -9 $PID 2>/dev/null; '$KDECK' cluster reset --yes --data-dir '$D' >/dev/null 2>&1"
	grep -q "node agent: off" "$T_DIR/err" && skip "$(grep 'node agent: off' "$T_DIR/err")"
	python3 "$TOP_SRCDIR/tests/images/mkimage.py" "$T_DIR/img" --format oci-dir \
		--name kdeck.test/busybox:1 >/dev/null || die "mkimage.py failed"
	check "image import" "$KDECK" image import "$T_DIR/img" --data-dir "$D"
}

# start_cluster [OPTION...]: an embedded cluster of the test's own, in the
# foreground, stopped when the test ends: data in $D ($T_DIR/c unless set),
# listening on 127.0.0.1:$PORT ($URL), daemon pid $PID, its output in
# $T_DIR/out and $T_DIR/err, KUBECONFIG exported.  Options go to `kdeck
# cluster up` (--no-node, --simulated-nodes N...).  A cluster that does
# not become ready fails the test.
start_cluster() {
	D=${D:-$T_DIR/c}
	PORT=$(free_port)
	URL="https://127.0.0.1:$PORT"
	"$KDECK" cluster up --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" "$@" \
		>"$T_DIR/out" 2>"$T_DIR/err" &
	PID=$!
	at_exit "kill $PID 2>/dev/null"
	wait_for 20 sh -c "curl -sf --cacert '$D/pki/ca.crt' '$URL/readyz' || ! kill -0 $PID"
	kill -0 $PID 2>/dev/null || {
		sed 's/^/    err| /' "$T_DIR/err" | tail -n 60
		die "the daemon does not start: $(tail -n 1 "$T_DIR/err")"
	}
	export KUBECONFIG="$D/kubeconfig.yaml"
}

# Run the clean-up hooks now (they stop daemons), give the processes this
# script started up to 10 s to exit, then fail the test when any of them
# (or anything else whose output landed in $T_DIR) reported a sanitizer
# error: AddressSanitizer, LeakSanitizer or UndefinedBehaviorSanitizer.
t_reap() {
	eval "$T_CLEANUP"
	T_CLEANUP=""
	for p in $(jobs -p); do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.1; i=$((i + 1))
		done
		kill -9 "$p" 2>/dev/null
	done
	reports=$(grep -rlE "ERROR: (Address|Leak)Sanitizer|runtime error: |SUMMARY: UndefinedBehaviorSanitizer" \
		"$T_DIR" 2>/dev/null | head -n 5)
	for f in $reports; do
		fail "sanitizer report in ${f#"$T_DIR"/}"
		grep -m 20 -E -A 12 "ERROR: |runtime error: " "$f" | sed 's/^/#   /'
	done
}

finish() {
	t_reap
	echo "# $T_NAME: $T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
	exit $?
}

# Clients: the system kubectl (a dispatcher that runs the kubectl matching
# the server's minor version), and helm plus a newer kubectl fetched by
# `./dev test-deps` into tests/.tools (absent -> tests needing them skip).
KUBECTL=${KUBECTL:-kubectl}
KUBECTL_NEW=${KUBECTL_NEW:-$TOP_SRCDIR/tests/.tools/bin/kubectl}
HELM=${HELM:-$TOP_SRCDIR/tests/.tools/bin/helm}

# throwaway_user PREFIX: as root, a user of the test's own (useradd -m,
# removed with its processes at exit): U, UID_, GID_, H (its home) and
# as_user CMD... (runs CMD as that user, HOME=$H).  Skips without root,
# useradd or setpriv.
throwaway_user() {
	need_cmd useradd userdel setpriv
	[ "$(id -u)" = 0 ] || skip "creates a throwaway user: needs root"
	U="$1$$"
	useradd -m -s /bin/sh "$U" >/dev/null 2>&1 || skip "useradd failed"
	at_exit "pkill -KILL -u $U 2>/dev/null; sleep 0.5; userdel -r -f $U >/dev/null 2>&1"
	UID_=$(id -u "$U")
	GID_=$(id -g "$U")
	H=$(getent passwd "$U" | cut -d: -f6)
}
as_user() {
	setpriv --reuid "$UID_" --regid "$GID_" --init-groups \
		env HOME="$H" USER="$U" XDG_RUNTIME_DIR= "$@"
}
