# SPDX-License-Identifier: Apache-2.0
# SSH tunnels with a real sshd on 127.0.0.1 started here (own host key,
# config and authorized_keys): `kdeck get --ssh` and the kubeconfig's
# kdeck extension reach an HTTPS endpoint through direct-tcpip while TLS
# still verifies the real server name; a known_hosts mismatch and an
# unknown host (no terminal to confirm) are refused; an encrypted key
# without a passphrase prompt fails clearly; a second sshd serves as a
# jump host (allowed to forward only to the first one's SSH port);
# ssh-agent authentication; a watch through the tunnel that survives an
# sshd restart (the tunnel reconnects and the watch resumes).
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd python3 openssl sshd ssh-keygen

SSHD=$(command -v sshd)
export HOME="$T_DIR/home" XDG_CACHE_HOME="$T_DIR/cache"
unset SSH_AUTH_SOCK
mkdir -p "$HOME/.ssh" && chmod 700 "$HOME/.ssh"
cd "$T_DIR" || exit 1

# The HTTPS endpoint behind the bastion (only reachable via the tunnel in
# spirit; here both are on 127.0.0.1).
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 \
	-subj /CN=test-ca >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
	-subj /CN=kube >/dev/null 2>&1
printf 'subjectAltName=DNS:kube.test,IP:127.0.0.1\n' >server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
	-out server.crt -days 2 -extfile server.ext >/dev/null 2>&1
HPORT=$(free_port)
python3 "$TOP_SRCDIR/tests/integration/client_transport_server.py" $HPORT \
	server.crt server.key - "$T_DIR/req.log" 2>srv.err &
at_exit "kill $! 2>/dev/null"

# sshd with its own host key and our client key.
ssh-keygen -q -t ed25519 -N '' -f host_key
ssh-keygen -q -t ed25519 -N '' -f other_host_key
ssh-keygen -q -t ed25519 -N '' -f "$HOME/.ssh/id_ed25519"
ssh-keygen -q -t ed25519 -N 'secret' -f enc_key
cat "$HOME/.ssh/id_ed25519.pub" enc_key.pub >authorized_keys
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
Subsystem sftp internal-sftp
C
start_sshd() {
	"$SSHD" -f "$T_DIR/sshd_config" -D -e 2>>sshd.log &
	SSHD_PID=$!
	at_exit "pkill -P $SSHD_PID 2>/dev/null; kill $SSHD_PID 2>/dev/null"
	wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $SPORT))"
}
start_sshd || skip "sshd did not start: $(tail -n 3 sshd.log)"
wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $HPORT))" ||
	die "https endpoint did not start: $(cat srv.err)"

# The jump host: another sshd that may only forward to the first's port.
JPORT=$(free_port)
sed -e "s/^Port .*/Port $JPORT/" -e "s|^HostKey .*|HostKey $T_DIR/other_host_key|" \
	-e "s/^AllowTcpForwarding .*/AllowTcpForwarding yes\nPermitOpen 127.0.0.1:$SPORT/" \
	sshd_config >jump_config
"$SSHD" -f "$T_DIR/jump_config" -D -e 2>jump.log &
at_exit "kill $! 2>/dev/null"
wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $JPORT))" ||
	skip "jump sshd did not start: $(tail -n 3 jump.log)"

USER_=$(id -un)
cat >kc.yaml <<KC
apiVersion: v1
kind: Config
current-context: t
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:$HPORT
    certificate-authority-data: $(base64 -w0 ca.crt)
- name: viaext
  cluster:
    server: https://127.0.0.1:$HPORT
    tls-server-name: kube.test
    certificate-authority-data: $(base64 -w0 ca.crt)
    extensions:
    - name: kdeck
      extension:
        ssh: $USER_@127.0.0.1:$SPORT
        identityFile: $HOME/.ssh/id_ed25519
