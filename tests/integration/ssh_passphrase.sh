# SPDX-License-Identifier: Apache-2.0
# The SSH key passphrase prompt of command-line use, typed on a terminal
# (script(1)), with a real sshd on 127.0.0.1 as in ssh_tunnel.sh and the
# embedded cluster behind it: the right passphrase for an encrypted
# default identity (~/.ssh/id_ed25519) brings the tunnel up and
# `kdeck get pods` answers through it, the prompt names the key and the
# passphrase is not echoed; a wrong one fails with ssh(1)'s words and
# no tunnel.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd python3 sshd ssh-keygen script curl

SSHD=$(command -v sshd)
export HOME="$T_DIR/home" XDG_CACHE_HOME="$T_DIR/cache"
unset SSH_AUTH_SOCK
mkdir -p "$HOME/.ssh" && chmod 700 "$HOME/.ssh"
cd "$T_DIR" || exit 1

ssh-keygen -q -t ed25519 -N '' -f host_key
ssh-keygen -q -t ed25519 -N 'open sesame' -f "$HOME/.ssh/id_ed25519"
cp "$HOME/.ssh/id_ed25519.pub" authorized_keys
chmod 600 authorized_keys
SPORT=$(free_port)
cat >sshd_config <<C
Port $SPORT
ListenAddress 127.0.0.1
HostKey $T_DIR/host_key
AuthorizedKeysFile $T_DIR/authorized_keys
PidFile none
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AllowTcpForwarding yes
PermitRootLogin yes
C
"$SSHD" -f "$T_DIR/sshd_config" -D -e 2>>sshd.log &
SSHD_PID=$!
at_exit "pkill -P $SSHD_PID 2>/dev/null; kill $SSHD_PID 2>/dev/null"
wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $SPORT))" ||
	skip "sshd did not start: $(tail -n 3 sshd.log)"
echo "[127.0.0.1]:$SPORT $(cut -d' ' -f1,2 host_key.pub)" >"$HOME/.ssh/known_hosts"

start_cluster --no-node
USER_=$(id -un)
get="$KDECK get pods -n default --ssh $USER_@127.0.0.1:$SPORT"

# type_pass PASSPHRASE: run $get under script(1), typing PASSPHRASE once the
# prompt is on the terminal (typed ahead, the prompt's TCSAFLUSH would
# rightly discard it); the terminal's output is left in ts.log.
type_pass() {
	rm -f ts.log
	{ wait_for 30 grep -q "Enter passphrase" ts.log; printf '%s\n' "$1"; } |
		script -qfec "$get" ts.log >/dev/null 2>&1
}
type_pass 'open sesame'; rc=$?
out=$(cat ts.log)
check_eq "right passphrase: kdeck get exits 0" $rc 0
check_contains "the prompt names the key" "$out" \
	"Enter passphrase for key '$HOME/.ssh/id_ed25519':"
check_contains "kdeck get pods answered through the tunnel" "$out" \
	"No resources found in default namespace."
case "$out" in
*"open sesame"*) fail "the passphrase is not echoed" ;;
*) pass "the passphrase is not echoed" ;;
esac
check_contains "sshd accepted the key" "$(cat sshd.log)" "Accepted publickey for $USER_"

n=$(grep -c "Accepted publickey" sshd.log)
type_pass 'wrong guess'; rc=$?
out=$(cat ts.log)
check "wrong passphrase: kdeck get fails" test "$rc" -ne 0
check_contains "wrong passphrase: ssh(1)'s words" "$out" \
	"incorrect passphrase supplied to decrypt private key $HOME/.ssh/id_ed25519"
check_eq "no session for the wrong passphrase" "$(grep -c "Accepted publickey" sshd.log)" "$n"
out=$(setsid $get </dev/null 2>&1); rc=$?
check "no terminal: fails without asking" test "$rc" -ne 0
check_contains "... naming what was missing" "$out" "no accepted key"
finish
