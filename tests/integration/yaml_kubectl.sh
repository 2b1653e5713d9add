# SPDX-License-Identifier: Apache-2.0
# kyaml against real kubectl, offline (`kubectl annotate --local`, no
# server): kyaml_emit must print every API fixture byte for byte as
# `kubectl -o yaml` does, and kyaml_parse must read a manifest full of
# YAML 1.1 corner cases (booleans, octal, tags, merges, block scalars,
# non-string keys) into the JSON kubectl sends.
. "$TOP_SRCDIR/tests/lib.sh"
need_cmd "$KUBECTL"
TOOL="$TOP_BUILDDIR/tests/integration/kyaml_tool"

cat >"$T_DIR/tricky.yaml" <<'YAML'
apiVersion: example.io/v1
kind: Widget
metadata:
  name: tricky
spec:
  bools: [y, Y, yes, Yes, YES, n, N, no, NO, on, On, ON, off, Off, OFF, true, True, TRUE, false, False, FALSE, yEs]
  nulls: [~, null, Null, NULL, "", nULL]
  ints: [0, 42, -17, +5, 0x1F, 0X1f, -0x10, 0o17, 017, 0b101, 1_000_000, 0x_ff, 08, 0x, 0xg, 1__0, 0_7, -0b11, -0o17, 0B11, 1_, _1]
  floats: [1.5, -2.25, .5, 1e3, 1.5E-2, +.5, 1., 1e400, .e5, 1.2.3, 1_0.5, 1.5_5, ._5, .5_5, -.5, 1e+3, 1E3]
  strings: [2001-12-14, 2001-12-14T21:59:43.10-05:00, '1:20', "quoted \u00e9", 'it''s', plain text, "a: b"]
  tags: [!!str 123, !!str yes, !!int "42", !!float 3, !!bool "off", !!null '', !!binary aGVsbG8=, !custom 12, ! 12]
  blocks:
    literal: |
      a
      b
    strip: |-
      a
    folded: >
      a
      b
    keep: |+
      a

  keys:
    1: int
    0x10: hex
    1.5: float
    1e6: big
    on: bool
    no: bool
    2001-01-01: date
  anchored: &base {k: v, n: 1}
  alias: *base
  merged:
    <<: *base
    n: 2
  mergedList:
    <<: [*base, {z: 3}]
YAML
if "$KUBECTL" annotate --local -f "$T_DIR/tricky.yaml" kdeck-test=x -o json \
	>"$T_DIR/tricky.json" 2>"$T_DIR/err"; then
	check "kyaml_parse reads YAML 1.1 corner cases as kubectl does" \
		"$TOOL" compare "$T_DIR/tricky.yaml" "$T_DIR/tricky.json"
else
	echo "# kubectl cannot convert offline: $(cat "$T_DIR/err")"
fi

# All fixtures in one kubectl call per format (kubectl starts slowly):
# it prints them as one List, which kyaml_emit must print identically.
fx="$SHARED_DIR/testdata/api-fixtures/HEAD"
if [ -d "$fx" ]; then
	mkdir "$T_DIR/fx"
	for f in "$fx"/*.json; do
		case $f in *WatchEvent*) continue ;; esac  # not an object
		cp "$f" "$T_DIR/fx/"
	done
	n=$(ls "$T_DIR/fx" | wc -l)
	if "$KUBECTL" annotate --local -f "$T_DIR/fx" kdeck-test=x -o json \
		>"$T_DIR/k.json" 2>"$T_DIR/err" &&
		"$KUBECTL" annotate --local -f "$T_DIR/fx" kdeck-test=x -o yaml \
			>"$T_DIR/k.yaml" 2>>"$T_DIR/err"; then
		"$TOOL" emit <"$T_DIR/k.json" >"$T_DIR/m.yaml"
		diff "$T_DIR/k.yaml" "$T_DIR/m.yaml" | head -20 | sed 's/^/#   /'
		check "kyaml_emit prints $n fixtures exactly as kubectl -o yaml" \
			cmp -s "$T_DIR/k.yaml" "$T_DIR/m.yaml"
	else
		fail "kubectl converts the fixtures: $(cat "$T_DIR/err")"
	fi
else
	echo "# $fx absent: fixture comparison skipped"
fi
finish
