# SPDX-License-Identifier: Apache-2.0
# The daemon's own TLS termination (server_tls.c) against hostile and
# plain clients: plain HTTP and garbage on the TLS port are dropped, a
# silent or half-sent handshake is cut after the handshake deadline (10 s)
# while the server keeps answering, ALPN picks http/1.1 when h2 is offered
# too, the admin certificate and a wrong-CA certificate (401) reach authn,
# 200 idle TLS connections add no relay threads, and SIGTERM with open
# connections and a watch ends the daemon promptly.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd curl python3 openssl timeout
start_cluster

CA="--cacert $D/pki/ca.crt"
code() { curl -s -o "$T_DIR/body" -w '%{http_code}' --max-time 10 "$@"; }
threads() { awk '/^Threads/ {print $2}' "/proc/$PID/status"; }

cat >"$T_DIR/hostile.py" <<'EOP'
import socket, ssl, sys, time
port, ca, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]

def conn():
    return socket.create_connection(("127.0.0.1", port), timeout=20)

def closed(s):
    try:
        return s.recv(4096) == b"" or True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False

if mode == "garbage":
    for payload in (b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n",
                    bytes(range(256)) * 8, b"\x16\x03\x01\xff\xff" + b"A" * 300):
        s = conn()
        s.sendall(payload)
        print("dropped" if closed(s) else "held")
        s.close()
elif mode == "silent":
    # 20 silent connections and 20 with half a ClientHello: all cut
    # within the deadline (+ the 1 s check) and a margin.
    socks = [conn() for _ in range(20)]
    for _ in range(20):
        s = conn()
        s.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")
        socks.append(s)
    print("open", len(socks), flush=True)
    t0 = time.time()
    n = 0
    for s in socks:
        s.settimeout(max(0.1, 16 - (time.time() - t0)))
        if closed(s):
            n += 1
    print("cut", n)
elif mode == "alpn":
    ctx = ssl.create_default_context(cafile=ca)
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    s = ctx.wrap_socket(conn(), server_hostname="127.0.0.1")
    print("alpn", s.selected_alpn_protocol())
elif mode == "idle":
    ctx = ssl.create_default_context(cafile=ca)
    socks = [ctx.wrap_socket(conn(), server_hostname="127.0.0.1") for _ in range(200)]
    print("open", len(socks), flush=True)
    sys.stdin.readline()
    for s in socks:
        s.close()
EOP
H() { timeout 60 python3 "$T_DIR/hostile.py" "$PORT" "$D/pki/ca.crt" "$@"; }

check_eq "plain HTTP, bytes and a broken record are dropped" \
	"$(H garbage | tr '\n' ' ')" "dropped dropped dropped "
check_eq "the server still answers" "$(code $CA "$URL/readyz")" 200

H silent >"$T_DIR/silent" 2>&1 &
SPID=$!
wait_for 10 grep -q open "$T_DIR/silent"
check_eq "readyz while 40 handshakes hang" "$(code $CA "$URL/readyz")" 200
check_eq "admin certificate while they hang: 200" "$(code $CA --cert "$D/pki/admin.crt" \
	--key "$D/pki/admin.key" "$URL/api/v1/namespaces")" 200
wait $SPID
check_contains "hanging handshakes are cut after the deadline" "$(cat "$T_DIR/silent")" "cut 40"

check_eq "ALPN: http/1.1 when h2 is offered too" "$(H alpn)" "alpn http/1.1"
check_eq "admin token: 200" "$(code $CA -H "Authorization: Bearer $(cat "$D/pki/admin.token")" \
	"$URL/api/v1/namespaces")" 200
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=admin/O=system:masters" -days 1 \
	-keyout "$T_DIR/bad.key" -out "$T_DIR/bad.crt" >/dev/null 2>&1
check_eq "a certificate of another CA: 401" "$(code $CA --cert "$T_DIR/bad.crt" \
	--key "$T_DIR/bad.key" "$URL/api/v1/namespaces")" 401
check_contains "kubectl (client certificate) is admin" \
	"$("$KUBECTL" auth whoami -o jsonpath='{.status.userInfo.groups}' 2>&1)" "system:masters"

T0=$(threads)
mkfifo "$T_DIR/go"
H idle <"$T_DIR/go" >"$T_DIR/idle" 2>&1 &
IPID=$!
exec 8>"$T_DIR/go"
wait_for 30 grep -q "open 200" "$T_DIR/idle"
T1=$(threads)
# One HTTP thread per connection (libmicrohttpd) as before; no relay ones.
check "200 idle TLS connections: at most one thread each ($T0 -> $T1)" \
	test $((T1 - T0)) -le 205
check_eq "readyz with 200 idle connections" "$(code $CA "$URL/readyz")" 200

"$KUBECTL" get pods -w >/dev/null 2>&1 &
WPID=$!
at_exit "kill $WPID 2>/dev/null"
sleep 1
kill -TERM "$PID"
wait_for 15 sh -c "! kill -0 $PID" 
check "SIGTERM with 200 idle connections and a watch: the daemon ends" sh -c "! kill -0 $PID"
exec 8>&-
wait $IPID 2>/dev/null
check "no sanitizer reports from the daemon" sh -c "! grep -E 'runtime error|Sanitizer|LeakSanitizer' '$T_DIR/err'"
finish
