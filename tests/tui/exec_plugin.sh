#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# An interactive exec credential plugin (interactiveMode: Always) under
# the dashboard: switching to its context while the screen is up, curses
# steps aside, the plugin asks on the terminal, the code typed there
# yields the embedded cluster's admin token, and the dashboard comes back
# with the server's lists through the plugin's credential.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"

tui_cluster_up

# The plugin: prompt on stderr, read a line from standard input (the
# terminal it was lent), answer the admin token for "42".
cat >"$T_DIR/plugin.sh" <<PL
#!/bin/sh
touch '$T_DIR/ran'
printf 'one-time code: ' >&2
read -r code
[ "\$code" = 42 ] || { echo "wrong code" >&2; exit 1; }
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\n' "\$(cat '$DATA/pki/admin.token')"
PL
chmod +x "$T_DIR/plugin.sh"
cat >"$T_DIR/kubeconfig" <<KC
apiVersion: v1
kind: Config
current-context: admin
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:$PORT
    certificate-authority: $DATA/pki/ca.crt
contexts:
- name: admin
  context: {cluster: c, user: admin, namespace: default}
- name: plug
  context: {cluster: c, user: u, namespace: kube-system}
users:
- name: admin
  user:
    token: $(cat "$DATA/pki/admin.token")
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: $T_DIR/plugin.sh
      interactiveMode: Always
KC

tui_start plug "XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --kubeconfig $T_DIR/kubeconfig"
check "the dashboard runs on the token context" tui_wait "Context: admin"
check "the plugin has not run" test ! -e "$T_DIR/ran"
tui_keys : 'ctx plug' Enter
check "the plugin asks on the terminal" tui_wait "one-time code:"
check "the dashboard stepped aside" tui_hasnt "Context: admin"
tui_keys 42 Enter
check "the dashboard is back on the plugin's context" tui_wait "Context: plug"
# kinds beyond the built-in ones once the (asynchronous) discovery is in
check "discovery through the plugin's credential" tui_gone "discovering" 20
tui_keys : sa Enter
check "lists come with the plugin's token" tui_wait "serviceaccounts(kube-system)"
check "a ServiceAccount of the cluster" tui_wait "default"
finish
