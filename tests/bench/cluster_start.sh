# SPDX-License-Identifier: Apache-2.0
# Start-to-ready time of `kdeck cluster up --no-node --foreground` (median of several
# starts on an existing data dir, plus the first start that creates the
# PKI), the daemon's CPU time at that moment and its idle RSS.  Prints figures; never fails on timing.
set -u
: "${KDECK:?run through make bench}"
RUNS=${RUNS:-7}
T=$(mktemp -d "${TMPDIR:-/tmp}/kdeck-bench-start.XXXXXX")
trap 'kill $PID 2>/dev/null; rm -rf "$T"' EXIT
export HOME="$T/home"
PID=
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }
# stop_daemon: SIGTERM $PID (not a child of this shell) and wait until it is gone.
stop_daemon() { kill -TERM $PID 2>/dev/null; while kill -0 $PID 2>/dev/null; do sleep 0.02; done; }

# one_start: start the daemon from a poller that takes t0 just before the
# exec and probes /readyz every 2 ms in-process (no curl start-up per try);
# prints milliseconds (or FAIL) and leaves the daemon's pid in $T/pid.
one_start() {
	P=$(port)
	python3 - "$KDECK" "$T" "$P" <<'PY'
import os, socket, ssl, subprocess, sys, time
kdeck, t, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
t0 = time.monotonic()
d = subprocess.Popen([kdeck, "cluster", "up", "--no-node", "--foreground",
                      "--data-dir", t + "/c", "--listen", "127.0.0.1:%d" % port],
                     stdout=open(t + "/out", "w"), stderr=open(t + "/err", "w"))
open(t + "/pid", "w").write(str(d.pid))
while True:
    if d.poll() is not None:
        print("FAIL"); sys.exit(1)
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=1)
    except OSError:
        time.sleep(0.002); continue
    try:
        ctx = ssl.create_default_context(cafile=t + "/c/pki/ca.crt")
        s = ctx.wrap_socket(s, server_hostname="127.0.0.1")
        s.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        if s.recv(64).startswith(b"HTTP/1.1 200"):
            break
    except (OSError, ssl.SSLError):
        pass
    s.close()
    time.sleep(0.002)
ms = int((time.monotonic() - t0) * 1000)
f = open("/proc/%d/stat" % d.pid).read().rsplit(")", 1)[1].split()
cpu = (int(f[11]) + int(f[12])) * 1000 // os.sysconf("SC_CLK_TCK")
open(t + "/cpu", "a").write("%d " % cpu)
print(ms)
PY
}
# (called with a redirect, not $(...), so PID stays in this shell)
one_start >"$T/ms" || { echo "daemon does not start: $(tail -n 1 "$T/err")"; exit 0; }
PID=$(cat "$T/pid")
first=$(cat "$T/ms")
stop_daemon
times=""
for i in $(seq "$RUNS"); do
	one_start >"$T/ms" || break
	PID=$(cat "$T/pid")
	ms=$(cat "$T/ms")
	times="$times $ms"
	if [ "$i" -eq "$RUNS" ]; then
		sleep 1
		rss=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
		threads=$(awk '/Threads/ {print $2}' /proc/$PID/status)
	fi
	stop_daemon
done
median=$(printf '%s\n' $times | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "first start (creates PKI): ${first} ms"
echo "start to ready, median of $RUNS: ${median} ms (all:$times)  (target: 200 ms)"
echo "daemon CPU time (user+sys) at ready, ms: $(cat "$T/cpu")(first start first; a figure load does not inflate)"
echo "idle daemon: RSS ${rss:-?} KiB, ${threads:-?} threads"

# Idle watches: open WATCHES watch connections and hold them, then read
# the daemon's RSS and thread count (thread per connection, small stacks).
WATCHES=${WATCHES:-500}
P=$(port)
"$KDECK" cluster up --no-node --foreground --data-dir "$T/c" --listen "127.0.0.1:$P" >/dev/null 2>&1 &
PID=$!
for i in $(seq 200); do
	curl -sf --cacert "$T/c/pki/ca.crt" "https://127.0.0.1:$P/readyz" >/dev/null 2>&1 && break
	sleep 0.05
done
base=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
python3 - "$T/c/pki" "$P" "$WATCHES" "$PID" <<'PY'
import socket, ssl, sys, time
pki, port, n, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ctx = ssl.create_default_context(cafile=pki + "/ca.crt")
ctx.load_cert_chain(pki + "/admin.crt", pki + "/admin.key")
conns = []
for i in range(n):
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="127.0.0.1")
    s.sendall(b"GET /api/v1/namespaces?watch=1&resourceVersion=0 HTTP/1.1\r\nHost: x\r\n\r\n")
    conns.append(s)
time.sleep(2)
st = dict(l.split(":", 1) for l in open("/proc/%s/status" % pid))
print("%d idle watches: RSS %s, threads %s" % (n, st["VmRSS"].strip(), st["Threads"].strip()))
for s in conns:
    s.close()
PY
echo "idle daemon before the watches: RSS ${base} KiB"
kill -TERM $PID; wait $PID
