# Test infrastructure shared by every layer.
noinst_LIBRARIES += tests/fuzz/libreplay.a
tests_fuzz_libreplay_a_SOURCES = tests/fuzz/replay.c

if !FUZZING
TESTS += $(FUZZ_TARGETS)
endif

# Integration tests drive the real binary; dashboard tests drive it in tmux.
TESTS += $(INTEGRATION_TESTS) $(TUI_TESTS)
INTEGRATION_TESTS = \
	tests/integration/cli.sh
TUI_TESTS =
EXTRA_DIST += $(INTEGRATION_TESTS) $(TUI_TESTS) $(BENCH_SHS)
EXTRA_DIST += tests/images/mkimage.py
