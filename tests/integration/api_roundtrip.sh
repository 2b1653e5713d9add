# SPDX-License-Identifier: Apache-2.0
# Round trip of the API fixtures ($SHARED_DIR/testdata/api-fixtures/HEAD):
# every fixture of a served kind that validation accepts is created and
# read back with every field it was sent (see api_roundtrip.py).
. "$TOP_SRCDIR/tests/lib.sh"
need_shared
need_cmd curl python3

export HOME="$T_DIR/home"
D="$T_DIR/c"
PORT=$(free_port)
"$KDECK" cluster up --no-node --foreground --data-dir "$D" --listen "127.0.0.1:$PORT" \
	>"$T_DIR/out" 2>"$T_DIR/err" &
PID=$!
at_exit "kill $PID 2>/dev/null"
wait_for 20 sh -c "curl -sf --cacert '$D/pki/ca.crt' 'https://127.0.0.1:$PORT/readyz' || ! kill -0 $PID"
kill -0 $PID 2>/dev/null || die "the daemon does not start: $(tail -n 1 "$T_DIR/err")"

if python3 "$TOP_SRCDIR/tests/integration/api_roundtrip.py" \
	"https://127.0.0.1:$PORT" "$D/pki/ca.crt" "$D/pki/admin.crt" "$D/pki/admin.key" \
	"$SHARED_DIR/testdata/api-fixtures/HEAD" >"$T_DIR/rt" 2>&1; then
	pass "fixtures round-trip: $(tail -n 1 "$T_DIR/rt")"
else
	fail "fixtures round-trip"; grep -v '^ok' "$T_DIR/rt" | head -n 40
fi
finish
