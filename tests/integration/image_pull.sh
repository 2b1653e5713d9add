#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# kdeck image pull against Debian's docker-registry on loopback: plain
# HTTP via registries.yaml, a multi-arch index, zstd and Docker media
# types, a docker.io mirror (after a dead one), pull by digest, htpasswd
# Basic auth with credentials from registries.yaml and from a
# dockerconfigjson, the Bearer token flow (tests/images/token_server.py),
# and the errors: not found, unauthorized, connection refused.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd python3 openssl
REGISTRY=/usr/bin/docker-registry
[ -x "$REGISTRY" ] || skip "docker-registry is not installed"
[ -x /bin/busybox ] || skip "/bin/busybox (busybox-static) is not installed"

IMG="$TOP_SRCDIR/tests/images"
S="$T_DIR/storage"
P_OPEN=$(free_port); P_HTP=$(free_port); P_TOK=$(free_port)
P_AUTH=$(free_port); P_DEAD=$(free_port); P_TLS=$(free_port)

# registry NAME PORT [AUTH-YAML [HTTP-YAML]]: a docker-registry on
# 127.0.0.1:PORT sharing storage $S.
registry() {
	cat > "$T_DIR/$1.yml" <<EOF
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $S}, delete: {enabled: true}}
http:
  addr: "127.0.0.1:$2"
${4:-}
${3:-}
EOF
	"$REGISTRY" serve "$T_DIR/$1.yml" > "$T_DIR/$1.log" 2>&1 &
	at_exit "kill $! 2>/dev/null"
	wait_for 20 python3 -c "import socket; socket.create_connection(('127.0.0.1', $2))" ||
		die "registry $1 did not start: $(tail -n 5 "$T_DIR/$1.log")"
}

python3 -W ignore -c "import crypt; print('alice:' + crypt.crypt('s3cret', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))" \
	> "$T_DIR/htpasswd"
"$PY" "$IMG/token_server.py" "$T_DIR" "$P_AUTH" --user bob --password tok3n &
at_exit "kill $! 2>/dev/null"
wait_for 20 python3 -c "import socket; socket.create_connection(('127.0.0.1', $P_AUTH))" ||
	die "token server did not start"

registry open "$P_OPEN"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T_DIR/tls.key" \
	-out "$T_DIR/tls.crt" -days 2 -subj /CN=127.0.0.1 \
	-addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1 ||
	die "openssl could not make a certificate"
registry tls "$P_TLS" "" "  tls: {certificate: $T_DIR/tls.crt, key: $T_DIR/tls.key}"
registry htp "$P_HTP" "auth: {htpasswd: {realm: kdeck-test, path: $T_DIR/htpasswd}}"
registry tok "$P_TOK" "auth: {token: {realm: 'http://127.0.0.1:$P_AUTH/token', service: kdeck-test, issuer: kdeck-test-issuer, rootcertbundle: $T_DIR/cert.pem}}"

python3 "$IMG/mkimage.py" "$T_DIR/layout" --format oci-dir >/dev/null
push() { python3 "$IMG/push.py" "$T_DIR/layout" "http://127.0.0.1:$P_OPEN" "$@"; }
DIGEST=$(push test/busybox 1) || die "push failed"
push test/multi 1 --index >/dev/null || die "push of an index failed"
push test/docker 1 --docker >/dev/null || die "push with docker media types failed"
HAVE_ZSTD=0
if command -v zstd >/dev/null 2>&1; then
	push test/zstd 1 --zstd >/dev/null && HAVE_ZSTD=1
fi

D1="$T_DIR/d1"; D2="$T_DIR/d2"
mkdir -p "$D1" "$D2"
cat > "$D1/registries.yaml" <<EOF
mirrors:
  "127.0.0.1:$P_OPEN":
    endpoint: ["http://127.0.0.1:$P_OPEN"]
  docker.io:
    endpoint:
      - "http://127.0.0.1:$P_DEAD"
      - "http://127.0.0.1:$P_OPEN"
configs:
  "127.0.0.1:$P_HTP":
    auth: {username: alice, password: s3cret}
EOF
pull() { d=$1; shift; "$KDECK" image pull "$@" --data-dir "$d"; }
id_of() { "$KDECK" image ls --data-dir "$1" | awk -v r="$2" '$1 == r {print $2}'; }

R="127.0.0.1:$P_OPEN/test"
check "pull over plain HTTP" pull "$D1" "$R/busybox:1"
ID=$(id_of "$D1" "$R/busybox:1")
check_eq "pulled image listed" "$(printf %s "$ID" | wc -c)" 13
check "pull a multi-arch index" pull "$D1" "$R/multi:1"
check_eq "index resolved to this machine's image" "$(id_of "$D1" "$R/multi:1")" "$ID"
check "pull Docker media types" pull "$D1" "$R/docker:1"
if [ "$HAVE_ZSTD" = 1 ]; then
	check "pull a zstd layer" pull "$D1" "$R/zstd:1"
	check_eq "zstd image has the same config" "$(id_of "$D1" "$R/zstd:1")" "$ID"
