# src/tui: the dashboard.  Model files (no terminal) first, then the
# terminal half; unit tests, fuzz targets, tmux tests, benchmarks, themes.
libkdeck_a_SOURCES += \
	src/tui/tui.h \
	src/tui/filter.c \
	src/tui/tablemodel.c \
	src/tui/keymap.c \
	src/tui/theme.c \
	src/tui/cmdline.c \
	src/tui/describe.c \
	src/tui/src_fixture.c \
	src/tui/src_offline.c \
	src/tui/src_client.c src/tui/can.c \
	src/tui/infpool.h src/tui/infpool.c src/tui/objset.c src/tui/sbring.c \
	src/tui/draw.c \
	src/tui/app.c \
	src/tui/view_table.c \
	src/tui/view_text.c \
	src/tui/view_logs.c src/tui/logset.c src/tui/usage.c \
	src/tui/xray.c src/tui/view_tree.c \
	src/tui/view_lines.c src/tui/overview.c src/tui/helm.c \
	src/tui/view_helm.c src/tui/whocan.c src/tui/picker.c \
	src/tui/actions.c src/tui/rollout.c src/tui/view_rollout.c \
	src/tui/shell.h src/tui/view_shell.c src/tui/view_pf.c \
	src/tui/entry.c

TUI_UNIT = tests/unit/test_tablemodel tests/unit/test_filter \
	tests/unit/test_keymap tests/unit/test_theme tests/unit/test_can \
	tests/unit/test_xray tests/unit/test_overview \
	tests/unit/test_helm_release tests/unit/test_whocan \
	tests/unit/test_sbring tests/unit/test_objset tests/unit/test_rollout \
	tests/unit/test_usage
check_PROGRAMS += $(TUI_UNIT)
TESTS += $(TUI_UNIT)
tests_unit_test_tablemodel_LDADD = $(KDECK_LIBS)
tests_unit_test_filter_LDADD = $(KDECK_LIBS)
tests_unit_test_keymap_LDADD = $(KDECK_LIBS)
tests_unit_test_theme_LDADD = $(KDECK_LIBS)
tests_unit_test_can_LDADD = $(KDECK_LIBS)
tests_unit_test_xray_LDADD = $(KDECK_LIBS)
tests_unit_test_overview_LDADD = $(KDECK_LIBS)
tests_unit_test_helm_release_LDADD = $(KDECK_LIBS)
tests_unit_test_whocan_LDADD = $(KDECK_LIBS)
tests_unit_test_sbring_LDADD = $(KDECK_LIBS)
tests_unit_test_objset_LDADD = $(KDECK_LIBS)
tests_unit_test_rollout_LDADD = $(KDECK_LIBS)
tests_unit_test_usage_LDADD = $(KDECK_LIBS)
EXTRA_DIST += tests/data/helm-release-secrets.json

FUZZ_TARGETS += tests/fuzz/fuzz_keymap tests/fuzz/fuzz_theme \
	tests/fuzz/fuzz_helm_release
check_PROGRAMS += tests/fuzz/fuzz_keymap tests/fuzz/fuzz_theme \
	tests/fuzz/fuzz_helm_release
# automake rejects -fsanitize=fuzzer inside LDADD ($(KDECK_FUZZ_LIBS)), so
# the fuzzer flag goes into LDFLAGS here.
if FUZZING
tests_fuzz_fuzz_keymap_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_theme_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_helm_release_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_helm_release_LDADD = $(KDECK_LIBS)
tests_fuzz_fuzz_keymap_LDADD = $(KDECK_LIBS)
tests_fuzz_fuzz_theme_LDADD = $(KDECK_LIBS)
else
tests_fuzz_fuzz_keymap_LDADD = tests/fuzz/libreplay.a $(KDECK_LIBS)
tests_fuzz_fuzz_theme_LDADD = tests/fuzz/libreplay.a $(KDECK_LIBS)
tests_fuzz_fuzz_helm_release_LDADD = tests/fuzz/libreplay.a $(KDECK_LIBS)
endif

dist_themes_DATA += themes/default.theme themes/light.theme \
	themes/solarized.theme themes/high-contrast.theme \
	themes/monochrome.theme

# Dashboard tests: kdeck in a private tmux server over a fixture source,
# a fake API server (real client layer) and the embedded cluster.
TESTS += tests/tui/browse.sh tests/tui/actions.sh tests/tui/frame.sh \
	tests/tui/client.sh tests/tui/cluster.sh tests/tui/can.sh tests/tui/logs.sh \
	tests/tui/xray.sh tests/tui/overview.sh tests/tui/helm.sh tests/tui/whocan.sh \
	tests/tui/truecolor.sh tests/tui/shell.sh tests/tui/shell2.sh tests/tui/keys.sh \
	tests/tui/exec_plugin.sh tests/tui/cluster2.sh tests/tui/shell_node.sh tests/tui/ctx.sh \
	tests/tui/nav.sh tests/tui/rollout.sh tests/tui/usage.sh tests/tui/logs2.sh
EXTRA_DIST += tests/tui/browse.sh tests/tui/actions.sh tests/tui/frame.sh \
	tests/tui/client.sh tests/tui/cluster.sh tests/tui/can.sh tests/tui/logs.sh \
	tests/tui/xray.sh tests/tui/overview.sh tests/tui/helm.sh tests/tui/whocan.sh \
	tests/tui/truecolor.sh tests/tui/shell.sh tests/tui/shell2.sh tests/tui/keys.sh tests/tui/exec_plugin.sh \
	tests/tui/cluster2.sh tests/tui/shell_node.sh tests/tui/ctx.sh tests/tui/nav.sh tests/tui/rollout.sh tests/tui/usage.sh tests/tui/logs2.sh tests/tui/fixture.sh \
	tests/tui/fakeapi.py

# Benchmarks (make bench): model and screen figures with many rows.
EXTRA_PROGRAMS += tests/bench/bench_tui
BENCH_BINS += tests/bench/bench_tui
tests_bench_bench_tui_LDADD = $(KDECK_LIBS)
# The same against the embedded cluster with 10,000 and 50,000 pods.
BENCH_SHS += tests/bench/bench_tui_cluster.sh
EXTRA_DIST += tests/bench/mkpods.py
