# SPDX-License-Identifier: Apache-2.0
# The store keeps every acknowledged write across kill -9 at random
# moments and never shows a half-written object: store_writer writes from
# 8 threads and prints each acknowledged write; we kill it, reopen, check.
. "$TOP_SRCDIR/tests/lib.sh"

WRITER="$TOP_BUILDDIR/tests/tools/store_writer"
[ -x "$WRITER" ] || die "tests/tools/store_writer is not built"
ROUNDS=${STORE_CRASH_ROUNDS:-10}
db="$T_DIR/crash.db"
acks="$T_DIR/acks"
: >"$acks"

# A random delay of 0.25-0.99 s.
rand_delay() {
	n=$(od -An -N1 -tu1 /dev/urandom | tr -d ' ')
	printf '0.%02d' $((25 + n * 74 / 255))
}

# More lines in the ack file than $1?
acks_beyond() {
	[ "$(wc -l <"$acks")" -gt "$1" ]
}

pid=""
at_exit '[ -n "$pid" ] && kill -9 $pid 2>/dev/null'
r=1
while [ $r -le "$ROUNDS" ]; do
	before=$(wc -l <"$acks")
	# Odd rounds without an fsync per commit: kill -9 must not matter.
	mode=""; [ $((r % 2)) -eq 1 ] && mode=relaxed
	"$WRITER" write "$db" 8 $mode >>"$acks" 2>>"$T_DIR/writer.err" &
	pid=$!
	# Let it get going (the first acks), then a random extra moment.
	wait_for 20 acks_beyond "$before"
	sleep "$(rand_delay)"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	pid=""
	echo >>"$acks"	# terminate a line the kill may have cut
	after=$(wc -l <"$acks")
	check "round $r: writer acknowledged writes" test "$after" -gt "$((before + 1))"
	out=$("$WRITER" verify "$db" "$acks" 2>&1); rc=$?
	check_eq "round $r${mode:+ ($mode)}: every acknowledged write is there, whole ($out)" "$rc" 0
	[ $rc -eq 0 ] || printf '%s\n' "$out" | head -n 20
	r=$((r + 1))
done
if [ -s "$T_DIR/writer.err" ]; then
	fail "writer reported errors"; head -n 5 "$T_DIR/writer.err"
fi
finish