else
	echo "# zstd not installed: zstd layer not tested"
fi
check "pull by digest" pull "$D1" "$R/busybox@$DIGEST"
check "docker.io through the mirror (dead mirror skipped)" pull "$D1" test/busybox:1
check_eq "docker.io name stored" "$(id_of "$D1" docker.io/test/busybox:1)" "$ID"
rootfs=$(ls -d "$D1"/images/rootfs/*/ | head -n 1)
check "pulled rootfs has busybox" test -x "$rootfs/bin/busybox"
check "pulled rootfs has the whiteout applied" test ! -e "$rootfs/gone/file"

out=$(pull "$D1" "$R/busybox:nope" 2>&1); rc=$?
check_eq "missing tag fails" "$rc" 1
check_contains "missing tag: not found, naming the reference" "$out" \
	"failed to pull and unpack image \"$R/busybox:nope\": failed to resolve reference \"$R/busybox:nope\": $R/busybox:nope: not found"
out=$(pull "$D1" test/nope:1 2>&1)
check_contains "missing repository through the mirror: not found" "$out" \
	"docker.io/test/nope:1: not found"
out=$(pull "$D1" "127.0.0.1:$P_DEAD/x/y:1" 2>&1); rc=$?
check_eq "unreachable registry fails" "$rc" 1
check_contains "unreachable registry: connection refused" "$out" "connection refused"
check_contains "unreachable registry: names the reference" "$out" "127.0.0.1:$P_DEAD/x/y:1"

# htpasswd (Basic)
H="127.0.0.1:$P_HTP/test/busybox:1"
check "Basic auth with registries.yaml credentials" pull "$D1" "$H"
out=$(pull "$D2" "$H" 2>&1); rc=$?
check_eq "Basic auth without credentials fails" "$rc" 1
check_contains "no credentials: unauthorized" "$out" "401 Unauthorized"
b64=$(printf 'alice:s3cret' | base64)
printf '{"auths":{"127.0.0.1:%s":{"auth":"%s"}}}' "$P_HTP" "$b64" > "$T_DIR/good.json"
printf '{"auths":{"http://127.0.0.1:%s/v1/":{"username":"alice","password":"nope"}}}' "$P_HTP" > "$T_DIR/bad.json"
check "Basic auth with dockerconfigjson credentials" pull "$D2" "$H" --docker-config "$T_DIR/good.json"
out=$(pull "$D2" "$H" --docker-config "$T_DIR/bad.json" 2>&1); rc=$?
check_eq "wrong Basic credentials fail" "$rc" 1
check_contains "wrong credentials: unauthorized, naming the reference" "$out" \
	"failed to pull and unpack image \"$H\""
check_contains "wrong credentials: 401" "$out" "401 Unauthorized"

# token (Bearer)
B="127.0.0.1:$P_TOK/test/busybox:1"
printf '{"auths":{"127.0.0.1:%s":{"username":"bob","password":"tok3n"}}}' "$P_TOK" > "$T_DIR/tok.json"
printf '{"auths":{"127.0.0.1:%s":{"username":"bob","password":"bad"}}}' "$P_TOK" > "$T_DIR/tokbad.json"
check "Bearer token flow with credentials" pull "$D2" "$B" --docker-config "$T_DIR/tok.json"
out=$(pull "$D2" "$B" --docker-config "$T_DIR/tokbad.json" 2>&1); rc=$?
check_eq "wrong token credentials fail" "$rc" 1
check_contains "wrong token credentials: failed to authorize" "$out" "failed to authorize"
out=$(pull "$D2" "$B" 2>&1); rc=$?
check_eq "anonymous token refused" "$rc" 1
check_contains "anonymous token refused: says so" "$out" "anonymous token"
# TLS: a loopback registry with a self-signed certificate
for mode in insecure ca; do
	mkdir -p "$T_DIR/$mode"
	if [ $mode = insecure ]; then tls="insecure_skip_verify: true"
	else tls="ca_file: $T_DIR/tls.crt"; fi
	printf 'configs:\n  "127.0.0.1:%s":\n    tls: {%s}\n' "$P_TLS" "$tls" \
		> "$T_DIR/$mode/registries.yaml"
	check "HTTPS registry with $mode" pull "$T_DIR/$mode" "127.0.0.1:$P_TLS/test/busybox:1"
done
mkdir -p "$T_DIR/strict"
printf 'mirrors:\n  docker.io:\n    endpoint: ["https://127.0.0.1:%s"]\n' "$P_TLS" \
	> "$T_DIR/strict/registries.yaml"
out=$(pull "$T_DIR/strict" test/busybox:1 2>&1); rc=$?
check_eq "unverified certificate refused" "$rc" 1
check_contains "unverified certificate: says so" "$out" "certificate"
finish