- name: viajump
  cluster:
    server: https://127.0.0.1:$HPORT
    certificate-authority-data: $(base64 -w0 ca.crt)
    extensions:
    - name: kdeck
      extension:
        ssh: $USER_@127.0.0.1:$SPORT
        jump: $USER_@localhost:$JPORT
        identityFile: $HOME/.ssh/id_ed25519
- name: viaenc
  cluster:
    server: https://127.0.0.1:$HPORT
    certificate-authority-data: $(base64 -w0 ca.crt)
    extensions:
    - name: kdeck
      extension: {ssh: "$USER_@127.0.0.1:$SPORT", identityFile: $T_DIR/enc_key}
contexts:
- name: t
  context: {cluster: c, user: u}
- name: ext
  context: {cluster: viaext, user: u}
- name: enc
  context: {cluster: viaenc, user: u}
- name: jump
  context: {cluster: viajump, user: u}
users:
- name: u
  user: {token: t}
KC
export KUBECONFIG="$T_DIR/kc.yaml"

# Unknown host and no terminal: refused, never silently trusted.
setsid "$KDECK" get cm --ssh "$USER_@127.0.0.1:$SPORT" </dev/null >out 2>err; rc=$?
check_eq "unknown host refused" $rc 1
check_contains "unknown host message" "$(cat err)" "not in"
check "known_hosts not written" test ! -s "$HOME/.ssh/known_hosts"

# Mismatching known_hosts entry: refused.
echo "[127.0.0.1]:$SPORT $(cut -d' ' -f1,2 other_host_key.pub)" >"$HOME/.ssh/known_hosts"
setsid "$KDECK" get cm --ssh "$USER_@127.0.0.1:$SPORT" </dev/null >out 2>err; rc=$?
check_eq "host key mismatch refused" $rc 1
check_contains "mismatch message" "$(cat err)" "does not match"

# The right key: works through the tunnel.
echo "[127.0.0.1]:$SPORT $(cut -d' ' -f1,2 host_key.pub)" >"$HOME/.ssh/known_hosts"
out=$(setsid "$KDECK" get cm --ssh "$USER_@127.0.0.1:$SPORT" </dev/null 2>err); rc=$?
check_eq "get through the tunnel exits 0" $rc 0
check_contains "rows through the tunnel" "$out" "alpha"
check_contains "sshd accepted the key" "$(cat sshd.log)" "Accepted publickey"
out=$(setsid "$KDECK" get cm --context ext </dev/null 2>err); rc=$?
check_eq "kubeconfig extension + tls-server-name through the tunnel" "$rc $(echo "$out" | tail -n 1)" "0 alpha   2"

# Through a jump host: each hop checks its own host key.
setsid "$KDECK" get cm --context jump </dev/null >out 2>err; rc=$?
check_eq "unknown jump host refused" $rc 1
check_contains "the refusal names the jump host" "$(cat err)" "jump host $USER_@localhost:$JPORT"
echo "[localhost]:$JPORT $(cut -d' ' -f1,2 other_host_key.pub)" >>"$HOME/.ssh/known_hosts"
out=$(setsid "$KDECK" get cm --context jump </dev/null 2>err); rc=$?
check_eq "get through a jump host exits 0" $rc 0
check_contains "rows through the jump host" "$out" "alpha"
check_contains "the jump host forwarded the connection" "$(cat jump.log)" "Accepted publickey"

# ssh-agent: the key file is gone, the agent holds the key.
if command -v ssh-agent >/dev/null && command -v ssh-add >/dev/null; then
	eval "$(ssh-agent -s)" >/dev/null
	at_exit "kill $SSH_AGENT_PID 2>/dev/null"
	ssh-add -q "$HOME/.ssh/id_ed25519" 2>/dev/null
	mv "$HOME/.ssh/id_ed25519" "$T_DIR/moved_key"
	out=$(setsid "$KDECK" get cm --ssh "$USER_@127.0.0.1:$SPORT" </dev/null 2>err); rc=$?
	check_eq "agent authentication" "$rc $(echo "$out" | tail -n 1)" "0 alpha   2"
	mv "$T_DIR/moved_key" "$HOME/.ssh/id_ed25519"
	kill "$SSH_AGENT_PID" 2>/dev/null
	unset SSH_AUTH_SOCK
