# src/cluster/exec: pods/exec and pods/attach over WebSocket channels
# and SPDY/3.1 streams
# (engineer wsexec); common/ws.c is in src/common/local.mk.
libkdeck_a_SOURCES += \
	src/cluster/api_exec.c src/cluster/api_exec.h \
	src/cluster/api_exec_io.c src/cluster/api_exec_ws.c \
	src/cluster/api_exec_spdy.c

check_PROGRAMS += tests/unit/test_api_exec
TESTS += tests/unit/test_api_exec
tests_unit_test_api_exec_LDADD = $(KDECK_LIBS)

check_PROGRAMS += tests/unit/test_api_exec_spdy
TESTS += tests/unit/test_api_exec_spdy
tests_unit_test_api_exec_spdy_LDADD = $(KDECK_LIBS)

TESTS += tests/integration/exec_kubectl.sh
EXTRA_DIST += tests/integration/exec_kubectl.sh tests/integration/exec_ws_raw.py
TESTS += tests/integration/exec_nonode.sh
EXTRA_DIST += tests/integration/exec_nonode.sh
TESTS += tests/integration/exec_spdy.sh
EXTRA_DIST += tests/integration/exec_spdy.sh tests/integration/exec_spdy_raw.py

FUZZ_TARGETS += tests/fuzz/fuzz_exec_spdy
check_PROGRAMS += tests/fuzz/fuzz_exec_spdy
tests_fuzz_fuzz_exec_spdy_LDADD = $(KDECK_FUZZ_LIBS)
