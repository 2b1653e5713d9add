#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench_image: how long the image store takes with the test image
# (tests/images/mkimage.py, ~1 MB busybox): import of an OCI archive into
# an empty store (copy + unpack), import when the root filesystem is
# already unpacked (copy only; the difference is the unpack time), and a
# pull from a loopback docker-registry.  Median of N runs (BENCH_RUNS, 5).
# Prints figures; never fails on timing.
set -u
: "${KDECK:?run through make bench}"
: "${TOP_SRCDIR:?run through make bench}"
RUNS=${BENCH_RUNS:-5}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
T=$(mktemp -d "${TMPDIR:-/tmp}/kdeck-bench-image.XXXXXX")
REG_PID=
cleanup() { [ -n "$REG_PID" ] && kill "$REG_PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

now_ms() { "$PY" -c 'import time; print(int(time.monotonic() * 1000))'; }
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

"$PY" "$TOP_SRCDIR/tests/images/mkimage.py" "$T/oci.tar" --format oci >/dev/null
"$PY" "$TOP_SRCDIR/tests/images/mkimage.py" "$T/layout" --format oci-dir >/dev/null

: > "$T/cold"; : > "$T/warm"
i=0
while [ $i -lt "$RUNS" ]; do
	rm -rf "$T/d"
	a=$(now_ms); "$KDECK" image import "$T/oci.tar" --data-dir "$T/d" >/dev/null
	b=$(now_ms); "$KDECK" image import "$T/oci.tar" --name bench/warm:1 --data-dir "$T/d" >/dev/null
	c=$(now_ms)
	echo $((b - a)) >> "$T/cold"; echo $((c - b)) >> "$T/warm"
	i=$((i + 1))
done
cold=$(median < "$T/cold"); warm=$(median < "$T/warm")
echo "image import, empty store (copy + unpack): ${cold} ms (median of $RUNS)"
echo "image import, rootfs cached (copy only):   ${warm} ms"
echo "layer unpack (difference):                 $((cold - warm)) ms"

if [ ! -x /usr/bin/docker-registry ]; then
	echo "pull: skipped (docker-registry not installed)"
	exit 0
fi
P=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$T/reg.yml" <<EOF
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $T/storage}}
http: {addr: "127.0.0.1:$P"}
EOF
/usr/bin/docker-registry serve "$T/reg.yml" > "$T/reg.log" 2>&1 &
REG_PID=$!
i=0
until "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $P))" 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 100 ] && { echo "pull: registry did not start"; exit 0; }
	sleep 0.1
done
"$PY" "$TOP_SRCDIR/tests/images/push.py" "$T/layout" "http://127.0.0.1:$P" bench/busybox 1 >/dev/null
: > "$T/pull"
i=0
while [ $i -lt "$RUNS" ]; do
	rm -rf "$T/p"
	a=$(now_ms); "$KDECK" image pull "127.0.0.1:$P/bench/busybox:1" --data-dir "$T/p" >/dev/null
	b=$(now_ms)
	echo $((b - a)) >> "$T/pull"
	i=$((i + 1))
done
echo "image pull from a loopback registry (empty store): $(median < "$T/pull") ms (median of $RUNS)"
