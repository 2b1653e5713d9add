#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# kdeck image import/ls/rm on the three archive formats mkimage.py writes
# (OCI tar, OCI directory, docker save), and the errors for a missing
# file and a tar that holds no image.  Needs python3 and /bin/busybox.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd python3
[ -x /bin/busybox ] || skip "/bin/busybox (busybox-static) is not installed"

MK="$TOP_SRCDIR/tests/images/mkimage.py"
D="$T_DIR/data"
img() { "$KDECK" image "$@" --data-dir "$D"; }

python3 "$MK" "$T_DIR/oci.tar" --format oci --name kdeck.test/oci:1 >/dev/null
python3 "$MK" "$T_DIR/ocidir" --format oci-dir --name kdeck.test/dir:2 >/dev/null
python3 "$MK" "$T_DIR/docker.tar" --format docker --name busybox:3 >/dev/null

out=$(img import "$T_DIR/oci.tar" 2>&1)
check_contains "import an OCI archive" "$out" "imported kdeck.test/oci:1"
out=$(img import "$T_DIR/ocidir" 2>&1)
check_contains "import an OCI directory" "$out" "imported kdeck.test/dir:2"
out=$(img import "$T_DIR/docker.tar" 2>&1)
check_contains "import a docker save archive (normalized name)" "$out" \
	"imported docker.io/library/busybox:3"
out=$(img import "$T_DIR/docker.tar" --name kdeck.test/renamed:9 2>&1)
check_contains "--name renames" "$out" "imported kdeck.test/renamed:9"

ls_out=$(img ls)
check_contains "ls header" "$ls_out" "IMAGE"
check_contains "ls shows the OCI image" "$ls_out" "kdeck.test/oci:1"
check_contains "ls shows the docker image" "$ls_out" "docker.io/library/busybox:3"
check_eq "ls lists four images" "$(echo "$ls_out" | tail -n +2 | wc -l)" 4
id=$(echo "$ls_out" | awk '/kdeck.test\/oci:1/ {print $2}')
check_eq "IMAGE ID is 13 hex digits" "$(echo "$id" | grep -cE '^[0-9a-f]{13}$')" 1
check_contains "SIZE in crictl units" "$(echo "$ls_out" | grep oci:1)" "MB"
json=$(img ls -o json)
check "ls -o json is JSON" python3 -c \
	'import json,sys; d=json.loads(sys.argv[1]); assert len(d["images"])==4' "$json"

check "rm one image" img rm kdeck.test/dir:2
check "rm by normalized short name" img rm busybox:3
check_eq "two left" "$(img ls | tail -n +2 | wc -l)" 2
out=$(img rm kdeck.test/dir:2 2>&1); rc=$?
check_eq "rm of a missing image fails" "$rc" 1
check_contains "rm names the missing image" "$out" 'image "kdeck.test/dir:2": not found'
check "rm the rest" img rm kdeck.test/oci:1 kdeck.test/renamed:9
check_eq "no blobs left" "$(ls "$D/images/blobs/sha256" | wc -l)" 0
check_eq "no rootfs left" "$(ls "$D/images/rootfs" | wc -l)" 0

out=$(img import "$T_DIR/nope.tar" 2>&1); rc=$?
check_eq "import of a missing file fails" "$rc" 1
check_contains "missing file message" "$out" "No such file or directory"
echo hello > "$T_DIR/hello.txt"
tar -C "$T_DIR" -cf "$T_DIR/plain.tar" hello.txt
out=$(img import "$T_DIR/plain.tar" 2>&1); rc=$?
check_eq "import of a non-image tar fails" "$rc" 1
check_contains "non-image tar message" "$out" "not an image archive"
out=$(img import "$T_DIR/hello.txt" 2>&1); rc=$?
check_eq "import of a non-archive fails" "$rc" 1
out=$(img import 2>&1); rc=$?
check_eq "import without a file is a usage error" "$rc" 2
out=$(img rm 'Bad:Ref' 2>&1); rc=$?
check_eq "rm of an invalid reference fails" "$rc" 1
finish