fi
# kdeck ssh: the remote kubeconfig over SFTP, rewritten to use the tunnel.
cat >remote.yaml <<KC
apiVersion: v1
kind: Config
current-context: remote
clusters:
- name: rc
  cluster:
    server: https://127.0.0.1:$HPORT
    certificate-authority-data: $(base64 -w0 ca.crt)
contexts:
- name: remote
  context: {cluster: rc, user: ru}
users:
- name: ru
  user: {token: t}
KC
setsid "$KDECK" ssh "$USER_@127.0.0.1:$SPORT" -J "$USER_@localhost:$JPORT" \
	--remote-kubeconfig "$T_DIR/remote.yaml" --write "$T_DIR/fetched.yaml" \
	--no-dashboard </dev/null >out 2>err; rc=$?
check_eq "kdeck ssh fetches the remote kubeconfig" $rc 0
check_eq "written with mode 0600" "$(stat -c %a "$T_DIR/fetched.yaml")" 600
check_contains "the cluster gets the ssh extension" "$(cat "$T_DIR/fetched.yaml")" "ssh: $USER_@127.0.0.1:$SPORT"
check_contains "... and the jump host" "$(cat "$T_DIR/fetched.yaml")" "jump: $USER_@localhost:$JPORT"
out=$(setsid "$KDECK" get cm --kubeconfig "$T_DIR/fetched.yaml" </dev/null 2>err); rc=$?
check_eq "the fetched kubeconfig works through the tunnel" "$rc $(echo "$out" | tail -n 1)" "0 alpha   2"
setsid "$KDECK" ssh "$USER_@127.0.0.1:$SPORT" --remote-kubeconfig /nonexistent/kc.yaml \
	--no-dashboard </dev/null >out 2>err; rc=$?
check_eq "kdeck ssh with no remote kubeconfig fails" $rc 1
check_contains "... and says where it looked" "$(cat err)" "no kubeconfig at /nonexistent/kc.yaml"

setsid "$KDECK" get cm --context enc </dev/null >out 2>err; rc=$?
check_eq "encrypted key without a prompt fails" $rc 1
check_contains "encrypted key message" "$(cat err)" "was not accepted"

# A watch through the tunnel survives an sshd restart: every session
# process dies, the tunnel reconnects on the informer's next connection
# and the watch resumes (against an embedded cluster of this test's own).
start_cluster --no-node
CKC="$D/kubeconfig.yaml"
setsid "$KDECK" get configmaps -w -o name --kubeconfig "$CKC" \
	--ssh "$USER_@127.0.0.1:$SPORT" </dev/null >watch.out 2>watch.err &
WPID=$!
at_exit "kill $WPID 2>/dev/null"
"$KUBECTL" --kubeconfig "$CKC" create configmap before-restart >/dev/null
wait_for 15 grep -q "configmap/before-restart" watch.out
check_contains "the watch runs through the tunnel" "$(cat watch.out)" "configmap/before-restart"
pkill -P "$SSHD_PID"; kill "$SSHD_PID"
wait_for 10 sh -c "! kill -0 $SSHD_PID 2>/dev/null"
start_sshd || die "sshd did not restart: $(tail -n 3 sshd.log)"
"$KUBECTL" --kubeconfig "$CKC" create configmap after-restart >/dev/null
wait_for 40 grep -q "configmap/after-restart" watch.out
check_contains "the watch resumes after the sshd restart" "$(cat watch.out)" "configmap/after-restart"
check "the watch process kept running" kill -0 "$WPID"
check_contains "the watch saw the connection drop" "$(cat watch.err)" "kdeck: watch: error"
check_eq "sshd saw a second session" "$(grep -c "Accepted publickey for $USER_" sshd.log | awk '{print ($1 >= 2) ? "yes" : "no"}')" "yes"
finish
