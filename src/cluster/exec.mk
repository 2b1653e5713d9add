# src/cluster/exec: pods/exec and pods/attach over WebSocket channels
# (engineer wsexec); common/ws.c is in src/common/local.mk.
libkdeck_a_SOURCES += \
	src/cluster/api_exec.c src/cluster/api_exec.h \
	src/cluster/api_exec_io.c

check_PROGRAMS += tests/unit/test_api_exec
TESTS += tests/unit/test_api_exec
tests_unit_test_api_exec_LDADD = $(KDECK_LIBS)

TESTS += tests/integration/exec_kubectl.sh
EXTRA_DIST += tests/integration/exec_kubectl.sh tests/integration/exec_ws_raw.py
TESTS += tests/integration/exec_nonode.sh
EXTRA_DIST += tests/integration/exec_nonode.sh
