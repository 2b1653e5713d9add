# SPDX-License-Identifier: Apache-2.0
# The command line behaves like a well-made CLI: version, help, misuse.
. "$TOP_SRCDIR/tests/lib.sh"

out=$("$KDECK" --version); rc=$?
check_eq "--version exits 0" "$rc" 0
check_contains "--version names kdeck" "$out" "kdeck "
check_eq "version subcommand matches --version" "$("$KDECK" version)" "$out"

out=$("$KDECK" help 2>/dev/null); rc=$?
check_eq "help exits 0" "$rc" 0
check_contains "help lists cluster" "$out" "cluster"
check_contains "help lists get" "$out" "get"

"$KDECK" frobnicate >"$T_DIR/o" 2>"$T_DIR/e"; rc=$?
check_eq "unknown command exits 2" "$rc" 2
check_eq "unknown command prints nothing on stdout" "$(cat "$T_DIR/o")" ""
check_contains "unknown command names itself on stderr" "$(cat "$T_DIR/e")" 'unknown command "frobnicate"'
check_contains "usage on stderr" "$(cat "$T_DIR/e")" "usage: kdeck"
finish
